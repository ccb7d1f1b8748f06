"""Interactive demos: widgets wired to figures that redraw in place.

Every demo follows one pattern (see ``shared/guides/STYLE.md``):

1. the figure and its artists are built **once**;
2. a control change only updates artist data (``set_ydata``, ``set_data``...)
   and re-renders the same figure to PNG for an ``ipywidgets.Image``;
3. the demo's display carries a static PNG of its default figure as well as
   the live widget, so the notebook still shows the figure on GitHub or in a
   static export, where no kernel runs.

The science lives in the concept modules; this module only wires widgets to
artists. Controls have bounded ranges, so a student cannot push a model
outside its valid inputs.
"""

from __future__ import annotations

import base64
import io
from typing import Callable

import ipywidgets as widgets
import numpy as np
from traitlets import Unicode
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import style

#: Default size of demo figures, inches, and their resolution. Kept modest:
#: drawing time grows with pixel count (see BENCHMARKS.md).
FIGSIZE = (7.0, 3.8)
DPI = 90


def new_figure(figsize=FIGSIZE, dpi=DPI, **subplot_kw):
    """A course-styled figure that pyplot does not manage (no duplicate display)."""
    style.apply()
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _encode_png(canvas) -> bytes:
    from PIL import Image

    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="png", compress_level=1)
    return buf.getvalue()


def render_png(fig: Figure) -> bytes:
    """Draw ``fig`` and encode it as PNG (fast compression, no timestamps)."""
    fig.canvas.draw()
    return _encode_png(fig.canvas)


class Blitter:
    """Redraw only the artists that change, over a cached background.

    The figure is drawn once with the ``dynamic`` artists hidden and the
    pixels kept; each update restores those pixels and draws just the
    dynamic artists on top. Anything that moves the axes (limits, scales)
    needs :meth:`invalidate`: the next render is then one full draw, and the
    background is rebuilt lazily, only when an update that keeps the axes
    follows (so dragging a control that moves the axes costs one draw, not two).
    """

    def __init__(self, fig: Figure, dynamic):
        self.fig, self.dynamic, self._background = fig, list(dynamic), None
        self._full = True

    def invalidate(self) -> None:
        self._background, self._full = None, True

    def _capture_background(self) -> None:
        canvas = self.fig.canvas
        # Axes.draw re-places titles, and misplaces hidden ones: keep where the full draw put them.
        texts = [(a, a.get_position()) for a in self.dynamic if hasattr(a, "get_text")]
        for artist in self.dynamic:
            artist.set_visible(False)
        canvas.draw()
        self._background = canvas.copy_from_bbox(self.fig.bbox)
        for artist, position in texts:
            artist.set_position(position)
        for artist in self.dynamic:
            artist.set_visible(True)

    def render(self) -> bytes:
        canvas = self.fig.canvas
        if self._full:
            self._full = False
            canvas.draw()
            return _encode_png(canvas)
        if self._background is None:
            self._capture_background()
        canvas.restore_region(self._background)
        for artist in self.dynamic:
            (artist.axes or self.fig).draw_artist(artist)
        return _encode_png(canvas)


class CourseImage(widgets.Image):
    """An Image whose caption reaches the browser as the <img> title (its text alternative).

    ipywidgets' Image has no alt text. Its view writes ``tooltip`` into the
    <img>'s title only for models that also have a ``description``, which
    Image lacks; this subclass adds one (always empty).
    """

    description = Unicode("").tag(sync=True)


class Demo(widgets.VBox):
    """Controls, a live figure and a caption, in one box.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        Built once by the demo function.
    controls : dict of str to ipywidgets.ValueWidget
        Named controls; their values are passed to ``update`` as keywords.
    update : callable
        ``update(**values)`` changes artist data only. It must not create or
        clear axes. With ``dynamic`` artists it returns True when it changed
        something else (axis limits, scales), which forces a full redraw.
    caption : str
        What the figure shows and what to try; doubles as the alt text.
    extra : list of widgets, optional
        Shown below the caption (e.g. a detail panel).
    dynamic : list of artists, optional
        The only artists ``update`` changes. Given these, each move redraws
        just them over a cached background (:class:`Blitter`), several times
        faster than a full draw.
    """

    def __init__(self, figure: Figure, controls: dict, update: Callable[..., None],
                 caption: str, extra: list | None = None, dynamic: list | None = None):
        self.figure = figure
        self.controls = controls
        self._update = update
        self.caption = caption
        self.image = CourseImage(format="png", tooltip=caption,
                                 layout=widgets.Layout(max_width="100%", height="auto"))
        self.image.add_class("course-figure")
        caption_html = widgets.HTML(f"<p role='note'><em>{caption}</em></p>")
        box = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        self._busy = False
        super().__init__([box, self.image, caption_html, *(extra or [])])
        # Lay the figure out once, then freeze it: re-running the layout engine
        # on every slider move costs more than the drawing itself.
        self._update(**self.values())
        self.figure.canvas.draw()
        self.figure.set_layout_engine("none")
        self._blitter = Blitter(figure, dynamic) if dynamic else None
        self.redraw()
        self._default_png = self.image.value
        for control in controls.values():
            control.observe(self._on_change, names="value")

    def values(self) -> dict:
        """Current control values, by name."""
        return {name: c.value for name, c in self.controls.items()}

    def redraw(self) -> None:
        """Update the artists from the controls and render the figure."""
        self._busy = True  # an update may adjust other controls; redraw once
        try:
            moved = self._update(**self.values())
        finally:
            self._busy = False
        if self._blitter is None:
            self.image.value = render_png(self.figure)
        else:
            if moved:
                self._blitter.invalidate()
            self.image.value = self._blitter.render()

    def _on_change(self, _change) -> None:
        if not self._busy:
            self.redraw()

    def set(self, **values) -> None:
        """Set controls programmatically (as a student would), then redraw once."""
        with self.hold_trait_notifications():
            for c in self.controls.values():
                c.unobserve(self._on_change, names="value")
            try:
                for name, value in values.items():
                    self.controls[name].value = value
            finally:
                for c in self.controls.values():
                    c.observe(self._on_change, names="value")
        self.redraw()

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        # Static fallback: renderers without widgets show the default figure.
        bundle["image/png"] = base64.b64encode(self._default_png).decode("ascii")
        bundle["text/plain"] = f"[Interactive demo] {self.caption}"
        return bundle


