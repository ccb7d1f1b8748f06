"""The static site from `make html`, in chromium: offline, demos shown, no serious accessibility violations.

Each exported page is served from a local HTTP server on 127.0.0.1 and opened
with request interception: any request to another host is recorded and
aborted, and the test fails if there is one. Every interactive demo must show
its figure (scripts/build_frames.py renders <figure class="kc-demo"> with <img class="course-figure">).
axe-core (npm, installed by `make html`) then audits the rendered page; any
violation of impact "serious" or "critical" fails the test, and all violations
are written to test-artifacts/site/<page>.axe.json.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from urllib.parse import urlsplit

import pytest

from ..conftest import NOTEBOOKS
from .conftest import NOTEBOOK_IDS, demo_cells, free_port

pytestmark = pytest.mark.e2e

DEMO_FIGURE = "figure.kc-demo > img.course-figure"  # live static demos (scripts/build_frames.py)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(site):
    """Serve the built site on a free loopback port for the module's tests."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def open_offline(browser, url: str, origin: str):
    """A page that may reach only ``origin``; returns it with the list of blocked requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    blocked = []

    def gate(route):
        target = route.request.url
        parts = urlsplit(target)
        if f"{parts.scheme}://{parts.netloc}" == origin or parts.scheme in ("data", "blob"):
            route.continue_()
        else:
            blocked.append(target)
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    page.missing, page.errors = [], []
    page.on("response", lambda r: page.missing.append(r.url)
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(url, wait_until="load")
    return context, page, blocked


def test_index_links_every_notebook(browser, served, site, artifacts):
    context, page, blocked = open_offline(browser, f"{served}/index.html", served)
    try:
        links = page.locator("main a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
        assert links == [f"{p.stem}.html" for p in NOTEBOOKS]
        assert not blocked, f"index.html asked other hosts: {blocked}"
    finally:
        context.close()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_page_is_offline_shows_demos_and_passes_axe(path, browser, served, artifacts, axe_js):
    out = artifacts / "site"
    out.mkdir(exist_ok=True)
    context, page, blocked = open_offline(browser, f"{served}/{path.stem}.html", served)
    try:
        expected = demo_cells(path)
        page.wait_for_function(
            "n => { const imgs = [...document.querySelectorAll('" + DEMO_FIGURE + "')];"
            " return imgs.length >= n && imgs.every(i => i.complete && i.naturalWidth > 0); }",
            arg=expected, timeout=60_000)
        shown = page.locator(DEMO_FIGURE).count()
        assert shown == expected, f"{path.name}: {shown} demo figures shown, {expected} expected"
        # MathJax typesets after load; audit the finished page.
        page.wait_for_function("() => !window.MathJax || !window.MathJax.startup"
                               " || window.MathJax.startup.promise", timeout=30_000)
        page.evaluate("() => window.MathJax && window.MathJax.startup ? window.MathJax.startup.promise : null")
        page.screenshot(path=str(out / f"{path.stem}.png"), full_page=True)
        page.add_script_tag(path=str(axe_js))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                       "nodes": [n["target"] for n in v["nodes"]][:10]} for v in result["violations"]]
        (out / f"{path.stem}.axe.json").write_text(json.dumps(violations, indent=1))
        assert not blocked, f"{path.name}: requests to other hosts (blocked): {blocked}"
        assert not page.missing, f"{path.name}: files missing from the site: {page.missing}"
        assert not page.errors, f"{path.name}: JavaScript errors: {page.errors}"
        bad = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert not bad, f"{path.name}: serious or critical axe violations:\n" + json.dumps(bad, indent=1)
    finally:
        context.close()
