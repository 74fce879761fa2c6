"""The ``lintas`` command: a thin layer over the library (STYLE habit 7).

The core's commands live here; higher layers add theirs through the
``lintas.commands`` entry points declared in pyproject.toml, loaded at start.
Exit codes: 0 success, 1 refused/invalid/tampered, 2 usage or refused query,
130 cancelled.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path

from . import __version__, logsetup
from .case import Case
from .errors import Cancelled, LintasError
from .progress import TerminalProgress

log = logging.getLogger(__name__)

Registrar = Callable[[argparse._SubParsersAction], None]


def emit(data, as_json: bool, text: Callable[[], str] | str | None = None) -> None:
    """Print ``data`` as stable JSON, or the human text."""
    if as_json:
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    elif text is not None:
        print(text() if callable(text) else text)


# -- case -------------------------------------------------------------------
def cmd_case_new(a) -> int:
    with Case.create(a.path, a.title, ref=a.ref, unit=a.unit) as case:
        emit({"path": str(case.path), "title": case.title, "schema_version": case.schema_version},
             a.json, f"created case {case.path} ({case.title})")
    return 0


def _info_text(info: dict) -> str:
    lines = [f"{info['title']}" + (f"  [{info['case_ref']}]" if info["case_ref"] else ""),
             f"  file            {info['path']}",
             f"  schema version  {info['schema_version']}",
             f"  audit entries   {info['audit_entries']}",
             f"  entities        {info['entities']}"]
    if info["rejected_rows"]:
        lines.append(f"  rejected rows   {info['rejected_rows']} (kept in table 'rejects')")
    lines.append("  sources:" if info["sources"] else "  sources: none yet")
    for s in info["sources"]:
        who = " / ".join(x for x in (s["producer_agency"], s["producer_country"]) if x)
        lines.append(f"    #{s['source_id']} TLP:{s['tlp']:<12} {s['signature_status']:<10} "
                     f"{s['title'] or s['container_name']} ({who})")
    lines.append("  rows:")
    for k, n in info["rows"].items():
        lines.append(f"    {k:<14} {n:>12,}")
    return "\n".join(lines)


def cmd_case_info(a) -> int:
    with Case.open(a.path, read_only=True) as case:
        info = case.info()
    emit(info, a.json, lambda: _info_text(info))
    return 0


# -- query ------------------------------------------------------------------
def cmd_query(a) -> int:
    from . import query

    sql = sys.stdin.read() if a.sql == "-" else a.sql
    out = None if a.out in (None, "-") else Path(a.out)
    with Case.open(a.path, read_only=True) as case:
        reader = query.stream(case.cursor(), sql)
        rows = query.write(reader, a.format, out, limit=a.limit)
    # The query ran on a read-only connection; record it afterwards.
    with Case.open(a.path) as case:
        case.record("query", {"sql": sql, "format": a.format, "out": str(out) if out else None},
                    {"rows": rows})
    if out is not None:
        print(f"{rows} rows written to {out}", file=sys.stderr)
    return 0


# -- audit ------------------------------------------------------------------
def cmd_audit_show(a) -> int:
    with Case.open(a.path, read_only=True) as case:
        entries = case.audit_entries(limit=a.limit)

    def text() -> str:
        return "\n".join(
            f"{e['seq']:>5}  {e['time_utc']}  {e['os_user']:<10} {e['action']:<16} "
            f"{json.dumps(e['params'], ensure_ascii=False)[:80]}" for e in entries) or "(empty)"

    emit(entries, a.json, text)
    return 0


def cmd_audit_verify(a) -> int:
    with Case.open(a.path, read_only=True) as case:
        v = case.verify_audit()
    if v.ok:
        emit(v.to_json(), a.json, f"audit log intact: {v.entries} entries, head {v.head_hash}")
        return 0
    emit(v.to_json(), a.json,
         f"AUDIT LOG TAMPERED: first bad entry is {v.first_bad_seq}\n" + "\n".join(v.problems))
    return 1


def register_core(sub: argparse._SubParsersAction) -> None:
    p_case = sub.add_parser("case", help="create a case or describe one")
    case_sub = p_case.add_subparsers(dest="case_cmd", required=True, metavar="COMMAND")
    p = case_sub.add_parser("new", help="create a new, empty case file")
    p.add_argument("path", help="the case file to create (e.g. mawar.lintas)")
    p.add_argument("--title", required=True, help="the case title")
    p.add_argument("--ref", help="the case reference, e.g. MAWAR-2026-014")
    p.add_argument("--unit", help="the producing unit")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_case_new)
    p = case_sub.add_parser("info", help="title, schema version, sources and row counts of a case")
    p.add_argument("path", help="the case file")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_case_info)

    p = sub.add_parser("query", help="run read-only analyst SQL over a case")
    p.add_argument("path", help="the case file")
    p.add_argument("sql", help="the SQL (SELECT …); '-' reads it from standard input")
    p.add_argument("--format", choices=("table", "csv", "json", "parquet"), default="table",
                   help="output format (default: table)")
    p.add_argument("--out", help="write to this file instead of standard output ('-' = stdout)")
    p.add_argument("--limit", type=int, help="stop after this many rows")
    p.set_defaults(func=cmd_query)

    p_audit = sub.add_parser("audit", help="show or verify the case's audit log")
    audit_sub = p_audit.add_subparsers(dest="audit_cmd", required=True, metavar="COMMAND")
    p = audit_sub.add_parser("show", help="list the audit log")
    p.add_argument("path", help="the case file")
    p.add_argument("--limit", type=int, help="show at most this many entries")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_audit_show)
    p = audit_sub.add_parser("verify", help="check the hash chain; exit 1 if tampered")
    p.add_argument("path", help="the case file")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_audit_verify)


_REGISTRARS: list[Registrar] = [register_core]

# Modules of this layer that add commands (each has ``register(sub)``), loaded in order.
_CORE_COMMAND_MODULES = ["workstation.bundle_cli", "workstation.import_cli"]


def register_layer(sub: argparse._SubParsersAction, modules: list[str]) -> None:
    """Call ``register(sub)`` of each module present (used by every layer's cli)."""
    import importlib

    for name in modules:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            continue
        mod.register(sub)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lintas", description="Lintas evidence and intelligence analysis workstation.")
    parser.add_argument("--version", action="version", version=f"lintas {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log to the terminal too")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for reg in _REGISTRARS:
        reg(sub)
    register_layer(sub, _CORE_COMMAND_MODULES)
    for ep in sorted(entry_points(group="lintas.commands"), key=lambda e: e.name):
        try:
            ep.load()(sub)
        except ImportError as e:  # a missing optional layer simply has no commands
            log.warning("commands of %s unavailable: %s", ep.name, e)
    return parser


def progress_bar() -> TerminalProgress:
    return TerminalProgress()


def main(argv: list[str] | None = None) -> int:
    try:
        code = _main(argv)
        sys.stdout.flush()   # here, not at exit: a reader gone by then is reported as an error
        return code
    except BrokenPipeError:
        # The reader went away (`lintas xref CASE --json | head`): not an error. Point stdout
        # at the null device, so the interpreter's last flush does not report it again.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    a = parser.parse_args(argv)
    logsetup.configure(verbose=a.verbose)
    if not getattr(a, "func", None):
        parser.print_help()
        return 2
    try:
        return int(a.func(a) or 0)
    except Cancelled as e:
        print(f"lintas: {e}", file=sys.stderr)
        return 130
    except LintasError as e:
        log.info("refused: %s", e)
        if getattr(a, "json", False):
            print(json.dumps({"error": str(e)}, ensure_ascii=False))
        print(f"lintas: {e}", file=sys.stderr)
        return e.exit_code
    except BrokenPipeError:
        raise   # main() handles it
    except Exception as e:  # never a traceback for the analyst: a message, details in the log
        log.exception("internal error in lintas %s", getattr(a, "command", ""))
        from .paths import log_dir

        print(f"lintas: internal error: {type(e).__name__}: {e}\n"
              f"(details in {log_dir() / 'lintas.log'})", file=sys.stderr)
        return 70
    except KeyboardInterrupt:
        print("lintas: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
