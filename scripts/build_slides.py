"""Build a reveal.js slide deck for every notebook, fully offline.

    python scripts/build_slides.py SLIDES_DIR NPM_PREFIX NOTEBOOK...

Each notebook becomes SLIDES_DIR/<name>.slides.html, rendered from its
committed outputs and saved widget state (the demos show their default
figure). Cells carry ``slideshow`` metadata: every numbered section starts a
slide, every activity a sub-slide. reveal.js, jQuery, require.js, the widget
HTML manager and MathJax come from NPM_PREFIX/node_modules (installed from the
npm registry by ``make slides``) and are copied into SLIDES_DIR/lib, so no
deck loads anything from another host.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_html  # noqa: E402  (shares the library copying with the static site)

REVEAL_PREFIX = "lib/reveal.js"
JQUERY_URL = "lib/jquery.min.js"


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
    exp.reveal_scroll = True
    exp.jquery_url = JQUERY_URL
    exp.require_js_url = build_html.REQUIRE_JS_URL
    exp.widget_renderer_url = build_html.WIDGET_RENDERER_URL
    exp.mathjax_url = build_html.MATHJAX_URL
    return exp


def build(out: Path, npm_prefix: Path, notebooks: list[Path]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    copy_slide_libraries(npm_prefix, out)
    exp = exporter()
    decks = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        build_html.name_demo_figures(nb)
        body, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": build_html.title_of(nb)}})
        deck = out / f"{path.stem}.slides.html"
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
        print(f"wrote {deck}")
    return decks


if __name__ == "__main__":
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    build(Path(sys.argv[1]), Path(sys.argv[2]), [Path(p) for p in sys.argv[3:]])
