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
   inside the source; problems are collected with file, row, column and reason;
3. *normalise* — companions beside the value as written: ``*_utc`` timestamps,
   ``*_e164`` / ``*_norm`` numbers and addresses (phone numbers parsed once per
   distinct value, with the producer's country as default region),
   ``*_iso`` countries and dates, folded names, entity ids;
4. *write* — one transaction on the case: sources, files, handlings, rows,
   entities, attachments and the audit entry.  Any problem (unless
   ``skip_bad_rows``), error or cancel rolls the whole source back.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from . import audit
from .case import Case, utcnow
from .errors import InputRefused, LintasError, Problem
from .importers import ImportOptions, choose
from .kinds import KINDS, PROVENANCE, Column, table_columns
from .normalise import address_norm, country_iso, fold_name, identifier_norm, phone_e164
from .progress import NULL, Progress
from .sql import first, ident, literal
from .staging import StagedSource, StagedTable

log = logging.getLogger(__name__)

MAX_LISTED_PROBLEMS = 100
OBJECTS = "objects"
_OBJECT_COLUMNS = (Column("id", "text", True), Column("type", "text", True), Column("name"),
                   Column("properties"))
# Kinds whose ids are entities, and references that must resolve to them.
_ENTITY_KINDS = {"persons": "person", "organizations": "organization"}
_REFERENCES = {
    "identifiers": [("owner", "owner_entity_id", True)],
    "relationships": [("source", "source_entity_id", True), ("target", "target_entity_id", True)],
    "addresses": [("owner", "owner_entity_id", True)],
    "contacts": [("owner", "owner_entity_id", False)],
    "travel": [("person", "person_entity_id", True)],
    "sightings": [("subject", "subject_entity_id", False)],
}
_TS_WITH_OFFSET = r"(Z|z|[+-]\d\d(:?\d\d)?)$"
_PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


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


def _columns_of(kind: str) -> tuple[Column, ...]:
    return _OBJECT_COLUMNS if kind == OBJECTS else KINDS[kind]


def _target_columns(kind: str) -> list[tuple[str, str]]:
    if kind == OBJECTS:
        return [("source_id", ""), ("source_row", ""), ("id", ""), ("type", ""), ("name", ""),
                ("properties", ""), ("entity_id", ""), ("handling_id", ""), ("extra", "")]
    return table_columns(kind)


class _Staging:
    """The staging engine: reads input files; the case connection never does."""

    def __init__(self) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="lintas-staging-")
        self.con = duckdb.connect(":memory:", config={
            "temp_directory": self.tmp.name, "memory_limit": "1500MB",
            "autoinstall_known_extensions": "false", "autoload_known_extensions": "false",
            "preserve_insertion_order": "true"})
        self.con.execute("SET TimeZone = 'UTC'")

    def close(self) -> None:
        with contextlib.suppress(duckdb.Error):
            self.con.close()
        self.tmp.cleanup()


# -- reading ----------------------------------------------------------------------
def _read_table(st: _Staging, t: StagedTable, name: str, problems: list[Problem]) -> list[str] | None:
    """Load ``t`` into staging table ``name`` with a ``source_row`` column; return its columns."""
    con = st.con
    try:
        if t.arrow is not None:
            con.register(f"{name}_arrow", t.arrow)
            con.execute(f"CREATE TABLE {ident(name)} AS SELECT * FROM {ident(name + '_arrow')}")
            con.unregister(f"{name}_arrow")
            cols = [r[0] for r in con.execute(f"DESCRIBE {ident(name)}").fetchall()]
            if "source_row" not in cols:
                con.execute(f"ALTER TABLE {ident(name)} ADD COLUMN source_row BIGINT")
                con.execute(f"UPDATE {ident(name)} SET source_row = rowid + 1")
            return [c for c in cols if c != "source_row"] if "source_row" in cols else cols
        path = literal(str(t.path))
        if t.format == "csv":
            src = (f"read_csv({path}, header = true, delim = ',', quote = '\"', escape = '\"', "
                   "all_varchar = true, strict_mode = true, encoding = 'utf-8', sample_size = -1)")
            rownum = "row_number() OVER () + 1"
        elif t.format == "parquet":
            src = f"read_parquet({path}, file_row_number = true)"
            rownum = "file_row_number + 1"
        elif t.format == "jsonl":
            src = (f"read_json({path}, format = 'newline_delimited', records = true, "
                   "sample_size = -1, maximum_object_size = 67108864)")
            rownum = "row_number() OVER ()"
        else:
            problems.append(Problem(f"unknown table format {t.format!r} (csv, parquet, jsonl)", t.file))
            return None
        con.execute(f"CREATE TABLE {ident(name)} AS SELECT *, {rownum} AS source_row FROM {src}")
        cols = [r[0] for r in con.execute(f"DESCRIBE {ident(name)}").fetchall()]
        cols = [c for c in cols if c not in ("source_row", "file_row_number")]
        return cols
    except duckdb.Error as e:
        problems.append(_read_problem(t, e))
        return None


