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
