"""The parts of the static site that are not notebook pages, and the notebook-page rewrites.

Used by scripts/build_html.py. Everything here comes from the course package:
the course map from ``ketamine_course.course``, the glossary from
``data/glossary.csv`` and the references from ``data/references.bib`` (through
``ketamine_course.glossary`` and ``ketamine_course.data``), and the quizzes from
``data/quiz.csv`` (through ``ketamine_course.quiz``, with its own ``check``
wording), so the site cannot disagree with the notebooks.

Quiz answers are shipped to the page encoded (XOR with a key made from the
question's id, then base64) in a data attribute. That keeps them out of the
page text and out of a casual glance at the source; it is not a secret from a
determined reader, and it is not meant to be.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import jinja2

from ketamine_course import course, data, glossary, quiz

TEMPLATES = Path(__file__).resolve().parent / "html_template" / "course"
SITE_TITLE = "Ketamine Therapy, Explained"
DISCLAIMER = ("For education only: this course is not medical advice and gives no dosing recommendation. "
              "Decisions about treatment belong to a patient and their clinician.")

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                          trim_blocks=True, lstrip_blocks=True)


# ---------------------------------------------------------------------------
# navigation
# ---------------------------------------------------------------------------

def page_name(notebook_filename: str) -> str:
    """``02_nmda_receptor.ipynb`` -> ``02_nmda_receptor.html``."""
    return Path(notebook_filename).with_suffix(".html").name


def lessons() -> list[dict]:
    """The course map as dicts for the templates, available notebooks only."""
    return [{"number": f"{lesson.number:02d}", "title": lesson.title, "topics": lesson.topics,
             "minutes": lesson.minutes, "main_demo": lesson.main_demo, "href": page_name(lesson.filename)}
            for lesson in course.LESSONS if lesson.available]


def neighbours(stem: str, stems: list[str]) -> tuple[dict | None, dict | None]:
    """The previous and next pages of ``stem`` among the built pages, as {href, label}."""
    titles = {Path(lesson["href"]).stem: f"{lesson['number']} · {lesson['title']}" for lesson in lessons()}
    i = stems.index(stem)

    def link(j):
        if 0 <= j < len(stems):
            return {"href": f"{stems[j]}.html", "label": titles.get(stems[j], stems[j])}
        return None

    return link(i - 1), link(i + 1)


_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)(?:<a class="anchor-link"[^>]*>.*?</a>)?</h\1>', re.S)


def contents(body: str) -> list[dict]:
    """Section headings (h2, h3) of an exported page, with their ids, in order."""
    out = []
    for level, ident, inner in _HEADING.findall(body):
        text = html.unescape(re.sub(r"<[^>]+>", "", inner)).replace("¶", "").strip()
        if text:
            out.append({"level": int(level), "id": ident, "text": text})
    return out


def chrome(position: str, **context) -> str:
    """The site header, contents list or pager of a notebook page (``position`` names the macro)."""
    return _env.get_template("chrome.html.j2").module.__getattribute__(position)(**context)


# ---------------------------------------------------------------------------
# notebook rewrites
# ---------------------------------------------------------------------------

_GLOSSARY_LINK = re.compile(r"\]\((?:\.\./)?docs/glossary\.md(#[^)\s]*)?\)")
_NOTEBOOK_LINK = re.compile(r"\]\((?:\./)?(\d\d_[\w\-]+)\.ipynb(#[^)\s]*)?\)")
_CITE_KEY = re.compile(r"`\[([A-Za-z][\w\-:]*)\]`")
ANSWERS_MARK = "Answers and explanations"


def rewrite_markdown(text: str, keys: set[str]) -> str:
    """Point a markdown cell's links at site pages: notebooks, glossary entries, references."""
    text = _GLOSSARY_LINK.sub(lambda m: f"](glossary.html{m.group(1) or ''})", text)
    text = _NOTEBOOK_LINK.sub(lambda m: f"]({m.group(1)}.html{m.group(2) or ''})", text)
    return _CITE_KEY.sub(lambda m: f"[[{m.group(1)}]](references.html#{m.group(1)})" if m.group(1) in keys
                         else m.group(0), text)


_QUIZ_CALL = re.compile(r'quiz\.show\("(\d\d)"\)')
_GLOSSARY_CALL = re.compile(r'glossary_search\((?:"([^"]*)")?\)')


def prepare_notebook(nb) -> None:
    """Adapt an executed notebook for the site, in place.

    Markdown links go to site pages; the quiz cell's output becomes a quiz
    that checks answers in the browser; the collapsed "Answers and
    explanations" cell is dropped (the page's quiz gives the same feedback,
    and the answers should not sit in the page text).
    """
    keys = set(data.references())
    kept = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if ANSWERS_MARK in cell.source:
                continue
            cell.source = rewrite_markdown(cell.source, keys)
        elif cell.cell_type == "code":
            match = _QUIZ_CALL.search(cell.source)
            if match:
                cell.outputs = [{"output_type": "display_data", "metadata": {},
                                 "data": {"text/html": quiz_html(match.group(1)),
                                          "text/plain": quiz.as_text(quiz.QUIZZES[match.group(1)])}}]
            found = _GLOSSARY_CALL.search(cell.source)
            if found:
                query = "block" if found.group(1) is None else found.group(1)
                cell.outputs = [{"output_type": "display_data", "metadata": {},
                                 "data": {"text/html": glossary_search_html(query),
                                          "text/plain": f"[Glossary search] {query}"}}]
        kept.append(cell)
    nb.cells = kept


