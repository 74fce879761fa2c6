"""The case file: one DuckDB database per case.

``Case.create`` makes a new case, ``Case.open`` opens one and migrates it
forward.  Every connection to a case has DuckDB's external access disabled:
the case database never reads or writes files outside itself.  Data comes in
through Arrow streams handed over by the import pipeline, and leaves through
the exporters, so analyst SQL can only ever see the case.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from . import audit, schema
from .errors import CaseError, CaseLockedError, NewerSchemaError, NotACaseError
from .kinds import KINDS
from .sql import ident

log = logging.getLogger(__name__)

APPLICATION = "lintas-case"
SUFFIX = ".lintas"

HEADER_BYTES = 3 * 4096
"""DuckDB's file header and its two database headers, at the start of the file.  The committed
state (catalog, free list, number of blocks) is reached only through them: with them unchanged,
the blocks past the file's old end belong to nothing."""


def _file_state(path: Path) -> tuple[int, bytes] | None:
    """(size, headers) of a case file, or None where it cannot be read beside its open connection."""
    try:
        with open(path, "rb") as fh:
            return path.stat().st_size, fh.read(HEADER_BYTES)
    except OSError:
        return None


def _trim_unused_tail(path: Path, opened: tuple[int, bytes]) -> bool:
    """After a session that committed nothing (its headers as they were when it opened), cut the
    blocks a rolled-back write left past the file's old end (a cancelled import): the file is then
    byte for byte as it was.  Anything else (a commit, a WAL left) leaves the file alone."""
    now = _file_state(path)
    if (now is None or now[0] <= opened[0] or now[1] != opened[1] or len(opened[1]) < HEADER_BYTES
            or path.with_name(path.name + ".wal").exists()):
        return False
    os.truncate(path, opened[0])
    log.info("%s: %d unused bytes a rolled-back write had left cut", path, now[0] - opened[0])
    return True


_CONFIG = {"enable_external_access": "false", "autoload_known_extensions": "false",
           "autoinstall_known_extensions": "false"}


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=dict(_CONFIG))
        con.execute("SET enable_progress_bar = false")
        return con
    except duckdb.IOException as e:
        msg = str(e)
        if "not a valid DuckDB database" in msg or "database file" in msg and "not" in msg:
            raise NotACaseError(f"{path}: not a Lintas case (not a DuckDB database file)") from e
        if "lock" in msg.lower():
            pid = re.search(r"PID (\d+)", msg)
            who = f" (process {pid.group(1)})" if pid else ""
            raise CaseLockedError(
                f"{path}: the case is open in another program{who}; close it there first") from e
        raise CaseError(f"{path}: cannot open the case: {msg}") from e
    except duckdb.Error as e:
        raise NotACaseError(f"{path}: not a Lintas case ({e})") from e


