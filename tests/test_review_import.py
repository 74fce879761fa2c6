"""Review of issue 3 from the outside: bundles, keys and imports as an analyst or a partner
would use them (real bundles written by hand here, real case files, the `lintas` command)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import uuid
import zipfile
from pathlib import Path

import pytest

from workstation.case import Case
from workstation.cli import main

from .importing import snapshot


# -- a bundle writer of its own (no Lintas code), as a partner agency would write one ----------
def write_bundle(out: Path, tables, attachments=(), *, tz: str | None = "Asia/Jakarta", country: str = "ID",
                 bundle_id: str | None = None, extra_files: dict | None = None) -> Path:
    """``tables``: (path, kind, format, bytes); ``attachments``: (path, bytes, describes).
    A ``.zip`` name writes a ZIP, any other a directory bundle."""
    manifest = {"format": "lintas-bundle/1", "bundle_id": bundle_id or str(uuid.uuid4()),
                "title": "review bundle", "created_at": "2026-11-20T10:15:00+08:00",
                "producer": {"agency": "Polres Review", "country": country},
                "handling": {"tlp": "AMBER"}, "tables": [], "attachments": []}
    if tz:
        manifest["default_timezone"] = tz
    files = {}
    for path, kind, fmt, data in tables:
        manifest["tables"].append({"path": path, "kind": kind, "format": fmt,
                                   "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
        files[path] = data
    for path, data, describes in attachments:
        manifest["attachments"].append({"path": path, "sha256": hashlib.sha256(data).hexdigest(),
                                        "bytes": len(data), "describes": describes})
        files[path] = data
    members = {"manifest.json": json.dumps(manifest, indent=2).encode() + b"\n", **files,
               **(extra_files or {})}
    if out.suffix == ".zip":
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members.items():
                z.writestr(name, data)
    else:
        for name, data in members.items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(data)
    return out


def lintas(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main([str(a) for a in argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def query(path: Path, sql: str, params=()) -> list[tuple]:
    with Case.open(path, read_only=True) as case:
        return case.cursor().execute(sql, list(params)).fetchall()


# -- timestamps --------------------------------------------------------------------------------
def test_zone_name_after_a_naive_timestamp_is_refused_not_ignored(tmp_path, new_case, capsys):
    """'21:14:05 WITA' in a bundle whose default zone is WIB was read as 21:14 WIB (an hour
    off), and '21:14:05 UTC' as 21:14 WIB (seven hours off): the zone name was dropped."""
    calls = (b"caller,callee,start\n"
             b"0812-3456-7890,+62 812 3456 7890,2026-09-28 21:14:05 WITA\n"
             b"0812-3456-7890,+62 812 3456 7890,2026-09-28 21:14:05 UTC\n"
             b"0812-3456-7890,+62 812 3456 7890,2026-09-28T21:14:05\n")
    b = write_bundle(tmp_path / "zones.zip", [("data/calls.csv", "calls", "csv", calls)])
    before = snapshot(new_case)
    rc, out, err = lintas(capsys, "import", new_case, b, "--allow-unsigned", "--json")
    res = json.loads(out)
    assert rc == 1 and res["imported"] is False
    bad = {(p["row"], p["column"]) for p in res["problems"]}
    assert bad == {(2, "start"), (3, "start")}
    assert all("not an ISO 8601 timestamp" in p["reason"] for p in res["problems"])
    assert snapshot(new_case) == before
    # the naive row alone is read in the default zone (WIB, UTC+7)
    ok = write_bundle(tmp_path / "naive.zip", [("data/calls.csv", "calls", "csv",
                                                b"caller,callee,start\n0812,0813,2026-09-28T21:14:05\n")])
    assert lintas(capsys, "import", new_case, ok, "--allow-unsigned")[0] == 0
    assert query(new_case, "SELECT CAST(start_utc AS VARCHAR) FROM calls") == [("2026-09-28 14:14:05",)]


# -- unknown columns are kept ------------------------------------------------------------------
def test_producer_columns_named_like_internal_ones_are_kept(tmp_path, new_case, capsys):
    """A partner CSV with columns 'source_row', 'extra' and 'handling_key' lost all three:
    'source_row' and a non-JSON 'extra' were dropped, 'handling_key' was taken as a row handling."""
    persons = b"id,name,source_row,extra,handling_key\nP-001,Budi,77,hello,k1\n"
    b = write_bundle(tmp_path / "cols.zip", [("data/persons.csv", "persons", "csv", persons)])
    assert lintas(capsys, "import", new_case, b, "--allow-unsigned")[0] == 0
    (extra, row, hid), = query(new_case, "SELECT extra, source_row, handling_id FROM persons")
    assert json.loads(extra) == {"source_row": "77", "extra": "hello", "handling_key": "k1"}
    assert row == 2 and hid is None


def test_xlsx_with_a_repeated_column_name_is_refused_naming_it(tmp_path, new_case, capsys):
    """Two XLSX columns of one name: the second silently replaced the first."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["A_NUMBER", "B_NUMBER", "START", "note", "note"])
    wb.active.append(["0812-3456-7890", "0813-1111-2222", "2026-09-28T21:14:05", "first", "second"])
    wb.save(tmp_path / "cdr.xlsx")
    before = snapshot(new_case)
    rc, out, _ = lintas(capsys, "import", new_case, tmp_path / "cdr.xlsx", "--kind", "calls", "--map",
                        "caller=A_NUMBER,callee=B_NUMBER,start=START", "--producer-country", "ID",
                        "--timezone", "Asia/Makassar", "--json")
    res = json.loads(out)
    assert rc == 1 and res["imported"] is False
    assert res["problems"] == [{"file": "cdr.xlsx", "row": 1, "column": "note",
                                "reason": "column 5 of the header repeats the name 'note'; rename it"}]
    assert snapshot(new_case) == before