def slider(description: str, value: float, minimum: float, maximum: float, step: float,
           unit: str = "", fmt: str = ".1f") -> widgets.FloatSlider:
    """A bounded, labelled float slider (continuous_update for instant feedback)."""
    label = f"{description} ({unit})" if unit else description
    return widgets.FloatSlider(
        value=value, min=minimum, max=maximum, step=step, description=label,
        readout_format=fmt, continuous_update=True,
        style={"description_width": "initial"}, layout=widgets.Layout(width="340px"),
    )


# --------------------------------------------------------------------------
# 00: how to use a demo
# --------------------------------------------------------------------------

def half_life(half_life_h: float = 3.0, scale: str = "linear") -> Demo:
    """Warm-up demo: the fraction of a drug left after repeated half-lives.

    An illustrative first-order decay, ``f(t) = 0.5 ** (t / t_half)``, to
    practise sliders (half-life, hours) and dropdowns (linear or log axis).
    """
    t_h = np.linspace(0.0, 24.0, 241)
    fig = new_figure()
    ax = fig.add_subplot()
    st = style.series_style(0)
    curve, = ax.plot(t_h, np.ones_like(t_h), color=st["color"], linestyle=st["linestyle"],
                     label="fraction remaining")
    marks, = ax.plot([], [], linestyle="none", marker="o", color=style.PALETTE["vermillion"],
                     label="after 1, 2, 3, 4, 5 half-lives")
    ax.axhline(0.03125, color=style.ILLUSTRATIVE_GREY, linewidth=1, linestyle=":")
    ax.text(0.3, 0.045, "1/32 left after 5 half-lives", ha="left", fontsize="small",
            color=style.ILLUSTRATIVE_GREY)
    ax.set_xlim(0, 24)
    ax.set_xlabel("time after dose (h)")
    ax.set_ylabel("fraction of drug remaining")
    ax.legend(loc="upper right")
    style.mark_illustrative(ax, "Illustrative first-order decay")
    title = ax.set_title("")
    shown = {"scale": None}

    def update(half_life_h: float, scale: str) -> bool:
        curve.set_ydata(0.5 ** (t_h / half_life_h))
        k = np.arange(1, 6)
        marks.set_data(k * half_life_h, 0.5 ** k)
        title.set_text(f"Half-life {half_life_h:.1f} h: 97% gone after {5 * half_life_h:.1f} h")
        if scale == shown["scale"]:
            return False
        shown["scale"] = scale
        ax.set_yscale(scale)
        ax.set_ylim((0.005, 1.1) if scale == "log" else (0.0, 1.05))
        return True

    controls = {
        "half_life_h": slider("half-life", half_life_h, 0.5, 12.0, 0.5, "h"),
        "scale": widgets.Dropdown(options=[("linear axis", "linear"), ("log axis", "log")],
                                  value=scale, description="y axis"),
    }
    return Demo(fig, controls, update,
                caption="Line plot of the fraction of a dose remaining over 24 hours for the chosen "
                        "half-life; circles mark each of the first five half-lives. Move the slider "
                        "to change the half-life; switch the y axis to log to see a straight line.",
                dynamic=[curve, marks, title])


# --------------------------------------------------------------------------
# 01: history
# --------------------------------------------------------------------------

