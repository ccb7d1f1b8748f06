"""What a person sees in the concept demos (issue 11): bad arguments, notes off the data, honest controls.

Each test checks the rendered result: artist positions in display pixels, drawn
data, widget labels, not just that an artist exists.
"""

import json

import numpy as np
import pytest

from ketamine_course import demos, pk

from .conftest import NOTEBOOKS


# Found item 8: out-of-range arguments raise a ValueError naming the range or the choices ------------

BAD_ARGUMENTS = [
    ("plasma_curve", dict(weight_kg=500), r"weight_kg \(kg\) must be between 40 and 120 kg; got 500"),
    ("plasma_curve", dict(dose_mg_per_kg=50), r"dose_mg_per_kg \(mg/kg\) must be between 0.1 and 1 mg/kg"),
    ("plasma_curve", dict(route="rectal"), r"route must be one of iv_bolus, iv_infusion, .*; got 'rectal'"),
    ("plasma_curve", dict(model="opentiva"), r"model must be one of clements1981"),
    ("evidence_explorer", dict(condition="migraine"),
     r"condition must be one of treatment-resistant depression, .*chronic pain; got 'migraine'"),
    ("half_life", dict(half_life_h=0), r"half_life_h \(h\) must be between 0.5 and 12 h; got 0"),
    ("half_life", dict(scale="logarithmic"), r"scale must be one of linear, log"),
    ("mg_block", dict(voltage_mv=-200), r"voltage_mv \(mV\) must be between -100 and 40 mV"),
    ("mg_block", dict(mg_mm=10), r"mg_mm \(mM\) must be between 0 and 4 mM"),
    ("occupancy", dict(form="ketamine"), r"form must be one of racemic ketamine"),
    ("occupancy", dict(concentration_um=1000), r"concentration_um \(µM\) must be between 0.01 and 100"),
    ("coincidence", dict(glutamate=1), r"glutamate must be True or False"),
    ("trapping_block", dict(pulse_hz=10), r"pulse_hz \(Hz\) must be between 0 and 5 Hz"),
    ("disinhibition", dict(block_fraction=1.5), r"block_fraction .* must be between 0 and 1"),
    ("spines", dict(view="gone"), r"view must be one of intact, removed"),
    ("esketamine_spray", dict(dose_mg=30), r"dose_mg \(mg\) must be one of 28, 56, 84 mg"),
    ("onset_comparison", dict(measure="hamd"), r"measure must be one of response_rate_pct"),
    ("onset_comparison", dict(treatments=("ketamine",)), r"treatments must be one of ketamine_iv_single"),
    ("onset_comparison", dict(axis="sqrt"), r"axis must be one of log, linear"),
    ("course_vs_single", dict(view="all"), r"view must be one of single, course, both"),
    ("adverse_effects", dict(order="name"), r"order must be one of drug, excess"),
    ("timeline", dict(era=(1950, 2000)), r"era\[0\] must be between 1960 and 2026; got 1950"),
    ("timeline", dict(era=(2000, 1990)), r"era\[1\] must be between 2000 and 2026; got 1990"),
    ("timeline", dict(categories=["music"]), r"categories must be one of chemistry"),
]


@pytest.mark.parametrize("name, kwargs, message", BAD_ARGUMENTS,
                         ids=[f"{n}-{next(iter(k))}" for n, k, _ in BAD_ARGUMENTS])
def test_demo_rejects_out_of_range_arguments(name, kwargs, message):
    with pytest.raises(ValueError, match=message):
        getattr(demos, name)(**kwargs)


def test_a_dose_far_outside_the_models_data_is_an_error():
    """50 mg/kg once returned 28,536 ng/mL without a word; the label's largest dose is 13 mg/kg (IM)."""
    assert pk.KETALAR_MAX_DOSE_MG_PER_KG == 13.0
    with pytest.raises(ValueError, match=r"between 0 and 13 mg/kg, the largest dose on the Ketalar label.*got 50"):
        pk.simulate(50, route="iv_bolus")
    assert pk.simulate(13, route="im").peak()[1] > 0  # the label's own largest dose still runs


