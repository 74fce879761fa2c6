"""lintas-bundle/1 containers: the malformed corpus, the partner example, pack -> verify round trips."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import uuid
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from workstation import bundle, keys
from workstation.errors import Cancelled, InputRefused
from workstation.kinds import KINDS
from workstation.progress import Progress

FIX = Path(__file__).parent / "fixtures" / "bundles"
CORPUS = FIX / "malformed"
EXPECTED = json.loads((CORPUS / "EXPECTED.json").read_text())
EXAMPLE = FIX / "example_partner_my.zip"
EXAMPLE_PUB = FIX / "example_partner_my.pub"


@pytest.fixture
def ring():
    return keys.Keyring.load(CORPUS / "keyring.json")


def _has(problems, file, reason) -> bool:
    return any(p["file"] == file and reason in p["reason"] for p in problems)


# -- the malformed corpus ------------------------------------------------------
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_bundle_is_refused_with_its_message(name, ring, tmp_path):
    want = EXPECTED[name]
    report = bundle.verify(CORPUS / name, keyring=ring)
    assert not report.valid
    assert _has(report.problems, want["file"], want["reason"]), report.problems
    assert report.to_json()["valid"] is False
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(InputRefused) as e:
        bundle.open_bundle(CORPUS / name, keyring=ring, workdir=work)
    assert _has(e.value.problems, want["file"], want["reason"])
    assert want["reason"] in str(e.value)
    assert list(work.iterdir()) == [], "a refused bundle left its extraction behind"


def test_corpus_covers_the_required_faults():
    required = {"bad_hash", "missing_file", "unlisted_file", "dotdot_path", "absolute_path", "symlink",
                "zip_bomb_ratio", "bad_signature", "untrusted_signer", "revoked_signer", "truncated",
                "invalid_json", "unknown_kind", "missing_title"}
    assert required <= {n.removesuffix(".zip") for n in EXPECTED}


def test_corpus_is_reproducible_from_its_script(tmp_path):
    spec = importlib.util.spec_from_file_location("make_malformed", FIX / "make_malformed.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.build(tmp_path)
    committed = sorted(p.name for p in CORPUS.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes(), name


def test_valid_fixtures_open(ring):
    with bundle.open_bundle(CORPUS / "valid_signed.zip", keyring=ring) as b:
        assert b.signature.status == "verified" and b.signature.signer_name == "Test partner (trusted)"
        assert [t["kind"] for t in b.tables] == ["calls", "persons"]
        assert b.file_path("data/persons.csv").read_text().startswith("id,name")
        root = b.root
        assert root.is_dir() and (os.stat(root).st_mode & 0o077) == 0   # private extraction
    assert not root.exists()
    with pytest.raises(InputRefused, match="not signed"):
        bundle.open_bundle(CORPUS / "valid_unsigned.zip", keyring=ring)
    with bundle.open_bundle(CORPUS / "valid_unsigned.zip", keyring=ring, allow_unsigned=True) as b:
        assert b.signature.status == "unsigned" and b.signature.key_id is None


# -- the independent implementation's partner package -----------------------------
def test_partner_example_verifies_once_its_key_is_trusted(tmp_path):
    empty = keys.Keyring.in_memory()
    r = bundle.verify(EXAMPLE, keyring=empty)
    kid = hashlib.sha256(keys.public_raw_from_b64(EXAMPLE_PUB.read_text())).hexdigest()
    assert not r.valid and r.signer == {"key_id": kid, "trusted": False, "name": None}
    assert _has(r.problems, "manifest.sig", "not in your keyring")
    assert len(r.problems) == 1                # everything else is sound

    with bundle.open_bundle(EXAMPLE, keyring=empty, trust_once=True) as b:
        assert b.signature.status == "untrusted-consented" and b.signature.key_id == kid

    ring = keys.Keyring.in_memory()
    ring.trust(EXAMPLE_PUB, "Royal Malaysia Police", "MY")
    r = bundle.verify(EXAMPLE, keyring=ring)
    assert r.valid, r.problems
    j = r.to_json()
    assert j["signer"] == {"key_id": kid, "trusted": True, "name": "Royal Malaysia Police"}
    assert j["format"] == "lintas-bundle/1" and j["producer"]["country"] == "MY"
    assert j["handling"]["tlp"] == "AMBER" and j["bundle_id"] == "5b0f3a52-8c1e-4f7e-9d0a-6a1f2c3b4d5e"
    assert [f["status"] for f in j["files"]] == ["ok"] * 6
    assert set(j) == {"valid", "problems", "signer", "format", "bundle_id", "title", "producer", "handling",
                      "files", "warnings"}
    assert j["warnings"] == []

    with bundle.open_bundle(EXAMPLE, keyring=ring) as b, zipfile.ZipFile(EXAMPLE) as zf:
        assert b.signature.status == "verified"
        assert b.container_name == "example_partner_my.zip"
        assert b.container_sha256 == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
        assert b.manifest_bytes == zf.read("manifest.json")
        assert b.manifest_sha256 == hashlib.sha256(zf.read("manifest.json")).hexdigest()
        assert b.manifest["default_timezone"] == "Asia/Kuala_Lumpur"
        for t in b.tables:
            assert b.file_path(t["path"]).read_bytes() == zf.read(t["path"])


# -- pack -> verify -> open, every kind and format ----------------------------------
def _values(kind: str, fmt: str) -> dict[str, list]:
    cols = {}
    for c in KINDS[kind]:
        if c.type == "time":
            v = ["2026-11-20T10:15:00+08:00", "2026-11-20 11:00:00", "2026-11-21T00:00:00Z"]
        elif c.type == "date":
            v = ["1987", "1987-03", "1987-03-04"]
        elif c.type in ("number", "amount"):
            v = [4900.0, 4950.5, 0.0]
        elif c.type == "list":
            v = [["Andi", "Bang Andi"], [], ["Ijal"]]
            if fmt == "csv":
                v = [";".join(x) for x in v]
        elif c.type == "country":
            v = ["ID", "MY", "PH"]
        elif c.type in ("phone", "address"):
            v = ["0812-3456-7890", "+60 12-345 6789", "budi@example.org"]
        else:
            v = [f"{c.name}-1", f"{c.name} \u00e9\u00e8 2", f'{c.name}, "3"']
        cols[c.name] = v
    return cols


def _write_table(path: Path, kind: str, fmt: str) -> None:
    cols = _values(kind, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        w.writerows(zip(*cols.values(), strict=True))
        path.write_text(buf.getvalue(), encoding="utf-8")
    elif fmt == "parquet":
        pq.write_table(pa.table(cols), path)
    else:
        rows = [dict(zip(cols, r, strict=True)) for r in zip(*cols.values(), strict=True)]
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _source_dir(root: Path, fmt: str, **manifest) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    ext = {"csv": "csv", "parquet": "parquet", "jsonl": "jsonl"}[fmt]
    tables = []
    for kind in KINDS:
        rel = f"data/{kind}.{ext}"
        _write_table(root / rel, kind, fmt)
        tables.append({"path": rel, "kind": kind, "format": fmt})
    tables[0]["personal_data"] = ["name", "birth_date"]
    (root / "files").mkdir()
    (root / "files/passport_P-001.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    m = {"title": f"Round trip {fmt}", "producer": {"agency": "Polres Bontang", "country": "ID"},
         "case_ref": "MAWAR-2026-014", "default_timezone": "Asia/Makassar",
         "handling": {"tlp": "AMBER+STRICT", "releasable_to": ["ID", "INTERPOL"], "legal_basis": "KUHAP",
                      "caveats": ["test"]},
         "tables": tables,
         "attachments": [{"path": "files/passport_P-001.jpg", "title": "Passport scan",
                          "describes": ["P-001"]}],
         **manifest}
    (root / "manifest.json").write_text(json.dumps(m, indent=1), encoding="utf-8")
    return root


@pytest.fixture
def signer(tmp_path):
    key = tmp_path / "keys" / "unit.pem"
    key.parent.mkdir()
    kid, pub = keys.new_key("Polres Bontang", key)
    ring = keys.Keyring.in_memory()
    ring.trust(pub, "Polres Bontang", "ID")
    return key, kid, ring


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_pack_verify_open_round_trip_every_kind(fmt, tmp_path, signer):
    key, kid, ring = signer
    src = _source_dir(tmp_path / "src", fmt)
    out = bundle.pack(src, tmp_path / f"rt-{fmt}.zip", sign_key=key)
    report = bundle.verify(out, keyring=ring)
    assert report.valid, report.problems
    assert report.signer == {"key_id": kid, "trusted": True, "name": "Polres Bontang"}
    assert {f["kind"] for f in report.files if f["role"] == "table"} == set(KINDS)
    assert all(f["rows"] == 3 and f["status"] == "ok" for f in report.files if f["role"] == "table")
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    assert names[:2] == ["manifest.json", "manifest.sig"]
    assert names[2:] == [f"data/{k}.{fmt}" for k in KINDS] + ["files/passport_P-001.jpg"]
    with bundle.open_bundle(out, keyring=ring) as b:
        assert b.signature.status == "verified" and b.signature.key_id == kid
        m = b.manifest
        assert m["format"] == "lintas-bundle/1" and uuid.UUID(m["bundle_id"])
        assert bundle.valid_rfc3339(m["created_at"])
        assert m["attachments"][0]["media_type"] == "image/jpeg"
        for t in b.tables:
            data = b.file_path(t["path"]).read_bytes()
            assert data == (src / t["path"]).read_bytes()
            assert t["sha256"] == hashlib.sha256(data).hexdigest() and t["bytes"] == len(data)
        assert b.attachments[0]["describes"] == ["P-001"]
    # the same directory as a directory bundle
    dir_out = bundle.pack(src, tmp_path / f"rt-{fmt}-dir", sign_key=key)
    report = bundle.verify(dir_out, keyring=ring)
    assert report.valid, report.problems
    with bundle.open_bundle(dir_out, keyring=ring) as b:
        assert b.root == dir_out
        assert b.container_sha256 == hashlib.sha256((dir_out / "manifest.json").read_bytes()).hexdigest()
    assert dir_out.exists()   # closing a directory bundle leaves it alone


def test_pack_is_deterministic_and_keeps_given_id(tmp_path, signer):
    key, _, _ = signer
    src = _source_dir(tmp_path / "src", "csv", bundle_id="mawar-2026-014-bontang-1",
                      created_at="2026-11-20T10:15:00+08:00")
    a = bundle.pack(src, tmp_path / "a.zip", sign_key=key)
    b = bundle.pack(src, tmp_path / "b.zip", sign_key=key)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        m = json.loads(zf.read("manifest.json"))
        assert zf.getinfo("manifest.json").date_time == (2026, 11, 20, 10, 15, 0)
    assert m["bundle_id"] == "mawar-2026-014-bontang-1"
    stored = bundle.pack(src, tmp_path / "stored.zip", sign_key=key, compress=False)
    with zipfile.ZipFile(stored) as zf:
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}
    assert bundle.verify(stored, keyring=signer[2]).valid


def test_pack_in_place_completes_the_manifest(tmp_path, signer):
    key, _, ring = signer
    src = _source_dir(tmp_path / "src", "jsonl")
    bundle.pack(src, src, sign_key=key)
    assert bundle.verify(src, keyring=ring).valid
    bundle.pack(src, src)          # re-packed unsigned: the stale signature must go
    assert not (src / "manifest.sig").exists()
    assert bundle.verify(src, keyring=ring, allow_unsigned=True).valid


def test_pack_refuses_unlisted_missing_and_bad_fields(tmp_path):
    src = _source_dir(tmp_path / "src", "csv")
    (src / "data" / "notes.txt").write_text("forgotten")
    m = json.loads((src / "manifest.json").read_text())
    m["tables"].append({"path": "data/gone.csv", "kind": "calls", "format": "csv"})
    m["handling"]["tlp"] = "amber"
    (src / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(InputRefused) as e:
        bundle.pack(src, tmp_path / "out.zip")
    assert _has(e.value.problems, "data/notes.txt", "not listed in manifest.json")
    assert _has(e.value.problems, "data/gone.csv", "no such file")
    assert _has(e.value.problems, "manifest.json", "handling.tlp: 'amber' is not a TLP 2.0 level")
    assert not (tmp_path / "out.zip").exists() and not (tmp_path / "out.zip.part").exists()


def test_pack_refuses_an_unreadable_table(tmp_path):
    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    (src / "data" / "calls.parquet").write_bytes(b"PAR1 not parquet at all")
    (src / "manifest.json").write_text(json.dumps({
        "title": "t", "producer": {"country": "ID"}, "handling": {"tlp": "RED"},
        "tables": [{"path": "data/calls.parquet", "kind": "calls"}]}))
    with pytest.raises(InputRefused) as e:
        bundle.pack(src, tmp_path / "out.zip")
    assert _has(e.value.problems, "data/calls.parquet", "cannot count the rows of this parquet file")


# -- directory bundles ---------------------------------------------------------------
def _dir_bundle(tmp_path, signer) -> Path:
    key, _, _ = signer
    src = _source_dir(tmp_path / "src", "csv")
    return bundle.pack(src, tmp_path / "dirb", sign_key=key)


def test_directory_bundle_refuses_links_unlisted_files_and_edits(tmp_path, signer):
    _, _, ring = signer
    d = _dir_bundle(tmp_path, signer)
    assert bundle.verify(d, keyring=ring).valid
    (d / "data" / "link.csv").symlink_to(d / "data" / "calls.csv")
    (d / ".DS_Store").write_bytes(b"\0")
    with (d / "data" / "calls.csv").open("r+b") as fh:
        fh.seek(10)
        fh.write(b"#")
    r = bundle.verify(d, keyring=ring)
    assert _has(r.problems, "data/link.csv", "symbolic link")
    assert _has(r.problems, ".DS_Store", "not listed in the manifest")
    # links refused: the hashes are not even read, so nothing is followed
    (d / "data" / "link.csv").unlink()
    r = bundle.verify(d, keyring=ring)
    assert _has(r.problems, "data/calls.csv", "SHA-256 mismatch")


def test_directory_link_to_a_listed_file_is_refused(tmp_path, signer):
    _, _, ring = signer
    d = _dir_bundle(tmp_path, signer)
    outside = tmp_path / "outside.csv"
    shutil.move(d / "data" / "calls.csv", outside)
    (d / "data" / "calls.csv").symlink_to(outside)
    r = bundle.verify(d, keyring=ring)
    assert _has(r.problems, "data/calls.csv", "symbolic link")
    assert not _has(r.problems, "data/calls.csv", "missing")


def test_directory_bundle_private_copy(tmp_path, signer):
    _, _, ring = signer
    d = _dir_bundle(tmp_path, signer)
    with bundle.open_bundle(d, keyring=ring, private_copy=True, workdir=tmp_path) as b:
        assert b.root != d and b.root.parent == tmp_path
        copy = b.file_path("data/calls.csv")
        (d / "data" / "calls.csv").write_text("changed after the check")
        assert copy.read_bytes() != (d / "data" / "calls.csv").read_bytes()
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == b.tables[6]["sha256"]
        assert b.container_sha256 == hashlib.sha256((d / "manifest.json").read_bytes()).hexdigest()
    assert not b.root.exists() and d.exists()


def test_signature_covers_the_exact_manifest_bytes(tmp_path, signer):
    _, _, ring = signer
    d = _dir_bundle(tmp_path, signer)
    m = json.loads((d / "manifest.json").read_text())
    (d / "manifest.json").write_text(json.dumps(m))      # same content, other whitespace
    r = bundle.verify(d, keyring=ring)
    assert len(r.problems) == 1 and r.problems[0]["reason"].startswith("signature does not match manifest.json")


# -- limits, cancel ------------------------------------------------------------------
def test_entry_count_limit(tmp_path, monkeypatch, ring):
    monkeypatch.setattr(bundle, "MAX_ENTRIES", 3)
    r = bundle.verify(CORPUS / "valid_signed.zip", keyring=ring)
    assert _has(r.problems, "valid_signed.zip", "4 entries, more than the limit of 3")


def test_total_size_limit(tmp_path, monkeypatch, ring):
    monkeypatch.setattr(bundle, "MAX_TOTAL_BYTES", 100)
    r = bundle.verify(CORPUS / "valid_signed.zip", keyring=ring)
    assert _has(r.problems, "valid_signed.zip", "more than the limit of 100")


def test_cancel_removes_the_extraction(tmp_path, signer):
    key, _, ring = signer
    out = bundle.pack(_source_dir(tmp_path / "src", "csv"), tmp_path / "b.zip", sign_key=key)
    work = tmp_path / "work"
    work.mkdir()
    p = Progress()
    p.cancel()
    with pytest.raises(Cancelled):
        bundle.open_bundle(out, keyring=ring, progress=p, workdir=work)
    assert list(work.iterdir()) == []


def test_file_path_only_for_listed_files(ring):
    with bundle.open_bundle(CORPUS / "valid_signed.zip", keyring=ring) as b:
        with pytest.raises(Exception, match="not listed"):
            b.file_path("../etc/passwd")


# -- manifest validation messages ----------------------------------------------------
def _base() -> dict:
    return {"format": "lintas-bundle/1", "bundle_id": "x", "title": "t",
            "created_at": "2026-11-20T10:15:00Z", "producer": {"country": "ASEANAPOL"},
            "handling": {"tlp": "CLEAR"}, "tables": []}


@pytest.mark.parametrize("change, message", [
    (lambda m: m.pop("tables"), "tables: required field missing"),
    (lambda m: m.update(tables=[1, {"path": "a.csv"}]), "tables[0]: must be an object, not a number"),
    (lambda m: m.update(tables=[{"path": "a.csv", "kind": "calls", "format": "csv", "sha256": "0" * 64,
                                 "bytes": -1}]), "tables[0].bytes: must not be negative"),
    (lambda m: m.update(tables=[{"path": "a.csv", "kind": "calls", "format": "csv", "sha256": "0" * 64,
                                 "bytes": 1, "columns": {"caller": 7}}]),
     "tables[0].columns.caller: must be the file's column name"),
    (lambda m: m.update(attachments=[{"path": "a.csv", "sha256": "0" * 64, "bytes": 1},
                                     {"path": "A.csv", "sha256": "0" * 64, "bytes": 1}]),
     "attachments[1].path: 'A.csv' is listed twice"),
    (lambda m: m.update(attachments=[{"path": "manifest.json", "sha256": "0" * 64, "bytes": 1}]),
     "attachments[0].path: 'manifest.json' is reserved"),
    (lambda m: m["handling"].update(releasable_to="ID"), "handling.releasable_to: must be a list of strings"),
    (lambda m: m["producer"].update(country="Indonesia"), "producer.country: 'Indonesia' is not"),
    (lambda m: m.update(created_at="2026-02-30T10:00:00+07:00"), "created_at: not an RFC 3339"),
    (lambda m: m.update(title=" "), "title: must not be empty"),
    (lambda m: m["handling"].update(tlp="TLP:AMBER"), "is not a TLP 2.0 level (CLEAR, GREEN, AMBER, "
                                                      "AMBER+STRICT, RED); write 'AMBER'"),
    (lambda m: m["handling"].update(releasable_to=["ID", "interpol"]),
     "handling.releasable_to[1]: 'interpol' is not an ISO 3166-1 alpha-2 code (upper case) or "
     "INTERPOL/EUROPOL/ASEANAPOL; write 'INTERPOL'"),
    (lambda m: m.update(bundle_id=5), "bundle_id: must be a string, not a number"),
])
def test_manifest_messages_name_the_field(change, message):
    m = _base()
    change(m)
    problems, _ = bundle.validate_manifest(m)
    assert any(message in p["reason"] for p in problems), problems
    assert all(p["file"] == "manifest.json" for p in problems)


def test_minimal_manifest_is_valid_and_unknown_fields_warn():
    m = _base()
    m["x_partner_note"] = "kept"
    problems, warnings = bundle.validate_manifest(m)
    assert problems == []
    assert warnings == ["x_partner_note: unknown field, kept in the manifest"]


@pytest.mark.parametrize("path, reason", [
    ("a/../b.csv", "parent directory"), ("/a.csv", "absolute"), ("c:x.csv", "drive letter"),
    ("a\\b.csv", "backslash"), ("a//b.csv", "not normalised"), ("./a.csv", "not normalised"),
    ("a/", "not normalised"), ("a\x00b", "control character"), ("data/a:b.csv", "':'"), ("", "empty"),
])
def test_unsafe_paths(path, reason):
    assert reason in (bundle.path_problem(path) or "")


def test_safe_paths():
    for p in ("data/calls.csv", "files/Paspor P-001 (scan).jpg", "data/\u0645\u062d\u0645\u062f.csv"):
        assert bundle.path_problem(p) is None


# -- the command line ----------------------------------------------------------------
def _lintas(capsys, *args) -> tuple[int, str, str]:
    """Run `lintas bundle|keys ...` in-process (the parser of this module's commands only:
    other layers' imports would make each call seconds slower); errors as cli.main reports them."""
    import argparse
    import sys

    from workstation import bundle_cli
    from workstation.errors import LintasError

    parser = argparse.ArgumentParser(prog="lintas")
    bundle_cli.register(parser.add_subparsers(dest="command"))
    a = parser.parse_args(args)
    try:
        rc = a.func(a)
    except LintasError as e:
        print(f"lintas: {e}", file=sys.stderr)
        rc = e.exit_code
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_cli_verify_exit_codes_and_json(tmp_path, capsys):
    rc, out, _ = _lintas(capsys, "bundle", "verify", str(CORPUS / "bad_hash.zip"), "--trust-once")
    assert rc == 1 and "SHA-256 mismatch" in out and "INVALID" in out
    rc, out, _ = _lintas(capsys, "bundle", "verify", str(EXAMPLE), "--json")
    assert rc == 1
    j = json.loads(out)
    assert j["valid"] is False and j["signer"]["trusted"] is False
    assert re.search("not in your keyring", j["problems"][0]["reason"])
    rc, out, _ = _lintas(capsys, "bundle", "verify", str(EXAMPLE), "--json", "--trust-once")
    assert rc == 0 and json.loads(out)["valid"] is True
    rc, out, _ = _lintas(capsys, "bundle", "verify", str(tmp_path / "nope.zip"))
    assert rc == 1 and "no such file" in out


def test_cli_pack_then_verify(tmp_path, capsys):
    src = _source_dir(tmp_path / "src", "csv")
    key = tmp_path / "unit.pem"
    assert _lintas(capsys, "keys", "new", "Polres Bontang", "--out", str(key), "--country", "ID")[0] == 0
    rc, out, err = _lintas(capsys, "bundle", "pack", str(src), "--out", str(tmp_path / "b.zip"),
                           "--sign", str(key), "--json")
    assert rc == 0, err
    assert json.loads(out)["signer"]["trusted"] is True
    rc, out, _ = _lintas(capsys, "bundle", "verify", str(tmp_path / "b.zip"))
    assert rc == 0, out
    assert "VALID" in out and "Polres Bontang" in out
    rc, _, err = _lintas(capsys, "bundle", "pack", str(src), "--out", str(tmp_path / "b.zip"))
    assert rc == 1 and "already exists" in err


def test_the_lintas_command_reports_an_invalid_bundle(tmp_path):
    """The real entry point: exit code 1, problems named, no traceback."""
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "workstation.cli", "bundle", "verify",
                        str(CORPUS / "bad_signature.zip"), "--json"], capture_output=True, text=True)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert json.loads(r.stdout)["problems"][0]["file"] == "manifest.sig"


