"""Review of the values and shapes inside otherwise valid inputs, through every importer: each test
is an input that was imported without a word (or refused naming the wrong thing), written here as a
partner would write it (real bundles, partner files and sheets, real case files, the `lintas`
command), and what the analyst must be told."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from .importing import snapshot
from .test_review_import import lintas, query, write_bundle


def refused(capsys, case: Path, source: Path, *args) -> list[tuple]:
    """(row, column, reason) of each problem of a refused import; the case is left as it was."""
    before = snapshot(case)
    rc, out, _ = lintas(capsys, "import", case, source, "--json", *args)
    res = json.loads(out)
    assert rc == 1 and res["imported"] is False, res
    assert snapshot(case) == before
    return [(p["row"], p["column"], p["reason"]) for p in res["problems"]]


def imported(capsys, case: Path, source: Path, *args) -> dict:
    rc, out, _ = lintas(capsys, "import", case, source, "--json", *args)
    res = json.loads(out)
    assert rc == 0 and res["imported"] is True, res
    return res


def bundle(tmp_path: Path, path: str, kind: str, fmt: str, data: bytes, name: str = "b.zip") -> Path:
    return write_bundle(tmp_path / name, [(path, kind, fmt, data)], tz="Asia/Makassar")


def parquet_bytes(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


# -- timestamps ------------------------------------------------------------------------------------
def test_zone_names_holding_a_sign_and_offsets_of_no_place_are_refused(tmp_path, new_case, capsys):
    """A value with '+' or '-' after its date went to DuckDB's TIMESTAMPTZ cast, which reads zone
    names: '… UTC-7' and '… America/Port-au-Prince' were converted by the zone, '… Etc/GMT-7' as
    UTC+7 (POSIX signs), and '+25:00' / '+99:99' as offsets of 25 and 100 hours, all without a word
    (the docs say a zone name after a timestamp is refused)."""
    bad = ["2026-09-28T21:14:05 UTC-7", "2026-09-28T21:14:05 UTC+7", "2026-09-28T21:14:05 GMT+7",
           "2026-09-28T21:14:05 Etc/GMT-7", "2026-09-28T21:14:05 America/Port-au-Prince",
           "2026-09-28T21:14:05+25:00", "2026-09-28T21:14:05+99:99", "2026-09-28T21:14:05+07:60"]
    good = ["2026-09-28T21:14:05+07:00", "2026-09-28T21:14:05+0700", "2026-09-28T21:14:05+07",
            "2026-09-28 21:14:05.5-03:30", "2026-09-28T21:14:05Z", "2026-09-28T21:14:05+14:00"]
    calls = b"caller,callee,start\n" + b"".join(f"0812,0813,{v}\n".encode() for v in bad + good)
    problems = refused(capsys, new_case, bundle(tmp_path, "data/calls.csv", "calls", "csv", calls),
                       "--allow-unsigned")
    assert problems == [(n, "start", f"not an ISO 8601 timestamp: {v}") for n, v in enumerate(bad, start=2)]
    ok = b"caller,callee,start\n" + b"".join(f"0812,0813,{v}\n".encode() for v in good)
    imported(capsys, new_case, bundle(tmp_path, "data/calls.csv", "calls", "csv", ok, "ok.zip"), "--allow-unsigned")
    assert query(new_case, "SELECT CAST(start_utc AS VARCHAR) FROM calls ORDER BY source_row") == [
        ("2026-09-28 14:14:05",), ("2026-09-28 14:14:05",), ("2026-09-28 14:14:05",),
        ("2026-09-29 00:44:05.5",), ("2026-09-28 21:14:05",), ("2026-09-28 07:14:05",)]


# -- amounts ---------------------------------------------------------------------------------------
def test_amounts_beyond_four_decimals_or_in_scientific_notation_are_refused_not_rounded(tmp_path, new_case,
                                                                                       capsys):
    """The case keeps amounts as DECIMAL(24,4): '1.23456' USD was stored as 1.2346 and 0.00012345 BTC
    as 0.0001 without a word; '1.5e6' and '1_000' were read as numbers (a spreadsheet writes
    '4.95E+07' for a number it shows cut to three digits)."""
    transfers = (b"from_account,to_account,time,amount,currency\n"
                 b"A1,A2,2026-09-28T10:00:00+07:00,1.23456,USD\n"
                 b"A1,A2,2026-09-28T10:00:00+07:00,0.00012345,XBT\n"
                 b"A1,A2,2026-09-28T10:00:00+07:00,4.95E+07,IDR\n"
                 b"A1,A2,2026-09-28T10:00:00+07:00,1_000,USD\n"
                 b"A1,A2,2026-09-28T10:00:00+07:00,1.50000,USD\n"
                 b"A1,A2,2026-09-28T10:00:00+07:00,-250,USD\n"
                 b"A1,A2,2026-09-28T10:00:00+07:00,.5,USD\n")
    problems = refused(capsys, new_case, bundle(tmp_path, "data/t.csv", "transfers", "csv", transfers),
                       "--allow-unsigned")
    assert problems == [
        (2, "amount", "amount with more than 4 decimals: 1.23456 (the case keeps 4: it would be rounded to 1.2346)"),
        (3, "amount", "amount with more than 4 decimals: 0.00012345 (the case keeps 4: it would be rounded "
                      "to 0.0001)"),
        (3, "currency", "not an ISO 4217 currency code: XBT"),
        (4, "amount", "amount in scientific notation: 4.95E+07 (write 49500000, all its digits: a spreadsheet "
                      "may have cut them)"),
        (5, "amount", "not an amount: 1_000")]
    # numbers stored as numbers: binary noise is no decimal, a fifth decimal is
    typed = pa.table({"from_account": ["A1", "A1", "A1"], "to_account": ["A2", "A2", "A2"],
                      "time": ["2026-09-28T10:00:00+07:00"] * 3, "amount": [0.1 + 0.2, 1500.5, 1.23456],
                      "currency": ["USD"] * 3})
    problems = refused(capsys, new_case, bundle(tmp_path, "data/t.parquet", "transfers", "parquet",
                                                parquet_bytes(typed), "typed.zip"), "--allow-unsigned")
    assert problems == [(3, "amount", "amount with more than 4 decimals: 1.23456 (the case keeps 4: it would "
                                      "be rounded to 1.2346)")]
    ok = pa.table({k: v[:2] for k, v in typed.to_pydict().items()})
    imported(capsys, new_case, bundle(tmp_path, "data/t.parquet", "transfers", "parquet", parquet_bytes(ok),
                                      "ok.zip"), "--allow-unsigned")
    assert query(new_case, "SELECT CAST(amount AS VARCHAR) FROM transfers ORDER BY source_row") == [
        ("0.3000",), ("1500.5000",)]


def test_currency_codes_that_are_no_iso_4217_code_are_refused(tmp_path, new_case, capsys):
    """Any three capitals passed ('XYZ', 'ABC', 'RPH'); withdrawn codes (a 1998 transfer in DEM) stay."""
    transfers = (b"from_account,to_account,time,amount,currency\n"
                 b"A1,A2,2026-09-28T10:00:00+07:00,10,XYZ\nA1,A2,2026-09-28T10:00:00+07:00,10,RPH\n"
                 b"A1,A2,1998-09-28T10:00:00+07:00,10,DEM\nA1,A2,2026-09-28T10:00:00+07:00,10,MYR\n")
    assert refused(capsys, new_case, bundle(tmp_path, "data/t.csv", "transfers", "csv", transfers),
                   "--allow-unsigned") == [(2, "currency", "not an ISO 4217 currency code: XYZ"),
                                           (3, "currency", "not an ISO 4217 currency code: RPH")]


# -- shapes: an object, a list or bytes where text goes ----------------------------------------------
def test_objects_lists_and_bytes_where_text_goes_are_refused(tmp_path, new_case, capsys):
    """A JSON object in a text column was stored as its JSON text ('{"n":"0813"}' as the callee), a
    Parquet struct the same way, and Parquet text written as plain BINARY as DuckDB's escaped bytes
    ('Bud\\xC3\\xAD' for 'Budí')."""
    lines = (b'{"caller":"0812","callee":{"n":"0813"},"start":"2026-09-28T21:14:05"}\n'
             b'{"caller":"0812","callee":"0813","start":"2026-09-28T21:14:05","cell_id":["C1","C2"]}\n'
             b'{"caller":"0812","callee":"0813","start":"2026-09-28T21:14:05","cell_id":"C3"}\n')
    assert refused(capsys, new_case, bundle(tmp_path, "data/calls.jsonl", "calls", "jsonl", lines),
                   "--allow-unsigned") == [(1, "callee", 'a JSON object, not text: {"n":"0813"}'),
                                           (2, "cell_id", 'a JSON array, not text: ["C1","C2"]')]
    struct = pa.table({"id": ["P-1"], "name": [{"first": "Budi"}]})
    assert refused(capsys, new_case, bundle(tmp_path, "data/p.parquet", "persons", "parquet",
                                            parquet_bytes(struct), "s.zip"), "--allow-unsigned") == [
        (1, "name", 'a JSON object, not text: {"first":"Budi"}')]
    raw = pa.table({"id": pa.array([b"P-1", b"P-2"], pa.binary()),
                    "name": pa.array(["Budí".encode(), b"\xff\xfe"], pa.binary())})
    assert refused(capsys, new_case, bundle(tmp_path, "data/p.parquet", "persons", "parquet",
                                            parquet_bytes(raw), "raw.zip"), "--allow-unsigned") == [
        (2, "name", "binary data (not UTF-8 text), not text")]
    ok = pa.table({"id": pa.array([b"P-1"], pa.binary()), "name": pa.array(["Budí".encode()], pa.binary())})
    imported(capsys, new_case, bundle(tmp_path, "data/p.parquet", "persons", "parquet", parquet_bytes(ok),
                                      "ok.zip"), "--allow-unsigned")
    assert query(new_case, "SELECT id, name, name_folded FROM persons") == [("P-1", "Budí", "budi")]


# -- persons and ids --------------------------------------------------------------------------------
def test_birth_date_in_the_future_is_refused(tmp_path, new_case, capsys):
    persons = b"id,name,birth_date\nP-1,Budi,2090-05-01\nP-2,Ani,2999\nP-3,Rizal,1980\nP-4,Siti,1980-05\n"
    assert refused(capsys, new_case, bundle(tmp_path, "data/p.csv", "persons", "csv", persons),
                   "--allow-unsigned") == [(2, "birth_date", "birth date in the future: 2090-05-01"),
                                           (3, "birth_date", "birth date in the future: 2999")]


def test_incident_ids_used_twice_are_refused_as_person_ids_are(tmp_path, new_case, capsys):
    incidents = (b"id,time,kind\nI-1,2026-09-28T10:00:00,theft\nI-2,2026-09-28T10:30:00,theft\n"
                 b"I-1,2026-09-28T11:00:00,assault\n")
    assert refused(capsys, new_case, bundle(tmp_path, "data/i.csv", "incidents", "csv", incidents),
                   "--allow-unsigned") == [(2, "id", "id I-1 is used more than once in this source"),
                                           (4, "id", "id I-1 is used more than once in this source")]


def test_ids_differing_only_in_case_are_kept_with_a_warning(tmp_path, new_case, capsys):
    """'P-1' and 'p-1' are two persons, as written; a reference written 'p-1' meaning P-1 would
    resolve to the other one, without a word."""
    persons = b"id,name\nP-1,Budi\np-1,Ani\nP-2,Rizal\n"
    res = imported(capsys, new_case, bundle(tmp_path, "data/p.csv", "persons", "csv", persons), "--allow-unsigned")
    assert res["rows"] == {"persons": 3}
    assert res["warnings"] == ["1 id(s) differ from another only in upper or lower case (kept as two entities, "
                               "as written): P-1 / p-1 (data/p.csv, row 2)"]


# -- numbers --------------------------------------------------------------------------------------
def test_phone_numbers_with_letters_are_kept_with_a_warning(tmp_path, new_case, capsys):
    """'ABC-DEF' and '0812-3456-7890 ext 12' were imported without E.164 and without a word: the
    analyst believed every call of the source was matched with the other sources' numbers.  Short
    codes of digits ('12') are common in call records and not reported."""
    calls = (b"caller,callee,start\n0812-3456-7890,ABC-DEF,2026-09-28T21:14:05\n"
             b"0812-3456-7890,12,2026-09-28T21:14:05\n0812-3456-7890 ext 12,0813-1111-2222,2026-09-28T21:14:05\n")
    res = imported(capsys, new_case, bundle(tmp_path, "data/calls.csv", "calls", "csv", calls), "--allow-unsigned")
    assert res["warnings"] == ["2 phone number(s) with letters, not read as numbers (kept as written, "
                               "without E.164): 0812-3456-7890 ext 12, ABC-DEF"]
    assert query(new_case, "SELECT callee, callee_e164 FROM calls ORDER BY source_row") == [
        ("ABC-DEF", None), ("12", None), ("0813-1111-2222", "+6281311112222")]


# -- plain files: the mapping ------------------------------------------------------------------------
def test_one_column_mapped_to_two_and_one_canonical_mapped_twice_are_refused(tmp_path, new_case, capsys):
    """'caller=A,callee=A' imported every call as made to its own number (the real callee kept aside
    in extra); 'caller=A,caller=B' kept the last one without a word."""
    f = tmp_path / "cdr.csv"
    f.write_bytes(b"A,B,T\n0812,0813,2026-09-28T21:14:05\n")
    args = ("--kind", "calls", "--producer-country", "ID", "--timezone", "Asia/Makassar")
    assert refused(capsys, new_case, f, *args, "--map", "caller=A,callee=A,start=T") == [
        (None, "A", "the column 'A' is read as caller and as callee: map each to its own column")]
    assert refused(capsys, new_case, f, *args, "--map", "caller=A,caller=B,callee=B,start=T") == [
        (None, "caller", "'caller' is mapped twice ('A', 'B')")]
    # the same in a bundle's manifest
    b = write_bundle(tmp_path / "m.zip", [], tz="Asia/Makassar")
    import zipfile
    with zipfile.ZipFile(b) as z:
        manifest = json.loads(z.read("manifest.json"))
    data = b"A,B,T\n0812,0813,2026-09-28T21:14:05\n"
    import hashlib
    manifest["tables"] = [{"path": "data/c.csv", "kind": "calls", "format": "csv", "bytes": len(data),
                           "sha256": hashlib.sha256(data).hexdigest(),
                           "columns": {"caller": "A", "callee": "A", "start": "T"}}]
    with zipfile.ZipFile(tmp_path / "m2.zip", "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("data/c.csv", data)
    assert refused(capsys, new_case, tmp_path / "m2.zip", "--allow-unsigned") == [
        (None, "A", "the column 'A' is read as caller and as callee: map each to its own column")]


# -- partner formats -------------------------------------------------------------------------------
def _stix_identity(n: int, **kw) -> dict:
    return {"type": "identity", "spec_version": "2.1", "id": f"identity--{uuid.UUID(int=n)}",
            "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": f"Person {n}",
            "identity_class": "individual", **kw}


def _stix(tmp_path: Path, objects: list[dict]) -> Path:
    f = tmp_path / f"stix-{uuid.uuid4().hex[:8]}.json"
    f.write_text(json.dumps({"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}))
    return f


def test_stix_timestamps_that_are_no_timestamps_are_refused(tmp_path, new_case, capsys):
    """An object's 'created' of 'yesterday' or '2026-13-45T99:00:00Z' was kept in the case as written,
    unremarked (STIX 2.1 requires RFC 3339 timestamps in UTC)."""
    objects = [_stix_identity(1, created="yesterday"), _stix_identity(2),
               {"type": "malware", "spec_version": "2.1", "id": f"malware--{uuid.UUID(int=3)}",
                "created": "2026-01-01T00:00:00Z", "modified": "2026-02-30T00:00:00Z", "name": "m",
                "is_family": False}]
    assert refused(capsys, new_case, _stix(tmp_path, objects), "--tlp", "AMBER", "--producer-country", "ID") == [
        (1, "created", f"object 1 (identity--{uuid.UUID(int=1)}): not a STIX timestamp "
                       "(YYYY-MM-DDTHH:MM:SS[.s]Z): 'yesterday'"),
        (3, "modified", f"object 3 (malware--{uuid.UUID(int=3)}): not a STIX timestamp "
                        "(YYYY-MM-DDTHH:MM:SS[.s]Z): '2026-02-30T00:00:00Z'")]


def test_partner_values_of_the_wrong_type_are_refused_not_printed_as_python(tmp_path, new_case, capsys):
    """A STIX identity's name given as an object was stored as Python prints a dict
    ("{'first': 'Budi'}"), in no format anyone wrote."""
    objects = [_stix_identity(1, name={"first": "Budi"}), _stix_identity(2)]
    assert refused(capsys, new_case, _stix(tmp_path, objects), "--tlp", "AMBER", "--producer-country", "ID") == [
        (1, "name", 'a JSON object, not text: {"first": "Budi"}')]


def test_arrow_staging_names_a_word_where_a_number_goes():
    """A partner mapper's number column took float() of whatever came: a word crashed the import
    (exit 70), a boolean became 1.0."""
    from workstation.errors import InputRefused
    from workstation.formats.common import staged_tables

    rows = [{"source_row": 1, "owner": "P-1", "full": "Jl. Mawar 1", "lat": "0.13", "lon": 117.5},
            {"source_row": 2, "owner": "P-1", "full": "Jl. Mawar 2", "lat": "north", "lon": True}]
    with pytest.raises(InputRefused) as e:
        staged_tables("partner.json", {"addresses": rows})
    assert e.value.problems == [{"file": "partner.json", "row": 2, "column": "lat", "reason": 'not a number: "north"'},
                                {"file": "partner.json", "row": 2, "column": "lon", "reason": "not a number: true"}]


def test_followthemoney_property_values_that_are_objects_are_refused(tmp_path, new_case, capsys):
    """FtM values are strings; an object inside a property's list was stored as Python prints it."""
    f = tmp_path / "entities.ijson"
    f.write_text(json.dumps({"id": "p1", "schema": "Person", "properties": {"name": [{"first": "Budi"}]}}) + "\n"
                 + json.dumps({"id": "p2", "schema": "Person", "properties": {"name": ["Ani"]}}) + "\n")
    assert refused(capsys, new_case, f, "--format", "ftm", "--tlp", "AMBER", "--producer-country", "ID") == [
        (1, "properties.name", 'a JSON object, not text: {"first": "Budi"}')]


