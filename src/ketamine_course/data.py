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

from . import checks, resources

DATA_DIR = resources.data_dir()
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
    description : str
        What the column means (the data dictionary, ``data/README.md``, is generated from it).
    values : str
        How values are written, where type, choices and range do not say it all.
    """

    name: str
    kind: str = "str"
    unit: str = ""
    required: bool = True
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    description: str = ""
    values: str = ""


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
               description='when it happened, to the stated precision'),
        Column("date_precision", choices=("year", "month", "day"),
               description='how precisely the date is known; must match the form of `date`'),
        Column("category", choices=("chemistry", "anesthesia", "regulation",
                                    "psychiatry_research", "safety"),
               description='theme, for the timeline filter',
               values='`chemistry` covers chemistry and pharmacology'),
        Column("event", description='one-line headline'),
        Column("detail", description='one or two sentences'),
        Column("status", choices=checks.statuses("confirmed", "secondary", "conflicting"),
               description='strength of support'),
        Column("source", "sources", description='where it comes from'),
        Column("note", required=False, description='caveats, conflicting dates, approximations'),
    ),
    row_checks=(_history_precision_matches,),
)

STRUCTURES = TableSchema(
    filename="structures.csv",
    description="Ketamine, its enantiomers and phencyclidine as SMILES.",
    columns=(
        Column("name", description='common name, with the enantiomer in brackets'),
        Column("role", description='why it is in the course'),
        Column("iupac_name", description='systematic name; `(2S)`/`(2R)` give the configuration'),
        Column("smiles",
               description='the structure; stereo marks only for single enantiomers',
               values='isomeric SMILES'),
        Column("formula", description='molecular formula of the free base', values='Hill order'),
        Column("chiral_centres", "int", "count", minimum=0, maximum=4, description='number of stereocentres'),
        Column("source", "sources", description='sources for the identity and role'),
        Column("note", required=False),
    ),
)

HYPOTHESES = TableSchema(
    filename="hypotheses.csv",
    description="Competing hypotheses for ketamine's antidepressant mechanism.",
    columns=(
        Column("hypothesis", description='short name'),
        Column("species",
               description='where the key evidence comes from',
               values='`rat`, `mouse`, `human`, several separated by `;`'),
        Column("key_finding", description="the central result, paraphrased from the cited paper's abstract"),
        Column("evidence_strength", choices=("strong", "moderate", "limited", "preliminary"),
               description="the course's summary: *moderate* = replicated in animals; *limited* = single line "
                           "of animal work or disputed replications; *preliminary* = one small human study"),
        Column("status", choices=("supported in mice", "debated", "contested"),
               description='how the field regards it; *contested* = published failures to replicate or direct '
                           'disputes'),
        Column("source", "sources", description='the key studies'),
        Column("note", required=False, description='caveats'),
    ),
)

ONSET_TRIALS = TableSchema(
    filename="onset_trials.csv",
    description="Published onset and duration values from antidepressant trials: one row per reported value.",
    columns=(
        Column("treatment", choices=("ketamine_iv_single", "ketamine_iv_repeated", "esketamine_nasal_plus_ad",
                                     "ssri", "citalopram", "ect"),
               description="the treatment of the study (placebo arms keep their study's treatment)"),
        Column("study", "sources", description="the source of this value (this table's `source` column)"),
        Column("population", choices=("trd", "mdd", "mixed"),
               description='who was studied',
               values='`trd` = treatment-resistant depression, `mdd` = major depressive disorder'),
        Column("arm", choices=("active", "placebo", "comparison"),
               description='which group the value describes'),
        Column("timepoint_hours", "float", 'hours after the first dose',
               required=False, minimum=0, maximum=24 * 7 * 16,
               description='empty when the source gives only "at study exit" or "after the last infusion"',
               values='day 1 = 24, week 1 = 168'),
        Column("measure",
               description='rating scale',
               values='MADRS, HDRS-17, HDRS-25, HAMD24, QIDS-SR, `mixed` (pooled across scales)'),
        Column("statistic", choices=("pct_change_from_baseline", "response_rate_pct", "remission_rate_pct",
                                     "mean_score", "mean_change_from_baseline", "median_days_to_relapse",
                                     "difference_vs_placebo", "odds_ratio", "relative_risk"),
               description='what `value` is',
               values='`response_rate_pct`, `remission_rate_pct` in percent of patients; '
                      '`mean_change_from_baseline` in scale points; `difference_vs_placebo` with its unit at '
                      'the start of `note` (percentage points or scale points); `odds_ratio`, `relative_risk`'
                      ' as ratios; `median_days_to_relapse` in days'),
        Column("value", "float", "unit given by statistic", minimum=-100, maximum=100,
               description='the reported value'),
        Column("n", "int", "participants", required=False, minimum=1, maximum=100000,
               description='size of the arm, where reported'),
        Column("extraction", choices=("text", "table", "figure-approx"),
               description='how the value was obtained: stated in the text or abstract, taken from a table, or '
                           'read approximately from a figure'),
        Column("status", choices=checks.statuses("confirmed", "secondary"),
               description='`confirmed`: seen in the primary article or abstract or a peer-reviewed table; '
                           '`secondary`: seen only in a secondary source (press, digest, paraphrase)'),
        Column("note", required=False,
               description='definitions (e.g. response = at least 50% reduction), confidence intervals, caveats'),
    ),
)

EVIDENCE = TableSchema(
    filename="evidence.csv",
    description="Conditions for which ketamine or esketamine has been studied, with the state of the evidence.",
    columns=(
        Column("condition", description='the disorder or symptom studied'),
        Column("approval_status", choices=("approved (esketamine)", "off-label", "investigational"),
               description='regulatory position in the USA: an FDA-approved esketamine (Spravato) indication; '
                           'use of an approved drug (racemic ketamine, approved as an anesthetic) outside its '
                           'label, where trials exist; or so little evidence that use is experimental'),
        Column("approved_product", required=False,
               description='product, indication and FDA approval date when approved; empty otherwise'),
        Column("evidence_strength", choices=("strong", "moderate", "limited", "preliminary"),
               description="the course's summary judgement: *strong* = consistent benefit in several randomised "
                           'controlled trials and meta-analyses for the outcome studied; *moderate* = at least '
                           'two adequately sized RCTs, with a qualification (e.g. a modest effect or a key '
                           'outcome not met); *limited* = a few small RCTs or conflicting results; *preliminary* '
                           '= one small controlled study or open-label studies only'),
        Column("key_findings", description='what the key studies found, paraphrased from their abstracts'),
        Column("caveats",
               description='limits: sample size, follow-up, blinding, populations, conflicting trials'),
        Column("source", "sources", description='the studies and regulatory documents behind the row'),
        Column("note", required=False, description='what the strength rating refers to, extra numbers'),
    ),
)

ADVERSE_EFFECTS = TableSchema(
    filename="adverse_effects.csv",
    description="Adverse effects: how often, when they start and how long they last, with sources.",
    columns=(
        Column("effect",
               description='the adverse effect; "(rating scale)" and "(reported adverse event)" distinguish how '
                           'it was counted'),
        Column("product", choices=("esketamine nasal", "racemic ketamine IV", "ketamine (recreational)",
                                   "ketamine (any)"),
               description='what was taken; `ketamine (any)` covers other routes (e.g. subcutaneous) and '
                           'statements about ketamine in general'),
        Column("timescale", choices=("during session", "hours", "days", "long term"),
               description='when the effect matters'),
        Column("frequency_pct", "float", '% of patients in the treated arm',
               required=False, minimum=0, maximum=100,
               description='empty when the source gives only a range or no number; the range is then in `note`'),
        Column("placebo_pct", "float", '% of patients in the comparison arm',
               required=False, minimum=0, maximum=100,
               description='empty when not reported'),
        Column("onset_min", "float", 'minutes after the dose', required=False, minimum=0, maximum=1440,
               description='only when a source states it'),
        Column("resolves_by_min", "float", 'minutes after the dose', required=False, minimum=0, maximum=1440,
               description='only when a source states it (e.g. 90 for "generally resolved by 1.5 hours", 240 '
                           'for "about 4 hours")'),
        Column("description",
               description='what the effect is and what the source says about it, paraphrased'),
        Column("extraction", choices=("text", "table", "figure-approx", "label"),
               description='stated in an abstract or text; taken from a published table; read from a figure; or '
                           'from the prescribing information (label)'),
        Column("status", choices=checks.statuses("confirmed", "secondary", "illustrative"),
               description='`confirmed`: seen in a source that states it; `secondary`: seen only quoted by a '
                           'secondary source; `illustrative`: an approximate value not stated by any source (none'
                           ' in this version)'),
        Column("source", "sources", description='where it comes from'),
        Column("note", required=False, description='trial population, ranges, how counted, caveats'),
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
        Column("trial", description="trial name, with the arm when a trial has several"),
        Column("source", "sources",
               description="the primary paper first; a second key is the source of the arm sizes where the primary "
                           "paper was not retrieved in full"),
        Column("design", choices=("crossover", "parallel_active_placebo", "parallel_add_on",
                                  "randomised_withdrawal", "non_inferiority"),
               description="the design; `appraisal.GROUPS` maps designs to the notebook's two forest plots"),
        Column("population", description="who was randomised"),
        Column("n_active", "int", "participants", required=False, minimum=1, maximum=100000,
               description="active-arm size; empty when no retrieved source states it (never inferred)"),
        Column("n_control", "int", "participants", required=False, minimum=1, maximum=100000,
               description="control-arm size; empty when no retrieved source states it"),
        Column("comparator", description="what the control arm received"),
        Column("endpoint", description="the primary endpoint as the trial defined it"),
        Column("timepoint_days", "float", "days", required=False, minimum=0, maximum=3650,
               description="when it was measured; empty for time-to-event endpoints or when not one time"),
        Column("effect", "float", "unit given by effect_measure", required=False, minimum=-100, maximum=100,
               description="active minus control; on symptom scales negative favours the drug, for response "
                           "differences positive favours the drug; empty when not extracted"),
        Column("ci_low", "float", "unit given by effect_measure", required=False, minimum=-100, maximum=100,
               description="lower end of the reported 95% confidence interval; empty when not reported (the row "
                           "is then never pooled)"),
        Column("ci_high", "float", "unit given by effect_measure", required=False, minimum=-100, maximum=100,
               description="upper end of the reported 95% confidence interval"),
        Column("effect_measure", choices=("madrs_points", "hdrs25_points", "hdrs_points", "hazard_ratio",
                                          "response_points"),
               description="what `effect` is (`response_points` are percentage points)"),
        Column("met_primary", choices=("yes", "no", "not_tested"),
               description="whether the primary endpoint was met under the trial's own analysis plan; "
                           "`not_tested` when a testing hierarchy stopped before it"),
        Column("extraction", choices=("text", "table", "computed", "figure-approx"),
               description="stated in the abstract or text; from a published table; calculated by the course from "
                           "reported values (the note says how); read from a figure"),
        Column("status", choices=("confirmed", "secondary"),
               description="`confirmed`: seen in the primary paper's abstract or text; `secondary`: seen only in a "
                           "secondary source"),
        Column("note", required=False,
               description="where each number appears, how anything was computed, and why a value is missing"),
    ),
    row_checks=(_trial_interval_is_consistent,),
)

GLOSSARY = TableSchema(
    filename="glossary.csv",
    description="Terms used in the course, with short definitions.",
    columns=(
        Column("term", description='the term as used in the notebooks'),
        Column("definition", description="a short definition in the course's own words"),
        Column("see_also", required=False,
               description='related entries; every name listed is itself a term in the table',
               values='other `term` values, separated by `;`'),
        Column("first_notebook", "int", "notebook number", minimum=0, maximum=7,
               description='the notebook where a student first meets the term (7 = the reading-the-evidence '
                           'notebook)'),
        Column("source", "sources", description='a source that uses or explains the term in the sense given'),
    ),
)

QUIZ = TableSchema(
    filename="quiz.csv",
    description="The self-check quiz at the end of each notebook, with answers and explanations.",
    columns=(
        Column("notebook", choices=("00", "01", "02", "03", "04", "05", "06", "07"),
               description="the notebook whose quiz holds the question"),
        Column("question", "int", "position in the quiz", minimum=1, maximum=20,
               description="questions are shown in this order"),
        Column("prompt", description="the question as shown"),
        Column("options", required=False,
               description="the choices of a multiple-choice question, separated by `;`; empty for a "
                           "numeric question"),
        Column("answer", "float", "option number (from 0) or the answer in `unit`", minimum=0, maximum=10000,
               description="the right option (0 = first) or the right number"),
        Column("tolerance", "float", "same unit as the answer", required=False, minimum=0, maximum=1000,
               description="numeric questions: accepted absolute error; empty for multiple choice"),
        Column("unit", required=False, description="numeric questions: the unit the answer is given in"),
        Column("rounding", required=False, choices=("up", "up or down"),
               description="numeric questions whose answer is conventionally reported as a whole number "
                           "(NNT, NNH): `up` also accepts the answer rounded up to a whole number, "
                           "`up or down` the whole numbers on either side; empty otherwise"),
        Column("explanation", description="why the answer is right; shown after a right answer, a second "
                                          "wrong one, or on request"),
        Column("hint", description="a nudge shown after the first wrong answer; must not give the answer away"),
        Column("hints", required=False,
               description="why particular wrong options are wrong, as `option number: hint`, separated by `;`"),
        Column("source", "sources", required=False,
               description="where the fact behind the answer comes from; empty only for questions about the "
                           "course itself or plain arithmetic"),
    ),
)

#: Every table the course ships, by name (the file name without ``.csv``).
SCHEMAS: dict[str, TableSchema] = {"adverse_effects": ADVERSE_EFFECTS, "evidence": EVIDENCE,
                                   "glossary": GLOSSARY, "history": HISTORY, "hypotheses": HYPOTHESES,
                                   "onset_trials": ONSET_TRIALS, "quiz": QUIZ, "structures": STRUCTURES,
                                   "trials": TRIALS}


def reference_keys(data_dir: Path | str | None = None) -> set[str]:
    """The citation keys defined in ``references.bib``."""
    path = Path(data_dir or DATA_DIR) / REFERENCES_FILE
    if not path.exists():
        raise DataError(f"{path.name}: file not found in {path.parent.name}/")
    return set(_parse_references(*_stamp(path)))


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
    """Parse the bibliography with bibtexparser (nested braces, quotes and @string handled)."""
    import bibtexparser

    name = Path(path).name
    library = bibtexparser.parse_string(Path(path).read_text(encoding="utf-8"))
    if library.failed_blocks:
        block = library.failed_blocks[0]
        where = f"line {block.start_line + 1}" if getattr(block, "start_line", None) is not None else "a block"
        raise DataError(f"{name}, {where}: {type(block).__name__} "
                        f"({getattr(block, 'error', 'cannot be parsed')})")
    out = {}
    for entry in library.entries:
        fields = {"type": entry.entry_type.lower()}
        for field_ in entry.fields:
            value = str(field_.value).replace("{", "").replace("}", "")
            fields[field_.key.lower()] = re.sub(r"\s+", " ", value).strip()
        out[entry.key] = fields
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
               data_dir: Path | str | None = None, where: dict | None = None,
               rows: Iterable[dict] | None = None, empty: str = "no rows") -> str:
    """A validated table as an accessible HTML table (caption, header cells, sources spelled out).

    Source keys are shown as short citations (first author and year); the full
    entries are in ``references.bib``. ``where`` keeps only rows whose columns
    equal the given values, e.g. ``{"timescale": "long term"}``. ``rows`` gives
    the rows to show instead (rows of this table, as :func:`load_table` returns
    them, e.g. the ones a figure plots); ``empty`` is shown when none are left.
    """
    from html import escape

    schema = SCHEMAS[name]
    chosen = load_table(name, data_dir) if rows is None else list(rows)
    chosen = [r for r in chosen if all(r.get(k) == v for k, v in (where or {}).items())]
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
        if isinstance(value, float):
            return f"{value:g}"
        return escape("" if value is None else str(value).replace("_", " "))

    # Prose reads from the left; numbers line up on the right. JupyterLab right-aligns every cell by
    # default, so each cell says which it is.
    kinds = {col.name: col.kind for col in schema.columns}
    align = {c: "right" if kinds.get(c) in ("int", "float") else "left" for c in columns}

    def style(c: str) -> str:
        return f" style='text-align:{align[c]};vertical-align:top'"

    head = "".join(f"<th scope='col'{style(c)}>{escape(c.replace('_', ' '))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td{style(c)}>{cell(c, row[c])}</td>" for c in columns) + "</tr>"
                   for row in chosen)
    if not body:
        body = f"<tr><td colspan={len(columns)}>{escape(empty)}</td></tr>"
    cap = f"<caption style='caption-side:top;text-align:left'>{escape(caption)}</caption>" if caption else ""
    return (f"<table class='course-table' style='border-collapse:collapse'>{cap}<thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


# ---------------------------------------------------------------------------
# The data dictionary (data/README.md) is generated from the schemas
# ---------------------------------------------------------------------------

_KIND_NAMES = {"str": "text", "int": "integer", "float": "number", "date": "ISO date", "sources": "keys"}


def _allowed_text(column: Column) -> str:
    if column.kind == "sources":
        return "`references.bib` keys"
    parts = []
    if column.choices:
        parts.append(", ".join(f"`{c}`" for c in column.choices))
    if column.unit:
        parts.append(column.unit)
    if column.minimum is not None and column.maximum is not None:
        what = "years " if column.kind == "date" else ""
        to = " to " if column.minimum < 0 else "-"
        parts.append(f"{what}{column.minimum:g}{to}{column.maximum:g}")
    if column.values:
        parts.append(column.values)
    return "; ".join(parts)


def _md_cell(text: str) -> str:
    escaped = text.replace("|", "\\|")
    return f" {escaped} " if text else " "


def columns_markdown(name: str) -> str:
    """The column table of one data file for ``data/README.md``, generated from its schema."""
    schema = SCHEMAS[name]
    lines = ["| column | type | unit / allowed values | meaning |", "|---|---|---|---|"]
    for c in schema.columns:
        kind = "category" if c.choices else _KIND_NAMES[c.kind]
        if not c.required:
            kind += ", optional"
        cells = [f"`{c.name}`", kind, _allowed_text(c), c.description]
        lines.append("|" + "|".join(_md_cell(cell) for cell in cells) + "|")
    return "\n".join(lines)


#: Markers around each generated table in data/README.md.
README_MARKERS = ("<!-- columns:{name} -->", "<!-- /columns:{name} -->")


def render_readme(text: str) -> str:
    """``text`` (data/README.md) with every marked column table regenerated from the schemas.

    Raises
    ------
    DataError
        If a table's markers are missing or appear more than once.
    """
    for name in SCHEMAS:
        start, end = (m.format(name=name) for m in README_MARKERS)
        block = re.compile(re.escape(start) + r"\n.*?\n" + re.escape(end), re.S)
        text, n = block.subn(lambda _m: f"{start}\n{columns_markdown(name)}\n{end}", text)
        if n != 1:
            raise DataError(f"README.md: markers for table '{name}' found {n} times, expected once")
    return text
