"""Importing lintas-bundle/1 bundles: refusals leave the case unchanged; every kind and format
round-trips pack → verify → import; the independent partner example imports as written."""

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from workstation import keys
from workstation.bundle import pack, verify
from workstation.case import Case
from workstation.errors import InputRefused
from workstation.importers import ImportOptions
from workstation.ingest import import_path

from .importing import snapshot

FIX = Path(__file__).parent / "fixtures" / "bundles"
CORPUS = FIX / "malformed"
EXPECTED = json.loads((CORPUS / "EXPECTED.json").read_text())
VALID = {"valid_signed.zip", "valid_unsigned.zip"}


def corpus_keyring():
    return keys.Keyring.load(CORPUS / "keyring.json")


@pytest.fixture(scope="module")
def reference_case(tmp_path_factory):
    """One case, one snapshot, shared by the corpus tests (each restores its own copy)."""
    d = tmp_path_factory.mktemp("ref")
    p = d / "ref.lintas"
    with Case.create(p, "Reference") as c:
        import_path(c, FIX / "example_partner_my.zip", ImportOptions(trust_once=True))
    return p, snapshot(p)


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n not in VALID))
def test_malformed_bundle_refused_and_case_unchanged(name, reference_case, tmp_path):
    ref, before = reference_case
    p = tmp_path / "case.lintas"
    shutil.copy(ref, p)
    expected = EXPECTED[name]
    with Case.open(p) as c, pytest.raises(InputRefused) as e:
        import_path(c, CORPUS / name, ImportOptions(keyring=corpus_keyring()), format="bundle")
    assert any(expected["reason"] in pr["reason"] for pr in e.value.problems), e.value.problems
    assert snapshot(p) == before


def test_valid_corpus_bundle_imports(tmp_path):
    with Case.create(tmp_path / "c.lintas", "C") as c:
        res = import_path(c, CORPUS / "valid_signed.zip", ImportOptions(keyring=corpus_keyring()))
        assert res.imported and res.signature["status"] == "verified"
        with pytest.raises(InputRefused, match="unsigned"):
            import_path(c, CORPUS / "valid_unsigned.zip", ImportOptions(keyring=corpus_keyring()))


def test_partner_example_imports_as_written(tmp_path):
    with Case.create(tmp_path / "c.lintas", "C") as c:
        with pytest.raises(InputRefused, match="not in your keyring|untrusted|not trusted"):
            import_path(c, FIX / "example_partner_my.zip")
        kr = keys.Keyring.in_memory()
        kr.trust(str(FIX / "example_partner_my.pub"), name="Royal Malaysia Police (example)", country="MY")
        res = import_path(c, FIX / "example_partner_my.zip", ImportOptions(keyring=kr))
        assert res.imported and res.signature["status"] == "verified"
        assert res.rows == {"persons": 3, "identifiers": 5, "relationships": 2, "calls": 3, "travel": 2,
                            "transfers": 2}
        calls = c.con.execute("SELECT caller, caller_e164, start, start_utc FROM calls ORDER BY source_row").fetchall()
        # Malaysian national forms read with the producer's country; naive times in Asia/Kuala_Lumpur.
        assert calls[0][:2] == ("012-345 6789", "+60123456789")
        assert str(calls[0][3]) == "2026-09-28 13:14:05"
        assert str(calls[2][3]) == "2026-09-30 15:40:10"           # explicit +08:00
        assert c.con.execute("SELECT count(*) FROM identifiers WHERE value_norm = '+6281234567890'").fetchall()[0][0] == 1
        travel = c.con.execute("SELECT person_entity_id IS NOT NULL, document_norm FROM travel ORDER BY source_row").fetchall()
        assert travel == [(True, None), (False, "C7654321")]
        src = c.sources()[0]
        assert src["producer_country"] == "MY" and src["tlp"] == "AMBER"
        assert src["signer_key_id"] == keys.key_id(keys.load_public_key(FIX / "example_partner_my.pub"))
        # again: recognised by bundle_id and hash, not duplicated
        again = import_path(c, FIX / "example_partner_my.zip", ImportOptions(keyring=kr))
        assert not again.imported and again.already_imported_as == 1
        assert c.row_counts()["persons"] == 3


