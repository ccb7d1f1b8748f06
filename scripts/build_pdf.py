"""Print every notebook page of the static site to PDF handouts, with Debian's chromium.

    python scripts/build_pdf.py SITE_DIR OUT_DIR NOTEBOOK...

`make pdf` builds the site first (`make html`), then writes
OUT_DIR/student/<name>.pdf and OUT_DIR/instructor/<name>.pdf for each notebook:

- student: the "Click for the answer" and "Show a worked solution" blocks are
  removed, and the quiz shows its questions only;
- instructor: every such block is printed open, and each quiz question is
  followed by its answer and explanation (decoded by site/lib/course.js from the
  same data the page checks against).

The pages are served from a loopback port and printed by playwright's
``page.pdf`` driving /usr/bin/chromium (``COURSE_CHROMIUM`` overrides it); no
browser is downloaded and no request leaves the machine. The site's print
stylesheet keeps figures, tables and quiz questions whole (break-inside: avoid).
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VERSIONS = ("student", "instructor")
#: Summaries of the collapsed blocks that hold answers (Think! answers, worked solutions).
ANSWER_SUMMARY = r"/answer|solution/i"

_PREPARE = {
    "student": """() => {
        document.querySelectorAll('details').forEach(d => {
          const s = d.querySelector('summary');
          if (s && %s.test(s.textContent)) d.remove();
        });
        document.querySelectorAll('.course-feedback, .course-answer').forEach(e => e.remove());
    }""" % ANSWER_SUMMARY,
    "instructor": """() => {
        document.querySelectorAll('details').forEach(d => { d.open = true; });
        window.courseShowAnswers();
    }""",
}


#: True once the widget manager has rendered every saved widget view next to its script tag.
WIDGETS_RENDERED = ("() => [...document.querySelectorAll('script[type=\"application/vnd.jupyter.widget-view+json\"]')]"
                    ".every(s => s.parentElement.querySelector('.jupyter-widgets'))")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def print_page(context, url: str, origin: str, version: str, out: Path) -> None:
    page = context.new_page()
    try:
        page.goto(url, wait_until="load")
        page.emulate_media(media="print")
        # Widgets and MathJax render after load; wait for both, and for every image.
        page.wait_for_function(WIDGETS_RENDERED, timeout=60_000)
        page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
        page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=60_000)
        page.evaluate(_PREPARE[version])
        out.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(out), format="A4", print_background=True, display_header_footer=True,
                 header_template="<span></span>",
                 footer_template='<div style="font-size:8pt;width:100%;text-align:center;color:#444">'
                                 '<span class="title"></span> · <span class="pageNumber"></span>/'
                                 '<span class="totalPages"></span></div>',
                 margin={"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})
    finally:
        page.close()


def build(site: Path, out_dir: Path, notebooks: list[Path]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    missing = [nb for nb in notebooks if not (site / f"{nb.stem}.html").exists()]
    if missing:
        raise SystemExit(f"error: {site} lacks pages for {', '.join(p.name for p in missing)}; run `make html`")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"error: make pdf prints with Debian's chromium, not found at {CHROMIUM} "
                         "(apt-get install chromium)")
    server, origin = serve(site)
    written = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1000, "height": 1400}, service_workers="block")
            blocked = []

            def local_only(route):
                parts = urlsplit(route.request.url)
                if f"{parts.scheme}://{parts.netloc}" == origin or parts.scheme in ("data", "blob"):
                    route.continue_()
                else:
                    blocked.append(route.request.url)
                    route.abort()

            context.route("**/*", local_only)
            for nb in notebooks:
                for version in VERSIONS:
                    out = out_dir / version / f"{nb.stem}.pdf"
                    print_page(context, f"{origin}/{nb.stem}.html", origin, version, out)
                    written.append(out)
                    print(f"wrote {out}")
            browser.close()
            if blocked:
                raise SystemExit(f"error: pages asked other hosts while printing: {blocked}")
    finally:
        server.shutdown()
        server.server_close()
    return written


def main(argv: list[str]) -> None:
    if len(argv) < 3:
        raise SystemExit(__doc__)
    build(Path(argv[0]), Path(argv[1]), [Path(p) for p in argv[2:]])


if __name__ == "__main__":
    main(sys.argv[1:])
