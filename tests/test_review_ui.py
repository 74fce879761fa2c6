"""A review of the analyst's flows in the window (issues 3 and 4), on the demo case's own files.

Each test drives the window as an analyst would (pytest-qt, offscreen) on a real case built by the
demo generator, and checks what the window shows, not only what the case holds.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from tests.test_ui_search import _search
from workstation.case import Case
from workstation.errors import Cancelled


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo case (small scale) and its bundles, built once for this module."""
    from workstation.demo import build_demo

    base = tmp_path_factory.mktemp("review-ui-demo")
    with pytest.MonkeyPatch.context() as mp:   # the keyring and logs stay out of the real config
        mp.setenv("LINTAS_CONFIG_DIR", str(base / "config"))
        mp.setenv("LINTAS_LOG_DIR", str(base / "log"))
        built = build_demo(base / "demo", scale=0.1, seed=14)
    return {"case": built["case"], "bundles": {p.stem: p for p in built["bundles"]}}


def _window(qtbot, path: Path):
    from ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.refreshed, timeout=20000):   # the case read on the refresh worker
        assert win.open_case(path)
    return win


@pytest.fixture
def window(qtbot, demo, case_path):
    """The window on a copy of the demo case (six sources; #6, from the PNP, is unsigned)."""
    shutil.copy(demo["case"], case_path)
    win = _window(qtbot, case_path)
    yield win
    win.close()


@pytest.fixture
def empty_window(qtbot, case_path):
    Case.create(case_path, "Operasi Mawar", ref="MAWAR-2026-014").close()
    win = _window(qtbot, case_path)
    yield win
    win.close()


def _open_profile(qtbot, win, entity_id: int):
    profile = win.profile_panel
    with qtbot.waitSignal(profile.worker.ended, timeout=10000):
        profile.show_entity(entity_id)
    return profile


# -- an unsigned source is marked unverified wherever it is shown -------------------------------
def test_unsigned_source_is_marked_unverified_in_search_hits_and_profile(qtbot, window):
    hits = _search(qtbot, window, "Jose de la Cruz")
    row = next(i for i, h in enumerate(hits) if h["kind"] == "persons" and h["source_id"] == 6)
    panel = window.search_panel
    assert "UNVERIFIED" in panel.results.item(row, 2).text()
    # a verified source's hit is not marked
    signed = next(i for i, h in enumerate(_search(qtbot, window, "rizal abdullah")) if h["source_id"] == 1)
    assert "UNVERIFIED" not in panel.results.item(signed, 2).text()

    profile = _open_profile(qtbot, window, hits[row]["entity_id"])
    names = profile.tree.topLevelItem(0)
    assert names.text(0).startswith("Names") and "UNVERIFIED" in names.child(0).text(1)
    assert profile.warning.isVisibleTo(profile) and "#6" in profile.warning.text()
    # the sources list and the explorer say it too
    status = window.sources.item(5, 4).text()
    assert window.sources.item(5, 0).text() == "6" and "UNVERIFIED" in status
    # a verified profile carries no warning
    _open_profile(qtbot, window, hits[0]["entity_id"] if hits[0]["source_id"] != 6 else 1)
    profile = _open_profile(qtbot, window, 1)
    assert not profile.warning.isVisibleTo(profile)


# -- the search filters of issue 4: kind, source, country, time range -------------------------
def test_country_and_time_range_filters(qtbot, window):
    panel = window.search_panel
    hits = _search(qtbot, window, "tawau")
    assert {h["country"] for h in hits if h["kind"] == "persons"} >= {"MY", "ID"}
    with qtbot.waitSignal(panel.worker.ended, timeout=20000):
        panel.country.setText("Malaysia")
        panel.country.editingFinished.emit()
    assert panel.hits and {h["country"] for h in panel.hits} == {"MY"}
    with qtbot.waitSignal(panel.worker.ended, timeout=20000):
        panel.country.clear()
        panel.country.editingFinished.emit()
    with qtbot.waitSignal(panel.worker.ended, timeout=20000):
        panel.time_from.setDate(QDate(2026, 8, 1))
    with qtbot.waitSignal(panel.worker.ended, timeout=20000):
        panel.time_to.setDate(QDate(2026, 8, 31))
    assert panel.hits
    for h in panel.hits:   # each hit's rows overlap August 2026
        first = dt.datetime.fromisoformat(h["time_utc"].rstrip("Z"))
        last = dt.datetime.fromisoformat((h["time_last_utc"] or h["time_utc"]).rstrip("Z"))
        assert first < dt.datetime(2026, 9, 1) and last >= dt.datetime(2026, 8, 1), h
    last = [e for e in window.case.audit_entries() if e["action"] == "search"][-1]
    assert last["params"]["from"].startswith("2026-08-01") and last["params"]["to"].startswith("2026-09-01")
    # an unknown country is said, not silently matched to nothing
    with qtbot.waitSignal(panel.worker.ended, timeout=20000):
        panel.country.setText("Narnia")
        panel.country.editingFinished.emit()
    assert "Narnia" in panel.status.text()


