"""Review of the values the import still read without a word (the README's "Import, smaller gaps"):
24:00, control characters and bidi overrides outside names, floats that have lost digits before the
import sees them, and warnings that spoke of rows set aside.  Each written as a partner would write
it (real bundles, Parquet, JSON lines and sheets, real case files, the `lintas` command)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from .test_review_import import query, write_bundle
from .test_review_values import bundle, imported, parquet_bytes, refused

PERSONS = b"id,name\nP-1,Budi\n"


# -- 24:00 ---------------------------------------------------------------------------------------
def test_24_00_is_the_end_of_the_day_kept_with_a_warning_and_24_00_01_refused(tmp_path, new_case, capsys):
    """ISO 8601 writes the end of a day as 24:00:00, which was read as the next day's midnight
    without a word (a CDR ending a day may write it).  It is kept, said, and is the next day's 00:00
    in the bundle's zone (Asia/Makassar, UTC+8) or in its own offset; 24:00:01 and 24:30 are no time."""
    calls = (b"caller,callee,start\n0812,0813,2026-09-28T21:14:05\n0812,0813,2026-09-28T24:00:00\n"
             b"0812,0813,2025-12-31 24:00\n0812,0813,2026-09-28T24:00:00+07:00\n")
    res = imported(capsys, new_case, bundle(tmp_path, "data/c.csv", "calls", "csv", calls), "--allow-unsigned")
    assert res["warnings"] == ["3 time(s) of data/c.csv (start) are 24:00, the end of the day, read as 00:00 of the "
                               "next day (kept as written): row 3 2026-09-28T24:00:00, row 4 2025-12-31 24:00, "
                               "row 5 2026-09-28T24:00:00+07:00"]
    assert query(new_case, "SELECT start, start_utc FROM calls ORDER BY source_row") == [
        ("2026-09-28T21:14:05", dt.datetime(2026, 9, 28, 13, 14, 5)),
        ("2026-09-28T24:00:00", dt.datetime(2026, 9, 28, 16, 0)),
        ("2025-12-31 24:00", dt.datetime(2025, 12, 31, 16, 0)),
        ("2026-09-28T24:00:00+07:00", dt.datetime(2026, 9, 28, 17, 0))]
    bad = b"caller,callee,start\n0812,0813,2026-09-28T24:00:01\n0812,0813,2026-09-28T24:30\n0812,0813,2026-09-28T25:00\n"
    assert refused(capsys, new_case, bundle(tmp_path, "data/c.csv", "calls", "csv", bad, "bad.zip"),
                   "--allow-unsigned") == [
        (2, "start", "hour 24 stands only in 24:00:00, the end of a day: 2026-09-28T24:00:01 (write the next day's "
                     "time)"),
        (3, "start", "hour 24 stands only in 24:00:00, the end of a day: 2026-09-28T24:30 (write the next day's "
                     "time)"),
        (4, "start", "not an ISO 8601 timestamp: 2026-09-28T25:00")]


# -- control characters and bidi overrides outside names ------------------------------------------
def test_control_characters_in_text_are_kept_with_a_warning_naming_them(tmp_path, new_case, capsys):
    """A note holding a BELL, a message body holding a right-to-left override (which shows the text
    after it backwards), a place holding a C1 NEXT LINE: imported without a word.  Tab, newline and
    carriage return are text."""
    persons = ("id,name,notes\nP-1,Budi,ok\nP-2,Ani,\"x\u0007y\"\nP-3,Rizal,\"two\nlines\tand a tab\"\n"
               "P-4,Siti,\u202egnp.exe\n").encode()
    travel = "time,kind,person,place_from\n2026-09-28T10:00:00,departure,P-1,Tawau\u0085Sabah\n".encode()
    messages = ("sender,recipient,time,body\n0812,0813,2026-09-28T10:00:00,halo\n"
                "0812,0813,2026-09-28T10:01:00,\u2067abc\u2069 \u202ex\u202c\n").encode()
    b = write_bundle(tmp_path / "t.zip", [("data/p.csv", "persons", "csv", persons),
                                           ("data/t.csv", "travel", "csv", travel),
                                           ("data/m.csv", "messages", "csv", messages)], tz="Asia/Makassar")
    res = imported(capsys, new_case, b, "--allow-unsigned")
    assert res["warnings"] == [
        "2 value(s) of data/p.csv (notes) hold control characters or bidi overrides (U+0007 BELL, U+202E "
        "RIGHT-TO-LEFT OVERRIDE), so they may show otherwise than they are written (kept as written): row 3, 5",
        "1 value(s) of data/t.csv (place_from) hold control characters or bidi overrides (U+0085 NEXT LINE), so "
        "they may show otherwise than they are written (kept as written): row 2",
        "1 value(s) of data/m.csv (body) hold control characters or bidi overrides (U+202C POP DIRECTIONAL "
        "FORMATTING, U+202E RIGHT-TO-LEFT OVERRIDE, U+2067 RIGHT-TO-LEFT ISOLATE, U+2069 POP DIRECTIONAL "
        "ISOLATE), so they may show otherwise than they are written (kept as written): row 3"]
    assert query(new_case, "SELECT notes FROM persons ORDER BY source_row") == [
        ("ok",), ("x\u0007y",), ("two\nlines\tand a tab",), ("\u202egnp.exe",)]
    assert query(new_case, "SELECT body FROM messages WHERE source_row = 3") == [("\u2067abc\u2069 \u202ex\u202c",)]


