"""Two illustrative models of how ketamine might act: disinhibition and new spines.

Both models are *illustrative*: their parameters were chosen by hand to show an
idea clearly, not fitted to data. They are teaching aids for hypotheses that are
still debated (see ``data/hypotheses.csv``), not predictions for any patient.

1. **Disinhibition** (Moghaddam et al. 1997; Homayoun & Moghaddam 2007).
   A small excitatory-inhibitory firing-rate model in the style of Wilson &
   Cowan: a pyramidal population E and a GABAergic interneuron population I.
   Each population's excitatory drive has an NMDA-receptor part and a
   non-NMDA (AMPA) part; blocking a fraction ``b`` of NMDA receptors scales the
   NMDA part by ``1 - b``. Interneurons rely more on NMDA receptors than
   pyramidal cells do, so a moderate block silences inhibition and pyramidal
   firing *rises*; a near-complete block also starves the pyramidal cells of
   excitation and their firing *falls below baseline*. The steady-state output
   is an inverted U in ``b``, like the dose dependence of prefrontal glutamate
   (raised by subanesthetic ketamine, lowered by an anesthetic dose, in rats).
   See :func:`simulate_ei`, :func:`steady_state_rates` and :func:`output_vs_block`.

2. **Spines sustain, not start** (Li et al. 2010; Moda-Sava et al. 2019).
   After one dose, new prefrontal spines appear within about a day and fade
   over one to two weeks. The antidepressant effect has a fast part that needs
   no new spines and a sustained part proportional to the extra spines, so
   removing the new spines leaves the start of the effect intact but makes it
   fade sooner. See :func:`spine_density` and :func:`antidepressant_effect`.

Conventions
-----------
Rates are in spikes/s (Hz) and the model's time in ms; the spine time course is
in days. The input (drive) to a population is expressed in Hz-equivalents, so
the connection weights are dimensionless (Hz of drive per Hz of presynaptic
rate). Every public function validates its input and raises a ``ValueError``
that names the parameter, its unit and the allowed range.

This module needs only numpy; it imports neither matplotlib nor ipywidgets.

References
----------
.. [1] Moghaddam B, Adams B, Verma A, Daly D (1997). Activation of glutamatergic
   neurotransmission by ketamine. J Neurosci 17:2921-2927.
   doi:10.1523/JNEUROSCI.17-08-02921.1997 (key ``moghaddam1997``)
.. [2] Homayoun H, Moghaddam B (2007). NMDA receptor hypofunction produces
   opposite effects on prefrontal cortex interneurons and pyramidal neurons.
   J Neurosci 27:11496-11500. doi:10.1523/JNEUROSCI.2213-07.2007
   (key ``homayoun2007``)
.. [3] Li N et al. (2010). mTOR-dependent synapse formation underlies the rapid
   antidepressant effects of NMDA antagonists. Science 329:959-964.
   doi:10.1126/science.1190287 (key ``li2010``)
.. [4] Moda-Sava RN et al. (2019). Sustained rescue of prefrontal circuit
   dysfunction by antidepressant-induced spine formation. Science 364:eaat8078.
   doi:10.1126/science.aat8078 (key ``modasava2019``)
.. [5] Wilson HR, Cowan JD (1972). Excitatory and inhibitory interactions in
   localized populations of model neurons. Biophys J 12:1-24. (model form only)
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import ArrayLike

from . import checks

__all__ = [
    "EIParameters",
    "DEFAULT_EI",
    "EITrace",
    "simulate_ei",
    "steady_state_rates",
    "output_vs_block",
    "SpineTimeCourse",
    "DEFAULT_SPINES",
    "spine_density",
    "antidepressant_effect",
    "MAX_DURATION_MS",
    "MAX_T_DAYS",
]

#: Longest simulation :func:`simulate_ei` accepts, in ms (one minute).
MAX_DURATION_MS = 60_000.0
#: Allowed time step of :func:`simulate_ei`, in ms.
DT_RANGE_MS = (0.01, 5.0)
#: Latest time the spine and effect time courses accept, in days.
MAX_T_DAYS = 60.0

_BLOCK_UNIT = "fraction of NMDA current blocked"


# ---------------------------------------------------------------------------
# 1. Disinhibition: an excitatory-inhibitory rate model
# ---------------------------------------------------------------------------

def _check_finite_fields(params) -> None:
    """Reject NaN or infinite numeric fields of a parameter dataclass, naming the field."""
    for f in fields(params):
        value = getattr(params, f.name)
        if not isinstance(value, str) and not math.isfinite(value):
            raise ValueError(f"{type(params).__name__}.{f.name} must be finite; got {value}")


@dataclass(frozen=True)
class EIParameters:
    """Parameters of the excitatory-inhibitory (E-I) rate model.

    The input to each population, in Hz-equivalents, is::

        x_E = (1 - f_E b) (w_EE E + drive_E) - w_EI I
        x_I = (1 - f_I b) (w_IE E + drive_I) - w_II I

    where ``b`` is the NMDA block fraction and ``f`` the NMDA fraction of a
    population's excitatory drive. The external drive is glutamatergic too, so
    the block reduces it in the same proportion. Inhibition (GABA-A) is not
    affected by the block. Each rate relaxes towards a sigmoid of its input::

        tau dr/dt = -r + max_rate / (1 + exp(-gain (x - threshold)))

    Parameters
    ----------
    name : str
        Short label.
    tau_e_ms, tau_i_ms : float
        Time constants of the pyramidal (E) and interneuron (I) populations, ms.
    w_e_from_e, w_e_from_i, w_i_from_e, w_i_from_i : float
        Connection weights, dimensionless (Hz of drive per Hz of presynaptic
        rate): to E from E (recurrent excitation), to E from I (inhibition of
        pyramidal cells), to I from E, and to I from I.
    nmda_fraction_e, nmda_fraction_i : float
        Fraction of each population's excitatory drive carried by NMDA
        receptors, in [0, 1]. The rest is carried by AMPA receptors.
        Interneurons depend more on NMDA receptors (Homayoun & Moghaddam 2007).
    drive_e_hz, drive_i_hz : float
        External excitatory drive to each population, Hz-equivalents.
    max_rate_hz : float
        Maximum firing rate of either population, spikes/s.
    gain_e_per_hz, gain_i_per_hz : float
        Steepness of each population's sigmoid, per Hz of input.
    threshold_e_hz, threshold_i_hz : float
        Input at which each population fires at half its maximum rate, Hz.
    source : str
        Keys in ``data/references.bib``, separated by ``;``.
    status : str
        ``"illustrative"``: chosen by hand to show the idea, not fitted.
    note : str
        What the values are and are not.

    Raises
    ------
    ValueError
        If a value is not finite, a time constant, gain or maximum rate is not
        positive, a weight or drive is negative, or an NMDA fraction is outside
        [0, 1].
    """

    name: str = "illustrative prefrontal E-I circuit"
    tau_e_ms: float = 10.0
    tau_i_ms: float = 5.0
    w_e_from_e: float = 1.0
    w_e_from_i: float = 1.0
    w_i_from_e: float = 1.0
    w_i_from_i: float = 0.2
    nmda_fraction_e: float = 0.55
    nmda_fraction_i: float = 0.9
    drive_e_hz: float = 35.0
    drive_i_hz: float = 30.0
    max_rate_hz: float = 100.0
    gain_e_per_hz: float = 0.1
    gain_i_per_hz: float = 0.1
    threshold_e_hz: float = 50.0
    threshold_i_hz: float = 45.0
    source: str = "moghaddam1997;homayoun2007"
    status: str = "illustrative"
    note: str = (
        "Chosen by hand, not fitted to data, so that the steady pyramidal rate "
        "rises at moderate NMDA block and falls below baseline at near-complete "
        "block, as prefrontal glutamate did with subanesthetic and anesthetic "
        "ketamine doses in rats (moghaddam1997). That interneurons depend more "
        "on NMDA receptors than pyramidal cells follows homayoun2007; the two "
        "NMDA fractions themselves are not measured values, and the mapping from "
        "block fraction to dose is not known."
    )

    def __post_init__(self) -> None:
        _check_finite_fields(self)
        checks.status(self.status, "EIParameters.status")
        positive = {"tau_e_ms": "ms", "tau_i_ms": "ms", "max_rate_hz": "spikes/s",
                    "gain_e_per_hz": "per Hz", "gain_i_per_hz": "per Hz"}
        for name, unit in positive.items():
            checks.number(getattr(self, name), f"EIParameters.{name}", unit, 0.0, low_open=True)
        non_negative = {"w_e_from_e": "dimensionless", "w_e_from_i": "dimensionless",
                        "w_i_from_e": "dimensionless", "w_i_from_i": "dimensionless",
                        "drive_e_hz": "Hz", "drive_i_hz": "Hz"}
        for name, unit in non_negative.items():
            checks.number(getattr(self, name), f"EIParameters.{name}", unit, 0.0)
        for name in ("nmda_fraction_e", "nmda_fraction_i"):
            checks.number(getattr(self, name), f"EIParameters.{name}", "fraction", 0.0, 1.0)


#: The course's illustrative parameter set.
DEFAULT_EI = EIParameters()


@dataclass(frozen=True)
class EITrace:
    """A simulated time course of the E-I model.

    Parameters
    ----------
    time_ms : ndarray
        Sample times, ms, from 0 to the simulation's duration.
    pyramidal_hz : ndarray
        Pyramidal (E) population rate at each time, spikes/s.
    interneuron_hz : ndarray
        Interneuron (I) population rate at each time, spikes/s.

    The arrays are read-only, so a trace cannot change after it is made.
    """

    time_ms: np.ndarray
    pyramidal_hz: np.ndarray
    interneuron_hz: np.ndarray


def _sigmoid(x, max_rate_hz: float, gain_per_hz: float, threshold_hz: float):
    """Logistic rate function, written with tanh so it never overflows."""
    return 0.5 * max_rate_hz * (1.0 + np.tanh(0.5 * gain_per_hz * (x - threshold_hz)))


def _inputs(e_hz, i_hz, block, p: EIParameters):
    """Total input to E and to I, Hz-equivalents (works on floats and arrays)."""
    x_e = (1.0 - p.nmda_fraction_e * block) * (p.w_e_from_e * e_hz + p.drive_e_hz) \
        - p.w_e_from_i * i_hz
    x_i = (1.0 - p.nmda_fraction_i * block) * (p.w_i_from_e * e_hz + p.drive_i_hz) \
        - p.w_i_from_i * i_hz
    return x_e, x_i


def _targets(e_hz, i_hz, block, p: EIParameters):
    """The rates each population relaxes towards, spikes/s."""
    x_e, x_i = _inputs(e_hz, i_hz, block, p)
    return (_sigmoid(x_e, p.max_rate_hz, p.gain_e_per_hz, p.threshold_e_hz),
            _sigmoid(x_i, p.max_rate_hz, p.gain_i_per_hz, p.threshold_i_hz))


def _relaxation_step_ms(p: EIParameters) -> float:
    """A time step short enough to follow the network's fastest dynamics.

    Half the inverse of a bound on the rate of change of the vector field:
    ``(1 + steepest slope x summed weights) / tau`` for each population.
    """
    slope_e = 0.25 * p.gain_e_per_hz * p.max_rate_hz  # steepest point of the sigmoid
    slope_i = 0.25 * p.gain_i_per_hz * p.max_rate_hz
    speed_e = (1.0 + slope_e * (p.w_e_from_e + p.w_e_from_i)) / p.tau_e_ms
    speed_i = (1.0 + slope_i * (p.w_i_from_e + p.w_i_from_i)) / p.tau_i_ms
    return 0.5 / max(speed_e, speed_i)


def _relax(block: np.ndarray, e_hz: np.ndarray, i_hz: np.ndarray, p: EIParameters,
           relax_steps: int = 20_000, newton_steps: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Integrate from (e_hz, i_hz) until the rates stop changing.

    Exponential Euler with a step short enough to follow the dynamics (so the
    state found is the one the network itself would reach), until the rates
    are within 0.1 % of ``max_rate_hz`` of a fixed point; then Newton steps on
    the fixed-point equations, kept only where they reduce the residual.
    Works element-wise on arrays of ``block``.
    """
    step_ms = _relaxation_step_ms(p)
    decay_e = math.exp(-step_ms / p.tau_e_ms)
    decay_i = math.exp(-step_ms / p.tau_i_ms)
    tolerance_hz = 1e-10 * p.max_rate_hz
    e_hz, i_hz = e_hz.copy(), i_hz.copy()
    for _ in range(relax_steps):
        target_e, target_i = _targets(e_hz, i_hz, block, p)
        residual = np.maximum(np.abs(target_e - e_hz), np.abs(target_i - i_hz))
        if residual.size == 0 or residual.max() < 1e-3 * p.max_rate_hz:
            break
        e_hz = target_e + (e_hz - target_e) * decay_e
        i_hz = target_i + (i_hz - target_i) * decay_i
    # Newton polish: G(r) = F(x(r)) - r = 0 with the analytic 2x2 Jacobian.
    for _ in range(newton_steps):
        target_e, target_i = _targets(e_hz, i_hz, block, p)
        g_e, g_i = target_e - e_hz, target_i - i_hz
        residual = np.maximum(np.abs(g_e), np.abs(g_i))
        slope_e = p.gain_e_per_hz * target_e * (1.0 - target_e / p.max_rate_hz)
        slope_i = p.gain_i_per_hz * target_i * (1.0 - target_i / p.max_rate_hz)
        j_ee = slope_e * (1.0 - p.nmda_fraction_e * block) * p.w_e_from_e - 1.0
        j_ei = -slope_e * p.w_e_from_i
        j_ie = slope_i * (1.0 - p.nmda_fraction_i * block) * p.w_i_from_e
        j_ii = -slope_i * p.w_i_from_i - 1.0
        det = j_ee * j_ii - j_ei * j_ie
        if residual.size == 0 or residual.max() < tolerance_hz:
            # A fixed point of the differential equations is stable when the
            # Jacobian of tau^-1 G has a negative trace and a positive determinant.
            trace = j_ee / p.tau_e_ms + j_ii / p.tau_i_ms
            if np.any(trace >= 0) or np.any(det <= 0):
                break
            return e_hz, i_hz
        safe = np.abs(det) > 1e-12
        det = np.where(safe, det, 1.0)
        new_e = e_hz - np.where(safe, (j_ii * g_e - j_ei * g_i) / det, 0.0)
        new_i = i_hz - np.where(safe, (j_ee * g_i - j_ie * g_e) / det, 0.0)
        new_e = np.clip(new_e, 0.0, p.max_rate_hz)
        new_i = np.clip(new_i, 0.0, p.max_rate_hz)
        t_e, t_i = _targets(new_e, new_i, block, p)
        better = np.maximum(np.abs(t_e - new_e), np.abs(t_i - new_i)) < residual
        # Where Newton does not help, take a relaxation step instead.
        relaxed_e = target_e + (e_hz - target_e) * decay_e
        relaxed_i = target_i + (i_hz - target_i) * decay_i
        e_hz = np.where(better, new_e, relaxed_e)
        i_hz = np.where(better, new_i, relaxed_i)
    raise RuntimeError(
        "the E-I model did not settle to a steady state (it may oscillate for these "
        "parameters); use simulate_ei to see its time course")


