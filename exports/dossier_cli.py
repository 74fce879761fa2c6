"""``lintas dossier``: the PDF case dossier for one recipient (a thin layer over exports.dossier)."""

from __future__ import annotations

import argparse

from workstation.case import Case
from workstation.cli import emit, progress_bar


def _csv(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def cmd_dossier(a) -> int:
    from .dossier import build_dossier

    bar = progress_bar()
    try:
        with Case.open(a.case) as case:
            res = build_dossier(case, a.out, a.recipient, lang=a.lang, subjects=_csv(a.subjects),
                                sections=_csv(a.sections), sign_key=a.sign, progress=bar)
    finally:
        bar.close()
    emit(res.to_json(), a.json,
         lambda: (f"dossier {res.dossier_id} for {res.recipient}: {res.pages} pages, TLP:{res.tlp}, "
                  f"{res.bytes:,} bytes{', signed' if res.signed else ''}\n"
                  f"  file      {res.path}\n  sha256    {res.sha256}\n  audit     entry #{res.audit_seq}\n"
                  f"  withheld  {sum(w['rows'] for w in res.withheld)} records "
                  f"({len(res.withheld)} source/reason groups)"))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from .vocabulary import SECTIONS

    p = sub.add_parser("dossier", help="write the PDF case dossier for one recipient (only what it may receive)")
    p.add_argument("case", help="the case file")
    p.add_argument("--out", required=True, help="the PDF file to write")
    p.add_argument("--recipient", required=True,
                   help="who receives it: a country code (MY, AU, …) or an organisation (INTERPOL, …)")
    p.add_argument("--lang", choices=("en", "id", "en+id"), default="en",
                   help="language of labels and fixed text: English, Bahasa Indonesia, or both (default: en)")
    p.add_argument("--subjects", help="only these subjects: entity ids or ids as written, comma-separated")
    p.add_argument("--sections", help=f"only these sections, comma-separated, from: {','.join(SECTIONS)} "
                                      "(cover, contents and the export record are always included)")
    p.add_argument("--sign", metavar="KEYFILE",
                   help="sign the PDF (PAdES) with the unit's Ed25519 key file (PEM)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_dossier)
