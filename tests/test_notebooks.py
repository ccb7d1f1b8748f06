"""Structure checks on the committed notebooks (nbval checks their outputs).

Each notebook must have been saved after "restart and run all", carry the
course template, keep widget cells out of strict output comparison, and leak
no machine-specific paths.
"""

import getpass
import json
import re
import subprocess
import sys

import pytest

from ketamine_course import course

from .conftest import NOTEBOOKS, ROOT

IDS = [p.name for p in NOTEBOOKS]
ABSOLUTE_PATH = re.compile(r"(?<![\w.])/(work|tmp|root|home|Users|farm|opt|usr)/|[A-Z]:\\\\")
TEMPLATE = ("learning objectives", "estimated time", "disclaimer", "summary", "references")


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def _text(cell):
    return "".join(cell["source"])


def test_there_are_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_saved_after_restart_and_run_all(path):
    cells = _code_cells(_load(path))
    assert [c["execution_count"] for c in cells] == list(range(1, len(cells) + 1))
    for i, cell in enumerate(cells):
        assert not [o for o in cell["outputs"] if o["output_type"] == "error"], f"code cell {i} has an error"
        stderr = [o for o in cell["outputs"] if o.get("name") == "stderr"]
        assert not stderr, f"code cell {i} wrote to stderr: {stderr[0]['text'][:200]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_absolute_paths_or_user_names_in_outputs(path):
    user = getpass.getuser()
    for i, cell in enumerate(_code_cells(_load(path))):
        for out in cell["outputs"]:
            text = json.dumps({k: v for k, v in out.get("data", out).items()
                               if not k.startswith("image/")})
            assert not ABSOLUTE_PATH.search(text), f"cell {i}: absolute path in output"
            if user not in ("root", "runner", "jovyan"):
                assert user not in text, f"cell {i}: user name in output"


TEMPLATE_NOTEBOOK = ROOT / "notebooks" / "templates" / "NN_template.ipynb"


def test_the_template_notebook_is_not_a_lesson():
    """New notebooks start from notebooks/templates/; the template is in no course list (nbval still runs it)."""
    assert TEMPLATE_NOTEBOOK.exists()
    assert TEMPLATE_NOTEBOOK not in NOTEBOOKS
    assert TEMPLATE_NOTEBOOK.name not in {lesson.filename for lesson in course.LESSONS}
    assert all(not c["outputs"] for c in _code_cells(_load(TEMPLATE_NOTEBOOK))), "the template runs silently"


@pytest.mark.parametrize("path", [*NOTEBOOKS, TEMPLATE_NOTEBOOK], ids=[*IDS, "template"])
def test_template_sections(path):
    nb = _load(path)
    markdown = [_text(c) for c in nb["cells"] if c["cell_type"] == "markdown"]
    first = markdown[0].lower()
    assert markdown[0].startswith("# "), "the first cell holds the title"
    for section in ("learning objectives", "estimated time", "disclaimer"):
        assert section in first, f"the top cell lacks '{section}'"
    assert "not medical advice" in first and "no dosing recommendation" in first
    headings = [line.lower() for text in markdown for line in text.splitlines() if line.startswith("#")]
    for section in ("summary", "check yourself", "references"):
        assert any(section in h for h in headings), f"no '{section}' heading"
    assert any(h.startswith("## 1.") for h in headings), "sections are numbered"


#: The text form of every widget the course shows: a demo, the glossary search, a quiz.
WIDGET_TEXT = re.compile(r"^(\[Interactive demo\]|\[Glossary search\]|Check yourself)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_without_widget_state(path):
    """No saved widget state or widget views (random ids); scripts/clean_notebooks.py leaves nothing to do."""
    nb = _load(path)
    assert "widgets" not in nb["metadata"], "metadata.widgets is committed: run scripts/clean_notebooks.py"
    for i, cell in enumerate(_code_cells(nb)):
        assert "execution" not in cell["metadata"], f"code cell {i} keeps execution timestamps"
        for out in cell["outputs"]:
            assert "application/vnd.jupyter.widget-view+json" not in out.get("data", {}), \
                f"code cell {i} keeps a widget view"
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "clean_notebooks.py"), "--check", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_widget_cells_are_excluded_from_strict_comparison(path):
    """Every widget cell is tagged for nbval and keeps a static fallback: a PNG for a demo, text otherwise."""
    widget_cells = 0
    for i, cell in enumerate(_code_cells(_load(path))):
        texts = ["".join(o.get("data", {}).get("text/plain", "")) for o in cell["outputs"]]
        shown = [t for t in texts if WIDGET_TEXT.match(t)]
        calls_widget = re.search(r"\bdemos\.\w+\(|quiz\.show\(", _text(cell))
        assert bool(shown) == bool(calls_widget), f"code cell {i}: widget call and output disagree"
        if not shown:
            continue
        widget_cells += 1
        assert "nbval-ignore-output" in cell.get("metadata", {}).get("tags", []), \
            f"code cell {i} shows a widget but is not tagged nbval-ignore-output"
        if any(t.startswith("[Interactive demo]") for t in shown):
            assert [o for o in cell["outputs"] if "image/png" in o.get("data", {})], \
                f"code cell {i}: the demo has no static PNG for readers without a kernel"
    assert widget_cells, "every notebook has a quiz at least"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_code_cells_stay_thin(path):
    """Notebooks hold the story; the package holds the logic."""
    for i, cell in enumerate(_code_cells(_load(path))):
        src = _text(cell)
        assert len(src.splitlines()) <= 12, f"code cell {i} is long: move the logic into the package"
        assert not re.search(r"^\s*(def|class) ", src, flags=re.M) or "exercise" in src.lower(), \
            f"code cell {i} defines functions: move them into the package"


def test_course_map_is_current_in_readme_and_start_here():
    """Both maps equal the one generated from ketamine_course.course (scripts/update_course_map.py)."""
    start = "".join(_text(c) for c in _load(NOTEBOOKS[0])["cells"])
    readme = (ROOT / "README.md").read_text()
    assert course.markdown_table("notebooks/") in readme
    assert course.markdown_table() in start
    assert {p.name for p in NOTEBOOKS} == {l.filename for l in course.LESSONS if l.available}


def test_notebook_references_are_known_keys():
    """Every `[key]` cited in a notebook's reference list exists in references.bib."""
    from ketamine_course import data

    keys = data.reference_keys()
    for path in NOTEBOOKS:
        text = "".join(_text(c) for c in _load(path)["cells"] if c["cell_type"] == "markdown")
        for key in re.findall(r"`\[([a-z0-9_]+)\]`", text):
            assert key in keys, f"{path.name} cites unknown key {key}"