def _misp(tmp_path: Path, attributes: list[dict], objects: list[dict] = ()) -> Path:
    f = tmp_path / f"misp-{uuid.uuid4().hex[:8]}.json"
    f.write_text(json.dumps({"Event": {"uuid": str(uuid.uuid4()), "info": "values", "date": "2026-01-01",
                                       "Orgc": {"name": "CERT"}, "Attribute": attributes,
                                       "Object": list(objects)}}))
    return f


def _attribute(typ: str, value, **kw) -> dict:
    return {"uuid": str(uuid.uuid4()), "type": typ, "value": value, "category": "Network activity",
            "to_ids": False, **kw}


def test_misp_values_of_the_wrong_type_are_refused_or_said(tmp_path, new_case, capsys):
    """A person object's full-name given as an object was stored as Python prints it; an ip-dst of
    '999.1.1.1' and a to_ids of 'maybe' were kept without a word (MISP itself refuses both)."""
    person = {"uuid": str(uuid.uuid4()), "name": "person", "Attribute": [
        {"uuid": str(uuid.uuid4()), "object_relation": "full-name", "type": "text", "value": {"x": 1}}]}
    assert refused(capsys, new_case, _misp(tmp_path, [], [person]), "--tlp", "AMBER",
                   "--producer-country", "ID") == [
        (1, "Object[0].Attribute[0].value", 'a JSON object, not text: {"x": 1}')]
    res = imported(capsys, new_case, _misp(tmp_path, [_attribute("ip-dst", "999.1.1.1"),
                                                      _attribute("ip-src|port", "10.0.0.1|8080"),
                                                      _attribute("ip-dst", "8.8.8.8", to_ids="maybe")]),
                   "--tlp", "AMBER", "--producer-country", "ID")
    assert res["warnings"] == ["2 attribute value(s) not of their MISP type (kept as written): Attribute[0] "
                               "ip-dst '999.1.1.1' is not an IP address; Attribute[2] to_ids 'maybe' is not "
                               "true or false"]
    assert query(new_case, "SELECT name FROM objects ORDER BY source_row") == [
        ("999.1.1.1",), ("10.0.0.1|8080",), ("8.8.8.8",)]


