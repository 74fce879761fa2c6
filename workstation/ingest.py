"""The import pipeline: a staged source into the case, all or nothing.

Steps, for every table of a ``StagedSource``:

1. *read* — a staging DuckDB engine (in memory, spilling to a temporary
   directory; the only engine that touches input files) reads the file as text
   columns (CSV, all VARCHAR), or its typed columns (Parquet, JSON lines), or
   takes the Arrow table of a partner format; ``source_row`` is the row's number
   in its file (CSV: the record number with the header as 1 — the line number
   when no field spans lines; JSON lines: the line number; Parquet: the row
   index from 1; partner formats: as the importer numbers them);
2. *check* — required columns present; every value of a typed column readable
   (timestamps with an offset or the source's default time zone, numbers,
   partial dates); references (identifier owners, relationship ends, …) resolve
   inside the source; every bad row is found (one scan per table) and the first
   ones are listed with file, row, column and reason;
3. *normalise* — companions beside the value as written: ``*_utc`` timestamps,
   ``*_e164`` / ``*_norm`` numbers and addresses (once per distinct value, in
   bulk: ``workstation.phones``), ``*_iso`` countries and dates, folded names,
   entity ids;
4. *write* — one transaction on the case: sources, files, handlings, rows
   (streamed as Arrow batches from the staging engine), entities, attachments,
   rejects and the audit entry.  Any problem (unless ``skip_bad_rows``), error
   or cancel rolls the whole source back.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from . import attachments as files
from . import audit, phones
from .case import Case, utcnow
from .errors import Cancelled, InputRefused, LintasError, Problem
from .importers import ImportOptions, choose
from .kinds import IDENTIFIER_KINDS, KINDS, Column, table_columns
from .normalise import (
    CLOSED_LISTS,
    CURRENCY_CODES,
    ZERO_MINOR_CURRENCIES,
    char_label,
    country_iso,
    fold_name,
    identifier_norm,
    looks_like_phone,
    phone_e164,
)
from .progress import NULL, Progress
from .sql import first, ident, literal
from .staging import StagedSource, StagedTable

log = logging.getLogger(__name__)

MAX_LISTED_PROBLEMS = 100
# The longest CSV row read (DuckDB's default is 2 MB: a long note or message body was refused as
# "CSV Error on Line: 1", naming the header); as long as a JSON-lines object may be.
CSV_MAX_ROW_BYTES = 64 << 20
BATCH_ROWS = 122_880
OBJECTS = "objects"
_OBJECT_COLUMNS = (Column("id", "text", True), Column("type", "text", True), Column("name"),
                   Column("properties"))
_ENTITY_KINDS = {"persons": "person", "organizations": "organization", OBJECTS: "object"}
# References that resolve to an entity of the same source: (column, target, must resolve).
_REFERENCES = {
    "identifiers": [("owner", "owner_entity_id", True)],
    "relationships": [("source", "source_entity_id", True), ("target", "target_entity_id", True)],
    "addresses": [("owner", "owner_entity_id", True)],
    "contacts": [("owner", "owner_entity_id", False)],
    "travel": [("person", "person_entity_id", True)],
    "sightings": [("subject", "subject_entity_id", False)],
}
# A timestamp without offset, as ISO 8601 writes it.  DuckDB's TIMESTAMP cast also takes a
# trailing zone name or abbreviation ('… 21:14:05 WITA', '… UTC') and drops it without a word,
# so a naive value must match this before it is read in the default zone.
_TS_NAIVE = r"\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?"
# A timestamp with an offset, as RFC 3339 writes it ('Z', '+07:00'; ISO 8601's '+0700' and '+07' too).
# DuckDB's TIMESTAMPTZ cast also reads a zone name holding a sign ('… America/Port-au-Prince',
# '… UTC-7', '… Etc/GMT-7', which is UTC+7) and offsets of no place on Earth ('+25:00'): a value
# with a sign or 'Z' after its date must match this before it is read.
_TS_AWARE = r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)"
_NUMERIC_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
                  "FLOAT", "DOUBLE"}
_PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
# The column in which the plain importer marks an XLSX amount cell stored as a number.
XLSX_NUMBER_FLAG = "source_amount_is_number"
# The column in which it names (separated by chr(31)) a row's number cells whose float cannot hold the
# number's digits exactly (2^53 or more, or 16 significant digits or more).
XLSX_INEXACT = "source_inexact_cells"
# Currencies as people write them where ISO 4217 codes are meant.
_CURRENCY_SIGNS = {"RP": "IDR", "RP.": "IDR", "RUPIAH": "IDR", "RM": "MYR", "RINGGIT": "MYR", "₱": "PHP",
                   "PESO": "PHP", "$": "USD", "US$": "USD", "S$": "SGD", "€": "EUR", "IDR": "IDR",
                   "MYR": "MYR", "PHP": "PHP", "USD": "USD", "SGD": "SGD", "EUR": "EUR"}


@dataclass
class ImportResult:
    imported: bool
    source_id: int | None = None
    bundle_id: str | None = None
    title: str | None = None
    format: str | None = None
    importer: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    rejected: int = 0
    warnings: list[str] = field(default_factory=list)
    signature: dict[str, Any] = field(default_factory=dict)
    tlp: str | None = None
    audit_seq: int | None = None
    already_imported_as: int | None = None
    problems: list[dict] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _is_numeric(sql_type: str) -> bool:
    """A column type holding numbers (not text) as DuckDB reads Parquet or JSON."""
    return sql_type in _NUMERIC_TYPES or sql_type.startswith("DECIMAL") or sql_type in ("HUGEINT", "UHUGEINT")


def _columns_of(kind: str) -> tuple[Column, ...]:
    return _OBJECT_COLUMNS if kind == OBJECTS else KINDS[kind]


def _target_columns(kind: str) -> list[str]:
    if kind == OBJECTS:
        return ["source_id", "source_row", "id", "type", "name", "properties", "entity_id",
                "handling_id", "extra", "source_file"]
    return [n for n, _ in table_columns(kind)]


class _Staging:
    """The staging engine: reads input files; the case connection never does."""

    def __init__(self) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="lintas-staging-")
        self.con = duckdb.connect(":memory:", config={
            "temp_directory": self.tmp.name, "memory_limit": "1500MB",
            "autoinstall_known_extensions": "false", "autoload_known_extensions": "false",
            "preserve_insertion_order": "true"})
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute("SET enable_progress_bar = false")
        self.con.execute("CREATE TEMP TABLE _bad (t INTEGER, source_row BIGINT, col VARCHAR, reason VARCHAR)")
        # rows the checks' scan warns about (kept): the warnings name them unless they are set aside
        self.con.execute("CREATE TEMP TABLE _warn (t INTEGER, source_row BIGINT, col VARCHAR, reason VARCHAR)")
        self.structural: list[Problem] = []
        self.warnings: list[str] = []

    def close(self) -> None:
        with contextlib.suppress(duckdb.Error):
            self.con.close()
        self.tmp.cleanup()


@dataclass
class _Prepared:
    index: int
    table: StagedTable
    relation: str                              # SQL reading the input
    types: dict[str, str]                      # raw columns and their types
    rows: int
    norm: str = ""                             # staging table of canonical rows
    nested: list[str] = field(default_factory=list)   # helper columns: what a nested value is
    floats: list[str] = field(default_factory=list)   # helper columns: a float that lost digits

    @property
    def kind(self) -> str:
        return self.table.kind

    @property
    def file(self) -> str:
        return self.table.file


# -- reading, shaping, checking ------------------------------------------------------------
def _source_sql(st: _Staging, i: int, t: StagedTable) -> tuple[str, str | int] | None:
    """(relation SQL, row number) reading ``t`` in the staging engine.  The row number is an
    SQL expression, or an int: the offset to add to the row's place in the staging table
    (numbering by place costs a fraction of ``row_number() OVER ()`` on large files; the
    staging engine preserves insertion order, so the place is the order of the file)."""
    if t.arrow is not None:
        name = f"arrow_{i}"
        st.con.register(name, t.arrow)
        cols = [r[0] for r in st.con.execute(f"DESCRIBE SELECT * FROM {name}").fetchall()]
        return name, ("source_row" if "source_row" in cols else 1)
    if t.format in ("csv", "parquet", "jsonl", "xlsx") and t.path is not None:
        return _file_relation(t, Path(t.path))
    st.structural.append(Problem(f"unknown table format {t.format!r} (csv, parquet, jsonl)", t.file))
    return None


def _file_relation(t: StagedTable, file: Path) -> tuple[str, str | int]:
    """(relation SQL reading ``file`` as ``t``'s format, row number: SQL or offset to the place)."""
    path = literal(str(file))
    if t.format == "xlsx":
        # a sheet the plain importer wrote, batch by batch, as a Parquet file of text columns with the
        # sheet's row numbers (workstation.plain_import.xlsx_to_parquet)
        return f"read_parquet({path})", "source_row"
    if t.format == "csv":
        return (f"read_csv({path}, header = true, delim = ',', quote = '\"', escape = '\"', "
                f"all_varchar = true, strict_mode = true, encoding = 'utf-8', max_line_size = {CSV_MAX_ROW_BYTES})",
                2)
    if t.format == "parquet":
        if "file_row_number" in _parquet_names(file):
            # the producer's own column of that name is kept; rows are numbered by their place
            return f"read_parquet({path})", 1
        return f"read_parquet({path}, file_row_number = true)", "file_row_number + 1"
    if _blank(file):
        # No object at all (an empty table written as JSON lines): zero rows of the kind's
        # columns, under the names the mapping gives them.  DuckDB cannot read such a file.
        cols = ", ".join(f"CAST(NULL AS VARCHAR) AS {ident(t.columns.get(c.name, c.name))}"
                         for c in _columns_of(t.kind))
        return f"(SELECT {cols} LIMIT 0)", 1
    return (f"read_json({path}, format = 'newline_delimited', records = true, sample_size = -1, "
            "maximum_object_size = 67108864)", 1)


def _parquet_names(file: Path) -> list[str]:
    """Top-level column names of a Parquet file (from its footer; [] if it cannot be read, which
    the reader then reports)."""
    try:
        import pyarrow.parquet as pq

        return list(pq.read_schema(file).names)
    except Exception:  # noqa: BLE001 - DuckDB's own reading names what is wrong with the file
        return []


_BLANK_LINE = re.compile(rb"\n[ \t\r]*\n")


def _jsonl_line_numbers(con, norm: str, file: Path) -> None:
    """Make ``source_row`` of a JSON-lines table its line number when blank lines (which the
    format allows and DuckDB skips) put objects on other lines than their place."""
    with open(file, "rb") as fh:
        tail = b"\n"  # so that a blank first line counts
        while chunk := fh.read(CHUNK_BYTES):
            if _BLANK_LINE.search(tail + chunk):
                break
            cut = chunk.rfind(b"\n")   # a blank line may straddle two chunks
            tail = chunk[cut:] if cut >= 0 else b""
        else:
            return
    with open(file, "rb") as fh:
        lines = [n for n, raw in enumerate(fh, start=1) if raw.strip()]
    con.register("_jsonl_lines", pa.table({"place": pa.array(range(1, len(lines) + 1), pa.int64()),
                                           "line": pa.array(lines, pa.int64())}))
    try:
        con.execute(f"UPDATE {norm} AS x SET source_row = l.line FROM _jsonl_lines AS l "
                    f"WHERE l.place = x.source_row")
    finally:
        con.unregister("_jsonl_lines")


CHUNK_BYTES = 1 << 20


def _blank(file: Path) -> bool:
    """True when a file holds nothing but white space (read no further than its first 64 KiB)."""
    try:
        with open(file, "rb") as fh:
            head = fh.read(65536)
            return not head.strip() and not fh.read(1)
    except OSError:
        return False


def _line_longer_than(path: Path, limit: int) -> int | None:
    """Number of the first line of ``path`` longer than ``limit`` bytes (None when none is)."""
    n, length = 1, 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            start = 0
            while (cut := chunk.find(b"\n", start)) >= 0:
                if length + cut - start > limit:
                    return n
                n, length, start = n + 1, 0, cut + 1
            length += len(chunk) - start
            if length > limit:
                return n
    return None


def _read_problem(t: StagedTable, e: duckdb.Error) -> Problem:
    msg = str(e)
    if t.path:  # the reader names the file by its (temporary) path: name it as the bundle does
        msg = msg.replace(str(t.path), str(t.file))
    if t.format == "csv" and t.path and "Maximum line size" in msg:
        # DuckDB names line 1 whatever the line
        return Problem(f"a row longer than the limit of {CSV_MAX_ROW_BYTES} bytes", t.file,
                       _line_longer_than(Path(t.path), CSV_MAX_ROW_BYTES))
    line = re.search(r"CSV Error on Line: (\d+)", msg) or re.search(r"\bin line (\d+)", msg)
    row = int(line.group(1)) if line else None
    if "not utf-8" in msg.lower() or "invalid unicode" in msg.lower():
        return Problem("not UTF-8 text (lintas-bundle/1 CSV files are UTF-8)", t.file, row)
    first_line = msg.strip().splitlines()[0] if msg.strip() else type(e).__name__
    if t.format == "csv" and t.path and not line:
        bad = _first_bad_csv_record(Path(t.path))
        if bad == (None, "not UTF-8"):
            return Problem("not UTF-8 text (lintas-bundle/1 CSV files are UTF-8)", t.file)
        if bad is not None:
            return Problem(f"malformed CSV row: {bad[1]}", t.file, bad[0])
    if t.format == "jsonl" and t.path:
        bad = _first_bad_json_line(Path(t.path))
        if bad is not None:
            return Problem(f"not a JSON object: {bad[1]}", t.file, bad[0])
    if line and t.format == "csv":
        return Problem(f"malformed CSV row: {first_line}", t.file, row)
    return Problem(f"cannot read the {t.format or 'input'} file: {first_line}", t.file, row)


def _repeated_csv_columns(path: Path) -> list[str]:
    """Names the header row of a CSV file holds more than once."""
    import csv

    try:
        with open(path, encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return []  # DuckDB's own reading reports what is wrong with the file
    seen: set[str] = set()
    repeated: list[str] = []
    for name in (h.strip() for h in header):
        if name in seen and name not in repeated:
            repeated.append(name)
        seen.add(name)
    return repeated


def _first_bad_json_line(path: Path) -> tuple[int, str] | None:
    """(line number, what is wrong) of the first non-blank line of a JSON-lines file that is not
    a JSON object; None when all are.  Only called once DuckDB has refused the file (its line
    numbers are one too high when the file ends inside an object)."""
    try:
        with open(path, "rb") as fh:
            for n, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                try:
                    obj = json.loads(raw.rstrip(b"\r\n"))
                except ValueError as err:
                    return n, str(err)
                if not isinstance(obj, dict):
                    return n, f"a JSON {type(obj).__name__}, not an object"
    except OSError:
        return None
    return None


def _first_bad_csv_record(path: Path) -> tuple[int | None, str] | None:
    """(record number, header = 1; what is wrong) of the first record of an RFC 4180 file that
    does not have the header's number of fields, or cannot be read; None when all can.  Only
    called once DuckDB has refused the file without saying where (its dialect sniffer)."""
    import csv

    n, header = 0, None
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, strict=True)
            header = next(reader, None)
            n = 1
            if header is None:
                return None
            for n, record in enumerate(reader, start=2):  # noqa: B007 - n is used after the loop
                if len(record) != len(header):
                    return n, f"{len(record)} field{'s' if len(record) != 1 else ''}, the header has {len(header)}"
    except csv.Error as err:
        return n + 1, str(err)
    except UnicodeDecodeError:
        return None, "not UTF-8"   # decoded ahead of the records: the row is not known
    except OSError:
        return None
    return None


def _text(col: str, typ: str) -> str:
    """SQL for a column's value as written (trimmed text, NULL when empty)."""
    q = ident(col)
    if typ == "JSON":
        # JSON lines whose rows disagree on a column's type (a number here, a string there): a string
        # is its text, not its JSON ('"P-1"' did not meet the person P-1, '"0812…"' no number); a
        # whole number its digits; an object or array stays JSON (and is refused where text goes)
        n = f"TRY_CAST({q} ->> '$' AS DOUBLE)"
        q = (f"CASE json_type({q}) WHEN 'VARCHAR' THEN {q} ->> '$' "
             f"WHEN 'DOUBLE' THEN CASE WHEN isfinite({n}) AND {n} = trunc({n}) AND abs({n}) < 1e18 "
             f"THEN CAST(CAST({n} AS HUGEINT) AS VARCHAR) ELSE {q} ->> '$' END "
             f"WHEN 'NULL' THEN NULL ELSE CAST({q} AS VARCHAR) END")
    elif typ.endswith("[]") or typ.startswith(("STRUCT", "MAP")):
        q = f"CAST(to_json({q}) AS VARCHAR)"
    elif typ == "BLOB":
        # Parquet text written as plain BINARY (no UTF-8 annotation): the text it holds, not
        # DuckDB's escaped form ('Bud\\xC3\\xAD'); bytes that are no UTF-8 are refused
        q = f"try(decode({q}))"
    elif typ in ("FLOAT", "DOUBLE") or typ.startswith("DECIMAL"):
        # A whole number stored as a float or decimal (a phone or account column of a data frame
        # with gaps) is its digits: as DuckDB writes it, '6281234567890.0' read as a number of
        # Indonesia was +62812345678900, another number, and '1234567890.0' the account 12345678900.
        q = (f"CASE WHEN isfinite(CAST({q} AS DOUBLE)) AND {q} = trunc({q}) AND abs({q}) < 1e18 "
             f"THEN CAST(CAST({q} AS HUGEINT) AS VARCHAR) ELSE CAST({q} AS VARCHAR) END")
    else:
        q = f"CAST({q} AS VARCHAR)"
    return f"NULLIF(trim({q}), '')"


def _nested_sql(col: str, typ: str) -> str | None:
    """SQL naming what a value of ``col`` is when it is no text nor number ('a JSON object', …),
    NULL when it is; None when no value of the type can be nested."""
    q = ident(col)
    if typ.startswith(("STRUCT", "MAP")):
        return f"CASE WHEN {q} IS NOT NULL THEN 'a JSON object' END"
    if typ.endswith("[]") or typ.startswith("LIST"):
        return f"CASE WHEN {q} IS NOT NULL THEN 'a JSON array' END"
    if typ == "BLOB":
        return f"CASE WHEN {q} IS NOT NULL AND try(decode({q})) IS NULL THEN 'binary data (not UTF-8 text)' END"
    if typ == "JSON":
        return f"CASE json_type({q}) WHEN 'OBJECT' THEN 'a JSON object' WHEN 'ARRAY' THEN 'a JSON array' END"
    return None


# Where a float stops holding every number of its digits exactly: (the least whole number it cannot
# hold, significant digits a fraction may have before its last ones are the float's, not the writer's).
_FLOAT_LIMITS = {"FLOAT": (1 << 24, 7), "DOUBLE": (1 << 53, 16)}


def _float_reason(x: str, typ: str) -> str:
    """SQL: why the float ``x`` (of type FLOAT or DOUBLE) cannot stand for the digits it was written
    with (2^53 or more, or a fraction of 16 significant digits or more: '1234567890123456789' is
    1234567890123456768 by the time the import reads it), NULL when it can."""
    limit, digits = _FLOAT_LIMITS[typ]
    d, s = f"CAST({x} AS DOUBLE)", f"CAST({x} AS VARCHAR)"
    significant = f"length(ltrim(regexp_replace(split_part(lower({s}), 'e', 1), '[^0-9]', '', 'g'), '0'))"
    n = (f"CASE WHEN abs({d}) >= {limit} THEN CAST(floor(log10(abs({d}))) + 1 AS BIGINT) "
         f"WHEN {d} <> trunc({d}) AND {significant} >= {digits} THEN {significant} END")
    return (f"CASE WHEN isfinite({d}) THEN 'stored as a floating-point number, which cannot hold ' || ({n}) "
            f"|| ' digits exactly: store it as text (read as ' || {s} || ')' END")


def _inexact_sql(col: str, typ: str) -> str | None:
    """SQL: why a value of ``col`` has lost digits before the import reads it as text (a float),
    NULL when it has not; None when no value of the type can have."""
    q = ident(col)
    if typ in _FLOAT_LIMITS:
        return _float_reason(q, typ)
    if typ == "JSON":
        # JSON lines whose rows disagree on the type: an integer literal is read as written, whatever
        # its length; a number written with a fraction or exponent is the float DuckDB made of it
        raw = f"({q} ->> '$')"
        return (f"CASE WHEN json_type({q}) = 'DOUBLE' AND NOT regexp_full_match({raw}, '-?[0-9]+') "
                f"THEN {_float_reason(f'TRY_CAST({raw} AS DOUBLE)', 'DOUBLE')} END")
    return None


def _shape_sql(p: _Prepared) -> tuple[list[str], list[str]]:
    """Select-expressions of the canonical rows (values as written, typed values and hidden
    ``__`` helper columns); names of missing required columns."""
    exprs: list[str] = []
    missing: list[str] = []
    for col in _columns_of(p.kind):
        src = p.table.columns.get(col.name, col.name)
        present = src in p.types
        if not present and col.required:
            missing.append(col.name if src == col.name else f"{col.name} (mapped to {src!r})")
        v = _text(src, p.types[src]) if present else "CAST(NULL AS VARCHAR)"
        out = ident(col.name)
        if col.type == "list":
            if present and p.types[src] in ("JSON", "JSON[]"):
                # JSON lines whose rows do not agree on the type (arrays beside strings, or arrays
                # of mixed items): arrays item by item as text, a string split at ';'.
                j = f"to_json({ident(src)})" if p.types[src] == "JSON[]" else f"CAST({ident(src)} AS JSON)"
                base = (f"CASE WHEN json_type({j}) = 'ARRAY' THEN from_json({j}, '[\"VARCHAR\"]') "
                        f"ELSE string_split({j} ->> '$', ';') END")
            elif present and p.types[src].endswith("[]"):
                base = f"CAST({ident(src)} AS VARCHAR[])"
            else:
                base = f"string_split({v}, ';')"
            exprs.append(f"coalesce(list_filter(list_transform({base}, lambda x: trim(x)), lambda x: x <> ''), "
                         f"CAST([] AS VARCHAR[])) AS {out}")
        elif col.type in ("number", "amount"):
            sql_type = "DOUBLE" if col.type == "number" else "DECIMAL(24,4)"
            typed = present and _is_numeric(p.types[src])
            if typed and col.type == "number":
                # A typed number (Parquet, JSON) is read as it is: no round trip through text.
                exprs += [f"CAST({ident(src)} AS DOUBLE) AS {out}", f"{ident(src)} AS {ident('__txt_' + col.name)}"]
            else:
                exprs += [f"TRY_CAST({v} AS {sql_type}) AS {out}", f"{v} AS {ident('__txt_' + col.name)}"]
            if col.type == "amount":
                # Written as a number (a Parquet or JSON number, an XLSX number cell), not as text:
                # no separator can be misread in it.
                num = ("true" if typed else f"coalesce(CAST({ident(XLSX_NUMBER_FLAG)} AS BOOLEAN), false)"
                       if present and p.table.format == "xlsx" and XLSX_NUMBER_FLAG in p.types else "false")
                exprs.append(f"{num} AS {ident('__num_' + col.name)}")
        elif col.type == "time":
            tail = f"substr({v}, 11)"
            offset = (f"(strpos({tail}, '+') > 0 OR strpos({tail}, '-') > 0 OR right({v}, 1) IN ('Z', 'z'))")
            # RFC 3339 allows 't' and 'z' in lower case; DuckDB reads only 'T' and 'Z'.
            u = (f"CASE WHEN substr({v}, 11, 1) = 't' OR right({v}, 1) = 'z' "
                 f"THEN upper({v}) ELSE {v} END")
            wall = f"CASE WHEN regexp_full_match({v}, {literal(_TS_NAIVE)}) THEN TRY_CAST({u} AS TIMESTAMP) END"
            exprs += [f"{v} AS {out}", f"{wall} AS {ident('__wall_' + col.name)}",
                      f"coalesce({offset}, false) AS {ident('__off_' + col.name)}",
                      f"CASE WHEN {offset} AND regexp_full_match({v}, {literal(_TS_AWARE)}) "
                      f"THEN TRY_CAST({u} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' END "
                      f"AS {ident('__aware_' + col.name)}"]
        elif col.type == "date":
            partial = f"regexp_matches({v}, {literal(_PARTIAL_DATE)})"
            padded = f"CASE length({v}) WHEN 4 THEN {v} || '-01-01' WHEN 7 THEN {v} || '-01' ELSE {v} END"
            # A date written with a time (and offset) is the calendar date as written: taken to UTC
            # it could be the day before or after.
            as_ts = f"coalesce(TRY_CAST({v} AS TIMESTAMPTZ), TRY_CAST({v} AS TIMESTAMP))"
            day = f"TRY_CAST(substr({v}, 1, 10) AS DATE)"
            iso = (f"CASE WHEN {partial} THEN CASE WHEN TRY_CAST({padded} AS DATE) IS NOT NULL THEN {v} END "
                   f"WHEN {as_ts} IS NOT NULL AND {day} IS NOT NULL THEN strftime({day}, '%Y-%m-%d') END")
            exprs += [f"{v} AS {out}", f"{iso} AS {ident('__iso_' + col.name)}"]
        else:
            exprs.append(f"{v} AS {out}")
            shape = _nested_sql(src, p.types[src]) if present and col.type in ("text", "phone", "address",
                                                                               "country") else None
            if shape:
                # an object, a list or bytes where text goes (JSON lines, Parquet): as text it would
                # be JSON or an escaped byte string no one wrote
                p.nested.append("__nested_" + col.name)
                exprs.append(f"{shape} AS {ident('__nested_' + col.name)}")
            inexact = None
            if present and col.type in ("text", "phone", "address"):
                inexact = _inexact_sql(src, p.types[src])
                if p.table.format == "xlsx" and XLSX_INEXACT in p.types:
                    # a number cell the plain importer found inexact (it wrote the float's digits)
                    inexact = (f"CASE WHEN list_contains(string_split({ident(XLSX_INEXACT)}, chr(31)), "
                               f"{literal(src)}) THEN {_float_reason(f'TRY_CAST({v} AS DOUBLE)', 'DOUBLE')} END")
            if inexact:
                p.floats.append("__float_" + col.name)
                exprs.append(f"{inexact} AS {ident('__float_' + col.name)}")
    mapped = {p.table.columns.get(c.name, c.name) for c in _columns_of(p.kind)}
    # Importers that stage Arrow pass kept columns, row handlings and row numbers under these
    # names; in a file from a bundle or a plain file they are the producer's own columns, kept.
    internal: set[str] = set()
    if p.table.format == "xlsx":
        internal = {"source_row", XLSX_NUMBER_FLAG, XLSX_INEXACT} & set(p.types)
    elif p.table.arrow is not None:
        internal = {"extra", "handling_key", "source_row"} & set(p.types)
    extras = [c for c in p.types if c not in mapped and c not in internal]
    if p.kind == "persons":
        exprs.append(f"lower({_text('role', p.types['role'])}) AS role" if "role" in extras
                     else "CAST(NULL AS VARCHAR) AS role")
        extras = [c for c in extras if c != "role"]
    extra = "CAST(NULL AS JSON)"
    if extras:
        extra = f"CAST(to_json({{{', '.join(f'{literal(c)}: {ident(c)}' for c in extras)}}}) AS JSON)"
    if "extra" in internal:
        given = "TRY_CAST(\"extra\" AS JSON)"
        extra = given if not extras else f"CAST(json_merge_patch(coalesce({given}, '{{}}'), {extra}) AS JSON)"
    exprs.append(f"{extra} AS extra")
    default_key = literal(p.table.handling_key) if p.table.handling_key else "NULL"
    exprs.append(f"coalesce(CAST(\"handling_key\" AS VARCHAR), {default_key}) AS handling_key"
                 if "handling_key" in internal else f"CAST({default_key} AS VARCHAR) AS handling_key")
    return exprs, missing


def _read(st: _Staging, i: int, t: StagedTable) -> _Prepared | None:
    """Read ``t`` once into its canonical staging table ``norm_i``."""
    con = st.con
    src = _source_sql(st, i, t)
    if src is None:
        return None
    relation, rownum = src
    try:
        types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {relation})")
                     .fetchall())
    except duckdb.InterruptException:
        raise
    except duckdb.Error as e:
        st.structural.append(_read_problem(t, e))
        return None
    if rownum == "file_row_number + 1":
        types.pop("file_row_number", None)
    if t.format == "csv" and t.path and t.arrow is None:
        repeated = _repeated_csv_columns(Path(t.path))
        for name in repeated:
            # DuckDB would read the second as 'name_1': which one the producer meant is unknown.
            st.structural.append(Problem(f"column {name!r} appears more than once in the header", t.file, 1,
                                         name))
        if repeated:
            return None
    p = _Prepared(i, t, relation, types, 0, norm=f"norm_{i}")
    meant: dict[str, list[str]] = {}
    for col in _columns_of(p.kind):
        src = t.columns.get(col.name, col.name)
        if src in types:
            meant.setdefault(src, []).append(col.name)
    twice = {src: names for src, names in meant.items() if len(names) > 1}
    absent = [(c.name, t.columns[c.name]) for c in _columns_of(t.kind)
              if not c.required and c.name in t.columns and t.columns[c.name] not in types]
    for name, src in absent:
        # 'duration_s=DUR' where the file has DURATION: every duration would be empty, the real
        # column kept aside as an unknown one, without a word
        own = [c for c in types if not (t.format == "xlsx" and c in ("source_row", XLSX_NUMBER_FLAG, XLSX_INEXACT))]
        shown = ", ".join(own[:20]) + (", …" if len(own) > 20 else "")
        st.structural.append(Problem(f"mapped to a column the file does not have (its columns: {shown})", t.file,
                                     None, f"{name} (mapped to {src!r})"))
    if absent:
        return None
    for src, names in twice.items():
        # 'caller=A,callee=A': the file's own column B would be kept aside and the call read as
        # made to its own number.  Which one the producer meant is unknown.
        st.structural.append(Problem(f"the column {src!r} is read as {' and as '.join(names)}: "
                                     "map each to its own column", t.file, None, src))
    if twice:
        return None
    exprs, missing = _shape_sql(p)
    hint = ""
    if missing and t.format == "csv" and len(types) == 1 and any(c in next(iter(types)) for c in ";\t|"):
        hint = (f" (the header is the one column {next(iter(types))!r}: columns are separated by commas "
                "in lintas-bundle/1 CSV)")
    # Column names are matched exactly: 'Caller' or 'DURATION_S' is not read as caller or duration_s.
    lowered: dict[str, str] = {}
    for name in types:
        lowered.setdefault(name.strip().lower(), name)
    read = {t.columns.get(c.name, c.name) for c in _columns_of(t.kind)}
    near: dict[str, str] = {}
    for col in _columns_of(t.kind):
        src = t.columns.get(col.name, col.name)
        other = lowered.get(src.lower()) if src not in types else None
        if other is not None and other not in read:
            near[col.name if src == col.name else f"{col.name} (mapped to {src!r})"] = other
            if not col.required and col.name not in t.columns:
                st.warnings.append(f"{t.file}: the column {other!r} is not read as {col.name!r} (names are "
                                   "matched exactly; it is kept as an extra column)")
    for m in missing:
        also = f" (the file has {near[m]!r}: names are matched exactly)" if m in near and not hint else ""
        st.structural.append(Problem(f"required column missing for kind '{p.kind}'{hint}{also}", t.file, None, m))
    if missing:
        return None
    try:
        first = "NULL" if isinstance(rownum, int) else rownum
        con.execute(f"CREATE TABLE {p.norm} AS SELECT CAST({first} AS BIGINT) AS source_row, "
                    f"{', '.join(exprs)} FROM {relation}")
        if isinstance(rownum, int):
            con.execute(f"UPDATE {p.norm} SET source_row = rowid + {rownum}")
            if t.arrow is None and t.format == "jsonl":
                _jsonl_line_numbers(con, p.norm, Path(t.path))
    except duckdb.InterruptException:
        raise
    except duckdb.Error as e:
        st.structural.append(_read_problem(t, e))
        return None
    finally:
        if t.arrow is not None:
            con.unregister(relation)
    p.rows = con.execute(f"SELECT count(*) FROM {p.norm}").fetchall()[0][0]
    if t.declared_rows is not None and t.declared_rows != p.rows:
        st.structural.append(Problem(f"the manifest declares {t.declared_rows} rows, the file has {p.rows}",
                                     t.file))
    return p


