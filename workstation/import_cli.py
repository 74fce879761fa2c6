"""``lintas import`` and ``lintas mappings``: thin over workstation.ingest."""

from __future__ import annotations

import argparse
import json
import sys

from .case import Case
from .errors import Cancelled, InputRefused, LintasError, Problem
from .importers import ImportOptions
from .progress import TerminalProgress


def _options(a) -> ImportOptions:
    from .plain_import import parse_map, save_mapping, saved_mappings

    mapping = {}
    # A zone or country pasted with a space around it ('Asia/Makassar ') is the same zone or country.
    kind, tz, country = a.kind, (a.timezone or "").strip() or None, (a.producer_country or "").strip() or None
    if a.mapping:
        saved = saved_mappings().get(a.mapping)
        if saved is None:
            raise InputRefused(f"no saved mapping named {a.mapping!r}",
                               [Problem(f"saved mappings: {', '.join(saved_mappings()) or 'none'}",
                                        None, None, "mapping")])
        mapping.update(saved["map"])
        kind = kind or saved.get("kind")
        tz = tz or saved.get("timezone")
        country = country or saved.get("producer_country")
    mapping.update(parse_map(a.map))
    if a.save_mapping:
        if not kind:
            raise InputRefused("--save-mapping needs --kind",
                               [Problem("a mapping is saved with its kind: give --kind", None, None, "kind")])
        save_mapping(a.save_mapping, kind, mapping, tz, country)
    handling = None
    if a.tlp or a.releasable_to or a.legal_basis:
        handling = {"tlp": a.tlp or "AMBER",
                    "releasable_to": [x.strip().upper() for x in (a.releasable_to or "").split(",") if x.strip()],
                    "legal_basis": a.legal_basis}
    return ImportOptions(trust_once=a.trust_once, allow_unsigned=a.allow_unsigned,
                         skip_bad_rows=a.skip_bad_rows, kind=kind, mapping=mapping,
                         producer_country=country, timezone=tz, handling=handling, title=a.title,
                         sheet=a.sheet, producer={"agency": a.producer} if a.producer else {})


def _refused(path: str, e: LintasError) -> dict:
    """The outcome of an input that was not imported (the shape docs/cli-json.md gives)."""
    if isinstance(e, InputRefused):
        return {"input": path, "imported": False, "summary": e.summary,
                "problems": [dict(p) for p in e.problems[:100]], "problem_count": len(e.problems)}
    return {"input": path, "imported": False, "summary": str(e),
            "problems": [{"file": path, "row": None, "column": None, "reason": str(e)}],
            "problem_count": 1}


def cmd_import(a) -> int:
    from .ingest import import_path

    outcomes = []
    status = 0
    try:
        options = _options(a)
        case = Case.open(a.case)
    except LintasError as e:
        # Refused before any input was read (options, case file): every input is not imported,
        # reported as a refused import is, in text and in JSON.
        if isinstance(e, InputRefused) and not e.problems:
            e = InputRefused(e.summary, [Problem(e.summary)])
        outcomes = [_refused(path, e) for path in a.inputs]
        for res in outcomes:
            res["problems"] = [{**p, "file": p["file"] or res["input"]} for p in res["problems"]]
            if not a.json:
                _print_outcome(res)
        status = 1
        case = None
    if case is not None:
        with case:
            for path in a.inputs:
                bar = TerminalProgress()
                try:
                    res = import_path(case, path, options, bar, format=a.format).to_json()
                    res["input"] = path
                    if not res["imported"]:
                        status = 1
                except Cancelled as e:
                    # Ctrl-C: this input rolled back, the rest not begun; exit 130 as documented
                    status = 130
                    outcomes.append(_refused(path, e))
                    if not a.json:
                        _print_outcome(outcomes[-1])
                    break
                except LintasError as e:
                    status = 1
                    res = _refused(path, e)
                finally:
                    bar.close()
                outcomes.append(res)
                if not a.json:
                    _print_outcome(res)
    if a.json:
        print(json.dumps(outcomes[0] if len(outcomes) == 1 else outcomes, indent=2,
                         ensure_ascii=False, default=str))
    return status


