"""Pooling, NNT/NNH and the blinding model of notebook 07, checked against hand calculations."""

import math
import shutil

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketamine_course import appraisal, data

from .conftest import DATA


def _row(name, effect, se, measure="madrs_points"):
    """A trials.csv-like row whose 95% CI implies exactly standard error ``se``."""
    return {"trial": name, "effect": effect, "ci_low": effect - appraisal.Z95 * se,
            "ci_high": effect + appraisal.Z95 * se, "effect_measure": measure}


# --------------------------------------------------------------------------
# pooling
# --------------------------------------------------------------------------

def test_random_effects_match_a_hand_computed_dersimonian_laird_value():
    # Effects -10, 0, -4 with variances 1, 1, 4. By hand: fixed-effect mean -44/9 = -4.8889,
    # Q = 452/9, C = 4/3, tau^2 = (Q - 2) / C = 217/6; random-effects weights 1/(v + tau^2).
    rows = [_row("a", -10.0, 1.0), _row("b", 0.0, 1.0), _row("c", -4.0, 2.0)]
    tau2 = 217 / 6
    w = np.array([1 / (1 + tau2), 1 / (1 + tau2), 1 / (4 + tau2)])
    by_hand = float(w @ [-10.0, 0.0, -4.0] / w.sum())
    assert by_hand == pytest.approx(-4.68369, abs=1e-5)
    pooled = appraisal.pool(rows, "random")
    assert pooled.tau2 == pytest.approx(tau2)
    assert pooled.estimate == pytest.approx(by_hand)
    se = 1 / math.sqrt(w.sum())
    assert (pooled.ci_low, pooled.ci_high) == pytest.approx((by_hand - appraisal.Z95 * se, by_hand + appraisal.Z95 * se))
    fixed = appraisal.pool(rows, "fixed")
    assert fixed.estimate == pytest.approx(-44 / 9)
    assert pooled.i2 == pytest.approx((452 / 9 - 2) / (452 / 9))


def test_negative_dersimonian_laird_variance_is_truncated_to_zero():
    """Homogeneous trials: tau^2 is 0, so random effects equal the fixed effect."""
    rows = appraisal.trials("esketamine")
    random, fixed = appraisal.pool(rows, "random"), appraisal.pool(rows, "fixed")
    assert random.tau2 == 0.0
    assert (random.estimate, random.ci_low, random.ci_high) == pytest.approx(
        (fixed.estimate, fixed.ci_low, fixed.ci_high))
    assert sum(random.weights) == pytest.approx(1.0) and min(random.weights) > 0


def test_short_term_esketamine_trials_pool_to_the_published_rows():
    rows = appraisal.trials("esketamine")
    assert [r["trial"] for r in rows] == ["TRANSFORM-1 (56 mg)", "TRANSFORM-1 (84 mg)", "TRANSFORM-2", "TRANSFORM-3"]
    pooled = appraisal.pool(rows, "fixed")
    assert pooled.estimate == pytest.approx(-3.74, abs=0.005)
    assert (pooled.ci_low, pooled.ci_high) == pytest.approx((-5.52, -1.97), abs=0.005)
    assert [r["met_primary"] for r in rows] == ["not_tested", "no", "yes", "no"]
    positive = appraisal.pool([r for r in rows if appraisal.significant(r)], "fixed")
    assert positive.included == ("TRANSFORM-1 (56 mg)", "TRANSFORM-2")
    assert positive.estimate == pytest.approx(-4.05, abs=0.005)


def test_rows_without_an_interval_are_excluded_not_pooled():
    pooled = appraisal.pool(appraisal.trials("iv_ketamine"))
    assert pooled.included == ("Murrough 2013 (midazolam)",)
    assert pooled.excluded == {"Berman 2000": "no confidence interval reported",
                               "Zarate 2006": "no effect estimate extracted"}
    assert (pooled.estimate, pooled.ci_low, pooled.ci_high) == (-7.95, -12.71, -3.20)


def test_hazard_ratios_pool_on_the_log_scale():
    (sustain,) = [r for r in appraisal.trials() if r["effect_measure"] == "hazard_ratio"]
    pooled = appraisal.pool([sustain])
    assert (pooled.estimate, pooled.ci_low, pooled.ci_high) == pytest.approx((0.49, 0.29, 0.84), rel=0.01)
    assert not appraisal.significant({**sustain, "ci_low": 0.8, "ci_high": 1.2})


