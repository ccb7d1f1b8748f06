"""The static site's build-time pieces that need no browser (scripts/site_content.py).

Link rewriting, the encoded quiz data (it must decode to the notebook's own
feedback), the course map and the glossary and references pages.
"""

from __future__ import annotations

import sys

import pytest

from ketamine_course import course, data, glossary, quiz

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import site_content  # noqa: E402


def test_markdown_links_point_to_site_pages():
    keys = {"jahr1990"}
    text = ("A [coincidence detector](../docs/glossary.md#coincidence-detector), notebook "
            "[02](02_nmda_receptor.ipynb), the [glossary](../docs/glossary.md), `[jahr1990]` and `[nokey]`.")
    out = site_content.rewrite_markdown(text, keys)
    assert "(glossary.html#coincidence-detector)" in out
    assert "(02_nmda_receptor.html)" in out
    assert "[glossary](glossary.html)" in out
    assert "[[jahr1990]](references.html#jahr1990)" in out
    assert "`[nokey]`" in out, "an unknown key is left as it is"
    assert ".ipynb" not in out and ".md" not in out


def _page_feedback(payload: dict, value, attempt: int) -> str:
    """What course.js shows for a number typed on the ``attempt``-th try, from the payload alone."""
    ok = (abs(value - payload["answer"]) <= payload["tolerance"] + 1e-9 * max(1.0, abs(payload["answer"]))
          or value in payload["whole"])
    if ok:
        return payload["correct"]
    nudge = payload["high" if value > payload["answer"] else "low"].replace("{value}", f"{value:g}")
    return " ".join(filter(None, (payload["wrong"], nudge, payload["after"][min(attempt, 2) - 1])))


@pytest.mark.parametrize("notebook", sorted(quiz.QUIZZES))
def test_encoded_quiz_data_gives_the_notebooks_feedback_on_every_try(notebook):
    for i, q in enumerate(quiz.QUIZZES[notebook], 1):
        ident = f"q{notebook}-{i}"
        blob = site_content.encode(site_content.quiz_payload(q), ident)
        assert q.explanation not in blob and (not q.options or q.options[int(q.answer)] not in blob)
        payload = site_content.decode(blob, ident)
        assert payload["reveal"] == quiz.reveal(q)
        for attempt in (1, 2, 3):
            if q.numeric:
                step = max(q.tolerance, 0.5)
                values = [q.answer, q.answer + q.tolerance, q.answer - 3 * step - 1, q.answer + 3 * step + 1,
                          *q.whole_numbers(), *(w + 1 for w in q.whole_numbers())]
                for value in values:
                    assert _page_feedback(payload, value, attempt) == quiz.check(q, value, attempt)[1], value
            else:
                assert [f[min(attempt, 2) - 1] for f in payload["feedback"]] == [
                    quiz.check(q, j, attempt)[1] for j in range(len(q.options))]
                assert payload["feedback"][payload["right"]][0].startswith("Correct.")
        if q.numeric:
            first = _page_feedback(payload, q.answer + 3 * max(q.tolerance, 0.5) + 1, 1)
            assert "too high" in first and "Hint:" in first and q.explanation not in first


def test_quiz_html_keeps_answers_out_of_the_markup():
    page = site_content.quiz_html("02")
    for q in quiz.QUIZZES["02"]:
        assert q.explanation not in page
        assert q.prompt.split()[0] in page
    assert page.count('class="course-question"') == len(quiz.QUIZZES["02"])


def test_course_map_lists_the_available_notebooks_in_order():
    lessons = site_content.lessons()
    assert [lesson["href"] for lesson in lessons] == [
        lesson.filename.replace(".ipynb", ".html") for lesson in course.LESSONS if lesson.available]
    prev, nxt = site_content.neighbours("02_nmda_receptor", ["01_history", "02_nmda_receptor", "03_x"])
    assert prev["href"] == "01_history.html" and nxt["href"] == "03_x.html"
    assert prev["label"] == "01 · From anesthetic to antidepressant"
    assert site_content.neighbours("01_history", ["01_history"]) == (None, None)


def test_contents_reads_the_exported_headings():
    body = ('<h1 id="t">Title</h1><h2 id="1.-A">1. A<a class="anchor-link" href="#1.-A">¶</a></h2>'
            '<h3 id="x">Think! 1.1<a class="anchor-link" href="#x">¶</a></h3>')
    assert site_content.contents(body) == [{"level": 2, "id": "1.-A", "text": "1. A"},
                                           {"level": 3, "id": "x", "text": "Think! 1.1"}]


def test_glossary_and_references_pages_have_an_anchor_for_every_entry(tmp_path):
    site_content.write_pages(tmp_path)
    gloss = (tmp_path / "glossary.html").read_text(encoding="utf-8")
    for row in glossary.terms():
        assert f'id="{glossary.anchor(row["term"])}"' in gloss
    refs = (tmp_path / "references.html").read_text(encoding="utf-8")
    for key in data.references():
        assert f'id="{key}"' in refs
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{lesson["href"]}"' in index for lesson in site_content.lessons())
    assert "not medical advice" in index
