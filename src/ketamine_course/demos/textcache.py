"""An Agg canvas that remembers the glyphs of the texts it has drawn.

A demo redraws the same texts at the same places on every move: its title,
tick labels, legend entries. Matplotlib's Agg renderer lays each text out and
renders each of its glyphs with FreeType every time, which is most of the cost
of redrawing an axis or a legend. :class:`CachingCanvas` keeps, for each text
drawn (its string, font, size, angle and exact position), the glyph bitmaps and
where they go, and on the next draw of the same text only blends those bitmaps
again. The pixels are the same as Agg's own (``tests/test_demos.py`` compares
them for every demo).

The cache rests on the private glyph-drawing steps of matplotlib's Agg backend
(3.10 and later); with another matplotlib it is switched off and the stock
renderer draws everything.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
from matplotlib import rcParams
from matplotlib.backends import backend_agg
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.ft2font import FT2Font

#: Texts whose glyphs are kept (a demo shows a few dozen; a glyph bitmap is a few hundred bytes).
CACHED_TEXTS = 4096

#: Whether this matplotlib has the glyph-by-glyph Agg text drawing the cache replays.
SUPPORTED = all(hasattr(obj, name) for obj, name in (
    (RendererAgg, "_draw_text_glyphs_and_boxes"), (RendererAgg, "_prepare_font"),
    (backend_agg, "get_hinting_flag"), (backend_agg, "RenderMode"),
    (FT2Font, "_layout"), (FT2Font, "_render_glyph"), (FT2Font, "_set_transform")))

_glyphs: OrderedDict = OrderedDict()


def _font_key(prop) -> tuple:
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily(),
            tuple(backend_agg._fontManager._find_fonts_by_props(prop)))


class CachingRenderer(RendererAgg):
    """RendererAgg whose plain (not math) texts are drawn from remembered glyph bitmaps."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or not SUPPORTED:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (s, _font_key(prop), self.dpi, self.height, angle, x, y, gc.get_antialiased(),
               backend_agg.get_hinting_flag(), rcParams["text.hinting_factor"],
               None if features is None else tuple(features), language)
        glyphs = _glyphs.get(key)
        if glyphs is None:
            glyphs = self._render_glyphs(x, y, s, prop, angle, gc.get_antialiased(), features, language)
            _glyphs[key] = glyphs
            while len(_glyphs) > CACHED_TEXTS:
                _glyphs.popitem(last=False)
        else:
            _glyphs.move_to_end(key)
        for buffer, left, bottom in glyphs:
            self._renderer.draw_text_image(buffer, left, bottom, 0, gc)

    def _render_glyphs(self, x, y, s, prop, angle, antialiased, features, language) -> list:
        """The glyph bitmaps of one text and where Agg blends them: RendererAgg's own steps, kept."""
        font = self._prepare_font(prop)
        items = font._layout(s, flags=backend_agg.get_hinting_flag(), features=features, language=language)
        size = prop.get_size_in_points()
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        mode = backend_agg.RenderMode.NORMAL if antialiased else backend_agg.RenderMode.MONO
        out = []
        for item in items:
            glyph_font = item.ft_object
            glyph_font.set_size(size, self.dpi)
            glyph_font._set_transform(
                (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int),
                [round(0x40 * (x + item.x * cos - item.y * sin)),
                 round(0x40 * (self.height - y + item.x * sin + item.y * cos))])
            bitmap = glyph_font._render_glyph(item.glyph_index, backend_agg.get_hinting_flag(), mode)
            buffer = np.array(bitmap.buffer, copy=True)
            if not antialiased:
                buffer *= 0xff
            out.append((buffer, bitmap.left, int(self.height) - bitmap.top + buffer.shape[0]))
        return out


class CachingCanvas(FigureCanvasAgg):
    """FigureCanvasAgg drawing with a :class:`CachingRenderer`."""

    def get_renderer(self):
        width, height = self.get_width_height(physical=True)
        key = width, height, self.figure.dpi
        if self._lastKey != key:
            self.renderer = CachingRenderer(width, height, self.figure.dpi)
            self._lastKey = key
        return self.renderer
