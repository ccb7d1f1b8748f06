"""Measure what students feel, and write it to a Markdown report (default BENCHMARKS.md).

    python scripts/bench.py [REPORT.md] [--quick] [--static-only]

1. Slider-to-figure latency, kernel side, for every demo in
   ketamine_course.demos: a real IPython kernel (jupyter_client) builds the demo
   and displays it; the benchmark then sends the same ``comm_msg`` "update" a
   browser sends when a control moves, and times until the kernel publishes the
   new figure (the Image widget's "update" carrying the PNG buffer). In the same
   run the naive baseline rebuilds the same plot from scratch on each move:
   ``interactive_output`` around a function that builds the demo's figure anew,
   applies the values and displays it through the inline backend (tight bounding
   box), timed until its ``display_data`` arrives.
2. Keypress-to-new-image in chromium for the half-life demo (JupyterLab, playwright).
3. Execution time of each notebook (fresh kernel, run all) and of the whole
   strict nbval run (the notebook part of `make test`).
4. Import time of ketamine_course.
5. Model computations behind the sliders (pk, receptor, plasticity): best of
   several calls with their budgets. These were wall-clock asserts in the unit
   tests; a loaded CI machine made them flaky, so they are measured here.

6. The static site (``make html``): build time, whole-site size, bytes each page
   transfers on first load, and key-press-to-new-frame latency of a live demo
   in chromium (``--static-only`` measures just this and updates its section).

Timings are printed and recorded, never asserted. Sections of the report that
this script does not write (e.g. set-up time, measured by hand) are kept.
"""

from __future__ import annotations

import json
import os
import platform
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with=tests/nbval_sanitize.cfg",
         "--nbval-cell-timeout=300"]

# Kernel-side helpers: pick each demo's main control and the states a browser would send.
KERNEL_SETUP = r'''
import json, inspect
import numpy as np
import ipywidgets as W
from IPython.display import display
from ketamine_course import demos as D
get_ipython().run_line_magic("matplotlib", "inline")

def _sweep(demo, n):
    """(control name, kind, [state dicts]) for the demo's main control: a slider if any."""
    order = (W.widgets.widget_int._IntRange, W.FloatLogSlider, W.FloatSlider, W.IntSlider,
             W.SelectionRangeSlider, W.Dropdown, W.ToggleButtons, W.ToggleButton, W.Checkbox)
    for kind in order:
        for name, c in demo.controls.items():
            if not isinstance(c, kind):
                continue
            if isinstance(c, (W.Dropdown, W.ToggleButtons)):
                k = len(c.options)
                idx = [(c.index + 1 + i) % k for i in range(n)]
                return name, type(c).__name__, [{"index": int(i)} for i in idx]
            if isinstance(c, (W.ToggleButton, W.Checkbox)):
                return name, type(c).__name__, [{"value": (not c.value) if i % 2 == 0 else bool(c.value)}
                                                for i in range(n)]
            if isinstance(c, W.widgets.widget_int._IntRange):
                lo, hi = c.value
                span = max(1, (hi - lo) // 2)
                return name, type(c).__name__, [{"value": [int(c.min + (i % span) + 1), int(hi)]}
                                                for i in range(n)]
            if isinstance(c, W.FloatLogSlider):
                exps = np.linspace(c.min, c.max, n)
                vals = [float(c.base ** (round(e / c.step) * c.step)) for e in exps]
            else:
                steps = np.round(np.linspace(c.min, c.max, n) / c.step) * c.step
                vals = [float(v) for v in steps]
            vals = vals[::2] + vals[1::2][::-1]   # zig-zag: every move is a real change
            return name, type(c).__name__, [{"value": v} for v in vals]
    raise ValueError("no control")

def _capture(name):
    """Build demo ``name`` without its Demo wrapper: (figure, controls, update)."""
    got = {}
    class Capture:
        def __init__(self, figure, controls, update, caption, extra=None, dynamic=None, **_hooks):
            got.update(figure=figure, controls=controls, update=update)
    # Each demo module binds Demo itself (from .base import Demo): swap it there.
    import sys
    mods = [m for n, m in list(sys.modules.items()) if n.startswith("ketamine_course.demos") and hasattr(m, "Demo")]
    real = {m: m.Demo for m in mods}
    for m in mods:
        m.Demo = Capture
    try:
        getattr(D, name)()
    finally:
        for m, r in real.items():
            m.Demo = r
    return got

def _naive(name):
    """The baseline: rebuild the figure from scratch on every move, through interactive_output."""
    controls = _capture(name)["controls"]
    def rebuild(**values):
        fresh = _capture(name)
        fresh["update"](**values)
        display(fresh["figure"])
    out = W.interactive_output(rebuild, controls)
    display(W.VBox([W.HBox(list(controls.values())), out]))
    return controls
'''


