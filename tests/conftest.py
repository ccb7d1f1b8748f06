import os
from pathlib import Path

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")
# No test asserts timings (make bench measures speed), so hypothesis's per-example deadline is off:
# on a loaded 2-core machine it failed tests whose logic was right.
settings.register_profile("course", deadline=None)
settings.load_profile("course")
os.environ.setdefault("PYTHONHASHSEED", "0")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


#: Tests that render every demo at full resolution to compare pixels (about 10 s of CPU on a small
#: machine), so `make check` skips them (marked slow here, without touching their modules).
RENDERING_TESTS = {"test_fast_redraw_matches_a_full_draw"}


def pytest_collection_modifyitems(config, items):
    import pytest

    for item in items:
        if getattr(item, "originalname", item.name) in RENDERING_TESTS:
            item.add_marker(pytest.mark.slow)
