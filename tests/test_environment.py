"""pyproject.toml, environment.yml and the lock file describe the same course."""

import re
import sys

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from .conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
DECLARED = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]
            + PYPROJECT["project"]["optional-dependencies"]["test"]]


#: conda-forge names that differ from the PyPI name of the same package.
CONDA_TO_PYPI = {"python-isal": "isal"}


def _conda_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    reqs = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and not re.match(r"(python|pip)\b(?!-)", dep):
            req = Requirement(dep.replace(" ", ""))
            reqs[canonicalize_name(CONDA_TO_PYPI.get(req.name, req.name))] = req
    return reqs


def _lock():
    pins = {}
    for line in (ROOT / "requirements" / "lock.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"lock line is not an exact pin: {line}"
            pins[canonicalize_name(name)] = Version(version)
    return pins


def test_environment_yml_lists_the_same_packages_and_bounds():
    conda = _conda_requirements()
    pip = {canonicalize_name(r.name): r for r in DECLARED}
    assert sorted(conda) == sorted(pip), "environment.yml and pyproject.toml list different packages"
    for name, req in pip.items():
        assert str(conda[name].specifier) == str(req.specifier), name


def test_environment_yml_python_matches_requires_python():
    text = (ROOT / "environment.yml").read_text()
    bound = PYPROJECT["project"]["requires-python"]
    assert re.search(rf"^\s*-\s*python{re.escape(bound)}\s*$", text, flags=re.M)


def test_lock_pins_every_dependency_within_its_bounds():
    pins = _lock()
    for req in DECLARED:
        name = canonicalize_name(req.name)
        assert name in pins, f"{name} is not pinned in requirements/lock.txt"
        assert pins[name] in req.specifier, f"{name}=={pins[name]} is outside {req.specifier}"