def _check(st: _Staging, p: _Prepared, tz: str | None) -> None:
    """Record every bad row of ``p`` in ``_bad``, and the rows to warn about in ``_warn`` (one scan
    of the canonical rows)."""
    checks = _check_conditions(p, tz)
    warns = _warn_conditions(p)
    if not checks and not warns:
        return
    # a warning's reason is marked with chr(30), and moved to _warn after the scan
    items = checks + [(label, cond, f"chr(30) || ({reason})") for label, cond, reason in warns]
    reasons = ", ".join(f"CASE WHEN {cond} THEN {literal(label)} || chr(31) || ({reason}) END"
                        for label, cond, reason in items)
    any_bad = " OR ".join(f"coalesce({cond}, false)" for _, cond, _ in items)
    st.con.execute(f"""INSERT INTO _bad
        SELECT {p.index}, source_row, split_part(r, chr(31), 1), split_part(r, chr(31), 2)
        FROM (SELECT source_row, unnest(list_filter([{reasons}], lambda x: x IS NOT NULL)) AS r
              FROM {p.norm} WHERE {any_bad})""")
    if warns:
        marked = f"t = {p.index} AND starts_with(reason, chr(30))"
        st.con.execute(f"INSERT INTO _warn SELECT t, source_row, col, substr(reason, 2) FROM _bad WHERE {marked}")
        st.con.execute(f"DELETE FROM _bad WHERE {marked}")


# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; the bidi embeddings,
# overrides and isolates (U+202A-E, U+2066-9), which make a value show otherwise than it is written
# ('\u202egnp.exe' shows as 'exe.png').  RE2 syntax.
_CONTROL_TEXT = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\x{202a}-\x{202e}\x{2066}-\x{2069}]"
# In a number: the same but the left-to-right embedding and isolate and their ends (U+202A, U+202C,
# U+2066, U+2069), which a chat export puts around a number; they change nothing of how it shows and
# normalisation drops them.  The others make it show as another number ('\u202e0987' shows as '7890').
_CONTROL_NUMBER = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\x{202b}\x{202d}\x{202e}\x{2067}\x{2068}]"
_CONTROL_NUMBER_PY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202b\u202d\u202e\u2067\u2068]")
_CONTROL_CODES = (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F),
                  *range(0x2066, 0x206A))
# Ids and references (an id that shows as another id is two entities no one can tell apart): refused
# holding any of _CONTROL_TEXT.  Numbers of text columns: refused holding any of _CONTROL_NUMBER (phone
# and address columns are checked once per distinct value, in _normalise_values).
_ID_COLUMNS = {("persons", "id"), ("organizations", "id"), ("incidents", "id"), (OBJECTS, "id"),
               ("identifiers", "owner"), ("relationships", "source"), ("relationships", "target"),
               ("addresses", "owner"), ("travel", "person")}
