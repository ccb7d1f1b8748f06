"""Quizzes and exercises: every notebook has both, and the checks judge correctly."""

import json
import re

import numpy as np
import pytest

from ketamine_course import exercises, pk, plasticity, quiz, receptor, structures

from .conftest import NOTEBOOKS


def _number(name):
    return re.match(r"(\d\d)_", name).group(1)


def _esketamine_salt():
    mol = next(r["mol"] for r in structures.molecules() if r["name"].startswith("esketamine"))
    return structures.molar_mass_g_per_mol(mol) + exercises.HCL_G_PER_MOL


#: check function -> (a correct answer computed as a student would, a wrong answer)
CHECKS = {
    exercises.check_regulation_count: (5, 14),
    exercises.check_salt_mass: (_esketamine_salt(), 237.73),
    exercises.check_mg_unblocked: (1 / (1 + 1.0 / 3.57 * np.exp(-0.062 * -40.0)), 0.77),
    exercises.check_peak_block: (float(np.linspace(0, 1, 1001)[np.argmax(
        plasticity.output_vs_block(np.linspace(0, 1, 1001)))]), 0.0),
    exercises.check_protocol_peak_um: (pk.ng_per_ml_to_um(pk.simulate(0.5, 70.0).peak()[1]), 177.3),
    exercises.check_nnt: (1 / (0.693 - 0.520), 17.3),
    exercises.check_elektd_nnt: (1 / (0.554 - 0.412), 14.2),
}


@pytest.mark.parametrize("check", list(CHECKS), ids=lambda f: f.__name__)
def test_check_accepts_the_solution_and_rejects_a_wrong_answer(check, capsys):
    right, wrong = CHECKS[check]
    assert check(right), capsys.readouterr().out
    assert "Correct." in capsys.readouterr().out
    assert not check(wrong)
    out = capsys.readouterr().out
    assert out.startswith("Not yet.") and len(out) > 30, "a wrong answer gets an explanation"
    assert not check(...)
    assert "number" in capsys.readouterr().out


def test_elektd_check_takes_the_interval_too(capsys):
    from ketamine_course import appraisal

    assert exercises.check_elektd_nnt(appraisal.nnt(0.554, 0.412, 195, 170))
    assert "95% CI 4.2 to 25.4" in capsys.readouterr().out
    assert not exercises.check_elektd_nnt((7.0, 3.9, 24.2))   # the risk-difference interval, not inverted
    assert "interval" in capsys.readouterr().out


def test_capstone_claims_check(capsys):
    from ketamine_course import appraisal

    right = {claim: verdict for claim, (verdict, *_rest) in appraisal.CLAIM_VERDICTS.items()}
    assert set(right) == {claim for claim, _ in appraisal.CLINIC_ADVERT}
    assert exercises.check_claims(right)
    assert "all 6 verdicts" in capsys.readouterr().out
    assert not exercises.check_claims(dict(right, approval="supported"))
    out = capsys.readouterr().out
    assert "5 of 6" in out and "you said supported, the course says unsupported" in out
    assert not exercises.check_claims(dict(right, onset="true"))
    assert "must be one of supported, overstated, unsupported" in capsys.readouterr().out
    assert not exercises.check_claims(["overstated"])
    assert "must be a dict" in capsys.readouterr().out


def test_regulation_count_matches_the_data():
    from ketamine_course import data

    assert sum(r["category"] == "regulation" for r in data.load_table("history")) == CHECKS[
        exercises.check_regulation_count][0]


def test_mg_exercise_matches_the_model():
    assert CHECKS[exercises.check_mg_unblocked][0] == pytest.approx(receptor.mg_unblocked_fraction(-40.0, 1.0))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_notebook_has_a_quiz_and_an_exercise(path):
    nb = json.loads(path.read_text())
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    text = "".join("".join(c["source"]) for c in nb["cells"])
    number = _number(path.name)
    assert any(f'quiz.show("{number}")' in c for c in code), "no quiz"
    exercise_cells = [c for c in code if "exercises.check_" in c]
    assert exercise_cells, "no exercise with a check function"
    assert any("= ...  # your code" in c for c in exercise_cells), "the exercise has no marked gap"
    assert "Show a worked solution" in text, "no hidden worked solution"
    assert "### Exercise" in text and "### Think!" in text or number == "00"


