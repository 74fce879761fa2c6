"""Benchmark: a dossier of 100 subjects with every chart and section (target < 30 s).

Run: .venv/bin/python tests/benchmarks/bench_dossier.py [subjects] [repeats]
Prints the median time of each step and the file size; the ratio is against the 30 s target.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_dossier_case import make_case  # noqa: E402

from exports.dossier import build_dossier  # noqa: E402
from workstation.case import Case  # noqa: E402

TARGET_S = 30.0


def main() -> None:
    extra = int(sys.argv[1]) if len(sys.argv) > 1 else 92     # + 8 named persons = 100 subjects
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "bench.lintas"
        make_case(path, extra_subjects=extra).close()
        times: dict[str, list[float]] = {"MY en": [], "INTERPOL en+id": []}
        cpu: dict[str, list[float]] = {"MY en": [], "INTERPOL en+id": []}
        sizes: dict[str, int] = {}
        pages: dict[str, int] = {}
        now = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
        with Case.open(path) as case:
            subjects = case.cursor().execute("SELECT count(*) FROM persons").fetchone()[0]
            for i in range(repeats):
                for (label, rcpt, lang) in (("MY en", "MY", "en"), ("INTERPOL en+id", "INTERPOL", "en+id")):
                    t, c = time.perf_counter(), time.process_time()
                    res = build_dossier(case, Path(d) / f"{rcpt}{i}.pdf", rcpt, lang=lang, now=now)
                    times[label].append(time.perf_counter() - t)
                    cpu[label].append(time.process_time() - c)
                    sizes[label], pages[label] = res.bytes, res.pages
    print(f"dossier of {subjects} persons in the case, all sections and charts; {repeats} runs each")
    print(f"{'dossier':<18}{'median s':>10}{'min s':>8}{'CPU s':>8}{'pages':>7}{'size KB':>10}{'vs 30 s':>9}")
    for label, ts in times.items():
        med = statistics.median(ts)
        print(f"{label:<18}{med:>10.2f}{min(ts):>8.2f}{statistics.median(cpu[label]):>8.2f}{pages[label]:>7}"
              f"{sizes[label] / 1024:>10.0f}{med / TARGET_S:>9.2f}")


if __name__ == "__main__":
    main()
