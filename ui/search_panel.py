"""Search box with ranked hits, and the entity profile with judgements and undo.

The core does the work in each panel's worker: ``analysis.search`` (index kept
current, ranked hits with provenance), ``analysis.profile`` (every value with
its source row), ``analysis.xref`` (judge / undo, recorded in the audit log).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import QDate, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from analysis import profile as profilemod
from analysis import search as searchmod
from analysis import xref
from ui import tlp as tlpmod
from ui import verification
from ui.errors import show_error
from ui.i18n import core, core_all
from ui.workers import JobList, Worker, esc_cancels
from workstation.errors import Cancelled, LintasError

log = logging.getLogger(__name__)


SEARCH_LIMIT = 200
MATCH_LIST_LIMIT = 1000
"""Suggested pairs laid out in the list at most (the best; the status says how many there are)."""
"""The panel shows the best this many hits (its status says so when the search had more)."""


def _search(case, text: str, progress, kind: str | None = None, source: int | None = None,
            country: str | None = None, time_from: dt.datetime | None = None,
            time_to: dt.datetime | None = None) -> list[dict[str, Any]]:
    progress(0.0, "search index")
    if not case.read_only:
        searchmod.ensure_index(case, progress.sub(0.0, 0.8))
    cur = case.cursor()
    kinds = [kind] if kind else None
    sources = [source] if source is not None else None
    countries = [country] if country else None
    try:
        hits = searchmod.search(cur, text, kinds=kinds, sources=sources, countries=countries,
                                time_from=time_from, time_to=time_to, limit=SEARCH_LIMIT)
        if not case.read_only:   # who looked for whom, as `lintas search` records it
            case.record("search", {"text": text, "kind": kinds, "source": sources, "country": countries,
                                   "from": time_from.isoformat() if time_from else None,
                                   "to": time_to.isoformat() if time_to else None,
                                   "limit": SEARCH_LIMIT, "via": "search panel"}, {"hits": len(hits)})
        return hits
    finally:
        cur.close()


def _find_matches(case, progress) -> dict[str, Any]:
    """Run entity resolution over the case (as `lintas xref`), then read its stored suggestions in the
    form the profile shows them (with each side's source)."""
    result = xref.xref(case, progress=progress.sub(0.0, 0.95))
    ids = sorted({p[side]["entity_id"] for p in result.pairs for side in ("a", "b")})
    return {"ids": ids, "pairs": _suggestions(case, ids)}


def _suggestions(case, ids: list[int]) -> list[dict[str, Any]]:
    """The stored suggestions among ``ids`` that the analyst's judgements have not settled."""
    cur = case.cursor()
    try:
        return xref.candidates_for(cur, ids) if ids else []
    finally:
        cur.close()


_BAND_COLOURS = {"likely": "#1e8449", "possible": "#b9770e"}

PIVOT_LIMIT = 50
"""Rows of one table column read per shared identifier for the profile's pivot; the group says when
there are more, and lists them all in the SQL console."""

_SHOWN_WHEN_HELD = frozenset(("genders", "organisation_kinds", "countries", "registration_numbers", "notes"))
"""Profile sections left out when the entity has no such value (a person has no registration
number, an organisation no gender)."""

class SearchPanel(QWidget):
    entity_chosen = Signal(int)
    rows_requested = Signal(str)   # analyst SQL listing the rows a hit stands for

    def __init__(self, jobs: JobList, profile_panel: ProfilePanel, parent=None) -> None:
        super().__init__(parent)
        self.case = None
        self.profile = profile_panel
        self.worker = Worker("search", jobs, self)
        self.sources: dict[int, dict] = {}
        self.box = QLineEdit()
        self.box.setPlaceholderText(self.tr("Search names, aliases, numbers, passports, accounts, places…"))
        self.box.setClearButtonEnabled(True)
        self.box.returnPressed.connect(self.run)
        self.button = QPushButton(self.tr("Search"))
        self.button.clicked.connect(self.run)
        # Entity resolution over the whole case, as `lintas xref`: its suggestions listed beside the hits.
        self.xref_worker = Worker("xref", jobs, self)
        self.match_button = QPushButton(self.tr("Find matches"))
        self.match_button.setToolTip(self.tr("Compare every person and organisation across the sources and list "
                                             "the pairs that are likely or possibly the same, with the reasons"))
        self.match_button.clicked.connect(self.find_matches)
        self.pairs: list[dict] = []
        self.pair_ids: list[int] = []
        self.matches = QTableWidget(0, 4)
        self.matches.setHorizontalHeaderLabels([self.tr("Score"), self.tr("One"), self.tr("The other"),
                                                self.tr("Why")])
        self.matches.verticalHeader().hide()
        self.matches.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matches.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.matches.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matches.setAlternatingRowColors(True)
        self.matches.setWordWrap(True)
        self.matches.horizontalHeader().setStretchLastSection(True)
        self.matches.itemSelectionChanged.connect(self._pair_selected)
        profile_panel.judged.connect(self._judged)
        # Filters, as `lintas search --kind/--source`: the search runs again when one changes.
        self.kind = QComboBox()
        self.kind.addItem(self.tr("All kinds"), None)
        for k in searchmod.KINDS:
            self.kind.addItem(core(k), k)
        self.kind.currentIndexChanged.connect(self._filter_changed)
        self.source = QComboBox()
        # long source titles must not widen the panel: the list shows them whole when open
        self.source.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source.setMinimumContentsLength(16)
        self.source.currentIndexChanged.connect(self._filter_changed)
        # Country and time range, as `lintas search --country/--from/--to`.
        self.country = QLineEdit()
        self.country.setPlaceholderText(self.tr("Country"))
        self.country.setToolTip(self.tr("Only hits of this country: an ISO code or a name (MY, Malaysia)"))
        self.country.setClearButtonEnabled(True)
        self.country.setMaximumWidth(130)
        self.country.editingFinished.connect(self._country_changed)
        self._country_text = ""
        self.time_from = self._date_edit(self.tr("Only hits whose rows are on or after this day (UTC)"))
        self.time_to = self._date_edit(self.tr("Only hits whose rows are on or before this day (UTC)"))
        self.status = QLabel()
        self.status.setWordWrap(True)   # a long line must not widen the panel
        self.results = QTableWidget(0, 6)
        self.results.setHorizontalHeaderLabels(
            [self.tr("Score"), self.tr("Text"), self.tr("Source"), self.tr("TLP"), self.tr("Found in"),
             self.tr("Id · row")])   # the source beside the text: in view without scrolling sideways
        self.results.verticalHeader().hide()
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setAlternatingRowColors(True)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.horizontalHeader().setResizeContentsPrecision(50)   # widths from the best 50 hits, not 200
        self.results.itemActivated.connect(self._activated)
        self.results.itemSelectionChanged.connect(self._selected)
        self.hits: list[dict] = []
        top = QHBoxLayout()
        top.addWidget(self.box, 1)
        top.addWidget(self.button)
        top.addWidget(self.match_button)
        filters = QHBoxLayout()
        filters.addWidget(self.kind)
        filters.addWidget(self.source, 1)
        times = QHBoxLayout()
        times.addWidget(self.country)
        times.addWidget(QLabel(self.tr("from")))
        times.addWidget(self.time_from)
        times.addWidget(QLabel(self.tr("to")))
        times.addWidget(self.time_to)
        times.addStretch(1)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(top)
        ll.addLayout(filters)
        ll.addLayout(times)
        ll.addWidget(self.status)
        self.lists = QTabWidget()
        self.lists.setDocumentMode(True)
        self.lists.addTab(self.results, self.tr("Hits"))
        self.lists.addTab(self.matches, self.tr("Suggested matches"))
        ll.addWidget(self.lists, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(profile_panel)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.splitter)
        esc_cancels(self, self.cancel)             # a search, Find matches, a profile

    def set_case(self, case, store=None) -> None:
        self.worker.shutdown()
        self.xref_worker.shutdown()
        self.case = case
        self.results.setRowCount(0)
        self.hits = []
        self.matches.setRowCount(0)
        self.pairs, self.pair_ids = [], []
        self.match_button.setEnabled(case is not None and not case.read_only)
        self.sources = {}        # until the window's refresh has read them (set_sources)
        self._fill_sources()

    def set_sources(self, sources: dict[int, dict]) -> None:
        """The case's sources (``rowsource.handling_index``), as the window's refresh read them."""
        self.sources = sources
        self._fill_sources()

    def _fill_sources(self) -> None:
        """The source filter: every source of the case (kept chosen across a refill)."""
        chosen = self.source.currentData()
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItem(self.tr("All sources"), None)
        for sid, src in sorted(self.sources.items()):
            self.source.addItem(f"#{sid} {src.get('producer') or ''} — {src.get('title') or ''}", sid)
        at = self.source.findData(chosen) if chosen is not None else 0
        self.source.setCurrentIndex(max(at, 0))
        self.source.blockSignals(False)

    _NO_DATE = QDate(2000, 1, 1)   # the earliest day the date boxes take: shown as "any", no limit

    def _date_edit(self, tip: str) -> QDateEdit:
        d = QDateEdit()
        d.setCalendarPopup(True)
        d.setDisplayFormat("yyyy-MM-dd")
        d.setMinimumDate(self._NO_DATE)
        d.setSpecialValueText(self.tr("any day"))
        d.setDate(self._NO_DATE)
        d.setToolTip(tip)
        d.dateChanged.connect(self._filter_changed)
        return d

    def _day(self, edit: QDateEdit, after: bool = False) -> dt.datetime | None:
        """The day chosen in ``edit`` as a UTC time (its start; with ``after`` the next day's start)."""
        q = edit.date()
        if q == self._NO_DATE:
            return None
        return dt.datetime(q.year(), q.month(), q.day()) + (dt.timedelta(days=1) if after else dt.timedelta())

    def _country_changed(self) -> None:
        if self.country.text().strip() != self._country_text:
            self._country_text = self.country.text().strip()
            self._filter_changed()

    def _filter_changed(self) -> None:
        if self.box.text().strip():
            self.run()

    def run(self, text: str | None = None) -> None:
        if self.case is None:
            return
        text = text if isinstance(text, str) else self.box.text()
        if isinstance(text, str) and text != self.box.text():
            self.box.setText(text)
        if not text.strip():
            return
        case = self.case
        kind, source = self.kind.currentData(), self.source.currentData()
        country = self.country.text().strip() or None
        time_from, time_to = self._day(self.time_from), self._day(self.time_to, after=True)
        self.status.setText(self.tr("Searching…"))
        self.lists.setCurrentWidget(self.results)
        self.worker.start(self.tr("Search"),
                          lambda p: _search(case, text, p, kind, source, country, time_from, time_to),
                          self._show, self._failed)

    def _failed(self, e: BaseException) -> None:
        self.status.setText(self.tr("Cancelled.") if isinstance(e, Cancelled) else core(str(e)))
        if not isinstance(e, Cancelled):   # a refused filter: no hits left from the last search
            self.hits = []
            self.results.setRowCount(0)

    def _show(self, hits: list[dict]) -> None:
        self.sources = verification.source_index(self.case)
        if self.source.count() != len(self.sources) + 1:   # a source imported since
            self._fill_sources()
        self.hits = hits
        # New hits, no row chosen: a row left selected from the last search would name a hit the
        # profile beside it is not about.
        self.results.clearSelection()
        self.results.setRowCount(0)
        self.results.setRowCount(len(hits))
        for r, h in enumerate(hits):
            src = self.sources.get(h["source_id"]) or {}
            cells = [f"{h['score']:.2f}", h["text"] or "", f"#{h['source_id']} {src.get('producer') or ''}",
                     tlpmod.label(src.get("tlp")), f"{core(h['kind'])} · {core(h['field'])}",
                     f"{h['id'] or ''} · {h['source_row'] or ''}"]
            status = src.get("signature_status")
            unverified = verification.mark(status)
            if unverified:   # an unsigned source's hit says so (issue 3), not only in the sources list
                cells[2] = f"{cells[2]} · {unverified}"
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                if c == 1:
                    it.setToolTip(self.tr("matched: {0}").format(" ".join(h["matched"] or [])))
                    if unverified:
                        it.setForeground(verification.colour(status))
                if c == 2:
                    it.setToolTip("\n".join(x for x in (src.get("title"), verification.explanation(status)) if x))
                    if unverified:
                        it.setForeground(verification.colour(status))
                if c == 3:
                    it.setBackground(QColor(tlpmod.BADGE_BACKGROUND))
                    it.setForeground(tlpmod.colour(src.get("tlp")))
                    it.setToolTip(tlpmod.handling_text(src))
                self.results.setItem(r, c, it)
        self.results.resizeColumnsToContents()
        # The text as wide as it is (up to a limit), never squeezed by the other columns: the table
        # scrolls sideways instead.
        self.results.setColumnWidth(1, min(self.results.columnWidth(1), 240))
        self.results.setColumnWidth(2, min(self.results.columnWidth(2), 200))
        if len(hits) >= SEARCH_LIMIT:   # cut at the limit: there may be more
            self.status.setText(self.tr("The best {0} hits; there may be more — add words or filter by kind, "
                                        "source, country or time to see them. Click a hit for its profile; "
                                        "double-click a number's hit to list its rows in the SQL console.")
                                .format(len(hits)))
        else:
            self.status.setText(self.tr("{0} hits, best first. Click a hit for its profile; double-click a "
                                        "number's hit to list its rows in the SQL console.").format(len(hits)))

    # -- suggested matches ------------------------------------------------------------------------
    def find_matches(self) -> None:
        if self.case is None or self.case.read_only:
            return
        case = self.case
        self.status.setText(self.tr("Comparing every person and organisation across the sources…"))
        self.xref_worker.start(self.tr("Find matches"), lambda p: _find_matches(case, p), self._matched,
                               self._failed)

    def _matched(self, found: dict) -> None:
        self.pair_ids = found["ids"]
        self._show_pairs(found["pairs"])
        self.lists.setCurrentWidget(self.matches)
        if len(self.pairs) > MATCH_LIST_LIMIT:
            self.status.setText(self.tr("The best {0} of {1} suggested pairs are listed. Click a pair to open its "
                                        "profile, where you confirm, reject or mark it unsure.").format(
                MATCH_LIST_LIMIT, len(self.pairs)))
        else:
            self.status.setText(self.tr("{0} suggested pairs, best first. Click a pair to open its profile, where "
                                        "you confirm, reject or mark it unsure.").format(len(self.pairs)))

    def _judged(self, _result) -> None:
        """A judgement or an undo: the list shows what is still to judge (an undone pair comes back)."""
        # A run of Find matches under way reads the judgements when it ends: not cancelled for a refresh.
        if self.pair_ids and self.case is not None and self.xref_worker.current is None:
            case, ids = self.case, list(self.pair_ids)
            self.xref_worker.start(self.tr("Suggested matches"), lambda p: _suggestions(case, ids), self._show_pairs,
                                   self._failed)

    def _show_pairs(self, pairs: list[dict]) -> None:
        self.sources = verification.source_index(self.case)
        chosen = self._chosen_pair()
        self.pairs = pairs
        shown = pairs[:MATCH_LIST_LIMIT]   # the best: a table of every pair of a large case would freeze
        self.matches.blockSignals(True)
        self.matches.clearSelection()
        self.matches.setRowCount(len(shown))
        for r, c in enumerate(shown):
            score = QTableWidgetItem(f"{c['score']:.2f}")   # the band in colour and tooltip: a narrow column
            score.setToolTip(core(c["band"]))
            score.setForeground(QColor(_BAND_COLOURS.get(c["band"], "#808080")))
            self.matches.setItem(r, 0, score)
            for col, (name, src, eid) in ((1, (c["name_a"], c["source_a"], c["entity_a"])),
                                          (2, (c["name_b"], c["source_b"], c["entity_b"]))):
                status = (self.sources.get(src) or {}).get("signature_status")
                mark = verification.mark(status)
                it = QTableWidgetItem(f"{name or ''} (#{src}{' · ' + mark if mark else ''})")
                it.setToolTip(self.tr("{0} (source #{1}, entity {2})").format(name or "", src, eid))
                if mark:
                    it.setForeground(verification.colour(status))
                self.matches.setItem(r, col, it)
            reasons = core_all(c["reasons"])
            why = QTableWidgetItem("; ".join(reasons))
            why.setToolTip("\n".join(reasons))
            self.matches.setItem(r, 3, why)
        self.matches.resizeColumnsToContents()
        for col in (1, 2):   # the reasons keep room beside the two names
            self.matches.setColumnWidth(col, min(self.matches.columnWidth(col), 170))
        at = next((r for r, c in enumerate(shown) if (c["entity_a"], c["entity_b"]) == chosen), None)
        if at is not None:
            self.matches.selectRow(at)
        self.matches.blockSignals(False)
        self.lists.setTabText(1, self.tr("Suggested matches ({0})").format(len(pairs)) if len(pairs) == len(shown)
                              else self.tr("Suggested matches ({0} of {1})").format(len(shown), len(pairs)))

    def _chosen_pair(self) -> tuple[int, int] | None:
        rows = {i.row() for i in self.matches.selectedIndexes()}
        if len(rows) != 1 or min(rows) >= len(self.pairs):
            return None
        c = self.pairs[min(rows)]
        return c["entity_a"], c["entity_b"]

    def _pair_selected(self) -> None:
        pair = self._chosen_pair()
        if pair is not None:
            self.profile.show_entity(pair[0])

    def _selected(self) -> None:
        rows = {i.row() for i in self.results.selectedIndexes()}
        if len(rows) == 1:
            h = self.hits[min(rows)]
            if h.get("entity_id") is not None:
                self.profile.show_entity(int(h["entity_id"]))

    def _activated(self, item: QTableWidgetItem) -> None:
        h = self.hits[item.row()]
        sql = searchmod.rows_sql(h)
        if sql is not None:   # a number or account of event rows: those rows
            self.rows_requested.emit(sql)
            return
        if h.get("entity_id") is not None:
            self.profile.show_entity(int(h["entity_id"]))
            self.entity_chosen.emit(int(h["entity_id"]))

    def cancel(self) -> None:
        """The running search, Find matches run and profile load (never a judgement being recorded)."""
        for w in (self.worker, self.xref_worker, self.profile.worker):
            w.cancel()

    def shutdown(self) -> None:
        self.worker.shutdown()
        self.xref_worker.shutdown()


def _load_profile(case, entity_id: int, progress) -> dict[str, Any]:
    cur = case.cursor()
    try:
        p = profilemod.profile(cur, entity_id)
        progress(0.5, "suggestions")
        progress.check()
        # events and mentions elsewhere: rows of calls, messages, travel … sharing an identifier
        piv = profilemod.pivot(cur, entity_id, limit=PIVOT_LIMIT + 1)   # one more: to know there are more
        p["events"] = [dict(h, via=f"{i['kind']} {i['value_norm']}") for i in piv["identifiers"] for h in i["hits"]]
        p["pivot"] = piv["identifiers"]
        progress(0.7, "suggestions")
        # this thread's own cursor: the case's connection belongs to the UI thread
        p["candidates"] = xref.candidates_for(cur, p["cluster"])
        p["attachments"] = profilemod.attachments_for(cur, p["cluster"])
        if not case.read_only:   # who looked at whom, as `lintas profile` records it
            case.record("profile", {"entity": entity_id, "via": "profile panel"}, {"cluster": p["cluster"]})
        return p
    finally:
        cur.close()


class ProfilePanel(QWidget):
    """One entity (its confirmed cluster): values with sources, suggestions, judgements."""

    judged = Signal(object)          # the core's judgement / undo result
    show_in_network = Signal(object)  # list of refs "BUNDLE_ID/ID"
    rows_requested = Signal(str)      # analyst SQL listing rows sharing an identifier (the pivot)
    add_to_dossier = Signal(object)   # entity ids (as text), the dossier's subjects

    def __init__(self, jobs: JobList, parent=None) -> None:
        super().__init__(parent)
        self.case = None
        self.worker = Worker("profile", jobs, self)
        # Judgements and undos in a worker of their own: opening another profile (which starts a new
        # job in ``worker``) must not supersede one, or it is recorded but never reported.
        self.judge_worker = Worker("judgement", jobs, self)
        self._pending: list[tuple] = []
        self.entity_id: int | None = None
        self.data: dict | None = None
        self.sources: dict[int, dict] = {}
        self.undo_stack: list[tuple[int, int]] = []
        self.title = QLabel(self.tr("Choose a search hit to see its profile."))
        self.title.setWordWrap(True)
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.title.setFont(f)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {verification.COLOURS['unsigned']}; font-weight: bold;")
        self.warning.hide()
        self.tree = QTreeWidget()
        # The file beside the row: a bundle holds several, and a row number alone does not say which.
        self.tree.setHeaderLabels([self.tr("Value"), self.tr("Source"), self.tr("Row"), self.tr("File")])
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.candidates = QTableWidget(0, 4)
        self.candidates.setHorizontalHeaderLabels([self.tr("Score"), self.tr("Possibly the same as"),
                                                   self.tr("Why"), self.tr("Your judgement")])
        self.candidates.verticalHeader().hide()
        self.candidates.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.candidates.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.candidates.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo last judgement"))
        self.undo_button.setEnabled(False)
        self.undo_button.setToolTip(self.tr("Undo the judgement chosen under Judgements, or else your last one; "
                                            "a confirmed pair is split again"))
        self.undo_button.clicked.connect(self.undo)
        self.tree.currentItemChanged.connect(lambda *_: self._update_undo())
        self.tree.itemActivated.connect(self._activated)
        self.network_button = QPushButton(self.tr("Show in network"))
        self.network_button.clicked.connect(lambda: self.show_in_network.emit(self.refs()))
        self.dossier_button = QPushButton(self.tr("Add to dossier"))
        self.dossier_button.clicked.connect(
            lambda: self.add_to_dossier.emit([str(x) for x in (self.data or {}).get("cluster", [])]))
        for b in (self.network_button, self.dossier_button):
            b.setEnabled(False)
        self.pictures = QHBoxLayout()
        pics = QWidget()
        pics.setLayout(self.pictures)
        scroll = QScrollArea()
        scroll.setWidget(pics)
        scroll.setWidgetResizable(True)
        scroll.setFixedHeight(150)
        self.pictures_area = scroll
        scroll.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.network_button)
        buttons.addWidget(self.dossier_button)
        buttons.addWidget(self.undo_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.title)
        lay.addWidget(self.subtitle)
        lay.addWidget(self.warning)
        lay.addLayout(buttons)
        lay.addWidget(scroll)
        lay.addWidget(self.tree, 3)
        self.cand_label = QLabel(self.tr("Suggested matches (confirm, reject or mark unsure):"))
        lay.addWidget(self.cand_label)
        lay.addWidget(self.candidates, 2)

    def set_case(self, case) -> None:
        self.worker.shutdown()
        self._pending.clear()
        self.judge_worker.shutdown()
        self.case = case
        self.sources = {}        # until the window's refresh has read them
        self.warning.hide()
        self.cand_label.hide()
        self.candidates.hide()
        self.entity_id = None
        self.data = None
        self.undo_stack.clear()
        self.undo_button.setEnabled(False)
        self.tree.clear()
        self.candidates.setRowCount(0)

    def refs(self) -> list[str]:
        if not self.data:
            return []
        return [f"{m['bundle_id']}/{m['id']}" if m.get("bundle_id") else str(m["id"])
                for m in self.data["members"]]

    def show_entity(self, entity_id: int) -> None:
        if self.case is None:
            return
        case = self.case
        self.entity_id = entity_id
        self.worker.start(self.tr("Profile"), lambda p: _load_profile(case, entity_id, p), self._show,
                          lambda e: None if isinstance(e, Cancelled) else show_error(self, self.tr("Profile"), e))

    def _show(self, p: dict) -> None:
        self.data = p
        self.sources = verification.source_index(self.case)
        names = sorted({n["value"] for n in p["names"] if n["value"]})
        self.title.setText(" / ".join(names[:3]) or self.tr("Entity {0}").format(p["entity_id"]))
        srcs = sorted({m["source_id"] for m in p["members"]})
        self.subtitle.setText(self.tr("Records: {0} · sources: {1} · entities confirmed the same: {2}").format(
            len(p["members"]), len(srcs),
            f"{len(p['cluster'])} (" + ", ".join(f"#{x}" for x in p["cluster"]) + ")"))   # count (entity ids)
        # Records from a source whose origin is not proven: said above the values, not only beside each.
        doubtful = sorted({m["source_id"] for m in p["members"]
                           if verification.mark((self.sources.get(m["source_id"]) or {}).get("signature_status"))})
        if doubtful:
            self.warning.setText(self.tr("Records from an unverified source: {0}. Nothing proves who made it or "
                                         "that it is unchanged; check its origin before relying on it.").format(
                ", ".join(f"#{s} {(self.sources.get(s) or {}).get('producer') or ''}".strip() for s in doubtful)))
        self.warning.setVisible(bool(doubtful))
        for b in (self.network_button, self.dossier_button):
            b.setEnabled(True)
        self.tree.clear()
        sections = [("names", self.tr("Names")), ("aliases", self.tr("Aliases")),
                    ("birth_dates", self.tr("Birth dates")), ("nationalities", self.tr("Nationalities")),
                    ("genders", self.tr("Genders")), ("organisation_kinds", self.tr("Kinds of organisation")),
                    ("countries", self.tr("Countries")), ("registration_numbers", self.tr("Registration numbers")),
                    ("identifiers", self.tr("Identifiers")), ("addresses", self.tr("Addresses")),
                    ("notes", self.tr("Notes")), ("relationships", self.tr("Relationships")),
                    ("events", self.tr("Events and mentions (by shared identifier)")),
                    ("judgements", self.tr("Judgements"))]
        for key, title in sections:
            rows = p.get(key) or []
            if not rows and key in _SHOWN_WHEN_HELD:
                continue
            top = QTreeWidgetItem([f"{title} ({len(rows)})"])
            f = top.font(0)
            f.setBold(True)
            top.setFont(0, f)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)   # a section's title is not squeezed into the value column
            if key == "events":
                self._fill_pivot(top, title, p.get("pivot") or [])
                continue
            for r in rows:
                item = self._row_item(key, r)
                if key == "judgements" and not r.get("undone_utc"):   # a standing judgement: it can be undone
                    item.setData(0, Qt.ItemDataRole.UserRole, ("judgement", r["entity_a"], r["entity_b"]))
                top.addChild(item)
            top.setExpanded(bool(rows) and key not in ("judgements", "events"))
        self._fill_candidates(p["candidates"])
        self._fill_pictures(p.get("attachments") or [])
        self._update_undo()

    def _verdict_words(self, verdict: str) -> str:
        return {"same": self.tr("same"), "different": self.tr("not the same"),
                "unsure": self.tr("unsure")}.get(verdict, verdict)

    def _pivot_words(self, kind: str, field: str) -> str:
        return {("identifiers", "value_norm"): self.tr("also held by"),
                ("contacts", "value_norm"): self.tr("in a contact list"),
                ("contacts", "owner_norm"): self.tr("owner of a contact list"),
                ("calls", "caller_e164"): self.tr("calls from it"),
                ("calls", "callee_e164"): self.tr("calls to it"),
                ("messages", "sender_norm"): self.tr("messages from it"),
                ("messages", "recipient_norm"): self.tr("messages to it"),
                ("transfers", "from_account"): self.tr("transfers from it"),
                ("transfers", "to_account"): self.tr("transfers to it"),
                ("travel", "document_norm"): self.tr("travel on it"),
                ("sightings", "subject_norm"): self.tr("sightings of it")}.get((kind, field), f"{kind} · {field}")

    def _fill_pivot(self, top: QTreeWidgetItem, title: str, shared: list[dict]) -> None:
        """Everything sharing an identifier with this entity, by identifier: the other records holding it
        (double-click: their profile), and the rows writing it, per table and source (double-click: all of
        them in the SQL console)."""
        records = rows = 0
        more = False
        for ident_ in shared:
            node = QTreeWidgetItem([f"{core(ident_['kind'])}: {ident_['value_norm']}"])
            node.setToolTip(0, node.text(0))
            groups: dict[tuple[str, str, int], list[dict]] = {}
            per_column: dict[tuple[str, str], int] = {}
            for h in ident_["hits"]:
                per_column[(h["kind"], h["field"])] = per_column.get((h["kind"], h["field"]), 0) + 1
                if h.get("entity_id") is not None:
                    item = self._row_item("pivot", h)
                    item.setText(0, f"{self._pivot_words(h['kind'], h['field'])}: {h.get('name') or h.get('id') or ''}"
                                    f" ({h['value']})")
                    item.setToolTip(0, self.tr("Double-click: the profile of this record"))
                    item.setData(0, Qt.ItemDataRole.UserRole, ("entity", int(h["entity_id"])))
                    node.addChild(item)
                    records += 1
                else:
                    groups.setdefault((h["kind"], h["field"], h["source_id"]), []).append(h)
            for (kind, field, sid), hs in groups.items():
                capped = per_column[(kind, field)] > PIVOT_LIMIT
                more = more or capped
                n = f"{min(len(hs), PIVOT_LIMIT)}{'+' if capped else ''}"
                sql = searchmod.rows_sql({"kind": kind, "field": field, "text": ident_["value_norm"],
                                          "source_id": sid})
                if sql is None:   # a few rows of their own kind (travel, contacts, sightings): each shown
                    for h in hs[:PIVOT_LIMIT]:
                        item = self._row_item("pivot", h)
                        item.setText(0, f"{self._pivot_words(kind, field)}: {h['value']}"
                                        + (f" — {h['name']}" if h.get("name") else ""))
                        node.addChild(item)
                    rows += len(hs[:PIVOT_LIMIT])
                    continue
                item = self._row_item("pivot", {"source_id": sid, "source_row": None})
                item.setText(0, self.tr("{0}: {1} rows").format(self._pivot_words(kind, field), n))
                item.setToolTip(0, self.tr("Double-click: list these rows in the SQL console"))
                item.setData(0, Qt.ItemDataRole.UserRole, ("rows", sql))
                node.addChild(item)
                rows += min(len(hs), PIVOT_LIMIT)
            if node.childCount():
                top.addChild(node)
                node.setExpanded(True)
        top.setText(0, self.tr("{0}: {1} records, {2} rows").format(title, records, f"{rows}{'+' if more else ''}"))
        top.setExpanded(False)

    def _activated(self, item: QTreeWidgetItem, _col: int) -> None:
        what = item.data(0, Qt.ItemDataRole.UserRole)
        if not what:
            return
        if what[0] == "entity":
            self.show_entity(what[1])
        elif what[0] == "rows":
            self.rows_requested.emit(what[1])

    def _row_item(self, key: str, r: dict) -> QTreeWidgetItem:
        if key == "identifiers":
            value = f"{core(r['kind'])}: {r['value']}" + (f"  ({r['value_norm']})" if r.get("value_norm") not in
                                                    (None, r["value"]) else "")
        elif key == "relationships":
            value = f"{r['from_id']} —{core(r['kind'])}→ {r['to_id']}"
        elif key == "events":
            who = f" — {r['name']}" if r.get("name") else ""
            value = f"{r['kind']}.{r['field']}: {r['value']}{who}  ({self.tr('via')} {r['via']})"
        elif key == "judgements":
            state = self.tr("undone") if r.get("undone_utc") else self.tr("standing")
            verdict = self._verdict_words(r["verdict"])
            a = r.get("name_a") or r["entity_a"]
            b = r.get("name_b") or r["entity_b"]
            value = f"{a} ~ {b}: {verdict} ({r['analyst']}, {state})"
        else:
            value = str(r.get("value") or "")
            if r.get("value_norm") and r["value_norm"] != r.get("value"):
                value += f"  ({r['value_norm']})"
        src = r.get("source_id")
        tlp = r.get("tlp") or (self.sources.get(src) or {}).get("tlp")
        s = self.sources.get(src) or {}
        unverified = verification.mark(s.get("signature_status")) if src else ""
        where = f"#{src} {tlpmod.label(tlp)}" + (f" · {unverified}" if unverified else "") if src else ""
        file = r.get("source_file") or ""
        item = QTreeWidgetItem([value, where, str(r.get("source_row") or ""), file.rsplit("/", 1)[-1]])
        if file:
            item.setToolTip(3, file)
        if tlp:
            item.setForeground(1, tlpmod.colour(tlp))
            item.setBackground(1, QColor(tlpmod.BADGE_BACKGROUND))
        item.setToolTip(1, "\n".join(x for x in (s.get("title"), f"bundle {r.get('bundle_id')}"
                                                 if r.get("bundle_id") else None, tlpmod.handling_text(s),
                                                 verification.explanation(s.get("signature_status"))) if x))
        item.setToolTip(0, value)
        return item

    def _fill_candidates(self, cands: list[dict]) -> None:
        standing_verdicts = {(j["entity_a"], j["entity_b"]): j for j in (self.data or {}).get("judgements", [])
                             if not j.get("undone_utc")}
        self.candidates.setRowCount(len(cands))
        cluster = set(self.data["cluster"]) if self.data else set()
        for r, c in enumerate(cands):
            other_is_b = c["entity_a"] in cluster
            other = c["entity_b"] if other_is_b else c["entity_a"]
            name = c["name_b"] if other_is_b else c["name_a"]
            src = c["source_b"] if other_is_b else c["source_a"]
            self.candidates.setItem(r, 0, QTableWidgetItem(f"{c['score']:.2f} {core(c['band'])}"))
            who = QTableWidgetItem(self.tr("{0} (source #{1}, entity {2})").format(name, src, other))
            status = (self.sources.get(src) or {}).get("signature_status")
            if verification.mark(status):   # the other side from an unsigned source: said where it is judged
                who.setText(f"{who.text()} · {verification.mark(status)}")
                who.setForeground(verification.colour(status))
            self.candidates.setItem(r, 1, who)
            reasons = core_all(c["reasons"])      # stored in English (evidence); shown translated
            why = QTableWidgetItem("\n".join(reasons))
            why.setToolTip("\n".join(reasons))
            self.candidates.setItem(r, 2, why)
            cellw = QWidget()
            cl = QVBoxLayout(cellw)
            cl.setContentsMargins(2, 2, 2, 2)
            cl.setSpacing(4)
            cl.setAlignment(Qt.AlignmentFlag.AlignTop)
            standing = standing_verdicts.get((c["entity_a"], c["entity_b"]))
            if standing is not None:   # 'unsure' leaves the pair here: say that it was judged, by whom
                said = QLabel(self.tr("Marked {0} by {1}").format(self._verdict_words(standing["verdict"]),
                                                                  standing["analyst"] or "?"))
                said.setObjectName(f"verdict-{r}")
                said.setWordWrap(True)
                said.setStyleSheet(f"color: {_BAND_COLOURS['possible']}; font-weight: bold;")
                cl.addWidget(said)
            for label, verdict in ((self.tr("Same"), "same"), (self.tr("Not same"), "different"),
                                   (self.tr("Unsure"), "unsure")):
                b = QPushButton(label)
                b.setObjectName(f"judge-{verdict}-{r}")
                b.clicked.connect(lambda _=False, a=c["entity_a"], bb=c["entity_b"], v=verdict: self.judge(a, bb, v))
                cl.addWidget(b)
            self.candidates.setCellWidget(r, 3, cellw)
            name_item = self.candidates.item(r, 1)
            name_item.setToolTip(name_item.text())
        for r in range(self.candidates.rowCount()):
            for c in range(3):
                self.candidates.item(r, c).setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        hh = self.candidates.horizontalHeader()
        self.candidates.resizeColumnsToContents()
        self.candidates.setColumnWidth(1, min(self.candidates.columnWidth(1), 170))
        hh.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # row heights once the reasons column has its stretched width
        QTimer.singleShot(0, self.candidates.resizeRowsToContents)
        self.cand_label.setVisible(bool(cands))
        self.candidates.setVisible(bool(cands))

    def _fill_pictures(self, atts: list[dict]) -> None:
        while self.pictures.count():
            w = self.pictures.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        shown = 0
        for a in atts:
            if not (a.get("media_type") or "").startswith("image/") or a.get("content") is None:
                continue
            pm = QPixmap()
            if not pm.loadFromData(bytes(a["content"])):
                continue
            lab = QLabel()
            lab.setPixmap(pm.scaled(QSize(180, 130), Qt.AspectRatioMode.KeepAspectRatio,
                                    Qt.TransformationMode.SmoothTransformation))
            lab.setToolTip(f"{a.get('title') or a['path']}\n#{a['source_id']} {a['path']}")
            self.pictures.addWidget(lab)
            shown += 1
        self.pictures.addStretch(1)
        self.pictures_area.setVisible(shown > 0)

    # -- judgements ------------------------------------------------------------------------
    def judge(self, a: int, b: int, verdict: str) -> None:
        case = self.case
        from workstation.settings import Settings

        analyst = Settings.load().analyst or None

        def work(p):
            return xref.judge(case, a, b, verdict, analyst=analyst)

        self._run_judgement(self.tr("Judgement"), work, self._judged)

    def _chosen_judgement(self) -> tuple[int, int] | None:
        item = self.tree.currentItem()
        what = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return (what[1], what[2]) if what and what[0] == "judgement" else None

    def _update_undo(self) -> None:
        """Undo acts on the standing judgement chosen in the tree (of any session), else on the last one
        made here."""
        chosen = self._chosen_judgement()
        self.undo_button.setText(self.tr("Undo this judgement") if chosen else self.tr("Undo last judgement"))
        self.undo_button.setEnabled(bool(chosen or self.undo_stack))

    def undo(self) -> None:
        chosen = self._chosen_judgement()
        if chosen is None:
            self.undo_last()
            return
        a, b = chosen
        if (a, b) in self.undo_stack:
            self.undo_stack.remove((a, b))
        case = self.case
        self.undo_button.setEnabled(False)
        self._run_judgement(self.tr("Undo"), lambda p: xref.undo(case, a, b), self._undone)

    def _judged(self, result: dict) -> None:
        self.undo_stack.append((result["entity_a"], result["entity_b"]))
        self.undo_button.setEnabled(True)
        self.judged.emit(result)
        if self.entity_id is not None:
            self.show_entity(self.entity_id)

    def undo_last(self) -> None:
        if not self.undo_stack:
            return
        a, b = self.undo_stack.pop()
        case = self.case
        self.undo_button.setEnabled(bool(self.undo_stack))
        self._run_judgement(self.tr("Undo"), lambda p: xref.undo(case, a, b), self._undone)

    def _undone(self, result: dict) -> None:
        self.judged.emit(result)
        if self.entity_id is not None:
            self.show_entity(self.entity_id)

    def _run_judgement(self, title: str, fn, done) -> None:
        """Judgements and undos one after another, each reported: a new one waits for the running one
        (a Worker's start would supersede it)."""
        if self.judge_worker.current is not None:   # running, or done and not yet reported
            self._pending.append((title, fn, done))
            return

        def finished(result, done=done) -> None:
            done(result)
            self._next_judgement()

        def failed(e, title=title) -> None:
            show_error(self, title, e)
            self._next_judgement()

        self.judge_worker.start(title, fn, finished, failed)

    def _next_judgement(self) -> None:
        if self._pending:
            self._run_judgement(*self._pending.pop(0))

    def shutdown(self) -> None:
        self.worker.shutdown()
        self._pending.clear()
        self.judge_worker.shutdown()


__all__ = ["SearchPanel", "ProfilePanel", "LintasError"]
