"""Geometry of a drawn matplotlib figure, as a reader sees it: where the text is, what it covers.

Used by tests/test_demo_figures.py on every demo. Everything is measured in
display pixels after a full draw, from the artists matplotlib actually drew
(recorded while drawing), so text that is hidden, clipped or outside the view
limits does not count and text that is drawn always does.

The rules, with their tolerances:

- **inside**: every drawn text lies inside the figure (``EDGE_PX`` of slack);
- **legible**: every drawn text is at least ``MIN_CSS_PX`` CSS pixels tall at
  100% zoom (its size in points, at the figure's CSS pixels per inch);
- **apart**: no two boxes overlap by more than ``OVERLAP_PX`` in both
  directions, where a box is a legend, or a free text (titles, axis labels,
  notes, annotations, with their frame if they have one);
- **uncovering**: no legend or note covers more than ``MAX_COVERED_SHARE``
  of the plotted points of any data series (marker-only series count their
  markers; lines are resampled every ``SAMPLE_PX`` pixels along their path);
- **title fits**: each axes title and the figure's suptitle lies inside the
  figure, and is no wider than the figure.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text

EDGE_PX = 1.0
OVERLAP_PX = 1.0
MIN_CSS_PX = 11.0
#: A legend or note may sit over at most this share of one series' plotted points.
MAX_COVERED_SHARE = 0.02
SAMPLE_PX = 2.0


@dataclass
class Drawn:
    """What one full draw put on the canvas."""

    texts: list = field(default_factory=list)  # (Text, Bbox of the glyphs, Bbox with its frame)
    legends: list = field(default_factory=list)  # (Legend, Bbox)


@contextlib.contextmanager
def _recording(drawn: Drawn):
    """Record every Text and Legend as it is drawn (and where)."""
    text_draw, legend_draw = Text.draw, Legend.draw

    def record_text(self, renderer):
        text_draw(self, renderer)
        if self.get_visible() and self.get_text().strip():
            glyphs = self.get_window_extent(renderer)
            patch = self.get_bbox_patch()
            framed = patch.get_window_extent(renderer) if patch is not None and patch.get_visible() else glyphs
            drawn.texts.append((self, glyphs, framed))

    def record_legend(self, renderer):
        legend_draw(self, renderer)
        if self.get_visible():
            drawn.legends.append((self, self.get_window_extent(renderer)))

    Text.draw, Legend.draw = record_text, record_legend
    try:
        yield
    finally:
        Text.draw, Legend.draw = text_draw, legend_draw


def draw(fig) -> Drawn:
    """One full draw of ``fig`` (as a student's screen shows it after a redraw), recorded."""
    drawn = Drawn()
    with _recording(drawn):
        fig.canvas.draw()
    return drawn


def _in_legend(text: Text, legends) -> bool:
    return any(text in legend.texts or text is legend.get_title() for legend, _ in legends)


def _all_axes(fig):
    out = []
    for ax in fig.axes:
        out += [ax, *getattr(ax, "child_axes", [])]
    return out


def _tick_labels(fig) -> set[int]:
    """ids of every tick label of every axis of ``fig`` (secondary axes included)."""
    ids = set()
    for ax in _all_axes(fig):
        for axis in ax._axis_map.values():
            for tick in (*axis.majorTicks, *axis.minorTicks):
                ids.update((id(tick.label1), id(tick.label2)))
    return ids


def _label(text: Text) -> str:
    return repr(text.get_text()[:60])


def _overlap(a, b) -> tuple[float, float]:
    return (min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0))


def css_px_per_point(fig, css_px_per_inch: float) -> float:
    return css_px_per_inch / 72.0


def _series_points(ax) -> list[tuple[str, np.ndarray]]:
    """Display coordinates of each data series drawn in ``ax``, inside the axes.

    Data lines only (drawn in data coordinates: reference lines such as axhline
    are excluded); lines with a line style are resampled along the path.
    """
    out = []
    box = ax.get_window_extent()
    for artist in [*ax.lines, *ax.collections]:
        if not artist.get_visible():
            continue
        if isinstance(artist, Line2D):
            if artist.get_transform() != ax.transData:
                continue
            xy = np.column_stack([np.asarray(artist.get_xdata(), float), np.asarray(artist.get_ydata(), float)])
            if not len(xy):
                continue
            pts = ax.transData.transform(xy)
            pts = pts[np.isfinite(pts).all(axis=1)]
            if artist.get_linestyle() not in ("None", "none", "", " ") and len(pts) > 1:
                pts = _resample(pts)
            name = artist.get_label() if not artist.get_label().startswith("_") else f"unlabelled {artist.get_color()} {artist.get_marker()}"
        elif isinstance(artist, PathCollection):
            offsets = artist.get_offsets()
            if not len(offsets):
                continue
            pts = artist.get_offset_transform().transform(offsets)
            name = artist.get_label()
        else:
            continue
        inside = (pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)
        if inside.any():
            out.append((name, pts[inside]))
    return out