# -- machine-readable refusals -----------------------------------------------------------------
@pytest.mark.parametrize("args, column, reason", [
    (["--mapping", "nosuch"], "mapping", "saved mappings: none"),
    (["--kind", "calls", "--map", "caller"], None, "cannot read 'caller'"),
    (["--save-mapping", "m1"], "kind", "a mapping is saved with its kind: give --kind"),
])
def test_import_json_refusal_before_reading_has_the_contract_shape(tmp_path, new_case, capsys, args, column,
                                                                    reason):
    """Refusals of the options printed {"error": "..."} (and a Python dict in the text), not
    {"imported": false, "problems": [...]} as the issue and docs/cli-json.md give."""
    f = tmp_path / "cdr.csv"
    f.write_text("A,B,T\n0812,0813,2026-09-28T21:14:05+07:00\n")
    before = snapshot(new_case)
    rc, out, _ = lintas(capsys, "import", new_case, f, *args, "--json")
    res = json.loads(out)
    assert rc == 1
    assert res["input"] == str(f) and res["imported"] is False and res["problem_count"] == 1
    assert res["problems"] == [{"file": str(f), "row": None, "column": column, "reason": reason}]
    rc, out, err = lintas(capsys, "import", new_case, f, *args)
    assert rc == 1 and "NOT imported" in err and reason in err and "{'file'" not in err
    assert snapshot(new_case) == before


def test_import_json_refusal_of_a_missing_case(tmp_path, capsys):
    f = tmp_path / "cdr.csv"
    f.write_text("A,B,T\n0812,0813,2026-09-28T21:14:05+07:00\n")
    rc, out, _ = lintas(capsys, "import", tmp_path / "none.lintas", f, f, "--json")
    res = json.loads(out)
    assert rc == 1 and [r["imported"] for r in res] == [False, False]
    assert "no such case file" in res[0]["problems"][0]["reason"]
    assert not (tmp_path / "none.lintas").exists()


# -- the same bundle twice ---------------------------------------------------------------------
def test_same_bundle_as_directory_or_rezipped_is_recognised_not_called_different(tmp_path, new_case, capsys):
    """The same manifest (so the same files, by their SHA-256) packed as a directory, or zipped
    again by another tool, was refused as 'bundle_id reused with different content'."""
    calls = b"caller,callee,start\n0812-3456-7890,+62 812 3456 7890,2026-09-28T21:14:05\n"
    tables = [("data/calls.csv", "calls", "csv", calls)]
    z = write_bundle(tmp_path / "b.zip", tables, bundle_id="review-same-1")
    d = write_bundle(tmp_path / "b_dir", tables, bundle_id="review-same-1")
    stored = tmp_path / "b_stored.zip"
    with zipfile.ZipFile(z) as src, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as dst:
        for name in reversed(src.namelist()):
            dst.writestr(name, src.read(name))
    assert lintas(capsys, "import", new_case, z, "--allow-unsigned")[0] == 0
    for again in (d, stored):
        rc, out, _ = lintas(capsys, "import", new_case, again, "--allow-unsigned", "--json")
        res = json.loads(out)
        assert rc == 1 and res["imported"] is False and res["already_imported_as"] == 1, res
    assert query(new_case, "SELECT count(*) FROM calls") == [(1,)]
    # a different bundle under the same id is still refused as such
    other = write_bundle(tmp_path / "other.zip", [("data/calls.csv", "calls", "csv", calls + calls[-55:])],
                         bundle_id="review-same-1")
    rc, out, _ = lintas(capsys, "import", new_case, other, "--allow-unsigned", "--json")
    res = json.loads(out)
    assert rc == 1 and res["problems"][0]["column"] == "bundle_id"
    assert "bundle_id reused with different content" in res["problems"][0]["reason"]


# -- keys --------------------------------------------------------------------------------------
def test_keyring_is_written_readable_only_by_its_owner(tmp_path, capsys):
    """keyring.json followed the umask (0666 under umask 000): anyone could add a trusted key."""
    old = os.umask(0)
    try:
        rc, out, _ = lintas(capsys, "keys", "new", "Polres Review", "--out", tmp_path / "k.pem", "--json")
    finally:
        os.umask(old)
    assert rc == 0
    ring = Path(os.environ["LINTAS_CONFIG_DIR"]) / "keyring.json"
    assert json.loads(ring.read_text())["keys"][0]["key_id"] == json.loads(out)["key_id"]
    assert stat.S_IMODE(ring.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "k.pem").stat().st_mode) == 0o600


def test_keys_new_into_a_missing_folder_is_a_clear_refusal(tmp_path, capsys):
    """It was an internal error (exit 70, FileNotFoundError in the log)."""
    rc, _, err = lintas(capsys, "keys", "new", "X", "--out", tmp_path / "nofolder" / "k.pem")
    assert rc == 1
    assert "cannot write the key file" in err and "internal error" not in err
    assert not (tmp_path / "nofolder").exists()


