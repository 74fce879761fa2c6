"""Partner packages: the releasable selection as a ``lintas-bundle/1`` (issue 6, item 3).

The package holds exactly the rows and attachments ``exports.selection`` releases
to the recipient, laid out per DESIGN.md and docs/bundle-format.md:

* one data file per kind and per handling (``data/<kind>.csv``, or
  ``data/<kind>-<n>.csv`` when a kind's rows carry different handlings), each
  listed in ``tables`` with its ``personal_data`` and its own ``handling`` (the
  manifest's top-level ``handling`` is the combination of all of them — the
  strictest TLP, ``releasable_to`` narrowed to whom every row may go — so a reader
  that ignores the per-table field is never less strict);
* the canonical columns as written (personal data masked where the rules say),
  ``role`` of persons, the unknown columns kept by the import as columns again,
  and two provenance columns: ``source_bundle_id`` (the bundle the row came
  from) and ``source_bundle_row`` (its row there);
* ids re-keyed only where two sources used the same id (``P-001~2``: id, ``~``,
  the case's source number), references and attachments' ``describes`` with
  them, so the package is one consistent id space as the format requires;
* times that were written without an offset (read with their source's default
  time zone) as UTC with ``Z``, so that no time depends on a zone the package
  does not state;
* ``files/withheld.json``: what was withheld from the recipient, as counts per source
  (bundle id, producer), kind and reason — never content;
* the released attachments under ``files/``, and with ``--with-dossier`` the PDF
  dossier for the same recipient and subjects (``files/dossier-<recipient>.pdf``);
* signed with the unit's Ed25519 key when one is given (``workstation.bundle.pack``).
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from workstation import bundle as bundlemod
from workstation import handling as H
from workstation.kinds import KINDS
from workstation.progress import NULL, Progress
from workstation.sql import ident

from .registry import ExportError, ExportOptions, Written, register, sha256_file
from .selection import Selection

log = logging.getLogger(__name__)

PROVENANCE_COLUMNS = ("source_bundle_id", "source_bundle_row")
# Columns holding an id of a person or organisation of the same source.
_REFERENCES: dict[str, tuple[str, ...]] = {
    "persons": ("id",), "organizations": ("id",), "identifiers": ("owner",), "addresses": ("owner",),
    "relationships": ("source", "target"), "contacts": ("owner",), "travel": ("person",),
    "sightings": ("subject",),
}
_OFFSET = r"(Z|z|[+-]\d\d(:?\d\d)?)$"
_SAFE = re.compile(r"[^0-9A-Za-z._-]+")


def _file_columns(sel: Selection, kind: str) -> tuple[list[str], list[str]]:
    """(canonical + kind columns to write, unknown-column keys found in ``extra``)."""
    cols = [c.name for c in KINDS[kind]]
    if kind == "persons":
        cols.append("role")
    keys = [r[0] for r in sel.con.sql(
        f"SELECT DISTINCT k FROM (SELECT unnest(json_keys(CAST(extra AS JSON))) AS k "
        f"FROM ({sel.query(kind, [])}) WHERE extra IS NOT NULL) ORDER BY k").fetchall()]
    taken = set(cols) | set(PROVENANCE_COLUMNS) | {"extra", "handling_key", "source_row"}
    return cols, [k for k in keys if k not in taken]


def _kind_sql(sel: Selection, kind: str, ids: str, cols: list[str], extra_keys: list[str],
              table_format: str) -> str:
    """SQL of the kind's released rows as the package writes them (one parameter: handling)."""
    inner = sel.query(kind, cols + [f"{c.name}_utc" for c in KINDS[kind] if c.type == "time"])
    out = []
    for c in KINDS[kind]:
        q = f"q.{ident(c.name)}"
        if c.name in _REFERENCES.get(kind, ()):
            expr = (f"coalesce((SELECT m.pkg_id FROM {ids} m WHERE m.source_id = q.source_id "
                    f"AND m.local_id = {q}), {q})")
        elif c.type == "time":
            expr = (f"CASE WHEN {q} IS NULL OR regexp_matches(trim({q}), '{_OFFSET}') THEN {q} "
                    f"ELSE strftime(q.{ident(c.name + '_utc')}, '%Y-%m-%dT%H:%M:%S.%fZ') END")
        elif c.type == "list" and table_format == "csv":
            expr = f"array_to_string({q}, ';')"
        elif c.type == "amount":
            expr = f"CAST({q} AS VARCHAR)"
        else:
            expr = q
        out.append(f"{expr} AS {ident(c.name)}")
    if kind == "persons":
        out.append("q.role AS role")
    for k in extra_keys:
        out.append(f"json_extract_string(CAST(q.extra AS JSON), {_json_path(k)}) AS {ident(k)}")
    out.append("q.source_bundle_id AS source_bundle_id")
    out.append("q.source_row AS source_bundle_row")
    return f"SELECT {', '.join(out)} FROM ({inner}) q WHERE q.handling = $handling"


