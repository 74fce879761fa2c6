"""The main window: case explorer, tabbed centre, docks, status bar with background jobs."""

from __future__ import annotations

import gc
import logging
import threading
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
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

from ui import theme, verification
from ui import tlp as tlpmod
from ui.audit_panel import AuditPanel
from ui.console import ConsolePanel
from ui.errors import show_error
from ui.i18n import core
from ui.import_dialog import ImportController
from ui.workers import JobList, JobsIndicator, Worker
from workstation import rowsource
from workstation.case import SUFFIX, Case
from workstation.errors import Cancelled, LintasError
from workstation.kinds import KINDS
from workstation.settings import Settings

log = logging.getLogger(__name__)

TLP_COLOURS = tlpmod.TLP_COLOURS  # kept for callers of the skeleton

_VERIFICATION = verification.COLOURS


def read_refresh(case) -> dict:
    """What the window shows of ``case`` (counts, sources, lists, names for completion), read
    on the calling thread with a cursor of its own."""
    cur = case.cursor()
    try:
        return {"info": case.info(), "outline": rowsource.case_outline(cur),
                "saved": rowsource.saved_queries(cur), "names": rowsource.schema_names(cur),
                "handlings": rowsource.handling_index(cur), "history": rowsource.query_history(cur)}
    finally:
        cur.close()


class _Opened:
    """A case the open worker opened; ``close`` (a superseded or cancelled opening) closes it on a thread."""

    def __init__(self, case: Case, window: MainWindow) -> None:
        self.case, self.window = case, window

    def close(self) -> None:
        self.window._close_later(self.case)