def test_the_new_reasons_and_warnings_have_indonesian():
    from workstation.i18n import translate

    texts = ["amount with more than 4 decimals: 1.23456 (the case keeps 4: it would be rounded to 1.2346)",
             "amount in scientific notation: 4.95E+07 (write 49500000, all its digits: a spreadsheet may have "
             "cut them)",
             "birth date in the future: 2090-05-01", 'a JSON object, not text: {"n":"0813"}',
             'a JSON array, not text: ["C1","C2"]', "binary data (not UTF-8 text), not text",
             "the column 'A' is read as caller and as callee: map each to its own column",
             "'caller' is mapped twice ('A', 'B')",
             "object 1 (identity--1): not a STIX timestamp (YYYY-MM-DDTHH:MM:SS[.s]Z): 'yesterday'",
             "1 id(s) differ from another only in upper or lower case (kept as two entities, as written): "
             "P-1 / p-1 (data/p.csv, row 2)",
             "2 phone number(s) with letters, not read as numbers (kept as written, without E.164): a, b",
             "a row longer than the limit of 67108864 bytes",
             "2 name(s) of data/p.csv (name) hold control characters or bidi overrides, so they show otherwise "
             "than they are written (kept as written): row 3, 5",
             "1 name(s) of data/p.csv (name) hold no letter or digit, so they match no one (kept as written): row 4",
             "required column missing for kind 'calls' (the file has 'Caller': names are matched exactly)",
             "data/c.csv: the column 'DURATION_S' is not read as 'duration_s' (names are matched exactly; it "
             "is kept as an extra column)",
             "1 number cell(s) of 16 digits or more: a spreadsheet keeps 15 significant digits, so their last "
             "digits may be lost (an account, IMEI or card number should be stored as text): row 2 FROM",
             "2 time(s) of data/c.csv (start) lie before 1900 or after the day of the import (kept as written): "
             "row 3 0001-01-01T00:00:00Z, row 4 2090-09-28T21:14:05",
             "1 time(s) of data/c.csv (start) are a date without a time of day, read as 00:00 local time (kept as "
             "written): row 3 2026-09-28",
             "mapped to a column the file does not have (its columns: A, B, T, DURATION)",
             "a formula whose value the file does not hold (=10*6): the program that wrote it did not compute "
             "it; open the file in a spreadsheet program and save it",
             "not in the first sheet 'Notes', which is read when --sheet names none (the file has the sheets "
             "'Notes', 'CDR')",
             "a leap second (second 60) cannot be stored: 2016-12-31T23:59:60Z (write second 59, or the next "
             "minute)", "not a duration (seconds, 0 or more): -60",
             "ends before it starts: valid_to 2010-01-01 is before valid_from 2020-01-01",
             "refers to P-9, which is no person or organisation of this source, nor a phone number",
             "object 2: an earlier version of identity--1 (object 1 is the latest) kept as a generic entity",
             "2 attribute value(s) not of their MISP type (kept as written): Attribute[0] ip-dst 'x' is not "
             "an IP address"]
    for text in texts:
        assert translate(text, "id") != text, text


