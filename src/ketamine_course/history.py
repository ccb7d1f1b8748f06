"""Milestones of ketamine's history, from ``data/history.csv``.

Helpers to place dated milestones on a time axis and to filter them by theme
and era; the timeline demo (:func:`ketamine_course.demos.timeline`) draws them.
"""

from __future__ import annotations

from . import data

#: Display names of the categories, in the order the timeline stacks them.
CATEGORIES: dict[str, str] = {
    "chemistry": "chemistry & pharmacology",
    "anesthesia": "anesthesia",
    "regulation": "regulation",
    "psychiatry_research": "psychiatry research",
    "safety": "safety",
}
FIRST_YEAR, LAST_YEAR = 1960, 2026


def decimal_year(date: str) -> float:
    """Position of an ISO date on a year axis, mid-period for coarse dates.

    ``"1970"`` -> 1970.5, ``"2020-08"`` -> 2020 + 7.5/12, ``"2019-03-05"`` -> about 2019.18.
    """
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 1:
        return parts[0] + 0.5
    if len(parts) == 2:
        return parts[0] + (parts[1] - 0.5) / 12
    return parts[0] + (parts[1] - 1) / 12 + (parts[2] - 0.5) / 365.25


def milestones() -> list[dict]:
    """All milestones, validated, each with its ``year`` position added."""
    rows = data.load_table("history")
    return [dict(row, year=decimal_year(row["date"])) for row in rows]


def select(rows: list[dict], categories, era: tuple[int, int]) -> list[dict]:
    """Milestones in any of ``categories`` with a year inside ``era`` (inclusive).

    Raises
    ------
    ValueError
        For an unknown category or an era outside 1960-2026 or reversed.
    """
    unknown = set(categories) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"categories: unknown {sorted(unknown)}; known: {', '.join(CATEGORIES)}")
    start, end = era
    if not (FIRST_YEAR <= start <= end <= LAST_YEAR):
        raise ValueError(f"era must be (start, end) years with {FIRST_YEAR} <= start <= end <= {LAST_YEAR}, "
                         f"got {era}")
    return [r for r in rows if r["category"] in categories and start <= int(r["date"][:4]) <= end]


def describe(row: dict) -> str:
    """HTML detail of one milestone, with its full citations."""
    from html import escape

    precision = {"year": "year known", "month": "month known", "day": "exact day"}[row["date_precision"]]
    status = {"confirmed": "confirmed in the cited source",
              "secondary": "secondary sources only: treat with caution",
              "conflicting": "sources conflict: see the note"}[row["status"]]
    cites = "".join(f"<li>{escape(data.cite(k))}</li>" for k in row["source"])
    note = f"<p><strong>Note:</strong> {escape(row['note'])}</p>" if row["note"] else ""
    return (f"<div><h4 style='margin:4px 0'>{escape(row['date'])} ({precision}): {escape(row['event'])}</h4>"
            f"<p>{escape(row['detail'])}</p><p><strong>Evidence:</strong> {status}.</p>{note}"
            f"<p><strong>Sources:</strong></p><ul>{cites}</ul></div>")
