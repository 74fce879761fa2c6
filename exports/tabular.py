"""CSV, XLSX and Parquet of a releasable selection or of a query result.

Spreadsheets execute what looks like a formula, so CSV and XLSX text cells that
begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return are written with
a leading apostrophe (OWASP's "CSV injection" advice): ``=HYPERLINK(...)`` is shown
as the text ``'=HYPERLINK(...)``, never run.  Numbers stay numbers.  Parquet is
not opened by spreadsheets and keeps values exactly.

Done on whole Arrow columns (``neutralise``), never cell by cell in Python, except
where the XLSX writer itself takes cells one at a time.  XLSX is written with
``xlsxwriter`` in constant-memory mode, already the project's XLSX writer (see
pyproject.toml), with its string-to-formula conversion off as a second guard.

A selection is written one file per kind (CSV, Parquet: into a directory, with an
``export.json`` index holding the recipient, TLP, handling, what was withheld and
the SHA-256 of every file) or one sheet per kind after a "Handling" sheet (XLSX).
Unless ``drop_markings`` is set, each row carries its own ``tlp`` and
``releasable_to`` beside the provenance columns ``source_bundle_id`` and
``source_bundle_row``.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from workstation.kinds import KINDS
from workstation.progress import NULL, Progress
from workstation.sql import ident

from .registry import ExportError, ExportOptions, Written, register, sha256_file
from .selection import Selection

log = logging.getLogger(__name__)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_575          # rows of a sheet, less the header
INDEX = "export.json"


# -- formula injection ----------------------------------------------------------
def neutralise(array: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Prefix ``'`` to text values a spreadsheet would take for a formula."""
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return array
    # one starts_with per character: far faster than a regular expression over the column
    risky = pc.starts_with(array, FORMULA_START[0])
    for ch in FORMULA_START[1:]:
        risky = pc.or_(risky, pc.starts_with(array, ch))
    risky = pc.fill_null(risky, False)
    if not pc.any(risky).as_py():
        return array
    return pc.if_else(risky, pc.binary_join_element_wise("'", array, ""), array)