# -- entity resolution from the window -------------------------------------------------------------
def _find_matches(qtbot, win, how: str = "button") -> list[dict]:
    panel = win.search_panel
    with qtbot.waitSignal(panel.xref_worker.ended, timeout=30000):
        if how == "menu":
            win.match_action.trigger()        # View → Find matches (Ctrl+M), from any tab
        else:
            panel.match_button.click()
    return panel.pairs


def test_find_matches_lists_pairs_with_reasons_and_a_rejected_pair_stays_gone(qtbot, window):
    panel = window.search_panel
    pairs = _find_matches(qtbot, window, "menu")
    assert pairs and panel.matches.rowCount() == len(pairs)
    assert window.tabs.currentWidget() is panel and panel.lists.currentWidget() is panel.matches
    assert panel.matches.item(0, 3).text().strip()                       # the reasons, shown
    assert "#" in panel.matches.item(0, 1).text()                         # each side with its source
    # choosing a pair opens its profile, where the pair is among the suggestions with buttons
    pair = pairs[0]
    profile = window.profile_panel
    with qtbot.waitSignal(profile.worker.ended, timeout=10000):
        panel.matches.selectRow(0)
    others = {(c["entity_a"], c["entity_b"]) for c in profile.data["candidates"]}
    assert (pair["entity_a"], pair["entity_b"]) in others
    row = next(i for i, c in enumerate(profile.data["candidates"])
               if (c["entity_a"], c["entity_b"]) == (pair["entity_a"], pair["entity_b"]))
    from PySide6.QtWidgets import QPushButton

    button = profile.candidates.cellWidget(row, 3).findChild(QPushButton, f"judge-different-{row}")
    with qtbot.waitSignal(profile.judged, timeout=10000):
        button.click()
    # the list follows the judgement, and a new run does not bring the rejected pair back
    qtbot.waitUntil(lambda: (pair["entity_a"], pair["entity_b"]) not in
                    {(p["entity_a"], p["entity_b"]) for p in panel.pairs}, timeout=10000)
    again = _find_matches(qtbot, window)
    assert (pair["entity_a"], pair["entity_b"]) not in {(p["entity_a"], p["entity_b"]) for p in again}
    assert any(e["action"] == "xref" for e in window.case.audit_entries())


def test_a_judgement_of_an_earlier_session_can_be_undone_from_the_profile(qtbot, window, case_path):
    from analysis import xref

    xref.xref(window.case)
    cand = xref.candidates_for(window.case.cursor(), [1])
    assert cand
    a, b = cand[0]["entity_a"], cand[0]["entity_b"]
    xref.judge(window.case, a, b, "same", analyst="earlier")
    window.close()
    win = _window(qtbot, case_path)          # a new session: nothing on its own undo stack
    profile = _open_profile(qtbot, win, a)
    assert sorted(profile.data["cluster"]) == sorted({a, b})
    top = [profile.tree.topLevelItem(i) for i in range(profile.tree.topLevelItemCount())]
    judged = next(t for t in top if t.text(0).startswith("Judgements"))
    item = judged.child(0)
    # the judgement names both sides, not their entity numbers
    names = dict(win.case.cursor().execute("SELECT entity_id, name FROM entities WHERE entity_id IN (?, ?)",
                                           [a, b]).fetchall())
    assert item.text(0).startswith(f"{names[a]} ~ {names[b]}:"), item.text(0)
    profile.tree.setCurrentItem(item)
    assert profile.undo_button.isEnabled()
    with qtbot.waitSignal(profile.judged, timeout=10000):
        profile.undo_button.click()
    qtbot.waitUntil(lambda: not profile.worker.busy() and profile.data["cluster"] == [a], timeout=10000)
    assert win.case.cursor().execute("SELECT count(*) FROM judgements WHERE undone_utc IS NULL").fetchall() == [(0,)]
    win.close()


# -- import ----------------------------------------------------------------------------------------
def _review(qtbot, win, path):
    ctl = win.import_controller
    with qtbot.waitSignal(ctl.review, timeout=10000) as sig:
        ctl.start([path])
    return sig.args[0]


def test_the_same_bundle_again_is_said_to_be_in_the_case_before_consent(qtbot, empty_window, demo):
    ctl = empty_window.import_controller
    dlg = _review(qtbot, empty_window, demo["bundles"]["pnp-zamboanga"])
    assert not dlg.already.isVisibleTo(dlg)
    dlg.consent.setChecked(True)
    with qtbot.waitSignal(ctl.imported, timeout=20000):
        dlg.accept()
    dlg = _review(qtbot, empty_window, demo["bundles"]["pnp-zamboanga"])
    assert dlg.already.isVisibleTo(dlg) and "#1" in dlg.already.text()
    dlg.consent.setChecked(True)
    assert not dlg.import_button.isEnabled()
    dlg.reject()
    assert len(empty_window.case.sources()) == 1