def timeline(categories=None, era=(1960, 2026), milestone: int = 0) -> Demo:
    """Interactive timeline of ketamine's milestones from ``data/history.csv``.

    Checkboxes filter by theme, a range slider by era; the dropdown picks one
    milestone, whose detail and full citations appear below the figure.
    Hollow markers flag milestones whose sources conflict.
    """
    from . import history

    rows = history.milestones()
    names = list(history.CATEGORIES)
    # Two milestones in one theme and year would hide each other: stagger them.
    row_y, seen = {}, {}
    for r in rows:
        slot = (r["category"], r["date"][:4])
        row_y[r["date"], r["event"]] = names.index(r["category"]) + 0.25 * seen.get(slot, 0)
        seen[slot] = seen.get(slot, 0) + 1
    chosen = set(categories or names)
    fig = new_figure(figsize=(8.0, 3.6))
    ax = fig.add_subplot()
    lines = {}
    for i, cat in enumerate(names):
        st = style.series_style(i)
        lines[cat], = ax.plot([], [], linestyle="none", marker=st["marker"], markersize=10,
                              color=st["color"], markeredgecolor="#111111", label=history.CATEGORIES[cat])
    conflicting, = ax.plot([], [], linestyle="none", marker="o", markersize=17, markerfacecolor="none",
                           markeredgecolor=style.PALETTE["vermillion"], markeredgewidth=1.8,
                           label="sources conflict (ring)")
    selected, = ax.plot([], [], linestyle="none", marker="s", markersize=22, markerfacecolor="none",
                        markeredgecolor="#111111", markeredgewidth=2.0)
    ax.set_yticks(range(len(names)), [history.CATEGORIES[c] for c in names])
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.set_xlabel("year")
    ax.grid(axis="y", visible=False)
    ax.legend(handles=[conflicting], loc="upper left", fontsize="small")
    title = ax.set_title("")

    boxes = {c: widgets.Checkbox(value=c in chosen, description=history.CATEGORIES[c], indent=False,
                                 layout=widgets.Layout(width="auto")) for c in names}
    era_slider = widgets.IntRangeSlider(value=era, min=history.FIRST_YEAR, max=history.LAST_YEAR, step=1,
                                        description="era", continuous_update=True,
                                        layout=widgets.Layout(width="420px"))
    picker = widgets.Dropdown(description="milestone", layout=widgets.Layout(width="520px"))
    detail = widgets.HTML()

    def visible(values):
        cats = [c for c in names if values[c]]
        return history.select(rows, cats, tuple(values["era"]))

    def options(shown):
        return [(f"{r['date']}: {r['event']}", i) for i, r in enumerate(shown)]

    era_shown = {"era": None}

    def update(**values) -> bool:
        shown = visible(values)
        for cat in names:
            pts = [(r["year"], row_y[r["date"], r["event"]]) for r in shown if r["category"] == cat]
            lines[cat].set_data([p[0] for p in pts], [p[1] for p in pts])
        bad = [(r["year"], row_y[r["date"], r["event"]]) for r in shown if r["status"] == "conflicting"]
        conflicting.set_data([p[0] for p in bad], [p[1] for p in bad])
        start, end = values["era"]
        moved = era_shown["era"] != (start, end)
        if moved:
            era_shown["era"] = (start, end)
            ax.set_xlim(start - 1.5, end + 1.5)
        new_options = options(shown)
        if list(picker.options) != new_options:
            picker.options = new_options
            picker.value = new_options[0][1] if new_options else None
        if shown and picker.value is not None:
            row = shown[picker.value]
            selected.set_data([row["year"]], [row_y[row["date"], row["event"]]])
            title.set_text(f"{row['date'][:4]}: {row['event']}")
            detail.value = history.describe(row)
        else:
            selected.set_data([], [])
            title.set_text("No milestone matches these filters")
            detail.value = "<p>Tick a theme or widen the era.</p>"
        return moved

    initial = history.select(rows, [c for c in names if c in chosen], tuple(era))
    picker.options = options(initial)
    picker.value = milestone if milestone < len(initial) else (0 if initial else None)
    controls = {**boxes, "era": era_slider, "milestone": picker}
    return Demo(fig, controls, update, extra=[detail],
                caption="Timeline of ketamine milestones, 1962-2025, one row per theme, each theme with "
                        "its own marker shape. A ring marks dates on which sources conflict; a square "
                        "frames the selected milestone, described below with its sources.",
                dynamic=[*lines.values(), conflicting, selected, title])


# --------------------------------------------------------------------------
# 02: the NMDA receptor
# --------------------------------------------------------------------------

def _mark(ok: bool) -> str:
    return "yes" if ok else "no"