# -- long rows -------------------------------------------------------------------------------------
def test_a_long_cell_is_read_and_a_row_over_the_limit_is_named(tmp_path, new_case, capsys, monkeypatch):
    """A 3 MB message body in a CSV (over DuckDB's 2 MB line default) was refused as 'malformed CSV
    row: Invalid Input Error: CSV Error on Line: 1', naming the header."""
    import os

    from workstation import ingest

    body = os.urandom(1_500_000).hex().encode()
    persons = b"id,name,notes\nP-1,Budi,ok\nP-2,Ani," + body + b"\nP-3,Rizal,ok\n"
    imported(capsys, new_case, bundle(tmp_path, "data/p.csv", "persons", "csv", persons), "--allow-unsigned")
    assert query(new_case, "SELECT source_row, length(notes) FROM persons ORDER BY 1") == [
        (2, 2), (3, 3_000_000), (4, 2)]
    monkeypatch.setattr(ingest, "CSV_MAX_ROW_BYTES", 1_000_000)
    assert refused(capsys, new_case, bundle(tmp_path, "data/p.csv", "persons", "csv", persons.replace(b"P-", b"Q-"),
                                            "long.zip"), "--allow-unsigned") == [
        (3, None, "a row longer than the limit of 1000000 bytes")]


def test_a_word_in_a_followthemoney_call_duration_is_refused_not_an_internal_error(tmp_path, new_case, capsys):
    """A Call's duration 'sixty' ended the import with exit 70 (ValueError in the staging)."""
    f = tmp_path / "call.ijson"
    f.write_text(json.dumps({"id": "c1", "schema": "Call", "properties": {
        "callerNumber": ["+6281234567890"], "receiverNumber": ["+6281311112222"], "date": ["2026-01-01T10:00:00Z"],
        "duration": ["sixty"]}}) + "\n")
    assert refused(capsys, new_case, f, "--format", "ftm", "--tlp", "AMBER", "--producer-country", "ID") == [
        (1, "duration_s", 'not a number: "sixty"')]


