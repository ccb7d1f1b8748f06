"""Export the notebooks to a static site that works offline.

    python scripts/build_html.py SITE_DIR NPM_PREFIX NOTEBOOK...

Each notebook is first executed into build/executed/ (the committed copies
carry no widget state; see scripts/clean_notebooks.py), then becomes
SITE_DIR/<name>.html with the widget state of that run, so the demos show their
sliders and default figures. Executed copies newer than their inputs are reused. The scripts a page needs are copied from
NPM_PREFIX/node_modules (installed by `make html` from the npm registry) into
SITE_DIR/lib and linked by relative URL, so no page asks any other host for
anything: the widget HTML manager, require.js and MathJax 3. A page loads the
widget manager and require.js only while it still shows a widget: the demos
become frames (scripts/build_frames.py), and the quiz and the glossary box plain
HTML checked by site/lib/course.js, so today no page needs them and they are
left out of the site.

Around the notebook pages (scripts/site_content.py): an index page with the
course map, glossary and references pages that the notebooks' links point to
(links to .ipynb files and docs/glossary.md are rewritten at build time),
previous/next links and a contents list on every notebook page, quizzes checked
in the browser, and a search page whose index Pagefind (npm) builds from the
finished pages, offline, into SITE_DIR/pagefind/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import site_content  # noqa: E402  (scripts/ is not a package)

ROOT = HERE.parent
#: Where `make html` keeps the notebooks it executed (with live widget state).
EXECUTED = ROOT / "build" / "executed"
TEMPLATES = HERE / "html_template"

#: Site-relative URLs of the local scripts, as given to nbconvert.
#: The manager's stylesheet asks for its icon fonts under @jupyter-widgets/html-manager/dist/.
WIDGET_RENDERER_URL = "@jupyter-widgets/html-manager/dist/embed-amd.js"
REQUIRE_JS_URL = "lib/require.js"
MATHJAX_URL = "lib/mathjax/tex-chtml-full.js"


def copy_libraries(npm_prefix: Path, site: Path) -> None:
    modules = npm_prefix / "node_modules"
    if not (modules / "@jupyter-widgets" / "html-manager").is_dir():
        raise SystemExit(f"error: {modules} lacks @jupyter-widgets/html-manager; run `make html`, "
                         "which installs it from npm")
    lib, manager = site / "lib", site / Path(WIDGET_RENDERER_URL).parent
    for old in (lib, site / "@jupyter-widgets"):
        if old.exists():
            shutil.rmtree(old)
    lib.mkdir(parents=True)
    manager.mkdir(parents=True)
    # embed-amd.js plus the icon fonts its CSS refers to (same folder); no source maps.
    for f in (modules / "@jupyter-widgets" / "html-manager" / "dist").iterdir():
        if f.suffix in {".woff", ".woff2", ".ttf", ".eot", ".svg"}:
            # Its stylesheets ask for the icon fonts both here and one folder up.
            shutil.copy2(f, manager / f.name)
            shutil.copy2(f, site / "@jupyter-widgets" / f.name)
        elif f.name == "embed-amd.js":
            shutil.copy2(f, manager / f.name)
    shutil.copy2(modules / "requirejs" / "require.js", lib / "require.js")
    mathjax = modules / "mathjax" / "es5"
    (lib / "mathjax").mkdir()
    shutil.copy2(mathjax / "tex-chtml-full.js", lib / "mathjax" / "tex-chtml-full.js")
    shutil.copytree(mathjax / "output" / "chtml" / "fonts" / "woff-v2",
                    lib / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2")
    # The site's own stylesheet and script.
    for f in (TEMPLATES / "course" / "static").iterdir():
        shutil.copy2(f, lib / f.name)


def _newest_input() -> float:
    """Newest modification time among the package sources and data an execution depends on."""
    inputs = [p for folder in ("src", "data", "figures") for p in (ROOT / folder).rglob("*") if p.is_file()]
    return max((p.stat().st_mtime for p in inputs), default=0.0)


def execute_notebooks(notebooks: list[Path], out_dir: Path = EXECUTED) -> list[Path]:
    """Execute each notebook into `out_dir` with live widget state; return the executed copies.

    The committed notebooks carry no widget state (scripts/clean_notebooks.py
    strips it so that their diffs stay reviewable), so a page that should show
    working widgets is rendered from a fresh execution. A copy newer than its
    notebook and than every file under src/, data/ and figures/ is reused.
    """
    from nbconvert.preprocessors import ExecutePreprocessor

    out_dir.mkdir(parents=True, exist_ok=True)
    newest = _newest_input()
    executed = []
    for path in notebooks:
        target = out_dir / path.name
        if not (target.exists() and target.stat().st_mtime > max(path.stat().st_mtime, newest)):
            nb = nbformat.read(path, as_version=4)
            ep = ExecutePreprocessor(timeout=600, kernel_name="python3", store_widget_state=True)
            ep.preprocess(nb, {"metadata": {"path": str(path.parent)}})
            nbformat.write(nb, target)
            print(f"executed {path} -> {target}")
        executed.append(target)
    return executed


def exporter() -> HTMLExporter:
    exp = HTMLExporter(template_name="course", extra_template_basedirs=[str(TEMPLATES)])
    exp.widget_renderer_url = WIDGET_RENDERER_URL
    exp.require_js_url = REQUIRE_JS_URL
    exp.mathjax_url = MATHJAX_URL
    return exp


def title_of(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Untitled notebook"


def page_chrome(stem: str, stems: list[str]) -> dict:
    """Header, previous/next links and footer of one notebook page (HTML strings)."""
    prev, nxt = site_content.neighbours(stem, stems)
    return {"header": site_content.chrome("header", current=stem, site_title=site_content.SITE_TITLE),
            "pager_top": site_content.chrome("pager", prev=prev, next=nxt, where="top of page"),
            "pager_bottom": site_content.chrome("pager", prev=prev, next=nxt, where="end of page"),
            "footer": site_content.chrome("footer", disclaimer=site_content.DISCLAIMER)}


def add_contents(body: str) -> str:
    """Replace the contents marker with the list of the page's sections; keep code and "¶" out of search."""
    items = [item for item in site_content.contents(body) if item["level"] == 2]
    body = body.replace('<a class="anchor-link"', '<a data-pagefind-ignore class="anchor-link"')
    body = body.replace('<div class="jp-CodeMirrorEditor jp-Editor jp-InputArea-editor"',
                        '<div data-pagefind-ignore class="jp-CodeMirrorEditor jp-Editor jp-InputArea-editor"')
    body = re.sub(r'<div class="(jp-InputPrompt|jp-OutputPrompt)', r'<div data-pagefind-ignore class="\1', body)
    return body.replace("<!--course-contents-->", site_content.chrome("contents", items=items), 1)


