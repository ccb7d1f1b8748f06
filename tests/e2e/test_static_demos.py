"""Live demos on the static site (scripts/build_frames.py), in chromium, with no kernel and no network.

On every page, for every demo, each live control is moved by keyboard from the
demo's default state: the figure must switch to the frame the manifest gives
for the new state (a different picture whenever Python drew a different one)
and the description under it, which is also the image's alt text, must change.
Disabled controls must say so to assistive technology. Every request must stay
on the local server.
"""

from __future__ import annotations

import json

import pytest

from ..conftest import NOTEBOOKS
from .conftest import NOTEBOOK_IDS, demo_cells
from .test_static_site import open_offline, served  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e

#: Moves from the default state after which Python draws the very same figure (only the sentence
#: changes), by figure id and control: in 07's IV forest plot the only poolable trial (Murrough 2013) is
#: positive, so publishing only the positive trials keeps it. (Ticking SSRIs on the response-rate view,
#: which no SSRI row reports, now changes the figure: a note says why nothing is drawn.)
SAME_FIGURE = {("kc-07-2", "positive_only")}

STATE = """fig => {
  const img = fig.querySelector('img.course-figure');
  return {src: img.getAttribute('src'), alt: img.alt, loaded: img.complete && img.naturalWidth > 0,
          said: fig.querySelector('.kc-description').textContent};
}"""


def _key(kind: str, position: int, n: int) -> str:
    if kind == "checkbox":
        return "Space"
    if kind == "select":
        return "ArrowDown" if position < n - 1 else "ArrowUp"
    return "ArrowRight" if position < n - 1 else "ArrowLeft"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_every_live_control_switches_figure_and_description(path, browser, served):  # noqa: F811
    context, page, blocked = open_offline(browser, f"{served}/{path.stem}.html", served)
    try:
        figures = page.locator("figure.kc-demo")
        assert figures.count() == demo_cells(path), f"{path.name}: every demo becomes a live static figure"
        page.wait_for_function("n => window.courseFrames && window.courseFrames.ready >= n",
                               arg=figures.count(), timeout=30_000)
        for d in range(figures.count()):
            fig = figures.nth(d)
            demo = fig.get_attribute("data-demo")
            manifest = json.loads(fig.locator("script.kc-manifest").text_content())
            controls = manifest["controls"]
            live = [i for i, c in enumerate(controls) if c["live"]]
            assert live, f"{path.name} {demo}: no control works on the static page"
            for i, c in enumerate(controls):
                el = fig.locator(f'[data-control="{c["name"]}"]')
                if not c["live"]:
                    assert el.get_attribute("disabled") is not None and el.get_attribute("aria-disabled") == "true"
                    note = fig.locator(f'#{el.get_attribute("aria-describedby")}')
                    assert "notebook" in note.text_content()
                    continue
                page.reload(wait_until="load")  # every move starts from the default state
                page.wait_for_function("n => window.courseFrames && window.courseFrames.ready >= n",
                                       arg=figures.count(), timeout=30_000)
                fig = page.locator("figure.kc-demo").nth(d)
                el = fig.locator(f'[data-control="{c["name"]}"]')
                kind = "checkbox" if el.get_attribute("type") == "checkbox" else \
                    "select" if el.evaluate("e => e.tagName") == "SELECT" else "range"
                before = fig.evaluate(STATE)
                el.focus()
                key = _key(kind, c["default"], c["n"])
                page.keyboard.press(key)
                step = 1 if key in ("ArrowRight", "ArrowDown") or (kind == "checkbox" and not c["default"]) else -1
                positions = [x["default"] for x in controls]
                positions[i] += step
                k = 0
                for x, p in zip(controls, positions):
                    k = k * x["n"] + p
                expected = manifest["frames"][k]
                page.wait_for_function(
                    "([fig, src]) => { const img = fig.querySelector('img.course-figure');"
                    " return img.getAttribute('src').endsWith(src) && img.complete && img.naturalWidth > 0; }",
                    arg=[fig.element_handle(), expected[0]], timeout=10_000)
                after = fig.evaluate(STATE)
                where = f"{path.name} {demo}: {c['name']} ({key})"
                assert after["said"] == expected[1] and after["alt"] == expected[1], where
                assert after["said"] != before["said"], f"{where}: the description did not change"
                if (fig.get_attribute("id"), c["name"]) in SAME_FIGURE:
                    assert expected[0] == manifest["frames"][_index(controls)][0], f"{where}: update SAME_FIGURE"
                else:
                    assert after["src"] != before["src"], f"{where}: the figure did not change"
        assert not blocked, f"{path.name}: requests to other hosts (blocked): {blocked}"
        assert not page.errors, f"{path.name}: JavaScript errors: {page.errors}"
        assert not page.missing, f"{path.name}: files missing from the site: {page.missing}"
    finally:
        context.close()


def _index(controls) -> int:
    k = 0
    for c in controls:
        k = k * c["n"] + c["default"]
    return k
