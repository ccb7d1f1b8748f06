"""The class-hub files, checked without starting anything: links, hub configuration, Kubernetes values."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from traitlets.config import Config

from ..conftest import NOTEBOOKS, ROOT

HUB = ROOT / "deploy" / "hub"
sys.path.insert(0, str(HUB))
import links  # noqa: E402  (deploy/hub/links.py)


# --- nbgitpuller links --------------------------------------------------------------------------
def test_link_opens_the_notebook_in_jupyterlab():
    link = links.pull_link("https://hub.example.edu/", "https://github.com/owner/ketamine-course.git",
                           "notebooks/02_nmda_receptor.ipynb", branch="main")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {"repo": "https://github.com/owner/ketamine-course.git", "branch": "main",
                     "targetpath": "ketamine-course",
                     "urlpath": "lab/tree/ketamine-course/notebooks/02_nmda_receptor.ipynb"}


def test_links_cover_every_notebook_and_omit_an_empty_branch():
    out = subprocess.run([sys.executable, str(HUB / "links.py"), "--hub", "http://127.0.0.1:8000",
                          "--repo", "file:///srv/course.git", "--branch", ""], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    rows = [line.split("\t") for line in out.stdout.splitlines()]
    assert [name for name, _ in rows] == [p.stem for p in NOTEBOOKS]
    for (name, link), nb in zip(rows, NOTEBOOKS):
        query = parse_qs(urlsplit(link).query)
        assert "branch" not in query
        assert query["urlpath"] == [f"lab/tree/course/notebooks/{nb.name}"]


@pytest.mark.parametrize(("hub", "repo", "notebook", "needle"), [
    ("hub.example.edu", "https://x/y", "notebooks/a.ipynb", "hub must be an http(s) URL"),
    ("ftp://hub.example.edu", "https://x/y", "notebooks/a.ipynb", "hub must be an http(s) URL"),
    ("https://hub.example.edu", "", "notebooks/a.ipynb", "repo must be a git URL"),
    ("https://hub.example.edu", "https://x/y", "../a.ipynb", "notebook must be a relative path"),
])
def test_bad_link_input_names_the_parameter(hub, repo, notebook, needle):
    with pytest.raises(ValueError, match=re.escape(needle)):
        links.pull_link(hub, repo, notebook)


def test_make_links_without_urls_prints_usage():
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    out = subprocess.run(["make", "--no-print-directory", "links"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode != 0 and "usage: make links HUB_URL=" in out.stderr


# --- jupyterhub_config.py -----------------------------------------------------------------------
def load_config(tmp_path: Path, **env) -> Config:
    c = Config()
    saved = dict(os.environ)
    os.environ.update({"COURSE_HUB_STATE": str(tmp_path / "state"), "COURSE_HUB_PROXY": "/bin/true", **env})
    try:
        code = compile((HUB / "jupyterhub_config.py").read_text(), str(HUB / "jupyterhub_config.py"), "exec")
        exec(code, {"get_config": lambda: c, "__file__": str(HUB / "jupyterhub_config.py"), "__name__": "config"})
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return c


def test_config_is_a_class_hub_on_loopback(tmp_path):
    c = load_config(tmp_path, COURSE_HUB_PORT="8123", COURSE_HUB_ADMINS="Prof,ta")
    assert c.JupyterHub.bind_url == "http://127.0.0.1:8123"
    assert c.JupyterHub.authenticator_class == "shared-password"
    assert c.Authenticator.admin_users == {"prof", "ta"}
    assert len(c.SharedPasswordAuthenticator.user_password) >= 8
    assert len(c.SharedPasswordAuthenticator.admin_password) >= 32
    # random passwords are created once and kept
    again = load_config(tmp_path)
    assert again.SharedPasswordAuthenticator.user_password == c.SharedPasswordAuthenticator.user_password
    assert oct((tmp_path / "state" / "user_password").stat().st_mode & 0o777) == "0o600"
    assert "--KernelManager.transport=ipc" in c.Spawner.args
    assert c.Spawner.default_url == "/lab"
    assert c.Spawner.mem_limit == "1G" and c.Spawner.cpu_limit == 1.0
    culler = next(s for s in c.JupyterHub.services if s["name"] == "idle-culler")
    assert "--timeout=3600" in culler["command"]
    role = next(r for r in c.JupyterHub.load_roles if r["name"] == "idle-culler")
    assert set(role["scopes"]) == {"list:users", "read:users:activity", "read:servers", "delete:servers"}
    assert not any(s["name"] == "class-admin" for s in c.JupyterHub.services)


@pytest.mark.parametrize(("spawner", "density"), [("simple", None), ("simple", "2"), ("systemd", "2")])
def test_config_passes_the_figure_pixel_density_to_students(tmp_path, spawner, density):
    env = {"COURSE_HUB_SPAWNER": spawner, **({"COURSE_HUB_PIXEL_DENSITY": density} if density else {})}
    c = load_config(tmp_path, **env)
    assert c.Spawner.environment["KETAMINE_COURSE_PIXEL_DENSITY"] == (density or "1")


@pytest.mark.parametrize("spawner", ["simple", "systemd"])
def test_students_servers_send_kernel_messages_without_nagle(tmp_path, spawner):
    """The hub points every server at singleuser/, whose config swaps in a TCP_NODELAY kernel connection."""
    pytest.importorskip("jupyter_server")
    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

    c = load_config(tmp_path, COURSE_HUB_SPAWNER=spawner)
    folder = Path(c.Spawner.environment["JUPYTER_CONFIG_PATH"])
    assert folder == HUB / "singleuser"
    server = Config()
    path = folder / "jupyter_server_config.py"
    exec(compile(path.read_text(), str(path), "exec"), {"get_config": lambda: server, "__name__": "config"})
    connection = server.ServerApp.kernel_websocket_connection_class
    assert issubclass(connection, ZMQChannelsWebsocketConnection)

    class Handler:
        nodelay = None

        def set_nodelay(self, value):
            self.nodelay = value

    handler = Handler()
    probe = connection.__new__(connection)       # no kernel: only the first step of connect() can run
    probe._trait_values = {"websocket_handler": handler}
    with pytest.raises(Exception):                 # the standard connect() then needs a kernel manager
        probe.connect()
    assert handler.nodelay is True


@pytest.mark.parametrize("spawner", ["simple", "systemd"])
def test_config_points_kernels_at_the_figures_drawn_in_advance(tmp_path, spawner):
    frames = tmp_path / "frames"
    frames.mkdir()
    c = load_config(tmp_path, COURSE_HUB_SPAWNER=spawner, COURSE_HUB_FRAMES=str(frames))
    assert c.Spawner.environment["KETAMINE_COURSE_FRAME_STORE"] == str(frames.resolve())
    off = load_config(tmp_path, COURSE_HUB_SPAWNER=spawner, COURSE_HUB_FRAMES="off")
    assert "KETAMINE_COURSE_FRAME_STORE" not in off.Spawner.environment
    with pytest.raises(ValueError, match=re.escape("COURSE_HUB_FRAMES must be an existing folder of pre-drawn "
                                                   "frames (deploy/hub/predraw.py) or \"off\", got")):
        load_config(tmp_path, COURSE_HUB_FRAMES=str(tmp_path / "missing"))


def test_config_roster_limits_who_may_log_in(tmp_path):
    roster = tmp_path / "roster.txt"
    roster.write_text("# week 1\nAda\nbo\n\n")
    c = load_config(tmp_path, COURSE_HUB_ROSTER=str(roster))
    assert c.Authenticator.allowed_users == {"ada", "bo", "instructor"}
    assert "allow_all" not in c.Authenticator


def test_config_systemd_spawner_enforces_limits(tmp_path):
    c = load_config(tmp_path, COURSE_HUB_SPAWNER="systemd", COURSE_HUB_MEM_LIMIT="2G", COURSE_HUB_CPU_LIMIT="0.5")
    assert c.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert c.SystemdSpawner.dynamic_users and c.SystemdSpawner.isolate_tmp
    assert (c.Spawner.mem_limit, c.Spawner.cpu_limit) == ("2G", 0.5)


@pytest.mark.parametrize(("env", "needle"), [
    ({"COURSE_HUB_SPAWNER": "docker"}, "COURSE_HUB_SPAWNER must be 'systemd' or 'simple', got 'docker'"),
    ({"COURSE_HUB_PORT": "eighty"}, "COURSE_HUB_PORT must be a whole number between 1 and 65533"),
    ({"COURSE_HUB_IDLE_TIMEOUT": "5"}, "COURSE_HUB_IDLE_TIMEOUT must be between 60 and 604800, got 5"),
    ({"COURSE_HUB_CPU_LIMIT": "two"}, "COURSE_HUB_CPU_LIMIT must be a number of cores between 0.1 and 64"),
    ({"COURSE_HUB_CPU_LIMIT": "0"}, "COURSE_HUB_CPU_LIMIT must be between 0.1 and 64 cores, got 0.0"),
    ({"COURSE_HUB_MEM_LIMIT": "1GB"}, "COURSE_HUB_MEM_LIMIT must be a memory size such as 512M, 1G"),
    ({"COURSE_HUB_KERNEL_TRANSPORT": "udp"}, "COURSE_HUB_KERNEL_TRANSPORT must be 'ipc' or 'tcp', got 'udp'"),
    ({"COURSE_HUB_PIXEL_DENSITY": "3"}, "COURSE_HUB_PIXEL_DENSITY must be between 1 and 2, got 3"),
])
def test_config_rejects_bad_settings_by_name(tmp_path, env, needle):
    with pytest.raises(ValueError, match=re.escape(needle)):
        load_config(tmp_path, **env)


def test_config_needs_the_proxy(tmp_path):
    with pytest.raises(FileNotFoundError, match="make hub-env"):
        load_config(tmp_path, COURSE_HUB_PROXY=str(tmp_path / "no-proxy"))


def test_hub_requirements_are_exact_pins_apart_from_the_course_lock():
    lock = {line.split("==")[0].lower().replace("_", "-")
            for line in (ROOT / "requirements" / "lock.txt").read_text().splitlines() if "==" in line}
    pins = [line for line in (HUB / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    assert pins and all("==" in p and p.count("==") == 1 for p in pins)
    names = [p.split("==")[0].lower().replace("_", "-") for p in pins]
    assert {"jupyterhub", "nbgitpuller", "jupyterhub-idle-culler", "jupyterhub-systemdspawner"} <= set(names)
    assert not set(names) & lock, "pin these in requirements/lock.txt or here, not both"


# --- Zero to JupyterHub values.yaml -------------------------------------------------------------
def helm_merge(defaults, values):
    """Helm's merge of user values over chart defaults: maps merge, a null removes, the rest replaces."""
    out = dict(defaults)
    for key, value in values.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = helm_merge(out[key], value)
        else:
            out[key] = value
    return out


