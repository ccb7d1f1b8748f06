"""Normalise executed notebooks so that re-running them gives a clean diff.

Removes per-cell execution timestamps and the kernel's Python patch version,
which change on every run and carry no teaching value. Outputs and the saved
widget state (which renders demos in static exports) are kept.
"""

import sys

import nbformat


def clean(path: str) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.get("language_info", {}).pop("version", None)
    nbformat.write(nb, path)


if __name__ == "__main__":
    for notebook in sys.argv[1:]:
        clean(notebook)