_NUMBER_COLUMNS = {("identifiers", "value"), ("travel", "document"), ("transfers", "from_account"),
                   ("transfers", "to_account"), ("organizations", "registration_number"), ("contacts", "owner"),
                   ("sightings", "subject")}
_SHOWS_OTHERWISE = (", so it shows otherwise than it is written (as another id or number may show): write it "
                    "without control characters or bidi overrides")


def _control_reason(c: str, pattern: str) -> str:
    """SQL: the reason a value ``c`` holding a character of ``pattern`` is refused, naming the first."""
    names = ", ".join(f"{n}: {literal(char_label(n))}" for n in _CONTROL_CODES)
    return (f"'holds ' || MAP {{{names}}}[unicode(regexp_extract({c}, {literal(pattern)}))] "
            f"|| {literal(_SHOWS_OTHERWISE)}")


def control_refusal(value: str) -> str | None:
    """The reason a number (a phone or address column's distinct value) is refused for a control
    character or a bidi character that changes how it shows; None when it holds none."""
    m = _CONTROL_NUMBER_PY.search(value)
    return f"holds {char_label(ord(m.group()))}{_SHOWS_OTHERWISE}" if m else None


def _warn_conditions(p: _Prepared) -> list[tuple[str, str, str]]:
    """(column as written, SQL condition, SQL of what to say) of values kept with a warning: text
    holding control characters or bidi overrides (the code points, separated by spaces).  Names have
    their own warning (_odd_names); ids and numbers are refused (_check_conditions); closed lists,
    times, dates and numbers refuse such a value as no value of theirs."""
    warns: list[tuple[str, str, str]] = []
    for col in _columns_of(p.kind):
        key = (p.kind, col.name)
        if (col.type not in ("text", "list") or key in _ID_COLUMNS or key in _NUMBER_COLUMNS or key in CLOSED_LISTS
                or (col.name == "name" and p.kind != OBJECTS) or key in (("identifiers", "kind"), ("transfers", "currency"))):
            continue
        c = ident(col.name)
        v = f"array_to_string({c}, chr(10))" if col.type == "list" else c
        pattern = literal(_CONTROL_TEXT)
        warns.append((p.table.columns.get(col.name, col.name), f"regexp_matches({v}, {pattern})",
                      f"array_to_string(list_sort(list_distinct(list_transform(regexp_extract_all({v}, {pattern}), "
                      f"lambda x: unicode(x)))), ' ')"))
    return warns


def _kept(p: _Prepared, set_aside: bool, alias: str = "") -> str:
    """SQL condition: a row of ``p`` is imported (not set aside); TRUE when no row is set aside."""
    if not set_aside:
        return "true"
    return f"{alias}source_row NOT IN (SELECT source_row FROM _bad WHERE t = {p.index})"


def _odd_times(st: _Staging, p: _Prepared, warnings: list[str], set_aside: bool = False) -> None:
    """Warn about readable times before 1900 or after the day of the import: a device's clock
    reset to its epoch (1970-01-01, 2000-01-01 are in range and not caught), a placeholder
    (0001-01-01, 9999-12-31), a year typed wrong; dates without a time of day; 24:00, ISO 8601's end
    of a day.  Kept as written: an offline workstation's own clock may be wrong, and a booking may
    lie ahead.  Only the rows imported are spoken of (``set_aside``: some are not)."""
    for col in _columns_of(p.kind):
        if col.type != "time":
            continue
        wall = ident('__wall_' + col.name)
        t = f"coalesce({ident('__aware_' + col.name)}, {wall})"
        v = ident(col.name)
        # One scan for all: times out of range, dates without a time of day (read as local midnight),
        # and 24:00 (read as the next day's 00:00).
        got = st.con.execute(f"""
            SELECT count(*) FILTER (WHERE odd), (list(v ORDER BY r) FILTER (WHERE odd))[1:3],
                   (list(r ORDER BY r) FILTER (WHERE odd))[1:3],
                   count(*) FILTER (WHERE day), (list(v ORDER BY r) FILTER (WHERE day))[1:3],
                   (list(r ORDER BY r) FILTER (WHERE day))[1:3],
                   count(*) FILTER (WHERE h24), (list(v ORDER BY r) FILTER (WHERE h24))[1:3],
                   (list(r ORDER BY r) FILTER (WHERE h24))[1:3]
            FROM (SELECT {v} AS v, source_row AS r,
                         coalesce({t} < TIMESTAMP '1900-01-01'
                                  OR {t} > CAST(current_timestamp AS TIMESTAMP) + INTERVAL 1 DAY, false) AS odd,
                         coalesce(length({v}) = 10 AND {wall} IS NOT NULL, false) AS day,
                         coalesce(substr({v}, 12, 2) = '24' AND {t} IS NOT NULL, false) AS h24
                  FROM {p.norm} WHERE {_kept(p, set_aside)})""").fetchall()[0]
        label = p.table.columns.get(col.name, col.name)
        for (n, values, rows), what in ((got[0:3], "lie before 1900 or after the day of the import"),
                                        (got[3:6], "are a date without a time of day, read as 00:00 local time"),
                                        (got[6:9], "are 24:00, the end of the day, read as 00:00 of the next day")):
            if n:
                shown = ", ".join(f"row {r} {v}" for r, v in zip(rows, values, strict=True)) + (", …" if n > 3 else "")
                warnings.append(f"{n} time(s) of {p.file} ({label}) {what} (kept as written): {shown}")


