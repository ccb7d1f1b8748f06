"""Self-check quizzes with immediate, explained feedback.

Each notebook ends with :func:`show`, which displays its questions from
:data:`QUIZZES`. A question is multiple choice or numeric. Checking an
answer prints a verdict in words and a symbol (never colour alone) and
explains why. The answers live only in Python: the notebook's saved widget
state holds the questions and options, not the answers, so a reader of the
static page sees the questions but not their solutions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Question:
    """One quiz question.

    Parameters
    ----------
    prompt : str
        The question.
    options : tuple of str
        Choices for a multiple-choice question; empty for a numeric one.
    answer : int or float
        Index of the right option, or the right number.
    explanation : str
        Why the answer is right; shown after any attempt.
    tolerance : float
        For numeric questions: accepted absolute error.
    unit : str
        For numeric questions: the unit the answer is given in.
    hints : dict of int to str
        For multiple choice: why a particular wrong option is wrong.
    """

    prompt: str
    answer: float
    explanation: str
    options: tuple[str, ...] = ()
    tolerance: float = 0.0
    unit: str = ""
    hints: dict = field(default_factory=dict)

    @property
    def numeric(self) -> bool:
        return not self.options


def check(question: Question, response) -> tuple[bool, str]:
    """Judge a response; return (correct, feedback text)."""
    if question.numeric:
        try:
            value = float(response)
        except (TypeError, ValueError):
            return False, f"Enter a number{f' in {question.unit}' if question.unit else ''}."
        if math.isnan(value):
            return False, "Enter a number."
        ok = abs(value - question.answer) <= question.tolerance
        head = "Correct." if ok else f"Not quite: {value:g} is off."
        return ok, f"{head} {question.explanation}"
    if response is None or not isinstance(response, int) or not 0 <= response < len(question.options):
        return False, "Choose one of the options."
    ok = response == int(question.answer)
    if ok:
        return True, f"Correct. {question.explanation}"
    hint = question.hints.get(response, "")
    return False, f"Not quite. {hint + ' ' if hint else ''}{question.explanation}"


def as_text(questions) -> str:
    """The quiz as plain text: questions and options, no answers."""
    lines = ["Check yourself (run the notebook to get feedback):"]
    for i, q in enumerate(questions, 1):
        lines.append(f"{i}. {q.prompt}")
        lines += [f"   ({chr(97 + j)}) {opt}" for j, opt in enumerate(q.options)]
        if q.numeric:
            lines.append(f"   [numeric answer{f', in {q.unit}' if q.unit else ''}]")
    return "\n".join(lines)


def as_markdown_answers(questions) -> str:
    """Answers and explanations as Markdown, for a collapsed cell under the quiz."""
    lines = []
    for i, q in enumerate(questions, 1):
        right = (f"({chr(97 + int(q.answer))}) {q.options[int(q.answer)]}" if q.options
                 else f"{q.answer:g}{f' {q.unit}' if q.unit else ''}")
        lines.append(f"{i}. **{right}.** {q.explanation}")
    return "\n".join(lines)


class Quiz:
    """A list of questions shown as widgets (see :func:`show`)."""

    def __init__(self, questions):
        import ipywidgets as widgets

        self.questions = list(questions)
        self.feedback = []
        rows = []
        for i, q in enumerate(self.questions, 1):
            prompt = widgets.HTML(f"<p><strong>{i}.</strong> {q.prompt}</p>")
            if q.numeric:
                answer = widgets.FloatText(value=None, description=q.unit or "answer",
                                           layout=widgets.Layout(width="260px"))
            else:
                answer = widgets.RadioButtons(options=[(opt, j) for j, opt in enumerate(q.options)], value=None,
                                              layout=widgets.Layout(width="auto"))
            button = widgets.Button(description="Check", tooltip=f"Check your answer to question {i}")
            result = widgets.HTML(layout=widgets.Layout(min_height="1.5em"))
            button.on_click(self._checker(q, answer, result))
            self.feedback.append(result)
            rows.append(widgets.VBox([prompt, widgets.HBox([answer, button]), result]))
        self.box = widgets.VBox(rows)

    @staticmethod
    def _checker(question, answer, result):
        from html import escape

        def on_click(_button):
            ok, text = check(question, answer.value)
            mark = "&#10004; Correct" if ok else "&#10008; Not quite"
            body = text.split(" ", 1)[1] if text.startswith(("Correct.", "Not quite.")) else text
            result.value = f"<p role='status'><strong>{mark}.</strong> {escape(body)}</p>"

        return on_click

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.box._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = as_text(self.questions)
        return bundle


def show(notebook: str) -> Quiz:
    """The quiz for a notebook, e.g. ``quiz.show("02")``."""
    if notebook not in QUIZZES:
        raise ValueError(f"notebook must be one of {', '.join(sorted(QUIZZES))}, got {notebook!r}")
    return Quiz(QUIZZES[notebook])


QUIZZES: dict[str, list[Question]] = {
    "00": [
        Question("A drug has a half-life of 3 hours. What fraction of it is left after 12 hours?",
                 options=("1/4", "1/8", "1/16", "none"), answer=2,
                 explanation="12 h is four half-lives: 1/2 x 1/2 x 1/2 x 1/2 = 1/16, about 6%.",
                 hints={0: "That is two half-lives (6 h).", 3: "First-order decay never quite reaches zero."}),
        Question("Which file says how each value in data/history.csv was obtained?",
                 options=("data/references.bib", "data/README.md", "the notebook itself"), answer=1,
                 explanation="data/README.md is the data dictionary: columns, units and provenance. "
                             "references.bib holds the full citations.",
                 hints={0: "references.bib gives full citations, not how values were extracted."}),
        Question("Why do the course figures use line styles and markers as well as colour?",
                 options=("to look busier", "so that no meaning depends on telling colours apart",
                          "because the palette has too few colours"), answer=1,
                 explanation="Colour-vision deficiency is common and projectors wash colours out; shapes "
                             "and dashes carry the same information."),
    ],
    "01": [
        Question("In which year was ketamine first synthesised?", answer=1962, tolerance=0, unit="year",
                 explanation="Calvin Stevens made CI-581 at Parke-Davis in 1962 (Domino 2010)."),
        Question("Which enantiomer is the active ingredient of the Spravato nasal spray?",
                 options=("arketamine (R)", "esketamine (S)", "racemic ketamine"), answer=1,
                 explanation="Spravato is esketamine, the S enantiomer, which binds the NMDA receptor more "
                             "tightly than the R form."),
        Question("Why does the course mark the FDA approval year of Ketalar as conflicting?",
                 options=("the FDA never approved it", "sources give 1969, 1970 or 1971, and mix approval "
                          "with marketing", "it was approved only in Europe"), answer=1,
                 explanation="Labelling and reviews say 1970, a 1999 DEA notice says marketed since 1971, "
                             "and popular timelines say 1969."),
    ],
    "02": [
        Question("At -70 mV with 1 mM Mg2+, roughly what percentage of open NMDA channels conduct "
                 "(Jahr & Stevens equation)?", answer=4.4, tolerance=1.0, unit="%",
                 explanation="B(-70) = 1 / (1 + (1/3.57) e^(4.34)) = 0.044: about 4%."),
        Question("What must happen for ketamine to reach its binding site?",
                 options=("the channel must open", "the cell must be at rest", "glycine must be absent"),
                 answer=0, explanation="Ketamine is an open-channel blocker: it enters only open channels, "
                                       "so block is use-dependent.",
                 hints={1: "At rest Mg2+ plugs the pore and few channels open."}),
        Question("After washout with no further channel opening, what happens to ketamine block?",
                 options=("it disappears within milliseconds", "it stays: ketamine is trapped in closed channels",
                          "it doubles"), answer=1,
                 explanation="Ketamine is trapped when the channel closes around it and leaves only when the "
                             "channel opens again.",
                 hints={0: "That describes Mg2+, which is never trapped."}),
    ],
    "03": [
        Question("In the disinhibition hypothesis, which cells lose their drive first when NMDA receptors "
                 "are blocked?", options=("pyramidal cells", "GABA interneurons", "glial cells"), answer=1,
                 explanation="Interneurons depend more on NMDA receptors; silencing them releases pyramidal "
                             "cells from inhibition (Homayoun & Moghaddam 2007)."),
        Question("What did removing the new spines do in Moda-Sava et al. (2019)?",
                 options=("prevented any response", "left the initial response but shortened it",
                          "made the response stronger"), answer=1,
                 explanation="Spines sustain the effect; they do not start it."),
        Question("Where does most of the mechanistic evidence for these hypotheses come from?",
                 options=("large human trials", "rats and mice", "computer models"), answer=1,
                 explanation="Almost all of it is from rodents; the Spravato label states the mechanism is "
                             "unknown."),
    ],
    "04": [
        Question("The antidepressant protocol (0.5 mg/kg over 40 min) peaks at about 185 ng/mL. What is that "
                 "in micromolar (ketamine 237.73 g/mol)?", answer=0.78, tolerance=0.03, unit="µM",
                 explanation="185 ng/mL / 237.73 g/mol = 0.78 µM."),
        Question("Why is the bioavailability of swallowed ketamine low (about 20%)?",
                 options=("it is not absorbed from the gut", "first-pass metabolism in the liver",
                          "it is broken down by stomach acid"), answer=1,
                 explanation="Most of a swallowed dose is converted (largely to norketamine) by the liver "
                             "before it reaches the circulation."),
        Question("What is the minimum observation time after a Spravato dose under the REMS?",
                 answer=2, tolerance=0, unit="hours",
                 explanation="At least 2 hours, and until the patient is stable; no driving until the next day."),
    ],
    "05": [
        Question("In TRANSFORM-2, 69.3% responded on esketamine plus an oral antidepressant and 52.0% on "
                 "placebo spray plus an oral antidepressant. What is the number needed to treat?",
                 answer=5.8, tolerance=0.2, unit="patients",
                 explanation="NNT = 1 / (0.693 - 0.520) = 5.8."),
        Question("After six ketamine infusions over 12 days, what was the median time to relapse among "
                 "responders (Murrough 2013)?", answer=18, tolerance=0.5, unit="days",
                 explanation="18 days, counted from the last infusion."),
        Question("SSRIs separate from placebo in week 1 (Taylor 2006). What takes weeks, then?",
                 options=("nothing: SSRIs act as fast as ketamine", "reaching full response",
                          "absorption of the tablet"), answer=1,
                 explanation="The early difference is small; the gap grows for weeks and many reach response "
                             "only at or after 8 weeks (STAR*D)."),
    ],
    "06": [
        Question("For which use is esketamine (Spravato) approved in the USA?",
                 options=("PTSD", "treatment-resistant depression (and MDD with acute suicidal ideation)",
                          "chronic pain", "anxiety disorders"), answer=1,
                 explanation="Spravato is approved for treatment-resistant depression (2019; alone since 2025) "
                             "and for depressive symptoms in MDD with acute suicidal ideation (2020). Other uses of "
                             "ketamine are off-label or investigational."),
        Question("Is ketamine's risk of dependence lower than that of benzodiazepines, as some claim?",
                 options=("yes, so it is safer long-term", "no: it is Schedule III (benzodiazepines are "
                          "Schedule IV), the label warns of abuse and dependence, and long-term use is "
                          "poorly studied"), answer=1,
                 explanation="The claim is not supported; short supervised trials also excluded people with "
                             "substance-use disorders."),
        Question("In the pooled ASPIRE trials, dissociation occurred in 33.9% on esketamine and 5.8% on placebo. "
                 "What is the number needed to harm?", answer=3.6, tolerance=0.15, unit="patients",
                 explanation="NNH = 100 / (33.9 - 5.8) = 3.6."),
        Question("Which is a contraindication on the Spravato label?",
                 options=("age over 40", "aneurysmal vascular disease or arteriovenous malformation",
                          "taking an oral antidepressant"), answer=1,
                 explanation="The label lists aneurysmal vascular disease or arteriovenous malformation, a "
                             "history of intracerebral hemorrhage, and hypersensitivity.",
                 hints={2: "Spravato is given together with an oral antidepressant in TRD."}),
    ],
    "07": [
        Question("SUSTAIN-1 randomised only patients in stable remission or response after 16 weeks of esketamine. "
                 "What can it tell someone who has never taken esketamine?",
                 options=("that esketamine will work for them", "whether staying on esketamine after a good "
                          "response delays relapse, not whether starting it helps them",
                          "nothing at all: randomised withdrawal trials are invalid"), answer=1,
                 explanation="A randomised withdrawal trial answers a question about people who already responded. "
                             "Non-responders left before randomisation, so it says nothing about the chance of "
                             "responding in the first place.",
                 hints={2: "The design is valid; it just answers a narrower question."}),
        Question("TRANSFORM-1 (84 mg): MADRS difference -3.2, 95% CI -6.88 to 0.45. Did it meet its primary "
                 "endpoint?", options=("yes: the estimate favours esketamine", "no: the interval includes no "
                                       "difference (P = .088)"), answer=1,
                 explanation="An interval that includes 0 means the data are compatible with no effect, so the "
                             "prespecified test failed; the 56 mg arm could then not be formally tested."),
        Question("ELEKT-D: 55.4% responded to ketamine and 41.2% to ECT. What is the number needed to treat?",
                 answer=7.0, tolerance=0.2, unit="patients",
                 explanation="NNT = 1 / (0.554 - 0.412) = 7.0. The trial was designed to show non-inferiority, "
                             "not superiority, and was open label."),
        Question("Pooling the four short-term esketamine comparisons gives the same answer with fixed and random "
                 "effects. Why?", options=("statsmodels ignores the choice", "the estimated between-trial "
                                           "variance is zero, so the two models coincide",
                                           "random effects always equal fixed effects"), answer=1,
                 explanation="The DerSimonian-Laird estimate of tau squared is below zero for these trials and is "
                             "set to zero: with no detectable heterogeneity the random-effects model reduces to the "
                             "fixed-effect one.",
                 hints={2: "With heterogeneous trials random effects widen the interval and shift weight to small "
                           "trials."}),
        Question("Why compare ketamine with midazolam rather than saline?",
                 options=("midazolam is a better antidepressant", "midazolam has noticeable effects too, so "
                          "patients are less able to guess their group", "saline is unsafe"), answer=1,
                 explanation="Dissociation reveals ketamine against saline. An active placebo makes guessing "
                             "harder; in pooled patient-level data the day-1 effect size was smaller against "
                             "midazolam (d = 0.7) than against saline (d = 1.8)."),
    ],
}
