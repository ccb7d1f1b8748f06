"""Diagrams drawn by code, in the course palette.

Every diagram is registered in :data:`DIAGRAMS` with a caption and alt text
(a description for screen-reader users). ``make figures`` runs
``python -m ketamine_course.diagrams figures`` to write each one as SVG and
PNG. Output is byte-for-byte deterministic: no timestamps, a fixed SVG hash
salt, and no software-version metadata.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import course, resources, style


@dataclass(frozen=True)
class Diagram:
    name: str
    draw: Callable[[], object]  # returns a matplotlib Figure, or (svg text, png bytes)
    caption: str
    alt: str


def _figure(width_in: float, height_in: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    style.apply()
    fig = Figure(figsize=(width_in, height_in), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def course_map():
    """The seven notebooks as a path, with estimated minutes."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    fig = _figure(10.0, 3.2)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 3.2)
    ax.axis("off")
    groups = {0: "orientation", 1: "history", 2: "mechanism", 3: "mechanism",
              4: "clinical use", 5: "clinical use", 6: "clinical use", 7: "appraisal"}
    group_style = {"orientation": (style.PALETTE["black"], "-"),
                   "history": (style.PALETTE["orange"], "--"),
                   "mechanism": (style.PALETTE["blue"], "-"),
                   "clinical use": (style.PALETTE["bluish_green"], "-."),
                   "appraisal": (style.PALETTE["reddish_purple"], ":")}
    height, gap = 1.55, 0.15
    width = (9.76 - gap * (len(course.LESSONS) - 1)) / len(course.LESSONS)
    for i, lesson in enumerate(course.LESSONS):
        x = 0.12 + i * (width + gap)
        colour, ls = group_style[groups[lesson.number]]
        ax.add_patch(FancyBboxPatch((x, 0.95), width, height, boxstyle="round,pad=0.04",
                                    facecolor="white", edgecolor=colour, linewidth=2.2,
                                    linestyle=ls))
        ax.text(x + width / 2, 0.95 + height - 0.22, f"{lesson.number:02d}", ha="center",
                va="center", fontsize=14, fontweight="bold", color=colour)
        words = lesson.title.split()
        lines, line = [], ""
        for word in words:
            if len(line) + len(word) > 12 and line:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
        ax.text(x + width / 2, 0.95 + height / 2 - 0.1, "\n".join(lines), ha="center",
                va="center", fontsize=8.5, color="#111111", linespacing=1.15)
        ax.text(x + width / 2, 0.72, f"~{lesson.minutes} min", ha="center", va="center",
                fontsize=8.5, color="#333333")
        if i:
            ax.add_patch(FancyArrowPatch((x - gap - 0.02, 0.95 + height / 2),
                                         (x + 0.02, 0.95 + height / 2),
                                         arrowstyle="-|>", mutation_scale=10, color="#444444"))
    for j, (name, (colour, ls)) in enumerate(group_style.items()):
        x = 0.5 + j * 1.95
        ax.plot([x, x + 0.45], [0.25, 0.25], color=colour, linestyle=ls, linewidth=2.2)
        ax.text(x + 0.55, 0.25, name, va="center", fontsize=9)
    ax.text(5.0, 3.0, f"Ketamine Therapy, Explained: course map (about {course.total_minutes() / 60:.1f} h in all)",
            ha="center", va="center", fontsize=11, fontweight="bold")
    return fig