class Kernel:
    """A kernel driven the way JupyterLab drives it: execute requests and widget comm messages."""

    def __init__(self):
        from jupyter_client.manager import KernelManager

        env = dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline")
        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(cwd=str(ROOT / "notebooks"), env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)
        self.run(KERNEL_SETUP)

    def _drain(self, parent, on_msg, timeout=120.0):
        """Read iopub until ``parent`` goes idle, calling on_msg(msg, t)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"no idle after {timeout} s") from None
            t = time.perf_counter()
            if msg["parent_header"].get("msg_id") != parent:
                continue
            on_msg(msg, t)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return

    def run(self, code: str) -> str:
        out, errors = [], []

        def on_msg(msg, _t):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                errors.append("\n".join(msg["content"]["traceback"]))

        self._drain(self.kc.execute(code), on_msg)
        if errors:
            raise RuntimeError(errors[0])
        return "".join(out)

    def move(self, comm_id: str, state: dict, figure_comm: str | None) -> float | None:
        """Send a widget update as a browser does; ms until the last new figure before idle."""
        msg = self.kc.session.msg("comm_msg", {"comm_id": comm_id,
                                               "data": {"method": "update", "state": state, "buffer_paths": []}})
        t0 = time.perf_counter()
        self.kc.shell_channel.send(msg)
        seen = []

        def on_msg(m, t):
            c = m["content"]
            if figure_comm and m["msg_type"] == "comm_msg" and c.get("comm_id") == figure_comm \
                    and ["value"] in c.get("data", {}).get("buffer_paths", []):
                seen.append(t)
            if not figure_comm and m["msg_type"] == "display_data" and "image/png" in c.get("data", {}):
                seen.append(t)

        self._drain(msg["header"]["msg_id"], on_msg)
        return (seen[-1] - t0) * 1000 if seen else None

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def demo_names() -> list[str]:
    import inspect

    from ketamine_course import demos

    # Every demo function of the demos package's concept modules.
    return [n for n, f in inspect.getmembers(demos, inspect.isfunction)
            if not n.startswith("_") and f.__module__.startswith(demos.__name__ + ".")
            and inspect.signature(f).return_annotation in ("Demo", demos.Demo)]


def percentile(samples, q):
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))]


def kernel_latency(names, moves=24, baseline_moves=12):
    kernel = Kernel()
    rows = []
    try:
        for name in names:
            info = json.loads(kernel.run(
                f"_d = D.{name}(); display(_d)\n"
                f"_c, _kind, _states = _sweep(_d, {moves})\n"
                "print(json.dumps({'control': _c, 'kind': _kind, 'comm': _d.controls[_c].model_id,"
                " 'image': _d.image.model_id, 'states': _states}))").strip().splitlines()[-1])
            timed = [(json.dumps(s, sort_keys=True), kernel.move(info["comm"], s, info["image"]))
                     for s in info["states"]]
            fast = [x for _s, x in timed if x is not None]
            # Demos show a state drawn before from memory (Demo.SEEN_STATES): time the first visits apart.
            seen, first = set(), []
            for state, x in timed:
                if state not in seen and x is not None:
                    first.append(x)
                seen.add(state)
            base_info = json.loads(kernel.run(
                f"_b = _naive({name!r})\n"
                f"print(json.dumps({{'comm': _b[{info['control']!r}].model_id}}))").strip().splitlines()[-1])
            slow = [kernel.move(base_info["comm"], s, None) for s in info["states"][:baseline_moves]]
            slow = [x for x in slow if x is not None]
            kernel.run("_d.close(); _b = None; import gc; gc.collect()")
            row = {"demo": name, "control": f"{info['control']} ({info['kind']})", "n": len(fast),
                   "median": statistics.median(fast) if fast else float("nan"),
                   "p95": percentile(fast, 95) if fast else float("nan"),
                   "first_n": len(first),
                   "first_median": statistics.median(first) if first else float("nan"),
                   "base_n": len(slow),
                   "base_median": statistics.median(slow) if slow else float("nan"),
                   "base_p95": percentile(slow, 95) if slow else float("nan")}
            row["ratio"] = row["base_median"] / row["median"] if fast and slow else float("nan")
            print(f"  {name:18s} median {row['median']:6.1f} ms  p95 {row['p95']:6.1f} ms   "
                  f"first visits {row['first_median']:6.1f} ms (n={row['first_n']})   "
                  f"naive {row['base_median']:6.1f} ms  ({row['ratio']:.1f}x)", flush=True)
            rows.append(row)
    finally:
        kernel.close()
    return rows


def browser_latency(presses=20):
    """Keypress -> new image loaded, for the half-life demo of notebook 00 in JupyterLab (chromium)."""
    sys.path.insert(0, str(ROOT))
    try:
        from playwright.sync_api import sync_playwright

        from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Lab
        from tests.e2e.test_lab_notebooks import DEMO, kernel_ready, run_all
    except ImportError as e:
        return None, f"skipped: {e}"
    if not Path(CHROMIUM).exists():
        return None, f"skipped: no {CHROMIUM}"
    lab = Lab(Path(tempfile.mkdtemp(prefix="bench-lab-")))
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(lab.notebook_url("notebooks/00_start_here.ipynb"))
            page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
            kernel_ready(lab, "00_start_here.ipynb")
            run_all(page)
            demo = page.locator(DEMO).first
            img = demo.locator("img.course-figure")
            handle = demo.locator(".widget-slider .noUi-handle").first
            img.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
            img.evaluate("""img => {
                window.__benchLoads = [];
                img.addEventListener('load', () => window.__benchLoads.push(performance.now()));
                document.addEventListener('keydown', e => { window.__benchKey = e.timeStamp; }, true);
            }""")
            samples = []
            handle.focus()
            for i in range(presses):
                key = "ArrowRight" if i < presses // 2 else "ArrowLeft"
                count = page.evaluate("() => window.__benchLoads.length")
                page.keyboard.press(key)
                page.wait_for_function(f"() => window.__benchLoads.length > {count}", timeout=30_000)
                samples.append(page.evaluate("() => window.__benchLoads[window.__benchLoads.length - 1]"
                                             " - window.__benchKey"))
                page.wait_for_timeout(100)
            browser.close()
        return samples, "ok"
    finally:
        lab.stop()


def notebook_times():
    import nbformat
    from nbclient import NotebookClient

    times = []
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        t0 = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        times.append((path.name, time.perf_counter() - t0))
        print(f"  {path.name:45s} {times[-1][1]:6.1f} s", flush=True)
    return times


def nbval_time():
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *NBVAL, "notebooks"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    last = (done.stdout.strip().splitlines() or [""])[-1]
    return time.perf_counter() - t0, done.returncode, last


def import_time_s():
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import ketamine_course"],
                         capture_output=True, text=True, check=True).stderr
    last = [line for line in out.splitlines() if line.rstrip().endswith("ketamine_course")][-1]
    return int(last.split("|")[1]) / 1e6


#: (what, budget in ms, call): model computations a slider redraw waits for.
MODEL_CASES = [
    ("pk.simulate(0.5): 8 h at 0.5-min steps (cache warm)", 20.0,
     "from ketamine_course import pk; pk.simulate(0.5)"),
    ("receptor.simulate_block: 1 min of pulses, 30 s washout", 50.0,
     "from ketamine_course.receptor import simulate_block; simulate_block('ketamine', 0.61, washout_s=30.0)"),
    ("plasticity.simulate_ei(0.4): 1 s at 0.5 ms", 20.0,
     "from ketamine_course.plasticity import simulate_ei; simulate_ei(0.4, duration_ms=1000.0, dt_ms=0.5)"),
    ("plasticity.steady_state_rates(0.4)", 20.0,
     "from ketamine_course.plasticity import steady_state_rates; steady_state_rates(0.4)"),
    ("plasticity.output_vs_block: 101 block levels", 50.0,
     "import numpy as np; from ketamine_course.plasticity import output_vs_block; "
     "output_vs_block(np.linspace(0.0, 1.0, 101))"),
]


def model_times(repeats=7):
    """[(what, budget_ms, best_ms)]: best of `repeats` calls after one warm-up call."""
    rows = []
    for what, budget, code in MODEL_CASES:
        setup, _, call = code.rpartition("; ")
        namespace: dict = {}
        exec(setup, namespace)
        exec(call, namespace)  # warm-up: imports, caches
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            exec(call, namespace)
            best = min(best, time.perf_counter() - t0)
        rows.append((what, budget, best * 1e3))
    return rows


def model_section(rows) -> list[str]:
    over = [w for w, b, t in rows if t > b]
    return [
        "## Model computations",
        "Best of 7 calls after a warm-up, in this process (no kernel, no drawing). The budget leaves room for",
        "drawing inside the 100 ms slider target.",
        "",
        "| computation | budget (ms) | best (ms) |",
        "|---|---|---|",
        *[f"| {w} | {b:.0f} | {t:.1f} |" for w, b, t in rows],
        "",
        "Every computation is within its budget." if not over else f"Over budget: {'; '.join(over)}.",
        "",
    ]


def kept_sections(path: Path, written: list[str]) -> list[str]:
    """The `## ` sections of an existing report whose headings this script does not write."""
    if not path.exists():
        return []
    ours = {line for line in written if line.startswith("## ")}
    kept, keep = [], False
    for line in path.read_text().splitlines():
        if line.startswith("## "):
            keep = line not in ours
        if keep:
            kept.append(line)
    return kept


def fmt(x, digits=0):
    return "n/a" if x != x else f"{x:.{digits}f}"


# ------------------------------------------------------------------------------------------ static site

#: What `make html` must not exceed: the first load of any page, bytes transferred (issue 13).
FIRST_LOAD_BUDGET_MB = 3.0
#: The whole site, MB: set from the measured 26.3 MB (11.8 MB of frames) with room for one more notebook of
#: demos; 39.3 MB since the frames are drawn at 2x and notebook 07 has demos (BENCHMARKS.md, "Static site").
SITE_BUDGET_MB = 40.0


def _serve(folder: Path):
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def static_site(presses: int = 30):
    """Build the site with `make html`, then measure its size, each page's first load and frame switching."""
    site = ROOT / "build" / "bench-site"  # kept: `COURSE_SITE=build/bench-site make e2e` reuses it
    shutil.rmtree(site, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    t0 = time.perf_counter()
    done = subprocess.run(["make", "--no-print-directory", "html", f"SITE={site}"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    build_s = time.perf_counter() - t0
    if done.returncode:
        return {"note": f"make html failed: {done.stderr[-500:]}"}
    executed = sum(1 for line in done.stdout.splitlines() if line.startswith("executed "))
    frames = [f for f in (site / "frames").rglob("*.webp")]
    result = {"build_s": build_s, "executed": executed, "site_mb": _folder_mb(site),
              "frames_mb": sum(f.stat().st_size for f in frames) / 1e6, "frames": len(frames),
              "pages": [], "latency": []}
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    server, origin = _serve(site)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for page_file in sorted(site.glob("*.html")):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(f"{origin}/{page_file.name}", wait_until="load")
                page.wait_for_timeout(1500)  # late requests: MathJax fonts, widget manager
                sent = page.evaluate("() => performance.getEntriesByType('navigation').concat("
                                     "performance.getEntriesByType('resource'))"
                                     ".reduce((s, e) => s + (e.transferSize || e.encodedBodySize || 0), 0)")
                result["pages"].append((page_file.name, page_file.stat().st_size / 1e6, sent / 1e6))
                context.close()
            # Frame switching: mg_block's voltage slider (notebook 02), the demo with the most frames.
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{origin}/02_nmda_receptor.html", wait_until="load")
            fig = page.locator('figure.kc-demo[data-demo="mg_block"]')
            slider = fig.locator('[data-control="voltage_mv"]')
            fig.scroll_into_view_if_needed()
            fig.evaluate("""fig => {
                const img = fig.querySelector('img.course-figure');
                window.__loads = [];
                img.addEventListener('load', () => window.__loads.push(performance.now()));
                document.addEventListener('keydown', e => { window.__key = e.timeStamp; }, true);
            }""")
            slider.focus()
            page.wait_for_timeout(500)  # the neighbours of the current state are fetched on focus
            for i in range(presses):
                key = "ArrowRight" if i < presses // 2 else "ArrowLeft"
                count = page.evaluate("() => window.__loads.length")
                page.keyboard.press(key)
                page.wait_for_function(f"() => window.__loads.length > {count}", timeout=10_000)
                result["latency"].append(page.evaluate("() => window.__loads[window.__loads.length - 1]"
                                                       " - window.__key"))
                page.wait_for_timeout(150)  # a student's pace: the next neighbours arrive meanwhile
            browser.close()
    finally:
        server.shutdown()
    return result


def static_section(r: dict) -> list[str]:
    if "note" in r:
        return ["## Static site", f"Not measured ({r['note']}).", ""]
    lat = r["latency"]
    worst = max(r["pages"], key=lambda p: p[2])
    over = [p for p in r["pages"] if p[2] > FIRST_LOAD_BUDGET_MB]
    return [
        "## Static site",
        "`make html` into build/bench-site, then each page served from 127.0.0.1 to headless chromium.",
        "Demos on the static page switch between frames Python drew at build time (scripts/build_frames.py).",
        "",
        f"- `make html` build time: {r['build_s']:.0f} s wall on this 2-core machine "
        f"({r['executed']} notebooks re-executed; executed copies newer than their inputs are reused, and frames "
        "are redrawn only for demos whose code or data changed, build/frames-cache).",
        f"- Whole site: {r['site_mb']:.1f} MB, of which {r['frames']} frames take {r['frames_mb']:.1f} MB. "
        f"Budget {SITE_BUDGET_MB:.0f} MB: {'within' if r['site_mb'] <= SITE_BUDGET_MB else 'OVER'}.",
        f"- Frame switch, key press to the new image's `load` (mg_block voltage slider, {len(lat)} presses): "
        f"median {statistics.median(lat):.1f} ms, p95 {percentile(lat, 95):.1f} ms (budget: median <= 16 ms).",
        f"- First load, bytes transferred per page (budget {FIRST_LOAD_BUDGET_MB:.0f} MB): largest "
        f"{worst[2]:.2f} MB ({worst[0]}); " + ("every page within budget." if not over else
                                                f"over budget: {', '.join(p[0] for p in over)}."),
        "",
        "| page | HTML (MB) | first load transferred (MB) |",
        "|---|---|---|",
        *[f"| {name} | {html_mb:.2f} | {sent:.2f} |" for name, html_mb, sent in r["pages"]],
        "",
    ]


def replace_section(path: Path, section: list[str]) -> None:
    """Write ``section`` (a `## ` section) into the report, in place of the old one or at the end."""
    heading = section[0]
    old = path.read_text().splitlines() if path.exists() else ["# Benchmarks", ""]
    out, skip, done = [], False, False
    for line in old:
        if line.startswith("## "):
            skip = line == heading
            if skip and not done:
                out += section[:-1] if section[-1] == "" else section
                out.append("")
                done = True
        if not skip:
            out.append(line)
    if not done:
        out += [""] * (out[-1:] != [""]) + section
    path.write_text("\n".join(out).rstrip("\n") + "\n")


def main(argv):
    path = next((a for a in argv if not a.startswith("--")), "BENCHMARKS.md")
    quick = "--quick" in argv
    if "--static-only" in argv:
        section = static_section(static_site(10 if quick else 30))
        print("\n".join(section))
        replace_section(Path(path), section)
        return
    names = demo_names()
    print("kernel-side slider-to-figure latency:")
    rows = kernel_latency(names, moves=8 if quick else 24, baseline_moves=4 if quick else 12)
    print("browser keypress-to-new-image (half_life):")
    browser, note = browser_latency(6 if quick else 20)
    if browser:
        print(f"  median {statistics.median(browser):.0f} ms, p95 {percentile(browser, 95):.0f} ms")
    else:
        print(f"  {note}")
    print("notebook execution (fresh kernel, run all):")
    nb_times = notebook_times()
    print("strict nbval run of notebooks/:")
    nbval_s, nbval_rc, nbval_last = nbval_time()
    print(f"  {nbval_s:.1f} s ({nbval_last})")
    imp = min(import_time_s() for _ in range(5))
    print(f"import ketamine_course: {imp * 1000:.1f} ms")
    models = model_times()
    print("static site (make html, sizes, first load, frame switching):")
    static = static_section(static_site(10 if quick else 30))

    over = [r["demo"] for r in rows if not r["median"] <= 100]
    over_first = [f"{r['demo']} ({fmt(r['first_median'])} ms)" for r in rows if not r["first_median"] <= 100]
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}. Numbers only; no test asserts on them.",
        "",
        "## Slider-to-figure latency (kernel side)",
        "A kernel builds each demo; the benchmark sends the widget `comm_msg` update a browser sends when the",
        "demo's main control moves, and times until the kernel publishes the new PNG. **Naive** is the same plot",
        "rebuilt from scratch on each move with `interactive_output` and the inline backend (new figure,",
        "constrained layout, tight bounding box), timed until its `display_data`. Target: median <= 100 ms.",
        "A demo shows a state it drew before from memory (the last `SEEN_STATES` = 24, by control values), and a",
        "menu's few choices repeat within a sweep: **first visits** times only the moves to a state not yet seen",
        "in the sweep, i.e. with a drawing. Figures are drawn at 2 device pixels per CSS pixel.",
        "",
        "| demo | control moved | median (ms) | p95 (ms) | n | first visits: median (ms) | n | naive median (ms) "
        "| naive p95 (ms) | n | naive / demo |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *[f"| {r['demo']} | {r['control']} | {fmt(r['median'])} | {fmt(r['p95'])} | {r['n']} | "
          f"{fmt(r['first_median'])} | {r['first_n']} | "
          f"{fmt(r['base_median'])} | {fmt(r['base_p95'])} | {r['base_n']} | {fmt(r['ratio'], 1)}x |" for r in rows],
        "",
        ("Every demo meets the 100 ms median target." if not over else
         f"Over the 100 ms median target: {', '.join(over)}."),
        ("Every demo's first visits meet it too." if not over_first else
         f"First visits over 100 ms (median): {', '.join(over_first)}."),
        "",
        "## Keypress-to-new-image in the browser",
        "JupyterLab in headless chromium (playwright), half-life demo of notebook 00: from the ArrowRight/ArrowLeft",
        "`keydown` on the focused slider handle to the `load` event of the figure's new image.",
        "",
        (f"Median {statistics.median(browser):.0f} ms, p95 {percentile(browser, 95):.0f} ms over {len(browser)} "
         "presses." if browser else f"Not measured ({note})."),
        "",
        "## Notebook execution",
        "Each notebook in a fresh kernel, all cells (nbclient; outputs discarded).",
        "",
        "| notebook | seconds |",
        "|---|---|",
        *[f"| {n} | {s:.1f} |" for n, s in nb_times],
        f"| **all notebooks** | **{sum(s for _, s in nb_times):.1f}** |",
        "",
        f"Whole strict nbval run (`pytest {' '.join(NBVAL)} notebooks`): {nbval_s:.1f} s "
        f"(target 60 s; exit code {nbval_rc}: {nbval_last}).",
        "",
        "## Import time",
        f"`import ketamine_course`: {imp * 1000:.1f} ms (best of 5; target < 300 ms). "
        "Heavy libraries load only when a submodule needs them.",
        "",
        *model_section(models),
        *static,
    ]
    kept = kept_sections(Path(path), lines)
    text = "\n".join(lines + kept) + ("\n" if kept else "")
    print()
    print(text)
    Path(path).write_text(text)


if __name__ == "__main__":
    main(sys.argv[1:])