@pytest.fixture(scope="module")
def z2jh():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((HUB / "z2jh" / "values.schema.json").read_text())
    defaults = yaml.safe_load((HUB / "z2jh" / "chart-values.yaml").read_text())
    values = yaml.safe_load((HUB / "values.yaml").read_text())
    return jsonschema, schema, defaults, values


def test_values_yaml_passes_the_chart_schema(z2jh):
    jsonschema, schema, defaults, values = z2jh
    jsonschema.validate(defaults, schema)     # the vendored pair is consistent
    jsonschema.validate(helm_merge(defaults, values), schema)


def test_schema_check_catches_mistakes(z2jh):
    jsonschema, schema, defaults, values = z2jh
    for bad in ({"singleuser": {"memory": {"limt": "1G"}}},       # misspelt key
                {"cull": {"timeout": "an hour"}},                 # wrong type
                {"singleuser": {"image": {"name": "x", "tag": 1}}}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(helm_merge(helm_merge(defaults, values), bad), schema)


def test_values_yaml_matches_the_one_machine_policy(z2jh, tmp_path):
    _, _, _, values = z2jh
    c = load_config(tmp_path)
    assert values["cull"]["enabled"] is True
    culler = next(s for s in c.JupyterHub.services if s["name"] == "idle-culler")
    assert f"--timeout={values['cull']['timeout']}" in culler["command"]
    assert values["singleuser"]["memory"]["limit"] == c.Spawner.mem_limit
    assert values["singleuser"]["cpu"]["limit"] == c.Spawner.cpu_limit
    # (allow_root is added only when the simple spawner runs as root, as on a CI machine)
    assert values["hub"]["config"]["Spawner"]["args"] == [a for a in c.Spawner.args if "allow_root" not in a]
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] == c.JupyterHub.authenticator_class
    assert values["singleuser"]["defaultUrl"] == c.Spawner.default_url