def nmda_receptor():
    """An NMDA receptor in the membrane: agonist sites, Mg2+ and ketamine in the pore."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Polygon, Rectangle

    fig = _figure(8.0, 5.6)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 7.05)
    ax.axis("off")
    grey, ink = "#BBBBBB", "#111111"
    # membrane: two leaflets of lipid heads
    for y in (2.35, 3.65):
        ax.add_patch(Rectangle((0.3, y - 0.18), 9.4, 0.36, facecolor="#E8E8E8", edgecolor=grey))
    ax.add_patch(Rectangle((0.3, 2.53), 9.4, 0.94, facecolor="#F6F6F6", edgecolor="none"))
    ax.text(0.45, 4.1, "outside the cell", fontsize=10, style="italic", color="#444444")
    ax.text(0.45, 1.75, "inside the cell", fontsize=10, style="italic", color="#444444")
    ax.text(0.45, 3.0, "membrane", fontsize=9, color="#444444", va="center")
    # two subunits flanking the pore
    for x0, name, colour in ((3.3, "GluN1", style.PALETTE["sky_blue"]), (5.45, "GluN2", style.PALETTE["orange"])):
        ax.add_patch(FancyBboxPatch((x0, 1.3), 1.25, 4.2, boxstyle="round,pad=0.08,rounding_size=0.35",
                                    facecolor=colour, edgecolor=ink, linewidth=1.4, alpha=0.55))
        ax.text(x0 + 0.62, 5.15, name, ha="center", fontsize=11, fontweight="bold")
    # pore
    ax.add_patch(Rectangle((4.62, 1.2), 0.76, 4.4, facecolor="white", edgecolor="none"))
    ax.text(5.0, 5.75, "pore", ha="center", fontsize=9, color="#444444")
    # agonist sites
    ax.add_patch(Polygon([[3.3, 4.35], [2.9, 4.6], [3.3, 4.85]], closed=True, facecolor="white", edgecolor=ink))
    ax.plot([2.75], [4.6], marker="^", markersize=13, color=style.PALETTE["bluish_green"], markeredgecolor=ink)
    ax.annotate("glycine / D-serine site\n(co-agonist, on GluN1)", (2.75, 4.6), (0.5, 5.6), fontsize=9,
                arrowprops={"arrowstyle": "-", "color": ink})
    ax.add_patch(Polygon([[6.7, 4.35], [7.1, 4.6], [6.7, 4.85]], closed=True, facecolor="white", edgecolor=ink))
    ax.plot([7.25], [4.6], marker="o", markersize=12, color=style.PALETTE["blue"], markeredgecolor=ink)
    ax.annotate("glutamate site\n(agonist, on GluN2)", (7.25, 4.6), (7.4, 5.6), fontsize=9,
                arrowprops={"arrowstyle": "-", "color": ink})
    # ketamine above Mg2+ in the channel
    ax.plot([5.0], [3.45], marker="h", markersize=17, color=style.PALETTE["reddish_purple"], markeredgecolor=ink)
    ax.annotate("ketamine at the PCP site:\nenters only an open channel,\ncan be trapped when it closes",
                (5.15, 3.45), (7.0, 3.15), fontsize=9, va="center", arrowprops={"arrowstyle": "-", "color": ink})
    ax.plot([5.0], [2.75], marker="o", markersize=12, color="white", markeredgecolor=ink, markeredgewidth=1.6)
    ax.text(5.0, 2.75, "Mg", ha="center", va="center", fontsize=6.5, fontweight="bold")
    ax.annotate("Mg$^{2+}$ plugs the pore at rest;\ndepolarisation expels it", (4.85, 2.75), (0.5, 0.75),
                fontsize=9, arrowprops={"arrowstyle": "-", "color": ink})
    # ion flow
    ax.add_patch(FancyArrowPatch((5.0, 6.55), (5.0, 5.95), arrowstyle="-|>", mutation_scale=14, color=ink))
    ax.add_patch(FancyArrowPatch((5.0, 1.25), (5.0, 0.45), arrowstyle="-|>", mutation_scale=14, color=ink,
                                 linestyle="--"))
    ax.text(5.25, 6.3, "Na$^+$ and Ca$^{2+}$ flow in when\nthe channel is open and unblocked", fontsize=9,
            va="center")
    ax.text(6.0, 0.55, "Ca$^{2+}$ signals inside the cell", fontsize=9)
    ax.text(5.0, 6.8, "The NMDA receptor: a coincidence detector that ketamine blocks from inside",
            ha="center", fontsize=11, fontweight="bold")
    return fig


def plasticity_cascade():
    """The hypothesised path from NMDA block to new synapses, with evidence notes."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    fig = _figure(9.0, 5.2)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 9)
    ax.set_ylim(0, 5.2)
    ax.axis("off")
    ink = "#111111"
    steps = [
        ("Ketamine blocks NMDA\nreceptors on GABA\ninterneurons", "homayoun2007"),
        ("Less inhibition:\npyramidal cells fire,\nglutamate surges", "moghaddam1997"),
        ("AMPA receptors\nactivated", "li2010"),
        ("BDNF released", "autry2011"),
        ("TrkB receptor\nsignalling", "li2010"),
        ("mTORC1 switched on", "li2010"),
        ("Synaptic proteins\nmade", "li2010"),
        ("New dendritic spines:\nsustain the effect", "modasava2019"),
    ]
    positions = [(0.25 + (i % 4) * 2.2, 3.3 if i < 4 else 1.0) for i in range(len(steps))]
    width, height = 1.85, 1.15
    for i, ((label, key), (x, y)) in enumerate(zip(steps, positions)):
        ax.add_patch(FancyBboxPatch((x, y), width, height, boxstyle="round,pad=0.05",
                                    facecolor="white", edgecolor=style.SERIES_COLORS[0 if i < 2 else 2 if i < 7 else 3],
                                    linewidth=2, linestyle="-" if i < 2 else "--" if i < 7 else "-."))
        ax.text(x + width / 2, y + height / 2 + 0.08, label, ha="center", va="center", fontsize=9)
        ax.text(x + width / 2, y + 0.13, f"[{key}]", ha="center", va="center", fontsize=7, color="#555555")
        if i < len(steps) - 1:
            nx, ny = positions[i + 1]
            if ny == y:
                start, end = (x + width + 0.02, y + height / 2), (nx - 0.02, ny + height / 2)
            else:
                start, end = (x + width / 2, y - 0.02), (positions[4][0] + width / 2, ny + height + 0.02)
            ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=13, color=ink,
                                         connectionstyle="arc3,rad=0" if ny == y else "angle3,angleA=0,angleB=90"))
    ax.text(4.5, 4.85, "The synaptogenesis hypothesis: one proposed chain from NMDA block to new synapses",
            ha="center", fontsize=11, fontweight="bold")
    ax.text(4.5, 0.35, "Mostly rodent evidence; each link is debated, and other routes (block at rest via eEF2, "
            "the HNK metabolite,\nlateral habenula, opioid receptors) compete with this one. "
            "Solid box: circuit; dashed: molecular; dash-dot: structural.",
            ha="center", va="center", fontsize=8.5, style="italic", color="#333333")
    return fig


