"""`make slides`: every notebook gives an offline reveal.js deck with more than one slide."""

import os
import re
import shutil
import subprocess

import pytest

from .conftest import NOTEBOOKS, ROOT

pytestmark = pytest.mark.slow  # executes every notebook (make slides)
#: Anything the browser would fetch from another host: scripts, stylesheets, images, fonts, ES imports.
#: Plain <a href> links (the DOIs in the reference lists) are fine: nothing loads them.
REMOTE_RESOURCE = re.compile(
    r"""<(?:script|link|img|iframe|source|video|audio|embed)\b[^>]*\s(?:src|href)\s*=\s*["'](?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//|import\s[^;]*?from\s*["'](?:https?:)?//""")


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """Build the decks with the real command, `make slides`, into a temporary folder."""
    if shutil.which("npm") is None:
        message = "npm is needed to install reveal.js for `make slides` (Debian: apt-get install npm)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    out = tmp_path_factory.mktemp("slides")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    done = subprocess.run(["make", "--no-print-directory", "slides", f"SLIDES={out}"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"make slides failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return out, sorted(out.glob("*.slides.html"))


def test_every_notebook_gives_a_deck_with_several_slides(decks):
    out, built = decks
    assert {p.name for p in built} == {f"{nb.stem}.slides.html" for nb in NOTEBOOKS}
    for deck in built:
        html = deck.read_text()
        top_level = html.count("<section")
        assert top_level > 1, f"{deck.name} has {top_level} slide(s)"


def test_decks_load_nothing_from_another_host(decks):
    out, built = decks
    for deck in built:
        html = deck.read_text()
        remote = REMOTE_RESOURCE.findall(html)
        assert not remote, f"{deck.name} loads remote resources: {remote[:3]}"
        for local in re.findall(r"""(?:src|href)=["'](lib/[^"']+)["']""", html):
            assert (out / local).is_file(), f"{deck.name} refers to missing {local}"


def test_demo_slides_carry_the_saved_widget_state(decks):
    out, built = decks
    deck = next(p for p in built if p.name.startswith("02_"))
    html = deck.read_text()
    assert "application/vnd.jupyter.widget-state+json" in html
    assert "html-manager/dist/embed-amd.js" in html
