"""Plain files without a manifest: CSV, XLSX, Parquet, JSON lines + a column mapping.

The file is wrapped as a single-table source with the same checks as a bundle.
The analyst names the kind, the mapping (canonical=file column), the producer's
country and, for timestamps without an offset, the time zone.  Mappings can be
saved by name under the config directory and reused.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import duckdb
import pyarrow as pa

from . import importers
from .errors import InputRefused, Problem
from .ingest import XLSX_INEXACT, XLSX_NUMBER_FLAG
from .kinds import KINDS, TLP_LEVELS
from .normalise import country_iso
from .paths import config_dir
from .progress import NULL, Progress
from .staging import Handling, StagedSource, StagedTable

log = logging.getLogger(__name__)

_SUFFIX_FORMAT = {".csv": "csv", ".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl",
                  ".xlsx": "xlsx"}


def sniff(path: Path) -> str | None:
    """The plain format of ``path`` from its content (csv, parquet, jsonl, xlsx), or None."""
    if not path.is_file():
        return None
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head[:4] == b"PAR1":
        return "parquet"
    if head[:2] == b"PK":
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return None
        return "xlsx" if "xl/workbook.xml" in names else None
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"{"):
        return "jsonl"
    if b"\x00" in head or not text:
        return None
    first_line = text.split(b"\n", 1)[0]
    if b"," in first_line or b";" in first_line or b"\t" in first_line:
        return "csv"
    return None


def file_sha256(path: Path, progress: Progress = NULL) -> str:
    h = hashlib.sha256()
    size = max(1, path.stat().st_size)
    done = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(256 << 10):   # as fast as larger chunks, and no large buffer held
            h.update(chunk)
            done += len(chunk)
            progress(done / size, f"hashing {path.name}")
    return h.hexdigest()


# -- saved mappings -------------------------------------------------------------------
def _mappings_file() -> Path:
    return config_dir() / "mappings.json"


def saved_mappings() -> dict[str, dict]:
    f = _mappings_file()
    if not f.exists():
        return {}
    return json.loads(f.read_text(encoding="utf-8"))


def save_mapping(name: str, kind: str, mapping: dict[str, str], timezone: str | None = None,
                 producer_country: str | None = None) -> None:
    # Checked before it is kept: a mapping saved from a refused import would fail every later one.
    problems = []
    if kind not in KINDS:
        problems.append(Problem(f"unknown kind {kind!r} (kinds: {', '.join(KINDS)})", None, None, "kind"))
    else:
        problems += [Problem(f"{c!r} is not a column of kind '{kind}'", None, None, c)
                     for c in mapping if c not in {col.name for col in KINDS[kind]}]
    if timezone:
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(timezone)
        except Exception:
            problems.append(Problem(f"unknown time zone {timezone!r} (an IANA name such as Asia/Makassar)",
                                    None, None, "timezone"))
    if producer_country and country_iso(producer_country) is None:
        problems.append(Problem(f"unknown country code {producer_country!r}", None, None, "producer-country"))
    if problems:
        raise InputRefused(f"mapping {name!r} not saved", problems)
    data = saved_mappings()
    data[name] = {"kind": kind, "map": mapping, "timezone": timezone, "producer_country": producer_country}
    tmp = _mappings_file().with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(_mappings_file())


def parse_map(text: str | None) -> dict[str, str]:
    """``caller=A_NUMBER,callee=B_NUMBER`` → {"caller": "A_NUMBER", …}."""
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        canon, sep, col = part.partition("=")
        if not sep or not canon.strip() or not col.strip():
            raise InputRefused("--map is written canonical=column,…", [Problem(f"cannot read {part!r}")])
        if canon.strip() in out:
            # 'caller=A,caller=B': the last one would win without a word
            raise InputRefused("--map is written canonical=column,…",
                               [Problem(f"{canon.strip()!r} is mapped twice ({out[canon.strip()]!r}, {col.strip()!r})",
                                        None, None, canon.strip())])
        out[canon.strip()] = col.strip()
    return out


XLSX_BATCH_ROWS = 10_000
"""Rows of a sheet held in Python at a time while it is converted ...  (Measured on a 120,000-row,
8-column sheet: the process grew by 28 MB with batches of 2,000 rows, 42 MB with 10,000, 84 MB with
50,000, and took the same time: openpyxl's parsing is nearly all of it.)"""
XLSX_BATCH_CELLS = 200_000
"""... and at most this many cells (a wide sheet takes fewer rows a batch)."""
RESERVED_COLUMNS = {"source_row": "the row numbers",
                    XLSX_NUMBER_FLAG: "its note of which amounts are stored as numbers",
                    XLSX_INEXACT: "its note of which number cells have lost digits"}
"""Columns the converted sheet carries beside the sheet's own, and what they hold."""


def xlsx_to_parquet(path: Path, sheet: str | None, out: Path, amount_column: str | None = None,
                    progress: Progress = NULL, needed: dict[str, str] | None = None,
                    warnings: list[str] | None = None, texts: set[str] | None = None) -> int:
    """Write a sheet of ``path`` to the Parquet file ``out``, batch by batch: every column as text
    (values as the sheet holds them: numbers and dates as text, ISO 8601 for dates), plus
    ``source_row``, the sheet's row number of each row (the header is row 1; empty rows are
    skipped, not numbered anew).  With ``amount_column``, ``source_amount_is_number`` says of
    each row whether that cell is stored as a number (not text: no separator can be misread).
    ``source_inexact_cells`` names (separated by chr(31)) a row's number cells whose float cannot
    hold the number's digits exactly (2^53 or more, or a fraction of 16 significant digits or more):
    where text goes (``texts``: the sheet's columns read as text) the import refuses the row.
    Never more than one batch of rows is held in memory.  Returns the number of rows written."""
    try:
        import openpyxl
    except ImportError as e:  # pragma: no cover - openpyxl is a dependency
        raise InputRefused(f"{path.name}: reading XLSX needs openpyxl", [Problem(str(e), path.name)]) from e
    import pyarrow.parquet as pq

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        try:
            ws = wb[sheet] if sheet else wb.worksheets[0]
        except KeyError as e:
            raise InputRefused(f"{path.name}: no sheet {sheet!r}",
                               [Problem(f"sheets: {', '.join(wb.sheetnames)}", path.name)]) from e
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise InputRefused(f"{path.name}: the sheet is empty", [Problem("no header row", path.name, 1)])
        names = [str(h).strip() if h is not None else f"column_{i + 1}" for i, h in enumerate(header)]
        taken: set[str] = set()
        for i, n in enumerate(names):
            if n in RESERVED_COLUMNS:
                raise InputRefused(f"{path.name}: column name {n!r} is reserved",
                                   [Problem(f"{n!r} is the name Lintas gives {RESERVED_COLUMNS[n]}; rename the column",
                                            path.name, 1, n)])
            if n in taken:
                raise InputRefused(f"{path.name}: column {n!r} appears twice in the header",
                                   [Problem(f"column {i + 1} of the header repeats the name {n!r}; rename it",
                                            path.name, 1, n)])
            taken.add(n)
        missing = [(canon, col) for canon, col in (needed or {}).items() if col not in names]
        if missing and sheet is None and len(wb.sheetnames) > 1:
            # The first sheet is read when none is named: say so, and which other sheets there are
            # (a workbook whose first sheet is a cover note was refused for missing columns alone).
            others = ", ".join(repr(n) for n in wb.sheetnames)
            raise InputRefused(f"{path.name}: the first sheet, {ws.title!r}, lacks columns the mapping names",
                               [Problem(f"not in the first sheet {ws.title!r}, which is read when --sheet names none "
                                        f"(the file has the sheets {others})", path.name, 1,
                                        canon if col == canon else f"{canon} (mapped to {col!r})")
                                for canon, col in missing])
        bad = _formulas_without_values(path, getattr(ws, "_worksheet_path", None))
        if bad:
            from openpyxl.utils import column_index_from_string

            def column(letters: bytes) -> str:
                i = column_index_from_string(letters.decode()) - 1
                return names[i] if i < len(names) else letters.decode()

            raise InputRefused(
                f"{path.name}: formulas without their values; the case was not changed",
                [Problem(f"a formula whose value the file does not hold ({formula}): the program that wrote it "
                         "did not compute it; open the file in a spreadsheet program and save it", path.name, row,
                         column(letters)) for row, letters, formula in bad])
        flag = names.index(amount_column) if amount_column in names else None
        fields = [(n, pa.string()) for n in names] + [("source_row", pa.int64()), (XLSX_INEXACT, pa.string())]
        if flag is not None:
            fields.append((XLSX_NUMBER_FLAG, pa.bool_()))
        schema = pa.schema(fields)
        per_batch = max(1, min(XLSX_BATCH_ROWS, XLSX_BATCH_CELLS // max(1, len(names))))
        last = ws.max_row or 0
        written = 0
        with pq.ParquetWriter(out, schema, compression="snappy") as writer:
            cols: list[list] = [[] for _ in names]
            numbers: list[int] = []
            is_number: list[bool] = []
            inexact: list[str | None] = []

            def flush() -> None:
                if not numbers:
                    return
                data = [pa.array(c, pa.string()) for c in cols] + [pa.array(numbers, pa.int64()),
                                                                    pa.array(inexact, pa.string())]
                if flag is not None:
                    data.append(pa.array(is_number, pa.bool_()))
                writer.write_batch(pa.record_batch(data, schema=schema))
                for c in cols:
                    c.clear()
                numbers.clear()
                is_number.clear()
                inexact.clear()

            width = len(names)
            long_numbers: list[str] = []
            for excel_row, values in enumerate(rows, start=2):
                if values is None or all(v is None for v in values):
                    continue
                numbers.append(excel_row)
                lost: list[str] = []
                for i in range(width):
                    v = values[i] if i < len(values) else None
                    if v.__class__ is float and v.is_integer():
                        # a whole number as the sheet shows it ('81234567890', not Python's
                        # '81234567890.0'); one of 16 digits or more has lost its last ones already
                        # (2^53 or more: certainly, and the import refuses it where text goes)
                        if abs(v) >= 2.0 ** 53:
                            lost.append(names[i])
                        if abs(v) >= 1e15 and not (abs(v) >= 2.0 ** 53 and texts and names[i] in texts):
                            long_numbers.append(f"row {excel_row} {names[i]}")
                        cols[i].append(str(int(v)))
                    else:
                        if v.__class__ is float and _significant_digits(repr(v)) >= 16:
                            lost.append(names[i])
                        cols[i].append(None if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v)))
                inexact.append(chr(31).join(lost) if lost else None)
                if flag is not None:
                    v = values[flag] if flag < len(values) else None
                    is_number.append(isinstance(v, (int, float)) and not isinstance(v, bool))
                if len(numbers) >= per_batch:
                    written += len(numbers)
                    flush()
                    progress.check()
                    progress(min(1.0, excel_row / last) if last else 0.5, f"reading {path.name}, row {excel_row:,}")
            written += len(numbers)
            flush()
        if long_numbers and warnings is not None:
            warnings.append(f"{len(long_numbers)} number cell(s) of 16 digits or more: a spreadsheet keeps 15 "
                            "significant digits, so their last digits may be lost (an account, IMEI or card number "
                            "should be stored as text): " + ", ".join(long_numbers[:5])
                            + (", …" if len(long_numbers) > 5 else ""))
    finally:
        wb.close()
    progress(1.0, f"read {path.name}")
    return written


def _significant_digits(number: str) -> int:
    """Significant digits of a number as Python writes a float ('123456789012.3456' has 16)."""
    return len(re.sub(r"\D", "", number.lower().split("e")[0]).lstrip("0"))


_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_FORMULA = re.compile(rb"<f[ >/]")
_FORMULA_TEXT = re.compile(rb"<f[^>]*>([^<]*)</f>")
_VALUE = re.compile(rb"<v>[^<]+</v>|<is>")


def _formulas_without_values(path: Path, member: str | None, limit: int = 100) -> list[tuple[int, bytes, str]]:
    """(row, column letters, formula) of cells holding a formula but no stored value, read from the
    sheet's XML (openpyxl, reading values, gives such a cell as empty: a formula written by a program
    that does not compute it, such as a script's output, would be read as an empty cell without a word).
    Formulas are rare in exported data: only the places of ``<f`` are looked at."""
    if not member:
        return []
    found: list[tuple[int, bytes, str]] = []
    try:
        with zipfile.ZipFile(path) as z, z.open(member.lstrip("/")) as fh:
            tail = b""
            while chunk := fh.read(1 << 16):   # small chunks: a sheet is read in a small memory budget
                buf = tail + chunk
                end = buf.rfind(b"</c>")
                if end < 0:
                    tail = buf
                    continue
                end += 4
                for m in _FORMULA.finditer(buf, 0, end):
                    start, stop = buf.rfind(b"<c ", 0, m.start()), buf.find(b"</c>", m.start())
                    cell = buf[start:stop]
                    if start < 0 or _VALUE.search(cell):
                        continue
                    ref = _CELL_REF.search(cell)
                    text = _FORMULA_TEXT.search(cell)
                    if ref:
                        formula = "=" + text.group(1).decode("utf-8", "replace") if text else "a shared formula"
                        found.append((int(ref.group(2)), ref.group(1), formula))
                        if len(found) >= limit:
                            return found
                tail = buf[end:]
    except (OSError, KeyError, zipfile.BadZipFile):
        return []     # openpyxl's own reading reports what is wrong with the file
    return found


class PlainFileImporter:
    name = "plain"
    priority = 0
    description = "a plain CSV, XLSX, Parquet or JSON-lines table with --kind and --map"

    def recognise(self, path: Path) -> float:
        return 0.1 if sniff(path) else 0.0

    def stage(self, path: Path, options: importers.ImportOptions, progress: Progress = NULL) -> StagedSource:
        fmt = sniff(path)
        if fmt is None:
            raise InputRefused(f"{path}: not a CSV, XLSX, Parquet or JSON-lines file",
                               [Problem("unrecognised content", path.name)])
        kind = options.kind
        if not kind:
            raise InputRefused(f"{path.name}: a plain file needs the kind of its rows",
                               [Problem(f"give --kind (one of {', '.join(KINDS)}) and --map canonical=column,…",
                                        path.name)])
        if kind not in KINDS:
            raise InputRefused(f"{path.name}: unknown kind {kind!r}",
                               [Problem(f"kinds: {', '.join(KINDS)}", path.name, None, "kind")])
        problems = []
        for canon in options.mapping:
            if canon not in {c.name for c in KINDS[kind]}:
                problems.append(Problem(f"{canon!r} is not a column of kind '{kind}'", path.name, None, canon))
        country = options.producer_country or (options.producer or {}).get("country")
        if not country:
            problems.append(Problem("give the producer's country (--producer-country), used to read "
                                    "national phone numbers", path.name))
        elif country_iso(country) is None:
            problems.append(Problem(f"unknown country code {country!r}", path.name, None, "producer-country"))
        if options.timezone:
            try:
                from zoneinfo import ZoneInfo

                ZoneInfo(options.timezone)
            except Exception:
                from .bundle import INDONESIAN_ZONES

                zone = INDONESIAN_ZONES.get(options.timezone.strip().upper())
                problems.append(Problem(f"unknown time zone {options.timezone!r} "
                                        + (f"(write {zone} for {options.timezone.strip().upper()})" if zone
                                           else "(an IANA name such as Asia/Makassar)"),
                                        path.name, None, "timezone"))
        hd = options.handling or {}
        tlp = (hd.get("tlp") or "AMBER").upper().removeprefix("TLP:")
        if tlp not in TLP_LEVELS:
            problems.append(Problem(f"unknown TLP {tlp!r} ({', '.join(TLP_LEVELS)})", path.name, None, "tlp"))
        # Recipients as a manifest writes them (ISO alpha-2 or INTERPOL/EUROPOL/ASEANAPOL; a
        # country's name is read as its code): releasability decides who may receive the rows.
        releasable_to = []
        for code in hd.get("releasable_to") or []:
            iso = country_iso(code)
            if iso is None:
                problems.append(Problem(f"unknown recipient {code!r} (an ISO 3166-1 alpha-2 code or "
                                        "INTERPOL, EUROPOL, ASEANAPOL)", path.name, None, "releasable-to"))
            elif iso not in releasable_to:
                releasable_to.append(iso)
        if problems:
            raise InputRefused(f"{path.name}: cannot import", problems)
        digest = file_sha256(path, progress.sub(0.0, 0.5))
        table = StagedTable(kind=kind, file=path.name, columns=dict(options.mapping),
                            sha256=digest, bytes=path.stat().st_size)
        cleanup = None
        warnings: list[str] = []
        if fmt == "xlsx":
            # Read in batches into a Parquet file in a private temporary folder (as a bundle's ZIP
            # is extracted), which the pipeline then reads as any Parquet; removed after the import.
            tmp = Path(tempfile.mkdtemp(prefix="lintas-xlsx-"))
            cleanup = functools.partial(shutil.rmtree, tmp, ignore_errors=True)
            try:
                amount = options.mapping.get("amount", "amount") if kind == "transfers" else None
                table.path = tmp / "sheet.parquet"
                required = {c.name: options.mapping.get(c.name, c.name) for c in KINDS[kind] if c.required}
                texts = {options.mapping.get(c.name, c.name) for c in KINDS[kind]
                         if c.type in ("text", "phone", "address")}
                xlsx_to_parquet(path, options.sheet, table.path, amount, progress.sub(0.5, 1.0), required, warnings,
                                texts)
            except BaseException:
                cleanup()
                raise
            table.format = "xlsx"
        else:
            table.path = path
            table.format = fmt
        producer = {"agency": None, "unit": None, "country": country_iso(country), "contact": None}
        producer.update({k: v for k, v in (options.producer or {}).items() if v})
        producer["country"] = country_iso(producer["country"])
        return StagedSource(
            format=f"plain-{fmt}", importer=self.name, title=options.title or path.name,
            producer=producer,
            handling=Handling(tlp=tlp, releasable_to=releasable_to,
                              legal_basis=hd.get("legal_basis"), caveats=list(hd.get("caveats") or [])),
            tables=[table], default_timezone=options.timezone, container_name=path.name,
            container_sha256=digest, cleanup=cleanup, warnings=warnings)


importers.register(PlainFileImporter())


# -- plain files: preview and mapping suggestions (for the import wizard) --------------
# Common names partners and operators give canonical columns, beyond the canonical names.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "caller": ("a_number", "anumber", "a_party", "calling", "calling_number", "msisdn_a", "from", "from_number",
               "originating", "source_number", "pemanggil", "nomor_a"),
    "callee": ("b_number", "bnumber", "b_party", "called", "called_number", "msisdn_b", "to", "to_number",
               "terminating", "destination_number", "dipanggil", "nomor_b"),
    "start": ("start_time", "starttime", "call_start", "datetime", "date_time", "timestamp", "call_time",
              "waktu", "waktu_mulai", "tanggal"),
    "duration_s": ("duration", "dur", "seconds", "call_duration", "durasi"),
    "cell_id": ("cell", "cellid", "cgi", "lac_ci", "bts"),
    "lat": ("latitude", "y"), "lon": ("longitude", "lng", "long", "x"),
    "sender": ("from", "from_number", "author", "pengirim"), "recipient": ("to", "to_number", "penerima"),
    "time": ("timestamp", "datetime", "date_time", "date", "waktu", "tanggal", "sent", "time_utc"),
    "body": ("text", "message", "content", "isi", "pesan"),
    "from_account": ("debit_account", "source_account", "sender_account", "rekening_asal", "from"),
    "to_account": ("credit_account", "beneficiary_account", "destination_account", "rekening_tujuan", "to"),
    "amount": ("value", "sum", "jumlah", "nominal"), "currency": ("ccy", "mata_uang"),
    "reference": ("ref", "description", "keterangan", "berita"),
    "name": ("full_name", "fullname", "nama", "person_name"), "id": ("person_id", "subject_id", "ref_id"),
    "birth_date": ("dob", "date_of_birth", "birthdate", "tanggal_lahir"),
    "nationality": ("citizenship", "kewarganegaraan"), "gender": ("sex", "jenis_kelamin"),
    "owner": ("person", "holder", "subscriber", "pemilik"), "value": ("number", "identifier", "nomor"),
    "label": ("contact_name", "display_name", "saved_as", "nama_kontak"),
    "subject": ("plate", "target", "msisdn"), "place": ("location", "site", "lokasi", "tempat"),
    "full": ("address", "alamat", "full_address"),
}