def session_timeline():
    """What one treatment session looks like: IV ketamine against Spravato."""
    from matplotlib.patches import FancyBboxPatch

    fig = _figure(9.0, 4.2)
    ax = fig.add_axes((0.03, 0.16, 0.94, 0.68))
    ax.set_xlim(-0.6, 4.2)
    ax.set_ylim(-0.5, 2.3)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("hours from the start of dosing")
    ink = "#111111"

    def block(row, start, end, label, colour, hatch=None, dashed=False):
        ax.add_patch(FancyBboxPatch((start, row - 0.3), end - start, 0.6, boxstyle="round,pad=0.01",
                                    facecolor=colour, edgecolor=ink, linewidth=1.2, hatch=hatch,
                                    linestyle="--" if dashed else "-", alpha=0.9))
        if label:
            ax.text((start + end) / 2, row, label, ha="center", va="center", fontsize=8.5,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
                          "alpha": 0.85})

    ax.text(-0.58, 1.95, "IV racemic ketamine (off-label; clinic protocols vary)", fontsize=9.5,
            fontweight="bold")
    block(1.5, -0.5, 0.0, "check-in,\nscreening", "#DDDDDD")
    block(1.5, 0.0, 40 / 60, "infusion\n40 min", style.PALETTE["orange"], hatch="//")
    block(1.5, 40 / 60, 2.2, "monitoring until effects wear off\n(length set by the clinic)", "#F3F3F3",
          dashed=True)
    ax.text(-0.58, 0.85, "Esketamine nasal spray (Spravato, under the FDA's REMS)", fontsize=9.5,
            fontweight="bold")
    block(0.4, -0.5, 0.0, "check-in,\nblood pressure", "#DDDDDD")
    block(0.4, 0.0, 10 / 60, "", style.PALETTE["blue"], hatch="\\\\")
    ax.annotate("self-administered sprays, 1-3 devices\n5 min apart, under supervision", (5 / 60, 0.1),
                (0.15, -0.05), fontsize=8, va="top", arrowprops={"arrowstyle": "-", "color": ink})
    block(0.4, 10 / 60, 2.0 + 10 / 60, "observation: at least 2 h, until sedation and\n"
          "dissociation resolve; take-home is not allowed", style.PALETTE["sky_blue"])
    block(0.4, 2.0 + 10 / 60, 2.9, "discharge\n(not driving)", "#DDDDDD", dashed=True)
    ax.text(3.0, 0.4, "no driving or\nmachinery until\nthe next day,\nafter a night's sleep",
            fontsize=8, va="center")
    ax.text(0.5, 0.93, "A session is more than the dose: for Spravato, at least 2 hours in the clinic after it",
            transform=fig.transFigure, ha="center", va="bottom", fontsize=11, fontweight="bold")
    return fig


