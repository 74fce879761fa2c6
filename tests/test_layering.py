"""The layering is a checked rule (STYLE habit 1): imports only point down."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["workstation", "analysis", "exports", "ui"]
QT = ("PySide6", "shiboken6")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


def test_imports_point_down_and_qt_only_in_ui():
    problems = []
    for layer in ORDER:
        for f in (ROOT / layer).rglob("*.py"):
            for mod, line in _imports(f):
                rel = f.relative_to(ROOT)
                if mod in QT and layer != "ui":
                    problems.append(f"{rel}:{line} imports Qt ({mod}) outside ui/")
                if mod in ORDER and ORDER.index(mod) > ORDER.index(layer):
                    problems.append(f"{rel}:{line} imports {mod} (upward from {layer})")
    assert not problems, "\n".join(problems)


def test_core_imports_without_qt():
    import subprocess
    import sys

    code = ("import sys, workstation.cli, workstation.case, workstation.query; "
            "import analysis, exports; "
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
