"""Regenerate the column tables of data/README.md from the schemas in ketamine_course.data.

Run after changing a schema: ``.venv/bin/python scripts/update_data_readme.py``.
The prose around the tables (provenance notes) is written by hand and kept.
"""

from pathlib import Path

from ketamine_course import data

README = Path(__file__).resolve().parents[1] / "data" / "README.md"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    new = data.render_readme(text)
    if new != text:
        README.write_text(new, encoding="utf-8")
        print(f"updated {README.name}")


if __name__ == "__main__":
    main()
