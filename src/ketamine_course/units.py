"""Constants and unit conversions shared by several concept modules, each named once with its source.

- :data:`MW_KETAMINE_G_PER_MOL`: the molar mass of ketamine base;
- :func:`ng_per_ml_to_um`: mass concentration to molar concentration;
- :data:`PROTOCOL_PEAK_NG_PER_ML`: the plasma peak of the antidepressant
  infusion protocol, and the same peak in micromolar.

Keys in parentheses are entries of ``data/references.bib``.
"""

from __future__ import annotations

from numbers import Real

from . import checks

__all__ = [
    "MW_KETAMINE_G_PER_MOL",
    "PROTOCOL_PEAK_NG_PER_ML",
    "PROTOCOL_PEAK_SOURCE",
    "PROTOCOL_PEAK_UM",
    "ng_per_ml_to_um",
]

#: Molar mass of ketamine base, C13H16ClNO (formula in ``data/structures.csv``), g/mol:
#: 13 x 12.011 + 16 x 1.008 + 35.45 + 14.007 + 15.999 = 237.727 with standard atomic
#: weights. Esketamine and arketamine are enantiomers of the same molecule: same value.
MW_KETAMINE_G_PER_MOL = 237.73

#: Concentrations :func:`ng_per_ml_to_um` accepts, ng/mL (inclusive).
CONCENTRATION_RANGE_NG_PER_ML = (0.0, 100_000.0)
#: Molar masses :func:`ng_per_ml_to_um` accepts, g/mol (inclusive).
MOLAR_MASS_RANGE_G_PER_MOL = (1.0, 10_000.0)

#: Plasma ketamine at the end of the antidepressant protocol (0.5 mg/kg IV over
#: 40 min), about 185 ng/mL (zanos2018). Plasma, not brain: the free
#: concentration at the receptor is not measured in patients.
PROTOCOL_PEAK_NG_PER_ML = 185.0
#: Citation key of :data:`PROTOCOL_PEAK_NG_PER_ML`.
PROTOCOL_PEAK_SOURCE = "zanos2018"


def ng_per_ml_to_um(c, mw_g_per_mol: float = MW_KETAMINE_G_PER_MOL):
    """Convert a plasma concentration from ng/mL to micromolar (uM).

    ``1 ng/mL = 1 ug/L``, and ug/L divided by g/mol is umol/L.

    Parameters
    ----------
    c : float or array_like
        Concentration, ng/mL (0 to 100000).
    mw_g_per_mol : float, default :data:`MW_KETAMINE_G_PER_MOL`
        Molar mass, g/mol (1 to 10000).

    Returns
    -------
    float or numpy.ndarray
        Concentration, uM (a float for a scalar input).

    Raises
    ------
    ValueError
        If a concentration or the molar mass is not finite or out of range.

    Examples
    --------
    >>> round(ng_per_ml_to_um(185.0), 2)   # the protocol peak (zanos2018)
    0.78
    """
    mw = checks.number(mw_g_per_mol, "mw_g_per_mol", "g/mol", *MOLAR_MASS_RANGE_G_PER_MOL)
    if isinstance(c, Real) and not isinstance(c, bool):
        return checks.number(c, "c", "ng/mL", *CONCENTRATION_RANGE_NG_PER_ML) / mw
    return checks.array(c, "c", "ng/mL", *CONCENTRATION_RANGE_NG_PER_ML) / mw


#: :data:`PROTOCOL_PEAK_NG_PER_ML` in uM (0.78).
PROTOCOL_PEAK_UM = round(ng_per_ml_to_um(PROTOCOL_PEAK_NG_PER_ML), 2)
