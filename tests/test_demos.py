"""Demos are built once and redrawn in place; controls are bounded."""

import base64

import ipywidgets as widgets
import pytest

from ketamine_course import demos

DEMOS = {
    "half_life": dict(half_life_h=6.0, scale="log"),
    "timeline": dict(era=(1990, 2026)),
    "coincidence": dict(glutamate=True, depolarised=True),
    "mg_block": dict(voltage_mv=-20.0, mg_mm=2.0),
    "occupancy": dict(form="arketamine (R)", concentration_um=3.0),
    "trapping_block": dict(pulse_hz=2.0, agonist_after_washout=False),
    "disinhibition": dict(block_fraction=0.9),
    "spines": dict(view="removed"),
    "plasma_curve": dict(route="oral", dose_mg_per_kg=0.8, weight_kg=90.0, scale="log"),
    "esketamine_spray": dict(dose_mg=84),
    "onset_comparison": dict(measure="difference_vs_placebo", ssri=True, axis="linear"),
    "course_vs_single": dict(view="course"),
    "evidence_explorer": dict(condition="chronic pain"),
    "adverse_effects": dict(order="excess"),
}


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


@pytest.mark.parametrize("name", sorted(DEMOS))
def test_fast_redraw_matches_a_full_draw(name):
    """Redrawing only the changing artists gives the same picture as drawing everything."""
    import io

    import numpy as np
    from PIL import Image

    demo = getattr(demos, name)()
    demo.set(**DEMOS[name])
    fast = np.asarray(Image.open(io.BytesIO(demo.image.value)).convert("L"), dtype=float)
    full = np.asarray(Image.open(io.BytesIO(demos.render_png(demo.figure))).convert("L"), dtype=float)
    assert fast.shape == full.shape
    differing = np.mean(np.abs(fast - full) > 40)
    assert differing < 0.01, f"{100 * differing:.1f}% of pixels differ"


def test_coincidence_needs_all_three():
    demo = demos.coincidence(glutamate=True, glycine=True, depolarised=True)
    bar = demo.figure.axes[0].patches[0]
    full = bar.get_width()
    assert full > 10
    for off in ("glutamate", "glycine"):
        demo.set(**{off: False})
        assert bar.get_width() == 0
        demo.set(**{off: True})
    demo.set(depolarised=False)
    assert 0 < bar.get_width() < full / 2


def test_onset_points_read_from_a_figure_are_drawn_differently(tmp_path, monkeypatch):
    """A figure-approx value gets the half-filled marker, not the confirmed one."""
    from ketamine_course import onset

    real = onset.series

    def with_approx(treatment, statistic, arm="active", **kw):
        hours, values, rows = real(treatment, statistic, arm=arm, **kw)
        if treatment == "ketamine_iv_single" and arm == "active" and len(rows):
            rows = [dict(rows[0], extraction="figure-approx")] + list(rows[1:])
        return hours, values, rows

    monkeypatch.setattr(onset, "series", with_approx)
    demo = demos.onset_comparison()
    ax = demo.figure.axes[0]
    half_filled = [line for line in ax.lines if line.get_fillstyle() == "left" and len(line.get_xdata())]
    assert len(half_filled) == 1 and len(half_filled[0].get_xdata()) == 1
