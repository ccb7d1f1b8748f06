"""`make slides`: every notebook gives an offline reveal.js deck, cut into slides that fit, with speaker notes.

The decks' layout in a real browser (every slide inside 1280x720 and 1024x768,
the speaker view offline) is checked by tests/e2e/test_slides_fit.py.
"""

import html as html_lib
import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from .conftest import NOTEBOOKS, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import build_slides  # noqa: E402


pytestmark = pytest.mark.slow  # executes every notebook (make slides)
#: Anything the browser would fetch from another host: scripts, stylesheets, images, fonts, ES imports.
#: Plain <a href> links (the DOIs in the reference lists) are fine: nothing loads them.
REMOTE_RESOURCE = re.compile(
    r"""<(?:script|link|img|iframe|source|video|audio|embed)\b[^>]*\s(?:src|href)\s*=\s*["'](?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//|import\s[^;]*?from\s*["'](?:https?:)?//""")
NOTES = re.compile(r'<aside class="notes">(.*?)</aside>', re.S)
GUIDE = build_slides.parse_guide((ROOT / "docs" / "instructor_guide.md").read_text(encoding="utf-8"))


def text_of(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """Build the decks with the real command, `make slides`, into a temporary folder."""
    if shutil.which("npm") is None:
        message = "npm is needed to install reveal.js for `make slides` (Debian: apt-get install npm)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    out = tmp_path_factory.mktemp("slides")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    done = subprocess.run(["make", "--no-print-directory", "slides", f"SLIDES={out}"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, f"make slides failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return out, sorted(out.glob("*.slides.html"))


def slides_of(html: str) -> list[str]:
    """The innermost <section>s (what reveal.js shows one at a time), by their opening tags' positions."""
    return re.split(r"<section\b", html)[1:]


def test_every_notebook_gives_a_deck_with_slides_and_sub_slides(decks):
    out, built = decks
    assert {p.name for p in built} == {f"{nb.stem}.slides.html" for nb in NOTEBOOKS}
    for deck in built:
        html = deck.read_text()
        nb = nbformat.read(next(p for p in NOTEBOOKS if deck.name.startswith(p.stem)), as_version=4)
        sections = [c for c in nb.cells if c.cell_type == "markdown" and re.match(r"#{1,2} ", c.source)]
        # Every heading of level 1-2 starts a horizontal slide (an outer <section> holding vertical ones).
        outer = len(re.findall(r"<section[^>]*>\s*<section", html))
        assert outer == len(sections), f"{deck.name}: {outer} slides for {len(sections)} sections"
        assert html.count("<section") > 2 * outer, f"{deck.name} has hardly any sub-slides"


def test_decks_load_nothing_from_another_host(decks):
    out, built = decks
    for deck in built:
        html = deck.read_text()
        remote = REMOTE_RESOURCE.findall(html)
        assert not remote, f"{deck.name} loads remote resources: {remote[:3]}"
        for local in re.findall(r"""(?:src|href)=["'](lib/[^"']+)["']""", html):
            assert (out / local).is_file(), f"{deck.name} refers to missing {local}"
    assert (out / build_slides.REVEAL_PREFIX / "plugin" / "notes" / "notes.js").is_file()


def test_demo_slides_carry_widget_state_from_a_fresh_run(decks):
    out, built = decks
    deck = next(p for p in built if p.name.startswith("02_"))
    html = deck.read_text()
    assert "application/vnd.jupyter.widget-state+json" in html
    assert "html-manager/dist/embed-amd.js" in html
    # One saved view per demo call in the notebook, whatever the committed notebook stores.
    nb = nbformat.read(next(p for p in NOTEBOOKS if p.name.startswith("02_")), as_version=4)
    calls = sum(len(re.findall(r"^demos\.\w+\(", c.source, re.M)) for c in nb.cells if c.cell_type == "code")
    assert html.count('type="application/vnd.jupyter.widget-view+json"') >= calls > 0


def test_exercise_code_is_left_off(decks):
    out, built = decks
    for deck in built:
        html = deck.read_text()
        text = text_of(html)
        assert "got Ellipsis" not in text, f"{deck.name} shows an exercise's 'Not yet' output"
        assert "# your code" not in text, f"{deck.name} shows exercise code"
        # The exercise's task (its markdown) is still there.
        assert "Exercise" in text, deck.name


def test_every_section_has_speaker_notes_from_the_instructor_guide(decks):
    out, built = decks
    for deck in built:
        number = deck.name[:2]
        entry = GUIDE[number]
        html = deck.read_text()
        slides = [s for s in re.split(r"<section\b[^>]*>\s*<section\b", html)[1:]]
        assert slides, deck.name
        for index, slide in enumerate(slides):
            first = re.split(r"<section\b", slide)[0]     # the section's first (top) slide
            notes = NOTES.findall(first)
            assert notes and text_of(notes[0]), f"{deck.name}: slide {index} has no speaker notes"
        all_notes = text_of(" ".join(NOTES.findall(html)))
        # Every timing row of the guide's plan for this notebook is in the notes, and so are the objectives.
        for minutes, activity in entry.rows:
            assert f"{minutes} min" in all_notes, f"{deck.name}: row {minutes} missing from the notes"
        objectives = text_of(re.sub(r"[*`]", "", " ".join(entry.intro)))[:60]
        assert objectives in text_of(re.sub(r"[*`]", "", all_notes)), deck.name


def test_guide_rows_go_to_the_section_they_name():
    sections = [("title", "00 · Start"), ("1", "1. The course map"), ("2", "2. Using the interactive demos"),
                ("3", "3. Presenting in class"), ("4", "4. Where the data and references live"),
                ("summary", "Summary"), ("quiz", "Check yourself")]
    rows = [("0-3", "What the course is and is not (disclaimer); the course map"),
            ("3-8", "Think! 2.1, then Interactive demo 2.2: half-lives"),
            ("8-12", "Where the data live: load `history`"),
            ("12-15", "Exercise 4.1 and the quiz"),
            ("15-16", "Wrap-up")]
    got = build_slides.assign_rows(rows, sections)
    assert [r.split("**")[1] for r in got["1"]] == ["0-3 min"]        # shares "course map"
    assert [r.split("**")[1] for r in got["2"]] == ["3-8 min"]        # names Think! 2.1
    assert [r.split("**")[1] for r in got["4"]] == ["8-12 min", "12-15 min", "15-16 min"]  # "data live"; Exercise 4.1; follows
    assert got["quiz"] == [] and got["title"] == []


def test_every_notebook_has_a_part_in_the_instructor_guide():
    parts = {k: v for k, v in GUIDE.items() if k}
    assert sorted(parts) == sorted(p.name[:2] for p in NOTEBOOKS)
    assert all(entry.rows for entry in parts.values())
    # Only the timing rows, not the table's header or rule.
    assert all(minutes[0].isdigit() for entry in parts.values() for minutes, _ in entry.rows)
    # The opening paragraphs (with the education-not-advice reminder) go to every title slide.
    assert "not medical advice" in " ".join(GUIDE[""].intro)


def test_long_markdown_is_cut_between_paragraphs_and_list_items():
    items = "\n".join(f"{i}. " + "A reference with a fairly long title and a DOI link. " * 2 for i in range(1, 41))
    cell = nbformat.v4.new_markdown_cell("## References\n\n" + items)
    parts = build_slides.split_cell(cell, {})
    assert len(parts) > 1
    assert all(build_slides.cell_height(p, {}) <= build_slides.BUDGET for p in parts)
    joined = "\n".join(p.source for p in parts)
    assert joined.count("A reference") == 80 and joined.startswith("## References")
    assert parts[1].source.lstrip()[0].isdigit()     # a continuation starts at a list item, numbered on


def test_a_heading_inside_a_cell_opens_its_own_sub_slide():
    """An activity's heading at the end of a section's prose goes with its demo, not the slide above."""
    prose = "Read these with their provenance.\n\n"
    cell = nbformat.v4.new_markdown_cell(prose + "### Interactive demo 3.1: a course\nSix infusions.\n\n"
                                         "```python\n# not a heading\n```")
    parts = build_slides.split_at_headings(cell)
    assert [p.source for p in parts] == ["Read these with their provenance.",
                                         "### Interactive demo 3.1: a course\nSix infusions.\n\n"
                                         "```python\n# not a heading\n```"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## 3. Summaries"), cell])
    build_slides.prepare(nb, {}, "05")
    kinds = [(c.metadata["slideshow"]["slide_type"], c.source.splitlines()[0]) for c in nb.cells]
    assert ("subslide", "### Interactive demo 3.1: a course") in kinds
    assert build_slides.split_at_headings(parts[1]) == [parts[1]]   # a heading on the first line stays


def test_a_demo_figure_is_measured_from_its_png_in_the_widget_buffers():
    """A saved Image model keeps its PNG as a binary buffer; its height comes from that PNG's shape."""
    import base64
    import io

    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (1332, 500)).save(png, format="PNG")       # 2 device px per CSS px: 666 x 250
    state = {
        "img": {"model_name": "ImageModel", "state": {"layout": "IPY_MODEL_lay", "value": None},
                "buffers": [{"path": ["value"], "encoding": "base64",
                             "data": base64.b64encode(png.getvalue()).decode()}]},
        "lay": {"model_name": "LayoutModel", "state": {"width": "666px"}},
    }
    assert build_slides._widget_height("img", state) == pytest.approx(250 + 10)


def test_exercise_code_cells_are_recognised():
    assert build_slides.is_exercise_code(nbformat.v4.new_code_cell("nnt = ...  # your code\nexercises.check_nnt(nnt)"))
    assert not build_slides.is_exercise_code(nbformat.v4.new_code_cell("curve = pk.simulate(0.5)"))
