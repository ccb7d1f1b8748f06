"""`make lab` really serves JupyterLab: start it, ask its API, stop it."""

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from .conftest import ROOT


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_make_lab_serves_jupyterlab(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    args = (f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token} "
            f"--ServerApp.root_dir={ROOT}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path)
    proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2) as r:
                    status = json.loads(r.read())
                    break
            except OSError:
                time.sleep(0.5)
        assert status is not None, f"JupyterLab did not answer on port {port}"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=5) as r:
            assert r.status == 200 and b"JupyterLab" in r.read()
        with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/api/contents/notebooks/00_start_here.ipynb?content=0&token={token}",
                timeout=5) as r:
            assert json.loads(r.read())["type"] == "notebook"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2)


def test_make_explains_a_missing_or_old_python(tmp_path):
    """Set-up with no usable Python stops with a clear message, not a traceback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    done = subprocess.run(["make", "--no-print-directory", "setup", "PYTHON=python-that-does-not-exist",
                           f"VENV={tmp_path / 'venv'}"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0
    assert "needs Python 3.10 or newer" in done.stderr
    assert not (tmp_path / "venv").exists()


@pytest.mark.parametrize("target, extras", [("lab", False), ("test", True), ("check", True)])
def test_make_lab_installs_the_runtime_only(tmp_path, target, extras):
    """`make lab` installs the package without its test extras; the test targets add them (dry run)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    done = subprocess.run(["make", "-n", "--no-print-directory", target, f"VENV={tmp_path / 'venv'}"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True)
    assert "installing -e . with" in done.stdout
    assert ('installing -e ".[test]" with' in done.stdout) == extras
    assert "-c requirements/lock.txt" in done.stdout, "the lock file constrains every install"