def test_break_a_row_exercise_prints_its_message_without_a_traceback():
    import nbformat

    nb = nbformat.read(next(p for p in NOTEBOOKS if p.name.startswith("00_")), as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "bad_rows" in c.source)
    broken = cell.source.replace('"date": "1962"', '"date": "19x2"')
    assert broken != cell.source
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile("from ketamine_course import data\n" + broken, "cell", "exec"), {})
    text = out.getvalue()
    assert text.startswith("rejected: my_table.csv, row 2, column 'date': '19x2' is not an ISO date")
    assert "Traceback" not in text


def test_00_no_longer_says_notebooks_are_in_preparation():
    text = (NOTEBOOKS[0]).read_text(encoding="utf-8")
    assert "in preparation" not in " ".join(
        "".join(c["source"]) for c in json.loads(text)["cells"] if c["cell_type"] == "markdown")


# Found items 4, 5, 7 and 9: what the rendered figures and controls show -----------------------------

def _renderer(demo):
    demo.figure.canvas.draw()
    return demo.figure.canvas.get_renderer()


def _box(artist, renderer):
    patch = getattr(artist, "get_bbox_patch", lambda: None)()
    return (patch or artist).get_window_extent(renderer)


def _data_lines(ax):
    return [line for line in ax.get_lines() if len(line.get_xydata()) > 0]


def test_onset_key_is_outside_the_axes_and_off_every_point():
    demo = demos.onset_comparison()
    r = _renderer(demo)
    ax = demo.figure.axes[0]
    key = demo.figure.legends[0].get_window_extent(r)
    assert key.y1 <= ax.get_window_extent(r).y0, "the key sits below the plotting area"
    assert key.y1 <= min(t.get_window_extent(r).y0 for t in ax.get_xticklabels() if t.get_text())
    assert key.x0 >= 0 and key.x1 <= demo.figure.bbox.x1


@pytest.mark.parametrize("pulse_hz, keep, voltage", [(0.25, True, -70), (1.0, True, -70), (5.0, True, -100),
                                                     (5.0, False, 0), (2.5, False, -40)])
def test_trapping_stamp_covers_no_washout_data(pulse_hz, keep, voltage):
    demo = demos.trapping_block(pulse_hz=pulse_hz, agonist_after_washout=keep, voltage_mv=voltage)
    r = _renderer(demo)
    top = demo.figure.axes[0]
    stamp = next(t for t in top.texts if t.get_text().startswith("Illustrative rate constants"))
    lines = _data_lines(top)
    assert len(lines) == 2
    from ketamine_course.demos.placement import covered_points

    assert covered_points(stamp, lines, r) == 0
    box = _box(stamp, r)
    assert box.y0 > top.transData.transform((0, 0.61))[1], "the stamp sits above the highest block (0.61)"


@pytest.mark.parametrize("form", ["racemic ketamine", "esketamine (S)", "arketamine (R)"])
def test_occupancy_note_is_not_crossed_by_any_curve(form):
    from ketamine_course.demos.placement import covered_points

    demo = demos.occupancy(form=form)
    r = _renderer(demo)
    ax = demo.figure.axes[0]
    note = next(t for t in ax.texts if t.get_text().startswith("peak plasma"))
    curves = [line for line in ax.get_lines() if len(line.get_xdata()) > 100]
    assert len(curves) == 3
    assert covered_points(note, curves, r) == 0


@pytest.mark.parametrize("route", ["iv_infusion", "iv_bolus", "im", "oral"])
@pytest.mark.parametrize("scale", ["linear", "log"])
def test_plasma_note_and_key_stay_off_the_curves(route, scale):
    from ketamine_course.demos.placement import covered_points

    demo = demos.plasma_curve(route=route, scale=scale, dose_mg_per_kg=1.0, weight_kg=40.0)
    r = _renderer(demo)
    ax = demo.figure.axes[0]
    note = next(t for t in ax.texts if t.get_text().startswith("bioavailability"))
    curves = [line for line in ax.get_lines() if len(line.get_xdata()) > 100]  # induction and your choice
    assert len(curves) == 2
    assert covered_points(note, curves, r) == 0
    others = [t for t in ax.texts if t is not note and t.get_text()]
    for other in others:
        assert not _box(note, r).overlaps(_box(other, r)), other.get_text()
    assert demo.figure.legends[0].get_window_extent(r).y1 <= ax.get_window_extent(r).y0


