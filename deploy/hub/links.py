"""Print one nbgitpuller link per course notebook, for a given JupyterHub and git repository.

    python deploy/hub/links.py --hub https://hub.example.edu --repo https://github.com/OWNER/REPO [--branch main]
    make links HUB_URL=https://hub.example.edu REPO_URL=https://github.com/OWNER/REPO

A student who follows a link logs in (if needed), gets a fresh copy of the repository in
their home folder on the first visit, or an update on later visits, and lands in the
notebook in JupyterLab. Updates never overwrite a student's own edits: nbgitpuller commits
them locally and merges the instructor's changes with the student's side winning.

The links go through /hub/user-redirect/, so one link works for every student. The
`urlpath` must start with `lab/tree/`; a bare notebook path ends on a 404 page.
Standard library only: the script runs with any Python 3.10+.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]


def default_target(repo: str) -> str:
    """The folder nbgitpuller clones into by default: the last part of the repository URL, minus .git."""
    name = repo.rstrip("/").split("/")[-1]
    return name[:-4] if name.endswith(".git") else name


def pull_link(hub: str, repo: str, notebook: str, branch: str | None = None, target: str | None = None) -> str:
    """The nbgitpuller link that opens ``notebook`` (a path inside the repository) in JupyterLab."""
    parts = urlsplit(hub)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"hub must be an http(s) URL such as https://hub.example.edu, got {hub!r}")
    if not repo:
        raise ValueError("repo must be a git URL (https://..., file://... or a path), got an empty string")
    if notebook.startswith("/") or ".." in Path(notebook).parts:
        raise ValueError(f"notebook must be a relative path inside the repository, got {notebook!r}")
    target = target or default_target(repo)
    query = {"repo": repo}
    if branch:
        query["branch"] = branch
    query["targetpath"] = target
    query["urlpath"] = f"lab/tree/{target}/{notebook}"
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{urlencode(query)}"


def course_notebooks(root: Path = ROOT) -> list[str]:
    return [f"notebooks/{p.name}" for p in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.edu")
    parser.add_argument("--repo", required=True, help="the course repository students pull from")
    parser.add_argument("--branch", default="main", help="branch to pull (default: main; '' = the default branch)")
    parser.add_argument("--target", default=None, help="folder name in the students' homes (default: repo name)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown list instead of bare links")
    args = parser.parse_args(argv)
    try:
        for nb in course_notebooks():
            link = pull_link(args.hub, args.repo, nb, args.branch or None, args.target)
            print(f"- [{Path(nb).stem}]({link})" if args.markdown else f"{Path(nb).stem}\t{link}")
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
