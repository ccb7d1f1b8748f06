"""Build a reveal.js slide deck for every notebook, fully offline.

    python scripts/build_slides.py SLIDES_DIR NPM_PREFIX NOTEBOOK...

1. Each notebook is executed into build/executed/ (nbconvert's
   ExecutePreprocessor, widget state stored), so the demos on the slides show
   their controls and default figure even though the committed notebooks keep
   no widget state. A notebook is executed again only when it, the package, the data
   or the figures changed since the last run.
2. The executed copy is cut into slides here, whatever slideshow metadata the
   notebook carries: every ``#``/``##`` heading starts a slide, every ``###``
   heading a vertical sub-slide (a heading in the middle of a cell too), and
   a section whose estimated height exceeds the slide's (1280 x 720 CSS px)
   continues on further sub-slides. Demos, images and worked solutions are
   measured from the notebook (PNG sizes, lines of text). Exercise code
   cells, with their "Not yet ..." output, are left off the slides, and
   "*About N minutes to here.*" lines become notes.
3. Each section gets speaker notes (reveal.js, press S) taken from the
   notebook's part of docs/instructor_guide.md: objectives on the title slide,
   the timing rows that name the section on its first slide, discussion and
   misconceptions on the summary slide, the quiz row on "Check yourself".

reveal.js (with its notes plugin), jQuery, require.js, the widget HTML manager
and MathJax come from NPM_PREFIX/node_modules (installed from the npm
registry by ``make slides``) and are copied into SLIDES_DIR/lib, so no deck,
and no speaker view, loads anything from another host.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import re
import shutil
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter
from nbconvert.preprocessors import ExecutePreprocessor

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import build_html  # noqa: E402  (shares the library copying with the static site)

REVEAL_PREFIX = "lib/reveal.js"
JQUERY_URL = "lib/jquery.min.js"
EXECUTED = ROOT / "build" / "executed"
GUIDE = ROOT / "docs" / "instructor_guide.md"

#: The slide's size in CSS px; reveal.js scales it to the window (1280 x 720 and 1024 x 768 projectors).
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
#: Height available to a slide's content, leaving a margin for rounding in the estimates below.
BUDGET = 650


# --------------------------------------------------------------------------------------------------
# 1. Execute the notebooks (widget state stored) into build/executed/
# --------------------------------------------------------------------------------------------------

def _inputs_digest(path: Path) -> str:
    """A digest of everything a notebook's outputs depend on: itself, the package and the data."""
    h = hashlib.sha256(path.read_bytes())
    for folder in (ROOT / "src" / "ketamine_course", ROOT / "data", ROOT / "figures"):
        for f in sorted(folder.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(ROOT)).encode())
                h.update(f.read_bytes())
    return h.hexdigest()


def execute(path: Path, out_dir: Path = EXECUTED) -> Path:
    """Run ``path`` top to bottom into ``out_dir`` with the widget state stored; reuse an up-to-date run."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target, stamp = out_dir / path.name, out_dir / f"{path.stem}.sha256"
    digest = _inputs_digest(path)
    if target.is_file() and stamp.is_file() and stamp.read_text().strip() == digest:
        return target
    nb = nbformat.read(path, as_version=4)
    ep = ExecutePreprocessor(timeout=600, kernel_name="python3", store_widget_state=True)
    ep.preprocess(nb, {"metadata": {"path": str(path.resolve().parent)}})
    nbformat.write(nb, target)
    stamp.write_text(digest + "\n")
    print(f"executed {path} -> {target}")
    return target


# --------------------------------------------------------------------------------------------------
# 2. Speaker notes from the instructor guide
# --------------------------------------------------------------------------------------------------

@dataclass
class GuideEntry:
    """One notebook's part of the instructor guide."""
    title: str
    intro: list[str] = field(default_factory=list)        # objectives and other paragraphs
    rows: list[tuple[str, str]] = field(default_factory=list)   # (minutes, activity)
    closing: list[str] = field(default_factory=list)      # discussion, misconceptions


