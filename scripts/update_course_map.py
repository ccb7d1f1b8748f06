"""Rewrite the course-map table in README.md and 00_start_here.ipynb from ketamine_course.course.

Run after adding a notebook: ``.venv/bin/python scripts/update_course_map.py``, then ``make execute``.
"""

import re
from pathlib import Path

import nbformat

from ketamine_course import course

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"(<!-- course-map -->\n).*?(\n<!-- /course-map -->)", re.S)


def replace(text: str, table: str) -> str:
    new, n = BLOCK.subn(lambda m: m.group(1) + table + m.group(2), text)
    if n != 1:
        raise SystemExit("course-map markers not found exactly once")
    return new


def main() -> None:
    readme = ROOT / "README.md"
    readme.write_text(replace(readme.read_text(), course.markdown_table("notebooks/")))
    start = ROOT / "notebooks" / "00_start_here.ipynb"
    nb = nbformat.read(start, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "<!-- course-map -->" in cell.source:
            cell.source = replace(cell.source, course.markdown_table())
    nbformat.write(nb, start)


if __name__ == "__main__":
    main()
