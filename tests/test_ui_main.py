from workstation.case import Case
from workstation.settings import Settings


def test_main_window_shows_case(qtbot, case_path, tmp_path):
    c = Case.create(case_path, "Operasi Mawar", ref="MAWAR-2026-014")
    c.con.execute("INSERT INTO sources (source_id, title, format, importer, tlp, signature_status, "
                  "imported_at, producer_agency, producer_country) VALUES "
                  "(1, 'CDR Bontang', 'lintas-bundle/1', 'bundle', 'AMBER', 'verified', now(), 'Polres Bontang', 'ID')")
    c.con.execute("INSERT INTO calls (source_id, source_row, caller, callee, start) VALUES "
                  "(1, 2, '0812', '0813', '2026-01-01T00:00:00+07:00')")
    c.close()
    from ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.refreshed, timeout=20000):   # the case read on the refresh worker
        assert win.open_case(case_path)
    assert "Operasi Mawar" in win.windowTitle()
    assert win.sources.rowCount() == 1
    assert win.sources.item(0, 1).text() == "TLP:AMBER"
    assert win.audit.rowCount() >= 1
    assert "intact" in win.audit_status.text()
    kinds = win.explorer.topLevelItem(0).child(1)
    calls = [kinds.child(i) for i in range(kinds.childCount()) if kinds.child(i).text(0) == "calls"][0]
    assert calls.text(1) == "1"
    assert str(case_path.resolve()) in Settings.load().recent_cases
    img = win.grab()
    assert not img.isNull()
    win.close()


def test_open_bad_file_shows_message(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ui.main_window import MainWindow

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    bad = tmp_path / "bad.lintas"
    bad.write_text("nope")
    win = MainWindow()
    qtbot.addWidget(win)
    win.open_case(bad)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)   # opened (and refused) on the open worker
    assert shown and "not a Lintas case" in shown[0] and win.case is None


def test_unexpected_error_becomes_a_message_and_a_log_entry(qtbot, monkeypatch):
    import logging

    from PySide6.QtWidgets import QMessageBox

    from ui import errors
    from workstation import logsetup
    from workstation.paths import log_dir

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    logsetup.configure()
    try:
        raise ZeroDivisionError("division by zero in a slot")
    except ZeroDivisionError as e:
        errors.excepthook(type(e), e, e.__traceback__)
    for h in logging.getLogger().handlers:
        h.flush()
    assert shown and "division by zero" in shown[0] and "Traceback" not in shown[0]
    assert str(log_dir()) in shown[0]
    text = (log_dir() / "lintas.log").read_text(encoding="utf-8")
    assert "Traceback" in text and "ZeroDivisionError" in text
    for h in list(logging.getLogger().handlers):
        if isinstance(h, logging.handlers.RotatingFileHandler):
            logging.getLogger().removeHandler(h)
            h.close()


def test_refusal_shows_summary_with_problems_as_details(qtbot):
    from ui import errors
    from workstation.errors import InputRefused, Problem

    e = InputRefused("calls.csv: refused, 1 problem", [Problem("not a timestamp", "calls.csv", 7, "start")])
    errors.show_error(None, "Import", e)
    box = errors.shown[-1]
    assert box.text() == "calls.csv: refused, 1 problem"
    assert "calls.csv, row 7, column 'start': not a timestamp" in box.detailedText()
    box.close()


def test_layout_is_remembered_and_workers_stop_on_close(qtbot, case_path):
    import threading

    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

    Case.create(case_path, "Operasi Mawar").close()
    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.refreshed, timeout=20000):   # the case read on the refresh worker
        win.open_case(case_path)
    win.resize(640, 480)   # within the offscreen screen (800x600)
    win.explorer_dock.hide()
    win.console.editor.setPlainText("SELECT count(*) FROM range(100000000000)")
    win.console.run()
    qtbot.wait(200)
    assert win.console.worker.busy()
    win.close()                                  # cancels the running query and joins its thread
    assert not [t for t in threading.enumerate() if t.name.startswith("lintas-")]
    assert QSettings().value("main/geometry") is not None
    win2 = MainWindow()
    qtbot.addWidget(win2)
    assert (win2.width(), win2.height()) == (640, 480)
    assert win2.explorer_dock.isHidden()
    assert Settings.load().recent_cases[0] == str(case_path.resolve())
    assert win2.recent_menu.actions()[0].text() == str(case_path.resolve())
    win2.close()


