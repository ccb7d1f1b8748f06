"""Layout helpers for the concept demos: redo the layout when an axis changes, keep notes off the data.

:class:`~.base.Demo` lays a figure out once and then freezes it, because the
layout engine costs more than a redraw. A change of axis scale changes the
width of the tick labels, so a demo that switches scale calls :func:`relayout`
once at that moment (not on every slider move).
"""

from __future__ import annotations

import numpy as np
from matplotlib.layout_engine import ConstrainedLayoutEngine


def relayout(fig) -> None:
    """Run the constrained layout once more on ``fig``, keeping its layout frozen afterwards.

    The figure is drawn first: secondary axes update their ticks only when drawn,
    and the layout must measure the new ones.
    """
    fig.canvas.draw()
    ConstrainedLayoutEngine().execute(fig)


def covered_points(box_artist, lines, renderer=None, pad_px: float = 2.0) -> int:
    """How many points of ``lines`` fall inside ``box_artist``'s drawn extent (display pixels).

    Markers count as points; a drawn line is sampled about every pixel along
    each segment, so a curve that crosses a note between two data points counts.
    """
    fig = box_artist.figure
    renderer = renderer or fig.canvas.get_renderer()
    patch = getattr(box_artist, "get_bbox_patch", lambda: None)()
    box = (patch or box_artist).get_window_extent(renderer).padded(pad_px)
    count = 0
    for line in lines:
        if not line.get_visible():
            continue
        xy = np.asarray(line.get_xydata(), dtype=float)
        xy = xy[np.all(np.isfinite(xy), axis=1)]
        if not len(xy):
            continue
        pts = line.get_transform().transform(xy)
        if len(pts) > 1 and line.get_linestyle() not in ("None", "none", ""):
            # a drawn line also crosses the box between its points: sample each segment every pixel or so
            steps = np.clip(np.ceil(np.hypot(*np.diff(pts, axis=0).T)).astype(int), 1, 2000)
            pts = np.concatenate([np.linspace(a, b, n, endpoint=False) for a, b, n in zip(pts[:-1], pts[1:], steps)]
                                 + [pts[-1:]])
        inside = (pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)
        count += int(inside.sum())
    return count
