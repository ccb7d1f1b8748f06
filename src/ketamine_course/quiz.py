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
        Why the answer is right; shown after a right answer, after the second
        wrong one, or when the student asks for the answer.
    tolerance : float
        For numeric questions: accepted absolute error.
    unit : str
        For numeric questions: the unit the answer is given in.
    hints : dict of int to str
        For multiple choice: why a particular wrong option is wrong.
    hint : str
        A nudge after the first wrong answer that does not give the answer away.
    rounding : str
        For numbers conventionally reported whole (NNT, NNH): ``"up"`` also
        accepts the answer rounded up to a whole number, ``"up or down"`` the
        whole numbers on either side; ``""`` accepts only the tolerance.
    """

    prompt: str
    answer: float
    explanation: str
    options: tuple[str, ...] = ()
    tolerance: float = 0.0
    unit: str = ""
    hints: dict = field(default_factory=dict)
    hint: str = ""
    rounding: str = ""

    @property
    def numeric(self) -> bool:
        return not self.options

    def whole_numbers(self) -> tuple[int, ...]:
        """The whole numbers accepted besides the tolerance band (see ``rounding``)."""
        import math

        if not self.numeric or not self.rounding:
            return ()
        up = math.ceil(self.answer - 1e-9)
        return (up,) if self.rounding == "up" else tuple(sorted({math.floor(self.answer + 1e-9), up}))

    def accepted(self) -> str:
        """What counts as right, in words (numeric questions), e.g. ``5.6 to 6 patients, or 6``."""
        if not self.numeric:
            return ""
        unit = f" {self.unit}" if self.unit else ""
        if self.tolerance:
            text = f"answers within ±{self.tolerance:g}{unit} count"
        else:
            text = f"exact answer only{f' (unit: {self.unit})' if self.unit else ''}"
        if self.rounding == "up":
            text += "; so does the answer rounded up to a whole number, as NNTs are usually reported"
        elif self.rounding:
            text += "; so does the answer rounded up or down to a whole number"
        return text


#: The feedback heads, each said once (the widget adds only a symbol before them).
RIGHT, WRONG = "Correct.", "Not quite."


def _answer_text(question: Question) -> str:
    if question.options:
        i = int(question.answer)
        return f"({chr(97 + i)}) {question.options[i]}"
    whole = question.whole_numbers()
    unit = f" {question.unit}" if question.unit and question.unit != "year" else ""
    also = f" (or {' or '.join(str(w) for w in whole)} as a whole number)" if whole else ""
    return f"{question.answer:g}{unit}{also}"


def reveal(question: Question) -> str:
    """The answer and why, for the "Show answer" button or after a second wrong try."""
    return f"The answer is {_answer_text(question)}. {question.explanation}"


def check(question: Question, response, attempt: int = 1) -> tuple[bool, str]:
    """Judge a response; return (correct, feedback text).

    A right answer gets :data:`RIGHT` and the explanation. The first wrong
    answer (``attempt`` 1) gets :data:`WRONG` and a hint, never the answer;
    from the second wrong answer on, the answer and its explanation.
    Input that is not an answer at all (no option chosen, no number) gets
    only a request and does not count as an attempt.
    """
    attempt = int(checks.number(attempt, "attempt", "", 1))
    if question.numeric:
        value = checks.parse_number(response)
        if value is None:
            return False, f"Enter a number{f' in {question.unit}' if question.unit else ''}."
        # a typed answer exactly at the edge counts (0.78 + 0.03 is 0.81000...03 in floating point)
        ok = abs(value - question.answer) <= question.tolerance + 1e-9 * max(1.0, abs(question.answer))
        ok = ok or value in question.whole_numbers()
        if ok:
            return True, f"{RIGHT} {question.explanation}"
        nudge = _number_nudge(f"{value:g}", value > question.answer)
    else:
        if response is None or not isinstance(response, int) or not 0 <= response < len(question.options):
            return False, "Choose one of the options."
        if response == int(question.answer):
            return True, f"{RIGHT} {question.explanation}"
        nudge = question.hints.get(response, "")
    return False, " ".join(filter(None, (WRONG, nudge, _after_wrong(question, attempt))))


def _number_nudge(shown: str, high: bool) -> str:
    """What a wrong number gets first: which side of the answer it lies on."""
    return f"{shown} is too {'high' if high else 'low'}."


def _after_wrong(question: Question, attempt: int) -> str:
    """The end of a wrong answer's feedback: a hint on the first try, the answer from the second on."""
    if attempt >= 2:
        return reveal(question)
    return " ".join(filter(None, (f"Hint: {question.hint}" if question.hint else "",
                                  "Try again, or choose Show answer.")))


