"""Tables of dossiers: wrapped cells in the dossier fonts, header row repeated on each page."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle

from .fonts import BOLD, REGULAR, markup, needs_markup
from .layout import FRAME_WIDTH, STYLES

HEAD = colors.HexColor("#263238")
ZEBRA = colors.HexColor("#F3F5F7")
RULE = colors.HexColor("#C9CED3")


def cell(value, bold: bool = False) -> Paragraph:
    return Paragraph(markup("" if value is None else value, bold), STYLES["cellbold" if bold else "cell"])


PAD = 3
SIZE = 7.5


def _fits(value, width: float, font: str = REGULAR) -> str | None:
    """``value`` as a plain string when it needs no wrapping nor font change (a plain cell is
    drawn many times faster than a Paragraph: dossiers hold thousands of cells)."""
    if isinstance(value, Paragraph):
        return None
    s = "" if value is None else str(value)
    if "\n" in s or needs_markup(s) or stringWidth(s, font, SIZE) > width - 2 * PAD - 0.5:
        return None
    return s


def table(header: Sequence[str], rows: Sequence[Sequence], widths: Sequence[float] | None = None) -> Table:
    """``widths`` are fractions of the frame width (None: equal)."""
    n = len(header)
    fr = list(widths) if widths else [1 / n] * n
    total = sum(fr)
    col_widths = [FRAME_WIDTH * f / total for f in fr]
    head = [Paragraph(f'<font color="white">{markup(h, bold=True)}</font>', STYLES["cellbold"]) for h in header]
    data: list[list] = [head]
    for r in rows:
        out = []
        for c, w in zip(r, col_widths, strict=True):
            plain = _fits(c, w)
            out.append(plain if plain is not None else (c if isinstance(c, Paragraph) else cell(c)))
        data.append(out)
    t = Table(data, colWidths=col_widths, repeatRows=1)
    style = [
        ("FONTNAME", (0, 1), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 1), (-1, -1), SIZE),
        ("LEADING", (0, 1), (-1, -1), 9.2),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for i in range(2, len(data), 2):
        style.append(("BACKGROUND", (0, i), (-1, i), ZEBRA))
    t.setStyle(TableStyle(style))
    return t


def pairs(rows: Sequence[tuple[str, object]], key_width: float = 0.28, width: float = FRAME_WIDTH) -> Table:
    """A two-column label/value block (cover, subject facts)."""
    kw, vw = width * key_width, width * (1 - key_width)
    data = []
    for k, v in rows:
        pk, pv = _fits(k, kw, BOLD), _fits(v, vw)
        data.append([pk if pk is not None else cell(k, bold=True),
                     pv if pv is not None else (v if isinstance(v, Paragraph) else cell(v))])
    t = Table(data, colWidths=[kw, vw])
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (0, -1), BOLD),
        ("FONTNAME", (1, 0), (1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), SIZE),
        ("LEADING", (0, 0), (-1, -1), 9.2),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
    ]))
    return t
