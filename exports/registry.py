"""The registry of exporters (STYLE habit 8) and the one way an export is made.

An exporter turns a releasable ``Selection`` into a file (or a directory) and says
which; ``export()`` does everything around it that every format shares: it
computes the selection for the recipient, hands it to the exporter, hashes what
was produced, and records the export — an audit entry naming the recipient,
what was included and withheld (counts, never content) and the SHA-256 — and a
row of the ``exports`` table, in one transaction.

A new format is one module that calls ``register`` and is listed in ``_BUILTIN``
(loaded lazily): the partner formats ``ftm``, ``stix`` and ``misp`` live in
``exports/formats/``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from workstation.case import Case, utcnow
from workstation.errors import LintasError
from workstation.plugins import load_modules
from workstation.progress import NULL, Progress

from .selection import Selection, select

log = logging.getLogger(__name__)


class ExportError(LintasError):
    """An export that cannot be made (unknown format, output exists, nothing to send, …)."""


@dataclass
class ExportOptions:
    """Everything an analyst can say about an export (CLI flags, dialog fields)."""

    recipient: str
    subjects: list[str] | None = None
    sign_key: str | os.PathLike | None = None   # Ed25519 private key file (bundles, signed dossier)
    with_dossier: bool = False                  # bundle: the PDF dossier as an attachment
    drop_markings: bool = False                 # leave the handling columns/markings out (csv, xlsx, …)
    masking: str = "auto"                       # personal data: auto | all | none (docs/handling.md)
    lang: str = "en"                            # the dossier's language when one is included
    table_format: str = "csv"                   # bundle: csv | parquet data files
    salt: str | None = None                     # pseudonym salt (tests; default: random per export)


@dataclass
class Written:
    """What an exporter produced."""

    path: Path
    sha256: str                                  # of the file; of the index file for a directory
    details: dict[str, Any] = field(default_factory=dict)


class Exporter(Protocol):
    name: str
    description: str

    def write(self, selection: Selection, out: Path, options: ExportOptions,
              progress: Progress = NULL) -> Written:
        """Write ``selection`` to ``out`` (refusing to overwrite); return what was written."""


@dataclass
class ExportResult:
    export_id: str
    kind: str
    recipient: str
    path: str
    sha256: str
    tlp: str
    audit_seq: int
    included: dict[str, int]
    withheld: list[dict[str, Any]]
    withheld_total: int
    masked: dict[str, int]
    attachments: dict[str, int]
    details: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


_REGISTRY: dict[str, Exporter] = {}
_BUILTIN = ["exports.package", "exports.tabular", "exports.formats.ftm", "exports.formats.stix",
            "exports.formats.misp"]
_loaded = False


def register(exporter: Exporter) -> Exporter:
    _REGISTRY[exporter.name] = exporter
    return exporter


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    load_modules(_BUILTIN, "exporter")


def names() -> list[str]:
    _load()
    return sorted(_REGISTRY)


def get(name: str) -> Exporter:
    _load()
    if name not in _REGISTRY:
        raise ExportError(f"unknown export format {name!r}; known: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[name]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            h.update(chunk)
    return h.hexdigest()


def export(case: Case, name: str, out: str | os.PathLike, options: ExportOptions,
           progress: Progress = NULL) -> ExportResult:
    """Export what ``options.recipient`` may receive from ``case`` as format ``name``."""
    exporter = get(name)
    if case.read_only:
        raise ExportError(f"{case.path}: opened read-only; an export is recorded in the case's audit log")
    out = Path(out)
    if out.exists() and not (out.is_dir() and not any(out.iterdir())):
        raise ExportError(f"{out} already exists; refusing to overwrite it")
    progress(0.0, f"selecting what {options.recipient} may receive")
    with select(case, options.recipient, options.subjects, options.masking, options.salt,
                progress.sub(0.0, 0.3)) as sel:
        if not sum(sel.included.values()) and not sel.attachments_included:
            log.warning("nothing in %s may go to %s", case.path, sel.recipient)
        existed = out.exists()
        try:
            written = exporter.write(sel, out, options, progress.sub(0.3, 0.95))
        except BaseException:
            if not existed:   # leave nothing half-written behind (cancel, full disk, bad key …)
                if out.is_dir():
                    shutil.rmtree(out, ignore_errors=True)
                else:
                    out.unlink(missing_ok=True)
            raise
        summary = sel.summary()
    progress.check()
    export_id = str(written.details.get("bundle_id") or uuid.uuid4())
    params = {"format": name, "recipient": summary["recipient"], "subjects": summary["subjects"] or [],
              "masking": options.masking, "out": str(out.resolve()), "signed": bool(options.sign_key),
              "with_dossier": bool(options.with_dossier), "drop_markings": bool(options.drop_markings)}
    result = {"export_id": export_id, "sha256": written.sha256, "tlp": summary["tlp"],
              "included": {k: v for k, v in summary["included"].items() if v},
              "masked": summary["masked"], "attachments": summary["attachments"],
              "withheld": summary["withheld"], "withheld_total": summary["withheld_total"],
              "details": written.details}
    with case.transaction() as con:
        seq = case.record(f"export.{name}", params, result, con=con)
        con.execute("INSERT INTO exports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [export_id, name, summary["recipient"], str(Path(written.path).resolve()), written.sha256,
                     summary["tlp"], utcnow(), seq])
    progress(1.0, f"exported to {written.path}")
    log.info("export %s (%s) for %s: %s", export_id, name, summary["recipient"], written.path)
    return ExportResult(export_id, name, summary["recipient"], str(written.path), written.sha256,
                        summary["tlp"], seq, result["included"], summary["withheld"],
                        summary["withheld_total"], summary["masked"], summary["attachments"],
                        written.details)
