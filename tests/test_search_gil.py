"""Building the search index must not hold Python's lock for long: the window builds it on a worker
thread at the first search, and any single call that holds the lock freezes the window that long.

A timer thread asks to wake every 5 ms and records how late it wakes; its worst lateness while
``build_index`` runs is the longest the worker kept it (and the window) out.  The case here is
generated in DuckDB SQL: a few hundred thousand distinct words and numbers, enough for the vocabulary
(fetched as Python lists, turned into Arrow arrays in one call) to freeze the window for 100 ms or
more before the build worked in batches.

Run as a script on any case (a copy: the build writes), it prints the worst lateness and the call
the build was in, the build time and the peak memory of the process:

    .venv/bin/python tests/test_search_gil.py /tmp/copy/case.lintas [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import search  # noqa: E402
from workstation.case import Case  # noqa: E402

TICK = 0.005
LIMIT_MS = 50.0
IDLE_LIMIT_MS = 30.0


class Watchdog:
    """A thread waking every ``TICK`` seconds; ``worst`` is its largest lateness (seconds), and
    ``where`` what the watched thread was running just before and just after that wake."""

    def __init__(self, watched: int | None = None):
        self.watched = watched
        self.worst = 0.0
        self.where: tuple[str, str] = ("", "")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _frame(self) -> str:
        f = sys._current_frames().get(self.watched) if self.watched is not None else None
        stack = []
        while f is not None and len(stack) < 3:
            stack.append(f"{Path(f.f_code.co_filename).name}:{f.f_lineno} {f.f_code.co_name}")
            f = f.f_back
        return " < ".join(stack)

    def _run(self) -> None:
        due = time.perf_counter() + TICK
        before = self._frame()
        while not self._stop.is_set():
            time.sleep(max(0.0, due - time.perf_counter()))
            now = time.perf_counter()
            late = now - due
            if late > self.worst:
                self.worst = late
                self.where = (before, self._frame())
            before = self._frame()
            due = now + TICK

    def __enter__(self) -> Watchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def idle_lateness(seconds: float = 1.0) -> float:
    """The timer's worst lateness while this thread only sleeps: how late the shared machine makes it."""
    with Watchdog() as w:
        time.sleep(seconds)
    return w.worst


def build_watched(path: Path, threads: int = 0) -> tuple[float, float, tuple[str, str], dict[str, int]]:
    """(worst lateness s, build time s, where, counts) of ``build_index`` on the case at ``path``;
    with ``threads``, DuckDB runs on that many (leaving the timer a core: a lock held, not a busy
    machine, is what the test is after)."""
    with Case.open(path) as case:
        if threads:
            case.con.execute(f"SET threads = {int(threads)}")
        with Watchdog(threading.get_ident()) as w:
            t0 = time.perf_counter()
            counts = search.build_index(case)
            took = time.perf_counter() - t0
    return w.worst, took, w.where, counts


def _make_case(path: Path) -> None:
    """A case of 250,000 calls between 250,000 numbers, each written two ways (about 750,000 terms
    of digits), and 20,000 messages of distinct words, written with DuckDB SQL straight into the
    kind tables (as an import would leave them)."""
    with Case.create(path, "GIL", ref="T-GIL") as case, case.transaction() as tx:
        tx.execute("INSERT INTO sources (source_id, title, format, importer, tlp, signature_status, imported_at) "
                   "VALUES (1, 'generated', 'lintas-bundle/1', 'bundle', 'AMBER', 'unsigned', now())")
        num = "lpad(CAST({n} AS VARCHAR), 8, '0')"
        tx.execute(
            "INSERT INTO calls (source_id, source_row, caller, callee, start, caller_e164, callee_e164, start_utc) "
            f"SELECT 1, i, '0813' || {num.format(n='i')}, '+62 813 ' || {num.format(n='(i * 7919) % 250000')}, "
            f"'2026-03-01 10:00:00', '+62813' || {num.format(n='i')}, "
            f"'+62813' || {num.format(n='(i * 7919) % 250000')}, "
            "TIMESTAMP '2026-03-01 10:00:00' + INTERVAL (i) SECOND FROM range(250000) r(i)")
        # Words of letters only, distinct per message: they go through names (canonical spelling, sound).
        word = "concat_ws('', " + ", ".join(f"chr(CAST(97 + ({{n}}) // {26 ** k} % 26 AS INTEGER))"
                                            for k in range(4)) + ", 'ra')"
        tx.execute(
            "INSERT INTO messages (source_id, source_row, sender, recipient, time, body, sender_norm, "
            "recipient_norm, time_utc) SELECT 1, i, 'Budi', 'Agus', '2026-03-01', "
            f"{word.format(n='i')} || ' ' || {word.format(n='i + 20000')} || ' berita', "
            "'budi', 'agus', TIMESTAMP '2026-03-01' FROM range(20000) r(i)")


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gil") / "g.lintas"
    _make_case(path)
    return path


def test_index_build_never_holds_the_lock_long(big):
    idle = idle_lateness(0.5)
    late, took, where, counts = build_watched(big, threads=1)
    assert counts["terms"] > 700_000
    if idle * 1000 >= IDLE_LIMIT_MS:
        pytest.skip(f"machine busy: idle timer {idle * 1000:.0f} ms late, during the build {late * 1000:.0f} ms")
    assert late * 1000 < LIMIT_MS, (f"the build kept a 5 ms timer {late * 1000:.0f} ms late (idle: "
                                    f"{idle * 1000:.0f} ms), in {where[0]} -> {where[1]}; build {took:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description="Worst lock hold, time and peak memory of build_index on a case")
    ap.add_argument("case", type=Path, help="a case file (it is written: use a copy)")
    ap.add_argument("--repeat", type=int, default=3, help="builds to run (median time)")
    a = ap.parse_args()
    print(f"idle timer lateness: {idle_lateness(1.0) * 1000:.1f} ms")
    lates, times = [], []
    for i in range(a.repeat):
        late, took, where, counts = build_watched(a.case)
        lates.append(late)
        times.append(took)
        print(f"run {i + 1}: build {took:.2f} s, worst lateness {late * 1000:.1f} ms, {counts}\n"
              f"   before: {where[0]}\n   after:  {where[1]}")
    print(f"median build {statistics.median(times):.2f} s; worst lateness max {max(lates) * 1000:.1f} ms, "
          f"median {statistics.median(lates) * 1000:.1f} ms; "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
