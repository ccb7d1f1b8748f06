"""The exact linear engine: compartment amounts through matrix exponentials.

Over any stretch of time in which the inputs are constant (no dose, a bolus
at the start, or an infusion running at a fixed rate), the amounts obey
``x' = A x + r``, whose exact solution is

``x(t + h) = expm(A h) x(t) + (integral of expm(A s) from 0 to h) r``.

Both matrices come from one matrix exponential of an augmented matrix, cached
per step size. This module knows nothing about drugs or published models: it
takes rate constants and volumes and returns amounts (as opentiva separates
its solver from its drug models). numpy and scipy are imported lazily.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Sequence

from .. import checks

#: Largest number of output time points one simulation may produce.
MAX_STEPS = 200_000


def _time_grid(t_end_min, dt_min):
    """Validated output times 0, dt, 2 dt, ... and t_end (min)."""
    t_end = checks.number(t_end_min, "t_end_min", "min", low=0.0, low_open=True)
    dt = checks.number(dt_min, "dt_min", "min", low=0.0, low_open=True, high=t_end)
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
        checks.number(self.v1_l, "v1_l", "L", low=0.0, low_open=True)
        checks.number(self.k10_per_min, "k10_per_min", "1/min", low=0.0, low_open=True)
        for out, back in (("k12_per_min", "k21_per_min"), ("k13_per_min", "k31_per_min")):
            a = checks.number(getattr(self, out), out, "1/min", low=0.0)
            b = checks.number(getattr(self, back), back, "1/min", low=0.0)
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