def parse_guide(text: str) -> dict[str, GuideEntry]:
    """Split docs/instructor_guide.md into one entry per notebook, keyed by its number ("00" ... "06"),
    plus its opening paragraphs under the key ""."""
    entries: dict[str, GuideEntry] = {}
    # The guide's opening paragraphs (the disclaimer, the content note) go to every title slide, under key "".
    current: GuideEntry | None = GuideEntry("")
    entries[""] = current
    block: list[str] | None = current.intro
    for line in text.splitlines():
        if line.startswith("# "):
            continue
        heading = re.match(r"^##\s+(\d\d)\s*·\s*(.+)$", line)
        if heading:
            current = entries[heading.group(1)] = GuideEntry(heading.group(2).strip())
            block = current.intro
            continue
        if line.startswith("## "):
            current = block = None
            continue
        if current is None:
            continue
        row = re.match(r"^\|\s*(\d[\d\s–-]*?)\s*\|\s*(.+?)\s*\|\s*$", line)
        if row:
            current.rows.append((row.group(1), row.group(2)))
            continue
        if line.startswith("|"):
            continue  # table header and rule
        if re.match(r"^\*\*(Discussion|Misconceptions)\.\*\*", line):
            block = current.closing
        if block is not None:
            block.append(line)
    return entries


def _paragraphs(lines: list[str]) -> str:
    return "\n".join(lines).strip()


_NUMBERED = re.compile(r"(?:Think!|Interactive demo|[Dd]emo|Exercise|Section)\s+(\d+)(?:\.\d+)?")
_WORD = re.compile(r"[a-z]{4,}")
_COMMON = {"with", "from", "that", "this", "what", "which", "their", "about", "into", "ketamine", "interactive",
           "demo", "think", "section", "exercise", "between", "versus"}


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.lower())} - _COMMON