# -- every canonical kind, every format ---------------------------------------------
ROWS = {
    "persons": [{"id": "P-1", "name": "Muhammad Rizal bin Abdullah", "aliases": ["Rizal", "Bos Tawau"],
                 "birth_date": "1987-03-04", "nationality": "ID", "gender": "m", "notes": "organiser",
                 "role": "suspect"},
                {"id": "P-2", "name": "Siti Aminah", "aliases": [], "birth_date": "2004", "nationality": "ID",
                 "gender": "f", "notes": "", "role": "victim"}],
    "organizations": [{"id": "O-1", "name": "PT Jaya Abadi Tenaga Kerja", "country": "ID",
                       "registration_number": "AHU-0012345", "kind": "recruitment agency"}],
    "identifiers": [{"owner": "P-1", "kind": "phone", "value": "0812-3456-7890", "country": "ID",
                     "valid_from": "2025-01", "valid_to": ""}],
    "relationships": [{"source": "P-1", "target": "P-2", "kind": "recruiter", "start": "2026-01-10",
                       "end": "", "note": "recruited in Bontang"}],
    "addresses": [{"owner": "O-1", "full": "Jl. Ahmad Yani 12, Bontang", "city": "Bontang",
                   "region": "Kalimantan Timur", "country": "ID", "lat": "0.1333", "lon": "117.5",
                   "valid_from": "", "valid_to": ""}],
    "contacts": [{"owner": "P-1", "label": "Bos Tawau", "value": "+60 12-345 6789", "kind": "phone"}],
    "calls": [{"caller": "0812-3456-7890", "callee": "+60 12-345 6789", "start": "2026-03-01 08:15:00",
               "duration_s": "65", "kind": "voice", "cell_id": "BTG-001", "lat": "0.13", "lon": "117.49"}],
    "messages": [{"sender": "0812-3456-7890", "recipient": "@bos_tawau", "time": "2026-03-01T09:00:00+08:00",
                  "app": "telegram", "body": "Berangkat besok via Nunukan", "thread": "t1",
                  "direction": "outgoing"}],
    "transfers": [{"from_account": "BRI 0123-01-000123-50-1", "to_account": "MBB 5140 1234 5678",
                   "time": "2026-03-02 10:00:00", "amount": "99500000", "currency": "IDR", "channel": "teller",
                   "reference": "TRF-1"}],
    "travel": [{"time": "2026-03-05 16:20:00", "kind": "border_crossing", "person": "P-1", "document": "",
                "place_from": "Nunukan", "place_to": "Tawau", "carrier": "KM Thalia", "voyage": "TH-0305"}],
    "sightings": [{"subject": "KT 1234 AB", "time": "2026-03-04 22:00:00", "lat": "0.12", "lon": "117.48",
                   "place": "Pelabuhan Loktuan", "kind": "vehicle", "note": "CCTV"}],
    "incidents": [{"id": "LP-001", "time": "2026-03-06 07:00:00", "kind": "trafficking", "lat": "0.13",
                   "lon": "117.5", "place": "Bontang", "description": "Laporan korban", "status": "open"}],
}


