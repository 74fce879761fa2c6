"""The import's value checks: closed lists of DESIGN.md, amounts whose separators are ambiguous,
and XLSX sheets read in batches (real bundles and sheets written here, real case files, the
`lintas` command)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import tempfile
import time
import tracemalloc
import uuid
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from workstation.case import Case
from workstation.importers import ImportOptions
from workstation.ingest import import_path

from .importing import snapshot
from .test_review_import import lintas, query

DOC = (Path(__file__).resolve().parents[1] / "docs" / "bundle-format.md").read_text(encoding="utf-8")


# -- a bundle writer of its own (no Lintas code), as a partner agency would write one ----------
def write_bundle(out: Path, tables, *, country: str = "ID", tz: str | None = "Asia/Makassar") -> Path:
    """``tables``: (path, kind, format, bytes[, columns]); written as a ZIP."""
    manifest = {"format": "lintas-bundle/1", "bundle_id": str(uuid.uuid4()), "title": "values bundle",
                "created_at": "2026-11-20T10:15:00+08:00",
                "producer": {"agency": "Polres Bontang", "country": country},
                "handling": {"tlp": "AMBER"}, "tables": []}
    if tz:
        manifest["default_timezone"] = tz
    files = {}
    for path, kind, fmt, data, *cols in tables:
        entry = {"path": path, "kind": kind, "format": fmt, "sha256": hashlib.sha256(data).hexdigest(),
                 "bytes": len(data)}
        if cols:
            entry["columns"] = cols[0]
        manifest["tables"].append(entry)
        files[path] = data
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, indent=2) + "\n")
        for name, data in files.items():
            z.writestr(name, data)
    return out


def refused(capsys, case: Path, bundle: Path, *args) -> list[dict]:
    before = snapshot(case)
    rc, out, _ = lintas(capsys, "import", case, bundle, "--allow-unsigned", "--json", *args)
    res = json.loads(out)
    assert rc == 1 and res["imported"] is False, res
    assert snapshot(case) == before
    return res["problems"]


def parquet_bytes(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


# -- 1. closed lists ---------------------------------------------------------------------------
CALLS = (b"caller,callee,start,CALL_TYPE\n"
         b"0812-3456-7890,0813-1111-2222,2026-09-28T21:14:05,voice\n"
         b"0812-3456-7890,0813-1111-2222,2026-09-28T21:15:05,Voice\n"
         b"0812-3456-7890,0813-1111-2222,2026-09-28T21:16:05,SMS\n"
         b"0812-3456-7890,0813-1111-2222,2026-09-28T21:17:05,fax\n"
         b"0812-3456-7890,0813-1111-2222,2026-09-28T21:18:05,\n")
MESSAGES = (b"sender,recipient,time,app,direction\n"
            b"0812-3456-7890,0813-1111-2222,2026-09-28T21:14:05,whatsapp,incoming\n"
            b"0812-3456-7890,0813-1111-2222,2026-09-28T21:15:05,line,Outgoing\n"
            b"0812-3456-7890,0813-1111-2222,2026-09-28T21:16:05,sms,in\n"
            b"0812-3456-7890,0813-1111-2222,2026-09-28T21:17:05,wechat,\n")
TRAVEL = (b"time,kind,person,document,place_from,place_to\n"
          b"2026-09-27T16:20:00,border_crossing,,C7654321,Nunukan,Tawau\n"
          b"2026-09-27T16:21:00,border-crossing,,C7654321,Nunukan,Tawau\n"
          b"2026-09-27T16:22:00,Border Crossing,,C7654321,Nunukan,Tawau\n"
          b"2026-09-27T16:23:00,boarding,,C7654321,Nunukan,Tawau\n"
          b"2026-09-27T16:24:00, Check-In ,,C7654321,Nunukan,Tawau\n")
CONTACTS = (b"owner,label,value,kind\n"
            b"0812-3456-7890,Bos Tawau,+60 12-345 6789,phone\n"
            b"0812-3456-7890,Bos Tawau,bos@example.my,e-mail\n"
            b"0812-3456-7890,Bos Tawau,@bostawau,Handle\n"
            b"0812-3456-7890,Bos Tawau,+60 12-345 6789,whatsapp\n"
            b"0812-3456-7890,Bos Tawau,+60 12-345 6790,\n")
RELATIONSHIPS = (b"source,target,kind\nP-1,P-2,smuggler\n")
PERSONS = b"id,name\nP-1,Budi\nP-2,Rizal\n"


def closed_list_bundle(tmp_path: Path) -> Path:
    return write_bundle(tmp_path / "lists.zip", [
        ("data/calls.csv", "calls", "csv", CALLS, {"kind": "CALL_TYPE"}),
        ("data/messages.csv", "messages", "csv", MESSAGES),
        ("data/travel.csv", "travel", "csv", TRAVEL),
        ("data/contacts.csv", "contacts", "csv", CONTACTS),
        ("data/persons.csv", "persons", "csv", PERSONS),
        ("data/relationships.csv", "relationships", "csv", RELATIONSHIPS)])


def test_values_outside_the_closed_lists_are_refused_naming_value_and_allowed_values(tmp_path, new_case,
                                                                                    capsys):
    """A call of kind 'Voice', a travel record of kind 'border-crossing', a message 'in' were
    imported as written: a count of border crossings or of outgoing messages missed them."""
    problems = refused(capsys, new_case, closed_list_bundle(tmp_path))
    got = {(p["file"], p["row"], p["column"]): p["reason"] for p in problems}
    assert got == {
        ("data/calls.csv", 3, "CALL_TYPE"): "not a call kind (voice, sms, mms, data): Voice (write voice)",
        ("data/calls.csv", 4, "CALL_TYPE"): "not a call kind (voice, sms, mms, data): SMS (write sms)",
        ("data/calls.csv", 5, "CALL_TYPE"): "not a call kind (voice, sms, mms, data): fax",
        ("data/messages.csv", 3, "direction"):
            "not a message direction (incoming, outgoing): Outgoing (write outgoing)",
        ("data/messages.csv", 4, "direction"): "not a message direction (incoming, outgoing): in",
        ("data/travel.csv", 3, "kind"):
            "not a travel kind (departure, arrival, border_crossing, check_in): border-crossing "
            "(write border_crossing)",
        ("data/travel.csv", 4, "kind"):
            "not a travel kind (departure, arrival, border_crossing, check_in): Border Crossing "
            "(write border_crossing)",
        ("data/travel.csv", 5, "kind"): "not a travel kind (departure, arrival, border_crossing, check_in): boarding",
        ("data/travel.csv", 6, "kind"):
            "not a travel kind (departure, arrival, border_crossing, check_in): Check-In (write check_in)",
        ("data/contacts.csv", 3, "kind"): "not a contact kind (phone, email, handle): e-mail (write email)",
        ("data/contacts.csv", 4, "kind"): "not a contact kind (phone, email, handle): Handle (write handle)",
        ("data/contacts.csv", 5, "kind"): "not a contact kind (phone, email, handle): whatsapp",
    }
    # the text report names them too
    rc, _, err = lintas(capsys, "import", new_case, closed_list_bundle(tmp_path), "--allow-unsigned")
    assert rc == 1 and "border-crossing" in err and "write border_crossing" in err


def test_skip_bad_rows_sets_values_outside_the_lists_aside(tmp_path, new_case, capsys):
    rc, out, _ = lintas(capsys, "import", new_case, closed_list_bundle(tmp_path), "--allow-unsigned",
                        "--skip-bad-rows", "--json")
    res = json.loads(out)
    assert rc == 0 and res["imported"] is True and res["rejected"] == 12
    assert res["rows"] == {"calls": 2, "messages": 2, "travel": 1, "contacts": 2, "persons": 2,
                           "relationships": 1}
    assert query(new_case, "SELECT kind FROM calls ORDER BY source_row") == [("voice",), (None,)]
    assert query(new_case, "SELECT app, direction FROM messages ORDER BY source_row") == [
        ("whatsapp", "incoming"), ("wechat", None)]       # app is an open list
    assert query(new_case, "SELECT kind FROM relationships") == [("smuggler",)]   # so is this one
    set_aside = query(new_case, "SELECT file, \"row\", \"column\", reason, raw FROM rejects "
                                "WHERE file = 'data/travel.csv' ORDER BY \"row\"")
    assert [(r[1], r[2]) for r in set_aside] == [(3, "kind"), (4, "kind"), (5, "kind"), (6, "kind")]
    assert json.loads(set_aside[0][4])["kind"] == "border-crossing"
    rc, out, _ = lintas(capsys, "case", "info", new_case, "--json")
    assert json.loads(out)["rows"]["travel"] == 1


def test_closed_lists_hold_for_parquet_and_json_lines_too(tmp_path, new_case, capsys):
    calls = parquet_bytes(pa.table({"caller": ["0812-3456-7890"] * 2, "callee": ["0813-1111-2222"] * 2,
                                    "start": ["2026-09-28T21:14:05+08:00"] * 2, "kind": ["data", "DATA"]}))
    messages = (b'{"sender": "0812-3456-7890", "recipient": "0813", "time": "2026-09-28T21:14:05Z", '
                b'"direction": "incoming"}\n'
                b'{"sender": "0812-3456-7890", "recipient": "0813", "time": "2026-09-28T21:14:05Z", '
                b'"direction": "INCOMING"}\n')
    b = write_bundle(tmp_path / "typed.zip", [("data/calls.parquet", "calls", "parquet", calls),
                                              ("data/messages.jsonl", "messages", "jsonl", messages)])
    problems = refused(capsys, new_case, b)
    assert [(p["file"], p["row"], p["column"], p["reason"]) for p in problems] == [
        ("data/calls.parquet", 2, "kind", "not a call kind (voice, sms, mms, data): DATA (write data)"),
        ("data/messages.jsonl", 2, "direction",
         "not a message direction (incoming, outgoing): INCOMING (write incoming)")]


def test_a_plain_file_names_its_own_column(tmp_path, new_case, capsys):
    f = tmp_path / "cdr.csv"
    f.write_text("A,B,T,JENIS\n0812,0813,2026-09-28T21:14:05+08:00,Telepon\n", encoding="utf-8")
    before = snapshot(new_case)
    rc, out, _ = lintas(capsys, "import", new_case, f, "--kind", "calls", "--map",
                        "caller=A,callee=B,start=T,kind=JENIS", "--producer-country", "ID", "--json")
    res = json.loads(out)
    assert rc == 1 and res["problems"] == [{"file": "cdr.csv", "row": 2, "column": "JENIS",
                                            "reason": "not a call kind (voice, sms, mms, data): Telepon"}]
    assert snapshot(new_case) == before


def test_the_followthemoney_mapper_writes_a_listed_call_kind(tmp_path, new_case, capsys):
    f = tmp_path / "calls.ftm.json"
    f.write_text(json.dumps({"id": "call-1", "schema": "Call", "properties": {
        "callerNumber": ["+62 812 3456 7890"], "receiverNumber": ["+60 12-345 6789"],
        "date": ["2026-09-28T21:14:05"], "duration": ["64"]}}) + "\n", encoding="utf-8")
    rc, out, _ = lintas(capsys, "import", new_case, f, "--format", "ftm", "--producer-country", "ID", "--json")
    assert rc == 0, out
    assert query(new_case, "SELECT kind, caller_e164 FROM calls") == [("voice", "+6281234567890")]


def test_the_doc_gives_the_closed_lists_as_the_code_holds_them():
    from workstation.normalise import CLOSED_LISTS

    section = DOC.split("<!-- closed-lists -->")[1].split("<!-- /closed-lists -->")[0]
    rows = dict(re.findall(r"^\| `(\w+\.\w+)` \| (.*) \|$", section, flags=re.M))
    assert {k: re.findall(r"`(\w+)`", v) for k, v in rows.items()} == {
        f"{kind}.{col}": list(values) for (kind, col), (_, values) in CLOSED_LISTS.items()}


# -- 2. amounts --------------------------------------------------------------------------------
def transfers_csv(*rows: tuple[str, str]) -> bytes:
    lines = ["from_account,to_account,time,amount,currency"]
    lines += [f"BRI 0123,BNI 0456,2026-09-30T10:00:00,\"{amount}\",{cur}" for amount, cur in rows]
    return ("\n".join(lines) + "\n").encode()


def test_amounts_with_three_digits_after_a_separator_are_refused_where_the_currency_has_no_minor_unit(
        tmp_path, new_case, capsys):
    """IDR 1.500 (Indonesian thousands separator) was read as 1.5: a structured deposit of
    Rp 12.500.000 fell out of every sum.  Separators before other than three digits, and the same
    text in a currency with cents, are read as today."""
    data = transfers_csv(("1.500", "IDR"), ("12.500.000", "IDR"), ("1,500", "IDR"), ("1.500", "JPY"),
                         ("250.000", "KRW"), ("1500", "IDR"), ("1500.50", "IDR"), ("1.5", "IDR"),
                         ("1.500", "USD"), ("1500", "VND"))
    problems = refused(capsys, new_case, write_bundle(tmp_path / "idr.zip", [
        ("data/transfers.csv", "transfers", "csv", data)]))
    assert [(p["file"], p["row"], p["column"], p["reason"]) for p in problems] == [
        ("data/transfers.csv", 2, "amount", "ambiguous amount for IDR, a currency without minor units: 1.500 "
         "(the '.' may group thousands or mark decimals; write it without separators: 1500)"),
        ("data/transfers.csv", 3, "amount", "ambiguous amount for IDR, a currency without minor units: 12.500.000 "
         "(the '.' may group thousands or mark decimals; write it without separators: 12500000)"),
        ("data/transfers.csv", 4, "amount", "ambiguous amount for IDR, a currency without minor units: 1,500 "
         "(the ',' may group thousands or mark decimals; write it without separators: 1500)"),
        ("data/transfers.csv", 5, "amount", "ambiguous amount for JPY, a currency without minor units: 1.500 "
         "(the '.' may group thousands or mark decimals; write it without separators: 1500)"),
        ("data/transfers.csv", 6, "amount", "ambiguous amount for KRW, a currency without minor units: 250.000 "
         "(the '.' may group thousands or mark decimals; write it without separators: 250000)"),
    ]
    # --skip-bad-rows sets them aside; the others are read as written
    rc, out, _ = lintas(capsys, "import", new_case, write_bundle(tmp_path / "idr2.zip", [
        ("data/transfers.csv", "transfers", "csv", data)]), "--allow-unsigned", "--skip-bad-rows", "--json")
    assert rc == 0 and json.loads(out)["rejected"] == 5
    assert query(new_case, "SELECT source_row, CAST(amount AS VARCHAR), currency FROM transfers ORDER BY 1") == [
        (7, "1500.0000", "IDR"), (8, "1500.5000", "IDR"), (9, "1.5000", "IDR"), (10, "1.5000", "USD"),
        (11, "1500.0000", "VND")]


@pytest.mark.parametrize("amount, currency, reason", [
    ("1,500.00", "USD", "amount written with thousands separators: 1,500.00 (write 1500.00: no separators, "
                        "a '.' before the decimals)"),
    ("1.500,00", "EUR", "amount written with thousands separators: 1.500,00 (write 1500.00: no separators, "
                        "a '.' before the decimals)"),
    ("12.500.000,50", "IDR", "amount written with thousands separators: 12.500.000,50 (write 12500000.50: "
                             "no separators, a '.' before the decimals)"),
    ("2,500,000", "MYR", "amount written with thousands separators: 2,500,000 (write 2500000: no separators, "
                         "a '.' before the decimals)"),
    ("12.500.000", "MYR", "amount written with thousands separators: 12.500.000 (write 12500000: "
                          "no separators, a '.' before the decimals)"),
    ("1 500 000", "PHP", "amount written with thousands separators: 1 500 000 (write 1500000: no separators, "
                         "a '.' before the decimals)"),
    ("1,500", "USD", "ambiguous amount: 1,500 (the ',' may group thousands or mark decimals; "
                     "write 1500 or 1.5)"),
    ("1500,50", "MYR", "amount written with a decimal comma: 1500,50 (write 1500.50)"),
    ("-1.250,75", None, "amount written with thousands separators: -1.250,75 (write -1250.75: no separators, "
                        "a '.' before the decimals)"),
    ("1.5.0", "USD", "not an amount: 1.5.0"),
])
def test_amounts_with_thousands_separators_are_refused_saying_what_to_write(tmp_path, new_case, capsys,
                                                                             amount, currency, reason):
    """'1,500.00' and '1.500,00' were refused as 'not an amount', without a word about why."""
    lines = "from_account,to_account,time,amount,currency\n" \
            f"BRI 0123,BNI 0456,2026-09-30T10:00:00,\"{amount}\",{currency or ''}\n"
    problems = refused(capsys, new_case, write_bundle(tmp_path / "sep.zip", [
        ("data/transfers.csv", "transfers", "csv", lines.encode())]))
    assert [(p["row"], p["column"], p["reason"]) for p in problems] == [(2, "amount", reason)]


def test_typed_amounts_in_parquet_and_json_are_read_as_they_are(tmp_path, new_case, capsys):
    """A number is not written with separators: 12.345 in a Parquet DOUBLE or a JSON number is
    that number, whatever the currency.  A JSON string is text, checked as in CSV."""
    parquet = parquet_bytes(pa.table({
        "from_account": ["A", "A"], "to_account": ["B", "B"],
        "time": ["2026-09-30T10:00:00+08:00"] * 2, "amount": pa.array([12.345, 1500.0], pa.float64()),
        "currency": ["JPY", "IDR"]}))
    jsonl = (b'{"from_account": "A", "to_account": "B", "time": "2026-09-30T10:00:00+08:00", '
             b'"amount": 1.500, "currency": "IDR"}\n'
             b'{"from_account": "A", "to_account": "B", "time": "2026-09-30T10:00:00+08:00", '
             b'"amount": 250000, "currency": "KRW"}\n')
    b = write_bundle(tmp_path / "typed.zip", [("data/t.parquet", "transfers", "parquet", parquet),
                                              ("data/t.jsonl", "transfers", "jsonl", jsonl)])
    rc, out, _ = lintas(capsys, "import", new_case, b, "--allow-unsigned", "--json")
    assert rc == 0, out
    assert sorted(query(new_case, "SELECT CAST(amount AS VARCHAR), currency FROM transfers")) == [
        ("1.5000", "IDR"), ("12.3450", "JPY"), ("1500.0000", "IDR"), ("250000.0000", "KRW")]
    text = (b'{"from_account": "A", "to_account": "B", "time": "2026-09-30T10:00:00+08:00", '
            b'"amount": "1.500", "currency": "IDR"}\n')
    problems = refused(capsys, new_case, write_bundle(tmp_path / "text.zip", [
        ("data/t.jsonl", "transfers", "jsonl", text)]))
    assert [(p["row"], p["column"]) for p in problems] == [(1, "amount")]
    assert problems[0]["reason"].startswith("ambiguous amount for IDR")


def test_xlsx_amounts_stored_as_numbers_are_numbers_and_as_text_are_checked(tmp_path, new_case, capsys):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DARI", "KE", "WAKTU", "JUMLAH", "MATA_UANG"])
    ws.append(["BRI 0123", "BNI 0456", "2026-09-30 10:00:00", 12.345, "JPY"])     # a number cell
    ws.append(["BRI 0123", "BNI 0456", "2026-09-30 10:00:00", 1500, "IDR"])
    ws.append(["BRI 0123", "BNI 0456", "2026-09-30 10:00:00", "1.500", "IDR"])    # a text cell
    f = tmp_path / "mutasi.xlsx"
    wb.save(f)
    args = ["import", new_case, f, "--kind", "transfers", "--map",
            "from_account=DARI,to_account=KE,time=WAKTU,amount=JUMLAH,currency=MATA_UANG",
            "--producer-country", "ID", "--timezone", "Asia/Makassar", "--json"]
    before, folders = snapshot(new_case), xlsx_folders()
    rc, out, _ = lintas(capsys, *args)
    res = json.loads(out)
    assert rc == 1 and [(p["file"], p["row"], p["column"]) for p in res["problems"]] == [
        ("mutasi.xlsx", 4, "JUMLAH")]
    assert xlsx_folders() <= folders          # the converted sheet is removed after a refusal too
    assert res["problems"][0]["reason"].startswith("ambiguous amount for IDR")
    assert snapshot(new_case) == before
    rc, out, _ = lintas(capsys, *args, "--skip-bad-rows")
    assert rc == 0, out
    assert query(new_case, "SELECT source_row, CAST(amount AS VARCHAR) FROM transfers ORDER BY 1") == [
        (2, "12.3450"), (3, "1500.0000")]
    assert query(new_case, "SELECT \"row\", raw->>'$.JUMLAH' FROM rejects") == [(4, "1.500")]


def test_the_doc_lists_the_currencies_without_minor_units():
    from workstation.normalise import ZERO_MINOR_CURRENCIES

    section = DOC.split("<!-- zero-minor-currencies -->")[1].split("<!-- /zero-minor-currencies -->")[0]
    assert re.findall(r"`([A-Z]{3})`", section) == list(ZERO_MINOR_CURRENCIES)
    assert "IDR" in ZERO_MINOR_CURRENCIES and {"JPY", "KRW", "VND"} <= set(ZERO_MINOR_CURRENCIES)


# -- 3. XLSX in batches ------------------------------------------------------------------------
HEADER = ("A_NUMBER", "B_NUMBER", "START", "DUR", "JENIS", "CELL_ID", "LAT", "LON")


def sheet_row(i: int) -> tuple:
    return (f"0812-3456-{i % 50:04d}", f"0813-1111-{i % 40:04d}", f"2026-03-01 08:{i % 60:02d}:{i % 59:02d}",
            i % 600, "voice" if i % 7 else "sms", f"BTG-{i % 90:04d}", 0.13 + (i % 100) / 1000, 117.5)


def write_sheet(path: Path, rows: int, skip_every: int) -> list[int]:
    """An XLSX workbook of one sheet 'CDR' (``HEADER`` + ``rows`` rows of ``sheet_row``), written
    as the format's XML directly (openpyxl's writer would take most of the test's time); every
    ``skip_every``-th sheet row is left out (an empty row, as Excel stores it).  Returns the
    sheet row numbers of the data rows."""
    def cells(values) -> str:
        return "".join(f"<c><v>{v}</v></c>" if isinstance(v, (int, float)) else
                       f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)

    numbers, parts = [], [f'<row r="1">{cells(HEADER)}</row>']
    r = 1
    for i in range(rows):
        r += 1
        if r % skip_every == 0:
            r += 1
        numbers.append(r)
        parts.append(f'<row r="{r}">{cells(sheet_row(i))}</row>')
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", f'{head}<Types xmlns="{pkg}/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", f'{head}<Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" '
                   f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'{head}<workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>'
                   '<sheet name="CDR" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'{head}<Relationships xmlns="{pkg}/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'{head}<worksheet xmlns="{ns}"><dimension ref="A1:H{r}"/>'
                   f'<sheetData>{"".join(parts)}</sheetData></worksheet>')
    return numbers


XLSX_ROWS = 6_000


@pytest.fixture(autouse=True)
def _private_tempdir(tmp_path, monkeypatch):
    """Each test's temporary files in a folder of its own: the checks that a converted sheet is
    removed look there, not at what another test session is doing in /tmp meanwhile."""
    d = tmp_path / "tmp"
    d.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(d))


def xlsx_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("lintas-xlsx-*"))
CDR_MAP = {"caller": "A_NUMBER", "callee": "B_NUMBER", "start": "START", "duration_s": "DUR", "kind": "JENIS",
           "cell_id": "CELL_ID", "lat": "LAT", "lon": "LON"}


def test_a_large_sheet_is_read_in_batches_not_whole(tmp_path, new_case, monkeypatch):
    """The sheet was held whole as Python strings before a row was imported: about 100 bytes a
    cell, as tracemalloc counts them (5 MB for this sheet's 48,000 cells, 500 MB for a sheet of a
    million rows).  Read in batches into a temporary Parquet file, what stays is openpyxl's own
    trace of the rows it has read (under 80 bytes a row) and one batch.  Batches of 250 rows here
    (the default is 10,000) make a small sheet hold many, so the test stays short."""
    import workstation.plain_import as plain

    monkeypatch.setattr(plain, "XLSX_BATCH_ROWS", 250)
    f = tmp_path / "cdr.xlsx"
    numbers = write_sheet(f, XLSX_ROWS, skip_every=997)
    cells = len(HEADER) * XLSX_ROWS
    opts = ImportOptions(kind="calls", mapping=CDR_MAP, producer_country="ID", timezone="Asia/Makassar")
    small = tmp_path / "small.xlsx"
    write_sheet(small, 10, skip_every=997)
    before = xlsx_folders()
    with Case.open(new_case) as case:
        import_path(case, small, opts)             # modules loaded and caches filled before measuring
        t0 = time.perf_counter()
        tracemalloc.start()
        try:
            res = import_path(case, f, opts)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        took = time.perf_counter() - t0
        assert res.rows == {"calls": XLSX_ROWS}
        cur = case.cursor()
        sid = res.source_id
        got = cur.execute("SELECT source_row FROM calls WHERE source_id = ? ORDER BY 1", [sid]).fetchall()
        assert [r[0] for r in got] == numbers                 # the sheet's own row numbers
        i = XLSX_ROWS - 1
        assert cur.execute(
            "SELECT caller, caller_e164, start, duration_s, kind, cell_id, lat, lon FROM calls "
            "WHERE source_id = ? AND source_row = ?", [sid, numbers[-1]]).fetchall() == [
            (f"0812-3456-{i % 50:04d}", f"+628123456{i % 50:04d}", f"2026-03-01 08:{i % 60:02d}:{i % 59:02d}",
             float(i % 600), "voice" if i % 7 else "sms", f"BTG-{i % 90:04d}", 0.13 + (i % 100) / 1000, 117.5)]
        assert cur.execute("SELECT format, rows FROM source_files WHERE source_id = ?", [sid]).fetchall() == [
            ("xlsx", XLSX_ROWS)]
    print(f"peak {peak:,} B for {cells:,} cells ({peak / cells:.1f} B a cell), {took:.1f} s")
    assert peak < cells * 40, (peak, cells, took)
    assert xlsx_folders() <= before           # the converted sheet is removed after the import


def test_cancel_while_a_sheet_is_read_leaves_the_case_and_no_converted_file(tmp_path, new_case, monkeypatch):
    import workstation.plain_import as plain
    from workstation.errors import Cancelled
    from workstation.progress import Progress

    monkeypatch.setattr(plain, "XLSX_BATCH_ROWS", 1000)
    f = tmp_path / "cdr.xlsx"
    write_sheet(f, 3000, skip_every=997)
    seen = []

    def cancel_once_reading(fraction: float, message: str) -> None:
        if message.startswith("reading cdr.xlsx, row") and not seen:
            seen.append(message)
            progress.cancel()

    progress = Progress(cancel_once_reading, min_interval=0)
    before, folders = snapshot(new_case), xlsx_folders()
    with Case.open(new_case) as case, pytest.raises(Cancelled):
        import_path(case, f, ImportOptions(kind="calls", mapping=CDR_MAP, producer_country="ID",
                                           timezone="Asia/Makassar"), progress)
    assert seen == ["reading cdr.xlsx, row 1,002"]
    assert snapshot(new_case) == before and xlsx_folders() <= folders


def test_a_sheet_of_a_header_alone_imports_no_rows(tmp_path, new_case):
    f = tmp_path / "empty.xlsx"
    write_sheet(f, 0, skip_every=997)
    with Case.open(new_case) as case:
        res = import_path(case, f, ImportOptions(kind="calls", mapping=CDR_MAP, producer_country="ID"))
        assert res.imported and res.rows == {"calls": 0}


def test_a_sheet_column_named_like_the_amount_note_is_refused_naming_it(tmp_path, new_case, capsys):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["DARI", "KE", "WAKTU", "JUMLAH", "source_amount_is_number"])
    wb.active.append(["BRI 0123", "BNI 0456", "2026-09-30T10:00:00+08:00", 1500, "yes"])
    wb.save(tmp_path / "mutasi.xlsx")
    before = snapshot(new_case)
    rc, out, _ = lintas(capsys, "import", new_case, tmp_path / "mutasi.xlsx", "--kind", "transfers", "--map",
                        "from_account=DARI,to_account=KE,time=WAKTU,amount=JUMLAH", "--producer-country", "ID",
                        "--json")
    res = json.loads(out)
    assert rc == 1 and res["problems"] == [{
        "file": "mutasi.xlsx", "row": 1, "column": "source_amount_is_number",
        "reason": "'source_amount_is_number' is the name Lintas gives its note of which amounts are stored as "
                  "numbers; rename the column"}]
    assert snapshot(new_case) == before
