"""Check functions for the notebooks' exercises.

Each ``check_...`` function takes the student's answer, says clearly what is
right or wrong (and why), and returns True only for a correct answer. Output
is plain text, so it needs no colour to be understood.
"""

from __future__ import annotations

import math

import numpy as np

from . import checks, units


class Verdict:
    """The outcome of a check: truthy when correct. Shows nothing in a notebook
    (the check has already printed its explanation)."""

    def __init__(self, ok: bool, message: str):
        self.ok, self.message = bool(ok), message

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return f"Verdict(ok={self.ok})"

    def _ipython_display_(self) -> None:
        pass


def _report(ok: bool, message: str) -> Verdict:
    text = ("Correct. " if ok else "Not yet. ") + message
    print(text)
    return Verdict(ok, text)


def _number(answer, name: str):
    """The answer as a float (parsed by checks.parse_number), or None and what is wrong."""
    value = checks.parse_number(answer)
    if value is None:
        if isinstance(answer, float) and math.isnan(answer):
            return None, f"{name} is NaN: did a calculation fail?"
        return None, f"{name} should be a number, got {answer!r}."
    return value, ""


# 01 ------------------------------------------------------------------------

#: Molar mass of hydrogen chloride, g/mol (H 1.008 + Cl 35.45).
HCL_G_PER_MOL = 36.458
#: Spravato label: esketamine hydrochloride, 274.2 g/mol (spravato_label).
ESKETAMINE_HCL_LABEL_G_PER_MOL = 274.2


def check_salt_mass(answer) -> Verdict:
    """Exercise 01/2.3: molar mass of esketamine hydrochloride, g/mol."""
    value, problem = _number(answer, "The molar mass")
    if value is None:
        return _report(False, problem)
    if abs(value - units.MW_KETAMINE_G_PER_MOL) < 0.05:
        return _report(False, "That is the free base. The salt adds one HCl (36.46 g/mol).")
    if abs(value - HCL_G_PER_MOL) < 0.05:
        return _report(False, "That is HCl alone. Add it to the molar mass of the esketamine base.")
    if abs(value - ESKETAMINE_HCL_LABEL_G_PER_MOL) <= 0.1:
        return _report(True, f"{value:.2f} g/mol matches the label's 274.2 g/mol for esketamine "
                             f"hydrochloride: the base ({units.MW_KETAMINE_G_PER_MOL:g}) plus HCl (36.46).")
    return _report(False, f"{value:.2f} g/mol is off the label's 274.2 g/mol. Use "
                          "structures.molar_mass_g_per_mol() on the esketamine molecule, then add HCl.")


# 02 ------------------------------------------------------------------------

def check_mg_unblocked(answer) -> Verdict:
    """Exercise 02/2.3: fraction of NMDA channels free of Mg2+ at -40 mV with 1 mM Mg2+."""
    from . import receptor

    expected = float(receptor.mg_unblocked_fraction(-40.0, 1.0))
    value, problem = _number(answer, "The unblocked fraction")
    if value is None:
        return _report(False, problem)
    if abs(value - expected) < 5e-4:
        return _report(True, f"B(-40 mV) = {value:.4f}: about {100 * value:.0f}% of open channels conduct. "
                             "At -70 mV it would be about 4%.")
    if abs(value - 1 / (1 + 1 / receptor.JAHR_STEVENS_MG_MM * np.exp(receptor.JAHR_STEVENS_PER_MV * -40))) < 5e-4:
        return _report(False, "Check the sign in the exponent: it is exp(-0.062 * V) with V = -40, "
                              "so exp(+2.48).")
    if abs(value - (1 - expected)) < 5e-4:
        return _report(False, "That is the blocked fraction. The question asks for the unblocked one, B(V).")
    if value > 1 or value < 0:
        return _report(False, "A fraction must lie between 0 and 1.")
    return _report(False, f"{value:.4f} is not right. Use 1 / (1 + mg_mm / 3.57 * np.exp(-0.062 * voltage_mv)).")


# 03 ------------------------------------------------------------------------

def check_peak_block(answer) -> Verdict:
    """Exercise 03/3.3: the NMDA block fraction at which the model's pyramidal output peaks."""
    from . import plasticity

    grid = np.linspace(0.0, 1.0, 1001)
    expected = float(grid[np.argmax(plasticity.output_vs_block(grid))])
    value, problem = _number(answer, "The block fraction")
    if value is None:
        return _report(False, problem)
    if not 0.0 <= value <= 1.0:
        return _report(False, f"{value} is not a fraction: block runs from 0 (none) to 1 (complete).")
    if abs(value - expected) <= 0.02:
        return _report(True, f"Output peaks near {expected:.2f} block. Beyond it the pyramidal cells lose "
                             "their own NMDA drive faster than they gain from disinhibition.")
    if value < 0.05:
        return _report(False, "That is no block at all. Did you take the index of the maximum, or its position "
                              "in the block grid? Use blocks[np.argmax(rates)].")
    return _report(False, f"{value:.2f} is not where the output peaks. Evaluate plasticity.output_vs_block on "
                          "a fine grid of block fractions and pick the block with the largest rate.")