def for_browser(question: Question) -> dict:
    """Everything a web page needs to give :func:`check`'s feedback without Python (the static site).

    Multiple choice: the feedback for every option on the first and on a later
    try, and which option is right. Numeric: the answer, tolerance and whole
    numbers accepted, and the pieces :func:`check` joins, with ``{value}`` where
    the page puts the number typed (formatted like Python's ``:g``). The page
    counts wrong tries as :class:`Quiz` does. The wording stays here.
    """
    common = {"empty": check(question, None if question.options else "")[1], "reveal": reveal(question)}
    if question.options:
        options = range(len(question.options))
        return {"kind": "choice", **common, "right": int(question.answer),
                "feedback": [[check(question, j, attempt)[1] for attempt in (1, 2)] for j in options]}
    return {"kind": "number", **common, "answer": question.answer, "tolerance": question.tolerance,
            "whole": list(question.whole_numbers()), "correct": check(question, question.answer)[1],
            "wrong": WRONG, "high": _number_nudge("{value}", True), "low": _number_nudge("{value}", False),
            "after": [_after_wrong(question, 1), _after_wrong(question, 2)]}


def as_text(questions) -> str:
    """The quiz as plain text: questions and options, no answers."""
    lines = ["Check yourself (run the notebook to get feedback):"]
    for i, q in enumerate(questions, 1):
        lines.append(f"{i}. {q.prompt}")
        lines += [f"   ({chr(97 + j)}) {opt}" for j, opt in enumerate(q.options)]
        if q.numeric:
            lines.append(f"   [numeric answer{f', in {q.unit}' if q.unit else ''}: {q.accepted()}]")
    return "\n".join(lines)


def as_markdown_answers(questions) -> str:
    """Answers and explanations as Markdown, for a collapsed cell under the quiz."""
    lines = []
    for i, q in enumerate(questions, 1):
        lines.append(f"{i}. **{_answer_text(q)}.** {q.explanation}")
    return "\n".join(lines)


class Quiz:
    """A list of questions shown as widgets (see :func:`show`).

    Each question has a Check button and a Show answer button. The first
    wrong answer gets a hint; the second, or Show answer, the answer.
    """

    def __init__(self, questions):
        import ipywidgets as widgets

        self.questions = list(questions)
        self.feedback, self.attempts = [], [0] * len(self.questions)
        rows = []
        for i, q in enumerate(self.questions, 1):
            accepted = f" <em>({q.accepted()})</em>" if q.numeric else ""
            prompt = widgets.HTML(f"<p><strong>{i}.</strong> {q.prompt}{accepted}</p>")
            if q.numeric:
                answer = widgets.FloatText(value=None, description=q.unit or "answer",
                                           layout=widgets.Layout(width="260px"))
            else:
                answer = widgets.RadioButtons(options=[(opt, j) for j, opt in enumerate(q.options)], value=None,
                                              layout=widgets.Layout(width="auto"))
            button = widgets.Button(description="Check", tooltip=f"Check your answer to question {i}")
            show = widgets.Button(description="Show answer", tooltip=f"Show the answer to question {i}")
            result = widgets.HTML(layout=widgets.Layout(min_height="1.5em"))
            button.on_click(self._checker(i - 1, answer, result))
            show.on_click(self._revealer(i - 1, result))
            self.feedback.append(result)
            rows.append(widgets.VBox([prompt, widgets.HBox([answer, button, show]), result]))
        self.box = widgets.VBox(rows)

    @staticmethod
    def _html(ok: bool | None, text: str) -> str:
        from html import escape

        if text.startswith(RIGHT):
            mark, text = "&#10004; Correct.", text[len(RIGHT):].lstrip()
        elif text.startswith(WRONG):
            mark, text = "&#10008; Not quite.", text[len(WRONG):].lstrip()
        else:
            mark = "Answer:" if ok is None else ""
        head = f"<strong>{mark}</strong> " if mark else ""
        return f"<p role='status'>{head}{escape(text)}</p>"

    def _checker(self, index, answer, result):
        question = self.questions[index]

        def on_click(_button):
            value = answer.value
            counts = value is not None and (question.numeric or isinstance(value, int))
            ok, text = check(question, value, attempt=self.attempts[index] + 1)
            if counts and not ok:
                self.attempts[index] += 1
            result.value = self._html(ok, text)

        return on_click

    def _revealer(self, index, result):
        question = self.questions[index]

        def on_click(_button):
            result.value = self._html(None, reveal(question))

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
    if row["rounding"] and options:
        raise ValueError(f"quiz.csv, notebook {row['notebook']} question {row['question']}: rounding applies "
                         "only to numeric questions")
    return Question(prompt=row["prompt"], answer=answer, explanation=row["explanation"], options=options,
                    tolerance=row["tolerance"] or 0.0, unit=row["unit"] or "", hints=hints,
                    hint=row["hint"], rounding=row["rounding"] or "")


def load(data_dir=None) -> dict[str, list[Question]]:
    """The questions of ``data/quiz.csv``, by notebook, in order."""
    from . import data

    out: dict[str, list[Question]] = {}
    for row in sorted(data.load_table("quiz", data_dir), key=lambda r: (r["notebook"], r["question"])):
        out.setdefault(row["notebook"], []).append(_question(row))
    return out


#: Every notebook's questions, from ``data/quiz.csv``.
QUIZZES: dict[str, list[Question]] = load()
