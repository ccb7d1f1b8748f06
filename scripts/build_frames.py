"""Live demos on the static site, with no kernel: every figure state drawn in advance by Python.

    python scripts/build_frames.py SITE_DIR NOTEBOOK...    (render the frames of these notebooks' demos)

A notebook's demo output carries the demo's recipe (``demos.RECIPE_MIME``: the
demo function and its arguments). At build time this module rebuilds each demo
with the same code as JupyterLab, moves its controls through a grid of
positions (every step of the main slider, a product grid over the other live
controls within ``FRAME_BUDGET`` frames), and saves, for each state, the
figure as a lossless WebP file and the demo's description of that state.

Each demo's output on the page becomes plain HTML (:func:`snippet`): native
controls (range inputs, selects, checkboxes), the figure, the description in
a polite live region and the caption, with a small JSON manifest (control
values -> frame file, description and detail panels). ``frames.js``, a few
dozen lines of vanilla JavaScript written next to the frames, binds the
controls to the frames: a frame is fetched only when it is needed or about to
be (the neighbours of the current state, once a control has focus), so a
page's first load holds one figure per demo. Controls the page cannot vary
are shown disabled, with a note that the notebook can change them.

Python stays the only source of every figure: the JavaScript only swaps files. Frames are cached
in build/frames-cache/ by recipe and by a digest of src/, data/ and this script, so a rebuild redraws only
the demos whose code or data changed.
``scripts/build_html.py`` calls :func:`live_demos` on each executed notebook
before exporting it (one marked hook).
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import itertools
import json
import math
import shutil
import sys
from pathlib import Path

import nbformat

#: Most frames drawn for one demo. The largest demos (mg_block, occupancy,
#: plasma_curve) reach it; BENCHMARKS.md ("Static site") has the measured sizes.
FRAME_BUDGET = 160
#: Where the frames go, under the site folder.
FRAMES_DIR = "frames"
CONTROLLER = "frames.js"
#: Frames already drawn, by recipe and by the code and data that draw them (reused by the next build).
CACHE = Path(__file__).resolve().parents[1] / "build" / "frames-cache"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: Controls kept fixed on the static page whatever the budget: their options depend
#: on other controls (the timeline's filters), or they multiply the frames for
#: little teaching (the plasma demo's body weight and model).
FIXED = {
    "timeline": None,  # None: everything but the "live" list below is fixed
    "plasma_curve": ("weight_kg", "model"),
}
LIVE_ONLY = {"timeline": ("milestone",)}


# ---------------------------------------------------------------------------------------------- plan

def _slider_values(control) -> list:
    import ipywidgets as W

    if isinstance(control, W.FloatLogSlider):
        n = int(round((control.max - control.min) / control.step))
        values = [float(f"{control.base ** (control.min + k * control.step):.6g}") for k in range(n + 1)]
    else:
        n = int(round((control.max - control.min) / control.step))
        values = [control.min + k * control.step for k in range(n + 1)]
        values = [int(v) if isinstance(control, W.IntSlider) else float(f"{v:.10g}") for v in values]
    if not any(math.isclose(v, control.value, rel_tol=1e-9, abs_tol=1e-12) for v in values):
        values = sorted(values + [control.value])  # the notebook's default is always a frame
    return values


def _slider_label(control, value) -> str:
    fmt = getattr(control, "readout_format", "") or ""
    try:
        return format(value, fmt) if fmt else f"{value:g}"
    except (ValueError, TypeError):
        return str(value)


def control_spec(name: str, control) -> dict:
    """How one ipywidgets control appears on the static page: kind, label, values, default."""
    import ipywidgets as W

    label = (getattr(control, "description", "") or name.replace("_", " ")).strip()
    spec = {"name": name, "label": label, "live": True, "note": ""}
    if isinstance(control, (W.FloatSlider, W.IntSlider, W.FloatLogSlider)):
        values = _slider_values(control)
        spec.update(kind="range", slider=True, values=values, labels=[_slider_label(control, v) for v in values])
    elif isinstance(control, (W.Dropdown, W.ToggleButtons, W.Select, W.RadioButtons)):
        spec.update(kind="select", slider=False, values=list(control._options_values),
                    labels=[str(x) for x in control._options_labels])
    elif isinstance(control, (W.ToggleButton, W.Checkbox)):
        spec.update(kind="checkbox", slider=False, values=[False, True], labels=["off", "on"])
    else:  # range sliders, text boxes...: shown at their value, disabled
        value = control.value
        spec.update(kind="fixed", slider=False, values=[value],
                    labels=[" to ".join(map(str, value)) if isinstance(value, (tuple, list)) else str(value)])
        spec["live"] = False
    spec["default"] = next(i for i, v in enumerate(spec["values"])
                           if v == control.value or (isinstance(v, float) and isinstance(control.value, float)
                                                     and math.isclose(v, control.value, rel_tol=1e-9)))
    return spec


def _fix(spec: dict) -> None:
    """Keep a control at its default on the static page."""
    spec["values"], spec["labels"] = [spec["values"][spec["default"]]], [spec["labels"][spec["default"]]]
    spec["default"], spec["live"] = 0, False


def _thin(spec: dict, keep: int) -> bool:
    """Keep about ``keep`` evenly spaced slider values (ends and default kept); True if it shrank."""
    n = len(spec["values"])
    stride = max(1, math.ceil((n - 1) / max(1, keep - 1)))
    chosen = sorted(set(range(0, n, stride)) | {n - 1, spec["default"]})
    if len(chosen) >= n:
        return False
    default_value = spec["values"][spec["default"]]
    spec["values"] = [spec["values"][i] for i in chosen]
    spec["labels"] = [spec["labels"][i] for i in chosen]
    spec["default"] = spec["values"].index(default_value)
    return True


def plan(demo_name: str, demo, budget: int = FRAME_BUDGET) -> list[dict]:
    """Control specs for a demo's static page: which controls vary, over which values, within ``budget`` frames.

    Every step of the main control (the first slider, else the first control)
    if the budget allows; the other live controls form a product grid. Over
    budget, other sliders are thinned first, then the main slider, then the
    last discrete controls are fixed at their defaults.
    """
    specs = [control_spec(n, c) for n, c in demo.controls.items()]
    fixed = FIXED.get(demo_name, ())
    only = LIVE_ONLY.get(demo_name)
    for spec in specs:
        if spec["live"] and ((fixed and spec["name"] in fixed) or (only is not None and spec["name"] not in only)):
            _fix(spec)
    live = [s for s in specs if s["live"]]
    main = next((s for s in live if s["slider"]), live[0] if live else None)

    def frames() -> int:
        return math.prod(len(s["values"]) for s in specs)

    while frames() > budget:
        rest = frames()
        sliders = sorted((s for s in live if s["slider"] and s is not main and len(s["values"]) > 3),
                         key=lambda s: -len(s["values"]))
        if sliders and _thin(sliders[0], max(3, budget * len(sliders[0]["values"]) // rest)):
            continue
        if main is not None and main["slider"] and len(main["values"]) > 3 and \
                _thin(main, max(3, budget * len(main["values"]) // rest)):
            continue
        discrete = [s for s in live if s["live"] and s is not main]
        if not discrete:
            break
        _fix(discrete[-1])
    for spec in specs:
        if not spec["live"]:
            spec["note"] = "fixed here; change it in the notebook (JupyterLab)"
    return specs


# ---------------------------------------------------------------------------------------------- render

def encode(png: bytes) -> bytes:
    """The frame as lossless WebP: pixel-identical, about 40% of the PNG (BENCHMARKS.md, "Static site")."""
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).save(out, format="webp", lossless=True, quality=80, method=4)
    return out.getvalue()


def walk(demo, specs: list[dict]):
    """Move ``demo`` through every planned state (:func:`plan`); yields once each state is drawn."""
    for combo in itertools.product(*(range(len(s["values"])) for s in specs)):
        demo.set(**{s["name"]: s["values"][i] for s, i in zip(specs, combo) if s["live"]})
        yield


def render(recipe: dict, folder: Path, budget: int = FRAME_BUDGET) -> dict:
    """Draw every planned state of one demo into ``folder``; return its manifest."""
    import ipywidgets as W

    from ketamine_course import demos

    demo = getattr(demos, recipe["demo"])(**recipe["arguments"])
    specs = plan(recipe["demo"], demo, budget)
    extras_widgets = [w for w in demo.extra if isinstance(w, W.HTML)]
    extras, extra_index, frames = [], {}, []
    folder.mkdir(parents=True, exist_ok=True)
    for _ in walk(demo, specs):
        data = encode(demo.image.value)
        name = hashlib.sha1(data).hexdigest()[:16] + ".webp"
        if not (folder / name).exists():
            (folder / name).write_bytes(data)
        shown = []
        for w in extras_widgets:
            if w.value not in extra_index:
                extra_index[w.value] = len(extras)
                extras.append(w.value)
            shown.append(extra_index[w.value])
        frames.append([name, demo.description, shown])
    from ketamine_course.demos.base import css_size

    # Frames are drawn at PIXEL_DENSITY device pixels per CSS pixel: the page shows them at the CSS size.
    size = css_size(demo.figure, demo.presenting)
    return {"demo": recipe["demo"], "caption": demo.caption, "controls": specs, "frames": frames,
            "extras": extras, "width": size[0], "height": size[1]}


@functools.lru_cache(maxsize=1)
def _sources_digest() -> str:
    """A digest of everything a frame depends on: the package, the data and this script."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha1(Path(__file__).read_bytes())
    for folder in (root / "src" / "ketamine_course", root / "data"):
        for f in sorted(folder.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                digest.update(f.relative_to(root).as_posix().encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()


def cached_render(recipe: dict, folder: Path, budget: int = FRAME_BUDGET) -> dict:
    """:func:`render` through ``CACHE``: a demo whose recipe, code and data are unchanged is not redrawn."""
    key = hashlib.sha1(json.dumps([recipe, budget, _sources_digest()], sort_keys=True).encode()).hexdigest()[:20]
    stored = CACHE / key
    done = stored / "manifest.json"
    if not done.exists():
        if stored.exists():
            shutil.rmtree(stored)
        manifest = render(recipe, stored, budget)
        done.write_text(json.dumps(manifest, separators=(",", ":")), encoding="utf-8")  # written last: complete
    manifest = json.loads(done.read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    for name in {f[0] for f in manifest["frames"]}:
        shutil.copy2(stored / name, folder / name)
    return manifest


# ---------------------------------------------------------------------------------------------- page

_STYLE = """<style>
.kc-demo { margin: 0.5em 0 1em; max-width: 100%; }
.kc-demo .kc-controls { display: flex; flex-wrap: wrap; gap: 0.4em 1.5em; align-items: center; margin-bottom: 0.4em; }
.kc-demo .kc-control { display: flex; flex-wrap: wrap; gap: 0.4em; align-items: center; }
.kc-demo input[type=range] { width: min(260px, 70vw); min-height: 28px; }
.kc-demo select { max-width: min(420px, 85vw); min-height: 32px; font-size: 100%; }
.kc-demo input[type=checkbox] { width: 20px; height: 20px; flex: none; }
.kc-demo .kc-check { flex-wrap: nowrap; align-items: flex-start; }
.kc-demo .kc-check label { min-width: 0; }
.kc-demo output { font-variant-numeric: tabular-nums; min-width: 3.5em; }
.kc-demo .kc-note { color: #555; font-size: 0.9em; font-style: italic; }
.kc-demo img.course-figure { display: block; max-width: 100%; height: auto; }
.kc-demo .kc-description { font-weight: 600; margin: 0.4em 0; }
.kc-demo figcaption { font-style: italic; margin: 0.3em 0; }
</style>"""


def snippet(manifest: dict, base: str, uid: str, controller: str | None = None) -> str:
    """The HTML that replaces one demo's widget on the static page (``base``: URL folder of its frames)."""
    esc = html.escape
    parts = []
    for spec in manifest["controls"]:
        cid = f"{uid}-{spec['name']}"
        default, label = spec["default"], esc(spec["label"])
        disabled = "" if spec["live"] else f' disabled aria-disabled="true" aria-describedby="{cid}-note"'
        note = f'<span class="kc-note" id="{cid}-note">({esc(spec["note"])})</span>' if spec["note"] else ""
        if spec["kind"] == "range" and spec["live"]:
            n = len(spec["values"]) - 1
            parts.append(
                f'<div class="kc-control"><label for="{cid}">{label}</label>'
                f'<input type="range" id="{cid}" data-control="{esc(spec["name"])}" min="0" max="{n}" step="1" '
                f'value="{default}" aria-valuetext="{esc(spec["labels"][default])}">'
                f'<output for="{cid}" aria-hidden="true">{esc(spec["labels"][default])}</output></div>')
        elif spec["kind"] == "checkbox" and spec["live"]:
            checked = " checked" if spec["values"][default] else ""
            parts.append(f'<div class="kc-control kc-check"><input type="checkbox" id="{cid}" '
                         f'data-control="{esc(spec["name"])}"{checked}><label for="{cid}">{label}</label></div>')
        else:
            options = "".join(f'<option value="{i}"{" selected" if i == default else ""}>{esc(text)}</option>'
                              for i, text in enumerate(spec["labels"]))
            if spec["kind"] == "checkbox":
                options = f'<option selected>{"on" if spec["values"][0] else "off"}</option>'
            parts.append(f'<div class="kc-control"><label for="{cid}">{label}</label>'
                         f'<select id="{cid}" data-control="{esc(spec["name"])}"{disabled}>{options}</select>'
                         f'{note}</div>')
    first = manifest["frames"][_default_index(manifest)]
    extras = "".join(f'<div class="kc-extra">{manifest["extras"][i]}</div>' for i in first[2])
    live = any(s["live"] for s in manifest["controls"])
    how = ("On this page the controls switch between figures drawn in advance by the course's Python code."
           if live else "")
    data = json.dumps({"base": base, "controls": [{"name": s["name"], "n": len(s["values"]), "live": s["live"],
                                                     "default": s["default"], "labels": s["labels"]}
                                                    for s in manifest["controls"]],
                       "frames": manifest["frames"], "extras": manifest["extras"]}, separators=(",", ":"))
    data = data.replace("</", "<\\/")
    script = f'<script src="{controller}" defer></script>' if controller else ""
    return (f'{_STYLE if controller else ""}<figure class="kc-demo" id="{uid}" data-demo="{esc(manifest["demo"])}">'
            f'<div class="kc-controls">{"".join(parts)}</div>'
            f'<img class="course-figure" src="{esc(base + first[0])}" alt="{esc(first[1])}" '
            f'width="{manifest["width"]}" height="{manifest["height"]}">'
            f'<p class="kc-description" role="status" aria-live="polite">{esc(first[1])}</p>'
            f'<figcaption>{esc(manifest["caption"])} <span class="kc-note">{how}</span></figcaption>'
            f'<div class="kc-extras">{extras}</div>'
            f'<script type="application/json" class="kc-manifest">{data}</script></figure>{script}')


def _default_index(manifest: dict) -> int:
    k = 0
    for spec in manifest["controls"]:
        k = k * len(spec["values"]) + spec["default"]
    return k


CONTROLLER_JS = r"""// Static-site demos: bind each demo's controls to frames drawn in advance by Python.
// Written by scripts/build_frames.py. No dependencies; no network beyond this site.
(function () {
  'use strict';
  if (window.courseFrames) { return; }
  window.courseFrames = {ready: 0};
  function setUp(figure) {
    var m = JSON.parse(figure.querySelector('script.kc-manifest').textContent);
    var img = figure.querySelector('img.course-figure');
    var said = figure.querySelector('.kc-description');
    var extras = figure.querySelector('.kc-extras');
    var inputs = m.controls.map(function (c) {
      return c.live ? figure.querySelector('[data-control="' + c.name + '"]') : null;
    });
    var cache = {};
    function position(i) {
      var el = inputs[i];
      if (!el) { return m.controls[i].default; }
      if (el.type === 'checkbox') { return el.checked ? 1 : 0; }
      if (el.tagName === 'SELECT') { return el.selectedIndex; }
      return +el.value;
    }
    function index(shift, by) {
      var k = 0;
      for (var i = 0; i < m.controls.length; i++) {
        var p = position(i) + (i === shift ? by : 0);
        if (p < 0 || p >= m.controls[i].n) { return -1; }
        k = k * m.controls[i].n + p;
      }
      return k;
    }
    function fetchFrame(k) {
      if (k < 0 || cache[k]) { return; }
      var pic = new Image();
      pic.src = m.base + m.frames[k][0];
      cache[k] = pic;
    }
    function neighbours() {
      for (var i = 0; i < inputs.length; i++) {
        if (!inputs[i]) { continue; }
        var n = m.controls[i].n;
        var steps = inputs[i].tagName === 'SELECT' || inputs[i].type === 'checkbox' ? n : 2;
        for (var d = 1; d < steps || d === 1; d++) { fetchFrame(index(i, d)); fetchFrame(index(i, -d)); }
      }
    }
    function show() {
      var frame = m.frames[index(-1, 0)];
      img.src = m.base + frame[0];
      img.alt = frame[1];
      said.textContent = frame[1];
      if (frame[2].length || extras.childElementCount) {
        extras.innerHTML = frame[2].map(function (e) { return '<div class="kc-extra">' + m.extras[e] + '</div>'; }).join('');
      }
      inputs.forEach(function (el, i) {
        if (el && el.type === 'range') {
          var text = m.controls[i].labels[+el.value];
          el.setAttribute('aria-valuetext', text);
          if (el.nextElementSibling) { el.nextElementSibling.textContent = text; }
        }
      });
      neighbours();
    }
    inputs.forEach(function (el) {
      if (el) { el.addEventListener(el.type === 'range' ? 'input' : 'change', show); }
    });
    figure.addEventListener('focusin', neighbours);
    window.courseFrames.ready += 1;
  }
  function start() { document.querySelectorAll('figure.kc-demo').forEach(setUp); }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
}());
"""


# ---------------------------------------------------------------------------------------------- notebooks

def demo_outputs(nb) -> list[tuple[int, int, dict]]:
    """(cell index, output index, recipe) for every demo output of a notebook."""
    from ketamine_course.demos import RECIPE_MIME

    found = []
    for c, cell in enumerate(nb.cells):
        for o, out in enumerate(cell.get("outputs", []) if cell.cell_type == "code" else []):
            recipe = out.get("data", {}).get(RECIPE_MIME)
            if recipe:
                found.append((c, o, recipe))
    return found


def _referenced(state: dict, roots: list[str]) -> set[str]:
    """Widget models reachable from ``roots`` through "IPY_MODEL_..." references."""
    seen, todo = set(), list(roots)
    while todo:
        mid = todo.pop()
        if mid in seen or mid not in state:
            continue
        seen.add(mid)
        text = json.dumps(state[mid].get("state", {}))
        todo += [part.split('"')[0] for part in text.split("IPY_MODEL_")[1:]]
    return seen


def prune_widget_state(nb) -> None:
    """Drop saved widget models that no remaining widget output uses (the demos' PNGs among them)."""
    saved = nb.metadata.get("widgets", {}).get(WIDGET_STATE)
    if not saved:
        return
    roots = [out["data"][WIDGET_VIEW]["model_id"] for cell in nb.cells if cell.cell_type == "code"
             for out in cell.get("outputs", []) if WIDGET_VIEW in out.get("data", {})]
    keep = _referenced(saved["state"], roots)
    if not keep:
        del nb.metadata["widgets"]
    else:
        saved["state"] = {k: v for k, v in saved["state"].items() if k in keep}


def live_demos(nb, site: Path, stem: str, budget: int = FRAME_BUDGET) -> "nbformat.NotebookNode":
    """Render ``nb``'s demos into ``site/frames/<stem>/`` and put their live static HTML in its outputs.

    Returns the same notebook node, changed in place: each demo output becomes
    text/html (:func:`snippet`), and saved widget state that only those demos
    used is dropped, so the page carries neither their widgets nor their PNGs.
    """
    found = demo_outputs(nb)
    folder = Path(site) / FRAMES_DIR / stem
    if folder.exists():
        shutil.rmtree(folder)
    if not found:
        return nb
    (Path(site) / FRAMES_DIR).mkdir(parents=True, exist_ok=True)
    (Path(site) / FRAMES_DIR / CONTROLLER).write_text(CONTROLLER_JS, encoding="utf-8")
    for n, (c, o, recipe) in enumerate(found):
        manifest = cached_render(recipe, folder, budget)
        uid = f"kc-{stem[:2]}-{n + 1}"
        (folder / f"{uid}.json").write_text(json.dumps(manifest, separators=(",", ":")), encoding="utf-8")
        out = nb.cells[c].outputs[o]
        text = out["data"].get("text/plain", "")
        out["data"] = {"text/html": snippet(manifest, f"{FRAMES_DIR}/{stem}/", uid,
                                            controller=f"{FRAMES_DIR}/{CONTROLLER}" if n == 0 else None),
                       "text/plain": text}
        out["metadata"] = {}
        print(f"  {stem}: {recipe['demo']}: {len(manifest['frames'])} states, "
              f"{len({f[0] for f in manifest['frames']})} distinct frames", flush=True)
    prune_widget_state(nb)
    return nb


def build_frames(site_dir: Path, notebooks: list[Path], budget: int = FRAME_BUDGET) -> None:
    """Render the demo frames of executed ``notebooks`` into ``site_dir`` (without exporting pages)."""
    for path in notebooks:
        live_demos(nbformat.read(path, as_version=4), Path(site_dir), Path(path).stem, budget)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    build_frames(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])