def test_pyramidal_baseline_label_is_not_struck_through():
    demo = demos.disinhibition()
    r = _renderer(demo)
    right = demo.figure.axes[1]
    label = next(t for t in right.texts if t.get_text() == "pyramidal baseline")
    baseline = next(line for line in right.get_lines() if line.get_linestyle() == "--")
    y_line = right.transData.transform((0, baseline.get_ydata()[0]))[1]
    box = label.get_window_extent(r)
    assert not box.y0 <= y_line <= box.y1, "the dashed line runs through the label"
    assert box.y1 < y_line, "the label sits under the line, where the pyramidal curve never goes at low block"


@pytest.mark.parametrize("demo_name", ["half_life", "plasma_curve"])
def test_log_axis_relayout_keeps_labels_inside_the_figure(demo_name):
    demo = getattr(demos, demo_name)()
    demo.set(scale="log")
    r = _renderer(demo)
    fig_box = demo.figure.bbox
    for ax in demo.figure.axes:
        for label in (ax.yaxis.label, ax.xaxis.label):
            if label.get_text():
                box = label.get_window_extent(r)
                assert box.x0 >= 0 and box.x1 <= fig_box.x1 and box.y0 >= 0, label.get_text()
    secondary = [c for c in demo.figure.axes[0].get_children() if hasattr(c, "get_ylabel") and c.get_ylabel()]
    for ax in secondary:
        assert ax.yaxis.label.get_window_extent(r).x1 <= fig_box.x1


def test_onset_difference_view_names_what_it_cannot_show_and_fits_the_data():
    demo = demos.onset_comparison()
    demo.set(measure="difference_vs_placebo", ssri=True)
    ax = demo.figure.axes[0]
    note = next(t for t in ax.texts if t.get_text().startswith("Not shown in this view"))
    text = note.get_text()
    assert "ketamine: no difference reported" in text
    assert "esketamine spray: difference given in MADRS points only" in text
    assert "ECT: no placebo-controlled values" in text
    assert "SSRIs" not in text
    ys = np.concatenate([line.get_ydata() for line in ax.get_lines()
                         if line.get_linestyle() == "None" and len(line.get_ydata())])
    low, high = ax.get_ylim()
    assert high < 30 and low < ys.min() and ys.max() < high, "the y axis fits the 4-12 point gap"
    assert (ys.max() - ys.min()) / (high - low) > 0.3, "the data use a good part of the axis"
    boxes = {k: demo.controls[k].description for k in demos.ONSET_TREATMENTS}
    assert boxes["ect"].endswith("(no data in this view)") and not boxes["ssri"].endswith("view)")
    from ketamine_course.demos.placement import covered_points

    assert covered_points(note, [line for line in ax.get_lines() if len(line.get_xdata())], _renderer(demo)) == 0
    demo.set(measure="response_rate_pct", ssri=True)
    assert note.get_text() == "Not shown in this view:\nSSRIs: no values for this measure"
    demo.set(ssri=False)
    assert note.get_text() == "", "nothing is missing: no note (an empty text draws nothing)" and ax.get_ylim() == (-5, 100)
    assert demo.controls["ect"].description == demos.ONSET_TREATMENTS["ect"]


def test_coincidence_buttons_say_their_state_in_words():
    demo = demos.coincidence(glutamate=False, glycine=True)
    glu, gly = demo.controls["glutamate"], demo.controls["glycine"]
    assert glu.description == "glutamate: off" and glu.icon == ""
    assert gly.description == "glycine / D-serine: on" and gly.icon == "check"
    demo.set(glutamate=True)
    assert glu.description == "glutamate: on" and glu.icon == "check"
    for button in demo.controls.values():
        assert button.layout.width == "auto", "a fixed width cut labels short"


