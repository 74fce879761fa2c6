"""The SQL console: editor, lazy result grid, saved queries and history.

The query runs in the panel's worker (``RowStore.from_sql``: the guarded
analyst SQL of ``workstation.query``, materialised once so that any page of the
result is a few milliseconds away).  Cancel interrupts DuckDB.  Sorting (click a
column header) and filtering (the filter box) ask the core for a derived result
in SQL; nothing is sorted or filtered in Python.
"""

from __future__ import annotations

import logging
import re
import time

from PySide6.QtCore import QRegularExpression, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeySequence,
    QShortcut,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.errors import show_error
from ui.i18n import core
from ui.rowmodel import RowSourceModel
from ui.workers import JobList, Worker
from workstation import rowsource
from workstation.errors import Cancelled, LintasError

log = logging.getLogger(__name__)

KEYWORDS = (
    "select from where group by order having limit offset join left right inner outer full cross on using "
    "as and or not in is null like ilike between case when then else end distinct union all except "
    "intersect with asc desc nulls first last count sum avg min max cast describe show summarize "
    "explain qualify over partition window filter exists true false any list struct unnest"
).split()


class SqlHighlighter(QSyntaxHighlighter):
    def __init__(self, document) -> None:
        super().__init__(document)
        self.set_colours()

    def set_colours(self) -> None:
        """Colours for the current theme (called again when the theme changes)."""
        dark = theme.is_dark()

        def fmt(colour: str, bold: bool = False, italic: bool = False) -> QTextCharFormat:
            f = QTextCharFormat()
            f.setForeground(QColor(colour))
            if bold:
                f.setFontWeight(QFont.Weight.Bold)
            f.setFontItalic(italic)
            return f

        self.rules = [
            (QRegularExpression(r"\b(" + "|".join(KEYWORDS) + r")\b",
                                QRegularExpression.PatternOption.CaseInsensitiveOption),
             fmt("#7fb0ff" if dark else "#1f4fa8", bold=True)),
            (QRegularExpression(r"\b\d+(\.\d+)?\b"), fmt("#e0a060" if dark else "#a05a00")),
            (QRegularExpression(r"'([^']|'')*'"), fmt("#8fd08f" if dark else "#1d7a2f")),
            (QRegularExpression(r'"([^"]|"")*"'), fmt("#d0a0e0" if dark else "#7a2f8f")),
            (QRegularExpression(r"--[^\n]*"), fmt("#8a8d93" if dark else "#808080", italic=True)),
        ]
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt name)
        for rx, f in self.rules:
            it = rx.globalMatch(text)
            while it.hasNext():
                m = it.next()
                self.setFormat(m.capturedStart(), m.capturedLength(), f)


class SqlEditor(QPlainTextEdit):
    """Plain-text SQL with completion of table and column names (Ctrl+Space, or as you type)."""

    run_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        self.setTabStopDistance(4 * self.fontMetrics().horizontalAdvance(" "))
        self.highlighter = SqlHighlighter(self.document())
        self.completer = QCompleter(self)
        self.completer.setWidget(self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.activated.connect(self._insert_completion)
        self.names = QStringListModel(self)
        self.completer.setModel(self.names)

    def set_names(self, names: dict[str, list[str]]) -> None:
        words = set(names)
        for cols in names.values():
            words.update(cols)
        words.update(k.upper() for k in KEYWORDS)
        self.names.setStringList(sorted(words, key=str.lower))

    def _word(self) -> str:
        tc = self.textCursor()
        tc.select(QTextCursor.SelectionType.WordUnderCursor)
        return tc.selectedText()

    def _insert_completion(self, text: str) -> None:
        tc = self.textCursor()
        prefix = self.completer.completionPrefix()
        tc.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(prefix))
        tc.insertText(text)
        self.setTextCursor(tc)

    def complete(self, force: bool = False) -> None:
        prefix = self._word()
        if not force and len(prefix) < 2 or not re.fullmatch(r"\w*", prefix):
            self.completer.popup().hide()
            return
        self.completer.setCompletionPrefix(prefix)
        if self.completer.completionCount() == 0:
            self.completer.popup().hide()
            return
        rect = self.cursorRect()
        rect.setWidth(self.completer.popup().sizeHintForColumn(0) + 30)
        self.completer.complete(rect)

    def keyPressEvent(self, e) -> None:  # noqa: N802 (Qt name)
        popup = self.completer.popup()
        if popup.isVisible() and e.key() in (Qt.Key.Key_Enter, Qt.Key.Key_Return, Qt.Key.Key_Tab,
                                             Qt.Key.Key_Escape, Qt.Key.Key_Backtab):
            e.ignore()
            return
        mods = e.modifiers()
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods & Qt.KeyboardModifier.ControlModifier:
            self.run_requested.emit()
            return
        if e.key() == Qt.Key.Key_Space and mods & Qt.KeyboardModifier.ControlModifier:
            self.complete(force=True)
            return
        super().keyPressEvent(e)
        if e.text() and (e.text().isalnum() or e.text() == "_"):
            self.complete()
        else:
            popup.hide()