def course_schedule():
    """A course of treatment: Spravato's label schedule and an IV series with relapse."""
    fig = _figure(9.0, 3.9)
    ax = fig.add_axes((0.2, 0.3, 0.77, 0.55))
    ink = "#111111"
    weeks_twice = [w + d for w in range(0, 4) for d in (0.0, 3 / 7)]
    ax.plot(weeks_twice, [2] * len(weeks_twice), linestyle="none", marker="o", markersize=8,
            color=style.PALETTE["blue"], markeredgecolor=ink, label="Spravato session")
    ax.plot(list(range(4, 8)), [2] * 4, linestyle="none", marker="o", markersize=8,
            color=style.PALETTE["blue"], markeredgecolor=ink)
    ax.plot(list(range(8, 12)), [2] * 4, linestyle="none", marker="o", markersize=8,
            markerfacecolor="white", markeredgecolor=style.PALETTE["blue"], markeredgewidth=1.6,
            label="weekly or every 2 weeks")
    for x0, x1, text in ((0, 4, "induction: twice a week"), (4, 8, "weekly"),
                         (8, 12, "maintenance: weekly or every 2 weeks")):
        ax.annotate("", (x0 - 0.1, 2.45), (x1 - 0.1, 2.45),
                    arrowprops={"arrowstyle": "<->", "color": "#555555"})
        ax.text((x0 + x1) / 2 - 0.1, 2.55, text, ha="center", va="bottom", fontsize=8.5)
    iv_days = [0, 2, 4, 7, 9, 11]
    ax.plot([d / 7 for d in iv_days], [1] * 6, linestyle="none", marker="s", markersize=8,
            color=style.PALETTE["orange"], markeredgecolor=ink, label="IV infusion")
    relapse_week = (11 + 18) / 7
    ax.annotate("", (relapse_week, 1.0), (11 / 7, 1.0),
                arrowprops={"arrowstyle": "->", "color": style.PALETTE["vermillion"], "linestyle": "--",
                            "linewidth": 1.6})
    ax.plot([relapse_week], [1], linestyle="none", marker="X", markersize=10,
            color=style.PALETTE["vermillion"], markeredgecolor=ink, label="median relapse, responders")
    ax.text(relapse_week + 0.15, 1.0, "median 18 days after the\nlast infusion (Murrough 2013)",
            va="center", fontsize=8.5)
    ax.set_yticks([1, 2], ["IV ketamine series\n(6 infusions in 12 days,\nMurrough 2013)",
                           "Spravato\n(label schedule)"])
    ax.set_ylim(0.4, 2.95)
    ax.set_xlim(-0.4, 12)
    ax.set_xticks(range(0, 13, 2))
    ax.set_xlabel("weeks from the first dose")
    ax.grid(axis="y", visible=False)
    fig.legend(loc="lower center", bbox_to_anchor=(0.58, 0.0), fontsize=8, ncols=4, frameon=False)
    ax.set_title("Treatment is a course of sessions, and the effect of a short course can fade",
                 fontsize=11, fontweight="bold")
    return fig