def assign_rows(rows: list[tuple[str, str]], sections: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Give each timing row of the guide to the slide it is about.

    ``sections`` lists (key, text) in notebook order, the key being "title",
    "1", "2", ..., "summary" or "quiz" and the text the section's heading line
    followed by its prose and code. A row goes to the section it names
    ("Think! 2.2", "Section 3", "Exercise 3.1"), the quiz row to "quiz", and any
    other row to the numbered section whose text shares the most words with it
    (the earliest of equals), among those not before the previous row's section:
    the guide's rows run in notebook order. A row with nothing to go on follows
    the row before it; the first one goes to the title slide.
    """
    keys = [key for key, _ in sections]
    out: dict[str, list[str]] = {key: [] for key in keys}
    previous = "title"
    for minutes, activity in rows:
        key = None
        found = [m for m in _NUMBERED.findall(activity) if m in out]
        if found:
            key = found[0]
        elif re.search(r"\bquiz\b", activity, re.I) and "quiz" in out:
            key = "quiz"
        else:
            words, start = _words(activity), keys.index(previous)
            scores = []
            for k, text in sections[start:]:
                if k.isdigit():
                    scores.append((len(words & _words(text)), k))
            best = max(scores, key=lambda sk: sk[0], default=(0, None))
            if best[0] > 0:
                key = best[1]
        key = key or previous
        out[key].append(f"- **{minutes} min**: {activity}")
        previous = key
    return out


# --------------------------------------------------------------------------------------------------
# 3. Cutting a notebook into slides
# --------------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"^\s*\w[\w\s,]*=\s*\.\.\.", re.M)
_TIMING = re.compile(r"^\s*\*About \d+ minutes to here\.\*\s*$")

# Estimated heights in CSS px at the slide's size, calibrated against chromium's layout of the decks;
# tests/e2e/test_slides_fit.py checks the result at 1280x720 and 1024x768.
CHARS_PER_LINE = 115      # prose at 20 px in a 1280 px slide
LINE = 31                 # one line of prose
CODE_LINE = 27            # one line of code or printed text
CODE_PAD = 40             # a code cell's padding and borders
PARAGRAPH_GAP = 20
HEADING = {1: 110, 2: 80, 3: 62}
TABLE_ROW = 42
DEMO_EXTRA = 56           # a demo's detail panel or source table scrolls in a box this tall (one header line) on a slide
CONTINUED = 36            # the "... (continued)" line atop a sub-slide
#: The tallest an image or a demo's figure is shown on a slide (CSS in the template uses the same value).
MAX_FIGURE = 380
MAX_FIGURE_WIDTH = 1100


def is_exercise_code(cell) -> bool:
    """An exercise's code cell: a ``name = ...`` placeholder or a call to an exercise checker."""
    return cell.cell_type == "code" and bool(_PLACEHOLDER.search(cell.source) or "exercises.check_" in cell.source)


def _png_size(b64: str) -> tuple[int, int]:
    head = base64.b64decode(b64[:64])
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return 640, 480
    return struct.unpack(">II", head[16:24])


def _shown_height(width: float, height: float, max_h: float = MAX_FIGURE) -> float:
    scale = min(1.0, MAX_FIGURE_WIDTH / width, max_h / height)
    return height * scale


def _text_height(text: str, chars: int = CHARS_PER_LINE, line: int = LINE) -> float:
    h = 0.0
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [ln for ln in para.splitlines() if ln.strip()]
        if not lines:
            continue
        if all(ln.lstrip().startswith("|") for ln in lines):
            h += TABLE_ROW * max(1, len(lines) - 1) + PARAGRAPH_GAP
            continue
        for ln in lines:
            m = re.match(r"^(#{1,6})\s", ln)
            if m:
                h += HEADING.get(len(m.group(1)), 50)
                continue
            plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", ln)      # links show their text only
            plain = re.sub(r"<[^>]+>|[*_`$]", "", plain)
            h += line * max(1, -(-len(plain) // chars))
        h += PARAGRAPH_GAP
    return h


def _stored_png(model: dict) -> str:
    """An Image model's PNG (base64): a binary buffer, kept beside the state ("buffers"), not in it."""
    value = model.get("state", {}).get("value")
    stored = [b.get("data", "") for b in model.get("buffers", []) if b.get("path") == ["value"]]
    return value if isinstance(value, str) else (stored[0] if stored else "")


def _is_caption(model_id: str, state: dict) -> bool:
    """A demo's caption: an HTML widget holding a ``role='note'`` paragraph (shown in full on a slide)."""
    value = str(state.get(model_id, {}).get("state", {}).get("value", ""))
    return "role='note'" in value or 'role="note"' in value


def _widget_height(model_id: str, state: dict) -> float:
    """Height of a saved widget view: a demo box is its controls, figure and caption."""
    model = state.get(model_id, {})
    name, s = model.get("model_name", ""), model.get("state", {})
    if name == "ImageModel":
        b64 = _stored_png(model)
        w, h = _png_size(b64) if b64 else (640, 480)
        layout = state.get(str(s.get("layout", "")).replace("IPY_MODEL_", ""), {}).get("state", {})
        css_w = re.match(r"(\d+)px", str(layout.get("width") or ""))
        if css_w:
            w, h = int(css_w.group(1)), h * int(css_w.group(1)) / w
        return _shown_height(w, h) + 10
    if name in ("HTMLModel", "HTMLMathModel", "LabelModel"):
        text = re.sub(r"<[^>]+>", " ", str(s.get("value", "")))
        rows = len(re.findall(r"<tr", str(s.get("value", ""))))
        return 24 * max(1, -(-len(text) // 110)) + TABLE_ROW * rows + 10
    children = [c.replace("IPY_MODEL_", "") for c in s.get("children", [])]
    if name == "VBoxModel":
        parts = [_widget_height(c, state) for c in children]
        figure = any("course-figure" in state.get(c, {}).get("state", {}).get("_dom_classes", []) for c in children)
        if figure:      # a demo: what follows its caption scrolls in a box of DEMO_EXTRA px (see the template)
            captions = [_is_caption(c, state) for c in children]
            parts = parts[:3] + [p if caption else min(p, DEMO_EXTRA) for p, caption in zip(parts[3:], captions[3:])]
        return sum(parts) + 8
    if name in ("HBoxModel", "GridBoxModel"):
        # Controls side by side wrap onto further rows when they are wider than the slide together.
        rows = max(1, -(-sum(_widget_width(c, state) for c in children) // (SLIDE_WIDTH - 80)))
        return rows * max((_widget_height(c, state) for c in children), default=0) + 8
    if name in ("RadioButtonsModel", "SelectMultipleModel", "SelectModel"):
        return 30 * max(1, len(s.get("_options_labels", []))) + 8
    if name == "AccordionModel" or name == "TabModel":
        return 45 * max(1, len(children))
    if name == "OutputModel":
        return sum(_output_height(o, state) for o in s.get("outputs", []))
    return 40   # a slider, dropdown, toggle, button...


def _widget_width(model_id: str, state: dict) -> float:
    model = state.get(model_id, {})
    s = model.get("state", {})
    layout = state.get(str(s.get("layout", "")).replace("IPY_MODEL_", ""), {}).get("state", {})
    px = re.match(r"(\d+)px", str(layout.get("width") or ""))
    if px:
        return int(px.group(1)) + 8
    labels = s.get("_options_labels") or []
    if model.get("model_name") == "ToggleButtonsModel":
        return sum(10 * len(x) + 40 for x in labels)
    return 10 * len(str(s.get("description", ""))) + 60


def _output_height(out, state: dict) -> float:
    data = out.get("data", {})
    if out.get("output_type") == "stream":
        return CODE_LINE * out.get("text", "").count("\n") + 16
    if "application/vnd.jupyter.widget-view+json" in data and state:
        return _widget_height(data["application/vnd.jupyter.widget-view+json"]["model_id"], state)
    if "image/png" in data:
        w, h = _png_size(data["image/png"])
        meta = out.get("metadata", {}).get("image/png", {})
        if meta.get("width"):
            w, h = meta["width"], h * meta["width"] / w
        return _shown_height(w, h) + 16
    if "image/svg+xml" in data:
        svg = data["image/svg+xml"]
        svg = svg if isinstance(svg, str) else "".join(svg)
        m = re.search(r'<svg[^>]*\swidth="([\d.]+)(?:pt|px)?"[^>]*\sheight="([\d.]+)(?:pt|px)?"', svg)
        w, h = (float(m.group(1)), float(m.group(2))) if m else (640, 480)
        return _shown_height(w * 4 / 3 if "pt" in svg[:400] else w, h * 4 / 3 if "pt" in svg[:400] else h) + 16
    if "text/html" in data:
        text = data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"])
        rows = len(re.findall(r"<tr", text))
        prose = re.sub(r"<tr.*?</tr>", "", text, flags=re.S)
        return TABLE_ROW * rows + _text_height(re.sub(r"<[^>]+>", " ", prose)) + 10
    if "text/markdown" in data:
        return _text_height(data["text/markdown"])
    if "text/plain" in data:
        return CODE_LINE * (data["text/plain"].count("\n") + 1) + 16
    return 0


def cell_height(cell, state: dict) -> float:
    if cell.cell_type == "markdown":
        src = cell.source
        if src.lstrip().startswith("<details"):
            # A worked solution: sized open, as an instructor shows it.
            code = re.findall(r"```.*?```", src, flags=re.S)
            code_lines = sum(c.count("\n") - 1 for c in code)
            prose = re.sub(r"```.*?```", "", src, flags=re.S)
            return _text_height(re.sub(r"<[^>]+>", " ", prose)) + CODE_LINE * code_lines + CODE_PAD * len(code)
        images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)|<img[^>]*src=\"([^\"]+)\"", src)
        h = _text_height(re.sub(r"!\[[^\]]*\]\([^)]*\)|<img[^>]*>", "", src))
        return h + MAX_FIGURE * len(images)
    if cell.cell_type == "code":
        h = 0 if cell.metadata.get("transient", {}).get("remove_source") else \
            CODE_LINE * (cell.source.count("\n") + 1) + CODE_PAD
        return h + sum(_output_height(o, state) for o in cell.get("outputs", []))
    return 0


_ITEM = re.compile(r"^(\d+\.|[-*+])\s")


def _markdown_blocks(src: str) -> list[str]:
    """Paragraphs, list items, tables and whole HTML/fenced blocks of a markdown text, in order."""
    blocks, current, depth, fence = [], [], 0, False

    def close():
        if current:
            blocks.append("\n".join(current))
            current.clear()

    for line in src.splitlines():
        if line.strip().startswith("```"):
            fence = not fence
        depth += len(re.findall(r"<details\b", line)) - len(re.findall(r"</details>", line))
        if not fence and depth <= 0 and not line.strip():
            close()
            continue
        if not fence and depth <= 0 and _ITEM.match(line) and current and _ITEM.match(current[0]):
            close()     # a new item of a list: lists may be cut between items
        current.append(line)
    close()
    return blocks


def _join(blocks: list[str]) -> str:
    """Blocks back into markdown: list items of one list stay a tight list."""
    text = blocks[0]
    for before, block in zip(blocks, blocks[1:]):
        tight = _ITEM.match(before) and _ITEM.match(block)
        text += ("\n" if tight else "\n\n") + block
    return text


def _chunks(items: list, height, budget: float) -> list[list]:
    """Consecutive runs of ``items`` whose summed ``height`` stays within ``budget`` (one item may exceed it)."""
    chunks, current, used = [], [], 0.0
    for item in items:
        h = height(item)
        if current and used + h > budget:
            chunks.append(current)
            current, used = [], 0.0
        current.append(item)
        used += h
    if current:
        chunks.append(current)
    return chunks


def _inherit(cell, parts: list) -> list:
    """The cells a cell was cut into keep its metadata (not its slide type) and its attachments."""
    for new in parts:
        new.metadata.update({k: v for k, v in cell.metadata.items() if k != "slideshow"})
        if cell.get("attachments"):
            new.attachments = cell.attachments     # whichever part shows an attached image finds it
    return parts


def split_cell(cell, state: dict, budget: float = BUDGET) -> list:
    """A cell taller than a slide, cut into cells that each fit: markdown between paragraphs or list
    items, a code cell between its outputs (a figure stays with the caption displayed after it)."""
    if cell_height(cell, state) <= budget:
        return [cell]
    if cell.cell_type == "markdown":
        chunks = _chunks(_markdown_blocks(cell.source),
                         lambda b: cell_height(nbformat.v4.new_markdown_cell(b), state), budget)
        cells = [nbformat.v4.new_markdown_cell(_join(blocks)) for blocks in chunks]
    elif cell.cell_type == "code":
        groups: list[list] = []
        for out in cell.outputs:
            data = out.get("data", {})
            caption = set(data) <= {"text/html", "text/plain"} and "<em>Figure" in str(data.get("text/html", ""))
            if groups and caption:
                groups[-1].append(out)
            else:
                groups.append([out])
        chunks = _chunks(groups, lambda g: sum(_output_height(o, state) for o in g), budget)
        cells = []
        for i, chunk in enumerate(chunks):
            new = nbformat.v4.new_code_cell(cell.source if i == 0 else "")
            new.outputs = [o for group in chunk for o in group]
            new.execution_count = cell.execution_count
            cells.append(new)
    else:
        return [cell]
    return _inherit(cell, cells)


def split_at_headings(cell) -> list:
    """A markdown cell cut before every ``#`` to ``###`` heading that is not its first line.

    A notebook often ends a section's prose with the next activity's heading and introduction
    ("### Interactive demo 3.1 ..."); on its own that heading would sit at the foot of the slide
    above, while its demo opens the next one.
    """
    if cell.cell_type != "markdown" or cell.source.lstrip().startswith("<details"):
        return [cell]
    parts, current, fenced = [], [], False
    for line in cell.source.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and re.match(r"^#{1,3}\s", line) and any(x.strip() for x in current):
            parts.append("\n".join(current).strip("\n"))
            current = []
        current.append(line)
    parts.append("\n".join(current).strip("\n"))
    if len(parts) == 1:
        return [cell]
    return _inherit(cell, [nbformat.v4.new_markdown_cell(part) for part in parts])


def shows_only_its_result(cell) -> bool:
    """A code cell whose output is the point (a demo, a figure, a table): its code is hidden on the slide."""
    if cell.cell_type != "code":
        return False
    kinds = {k for o in cell.get("outputs", []) for k in o.get("data", {})}
    return bool(kinds & {"application/vnd.jupyter.widget-view+json", "image/png", "image/svg+xml", "text/html"})


def heading_level(cell) -> int:
    if cell.cell_type != "markdown":
        return 0
    m = re.match(r"^(#{1,3})\s", cell.source.lstrip())
    return len(m.group(1)) if m else 0


def section_key(heading: str) -> str:
    """"title", "1", "2", ..., "summary", "quiz", "references" or "other" for a slide's heading."""
    text = heading.lstrip("#").strip().lower()
    m = re.match(r"(\d+)\.", text)
    if m:
        return m.group(1)
    for key, word in (("summary", "summary"), ("quiz", "check yourself"), ("references", "references")):
        if text.startswith(word):
            return key
    return "other"


def _notes_cell(text: str):
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["slideshow"] = {"slide_type": "notes"}
    return cell


def section_notes(nb, number: str, guide: dict[str, GuideEntry]) -> dict[str, str]:
    """Speaker notes for each slide key of a notebook (see the module's docstring)."""
    entry = guide.get(number)
    if entry is None:
        return {}
    headings: list[tuple[str, str]] = []    # (key, heading line + the section's prose and code)
    for c in nb.cells:
        if heading_level(c) in (1, 2):
            first, _, rest = c.source.lstrip().partition("\n")
            headings.append(("title" if not headings else section_key(first), first.lstrip("#").strip() + "\n" + rest))
        elif headings:
            headings[-1] = (headings[-1][0], headings[-1][1] + "\n" + c.source)
    rows = assign_rows(entry.rows, headings)
    notes: dict[str, str] = {}
    for key, text in headings:
        heading = text.partition("\n")[0]
        parts = []
        if key == "title":
            parts.append(f"**{entry.title}** (instructor guide)\n\n{_paragraphs(entry.intro)}")
            opening = re.split(r"\n\s*\n", _paragraphs(guide[""].intro)) if "" in guide else []
            parts.extend(opening[1:])     # the first says what the guide is; the next ones are for every class
        if rows.get(key):
            parts.append("**Timing**\n\n" + "\n".join(rows[key]))
        if key == "summary" and entry.closing:
            parts.append(_paragraphs(entry.closing))
        if not parts:
            parts.append(f"*{heading}*: no timing row of its own in the instructor guide; "
                         "keep to the plan on the title slide's notes.")
        notes[key] = "\n\n".join(parts)
    return notes


def _plain_heading(cell) -> str:
    first = cell.source.lstrip().splitlines()[0].lstrip("#").strip()
    return re.sub(r"[*_`]", "", first)


def prepare(nb, guide: dict[str, GuideEntry], number: str) -> dict[str, int]:
    """Set every cell's slideshow metadata (see the module's docstring); returns counts for the build log."""
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    notes = section_notes(nb, number, guide)
    cells, counts = [], {"slides": 0, "subslides": 0, "skipped": 0}
    used = 0.0
    current, heading, section_heading = "title", None, None
    split = []
    for cell in nb.cells:
        if shows_only_its_result(cell):
            cell.metadata.setdefault("transient", {})["remove_source"] = True
        for part in split_at_headings(cell):
            split.extend(split_cell(part, state))
    for cell in split:
        cell.metadata.pop("slideshow", None)
        level = heading_level(cell)
        if is_exercise_code(cell):
            cell.metadata["slideshow"] = {"slide_type": "skip"}
            counts["skipped"] += 1
            cells.append(cell)
            continue
        if cell.cell_type == "markdown" and _TIMING.match(cell.source):
            cell.metadata["slideshow"] = {"slide_type": "notes"}
            cells.append(cell)
            continue
        h = cell_height(cell, state)
        if level in (1, 2):
            kind = "slide"
        elif level == 3 or used + h > BUDGET and used > 0:
            kind = "subslide"
        elif cell.cell_type == "markdown" and cell.source.lstrip().startswith("<details") and used > 0:
            kind = "subslide"    # a worked solution, shown open, gets a slide of its own
        else:
            kind = "-"
        continued = kind == "subslide" and level != 3 and heading is not None and h + CONTINUED <= BUDGET
        if kind != "-":
            counts["slides" if kind == "slide" else "subslides"] += 1
            used = 0.0
        if continued:
            # A sub-slide that carries on where the one above stopped says what it continues.
            line = nbformat.v4.new_markdown_cell(
                f'<p class="course-continued">{html_lib.escape(heading)} (continued)</p>')
            line.metadata["slideshow"] = {"slide_type": "subslide"}
            cells.append(line)
            cell.metadata["slideshow"] = {"slide_type": "-"}
            used += CONTINUED
        else:
            cell.metadata["slideshow"] = {"slide_type": kind}
        used += h
        cells.append(cell)
        if level in (1, 2):
            section_heading = heading = _plain_heading(cell)
        elif level == 3:
            heading = _plain_heading(cell)
        elif cell.cell_type == "markdown" and cell.source.lstrip().startswith("<details"):
            heading = section_heading     # a worked solution closes its activity; the section goes on
        if kind == "slide":
            current = "title" if not counts["slides"] - 1 else section_key(cell.source.lstrip().splitlines()[0])
            if notes.get(current):
                cells.append(_notes_cell(notes[current]))
        elif kind == "subslide" and notes:
            cells.append(_notes_cell(f"Continues *{_section_title(nb, current)}*; its plan is in the notes of "
                                     "the section's first slide (up)."))
    nb.cells = cells
    return counts


def _section_title(nb, key: str) -> str:
    for c in nb.cells:
        if heading_level(c) in (1, 2):
            first = c.source.lstrip().splitlines()[0]
            if section_key(first) == key or (key == "title" and heading_level(c) == 1):
                return first.lstrip("#").strip()
    return key


# --------------------------------------------------------------------------------------------------
# 4. Export
# --------------------------------------------------------------------------------------------------

def copy_slide_libraries(npm_prefix: Path, out: Path) -> None:
    modules = npm_prefix / "node_modules"
    if not (modules / "reveal.js" / "dist" / "reveal.js").is_file():
        raise SystemExit(f"error: {modules} lacks reveal.js; run `make slides`, which installs it from npm")
    build_html.copy_libraries(npm_prefix, out)
    reveal = out / REVEAL_PREFIX
    shutil.copytree(modules / "reveal.js" / "dist", reveal / "dist")
    shutil.copytree(modules / "reveal.js" / "plugin" / "notes", reveal / "plugin" / "notes")
    shutil.copy2(modules / "jquery" / "dist" / "jquery.min.js", out / JQUERY_URL)


def exporter() -> SlidesExporter:
    exp = SlidesExporter(template_name="course_reveal", extra_template_basedirs=[str(build_html.TEMPLATES)])
    exp.reveal_url_prefix = REVEAL_PREFIX
    exp.reveal_theme = "white"
    exp.reveal_scroll = False
    exp.jquery_url = JQUERY_URL
    exp.require_js_url = build_html.REQUIRE_JS_URL
    exp.widget_renderer_url = build_html.WIDGET_RENDERER_URL
    exp.mathjax_url = build_html.MATHJAX_URL
    return exp


def build(out: Path, npm_prefix: Path, notebooks: list[Path], executed: Path = EXECUTED) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    copy_slide_libraries(npm_prefix, out)
    guide = parse_guide(GUIDE.read_text(encoding="utf-8"))
    exp = exporter()
    decks = []
    for path in notebooks:
        nb = nbformat.read(execute(path, executed), as_version=4)
        counts = prepare(nb, guide, path.stem[:2])
        body, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": build_html.title_of(nb)}})
        deck = out / f"{path.stem}.slides.html"
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
        print(f"wrote {deck}: {counts['slides']} slides, {counts['subslides']} sub-slides, "
              f"{counts['skipped']} exercise cells left off")
    return decks


if __name__ == "__main__":
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    build(Path(sys.argv[1]), Path(sys.argv[2]), [Path(p) for p in sys.argv[3:]])
