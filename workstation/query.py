"""Analyst SQL: the one place where the analyst's own SQL runs.

Only reading statements pass (SELECT, including DESCRIBE / SHOW / SUMMARIZE,
and EXPLAIN).  Anything that would change the case, its settings or touch a
file is refused with a message before it runs.  Case connections also have
DuckDB's external access disabled, so even a query that slipped through
cannot read or write files outside the case.  Results stream as Arrow batches.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow as pa

from .errors import QueryRefused

log = logging.getLogger(__name__)

_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}

_WHY = {
    "INSERT": "would add rows", "UPDATE": "would change rows", "DELETE": "would delete rows",
    "CREATE": "would create objects", "DROP": "would drop objects", "ALTER": "would alter the schema",
    "COPY": "would read or write a file", "COPY_DATABASE": "would copy the case",
    "ATTACH": "would attach another database", "DETACH": "would detach a database",
    "LOAD": "would install or load an extension", "PRAGMA": "may change settings",
    "SET": "would change a setting", "VARIABLE_SET": "would change a setting",
    "TRANSACTION": "would control transactions", "EXPORT": "would write files",
    "VACUUM": "would rewrite the case", "CALL": "may call a procedure with side effects",
    "UPDATE_EXTENSIONS": "would install extensions", "MULTI": "would change the case",
}

# Functions that change state even inside a SELECT.
_SIDE_EFFECTS = re.compile(r"\b(nextval|setval|currval)\s*\(", re.IGNORECASE)


def check(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    """Return the statements of ``sql`` if all are read-only; raise QueryRefused otherwise."""
    if not sql.strip():
        raise QueryRefused("the query is empty")
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as e:
        raise QueryRefused(f"the query cannot be read: {e}") from e
    if not statements:
        raise QueryRefused("the query is empty")
    out = []
    for st in statements:
        if st.type not in _ALLOWED:
            name = st.type.name
            raise QueryRefused(
                f"refused: {name} {_WHY.get(name, 'is not a read-only statement')}; analyst SQL is "
                "read-only (SELECT, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN). The case was not changed.")
        if _SIDE_EFFECTS.search(st.query):
            raise QueryRefused("refused: sequence functions (nextval/setval/currval) change the case; "
                               "analyst SQL is read-only. The case was not changed.")
        out.append(st.query)
    return out


def stream(con: duckdb.DuckDBPyConnection, sql: str, batch_size: int = 65536) -> pa.RecordBatchReader:
    """Run guarded analyst SQL; the result of its last statement as a streaming Arrow reader."""
    statements = check(con, sql)
    try:
        for st in statements[:-1]:
            con.execute(st)
        return con.sql(statements[-1]).to_arrow_reader(batch_size)
    except duckdb.PermissionException as e:
        raise QueryRefused(f"refused: {e}. Analyst SQL cannot reach files outside the case.") from e
    except duckdb.InterruptException:
        raise
    except duckdb.Error as e:
        raise QueryRefused(f"the query failed: {str(e).strip()}") from e


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bytes):
        return v.hex()
    return str(v)


def write(reader: pa.RecordBatchReader, fmt: str, out: Path | None, limit: int | None = None) -> int:
    """Write a result as table|csv|json|parquet to ``out`` (None or '-' = stdout).  Returns rows."""
    to_stdout = out is None or str(out) == "-"
    rows = 0
    if fmt == "parquet":
        if to_stdout:
            raise QueryRefused("Parquet output needs --out FILE")
        import pyarrow.parquet as pq

        with pq.ParquetWriter(str(out), reader.schema) as w:
            for batch in _limited(reader, limit):
                w.write_batch(batch)
                rows += batch.num_rows
        return rows
    if fmt == "csv" and not to_stdout:
        import pyarrow.csv as pcsv

        with pcsv.CSVWriter(str(out), reader.schema) as w:
            for batch in _limited(reader, limit):
                w.write_batch(batch)
                rows += batch.num_rows
        return rows
    fh = sys.stdout if to_stdout else open(out, "w", encoding="utf-8", newline="")
    try:
        names = reader.schema.names
        if fmt == "csv":
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(names)
            for batch in _limited(reader, limit):
                for rec in batch.to_pylist():
                    w.writerow([_cell(rec[n]) for n in names])
                rows += batch.num_rows
        elif fmt == "json":
            fh.write("[")
            first = True
            for batch in _limited(reader, limit):
                for rec in batch.to_pylist():
                    fh.write(("\n" if first else ",\n") + json.dumps(rec, default=str, ensure_ascii=False))
                    first = False
                rows += batch.num_rows
            fh.write("\n]\n")
        elif fmt == "table":
            rows = _write_table(fh, names, _limited(reader, limit))
        else:
            raise QueryRefused(f"unknown output format {fmt!r} (table, csv, json, parquet)")
    finally:
        if not to_stdout:
            fh.close()
    return rows


def _limited(reader: pa.RecordBatchReader, limit: int | None) -> Iterable[pa.RecordBatch]:
    left = limit
    for batch in reader:
        if left is None:
            yield batch
            continue
        if left <= 0:
            break
        yield batch.slice(0, left)
        left -= batch.num_rows


def _write_table(fh, names: list[str], batches: Iterable[pa.RecordBatch]) -> int:
    """A plain text table; column widths from the first 1,000 rows, then rows stream."""
    buf: list[list[str]] = []
    rows = 0
    widths = [len(n) for n in names]
    it = iter(batches)
    pending = []
    for batch in it:
        pending.append(batch)
        rows += batch.num_rows
        if rows >= 1000:
            break
    for batch in pending:
        for rec in batch.to_pylist():
            cells = [_cell(rec[n]).replace("\n", " ") for n in names]
            buf.append(cells)
    for cells in buf[:1000]:
        widths = [min(60, max(w, len(c))) for w, c in zip(widths, cells, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = io.StringIO()
    out.write(line(names) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for cells in buf:
        out.write(line(cells) + "\n")
    fh.write(out.getvalue())
    for batch in it:
        for rec in batch.to_pylist():
            fh.write(line([_cell(rec[n]).replace("\n", " ") for n in names]) + "\n")
        rows += batch.num_rows
    fh.write(f"({rows} row{'s' if rows != 1 else ''})\n")
    return rows
