"""Import through the window: bundle review with consent, the plain-file wizard, refusals, drops."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication

from workstation.case import Case

FIXTURES = Path(__file__).parent / "fixtures" / "bundles"
EXAMPLE = FIXTURES / "example_partner_my.zip"


@pytest.fixture
def window(qtbot, case_path):
    Case.create(case_path, "Operasi Mawar", ref="MAWAR-2026-014").close()
    from ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.refreshed, timeout=20000):   # the case read on the refresh worker
        assert win.open_case(case_path)
    yield win
    win.close()


def _sources(win) -> list[dict]:
    return win.case.sources()


def test_bundle_from_unknown_signer_needs_consent(qtbot, window):
    from ui.import_dialog import ReviewDialog

    ctl = window.import_controller
    with qtbot.waitSignal(ctl.review, timeout=10000) as sig:
        ctl.start([EXAMPLE])
    dlg = sig.args[0]
    assert isinstance(dlg, ReviewDialog)
    assert dlg.trust_state == "unknown-signer"
    assert "NOT in your keyring" in dlg.signature.text()
    assert not dlg.import_button.isEnabled()           # no import without consent
    dlg.consent.setChecked(True)
    assert dlg.import_button.isEnabled()
    assert dlg.options().trust_once and not dlg.options().allow_unsigned
    with qtbot.waitSignal(ctl.imported, timeout=20000) as done:
        dlg.accept()
    result = done.args[0]
    assert result.imported and sum(result.rows.values()) > 0
    src = _sources(window)
    assert len(src) == 1 and src[0]["signature_status"] == "untrusted-consented"
    # the window shows it (once refreshed, off the UI thread): sources table with TLP badge, explorer,
    # audit log
    qtbot.waitUntil(lambda: window.sources.rowCount() == 1, timeout=10000)
    assert window.sources.item(0, 1).text() == f"TLP:{src[0]['tlp']}"
    assert any(window.audit.item(r, 3).text().startswith("import") for r in range(window.audit.rowCount()))


def test_declining_the_review_imports_nothing(qtbot, window):
    ctl = window.import_controller
    with qtbot.waitSignal(ctl.review, timeout=10000) as sig:
        ctl.start([EXAMPLE])
    sig.args[0].reject()
    qtbot.wait(50)
    assert _sources(window) == []


def test_plain_file_wizard_suggests_mapping_and_imports(qtbot, window, tmp_path):
    from ui.import_dialog import PlainWizard

    f = tmp_path / "cdr_telkomsel.csv"
    f.write_text("A_NUMBER,B_NUMBER,START_TIME,DURATION\n"
                 "0812 3456 7890,+62 813 1111 2222,2026-03-01 08:15:00,61\n"
                 "0812 3456 7890,0813 1111 2222,2026-03-01 09:00:00,15\n", encoding="utf-8")
    ctl = window.import_controller
    with qtbot.waitSignal(ctl.review, timeout=10000) as sig:
        ctl.start([f])
    wiz = sig.args[0]
    assert isinstance(wiz, PlainWizard)
    assert wiz.kind.currentText() == "calls"                     # suggested from the columns
    assert wiz.preview.rowCount() == 2 and wiz.preview.item(0, 0).text() == "0812 3456 7890"
    wiz.next()
    assert wiz.mapping() == {"caller": "A_NUMBER", "callee": "B_NUMBER", "start": "START_TIME",
                             "duration_s": "DURATION"}
    assert wiz.currentPage().isComplete()
    wiz.next()
    wiz.timezone.setCurrentText("Asia/Makassar")
    wiz.tlp.setCurrentText("RED")
    wiz.legal_basis.setText("KUHAP art. 43")
    wiz.releasable.setText("id, my")
    wiz.caveats.setText("Not for court without MLA; internal")
    wiz.save_as.setText("Telkomsel CDR")
    with qtbot.waitSignal(ctl.imported, timeout=20000) as done:
        wiz.accept()
    assert done.args[0].imported
    rows = window.case.cursor().execute(
        "SELECT caller_e164, start_utc FROM calls ORDER BY source_row").fetchall()
    assert rows[0][0] == "+6281234567890" and str(rows[0][1]) == "2026-03-01 00:15:00"
    src = _sources(window)[0]
    assert src["tlp"] == "RED" and src["legal_basis"] == "KUHAP art. 43"
    assert src["releasable_to"] == ["ID", "MY"] and src["caveats"] == ["Not for court without MLA", "internal"]
    from workstation.plain_import import saved_mappings

    assert saved_mappings()["Telkomsel CDR"]["map"]["caller"] == "A_NUMBER"


def test_refused_file_shows_copyable_problem_table(qtbot, window, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("A_NUMBER,B_NUMBER,START_TIME\n0812,0813,2026-03-01 08:15:00\n0812,0813,yesterday\n",
                 encoding="utf-8")
    ctl = window.import_controller
    with qtbot.waitSignal(ctl.review, timeout=10000) as sig:
        ctl.start([f])
    wiz = sig.args[0]
    wiz.next()
    wiz.next()
    wiz.timezone.setCurrentText("Asia/Makassar")
    with qtbot.waitSignal(ctl.refused, timeout=20000) as refused:
        wiz.accept()
    dlg = refused.args[0]
    texts = [[dlg.table.item(r, c).text() for c in range(4)] for r in range(dlg.table.rowCount())]
    assert ["bad.csv", "3", "START_TIME"] in [t[:3] for t in texts]     # the file's own column name
    assert any("yesterday" in t[3] for t in texts)
    dlg.copy_all()
    clip = QGuiApplication.clipboard().text()
    assert clip.splitlines()[0].split("\t") == ["File", "Row", "Column", "Reason"]
    assert "bad.csv\t3\tSTART_TIME\t" in clip
    assert _sources(window) == []
    dlg.close()


def test_malformed_bundle_is_refused_before_review(qtbot, window):
    ctl = window.import_controller
    with qtbot.waitSignal(ctl.refused, timeout=10000) as refused:
        ctl.start([FIXTURES / "malformed" / "bad_hash.zip"])
    dlg = refused.args[0]
    assert dlg.table.rowCount() >= 1
    assert "bad_hash.zip" in dlg.summary.text() and "not changed" in dlg.summary.text()
    assert any("hash" in dlg.table.item(r, 3).text().lower() or "sha" in dlg.table.item(r, 3).text().lower()
               for r in range(dlg.table.rowCount()))
    dlg.close()


def test_drop_files_on_the_window_starts_an_import(qtbot, window, tmp_path):
    copy = tmp_path / "partner.zip"
    shutil.copy(EXAMPLE, copy)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(copy))])
    ev = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                    Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.import_controller.review, timeout=10000) as sig:
        window.dropEvent(ev)
    sig.args[0].reject()


def test_cancel_import_leaves_case_unchanged(qtbot, window, tmp_path):
    f = tmp_path / "big.csv"
    with open(f, "w", encoding="utf-8") as fh:
        fh.write("caller,callee,start\n")
        line = "+6281234567890,+6281311112222,2026-03-01T08:15:00+08:00\n"
        fh.write(line * 400_000)
    from workstation.importers import ImportOptions

    ctl = window.import_controller
    opts = ImportOptions(kind="calls", mapping={}, producer_country="ID")
    with qtbot.waitSignal(ctl.worker.ended, timeout=30000):
        ctl.run_import(f, opts, "plain")
        qtbot.wait(200)
        ctl.worker.cancel()
    assert "cancelled" in window.statusBar().currentMessage()
    assert _sources(window) == []
