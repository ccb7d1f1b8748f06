"""Normalise executed notebooks so that re-running them gives an empty diff.

    python scripts/clean_notebooks.py NOTEBOOK...      # rewrite in place
    python scripts/clean_notebooks.py --check NOTEBOOK # exit 1 if any would change

What a committed notebook keeps: every output a reader needs without a kernel
(text, HTML, the static PNG that each demo shows beside its widget), the cell
tags and slide metadata. What it loses, because it changes on every run and
teaches nothing:

- ``metadata.widgets``: the saved widget state, 70-120 models per notebook with
  random model ids. `make html` executes the notebooks into build/ to get live
  widget state for the static site; the committed copy does not need it.
- widget-view outputs (``application/vnd.jupyter.widget-view+json``): each only
  points at a model id in that saved state. The output's PNG and text forms stay.
- per-cell ``execution`` timestamps and the kernel's Python patch version.
- how a cell's printed text was split into stream messages, which depends on
  timing: consecutive outputs of the same stream are merged into one.

Same rules as nmaci's process_notebooks.py. The Makefile says why this script
is used rather than nbstripout or jupytext.
"""

from __future__ import annotations

import json
import sys

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def clean_node(nb) -> None:
    """Strip run-to-run noise from a notebook (a dict or NotebookNode), in place."""
    nb["metadata"].pop("widgets", None)
    nb["metadata"].get("language_info", {}).pop("version", None)
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        if cell["cell_type"] != "code":
            continue
        for out in cell["outputs"]:
            if "data" in out:
                out["data"].pop(WIDGET_VIEW, None)
        # An output that held nothing but a widget view is now empty.
        cell["outputs"] = _merge_streams([o for o in cell["outputs"] if "data" not in o or o["data"]])


def _merge_streams(outputs: list) -> list:
    """Join consecutive stream outputs of the same name (stdout, stderr) into one output."""
    merged: list = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (out.get("output_type") == "stream" and prev is not None and prev.get("output_type") == "stream"
                and prev.get("name") == out.get("name")):
            text = "".join(prev["text"]) + "".join(out["text"])
            prev["text"] = text.splitlines(keepends=True)
        else:
            merged.append(out)
    return merged


def cleaned_text(path: str) -> str:
    """The cleaned notebook as nbformat writes it (plain JSON: no schema validation, so it is fast)."""
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    clean_node(nb)
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False, separators=(",", ": ")) + "\n"


def clean(path: str) -> bool:
    """Rewrite `path` cleaned; return True when it changed."""
    with open(path, encoding="utf-8") as f:
        before = f.read()
    after = cleaned_text(path)
    if after != before:
        with open(path, "w", encoding="utf-8") as f:
            f.write(after)
    return after != before


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    dirty = []
    for path in paths:
        if check:
            with open(path, encoding="utf-8") as f:
                if f.read() != cleaned_text(path):
                    dirty.append(path)
        elif clean(path):
            print(f"cleaned {path}")
    for path in dirty:
        print(f"not clean: {path} (run scripts/clean_notebooks.py)", file=sys.stderr)
    return 1 if dirty else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