# --- the load test's report ---------------------------------------------------------------------
def fake_run(n, p95_1s, failures=0, mem=220.0, frames="on"):
    pattern = {"moves": 20 * n, "p50": 40.0, "p95": p95_1s, "max": p95_1s + 10, "failures": failures,
               "errors": [], "load_before": "0.10 / 0.20 / 0.30", "load_after": "1.00 / 0.50 / 0.40"}
    return {"students": n, "frames": frames, "server_s": [2.0] * n, "kernel_s": [1.5] * n, "memory_mib": [mem] * n,
            "cell_errors": [], "start_failures": [], "load_before": "0 / 0 / 0", "load_after": "0 / 0 / 0",
            "patterns": {"1/s": pattern, "drag": dict(pattern, p95=5 * p95_1s)}}


def test_loadtest_report_and_sizing_guide(tmp_path):
    loadtest = pytest.importorskip("loadtest")  # deploy/hub/loadtest.py (needs tornado, part of JupyterLab)
    args = type("Args", (), {"moves": 20, "seconds": 40.0, "burst": 3, "pixel_density": 2})()
    runs = [fake_run(5, 50), fake_run(10, 80), fake_run(20, 99), fake_run(30, 150),
            {"burst": {"students": 30, "transport": "tcp", "kernels": 90, "failed": 4, "errors": ["x"],
                       "seconds": 60.0, "load_before": "1 / 1 / 1", "load_after": "2 / 2 / 2"}}]
    text = loadtest.report(runs, args)
    cores = os.cpu_count()
    assert f"met p95 <= 100 ms at one move per second with no failures (the largest class that met the target): " \
           f"at least **{20 / cores:.3g} students per core**" in text
    assert "about 220 MiB per student" in text and f"**{1024 / 220:.0f} students per GiB**" in text
    assert "| 30 | on | 1 move/s | 600 | 40 | 150 | 160 | 0 | 0.10 / 0.20 / 0.30 | 1.00 / 0.50 / 0.40 |" in text
    assert "| tcp | 90 | 4 | 60 | 1 / 1 / 1 | 2 / 2 / 2 |" in text
    # a failure disqualifies a class size even when its p95 is low
    failing = loadtest.report([fake_run(5, 50, failures=1)], args)
    assert "no class size met p95 <= 100 ms" in failing

    # the report replaces only its own section
    bench = tmp_path / "BENCHMARKS.md"
    bench.write_text("# Benchmarks\n\n## Slider\nkeep me\n\n## Import time\nkeep me too\n")
    loadtest.write_section(bench, text)
    loadtest.write_section(bench, text.replace("students per core", "STUDENTS PER CORE"))
    result = bench.read_text()
    assert result.count(loadtest.SECTION) == 1 and "STUDENTS PER CORE" in result
    assert result.startswith("# Benchmarks\n\n## Slider\nkeep me\n\n## Import time\nkeep me too\n")
    bench.write_text(f"# Benchmarks\n\n{loadtest.SECTION}\nold\n\n## Later\nkept\n")
    loadtest.write_section(bench, text)
    result = bench.read_text()
    assert "old\n" not in result and result.endswith("## Later\nkept\n") and text in result