def trial_designs():
    """Five trial designs as flows: who is randomised, to what, and when the outcome is measured."""
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    fig = _figure(10.0, 10.4)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10.4)
    ax.axis("off")
    ink, drug, control = "#111111", style.PALETTE["orange"], "#D9D9D9"

    def box(x0, x1, y, text, colour, hatch=None, h=0.42):
        ax.add_patch(FancyBboxPatch((x0, y - h / 2), x1 - x0, h, boxstyle="round,pad=0.02", facecolor=colour,
                                    edgecolor=ink, linewidth=1.1, hatch=hatch))
        ax.text((x0 + x1) / 2, y, text, ha="center", va="center", fontsize=8.3,
                bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})

    def arrow(x0, y0, x1, y1):
        ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=9, color="#444444",
                                     linewidth=1.0))

    def randomise(x, y, label="R"):
        ax.add_patch(Circle((x, y), 0.2, facecolor="white", edgecolor=ink, linewidth=1.6))
        ax.text(x, y, label, ha="center", va="center", fontsize=8.5, fontweight="bold")

    def outcome(x, y, text):
        ax.plot([x], [y], marker="v", markersize=11, color=style.PALETTE["blue"], markeredgecolor=ink)
        ax.text(x + 0.15, y, text, ha="left", va="center", fontsize=8.3)

    def header(y, title, question):
        ax.text(0.15, y, title, fontsize=10.5, fontweight="bold", va="bottom")
        ax.text(0.15, y - 0.08, question, fontsize=8.5, style="italic", va="top", color="#333333")

    rows = [9.0, 7.0, 5.0, 3.0, 1.0]
    # 1. crossover
    y = rows[0]
    header(y + 0.95, "1. Crossover (Berman 2000, Zarate 2006)",
           "Does the same person feel better after the drug than after placebo?")
    box(0.15, 1.55, y, "patients", "#F3F3F3")
    randomise(1.95, y)
    arrow(1.55, y, 1.75, y)
    for dy, first, second in ((0.3, ("ketamine", drug, "//"), ("saline", control, None)),
                              (-0.3, ("saline", control, None), ("ketamine", drug, "//"))):
        arrow(2.15, y, 2.4, y + dy)
        box(2.4, 3.7, y + dy, first[0], first[1], first[2], h=0.34)
        box(3.8, 4.9, y + dy, "washout", "white", h=0.34)
        box(5.0, 6.3, y + dy, second[0], second[1], second[2], h=0.34)
    outcome(6.5, y, "ratings after each infusion;\neach patient is their own control")
    # 2. parallel with an active placebo
    y = rows[1]
    header(y + 0.95, "2. Parallel groups with an active placebo (Murrough 2013)",
           "Is the drug better than a comparator that also has noticeable effects?")
    box(0.15, 1.55, y, "patients", "#F3F3F3")
    randomise(1.95, y, "2:1")
    arrow(1.55, y, 1.75, y)
    arrow(2.15, y, 2.4, y + 0.3)
    arrow(2.15, y, 2.4, y - 0.3)
    box(2.4, 6.3, y + 0.3, "one ketamine infusion", drug, "//", h=0.34)
    box(2.4, 6.3, y - 0.3, "one midazolam infusion (sedating: an active placebo)", control, h=0.34)
    outcome(6.5, y, "MADRS at 24 h (primary);\nfollow-up to day 7")
    # 3. parallel add-on
    y = rows[2]
    header(y + 0.95, "3. Parallel add-on (TRANSFORM-1, -2 and -3)",
           "Does adding the drug to a new antidepressant help more than the antidepressant alone?")
    box(0.15, 1.55, y, "failed 2 or more\nantidepressants", "#F3F3F3", h=0.6)
    randomise(1.95, y)
    arrow(1.55, y, 1.75, y)
    arrow(2.15, y, 2.4, y + 0.3)
    arrow(2.15, y, 2.4, y - 0.3)
    box(2.4, 6.3, y + 0.3, "esketamine spray + new oral antidepressant, 4 weeks", drug, "//", h=0.34)
    box(2.4, 6.3, y - 0.3, "placebo spray + new oral antidepressant, 4 weeks", control, h=0.34)
    outcome(6.5, y, "MADRS change at day 28")
    # 4. randomised withdrawal
    y = rows[3]
    header(y + 0.95, "4. Randomised withdrawal (SUSTAIN-1)",
           "Among people who already did well on the drug, does stopping it bring relapse sooner?")
    box(0.15, 2.4, y, "everyone: open-label esketamine\n+ antidepressant, 16 weeks", drug, "//", h=0.6)
    arrow(2.4, y, 3.6, y)
    ax.text(2.45, y - 0.1, "non-responders\nleave", fontsize=7.8, color="#333333", va="top")
    randomise(3.8, y)
    ax.text(3.75, y + 0.28, "responders only", ha="right", va="bottom", fontsize=8)
    arrow(4.0, y, 4.25, y + 0.3)
    arrow(4.0, y, 4.25, y - 0.3)
    box(4.25, 6.3, y + 0.3, "continue esketamine", drug, "//", h=0.34)
    box(4.25, 6.3, y - 0.3, "switch to placebo spray", control, h=0.34)
    outcome(6.5, y, "time to relapse")
    # 5. non-inferiority
    y = rows[4]
    header(y + 0.95, "5. Non-inferiority, open label (ELEKT-D)",
           "Is the new treatment not worse than the standard one by more than a set margin?")
    box(0.15, 1.55, y, "referred\nfor ECT", "#F3F3F3", h=0.6)
    randomise(1.95, y)
    arrow(1.55, y, 1.75, y)
    arrow(2.15, y, 2.4, y + 0.3)
    arrow(2.15, y, 2.4, y - 0.3)
    box(2.4, 6.3, y + 0.3, "IV ketamine twice a week, 3 weeks", drug, "//", h=0.34)
    box(2.4, 6.3, y - 0.3, "ECT three times a week, 3 weeks", style.PALETTE["sky_blue"], h=0.34)
    outcome(6.5, y, "response at 3 weeks, judged against\na margin of -10 percentage points")
    for y in rows[1:]:
        ax.plot([0.15, 9.85], [y + 1.45, y + 1.45], color="#CCCCCC", linewidth=0.8)
    return fig


