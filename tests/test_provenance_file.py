"""Provenance names the file: a source holding several files of one kind has rows whose numbers
repeat, and source_id + source_file + source_row name one row (DESIGN: bundle, file and row)."""

from __future__ import annotations

import pytest

from workstation import schema
from workstation.case import Case
from workstation.importers import ImportOptions
from workstation.ingest import import_path

from .test_import_bundle import _bundle


def test_rows_of_two_files_of_one_kind_are_told_apart_by_their_file(tmp_path, case_path):
    header = b"caller,callee,start\n"
    src = _bundle(tmp_path, {
        "calls_march.csv": header + b"0812-1111-0001,0813-2222-0001,2026-03-01 10:00\n"
                                    b"0812-1111-0002,0813-2222-0002,2026-03-02 10:00\n",
        "calls_april.csv": header + b"0812-1111-0003,0813-2222-0003,2026-04-01 10:00\n"},
        [{"path": "data/calls_march.csv", "kind": "calls", "format": "csv"},
         {"path": "data/calls_april.csv", "kind": "calls", "format": "csv"}])
    with Case.create(case_path, "two files") as case:
        r = import_path(case, src, ImportOptions(allow_unsigned=True))
        assert r.imported and r.rows == {"calls": 3}
        rows = case.con.execute("SELECT source_file, source_row, caller FROM calls ORDER BY caller").fetchall()
        assert rows == [("data/calls_march.csv", 2, "0812-1111-0001"), ("data/calls_march.csv", 3, "0812-1111-0002"),
                        ("data/calls_april.csv", 2, "0812-1111-0003")]
        # one row per (source, file, row), and every file a file of the source
        assert case.con.execute("SELECT count(*) FROM calls c JOIN source_files f ON f.source_id = c.source_id "
                                "AND f.path = c.source_file").fetchone()[0] == 3


def test_plain_file_rows_name_their_file(tmp_path, case_path):
    f = tmp_path / "kontak.csv"
    f.write_text("id,name\nP-1,Budi Santoso\n", encoding="utf-8")
    with Case.create(case_path, "plain") as case:
        import_path(case, f, ImportOptions(kind="persons", producer_country="ID"), format="plain")
        assert case.con.execute("SELECT source_file, source_row FROM persons").fetchall() == [("kontak.csv", 2)]
        from analysis.profile import profile

        eid = case.con.execute("SELECT entity_id FROM persons").fetchone()[0]
        names = profile(case.cursor(), eid)["names"]
        assert [(n["value"], n["source_file"], n["source_row"]) for n in names] == [("Budi Santoso", "kontak.csv", 2)]


def test_migration_gives_older_rows_their_file_where_the_source_has_one_of_their_kind(case_path, monkeypatch):
    with monkeypatch.context() as mp:
        mp.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:5])
        mp.setattr(schema, "LATEST", 5)
        with Case.create(case_path, "schema 5") as case:
            con = case.con
            for sid in (1, 2):
                con.execute("INSERT INTO sources (source_id, format, importer, tlp, signature_status, imported_at) "
                            "VALUES (?, 'lintas-bundle/1', 'bundle', 'AMBER', 'verified', now())", [sid])
            for sid, path in ((1, "data/calls.csv"), (2, "data/a.csv"), (2, "data/b.csv"), (2, "data/p.csv")):
                kind = "persons" if path.endswith("p.csv") else "calls"
                con.execute("INSERT INTO source_files (source_id, path, kind, format, rows) VALUES (?, ?, ?, 'csv', 1)",
                            [sid, path, kind])
            for sid in (1, 2):
                con.execute("INSERT INTO calls (source_id, source_row, caller, callee, start) "
                            "VALUES (?, 2, '0812', '0813', '2026-01-01T00:00:00+07:00')", [sid])
            con.execute("INSERT INTO persons (source_id, source_row, id, name) VALUES (2, 2, 'P-1', 'Budi')")
            assert "source_file" not in {r[0] for r in con.execute("DESCRIBE calls").fetchall()}
    with Case.open(case_path) as case:
        assert case.schema_version == schema.LATEST
        got = case.con.execute("SELECT source_id, source_file FROM calls ORDER BY source_id").fetchall()
        # source 1 has one calls file; source 2 has two, so its old rows cannot say which
        assert got == [(1, "data/calls.csv"), (2, None)]
        assert case.con.execute("SELECT source_file FROM persons").fetchall() == [("data/p.csv",)]
        actions = [e["action"] for e in case.audit_entries()]
        assert "case.migrate" in actions


@pytest.mark.parametrize("kind", ["objects", "persons", "calls", "travel"])
def test_every_kind_table_has_the_file_column_last(case_path, kind):
    with Case.create(case_path, "columns") as case:
        cols = [r[0] for r in case.con.execute(f"DESCRIBE {kind}").fetchall()]
        assert cols[-1] == "source_file" and cols[:2] == ["source_id", "source_row"]


def test_relationships_pivot_hits_and_judgements_name_their_file_and_entities(tmp_path, case_path):
    from analysis import xref
    from analysis.profile import pivot, profile

    src = _bundle(tmp_path, {
        "persons.csv": b"id,name\nP-1,Budi Santoso\nP-2,Andi Wijaya\n",
        "identifiers.csv": b"owner,kind,value\nP-1,phone,0812-1111-0001\nP-2,phone,0812-1111-0001\n",
        "relationships.csv": b"source,target,kind\nP-1,P-2,associate\n",
        "calls_march.csv": b"caller,callee,start\n0812-1111-0001,0813-2222-0001,2026-03-01 10:00\n"},
        [{"path": "data/persons.csv", "kind": "persons", "format": "csv"},
         {"path": "data/identifiers.csv", "kind": "identifiers", "format": "csv"},
         {"path": "data/relationships.csv", "kind": "relationships", "format": "csv"},
         {"path": "data/calls_march.csv", "kind": "calls", "format": "csv"}])
    with Case.create(case_path, "files") as case:
        assert import_path(case, src, ImportOptions(allow_unsigned=True)).imported
        ids = dict(case.con.execute("SELECT id, entity_id FROM persons").fetchall())
        prof = profile(case.cursor(), ids["P-1"])
        assert [(r["from_id"], r["source_file"], r["source_row"]) for r in prof["relationships"]] == [
            ("P-1", "data/relationships.csv", 2)]
        hits = pivot(case.cursor(), ids["P-1"])["identifiers"][0]["hits"]
        got = {(h["kind"], h["source_file"], h["source_row"]) for h in hits}
        assert ("identifiers", "data/identifiers.csv", 3) in got and ("calls", "data/calls_march.csv", 2) in got, got
        xref.judge(case, ids["P-1"], ids["P-2"], "different", analyst="ana")
        j = profile(case.cursor(), ids["P-1"])["judgements"]
        assert [(x["name_a"], x["name_b"], x["verdict"]) for x in j] == [("Budi Santoso", "Andi Wijaya", "different")]
