"""Demos beside the safety concept: evidence by condition and adverse effects (notebook 06)."""

from __future__ import annotations

import textwrap

import ipywidgets as widgets
import numpy as np

from .. import checks, style
from .base import Demo, Description, new_figure


def evidence_explorer(condition: str = "treatment-resistant depression") -> Demo:
    """Evidence by condition: strength and approval status, with the full entry for the chosen one."""
    from html import escape

    from .. import data, safety

    rows = safety.conditions()
    names = [r["condition"] for r in rows]
    checks.choice(condition, "condition", names)
    statuses = ("approved (esketamine)", "off-label", "investigational")
    fig = new_figure(figsize=(7.6, 4.4))
    ax = fig.add_subplot()
    for i, status in enumerate(statuses):
        st = style.series_style(i)
        pts = [(safety.strength_rank(r["evidence_strength"]), k) for k, r in enumerate(rows)
               if r["approval_status"] == status]
        ax.plot([p[0] for p in pts], [p[1] for p in pts], linestyle="none", marker=st["marker"], markersize=12,
                color=st["color"], markeredgecolor="#111111", label=status)
    ring, = ax.plot([], [], linestyle="none", marker="o", markersize=24, markerfacecolor="none",
                    markeredgecolor="#111111", markeredgewidth=2.0)
    # Long condition names wrap onto a second line rather than being cut.
    ax.set_yticks(range(len(rows)), [textwrap.fill(n, 30) for n in names], fontsize="small")
    ax.invert_yaxis()
    ax.set_xticks(range(len(safety.STRENGTHS)), safety.STRENGTHS)
    ax.set_xlim(-0.5, len(safety.STRENGTHS) - 0.5)
    ax.set_xlabel("strength of evidence (course summary; see data/README.md)")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize="small", title="status in the USA", title_fontsize="small")
    title = ax.set_title("")
    detail = widgets.HTML()
    said = Description()

    def update(condition: str) -> None:
        k = names.index(condition)
        row = rows[k]
        ring.set_data([safety.strength_rank(row["evidence_strength"])], [k])
        title.set_text(f"{condition}\n{row['approval_status']}, {row['evidence_strength']} evidence")
        said.set(f"{condition}: {row['approval_status']} in the USA, {row['evidence_strength']} evidence "
                 f"({len(row['source'])} source{'s' if len(row['source']) != 1 else ''}; details below).")
        cites = "".join(f"<li>{escape(data.cite(s))}</li>" for s in row["source"])
        product = (f"<p><strong>Approved product:</strong> {escape(row['approved_product'])}</p>"
                   if row["approved_product"] else "")
        detail.value = (f"<div><h4 style='margin:4px 0'>{escape(condition)}</h4>{product}"
                        f"<p><strong>Key findings:</strong> {escape(row['key_findings'])}</p>"
                        f"<p><strong>Caveats:</strong> {escape(row['caveats'])}</p>"
                        f"<p><strong>Sources:</strong></p><ul>{cites}</ul></div>")

    controls = {"condition": widgets.Dropdown(options=names, value=condition, description="condition",
                                              layout=widgets.Layout(width="520px"))}
    return Demo(fig, controls, update, extra=[detail],
                caption="Seven conditions against the strength of evidence for ketamine or esketamine, from "
                        "preliminary to strong; marker shape shows approval status (approved esketamine, "
                        "off-label, investigational). A ring marks the chosen condition, whose findings, "
                        "caveats and sources appear below.",
                dynamic=[ring, title], describe=said)


def adverse_effects(order: str = "drug") -> Demo:
    """How often acute adverse events occurred on esketamine and on placebo (pooled ASPIRE trials)."""
    from .. import safety

    checks.choice(order, "order", ("drug", "excess"))
    rates = safety.paired_rates()
    fig = new_figure(figsize=(7.6, 4.4))
    ax = fig.add_subplot()
    n = len(rates)
    y = np.arange(n)
    drug_bars = ax.barh(y - 0.2, [0] * n, height=0.38, color=style.PALETTE["vermillion"], edgecolor="#111111",
                        hatch="//", label="esketamine 84 mg + standard care")
    placebo_bars = ax.barh(y + 0.2, [0] * n, height=0.38, color="#BBBBBB", edgecolor="#111111",
                           label="placebo spray + standard care")
    ax.invert_yaxis()
    ax.set_xlim(0, 45)
    ax.set_xlabel("% of patients with the event during 4 weeks")
    fig.legend(loc="outside lower center", ncols=2, fontsize="small")
    ax.grid(axis="y", visible=False)
    # Row labels are text artists rather than tick labels, so re-sorting redraws in place.
    ax.set_yticks(y, [""] * n)
    labels = [ax.text(-0.02, k, "", transform=ax.get_yaxis_transform(), ha="right", va="center",
                      fontsize="medium") for k in range(n)]
    title = ax.set_title("")
    said = Description()

    def update(order: str) -> None:
        key = "drug_pct" if order == "drug" else "excess_pct"
        ranked = sorted(rates, key=lambda r: -r[key])
        for bar, r in zip(drug_bars, ranked):
            bar.set_width(r["drug_pct"])
        for bar, r in zip(placebo_bars, ranked):
            bar.set_width(r["placebo_pct"])
        for label, r in zip(labels, ranked):
            label.set_text(r["effect"])
        top = "; ".join(f"{r['effect']} {r['drug_pct']:g}% vs {r['placebo_pct']:g}%" for r in ranked[:3])
        said.set(f"Sorted {'by rate on esketamine' if order == 'drug' else 'by excess over placebo'}, the first "
                 f"three events (esketamine vs placebo, pooled ASPIRE I and II): {top}.")
        title.set_text("Pooled ASPIRE I and II (Canuso 2021)\n"
                       + ("most common events on esketamine" if order == "drug" else
                          "sorted by excess over placebo"))

    controls = {"order": widgets.ToggleButtons(options=[("by rate on esketamine", "drug"),
                                                        ("by excess over placebo", "excess")], value=order,
                                               description="sort", style={"button_width": "auto"})}
    return Demo(fig, controls, update,
                caption="Paired horizontal bars for twelve adverse events: hatched bars for esketamine, grey "
                        "bars for placebo spray, in patients with depression and suicidal thoughts treated in "
                        "hospital (pooled ASPIRE trials). Sorting by excess over placebo shows which events the "
                        "drug adds.",
                dynamic=[*drug_bars, *placebo_bars, *labels, title], describe=said)
