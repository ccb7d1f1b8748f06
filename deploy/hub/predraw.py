"""Draw the demos' figures before class, into the hub's frame store.

    build/hub/venv/bin/python deploy/hub/predraw.py FOLDER [--pixel-density 1] [NOTEBOOK ...]
    (make hub-env runs it: build/hub/frames)

Every demo in the executed notebooks (found by the recipe in its output, as the
static site finds them) is rebuilt with the installed package and moved through
the static site's plan of states (scripts/build_frames.py: every step of the main
slider, a grid over the other controls within FRAME_BUDGET states). Each state's
PNG goes into the store (ketamine_course.demos.framestore) under a fingerprint of
the installed package, at the hub's pixel density. Students' kernels then show a
stored state instead of drawing it; the hub points them at the store
(KETAMINE_COURSE_FRAME_STORE, set by jupyterhub_config.py).

Frames of other versions of the package are removed from FOLDER.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "scripts"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Draw the demos' figures into a frame store for the hub.")
    parser.add_argument("folder", type=Path, help="the frame store (created if missing)")
    parser.add_argument("notebooks", type=Path, nargs="*", help="executed notebooks (default: notebooks/*.ipynb)")
    parser.add_argument("--pixel-density", type=int, default=1, choices=[1, 2],
                        help="device pixels per CSS pixel, as the hub's COURSE_HUB_PIXEL_DENSITY (default 1)")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in notebooks:
        if not path.is_file():
            parser.error(f"notebooks: no such notebook file: {path}")

    # Read when the package is imported: the frames are drawn as the students' kernels draw them.
    os.environ["KETAMINE_COURSE_PIXEL_DENSITY"] = str(args.pixel_density)
    os.environ.pop("KETAMINE_COURSE_FRAME_STORE", None)  # draw every frame, never read one
    import matplotlib

    matplotlib.use("Agg")
    import nbformat
    from build_frames import FRAME_BUDGET, demo_outputs, plan, walk

    from ketamine_course import demos
    from ketamine_course.demos.framestore import FrameStore, fingerprint

    if demos.PIXEL_DENSITY != args.pixel_density:  # imported before this function set the density
        raise ValueError(f"--pixel-density: the package draws at {demos.PIXEL_DENSITY}, not {args.pixel_density}; "
                         "run predraw.py in its own process")
    store = FrameStore(args.folder, args.pixel_density)
    args.folder.mkdir(parents=True, exist_ok=True)
    for old in args.folder.iterdir():
        if old.is_dir() and old.name != fingerprint():
            shutil.rmtree(old)
    t0, count, done = time.monotonic(), 0, set()
    for path in notebooks:
        for _cell, _output, recipe in demo_outputs(nbformat.read(path, as_version=4)):
            text = json.dumps(recipe, sort_keys=True)
            if text in done:
                continue
            done.add(text)
            demo = getattr(demos, recipe["demo"])(**recipe["arguments"])
            for _ in walk(demo, plan(recipe["demo"], demo, FRAME_BUDGET)):
                store.put(demo.recipe, demo.presenting, demo._state_key(), demo.image.value)
                count += 1
    store.folder.mkdir(parents=True, exist_ok=True)
    store.marker().touch()  # the kernels warn about a store without it (drawn at another density, or unfinished)
    size = sum(f.stat().st_size for f in store.folder.glob("*.png"))
    print(f"{count} frames of {len(done)} demos in {store.folder} ({size / 2**20:.1f} MiB, "
          f"{time.monotonic() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