# 04 ------------------------------------------------------------------------

def check_protocol_peak_um(answer) -> Verdict:
    """Exercise 04/4.1: peak plasma ketamine after 0.5 mg/kg over 40 min (70 kg), in uM."""
    from . import pk

    t_peak, c_peak = pk.simulate(0.5, 70.0, route="iv_infusion", infusion_min=40.0).peak()
    expected = units.ng_per_ml_to_um(c_peak)
    reported = units.PROTOCOL_PEAK_NG_PER_ML
    value, problem = _number(answer, "The peak concentration")
    if value is None:
        return _report(False, problem)
    if abs(value - expected) <= 0.01:
        return _report(True, f"{value:.2f} µM at {t_peak:.0f} min, the end of the infusion. The reported peak "
                             f"is {reported:g} ng/mL = {units.ng_per_ml_to_um(reported):.2f} µM, so the model is "
                             f"{100 * (c_peak / reported - 1):+.0f}% off.")
    if abs(value - c_peak) <= 1.0:
        return _report(False, f"That is in ng/mL. Divide by the molar mass, {units.MW_KETAMINE_G_PER_MOL:g} g/mol "
                              "(ng/mL / (g/mol) = µM).")
    if abs(value - 1000 * expected) <= 10:
        return _report(False, f"Off by a factor of 1000: 1 ng/mL of a {units.MW_KETAMINE_G_PER_MOL:g} g/mol drug is "
                              f"1/{units.MW_KETAMINE_G_PER_MOL:g} µM.")
    return _report(False, f"{value:.3g} µM is not the model's peak. Run pk.simulate(0.5, 70.0), take .peak(), "
                          "and convert ng/mL to µM with pk.ng_per_ml_to_um().")


# 05 ------------------------------------------------------------------------

def _popova_day28_response():
    from . import onset

    def value(arm):
        return next(r["value"] for r in onset.trials()
                    if r["treatment"] == "esketamine_nasal_plus_ad" and r["study"] == ("popova2019",)
                    and r["statistic"] == "response_rate_pct" and r["arm"] == arm and r["timepoint_hours"] == 648)

    return value("active"), value("placebo")


def check_nnt(answer) -> Verdict:
    """Exercise 05/3.2: number needed to treat for response at day 28 in TRANSFORM-2."""
    active, placebo = _popova_day28_response()
    expected = 100.0 / (active - placebo)
    value, problem = _number(answer, "The number needed to treat")
    if value is None:
        return _report(False, problem)
    accepted = f"Counted as right: {expected - 0.15:.2f} to {expected + 0.15:.2f}, or {math.ceil(expected)}."
    whole = value == math.ceil(expected)
    if abs(value - expected) <= 0.15 or whole:
        return _report(True, f"NNT = 100 / ({active:g} - {placebo:g}) = {expected:.1f}: about one extra responder "
                             f"for every {math.ceil(expected)} people treated, compared with placebo spray plus an "
                             "oral antidepressant. "
                             + ("A whole number is how NNTs are usually reported, rounded up so as not to "
                                "overstate the benefit. " if whole else
                                f"Reported as a whole number it is {math.ceil(expected)}, since NNTs are "
                                "rounded up. ")
                             + accepted)
    if abs(value - (active - placebo)) <= 0.2:
        return _report(False, "That is the difference in percentage points. The NNT is its reciprocal, "
                              "with the difference as a fraction: 1 / 0.173.")
    if abs(value - 1 / (active - placebo)) <= 0.01:
        return _report(False, "Convert percent to a fraction first: 100 / (difference in points).")
    return _report(False, f"{value:.3g} is not it. NNT = 1 / (risk difference) = 100 / ({active:g} - {placebo:g}). "
                          f"Answers within 0.15 of the exact value count, and so does the whole number it "
                          "rounds up to.")


# 00 ------------------------------------------------------------------------

def check_regulation_count(answer) -> Verdict:
    """Exercise 00/4.1: how many milestones in data/history.csv are about regulation."""
    from . import data

    rows = data.load_table("history")
    expected = sum(r["category"] == "regulation" for r in rows)
    value, problem = _number(answer, "The count")
    if value is None:
        return _report(False, problem)
    if value == expected:
        return _report(True, f"{expected} of the {len(rows)} milestones are about regulation, from the WHO list "
                             "in 1985 to the esketamine approvals.")
    if value == len(rows):
        return _report(False, "That counts every milestone. Keep only rows whose category is 'regulation'.")
    return _report(False, f"{value:g} is not the count. Loop over the rows and count those with "
                          "row['category'] == 'regulation'.")


# 06 ------------------------------------------------------------------------

