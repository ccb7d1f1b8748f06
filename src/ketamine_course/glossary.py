"""The course glossary (``data/glossary.csv``): lookup, search and first-use links.

``docs/glossary.md`` is generated from the table (``make glossary``); each
notebook links the first use of every term introduced in it to its entry.
"""

from __future__ import annotations

import re

from . import data, resources

GLOSSARY_DOC = resources.docs_dir() / "glossary.md"


def terms() -> list[dict]:
    """All entries, sorted alphabetically (case-insensitive)."""
    return sorted(data.load_table("glossary"), key=lambda r: r["term"].casefold())


def anchor(term: str) -> str:
    """The Markdown heading anchor of a term in docs/glossary.md."""
    slug = re.sub(r"[^\w\- ]", "", term.casefold()).strip().replace(" ", "-")
    return slug


def search(query: str) -> list[dict]:
    """Entries whose term or definition contains ``query`` (case-insensitive), terms first."""
    q = query.strip().casefold()
    if not q:
        return []
    rows = terms()
    in_term = [r for r in rows if q in r["term"].casefold()]
    in_definition = [r for r in rows if r not in in_term and q in r["definition"].casefold()]
    return in_term + in_definition


def markdown() -> str:
    """docs/glossary.md as text."""
    lines = ["# Glossary", "", "Terms used in the course, in alphabetical order. Generated from "
             "`data/glossary.csv` by `make glossary`; edit the table, not this file.", ""]
    for row in terms():
        lines += [f"## {row['term']}", "", row["definition"], ""]
        if row["see_also"]:
            links = ", ".join(f"[{t.strip()}](#{anchor(t.strip())})" for t in row["see_also"].split(";"))
            lines += [f"See also: {links}.", ""]
        lines += [f"First met in notebook {row['first_notebook']:02d}. Source: "
                  f"{'; '.join(data.cite(k) for k in row['source'])}", ""]
    return "\n".join(lines)


_PROTECTED = re.compile(r"(`[^`]*`|\$[^$]*\$|\[[^\]]*\]\([^)]*\)|<[^>]+>|https?://\S+)")


def link_first_uses(text: str, notebook: int, done: set[str], prefix: str = "../docs/glossary.md") -> str:
    """Link the first use, in ``text``, of each term first met in ``notebook``.

    Headings, code, maths, existing links and HTML tags are left alone.
    ``done`` holds the terms already linked in this notebook and is updated.
    """
    lines = text.split("\n")
    candidates = sorted((r["term"] for r in terms() if r["first_notebook"] == notebook), key=len, reverse=True)
    for term in candidates:
        if term in done:
            continue
        pattern = re.compile(rf"(?<![\w\-/#]){re.escape(term)}(?![\w\-])", re.IGNORECASE)
        for n, line in enumerate(lines):
            if line.lstrip().startswith("#"):
                continue
            pieces = _PROTECTED.split(line)
            for i in range(0, len(pieces), 2):  # even pieces are unprotected text
                match = pattern.search(pieces[i])
                if match:
                    link = f"[{match.group(0)}]({prefix}#{anchor(term)})"
                    pieces[i] = pieces[i][:match.start()] + link + pieces[i][match.end():]
                    lines[n] = "".join(pieces)
                    done.add(term)
                    break
            if term in done:
                break
    return "\n".join(lines)
