"""Search benchmark (issue 4): query time over a case with 1 million entities.

The case holds N persons (names of this region, written the ways sources write them),
one identifier each (phone or passport), an address for one in three, and --calls call
records between 60,000 of their phone numbers (indexed by their numbers: one doc per number per
source and column), one of them from a number no person holds.  The index is
built once (time reported); then each query below runs --repeat times and the median is
reported against the 200 ms target.  Baseline: a plain ``ILIKE '%…%'`` scan of
``persons.name`` in the same case (exact substring only: no typos, spellings or scripts); for the
queries with a time range, bare DuckDB counting the number's calls in the range.

Then one small source arrives (--add-persons persons with a phone each, one in ten also holding
a number an older person holds, and --add-calls calls between their numbers and the older ones):
the time ``ensure_index`` takes to add it is reported against a full rebuild of the same case
(baseline), and the queries run again over the index as the add left it.

    .venv/bin/python tests/benchmarks/bench_search.py [--entities 1000000] [--calls 5000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_xref as gen  # noqa: E402

from analysis import search  # noqa: E402
from workstation.case import Case  # noqa: E402
from workstation.normalise import fold_name  # noqa: E402

CITIES = ("Bontang Samarinda Balikpapan Tarakan Nunukan Tawau Sandakan Kota Kinabalu Zamboanga Makassar "
          "Surabaya Jakarta Pontianak Sebatik Berau").split()
STREETS = "Jl. Ahmad Yani|Jl. Sudirman|Jl. Pahlawan|Jalan Merdeka|Jl. Diponegoro|Jl. Gatot Subroto".split("|")

QUERIES = [
    ("exact name", "Sunaryo Wibowo"),
    ("spelling variant", "Mohd Rizal"),
    ("old spelling", "Soenarjo"),
    ("typo", "Prasetio Wahyudi"),
    ("surname first", "SANTOSO, Budi"),
    ("phone national form", "0812-3456-7890"),
    ("passport", "A1234567"),
    ("place", "Nunukan"),
    ("number only in calls", "0813 9999 1234"),
    ("family name, dialect", "Tan Wei Ming"),
]
# With a time range: a number of many calls, kept only where one of its rows lies in the range
# (its calls read for the few best hits).  Baseline: bare DuckDB counting the number's calls in
# the range by its E.164 form (caller or callee), the least any such answer must read.
RANGED = [
    ("phone, June", "0812-3456-7890", "+6281234567890", dt.datetime(2026, 6, 1), dt.datetime(2026, 7, 1)),
    ("phone, from February", "0812-3456-7890", "+6281234567890", dt.datetime(2026, 2, 1), None),
]


def build(path: Path, n: int, calls: int) -> Case:
    rng = random.Random(5)
    recs, _ = gen.generate(n, seed=3)
    # Plant the queried values so each query has real hits.
    recs[7]["name"], recs[7]["ids"] = "Muhammad Rizal bin Abdullah", [
        ("phone", "0812-3456-7890", "+6281234567890", None)]
    recs[8]["ids"] = [("passport", "A 123 4567", "A1234567", "MY")]
    case = Case.create(path, "search bench")
    gen.load(case, recs)
    with case.transaction() as con:
        rows = [(r["source"], i + 2, f"S{r['source']}-{i}", 1000 + i,
                 f"{rng.choice(STREETS)} No. {rng.randint(1, 200)}", rng.choice(CITIES))
                for i, r in enumerate(recs) if i % 3 == 0]
        cols = list(zip(*rows, strict=True))
        con.register("_ad", pa.table({"source_id": pa.array(cols[0], pa.int32()),
                                      "source_row": pa.array(cols[1], pa.int64()), "owner": list(cols[2]),
                                      "eid": pa.array(cols[3], pa.int64()), "full": list(cols[4]),
                                      "city": list(cols[5])}))
        con.execute("INSERT INTO addresses (source_id, source_row, owner, \"full\", city, owner_entity_id) "
                    "SELECT source_id, source_row, owner, \"full\", city, eid FROM _ad")
        # Call records between 60,000 of the numbers (as many distinct numbers as the import
        # benchmark's 5M-row CDR has): a CDR's calls are many, its numbers few.
        con.execute("CREATE TEMP TABLE _ph AS SELECT row_number() OVER () - 1 AS k, value, value_norm "
                    "FROM identifiers WHERE kind = 'phone' LIMIT 60000")
        nph = con.execute("SELECT count(*) FROM _ph").fetchall()[0][0]
        con.execute(f"""INSERT INTO calls (source_id, source_row, caller, caller_e164, callee, callee_e164, start,
                            start_utc, duration_s)
            SELECT 1 + i % 5, i + 2, a.value, a.value_norm, b.value, b.value_norm,
                   strftime(TIMESTAMP '2026-01-01' + to_seconds(CAST(i * 3 AS BIGINT)), '%Y-%m-%d %H:%M:%S'),
                   TIMESTAMP '2026-01-01' + to_seconds(CAST(i * 3 AS BIGINT)) - INTERVAL 8 HOUR, hash(i) % 900
            FROM range({calls}) r(i) JOIN _ph a ON a.k = hash(i) % {nph} JOIN _ph b ON b.k = hash(i + 7) % {nph}""")
        con.execute("UPDATE calls SET callee = '0813-9999-1234', callee_e164 = '+6281399991234' "
                    "WHERE source_id = 1 AND source_row = 17")
    return case


def add_source(case: Case, persons: int, calls: int) -> int:
    """A small source as an import would write it: persons with phones, calls with older numbers."""
    recs, _ = gen.generate(persons, seed=11)
    with case.transaction() as con:
        sid = con.execute("SELECT max(source_id) + 1 FROM sources").fetchall()[0][0]
        e0 = con.execute("SELECT max(entity_id) + 1 FROM entities").fetchall()[0][0]
        con.execute("INSERT INTO sources (source_id, bundle_id, title, format, importer, producer_country, tlp, "
                    "signature_status, imported_at) VALUES (?, ?, 'late package', 'lintas-bundle/1', 'bench', "
                    "'ID', 'AMBER', 'unsigned', now()::TIMESTAMP)", [sid, f"bench-{sid}"])
        n = len(recs)
        con.register("_np", pa.table({"i": pa.array(range(n), pa.int64()),
                                      "name": [r["name"] for r in recs],
                                      "folded": [fold_name(r["name"]) for r in recs]}))
        con.execute("INSERT INTO entities SELECT ? + i, 'persons', ?, i + 2, 'N-' || i, name, folded FROM _np",
                    [e0, sid])
        con.execute("INSERT INTO persons (source_id, source_row, id, name, entity_id, name_folded) "
                    "SELECT ?, i + 2, 'N-' || i, name, ? + i, folded FROM _np", [sid, e0])
        con.execute("CREATE TEMP TABLE _new AS SELECT i AS k, '0857-' || lpad(CAST(i AS VARCHAR), 4, '0') || '-'"
                    " || lpad(CAST(i * 7 % 10000 AS VARCHAR), 4, '0') AS value FROM _np")
        con.execute("INSERT INTO identifiers (source_id, source_row, owner, kind, value, country, country_iso, "
                    "owner_entity_id, value_norm) SELECT ?, k + 2, 'N-' || k, 'phone', value, 'ID', 'ID', ? + k, "
                    "'+62' || regexp_replace(value[2:], '[^0-9]', '', 'g') FROM _new", [sid, e0])
        # One in ten also holds a number an older person holds (its calls then name nobody).
        con.execute("CREATE TEMP TABLE _old AS SELECT row_number() OVER () - 1 AS k, value, value_norm "
                    "FROM identifiers WHERE kind = 'phone' AND source_id <> ? LIMIT 60000", [sid])
        con.execute("INSERT INTO identifiers (source_id, source_row, owner, kind, value, country, country_iso, "
                    "owner_entity_id, value_norm) SELECT ?, k + 2, 'N-' || k, 'phone', o.value, 'ID', 'ID', ? + k, "
                    "o.value_norm FROM _old o WHERE k % 10 = 0 AND k < ?", [sid, e0, n])
        nold = con.execute("SELECT count(*) FROM _old").fetchall()[0][0]
        con.execute("""INSERT INTO calls (source_id, source_row, caller, caller_e164, callee, callee_e164, start,
                            start_utc, duration_s)
            SELECT ?, i + 2, a.value, a.value_norm, b.value, b.value_norm,
                   strftime(TIMESTAMP '2026-06-01' + to_seconds(CAST(i * 3 AS BIGINT)), '%Y-%m-%d %H:%M:%S'),
                   TIMESTAMP '2026-06-01' + to_seconds(CAST(i * 3 AS BIGINT)) - INTERVAL 8 HOUR, hash(i) % 900
            FROM range(?) r(i) JOIN identifiers a ON a.source_id = ? AND a.source_row = hash(i) % ? + 2
              AND a.value LIKE '0857%' JOIN _old b ON b.k = hash(i + 7) % ?""", [sid, calls, sid, n, nold])
        for t in ("_new", "_old"):
            con.execute(f"DROP TABLE {t}")
        con.unregister("_np")
    return sid


def run_queries(cur, repeat: int, before: dict[str, float] | None = None) -> dict[str, float]:
    """Each query's median ms; against the ILIKE baseline, or against ``before`` when given."""
    against = "before ms" if before else "baseline ms"
    print(f"{'query':<22}{'text':<22}{'median ms':>10}{'hits':>6}{against:>13}{'ratio':>7}  top hit")
    out = {}
    for label, text in QUERIES:
        times, hits = [], []
        for _ in range(repeat):
            t = time.perf_counter()
            hits = search.search(cur, text, limit=20)
            times.append((time.perf_counter() - t) * 1000)
        m = out[label] = statistics.median(times)
        if before:
            b = before[label]
        else:
            base = []
            for _ in range(repeat):
                t = time.perf_counter()
                cur.execute("SELECT name FROM persons WHERE name ILIKE ? LIMIT 20", [f"%{text}%"]).fetchall()
                base.append((time.perf_counter() - t) * 1000)
            b = statistics.median(base)
        top = f"{hits[0]['kind']}.{hits[0]['field']}: {hits[0]['text'][:30]}" if hits else "-"
        print(f"{label:<22}{text:<22}{m:>10.1f}{len(hits):>6}{b:>13.1f}{m / b:>7.2f}  {top}")
    for label, text, e164, t_from, t_to in RANGED:
        times, base = [], []
        for _ in range(repeat):
            t = time.perf_counter()
            hits = search.search(cur, text, limit=20, time_from=t_from, time_to=t_to)
            times.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            cur.execute("SELECT count(*) FROM calls WHERE start_utc >= ? AND start_utc < ? AND "
                        "(caller_e164 = ? OR callee_e164 = ?)",
                        [t_from, t_to or dt.datetime(9999, 1, 1), e164, e164]).fetchall()
            base.append((time.perf_counter() - t) * 1000)
        m = out[label] = statistics.median(times)
        b = before[label] if before else statistics.median(base)
        top = f"{hits[0]['kind']}.{hits[0]['field']}: {hits[0]['text'][:30]}" if hits else "-"
        print(f"{label:<22}{text:<22}{m:>10.1f}{len(hits):>6}{b:>13.1f}{m / b:>7.2f}  {top}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entities", type=int, default=1_000_000, help="persons in the case")
    ap.add_argument("--repeat", type=int, default=5, help="runs per query (median)")
    ap.add_argument("--calls", type=int, default=5_000_000, help="call records between the persons' numbers")
    ap.add_argument("--add-persons", type=int, default=1_000, help="persons of the small source added after")
    ap.add_argument("--add-calls", type=int, default=10_000, help="calls of the small source added after")
    ap.add_argument("--keep", help="keep the built case at this path (and reuse it when it exists)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        path = Path(a.keep) if a.keep else Path(d) / "s.lintas"
        case = Case.open(path) if path.exists() else build(path, a.entities, a.calls)
        print(f"case with {a.entities:,} persons and {a.calls:,} calls ready in {time.perf_counter() - t0:.1f} s")
        with case:
            t0 = time.perf_counter()
            c0 = time.process_time()
            counts = search.build_index(case)
            print(f"index built in {time.perf_counter() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU: "
                  f"{counts['docs']:,} values, {counts['terms']:,} terms, {counts['postings']:,} postings")
            cur = case.cursor()
            before = run_queries(cur, a.repeat)

            sid = add_source(case, a.add_persons, a.add_calls)
            print(f"\nsource #{sid} added: {a.add_persons:,} persons with phones, {a.add_calls:,} calls")
            t0 = time.perf_counter()
            assert search.ensure_index(case)
            t_add = time.perf_counter() - t0
            cover = json.loads(cur.execute("SELECT value FROM case_meta WHERE key = ?",
                                           [search.COVER_KEY]).fetchall()[0][0])
            if not cover["appended"]:
                sys.exit("the add fell back to a full rebuild: source too large for APPEND_LIMIT")
            docs = cur.execute("SELECT count(*) FROM search_docs").fetchall()[0][0]
            print(f"{cover['appended']:,} docs appended ({docs:,} in all)")
            print("queries over the index as the add left it:")
            run_queries(cur, a.repeat, before)
            t0 = time.perf_counter()
            search.build_index(case)
            t_full = time.perf_counter() - t0
            print(f"\n{'update after the add':<28}{'seconds':>9}{'ratio':>8}")
            print(f"{'full rebuild (baseline)':<28}{t_full:>9.2f}{1.0:>8.2f}")
            print(f"{'incremental add':<28}{t_add:>9.2f}{t_add / t_full:>8.3f}")


if __name__ == "__main__":
    main()
