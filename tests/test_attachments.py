"""Attachments are stored and written out chunk by chunk (schema 8): a file larger than memory
can be imported, shown where it is small, and exported, without ever being held whole."""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import zipfile

import pytest

from workstation import attachments as files
from workstation import schema
from workstation.bundle import pack
from workstation.case import Case
from workstation.importers import ImportOptions
from workstation.ingest import import_path

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _bundle(tmp_path, recording: bytes):
    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    (src / "files").mkdir()
    (src / "data" / "persons.csv").write_text("id,name\nP-1,Budi Santoso\nP-2,Agus Salim\n")
    (src / "files" / "passport.png").write_bytes(PNG)
    (src / "files" / "interview.wav").write_bytes(recording)
    (src / "manifest.json").write_text(json.dumps({
        "title": "With files", "producer": {"agency": "Polres Bontang", "country": "ID"},
        "handling": {"tlp": "GREEN", "releasable_to": ["MY"]},
        "tables": [{"path": "data/persons.csv", "kind": "persons", "format": "csv"}],
        "attachments": [{"path": "files/passport.png", "title": "Passport scan", "describes": ["P-1"]},
                        {"path": "files/interview.wav", "title": "Interview", "describes": ["P-1"]}]}))
    return pack(src, tmp_path / "b.zip")


def test_a_large_file_is_stored_in_chunks_and_comes_back_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "CHUNK_BYTES", 64 * 1024)
    recording = os.urandom(1_000_000 + 17)
    sha = hashlib.sha256(recording).hexdigest()
    with Case.create(tmp_path / "c.lintas", "C") as c:
        res = import_path(c, _bundle(tmp_path, recording), ImportOptions(allow_unsigned=True))
        assert res.imported
        n, total = c.con.execute("SELECT count(*), sum(octet_length(content)) FROM attachment_chunks "
                                 "WHERE sha256 = ?", [sha]).fetchone()
        assert n == math.ceil(len(recording) / (64 * 1024)) and total == len(recording)
        # whole again: chunk by chunk to a file, and through the view analysts query
        out = io.BytesIO()
        assert files.write_to(c.con, sha, out) == len(recording) and out.getvalue() == recording
        assert c.con.execute("SELECT content FROM attachment_blobs WHERE sha256 = ?", [sha]).fetchone()[0] == recording

        # The profile shows the photo and lists the recording without reading it (over its limit).
        from analysis.profile import attachments_for

        eid = c.con.execute("SELECT entity_id FROM persons WHERE id = 'P-1'").fetchone()[0]
        shown = {a["title"]: a["content"] for a in attachments_for(c.con, [eid], max_bytes=100_000)}
        assert shown == {"Passport scan": PNG, "Interview": None}

        # A package for Malaysia carries the recording byte for byte.
        from exports.registry import ExportOptions, export

        pkg = tmp_path / "out.zip"
        export(c, "bundle", pkg, ExportOptions("MY", masking="none"))
    with zipfile.ZipFile(pkg) as z:
        got = {n: z.read(n) for n in z.namelist() if n.startswith("files/") and n != "files/withheld.json"}
    assert sorted(hashlib.sha256(v).hexdigest() for v in got.values()) == sorted(
        [sha, hashlib.sha256(PNG).hexdigest()])


def test_content_not_what_its_hash_names_is_refused_and_rolled_back(tmp_path):
    with Case.create(tmp_path / "c.lintas", "C") as c:
        good = hashlib.sha256(b"abc").hexdigest()
        with pytest.raises(files.ContentMismatch), c.transaction() as con:
            files.store(con, good, io.BytesIO(b"abd"))
        assert c.con.execute("SELECT count(*) FROM attachment_chunks").fetchone()[0] == 0
        with c.transaction() as con:
            assert files.store(con, good, io.BytesIO(b"abc")) == 3
            assert files.store(con, good, io.BytesIO(b"never read")) == 0     # stored once
        empty = hashlib.sha256(b"").hexdigest()
        with c.transaction() as con:
            files.store(con, empty, io.BytesIO(b""))
        assert files.content(c.con, empty) == b"" and files.content(c.con, good) == b"abc"
        with pytest.raises(KeyError, match="not stored"):
            files.content(c.con, "0" * 64)


def test_schema_8_moves_older_cases_files_into_chunks(tmp_path, monkeypatch):
    path = tmp_path / "old.lintas"
    with monkeypatch.context() as mp:
        mp.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:7])
        mp.setattr(schema, "LATEST", 7)
        with Case.create(path, "schema 7") as case:
            case.con.execute("INSERT INTO attachment_blobs VALUES (?, ?)", [hashlib.sha256(PNG).hexdigest(), PNG])
    with Case.open(path) as case:
        assert case.schema_version == 8
        assert case.con.execute("SELECT seq, content FROM attachment_chunks").fetchall() == [(0, PNG)]
        assert case.con.execute("SELECT content FROM attachment_blobs").fetchall() == [(PNG,)]
