"""One way to check inputs, and one vocabulary for where a value comes from.

Every public function of the course rejects bad input with a ``ValueError``
worded the same way: the parameter, its unit, the allowed range or choices,
and what it got::

    voltage_mv (mV) must be between -120 and 60 mV; got -200

Nothing is clamped silently. This module sits at the bottom of the package:
it imports only numpy (lazily), and every concept module may import it.

Provenance
----------
Every parameter set, route and data row carries a ``status`` from
:data:`PROVENANCE`, one vocabulary for the whole course. A module or table
allows the subset that makes sense for it (:func:`statuses`).
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Iterable, Sequence

__all__ = [
    "PROVENANCE",
    "statuses",
    "status",
    "range_text",
    "number",
    "array",
    "flag",
    "choice",
    "parse_number",
]

#: How well a value is supported, from best to weakest. The same words are used
#: in code (``status`` fields) and in the ``status`` columns of ``data/``.
PROVENANCE = {
    "confirmed": "read in the primary source (paper, label or registry)",
    "secondary": "seen only in a secondary source (review, textbook, another model's code)",
    "conflicting": "sources disagree; the note says how",
    "unconfirmed": "the original source could not be checked",
    "assumption": "chosen by the course where no source gives a value; the note says why",
    "illustrative": "a teaching value with the published qualitative behaviour, not a measurement",
}

#: How an absorption rate constant was obtained (pk routes).
KA_PROVENANCE = {
    "published": "reported by the source",
    "derived": "derived by the course from a reported time to peak",
    "assumption": "chosen by the course",
}


def statuses(*names: str) -> tuple[str, ...]:
    """A subset of :data:`PROVENANCE`, checked to be in it (for schemas and modules)."""
    unknown = [n for n in names if n not in PROVENANCE]
    if unknown:
        raise ValueError(f"status must be one of {', '.join(PROVENANCE)}; got {unknown[0]!r}")
    return tuple(names)


def status(value, name: str = "status", allowed: Sequence[str] = tuple(PROVENANCE)) -> str:
    """``value`` if it is one of ``allowed`` provenance levels, else a ValueError."""
    return choice(value, name, allowed)


def range_text(low: float | None = None, high: float | None = None, unit: str = "",
               low_open: bool = False, high_open: bool = False) -> str:
    """The allowed range in words, e.g. ``between 0 and 1 mV`` or ``greater than 0 min``."""
    u = f" {unit}" if unit and not _unitless(unit) else ""
    if low is not None and math.isinf(low) and low < 0:
        low = None
    if high is not None and math.isinf(high):
        high = None
    if low is None and high is None:
        return "any finite number"
    if high is None:
        return f"{'greater than' if low_open else 'at least'} {low:g}{u}"
    if low is None:
        return f"{'less than' if high_open else 'at most'} {high:g}{u}"
    if low == high and not low_open and not high_open:
        return f"exactly {low:g}{u}"
    if not low_open and not high_open:
        return f"between {low:g} and {high:g}{u}"
    lo = f"greater than {low:g}" if low_open else f"at least {low:g}"
    hi = f"less than {high:g}" if high_open else f"at most {high:g}"
    return f"{lo} and {hi}{u}"


def _unitless(unit: str) -> bool:
    """Descriptions such as ``fraction`` or ``dimensionless`` name no unit to repeat after a bound."""
    return unit.startswith(("fraction", "dimensionless", "unitless"))


def _where(name: str, unit: str) -> str:
    return f"{name} ({unit})" if unit else name


def array(value, name: str, unit: str = "", low: float | None = None, high: float | None = None,
          *, low_open: bool = False, high_open: bool = False):
    """``value`` as a float numpy array whose every element is finite and in range.

    Parameters
    ----------
    value : float or array_like
    name, unit : str
        Parameter name and unit, both named in the error message.
    low, high : float or None
        Bounds (None: unbounded on that side).
    low_open, high_open : bool
        Exclude the bound itself.

    Raises
    ------
    ValueError
        ``name (unit) must be <range>; got <value>`` (with the index for an array).
    """
    import numpy as np

    allowed = range_text(low, high, unit, low_open, high_open)
    where = _where(name, unit)
    if isinstance(value, (str, bytes)) or isinstance(value, bool):
        raise ValueError(f"{where} must be a number {allowed}; got {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{where} must be a number {allowed}; got {value!r}") from None
    ok = np.isfinite(arr)
    if low is not None:
        ok &= arr > low if low_open else arr >= low
    if high is not None:
        ok &= arr < high if high_open else arr <= high
    if not np.all(ok):
        if arr.ndim == 0:
            bad, at = float(arr), ""
        else:
            index = tuple(int(i) for i in np.argwhere(~ok)[0])
            bad, at = float(arr[index]), f" at index {index if len(index) > 1 else index[0]}"
        finite = "" if math.isfinite(bad) else "finite and "
        raise ValueError(f"{where} must be {finite}{allowed}; got {bad:g}{at}")
    return arr


def _in_range(x: float, low, high, low_open: bool, high_open: bool) -> bool:
    if not math.isfinite(x):
        return False
    if low is not None and (x <= low if low_open else x < low):
        return False
    return high is None or (x < high if high_open else x <= high)


def number(value, name: str, unit: str = "", low: float | None = None, high: float | None = None,
           *, low_open: bool = False, high_open: bool = False) -> float:
    """``value`` as one finite float in range, or a ValueError worded as in :func:`array`.

    Plain Python numbers are checked without importing numpy, so a module that
    checks its constants at import time stays light.
    """
    if isinstance(value, Real) and not isinstance(value, bool):
        x = float(value)
        if _in_range(x, low, high, low_open, high_open):
            return x
        allowed = range_text(low, high, unit, low_open, high_open)
        finite = "" if math.isfinite(x) else "finite and "
        raise ValueError(f"{_where(name, unit)} must be {finite}{allowed}; got {x:g}")
    arr = array(value, name, unit, low, high, low_open=low_open, high_open=high_open)
    if arr.ndim:
        raise ValueError(f"{_where(name, unit)} must be a single number, not an array of "
                         f"shape {arr.shape}")
    return float(arr)


def flag(value, name: str, meaning: str) -> bool:
    """``value`` if it is True or False, else a ValueError saying what the flag means."""
    import numpy as np

    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False ({meaning}); got {value!r}")
    return bool(value)


def choice(value, name: str, choices: Iterable, unit: str = ""):
    """``value`` if it is one of ``choices``, else a ValueError listing them."""
    options = tuple(choices)
    try:
        ok = value in options and not (isinstance(value, bool) and unit)
    except TypeError:  # unhashable
        ok = False
    if not ok:
        u = f" {unit}" if unit and not _unitless(unit) else ""
        listed = ", ".join(str(o) for o in options)
        raise ValueError(f"{_where(name, unit)} must be one of {listed}{u}; got {value!r}")
    return value


def parse_number(answer) -> float | None:
    """A student's typed answer as a float, or None if it is not a finite number.

    Accepts numbers and strings such as ``"0.78"``, ``" 3,05 "`` (decimal
    comma) or ``"185 ng/mL"`` (a trailing unit is ignored).
    """
    if isinstance(answer, bool):
        return None
    if isinstance(answer, Real):
        x = float(answer)
        return x if math.isfinite(x) else None
    if not isinstance(answer, str):
        return None
    text = answer.strip().replace(",", ".")
    head = text.split()[0] if text.split() else ""
    try:
        x = float(head)
    except ValueError:
        return None
    return x if math.isfinite(x) else None
