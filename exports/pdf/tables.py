"""Tables of dossiers: wrapped cells in the dossier fonts, header row repeated on each page."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.platypus import Paragraph, Table, TableStyle

from .fonts import markup
from .layout import FRAME_WIDTH, STYLES

HEAD = colors.HexColor("#263238")
ZEBRA = colors.HexColor("#F3F5F7")
RULE = colors.HexColor("#C9CED3")


def cell(value, bold: bool = False) -> Paragraph:
    return Paragraph(markup("" if value is None else value), STYLES["cellbold" if bold else "cell"])


def table(header: Sequence[str], rows: Sequence[Sequence], widths: Sequence[float] | None = None) -> Table:
    """``widths`` are fractions of the frame width (None: equal)."""
    n = len(header)
    fr = list(widths) if widths else [1 / n] * n
    total = sum(fr)
    col_widths = [FRAME_WIDTH * f / total for f in fr]
    head = [Paragraph(f'<font color="white">{markup(h)}</font>', STYLES["cellbold"]) for h in header]
    data = [head] + [[c if isinstance(c, Paragraph) else cell(c) for c in r] for r in rows]
    t = Table(data, colWidths=col_widths, repeatRows=1)
    style = [
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


def pairs(rows: Sequence[tuple[str, object]], key_width: float = 0.28) -> Table:
    """A two-column label/value block (cover, subject facts)."""
    data = [[cell(k, bold=True), v if isinstance(v, Paragraph) else cell(v)] for k, v in rows]
    t = Table(data, colWidths=[FRAME_WIDTH * key_width, FRAME_WIDTH * (1 - key_width)])
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
    ]))
    return t
