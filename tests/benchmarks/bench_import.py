"""Import benchmark (issue 3): a bundle holding a 5-million-row `calls` table, CSV and Parquet.

Baseline: bare DuckDB `CREATE TABLE t AS SELECT * FROM read_csv(file)` (resp. read_parquet)
into a fresh on-disk database, on the same file, in the same run.  A second baseline ("same
columns") is bare DuckDB writing what a case keeps of each row and no more: every value as
written (text) and the start time in UTC beside it — the work the provenance contract asks for
before any verification, checking or number normalisation.  A third ("case columns") is bare
DuckDB writing the columns of a case's `calls` table — values as written, E.164 and UTC beside
them, source and row number — with normalisation as naive as this one file allows (separators
removed from its Indonesian numbers, a fixed +8 h), no check of any value.  Lintas: `lintas import`
of the directory bundle — verification (SHA-256 of every file, signature), normalisation
(E.164, UTC), provenance, one transaction — into a fresh case.  Each measured in its own
process, median of --repeat runs; peak memory (max RSS) of the import process reported.

    .venv/bin/python tests/benchmarks/bench_import.py [--rows 5000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable


def make_data(d: Path, rows: int) -> None:
    import duckdb

    con = duckdb.connect()
    # 60,000 distinct numbers written the ways Indonesian CDRs write them.
    con.execute(f"""
        CREATE TABLE calls AS
        WITH n AS (SELECT range AS i FROM range({rows}))
        SELECT
          CASE i % 3 WHEN 0 THEN '0812-' || lpad(CAST(hash(i) % 60000 AS VARCHAR), 4, '0') || '-7890'
                     WHEN 1 THEN '+62 812 ' || lpad(CAST(hash(i) % 60000 AS VARCHAR), 4, '0') || ' 7890'
                     ELSE '62812' || lpad(CAST(hash(i) % 60000 AS VARCHAR), 4, '0') || '7890' END AS A_NUMBER,
          '0813' || lpad(CAST(hash(i + 7) % 60000 AS VARCHAR), 4, '0') || '1234' AS B_NUMBER,
          strftime(TIMESTAMP '2026-01-01' + to_seconds(CAST(i * 3 AS BIGINT)), '%Y-%m-%d %H:%M:%S') AS START_TIME,
          CAST(hash(i) % 900 AS INTEGER) AS DURATION,
          'voice' AS kind,
          'BTG-' || CAST(i % 400 AS VARCHAR) AS cell_id,
          0.13 + (i % 100) / 1000.0 AS lat, 117.5 + (i % 100) / 1000.0 AS lon
        FROM n""")
    for fmt in ("csv", "parquet"):
        b = d / f"bundle_{fmt}"
        (b / "data").mkdir(parents=True)
        con.execute(f"COPY calls TO '{b / 'data' / ('calls.' + fmt)}' (FORMAT {fmt})")
        manifest = {
            "title": f"Benchmark CDR ({fmt})", "producer": {"agency": "Polres Bontang", "country": "ID"},
            "default_timezone": "Asia/Makassar",
            "handling": {"tlp": "AMBER", "releasable_to": ["ID"], "legal_basis": "KUHAP"},
            "tables": [{"path": f"data/calls.{fmt}", "kind": "calls", "format": fmt,
                        "columns": {"caller": "A_NUMBER", "callee": "B_NUMBER", "start": "START_TIME",
                                    "duration_s": "DURATION"}}]}
        (b / "manifest.json").write_text(json.dumps(manifest, indent=2))
        subprocess.run([PY, "-c", "import sys; from workstation.bundle import pack; pack(sys.argv[1], sys.argv[1])",
                        str(b)], check=True, cwd=ROOT)
    con.close()


BASELINE = """
import duckdb, sys, time
fmt, src, db = sys.argv[1:4]
con = duckdb.connect(db)
con.execute("SET enable_progress_bar = false")
t = time.perf_counter()
reader = "read_csv" if fmt == "csv" else "read_parquet"
if len(sys.argv) > 4 and sys.argv[4] == "case":   # the columns of a case's calls table, done naively
    rel = f"read_csv('{src}', all_varchar = true)" if fmt == "csv" else f"read_parquet('{src}')"
    def e164(c):   # right for this file's numbers only (Indonesian, written 0…-…, +62 … …, 62…)
        d = f"replace(replace(replace(CAST({c} AS VARCHAR), '-', ''), ' ', ''), '+', '')"
        return f"CASE WHEN starts_with({d}, '0') THEN '+62' || substr({d}, 2) ELSE '+' || {d} END"
    con.execute(f"CREATE TABLE t AS SELECT CAST(1 AS INTEGER) AS source_id, CAST(NULL AS BIGINT) AS source_row, "
                f"A_NUMBER AS caller, {e164('A_NUMBER')} AS caller_e164, B_NUMBER AS callee, "
                f"{e164('B_NUMBER')} AS callee_e164, CAST(START_TIME AS VARCHAR) AS start, "
                f"CAST(START_TIME AS TIMESTAMP) - INTERVAL 8 HOUR AS start_utc, CAST(DURATION AS DOUBLE) AS duration_s, "
                f"kind, cell_id, CAST(lat AS DOUBLE) AS lat, CAST(lon AS DOUBLE) AS lon, "
                f"CAST(NULL AS INTEGER) AS handling_id, CAST(NULL AS JSON) AS extra FROM {rel}")
    con.execute("UPDATE t SET source_row = rowid + 2")
