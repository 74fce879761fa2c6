"""The Indonesian UI shows core text in Indonesian (the case keeps it English); the import review
of partner formats and plain files; an unknown signer trusted once or added to the keyring."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox, QWizard

from workstation.case import Case
from workstation.importers import ImportOptions
from workstation.ingest import import_path

FIX = Path(__file__).parent / "fixtures"
EXAMPLE = FIX / "bundles" / "example_partner_my.zip"
MARKED_STIX = FIX / "partner" / "own" / "marked_bundle.json"


@pytest.fixture
def indonesian(qapp):
    from ui import i18n

    assert i18n.install(qapp, "id") == "id"
    yield
    i18n.install(qapp, "en")


def _window(qtbot, path):
    from ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.refreshed, timeout=20000):   # the case read on the refresh worker
        assert win.open_case(path)
    return win


@pytest.fixture
def window(qtbot, case_path):
    Case.create(case_path, "Operasi Mawar", ref="MAWAR-2026-014").close()
    win = _window(qtbot, case_path)
    yield win
    win.close()


# -- core text in Indonesian ---------------------------------------------------------------
def test_problem_table_speaks_indonesian_and_keeps_the_english_reason(qtbot, indonesian, window, tmp_path):
    f = tmp_path / "cdr.csv"
    f.write_text("A_NUMBER,B_NUMBER,START_TIME,DURATION\n0812,0813,2026-03-01 08:15:00,61\n"
                 "0812,0813,yesterday,sixty\n", encoding="utf-8")
    ctl = window.import_controller
    with qtbot.waitSignal(ctl.review, timeout=10000) as sig:
        ctl.start([f])
    wiz = sig.args[0]
    # Qt's own words too (Qt ships no Indonesian; resources/i18n/qt_id.qm brings them)
    assert wiz.buttonText(QWizard.WizardButton.NextButton) == "&Lanjut >"
    wiz.next()
    wiz.next()
    wiz.timezone.setCurrentText("Asia/Makassar")
    with qtbot.waitSignal(ctl.refused, timeout=20000) as refused:
        wiz.accept()
    dlg = refused.args[0]
    assert dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close).text() == "Tutup"
    assert dlg.summary.text() == "cdr.csv: ditolak, 2 masalah; perkara tidak diubah"
    rows = {(dlg.table.item(r, 2).text(), dlg.table.item(r, 3).text()) for r in range(dlg.table.rowCount())}
    assert rows == {("START_TIME", "bukan stempel waktu ISO 8601: yesterday"), ("DURATION", "bukan angka: sixty")}
    tips = [dlg.table.item(r, 3).toolTip() for r in range(dlg.table.rowCount())]
    assert any("not an ISO 8601 timestamp: yesterday" in t for t in tips)   # the reason as the CLI says it
    dlg.copy_all()
    clip = QGuiApplication.clipboard().text().splitlines()
    assert clip[0].split("\t") == ["Berkas", "Baris", "Kolom", "Alasan"]
    dlg.close()
    # what the case keeps is English: the same file imported with bad rows set aside
    res = import_path(window.case, f, ImportOptions(kind="calls", producer_country="ID", timezone="Asia/Makassar",
                                                    skip_bad_rows=True,
                                                    mapping={"caller": "A_NUMBER", "callee": "B_NUMBER",
                                                             "start": "START_TIME", "duration_s": "DURATION"}),
                      format="plain")
    assert res.imported and res.rejected == 1
    reasons = {r[0] for r in window.case.cursor().execute("SELECT reason FROM rejects").fetchall()}
    assert reasons == {"not an ISO 8601 timestamp: yesterday", "not a number: sixty"}


def test_error_dialog_and_job_progress_in_indonesian(qtbot, indonesian, window):
    from ui import errors
    from ui.workers import JobsIndicator, Worker
    from workstation.errors import LintasError

    window.audit_panel.refresh()
    actions = [window.audit.item(r, 3).text() for r in range(window.audit.rowCount())]
    assert "pembuatan perkara (case.create)" in actions          # the recorded name stays beside it
    assert window.sources.horizontalHeaderItem(4).text() == "Verifikasi"
    errors.show_error(window, "Impor", LintasError("a case needs a title"))
    assert errors.shown[-1].text() == "perkara memerlukan judul"
    errors.shown[-1].close()

    indicator = window.statusBar().findChild(JobsIndicator)
    gate = threading.Event()

    def job(progress):
        progress(0.5, "writing calls from data/cdr.csv")
        gate.wait(10)

    worker = Worker("test", window.jobs, window)
    worker.start("Impor", job)
    try:
        qtbot.waitUntil(lambda: "menulis panggilan dari data/cdr.csv" in indicator.label.text(), timeout=5000)
    finally:
        gate.set()
        worker.wait()


def test_xref_reasons_shown_in_indonesian_stored_in_english(qtbot, indonesian, tmp_path, case_path):
    from analysis import xref

    own = tmp_path / "orang.csv"
    own.write_text("id,name,birth_date,nationality\nP-001,Muhammad Rizal bin Abdullah,1987-03-04,ID\n",
                   encoding="utf-8")
    with Case.create(case_path, "Operasi Mawar") as c:
        import_path(c, EXAMPLE, ImportOptions(trust_once=True))
        import_path(c, own, ImportOptions(kind="persons", producer_country="ID", title="Laporan Polres"),
                    format="plain")
        xref.xref(c)
        stored = [r for rs in c.con.execute("SELECT reasons FROM xref_candidates").fetchall() for r in rs[0]]
    assert any(r.startswith("names: ") for r in stored)          # evidence stays English
    win = _window(qtbot, case_path)
    panel = win.search_panel
    with qtbot.waitSignal(panel.worker.ended, timeout=20000):
        panel.run("rizal abdullah")
    row = next(i for i, h in enumerate(panel.hits) if h["kind"] == "persons" and h["field"] == "name")
    profile = win.profile_panel
    with qtbot.waitSignal(profile.worker.ended, timeout=10000):
        panel.results.selectRow(row)
    assert profile.candidates.rowCount() >= 1
    shown = "\n".join(profile.candidates.item(r, 2).text() for r in range(profile.candidates.rowCount()))
    assert "nama: " in shown and "names: " not in shown
    assert any(w in profile.candidates.item(0, 0).text() for w in ("kemungkinan besar", "mungkin"))
    win.close()


# -- the import review ---------------------------------------------------------------------
def test_partner_format_review_shows_handling_rows_and_no_signature(qtbot, window):
    from ui.import_dialog import ReviewDialog

    ctl = window.import_controller
    with qtbot.waitSignal(ctl.review, timeout=10000) as sig:
        ctl.start([MARKED_STIX])
    dlg = sig.args[0]
    assert isinstance(dlg, ReviewDialog) and dlg.trust_state == "unsigned-format"
    assert dlg.signature.text().startswith("NOT SIGNED")
    assert dlg.found.staged["producer"]["agency"] == "Royal Malaysia Police, D7"
    assert dlg.found.staged["rows"]["persons"] == 2 and dlg.found.staged["row_handlings"]
    assert dlg.import_button.isEnabled() and dlg.options().handling is None   # the file's own handling
    dlg.tlp.setCurrentText("RED")
    dlg.releasable.setText("id; my")
    assert dlg.handling_row.badge.text() == "TLP:RED" and "ID, MY" in dlg.handling_row.rest.text()
    assert dlg.options().handling == {"tlp": "RED", "releasable_to": ["ID", "MY"], "legal_basis": None,
                                      "caveats": []}
    with qtbot.waitSignal(ctl.imported, timeout=20000) as done:
        dlg.accept()
    assert done.args[0].imported
    src = window.case.sources()[0]
    assert src["tlp"] == "RED" and src["signature_status"] == "unsigned"


def test_plain_wizard_ends_on_a_review_with_handling_and_no_signature(qtbot, window, tmp_path):
    f = tmp_path / "cdr.csv"
    f.write_text("A_NUMBER,B_NUMBER,START_TIME\n0812,0813,2026-03-01T08:15:00+08:00\n", encoding="utf-8")
    ctl = window.import_controller
    with qtbot.waitSignal(ctl.review, timeout=10000) as sig:
        ctl.start([f])
    wiz = sig.args[0]
    wiz.show()
    wiz.next()
    wiz.next()
    wiz.tlp.setCurrentText("RED")
    wiz.agency.setText("Satreskrim Polres Bontang")
    wiz.next()
    assert wiz.currentPage() is wiz.review_page
    texts = [w.text() for w in wiz.review_page.findChildren(type(wiz.review_page.signature))]
    assert "TLP:RED" in texts and any("Satreskrim Polres Bontang" in t for t in texts)
    assert any("caller ← A_NUMBER" in t for t in texts)
    assert wiz.review_page.signature.text().startswith("NOT SIGNED")
    with qtbot.waitSignal(ctl.imported, timeout=20000) as done:
        wiz.accept()
    assert done.args[0].imported


def test_unknown_signer_trusted_once_or_added_to_the_keyring(qtbot, window, tmp_path):
    from workstation.keys import Keyring

    ctl = window.import_controller
    with qtbot.waitSignal(ctl.review, timeout=10000) as sig:
        ctl.start([EXAMPLE])
    dlg = sig.args[0]
    assert dlg.trust_state == "unknown-signer" and dlg.trust_once.isChecked()
    assert dlg.found.signer_public_key                      # read back and checked against the key id
    assert dlg.key_name.text() and dlg.key_country.text() == "MY"   # proposed from the manifest's producer
    assert not dlg.import_button.isEnabled()
    dlg.consent.setChecked(True)
    assert dlg.options().trust_once and dlg.keyring_entry() is None
    dlg.add_to_keyring.setChecked(True)
    dlg.key_country.setText("Malaysia")
    assert not dlg.import_button.isEnabled()                 # not an ISO code
    dlg.key_country.setText("my")
    dlg.key_name.setText("Royal Malaysia Police, D7")
    assert dlg.import_button.isEnabled()
    assert not dlg.options().trust_once and dlg.keyring_entry()[1:] == ("Royal Malaysia Police, D7", "MY")
    with qtbot.waitSignal(ctl.imported, timeout=20000) as done:
        dlg.accept()
    assert done.args[0].imported and done.args[0].signature["status"] == "verified"
    kid = done.args[0].signature["key_id"]
    entry = Keyring.load().lookup(kid)
    assert entry is not None and (entry.name, entry.country) == ("Royal Malaysia Police, D7", "MY")
    # the next bundle signed with that key is verified without asking
    with Case.create(tmp_path / "fresh.lintas", "Fresh") as c:
        assert import_path(c, EXAMPLE).signature["status"] == "verified"