@pytest.mark.parametrize("number", sorted(quiz.QUIZZES))
def test_quiz_questions_are_judged_correctly(number):
    questions = quiz.QUIZZES[number]
    assert len(questions) >= 3
    for q in questions:
        ok, text = quiz.check(q, int(q.answer) if q.options else q.answer)
        assert ok and text.startswith("Correct.") and q.explanation in text
        if q.options:
            for wrong in set(range(len(q.options))) - {int(q.answer)}:
                ok, text = quiz.check(q, wrong)
                assert not ok and text.startswith("Not quite.")
            assert quiz.check(q, None) == (False, "Choose one of the options.")
        else:
            assert not quiz.check(q, q.answer + 10 * q.tolerance + 10)[0]
            assert not quiz.check(q, "abc")[0]


def _numeric_questions():
    return [(n, i, q) for n, qs in sorted(quiz.QUIZZES.items()) for i, q in enumerate(qs) if q.numeric]


@pytest.mark.parametrize("number, index, q", _numeric_questions(),
                         ids=[f"{n}-{i + 1}" for n, i, _ in _numeric_questions()])
def test_numeric_quiz_tolerance_is_exactly_the_stated_one(number, index, q):
    """Answers within the tolerance pass, answers just outside it fail, on both sides."""
    for sign in (1, -1):
        assert quiz.check(q, q.answer + sign * q.tolerance)[0]
        assert quiz.check(q, str(q.answer + sign * q.tolerance))[0]
        outside = q.answer + sign * (q.tolerance + max(0.01, 0.1 * q.tolerance))
        assert not quiz.check(q, outside)[0], f"{outside} accepted for answer {q.answer} +/- {q.tolerance}"


@pytest.mark.parametrize("number", sorted(quiz.QUIZZES))
def test_static_quiz_shows_questions_but_not_answers(number):
    questions = quiz.QUIZZES[number]
    shown = quiz.show(number)
    text = shown._repr_mimebundle_()["text/plain"]
    for q in questions:
        assert q.prompt in text
        assert q.explanation not in text
    assert "application/vnd.jupyter.widget-view+json" in shown._repr_mimebundle_()


def test_quiz_feedback_uses_words_and_symbols_not_colour():
    shown = quiz.show("02")
    radio = shown.box.children[1].children[1].children[0]
    button = shown.box.children[1].children[1].children[1]
    radio.value = 0
    button.click()
    feedback = shown.feedback[1].value
    assert "Correct" in feedback and "&#10004;" in feedback and "color" not in feedback
    radio.value = 1
    button.click()
    assert "Not quite" in shown.feedback[1].value and "&#10008;" in shown.feedback[1].value


def test_unknown_quiz():
    with pytest.raises(ValueError, match="notebook must be one of"):
        quiz.show("99")


def _all_questions():
    return [(n, i, q) for n, qs in sorted(quiz.QUIZZES.items()) for i, q in enumerate(qs)]


def _wrong_response(q):
    if q.options:
        return next(j for j in range(len(q.options)) if j != int(q.answer))
    return q.answer + 10 * q.tolerance + 10


def _repeats(text):
    """Words said twice in a row (as in "Not quite. quite."), and feedback heads said twice."""
    words = [w.strip("()[],.;:!?") for w in text.split()]
    doubled = [a for a, b in zip(words, words[1:]) if a == b and a]
    heads = [h for h in (quiz.RIGHT, quiz.WRONG) if text.count(h.rstrip(".")) > 1]
    return doubled + heads


@pytest.mark.parametrize("number, index, q", _all_questions(),
                         ids=[f"{n}-{i + 1}" for n, i, _ in _all_questions()])
