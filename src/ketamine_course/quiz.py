"""Self-check quizzes with immediate, explained feedback.

Each notebook ends with :func:`show`, which displays its questions from
:data:`QUIZZES`. A question is multiple choice or numeric. Checking an
answer prints a verdict in words and a symbol (never colour alone) and
explains why. The questions, answers and explanations are data, in
``data/quiz.csv`` (validated by :mod:`ketamine_course.data`). The answers reach
the notebook only through Python: the notebook's saved widget state holds the
questions and options, not the answers, so a reader of the static page sees
the questions but not their solutions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import checks


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
        value = checks.parse_number(response)
        if value is None:
            return False, f"Enter a number{f' in {question.unit}' if question.unit else ''}."
        # a typed answer exactly at the edge counts (0.78 + 0.03 is 0.81000...03 in floating point)
        ok = abs(value - question.answer) <= question.tolerance + 1e-9 * max(1.0, abs(question.answer))
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


def _question(row: dict) -> Question:
    options = tuple(o.strip() for o in row["options"].split(";")) if row["options"] else ()
    hints = {}
    for item in filter(None, (h.strip() for h in (row["hints"] or "").split(";"))):
        number, _, text = item.partition(":")
        hints[int(number)] = text.strip()
    answer = row["answer"]
    if options:
        if not (answer.is_integer() and 0 <= answer < len(options)):
            raise ValueError(f"quiz.csv, notebook {row['notebook']} question {row['question']}: answer must be "
                             f"an option number from 0 to {len(options) - 1}; got {answer:g}")
        answer = int(answer)
    elif row["tolerance"] is None:
        raise ValueError(f"quiz.csv, notebook {row['notebook']} question {row['question']}: a numeric "
                         "question needs a tolerance")
    return Question(prompt=row["prompt"], answer=answer, explanation=row["explanation"], options=options,
                    tolerance=row["tolerance"] or 0.0, unit=row["unit"] or "", hints=hints)


def load(data_dir=None) -> dict[str, list[Question]]:
    """The questions of ``data/quiz.csv``, by notebook, in order."""
    from . import data

    out: dict[str, list[Question]] = {}
    for row in sorted(data.load_table("quiz", data_dir), key=lambda r: (r["notebook"], r["question"])):
        out.setdefault(row["notebook"], []).append(_question(row))
    return out


#: Every notebook's questions, from ``data/quiz.csv``.
QUIZZES: dict[str, list[Question]] = load()
