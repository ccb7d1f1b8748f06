"""Pharmacokinetics: how much ketamine is in the blood, and when.

This package solves linear compartment models *exactly*. A model is a set of
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
``conflicting`` or ``assumption``, from :data:`ketamine_course.checks.PROVENANCE`).
Each set's ``seen_at`` says where its values were read, and its ``note`` gives
the caveats.

The package has three parts, as opentiva separates them: :mod:`.engine` (the
exact linear algebra), :mod:`.parameters` (published parameter sets and routes,
as data with their citations) and :mod:`.simulators` (the public functions).

numpy and scipy are imported only when a function needs them, so importing
this package is instant.

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

from ..units import MW_KETAMINE_G_PER_MOL, ng_per_ml_to_um
from .engine import MAX_STEPS, MicroConstants
from .parameters import (CLEMENTS_1981, DEFAULT, DOMINO_1982, ESKETAMINE_DOSES_MG, HERD_2007,
                         KAMP_2020, KETALAR_INDUCTION_DOSE_MG_PER_KG, KETALAR_MAX_DOSE_MG_PER_KG, SPRAVATO_TMAX_MIN, MODELS, PEREZ_RUIXO_2021, ROUTES, WEIGHT_RANGE_KG,
                         AllometricModel, CompartmentModel, EsketamineNasalModel, Route)
from .simulators import (Dose, PlasmaCurve, absorption_rate_from_tmax, disposition_half_lives_min,
                         esketamine_nasal, simulate, simulate_regimen, terminal_half_life_h,
                         time_to_peak_min)

__all__ = [
    "MW_KETAMINE_G_PER_MOL",
    "WEIGHT_RANGE_KG",
    "ESKETAMINE_DOSES_MG",
    "KETALAR_INDUCTION_DOSE_MG_PER_KG",
    "KETALAR_MAX_DOSE_MG_PER_KG",
    "SPRAVATO_TMAX_MIN",
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
