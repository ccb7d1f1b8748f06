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
