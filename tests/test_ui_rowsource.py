"""The core row source behind the result grid, tested without Qt (STYLE habit 10)."""

from __future__ import annotations

import threading

import pyarrow.parquet as pq
import pytest

from workstation import plain_import, rowsource
from workstation.case import Case
from workstation.errors import Cancelled, LintasError, QueryRefused
from workstation.progress import Progress


@pytest.fixture
def store(case):
    return rowsource.RowStore.for_case(case)


def test_fetch_any_page_in_order(store):
    rs = store.from_sql("SELECT range AS n, 'v' || range AS s FROM range(300000)")
    assert rs.count() == 300000 and rs.columns == ["n", "s"] and rs.types == ["BIGINT", "VARCHAR"]
    assert rs.fetch(0, 3).column("n").to_pylist() == [0, 1, 2]
    assert rs.fetch(299998, 10).column("n").to_pylist() == [299998, 299999]   # clipped at the end
    assert rs.fetch(123456, 2).to_pylist() == [{"n": 123456, "s": "v123456"}, {"n": 123457, "s": "v123457"}]
    assert rs.fetch(400000, 5).num_rows == 0


def test_sort_and_filter_in_sql_keep_ties_in_original_order(store):
    rs = store.from_sql("SELECT range AS n, range % 3 AS k, CASE WHEN range % 5 = 0 THEN NULL "
                        "ELSE 'a_b%' || range END AS t FROM range(30)")
    by_k = rs.derive(order=("k", True))
    assert by_k.fetch(0, 10).column("n").to_pylist() == [2, 5, 8, 11, 14, 17, 20, 23, 26, 29]
    assert by_k.order == ("k", True)
    nulls_last = rs.derive(order=("t", False))
    assert nulls_last.fetch(24, 6).column("t").to_pylist() == [None] * 6
    # LIKE wildcards in the filter text are taken literally
    assert rs.derive(filter_text="a_b%1").count() == 9       # 1, 11..19 minus 10, 15 (NULL)
    assert rs.derive(filter_text="x_b").count() == 0
    # a derived source derives from the original result, not from its parent's filter
    f = rs.derive(filter_text="a_b%2")
    assert f.derive(order=("n", True)).count() == rs.count()
    with pytest.raises(LintasError, match="no column"):
        rs.derive(order=("nope", False))


def test_refused_and_failing_queries(store):
    with pytest.raises(QueryRefused, match="read-only"):
        store.from_sql("DELETE FROM sources")
    with pytest.raises(QueryRefused, match="no_such"):
        store.from_sql("SELECT * FROM no_such")
    empty = store.from_sql("SELECT 1 AS x WHERE false")
    assert empty.count() == 0 and empty.columns == ["x"]


def test_cancel_interrupts_a_running_statement(store):
    rs = store.from_sql("SELECT range AS n, random() AS r FROM range(3000000)")
    p = Progress()
    threading.Timer(0.2, p.cancel).start()
    with pytest.raises(Cancelled):
        rs.derive(order=("r", False), filter_text="9", progress=p)
    p2 = Progress()
    threading.Timer(0.2, p2.cancel).start()
    with pytest.raises(Cancelled):
        store.from_sql("SELECT count(*) FROM range(100000000000)", progress=p2)


def test_close_drops_the_table(store, case):
    rs = store.from_sql("SELECT 1 AS x")
    name = rs.table.split(".")[-1].strip('"')
    tables = lambda: {r[0] for r in case.con.execute(  # noqa: E731
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'lintas_rows'").fetchall()}
    assert name in tables()
    rs.close()
    assert name not in tables()
    with pytest.raises(LintasError):
        rs.fetch(0, 1)


def test_read_only_case_falls_back_to_temporary_tables(case_path):
    Case.create(case_path, "x").close()
    with Case.open(case_path, read_only=True) as c:
        st = rowsource.RowStore.for_case(c)
        assert st.schema == "temp"
        rs = st.from_sql("SELECT range AS n FROM range(1000)")
        assert rs.derive(order=("n", True)).fetch(0, 2).column("n").to_pylist() == [999, 998]


def test_export_formats_and_xlsx_limit(store, tmp_path, monkeypatch):
    rs = store.from_sql("SELECT range AS n, 'Nur Aisyah ' || range AS name FROM range(2000)")
    assert rs.export(tmp_path / "a.csv") == 2000
    assert rs.export(tmp_path / "a.parquet") == 2000 and pq.read_table(tmp_path / "a.parquet").num_rows == 2000
    assert rs.export(tmp_path / "a.xlsx") == 2000
    assert not list(tmp_path.glob("*.part"))
    with pytest.raises(LintasError, match="unknown export format"):
        rs.export(tmp_path / "a.txt")
    monkeypatch.setattr(rowsource, "XLSX_MAX_ROWS", 1000)
    with pytest.raises(LintasError, match="do not fit in one XLSX sheet"):
        rs.export(tmp_path / "b.xlsx")
    p = Progress()
    p.cancel()
    with pytest.raises(Cancelled):
        rs.export(tmp_path / "c.csv", progress=p)
    assert not (tmp_path / "c.csv").exists()


def test_saved_queries_history_and_audit(case):
    rowsource.save_query(case, "calls per caller", "SELECT caller, count(*) FROM calls GROUP BY 1", "CDR")
    assert [q["name"] for q in rowsource.saved_queries(case.con)] == ["calls per caller"]
    with pytest.raises(QueryRefused):
        rowsource.save_query(case, "bad", "DROP TABLE calls")
    rowsource.record_query(case, "SELECT 42", 1, 0.01)
    h = rowsource.query_history(case.con)
    assert h[0]["sql"] == "SELECT 42" and h[0]["rows"] == 1
    assert rowsource.delete_saved_query(case, "calls per caller")
    actions = [e["action"] for e in case.audit_entries()]
    assert actions[-3:] == ["query.save", "query", "query.delete"]
    assert case.verify_audit().ok


def test_plain_file_preview_and_suggestions(tmp_path):
    f = tmp_path / "cdr.csv"
    f.write_text("A_NUMBER,B_NUMBER,START_TIME,Durasi,CELL\n0812,0813,2026-03-01 08:15:00,61,510-10\n",
                 encoding="utf-8")
    t = plain_import.preview_file(f)
    assert t.column_names == ["A_NUMBER", "B_NUMBER", "START_TIME", "Durasi", "CELL"]
    assert t.column("A_NUMBER").to_pylist() == ["0812"]      # as written, leading zero kept
    assert plain_import.suggest_kind(t.column_names) == "calls"
    assert plain_import.suggest_mapping("calls", t.column_names) == {
        "caller": "A_NUMBER", "callee": "B_NUMBER", "start": "START_TIME", "duration_s": "Durasi",
        "cell_id": "CELL"}
    people = ["ID", "Nama", "Tanggal Lahir", "Kewarganegaraan"]
    assert plain_import.suggest_kind(people) == "persons"
    assert plain_import.suggest_mapping("persons", people) == {
        "id": "ID", "name": "Nama", "birth_date": "Tanggal Lahir", "nationality": "Kewarganegaraan"}
    assert plain_import.suggest_kind(["foo", "bar"]) is None
