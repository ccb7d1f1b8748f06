"""Onset data table and the onset curves built from it."""

import csv
import math
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketamine_course import data, onset

from .conftest import DATA

ROWS = data.load_table("onset_trials")
CURVED = ("ketamine_iv_single", "esketamine_nasal_plus_ad", "ssri")


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------

def test_every_row_validates_and_cites_a_confirmed_reference():
    assert len(ROWS) > 20
    refs = data.references()
    for row in ROWS:
        assert row["study"], "every row cites a study"
        for key in row["study"]:
            assert key in refs, key
            assert refs[key].get("title"), f"{key} has no confirmed title"
            assert refs[key].get("year"), f"{key} has no confirmed year"
            assert "NOT CONFIRMED" not in refs[key].get("note", ""), key


def test_rows_are_sorted_by_treatment_then_time():
    keys = [(r["treatment"], math.inf if r["timepoint_hours"] is None else r["timepoint_hours"])
            for r in ROWS]
    assert keys == sorted(keys)


def test_percent_values_are_percentages():
    rates = [r for r in ROWS if r["statistic"].endswith("_rate_pct")]
    assert rates
    assert all(0 <= r["value"] <= 100 for r in rates)


def test_differences_state_their_unit_and_ratios_are_plain_numbers():
    for row in ROWS:
        if row["statistic"] == "difference_vs_placebo":
            assert onset.difference_unit(row) in {"percentage points", "HDRS points", "MADRS points"}, row
        if row["statistic"] in ("odds_ratio", "relative_risk"):
            assert 0 < row["value"] < 100


def test_key_values_from_the_fact_base():
    newport = [r for r in ROWS if r["study"] == ("newport2015",) and r["value"] == 9.87]
    assert len(newport) == 1
    assert newport[0]["timepoint_hours"] == 24 and newport[0]["statistic"] == "odds_ratio"
    assert newport[0]["status"] == "confirmed"
    popova = [r for r in ROWS if r["study"] == ("popova2019",) and r["statistic"] == "difference_vs_placebo"]
    assert [r["value"] for r in popova] == [-4.0] and popova[0]["timepoint_hours"] == 648
    taylor = [r for r in ROWS if r["statistic"] == "relative_risk" and r["status"] == "confirmed"]
    assert [(r["value"], r["timepoint_hours"]) for r in taylor] == [(1.64, 168)]


def test_unconfirmed_zarate_figures_are_marked_secondary_and_press_quotes_are_dropped():
    zarate = [r for r in ROWS if "zarate2006" in r["study"]]
    assert {r["value"] for r in zarate} == {71, 29, 35}
    assert all(r["status"] == "secondary" and "NOT CHECKED" in r["note"] for r in zarate)
    assert all(r["timepoint_hours"] is not None for r in zarate)
    assert not any(r["timepoint_hours"] == pytest.approx(1.83) for r in ROWS)


def test_secondary_sources_are_marked():
    for row in ROWS:
        if re.search(r"news digest|news blog|\bpress\b", row["note"]):
            assert row["status"] == "secondary", row


# ---------------------------------------------------------------------------
# Series
# ---------------------------------------------------------------------------

def test_series_is_sorted_and_skips_untimed_rows():
    hours, values, rows = onset.series("ketamine_iv_single", "response_rate_pct")
    assert list(hours) == sorted(hours)
    assert len(hours) == len(values) == len(rows) > 0
    hours, _, _ = onset.series("citalopram", "response_rate_pct")
    assert hours.size == 0, "STAR*D gives rates only at study exit"
    _, values, _ = onset.series("ketamine_iv_single", "response_rate_pct", include_secondary=False)
    assert list(values) == [52.2, 47.9, 39.8]


def test_series_filters_by_arm_and_measure():
    _, values, rows = onset.series("esketamine_nasal_plus_ad", "response_rate_pct", arm="placebo")
    assert all(r["arm"] == "placebo" for r in rows) and len(values) == 3
    _, _, rows = onset.series("ketamine_iv_single", "response_rate_pct", measure="MADRS")
    assert rows and all(r["measure"] == "MADRS" for r in rows)


# ---------------------------------------------------------------------------
# Curves
# ---------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(hours=st.floats(min_value=0.0, max_value=onset.MAX_HOURS), which=st.sampled_from(CURVED))
def test_curves_stay_between_0_and_100(hours, which):
    value = onset.onset_curve(which).at(hours)
    assert isinstance(value, float)
    assert 0.0 <= value <= 100.0


@settings(max_examples=50, deadline=None)
@given(hours=st.lists(st.floats(min_value=0.0, max_value=onset.MAX_HOURS), min_size=1, max_size=20),
       which=st.sampled_from(CURVED))