def _whole(label) -> bool:
    """A word-wrapped label is shown whole: as tall as its text needs at its width."""
    return label.height() >= label.heightForWidth(label.width())


def test_review_of_an_unknown_signer_shows_its_whole_warning_and_every_file(qtbot, empty_window, demo):
    """The unknown signer's warning ends with what to do (check the key id with its sender): it must
    not be cut off, nor the list of files squeezed to a row or two, also with the note that the
    bundle is in the case already."""
    ctl = empty_window.import_controller
    dlg = _review(qtbot, empty_window, demo["bundles"]["pdrm-tawau"])
    dlg.consent.setChecked(True)
    with qtbot.waitSignal(ctl.imported, timeout=20000):
        dlg.accept()
    dlg = _review(qtbot, empty_window, demo["bundles"]["pdrm-tawau"])
    qtbot.waitExposed(dlg)
    qtbot.wait(50)
    assert dlg.already.isVisible() and _whole(dlg.already)
    assert "sender" in dlg.signature.text() and _whole(dlg.signature)
    files = dlg.files
    shown = files.viewport().height()
    assert shown >= sum(files.rowHeight(r) for r in range(files.rowCount())), (shown, files.rowCount())
    dlg.reject()


def test_the_same_file_again_is_said_plainly_not_only_in_the_status_bar(qtbot, empty_window, tmp_path):
    """A plain file's copy is only known as one when it is read: the window says so in a message, and
    shows the source it already is."""
    from workstation.importers import ImportOptions

    f = tmp_path / "orang.csv"
    f.write_text("id,name\nP-1,Agus Salim\n", encoding="utf-8")
    ctl = empty_window.import_controller
    opts = ImportOptions(kind="persons", producer_country="ID")
    with qtbot.waitSignal(ctl.imported, timeout=20000):
        ctl.run_import(f, opts, "plain")
    with qtbot.waitSignal(ctl.imported, timeout=20000) as done:
        ctl.run_import(f, opts, "plain")
    assert done.args[0].already_imported_as == 1
    assert ctl.notice is not None and ctl.notice.isVisible() and "#1" in ctl.notice.text()
    assert empty_window.tabs.currentWidget() is empty_window.sources
    qtbot.waitUntil(lambda: [i.row() for i in empty_window.sources.selectionModel().selectedRows()] == [0],
                    timeout=10000)       # once the sources list shows it (refreshed off the UI thread)
    qtbot.wait(200)                      # and a refresh that ends later keeps the choice
    assert [i.row() for i in empty_window.sources.selectionModel().selectedRows()] == [0]
    ctl.notice.close()


def test_refused_rows_can_be_set_aside_and_listed_afterwards(qtbot, empty_window, tmp_path):
    f = tmp_path / "cdr.csv"
    good = [f"0812345678{i % 10},0813111122{i % 10},2026-03-01 08:{i % 60:02d}:00" for i in range(20)]
    bad = [f"0812,0813,kemarin {i}" for i in range(150)]
    f.write_text("\n".join(["A_NUMBER,B_NUMBER,START_TIME", *good, *bad]) + "\n", encoding="utf-8")
    ctl = empty_window.import_controller
    wiz = _review(qtbot, empty_window, f)
    wiz.next()
    wiz.next()
    wiz.timezone.setCurrentText("Asia/Makassar")
    with qtbot.waitSignal(ctl.refused, timeout=20000) as refused:
        wiz.accept()
    dlg = refused.args[0]
    assert dlg.table.rowCount() == 100
    assert "150" in dlg.summary.text() and "100" in dlg.listed.text()     # what is listed, of how many
    assert dlg.skip_button.isVisibleTo(dlg)
    with qtbot.waitSignal(ctl.imported, timeout=20000) as done:
        dlg.skip_button.click()
    result = done.args[0]
    assert result.imported and result.rows == {"calls": 20} and result.rejected == 150
    assert "150" in empty_window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: empty_window.sources.rowCount() == 1, timeout=10000)   # refreshed off the UI thread
    status = empty_window.sources.item(0, 4).text()
    assert "150" in status
    # the rows set aside are listed from the sources list
    console = empty_window.console
    with qtbot.waitSignal(console.worker.ended, timeout=20000):
        empty_window.sources.itemActivated.emit(empty_window.sources.item(0, 4))
    assert empty_window.tabs.currentWidget() is console and "rejects" in console.editor.toPlainText()
    qtbot.waitUntil(lambda: console.model is not None and console.model.rowCount() == 150, timeout=10000)


