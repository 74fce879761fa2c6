"""Fonts embedded in dossiers and the text shaping they need.

DejaVu Sans covers Latin (Indonesian, Vietnamese, …), Greek, Cyrillic and Arabic glyphs;
WenQuanYi Micro Hei covers Chinese, Japanese kana and Korean.  Both ship in
``resources/fonts`` and are embedded as subsets.  Arabic and Hebrew are reshaped and put in
visual order with ``arabic-reshaper`` + ``python-bidi`` (reportlab lays text out left to
right and does no shaping of its own).
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

_registered = False

# Runs of characters DejaVu Sans has no glyphs for and WenQuanYi Micro Hei has.
_CJK_RUN = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3200-\u32ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+")
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


def needs_markup(text: str) -> bool:
    """Whether the text needs shaping or another font (else it can be drawn as it is)."""
    return bool(_RTL.search(text)) or has_cjk(text)


def markup(text: object) -> str:
    """Plain text as Paragraph markup: escaped, shaped, CJK runs in the CJK font."""
    if text is None:
        return ""
    s = visual(str(text))
    if not has_cjk(s):
        return escape(s)
    out, pos = [], 0
    for m in _CJK_RUN.finditer(s):
        out.append(escape(s[pos:m.start()]))
        out.append(f'<font name="{CJK}">{escape(m.group(0))}</font>')
        pos = m.end()
    out.append(escape(s[pos:]))
    return "".join(out)


def font_for(text: str, bold: bool = False) -> str:
    """One font for a short label drawn directly on a canvas or chart."""
    if has_cjk(text):
        return CJK
    return BOLD if bold else REGULAR