class Case:
    """An open case.  Use as a context manager or call ``close()``."""

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection, read_only: bool) -> None:
        self.path = Path(path)
        self.con = con
        self.read_only = read_only
        self._lock = threading.RLock()
        self._opened: tuple[int, bytes] | None = None    # (size, headers) when opened for writing

    # -- opening -------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, title: str, ref: str | None = None, unit: str | None = None,
               country: str = "ID") -> Case:
        path = Path(path)
        if path.exists():
            raise CaseError(f"{path}: already exists; choose another file name")
        if not title.strip():
            raise CaseError("a case needs a title")
        path.parent.mkdir(parents=True, exist_ok=True)
        con = _connect(path, read_only=False)
        case = cls(path, con, read_only=False)
        try:
            case._migrate(0)
            with case.transaction():
                for k, v in {"application": APPLICATION, "title": title.strip(), "case_ref": ref or "",
                             "unit": unit or "", "country": country,
                             "created_utc": audit.now_utc()}.items():
                    con.execute("INSERT OR REPLACE INTO case_meta VALUES (?, ?)", [k, v])
                audit.append(con, "case.create", {"title": title, "case_ref": ref, "unit": unit},
                             {"schema_version": schema.LATEST})
        except BaseException:
            con.close()
            path.unlink(missing_ok=True)
            raise
        log.info("created case %s", path)
        return case

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False) -> Case:
        path = Path(path)
        if not path.exists():
            raise CaseError(f"{path}: no such case file")
        if path.is_dir():
            raise NotACaseError(f"{path}: is a directory, not a case file")
        con = _connect(path, read_only=read_only)
        case = cls(path, con, read_only)
        try:
            version = case._check_is_case()
            if version > schema.LATEST:
                raise NewerSchemaError(
                    f"{path}: written by a newer Lintas (schema version {version}; this program "
                    f"knows up to {schema.LATEST}); update Lintas to open it")
            if version < schema.LATEST:
                if read_only:
                    raise CaseError(f"{path}: schema version {version} needs migrating to "
                                    f"{schema.LATEST}; open it once for writing first")
                case._migrate(version)
        except BaseException:
            con.close()
            raise
        if not read_only:
            case._opened = _file_state(path)
        return case

    def _check_is_case(self) -> int:
        try:
            rows = dict(self.con.execute(
                "SELECT key, value FROM case_meta WHERE key IN ('application', 'schema_version')"
            ).fetchall())
        except duckdb.CatalogException as e:
            raise NotACaseError(f"{self.path}: a DuckDB database, but not a Lintas case") from e
        if rows.get("application") != APPLICATION:
            raise NotACaseError(f"{self.path}: a DuckDB database, but not a Lintas case")
        return int(rows.get("schema_version") or 0)

    def _migrate(self, current: int) -> None:
        for number in range(current + 1, schema.LATEST + 1):
            log.info("migrating %s to schema %d", self.path, number)
            with self.transaction():
                self.con.execute(schema.MIGRATIONS[number - 1])
                self.con.execute("INSERT OR REPLACE INTO case_meta VALUES ('schema_version', ?)",
                                 [str(number)])
                if current > 0:
                    audit.append(self.con, "case.migrate", {"from": number - 1, "to": number}, {})

    def close(self) -> None:
        with contextlib.suppress(duckdb.Error):
            if not self.read_only:
                self.con.execute("CHECKPOINT")
        self.con.close()
        if self._opened is not None:
            _trim_unused_tail(self.path, self._opened)
            self._opened = None

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions and cursors ------------------------------------------
    @contextlib.contextmanager
    def transaction(self, con: duckdb.DuckDBPyConnection | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """BEGIN … COMMIT, ROLLBACK on any exception (including ``Cancelled``)."""
        con = con or self.con
        with self._lock:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            else:
                con.execute("COMMIT")

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor for use on one thread (a DuckDB connection is not shared across threads)."""
        return self.con.cursor()

    def record(self, action: str, params: dict | None = None, result: dict | None = None,
               con: duckdb.DuckDBPyConnection | None = None) -> int:
        """Append an audit entry (inside the caller's transaction when ``con`` is one; else in a
        transaction of its own, on a cursor of its own: safe from any thread)."""
        if self.read_only:
            raise CaseError(f"{self.path}: opened read-only; cannot record '{action}'")
        if con is not None:
            return audit.append(con, action, params, result)
        cur = self.cursor()
        try:
            with self.transaction(cur) as c:
                return audit.append(c, action, params, result)
        finally:
            cur.close()

    # -- facts about the case ------------------------------------------------
    @property
    def schema_version(self) -> int:
        return int(self.meta().get("schema_version", 0))

    def meta(self) -> dict[str, str]:
        return dict(self.cursor().execute("SELECT key, value FROM case_meta").fetchall())

    @property
    def title(self) -> str:
        return self.meta().get("title", "")

    def row_counts(self) -> dict[str, int]:
        """Rows per canonical kind, in one query (the window shows them after every change)."""
        got = dict(self.cursor().execute(" UNION ALL ".join(
            f"SELECT {i} AS k, count(*) AS n FROM {ident(k)}" for i, k in enumerate(KINDS))).fetchall())
        return {k: got[i] for i, k in enumerate(KINDS)}

    def sources(self) -> list[dict[str, Any]]:
        cur = self.cursor()
        rel = cur.execute(
            "SELECT source_id, bundle_id, title, format, importer, container_name, container_sha256, "
            "producer_agency, producer_unit, producer_country, tlp, releasable_to, legal_basis, "
            "caveats, signature_status, signer_key_id, signer_name, imported_at, imported_by, "
            "row_counts FROM sources ORDER BY source_id")
        names = [d[0] for d in rel.description]
        out = []
        for r in rel.fetchall():
            d = dict(zip(names, r, strict=True))
            d["imported_at"] = d["imported_at"].isoformat() + "Z" if d["imported_at"] else None
            d["row_counts"] = json.loads(d["row_counts"]) if d["row_counts"] else {}
            out.append(d)
        return out

    def reject_counts(self) -> dict[int, int]:
        return dict(self.cursor().execute(
            "SELECT source_id, count(*) FROM rejects GROUP BY source_id").fetchall())

    def info(self) -> dict[str, Any]:
        m = self.meta()
        return {
            "path": str(self.path),
            "title": m.get("title"),
            "case_ref": m.get("case_ref") or None,
            "unit": m.get("unit") or None,
            "schema_version": int(m.get("schema_version", 0)),
            "created_utc": m.get("created_utc"),
            "sources": self.sources(),
            "rows": self.row_counts(),
            "rejected_rows": sum(self.reject_counts().values()),
            **dict(zip(("entities", "audit_entries"), self.cursor().execute(
                "SELECT (SELECT count(*) FROM entities), (SELECT count(*) FROM audit)").fetchall()[0], strict=True)),
        }

    def audit_entries(self, limit: int | None = None) -> list[dict]:
        return audit.entries(self.cursor(), limit)

    def verify_audit(self) -> audit.Verification:
        return audit.verify(self.cursor())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
