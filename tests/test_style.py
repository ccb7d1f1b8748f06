import re

import matplotlib as mpl
import pytest

from ketamine_course import style


def test_palette_is_okabe_ito():
    assert style.PALETTE["blue"] == "#0072B2"
    assert style.PALETTE["vermillion"] == "#D55E00"
    assert len(set(style.SERIES_COLORS)) == len(style.SERIES_COLORS) == 8
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in style.SERIES_COLORS)


def test_series_differ_in_shape_as_well_as_colour():
    looks = [style.series_style(i) for i in range(8)]
    assert len({str(s["linestyle"]) + s["marker"] for s in looks}) == 8
    assert style.series_style(8) == style.series_style(0)


def test_background_is_opaque_for_dark_themes():
    rc = style.rc_params(False)
    assert rc["figure.facecolor"] == rc["axes.facecolor"] == rc["savefig.facecolor"] == "white"
    assert rc["savefig.transparent"] is False


def test_presentation_enlarges_then_restores():
    style.apply(False)
    base_font, base_line = mpl.rcParams["font.size"], mpl.rcParams["lines.linewidth"]
    with style.presentation():
        assert style.is_presenting()
        assert mpl.rcParams["font.size"] == pytest.approx(base_font * 1.5)
        assert mpl.rcParams["lines.linewidth"] == pytest.approx(base_line * 1.5)
    assert not style.is_presenting()
    assert mpl.rcParams["font.size"] == base_font


def test_set_presentation_switch():
    try:
        style.set_presentation(True)
        assert mpl.rcParams["font.size"] == pytest.approx(16.5)
    finally:
        style.set_presentation(False)
    assert mpl.rcParams["font.size"] == 11
