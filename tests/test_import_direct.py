"""The direct import path (large event tables read by the case itself) against the exact path.

The direct path reads, checks, normalises and inserts an event table in one statement; every
result must be the one the exact path gives: row numbers, UTC times in zones that changed
their offsets, the problems listed for a bad file, and nothing left behind.
"""

import datetime as dt
import json
import zoneinfo

import duckdb
import pytest

from workstation import ingest as ingest_mod
from workstation.case import Case
from workstation.errors import InputRefused
from workstation.importers import ImportOptions
from workstation.ingest import import_path

from .importing import snapshot

ROWS = 300_000      # several row groups: read in parallel
UNSIGNED = ImportOptions(allow_unsigned=True)


def _bundle(d, rows_csv: str, tz: str | None = "Asia/Makassar", fmt="csv", name="calls", declared=None):
    (d / "data").mkdir(parents=True)
    (d / "data" / f"{name}.{fmt}").write_text(rows_csv)
    table = {"path": f"data/{name}.{fmt}", "kind": "calls", "format": fmt,
             "columns": {"caller": "A", "callee": "B", "start": "T", "duration_s": "D"}}
    if declared is not None:
        table["rows"] = declared
    m = {"format": "lintas-bundle/1", "bundle_id": f"b-{d.name}", "title": "CDR",
         "producer": {"agency": "Polres Bontang", "country": "ID"},
         "handling": {"tlp": "AMBER", "releasable_to": ["ID"]}, "tables": [table]}
    if tz:
        m["default_timezone"] = tz
    (d / "manifest.json").write_text(json.dumps(m))
    from workstation.bundle import pack
    pack(d, d)
    return d


def _big_csv(n: int) -> str:
    con = duckdb.connect()
    rows = con.execute(f"""
        SELECT string_agg(a || ',' || b || ',' || t || ',' || i, chr(10) ORDER BY i) FROM (
          SELECT i, CASE i % 3 WHEN 0 THEN '0812-' || lpad(CAST(i % 5000 AS VARCHAR), 4, '0') || '-7890'
                               WHEN 1 THEN '+62 812 ' || lpad(CAST(i % 5000 AS VARCHAR), 4, '0') || ' 7890'
                               ELSE '62812' || lpad(CAST(i % 5000 AS VARCHAR), 4, '0') || '7890' END AS a,
                 '0813' || lpad(CAST(i % 7000 AS VARCHAR), 4, '0') || '1234' AS b,
                 strftime(TIMESTAMP '2026-01-01' + to_seconds(i * 7), '%Y-%m-%d %H:%M:%S') AS t
          FROM range({n}) r(i))""").fetchall()[0][0]
    con.close()
    return "A,B,T,D\n" + rows + "\n"


def test_direct_path_numbers_rows_in_file_order_and_normalises(case, tmp_path, monkeypatch):
    calls = []
    real = ingest_mod._write_direct
    monkeypatch.setattr(ingest_mod, "_write_direct", lambda *a: calls.append(a[2].file) or real(*a))
    b = _bundle(tmp_path / "big", _big_csv(ROWS), declared=ROWS)
    res = import_path(case, b, UNSIGNED)
    assert res.imported and res.rows == {"calls": ROWS}
    assert calls == ["data/calls.csv"]                  # written by the direct path
    # The file's column D (duration_s) is the record index: the record number (header = 1) is D + 2.
    bad = case.con.execute("SELECT count(*) FROM calls WHERE source_row <> duration_s + 2 "
                           "OR duration_s IS NULL").fetchall()[0][0]
    assert bad == 0
    # One Indonesian number written three ways is one E.164 number; WITA is UTC+8.
    rows = case.con.execute("SELECT DISTINCT caller_e164 FROM calls WHERE caller IN "
                            "('0812-0001-7890', '+62 812 0001 7890', '6281200017890')").fetchall()
    assert rows == [("+6281200017890",)]
    assert case.con.execute("SELECT start_utc FROM calls WHERE source_row = 2").fetchall()[0][0] == \
        dt.datetime(2025, 12, 31, 16, 0)
    # Every number normalised (5,000 callers written three ways, 7,000 callees); nothing was left
    # in the intake folder.
    n = case.con.execute("SELECT count(caller_e164), count(DISTINCT caller_e164), count(DISTINCT callee_e164) "
                         "FROM calls").fetchall()[0]
    assert n == (ROWS, 5000, 7000)
    assert list(case.intake_dir.iterdir()) == []


