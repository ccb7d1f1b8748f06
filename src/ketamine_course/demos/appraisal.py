"""Notebook 07 demos: a forest plot students pool themselves, and an illustrative blinding model.

Both follow the course's demo pattern (see :mod:`ketamine_course.demos.base`): the
figure is built once, controls change artist data only, and each move redraws
just the changed artists over a cached background. The statistics live in
:mod:`ketamine_course.appraisal`; this module only wires widgets to artists.

Exposed to notebooks as ``demos.forest_plot()`` and ``demos.blinding()``.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Polygon

from .. import appraisal, data, style
from .base import Demo, Description, new_figure, slider

#: How each effect measure is written on an axis.
MEASURE_LABEL = {"madrs_points": "MADRS points", "hdrs25_points": "HDRS-25 points", "hdrs_points": "HDRS points",
                 "hazard_ratio": "hazard ratio", "response_points": "percentage points"}
PRIMARY_LABEL = {"yes": "met", "no": "NOT met", "not_tested": "not formally tested"}
GROUP_TITLE = {"esketamine": "Short-term esketamine trials (MADRS change at day 28)",
               "iv_ketamine": "One IV ketamine infusion vs saline or midazolam (day 1 to 3)"}


def _num(x: float) -> str:
    """A published number as printed: up to two decimals, at least one."""
    text = f"{x:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _short(key: str) -> str:
    f = data.references()[key]
    return f"{f.get('author', key).split(' and ')[0].split(',')[0]} {f.get('year', '')}".strip()


def forest_plot(group: str = "esketamine", method: str = "random", positive_only: bool = False) -> Demo:
    """Forest plot of one trial programme from ``data/trials.csv``, pooled live with statsmodels.

    Checkboxes choose the trials, a dropdown the model (DerSimonian-Laird random
    effects or fixed effect), and "publish only the positive trials" keeps just
    the trials whose 95% CI excludes no difference, as a biased literature would.
    Rows without a reported interval are listed and never pooled.
    """
    rows = appraisal.trials(group)
    shown = [r for r in rows if r["effect"] is not None]
    missing = [r for r in rows if r["effect"] is None]
    poolable = [r for r in shown if r["ci_low"] is not None]
    n = len(shown)
    height = 1.7 + 0.55 * (n + 1)
    fig = new_figure(figsize=(8.4, height))
    # Fixed margins, no layout engine: the notes right of the axes must stay inside the figure.
    fig.set_layout_engine("none")
    bottom, top = 0.95 / height, 1 - 0.35 / height
    ax = fig.add_axes((0.25, bottom, 0.655 - 0.25, top - bottom))
    lows = [r["ci_low"] if r["ci_low"] is not None else r["effect"] for r in shown]
    highs = [r["ci_high"] if r["ci_high"] is not None else r["effect"] for r in shown]
    x_lo, x_hi = min(min(lows), 0) - 1.5, max(max(highs), 0) + 1.5
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(n + 0.8, -0.7)
    ax.axvline(0, color="#111111", linewidth=1)
    measures = sorted({r["effect_measure"] for r in shown})
    ax.set_xlabel("difference from comparator, " + " or ".join(MEASURE_LABEL[m] for m in measures)
                  + " (95% CI)\n<- favours the drug  |  favours the comparator ->")
    labels = [(r["trial"].replace(" (", "\n(") if len(r["trial"]) > 19 else r["trial"])
              if _short(r["source"][0]) in r["trial"] else f"{r['trial']}\n({_short(r['source'][0])})"
              for r in shown]
    ax.set_yticks(list(range(n)) + [n], labels + ["pooled"])
    ax.grid(axis="y", visible=False)
    ink, muted = "#111111", "#9A9A9A"
    blue = style.PALETTE["blue"]
    bars, dots, notes = [], [], []
    for k, r in enumerate(shown):
        bar, = ax.plot([lows[k], highs[k]], [k, k], color=ink, linewidth=2.2, solid_capstyle="butt")
        dot, = ax.plot([r["effect"]], [k], marker="s", markersize=9, color=blue, markeredgecolor=ink,
                       linestyle="none")
        note = ax.text(1.02, k, "", transform=ax.get_yaxis_transform(), ha="left", va="center",
                       fontsize="small")
        bars.append(bar)
        dots.append(dot)
        notes.append(note)
    diamond = Polygon([[0, n], [0, n], [0, n], [0, n]], closed=True, facecolor=style.PALETTE["orange"],
                      edgecolor=ink, linewidth=1.2)
    ax.add_patch(diamond)
    pooled_note = ax.text(1.02, n, "", transform=ax.get_yaxis_transform(), ha="left", va="center",
                          fontsize="small", fontweight="bold")
    title = ax.set_title(GROUP_TITLE[group], fontsize="medium", loc="left")
    detail = widgets.HTML()
    not_plotted = "".join(f"<li><strong>{escape(r['trial'])}</strong>: not plotted and not pooled. "
                          f"{escape(r['note'])}</li>" for r in missing)
    not_plotted += "".join(f"<li>{escape(r['trial'])}: no confidence interval reported; plotted as a hollow "
                           "point, never pooled.</li>" for r in shown if r["ci_low"] is None)
    said = Description()

    def update(method: str, positive_only: bool, **chosen) -> None:
        selected = [r for i, r in enumerate(poolable) if chosen[f"trial_{i}"]]
        if positive_only:
            selected = [r for r in selected if appraisal.significant(r)]
        names = {r["trial"] for r in selected}
        try:
            pooled = appraisal.pool(selected, method)
        except ValueError as err:
            pooled, problem = None, str(err)
        weights = dict(zip(pooled.included, pooled.weights)) if pooled else {}
        for k, r in enumerate(shown):
            on = r["trial"] in names
            bars[k].set_color(ink if on else muted)
            bars[k].set_linestyle("-" if on else ":")
            dots[k].set_markerfacecolor(blue if on else "white")
            dots[k].set_markeredgecolor(ink if on else muted)
            ci = (f"[{_num(r['ci_low'])}, {_num(r['ci_high'])}]" if r["ci_low"] is not None else "(no CI reported)")
            status = f"weight {100 * weights[r['trial']]:.0f}%" if on else (
                "not poolable" if r["ci_low"] is None else "left out")
            notes[k].set_text(f"{_num(r['effect'])} {ci}\nprimary {PRIMARY_LABEL[r['met_primary']]}; {status}")
            notes[k].set_color(ink if on else "#555555")
        if pooled:
            h = 0.28
            diamond.set_xy([[pooled.ci_low, n], [pooled.estimate, n - h], [pooled.ci_high, n], [pooled.estimate, n + h]])
            model = "random effects (DL)" if pooled.method == "random" else "fixed effect"
            pooled_note.set_text(f"{pooled.estimate:.2f} [{pooled.ci_low:.2f}, {pooled.ci_high:.2f}]\n"
                                 + (f"{model}, {pooled.k} of {len(poolable)} trials" if pooled.k > 1
                                    else f"{model}\n(one trial: nothing pooled)"))
        else:
            diamond.set_xy([[x_lo - 10, n]] * 4)
            pooled_note.set_text("nothing to pool:\nchoose a trial")
        left_out = [r["trial"] for r in poolable if r["trial"] not in names]
        said.set((f"Pooled: {pooled.describe(MEASURE_LABEL[pooled.measure])} out of {len(poolable)} poolable; "
                  f"I² = {100 * pooled.i2:.0f}%"
                  if pooled else f"Nothing pooled ({problem})")
                 + (f"; left out: {', '.join(left_out)}" if left_out else "")
                 + ("; only the positive trials are published" if positive_only else "") + ".")
        excluded = "" if pooled is None else "".join(
            f"<li>{escape(t)}: {escape(why)}</li>" for t, why in pooled.excluded.items())
        detail.value = ("<div role='status'>"
                        + (f"<p><strong>Pooled:</strong> {escape(pooled.describe(MEASURE_LABEL[pooled.measure]))}; "
                           f"between-trial variance tau&sup2; = {pooled.tau2:.2f}, I&sup2; = {100 * pooled.i2:.0f}%.</p>"
                           if pooled else f"<p><strong>Nothing pooled:</strong> {escape(problem)}.</p>")
                        + (f"<ul>{excluded}</ul>" if excluded else "")
                        + (f"<ul>{not_plotted}</ul>" if not_plotted else "") + "</div>")

    controls = {
        "method": widgets.Dropdown(options=[("random effects (DerSimonian-Laird)", "random"),
                                            ("fixed effect", "fixed")], value=method, description="model",
                                   style={"description_width": "initial"}, layout=widgets.Layout(width="330px")),
        "positive_only": widgets.Checkbox(value=positive_only, description="publish only the positive trials",
                                          indent=False, layout=widgets.Layout(width="auto")),
    }
    for i, r in enumerate(poolable):
        controls[f"trial_{i}"] = widgets.Checkbox(value=True, description=r["trial"], indent=False,
                                                  layout=widgets.Layout(width="auto"))
    about = {"esketamine": "short-term esketamine trials, MADRS change at day 28",
             "iv_ketamine": "single IV ketamine infusions against saline or midazolam"}[group]
    caption = (f"Forest plot of {n} trial comparison{'s' if n != 1 else ''} ({about}): each "
               "square is a trial's difference from its comparator with a horizontal line for its 95% confidence "
               "interval; the text beside it says whether the trial met its primary endpoint and its weight. The "
               "diamond at the bottom is the pooled estimate, its width the pooled 95% CI. Left of the vertical "
               "zero line favours the drug. Untick trials, switch the model, or publish only the positive trials, "
               "and watch the diamond move; hollow squares and dotted lines are left out.")
    return Demo(fig, controls, update, caption=caption, extra=[detail],
                dynamic=[*bars, *dots, *notes, diamond, pooled_note], describe=said)


def blinding(share_unblinded: float = 0.6, expectation_points: float = 4.0, true_effect_points: float = 3.0) -> Demo:
    """ILLUSTRATIVE: how functional unblinding inflates a measured drug-placebo difference.

    The line shows the difference a trial would measure for every share of
    participants who work out their arm; the dot marks the chosen share. The
    grey band is a real result for comparison: ketamine against an active
    placebo (midazolam), Murrough 2013b, at 24 hours.
    """
    murrough = next(r for r in appraisal.trials("iv_ketamine") if r["source"][0] == "murrough2013b")
    share = np.linspace(0.0, 1.0, 101)
    fig = new_figure(figsize=(7.2, 3.9))
    ax = fig.add_subplot()
    band = ax.axhspan(-murrough["ci_high"], -murrough["ci_low"], color="#DDDDDD", zorder=0)
    # The real result is named in the legend below the axes: a label inside the plot would lie across the
    # model's line for some slider settings.
    ax.axhline(-murrough["effect"], color="#555555", linewidth=1.2, linestyle="--", zorder=1,
               label=f"Murrough 2013, vs midazolam at 24 h: {-murrough['effect']:.2f} points")
    band.set_label(f"its 95% CI, {-murrough['ci_high']:.2f} to {-murrough['ci_low']:.2f} points")
    truth, = ax.plot(share, np.zeros_like(share), color=style.PALETTE["bluish_green"], linewidth=2, linestyle="--",
                     label="true drug effect (model input)")
    apparent, = ax.plot(share, np.zeros_like(share), color=style.PALETTE["vermillion"], linewidth=2.4,
                        label="difference the trial would measure")
    dot, = ax.plot([], [], marker="o", markersize=10, color=style.PALETTE["vermillion"], markeredgecolor="#111111",
                   linestyle="none", clip_on=False)  # whole at share 0 and 1
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 27)
    ax.set_xlabel("share of participants who correctly guess their arm")
    ax.set_ylabel("drug minus placebo,\nMADRS improvement (points)")
    fig.legend(loc="outside lower center", ncols=2, fontsize="small")
    # Top right: the lines stay below 22 points (12-point effect plus a 10-point expectation), the stamp above 24.
    style.mark_illustrative(ax, "ILLUSTRATIVE model: made-up inputs, not trial data", y=0.9)
    title = ax.set_title("", fontsize="medium", loc="left")
    said = Description()

    def update(share_unblinded: float, expectation_points: float, true_effect_points: float) -> None:
        line = appraisal.apparent_effect(true_effect_points, share, expectation_points)
        truth.set_ydata(np.full_like(share, true_effect_points))
        apparent.set_ydata(line)
        here = appraisal.apparent_effect(true_effect_points, share_unblinded, expectation_points)
        dot.set_data([share_unblinded], [here])
        title.set_text(f"{100 * share_unblinded:.0f}% guess their arm: a true {true_effect_points:.1f}-point effect "
                       f"is measured as {here:.1f} points")
        said.set(f"Illustrative model: with {100 * share_unblinded:.0f}% of participants guessing their arm and a "
                 f"{expectation_points:.1f}-point expectation effect, a true {true_effect_points:.1f}-point drug "
                 f"effect is measured as {here:.1f} points; for comparison, Murrough 2013 measured "
                 f"{-murrough['effect']:.2f} points against midazolam at 24 h.")

    controls = {
        "share_unblinded": slider("share who guess their arm", share_unblinded, 0.0, 1.0, 0.05, fmt=".2f"),
        "expectation_points": slider("expectation effect", expectation_points, 0.0, 10.0, 0.5, "points"),
        "true_effect_points": slider("true drug effect", true_effect_points, 0.0, 12.0, 0.5, "points"),
    }
    return Demo(fig, controls, update,
                caption="Illustrative model: a solid line shows the drug-placebo difference a trial would "
                        "measure as the share of participants who guess their arm rises from 0 to 1; a "
                        "dashed line shows the true drug effect set by the slider; a dot marks the chosen "
                        "share. A grey band shows a real result for comparison: ketamine against the active "
                        "placebo midazolam at 24 hours (Murrough 2013). The model's inputs are made up.",
                dynamic=[truth, apparent, dot, title], describe=said)