def test_an_id_or_number_that_shows_as_another_is_refused(tmp_path, new_case, capsys):
    """'\\u202e1-P' shows as 'P-1' and was imported as a second person beside P-1; the caller
    '\\u202e0987-6543-2180' shows as 0812-3456-7890 and had no E.164; '0812<BELL>3456-7890' had none
    either; all without a word.  The marks a chat export puts around a number (U+202A … U+202C)
    change nothing of how it shows and are still read."""
    persons = "id,name\nP-1,Budi\n\u202e1-P,Ani\n".encode()
    identifiers = "owner,kind,value\nP-1,phone,\u202e0987-6543-2180\nP-1,bank_account,12\u000b34\n".encode()
    relationships = "source,target,kind\nP-1,P-1\u200b,associate\nP-1,\u20661-P\u2069,associate\n".encode()
    b = write_bundle(tmp_path / "i.zip", [("data/p.csv", "persons", "csv", persons),
                                           ("data/i.csv", "identifiers", "csv", identifiers),
                                           ("data/r.csv", "relationships", "csv", relationships)])
    problems = refused(capsys, new_case, b, "--allow-unsigned")
    assert problems == [
        (3, "id", "holds U+202E RIGHT-TO-LEFT OVERRIDE, so it shows otherwise than it is written (as another id "
                  "or number may show): write it without control characters or bidi overrides"),
        (2, "value", "holds U+202E RIGHT-TO-LEFT OVERRIDE, so it shows otherwise than it is written (as another "
                     "id or number may show): write it without control characters or bidi overrides"),
        (3, "value", "holds U+000B LINE TABULATION, so it shows otherwise than it is written (as another id or "
                     "number may show): write it without control characters or bidi overrides"),
        (2, "target", "refers to P-1\u200b, which is no person, organisation or object of this source"),
        (3, "target", "holds U+2066 LEFT-TO-RIGHT ISOLATE, so it shows otherwise than it is written (as another "
                      "id or number may show): write it without control characters or bidi overrides"),
        (3, "target", "refers to \u20661-P\u2069, which is no person, organisation or object of this source")]
    calls = ("caller,callee,start\n\u202e0987-6543-2180,0813,2026-09-28T21:14:05\n"
             "0812\u00073456-7890,0813,2026-09-28T21:14:05\n"
             "\u202a+62 812 3456 7890\u202c,0813,2026-09-28T21:14:05\n").encode()
    c = bundle(tmp_path, "data/c.csv", "calls", "csv", calls, "c.zip")
    assert refused(capsys, new_case, c, "--allow-unsigned") == [
        (2, "caller", "holds U+202E RIGHT-TO-LEFT OVERRIDE, so it shows otherwise than it is written (as another "
                      "id or number may show): write it without control characters or bidi overrides"),
        (3, "caller", "holds U+0007 BELL, so it shows otherwise than it is written (as another id or number may "
                      "show): write it without control characters or bidi overrides")]
    res = imported(capsys, new_case, c, "--allow-unsigned", "--skip-bad-rows")
    assert res["rejected"] == 2 and res["warnings"] == []
    assert query(new_case, "SELECT caller, caller_e164 FROM calls") == [
        ("\u202a+62 812 3456 7890\u202c", "+6281234567890")]