class MainWindow(QMainWindow):
    case_opened = Signal(object)
    dossier_done = Signal(object)
    refreshed = Signal()           # the window shows the case as it is now (after ``refresh``)

    def __init__(self) -> None:
        super().__init__()
        self.case: Case | None = None
        self.store: rowsource.RowStore | None = None
        self.settings = Settings.load()
        self.setWindowTitle("Lintas")
        self.resize(1400, 860)
        self.setAcceptDrops(True)
        self.jobs = JobList(self)
        self.dossier_subjects: list[tuple[str, str]] = []
        self.folder_dialog: QFileDialog | None = None   # the bundle-folder chooser, while open
        self.dossier_worker = Worker("dossier", self.jobs, self)
        self.open_worker = Worker("open", self.jobs, self)      # opening (or creating) a case
        self._after_open: list = []                             # to do once the case being opened is open
        self.refresh_worker = Worker("refresh", None, self)    # brief: not listed in the status bar
        self._pending_source: int | None = None                # to choose once the sources list shows it
        self._closing: list[tuple[Path, threading.Thread]] = []  # cases being closed on a thread of their own

        # explorer (dock)
        self.explorer = QTreeWidget()
        self.explorer.setHeaderLabels([self.tr("Case"), self.tr("Details")])
        self.explorer.header().setStretchLastSection(False)
        self.explorer.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.explorer.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.explorer.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.explorer.setMinimumWidth(300)
        self.explorer.itemActivated.connect(self._explorer_activated)
        self.explorer.setToolTip(self.tr("Double-click a kind to list its rows, a saved query to run it"))

        # centre
        self.sources = QTableWidget(0, 8)
        self.sources.setHorizontalHeaderLabels(
            [self.tr("#"), self.tr("TLP"), self.tr("Title"), self.tr("Producer"),
             self.tr("Verification"), self.tr("Releasable to"), self.tr("Legal basis"), self.tr("Imported")])
        self.sources.horizontalHeader().setStretchLastSection(True)
        self.sources.verticalHeader().hide()
        self.sources.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sources.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sources.setAlternatingRowColors(True)
        self.sources.itemActivated.connect(self._source_activated)
        self._rejected: dict[int, int] = {}
        self.console = ConsolePanel(self.jobs)
        self.console.saved_changed.connect(self.refresh)
        self.audit_panel = AuditPanel(jobs=self.jobs)
        self.audit = self.audit_panel.table          # the skeleton's names, kept for tests
        self.audit_status = self.audit_panel.status
        self.import_controller = ImportController(self, self.jobs)
        self.import_controller.imported.connect(lambda _r: self.refresh())

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.sources, self.tr("Sources"))
        self.tabs.addTab(self.console, self.tr("SQL console"))
        self.search_panel = None
        self.profile_panel = None
        self._add_analysis_panels()
        self.tabs.addTab(self.audit_panel, self.tr("Audit log"))

        self.placeholder = QLabel(self.tr("Open a case (File → Open) or create one (File → New).\n"
                                          "Drop bundles or files here to import them."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        dock = QDockWidget(self.tr("Case explorer"), self)
        dock.setObjectName("explorer")
        dock.setWidget(self.explorer)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.explorer_dock = dock
        centre = QWidget()
        cl = QVBoxLayout(centre)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.placeholder)
        cl.addWidget(self.tabs)
        self.setCentralWidget(centre)
        self._build_menus()

        self.case_label = QLabel()
        self.statusBar().addPermanentWidget(JobsIndicator(self.jobs))
        self.statusBar().addPermanentWidget(self.case_label)
        self.statusBar().showMessage(self.tr("No case open"))
        self._show_case_widgets(False)
        self._restore_layout()
        # Load the import pipeline now: a module imported later by a worker unmarshals its code
        # holding the GIL (phone-number metadata: tens of ms per module), which the UI would feel.
        from workstation import importers, ingest  # noqa: F401

        importers.importers()
        # The heavy imports are done: move everything alive now out of the cyclic collector's
        # reach, so that a full collection (triggered by a worker's allocations while it holds
        # the GIL) does not walk the ~100k startup objects and freeze the UI for 100+ ms.
        gc.freeze()

    def _add_analysis_panels(self) -> None:
        """Search, profile and network come with the analysis layer; without it they are absent."""
        self.network_panel = None
        try:
            from ui.network_panel import NetworkPanel
            from ui.search_panel import ProfilePanel, SearchPanel
        except ImportError as e:  # analysis not installed
            log.info("analysis panels unavailable: %s", e)
            return
        self.profile_panel = ProfilePanel(self.jobs, self)
        self.search_panel = SearchPanel(self.jobs, self.profile_panel, self)
        self.network_panel = NetworkPanel(self.jobs, self)
        self.tabs.addTab(self.search_panel, self.tr("Search"))
        self.tabs.addTab(self.network_panel, self.tr("Network"))
        self.profile_panel.judged.connect(lambda _r: self.audit_panel.refresh())
        self.profile_panel.show_in_network.connect(self.show_in_network)
        self.search_panel.rows_requested.connect(self.show_rows)
        self.profile_panel.rows_requested.connect(self.show_rows)
        self.profile_panel.add_to_dossier.connect(self.add_to_dossier)

    def show_rows(self, sql: str) -> None:
        """Run ``sql`` in the SQL console and show it (the rows a search hit stands for)."""
        self.tabs.setCurrentWidget(self.console)
        self.console.editor.setPlainText(sql)
        self.console.run()

    def show_in_network(self, refs: list[str]) -> None:
        if self.network_panel is None:
            return
        self.tabs.setCurrentWidget(self.network_panel)
        self.network_panel.show_seeds(refs)

    def add_to_dossier(self, entity_ids: list[str]) -> None:
        label = self.profile_panel.title.text() if self.profile_panel is not None else ""
        for e in entity_ids:
            if e not in [x for x, _ in self.dossier_subjects]:
                self.dossier_subjects.append((e, label))
        self.statusBar().showMessage(self.tr("{0} subjects for the next dossier (File → Produce dossier…)")
                                     .format(len(self.dossier_subjects)), 8000)

    def dossier_dialog(self) -> None:
        from ui.dossier_dialog import DossierDialog

        if self.case is None:
            return
        default = str(self.case.path.with_name(self.case.path.stem + "-dossier.pdf"))
        dlg = DossierDialog(self.dossier_subjects, default, self)
        if dlg.exec() != DossierDialog.DialogCode.Accepted:
            return
        self.produce_dossier(**dlg.values())

    def produce_dossier(self, recipient: str, out: str, lang: str = "en", subjects: list[str] | None = None,
                        sections: list[str] | None = None) -> None:
        case = self.case

        def work(progress):
            from exports.dossier import build_dossier  # reportlab and charts load off the UI thread

            return build_dossier(case, out, recipient, lang=lang, subjects=subjects, sections=sections,
                                 progress=progress)

        self.dossier_worker.start(
            self.tr("Dossier for {0}").format(recipient), work,
            self._dossier_done, lambda e: show_error(self, self.tr("Dossier"), e))

    def _dossier_done(self, result) -> None:
        self.dossier_subjects.clear()
        self.refresh()
        self.statusBar().showMessage(self.tr("Dossier written: {0} ({1} pages, TLP:{2})").format(
            result.path, result.pages, result.tlp), 15000)
        self.dossier_done.emit(result)

    # -- menus -------------------------------------------------------------------
    def _build_menus(self) -> None:
        m = self.menuBar().addMenu(self.tr("&File"))
        self._action(m, self.tr("&New case…"), self.new_case_dialog, QKeySequence.StandardKey.New)
        self._action(m, self.tr("&Open case…"), self.open_case_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = m.addMenu(self.tr("Open &recent"))
        self._fill_recent()
        m.addSeparator()
        self.import_action = self._action(m, self.tr("&Import…"), self.import_dialog, QKeySequence("Ctrl+I"))
        self.import_folder_action = self._action(m, self.tr("Import a bundle &folder…"), self.import_folder_dialog)
        self.dossier_action = self._action(m, self.tr("Produce &dossier…"), self.dossier_dialog,
                                           QKeySequence("Ctrl+D"))
        m.addSeparator()
        self._action(m, self.tr("&Settings…"), self.settings_dialog, QKeySequence.StandardKey.Preferences)
        m.addSeparator()
        self._action(m, self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)

        v = self.menuBar().addMenu(self.tr("&View"))
        for i, key in enumerate(("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5")):
            if i < self.tabs.count():
                self._action(v, self.tabs.tabText(i), lambda _=False, i=i: self.tabs.setCurrentIndex(i),
                             QKeySequence(key))
        v.addSeparator()
        v.addAction(self.explorer_dock.toggleViewAction())
        self._action(v, self.tr("Refresh"), self.refresh, QKeySequence.StandardKey.Refresh)
        if self.search_panel is not None:
            self._action(v, self.tr("Search"), self._focus_search, QKeySequence.StandardKey.Find)
            self.match_action = self._action(v, self.tr("Find matches"), self._find_matches, QKeySequence("Ctrl+M"))

        h = self.menuBar().addMenu(self.tr("&Help"))
        self._action(h, self.tr("Keyboard shortcuts"), self._show_shortcuts, QKeySequence("F1"))
        self._action(h, self.tr("About Lintas"), self._about)

    def _find_matches(self) -> None:
        """Entity resolution over the case; its suggestions listed in the search panel."""
        if self.case is None:
            return
        self.tabs.setCurrentWidget(self.search_panel)
        self.search_panel.find_matches()

    def _focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.search_panel)
        self.search_panel.box.setFocus()
        self.search_panel.box.selectAll()

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(shortcut)
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def _show_shortcuts(self) -> None:
        QMessageBox.information(self, self.tr("Keyboard shortcuts"), self.tr(
            "Ctrl+O  open a case\nCtrl+N  new case\nCtrl+I  import\nCtrl+D  produce a dossier\n"
            "Ctrl+1…5  switch tabs\n"
            "Ctrl+Enter  run the query\nCtrl+Space  complete a name\nEsc  cancel the running job\n"
            "F5  refresh\nCtrl+F  search\nCtrl+M  find matches (the same person across sources)"))

    def _about(self) -> None:
        from workstation import __version__

        QMessageBox.about(self, self.tr("About Lintas"), self.tr(
            "Lintas {0}\nEvidence and intelligence analysis workstation.\nOffline: no part of the "
            "program opens a network connection.").format(__version__))

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
        self.open_case(path, create_title=title)      # created on the open worker (its migrations)

    def open_case_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open case"), "",
                                              f"Lintas case (*{SUFFIX});;All files (*)")
        if path:
            self.open_case(path)

    def import_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Import"), "",
            self.tr("Bundles, partner packages and tables (*.zip *.json *.jsonl *.ndjson *.csv *.xlsx "
                    "*.parquet);;All files (*)"))
        if paths:
            self.import_controller.start(paths)

    def import_folder_dialog(self) -> None:
        """A bundle may be a directory (lintas-bundle/1): the file chooser above picks files only."""
        dlg = QFileDialog(self, self.tr("Import a bundle folder"))
        dlg.setFileMode(QFileDialog.FileMode.Directory)
        dlg.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)   # the same dialog on every desktop
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.fileSelected.connect(lambda path: self.import_controller.start([path]) if path else None)
        self.folder_dialog = dlg
        dlg.open()   # window-modal, not a nested event loop

    def settings_dialog(self) -> None:
        from ui.settings_dialog import SettingsDialog

        dlg = SettingsDialog(self.settings, self)
        if dlg.exec() == SettingsDialog.DialogCode.Accepted:
            self.apply_settings(dlg.values())

    def apply_settings(self, values: dict) -> None:
        """Save new settings; the theme applies at once, the language after a restart."""
        language_changed = values.get("language", self.settings.language) != self.settings.language
        for k, v in values.items():
            setattr(self.settings, k, v)
        self.settings.save()
        self.apply_theme(self.settings.theme)
        if language_changed:
            self.statusBar().showMessage(self.tr("The new language applies when Lintas starts again."), 10000)

    def apply_theme(self, name: str) -> None:
        theme.apply(QApplication.instance(), name)
        self.console.editor.highlighter.set_colours()
        if self.network_panel is not None:
            self.network_panel.redraw()     # in the new colours, rendered on its worker

    # -- drag and drop ---------------------------------------------------------------
    def dragEnterEvent(self, e) -> None:  # noqa: N802 (Qt name)
        if e.mimeData().hasUrls() and all(u.isLocalFile() for u in e.mimeData().urls()):
            e.acceptProposedAction()

    def dropEvent(self, e) -> None:  # noqa: N802 (Qt name)
        paths = [u.toLocalFile() for u in e.mimeData().urls() if u.isLocalFile()]
        cases = [p for p in paths if p.endswith(SUFFIX)]
        paths = [p for p in paths if not p.endswith(SUFFIX)]
        if cases and self.open_case(cases[0]):
            if paths:   # into the case dropped with them, once it is open
                self._after_open.append(lambda: self.import_controller.start(paths))
        elif paths:
            self.import_controller.start(paths)
        e.acceptProposedAction()

    # -- the case --------------------------------------------------------------------
    def open_case(self, path: str | Path, create_title: str | None = None) -> bool:
        """Open the case at ``path`` (with ``create_title``, create it first) on the open worker: opening
        the DuckDB file takes 0.1 s and more, migrating an older case much longer.  The window shows the
        case open now until the new one is open, then its title at once and the rest (counts, sources,
        lists, names for completion) once the refresh worker has read them (``refreshed`` says when).
        A failure is said in a message; the case open before stays open.  Returns False only when
        the opening could not start."""
        path = Path(path)
        self._wait_closed(path)     # the same case, still being closed on its thread
        job = None

        def work(progress) -> _Opened:
            if create_title is not None:
                Case.create(path, create_title).close()
            case = Case.open(path)
            if progress.cancelled():   # another case asked for meanwhile, or the window closing
                case.close()
                raise Cancelled()
            return _Opened(case, self)

        def opened(got: _Opened) -> None:
            if job is not None and job.progress.cancelled():   # Esc came while it opened
                got.close()
                return
            self._opened(got.case, path)

        def failed(e: BaseException) -> None:
            self._after_open.clear()
            if isinstance(e, Cancelled):   # another case asked for, or Esc: the window says nothing more
                self.statusBar().clearMessage()
            elif isinstance(e, LintasError):
                QMessageBox.warning(self, self.tr("New case") if create_title is not None else
                                    self.tr("Open case"), core(str(e)))
            else:
                show_error(self, self.tr("Open case"), e)

        self.statusBar().showMessage(f"{path.name} …")
        job = self.open_worker.start(self.tr("Open case"), work, opened, failed)
        return True

    def _opened(self, case: Case, path: Path) -> None:
        """The case just opened by the open worker: it replaces the one shown, the rest read on the refresh
        worker."""
        self._close_case()
        self.case = case
        try:
            self.store = rowsource.RowStore.for_case(case)
        except Exception as e:  # the case still opens; the console reports it
            log.warning("no row store: %s", e)
            self.store = None
        self.settings.add_recent(path)
        self.settings.save()
        self._fill_recent()
        self.console.set_case(case, self.store)
        self.audit_panel.set_case(case, read=False)       # read with the refresh, below
        if self.search_panel is not None:
            self.search_panel.set_case(case, self.store)
            self.profile_panel.set_case(case)
            self.network_panel.set_case(case)
        self.dossier_subjects.clear()
        self._show_opening(case)
        self._show_case_widgets(True)
        self.refresh()                      # the rest of the case, read on the refresh worker
        self.case_opened.emit(case)
        then, self._after_open = self._after_open, []
        for fn in then:
            fn()

    def _show_opening(self, case: Case) -> None:
        """The case just opened, before its contents are read: its title (one row of its metadata) and
        nothing of the case shown before it."""
        try:
            title = case.title
        except Exception as e:  # the refresh reports what is wrong with the case
            log.warning("case title not read: %s", e)
            title = case.path.stem
        self.setWindowTitle(f"{title} — Lintas")
        self.explorer.clear()
        reading = self.tr("Refreshing the case")
        self.explorer.addTopLevelItem(QTreeWidgetItem([title, "…"]))
        self.sources.setRowCount(0)
        self._rejected = {}
        self._pending_source = None
        self.case_label.setText(f"{case.path.name} · …")
        self.statusBar().showMessage(f"{case.path.name} — {reading}…")

    def _show_case_widgets(self, shown: bool) -> None:
        self.tabs.setVisible(shown)
        self.placeholder.setVisible(not shown)
        self.import_action.setEnabled(shown)
        self.import_folder_action.setEnabled(shown)
        self.dossier_action.setEnabled(shown)

    def _close_case(self) -> None:
        """Let go of the open case without waiting on this thread: every job on it is cancelled and
        forgotten (nothing of it is shown any more), and a thread of its own waits for those still
        running to stop, then closes the case (a checkpoint, and freeing the results of the console:
        half a second with a few million rows)."""
        threads = self.console.release_case()
        for w in self.findChildren(Worker):
            if w is not self.open_worker:   # the case being opened is not this one's
                threads += w.release()
        if self.profile_panel is not None:
            self.profile_panel._pending.clear()
        case, self.case, self.store = self.case, None, None
        if case is None:
            return

        def close() -> None:
            for t in threads:
                t.join()
            try:
                case.close()
            except Exception:  # a case that cannot be closed cleanly: said in the log
                log.exception("closing %s", case.path)

        self._close_later(case, close)

    def _close_later(self, case: Case, close=None) -> None:
        t = threading.Thread(target=close or case.close, name="lintas-close-case")
        t.start()
        self._closing.append((case.path, t))

    def _wait_closed(self, path: str | Path | None = None, timeout: float | None = None) -> None:
        """Wait until the case at ``path`` (every case, without one) closed on its thread."""
        want = Path(path).resolve() if path is not None else None
        for p, t in list(self._closing):
            if want is None or p.resolve() == want:
                t.join(timeout)
            if not t.is_alive():
                self._closing.remove((p, t))

    def refresh(self) -> None:
        """Show the case as it is now, after a change (an import, a judgement, a saved query): its
        counts, sources and lists are read on a worker thread (on a large case that takes longer
        than a frame), then shown; ``refreshed`` says when."""
        case = self.case
        if case is None:
            return
        self.refresh_worker.start(self.tr("Refreshing the case"), lambda _p: read_refresh(case),
                                  lambda data: self._show_refresh(case, data),
                                  lambda e: show_error(self, self.tr("Refresh"), e))

    def _show_refresh(self, case, data: dict) -> None:
        if case is not self.case:          # another case was opened meanwhile
            return
        info, outline = data["info"], data["outline"]
        self.setWindowTitle(f"{info['title']} — Lintas")
        self._fill_explorer(info, outline, data["saved"])
        self._fill_sources(info, outline)
        if self._pending_source is not None:
            self._select_pending_source()
            self._pending_source = None
        self.audit_panel.refresh()
        if self.search_panel is not None:   # the sources' handling and signature status, as read
            self.search_panel.set_sources(data["handlings"]["sources"])
            self.profile_panel.sources = data["handlings"]["sources"]
        if self.console.case is not None:
            self.console.editor.set_names(data["names"])
            self.console.handlings = data["handlings"]   # sources with their signature status
            self.console.fill_lists(data["saved"], data["history"])
        total = sum(info["rows"].values())
        self.case_label.setText(self.tr("{0} · {1} sources · {2} rows · {3} entities").format(
            case.path.name, len(info["sources"]), f"{total:,}", f"{info['entities']:,}"))
        self.statusBar().showMessage(self.tr("{0} — {1} sources, {2} rows").format(
            case.path.name, len(info["sources"]), f"{total:,}"), 5000)
        self.refreshed.emit()

    def _fill_explorer(self, info: dict, outline: dict, saved: list[dict]) -> None:
        self.explorer.clear()
        root = QTreeWidgetItem([info["title"], info["case_ref"] or ""])
        self.explorer.addTopLevelItem(root)
        src_item = QTreeWidgetItem([self.tr("Sources"), str(len(info["sources"]))])
        root.addChild(src_item)
        for s in info["sources"]:
            producer = " / ".join(x for x in (s["producer_agency"], s["producer_country"]) if x)
            item = QTreeWidgetItem([s["title"] or s["container_name"] or "?", tlpmod.label(s["tlp"])])
            item.setForeground(1, tlpmod.colour(s["tlp"]))
            item.setBackground(1, QColor(tlpmod.BADGE_BACKGROUND))
            item.setToolTip(0, self.tr("#{0} · {1} · signature: {2}").format(
                s["source_id"], producer or self.tr("producer unknown"), verification.label(s["signature_status"])))
            item.setData(0, Qt.ItemDataRole.UserRole, ("source", s["source_id"]))
            src_item.addChild(item)
            detail = QTreeWidgetItem([producer or self.tr("producer unknown"),
                                      verification.label(s["signature_status"])])
            detail.setForeground(1, QColor(_VERIFICATION.get(s["signature_status"], "#808080")))
            item.addChild(detail)
        kinds = QTreeWidgetItem([self.tr("Rows by kind"), f"{sum(info['rows'].values()):,}"])
        root.addChild(kinds)
        for k, n in info["rows"].items():
            it = QTreeWidgetItem([core(k), f"{n:,}"])     # the label; the table keeps its name
            it.setToolTip(0, self.tr("Table in the SQL console: {0}").format(k))
            it.setData(0, Qt.ItemDataRole.UserRole, ("kind", k))
            it.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            kinds.addChild(it)
        ents = QTreeWidgetItem([self.tr("Entities"), f"{info['entities']:,}"])
        root.addChild(ents)
        for k, n in outline["entities"].items():
            it = QTreeWidgetItem([core(k), f"{n:,}"])
            it.setData(0, Qt.ItemDataRole.UserRole, ("entity-kind", k))
            ents.addChild(it)
        sq = QTreeWidgetItem([self.tr("Saved queries"), str(len(saved))])
        root.addChild(sq)
        for q in saved:
            it = QTreeWidgetItem([q["name"], q["description"] or ""])
            it.setToolTip(0, q["sql"])
            it.setData(0, Qt.ItemDataRole.UserRole, ("query", q["sql"]))
            sq.addChild(it)
        ex = QTreeWidgetItem([self.tr("Dossiers and exports"), str(len(outline["exports"]))])
        root.addChild(ex)
        for e in outline["exports"]:
            it = QTreeWidgetItem([f"{e['kind']} → {e['recipient'] or '?'}", tlpmod.label(e["tlp"])])
            it.setForeground(1, tlpmod.colour(e["tlp"]))
            it.setBackground(1, QColor(tlpmod.BADGE_BACKGROUND))
            it.setToolTip(0, f"{e['path'] or ''}\n{e['created_utc']}")
            ex.addChild(it)
        self.explorer.expandToDepth(1)
        kinds.setExpanded(False) if len(info["rows"]) > 12 else None

    def _source_activated(self, item: QTableWidgetItem) -> None:
        """A source with rows set aside at import (--skip-bad-rows): list them, each with its reason."""
        sid = int(self.sources.item(item.row(), 0).text())
        if self._rejected.get(sid):
            self.show_sql(f'SELECT * FROM rejects WHERE source_id = {sid} ORDER BY file, "row", "column"')

    def _fill_sources(self, info: dict, outline: dict) -> None:
        # A refresh keeps the analyst's choice of source (by its number, not its row).
        chosen = {self.sources.item(i.row(), 0).text() for i in self.sources.selectionModel().selectedRows()
                  if self.sources.item(i.row(), 0) is not None}
        self._rejected = dict(outline["rejected"])
        self.sources.setRowCount(len(info["sources"]))
        for r, s in enumerate(info["sources"]):
            producer = " / ".join(x for x in (s["producer_agency"], s["producer_unit"], s["producer_country"]) if x)
            rej = outline["rejected"].get(s["source_id"])
            status = verification.label(s["signature_status"]) + (
                self.tr(" · {0} rows set aside").format(rej) if rej else "")
            cells = [str(s["source_id"]), tlpmod.label(s["tlp"]), s["title"] or s["container_name"] or "",
                     producer, status, ", ".join(s["releasable_to"] or []), s["legal_basis"] or "",
                     (s["imported_at"] or "").replace("T", " ")[:19]]
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setToolTip(tlpmod.handling_text(s) if c in (1, 5, 6) else text)
                if c == 1:
                    it.setBackground(QColor(tlpmod.BADGE_BACKGROUND))
                    it.setForeground(tlpmod.colour(s["tlp"]))
                    f = it.font()
                    f.setBold(True)
                    it.setFont(f)
                if c == 4:
                    it.setForeground(verification.colour(s["signature_status"]))
                    it.setToolTip("\n".join(x for x in (text, verification.explanation(s["signature_status"]),
                                                        self.tr("Double-click to list the rows set aside")
                                                        if rej else None) if x))
                self.sources.setItem(r, c, it)
        self.sources.resizeColumnsToContents()
        for c in (2, 3, 5, 6):
            self.sources.setColumnWidth(c, min(self.sources.columnWidth(c), 330))
        for r in range(self.sources.rowCount()):
            if self.sources.item(r, 0).text() in chosen:
                self.sources.selectRow(r)

    def _explorer_activated(self, item: QTreeWidgetItem, _col: int) -> None:
        what = item.data(0, Qt.ItemDataRole.UserRole)
        if not what:
            return
        kind, value = what
        if kind == "kind" and value in KINDS:
            self.show_sql(rowsource.sql_for_kind(value))
        elif kind == "entity-kind":
            self.show_sql(rowsource.sql_for_entities(value))
        elif kind == "query":
            self.show_sql(value)
        elif kind == "source":
            self.show_source(value)

    def show_source(self, source_id: int) -> None:
        """The sources list, with ``source_id`` chosen (once the refresh under way shows it)."""
        self.tabs.setCurrentWidget(self.sources)
        self._pending_source = source_id
        self._select_pending_source()

    def _select_pending_source(self) -> None:
        for r in range(self.sources.rowCount()):
            if self.sources.item(r, 0).text() == str(self._pending_source):
                self.sources.selectRow(r)
                self._pending_source = None
                return
        if not self.refresh_worker.busy():
            self._pending_source = None

    def show_sql(self, sql: str) -> None:
        self.tabs.setCurrentWidget(self.console)
        self.console.editor.setPlainText(sql)
        self.console.run()

    # -- layout ----------------------------------------------------------------------
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
        self.open_worker.shutdown()      # a case being opened is closed when its opening ends
        self._close_case()
        self._wait_closed(timeout=60)
        super().closeEvent(event)
