"""A class on a loopback JupyterHub (deploy/hub/jupyterhub_config.py), driven in chromium.

1. Three students each follow an nbgitpuller link (deploy/hub/links.py) to a local bare git
   repository, log in with the class password, land in notebook 02 in JupyterLab, run it
   (Run -> Run All Cells) and move the Mg2+ block slider: the figure changes.
2. One student's kernel is killed: the other two students' kernels live on and their sliders
   still redraw; the crashed student's server stays up and restarts the kernel.
3. The instructor pushes a change; a student who edited the same notebook pulls again: the
   instructor's new and changed files arrive and the student's edit is kept.
4. The instructor logs in with the instructors' password and sees the students on the admin
   page; a wrong password, or the class password for the instructor, is refused.
5. Stopping the hub stops everything: no student process is left and the port is closed.

The course in the hub is installed as a normal (non-editable) package from the lock file, so
its data and figures come from package data: notebook 02 must run without an error.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from ...conftest import ROOT
from ..test_lab_notebooks import DEMO, PANEL, STDERR, run_all
from .conftest import loopback

sys.path.insert(0, str(ROOT / "deploy" / "hub"))
import links  # noqa: E402  (deploy/hub/links.py)

pytestmark = pytest.mark.hub

STUDENTS = ["student1", "student2", "student3"]
NOTEBOOK = "notebooks/02_nmda_receptor.ipynb"
GIT = ["git", "-c", "user.name=Instructor", "-c", "user.email=instructor@example.invalid",
       "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always"]
PACKAGE_DATA_PROBE = "from ketamine_course import diagrams; diagrams.show('nmda_receptor')"


def git(*args, cwd):
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, text=True)


class ClassHub:
    """The hub, the instructor's repository and the students' open pages."""

    def __init__(self, tmp: Path, venv: Path):
        self.tmp = tmp
        probe = subprocess.run([str(venv / "bin" / "python"), "-c", PACKAGE_DATA_PROBE], cwd=tmp,
                               env=dict(os.environ, MPLBACKEND="Agg"), capture_output=True, text=True)
        assert probe.returncode == 0, f"the installed course cannot show its figures:\n{probe.stderr[-1500:]}"
        # The instructor's working copy (notebooks of this checkout) and the bare repository students pull.
        self.work = tmp / "instructor"
        shutil.copytree(ROOT / "notebooks", self.work / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        git("init", "-q", cwd=self.work)
        git("add", "-A", cwd=self.work)
        git("commit", "-qm", "course", cwd=self.work)
        self.bare = tmp / "course.git"
        git("clone", "-q", "--bare", str(self.work), str(self.bare), cwd=tmp)
        git("remote", "add", "origin", str(self.bare), cwd=self.work)
        self.repo_url = f"file://{self.bare}"
        state = tmp / "state"
        for name in STUDENTS:   # render every cell (no virtual scrolling), so the test sees all outputs
            settings = state / "users" / name / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
            settings.mkdir(parents=True)
            (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
        self.hub = loopback.LoopbackHub(state, venv)
        self.pages: dict = {}
        self.contexts: list = []

    def link(self) -> str:
        return links.pull_link(self.hub.url, self.repo_url, NOTEBOOK, branch="main")

    def kernel_pids(self, name: str) -> list[int]:
        pids = []
        for pid in loopback.user_pids(name):
            try:
                if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    pids.append(pid)
            except OSError:
                pass
        return pids

    def close(self):
        for context in self.contexts:
            try:
                context.close()
            except Exception:
                pass
        self.hub.stop()


@pytest.fixture(scope="module")
def class_hub(hub_env, browser, tmp_path_factory):
    hub = ClassHub(tmp_path_factory.mktemp("classhub"), hub_env)
    try:
        yield hub
    finally:
        hub.close()


def kernel_idle(hub, name: str, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for s in hub.user_api(name, "GET", "sessions"):
            k = s["kernel"]
            if s["path"].endswith(NOTEBOOK.split("/")[-1]) and k["execution_state"] == "idle" \
                    and k.get("connections", 0) > 0:
                return
        time.sleep(0.5)
    raise AssertionError(f"{name}: the notebook's kernel did not become idle within {timeout:.0f} s")


def slider_moves_figure(page, demo) -> None:
    img = demo.locator("img.course-figure")
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.src && img.complete && img.naturalWidth > 0", arg=img.element_handle(),
                           timeout=60_000)
    before = img.get_attribute("src")
    demo.locator(".widget-slider .noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([img, old]) => img.src !== old && img.complete && img.naturalWidth > 0",
                           arg=[img.element_handle(), before], timeout=60_000)


def slider_demo(page):
    """The Mg2+ block demo: the first demo of notebook 02 with a slider."""
    demos = page.locator(f"{DEMO}:has(.widget-slider)")
    page.wait_for_function(f"() => document.querySelectorAll('{DEMO}').length > 0", timeout=60_000)
    assert demos.count() > 0, "notebook 02 shows no demo with a slider"
    return demos.first


def test_three_students_follow_a_link_run_notebook_02_and_move_a_slider(class_hub, browser, artifacts):
    out = artifacts / "hub"
    out.mkdir(exist_ok=True)
    hub = class_hub.hub
    link = class_hub.link()
    assert "urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F02_nmda_receptor.ipynb" in link
    for name in STUDENTS:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        class_hub.contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.goto(link, wait_until="domcontentloaded")
        page.fill("#username_input", name)
        page.fill("#password_input", hub.user_password)
        page.click("#login_submit")
        # the hub starts the student's server, nbgitpuller clones the course, JupyterLab opens the notebook
        page.wait_for_selector(f"{PANEL} .jp-Notebook .jp-Cell", timeout=240_000)
        assert f"/user/{name}/lab/tree/course/{NOTEBOOK}" in page.url
        assert (hub.state / "users" / name / "course" / NOTEBOOK).exists()
        kernel_idle(hub, name)
        run_all(page)
        stderr = page.locator(STDERR)
        texts = [stderr.nth(i).inner_text() for i in range(stderr.count())]
        assert not texts, f"{name}: notebook 02 shows errors after Run All:\n" + "\n---\n".join(texts)
        demo = slider_demo(page)
        slider_moves_figure(page, demo)
        page.screenshot(path=str(out / f"{name}-notebook02.png"))
        assert not errors, f"{name}: JavaScript errors: {errors}"
        class_hub.pages[name] = (page, demo)
    # every student has a server and a kernel of their own
    kernels = {name: class_hub.kernel_pids(name) for name in STUDENTS}
    assert all(len(p) == 1 for p in kernels.values()), kernels
    assert len({p[0] for p in kernels.values()}) == 3
    # ... talking over Unix sockets (ipc), not TCP ports
    for name in STUDENTS:
        files = list((loopback.runtime_dir(hub.state) / name).glob("kernel-*.json"))
        assert files and all(json.loads(f.read_text())["transport"] == "ipc" for f in files), name
    # ... and showing the figures make hub-env drew in advance (their pixels: tests/test_framestore.py)
    store = f"KETAMINE_COURSE_FRAME_STORE={ROOT / 'build' / 'hub' / 'frames'}".encode()
    for name, pids in kernels.items():
        assert store in Path(f"/proc/{pids[0]}/environ").read_bytes().split(b"\0"), name


def test_one_students_kernel_crash_leaves_the_others_working(class_hub, artifacts):
    if len(class_hub.pages) != len(STUDENTS):
        pytest.skip("needs the three students of the previous test")
    hub = class_hub.hub
    victim, others = STUDENTS[0], STUDENTS[1:]
    before = {name: class_hub.kernel_pids(name) for name in STUDENTS}
    shown = {name: class_hub.pages[name][0].locator(STDERR).count() for name in others}
    os.kill(before[victim][0], signal.SIGKILL)
    # the others' kernels are untouched and still answer the slider
    for name in others:
        page, demo = class_hub.pages[name]
        slider_moves_figure(page, demo)
        assert class_hub.kernel_pids(name) == before[name]
        assert page.locator(STDERR).count() == shown[name], f"{name}: new errors after another student's crash"
    # the crashed student's server is still up and restarts the kernel on its own
    assert hub.user_api(victim, "GET", "status")["kernels"] >= 1
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        now = class_hub.kernel_pids(victim)
        if now and now != before[victim]:
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"{victim}'s kernel was not restarted after the crash")
    class_hub.pages[victim][0].screenshot(path=str(artifacts / "hub" / f"{victim}-after-crash.png"))


def pull(hub, name: str, repo: str, timeout: float = 120.0) -> str:
    """Run nbgitpuller for ``name`` through their server, as a link's status page does; the event stream."""
    url = f"{hub.url}/user/{name}/git-pull/api?repo={repo}&branch=main&targetpath=course"
    req = urllib.request.Request(url, headers={"Authorization": f"token {hub.token}"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        stream = r.read().decode()
    assert '"phase": "finished"' in stream, stream[-2000:]
    return stream


def test_repull_keeps_the_students_edits(class_hub):
    hub = class_hub.hub
    name = STUDENTS[1]
    home = hub.state / "users" / name / "course"
    assert (home / NOTEBOOK).exists(), "the student pulled the course in the first test"
    # The student edits notebook 02 (the first markdown cell) and saves it through JupyterLab's API.
    model = hub.user_api(name, "GET", f"contents/course/{NOTEBOOK}?content=1")
    nb = nbformat.from_dict(model["content"])
    first_md = next(c for c in nb.cells if c.cell_type == "markdown")
    first_md.source = "STUDENT NOTE: Mg2+ leaves at depolarisation.\n\n" + first_md.source
    hub.user_api(name, "PUT", f"contents/course/{NOTEBOOK}", {"type": "notebook", "format": "json", "content": nb})
    # The instructor edits the same line, changes another notebook and adds a file, then pushes.
    work = class_hub.work
    inst = nbformat.read(work / NOTEBOOK, as_version=4)
    next(c for c in inst.cells if c.cell_type == "markdown").source = "INSTRUCTOR: revised title\n"
    nbformat.write(inst, work / NOTEBOOK)
    other = sorted((work / "notebooks").glob("0[3-9]_*.ipynb"))[0]
    nb3 = nbformat.read(other, as_version=4)
    nb3.cells.append(nbformat.v4.new_markdown_cell("INSTRUCTOR: new reading for week 3"))
    nbformat.write(nb3, other)
    (work / "notebooks" / "errata.md").write_text("# Errata\n\nNone yet.\n")
    git("add", "-A", cwd=work)
    git("commit", "-qm", "week 3 update", cwd=work)
    git("push", "-q", "origin", "HEAD:main", cwd=work)

    pull(hub, name, class_hub.repo_url)
    mine = nbformat.read(home / NOTEBOOK, as_version=4)
    first = next(c for c in mine.cells if c.cell_type == "markdown").source
    assert first.startswith("STUDENT NOTE: Mg2+ leaves at depolarisation."), first[:200]
    assert "INSTRUCTOR: revised title" not in first
    assert (home / "notebooks" / "errata.md").read_text() == "# Errata\n\nNone yet.\n"
    theirs = nbformat.read(home / "notebooks" / other.name, as_version=4)
    assert theirs.cells[-1].source == "INSTRUCTOR: new reading for week 3"
    # A student who never edited gets the instructor's version of the same cell.
    untouched = STUDENTS[2]
    pull(hub, untouched, class_hub.repo_url)
    fresh = nbformat.read(hub.state / "users" / untouched / "course" / NOTEBOOK, as_version=4)
    assert next(c for c in fresh.cells if c.cell_type == "markdown").source == "INSTRUCTOR: revised title\n"


def test_instructor_is_admin_and_a_wrong_password_is_refused(class_hub, browser):
    hub = class_hub.hub
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    class_hub.contexts.append(context)
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login", wait_until="domcontentloaded")
    page.fill("#username_input", "student9")
    page.fill("#password_input", "not the class password")
    page.click("#login_submit")
    page.wait_for_selector("text=Invalid username or password", timeout=30_000)
    page.fill("#username_input", "instructor")
    page.fill("#password_input", hub.user_password)     # the students' password is not enough
    page.click("#login_submit")
    page.wait_for_selector("text=Invalid username or password", timeout=30_000)
    page.fill("#username_input", "instructor")
    page.fill("#password_input", hub.admin_password)
    page.click("#login_submit")
    page.wait_for_load_state("domcontentloaded")
    page.goto(f"{hub.url}/hub/admin", wait_until="domcontentloaded")
    for name in STUDENTS:
        page.wait_for_selector(f"text={name}", timeout=60_000)
    users = {u["name"]: u for u in hub.api("GET", "users")}
    assert users["instructor"]["admin"] is True
    assert not any(users[n]["admin"] for n in STUDENTS)
    assert "student9" not in users


def test_stopping_the_hub_stops_everything(class_hub):
    hub = class_hub.hub
    for context in class_hub.contexts:
        context.close()
    class_hub.contexts.clear()
    hub.stop()
    assert hub.proc.returncode is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(loopback.user_pids(n) for n in STUDENTS):
        time.sleep(0.5)
    assert not any(loopback.user_pids(n) for n in STUDENTS), "student processes outlived the hub"
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{hub.url}/hub/api/", timeout=2)
