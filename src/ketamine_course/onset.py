"""How fast antidepressant treatments act, and how long one ketamine dose lasts.

The evidence is the table ``data/onset_trials.csv``: one row per value a trial or
meta-analysis reported, with its timepoint in hours after the first dose, its
statistic, its source key and its status (``confirmed`` or ``secondary``, from
:data:`ketamine_course.checks.PROVENANCE`). This module reads that table and builds three things
from it:

1. **Series**: the reported values of one statistic for one treatment, in time
   order (:func:`series`).
2. **Smooth curves** through the reported values (:func:`onset_curve`), so that
   a notebook can draw "ketamine acts in hours, SSRIs in weeks" from data rather
   than from a sketch. Two simple shapes are used (``t`` in hours)::

       rise_decay  r(t) = A (1 - exp(-t / tau_on)) exp(-t / tau_off)
       saturating  r(t) = A (1 - exp(-t / tau))

   A single ketamine infusion gets the rise-then-decay shape (its effect comes
   within hours and fades over days); treatments given as a course (esketamine
   with an oral antidepressant, SSRIs, citalopram, ECT) get the saturating
   shape. Both are 0 at t = 0, because response is measured against each
   patient's own baseline. A curve is **fitted** with
   ``scipy.optimize.curve_fit`` when the data have at least as many distinct
   timepoints as the shape has parameters; otherwise it is **illustrative** and
   its note says which parameters were assumed. :class:`OnsetCurve` records
   which it is, the points it used and why.
3. **Comparable summaries**, each returned as ``(value, provenance)`` where the
   provenance names the rows the value came from:
   :func:`time_to_separation_hours`, :func:`time_to_response_hours`,
   :func:`single_dose_duration_days` and :func:`relapse_median_days`.

What the curves can and cannot say
-----------------------------------
The curves interpolate between a handful of published numbers, often pooled
from different trials. Before the first and after the last measured timepoint
they show the chosen *shape*, not data; every summary that depends on such a
stretch says so in its provenance. They describe groups in trials, not any
patient, and they are not a guide to treatment.

Which rows each curve uses is fixed in :data:`CURVE_SPECS`. By default curves use
only ``confirmed`` rows; the SSRI curve is the exception, because the only
week-by-week SSRI values in the table come from a secondary digest of Taylor et
al. 2006, and its note says so.

Conventions
-----------
Time in hours after the first dose (day 2 = 24 h, week 1 = 168 h); the curves
cover 0 to 2016 h (12 weeks). Rates in percent (0-100). ``difference_vs_placebo``
rows state their unit at the start of their note (``unit: percentage points``,
``unit: MADRS points`` ...). Every public function checks its input and raises
a ``ValueError`` naming the parameter, its unit and the allowed values.

numpy is needed; scipy is imported only when a curve is fitted. This module
imports neither matplotlib nor ipywidgets.

This is teaching code. It is not medical advice.

References
----------
.. [1] Han Y et al. (2016). Neuropsychiatr Dis Treat 12:2859-2867 (``han2016``).
.. [2] Newport DJ et al. (2015). Am J Psychiatry 172:950-966 (``newport2015``).
.. [3] Murrough JW et al. (2013). Biol Psychiatry 74:250-256 (``murrough2013``).
.. [4] Popova V et al. (2019). Am J Psychiatry 176:428-438 (``popova2019``).
.. [5] Turkoz I et al. (2021). J Clin Psychiatry 82:20m13800 (``turkoz2021``).
.. [6] Taylor MJ et al. (2006). Arch Gen Psychiatry 63:1217-1223 (``taylor2006``).
.. [7] Trivedi MH et al. (2006). Am J Psychiatry 163:28-40 (``trivedi2006``).
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from . import checks, data

__all__ = [
    "TREATMENTS",
    "STATISTICS",
    "ARMS",
    "MAX_HOURS",
    "CurveSpec",
    "CURVE_SPECS",
    "OnsetCurve",
    "trials",
    "series",
    "difference_unit",
    "onset_curve",
    "time_to_separation_hours",
    "time_to_response_hours",
    "single_dose_duration_days",
    "relapse_median_days",
    "COURSE_DAYS",
    "COURSE_INFUSION_DAYS",
    "course_response_pct",
    "still_responding_pct",
]

_COLUMNS = {c.name: c for c in data.ONSET_TRIALS.columns}
#: Treatments the table may hold (the schema's choices).
TREATMENTS: tuple[str, ...] = _COLUMNS["treatment"].choices
#: Statistics the table may hold (the schema's choices).
STATISTICS: tuple[str, ...] = _COLUMNS["statistic"].choices
#: Trial arms.
ARMS: tuple[str, ...] = _COLUMNS["arm"].choices
#: End of the curves' time axis: 12 weeks, in hours.
MAX_HOURS = 12 * 7 * 24.0
#: Start of the time axis used to search curves (1 h after the first dose).
_SEARCH_START_HOURS = 1.0

_RATE_STATISTICS = ("response_rate_pct", "remission_rate_pct")
_RATIO_STATISTICS = ("odds_ratio", "relative_risk")
_CI = re.compile(r"95% CI (-?\d+(?:\.\d+)?) to (-?\d+(?:\.\d+)?)")
_UNIT = re.compile(r"^unit: ([^;]+)")
_SIGNIFICANT_TAG = "significant vs placebo"


# ---------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------

def _check_hours(hours) -> np.ndarray:
    """``hours`` as a float array from 0 to MAX_HOURS (12 weeks), or a ValueError naming it."""
    return checks.array(hours, "hours", "h after the first dose", 0.0, MAX_HOURS)


def _check_threshold(threshold_pct) -> float:
    return checks.number(threshold_pct, "threshold_pct", "%", 0.0, 100.0, low_open=True)


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=8)
def _load(data_dir: str | None) -> tuple[dict, ...]:
    return tuple(data.load_table("onset_trials", data_dir))


def trials(data_dir: Path | str | None = None) -> list[dict]:
    """Every row of ``onset_trials.csv``, validated against its schema.

    Parameters
    ----------
    data_dir : path, optional
        Folder holding the table and ``references.bib`` (default: the course's ``data/``).

    Returns
    -------
    list of dict
        One dict a row (fresh copies; changing them does not change the cache).
        ``timepoint_hours`` and ``n`` are ``None`` where the source gave none;
        ``study`` is a tuple of citation keys.

    Raises
    ------
    ValueError
        (a :class:`~ketamine_course.data.DataError`) naming the file, row and
        column of the first problem in the table.
    """
    return [dict(row) for row in _load(None if data_dir is None else str(data_dir))]


def difference_unit(row: dict) -> str | None:
    """The unit a ``difference_vs_placebo`` row declares at the start of its note.

    Returns, e.g., ``"percentage points"`` or ``"MADRS points"``; ``None`` when
    the note declares no unit.
    """
    match = _UNIT.match(row.get("note") or "")
    return match.group(1).strip() if match else None


def _rows(treatment: str, statistic: str | None = None, arm: str | None = "active",
          statuses: Sequence[str] = ("confirmed", "secondary"),
          data_dir=None) -> list[dict]:
    return [r for r in trials(data_dir)
            if r["treatment"] == treatment
            and (statistic is None or r["statistic"] == statistic)
            and (arm is None or r["arm"] == arm)
            and r["status"] in statuses]


def series(treatment: str, statistic: str, arm: str = "active", measure: str | None = None,
           include_secondary: bool = True, data_dir: Path | str | None = None):
    """The reported values of one statistic for one treatment, in time order.

    Rows without a timepoint (values reported only "at study exit") are left out.

    Parameters
    ----------
    treatment : str
        One of :data:`TREATMENTS`.
    statistic : str
        One of :data:`STATISTICS`.
    arm : {"active", "placebo", "comparison"}
        Trial arm.
    measure : str, optional
        Keep only rows on this rating scale (e.g. ``"MADRS"``).
    include_secondary : bool
        Also keep rows whose status is ``secondary`` (default True).
    data_dir : path, optional
        Folder holding the table (default: the course's ``data/``).

    Returns
    -------
    hours : ndarray
        Hours after the first dose, ascending.
    values : ndarray
        The values, in the unit of ``statistic``.
    rows : list of dict
        The table rows, in the same order.

    Raises
    ------
    ValueError
        If ``treatment``, ``statistic`` or ``arm`` is not a known value.
    """
    checks.choice(treatment, "treatment", TREATMENTS)
    checks.choice(statistic, "statistic", STATISTICS)
    checks.choice(arm, "arm", ARMS)
    statuses = ("confirmed", "secondary") if include_secondary else ("confirmed",)
    rows = [r for r in _rows(treatment, statistic, arm, statuses, data_dir)
            if r["timepoint_hours"] is not None and (measure is None or r["measure"] == measure)]
    rows.sort(key=lambda r: r["timepoint_hours"])
    hours = np.array([r["timepoint_hours"] for r in rows], dtype=float)
    values = np.array([r["value"] for r in rows], dtype=float)
    return hours, values, rows


def _describe(row: dict) -> str:
    when = "no timepoint" if row["timepoint_hours"] is None else f"{row['timepoint_hours']:g} h"
    return (f"{'; '.join(row['study'])}: {row['statistic']} = {row['value']:g} "
            f"({row['arm']} arm, {when}, {row['status']})")


# ---------------------------------------------------------------------------
# Curve shapes
# ---------------------------------------------------------------------------

def _rise_decay(t, amplitude_pct, tau_on_h, tau_off_h):
    return amplitude_pct * -np.expm1(-t / tau_on_h) * np.exp(-t / tau_off_h)


def _saturating(t, amplitude_pct, tau_h):
    return amplitude_pct * -np.expm1(-t / tau_h)


@dataclass(frozen=True)
class _Model:
    function: Callable
    names: tuple[str, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    formula: str


_MODELS = {
    "rise_decay": _Model(_rise_decay, ("amplitude_pct", "tau_on_h", "tau_off_h"),
                         (0.0, 0.1, 1.0), (100.0, MAX_HOURS, 1e5),
                         "r(t) = A (1 - exp(-t/tau_on)) exp(-t/tau_off)"),
    "saturating": _Model(_saturating, ("amplitude_pct", "tau_h"),
                         (0.0, 0.1), (100.0, 1e5),
                         "r(t) = A (1 - exp(-t/tau))"),
}

#: Time constants assumed for an *illustrative* rise-and-decay curve: improvement
#: within hours and an effect lasting about a week (Zarate et al. 2006). Only the amplitude is then matched to data.
_ILLUSTRATIVE_RISE_DECAY = {"tau_on_h": 4.0, "tau_off_h": 168.0}


@dataclass(frozen=True)
class CurveSpec:
    """Which rows a treatment's curve is built from, and with which shape.

    Parameters
    ----------
    statistic : str
        The statistic plotted (a percent rate, or a difference in percentage points).
    model : {"rise_decay", "saturating"}
        The curve shape (see the module docstring).
    unit : str
        Only rows in this unit are used; for ``difference_vs_placebo`` this is
        the unit declared in the row's note.
    include_secondary : bool
        Whether rows of status ``secondary`` are used by default.
    reason : str
        Why this choice, in one sentence (shown in the curve's note).
    """

    statistic: str
    model: str
    unit: str = "%"
    include_secondary: bool = False
    reason: str = ""


#: The curve chosen for each treatment.
CURVE_SPECS: dict[str, CurveSpec] = {
    "ketamine_iv_single": CurveSpec(
        "response_rate_pct", "rise_decay",
        reason="one infusion: response comes within hours and fades over days"),
    "ketamine_iv_repeated": CurveSpec(
        "response_rate_pct", "saturating",
        reason="a course of infusions; the table has no timed response rate for it yet"),
    "esketamine_nasal_plus_ad": CurveSpec(
        "response_rate_pct", "saturating",
        reason="twice-weekly doses plus a daily oral antidepressant: response builds over the course"),
    "ssri": CurveSpec(
        "difference_vs_placebo", "saturating", unit="percentage points", include_secondary=True,
        reason=("the table has no SSRI response rates over time, only the difference from placebo "
                "in the share responding, week by week, and those values are secondary "
                "(a news digest of Taylor et al. 2006)")),
    "citalopram": CurveSpec(
        "response_rate_pct", "saturating",
        reason="daily pill: response builds over weeks; STAR*D gives rates only at study exit"),
    "ect": CurveSpec(
        "response_rate_pct", "saturating",
        reason="three sessions a week: response builds over the course"),
}


@dataclass(frozen=True)
class OnsetCurve:
    """A smooth curve through published onset data for one treatment.

    Attributes
    ----------
    treatment : str
        One of :data:`TREATMENTS`.
    statistic : str
        What the curve shows (e.g. ``"response_rate_pct"``).
    kind : {"fitted", "illustrative"}
        ``"fitted"``: parameters from ``scipy.optimize.curve_fit``;
        ``"illustrative"``: some parameters were assumed (see ``note``).
    params : dict
        Parameter values; names carry units (``amplitude_pct``, ``tau_h`` ...).
    points : tuple of (hours, value, study, status)
        The table values the curve was built from.
    note : str
        How the curve was made and what it cannot show.
    model : {"rise_decay", "saturating"}
        The shape.
    unit : str
        Unit of the curve's values: ``"%"`` or ``"percentage points"``.
    """

    treatment: str
    statistic: str
    kind: str
    params: dict
    points: tuple
    note: str
    model: str = "saturating"
    unit: str = "%"

    def at(self, hours):
        """The curve's value at ``hours`` after the first dose, clipped to [0, 100].

        Parameters
        ----------
        hours : float or array_like
            Hours after the first dose, in [0, 2016].

        Returns
        -------
        float or ndarray
            Same shape as ``hours``, in :attr:`unit`.

        Raises
        ------
        ValueError
            If any value is NaN, infinite, negative or beyond 12 weeks.
        """
        t = _check_hours(hours)
        values = np.clip(_MODELS[self.model].function(t, **self.params), 0.0, 100.0)
        return float(values) if values.ndim == 0 else values

    def peak(self) -> tuple[float, float]:
        """``(hours, value)`` of the curve's maximum on [0, 2016] h.

        A rise-and-decay curve peaks at ``tau_on ln(1 + tau_off / tau_on)``; a
        saturating curve keeps rising, so its maximum is at 2016 h.
        """
        if self.model == "rise_decay":
            on, off = self.params["tau_on_h"], self.params["tau_off_h"]
            t_peak = min(on * math.log1p(off / on), MAX_HOURS)
        else:
            t_peak = MAX_HOURS
        return t_peak, self.at(t_peak)

    @property
    def last_point_hours(self) -> float:
        """The latest timepoint with data; beyond it the curve is extrapolation."""
        return max(p[0] for p in self.points)

    @property
    def first_point_hours(self) -> float:
        """The earliest timepoint with data; before it the curve is the shape alone."""
        return min(p[0] for p in self.points)


def _curve_rows(treatment: str, spec: CurveSpec, include_secondary: bool, data_dir) -> list[dict]:
    _, _, rows = series(treatment, spec.statistic, "active",
                        include_secondary=include_secondary, data_dir=data_dir)
    if spec.statistic == "difference_vs_placebo":
        rows = [r for r in rows if difference_unit(r) == spec.unit]
    return rows


def _fit(model: _Model, t: np.ndarray, y: np.ndarray) -> tuple[dict, str]:
    from scipy.optimize import OptimizeWarning, curve_fit

    if len(model.names) == 3:  # rise_decay: start from a fast rise and a slow decay
        p0 = [min(100.0, 1.1 * y.max()), 6.0, 500.0]
    else:
        p0 = [min(100.0, 1.1 * y.max()), float(np.median(t))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OptimizeWarning)
        popt, _ = curve_fit(model.function, t, y, p0=p0,
                            bounds=(model.lower, model.upper), maxfev=20000)
    params = {name: float(v) for name, v in zip(model.names, popt)}
    residual = y - model.function(t, *popt)
    dof = len(t) - len(popt)
    rms = float(np.sqrt(np.mean(residual ** 2)))
    detail = f"least-squares fit (scipy.optimize.curve_fit), RMS residual {rms:.2g}, {dof} degrees of freedom"
    if len(np.unique(t)) == len(popt):
        detail += ("; as many distinct timepoints as parameters, so the curve passes through the "
                   "mean value at each timepoint and parameter uncertainty cannot be estimated")
    return params, detail


def _illustrative(model_name: str, t: np.ndarray, y: np.ndarray) -> tuple[dict, str]:
    model = _MODELS[model_name]
    if model_name == "rise_decay":
        fixed = dict(_ILLUSTRATIVE_RISE_DECAY)
        assumed = (f"tau_on = {fixed['tau_on_h']:g} h and tau_off = {fixed['tau_off_h']:g} h assumed "
                   "by the course (improvement within 2-4 h, fading over about a week, as the "
                   "single-infusion rows of onset_trials.csv show)")
    else:
        fixed = {"tau_h": float(np.mean(t))}
        assumed = (f"tau = {fixed['tau_h']:g} h assumed (the mean time of the data), "
                   "so the data sit about two thirds of the way up the curve")
    shape = model.function(t, 1.0, **fixed)
    amplitude = float(min(100.0, np.dot(shape, y) / np.dot(shape, shape)))
    return {"amplitude_pct": amplitude, **fixed}, assumed + "; amplitude chosen by least squares"


@functools.lru_cache(maxsize=64)
def _onset_curve(treatment: str, include_secondary: bool, data_dir: str | None) -> OnsetCurve:
    spec = CURVE_SPECS[treatment]
    model = _MODELS[spec.model]
    rows = _curve_rows(treatment, spec, include_secondary, data_dir)
    if not rows:
        anywhere = [r for r in trials(data_dir) if r["treatment"] == treatment]
        raise ValueError(
            f"treatment {treatment!r} has no timed {spec.statistic} rows "
            f"({'confirmed and secondary' if include_secondary else 'confirmed'} rows) in onset_trials.csv, "
            f"so no curve can be drawn ({len(anywhere)} row(s) for it in all); "
            f"curves exist for: {', '.join(_treatments_with_curves(data_dir)) or 'none'}")
    t = np.array([r["timepoint_hours"] for r in rows], dtype=float)
    y = np.array([r["value"] for r in rows], dtype=float)
    n_times = len(np.unique(t))
    if n_times >= len(model.names):
        kind = "fitted"
        params, how = _fit(model, t, y)
    else:
        kind = "illustrative"
        params, how = _illustrative(spec.model, t, y)
        how = (f"ILLUSTRATIVE: only {n_times} distinct timepoint(s) for {len(model.names)} "
               f"parameters; " + how)
    studies = sorted({k for r in rows for k in r["study"]})
    statuses = sorted({r["status"] for r in rows})
    note = (f"{model.formula}; {how}. Data: {len(rows)} value(s) from {', '.join(studies)} "
            f"(status: {', '.join(statuses)}) between {t.min():g} h and {t.max():g} h; "
            f"outside that span the curve shows the assumed shape, not data. "
            f"Why this shape and these rows: {spec.reason}.")
    points = tuple((r["timepoint_hours"], r["value"], "; ".join(r["study"]), r["status"])
                   for r in rows)
    return OnsetCurve(treatment, spec.statistic, kind, params, points, note,
                      model=spec.model, unit=spec.unit)


def _treatments_with_curves(data_dir) -> list[str]:
    found = []
    for name, spec in CURVE_SPECS.items():
        if _curve_rows(name, spec, True, data_dir):
            found.append(name)
    return found


def onset_curve(treatment: str, include_secondary: bool | None = None,
                data_dir: Path | str | None = None) -> OnsetCurve:
    """The smooth onset curve for one treatment, built from the table.

    Parameters
    ----------
    treatment : str
        One of :data:`TREATMENTS`.
    include_secondary : bool, optional
        Use rows of status ``secondary`` as well. Default: the treatment's
        :data:`CURVE_SPECS` entry (True only for ``ssri``).
    data_dir : path, optional
        Folder holding the table (default: the course's ``data/``).

    Returns
    -------
    OnsetCurve
        ``kind`` is ``"fitted"`` when ``scipy.optimize.curve_fit`` produced the
        parameters, ``"illustrative"`` when some were assumed.

    Raises
    ------
    ValueError
        If ``treatment`` is unknown, or the table has no timed rows to draw it from.
    """
    checks.choice(treatment, "treatment", TREATMENTS)
    if include_secondary is None:
        include_secondary = CURVE_SPECS[treatment].include_secondary
    curve = _onset_curve(treatment, bool(include_secondary),
                         None if data_dir is None else str(data_dir))
    return replace(curve, params=dict(curve.params))  # the cached curve stays unchanged


# ---------------------------------------------------------------------------
# Comparable summaries
# ---------------------------------------------------------------------------

def _is_significant(row: dict) -> bool:
    """Does this row report a difference from placebo that is statistically significant?"""
    note = row.get("note") or ""
    if _SIGNIFICANT_TAG in note:
        return True
    match = _CI.search(note)
    if not match:
        return False
    low, high = float(match.group(1)), float(match.group(2))
    if row["statistic"] in _RATIO_STATISTICS:
        return low > 1.0 or high < 1.0
    if row["statistic"] == "difference_vs_placebo":
        return low > 0.0 or high < 0.0
    return False


def _has_placebo_comparison(row: dict, placebo_keys: set) -> bool:
    """Does the table compare this active-arm row with placebo (a placebo row at the same time, or a contrast)?"""
    if row["statistic"] in _RATIO_STATISTICS or row["statistic"] == "difference_vs_placebo":
        return True
    return (row["study"], row["timepoint_hours"], row["statistic"], row["measure"]) in placebo_keys


def time_to_separation_hours(treatment: str, include_secondary: bool = False,
                             data_dir: Path | str | None = None) -> tuple[float | None, str]:
    """The earliest timepoint at which a source reports significant separation from placebo.

    Rule: among the treatment's active-arm rows that have a timepoint (confirmed
    rows only, unless ``include_secondary``), a row shows separation if

    * it is an odds ratio or relative risk whose 95% CI (in the note) excludes 1, or
    * it is a ``difference_vs_placebo`` whose 95% CI excludes 0, or
    * its note says ``significant vs placebo``, because the source's text says so.

    The answer is the earliest such timepoint, but only if the table holds no
    *earlier* comparison with placebo whose significance it does not record. If it
    does, the earliest separation is "not reported" (None): the first tested row
    would then reflect which rows the table happens to hold, not when the trials
    found an effect. Even when a time is returned it is an upper bound on the true
    onset: a trial cannot show separation before its first rating.

    Parameters
    ----------
    treatment : str
        One of :data:`TREATMENTS`.
    include_secondary : bool
        Also consider rows of status ``secondary`` (default False).
    data_dir : path, optional
        Folder holding the table.

    Returns
    -------
    hours : float or None
        Hours after the first dose; None when no row shows separation
        (e.g. open-label studies without a placebo arm), or when an earlier
        comparison with placebo in the table has no recorded test.
    provenance : str
        The rows behind the answer, or the reason there is none.
    """
    checks.choice(treatment, "treatment", TREATMENTS)
    statuses = ("confirmed", "secondary") if include_secondary else ("confirmed",)
    timed = [r for r in _rows(treatment, None, "active", statuses, data_dir)
             if r["timepoint_hours"] is not None]
    rows = [r for r in timed if _is_significant(r)]
    if not rows:
        return None, (f"{treatment}: no {'' if include_secondary else 'confirmed '}row in "
                      f"onset_trials.csv reports significant separation from placebo at a stated "
                      f"timepoint (its rows, if any, are open-label, untimed or without a test "
                      f"against placebo)")
    first = min(r["timepoint_hours"] for r in rows)
    used = [r for r in rows if r["timepoint_hours"] == first]
    placebo_keys = {(r["study"], r["timepoint_hours"], r["statistic"], r["measure"])
                    for r in _rows(treatment, None, "placebo", statuses, data_dir)
                    if r["timepoint_hours"] is not None}
    untested = [r for r in timed if r["timepoint_hours"] < first and not _is_significant(r)
                and _has_placebo_comparison(r, placebo_keys)]
    if untested:
        return None, (f"{treatment}: earliest separation not reported. The table compares the arms "
                      f"earlier, at {min(r['timepoint_hours'] for r in untested):g} h ("
                      + " | ".join(_describe(r) for r in untested)
                      + "), without a significance test, so the first tested row ("
                      + " | ".join(_describe(r) for r in used)
                      + f", {first:g} h) says when the table has a test, not when the effect began.")
    return first, (f"{treatment}: significant separation from placebo first reported at {first:g} h "
                   f"by " + " | ".join(_describe(r) for r in used)
                   + ". Earliest reported, not earliest possible: no earlier timepoint with a "
                     "placebo comparison is in the table.")


def _first_crossing(f: Callable[[float], float], level: float, start: float, stop: float,
                    rising: bool) -> float | None:
    """First t in [start, stop] where f crosses ``level`` (upwards if ``rising``)."""
    from scipy.optimize import brentq

    grid = np.linspace(start, stop, 4033)
    values = np.array([f(t) for t in grid]) - level
    hit = values >= 0 if rising else values < 0
    if not hit.any():
        return None
    i = int(np.argmax(hit))
    if i == 0:
        return float(grid[0])
    return float(brentq(lambda t: f(t) - level, grid[i - 1], grid[i], xtol=1e-6))


def time_to_response_hours(treatment: str, threshold_pct: float = 50.0,
                           include_secondary: bool | None = None,
                           data_dir: Path | str | None = None) -> tuple[float | None, str]:
    """First time the treatment's response-rate curve reaches ``threshold_pct``.

    Parameters
    ----------
    treatment : str
        One of :data:`TREATMENTS`.
    threshold_pct : float
        Share of patients responding, in percent, in (0, 100]. Default 50.
    include_secondary : bool, optional
        Passed to :func:`onset_curve`.
    data_dir : path, optional
        Folder holding the table.

    Returns
    -------
    hours : float or None
        Hours after the first dose (searched from 1 h to 2016 h). None if the
        curve never gets there, or if the treatment has no response-rate curve.
    provenance : str
        The curve and rows behind the answer, and whether the answer lies in a
        stretch with data or in the assumed shape.

    Raises
    ------
    ValueError
        If ``treatment`` is unknown or ``threshold_pct`` is outside (0, 100].
    """
    checks.choice(treatment, "treatment", TREATMENTS)
    level = _check_threshold(threshold_pct)
    try:
        curve = onset_curve(treatment, include_secondary, data_dir)
    except ValueError as exc:
        return None, f"{treatment}: no curve ({exc})"
    if curve.statistic != "response_rate_pct":
        return None, (f"{treatment}: its curve shows {curve.statistic} in {curve.unit}, not the "
                      f"share responding, so a time to {level:g}% response is not defined")
    hours = _first_crossing(curve.at, level, _SEARCH_START_HOURS, MAX_HOURS, rising=True)
    sources = ", ".join(sorted({p[2] for p in curve.points}))
    if hours is None:
        return None, (f"{treatment}: the {curve.kind} curve (max {curve.peak()[1]:.1f}% at "
                      f"{curve.peak()[0]:.0f} h) never reaches {level:g}% within 12 weeks; "
                      f"data from {sources}")
    times = sorted({p[0] for p in curve.points})
    if times[0] <= hours <= times[-1]:
        before = max(t for t in times if t <= hours)
        after = min(t for t in times if t >= hours)
        where = ("at a measured timepoint" if before == after else
                 f"between data at {before:g} h and {after:g} h (the path in between is the assumed shape)")
    else:
        where = (f"outside the measured span ({times[0]:g}-{times[-1]:g} h), "
                 f"so it reflects the assumed curve shape more than data")
    return hours, (f"{treatment}: the {curve.kind} {curve.model} curve reaches {level:g}% at "
                   f"{hours:.1f} h, {where}; data from {sources}")


#: Placebo-controlled duration of one ketamine infusion: in a meta-analysis of 9 ketamine RCTs,
#: ketamine was no longer better than placebo by days 10-12 (Kishimoto et al. 2016, kishimoto2016).
SINGLE_DOSE_SUPERIORITY_LOST_DAYS = (10.0, 12.0)
SINGLE_DOSE_SUPERIORITY_SOURCE = "kishimoto2016"


def single_dose_duration_days() -> tuple[float, str]:
    """Days after one ketamine infusion until its advantage over placebo is lost.

    A placebo-controlled answer, from a meta-analysis rather than a curve: the
    course's ``ketamine_iv_single`` curve runs through active-arm response rates
    only, with no placebo subtraction, so its decay says nothing about when the
    drug stops beating placebo. Kishimoto et al. (2016) pooled single-infusion
    RCTs: ketamine was better than placebo from 40 minutes, peaked at day 1 and
    had lost its superiority by days 10-12.

    Returns
    -------
    days : float
        The lower end of the reported range (10 days).
    provenance : str
        The range and its source.
    """
    low, high = SINGLE_DOSE_SUPERIORITY_LOST_DAYS
    return low, (f"placebo-controlled meta-analysis of single ketamine infusions "
                 f"({SINGLE_DOSE_SUPERIORITY_SOURCE}): better than placebo from 40 min, largest at day 1, "
                 f"no longer better by days {low:g}-{high:g}. Not read from the course's curve, which has "
                 f"no placebo subtraction.")


def relapse_median_days(data_dir: Path | str | None = None) -> tuple[float, str]:
    """Median days to relapse after a course of ketamine infusions, from the table.

    Murrough et al. 2013: among responders to up to six infusions over 12 days,
    counted from the last infusion.

    Returns
    -------
    days : float
    provenance : str

    Raises
    ------
    ValueError
        If the table has no such row.
    """
    rows = _rows("ketamine_iv_repeated", "median_days_to_relapse", "active",
                 ("confirmed",), data_dir)
    if not rows:
        raise ValueError("onset_trials.csv has no confirmed median_days_to_relapse row "
                         "for ketamine_iv_repeated")
    row = rows[0]
    return float(row["value"]), _describe(row) + f"; {row['note']}"


# ---------------------------------------------------------------------------
# A course of infusions, and relapse after it
# ---------------------------------------------------------------------------

#: Length of the course, days: up to six infusions over 12 days (murrough2013).
COURSE_DAYS = 12.0
#: Days of the six infusions, counted from the first: an example schedule of three a
#: week that fits the 12-day course. The trial's exact days are not in the table.
COURSE_INFUSION_DAYS = (0.0, 2.0, 4.0, 7.0, 9.0, 11.0)


def course_response_pct(data_dir: Path | str | None = None) -> float:
    """Percent of patients responding at the end of the six-infusion course (murrough2013).

    Raises
    ------
    ValueError
        If the table has no confirmed response row for ``ketamine_iv_repeated``.
    """
    rows = _rows("ketamine_iv_repeated", "response_rate_pct", "active", ("confirmed",), data_dir)
    if not rows:
        raise ValueError("onset_trials.csv has no confirmed response_rate_pct row "
                         "for ketamine_iv_repeated")
    return float(rows[0]["value"])


def still_responding_pct(days, data_dir: Path | str | None = None) -> np.ndarray:
    """Percent of patients still responding after the course: an illustrative relapse model.

    After the course ends (:data:`COURSE_DAYS`), responders relapse at a
    constant rate whose median is the published one (:func:`relapse_median_days`):
    ``response * 0.5 ** ((days - COURSE_DAYS) / median)``. The trial reported the
    median, not the shape of the decline, so the exponential shape is an
    assumption. NaN during the course, where this model does not apply.

    Parameters
    ----------
    days : float or array_like
        Days after the first infusion, 0 to 84 (12 weeks).

    Returns
    -------
    numpy.ndarray
        Percent of all treated patients still responding.
    """
    t = checks.array(days, "days", "days after the first infusion", 0.0, MAX_HOURS / 24.0)
    median, _ = relapse_median_days(data_dir)
    response = course_response_pct(data_dir)
    after = np.clip(t - COURSE_DAYS, 0.0, None)
    return np.where(t <= COURSE_DAYS, np.nan, response * 0.5 ** (after / median))