def _resample(pts: np.ndarray) -> np.ndarray:
    """Points every SAMPLE_PX along a polyline (NaN gaps already dropped)."""
    seg = np.diff(pts, axis=0)
    lengths = np.hypot(seg[:, 0], seg[:, 1])
    total = lengths.sum()
    if total == 0:
        return pts[:1]
    cum = np.concatenate([[0.0], np.cumsum(lengths)])
    s = np.arange(0.0, total, SAMPLE_PX)
    return np.column_stack([np.interp(s, cum, pts[:, 0]), np.interp(s, cum, pts[:, 1])])


def problems(fig, css_px_per_inch: float) -> list[str]:
    """Every broken rule in ``fig`` after a full draw, as readable sentences (empty when it reads well)."""
    drawn = draw(fig)
    found: list[str] = []
    frame = fig.bbox
    pt = css_px_per_point(fig, css_px_per_inch)

    # inside, legible
    for text, glyphs, framed in drawn.texts:
        if (framed.x0 < frame.x0 - EDGE_PX or framed.x1 > frame.x1 + EDGE_PX
                or framed.y0 < frame.y0 - EDGE_PX or framed.y1 > frame.y1 + EDGE_PX):
            found.append(f"text {_label(text)} leaves the figure ({framed.x0:.0f}..{framed.x1:.0f} x "
                         f"{framed.y0:.0f}..{framed.y1:.0f} px in {frame.width:.0f} x {frame.height:.0f})")
        size = text.get_fontsize() * pt
        if size < MIN_CSS_PX - 1e-6:
            found.append(f"text {_label(text)} is {size:.1f} CSS px, under {MIN_CSS_PX:g}")

    # boxes: legends and free texts (not tick labels, not the texts inside a legend)
    boxes = [(f"legend of {legend.axes.get_title()[:30]!r}" if legend.axes else "figure legend", bbox, legend)
             for legend, bbox in drawn.legends]
    ticks = _tick_labels(fig)
    boxes += [(f"text {_label(text)}", framed, text) for text, _glyphs, framed in drawn.texts
              if not _in_legend(text, drawn.legends) and id(text) not in ticks]
    for i, (name_a, a, _) in enumerate(boxes):
        for name_b, b, _ in boxes[i + 1:]:
            dx, dy = _overlap(a, b)
            if dx > OVERLAP_PX and dy > OVERLAP_PX:
                found.append(f"{name_a} overlaps {name_b} ({dx:.0f} x {dy:.0f} px)")

    # uncovering: legends and notes inside an axes must not hide the data
    notes = [(name, bbox, artist) for name, bbox, artist in boxes
             if isinstance(artist, Legend) or (isinstance(artist, Text) and not _is_title_or_label(artist))]
    for ax in fig.axes:
        series = _series_points(ax)
        for name, bbox, artist in notes:
            owner = artist.axes
            if owner is not None and owner is not ax:
                continue
            for label, pts in series:
                under = ((pts[:, 0] >= bbox.x0) & (pts[:, 0] <= bbox.x1)
                         & (pts[:, 1] >= bbox.y0) & (pts[:, 1] <= bbox.y1))
                share = under.mean()
                if share > MAX_COVERED_SHARE:
                    found.append(f"{name} covers {100 * share:.0f}% of the points of series {label!r} "
                                 f"(at most {100 * MAX_COVERED_SHARE:g}%)")

    # title fits
    titles = [t for ax in fig.axes for t in (ax.title, ax._left_title, ax._right_title)]
    if fig._suptitle is not None:
        titles.append(fig._suptitle)
    for text, glyphs, _framed in drawn.texts:
        if any(text is t for t in titles):
            if glyphs.width > frame.width + EDGE_PX or glyphs.x0 < frame.x0 - EDGE_PX \
                    or glyphs.x1 > frame.x1 + EDGE_PX or glyphs.y1 > frame.y1 + EDGE_PX:
                found.append(f"title {_label(text)} does not fit: {glyphs.x0:.0f}..{glyphs.x1:.0f} px "
                             f"in a figure {frame.width:.0f} px wide")
    return found


def _is_title_or_label(text: Text) -> bool:
    fig = text.figure
    for ax in fig.axes:
        if text in (ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label):
            return True
        for child in getattr(ax, "child_axes", []):
            if text in (child.xaxis.label, child.yaxis.label):
                return True
    return text is getattr(fig, "_suptitle", None) or text is getattr(fig, "_supxlabel", None) \
        or text is getattr(fig, "_supylabel", None)
