"""The main window: a case explorer, sources, row counts and the audit log."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workstation.case import SUFFIX, Case
from workstation.errors import LintasError
from workstation.settings import Settings

log = logging.getLogger(__name__)

# FIRST TLP 2.0 colours (text on black).
TLP_COLOURS = {"CLEAR": "#FFFFFF", "GREEN": "#33FF00", "AMBER": "#FFC000", "AMBER+STRICT": "#FFC000",
               "RED": "#FF2B2B"}


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.case: Case | None = None
        self.settings = Settings.load()
        self.setWindowTitle("Lintas")
        self.resize(1280, 800)

        self.explorer = QTreeWidget()
        self.explorer.setHeaderLabels([self.tr("Case"), self.tr("Details")])
        self.explorer.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)

        self.sources = QTableWidget(0, 6)
        self.sources.setHorizontalHeaderLabels(
            [self.tr("#"), self.tr("TLP"), self.tr("Title"), self.tr("Producer"),
             self.tr("Verification"), self.tr("Imported")])
        self.sources.horizontalHeader().setStretchLastSection(True)
        self.sources.verticalHeader().hide()

        self.audit = QTableWidget(0, 5)
        self.audit.setHorizontalHeaderLabels(
            [self.tr("Seq"), self.tr("Time (UTC)"), self.tr("User"), self.tr("Action"), self.tr("Details")])
        self.audit.horizontalHeader().setStretchLastSection(True)
        self.audit.verticalHeader().hide()
        self.audit_status = QLabel()
        audit_page = QWidget()
        lay = QVBoxLayout(audit_page)
        lay.addWidget(self.audit_status)
        lay.addWidget(self.audit)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.sources, self.tr("Sources"))
        self.tabs.addTab(audit_page, self.tr("Audit log"))

        self.placeholder = QLabel(self.tr("Open a case (File → Open) or create one (File → New)."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        from PySide6.QtWidgets import QDockWidget

        dock = QDockWidget(self.tr("Case explorer"), self)
        dock.setObjectName("explorer")
        dock.setWidget(self.explorer)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self.statusBar().showMessage(self.tr("No case open"))
        self._restore_layout()

    # -- menus ---------------------------------------------------------------
    def _build_menus(self) -> None:
        m = self.menuBar().addMenu(self.tr("&File"))
        act = QAction(self.tr("&New case…"), self, shortcut=QKeySequence.StandardKey.New)
        act.triggered.connect(self.new_case_dialog)
        m.addAction(act)
        act = QAction(self.tr("&Open case…"), self, shortcut=QKeySequence.StandardKey.Open)
        act.triggered.connect(self.open_case_dialog)
        m.addAction(act)
        self.recent_menu = m.addMenu(self.tr("Open &recent"))
        self._fill_recent()
        m.addSeparator()
        act = QAction(self.tr("&Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
        act.triggered.connect(self.close)
        m.addAction(act)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for p in self.settings.recent_cases:
            act = self.recent_menu.addAction(p)
            act.triggered.connect(lambda _=False, p=p: self.open_case(p))
        self.recent_menu.setEnabled(bool(self.settings.recent_cases))

    def new_case_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("New case"), "", f"Lintas case (*{SUFFIX})")
        if not path:
            return
        title, ok = QInputDialog.getText(self, self.tr("New case"), self.tr("Case title:"))
        if not ok or not title.strip():
            return
        if not path.endswith(SUFFIX):
            path += SUFFIX
        try:
            Case.create(path, title).close()
        except LintasError as e:
            QMessageBox.warning(self, self.tr("New case"), str(e))
            return
        self.open_case(path)

    def open_case_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open case"), "",
                                              f"Lintas case (*{SUFFIX});;All files (*)")
        if path:
            self.open_case(path)

    # -- the case --------------------------------------------------------------
    def open_case(self, path: str | Path) -> bool:
        try:
            case = Case.open(path)
        except LintasError as e:
            QMessageBox.warning(self, self.tr("Open case"), str(e))
            return False
        if self.case is not None:
            self.case.close()
        self.case = case
        self.settings.add_recent(path)
        self.settings.save()
        self._fill_recent()
        self.refresh()
        return True

    def refresh(self) -> None:
        case = self.case
        if case is None:
            return
        info = case.info()
        self.setWindowTitle(f"{info['title']} — Lintas")
        self.explorer.clear()
        root = QTreeWidgetItem([info["title"], info["case_ref"] or ""])
        self.explorer.addTopLevelItem(root)
        src_item = QTreeWidgetItem([self.tr("Sources"), str(len(info["sources"]))])
        root.addChild(src_item)
        for s in info["sources"]:
            item = QTreeWidgetItem([s["title"] or s["container_name"] or "?", f"TLP:{s['tlp']}"])
            item.setForeground(1, QColor("#000000"))
            item.setBackground(1, QColor(TLP_COLOURS.get(s["tlp"], "#FFFFFF")))
            src_item.addChild(item)
        kinds = QTreeWidgetItem([self.tr("Rows by kind"), f"{sum(info['rows'].values()):,}"])
        root.addChild(kinds)
        for k, n in info["rows"].items():
            kinds.addChild(QTreeWidgetItem([k, f"{n:,}"]))
        self.explorer.expandAll()

        self.sources.setRowCount(len(info["sources"]))
        for r, s in enumerate(info["sources"]):
            producer = " / ".join(x for x in (s["producer_agency"], s["producer_country"]) if x)
            cells = [str(s["source_id"]), f"TLP:{s['tlp']}", s["title"] or "", producer,
                     s["signature_status"], s["imported_at"] or ""]
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                if c == 1:
                    it.setBackground(QColor("#000000"))
                    it.setForeground(QColor(TLP_COLOURS.get(s["tlp"], "#FFFFFF")))
                self.sources.setItem(r, c, it)
        self.sources.resizeColumnsToContents()

        entries = case.audit_entries()
        self.audit.setRowCount(len(entries))
        for r, e in enumerate(entries):
            for c, text in enumerate([str(e["seq"]), e["time_utc"], e["os_user"], e["action"],
                                      str(e["params"])[:200]]):
                self.audit.setItem(r, c, QTableWidgetItem(text))
        self.audit.resizeColumnsToContents()
        v = case.verify_audit()
        self.audit_status.setText(
            self.tr("Audit log intact: {0} entries").format(v.entries) if v.ok else
            self.tr("AUDIT LOG TAMPERED: first bad entry {0}").format(v.first_bad_seq))
        self.statusBar().showMessage(
            self.tr("{0} — {1} sources, {2} rows").format(
                case.path.name, len(info["sources"]), f"{sum(info['rows'].values()):,}"))

    # -- layout ----------------------------------------------------------------
    def _restore_layout(self) -> None:
        qs = QSettings()
        geo = qs.value("main/geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        state = qs.value("main/state")
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        qs = QSettings()
        qs.setValue("main/geometry", self.saveGeometry())
        qs.setValue("main/state", self.saveState())
        if self.case is not None:
            self.case.close()
            self.case = None
        super().closeEvent(event)