elif len(sys.argv) > 4:     # the same columns: values as written, start in UTC beside them
    rel = f"read_csv('{src}', all_varchar = true)" if fmt == "csv" else f"read_parquet('{src}')"
    con.execute(f"CREATE TABLE t AS SELECT A_NUMBER, B_NUMBER, CAST(START_TIME AS VARCHAR) AS START_TIME, "
                f"CAST(START_TIME AS TIMESTAMP) - INTERVAL 8 HOUR AS start_utc, DURATION, kind, cell_id, "
                f"lat, lon FROM {rel}")
else:
    con.execute(f"CREATE TABLE t AS SELECT * FROM {reader}('{src}')")
con.execute("CHECKPOINT")
print(time.perf_counter() - t)
"""

LINTAS = """
import resource, sys, time
from workstation.case import Case
from workstation.importers import ImportOptions
from workstation.ingest import import_path
bundle, db = sys.argv[1:3]
case = Case.create(db, "bench")
t = time.perf_counter()
res = import_path(case, bundle, ImportOptions(allow_unsigned=True))
case.con.execute("CHECKPOINT")
dt = time.perf_counter() - t
assert res.imported, res
case.close()
print(dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def run(code: str, *args: str) -> list[float]:
    out = subprocess.run([PY, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise SystemExit(out.stderr)
    return [float(x) for x in out.stdout.split()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="lintas-bench-") as tmp:
        d = Path(tmp)
        t = time.perf_counter()
        make_data(d, a.rows)
        print(f"data: {a.rows:,} calls, made in {time.perf_counter() - t:.1f} s")
        print(f"{'format':<8} {'baseline s':>10} {'same cols s':>11} {'case cols s':>11} {'lintas s':>9} "
              f"{'ratio':>6} {'vs same':>8} {'vs case':>8} {'peak MB':>8}")
        for fmt in ("csv", "parquet"):
            src = d / f"bundle_{fmt}" / "data" / f"calls.{fmt}"
            base, same, cols, mine, peaks = [], [], [], [], []
            for i in range(a.repeat):
                db = d / f"base_{fmt}_{i}.duckdb"
                base.append(run(BASELINE, fmt, str(src), str(db))[0])
                db.unlink()
                same.append(run(BASELINE, fmt, str(src), str(db), "same")[0])
                db.unlink()
                cols.append(run(BASELINE, fmt, str(src), str(db), "case")[0])
                db.unlink()
                case = d / f"case_{fmt}_{i}.lintas"
                secs, peak = run(LINTAS, str(d / f"bundle_{fmt}"), str(case))
                mine.append(secs)
                peaks.append(peak)
                case.unlink()
            b, sm, c, m = (statistics.median(x) for x in (base, same, cols, mine))
            print(f"{fmt:<8} {b:>10.2f} {sm:>11.2f} {c:>11.2f} {m:>9.2f} {m / b:>6.2f} {m / sm:>8.2f} {m / c:>8.2f} "
                  f"{max(peaks):>8.0f}", flush=True)
            print(f"         runs: baseline {[round(x, 2) for x in base]} same columns {[round(x, 2) for x in same]} "
                  f"case columns {[round(x, 2) for x in cols]} lintas {[round(x, 2) for x in mine]}")


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main()
