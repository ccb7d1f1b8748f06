"""The notebooks' answer cells agree with the code that checks answers.

- "Answers and explanations" under each quiz equals what ``quiz`` renders for
  that notebook (glossary links aside, which `link_first_uses` adds).
- Each "Show a worked solution" block, run in the notebook's own namespace in
  place of the exercise cell, passes the ``exercises`` check it calls.

No script copies these cells; this test is what keeps them from drifting.
"""

import contextlib
import io
import json
import re

import matplotlib.pyplot as plt
import pytest

from ketamine_course import quiz

from .conftest import NOTEBOOKS

IDS = [p.name for p in NOTEBOOKS]
LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _src(cell):
    return "".join(cell["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_quiz_answers_cell_is_what_quiz_renders(path):
    cells = _cells(path)
    shown = [re.search(r'quiz\.show\("(\d\d)"\)', _src(c)) for c in cells if c["cell_type"] == "code"]
    numbers = [m.group(1) for m in shown if m]
    assert numbers == [path.name[:2]], "one quiz per notebook, for that notebook"
    answers = [_src(c) for c in cells if c["cell_type"] == "markdown" and "Answers and explanations" in _src(c)]
    assert len(answers) == 1, "one collapsed answers cell"
    expected = quiz.as_markdown_answers(quiz.show(numbers[0]).questions)
    assert expected in LINK.sub(r"\1", answers[0]), "the answers cell differs from quiz.as_markdown_answers"


@pytest.mark.slow  # runs each notebook's code (about 40 s for all)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_worked_solutions_pass_their_checks(path):
    cells = _cells(path)
    namespace: dict = {}
    solved = 0
    for i, cell in enumerate(cells):
        text = _src(cell)
        if cell["cell_type"] == "markdown" and "Show a worked solution" in text:
            blocks = CODE_BLOCK.findall(text)
            assert blocks, f"cell {i}: a worked solution without a python block"
            solution = blocks[0]
            assert "exercises.check_" in solution, f"cell {i}: the solution does not call its check"
            *body, last = solution.strip().splitlines()
            with contextlib.redirect_stdout(io.StringIO()):
                exec("\n".join(body), namespace)
                verdict = eval(last.split("#")[0], namespace)
            assert verdict, f"cell {i}: the worked solution fails {last.strip()}: {verdict!r}"
            solved += 1
        elif cell["cell_type"] == "code":  # the exercise cell too: it sets the inputs, its gap gives "Not yet"
            with contextlib.redirect_stdout(io.StringIO()):
                exec(text, namespace)
            plt.close("all")
    assert solved >= 1, "every notebook has a worked exercise"