class _Ran:
    """A query's result with the saved queries and history read after it (on the worker); ``close``
    drops the result, as the worker does with a result nobody will show."""

    def __init__(self, result: rowsource.RowSource, saved: list[dict], history: list[dict]) -> None:
        self.result, self.saved, self.history = result, saved, history

    def close(self) -> None:
        self.result.close()


class ConsolePanel(QWidget):
    """SQL console for one case."""

    result_ready = Signal(int)  # rows
    saved_changed = Signal()

    def __init__(self, jobs: JobList, parent=None) -> None:
        super().__init__(parent)
        self.case = None
        self.store: rowsource.RowStore | None = None
        self.worker = Worker("console", jobs, self)
        self.save_worker = Worker("console-save", jobs, self)
        self.drop_worker = Worker("console-drop", None, self)   # drops results nobody shows any more
        self.root_result: rowsource.RowSource | None = None
        self.handlings: dict = {"sources": {}, "handlings": {}}
        self._t0 = 0.0

        self.editor = SqlEditor()
        self.editor.setPlaceholderText(self.tr("SELECT * FROM calls LIMIT 100   — Ctrl+Enter runs, "
                                               "Ctrl+Space completes table and column names"))
        self.editor.run_requested.connect(self.run)
        self.run_button = QPushButton(self.tr("Run"))
        self.run_button.setToolTip(self.tr("Run the query (Ctrl+Enter)"))
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop the running query (Esc)"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button = QPushButton(self.tr("Save query…"))
        self.save_button.clicked.connect(self.save_query_dialog)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Write the whole result to CSV, XLSX or Parquet"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_dialog)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter rows (any column contains…)"))
        self.filter.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self, singleShot=True, interval=350)
        self._filter_timer.timeout.connect(self._apply_view)
        self.filter.textChanged.connect(lambda _t: self._filter_timer.start())
        self.status = QLabel(self.tr("Write a query and press Ctrl+Enter."))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setWordWrap(True)

        self.model = RowSourceModel(self)
        self._fit_pending = False
        self.model.page_loaded.connect(self._page_loaded)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vh = self.view.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.view.fontMetrics().height() + 6)
        hh = self.view.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setDefaultSectionSize(140)
        hh.setSectionsClickable(True)
        hh.sectionClicked.connect(self._sort_by)
        hh.setResizeContentsPrecision(60)  # size columns from the first rows only, never the whole result
        self._order: tuple[str, bool] | None = None

        self.saved = QListWidget()
        self.saved.itemActivated.connect(lambda it: self.editor.setPlainText(it.data(Qt.ItemDataRole.UserRole)))
        self.history = QListWidget()
        self.history.itemActivated.connect(lambda it: self.editor.setPlainText(it.data(Qt.ItemDataRole.UserRole)))
        side = QTabWidget()
        side.setMinimumWidth(240)
        side.setDocumentMode(True)
        side.addTab(self.saved, self.tr("Saved queries"))
        side.addTab(self.history, self.tr("History"))
        self.side = side

        buttons = QHBoxLayout()
        for w in (self.run_button, self.cancel_button, self.save_button, self.export_button):
            buttons.addWidget(w)
        buttons.addWidget(self.filter, 1)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.editor)
        tl.addLayout(buttons)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.status)
        bl.addWidget(self.view, 1)
        vsplit = QSplitter(Qt.Orientation.Vertical)
        vsplit.addWidget(top)
        vsplit.addWidget(bottom)
        vsplit.setStretchFactor(0, 1)
        vsplit.setStretchFactor(1, 3)
        vsplit.setSizes([170, 600])
        hsplit = QSplitter(Qt.Orientation.Horizontal)
        hsplit.addWidget(vsplit)
        hsplit.addWidget(side)
        hsplit.setStretchFactor(0, 4)
        hsplit.setStretchFactor(1, 1)
        hsplit.setSizes([900, 240])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(hsplit)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.cancel)

    # -- the case ---------------------------------------------------------------
    def set_case(self, case, store: rowsource.RowStore | None) -> None:
        """Show ``case`` with nothing of it read yet: its table names, sources' handling, saved queries and
        history come with the window's refresh (``fill_lists``, read on a worker), not from this thread."""
        self.worker.shutdown()
        self.save_worker.shutdown()
        self._drop_results()
        self.case, self.store = case, store
        self.editor.set_names({})
        self.handlings = {"sources": {}, "handlings": {}}
        self.fill_lists([], [])
        self.status.setText(self.tr("Write a query and press Ctrl+Enter."))

    def release_case(self) -> list:
        """Let go of the case being closed without waiting: its jobs cancelled and forgotten, its results
        no longer shown (their tables go with the case).  The threads still running are returned, for
        whoever closes the case to join first."""
        threads = self.worker.release() + self.save_worker.release() + self.drop_worker.release()
        threads += self.model.release()
        self.root_result = None
        self.export_button.setEnabled(False)
        self._set_running(False)
        self.case, self.store = None, None
        return threads

    def refresh_lists(self) -> None:
        if self.case is None:
            return
        self.fill_lists(rowsource.saved_queries(self.case.con), rowsource.query_history(self.case.con))

    def fill_lists(self, saved: list[dict], history: list[dict]) -> None:
        """Show the saved queries and the history (read by the caller, on a worker or not)."""
        self.saved.clear()
        for q in saved:
            it = QListWidgetItem(q["name"])
            it.setData(Qt.ItemDataRole.UserRole, q["sql"])
            it.setToolTip(q["sql"] + (f"\n\n{q['description']}" if q["description"] else ""))
            self.saved.addItem(it)
        self.history.clear()
        for h in history:
            first = " ".join(h["sql"].split())[:80]
            it = QListWidgetItem(f"{h['time_utc'][:19].replace('T', ' ')}  {first}")
            it.setData(Qt.ItemDataRole.UserRole, h["sql"])
            rows = h["rows"] if h["rows"] is not None else "?"
            it.setToolTip(self.tr("{0}\n\n{1} rows, by {2}").format(h["sql"], rows, h["user"]))
            self.history.addItem(it)

    # -- running ---------------------------------------------------------------
    def run(self, sql: str | None = None) -> None:
        if self.case is None or self.store is None:
            return
        sql = sql if isinstance(sql, str) else self.editor.toPlainText()
        if not sql.strip():
            return
        store = self.store
        # The old result's tables are dropped by the new job, once a sort or export still reading them
        # has stopped (cancelled by the start below): neither waits on this thread.
        running = [j.thread for j in self.worker._all if j.thread is not None and j.running]
        old = self._take_results()
        self._order = None
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.blockSignals(False)
        self._t0 = time.monotonic()
        self._set_running(True, self.tr("Running…"))
        case = self.case

        def work(progress):
            for t in running:
                t.join()
            for rs in old:
                rs.close()
            t0 = time.monotonic()
            rs = store.from_sql(sql, progress)
            # Audited here, off the UI thread: the case's write lock may be held by another
            # panel's job (an index build, an import) for seconds.
            try:
                rowsource.record_query(case, sql, rs.count(), time.monotonic() - t0)
            except LintasError as e:
                log.warning("query not recorded in the audit log: %s", e)
            try:   # the history with this query in it, read here too
                cur = case.cursor()
                try:
                    return _Ran(rs, rowsource.saved_queries(cur), rowsource.query_history(cur))
                finally:
                    cur.close()
            except BaseException:
                rs.close()
                raise

        self.worker.start(self.tr("Query"), work, lambda ran: self._shown(ran.result, sql, ran), self._failed)

    def cancel(self) -> None:
        self.worker.cancel()

    def _set_running(self, running: bool, message: str | None = None) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if message is not None:
            self.status.setText(message)

    def _shown(self, rs: rowsource.RowSource, sql: str, ran: _Ran | None = None) -> None:
        seconds = time.monotonic() - self._t0
        self.root_result = rs
        self.model.set_source(rs, self.handlings)
        self._fit_pending = True
        self._set_running(False, self.tr("{0} rows in {1:.2f} s").format(f"{rs.count():,}", seconds))
        self.export_button.setEnabled(True)
        if ran is not None:
            self.fill_lists(ran.saved, ran.history)
        self.result_ready.emit(rs.count())

    def _page_loaded(self, number: int) -> None:
        if self._fit_pending:  # size the columns from the first rows once they are there
            self._fit_pending = False
            self._fit_columns()

    def _fit_columns(self) -> None:
        """Columns as wide as the header and the first rows' text (60 to 360 pixels).  Measured here from
        the page's formatted cells: the view's own resizeColumnsToContents asks the model for every
        role of every cell, in Python, and froze the window for 100+ ms on a wide result."""
        widths = self.model.text_widths(self.view.fontMetrics(), self.view.horizontalHeader().fontMetrics(), 60)
        for c, w in enumerate(widths):
            self.view.setColumnWidth(c, max(60, min(w + 24, 360)))

    def _failed(self, e: BaseException) -> None:
        if isinstance(e, Cancelled):
            self._set_running(False, self.tr("Cancelled."))
            return
        self._set_running(False, core(str(e)) if isinstance(e, LintasError) else
                          self.tr("The query failed: {0}").format(e))

    # -- pushed-down sort and filter ----------------------------------------------
    def _sort_by(self, section: int) -> None:
        if self.root_result is None:
            return
        name = self.root_result.columns[section]
        if self._order and self._order[0] == name:
            self._order = None if self._order[1] else (name, True)
        else:
            self._order = (name, False)
        self._apply_view()

    def _apply_view(self) -> None:
        root = self.root_result
        if root is None:
            return
        text = self.filter.text().strip()
        order = self._order
        if not text and order is None:
            self._show_view(root)
            return
        self._set_running(True, self.tr("Sorting and filtering…"))
        self.worker.start(self.tr("Sort/filter"), lambda p: root.derive(order, text or None, p),
                          self._show_view, self._failed)

    def _show_view(self, rs: rowsource.RowSource) -> None:
        old = self.model.source
        self.model.set_source(rs, self.handlings)
        if old is not None and old is not self.root_result and old is not rs:
            self._dispose([old])
        total = self.root_result.count() if self.root_result else rs.count()
        self._set_running(False, self.tr("{0} of {1} rows").format(f"{rs.count():,}", f"{total:,}"))

    def _take_results(self) -> list[rowsource.RowSource]:
        """The results shown, no longer shown (for a job to drop their tables)."""
        shown = [x for x in (self.model.source, self.root_result) if x is not None]
        self.model.set_source(None)
        self.root_result = None
        self.export_button.setEnabled(False)
        return list(dict.fromkeys(shown))

    def _dispose(self, results: list[rowsource.RowSource]) -> None:
        """Drop results' tables on a thread (freeing a large one takes a DuckDB statement)."""
        def drop(_progress) -> None:
            for r in results:
                r.close()

        if results:
            self.drop_worker.start("drop results", drop)   # not listed: no title shown

    def _drop_results(self) -> None:
        cur = self.model.source
        self.model.set_source(None)
        if cur is not None and cur is not self.root_result:
            cur.close()
        if self.root_result is not None:
            self.root_result.close()
        self.root_result = None
        self.export_button.setEnabled(False)

    # -- saving and exporting ---------------------------------------------------------
    def save_query_dialog(self) -> None:
        if self.case is None:
            return
        sql = self.editor.toPlainText()
        name, ok = QInputDialog.getText(self, self.tr("Save query"), self.tr("Name of the query:"))
        if not ok or not name.strip():
            return
        case = self.case

        def work(_progress) -> tuple[list[dict], list[dict]]:
            rowsource.save_query(case, name, sql)
            cur = case.cursor()
            try:   # the lists with it, read here too
                return rowsource.saved_queries(cur), rowsource.query_history(cur)
            finally:
                cur.close()

        self.save_worker.start(self.tr("Save query"), work, self._saved,
                               lambda e: show_error(self, self.tr("Save query"), e))

    def _saved(self, lists: tuple[list[dict], list[dict]]) -> None:
        self.fill_lists(*lists)
        self.saved_changed.emit()

    def export_dialog(self) -> None:
        rs = self.model.source
        if rs is None:
            return
        path, chosen = QFileDialog.getSaveFileName(
            self, self.tr("Export result"), "result.csv",
            self.tr("CSV (*.csv);;Excel workbook (*.xlsx);;Parquet (*.parquet)"))
        if not path:
            return
        fmt = "xlsx" if "xlsx" in chosen else "parquet" if "parquet" in chosen else "csv"
        if not path.lower().endswith("." + fmt):
            path += "." + fmt
        self.export(path, fmt)

    def export(self, path: str, fmt: str | None = None) -> None:
        rs = self.model.source
        if rs is None:
            return
        self._set_running(True, self.tr("Exporting…"))
        self.worker.start(self.tr("Export"), lambda p: rs.export(path, fmt, p),
                          lambda n: self._set_running(False, self.tr("{0} rows written to {1}")
                                                      .format(f"{n:,}", path)),
                          self._failed)

    def shutdown(self) -> None:
        self.worker.shutdown()
        self.save_worker.shutdown()
        self.drop_worker.shutdown()
        self._drop_results()
        self.model.shutdown()
