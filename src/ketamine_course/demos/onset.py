"""Demos beside the onset concept: onset comparison and a course against one infusion (notebook 05)."""

from __future__ import annotations

import functools

import ipywidgets as widgets
import numpy as np

from .. import checks, style
from .base import Demo, Description, collapsed, new_figure


#: Treatments in the onset comparison, with display names.
ONSET_TREATMENTS = {
    "ketamine_iv_single": "ketamine, one IV infusion",
    "esketamine_nasal_plus_ad": "esketamine spray + oral AD (TRD)",
    "ect": "ECT, 3 sessions a week (MDD)",
    "ssri": "SSRIs vs placebo (MDD)",
}
ONSET_MEASURES = {
    "response_rate_pct": "response rate (% of patients)",
    "remission_rate_pct": "remission rate (% of patients)",
    "difference_vs_placebo": "difference from placebo in % responding (points)",
}
#: The y-axis labels, on two lines each, so every label fits the margin the layout gives the first.
_YLABELS = {
    "response_rate_pct": "response rate\n(% of patients)",
    "remission_rate_pct": "remission rate\n(% of patients)",
    "difference_vs_placebo": "difference from placebo\n(points of % responding)",
}
_HOUR_TICKS = [(2, "2 h"), (24, "1 d"), (72, "3 d"), (168, "1 wk"), (336, "2 wk"), (672, "4 wk"),
               (2016, "12 wk")]
_LINEAR_TICKS = [(168, "1 wk"), (336, "2 wk"), (672, "4 wk"), (1344, "8 wk"), (2016, "12 wk")]


def _when(hours: float) -> str:
    """A time after the first dose in the unit a reader would use: hours, days or weeks."""
    if hours < 48:
        return f"{hours:.3g} h"
    if hours < 672:
        return f"{hours / 24:.3g} d"
    return f"{hours / 168:.3g} wk"


def _point_rows(treatment, statistic):
    """Timed rows for one treatment and statistic, both arms (percentage-point differences only)."""
    from .. import onset

    out = []
    for arm in ("active", "placebo"):
        hours, values, rows = onset.series(treatment, statistic, arm=arm)
        for h, v, row in zip(hours, values, rows):
            if statistic == "difference_vs_placebo" and onset.difference_unit(row) != "percentage points":
                continue
            out.append((float(h), float(v), arm, row))
    return out


@functools.lru_cache(maxsize=64)
def _unavailable_reason(treatment, measure) -> str:
    """Why a treatment has nothing to plot for a measure, in words drawn from the data ("" if it has)."""
    from .. import onset

    if _point_rows(treatment, measure):
        return ""
    if measure != "difference_vs_placebo":
        return "no values for this measure"
    units = sorted({onset.difference_unit(r) or "unstated units" for r in onset.trials()
                    if r["treatment"] == treatment and r["statistic"] == "difference_vs_placebo"})
    if units:
        return f"difference given in {', '.join(units)} only"
    if any(r["treatment"] == treatment and r["arm"] == "placebo" for r in onset.trials()):
        return "no difference reported (see its grey placebo\npoints under response rate)"
    return "no placebo-controlled values"


def _short_name(treatment) -> str:
    """A treatment's display name without its qualifiers, e.g. ``ketamine`` or ``ECT``."""
    return ONSET_TREATMENTS[treatment].split(",")[0].split(" (")[0].split(" vs ")[0].split(" +")[0]


def _difference_ylim(names) -> tuple[float, float]:
    """A y range that fits every difference-from-placebo value of ``names``, with room for the note on top."""
    values = [v for key in names for _h, v, _arm, _r in _point_rows(key, "difference_vs_placebo")]
    low, high = min(values + [0.0]), max(values + [0.0])
    span = high - low or 1.0
    return low - 0.15 * span, high + 0.75 * span