def coincidence(glutamate: bool = False, glycine: bool = True, depolarised: bool = False) -> Demo:
    """Coincidence detection: current flows only with glutamate, glycine and depolarisation.

    Depolarised means -20 mV, at rest -70 mV, with 1 mM external Mg2+
    (Jahr & Stevens 1990 block). The bar shows the inward current through
    the receptor population (nmda_current_pa with g_max 1 nS).
    """
    from . import receptor

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
    status = ax.text(0.0, 2.45, "", fontsize="medium", va="top", family="monospace")
    value = ax.text(0.0, 0.0, "", va="center", fontsize="medium", fontweight="bold")
    title = ax.set_title("")

    def update(glutamate: bool, glycine: bool, depolarised: bool) -> None:
        v = depol if depolarised else rest
        current = max(0.0, -float(receptor.nmda_current_pa(v, 1.0, glutamate=glutamate, glycine=glycine)))
        bar.set_width(current)
        value.set_position((current + biggest * 0.02, 0))
        value.set_text(f"{current:.1f} pA")
        unblocked = float(receptor.mg_unblocked_fraction(v, 1.0))
        status.set_text(f"glutamate bound : {_mark(glutamate)}\nglycine bound   : {_mark(glycine)}\n"
                        f"membrane        : {v:.0f} mV, {100 * unblocked:.0f}% free of Mg2+")
        if not (glutamate and glycine):
            title.set_text("Channel closed: both agonists must be bound")
        elif not depolarised:
            title.set_text("Open, but Mg2+ plugs the pore at rest: a trickle of current")
        else:
            title.set_text("All three conditions met: current flows")

    controls = {
        "glutamate": widgets.ToggleButton(value=glutamate, description="glutamate", icon="check"),
        "glycine": widgets.ToggleButton(value=glycine, description="glycine / D-serine", icon="check",
                                        layout=widgets.Layout(width="160px")),
        "depolarised": widgets.ToggleButton(value=depolarised, description="depolarise to -20 mV", icon="bolt",
                                            layout=widgets.Layout(width="180px")),
    }
    return Demo(fig, controls, update,
                caption="A bar shows the inward current through NMDA receptors, with a text panel "
                        "listing whether glutamate and glycine are bound and the membrane potential. "
                        "Current is large only when all three conditions hold.",
                dynamic=[bar, value, status, title])


def mg_block(voltage_mv: float = -70.0, mg_mm: float = 1.0) -> Demo:
    """I-V curve of NMDA receptors under Mg2+ block (Jahr & Stevens 1990)."""
    from . import receptor

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

    def update(voltage_mv: float, mg_mm: float) -> None:
        curve.set_ydata(receptor.nmda_current_pa(v, mg_mm))
        i_now = float(receptor.nmda_current_pa(voltage_mv, mg_mm))
        marker.set_data([voltage_mv], [i_now])
        free = float(receptor.mg_unblocked_fraction(voltage_mv, mg_mm))
        readout.set_text(f"B(V) = 1 / (1 + [Mg]/3.57 mM * exp(-0.062 V))\n"
                         f"at {voltage_mv:.0f} mV, {mg_mm:.1f} mM Mg2+: {100 * free:.1f}% of channels unblocked, "
                         f"I = {i_now:.1f} pA")
        title.set_text(f"At {voltage_mv:.0f} mV, {mg_mm:.1f} mM Mg2+ lets through {100 * free:.0f}% of the current")

    controls = {
        "voltage_mv": slider("membrane potential", voltage_mv, -100.0, 40.0, 5.0, "mV", ".0f"),
        "mg_mm": slider("external Mg2+", mg_mm, 0.0, 4.0, 0.1, "mM"),
    }
    return Demo(fig, controls, update,
                caption="Current-voltage curve of NMDA receptors. The dashed grey line is the current with "
                        "no Mg2+; the solid line includes the Jahr & Stevens Mg2+ block, which flattens the "
                        "curve at negative potentials. A circle marks the chosen voltage.",
                dynamic=[curve, marker, readout, title])


def occupancy(form: str = "racemic ketamine", concentration_um: float = 0.78) -> Demo:
    """Equilibrium occupancy of the channel site against concentration, for each form of ketamine."""
    from . import receptor

    c = np.logspace(-2, 2, 200)
    names = list(receptor.AFFINITIES)
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
    ax.text(receptor.ANTIDEPRESSANT_PEAK_UM * 1.08, 0.97,
            "peak plasma after\n0.5 mg/kg over 40 min\n(~0.8 µM; shaded ~0.6-1 µM)",
            fontsize="small", va="top")
    ax.set_xscale("log")
    ax.set_xlim(0.01, 100)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("drug concentration (µM, log scale)")
    ax.set_ylabel("fraction of channel sites occupied")
    ax.legend(loc="lower right", fontsize="small")
    title = ax.set_title("")

    def update(form: str, concentration_um: float) -> None:
        ki = receptor.AFFINITIES[form].ki_um
        occ = float(receptor.occupancy(concentration_um, ki))
        for name, line in curves.items():
            line.set_linewidth(3.2 if name == form else 1.4)
            line.set_alpha(1.0 if name == form else 0.55)
        marker.set_data([concentration_um], [occ])
        title.set_text(f"{form}: {100 * occ:.0f}% of sites occupied at {concentration_um:.2g} µM (equilibrium)")

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
                dynamic=[*curves.values(), marker, title])


