"""The window on a large case: nothing that grows with the case runs on the UI thread (issue 7's rule).

On a case of 3 million calls, opening it, closing it, re-running a query in the SQL console, fitting
its columns and drawing a network each froze the window for 100-800 ms.  Each test here shows the
structure on a small case (the work happens on a worker, or the UI thread does not do it), so that it
fails when the work comes back to the UI thread; ``/tmp``-free and a few seconds each.
"""

from __future__ import annotations

import shutil
import threading

import pytest
from PySide6.QtCore import Qt

from workstation.case import Case


def _case(path, title: str, source_title: str) -> None:
    c = Case.create(path, title, ref=title[:3].upper())
    c.con.execute("INSERT INTO sources (source_id, title, format, importer, tlp, signature_status, imported_at, "
                  "producer_agency, producer_country) VALUES (1, ?, 'lintas-bundle/1', 'bundle', 'AMBER', "
                  "'verified', now(), 'Polres Bontang', 'ID')", [source_title])
    c.con.execute("INSERT INTO calls (source_id, source_row, caller, callee, start, duration_s) "
                  "SELECT 1, range + 2, '0812' || lpad(range::VARCHAR, 7, '0'), '0813' || lpad((range % 97)::VARCHAR, 7, "
                  "'0'), '2026-01-01T00:00:00+07:00', range % 600 FROM range(3000)")
    c.close()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    base = tmp_path_factory.mktemp("large-ui-cases")
    a, b = base / "alpha.lintas", base / "bravo.lintas"
    _case(a, "Operasi Alpha", "Alpha source")
    _case(b, "Operasi Bravo", "Bravo source")
    return a, b


@pytest.fixture
def cases(made, tmp_path):
    """Two cases of 3,000 calls each (copies, for this test alone)."""
    out = []
    for p in made:
        shutil.copy(p, tmp_path / p.name)
        out.append(tmp_path / p.name)
    return tuple(out)


@pytest.fixture
def win(qtbot):
    from ui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


@pytest.fixture
def gated_reading(monkeypatch):
    """``read_refresh`` held back for the cases in ``gated`` until ``gate`` is set; the threads it ran on."""
    from ui import main_window

    real = main_window.read_refresh
    state = {"gate": threading.Event(), "gated": set(), "threads": [], "paths": [], "opened_on": []}
    real_open = Case.open.__func__

    def opening(cls, path, read_only=False):
        state["opened_on"].append(threading.current_thread())
        return real_open(cls, path, read_only)

    monkeypatch.setattr(Case, "open", classmethod(opening))

    def reading(case):
        state["threads"].append(threading.current_thread())
        state["paths"].append(case.path.name)
        if case.path.name in state["gated"]:
            state["gate"].wait(10)
        return real(case)

    monkeypatch.setattr(main_window, "read_refresh", reading)
    yield state
    state["gate"].set()


def _sources(win) -> list[str]:
    return [win.sources.item(r, 2).text() for r in range(win.sources.rowCount())]


def test_opening_shows_the_title_at_once_and_reads_the_case_on_the_refresh_worker(qtbot, win, cases,
                                                                                   gated_reading):
    a, _ = cases
    gated_reading["gated"].add(a.name)
    with qtbot.waitSignal(win.case_opened, timeout=10000):
        assert win.open_case(a)                   # opened on the open worker
    assert threading.main_thread() not in gated_reading["opened_on"]
    assert "Operasi Alpha" in win.windowTitle()   # at once, while the reading is still held back
    assert win.explorer.topLevelItem(0).text(0) == "Operasi Alpha"
    assert win.sources.rowCount() == 0            # nothing read yet, nothing shown
    assert gated_reading["threads"] and gated_reading["threads"][0] is not threading.main_thread()
    with qtbot.waitSignal(win.refreshed, timeout=10000):
        gated_reading["gate"].set()
    assert _sources(win) == ["Alpha source"]
    kinds = [win.explorer.topLevelItem(0).child(i) for i in range(win.explorer.topLevelItem(0).childCount())]
    assert any(k.text(1) == "3,000" for k in kinds)          # the rows by kind, as read by the worker
    assert win.console.editor.names.stringList() and "calls" in win.console.editor.names.stringList()
    assert win.search_panel.source.count() == 2              # "All sources" and the one read


