"""Fixtures for the class-hub browser tests: the hub's own venv and proxy (make hub-env).

They live under tests/e2e so that they share its one chromium (playwright's sync API allows one at a time).

`make hub-env` installs what the hub needs (the course from requirements/lock.txt as a normal
package, deploy/hub/requirements.txt, configurable-http-proxy from npm). When that cannot be
done, the hub tests skip on a developer's machine and fail in CI (environment variable CI set),
like the browser tests in tests/e2e.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ...conftest import ROOT
from ..conftest import IN_CI

sys.path.insert(0, str(ROOT / "deploy" / "hub"))
import loopback  # noqa: E402  (deploy/hub/loopback.py)


def pytest_configure(config):
    config.addinivalue_line("markers", "hub: starts a JupyterHub on loopback (deploy/hub); runs in `make test`")


def require(ok: bool, what: str) -> None:
    if ok:
        return
    message = f"hub tests need {what}"
    if IN_CI:
        pytest.fail(f"{message}; CI must run them", pytrace=False)
    pytest.skip(f"{message}: run `make hub-env` (needs PyPI and npm)")


@pytest.fixture(scope="session")
def hub_env():
    """Build (or reuse) build/hub: the hub venv and the proxy. Returns the venv path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    try:
        done = subprocess.run(["make", "--no-print-directory", "hub-env"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=1200)
    except (OSError, subprocess.TimeoutExpired) as err:
        require(False, f"`make hub-env` to finish ({err})")
    require(done.returncode == 0, f"`make hub-env` to succeed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    require(loopback.PROXY.exists(), "configurable-http-proxy from npm")
    return loopback.HUB_VENV
