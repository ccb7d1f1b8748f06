"""Benefits and risks: the evidence table and the adverse-effect data of notebook 06.

Thin, tested views of ``data/evidence.csv`` and ``data/adverse_effects.csv``.
Education only: nothing here is advice about any person's treatment.
"""

from __future__ import annotations

from . import data

#: Evidence strength as an ordinal scale, weakest first.
STRENGTHS = ("preliminary", "limited", "moderate", "strong")
#: The pooled trial used for the "how often" comparison (ASPIRE I and II, Canuso et al. 2021).
RATES_SOURCE = "canuso2021"


def conditions() -> list[dict]:
    """Rows of the evidence table, in file order."""
    return data.load_table("evidence")


def strength_rank(strength: str) -> int:
    """0 (preliminary) to 3 (strong)."""
    if strength not in STRENGTHS:
        raise ValueError(f"strength must be one of {', '.join(STRENGTHS)}, got {strength!r}")
    return STRENGTHS.index(strength)


def paired_rates(source: str = RATES_SOURCE) -> list[dict]:
    """Adverse events reported with both an esketamine and a placebo rate in one source, in %.

    Each item has ``effect``, ``drug_pct``, ``placebo_pct`` and ``excess_pct``
    (drug minus placebo, percentage points).
    """
    rows = [r for r in data.load_table("adverse_effects")
            if r["placebo_pct"] is not None and r["frequency_pct"] is not None and r["source"] == (source,)]
    if not rows:
        raise ValueError(f"source: no adverse-effect rows with placebo rates cite {source!r}")
    return [{"effect": r["effect"], "drug_pct": r["frequency_pct"], "placebo_pct": r["placebo_pct"],
             "excess_pct": r["frequency_pct"] - r["placebo_pct"], "note": r["note"]} for r in rows]


def number_needed_to_harm(drug_pct: float, placebo_pct: float) -> float:
    """Patients treated for one extra person to have the effect: 100 / (drug - placebo), in percent.

    Raises
    ------
    ValueError
        If a rate is outside 0-100 % or the drug rate is not above placebo.
    """
    for name, value in (("drug_pct", drug_pct), ("placebo_pct", placebo_pct)):
        if not 0 <= value <= 100:
            raise ValueError(f"{name} must be between 0 and 100 %, got {value}")
    if drug_pct <= placebo_pct:
        raise ValueError("drug_pct must exceed placebo_pct (%) for a number needed to harm")
    return 100.0 / (drug_pct - placebo_pct)


def session_timings() -> list[dict]:
    """During-session effects whose resolution time (min after dose) a source states."""
    return [r for r in data.load_table("adverse_effects")
            if r["timescale"] == "during session" and r["resolves_by_min"] is not None]
