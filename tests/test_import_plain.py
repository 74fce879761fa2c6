"""The import pipeline over plain files and staged Arrow tables."""

import json
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from workstation.case import Case
from workstation.errors import Cancelled, InputRefused
from workstation.importers import ImportOptions
from workstation.ingest import import_path, ingest
from workstation.progress import Progress
from workstation.staging import Handling, StagedSource, StagedTable

from .importing import snapshot

CDR = ("A_NUMBER,B_NUMBER,START_TIME,DUR,CELL\n"
       "0812-3456-7890,+60 12-345 6789,2026-03-01 08:15:00,65,BTG-001\n"
       "+62 812 3456 7890,0541 123456,2026-03-01T09:00:00+07:00,,BTG-002\n"
       "6281234567890,888,2026-03-02 10:00,12,\n")
MAP = {"caller": "A_NUMBER", "callee": "B_NUMBER", "start": "START_TIME", "duration_s": "DUR"}


def opts(**kw):
    base = dict(kind="calls", mapping=dict(MAP), producer_country="ID", timezone="Asia/Makassar")
    base.update(kw)
    return ImportOptions(**base)


def lintas(*args):
    return subprocess.run([sys.executable, "-m", "workstation.cli", *args], capture_output=True, text=True)


def test_plain_csv_normalised_beside_original(case, tmp_path):
    f = tmp_path / "cdr.csv"
    f.write_text(CDR)
    res = import_path(case, f, opts())
    assert res.imported and res.rows == {"calls": 3}
    rows = case.con.execute("SELECT source_row, caller, caller_e164, callee_e164, start_utc, duration_s, extra "
                            "FROM calls ORDER BY source_row").fetchall()
    # The three spellings of one Indonesian number become one E.164 number.
    assert {r[2] for r in rows} == {"+6281234567890"}
    assert [r[1] for r in rows] == ["0812-3456-7890", "+62 812 3456 7890", "6281234567890"]
    assert rows[0][3] == "+60123456789" and rows[2][3] is None        # '888' is no valid number
    assert [r[0] for r in rows] == [2, 3, 4]                           # line numbers, header = 1
    assert str(rows[0][4]) == "2026-03-01 00:15:00"                    # WITA (+8) to UTC
    assert str(rows[1][4]) == "2026-03-01 02:00:00"                    # explicit +07:00 wins
    assert rows[1][5] is None and rows[0][5] == 65
    assert json.loads(rows[0][6]) == {"CELL": "BTG-001"}               # unknown columns kept
    src = case.sources()[0]
    assert src["signature_status"] == "unsigned" and src["tlp"] == "AMBER"
    last = case.audit_entries()[-1]
    assert last["action"] == "import" and last["result"]["rows"] == {"calls": 3}


def test_same_file_twice_not_duplicated(case, tmp_path):
    f = tmp_path / "cdr.csv"
    f.write_text(CDR)
    assert import_path(case, f, opts()).imported
    again = import_path(case, f, opts())
    assert not again.imported and again.already_imported_as == 1
    assert case.row_counts()["calls"] == 3


@pytest.mark.parametrize("content,needle,row,column", [
    (CDR.replace("2026-03-02 10:00", "02/03/2026 10:00"), "not an ISO 8601 timestamp", 4, "START_TIME"),
    (CDR.replace(",65,", ",sixty,"), "not a number", 2, "DUR"),
    (CDR.replace("A_NUMBER", "CALLER_NO"), "required column missing", None, "caller (mapped to 'A_NUMBER')"),
    (CDR.replace("6281234567890,888", ",888"), "required value is empty", 4, "A_NUMBER"),
])
def test_bad_rows_named_and_case_unchanged(case, case_path, tmp_path, content, needle, row, column):
    f = tmp_path / "bad.csv"
    f.write_text(content)
    case.close()
    before = snapshot(case_path)
    with Case.open(case_path) as c, pytest.raises(InputRefused) as e:
        import_path(c, f, opts())
    p = [x for x in e.value.problems if needle in x["reason"]]
    assert p, e.value.problems
    assert p[0]["file"] == "bad.csv" and p[0]["row"] == row and p[0]["column"] == column
    assert snapshot(case_path) == before


