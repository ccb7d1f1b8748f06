"""Every demo reads well at every setting, on a laptop and in presentation mode.

For each demo in ``demos.registry()`` the figure is drawn at its defaults, at
each control's extremes (one control at a time; every choice of a menu or
toggle) and at random positions of all controls together (hypothesis, a few
examples with a fixed seed), in normal and in presentation mode. After each
full draw tests/figure_check.py asserts what a reader needs: every text inside
the figure and at least 11 CSS px, no two text boxes or legends overlapping, no
legend or note over more than 2% of a data series' points, and titles that fit.

Cases that fail today because of one demo's layout are marked xfail(strict)
with the issue item that fixes them; the fix turns them into passes (and strict
xfail then fails until the mark is removed).
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ketamine_course import demos, style

from . import figure_check

# Renders every demo many times (minutes of CPU): `make test` runs it, `make check` does not.
pytestmark = pytest.mark.slow

MODES = ("normal", "presentation")
SLIDERS = (widgets.FloatSlider, widgets.IntSlider)
RANGES = (widgets.IntRangeSlider, widgets.FloatRangeSlider)
CHOICES = (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons, widgets.Select)
SWITCHES = (widgets.Checkbox, widgets.ToggleButton)

#: (demo, mode, kind) cases that fail today, with the issue-11 item whose fix is expected to pass them.
KNOWN: dict = {}  # every case that failed before the issue-11 fixes passes now


def _values(control) -> list:
    """The extreme settings of one control: both ends of a slider, every choice of a menu, the other switch state."""
    if isinstance(control, widgets.FloatLogSlider):
        return [control.base ** control.min, control.base ** control.max]
    if isinstance(control, SLIDERS):
        return [control.min, control.max]
    if isinstance(control, RANGES):
        lo, hi = control.min, control.max
        return [(lo, lo), (hi, hi), (lo, hi)]
    if isinstance(control, CHOICES):
        return [value for _label, value in _options(control)]
    if isinstance(control, SWITCHES):
        return [not control.value]
    raise TypeError(f"no extremes for {type(control).__name__}: teach tests/test_demo_figures.py this control")


def _options(control):
    labels, values = control._options_labels, control._options_values
    return list(zip(labels, values))


def _reset(demo, values: dict) -> None:
    """Back to ``values``: menus last, since their options may follow the other controls."""
    demo.set(**{k: v for k, v in values.items() if not isinstance(demo.controls[k], CHOICES)})
    for k, v in values.items():
        control = demo.controls[k]
        if isinstance(control, CHOICES) and v in [x for _l, x in _options(control)]:
            demo.set(**{k: v})


def _build(name: str, mode: str):
    style.set_presentation(mode == "presentation")
    return demos.registry()[name]()


def _problems(demo) -> list[str]:
    return figure_check.problems(demo.figure, demo.css_px_per_inch)


def _cases(kind):
    out = []
    for name in sorted(demos.registry()):
        for mode in MODES:
            reason = KNOWN.get((name, mode, kind)) or KNOWN.get((name, "*", kind))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(name, mode, id=f"{name}-{mode}", marks=marks))
    return out


@pytest.fixture(autouse=True)
def _normal_mode_after():
    yield
    style.set_presentation(False)


def test_registry_lists_every_demo():
    names = set(demos.registry())
    assert {"half_life", "mg_block", "onset_comparison", "plasma_curve", "adverse_effects"} <= names
    assert len(names) == 16  # 14 demos in 00-06, forest_plot and blinding in 07
    assert "glossary_search" not in names  # a search box, not a figure


@pytest.mark.parametrize(("name", "mode"), _cases("default"))
def test_default_figure_reads_well(name, mode):
    demo = _build(name, mode)
    assert _problems(demo) == []


@pytest.mark.parametrize(("name", "mode"), _cases("extremes"))
def test_figure_reads_well_at_every_control_extreme(name, mode):
    demo = _build(name, mode)
    defaults = demo.values()
    found = []
    for control_name, control in list(demo.controls.items()):
        for value in _values(control):
            _reset(demo, defaults)
            if isinstance(control, CHOICES) and value not in [v for _l, v in _options(control)]:
                continue  # a menu whose options follow other controls (the timeline's milestones)
            demo.set(**{control_name: value})
            found += [f"{control_name}={value!r}: {p}" for p in _problems(demo)]
    assert found == []


def _draw_state(data, demo) -> dict:
    """Random positions for all the controls: sliders and switches first, then menus (their options may follow)."""
    state = {}
    for name, control in demo.controls.items():
        if isinstance(control, widgets.FloatLogSlider):
            steps = round((control.max - control.min) / control.step)
            k = data.draw(st.integers(0, steps), label=name)
            state[name] = control.base ** (control.min + k * control.step)
        elif isinstance(control, SLIDERS):
            steps = math.floor((control.max - control.min) / control.step + 1e-9)
            k = data.draw(st.integers(0, steps), label=name)
            state[name] = min(control.max, control.min + k * control.step)
        elif isinstance(control, RANGES):
            a = data.draw(st.integers(control.min, control.max), label=f"{name} start")
            b = data.draw(st.integers(a, control.max), label=f"{name} end")
            state[name] = (a, b)
        elif isinstance(control, SWITCHES):
            state[name] = data.draw(st.booleans(), label=name)
    demo.set(**state)
    for name, control in demo.controls.items():
        if isinstance(control, CHOICES) and control.options:
            value = data.draw(st.sampled_from([v for _l, v in _options(control)]), label=name)
            demo.set(**{name: value})
            state[name] = value
    return state


@pytest.mark.parametrize(("name", "mode"), _cases("random"))
def test_figure_reads_well_at_random_settings(name, mode):
    demo = _build(name, mode)
    presenting = mode == "presentation"

    # No shrinking: each example costs several full draws, and the message names the whole state.
    @settings(max_examples=4, derandomize=True, deadline=None, database=None, phases=(Phase.generate,),
              suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def check(data):
        style.set_presentation(presenting)
        state = _draw_state(data, demo)
        problems = _problems(demo)
        assert problems == [], f"at {state}: {problems}"

    check()


# ---------------------------------------------------------------------------
# The checker itself catches what it is meant to catch
# ---------------------------------------------------------------------------

def _figure():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 4), dpi=90)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    return fig, ax


def test_check_sees_text_leaving_the_figure():
    fig, ax = _figure()
    ax.text(9.5, 5, "a note that runs far past the right edge of the figure")
    assert any("leaves the figure" in p for p in figure_check.problems(fig, 90))


def test_check_sees_a_title_that_does_not_fit():
    fig, ax = _figure()
    ax.set_title("a title much too long for a six-inch figure at this size, which runs off both ends", fontsize=14)
    assert any(p.startswith("title") for p in figure_check.problems(fig, 90))


def test_check_sees_overlapping_boxes():
    fig, ax = _figure()
    ax.plot([0, 1], [0, 1], label="a series")
    ax.legend(loc="upper left")
    ax.text(0.2, 9.6, "a note under the legend", va="top")
    assert any("overlaps" in p for p in figure_check.problems(fig, 90))


def test_check_sees_a_legend_over_the_data():
    fig, ax = _figure()
    ax.plot([1, 2, 3, 4, 5], [9, 9, 9, 1, 1], marker="o", linestyle="none", label="points")
    ax.legend(loc="upper left")
    found = figure_check.problems(fig, 90)
    assert any("covers" in p and "'points'" in p for p in found), found


def test_check_sees_tiny_text():
    fig, ax = _figure()
    ax.text(5, 5, "tiny", fontsize=6)
    assert any("CSS px" in p for p in figure_check.problems(fig, 90))


def test_check_passes_a_clean_figure():
    fig, ax = _figure()
    ax.plot([0, 10], [0, 5], label="a line")
    ax.legend(loc="upper left")
    ax.set_title("short title")
    assert figure_check.problems(fig, 90) == []
