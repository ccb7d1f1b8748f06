"""Every notebook in JupyterLab, in chromium: Run All without errors, and every demo answers the keyboard.

For each notebook the test opens it in a fresh workspace, runs Run -> Run All
Cells from the menu, waits for the kernel to finish, and asserts that no cell
shows an error or other stderr output. Then, for every interactive demo (a
ketamine_course.demos.Demo: a VBox holding an <img class="course-figure">), it
checks that the widget rendered a figure, moves the demo's main control with the
keyboard (a slider's handle with ArrowRight, a dropdown with Alt+ArrowDown, ArrowDown, Enter, a toggle
with Space) and waits for the figure's <img> src to change. Screenshots go to
test-artifacts/lab/.
"""

from __future__ import annotations

import json
import re
import time

import pytest

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the browser fixture skips (or fails in CI) with a clear message
    PlaywrightTimeout = Exception

from ..conftest import NOTEBOOKS
from .conftest import NOTEBOOK_IDS, demo_cells

pytestmark = pytest.mark.e2e

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
DEMO = f"{PANEL} .widget-vbox:has(> img.course-figure)"
STDERR = f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'

#: Which control of a demo is its main one, tried in this order, and how to move it by keyboard.
CONTROLS = (
    ("slider", ".widget-slider .noUi-handle", "ArrowRight"),
    # Headless chromium opens a <select>'s list on ArrowDown: open it, step, choose.
    ("dropdown", ".widget-dropdown select", "Alt+ArrowDown ArrowDown Enter"),
    ("toggle buttons", ".widget-toggle-buttons button:not(.mod-active)", "Space"),
    ("toggle button", "button.widget-toggle-button", "Space"),
    ("checkbox", ".widget-checkbox input[type=checkbox]", "Space"),
)


PROMPTS = f"[...document.querySelectorAll('{PANEL} .jp-CodeCell .jp-InputPrompt')].map(p => p.textContent)"


def menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{top}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{item}$")).click()


def kernel_ready(lab, name: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for s in lab.api("GET", "sessions"):
            k = s["kernel"]
            if s["path"].endswith(name) and k["execution_state"] == "idle" and k.get("connections", 0) > 0:
                return
        time.sleep(0.3)
    raise AssertionError(f"the kernel of {name} did not start within {timeout:.0f} s")


def run_all(page) -> None:
    """Clear every output (prompts go blank), then Run -> Run All Cells and wait for every prompt to get a number."""
    for _ in range(5):
        menu(page, "Edit", "Clear Outputs of All Cells")
        try:
            page.wait_for_function(f"() => {PROMPTS}.every(t => !/\\d/.test(t))", timeout=3_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    else:
        raise AssertionError("could not clear the outputs from the Edit menu")
    menu(page, "Run", "Run All Cells")
    page.wait_for_function(f"() => {{ const p = {PROMPTS}; return p.length > 0 && p.every(t => /\\[\\d+\\]/.test(t)); }}",
                           timeout=240_000, polling=250)


def main_control(demo):
    for kind, selector, key in CONTROLS:
        found = demo.locator(selector)
        if found.count():
            return kind, found.first, key
    raise AssertionError("demo has no slider, dropdown, toggle or checkbox")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_notebook_runs_and_demos_respond(path, lab, browser, artifacts):
    out = artifacts / "lab"
    out.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(lab.notebook_url(f"notebooks/{path.name}"), wait_until="domcontentloaded")
        page.wait_for_selector(f"{PANEL} .jp-Notebook .jp-Cell", timeout=60_000)
        kernel_ready(lab, path.name)
        run_all(page)
        stderr = page.locator(STDERR)
        texts = [stderr.nth(i).inner_text()[:500] for i in range(stderr.count())]
        page.screenshot(path=str(out / f"{path.stem}.png"))
        assert not texts, f"{path.name}: cells show errors or stderr after Run All:\n" + "\n---\n".join(texts)

        expected = demo_cells(path)
        demos = page.locator(DEMO)
        page.wait_for_function(f"n => document.querySelectorAll('{DEMO}').length >= n", arg=expected,
                               timeout=30_000)
        assert demos.count() == expected, f"{path.name}: {demos.count()} demos rendered, {expected} expected"
        moved = []
        for i in range(expected):
            demo = demos.nth(i)
            img = demo.locator("img.course-figure")
            img.scroll_into_view_if_needed()
            page.wait_for_function("img => img.src && img.complete && img.naturalWidth > 0",
                                   arg=img.element_handle(), timeout=30_000)
            before = img.get_attribute("src")
            demo.screenshot(path=str(out / f"{path.stem}-demo{i + 1}-before.png"))
            kind, control, key = main_control(demo)
            if kind == "dropdown" and control.evaluate("s => s.selectedIndex === s.options.length - 1"):
                key = key.replace(" ArrowDown", " ArrowUp")
            control.focus()
            for k in key.split():
                page.keyboard.press(k)
            page.wait_for_function("([img, old]) => img.src !== old && img.complete && img.naturalWidth > 0",
                                   arg=[img.element_handle(), before], timeout=30_000)
            demo.screenshot(path=str(out / f"{path.stem}-demo{i + 1}-after.png"))
            moved.append({"demo": i + 1, "control": kind, "key": key})
        (out / f"{path.stem}.json").write_text(json.dumps(moved, indent=1))
        after = page.locator(STDERR)
        assert after.count() == 0, f"{path.name}: moving a control wrote an error:\n{after.first.inner_text()}"
        assert not errors, f"{path.name}: JavaScript errors in the page: {errors}"
    finally:
        context.close()
        lab.stop_kernels()
