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
import os
import struct
import zlib
from collections import OrderedDict
from typing import Callable

import ipywidgets as widgets
from traitlets import Unicode
from matplotlib.figure import Figure

try:  # ISA-L's deflate: the same format as zlib, 3-4 times faster at level 1 (BENCHMARKS.md)
    from isal import isal_zlib as _deflate
except ImportError:  # pragma: no cover - isal is a dependency; plain zlib still works
    _deflate = zlib

from .. import style
from .framestore import from_environment as frame_store_from_environment
from .textcache import CachingCanvas

#: Default size of demo figures, inches (before presentation mode scales it).
FIGSIZE = (7.0, 3.8)
#: How large a figure inch is on screen at 100% zoom, in CSS pixels. Demos are
#: shown at exactly this size (never stretched by the browser), so a font of
#: ``p`` points is ``p * CSS_PX_PER_INCH / 72`` CSS pixels tall.
CSS_PX_PER_INCH = 90
#: Environment variable that sets PIXEL_DENSITY (1 or 2), e.g. on a shared hub.
PIXEL_DENSITY_ENV = "KETAMINE_COURSE_PIXEL_DENSITY"


def _pixel_density() -> int:
    raw = os.environ.get(PIXEL_DENSITY_ENV, "2")
    if raw.strip() not in ("1", "2"):
        raise ValueError(f"{PIXEL_DENSITY_ENV} must be 1 or 2 (device pixels per CSS pixel), got {raw!r}")
    return int(raw)


#: Device pixels rendered per CSS pixel: 2 is sharp on high-density (retina,
#: 4K, most phones) displays and on a projector scaled by the browser; 1 draws
#: and encodes a quarter of the pixels, for a crowded shared server. Set it with
#: the environment variable named by PIXEL_DENSITY_ENV before the import (see
#: BENCHMARKS.md for the cost of each).
PIXEL_DENSITY = _pixel_density()
#: Resolution the demo figures are rendered at.
DPI = CSS_PX_PER_INCH * PIXEL_DENSITY
#: Seconds the controls must be still before a draft (1x) drawing is redrawn sharp.
SHARPEN_AFTER_S = 0.25
#: Sharp figures a demo keeps, by control values, to show again without drawing (a student
#: toggling a menu or dragging a slider back and forth revisits states).
SEEN_STATES = 24


def _kernel_loop():
    """The running asyncio loop of the IPython kernel this code runs in, or None.

    Only a kernel has a browser whose moves can be drafted and sharpened later;
    plain Python, a terminal IPython or a test process (even one where another
    library runs an event loop) always draws sharp at once.
    """
    import asyncio
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
#: Smallest text a demo may show: 11 CSS px at 100% zoom, in points.
MIN_TEXT_PT = 11 * 72 / CSS_PX_PER_INCH


def new_figure(figsize=FIGSIZE, dpi=None, **subplot_kw):
    """A course-styled figure that pyplot does not manage (no duplicate display).

    In presentation mode (:func:`ketamine_course.style.set_presentation`) the
    figure grows in width by the same factor as its fonts and lines, and in
    height only as far as a projector has room for (PRESENTATION_MAX_HEIGHT_PX,
    but at least PRESENTATION_MIN_HEIGHT_SCALE): wider than on a laptop, so the
    enlarged text is shown at its full size instead of the whole figure being
    shrunk to fit the screen's height.
    """
    style.apply()
    scale = style.figure_scale()
    width, height = figsize
    tall = scale
    if scale > 1:
        room = PRESENTATION_MAX_HEIGHT_PX / (height * CSS_PX_PER_INCH)
        tall = min(scale, max(PRESENTATION_MIN_HEIGHT_SCALE, room))
    fig = Figure(figsize=(width * scale, height * tall), dpi=DPI if dpi is None else dpi,
                 layout="constrained")
    CachingCanvas(fig)
    return fig