def test_a_case_replaced_or_closed_before_its_reading_ends_is_never_shown(qtbot, win, cases, gated_reading):
    a, b = cases
    shown: list[tuple[str, list[str]]] = []
    win.refreshed.connect(lambda: shown.append((win.windowTitle(), _sources(win))))
    opened: list[str] = []
    win.case_opened.connect(lambda c: opened.append(c.path.name))
    # another case asked for while the first is still being opened: the first is never shown, and closed
    win.open_case(a)
    with qtbot.waitSignal(win.refreshed, timeout=10000):
        win.open_case(b)
    qtbot.waitUntil(lambda: not win.open_worker._all, timeout=10000)
    assert opened == [b.name] and shown == [("Operasi Bravo — Lintas", ["Bravo source"])]
    win._wait_closed(timeout=10)
    with Case.open(a, read_only=True) as again:   # the first was closed
        assert again.title == "Operasi Alpha"
    shown.clear()
    # a case whose reading is still under way when another is opened
    gated_reading["gated"].add(a.name)
    with qtbot.waitSignal(win.case_opened, timeout=10000):
        assert win.open_case(a)
    with qtbot.waitSignal(win.refreshed, timeout=10000):
        assert win.open_case(b)                   # another case opened while the first is still read
    assert "Operasi Bravo" in win.windowTitle() and _sources(win) == ["Bravo source"]
    gated_reading["gate"].set()                   # the first case's reading ends now
    qtbot.wait(400)
    assert shown == [("Operasi Bravo — Lintas", ["Bravo source"])]
    assert "Operasi Bravo" in win.windowTitle() and _sources(win) == ["Bravo source"]

    # opened, then closed before its reading ends: nothing of it shown, and it is closed in the end
    gated_reading["gate"].clear()
    gated_reading["gated"] = {a.name}
    shown.clear()
    with qtbot.waitSignal(win.case_opened, timeout=10000):
        assert win.open_case(a)
    win._close_case()
    gated_reading["gate"].set()
    qtbot.wait(400)
    assert shown == [] and win.sources.rowCount() == 0 and win.case is None
    win._wait_closed(timeout=10)
    with Case.open(a, read_only=True) as again:   # closed: the file opens again
        assert again.title == "Operasi Alpha"


def test_closing_a_case_does_not_wait_on_the_ui_thread(qtbot, win, cases, monkeypatch):
    a, b = cases
    closed_on: list[threading.Thread] = []
    real_close = Case.close

    def close(self):
        closed_on.append(threading.current_thread())
        real_close(self)

    monkeypatch.setattr(Case, "close", close)
    with qtbot.waitSignal(win.refreshed, timeout=10000):
        assert win.open_case(a)
    with qtbot.waitSignal(win.console.worker.ended, timeout=10000):
        win.show_sql("SELECT * FROM calls")       # a result held by the case's connection
    assert win.console.model.rowCount() == 3000
    with qtbot.waitSignal(win.refreshed, timeout=10000):
        assert win.open_case(b)
    win._wait_closed(timeout=10)
    assert closed_on and all(t is not threading.main_thread() for t in closed_on)
    assert win.console.model.rowCount() == 0      # the first case's rows are not shown any more
    win.close()                                   # closing the window waits for its case to be closed
    with Case.open(b, read_only=True) as again:
        assert again.title == "Operasi Bravo"