def _read_problem(t: StagedTable, e: duckdb.Error) -> Problem:
    import re

    msg = str(e)
    line = re.search(r"CSV Error on Line: (\d+)", msg)
    row = int(line.group(1)) if line else None
    if "not utf-8" in msg.lower() or "invalid unicode" in msg.lower():
        return Problem("not UTF-8 text (lintas-bundle/1 CSV files are UTF-8)", t.file, row)
    first = msg.strip().splitlines()[0] if msg.strip() else type(e).__name__
    if "Expected Number of Columns" in msg or "columns" in first.lower() and line:
        return Problem(f"malformed CSV row: {first}", t.file, row)
    return Problem(f"cannot read the {t.format} file: {first}", t.file, row)


# -- checking and normalising ----------------------------------------------------
def _as_text(col: str, typ: str) -> str:
    """SQL for a column's value as written (text), whatever its stored type."""
    q = ident(col)
    if typ.endswith("[]") or typ.startswith("STRUCT") or typ.startswith("MAP") or typ == "JSON":
        return f"CAST(to_json({q}) AS VARCHAR)"
    return f"CAST({q} AS VARCHAR)"


def _checks_and_values(kind: str, mapping: dict[str, str], types: dict[str, str], tz: str | None,
                       file: str) -> tuple[list[str], list[tuple[str, str, str]], list[str]]:
    """SQL select-expressions for canonical values, and per-column error conditions.

    Returns (select expressions named by canonical column and companions, checks as
    (column-as-in-file, condition SQL, reason SQL), names of missing required columns).
    """
    exprs: list[str] = []
    checks: list[tuple[str, str, str]] = []
    missing: list[str] = []
    for col in _columns_of(kind):
        src = mapping.get(col.name, col.name)
        present = src in types
        if not present:
            if col.required:
                missing.append(col.name if src == col.name else f"{col.name} (mapped to {src!r})")
            text = "CAST(NULL AS VARCHAR)"
        else:
            text = _as_text(src, types[src])
        v = f"NULLIF(trim({text}), '')"
        label = src
        if col.required and present:
            checks.append((label, f"{v} IS NULL", literal("required value is empty")))
        if col.type == "list":
            if present and types[src].endswith("[]"):
                exprs.append(f"list_filter(list_transform(CAST({ident(src)} AS VARCHAR[]), lambda x: trim(x)), "
                             f"lambda x: x <> '') AS {ident(col.name)}")
            else:
                exprs.append(f"list_filter(list_transform(string_split({v}, ';'), lambda x: trim(x)), "
                             f"lambda x: x <> '') AS {ident(col.name)}")
        elif col.type == "number":
            exprs.append(f"TRY_CAST({v} AS DOUBLE) AS {ident(col.name)}")
            checks.append((label, f"{v} IS NOT NULL AND TRY_CAST({v} AS DOUBLE) IS NULL",
                           f"'not a number: ' || {v}"))
        elif col.type == "amount":
            exprs.append(f"TRY_CAST({v} AS DECIMAL(24,4)) AS {ident(col.name)}")
            checks.append((label, f"{v} IS NOT NULL AND TRY_CAST({v} AS DECIMAL(24,4)) IS NULL",
                           f"'not an amount: ' || {v}"))
        elif col.type == "time":
            exprs.append(f"{v} AS {ident(col.name)}")
            with_offset = f"regexp_matches({v}, {literal(_TS_WITH_OFFSET)})"
            naive = f"TRY_CAST({v} AS TIMESTAMP)"
            utc_naive = (f"(timezone({literal(tz)}, {naive}) AT TIME ZONE 'UTC')" if tz else "NULL")
            exprs.append(f"CASE WHEN {v} IS NULL THEN NULL WHEN {with_offset} THEN "
                         f"(TRY_CAST({v} AS TIMESTAMPTZ) AT TIME ZONE 'UTC') ELSE {utc_naive} END "
                         f"AS {ident(col.name + '_utc')}")
            checks.append((label, f"{v} IS NOT NULL AND {with_offset} AND TRY_CAST({v} AS TIMESTAMPTZ) IS NULL",
                           f"'not an ISO 8601 timestamp: ' || {v}"))
            checks.append((label, f"{v} IS NOT NULL AND NOT {with_offset} AND {naive} IS NULL",
                           f"'not an ISO 8601 timestamp: ' || {v}"))
            if not tz:
                checks.append((label, f"{v} IS NOT NULL AND NOT {with_offset} AND {naive} IS NOT NULL",
                               f"'timestamp without UTC offset and no default_timezone: ' || {v}"))
        elif col.type == "date":
            exprs.append(f"{v} AS {ident(col.name)}")
            iso = (f"CASE WHEN regexp_matches({v}, {literal(_PARTIAL_DATE)}) THEN {v} "
                   f"WHEN TRY_CAST({v} AS TIMESTAMPTZ) IS NOT NULL THEN strftime(TRY_CAST({v} AS TIMESTAMPTZ), '%Y-%m-%d') "
                   f"WHEN TRY_CAST({v} AS TIMESTAMP) IS NOT NULL THEN strftime(TRY_CAST({v} AS TIMESTAMP), '%Y-%m-%d') END")
            valid = (f"(NOT regexp_matches({v}, {literal(_PARTIAL_DATE)}) OR "
                     f"TRY_CAST(CASE length({v}) WHEN 4 THEN {v} || '-01-01' WHEN 7 THEN {v} || '-01' "
                     f"ELSE {v} END AS DATE) IS NOT NULL)")
            exprs.append(f"CASE WHEN {valid} THEN {iso} END AS {ident(col.name + '_iso')}")
            checks.append((label, f"{v} IS NOT NULL AND ({iso} IS NULL OR NOT {valid})",
                           f"'not a date (YYYY, YYYY-MM or YYYY-MM-DD): ' || {v}"))
        elif col.type == "country":
            exprs.append(f"{v} AS {ident(col.name)}")
            exprs.append(f"(SELECT iso FROM _countries WHERE key = {v}) AS {ident(col.name + '_iso')}")
        elif col.type == "phone":
            exprs.append(f"{v} AS {ident(col.name)}")
            exprs.append(f"(SELECT e164 FROM _phones WHERE raw = {v}) AS {ident(col.name + '_e164')}")
        elif col.type == "address":
            exprs.append(f"{v} AS {ident(col.name)}")
            exprs.append(f"(SELECT norm FROM _addresses WHERE raw = {v}) AS {ident(col.name + '_norm')}")
        else:
            exprs.append(f"{v} AS {ident(col.name)}")
    return exprs, checks, missing


