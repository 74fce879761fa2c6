import csv
import json
import subprocess
import sys

import duckdb
import pyarrow.parquet as pq
import pytest

from workstation import query
from workstation.case import Case
from workstation.errors import QueryRefused


def lintas(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "workstation.cli", *args], capture_output=True,
                          text=True, input=stdin)


def _snapshot(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in tables}
    finally:
        con.close()


@pytest.fixture
def filled(case_path):
    c = Case.create(case_path, "Query test")
    c.con.execute("INSERT INTO sources (source_id, format, importer, tlp, signature_status, imported_at) "
                  "VALUES (1, 'test', 'test', 'AMBER', 'verified', now())")
    c.con.execute("INSERT INTO calls (source_id, source_row, caller, callee, start) "
                  "SELECT 1, i + 2, '0812' || i, '0813' || i, '2026-01-01T00:00:00+07:00' FROM range(5000) t(i)")
    c.close()
    return case_path


@pytest.mark.parametrize("sql", [
    "DELETE FROM calls",
    "UPDATE calls SET caller = 'x'",
    "DROP TABLE calls",
    "INSERT INTO calls (source_id, source_row, caller, callee, start) VALUES (1,1,'a','b','c')",
    "CREATE TABLE t AS SELECT 1",
    "COPY calls TO '/tmp/lintas-leak.csv'",
    "ATTACH '/tmp/other.duckdb' AS o",
    "INSTALL httpfs",
    "LOAD httpfs",
    "PRAGMA enable_profiling",
    "SET threads = 1",
    "CHECKPOINT",
    "SELECT 1; DELETE FROM calls",
    "SELECT nextval('seq_entity')",
    "EXPORT DATABASE '/tmp/x'",
])
def test_writes_refused_and_case_unchanged(filled, sql):
    before = _snapshot(filled)
    r = lintas("query", str(filled), sql)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "refused" in r.stderr
    assert "read-only" in r.stderr
    # the refusal itself is not recorded (nothing ran); the case is as it was
    assert _snapshot(filled) == before


def test_reading_files_outside_the_case_refused(filled, tmp_path):
    outside = tmp_path / "x.csv"
    outside.write_text("a\n1\n")
    r = lintas("query", str(filled), f"SELECT * FROM read_csv('{outside}')")
    assert r.returncode == 2
    assert "cannot reach files outside the case" in r.stderr


@pytest.mark.parametrize("sql, says", [
    ("SELECT nosuch FROM calls", 'the query failed: Binder Error: Referenced column "nosuch" not found'),
    ("SELECT * FROM nosuchtable", "the query failed: Catalog Error: Table with name nosuchtable does not exist"),
    ("SELECT CAST(start AS INTEGER) FROM calls", "the query failed: Conversion Error"),
])
def test_a_query_duckdb_cannot_run_is_a_usage_error_not_an_internal_one(filled, sql, says):
    before = _snapshot(filled)
    r = lintas("query", str(filled), sql)
    assert r.returncode == 2 and says in r.stderr and "internal error" not in r.stderr, (r.returncode, r.stderr)
    assert _snapshot(filled) == before


def test_select_formats(filled, tmp_path):
    r = lintas("query", str(filled), "SELECT caller, callee FROM calls ORDER BY source_row LIMIT 3", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [{"caller": f"0812{i}", "callee": f"0813{i}"} for i in range(3)]
    out = tmp_path / "o.csv"
    r = lintas("query", str(filled), "SELECT * FROM calls", "--format", "csv", "--out", str(out))
    assert r.returncode == 0, r.stderr
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 5000 and rows[0]["caller"] == "08120"
    pout = tmp_path / "o.parquet"
    r = lintas("query", str(filled), "SELECT count(*) AS n FROM calls", "--format", "parquet", "--out", str(pout))
    assert r.returncode == 0
    assert pq.read_table(pout).to_pylist() == [{"n": 5000}]
    r = lintas("query", str(filled), "-", "--format", "table", stdin="SELECT 1 AS one")
    assert r.returncode == 0 and "one" in r.stdout and "(1 row)" in r.stdout


def test_queries_are_audited(filled):
    lintas("query", str(filled), "SELECT count(*) FROM calls")
    with Case.open(filled, read_only=True) as c:
        last = c.audit_entries()[-1]
        assert c.verify_audit().ok
    assert last["action"] == "query"
    assert last["params"]["sql"] == "SELECT count(*) FROM calls"
    assert last["result"]["rows"] == 1


def test_guard_in_process(case):
    with pytest.raises(QueryRefused):
        query.check(case.con, "DELETE FROM calls")
    reader = query.stream(case.cursor(), "SELECT 42 AS x")
    assert reader.read_all().to_pylist() == [{"x": 42}]


def test_large_result_streams_to_file(case, tmp_path):
    """A big result goes to Parquet in batches; the reader never holds it whole."""
    reader = query.stream(case.cursor(), "SELECT range AS i, 'row ' || range AS s FROM range(2000000)",
                          batch_size=100_000)
    out = tmp_path / "big.parquet"
    n = query.write(reader, "parquet", out)
    assert n == 2_000_000
    assert pq.ParquetFile(out).metadata.num_rows == 2_000_000
