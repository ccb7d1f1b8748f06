"""Demos beside the plasticity concept: disinhibition and spines (notebook 03)."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import checks, style
from .base import Demo, Description, new_figure, slider


def disinhibition(block_fraction: float = 0.4) -> Demo:
    """The disinhibition hypothesis in a two-population rate model.

    Left: pyramidal and interneuron rates over time as the NMDA block starts
    at 200 ms. Right: steady-state rates against block, with the chosen block
    marked. Parameters are illustrative (plasticity.DEFAULT_EI).
    """
    from .. import plasticity

    checks.number(block_fraction, "block_fraction", "fraction of NMDA current", 0.0, 1.0)
    fig = new_figure(figsize=(8.4, 3.8))
    left, right = fig.subplots(1, 2, width_ratios=[1.2, 1])
    st_e, st_i = style.series_style(0), style.series_style(3)
    line_e, = left.plot([], [], color=st_e["color"], linestyle=st_e["linestyle"], label="pyramidal (E)")
    line_i, = left.plot([], [], color=st_i["color"], linestyle=st_i["linestyle"], label="interneuron (I)")
    left.axvline(200, color="#555555", linestyle=":", linewidth=1)
    left.text(205, 0.97, "block\nstarts", transform=left.get_xaxis_transform(), va="top", fontsize="small")
    left.set_xlim(0, 1000)
    left.set_ylim(0, 26)
    left.set_xlabel("time (ms)")
    left.set_ylabel("firing rate (spikes/s)")
    left.legend(loc="upper right", fontsize="small")
    blocks = np.linspace(0, 1, 101)
    e_curve, i_curve = plasticity.steady_state_rates(blocks)
    right.plot(blocks, e_curve, color=st_e["color"], linestyle=st_e["linestyle"], label="pyramidal (E)")
    right.plot(blocks, i_curve, color=st_i["color"], linestyle=st_i["linestyle"], label="interneuron (I)")
    baseline = float(e_curve[0])
    right.axhline(baseline, color="#777777", linewidth=0.8, linestyle="--")
    # Below the dashed line: at small blocks the pyramidal curve rises above it, never below.
    right.text(0.02, baseline - 0.3, "pyramidal baseline", fontsize="x-small", color="#555555", va="top")
    right.set_xlim(0, 1)
    right.set_ylim(0, 26)
    right.set_xlabel("fraction of NMDA current blocked")
    right.set_ylabel("steady rate (spikes/s)")
    marker_e, = right.plot([], [], marker="o", markersize=9, color=st_e["color"], markeredgecolor="#111111",
                           linestyle="none")
    marker_i, = right.plot([], [], marker="D", markersize=8, color=st_i["color"], markeredgecolor="#111111",
                           linestyle="none")
    style.mark_illustrative(right, "Illustrative parameters", y=0.9)
    title = fig.suptitle("")
    said = Description()

    def update(block_fraction: float) -> None:
        trace = plasticity.simulate_ei(block_fraction, duration_ms=1000.0)
        line_e.set_data(trace.time_ms, trace.pyramidal_hz)
        line_i.set_data(trace.time_ms, trace.interneuron_hz)
        e_rate, i_rate = (float(x) for x in plasticity.steady_state_rates(block_fraction))
        marker_e.set_data([block_fraction], [e_rate])
        marker_i.set_data([block_fraction], [i_rate])
        change = 100 * (e_rate / baseline - 1)
        title.set_text(f"{100 * block_fraction:.0f}% NMDA block: interneurons {i_rate:.1f} spikes/s, "
                       f"pyramidal output {change:+.0f}% from baseline")
        said.set(f"At {100 * block_fraction:.0f}% NMDA block, interneurons settle at {i_rate:.1f} spikes/s and "
                 f"pyramidal cells at {e_rate:.1f} spikes/s, {change:+.0f}% from their baseline of "
                 f"{baseline:.1f} spikes/s (illustrative parameters).")

    controls = {"block_fraction": slider("NMDA block", block_fraction, 0.0, 1.0, 0.05, "fraction", ".2f")}
    return Demo(fig, controls, update,
                caption="Left: firing rates of pyramidal cells (solid) and interneurons (dotted) over "
                        "one second, with the NMDA block switched on at 200 ms. Right: steady rates against "
                        "the fraction blocked; the pyramidal rate rises at moderate block and falls below "
                        "baseline near full block. Parameters are illustrative.",
                dynamic=[line_e, line_i, marker_e, marker_i, title], describe=said)


def spines(view: str = "intact") -> Demo:
    """Illustrative time course: a fast effect that spines then sustain (after Moda-Sava et al. 2019)."""
    from .. import plasticity

    checks.choice(view, "view", ("intact", "removed"))
    days = np.linspace(0, 14, 561)
    fig = new_figure(figsize=(7.4, 4.4))
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1.4])
    st0, st1 = style.series_style(0), style.series_style(3)
    top.plot(days, plasticity.spine_density(days), color=style.PALETTE["bluish_green"], linestyle="-")
    removed, = top.plot(days, np.ones_like(days), color=st1["color"], linestyle=st1["linestyle"])
    top.set_ylabel("spine density\n(relative)")
    top.set_ylim(0.9, 1.4)
    intact = bottom.plot(days, plasticity.antidepressant_effect(days, spines_intact=True), color=st0["color"],
                         linestyle=st0["linestyle"], label="new spines kept")[0]
    ablated = bottom.plot(days, plasticity.antidepressant_effect(days, spines_intact=False), color=st1["color"],
                          linestyle=st1["linestyle"], label="new spines removed")[0]
    bottom.set_ylabel("antidepressant-like\neffect (relative)")
    bottom.set_ylim(0, 1.0)
    bottom.set_xlim(0, 14)
    bottom.set_xlabel("days after one dose")
    bottom.legend(loc="upper right", fontsize="small")
    style.mark_illustrative(bottom, "Illustrative shape, not fitted to data", y=0.5)
    title = top.set_title("")
    said = Description()

    def update(view: str) -> None:
        keep = view == "intact"
        effect = plasticity.antidepressant_effect(np.array([1.0, 7.0]), spines_intact=keep)
        said.set(f"New spines {'kept' if keep else 'removed'}: the illustrative effect is {effect[0]:.2f} on "
                 f"day 1 and {effect[1]:.2f} on day 7 (relative units; shapes not fitted to data).")
        # emptied, not set invisible: the Blitter re-shows invisible dynamic artists when it captures
        removed.set_data(*(([], []) if keep else (days, np.ones_like(days))))
        intact.set_linewidth(3.0 if keep else 1.2)
        ablated.set_linewidth(1.2 if keep else 3.0)
        intact.set_alpha(1.0 if keep else 0.5)
        ablated.set_alpha(0.5 if keep else 1.0)
        title.set_text("New spines form within a day and carry the effect for days" if keep else
                       "Without the new spines the effect still starts, but fades sooner")

    controls = {"view": widgets.ToggleButtons(options=[("new spines kept", "intact"),
                                                       ("new spines removed", "removed")],
                                              value=view, description="", style={"button_width": "auto"})}
    return Demo(fig, controls, update,
                caption="Top: relative spine density in prefrontal cortex after one dose, rising within a "
                        "day and returning over about two weeks (dashed: new spines removed). Bottom: an "
                        "antidepressant-like effect that starts within hours in both cases but lasts "
                        "longer when the new spines are kept. Illustrative shapes.",
                dynamic=[removed, intact, ablated, title], describe=said)