# -- unreadable files are named by row, never by a temporary path --------------------------------
def test_ragged_csv_names_the_row_not_a_temporary_path(tmp_path, new_case, capsys):
    """A CSV record with more fields than the header was refused as 'Error when sniffing file
    "/tmp/lintas-bundle-…/data/persons.csv"', with no row."""
    persons = b"id,name\nP-000,Ani\nP-001,Budi,extra\nP-002,Cici\n"
    b = write_bundle(tmp_path / "ragged.zip", [("data/persons.csv", "persons", "csv", persons)])
    before = snapshot(new_case)
    rc, out, _ = lintas(capsys, "import", new_case, b, "--allow-unsigned", "--json")
    res = json.loads(out)
    assert rc == 1
    assert res["problems"] == [{"file": "data/persons.csv", "row": 3, "column": None,
                                "reason": "malformed CSV row: 3 fields, the header has 2"}]
    assert snapshot(new_case) == before


def test_malformed_json_line_names_its_line_not_a_temporary_path(tmp_path, new_case, capsys):
    lines = b'{"id": "P-1", "name": "A"}\n{"id": "P-2", "name": "B"}\n{"id": "P-3",\n'
    b = write_bundle(tmp_path / "jl.zip", [("data/persons.jsonl", "persons", "jsonl", lines)])
    rc, out, _ = lintas(capsys, "import", new_case, b, "--allow-unsigned", "--json")
    (p,) = json.loads(out)["problems"]
    assert rc == 1 and p["file"] == "data/persons.jsonl" and p["row"] == 3
    assert p["reason"].startswith("not a JSON object: ") and "lintas-bundle-" not in p["reason"]


def test_jsonl_list_column_when_rows_disagree_on_its_type(tmp_path, new_case, capsys):
    """Aliases as JSON arrays came out as one alias holding the array's JSON text
    ('["x","y"]') as soon as another row wrote a string, and '"x"' (quoted) in an array of
    mixed items."""
    lines = (b'{"id": "P-1", "name": "A", "aliases": ["Budi", "Bud"]}\n'
             b'{"id": "P-2", "name": "B", "aliases": "Ani;Annie"}\n'
             b'{"id": "P-3", "name": "C"}\n')
    mixed = b'{"id": "P-4", "name": "D", "aliases": ["Cici", 7]}\n'
    b = write_bundle(tmp_path / "jl.zip", [("data/p.jsonl", "persons", "jsonl", lines),
                                           ("data/m.jsonl", "persons", "jsonl", mixed)])
    rc, out, err = lintas(capsys, "import", new_case, b, "--allow-unsigned")
    assert rc == 0, err
    assert query(new_case, "SELECT id, aliases FROM persons ORDER BY id") == [
        ("P-1", ["Budi", "Bud"]), ("P-2", ["Ani", "Annie"]), ("P-3", []), ("P-4", ["Cici", "7"])]


# -- bundle verify -----------------------------------------------------------------------------
def test_zip_over_the_entry_limit_reports_that_alone(tmp_path, capsys):
    """Besides the entry limit, verify reported 'manifest.json: missing', which it was not."""
    from workstation.bundle import MAX_ENTRIES

    calls = b"caller,callee,start\n0812,0813,2026-09-28T21:14:05\n"
    b = write_bundle(tmp_path / "many.zip", [("data/calls.csv", "calls", "csv", calls)],
                     extra_files={f"f/{i}.txt": b"" for i in range(MAX_ENTRIES)})
    rc, out, _ = lintas(capsys, "bundle", "verify", b, "--allow-unsigned", "--json")
    res = json.loads(out)
    assert rc == 1 and res["valid"] is False
    assert res["problems"] == [{"file": "many.zip", "row": None, "column": None,
                                "reason": f"the ZIP has {MAX_ENTRIES + 2} entries, more than the limit of "
                                          f"{MAX_ENTRIES} (zip bomb protection)"}]


def test_csv_header_repeating_a_column_is_refused_naming_it(tmp_path, new_case, capsys):
    """'id,name,name': the second 'name' was renamed 'name_1' and the first taken as the name,
    without a word, where the producer may have meant either."""
    persons = b"id,name,name\nP-001,Budi,Bob\n"
    b = write_bundle(tmp_path / "dup.zip", [("data/persons.csv", "persons", "csv", persons)])
    before = snapshot(new_case)
    rc, out, _ = lintas(capsys, "import", new_case, b, "--allow-unsigned", "--json")
    res = json.loads(out)
    assert rc == 1
    assert res["problems"] == [{"file": "data/persons.csv", "row": 1, "column": "name",
                                "reason": "column 'name' appears more than once in the header"}]
    assert snapshot(new_case) == before


def test_zip_member_typed_as_a_directory_is_not_read_as_a_file(tmp_path, capsys):
    """docs/bundle-format.md: Unix type bits must say 'regular file' (or be zero); a member whose
    bits say 'directory' but whose name has no '/' was accepted and read as a file."""
    calls = b"caller,callee,start\n0812,0813,2026-09-28T21:14:05\n"
    good = write_bundle(tmp_path / "good.zip", [("data/calls.csv", "calls", "csv", calls)])
    bad = tmp_path / "dirtype.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "data/calls.csv":
                info.external_attr = (0o40755 << 16) | 0x10
            dst.writestr(info, data)
    rc, out, _ = lintas(capsys, "bundle", "verify", bad, "--allow-unsigned", "--json")
    res = json.loads(out)
    assert rc == 1 and res["valid"] is False
    assert {"file": "data/calls.csv", "row": None, "column": None, "reason": "not a regular file"} in res["problems"]
    assert lintas(capsys, "bundle", "verify", good, "--allow-unsigned")[0] == 0


