"""Pharmacokinetics: how much ketamine is in the blood, and when.

This module solves linear compartment models *exactly*. A model is a set of
well-mixed compartments (the central one is blood plasma) joined by
first-order transfers. Over any stretch of time in which the inputs are
constant (no dose, a bolus at the start, or an infusion running at a fixed
rate), the amounts obey ``x' = A x + r``, whose exact solution is

``x(t + h) = expm(A h) x(t) + (integral of expm(A s) from 0 to h) r``.

Both matrices come from one matrix exponential of an augmented matrix, and
they are cached per step size, so a whole day at half-minute resolution takes
a few milliseconds. Nothing is integrated numerically step by step, so the
results match the closed-form solutions to rounding error.

Units everywhere: amounts in mg, body weight in kg, volumes in L, time in min,
rate constants in 1/min, plasma concentrations in ng/mL.
``1 mg/L = 1 ug/mL = 1000 ng/mL``; ng/mL divided by the molar mass in g/mol
gives micromolar (uM).

Every published parameter set is a frozen dataclass with units in its field
names, a ``source`` key in ``data/references.bib``, the ``population`` it was
fitted on, and a ``status`` (``confirmed``, ``secondary``, ``unconfirmed``,
``conflicting`` or ``assumption``, as in the course fact base). Values were
taken from the course research report (``research/pk_report.md``) or the fact
base (``shared/science/FACTS.md``, section D); each docstring or ``note`` says
where.

numpy and scipy are imported only when a function needs them, so importing
this module is instant.

This is teaching code. It gives no dosing recommendation and is not medical
advice.

References
----------
.. [1] Clements JA, Nimmo WS. Br J Anaesth 1981;53:27 (via opentiva "Clements250").
.. [2] Domino EF et al., PMID 7198883 (via opentiva "Domino"; paper not verified).
.. [3] Herd D, Anderson BJ. Paediatr Anaesth 2007;17:622-9.
.. [4] Kamp J et al. Anesthesiology 2020;133:1192-1213.
.. [5] Perez-Ruixo C et al. Clin Pharmacokinet 2021;60:501-516.
.. [6] Zanos P et al. Pharmacol Rev 2018;70:621-660, Table 1.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from numbers import Real
from typing import Iterable, Mapping, Sequence, Union

__all__ = [
    "MW_KETAMINE_G_PER_MOL",
    "WEIGHT_RANGE_KG",
    "ESKETAMINE_DOSES_MG",
    "ng_per_ml_to_um",
    "MicroConstants",
    "CompartmentModel",
    "AllometricModel",
    "EsketamineNasalModel",
    "CLEMENTS_1981",
    "DOMINO_1982",
    "HERD_2007",
    "KAMP_2020",
    "PEREZ_RUIXO_2021",
    "DEFAULT",
    "MODELS",
    "Route",
    "ROUTES",
    "Dose",
    "PlasmaCurve",
    "simulate",
    "simulate_regimen",
    "esketamine_nasal",
    "terminal_half_life_h",
    "disposition_half_lives_min",
    "time_to_peak_min",
    "absorption_rate_from_tmax",
]

#: Molar mass of ketamine base, C13H16ClNO, g/mol (research report section 6).
#: Esketamine is the S-enantiomer of the same molecule, so it has the same value.
MW_KETAMINE_G_PER_MOL = 237.73

#: Body weights the simulator accepts, kg (inclusive).
WEIGHT_RANGE_KG = (2.0, 250.0)

#: Esketamine nasal doses, mg: one, two or three 28-mg Spravato devices.
ESKETAMINE_DOSES_MG = (28, 56, 84)

#: Largest number of output time points one simulation may produce.
MAX_STEPS = 200_000

_STATUSES = ("confirmed", "secondary", "unconfirmed", "conflicting", "assumption")
_KA_STATUSES = ("published", "derived", "assumption")


# ---------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------

def _number(name: str, value, unit: str, *, low: float | None = None,
            high: float | None = None, low_open: bool = False,
            high_open: bool = False) -> float:
    """Return ``value`` as a float, or raise a ValueError naming it, its unit and range."""
    lo = "" if low is None else (f"> {low:g}" if low_open else f">= {low:g}")
    hi = "" if high is None else (f"< {high:g}" if high_open else f"<= {high:g}")
    allowed = " and ".join(s for s in (lo, hi) if s) or "any finite value"
    unit_text = f" {unit}" if unit else ""
    where = f"{name} ({unit})" if unit else name
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{where} must be a finite number, allowed range {allowed}{unit_text}; "
                         f"got {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{where} must be finite (not NaN or infinity), allowed range "
                         f"{allowed}{unit_text}; got {value!r}")
    too_low = low is not None and (x <= low if low_open else x < low)
    too_high = high is not None and (x >= high if high_open else x > high)
    if too_low or too_high:
        raise ValueError(f"{where} = {x:g}{unit_text} is out of range; allowed range "
                         f"{allowed}{unit_text}")
    return x


def _weight(weight_kg) -> float:
    return _number("weight_kg", weight_kg, "kg", low=WEIGHT_RANGE_KG[0], high=WEIGHT_RANGE_KG[1])


def _time_grid(t_end_min, dt_min):
    """Validated output times 0, dt, 2 dt, ... and t_end (min)."""
    t_end = _number("t_end_min", t_end_min, "min", low=0.0, low_open=True)
    dt = _number("dt_min", dt_min, "min", low=0.0, low_open=True, high=t_end)
    n = int(math.floor(t_end / dt + 1e-9))
    if n > MAX_STEPS:
        raise ValueError(f"t_end_min / dt_min = {t_end / dt:.0f} steps is too many; allowed at "
                         f"most {MAX_STEPS} steps (raise dt_min (min) or lower t_end_min (min))")
    import numpy as np

    times = np.arange(n + 1, dtype=float) * dt
    if t_end - times[-1] > 1e-9 * max(1.0, t_end):
        times = np.append(times, t_end)
    else:
        times[-1] = t_end
    return times


def ng_per_ml_to_um(c, mw_g_per_mol: float = MW_KETAMINE_G_PER_MOL):
    """Convert a plasma concentration from ng/mL to micromolar (uM).

    ``1 ng/mL = 1 ug/L``, and ug/L divided by g/mol is umol/L.

    Parameters
    ----------
    c : float or array_like
        Concentration, ng/mL (>= 0).
    mw_g_per_mol : float, default 237.73
        Molar mass, g/mol. The default is ketamine base.

    Returns
    -------
    float or numpy.ndarray
        Concentration, uM (a float for a scalar input).

    Raises
    ------
    ValueError
        If a concentration is negative or not finite, or the molar mass is not positive.

    Examples
    --------
    >>> round(ng_per_ml_to_um(185.0), 3)   # Zanos 2018: 185 ng/mL ~ 0.78 uM
    0.778
    """
    mw = _number("mw_g_per_mol", mw_g_per_mol, "g/mol", low=0.0, low_open=True)
    if isinstance(c, Real) and not isinstance(c, bool):
        return _number("c", c, "ng/mL", low=0.0) / mw
    import numpy as np

    arr = np.asarray(c, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError("c (ng/mL) must hold finite concentrations >= 0 ng/mL")
    return arr / mw


# ---------------------------------------------------------------------------
# Disposition models
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class MicroConstants:
    """Rate constants of a 1-, 2- or 3-compartment mammillary model, for one body.

    Compartment 1 is central (plasma is sampled there and drug is eliminated
    from it); compartments 2 and 3 are peripheral and exchange only with 1.

    Parameters
    ----------
    v1_l : float
        Central volume, L.
    k10_per_min : float
        Elimination rate constant from the central compartment, 1/min.
    k12_per_min, k21_per_min : float, default 0
        Transfer central -> 2 and 2 -> central, 1/min. Both zero, or both positive.
    k13_per_min, k31_per_min : float, default 0
        Transfer central -> 3 and 3 -> central, 1/min. Both zero, or both positive.

    Raises
    ------
    ValueError
        If a value is not finite, a volume or k10 is not positive, or only one
        of a transfer pair is positive.
    """

    v1_l: float
    k10_per_min: float
    k12_per_min: float = 0.0
    k21_per_min: float = 0.0
    k13_per_min: float = 0.0
    k31_per_min: float = 0.0

    def __post_init__(self):
        _number("v1_l", self.v1_l, "L", low=0.0, low_open=True)
        _number("k10_per_min", self.k10_per_min, "1/min", low=0.0, low_open=True)
        for out, back in (("k12_per_min", "k21_per_min"), ("k13_per_min", "k31_per_min")):
            a = _number(out, getattr(self, out), "1/min", low=0.0)
            b = _number(back, getattr(self, back), "1/min", low=0.0)
            if (a > 0) != (b > 0):
                raise ValueError(f"{out} and {back} (1/min) must both be 0 or both be > 0; "
                                 f"got {a:g} and {b:g}")
        if self.k12_per_min == 0 and self.k13_per_min > 0:
            raise ValueError("k13_per_min (1/min): fill compartment 2 (k12, k21) before "
                             "compartment 3")

    @property
    def n_compartments(self) -> int:
        """1, 2 or 3."""
        return 1 + (self.k12_per_min > 0) + (self.k13_per_min > 0)

    @property
    def clearance_l_per_min(self) -> float:
        """Elimination clearance ``k10 * V1``, L/min."""
        return self.k10_per_min * self.v1_l

    @property
    def v2_l(self) -> float:
        """Volume of compartment 2, ``V1 * k12 / k21``, L (0 if absent)."""
        return self.v1_l * self.k12_per_min / self.k21_per_min if self.k21_per_min else 0.0

    @property
    def v3_l(self) -> float:
        """Volume of compartment 3, ``V1 * k13 / k31``, L (0 if absent)."""
        return self.v1_l * self.k13_per_min / self.k31_per_min if self.k31_per_min else 0.0

    @property
    def vss_l(self) -> float:
        """Volume of distribution at steady state, ``V1 + V2 + V3``, L."""
        return self.v1_l + self.v2_l + self.v3_l

    def _disposition(self) -> "_Disposition":
        names = ("central", "peripheral_2", "peripheral_3")[: self.n_compartments]
        transfers = [(0, 1, self.k12_per_min), (1, 0, self.k21_per_min),
                     (0, 2, self.k13_per_min), (2, 0, self.k31_per_min)]
        n = len(names)
        return _Disposition(
            names=names,
            central_volume_l=self.v1_l,
            transfers=tuple(t for t in transfers if t[2] > 0 and max(t[0], t[1]) < n),
            eliminations=((0, self.k10_per_min),),
        )


@dataclass(frozen=True, kw_only=True)
class CompartmentModel:
    """A published mammillary parameter set given as V1 per kg and rate constants.

    This is how the opentiva package stores its ketamine models: the central
    volume is proportional to body weight and the rate constants are fixed, so
    every clearance scales linearly with weight.

    Parameters
    ----------
    name : str
        Short label, e.g. ``"Clements & Nimmo 1981"``.
    drug : str
        ``"racemic ketamine"`` for every model here.
    v1_l_per_kg : float
        Central volume per kg of body weight, L/kg.
    k10_per_min, k12_per_min, k21_per_min, k13_per_min, k31_per_min : float
        Rate constants, 1/min (0 for an absent compartment).
    weight_scaling : str
        How the parameters change with weight, in words.
    source : str
        Key(s) in ``data/references.bib``, separated by ``;``.
    pmid, doi : str or None
        Identifiers as given by the place the values were seen.
    population : str
        Who the model was fitted on (or that this is unknown).
    status : str
        One of ``confirmed``, ``secondary``, ``unconfirmed``, ``conflicting``, ``assumption``.
    seen_at : str
        Where the values were actually read.
    note : str
        Caveats.
    """

    name: str
    drug: str
    v1_l_per_kg: float
    k10_per_min: float
    k12_per_min: float = 0.0
    k21_per_min: float = 0.0
    k13_per_min: float = 0.0
    k31_per_min: float = 0.0
    weight_scaling: str = ("V1 proportional to body weight; rate constants fixed, so every "
                           "clearance is proportional to weight")
    source: str
    pmid: str | None = None
    doi: str | None = None
    population: str
    status: str
    seen_at: str = ""
    note: str = ""

    def __post_init__(self):
        if self.status not in _STATUSES:
            raise ValueError(f"status must be one of {', '.join(_STATUSES)}; got {self.status!r}")
        self.micro_constants(70.0)  # checks every value once, at definition time

    @property
    def n_compartments(self) -> int:
        """1, 2 or 3."""
        return 1 + (self.k12_per_min > 0) + (self.k13_per_min > 0)

    def micro_constants(self, weight_kg: float = 70.0) -> MicroConstants:
        """The model's rate constants for one body weight.

        Parameters
        ----------
        weight_kg : float, default 70
            Body weight, kg (2 to 250).

        Returns
        -------
        MicroConstants
            V1 in L and rate constants in 1/min.

        Raises
        ------
        ValueError
            If the weight is out of range.
        """
        w = _weight(weight_kg)
        return MicroConstants(v1_l=self.v1_l_per_kg * w, k10_per_min=self.k10_per_min,
                              k12_per_min=self.k12_per_min, k21_per_min=self.k21_per_min,
                              k13_per_min=self.k13_per_min, k31_per_min=self.k31_per_min)


@dataclass(frozen=True, kw_only=True)
class AllometricModel:
    """A 1- or 2-compartment parameter set given as volumes and clearances per 70 kg.

    For weight ``W``: ``V = V_70 * (W/70)**volume_exponent`` and
    ``CL = CL_70 * (W/70)**clearance_exponent`` (the same for Q).

    Parameters
    ----------
    name, drug : str
        Label and drug.
    v1_l_per_70kg : float
        Central volume for a 70-kg body, L.
    cl_l_per_h_per_70kg : float
        Elimination clearance for a 70-kg body, L/h.
    v2_l_per_70kg : float, default 0
        Peripheral volume for a 70-kg body, L (0: one compartment).
    q2_l_per_h_per_70kg : float, default 0
        Inter-compartmental clearance for a 70-kg body, L/h.
    volume_exponent, clearance_exponent : float
        Allometric exponents (dimensionless).
    weight_scaling, source, pmid, doi, population, status, seen_at, note
        As for :class:`CompartmentModel`.
    """

    name: str
    drug: str
    v1_l_per_70kg: float
    cl_l_per_h_per_70kg: float
    v2_l_per_70kg: float = 0.0
    q2_l_per_h_per_70kg: float = 0.0
    volume_exponent: float = 1.0
    clearance_exponent: float = 0.75
    weight_scaling: str
    source: str
    pmid: str | None = None
    doi: str | None = None
    population: str
    status: str
    seen_at: str = ""
    note: str = ""

    def __post_init__(self):
        if self.status not in _STATUSES:
            raise ValueError(f"status must be one of {', '.join(_STATUSES)}; got {self.status!r}")
        self.micro_constants(70.0)

    @property
    def n_compartments(self) -> int:
        """1 or 2."""
        return 2 if self.v2_l_per_70kg > 0 else 1

    def micro_constants(self, weight_kg: float = 70.0) -> MicroConstants:
        """The model's rate constants for one body weight.

        Parameters
        ----------
        weight_kg : float, default 70
            Body weight, kg (2 to 250).

        Returns
        -------
        MicroConstants
            ``k10 = CL/V1``, ``k12 = Q/V1``, ``k21 = Q/V2`` in 1/min; V1 in L.

        Raises
        ------
        ValueError
            If the weight is out of range.
        """
        ratio = _weight(weight_kg) / 70.0
        sv, scl = ratio ** self.volume_exponent, ratio ** self.clearance_exponent
        v1 = self.v1_l_per_70kg * sv
        cl = self.cl_l_per_h_per_70kg / 60.0 * scl
        if self.v2_l_per_70kg > 0:
            v2 = self.v2_l_per_70kg * sv
            q = self.q2_l_per_h_per_70kg / 60.0 * scl
            return MicroConstants(v1_l=v1, k10_per_min=cl / v1, k12_per_min=q / v1,
                                  k21_per_min=q / v2)
        return MicroConstants(v1_l=v1, k10_per_min=cl / v1)


@dataclass(frozen=True, kw_only=True)
class EsketamineNasalModel:
    """Perez-Ruixo 2021 population model of esketamine nasal spray (typical subject).

    Three disposition compartments (central, shallow and deep peripheral) plus a
    hepato-portal ("liver") compartment, well stirred, from which esketamine is
    eliminated (``kel``) or metabolised to noresketamine (``kmet``). Each 28-mg
    device splits into a fraction ``FRn`` absorbed through the nose (first-order
    ``ka_n`` into the central compartment) and a swallowed rest, of which
    ``Fgut`` reaches a gut depot (zero-order over ``Dsw``, then first-order
    ``ka_sw`` into the liver) and the remainder is lost in the gut wall. The
    second and third devices of one dose absorb less through the nose
    (``FRn * 0.62``).

    Values are the paper's Table 3 typical values as encoded, line by line, in
    nlmixr2lib ``PerezRuixo_2020_esketamine.R`` (research report section 4a).
    Rate constants keep the paper's units, 1/h; durations are in h.

    Parameters
    ----------
    vc_l, vp1_l, vp2_l, vh_l : float
        Central, shallow peripheral, deep peripheral and hepato-portal volumes, L.
    q1_l_per_h, q2_l_per_h, qh_l_per_h : float
        Inter-compartmental clearances and hepatic blood flow, L/h.
    kel_per_h, kmet_per_h : float
        Hepatic elimination and metabolism to noresketamine, 1/h.
    ka_nasal_per_h : float
        Nasal-cavity absorption rate constant, 1/h.
    frn_first_device : float
        Fraction of the first device absorbed through the nose.
    frn_later_device_factor : float
        Multiplier on FRn for the second and later devices of a dose.
    swallowed_duration_h : float
        Zero-order input duration of the swallowed portion (Dsw), h.
    ka_swallowed_per_h : float
        First-order absorption of the swallowed portion, 1/h.
    fgut : float
        Fraction of a swallowed dose escaping gut-wall metabolism.
    device_mg : float
        Esketamine per device, mg.
    device_interval_min : float
        Time between devices, min (as in the research report's simulation).

    Notes
    -----
    Typical non-Asian, non-Japanese subject aged 60 or less: the model's race
    and age effects are not applied. Body weight was screened and not retained
    in the model, so there is no weight scaling.
    """

    name: str = "Perez-Ruixo 2021"
    drug: str = "esketamine"
    vc_l: float = 192.0
    q1_l_per_h: float = 84.3
    vp1_l: float = 143.0
    q2_l_per_h: float = 37.6
    vp2_l: float = 417.0
    qh_l_per_h: float = 151.0
    vh_l: float = 101.0
    kel_per_h: float = 1.11
    kmet_per_h: float = 2.77
    ka_nasal_per_h: float = 2.93
    frn_first_device: float = 0.54
    frn_later_device_factor: float = 0.62
    swallowed_duration_h: float = 0.53
    ka_swallowed_per_h: float = 1.45
    fgut: float = 0.64
    device_mg: float = 28.0
    device_interval_min: float = 5.0
    weight_scaling: str = "none: body weight was screened and not retained in the model"
    source: str = "perezruixo2021"
    pmid: str | None = "33128208"
    doi: str | None = "10.1007/s40262-020-00953-4"
    population: str = ("820 subjects in 13 studies: 256 healthy, 564 with treatment-resistant "
                       "depression; age 18-86 y (median 45); weight 39-170 kg (median 74); "
                       "58.4% female; intranasal 14-112 mg, IV 28 mg, oral 84 mg")
    status: str = "secondary"
    seen_at: str = ("nlmixr2/nlmixr2lib inst/modeldb/specificDrugs/PerezRuixo_2020_esketamine.R "
                    "(values annotated to Table 3); paper not opened")
    note: str = ("The paper's table prints rate constants as 'L/h'; nlmixr2lib treats this as a "
                 "typo for 1/h, as here. Its printed ODEs contain typos; the structure follows "
                 "nlmixr2lib. The IIV of kmet is blank in Table 3 (not needed for a typical "
                 "subject). Noresketamine is not modelled here.")

    def __post_init__(self):
        if self.status not in _STATUSES:
            raise ValueError(f"status must be one of {', '.join(_STATUSES)}; got {self.status!r}")
        for f in ("vc_l", "vp1_l", "vp2_l", "vh_l"):
            _number(f, getattr(self, f), "L", low=0.0, low_open=True)
        for f in ("q1_l_per_h", "q2_l_per_h", "qh_l_per_h"):
            _number(f, getattr(self, f), "L/h", low=0.0, low_open=True)
        for f in ("kel_per_h", "kmet_per_h", "ka_nasal_per_h", "ka_swallowed_per_h"):
            _number(f, getattr(self, f), "1/h", low=0.0, low_open=True)
        for f in ("frn_first_device", "fgut"):
            _number(f, getattr(self, f), "", low=0.0, high=1.0)
        _number("frn_later_device_factor", self.frn_later_device_factor, "", low=0.0,
                high=1.0 / self.frn_first_device)
        _number("swallowed_duration_h", self.swallowed_duration_h, "h", low=0.0, low_open=True)
        _number("device_mg", self.device_mg, "mg", low=0.0, low_open=True)
        _number("device_interval_min", self.device_interval_min, "min", low=0.0)

    @property
    def hepatic_extraction(self) -> float:
        """Well-stirred hepatic extraction ``CLint / (Qh + CLint)``, ``CLint = (kel + kmet) Vh``."""
        cl_int = (self.kel_per_h + self.kmet_per_h) * self.vh_l
        return cl_int / (self.qh_l_per_h + cl_int)

    @property
    def clearance_l_per_h(self) -> float:
        """Systemic clearance ``Qh * E``, L/h."""
        return self.qh_l_per_h * self.hepatic_extraction

    def nasal_fraction(self, device: int) -> float:
        """FRn for the ``device``-th device of a dose (0 = first)."""
        return self.frn_first_device * (1.0 if device == 0 else self.frn_later_device_factor)

    def bioavailability(self, dose_mg: float) -> float:
        """Model-implied overall bioavailability of a 28, 56 or 84 mg nasal dose.

        ``F = mean over devices of FRn + (1 - FRn) * Fgut * (1 - E)``.
        """
        n = _esketamine_devices(dose_mg)
        swallowed_f = self.fgut * (1.0 - self.hepatic_extraction)
        return sum(f + (1 - f) * swallowed_f for f in map(self.nasal_fraction, range(n))) / n

    def _disposition(self) -> "_Disposition":
        vc, h = self.vc_l, 60.0
        return _Disposition(
            names=("central", "peripheral_shallow", "peripheral_deep", "liver"),
            central_volume_l=vc,
            transfers=((0, 1, self.q1_l_per_h / vc / h), (1, 0, self.q1_l_per_h / self.vp1_l / h),
                       (0, 2, self.q2_l_per_h / vc / h), (2, 0, self.q2_l_per_h / self.vp2_l / h),
                       (0, 3, self.qh_l_per_h / vc / h), (3, 0, self.qh_l_per_h / self.vh_l / h)),
            eliminations=((3, (self.kel_per_h + self.kmet_per_h) / h),),
        )


# --- Published parameter sets ----------------------------------------------

CLEMENTS_1981 = CompartmentModel(
    name="Clements & Nimmo 1981 (opentiva 'Clements250')",
    drug="racemic ketamine",
    v1_l_per_kg=1.7522, k10_per_min=0.0109, k12_per_min=0.0186, k21_per_min=0.0137,
    source="clements1981",
    pmid="7459184",
    doi="10.1093/bja/53.1.27",
    population=("not found; opentiva labels this set 'based on 250 mcg/kg bolus data' and "
                "gives no age or weight limits"),
    status="secondary",
    seen_at="opentiva/opentiva opentiva/ketamine.py, class Clements250 (research report 1b)",
    note=("Default racemic IV model: its peak after 0.5 mg/kg over 40 min (70 kg) is the closest "
          "of the opentiva models to the 185 ng/mL reported by Zanos 2018. The paper itself was "
          "not opened; the PMID and DOI are opentiva's citation. Its V1 (1.75 L/kg) is very "
          "large, so the model has no fast early distribution phase."),
)

DOMINO_1982 = CompartmentModel(
    name="Domino (opentiva)",
    drug="racemic ketamine",
    v1_l_per_kg=0.063, k10_per_min=0.4381, k12_per_min=0.5921, k13_per_min=0.5900,
    k21_per_min=0.2470, k31_per_min=0.0146,
    source="domino1982",
    pmid="7198883",
    doi=None,
    population="not found (opentiva gives no age or weight limits)",
    status="unconfirmed",
    seen_at="opentiva/opentiva opentiva/ketamine.py, class Domino (research report 1a)",
    note=("The original paper is not confirmed: title, journal, year and population behind "
          "PMID 7198883 were not verified; the values come from opentiva. Its small V1 (4.4 L at "
          "70 kg) gives a sharp fall in concentration after an infusion stops."),
)

HERD_2007 = AllometricModel(
    name="Herd & Anderson 2007",
    drug="racemic ketamine",
    v1_l_per_70kg=38.7, v2_l_per_70kg=102.0,
    cl_l_per_h_per_70kg=90.0, q2_l_per_h_per_70kg=215.0,
    volume_exponent=1.0, clearance_exponent=0.75,
    weight_scaling="allometric: volumes proportional to W/70, clearances to (W/70)**0.75",
    source="herd2007",
    pmid="17564643",
    doi="10.1111/j.1460-9592.2006.02145.x",
    population=("54 children (188 observations), age 8.3 (SD 3.5) y, weight 32.5 (SD 15.6) kg, "
                "1-1.5 mg/kg IV for procedural sedation in an emergency department; opentiva "
                "validity limits age 1-14 y, weight 10.8-74.8 kg"),
    status="confirmed",
    seen_at=("PubMed abstract (PMID 17564643); same numbers in opentiva/ketamine.py class Herd "
             "(research report 1c)"),
    note="Paediatric data: an adult simulation extrapolates outside the fitted population.",
)

KAMP_2020 = AllometricModel(
    name="Kamp 2020 (one-compartment summary)",
    drug="racemic ketamine",
    v1_l_per_70kg=252.0, cl_l_per_h_per_70kg=79.0,
    volume_exponent=1.0, clearance_exponent=1.0,
    weight_scaling=("assumed proportional to weight (the abstract gives values per 70 kg; "
                    "FACTS.md restates CL as ~19 mL/kg/min)"),
    source="kamp2020",
    doi="10.1097/ALN.0000000000003577",
    population=("meta-analysis of 18 studies (report lists 11 in healthy adults, 3 in adult "
                "patients, 5 in paediatric patients); weighted means"),
    status="confirmed",
    seen_at="Anesthesiology abstract (research report 1e)",
    note=("The values (V 252 L/70 kg, CL 79 L/h at 70 kg) are confirmed, but a one-compartment "
          "model built from them is this course's simplification, not the authors' model: it "
          "has no distribution phase, so it underestimates the peak at the end of an infusion."),
)

PEREZ_RUIXO_2021 = EsketamineNasalModel()

#: The default racemic IV model (its protocol peak is closest to 185 ng/mL).
DEFAULT = CLEMENTS_1981

#: Racemic ketamine models by bib key.
MODELS: Mapping[str, Union[CompartmentModel, AllometricModel]] = {
    "clements1981": CLEMENTS_1981,
    "domino1982": DOMINO_1982,
    "herd2007": HERD_2007,
    "kamp2020": KAMP_2020,
}


# ---------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Route:
    """How a dose reaches the blood.

    Parameters
    ----------
    name : str
        Key in :data:`ROUTES`.
    bioavailability : float
        Fraction of the dose that reaches the systemic circulation (0 to 1].
    ka_per_min : float or None
        First-order absorption rate constant, 1/min; None for IV routes.
    lag_min : float, default 0
        Absorption lag time, min.
    infusion : bool, default False
        True for a zero-order (constant-rate) IV infusion.
    bioavailability_range : tuple of float or None
        Range of published values, when they differ.
    tmax_min : float or None
        Reported time to peak that ``ka_per_min`` was derived from, min.
    source : str
        Key(s) in ``data/references.bib`` for the bioavailability (``;``-separated).
    status : str
        Status of the bioavailability value (fact-base levels).
    ka_status : str or None
        ``published``, ``derived`` (from ``tmax_min``) or ``assumption``; None for IV.
    drug : str
        ``racemic ketamine`` or ``esketamine``.
    note : str
        Where each value comes from, and the derivation of ``ka_per_min``.
    """

    name: str
    bioavailability: float
    ka_per_min: float | None
    lag_min: float = 0.0
    infusion: bool = False
    bioavailability_range: tuple[float, float] | None = None
    tmax_min: float | None = None
    source: str
    status: str
    ka_status: str | None = None
    drug: str = "racemic ketamine"
    note: str = ""

    def __post_init__(self):
        _number("bioavailability", self.bioavailability, "fraction", low=0.0, low_open=True,
                high=1.0)
        _number("lag_min", self.lag_min, "min", low=0.0)
        if self.ka_per_min is not None:
            _number("ka_per_min", self.ka_per_min, "1/min", low=0.0, low_open=True)
            if self.infusion:
                raise ValueError("ka_per_min (1/min) must be None for an infusion route")
        if self.status not in _STATUSES:
            raise ValueError(f"status must be one of {', '.join(_STATUSES)}; got {self.status!r}")
        if (self.ka_per_min is None) != (self.ka_status is None):
            raise ValueError(f"ka_status must be one of {', '.join(_KA_STATUSES)} when ka_per_min "
                             "is set, and None otherwise")
        if self.ka_status is not None and self.ka_status not in _KA_STATUSES:
            raise ValueError(f"ka_status must be one of {', '.join(_KA_STATUSES)}; "
                             f"got {self.ka_status!r}")

    @property
    def absorbed(self) -> bool:
        """True when the dose goes through an absorption site (first-order ka)."""
        return self.ka_per_min is not None


_DERIVATION = ("ka derived from the reported Tmax with absorption_rate_from_tmax(), i.e. the ka "
               "for which the default model (Clements & Nimmo 1981) at 70 kg peaks at that time; "
               "with another model the same ka gives a somewhat different Tmax. Rounded to 4 "
               "significant figures.")

#: Routes of administration. Absorption rate constants for racemic ketamine are
#: not published (research report section 3), so they are derived from reported
#: times to peak; no lag time is published for any route, so lag_min is 0.
ROUTES: Mapping[str, Route] = {
    "iv_bolus": Route(
        name="iv_bolus", bioavailability=1.0, ka_per_min=None, source="rolan2014;yanagihara2003",
        status="confirmed",
        note=("Intravenous injection, treated as instantaneous. F = 1 by definition: IV dosing is "
              "the reference against which absolute bioavailability is measured.")),
    "iv_infusion": Route(
        name="iv_infusion", bioavailability=1.0, ka_per_min=None, infusion=True,
        source="rolan2014;yanagihara2003", status="confirmed",
        note=("Constant-rate intravenous infusion, as in the antidepressant protocol of Berman "
              "2000 and Zarate 2006 (0.5 mg/kg over 40 min). F = 1 by definition.")),
    "im": Route(
        name="im", bioavailability=0.93, ka_per_min=0.2470, tmax_min=10.0,
        source="clements1982", status="secondary", ka_status="derived",
        note=("F 93%: secondary sources only (primidi.com, a course page); the primary, Clements "
              "1982 J Pharm Sci 71:539, was not reached. Tmax 10 min is the middle of the "
              "secondary '5-15 minutes' to peak. " + _DERIVATION)),
    "intranasal": Route(
        name="intranasal", bioavailability=0.45, ka_per_min=0.1223, tmax_min=16.0,
        bioavailability_range=(0.11, 0.45),
        source="yanagihara2003", status="conflicting", ka_status="derived",
        note=("Racemic ketamine nasal spray. Sources disagree: Yanagihara 2003 found ~45% "
              "(25 mg spray, n = 3; Miller's Anesthesia gives ~40-50%), while a 2022 study "
              "(Pharmacotherapy 42:298, doi 10.1002/phar.2669, authors not captured, no bib entry) "
              "found 17%, 13% and 11% at 10, 30 and 50 mg. 0.45 is the top of the range; simulate "
              "bioavailability_range to show the spread. Tmax 16 min is the middle of that 2022 "
              "study's geometric means (23, 14, 16 min). " + _DERIVATION)),
    "oral": Route(
        name="oral", bioavailability=0.20, ka_per_min=0.01653, tmax_min=57.6,
        bioavailability_range=(0.15, 0.23),
        source="yanagihara2003;chong2006", status="secondary", ka_status="derived",
        note=("F ~20%: Yanagihara 2003 (oral tablet, n = 3). Other values: 23 +/- 9% (Chong 2006, "
              "n = 6) and 15-19% (prolonged-release tablet, Anesthesiology 2021;135:326); the fact "
              "base says ~16-20%. Tmax 0.96 h = 57.6 min (Chong 2006). First-pass metabolism is "
              "inside F. " + _DERIVATION)),
    "sublingual": Route(
        name="sublingual", bioavailability=0.29, ka_per_min=0.02397, tmax_min=45.0,
        bioavailability_range=(0.27, 0.31),
        source="rolan2014", status="confirmed", ka_status="derived",
        note=("Sublingual wafer, 25 mg, n = 8 healthy men: F 29% (90% CI 27-31%), Tmax 0.75 h "
              "(range 0.25-1.0 h); first quantifiable level within 5 min (Rolan 2014). "
              + _DERIVATION)),
    "esketamine_nasal": Route(
        name="esketamine_nasal", bioavailability=0.48, ka_per_min=2.93 / 60.0,
        source="spravato_label;perezruixo2021", status="confirmed", ka_status="published",
        drug="esketamine",
        note=("Spravato: mean absolute bioavailability 48%, Tmax 20-40 min after the last spray "
              "(label). ka is Perez-Ruixo 2021's nasal-cavity ka_n = 2.93 /h. For curves use "
              "esketamine_nasal(), which runs the full Perez-Ruixo model (nasal and swallowed "
              "portions); this entry is a summary.")),
}


def _route(route) -> Route:
    if isinstance(route, Route):
        return route
    if isinstance(route, str) and route in ROUTES:
        return ROUTES[route]
    raise ValueError(f"route {route!r} is unknown; known routes: {', '.join(sorted(ROUTES))} "
                     "(or pass a Route)")


def _racemic_model(model):
    if isinstance(model, str):
        if model in MODELS:
            return MODELS[model]
        raise ValueError(f"model {model!r} is unknown; known models: {', '.join(sorted(MODELS))}")
    if isinstance(model, (CompartmentModel, AllometricModel)):
        return model
    if isinstance(model, EsketamineNasalModel):
        raise ValueError("model: the esketamine nasal model runs through esketamine_nasal(), not "
                         "simulate()")
    raise ValueError(f"model must be a CompartmentModel, an AllometricModel or one of "
                     f"{', '.join(sorted(MODELS))}; got {model!r}")


# ---------------------------------------------------------------------------
# The exact linear engine
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Disposition:
    """Systemic compartments: index 0 is sampled; transfers are (from, to, k/min)."""

    names: tuple[str, ...]
    central_volume_l: float
    transfers: tuple[tuple[int, int, float], ...]
    eliminations: tuple[tuple[int, float], ...]

    def systemic_matrix(self):
        import numpy as np

        n = len(self.names)
        a = np.zeros((n, n))
        for i, j, k in self.transfers:
            a[j, i] += k
            a[i, i] -= k
        for i, k in self.eliminations:
            a[i, i] -= k
        return a


@dataclass(frozen=True)
class _Input:
    """Drug entering ``state``: ``amount_mg`` from ``start_min``, spread over ``duration_min``."""

    state: int
    amount_mg: float
    start_min: float
    duration_min: float = 0.0


class _System:
    """State layout: systemic compartments, absorption depots, then two sinks."""

    def __init__(self, disposition: _Disposition, depots: Sequence[tuple[float, int]]):
        import numpy as np

        ns, nd = len(disposition.names), len(depots)
        n = ns + nd + 2
        self.disposition = disposition
        self.n_systemic, self.n_depots = ns, nd
        self.eliminated, self.not_absorbed = ns + nd, ns + nd + 1
        a = np.zeros((n, n))
        a[:ns, :ns] = disposition.systemic_matrix()
        for i, k in disposition.eliminations:
            a[self.eliminated, i] += k
        for d, (ka, target) in enumerate(depots):
            a[ns + d, ns + d] = -ka
            a[target, ns + d] += ka
        self.matrix = a

    def solve(self, inputs: Sequence[_Input], times):
        """Amounts in every state (mg) at each of ``times`` (min), shape (len(times), n)."""
        import numpy as np

        a = self.matrix
        n = a.shape[0]
        key = a.tobytes()
        t_end = float(times[-1])
        tol = 1e-9 * max(1.0, t_end)
        grid = [float(t) for t in times]

        # Breakpoints: every output time plus every dose start and infusion end.
        events = []
        for inp in inputs:
            events.append(inp.start_min)
            if inp.duration_min > 0:
                events.append(inp.start_min + inp.duration_min)
        idx = np.searchsorted(times, events)
        snapped = set()
        for e, i in zip(events, idx):
            near = [grid[j] for j in (i - 1, i) if 0 <= j < len(grid) and abs(grid[j] - e) <= tol]
            if e <= t_end + tol:
                snapped.add(near[0] if near else e)
        grid_set = set(grid)
        bounds: list[float] = []
        for b in sorted(grid_set | snapped):
            if bounds and b - bounds[-1] <= tol:
                if b in grid_set:
                    bounds[-1] = b
                continue
            bounds.append(b)
        b_arr = np.asarray(bounds)

        def where(t):
            j = int(np.searchsorted(b_arr, t - tol))
            return j if j < len(bounds) and abs(bounds[j] - t) <= tol else None

        boluses: dict[int, list[_Input]] = {}
        changes: dict[int, list[tuple[int, bool]]] = {}  # (input number, starts?)
        for number, inp in enumerate(inputs):
            j = where(inp.start_min)
            if j is None:
                continue  # starts after the end of the simulation
            if inp.duration_min > 0:
                changes.setdefault(j, []).append((number, True))
                k = where(inp.start_min + inp.duration_min)
                if k is not None:
                    changes.setdefault(k, []).append((number, False))
            else:
                boluses.setdefault(j, []).append(inp)

        # One pair of step matrices per distinct step length (usually just dt).
        steps = np.round(np.diff(b_arr), 12).tolist()
        matrices = {h: _step_matrices(key, n, h) for h in set(steps)}
        step_matrices = [matrices[h] for h in steps] + [None]
        recorded = [b in grid_set for b in bounds]

        out = np.empty((len(grid), n))
        x = np.zeros(n)
        r = np.zeros(n)
        running: set[int] = set()
        infusing = False
        g = 0
        for j, (record, pair) in enumerate(zip(recorded, step_matrices)):
            if j in boluses:
                for inp in boluses[j]:
                    x[inp.state] += inp.amount_mg
            if j in changes:
                for number, starts in changes[j]:
                    (running.add if starts else running.discard)(number)
                r[:] = 0.0
                for number in running:
                    inp = inputs[number]
                    r[inp.state] += inp.amount_mg / inp.duration_min
                infusing = bool(running)
            if record:
                out[g] = x
                g += 1
            if pair is not None:
                x = pair[0] @ x
                if infusing:
                    x += pair[1] @ r
        return out


@functools.lru_cache(maxsize=512)
def _step_matrices(matrix_bytes: bytes, n: int, h_min: float):
    """``expm(A h)`` and ``integral_0^h expm(A s) ds`` from one augmented exponential."""
    import numpy as np
    from scipy.linalg import expm

    a = np.frombuffer(matrix_bytes, dtype=float).reshape(n, n)
    m = np.zeros((2 * n, 2 * n))
    m[:n, :n] = a * h_min
    m[:n, n:] = np.eye(n) * h_min
    e = expm(m)
    phi, gamma = e[:n, :n].copy(), e[:n, n:].copy()
    phi.flags.writeable = False
    gamma.flags.writeable = False
    return phi, gamma


# ---------------------------------------------------------------------------
# Doses and results
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Dose:
    """One administration.

    Parameters
    ----------
    amount_mg : float
        Dose, mg (before bioavailability).
    time_min : float, default 0
        When it is given (start of an infusion), min.
    route : str or Route, default "iv_bolus"
        Key of :data:`ROUTES`, or a :class:`Route`.
    duration_min : float, default 0
        Infusion duration, min; > 0 for ``iv_infusion`` and 0 otherwise.
    """

    amount_mg: float
    time_min: float = 0.0
    route: Union[str, Route] = "iv_bolus"
    duration_min: float = 0.0


@dataclass(frozen=True, eq=False, kw_only=True)
class PlasmaCurve:
    """A simulated plasma concentration-time curve and where the drug is.

    All arrays share ``time_min`` and are read-only. At every time,
    ``amount_given_mg = amount_in_body_mg + amount_at_absorption_site_mg
    + amount_eliminated_mg + amount_not_absorbed_mg`` (see :meth:`mass_balance_error`).

    Attributes
    ----------
    time_min : numpy.ndarray
        Time since the first dose, min.
    concentration_ng_per_ml : numpy.ndarray
        Plasma (central-compartment) concentration, ng/mL.
    amount_given_mg : numpy.ndarray
        Drug that has entered the model so far, mg. An infusion counts as it runs;
        a dose with a lag time counts from the end of the lag.
    amount_in_body_mg : numpy.ndarray
        Drug in the systemic compartments (plasma, tissues, liver), mg.
    amount_at_absorption_site_mg : numpy.ndarray
        Drug in absorption depots (muscle, nasal mucosa, gut), mg.
    amount_eliminated_mg : numpy.ndarray
        Drug eliminated (metabolised or excreted) so far, mg.
    amount_not_absorbed_mg : numpy.ndarray
        The ``1 - F`` part of extravascular racemic doses (first-pass loss included),
        or, for esketamine, the swallowed part lost in the gut wall, mg. (The
        esketamine model's hepatic first pass counts as eliminated.)
    drug, model_name : str
        What was simulated, with which model.
    weight_kg : float or None
        Body weight, kg (None when the model does not use weight).
    doses : tuple of Dose
        The regimen.
    """

    time_min: "np.ndarray"
    concentration_ng_per_ml: "np.ndarray"
    amount_given_mg: "np.ndarray"
    amount_in_body_mg: "np.ndarray"
    amount_at_absorption_site_mg: "np.ndarray"
    amount_eliminated_mg: "np.ndarray"
    amount_not_absorbed_mg: "np.ndarray"
    drug: str
    model_name: str
    weight_kg: float | None
    doses: tuple[Dose, ...] = field(default=())

    def peak(self) -> tuple[float, float]:
        """Time and height of the highest concentration on the output grid.

        Returns
        -------
        (float, float)
            ``(t_min, c_ng_per_ml)``: time of the peak, min, and the peak
            concentration, ng/mL. The first maximum wins a tie.
        """
        i = int(self.concentration_ng_per_ml.argmax())
        return float(self.time_min[i]), float(self.concentration_ng_per_ml[i])

    def in_um(self) -> "np.ndarray":
        """Concentration in micromolar, uM (237.73 g/mol: ketamine and esketamine base)."""
        return self.concentration_ng_per_ml / MW_KETAMINE_G_PER_MOL

    @property
    def last_dose_min(self) -> float:
        """Start time of the last dose, min (0 if there were none)."""
        return max((float(d.time_min) for d in self.doses), default=0.0)

    def amount_balance(self) -> dict[str, float]:
        """Where the drug is at the end of the simulation, mg.

        Returns
        -------
        dict
            ``given``, ``in_body``, ``at_absorption_site``, ``eliminated``,
            ``not_absorbed`` and ``residual`` (given minus the other four), all mg.
        """
        parts = {"given": self.amount_given_mg[-1], "in_body": self.amount_in_body_mg[-1],
                 "at_absorption_site": self.amount_at_absorption_site_mg[-1],
                 "eliminated": self.amount_eliminated_mg[-1],
                 "not_absorbed": self.amount_not_absorbed_mg[-1]}
        parts = {k: float(v) for k, v in parts.items()}
        parts["residual"] = parts["given"] - sum(v for k, v in parts.items() if k != "given")
        return parts

    def mass_balance_error(self) -> float:
        """Largest ``|given - accounted|`` over time, relative to the total dose (0 if no dose)."""
        import numpy as np

        accounted = (self.amount_in_body_mg + self.amount_at_absorption_site_mg
                     + self.amount_eliminated_mg + self.amount_not_absorbed_mg)
        total = float(self.amount_given_mg.max(initial=0.0))
        if total == 0.0:
            return float(np.abs(accounted).max(initial=0.0))
        return float(np.abs(self.amount_given_mg - accounted).max() / total)


def _amount_given(inputs: Iterable[_Input], times):
    import numpy as np

    given = np.zeros_like(times)
    tol = 1e-9 * max(1.0, float(times[-1]))
    for inp in inputs:
        if inp.duration_min > 0:
            given += inp.amount_mg * np.clip((times - inp.start_min) / inp.duration_min, 0.0, 1.0)
        else:
            given += np.where(times >= inp.start_min - tol, inp.amount_mg, 0.0)
    return given


def _curve(system: _System, inputs: list[_Input], times, *, drug, model_name, weight_kg,
           doses) -> PlasmaCurve:
    # An infusion shorter than the time resolution is a bolus.
    tol = 1e-9 * max(1.0, float(times[-1]))
    inputs = [inp if inp.duration_min > tol else _Input(inp.state, inp.amount_mg, inp.start_min)
              for inp in inputs]
    x = system.solve(inputs, times)
    ns, nd = system.n_systemic, system.n_depots
    arrays = {
        "time_min": times,
        "concentration_ng_per_ml": x[:, 0] / system.disposition.central_volume_l * 1000.0,
        "amount_given_mg": _amount_given(inputs, times),
        "amount_in_body_mg": x[:, :ns].sum(axis=1),
        "amount_at_absorption_site_mg": x[:, ns:ns + nd].sum(axis=1),
        "amount_eliminated_mg": x[:, system.eliminated].copy(),
        "amount_not_absorbed_mg": x[:, system.not_absorbed].copy(),
    }
    for arr in arrays.values():
        arr.flags.writeable = False
    return PlasmaCurve(**arrays, drug=drug, model_name=model_name, weight_kg=weight_kg,
                       doses=tuple(doses))


# ---------------------------------------------------------------------------
# Public simulators
# ---------------------------------------------------------------------------

def simulate_regimen(doses: Sequence[Dose], weight_kg: float = 70.0, model=DEFAULT,
                     t_end_min: float = 480.0, dt_min: float = 0.5) -> PlasmaCurve:
    """Plasma concentrations of racemic ketamine after any mix of doses and routes.

    Parameters
    ----------
    doses : sequence of Dose
        Boluses, infusions and extravascular doses, in any order.
    weight_kg : float, default 70
        Body weight, kg (2 to 250).
    model : CompartmentModel, AllometricModel or str, default DEFAULT
        A racemic model, or its key in :data:`MODELS`.
    t_end_min : float, default 480
        End of the simulation, min (> 0).
    dt_min : float, default 0.5
        Output spacing, min (0 < dt_min <= t_end_min). The solution is exact at
        every output time whatever the spacing.

    Returns
    -------
    PlasmaCurve

    Raises
    ------
    ValueError
        For an unknown route or model, a negative or non-finite amount, a dose
        outside ``[0, t_end_min]``, an infusion without a positive duration or
        running past ``t_end_min``, a duration on a non-infusion route, an
        esketamine route, or an out-of-range weight, time or step.

    Examples
    --------
    Two 0.25 mg/kg infusions, one hour apart, in a 70-kg adult:

    >>> regimen = [Dose(17.5, 0, "iv_infusion", 20), Dose(17.5, 60, "iv_infusion", 20)]
    >>> curve = simulate_regimen(regimen)
    """
    w = _weight(weight_kg)
    m = _racemic_model(model)
    times = _time_grid(t_end_min, dt_min)
    t_end = float(times[-1])
    micro = m.micro_constants(w)
    doses = tuple(doses)
    depot_ka: list[float] = []
    plan: list[tuple[str, Route, float, float, float]] = []
    for i, d in enumerate(doses):
        if not isinstance(d, Dose):
            raise ValueError(f"doses[{i}] must be a Dose; got {d!r}")
        r = _route(d.route)
        if r.drug != "racemic ketamine":
            raise ValueError(f"doses[{i}].route {r.name!r} is for {r.drug}; use esketamine_nasal()")
        amount = _number(f"doses[{i}].amount_mg", d.amount_mg, "mg", low=0.0)
        start = _number(f"doses[{i}].time_min", d.time_min, "min", low=0.0, high=t_end)
        if r.infusion:
            dur = _number(f"doses[{i}].duration_min", d.duration_min, "min", low=0.0,
                          low_open=True, high=t_end - start)
        else:
            dur = _number(f"doses[{i}].duration_min", d.duration_min, "min", low=0.0, high=0.0)
        if r.absorbed and r.ka_per_min not in depot_ka:
            depot_ka.append(r.ka_per_min)
        plan.append((f"doses[{i}]", r, amount, start, dur))

    disposition = micro._disposition()
    ns = len(disposition.names)
    system = _System(disposition, [(ka, 0) for ka in depot_ka])
    inputs: list[_Input] = []
    for _, r, amount, start, dur in plan:
        f = r.bioavailability
        if r.absorbed:
            t = start + r.lag_min
            inputs.append(_Input(ns + depot_ka.index(r.ka_per_min), amount * f, t))
            inputs.append(_Input(system.not_absorbed, amount * (1.0 - f), t))
        else:
            inputs.append(_Input(0, amount * f, start, dur))
            if f < 1.0:
                inputs.append(_Input(system.not_absorbed, amount * (1.0 - f), start, dur))
    return _curve(system, inputs, times, drug="racemic ketamine", model_name=m.name,
                  weight_kg=w, doses=doses)


def simulate(dose_mg_per_kg: float, weight_kg: float = 70.0, route="iv_infusion",
             infusion_min: float = 40.0, model=DEFAULT, t_end_min: float = 480.0,
             dt_min: float = 0.5) -> PlasmaCurve:
    """Plasma concentrations of racemic ketamine after one dose.

    Parameters
    ----------
    dose_mg_per_kg : float
        Dose, mg per kg of body weight (>= 0).
    weight_kg : float, default 70
        Body weight, kg (2 to 250).
    route : str or Route, default "iv_infusion"
        Key of :data:`ROUTES` (``iv_infusion``, ``iv_bolus``, ``im``,
        ``intranasal``, ``oral``, ``sublingual``) or a :class:`Route`.
    infusion_min : float, default 40
        Infusion duration, min (0 < infusion_min <= t_end_min); used only for
        an infusion route.
    model : CompartmentModel, AllometricModel or str, default DEFAULT
        A racemic model, or its key in :data:`MODELS`.
    t_end_min : float, default 480
        End of the simulation, min.
    dt_min : float, default 0.5
        Output spacing, min.

    Returns
    -------
    PlasmaCurve

    Raises
    ------
    ValueError
        For a negative or non-finite dose, a weight outside 2-250 kg, an unknown
        route (the message lists the known ones), the esketamine route, an
        infusion longer than the simulation, or an invalid time grid.

    Examples
    --------
    The antidepressant protocol, 0.5 mg/kg over 40 min, in a 70-kg adult:

    >>> t_peak, c_peak = simulate(0.5).peak()
    >>> t_peak
    40.0
    """
    dose = _number("dose_mg_per_kg", dose_mg_per_kg, "mg/kg", low=0.0)
    w = _weight(weight_kg)
    r = _route(route)
    if r.drug != "racemic ketamine":
        raise ValueError(f"route {r.name!r} is for {r.drug}: use esketamine_nasal(dose_mg) "
                         f"instead; racemic routes: "
                         f"{', '.join(k for k, v in sorted(ROUTES.items()) if v.drug != r.drug)}")
    t_end = _number("t_end_min", t_end_min, "min", low=0.0, low_open=True)
    duration = 0.0
    if r.infusion:
        duration = _number("infusion_min", infusion_min, "min", low=0.0, low_open=True)
        if duration > t_end:
            raise ValueError(f"infusion_min (min) = {duration:g} min is longer than the simulation "
                             f"(t_end_min = {t_end:g} min); allowed range > 0 and <= t_end_min min")
    label = route if isinstance(route, str) else r
    return simulate_regimen([Dose(dose * w, 0.0, label, duration)], weight_kg=w, model=model,
                            t_end_min=t_end, dt_min=dt_min)


def _esketamine_devices(dose_mg) -> int:
    ok = (isinstance(dose_mg, Real) and not isinstance(dose_mg, bool)
          and math.isfinite(float(dose_mg)) and float(dose_mg) in ESKETAMINE_DOSES_MG)
    if not ok:
        allowed = ", ".join(map(str, ESKETAMINE_DOSES_MG))
        raise ValueError(f"dose_mg (mg) must be one of {allowed} mg "
                         f"(one to three 28-mg Spravato devices); got {dose_mg!r}")
    return int(round(float(dose_mg) / 28.0))


def esketamine_nasal(dose_mg: float = 56, t_end_min: float = 720.0, dt_min: float = 0.5,
                     model: EsketamineNasalModel = PEREZ_RUIXO_2021) -> PlasmaCurve:
    """Plasma esketamine after a Spravato nasal dose, with the Perez-Ruixo 2021 model.

    Each 28-mg device is given ``model.device_interval_min`` (5 min) after the
    previous one. Per device, ``FRn * 28 mg`` enters the nasal depot;
    ``(1 - FRn) * Fgut * 28 mg`` enters a gut depot at a constant rate over
    ``Dsw`` (0.53 h) and is absorbed into the liver; the rest of the swallowed
    part is lost in the gut wall. FRn is 0.54 for the first device and
    ``0.54 * 0.62`` for later ones.

    Parameters
    ----------
    dose_mg : {28, 56, 84}, default 56
        Dose, mg.
    t_end_min : float, default 720
        End of the simulation, min since the first device.
    dt_min : float, default 0.5
        Output spacing, min.
    model : EsketamineNasalModel, default PEREZ_RUIXO_2021

    Returns
    -------
    PlasmaCurve
        ``last_dose_min`` is the time of the last device: the label's Tmax
        (20-40 min) counts from the last spray.

    Raises
    ------
    ValueError
        If ``dose_mg`` is not 28, 56 or 84, or the time grid is invalid.
    """
    n = _esketamine_devices(dose_mg)
    if not isinstance(model, EsketamineNasalModel):
        raise ValueError(f"model must be an EsketamineNasalModel; got {model!r}")
    times = _time_grid(t_end_min, dt_min)
    disposition = model._disposition()
    ns = len(disposition.names)
    nasal, gut = ns, ns + 1
    system = _System(disposition, [(model.ka_nasal_per_h / 60.0, 0),
                                   (model.ka_swallowed_per_h / 60.0, 3)])
    dsw = model.swallowed_duration_h * 60.0
    inputs: list[_Input] = []
    doses = []
    for i in range(n):
        t = i * model.device_interval_min
        frn = model.nasal_fraction(i)
        swallowed = (1.0 - frn) * model.device_mg
        inputs += [_Input(nasal, frn * model.device_mg, t),
                   _Input(gut, swallowed * model.fgut, t, dsw),
                   _Input(system.not_absorbed, swallowed * (1.0 - model.fgut), t, dsw)]
        doses.append(Dose(model.device_mg, t, "esketamine_nasal"))
    return _curve(system, inputs, times, drug="esketamine", model_name=model.name,
                  weight_kg=None, doses=doses)


# ---------------------------------------------------------------------------
# Half-lives and absorption
# ---------------------------------------------------------------------------

def _disposition_of(model, weight_kg) -> _Disposition:
    if isinstance(model, EsketamineNasalModel):
        return model._disposition()
    if isinstance(model, MicroConstants):
        return model._disposition()
    return _racemic_model(model).micro_constants(_weight(weight_kg))._disposition()


def disposition_half_lives_min(model=DEFAULT, weight_kg: float = 70.0) -> tuple[float, ...]:
    """Half-lives of the disposition phases, fastest first, min.

    They are ``ln 2 / |lambda|`` for the eigenvalues ``lambda`` of the
    systemic rate matrix (absorption excluded).

    Parameters
    ----------
    model : CompartmentModel, AllometricModel, EsketamineNasalModel, MicroConstants or str
    weight_kg : float, default 70
        Body weight, kg (ignored by the esketamine model and by MicroConstants).

    Returns
    -------
    tuple of float
        One half-life per compartment, min.
    """
    import numpy as np

    lam = np.linalg.eigvals(_disposition_of(model, weight_kg).systemic_matrix()).real
    return tuple(sorted(float(math.log(2) / -x) for x in lam))


def terminal_half_life_h(model=DEFAULT, weight_kg: float = 70.0) -> float:
    """Terminal (slowest) elimination half-life, h.

    Parameters
    ----------
    model : CompartmentModel, AllometricModel, EsketamineNasalModel, MicroConstants or str
    weight_kg : float, default 70
        Body weight, kg.

    Returns
    -------
    float
        ``ln 2 / |lambda_slowest| / 60``, h.

    Examples
    --------
    >>> round(terminal_half_life_h(CLEMENTS_1981), 2)
    3.05
    """
    return disposition_half_lives_min(model, weight_kg)[-1] / 60.0


def time_to_peak_min(ka_per_min: float, model=DEFAULT, weight_kg: float = 70.0,
                     lag_min: float = 0.0) -> float:
    """Exact time of the plasma peak after one first-order absorbed dose, min.

    Parameters
    ----------
    ka_per_min : float
        Absorption rate constant, 1/min (> 0).
    model : CompartmentModel, AllometricModel, MicroConstants or str, default DEFAULT
    weight_kg : float, default 70
        Body weight, kg.
    lag_min : float, default 0
        Lag time, min, added to the result.

    Returns
    -------
    float
        Time of peak plasma concentration, min (does not depend on dose or F).
    """
    import numpy as np
    from scipy.linalg import expm
    from scipy.optimize import brentq

    ka = _number("ka_per_min", ka_per_min, "1/min", low=0.0, low_open=True)
    lag = _number("lag_min", lag_min, "min", low=0.0)
    disp = _disposition_of(model, weight_kg)
    ns = len(disp.names)
    a = np.zeros((ns + 1, ns + 1))
    a[:ns, :ns] = disp.systemic_matrix()
    a[ns, ns], a[0, ns] = -ka, ka
    start = np.zeros(ns + 1)
    start[ns] = 1.0

    # d(central amount)/dt after a unit dose in the depot: a sum of exponentials
    # when the matrix diagonalises well, otherwise from the matrix exponential.
    lam, vec = np.linalg.eig(a)
    if np.linalg.cond(vec) < 1e8:
        weights = vec[0, :] * np.linalg.solve(vec, start) * lam

        def slope(t):
            return float((weights * np.exp(lam * t)).real.sum())
    else:  # ka (almost) equal to a disposition rate constant: a defective matrix
        def slope(t):
            return float((a @ (expm(a * t) @ start))[0])

    hi = 1.0 / ka
    while slope(hi) > 0:
        hi *= 2.0
        if hi > 1e7:
            raise ValueError("no peak found within 1e7 min")
    return brentq(slope, 0.0, hi, xtol=1e-10, rtol=1e-12) + lag


def absorption_rate_from_tmax(tmax_min: float, model=DEFAULT, weight_kg: float = 70.0) -> float:
    """The first-order absorption rate constant that puts the peak at ``tmax_min``.

    This is how the ``ka_per_min`` values in :data:`ROUTES` were derived from
    reported times to peak (default model, 70 kg).

    Parameters
    ----------
    tmax_min : float
        Reported time to peak, min (> 0).
    model : CompartmentModel, AllometricModel, MicroConstants or str, default DEFAULT
    weight_kg : float, default 70
        Body weight, kg.

    Returns
    -------
    float
        ka, 1/min.

    Raises
    ------
    ValueError
        If no ka between 1e-4 and 100 /min gives that peak time.
    """
    from scipy.optimize import brentq

    target = _number("tmax_min", tmax_min, "min", low=0.0, low_open=True)
    lo, hi = 1e-4, 100.0

    def gap(log_ka):
        return time_to_peak_min(math.exp(log_ka), model, weight_kg) - target

    if gap(math.log(lo)) < 0 or gap(math.log(hi)) > 0:
        raise ValueError(f"tmax_min (min) = {target:g} min cannot be reached with ka between "
                         f"{lo:g} and {hi:g} 1/min for this model")
    return math.exp(brentq(gap, math.log(lo), math.log(hi), xtol=1e-12))