#: Tallest a presentation-mode figure is shown, CSS px: a 1280x720 projector
#: leaves about 600 px under JupyterLab's bars, and up to three rows of controls need the rest.
PRESENTATION_MAX_HEIGHT_PX = 400
#: A presentation figure is at least this much taller than on a laptop (its fonts are 1.5x):
#: a figure that would then pass PRESENTATION_MAX_HEIGHT_PX is shown a little smaller.
PRESENTATION_MIN_HEIGHT_SCALE = 1.15


def css_px_per_inch(fig: Figure, presenting: bool = False) -> float:
    """CSS pixels per figure inch on screen: CSS_PX_PER_INCH, less for a presentation figure that would be too tall.

    A presentation figure keeps its enlarged layout and is shown smaller as a
    whole, so its text still stays above 11 CSS px.
    """
    height = fig.get_size_inches()[1] * CSS_PX_PER_INCH
    if presenting and height > PRESENTATION_MAX_HEIGHT_PX:
        return CSS_PX_PER_INCH * PRESENTATION_MAX_HEIGHT_PX / height
    return float(CSS_PX_PER_INCH)


def css_size(fig: Figure, presenting: bool = False) -> tuple[int, int]:
    """The (width, height) a figure is shown at, in CSS pixels at 100% zoom."""
    width, height = fig.get_size_inches() * css_px_per_inch(fig, presenting)
    return round(width), round(height)


def enforce_min_text_size(fig: Figure, minimum_pt: float = MIN_TEXT_PT) -> None:
    """Raise every text of ``fig`` smaller than ``minimum_pt`` to it (legends, notes, labels)."""
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        if text.get_fontsize() < minimum_pt:
            text.set_fontsize(minimum_pt)


