"""references.bib is well formed, and every key is cited with care."""

import re

from .conftest import DATA

BIB = (DATA / "references.bib").read_text(encoding="utf-8")
ENTRIES = re.findall(r"@(\w+)\s*\{\s*([^,\s]+)\s*,(.*?)\n\}", BIB, flags=re.S)


def test_keys_are_unique_and_lowercase():
    keys = [k for _, k, _ in ENTRIES]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z0-9_]+", k) for k in keys)
    assert len(ENTRIES) == len(re.findall(r"^@", BIB, flags=re.M))


def _has(body, field):
    return re.search(rf"^\s*{field}\s*=", body, flags=re.M) is not None


def test_incomplete_entries_say_so():
    """An entry missing a core field carries a note that says what is missing."""
    for kind, key, body in ENTRIES:
        core = ("title",) if kind == "misc" else ("author", "title", "year", "journal")
        if not all(_has(body, f) for f in core):
            assert re.search(r"note\s*=\s*\{\s*(PARTIAL|NOT CONFIRMED)", body), key


def test_tables_cite_only_complete_entries():
    """Teaching material cites only sources whose title and year were confirmed."""
    from ketamine_course import data

    bodies = {key: (kind, body) for kind, key, body in ENTRIES}
    cited = {k for name, schema in data.SCHEMAS.items()
             for row in data.load_table(name) for k in row[schema.source_column]}
    for key in cited:
        kind, body = bodies[key]
        assert _has(body, "title"), f"{key} is cited but has no confirmed title"
        assert kind == "misc" or _has(body, "year"), f"{key} is cited but has no year"
        assert "NOT CONFIRMED" not in body, f"{key} is cited but not confirmed"


def test_dois_are_well_formed_and_bare():
    dois = re.findall(r"^\s*doi\s*=\s*\{(.*?)\}", BIB, flags=re.M)
    assert dois
    for doi in dois:
        assert re.fullmatch(r"10\.\d{4,9}/\S+", doi), doi
        assert not doi.startswith("http"), doi


def test_no_reference_renders_without_authors():
    """A rendered citation starts with authors (or says plainly that they are unconfirmed), never with a bare year."""
    from ketamine_course import data

    for key, fields in data.references().items():
        if "title" not in fields:  # an unconfirmed placeholder that nothing cites (see its note)
            continue
        text = data.cite(key)
        assert not re.match(r"^(\d{4}|n\.d\.)\.", text), f"{key}: {text[:60]}"
        assert re.match(r"^\S", text) and "()" not in text[:40], key


def test_notebook_reference_lists_have_authors():
    import json

    from .conftest import NOTEBOOKS

    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "markdown" and source.startswith("## References"):
                for line in source.splitlines():
                    assert not re.match(r"^\d+\. (\d{4}|n\.d\.)\.", line), f"{path.name}: {line[:60]}"