def onset_comparison(treatments=("ketamine_iv_single", "esketamine_nasal_plus_ad", "ect"),
                     measure: str = "response_rate_pct", axis: str = "log") -> Demo:
    """How fast treatments act, from published trial values (data/onset_trials.csv).

    Filled markers are values confirmed in the source, hollow markers values
    seen only in secondary sources; grey markers of the same shape are
    placebo arms. Lines are curves fitted (solid) or illustrative (dotted)
    through the confirmed points (ketamine_course.onset). The table below the
    figure lists every plotted value with its source.
    """
    from .. import data, onset

    if isinstance(treatments, str):
        treatments = (treatments,)
    for t in treatments:
        checks.choice(t, "treatments", ONSET_TREATMENTS)
    checks.choice(measure, "measure", ONSET_MEASURES)
    checks.choice(axis, "axis", ("log", "linear"))
    hours = np.logspace(0, np.log10(onset.MAX_HOURS), 300)
    names = list(ONSET_TREATMENTS)
    fig = new_figure(figsize=(8.0, 4.2))
    ax = fig.add_subplot()
    artists = {}
    for i, key in enumerate(names):
        st = style.series_style(i)
        curve, = ax.plot([], [], color=st["color"], linestyle="-", linewidth=2.2)
        outside, = ax.plot([], [], color=st["color"], linestyle=(0, (1, 2)), linewidth=1.2, alpha=0.8)
        confirmed, = ax.plot([], [], linestyle="none", marker=st["marker"], markersize=9, color=st["color"],
                             markeredgecolor="#111111")
        secondary, = ax.plot([], [], linestyle="none", marker=st["marker"], markersize=9,
                             markerfacecolor="white", markeredgecolor=st["color"], markeredgewidth=1.8)
        placebo, = ax.plot([], [], linestyle="none", marker=st["marker"], markersize=8, color="#9A9A9A",
                           markeredgecolor="#111111")
        approx, = ax.plot([], [], linestyle="none", marker=st["marker"], markersize=9, color=st["color"],
                          fillstyle="left", markerfacecoloralt="white", markeredgecolor="#111111")
        artists[key] = (curve, outside, confirmed, secondary, placebo, approx)
    from matplotlib.lines import Line2D

    key_handles = [Line2D([], [], linestyle="-", marker=style.series_style(i)["marker"],
                          color=style.series_style(i)["color"], markeredgecolor="#111111",
                          label=ONSET_TREATMENTS[k]) for i, k in enumerate(names)]
    key_handles += [
        Line2D([], [], linestyle="none", marker="o", markerfacecolor="white", markeredgecolor="#444444",
               label="hollow: secondary source only"),
        Line2D([], [], linestyle="none", marker="o", color="#9A9A9A", markeredgecolor="#111111",
               label="grey: placebo arm"),
        Line2D([], [], linestyle="none", marker="o", color="#444444", fillstyle="left",
               markerfacecoloralt="white", markeredgecolor="#111111", label="half-filled: read from a figure"),
        Line2D([], [], linestyle=":", color="#444444", label="dotted: illustrative curve"),
        Line2D([], [], linestyle=(0, (1, 2)), color="#444444", linewidth=1.2,
               label="thin dots: beyond the data (shape only)"),
    ]
    # The key sits below the axes, never over the data.
    fig.legend(handles=key_handles, loc="outside lower center", fontsize="x-small", ncols=3)
    zero = ax.axhline(0, color="#777777", linewidth=0.8)
    ylims = {"response_rate_pct": (-5, 100), "remission_rate_pct": (-5, 100),
             "difference_vs_placebo": _difference_ylim(names)}
    ax.set_ylim(ylims[measure])
    missing = ax.text(0.01, 0.97, "", transform=ax.transAxes, ha="left", va="top", fontsize="x-small",
                      bbox={"boxstyle": "round,pad=0.3", "facecolor": "#FFF7D6",
                                       "edgecolor": "#7A6A00"})
    ax.set_xlabel("time after the first dose")
    ylabel = ax.set_ylabel("")
    title = ax.set_title("")
    table = widgets.HTML()
    shown = {"axis": None, "ylim": ax.get_ylim()}
    said = Description()

    def update(measure: str, axis: str, **ticked) -> bool:
        plotted = []
        for key in names:
            curve, outside, confirmed, secondary, placebo, approx = artists[key]
            on = ticked[key]
            points = _point_rows(key, measure) if on else []
            from_figure = [(h, v) for h, v, arm, r in points
                           if arm == "active" and r["extraction"] == "figure-approx"]
            active = [(h, v, r) for h, v, arm, r in points if arm == "active" and r["extraction"] != "figure-approx"]
            act = [(h, v) for h, v, r in active if r["status"] == "confirmed"]
            sec = [(h, v) for h, v, r in active if r["status"] != "confirmed"]
            pla = [(h, v) for h, v, arm, r in points if arm == "placebo"]
            for line, pts in ((confirmed, act), (secondary, sec), (placebo, pla), (approx, from_figure)):
                line.set_data([p[0] for p in pts], [p[1] for p in pts])
            plotted += [(key, h, v, arm, r) for h, v, arm, r in points]
            spec = onset.CURVE_SPECS[key]
            if on and spec.statistic == measure:
                fitted = onset.onset_curve(key)
                first = min(p[0] for p in fitted.points)
                last = fitted.last_point_hours
                inside = (hours >= first) & (hours <= last)
                span = hours[inside] if inside.any() else np.array([first])
                curve.set_data(span, fitted.at(span))
                curve.set_linestyle("-" if fitted.kind == "fitted" else ":")
                beyond = np.where(inside, np.nan, fitted.at(hours))
                outside.set_data(hours, beyond)
            else:
                curve.set_data([], [])
                outside.set_data([], [])
        gone = [(key, _unavailable_reason(key, measure)) for key in names if ticked[key]]
        gone = [(key, why) for key, why in gone if why]
        # Hidden by emptying the text: the Blitter makes every dynamic artist visible when it
        # captures its background, and empty text draws nothing (not even its box).
        missing.set_text("Not shown in this view:\n" + "\n".join(
            f"{_short_name(key)}: {why}" for key, why in gone) if gone else "")
        for key, box in boxes.items():
            why = _unavailable_reason(key, measure)
            box.description = ONSET_TREATMENTS[key] + (" (no data in this view)" if why else "")
        ylabel.set_text(_YLABELS[measure])
        parts = []
        for key in names:
            if ticked[key]:
                when = sorted(h for k, h, _v, _arm, _r in plotted if k == key)
                span = (f" from {_when(when[0])} to {_when(when[-1])}" if len(when) > 1 else
                        f" at {_when(when[0])}" if when else "")
                why = dict(gone).get(key)
                parts.append(f"{ONSET_TREATMENTS[key]}: " + (f"not shown, {why}" if why and not when else
                             f"{len(when)} value{'s' if len(when) != 1 else ''}{span}"))
        said.set(f"{ONSET_MEASURES[measure][0].upper()}{ONSET_MEASURES[measure][1:]} on a {axis} time axis: "
                 + ("; ".join(parts) if parts else "no treatment ticked") + ".")
        title.set_text("Ketamine acts within a day; SSRIs separate from placebo in week 1 but need weeks"
                       if measure != "remission_rate_pct" else
                       "Remission: ECT and esketamine courses reach it over weeks")
        table.value = data.table_html(
            "onset_trials", rows=[r for _k, _h, _v, _arm, r in sorted(plotted, key=lambda x: (x[0], x[1]))],
            columns=["treatment", "arm", "timepoint_hours", "value", "measure", "status", "extraction", "study"],
            caption="Values plotted, with sources", empty="no values for this choice")
        moved = axis != shown["axis"] or ylims[measure] != shown["ylim"]
        if ylims[measure] != shown["ylim"]:
            shown["ylim"] = ylims[measure]
            ax.set_ylim(ylims[measure])
        if axis != shown["axis"]:
            shown.update(axis=axis)
            ax.set_xscale(axis)
            ax.set_xlim((1, onset.MAX_HOURS * 1.1) if axis == "log" else (0, onset.MAX_HOURS * 1.02))
            ticks = _HOUR_TICKS if axis == "log" else _LINEAR_TICKS
            ax.set_xticks([t[0] for t in ticks], [t[1] for t in ticks])
            ax.minorticks_off()
        return moved

    boxes = {k: widgets.Checkbox(value=k in treatments, description=ONSET_TREATMENTS[k], indent=False,
                                 layout=widgets.Layout(width="auto")) for k in names}
    controls = {
        **boxes,
        "measure": widgets.Dropdown(options=[(v, k) for k, v in ONSET_MEASURES.items()], value=measure,
                                    description="measure", layout=widgets.Layout(width="460px")),
        "axis": widgets.ToggleButtons(options=[("log time", "log"), ("linear time", "linear")], value=axis,
                                     style={"button_width": "auto"}),
    }
    return Demo(fig, controls, update, extra=[collapsed("Values plotted, with sources", table)],
                caption="Published response or remission rates over 12 weeks for one ketamine infusion, "
                        "esketamine spray with an oral antidepressant, ECT, and SSRIs (as difference from "
                        "placebo). Each treatment has its own marker shape; hollow markers are secondary "
                        "sources, grey markers placebo arms; lines are curves through the confirmed points. "
                        "A table below lists every value with its source.",
                # Both axes (ticks, labels, grid, the y label) and the zero line are redrawn with the
                # data, so a new view or time axis is no whole drawing: the 12-entry key stays as drawn.
                dynamic=[ax.xaxis, ax.yaxis, zero, *(a for group in artists.values() for a in group), title,
                         missing],
                describe=said)