def test_a_field_spanning_lines_keeps_the_record_number_the_docs_give(tmp_path, new_case, capsys):
    """The row a problem names and source_row are the CSV record (header = 1), as a spreadsheet
    numbers rows: after a quoted note of two lines, the fourth record is on line 5 of the file."""
    persons = b'id,name,notes\nP-1,Budi,ok\nP-2,Ani,"two\nlines"\nP-3,,ok\n'
    assert refused(capsys, new_case, bundle(tmp_path, "data/p.csv", "persons", "csv", persons),
                   "--allow-unsigned") == [(4, "name", "required value is empty")]
    doc = (Path(__file__).resolve().parents[1] / "docs" / "bundle-format.md").read_text(encoding="utf-8")
    assert "in CSV the record, with the header as row 1" in " ".join(doc.split())


def test_stix_object_in_two_versions_is_read_as_its_latest(tmp_path, new_case, capsys):
    """The first version in the file was kept as the person and the later one (the object as it now
    stands, STIX 2.1 section 3.6) set aside, though the code said it kept the latest."""
    new = _stix_identity(1, name="Budi Santoso", modified="2026-03-01T00:00:00.000Z")
    old = _stix_identity(1, name="Budi")
    res = imported(capsys, new_case, _stix(tmp_path, [new, old, _stix_identity(2)]), "--tlp", "AMBER",
                   "--producer-country", "ID")
    assert query(new_case, "SELECT name FROM persons ORDER BY source_row") == [("Budi Santoso",), ("Person 2",)]
    assert query(new_case, "SELECT id, name FROM objects") == [
        (f"identity--{uuid.UUID(int=1)}@2026-01-01T00:00:00.000Z", "Budi")]
    assert f"object 2: an earlier version of identity--{uuid.UUID(int=1)} (object 1 is the latest) kept as a " \
           "generic entity" in res["warnings"]


# -- more values that cannot be -----------------------------------------------------------------------
def test_leap_second_negative_duration_and_ranges_ending_before_they_start(tmp_path, new_case, capsys):
    """A leap second (valid RFC 3339) was called 'not an ISO 8601 timestamp'; a call of -60 seconds
    and an identifier valid until before it was valid were imported without a word."""
    calls = (b"caller,callee,start,duration_s\n0812,0813,2016-12-31T23:59:60Z,5\n"
             b"0812,0813,2016-12-31T23:59:59Z,-60\n0812,0813,2016-12-31T23:59:59Z,0\n")
    assert refused(capsys, new_case, bundle(tmp_path, "data/c.csv", "calls", "csv", calls), "--allow-unsigned") == [
        (2, "start", "a leap second (second 60) cannot be stored: 2016-12-31T23:59:60Z (write second 59, or the "
                     "next minute)"),
        (3, "duration_s", "not a duration (seconds, 0 or more): -60")]
    persons = b"id,name\nP-1,Budi\nP-2,Ani\n"
    identifiers = (b"owner,kind,value,valid_from,valid_to\nP-1,passport,C123,2020-01-01,2010-01-01\n"
                   b"P-1,passport,C124,2010-05-01,2010\nP-1,passport,C125,2020,2019-12\n")
    relationships = b"source,target,kind,start,end\nP-1,P-2,family,2020-03,2020-02-28\nP-1,P-2,associate,2020,\n"
    b = write_bundle(tmp_path / "r.zip", [("data/p.csv", "persons", "csv", persons),
                                           ("data/i.csv", "identifiers", "csv", identifiers),
                                           ("data/r.csv", "relationships", "csv", relationships)])
    assert refused(capsys, new_case, b, "--allow-unsigned") == [
        (2, "valid_to", "ends before it starts: valid_to 2010-01-01 is before valid_from 2020-01-01"),
        (4, "valid_to", "ends before it starts: valid_to 2019-12 is before valid_from 2020"),
        (2, "end", "ends before it starts: end 2020-02-28 is before start 2020-03")]