def _as_cells(col: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A column as spreadsheet cells: lists joined with ``;``, nested values as JSON text."""
    t = col.type
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        if pa.types.is_string(t.value_type) or pa.types.is_large_string(t.value_type):
            return pc.binary_join(col, ";")
        return pa.array([None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                         for v in col.to_pylist()], pa.string())
    if pa.types.is_struct(t) or pa.types.is_map(t):
        return pa.array([None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                         for v in col.to_pylist()], pa.string())
    if pa.types.is_decimal(t):
        return pc.cast(col, pa.string())
    return col


def safe_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """A batch ready for CSV/XLSX: cells flattened, formulas neutralised."""
    cols = [neutralise(_as_cells(c)) for c in batch.columns]
    return pa.RecordBatch.from_arrays(cols, names=batch.schema.names)


def _safe_reader(reader: pa.RecordBatchReader, progress: Progress) -> pa.RecordBatchReader:
    first = None
    it = iter(reader)
    for b in it:
        first = safe_batch(b)
        break
    if first is None:
        empty = safe_batch(pa.RecordBatch.from_pylist([], schema=reader.schema))
        return pa.RecordBatchReader.from_batches(empty.schema, iter(()))

    def gen():
        yield first
        for b in it:
            progress.check()
            yield safe_batch(b)

    return pa.RecordBatchReader.from_batches(first.schema, gen())


# -- writers ----------------------------------------------------------------------
def write_csv(reader: pa.RecordBatchReader, path: str | os.PathLike, progress: Progress = NULL) -> int:
    """RFC 4180 CSV (UTF-8, header row), formulas neutralised; returns the rows written."""
    path = Path(path)
    safe = _safe_reader(reader, progress)
    n = 0
    part = path.with_name(path.name + ".part")
    try:
        with pacsv.CSVWriter(str(part), safe.schema,
                             write_options=pacsv.WriteOptions(quoting_style="needed")) as w:
            for b in safe:
                w.write_batch(b)
                n += b.num_rows
        part.replace(path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return n


def write_parquet(reader: pa.RecordBatchReader, path: str | os.PathLike, progress: Progress = NULL) -> int:
    path = Path(path)
    n = 0
    part = path.with_name(path.name + ".part")
    try:
        with pq.ParquetWriter(str(part), reader.schema) as w:
            for b in reader:
                progress.check()
                w.write_batch(b)
                n += b.num_rows
        part.replace(path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return n


def write_xlsx(sheets: list[tuple[str, pa.RecordBatchReader | list[list[Any]]]], path: str | os.PathLike,
               progress: Progress = NULL) -> dict[str, int]:
    """One workbook; each sheet from an Arrow reader (header + rows, formulas neutralised)
    or from a list of rows (the "Handling" sheet).  A reader longer than a sheet continues
    on ``<name> (2)``, … .  Returns rows written per sheet name."""
    import xlsxwriter

    path = Path(path)
    part = path.with_name(path.name + ".part")
    counts: dict[str, int] = {}
    wb = xlsxwriter.Workbook(str(part), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    try:
        bold = wb.add_format({"bold": True})
        for name, data in sheets:
            if isinstance(data, list):
                ws = wb.add_worksheet(name[:31])
                for r, row in enumerate(data):
                    for c, v in enumerate(row):
                        _cell(ws, r, c, _neutral_text(v), bold if r == 0 else None)
                counts[name] = len(data)
                continue
            safe = _safe_reader(data, progress)
            header = safe.schema.names
            part_no, ws, r = 1, None, 0
            total = 0
            for batch in safe:
                for rec in zip(*(col.to_pylist() for col in batch.columns), strict=True):
                    if ws is None or r > XLSX_MAX_ROWS:
                        title = name if part_no == 1 else f"{name} ({part_no})"
                        ws = wb.add_worksheet(title[:31])
                        for c, h in enumerate(header):
                            ws.write_string(0, c, h, bold)
                        part_no, r = part_no + 1, 1
                    for c, v in enumerate(rec):
                        _cell(ws, r, c, v)
                    r += 1
                    total += 1
            if ws is None:
                ws = wb.add_worksheet(name[:31])
                for c, h in enumerate(header):
                    ws.write_string(0, c, h, bold)
            counts[name] = total
        wb.close()
        part.replace(path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return counts


def _neutral_text(v: Any) -> Any:
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def _cell(ws, r: int, c: int, v: Any, fmt=None) -> None:
    if v is None:
        return
    if isinstance(v, bool):
        ws.write_boolean(r, c, v, fmt)
    elif isinstance(v, int | float) and v == v:
        ws.write_number(r, c, float(v), fmt)
    elif isinstance(v, bytes):
        ws.write_string(r, c, v.hex(), fmt)
    elif hasattr(v, "isoformat"):
        ws.write_string(r, c, v.isoformat(), fmt)
    else:
        ws.write_string(r, c, str(v), fmt)


def write_result(reader: pa.RecordBatchReader, path: str | os.PathLike, fmt: str | None = None,
                 progress: Progress = NULL) -> int:
    """A query result (any Arrow stream) as CSV, XLSX or Parquet, by ``fmt`` or the suffix."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt == "csv":
        return write_csv(reader, path, progress)
    if fmt == "parquet":
        return write_parquet(reader, path, progress)
    if fmt == "xlsx":
        return write_xlsx([("result", reader)], path, progress)["result"]
    raise ExportError(f"{path}: unknown table format {fmt!r} (csv, xlsx, parquet)")


# -- a selection ------------------------------------------------------------------
def selection_sql(sel: Selection, kind: str, markings: bool = True) -> str:
    """The released rows of ``kind`` as tabular exports write them."""
    inner = sel.query(kind, markings=markings)
    cols = [f"q.{ident(c)}" for c in sel.query_columns(kind)]
    cols += ["q.source_bundle_id", "q.source_row AS source_bundle_row", "q.extra"]
    if markings:
        cols += ["q.tlp", "q.releasable_to"]
    return f"SELECT {', '.join(cols)} FROM ({inner}) q"


def _kinds(sel: Selection) -> list[str]:
    return [k for k in (*KINDS, "objects") if sel.included.get(k)]


def _index(sel: Selection, files: dict[str, dict[str, Any]], fmt: str) -> dict[str, Any]:
    s = sel.summary()
    return {"format": f"lintas-export/{fmt}", "recipient": s["recipient"], "tlp": s["tlp"],
            "subjects": s["subjects"], "masking": s["masking"], "handlings": s["handlings"],
            "files": files, "withheld": [w.for_recipient() for w in sel.withheld],
            "withheld_total": s["withheld_total"]}


class _DirectoryExporter:
    name = ""
    description = ""
    suffix = ""

    def write(self, selection: Selection, out: Path, options: ExportOptions,
              progress: Progress = NULL) -> Written:
        out.mkdir(parents=True, exist_ok=True)
        files: dict[str, dict[str, Any]] = {}
        kinds = _kinds(selection)
        for i, kind in enumerate(kinds):
            progress(i / max(1, len(kinds)), f"writing {kind}")
            reader = selection.con.sql(selection_sql(selection, kind, not options.drop_markings)) \
                .to_arrow_reader(65536)
            p = out / f"{kind}{self.suffix}"
            rows = self._write(reader, p, progress)
            files[p.name] = {"kind": kind, "rows": rows, "sha256": sha256_file(p), "bytes": p.stat().st_size}
        index = (json.dumps(_index(selection, files, self.name), indent=2, ensure_ascii=False) + "\n").encode()
        (out / INDEX).write_bytes(index)
        return Written(out, sha256_file(out / INDEX), {"files": len(files), "index": INDEX})

    def _write(self, reader, path, progress) -> int:
        raise NotImplementedError


class CsvExporter(_DirectoryExporter):
    name = "csv"
    description = "one CSV file per kind in a directory, with export.json (formulas neutralised)"
    suffix = ".csv"

    def _write(self, reader, path, progress) -> int:
        return write_csv(reader, path, progress)


class ParquetExporter(_DirectoryExporter):
    name = "parquet"
    description = "one Parquet file per kind in a directory, with export.json"
    suffix = ".parquet"

    def _write(self, reader, path, progress) -> int:
        return write_parquet(reader, path, progress)


class XlsxExporter:
    name = "xlsx"
    description = "one XLSX workbook: a Handling sheet, then a sheet per kind (formulas neutralised)"

    def write(self, selection: Selection, out: Path, options: ExportOptions,
              progress: Progress = NULL) -> Written:
        if out.is_dir():
            raise ExportError(f"{out} is a directory; give the workbook's file name (….xlsx)")
        s = selection.summary()
        head: list[list[Any]] = [["Lintas export", ""], ["TLP", f"TLP:{s['tlp']}"],
                                 ["Recipient", s["recipient"]],
                                 ["Subjects", ", ".join(s["subjects"] or []) or "all"],
                                 ["Personal data", s["masking"]], [], ["Handling of the rows", ""],
                                 ["TLP", "releasable_to", "legal_basis", "caveats", "rows"]]
        for h in s["handlings"]:
            head.append([h["tlp"], ";".join(h["releasable_to"] or []), h.get("legal_basis"),
                         ";".join(h.get("caveats") or []), h["rows"]])
        head += [[], ["Withheld (counts only)", ""], ["bundle_id", "producer", "kind", "reason", "rows"]]
        for w in selection.withheld:
            r = w.for_recipient()
            head.append([r["bundle_id"], r["producer_country"], r["kind"], r["reason_text"], r["rows"]])
        sheets: list[tuple[str, Any]] = [("Handling", head)]
        for kind in _kinds(selection):
            # each sheet's reader runs on its own cursor of the selection's connection
            sheets.append((kind, _LazyReader(selection, kind, not options.drop_markings)))
        counts = write_xlsx(sheets, out, progress)
        return Written(out, sha256_file(out), {"sheets": {k: v for k, v in counts.items() if k != "Handling"}})


class _LazyReader:
    """A reader opened only when its sheet is written (one open reader at a time on the cursor)."""

    def __init__(self, sel: Selection, kind: str, markings: bool) -> None:
        self.sel, self.kind, self.markings = sel, kind, markings
        self._r: pa.RecordBatchReader | None = None

    def _reader(self) -> pa.RecordBatchReader:
        if self._r is None:
            self._r = self.sel.con.sql(selection_sql(self.sel, self.kind, self.markings)).to_arrow_reader(65536)
        return self._r

    @property
    def schema(self) -> pa.Schema:
        return self._reader().schema

    def __iter__(self):
        return iter(self._reader())


register(CsvExporter())
register(ParquetExporter())
register(XlsxExporter())