def test_tampered_audit_log_is_shown_in_red(qtbot, case_path):
    import duckdb

    from ui.main_window import MainWindow

    c = Case.create(case_path, "Operasi Mawar")
    c.record("note", {"text": "first"})
    c.close()
    con = duckdb.connect(str(case_path))
    con.execute("UPDATE audit SET params = '{\"text\": \"edited\"}' WHERE action = 'note'")
    con.close()
    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.refreshed, timeout=20000):   # the case read on the refresh worker
        win.open_case(case_path)
    assert "TAMPERED" in win.audit_status.text() and "2" in win.audit_status.text()
    assert "c0392b" in win.audit_status.styleSheet()
    win.close()


def test_explorer_lists_a_kind_in_the_console_and_jobs_show_in_the_status_bar(qtbot, case_path):
    from ui.main_window import MainWindow

    c = Case.create(case_path, "Operasi Mawar")
    c.con.execute("INSERT INTO sources (source_id, title, format, importer, tlp, signature_status, imported_at) "
                  "VALUES (1, 'CDR', 'lintas-bundle/1', 'bundle', 'GREEN', 'verified', now())")
    c.con.execute("INSERT INTO calls (source_id, source_row, caller, callee, start) VALUES "
                  "(1, 2, '0812', '0813', '2026-01-01T00:00:00+07:00')")
    c.close()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.refreshed, timeout=20000):   # the case read on the refresh worker
        win.open_case(case_path)
    root = win.explorer.topLevelItem(0)
    kinds = [root.child(i) for i in range(root.childCount()) if root.child(i).text(0) == "Rows by kind"][0]
    calls = [kinds.child(i) for i in range(kinds.childCount()) if kinds.child(i).text(0) == "calls"][0]
    with qtbot.waitSignal(win.console.worker.ended, timeout=10000):
        win.explorer.itemActivated.emit(calls, 0)
    assert win.tabs.currentWidget() is win.console
    assert win.console.model.rowCount() == 1 and '"calls"' in win.console.editor.toPlainText()
    # a long job appears in the status bar with a cancel button that stops it
    from ui.workers import JobsIndicator

    indicator = win.statusBar().findChild(JobsIndicator)
    win.console.editor.setPlainText("SELECT count(*) FROM range(100000000000)")
    with qtbot.waitSignal(win.console.worker.ended, timeout=10000):
        win.console.run()
        qtbot.waitUntil(indicator.isVisible, timeout=5000)
        assert "Query" in indicator.label.text()
        indicator.cancel_button.click()
    assert win.console.status.text() == "Cancelled."
    qtbot.waitUntil(lambda: not indicator.isVisible(), timeout=5000)
    win.close()


def test_shipped_fonts_give_qt_chinese_and_thai(qtbot):
    """Names in Chinese or Thai show on a workstation with no such font installed: the fonts
    the dossiers embed join Qt's font database, and Qt falls back to them by script."""
    from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

    from ui.app import add_shipped_fonts

    families = add_shipped_fonts()
    assert {"WenQuanYi Micro Hei", "Loma"} <= set(families), families
    W = QFontDatabase.WritingSystem
    for system in (W.Thai, W.SimplifiedChinese, W.Khmer, W.Myanmar, W.Devanagari, W.Lao):
        assert set(QFontDatabase.families(system)) & set(families), system
    # and the glyphs are there: the Thai font has every letter of a Thai name
    fm = QFontMetrics(QFont("Loma"))
    assert all(fm.inFontUcs4(ord(ch)) for ch in "เฉินจื้อหมิง")