@dataclass
class _Prepared:
    table: StagedTable
    kind: str
    name: str            # staging table holding the raw rows
    norm: str            # staging table holding the canonical, normalised rows
    rows: int = 0
    types: dict[str, str] = field(default_factory=dict)   # raw columns and their types


def _distinct_values(con, name: str, exprs: list[str]) -> list[str]:
    sql = " UNION ".join(f"SELECT DISTINCT {e} AS v FROM {ident(name)}" for e in exprs)
    return [r[0] for r in con.execute(f"SELECT v FROM ({sql}) WHERE v IS NOT NULL").fetchall()]


def _register_lookup(con, table: str, pairs: dict[str, str | None], key: str, val: str) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {ident(table)} ({ident(key)} VARCHAR PRIMARY KEY, "
                f"{ident(val)} VARCHAR)")
    if pairs:
        arrow = pa.table({key: list(pairs.keys()), val: list(pairs.values())})
        con.register("_lookup_arrow", arrow)
        con.execute(f"INSERT INTO {ident(table)} SELECT * FROM _lookup_arrow")
        con.unregister("_lookup_arrow")


def _prepare(st: _Staging, staged: StagedSource, progress: Progress,
             problems: list[Problem]) -> list[_Prepared]:
    con = st.con
    region = staged.producer.get("country")
    prepared: list[_Prepared] = []
    n = max(1, len(staged.tables))
    for i, t in enumerate(staged.tables):
        progress.check()
        progress(i / n * 0.5, f"reading {t.file}")
        if t.kind not in KINDS and t.kind != OBJECTS:
            problems.append(Problem(f"unknown kind {t.kind!r}", t.file))
            continue
        name = f"raw_{i}"
        cols = _read_table(st, t, name, problems)
        if cols is None:
            continue
        types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {ident(name)})").fetchall())
        types.pop("source_row", None)
        types.pop("file_row_number", None)
        rows = con.execute(f"SELECT count(*) FROM {ident(name)}").fetchall()[0][0]
        if t.declared_rows is not None and t.declared_rows != rows:
            problems.append(Problem(f"the manifest declares {t.declared_rows} rows, the file has {rows}",
                                    t.file, None, None))
        prepared.append(_Prepared(t, t.kind, name, f"norm_{i}", rows, types))

    # Distinct phone numbers / addresses / countries across all tables, normalised once each.
    phones: set[str] = set()
    addresses: set[str] = set()
    countries: set[str] = set()
    for p in prepared:
        types = p.types
        for col in _columns_of(p.kind):
            src = p.table.columns.get(col.name, col.name)
            if src not in types:
                continue
            expr = f"NULLIF(trim({_as_text(src, types[src])}), '')"
            if col.type == "phone":
                phones.update(_distinct_values(con, p.name, [expr]))
            elif col.type == "address":
                addresses.update(_distinct_values(con, p.name, [expr]))
            elif col.type == "country":
                countries.update(_distinct_values(con, p.name, [expr]))
    progress(0.55, f"normalising {len(phones) + len(addresses):,} distinct numbers and addresses")
    _register_lookup(con, "_phones", {v: phone_e164(v, region) for v in phones}, "raw", "e164")
    _register_lookup(con, "_addresses", {v: address_norm(v, region) for v in addresses}, "raw", "norm")
    country_map = {v: country_iso(v) for v in countries}
    _register_lookup(con, "_countries", country_map, "key", "iso")
    unknown = sorted(k for k, v in country_map.items() if v is None)
    if unknown:
        staged.warnings.append(f"{len(unknown)} country value(s) not recognised as ISO codes or names "
                               f"(kept as written, no ISO code): {', '.join(unknown[:10])}")

    for p in prepared:
        progress.check()
        types = p.types
        exprs, checks, missing = _checks_and_values(p.kind, p.table.columns, types,
                                                    staged.default_timezone, p.table.file)
        for m in missing:
            problems.append(Problem(f"required column missing for kind '{p.kind}'", p.table.file, None, m))
        if missing:
            continue
        mapped = {p.table.columns.get(c.name, c.name) for c in _columns_of(p.kind)}
        internal = {"source_row", "extra", "handling_key", "file_row_number"}
        extras = [c for c in types if c not in mapped and c not in internal]
        if p.kind == "persons" and "role" in extras:
            exprs.append("lower(NULLIF(trim(CAST(\"role\" AS VARCHAR)), '')) AS role")
        elif p.kind == "persons":
            exprs.append("CAST(NULL AS VARCHAR) AS role")
        extra_parts = [f"{literal(c)}: {ident(c)}" for c in extras if not (p.kind == "persons" and c == "role")]
        extra_sql = "CAST(NULL AS JSON)"
        if extra_parts:
            extra_sql = f"CAST(to_json({{{', '.join(extra_parts)}}}) AS JSON)"
        if "extra" in types:
            given = "TRY_CAST(\"extra\" AS JSON)"
            extra_sql = given if not extra_parts else f"json_merge_patch(coalesce({given}, '{{}}'), {extra_sql})"
        exprs.append(f"{extra_sql} AS extra")
        exprs.append("\"handling_key\" AS handling_key" if "handling_key" in types
                     else "CAST(NULL AS VARCHAR) AS handling_key")
        con.execute(f"CREATE TABLE {ident(p.norm)} AS SELECT source_row, {', '.join(exprs)} "
                    f"FROM {ident(p.name)}")
        # Row problems, first ones per column.
        for label, cond, reason in checks:
            found = con.execute(
                f"SELECT source_row, {reason} FROM {ident(p.name)} WHERE {cond} "
                f"ORDER BY source_row LIMIT {MAX_LISTED_PROBLEMS + 1}").fetchall()
            for row, why in found:
                problems.append(Problem(str(why), p.table.file, int(row), label))
        con.execute(f"DROP TABLE {ident(p.name)}")
    return prepared