def _json_path(key: str) -> str:
    return "'$.\"" + key.replace("'", "''").replace('"', '\\"') + "\"'"


def _build_ids(sel: Selection) -> str:
    """A temp table re-keying person/organisation ids that two sources share."""
    name = sel._t("pkg_ids")
    parts = [f"SELECT source_id, id AS local_id FROM ({sel.query(k, ['id'])})"
             for k in ("persons", "organizations") if k in sel.included]  # tables present
    body = " UNION ALL ".join(parts) if parts else "SELECT NULL::INTEGER AS source_id, NULL::VARCHAR AS local_id"
    sel.con.execute(
        f"CREATE TEMP TABLE {name} AS WITH e AS ({body}), "
        f"shared AS (SELECT local_id FROM e GROUP BY local_id HAVING count(DISTINCT source_id) > 1) "
        f"SELECT DISTINCT source_id, local_id, CASE WHEN local_id IN (SELECT local_id FROM shared) "
        f"THEN local_id || '~' || CAST(source_id AS VARCHAR) ELSE local_id END AS pkg_id FROM e "
        f"WHERE local_id IS NOT NULL")
    return name


def _write_table(reader: pa.RecordBatchReader, path: Path, table_format: str, progress: Progress) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    if table_format == "csv":
        with pacsv.CSVWriter(str(path), reader.schema,
                             write_options=pacsv.WriteOptions(quoting_style="needed")) as w:
            for batch in reader:
                progress.check()
                w.write_batch(batch)
                n += batch.num_rows
    else:
        with pq.ParquetWriter(str(path), reader.schema) as w:
            for batch in reader:
                progress.check()
                w.write_batch(batch)
                n += batch.num_rows
    return n


def write_bundle(sel: Selection, out: Path, options: ExportOptions, progress: Progress = NULL) -> Written:
    if options.table_format not in ("csv", "parquet"):
        raise ExportError(f"package data files are csv or parquet, not {options.table_format!r}")
    if options.drop_markings:
        raise ExportError("a lintas-bundle/1 package always carries its handling; --drop-markings "
                          "applies to the csv/xlsx/partner formats only")
    case = sel.case
    meta = case.meta()
    con = sel.con
    ids = _build_ids(sel)
    suffix = ".csv" if options.table_format == "csv" else ".parquet"
    producers = dict(con.execute("SELECT source_id, producer_country FROM sources").fetchall())
    tables: list[dict[str, Any]] = []
    parts: list[tuple[dict, str | None]] = []
    with tempfile.TemporaryDirectory(prefix="lintas-package-") as tmp:
        root = Path(tmp) / "bundle"
        root.mkdir()
        kinds = [k for k in KINDS if sel.included.get(k)]
        for i, kind in enumerate(kinds):
            progress(i / max(len(kinds), 1) * 0.7, f"writing {kind}")
            cols, extra_keys = _file_columns(sel, kind)
            groups = con.sql(f"SELECT handling, list(DISTINCT source_id ORDER BY source_id) "
                             f"FROM ({sel.query(kind, [])}) GROUP BY handling ORDER BY handling").fetchall()
            pd_all = dict(con.execute(f"SELECT source_id, cols FROM {sel._t('pd')} WHERE kind = ?",
                                      [kind]).fetchall())
            for n, (hjson, source_ids) in enumerate(groups, start=1):
                h = json.loads(hjson)
                rel = f"data/{kind}{suffix}" if len(groups) == 1 else f"data/{kind}-{n}{suffix}"
                reader = con.sql(_kind_sql(sel, kind, ids, cols, extra_keys, options.table_format),
                                 params={"handling": hjson}).to_arrow_reader(65536)
                rows = _write_table(reader, root / rel, options.table_format, progress)
                canon = {c.name for c in KINDS[kind]}
                pd = sorted({c for s in source_ids for c in (pd_all.get(s) or []) if c in canon})
                entry: dict[str, Any] = {"path": rel, "kind": kind, "format": options.table_format}
                if pd:
                    entry["personal_data"] = pd
                entry["handling"] = {k: h[k] for k in ("tlp", "releasable_to", "legal_basis", "caveats")
                                     if h.get(k) not in (None, [])}
                tables.append(entry)
                parts += [(h, producers.get(s)) for s in source_ids]
                log.debug("%s: %d rows", rel, rows)
        attachments, att_parts = _write_attachments(sel, root, ids)
        parts += att_parts
        attachments.append(_withheld_statement(sel, root))
        if options.with_dossier:
            attachments.append(_dossier(sel, root, options, progress.sub(0.7, 0.9)))
        combined = H.combined_handling(parts)
        handling = {k: v for k, v in combined.items() if v not in (None, [])}
        handling.setdefault("releasable_to", [])
        title = f"{meta.get('title') or 'Case'}: released to {sel.recipient}"
        manifest: dict[str, Any] = {
            "format": bundlemod.FORMAT, "title": title,
            "producer": {k: v for k, v in (("agency", meta.get("agency") or None),
                                           ("unit", meta.get("unit") or None),
                                           ("country", meta.get("country") or "ID")) if v},
            "default_timezone": "UTC",
            "handling": handling, "tables": tables}
        if meta.get("case_ref"):
            manifest["case_ref"] = meta["case_ref"]
        if attachments:
            manifest["attachments"] = attachments
        (root / bundlemod.MANIFEST).write_bytes(bundlemod.dump_manifest(manifest))
        progress(0.9, "packing")
        written = bundlemod.pack(root, out, sign_key=options.sign_key, progress=progress.sub(0.9, 1.0))
        final = json.loads((out / bundlemod.MANIFEST).read_bytes() if out.is_dir() else _manifest_of(out))
    sha = sha256_file(out) if out.is_file() else sha256_file(out / bundlemod.MANIFEST)
    return Written(Path(written), sha, {"bundle_id": final["bundle_id"], "handling": final["handling"],
                                        "tables": len(tables), "signed": bool(options.sign_key),
                                        "dossier": bool(options.with_dossier)})