def _write(kind, rows, fmt, path):
    if fmt == "csv":
        import csv

        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            for r in rows:
                w.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in r.items()})
    elif fmt == "jsonl":
        with open(path, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps({k: (v if v != "" else None) for k, v in r.items()}, ensure_ascii=False) + "\n")
    else:
        pq.write_table(pa.Table.from_pylist([{k: (v if v != "" else None) for k, v in r.items()} for r in rows]), path)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_every_kind_round_trips(fmt, tmp_path):
    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    tables = []
    for kind, rows in ROWS.items():
        _write(kind, rows, fmt, src / "data" / f"{kind}.{fmt}")
        tables.append({"path": f"data/{kind}.{fmt}", "kind": kind, "format": fmt})
    (src / "manifest.json").write_text(json.dumps({
        "title": "All kinds", "producer": {"agency": "Polres Bontang", "country": "ID"},
        "default_timezone": "Asia/Makassar", "case_ref": "MAWAR-2026-014",
        "handling": {"tlp": "AMBER", "releasable_to": ["MY"], "legal_basis": "KUHAP"}, "tables": tables}))
    keyfile = tmp_path / "unit.pem"
    kid, pub = keys.new_key("unit", keyfile)
    out = pack(src, tmp_path / "all.zip", sign_key=keyfile)
    kr = keys.Keyring.in_memory()
    kr.trust(pub, name="Polres Bontang", country="ID")
    assert verify(out, keyring=kr).valid
    with Case.create(tmp_path / "c.lintas", "C") as c:
        res = import_path(c, out, ImportOptions(keyring=kr))
        assert res.rows == {k: len(v) for k, v in ROWS.items()}
        assert res.signature == {"status": "verified", "key_id": kid, "signer": "Polres Bontang"}
        q = c.con.execute
        assert q("SELECT aliases, role, birth_year FROM persons ORDER BY id").fetchall() == [
            (["Rizal", "Bos Tawau"], "suspect", 1987), ([], "victim", 2004)]
        assert q("SELECT caller_e164, callee_e164, CAST(start_utc AS VARCHAR), duration_s FROM calls").fetchall() == [
            ("+6281234567890", "+60123456789", "2026-03-01 00:15:00", 65.0)]
        assert q("SELECT sender_norm, recipient_norm, CAST(time_utc AS VARCHAR) FROM messages").fetchall() == [
            ("+6281234567890", "bos_tawau", "2026-03-01 01:00:00")]
        assert q("SELECT CAST(amount AS VARCHAR), CAST(time_utc AS VARCHAR) FROM transfers").fetchall() == [
            ("99500000.0000", "2026-03-02 02:00:00")]
        ent = dict(q("SELECT local_id, entity_id FROM entities").fetchall())
        assert q("SELECT owner_entity_id, value_norm, valid_from_iso FROM identifiers").fetchall() == [
            (ent["P-1"], "+6281234567890", "2025-01")]
        assert q("SELECT source_entity_id, target_entity_id FROM relationships").fetchall() == [(ent["P-1"], ent["P-2"])]
        assert q("SELECT owner_entity_id, lat FROM addresses").fetchall() == [(ent["O-1"], 0.1333)]
        assert q("SELECT owner_entity_id, value_norm FROM contacts").fetchall() == [(ent["P-1"], "+60123456789")]
        assert q("SELECT person_entity_id FROM travel").fetchall() == [(ent["P-1"],)]
        assert q("SELECT subject_norm FROM sightings").fetchall() == [("KT1234AB",)]
        assert q("SELECT id, CAST(time_utc AS VARCHAR) FROM incidents").fetchall() == [("LP-001", "2026-03-05 23:00:00")]
        assert q("SELECT count(DISTINCT source_row) FROM calls").fetchall()[0][0] == 1


# -- data-level faults inside an otherwise valid bundle -----------------------------
def _bundle(tmp_path, files, tables, tz="Asia/Makassar"):
    """A directory bundle written by hand (as another agency would), hashes included."""
    import hashlib
    import uuid

    src = tmp_path / "src"
    (src / "data").mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (src / "data" / name).write_bytes(content)
    for t in tables:
        content = (src / t["path"]).read_bytes()
        t.update(sha256=hashlib.sha256(content).hexdigest(), bytes=len(content))
    m = {"format": "lintas-bundle/1", "bundle_id": str(uuid.uuid4()), "title": "Faulty",
         "created_at": "2026-11-20T10:15:00+08:00", "producer": {"agency": "Polres Bontang", "country": "ID"},
         "handling": {"tlp": "AMBER"}, "tables": tables}
    if tz:
        m["default_timezone"] = tz
    (src / "manifest.json").write_text(json.dumps(m))
    return src


CALLS_HEADER = b"caller,callee,start\n"


