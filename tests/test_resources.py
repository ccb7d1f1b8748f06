"""ketamine_course.resources: one place that finds data/, figures/, docs/ and the notebooks."""

import pytest

from ketamine_course import data, diagrams, glossary, resources

from .conftest import ROOT


def test_package_folders_are_the_repository_folders():
    """In a checkout the package reads the top-level data/ and figures/ that people browse."""
    assert resources.repo_root() == ROOT
    assert resources.data_dir().resolve() == (ROOT / "data").resolve()
    assert resources.figures_dir().resolve() == (ROOT / "figures").resolve()
    assert (resources.data_dir() / "references.bib").is_file()
    assert data.DATA_DIR == resources.data_dir()
    assert glossary.GLOSSARY_DOC == ROOT / "docs" / "glossary.md"
    assert resources.notebook_dir() == ROOT / "notebooks"


def test_every_diagram_shown_in_a_notebook_is_shipped():
    for name in diagrams.DIAGRAMS:
        assert (resources.figures_dir() / f"{name}.png").is_file(), f"figures/{name}.png is missing: make figures"


def test_package_links_point_at_the_top_level_folders():
    """src/ketamine_course/data and figures are symbolic links, so the wheel copies the same files."""
    for name in ("data", "figures"):
        link = ROOT / "src" / "ketamine_course" / name
        assert link.is_symlink() and link.resolve() == (ROOT / name).resolve()


def test_a_missing_folder_says_what_to_do(monkeypatch):
    monkeypatch.setattr(resources, "repo_root", lambda: None)
    with pytest.raises(FileNotFoundError, match=r"nothing_here/.*pip install \."):
        resources._folder("nothing_here")