# ---------------------------------------------------------------------------
# quizzes
# ---------------------------------------------------------------------------

def _key(ident: str) -> bytes:
    return f"ketamine-course:{ident}".encode()


def encode(payload: dict, ident: str) -> str:
    """JSON, XOR-ed with a key made from ``ident``, base64 (decoded by site/lib/course.js)."""
    raw, key = json.dumps(payload, ensure_ascii=False).encode(), _key(ident)
    return base64.b64encode(bytes(b ^ key[i % len(key)] for i, b in enumerate(raw))).decode()


def decode(blob: str, ident: str) -> dict:
    """The inverse of :func:`encode` (used by the tests)."""
    raw, key = base64.b64decode(blob), _key(ident)
    return json.loads(bytes(b ^ key[i % len(key)] for i, b in enumerate(raw)).decode())


def quiz_payload(question: quiz.Question) -> dict:
    """What the browser needs to judge a response with the notebook's rules and wording
    (:func:`ketamine_course.quiz.for_browser`): hint first, answer on the second wrong try or on request."""
    return quiz.for_browser(question)


def quiz_html(notebook: str) -> str:
    """The quiz of a notebook as an HTML form checked in the browser by site/lib/course.js."""
    return _env.get_template("quiz.html.j2").render(
        notebook=notebook,
        questions=[{"id": f"q{notebook}-{i}", "number": i, "q": q,
                    "payload": encode(quiz_payload(q), f"q{notebook}-{i}")}
                   for i, q in enumerate(quiz.QUIZZES[notebook], 1)])


def glossary_search_html(query: str) -> str:
    """The glossary search box of ``demos.glossary_search`` as plain HTML, searched in the browser by course.js.

    The terms travel in the page as JSON (they are no secret); course.js finds
    them as :func:`ketamine_course.glossary.search` does and writes the widget's
    wording (:func:`ketamine_course.demos.glossary.results_html`), each term
    linked to its entry on the glossary page. The results for ``query`` are in
    the HTML already, so the box reads the same before any typing.
    """
    from ketamine_course.demos.glossary import results_html

    rows = [{"term": r["term"], "definition": r["definition"], "first_notebook": r["first_notebook"],
             "anchor": glossary.anchor(r["term"])} for r in glossary.terms()]
    terms = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    results = results_html(query, glossary.search(query), link=lambda r: f"glossary.html#{glossary.anchor(r['term'])}")
    return _env.get_template("glossary_search.html.j2").render(query=query, results=results, terms=terms)


# ---------------------------------------------------------------------------
# pages that are not notebooks
# ---------------------------------------------------------------------------

def _link_citation(text: str) -> str:
    escaped = html.escape(text)
    return re.sub(r"(https://doi\.org/\S+)", r'<a href="\1">\1</a>', escaped)


def references_entries() -> list[dict]:
    refs = data.references()

    def sort_key(key):
        return (refs[key].get("author", key).split(",")[0].casefold(), refs[key].get("year", ""))

    return [{"key": key, "html": _link_citation(data.cite(key))} for key in sorted(refs, key=sort_key)]


def glossary_entries() -> list[dict]:
    by_number = {int(lesson["number"]): lesson for lesson in lessons()}
    out = []
    for row in glossary.terms():
        see = [{"term": t.strip(), "anchor": glossary.anchor(t.strip())}
               for t in (row["see_also"] or "").split(";") if t.strip()]
        out.append({"term": row["term"], "anchor": glossary.anchor(row["term"]), "definition": row["definition"],
                    "see_also": see, "lesson": by_number.get(row["first_notebook"]),
                    "first_notebook": f"{row['first_notebook']:02d}", "sources": list(row["source"])})
    return out


def render_page(template: str, **context) -> str:
    return _env.get_template(template).render(site_title=SITE_TITLE, disclaimer=DISCLAIMER, **context)


def write_pages(site: Path) -> list[Path]:
    """index.html, glossary.html, references.html and search.html."""
    pages = {
        "index.html": render_page("index_page.html.j2", title=SITE_TITLE, lessons=lessons(),
                                  total_minutes=course.total_minutes(), current="index"),
        "glossary.html": render_page("glossary_page.html.j2", title="Glossary", entries=glossary_entries(),
                                     current="glossary"),
        "references.html": render_page("references_page.html.j2", title="References",
                                       entries=references_entries(), current="references"),
        "search.html": render_page("search_page.html.j2", title="Search", current="search"),
    }
    written = []
    for name, text in pages.items():
        (site / name).write_text(text, encoding="utf-8")
        written.append(site / name)
    return written