def _check_conditions(p: _Prepared, tz: str | None) -> list[tuple[str, str, str]]:
    """(column as written, SQL condition of a bad value, SQL of the reason) over the shaped rows."""
    checks: list[tuple[str, str, str]] = []
    nested = {ident(n) for n in p.nested}
    for col in _columns_of(p.kind):
        label = p.table.columns.get(col.name, col.name)
        c = ident(col.name)
        txt = ident("__txt_" + col.name) if col.type in ("number", "amount") else c
        shape = ident("__nested_" + col.name)
        if col.required:
            # (bytes that are no text are said to be so, not to be empty)
            empty = f"{txt} IS NULL AND {shape} IS NULL" if shape in nested else f"{txt} IS NULL"
            checks.append((label, empty, literal("required value is empty")))
        if col.type == "amount":
            checks.append(_amount_check(label, col.name, "currency" if p.kind == "transfers" else None))
        if col.type == "number":
            # NaN and infinities ('NaN', 'inf', '1e400') read as DOUBLE but are no measurement
            checks.append((label, f"{txt} IS NOT NULL AND ({c} IS NULL OR NOT isfinite({c}))",
                           f"'not a number: ' || {txt}"))
            limit = {"lat": 90, "lon": 180}.get(col.name)
            if limit:   # also catches latitude and longitude swapped (Indonesia lies at 95°E to 141°E)
                checks.append((label, f"{c} IS NOT NULL AND abs({c}) > {limit}",
                               f"'not a {'latitude' if col.name == 'lat' else 'longitude'} "
                               f"(-{limit} to {limit}): ' || {txt}"))
            if col.name == "duration_s":
                checks.append((label, f"{c} < 0", f"'not a duration (seconds, 0 or more): ' || {txt}"))
        elif col.type == "time":
            wall, off, aware = (ident(f"__{x}_{col.name}") for x in ("wall", "off", "aware"))
            # RFC 3339 allows second 60 (a leap second), which no timestamp type here holds
            leap = f"regexp_matches({c}, '^\\d{{4}}-\\d\\d-\\d\\d[Tt ]\\d\\d:\\d\\d:60')"
            checks.append((label, f"{c} IS NOT NULL AND CASE WHEN {off} THEN {aware} IS NULL ELSE {wall} IS NULL END",
                           f"CASE WHEN {leap} THEN 'a leap second (second 60) cannot be stored: ' || {c} || "
                           f"' (write second 59, or the next minute)' "
                           # ISO 8601's 24:00:00 (the end of a day) is read; no other time of hour 24 is
                           f"WHEN regexp_matches({c}, '^\\d{{4}}-\\d\\d-\\d\\d[Tt ]24:') "
                           f"THEN 'hour 24 stands only in 24:00:00, the end of a day: ' || {c} || "
                           f"' (write the next day''s time)' "
                           f"ELSE 'not an ISO 8601 timestamp: ' || {c} END"))
            if not tz:
                checks.append((label, f"{c} IS NOT NULL AND NOT {off} AND {wall} IS NOT NULL",
                               f"'timestamp without UTC offset and no default_timezone: ' || {c}"))
        elif col.type == "date":
            checks.append((label, f"{c} IS NOT NULL AND {ident('__iso_' + col.name)} IS NULL",
                           f"'not a date (YYYY, YYYY-MM or YYYY-MM-DD): ' || {c}"))
        if p.kind == "transfers" and col.name == "currency":
            # ISO 4217 (DESIGN): an amount is compared with others of its currency, which 'Rp' or
            # 'RM' would never meet.
            hint = " || CASE upper({c}) " + " ".join(f"WHEN {literal(k)} THEN {literal(f' (write {v})')}"
                                                       for k, v in _CURRENCY_SIGNS.items()) + " ELSE '' END"
            codes = ", ".join(literal(k) for k in sorted(CURRENCY_CODES))
            checks.append((label, f"{c} IS NOT NULL AND {c} NOT IN ({codes})",
                           f"'not an ISO 4217 currency code: ' || {c}" + hint.format(c=c)))
        ends = _RANGES.get((p.kind, col.name))
        if ends:
            # A range that ends before it starts (valid_to before valid_from): one of the two dates is
            # wrong, and a pivot or timeline would place the fact in no time at all.  Partial dates
            # compare at the precision both have ('2010' does not end before '2010-05-01').
            a, b = (ident("__iso_" + e) for e in ends)
            n = f"least(length({a}), length({b}))"
            start_label = p.table.columns.get(ends[0], ends[0])
            checks.append((label, f"left({b}, {n}) < left({a}, {n})",
                           f"{literal(f'ends before it starts: {label} ')} || {c} || "
                           f"{literal(f' is before {start_label} ')} || {ident(ends[0])}"))
        if p.kind == "persons" and col.name == "birth_date":
            # A date of birth after the day of the import is a mistake in the record (a date of
            # another event, a typing slip), never a person to match by it.  Partial dates compare
            # as text: '2026' is not after '2026-11-28', '2026-12' is.
            iso = ident("__iso_" + col.name)
            checks.append((label, f"{iso} > strftime(current_date, '%Y-%m-%d')",
                           f"'birth date in the future: ' || {c}"))
        if shape in nested:
            checks.append((label, f"{shape} IS NOT NULL", f"{shape} || ', not text' || coalesce(': ' || {c}, '')"))
        if "__float_" + col.name in p.floats:
            inexact = ident("__float_" + col.name)
            checks.append((label, f"{inexact} IS NOT NULL", inexact))
        if (p.kind, col.name) in _ID_COLUMNS or (p.kind, col.name) in _NUMBER_COLUMNS:
            pattern = _CONTROL_TEXT if (p.kind, col.name) in _ID_COLUMNS else _CONTROL_NUMBER
            checks.append((label, f"regexp_matches({c}, {literal(pattern)})", _control_reason(c, pattern)))
        if p.kind == "identifiers" and col.name == "kind":
            # A closed list (DESIGN): the kind decides how the value is normalised and matched, so an
            # unknown one ('hp', 'msisdn') would leave a number unmatched without a word.
            known = ", ".join(literal(k) for k in IDENTIFIER_KINDS)
            checks.append((label, f"{c} IS NOT NULL AND lower({c}) NOT IN ({known})",
                           f"'unknown identifier kind ' || {c} || {literal(' (' + ', '.join(IDENTIFIER_KINDS) + ')')}"))
        closed = CLOSED_LISTS.get((p.kind, col.name))
        if closed:
            # Closed lists of DESIGN (exactly as written there): counts and filters compare values
            # as stored, so 'Voice' or 'border-crossing' would be missed by every one of them.
            what, values = closed
            known = ", ".join(literal(v) for v in values)
            # the value meant, when only case, spaces, hyphens or underscores differ ('Border Crossing')
            bare = f"lower(regexp_replace({c}, '[\\s_-]+', '', 'g'))"
            hint = ("CASE " + " ".join(f"WHEN {bare} = {literal(v.replace('_', ''))} THEN {literal(f' (write {v})')}"
                                       for v in values) + " ELSE '' END")
            checks.append((label, f"{c} IS NOT NULL AND {c} NOT IN ({known})",
                           f"{literal(f'not a {what} (' + ', '.join(values) + '): ')} || {c} || {hint}"))
    return checks


# Amounts as text.  Full matches on the value as written (trimmed); '.' and ',' are the separators
# people write, ' ' and the apostrophe also group thousands.
_AMOUNT_GROUPED = r"[+-]?\d+([.,]\d{3})+"                     # 1.500  12.500.000  1,500  1500.000
_AMOUNT_GROUPED_PROPERLY = r"[+-]?\d{1,3}([.,]\d{3})+"
_AMOUNT_THOUSANDS = {   # pattern -> SQL turning the value (as {v}) into the plain form
    r"[+-]?\d{1,3}(,\d{3})+\.\d+|[+-]?\d{1,3}(,\d{3}){2,}": "replace({v}, ',', '')",
    r"[+-]?\d{1,3}(\.\d{3})+,\d+|[+-]?\d{1,3}(\.\d{3}){2,}": "replace(replace({v}, '.', ''), ',', '.')",
    "[+-]?\\d{1,3}([ '\u2019\u00a0\u202f]\\d{3})+([.,]\\d+)?":
        "replace(regexp_replace({v}, '[ ''\u2019\u00a0\u202f]', '', 'g'), ',', '.')",
}
_AMOUNT_ONE_COMMA_GROUP = r"[+-]?\d{1,3},\d{3}"                # 1,500: thousands, or 1.5?
_AMOUNT_DECIMAL_COMMA = r"[+-]?\d+,\d+"
# (kind, end column) -> (start column, end column) of the date ranges
_RANGES = {("identifiers", "valid_to"): ("valid_from", "valid_to"),
           ("addresses", "valid_to"): ("valid_from", "valid_to"),
           ("relationships", "end"): ("start", "end")}
_AMOUNT_PLAIN = r"[+-]?(\d+(\.\d*)?|\.\d+)"                 # what an amount in text may be


def _amount_check(label: str, name: str, currency: str | None) -> tuple[str, str, str]:
    """(label, condition, reason) of an amount that cannot be read, or whose separators could be
    read two ways.  A number written as a number (``__num_<name>``) is never ambiguous."""
    c, txt, num = ident(name), ident("__txt_" + name), ident("__num_" + name)

    def match(pattern: str) -> str:
        return f"regexp_full_match({txt}, {literal(pattern)})"

    zero = (f"{ident(currency)} IN ({', '.join(literal(z) for z in ZERO_MINOR_CURRENCIES)})" if currency
            else "false")
    ambiguous = f"(NOT {num} AND {zero} AND {match(_AMOUNT_GROUPED)})"
    sep = f"regexp_extract({txt}, '[.,]')"
    digits = f"regexp_replace({txt}, '[.,]', '', 'g')"
    as_decimals = f"rtrim(rtrim(replace({txt}, ',', '.'), '0'), '.')"
    reason = [f"WHEN {ambiguous} THEN 'ambiguous amount for ' || {ident(currency) if currency else 'NULL'} "
              f"|| ', a currency without minor units: ' || {txt} || ' (the ''' || {sep} "
              f"|| ''' may group thousands or mark decimals; ' || CASE WHEN {match(_AMOUNT_GROUPED_PROPERLY)} "
              f"THEN 'write it without separators: ' || {digits} "
              f"ELSE 'write ' || {digits} || ' or ' || regexp_replace({txt}, '[.,]\\d{{3}}$', '') END || ')'"]
    for pattern, plain in _AMOUNT_THOUSANDS.items():
        reason.append(f"WHEN {match(pattern)} THEN 'amount written with thousands separators: ' || {txt} "
                      f"|| ' (write ' || {plain.format(v=txt)} || ': no separators, a ''.'' before the decimals)'")
    reason.append(f"WHEN {match(_AMOUNT_ONE_COMMA_GROUP)} THEN 'ambiguous amount: ' || {txt} "
                  f"|| ' (the '','' may group thousands or mark decimals; write ' || {digits} || ' or ' "
                  f"|| {as_decimals} || ')'")
    reason.append(f"WHEN {match(_AMOUNT_DECIMAL_COMMA)} THEN 'amount written with a decimal comma: ' || {txt} "
                  f"|| ' (write ' || replace({txt}, ',', '.') || ')'")
    # DuckDB reads '1.5e6' and '1_000' as numbers; a spreadsheet writes '4.95E+07' for what it shows
    # cut to a few digits, so in text only the plain decimal form is an amount.
    notation = f"(NOT {num} AND {c} IS NOT NULL AND NOT {match(_AMOUNT_PLAIN)})"
    plain = f"rtrim(rtrim(CAST({c} AS VARCHAR), '0'), '.')"
    reason.append(f"WHEN {notation} AND regexp_matches({txt}, '[eE]') THEN 'amount in scientific notation: ' "
                  f"|| {txt} || ' (write ' || {plain} || ', all its digits: a spreadsheet may have cut them)'")
    # The case keeps amounts to 4 decimals (DECIMAL(24,4)): more would be rounded without a word
    # (0.00012345 BTC to 0.0001).  Compared as DOUBLE for numbers stored as numbers, whose text may
    # carry binary noise (0.30000000000000004).
    rounded = (f"({c} IS NOT NULL AND CASE WHEN {num} THEN abs(TRY_CAST({txt} AS DOUBLE) - CAST({c} AS DOUBLE)) "
               f"> 1e-9 * greatest(1, abs(CAST({c} AS DOUBLE))) "
               f"ELSE regexp_matches({txt}, '\\.\\d{{4}}\\d*[1-9]') END)")
    reason.append(f"WHEN {rounded} THEN 'amount with more than 4 decimals: ' || {txt} "
                  f"|| ' (the case keeps 4: it would be rounded to ' || {plain} || ')'")
    return (label, f"{txt} IS NOT NULL AND ({c} IS NULL OR {ambiguous} OR {notation} OR {rounded})",
            f"CASE {' '.join(reason)} ELSE 'not an amount: ' || {txt} END")


def _lookup(con, table: str, pairs: dict[str, str | None], key: str, val: str) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({key} VARCHAR PRIMARY KEY, {val} VARCHAR)")
    if pairs:
        con.register("_lookup_in", pa.table({key: pa.array(list(pairs), pa.string()),
                                             val: pa.array(list(pairs.values()), pa.string())}))
        con.execute(f"INSERT INTO {table} SELECT * FROM _lookup_in")
        con.unregister("_lookup_in")


