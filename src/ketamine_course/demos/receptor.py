"""Demos beside the receptor concept: coincidence detection, Mg2+ block, occupancy, trapping (notebook 02)."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import checks, style, units
from .base import Demo, Description, new_figure, slider


def _mark(ok: bool) -> str:
    return "yes" if ok else "no"


#: What each coincidence button stands for; the button adds its state, e.g. "glutamate: on".
_LABELS = {"glutamate": "glutamate", "glycine": "glycine / D-serine", "depolarised": "depolarised to -20 mV"}


def coincidence(glutamate: bool = False, glycine: bool = True, depolarised: bool = False) -> Demo:
    """Coincidence detection: current flows only with glutamate, glycine and depolarisation.

    Depolarised means -20 mV, at rest -70 mV, with 1 mM external Mg2+
    (Jahr & Stevens 1990 block). The bar shows the inward current through
    the receptor population (nmda_current_pa with g_max 1 nS).
    """
    from .. import receptor

    checks.flag(glutamate, "glutamate", "whether glutamate is bound")
    checks.flag(glycine, "glycine", "whether glycine or D-serine is bound")
    checks.flag(depolarised, "depolarised", "whether the membrane is at -20 mV rather than -70 mV")
    fig = new_figure(figsize=(7.0, 3.0))
    ax = fig.add_subplot()
    rest, depol = -70.0, -20.0
    # the largest inward current in this demo sets the axis: all three conditions met
    biggest = -float(receptor.nmda_current_pa(depol, 1.0))
    bar = ax.barh([0], [0.0], height=0.6, color=style.PALETTE["blue"], edgecolor="#111111", hatch="//")[0]
    ax.set_xlim(0, biggest * 1.25)
    ax.set_ylim(-0.6, 2.6)
    ax.set_yticks([])
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("inward NMDA current (pA, for 1 nS of channels)")
    status = ax.text(0.0, 2.55, "", fontsize="medium", va="top", family="monospace")
    value = ax.text(0.0, 0.0, "", va="center", fontsize="medium", fontweight="bold")
    title = ax.set_title("")
    said = Description()

    def update(glutamate: bool, glycine: bool, depolarised: bool) -> None:
        v = depol if depolarised else rest
        current = max(0.0, -float(receptor.nmda_current_pa(v, 1.0, glutamate=glutamate, glycine=glycine)))
        bar.set_width(current)
        value.set_position((current + biggest * 0.02, 0))
        value.set_text(f"{current:.1f} pA")
        unblocked = float(receptor.mg_unblocked_fraction(v, 1.0))
        # Why 4% free still gives 3.1 pA at rest against 10.2 pA at -20 mV: the current is the product of
        # the open channels, the fraction free of Mg2+ and the driving force, 70 mV at rest and 20 mV up.
        product = (f"current         : 1 nS x {abs(v):.0f} mV driving force x {unblocked:.1%} free"
                   if glutamate and glycine else "current         : none, the channel is closed")
        status.set_text(f"glutamate bound : {_mark(glutamate)}\nglycine bound   : {_mark(glycine)}\n"
                        f"membrane        : {v:.0f} mV, {100 * unblocked:.0f}% free of Mg2+\n{product}")
        said.set(f"Glutamate {'bound' if glutamate else 'absent'}, glycine {'bound' if glycine else 'absent'}, "
                 f"membrane at {v:.0f} mV ({100 * unblocked:.0f}% of channels free of Mg2+): "
                 f"{current:.1f} pA of inward current.")
        for name, on in (("glutamate", glutamate), ("glycine", glycine), ("depolarised", depolarised)):
            button = controls[name]
            button.description = f"{_LABELS[name]}: {'on' if on else 'off'}"
            button.icon = "check" if on else ""
        if not (glutamate and glycine):
            title.set_text("Channel closed: both agonists must be bound")
        elif not depolarised:
            title.set_text("Open, but Mg2+ plugs the pore at rest: a trickle of current")
        else:
            title.set_text("All three conditions met: current flows")

    # Each button says its state in words ("glutamate: off"); the tick shows only when on.
    controls = {name: widgets.ToggleButton(value=value, description=_LABELS[name], tooltip=_LABELS[name],
                                           layout=widgets.Layout(width="auto"))
                for name, value in (("glutamate", glutamate), ("glycine", glycine), ("depolarised", depolarised))}
    return Demo(fig, controls, update,
                caption="A bar shows the inward current through NMDA receptors, with a text panel "
                        "listing whether glutamate and glycine are bound, the membrane potential and how the "
                        "current is made: open channels x driving force x fraction free of Mg2+. At rest only "
                        "about 4% of channels are free, but the driving force is 70 mV, so a few pA still "
                        "flow; at -20 mV half are free and the driving force is 20 mV. Current is large only "
                        "when all three conditions hold.",
                dynamic=[bar, value, status, title], describe=said)


def mg_block(voltage_mv: float = -70.0, mg_mm: float = 1.0) -> Demo:
    """I-V curve of NMDA receptors under Mg2+ block (Jahr & Stevens 1990)."""
    from .. import receptor

    checks.number(voltage_mv, "voltage_mv", "mV", -100.0, 40.0)
    checks.number(mg_mm, "mg_mm", "mM", 0.0, 4.0)
    v = np.linspace(-100.0, 40.0, 281)
    fig = new_figure()
    ax = fig.add_subplot()
    st0, st1 = style.series_style(0), style.series_style(1)
    ax.plot(v, receptor.nmda_current_pa(v, 0.0), color=style.ILLUSTRATIVE_GREY, linestyle="--",
            label="no Mg2+ (linear)")
    curve, = ax.plot(v, receptor.nmda_current_pa(v, mg_mm), color=st0["color"], linestyle="-",
                     label="with Mg2+")
    marker, = ax.plot([], [], marker="o", markersize=9, color=st1["color"], markeredgecolor="#111111",
                      linestyle="none", label="chosen voltage")
    ax.axhline(0, color="#444444", linewidth=0.8)
    ax.axvline(-70, color="#999999", linewidth=0.8, linestyle=":")
    ax.text(-69, -35, "resting\npotential", fontsize="small", color="#555555", va="top")
    ax.set_xlim(-100, 40)
    ax.set_ylim(-105, 45)
    ax.set_xlabel("membrane potential (mV)")
    ax.set_ylabel("NMDA current (pA, 1 nS)")
    ax.legend(loc="lower right")
    readout = ax.text(0.02, 0.97, "", transform=ax.transAxes, fontsize="small", va="top",
                      bbox={"facecolor": "white", "edgecolor": "#999999"})
    title = ax.set_title("")
    said = Description()

    def update(voltage_mv: float, mg_mm: float) -> None:
        curve.set_ydata(receptor.nmda_current_pa(v, mg_mm))
        i_now = float(receptor.nmda_current_pa(voltage_mv, mg_mm))
        marker.set_data([voltage_mv], [i_now])
        free = float(receptor.mg_unblocked_fraction(voltage_mv, mg_mm))
        readout.set_text(f"B(V) = 1 / (1 + [Mg]/3.57 mM * exp(-0.062 V))\n"
                         f"at {voltage_mv:.0f} mV, {mg_mm:.1f} mM Mg2+: {100 * free:.1f}% of channels unblocked, "
                         f"I = {i_now:.1f} pA")
        title.set_text(f"At {voltage_mv:.0f} mV, {mg_mm:.1f} mM Mg2+ lets through {100 * free:.0f}% of the current")
        said.set(f"At {voltage_mv:.0f} mV with {mg_mm:.1f} mM Mg2+, {100 * free:.0f}% of open channels are "
                 f"unblocked; the current is {i_now:.1f} pA for 1 nS of channels "
                 f"({'inward' if i_now < 0 else 'outward' if i_now > 0 else 'none'}).")

    controls = {
        "voltage_mv": slider("membrane potential", voltage_mv, -100.0, 40.0, 5.0, "mV", ".0f"),
        "mg_mm": slider("external Mg2+", mg_mm, 0.0, 4.0, 0.1, "mM"),
    }
    return Demo(fig, controls, update,
                caption="Current-voltage curve of NMDA receptors. The dashed grey line is the current with "
                        "no Mg2+; the solid line includes the Jahr & Stevens Mg2+ block, which flattens the "
                        "curve at negative potentials. A circle marks the chosen voltage.",
                dynamic=[curve, marker, readout, title], describe=said)


def occupancy(form: str = "racemic ketamine", concentration_um: float = units.PROTOCOL_PEAK_UM) -> Demo:
    """Equilibrium occupancy of the channel site against concentration, for each form of ketamine."""
    from .. import receptor

    names = list(receptor.AFFINITIES)
    checks.choice(form, "form", names)
    checks.number(concentration_um, "concentration_um", "µM", 0.01, 100.0)
    c = np.logspace(-2, 2, 200)
    fig = new_figure()
    ax = fig.add_subplot()
    curves = {}
    for i, name in enumerate(names):
        st = style.series_style(i)
        ki = receptor.AFFINITIES[name].ki_um
        curves[name], = ax.plot(c, receptor.occupancy(c, ki), color=st["color"], linestyle=st["linestyle"],
                                label=f"{name} (Ki {ki:g} µM)")
    marker, = ax.plot([], [], marker="o", markersize=9, color="#111111", linestyle="none")
    ax.axvspan(0.6, 1.0, color=style.PALETTE["yellow"], alpha=0.35, zorder=0)
    ax.axvline(receptor.ANTIDEPRESSANT_PEAK_UM, color="#333333", linestyle=":", linewidth=1.2)
    # The note sits top left, where every curve is still low, and points at the dotted line.
    ax.annotate("peak plasma after\n0.5 mg/kg over 40 min\n(~0.8 µM; shaded ~0.6-1 µM)",
                xy=(receptor.ANTIDEPRESSANT_PEAK_UM, 0.9), xycoords="data", xytext=(0.02, 0.97),
                textcoords="axes fraction", fontsize="small", va="top", ha="left",
                arrowprops={"arrowstyle": "->", "color": "#333333", "linewidth": 1.0})
    ax.set_xscale("log")
    ax.set_xlim(0.01, 100)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("drug concentration (µM, log scale)")
    ax.set_ylabel("fraction of channel sites occupied")
    ax.legend(loc="lower right", fontsize="small")
    title = ax.set_title("")
    said = Description()

    def update(form: str, concentration_um: float) -> None:
        ki = receptor.AFFINITIES[form].ki_um
        occ = float(receptor.occupancy(concentration_um, ki))
        for name, line in curves.items():
            line.set_linewidth(3.2 if name == form else 1.4)
            line.set_alpha(1.0 if name == form else 0.55)
        marker.set_data([concentration_um], [occ])
        title.set_text(f"{form}: {100 * occ:.0f}% of sites occupied at {concentration_um:.2g} µM (equilibrium)")
        said.set(f"{form} (Ki {ki:g} µM) at {concentration_um:.2g} µM occupies {100 * occ:.0f}% of the "
                 "channel sites at equilibrium.")

    controls = {
        "form": widgets.Dropdown(options=names, value=form, description="form"),
        "concentration_um": widgets.FloatLogSlider(value=concentration_um, base=10, min=-2, max=2, step=0.05,
                                                   description="concentration (µM)", readout_format=".2g",
                                                   style={"description_width": "initial"},
                                                   layout=widgets.Layout(width="360px")),
    }
    return Demo(fig, controls, update,
                caption="Occupancy curves for racemic ketamine, esketamine and arketamine against "
                        "concentration on a log axis, each with its own line style. A shaded band and "
                        "dotted line mark the peak plasma concentration of the antidepressant infusion; "
                        "a black circle marks the chosen concentration on the chosen curve.",
                dynamic=[*curves.values(), marker, title], describe=said)


#: Concentrations used in the block demo, uM: ketamine at its antidepressant
#: plasma peak, memantine at 1 uM (illustrative), Mg2+ at a physiological 1 mM.
BLOCK_DEMO_UM = {"ketamine": units.PROTOCOL_PEAK_UM, "memantine": 1.0, "Mg2+": 1000.0}


def trapping_block(pulse_hz: float = 1.0, agonist_after_washout: bool = True,
                   voltage_mv: float = -70.0) -> Demo:
    """Use-dependent block, trapping and recovery for ketamine, memantine and Mg2+.

    Each blocker is applied from 0 to 30 s and washed out at 30 s while
    glutamate pulses (5 ms) arrive at ``pulse_hz``. The top panel shows the
    fraction of all channels holding ketamine or memantine (open-blocked or
    trapped); the bottom panel shows Mg2+, which is never trapped, as the
    fraction of *open* channels it blocks. Rate constants are illustrative
    (see ``receptor.BLOCKERS``); the qualitative behaviour is published.
    """
    from .. import receptor

    checks.number(pulse_hz, "pulse_hz", "Hz", 0.0, 5.0)
    checks.flag(agonist_after_washout, "agonist_after_washout", "whether glutamate keeps pulsing after washout")
    checks.number(voltage_mv, "voltage_mv", "mV", -100.0, 0.0)
    duration, washout = 60.0, 30.0
    fig = new_figure(figsize=(7.0, 4.6))
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[2, 1])
    lines = {}
    for i, name in enumerate(("ketamine", "memantine")):
        st = style.series_style(i)
        lines[name], = top.plot([0, duration], [0, 0], color=st["color"], linestyle=st["linestyle"],
                                label=f"{name} ({BLOCK_DEMO_UM[name]:g} µM)")
    st = style.series_style(2)
    lines["Mg2+"], = bottom.plot([0, duration], [0, 0], color=st["color"], linestyle=st["linestyle"],
                                 label="Mg2+ (1 mM)")
    for ax in (top, bottom):
        ax.axvspan(0, washout, color="#EEEEEE", zorder=0)
        ax.set_xlim(0, duration)
        ax.set_ylim(0, 1.0)
    top.text(1, 0.96, "drug present", fontsize="small", va="top")
    top.text(washout + 1, 0.96, "washout", fontsize="small", va="top")
    top.set_ylabel("channels blocked\n(open + trapped)")
    bottom.set_ylabel("open channels\nblocked by Mg2+")
    bottom.set_xlabel("time (s)")
    top.legend(loc="upper right", fontsize="small")
    bottom.legend(loc="upper right", fontsize="small")
    # Block never passes 0.61 at any control setting: the stamp sits above the data, under "drug present".
    style.mark_illustrative(top, "Illustrative rate constants;\npublished qualitative behaviour", y=0.68).set(
        x=0.01, horizontalalignment="left")
    title = top.set_title("")
    said = Description()

    def update(pulse_hz: float, agonist_after_washout: bool, voltage_mv: float) -> None:
        runs = {name: receptor.simulate_block(name, BLOCK_DEMO_UM[name], pulse_hz=pulse_hz, duration_s=duration,
                                              washout_s=washout, agonist_after_washout=agonist_after_washout,
                                              voltage_mv=voltage_mv)
                for name in BLOCK_DEMO_UM}
        for name in ("ketamine", "memantine"):
            lines[name].set_data(runs[name].time_s, runs[name].blocked)
        lines["Mg2+"].set_data(runs["Mg2+"].time_s, runs["Mg2+"].open_blocked_fraction)
        at = {name: (100 * float(np.interp(washout, run.time_s, run.blocked)), 100 * float(run.blocked[-1]))
              for name, run in runs.items()}
        said.set(f"{pulse_hz:g} Hz glutamate pulses at {voltage_mv:.0f} mV, "
                 f"{'pulsing' if agonist_after_washout else 'no pulses'} after washout: at washout (30 s) "
                 f"ketamine holds {at['ketamine'][0]:.0f}% and memantine {at['memantine'][0]:.0f}% of channels; "
                 f"at 60 s, {at['ketamine'][1]:.0f}% and {at['memantine'][1]:.0f}%. Mg2+ blocks "
                 f"{100 * float(np.interp(washout, runs['Mg2+'].time_s, runs['Mg2+'].open_blocked_fraction)):.0f}% "
                 "of open channels at 30 s.")
        if pulse_hz == 0:
            title.set_text("No glutamate pulses: channels never open, so no drug gets in")
        elif not agonist_after_washout:
            title.set_text("Pulses stop at washout: ketamine stays trapped in closed channels")
        else:
            title.set_text(f"{pulse_hz:g} Hz pulses: block builds while channels open, leaves as they reopen")

    controls = {
        "pulse_hz": slider("glutamate pulses", pulse_hz, 0.0, 5.0, 0.25, "Hz", ".2f"),
        "agonist_after_washout": widgets.Checkbox(value=agonist_after_washout,
                                                  description="keep pulsing after washout", indent=False),
        "voltage_mv": slider("membrane potential", voltage_mv, -100.0, 0.0, 10.0, "mV", ".0f"),
    }
    return Demo(fig, controls, update,
                caption="Two panels over 60 s; the drug is present for the first 30 s (grey) and washed out "
                        "after. Top: fraction of NMDA channels holding ketamine (solid) or memantine (dashed), "
                        "open or trapped. Bottom: fraction of open channels blocked by Mg2+ (dash-dot). Rate "
                        "constants are illustrative.",
                dynamic=[*lines.values(), title], describe=said)