def test_a_bundle_refusal_offers_no_setting_aside(qtbot, empty_window):
    """A bundle that does not check out (a hash) is refused whole: nothing to set aside."""
    fixtures = Path(__file__).parent / "fixtures" / "bundles" / "malformed"
    ctl = empty_window.import_controller
    with qtbot.waitSignal(ctl.refused, timeout=10000) as refused:
        ctl.start([fixtures / "bad_signature.zip"])
    dlg = refused.args[0]
    assert dlg.table.rowCount() >= 1 and not dlg.skip_button.isVisibleTo(dlg)
    dlg.close()
    assert empty_window.case.sources() == []


def test_a_hit_shows_its_source_without_scrolling_sideways(qtbot, window):
    """Each hit names its source: at the window's usual size that column is in view, not past the
    right edge of the table."""
    window.resize(1400, 860)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.search_panel)
    _search(qtbot, window, "rizal")
    table = window.search_panel.results
    heads = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    col = heads.index("Source")
    right = table.columnViewportPosition(col) + table.columnWidth(col)
    assert 0 <= table.columnViewportPosition(col) and right <= table.viewport().width(), (heads, right)
    assert table.columnWidth(col) >= min(table.sizeHintForColumn(col), 180)   # readable, not squeezed


def _children(item) -> list:
    return [item.child(i) for i in range(item.childCount())]


def test_pivot_from_a_profile_to_the_records_and_rows_sharing_an_identifier(qtbot, window):
    """Issue 4's pivot: from an entity, everything sharing one of its identifiers, across sources —
    grouped by the identifier, in the analyst's words, each other record opening its own profile
    and each group of call or message rows listing all its rows (not a silent first 50)."""
    from PySide6.QtCore import Qt

    profile = _open_profile(qtbot, window, 1)                   # Muhammad Rizal bin Abdullah
    top = next(profile.tree.topLevelItem(i) for i in range(profile.tree.topLevelItemCount())
               if profile.tree.topLevelItem(i).text(0).startswith("Events and mentions"))
    phone = next(c for c in _children(top) if "+6281234567890" in c.text(0))
    assert "value_norm" not in phone.text(0) and "caller_e164" not in " ".join(c.text(0) for c in _children(phone))
    holders = [c for c in _children(phone) if (c.data(0, Qt.ItemDataRole.UserRole) or ("",))[0] == "entity"]
    assert {c.data(0, Qt.ItemDataRole.UserRole)[1] for c in holders} >= {35, 70}   # 'Rizal' #2, 'Mohd Rizal' #4
    calls = next(c for c in _children(phone) if (c.data(0, Qt.ItemDataRole.UserRole) or ("",))[0] == "rows"
                 and "caller_e164" in c.data(0, Qt.ItemDataRole.UserRole)[1])
    assert "18" in calls.text(0) and "#2" in calls.text(1)
    console = window.console
    with qtbot.waitSignal(console.worker.ended, timeout=20000):
        profile.tree.itemActivated.emit(calls, 0)
    assert window.tabs.currentWidget() is console
    qtbot.waitUntil(lambda: console.model is not None and console.model.rowCount() == 18, timeout=10000)
    # and from a record holding the same number, to its own profile
    window.tabs.setCurrentWidget(window.search_panel)
    other = next(c for c in holders if c.data(0, Qt.ItemDataRole.UserRole)[1] == 70)
    with qtbot.waitSignal(profile.worker.ended, timeout=10000):
        profile.tree.itemActivated.emit(other, 0)
    assert profile.entity_id == 70 and "Rizal" in profile.title.text()


def test_the_window_outlives_more_qt_calls_than_none_has_references():
    """PySide6 6.12 on Python 3.11 takes a reference from None at every call of a method that returns
    nothing (setText, setToolTip, setItem …); None reaches zero and the process aborts ('deallocating
    None') — a window with a few thousand audit entries did, on opening its audit log. The window's
    package guards against it; run in a process of its own, as a crash would end the test run."""
    import subprocess
    import sys

    code = ("from ui.app import create_app\n"
            "app = create_app()\n"
            "from PySide6.QtWidgets import QLabel\n"
            "label = QLabel()\n"
            "n = 300_000   # None holds about 40,000 references in a window like this\n"
            "for _ in range(n):\n"
            "    label.setText('x')\n"
            "    label.setToolTip('y')\n"
            "print('survived', n)\n")
    env = dict(__import__("os").environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env,
                          cwd=Path(__file__).parents[1])
    assert done.returncode == 0 and "survived" in done.stdout, done.stderr[-1500:]


@pytest.fixture
def indonesian(qapp):
    from ui import i18n

    assert i18n.install(qapp, "id") == "id"
    yield
    i18n.install(qapp, "en")