def _entities_and_references(st: _Staging, prepared: list[_Prepared], base_entity: int,
                             problems: list[Problem]) -> None:
    """Give persons and organisations entity ids; resolve references within the source."""
    con = st.con
    con.execute("CREATE OR REPLACE TEMP TABLE _ids (local_id VARCHAR, entity_id BIGINT, kind VARCHAR, "
                "file VARCHAR, source_row BIGINT)")
    next_id = base_entity
    for p in prepared:
        if p.kind not in _ENTITY_KINDS and p.kind != OBJECTS:
            continue
        if not _exists(con, p.norm):
            continue
        n = con.execute(f"SELECT count(*) FROM {ident(p.norm)}").fetchall()[0][0]
        con.execute(f"ALTER TABLE {ident(p.norm)} ADD COLUMN entity_id BIGINT")
        con.execute(f"UPDATE {ident(p.norm)} SET entity_id = {next_id} + rowid + 1")
        con.execute(f"INSERT INTO _ids SELECT id, entity_id, {literal(p.kind)}, {literal(p.table.file)}, "
                    f"source_row FROM {ident(p.norm)}")
        next_id += n
    dups = con.execute("SELECT local_id, list(file || ' row ' || source_row ORDER BY source_row) "
                       "FROM _ids WHERE local_id IS NOT NULL GROUP BY local_id HAVING count(*) > 1 "
                       "ORDER BY local_id LIMIT 100").fetchall()
    for local_id, where in dups:
        first, *rest = where
        problems.append(Problem(f"id {local_id!r} is used more than once in this source "
                                f"(also at {', '.join(rest)})", first.rsplit(" row ", 1)[0],
                                int(first.rsplit(" row ", 1)[1]), "id"))
    for p in prepared:
        refs = _REFERENCES.get(p.kind)
        if not refs or not _exists(con, p.norm):
            continue
        for col, target, must in refs:
            src_label = p.table.columns.get(col, col)
            con.execute(f"ALTER TABLE {ident(p.norm)} ADD COLUMN {ident(target)} BIGINT")
            con.execute(f"UPDATE {ident(p.norm)} AS t SET {ident(target)} = i.entity_id FROM "
                        f"(SELECT local_id, min(entity_id) AS entity_id FROM _ids WHERE kind <> 'objects' "
                        f"GROUP BY local_id) AS i WHERE i.local_id = t.{ident(col)}")
            if must:
                bad = con.execute(
                    f"SELECT source_row, {ident(col)} FROM {ident(p.norm)} WHERE {ident(col)} IS NOT NULL "
                    f"AND {ident(target)} IS NULL ORDER BY source_row LIMIT {MAX_LISTED_PROBLEMS + 1}").fetchall()
                for row, val in bad:
                    problems.append(Problem(f"refers to {val!r}, which is no person or organisation of "
                                            "this source", p.table.file, int(row), src_label))


