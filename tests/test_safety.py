"""Benefit and risk data for notebook 06."""

import pytest

from ketamine_course import safety


def test_number_needed_to_harm():
    assert safety.number_needed_to_harm(33.9, 5.8) == pytest.approx(100 / 28.1)
    with pytest.raises(ValueError, match="drug_pct must exceed placebo_pct"):
        safety.number_needed_to_harm(10.0, 20.0)
    with pytest.raises(ValueError, match=r"placebo_pct must be between 0 and 100 %"):
        safety.number_needed_to_harm(10.0, -1.0)


def test_paired_rates_come_from_one_trial_and_include_headache_as_a_placebo_match():
    rates = {r["effect"]: r for r in safety.paired_rates()}
    assert len(rates) >= 10
    assert rates["headache"]["excess_pct"] == pytest.approx(-0.1)
    dissociation = next(r for e, r in rates.items() if e.startswith("dissociation"))
    assert dissociation["drug_pct"] == 33.9 and dissociation["placebo_pct"] == 5.8
    with pytest.raises(ValueError, match="source"):
        safety.paired_rates("nosuchsource")


def test_evidence_covers_the_required_conditions_and_approvals():
    rows = {r["condition"]: r for r in safety.conditions()}
    needed = ("treatment-resistant depression", "bipolar depression", "chronic pain")
    assert all(n in rows for n in needed)
    assert any("PTSD" in c for c in rows) and any("OCD" in c for c in rows) and any("anxiety" in c for c in rows)
    approved = [c for c, r in rows.items() if r["approval_status"] == "approved (esketamine)"]
    assert len(approved) == 2 and all(rows[c]["approved_product"] for c in approved)
    assert safety.strength_rank("strong") == 3
    with pytest.raises(ValueError, match="strength must be one of"):
        safety.strength_rank("excellent")


def test_session_timings_match_the_label():
    timings = {r["effect"].split(" ")[0]: r["resolves_by_min"] for r in safety.session_timings()}
    assert timings["increased"] == 240  # blood pressure: about 4 hours
    assert 60 <= timings["dissociation"] <= 120


def test_trd_evidence_names_the_failed_trials_and_the_withdrawal_design():
    trd = next(r for r in safety.conditions() if r["condition"] == "treatment-resistant depression")
    # Two of the three short-term esketamine trials missed their primary endpoint: rated with that in view.
    assert trd["evidence_strength"] == "moderate"
    text = trd["key_findings"] + " " + trd["caveats"]
    for trial in ("TRANSFORM-1", "TRANSFORM-3", "TRANSFORM-2", "SUSTAIN-1", "ELEKT-D"):
        assert trial in text, trial
    assert "did not" in trd["key_findings"] and "randomised withdrawal" in trd["key_findings"]
    assert {"fedgchin2019", "ochsross2020", "daly2019", "popova2019", "anand2023"} <= set(trd["source"])
    assert "p=0.088" in trd["note"] and "p=0.059" in trd["note"]


def test_every_label_table_rate_has_its_placebo_rate():
    from ketamine_course import data

    label_rates = [r for r in data.load_table("adverse_effects")
                   if r["extraction"] == "label" and r["frequency_pct"] is not None]
    assert len(label_rates) >= 4
    assert all(r["placebo_pct"] is not None for r in label_rates), [r["effect"] for r in label_rates]
    rates = {r["effect"]: (r["frequency_pct"], r["placebo_pct"]) for r in label_rates}
    assert rates["dissociation (reported adverse event)"] == (41, 9)
    assert rates["dizziness"] == (29, 8)
    assert rates["sedation (reported adverse event)"] == (23, 9)
    assert not any("placebo rate was not given" in (r["note"] or "") for r in label_rates)


def test_label_warnings_are_in_the_table():
    from ketamine_course import data

    effects = " | ".join(r["effect"] for r in data.load_table("adverse_effects"))
    for needed in ("boxed warning", "respiratory depression", "embryo-fetal", "breastfeeding",
                   "CNS depressants, psychostimulants, MAOIs", "compounded nasal ketamine (2022"):
        assert needed in effects, needed
