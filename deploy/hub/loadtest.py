"""How many students can one machine serve? Simulated students against a loopback hub.

    make loadtest                                    (N = 5, 10, 20, 30; writes BENCHMARKS.md)
    build/hub/venv/bin/python deploy/hub/loadtest.py --students 5 10 --report BENCHMARKS.md

For each class size N, a fresh hub (deploy/hub/jupyterhub_config.py, simple spawner) on
127.0.0.1:
1. N users are created and all N servers are started at the same moment; each start is
   timed until the hub reports the server ready;
2. every student starts a kernel through their server's REST API and connects to it over
   the same websocket JupyterLab uses, through the hub's proxy;
3. every student runs the code cells of notebook 02 in order, then builds the Mg2+ block demo
   (demos.mg_block) and moves its voltage slider by sending the widget "update" message a
   browser sends; a move's round trip is the time from sending it to receiving the
   new figure (the Image widget's update with the PNG);
4. two patterns: "1 move/s" (each student moves once a second, at a random phase) and
   "all dragging" (every student moves again as soon as the new figure arrives, as a
   dragging browser does, since ipywidgets sends the next value when the last is answered);
5. memory per student: proportional set size (PSS) of the student's server and kernel.
A failure is a server or kernel that does not start, a cell that raises, or a move with no
new figure within 10 s. Every loop is bounded in count and time, traffic stays on loopback,
and the hub (with every server) is stopped at the end of each class size.

The simulated browsers run in this one process on the same machine: they use some of
the CPU the hub would otherwise have. The report records the load average before and
after each run, since the machine may be shared. Before each pattern the test waits for the
machine to be quiet, and during it records the CPU time of the kernels, the students'
servers, the proxy, the hub and the load generator itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loopback import ROOT, LoopbackHub, pss_mib, user_pids  # noqa: E402

NOTEBOOK = ROOT / "notebooks" / "02_nmda_receptor.ipynb"
SECTION = "## JupyterHub: students per machine (make loadtest)"
MOVE_TIMEOUT = 10.0
#: The figures make hub-env draws before class (deploy/hub/predraw.py), used by the hub by default.
FRAMES = ROOT / "build" / "hub" / "frames"

DEMO_SETUP = r"""
import json as _json
from ketamine_course import demos as _demos
_lt = _demos.mg_block()
display(_lt)
_c = _lt.controls["voltage_mv"]
print(_json.dumps({"comm": _c.model_id, "image": _lt.image.model_id,
                   "min": _c.min, "max": _c.max, "step": _c.step, "value": _c.value}))
