"""The public simulators: plasma curves, half-lives and absorption, built on the engine."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Sequence, Union

from .. import checks
from ..units import MW_KETAMINE_G_PER_MOL
from .engine import MicroConstants, _Disposition, _Input, _System, _time_grid
from .parameters import (DEFAULT, KETALAR_MAX_DOSE_MG_PER_KG, PEREZ_RUIXO_2021, ROUTES, EsketamineNasalModel, Route,
                         _esketamine_devices, _racemic_model, _route, _weight)


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
        amount = checks.number(d.amount_mg, f"doses[{i}].amount_mg", "mg", low=0.0)
        start = checks.number(d.time_min, f"doses[{i}].time_min", "min", low=0.0, high=t_end)
        if r.infusion:
            dur = checks.number(d.duration_min, f"doses[{i}].duration_min", "min", low=0.0, low_open=True, high=t_end - start)
        else:
            dur = checks.number(d.duration_min, f"doses[{i}].duration_min", "min", low=0.0, high=0.0)
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
        For a negative or non-finite dose, a dose above
        :data:`KETALAR_MAX_DOSE_MG_PER_KG` (13 mg/kg, far outside every model's data), a weight outside 2-250 kg, an unknown
        route (the message lists the known ones), the esketamine route, an
        infusion longer than the simulation, or an invalid time grid.

    Examples
    --------
    The antidepressant protocol, 0.5 mg/kg over 40 min, in a 70-kg adult:

    >>> t_peak, c_peak = simulate(0.5).peak()
    >>> t_peak
    40.0
    """
    dose = checks.number(dose_mg_per_kg, "dose_mg_per_kg", "mg/kg", low=0.0)
    if dose > KETALAR_MAX_DOSE_MG_PER_KG:
        raise ValueError(f"dose_mg_per_kg (mg/kg) must be between 0 and {KETALAR_MAX_DOSE_MG_PER_KG:g} mg/kg, the "
                         f"largest dose on the Ketalar label (IM induction); got {dose:g}. The models were fitted "
                         "to far smaller doses, so a curve for this dose would mean nothing.")
    w = _weight(weight_kg)
    r = _route(route)
    if r.drug != "racemic ketamine":
        raise ValueError(f"route {r.name!r} is for {r.drug}: use esketamine_nasal(dose_mg) "
                         f"instead; racemic routes: "
                         f"{', '.join(k for k, v in sorted(ROUTES.items()) if v.drug != r.drug)}")
    t_end = checks.number(t_end_min, "t_end_min", "min", low=0.0, low_open=True)
    duration = 0.0
    if r.infusion:
        duration = checks.number(infusion_min, "infusion_min", "min", low=0.0, low_open=True)
        if duration > t_end:
            raise ValueError(f"infusion_min (min) = {duration:g} min is longer than the simulation "
                             f"(t_end_min = {t_end:g} min); allowed range > 0 and <= t_end_min min")
    label = route if isinstance(route, str) else r
    return simulate_regimen([Dose(dose * w, 0.0, label, duration)], weight_kg=w, model=model,
                            t_end_min=t_end, dt_min=dt_min)



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
    >>> from ketamine_course.pk import CLEMENTS_1981
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

    ka = checks.number(ka_per_min, "ka_per_min", "1/min", low=0.0, low_open=True)
    lag = checks.number(lag_min, "lag_min", "min", low=0.0)
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

    target = checks.number(tmax_min, "tmax_min", "min", low=0.0, low_open=True)
    lo, hi = 1e-4, 100.0

    def gap(log_ka):
        return time_to_peak_min(math.exp(log_ka), model, weight_kg) - target

    if gap(math.log(lo)) < 0 or gap(math.log(hi)) > 0:
        raise ValueError(f"tmax_min (min) = {target:g} min cannot be reached with ka between "
                         f"{lo:g} and {hi:g} 1/min for this model")
    return math.exp(brentq(gap, math.log(lo), math.log(hi), xtol=1e-12))
