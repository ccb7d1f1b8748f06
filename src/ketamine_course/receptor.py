"""The NMDA receptor and the drugs that block its channel.

Three layers, each tested on its own:

1. **The channel.** :func:`nmda_current_pa` gives the macroscopic current of
   an NMDA receptor. It conducts only when glutamate *and* glycine are bound
   (coincidence detection) and when the membrane is depolarised enough to
   expel Mg2+ from the pore (:func:`mg_unblocked_fraction`, the Jahr & Stevens
   equation).
2. **Binding at equilibrium.** :func:`occupancy` is the fraction of receptors
   a drug occupies at a given concentration; :data:`AFFINITIES` holds the
   published inhibition constants of ketamine and its two mirror-image forms.
3. **Binding in time.** :func:`simulate_block` runs a four-state kinetic
   scheme of open-channel block with trapping. It shows why ketamine block
   is *use-dependent* (it builds only while channels open) and *trapped* (it
   stays after the drug is gone, until the channels open again), and how
   memantine and Mg2+ differ.

Units are in the names: ``_mv`` millivolts, ``_mm`` millimolar, ``_um``
micromolar, ``_ns`` nanosiemens, ``_pa`` picoamperes, ``_s`` seconds, ``_ms``
milliseconds, ``_per_s`` per second, ``_per_um_s`` per micromolar per second.
Every function rejects NaN, infinity and out-of-range values with a
``ValueError`` that names the parameter, its unit and the allowed range.

Only numpy is imported at module level; scipy is imported inside
:func:`simulate_block`, so ``import ketamine_course.receptor`` stays fast.

References
----------
Keys in ``data/references.bib``:

- ``jahr1990``: Jahr CE, Stevens CF (1990). J Neurosci 10:3178-3182.
  The Mg2+ block equation.
- ``traynelis2010``: Traynelis S et al. (2010). Pharmacol Rev 62:405-496.
  Coincidence detection; open-channel block.
- ``ebert1997``: Ebert B et al. (1997). Eur J Pharmacol 333:99-104.
  Ki of (S)- and (R)-ketamine against [3H]MK-801 binding.
- ``blanpied1997``: Blanpied TA et al. (1997). J Neurophysiol 77:309-323.
  Trapping block; memantine is partially trapped.
- ``kotermanski2009``: (2009). J Physiol 587:4589-4604. Ketamine is trapped
  in nearly all channels, memantine only partly (superficial site).
- ``zanos2018``: Zanos P et al. (2018). Pharmacol Rev 70:621-660.
  Plasma ketamine at the end of a 0.5 mg/kg, 40 min infusion.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Union

import numpy as np

from . import checks, units

__all__ = [
    "AFFINITIES",
    "ANTIDEPRESSANT_PEAK_UM",
    "BLOCKERS",
    "BindingAffinity",
    "BlockTrace",
    "BlockerKinetics",
    "ChannelGating",
    "JAHR_STEVENS_MG_MM",
    "JAHR_STEVENS_PER_MV",
    "JAHR_STEVENS_SOURCE",
    "KETAMINE_MW_G_PER_MOL",
    "NMDA_GATING",
    "mg_unblocked_fraction",
    "ng_per_ml_to_um",
    "nmda_current_pa",
    "occupancy",
    "simulate_block",
]

ArrayLike = Union[float, "np.ndarray", list, tuple]

# ---------------------------------------------------------------------------
# Allowed ranges (inclusive unless stated). They bound what the course
# shows, not what is physically possible.
# ---------------------------------------------------------------------------
VOLTAGE_RANGE_MV = (-120.0, 60.0)
MG_RANGE_MM = (0.0, 10.0)
CONCENTRATION_RANGE_UM = (0.0, 1000.0)
#: Mg2+ is simulated as a blocker in micromolar, up to the same 10 mM.
MG_CONCENTRATION_RANGE_UM = (0.0, 10_000.0)
HILL_RANGE = (0.1, 5.0)
PULSE_HZ_RANGE = (0.0, 100.0)
PULSE_MS_RANGE = (0.01, 1000.0)
DURATION_MAX_S = 3600.0
MAX_SAMPLES = 1_000_000
DEFAULT_DT_S = 0.05

# ---------------------------------------------------------------------------
# Mg2+ block (Jahr & Stevens 1990)
# ---------------------------------------------------------------------------
#: Citation key of the Mg2+ block constants.
JAHR_STEVENS_SOURCE = "jahr1990"
#: [Mg2+]o that halves the conductance at 0 mV, in mM. Some models use 2.62 mM.
JAHR_STEVENS_MG_MM = 3.57
#: Steepness of the voltage dependence, per mV (an e-fold every ~16 mV).
JAHR_STEVENS_PER_MV = 0.062


# ---------------------------------------------------------------------------
# Scalar in, scalar out (input checks: ketamine_course.checks)
# ---------------------------------------------------------------------------
def _out(result: np.ndarray, *inputs: np.ndarray):
    """A float for all-scalar inputs, an array otherwise."""
    if all(np.ndim(x) == 0 for x in inputs):
        return float(result)
    return result


# ---------------------------------------------------------------------------
# 1. The channel
# ---------------------------------------------------------------------------
def mg_unblocked_fraction(voltage_mv: ArrayLike, mg_mm: ArrayLike = 1.0):
    """Fraction of NMDA receptor conductance not blocked by external Mg2+.

    The Jahr & Stevens (1990) equation::

        B(V) = 1 / (1 + [Mg2+]o / 3.57 mM * exp(-0.062 * V))

    At rest (-70 mV, 1 mM Mg2+) only about 4 % of the conductance is
    available; depolarisation expels Mg2+ and B approaches 1.

    Parameters
    ----------
    voltage_mv : float or array_like
        Membrane potential in mV, between -120 and 60 mV.
    mg_mm : float or array_like, default 1.0
        Extracellular Mg2+ concentration in mM, between 0 and 10 mM
        (about 1 mM in cerebrospinal fluid). Broadcasts against ``voltage_mv``.

    Returns
    -------
    float or numpy.ndarray
        Unblocked fraction in (0, 1]; a float when both inputs are scalars.

    Raises
    ------
    ValueError
        If an input is NaN, infinite or outside its range.

    References
    ----------
    ``jahr1990``: Jahr CE, Stevens CF (1990). Voltage dependence of
    NMDA-activated macroscopic conductances predicted by single-channel
    kinetics. J Neurosci 10:3178-3182. doi:10.1523/JNEUROSCI.10-09-03178.1990

    Examples
    --------
    >>> round(mg_unblocked_fraction(0.0, 1.0), 4)
    0.7812
    """
    v = checks.array(voltage_mv, "voltage_mv", "mV", *VOLTAGE_RANGE_MV)
    mg = checks.array(mg_mm, "mg_mm", "mM", *MG_RANGE_MM)
    result = 1.0 / (1.0 + mg / JAHR_STEVENS_MG_MM * np.exp(-JAHR_STEVENS_PER_MV * v))
    return _out(result, v, mg)


def nmda_current_pa(voltage_mv: ArrayLike, mg_mm: float = 1.0, glutamate: bool = True,
                    glycine: bool = True, g_max_ns: float = 1.0, e_rev_mv: float = 0.0,
                    blocker_occupancy: float = 0.0):
    """Macroscopic NMDA receptor current, in pA.

    ``I = g_max * open * B(V) * (1 - blocker_occupancy) * (V - E_rev)``, where
    ``open`` is 1 only when both glutamate and the co-agonist glycine are bound
    (the receptor is a coincidence detector) and ``B(V)`` is
    :func:`mg_unblocked_fraction`. With nS and mV the product is in pA.
    Inward current (cations flowing into the cell) is negative.

    Parameters
    ----------
    voltage_mv : float or array_like
        Membrane potential in mV, between -120 and 60 mV.
    mg_mm : float, default 1.0
        Extracellular Mg2+ in mM, between 0 and 10 mM.
    glutamate, glycine : bool, default True
        Whether each agonist is bound. Either one alone opens nothing.
    g_max_ns : float, default 1.0
        Conductance with every channel open and unblocked, in nS (0 to 10000 nS).
    e_rev_mv : float, default 0.0
        Reversal potential in mV (about 0 mV for this cation channel),
        between -120 and 60 mV.
    blocker_occupancy : float, default 0.0
        Fraction of channels plugged by a pore blocker such as ketamine,
        between 0 and 1 (see :func:`occupancy`).

    Returns
    -------
    float or numpy.ndarray
        Current in pA; a float when ``voltage_mv`` is a scalar.

    Raises
    ------
    ValueError
        If a number is NaN, infinite or out of range, or an agonist flag is
        not True or False.

    References
    ----------
    ``traynelis2010``: Traynelis S et al. (2010). Glutamate receptor ion
    channels: structure, regulation, and function. Pharmacol Rev 62:405-496.
    doi:10.1124/pr.109.002451

    ``jahr1990``: see :func:`mg_unblocked_fraction`.
    """
    v = checks.array(voltage_mv, "voltage_mv", "mV", *VOLTAGE_RANGE_MV)
    mg = checks.number(mg_mm, "mg_mm", "mM", *MG_RANGE_MM)
    glu = checks.flag(glutamate, "glutamate", "is glutamate bound?")
    gly = checks.flag(glycine, "glycine", "is the co-agonist glycine bound?")
    g = checks.number(g_max_ns, "g_max_ns", "nS", 0.0, 10_000.0)
    e_rev = checks.number(e_rev_mv, "e_rev_mv", "mV", *VOLTAGE_RANGE_MV)
    occ = checks.number(blocker_occupancy, "blocker_occupancy", "fraction", 0.0, 1.0)
    is_open = 1.0 if (glu and gly) else 0.0
    unblocked = 1.0 / (1.0 + mg / JAHR_STEVENS_MG_MM * np.exp(-JAHR_STEVENS_PER_MV * v))
    result = g * is_open * unblocked * (1.0 - occ) * (v - e_rev)
    return _out(result + 0.0, v)  # + 0.0 turns -0.0 into 0.0


# ---------------------------------------------------------------------------
# 2. Binding at equilibrium
# ---------------------------------------------------------------------------
#: Status levels used by the parameter sets of this module (a subset of checks.PROVENANCE).
STATUSES = checks.statuses("confirmed", "unconfirmed", "illustrative")


def _check_status(cls: str, status: str) -> None:
    checks.status(status, f"{cls}.status", STATUSES)


@dataclass(frozen=True)
class BindingAffinity:
    """A published inhibition constant of a drug at the NMDA receptor.

    Parameters
    ----------
    name : str
        Drug, as shown to students.
    ki_um : float
        Inhibition constant in uM: the concentration occupying half the sites.
    source : str
        Key(s) in ``data/references.bib``, separated by ``;``.
    status : {"confirmed", "unconfirmed", "illustrative"}
        How well the source supports the value.
    note : str
        Caveats, in one or two sentences.
    population : str
        What the value was measured on.
    """

    name: str
    ki_um: float
    source: str
    status: str
    note: str = ""
    population: str = ""

    def __post_init__(self) -> None:
        checks.number(self.ki_um, "ki_um", "uM", 0.0, math.inf, low_open=True)
        _check_status("BindingAffinity", self.status)


_EBERT_ASSAY = "rat brain membranes, displacement of [3H]MK-801 binding"

#: Inhibition constants of ketamine and its enantiomers, by name.
AFFINITIES: dict[str, BindingAffinity] = {
    "racemic ketamine": BindingAffinity(
        name="racemic ketamine", ki_um=0.5, source="ebert1997", status="unconfirmed",
        note=("Commonly cited value, unconfirmed: the Ebert et al. 1997 record checked for this "
              "course reports only the two enantiomers. It lies between them, as a 1:1 mix should."),
        population=_EBERT_ASSAY),
    "esketamine (S)": BindingAffinity(
        name="esketamine (S)", ki_um=0.3, source="ebert1997", status="confirmed",
        note="(S)-ketamine, the form in the Spravato nasal spray; about 4-5x more potent than (R).",
        population=_EBERT_ASSAY),
    "arketamine (R)": BindingAffinity(
        name="arketamine (R)", ki_um=1.4, source="ebert1997", status="confirmed",
        note="(R)-ketamine; binds the PCP site more weakly than (S).",
        population=_EBERT_ASSAY),
}

#: Molar mass of ketamine base, g/mol (named once, in :mod:`ketamine_course.units`).
KETAMINE_MW_G_PER_MOL = units.MW_KETAMINE_G_PER_MOL

#: Plasma ketamine at the end of a 0.5 mg/kg infusion over 40 min, in uM: the
#: protocol peak of :mod:`ketamine_course.units` (about 185 ng/mL, zanos2018).
ANTIDEPRESSANT_PEAK_UM = units.PROTOCOL_PEAK_UM
ANTIDEPRESSANT_PEAK_SOURCE = units.PROTOCOL_PEAK_SOURCE

#: ng/mL to uM (defined once, in :mod:`ketamine_course.units`).
ng_per_ml_to_um = units.ng_per_ml_to_um


def occupancy(concentration_um: ArrayLike, ki_um: float, hill: float = 1.0):
    """Fraction of binding sites occupied at equilibrium (Hill equation).

    ``occupancy = c**h / (c**h + Ki**h)``; it is 0.5 when ``c == Ki``.

    Parameters
    ----------
    concentration_um : float or array_like
        Free drug concentration in uM, between 0 and 1000 uM.
    ki_um : float
        Inhibition constant in uM, greater than 0 (e.g.
        ``AFFINITIES["esketamine (S)"].ki_um``).
    hill : float, default 1.0
        Hill coefficient, between 0.1 and 5 (1 for one drug per site).

    Returns
    -------
    float or numpy.ndarray
        Occupancy in [0, 1); a float for a scalar concentration.

    Raises
    ------
    ValueError
        If an input is NaN, infinite or out of range.

    References
    ----------
    ``ebert1997``: Ebert B et al. (1997). Norketamine, the main metabolite of
    ketamine, is a non-competitive NMDA receptor antagonist in the rat cortex
    and spinal cord. Eur J Pharmacol 333:99-104.
    """
    c = checks.array(concentration_um, "concentration_um", "uM", *CONCENTRATION_RANGE_UM)
    ki = checks.number(ki_um, "ki_um", "uM", 0.0, math.inf, low_open=True)
    h = checks.number(hill, "hill", "dimensionless", *HILL_RANGE)
    # c**h / (c**h + Ki**h) written as 1 / (1 + (Ki/c)**h), safe for huge h.
    with np.errstate(divide="ignore", over="ignore"):
        result = np.where(c > 0, 1.0 / (1.0 + (ki / np.where(c > 0, c, 1.0)) ** h), 0.0)
    return _out(result, c)


# ---------------------------------------------------------------------------
# 3. Binding in time: open-channel block with trapping
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ChannelGating:
    """Opening and closing rates of a two-state (closed/open) channel.

    Parameters
    ----------
    name : str
        Label.
    open_per_s : float
        Closed -> open rate while glutamate and glycine are bound, per s.
    close_per_s : float
        Open -> closed rate, per s, with or without agonist. After the agonist
        is removed it sets the decay of the current (deactivation).
    source, status, note : str
        As for :class:`BlockerKinetics`.
    """

    name: str
    open_per_s: float
    close_per_s: float
    source: str
    status: str = "illustrative"
    note: str = ""

    def __post_init__(self) -> None:
        checks.number(self.open_per_s, "open_per_s", "/s", 0.0, 1e6, low_open=True)
        checks.number(self.close_per_s, "close_per_s", "/s", 0.0, 1e6, low_open=True)
        _check_status("ChannelGating", self.status)

    @property
    def open_probability(self) -> float:
        """Fraction of time open with agonist present, unblocked: open / (open + close)."""
        return self.open_per_s / (self.open_per_s + self.close_per_s)


#: Gating of the NMDA receptor used by :func:`simulate_block`.
NMDA_GATING = ChannelGating(
    name="NMDA receptor (two-state simplification)", open_per_s=100.0, close_per_s=20.0,
    source="traynelis2010", status="illustrative",
    note=("Real gating has many states, and glutamate stays bound for tens of ms after a brief "
          "release. Two states lump binding and opening: 'open' means agonist-bound and active. "
          "Channels open within ~10 ms of agonist (open probability 0.83, higher than real "
          "receptors) and close with a 50 ms time constant, the order of GluN1/GluN2A "
          "deactivation, so a 5 ms pulse gives ~20 ms of opening."))


@dataclass(frozen=True)
class BlockerKinetics:
    """Rate constants of an open-channel blocker in the trapping scheme.

    The blocker enters only open channels (``k_on_per_um_s``), leaves open
    channels (``k_off_per_s``), and when a blocked channel closes it is
    trapped with probability ``trapping_fraction`` or escapes otherwise.
    See :func:`simulate_block` for the full scheme.

    Parameters
    ----------
    name : str
        Blocker, as shown to students.
    k_on_per_um_s : float
        Association rate into the open pore, per uM per s (at 0 mV for a
        voltage-dependent blocker).
    k_off_per_s : float
        Dissociation rate from the open pore, per s.
    trapping_fraction : float
        Probability, between 0 and 1, that a closing blocked channel traps
        the blocker (1: full trapping; 0: the blocker always escapes).
    voltage_dependent : bool
        If True, the entry rate is multiplied by ``exp(-0.062 * V)`` (the
        Jahr & Stevens slope; an electrical distance of about 0.8 for a
        divalent ion), so hyperpolarisation drives the blocker in.
    source : str
        Key(s) in ``data/references.bib``, separated by ``;``.
    status : {"illustrative", "unconfirmed", "confirmed"}, default "illustrative"
        How well the source supports the numbers.
    note : str
        What is published, and what was chosen for teaching.
    """

    name: str
    k_on_per_um_s: float
    k_off_per_s: float
    trapping_fraction: float
    voltage_dependent: bool
    source: str
    status: str = "illustrative"
    note: str = ""

    def __post_init__(self) -> None:
        checks.number(self.k_on_per_um_s, "k_on_per_um_s", "/uM/s", 0.0, 1e9)
        checks.number(self.k_off_per_s, "k_off_per_s", "/s", 0.0, 1e9)
        checks.number(self.trapping_fraction, "trapping_fraction", "fraction", 0.0, 1.0)
        checks.flag(self.voltage_dependent, "voltage_dependent", "does entry depend on voltage?")
        _check_status("BlockerKinetics", self.status)

    @property
    def kd_um(self) -> float:
        """Equilibrium dissociation constant in the open pore, k_off / k_on, in uM (at 0 mV)."""
        return self.k_off_per_s / self.k_on_per_um_s if self.k_on_per_um_s else math.inf


#: Mg2+ unbinding rate from the open pore, per s (sub-millisecond dwell).
_MG_K_OFF_PER_S = 10_000.0

#: Open-channel blockers, by name (look-up by :func:`simulate_block` ignores case).
BLOCKERS: dict[str, BlockerKinetics] = {
    "ketamine": BlockerKinetics(
        name="ketamine", k_on_per_um_s=2.0, k_off_per_s=1.0, trapping_fraction=1.0,
        voltage_dependent=False, source="kotermanski2009; blanpied1997", status="illustrative",
        note=("Published: ketamine is trapped in nearly all channels it blocks (full trapping). "
              "Chosen: k_off / k_on = 0.5 uM, the usual Ki of racemic ketamine; k_off 20x slower "
              "than channel closing, so few molecules leave before the gate shuts (~4 % of the "
              "block when agonist is removed); rates fast enough that block builds over tens of "
              "seconds of 1 Hz stimulation. Voltage dependence of ketamine block is left out.")),
    "memantine": BlockerKinetics(
        name="memantine", k_on_per_um_s=2.0, k_off_per_s=1.0, trapping_fraction=0.85,
        voltage_dependent=False, source="blanpied1997; kotermanski2009", status="illustrative",
        note=("Published: when agonist and memantine are washed off after steady-state block, "
              "about one-sixth of blocked channels release the drug instead of trapping it "
              "(partial trapping, Blanpied 1997), via a superficial site (Kotermanski 2009); "
              "ketamine is trapped in nearly all channels. Affinity and binding kinetics of the "
              "two drugs are of the same order (Blanpied's memantine IC50 ~1.4 uM near -67 mV; "
              "ketamine Ki ~0.5 uM), so the difference the demo should show is trapping, not "
              "speed. Chosen: the same k_on and k_off as ketamine (k_off / k_on = 0.5 uM), and a "
              "trapping fraction of 0.85, so that with NMDA_GATING ~16 % (about one-sixth) of the "
              "block is released in that protocol.")),
    "Mg2+": BlockerKinetics(
        name="Mg2+", k_on_per_um_s=_MG_K_OFF_PER_S / (JAHR_STEVENS_MG_MM * 1000.0),
        k_off_per_s=_MG_K_OFF_PER_S, trapping_fraction=0.0, voltage_dependent=True,
        source="jahr1990", status="illustrative",
        note=("Published: the voltage dependence and the 3.57 mM constant of the equilibrium block. "
              "Chosen: a 0.1 ms dwell in the pore, so block equilibrates within a millisecond; "
              "k_on is set so that k_off / k_on = 3.57 mM at 0 mV and the equilibrium matches the "
              "Jahr-Stevens equation. Mg2+ is never trapped.")),
}

_C, _O, _OB, _CB = range(4)
STATE_NAMES = ("C", "O", "OB", "CB")


@dataclass(frozen=True)
class BlockTrace:
    """The state fractions of a population of NMDA receptors over time.

    Parameters
    ----------
    time_s : numpy.ndarray
        Sample times in s, a regular grid starting at 0.
    c, o, ob, cb : numpy.ndarray
        Fractions of channels closed-unblocked, open, open-blocked and
        closed-blocked (trapped). They sum to 1 at every sample.
    blocker : str
        Name of the blocker.
    concentration_um : float
        Blocker concentration before washout, in uM.
    voltage_mv : float
        Membrane potential, in mV.
    washout_s : float or None
        When the blocker was removed, in s (None: never).
    """

    time_s: np.ndarray
    c: np.ndarray
    o: np.ndarray
    ob: np.ndarray
    cb: np.ndarray
    blocker: str
    concentration_um: float
    voltage_mv: float
    washout_s: float | None = None

    @property
    def blocked(self) -> np.ndarray:
        """Fraction of channels holding a blocker, open or closed: ``ob + cb``."""
        return self.ob + self.cb

    @property
    def fractions(self) -> dict[str, np.ndarray]:
        """State fractions by state name: ``{"C": c, "O": o, "OB": ob, "CB": cb}``."""
        return {"C": self.c, "O": self.o, "OB": self.ob, "CB": self.cb}

    @property
    def open_blocked_fraction(self) -> np.ndarray:
        """Of the channels that are open, the fraction blocked: ``ob / (o + ob)``.

        NaN where no channel is open. For Mg2+ at steady state this is
        ``1 - mg_unblocked_fraction(V, mg)``.
        """
        total = self.o + self.ob
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, self.ob / np.where(total > 0, total, 1.0), np.nan)


def _resolve_blocker(blocker) -> BlockerKinetics:
    if isinstance(blocker, BlockerKinetics):
        return blocker
    known = ", ".join(repr(k) for k in BLOCKERS)
    if isinstance(blocker, str):
        for key, value in BLOCKERS.items():
            if key.casefold() == blocker.strip().casefold():
                return value
    raise ValueError(f"blocker must be one of {known} (or a BlockerKinetics); got {blocker!r}")


def _generator(open_per_s: float, close_per_s: float, k_off_per_s: float,
               trapping_fraction: float, block_rate_per_s: float, agonist: bool) -> np.ndarray:
    """Rate matrix Q (rows: from, columns: to; rows sum to 0), so dp/dt = p @ Q."""
    q = np.zeros((4, 4))
    opening = open_per_s if agonist else 0.0
    q[_C, _O] = opening
    q[_O, _C] = close_per_s
    q[_O, _OB] = block_rate_per_s
    q[_OB, _O] = k_off_per_s
    q[_OB, _CB] = close_per_s * trapping_fraction
    q[_OB, _C] = close_per_s * (1.0 - trapping_fraction)
    q[_CB, _OB] = opening
    q[np.diag_indices(4)] = -q.sum(axis=1)
    return q


def _as_probabilities(m: np.ndarray) -> np.ndarray:
    """Transition matrices (last two axes) with every row a distribution again, in place.

    Very stiff cases (Mg2+ at -120 mV over long steps) drift ~1e-6 from a
    probability matrix, whichever way the exponential is computed.
    """
    np.maximum(m, 0.0, out=m)
    m /= m.sum(axis=-1, keepdims=True)
    return m


#: Eigenvector matrices worse conditioned than this are not trusted: expm is used instead.
EIGEN_CONDITION_MAX = 1e6


@functools.lru_cache(maxsize=256)
def _eigen_decomposition(open_per_s: float, close_per_s: float, k_off_per_s: float,
                         trapping_fraction: float, block_rate_per_s: float, agonist: bool):
    """``(V, rates, V^-1)`` with ``Q = V diag(rates) V^-1``, or None when Q is (nearly) defective."""
    q = _generator(open_per_s, close_per_s, k_off_per_s, trapping_fraction, block_rate_per_s, agonist)
    rates, vectors = np.linalg.eig(q)
    if not np.isfinite(rates).all() or np.linalg.cond(vectors) > EIGEN_CONDITION_MAX:
        return None
    return vectors, rates, np.linalg.inv(vectors)


def _transition_matrices(open_per_s: float, close_per_s: float, k_off_per_s: float,
                         trapping_fraction: float, block_rate_per_s: float, agonist: bool,
                         steps_ns) -> np.ndarray:
    """``expm(Q * step)`` for every step (ns) at once, shape ``(len(steps_ns), 4, 4)``.

    One eigendecomposition of Q serves every step length: ``V diag(exp(rates * step)) V^-1``.
    A pulse train whose period does not divide the sample grid has hundreds of
    distinct steps, and this costs microseconds where one ``expm`` each costs
    about 0.1 ms. A Q too close to defective for that falls back to ``expm``
    (:func:`_transition_matrix`).
    """
    args = (open_per_s, close_per_s, k_off_per_s, trapping_fraction, block_rate_per_s, agonist)
    decomposition = _eigen_decomposition(*args)
    if decomposition is None:
        return np.stack([_transition_matrix(*args, int(step)) for step in steps_ns])
    vectors, rates, inverse = decomposition
    growth = np.exp(np.multiply.outer(np.asarray(steps_ns, dtype=float) * 1e-9, rates))
    return _as_probabilities(((vectors[None, :, :] * growth[:, None, :]) @ inverse).real)


@functools.lru_cache(maxsize=1024)
def _transition_matrix(open_per_s: float, close_per_s: float, k_off_per_s: float,
                       trapping_fraction: float, block_rate_per_s: float, agonist: bool,
                       step_ns: int) -> np.ndarray:
    """expm(Q * step): row i holds where a channel in state i is ``step_ns`` ns later.

    The fallback of :func:`_transition_matrices` for a nearly defective Q, and
    the reference its tests compare with. Cached across calls.
    """
    from scipy.linalg import expm

    q = _generator(open_per_s, close_per_s, k_off_per_s, trapping_fraction,
                   block_rate_per_s, agonist)
    m = _as_probabilities(expm(q * (step_ns * 1e-9)))
    m.flags.writeable = False
    return m


def simulate_block(blocker, concentration_um: float, pulse_hz: float = 1.0,
                   pulse_ms: float = 5.0, duration_s: float = 60.0,
                   washout_s: float | None = None, agonist_after_washout: bool = True,
                   voltage_mv: float = -70.0, dt_s: float | None = None,
                   gating: ChannelGating = NMDA_GATING) -> BlockTrace:
    """Open-channel block with trapping, solved exactly in time.

    Four states: ``C`` (closed, unblocked), ``O`` (open), ``OB`` (open and
    blocked) and ``CB`` (closed with the blocker trapped inside)::

              open (agonist)                   k_on*[B] (only from O)
        C  <------------------>  O  <------------------------------>  OB
        ^          close                        k_off                 | ^
        |                                                             | |
        +---- close*(1 - trapping): the blocker escapes as it closes -+ |
                                                                        |
                       close*trapping: trapped  /  open (agonist)       |
                                         CB  <--------------------------+

    ``C -> O`` and ``CB -> OB`` happen only while agonist is present. A trapped
    blocker can leave only after its channel reopens, so block is
    *use-dependent* both ways: it builds, and it wears off, only with activity.

    Agonist arrives in pulses of ``pulse_ms`` starting at ``t = k / pulse_hz``;
    the blocker is present from 0 s until ``washout_s``. Within each interval
    where neither changes the system is linear with constant rates, so it is
    advanced exactly with a matrix exponential, computed from one
    eigendecomposition of each of the (at most four) rate matrices, or with
    ``scipy.linalg.expm`` when a rate matrix is nearly defective. Event and
    sample times are placed on a 1 ns clock, so equal intervals share one
    matrix.

    Parameters
    ----------
    blocker : str or BlockerKinetics
        A key of :data:`BLOCKERS` (``"ketamine"``, ``"memantine"``,
        ``"Mg2+"``; case ignored) or a custom parameter set.
    concentration_um : float
        Blocker concentration in uM until washout: 0 to 1000 uM (0 to
        10000 uM, i.e. 10 mM, for Mg2+).
    pulse_hz : float, default 1.0
        Agonist pulse frequency in Hz, between 0 and 100 Hz. 0 means no
        agonist at all.
    pulse_ms : float, default 5.0
        Agonist duration per pulse in ms, between 0.01 ms and the pulse
        period ``1000 / pulse_hz``. A pulse as long as the period means
        continuous agonist.
    duration_s : float, default 60.0
        Length of the simulation in s, greater than 0 and at most 3600 s.
    washout_s : float, optional
        Time in s, between 0 and ``duration_s``, at which the blocker
        concentration drops to 0. None: never.
    agonist_after_washout : bool, default True
        Whether agonist pulses continue after the washout. False removes
        agonist together with the blocker.
    voltage_mv : float, default -70.0
        Membrane potential in mV, between -120 and 60 mV. It matters only for
        voltage-dependent blockers (Mg2+).
    dt_s : float, optional
        Spacing of the output samples in s. Default ``min(0.05, duration_s / 100)``:
        0.05 s for a minute-long run. Use a finer grid (e.g. 1e-4 s) to
        follow millisecond events such as Mg2+ block. Between 1e-6 s and
        ``duration_s``, with at most 1,000,000 samples. The solution is
        exact at every sample whatever the spacing.
    gating : ChannelGating, default :data:`NMDA_GATING`
        Opening and closing rates of the channel.

    Returns
    -------
    BlockTrace
        State fractions at ``time_s = 0, dt_s, 2 dt_s, ...`` up to ``duration_s``.
        All channels start closed and unblocked (``C = 1``).

    Raises
    ------
    ValueError
        If the blocker is unknown, or a number is NaN, infinite or out of range.

    Notes
    -----
    The rate constants in :data:`BLOCKERS` and :data:`NMDA_GATING` are
    illustrative: chosen to keep the published qualitative facts true
    (use-dependence, full trapping of ketamine, partial trapping of memantine,
    fast voltage-dependent Mg2+ block), not fitted to data. With full trapping
    the steady-state block equals ``c / (c + k_off/k_on)`` whatever the pulse
    pattern; stimulation sets only how fast it is reached.

    Partial trapping acts when a blocked channel closes. To see memantine
    escape after washout, remove agonist while channels are open, as
    Blanpied et al. (1997) did: continuous agonist (``pulse_ms = 1000 /
    pulse_hz``) with ``agonist_after_washout=False``. With brief pulses the
    escape has already happened at the end of every pulse.

    Each blocker is simulated alone: the Mg2+ that real channels also hold is
    left out of the ketamine and memantine runs.

    References
    ----------
    ``traynelis2010``: Traynelis S et al. (2010). Pharmacol Rev 62:405-496.

    ``blanpied1997``: Blanpied TA, Boeckman FA, Aizenman E, Johnson JW (1997).
    Trapping channel block of NMDA-activated responses by amantadine and
    memantine. J Neurophysiol 77:309-323.

    ``kotermanski2009``: Memantine binding to a superficial site on NMDA
    receptors contributes to partial trapping. J Physiol 587:4589-4604.
    doi:10.1113/jphysiol.2009.176297

    ``jahr1990``: see :func:`mg_unblocked_fraction`.

    Examples
    --------
    >>> trace = simulate_block("ketamine", 0.78, washout_s=30.0, agonist_after_washout=False)
    >>> bool(trace.blocked[-1] > 0.3)  # still blocked 30 s after washout: trapped
    True
    """
    kin = _resolve_blocker(blocker)
    if not isinstance(gating, ChannelGating):
        raise ValueError(f"gating must be a ChannelGating; got {gating!r}")
    conc_range = MG_CONCENTRATION_RANGE_UM if kin.name == "Mg2+" else CONCENTRATION_RANGE_UM
    conc = checks.number(concentration_um, "concentration_um", "uM", *conc_range)
    hz = checks.number(pulse_hz, "pulse_hz", "Hz", *PULSE_HZ_RANGE)
    pulse_s = checks.number(pulse_ms, "pulse_ms", "ms", *PULSE_MS_RANGE) / 1000.0
    duration = checks.number(duration_s, "duration_s", "s", 0.0, DURATION_MAX_S, low_open=True)
    washout = None if washout_s is None else checks.number(washout_s, "washout_s", "s", 0.0, duration)
    agonist_late = checks.flag(agonist_after_washout, "agonist_after_washout",
                               "do agonist pulses continue after washout?")
    v = checks.number(voltage_mv, "voltage_mv", "mV", *VOLTAGE_RANGE_MV)
    if dt_s is None:
        dt = min(DEFAULT_DT_S, duration / 100.0)
    else:
        dt = checks.number(dt_s, "dt_s", "s", 1e-6, duration)
    n_steps = int(math.floor(duration / dt + 1e-9))
    if n_steps + 1 > MAX_SAMPLES:
        raise ValueError(f"dt_s (s) must be at least duration_s / {MAX_SAMPLES - 1} = "
                         f"{duration / (MAX_SAMPLES - 1):g} s; got {dt:g} s")

    period_s = 1.0 / hz if hz > 0 else math.inf
    if pulse_s > period_s * (1 + 1e-12):
        raise ValueError(f"pulse_ms (ms) must be between {PULSE_MS_RANGE[0]:g} and 1000 / pulse_hz = "
                         f"{1000.0 * period_s:g} ms (the pulse period); got {pulse_s * 1000.0:g}")
    continuous = hz > 0 and pulse_s >= period_s * (1 - 1e-12)

    # Breakpoints on an integer nanosecond clock, so equal intervals share a key.
    samples_ns = np.round(np.arange(n_steps + 1) * dt * 1e9).astype(np.int64)
    end_ns = int(samples_ns[-1])
    events = [samples_ns]
    if hz > 0 and not continuous:
        starts_s = np.arange(int(math.ceil(duration * hz))) / hz
        events += [np.round(starts_s * 1e9).astype(np.int64),
                   np.round((starts_s + pulse_s) * 1e9).astype(np.int64)]
    if washout is not None:
        events.append(np.array([round(washout * 1e9)], dtype=np.int64))
    points_ns = np.unique(np.concatenate(events))
    points_ns = points_ns[points_ns <= end_ns]
    is_sample = np.isin(points_ns, samples_ns)

    # Conditions in each interval, read at its midpoint (never on an edge).
    mid_s = (points_ns[:-1] + points_ns[1:]) * 0.5e-9
    drug_on = np.ones(mid_s.shape, bool) if washout is None else mid_s < washout
    if hz == 0:
        agonist = np.zeros(mid_s.shape, bool)
    elif continuous:
        agonist = np.ones(mid_s.shape, bool)
    else:
        phase = mid_s * hz - np.floor(mid_s * hz)
        agonist = phase < pulse_s * hz
    if not agonist_late:
        agonist &= drug_on

    entry_per_um_s = kin.k_on_per_um_s
    if kin.voltage_dependent:
        entry_per_um_s *= math.exp(-JAHR_STEVENS_PER_MV * v)

    rates = (gating.open_per_s, gating.close_per_s, kin.k_off_per_s, kin.trapping_fraction)
    block_rate_per_s = entry_per_um_s * conc
    p = np.zeros(4)
    p[_C] = 1.0
    out = np.empty((n_steps + 1, 4))
    out[0] = p
    row = 1
    keys = list(zip(np.diff(points_ns).tolist(), agonist.tolist(), drug_on.tolist()))
    matrices = {}
    for agonist_on, blocker_on in {key[1:] for key in keys}:
        steps = sorted({key[0] for key in keys if key[1:] == (agonist_on, blocker_on)})
        stack = _transition_matrices(*rates, block_rate_per_s if blocker_on else 0.0, agonist_on, steps)
        matrices.update({(step, agonist_on, blocker_on): m for step, m in zip(steps, stack)})
    for key, record in zip(keys, is_sample[1:].tolist()):
        p = p @ matrices[key]
        if record:
            out[row] = p
            row += 1
    # Round-off leaves fractions ~1e-16 outside [0, 1]; clean it up once.
    np.maximum(out, 0.0, out=out)
    out /= out.sum(axis=1, keepdims=True)

    time_s = samples_ns * 1e-9
    columns = [np.ascontiguousarray(out[:, i]) for i in range(4)]
    for arr in (time_s, *columns):
        arr.flags.writeable = False
    return BlockTrace(time_s=time_s, c=columns[_C], o=columns[_O], ob=columns[_OB],
                      cb=columns[_CB], blocker=kin.name, concentration_um=conc,
                      voltage_mv=v, washout_s=washout)