def test_curve_is_vectorised(hours, which):
    curve = onset.onset_curve(which)
    values = curve.at(hours)
    assert values.shape == (len(hours),)
    assert np.all((values >= 0) & (values <= 100))
    assert values[0] == pytest.approx(curve.at(hours[0]))


def test_single_ketamine_dose_rises_then_fades():
    curve = onset.onset_curve("ketamine_iv_single")
    assert curve.model == "rise_decay" and curve.statistic == "response_rate_pct"
    t_peak, peak = curve.peak()
    assert 4.0 <= t_peak <= 72.0
    assert curve.at(168.0) < peak
    assert curve.at(0.0) == 0.0
    grid = np.linspace(0, onset.MAX_HOURS, 20001)
    assert curve.at(grid).max() <= peak + 1e-9


def test_ssri_effect_builds_over_weeks():
    curve = onset.onset_curve("ssri")
    assert curve.at(168.0) < curve.at(1344.0)
    assert curve.unit == "percentage points"
    assert "secondary" in curve.note


def test_fitted_curves_pass_near_their_points():
    for which in CURVED:
        curve = onset.onset_curve(which)
        for hours, value, _, _ in curve.points:
            assert abs(curve.at(hours) - value) < 6.0, (which, hours)


def _spy_curve_fit(monkeypatch):
    import scipy.optimize

    calls = []
    real = scipy.optimize.curve_fit

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(scipy.optimize, "curve_fit", spy)
    onset._onset_curve.cache_clear()
    return calls


def test_kind_is_fitted_only_when_curve_fit_ran(monkeypatch):
    calls = _spy_curve_fit(monkeypatch)
    try:
        for which in CURVED:
            before = len(calls)
            curve = onset.onset_curve(which)
            n_times = len({p[0] for p in curve.points})
            n_params = len(curve.params)
            assert curve.kind == ("fitted" if n_times >= n_params else "illustrative")
            assert (len(calls) > before) == (curve.kind == "fitted")
    finally:
        onset._onset_curve.cache_clear()