def test_the_console_drops_results_and_reads_its_lists_off_the_ui_thread(qtbot, win, cases, monkeypatch):
    from workstation import rowsource

    a, _ = cases
    on: list[tuple[str, threading.Thread]] = []
    real_close, real_history = rowsource.RowSource.close, rowsource.query_history

    def close(self):
        on.append(("close", threading.current_thread()))
        real_close(self)

    def history(con, limit=200):
        on.append(("history", threading.current_thread()))
        return real_history(con, limit)

    monkeypatch.setattr(rowsource.RowSource, "close", close)
    monkeypatch.setattr(rowsource, "query_history", history)
    with qtbot.waitSignal(win.refreshed, timeout=10000):
        assert win.open_case(a)
    console = win.console
    on.clear()
    with qtbot.waitSignal(console.worker.ended, timeout=10000):
        console.run("SELECT * FROM calls")
    with qtbot.waitSignal(console.worker.ended, timeout=10000):
        console._sort_by(console.root_result.columns.index("duration_s"))        # a view over the result
    with qtbot.waitSignal(console.worker.ended, timeout=10000):
        console._sort_by(console.root_result.columns.index("duration_s"))        # another: the first dropped
    with qtbot.waitSignal(console.worker.ended, timeout=10000):
        console.run("SELECT caller, count(*) AS n FROM calls GROUP BY ALL")       # the old result dropped
    qtbot.waitUntil(lambda: not console.drop_worker.busy(), timeout=5000)
    assert console.model.rowCount() == 3000 and console.history.count() == 2
    assert {k for k, _ in on} == {"close", "history"}
    assert [k for k, t in on if t is threading.main_thread()] == []


def test_fitting_the_console_columns_measures_the_loaded_text(qtbot, win, cases, monkeypatch):
    """resizeColumnsToContents asked the model for every role of 60 rows x every column, in Python (over
    100 ms for a wide result); the widths now come from the page's text, measured once."""
    a, _ = cases
    with qtbot.waitSignal(win.refreshed, timeout=10000):
        assert win.open_case(a)
    console = win.console

    def refused():
        raise AssertionError("resizeColumnsToContents on the UI thread")

    monkeypatch.setattr(console.view, "resizeColumnsToContents", refused)
    with qtbot.waitSignal(console.model.page_loaded, timeout=10000):
        win.tabs.setCurrentWidget(console)
        console.run("SELECT source_row, caller, 'a much longer text than the others in this column' AS note "
                    "FROM calls")
    qtbot.wait(50)
    widths = [console.view.columnWidth(c) for c in range(3)]
    fm = console.view.fontMetrics()
    assert widths[2] >= fm.horizontalAdvance("a much longer text than the others in this column")
    assert 60 <= widths[0] < widths[2] and widths[1] >= fm.horizontalAdvance("08120000000")


def test_a_repaint_asks_the_handling_of_the_source_column_only(qtbot, win, cases):
    """Qt asks every visible cell for its colours at each repaint: only the source column has any, and
    working out a row's handling for each cell of a wide result made scrolling stall."""
    a, _ = cases
    with qtbot.waitSignal(win.refreshed, timeout=10000):
        assert win.open_case(a)
    console = win.console
    with qtbot.waitSignal(console.model.page_loaded, timeout=10000):
        win.tabs.setCurrentWidget(console)
        console.run("SELECT * FROM calls")
    model = console.model
    asked = []
    real = model._row_handling
    model._row_handling = lambda page, i: asked.append(i) or real(page, i)
    src = model.source.columns.index("source_id")
    for col in range(model.columnCount()):
        for role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            model.data(model.index(5, col), role)
    assert len(asked) == 2                         # the source column's two colours
    assert model.data(model.index(5, src), Qt.ItemDataRole.ForegroundRole) is not None
    assert "TLP:AMBER" in model.data(model.index(5, src))


def test_the_network_picture_is_rendered_on_the_worker(qtbot, win, cases, monkeypatch):
    """Drawing a few hundred nodes with matplotlib on the UI thread took 200-700 ms; the worker renders
    the picture and the UI thread shows the image.  A change of theme renders it again, on a worker."""
    from ui import network_panel

    rendered: list[threading.Thread] = []
    real = network_panel.render

    def render(*args, **kw):
        rendered.append(threading.current_thread())
        return real(*args, **kw)

    monkeypatch.setattr(network_panel, "render", render)
    with qtbot.waitSignal(win.refreshed, timeout=10000):
        assert win.open_case(cases[0])
    seed = "08130000005"      # called by 31 numbers
    net = win.network_panel
    win.tabs.setCurrentWidget(net)
    with qtbot.waitSignal(net.worker.ended, timeout=30000):
        win.show_in_network([seed])
    assert net.drawing is not None and len(net.drawing["pos"]) == 32 and "32 nodes" in net.info.text()
    pm = net.canvas.pixmap()
    assert pm is not None and not pm.isNull() and pm.width() >= 200
    light = net.image.pixelColor(2, 2).lightness()
    assert light > 200 and rendered and all(t is not threading.main_thread() for t in rendered)
    rendered.clear()
    try:
        win.apply_theme("dark")
        qtbot.waitUntil(lambda: net.image.pixelColor(2, 2).lightness() < 100, timeout=30000)
    finally:
        win.apply_theme("light")
    assert rendered and all(t is not threading.main_thread() for t in rendered)