def build_search_index(site: Path, npm_prefix: Path) -> None:
    """Pagefind indexes the notebook pages (their <main data-pagefind-body>) into SITE_DIR/pagefind/."""
    pagefind = npm_prefix / "node_modules" / ".bin" / "pagefind"
    if not pagefind.exists():
        raise SystemExit(f"error: {pagefind} is missing; run `make html`, which installs pagefind from npm")
    out = site / "pagefind"
    if out.exists():
        shutil.rmtree(out)
    subprocess.run([str(pagefind), "--site", str(site), "--output-path", str(out), "--silent"], check=True)
    print(f"wrote search index {out}")


def build(site: Path, npm_prefix: Path, notebooks: list[Path]) -> list[Path]:
    site.mkdir(parents=True, exist_ok=True)
    copy_libraries(npm_prefix, site)
    exp = exporter()
    stems = [p.stem for p in notebooks]
    pages, widget_pages = [], 0
    for path, executed in zip(notebooks, execute_notebooks(notebooks)):
        nb = nbformat.read(executed, as_version=4)
        # ---- hook (issue 13, live demos; owned by scripts/build_frames.py): each demo output becomes
        # native controls over figures drawn in advance, its frames written to site/frames/<notebook>/.
        sys.path.insert(0, str(HERE))
        from build_frames import live_demos, prune_widget_state
        nb = live_demos(nb, site, path.stem)
        # ---- end of hook
        title = title_of(nb)
        site_content.prepare_notebook(nb)
        # The quiz and the glossary box are plain HTML now: drop the widget state only they used, so a
        # page with no widget left loads neither the widget manager nor require.js.
        prune_widget_state(nb)
        widget_pages += "widgets" in nb.metadata
        body, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": title},
                                                        "course": page_chrome(path.stem, stems)})
        page = site / f"{path.stem}.html"
        page.write_text(add_contents(body), encoding="utf-8")
        pages.append(page)
        print(f"wrote {page}")
    if not widget_pages:
        # No page shows a widget: the widget manager (3.6 MB with its fonts) and require.js stay out of the site.
        shutil.rmtree(site / "@jupyter-widgets")
        (site / REQUIRE_JS_URL).unlink()
        print("no page needs the widget manager: left it out")
    for page in site_content.write_pages(site):
        print(f"wrote {page}")
    build_search_index(site, npm_prefix)
    # GitHub Pages: serve the files as they are, without Jekyll.
    (site / ".nojekyll").write_text("", encoding="utf-8")
    return pages


def main(argv: list[str]) -> None:
    if len(argv) < 3:
        raise SystemExit(__doc__)
    build(Path(argv[0]), Path(argv[1]), [Path(p) for p in argv[2:]])


if __name__ == "__main__":
    main(sys.argv[1:])
