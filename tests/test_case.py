import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from workstation import schema
from workstation.case import Case
from workstation.errors import CaseError, CaseLockedError, NewerSchemaError, NotACaseError
from workstation.kinds import KINDS, table_columns

FIXTURES = Path(__file__).parent / "fixtures"


def test_create_and_reopen(case_path):
    with Case.create(case_path, "Operasi Mawar", ref="MAWAR-2026-014") as c:
        assert c.schema_version == schema.LATEST
    with Case.open(case_path) as c:
        info = c.info()
    assert info["title"] == "Operasi Mawar"
    assert info["case_ref"] == "MAWAR-2026-014"
    assert info["schema_version"] == schema.LATEST
    assert set(info["rows"]) == set(KINDS)
    assert all(n == 0 for n in info["rows"].values())
    assert info["audit_entries"] == 1


def test_every_kind_has_provenance_and_canonical_columns(case):
    for kind in KINDS:
        cols = [r[0] for r in case.con.execute(f'DESCRIBE "{kind}"').fetchall()]
        assert cols[:2] == ["source_id", "source_row"]
        assert cols == [n for n, _ in table_columns(kind)], kind
        for c in KINDS[kind]:
            assert c.name in cols
    tables = {r[0] for r in case.con.execute("SHOW TABLES").fetchall()}
    for t in ("sources", "entities", "identifiers", "judgements", "notes", "saved_queries", "audit",
              "rejects"):
        assert t in tables


def test_create_refuses_existing_file(case_path):
    Case.create(case_path, "A").close()
    with pytest.raises(CaseError, match="already exists"):
        Case.create(case_path, "B")


def test_not_a_duckdb_file(tmp_path):
    p = tmp_path / "notes.lintas"
    p.write_text("these are my notes, not a database")
    with pytest.raises(NotACaseError, match="not a Lintas case"):
        Case.open(p)
    assert p.read_text() == "these are my notes, not a database"


def test_duckdb_but_not_a_case(tmp_path):
    p = tmp_path / "other.duckdb"
    con = duckdb.connect(str(p))
    con.execute("CREATE TABLE t (a INT)")
    con.close()
    with pytest.raises(NotACaseError, match="not a Lintas case"):
        Case.open(p)


def test_newer_schema_refused(case_path):
    Case.create(case_path, "A").close()
    con = duckdb.connect(str(case_path))
    con.execute("UPDATE case_meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(NewerSchemaError, match="newer Lintas"):
        Case.open(case_path)


def test_locked_by_another_process(case_path):
    Case.create(case_path, "A").close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb,sys,time; c=duckdb.connect({str(case_path)!r}); print('ready', flush=True); "
         "sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(CaseLockedError, match="open in another program"):
            Case.open(case_path)
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    Case.open(case_path).close()


def test_old_case_is_migrated(tmp_path):
    """A case written at schema version 1 (committed fixture) opens and migrates forward."""
    src = FIXTURES / "case_v1.lintas"
    p = tmp_path / "old.lintas"
    shutil.copy(src, p)
    con = duckdb.connect(str(p), read_only=True)
    assert con.execute("SELECT value FROM case_meta WHERE key='schema_version'").fetchone()[0] == "1"
    had_rejects = "rejects" in {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    con.close()
    assert not had_rejects
    with Case.open(p) as c:
        assert c.schema_version == schema.LATEST
        assert c.con.execute("SELECT count(*) FROM rejects").fetchone()[0] == 0
        assert c.title == "Old case from schema 1"
        actions = [e["action"] for e in c.audit_entries()]
        assert actions[0] == "case.create"
        assert "case.migrate" in actions
        assert c.verify_audit().ok


def test_read_only_open_of_old_case_is_refused(tmp_path):
    p = tmp_path / "old.lintas"
    shutil.copy(FIXTURES / "case_v1.lintas", p)
    with pytest.raises(CaseError, match="needs migrating"):
        Case.open(p, read_only=True)


def test_failed_migration_leaves_case_unchanged(tmp_path, monkeypatch):
    p = tmp_path / "old.lintas"
    shutil.copy(FIXTURES / "case_v1.lintas", p)
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1] + ["CREATE TABLE rejects (x INT); SELECT * FROM no_such_table"])
    with pytest.raises(duckdb.Error):
        Case.open(p)
    con = duckdb.connect(str(p), read_only=True)
    try:
        assert con.execute("SELECT value FROM case_meta WHERE key='schema_version'").fetchone()[0] == "1"
        assert "rejects" not in {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    finally:
        con.close()


def test_case_connection_cannot_touch_files(case, tmp_path):
    outside = tmp_path / "secret.csv"
    outside.write_text("a\n1\n")
    with pytest.raises(duckdb.PermissionException):
        case.con.execute(f"SELECT * FROM read_csv('{outside}')")


def test_docs_sql_lists_every_column():
    """docs/sql.md is the SQL contract: every stored column of every kind is documented."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "sql.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"### `{kind}`" in text
        section = text.split(f"### `{kind}`", 1)[1].split("###", 1)[0]
        for name, _ in table_columns(kind):
            assert f"| `{name}` |" in section, f"{kind}.{name} missing from docs/sql.md"