@functools.lru_cache(maxsize=32)
def _baseline(p: EIParameters) -> tuple[float, float]:
    """Steady state without block, reached from silence (0 Hz)."""
    zero = np.zeros(1)
    e_hz, i_hz = _relax(zero, zero, zero, p)
    return float(e_hz[0]), float(i_hz[0])


def steady_state_rates(block_fraction: ArrayLike, params: EIParameters = DEFAULT_EI):
    """Steady firing rates of the E-I model under a constant NMDA block.

    The steady state is the one the network settles into when the block is
    applied to the unblocked baseline (itself reached from silence). It is
    found by relaxing the rate equations with exponential Euler steps and then
    polishing with Newton's method, to a residual below 1e-10 of ``max_rate_hz``.

    Parameters
    ----------
    block_fraction : float or array_like
        Fraction of NMDA-receptor current blocked, unitless, in [0, 1].
        0 is no drug; 1 blocks every NMDA receptor.
    params : EIParameters, optional
        Model parameters (default: :data:`DEFAULT_EI`).

    Returns
    -------
    pyramidal_hz, interneuron_hz : float or ndarray
        Steady rates of the pyramidal and interneuron populations, spikes/s.
        Floats for a scalar ``block_fraction``, else arrays of its shape.

    Raises
    ------
    ValueError
        If ``block_fraction`` is outside [0, 1], NaN or infinite.
    RuntimeError
        If the network does not settle (possible only for non-default parameters).

    References
    ----------
    Moghaddam et al. 1997 (``moghaddam1997``); Homayoun & Moghaddam 2007
    (``homayoun2007``).

    Examples
    --------
    >>> e_hz, i_hz = steady_state_rates(0.0)
    >>> round(e_hz, 2), round(i_hz, 2)
    (4.83, 19.63)
    """
    block = checks.array(block_fraction, "block_fraction", _BLOCK_UNIT, 0.0, 1.0)
    e0, i0 = _baseline(params)
    flat = block.reshape(-1)
    e_hz, i_hz = _relax(flat, np.full(flat.shape, e0), np.full(flat.shape, i0), params)
    if block.ndim == 0:
        return float(e_hz[0]), float(i_hz[0])
    return e_hz.reshape(block.shape), i_hz.reshape(block.shape)


