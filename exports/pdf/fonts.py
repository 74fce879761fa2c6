"""Fonts embedded in dossiers and the text shaping they need.

DejaVu Sans covers Latin (Indonesian, Vietnamese, …), Greek, Cyrillic and Arabic glyphs;
WenQuanYi Micro Hei covers Chinese, Japanese kana and Korean; Loma (TLWG) covers Thai; Noto Sans
Khmer, Myanmar, Devanagari and Lao cover those scripts.  All ship in ``resources/fonts`` and are
embedded as subsets; runs of characters DejaVu lacks are drawn in their script's font, the rest
in DejaVu.  Arabic and Hebrew are reshaped and put in visual order with ``arabic-reshaper`` +
``python-bidi`` (reportlab lays text out left to right).  Khmer, Myanmar, Devanagari, Lao and
Thai runs in paragraphs are shaped with HarfBuzz, their text kept for copying and extraction
(``shaping``), and so are labels drawn on a canvas or in a chart (``label_runs``).
"""

from __future__ import annotations

import logging
import re
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from workstation.paths import resources_dir

from . import shaping

log = logging.getLogger(__name__)

REGULAR = "LintasSans"
BOLD = "LintasSans-Bold"
CJK = "LintasCJK"
THAI = "LintasThai"
THAI_BOLD = "LintasThai-Bold"
KHMER, KHMER_BOLD = "LintasKhmer", "LintasKhmer-Bold"
MYANMAR, MYANMAR_BOLD = "LintasMyanmar", "LintasMyanmar-Bold"
DEVANAGARI, DEVANAGARI_BOLD = "LintasDevanagari", "LintasDevanagari-Bold"
LAO, LAO_BOLD = "LintasLao", "LintasLao-Bold"

_registered = False

# Runs of characters DejaVu Sans has no glyphs for and WenQuanYi Micro Hei has.
_CJK_RUN = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3200-\u32ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+")
_THAI_RUN = re.compile("[\u0e00-\u0e7f]+")
_LAO_RUN = re.compile("[\u0e80-\u0eff]+")
_KHMER_RUN = re.compile("[\u1780-\u17ff\u19e0-\u19ff]+")
_MYANMAR_RUN = re.compile("[\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f]+")
_DEVANAGARI_RUN = re.compile("[\u0900-\u097f\ua8e0-\ua8ff]+")
# (runs of a script DejaVu Sans lacks, its font, its bold font, the font files' stem)
_FALLBACKS = ((_CJK_RUN, CJK, CJK), (_THAI_RUN, THAI, THAI_BOLD), (_LAO_RUN, LAO, LAO_BOLD),
              (_KHMER_RUN, KHMER, KHMER_BOLD), (_MYANMAR_RUN, MYANMAR, MYANMAR_BOLD),
              (_DEVANAGARI_RUN, DEVANAGARI, DEVANAGARI_BOLD))
_NOTO = {LAO: "NotoSansLao", KHMER: "NotoSansKhmer", MYANMAR: "NotoSansMyanmar", DEVANAGARI: "NotoSansDevanagari"}
SHAPED = (THAI, THAI_BOLD, LAO, LAO_BOLD, KHMER, KHMER_BOLD, MYANMAR, MYANMAR_BOLD, DEVANAGARI, DEVANAGARI_BOLD)
"""Fonts whose runs are shaped (``shaping``): their scripts are not drawn right glyph by glyph."""
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
    for regular, stem in _NOTO.items():
        bold = regular + "-Bold"
        pdfmetrics.registerFont(TTFont(regular, str(d / f"{stem}-Regular.ttf")))
        pdfmetrics.registerFont(TTFont(bold, str(d / f"{stem}-Bold.ttf")))
        pdfmetrics.registerFontFamily(regular, normal=regular, bold=bold, italic=regular, boldItalic=bold)
    shaping.install(SHAPED)
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
    """Whether the text holds characters drawn from a font other than DejaVu (CJK, Thai, …)."""
    return bool(text) and bool(_OTHER_RUN.search(text))


def needs_markup(text: str) -> bool:
    """Whether the text needs shaping or another font (else it can be drawn as it is)."""
    return bool(_RTL.search(text)) or has_other_script(text)


def _run_font(run: str, bold: bool = False) -> str:
    return next(b if bold else f for regex, f, b in _FALLBACKS if regex.match(run))


def markup(text: object, bold: bool = False) -> str:
    """Plain text as Paragraph markup: escaped, shaped, runs of CJK, Thai, Khmer, … in their fonts
    (their bold fonts for a bold style: a paragraph's bold does not reach a font named in it)."""
    if text is None:
        return ""
    s = visual(str(text))
    if not has_other_script(s):
        return escape(s)
    out, pos = [], 0
    for m in _OTHER_RUN.finditer(s):
        out.append(escape(s[pos:m.start()]))
        out.append(f'<font name="{_run_font(m.group(0), bold)}">{escape(m.group(0))}</font>')
        pos = m.end()
    out.append(escape(s[pos:]))
    return "".join(out)


def drawn(text: str, font: str, size: float) -> str:
    """``text`` as drawn in ``font`` on a canvas: shaped when the font's script needs it (the
    text kept for copying, see ``shaping``), else the text itself."""
    if font in SHAPED and text and shaping.install(()):
        from reportlab.pdfbase.ttfonts import shapeStr

        return shapeStr(text, font, size)
    return text


def label_runs(text: str, size: float, bold: bool = False) -> list[tuple[str, str, float]]:
    """A label drawn straight onto a canvas or chart, as (text to draw, font, width) runs: the
    runs of scripts DejaVu lacks in their fonts, shaped where they need it, the rest in DejaVu
    (the script fonts have no Latin: "Sok Chanda (សុខ)" needs both)."""
    plain = BOLD if bold else REGULAR
    pieces: list[tuple[str, str]] = []
    pos = 0
    for m in _OTHER_RUN.finditer(text or ""):
        if m.start() > pos:
            pieces.append((text[pos:m.start()], plain))
        pieces.append((m.group(0), _run_font(m.group(0), bold)))
        pos = m.end()
    if pos < len(text or ""):
        pieces.append((text[pos:], plain))
    out = []
    for t, font in pieces:
        d = drawn(t, font, size)
        data = getattr(d, "__shapeData__", None)
        width = (sum(x.x_advance for x in data) * size / 1000 if data
                 else pdfmetrics.stringWidth(d, font, size))
        out.append((d, font, width))
    return out
