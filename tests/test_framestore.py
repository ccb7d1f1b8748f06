"""The hub's figures drawn in advance (demos.framestore, deploy/hub/predraw.py)."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings

import nbformat
import numpy as np
import pytest
from PIL import Image

from ketamine_course import demos
from ketamine_course.demos import base, framestore

from .conftest import ROOT

RECIPE = {"demo": "mg_block", "arguments": {"voltage_mv": -70.0, "mg_mm": 1.0}}


@pytest.fixture
def store_env(monkeypatch, tmp_path):
    """Point demos at a frame store folder for one test (the store is read once per process)."""
    def use(folder):
        monkeypatch.setenv(framestore.FRAME_STORE_ENV, str(folder))
        framestore.from_environment.cache_clear()
    yield use
    framestore.from_environment.cache_clear()


def moved_without_store(voltage: float):
    """The Mg2+ demo moved to ``voltage`` by its slider, drawn here (no recipe, so no store is read)."""
    demo = demos.mg_block.__wrapped__()
    demo.controls["voltage_mv"].value = voltage
    return demo


def pixels(png) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(bytes(png))).convert("RGBA"))


def test_frame_names_follow_the_state_and_absorb_float_noise():
    state = (("voltage_mv", -20.0), ("mg_mm", 0.3))
    name = framestore.frame_name(RECIPE, False, 2, state)
    assert name.endswith(".png")
    # a browser's 0.1 + 0.2 is the frame drawn for 0.3
    assert framestore.frame_name(RECIPE, False, 2, (("voltage_mv", -20.0), ("mg_mm", 0.1 + 0.2))) == name
    others = [framestore.frame_name(RECIPE, True, 2, state), framestore.frame_name(RECIPE, False, 1, state),
              framestore.frame_name(RECIPE, False, 2, (("voltage_mv", -25.0), ("mg_mm", 0.3))),
              framestore.frame_name({**RECIPE, "arguments": {"voltage_mv": -20.0, "mg_mm": 1.0}}, False, 2, state)]
    assert len({name, *others}) == 5


def test_a_demo_shows_a_stored_state_and_draws_the_rest(store_env, tmp_path):
    drawn = demos.mg_block()
    drawn.controls["voltage_mv"].value = -40.0
    marker = bytes(drawn.image.value)                    # the figure of -40 mV, stored under -20 mV
    store = framestore.FrameStore(tmp_path, base.PIXEL_DENSITY)
    store.put(RECIPE, False, (("voltage_mv", -20.0), ("mg_mm", 1.0)), marker)
    store.marker().touch()                                 # as predraw.py does once it has drawn every frame
    store_env(tmp_path)

    demo = demos.mg_block()
    demo.controls["voltage_mv"].value = -20.0
    assert bytes(demo.image.value) == marker               # from the store, not drawn
    assert "At -20 mV" in demo.description                # the description is always computed live
    demo.controls["voltage_mv"].value = -25.0              # not stored: drawn
    fresh = moved_without_store(-25.0)
    assert np.array_equal(pixels(demo.image.value), pixels(fresh.image.value))
    # another version of the package has its own folder: nothing of this one is used
    assert store.folder.name == framestore.fingerprint()


def test_no_store_and_bad_store_settings(store_env, monkeypatch, tmp_path):
    monkeypatch.delenv(framestore.FRAME_STORE_ENV, raising=False)
    framestore.from_environment.cache_clear()
    assert framestore.from_environment(2) is None
    store_env(tmp_path / "missing")
    with pytest.raises(ValueError, match="KETAMINE_COURSE_FRAME_STORE must name an existing folder"):
        framestore.from_environment(2)
    store_env(tmp_path)                                    # a folder with no frames for this version
    with pytest.warns(UserWarning, match="has no frames for this version of the course"):
        assert framestore.from_environment(2) is not None
    (tmp_path / framestore.fingerprint()).mkdir()          # this version's folder, drawn at another density
    (tmp_path / framestore.fingerprint() / ".drawn-at-density-1").touch()
    store_env(tmp_path)
    with pytest.warns(UserWarning, match="has no frames drawn at pixel density 2; .* --pixel-density 2"):
        framestore.from_environment(2)
    with pytest.raises(ValueError, match="png must be the bytes of a PNG file"):
        framestore.FrameStore(tmp_path, 2).put(RECIPE, False, (), b"GIF89a")


def test_predraw_stores_what_the_kernels_would_draw(store_env, tmp_path):
    """deploy/hub/predraw.py draws the static site's plan of states; a demo then shows them unchanged."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("demos.mg_block()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={demos.RECIPE_MIME: RECIPE, "text/plain": "demo"})]
    nb.cells = [cell]
    path = tmp_path / "02_demo.ipynb"
    nbformat.write(nb, path)
    folder = tmp_path / "frames"
    (folder / "0123456789abcdef").mkdir(parents=True)      # frames of another version: removed
    out = subprocess.run([sys.executable, str(ROOT / "deploy" / "hub" / "predraw.py"), str(folder), str(path),
                          "--pixel-density", str(base.PIXEL_DENSITY)], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert [p.name for p in folder.iterdir()] == [framestore.fingerprint()]
    files = set((folder / framestore.fingerprint()).iterdir())
    stored = {p for p in files if p.suffix == ".png"}
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from build_frames import FRAME_BUDGET, plan
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    specs = plan("mg_block", demos.mg_block(), FRAME_BUDGET)
    assert len(stored) == np.prod([len(s["values"]) for s in specs])
    # nothing else: no partial files left behind, only the mark of a complete drawing at this density
    assert files - stored == {framestore.FrameStore(folder, base.PIXEL_DENSITY).marker()}

    store_env(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                     # a complete store for this version: no warning
        assert framestore.from_environment(base.PIXEL_DENSITY).marker().exists()
    demo = demos.mg_block()
    reads = []
    demo._stored = lambda key, stored=demo._stored: reads.append(stored(key)) or reads[-1]
    for voltage in (-100.0, -20.0, 40.0):
        demo.controls["voltage_mv"].value = voltage
        fresh = moved_without_store(voltage)
        assert np.array_equal(pixels(demo.image.value), pixels(fresh.image.value)), voltage
    assert len(reads) == 3 and all(r is not None for r in reads)


def test_predraw_refuses_a_density_it_cannot_draw(tmp_path):
    out = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, 'deploy/hub'); import predraw; "
                          "from ketamine_course import demos; "
                          f"predraw.main([{str(tmp_path)!r}, '--pixel-density', str(3 - demos.PIXEL_DENSITY)])"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode != 0 and "--pixel-density: the package draws at" in out.stderr