# -- floats that have lost digits ------------------------------------------------------------------
def test_parquet_floats_of_16_or_more_digits_where_text_goes_are_refused(tmp_path, new_case, capsys):
    """An account number written as a float64 1234567890123456789 is 1234567890123456768 by the time
    the import reads it, and was stored so (or as '1.2345678901234568e+18'), without a word.  Whole
    numbers below 2^53 are exact, and amounts keep their own rules."""
    accounts = pa.table({"owner": ["P-1"] * 5, "kind": ["bank_account"] * 5,
                         "value": pa.array([1234567890123456789.0, 1234567890123456.0, 123456789012.3456,
                                            7654321.5, 2.0 ** 53], pa.float64())})
    b = write_bundle(tmp_path / "i.zip", [("data/p.csv", "persons", "csv", PERSONS),
                                           ("data/i.parquet", "identifiers", "parquet", parquet_bytes(accounts))])
    assert refused(capsys, new_case, b, "--allow-unsigned") == [
        (1, "value", "stored as a floating-point number, which cannot hold 19 digits exactly: store it as text "
                     "(read as 1.2345678901234568e+18)"),
        (3, "value", "stored as a floating-point number, which cannot hold 16 digits exactly: store it as text "
                     "(read as 123456789012.3456)"),
        (5, "value", "stored as a floating-point number, which cannot hold 16 digits exactly: store it as text "
                     "(read as 9007199254740992.0)")]
    small = pa.table({"from_account": pa.array([81234567.0, 12.0], pa.float32()), "to_account": ["A-2", "A-2"],
                      "time": ["2026-09-28T10:00:00+07:00"] * 2,
                      "amount": pa.array([12345678901234567.0, 1500.0], pa.float64()), "currency": ["IDR"] * 2})
    t = bundle(tmp_path, "data/t.parquet", "transfers", "parquet", parquet_bytes(small), "t.zip")
    assert refused(capsys, new_case, t, "--allow-unsigned") == [
        (1, "from_account", "stored as a floating-point number, which cannot hold 8 digits exactly: store it as "
                            "text (read as 81234570.0)")]
    res = imported(capsys, new_case, b, "--allow-unsigned", "--skip-bad-rows")
    assert res["rejected"] == 3
    assert query(new_case, "SELECT value FROM identifiers ORDER BY source_row") == [("1234567890123456",),
                                                                                    ("7654321.5",)]


def test_json_numbers_of_19_and_25_digits(tmp_path, new_case, capsys):
    """DuckDB reads a 19-digit JSON integer as BIGINT (exact, kept), but a 25-digit one as DOUBLE: it
    had lost its last digits and was stored as '1.2345678901234568e+24' without a word.  In a column
    whose rows disagree on the type the literal's digits are read as written; a float literal there
    ('123456789012345678.0') has lost them already."""
    lines = (b'{"owner":"P-1","kind":"imei","value":1234567890123456789}\n'
             b'{"owner":"P-1","kind":"imei","value":35123456789012}\n')
    b = write_bundle(tmp_path / "a.zip", [("data/p.csv", "persons", "csv", PERSONS),
                                           ("data/i.jsonl", "identifiers", "jsonl", lines)])
    imported(capsys, new_case, b, "--allow-unsigned")
    assert query(new_case, "SELECT value FROM identifiers ORDER BY source_row") == [("1234567890123456789",),
                                                                                    ("35123456789012",)]
    lines = (b'{"owner":"P-1","kind":"bank_account","value":1234567890123456789012345}\n'
             b'{"owner":"P-1","kind":"bank_account","value":12}\n')
    b = write_bundle(tmp_path / "b.zip", [("data/p.csv", "persons", "csv", PERSONS),
                                           ("data/i.jsonl", "identifiers", "jsonl", lines)])
    assert refused(capsys, new_case, b, "--allow-unsigned") == [
        (1, "value", "stored as a floating-point number, which cannot hold 25 digits exactly: store it as text "
                     "(read as 1.2345678901234568e+24)")]
    mixed = (b'{"owner":"P-1","kind":"bank_account","value":1234567890123456789012345}\n'
             b'{"owner":"P-1","kind":"bank_account","value":"A-12"}\n'
             b'{"owner":"P-1","kind":"bank_account","value":123456789012345678.0}\n')
    b = write_bundle(tmp_path / "c.zip", [("data/p.csv", "persons", "csv", PERSONS),
                                           ("data/i.jsonl", "identifiers", "jsonl", mixed)])
    assert refused(capsys, new_case, b, "--allow-unsigned") == [
        (3, "value", "stored as a floating-point number, which cannot hold 18 digits exactly: store it as text "
                     "(read as 1.2345678901234568e+17)")]
    imported(capsys, new_case, b, "--allow-unsigned", "--skip-bad-rows")
    assert query(new_case, "SELECT value FROM identifiers WHERE kind = 'bank_account' ORDER BY source_row") == [
        ("1234567890123456789012345",), ("A-12",)]


