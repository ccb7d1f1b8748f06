"""The static site as a student uses it: finding the way, searching, phones, quizzes, handouts.

The site from `make html` is served on a loopback port (the ``served`` fixture
of test_static_site.py) and driven in Debian's chromium. Every page is opened
with requests to any other host aborted and recorded; a test fails if one was
made. Checked here:

- the index, glossary, references and search pages pass axe (no serious or
  critical violation);
- previous/next links walk the notebooks in course order;
- every link in a page resolves to a page and anchor of the site (no .ipynb,
  no raw Markdown);
- on a 375-px-wide phone viewport no page scrolls sideways and no text is cut
  off at the screen edge (code, tables and equations may scroll inside their
  own box);
- searching for "Jahr" finds only notebook 02;
- every quiz question, answered right and wrong in the page, gives the feedback
  ``ketamine_course.quiz.check`` gives in the notebook, and no explanation is
  in the page before a check;
- the PDF handouts exist for both versions, have more than one page, keep every
  figure on one page, and the student version holds no answer text.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ketamine_course import checks, quiz

from ..conftest import NOTEBOOKS, ROOT
from .conftest import NOTEBOOK_IDS
from .test_static_site import open_offline, served  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

SITE_PAGES = ["index.html", "glossary.html", "references.html", "search.html"]
STEMS = [p.stem for p in NOTEBOOKS]
PHONE = {"width": 375, "height": 812}

#: Elements wider than the viewport that are not inside a box that scrolls or clips on its own.
OVERFLOWING = """() => {
  const w = document.documentElement.clientWidth, out = [];
  const scrolls = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
  for (const e of document.querySelectorAll('main *, header *, nav *, footer *')) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && (r.right > w + 1 || r.left < -1) && !scrolls(e)
        && getComputedStyle(e).visibility !== 'hidden')
      out.push(e.tagName + '.' + String(e.className).slice(0, 40) + ' ' + Math.round(r.left) + '-' + Math.round(r.right));
  }
  return {scrollWidth: document.documentElement.scrollWidth, width: w, elements: out.slice(0, 10)};
}"""


def _settle(page):
    page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    page.wait_for_timeout(300)


def _open(browser, served_url, name, **kw):  # noqa: F811
    context, page, blocked = open_offline(browser, f"{served_url}/{name}", served_url)
    if kw.get("viewport"):
        page.set_viewport_size(kw["viewport"])
    return context, page, blocked


@pytest.mark.parametrize("name", SITE_PAGES)
def test_site_page_is_offline_and_passes_axe(name, browser, served, axe_js, artifacts):  # noqa: F811
    context, page, blocked = _open(browser, served, name)
    try:
        page.add_script_tag(path=str(axe_js))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, f"{name}: serious or critical axe violations:\n{json.dumps(bad, indent=1)}"
        assert not blocked, f"{name}: requests to other hosts: {blocked}"
        assert not page.missing, f"{name}: files missing from the site: {page.missing}"
        assert not page.errors, f"{name}: JavaScript errors: {page.errors}"
    finally:
        context.close()


def test_previous_and_next_links_walk_the_course(browser, served):  # noqa: F811
    context, page, blocked = _open(browser, served, f"{STEMS[0]}.html")
    try:
        assert page.locator("a[rel=prev]").count() == 0, "the first notebook has no previous page"
        for here, following in zip(STEMS, STEMS[1:]):
            assert page.url.endswith(f"/{here}.html")
            page.locator(".course-pager:not(.course-pager-top) a[rel=next]").click()
            page.wait_for_load_state("load")
            assert page.url.endswith(f"/{following}.html"), f"next from {here} went to {page.url}"
            assert page.locator("a[rel=prev]").first.get_attribute("href") == f"{here}.html"
        assert page.locator("a[rel=next]").count() == 0, "the last notebook has no next page"
        page.locator("header a", has_text="Course map").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/index.html")
        assert not blocked
    finally:
        context.close()


def test_every_link_resolves_to_a_site_page_and_anchor(browser, served, site):  # noqa: F811
    ids: dict[str, set[str]] = {}
    links: dict[str, list[str]] = {}
    context, page, _ = _open(browser, served, "index.html")
    try:
        for name in SITE_PAGES + [f"{s}.html" for s in STEMS]:
            page.goto(f"{served}/{name}", wait_until="load")
            ids[name] = set(page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)"))
            links[name] = page.evaluate("() => [...document.querySelectorAll('a[href]')]"
                                        ".map(a => a.getAttribute('href'))")
    finally:
        context.close()
    bad = []
    for name, hrefs in links.items():
        for href in hrefs:
            if re.match(r"^[a-z]+:", href):
                continue
            target, _, anchor = href.partition("#")
            target = target or name
            if target.endswith((".ipynb", ".md")) or target not in ids:
                bad.append(f"{name}: {href} (no such page)")
            elif anchor and anchor not in ids[target] and re.sub("%[0-9A-F]{2}", "", anchor) == anchor:
                bad.append(f"{name}: {href} (no such anchor)")
    assert not bad, "links that go nowhere:\n" + "\n".join(bad[:30])
    glossary_links = [h for hrefs in links.values() for h in hrefs if h.startswith("glossary.html#")]
    assert len(glossary_links) >= 20, "the notebooks link their terms to the glossary page"


@pytest.mark.parametrize("name", SITE_PAGES + [f"{s}.html" for s in STEMS])
def test_phone_viewport_has_no_horizontal_overflow(name, browser, served, artifacts):  # noqa: F811
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True,
                                  service_workers="block")
    try:
        page = context.new_page()
        page.goto(f"{served}/{name}", wait_until="load")
        _settle(page)
        page.wait_for_timeout(700)
        found = page.evaluate(OVERFLOWING)
        out = artifacts / "site" / "phone"
        out.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out / f"{Path(name).stem}.png"))
        assert found["scrollWidth"] <= found["width"], f"{name} scrolls sideways on a phone: {found}"
        assert not found["elements"], f"{name}: elements cut off at the edge of a phone screen: {found['elements']}"
        # A demo's checkbox keeps its label beside it: a long label wraps next to the box, not below it.
        apart = page.evaluate("""() => [...document.querySelectorAll('.kc-demo input[type=checkbox]')].map(box => {
            const label = document.querySelector(`label[for="${box.id}"]`).getBoundingClientRect();
            const b = box.getBoundingClientRect();
            return label.top < b.bottom && label.left >= b.right ? null : label.top + ' ' + box.id;
        }).filter(x => x)""")
        assert not apart, f"{name}: checkbox labels pushed below their boxes on a phone: {apart}"
    finally:
        context.close()


def test_search_for_jahr_finds_only_notebook_02(browser, served):  # noqa: F811
    context, page, blocked = _open(browser, served, "search.html")
    try:
        box = page.locator(".pagefind-ui__search-input")
        box.fill("Jahr")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=30_000)
        page.wait_for_timeout(500)
        hrefs = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(a => a.getAttribute('href'))")
        pages = sorted({Path(h.split("#")[0]).name for h in hrefs})
        assert pages == ["02_nmda_receptor.html"], f"search for Jahr found {hrefs}"
        page.locator(".pagefind-ui__result-link").first.click()
        page.wait_for_load_state("load")
        assert "/02_nmda_receptor.html" in page.url
        assert not blocked, f"search asked other hosts: {blocked}"
    finally:
        context.close()


def test_search_box_in_the_header_opens_the_results(browser, served):  # noqa: F811
    context, page, blocked = _open(browser, served, "index.html")
    try:
        page.locator("header input[type=search]").fill("Jahr")
        page.locator("header input[type=search]").press("Enter")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=30_000)
        assert "02_nmda_receptor.html" in page.locator(".pagefind-ui__result-link").first.get_attribute("href")
        assert not blocked
    finally:
        context.close()


def _shown(text: str) -> str:
    """The feedback line course.js shows for a ``quiz.check`` text (symbol added, spaces collapsed)."""
    for head, mark in (("Correct.", "\u2714 Correct."), ("Not quite.", "\u2718 Not quite."),
                       ("Not quite:", "\u2718 Not quite:")):
        if text.startswith(head):
            return " ".join((mark + " " + text[len(head):].strip()).split())
    return " ".join(text.split())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_quiz_checks_in_the_page_like_the_notebook(path, browser, served):  # noqa: F811
    """Every option and a right, a wrong and an empty number, tried in order: the page counts wrong tries
    as the notebook's Quiz does (hint first, the answer from the second), and Show answer reveals."""
    number = path.name[:2]
    questions = quiz.QUIZZES[number]
    context, page, blocked = _open(browser, served, f"{path.stem}.html")
    try:
        source = page.content()
        text = page.evaluate("() => document.body.innerText")
        prose = _prose(path)
        for q in questions:
            if q.explanation in prose:  # the notebook itself says it, outside any answer block
                continue
            assert q.explanation not in source and q.explanation not in text, \
                f"{path.name}: an answer's explanation is readable in the page: {q.explanation[:60]}"
        fieldsets = page.locator(".course-question")
        assert fieldsets.count() == len(questions)
        for i, q in enumerate(questions):
            box = fieldsets.nth(i)
            feedback = box.locator(".course-feedback")
            if q.numeric:
                assert q.accepted() in " ".join(box.locator("legend").inner_text().split())
                too_high = f"{q.answer + 10 * q.tolerance + 1:g} x"
                too_low = f"{q.answer - 10 * q.tolerance - 1:g}"
                attempts = [("", ""), (too_high, too_high), (too_low, too_low), (f"{q.answer:g}", q.answer)]
                attempts += [(str(w), w) for w in q.whole_numbers()]
            else:
                attempts = [(None, None)] + [(j, j) for j in range(len(q.options))]
            tries = 0
            for shown_input, response in attempts:
                if q.numeric:
                    box.locator("input.course-number").fill(shown_input)
                elif shown_input is not None:
                    box.locator("input[type=radio]").nth(shown_input).check()
                ok, expected = quiz.check(q, response, attempt=tries + 1)
                counts = (response is not None and (not q.numeric or checks.parse_number(response) is not None))
                tries += counts and not ok
                box.locator("button.course-check").click()
                got = " ".join(feedback.inner_text().split())
                assert got == _shown(expected), f"{path.name} q{i + 1} {shown_input!r}: {got!r} != {expected!r}"
                if counts and not ok and tries == 1:
                    assert "Hint:" in got or not q.hint
                    assert q.explanation not in got, "the first wrong try gives the answer away"
                if q.numeric and counts and not ok:
                    assert ("too high" if float(checks.parse_number(response)) > q.answer else "too low") in got
            box.locator("button.course-reveal").click()
            got = " ".join(feedback.inner_text().split())
            assert got == " ".join(f"Answer: {quiz.reveal(q)}".split())
        assert not blocked and not page.errors, (blocked, page.errors)
    finally:
        context.close()


