"""The audit log viewer: every entry, its details, and whether the hash chain is intact."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import core


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


class AuditPanel(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.case = None
        self.entries: list[dict] = []
        self.status = QLabel()
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter by action, user or details…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.verify_button = QPushButton(self.tr("Verify again"))
        self.verify_button.clicked.connect(self.refresh)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Seq"), self.tr("Time (UTC)"), self.tr("User"), self.tr("Action"), self.tr("Details")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_detail)
        self.table.setWordWrap(False)
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

    def set_case(self, case) -> None:
        self.case = case
        self.refresh()

    def refresh(self) -> None:
        self.table.setRowCount(0)
        self.detail.clear()
        if self.case is None:
            self.status.clear()
            return
        self.entries = self.case.audit_entries()
        self.table.setRowCount(len(self.entries))
        for r, e in enumerate(reversed(self.entries)):  # newest first
            details = summary(e["params"])
            action = core(e["action"])   # the recorded name stays beside its translation (evidence)
            action = e["action"] if action == e["action"] else f"{action} ({e['action']})"
            for c, text in enumerate([str(e["seq"]), e["time_utc"].replace("T", " ").rstrip("Z")[:19],
                                      e["os_user"], action, details[:300]]):
                it = QTableWidgetItem(text)
                if c == 0:
                    it.setData(Qt.ItemDataRole.UserRole, e["seq"])
                self.table.setItem(r, c, it)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        v = self.case.verify_audit()
        self.verification = v
        if v.ok:
            self.status.setText("✔ " + self.tr("Audit log intact: {0} entries, hash chain verified").format(v.entries))
            self.status.setStyleSheet("color: #1e8449; font-weight: bold;")
        else:
            self.status.setText("✖ " + self.tr("AUDIT LOG TAMPERED: first bad entry {0} — {1}").format(
                v.first_bad_seq, "; ".join(core(p) for p in v.problems[:2])))
            self.status.setStyleSheet("color: #c0392b; font-weight: bold;")
            for r in range(self.table.rowCount()):
                seq = self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)
                if v.first_bad_seq is not None and seq >= v.first_bad_seq:
                    for c in range(5):
                        self.table.item(r, c).setForeground(Qt.GlobalColor.red)
        self._apply_filter()
        if self.table.rowCount():
            self.table.selectRow(0)

    def _apply_filter(self) -> None:
        text = self.filter.text().strip().lower()
        for r in range(self.table.rowCount()):
            hay = " ".join(self.table.item(r, c).text().lower() for c in (2, 3, 4))
            self.table.setRowHidden(r, bool(text) and text not in hay)

    def _show_detail(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if not rows:
            return
        seq = self.table.item(min(rows), 0).data(Qt.ItemDataRole.UserRole)
        e = next((x for x in self.entries if x["seq"] == seq), None)
        if e is None:
            return
        self.detail.setPlainText(json.dumps(
            {"seq": e["seq"], "time_utc": e["time_utc"], "user": e["os_user"], "action": e["action"],
             "params": e["params"], "result": e["result"], "hash": e["hash"], "prev_hash": e["prev_hash"]},
            indent=2, ensure_ascii=False, default=str))