def fit_titles(fig: Figure, margin_px: float = 4.0, minimum_pt: float = MIN_TEXT_PT) -> None:
    """Shorten axes titles and the suptitle that would run past the figure's edges.

    A title keeps its text when it fits. Otherwise its font shrinks (down to
    ``minimum_pt``), and if it still does not fit, each line is cut at a
    word and ends in an ellipsis. The figure's height never changes, so the
    frozen layout stays valid; the full text is in the demo's caption and
    description.
    """
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    titles = [t for ax in fig.axes for t in (ax.title, ax._left_title, ax._right_title)]
    if fig._suptitle is not None:
        titles.append(fig._suptitle)
    for title in titles:
        if not hasattr(title, "_course_size"):
            title._course_size = title.get_fontsize()
        if title.get_text() != getattr(title, "_course_fitted_text", None):
            title._course_full_text = title.get_text()  # a new title from the demo's update
        full = title._course_full_text
        if not full.strip() or not title.get_visible():
            continue
        title.set_fontsize(title._course_size)
        title.set_text(full)
        box = title.get_window_extent(renderer)
        centre = (box.x0 + box.x1) / 2
        room = 2 * min(centre - frame.x0, frame.x1 - centre) - 2 * margin_px
        if box.width > room:
            shrunk = max(minimum_pt, title._course_size * room / box.width)
            title.set_fontsize(shrunk)
            box = title.get_window_extent(renderer)
            lines = full.split("\n")
            while box.width > room and any(len(line.split()) > 1 for line in lines):
                longest = max(range(len(lines)), key=lambda i: len(lines[i]))
                words = lines[longest].rstrip(" …").split()
                if len(words) < 2:
                    break
                lines[longest] = " ".join(words[:-1]) + " …"
                title.set_text("\n".join(lines))
                box = title.get_window_extent(renderer)
        title._course_fitted_text = title.get_text()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _encode_png(canvas) -> bytes:
    """The canvas's RGBA pixels as a PNG, written directly: no copy of the pixels.

    Each row goes to the compressor straight from the canvas buffer behind a
    filter byte of 0 (none), at deflate level 1 (ISA-L's when installed). At 2x
    pixel density this takes about a tenth of the time of Pillow's encoder
    (which first converts to RGB and filters every row), for files of about
    the same size.
    """
    width, height = canvas.get_width_height(physical=True)
    pixels = memoryview(canvas.buffer_rgba()).cast("B")
    stride = 4 * width
    compressor = _deflate.compressobj(1)
    parts = []
    for y in range(height):
        parts.append(compressor.compress(b"\0"))
        parts.append(compressor.compress(pixels[y * stride:(y + 1) * stride]))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return b"".join((b"\x89PNG\r\n\x1a\n", _png_chunk(b"IHDR", header),
                     _png_chunk(b"IDAT", b"".join(parts)), _png_chunk(b"IEND", b"")))


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
        from matplotlib.axis import Axis

        self.fig, self.dynamic, self._background = fig, list(dynamic), None
        self._full = True
        #: With an axis among the dynamic artists (its ticks, tick labels, grid and label), a
        #: change of limits or scale is blitted too: the background then holds nothing that
        #: depends on them, and the dynamic artists are drawn in a whole drawing's order.
        self.draws_axes = any(isinstance(artist, Axis) for artist in self.dynamic)
        if self.draws_axes:
            # The grid is drawn over the cached frame, so the frame's spines are drawn again on top.
            for ax in dict.fromkeys(artist.axes for artist in self.dynamic if isinstance(artist, Axis)):
                self.dynamic += [spine for spine in ax.spines.values() if spine not in self.dynamic]
            # Axes.draw's order: by zorder, ties in the axes' order of children.
            order = {id(child): i for ax in fig.axes for i, child in enumerate(ax.get_children())}
            self.dynamic.sort(key=lambda artist: (artist.get_zorder(), order.get(id(artist), len(order))))

    def invalidate(self) -> None:
        self._background, self._full = None, True

    def limits_changed(self) -> None:
        """The axes' limits or scales changed: the cached background is stale unless the axes are blitted too."""
        if not self.draws_axes:
            self.invalidate()

    def _capture_background(self) -> None:
        canvas = self.fig.canvas
        # Axes.draw re-places titles, and misplaces hidden ones: keep where the full draw put them.
        texts = [(a, a.get_position()) for a in self.dynamic if hasattr(a, "get_text")]
        shown = [artist.get_visible() for artist in self.dynamic]
        for artist in self.dynamic:
            artist.set_visible(False)
        canvas.draw()
        self._background = canvas.copy_from_bbox(self.fig.bbox)
        for artist, position in texts:
            artist.set_position(position)
        for artist, visible in zip(self.dynamic, shown):  # a demo may hide a dynamic artist: keep it hidden
            artist.set_visible(visible)

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
        self.presenting = style.is_presenting()
        #: CSS pixels per figure inch as shown (what text sizes on screen follow from).
        self.css_px_per_inch = css_px_per_inch(figure, self.presenting)
        width, _height = css_size(figure, self.presenting)
        # Shown at its CSS size (never stretched); narrower screens shrink it with max-width.
        self.image = CourseImage(format="png", tooltip=caption, width=str(width),
                                 layout=widgets.Layout(width=f"{width}px", max_width="100%", height="auto"))
        self.image.add_class("course-figure")
        self.description_html = widgets.HTML()
        self.description_html.add_class("course-description")
        css = PRESENTATION_CSS if self.presenting else ""
        caption_html = widgets.HTML(f"{css}<p role='note'><em>{caption}</em></p>")
        for control in controls.values():
            fit_slider(control, self.presenting)
        box = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        box.add_class("course-controls")
        self._busy = False
        self._sharp_token = 0
        self._seen: OrderedDict = OrderedDict()
        shown = [self.description_html] if describe is not None else []
        super().__init__([box, self.image, *shown, caption_html, *self.extra])
        self.add_class("course-demo")
        if self.presenting:
            self.add_class(PRESENTING_CLASS)
        # Lay the figure out once, then freeze it: re-running the layout engine
        # on every slider move costs more than the drawing itself.
        self._update(**self.values())
        # 11 CSS px as shown (a presentation figure capped in height is shown smaller than its inches say).
        self._min_pt = MIN_TEXT_PT * CSS_PX_PER_INCH / self.css_px_per_inch
        enforce_min_text_size(self.figure, self._min_pt)
        self.figure.canvas.draw()
        self.figure.set_layout_engine("none")
        self._blitter = Blitter(figure, dynamic) if dynamic else None
        self.redraw()
        self._default_png = self.image.value
        # Forget the first drawing (a whole one): a later blitted drawing of the same state can differ in a few
        # antialiased pixels, and the static site's frames must not change when only the description does.
        self._seen.clear()
        for control in controls.values():
            control.observe(self._on_change, names="value")

    def values(self) -> dict:
        """Current control values, by name."""
        return {name: c.value for name, c in self.controls.items()}

    def redraw(self, draft: bool = False) -> None:
        """Update the artists from the controls and render the figure.

        With ``draft`` (a control moved in the browser, with the kernel's event
        loop running), a move that needs a whole new drawing (new axis limits,
        or a demo without dynamic artists) is first drawn at 1 device pixel per
        CSS pixel, a quarter of the pixels, and drawn sharp once the controls
        have been still for SHARPEN_AFTER_S. Moves that only redraw the dynamic
        artists are always sharp.

        The image's new text alternative and figure reach the browser in one
        message (``hold_sync``), not two.
        """
        with self.image.hold_sync():
            self._redraw(draft)

    def _redraw(self, draft: bool) -> None:
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
        self._sharp_token += 1
        fit_titles(self.figure, minimum_pt=self._min_pt)
        key = self._state_key()
        seen = self._seen.get(key)
        if seen is None:
            seen = self._stored(key)
            if seen is not None:
                self._remember(key, seen)
        if seen is not None:  # drawn sharp before (or in advance): the figures are deterministic, show those pixels
            self._seen.move_to_end(key)
            if moved and self._blitter is not None:
                self._blitter.limits_changed()
            self.image.value = seen
            return
        loop = _kernel_loop() if draft and PIXEL_DENSITY > 1 else None
        if loop is not None and self._whole_drawing(moved):
            self.image.value = self._draft_png()
            token = self._sharp_token
            loop.call_later(SHARPEN_AFTER_S, self._sharpen, token, key)
            return
        self.image.value = self._remember(key, self._render(moved))

    def _whole_drawing(self, moved) -> bool:
        """Whether this move needs the whole figure drawn, not just its dynamic artists."""
        return self._blitter is None or (bool(moved) and not self._blitter.draws_axes)

    def _state_key(self) -> tuple:
        def frozen(value):
            return tuple(value) if isinstance(value, list) else value
        return tuple((name, frozen(value)) for name, value in self.values().items())

    def _stored(self, key: tuple) -> bytes | None:
        """This state's figure from the hub's frame store (:mod:`.framestore`), if there is one and it has it."""
        store = frame_store_from_environment(PIXEL_DENSITY)
        return None if store is None else store.get(self.recipe, self.presenting, key)

    def _remember(self, key: tuple, png: bytes) -> bytes:
        """Keep the sharp PNG of the last SEEN_STATES states (about 0.1 MB each)."""
        self._seen[key] = png
        self._seen.move_to_end(key)
        while len(self._seen) > SEEN_STATES:
            self._seen.popitem(last=False)
        return png

    def _draft_png(self) -> bytes:
        """One whole drawing at 1 device pixel per CSS pixel (the figure's layout is unchanged)."""
        self.figure.set_dpi(DPI / PIXEL_DENSITY)
        try:
            return self._render(True)
        finally:
            self.figure.set_dpi(DPI)
            if self._blitter is not None:
                self._blitter.invalidate()

    def _sharpen(self, token: int, key: tuple) -> None:
        if token == self._sharp_token:  # no newer move: draw this state sharp
            self.image.value = self._remember(key, self._render(True))

    def _render(self, moved) -> bytes:
        if self._blitter is None:
            png = render_png(self.figure)
        else:
            if moved:
                self._blitter.limits_changed()
            png = self._blitter.render()
        if (moved or self._blitter is None) and self._overflows(moved):
            # New limits or scales brought wider tick labels than the frozen layout has room
            # for: lay the figure out again (one extra draw, only on such moves).
            self.figure.set_layout_engine("constrained")
            self.figure.canvas.draw()
            self.figure.set_layout_engine("none")
            if self._blitter is not None:
                self._blitter.invalidate()
                png = self._blitter.render()
            else:
                png = render_png(self.figure)
        return png

    def _overflows(self, moved=True) -> bool:
        """True when an axes' labels, ticks or title reach past the figure (after a draw).

        A blitter that draws the axes checks only those: nothing else moves with limits.
        """
        renderer = self.figure.canvas.get_renderer()
        frame = self.figure.bbox
        checked = self.figure.axes
        if moved and self._blitter is not None and self._blitter.draws_axes:
            from matplotlib.axis import Axis

            checked = [artist for artist in self._blitter.dynamic if isinstance(artist, Axis)]
        for ax in checked:
            box = ax.get_tightbbox(renderer)
            if box is not None and (box.x0 < frame.x0 - 1 or box.x1 > frame.x1 + 1
                                    or box.y0 < frame.y0 - 1 or box.y1 > frame.y1 + 1):
                return True
        return False

    def _on_change(self, _change) -> None:
        if not self._busy:
            self.redraw(draft=True)

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
        width, height = css_size(self.figure, self.presenting)
        # Rendered at PIXEL_DENSITY: tell the frontend the size to show it at.
        return bundle, {"image/png": {"width": width, "height": height}}


