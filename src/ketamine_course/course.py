"""The course map: every notebook, its topics, time and main demo.

One list feeds the start-here notebook, the README check and the course-map
diagram, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import resources

NOTEBOOK_DIR = resources.notebook_dir()


@dataclass(frozen=True)
class Lesson:
    number: int
    filename: str
    title: str
    topics: str
    minutes: int
    main_demo: str

    @property
    def available(self) -> bool:
        """True once the notebook exists in ``notebooks/``."""
        return (NOTEBOOK_DIR / self.filename).exists()


LESSONS: tuple[Lesson, ...] = (
    Lesson(0, "00_start_here.ipynb", "Start here",
           "how the course works, sliders and dropdowns, presenting, where data live", 15,
           "half-life explorer (warm-up)"),
    Lesson(1, "01_history.ipynb", "From anesthetic to antidepressant",
           "1962 synthesis, anesthesia, scheduling, the 2000 trial, esketamine approvals", 40,
           "filterable timeline of milestones"),
    Lesson(2, "02_nmda_receptor.ipynb", "The NMDA receptor and ketamine's block",
           "coincidence detection, Mg2+ block, open-channel trapping block", 60,
           "I-V curve under Mg2+ block"),
    Lesson(3, "03_glutamate_and_plasticity.ipynb", "Glutamate surge and neuroplasticity",
           "disinhibition, BDNF and mTORC1, spines, competing hypotheses", 50,
           "excitatory-inhibitory rate model"),
    Lesson(4, "04_pharmacokinetics_and_the_session.ipynb", "Pharmacokinetics and the session",
           "compartment models, routes, esketamine spray, what a session is like", 60,
           "plasma curve by route, dose and weight"),
    Lesson(5, "05_onset_timelines.ipynb", "How fast it works",
           "trial data for ketamine, esketamine, SSRIs, ECT and placebo", 50,
           "onset comparison from trial data"),
    Lesson(6, "06_benefits_risks_and_candidates.ipynb", "Benefits, risks and who may benefit",
           "evidence by condition, adverse effects, contraindications, myths", 50,
           "evidence table filtered by condition"),
    Lesson(7, "07_reading_the_evidence.ipynb", "Reading the evidence",
           "trial designs, failed trials, blinding, effect sizes, NNT and NNH, appraising a claim", 60,
           "forest plot you pool yourself"),
)


def total_minutes() -> int:
    """Estimated time for the whole course, minutes."""
    return sum(lesson.minutes for lesson in LESSONS)


def markdown_table(link_prefix: str = "") -> str:
    """The course map as a Markdown table; notebooks not yet written are marked, not linked.

    ``link_prefix`` is prepended to the file names (``"notebooks/"`` from the README).
    """
    lines = ["| # | Notebook | Topics | Time | Main interactive demo |", "|---|---|---|---|---|"]
    for lesson in LESSONS:
        title = (f"[{lesson.title}]({link_prefix}{lesson.filename})" if lesson.available
                 else f"{lesson.title} *(in preparation)*")
        lines.append(f"| {lesson.number:02d} | {title} | {lesson.topics} | {lesson.minutes} min | "
                     f"{lesson.main_demo} |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - used by scripts/update_course_map.py
    print(markdown_table("notebooks/"))
