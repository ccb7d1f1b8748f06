"""Figures drawn in advance, shared read-only by every kernel of a class hub.

On a hub, thirty students moving the same slider make thirty kernels draw the
same thirty figures. A frame store holds those figures once: a folder of PNG
files, one per demo state, drawn before class by the same code the kernels run
(``deploy/hub/predraw.py``, with the static site's plan of states).
A demo whose state is in the store shows the stored PNG instead of drawing it;
any other state is drawn as usual. The description under the figure is always
computed live, so only the pixels come from the store.

The store is used only when the environment variable named by
:data:`FRAME_STORE_ENV` points at it (the hub sets it for every student). Its
frames sit under a fingerprint of the installed package (code and data), so a
store drawn by another version of the course is never used: its states miss
and are drawn.

A frame's name is a digest of the demo's recipe (function and arguments),
presentation mode, pixel density and control values (floats rounded to 10
significant digits, so a browser's 0.30000000000000004 finds the frame drawn
for 0.3).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import warnings
from importlib import resources
from pathlib import Path

#: Environment variable naming the frame store folder (unset: no store, every state is drawn).
FRAME_STORE_ENV = "KETAMINE_COURSE_FRAME_STORE"
#: Significant digits a float control value is rounded to in a frame's name.
_DIGITS = 10


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """A digest of every file of the installed package (code, data, figures): what a frame depends on."""
    digest = hashlib.sha256()
    pending = [(resources.files("ketamine_course"), "")]
    while pending:
        folder, prefix = pending.pop()
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            name = f"{prefix}{entry.name}"
            if entry.is_dir():
                if entry.name != "__pycache__":
                    pending.append((entry, name + "/"))
            elif not entry.name.endswith((".pyc", ".pyo")):
                digest.update(name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _plain(value):
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return float(f"{value:.{_DIGITS}g}")
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def frame_name(recipe: dict, presenting: bool, density: int, state: tuple) -> str:
    """The file name of one state's frame (see the module's docstring)."""
    what = [recipe, bool(presenting), int(density), [[name, _plain(value)] for name, value in state]]
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()[:32] + ".png"


class FrameStore:
    """A folder of frames for this version of the package (``folder/<fingerprint>/<frame name>``)."""

    def __init__(self, folder: str | os.PathLike, density: int):
        self.root = Path(folder)
        self.density = density
        self.folder = self.root / fingerprint()

    def marker(self) -> Path:
        """The empty file deploy/hub/predraw.py leaves once it has drawn every frame at this density."""
        return self.folder / f".drawn-at-density-{self.density}"

    def path(self, recipe: dict, presenting: bool, state: tuple) -> Path:
        return self.folder / frame_name(recipe, presenting, self.density, state)

    def get(self, recipe: dict | None, presenting: bool, state: tuple) -> bytes | None:
        """The stored PNG of this state, or None when the store does not have it."""
        if recipe is None:
            return None
        try:
            return self.path(recipe, presenting, state).read_bytes()
        except OSError:
            return None

    def put(self, recipe: dict, presenting: bool, state: tuple, png) -> Path:
        """Store one frame (written to a temporary name, then renamed: readers never see half a file)."""
        png = bytes(png)
        if not png.startswith(b"\x89PNG\r\n\x1a\n"):
            raise ValueError("png must be the bytes of a PNG file")
        target = self.path(recipe, presenting, state)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}")
        partial.write_bytes(png)
        partial.replace(target)
        return target


@functools.lru_cache(maxsize=1)
def from_environment(density: int) -> FrameStore | None:
    """The store named by :data:`FRAME_STORE_ENV`, or None when it is unset or empty.

    Raises ValueError when it names something that is not a folder. A store
    that holds no frames for this version of the package gives a warning (once),
    and every state is drawn.
    """
    raw = os.environ.get(FRAME_STORE_ENV, "").strip()
    if not raw:
        return None
    folder = Path(raw)
    if not folder.is_dir():
        raise ValueError(f"{FRAME_STORE_ENV} must name an existing folder of pre-drawn frames, got {raw!r}")
    store = FrameStore(folder, density)
    if not store.folder.is_dir():
        warnings.warn(f"the frame store {raw} has no frames for this version of the course "
                      f"(fingerprint {fingerprint()}); every figure will be drawn. Rebuild it with "
                      f"deploy/hub/predraw.py.", stacklevel=2)
    elif not store.marker().exists():
        warnings.warn(f"the frame store {raw} has no frames drawn at pixel density {density}; every figure will "
                      f"be drawn. Draw them with deploy/hub/predraw.py --pixel-density {density}.", stacklevel=2)
    return store
