"""Row sources: random access to a (possibly huge) result for lazy views (STYLE habit 4).

A ``RowSource`` answers ``count()`` and ``fetch(offset, limit) -> pyarrow.Table``
for a result that was materialised once into a table of an in-memory database
attached to the case connection (``lintas_rows``).  Materialising costs one
pass (10 M rows ≈ 3.5 s on the project's 2-core machines); afterwards any page,
also the last one, comes back in a few milliseconds by ``rowid`` range, because a
freshly written table's ``rowid`` is its insertion order.  Sorting and filtering
are pushed down: they write a new table from the old one in SQL
(``ORDER BY`` / ``WHERE … ILIKE ?``) and never touch Python rows.

Why an attached in-memory database and not ``TEMP`` tables: temporary tables
belong to one DuckDB connection (cursor), so a worker could not build a sorted
table while the view keeps paging the old one on its own cursor.  Tables of an
attached database are shared by every cursor of the case connection, and DuckDB
spills them to its temporary directory under memory pressure.  A read-only case
cannot attach an in-memory database; there the store falls back to ``TEMP``
tables on one cursor guarded by a lock (paging waits while a sort runs).

Long statements take a ``Progress``: DuckDB's own query progress is reported,
and ``progress.cancel()`` interrupts the running statement.

Also here, because the SQL console is their only user: table/column names for
completion, saved queries (the ``saved_queries`` table) and the query history
(the audit log's ``query`` entries).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from . import query
from .errors import Cancelled, LintasError, QueryRefused
from .progress import NULL, Progress
from .sql import ident

log = logging.getLogger(__name__)

STORE_DB = "lintas_rows"
_names = itertools.count(1)
EXPORT_FORMATS = ("csv", "xlsx", "parquet")
XLSX_MAX_ROWS = 1_048_575  # a sheet holds 1,048,576 rows, one is the header


@contextlib.contextmanager
def interruptible(cur: duckdb.DuckDBPyConnection, progress: Progress,
                  message: str = "") -> Iterator[None]:
    """Run a statement on ``cur`` so that ``progress.cancel()`` interrupts it.

    A small watcher thread reports DuckDB's query progress and calls
    ``cur.interrupt()`` once the caller cancelled; it ends with the statement.
    """
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            if progress.cancelled():
                with contextlib.suppress(duckdb.Error):
                    cur.interrupt()
                return
            with contextlib.suppress(duckdb.Error, Cancelled, RuntimeError):
                p = cur.query_progress()
                if p is not None and p >= 0:
                    progress(min(p, 100.0) / 100.0, message)

    watcher = None
    if progress is not NULL:
        watcher = threading.Thread(target=watch, name="lintas-sql-watch", daemon=True)
        watcher.start()
    try:
        yield
    except duckdb.InterruptException as e:
        raise Cancelled() from e
    except duckdb.Error as e:
        if progress.cancelled():
            raise Cancelled() from e
        raise
    finally:
        done.set()
        if watcher is not None:
            watcher.join()
    progress.check()


class RowStore:
    """Where a case's row sources live: one per open case (and UI session)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, read_only: bool = False) -> None:
        self.con = con
        self._lock: threading.RLock | None = None
        self._shared: duckdb.DuckDBPyConnection | None = None
        self.schema = STORE_DB
        self._temp = ""
        attached = {r[0] for r in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
        if STORE_DB not in attached:
            try:
                if read_only:
                    raise duckdb.CatalogException("read-only case")
                con.execute(f"ATTACH ':memory:' AS {ident(STORE_DB)}")
            except duckdb.Error as e:
                log.info("row store falls back to temporary tables (%s)", e)
                self.schema = "temp"
                self._temp = "TEMP "
                self._lock = threading.RLock()
                self._shared = con.cursor()

    @classmethod
    def for_case(cls, case) -> RowStore:
        return cls(case.con, read_only=case.read_only)

    # -- cursors ---------------------------------------------------------
    @contextlib.contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for this thread (or the one shared, locked cursor of the fallback)."""
        if self._shared is not None:
            with self._lock:
                yield self._shared
            return
        cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def _new_table(self) -> str:
        return f"{ident(self.schema)}.{ident(f'r{next(_names)}')}"

    # -- making row sources --------------------------------------------------
    def from_sql(self, sql: str, progress: Progress = NULL, batch_size: int = 65536) -> RowSource:
        """Run guarded analyst SQL (``workstation.query``) and materialise its result."""
        table = self._new_table()
        reader_cur = self.con.cursor()
        try:
            progress(0.0, "running the query")
            with interruptible(reader_cur, progress, "running the query"):
                reader = query.stream(reader_cur, sql, batch_size)
            return self._write(table, reader, progress, reader_cur)
        except duckdb.Error as e:
            if progress.cancelled():
                raise Cancelled() from e
            raise QueryRefused(f"the query failed: {e}") from e
        finally:
            reader_cur.close()

    def from_arrow(self, data: pa.Table | pa.RecordBatchReader, progress: Progress = NULL) -> RowSource:
        """Materialise Arrow data (e.g. search hits) so views page it like any result."""
        reader = data.to_reader() if isinstance(data, pa.Table) else data
        return self._write(self._new_table(), reader, progress, None)

    def _write(self, table: str, reader: pa.RecordBatchReader, progress: Progress,
               reader_cur: duckdb.DuckDBPyConnection | None) -> RowSource:
        rows = 0
        created = False
        with self.cursor() as cur:
            try:
                for batch in reader:
                    progress.check()
                    cur.register("lintas_rs_batch", batch)
                    try:
                        if not created:
                            cur.execute(f"CREATE {self._temp}TABLE {table} AS SELECT * FROM lintas_rs_batch")
                            created = True
                        else:
                            cur.execute(f"INSERT INTO {table} SELECT * FROM lintas_rs_batch")
                    finally:
                        cur.unregister("lintas_rs_batch")
                    rows += batch.num_rows
                    progress(0.0, f"{rows:,} rows")
                if not created:  # an empty result still has columns
                    cur.register("lintas_rs_batch", pa.Table.from_batches([], schema=reader.schema))
                    try:
                        cur.execute(f"CREATE {self._temp}TABLE {table} AS SELECT * FROM lintas_rs_batch")
                    finally:
                        cur.unregister("lintas_rs_batch")
            except BaseException:
                if reader_cur is not None:
                    with contextlib.suppress(duckdb.Error):
                        reader_cur.interrupt()
                with contextlib.suppress(duckdb.Error):
                    cur.execute(f"DROP TABLE IF EXISTS {table}")
                raise
        progress(1.0, f"{rows:,} rows")
        return RowSource(self, table, rows)


class RowSource:
    """A materialised result: ``count()``, ``fetch(offset, limit)``, sorted/filtered copies."""

    def __init__(self, store: RowStore, table: str, rows: int, *, order: tuple[str, bool] | None = None,
                 filter_text: str | None = None, parent: RowSource | None = None) -> None:
        self.store = store
        self.table = table
        self._rows = rows
        self.order = order
        self.filter_text = filter_text
        self._root = parent._root if parent is not None else self
        with store.cursor() as cur:
            rel = cur.sql(f"SELECT * FROM {table} LIMIT 0")
            self.columns: list[str] = list(rel.columns)
            self.types: list[str] = [str(t) for t in rel.types]
        self._closed = False

    def count(self) -> int:
        return self._rows

    def fetch(self, offset: int, limit: int) -> pa.Table:
        """Rows ``offset`` … ``offset + limit - 1`` in the source's order."""
        if self._closed:
            raise LintasError("this result was closed")
        offset = max(0, int(offset))
        limit = max(0, min(int(limit), self._rows - offset))
        with self.store.cursor() as cur:
            return cur.sql(f"SELECT * FROM {self.table} WHERE rowid >= $a AND rowid < $b ORDER BY rowid",
                           params={"a": offset, "b": offset + limit}).to_arrow_table()

    def column_index(self, name: str) -> int:
        return self.columns.index(name)

    # -- pushed-down views ------------------------------------------------
    def derive(self, order: tuple[str, bool] | None = None, filter_text: str | None = None,
               progress: Progress = NULL) -> RowSource:
        """A new source over the *original* result, filtered and/or sorted in SQL.

        ``order`` is (column, descending); ``filter_text`` keeps rows where any column,
        read as text, contains it (case-insensitive).  Ties keep the original order.
        """
        base = self._root
        for name in [order[0]] if order else []:
            if name not in base.columns:
                raise LintasError(f"no column {name!r} in this result")
        table = self.store._new_table()
        params: dict[str, Any] = {}
        where = ""
        if filter_text:
            params["needle"] = f"%{_escape_like(filter_text)}%"
            where = " WHERE " + " OR ".join(
                f"CAST({ident(c)} AS VARCHAR) ILIKE $needle ESCAPE '\\'" for c in base.columns)
        order_sql = " ORDER BY rowid"
        if order:
            order_sql = f" ORDER BY {ident(order[0])} {'DESC' if order[1] else 'ASC'} NULLS LAST, rowid"
        sql = f"CREATE {self.store._temp}TABLE {table} AS SELECT * FROM {base.table}{where}{order_sql}"
        progress(0.0, "sorting and filtering")
        with self.store.cursor() as cur:
            try:
                with interruptible(cur, progress, "sorting and filtering"):
                    cur.execute(sql, params).fetchall()
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    cur.execute(f"DROP TABLE IF EXISTS {table}")
                raise
            rows = cur.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        progress(1.0, f"{rows:,} rows")
        return RowSource(self.store, table, rows, order=order, filter_text=filter_text or None, parent=base)

    def close(self) -> None:
        """Drop this source's table (the original result stays while its view needs it)."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(duckdb.Error), self.store.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {self.table}")

    # -- export ----------------------------------------------------------------
    def reader(self, batch_size: int = 65536) -> tuple[pa.RecordBatchReader, duckdb.DuckDBPyConnection]:
        cur = self.store.con.cursor() if self.store._shared is None else self.store._shared
        return cur.sql(f"SELECT * FROM {self.table} ORDER BY rowid").to_arrow_reader(batch_size), cur

    def export(self, path: str | Path, fmt: str | None = None, progress: Progress = NULL) -> int:
        """Write every row to CSV, XLSX or Parquet (by ``fmt`` or the file suffix); return rows."""
        path = Path(path)
        fmt = (fmt or path.suffix.lstrip(".")).lower()
        if fmt not in EXPORT_FORMATS:
            raise LintasError(f"{path}: unknown export format {fmt!r} (csv, xlsx, parquet)")
        if fmt == "xlsx" and self._rows > XLSX_MAX_ROWS:
            raise LintasError(f"{path}: {self._rows:,} rows do not fit in one XLSX sheet "
                              f"(at most {XLSX_MAX_ROWS:,}); export CSV or Parquet instead")
        total = max(1, self._rows)
        done = 0

        def counted(reader: pa.RecordBatchReader) -> Iterator[pa.RecordBatch]:
            nonlocal done
            for b in reader:
                progress.check()
                yield b
                done += b.num_rows
                progress(done / total, f"{done:,} of {self._rows:,} rows")

        tmp = path.with_name(path.name + ".part")
        ctx = self.store._lock if self.store._shared is not None else contextlib.nullcontext()
        with ctx:
            reader, cur = self.reader()
            try:
                stream = pa.RecordBatchReader.from_batches(reader.schema, counted(reader))
                if fmt == "xlsx":
                    rows = _write_xlsx(stream, tmp)
                else:
                    rows = query.write(stream, fmt, tmp)
                tmp.replace(path)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            finally:
                if cur is not self.store._shared:
                    cur.close()
        progress(1.0, f"{rows:,} rows written")
        return rows


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _write_xlsx(reader: pa.RecordBatchReader, path: Path) -> int:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    try:
        ws = wb.add_worksheet("result")
        bold = wb.add_format({"bold": True})
        for c, name in enumerate(reader.schema.names):
            ws.write_string(0, c, name, bold)
        r = 0
        for batch in reader:
            for rec in zip(*(col.to_pylist() for col in batch.columns), strict=True):
                r += 1
                for c, v in enumerate(rec):
                    if v is None:
                        continue
                    if isinstance(v, bool | int | float) and not (isinstance(v, float) and v != v):
                        ws.write_number(r, c, float(v)) if not isinstance(v, bool) else ws.write_boolean(r, c, v)
                    else:
                        ws.write_string(r, c, _text(v))
    finally:
        wb.close()
    return r


def _text(v: Any) -> str:
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(v)


# -- what the console needs besides results --------------------------------------
def schema_names(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Tables and views of the case (not the row store) with their columns, for completion."""
    cur = con.cursor()
    try:
        rows = cur.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND NOT internal "
            "ORDER BY table_name, column_index").fetchall()
    finally:
        cur.close()
    out: dict[str, list[str]] = {}
    for t, c in rows:
        out.setdefault(t, []).append(c)
    return out