def test_a_phone_book_owner_that_is_no_person_nor_number_is_refused(tmp_path, new_case, capsys):
    """contacts.owner is a person id or a phone number; 'P-9' (no person of the bundle) was kept as an
    owner resolving to no one, without a word."""
    persons = b"id,name\nP-1,Budi\n"
    contacts = (b"owner,label,value\nP-1,Bos,0812-3456-7890\n0812-3456-7890,Bos,0813-1111-2222\n"
                b"budi@example.id,Bos,0813-1111-2222\nP-9,Bos,0813-1111-2222\n")
    b = write_bundle(tmp_path / "c.zip", [("data/p.csv", "persons", "csv", persons),
                                           ("data/c.csv", "contacts", "csv", contacts)])
    assert refused(capsys, new_case, b, "--allow-unsigned") == [
        (5, "owner", "refers to P-9, which is no person or organisation of this source, nor a phone number")]


# -- XLSX ------------------------------------------------------------------------------------------
def _sheet(path: Path, rows: list[list], *, first: list[list] | None = None) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    if first is not None:
        ws.title = "Notes"
        for r in first:
            ws.append(r)
        ws = wb.create_sheet("CDR")
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _as_excel_writes(sheet: Path, out: Path, cells: dict[bytes, bytes]) -> Path:
    """A copy of ``sheet`` whose number cells are written as Excel writes them (``cells``: the
    value openpyxl wrote -> Excel's spelling, e.g. 1.234567890123456E+15)."""
    import zipfile

    with zipfile.ZipFile(sheet) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                for written, excel in cells.items():
                    data = data.replace(b"<v>" + written + b"</v>", b"<v>" + excel + b"</v>")
            dst.writestr(item, data)
    return out


XLSX_ARGS = ("--kind", "calls", "--map", "caller=A,callee=B,start=T,duration_s=D", "--producer-country", "ID",
             "--timezone", "Asia/Makassar")