def test_coincidence_explains_3_1_against_10_2_pa():
    demo = demos.coincidence(glutamate=True, glycine=True, depolarised=False)
    ax = demo.figure.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "3.1 pA" in texts
    assert any("1 nS x 70 mV driving force x 4.4% free" in t for t in texts)
    demo.set(depolarised=True)
    texts = [t.get_text() for t in ax.texts]
    assert "10.2 pA" in texts
    assert any("1 nS x 20 mV driving force x 50.8% free" in t for t in texts)
    assert "driving force" in demo.caption and "4%" in demo.caption


def test_toggle_buttons_size_to_their_labels():
    import ipywidgets as widgets

    for name in ("spines", "adverse_effects", "course_vs_single", "onset_comparison"):
        demo = getattr(demos, name)()
        toggles = [c for c in demo.controls.values() if isinstance(c, widgets.ToggleButtons)]
        assert toggles and all(t.style.button_width == "auto" for t in toggles), name


def test_evidence_labels_wrap_instead_of_being_cut():
    from ketamine_course import safety

    demo = demos.evidence_explorer()
    r = _renderer(demo)
    ax = demo.figure.axes[0]
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert labels == [row["condition"] for row in safety.conditions()]
    assert not any("..." in t for t in labels)
    for t in ax.get_yticklabels():
        assert t.get_window_extent(r).x0 >= 0, t.get_text()


def test_pk_model_menu_uses_readable_names():
    demo = demos.plasma_curve()
    labels = [label for label, _key in demo.controls["model"].options]
    assert labels[0] == "Clements & Nimmo 1981 (2 compartments)"
    assert "Herd & Anderson 2007 (children, 2 compartments)" in labels
    assert not any("opentiva" in label or "'" in label for label in labels)
    note = next(t for t in demo.figure.axes[0].texts if t.get_text().startswith("bioavailability"))
    assert "model: Clements & Nimmo 1981 (2 compartments)" in note.get_text()


def test_timeline_squeezed_to_one_year_has_whole_year_ticks_inside_the_figure():
    demo = demos.timeline()
    demo.set(era=(1998, 1998))
    r = _renderer(demo)
    ax = demo.figure.axes[0]
    low, high = ax.get_xlim()
    ticks = [t for t in ax.get_xticks() if low <= t <= high]
    assert ticks and all(float(t).is_integer() for t in ticks)
    for label in ax.get_xticklabels():
        if label.get_text() and low <= label.get_position()[0] <= high:
            box = label.get_window_extent(r)
            assert 0 <= box.x0 and box.x1 <= demo.figure.bbox.x1, label.get_text()


def test_tables_align_prose_left_and_numbers_right():
    from ketamine_course import data

    html = data.table_html("hypotheses", ["hypothesis", "key_finding"])
    assert "<td style='text-align:left" in html and "text-align:right" not in html
    html = data.table_html("adverse_effects", ["effect", "drug_pct"]) if "drug_pct" in data.SCHEMAS[
        "adverse_effects"].names else data.table_html("onset_trials", ["treatment", "value"])
    assert "text-align:right" in html and "text-align:left" in html


def test_03_caption_calls_the_dotted_line_dotted():
    from ketamine_course import style

    demo = demos.disinhibition()
    interneuron = demo.figure.axes[0].get_lines()[1]
    assert interneuron.get_linestyle() == ":" == style.series_style(3)["linestyle"]
    assert "interneurons (dotted)" in demo.caption and "dash-dot" not in demo.caption


def test_hidden_series_stay_hidden_after_the_fast_redraw_captures_its_background():
    """course_vs_single once showed the course lines in the 'one infusion' view after the first move."""
    def drawn(line):
        return line.get_visible() and len(line.get_xdata()) > 0

    demo = demos.course_vs_single()
    demo.set(view="single")
    lines = demo.figure.axes[0].get_lines()
    assert [drawn(line) for line in lines] == [True, False, False, False, False]
    demo.set(view="course")
    assert [drawn(line) for line in lines] == [False, True, True, True, True]
    spines = demos.spines()
    spines.set(view="intact")
    removed = spines.figure.axes[0].get_lines()[1]
    assert not drawn(removed)
    spines.set(view="removed")
    assert drawn(removed)