def test_first_wrong_answer_hints_and_the_second_reveals(number, index, q):
    answer = quiz._answer_text(q)
    ok, first = quiz.check(q, _wrong_response(q), attempt=1)
    assert not ok and first.startswith("Not quite.")
    assert q.hint and f"Hint: {q.hint}" in first
    assert q.explanation not in first and answer not in first, "the first wrong try gives the answer away"
    if q.numeric:
        assert f"{q.answer:g}" not in first.replace(f"{_wrong_response(q):g}", "")
    ok, second = quiz.check(q, _wrong_response(q), attempt=2)
    assert not ok and f"The answer is {answer}." in second and q.explanation in second
    for text in (first, second, quiz.check(q, int(q.answer) if q.options else q.answer)[1], quiz.reveal(q)):
        assert _repeats(text) == [], text


def test_widget_feedback_says_each_word_once_and_hints_before_revealing():
    shown = quiz.show("01")
    row = shown.box.children[0]
    year, check_button, show_button = row.children[1].children
    year.value = 1970
    check_button.click()
    first = shown.feedback[0].value
    assert first.count("Not quite") == 1 and "quite. quite" not in first and "&#10008;" in first
    assert "Hint:" in first and "1962" not in first
    check_button.click()
    second = shown.feedback[0].value
    assert second.count("Not quite") == 1 and "1962" in second
    shown2 = quiz.show("01")
    shown2.box.children[0].children[1].children[2].click()  # Show answer, before any try
    assert "The answer is 1962." in shown2.feedback[0].value
    assert "Answer:" in shown2.feedback[0].value


def test_a_missing_answer_is_not_counted_as_a_try():
    shown = quiz.show("02")
    radio, check_button, _ = shown.box.children[1].children[1].children
    check_button.click()
    assert "Choose one of the options" in shown.feedback[1].value and shown.attempts[1] == 0
    radio.value = 1
    check_button.click()
    assert "Hint:" in shown.feedback[1].value and shown.attempts[1] == 1


@pytest.mark.parametrize("notebook, question, exact, whole, wrong", [
    ("05", 0, 100 / (69.3 - 52.0), [6], [5, 7]),   # NNT 5.78: conventionally rounded up to 6
    ("06", 2, 100 / (33.9 - 5.8), [3, 4], [2, 5]),  # NNH 3.56: about 4; some round an NNH down
])
def test_nnt_and_nnh_accept_the_conventional_whole_number(notebook, question, exact, whole, wrong):
    q = quiz.QUIZZES[notebook][question]
    assert q.answer == pytest.approx(exact, abs=0.05)
    assert list(q.whole_numbers()) == whole
    for w in whole:
        assert quiz.check(q, w)[0] and quiz.check(q, f"{w}")[0]
    for w in wrong:
        assert not quiz.check(q, w)[0]
    assert "whole number" in q.accepted() and f"±{q.tolerance:g}" in q.accepted()
    assert q.accepted() in quiz.as_text([q])


def test_every_numeric_prompt_states_its_tolerance():
    for n, qs in quiz.QUIZZES.items():
        shown = quiz.show(n)
        for row, q in zip(shown.box.children, qs):
            if q.numeric:
                assert q.accepted() in row.children[0].value


@pytest.mark.parametrize("check, exact, accepted, rejected", [
    (exercises.check_nnt, 100 / (69.3 - 52.0), [6, "6"], [5, 7]),
    (exercises.check_nnh, 100 / (33.9 - 5.8), [4, 3], [2, 5]),
])
def test_nnt_and_nnh_exercises_accept_the_conventional_whole_number(check, exact, accepted, rejected, capsys):
    assert check(exact)
    for value in accepted:
        assert check(value), capsys.readouterr().out
        out = capsys.readouterr().out
        assert out.startswith("Correct.") and "whole number" in out
    for value in rejected:
        assert not check(value)
    out = capsys.readouterr().out
    assert "counts" in out or "count" in out