def course_vs_single(view: str = "both") -> Demo:
    """One infusion against a course of six, with relapse after the course.

    Single dose: the curve fitted to pooled response rates (Han 2016). Course:
    70.8% responded by the end of six infusions over 12 days, and responders
    relapsed after a median of 18 days (Murrough 2013). The decline after the
    course assumes a constant relapse rate with that median (illustrative).
    """
    from .. import onset

    checks.choice(view, "view", ("single", "course", "both"))
    days = np.linspace(0, 60, 601)
    single = onset.onset_curve("ketamine_iv_single").at(days * 24)
    responded = onset.course_response_pct()
    median_days, _ = onset.relapse_median_days()
    course_end = onset.COURSE_DAYS
    still = onset.still_responding_pct(days)
    fig = new_figure(figsize=(7.4, 3.8))
    ax = fig.add_subplot()
    st0, st1 = style.series_style(0), style.series_style(1)
    one, = ax.plot(days, single, color=st0["color"], linestyle="-", label="one infusion: % responding (fitted)")
    course, = ax.plot(days, still, color=st1["color"], linestyle=":",
                      label="after a 6-infusion course: % still responding (illustrative decline)")
    infusion_days = onset.COURSE_INFUSION_DAYS
    infusions = ax.plot(infusion_days, [3] * len(infusion_days), linestyle="none", marker="s", color=st1["color"],
                        markeredgecolor="#111111", label="infusion days (example schedule)")[0]
    end_mark, = ax.plot([course_end], [responded], marker="o", markersize=9, color=st1["color"],
                        markeredgecolor="#111111", linestyle="none")
    relapse, = ax.plot([course_end + median_days], [responded / 2], marker="X", markersize=10,
                       color=style.PALETTE["vermillion"], markeredgecolor="#111111", linestyle="none",
                       label=f"median relapse: {median_days:g} days after the last infusion")
    ax.set_xlim(0, 60)
    ax.set_ylim(0, 100)
    ax.set_xlabel("days after the first infusion")
    ax.set_ylabel("% of patients")
    ax.legend(loc="upper right", fontsize="x-small")
    style.mark_illustrative(ax, "Decline after the course assumes a constant relapse rate", y=0.55)
    title = ax.set_title("")
    said = Description()

    # Hidden lines are emptied rather than set invisible: the Blitter makes every dynamic artist
    # visible again when it captures its background.
    full = {line: line.get_data() for line in (one, course, infusions, end_mark, relapse)}

    def show(line, on: bool) -> None:
        line.set_data(*full[line]) if on else line.set_data([], [])

    def update(view: str) -> None:
        show_one, show_course = view in ("single", "both"), view in ("course", "both")
        show(one, show_one)
        for artist in (course, infusions, end_mark, relapse):
            show(artist, show_course)
        title.set_text({"single": "One infusion: response within a day, fading over days to weeks",
                        "course": f"A course: {responded:g}% responded, but half of responders relapsed "
                                  f"within {median_days:g} days",
                        "both": "A course extends the response, but does not make it permanent"}[view])
        one_day, two_weeks = (float(np.interp(d, days, single)) for d in (1.0, 14.0))
        single_text = (f"one infusion: {one_day:.0f}% responding at day 1 and {two_weeks:.0f}% at day 14 "
                       "(fitted)")
        course_text = (f"a course of six: {responded:g}% responded by day {course_end:g}, and responders "
                       f"relapsed after a median of {median_days:g} days")
        shown_text = {"single": single_text, "course": course_text, "both": f"{single_text}; {course_text}"}[view]
        said.set(shown_text[0].upper() + shown_text[1:] + ".")

    controls = {"view": widgets.ToggleButtons(options=[("one infusion", "single"), ("course of six", "course"),
                                                       ("both", "both")], value=view,
                                              style={"button_width": "auto"})}
    return Demo(fig, controls, update,
                caption="Percent of patients responding over 60 days after one ketamine infusion (solid, "
                        "fitted to pooled trial data) and after a course of six infusions in 12 days "
                        "(squares), where 70.8% responded and responders relapsed after a median of 18 "
                        "days (dotted, illustrative decline; cross at the median).",
                dynamic=[one, course, infusions, end_mark, relapse, title], describe=said)
