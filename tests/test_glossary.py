"""The glossary is complete, generated, searchable and linked from the notebooks."""

import json
import re

import pytest

from ketamine_course import demos, glossary

from .conftest import NOTEBOOKS, ROOT


def test_docs_glossary_is_generated_from_the_table():
    assert (ROOT / "docs" / "glossary.md").read_text() == glossary.markdown(), "run `make glossary`"


def test_terms_are_unique_and_see_also_resolves():
    terms = [r["term"] for r in glossary.terms()]
    assert len(terms) == len(set(t.casefold() for t in terms)) >= 35
    known = {t.casefold() for t in terms}
    for row in glossary.terms():
        for other in filter(None, (t.strip() for t in row["see_also"].split(";"))):
            assert other.casefold() in known, f"{row['term']}: see-also '{other}' is not a term"


def test_search_finds_terms_before_definitions():
    found = glossary.search("half-life")
    assert found and found[0]["term"].casefold().startswith("half-life")
    assert glossary.search("   ") == []
    assert glossary.search("zzzz-not-a-word") == []


def test_link_first_uses_skips_code_headings_and_links():
    text = "# Glossary heading\n`glutamate` and [x](y) then glutamate and glutamate"
    done = set()
    out = glossary.link_first_uses(text, 1, done)
    assert out.count("](../docs/glossary.md#glutamate)") == 1
    assert out.startswith("# Glossary heading\n`glutamate` and [x](y) then [glutamate]")
    assert "glutamate" in done


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebooks_link_to_existing_glossary_entries(path):
    doc = (ROOT / "docs" / "glossary.md").read_text()
    anchors = {glossary.anchor(h) for h in re.findall(r"^## (.+)$", doc, flags=re.M)}
    nb = json.loads(path.read_text())
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    links = re.findall(r"\]\(\.\./docs/glossary\.md#([^)]+)\)", text)
    assert links, "the notebook links no glossary term"
    assert set(links) <= anchors
    assert len(links) == len(set(links)), "a term is linked more than once"


def test_glossary_search_widget():
    widget = demos.glossary_search("block")
    assert "Mg2+ block" in widget.results.value
    widget.box.value = "zzzz"
    assert "No entry" in widget.results.value
    assert widget._repr_mimebundle_()["text/plain"].startswith("[Glossary search]")
