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


def render_png(fig: Figure) -> bytes:
    """Draw ``fig`` and encode it as PNG (fast compression, no timestamps)."""
    from PIL import Image

    canvas = fig.canvas
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="png", compress_level=1)
    return buf.getvalue()


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
        clear axes.
    caption : str
        What the figure shows and what to try; doubles as the alt text.
    """

    def __init__(self, figure: Figure, controls: dict, update: Callable[..., None],
                 caption: str, extra: list | None = None):
        self.figure = figure
        self.controls = controls
        self._update = update
        self.caption = caption
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.image.add_class("course-figure")
        caption_html = widgets.HTML(f"<p role='note'><em>{caption}</em></p>")
        box = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        self._busy = False
        super().__init__([box, self.image, caption_html, *(extra or [])])
        self.redraw()
        # Lay the figure out once, then freeze it: re-running the layout engine
        # on every slider move costs more than the drawing itself.
        self.figure.set_layout_engine("none")
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
            self._update(**self.values())
        finally:
            self._busy = False
        self.image.value = render_png(self.figure)

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

    def update(half_life_h: float, scale: str) -> None:
        curve.set_ydata(0.5 ** (t_h / half_life_h))
        k = np.arange(1, 6)
        marks.set_data(k * half_life_h, 0.5 ** k)
        ax.set_yscale(scale)
        ax.set_ylim((0.005, 1.1) if scale == "log" else (0.0, 1.05))
        title.set_text(f"Half-life {half_life_h:.1f} h: 97% gone after {5 * half_life_h:.1f} h")

    controls = {
        "half_life_h": slider("half-life", half_life_h, 0.5, 12.0, 0.5, "h"),
        "scale": widgets.Dropdown(options=[("linear axis", "linear"), ("log axis", "log")],
                                  value=scale, description="y axis"),
    }
    return Demo(fig, controls, update,
                caption="Line plot of the fraction of a dose remaining over 24 hours for the chosen "
                        "half-life; circles mark each of the first five half-lives. Move the slider "
                        "to change the half-life; switch the y axis to log to see a straight line.")


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

    def update(**values):
        shown = visible(values)
        for cat in names:
            pts = [(r["year"], row_y[r["date"], r["event"]]) for r in shown if r["category"] == cat]
            lines[cat].set_data([p[0] for p in pts], [p[1] for p in pts])
        bad = [(r["year"], row_y[r["date"], r["event"]]) for r in shown if r["status"] == "conflicting"]
        conflicting.set_data([p[0] for p in bad], [p[1] for p in bad])
        start, end = values["era"]
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

    initial = history.select(rows, [c for c in names if c in chosen], tuple(era))
    picker.options = options(initial)
    picker.value = milestone if milestone < len(initial) else (0 if initial else None)
    controls = {**boxes, "era": era_slider, "milestone": picker}
    return Demo(fig, controls, update, extra=[detail],
                caption="Timeline of ketamine milestones, 1962-2025, one row per theme, each theme with "
                        "its own marker shape. A ring marks dates on which sources conflict; a square "
                        "frames the selected milestone, described below with its sources.")