def test_naive_timestamp_without_zone_is_an_error(case, tmp_path):
    f = tmp_path / "cdr.csv"
    f.write_text(CDR)
    with pytest.raises(InputRefused) as e:
        import_path(case, f, opts(timezone=None))
    rows = sorted(p["row"] for p in e.value.problems if "without UTC offset" in p["reason"])
    assert rows == [2, 4]                 # row 3 carries its own offset
    assert case.row_counts()["calls"] == 0


def test_non_utf8_refused(case, tmp_path):
    f = tmp_path / "latin1.csv"
    f.write_bytes(CDR.replace("BTG-002", "Bontang Utara Caf\xe9").encode("latin-1"))
    with pytest.raises(InputRefused) as e:
        import_path(case, f, opts())
    assert any("not UTF-8" in p["reason"] and p["file"] == "latin1.csv" for p in e.value.problems)


def test_skip_bad_rows_keeps_rejects(case, tmp_path):
    f = tmp_path / "cdr.csv"
    f.write_text(CDR.replace(",65,", ",sixty,"))
    res = import_path(case, f, opts(skip_bad_rows=True))
    assert res.imported and res.rows == {"calls": 2} and res.rejected == 1
    rej = case.con.execute('SELECT file, "row", "column", reason, raw FROM rejects').fetchall()
    assert rej[0][:3] == ("cdr.csv", 2, "DUR") and "not a number" in rej[0][3]
    assert json.loads(rej[0][4])["A_NUMBER"] == "0812-3456-7890"   # the row as read
    assert case.info()["rejected_rows"] == 1


def test_parquet_typed_columns(case, tmp_path):
    f = tmp_path / "t.parquet"
    pq.write_table(pa.table({
        "from_account": ["ACC-1", "ACC-2"], "to_account": ["ACC-2", "ACC-3"],
        "time": pa.array([1767225600000000, 1767229200000000], pa.timestamp("us", tz="UTC")),
        "amount": pa.array([99_000_000.0, 12.5]), "currency": ["IDR", "IDR"], "memo": ["a", "b"]}), f)
    res = import_path(case, f, ImportOptions(kind="transfers", producer_country="ID"))
    assert res.rows == {"transfers": 2}
    rows = case.con.execute("SELECT source_row, amount, time_utc, extra FROM transfers ORDER BY 1").fetchall()
    assert rows[0][0] == 1 and float(rows[0][1]) == 99_000_000.0
    assert str(rows[0][2]) == "2026-01-01 00:00:00"
    assert json.loads(rows[1][3]) == {"memo": "b"}


def _persons_source(extra_rows=()):
    persons = pa.table({"id": ["P-1", "P-2"], "name": ["Muhammad Rizal bin Abdullah", "王伟"],
                        "aliases": [["Rizal", "Bos Tawau"], []], "birth_date": ["1987-03-04", "1990"],
                        "nationality": ["Indonesia", "CN"], "role": ["suspect", "victim"],
                        "source_row": pa.array([1, 2], pa.int64())})
    idents = pa.table({"owner": ["P-1", "P-1", *[r[0] for r in extra_rows]],
                       "kind": ["phone", "passport", *[r[1] for r in extra_rows]],
                       "value": ["0812-3456-7890", "a 123 4567", *[r[2] for r in extra_rows]],
                       "source_row": pa.array(list(range(3, 5 + len(extra_rows))), pa.int64())})
    rel = pa.table({"source": ["P-1"], "target": ["P-2"], "kind": ["recruiter"],
                    "source_row": pa.array([9], pa.int64()), "handling_key": ["strict"]})
    return StagedSource(
        format="test", importer="test", title="persons", producer={"country": "ID", "agency": "Polres Bontang"},
        handling=Handling("AMBER", ["MY"]), container_name="p.json", container_sha256="ab" * 32,
        row_handlings={"strict": Handling("AMBER+STRICT")},
        tables=[StagedTable("persons", "p.json", arrow=persons), StagedTable("identifiers", "p.json", arrow=idents),
                StagedTable("relationships", "p.json", arrow=rel)])