def test_xlsx_number_cells_beyond_2_53_where_text_goes_are_refused(tmp_path, new_case, capsys):
    """A sheet's number cell holds a float: the account 1234567890123456789 typed as a number is
    1.234567890123457E+18 in the file, and was imported as the account '1234567890123457024' with a
    warning that digits 'may' be lost; they are.  An amount keeps its
    rules, and a 16-digit cell below 2^53 keeps the warning."""

    from .test_review_values import _as_excel_writes, _sheet

    f = _sheet(tmp_path / "t.xlsx", [["FROM", "TO", "T", "AMT", "CUR"],
                                     [1234567890123456789, "A-2", "2026-09-28T10:00:00", 1500, "IDR"],
                                     [1234567890123456, "A-2", "2026-09-28T10:00:00", 2500, "IDR"],
                                     ["A-1", "A-2", "2026-09-28T10:00:00", 3500, "IDR"]])
    excel = _as_excel_writes(f, tmp_path / "excel.xlsx", {b"1234567890123456": b"1.234567890123456E+15"})
    args = ("--kind", "transfers", "--producer-country", "ID", "--timezone", "Asia/Makassar", "--map",
            "from_account=FROM,to_account=TO,time=T,amount=AMT,currency=CUR")
    assert refused(capsys, new_case, excel, *args) == [
        (2, "FROM", "stored as a floating-point number, which cannot hold 19 digits exactly: store it as text "
                    "(read as 1.234567890123457e+18)")]
    res = imported(capsys, new_case, excel, *args, "--skip-bad-rows")
    assert res["rejected"] == 1
    assert res["warnings"] == ["1 number cell(s) of 16 digits or more: a spreadsheet keeps 15 significant digits, "
                               "so their last digits may be lost (an account, IMEI or card number should be stored "
                               "as text): row 3 FROM"]
    assert query(new_case, "SELECT from_account FROM transfers ORDER BY source_row") == [("1234567890123456",),
                                                                                        ("A-1",)]


# -- --skip-bad-rows: warnings speak of the rows imported --------------------------------------------
def test_warnings_speak_only_of_the_rows_imported(tmp_path, new_case, capsys):
    """With --skip-bad-rows the phone and country warnings listed the values of rows set aside too
    (and the time, name and id warnings their rows), as if they were in the case."""
    persons = ("id,name,nationality,birth_date,notes\nP-1,Budi,Narnia,2090-01-01,\u0007\nP-2,Ani,Atlantis,,\n"
               "P-3,\u202eRizal,ID,2999,\np-3,Siti,ID,,\n").encode()
    calls = ("caller,callee,start\nABC-DEF,0813,yesterday\nXYZ,0813,2026-09-28T21:14:05\n"
             "0812,0813,0001-01-01T00:00:00Z\n0812,0813,2026-09-28\n\u202e0812,0813,2026-09-28T24:00:00\n"
             "0812,0813,2026-09-28T24:00:00\n0812\u0007,0813,0001-01-01T00:00:00Z\n").encode()
    b = write_bundle(tmp_path / "s.zip", [("data/p.csv", "persons", "csv", persons),
                                           ("data/c.csv", "calls", "csv", calls)], tz="Asia/Makassar")
    res = imported(capsys, new_case, b, "--allow-unsigned", "--skip-bad-rows")
    assert res["rejected"] == 5 and res["rows"] == {"persons": 2, "calls": 4}
    assert res["warnings"] == [
        "1 time(s) of data/c.csv (start) lie before 1900 or after the day of the import (kept as written): "
        "row 4 0001-01-01T00:00:00Z",
        "1 time(s) of data/c.csv (start) are a date without a time of day, read as 00:00 local time (kept as "
        "written): row 5 2026-09-28",
        "1 time(s) of data/c.csv (start) are 24:00, the end of the day, read as 00:00 of the next day (kept as "
        "written): row 7 2026-09-28T24:00:00",
        "1 phone number(s) with letters, not read as numbers (kept as written, without E.164): XYZ",
        "1 country value(s) not recognised as ISO codes or names (kept as written, without ISO code): Atlantis"]


