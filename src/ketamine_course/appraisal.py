"""Reading trial evidence: pooling, numbers needed to treat or harm, and a blinding model.

The numbers come from ``data/trials.csv`` (one row per trial comparison, with
its 95% confidence interval as published). The statistics are delegated to
statsmodels: inverse-variance pooling with DerSimonian-Laird random effects
(:func:`statsmodels.stats.meta_analysis.combine_effects`) and the interval for
a difference of two proportions
(:func:`statsmodels.stats.proportion.confint_proportions_2indep`). This module
only prepares the inputs, checks them, and refuses to turn a missing number
into a finding: a trial without a reported interval is listed as excluded,
never silently pooled.

The blinding model (:func:`apparent_effect`) is **illustrative**: a teaching
device with made-up inputs, not an estimate from any trial.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import data

#: Two-sided 95% normal quantile, used to turn a published 95% CI back into a standard error.
Z95 = 1.959963984540054

#: Trial groups used by notebook 07, by design (see data/README.md).
GROUPS = {
    "esketamine": ("parallel_add_on",),
    "iv_ketamine": ("crossover", "parallel_active_placebo"),
}

#: Effect measures that are ratios and are pooled on the log scale.
RATIO_MEASURES = ("hazard_ratio",)

#: Published estimates of a minimal clinically important difference on the MADRS, points.
#: They answer different questions and so disagree: see notebook 07, section 3.
MADRS_MCID = (
    {"label": "distribution-based MCID (placebo arms, MDD)", "low": 1.6, "high": 1.9, "source": "duru2008",
     "kind": "group"},
    {"label": "anchor-based change that matters for one patient (TRD)", "low": 10.0, "high": 10.0,
     "source": "mct2020", "kind": "individual"},
)


def trials(group: str | None = None) -> list[dict]:
    """Rows of ``data/trials.csv``, optionally only one group of :data:`GROUPS`."""
    rows = data.load_table("trials")
    if group is None:
        return rows
    if group not in GROUPS:
        raise ValueError(f"group must be one of {', '.join(GROUPS)}; got {group!r}")
    return [r for r in rows if r["design"] in GROUPS[group]]


def standard_error(ci_low: float, ci_high: float, ratio: bool = False) -> float:
    """Standard error implied by a published 95% CI (on the log scale when ``ratio``).

    Raises
    ------
    ValueError
        If the interval is inverted or has zero width, or a ratio bound is not positive.
    """
    if ratio:
        if ci_low <= 0 or ci_high <= 0:
            raise ValueError(f"ratio CI bounds must be > 0; got [{ci_low}, {ci_high}]")
        ci_low, ci_high = math.log(ci_low), math.log(ci_high)
    if not ci_high > ci_low:
        raise ValueError(f"ci_low must be below ci_high (same unit as the effect); got [{ci_low}, {ci_high}]")
    return (ci_high - ci_low) / (2 * Z95)


@dataclass(frozen=True)
class Pooled:
    """A pooled estimate, the trials in it and the trials left out (with the reason)."""

    method: str
    estimate: float
    ci_low: float
    ci_high: float
    tau2: float
    i2: float
    measure: str
    included: tuple[str, ...]
    weights: tuple[float, ...]
    excluded: dict[str, str] = field(default_factory=dict)

    @property
    def k(self) -> int:
        return len(self.included)

    def describe(self, unit: str = "MADRS points") -> str:
        """One line a student can read out: estimate, interval, model and number of trials."""
        model = "random effects (DerSimonian-Laird)" if self.method == "random" else "fixed effect"
        return (f"{self.estimate:+.2f} {unit} (95% CI {self.ci_low:+.2f} to {self.ci_high:+.2f}), "
                f"{model}, {self.k} trial comparison{'s' if self.k != 1 else ''}")


def pool(rows: list[dict], method: str = "random") -> Pooled:
    """Pool trial rows with statsmodels' inverse-variance meta-analysis.

    Rows without an effect or a confidence interval are **excluded and listed**,
    never imputed. All pooled rows must share one effect measure.

    Parameters
    ----------
    rows : list of dict
        Rows of ``data/trials.csv`` (as from :func:`trials`).
    method : {"random", "fixed"}
        DerSimonian-Laird random effects, or the fixed-effect (common-effect) model.

    Raises
    ------
    ValueError
        An empty selection, no row with an interval, mixed effect measures, or an unknown method.
    """
    from statsmodels.stats.meta_analysis import combine_effects

    if method not in ("random", "fixed"):
        raise ValueError(f"method must be 'random' or 'fixed'; got {method!r}")
    if not rows:
        raise ValueError("the trial selection is empty: choose at least one trial to pool")
    usable, excluded = [], {}
    for r in rows:
        if r["effect"] is None:
            excluded[r["trial"]] = "no effect estimate extracted"
        elif r["ci_low"] is None:
            excluded[r["trial"]] = "no confidence interval reported"
        else:
            usable.append(r)
    if not usable:
        raise ValueError("none of the selected trials reports an effect with a confidence interval; "
                         f"excluded: {', '.join(excluded)}")
    measures = sorted({r["effect_measure"] for r in usable})
    if len(measures) > 1:
        raise ValueError(f"cannot pool different effect measures ({', '.join(measures)}): "
                         "select trials on one scale")
    ratio = measures[0] in RATIO_MEASURES
    effect = np.array([math.log(r["effect"]) if ratio else r["effect"] for r in usable])
    se = np.array([standard_error(r["ci_low"], r["ci_high"], ratio) for r in usable])
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        # One trial (no degrees of freedom) or tau^2 < 0 make statsmodels warn about NaN it then ignores.
        warnings.simplefilter("ignore", RuntimeWarning)
        res = combine_effects(effect, se ** 2, method_re="dl", row_names=[r["trial"] for r in usable])
    tau2 = float(res.tau2) if len(usable) > 1 else 0.0
    if method == "random" and tau2 > 0:
        est, sd, weights = float(res.mean_effect_re), float(res.sd_eff_w_re), res.weights_rel_re
    else:
        # statsmodels 0.15 does not truncate the DerSimonian-Laird tau^2 at zero; a negative
        # estimate means no between-trial variance, where random effects equal the fixed effect.
        est, sd, weights = float(res.mean_effect_fe), float(res.sd_eff_w_fe), res.weights_rel_fe
        tau2 = tau2 if tau2 > 0 else 0.0
    low, high = est - Z95 * sd, est + Z95 * sd
    if ratio:
        est, low, high = math.exp(est), math.exp(low), math.exp(high)
    if len(usable) == 1:  # nothing to pool: report the trial's own published numbers, not a rounded rebuild
        est, low, high = usable[0]["effect"], usable[0]["ci_low"], usable[0]["ci_high"]
    q, df = float(res.q), len(usable) - 1
    i2 = max(0.0, (q - df) / q) if q > 0 else 0.0
    return Pooled(method, est, low, high, tau2, i2, measures[0], tuple(r["trial"] for r in usable),
                  tuple(float(w) for w in weights), excluded)


def significant(row: dict) -> bool:
    """True when the row's 95% CI excludes no effect (0, or 1 for ratios)."""
    if row["ci_low"] is None:
        return False
    null = 1.0 if row["effect_measure"] in RATIO_MEASURES else 0.0
    return not row["ci_low"] <= null <= row["ci_high"]