#: Class of a demo built in presentation mode; PRESENTATION_CSS scales its controls.
PRESENTING_CLASS = "course-demo-presenting"
#: Controls of a presentation-mode demo, 1.5 times their usual size (ipywidgets' own CSS variables).
PRESENTATION_CSS = f"""<style>
.{PRESENTING_CLASS} {{
  --jp-widgets-font-size: 20px;
  --jp-widgets-inline-height: 42px;
  --jp-widgets-inline-label-width: 120px;
  --jp-widgets-inline-width: 320px;
  --jp-widgets-inline-margin: 6px;
  --jp-widgets-slider-handle-size: 24px;
  --jp-widgets-slider-track-thickness: 6px;
  --jp-widgets-menu-item-height: 36px;
  font-size: 20px;
}}
.{PRESENTING_CLASS} .widget-label, .{PRESENTING_CLASS} .widget-readout,
.{PRESENTING_CLASS} .widget-button, .{PRESENTING_CLASS} .widget-toggle-button,
.{PRESENTING_CLASS} select, .{PRESENTING_CLASS} input, .{PRESENTING_CLASS} label {{ font-size: 20px; }}
.{PRESENTING_CLASS} .widget-checkbox input[type="checkbox"] {{ width: 20px; height: 20px; }}
.{PRESENTING_CLASS} p {{ font-size: 20px; line-height: 1.4; }}
</style>"""

