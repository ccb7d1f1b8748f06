"""Demos beside the onset concept: onset comparison and a course against one infusion (notebook 05)."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import style
from .base import Demo, collapsed, new_figure


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
_HOUR_TICKS = [(2, "2 h"), (24, "1 d"), (72, "3 d"), (168, "1 wk"), (336, "2 wk"), (672, "4 wk"),
               (2016, "12 wk")]
_LINEAR_TICKS = [(168, "1 wk"), (336, "2 wk"), (672, "4 wk"), (1344, "8 wk"), (2016, "12 wk")]


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
    ax.legend(handles=key_handles, loc="upper left", fontsize="x-small", ncols=2)
    ax.axhline(0, color="#777777", linewidth=0.8)
    ax.set_ylim(-5, 100)  # one range for every measure, so switching measures redraws in place
    ax.set_xlabel("time after the first dose")
    ylabel = ax.set_ylabel("")
    title = ax.set_title("")
    table = widgets.HTML()
    shown = {"axis": None}

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
        ylabel.set_text(ONSET_MEASURES[measure])
        title.set_text("Ketamine acts within a day; SSRIs separate from placebo in week 1 but need weeks"
                       if measure != "remission_rate_pct" else
                       "Remission: ECT and esketamine courses reach it over weeks")
        table.value = data.table_html(
            "onset_trials", rows=[r for _k, _h, _v, _arm, r in sorted(plotted, key=lambda x: (x[0], x[1]))],
            columns=["treatment", "arm", "timepoint_hours", "value", "measure", "status", "extraction", "study"],
            caption="Values plotted, with sources", empty="no values for this choice")
        moved = axis != shown["axis"]
        if moved:
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
        "axis": widgets.ToggleButtons(options=[("log time", "log"), ("linear time", "linear")], value=axis),
    }
    return Demo(fig, controls, update, extra=[collapsed("Values plotted, with sources", table)],
                caption="Published response or remission rates over 12 weeks for one ketamine infusion, "
                        "esketamine spray with an oral antidepressant, ECT, and SSRIs (as difference from "
                        "placebo). Each treatment has its own marker shape; hollow markers are secondary "
                        "sources, grey markers placebo arms; lines are curves through the confirmed points. "
                        "A table below lists every value with its source.",
                dynamic=[a for group in artists.values() for a in group] + [title, ylabel])


def course_vs_single(view: str = "both") -> Demo:
    """One infusion against a course of six, with relapse after the course.

    Single dose: the curve fitted to pooled response rates (Han 2016). Course:
    70.8% responded by the end of six infusions over 12 days, and responders
    relapsed after a median of 18 days (Murrough 2013). The decline after the
    course assumes a constant relapse rate with that median (illustrative).
    """
    from .. import onset

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

    def update(view: str) -> None:
        show_one, show_course = view in ("single", "both"), view in ("course", "both")
        one.set_visible(show_one)
        for artist in (course, infusions, end_mark, relapse):
            artist.set_visible(show_course)
        title.set_text({"single": "One infusion: response within a day, fading over days to weeks",
                        "course": f"A course: {responded:g}% responded, but half of responders relapsed "
                                  f"within {median_days:g} days",
                        "both": "A course extends the response, but does not make it permanent"}[view])

    controls = {"view": widgets.ToggleButtons(options=[("one infusion", "single"), ("course of six", "course"),
                                                       ("both", "both")], value=view)}
    return Demo(fig, controls, update,
                caption="Percent of patients responding over 60 days after one ketamine infusion (solid, "
                        "fitted to pooled trial data) and after a course of six infusions in 12 days "
                        "(squares), where 70.8% responded and responders relapsed after a median of 18 "
                        "days (dotted, illustrative decline; cross at the median).",
                dynamic=[one, course, infusions, end_mark, relapse, title])
