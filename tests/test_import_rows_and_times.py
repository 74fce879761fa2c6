"""Row numbers of large files and UTC of wall-clock times, checked against independent answers.

A large CSV is read in parallel: every row must still carry its record number.  A wall-clock
time is converted with the zone's offset per day (exactly on a day the offset changes): every
time must come out as Python's zoneinfo converts it, in zones that changed their offsets.
"""

import datetime as dt
import json
import zoneinfo

import duckdb
import pytest

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


def test_rows_of_a_large_file_numbered_in_file_order_and_normalised(case, tmp_path):
    b = _bundle(tmp_path / "big", _big_csv(ROWS), declared=ROWS)
    res = import_path(case, b, UNSIGNED)
    assert res.imported and res.rows == {"calls": ROWS}
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
    # Every number normalised (5,000 callers written three ways, 7,000 callees).
    n = case.con.execute("SELECT count(caller_e164), count(DISTINCT caller_e164), count(DISTINCT callee_e164) "
                         "FROM calls").fetchall()[0]
    assert n == (ROWS, 5000, 7000)


@pytest.mark.parametrize("tz", ["Asia/Jakarta", "Europe/Berlin", "America/Santiago"])
def test_utc_equals_zoneinfo_across_offset_changes(case, tmp_path, tz):
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


def test_bad_row_deep_in_a_large_file_is_named_and_case_unchanged(case, case_path, tmp_path):
    lines = _big_csv(50_000).splitlines()
    lines[40_001] = "0811,0812,2026-13-45 25:00:00,x"          # record 40,002 (header = 1)
    b = _bundle(tmp_path / "bad", "\n".join(lines) + "\n")
    assert import_path(case, _bundle(tmp_path / "good", _big_csv(10)), UNSIGNED).imported
    case.close()
    before = snapshot(case_path)
    with Case.open(case_path) as c, pytest.raises(InputRefused) as e:
        import_path(c, b, UNSIGNED)
    problems = {(p["row"], p["column"], p["reason"]) for p in e.value.problems}
    assert (40_002, "T", "not an ISO 8601 timestamp: 2026-13-45 25:00:00") in problems
    assert (40_002, "D", "not a number: x") in problems
    assert snapshot(case_path) == before


def test_naive_time_without_zone_refused(case, tmp_path):
    b = _bundle(tmp_path / "naive", "A,B,T,D\n0811,0812,2026-01-01 10:00:00,1\n", tz=None)
    with pytest.raises(InputRefused) as e:
        import_path(case, b, UNSIGNED)
    assert [(p["row"], p["column"]) for p in e.value.problems] == [(2, "T")]
    assert "without UTC offset" in e.value.problems[0]["reason"]


def test_cancel_while_rows_stream_into_the_case_is_a_clean_cancel(case, case_path, tmp_path, monkeypatch):
    """Cancel that interrupts the insert itself (the transaction is then aborted) is reported as
    a cancel, and the case is as it was."""
    from workstation import ingest as ingest_mod
    from workstation.errors import Cancelled
    from workstation.progress import Progress

    from .importing import cancel_while_streaming

    progress = Progress(min_interval=0)
    cancel_while_streaming(monkeypatch, progress, 1)
    monkeypatch.setattr(ingest_mod, "BATCH_ROWS", 1000)
    b = _bundle(tmp_path / "b", _big_csv(5000))
    case.close()
    before = snapshot(case_path)
    with Case.open(case_path) as c, pytest.raises(Cancelled):
        import_path(c, b, UNSIGNED, progress)
    assert snapshot(case_path) == before