def mcid():
    """The pooled esketamine effect and its CI against published MADRS thresholds (notebook 07)."""
    from . import appraisal

    pooled = appraisal.pool(appraisal.trials("esketamine"), "random")
    fig = _figure(7.2, 3.0)
    ax = fig.add_subplot()
    ax.errorbar([-pooled.estimate], [2], xerr=[[pooled.ci_high - pooled.estimate], [pooled.estimate - pooled.ci_low]],
                fmt="D", color=style.PALETTE["orange"], markeredgecolor="#111111", ecolor="#111111", capsize=5,
                markersize=10)
    ax.text(0.15, 2.3, f"pooled TRANSFORM trials (groups): {-pooled.estimate:.1f} points, "
            f"95% CI {-pooled.ci_high:.1f} to {-pooled.ci_low:.1f}", ha="left", va="bottom", fontsize="small")
    hatches = ("//", "\\\\")
    cite = {"duru2008": "Duru & Fantino 2008", "mct2020": "PubMed 33261932"}
    for i, m in enumerate(appraisal.MADRS_MCID):
        y = 1 - i
        lo, hi = m["low"], max(m["high"], m["low"] + 0.15)
        ax.barh([y], [hi - lo], left=[lo], height=0.4, color=style.SERIES_COLORS[i + 1], alpha=0.75,
                edgecolor="#111111", hatch=hatches[i])
        value = f"{m['low']:g}" if m["low"] == m["high"] else f"{m['low']:g} to {m['high']:g}"
        ax.text(0.15, y + 0.28, f"{m['label']}: {value} points ({cite[m['source']]})", ha="left", va="bottom",
                fontsize="small")
    ax.set_xlim(0, 14)
    ax.set_ylim(-0.45, 2.85)
    ax.set_yticks([])
    ax.set_xlabel("MADRS points of improvement (larger is better)")
    ax.grid(axis="y", visible=False)
    return fig


def structure_grid(width_px: int = 260, height_px: int = 230, svg: bool = True):
    """The molecules of ``data/structures.csv`` side by side, core highlighted, stereocentres labelled.

    SVG text when ``svg`` is True, PNG bytes otherwise. Deterministic.
    """
    from rdkit.Chem import AllChem
    from rdkit.Chem.Draw import rdMolDraw2D

    from . import structures as chem

    rows = chem.molecules()
    n = len(rows)
    drawer = (rdMolDraw2D.MolDraw2DSVG if svg else rdMolDraw2D.MolDraw2DCairo)(
        width_px * n, height_px, width_px, height_px)
    opts = drawer.drawOptions()
    opts.addStereoAnnotation = True
    opts.legendFontSize = 16
    opts.setBackgroundColour((1, 1, 1, 1))
    opts.fixedBondLength = 28
    hex_colour = style.PALETTE["sky_blue"].lstrip("#")
    rgb = tuple(int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4))
    mols, atoms, bonds, atom_colours, bond_colours, legends = [], [], [], [], [], []
    for row in rows:
        core = set(chem.core_atoms(row["mol"]))  # before kekulisation, which hides aromaticity
        mol = rdMolDraw2D.PrepareMolForDrawing(row["mol"])
        AllChem.Compute2DCoords(mol, canonOrient=True)
        core_bonds = [b.GetIdx() for b in mol.GetBonds()
                      if b.GetBeginAtomIdx() in core and b.GetEndAtomIdx() in core]
        mols.append(mol)
        atoms.append(sorted(core))
        bonds.append(core_bonds)
        atom_colours.append({a: rgb for a in core})
        bond_colours.append({b: rgb for b in core_bonds})
        legends.append(row["name"])
    drawer.DrawMolecules(mols, highlightAtoms=atoms, highlightBonds=bonds, highlightAtomColors=atom_colours,
                         highlightBondColors=bond_colours, legends=legends)
    drawer.FinishDrawing()
    return drawer.GetDrawingText()


