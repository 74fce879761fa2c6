"""Search, the entity profile, a judgement and its undo, the network and the dossier basket."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from workstation.case import Case
from workstation.importers import ImportOptions
from workstation.ingest import import_path

EXAMPLE = Path(__file__).parent / "fixtures" / "bundles" / "example_partner_my.zip"


@pytest.fixture(scope="module")
def built_case(tmp_path_factory):
    """The example partner bundle, a report of our own and xref suggestions, built once per module."""
    from analysis import xref

    base = tmp_path_factory.mktemp("search-case")
    with pytest.MonkeyPatch.context() as mp:   # keep the keyring and logs out of the real config
        mp.setenv("LINTAS_CONFIG_DIR", str(base / "config"))
        mp.setenv("LINTAS_LOG_DIR", str(base / "log"))
        own = base / "orang.csv"
        own.write_text("id,name,birth_date,nationality\nP-001,Muhammad Rizal bin Abdullah,1987-03-04,ID\n"
                       "P-002,Agus Salim,1975,ID\n", encoding="utf-8")
        path = base / "built.lintas"
        with Case.create(path, "Operasi Mawar", ref="MAWAR-2026-014") as c:
            import_path(c, EXAMPLE, ImportOptions(trust_once=True))
            import_path(c, own, ImportOptions(kind="persons", producer_country="ID", title="Laporan Polres"),
                        format="plain")
            xref.xref(c)
    return path


@pytest.fixture
def window(qtbot, built_case, case_path):
    shutil.copy(built_case, case_path)
    from ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.refreshed, timeout=20000):   # the case read on the refresh worker
        assert win.open_case(case_path)
    yield win
    win.close()


def _search(qtbot, win, text: str) -> list[dict]:
    panel = win.search_panel
    with qtbot.waitSignal(panel.worker.ended, timeout=20000):
        panel.run(text)
    return panel.hits


def _open_person(qtbot, win, text: str):
    """Search ``text`` and open the profile of the first person hit; the profile panel."""
    hits = _search(qtbot, win, text)
    row = next(i for i, h in enumerate(hits) if h["kind"] == "persons")
    profile = win.profile_panel
    with qtbot.waitSignal(profile.worker.ended, timeout=10000):
        win.search_panel.results.selectRow(row)
    return profile


def test_search_profile_confirm_and_undo(qtbot, window):
    hits = _search(qtbot, window, "rizal abdullah")
    persons = [i for i, h in enumerate(hits) if h["kind"] == "persons" and h["field"] == "name"]
    assert len(persons) == 2, hits                        # both spellings, ranked
    assert window.search_panel.results.item(persons[0], 3).text().startswith("TLP:")
    profile = window.profile_panel
    with qtbot.waitSignal(profile.worker.ended, timeout=10000):
        window.search_panel.results.selectRow(persons[0])
    assert "Rizal" in profile.title.text()
    top = [profile.tree.topLevelItem(i).text(0) for i in range(profile.tree.topLevelItemCount())]
    assert any(t.startswith("Names (1)") for t in top)
    events = [t for t in top if t.startswith("Events and mentions")]
    assert events and profile.data["events"] and not events[0].endswith("(0)")   # his calls, by his numbers
    assert {e["kind"] for e in profile.data["events"]} & {"calls", "travel", "contacts"}
    assert profile.candidates.rowCount() >= 1
    assert "1987-03-04" in profile.candidates.item(0, 2).text() or profile.candidates.item(0, 2).text()
    before = len(profile.data["cluster"])

    same = profile.candidates.cellWidget(0, 3).findChild(QPushButton, "judge-same-0")
    assert same is not None and same.text() == "Same"
    with qtbot.waitSignal(profile.judged, timeout=10000) as judged:
        same.click()
    assert judged.args[0]["verdict"] == "same"
    qtbot.waitUntil(lambda: not profile.worker.busy() and profile.data and len(profile.data["cluster"]) == before + 1,
                    timeout=10000)
    assert profile.undo_button.isEnabled()
    cur = window.case.cursor()
    assert cur.execute("SELECT verdict FROM judgements WHERE undone_utc IS NULL").fetchall() == [("same",)]

    with qtbot.waitSignal(profile.judged, timeout=10000):
        profile.undo_last()
    qtbot.waitUntil(lambda: not profile.worker.busy() and len(profile.data["cluster"]) == before, timeout=10000)
    assert cur.execute("SELECT count(*) FROM judgements WHERE undone_utc IS NULL").fetchall() == [(0,)]
    actions = [window.audit.item(r, 3).text() for r in range(window.audit.rowCount())]
    assert "judgement" in actions and "judgement.undo" in actions


def test_show_in_network_and_add_to_dossier(qtbot, window):
    profile = _open_person(qtbot, window, "Tan Wei Ming")
    net = window.network_panel
    with qtbot.waitSignal(net.worker.ended, timeout=30000):
        profile.network_button.click()
    assert window.tabs.currentWidget() is net
    d = net.drawing
    assert d is not None and len(d["pos"]) >= 3 and d["edges"]
    assert any("Tan Wei Ming" in n for n in d["names"])
    assert "nodes" in net.info.text()
    profile.dossier_button.click()
    assert [e for e, _ in window.dossier_subjects] == [str(x) for x in profile.data["cluster"]]


def test_dossier_from_the_window_is_listed_in_the_explorer(qtbot, window, tmp_path):
    out = tmp_path / "dossier-MY.pdf"
    with qtbot.waitSignal(window.dossier_done, timeout=60000) as done, \
            qtbot.waitSignal(window.refreshed, timeout=60000):     # the explorer shows it once refreshed
        window.produce_dossier(recipient="MY", out=str(out), lang="id", sections=["summary", "sources"])
    result = done.args[0]
    assert out.exists() and out.read_bytes()[:5] == b"%PDF-" and result.pages >= 1
    root = window.explorer.topLevelItem(0)
    ex = [root.child(i) for i in range(root.childCount()) if root.child(i).text(0) == "Dossiers and exports"][0]
    assert ex.text(1) == "1" and "MY" in ex.child(0).text(0) and ex.child(0).text(1).startswith("TLP:")


def test_a_new_search_leaves_no_row_selected(qtbot, window):
    """A row left selected from the last search would name a hit the profile beside it is not
    about: new hits come with no row chosen, and choosing the first row shows its own profile."""
    hits = _search(qtbot, window, "rizal abdullah")
    profile = window.profile_panel
    with qtbot.waitSignal(profile.worker.ended, timeout=10000):
        window.search_panel.results.selectRow(0)
    first = profile.title.text()
    hits = _search(qtbot, window, "agus salim")
    assert hits and window.search_panel.results.selectedIndexes() == []
    with qtbot.waitSignal(profile.worker.ended, timeout=10000):
        window.search_panel.results.selectRow(0)
    assert "Agus" in profile.title.text() and profile.title.text() != first
    # each search is an audit entry, as `lintas search` makes one
    entries = [e for e in window.case.audit_entries() if e["action"] == "search"]
    assert [e["params"]["text"] for e in entries][-2:] == ["rizal abdullah", "agus salim"]
    assert entries[-1]["result"]["hits"] == len(hits) and entries[-1]["params"]["via"] == "search panel"
    # and so is each profile opened (who looked at whom)
    views = [e for e in window.case.audit_entries() if e["action"] == "profile"]
    assert len(views) == 2 and views[-1]["params"]["via"] == "profile panel"
    assert views[-1]["params"]["entity"] in views[-1]["result"]["cluster"]


def test_double_click_on_a_number_lists_its_rows_in_the_console(qtbot, window):
    """A hit on a number of the call records stands for rows: double-clicking it runs the SQL
    that lists them in the SQL console (every writing of the number, for its E.164 hit)."""
    hits = _search(qtbot, window, "+60 19-876 5432")
    row = next(i for i, h in enumerate(hits) if h["kind"] == "calls" and h["field"] == "callee_e164")
    panel = window.search_panel
    console = window.console
    with qtbot.waitSignal(console.worker.ended, timeout=20000):
        panel._activated(panel.results.item(row, 1))
    assert window.tabs.currentWidget() is console
    assert "callee_e164 = '+60198765432'" in console.editor.toPlainText()
    qtbot.waitUntil(lambda: console.model is not None and console.model.rowCount() > 0, timeout=10000)
    # the number is the callee of the calls that write it as 019-876 5432 and as 0198765432
    assert console.model.rowCount() == 2


def test_kind_and_source_filters_rerun_the_search(qtbot, window):
    """The panel's filters are those of `lintas search --kind/--source`, and a change runs the
    search again."""
    panel = window.search_panel
    hits = _search(qtbot, window, "tawau")
    assert {h["kind"] for h in hits} >= {"persons", "travel"}             # a note, the border crossings
    with qtbot.waitSignal(panel.worker.ended, timeout=20000):
        panel.kind.setCurrentIndex(panel.kind.findData("travel"))
    assert panel.hits and {h["kind"] for h in panel.hits} == {"travel"}
    assert panel.source.count() == 3                                       # all, #1, #2
    with qtbot.waitSignal(panel.worker.ended, timeout=20000):
        panel.source.setCurrentIndex(panel.source.findData(2))             # our own report: no travel
    assert panel.hits == [] and panel.results.rowCount() == 0
    with qtbot.waitSignal(panel.worker.ended, timeout=20000):
        panel.kind.setCurrentIndex(0)                                      # all kinds, source #2
    assert {h["source_id"] for h in panel.hits} <= {2}
    last = [e for e in window.case.audit_entries() if e["action"] == "search"][-1]
    assert last["params"]["kind"] is None and last["params"]["source"] == [2]


def test_profile_shows_genders_and_notes_and_leaves_out_what_a_person_cannot_hold(qtbot, window):
    profile = _open_person(qtbot, window, "Siti Nurhaliza")
    top = {profile.tree.topLevelItem(i).text(0): profile.tree.topLevelItem(i)
           for i in range(profile.tree.topLevelItemCount())}
    assert "Genders (1)" in top and "Notes (1)" in top, list(top)
    note = top["Notes (1)"].child(0)
    assert note.text(0) == "victim; rescued at Tawau 2026-10-02" and note.text(1).startswith("#")
    assert note.text(2) == str(profile.data["notes"][0]["source_row"])
    # an organisation's sections are not shown empty on a person
    assert not any(t.startswith(("Registration numbers", "Kinds of organisation", "Countries")) for t in top)