def _exists(con, table: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [table]).fetchall()[0][0])


def _kind_specific(st: _Staging, p: _Prepared, region: str | None) -> None:
    """Companions that depend on more than one column (identifier kind, names, …)."""
    con = st.con
    t = ident(p.norm)
    if p.kind in ("persons", "organizations"):
        names = [r[0] for r in con.execute(f"SELECT DISTINCT name FROM {t} WHERE name IS NOT NULL").fetchall()]
        _register_lookup(con, "_names", {n: fold_name(n) for n in names}, "raw", "folded")
        con.execute(f"ALTER TABLE {t} ADD COLUMN name_folded VARCHAR")
        con.execute(f"UPDATE {t} AS x SET name_folded = n.folded FROM _names AS n WHERE n.raw = x.name")
    if p.kind == "persons":
        con.execute(f"ALTER TABLE {t} ADD COLUMN birth_year INTEGER")
        con.execute(f"UPDATE {t} SET birth_year = TRY_CAST(substr(birth_date_iso, 1, 4) AS INTEGER)")
    if p.kind == "identifiers":
        pairs = con.execute(f"SELECT DISTINCT kind, value FROM {t} WHERE value IS NOT NULL").fetchall()
        con.execute("CREATE OR REPLACE TEMP TABLE _idn (kind VARCHAR, value VARCHAR, norm VARCHAR)")
        if pairs:
            con.register("_idn_arrow", pa.table({
                "kind": [k for k, _ in pairs], "value": [v for _, v in pairs],
                "norm": [identifier_norm(k, v, region) for k, v in pairs]}))
            con.execute("INSERT INTO _idn SELECT * FROM _idn_arrow")
            con.unregister("_idn_arrow")
        con.execute(f"ALTER TABLE {t} ADD COLUMN value_norm VARCHAR")
        con.execute(f"UPDATE {t} AS x SET value_norm = n.norm FROM _idn AS n "
                    "WHERE n.value = x.value AND n.kind IS NOT DISTINCT FROM x.kind")
    if p.kind == "contacts":
        owners = [r[0] for r in con.execute(
            f"SELECT DISTINCT owner FROM {t} WHERE owner_entity_id IS NULL AND owner IS NOT NULL").fetchall()]
        _register_lookup(con, "_owners", {o: phone_e164(o, region) for o in owners}, "raw", "norm")
        labels = [r[0] for r in con.execute(f"SELECT DISTINCT label FROM {t} WHERE label IS NOT NULL").fetchall()]
        _register_lookup(con, "_labels", {x: fold_name(x) for x in labels}, "raw", "folded")
        con.execute(f"ALTER TABLE {t} ADD COLUMN owner_norm VARCHAR")
        con.execute(f"ALTER TABLE {t} ADD COLUMN label_folded VARCHAR")
        con.execute(f"UPDATE {t} AS x SET owner_norm = o.norm FROM _owners AS o WHERE o.raw = x.owner")
        con.execute(f"UPDATE {t} AS x SET label_folded = o.folded FROM _labels AS o WHERE o.raw = x.label")
    if p.kind == "travel":
        docs = [r[0] for r in con.execute(f"SELECT DISTINCT document FROM {t} WHERE document IS NOT NULL").fetchall()]
        _register_lookup(con, "_docs", {d: identifier_norm("passport", d, region) for d in docs}, "raw", "norm")
        con.execute(f"ALTER TABLE {t} ADD COLUMN document_norm VARCHAR")
        con.execute(f"UPDATE {t} AS x SET document_norm = o.norm FROM _docs AS o WHERE o.raw = x.document")
    if p.kind == "sightings":
        subs = [r[0] for r in con.execute(f"SELECT DISTINCT subject FROM {t} WHERE subject IS NOT NULL").fetchall()]
        _register_lookup(con, "_subjects", {s: (phone_e164(s, region) or identifier_norm("vehicle_plate", s, region))
                                            for s in subs}, "raw", "norm")
        con.execute(f"ALTER TABLE {t} ADD COLUMN subject_norm VARCHAR")
        con.execute(f"UPDATE {t} AS x SET subject_norm = o.norm FROM _subjects AS o WHERE o.raw = x.subject")


