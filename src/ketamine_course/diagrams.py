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

from . import course, style


@dataclass(frozen=True)
class Diagram:
    name: str
    draw: Callable[[], object]  # returns a matplotlib Figure
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
              4: "clinical use", 5: "clinical use", 6: "clinical use"}
    group_style = {"orientation": (style.PALETTE["black"], "-"),
                   "history": (style.PALETTE["orange"], "--"),
                   "mechanism": (style.PALETTE["blue"], "-"),
                   "clinical use": (style.PALETTE["bluish_green"], "-.")}
    width, height, gap = 1.24, 1.55, 0.17
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
            if len(line) + len(word) > 13 and line:
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
        x = 0.6 + j * 2.4
        ax.plot([x, x + 0.45], [0.25, 0.25], color=colour, linestyle=ls, linewidth=2.2)
        ax.text(x + 0.55, 0.25, name, va="center", fontsize=9)
    ax.text(5.0, 3.0, f"Ketamine Therapy, Explained: course map (about {course.total_minutes() / 60:.1f} h in all)",
            ha="center", va="center", fontsize=11, fontweight="bold")
    return fig


DIAGRAMS: dict[str, Diagram] = {
    d.name: d
    for d in (
        Diagram(
            "course_map", course_map,
            caption="The course map: seven notebooks taken in order, from orientation through "
                    "history and mechanism to clinical use.",
            alt="Seven rounded boxes in a row joined by arrows, numbered 00 to 06: Start here; "
                "From anesthetic to antidepressant; The NMDA receptor and ketamine's block; "
                "Glutamate surge and neuroplasticity; Pharmacokinetics and the session; How fast "
                "it works; Benefits, risks and who may benefit. Each box shows its estimated time "
                "in minutes. Box outlines differ in colour and dash pattern by theme: orientation, "
                "history, mechanism and clinical use.",
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
        written += save(diagram.draw(), out / diagram.name)
    return written


def show(name: str):
    """Display a diagram in a notebook with its caption (alt text kept in the image)."""
    from IPython.display import HTML, Image, display

    diagram = DIAGRAMS[name]
    path = Path(__file__).resolve().parents[2] / "figures" / f"{name}.png"
    display(Image(filename=str(path), alt=diagram.alt) if _image_takes_alt() else Image(filename=str(path)))
    display(HTML(f"<p><em>Figure: {diagram.caption}</em></p>"))


def _image_takes_alt() -> bool:
    import inspect

    from IPython.display import Image

    return "alt" in inspect.signature(Image.__init__).parameters


if __name__ == "__main__":  # pragma: no cover - exercised by `make figures`
    for path in write_all(sys.argv[1] if len(sys.argv) > 1 else "figures"):
        print(path)
