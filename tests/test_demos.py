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
    bundle, metadata = demo._repr_mimebundle_()  # metadata: the CSS size to show the 2x PNG at
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(b"\x89PNG")
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("[Interactive demo]")
    demo.set(**DEMOS[name])
    assert base64.b64decode(demo._repr_mimebundle_()[0]["image/png"]) == png, "fallback shows the defaults"


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


# ---------------------------------------------------------------------------
# The plotted data is the model's output (not only "the image changed")
# ---------------------------------------------------------------------------

def _line(ax, label):
    return next(line for line in ax.lines if line.get_label() == label)


@pytest.mark.parametrize("settings", [
    dict(route="oral", dose_mg_per_kg=0.8, weight_kg=40.0, model="herd2007"),
    dict(route="iv_infusion", dose_mg_per_kg=0.5, weight_kg=110.0, model="herd2007"),
    dict(route="im", dose_mg_per_kg=0.3, weight_kg=55.0, model="clements1981"),
])
def test_plasma_curve_draws_the_simulated_curve_for_the_chosen_body(settings):
    """The line is pk.simulate for the chosen route, dose, weight and model (Herd 2007 scales
    clearance with weight**0.75, so a demo that ignored the weight would draw another curve)."""
    import numpy as np

    from ketamine_course import pk

    demo = demos.plasma_curve()
    demo.set(**settings)
    ax = demo.figure.axes[0]
    kwargs = dict(route=settings["route"], model=pk.MODELS[settings["model"]], t_end_min=480.0, dt_min=1.0)
    if settings["route"] == "iv_infusion":
        kwargs["infusion_min"] = 40.0
    expected = pk.simulate(settings["dose_mg_per_kg"], settings["weight_kg"], **kwargs)
    curve = _line(ax, "your choice")
    np.testing.assert_allclose(curve.get_xdata(), expected.time_min / 60)
    np.testing.assert_allclose(curve.get_ydata(), expected.concentration_ng_per_ml, rtol=1e-12)
    t_peak, c_peak = expected.peak()
    peak = _line(ax, "peak")
    assert (peak.get_xdata()[0], peak.get_ydata()[0]) == pytest.approx((t_peak / 60, c_peak))
    total_mg = settings["dose_mg_per_kg"] * settings["weight_kg"]
    assert f"({total_mg:.0f} mg)" in ax.get_title() and f"peak {c_peak:.0f} ng/mL" in ax.get_title()


def test_plasma_curve_weight_changes_the_curve_under_allometric_scaling():
    from ketamine_course import pk

    light = pk.simulate(0.5, 40.0, model="herd2007").peak()[1]
    heavy = pk.simulate(0.5, 110.0, model="herd2007").peak()[1]
    assert heavy > light * 1.05  # otherwise the test above could not tell weights apart


def test_plasma_curve_marks_the_reported_protocol_peak():
    demo = demos.plasma_curve()
    ax = demo.figure.axes[0]
    protocol = [line for line in ax.lines if line.get_linestyle() == ":"]
    assert protocol and list(protocol[0].get_ydata()) == [185.0, 185.0]  # zanos2018