# -- writing ------------------------------------------------------------------------
def _check_travel(st: _Staging, p: _Prepared, problems: list[Problem]) -> None:
    bad = st.con.execute(f"SELECT source_row FROM {ident(p.norm)} WHERE person IS NULL AND document IS NULL "
                         f"ORDER BY source_row LIMIT {MAX_LISTED_PROBLEMS + 1}").fetchall()
    for (row,) in bad:
        problems.append(Problem("a travel record needs a person or a document", p.table.file, int(row),
                                "person"))


def already_imported(case: Case, staged: StagedSource) -> int | None:
    cur = case.cursor()
    if staged.bundle_id:
        row = first(cur, "SELECT source_id, container_sha256 FROM sources WHERE bundle_id = ?",
                          [staged.bundle_id])
        if row:
            if staged.container_sha256 and row[1] and row[1] != staged.container_sha256:
                raise InputRefused(
                    f"{staged.container_name}: a different bundle with the same bundle_id "
                    f"{staged.bundle_id} was imported as source #{row[0]}",
                    [Problem("bundle_id reused with different content; ask the producer for a new "
                             "bundle_id", staged.container_name, None, "bundle_id")])
            return int(row[0])
    if staged.container_sha256:
        row = first(cur, "SELECT source_id FROM sources WHERE container_sha256 = ?",
                          [staged.container_sha256])
        if row:
            return int(row[0])
    return None


