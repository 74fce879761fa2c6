"""The audit log viewer: every entry, its details, and whether the hash chain is intact.

Every search, profile, judgement and import is an entry, so a case in use holds thousands: reading
them, re-hashing the chain and laying them out took 0.6 s on the UI thread at 3,000 entries, after
every import and judgement.  The entries are now rows of a model (nothing is laid out per cell), and
a log larger than ``SYNC_LIMIT`` is read and verified in the panel's worker.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import core
from ui.workers import JobList, Worker, esc_cancels

SYNC_LIMIT = 100   # a log of 500 entries took 50-80 ms to read, verify and lay out on the UI thread
"""Up to this many entries the log is read and verified at once (tens of ms); a larger one in the worker."""


def summary(params: dict) -> str:
    """One readable line of an entry's parameters (hashes left to the detail pane)."""
    parts = []
    for k, v in params.items():
        if v in (None, "", [], {}) or "sha256" in k or k.endswith("hash"):
            continue
        if isinstance(v, dict | list):
            v = json.dumps(v, ensure_ascii=False, default=str)
        text = " ".join(str(v).split())
        parts.append(f"{k}: {text[:80] + '…' if len(text) > 80 else text}")
    return " · ".join(parts)


def _row(e: dict) -> tuple[str, str, str, str, str]:
    action = core(e["action"])   # the recorded name stays beside its translation (evidence)
    action = e["action"] if action == e["action"] else f"{action} ({e['action']})"
    return (str(e["seq"]), e["time_utc"].replace("T", " ").rstrip("Z")[:19], e["os_user"], action,
            summary(e["params"])[:300])


def read_log(case, entries: list[dict] | None = None, progress=None) -> dict[str, Any]:
    """The log's entries (newest first), each as the table's five cells, and the chain's verification."""
    entries = case.audit_entries() if entries is None else entries
    if progress is not None:
        progress(0.5, "verifying the audit log")
    verification = case.verify_audit()
    newest_first = list(reversed(entries))
    return {"entries": newest_first, "rows": [_row(e) for e in newest_first], "verification": verification}


class _Cell:
    """A cell as ``QTableWidgetItem`` offers it (``text``, ``data``): what callers of the former table
    widget read."""

    def __init__(self, text: str, seq: int) -> None:
        self._text = text
        self._seq = seq

    def text(self) -> str:
        return self._text

    def data(self, role: int) -> Any:
        return self._seq if role == Qt.ItemDataRole.UserRole else self._text