# -- countries by name -------------------------------------------------------------------------
def test_countries_as_indonesian_records_and_the_un_write_them(tmp_path, new_case, capsys):
    """'Tiongkok', 'RRC', 'Inggris' (Indonesian) and 'Viet Nam' (the UN's spelling) were not
    recognised: kept without an ISO code, with a warning."""
    persons = (b"id,name,nationality\nP-1,Li Wei,Tiongkok\nP-2,Zhang,RRC\nP-3,John,Inggris\n"
               b"P-4,Nguyen,Viet Nam\nP-5,Budi,Indonesia\n")
    b = write_bundle(tmp_path / "c.zip", [("data/persons.csv", "persons", "csv", persons)])
    rc, out, _ = lintas(capsys, "import", new_case, b, "--allow-unsigned", "--json")
    assert rc == 0 and json.loads(out)["warnings"] == []
    assert query(new_case, "SELECT id, nationality_iso FROM persons ORDER BY id") == [
        ("P-1", "CN"), ("P-2", "CN"), ("P-3", "GB"), ("P-4", "VN"), ("P-5", "ID")]


def test_bundle_zipped_with_its_folder_says_so(tmp_path, new_case, capsys):
    """Zipping the bundle's folder instead of its contents (manifest at 'pkg/manifest.json') gave
    'no importer recognises this file' and a list of every importer."""
    calls = b"caller,callee,start\n0812,0813,2026-09-28T21:14:05\n"
    d = write_bundle(tmp_path / "pkg", [("data/calls.csv", "calls", "csv", calls)])
    z = tmp_path / "nested.zip"
    with zipfile.ZipFile(z, "w") as out:
        for f in sorted(d.rglob("*")):
            if f.is_file():
                out.write(f, f"pkg/{f.relative_to(d).as_posix()}")
    rc, out, _ = lintas(capsys, "import", new_case, z, "--allow-unsigned", "--json")
    res = json.loads(out)
    assert rc == 1 and res["imported"] is False
    reasons = [p["reason"] for p in res["problems"] if p["file"] == "manifest.json"]
    assert reasons == ["missing: every bundle has a manifest.json at its root (there is one in 'pkg/': pack "
                       "the folder's contents, not the folder)"]


# -- --skip-bad-rows ---------------------------------------------------------------------------
def test_skip_bad_rows_sets_aside_rows_referring_to_a_set_aside_person(tmp_path, new_case, capsys):
    """With --skip-bad-rows, a person set aside (bad birth date) left its identifiers and travel
    imported with the person's entity id, an entity the case does not hold; the next import gave
    that id to another source's person, so the numbers read as that person's."""
    persons = b"id,name,birth_date\nP-1,Budi,1980-13\nP-2,Ani,1981\n"
    idents = b"owner,kind,value\nP-1,phone,0812-3456-7890\nP-2,phone,0813-1111-2222\n"
    travel = b"time,kind,person\n2026-09-28T10:00:00,departure,P-1\n2026-09-28T11:00:00,departure,P-2\n"
    b = write_bundle(tmp_path / "a.zip", [("data/p.csv", "persons", "csv", persons),
                                          ("data/i.csv", "identifiers", "csv", idents),
                                          ("data/t.csv", "travel", "csv", travel)])
    rc, out, _ = lintas(capsys, "import", new_case, b, "--allow-unsigned", "--skip-bad-rows", "--json")
    res = json.loads(out)
    assert rc == 0 and res["rows"] == {"persons": 1, "identifiers": 1, "travel": 1} and res["rejected"] == 3
    assert query(new_case, 'SELECT file, "row", "column", reason FROM rejects ORDER BY file') == [
        ("data/i.csv", 2, "owner", "refers to P-1, whose own row is set aside (data/p.csv, row 2)"),
        ("data/p.csv", 2, "birth_date", "not a date (YYYY, YYYY-MM or YYYY-MM-DD): 1980-13"),
        ("data/t.csv", 2, "person", "refers to P-1, whose own row is set aside (data/p.csv, row 2)")]
    other = write_bundle(tmp_path / "b.zip", [("data/p.csv", "persons", "csv", b"id,name\nX-1,Someone\nX-2,Else\n")])
    assert lintas(capsys, "import", new_case, other, "--allow-unsigned")[0] == 0
    # every reference is to an entity of its own source
    assert query(new_case, "SELECT i.value, e.source_id, e.local_id FROM identifiers i "
                           "LEFT JOIN entities e ON e.entity_id = i.owner_entity_id") == [("0813-1111-2222", 1, "P-2")]
    assert query(new_case, "SELECT t.person, e.local_id FROM travel t "
                           "LEFT JOIN entities e ON e.entity_id = t.person_entity_id") == [("P-2", "P-2")]