def test_the_new_words_of_the_review_speak_indonesian(qtbot, indonesian, window):
    """What this review added is translated as the rest of the window is: the verification of a
    source, the marks on an unsigned source's rows, the new filters and buttons."""
    assert window.sources.item(5, 4).text() == "TIDAK TERVERIFIKASI: tidak ditandatangani"
    assert window.sources.item(0, 4).text() == "terverifikasi"
    panel = window.search_panel
    assert panel.match_button.text() == "Cari kecocokan" and panel.country.placeholderText() == "Negara"
    hits = _search(qtbot, window, "Jose de la Cruz")
    row = next(i for i, h in enumerate(hits) if h["source_id"] == 6)
    assert panel.results.item(row, 2).text().endswith("TIDAK TERVERIFIKASI")
    profile = _open_profile(qtbot, window, hits[row]["entity_id"])
    assert profile.warning.text().startswith("Catatan dari sumber yang tidak terverifikasi")
    # the import review says how it reads the file in the window's language
    dlg = _review(qtbot, window, Path(__file__).parent / "fixtures" / "bundles" / "example_partner_my.zip")
    assert dlg.read_as.text() == "bundel bukti atau paket mitra lintas-bundle/1 (ZIP atau direktori)"
    dlg.reject()
    # the bundle-folder chooser is Qt's own dialog: its words too
    assert window.import_folder_action.text() == "Impor &folder bundel…"
    window.import_folder_action.trigger()
    chooser = window.folder_dialog
    assert chooser.labelText(chooser.DialogLabel.LookIn) == "&Cari di:"
    assert chooser.labelText(chooser.DialogLabel.Accept) == "&Pilih"
    chooser.reject()


def test_rows_of_an_unsigned_source_are_marked_in_the_sql_console(qtbot, window):
    """The SQL console shows each row's source with its TLP badge: an unsigned source's rows say
    UNVERIFIED there too."""
    console = window.console
    with qtbot.waitSignal(console.worker.ended, timeout=20000):
        window.show_sql("SELECT source_id, name FROM persons WHERE source_id IN (1, 6) ORDER BY source_id DESC")
    qtbot.waitUntil(lambda: console.model is not None and console.model.rowCount() > 0, timeout=10000)
    model = console.model
    model.data(model.index(0, 0))                                  # asks for the page, fetched in the background
    qtbot.waitUntil(lambda: model.is_loaded(0), timeout=10000)
    cells = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert cells[0].startswith("6") and "UNVERIFIED" in cells[0]
    assert cells[-1].startswith("1") and "UNVERIFIED" not in cells[-1]
    assert "Not signed" in model.data(model.index(0, 1), Qt.ItemDataRole.ToolTipRole)


def test_a_long_audit_log_is_read_and_verified_off_the_ui_thread(qtbot, window, monkeypatch):
    """Every search, profile, judgement and import is an audit entry; a case in use holds thousands,
    and the panel re-read and re-hashed them all on the UI thread after each import and judgement
    (0.6 s at 3,000 entries). Past SYNC_LIMIT entries that work runs in the panel's worker."""
    from ui import audit_panel

    monkeypatch.setattr(audit_panel, "SYNC_LIMIT", 3)          # the demo case holds a few more
    panel = window.audit_panel
    with qtbot.waitSignal(panel.worker.ended, timeout=20000):
        panel.refresh()
        assert panel.worker.busy() or panel.worker.current is not None
    entries = window.case.audit_entries()
    assert len(entries) > 3 and window.audit.rowCount() == len(entries)
    assert window.audit.item(0, 0).text() == str(entries[-1]["seq"])   # newest first
    assert "intact" in window.audit_status.text()
    panel.filter.setText("import")
    assert 0 < window.audit.rowCount() < len(entries)
    assert all("import" in window.audit.item(r, 3).text() for r in range(window.audit.rowCount()))


def test_a_bundle_folder_can_be_chosen_for_import(qtbot, empty_window, demo, tmp_path):
    """A lintas-bundle/1 bundle is a ZIP or a directory; File → Import offered files only, so a
    bundle folder could come in only by dragging it onto the window."""
    import zipfile

    folder = tmp_path / "pnp-zamboanga"
    with zipfile.ZipFile(demo["bundles"]["pnp-zamboanga"]) as zf:
        zf.extractall(folder)
    empty_window.import_folder_action.trigger()
    chooser = empty_window.folder_dialog
    assert chooser.isVisible() and chooser.fileMode() == chooser.FileMode.Directory
    ctl = empty_window.import_controller
    with qtbot.waitSignal(ctl.review, timeout=10000) as sig:
        chooser.selectFile(str(folder))
        chooser.accept()
    dlg = sig.args[0]
    assert dlg.trust_state == "unsigned" and dlg.files.rowCount() == 4
    dlg.consent.setChecked(True)
    with qtbot.waitSignal(ctl.imported, timeout=20000) as done:
        dlg.accept()
    assert done.args[0].imported and empty_window.case.sources()[0]["signature_status"] == "unsigned"


