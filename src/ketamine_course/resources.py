"""Where the course's files are: the one place that resolves paths.

The data tables (``data/``) and the generated figures (``figures/``) live at the
top of the repository, where people browsing it find them. They also ship
inside the package: ``src/ketamine_course/data`` and ``.../figures`` are
symbolic links to those folders, so an editable install reads the repository's
files directly and ``pip install .`` (a wheel, a hub image, Binder) copies them
into the installed package. Both cases are read through
:mod:`importlib.resources`.

A checkout made without symbolic links (git on Windows with
``core.symlinks=false`` writes a small text file instead) falls back to the
repository folders. Everything a maintainer regenerates (``docs/``, the
notebooks) is in the repository only; :func:`repo_root` finds it, and is
``None`` for an installed package.

Only the standard library is imported here, so every module may use this one.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE = "ketamine_course"
_HERE = Path(__file__).resolve().parent


def repo_root() -> Path | None:
    """The repository this package runs from (an editable install), or None when installed as a wheel."""
    root = _HERE.parents[1]
    if _HERE.parent.name == "src" and (root / "pyproject.toml").is_file():
        return root
    return None


def _folder(name: str) -> Path:
    """A shipped folder as a real directory on disk (pip installs wheels unzipped)."""
    shipped = resources.files(PACKAGE).joinpath(name)
    if shipped.is_dir():
        return Path(str(shipped))
    root = repo_root()
    if root is not None and (root / name).is_dir():
        return root / name
    raise FileNotFoundError(f"ketamine_course: the package's {name}/ folder is missing; reinstall the course "
                            f"(pip install .) or run from a checkout that has {name}/")


def data_dir() -> Path:
    """The folder of CSV tables, references.bib and README.md."""
    return _folder("data")


def figures_dir() -> Path:
    """The folder of generated figures (PNG and SVG)."""
    return _folder("figures")


def docs_dir() -> Path:
    """The repository's docs/ folder (`make glossary` writes there); installed, docs/ under the current folder."""
    return (repo_root() or Path.cwd()) / "docs"


def notebook_dir() -> Path:
    """Where the course notebooks are: the checkout's notebooks/ or, installed, the current folder.

    An installed package does not ship the notebooks; Jupyter runs a notebook
    with its own folder as the working directory, so that is where its
    siblings are.
    """
    root = repo_root()
    if root is not None and (root / "notebooks").is_dir():
        return root / "notebooks"
    return Path.cwd()