def test_a_fresh_question_hints_before_it_reveals(browser, served):  # noqa: F811
    """The same wrong answer twice: a hint, then the answer, as in the notebook."""
    q = quiz.QUIZZES["01"][0]
    context, page, blocked = _open(browser, served, "01_history.html")
    try:
        box = page.locator(".course-question").first
        wrong = f"{q.answer + 10 * q.tolerance + 8:g}"
        box.locator("input.course-number").fill(wrong)
        box.locator("button.course-check").click()
        first = box.locator(".course-feedback").inner_text()
        assert first.count("Not quite") == 1 and "Hint:" in first and "too high" in first
        assert f"{q.answer:g}" not in first.replace(wrong, "")
        box.locator("button.course-check").click()
        second = box.locator(".course-feedback").inner_text()
        assert second.count("Not quite") == 1 and f"The answer is {quiz._answer_text(q)}." in second
        assert not blocked and not page.errors, (blocked, page.errors)
    finally:
        context.close()


@pytest.mark.parametrize("query", ["half-life", "block", "NMDA", "xyzzy", ""])
def test_glossary_box_searches_in_the_page_like_the_notebook(query, browser, served):  # noqa: F811
    """The 00 glossary box without a kernel: the same entries, order and wording as the widget."""
    from ketamine_course import glossary
    from ketamine_course.demos.glossary import results_html

    context, page, blocked = _open(browser, served, "00_start_here.html")
    try:
        box = page.locator(".course-glossary-search")
        box.locator("input.course-glossary-query").fill(query)
        got = " ".join(box.locator(".course-glossary-results").inner_text().split())
        page.set_content(results_html(query, glossary.search(query)))
        expected = " ".join(page.locator("body").inner_text().split())
        assert got == expected
        assert not blocked, blocked
    finally:
        context.close()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_notebook_page_loads_no_widget_manager(path, browser, served):  # noqa: F811
    """Demos, quiz and glossary box run without ipywidgets' HTML manager (3.6 MB) or require.js."""
    context, page, blocked = _open(browser, served, f"{path.stem}.html")
    try:
        page.wait_for_timeout(500)
        loaded = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
        assert not [u for u in loaded if "embed-amd" in u or "require.js" in u or "@jupyter-widgets" in u], loaded
        assert not page.locator(".jupyter-widgets, .widget-box").count()
    finally:
        context.close()