def test_a_pair_marked_unsure_says_so_where_it_is_judged(qtbot, window):
    """'Unsure' keeps a pair among the suggestions (it settles nothing); the row must then say that
    the analyst marked it unsure, not look as if it had never been judged."""
    from PySide6.QtWidgets import QLabel, QPushButton

    _find_matches(qtbot, window, "menu")
    profile = window.profile_panel
    with qtbot.waitSignal(profile.worker.ended, timeout=10000):
        window.search_panel.matches.selectRow(0)
    pair = (profile.data["candidates"][0]["entity_a"], profile.data["candidates"][0]["entity_b"])
    button = profile.candidates.cellWidget(0, 3).findChild(QPushButton, "judge-unsure-0")
    with qtbot.waitSignal(profile.judged, timeout=10000):
        button.click()
    qtbot.waitUntil(lambda: not profile.worker.busy() and profile.data is not None
                    and any(j["verdict"] == "unsure" for j in profile.data["judgements"]), timeout=10000)
    row = next(i for i, c in enumerate(profile.data["candidates"]) if (c["entity_a"], c["entity_b"]) == pair)
    said = profile.candidates.cellWidget(row, 3).findChild(QLabel, f"verdict-{row}")
    assert said is not None and said.isVisibleTo(profile) and "unsure" in said.text().lower()


def test_each_profile_value_names_the_file_its_row_is_in(qtbot, window):
    """A bundle holds several files: 'row 1' of a name and 'row 2' of a passport are rows of different
    files. Each value shows the file beside its row, so the row can be found."""
    profile = _open_profile(qtbot, window, 70)                    # Mohd Rizal Abdullah, PDRM Tawau
    heads = [profile.tree.headerItem().text(c) for c in range(profile.tree.columnCount())]
    col = heads.index("File")
    top = {profile.tree.topLevelItem(i).text(0).split(" (")[0]: profile.tree.topLevelItem(i)
           for i in range(profile.tree.topLevelItemCount())}
    name, ident_ = top["Names"].child(0), top["Identifiers"].child(0)
    assert name.text(col) == "orang.jsonl" and name.text(2) == "1"
    assert ident_.text(col) == "pengenalan.jsonl" and "data/pengenalan.jsonl" in ident_.toolTip(col)


def test_a_search_cut_at_its_limit_says_there_may_be_more(qtbot, window, monkeypatch):
    """The panel shows the best SEARCH_LIMIT hits; when it is reached, '200 hits' read as all there
    were. The status says they are the best ones and how to see the rest."""
    from ui import search_panel

    monkeypatch.setattr(search_panel, "SEARCH_LIMIT", 20)
    hits = _search(qtbot, window, "tawau")                      # 190 hits in the demo case
    status = window.search_panel.status.text()
    assert len(hits) == 20 and "best 20" in status and "filter" in status
    hits = _search(qtbot, window, "samarinda")
    assert len(hits) < 20 and window.search_panel.status.text().startswith(f"{len(hits)} hits, best first")


def _signed_bundle_with_a_bad_row(tmp_path) -> Path:
    """A bundle of calls signed by a key no keyring holds, one row of it with an unreadable time."""
    import json

    from workstation import bundle, keys

    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    (src / "data" / "calls.csv").write_text(
        "caller,callee,start\n0812 3456 7890,0813 1111 2222,2026-03-01T08:15:00+08:00\n"
        "0812 3456 7890,0813 1111 2222,kemarin\n", encoding="utf-8")
    (src / "manifest.json").write_text(json.dumps({
        "title": "CDR Satreskrim", "producer": {"agency": "Polres Bontang", "country": "ID"},
        "handling": {"tlp": "AMBER", "releasable_to": ["ID"]},
        "tables": [{"path": "data/calls.csv", "kind": "calls", "format": "csv"}]}), encoding="utf-8")
    key = tmp_path / "partner.pem"
    keys.new_key("Polres Bontang", key)
    return bundle.pack(src, tmp_path / "cdr-signed.zip", sign_key=key)


def test_a_key_added_to_the_keyring_at_review_is_kept_only_if_its_import_completes(qtbot, empty_window, tmp_path):
    """'Add to my keyring' at review wrote the key into the keyring before the import ran: a refused or
    cancelled import left the key trusted all the same. Now the key is trusted for the import and
    written to the keyring once the import is done; setting bad rows aside keeps that choice."""
    from workstation.keys import Keyring

    path = _signed_bundle_with_a_bad_row(tmp_path)
    dlg = _review(qtbot, empty_window, path)
    assert dlg.trust_state == "unknown-signer"
    dlg.consent.setChecked(True)
    dlg.add_to_keyring.setChecked(True)
    dlg.key_name.setText("Polres Bontang")
    dlg.key_country.setText("ID")
    ctl = empty_window.import_controller
    with qtbot.waitSignal(ctl.refused, timeout=20000) as refused:
        dlg.accept()
    assert Keyring.load().entries() == []                        # refused: nothing trusted
    problems = refused.args[0]
    with qtbot.waitSignal(ctl.imported, timeout=20000) as done:
        problems.skip_button.click()
    result = done.args[0]
    assert result.imported and result.rejected == 1
    assert result.signature["status"] == "verified"             # the analyst's choice held on the retry
    assert [e.name for e in Keyring.load().entries()] == ["Polres Bontang"]