class AuditModel(QAbstractTableModel):
    def __init__(self, headers: list[str], parent=None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[tuple[str, ...]] = []
        self.seqs: list[int] = []
        self.first_bad: int | None = None

    def set_rows(self, rows: list[tuple[str, ...]], seqs: list[int], first_bad: int | None) -> None:
        self.beginResetModel()
        self.rows, self.seqs, self.first_bad = rows, seqs, first_bad
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt name)
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return self.seqs[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole and self.first_bad is not None \
                and self.seqs[index.row()] >= self.first_bad:
            return QColor("#c0392b")
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


class AuditTable(QTableView):
    """The entries, newest first; ``rowCount()`` and ``item(row, column)`` as the table widget had them."""

    def rowCount(self) -> int:  # noqa: N802 (the table widget's name)
        return self.model().rowCount()

    def item(self, row: int, column: int) -> _Cell | None:
        m = self.model()
        if not (0 <= row < m.rowCount() and 0 <= column < m.columnCount()):
            return None
        return _Cell(m.rows[row][column], m.seqs[row])


class AuditPanel(QWidget):
    def __init__(self, parent=None, jobs: JobList | None = None) -> None:
        super().__init__(parent)
        self.case = None
        self.entries: list[dict] = []     # newest first, as shown
        self.shown: list[int] = []        # indexes into entries of the rows shown (the filter's)
        self._rows: list[tuple[str, ...]] = []
        self._first_bad: int | None = None
        self.verification = None
        self.worker = Worker("audit", jobs, self)
        esc_cancels(self, self.worker.cancel)      # reading and verifying the log
        self.status = QLabel()
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter by action, user or details…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumWidth(280)   # its hint readable, not cut to "Filter by action, …"
        self.filter.textChanged.connect(self._apply_filter)
        self.verify_button = QPushButton(self.tr("Verify again"))
        self.verify_button.clicked.connect(self.refresh)
        self.model = AuditModel([self.tr("Seq"), self.tr("Time (UTC)"), self.tr("User"), self.tr("Action"),
                                 self.tr("Details")], self)
        self.table = AuditTable()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(200)     # widths from the newest 200 rows, not every entry
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._show_detail)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.filter)
        top.addWidget(self.verify_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(split)

    def set_case(self, case, read: bool = True) -> None:
        """Show ``case``'s log; with ``read`` false the log shown before is cleared and the caller calls
        ``refresh`` (the window does, once it has read the rest of the case on its worker)."""
        self.worker.shutdown()
        if not read:
            self.case = None
            self.refresh()      # clears
        self.case = case
        if read:
            self.refresh()

    def refresh(self) -> None:
        self.detail.clear()
        if self.case is None:
            self.entries, self.shown, self._rows = [], [], []
            self.model.set_rows([], [], None)
            self.status.clear()
            return
        case = self.case
        first = case.audit_entries(limit=SYNC_LIMIT + 1)    # a small log is read at once
        if len(first) <= SYNC_LIMIT:
            self.worker.cancel()
            self._show(read_log(case, first))
            return
        self.status.setText(self.tr("Reading and verifying the audit log…"))
        self.status.setStyleSheet("")
        self.worker.start(self.tr("Audit log"), lambda p: read_log(case, None, p), self._show)

    def _show(self, log: dict) -> None:
        self.entries = log["entries"]
        v = log["verification"]
        self.verification = v
        self._rows = log["rows"]
        self._first_bad = None if v.ok else v.first_bad_seq
        if v.ok:
            self.status.setText("✔ " + self.tr("Audit log intact: {0} entries, hash chain verified").format(v.entries))
            self.status.setStyleSheet("color: #1e8449; font-weight: bold;")
        else:
            self.status.setText("✖ " + self.tr("AUDIT LOG TAMPERED: first bad entry {0} — {1}").format(
                v.first_bad_seq, "; ".join(core(p) for p in v.problems[:2])))
            self.status.setStyleSheet("color: #c0392b; font-weight: bold;")
        self._apply_filter()
        self._fit_columns()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        if self.model.rowCount():
            self.table.selectRow(0)

    def _fit_columns(self) -> None:
        """The first four columns as wide as their header and the newest 200 rows' text (the longest few
        strings measured): resizeColumnsToContents asked the model for every role of those cells, in
        Python, 50 ms of a 500-entry log's refresh on the UI thread."""
        fm, hm = self.table.fontMetrics(), self.table.horizontalHeader().fontMetrics()
        rows = self.model.rows[:200]
        for c in range(4):
            w = hm.horizontalAdvance(self.model.headers[c]) + 16
            for text in sorted({r[c] for r in rows}, key=len)[-3:]:
                w = max(w, fm.horizontalAdvance(text))
            self.table.setColumnWidth(c, min(w + 14, 420))

    def _apply_filter(self) -> None:
        rows = self._rows
        text = self.filter.text().strip().lower()
        self.shown = [i for i, r in enumerate(rows)
                      if not text or text in " ".join((r[2], r[3], r[4])).lower()]
        self.model.set_rows([rows[i] for i in self.shown], [self.entries[i]["seq"] for i in self.shown],
                            self._first_bad)

    def _show_detail(self, *_args) -> None:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        if not rows:
            return
        e = self.entries[self.shown[min(rows)]]
        self.detail.setPlainText(json.dumps(
            {"seq": e["seq"], "time_utc": e["time_utc"], "user": e["os_user"], "action": e["action"],
             "params": e["params"], "result": e["result"], "hash": e["hash"], "prev_hash": e["prev_hash"]},
            indent=2, ensure_ascii=False, default=str))

    def shutdown(self) -> None:
        self.worker.shutdown()
