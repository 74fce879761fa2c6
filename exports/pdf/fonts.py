"""Fonts embedded in dossiers and the text shaping they need.

DejaVu Sans covers Latin (Indonesian, Vietnamese, …), Greek, Cyrillic and Arabic glyphs;
WenQuanYi Micro Hei covers Chinese, Japanese kana and Korean; Loma (TLWG) covers Thai.  All
ship in ``resources/fonts`` and are embedded as subsets; runs of CJK or Thai characters are
drawn in their font, the rest in DejaVu.  Arabic and Hebrew are reshaped and put in visual
order with ``arabic-reshaper`` + ``python-bidi`` (reportlab lays text out left to right and
does no shaping of its own).  Thai needs no reordering; without OpenType positioning its tone
marks sit a little high above an upper vowel, but every glyph is right and the text copies out
as written.  Scripts that need shaping to be read at all (Devanagari, Khmer, Myanmar) have no
font here: they come out as empty boxes.
"""

from __future__ import annotations

import logging
import re
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from workstation.paths import resources_dir

log = logging.getLogger(__name__)

REGULAR = "LintasSans"
BOLD = "LintasSans-Bold"
CJK = "LintasCJK"
THAI = "LintasThai"
THAI_BOLD = "LintasThai-Bold"

_registered = False

# Runs of characters DejaVu Sans has no glyphs for and WenQuanYi Micro Hei has.
_CJK_RUN = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3200-\u32ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+")
_THAI_RUN = re.compile("[\u0e00-\u0e7f]+")
# (runs of a script DejaVu Sans lacks, its font, its bold font)
_FALLBACKS = ((_CJK_RUN, CJK, CJK), (_THAI_RUN, THAI, THAI_BOLD))
_OTHER_RUN = re.compile("|".join(f"(?:{r.pattern})" for r, _, _ in _FALLBACKS))
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


def register() -> None:
    """Register the dossier fonts with reportlab (once per process)."""
    global _registered
    if _registered:
        return
    d = resources_dir() / "fonts"
    pdfmetrics.registerFont(TTFont(REGULAR, str(d / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(d / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    pdfmetrics.registerFont(TTFont(CJK, str(d / "wqy-microhei.ttc"), subfontIndex=0))
    pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)
    pdfmetrics.registerFont(TTFont(THAI, str(d / "Loma.ttf")))
    pdfmetrics.registerFont(TTFont(THAI_BOLD, str(d / "Loma-Bold.ttf")))
    pdfmetrics.registerFontFamily(THAI, normal=THAI, bold=THAI_BOLD, italic=THAI, boldItalic=THAI_BOLD)
    _registered = True


def visual(text: str) -> str:
    """Text in the order reportlab must draw it: right-to-left scripts shaped and reordered."""
    if not text or not _RTL.search(text):
        return text
    from bidi import get_display

    if _ARABIC.search(text):
        import arabic_reshaper

        text = arabic_reshaper.reshape(text)
    return get_display(text)


def has_cjk(text: str) -> bool:
    return bool(text) and bool(_CJK_RUN.search(text))


def has_other_script(text: str) -> bool:
    """Whether the text holds characters drawn from a font other than DejaVu (CJK, Thai)."""
    return bool(text) and bool(_OTHER_RUN.search(text))


def needs_markup(text: str) -> bool:
    """Whether the text needs shaping or another font (else it can be drawn as it is)."""
    return bool(_RTL.search(text)) or has_other_script(text)


def _run_font(run: str) -> str:
    return next(font for regex, font, _ in _FALLBACKS if regex.match(run))


def markup(text: object) -> str:
    """Plain text as Paragraph markup: escaped, shaped, CJK and Thai runs in their fonts."""
    if text is None:
        return ""
    s = visual(str(text))
    if not has_other_script(s):
        return escape(s)
    out, pos = [], 0
    for m in _OTHER_RUN.finditer(s):
        out.append(escape(s[pos:m.start()]))
        out.append(f'<font name="{_run_font(m.group(0))}">{escape(m.group(0))}</font>')
        pos = m.end()
    out.append(escape(s[pos:]))
    return "".join(out)


def font_for(text: str, bold: bool = False) -> str:
    """One font for a short label drawn directly on a canvas or chart: the font of the first
    script DejaVu lacks in it, else DejaVu."""
    m = _OTHER_RUN.search(text or "")
    if m:
        return next(b if bold else f for regex, f, b in _FALLBACKS if regex.match(m.group(0)))
    return BOLD if bold else REGULAR