# -- plain files -------------------------------------------------------------------------------
def test_plain_file_releasable_to_is_checked_as_a_manifest_is(tmp_path, new_case, capsys):
    """--releasable-to XX,Malaysia was stored as ['XX', 'MALAYSIA']: no recipient code, so the
    rows were releasable to nobody real (a manifest with these values is refused)."""
    f = tmp_path / "cdr.csv"
    f.write_text("A,B,T\n0812-3456-7890,0813-1111-2222,2026-09-28T21:14:05\n")
    args = ["import", new_case, f, "--kind", "calls", "--map", "caller=A,callee=B,start=T",
            "--producer-country", "ID", "--timezone", "Asia/Makassar", "--json"]
    before = snapshot(new_case)
    rc, out, _ = lintas(capsys, *args, "--releasable-to", "XX,Malaysia")
    res = json.loads(out)
    assert rc == 1 and res["problems"] == [
        {"file": "cdr.csv", "row": None, "column": "releasable-to",
         "reason": "unknown recipient 'XX' (an ISO 3166-1 alpha-2 code or INTERPOL, EUROPOL, ASEANAPOL)"}]
    assert snapshot(new_case) == before
    rc, out, _ = lintas(capsys, *args, "--releasable-to", "my,Malaysia,interpol")
    assert rc == 0
    assert query(new_case, "SELECT releasable_to FROM sources") == [(["MY", "INTERPOL"],)]


def test_bundle_verify_text_reports_the_format(tmp_path, capsys):
    """The issue: verify reports format, producer, handling, files, signer; the text gave no format."""
    calls = b"caller,callee,start\n0812,0813,2026-09-28T21:14:05\n"
    b = write_bundle(tmp_path / "b.zip", [("data/calls.csv", "calls", "csv", calls)], bundle_id="review-fmt-1")
    rc, out, _ = lintas(capsys, "bundle", "verify", b, "--allow-unsigned")
    assert rc == 0
    assert "  format    lintas-bundle/1  bundle_id review-fmt-1" in out.splitlines()
    assert "producer" in out and "TLP:AMBER" in out and "data/calls.csv" in out and "signer" in out


def test_unknown_manifest_fields_are_warned_about_as_the_docs_say(tmp_path, new_case, capsys):
    """docs/bundle-format.md: fields not defined are kept and ignored, 'Lintas warns about them';
    neither verify nor import said a word."""
    calls = b"caller,callee,start\n0812,0813,2026-09-28T21:14:05\n"
    d = write_bundle(tmp_path / "b", [("data/calls.csv", "calls", "csv", calls)])
    m = json.loads((d / "manifest.json").read_text())
    m["operation"] = "Mawar"
    (d / "manifest.json").write_text(json.dumps(m, indent=2) + "\n")
    rc, out, _ = lintas(capsys, "bundle", "verify", d, "--allow-unsigned")
    assert rc == 0 and "  warning: operation: unknown field, kept in the manifest" in out.splitlines()
    rc, out, _ = lintas(capsys, "bundle", "verify", d, "--allow-unsigned", "--json")
    assert rc == 0 and json.loads(out)["warnings"] == ["operation: unknown field, kept in the manifest"]
    rc, out, _ = lintas(capsys, "import", new_case, d, "--allow-unsigned", "--json")
    assert rc == 0 and json.loads(out)["warnings"] == ["operation: unknown field, kept in the manifest"]
    assert json.loads(query(new_case, "SELECT manifest FROM sources")[0][0])["operation"] == "Mawar"


def test_utf16_csv_is_refused_as_not_utf8(tmp_path, new_case, capsys):
    """A UTF-16 CSV (as Excel writes 'Unicode text') was refused as 'Error when sniffing file'."""
    b = write_bundle(tmp_path / "u16.zip", [("data/p.csv", "persons", "csv", "id,name\nP-1,Budi\n".encode("utf-16"))])
    rc, out, _ = lintas(capsys, "import", new_case, b, "--allow-unsigned", "--json")
    assert rc == 1 and json.loads(out)["problems"] == [
        {"file": "data/p.csv", "row": None, "column": None,
         "reason": "not UTF-8 text (lintas-bundle/1 CSV files are UTF-8)"}]


def test_empty_json_lines_table_imports_as_no_rows(tmp_path, new_case, capsys):
    """An empty table written as an empty JSON-lines file (zero lines are zero objects) was
    refused with DuckDB's 'json_read expected records, but got non-record JSON instead'; an
    empty CSV table (header only) imports as zero rows."""
    b = write_bundle(tmp_path / "e.zip", [("data/p.jsonl", "persons", "jsonl", b""),
                                          ("data/t.jsonl", "transfers", "jsonl", b"\n\n"),
                                          ("data/c.csv", "calls", "csv", b"caller,callee,start\n")])
    rc, out, err = lintas(capsys, "import", new_case, b, "--allow-unsigned", "--json")
    assert rc == 0, out
    assert json.loads(out)["rows"] == {"persons": 0, "transfers": 0, "calls": 0}
    assert query(new_case, "SELECT path, rows FROM source_files ORDER BY path") == [
        ("data/c.csv", 0), ("data/p.jsonl", 0), ("data/t.jsonl", 0)]


def test_semicolon_separated_csv_says_why_columns_are_missing(tmp_path, new_case, capsys):
    """A CSV separated by ';' (as spreadsheets write it where ',' is the decimal comma, as in
    Indonesia) was refused with 'required column missing' alone, for columns plainly in it."""
    b = write_bundle(tmp_path / "sc.zip", [("data/p.csv", "persons", "csv", b"id;name\nP-1;Budi\n")])
    rc, out, _ = lintas(capsys, "import", new_case, b, "--allow-unsigned", "--json")
    problems = json.loads(out)["problems"]
    assert rc == 1 and [p["column"] for p in problems] == ["id", "name"]
    assert all(p["reason"] == "required column missing for kind 'persons' (the header is the one column "
                              "'id;name': columns are separated by commas in lintas-bundle/1 CSV)" for p in problems)


