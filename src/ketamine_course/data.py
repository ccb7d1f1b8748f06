"""Load the course's data tables and check them against their schemas.

Every table in ``data/`` has a ``source`` column whose keys must exist in
``data/references.bib``, and every number has an explicit unit (in the column
name or the data dictionary, ``data/README.md``). :func:`load_table` reads a
table and validates it; a bad file raises a :class:`DataError` (a
``ValueError``) that names the file, the row and the column.

Row numbers in messages are the line numbers of the CSV file (the header is
line 1), so a student can jump straight to the line.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
REFERENCES_FILE = "references.bib"
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class DataError(ValueError):
    """A data file does not match its schema."""


@dataclass(frozen=True)
class Column:
    """One column of a table: its type, unit and allowed values.

    Parameters
    ----------
    name : str
        Header in the CSV file.
    kind : {"str", "int", "float", "date", "sources"}
        ``date`` is ISO 8601 (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``);
        ``sources`` is one or more keys of ``references.bib`` separated by ``;``.
    unit : str
        Physical unit, or ``""`` for none.
    required : bool
        An empty cell is an error when True.
    choices : tuple of str, optional
        The only values allowed.
    minimum, maximum : float, optional
        Inclusive range for numbers (and for the year of a date).
    """

    name: str
    kind: str = "str"
    unit: str = ""
    required: bool = True
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    description: str = ""


@dataclass(frozen=True)
class TableSchema:
    """The schema of one CSV file in ``data/``."""

    filename: str
    columns: tuple[Column, ...]
    description: str = ""
    row_checks: tuple[Callable[[dict], str | None], ...] = field(default=())

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def source_column(self) -> str:
        """Name of the column holding reference keys (``source``, or ``study`` in trial tables)."""
        return next(c.name for c in self.columns if c.kind == "sources")


def _history_precision_matches(row: dict) -> str | None:
    parts = {"year": 1, "month": 2, "day": 3}[row["date_precision"]]
    if len(row["date"].split("-")) != parts:
        return (f"column 'date_precision': '{row['date_precision']}' does not match "
                f"date '{row['date']}'")
    return None


HISTORY = TableSchema(
    filename="history.csv",
    description="Milestones from the synthesis of ketamine to its use in psychiatry.",
    columns=(
        Column("date", "date", "ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)", minimum=1950, maximum=2030,
               description="When it happened, to the stated precision."),
        Column("date_precision", choices=("year", "month", "day"),
               description="How precisely the date is known."),
        Column("category", choices=("chemistry", "anesthesia", "regulation",
                                    "psychiatry_research", "safety"),
               description="Theme, used by the timeline filter."),
        Column("event", description="One-line headline."),
        Column("detail", description="One or two sentences of detail."),
        Column("status", choices=("confirmed", "secondary", "conflicting"),
               description="How well the sources support it (FACTS.md levels)."),
        Column("source", "sources", description="Keys in references.bib, separated by ';'."),
        Column("note", required=False, description="Caveats, e.g. conflicting dates."),
    ),
    row_checks=(_history_precision_matches,),
)

STRUCTURES = TableSchema(
    filename="structures.csv",
    description="Ketamine, its enantiomers and phencyclidine as SMILES.",
    columns=(
        Column("name"),
        Column("role"),
        Column("iupac_name"),
        Column("smiles", description="Isomeric SMILES; stereo marks only for single enantiomers."),
        Column("formula", description="Molecular formula of the free base."),
        Column("chiral_centres", "int", "count", minimum=0, maximum=4),
        Column("source", "sources"),
        Column("note", required=False),
    ),
)

HYPOTHESES = TableSchema(
    filename="hypotheses.csv",
    description="Competing hypotheses for ketamine's antidepressant mechanism.",
    columns=(
        Column("hypothesis"),
        Column("species", description="Where the key evidence comes from; several separated by ';'."),
        Column("key_finding"),
        Column("evidence_strength", choices=("strong", "moderate", "limited", "preliminary"),
               description="The course's summary judgement of the evidence; see the data dictionary."),
        Column("status", choices=("supported in mice", "debated", "contested")),
        Column("source", "sources"),
        Column("note", required=False),
    ),
)

ONSET_TRIALS = TableSchema(
    filename="onset_trials.csv",
    description="Published onset and duration values from antidepressant trials: one row per reported value.",
    columns=(
        Column("treatment", choices=("ketamine_iv_single", "ketamine_iv_repeated", "esketamine_nasal_plus_ad",
                                     "ssri", "citalopram", "ect")),
        Column("study", "sources", description="Key in references.bib."),
        Column("population", choices=("trd", "mdd", "mixed"),
               description="trd = treatment-resistant depression; mdd = major depressive disorder."),
        Column("arm", choices=("active", "placebo", "comparison")),
        Column("timepoint_hours", "float", "h", required=False, minimum=0, maximum=24 * 7 * 16,
               description="Hours after the first dose; empty when the source gives only 'at exit'."),
        Column("measure", description="Rating scale, e.g. MADRS, HDRS-17, QIDS-SR."),
        Column("statistic", choices=("pct_change_from_baseline", "response_rate_pct", "remission_rate_pct",
                                     "mean_score", "mean_change_from_baseline", "median_days_to_relapse",
                                     "difference_vs_placebo", "odds_ratio", "relative_risk")),
        Column("value", "float", "unit given by statistic", minimum=-100, maximum=100),
        Column("n", "int", "participants", required=False, minimum=1, maximum=100000),
        Column("extraction", choices=("text", "table", "figure-approx")),
        Column("status", choices=("confirmed", "secondary")),
        Column("note", required=False),
    ),
)

EVIDENCE = TableSchema(
    filename="evidence.csv",
    description="Conditions for which ketamine or esketamine has been studied, with the state of the evidence.",
    columns=(
        Column("condition"),
        Column("approval_status", choices=("approved (esketamine)", "off-label", "investigational")),
        Column("approved_product", required=False, description="Product and indication if approved, else empty."),
        Column("evidence_strength", choices=("strong", "moderate", "limited", "preliminary")),
        Column("key_findings", description="What the key studies found, paraphrased."),
        Column("caveats", description="Limits: small samples, short follow-up, blinding, populations."),
        Column("source", "sources"),
        Column("note", required=False),
    ),
)

ADVERSE_EFFECTS = TableSchema(
    filename="adverse_effects.csv",
    description="Adverse effects: how often, when they start and how long they last, with sources.",
    columns=(
        Column("effect"),
        Column("product", choices=("esketamine nasal", "racemic ketamine IV", "ketamine (recreational)",
                                   "ketamine (any)")),
        Column("timescale", choices=("during session", "hours", "days", "long term")),
        Column("frequency_pct", "float", "% of patients", required=False, minimum=0, maximum=100,
               description="Reported frequency in the treated arm, where a number is given."),
        Column("placebo_pct", "float", "% of patients", required=False, minimum=0, maximum=100),
        Column("onset_min", "float", "min after dose", required=False, minimum=0, maximum=1440),
        Column("resolves_by_min", "float", "min after dose", required=False, minimum=0, maximum=1440),
        Column("description"),
        Column("extraction", choices=("text", "table", "figure-approx", "label")),
        Column("status", choices=("confirmed", "secondary", "illustrative")),
        Column("source", "sources"),
        Column("note", required=False),
    ),
)

def _trial_interval_is_consistent(row: dict) -> str | None:
    low, high, effect = row["ci_low"], row["ci_high"], row["effect"]
    if (low is None) != (high is None):
        return "columns 'ci_low' and 'ci_high': give both ends of the interval or neither"
    if low is None:
        return None
    if effect is None:
        return "column 'effect': empty, but a confidence interval is given"
    if low > high:
        return f"columns 'ci_low' and 'ci_high': inverted interval ({low} > {high})"
    if not low <= effect <= high:
        return f"column 'effect': {effect} lies outside its interval [{low}, {high}]"
    if row["effect_measure"] == "hazard_ratio" and low <= 0:
        return f"column 'ci_low': {low} is not a valid hazard ratio (must be > 0)"
    return None


TRIALS = TableSchema(
    filename="trials.csv",
    description="One row per trial comparison: design, size, primary result with its 95% CI, and how it was extracted.",
    columns=(
        Column("trial", description="Trial name, with the arm when a trial has several."),
        Column("source", "sources", description="Keys in references.bib: the primary paper first."),
        Column("design", choices=("crossover", "parallel_active_placebo", "parallel_add_on",
                                  "randomised_withdrawal", "non_inferiority")),
        Column("population", description="Who was randomised."),
        Column("n_active", "int", "participants", required=False, minimum=1, maximum=100000,
               description="Participants in the active arm (empty when no source states it)."),
        Column("n_control", "int", "participants", required=False, minimum=1, maximum=100000),
        Column("comparator"),
        Column("endpoint", description="The primary endpoint as the trial defined it."),
        Column("timepoint_days", "float", "days", required=False, minimum=0, maximum=3650,
               description="When the endpoint was measured; empty for time-to-event endpoints."),
        Column("effect", "float", "unit given by effect_measure", required=False, minimum=-100, maximum=100,
               description="Active minus control (negative favours the drug on symptom scales)."),
        Column("ci_low", "float", "unit given by effect_measure", required=False, minimum=-100, maximum=100),
        Column("ci_high", "float", "unit given by effect_measure", required=False, minimum=-100, maximum=100),
        Column("effect_measure", choices=("madrs_points", "hdrs25_points", "hdrs_points", "hazard_ratio",
                                          "response_points")),
        Column("met_primary", choices=("yes", "no", "not_tested"),
               description="Whether the trial met its primary endpoint as its own analysis plan defined it."),
        Column("extraction", choices=("text", "table", "computed", "figure-approx")),
        Column("status", choices=("confirmed", "secondary")),
        Column("note", required=False),
    ),
    row_checks=(_trial_interval_is_consistent,),
)

GLOSSARY = TableSchema(
    filename="glossary.csv",
    description="Terms used in the course, with short definitions.",
    columns=(
        Column("term"),
        Column("definition"),
        Column("see_also", required=False, description="Other terms, separated by ';'."),
        Column("first_notebook", "int", "notebook number", minimum=0, maximum=7),
        Column("source", "sources"),
    ),
)

#: Every table the course ships, by name (the file name without ``.csv``).
SCHEMAS: dict[str, TableSchema] = {"adverse_effects": ADVERSE_EFFECTS, "evidence": EVIDENCE,
                                   "glossary": GLOSSARY, "history": HISTORY, "hypotheses": HYPOTHESES,
                                   "onset_trials": ONSET_TRIALS, "structures": STRUCTURES,
                                   "trials": TRIALS}


def reference_keys(data_dir: Path | str | None = None) -> set[str]:
    """The citation keys defined in ``references.bib``."""
    path = Path(data_dir or DATA_DIR) / REFERENCES_FILE
    if not path.exists():
        raise DataError(f"{path.name}: file not found in {path.parent.name}/")
    text = path.read_text(encoding="utf-8")
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", text))


_FIELD = re.compile(r"^\s*(\w+)\s*=\s*(\{(?:[^{}]|\{[^{}]*\})*\}|\d+|\w+)\s*,?\s*$", re.M)


def _stamp(path: Path) -> tuple[str, int]:
    """Cache key for a file: its path and modification time (a changed file is re-read)."""
    return str(path.resolve()), path.stat().st_mtime_ns if path.exists() else -1


def references(data_dir: Path | str | None = None) -> dict[str, dict[str, str]]:
    """Every entry of ``references.bib`` as ``{key: {field: value}}``.

    Braces used for capitalisation are removed; the entry type is under ``"type"``.
    Parsed once per version of the file.
    """
    path = Path(data_dir or DATA_DIR) / REFERENCES_FILE
    return {k: dict(v) for k, v in _parse_references(*_stamp(path)).items()}


@functools.lru_cache(maxsize=8)
def _parse_references(path: str, _mtime_ns: int) -> dict[str, dict[str, str]]:
    text = Path(path).read_text(encoding="utf-8")
    out = {}
    for kind, key, body in re.findall(r"@(\w+)\s*\{\s*([^,\s]+)\s*,(.*?)\n\}", text, flags=re.S):
        fields = {"type": kind.lower()}
        for name, value in _FIELD.findall(body):
            fields[name.lower()] = re.sub(r"\s+", " ", value.strip("{}").replace("{", "").replace("}", "")).strip()
        out[key] = fields
    return out


def cite(key: str, data_dir: Path | str | None = None) -> str:
    """A one-line citation for ``key``: authors (year). Title. Journal volume:pages. DOI."""
    refs = _parse_references(*_stamp(Path(data_dir or DATA_DIR) / REFERENCES_FILE))  # read-only use
    if key not in refs:
        raise DataError(f"unknown source key '{key}' (not defined in {REFERENCES_FILE})")
    f = refs[key]
    authors = f.get("author", "")
    names = [a.strip() for a in authors.split(" and ") if a.strip()]
    if len(names) > 2 or "others" in names:
        who = f"{names[0].split(',')[0]} et al."
    else:
        who = " & ".join(n.split(",")[0] for n in names)
    parts = [f"{who} ({f.get('year', 'n.d.')})." if who else f"{f.get('year', 'n.d.')}."]
    parts.append(f"{f.get('title', key)}.")
    venue = f.get("journal") or f.get("howpublished", "")
    if venue:
        detail = venue
        if f.get("volume"):
            detail += f" {f['volume']}"
        if f.get("pages"):
            detail += f":{f['pages'].replace('--', '-')}"
        parts.append(detail + ".")
    if f.get("doi"):
        parts.append(f"https://doi.org/{f['doi']}")
    return " ".join(parts)


def _convert(value: str, col: Column, where: str, keys: set[str]):
    if col.kind == "str":
        if col.choices is not None and value not in col.choices:
            raise DataError(f"{where}: '{value}' is not one of {', '.join(col.choices)}")
        return value
    if col.kind == "sources":
        found = [k.strip() for k in value.split(";") if k.strip()]
        missing = [k for k in found if k not in keys]
        if missing:
            raise DataError(f"{where}: unknown source key '{missing[0]}' "
                            f"(not defined in {REFERENCES_FILE})")
        return tuple(found)
    if col.kind == "date":
        if not _ISO_DATE.match(value):
            raise DataError(f"{where}: '{value}' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
        number = float(value[:4])
    elif col.kind in ("int", "float"):
        try:
            number = float(value)
        except ValueError:
            raise DataError(f"{where}: '{value}' is not a number ({col.unit or 'no unit'})") from None
        if math.isnan(number) or math.isinf(number):
            raise DataError(f"{where}: '{value}' is not a finite number")
        if col.kind == "int" and not number.is_integer():
            raise DataError(f"{where}: '{value}' is not a whole number")
    else:  # pragma: no cover - schema bug, not data bug
        raise TypeError(f"unknown column kind {col.kind!r}")
    unit = f" {col.unit}" if col.unit and col.kind != "date" else ""
    if col.minimum is not None and number < col.minimum or col.maximum is not None and number > col.maximum:
        raise DataError(f"{where}: {value}{unit} is outside the allowed range "
                        f"[{col.minimum}, {col.maximum}]{unit}")
    if col.kind == "date":
        return value
    return int(number) if col.kind == "int" else number


def validate_rows(rows: Iterable[dict], schema: TableSchema, keys: set[str],
                  filename: str | None = None, first_line: int = 2) -> list[dict]:
    """Check and convert raw CSV rows (strings) against ``schema``."""
    filename = filename or schema.filename
    out = []
    for line, raw in enumerate(rows, start=first_line):
        if None in raw or any(v is None for v in raw.values()):
            raise DataError(f"{filename}, row {line}: wrong number of fields "
                            f"(expected {len(schema.columns)})")
        row = {}
        for col in schema.columns:
            value = (raw.get(col.name) or "").strip()
            where = f"{filename}, row {line}, column '{col.name}'"
            if not value:
                if col.required:
                    raise DataError(f"{where}: empty, but a value is required")
                row[col.name] = None if col.kind in ("int", "float") else ("" if col.kind != "sources" else ())
                continue
            row[col.name] = _convert(value, col, where, keys)
        for check in schema.row_checks:
            problem = check(row)
            if problem:
                raise DataError(f"{filename}, row {line}, {problem}")
        out.append(row)
    return out


def load_table(name: str, data_dir: Path | str | None = None) -> list[dict]:
    """Load ``data/<name>.csv`` and validate it against its schema.

    Parameters
    ----------
    name : str
        Table name, one of :data:`SCHEMAS` (e.g. ``"history"``).
    data_dir : path, optional
        Folder holding the CSV and ``references.bib`` (default: the course's ``data/``).

    Returns
    -------
    list of dict
        One dict a row, values converted to their column types.

    Raises
    ------
    DataError
        A ``ValueError`` naming the file, row and column of the first problem.
    """
    if name not in SCHEMAS:
        raise DataError(f"unknown table '{name}'; known tables: {', '.join(sorted(SCHEMAS))}")
    schema = SCHEMAS[name]
    folder = Path(data_dir or DATA_DIR)
    path = folder / schema.filename
    if not path.exists():
        raise DataError(f"{schema.filename}: file not found in {folder.name}/")
    bib = folder / REFERENCES_FILE
    rows = _load_validated(name, *_stamp(path), *_stamp(bib))
    return [dict(row) for row in rows]


@functools.lru_cache(maxsize=32)
def _load_validated(name: str, path: str, _mtime_ns: int, bib: str, _bib_mtime_ns: int) -> tuple[dict, ...]:
    """Read and validate a table once per version of the table and of the bibliography."""
    schema = SCHEMAS[name]
    folder = Path(path).parent
    keys = reference_keys(folder)
    with Path(path).open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh, strict=True)
        header = reader.fieldnames or []
        missing = [c for c in schema.names if c not in header]
        if missing:
            raise DataError(f"{schema.filename}, row 1: missing column(s) {', '.join(missing)}")
        extra = [c for c in header if c not in schema.names]
        if extra:
            raise DataError(f"{schema.filename}, row 1: unexpected column(s) {', '.join(extra)}")
        try:
            return tuple(validate_rows(reader, schema, keys, schema.filename))
        except csv.Error as exc:
            raise DataError(f"{schema.filename}, row {reader.line_num}: malformed CSV ({exc})") from None


def table_html(name: str, columns: list[str] | None = None, caption: str = "",
               data_dir: Path | str | None = None, where: dict | None = None) -> str:
    """A validated table as an accessible HTML table (caption, header cells, sources spelled out).

    Source keys are shown as short citations (first author and year); the full
    entries are in ``references.bib``. ``where`` keeps only rows whose columns
    equal the given values, e.g. ``{"timescale": "long term"}``.
    """
    from html import escape

    schema = SCHEMAS[name]
    rows = [r for r in load_table(name, data_dir)
            if all(r.get(k) == v for k, v in (where or {}).items())]
    columns = list(columns or schema.names)
    unknown = [c for c in columns if c not in schema.names]
    if unknown:
        raise DataError(f"{schema.filename}: no column(s) {', '.join(unknown)}")
    refs = references(data_dir)

    def short(key: str) -> str:
        f = refs.get(key, {})
        first = f.get("author", key).split(" and ")[0].split(",")[0]
        return f"{first} {f.get('year', '')}".strip()

    def cell(col: str, value) -> str:
        if isinstance(value, tuple):
            return "; ".join(escape(short(k)) for k in value)
        return escape("" if value is None else str(value).replace("_", " "))

    head = "".join(f"<th scope='col'>{escape(c.replace('_', ' '))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{cell(c, row[c])}</td>" for c in columns) + "</tr>" for row in rows)
    cap = f"<caption style='caption-side:top;text-align:left'>{escape(caption)}</caption>" if caption else ""
    return (f"<table class='course-table' style='border-collapse:collapse'>{cap}<thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")