def ingest(case: Case, staged: StagedSource, options: ImportOptions | None = None,
           progress: Progress = NULL) -> ImportResult:
    """Write ``staged`` into ``case`` in one transaction; raise InputRefused on any problem."""
    options = options or ImportOptions()
    if case.read_only:
        raise LintasError(f"{case.path}: opened read-only; cannot import")
    dup = already_imported(case, staged)
    if dup is not None:
        return ImportResult(False, bundle_id=staged.bundle_id, title=staged.title, format=staged.format,
                            importer=staged.importer, already_imported_as=dup,
                            problems=[Problem(f"already imported as source #{dup}; not imported again",
                                              staged.container_name)])
    st = _Staging()
    problems: list[Problem] = []
    try:
        prepared = _prepare(st, staged, progress.sub(0.0, 0.6), problems)
        progress.check()
        base = case.cursor().execute("SELECT coalesce(max(entity_id), 0) FROM entities").fetchall()[0][0]
        _entities_and_references(st, prepared, base, problems)
        region = staged.producer.get("country")
        for p in prepared:
            if _exists(st.con, p.norm):
                _kind_specific(st, p, region)
                if p.kind == "travel":
                    _check_travel(st, p, problems)
        rejected: list[tuple[_Prepared, list[Problem]]] = []
        structural = [x for x in problems if x["row"] is None]
        if problems and (not options.skip_bad_rows or structural):
            raise InputRefused(
                f"{staged.container_name or 'input'}: refused, {len(problems)} problem"
                f"{'s' if len(problems) != 1 else ''}; the case was not changed", problems)
        if problems:  # skip_bad_rows and every problem belongs to a row
            by_file: dict[str, set[int]] = {}
            for x in problems:
                by_file.setdefault(x["file"], set()).add(int(x["row"]))
            for p in prepared:
                bad = by_file.get(p.table.file)
                if bad:
                    rejected.append((p, [x for x in problems if x["file"] == p.table.file]))
        progress(0.65, "writing into the case")
        return _write(case, st, staged, prepared, rejected, progress.sub(0.65, 1.0))
    finally:
        st.close()
        if staged.cleanup:
            with contextlib.suppress(Exception):
                staged.cleanup()


