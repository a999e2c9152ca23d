"""Rendering a Figure to PNG bytes fast: a renderer that rasterises each text only once."""

from __future__ import annotations

import io

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from PIL import Image

from .style import *  # noqa: F403


class _TextCachingRenderer(RendererAgg):
    """An Agg renderer that rasterises each distinct text once and then pastes the pixels.

    Matplotlib renders text glyph by glyph in Python, which made text most of an explorer's
    redraw. Here a text is drawn into a small transparent buffer the first time it is seen (per
    string, font, size, angle, colour and dpi) and composited at a whole-pixel position after
    that, on a miss as on a hit: a text's pixels depend on nothing but its key and position.
    """

    _cache: dict[tuple, tuple[np.ndarray, int, int]] = {}
    _CACHE_LIMIT = 4000

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or not s:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (
            s,
            prop.copy(),  # FontProperties hash and compare by value (family, size, weight...)
            float(angle),
            self.dpi,
            tuple(gc.get_rgb()),
            gc.get_alpha(),
            gc.get_forced_alpha(),
            gc.get_antialiased(),
            repr((features, language)),
            mpl.rcParams["text.hinting"],
            mpl.rcParams["text.hinting_factor"],
        )
        cached = self._cache.get(key)
        if cached is None:
            cached = self._rasterise(gc, s, prop, angle, mtext)
            if len(self._cache) >= self._CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = cached
        image, left, top = cached  # bottom row first; offsets from the anchor, y downwards
        if image.size:
            x0, y0 = round(x) + left, round(y) + top
            blit = self.new_gc()  # the text's clipping, but not its alpha: that is in the pixels
            blit.copy_properties(gc)
            blit.set_alpha(None)
            self.draw_image(blit, x0, self.height - y0 - image.shape[0], image)
            blit.restore()
        return None

    def _rasterise(self, gc, s, prop, angle, mtext):
        w, h, d = super().get_text_width_height_descent(s, prop, False)
        side = int(np.ceil(w + h + d)) + 8  # room for the text at any angle around the anchor
        buffer = RendererAgg(2 * side, 2 * side, self.dpi)
        gc2 = buffer.new_gc()
        gc2.copy_properties(gc)
        gc2.set_clip_rectangle(None)
        gc2.set_clip_path(None)
        RendererAgg.draw_text(buffer, gc2, side, side, s, prop, angle, False, mtext)
        gc2.restore()
        rgba = np.asarray(buffer.buffer_rgba())
        rows = np.flatnonzero(rgba[:, :, 3].any(axis=1))
        cols = np.flatnonzero(rgba[:, :, 3].any(axis=0))
        if not rows.size:
            return np.zeros((0, 0, 4), np.uint8), 0, 0
        r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        # draw_image wants the bottom row first
        return (
            rgba[r1 - 1 : r0 - 1 if r0 else None : -1, c0:c1].copy(),
            int(c0) - side,
            int(r0) - side,
        )


class _TextCachingCanvas(FigureCanvasAgg):
    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _TextCachingRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def png(fig: Figure, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes (RGB, no metadata), the same bytes for the same figure.

    Encoded by Pillow with light compression and no alpha channel: at the default level
    encoding costs more than drawing, and the explorers redraw on every slider move. Text is
    rasterised once per distinct string and reused (see ``_TextCachingRenderer``).
    """
    if dpi is not None and fig.dpi != dpi:
        fig.set_dpi(dpi)
    # Reuse the figure's canvas: its renderer is kept between redraws.
    canvas = fig.canvas if isinstance(fig.canvas, _TextCachingCanvas) else _TextCachingCanvas(fig)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()