def output_vs_block(block_fractions: ArrayLike, params: EIParameters = DEFAULT_EI) -> np.ndarray:
    """Steady pyramidal rate for each NMDA block fraction: the dose-response curve.

    With :data:`DEFAULT_EI` the curve is an inverted U: the rate rises to a
    peak near ``b = 0.4`` and falls below baseline for ``b`` above about 0.75.

    Parameters
    ----------
    block_fractions : array_like
        Fractions of NMDA-receptor current blocked, unitless, each in [0, 1].
    params : EIParameters, optional
        Model parameters (default: :data:`DEFAULT_EI`).

    Returns
    -------
    ndarray
        Steady pyramidal rates, spikes/s, with the shape of ``block_fractions``.

    Raises
    ------
    ValueError
        If any block fraction is outside [0, 1], NaN or infinite.

    References
    ----------
    Moghaddam et al. 1997 (``moghaddam1997``).
    """
    block = checks.array(block_fractions, "block_fractions", _BLOCK_UNIT, 0.0, 1.0)
    e_hz, _ = steady_state_rates(np.atleast_1d(block), params)
    return e_hz.reshape(block.shape)


def simulate_ei(block_fraction: float, duration_ms: float = 1000.0,
                block_onset_ms: float = 200.0, dt_ms: float = 0.5,
                params: EIParameters = DEFAULT_EI) -> EITrace:
    """Time course of pyramidal and interneuron rates when an NMDA block starts.

    The network starts at its unblocked steady state (or, for parameters
    whose unblocked network never settles, from silence). The block is 0 before
    ``block_onset_ms`` and ``block_fraction`` from then on (a step: the drug's
    own kinetics are left out). The interneurons slow first. The pyramidal
    rate dips briefly, because its own NMDA drive is lost at once, then rises
    a few time constants later, as the lost inhibition takes over. (In Homayoun
    & Moghaddam's recordings the delay was far longer than here: it includes
    drug delivery and slower processes this model leaves out.)

    Integration uses the exponential Euler method: over each step the input
    is held fixed and the leak is solved exactly,
    ``r(t + dt) = F + (r(t) - F) exp(-dt / tau)``. Each new rate is a
    weighted average of the old rate and its target ``F``, so rates stay
    between 0 and ``max_rate_hz`` whatever the step and the scheme cannot blow
    up as forward Euler can. It is first-order accurate and has the same
    steady states as the differential equations; long steps (several ms)
    coarsen the transient, while the default 0.5 ms follows it closely.
    The loop runs on Python floats, so 1 s at 0.5 ms takes a few milliseconds.

    Parameters
    ----------
    block_fraction : float
        Fraction of NMDA-receptor current blocked after onset, unitless, in [0, 1].
    duration_ms : float, optional
        Length of the simulation, ms, in (0, 60000]. Default 1000.
    block_onset_ms : float, optional
        Time at which the block starts, ms, in [0, duration_ms]. Default 200.
    dt_ms : float, optional
        Largest time step, ms, in [0.01, 5]. The step actually used is
        ``duration_ms / n`` for the smallest whole ``n`` that keeps it at or
        below ``dt_ms``, so the trace ends exactly at ``duration_ms``. Default 0.5.
    params : EIParameters, optional
        Model parameters (default: :data:`DEFAULT_EI`).

    Returns
    -------
    EITrace
        Times (ms) and the two rates (spikes/s), ``n + 1`` samples each.

    Raises
    ------
    ValueError
        If an argument is NaN, infinite or outside its range; the message names
        the argument, its unit and the range.

    References
    ----------
    Homayoun & Moghaddam 2007 (``homayoun2007``); Moghaddam et al. 1997
    (``moghaddam1997``).

    Examples
    --------
    >>> trace = simulate_ei(0.4)
    >>> round(float(trace.pyramidal_hz[0]), 2), round(float(trace.pyramidal_hz[-1]), 2)
    (4.83, 6.69)
    """
    block = checks.number(block_fraction, "block_fraction", _BLOCK_UNIT, 0.0, 1.0)
    duration = checks.number(duration_ms, "duration_ms", "ms", 0.0, MAX_DURATION_MS,
                             low_open=True)
    onset = checks.number(block_onset_ms, "block_onset_ms", "ms", 0.0, duration)
    dt_request = checks.number(dt_ms, "dt_ms", "ms", *DT_RANGE_MS)

    n_steps = max(1, math.ceil(duration / dt_request - 1e-9))
    step = duration / n_steps
    time_ms = np.linspace(0.0, duration, n_steps + 1)

    p = params
    decay_e = math.exp(-step / p.tau_e_ms)
    decay_i = math.exp(-step / p.tau_i_ms)
    half_max = 0.5 * p.max_rate_hz
    half_gain_e, half_gain_i = 0.5 * p.gain_e_per_hz, 0.5 * p.gain_i_per_hz
    tanh = math.tanh

    try:
        e_hz, i_hz = _baseline(p)
    except RuntimeError:  # no stable resting state: start from silence instead
        e_hz, i_hz = 0.0, 0.0
    e_out = np.empty(n_steps + 1)
    i_out = np.empty(n_steps + 1)
    e_out[0], i_out[0] = e_hz, i_hz
    onset_index = math.ceil(onset / step - 1e-9)  # first sample at or after onset
    for n in range(n_steps):
        b = block if n >= onset_index else 0.0
        scale_e = 1.0 - p.nmda_fraction_e * b
        scale_i = 1.0 - p.nmda_fraction_i * b
        x_e = scale_e * (p.w_e_from_e * e_hz + p.drive_e_hz) - p.w_e_from_i * i_hz
        x_i = scale_i * (p.w_i_from_e * e_hz + p.drive_i_hz) - p.w_i_from_i * i_hz
        target_e = half_max * (1.0 + tanh(half_gain_e * (x_e - p.threshold_e_hz)))
        target_i = half_max * (1.0 + tanh(half_gain_i * (x_i - p.threshold_i_hz)))
        e_hz = target_e + (e_hz - target_e) * decay_e
        i_hz = target_i + (i_hz - target_i) * decay_i
        e_out[n + 1] = e_hz
        i_out[n + 1] = i_hz

    for arr in (time_ms, e_out, i_out):
        arr.flags.writeable = False
    return EITrace(time_ms=time_ms, pyramidal_hz=e_out, interneuron_hz=i_out)