def structures():
    """Ketamine, its enantiomers and PCP, drawn by RDKit (SVG and PNG)."""
    return structure_grid(svg=True), structure_grid(svg=False)


DIAGRAMS: dict[str, Diagram] = {
    d.name: d
    for d in (
        Diagram(
            "course_map", course_map,
            caption="The course map: eight notebooks taken in order, from orientation through "
                    "history and mechanism to clinical use and, last, reading the evidence.",
            alt="Eight rounded boxes in a row joined by arrows, numbered 00 to 07: Start here; "
                "From anesthetic to antidepressant; The NMDA receptor and ketamine's block; "
                "Glutamate surge and neuroplasticity; Pharmacokinetics and the session; How fast "
                "it works; Benefits, risks and who may benefit; Reading the evidence. Each box shows its "
                "estimated time in minutes. Box outlines differ in colour and dash pattern by theme: "
                "orientation, history, mechanism, clinical use and appraisal.",
        ),
        Diagram(
            "nmda_receptor", nmda_receptor,
            caption="An NMDA receptor spans the membrane. It opens only when glutamate and glycine are "
                    "bound and the cell is depolarised enough to expel Mg2+ from the pore; ketamine "
                    "binds inside the open pore.",
            alt="Cross-section of a cell membrane with an NMDA receptor made of two subunits, GluN1 on "
                "the left and GluN2 on the right, around a central pore. A glycine site (triangle) sits "
                "on GluN1 and a glutamate site (circle) on GluN2, both outside the cell. In the pore, a "
                "magnesium ion sits in the middle of the membrane and a ketamine molecule (hexagon) sits "
                "just above it at the PCP site. An arrow above the pore shows sodium and calcium flowing "
                "in when the channel is open and unblocked.",
        ),
        Diagram(
            "session_timeline", session_timeline,
            caption="One treatment session. IV ketamine: check-in, a 40-minute infusion, then monitoring "
                    "whose length the clinic sets. Spravato: check-in with blood pressure, supervised "
                    "sprays, at least 2 hours of observation, and no driving until the next day.",
            alt="Two horizontal timelines in hours. The upper one, IV racemic ketamine (off-label), shows "
                "check-in and screening before time zero, a hatched 40-minute infusion block, and a "
                "dashed block of monitoring until effects wear off, whose length the clinic sets. The "
                "lower one, esketamine nasal spray under the REMS, shows check-in with blood pressure, "
                "a short block of self-administered sprays 5 minutes apart, an observation block of at "
                "least 2 hours until sedation and dissociation resolve, then discharge without driving, "
                "and a note: no driving until the next day after a night's sleep.",
        ),
        Diagram(
            "course_schedule", course_schedule,
            caption="A course of treatment over 12 weeks: Spravato's label schedule (twice weekly for 4 "
                    "weeks, weekly for 4, then weekly or every 2 weeks) and an IV series of 6 infusions "
                    "in 12 days, after which responders relapsed after a median of 18 days.",
            alt="A timeline in weeks with two rows. The Spravato row has filled circles twice a week in "
                "weeks 1 to 4 and once a week in weeks 5 to 8, then hollow circles weekly in weeks 9 to "
                "12, labelled weekly or every 2 weeks. The IV ketamine row has six squares in the first "
                "12 days, then a dashed arrow to a cross about 4 weeks in, labelled median relapse 18 "
                "days after the last infusion (Murrough 2013).",
        ),
        Diagram(
            "structures", structures,
            caption="Phencyclidine, racemic ketamine, esketamine (S) and arketamine (R). The shaded atoms "
                    "are the shared arylcyclohexylamine core; the wedge marks the chiral centre.",
            alt="Four skeletal formulas in a row. Phencyclidine: a cyclohexane ring whose one carbon "
                "carries a phenyl ring and a piperidine nitrogen. Ketamine: a cyclohexanone ring whose "
                "carbon next to the ketone carries a 2-chlorophenyl ring and a methylamino group. "
                "Esketamine and arketamine are the same molecule drawn with a solid wedge (S) or a "
                "hashed wedge (R) on that carbon. In all four, the aryl ring, the six-membered carbon "
                "ring and the nitrogen are shaded as the shared core.",
        ),
        Diagram(
            "trial_designs", trial_designs,
            caption="Five trial designs from the ketamine and esketamine programme: where randomisation (R) "
                    "happens, what each arm receives, and when the outcome (triangle) is measured.",
            alt="Five stacked flow diagrams. 1, crossover (Berman 2000, Zarate 2006): patients are randomised "
                "to ketamine then saline, or saline then ketamine, with a washout between, and are rated after "
                "each infusion. 2, parallel groups with an active placebo (Murrough 2013): randomised 2 to 1 to one "
                "ketamine or one midazolam infusion; MADRS at 24 hours. 3, parallel add-on (TRANSFORM-1 to -3): "
                "people who failed two or more antidepressants are randomised to esketamine or placebo spray, both "
                "with a new oral antidepressant, for 4 weeks; MADRS change at day 28. 4, randomised withdrawal "
                "(SUSTAIN-1): everyone takes open-label esketamine for 16 weeks, non-responders leave, and only "
                "responders are randomised to continue esketamine or switch to placebo spray; the outcome is time "
                "to relapse. 5, non-inferiority, open label (ELEKT-D): people referred for ECT are randomised to IV "
                "ketamine twice a week or ECT three times a week for 3 weeks; response at 3 weeks is judged against "
                "a margin of minus 10 percentage points. Drug arms are hatched orange, comparison arms grey or blue.",
        ),
        Diagram(
            "mcid", mcid,
            caption="The pooled esketamine difference against two published MADRS thresholds that answer "
                    "different questions.",
            alt="A horizontal axis of MADRS points from 0 to 14. A diamond with error bars near 4 shows the pooled "
                "difference of the four TRANSFORM comparisons with its 95% CI, about 2 to 5.5. Below it a narrow "
                "bar at 1.6 to 1.9 marks a distribution-based minimal clinically important difference, and a mark "
                "at 10 the anchor-based change that matters for one patient.",
        ),
        Diagram(
            "plasticity_cascade", plasticity_cascade,
            caption="The synaptogenesis hypothesis: NMDA block on interneurons, a glutamate surge, then "
                    "AMPA, BDNF, TrkB and mTORC1 signalling leading to new spines. Each step cites its "
                    "key study; most evidence is from rodents.",
            alt="Eight boxes joined by arrows in two rows. Top row: ketamine blocks NMDA receptors on "
                "GABA interneurons; less inhibition so pyramidal cells fire and glutamate surges; AMPA "
                "receptors activated; BDNF released. Bottom row: TrkB receptor signalling; mTORC1 "
                "switched on; synaptic proteins made; new dendritic spines that sustain the effect. A "
                "footnote says the evidence is mostly from rodents and that competing routes exist.",
        ),
    )
}