#: Shortest slider track, CSS px: long enough to pick one step of ~30 with a mouse.
MIN_TRACK_PX = 220
#: Width of a slider's readout and of one character of its label, CSS px, at 13 px type.
_READOUT_PX, _CHAR_PX = 70, 7.5


def fit_slider(control, presenting: bool = False) -> None:
    """Widen a slider so its track stays at least MIN_TRACK_PX next to its label and readout."""
    sliders = (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider, widgets.IntRangeSlider,
               widgets.FloatRangeSlider, widgets.SelectionSlider, widgets.SelectionRangeSlider)
    if not isinstance(control, sliders) or control.orientation != "horizontal":
        return
    scale = style.PRESENTATION_SCALE["font"] if presenting else 1.0
    label = len(control.description) * _CHAR_PX + 12
    readout = _READOUT_PX * (2 if isinstance(control, (widgets.IntRangeSlider, widgets.FloatRangeSlider,
                                                       widgets.SelectionRangeSlider)) else 1)
    needed = round(scale * (label + readout) + MIN_TRACK_PX + 16)
    current = control.layout.width
    if current is None or not current.endswith("px") or float(current[:-2]) < needed:
        control.layout.width = f"{needed}px"
    control.style.description_width = "initial"


def collapsed(title: str, content) -> widgets.Accordion:
    """``content`` behind a closed, labelled section the student opens on demand (long tables)."""
    return widgets.Accordion(children=[content], titles=(title,), selected_index=None)


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