def check_nnh(answer) -> Verdict:
    """Exercise 06/2.3: number needed to harm for dissociation in the pooled ASPIRE trials."""
    from . import safety

    row = next(r for r in safety.paired_rates() if r["effect"].startswith("dissociation"))
    expected = safety.number_needed_to_harm(row["drug_pct"], row["placebo_pct"])
    value, problem = _number(answer, "The number needed to harm")
    if value is None:
        return _report(False, problem)
    wholes = (math.floor(expected), math.ceil(expected))
    accepted = (f"Counted as right: {expected - 0.1:.2f} to {expected + 0.1:.2f}, or the whole numbers "
                f"{wholes[0]} and {wholes[1]}.")
    whole = value in wholes
    if abs(value - expected) <= 0.1 or whole:
        return _report(True, f"NNH = 100 / ({row['drug_pct']:g} - {row['placebo_pct']:g}) = {expected:.1f}: about "
                             f"one extra person with dissociation for every {round(expected)} treated. Compare the "
                             "NNT of about 6 for response in notebook 05. As a whole number, an NNH is rounded up "
                             f"like an NNT ({wholes[1]}) or down, so as not to understate the harm ({wholes[0]}). "
                             + accepted)
    if abs(value - (row["drug_pct"] - row["placebo_pct"])) <= 0.2:
        return _report(False, "That is the difference in percentage points; the NNH is 100 divided by it.")
    return _report(False, f"{value:.3g} is not it. Use safety.number_needed_to_harm(drug_pct, placebo_pct) or "
                          "100 / (drug % - placebo %). Answers within 0.1 of the exact value count, and so do the "
                          "whole numbers on either side of it.")


# 07 ------------------------------------------------------------------------

def check_elektd_nnt(answer) -> Verdict:
    """Exercise 07/3.4: NNT for response in ELEKT-D (ketamine vs ECT), alone or with its 95% interval.

    Accepts a number (the NNT), a tuple ``(nnt, low, high)``, or the result of ``appraisal.nnt``.
    """
    from . import appraisal

    trial = next(r for r in appraisal.trials() if r["trial"] == "ELEKT-D")
    p_k, p_e = 0.554, 0.412   # response rates in the abstract; their difference is the row's effect
    expected = appraisal.nnt(p_k, p_e, trial["n_active"], trial["n_control"])
    if hasattr(answer, "value") and hasattr(answer, "low"):
        answer = (answer.value, answer.low, answer.high)
    interval = None
    if isinstance(answer, (tuple, list)) and len(answer) == 3:
        answer, *interval = answer
    value, problem = _number(answer, "The number needed to treat")
    if value is None:
        return _report(False, problem)
    if abs(value - 100 * (p_k - p_e)) <= 0.3:
        return _report(False, "That is the difference in percentage points (14.2). The NNT is its reciprocal "
                              "with the difference as a fraction: 1 / 0.142.")
    whole = (math.floor(expected.value), math.ceil(expected.value))  # an NNT is often rounded to a whole number
    if abs(value - expected.value) > 0.15 and value not in whole:
        return _report(False, f"{value:.3g} is not it. NNT = 1 / (0.554 - 0.412), or use "
                              "appraisal.nnt(0.554, 0.412, 195, 170) for the interval too.")
    meaning = (f"NNT {expected.value:.1f}: about one extra responder for every 7 people given ketamine instead of "
               f"ECT, 95% CI {expected.low:.1f} to {expected.high:.1f}. Non-inferiority means the lower end of the "
               "difference (3.9 percentage points) stayed above the margin of -10: ketamine was not much worse. It does "
               "not prove ketamine better: the trial was open label, 38 people left before treatment (more from ECT), "
               "and the outcome was self-rated.")
    if interval is None:
        return _report(True, meaning + " Now add the interval: appraisal.nnt(...) gives it.")
    low, problem = _number(interval[0], "The lower end")
    high, problem2 = _number(interval[1], "The upper end")
    if low is None or high is None:
        return _report(False, problem or problem2)
    if abs(low - expected.low) <= 0.2 and abs(high - expected.high) <= 1.0:
        return _report(True, meaning)
    return _report(False, f"The NNT is right, but the interval [{low:.3g}, {high:.3g}] is not: invert the interval "
                          "of the risk difference (and swap its ends), e.g. with appraisal.nnt(0.554, 0.412, 195, 170).")


def check_claims(verdicts) -> Verdict:
    """Capstone 07/5.1: verdicts ('supported', 'overstated', 'unsupported') on the six clinic claims."""
    from . import appraisal

    try:
        results = appraisal.judge_claims(verdicts)
    except ValueError as err:
        return _report(False, str(err))
    lines = [f"- {claim}: {'RIGHT' if ok else 'CHECK'}: {text}" for claim, ok, text in results]
    right = sum(ok for _, ok, _ in results)
    ok = right == len(results)
    summary = (f"all {right} verdicts match the course's." if ok else
               f"{right} of {len(results)} verdicts match the course's. Reasons below; argue with them in class.")
    return _report(ok, summary + "\n" + "\n".join(lines))
