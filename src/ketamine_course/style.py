"""One look for every figure in the course.

The palette is Okabe & Ito's eight colours, chosen to stay distinguishable
under the common colour-vision deficiencies. Colour never carries meaning on
its own: every series also gets its own line style and marker
(:func:`series_style`).

Figures get an opaque white background, so they stay readable on a dark
JupyterLab theme. :func:`set_presentation` and :func:`presentation` enlarge text,
lines and the demos themselves for projectors.

References
----------
Okabe M, Ito K (2008). Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

import contextlib
from typing import Iterator

#: Okabe-Ito palette, in the order series are coloured. Black is kept for text
#: and reference lines.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "sky_blue": "#56B4E9",
    "reddish_purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: Colours for data series, in order. Yellow is last: it is weak on white.
SERIES_COLORS: tuple[str, ...] = (
    PALETTE["blue"],
    PALETTE["orange"],
    PALETTE["bluish_green"],
    PALETTE["vermillion"],
    PALETTE["sky_blue"],
    PALETTE["reddish_purple"],
    PALETTE["black"],
    PALETTE["yellow"],
)
LINESTYLES: tuple = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)), "-", "--")
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")

#: Shade used for "illustrative" regions and annotations.
ILLUSTRATIVE_GREY = "#6E6E6E"

BASE_RC: dict[str, object] = {
    "figure.facecolor": "white",
    "figure.edgecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "axes.edgecolor": "#222222",
    "axes.labelcolor": "#111111",
    "text.color": "#111111",
    "xtick.color": "#222222",
    "ytick.color": "#222222",
    "axes.prop_cycle": None,  # filled in by rc_params()
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.8,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "legend.framealpha": 1.0,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "lines.linewidth": 2.0,
    "lines.markersize": 6,
    "figure.dpi": 90,
    "savefig.dpi": 90,
    "svg.hashsalt": "ketamine-course",
    "svg.fonttype": "path",
}

#: Multipliers applied by presentation mode.
PRESENTATION_SCALE = {"font": 1.5, "line": 1.5}

_presenting = False


def series_style(index: int) -> dict[str, object]:
    """Colour, line style and marker for the ``index``-th series of a figure.

    The three change together, so series differ in shape as well as hue.
    """
    i = index % len(SERIES_COLORS)
    return {"color": SERIES_COLORS[i], "linestyle": LINESTYLES[i], "marker": MARKERS[i]}


def rc_params(presentation: bool | None = None) -> dict[str, object]:
    """The matplotlib rcParams of the course style.

    Parameters
    ----------
    presentation : bool, optional
        Enlarge fonts and lines for a projector. Defaults to the current mode
        (see :func:`set_presentation`).
    """
    from cycler import cycler

    big = _presenting if presentation is None else presentation
    rc = dict(BASE_RC)
    rc["axes.prop_cycle"] = cycler(color=list(SERIES_COLORS))
    if big:
        f, w = PRESENTATION_SCALE["font"], PRESENTATION_SCALE["line"]
        for key in ("font.size", "axes.titlesize", "axes.labelsize", "legend.fontsize",
                    "xtick.labelsize", "ytick.labelsize"):
            rc[key] = round(float(rc[key]) * f, 1)
        for key in ("lines.linewidth", "lines.markersize", "grid.linewidth"):
            rc[key] = round(float(rc[key]) * w, 2)
    return rc


def apply(presentation: bool | None = None) -> None:
    """Set the course style globally (called by every demo and diagram)."""
    import matplotlib as mpl

    mpl.rcParams.update(rc_params(presentation))


def figure_scale() -> float:
    """How much larger demo figures are drawn in the current mode (1 outside presentation mode).

    Figures grow with their fonts and lines, so a layout that fits on a laptop
    fits on a projector too, only larger.
    """
    return PRESENTATION_SCALE["font"] if _presenting else 1.0


def is_presenting() -> bool:
    """True while presentation mode is on."""
    return _presenting


def set_presentation(on: bool = True) -> None:
    """Switch presentation mode on or off for the figures made from now on.

    Instructors call ``style.set_presentation()`` once at the top of a
    notebook; every demo built afterwards is 1.5 times larger as a whole: its
    figure (size, fonts, lines, so the layout does not change) and its
    controls (labels, sliders, buttons). Titles that would still not fit are
    shortened (:func:`ketamine_course.demos.base.fit_titles`).
    """
    global _presenting
    _presenting = bool(on)
    apply()


@contextlib.contextmanager
def presentation() -> Iterator[None]:
    """Context manager: larger fonts and lines for figures made inside it.

    Examples
    --------
    >>> from ketamine_course import style
    >>> with style.presentation():
    ...     fig = make_some_figure()          # doctest: +SKIP
    """
    import matplotlib as mpl

    global _presenting
    before, saved = _presenting, mpl.rcParams.copy()
    _presenting = True
    try:
        apply(True)
        yield
    finally:
        _presenting = before
        mpl.rcParams.update(saved)


def mark_illustrative(ax, text: str = "Illustrative: not fitted to data", y: float = 0.02):
    """Stamp an axis as illustrative, on the figure itself (bottom right, or at height ``y``)."""
    return ax.text(
        0.99, y, text, transform=ax.transAxes, ha="right", va="bottom",
        fontsize="small", style="italic", color=ILLUSTRATIVE_GREY,
        bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": ILLUSTRATIVE_GREY},
    )
