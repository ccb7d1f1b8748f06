"""Every demo fits a laptop screen in JupyterLab, and a projector in presentation mode (chromium).

A scratch notebook (under build/, not committed) shows every demo of
``demos.registry()``, one per cell. JupyterLab opens it at a 1366x768 laptop
viewport in its default layout (file browser open), and at a 1280x720
projector with ``style.set_presentation(True)``, View > Appearance >
Presentation Mode and the side panel hidden (Ctrl+B), as docs/instructor_guide.md
advises. For each demo the test scrolls its controls to the top of
the notebook and asserts, with JupyterLab's own bars on screen:

- the bottom of the figure is visible together with the controls;
- the figure is shown at its CSS size or smaller, never stretched;
- every slider track is at least 200 CSS px long.

Screenshots of each demo go to test-artifacts/layout/.
"""

from __future__ import annotations

import json

import pytest

from ..conftest import ROOT
from .test_lab_notebooks import DEMO, PANEL, kernel_ready, run_all

pytestmark = pytest.mark.e2e

MIN_TRACK_PX = 200
SCREENS = {
    "laptop": dict(width=1366, height=768, presentation=False),
    "projector": dict(width=1280, height=720, presentation=True),
}


def _scratch_notebook(presentation: bool) -> str:
    import nbformat

    from ketamine_course import demos

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"from ketamine_course import demos, style\nstyle.set_presentation({presentation})")]
    nb.cells += [nbformat.v4.new_code_cell(f"demos.{name}()") for name in demos.registry()]
    folder = ROOT / "build" / "e2e"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"layout_{'presentation' if presentation else 'normal'}.ipynb"
    nbformat.write(nb, folder / name)
    return f"build/e2e/{name}"


MEASURE = """demo => {
  const box = r => { const b = r.getBoundingClientRect(); return {top: b.top, bottom: b.bottom, width: b.width}; };
  const img = demo.querySelector('img.course-figure');
  const panel = demo.closest('.jp-WindowedPanel-outer, .jp-Notebook');
  return {
    controls: box(demo.querySelector('.course-controls') || demo.firstElementChild),
    figure: box(img), natural: img.naturalWidth, declared: Number(img.getAttribute('width')),
    view: box(panel),
    tracks: [...demo.querySelectorAll('.widget-slider .noUi-target')].map(t => t.getBoundingClientRect().width),
  };
}"""


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_each_demo_fits_the_screen_with_its_controls(screen, lab, browser, artifacts):
    from ketamine_course import demos

    setup = SCREENS[screen]
    out = artifacts / "layout"
    out.mkdir(exist_ok=True)
    path = _scratch_notebook(setup["presentation"])
    context = browser.new_context(viewport={"width": setup["width"], "height": setup["height"]})
    page = context.new_page()
    try:
        page.goto(lab.notebook_url(path), wait_until="domcontentloaded")
        page.wait_for_selector(f"{PANEL} .jp-Notebook .jp-Cell", timeout=60_000)
        kernel_ready(lab, path.rsplit("/", 1)[-1])
        run_all(page)
        names = list(demos.registry())
        page.wait_for_function(f"n => document.querySelectorAll('{DEMO}').length >= n", arg=len(names),
                               timeout=60_000)
        if setup["presentation"]:
            page.locator(".lm-MenuBar-itemLabel", has_text="View").click()
            page.locator(".lm-Menu-itemLabel", has_text="Appearance").hover()
            page.locator(".lm-Menu-itemLabel", has_text="Presentation Mode").click()
            page.wait_for_selector(".jp-mod-presentationMode", timeout=10_000)
            # As the instructor guide says: Presentation Mode keeps the side panel, Ctrl+B hides it.
            page.keyboard.press("Control+b")
            page.wait_for_selector("#jp-left-stack.lm-mod-hidden", state="attached", timeout=10_000)
        found, seen = [], {}
        for i, name in enumerate(names):
            demo = page.locator(DEMO).nth(i)
            img = demo.locator("img.course-figure")
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle(),
                                   timeout=30_000)
            demo.evaluate("d => d.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(200)
            m = demo.evaluate(MEASURE)
            seen[name] = m
            demo.page.screenshot(path=str(out / f"{screen}-{i + 1:02d}-{name}.png"))
            if m["figure"]["bottom"] > m["view"]["bottom"] + 1:
                found.append(f"{name}: the figure ends {m['figure']['bottom'] - m['view']['bottom']:.0f} px below "
                             f"the notebook's visible area ({m['view']['bottom']:.0f} px) with the controls at the top")
            if m["figure"]["width"] > m["declared"] + 1:
                found.append(f"{name}: figure stretched to {m['figure']['width']:.0f} px (shown size "
                             f"{m['declared']} px)")
            short = [round(w) for w in m["tracks"] if w < MIN_TRACK_PX]
            if short:
                found.append(f"{name}: slider tracks {short} px, under {MIN_TRACK_PX}")
        (out / f"{screen}.json").write_text(json.dumps(seen, indent=1))
        assert found == [], "\n".join(found)
    finally:
        context.close()
        lab.stop_kernels()