#: Concentrations used in the block demo, uM: ketamine at its antidepressant
#: plasma peak, memantine at 1 uM (illustrative), Mg2+ at a physiological 1 mM.
BLOCK_DEMO_UM = {"ketamine": 0.78, "memantine": 1.0, "Mg2+": 1000.0}


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
    from . import receptor

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
    style.mark_illustrative(top, "Illustrative rate constants; published qualitative behaviour")
    title = top.set_title("")

    def update(pulse_hz: float, agonist_after_washout: bool, voltage_mv: float) -> None:
        runs = {name: receptor.simulate_block(name, BLOCK_DEMO_UM[name], pulse_hz=pulse_hz, duration_s=duration,
                                              washout_s=washout, agonist_after_washout=agonist_after_washout,
                                              voltage_mv=voltage_mv)
                for name in BLOCK_DEMO_UM}
        for name in ("ketamine", "memantine"):
            lines[name].set_data(runs[name].time_s, runs[name].blocked)
        lines["Mg2+"].set_data(runs["Mg2+"].time_s, runs["Mg2+"].open_blocked_fraction)
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
                dynamic=[*lines.values(), title])


# --------------------------------------------------------------------------
# 04: pharmacokinetics
# --------------------------------------------------------------------------

#: Routes offered by the plasma demo, with their labels.
PK_ROUTES = {
    "iv_infusion": "IV infusion over 40 min",
    "iv_bolus": "IV bolus (injection)",
    "im": "intramuscular",
    "intranasal": "intranasal (racemic)",
    "sublingual": "sublingual",
    "oral": "oral",
}
#: Models offered by the plasma demo (Domino is left out: its source is unconfirmed).
PK_MODELS = ("clements1981", "herd2007", "kamp2020")
#: Average IV induction dose on the Ketalar label, mg/kg (range 1-4.5).
INDUCTION_DOSE_MG_PER_KG = 2.0


def plasma_curve(route: str = "iv_infusion", dose_mg_per_kg: float = 0.5, weight_kg: float = 70.0,
                 model: str = "clements1981", scale: str = "linear") -> Demo:
    """Plasma ketamine concentration over 8 h for a route, dose and body weight.

    The grey dashed curve is an anesthetic induction dose (2 mg/kg IV bolus,
    the Ketalar label's average) for contrast; the shaded band is the range
    the antidepressant protocol reaches (up to its reported ~185 ng/mL peak).
    """
    from . import pk

    t_end, dt = 480.0, 1.0
    fig = new_figure(figsize=(7.4, 4.0))
    ax = fig.add_subplot()
    induction = pk.simulate(INDUCTION_DOSE_MG_PER_KG, weight_kg=70.0, route="iv_bolus", t_end_min=t_end,
                            dt_min=dt)
    ax.plot(induction.time_min / 60, induction.concentration_ng_per_ml, color=style.ILLUSTRATIVE_GREY,
            linestyle="--", linewidth=1.5, label="anesthetic induction: 2 mg/kg IV bolus, 70 kg")
    ax.axhspan(0, 185, color=style.PALETTE["sky_blue"], alpha=0.18, zorder=0)
    ax.axhline(185, color=style.PALETTE["blue"], linestyle=":", linewidth=1.2)
    ax.text(7.9, 190, "reported peak of the antidepressant protocol, ~185 ng/mL", ha="right", va="bottom",
            fontsize="small", color="#333333")
    st = style.series_style(1)
    curve, = ax.plot([], [], color=st["color"], linestyle="-", linewidth=2.6, label="your choice")
    peak, = ax.plot([], [], marker="v", markersize=10, color=st["color"], markeredgecolor="#111111",
                    linestyle="none", label="peak")
    ax.set_xlim(0, t_end / 60)
    ax.set_xlabel("time after the dose starts (h)")
    ax.set_ylabel("plasma ketamine (ng/mL)")
    right = ax.secondary_yaxis("right", functions=(lambda c: c / pk.MW_KETAMINE_G_PER_MOL,
                                                   lambda u: u * pk.MW_KETAMINE_G_PER_MOL))
    right.set_ylabel("(µM)")
    ax.legend(loc="upper right", fontsize="small")
    note = ax.text(0.99, 0.62, "", transform=ax.transAxes, ha="right", va="top", fontsize="small",
                   style="italic", color="#333333")
    title = ax.set_title("")
    shown = {"scale": None}

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
        note.set_text(f"bioavailability {r.bioavailability:.0%} ({r.status}); "
                      + ("absorption rate derived from a reported Tmax (assumption)\n" if r.ka_per_min else "\n")
                      + f"model: {chosen.name}")
        title.set_text(f"{PK_ROUTES[route]}, {dose_mg_per_kg:.2f} mg/kg ({dose_mg_per_kg * weight_kg:.0f} mg)\n"
                       f"peak {c_peak:.0f} ng/mL ({c_peak / pk.MW_KETAMINE_G_PER_MOL:.2f} µM) at {t_peak:.0f} min")
        if scale == shown["scale"]:
            return False
        shown["scale"] = scale
        ax.set_yscale(scale)
        ax.set_ylim((1, 3000) if scale == "log" else (0, 1250))
        return True

    controls = {
        "route": widgets.Dropdown(options=[(label, key) for key, label in PK_ROUTES.items()], value=route,
                                  description="route"),
        "dose_mg_per_kg": slider("dose", dose_mg_per_kg, 0.1, 1.0, 0.05, "mg/kg", ".2f"),
        "weight_kg": slider("body weight", weight_kg, 40.0, 120.0, 5.0, "kg", ".0f"),
        "model": widgets.Dropdown(options=[(pk.MODELS[k].name, k) for k in PK_MODELS], value=model,
                                  description="model", layout=widgets.Layout(width="420px")),
        "scale": widgets.Dropdown(options=[("linear axis", "linear"), ("log axis", "log")], value=scale,
                                  description="y axis"),
    }
    return Demo(fig, controls, update,
                caption="Plasma ketamine concentration over 8 hours for the chosen route, dose and weight "
                        "(solid line, triangle at the peak), with an anesthetic induction dose as a grey "
                        "dashed line and a shaded band up to the antidepressant protocol's reported peak. "
                        "Not dosing guidance.",
                dynamic=[curve, peak, note, title])