def _norm_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def suggest_mapping(kind: str, file_columns: list[str]) -> dict[str, str]:
    """canonical column → the file column that most likely holds it (each file column used once)."""
    normed = {_norm_name(c): c for c in file_columns}
    out: dict[str, str] = {}
    used: set[str] = set()
    for col in KINDS[kind]:
        for candidate in (col.name, *_SYNONYMS.get(col.name, ())):
            c = normed.get(_norm_name(candidate))
            if c is not None and c not in used:
                out[col.name] = c
                used.add(c)
                break
    return out


def suggest_kind(file_columns: list[str]) -> str | None:
    """The canonical kind whose required columns the file's columns cover best."""
    best, best_score = None, 0.0
    for kind, cols in KINDS.items():
        mapping = suggest_mapping(kind, file_columns)
        required = [c.name for c in cols if c.required]
        covered = sum(1 for r in required if r in mapping)
        score = covered / len(required) + 0.01 * len(mapping)
        if covered == len(required) and score > best_score:
            best, best_score = kind, score
    return best


def preview_file(path: str | Path, limit: int = 20, sheet: str | None = None) -> pa.Table:
    """The first rows of a plain CSV / XLSX / Parquet / JSON-lines file, as text columns.

    Read by a private in-memory DuckDB (case connections cannot read files), with
    every column as text so the analyst sees the values as written.
    """
    path = Path(path)
    fmt = sniff(path)
    if fmt is None:
        raise InputRefused(f"{path.name}: not a CSV, XLSX, Parquet or JSON-lines file",
                           [Problem("unrecognised content", path.name)])
    if fmt == "xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb[sheet] if sheet else wb.worksheets[0]
            rows = []
            for values in ws.iter_rows(values_only=True):
                rows.append(values)
                if len(rows) > limit:
                    break
        finally:
            wb.close()
        if not rows:
            raise InputRefused(f"{path.name}: the sheet is empty", [Problem("no header row", path.name, 1)])
        names = [str(h).strip() if h is not None else f"column_{i + 1}" for i, h in enumerate(rows[0])]
        cols = [[None if i >= len(r) or r[i] is None else str(r[i]) for r in rows[1:]] for i in range(len(names))]
        return pa.table({n: pa.array(c, pa.string()) for n, c in zip(names, cols, strict=True)})
    con = duckdb.connect(":memory:")
    try:
        reader = {"csv": "read_csv(?, all_varchar = true, header = true)",
                  "parquet": "read_parquet(?)", "jsonl": "read_json(?, format = 'newline_delimited')"}[fmt]
        rel = con.sql(f"SELECT * FROM {reader} LIMIT {int(limit)}", params=[str(path)])
        table = rel.to_arrow_table()
    except duckdb.Error as e:
        raise InputRefused(f"{path.name}: cannot be read", [Problem(str(e).splitlines()[0], path.name)]) from e
    finally:
        con.close()
    return table.cast(pa.schema([(f.name, pa.string()) for f in table.schema]), safe=False) \
        if all(pa.types.is_primitive(f.type) or pa.types.is_string(f.type) for f in table.schema) else table