def save(fig, stem: Path) -> list[Path]:
    """Write ``stem.svg`` and ``stem.png`` deterministically."""
    import matplotlib as mpl

    with mpl.rc_context({"svg.hashsalt": "ketamine-course"}):
        svg, png = stem.with_suffix(".svg"), stem.with_suffix(".png")
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        fig.savefig(png, format="png", dpi=100, metadata={"Software": None})
    return [svg, png]


def write_all(folder: Path | str) -> list[Path]:
    """Regenerate every registered diagram into ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for diagram in DIAGRAMS.values():
        drawn = diagram.draw()
        if isinstance(drawn, tuple):  # already rendered: (svg text, png bytes), e.g. by RDKit
            svg, png = out / f"{diagram.name}.svg", out / f"{diagram.name}.png"
            svg.write_text(drawn[0], encoding="utf-8")
            png.write_bytes(drawn[1])
            written += [svg, png]
        else:
            written += save(drawn, out / diagram.name)
    return written


def show(name: str):
    """Display a diagram in a notebook with its caption (alt text kept in the image)."""
    from IPython.display import HTML, Image, display

    diagram = DIAGRAMS[name]
    path = resources.figures_dir() / f"{name}.png"
    display(Image(filename=str(path), alt=diagram.alt) if _image_takes_alt() else Image(filename=str(path)))
    display(HTML(f"<p><em>Figure: {diagram.caption}</em></p>"))


def _image_takes_alt() -> bool:
    import inspect

    from IPython.display import Image

    return "alt" in inspect.signature(Image.__init__).parameters


if __name__ == "__main__":  # pragma: no cover - exercised by `make figures`
    for path in write_all(sys.argv[1] if len(sys.argv) > 1 else "figures"):
        print(path)