def test_loadtest_reports_where_the_cpu_went():
    loadtest = pytest.importorskip("loadtest")
    args = type("Args", (), {"moves": 20, "seconds": 40.0, "burst": 3, "pixel_density": 1})()
    run = fake_run(10, 80)
    cores = {"kernels": 0.5, "servers": 0.2, "proxy": 0.1, "hub": 0.0, "load generator": 0.15, "other": 0.05}
    run["patterns"]["1/s"].update(cores=cores, seconds=20.0)          # 200 moves in 20 s, 1.0 core busy
    run["settled"] = {"1/s": (12.0, 0.05)}
    text = loadtest.report([run], args)
    assert "| 10 | on | 1 move/s | 12 | 0.50 | 0.20 | 0.10 | 0.00 | 0.15 | 0.05 | 1.00 | 100 |" in text
    assert text.count("| 10 | on | all dragging | ") == 1                # no CPU row for a pattern without one
    assert "- CPU per move (10 students, one move per second): 100 ms, 50% of it in the kernels. " \
           "A core is fully busy at about 10 students" in text
    alone = fake_run(1, 120)
    assert "One student alone, at one move per second: p50 40 ms, p95 120 ms." in loadtest.report([alone, run], args)


def test_loadtest_sizes_the_hub_as_set_up_and_reports_the_figures_drawn_live():
    """The sizing guide comes from runs with the figures drawn in advance (the hub's default); runs
    without them are reported beside it, never mixed into it."""
    loadtest = pytest.importorskip("loadtest")
    args = type("Args", (), {"moves": 20, "seconds": 40.0, "burst": 3, "pixel_density": 1})()
    slow = fake_run(30, 700, frames="off")
    slow["patterns"]["1/s"].update(cores={role: 0.0 for role in loadtest.ROLES} | {"kernels": 1.2}, seconds=20.0)
    text = loadtest.report([fake_run(30, 90), slow], args)
    assert "Goal (30 students, no failures, p95 <= 100 ms at one move per second): met in this run." in text
    assert "| 30 | off | 1 move/s | 600 | 40 | 700 |" in text
    assert "Without the figures drawn in advance (the kernels draw every figure, as they do for a state outside the " \
           "store), at one move per second, p50 / p95: 30 students 40 / 700 ms (40 ms of CPU per move). " \
           "No class met the target without them." in text
    both = loadtest.report([fake_run(30, 90), fake_run(1, 60, frames="off"), slow], args)
    assert "p50 / p95: 1 student 40 / 60 ms; 30 students 40 / 700 ms (40 ms of CPU per move). " \
           "The largest class that met the target without them: 1 student." in both
    # only runs without them: the guide is theirs, and says the goal was not met
    alone = loadtest.report([slow], args)
    assert "not met in this run" in alone and "Without the figures drawn in advance" not in alone
    # one student on two cores: a fraction of a student per core is written as such, not rounded to 0
    assert f"at least **{1 / os.cpu_count():.3g} students per core**" in loadtest.report([fake_run(1, 50)], args)


