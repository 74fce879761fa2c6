"""Page layout of dossiers: A4, TLP header and footer on every page, contents, bookmarks.

The header and footer are drawn when the document is saved, once the number of pages is
known, so every page says "page X of Y".  Documents are written in reportlab's invariant
mode with the time stamp set from the caller: the same inputs and time give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph
from reportlab.platypus.tableofcontents import TableOfContents

from . import tlp as tlp_mark
from .fonts import BOLD, REGULAR, label_runs, visual

PAGE = A4
MARGIN = 18 * mm
TOP = 22 * mm
BOTTOM = 20 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN
GREY = colors.HexColor("#555555")
LIGHT = colors.HexColor("#EEEEEE")


@dataclass
class Marking:
    """What every page carries."""
    tlp: str
    dossier_id: str
    running_title: str
    page_label: Callable[[int, int], str]    # (page, pages) -> "page 3 of 12"


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12, alignment=TA_LEFT,
                          shaping=1)   # runs in fonts.SHAPED only (see shaping)
    s = {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.2),
        "cellbold": ParagraphStyle("cellbold", parent=base, fontName=BOLD, fontSize=7.5, leading=9.2),
        "note": ParagraphStyle("note", parent=base, fontSize=8, leading=10.5, textColor=GREY),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=15, leading=19, spaceBefore=4,
                             spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=10,
                             spaceAfter=5),
        "h3": ParagraphStyle("h3", parent=base, fontName=BOLD, fontSize=9.5, leading=12.5, spaceBefore=6,
                             spaceAfter=3),
        "tochead": ParagraphStyle("tochead", parent=base, fontName=BOLD, fontSize=15, leading=19,
                                  spaceAfter=10),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=22, leading=28, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=12, leading=16, textColor=GREY),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=10, leading=15),
        "toc2": ParagraphStyle("toc2", parent=base, fontSize=8.5, leading=12, leftIndent=14),
    }
    return s


STYLES = _styles()


def canvas_class(marking: Marking, stamp: dt.datetime) -> type:
    """A canvas that defers pages until save, then draws the marking with the page count."""

    class DossierCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            kwargs["invariant"] = 1
            super().__init__(*args, **kwargs)
            ts = TimeStamp(1)
            when = stamp.astimezone(dt.UTC) if stamp.tzinfo else stamp
            ts.t = when.replace(tzinfo=dt.UTC).timestamp()
            ts.lt = when.timetuple()
            ts.YMDhms = tuple(ts.lt)[:6]
            self._doc._timeStamp = ts
            self._saved_pages: list[dict] = []

        def showPage(self):
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._draw_marking(total)
                super().showPage()
            super().save()

        def _draw_marking(self, total: int) -> None:
            w, h = PAGE
            n = self._pageNumber
            self.saveState()
            # header
            tlp_mark.draw(self, w - MARGIN, h - 13 * mm, marking.tlp, size=9, anchor="right")
            title = visual(marking.running_title[:110])
            self.setFillColor(GREY)
            x = MARGIN
            for t, font, width in label_runs(title, 7.5):
                self.setFont(font, 7.5)
                self.drawString(x, h - 12 * mm, t)
                x += width
            self.setStrokeColor(LIGHT)
            self.line(MARGIN, h - 15 * mm, w - MARGIN, h - 15 * mm)
            # footer
            self.line(MARGIN, 14 * mm, w - MARGIN, 14 * mm)
            tlp_mark.draw(self, w - MARGIN, 7.5 * mm, marking.tlp, size=9, anchor="right")
            self.setFillColor(GREY)
            self.setFont(REGULAR, 7.5)
            self.drawString(MARGIN, 9 * mm, marking.dossier_id)
            self.drawCentredString(w / 2, 9 * mm, marking.page_label(n, total))
            self.restoreState()

    return DossierCanvas


class DossierTemplate(BaseDocTemplate):
    """A4 with one frame; headings feed the contents and the PDF bookmarks."""

    def __init__(self, out, title: str, author: str, subject: str, lang: str, **kw):
        super().__init__(out, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP,
                         bottomMargin=BOTTOM, title=title, author=author, subject=subject,
                         creator="Lintas", producer="Lintas (reportlab)", lang=lang, invariant=1, **kw)
        frame = Frame(MARGIN, BOTTOM, PAGE[0] - 2 * MARGIN, PAGE[1] - TOP - BOTTOM, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self._heading_seq = 0

    def afterFlowable(self, flowable):
        if not isinstance(flowable, Paragraph):
            return
        level = {"h1": 0, "h2": 1}.get(flowable.style.name)
        if level is None:
            return
        key = f"h{self._heading_seq}"
        self._heading_seq += 1
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(outline_text(flowable), key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, toc_markup(flowable), self.page, key))

    def handle_documentBegin(self):
        self._heading_seq = 0
        super().handle_documentBegin()


def heading(text_markup: str, style: str, logical: str) -> Paragraph:
    """A heading: ``text_markup`` as drawn (shaped, fonts chosen), ``logical`` the plain text in
    reading order for the PDF outline (bookmarks are shown by the viewer with its own fonts)."""
    p = Paragraph(text_markup, STYLES[style])
    p._outline = logical
    return p


def outline_text(p: Paragraph) -> str:
    return getattr(p, "_outline", None) or p.getPlainText()


def toc_markup(p: Paragraph) -> str:
    """The heading's own markup, so the contents draws it with the same fonts (CJK, Arabic)."""
    return getattr(p, "text", None) or p.getPlainText()


def contents() -> TableOfContents:
    toc = TableOfContents()
    toc.levelStyles = [STYLES["toc1"], STYLES["toc2"]]
    toc.dotsMinLevel = 0
    return toc


def prime_contents(story: list) -> None:
    """Give the contents its entries before the first pass (page numbers still unknown).

    Laid out with the right number of lines from the start, the pages do not move between
    passes, so reportlab needs two passes instead of three (each pass lays out every page)."""
    def walk(items):
        for f in items:
            inner = getattr(f, "_content", None)
            if isinstance(inner, list):
                yield from walk(inner)
            else:
                yield f

    heads = [f for f in walk(story) if isinstance(f, Paragraph) and f.style.name in ("h1", "h2")]
    entries = [({"h1": 0, "h2": 1}[f.style.name], toc_markup(f), 0, f"h{i}") for i, f in enumerate(heads)]
    for f in story:
        if isinstance(f, TableOfContents):
            f._entries = list(entries)