def _manifest_of(zip_path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(zip_path) as z:
        return z.read(bundlemod.MANIFEST)


def _write_attachments(sel: Selection, root: Path, ids: str) -> tuple[list[dict[str, Any]], list[tuple]]:
    """The released attachments under ``files/`` (one file per content), and the handling
    of each (for the package's combined handling)."""
    tbl = sel.attachments(content=False)      # the files one at a time: they may be large
    if not tbl.num_rows:
        return [], []
    pkg_ids = {(s, lid): p for s, lid, p in sel.con.execute(
        f"SELECT source_id, local_id, pkg_id FROM {ids}").fetchall()}
    handling = {r[0]: r[1:] for r in sel.con.execute(
        "SELECT source_id, tlp, releasable_to, producer_country FROM sources").fetchall()}
    by_sha: dict[str, dict[str, Any]] = {}
    parts: list[tuple] = []
    for a in tbl.to_pylist():   # one row per file; its content read when it is written
        tlp, rel_to, producer = handling[a["source_id"]]
        parts.append(({"tlp": tlp, "releasable_to": rel_to}, producer))
        describes = [pkg_ids.get((a["source_id"], d), d) for d in (a["describes"] or [])]
        if a["sha256"] in by_sha:
            e = by_sha[a["sha256"]]
            e["describes"] = sorted(set(e.get("describes", [])) | set(describes))
            continue
        base = _SAFE.sub("_", Path(a["path"]).name)[:80] or "file"
        rel = f"files/{a['sha256'][:12]}-{base}"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        with open(root / rel, "wb") as out:
            sel.write_content(a["sha256"], out)
        e = {"path": rel}
        if a["media_type"]:
            e["media_type"] = a["media_type"]
        if a["title"]:
            e["title"] = a["title"]
        if describes:
            e["describes"] = describes
        by_sha[a["sha256"]] = e
    return list(by_sha.values()), parts


WITHHELD_FILE = "files/withheld.json"


def _withheld_statement(sel: Selection, root: Path) -> dict[str, Any]:
    """``files/withheld.json``: what was withheld from this recipient, as counts per source
    (its bundle id and producer), kind and reason — never any content."""
    s = sel.summary()
    doc = {"recipient": sel.recipient, "tlp": sel.tlp, "subjects": sel.subjects or [],
           "personal_data": sel.masking, "masked_rows": s["masked"],
           "withheld": [w.for_recipient() for w in sel.withheld], "withheld_total": s["withheld_total"]}
    (root / "files").mkdir(exist_ok=True)
    (root / WITHHELD_FILE).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {"path": WITHHELD_FILE, "media_type": "application/json",
            "title": f"What was withheld from {sel.recipient} (counts per source, kind and reason)"}


def _dossier(sel: Selection, root: Path, options: ExportOptions, progress: Progress) -> dict[str, Any]:
    try:
        from .dossier import build_dossier
    except ImportError as e:
        raise ExportError(f"the PDF dossier is not available in this installation: {e}") from None
    rel = f"files/dossier-{_SAFE.sub('_', sel.recipient)}.pdf"
    (root / "files").mkdir(exist_ok=True)
    # The same masking and pseudonyms in the PDF as in the data files.
    build_dossier(sel.case, root / rel, sel.recipient, lang=options.lang, subjects=sel.subjects,
                  sign_key=options.sign_key, progress=progress, masking=sel.masking, salt=sel.salt)
    return {"path": rel, "media_type": "application/pdf",
            "title": f"Case dossier released to {sel.recipient}"}


class BundleExporter:
    name = "bundle"
    description = "lintas-bundle/1 partner package (ZIP, or a directory when --out has no .zip)"

    def write(self, selection: Selection, out: Path, options: ExportOptions,
              progress: Progress = NULL) -> Written:
        try:
            return write_bundle(selection, out, options, progress)
        finally:
            selection.con.execute(f"DROP TABLE IF EXISTS {selection._t('pkg_ids')}")


register(BundleExporter())