@pytest.mark.parametrize("skip", [False, True])
def test_a_refused_import_lists_no_warnings_and_leaves_the_case(tmp_path, new_case, capsys, skip):
    """The case is as it was after a refusal, whatever the new checks found."""
    calls = "caller,callee,start\n\u202e0812,0813,2026-09-28T24:00:01\n".encode()
    b = bundle(tmp_path, "data/c.csv", "calls", "csv", calls)
    args = ("--allow-unsigned", "--skip-bad-rows") if skip else ("--allow-unsigned",)
    if skip:
        res = imported(capsys, new_case, b, *args)
        assert res["rows"] == {"calls": 0} and res["rejected"] == 1 and res["warnings"] == []
    else:
        assert [p[1] for p in refused(capsys, new_case, b, *args)] == ["caller", "start"]


def test_the_new_reasons_and_warnings_have_indonesian():
    from workstation.i18n import translate

    texts = ["3 time(s) of data/c.csv (start) are 24:00, the end of the day, read as 00:00 of the next day (kept as "
             "written): row 3 2026-09-28T24:00:00",
             "hour 24 stands only in 24:00:00, the end of a day: 2026-09-28T24:30 (write the next day's time)",
             "2 value(s) of data/p.csv (notes) hold control characters or bidi overrides (U+0007 BELL), so they may "
             "show otherwise than they are written (kept as written): row 3, 5",
             "holds U+202E RIGHT-TO-LEFT OVERRIDE, so it shows otherwise than it is written (as another id or number "
             "may show): write it without control characters or bidi overrides",
             "stored as a floating-point number, which cannot hold 19 digits exactly: store it as text (read as "
             "1.2345678901234568e+18)"]
    for text in texts:
        assert translate(text, "id") != text, text


def test_the_docs_say_what_the_import_does_with_these_values():
    from pathlib import Path

    doc = " ".join((Path(__file__).resolve().parents[1] / "docs" / "bundle-format.md").read_text("utf-8").split())
    for said in ("`24:00:00`", "U+202E", "2^53", "set aside"):
        assert said in doc, said
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    gaps = readme.split("**Import, smaller gaps.**")[1].split("\n- ")[0]
    assert "24:00" not in gaps and "16 or more" not in gaps and "phone and country warnings" not in gaps



def test_a_partner_objects_name_holding_an_override_is_warned_about(tmp_path, new_case, capsys):
    """A MISP attribute 'filename' of '\\u202egnp.exe' (shown as 'exe.png') became an object of that
    name without a word."""
    from .test_review_values import _attribute, _misp

    f = _misp(tmp_path, [_attribute("filename", "\u202egnp.exe")])
    res = imported(capsys, new_case, f, "--tlp", "AMBER", "--producer-country", "ID")
    assert [w for w in res["warnings"] if "U+202E" in w] == [
        f"1 value(s) of {f.name} ({column}) hold control characters or bidi overrides (U+202E RIGHT-TO-LEFT "
        "OVERRIDE), so they may show otherwise than they are written (kept as written): row 1"
        for column in ("name", "properties")]
    assert query(new_case, "SELECT name FROM objects") == [("\u202egnp.exe",)]


def test_a_name_holding_a_c1_control_is_warned_about_as_c0_ones_are(tmp_path, new_case, capsys):
    """Names warned about C0 controls and bidi overrides, not about the C1 controls (U+0080-U+009F: a
    NEXT LINE, or text decoded as Latin-1 that was Windows-1252), which show as nothing or a box."""
    persons = "id,name\nP-1,Budi\nP-2,Ani\u0085\nP-3,\u0093Rizal\u0094\n".encode()
    res = imported(capsys, new_case, bundle(tmp_path, "data/p.csv", "persons", "csv", persons), "--allow-unsigned")
    assert res["warnings"] == [
        "2 name(s) of data/p.csv (name) hold control characters or bidi overrides, so they show otherwise than "
        "they are written (kept as written): row 3, 4"]
