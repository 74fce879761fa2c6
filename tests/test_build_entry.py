"""The entry script of the offline build (``build.spec``: ``workstation/__main__.py``).

PyInstaller runs its entry script as a plain script, outside any package: a relative import
there ("attempted relative import with no known parent package") breaks the built program
before it prints anything, though ``lintas`` and ``python -m workstation`` work. Run the file
the same way here (the whole build takes minutes: ``./run build``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_build_spec_names_the_entry_script_and_its_data():
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    scripts = re.findall(r'Analysis\(\s*\[\s*"([^"]+)"', spec)
    assert scripts == ["workstation/__main__.py"]
    # Transliteration tables read through importlib.resources: without them the built program
    # fails on the first name it folds (found by running the build).
    assert 'collect_data_files("anyascii")' in spec


def test_the_entry_script_runs_as_a_plain_script():
    entry = ROOT / "workstation" / "__main__.py"
    # -P: no script directory on sys.path (as in the build, the package comes from the bundle);
    # the project root on PYTHONPATH stands in for it.
    r = subprocess.run([sys.executable, str(entry), "--version"], capture_output=True, text=True,
                       cwd=ROOT / "tests", timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("lintas ")
    r = subprocess.run([sys.executable, str(entry), "--help"], capture_output=True, text=True,
                       cwd=ROOT / "tests", timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    for command in ("import", "xref", "dossier", "gui"):   # one per layer: entry points found
        assert re.search(rf"^\s+{command}\s", r.stdout, re.M), command