def _normalise_values(st: _Staging, prepared: list[_Prepared], staged: StagedSource) -> dict[str, list[str]]:
    """Lookup tables of distinct numbers, addresses and countries (normalised once) and of the
    default time zone's offsets.  Numbers and addresses holding a control character or a bidi
    character that changes how they show are refused (checked once per distinct value).  Returns the
    values to warn about, once it is known which rows are imported: phone numbers with letters
    (``phone``), countries not recognised (``country``)."""
    con = st.con
    region = staged.producer.get("country")
    found: dict[str, set[str]] = {"phone": set(), "address": set(), "country": set()}
    for p in prepared:
        for col in _columns_of(p.kind):
            c = ident(col.name)
            if col.type in found:
                found[col.type].update(r[0] for r in con.execute(
                    f"SELECT DISTINCT {c} FROM {p.norm} WHERE {c} IS NOT NULL").fetchall())
    shown_otherwise = {v: r for v in found["phone"] | found["address"] if (r := control_refusal(v))}
    if shown_otherwise:
        # '\u202e0987-6543-2180' shows as 0812-3456-7890 and matches nothing; '0812<BELL>3456' has no E.164
        _lookup(con, "_shown_otherwise", shown_otherwise, "raw", "reason")
        for p in prepared:
            for col in _columns_of(p.kind):
                if col.type in ("phone", "address"):
                    con.execute(f"""INSERT INTO _bad SELECT {p.index}, x.source_row,
                        {literal(p.table.columns.get(col.name, col.name))}, s.reason
                        FROM {p.norm} AS x JOIN _shown_otherwise AS s ON s.raw = x.{ident(col.name)}""")
    e164 = phones.normalise(con, sorted(found["phone"]), region)
    _lookup(con, "_phones", e164, "raw", "e164")
    # Letters in a number ('0812-3456-7890 ext 12', '0800-FLOWERS', 'ABC-DEF'): kept as written and
    # found by search as written, but matched with no other writing of it.  (Short codes of digits
    # are common in call records and not reported.)
    lettered = sorted(k for k, v in e164.items() if v is None and re.search(r"[^\W\d_]", k))
    _lookup(con, "_addresses", _address_norms(con, found["address"], region), "raw", "norm")
    countries = {v: country_iso(v) for v in found["country"]}
    _lookup(con, "_countries", countries, "key", "iso")
    unknown = sorted(k for k, v in countries.items() if v is None)
    _tz_days(con, staged.default_timezone)
    return {"phone": lettered, "country": unknown}


def _imported_values(st: _Staging, prepared: list[_Prepared], typ: str, values: list[str],
                     set_aside: bool) -> list[str]:
    """Those of ``values`` that rows imported hold in a column of type ``typ`` (all of them when no
    row is set aside)."""
    if not values or not set_aside:
        return values
    con = st.con
    _lookup(con, "_candidates", dict.fromkeys(values), "raw", "unused")
    held: set[str] = set()
    for p in prepared:
        for col in _columns_of(p.kind):
            if col.type == typ:
                c = ident(col.name)
                held.update(r[0] for r in con.execute(
                    f"SELECT DISTINCT {c} FROM {p.norm} WHERE {c} IN (SELECT raw FROM _candidates) "
                    f"AND {_kept(p, True)}").fetchall())
    return [v for v in values if v in held]


def _warnings(st: _Staging, prepared: list[_Prepared], values: dict[str, list[str]], set_aside: bool,
              warnings: list[str]) -> None:
    """The warnings about values kept, speaking only of the rows imported (``set_aside``: some rows
    are set aside, --skip-bad-rows)."""
    con = st.con
    for p in prepared:
        _odd_times(st, p, warnings, set_aside)
        kept = _kept(p, set_aside, "w.")
        for label, n, rows, codes in con.execute(f"""
                SELECT col, count(DISTINCT source_row), list(DISTINCT source_row ORDER BY source_row)[1:5],
                       list(DISTINCT reason)
                FROM _warn AS w WHERE t = {p.index} AND {kept}
                GROUP BY col ORDER BY min(source_row)""").fetchall():
            chars = sorted({int(x) for r in codes for x in r.split()})
            warnings.append(f"{n} value(s) of {p.file} ({label}) hold control characters or bidi overrides "
                            f"({', '.join(char_label(x) for x in chars)}), so they may show otherwise than they "
                            "are written (kept as written): row " + ", ".join(str(r) for r in rows)
                            + (", …" if n > 5 else ""))
    lettered = _imported_values(st, prepared, "phone", values["phone"], set_aside)
    if lettered:
        warnings.append(f"{len(lettered)} phone number(s) with letters, not read as numbers (kept as "
                        f"written, without E.164): {', '.join(lettered[:10])}")
    unknown = _imported_values(st, prepared, "country", values["country"], set_aside)
    if unknown:
        warnings.append(f"{len(unknown)} country value(s) not recognised as ISO codes or names "
                        f"(kept as written, without ISO code): {', '.join(unknown[:10])}")
    # Ids that differ in case alone are two entities, as written; references written in the other
    # case would resolve to the other one, so the analyst is told.
    files = {p.index: p.file for p in prepared}
    kept = "NOT EXISTS (SELECT 1 FROM _bad AS b WHERE b.t = i.t AND b.source_row = i.source_row)" if set_aside \
        else "true"
    alike = con.execute(f"""
        SELECT list(DISTINCT local_id ORDER BY local_id), min(t), min(source_row) FROM _ids AS i
        WHERE kind <> 'objects' AND {kept} GROUP BY lower(local_id) HAVING count(DISTINCT local_id) > 1
        ORDER BY min(t), min(source_row) LIMIT 11""").fetchall()
    if alike:
        shown = "; ".join(" / ".join(ids) + f" ({files.get(t)}, row {row})" for ids, t, row in alike[:10])
        warnings.append(f"{len(alike) if len(alike) <= 10 else 'more than 10'} id(s) differ from another "
                        f"only in upper or lower case (kept as two entities, as written): {shown}")
    for p in prepared:
        if p.kind in ("persons", "organizations"):
            _odd_names(st, p, warnings, set_aside)


TZ_DAYS = ("1900-01-01", "2100-12-31")
"""The days whose UTC offsets are tabled; a wall-clock time outside them is converted one by one."""


def _tz_days(con, tz: str | None) -> None:
    """``_tz_days``: the zone's UTC offset at each local midnight and at the next one.  A
    wall-clock time on a day whose two offsets agree is converted by subtracting the offset; on
    the rare day the offset changes (and outside the tabled days) it is converted exactly."""
    if not tz:
        con.execute("CREATE OR REPLACE TEMP TABLE _tz_days (d DATE, off INTERVAL, off_next INTERVAL)")
        return
    z = literal(tz)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _tz_days AS
        SELECT CAST(m AS DATE) AS d, m - (timezone({z}, m) AT TIME ZONE 'UTC') AS off,
               (m + INTERVAL 1 DAY) - (timezone({z}, m + INTERVAL 1 DAY) AT TIME ZONE 'UTC') AS off_next
        FROM range(TIMESTAMP '{TZ_DAYS[0]}', TIMESTAMP '{TZ_DAYS[1]}', INTERVAL 1 DAY) AS r(m)""")


def _address_norms(con, addresses: set[str], region: str | None) -> dict[str, str]:
    """Message and contact addresses for matching: numbers in E.164 (else their digits),
    e-mail addresses and handles lower-cased (handles without their ``@``)."""
    e164 = phones.normalise(con, sorted(a for a in addresses if looks_like_phone(a)), region)
    out = {}
    for a in addresses:
        if a in e164:
            out[a] = e164[a] or re.sub(r"\D", "", a)
        else:
            low = a.strip().lower()
            out[a] = low[1:] if low.startswith("@") else low
    return out


def _entities(st: _Staging, prepared: list[_Prepared], base: int) -> None:
    """Give persons, organisations and objects entity ids; check ids are unique."""
    con = st.con
    con.execute("CREATE TEMP TABLE _ids (local_id VARCHAR, entity_id BIGINT, kind VARCHAR, t INTEGER, "
                "source_row BIGINT)")
    next_id = base
    for p in prepared:
        if p.kind not in _ENTITY_KINDS or not p.norm:
            continue
        con.execute(f"ALTER TABLE {p.norm} ADD COLUMN entity_id BIGINT")
        con.execute(f"UPDATE {p.norm} SET entity_id = {next_id} + rowid + 1")
        con.execute(f"INSERT INTO _ids SELECT id, entity_id, {literal(p.kind)}, {p.index}, source_row "
                    f"FROM {p.norm}")
        next_id += p.rows
    con.execute("""INSERT INTO _bad
        SELECT t, source_row, 'id', 'id ' || local_id || ' is used more than once in this source'
        FROM _ids WHERE local_id IN (SELECT local_id FROM _ids GROUP BY local_id HAVING count(*) > 1)
          AND kind <> 'objects'""")
    for p in prepared:
        if p.kind == "incidents" and p.norm:
            # an incident is named by its id (attachments describe it, dossiers cite it): two of one id
            # are two records no one can tell apart
            con.execute(f"""INSERT INTO _bad
                SELECT {p.index}, source_row, {literal(p.table.columns.get('id', 'id'))},
                       'id ' || id || ' is used more than once in this source'
                FROM {p.norm} WHERE id IN (SELECT id FROM {p.norm} GROUP BY id HAVING count(*) > 1)""")


def _references(st: _Staging, p: _Prepared, files: dict[int, str] | None = None) -> None:
    """Resolve ``p``'s references to the source's entities.  With ``files`` (rows set aside,
    --skip-bad-rows) a row referring to an entity whose own row is set aside is set aside too:
    kept, it would hold the entity id of no entity of the case, which the next import gives to
    another source's entity."""
    con = st.con
    for col, target, must in _REFERENCES.get(p.kind, []):
        con.execute(f"ALTER TABLE {p.norm} ADD COLUMN {target} BIGINT")
        # Persons and organisations first; partner objects (MISP objects, STIX SDOs) as ends too.
        con.execute(f"""UPDATE {p.norm} AS x SET {target} = i.entity_id
            FROM (SELECT local_id, arg_min(entity_id, (kind = 'objects', entity_id)) AS entity_id FROM _ids
                  GROUP BY local_id) AS i WHERE i.local_id = x.{ident(col)}""")
        label = p.table.columns.get(col, col)
        if files is not None:
            where = "CASE i.t " + " ".join(f"WHEN {t} THEN {literal(f)}" for t, f in files.items()) + " END"
            con.execute(f"""INSERT INTO _bad SELECT {p.index}, x.source_row, {literal(label)},
                'refers to ' || x.{ident(col)} || ', whose own row is set aside (' || {where} || ', row '
                || i.source_row || ')'
                FROM {p.norm} AS x JOIN _ids AS i ON i.entity_id = x.{target}
                WHERE EXISTS (SELECT 1 FROM _bad AS b WHERE b.t = i.t AND b.source_row = i.source_row)""")
        if must:
            con.execute(f"""INSERT INTO _bad SELECT {p.index}, source_row, {literal(label)},
                'refers to ' || {ident(col)} || ', which is no person, organisation or object of this source'
                FROM {p.norm} WHERE {ident(col)} IS NOT NULL AND {target} IS NULL""")
    if p.kind == "travel":
        con.execute(f"""INSERT INTO _bad SELECT {p.index}, source_row, 'person',
            'a travel record needs a person or a document' FROM {p.norm}
            WHERE person IS NULL AND document IS NULL""")
    if p.kind == "contacts":
        # The owner of a phone book is a person or organisation of this source, or a number (DESIGN);
        # 'P-9' resolving to nothing is a reference to a missing person, as for identifiers.
        # (An e-mail address or handle, with its '@', is kept as the account the book belongs to.)
        label = p.table.columns.get("owner", "owner")
        con.execute(f"""INSERT INTO _bad SELECT {p.index}, source_row, {literal(label)},
            'refers to ' || owner || ', which is no person or organisation of this source, nor a phone number'
            FROM {p.norm} WHERE owner IS NOT NULL AND owner_entity_id IS NULL AND strpos(owner, '@') = 0
              AND NOT (regexp_full_match(owner, '[\\s()+\\-./0-9]+')
                       AND length(regexp_replace(owner, '[^0-9]', '', 'g')) >= 6)""")