def esketamine_spray(dose_mg: int = 56) -> Demo:
    """Esketamine nasal spray (Spravato) plasma curve, Perez-Ruixo 2021 model, 28/56/84 mg."""
    from . import pk

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

    def update(dose_mg: int) -> None:
        result = results[dose_mg]
        for d, line in curves.items():
            line.set_linewidth(3.0 if d == dose_mg else 1.2)
            line.set_alpha(1.0 if d == dose_mg else 0.5)
        last = result.last_dose_min
        band.set_x((last + 20) / 60)
        band.set_width(20 / 60)
        t_peak, c_peak = result.peak()
        title.set_text(f"{dose_mg} mg: model peak {c_peak:.0f} ng/mL, {t_peak - last:.0f} min after the last spray\n"
                       f"(label: peak 20-40 min after dosing, shaded)")

    controls = {"dose_mg": widgets.ToggleButtons(options=list(pk.ESKETAMINE_DOSES_MG), value=dose_mg,
                                                 description="dose (mg)")}
    return Demo(fig, controls, update,
                caption="Plasma esketamine after 28, 56 and 84 mg of nasal spray over 12 hours, one line "
                        "style per dose; the chosen dose is drawn thicker. A shaded band marks the label's "
                        "time to peak (20-40 min after the last spray) and a dotted line the 2-hour minimum "
                        "observation.",
                dynamic=[*curves.values(), band, title])


# --------------------------------------------------------------------------
# 03: glutamate and plasticity
# --------------------------------------------------------------------------

def disinhibition(block_fraction: float = 0.4) -> Demo:
    """The disinhibition hypothesis in a two-population rate model.

    Left: pyramidal and interneuron rates over time as the NMDA block starts
    at 200 ms. Right: steady-state rates against block, with the chosen block
    marked. Parameters are illustrative (plasticity.DEFAULT_EI).
    """
    from . import plasticity

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
    right.text(0.02, baseline + 0.4, "pyramidal baseline", fontsize="x-small", color="#555555")
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

    controls = {"block_fraction": slider("NMDA block", block_fraction, 0.0, 1.0, 0.05, "fraction", ".2f")}
    return Demo(fig, controls, update,
                caption="Left: firing rates of pyramidal cells (solid) and interneurons (dash-dot) over "
                        "one second, with the NMDA block switched on at 200 ms. Right: steady rates against "
                        "the fraction blocked; the pyramidal rate rises at moderate block and falls below "
                        "baseline near full block. Parameters are illustrative.",
                dynamic=[line_e, line_i, marker_e, marker_i, title])


def spines(view: str = "intact") -> Demo:
    """Illustrative time course: a fast effect that spines then sustain (after Moda-Sava et al. 2019)."""
    from . import plasticity

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

    def update(view: str) -> None:
        keep = view == "intact"
        removed.set_visible(not keep)
        intact.set_linewidth(3.0 if keep else 1.2)
        ablated.set_linewidth(1.2 if keep else 3.0)
        intact.set_alpha(1.0 if keep else 0.5)
        ablated.set_alpha(0.5 if keep else 1.0)
        title.set_text("New spines form within a day and carry the effect for days" if keep else
                       "Without the new spines the effect still starts, but fades sooner")

    controls = {"view": widgets.ToggleButtons(options=[("new spines kept", "intact"),
                                                       ("new spines removed", "removed")],
                                              value=view, description="")}
    return Demo(fig, controls, update,
                caption="Top: relative spine density in prefrontal cortex after one dose, rising within a "
                        "day and returning over about two weeks (dashed: new spines removed). Bottom: an "
                        "antidepressant-like effect that starts within hours in both cases but lasts "
                        "longer when the new spines are kept. Illustrative shapes.",
                dynamic=[removed, intact, ablated, title])


