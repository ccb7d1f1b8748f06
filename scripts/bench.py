"""Measure what students feel: slider-to-figure latency and import time.

Writes a Markdown report (default BENCHMARKS.md). Timings are kernel-side:
from a control's value change to the new PNG being ready for the widget.
Never used as a test assertion.
"""

import platform
import statistics
import subprocess
import sys
import time

import numpy as np

from ketamine_course import demos

# Each demo with the control to sweep and the values to sweep it over.
SWEEPS = {
    "half_life": ("half_life_h", np.linspace(0.5, 12.0, 24)),
}


def latency_ms(name, control, values, repeats=3):
    demo = getattr(demos, name)()
    samples = []
    for _ in range(repeats):
        for v in values:
            t0 = time.perf_counter()
            demo.controls[control].value = float(v)
            samples.append((time.perf_counter() - t0) * 1000)
    return samples


def import_time_s():
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import ketamine_course"],
                         capture_output=True, text=True, check=True).stderr
    last = [l for l in out.splitlines() if l.rstrip().endswith("ketamine_course")][-1]
    return int(last.split("|")[1]) / 1e6


def main(path="BENCHMARKS.md"):
    rows = []
    for name, (control, values) in SWEEPS.items():
        s = latency_ms(name, control, values)
        rows.append((name, control, statistics.median(s), float(np.percentile(s, 95)), len(s)))
    imp = min(import_time_s() for _ in range(5))
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {platform.machine()}, Python {platform.python_version()}, "
        f"{__import__('os').cpu_count()} cores.",
        "",
        "## Slider-to-figure latency (kernel side)",
        "From a control's value change to the redrawn PNG. Target: median <= 100 ms.",
        "",
        "| demo | control | median (ms) | p95 (ms) | samples |",
        "|---|---|---|---|---|",
        *[f"| {n} | {c} | {m:.0f} | {p:.0f} | {k} |" for n, c, m, p, k in rows],
        "",
        "## Import time",
        f"`import ketamine_course`: {imp * 1000:.1f} ms (best of 5; target < 300 ms). "
        "Heavy libraries load only when a submodule needs them.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    with open(path, "w") as fh:
        fh.write(text)


if __name__ == "__main__":
    main(*sys.argv[1:])
