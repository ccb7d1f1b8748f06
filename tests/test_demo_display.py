"""How a demo is shown: sharp and at its CSS size, legible, and scaled as a whole in presentation mode."""

import ipywidgets as widgets
import pytest

from ketamine_course import demos, style
from ketamine_course.demos import base


@pytest.fixture(autouse=True)
def _normal_mode_after():
    yield
    style.set_presentation(False)


def test_figure_is_rendered_at_twice_its_css_size_and_shown_at_it():
    demo = demos.mg_block()
    w_in, h_in = demo.figure.get_size_inches()
    assert (w_in, h_in) == pytest.approx(base.FIGSIZE)
    from PIL import Image
    import io

    png = Image.open(io.BytesIO(demo.image.value))
    assert png.size == (round(w_in * 180), round(h_in * 180))  # 90 CSS px per inch, 2 device px per CSS px
    assert demo.image.width == "630" and demo.image.layout.width == "630px"
    data, metadata = demo._repr_mimebundle_()
    assert metadata["image/png"] == {"width": 630, "height": 342}


def test_presentation_scales_figure_fonts_and_controls_together():
    normal = demos.mg_block()
    style.set_presentation(True)
    big = demos.mg_block()
    ratio = big.figure.get_size_inches() / normal.figure.get_size_inches()
    # 1.5x wider like the fonts; taller only up to the projector's room (3.8 in -> 400 px, 1.17x)
    assert ratio == pytest.approx([1.5, base.PRESENTATION_MAX_HEIGHT_PX / (3.8 * base.CSS_PX_PER_INCH)])
    assert base.css_size(big.figure, presenting=True)[1] == base.PRESENTATION_MAX_HEIGHT_PX
    assert big.css_px_per_inch == base.CSS_PX_PER_INCH  # shown at full size: its text is 1.5x on screen
    assert big.figure.axes[0].title.get_fontsize() == pytest.approx(1.5 * normal.figure.axes[0].title.get_fontsize())
    assert base.PRESENTING_CLASS in big._dom_classes and base.PRESENTING_CLASS not in normal._dom_classes
    caption = next(c for c in big.children if "role='note'" in getattr(c, "value", ""))
    assert "--jp-widgets-font-size: 20px" in caption.value  # the controls' CSS travels with the demo
    wide = [float(c.layout.width[:-2]) for c in big.controls.values() if isinstance(c, widgets.FloatSlider)]
    narrow = [float(c.layout.width[:-2]) for c in normal.controls.values() if isinstance(c, widgets.FloatSlider)]
    assert all(w > n for w, n in zip(wide, narrow))


def test_tall_presentation_figures_are_shown_smaller_but_legible():
    style.set_presentation(True)
    demo = demos.trapping_block()  # 4.6 in tall, 5.29 in presented (at least 1.15x)
    width, height = base.css_size(demo.figure, presenting=True)
    assert height == base.PRESENTATION_MAX_HEIGHT_PX
    smallest = min(t.get_fontsize() for t in demo.figure.findobj(lambda a: hasattr(a, "get_fontsize")))
    assert smallest * demo.css_px_per_inch / 72 >= 11


def test_no_text_under_11_css_px():
    demo = demos.onset_comparison()  # its legend asks for x-small
    sizes = [t.get_fontsize() for t in demo.figure.findobj(lambda a: hasattr(a, "get_fontsize"))]
    assert min(sizes) * base.CSS_PX_PER_INCH / 72 >= 11 - 1e-9


@pytest.mark.parametrize("name", ["mg_block", "trapping_block", "disinhibition", "occupancy"])
def test_slider_tracks_leave_220_px_beside_label_and_readout(name):
    demo = getattr(demos, name)()
    for control in demo.controls.values():
        if isinstance(control, (widgets.FloatSlider, widgets.FloatLogSlider)):
            label = len(control.description) * base._CHAR_PX + 12
            assert float(control.layout.width[:-2]) - label - base._READOUT_PX >= base.MIN_TRACK_PX


def test_long_titles_are_shortened_to_fit():
    fig = base.new_figure(figsize=(4.0, 3.0))
    ax = fig.add_subplot()
    ax.set_title("A title far too long for a four-inch figure, which would run off both of its edges")
    fig.canvas.draw()
    base.fit_titles(fig)
    box = ax.title.get_window_extent(fig.canvas.get_renderer())
    assert box.x0 >= 0 and box.x1 <= fig.bbox.x1
    assert ax.title.get_text().endswith("…")
    ax.set_title("Short")
    base.fit_titles(fig)
    assert ax.title.get_text() == "Short"


def test_log_axis_relays_out_so_its_label_stays_in_the_figure():
    demo = demos.half_life()
    demo.set(scale="log")
    renderer = demo.figure.canvas.get_renderer()
    label = demo.figure.axes[0].yaxis.label.get_window_extent(renderer)
    assert label.x0 >= 0


def test_onset_source_table_starts_collapsed():
    demo = demos.onset_comparison()
    accordion = demo.children[-1]
    assert isinstance(accordion, widgets.Accordion) and accordion.selected_index is None
    assert "<table" in accordion.children[0].value
