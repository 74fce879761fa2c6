"""The SQL console driven like an analyst: run, scroll to the last row, sort, filter, export, cancel."""

from __future__ import annotations

import csv

import pyarrow.parquet as pq
import pytest
from PySide6.QtCore import Qt

from workstation.case import Case


@pytest.fixture
def window(qtbot, case_path):
    c = Case.create(case_path, "Operasi Mawar", ref="MAWAR-2026-014")
    c.con.execute("INSERT INTO sources (source_id, title, format, importer, tlp, signature_status, imported_at, "
                  "producer_agency, producer_country, releasable_to, legal_basis) VALUES "
                  "(1, 'CDR Bontang', 'lintas-bundle/1', 'bundle', 'AMBER', 'verified', now(), "
                  "'Polres Bontang', 'ID', ['ID', 'MY'], 'KUHAP art. 43')")
    c.con.execute("INSERT INTO calls (source_id, source_row, caller, callee, start) VALUES "
                  "(1, 2, '0812', '0813', '2026-01-01T00:00:00+07:00')")
    c.close()
    from ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.refreshed, timeout=20000):   # the case read on the refresh worker
        assert win.open_case(case_path)
    yield win
    win.close()


def cell(qtbot, model, row: int, col: int = 0, role=Qt.ItemDataRole.DisplayRole):
    """A cell's value once its page arrived from the fetcher thread."""
    qtbot.waitUntil(lambda: model.data(model.index(row, col)) is not None, timeout=10000)
    return model.data(model.index(row, col), role)


def run(qtbot, console, sql: str, timeout: int = 20000) -> None:
    console.editor.setPlainText(sql)
    with qtbot.waitSignal(console.worker.ended, timeout=timeout):
        console.run()


def test_large_result_scrolls_to_last_row_with_bounded_pages(qtbot, window):
    from ui.rowmodel import MAX_PAGES

    console = window.console
    window.tabs.setCurrentWidget(console)
    n = 2_000_000
    run(qtbot, console, f"SELECT range AS n, 'name ' || (range % 997) AS label, range * 0.5 AS half "
                        f"FROM range({n})")
    model = console.model
    assert model.rowCount() == n
    assert "2,000,000 rows" in console.status.text()
    console.view.scrollToBottom()
    assert not model.is_loaded(n - 1)
    assert model.data(model.index(n - 1, 0)) is None    # asked for; the UI thread does not wait for it
    assert cell(qtbot, model, n - 1) == str(n - 1)       # … and it arrives
    assert model.is_loaded(n - 1)
    assert model.headerData(n - 1, Qt.Orientation.Vertical) == f"{n:,}"
    # jump around the result: the page cache stays bounded
    for row in range(0, n, n // 60):
        assert cell(qtbot, model, row) == str(row)
    assert model.cached_pages() <= MAX_PAGES
    # every run is in the audit log and the history
    assert console.history.count() >= 1
    assert "range(2000000)" in console.history.item(0).data(256)


def test_sort_and_filter_are_pushed_down(qtbot, window):
    console = window.console
    run(qtbot, console, "SELECT range AS n, 'x' || (range % 10) AS tag FROM range(50000)")
    with qtbot.waitSignal(console.worker.ended, timeout=10000):
        console._sort_by(0)      # ascending
    with qtbot.waitSignal(console.worker.ended, timeout=10000):
        console._sort_by(0)      # descending
    m = console.model
    assert m.source.order == ("n", True)
    assert cell(qtbot, m, 0) == "49999"
    assert m.headerData(0, Qt.Orientation.Horizontal).endswith("▼")
    with qtbot.waitSignal(console.worker.ended, timeout=10000):
        console.filter.setText("x7")
    assert m.rowCount() == 5000
    assert all(cell(qtbot, m, r, 1) == "x7" for r in range(0, 5000, 250))
    assert cell(qtbot, m, 0) == "49997"  # still sorted descending
    assert "5,000 of 50,000" in console.status.text()


def test_export_csv_xlsx_parquet(qtbot, window, tmp_path):
    import openpyxl

    console = window.console
    run(qtbot, console, "SELECT range AS n, 'Sutrisno ' || range AS name FROM range(1500)")
    for fmt in ("csv", "xlsx", "parquet"):
        out = tmp_path / f"r.{fmt}"
        with qtbot.waitSignal(console.worker.ended, timeout=10000):
            console.export(str(out), fmt)
        assert out.exists(), fmt
    with open(tmp_path / "r.csv", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["n", "name"] and len(rows) == 1501 and rows[-1] == ["1499", "Sutrisno 1499"]
    assert pq.read_table(tmp_path / "r.parquet").num_rows == 1500
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True).worksheets[0]
    got = list(ws.iter_rows(values_only=True))
    assert got[0] == ("n", "name") and got[-1] == (1499, "Sutrisno 1499") and len(got) == 1501


def test_refused_and_failing_queries_show_a_message(qtbot, window):
    console = window.console
    run(qtbot, console, "DELETE FROM calls")
    assert "refused" in console.status.text() and "read-only" in console.status.text()
    run(qtbot, console, "SELECT * FROM no_such_table")
    assert "no_such_table" in console.status.text()
    assert console.model.rowCount() == 0


def test_cancel_interrupts_duckdb(qtbot, window):
    console = window.console
    console.editor.setPlainText("SELECT count(*) FROM range(100000000000) a")
    with qtbot.waitSignal(console.worker.ended, timeout=10000):
        console.run()
        qtbot.wait(300)
        assert console.worker.busy()
        console.cancel()
    assert console.status.text() == "Cancelled."
    assert console.run_button.isEnabled()


def test_saved_query_round_trip_and_completion(qtbot, window):
    console = window.console
    console.editor.setPlainText("SELECT caller, callee FROM calls")
    from PySide6.QtWidgets import QInputDialog

    orig = QInputDialog.getText
    QInputDialog.getText = staticmethod(lambda *a, **k: ("calls of the case", True))
    try:
        with qtbot.waitSignal(console.saved_changed, timeout=10000):
            console.save_query_dialog()
    finally:
        QInputDialog.getText = orig
    assert console.saved.count() == 1 and console.saved.item(0).text() == "calls of the case"
    with qtbot.waitSignal(window.refreshed, timeout=10000):
        window.refresh()
    root = window.explorer.topLevelItem(0)
    saved = [root.child(i) for i in range(root.childCount()) if root.child(i).text(0) == "Saved queries"][0]
    assert saved.child(0).text(0) == "calls of the case"
    # completion knows the case's tables and columns
    words = console.editor.names.stringList()
    assert "calls" in words and "caller_e164" in words


def test_row_handling_on_hover(qtbot, window):

    console = window.console
    run(qtbot, console, "SELECT source_id, source_row, caller FROM calls")
    m = console.model
    tip = cell(qtbot, m, 0, 2, Qt.ItemDataRole.ToolTipRole)
    assert "TLP:AMBER" in tip and "ID, MY" in tip and "KUHAP" in tip
    assert m.data(m.index(0, 0), Qt.ItemDataRole.ForegroundRole).name().upper() == "#FFC000"
