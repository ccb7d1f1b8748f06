"""Demo beside the history concept: the interactive timeline (notebook 01)."""

from __future__ import annotations

import ipywidgets as widgets
from matplotlib.ticker import MaxNLocator

from .. import checks, style
from .base import Demo, Description, new_figure, slider


def timeline(categories=None, era=(1960, 2026), milestone: int = 0) -> Demo:
    """Interactive timeline of ketamine's milestones from ``data/history.csv``.

    Checkboxes filter by theme, a range slider by era; the dropdown picks one
    milestone, whose detail and full citations appear below the figure.
    Hollow markers flag milestones whose sources conflict.
    """
    from .. import history

    rows = history.milestones()
    names = list(history.CATEGORIES)
    for c in categories or ():
        checks.choice(c, "categories", names)
    if isinstance(era, (str, bytes)) or len(tuple(era)) != 2:
        raise ValueError(f"era must be a (first, last) pair of years between {history.FIRST_YEAR} and "
                         f"{history.LAST_YEAR}; got {era!r}")
    first = checks.number(era[0], "era[0]", "", history.FIRST_YEAR, history.LAST_YEAR)
    checks.number(era[1], "era[1]", "", first, history.LAST_YEAR)
    checks.number(milestone, "milestone", "index", 0)
    # Two milestones in one theme and year would hide each other: stagger them.
    row_y, seen = {}, {}
    for r in rows:
        slot = (r["category"], r["date"][:4])
        row_y[r["date"], r["event"]] = names.index(r["category"]) + 0.25 * seen.get(slot, 0)
        seen[slot] = seen.get(slot, 0) + 1
    chosen = set(categories or names)
    fig = new_figure(figsize=(8.0, 3.6))
    ax = fig.add_subplot()
    lines = {}
    for i, cat in enumerate(names):
        st = style.series_style(i)
        lines[cat], = ax.plot([], [], linestyle="none", marker=st["marker"], markersize=10,
                              color=st["color"], markeredgecolor="#111111", label=history.CATEGORIES[cat])
    conflicting, = ax.plot([], [], linestyle="none", marker="o", markersize=17, markerfacecolor="none",
                           markeredgecolor=style.PALETTE["vermillion"], markeredgewidth=1.8,
                           label="sources conflict (ring)")
    selected, = ax.plot([], [], linestyle="none", marker="s", markersize=22, markerfacecolor="none",
                        markeredgecolor="#111111", markeredgewidth=2.0)
    ax.set_yticks(range(len(names)), [history.CATEGORIES[c] for c in names])
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.set_xlabel("year")
    # Whole years only: a narrow era would otherwise get ticks such as 1998.5.
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
    ax.grid(axis="y", visible=False)
    key = ax.legend(handles=[conflicting], loc="upper left", fontsize="small")
    title = ax.set_title("")

    boxes = {c: widgets.Checkbox(value=c in chosen, description=history.CATEGORIES[c], indent=False,
                                 layout=widgets.Layout(width="auto")) for c in names}
    era_slider = widgets.IntRangeSlider(value=era, min=history.FIRST_YEAR, max=history.LAST_YEAR, step=1,
                                        description="era", continuous_update=True,
                                        layout=widgets.Layout(width="420px"))
    picker = widgets.Dropdown(description="milestone", layout=widgets.Layout(width="520px"))
    detail = widgets.HTML()

    def visible(values):
        cats = [c for c in names if values[c]]
        return history.select(rows, cats, tuple(values["era"]))

    def options(shown):
        return [(f"{r['date']}: {r['event']}", i) for i, r in enumerate(shown)]

    era_shown = {"era": None}
    said = Description()

    def update(**values) -> bool:
        shown = visible(values)
        for cat in names:
            pts = [(r["year"], row_y[r["date"], r["event"]]) for r in shown if r["category"] == cat]
            lines[cat].set_data([p[0] for p in pts], [p[1] for p in pts])
        bad = [(r["year"], row_y[r["date"], r["event"]]) for r in shown if r["status"] == "conflicting"]
        conflicting.set_data([p[0] for p in bad], [p[1] for p in bad])
        start, end = values["era"]
        moved = era_shown["era"] != (start, end)
        if moved:
            era_shown["era"] = (start, end)
            ax.set_xlim(start - 1.5, end + 1.5)
        new_options = options(shown)
        if list(picker.options) != new_options:
            picker.options = new_options
            picker.value = new_options[0][1] if new_options else None
        if shown and picker.value is not None:
            row = shown[picker.value]
            selected.set_data([row["year"]], [row_y[row["date"], row["event"]]])
            title.set_text(f"{row['date'][:4]}: {row['event']}")
            detail.value = history.describe(row)
            said.set(f"{len(shown)} milestones shown from {start} to {end}; selected: {row['date']}, {row['event']}"
                     + (" (sources conflict on this date)." if row["status"] == "conflicting" else "."))
        else:
            selected.set_data([], [])
            title.set_text("No milestone matches these filters")
            detail.value = "<p>Tick a theme or widen the era.</p>"
            said.set(f"No milestone matches these filters ({start} to {end}).")
        return moved

    initial = history.select(rows, [c for c in names if c in chosen], tuple(era))
    picker.options = options(initial)
    picker.value = milestone if milestone < len(initial) else (0 if initial else None)
    controls = {**boxes, "era": era_slider, "milestone": picker}
    return Demo(fig, controls, update, extra=[detail],
                caption="Timeline of ketamine milestones, 1962-2025, one row per theme, each theme with "
                        "its own marker shape. A ring marks dates on which sources conflict; a square "
                        "frames the selected milestone, described below with its sources.",
                # The x axis (ticks, labels, grid) is redrawn with the points, so a new era is no whole
                # drawing; the key is redrawn over the grid.
                dynamic=[ax.xaxis, *lines.values(), conflicting, selected, key, title], describe=said)