"""


def stop_leftovers(hub: LoopbackHub) -> int:
    """After the hub stopped: kill (by pid) any process it started that is still running; how many there were."""
    time.sleep(2)
    pids = hub.leftovers()
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return len(pids)


def loadavg() -> str:
    return " / ".join(Path("/proc/loadavg").read_text().split()[:3])


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
#: Roles of the processes whose CPU time is recorded during a pattern, in the report's column order.
ROLES = ("kernels", "servers", "proxy", "hub", "load generator", "other")


def _role(pid: int, cmdline: bytes, environ: bytes) -> str:
    if pid == os.getpid():
        return "load generator"
    if b"ipykernel" in cmdline:
        return "kernels"
    if b"configurable-http-proxy" in cmdline:
        return "proxy"
    if b"JUPYTERHUB_USER=" in environ:
        return "servers"
    if b"jupyterhub" in cmdline:
        return "hub"
    return "other"


def cpu_seconds_by_role() -> dict[str, float]:
    """CPU seconds (user + system) used so far by the running processes, summed by role (ROLES)."""
    used = dict.fromkeys(ROLES, 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()      # after "pid (comm) ": state is fields[0]
        ticks = int(fields[11]) + int(fields[12])          # utime, stime
        used[_role(int(entry.name), cmdline, environ)] += ticks / CLOCK_TICKS
    return used


def cpu_busy(seconds: float = 2.0) -> float:
    """Share of all cores busy over the next ``seconds`` (from /proc/stat)."""
    def sample():
        values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return sum(values), values[3] + values[4]          # total, idle + iowait
    total0, idle0 = sample()
    time.sleep(seconds)
    total1, idle1 = sample()
    return 1.0 - (idle1 - idle0) / max(1, total1 - total0)


async def settle(max_s: float = 240.0, below: float = 0.2) -> tuple[float, float]:
    """Wait until the machine is quiet (under ``below`` of all cores busy, twice running); (seconds waited, share)."""
    t0, quiet, busy = time.monotonic(), 0, 1.0
    while time.monotonic() - t0 < max_s and quiet < 2:
        busy = await asyncio.to_thread(cpu_busy)
        quiet = quiet + 1 if busy < below else 0
    return time.monotonic() - t0, busy


def cpu_ms_per_move(pattern: dict) -> float:
    """CPU time (all roles) per slider move in a pattern, in ms."""
    if not pattern["moves"]:
        return float("nan")
    return sum(pattern["cores"].values()) * pattern["seconds"] * 1000 / pattern["moves"]


def pct(samples, q):
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))] if s else float("nan")


def code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


#: The kernel websocket protocol JupyterLab 4 asks for (and jupyter_server grants): the message's
#: parts travel as they are, so the server neither parses nor re-encodes them.
WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"


def ws_pack(channel: str, parts: list[bytes]) -> bytes:
    """One message in the v1 kernel websocket format.

    Little-endian 64-bit words: the number of offsets, then the offsets of the channel name,
    of each part and of the end; then the channel name and the parts (header, parent header,
    metadata, content, buffers), each JSON except the buffers.
    """
    chunks = [channel.encode()] + list(parts)
    offsets = [8 * (len(chunks) + 2)]
    for chunk in chunks:
        offsets.append(offsets[-1] + len(chunk))
    return b"".join([len(offsets).to_bytes(8, "little"), *(o.to_bytes(8, "little") for o in offsets), *chunks])


def ws_unpack(raw: bytes) -> tuple[str, list[bytes]]:
    """The channel and the parts of a v1 kernel websocket message (see :func:`ws_pack`)."""
    count = int.from_bytes(raw[:8], "little")
    offsets = [int.from_bytes(raw[8 * (i + 1):8 * (i + 2)], "little") for i in range(count)]
    channel = raw[offsets[0]:offsets[1]].decode()
    return channel, [raw[offsets[i]:offsets[i + 1]] for i in range(1, count - 1)]


class KernelSocket:
    """One student's kernel, driven over the server's websocket the way JupyterLab 4 drives it (protocol v1)."""

    def __init__(self, ws, name: str):
        self.ws, self.name = ws, name
        self.session = uuid.uuid4().hex
        self.waiting: dict[str, asyncio.Queue] = {}
        self.reader = asyncio.ensure_future(self._read())

    @classmethod
    async def open(cls, hub: LoopbackHub, name: str, kernel_id: str):
        url = f"ws://127.0.0.1:{hub.port}/user/{name}/api/kernels/{kernel_id}/channels"
        ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {hub.token}"},
                                                 request_timeout=60, connect_timeout=60),
                                     max_message_size=64 * 1024 * 1024, subprotocols=[WS_PROTOCOL])
        if ws.selected_subprotocol != WS_PROTOCOL:
            ws.close()
            raise RuntimeError(f"the server did not accept the {WS_PROTOCOL} websocket protocol JupyterLab uses")
        return cls(ws, name)

    async def _read(self):
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                return
            t = time.perf_counter()
            _channel, parts = ws_unpack(raw)
            header = json.loads(parts[0])
            msg = {"header": header, "msg_type": header.get("msg_type"), "parent_header": json.loads(parts[1]),
                   "content": json.loads(parts[3])}
            parent = (msg["parent_header"] or {}).get("msg_id")
            if parent in self.waiting:
                self.waiting[parent].put_nowait((t, msg))

    def send(self, channel: str, msg_type: str, content: dict) -> tuple[str, asyncio.Queue, float]:
        msg_id = uuid.uuid4().hex
        q: asyncio.Queue = asyncio.Queue()
        self.waiting[msg_id] = q
        header = {"msg_id": msg_id, "username": self.name, "session": self.session, "msg_type": msg_type,
                  "version": "5.3", "date": datetime.now(timezone.utc).isoformat()}
        raw = ws_pack(channel, [json.dumps(part).encode() for part in (header, {}, {}, content)])
        t0 = time.perf_counter()
        self.ws.write_message(raw, binary=True)
        return msg_id, q, t0

    async def until_idle(self, msg_id, q, on_msg, timeout: float):
        async def drain():
            while True:
                t, msg = await q.get()
                on_msg(t, msg)
                if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                    return
        try:
            await asyncio.wait_for(drain(), timeout)
        finally:
            self.waiting.pop(msg_id, None)

    async def ready(self, timeout: float = 120.0):
        async def reply(q):
            while True:
                _, msg = await q.get()
                if msg["msg_type"] == "kernel_info_reply":
                    return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg_id, q, _ = self.send("shell", "kernel_info_request", {})
            try:
                await asyncio.wait_for(reply(q), 3)
                return
            except asyncio.TimeoutError:
                continue
            finally:
                self.waiting.pop(msg_id, None)
        raise TimeoutError("kernel not ready")

    async def run(self, code: str, timeout: float = 120.0) -> str:
        out, errors = [], []

        def on_msg(_t, msg):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                errors.append(f'{msg["content"]["ename"]}: {msg["content"]["evalue"]}')

        msg_id, q, _ = self.send("shell", "execute_request", {"code": code, "silent": False, "store_history": True,
                                                              "user_expressions": {}, "allow_stdin": False,
                                                              "stop_on_error": True})
        await self.until_idle(msg_id, q, on_msg, timeout)
        if errors:
            raise RuntimeError(errors[0])
        return "".join(out)

    async def move(self, comm_id: str, image_id: str, value: float) -> float:
        """ms from sending the slider update to the arrival of the new figure."""
        seen = []

        def on_msg(t, msg):
            c = msg["content"]
            if msg["msg_type"] == "comm_msg" and c.get("comm_id") == image_id \
                    and ["value"] in c.get("data", {}).get("buffer_paths", []):
                seen.append(t)

        msg_id, q, t0 = self.send("shell", "comm_msg", {"comm_id": comm_id, "data": {
            "method": "update", "state": {"value": value}, "buffer_paths": []}})
        await self.until_idle(msg_id, q, on_msg, MOVE_TIMEOUT)
        if not seen:
            raise RuntimeError("no new figure")
        return (seen[-1] - t0) * 1000

    def close(self):
        self.ws.close()
        self.reader.cancel()


class Student:
    def __init__(self, hub: LoopbackHub, name: str, seed: int, client: AsyncHTTPClient):
        self.hub, self.name, self.client = hub, name, client
        self.rng = random.Random(seed)
        self.failures: list[str] = []
        self.server_s = self.kernel_s = None
        self.cell_errors: list[str] = []
        self.kernel: KernelSocket | None = None
        self.info: dict = {}

    async def http(self, method: str, url: str, body=None):
        r = await self.client.fetch(url, method=method, body=None if body is None else json.dumps(body),
                               headers={"Authorization": f"token {self.hub.token}"},
                               request_timeout=180, allow_nonstandard_methods=True)
        return json.loads(r.body) if r.body and r.body.strip() else None

    async def start_server(self, timeout: float = 240.0):
        t0 = time.monotonic()
        try:
            await self.http("POST", f"{self.hub.url}/hub/api/users/{self.name}/server", {})
            while time.monotonic() - t0 < timeout:
                server = (await self.http("GET", f"{self.hub.url}/hub/api/users/{self.name}"))["servers"].get("")
                if server and server.get("ready"):
                    self.server_s = time.monotonic() - t0
                    return
                await asyncio.sleep(0.5)
            raise TimeoutError(f"not ready after {timeout} s")
        except Exception as err:  # recorded, not raised: one student's failure is a data point
            self.failures.append(f"server: {err}")

    async def start_kernel(self):
        if self.failures:
            return
        t0 = time.monotonic()
        try:
            kernel = await self.http("POST", f"{self.hub.url}/user/{self.name}/api/kernels", {"name": "python3"})
            self.kernel = await KernelSocket.open(self.hub, self.name, kernel["id"])
            await self.kernel.ready()
            self.kernel_s = time.monotonic() - t0
        except Exception as err:
            self.failures.append(f"kernel: {err!r}")

    async def setup(self, cells: list[str]):
        if self.failures:
            return
        try:
            await self.kernel.run("%matplotlib inline")
            for code in cells:
                try:
                    await self.kernel.run(code)
                except RuntimeError as err:
                    self.cell_errors.append(str(err))
            self.info = json.loads((await self.kernel.run(DEMO_SETUP)).strip().splitlines()[-1])
        except Exception as err:
            self.failures.append(f"setup: {err!r}")

    def values(self):
        """Random slider positions, each different from the one before (an unchanged value draws nothing)."""
        lo, hi, step = self.info["min"], self.info["max"], self.info["step"]
        while True:
            value = round(round(self.rng.uniform(lo, hi) / step) * step, 6)
            if abs(value - self.info["value"]) >= step / 2:
                # Kept on the student, so the next pattern starts from where this one left the slider.
                self.info["value"] = value
                yield value

    async def pattern(self, kind: str, moves: int, seconds: float) -> list[float]:
        times: list[float] = []
        if self.failures:
            return times
        values = self.values()
        t_start = time.monotonic()
        phase = self.rng.uniform(0, 1.0)
        for k in range(moves):
            if kind == "1/s":
                delay = t_start + phase + k - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            if time.monotonic() - t_start > seconds:
                break
            try:
                times.append(await self.kernel.move(self.info["comm"], self.info["image"], next(values)))
            except Exception as err:
                self.failures.append(f"move ({kind}): {err!r}")
                break
        return times


async def kernel_burst(students: list[Student], per_student: int) -> dict:
    """Every student starts ``per_student`` more kernels at the same moment; count the ones that never answer."""
    async def one(student: Student):
        try:
            kernel = await student.http("POST", f"{student.hub.url}/user/{student.name}/api/kernels",
                                        {"name": "python3"})
            sock = await KernelSocket.open(student.hub, student.name, kernel["id"])
            try:
                await sock.ready(timeout=120)
            finally:
                sock.close()
            return None
        except Exception as err:
            return f"{student.name}: {err!r}"[:300]
    alive = [s for s in students if not s.failures]
    t0 = time.monotonic()
    errors = await asyncio.gather(*(one(s) for s in alive for _ in range(per_student)))
    errors = [e for e in errors if e]
    return {"kernels": len(alive) * per_student, "failed": len(errors), "errors": errors[:5],
            "seconds": time.monotonic() - t0}


async def run_burst(n: int, per_student: int, transport: str) -> dict:
    """A hub with the given kernel transport; n servers; n * per_student kernels started at once."""
    # One HTTP client per run, with room for every request at once (a shared client would queue them).
    client = AsyncHTTPClient(force_instance=True, max_clients=2 * n * per_student + 10)
    state = Path(tempfile.mkdtemp(prefix=f"loadtest-burst-{transport}-"))
    result = {"students": n, "transport": transport, "load_before": loadavg()}
    hub = await asyncio.to_thread(LoopbackHub, state, extra_env={"COURSE_HUB_KERNEL_TRANSPORT": transport})
    try:
        names = [f"student{i:02d}" for i in range(n)]
        hub.create_users(names)
        students = [Student(hub, name, seed=i, client=client) for i, name in enumerate(names)]
        await asyncio.gather(*(s.start_server() for s in students))
        result["start_failures"] = [f"{s.name}: {f}" for s in students for f in s.failures]
        result.update(await kernel_burst(students, per_student))
    finally:
        await asyncio.to_thread(hub.stop)
        result["leftover_processes"] = stop_leftovers(hub)
        shutil.rmtree(state, ignore_errors=True)
    result["load_after"] = loadavg()
    return result


async def run_class(n: int, args, cells: list[str], frames: str = "on") -> dict:
    client = AsyncHTTPClient(force_instance=True, max_clients=2 * n + 10)
    state = Path(tempfile.mkdtemp(prefix=f"loadtest-{n}-"))
    result = {"students": n, "frames": frames, "load_before": loadavg()}
    # "on": the figures make hub-env drew in advance (the hub's default); "off": kernels draw every figure.
    hub = await asyncio.to_thread(LoopbackHub, state,
                                  extra_env={"COURSE_HUB_PIXEL_DENSITY": str(args.pixel_density),
                                             "COURSE_HUB_FRAMES": str(FRAMES) if frames == "on" else "off"})
    try:
        names = [f"student{i:02d}" for i in range(n)]
        hub.create_users(names)
        students = [Student(hub, name, seed=1000 * n + i, client=client) for i, name in enumerate(names)]
        await asyncio.gather(*(s.start_server() for s in students))
        await asyncio.gather(*(s.start_kernel() for s in students))
        await asyncio.gather(*(s.setup(cells) for s in students))
        result["memory_mib"] = [sum(pss_mib(p) for p in user_pids(s.name)) for s in students if not s.failures]
        result["server_s"] = [s.server_s for s in students if s.server_s is not None]
        result["kernel_s"] = [s.kernel_s for s in students if s.kernel_s is not None]
        result["cell_errors"] = sorted({e.replace(str(ROOT), ".") for s in students for e in s.cell_errors})
        result["start_failures"] = [f"{s.name}: {f}" for s in students for f in s.failures]
        result["patterns"] = {}
        for kind in ("1/s", "drag"):
            # The set-up's tail (servers, kernels, notebook runs) must not be timed as the pattern's.
            result.setdefault("settled", {})[kind] = await settle()
            before = loadavg()
            failed_before = {s.name: len(s.failures) for s in students}
            cpu_before, t0 = cpu_seconds_by_role(), time.monotonic()
            runs = await asyncio.gather(*(s.pattern(kind, args.moves, args.seconds) for s in students))
            elapsed = time.monotonic() - t0
            cpu_after = cpu_seconds_by_role()
            times = [t for run in runs for t in run]
            result["patterns"][kind] = {
                "moves": len(times), "p50": pct(times, 50), "p95": pct(times, 95), "max": max(times, default=0),
                "failures": sum(len(s.failures) - failed_before[s.name] for s in students),
                "errors": [f for s in students for f in s.failures[failed_before[s.name]:]][:5],
                "load_before": before, "load_after": loadavg(), "seconds": elapsed,
                "cores": {role: (cpu_after[role] - cpu_before[role]) / elapsed for role in ROLES}}
        for s in students:
            if s.kernel:
                s.kernel.close()
    finally:
        await asyncio.to_thread(hub.stop)
        result["leftover_processes"] = stop_leftovers(hub)
        shutil.rmtree(state, ignore_errors=True)
    result["load_after"] = loadavg()
    return result


def mib(x):
    return f"{x:.0f}"


def meets_target(run: dict) -> bool:
    """A class size that met the goal: p95 <= 100 ms at one move per second, and nothing failed."""
    p = run.get("patterns", {}).get("1/s")
    return bool(p) and p["p95"] <= 100 and p["failures"] == 0 and not run.get("start_failures")


def report(runs: list[dict], args) -> str:
    results = [r for r in runs if "burst" not in r]
    bursts = [r["burst"] for r in runs if "burst" in r]
    cores = os.cpu_count()
    mem_gib = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    lines = [SECTION, "",
             f"Measured by `make loadtest` ({Path(__file__).name}) on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, "
             f"{cores} cores, {mem_gib:.0f} GiB, one hub on 127.0.0.1 with the simple spawner "
             f"(deploy/hub/jupyterhub_config.py, ipc kernels), demo figures at pixel density {args.pixel_density} "
             f"({'sharp on high-density screens' if args.pixel_density == 2 else 'a quarter of the pixels, the hub default'}"
             "). **Figures drawn in advance** (the hub's default; make hub-env runs deploy/hub/predraw.py, which draws "
             "every step of each demo's main slider, and a grid over its other controls, into a frame store): "
             "\"on\", a kernel shows a stored state instead of drawing it (every step of this test's slider is "
             "stored); \"off\", the kernels draw every figure, as they do for states outside the store. "
             "All students' servers are requested at the same moment "
             "through the hub's REST API (what each student's log-in triggers) and timed until the hub reports them "
             "ready; then each student starts a kernel, runs notebook 02's code cells, then moves the Mg2+ block demo's voltage slider over the kernel websocket (JupyterLab 4's v1 protocol), "
             "through the hub's proxy, exactly as JupyterLab sends it; the round trip ends when the new figure "
             f"arrives. Patterns: **1 move/s** ({args.moves} moves each, random phase) and **all dragging** (each "
             f"student sends the next move as soon as the figure arrives; at most {args.moves} moves or "
             f"{args.seconds:.0f} s). The simulated students run in one process on the same machine. "
             "Load averages (1 / 5 / 15 min, from /proc/loadavg) are recorded before and after each run.", ""]
    befores = [r["load_before"] for r in results + bursts if "load_before" in r]
    # Later runs start in the tail of this test's own previous run: only the first says what else the machine ran.
    busiest = float(befores[0].split("/")[0]) if befores else 0.0
    # A load average lags by a minute; where the test waited for a quiet machine, that says more.
    quiet = [share < 0.2 for r in results for _waited, share in r.get("settled", {}).values()]
    if busiest > cores / 2 and not (quiet and all(quiet)):
        first = float(befores[0].split("/")[0])
        lines += [f"**Measured under background load.** Before the first run the 1-minute load average was "
                  f"already {first:.1f} on {cores} cores, from other work on this shared machine, so the simulated "
                  "students got only part of the CPU. Start times and round trips are higher, and the class sizes that "
                  "meet the target lower, than on an idle machine of the same size.", ""]
    lines += ["The load averages of later rows include the tail of this test's own previous run (a class's servers "
              "and notebook runs).", ""]
    if any(r.get("cell_errors") for r in results):
        errs = sorted({e for r in results for e in r.get("cell_errors", [])})
        lines += ["Notebook 02 cells that raised in every kernel (the course installed as a normal package, "
                  "non-editable): " + "; ".join(f"`{e[:120]}`" for e in errs) + ". The demos ran.", ""]
    lines += ["| students | server start median / max (s) | kernel start median / max (s) | memory per student, "
              "median PSS (MiB) | all students (MiB) | start failures | load before | load after |",
              "|---|---|---|---|---|---|---|---|"]
    for r in results:
        s, k, m = r.get("server_s", []), r.get("kernel_s", []), r.get("memory_mib", [])
        cells = [str(r["students"]),
                 f"{statistics.median(s):.1f} / {max(s):.1f}" if s else "-",
                 f"{statistics.median(k):.1f} / {max(k):.1f}" if k else "-",
                 mib(statistics.median(m)) if m else "-", mib(sum(m)) if m else "-",
                 str(len(r.get("start_failures", []))), r.get("load_before", "-"), r.get("load_after", "-")]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "| students | drawn in advance | pattern | moves | p50 (ms) | p95 (ms) | max (ms) | failed moves | "
              "load before | load after |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        for kind, label in (("1/s", "1 move/s"), ("drag", "all dragging")):
            p = r.get("patterns", {}).get(kind)
            if p:
                lines.append(f"| {r['students']} | {r.get('frames', 'off')} | {label} | {p['moves']} | "
                             f"{p['p50']:.0f} | {p['p95']:.0f} | "
                             f"{p['max']:.0f} | {p['failures']} | {p['load_before']} | {p['load_after']} |")
    if any(p.get("cores") for r in results for p in r.get("patterns", {}).values()):
        lines += ["", f"Where the CPU went during each pattern: cores busy on average (of {cores}), by process, from "
                  "/proc/PID/stat (processes that ended during the pattern are not counted). Before each pattern the "
                  "test waits until under 20% of the cores are busy (at most 240 s).", "",
                  "| students | drawn in advance | pattern | quiet after (s) | " + " | ".join(ROLES)
                  + " | all | CPU ms per move |", "|---|---|---|---|" + "---|" * (len(ROLES) + 2)]
        for r in results:
            for kind, label in (("1/s", "1 move/s"), ("drag", "all dragging")):
                p = r.get("patterns", {}).get(kind)
                if not p or "cores" not in p:
                    continue
                total = sum(p["cores"].values())
                per_move = cpu_ms_per_move(p)
                waited = r.get("settled", {}).get(kind, (float("nan"), 0))[0]
                lines.append(f"| {r['students']} | {r.get('frames', 'off')} | {label} | {waited:.0f} | "
                             + " | ".join(f"{p['cores'][role]:.2f}" for role in ROLES)
                             + f" | {total:.2f} | {per_move:.0f} |")
    left = sum(r.get("leftover_processes", 0) for r in results + bursts)
    lines += ["", f"Processes still running after their hub stopped: {left} in all runs"
              + (" (killed by the load test)." if left else ".")]
    failures = [f for r in results for f in r.get("start_failures", [])]
    if failures:
        lines += ["", "Start failures: " + "; ".join(failures[:10])]
    if bursts:
        lines += ["", f"Simultaneous kernel starts: {bursts[0]['students']} students' servers running, then every "
                  f"student starts {args.burst} kernels at the same moment; a kernel that does not answer within "
                  "120 s counts as failed. The hub's default is ipc; tcp is the Jupyter default.", "",
                  "| kernel transport | kernels started | failed | seconds for all | load before | load after |",
                  "|---|---|---|---|---|---|"]
        for b in bursts:
            lines.append(f"| {b['transport']} | {b.get('kernels', 0)} | {b.get('failed', '-')} | "
                         f"{b.get('seconds', 0):.0f} | {b['load_before']} | {b['load_after']} |")
        errs = [e for b in bursts for e in b.get("errors", [])]
        if errs:
            lines += ["", "First burst failures: " + "; ".join(f"`{e[:160]}`" for e in errs[:3])]
    # Sizing guide: the hub as it is set up (figures drawn in advance) when this run measured it.
    sized = [r for r in results if r.get("frames") == "on"] or results
    others, results = [r for r in results if r not in sized], sized
    # The largest class that met the target at one move per second, with no failure.
    ok = [r for r in results if meets_target(r)]
    per_student = max((statistics.median(r["memory_mib"]) for r in results if r.get("memory_mib")), default=0)
    lines += ["", "### Sizing guide", ""]
    if ok:
        best = max(r["students"] for r in ok)
        tested = max(r["students"] for r in results)
        limit = "the largest class tested, so the real limit is higher" if best == tested else \
            "the largest class that met the target"
        lines.append(f"- CPU: {best} students met p95 <= 100 ms at one move per second with no failures ({limit}): "
                     f"at least **{best / cores:.3g} students per core**.")
    else:
        lines.append("- CPU: no class size met p95 <= 100 ms at one move per second with no failures.")
    if per_student:
        lines.append(f"- Memory: about {per_student:.0f} MiB per student (largest median PSS above, server and "
                     f"one kernel with notebook 02 run): **{1024 / per_student:.0f} students per GiB**; "
                     "leave 1 to 2 GiB for the system and hub, and more when students open several notebooks "
                     "(one kernel each).")
    alone = [r["patterns"]["1/s"] for r in results if r["students"] == 1 and r.get("patterns", {}).get("1/s")]
    if alone:
        lines.append(f"- One student alone, at one move per second: p50 {alone[0]['p50']:.0f} ms, p95 "
                     f"{alone[0]['p95']:.0f} ms. No class on this machine can do better than this floor.")
    costs = [(r["students"], r["patterns"]["1/s"]) for r in results
             if r.get("patterns", {}).get("1/s", {}).get("cores") and r["patterns"]["1/s"]["moves"]]
    if costs:
        n, p = max(costs, key=lambda x: x[0])
        per_move = cpu_ms_per_move(p)
        kernels = p["cores"]["kernels"] / max(1e-9, sum(p["cores"].values()))
        lines.append(f"- CPU per move ({n} students, one move per second): {per_move:.0f} ms, {kernels:.0%} of it in "
                     f"the kernels. A core is fully busy at about {1000 / per_move:.0f} students moving once a second; "
                     "round trips grow long well before that, as moves queue.")
    goal = [r for r in ok if r["students"] >= 30]
    lines.append(f"- Goal (30 students, no failures, p95 <= 100 ms at one move per second): "
                 f"{'met' if goal else 'not met'} in this run.")
    drawn = [(r["students"], r["patterns"]["1/s"]) for r in others if r.get("patterns", {}).get("1/s")]
    if drawn:
        met = [r["students"] for r in others if meets_target(r)]
        lines.append("- Without the figures drawn in advance (the kernels draw every figure, as they do for a state "
                     "outside the store), at one move per second, p50 / p95: "
                     + "; ".join(f"{n} student{'s' if n > 1 else ''} {p['p50']:.0f} / {p['p95']:.0f} ms"
                                 + (f" ({cpu_ms_per_move(p):.0f} ms of CPU per move)" if p.get("cores") else "")
                                 for n, p in drawn)
                     + ". " + (f"The largest class that met the target without them: {max(met)} student{'s' if max(met) > 1 else ''}."
                               if met else "No class met the target without them."))
    lines.append("- A class all dragging sliders at the same moment needs more: compare the \"all dragging\" "
                 "rows. Size a machine by whichever of CPU and memory runs out first.")
    return "\n".join(lines) + "\n"


def write_section(path: Path, text: str) -> None:
    """Replace this report's section of ``path`` (or append it), leaving every other section alone."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = old.find(SECTION)
    if start == -1:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        nxt = old.find("\n## ", start + len(SECTION))
        new = old[:start] + text + ("\n" + old[nxt + 1:] if nxt != -1 else "")
    path.write_text(new, encoding="utf-8")