# ---------------------------------------------------------------------------
# 2. Spines sustain, not start, the effect of a single dose
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SpineTimeCourse:
    """Illustrative time course of new spines and of the effect of one dose.

    Extra spines follow a lagged difference of exponentials, scaled so that
    the peak is ``peak_extra_spine_fraction``::

        density(t) = 1 + peak * h(t - lag) / max(h),
        h(s) = exp(-s / decay) - exp(-s / rise)   for s > 0, else 0

    The effect (0 = none, 1 = the largest the model can show) is::

        effect(t) = fast_weight * (1 - exp(-t / fast_onset)) * exp(-t / fast_decay)
                    + spine_weight * (density(t) - 1) / peak

    The second term is dropped when the new spines are removed.

    Parameters
    ----------
    name : str
        Short label.
    spine_lag_days : float
        Delay before new spines appear, days (>= 0).
    spine_rise_days : float
        Time constant of spine formation, days (> 0).
    spine_decay_days : float
        Time constant of the return to baseline, days (> spine_rise_days).
    peak_extra_spine_fraction : float
        Peak spine density above baseline, as a fraction of baseline
        (0.3 means 30 % more spines), in (0, 1].
    fast_onset_days : float
        Time constant of the spine-independent fast component's rise, days (> 0).
    fast_decay_days : float
        Time constant of the fast component's decline, days (> fast_onset_days).
    fast_weight, spine_weight : float
        Largest contribution of each component to the effect, each in [0, 1],
        summing to at most 1 so the effect stays in [0, 1].
    source : str
        Keys in ``data/references.bib``, separated by ``;``.
    status : str
        ``"illustrative"``.
    note : str
        What the values are and are not.

    Raises
    ------
    ValueError
        If a value is out of the ranges above.
    """

    name: str = "illustrative single-dose time course"
    spine_lag_days: float = 0.25
    spine_rise_days: float = 0.3
    spine_decay_days: float = 4.0
    peak_extra_spine_fraction: float = 0.3
    fast_onset_days: float = 1.0 / 12.0
    fast_decay_days: float = 1.5
    fast_weight: float = 0.5
    spine_weight: float = 0.5
    source: str = "li2010;modasava2019"
    status: str = "illustrative"
    note: str = (
        "Not fitted to data. The shapes and numbers were chosen by hand to show "
        "the idea of Moda-Sava et al. 2019 (mice): new prefrontal spines form "
        "within about a day and are needed to maintain, not to induce, the "
        "behavioural effect. Li et al. 2010 (rats) found more spine synapses "
        "within 24 h. Neither paper reports a time course of this form, the size "
        "of the spine increase here is arbitrary, and the effect scale is relative, "
        "not a symptom score."
    )

    def __post_init__(self) -> None:
        _check_finite_fields(self)
        checks.status(self.status, "SpineTimeCourse.status")
        checks.number(self.spine_lag_days, "SpineTimeCourse.spine_lag_days", "days", 0.0)
        for name in ("spine_rise_days", "fast_onset_days"):
            checks.number(getattr(self, name), f"SpineTimeCourse.{name}", "days", 0.0, low_open=True)
        if self.spine_decay_days <= self.spine_rise_days:
            raise ValueError("SpineTimeCourse.spine_decay_days (days) must be greater "
                             f"than spine_rise_days ({self.spine_rise_days} days); "
                             f"got {self.spine_decay_days}")
        if self.fast_decay_days <= self.fast_onset_days:
            raise ValueError("SpineTimeCourse.fast_decay_days (days) must be greater "
                             f"than fast_onset_days ({self.fast_onset_days} days); "
                             f"got {self.fast_decay_days}")
        checks.number(self.peak_extra_spine_fraction, "SpineTimeCourse.peak_extra_spine_fraction",
                      "fraction of baseline", 0.0, 1.0, low_open=True)
        for name in ("fast_weight", "spine_weight"):
            checks.number(getattr(self, name), f"SpineTimeCourse.{name}", "fraction", 0.0, 1.0)
        if self.fast_weight + self.spine_weight > 1 + 1e-12:
            raise ValueError("SpineTimeCourse.fast_weight + spine_weight (unitless) must "
                             f"be at most 1; got {self.fast_weight + self.spine_weight}")

    @property
    def spine_peak_days(self) -> float:
        """Time of the spine-density peak after the dose, days."""
        rise, decay = self.spine_rise_days, self.spine_decay_days
        return self.spine_lag_days + rise * decay / (decay - rise) * math.log(decay / rise)