def test_arrow_staged_entities_references_handlings(case):
    res = ingest(case, _persons_source())
    assert res.rows == {"persons": 2, "identifiers": 2, "relationships": 1}
    p = case.con.execute("SELECT id, entity_id, name_folded, aliases, birth_year, nationality_iso, role "
                         "FROM persons ORDER BY id").fetchall()
    assert p[0][2] == "muhammad rizal bin abdullah" and p[0][3] == ["Rizal", "Bos Tawau"]
    assert p[0][4] == 1987 and p[0][5] == "ID" and p[0][6] == "suspect"
    assert p[1][2] == "wang wei" and p[1][6] == "victim"
    ids = case.con.execute("SELECT owner_entity_id, kind, value_norm FROM identifiers ORDER BY kind").fetchall()
    assert ids == [(p[0][1], "passport", "A1234567"), (p[0][1], "phone", "+6281234567890")]
    rel = case.con.execute("SELECT source_entity_id, target_entity_id, h.tlp FROM relationships r "
                           "JOIN handlings h USING (handling_id)").fetchall()
    assert rel == [(p[0][1], p[1][1], "AMBER+STRICT")]
    assert case.con.execute("SELECT count(*) FROM entities").fetchone()[0] == 2


def test_dangling_reference_refused(case, case_path):
    staged = _persons_source(extra_rows=[("P-9", "email", "x@example.org")])
    with pytest.raises(InputRefused) as e:
        ingest(case, staged)
    prob = [p for p in e.value.problems if "P-9" in p["reason"]]
    assert prob and prob[0]["column"] == "owner" and prob[0]["row"] == 5
    assert case.row_counts()["persons"] == 0


def test_cancel_rolls_back(case, case_path, tmp_path):
    f = tmp_path / "cdr.csv"
    f.write_text(CDR)
    case.close()
    before = snapshot(case_path)
    calls = []

    def cb(fraction, message):
        calls.append(message)
        if message.startswith("writing calls"):
            progress.cancel()

    progress = Progress(cb, min_interval=0)
    with Case.open(case_path) as c, pytest.raises(Cancelled):
        import_path(c, f, opts(), progress)
    assert any(m.startswith("writing") for m in calls)
    assert snapshot(case_path) == before


def test_cli_import_json_refusal(case_path, tmp_path):
    lintas("case", "new", str(case_path), "--title", "T")
    f = tmp_path / "bad.csv"
    f.write_text(CDR.replace(",65,", ",sixty,"))
    r = lintas("import", str(case_path), str(f), "--kind", "calls", "--map",
               "caller=A_NUMBER,callee=B_NUMBER,start=START_TIME,duration_s=DUR",
               "--producer-country", "ID", "--timezone", "Asia/Makassar", "--json")
    assert r.returncode == 1
    out = json.loads(r.stdout)
    assert out["imported"] is False
    assert out["problems"][0] == {"file": "bad.csv", "row": 2, "column": "DUR", "reason": "not a number: sixty"}