def _print_outcome(res: dict) -> None:
    if res["imported"]:
        rows = ", ".join(f"{k} {v:,}" for k, v in res["rows"].items())
        sig = res["signature"]["status"]
        print(f"imported {res['input']} as source #{res['source_id']} (TLP:{res['tlp']}, {sig}): {rows}")
        if res["rejected"]:
            print(f"  {res['rejected']} bad rows set aside in table 'rejects'")
        for w in res["warnings"]:
            print(f"  warning: {w}")
        return
    if res.get("already_imported_as"):
        print(f"not imported: {res['input']} was already imported as source #{res['already_imported_as']}",
              file=sys.stderr)
        return
    print(f"NOT imported: {res.get('summary') or res['input']}", file=sys.stderr)
    if not res.get("summary", "").count("\n"):
        for p in res["problems"]:
            where = ", ".join(x for x in (p.get("file"), f"row {p['row']}" if p.get("row") else None,
                                          f"column {p['column']!r}" if p.get("column") else None) if x)
            print(f"  - {where + ': ' if where else ''}{p['reason']}", file=sys.stderr)
        if res.get("problem_count", 0) > len(res["problems"]):
            print(f"  … and {res['problem_count'] - len(res['problems'])} more", file=sys.stderr)


def cmd_mappings(a) -> int:
    from .plain_import import saved_mappings

    data = saved_mappings()
    if a.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        for name, m in data.items():
            cols = ",".join(f"{k}={v}" for k, v in m["map"].items())
            print(f"{name}: --kind {m['kind']} --map {cols}"
                  + (f" --timezone {m['timezone']}" if m.get("timezone") else "")
                  + (f" --producer-country {m['producer_country']}" if m.get("producer_country") else ""))
        if not data:
            print("no saved mappings")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    names = "bundle, plain, ftm, stix, misp"
    p = sub.add_parser("import", help="import bundles, partner packages or plain files into a case",
                       description="Each input is imported whole in one transaction, or not at all.")
    p.add_argument("case", help="the case file")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="bundle (ZIP or directory), package or file")
    p.add_argument("--format", help=f"force an importer instead of recognising by content ({names})")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--trust-once", action="store_true",
                   help="accept a signature by a key not in your keyring, for this import only")
    p.add_argument("--allow-unsigned", action="store_true",
                   help="accept a bundle without signature (marked unverified everywhere)")
    p.add_argument("--skip-bad-rows", action="store_true",
                   help="import the good rows; keep the bad ones in table 'rejects'")
    g = p.add_argument_group("plain files (CSV, XLSX, Parquet, JSON lines without a manifest)")
    g.add_argument("--kind", help="the canonical kind of the rows (calls, persons, …)")
    g.add_argument("--map", help="canonical=file column pairs, e.g. caller=A_NUMBER,callee=B_NUMBER")
    g.add_argument("--mapping", help="use a saved mapping by name")
    g.add_argument("--save-mapping", metavar="NAME", help="save this kind and mapping under NAME")
    g.add_argument("--producer-country", help="ISO country of the producer (reads national numbers)")
    g.add_argument("--producer", help="the producing agency's name")
    g.add_argument("--timezone", help="IANA zone for timestamps without offset, e.g. Asia/Makassar")
    g.add_argument("--tlp", help="TLP of the file (CLEAR, GREEN, AMBER, AMBER+STRICT, RED; default AMBER)")
    g.add_argument("--releasable-to", help="comma-separated recipient codes (MY, INTERPOL, …)")
    g.add_argument("--legal-basis", help="legal basis of the data")
    g.add_argument("--title", help="a title for the source")
    g.add_argument("--sheet", help="XLSX: the sheet to read (default: the first)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("mappings", help="list saved column mappings for plain files")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_mappings)