async def main_async(args) -> list[dict]:
    cells = code_cells(NOTEBOOK)
    results = []
    for frames in args.frames:
        for n in args.students:
            t0 = time.monotonic()
            print(f"{n} students, figures drawn in advance: {frames} ...", flush=True)
            r = await run_class(n, args, cells, frames)
            r["wall_s"] = time.monotonic() - t0
            results.append(r)
            print(json.dumps({k: v for k, v in r.items() if k not in ("memory_mib", "server_s", "kernel_s")}),
                  flush=True)
            save(results, args)
    for transport in args.burst_transports:
        print(f"kernel burst, {transport} ...", flush=True)
        r = await run_burst(args.burst_students, args.burst, transport)
        results.append({"burst": r})
        print(json.dumps(r), flush=True)
        save(results, args)
    return results


def save(results: list[dict], args) -> str:
    """Write the raw results and the report after every run, so an interrupted load test keeps what it measured."""
    raw = ROOT / "build" / "hub" / "loadtest.json"
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_text(json.dumps(results, indent=1))
    text = report(results, args)
    if args.report:
        write_section(args.report, text)
    return text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Simulated students against a loopback hub.")
    parser.add_argument("--students", type=int, nargs="+", default=[5, 10, 20, 30])
    parser.add_argument("--moves", type=int, default=20, help="slider moves per student and pattern (default 20)")
    parser.add_argument("--seconds", type=float, default=40.0, help="time cap per pattern (default 40 s)")
    parser.add_argument("--burst", type=int, default=3, help="kernels each student starts at once (default 3)")
    parser.add_argument("--burst-students", type=int, default=30, help="students in the kernel burst (default 30)")
    parser.add_argument("--burst-transports", nargs="*", default=["tcp", "ipc"], choices=["tcp", "ipc"],
                        help="kernel transports to compare in the burst (default: tcp ipc; none to skip)")
    parser.add_argument("--pixel-density", type=int, default=1, choices=[1, 2],
                        help="COURSE_HUB_PIXEL_DENSITY of the hub: device pixels per CSS pixel of the demo figures")
    parser.add_argument("--frames", nargs="+", default=["on"], choices=["on", "off"],
                        help="run each class size with the figures drawn in advance (on, the hub's default), "
                             "without them (off: the kernels draw every figure), or both (default: on)")
    parser.add_argument("--report", type=Path, default=None, help="Markdown file to write the section into")
    args = parser.parse_args(argv)
    for n in args.students:
        if not 1 <= n <= 60:
            parser.error(f"--students: each class size must be between 1 and 60, got {n}")
    if not 1 <= args.burst <= 10 or not 1 <= args.burst_students <= 60:
        parser.error("--burst must be between 1 and 10 and --burst-students between 1 and 60")
    if not 1 <= args.moves <= 200:
        parser.error(f"--moves must be between 1 and 200, got {args.moves}")
    if "on" in args.frames and not FRAMES.is_dir():
        parser.error(f"--frames on needs the figures drawn in advance in {FRAMES}: run make hub-env first")
    results = asyncio.run(main_async(args))
    print(save(results, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
