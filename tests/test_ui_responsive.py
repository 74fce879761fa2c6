"""The window stays responsive while a multi-million-row import runs in its worker.

A 10 ms timer on the UI thread records how late each tick comes; the worst
wait must stay under 100 ms.  The same timer first runs with nothing else going
on: when the machine itself already delays an idle timer by 50 ms or more (other
work saturating its cores), a 100 ms bound cannot be judged and the test is
skipped with both numbers.  To keep the test a few seconds long it watches the
first seconds of a 2-million-row import and then cancels it (which must leave
the case unchanged); ``tests/benchmarks/bench_ui.py`` watches a whole import.
"""

from __future__ import annotations

import gc
import os
import threading
import time

import duckdb
import pytest
from PySide6.QtCore import QTimer

from workstation.case import Case
from workstation.importers import ImportOptions

ROWS = 2_000_000
WATCH_SECONDS = 3.0
CONTROL_SECONDS = 1.5


def write_calls_csv(path, rows: int) -> None:
    """A CDR of ``rows`` calls among a few thousand numbers (written by DuckDB, not row by row)."""
    con = duckdb.connect()
    try:
        con.execute(
            "COPY (SELECT '+6281' || lpad(((range * 7919) % 3000)::VARCHAR, 8, '0') AS caller, "
            "'+6285' || lpad(((range * 104729) % 3000)::VARCHAR, 8, '0') AS callee, "
            "strftime(TIMESTAMP '2026-01-01' + INTERVAL (range) SECOND, '%Y-%m-%dT%H:%M:%S') || '+08:00' AS start, "
            f"(range % 600) AS duration_s FROM range({int(rows)})) TO '{path}' (HEADER)")
    finally:
        con.close()


class TickWatch:
    """Measures how late a 10 ms UI-thread timer fires (the UI's worst freeze)."""

    def __init__(self, interval_ms: int = 10) -> None:
        self.interval = interval_ms / 1000
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.waits: list[float] = []
        self.at: list[float] = []

    def _tick(self) -> None:
        now = time.perf_counter()
        self.waits.append(now - self.last - self.interval)
        self.at.append(now)
        self.last = now

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    @property
    def worst_ms(self) -> float:
        return max(self.waits) * 1000 if self.waits else 0.0


@pytest.fixture
def big_csv(tmp_path):
    p = tmp_path / "cdr_2m.csv"
    write_calls_csv(p, ROWS)
    return p


def test_ui_thread_never_waits_100ms_during_a_large_import(qtbot, case_path, big_csv, capsys):
    Case.create(case_path, "Responsiveness").close()
    from ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.refreshed, timeout=20000):   # the case read on the refresh worker
        assert win.open_case(case_path)
    ctl = win.import_controller
    # control: the same timer with nothing running tells how late the machine itself makes it
    control = TickWatch()
    control.start()
    qtbot.wait(int(CONTROL_SECONDS * 1000))
    control.stop()
    # garbage-collection pauses during the watch, reported beside the waits
    pauses: list[tuple] = []
    state: dict = {}

    def on_gc(phase, info):
        if phase == "start":
            state["t"] = time.perf_counter()
        else:
            pauses.append((round(state["t"] - t0, 2), round((time.perf_counter() - state["t"]) * 1000, 1),
                           info["generation"], threading.current_thread().name))

    gc.callbacks.append(on_gc)
    watch = TickWatch()
    watch.start()
    t0 = time.perf_counter()
    ctl.run_import(big_csv, ImportOptions(kind="calls", producer_country="ID"), "plain")
    qtbot.wait(int(WATCH_SECONDS * 1000))
    busy = ctl.worker.busy()
    with qtbot.waitSignal(ctl.worker.ended, timeout=60000):
        ctl.worker.cancel()
    watch.stop()
    gc.callbacks.remove(on_gc)
    seconds = time.perf_counter() - t0
    worst_gc = max(pauses, key=lambda x: x[1]) if pauses else None
    with capsys.disabled():
        print(f"\n[responsiveness] {len(watch.waits)} ticks over {seconds:.1f} s of a {ROWS:,}-row import: "
              f"worst UI wait {watch.worst_ms:.1f} ms (idle control {control.worst_ms:.1f} ms, "
              f"load average {os.getloadavg()[0]:.1f}; longest garbage collection "
              f"{worst_gc[1] if worst_gc else 0} ms)")
        worst = sorted(range(len(watch.waits)), key=lambda i: -watch.waits[i])[:5]
        print("  worst ticks (s after start, ms late):",
              [(round(watch.at[i] - t0, 2), round(watch.waits[i] * 1000)) for i in worst])
    assert busy, "the import finished before the watch ended; make it larger"
    assert len(watch.waits) > WATCH_SECONDS * 20
    if watch.worst_ms >= 100 and control.worst_ms >= 50:
        pytest.skip(f"machine overloaded: an idle UI timer was already {control.worst_ms:.0f} ms late "
                    f"(load average {os.getloadavg()[0]:.1f}); during the import {watch.worst_ms:.0f} ms")
    assert watch.worst_ms < 100, f"the UI thread waited {watch.worst_ms:.0f} ms"
    assert win.case.sources() == []                        # cancelled: nothing imported
    win.close()