def test_a_broken_mapping_is_not_saved(tmp_path, new_case, capsys):
    """--save-mapping kept 'callz' / an unknown column from a refused import, and every later
    --mapping NAME failed on it."""
    f = tmp_path / "cdr.csv"
    f.write_text("A,B,T\n0812-3456-7890,0813-1111-2222,2026-09-28T21:14:05\n")
    rc, out, _ = lintas(capsys, "import", new_case, f, "--kind", "callz", "--map", "caller=A",
                        "--save-mapping", "broken", "--json")
    assert rc == 1 and json.loads(out)["problems"][0]["column"] == "kind"
    rc, out, _ = lintas(capsys, "import", new_case, f, "--kind", "calls", "--map", "caller=A,colour=B",
                        "--save-mapping", "broken", "--json")
    assert rc == 1 and json.loads(out)["problems"][0]["column"] == "colour"
    assert lintas(capsys, "mappings", "--json")[1].strip() == "{}"
    rc, _, _ = lintas(capsys, "import", new_case, f, "--kind", "calls", "--map", "caller=A,callee=B,start=T",
                      "--producer-country", "ID", "--timezone", "Asia/Jayapura", "--save-mapping", "cdr")
    assert rc == 0 and set(json.loads(lintas(capsys, "mappings", "--json")[1])) == {"cdr"}
    # the text listing gives everything the mapping brings, the producer's country too
    assert lintas(capsys, "mappings")[1].strip() == ("cdr: --kind calls --map caller=A,callee=B,start=T "
                                                     "--timezone Asia/Jayapura --producer-country ID")
    assert query(new_case, "SELECT CAST(start_utc AS VARCHAR) FROM calls") == [("2026-09-28 12:14:05",)]


def test_json_lines_rows_are_numbered_by_line_when_blank_lines_come_between(tmp_path, new_case, capsys):
    """docs/sql.md: a JSON-lines row's source_row is its line; blank lines (allowed) made it the
    object's place instead, so a problem named line 3 for an object on line 5."""
    lines = (b'\n{"id": "P-1", "name": "A"}\n\n  \n{"id": "P-2", "name": "B"}\n'
             b'{"id": "P-3", "name": "C", "birth_date": "19xx"}\n\n')
    b = write_bundle(tmp_path / "jl.zip", [("data/p.jsonl", "persons", "jsonl", lines)])
    rc, out, _ = lintas(capsys, "import", new_case, b, "--allow-unsigned", "--json")
    assert rc == 1 and [(p["row"], p["column"]) for p in json.loads(out)["problems"]] == [(6, "birth_date")]
    assert lintas(capsys, "import", new_case, b, "--allow-unsigned", "--skip-bad-rows")[0] == 0
    assert query(new_case, "SELECT id, source_row FROM persons ORDER BY id") == [("P-1", 2), ("P-2", 5)]
    assert query(new_case, 'SELECT "row" FROM rejects') == [(6,)]


def test_rfc3339_lower_case_t_and_z_are_read(tmp_path, new_case, capsys):
    """RFC 3339 (section 5.6, note) allows 't' and 'z'; such timestamps were refused as not ISO 8601."""
    calls = (b"caller,callee,start\n0812,0813,2026-09-28t21:14:05z\n0812,0813,2026-09-28t21:14:05+08:00\n"
             b"0812,0813,2026-09-28t21:14:05\n")
    b = write_bundle(tmp_path / "t.zip", [("data/calls.csv", "calls", "csv", calls)], tz="Asia/Jayapura")
    rc, out, err = lintas(capsys, "import", new_case, b, "--allow-unsigned")
    assert rc == 0, err
    assert query(new_case, "SELECT start, CAST(start_utc AS VARCHAR) FROM calls ORDER BY source_row") == [
        ("2026-09-28t21:14:05z", "2026-09-28 21:14:05"), ("2026-09-28t21:14:05+08:00", "2026-09-28 13:14:05"),
        ("2026-09-28t21:14:05", "2026-09-28 12:14:05")]


# -- numbers -----------------------------------------------------------------------------------
def test_identifier_phone_is_read_in_its_own_country(tmp_path, new_case, capsys):
    """An Indonesian bundle's identifier '012-345 6789' with country MY was normalised to the
    digits '0123456789', never meeting +60123456789 in the Malaysian partner's bundle."""
    idents = (b"owner,kind,value,country\nP-1,phone,012-345 6789,MY\nP-1,phone,012-345 6789,Malaysia\n"
              b"P-1,phone,0812-3456-7890,\nP-1,phone,0812-3456-7891,INTERPOL\n")
    b = write_bundle(tmp_path / "i.zip", [("data/p.csv", "persons", "csv", b"id,name\nP-1,Budi\n"),
                                          ("data/i.csv", "identifiers", "csv", idents)])
    assert lintas(capsys, "import", new_case, b, "--allow-unsigned")[0] == 0
    assert query(new_case, "SELECT value_norm FROM identifiers ORDER BY source_row") == [
        ("+60123456789",), ("+60123456789",), ("+6281234567890",), ("+6281234567891",)]