@pytest.mark.parametrize("rows, message", [
    ([], "selection is empty"),
    ([{"trial": "x", "effect": None, "ci_low": None, "ci_high": None, "effect_measure": "madrs_points"}],
     "none of the selected trials"),
    ([_row("a", -4, 1), _row("b", 0.5, 0.1, "hazard_ratio")], "different effect measures"),
])
def test_pooling_refuses_bad_selections(rows, message):
    with pytest.raises(ValueError, match=message):
        appraisal.pool(rows)


def test_bad_method_group_and_interval():
    with pytest.raises(ValueError, match="method must be 'random' or 'fixed'"):
        appraisal.pool(appraisal.trials("esketamine"), "bayes")
    with pytest.raises(ValueError, match="group must be one of"):
        appraisal.trials("oral")
    with pytest.raises(ValueError, match="ci_low must be below ci_high"):
        appraisal.standard_error(0.45, -6.88)
    with pytest.raises(ValueError, match="ratio CI bounds must be > 0"):
        appraisal.standard_error(0.0, 0.8, ratio=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-20, 20), st.floats(0.2, 5)), min_size=1, max_size=8),
       st.sampled_from(["fixed", "random"]))
def test_pooled_estimate_lies_within_the_trials_and_is_more_precise(trials, method):
    rows = [_row(f"t{i}", e, s) for i, (e, s) in enumerate(trials)]
    pooled = appraisal.pool(rows, method)
    effects = [e for e, _ in trials]
    assert min(effects) - 1e-9 <= pooled.estimate <= max(effects) + 1e-9
    assert pooled.ci_low <= pooled.estimate <= pooled.ci_high
    assert pooled.tau2 >= 0 and 0 <= pooled.i2 <= 1
    if method == "fixed":
        narrowest = min(s for _, s in trials)
        assert (pooled.ci_high - pooled.ci_low) <= 2 * appraisal.Z95 * narrowest + 1e-9


@settings(max_examples=30, deadline=None)
@given(st.floats(-20, 20), st.lists(st.floats(0.2, 5), min_size=1, max_size=6))
def test_identical_trials_pool_to_their_common_effect(effect, ses):
    pooled = appraisal.pool([_row(f"t{i}", effect, s) for i, s in enumerate(ses)], "random")
    assert pooled.estimate == pytest.approx(effect, abs=1e-9)
    assert pooled.tau2 == 0.0


# --------------------------------------------------------------------------
# NNT and NNH
# --------------------------------------------------------------------------

def test_nnt_interval_matches_newcombes_worked_example():
    """Newcombe (1998), example (a): 56/70 vs 48/80, difference 0.2000, method 10 CI 0.0524 to 0.3339."""
    result = appraisal.nnt(56 / 70, 48 / 80, 70, 80)
    assert result.risk_difference == pytest.approx(0.2)
    assert (result.rd_low, result.rd_high) == pytest.approx((0.0524, 0.3339), abs=5e-5)
    assert result.value == pytest.approx(5.0)
    assert (result.low, result.high) == pytest.approx((1 / 0.3339, 1 / 0.0524), rel=1e-3)


def test_elekt_d_nnt_for_the_exercise():
    """ELEKT-D: 55.4% of 195 vs 41.2% of 170 responded (108 vs 70 patients)."""
    result = appraisal.nnt(0.554, 0.412, 195, 170)
    assert result.value == pytest.approx(1 / (108 / 195 - 70 / 170))
    assert round(result.value, 1) == 7.0
    assert (round(result.low, 1), round(result.high, 1)) == (4.2, 25.4)
    assert not result.interval_includes_no_effect
    assert "NNT 7.0 (95% CI 4.2 to 25.4)" in result.describe()


def test_nnt_whose_interval_includes_no_effect_is_not_a_finite_range():
    result = appraisal.nnt(0.27, 0.133, 72, 65)   # TRANSFORM-3-like response rates
    assert result.interval_includes_no_effect and result.high == math.inf
    assert "compatible with no effect" in result.describe()


def test_nnh_for_dissociation_in_the_aspire_trials():
    result = appraisal.nnh(0.339, 0.058, 227, 225)
    assert round(result.value, 1) == 3.6
    assert result.kind == "NNH" and "number needed to harm" in result.describe()


