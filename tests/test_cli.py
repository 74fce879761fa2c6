import argparse
import json
import subprocess
import sys

from workstation import __version__
from workstation.cli import build_parser


def _all_parsers(parser, path=()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _all_parsers(sub, path + (name,))


def test_every_command_has_help():
    parser = build_parser()
    seen = []
    for path, p in _all_parsers(parser):
        seen.append(" ".join(path))
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    assert choice.help, f"lintas {' '.join(path)} {choice.dest} has no help"
            elif not isinstance(action, argparse._HelpAction | argparse._VersionAction):
                assert action.help, f"option {action.dest} of 'lintas {' '.join(path)}' has no help"
        text = p.format_help()
        assert "usage:" in text
    for cmd in ("case new", "case info", "query", "audit show", "audit verify", "gui", "demo"):
        assert cmd in seen, f"lintas {cmd} missing"


def test_dash_h_everywhere():
    r = subprocess.run([sys.executable, "-m", "workstation.cli", "case", "new", "-h"], capture_output=True, text=True)
    assert r.returncode == 0 and "--title" in r.stdout


def test_version():
    r = subprocess.run([sys.executable, "-m", "workstation.cli", "--version"], capture_output=True, text=True)
    assert r.stdout.strip() == f"lintas {__version__}"


def test_case_new_and_info_json(tmp_path):
    p = tmp_path / "mawar.lintas"
    r = subprocess.run([sys.executable, "-m", "workstation.cli", "case", "new", str(p), "--title",
                        "Operasi Mawar", "--ref", "MAWAR-2026-014"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, "-m", "workstation.cli", "case", "info", str(p), "--json"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["title"] == "Operasi Mawar" and info["case_ref"] == "MAWAR-2026-014"
    assert info["rows"]["calls"] == 0 and info["sources"] == []


def test_errors_are_messages_not_tracebacks(tmp_path):
    p = tmp_path / "nope.lintas"
    p.write_text("not a database")
    r = subprocess.run([sys.executable, "-m", "workstation.cli", "case", "info", str(p)],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert "not a Lintas case" in r.stderr


def test_command_line_starts_without_heavy_libraries():
    """Registering every command imports no plotting, graph, PDF or Qt library (fast start)."""
    code = ("import sys, workstation.cli as c; c.build_parser(); "
            "heavy = [m for m in ('matplotlib', 'igraph', 'reportlab', 'PySide6') if m in sys.modules]; "
            "assert not heavy, heavy")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