# -- bundle pack -------------------------------------------------------------------------------
def test_pack_names_a_format_it_cannot_guess(tmp_path, capsys):
    """A table 'data/calls.txt' without 'format' was refused as 'tables[0].format: required field
    missing', though docs/bundle-format.md says pack takes it from the extension."""
    d = tmp_path / "pkg"
    (d / "data").mkdir(parents=True)
    (d / "data" / "calls.txt").write_text("caller,callee,start\n0812,0813,2026-09-28T21:14:05+07:00\n")
    (d / "manifest.json").write_text(json.dumps({
        "title": "t", "producer": {"country": "ID"}, "handling": {"tlp": "GREEN"},
        "tables": [{"path": "data/calls.txt", "kind": "calls"}, {"path": "data/gone.csv", "kind": "calls"}]}))
    rc, _, err = lintas(capsys, "bundle", "pack", d, "--out", tmp_path / "b.zip")
    assert rc == 1 and not (tmp_path / "b.zip").exists()
    lines = [ln.strip() for ln in err.splitlines()[1:]]
    assert lines == ["- manifest.json: tables[0].format: not given, and the extension '.txt' does not tell it: "
                     "write \"format\": \"csv\", \"parquet\" or \"jsonl\"",
                     f"- data/gone.csv: tables[1].path: no such file in {d}"]


def test_date_written_with_time_and_offset_keeps_its_calendar_date(tmp_path, new_case, capsys):
    """valid_from '2026-09-28T03:00:00+07:00' had valid_from_iso '2026-09-27' (the UTC date), and
    '2026-09-28T22:00:00-05:00' '2026-09-29': a date column's ISO form is the date as written."""
    idents = (b"owner,kind,value,valid_from,valid_to\n"
              b"P-1,phone,0812,2026-09-28T03:00:00+07:00,2026-09-28T22:00:00-05:00\n"
              b"P-1,phone,0813,2026-09,2026-09-30 23:59\n")
    b = write_bundle(tmp_path / "d.zip", [("data/p.csv", "persons", "csv", b"id,name\nP-1,Budi\n"),
                                          ("data/i.csv", "identifiers", "csv", idents)])
    assert lintas(capsys, "import", new_case, b, "--allow-unsigned")[0] == 0
    assert query(new_case, "SELECT valid_from_iso, valid_to_iso FROM identifiers ORDER BY source_row") == [
        ("2026-09-28", "2026-09-28"), ("2026-09", "2026-09-30")]


def test_latitude_and_longitude_out_of_range_are_refused(tmp_path, new_case, capsys):
    """lat 117.5 (a longitude of Borneo in the latitude column) was imported as a latitude."""
    calls = (b"caller,callee,start,lat,lon\n0812,0813,2026-09-28T21:14:05,0.13,117.5\n"
             b"0812,0813,2026-09-28T21:14:05,117.5,0.13\n0812,0813,2026-09-28T21:14:05,-91,-181\n")
    b = write_bundle(tmp_path / "g.zip", [("data/calls.csv", "calls", "csv", calls)])
    rc, out, _ = lintas(capsys, "import", new_case, b, "--allow-unsigned", "--json")
    assert rc == 1
    assert [(p["row"], p["column"], p["reason"]) for p in json.loads(out)["problems"]] == [
        (3, "lat", "not a latitude (-90 to 90): 117.5"), (4, "lat", "not a latitude (-90 to 90): -91"),
        (4, "lon", "not a longitude (-180 to 180): -181")]


def test_nan_and_infinite_numbers_are_refused(tmp_path, new_case, capsys):
    """duration_s 'NaN', 'inf' and '1e400' were imported as NaN and infinity."""
    calls = (b"caller,callee,start,duration_s\n0812,0813,2026-09-28T21:14:05,NaN\n"
             b"0812,0813,2026-09-28T21:14:05,inf\n0812,0813,2026-09-28T21:14:05,1e400\n"
             b"0812,0813,2026-09-28T21:14:05,184\n")
    b = write_bundle(tmp_path / "n.zip", [("data/calls.csv", "calls", "csv", calls)])
    rc, out, _ = lintas(capsys, "import", new_case, b, "--allow-unsigned", "--json")
    assert rc == 1
    assert [(p["row"], p["column"], p["reason"]) for p in json.loads(out)["problems"]] == [
        (2, "duration_s", "not a number: NaN"), (3, "duration_s", "not a number: inf"),
        (4, "duration_s", "not a number: 1e400")]


