"""Scripts that must be shaped to be read (Khmer, Myanmar, Devanagari, Lao, Thai), with their text kept.

reportlab shapes the words of a paragraph whose style asks for it (``shaping=1``) with HarfBuzz
(``uharfbuzz``): the font's own rules choose and place the glyphs, so a Burmese vowel written
after its consonant is drawn before it and a Khmer subscript consonant under its base.  Two
things it does not do that a dossier needs, done here:

* It shapes a whole word in the font of the word's first run.  Here each run of a word is
  shaped in its own font, and only runs in a font of ``install(fonts)`` are shaped at all:
  Latin, Cyrillic, Arabic (reshaped beforehand, see ``fonts.visual``) and CJK text is drawn
  exactly as without shaping.
* Shaped glyphs have no way back to the characters they stand for: a Khmer or Burmese name
  would copy out of the PDF garbled or not at all.  Here every shaped run is drawn inside a
  marked-content span whose ``/ActualText`` is the run as written (ISO 32000-1, 14.9.4), which
  PDF readers use for copying, searching and text extraction.

Both go through reportlab's own objects (``ttfonts.shapeFragWord``, ``ShapedStr``,
``PDFTextObject._formatText``).  Where they are not what this module expects, or uharfbuzz is
missing, ``install`` leaves reportlab as it is and says so in the log: those scripts are then
drawn unshaped (every glyph right, some misplaced), and their text still copies out as written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

log = logging.getLogger(__name__)

_shaped_fonts: frozenset[str] = frozenset()
_installed: bool | None = None


def install(fonts: Iterable[str]) -> bool:
    """Shape runs drawn in ``fonts`` (reportlab font names); True when shaping is on."""
    global _shaped_fonts, _installed
    _shaped_fonts = _shaped_fonts | frozenset(fonts)
    if _installed is not None:
        return _installed
    try:
        import uharfbuzz  # noqa: F401  (reportlab shapes only with it)
        from reportlab.pdfbase import pdfmetrics, ttfonts
        from reportlab.pdfgen import textobject
        from reportlab.platypus import paragraph

        original_shape = ttfonts.shapeFragWord
        shaped_str = ttfonts.ShapedStr
        shaped_word = ttfonts.makeShapedFragWord
        original_format = textobject.PDFTextObject._formatText
        _ = (ttfonts.ShapedFragWord, paragraph.shapeFragWord, shaped_str.__getitem__)
    except (ImportError, AttributeError) as e:
        log.warning("Khmer, Myanmar, Devanagari, Lao and Thai text in dossiers is drawn unshaped: %s", e)
        _installed = False
        return False

    def written(x: object) -> str | None:
        return getattr(x, "actual", None) if isinstance(x, shaped_str) else str(x)

    def shape_word(w, *args, **kwargs):
        if isinstance(w, ttfonts.ShapedFragWord):      # shaped already (a paragraph wrapped again)
            return w
        runs = w[1:]
        if not any(getattr(f, "fontName", None) in _shaped_fonts for f, _ in runs):
            return w
        if any(hasattr(f, "cbDefn") for f, _ in runs):
            # An image or anchor inside the word: leave it to reportlab's own way.
            return original_shape(w, *args, **kwargs)
        out: list = []
        width = 0.0
        changed = False
        for f, s in runs:
            plain = pdfmetrics.stringWidth(s, f.fontName, f.fontSize)
            if f.fontName in _shaped_fonts and s and not isinstance(s, shaped_str):
                r = original_shape([plain, (f, s)], *args, **kwargs)
                if isinstance(r, ttfonts.ShapedFragWord) and len(r) == 2:
                    t = r[1][1]
                    if isinstance(t, shaped_str):
                        t.actual = str(s)
                    out.append(r[1])
                    width += r[0]
                    changed = True
                    continue
            out.append((f, s))
            width += plain
        if not changed:
            return w
        return shaped_word(w)([width, *out])

    base_add, base_radd, base_getitem = shaped_str.__add__, shaped_str.__radd__, shaped_str.__getitem__

    def add(self, other):
        r = base_add(self, other)
        a, b = written(self), written(other)
        if a is not None and b is not None:
            r.actual = a + b
        return r

    def radd(self, other):
        r = base_radd(self, other)
        a, b = written(other), written(self)
        if a is not None and b is not None:
            r.actual = a + b
        return r

    def getitem(self, i):
        r = base_getitem(self, i)
        # A part of a shaped run (a long word split over two lines) cannot say which characters
        # it draws; the whole run can.
        if isinstance(r, shaped_str) and len(r) == len(self) and getattr(self, "actual", None) is not None:
            r.actual = self.actual
        return r

    def format_text(self, text):
        code = original_format(self, text)
        actual = getattr(text, "actual", None) if isinstance(text, shaped_str) else None
        if actual:
            return f"/Span <</ActualText <FEFF{actual.encode('utf-16-be').hex().upper()}>>> BDC {code} EMC"
        return code

    ttfonts.shapeFragWord = shape_word
    paragraph.shapeFragWord = shape_word
    shaped_str.__add__, shaped_str.__radd__, shaped_str.__getitem__ = add, radd, getitem
    textobject.PDFTextObject._formatText = format_text
    _installed = True
    return True