# C0 controls (a carriage return too), DEL and the C1 controls; the bidi embeddings, overrides and
# isolates (U+202A-E, U+2066-9), which make a name show otherwise than it is written ('\u202einA'
# shows as 'Ani', is searched as 'ina').  RE2 syntax.
_CONTROL_OR_BIDI = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\x{202a}-\x{202e}\x{2066}-\x{2069}]"


def _odd_names(st: _Staging, p: _Prepared, warnings: list[str], set_aside: bool = False) -> None:
    """Warn about names that show otherwise than they are written, or hold nothing to match by (only
    marks or punctuation: '?', '-', a zero-width space).  Kept as written: they are evidence."""
    label = p.table.columns.get("name", "name")
    for cond, what in ((f"regexp_matches(name, {literal(_CONTROL_OR_BIDI)})",
                        "hold control characters or bidi overrides, so they show otherwise than they are "
                        "written"),
                       ("name_folded IS NULL", "hold no letter or digit, so they match no one")):
        n, rows = st.con.execute(f"SELECT count(*), list(source_row ORDER BY source_row)[1:5] FROM {p.norm} "
                                 f"WHERE name IS NOT NULL AND {cond} AND {_kept(p, set_aside)}").fetchall()[0]
        if n:
            warnings.append(f"{n} name(s) of {p.file} ({label}) {what} (kept as written): row "
                               + ", ".join(str(r) for r in rows) + (", …" if n > 5 else ""))


def _companions(st: _Staging, p: _Prepared, region: str | None) -> None:
    """Companions that depend on more than one column or on Python (names, identifiers)."""
    con = st.con
    t = p.norm

    def mapped(col_sql: str, name: str, fn, typ: str = "VARCHAR", where: str = "") -> None:
        values = [r[0] for r in con.execute(
            f"SELECT DISTINCT {col_sql} FROM {t} WHERE {col_sql} IS NOT NULL {where}").fetchall()]
        _lookup(con, "_map", {v: fn(v) for v in values}, "raw", "val")
        con.execute(f"ALTER TABLE {t} ADD COLUMN {name} {typ}")
        con.execute(f"UPDATE {t} AS x SET {name} = m.val FROM _map AS m WHERE m.raw = x.{col_sql}")

    if p.kind in ("persons", "organizations"):
        mapped("name", "name_folded", fold_name)
    if p.kind == "persons":
        con.execute(f"ALTER TABLE {t} ADD COLUMN birth_year INTEGER")
        con.execute(f"UPDATE {t} SET birth_year = TRY_CAST(substr(__iso_birth_date, 1, 4) AS INTEGER)")
    if p.kind == "identifiers":
        triples = con.execute(f"SELECT DISTINCT kind, value, country FROM {t} WHERE value IS NOT NULL").fetchall()

        def region_of(country: str | None) -> str | None:
            # A phone's own country (the row's 'country') reads its national form; else the producer's.
            iso = country_iso(country)
            return iso if iso and len(iso) == 2 else region

        by_region: dict[str | None, set[str]] = {}
        for k, v, c in triples:
            if (k or "").strip().lower() == "phone":
                by_region.setdefault(region_of(c), set()).add(v)
        e164 = {r: phones.normalise(con, sorted(vs), r) for r, vs in by_region.items()}
        norm = [(e164[region_of(c)].get(v) or identifier_norm("passport", v, region))
                if (k or "").strip().lower() == "phone" else identifier_norm(k, v, region) for k, v, c in triples]
        con.register("_idn_in", pa.table({"kind": pa.array([k for k, _, _ in triples], pa.string()),
                                          "value": pa.array([v for _, v, _ in triples], pa.string()),
                                          "country": pa.array([c for _, _, c in triples], pa.string()),
                                          "norm": pa.array(norm, pa.string())}))
        con.execute(f"ALTER TABLE {t} ADD COLUMN value_norm VARCHAR")
        con.execute(f"UPDATE {t} AS x SET value_norm = n.norm FROM _idn_in AS n "
                    "WHERE n.value = x.value AND n.kind IS NOT DISTINCT FROM x.kind "
                    "AND n.country IS NOT DISTINCT FROM x.country")
        con.unregister("_idn_in")
    if p.kind == "contacts":
        mapped("owner", "owner_norm", lambda o: phone_e164(o, region), where="AND owner_entity_id IS NULL")
        mapped("label", "label_folded", fold_name)
    if p.kind == "travel":
        mapped("document", "document_norm", lambda d: identifier_norm("passport", d, region))
    if p.kind == "sightings":
        mapped("subject", "subject_norm",
               lambda s: phone_e164(s, region) or identifier_norm("vehicle_plate", s, region))


# -- the pipeline -----------------------------------------------------------------------
def already_imported(case: Case, staged: StagedSource) -> int | None:
    cur = case.cursor()
    if staged.bundle_id:
        row = first(cur, "SELECT source_id, container_sha256, manifest_sha256 FROM sources WHERE bundle_id = ?",
                    [staged.bundle_id])
        if row:
            # The manifest holds the SHA-256 of every file: the same manifest is the same bundle,
            # whether it comes as a ZIP, re-zipped, or as a directory.
            same_manifest = bool(staged.manifest_sha256 and row[2] and row[2] == staged.manifest_sha256)
            if (not same_manifest and staged.container_sha256 and row[1]
                    and row[1] != staged.container_sha256):
                raise InputRefused(
                    f"{staged.container_name}: a different bundle with the same bundle_id "
                    f"{staged.bundle_id} was imported as source #{row[0]}",
                    [Problem("bundle_id reused with different content; ask the producer for a new bundle_id",
                             staged.container_name, None, "bundle_id")])
            return int(row[0])
    if staged.container_sha256:
        row = first(cur, "SELECT source_id FROM sources WHERE container_sha256 = ?", [staged.container_sha256])
        if row:
            return int(row[0])
    return None


def ingest(case: Case, staged: StagedSource, options: ImportOptions | None = None,
           progress: Progress = NULL) -> ImportResult:
    """Write ``staged`` into ``case`` in one transaction; raise InputRefused on any problem."""
    options = options or ImportOptions()
    try:
        if case.read_only:
            raise LintasError(f"{case.path}: opened read-only; cannot import")
        dup = already_imported(case, staged)
        if dup is not None:
            return ImportResult(False, bundle_id=staged.bundle_id, title=staged.title, format=staged.format,
                                importer=staged.importer, already_imported_as=dup,
                                problems=[Problem(f"already imported as source #{dup}; not imported again",
                                                  staged.container_name)])
        st = _Staging()
        cur = case.cursor()
        try:
            with _interruptible([st.con, cur], progress) as watch:
                return _ingest(case, st, cur, staged, options, progress, watch)
        finally:
            st.close()
    finally:
        if staged.cleanup:
            with contextlib.suppress(Exception):
                staged.cleanup()