def test_no_full_garbage_collection_while_a_job_runs(qtbot):
    """A full collection walks every object alive holding the GIL: with a worker's millions of Python
    values (a search index being built) it froze the UI for 1.2 s on a case of 3 million calls.  The
    collector waits while jobs run, and runs again once none does."""
    import gc

    from ui.workers import Worker

    worker = Worker("test")
    started, go = threading.Event(), threading.Event()
    collections: list[int] = []
    during: list[int] = []

    def on_gc(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    def work(_progress):
        started.set()
        go.wait(10)
        kept = [{"row": i} for i in range(300_000)]       # tracked objects, as a job's rows in Python
        during.append(len(collections))
        return len(kept)

    from ui.workers import _Collector

    # jobs left by earlier tests (a picture still rendering for a closed window) hold it off too
    qtbot.waitUntil(lambda: _Collector._running == 0, timeout=30000)
    assert gc.isenabled()
    gc.callbacks.append(on_gc)
    try:
        with qtbot.waitSignal(worker.ended, timeout=20000):
            worker.start("many objects", work)
            assert started.wait(10)
            assert not gc.isenabled()        # held off while the job runs
            go.set()
    finally:
        go.set()
        gc.callbacks.remove(on_gc)
    assert during == [0]                      # none during the job
    # on again once no job runs (a window of an earlier test may start one meanwhile: its picture
    # rendered again after a resize)
    qtbot.waitUntil(lambda: _Collector._running == 0 and gc.isenabled(), timeout=30000)


def test_an_audit_log_of_hundreds_of_entries_is_read_on_the_worker(qtbot, cases):
    """Reading, verifying and laying out 500 entries took 50-80 ms on the UI thread (a log read at once
    up to 500); past 100 the panel's worker reads it, and the columns are sized from their text."""
    from ui.audit_panel import AuditPanel

    a, _ = cases
    case = Case.open(a)
    try:
        cur = case.cursor()
        with case.transaction(cur) as con:
            for i in range(150):
                case.record("query", {"sql": f"SELECT * FROM calls WHERE source_row = {i}"}, {"rows": 1}, con=con)
        cur.close()
        panel = AuditPanel()
        qtbot.addWidget(panel)
        panel.show()
        with qtbot.waitSignal(panel.worker.ended, timeout=10000):
            panel.set_case(case)
            assert panel.worker.busy() or panel.worker.current is not None   # not read on this thread
        assert panel.table.rowCount() == 151 and "intact" in panel.status.text()   # case.create and 150
        fm = panel.table.fontMetrics()
        assert panel.table.columnWidth(3) >= fm.horizontalAdvance("query")
        panel.shutdown()
    finally:
        case.close()


def test_a_job_outliving_its_worker_ends_quietly(qtbot):
    """A job still running when its window (and so its worker) is deleted: its end is told to no
    one, without an exception in its thread (which showed as 'Signal source has been deleted')."""
    import shiboken6

    from ui.workers import Worker, _Collector

    worker = Worker("gone")
    go = threading.Event()
    job = worker.start("outlives its worker", lambda _p: go.wait(10))
    errors: list = []
    old_hook = threading.excepthook
    threading.excepthook = lambda args: errors.append(args.exc_value)
    try:
        shiboken6.delete(worker)
        go.set()
        job.thread.join(10)
    finally:
        threading.excepthook = old_hook
    assert not job.thread.is_alive() and errors == []
    qtbot.waitUntil(lambda: _Collector._running == 0, timeout=10000)