# ---------------------------------------------------------------------------
# handouts
# ---------------------------------------------------------------------------

def _prose(path: Path) -> str:
    """The notebook's markdown with every <details> block (answers, solutions) removed."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return re.sub(r"<details>.*?</details>", "", text, flags=re.S)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


@pytest.fixture(scope="module")
def handouts(site, tmp_path_factory):
    """The PDFs `make pdf` writes, printed from the test's site (scripts/build_pdf.py, as make pdf runs it)."""
    out = tmp_path_factory.mktemp("handouts")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_pdf.py"), str(site), str(out),
                           *map(str, NOTEBOOKS)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"build_pdf failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return out


def _answer_texts(path: Path) -> list[str]:
    """Text that only the instructor handout may show: quiz explanations, worked solutions, Think! answers."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    texts = [q.explanation for q in quiz.QUIZZES[path.name[:2]]]
    for cell in cells:
        src = "".join(cell["source"])
        for summary, body in re.findall(r"<summary>(.*?)</summary>(.*?)</details>", src, re.S):
            if re.search("answer|solution", summary, re.I) and "Answers and explanations" not in summary:
                code = re.findall(r"```python\n(.*?)\n", body)
                prose = [line for line in body.splitlines() if len(line) > 40 and not line.startswith(("```", "|"))]
                texts += code[:1] + [re.sub(r"[*_`$\\]|\[([^\]]*)\]\([^)]*\)", r"\1", p)[:60] for p in prose[:1]]
    prose = _squash(re.sub(r"\[([^\]]*)\]\([^)]*\)|[*_`]", r"\1", _prose(path)))
    return [t for t in texts if t.strip() and _squash(t)[:50] not in prose]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_handouts_exist_and_the_student_version_has_no_answers(path, handouts):
    from pypdf import PdfReader

    text = {}
    for version in ("student", "instructor"):
        pdf = handouts / version / f"{path.stem}.pdf"
        assert pdf.exists(), f"missing {pdf}"
        reader = PdfReader(pdf)
        assert len(reader.pages) > 1, f"{pdf.name} ({version}) has {len(reader.pages)} page"
        text[version] = _squash("".join(p.extract_text() for p in reader.pages))
        # A figure is one image; drawn on two pages it would have been split by a page break.
        seen: dict[str, int] = {}
        for n, page in enumerate(reader.pages):
            for image in page.images:
                digest = hashlib.sha1(image.data).hexdigest()
                assert seen.setdefault(digest, n) == n, f"{pdf.name} ({version}): a figure spans pages {seen[digest]}-{n}"
    answers = _answer_texts(path)
    assert answers
    for answer in answers:
        key = _squash(answer)[:50]
        assert key not in text["student"], f"{path.name}: the student handout shows answer text: {answer[:60]!r}"
    shown = [a for a in answers if _squash(a)[:50] in text["instructor"]]
    assert len(shown) >= len(quiz.QUIZZES[path.name[:2]]), \
        f"{path.name}: the instructor handout lacks answers ({len(shown)} of {len(answers)} found)"
