"""Demos are built once and redrawn in place; controls are bounded."""

import base64

import ipywidgets as widgets
import pytest

from ketamine_course import demos

DEMOS = {"half_life": dict(half_life_h=6.0, scale="log")}


@pytest.mark.parametrize("name", sorted(DEMOS))
def test_demo_redraws_in_place(name):
    demo = getattr(demos, name)()
    fig = demo.figure
    axes, artists = list(fig.axes), [len(ax.get_children()) for ax in fig.axes]
    before = demo.image.value
    demo.set(**DEMOS[name])
    assert demo.image.value != before, "the figure did not change"
    assert fig is demo.figure and list(fig.axes) == axes, "the figure was rebuilt"
    assert [len(ax.get_children()) for ax in fig.axes] == artists, "artists were added, not updated"


@pytest.mark.parametrize("name", sorted(DEMOS))
def test_demo_shows_a_static_figure_without_a_kernel(name):
    demo = getattr(demos, name)()
    bundle = demo._repr_mimebundle_()
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(b"\x89PNG")
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("[Interactive demo]")
    demo.set(**DEMOS[name])
    assert base64.b64decode(demo._repr_mimebundle_()["image/png"]) == png, "fallback shows the defaults"


@pytest.mark.parametrize("name", sorted(DEMOS))
def test_sliders_are_bounded(name):
    demo = getattr(demos, name)()
    for control in demo.controls.values():
        if isinstance(control, widgets.FloatSlider):
            assert control.min < control.max
            control.value = control.max + 100  # a slider clamps, it never raises
            assert control.value == control.max


def test_half_life_curve_values():
    demo = demos.half_life(half_life_h=3.0)
    curve = demo.figure.axes[0].lines[0]
    t, y = curve.get_xdata(), curve.get_ydata()
    assert y[list(t).index(12.0)] == pytest.approx(1 / 16)