@pytest.fixture
def thin_data(tmp_path):
    """A copy of the table keeping only the 24 h ketamine response rates."""
    shutil.copy(DATA / "references.bib", tmp_path / "references.bib")
    with (DATA / "onset_trials.csv").open(newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader
                if not (r["treatment"] == "ketamine_iv_single" and r["timepoint_hours"] != "24")]
        fields = reader.fieldnames
    with (tmp_path / "onset_trials.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return tmp_path


def test_too_few_timepoints_give_an_illustrative_curve(monkeypatch, thin_data):
    calls = _spy_curve_fit(monkeypatch)
    try:
        curve = onset.onset_curve("ketamine_iv_single", data_dir=thin_data)
    finally:
        onset._onset_curve.cache_clear()
    assert curve.kind == "illustrative" and not calls
    assert "ILLUSTRATIVE" in curve.note and "assumed" in curve.note
    assert curve.at(24.0) == pytest.approx(52.2, abs=0.5)


def test_curve_params_cannot_change_the_cached_curve():
    curve = onset.onset_curve("ssri")
    curve.params["amplitude_pct"] = 99.0
    assert onset.onset_curve("ssri").params["amplitude_pct"] != 99.0


def test_ect_curve_is_illustrative_from_one_timed_point():
    curve = onset.onset_curve("ect")
    assert curve.kind == "illustrative"
    assert curve.at(168.0) == pytest.approx(54.0, abs=1.0)  # Husain 2004: 54% first response by week 1


def test_treatments_without_timed_rates_have_no_curve():
    for which in ("citalopram", "ketamine_iv_repeated"):
        with pytest.raises(ValueError, match="no timed response_rate_pct rows"):
            onset.onset_curve(which)


# ---------------------------------------------------------------------------
# Summaries
# ---------------------------------------------------------------------------

def test_ketamine_separates_from_placebo_before_an_ssri():
    ket, ket_why = onset.time_to_separation_hours("ketamine_iv_single")
    ssri, ssri_why = onset.time_to_separation_hours("ssri")
    esk, esk_why = onset.time_to_separation_hours("esketamine_nasal_plus_ad")
    assert ket == 24.0 and "newport2015" in ket_why
    assert ssri == 168.0 and "taylor2006" in ssri_why
    assert ket < ssri
    # The table compares esketamine with placebo at 24 h (Turkoz 2021) without a test, so the first
    # tested row (day 28) must not be reported as the onset: a missing row is not a finding.
    assert esk is None and "not reported" in esk_why and "turkoz2021" in esk_why and "popova2019" in esk_why


def test_no_separation_summary_outruns_its_table():
    """Every time returned is a timepoint the table holds, and no earlier placebo comparison lacks a test."""
    for which in onset.TREATMENTS:
        hours, why = onset.time_to_separation_hours(which, include_secondary=True)
        if hours is None:
            continue
        timed = [r for r in onset.trials() if r["treatment"] == which and r["timepoint_hours"] is not None]
        assert hours in {r["timepoint_hours"] for r in timed}
        assert all(r["timepoint_hours"] >= hours for r in timed
                   if r["arm"] == "active" and r["statistic"] in ("difference_vs_placebo", "odds_ratio",
                                                                   "relative_risk"))


def test_open_label_studies_give_no_separation():
    for which in ("ketamine_iv_repeated", "citalopram"):
        hours, why = onset.time_to_separation_hours(which)
        assert hours is None and which in why


def test_time_to_response():
    ket, why = onset.time_to_response_hours("ketamine_iv_single")
    assert 1.0 <= ket < 24.0 and "assumed" in why
    esk, why = onset.time_to_response_hours("esketamine_nasal_plus_ad")
    assert ket < esk < 648.0 and "turkoz2021" in why
    assert onset.time_to_response_hours("ketamine_iv_single", threshold_pct=90)[0] is None
    ssri, why = onset.time_to_response_hours("ssri")
    assert ssri is None and "not defined" in why
    assert onset.time_to_response_hours("citalopram")[0] is None


def test_single_dose_duration_comes_from_placebo_controlled_data():
    days, why = onset.single_dose_duration_days()
    assert days == 10.0 and "kishimoto2016" in why and "10-12" in why and "placebo" in why
    from ketamine_course import data
    assert "kishimoto2016" in data.reference_keys()


def test_elektd_rows_hold_their_published_values():
    rows = [r for r in onset.trials() if r["study"] == ("anand2023",)]
    got = {(r["treatment"], r["arm"]): (r["value"], r["n"], r["measure"]) for r in rows}
    assert got == {("ketamine_iv_repeated", "active"): (55.4, 195, "QIDS-SR16"),
                   ("ect", "comparison"): (41.2, 170, "QIDS-SR16")}
    assert all("non-inferiority" in r["note"] and "open-label" in r["note"] for r in rows)


def test_relapse_median_is_18_days():
    days, why = onset.relapse_median_days()
    assert days == 18.0
    assert "murrough2013" in why and "last infusion" in why


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda: onset.onset_curve("lsd"), r"treatment must be one of .*ketamine_iv_single.*'lsd'"),
    (lambda: onset.series("aspirin", "response_rate_pct"), r"treatment must be one of"),
    (lambda: onset.series("ssri", "speed"), r"statistic must be one of .*odds_ratio"),
    (lambda: onset.series("ssri", "relative_risk", arm="both"), r"arm must be one of"),
    (lambda: onset.time_to_separation_hours("tea"), r"treatment must be one of"),
    (lambda: onset.time_to_response_hours("ssri", threshold_pct=150), r"threshold_pct \(%\) must be greater than 0 and at most 100 %; got 150"),
    (lambda: onset.time_to_response_hours("ssri", threshold_pct=float("nan")), r"threshold_pct"),
    (lambda: onset.onset_curve("ssri").at(-1.0), r"hours \(h after the first dose\) must be between 0 and 2016 h after the first dose; got -1"),
    (lambda: onset.onset_curve("ssri").at([1.0, float("nan")]), r"hours .* must be finite"),
    (lambda: onset.onset_curve("ssri").at(5000), r"hours .* between 0 and 2016 h after the first dose; got 5000"),
    (lambda: onset.onset_curve("ssri").at("soon"), r"hours .* must be a number"),
])
def test_bad_input_names_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_import_is_light():
    code = ("import sys, ketamine_course.onset; "
            "bad = [m for m in ('matplotlib', 'ipywidgets', 'scipy') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_course_response_and_relapse_model_come_from_murrough_2013():
    """70.8% responded after up to six infusions in 12 days; responders relapsed after a median 18 days."""
    assert onset.course_response_pct() == pytest.approx(70.8)
    median, _ = onset.relapse_median_days()
    assert median == pytest.approx(18.0)
    still = onset.still_responding_pct([onset.COURSE_DAYS + 1e-9, onset.COURSE_DAYS + median,
                                        onset.COURSE_DAYS + 2 * median])
    assert still == pytest.approx([70.8, 70.8 / 2, 70.8 / 4])
    assert np.isnan(onset.still_responding_pct(5.0))
    assert len(onset.COURSE_INFUSION_DAYS) == 6 and max(onset.COURSE_INFUSION_DAYS) < onset.COURSE_DAYS


def test_relapse_model_rejects_days_outside_twelve_weeks():
    with pytest.raises(ValueError, match=r"days \(days after the first infusion\) must be between 0 and 84"):
        onset.still_responding_pct(100.0)
