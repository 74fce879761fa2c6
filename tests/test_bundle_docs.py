"""docs/bundle-format.md stays true: its worked example is what the code writes and verifies,
its Python snippet runs, its kinds table and limits match the code."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workstation import bundle, keys
from workstation.kinds import KINDS

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "bundle-format.md").read_text(encoding="utf-8")
FIX = ROOT / "tests" / "fixtures" / "bundles"


def _examples() -> dict[str, str]:
    found = re.findall(r"<!-- example: (\S+) -->\n```[a-z]*\n(.*?)```", DOC, flags=re.S)
    return dict(found)


@pytest.fixture
def example_dir(tmp_path) -> Path:
    d = tmp_path / "example"
    for name, body in _examples().items():
        if name == "verify.py":
            continue
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_bytes(body.encode("utf-8"))
    return d


def test_worked_example_verifies(example_dir):
    ring = keys.Keyring.in_memory()
    ring.trust(FIX / "signer_trusted.pem.pub", "Example key", "ID")
    report = bundle.verify(example_dir, keyring=ring)
    assert report.valid, report.problems
    assert report.signer["trusted"] is True


def test_worked_example_is_what_pack_writes(example_dir, tmp_path):
    m = json.loads((example_dir / "manifest.json").read_text())
    for e in m["tables"] + m["attachments"]:
        for k in ("sha256", "bytes", "rows", "media_type"):
            e.pop(k, None)
    src = tmp_path / "src"
    for rel in ("data/calls.csv", "files/request_12-2026.txt"):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_bytes((example_dir / rel).read_bytes())
    (src / "manifest.json").write_text(json.dumps(m))
    out = bundle.pack(src, tmp_path / "out", sign_key=FIX / "signer_trusted.pem")
    assert (out / "manifest.json").read_bytes() == (example_dir / "manifest.json").read_bytes()
    assert (out / "manifest.sig").read_bytes() == (example_dir / "manifest.sig").read_bytes()


def test_python_snippet_runs_and_catches_tampering(example_dir):
    snippet = _examples()["verify.py"]
    r = subprocess.run([sys.executable, "-c", snippet], cwd=example_dir, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "signature valid, files intact" in r.stdout
    (example_dir / "data" / "calls.csv").write_bytes(
        (example_dir / "data" / "calls.csv").read_bytes().replace(b"184", b"185"))
    r = subprocess.run([sys.executable, "-c", snippet], cwd=example_dir, capture_output=True, text=True)
    assert r.returncode != 0 and "data/calls.csv" in r.stderr


def test_kinds_table_matches_the_code():
    table = DOC.split("<!-- kinds-table -->")[1].split("<!-- /kinds-table -->")[0]
    rows = {m[0]: m[1] for m in re.findall(r"^\| `(\w+)` \| (.*) \|$", table, flags=re.M)}
    assert list(rows) == list(KINDS)
    for kind, text in rows.items():
        names = re.findall(r"(?:^|, )(\*\*)?(\w+)", text)
        # the column names in the doc, in order, with bold = required
        doc_cols = [(n, bool(b)) for b, n in names if n in {c.name for c in KINDS[kind]}]
        assert doc_cols == [(c.name, c.required) for c in KINDS[kind]], kind


def test_limits_in_the_doc_match_the_code():
    assert f"| {bundle.MAX_ENTRIES:,} |" in DOC
    assert f"| {bundle.MAX_RATIO} : 1 |" in DOC
    assert f"over {bundle.RATIO_FLOOR_BYTES // 1024 ** 2} MiB" in DOC
    assert f"| {bundle.MAX_TOTAL_BYTES // 1024 ** 3} GiB |" in DOC
    assert f"| {bundle.MAX_MANIFEST_BYTES // 1024 ** 2} MiB |" in DOC
    assert f"| {bundle.MAX_SIGNATURE_BYTES // 1024} KiB |" in DOC
    assert f"+ {bundle.DISK_MARGIN_BYTES // 1024 ** 2} MiB |" in DOC