@pytest.mark.parametrize("case_id,files,table,tz,needle,row,column", [
    ("missing required column", {"c.csv": b"caller,start\n0812,2026-01-01 10:00\n"},
     {"kind": "calls", "format": "csv"}, "Asia/Makassar", "required column missing", None, "callee"),
    ("bad timestamp", {"c.csv": CALLS_HEADER + b"0812,0813,2026-01-01 10:00\n0812,0813,kemarin sore\n"},
     {"kind": "calls", "format": "csv"}, "Asia/Makassar", "not an ISO 8601 timestamp", 3, "start"),
    ("naive timestamp without default zone", {"c.csv": CALLS_HEADER + b"0812,0813,2026-01-01 10:00\n"},
     {"kind": "calls", "format": "csv"}, None, "without UTC offset", 2, "start"),
    ("non-UTF-8 CSV", {"c.csv": CALLS_HEADER + "0812,Caf\xe9,2026-01-01 10:00\n".encode("latin-1")},
     {"kind": "calls", "format": "csv"}, "Asia/Makassar", "not UTF-8", None, None),
])
def test_data_faults_refused_and_case_unchanged(tmp_path, case_id, files, table, tz, needle, row, column):
    name = next(iter(files))
    b = _bundle(tmp_path, files, [dict(table, path=f"data/{name}")], tz)
    p = tmp_path / "c.lintas"
    Case.create(p, "C").close()
    before = snapshot(p)
    with Case.open(p) as c, pytest.raises(InputRefused) as e:
        import_path(c, b, ImportOptions(allow_unsigned=True))
    hits = [x for x in e.value.problems if needle in x["reason"]]
    assert hits, e.value.problems
    assert hits[0]["file"] == f"data/{name}"
    if row is not None:
        assert hits[0]["row"] == row
    if column is not None:
        assert hits[0]["column"] == column
    assert snapshot(p) == before


def test_wrong_type_in_parquet_column_refused(tmp_path):
    f = tmp_path / "t.parquet"
    pq.write_table(pa.table({"from_account": ["A"], "to_account": ["B"], "time": ["2026-01-01T00:00:00Z"],
                             "amount": pa.array([True])}), f)     # a boolean where an amount belongs
    b = _bundle(tmp_path, {"t.parquet": f.read_bytes()}, [{"path": "data/t.parquet", "kind": "transfers",
                                                          "format": "parquet"}])
    p = tmp_path / "c.lintas"
    Case.create(p, "C").close()
    before = snapshot(p)
    with Case.open(p) as c, pytest.raises(InputRefused) as e:
        import_path(c, b, ImportOptions(allow_unsigned=True))
    assert any(x["column"] == "amount" and "not an amount" in x["reason"] and x["row"] == 1
               for x in e.value.problems), e.value.problems
    assert snapshot(p) == before


def test_attachments_stored_and_linked(tmp_path):
    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    (src / "files").mkdir()
    _write("persons", ROWS["persons"], "csv", src / "data" / "persons.csv")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    (src / "files" / "passport.png").write_bytes(png)
    (src / "manifest.json").write_text(json.dumps({
        "title": "With photo", "producer": {"agency": "Polres Bontang", "country": "ID"},
        "handling": {"tlp": "AMBER"},
        "tables": [{"path": "data/persons.csv", "kind": "persons", "format": "csv"}],
        "attachments": [{"path": "files/passport.png", "title": "Passport scan", "describes": ["P-1"]}]}))
    b = pack(src, tmp_path / "b.zip")
    with Case.create(tmp_path / "c.lintas", "C") as c:
        import_path(c, b, ImportOptions(allow_unsigned=True))
        ent = c.con.execute("SELECT entity_id FROM entities WHERE local_id = 'P-1'").fetchall()[0][0]
        link = c.con.execute("SELECT l.entity_id, b.content FROM attachment_links l "
                             "JOIN attachment_blobs b USING (sha256)").fetchall()
        assert link == [(ent, png)]
        assert c.con.execute("SELECT media_type, title FROM attachments").fetchall() == [("image/png", "Passport scan")]
