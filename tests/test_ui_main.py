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
    assert not win.open_case(bad)
    assert shown and "not a Lintas case" in shown[0]