@pytest.mark.parametrize("args, message", [
    ((55.4, 41.2, 195, 170), "p_active must be a proportion in \\[0, 1\\]"),
    ((0.5, -0.1, 100, 100), "p_control must be a proportion"),
    ((0.5, 0.4, 0, 100), "n_active must be a whole number of participants > 0"),
    ((0.5, 0.4, 100, -3), "n_control must be a whole number"),
    ((0.5, 0.4, 10.5, 100), "n_active must be a whole number"),
    ((0.4, 0.5, 100, 100), "goes the other way"),
    ((0.4, 0.4, 100, 100), "infinite"),
])
def test_nnt_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        appraisal.nnt(*args)


@settings(max_examples=60, deadline=None)
@given(st.integers(10, 400), st.integers(10, 400), st.data())
def test_nnt_is_the_reciprocal_of_the_risk_difference_and_inside_its_interval(n_a, n_c, draw):
    count_a = draw.draw(st.integers(1, n_a))
    count_c = draw.draw(st.integers(0, count_a * n_c // n_a))
    if count_a / n_a == count_c / n_c:
        return
    result = appraisal.nnt(count_a / n_a, count_c / n_c, n_a, n_c)
    assert result.value * result.risk_difference == pytest.approx(1.0)
    assert result.rd_low <= result.risk_difference <= result.rd_high
    assert result.low <= result.value <= result.high


# --------------------------------------------------------------------------
# the illustrative blinding model
# --------------------------------------------------------------------------

def test_blinding_model_worked_example():
    # Half the participants guess their arm; knowing adds 6 points: 4 true points look like 7.
    assert appraisal.apparent_effect(4.0, 0.5, 6.0) == pytest.approx(7.0)
    assert appraisal.apparent_effect(4.0, 0.0, 6.0) == pytest.approx(4.0)


@settings(max_examples=80, deadline=None)
@given(st.floats(-30, 30), st.floats(0, 1), st.floats(0, 1), st.floats(0, 20))
def test_blinding_bias_grows_linearly_with_the_share_who_know(true, s1, s2, expect):
    a1, a2 = appraisal.apparent_effect(true, s1, expect), appraisal.apparent_effect(true, s2, expect)
    assert a1 - true == pytest.approx(s1 * expect, abs=1e-9)
    assert (a1 <= a2 + 1e-12) if s1 <= s2 else (a2 <= a1 + 1e-12)


@pytest.mark.parametrize("args, name", [((4, 1.2, 3), "share_unblinded"), ((4, 0.5, -1), "expectation_points"),
                                        ((80, 0.5, 3), "true_effect_points"), ((4, float("nan"), 3), "share_unblinded")])
def test_blinding_model_rejects_out_of_range_input(args, name):
    with pytest.raises(ValueError, match=name):
        appraisal.apparent_effect(*args)


# --------------------------------------------------------------------------
# the table itself
# --------------------------------------------------------------------------

def _table_with(tmp_path, edit):
    shutil.copy(DATA / "references.bib", tmp_path / "references.bib")
    lines = (DATA / "trials.csv").read_text().splitlines()
    lines[6] = edit(lines[6])   # TRANSFORM-2 (line 7 of the file)
    (tmp_path / "trials.csv").write_text("\n".join(lines) + "\n")
    return tmp_path


@pytest.mark.parametrize("edit, message", [
    (lambda l: l.replace("-4.0,-7.31,-0.64", "-4.0,-0.64,-7.31"), "inverted interval"),
    (lambda l: l.replace("-4.0,-7.31,-0.64", "-9.0,-7.31,-0.64"), "lies outside its interval"),
    (lambda l: l.replace(",114,109,", ",0,109,"), "outside the allowed range"),
    (lambda l: l.replace("-4.0,-7.31,-0.64", "-4.0,-7.31,"), "give both ends"),
    (lambda l: l.replace("popova2019;", "nosuchpaper2019;"), "unknown source key"),
])
def test_loader_rejects_broken_trial_rows(tmp_path, edit, message):
    folder = _table_with(tmp_path, edit)
    with pytest.raises(data.DataError, match=message) as err:
        data.load_table("trials", folder)
    assert "trials.csv, row 7" in str(err.value)


def test_every_trial_row_says_how_it_was_extracted():
    rows = appraisal.trials()
    assert len(rows) == 9
    for r in rows:
        assert r["extraction"] in ("text", "table", "computed", "figure-approx") and r["note"]
        if r["ci_low"] is None:
            assert "interval" in r["note"], f"{r['trial']}: say why there is no interval"