def test_a_suggestion_from_an_unsigned_source_is_marked_where_it_is_judged(qtbot, window):
    """The suggested matches name each side's source; a side from the unsigned source says UNVERIFIED
    in the list and in the profile where the analyst confirms or rejects it."""
    pairs = _find_matches(qtbot, window, "menu")
    panel = window.search_panel
    row = next(i for i, c in enumerate(pairs) if 6 in (c["source_a"], c["source_b"]))
    side = 1 if pairs[row]["source_a"] == 6 else 2
    assert "UNVERIFIED" in panel.matches.item(row, side).text()
    other = pairs[row]["entity_b"] if side == 1 else pairs[row]["entity_a"]
    profile = _open_profile(qtbot, window, other)              # the signed side's profile
    at = next(i for i, c in enumerate(profile.data["candidates"]) if 6 in (c["source_a"], c["source_b"]))
    assert "UNVERIFIED" in profile.candidates.item(at, 1).text()


def test_judging_while_find_matches_runs_does_not_cancel_it(qtbot, window):
    """A judgement refreshes the suggestions list in the panel's xref worker; while a run of Find
    matches was under way, that refresh cancelled it."""
    from PySide6.QtWidgets import QPushButton

    _find_matches(qtbot, window, "menu")
    panel, profile = window.search_panel, window.profile_panel
    with qtbot.waitSignal(profile.worker.ended, timeout=10000):
        panel.matches.selectRow(0)
    runs = sum(e["action"] == "xref" for e in window.case.audit_entries())
    with qtbot.waitSignal(panel.xref_worker.ended, timeout=30000):
        panel.match_button.click()
        with qtbot.waitSignal(profile.judged, timeout=10000):
            profile.candidates.cellWidget(0, 3).findChild(QPushButton, "judge-different-0").click()
    assert panel.status.text() != "Cancelled." and "suggested pairs" in panel.status.text()
    assert sum(e["action"] == "xref" for e in window.case.audit_entries()) == runs + 1


def test_a_judgement_is_not_lost_when_another_profile_is_opened_at_once(qtbot, window):
    """Judgements ran in the profile's worker: opening another profile right after a click on 'Same'
    superseded the judgement's job — recorded in the case, but never reported, so the window did not
    offer to undo it nor show it in the audit log."""
    from PySide6.QtWidgets import QPushButton

    _find_matches(qtbot, window, "menu")
    panel, profile = window.search_panel, window.profile_panel
    with qtbot.waitSignal(profile.worker.ended, timeout=10000):
        panel.matches.selectRow(0)
    with qtbot.waitSignal(profile.judged, timeout=10000) as judged:
        profile.candidates.cellWidget(0, 3).findChild(QPushButton, "judge-same-0").click()
        profile.show_entity(panel.pairs[1]["entity_a"])           # the analyst moves on at once
    pair = (judged.args[0]["entity_a"], judged.args[0]["entity_b"])
    assert profile.undo_stack == [pair]
    qtbot.waitUntil(lambda: not profile.worker.busy(), timeout=10000)
    assert any(window.audit.item(r, 3).text() == "judgement" for r in range(window.audit.rowCount()))


def test_two_quick_judgements_are_both_reported(qtbot, window):
    """Two judgements clicked one after the other: the second no longer supersedes the first (both are
    recorded in the case; both must be on the undo stack)."""
    from PySide6.QtWidgets import QPushButton

    _find_matches(qtbot, window, "menu")
    panel, profile = window.search_panel, window.profile_panel
    with qtbot.waitSignal(profile.worker.ended, timeout=10000):
        panel.matches.selectRow(0)
    assert profile.candidates.rowCount() >= 2
    clicks = [profile.candidates.cellWidget(r, 3).findChild(QPushButton, f"judge-unsure-{r}") for r in (0, 1)]
    for b in clicks:
        b.click()
    qtbot.waitUntil(lambda: len(profile.undo_stack) == 2, timeout=10000)
    qtbot.waitUntil(lambda: profile.judge_worker.current is None and not profile.worker.busy(), timeout=10000)
    assert window.case.cursor().execute(
        "SELECT count(*) FROM judgements WHERE verdict = 'unsure' AND undone_utc IS NULL").fetchall() == [(2,)]


def test_a_long_list_of_suggestions_shows_the_best_and_says_how_many_there_are(qtbot, window, monkeypatch):
    """A large case yields tens of thousands of suggested pairs: laying them all out in the table would
    freeze the window. The list shows the best MATCH_LIST_LIMIT and says how many there are."""
    from ui import search_panel

    monkeypatch.setattr(search_panel, "MATCH_LIST_LIMIT", 5)
    pairs = _find_matches(qtbot, window, "menu")
    panel = window.search_panel
    assert len(pairs) > 5 and panel.matches.rowCount() == 5
    assert panel.status.text().startswith(f"The best 5 of {len(pairs)} suggested pairs")
    assert panel.lists.tabText(1) == f"Suggested matches (5 of {len(pairs)})"