def test_loadtest_sorts_processes_into_roles():
    loadtest = pytest.importorskip("loadtest")
    role = loadtest._role
    assert role(os.getpid(), b"python", b"") == "load generator"
    assert role(1, b"python\0-m\0ipykernel_launcher\0-f\0k.json", b"JUPYTERHUB_USER=s1") == "kernels"
    assert role(1, b"node\0configurable-http-proxy\0--ip", b"") == "proxy"
    assert role(1, b"python\0jupyterhub-singleuser", b"A=1\0JUPYTERHUB_USER=s1") == "servers"
    assert role(1, b"python\0-m\0jupyterhub\0-f\0cfg.py", b"") == "hub"
    assert role(1, b"sshd", b"") == "other"
    used = loadtest.cpu_seconds_by_role()
    assert set(used) == set(loadtest.ROLES) and used["load generator"] > 0


def test_loadtest_never_repeats_the_sliders_value_across_patterns():
    """Each pattern starts where the last left the slider: an unchanged value would draw nothing."""
    loadtest = pytest.importorskip("loadtest")
    student = loadtest.Student.__new__(loadtest.Student)
    student.rng = __import__("random").Random(3)
    student.info = {"min": -100.0, "max": -90.0, "step": 5.0, "value": -100.0}   # three positions
    sent = [-100.0]
    for _pattern in range(20):
        values = student.values()
        sent += [next(values) for _ in range(3)]
    assert all(a != b for a, b in zip(sent, sent[1:]))


def test_loadtest_speaks_jupyterlabs_kernel_websocket_protocol():
    """The simulated browser frames messages exactly as jupyter_server's v1 protocol code does."""
    loadtest = pytest.importorskip("loadtest")
    base = pytest.importorskip("jupyter_server.services.kernels.connection.base")
    parts = [b'{"msg_type": "comm_msg"}', b"{}", b"{}", b'{"comm_id": "c"}', b"\x89PNG\x00\x01"]
    packed = loadtest.ws_pack("shell", parts)
    assert packed == base.serialize_msg_to_ws_v1(parts, "shell")
    assert loadtest.ws_unpack(packed) == ("shell", parts) == base.deserialize_msg_from_ws_v1(packed)
    assert loadtest.WS_PROTOCOL == "v1.kernel.websocket.jupyter.org"
