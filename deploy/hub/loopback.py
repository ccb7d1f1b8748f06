"""Start the class hub (deploy/hub/jupyterhub_config.py) on this machine's loopback address.

Used by the hub tests (tests/e2e/hub) and by the load test (deploy/hub/loadtest.py). Standard
library only, so any Python can drive a hub that runs in the hub venv (make hub-env).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
HUB_VENV = ROOT / "build" / "hub" / "venv"
PROXY = ROOT / "build" / "hub" / "npm" / "node_modules" / ".bin" / "configurable-http-proxy"


def free_ports(count: int = 3) -> int:
    """A port p on 127.0.0.1 such that p .. p+count-1 are all free (hub, hub API, proxy API)."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + count > 65535:
            continue
        ok = True
        for p in range(base, base + count):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", p))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no free block of loopback ports")


def runtime_dir(state: Path) -> Path:
    """Where jupyterhub_config.py puts kernel runtime files for ``state`` (kept in step with it)."""
    digest = hashlib.sha256(str(Path(state).resolve()).encode()).hexdigest()[:8]
    return Path(tempfile.gettempdir()) / f"jh-{digest}"


def user_pids(name: str) -> list[int]:
    """Processes (server and kernels) that belong to hub user ``name``: they carry JUPYTERHUB_USER=name."""
    want = f"JUPYTERHUB_USER={name}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            env = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if want in env:
            pids.append(int(entry.name))
    return pids


def pss_mib(pid: int) -> float:
    """Proportional set size of one process in MiB (shared pages split between their users)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class LoopbackHub:
    """A running hub on 127.0.0.1 with its own state folder, passwords and admin API token."""

    def __init__(self, state: Path, venv: Path = HUB_VENV, proxy: Path = PROXY, extra_env: dict | None = None,
                 start_timeout: float = 120.0):
        self.state = Path(state)
        self.state.mkdir(parents=True, exist_ok=True)
        self.port = free_ports(3)
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(20)
        self.user_password = secrets.token_urlsafe(12)
        self.admin_password = secrets.token_urlsafe(32)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "COURSE_HUB_"))}
        env.update({
            "COURSE_HUB_STATE": str(self.state), "COURSE_HUB_PORT": str(self.port),
            "COURSE_HUB_ADMIN_TOKEN": self.token, "COURSE_HUB_PROXY": str(proxy),
            "COURSE_HUB_USER_PASSWORD": self.user_password, "COURSE_HUB_ADMIN_PASSWORD": self.admin_password,
        })
        env.update(extra_env or {})
        self.log_path = self.state / "hub.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([str(Path(venv) / "bin" / "jupyterhub"), "-f", str(HERE / "jupyterhub_config.py")],
                                     cwd=self.state, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                self.api("GET", "")
                return
            except (OSError, urllib.error.HTTPError):
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"the hub did not start; see {self.log_path}") from None
                time.sleep(0.3)

    # --- REST API (as the class-admin service) ---------------------------------------------
    def request(self, method: str, url: str, body=None, timeout: float = 30.0):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method,
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
        return json.loads(raw) if raw.strip() else None

    def api(self, method: str, path: str, body=None, timeout: float = 30.0):
        return self.request(method, f"{self.url}/hub/api/{path}", body, timeout)

    def user_api(self, name: str, method: str, path: str, body=None, timeout: float = 30.0):
        """The student's own Jupyter server API, through the proxy (e.g. 'kernels')."""
        return self.request(method, f"{self.url}/user/{name}/api/{path}", body, timeout)

    def create_users(self, names: list[str]) -> None:
        self.api("POST", "users", {"usernames": list(names)})

    def start_server(self, name: str, timeout: float = 180.0) -> float:
        """Start a student's server; seconds until the hub reports it ready."""
        t0 = time.monotonic()
        self.api("POST", f"users/{name}/server")
        while time.monotonic() - t0 < timeout:
            server = self.api("GET", f"users/{name}")["servers"].get("")
            if server and server.get("ready"):
                return time.monotonic() - t0
            time.sleep(0.25)
        raise TimeoutError(f"server of {name} not ready after {timeout} s")

    def leftovers(self) -> list[int]:
        """Processes that this hub started for its users and that are still running (ideally none)."""
        want = f"JUPYTERHUB_API_URL=http://127.0.0.1:{self.port + 1}/hub/api".encode()
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if want in (entry / "environ").read_bytes().split(b"\0"):
                        pids.append(int(entry.name))
                except OSError:
                    pass
        return pids

    def stop(self) -> None:
        """Stop the hub; the hub stops every student's server (cleanup_servers) on its way out."""
        try:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait()
        finally:
            self.log.close()
            # the config's short folder for kernel runtime files and ipc sockets
            shutil.rmtree(runtime_dir(self.state), ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
