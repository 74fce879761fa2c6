"""A thin Qt model over a core ``RowSource`` (STYLE habit 4).

Pages of ``PAGE`` rows are fetched on demand by a background thread (a few
milliseconds each, by ``rowid`` range in the core, so the UI thread never waits
for DuckDB) and their cells are formatted once per page; at
most ``MAX_PAGES`` pages are kept, so memory stays bounded whatever the size of
the result — 10 million rows scroll like 10 thousand.  Sorting and filtering are
not done here: the panel asks the core for a derived source in a worker and
swaps it in with ``set_source``.

Handling is shown on the rows: when a result carries ``source_id`` (and
``handling_id``), hovering any cell of a row shows that row's handling, and the
``source_id`` cell wears the source's TLP colours.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import logging
import threading
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from ui import tlp as tlpmod
from ui import verification
from workstation.rowsource import RowSource

log = logging.getLogger(__name__)

PAGE = 256
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_SHOWN = frozenset((_DISPLAY, _TOOLTIP, _BACKGROUND, _FOREGROUND))
MAX_PAGES = 24
MAX_CELL = 500


def format_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}" if abs(v) < 1e15 else str(v)
    if isinstance(v, decimal.Decimal):
        return format(v.normalize(), "f") if v == v.to_integral() else str(v)
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, bytes):
        return f"<{len(v):,} bytes>"
    if isinstance(v, list | dict):
        s = json.dumps(v, ensure_ascii=False, default=str)
    else:
        s = str(v)
    s = s.replace("\n", " ⏎ ")
    return s if len(s) <= MAX_CELL else s[:MAX_CELL] + "…"


class _Page:
    __slots__ = ("cells", "raw_src", "raw_hnd", "src_text")

    def __init__(self, cells: list[list[str]], raw_src: list | None, raw_hnd: list | None) -> None:
        self.cells = cells
        self.raw_src = raw_src
        self.raw_hnd = raw_hnd
        self.src_text: list[str] | None = None    # the source column as shown (badge, mark), once asked


def build_page(source: RowSource, number: int, src_col: int | None, hnd_col: int | None) -> _Page:
    """Fetch and format one page (on the fetcher thread)."""
    table = source.fetch(number * PAGE, PAGE)
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    cells = [[format_cell(v) for v in col] for col in columns]
    return _Page(cells, columns[src_col] if src_col is not None else None,
                 columns[hnd_col] if hnd_col is not None else None)


class _Fetcher:
    """One background thread that loads the pages the view asks for, newest request first.

    The view never waits for DuckDB: a cell whose page is not loaded yet shows
    empty, and fills in when the page arrives (a queued signal).  Requests the
    view no longer needs (it scrolled on) are dropped when too many pile up.
    """

    def __init__(self, model: RowSourceModel) -> None:
        self.model = model
        self.cv = threading.Condition()
        self.wanted: list[tuple[RowSource, int, int | None, int | None]] = []
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name="lintas-rowmodel-fetch")
        self.thread.start()

    def request(self, source: RowSource, number: int, src_col: int | None, hnd_col: int | None) -> None:
        with self.cv:
            key = (source, number, src_col, hnd_col)
            if key in self.wanted:
                self.wanted.remove(key)
            self.wanted.append(key)
            del self.wanted[:-MAX_PAGES]
            self.cv.notify()

    def _run(self) -> None:
        while True:
            with self.cv:
                while not self.wanted and not self.stopping:
                    self.cv.wait()
                if self.stopping:
                    return
                source, number, src_col, hnd_col = self.wanted.pop()
            try:
                page = build_page(source, number, src_col, hnd_col)
            except Exception as e:  # a closed or replaced source: nothing to show
                log.debug("page %d not loaded: %s", number, e)
                page = None
            if page is not None:
                self.model._page_ready.emit(source, number, page)

    def stop(self, wait: bool = True) -> threading.Thread:
        with self.cv:
            self.stopping = True
            self.wanted.clear()
            self.cv.notify()
        if wait:
            self.thread.join()
        return self.thread


class RowSourceModel(QAbstractTableModel):
    _page_ready = Signal(object, int, object)   # source, page number, _Page (from the fetcher thread)
    page_loaded = Signal(int)

    def __init__(self, parent=None, synchronous: bool = False) -> None:
        super().__init__(parent)
        self.source: RowSource | None = None
        self._pages: OrderedDict[int, _Page] = OrderedDict()
        self.handlings: dict = {"sources": {}, "handlings": {}}
        self.fetches = 0  # pages read from the core (tests and the benchmark read it)
        self._src_col: int | None = None
        self._hnd_col: int | None = None
        self.synchronous = synchronous   # fetch on the calling thread (scripts without an event loop)
        self._fetcher: _Fetcher | None = None
        self._page_ready.connect(self._on_page, Qt.ConnectionType.QueuedConnection)

    # -- the source ----------------------------------------------------------
    def set_source(self, source: RowSource | None, handlings: dict | None = None) -> None:
        self.beginResetModel()
        self.source = source
        self._pages.clear()
        if handlings is not None:
            self.handlings = handlings
        cols = source.columns if source is not None else []
        self._src_col = cols.index("source_id") if "source_id" in cols else None
        self._hnd_col = cols.index("handling_id") if "handling_id" in cols else None
        self.endResetModel()

    def cached_pages(self) -> int:
        return len(self._pages)

    def shutdown(self) -> None:
        if self._fetcher is not None:
            self._fetcher.stop()
            self._fetcher = None

    def release(self) -> list[threading.Thread]:
        """Show nothing and stop the page fetcher without waiting for the page it may be reading (the
        case is being closed); its thread is returned for whoever closes the case to join first."""
        self.set_source(None)
        fetcher, self._fetcher = self._fetcher, None
        return [fetcher.stop(wait=False)] if fetcher is not None else []

    def _store(self, number: int, page: _Page) -> None:
        self._pages[number] = page
        self.fetches += 1
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)

    def _page(self, number: int) -> _Page | None:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        if self.synchronous:
            page = build_page(self.source, number, self._src_col, self._hnd_col)
            self._store(number, page)
            return page
        if self._fetcher is None:
            self._fetcher = _Fetcher(self)
        self._fetcher.request(self.source, number, self._src_col, self._hnd_col)
        return None

    def _on_page(self, source: RowSource, number: int, page: _Page) -> None:
        if source is not self.source:
            return
        self._store(number, page)
        first = number * PAGE
        last = min(first + PAGE, source.count()) - 1
        if last >= first and self.columnCount():
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))
        self.page_loaded.emit(number)

    def text_widths(self, metrics, header_metrics, rows: int = 60) -> list[int]:
        """Each column's width in pixels for its header and the text of its first ``rows`` loaded rows
        (the longest few strings measured): a few milliseconds, where the view's resizeColumnsToContents
        calls ``data`` for every role of every one of those cells."""
        if self.source is None:
            return []
        page = self._pages.get(0)
        out = []
        for c, name in enumerate(self.source.columns):
            texts = [str(self.headerData(c, Qt.Orientation.Horizontal) or name)]
            w = header_metrics.horizontalAdvance(texts[0]) + 16   # room for the sort mark
            if page is not None and page.cells:
                cells = page.cells[c][:rows]
                if c == self._src_col:   # shown with its TLP label and mark
                    cells = [self.data(self.index(i, c)) or "" for i in range(min(rows, len(cells)))]
                for text in sorted(set(cells), key=len)[-3:]:
                    w = max(w, metrics.horizontalAdvance(text))
            out.append(w)
        return out

    def is_loaded(self, row: int) -> bool:
        return row // PAGE in self._pages

    # -- Qt model ------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt name)
        return 0 if parent.isValid() or self.source is None else self.source.count()

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self.source is None else len(self.source.columns)

    def data(self, index: QModelIndex, role: int = _DISPLAY) -> Any:
        # Called for every role of every visible cell at each repaint: the roles not shown return
        # before any work, and a colour is asked of the source column only.
        if role not in _SHOWN or self.source is None:
            return None
        row, col = index.row(), index.column()
        if row < 0:
            return None
        is_src = col == self._src_col
        if not is_src and (role == _BACKGROUND or role == _FOREGROUND):
            return None
        page = self._page(row // PAGE)
        i = row % PAGE
        if page is None or not page.cells or i >= len(page.cells[col]):
            return None
        if role == _DISPLAY:
            if is_src:  # the source wears its TLP badge, and an unsigned one says so
                if page.src_text is None:
                    page.src_text = [self._source_text(page, r) for r in range(len(page.cells[col]))]
                return page.src_text[i]
            return page.cells[col][i]
        if role == _TOOLTIP:
            handling = self._row_handling(page, i)[0]
            text = page.cells[col][i]
            doubt = verification.explanation(self._signature(page, i))
            handling = "\n".join(x for x in (handling, doubt) if x)
            if handling:
                return f"{text}\n\n{handling}" if text else handling
            return text or None
        tlp = self._row_handling(page, i)[1]
        if tlp:
            if role == _BACKGROUND:
                return QColor(tlpmod.BADGE_BACKGROUND)
            return tlpmod.colour(tlp)
        return None

    def _source_text(self, page: _Page, i: int) -> str:
        text = page.cells[self._src_col][i]
        tlp = self._row_handling(page, i)[1]
        text = f"{text}  {tlpmod.label(tlp)}" if tlp else text
        mark = verification.mark(self._signature(page, i))
        return f"{text} · {mark}" if mark else text

    def _signature(self, page: _Page, i: int) -> str | None:
        """The signature status of the row's source (``rowsource.handling_index`` holds it)."""
        if page.raw_src is None:
            return None
        return (self.handlings["sources"].get(page.raw_src[i]) or {}).get("signature_status")

    def _row_handling(self, page: _Page, i: int) -> tuple[str, str | None]:
        if page.raw_src is None:
            return "", None
        src = page.raw_src[i]
        h = None
        if page.raw_hnd is not None and page.raw_hnd[i] is not None:
            h = self.handlings["handlings"].get(page.raw_hnd[i])
        s = self.handlings["sources"].get(src)
        if h is None:
            h = s
        if h is None:
            return "", None
        where = ""
        if s is not None:
            where = f"#{src} {s.get('title') or ''}".strip()
        return (f"{where}\n{tlpmod.handling_text(h)}" if where else tlpmod.handling_text(h)), h.get("tlp")

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if self.source is None or role != Qt.ItemDataRole.DisplayRole:
            if (role == Qt.ItemDataRole.ToolTipRole and self.source is not None
                    and orientation == Qt.Orientation.Horizontal):
                return f"{self.source.columns[section]} ({self.source.types[section]})"
            return None
        if orientation == Qt.Orientation.Horizontal:
            name = self.source.columns[section]
            if self.source.order and self.source.order[0] == name:
                name += " ▼" if self.source.order[1] else " ▲"
            return name
        return f"{section + 1:,}"