def test_parquet_with_its_own_file_row_number_column(tmp_path, new_case, capsys):
    """A Parquet table with a column named 'file_row_number' was refused with DuckDB's binder
    error (the name the reader gives its own row numbers)."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(pa.table({"id": ["P-1", "P-2"], "name": ["A", "B"], "file_row_number": [99, 98]}), buf)
    b = write_bundle(tmp_path / "p.zip", [("data/p.parquet", "persons", "parquet", buf.getvalue())])
    rc, _, err = lintas(capsys, "import", new_case, b, "--allow-unsigned")
    assert rc == 0, err
    assert [(r, i, json.loads(x)) for r, i, x in query(new_case, "SELECT source_row, id, extra FROM persons "
                                                                 "ORDER BY id")] == [
        (1, "P-1", {"file_row_number": 99}), (2, "P-2", {"file_row_number": 98})]


def test_identifier_kind_outside_the_design_list_is_refused(tmp_path, new_case, capsys):
    """identifiers.kind is a closed list in DESIGN.md; 'hp' (Indonesian for a mobile) was imported
    and its number kept unnormalised, so it never matched the same number elsewhere."""
    idents = b"owner,kind,value\nP-1,hp,0812-3456-7890\nP-1,Phone,0813-1111-2222\nP-1,EMAIL,A@B.ID\n"
    b = write_bundle(tmp_path / "k.zip", [("data/p.csv", "persons", "csv", b"id,name\nP-1,Budi\n"),
                                          ("data/i.csv", "identifiers", "csv", idents)])
    rc, out, _ = lintas(capsys, "import", new_case, b, "--allow-unsigned", "--json")
    assert rc == 1 and [(p["row"], p["column"], p["reason"]) for p in json.loads(out)["problems"]] == [
        (2, "kind", "unknown identifier kind hp (phone, email, passport, national_id, bank_account, imei, imsi, "
                    "vehicle_plate, social_handle)")]
    assert lintas(capsys, "import", new_case, b, "--allow-unsigned", "--skip-bad-rows")[0] == 0
    assert query(new_case, "SELECT value_norm FROM identifiers ORDER BY source_row") == [
        ("+6281311112222",), ("a@b.id",)]


# -- WIB / WITA / WIT --------------------------------------------------------------------------
def test_indonesian_zone_names_are_answered_with_their_iana_names(tmp_path, new_case, capsys):
    """default_timezone 'WIT' (or --timezone wib) was answered 'e.g. Asia/Makassar' whatever the
    zone: WIT is Asia/Jayapura, WIB Asia/Jakarta."""
    calls = b"caller,callee,start\n0812,0813,2026-09-28T21:14:05\n"
    b = write_bundle(tmp_path / "z.zip", [("data/calls.csv", "calls", "csv", calls)], tz="WIT")
    rc, out, _ = lintas(capsys, "bundle", "verify", b, "--allow-unsigned", "--json")
    assert rc == 1 and json.loads(out)["problems"] == [
        {"file": "manifest.json", "row": None, "column": None,
         "reason": "default_timezone: 'WIT' is not an IANA time zone name (write 'Asia/Jayapura' for WIT)"}]
    f = tmp_path / "cdr.csv"
    f.write_bytes(calls)
    rc, out, _ = lintas(capsys, "import", new_case, f, "--kind", "calls", "--producer-country", "ID",
                        "--timezone", "wib", "--json")
    assert rc == 1 and json.loads(out)["problems"] == [
        {"file": "cdr.csv", "row": None, "column": "timezone", "reason": "unknown time zone 'wib' (write "
                                                                         "Asia/Jakarta for WIB)"}]


# -- amounts with currency ---------------------------------------------------------------------
def test_currency_must_be_an_iso_4217_code(tmp_path, new_case, capsys):
    """currency is ISO 4217 in DESIGN.md; 'Rp', 'RM' and 'idr' were imported as written and never
    compared with the IDR and MYR amounts of other sources."""
    transfers = (b"from_account,to_account,time,amount,currency\n"
                 b"A1,A2,2026-09-28T10:00:00+07:00,49500000,Rp\nA1,A2,2026-09-28T10:00:00+07:00,4900,RM\n"
                 b"A1,A2,2026-09-28T10:00:00+07:00,10,idr\nA1,A2,2026-09-28T10:00:00+07:00,10,US Dollar\n"
                 b"A1,A2,2026-09-28T10:00:00+07:00,10,USD\nA1,A2,2026-09-28T10:00:00+07:00,10,\n")
    b = write_bundle(tmp_path / "t.zip", [("data/t.csv", "transfers", "csv", transfers)])
    rc, out, _ = lintas(capsys, "import", new_case, b, "--allow-unsigned", "--json")
    assert rc == 1 and [(p["row"], p["column"], p["reason"]) for p in json.loads(out)["problems"]] == [
        (2, "currency", "not an ISO 4217 currency code: Rp (write IDR)"),
        (3, "currency", "not an ISO 4217 currency code: RM (write MYR)"),
        (4, "currency", "not an ISO 4217 currency code: idr (write IDR)"),
        (5, "currency", "not an ISO 4217 currency code: US Dollar")]


# -- Ctrl-C ------------------------------------------------------------------------------------
def test_ctrl_c_during_an_import_exits_130_and_leaves_the_case_as_it_was(tmp_path, new_case):
    """Ctrl-C while DuckDB handed over a result (normalising the numbers) ended in 'internal
    error: RuntimeError: Query interrupted', exit 70; elsewhere 'cancelled' exit 1 or exit 130.
    Whenever it comes, the case's contents are unchanged and the exit is 130 (docs/cli-json.md)."""
    import signal
    import subprocess
    import sys
    import time

    f = tmp_path / "cdr.csv"
    with open(f, "w") as out:
        out.write("caller,callee,start\n")
        for i in range(200_000):
            out.write(f"0812{i:08d},0813{i % 997:08d},2026-09-28T{i % 24:02d}:{i % 60:02d}:05\n")
    before = snapshot(new_case)
    lintas_cmd = [sys.executable, "-c", "import sys; from workstation.cli import main; sys.exit(main())"]
    codes = []
    for delay in (0.9, 1.3, 1.7, 2.1):
        p = subprocess.Popen([*lintas_cmd, "import", str(new_case), str(f), "--kind", "calls",
                              "--producer-country", "ID", "--timezone", "Asia/Jakarta"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        time.sleep(delay)
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=60)
        if p.returncode == 0:        # finished before the signal
            break
        if p.returncode == -signal.SIGINT:   # a loaded machine: still starting Python, before main()
            continue
        codes.append(p.returncode)
        assert p.returncode == 130, err
        assert "internal error" not in err
        # the contents; the file's bytes can differ once the write into the case had begun
        assert snapshot(new_case) == before
    assert codes, "every import finished before Ctrl-C; make the file larger"