def test_verify_never_raises_on_damaged_zips(tmp_path, ring):
    """Random byte damage anywhere in a valid ZIP: always a report, never an exception."""
    import random

    good = (CORPUS / "valid_signed.zip").read_bytes()
    rnd = random.Random(20261127)
    target = tmp_path / "damaged.zip"
    for _ in range(300):
        data = bytearray(good)
        for _ in range(rnd.randint(1, 4)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        if rnd.random() < 0.2:
            data = data[: rnd.randrange(len(data))]
        target.write_bytes(bytes(data))
        report = bundle.verify(target, keyring=ring)
        if bytes(data) != good:
            assert report.valid is False or report.problems == []
        json.dumps(report.to_json())


def test_unreadable_bundle_is_reported(tmp_path, ring):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    p = tmp_path / "locked.zip"
    shutil.copy(CORPUS / "valid_signed.zip", p)
    p.chmod(0)
    r = bundle.verify(p, keyring=ring)
    assert _has(r.problems, "locked.zip", "cannot be read")


def _minimal_reader(zip_path: Path) -> dict:
    """A reader written from DESIGN.md alone (stdlib + cryptography, nothing of Lintas):
    what a partner's minimal implementation does with a Lintas-written ZIP."""
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    with zipfile.ZipFile(zip_path) as zf:
        manifest_bytes = zf.read("manifest.json")
        sig = json.loads(zf.read("manifest.sig"))
        pub = base64.b64decode(sig["public_key"])
        assert sig["alg"] == "ed25519" and hashlib.sha256(pub).hexdigest() == sig["key_id"]
        Ed25519PublicKey.from_public_bytes(pub).verify(base64.b64decode(sig["signature"]), manifest_bytes)
        manifest = json.loads(manifest_bytes)
        listed = {e["path"]: e for e in manifest["tables"] + manifest.get("attachments", [])}
        assert set(zf.namelist()) == set(listed) | {"manifest.json", "manifest.sig"}
        for p, e in listed.items():
            data = zf.read(p)
            assert len(data) == e["bytes"] and hashlib.sha256(data).hexdigest() == e["sha256"]
    return manifest


def test_lintas_repack_of_the_partner_example_reads_in_a_minimal_reader(tmp_path, signer):
    key, kid, _ = signer
    src = tmp_path / "src"
    with zipfile.ZipFile(EXAMPLE) as zf:
        for name in zf.namelist():
            if name != "manifest.sig":
                (src / name).parent.mkdir(parents=True, exist_ok=True)
                (src / name).write_bytes(zf.read(name))
    out = bundle.pack(src, tmp_path / "repacked.zip", sign_key=key)
    m = _minimal_reader(out)
    original = json.loads((src / "manifest.json").read_text())
    assert m["bundle_id"] == original["bundle_id"] and m["handling"] == original["handling"]
    assert [t["sha256"] for t in m["tables"]] == [t["sha256"] for t in original["tables"]]
    assert [t["rows"] for t in m["tables"]] == [3, 5, 2, 3, 2, 2]
