"""``lintas export``: thin over ``exports.registry.export``."""

from __future__ import annotations

import argparse

from workstation.case import Case
from workstation.cli import emit
from workstation.handling import MASKING_MODES
from workstation.progress import TerminalProgress

from . import registry

# Formats known when the command is built; others registered later still work by name.
_FORMATS = ("bundle", "ftm", "stix", "misp", "csv", "xlsx", "parquet")


def _text(r: registry.ExportResult) -> str:
    lines = [f"exported {r.kind} for {r.recipient}: {r.path}",
             f"  TLP:{r.tlp}   sha256 {r.sha256}   audit entry {r.audit_seq}",
             "  included: " + (", ".join(f"{k} {v:,}" for k, v in r.included.items()) or "nothing")]
    if r.attachments.get("included"):
        lines.append(f"  attachments: {r.attachments['included']}")
    if r.masked:
        lines.append("  personal data masked in: " + ", ".join(f"{k} {v:,}" for k, v in r.masked.items()))
    if r.withheld:
        lines.append(f"  withheld ({r.withheld_total:,} rows, content not exported):")
        for w in r.withheld:
            lines.append(f"    #{w['source_id']} {w['source_title'] or w['bundle_id'] or ''}: "
                         f"{w['kind']} {w['rows']:,} — {w['reason_text']}")
    return "\n".join(lines)


def cmd_export(a) -> int:
    subjects = [s.strip() for s in ",".join(a.subjects or []).split(",") if s.strip()] or None
    options = registry.ExportOptions(recipient=a.recipient, subjects=subjects, sign_key=a.sign,
                                     with_dossier=a.with_dossier, drop_markings=a.drop_markings,
                                     masking=a.mask_personal_data, lang=a.lang,
                                     table_format=a.table_format)
    bar = TerminalProgress()
    try:
        with Case.open(a.path) as case:
            result = registry.export(case, a.to, a.out, options, bar)
    finally:
        bar.close()
    emit(result.to_json(), a.json, lambda: _text(result))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export what a recipient may receive: partner package, "
                                      "FtM, STIX, MISP, CSV, XLSX or Parquet")
    p.add_argument("path", help="the case file")
    p.add_argument("--to", required=True, choices=_FORMATS,
                   help="the format: bundle (lintas-bundle/1 package), ftm, stix, misp, csv, xlsx, parquet")
    p.add_argument("--recipient", required=True,
                   help="who receives it: an ISO country code (MY) or an organisation (INTERPOL)")
    p.add_argument("--out", required=True,
                   help="the file to write (bundle: .zip, or a directory; csv/parquet: a directory)")
    p.add_argument("--sign", metavar="KEYFILE", help="sign with this Ed25519 private key file (bundle)")
    p.add_argument("--subjects", nargs="+", metavar="ID",
                   help="only these subjects (entity ids or ids as written, space or comma separated) "
                        "and what involves them")
    p.add_argument("--with-dossier", action="store_true",
                   help="bundle: include the PDF dossier for the same recipient as an attachment")
    p.add_argument("--drop-markings", action="store_true",
                   help="csv/xlsx/parquet/partner formats: leave out the per-row TLP and releasable_to")
    p.add_argument("--mask-personal-data", choices=MASKING_MODES, default="auto",
                   help="personal-data columns: auto (the documented rules), all (mask for everyone "
                        "but their producer), none (in clear; recorded in the audit log)")
    p.add_argument("--lang", choices=("en", "id", "en+id"), default="en",
                   help="language of the included dossier (default: en)")
    p.add_argument("--table-format", choices=("csv", "parquet"), default="csv",
                   help="bundle: format of the data files (default: csv)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_export)
