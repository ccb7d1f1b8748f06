"""The slide decks from `make slides`, in chromium at projector sizes: everything fits, nothing goes online.

Each deck is served from a local HTTP server on 127.0.0.1 and opened with
request interception (any request to another host is recorded and aborted) at
1280x720 and at 1024x768. The test walks every slide, horizontal and vertical,
with every worked solution (<details>) open, and asserts that each visible
element's box lies inside the slide area (reveal.js does not scroll, so
anything outside is never seen). What an element with its own scroll box
hides counts as seen only through that box, which must itself fit. For every
demo on a slide, its controls, figure and caption must be there in full.
A screenshot of every slide goes to test-artifacts/slides/.

The speaker view (key S) must open, offline, with the notes the build took
from docs/instructor_guide.md.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ..conftest import NOTEBOOKS, ROOT
from .conftest import NOTEBOOK_IDS, free_port, require

pytestmark = pytest.mark.e2e

VIEWPORTS = [(1280, 720), (1024, 768)]
#: Rounding slack in CSS px (on the scaled slide) before an element counts as outside.
TOLERANCE = 1.5

FIT_JS = """(tolerance) => {
  const area = document.querySelector('.reveal .slides').getBoundingClientRect();
  const slide = Reveal.getCurrentSlide();
  const shown = (el) => {
    if (el.closest('aside.notes')) return false;
    const closed = el.closest('details:not([open])');
    if (closed && el !== closed && !el.closest('summary')) return false;
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0.5 && r.height > 0.5;
  };
  // The part of an element that can be seen: its box clipped by every ancestor that clips or scrolls.
  const seen = (el) => {
    const r = el.getBoundingClientRect();
    let [l, t, rt, b] = [r.left, r.top, r.right, r.bottom];
    for (let a = el.parentElement; a && a !== slide; a = a.parentElement) {
      const cs = getComputedStyle(a), ar = a.getBoundingClientRect();
      if (cs.overflowX !== 'visible') { l = Math.max(l, ar.left); rt = Math.min(rt, ar.right); }
      if (cs.overflowY !== 'visible') { t = Math.max(t, ar.top); b = Math.min(b, ar.bottom); }
    }
    return [l, t, rt, b];
  };
  const inside = ([l, t, rt, b]) => l >= area.left - tolerance && t >= area.top - tolerance &&
                                   rt <= area.right + tolerance && b <= area.bottom + tolerance;
  const name = (el) => el.tagName.toLowerCase() +
      (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).slice(0, 2).join('.') : '');
  const rel = ([l, t, rt, b]) => [l - area.left, t - area.top, rt - area.left, b - area.top].map(Math.round);
  const outside = [];
  for (const el of slide.querySelectorAll('*')) {
    if (['SECTION', 'SCRIPT', 'STYLE', 'ASIDE'].includes(el.tagName) || !shown(el)) continue;
    const box = seen(el);
    if (box[2] - box[0] < 0.5 || box[3] - box[1] < 0.5) continue;
    if (!inside(box)) outside.push({element: name(el), text: (el.textContent || '').trim().slice(0, 50), box: rel(box)});
  }
  // Each demo: controls, figure, description (its first three parts) and caption (role=note) shown in full,
  // not clipped by a scroll box.
  const demos = [];
  for (const img of slide.querySelectorAll('.widget-vbox > img.course-figure')) {
    const parts = [...img.parentElement.children].filter((p, i) => i < 3 || p.querySelector('[role=note]'));
    demos.push(parts.map((p) => {
      const r = p.getBoundingClientRect(), box = seen(p);
      const whole = Math.abs(box[1] - r.top) < 1 && Math.abs(box[3] - r.bottom) < 1;
      return {element: name(p), height: Math.round(r.height), whole: whole, inside: inside(box)};
    }));
  }
  return {outside: outside, demos: demos, scale: area.height / 720};
}"""

RENDERED_JS = """() => [...document.querySelectorAll('div.jupyter-widgets.jp-OutputArea-output')]
    .every((d) => d.querySelector('.lm-Widget, .widget-box, .widget-inline-hbox'))
  && [...document.querySelectorAll('img.course-figure')].every((i) => i.complete && i.naturalHeight > 0)"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def deck_dir(tmp_path_factory) -> Path:
    """The decks, built by the real command (`make slides`) into a temporary folder."""
    require(shutil.which("npm") is not None, "npm (to install reveal.js)")
    out = tmp_path_factory.mktemp("slides")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    done = subprocess.run(["make", "--no-print-directory", "slides", f"SLIDES={out}"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, f"make slides failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return out


@pytest.fixture(scope="module")
def served(deck_dir):
    handler = functools.partial(_QuietHandler, directory=str(deck_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def offline_context(browser, origin: str, viewport: tuple[int, int]):
    """A browser context that may reach only ``origin``; requests elsewhere are aborted and listed."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, service_workers="block")
    context.blocked = []

    def gate(route):
        parts = urlsplit(route.request.url)
        if f"{parts.scheme}://{parts.netloc}" == origin or parts.scheme in ("data", "blob", "about"):
            route.continue_()
        else:
            context.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    return context


def open_deck(context, url: str):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(url, wait_until="load")
    page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=30000)
    page.wait_for_function(RENDERED_JS, timeout=30000)
    page.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
    return page


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_every_slide_fits(browser, served, notebook, viewport, artifacts):
    shots = artifacts / "slides" / f"{viewport[0]}x{viewport[1]}"
    shots.mkdir(parents=True, exist_ok=True)
    context = offline_context(browser, served, viewport)
    try:
        page = open_deck(context, f"{served}/{notebook.stem}.slides.html")
        page.evaluate("document.querySelectorAll('.reveal details').forEach((d) => { d.open = true; })")
        count = page.evaluate("Reveal.getSlides().length")
        horizontal = page.evaluate("Reveal.getHorizontalSlides().length")
        assert count > horizontal, f"{notebook.name}: no vertical sub-slides"
        problems, demos_seen = [], 0
        for i in range(count):
            where = page.evaluate(f"""(() => {{ const s = Reveal.getSlides()[{i}]; const x = Reveal.getIndices(s);
                                     Reveal.slide(x.h, x.v); return x.h + '.' + (x.v || 0); }})()""")
            page.wait_for_timeout(60)
            result = page.evaluate(FIT_JS, TOLERANCE)
            page.screenshot(path=str(shots / f"{notebook.stem}_{where}.png"))
            for el in result["outside"][:3]:
                problems.append(f"slide {where}: {el['element']} at {el['box']} ({el['text']!r})")
            for demo in result["demos"]:
                demos_seen += 1
                assert len(demo) >= 3 and all(p["height"] > 0 for p in demo), f"slide {where}: demo parts {demo}"
                for part in demo:
                    if not (part["whole"] and part["inside"]):
                        problems.append(f"slide {where}: demo {part['element']} cut off ({part})")
        assert not problems, (f"{notebook.name} at {viewport[0]}x{viewport[1]}: content outside the slide "
                              f"(screenshots in {shots}):\n" + "\n".join(problems))
        assert demos_seen == page.evaluate("document.querySelectorAll('.widget-vbox > img.course-figure').length")
        assert not context.blocked, f"{notebook.name} asked other hosts: {context.blocked[:3]}"
        assert not page.errors, f"{notebook.name}: script errors {page.errors[:3]}"
    finally:
        context.close()


def _build_slides_module():
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import build_slides

    return build_slides


def test_speaker_view_works_offline(browser, served, artifacts):
    """Key S opens reveal.js's speaker view, with the instructor guide's notes, loading nothing from elsewhere."""
    build_slides = _build_slides_module()
    notebook = next(p for p in NOTEBOOKS if p.name.startswith("02_"))
    guide = build_slides.parse_guide((ROOT / "docs" / "instructor_guide.md").read_text(encoding="utf-8"))
    nb = __import__("nbformat").read(notebook, as_version=4)
    expected = build_slides.section_notes(nb, "02", guide)["2"]
    # The first timing row that the guide gives section 2, as plain text.
    row = re.search(r"\*\*(.+?) min\*\*: (.+)", expected)
    assert row, expected
    context = offline_context(browser, served, (1280, 720))
    try:
        page = open_deck(context, f"{served}/{notebook.stem}.slides.html")
        page.evaluate("Reveal.slide(2, 0)")      # section 2's first slide
        with context.expect_page(timeout=15000) as popup:
            page.keyboard.press("s")
        speaker = popup.value
        speaker.wait_for_load_state("load")
        notes = speaker.locator(".speaker-controls-notes")
        notes.wait_for(timeout=15000)
        speaker.wait_for_function("(m) => document.querySelector('.speaker-controls-notes').textContent.includes(m)",
                                  arg=f"{row.group(1)} min", timeout=15000)
        text = " ".join(notes.inner_text().split())
        assert " ".join(row.group(2).replace("*", "").split())[:40] in text, text
        # The current-slide and upcoming-slide previews are the deck itself, from the same server.
        speaker.wait_for_function("() => document.querySelectorAll('iframe').length >= 2", timeout=15000)
        speaker.wait_for_timeout(1500)
        speaker.screenshot(path=str(artifacts / "slides" / "speaker_view_02.png"))
        assert not context.blocked, f"the speaker view asked other hosts: {context.blocked[:3]}"
    finally:
        context.close()
