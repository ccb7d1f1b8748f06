"""The data tables load, cite known sources, and reject bad input clearly."""

import csv
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketamine_course import data

from .conftest import DATA


@pytest.fixture
def data_copy(tmp_path):
    for f in DATA.iterdir():
        if f.suffix in (".csv", ".bib"):
            shutil.copy(f, tmp_path / f.name)
    return tmp_path


def _edit_history(folder, row_index, column, value):
    path = folder / "history.csv"
    rows = list(csv.DictReader(path.open(newline="")))
    rows[row_index][column] = value
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("name", sorted(data.SCHEMAS))
def test_every_table_loads_and_cites_known_sources(name):
    rows = data.load_table(name)
    assert rows
    keys = data.reference_keys()
    schema = data.SCHEMAS[name]
    column = schema.source_column
    required = next(c for c in schema.columns if c.name == column).required
    for row in rows:
        assert row[column] or not required, "every row needs a source"
        assert set(row[column] or ()) <= keys
    if name == "quiz":  # only questions about the course itself (notebook 00) may lack a source
        assert {r["notebook"] for r in rows if not r[column]} <= {"00"}


def test_every_csv_in_data_has_a_schema():
    assert {p.name for p in DATA.glob("*.csv")} == {s.filename for s in data.SCHEMAS.values()}


def test_history_content():
    rows = data.load_table("history")
    by_event = {r["event"]: r for r in rows}
    assert by_event["Ketamine is first synthesised"]["date"] == "1962"
    schedule = next(r for r in rows if "Schedule III" in r["event"])
    assert schedule["date"] == "1999-08-12" and schedule["date_precision"] == "day"
    spravato = next(r for r in rows if r["date"] == "2019-03-05")
    assert "Spravato" in spravato["event"]
    fda = next(r for r in rows if "FDA approves ketamine" in r["event"])
    # Resolved: 1970 is the initial US approval on the FDA label; the DEA's 1971 is first marketing.
    assert fda["date"] == "1970" and fda["status"] == "confirmed"
    assert "Initial U.S. Approval: 1970" in fda["note"] and "1971" in fda["note"] and "marketed" in fda["note"]
    anis = next(r for r in rows if r["date"] == "1983")
    assert "spinal neurones of cats and rats" in anis["detail"] and "cortex" not in anis["detail"]
    bladder = next(r for r in rows if r["date"] == "2007")
    assert bladder["source"] == ("shahani2007",)
    assert {r["category"] for r in rows} == {"chemistry", "anesthesia", "regulation",
                                             "psychiatry_research", "safety"}
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates), "milestones are listed in date order"


def test_unknown_source_key_names_file_row_and_column(data_copy):
    _edit_history(data_copy, 2, "source", "nosuchkey2099")
    with pytest.raises(ValueError, match=r"history\.csv, row 4, column 'source': unknown source key 'nosuchkey2099'"):
        data.load_table("history", data_copy)


def test_out_of_range_date(data_copy):
    _edit_history(data_copy, 0, "date", "1850")
    with pytest.raises(ValueError, match=r"row 2, column 'date': 1850 is outside the allowed range \[1950, 2030\]"):
        data.load_table("history", data_copy)


def test_bad_date_format(data_copy):
    _edit_history(data_copy, 0, "date", "19x2")
    with pytest.raises(ValueError, match=r"row 2, column 'date': '19x2' is not an ISO date"):
        data.load_table("history", data_copy)


def test_precision_must_match_date(data_copy):
    _edit_history(data_copy, 0, "date_precision", "day")
    with pytest.raises(ValueError, match=r"row 2, column 'date_precision'"):
        data.load_table("history", data_copy)


def test_unknown_category(data_copy):
    _edit_history(data_copy, 1, "category", "astrology")
    with pytest.raises(ValueError, match=r"row 3, column 'category': 'astrology' is not one of"):
        data.load_table("history", data_copy)


def test_empty_required_cell(data_copy):
    _edit_history(data_copy, 1, "event", "")
    with pytest.raises(ValueError, match=r"row 3, column 'event': empty, but a value is required"):
        data.load_table("history", data_copy)


def test_malformed_csv_wrong_field_count(data_copy):
    path = data_copy / "history.csv"
    path.write_text(path.read_text() + "2030,year,safety,too few fields\n")
    with pytest.raises(ValueError, match=r"history\.csv, row \d+: wrong number of fields"):
        data.load_table("history", data_copy)