def test_a_formula_without_its_value_is_refused_not_read_as_empty(tmp_path, new_case, capsys):
    """A sheet written by a script (formulas, no computed values) had each formula cell read as empty:
    the duration '=10*6' was imported as no duration, without a word."""
    import zipfile

    f = _sheet(tmp_path / "cdr.xlsx", [["A", "B", "T", "D"], ["0812", "0813", "2026-09-28T21:14:05", 60],
                                       ["0812", "0813", "2026-09-28T21:15:05", "=10*6"]])
    assert refused(capsys, new_case, f, *XLSX_ARGS) == [
        (3, "D", "a formula whose value the file does not hold (=10*6): the program that wrote it did not compute "
                 "it; open the file in a spreadsheet program and save it")]
    # as a spreadsheet program saves it: the formula with its value, which is read
    saved = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(f) as src, zipfile.ZipFile(saved, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<f>10*6</f><v></v>", b"<f>10*6</f><v>60</v>")
            dst.writestr(item, data)
    imported(capsys, new_case, saved, *XLSX_ARGS)
    assert query(new_case, "SELECT source_row, duration_s FROM calls ORDER BY 1") == [(2, 60.0), (3, 60.0)]


def test_a_workbook_whose_first_sheet_lacks_the_columns_names_its_sheets(tmp_path, new_case, capsys):
    """A cover sheet first: the refusal said only that caller, callee and start were missing."""
    f = _sheet(tmp_path / "cdr.xlsx", [["A", "B", "T", "D"], ["0812", "0813", "2026-09-28T21:14:05", 60]],
               first=[["Exported by the provider, 28 Nov 2026"]])
    problems = refused(capsys, new_case, f, *XLSX_ARGS)
    assert problems[0] == (1, "caller (mapped to 'A')", "not in the first sheet 'Notes', which is read when --sheet "
                                                        "names none (the file has the sheets 'Notes', 'CDR')")
    assert [p[1] for p in problems] == ["caller (mapped to 'A')", "callee (mapped to 'B')", "start (mapped to 'T')"]
    imported(capsys, new_case, f, *XLSX_ARGS, "--sheet", "CDR")


def test_an_optional_column_mapped_to_a_column_the_file_lacks_is_refused(tmp_path, new_case, capsys):
    """'duration_s=DUR' on a file whose column is DURATION imported every call without a duration
    (DURATION kept aside as an unknown column), without a word."""
    f = tmp_path / "cdr.csv"
    f.write_bytes(b"A,B,T,DURATION\n0812,0813,2026-09-28T21:14:05,60\n")
    assert refused(capsys, new_case, f, "--kind", "calls", "--producer-country", "ID", "--timezone", "Asia/Makassar",
                   "--map", "caller=A,callee=B,start=T,duration_s=DUR") == [
        (None, "duration_s (mapped to 'DUR')", "mapped to a column the file does not have (its columns: A, B, T, "
                                               "DURATION)")]


def test_times_before_1900_or_after_the_import_day_are_kept_with_a_warning(tmp_path, new_case, capsys):
    """'0001-01-01T00:00:00Z' (a placeholder) and a call in 2090 (a year typed wrong) were imported
    without a word; they are kept as written (an offline workstation's clock may be wrong itself)."""
    calls = (b"caller,callee,start\n0812,0813,2026-09-28T21:14:05\n0812,0813,0001-01-01T00:00:00Z\n"
             b"0812,0813,2090-09-28T21:14:05\n")
    res = imported(capsys, new_case, bundle(tmp_path, "data/c.csv", "calls", "csv", calls), "--allow-unsigned")
    assert res["warnings"] == ["2 time(s) of data/c.csv (start) lie before 1900 or after the day of the import "
                               "(kept as written): row 3 0001-01-01T00:00:00Z, row 4 2090-09-28T21:14:05"]
    assert query(new_case, "SELECT count(*) FROM calls") == [(3,)]


def test_a_date_alone_in_a_time_column_is_kept_with_a_warning(tmp_path, new_case, capsys):
    """A call whose start is a date without a time of day was read as local midnight without a word:
    counted by hour, or put in order beside calls of that day, it stands where it did not happen."""
    calls = b"caller,callee,start\n0812,0813,2026-09-28T21:14:05\n0812,0813,2026-09-28\n0812,0813,2026-09-29 08:00\n"
    res = imported(capsys, new_case, bundle(tmp_path, "data/c.csv", "calls", "csv", calls), "--allow-unsigned")
    assert res["warnings"] == ["1 time(s) of data/c.csv (start) are a date without a time of day, read as 00:00 "
                               "local time (kept as written): row 3 2026-09-28"]
    assert query(new_case, "SELECT start, start_utc FROM calls WHERE source_row = 3") == [
        ("2026-09-28", dt.datetime(2026, 9, 27, 16, 0))]


def test_whole_number_cells_read_as_the_sheet_shows_them_and_long_ones_warned_about(tmp_path, new_case, capsys):
    """A number cell Excel stores as 1.234567890123456E+15 (an account number typed as a number) was
    imported as the account '1234567890123456.0'; a spreadsheet keeps 15 significant digits, so the
    last digits of such numbers may be gone, and nothing said so."""

    f = _sheet(tmp_path / "t.xlsx", [["FROM", "TO", "T", "AMT", "CUR"],
                                     [1234567890123456, "A-2", "2026-09-28T10:00:00", 1500, "IDR"],
                                     [81234567890, "A-2", "2026-09-28T10:00:00", 2500.5, "IDR"]])
    excel = _as_excel_writes(f, tmp_path / "excel.xlsx", {b"1234567890123456": b"1.234567890123456E+15",
                                                           b"81234567890": b"81234567890.0"})
    res = imported(capsys, new_case, excel, "--kind", "transfers", "--producer-country", "ID", "--timezone",
                   "Asia/Makassar", "--map", "from_account=FROM,to_account=TO,time=T,amount=AMT,currency=CUR")
    assert res["warnings"] == ["1 number cell(s) of 16 digits or more: a spreadsheet keeps 15 significant digits, "
                               "so their last digits may be lost (an account, IMEI or card number should be stored "
                               "as text): row 2 FROM"]
    assert query(new_case, "SELECT from_account, CAST(amount AS VARCHAR) FROM transfers ORDER BY source_row") == [
        ("1234567890123456", "1500.0000"), ("81234567890", "2500.5000")]


def test_whole_numbers_stored_as_floats_are_their_digits_not_another_number(tmp_path, new_case, capsys):
    """A phone or account column of a data frame with gaps is written as floats: the JSON number
    6281234567890.0 became the caller '6281234567890.0' and, read as a number of Indonesia,
    +62812345678900 (another number); the Parquet account 1234567890.0 became 12345678900."""
    lines = (b'{"caller":6281234567890.0,"callee":"0813-1111-2222","start":"2026-09-28T21:14:05"}\n'
             b'{"caller":"0812-3456-7890","callee":"0813-1111-2222","start":"2026-09-28T21:14:05"}\n')
    imported(capsys, new_case, bundle(tmp_path, "data/c.jsonl", "calls", "jsonl", lines), "--allow-unsigned")
    assert query(new_case, "SELECT caller, caller_e164 FROM calls ORDER BY source_row") == [
        ("6281234567890", "+6281234567890"), ("0812-3456-7890", "+6281234567890")]
    accounts = pa.table({"owner": ["P-1", "P-1"], "kind": ["bank_account", "passport"],
                         "value": pa.array([1234567890.0, 7654321.5], pa.float64())})
    b = write_bundle(tmp_path / "i.zip", [("data/p.csv", "persons", "csv", b"id,name\nP-1,Budi\n"),
                                           ("data/i.parquet", "identifiers", "parquet", parquet_bytes(accounts))])
    imported(capsys, new_case, b, "--allow-unsigned")
    assert query(new_case, "SELECT value, value_norm FROM identifiers ORDER BY source_row") == [
        ("1234567890", "1234567890"), ("7654321.5", "76543215")]


def test_json_lines_whose_rows_disagree_on_a_type_keep_strings_as_written(tmp_path, new_case, capsys):
    """One row's id a number, the others' strings: DuckDB types the column JSON, and the strings were
    stored with their JSON quotes ('"P-1"'), so the identifier of P-1 was refused as referring to no
    person, and a number '"0812-3456-7890"' had no E.164."""
    persons = b'{"id":"P-1","name":"Budi","notes":"text"}\n{"id":2,"name":"Ani","notes":12}\n'
    identifiers = b'{"owner":"P-1","kind":"phone","value":"0812-3456-7890"}\n{"owner":"2","kind":"phone","value":81311112222}\n'
    b = write_bundle(tmp_path / "j.zip", [("data/p.jsonl", "persons", "jsonl", persons),
                                           ("data/i.jsonl", "identifiers", "jsonl", identifiers)])
    imported(capsys, new_case, b, "--allow-unsigned")
    assert query(new_case, "SELECT id, name, notes FROM persons ORDER BY source_row") == [
        ("P-1", "Budi", "text"), ("2", "Ani", "12")]
    assert query(new_case, "SELECT owner, value, value_norm FROM identifiers ORDER BY source_row") == [
        ("P-1", "0812-3456-7890", "+6281234567890"), ("2", "81311112222", "+6281311112222")]


def test_a_column_named_in_another_case_is_said_not_read(tmp_path, new_case, capsys):
    """Names are matched exactly: 'Caller' was refused as a missing 'caller' without a hint, and a
    'DURATION_S' column was kept aside as an unknown one, every duration empty, without a word."""
    calls = b"Caller,callee,start\n0812,0813,2026-09-28T21:14:05\n"
    assert refused(capsys, new_case, bundle(tmp_path, "data/c.csv", "calls", "csv", calls), "--allow-unsigned") == [
        (None, "caller", "required column missing for kind 'calls' (the file has 'Caller': names are matched exactly)")]
    calls = b"caller,callee,start,DURATION_S\n0812,0813,2026-09-28T21:14:05,60\n"
    res = imported(capsys, new_case, bundle(tmp_path, "data/c.csv", "calls", "csv", calls, "d.zip"), "--allow-unsigned")
    assert res["warnings"] == ["data/c.csv: the column 'DURATION_S' is not read as 'duration_s' (names are matched "
                               "exactly; it is kept as an extra column)"]
    assert query(new_case, "SELECT duration_s, extra FROM calls") == [(None, '{"DURATION_S":"60"}')]


def test_numbers_written_with_other_digits_spaces_dashes_or_marks_are_normalised(tmp_path, new_case, capsys):
    """Full-width or Arabic-Indic digits, a thin space, an en dash, a non-breaking hyphen, the bidi
    marks a chat export puts around a number, a stray byte-order mark: each number had no E.164
    (and no warning), so the same phone was not met in the other sources."""
    written = ["0812\u20093456\u20097890", "\uff10\uff18\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10",
               "\u0660\u0668\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660",
               "\u202a+62 812 3456 7890\u202c", "+62\u2011812\u20113456\u20117890", "\ufeff0812-3456-7890",
               "0812\u20133456\u20137890"]
    calls = "caller,callee,start\n" + "".join(f"{w},0813-1111-2222,2026-09-28T21:14:05\n" for w in written)
    imported(capsys, new_case, bundle(tmp_path, "data/c.csv", "calls", "csv", calls.encode()), "--allow-unsigned")
    assert query(new_case, "SELECT caller, caller_e164 FROM calls ORDER BY source_row") == [
        (w, "+6281234567890") for w in written]
    persons = b"id,name\nP-1,Budi\n"
    identifiers = "owner,kind,value\nP-1,passport,\uff23\uff17\uff16\uff15\uff14\uff13\uff12\uff11\n".encode()
    b = write_bundle(tmp_path / "i.zip", [("data/p.csv", "persons", "csv", persons),
                                           ("data/i.csv", "identifiers", "csv", identifiers)])
    imported(capsys, new_case, b, "--allow-unsigned")
    assert query(new_case, "SELECT value_norm FROM identifiers") == [("C7654321",)]


def test_names_that_show_otherwise_or_hold_nothing_to_match_are_warned_about(tmp_path, new_case, capsys):
    """A right-to-left override made '\\u202einA' show as 'Ani' while it is searched and matched as
    'ina'; a name of a zero-width space alone passed as a name and matched no one; both without a word."""
    persons = "id,name\nP-1,Budi\nP-2,\u202einA\u202c\nP-3,\u200b\nP-4,Ani\u0007\nP-5,\u0645\u062d\u0645\u062f\u200f\n".encode()
    res = imported(capsys, new_case, bundle(tmp_path, "data/p.csv", "persons", "csv", persons), "--allow-unsigned")
    assert res["warnings"] == [
        "2 name(s) of data/p.csv (name) hold control characters or bidi overrides, so they show otherwise than "
        "they are written (kept as written): row 3, 5",
        "1 name(s) of data/p.csv (name) hold no letter or digit, so they match no one (kept as written): row 4"]
    assert query(new_case, "SELECT count(*) FROM persons") == [(5,)]


def test_a_followthemoney_payment_dated_to_the_year_is_kept_as_a_generic_entity(tmp_path, new_case, capsys):
    """FtM dates may stop at the year or month; a Payment dated '2026' refused the whole file as 'not
    an ISO 8601 timestamp: 2026'.  No transfer time can be made of it: the Payment is kept as a generic
    entity, as one without a date is, and the warning says so; a date that is no date is still refused."""
    person = {"id": "p1", "schema": "Person", "properties": {"name": ["Budi"]}}

    def payment(date: str) -> dict:
        return {"id": "pay", "schema": "Payment", "properties": {"payer": ["p1"], "beneficiary": ["p1"],
                                                                  "date": [date], "amount": ["1500"],
                                                                  "currency": ["EUR"]}}
    args = ("--format", "ftm", "--tlp", "AMBER", "--producer-country", "ID")
    f = tmp_path / "year.ijson"
    f.write_text(json.dumps(person) + "\n" + json.dumps(payment("2026")) + "\n")
    res = imported(capsys, new_case, f, *args)
    assert res["rows"] == {"persons": 1, "objects": 1}
    assert res["warnings"][-1].startswith("1 Payment entity lacked what the matching canonical kind needs")
    g = tmp_path / "bad.ijson"
    g.write_text(json.dumps(person) + "\n" + json.dumps(payment("2026-02-30")) + "\n")
    assert refused(capsys, new_case, g, *args) == [(2, "time", "not an ISO 8601 timestamp: 2026-02-30")]