def test_cli_zone_and_country_with_spaces_around_them_are_read(case_path, tmp_path):
    """'Asia/Makassar ' pasted with a trailing space was refused as an unknown time zone."""
    lintas("case", "new", str(case_path), "--title", "T")
    f = tmp_path / "cdr.csv"
    f.write_text(CDR)
    r = lintas("import", str(case_path), str(f), "--kind", "calls", "--map",
               "caller=A_NUMBER,callee=B_NUMBER,start=START_TIME,duration_s=DUR",
               "--producer-country", " ID", "--timezone", "Asia/Makassar ", "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    with Case.open(case_path, read_only=True) as c:
        assert c.con.execute("SELECT producer_country, default_timezone FROM sources").fetchall() == [
            ("ID", "Asia/Makassar")]
        assert c.con.execute("SELECT count(*) FROM calls WHERE caller_e164 LIKE '+62%'").fetchone()[0] > 0


def test_cli_saved_mapping(case_path, tmp_path):
    lintas("case", "new", str(case_path), "--title", "T")
    f = tmp_path / "cdr.csv"
    f.write_text(CDR)
    r = lintas("import", str(case_path), str(f), "--kind", "calls", "--map",
               "caller=A_NUMBER,callee=B_NUMBER,start=START_TIME", "--producer-country", "ID",
               "--timezone", "Asia/Makassar", "--save-mapping", "telkomsel-cdr")
    assert r.returncode == 0, r.stderr
    f2 = tmp_path / "cdr2.csv"
    f2.write_text(CDR.replace("BTG-001", "BTG-009"))
    r = lintas("import", str(case_path), str(f2), "--mapping", "telkomsel-cdr", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["rows"] == {"calls": 3}
    r = lintas("mappings", "--json")
    assert json.loads(r.stdout)["telkomsel-cdr"]["map"]["caller"] == "A_NUMBER"


def test_unrecognised_file_lists_what_was_tried(case, tmp_path):
    f = tmp_path / "blob.bin"
    f.write_bytes(b"\x00\x01\x02garbage")
    with pytest.raises(InputRefused) as e:
        import_path(case, f, ImportOptions())
    assert "no importer recognises" in str(e.value) and "bundle" in str(e.value) and "plain" in str(e.value)


def test_xlsx_sheet_with_mapping(case, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "CDR"
    ws.append(["A_NUMBER", "B_NUMBER", "START_TIME", "DUR"])
    ws.append(["0812-3456-7890", "+60 12-345 6789", "2026-03-01 08:15:00", 65])
    ws.append([None, None, None, None])                       # blank rows are not data
    ws.append(["6281234567890", "0541 123456", "2026-03-02 10:00:00", "x"])
    f = tmp_path / "cdr.xlsx"
    wb.save(f)
    with pytest.raises(InputRefused) as e:
        import_path(case, f, opts())
    assert [(p["row"], p["column"]) for p in e.value.problems] == [(4, "DUR")]   # the Excel row number
    wb["CDR"]["D4"] = 12
    wb.save(f)
    res = import_path(case, f, opts())
    assert res.rows == {"calls": 2}
    assert case.con.execute("SELECT source_row, caller_e164 FROM calls ORDER BY 1").fetchall() == [
        (2, "+6281234567890"), (4, "+6281234567890")]


def test_cancel_interrupts_a_long_read(case, case_path, tmp_path):
    """Cancel reaches into DuckDB's long statements: the import stops well before it would end."""
    import threading
    import time

    import duckdb

    f = tmp_path / "big.csv"
    duckdb.connect().execute(
        f"COPY (SELECT '0812' || lpad(CAST(i % 9000 AS VARCHAR), 4, '0') || '7890' AS A_NUMBER, "
        "'0813' || lpad(CAST(i % 7000 AS VARCHAR), 4, '0') || '1234' AS B_NUMBER, "
        "strftime(TIMESTAMP '2026-01-01' + to_seconds(i), '%Y-%m-%d %H:%M:%S') AS START_TIME, "
        f"i % 600 AS DUR FROM range(600000) t(i)) TO '{f}' (HEADER)")
    other = Case.create(tmp_path / "full.lintas", "full")
    t0 = time.perf_counter()
    import_path(other, f, opts())
    full = time.perf_counter() - t0
    other.close()

    case.close()
    before = snapshot(case_path)
    progress = Progress()
    state = {}

    def cancel_soon():
        time.sleep(full * 0.15)
        state["at"] = time.perf_counter()
        progress.cancel()

    with Case.open(case_path) as c:
        threading.Thread(target=cancel_soon).start()
        with pytest.raises(Cancelled):
            import_path(c, f, opts(), progress)
        latency = time.perf_counter() - state["at"]
    assert latency < full * 0.5, (latency, full)
    assert snapshot(case_path) == before


def test_source_row_is_the_line_of_the_file_in_large_files(case, tmp_path):
    """Rows are numbered by their place in the file, also when DuckDB reads it in parallel."""
    import duckdb

    f = tmp_path / "big.csv"
    duckdb.connect().execute(
        "COPY (SELECT '0812' || lpad(CAST(i % 9000 AS VARCHAR), 4, '0') || '7890' AS A_NUMBER, "
        "'08131234567' AS B_NUMBER, '2026-01-01 10:00:00' AS START_TIME, i AS LINE_INDEX "
        f"FROM range(300000) t(i)) TO '{f}' (HEADER)")
    import_path(case, f, opts(mapping={"caller": "A_NUMBER", "callee": "B_NUMBER", "start": "START_TIME"}))
    wrong = case.con.execute("SELECT count(*) FROM calls WHERE source_row <> "
                             "CAST(json_extract_string(extra, '$.LINE_INDEX') AS BIGINT) + 2").fetchall()[0][0]
    assert wrong == 0
    assert case.con.execute("SELECT min(source_row), max(source_row) FROM calls").fetchall() == [(2, 300001)]
