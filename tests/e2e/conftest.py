"""Shared fixtures for the browser tests: chromium, a JupyterLab server, the static site.

The suite drives Debian's chromium (/usr/bin/chromium) through the `playwright`
Python package; it never downloads a browser. Outside CI a missing browser,
playwright or npm skips these tests with a message saying what to install; in CI
(environment variable CI set) the same absence fails them, so CI can never pass
without having run them.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ..conftest import NOTEBOOKS, ROOT

CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
#: Flags that make Debian's chromium work headless as root, with no call home.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-default-apps", "--disable-extensions"]
ARTIFACTS = ROOT / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: drives a real browser (chromium via playwright); runs in `make test`")


def require(ok: bool, what: str) -> None:
    """Skip (on a developer's machine) or fail (in CI) when a browser-test prerequisite is missing."""
    if ok:
        return
    message = f"browser tests need {what}"
    if IN_CI:
        pytest.fail(f"{message}; CI must run them (.ci/run installs it)", pytrace=False)
    pytest.skip(f"{message}: install it to run tests/e2e (apt-get install chromium; make setup)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_cells(path: Path) -> int:
    """How many demos a notebook shows: outputs whose text form is a Demo's ("[Interactive demo] ...").

    The committed notebooks keep a demo's PNG and text forms but not its widget view.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum(1 for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]
               if "".join(o.get("data", {}).get("text/plain", "")).startswith("[Interactive demo]"))


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists(), f"Debian's chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "the Python package playwright")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Lab:
    """A JupyterLab server on a free loopback port, with its own settings and workspaces."""

    def __init__(self, tmp: Path):
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        settings = tmp / "settings"
        tracker = settings / "@jupyterlab" / "notebook-extension"
        tracker.mkdir(parents=True)
        # Render every cell (no virtual scrolling), so the tests see all outputs; start the
        # notebook's kernel without asking.
        (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none", "autoStartDefaultKernel": True}))
        jupyter = ROOT / ".venv" / "bin" / "jupyter"
        if not jupyter.exists():
            jupyter = Path(sys.executable).with_name("jupyter")
        args = [str(jupyter), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={ROOT}",
                f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={tmp / 'workspaces'}"]
        if os.geteuid() == 0:
            args.append("--allow-root")
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
        env["JUPYTER_RUNTIME_DIR"] = str(tmp / "runtime")
        self.log = open(tmp / "lab.log", "wb")
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 90
        while True:
            try:
                self.api("GET", "status")
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"JupyterLab did not start; see {tmp / 'lab.log'}")
                time.sleep(0.3)

    def api(self, method: str, path: str):
        req = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def notebook_url(self, relpath: str) -> str:
        return f"{self.url}/lab/tree/{relpath}?reset&token={self.token}"

    def stop_kernels(self) -> None:
        for session in self.api("GET", "sessions"):
            self.api("DELETE", f"sessions/{session['id']}")
        for kernel in self.api("GET", "kernels"):
            self.api("DELETE", f"kernels/{kernel['id']}")

    def stop(self) -> None:
        try:
            if self.proc.poll() is None:
                try:
                    self.stop_kernels()
                except OSError:
                    pass
                os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait()
        finally:
            self.log.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory, browser):
    server = Lab(tmp_path_factory.mktemp("lab"))
    try:
        yield server
    finally:
        server.stop()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{server.url}/api/status", timeout=2)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The static site, built by `make html` into a temporary folder (or COURSE_SITE, a site built already)."""
    if os.environ.get("COURSE_SITE"):
        return Path(os.environ["COURSE_SITE"]).resolve()
    require(shutil.which("npm") is not None, "npm (to install the widget HTML manager)")
    out = tmp_path_factory.mktemp("site")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    done = subprocess.run(["make", "--no-print-directory", "html", f"SITE={out}"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, f"make html failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return out


@pytest.fixture(scope="session")
def axe_js(site) -> Path:
    path = ROOT / "build" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
    assert path.exists(), "axe-core is installed by `make html` (build/npm)"
    return path


NOTEBOOK_IDS = [p.name for p in NOTEBOOKS]