@pytest.mark.parametrize("dose_mg", [28, 56, 84])
def test_esketamine_spray_band_is_the_labels_time_to_peak_after_the_last_spray(dose_mg):
    """Spravato label: peak plasma 20 to 40 min after the last spray; devices are 5 min apart."""
    import numpy as np

    from ketamine_course import pk

    demo = demos.esketamine_spray()
    demo.set(dose_mg=dose_mg)
    ax = demo.figure.axes[0]
    last_spray_min = 5.0 * (dose_mg // 28 - 1)
    band = ax.patches[0]
    assert band.get_x() * 60 == pytest.approx(last_spray_min + 20.0)
    assert (band.get_x() + band.get_width()) * 60 == pytest.approx(last_spray_min + 40.0)
    expected = pk.esketamine_nasal(dose_mg, t_end_min=720.0, dt_min=1.0)
    line = next(line for line in ax.lines if line.get_label().startswith(f"{dose_mg} mg"))
    np.testing.assert_allclose(line.get_ydata(), expected.concentration_ng_per_ml, rtol=1e-12)
    assert line.get_linewidth() > max(other.get_linewidth() for other in ax.lines if other is not line
                                      and other.get_label().endswith(")"))


def test_mg_block_curve_is_the_jahr_stevens_current():
    import numpy as np

    from ketamine_course import receptor

    demo = demos.mg_block()
    demo.set(voltage_mv=-40.0, mg_mm=2.5)
    ax = demo.figure.axes[0]
    curve = _line(ax, "with Mg2+")
    v = np.asarray(curve.get_xdata())
    np.testing.assert_allclose(curve.get_ydata(), receptor.nmda_current_pa(v, 2.5))
    marker = _line(ax, "chosen voltage")
    assert marker.get_ydata()[0] == pytest.approx(receptor.nmda_current_pa(-40.0, 2.5))


def test_course_demo_draws_the_onset_relapse_model():
    import numpy as np

    from ketamine_course import onset

    demo = demos.course_vs_single(view="course")
    ax = demo.figure.axes[0]
    course = next(line for line in ax.lines if line.get_label().startswith("after a 6-infusion course"))
    days = np.asarray(course.get_xdata())
    np.testing.assert_allclose(course.get_ydata(), onset.still_responding_pct(days), equal_nan=True)
    infusions = _line(ax, "infusion days (example schedule)")
    assert tuple(infusions.get_xdata()) == onset.COURSE_INFUSION_DAYS


def test_png_encoder_keeps_every_pixel():
    """The demos' own PNG writer decodes (with Pillow) to exactly the pixels matplotlib drew."""
    import io

    import numpy as np
    from PIL import Image

    from ketamine_course.demos.base import _encode_png

    demo = demos.half_life(2.5)
    demo.figure.canvas.draw()
    drawn = np.asarray(demo.figure.canvas.buffer_rgba())
    decoded = np.asarray(Image.open(io.BytesIO(_encode_png(demo.figure.canvas))).convert("RGBA"))
    assert decoded.shape == drawn.shape
    assert (decoded == drawn).all()


@pytest.mark.parametrize("value", ["3", "0", "two", ""])
def test_pixel_density_setting_is_checked(monkeypatch, value):
    from ketamine_course.demos import base

    monkeypatch.setenv(base.PIXEL_DENSITY_ENV, value)
    with pytest.raises(ValueError, match="must be 1 or 2"):
        base._pixel_density()


def test_pixel_density_setting_is_read(monkeypatch):
    from ketamine_course.demos import base

    monkeypatch.setenv(base.PIXEL_DENSITY_ENV, "1")
    assert base._pixel_density() == 1
    monkeypatch.delenv(base.PIXEL_DENSITY_ENV)
    assert base._pixel_density() == 2


def _png_size(png: bytes) -> tuple[int, int]:
    import io

    from PIL import Image

    return Image.open(io.BytesIO(png)).size


def _in_a_fresh_loop(coroutine_function):
    """Run ``coroutine_function()`` in an event loop of its own thread (the test session may run a loop already)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine_function()).result()


def test_browser_moves_that_redraw_everything_show_a_draft_then_the_sharp_figure(monkeypatch):
    """In a running kernel, a move that needs a whole new drawing shows a 1x draft at once and the sharp figure
    once the controls are still; a newer move cancels the older sharpening; blitted moves are sharp at once."""
    import asyncio

    from ketamine_course.demos import base

    monkeypatch.setattr(base, "_kernel_loop", asyncio.get_running_loop)  # as inside a kernel

    async def scenario():
        demo = demos.half_life()
        sharp = _png_size(demo.image.value)
        demo.controls["scale"].value = "log"  # new y scale, and its frame is not redrawn: a whole new drawing
        draft = _png_size(demo.image.value)
        demo.controls["scale"].value = "linear"
        await asyncio.sleep(base.SHARPEN_AFTER_S / 2)
        assert _png_size(demo.image.value) == draft  # the first move's sharpening was cancelled
        await asyncio.sleep(base.SHARPEN_AFTER_S * 2)
        after = _png_size(demo.image.value)

        half = demos.half_life()
        half.controls["half_life_h"].value = 6.0  # dynamic artists only: blitted, sharp now
        timeline = demos.timeline()
        lo, hi = timeline.controls["era"].value
        timeline.controls["era"].value = (lo + 5, hi)  # new x limits, but its x axis is dynamic: blitted
        return (sharp, draft, after, _png_size(half.image.value), _png_size(half._default_png),
                _png_size(timeline.image.value), _png_size(timeline._default_png))

    sharp, draft, after, half_now, half_default, timeline_now, timeline_default = _in_a_fresh_loop(scenario)
    assert after == sharp
    assert draft == (sharp[0] // base.PIXEL_DENSITY, sharp[1] // base.PIXEL_DENSITY)
    assert half_now == half_default
    assert timeline_now == timeline_default


def test_moves_outside_a_kernel_are_always_sharp():
    """Without a kernel, even with an event loop running (as a browser-test library may leave one), no draft."""
    async def scenario():
        demo = demos.timeline()
        sharp = _png_size(demo.image.value)
        lo, hi = demo.controls["era"].value
        demo.controls["era"].value = (lo + 5, hi)
        return sharp, _png_size(demo.image.value)

    sharp, now = _in_a_fresh_loop(scenario)
    assert now == sharp


def test_blitting_keeps_hidden_dynamic_artists_hidden():
    """The Blitter hides the dynamic artists to capture the background; one the demo hid must stay hidden."""
    from ketamine_course.demos.base import Blitter, new_figure

    fig = new_figure()
    ax = fig.add_subplot()
    shown_line, = ax.plot([0, 1], [0, 1])
    hidden_line, = ax.plot([0, 1], [1, 0])
    hidden_line.set_visible(False)
    blitter = Blitter(fig, [shown_line, hidden_line])
    blitter.render()  # the first render is a full draw
    blitter.render()  # the second captures the background, then blits
    assert shown_line.get_visible() and not hidden_line.get_visible()


def _pixels(png: bytes):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


@pytest.mark.parametrize("name, moves", [
    ("timeline", [dict(era=(1990, 2010)), dict(era=(1963, 1975)), dict(era=(1960, 2026), anesthesia=False)]),
    ("onset_comparison", [dict(measure="difference_vs_placebo"), dict(axis="linear", ssri=True),
                          dict(measure="remission_rate_pct"), dict(axis="log", measure="response_rate_pct")]),
])
def test_demos_that_redraw_their_axes_blit_new_limits_exactly(name, moves, monkeypatch):
    """A demo with an axis among its dynamic artists draws new limits or scales without a whole drawing,
    and the blitted figure has exactly the pixels of a whole drawing of the same state."""
    from ketamine_course.demos.base import _encode_png

    demo = getattr(demos, name)()
    assert demo._blitter.draws_axes
    demo.set(**moves[0])  # the first blitted move captures the background (one whole drawing)
    real_draw = demo.figure.canvas.draw
    for values in moves[1:] + moves[:1]:
        draws = []
        monkeypatch.setattr(demo.figure.canvas, "draw", lambda *a, **k: draws.append(1))
        demo.set(**values)
        monkeypatch.undo()
        assert draws == [], f"{values} needed a whole drawing"
        real_draw()
        whole = _pixels(_encode_png(demo.figure.canvas))
        assert (_pixels(demo.image.value) == whole).all(), f"{values}: blitted pixels differ from a whole drawing"


def test_the_text_cache_draws_the_pixels_agg_draws():
    """CachingCanvas replays remembered glyphs: every demo, drawn twice (remembered the second time), and texts
    rotated, not antialiased, or with math, give exactly the pixels of matplotlib's own Agg canvas."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from ketamine_course.demos import textcache
    from ketamine_course.demos.base import new_figure

    assert textcache.SUPPORTED  # the pinned matplotlib: otherwise the cache is off and this tests nothing

    def pixels(fig, canvas_class):
        canvas_class(fig)
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()

    fig = new_figure()
    ax = fig.add_subplot()
    ax.set_title("Mg$^{2+}$ block at $-70$ mV")
    ax.text(0.5, 0.5, "rotated 30 degrees", rotation=30)
    ax.text(0.1, 0.2, "not antialiased", antialiased=False)
    ax.set_ylabel("current (pA)")
    figures = [fig] + [make().figure for make in demos.registry().values()]
    for figure in figures:
        reference = pixels(figure, FigureCanvasAgg)
        textcache._glyphs.clear()
        for _ in range(2):  # rendered, then remembered
            assert (pixels(figure, textcache.CachingCanvas) == reference).all()


def test_a_state_seen_before_is_shown_again_without_drawing(monkeypatch):
    """Revisiting control values shows the same sharp PNG without a draw; the store keeps SEEN_STATES states."""
    from ketamine_course.demos import base

    demo = demos.onset_comparison()
    assert not demo._seen  # the first (whole) drawing is not kept: see Demo.__init__
    demo.set(measure="difference_vs_placebo")  # new y limits: a whole new drawing
    difference = demo.image.value
    demo.set(measure="response_rate_pct")
    first = demo.image.value
    draws = []
    monkeypatch.setattr(demo.figure.canvas, "draw", lambda *a, **k: draws.append(1))
    demo.set(measure="response_rate_pct")
    assert demo.image.value == first and draws == []
    demo.set(measure="difference_vs_placebo")
    assert demo.image.value == difference and draws == []
    monkeypatch.undo()
    # after a cached move that changed the axes, the next new state is drawn in full and correctly
    demo.set(axis="linear")
    fresh = demos.onset_comparison(axis="linear", measure="difference_vs_placebo")
    assert _png_size(demo.image.value) == _png_size(fresh.image.value)
    half = demos.half_life()
    for k in range(base.SEEN_STATES + 5):
        half.set(half_life_h=0.5 + 0.5 * (k % 24))
    assert len(half._seen) <= base.SEEN_STATES


def test_a_move_sends_the_figure_and_its_text_alternative_in_one_message():
    """The kernel sends the new PNG and the image's title (the state's description) as one widget update."""
    demo = demos.mg_block()

    class Comm:
        """What a widget needs of its kernel comm: an id, a message handler and send."""
        kernel, comm_id = object(), "test-one-message"

        def __init__(self):
            self.sent = []

        def on_msg(self, _handler):
            pass

        def send(self, data=None, buffers=None, **_kwargs):
            self.sent.append(data)

    comm = Comm()
    demo.image.comm = comm
    try:
        demo.controls["voltage_mv"].value = -20.0
    finally:
        widgets.widget._instances.pop(comm.comm_id, None)
    updates = [m for m in comm.sent if m.get("method") == "update"]
    assert len(updates) == 1
    assert set(updates[0]["state"]) == {"tooltip"} and updates[0]["buffer_paths"] == [["value"]]  # the PNG: a buffer
    assert updates[0]["state"]["tooltip"] == demo.description and "At -20 mV" in demo.description
