"""Accessibility that needs no browser: the palette under colour-vision deficiency, and alt text.

Palette: each colour of ketamine_course.style.SERIES_COLORS is passed through
colorspacious's simulation of deuteranomaly, protanomaly and tritanomaly at
severity 100 (i.e. full dichromacy), and every pair must stay at least
MIN_DELTA_E apart in CAM02-UCS. Pairs under WEAK_DELTA_E pass but are written to
test-artifacts/palette_cvd.json and printed, so they stay visible: the course
also separates series by line style and marker, never by colour alone.
"""

from __future__ import annotations

import inspect
import itertools
import json

import pytest

pytestmark = pytest.mark.e2e

#: Minimum CAM02-UCS distance (Delta E') between two series colours after simulation.
#: About 1 is a just-noticeable difference for large patches; lines and markers
#: need much more, and 10 is a common floor for categorical plot colours.
MIN_DELTA_E = 10.0
#: Pairs below this pass but are reported as weak.
WEAK_DELTA_E = 15.0
CVD_TYPES = ("deuteranomaly", "protanomaly", "tritanomaly")


def _rgb(hex_colour: str):
    return [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]


def palette_distances(cvd_type: str | None):
    """(Delta E', colour a, colour b) for every pair of series colours, as seen with ``cvd_type``."""
    import numpy as np
    from colorspacious import cspace_convert, deltaE

    from ketamine_course import style

    names = {v: k for k, v in style.PALETTE.items()}
    rgb = np.array([_rgb(c) for c in style.SERIES_COLORS])
    if cvd_type:
        space = {"name": "sRGB1+CVD", "cvd_type": cvd_type, "severity": 100}
        rgb = np.clip(cspace_convert(rgb, space, "sRGB1"), 0, 1)
    ucs = cspace_convert(rgb, "sRGB1", "CAM02-UCS")
    return [(float(deltaE(ucs[i], ucs[j], input_space="CAM02-UCS")),
             names.get(style.SERIES_COLORS[i], style.SERIES_COLORS[i]),
             names.get(style.SERIES_COLORS[j], style.SERIES_COLORS[j]))
            for i, j in itertools.combinations(range(len(style.SERIES_COLORS)), 2)]


@pytest.fixture(scope="module")
def colorspacious():
    return pytest.importorskip("colorspacious", reason="pip install colorspacious (in the test extra)")


@pytest.mark.parametrize("cvd_type", [None, *CVD_TYPES], ids=["normal", *CVD_TYPES])
def test_series_colours_stay_distinguishable(cvd_type, colorspacious, artifacts, capsys):
    pairs = sorted(palette_distances(cvd_type))
    report = artifacts / "palette_cvd.json"
    table = json.loads(report.read_text()) if report.exists() else {}
    table[cvd_type or "normal"] = [{"delta_e": round(d, 1), "a": a, "b": b} for d, a, b in pairs]
    report.write_text(json.dumps(table, indent=1))
    weak = [f"{a}/{b} {d:.1f}" for d, a, b in pairs if d < WEAK_DELTA_E]
    if weak:
        with capsys.disabled():
            print(f"\n[palette] {cvd_type or 'normal'}: weak pairs (< {WEAK_DELTA_E}): {', '.join(weak)}")
    failing = [(round(d, 1), a, b) for d, a, b in pairs if d < MIN_DELTA_E]
    assert not failing, f"{cvd_type}: series colour pairs closer than {MIN_DELTA_E} in CAM02-UCS: {failing}"


def test_every_diagram_has_alt_text():
    from ketamine_course import diagrams

    assert diagrams.DIAGRAMS
    for name, diagram in diagrams.DIAGRAMS.items():
        alt = (diagram.alt or "").strip()
        assert len(alt.split()) >= 8, f"diagram {name}: alt text missing or too short: {alt!r}"
        assert alt != diagram.caption.strip(), f"diagram {name}: alt text only repeats the caption"


def _demo_functions():
    from ketamine_course import demos

    return [name for name, fn in inspect.getmembers(demos, inspect.isfunction)
            if not name.startswith("_") and fn.__module__.startswith(demos.__name__)
            and inspect.signature(fn).return_annotation in ("Demo", demos.Demo)]


def test_demo_list_is_known():
    names = _demo_functions()
    for expected in ("half_life", "timeline", "coincidence", "mg_block", "occupancy", "trapping_block",
                     "disinhibition", "spines", "plasma_curve", "esketamine_spray", "onset_comparison",
                     "course_vs_single"):
        assert expected in names


@pytest.mark.parametrize("name", _demo_functions())
def test_every_demo_figure_has_alt_text(name):
    """A Demo's caption describes its figure; it is the alt text of the static PNG and the widget."""
    from ketamine_course import demos

    demo = getattr(demos, name)()
    caption = (demo.caption or "").strip()
    assert len(caption.split()) >= 12, f"{name}: caption too short to describe the figure: {caption!r}"
    bundle, _metadata = demo._repr_mimebundle_()
    assert caption in bundle["text/plain"], f"{name}: the static fallback does not carry the caption"
