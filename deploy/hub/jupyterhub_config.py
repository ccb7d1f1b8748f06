"""JupyterHub for one class on one machine.

    jupyterhub -f deploy/hub/jupyterhub_config.py        (or: make hub)

Every setting can be changed without editing this file, through environment
variables (all optional):

COURSE_HUB_STATE            folder for the hub's database, cookie secret, passwords and,
                            with the simple spawner, the students' home folders
                            (default: build/hub/state in the checkout)
COURSE_HUB_IP / _PORT       where the hub listens (default 127.0.0.1:8000: this machine only)
COURSE_HUB_INTERNAL_PORT    the hub's own API port (default: public port + 1)
COURSE_HUB_PROXY_API_PORT   the proxy's API port (default: public port + 2)
COURSE_HUB_PROXY            path of configurable-http-proxy (default: the npm copy of make hub-env)
COURSE_HUB_SPAWNER          "systemd" (real deployments: one isolated, resource-limited unit per
                            student) or "simple" (default: plain processes, for trying out and tests)
COURSE_HUB_ADMINS           comma-separated admin (instructor) user names (default: "instructor")
COURSE_HUB_ROSTER           a text file with one student user name per line; only these (and the
                            admins) may log in. Unset: anyone who knows the class password may
                            pick a user name (fine on 127.0.0.1, not on a public address).
COURSE_HUB_USER_PASSWORD    the class password (>= 8 characters); else read from
                            STATE/user_password, created with a random value on first start
COURSE_HUB_ADMIN_PASSWORD   the instructors' password (>= 32 characters); else STATE/admin_password
COURSE_HUB_ADMIN_TOKEN      optional API token for a "class-admin" service (scripts that create
                            users, start servers, run the load test)
COURSE_HUB_MEM_LIMIT        memory per student (default 1G), enforced by the systemd spawner
COURSE_HUB_CPU_LIMIT        cores per student (default 1.0), enforced by the systemd spawner
COURSE_HUB_IDLE_TIMEOUT     seconds without activity before a student's server is stopped (3600)
COURSE_HUB_KERNEL_TRANSPORT "ipc" (default) or "tcp": only for measuring the difference
COURSE_HUB_PIXEL_DENSITY    device pixels per CSS pixel of the demo figures, 1 or 2 (default 1:
                            a quarter of the pixels per slider move, measured to serve a full class
                            better on one machine, BENCHMARKS.md); 2 is sharp on high-density screens
COURSE_HUB_FRAMES           folder of demo figures drawn before class by deploy/hub/predraw.py
                            (default: build/hub/frames, which make hub-env fills, when it exists);
                            "off" draws every figure in the students' kernels

Kernels use the ipc transport (Unix sockets) instead of TCP ports: with TCP, a class
starting kernels at the same moment can lose kernels to "Address already in use".
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

c = get_config()  # noqa: F821 -- provided by JupyterHub when it loads this file

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
STATE = Path(os.environ.get("COURSE_HUB_STATE", ROOT / "build" / "hub" / "state")).resolve()
STATE.mkdir(parents=True, exist_ok=True, mode=0o700)
#: The venv that runs this hub also runs the students' servers: it holds the course
#: (installed from requirements/lock.txt), JupyterLab and nbgitpuller.
BIN = Path(sys.executable).parent


def env_int(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number between {low} and {high}, got {raw!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return value


def env_float(name: str, default: float, low: float, high: float, unit: str) -> float:
    raw = os.environ.get(name, str(default))
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of {unit} between {low} and {high}, got {raw!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high} {unit}, got {value}")
    return value


def env_bytes(name: str, default: str) -> str:
    raw = os.environ.get(name, default).strip()
    if not re.fullmatch(r"[1-9][0-9]*(\.[0-9]+)?[KMGT]", raw):
        raise ValueError(f"{name} must be a memory size such as 512M, 1G or 1.5G (units K, M, G, T), got {raw!r}")
    return raw


def secret(name: str, env: str, length: int) -> str:
    """A password from the environment, else from STATE/<name>, created at random on first use."""
    if os.environ.get(env):
        return os.environ[env]
    path = STATE / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(length) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


# --- where the hub listens -----------------------------------------------------------------
# Passed to every student's server and kernels: the demos' pixel density (read by
# ketamine_course.demos.base), and a config folder whose singleuser/jupyter_server_config.py turns
# off Nagle's algorithm on kernel websockets (a slider move's figure then arrives without waiting
# for a delayed acknowledgement).
SERVER_ENV = {"KETAMINE_COURSE_PIXEL_DENSITY": str(env_int("COURSE_HUB_PIXEL_DENSITY", 1, 1, 2)),
              "JUPYTER_CONFIG_PATH": str(HERE / "singleuser")}


def frame_store() -> Path | None:
    """The folder of figures drawn before class (deploy/hub/predraw.py), or None for none."""
    raw = os.environ.get("COURSE_HUB_FRAMES", "").strip()
    if raw == "off":
        return None
    if not raw:
        default = ROOT / "build" / "hub" / "frames"
        return default if default.is_dir() else None
    if not Path(raw).is_dir():
        raise ValueError(f"COURSE_HUB_FRAMES must be an existing folder of pre-drawn frames "
                         f"(deploy/hub/predraw.py) or \"off\", got {raw!r}")
    return Path(raw).resolve()


# Kernels show a state from the store instead of drawing it (ketamine_course.demos.framestore).
FRAMES = frame_store()
if FRAMES is not None:
    SERVER_ENV["KETAMINE_COURSE_FRAME_STORE"] = str(FRAMES)

IP = os.environ.get("COURSE_HUB_IP", "127.0.0.1")
PORT = env_int("COURSE_HUB_PORT", 8000, 1, 65533)
c.JupyterHub.bind_url = f"http://{IP}:{PORT}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{env_int('COURSE_HUB_INTERNAL_PORT', PORT + 1, 1, 65535)}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env_int('COURSE_HUB_PROXY_API_PORT', PORT + 2, 1, 65535)}"
c.ConfigurableHTTPProxy.command = [os.environ.get(
    "COURSE_HUB_PROXY", str(ROOT / "build" / "hub" / "npm" / "node_modules" / ".bin" / "configurable-http-proxy"))]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
# Stopping the hub stops every student's server too (nothing is left running).
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# --- who may log in ------------------------------------------------------------------------
# The shared-password authenticator ships with JupyterHub: students type their user name and
# the class password; instructors use a separate, longer password and get admin rights.
# Caveat: anyone with the class password can log in under any student name. For graded work,
# use the university's single sign-on (an OAuthenticator or LTI authenticator) instead.
ADMINS = {n.strip().lower() for n in os.environ.get("COURSE_HUB_ADMINS", "instructor").split(",") if n.strip()}
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = secret("user_password", "COURSE_HUB_USER_PASSWORD", 12)
c.SharedPasswordAuthenticator.admin_password = secret("admin_password", "COURSE_HUB_ADMIN_PASSWORD", 32)
c.Authenticator.admin_users = ADMINS
roster = os.environ.get("COURSE_HUB_ROSTER")
if roster:
    names = {line.strip().lower() for line in Path(roster).read_text().splitlines()
             if line.strip() and not line.startswith("#")}
    c.Authenticator.allowed_users = names | ADMINS
else:
    c.Authenticator.allow_all = True

# --- the students' servers ----------------------------------------------------------------
SPAWNER = os.environ.get("COURSE_HUB_SPAWNER", "simple")
# Unix-socket paths must stay under ~100 characters: keep kernel runtime files in a short folder.
SHORT = Path(tempfile.gettempdir()) / ("jh-" + hashlib.sha256(str(STATE).encode()).hexdigest()[:8])
if SPAWNER == "systemd":
    # One transient systemd unit per student, under a dynamic (throw-away) system user, with
    # a private /tmp and the memory and CPU limits below enforced by cgroups.
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.dynamic_users = True
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.isolate_devices = True
    c.Spawner.environment = {"JUPYTER_RUNTIME_DIR": "/tmp/jupyter-runtime", **SERVER_ENV}
elif SPAWNER == "simple":
    # Plain processes as the hub's own user, one home folder per student under STATE/users.
    # No isolation between students and no enforced limits: for trying out and for tests.
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "users" / "{username}")
    c.Spawner.environment = {"JUPYTER_RUNTIME_DIR": lambda spawner: str(SHORT / spawner.user.name), **SERVER_ENV}
else:
    raise ValueError(f"COURSE_HUB_SPAWNER must be 'systemd' or 'simple', got {SPAWNER!r}")

c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.mem_limit = env_bytes("COURSE_HUB_MEM_LIMIT", "1G")
c.Spawner.cpu_limit = env_float("COURSE_HUB_CPU_LIMIT", 1.0, 0.1, 64, "cores")
# A class logs in at once on a busy machine: give servers time to come up.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
TRANSPORT = os.environ.get("COURSE_HUB_KERNEL_TRANSPORT", "ipc")
if TRANSPORT not in ("ipc", "tcp"):
    raise ValueError(f"COURSE_HUB_KERNEL_TRANSPORT must be 'ipc' or 'tcp', got {TRANSPORT!r}")
c.Spawner.args = [
    f"--KernelManager.transport={TRANSPORT}",
    # Kernels idle for 30 minutes are shut down inside a running server ...
    "--MappingKernelManager.cull_idle_timeout=1800",
    "--MappingKernelManager.cull_interval=300",
    "--MappingKernelManager.cull_connected=False",
]
if SPAWNER == "simple" and os.geteuid() == 0:
    c.Spawner.args.append("--ServerApp.allow_root=True")

# --- services ------------------------------------------------------------------------------
# ... and whole servers idle for COURSE_HUB_IDLE_TIMEOUT seconds are stopped by the idle culler.
IDLE = env_int("COURSE_HUB_IDLE_TIMEOUT", 3600, 60, 7 * 24 * 3600)
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE}",
                f"--cull-every={min(300, IDLE // 2)}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
if os.environ.get("COURSE_HUB_ADMIN_TOKEN"):
    c.JupyterHub.services.append({"name": "class-admin", "api_token": os.environ["COURSE_HUB_ADMIN_TOKEN"]})
    c.JupyterHub.load_roles.append({
        "name": "class-admin",
        "scopes": ["admin:users", "admin:servers", "access:servers", "list:users", "read:users"],
        "services": ["class-admin"],
    })

if not Path(c.ConfigurableHTTPProxy.command[0]).exists() and not shutil.which(c.ConfigurableHTTPProxy.command[0]):
    raise FileNotFoundError(f"configurable-http-proxy not found at {c.ConfigurableHTTPProxy.command[0]}: "
                            "run `make hub-env` (installs it from npm) or set COURSE_HUB_PROXY")