def _write(case: Case, st: _Staging, staged: StagedSource, prepared: list[_Prepared],
           rejected: list[tuple[_Prepared, list[Problem]]], progress: Progress) -> ImportResult:
    cur = case.cursor()
    rows: dict[str, int] = {}
    rejected_count = 0
    with case.transaction(cur):
        source_id = cur.execute("SELECT nextval('seq_source')").fetchall()[0][0]
        h = staged.handling
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
        # Row-level handlings (partner markings).
        handling_ids: dict[str, int] = {}
        for key, rh in staged.row_handlings.items():
            hid = cur.execute("SELECT nextval('seq_handling')").fetchall()[0][0]
            cur.execute("INSERT INTO handlings VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [hid, source_id, rh.tlp, list(rh.releasable_to), rh.legal_basis,
                         list(rh.caveats), rh.label or key])
            handling_ids[key] = hid
        st.con.execute("CREATE OR REPLACE TEMP TABLE _handling_ids (key VARCHAR, handling_id INTEGER)")
        if handling_ids:
            st.con.register("_hid_arrow", pa.table({"key": list(handling_ids), "handling_id":
                                                    pa.array(list(handling_ids.values()), pa.int32())}))
            st.con.execute("INSERT INTO _handling_ids SELECT * FROM _hid_arrow")
            st.con.unregister("_hid_arrow")
        n = max(1, len(prepared))
        for i, p in enumerate(prepared):
            progress.check()
            progress(i / n, f"writing {p.kind} from {p.table.file}")
            bad_rows = next((probs for q, probs in rejected if q is p), [])
            bad_set = sorted({int(x["row"]) for x in bad_rows})
            if bad_set:
                st.con.register("_bad_arrow", pa.table({"r": pa.array(bad_set, pa.int64())}))
                st.con.execute("CREATE OR REPLACE TEMP TABLE _bad AS SELECT r FROM _bad_arrow")
                st.con.unregister("_bad_arrow")
                raw = st.con.execute(f"SELECT source_row, CAST(to_json(x) AS VARCHAR) FROM {ident(p.norm)} AS x "
                                     "WHERE source_row IN (SELECT r FROM _bad)").fetchall()
                raw_by_row = dict(raw)
                for x in bad_rows:
                    cur.execute("INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?, ?)",
                                [source_id, x["file"], p.kind, x["row"], x["column"], x["reason"],
                                 raw_by_row.get(x["row"])])
                rejected_count += len(bad_set)
                where = "WHERE source_row NOT IN (SELECT r FROM _bad)"
            else:
                where = ""
            target = _target_columns(p.kind)
            have = {r[0] for r in st.con.execute(f"DESCRIBE {ident(p.norm)}").fetchall()}
            select = []
            for name, _typ in target:
                if name == "source_id":
                    select.append(f"CAST({int(source_id)} AS INTEGER) AS source_id")
                elif name == "handling_id":
                    select.append("(SELECT handling_id FROM _handling_ids h WHERE h.key = x.handling_key) "
                                  "AS handling_id")
                elif name in have:
                    select.append(f"x.{ident(name)}")
                else:
                    select.append(f"NULL AS {ident(name)}")
            reader = st.con.sql(f"SELECT {', '.join(select)} FROM {ident(p.norm)} AS x {where} "
                                "ORDER BY source_row").to_arrow_reader(122880)
            cur.register("_incoming", reader)
            table = OBJECTS if p.kind == OBJECTS else p.kind
            cur.execute(f"INSERT INTO {ident(table)} SELECT * FROM _incoming")
            cur.unregister("_incoming")
            written = cur.execute(f"SELECT count(*) FROM {ident(table)} WHERE source_id = ?",
                                  [source_id]).fetchall()[0][0]
            rows[p.kind] = written
            if p.kind in _ENTITY_KINDS or p.kind == OBJECTS:
                ekind = _ENTITY_KINDS.get(p.kind, "object")
                label = "coalesce(name, id)" if p.kind == OBJECTS else "name"
                reader = st.con.sql(
                    f"SELECT entity_id, {literal(ekind)} AS kind, CAST({int(source_id)} AS INTEGER) AS source_id, "
                    f"source_row, id AS local_id, {label} AS name, "
                    f"{'name_folded' if p.kind != OBJECTS else 'NULL'} AS name_folded FROM {ident(p.norm)} {where}"
                ).to_arrow_reader(122880)
                cur.register("_incoming", reader)
                cur.execute("INSERT INTO entities SELECT * FROM _incoming")
                cur.unregister("_incoming")
            cur.execute("INSERT INTO source_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [source_id, p.table.file, p.kind, p.table.format or "arrow", p.table.sha256,
                         p.table.bytes, p.rows, list(p.table.personal_data),
                         json.dumps(p.table.columns, ensure_ascii=False)])
        # Attachments, content-addressed.
        for a in staged.attachments:
            progress.check()
            content = a.read()
            digest = hashlib.sha256(content).hexdigest()
            if digest != a.sha256:
                raise InputRefused(f"{a.path}: content changed while importing",
                                   [Problem("SHA-256 mismatch", a.path)])
            cur.execute("INSERT OR IGNORE INTO attachment_blobs VALUES (?, ?)", [digest, content])
            cur.execute("INSERT INTO attachments VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [source_id, a.path, digest, a.bytes, a.media_type, a.title, list(a.describes)])
            for local in a.describes:
                ent = first(cur, "SELECT entity_id FROM entities WHERE source_id = ? AND local_id = ?",
                                  [source_id, local])
                cur.execute("INSERT INTO attachment_links VALUES (?, ?, ?, ?)",
                            [digest, source_id, local, ent[0] if ent else None])
        result = ImportResult(True, source_id=int(source_id), bundle_id=staged.bundle_id, title=staged.title,
                              format=staged.format, importer=staged.importer, rows=rows,
                              rejected=rejected_count, warnings=list(staged.warnings),
                              signature={"status": staged.signature.status, "key_id": staged.signature.key_id,
                                         "signer": staged.signature.signer_name},
                              tlp=h.tlp)
        seq = audit.append(cur, "import", {
            "container": staged.container_name, "container_sha256": staged.container_sha256,
            "bundle_id": staged.bundle_id, "format": staged.format, "importer": staged.importer,
            "signature": result.signature}, {
            "source_id": int(source_id), "rows": rows, "rejected": rejected_count,
            "attachments": len(staged.attachments), "warnings": staged.warnings})
        cur.execute("UPDATE sources SET audit_seq = ?, row_counts = ? WHERE source_id = ?",
                    [seq, json.dumps(rows), source_id])
        result.audit_seq = seq
        progress(1.0, "imported")
    return result


def import_path(case: Case, path: str | Path, options: ImportOptions | None = None,
                progress: Progress = NULL, format: str | None = None) -> ImportResult:
    """Recognise ``path`` (or use ``format``), stage it and ingest it."""
    options = options or ImportOptions()
    path = Path(path)
    importer = choose(path, format)
    staged = importer.stage(path, options, progress.sub(0.0, 0.3))
    return ingest(case, staged, options, progress.sub(0.3, 1.0))


__all__ = ["ImportResult", "ingest", "import_path", "PROVENANCE"]