def test_direct_parquet_and_messages_match_the_exact_path(case, tmp_path, monkeypatch):
    """The same bundle (calls as Parquet, messages as CSV) imported the direct way and the exact
    way gives the same rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    d = tmp_path / "b"
    (d / "data").mkdir(parents=True)
    n = 20_000
    pq.write_table(pa.table({"A": [f"0812{i % 900:04d}777" for i in range(n)],
                             "B": [f"+60 12-{i % 700:03d} 4567" for i in range(n)],
                             "T": [f"2026-02-{1 + i % 28:02d} {i % 24:02d}:15:00" for i in range(n)],
                             "D": [float(i) for i in range(n)]}), d / "data" / "calls.parquet", row_group_size=3000)
    (d / "data" / "messages.csv").write_text("S,R,T,BODY\n" + "".join(
        f"{'@Rizal_' + str(i % 5) if i % 3 else '0813-1111-' + format(i % 50, '04d')},"
        f"{'Andi@Mail.ID' if i % 2 else '+62 813 2222 0001'},2026-03-01T10:{i % 60:02d}:00+07:00,hi {i}\n"
        for i in range(3000)))
    m = {"format": "lintas-bundle/1", "bundle_id": "b-mixed", "title": "mixed", "default_timezone": "Asia/Jakarta",
         "producer": {"agency": "Polres Bontang", "country": "ID"}, "handling": {"tlp": "AMBER"},
         "tables": [{"path": "data/calls.parquet", "kind": "calls", "format": "parquet",
                     "columns": {"caller": "A", "callee": "B", "start": "T", "duration_s": "D"}},
                    {"path": "data/messages.csv", "kind": "messages", "format": "csv",
                     "columns": {"sender": "S", "recipient": "R", "time": "T", "body": "BODY"}}]}
    (d / "manifest.json").write_text(json.dumps(m))
    from workstation.bundle import pack
    pack(d, d)
    used = []
    real = ingest_mod._write_direct
    monkeypatch.setattr(ingest_mod, "_write_direct", lambda *a: used.append(a[2].file) or real(*a))
    res = import_path(case, d, UNSIGNED)
    assert res.rows == {"calls": n, "messages": 3000}
    assert used == ["data/calls.parquet", "data/messages.csv"]      # both written the direct way
    cols = ("source_row, caller, caller_e164, callee, callee_e164, start, start_utc, duration_s, handling_id, extra",
            "source_row, sender, sender_norm, recipient, recipient_norm, time, time_utc, body, extra")
    direct = [case.con.execute(f"SELECT {c} FROM {k} ORDER BY source_row").fetchall()
              for k, c in zip(("calls", "messages"), cols, strict=True)]
    monkeypatch.setattr(ingest_mod, "_direct_ok", lambda t: False)
    with Case.create(tmp_path / "exact.lintas", "exact") as other:
        assert import_path(other, d, UNSIGNED).rows == res.rows
        exact = [other.con.execute(f"SELECT {c} FROM {k} ORDER BY source_row").fetchall()
                 for k, c in zip(("calls", "messages"), cols, strict=True)]
    assert direct == exact
    assert direct[0][0][0] == 1 and direct[0][-1][0] == n          # Parquet rows numbered from 1
    assert {r[2] for r in direct[1]} >= {"rizal_1", "+6281311110001"} and "andi@mail.id" in {r[4] for r in direct[1]}


@pytest.mark.parametrize("tz", ["Asia/Jakarta", "Europe/Berlin", "America/Santiago"])
def test_direct_utc_equals_zoneinfo_across_offset_changes(case, tmp_path, tz):
    """Jakarta changed its offset six times between 1924 and 1964; Berlin and Santiago still
    change twice a year: every wall-clock time must come out as zoneinfo converts it."""
    z = zoneinfo.ZoneInfo(tz)
    times = [dt.datetime(1920, 1, 1) + dt.timedelta(hours=37 * i + (i % 11)) for i in range(25_000)]
    times += [dt.datetime(2026, 3, 29, 0, 30) + dt.timedelta(minutes=30 * i) for i in range(12)]
    csv = "A,B,T,D\n" + "".join(f"0811,0812,{t:%Y-%m-%d %H:%M:%S},{i}\n" for i, t in enumerate(times))
    b = _bundle(tmp_path / "tz", csv, tz=tz)
    assert import_path(case, b, UNSIGNED).imported
    got = dict(case.con.execute("SELECT source_row, start_utc FROM calls").fetchall())
    wrong = []
    for i, t in enumerate(times):
        want = t.replace(tzinfo=z).astimezone(dt.UTC).replace(tzinfo=None)
        # DuckDB (ICU) and zoneinfo may place a wall-clock time that does not exist (the skipped
        # hour) on either side; every other time must agree to the second.
        if got[i + 2] != want and (t + dt.timedelta(hours=1)).replace(tzinfo=z).utcoffset() == \
                t.replace(tzinfo=z).utcoffset():
            wrong.append((t, got[i + 2], want))
    assert not wrong, wrong[:5]


def test_bad_row_in_a_direct_table_is_named_and_case_unchanged(case, case_path, tmp_path):
    lines = _big_csv(50_000).splitlines()
    lines[40_001] = "0811,0812,2026-13-45 25:00:00,x"          # record 40,002 (header = 1)
    b = _bundle(tmp_path / "bad", "\n".join(lines) + "\n")
    assert import_path(case, _bundle(tmp_path / "good", _big_csv(10)), UNSIGNED).imported
    case.close()
    before = snapshot(case_path)
    with Case.open(case_path) as c:
        with pytest.raises(InputRefused) as e:
            import_path(c, b, UNSIGNED)
        assert list(c.intake_dir.iterdir()) == []
    problems = {(p["row"], p["column"], p["reason"]) for p in e.value.problems}
    assert (40_002, "T", "not an ISO 8601 timestamp: 2026-13-45 25:00:00") in problems
    assert (40_002, "D", "not a number: x") in problems
    assert snapshot(case_path) == before


def test_naive_time_without_zone_refused_on_direct_path(case, tmp_path):
    b = _bundle(tmp_path / "naive", "A,B,T,D\n0811,0812,2026-01-01 10:00:00,1\n", tz=None)
    with pytest.raises(InputRefused) as e:
        import_path(case, b, UNSIGNED)
    assert [(p["row"], p["column"]) for p in e.value.problems] == [(2, "T")]
    assert "without UTC offset" in e.value.problems[0]["reason"]


def test_plain_file_outside_the_intake_folder_is_copied_then_removed(case, tmp_path):
    f = tmp_path / "cdr.csv"
    f.write_text(_big_csv(1000))
    res = import_path(case, f, ImportOptions(kind="calls", mapping={"caller": "A", "callee": "B", "start": "T"},
                                             producer_country="ID", timezone="Asia/Jayapura"))
    assert res.rows == {"calls": 1000}
    assert case.con.execute("SELECT min(source_row), max(source_row) FROM calls").fetchall() == [(2, 1001)]
    assert f.exists() and list(case.intake_dir.iterdir()) == []


def test_case_reads_only_its_intake_folder(case, tmp_path):
    outside = tmp_path / "x.csv"
    outside.write_text("a\n1\n")
    with pytest.raises(duckdb.PermissionException):
        case.con.execute(f"SELECT * FROM read_csv('{outside}')").fetchall()
    inside = case.intake_dir / "y.csv"
    inside.write_text("a\n1\n")
    assert case.con.execute(f"SELECT * FROM read_csv('{inside}')").fetchall() == [(1,)]
    for stmt in (f"SET allowed_directories = ['{tmp_path}/']", "SET enable_external_access = true"):
        with pytest.raises(duckdb.Error):
            case.con.execute(stmt)
    intake = case.intake_dir
    case.close()
    assert not intake.exists()
    ro = Case.open(case.path, read_only=True)
    try:
        assert ro.intake_dir is None
        with pytest.raises(duckdb.PermissionException):
            ro.con.execute(f"SELECT * FROM read_csv('{outside}')").fetchall()
    finally:
        ro.close()