def test_a_file_dropped_as_an_import_ends_does_not_swallow_its_result(qtbot, empty_window, demo, tmp_path):
    """An import whose work is done but not yet reported (its result waits in the event queue) was
    superseded by a file dropped at that moment: the case had the source, the window never said so."""
    from workstation.importers import ImportOptions

    f = tmp_path / "orang.csv"
    f.write_text("id,name\nP-1,Agus Salim\n", encoding="utf-8")
    ctl = empty_window.import_controller
    ctl.run_import(f, ImportOptions(kind="persons", producer_country="ID"), "plain")
    ctl.worker.current.thread.join(20)          # done, its result not yet delivered (no events processed)
    with qtbot.waitSignal(ctl.imported, timeout=20000) as done:
        ctl.start([demo["bundles"]["pnp-zamboanga"]])
    assert done.args[0].imported
    with qtbot.waitSignal(ctl.review, timeout=10000) as sig:   # and the dropped file comes next
        qtbot.waitUntil(lambda: empty_window.sources.rowCount() == 1, timeout=10000)   # refreshed off the UI thread
    sig.args[0].reject()


def test_esc_cancels_the_search_panels_running_job(qtbot, window):
    """The shortcuts help and the status bar's cancel button say Esc cancels the running job in its
    panel; in the search panel (a search, Find matches, a profile) it did nothing."""
    from PySide6.QtTest import QTest

    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.search_panel)
    panel = window.search_panel
    with qtbot.waitActive(window):
        window.activateWindow()
    panel.box.setFocus()                                      # the analyst is in the search box
    qtbot.waitUntil(panel.box.hasFocus, timeout=5000)
    with qtbot.waitSignal(panel.xref_worker.ended, timeout=30000):
        panel.match_button.click()
        QTest.keyClick(panel.box, Qt.Key.Key_Escape)
    assert panel.status.text() == "Cancelled." and panel.pairs == []
    assert not any(e["action"] == "xref" for e in window.case.audit_entries())   # nothing stored



@pytest.mark.parametrize("name, focus", [("network_panel", "hops"), ("audit_panel", "filter")])
def test_esc_cancels_the_running_job_of_the_network_and_audit_panels(qtbot, window, name, focus):
    """Esc cancels the running job of the panel it is pressed in; the network and audit panels had
    no such key, so building a network of many hops or reading a long audit log could only be
    stopped from the status bar."""
    import time

    from PySide6.QtTest import QTest

    window.show()
    qtbot.waitExposed(window)
    panel = getattr(window, name)
    window.tabs.setCurrentWidget(panel)
    with qtbot.waitActive(window):
        window.activateWindow()
    widget = getattr(panel, focus)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=5000)

    def slow(progress):                       # a job still running when Esc is pressed
        while True:
            progress.check()
            time.sleep(0.01)

    failed = []
    with qtbot.waitSignal(panel.worker.ended, timeout=10000):
        panel.worker.start("a long job", slow, None, failed.append)
        QTest.keyClick(widget, Qt.Key.Key_Escape)
    assert not panel.worker.busy() and len(failed) == 1 and isinstance(failed[0], Cancelled)


def test_the_window_refresh_reads_the_case_off_the_ui_thread_and_keeps_the_chosen_source(qtbot, window,
                                                                                          monkeypatch):
    """After an import or a judgement the window re-read the case's counts, sources and lists on
    the UI thread (30-45 ms on the demo, more on a case with many sources); the reading now runs on a
    worker, and showing the result keeps the source the analyst had chosen."""
    import threading

    from ui import main_window

    threads = []
    real = main_window.read_refresh

    def reading(case):
        threads.append(threading.current_thread())
        return real(case)

    monkeypatch.setattr(main_window, "read_refresh", reading)
    window.sources.selectRow(2)
    chosen = window.sources.item(2, 0).text()
    window.case.con.execute("INSERT INTO saved_queries (name, sql, description, created_utc) "
                            "VALUES ('refresh test', 'SELECT 1', NULL, now()::TIMESTAMP)")
    with qtbot.waitSignal(window.refreshed, timeout=10000):
        window.refresh()
    assert threads and threads[0] is not threading.main_thread()
    root = window.explorer.topLevelItem(0)
    saved = [root.child(i) for i in range(root.childCount()) if root.child(i).text(0) == "Saved queries"][0]
    assert "refresh test" in [saved.child(i).text(0) for i in range(saved.childCount())]
    rows = [i.row() for i in window.sources.selectionModel().selectedRows()]
    assert [window.sources.item(r, 0).text() for r in rows] == [chosen]
