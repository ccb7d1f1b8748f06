"""The shared base of the demos: figure set-up, fast redraws, the Demo box and its controls.

Every demo follows one pattern:

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
import html
import io
from typing import Callable

import ipywidgets as widgets
from traitlets import Unicode
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import style

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


class Description:
    """The sentence that describes the state a demo has just drawn, with its numbers.

    A demo function makes one, its ``update`` sets it from the very numbers it
    plots (``said.set(f"...")``), and :class:`Demo` shows it under the figure,
    announces it and uses it as the image's text alternative. Text and figure
    therefore come from one model call and cannot disagree.
    """

    def __init__(self) -> None:
        self.text = ""

    def set(self, text: str) -> None:
        self.text = text


#: MIME type of the demo's recipe in its display bundle: which demo function, with which
#: arguments, so a static build (scripts/build_frames.py) can rebuild it without a kernel.
RECIPE_MIME = "application/vnd.ketamine-course.demo+json"


class Demo(widgets.VBox):
    """Controls, a live figure, a description of its state and a caption, in one box.

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
    describe : Description, optional
        Set by ``update`` to one sentence with the numbers of the state drawn.
        Shown under the figure (``description``) and used as its text
        alternative; without it the caption serves as both.
    """

    #: Which demo function built this demo, and its arguments (set by ``demos.__init__``).
    recipe: dict | None = None

    def __init__(self, figure: Figure, controls: dict, update: Callable[..., None],
                 caption: str, extra: list | None = None, dynamic: list | None = None,
                 describe: Description | None = None):
        self.figure = figure
        self.controls = controls
        self._update = update
        self._said = describe
        self.caption = caption
        self.extra = list(extra or [])
        self.description = caption
        self.image = CourseImage(format="png", tooltip=caption,
                                 layout=widgets.Layout(max_width="100%", height="auto"))
        self.image.add_class("course-figure")
        self.description_html = widgets.HTML()
        self.description_html.add_class("course-description")
        caption_html = widgets.HTML(f"<p role='note'><em>{caption}</em></p>")
        box = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        self._busy = False
        shown = [self.description_html] if describe is not None else []
        super().__init__([box, self.image, *shown, caption_html, *self.extra])
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
        if self._said is not None:
            self.description = self._said.text
            # role=status is a polite live region: screen readers read the new sentence.
            self.description_html.value = (f"<p role='status' aria-live='polite'>"
                                           f"{html.escape(self.description)}</p>")
            self.image.tooltip = self.description
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
        if self.recipe is not None:
            bundle[RECIPE_MIME] = self.recipe
        return bundle


class YScale:
    """A y axis that switches between linear and log scale, each with its own limits.

    :meth:`show` changes the axis only when the choice changes, and says so:
    a demo's ``update`` returns that value, since a new scale needs a full redraw.
    """

    def __init__(self, ax, linear_ylim: tuple[float, float], log_ylim: tuple[float, float]):
        self.ax, self.limits, self.shown = ax, {"linear": linear_ylim, "log": log_ylim}, None

    def show(self, scale: str) -> bool:
        if scale == self.shown:
            return False
        self.shown = scale
        self.ax.set_yscale(scale)
        self.ax.set_ylim(self.limits[scale])
        return True


def slider(description: str, value: float, minimum: float, maximum: float, step: float,
           unit: str = "", fmt: str = ".1f") -> widgets.FloatSlider:
    """A bounded, labelled float slider (continuous_update for instant feedback)."""
    label = f"{description} ({unit})" if unit else description
    return widgets.FloatSlider(
        value=value, min=minimum, max=maximum, step=step, description=label,
        readout_format=fmt, continuous_update=True,
        style={"description_width": "initial"}, layout=widgets.Layout(width="340px"),
    )
