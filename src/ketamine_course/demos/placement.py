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
    """Run the constrained layout once more on ``fig``, keeping its layout frozen afterwards."""
    ConstrainedLayoutEngine().execute(fig)


def covered_points(box_artist, lines, renderer=None, pad_px: float = 2.0) -> int:
    """How many plotted points of ``lines`` fall inside ``box_artist``'s drawn extent (display pixels)."""
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
        if len(xy):
            count += int(box.contains_points(line.get_transform().transform(xy)).sum())
    return count