# --------------------------------------------------------------------------
# 05: onset timelines
# --------------------------------------------------------------------------

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
    from . import onset

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
    from html import escape

    from . import data, onset

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
        rows_html = "".join(
            f"<tr><td>{escape(ONSET_TREATMENTS[k])}</td><td>{escape(arm)}</td><td>{h:g}</td>"
            f"<td>{v:g}</td><td>{escape(r['measure'])}</td><td>{escape(r['status'])}, "
            f"{escape(r['extraction'])}</td>"
            f"<td>{escape('; '.join(data.cite(s) for s in r['study']))}</td></tr>"
            for k, h, v, arm, r in sorted(plotted, key=lambda x: (x[0], x[1])))
        table.value = (
            "<table class='course-table'><caption style='caption-side:top;text-align:left'>"
            "Values plotted, with sources</caption><thead><tr><th scope='col'>treatment</th>"
            "<th scope='col'>arm</th><th scope='col'>hours</th><th scope='col'>value</th>"
            "<th scope='col'>scale</th><th scope='col'>status, extraction</th><th scope='col'>source</th>"
            "</tr></thead>"
            f"<tbody>{rows_html or '<tr><td colspan=7>no values for this choice</td></tr>'}</tbody></table>")
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
    return Demo(fig, controls, update, extra=[table],
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
    from . import onset

    days = np.linspace(0, 60, 601)
    single = onset.onset_curve("ketamine_iv_single").at(days * 24)
    responded = next(r["value"] for r in onset.trials() if r["treatment"] == "ketamine_iv_repeated"
                     and r["statistic"] == "response_rate_pct")
    median_days, _ = onset.relapse_median_days()
    course_end = 12.0
    still = np.where(days <= course_end, np.nan, responded * 0.5 ** ((days - course_end) / median_days))
    fig = new_figure(figsize=(7.4, 3.8))
    ax = fig.add_subplot()
    st0, st1 = style.series_style(0), style.series_style(1)
    one, = ax.plot(days, single, color=st0["color"], linestyle="-", label="one infusion: % responding (fitted)")
    course, = ax.plot(days, still, color=st1["color"], linestyle=":",
                      label="after a 6-infusion course: % still responding (illustrative decline)")
    infusions = ax.plot([0, 2, 4, 7, 9, 11], [3] * 6, linestyle="none", marker="s", color=st1["color"],
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


# --------------------------------------------------------------------------
# 06: benefits, risks and who may benefit
# --------------------------------------------------------------------------

def evidence_explorer(condition: str = "treatment-resistant depression") -> Demo:
    """Evidence by condition: strength and approval status, with the full entry for the chosen one."""
    from html import escape

    from . import data, safety

    rows = safety.conditions()
    names = [r["condition"] for r in rows]
    statuses = ("approved (esketamine)", "off-label", "investigational")
    fig = new_figure(figsize=(7.6, 3.8))
    ax = fig.add_subplot()
    for i, status in enumerate(statuses):
        st = style.series_style(i)
        pts = [(safety.strength_rank(r["evidence_strength"]), k) for k, r in enumerate(rows)
               if r["approval_status"] == status]
        ax.plot([p[0] for p in pts], [p[1] for p in pts], linestyle="none", marker=st["marker"], markersize=12,
                color=st["color"], markeredgecolor="#111111", label=status)
    ring, = ax.plot([], [], linestyle="none", marker="o", markersize=24, markerfacecolor="none",
                    markeredgecolor="#111111", markeredgewidth=2.0)
    ax.set_yticks(range(len(rows)), [n if len(n) < 34 else n[:32] + "..." for n in names])
    ax.invert_yaxis()
    ax.set_xticks(range(len(safety.STRENGTHS)), safety.STRENGTHS)
    ax.set_xlim(-0.5, len(safety.STRENGTHS) - 0.5)
    ax.set_xlabel("strength of evidence (course summary; see data/README.md)")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize="small", title="status in the USA", title_fontsize="small")
    title = ax.set_title("")
    detail = widgets.HTML()

    def update(condition: str) -> None:
        k = names.index(condition)
        row = rows[k]
        ring.set_data([safety.strength_rank(row["evidence_strength"])], [k])
        title.set_text(f"{condition}\n{row['approval_status']}, {row['evidence_strength']} evidence")
        cites = "".join(f"<li>{escape(data.cite(s))}</li>" for s in row["source"])
        product = (f"<p><strong>Approved product:</strong> {escape(row['approved_product'])}</p>"
                   if row["approved_product"] else "")
        detail.value = (f"<div><h4 style='margin:4px 0'>{escape(condition)}</h4>{product}"
                        f"<p><strong>Key findings:</strong> {escape(row['key_findings'])}</p>"
                        f"<p><strong>Caveats:</strong> {escape(row['caveats'])}</p>"
                        f"<p><strong>Sources:</strong></p><ul>{cites}</ul></div>")

    controls = {"condition": widgets.Dropdown(options=names, value=condition, description="condition",
                                              layout=widgets.Layout(width="520px"))}
    return Demo(fig, controls, update, extra=[detail],
                caption="Seven conditions against the strength of evidence for ketamine or esketamine, from "
                        "preliminary to strong; marker shape shows approval status (approved esketamine, "
                        "off-label, investigational). A ring marks the chosen condition, whose findings, "
                        "caveats and sources appear below.",
                dynamic=[ring, title])


def adverse_effects(order: str = "drug") -> Demo:
    """How often acute adverse events occurred on esketamine and on placebo (pooled ASPIRE trials)."""
    from . import safety

    rates = safety.paired_rates()
    fig = new_figure(figsize=(7.6, 4.4))
    ax = fig.add_subplot()
    n = len(rates)
    y = np.arange(n)
    drug_bars = ax.barh(y - 0.2, [0] * n, height=0.38, color=style.PALETTE["vermillion"], edgecolor="#111111",
                        hatch="//", label="esketamine 84 mg + standard care")
    placebo_bars = ax.barh(y + 0.2, [0] * n, height=0.38, color="#BBBBBB", edgecolor="#111111",
                           label="placebo spray + standard care")
    ax.invert_yaxis()
    ax.set_xlim(0, 45)
    ax.set_xlabel("% of patients with the event during 4 weeks")
    fig.legend(loc="outside lower center", ncols=2, fontsize="small")
    ax.grid(axis="y", visible=False)
    # Row labels are text artists rather than tick labels, so re-sorting redraws in place.
    ax.set_yticks(y, [""] * n)
    labels = [ax.text(-0.02, k, "", transform=ax.get_yaxis_transform(), ha="right", va="center",
                      fontsize="medium") for k in range(n)]
    title = ax.set_title("")

    def update(order: str) -> None:
        key = "drug_pct" if order == "drug" else "excess_pct"
        ranked = sorted(rates, key=lambda r: -r[key])
        for bar, r in zip(drug_bars, ranked):
            bar.set_width(r["drug_pct"])
        for bar, r in zip(placebo_bars, ranked):
            bar.set_width(r["placebo_pct"])
        for label, r in zip(labels, ranked):
            label.set_text(r["effect"])
        title.set_text("Pooled ASPIRE I and II (Canuso 2021)\n"
                       + ("most common events on esketamine" if order == "drug" else
                          "sorted by excess over placebo"))

    controls = {"order": widgets.ToggleButtons(options=[("by rate on esketamine", "drug"),
                                                        ("by excess over placebo", "excess")], value=order,
                                               description="sort")}
    return Demo(fig, controls, update,
                caption="Paired horizontal bars for twelve adverse events: hatched bars for esketamine, grey "
                        "bars for placebo spray, in patients with depression and suicidal thoughts treated in "
                        "hospital (pooled ASPIRE trials). Sorting by excess over placebo shows which events the "
                        "drug adds.",
                dynamic=[*drug_bars, *placebo_bars, *labels, title])


class GlossarySearch(widgets.VBox):
    """A search box over the course glossary; shows matching terms with definitions."""

    def __init__(self, query: str = "block"):
        from . import glossary

        self._glossary = glossary
        self.box = widgets.Text(value=query, placeholder="type a term, e.g. half-life",
                                description="search", continuous_update=True)
        self.results = widgets.HTML()
        self.box.observe(self._on_change, names="value")
        super().__init__([self.box, self.results])
        self._on_change(None)

    def render(self, query: str) -> str:
        from html import escape

        found = self._glossary.search(query)
        if not query.strip():
            return "<p>Type part of a term or a word from its definition.</p>"
        if not found:
            return f"<p>No entry for '{escape(query)}'. Try a shorter word.</p>"
        items = "".join(f"<dt><strong>{escape(r['term'])}</strong> (notebook {r['first_notebook']:02d})</dt>"
                        f"<dd>{escape(r['definition'])}</dd>" for r in found[:8])
        more = f"<p>... and {len(found) - 8} more.</p>" if len(found) > 8 else ""
        return f"<p>{len(found)} entr{'y' if len(found) == 1 else 'ies'}:</p><dl>{items}</dl>{more}"

    def _on_change(self, _change) -> None:
        self.results.value = self.render(self.box.value)

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = ("[Glossary search] The full glossary is in docs/glossary.md "
                                f"({len(self._glossary.terms())} terms).")
        return bundle


def glossary_search(query: str = "block") -> GlossarySearch:
    """Search the course glossary (data/glossary.csv)."""
    return GlossarySearch(query)

from .demos_appraisal import blinding, forest_plot  # noqa: E402  (notebook 07; moves into demos/ at merge)