#: The course's illustrative time course.
DEFAULT_SPINES = SpineTimeCourse()


def _check_days(t_days) -> np.ndarray:
    return checks.array(t_days, "t_days", "days", 0.0, MAX_T_DAYS)


def _extra_spines_normalised(t: np.ndarray, p: SpineTimeCourse) -> np.ndarray:
    """Extra spines as a fraction of their peak, in [0, 1]."""
    s = np.maximum(t - p.spine_lag_days, 0.0)
    bump = np.exp(-s / p.spine_decay_days) - np.exp(-s / p.spine_rise_days)
    s_peak = p.spine_peak_days - p.spine_lag_days
    peak = math.exp(-s_peak / p.spine_decay_days) - math.exp(-s_peak / p.spine_rise_days)
    return np.clip(bump / peak, 0.0, 1.0)


def _fast_component(t: np.ndarray, p: SpineTimeCourse) -> np.ndarray:
    """Spine-independent component, in [0, 1] before weighting."""
    return -np.expm1(-t / p.fast_onset_days) * np.exp(-t / p.fast_decay_days)


def _same_kind(values: np.ndarray, like: np.ndarray):
    return float(values) if like.ndim == 0 else values


def spine_density(t_days: ArrayLike, params: SpineTimeCourse = DEFAULT_SPINES):
    """Relative prefrontal spine density after a single dose (illustrative).

    Parameters
    ----------
    t_days : float or array_like
        Time after the dose, days, each in [0, 60].
    params : SpineTimeCourse, optional
        Time-course parameters (default: :data:`DEFAULT_SPINES`).

    Returns
    -------
    float or ndarray
        Spine density relative to baseline (1.0 = baseline), with the shape of
        ``t_days``. With the defaults it stays at 1 for 6 h, peaks at 1.3 about
        1.1 days after the dose and is back within 1 % of baseline by day 21.

    Raises
    ------
    ValueError
        If a time is negative, later than 60 days, NaN or infinite.

    References
    ----------
    Li et al. 2010 (``li2010``); Moda-Sava et al. 2019 (``modasava2019``).
    """
    t = _check_days(t_days)
    density = 1.0 + params.peak_extra_spine_fraction * _extra_spines_normalised(t, params)
    return _same_kind(density, t)


