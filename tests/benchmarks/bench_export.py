"""Export benchmark: the releasable selection and the partner package on a case with many calls.

The case: --rows calls over four sources with different handlings (one TLP:RED, one not
releasable to the recipient), 10,000 persons with a phone each, 1 % of them withheld (their
calls withheld with them).  Each Lintas operation is set against the bare work it cannot
avoid, on the same case in the same run:

* select (every rule, every kind)             vs  reading every row of every kind to Arrow;
* the same for 10 subjects                    vs  the same;
* package for MY (select, CSV files, pack)    vs  reading every row to Arrow and writing it as
                                                  CSV, then zipping the files (no rules);
* CSV export for MY                           vs  the same bare CSV dump, unzipped.

Median of --repeat runs, in one process.

    .venv/bin/python tests/benchmarks/bench_export.py [--rows 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pyarrow.csv as pacsv  # noqa: E402
from timing import median_time as timed  # noqa: E402  (tests/benchmarks on sys.path when run as a script)

from exports.registry import ExportOptions, export  # noqa: E402
from exports.selection import select  # noqa: E402
from workstation.case import Case  # noqa: E402
from workstation.kinds import KINDS  # noqa: E402

PERSONS = 10_000


def make_case(path: Path, rows: int) -> Case:
    case = Case.create(path, "Benchmark", ref="BENCH-1")
    con = case.con
    sources = [(1, "ID", "AMBER", ["ID", "MY", "INTERPOL"]), (2, "MY", "RED", []),
               (3, "ID", "GREEN", ["INTERPOL"]), (4, "PH", "AMBER", ["MY"])]
    for sid, prod, tlp, rel in sources:
        con.execute("INSERT INTO sources (source_id, bundle_id, title, format, importer, producer_country, "
                    "tlp, releasable_to, signature_status, imported_at) VALUES (?, ?, ?, 'lintas-bundle/1', "
                    "'bundle', ?, ?, ?, 'verified', now()::TIMESTAMP)",
                    [sid, f"b-{sid}", f"source {sid}", prod, tlp, rel])
    # persons of source 1, 1 % of them with their own RED handling
    con.execute("INSERT INTO handlings VALUES (1, 1, 'RED', [], NULL, [], 'informants')")
    con.execute(f"""INSERT INTO persons (source_id, source_row, id, name, entity_id, handling_id)
        SELECT 1, i + 1, 'P-' || i, 'Person ' || i, i + 1, CASE WHEN i % 100 = 0 THEN 1 END
        FROM range({PERSONS}) t(i)""")
    con.execute(f"""INSERT INTO identifiers (source_id, source_row, owner, kind, value, value_norm,
        owner_entity_id) SELECT 1, i + 1, 'P-' || i, 'phone', '+62812' || lpad(CAST(i AS VARCHAR), 7, '0'),
        '+62812' || lpad(CAST(i AS VARCHAR), 7, '0'), i + 1 FROM range({PERSONS}) t(i)""")
    con.execute(f"""INSERT INTO calls (source_id, source_row, caller, caller_e164, callee, callee_e164,
        start, start_utc, duration_s, kind, cell_id)
        SELECT 1 + CAST(i % 4 AS INTEGER), i + 1, a, a, b, b,
               strftime(TIMESTAMP '2026-01-01' + to_seconds(CAST(i AS BIGINT)), '%Y-%m-%dT%H:%M:%S+08:00'),
               TIMESTAMP '2026-01-01' + to_seconds(CAST(i AS BIGINT)), CAST(hash(i) % 900 AS DOUBLE),
               'voice', 'BTG-' || CAST(i % 400 AS VARCHAR)
        FROM (SELECT i, '+62812' || lpad(CAST(hash(i) % {PERSONS} AS VARCHAR), 7, '0') AS a,
                     '+62812' || lpad(CAST(hash(i + 7) % {PERSONS} AS VARCHAR), 7, '0') AS b
              FROM range({rows}) t(i))""")
    con.execute("CHECKPOINT")
    return case


def bare_dump(case: Case, out: Path, zipped: bool) -> None:
    out.mkdir()
    cur = case.cursor()
    for kind in KINDS:
        cols = [f'array_to_string("{c}", \';\') AS "{c}"' if t.endswith("[]") else f'"{c}"'
                for c, t in cur.execute("SELECT column_name, data_type FROM duckdb_columns() "
                                        "WHERE table_name = ? AND column_name <> 'extra' "
                                        "ORDER BY column_index", [kind]).fetchall()]
        reader = cur.sql(f'SELECT {", ".join(cols)} FROM "{kind}"').to_arrow_reader(65536)
        with pacsv.CSVWriter(str(out / f"{kind}.csv"), reader.schema) as w:
            for b in reader:
                w.write_batch(b)
    if zipped:
        with zipfile.ZipFile(out.with_suffix(".zip"), "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(out.iterdir()):
                z.write(f, f"data/{f.name}")


def bare_read(case: Case) -> int:
    cur = case.cursor()
    return sum(cur.sql(f'SELECT * FROM "{k}"').to_arrow_table().num_rows for k in KINDS)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="calls in the case")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="lintas-bench-export-") as tmp:
        d = Path(tmp)
        t = time.perf_counter()
        case = make_case(d / "bench.lintas", a.rows)
        print(f"case with {a.rows:,} calls, {PERSONS:,} persons built in {time.perf_counter() - t:.1f} s")
        n = [0]

        def fresh(name: str) -> Path:
            n[0] += 1
            return d / f"{name}-{n[0]}"

        def do_select():
            with select(case, "MY") as sel:
                assert sel.included["calls"] > 0

        def do_select_subjects():
            with select(case, "MY", subjects=[f"P-{i}" for i in range(1, 11)]) as sel:
                assert sel.included["persons"] >= 10

        def do_package():
            export(case, "bundle", fresh("pkg").with_suffix(".zip"), ExportOptions("MY"))

        def do_csv():
            export(case, "csv", fresh("csv"), ExportOptions("MY"))

        with select(case, "MY") as sel:
            included = sum(sel.included.values())
            withheld = sum(w.rows for w in sel.withheld)
        rows = [
            ("select for MY (all rules)", timed(do_select, a.repeat), "read every row to Arrow",
             timed(lambda: bare_read(case), a.repeat)),
            ("select for MY, 10 subjects", timed(do_select_subjects, a.repeat), "read every row to Arrow",
             timed(lambda: bare_read(case), a.repeat)),
            ("package for MY (lintas-bundle/1 ZIP)", timed(do_package, a.repeat),
             "dump every row to CSV + zip", timed(lambda: bare_dump(case, fresh("dump"), True), a.repeat)),
            ("CSV export for MY", timed(do_csv, a.repeat), "dump every row to CSV",
             timed(lambda: bare_dump(case, fresh("dump"), False), a.repeat)),
        ]
        case.close()
        for p in d.iterdir():
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
    print(f"selection for MY: {included:,} rows included, {withheld:,} withheld; median of {a.repeat}")
    print(f"{'operation':<40} {'median s':>9}   {'baseline':<32} {'median s':>9} {'ratio':>6}")
    for name, t, base, tb in rows:
        print(f"{name:<40} {t:>9.2f}   {base:<32} {tb:>9.2f} {t / tb:>6.2f}")


if __name__ == "__main__":
    main()