class _Watch:
    """Interrupts the import's DuckDB statements once cancel is asked, until ``close``."""

    def __init__(self, connections: list, progress: Progress) -> None:
        self.stop = threading.Event()
        self.progress = progress
        self.connections = connections
        self.thread = threading.Thread(target=self._watch, name="lintas-import-cancel", daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while not self.stop.wait(0.05):
            if self.progress.cancelled():
                for con in self.connections:
                    with contextlib.suppress(duckdb.Error):
                        con.interrupt()
                return

    def close(self) -> None:
        self.stop.set()
        self.thread.join()

    def last_call(self) -> None:
        """Before COMMIT: a cancel asked until now rolls back; none can interrupt the commit
        (an interrupted COMMIT may be done, yet reported as interrupted)."""
        self.close()
        self.progress.check()


@contextlib.contextmanager
def _interruptible(connections: list, progress: Progress):
    """Cancel reaches into long DuckDB statements: a watcher interrupts them, and the
    interruption surfaces as ``Cancelled`` (the transaction rolls back)."""
    watch = _Watch(connections, progress)
    try:
        yield watch
    except duckdb.InterruptException:
        raise Cancelled() from None
    except duckdb.Error as e:
        # The staging engine interrupted while the case reads its rows: the case reports a
        # failed stream whose cause is the interruption.
        if progress.cancelled() and "INTERRUPT Error" in str(e):
            raise Cancelled() from None
        raise
    except RuntimeError as e:
        # Ctrl-C while DuckDB hands over a result: its fetch says so as a RuntimeError.
        if "interrupted" in str(e).lower():
            raise Cancelled() from None
        raise
    finally:
        watch.close()


def _ingest(case: Case, st: _Staging, cur, staged: StagedSource, options: ImportOptions,
            progress: Progress, watch: _Watch) -> ImportResult:
    con = st.con
    prepared: list[_Prepared] = []
    n = max(1, len(staged.tables))
    for i, t in enumerate(staged.tables):
        progress.check()
        progress(0.3 * i / n, f"reading {t.file}")
        if t.kind not in KINDS and t.kind != OBJECTS:
            st.structural.append(Problem(f"unknown kind {t.kind!r}", t.file))
            continue
        p = _read(st, i, t)
        if p is not None:
            prepared.append(p)
            _check(st, p, staged.default_timezone)
    staged.warnings.extend(st.warnings)     # (the reading's: columns named in another case)
    st.warnings.clear()
    progress(0.3, "normalising numbers, addresses and countries")
    to_warn = _normalise_values(st, prepared, staged)
    progress.check()
    progress(0.45, "resolving entities and references")
    base = case.cursor().execute("SELECT coalesce(max(entity_id), 0) FROM entities").fetchall()[0][0]
    _entities(st, prepared, base)
    region = staged.producer.get("country")
    files = {p.index: p.file for p in prepared} if options.skip_bad_rows else None
    for p in prepared:
        progress.check()
        _references(st, p, files)
        _companions(st, p, region)
    bad_total = con.execute("SELECT count(*) FROM _bad").fetchall()[0][0]
    if st.structural or (bad_total and not options.skip_bad_rows):
        files = {p.index: p.file for p in prepared}
        listed = [Problem(r, files.get(t), int(row), c) for t, row, c, r in con.execute(
            f"SELECT t, source_row, col, reason FROM _bad ORDER BY t, source_row, col, reason "
            f"LIMIT {MAX_LISTED_PROBLEMS}").fetchall()]
        problems = st.structural + listed
        total = len(st.structural) + bad_total
        raise InputRefused(f"{staged.container_name or 'input'}: refused, {total} problem"
                           f"{'s' if total != 1 else ''}; the case was not changed", problems)
    # Warnings about values kept, once it is known which rows are imported: they speak of those alone.
    _warnings(st, prepared, to_warn, bool(bad_total), staged.warnings)
    progress(0.5, "writing into the case")
    return _write(case, st, cur, staged, prepared, progress.sub(0.5, 1.0), watch)


def _final_select(p: _Prepared, have: set[str], rows_sql: str, source_id: int, tz: str | None,
                  where: str = "") -> str:
    """The rows of ``p`` (``rows_sql``: the shaped rows, with columns ``have``) in the column
    order of the kind's table, companions joined in."""
    cols = {c.name: c for c in _columns_of(p.kind)}
    joins: list[str] = []
    select: list[str] = []
    names = _target_columns(p.kind)
    for name in names:
        base = name.rsplit("_", 1)[0]
        col = cols.get(base)
        if name == "source_id":
            select.append(f"CAST({source_id} AS INTEGER) AS source_id")
        elif name == "source_file":
            select.append(f"CAST({literal(p.file)} AS VARCHAR) AS source_file")
        elif name == "handling_id":
            select.append("CAST(hd.handling_id AS INTEGER) AS handling_id")
        elif col is not None and col.type == "time" and name == base + "_utc":
            wall, off, aware = (f"x.{ident(f'__{k}_{base}')}" for k in ("wall", "off", "aware"))
            a = f"tz_{base}"
            joins.append(f"LEFT JOIN _tz_days {a} ON {a}.d = CAST({wall} AS DATE)")
            exact = f"(timezone({literal(tz)}, {wall}) AT TIME ZONE 'UTC')" if tz else "NULL"
            select.append(f"CASE WHEN {off} THEN {aware} WHEN {wall} IS NULL THEN NULL "
                          f"WHEN {a}.off = {a}.off_next THEN {wall} - {a}.off ELSE {exact} END AS {ident(name)}")
        elif col is not None and col.type == "date" and name == base + "_iso":
            select.append(f"x.{ident('__iso_' + base)} AS {ident(name)}")
        elif col is not None and (col.type, name) in (("phone", base + "_e164"), ("address", base + "_norm"),
                                                     ("country", base + "_iso")):
            table, key, val = {"phone": ("_phones", "raw", "e164"), "address": ("_addresses", "raw", "norm"),
                               "country": ("_countries", "key", "iso")}[col.type]
            a = f"lk_{base}"
            joins.append(f"LEFT JOIN {table} {a} ON {a}.{key} = x.{ident(base)}")
            select.append(f"{a}.{val} AS {ident(name)}")
        elif name in have:
            select.append(f"x.{ident(name)}")
        else:
            select.append(f"NULL AS {ident(name)}")
    joins.append("LEFT JOIN _handling_ids hd ON hd.key = x.handling_key")
    # No ORDER BY: rows are identified by source_row, not by their place in storage.
    return f"SELECT {', '.join(select)} FROM {rows_sql} AS x {' '.join(joins)} {where}"


def _stream_into(cur, table: str, reader: pa.RecordBatchReader) -> None:
    cur.register("_incoming", reader)
    try:
        cur.execute(f"INSERT INTO {ident(table)} SELECT * FROM _incoming")
    except BaseException:
        # An interrupted insert aborts the transaction, and then unregistering fails too;
        # the first error (the interruption: cancel) is the one to report.
        with contextlib.suppress(duckdb.Error):
            cur.unregister("_incoming")
        raise
    cur.unregister("_incoming")


def _write(case: Case, st: _Staging, cur, staged: StagedSource, prepared: list[_Prepared],
           progress: Progress, watch: _Watch) -> ImportResult:
    con = st.con
    rows: dict[str, int] = {}
    h = staged.handling
    with case.transaction(cur):
        source_id = int(cur.execute("SELECT nextval('seq_source')").fetchall()[0][0])
        cur.execute(
            "INSERT INTO sources (source_id, bundle_id, title, format, importer, container_name, "
            "container_sha256, manifest_sha256, manifest, producer_agency, producer_unit, producer_country, "
            "producer_contact, case_ref, created_at, default_timezone, tlp, releasable_to, legal_basis, "
            "caveats, signature_status, signer_key_id, signer_name, imported_at, imported_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [source_id, staged.bundle_id, staged.title, staged.format, staged.importer,
             staged.container_name, staged.container_sha256, staged.manifest_sha256,
             json.dumps(staged.manifest, ensure_ascii=False) if staged.manifest is not None else None,
             staged.producer.get("agency"), staged.producer.get("unit"), staged.producer.get("country"),
             staged.producer.get("contact"), staged.case_ref, staged.created_at, staged.default_timezone,
             h.tlp, list(h.releasable_to), h.legal_basis, list(h.caveats), staged.signature.status,
             staged.signature.key_id, staged.signature.signer_name, utcnow(), audit.os_user()])
        handling_ids: dict[str, int] = {}
        for key, rh in staged.row_handlings.items():
            hid = int(cur.execute("SELECT nextval('seq_handling')").fetchall()[0][0])
            cur.execute("INSERT INTO handlings VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [hid, source_id, rh.tlp, list(rh.releasable_to), rh.legal_basis, list(rh.caveats),
                         rh.label or key])
            handling_ids[key] = hid
        _lookup(con, "_handling_ids", {k: str(v) for k, v in handling_ids.items()}, "key", "handling_id")
        # Rejected rows (skip_bad_rows): all of them, with the row as read.
        con.execute("CREATE TEMP TABLE _rejected AS SELECT DISTINCT t, source_row FROM _bad")
        rejected = con.execute("SELECT count(*) FROM _rejected").fetchall()[0][0]
        for p in prepared:
            has = con.execute("SELECT count(*) FROM _bad WHERE t = ?", [p.index]).fetchall()[0][0]
            if has:
                written = ", ".join(
                    f"{literal(p.table.columns.get(c.name, c.name))}: "
                    f"r.{ident('__txt_' + c.name if c.type in ('number', 'amount') else c.name)}"
                    for c in _columns_of(p.kind))
                reader = con.sql(f"""
                    SELECT CAST({source_id} AS INTEGER), {literal(p.file)}, {literal(p.kind)}, b.source_row,
                           b.col, b.reason, CAST(to_json({{{written}, 'extra': r.extra}}) AS JSON)
                    FROM _bad b JOIN {p.norm} r ON r.source_row = b.source_row
                    WHERE b.t = {p.index} ORDER BY b.source_row, b.col""").to_arrow_reader(BATCH_ROWS)
                _stream_into(cur, "rejects", reader)
        n = max(1, len(prepared))
        for i, p in enumerate(prepared):
            progress.check()
            progress(i / n, f"writing {p.kind} from {p.file}")
            keep = (f"WHERE x.source_row NOT IN (SELECT source_row FROM _rejected WHERE t = {p.index})"
                    if rejected else "")
            have = {r[0] for r in con.execute(f"DESCRIBE {p.norm}").fetchall()}
            reader = con.sql(_final_select(p, have, p.norm, source_id, staged.default_timezone, keep)
                             ).to_arrow_reader(BATCH_ROWS)
            table = OBJECTS if p.kind == OBJECTS else p.kind
            _stream_into(cur, table, reader)
            written = cur.execute(f"SELECT count(*) FROM {ident(table)} WHERE source_id = ?",
                                  [source_id]).fetchall()[0][0]
            rows[p.kind] = written
            if p.kind in _ENTITY_KINDS:
                folded = "NULL" if p.kind == OBJECTS else "name_folded"
                label = "coalesce(name, id)" if p.kind == OBJECTS else "name"
                reader = con.sql(
                    f"SELECT entity_id, {literal(_ENTITY_KINDS[p.kind])}, CAST({source_id} AS INTEGER), "
                    f"source_row, id, {label}, {folded} FROM {p.norm} AS x {keep}").to_arrow_reader(BATCH_ROWS)
                _stream_into(cur, "entities", reader)
            cur.execute("INSERT INTO source_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [source_id, p.file, p.kind, p.table.format or "arrow", p.table.sha256,
                         p.table.bytes, p.rows, list(p.table.personal_data),
                         json.dumps(p.table.columns, ensure_ascii=False)])
        for a in staged.attachments:
            progress.check()
            digest = a.sha256
            # Chunk by chunk (workstation.attachments): a recording or a phone image may not fit in memory.
            try:
                with (a.open() if a.open is not None else io.BytesIO(a.read())) as fh:
                    files.store(cur, digest, fh)
            except files.ContentMismatch:
                raise InputRefused(f"{a.path}: content changed while importing",
                                   [Problem("SHA-256 mismatch", a.path)]) from None
            cur.execute("INSERT INTO attachments VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [source_id, a.path, digest, a.bytes, a.media_type, a.title, list(a.describes)])
            for local in a.describes:
                ent = first(cur, "SELECT entity_id FROM entities WHERE source_id = ? AND local_id = ?",
                            [source_id, local])
                cur.execute("INSERT INTO attachment_links VALUES (?, ?, ?, ?)",
                            [digest, source_id, local, ent[0] if ent else None])
        signature = {"status": staged.signature.status, "key_id": staged.signature.key_id,
                     "signer": staged.signature.signer_name}
        seq = audit.append(cur, "import", {
            "container": staged.container_name, "container_sha256": staged.container_sha256,
            "bundle_id": staged.bundle_id, "format": staged.format, "importer": staged.importer,
            "signature": signature}, {
            "source_id": source_id, "rows": rows, "rejected": rejected,
            "attachments": len(staged.attachments), "warnings": staged.warnings})
        cur.execute("UPDATE sources SET audit_seq = ?, row_counts = ? WHERE source_id = ?",
                    [seq, json.dumps(rows), source_id])
        watch.last_call()
        progress(1.0, "imported")
    return ImportResult(True, source_id=source_id, bundle_id=staged.bundle_id, title=staged.title,
                        format=staged.format, importer=staged.importer, rows=rows, rejected=rejected,
                        warnings=list(staged.warnings), signature=signature, tlp=h.tlp, audit_seq=seq)


def import_path(case: Case, path: str | Path, options: ImportOptions | None = None,
                progress: Progress = NULL, format: str | None = None) -> ImportResult:
    """Recognise ``path`` (or use ``format``), stage it and ingest it."""
    options = options or ImportOptions()
    path = Path(path)
    importer = choose(path, format)
    staged = importer.stage(path, options, progress.sub(0.0, 0.3))
    return ingest(case, staged, options, progress.sub(0.3, 1.0))