def antidepressant_effect(t_days: ArrayLike, spines_intact: bool = True,
                          params: SpineTimeCourse = DEFAULT_SPINES):
    """Relative antidepressant effect after a single dose (illustrative).

    The effect is the sum of a fast component, which starts within hours and
    needs no new spines, and a sustained component proportional to the extra
    spines. With ``spines_intact=False`` the new spines are taken away (as the
    optical deletion of new spines did in Moda-Sava et al. 2019): the effect
    still starts, but fades sooner.

    Parameters
    ----------
    t_days : float or array_like
        Time after the dose, days, each in [0, 60].
    spines_intact : bool, optional
        Keep the new spines (True, default) or remove them (False).
    params : SpineTimeCourse, optional
        Time-course parameters (default: :data:`DEFAULT_SPINES`).

    Returns
    -------
    float or ndarray
        Effect on a relative scale, in [0, 1], with the shape of ``t_days``.
        0 at the moment of the dose.

    Raises
    ------
    ValueError
        If a time is negative, later than 60 days, NaN or infinite.

    References
    ----------
    Moda-Sava et al. 2019 (``modasava2019``); Li et al. 2010 (``li2010``).
    """
    t = _check_days(t_days)
    effect = params.fast_weight * _fast_component(t, params)
    if spines_intact:
        effect = effect + params.spine_weight * _extra_spines_normalised(t, params)
    return _same_kind(np.clip(effect, 0.0, 1.0), t)