def saved_queries(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cur = con.cursor()
    try:
        rows = cur.execute("SELECT name, sql, description, created_utc FROM saved_queries "
                           "ORDER BY lower(name)").fetchall()
    finally:
        cur.close()
    return [{"name": n, "sql": s, "description": d, "created_utc": t.isoformat() + "Z" if t else None}
            for n, s, d, t in rows]


def save_query(case, name: str, sql: str, description: str | None = None) -> None:
    """Save (or replace) a named query; recorded in the audit log.  Safe on any thread."""
    name = name.strip()
    if not name:
        raise LintasError("a saved query needs a name")
    cur = case.cursor()
    try:
        query.check(cur, sql)  # only queries the console could run are worth saving
        with case.transaction(cur) as con:
            con.execute("INSERT OR REPLACE INTO saved_queries (name, sql, description, created_utc) "
                        "VALUES (?, ?, ?, now() AT TIME ZONE 'UTC')", [name, sql, description])
            case.record("query.save", {"name": name, "sql": sql, "description": description}, {}, con=con)
    finally:
        cur.close()


def delete_saved_query(case, name: str) -> bool:
    cur = case.cursor()
    try:
        with case.transaction(cur) as con:
            n = con.execute("SELECT count(*) FROM saved_queries WHERE name = ?", [name]).fetchall()[0][0]
            if n:
                con.execute("DELETE FROM saved_queries WHERE name = ?", [name])
                case.record("query.delete", {"name": name}, {}, con=con)
    finally:
        cur.close()
    return bool(n)


def query_history(con: duckdb.DuckDBPyConnection, limit: int = 200) -> list[dict[str, Any]]:
    """The case's past queries, newest first, from the audit log (each run is recorded there)."""
    cur = con.cursor()
    try:
        rows = cur.execute(
            "SELECT seq, time_utc, os_user, params ->> 'sql', result ->> 'rows' FROM audit "
            "WHERE action = 'query' ORDER BY seq DESC LIMIT ?", [limit]).fetchall()
    finally:
        cur.close()
    return [{"seq": s, "time_utc": t, "user": u, "sql": q, "rows": int(r) if r is not None else None}
            for s, t, u, q, r in rows]


def record_query(case, sql: str, rows: int | None, seconds: float | None = None) -> int:
    """Audit one console run, as the ``lintas query`` command does.  Safe on any thread."""
    return case.record("query", {"sql": sql, "format": "console", "out": None},
                       {"rows": rows, "seconds": round(seconds, 3) if seconds is not None else None})


def handling_index(con: duckdb.DuckDBPyConnection) -> dict[str, dict[int, dict[str, Any]]]:
    """Handling of every source (with how far its origin is proven: ``signature_status``) and
    row-level handling, to show beside result rows."""
    cur = con.cursor()
    try:
        src = cur.execute("SELECT source_id, tlp, releasable_to, legal_basis, caveats, title, "
                          "producer_agency, producer_country, signature_status FROM sources").fetchall()
        hnd = cur.execute("SELECT handling_id, tlp, releasable_to, legal_basis, caveats, label "
                          "FROM handlings").fetchall()
    finally:
        cur.close()
    keys = ("tlp", "releasable_to", "legal_basis", "caveats")
    return {
        "sources": {r[0]: dict(zip(keys, r[1:5], strict=True), title=r[5], producer=r[6], country=r[7],
                               signature_status=r[8]) for r in src},
        "handlings": {r[0]: dict(zip(keys, r[1:5], strict=True), label=r[5]) for r in hnd},
    }


def case_outline(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What the case explorer lists besides sources: entities by kind, dossiers and exports."""
    cur = con.cursor()
    try:
        entities = dict(cur.execute("SELECT kind, count(*) FROM entities GROUP BY kind ORDER BY kind").fetchall())
        exports = cur.execute("SELECT export_id, kind, recipient, path, tlp, created_utc FROM exports "
                              "ORDER BY created_utc DESC").fetchall()
        rejected = dict(cur.execute("SELECT source_id, count(*) FROM rejects GROUP BY source_id").fetchall())
    finally:
        cur.close()
    keys = ("export_id", "kind", "recipient", "path", "tlp", "created_utc")
    return {"entities": entities, "exports": [dict(zip(keys, r, strict=True)) for r in exports],
            "rejected": rejected}


def sql_for_kind(kind: str) -> str:
    """The console query that lists a kind's rows (shown to the analyst, who may edit it)."""
    return f"SELECT * FROM {ident(kind)} ORDER BY source_id, source_row"


def sql_for_entities(kind: str) -> str:
    from .sql import literal

    return f"SELECT * FROM entities WHERE kind = {literal(kind)} ORDER BY name_folded"