def _check_arm(p: float, n: int, p_name: str, n_name: str) -> None:
    if isinstance(p, bool) or not isinstance(p, (int, float)) or math.isnan(p) or not 0 <= p <= 1:
        raise ValueError(f"{p_name} must be a proportion in [0, 1] (not a percentage); got {p!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n <= 0:
        raise ValueError(f"{n_name} must be a whole number of participants > 0; got {n!r}")


@dataclass(frozen=True)
class NumberNeeded:
    """NNT (or NNH) with its 95% interval, from the risk difference and its interval."""

    risk_difference: float
    rd_low: float
    rd_high: float
    value: float
    low: float
    high: float
    kind: str

    @property
    def interval_includes_no_effect(self) -> bool:
        return self.rd_low <= 0 <= self.rd_high

    def describe(self) -> str:
        who = "treat" if self.kind == "NNT" else "harm"
        rd = (f"difference {100 * self.risk_difference:.1f} percentage points "
              f"(95% CI {100 * self.rd_low:.1f} to {100 * self.rd_high:.1f})")
        if self.interval_includes_no_effect:
            return (f"{self.kind} {self.value:.1f}; {rd}. The interval includes no difference, so the "
                    f"{self.kind} interval runs from {self.low:.1f} through infinity to the other direction: "
                    "the data are compatible with no effect.")
        return f"{self.kind} {self.value:.1f} (95% CI {self.low:.1f} to {self.high:.1f}): {rd}; number needed to {who}."


def _number_needed(p_a: float, n_a: int, p_c: float, n_c: int, kind: str, names: tuple[str, str]) -> NumberNeeded:
    from statsmodels.stats.proportion import confint_proportions_2indep

    _check_arm(p_a, n_a, names[0], "n_active")
    _check_arm(p_c, n_c, names[1], "n_control")
    count_a, count_c = round(p_a * n_a), round(p_c * n_c)
    rd = count_a / n_a - count_c / n_c
    if rd == 0:
        raise ValueError(f"{names[0]} equals {names[1]}: with no difference the {kind} is infinite")
    if rd < 0:
        raise ValueError(f"{names[0]} ({p_a}) is below {names[1]} ({p_c}): the difference goes the "
                         f"other way, so compute the {'NNH' if kind == 'NNT' else 'NNT'} instead")
    low, high = confint_proportions_2indep(count_a, n_a, count_c, n_c, method="newcomb", compare="diff")
    low, high = float(low), float(high)
    if low > 0:
        n_low, n_high = 1 / high, 1 / low
    else:  # interval includes 0: the NNT interval is not a finite range
        n_low, n_high = 1 / high, math.inf
    return NumberNeeded(rd, low, high, 1 / rd, n_low, n_high, kind)


def nnt(p_active: float, p_control: float, n_active: int, n_control: int) -> NumberNeeded:
    """Number needed to treat, with a 95% interval from statsmodels (Newcombe, method 10).

    Parameters
    ----------
    p_active, p_control : float
        Proportions (0 to 1) of participants with the good outcome (e.g. response) in each arm.
    n_active, n_control : int
        Participants in each arm (> 0). Counts are ``round(p * n)``.
    """
    return _number_needed(p_active, n_active, p_control, n_control, "NNT", ("p_active", "p_control"))


def nnh(p_harm_active: float, p_harm_control: float, n_active: int, n_control: int) -> NumberNeeded:
    """Number needed to harm: how many people treated for one extra adverse event (see :func:`nnt`)."""
    return _number_needed(p_harm_active, n_active, p_harm_control, n_control, "NNH",
                          ("p_harm_active", "p_harm_control"))


def apparent_effect(true_effect_points, share_unblinded, expectation_points):
    """ILLUSTRATIVE blinding model: the drug-placebo difference a trial would measure.

    ``apparent = true + share_unblinded * expectation``: a share of participants
    work out which arm they are in (e.g. from dissociation), and knowing it
    adds ``expectation_points`` of improvement to those who know they had the
    drug, relative to those who know they had placebo. Made-up inputs, for
    teaching only; no trial estimated these quantities.

    Parameters
    ----------
    true_effect_points : float or array
        Pharmacological drug-placebo difference in MADRS improvement, points (-60 to 60).
    share_unblinded : float or array
        Fraction of participants who correctly guess their arm, 0 to 1.
    expectation_points : float or array
        Extra improvement from believing one had the drug, points, 0 to 20.
    """
    true = np.asarray(true_effect_points, dtype=float)
    share = np.asarray(share_unblinded, dtype=float)
    expect = np.asarray(expectation_points, dtype=float)
    for name, arr, lo, hi, unit in (("true_effect_points", true, -60, 60, "MADRS points"),
                                    ("share_unblinded", share, 0, 1, "fraction"),
                                    ("expectation_points", expect, 0, 20, "MADRS points")):
        if np.any(~np.isfinite(arr)) or np.any(arr < lo) or np.any(arr > hi):
            raise ValueError(f"{name} must be in [{lo}, {hi}] ({unit}); got {arr.tolist()}")
    out = true + share * expect
    return float(out) if out.ndim == 0 else out


# --------------------------------------------------------------------------
# Capstone: a composite clinic claim, in the course's own words
# --------------------------------------------------------------------------

#: The composite advert of notebook 07, section 5, one sentence per claim. Written for the course;
#: it quotes no real clinic.
CLINIC_ADVERT = (
    ("onset", "Ketamine works within hours, when ordinary antidepressants take months."),
    ("response", "Seven in ten of our patients respond."),
    ("approval", "Our ketamine infusions are an FDA-approved treatment for depression."),
    ("safety", "It is safer than other psychiatric drugs, with no risk of addiction."),
    ("conditions", "We treat depression, PTSD, anxiety, OCD and chronic pain."),
    ("session", "Sessions are quick: you are in and out in under an hour."),
)

#: Allowed verdicts for a claim.
VERDICTS = ("supported", "overstated", "unsupported")

#: The course's verdict on each claim, why, where the course shows it, and the study that would settle it
#: (population, comparator, outcome, time point, design).
CLAIM_VERDICTS = {
    "onset": ("overstated",
              "In placebo-controlled trials of one IV infusion, average symptoms improve within hours and the "
              "advantage peaks around day 1, but not everyone responds and one dose fades within about a week; "
              "SSRIs also separate from placebo in week 1, and their delay is mainly to full response.",
              "notebook 05; Kishimoto 2016 (Hedges' g -1.00 at day 1, lost by days 10-12)",
              "adults with treatment-resistant depression; saline or midazolam; MADRS response; hours 2 to 72 and "
              "weeks 1 to 4; randomised, double-blind, with blinding checked"),
    "response": ("overstated",
                 "A raw response rate without its comparator says little: in TRANSFORM-2 about 69% responded at day 28 "
                 "with esketamine but about 52% also responded with a new antidepressant plus placebo spray, an NNT of "
                 "about 6. A clinic's own series has no comparator at all.",
                 "notebook 05 (TRANSFORM-2 response rates); section 3 of this notebook (NNT)",
                 "the clinic's kind of patients; an inactive or active placebo; response (at least 50% MADRS "
                 "reduction); a stated day, e.g. day 28; randomised controlled trial"),
    "approval": ("unsupported",
                 "The FDA approved esketamine nasal spray (Spravato) for treatment-resistant depression and for "
                 "depressive symptoms with acute suicidal ideation. Racemic ketamine is approved only as an "
                 "anesthetic; infusions for depression are off-label.",
                 "notebooks 01 and 06; the Spravato label",
                 "not a trial question: check the drug, route and indication on the FDA label"),
    "safety": ("unsupported",
               "Ketamine is Schedule III, the esketamine label warns of abuse, misuse and dependence, sessions need "
               "monitoring for dissociation, sedation and blood pressure, and heavy use damages the bladder. "
               "Long-term safety of repeated dosing is poorly studied, so 'safer than other drugs' has no "
               "head-to-head evidence behind it.",
               "notebook 06 (adverse effects, NNH for dissociation about 4)",
               "people given repeated courses; an active comparator; serious adverse events, misuse and bladder "
               "harm; years; large randomised or long-term cohort studies"),
    "conditions": ("overstated",
                   "Evidence is strongest for short-term relief in treatment-resistant depression. PTSD trials "
                   "conflict, OCD rests on one small trial, anxiety on open-label studies and chronic pain on small, "
                   "mostly high-risk-of-bias trials.",
                   "notebook 06 (evidence by condition)",
                   "for each condition separately: adults with that diagnosis; placebo or usual care; the "
                   "condition's own validated scale; weeks to months; randomised, blinded trials"),
    "session": ("unsupported",
                "An infusion alone lasts about 40 minutes and is followed by monitoring; Spravato requires at least "
                "2 hours of observation after the dose and no driving until the next day.",
                "notebook 04 (the session); the Spravato label",
                "not a trial question: the label and the clinic's protocol state the monitoring time"),
}


def advert() -> str:
    """The composite clinic advert as one paragraph (notebook 07, section 5)."""
    return " ".join(sentence for _, sentence in CLINIC_ADVERT)


def judge_claims(verdicts: dict) -> list[tuple[str, bool, str]]:
    """Compare a student's verdicts with the course's: (claim, correct, feedback) per claim.

    Raises
    ------
    ValueError
        If ``verdicts`` is not a dict of claim -> one of :data:`VERDICTS`, or misses a claim.
    """
    if not isinstance(verdicts, dict):
        raise ValueError(f"verdicts must be a dict of claim -> verdict; got {type(verdicts).__name__}")
    unknown = sorted(set(verdicts) - set(CLAIM_VERDICTS))
    if unknown:
        raise ValueError(f"unknown claim(s) {', '.join(unknown)}; claims are {', '.join(CLAIM_VERDICTS)}")
    out = []
    for claim, (right, why, where, study) in CLAIM_VERDICTS.items():
        given = verdicts.get(claim)
        if given is ...:
            given = None
        if given is not None and given not in VERDICTS:
            raise ValueError(f"verdict for '{claim}' must be one of {', '.join(VERDICTS)}; got {given!r}")
        ok = given == right
        head = "no verdict yet" if given is None else ("right" if ok else f"you said {given}, the course says {right}")
        out.append((claim, ok, f"{head}. {why} (See {where}.) A study that would settle it: {study}."))
    return out
