"""The course as a normal package: build the wheel, install it outside the checkout, run every notebook.

A hub image, Binder or ``pip install git+...`` installs a wheel, not an
editable checkout, so data/ and figures/ must come from the package
(ketamine_course.resources). The wheel is installed into a fresh venv in a
temporary folder with the locked versions, the notebooks are copied next to
nothing else, and strict nbval runs them with that venv's Python.
Slow (a fresh venv and every notebook): `make test` runs it, `make check` skips it.
"""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import NOTEBOOKS, ROOT

pytestmark = pytest.mark.slow
SHIPPED = {"data": ("references.bib", "README.md", "glossary.csv", "history.csv"),
           "figures": ("course_map.png", "nmda_receptor.png")}


def _run(args, **kw):
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv python, folder with copies of the notebooks) for the installed wheel."""
    tmp = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp / "dist", ROOT], env=env)
    wheel = next((tmp / "dist").glob("ketamine_course-*.whl"))
    _run([sys.executable, "-m", "venv", tmp / "venv"], env=env)
    python = tmp / "venv" / "bin" / "python"
    uv = shutil.which("uv") or (Path(sys.executable).parent / "uv")
    spec = [f"{wheel}[test]", "-c", ROOT / "requirements" / "lock.txt"]
    if Path(uv).exists():
        _run([uv, "pip", "install", "--quiet", "--python", python, *spec], env=env, cwd=tmp)
    else:
        _run([python, "-m", "pip", "install", "--quiet", *spec], env=env, cwd=tmp)
    work = tmp / "course"
    work.mkdir()
    for nb in NOTEBOOKS:
        shutil.copy2(nb, work / nb.name)
    shutil.copy2(ROOT / "tests" / "nbval_sanitize.cfg", work / "nbval_sanitize.cfg")
    return python, work, wheel, env


def test_wheel_ships_data_and_figures(installed):
    wheel = installed[2]
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, files in SHIPPED.items():
        for name in files:
            assert f"ketamine_course/{folder}/{name}" in names, f"the wheel lacks {folder}/{name}"
    csvs = {p.name for p in (ROOT / "data").glob("*.csv")}
    assert csvs <= {Path(n).name for n in names if n.startswith("ketamine_course/data/")}


def test_installed_package_reads_its_own_files(installed):
    python, work, _, env = installed
    code = ("import ketamine_course, ketamine_course.resources as r, ketamine_course.data as d; "
            "print(ketamine_course.__file__); print(r.repo_root()); print(r.data_dir()); "
            "print(len(d.reference_keys()))")
    out = _run([python, "-c", code], cwd=work, env=env).stdout.splitlines()
    venv = str(python.parents[1])
    assert out[0].startswith(venv), "imported the checkout, not the installed package"
    assert out[1] == "None"
    assert out[2].startswith(venv)
    assert int(out[3]) > 10


def test_every_notebook_runs_against_the_installed_package(installed):
    python, work, _, env = installed
    env = dict(env, PYTHONHASHSEED="0", MPLBACKEND="Agg")
    _run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
          "--nbval-sanitize-with=nbval_sanitize.cfg", "--nbval-cell-timeout=300",
          "-o", "testpaths=.", *[nb.name for nb in NOTEBOOKS]], cwd=work, env=env)
