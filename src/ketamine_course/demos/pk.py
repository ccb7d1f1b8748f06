"""Demos beside the pk concept: half-lives (notebook 00), plasma curves and the esketamine spray (04)."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import checks, pk, style, units
from .base import Demo, Description, YScale, new_figure, slider
from .placement import relayout


def half_life(half_life_h: float = 3.0, scale: str = "linear") -> Demo:
    """Warm-up demo: the fraction of a drug left after repeated half-lives.

    An illustrative first-order decay, ``f(t) = 0.5 ** (t / t_half)``, to
    practise sliders (half-life, hours) and dropdowns (linear or log axis).
    """
    checks.number(half_life_h, "half_life_h", "h", 0.5, 12.0)
    checks.choice(scale, "scale", ("linear", "log"))
    t_h = np.linspace(0.0, 24.0, 241)
    fig = new_figure()
    ax = fig.add_subplot()
    st = style.series_style(0)
    curve, = ax.plot(t_h, np.ones_like(t_h), color=st["color"], linestyle=st["linestyle"],
                     label="fraction remaining")
    marks, = ax.plot([], [], linestyle="none", marker="o", color=style.PALETTE["vermillion"],
                     label="after 1, 2, 3, 4, 5 half-lives")
    # Named in the legend, not beside the line: at some half-life the curve crosses any spot in the plot.
    ax.axhline(0.03125, color=style.ILLUSTRATIVE_GREY, linewidth=1, linestyle=":",
               label="1/32 left after 5 half-lives")
    ax.set_xlim(0, 24)
    ax.set_xlabel("time after dose (h)")
    ax.set_ylabel("fraction of drug remaining")
    # Below the axes: at some half-life every corner of the plot holds part of the curve on one scale.
    fig.legend(loc="outside lower center", ncols=2, fontsize="small", title="Illustrative first-order decay",
               title_fontsize="small")
    title = ax.set_title("")
    y_scale = YScale(ax, linear_ylim=(0.0, 1.05), log_ylim=(0.005, 1.1))
    said = Description()

    def update(half_life_h: float, scale: str) -> bool:
        remaining = 0.5 ** (t_h / half_life_h)
        curve.set_ydata(remaining)
        k = np.arange(1, 6)
        marks.set_data(k * half_life_h, 0.5 ** k)
        title.set_text(f"Half-life {half_life_h:.1f} h: 97% gone after {5 * half_life_h:.1f} h")
        said.set(f"With a half-life of {half_life_h:.1f} h, {100 * remaining[-1]:.3g}% of the dose is left "
                 f"after {t_h[-1]:.0f} h, and 97% (31/32) is gone after {5 * half_life_h:.1f} h "
                 f"({scale} y axis).")
        if not y_scale.show(scale):
            return False
        relayout(fig)  # log tick labels are wider: give the y label room again
        return True

    controls = {
        "half_life_h": slider("half-life", half_life_h, 0.5, 12.0, 0.5, "h"),
        "scale": widgets.Dropdown(options=[("linear axis", "linear"), ("log axis", "log")],
                                  value=scale, description="y axis"),
    }
    return Demo(fig, controls, update,
                caption="Line plot of the fraction of a dose remaining over 24 hours for the chosen "
                        "half-life; circles mark each of the first five half-lives and a dotted line the 1/32 "
                        "left after five. Move the slider "
                        "to change the half-life; switch the y axis to log to see a straight line.",
                dynamic=[curve, marks, title], describe=said)

#: Routes offered by the plasma demo, with their labels: the racemic routes of pk.ROUTES.
PK_ROUTES = {key: route.label + (" over 40 min" if route.infusion else "")
             for key, route in pk.ROUTES.items() if route.drug == "racemic ketamine"}
#: Models offered by the plasma demo: those of pk.MODELS whose source is checked
#: (Domino is left out: its source is unconfirmed).
PK_MODELS = tuple(key for key, model in pk.MODELS.items() if model.status != "unconfirmed")
_MODEL_GROUPS = {"herd2007": "children", "kamp2020": "pooled from 18 studies"}


def _compartments(model) -> int:
    if hasattr(model, "k12_per_min"):
        return 1 + (model.k12_per_min > 0) + (model.k13_per_min > 0)
    return 1 + (model.v2_l_per_70kg > 0 and model.q2_l_per_h_per_70kg > 0)


def model_label(key: str) -> str:
    """A student-readable name for a pk model, e.g. ``Herd & Anderson 2007 (children, 2 compartments)``."""
    model = pk.MODELS[checks.choice(key, "model", pk.MODELS)]
    n = _compartments(model)
    group = _MODEL_GROUPS.get(key)
    return (f"{model.name.split(' (')[0]} ({group + ', ' if group else ''}"
            f"{n} compartment{'s' if n > 1 else ''})")


#: The anesthetic induction dose drawn for contrast (pk.KETALAR_INDUCTION_DOSE_MG_PER_KG).
INDUCTION_DOSE_MG_PER_KG = pk.KETALAR_INDUCTION_DOSE_MG_PER_KG
#: Measured plasma ketamine during anesthesia, umol/L (mean and its +/-): steady level under a
#: maintenance infusion after a 2 mg/kg induction, 31 patients (Idvall et al. 1979, ``idvall1979``).
ANESTHESIA_UMOL_PER_L = (9.3, 0.8)
#: Plasma ketamine at which the same patients woke, umol/L (Idvall et al. 1979).
AWAKENING_UMOL_PER_L = 2.7


def plasma_curve(route: str = "iv_infusion", dose_mg_per_kg: float = 0.5, weight_kg: float = 70.0,
                 model: str = "clements1981", scale: str = "linear") -> Demo:
    """Plasma ketamine concentration over 8 h for a route, dose and body weight.

    The grey dashed curve is an anesthetic induction dose (2 mg/kg IV bolus,
    the Ketalar label's average) for contrast; the shaded band is the range
    the antidepressant protocol reaches (up to its reported ~185 ng/mL peak);
    the hatched band is the plasma level measured during anesthesia, and the
    dash-dot line the level at which patients woke (Idvall et al. 1979).
    """
    checks.choice(route, "route", PK_ROUTES)
    checks.number(dose_mg_per_kg, "dose_mg_per_kg", "mg/kg", 0.1, 1.0)
    checks.number(weight_kg, "weight_kg", "kg", 40.0, 120.0)
    checks.choice(model, "model", PK_MODELS)
    checks.choice(scale, "scale", ("linear", "log"))
    t_end, dt = 480.0, 1.0
    fig = new_figure(figsize=(7.4, 4.0))
    ax = fig.add_subplot()
    induction = pk.simulate(INDUCTION_DOSE_MG_PER_KG, weight_kg=70.0, route="iv_bolus", t_end_min=t_end,
                            dt_min=dt)
    ax.plot(induction.time_min / 60, induction.concentration_ng_per_ml, color=style.ILLUSTRATIVE_GREY,
            linestyle="--", linewidth=1.5, label="anesthetic induction: 2 mg/kg IV bolus, 70 kg")
    protocol_peak = units.PROTOCOL_PEAK_NG_PER_ML
    ax.axhspan(0, protocol_peak, color=style.PALETTE["sky_blue"], alpha=0.18, zorder=0)
    ax.axhline(protocol_peak, color=style.PALETTE["blue"], linestyle=":", linewidth=1.2)
    ax.text(7.9, protocol_peak + 5, f"reported peak of the antidepressant protocol, ~{protocol_peak:.0f} ng/mL",
            ha="right", va="bottom", fontsize="small", color="#333333")
    # Measured anesthetic levels (Idvall 1979), so the model's induction curve does not understate the gap.
    mw = units.MW_KETAMINE_G_PER_MOL
    mean, spread = ANESTHESIA_UMOL_PER_L
    low, high = (mean - spread) * mw, (mean + spread) * mw
    ax.axhspan(low, high, facecolor="none", edgecolor=style.PALETTE["vermillion"], hatch="///",
               linewidth=0.8, zorder=0)
    ax.text(0.6, (low + high) / 2, f"measured during anesthesia, ~{mean * mw:.0f} ng/mL (Idvall 1979)",
            ha="left", va="center", fontsize="small", color="#333333",
            bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1.5))
    awake = AWAKENING_UMOL_PER_L * mw
    ax.axhline(awake, color=style.PALETTE["vermillion"], linestyle="-.", linewidth=1.0)
    ax.text(7.9, awake * 1.02, f"patients woke at ~{awake:.0f} ng/mL", ha="right", va="bottom",
            fontsize="small", color="#333333")
    st = style.series_style(1)
    curve, = ax.plot([], [], color=st["color"], linestyle="-", linewidth=2.6, label="your choice")
    peak, = ax.plot([], [], marker="v", markersize=10, color=st["color"], markeredgecolor="#111111",
                    linestyle="none", label="peak")
    ax.set_xlim(0, t_end / 60)
    ax.set_xlabel("time after the dose starts (h)")
    ax.set_ylabel("plasma ketamine (ng/mL)")
    right = ax.secondary_yaxis("right", functions=(lambda c: c / units.MW_KETAMINE_G_PER_MOL,
                                                   lambda u: u * units.MW_KETAMINE_G_PER_MOL))
    right.set_ylabel("(µM)")
    # The key sits below the axes, off the data on either scale. The note sits right, under the hatched
    # band on the linear axis (every curve is below 1,000 ng/mL after the first hour) and at the top on
    # the log axis (nothing in the demo's dose range reaches 10^4 ng/mL).
    fig.legend(loc="outside lower center", fontsize="small", ncols=3)
    note = ax.text(0.99, 0.72, "", transform=ax.transAxes, ha="right", va="top", fontsize="small",
                   style="italic", color="#333333")
    title = ax.set_title("")
    y_scale = YScale(ax, linear_ylim=(0, 2700), log_ylim=(1, 100000))
    said = Description()

    def update(route, dose_mg_per_kg, weight_kg, model, scale) -> bool:
        chosen = pk.MODELS[model]
        if route == "iv_infusion":
            result = pk.simulate(dose_mg_per_kg, weight_kg, route=route, infusion_min=40.0, model=chosen,
                                 t_end_min=t_end, dt_min=dt)
        else:
            result = pk.simulate(dose_mg_per_kg, weight_kg, route=route, model=chosen, t_end_min=t_end,
                                 dt_min=dt)
        curve.set_data(result.time_min / 60, result.concentration_ng_per_ml)
        t_peak, c_peak = result.peak()
        peak.set_data([t_peak / 60], [c_peak])
        r = pk.ROUTES[route]
        note.set_text(f"bioavailability {r.bioavailability:.0%} ({r.status})\n"
                      + ("absorption rate from a reported Tmax (assumption)\n" if r.ka_per_min else "")
                      + f"model: {model_label(model)}")
        title.set_text(f"{PK_ROUTES[route]}, {dose_mg_per_kg:.2f} mg/kg ({dose_mg_per_kg * weight_kg:.0f} mg)\n"
                       f"peak {c_peak:.0f} ng/mL ({c_peak / units.MW_KETAMINE_G_PER_MOL:.2f} µM) at {t_peak:.0f} min")
        said.set(f"{PK_ROUTES[route]}, {dose_mg_per_kg:.2f} mg/kg for {weight_kg:.0f} kg "
                 f"({dose_mg_per_kg * weight_kg:.0f} mg), {model_label(model)}: modelled peak {c_peak:.0f} ng/mL "
                 f"({c_peak / units.MW_KETAMINE_G_PER_MOL:.2f} µM) at {t_peak:.0f} min, "
                 f"{result.concentration_ng_per_ml[-1]:.0f} ng/mL after {t_end / 60:.0f} h; "
                 f"measured during anesthesia: about {mean * mw:.0f} ng/mL ({scale} y axis).")
        if not y_scale.show(scale):
            return False
        # Keep the note off the curves, bands and their labels on either axis.
        log = scale == "log"
        note.set_position((0.99, 0.98) if log else (0.99, 0.72))
        relayout(fig)  # the log axis has wider tick labels on both sides
        return True

    controls = {
        "route": widgets.Dropdown(options=[(label, key) for key, label in PK_ROUTES.items()], value=route,
                                  description="route"),
        "dose_mg_per_kg": slider("dose", dose_mg_per_kg, 0.1, 1.0, 0.05, "mg/kg", ".2f"),
        "weight_kg": slider("body weight", weight_kg, 40.0, 120.0, 5.0, "kg", ".0f"),
        "model": widgets.Dropdown(options=[(model_label(k), k) for k in PK_MODELS], value=model,
                                  description="model", layout=widgets.Layout(width="420px")),
        "scale": widgets.Dropdown(options=[("linear axis", "linear"), ("log axis", "log")], value=scale,
                                  description="y axis"),
    }
    return Demo(fig, controls, update,
                caption="Plasma ketamine concentration over 8 hours for the chosen route, dose and weight "
                        "(solid line, triangle at the peak), with an anesthetic induction dose as a grey "
                        "dashed line, a shaded band up to the antidepressant protocol's reported peak, and a "
                        "hatched band at the plasma level measured during anesthesia, with a dash-dot line where "
                        "patients woke (Idvall 1979). Not dosing guidance.",
                dynamic=[curve, peak, note, title], describe=said)


def esketamine_spray(dose_mg: int = 56) -> Demo:
    """Esketamine nasal spray (Spravato) plasma curve, Perez-Ruixo 2021 model, 28/56/84 mg."""
    checks.choice(dose_mg, "dose_mg", pk.ESKETAMINE_DOSES_MG, unit="mg")
    fig = new_figure(figsize=(7.0, 3.6))
    ax = fig.add_subplot()
    curves, results = {}, {}
    for i, d in enumerate(pk.ESKETAMINE_DOSES_MG):
        st = style.series_style(i)
        result = results[d] = pk.esketamine_nasal(d, t_end_min=720.0, dt_min=1.0)
        curves[d], = ax.plot(result.time_min / 60, result.concentration_ng_per_ml, color=st["color"],
                             linestyle=st["linestyle"], label=f"{d} mg ({d // 28} device{'s' if d > 28 else ''})")
    band = ax.axvspan(0, 0, color=style.PALETTE["yellow"], alpha=0.35, zorder=0)
    ax.axvline(2.0, color="#333333", linestyle=":", linewidth=1.2)
    ax.text(2.05, 0.97, "REMS: observe at least 2 h\nafter the dose", transform=ax.get_xaxis_transform(),
            fontsize="small", va="top")
    ax.set_xlim(0, 12)
    ax.set_ylim(0, 110)
    ax.set_xlabel("time after the first spray (h)")
    ax.set_ylabel("plasma esketamine (ng/mL)")
    ax.legend(loc="upper right", fontsize="small")
    style.mark_illustrative(ax, "Population model (Perez-Ruixo 2021), typical adult", y=0.55)
    title = ax.set_title("")
    said = Description()

    def update(dose_mg: int) -> None:
        result = results[dose_mg]
        for d, line in curves.items():
            line.set_linewidth(3.0 if d == dose_mg else 1.2)
            line.set_alpha(1.0 if d == dose_mg else 0.5)
        last = result.last_dose_min
        early, late = pk.SPRAVATO_TMAX_MIN
        band.set_x((last + early) / 60)
        band.set_width((late - early) / 60)
        t_peak, c_peak = result.peak()
        title.set_text(f"{dose_mg} mg: model peak {c_peak:.0f} ng/mL, {t_peak - last:.0f} min after the last spray\n"
                       f"(label: peak 20-40 min after dosing, shaded)")
        at_2h = float(np.interp(120.0, result.time_min, result.concentration_ng_per_ml))
        said.set(f"{dose_mg} mg of esketamine nasal spray: model peak {c_peak:.0f} ng/mL, "
                 f"{t_peak - last:.0f} min after the last spray; {at_2h:.0f} ng/mL at 2 h, "
                 "the end of the minimum observation.")

    controls = {"dose_mg": widgets.ToggleButtons(options=list(pk.ESKETAMINE_DOSES_MG), value=dose_mg,
                                                 description="dose (mg)")}
    return Demo(fig, controls, update,
                caption="Plasma esketamine after 28, 56 and 84 mg of nasal spray over 12 hours, one line "
                        "style per dose; the chosen dose is drawn thicker. A shaded band marks the label's "
                        "time to peak (20-40 min after the last spray) and a dotted line the 2-hour minimum "
                        "observation.",
                dynamic=[*curves.values(), band, title], describe=said)
