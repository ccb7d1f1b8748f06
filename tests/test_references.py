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