def test_malformed_csv_unclosed_quote(data_copy):
    path = data_copy / "history.csv"
    path.write_text(path.read_text() + '2024,year,safety,"unclosed,quote\n')
    with pytest.raises(ValueError, match=r"history\.csv"):
        data.load_table("history", data_copy)


def test_missing_column(data_copy):
    path = data_copy / "history.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(line.rsplit(",", 1)[0] if i == 0 else line for i, line in enumerate(lines)))
    with pytest.raises(ValueError, match=r"history\.csv, row 1: missing column\(s\) note"):
        data.load_table("history", data_copy)


def test_missing_bibliography(data_copy):
    (data_copy / "references.bib").unlink()
    with pytest.raises(ValueError, match=r"references\.bib: file not found"):
        data.load_table("history", data_copy)


def test_every_table_has_exactly_one_source_column():
    for schema in data.SCHEMAS.values():
        assert sum(c.kind == "sources" for c in schema.columns) == 1, schema.filename


def test_unknown_table():
    with pytest.raises(ValueError, match="unknown table 'nope'; known tables: adverse_effects, evidence"):
        data.load_table("nope")


NUMBER = data.TableSchema("n.csv", (data.Column("dose_mg", "float", "mg", minimum=0, maximum=500),
                                    data.Column("source", "sources")))


@given(st.floats(min_value=0, max_value=500, allow_nan=False))
def test_numbers_in_range_pass(value):
    row = data.validate_rows([{"dose_mg": repr(value), "source": "berman2000"}], NUMBER, {"berman2000"})
    assert row[0]["dose_mg"] == pytest.approx(value)


@given(st.one_of(st.floats(max_value=-1e-9), st.floats(min_value=500.0001), st.just(float("nan"))))
@settings(max_examples=60)
def test_numbers_out_of_range_or_nan_fail_with_unit(value):
    with pytest.raises(ValueError, match=r"n\.csv, row 2, column 'dose_mg'"):
        data.validate_rows([{"dose_mg": repr(value), "source": "berman2000"}], NUMBER, {"berman2000"})


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_", min_size=1, max_size=20))
def test_any_key_not_in_the_bibliography_fails(key):
    keys = {"berman2000"}
    if key in keys:
        return
    with pytest.raises(ValueError, match=f"unknown source key '{key}'"):
        data.validate_rows([{"dose_mg": "1", "source": f"berman2000; {key}"}], NUMBER, keys)


def test_table_html_is_accessible_and_spells_out_sources():
    html = data.table_html("hypotheses", ["hypothesis", "source"], caption="Hypotheses")
    assert html.count("<th scope='col'") == 2 and "<caption" in html
    assert "Moda-Sava 2019" in html and "modasava2019" not in html
    with pytest.raises(ValueError, match="no column"):
        data.table_html("hypotheses", ["nope"])


def test_references_parse_nested_braces_and_reject_duplicate_keys(tmp_path):
    """bibtexparser reads what the old regex could not: braces inside braces, quoted values."""
    (tmp_path / "references.bib").write_text(
        "@article{nested2020,\n  title = {The {NMDA} receptor and {Mg{2+}} block},\n"
        "  author = \"Doe, Jane and Roe, Rick\",\n  year = 2020,\n  journal = {J Test}\n}\n",
        encoding="utf-8")
    refs = data.references(tmp_path)
    assert refs["nested2020"]["title"] == "The NMDA receptor and Mg2+ block"
    assert refs["nested2020"]["author"] == "Doe, Jane and Roe, Rick"
    assert refs["nested2020"]["year"] == "2020"
    duplicated = tmp_path / "duplicated"
    duplicated.mkdir()
    (duplicated / "references.bib").write_text(
        "@misc{same2020, title = {A}}\n@misc{same2020, title = {B}}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"references\.bib, .*DuplicateBlockKeyBlock"):
        data.references(duplicated)


def test_data_readme_column_tables_are_generated_from_the_schemas():
    """data/README.md holds the tables columns_markdown() makes (scripts/update_data_readme.py)."""
    text = (DATA / "README.md").read_text(encoding="utf-8")
    assert data.render_readme(text) == text, "run scripts/update_data_readme.py"
    for name in data.SCHEMAS:
        assert data.columns_markdown(name) in text
    assert "| `status` | category | `confirmed`, `secondary`, `conflicting` |" in data.columns_markdown("history")


def test_data_readme_markers_must_be_present():
    with pytest.raises(ValueError, match="markers for table 'adverse_effects' found 0 times"):
        data.render_readme("# no tables here\n")
