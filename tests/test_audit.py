import json
import subprocess
import sys

import duckdb
import pytest

from workstation.case import Case


def _case_with_entries(path, n=5):
    c = Case.create(path, "Audit test")
    for i in range(n):
        c.record("test.action", {"i": i, "name": "Muhammad Rizal bin Abdullah"}, {"ok": True})
    c.close()


def _raw(path):
    return duckdb.connect(str(path))


def lintas(*args):
    return subprocess.run([sys.executable, "-m", "workstation.cli", *args], capture_output=True, text=True)


def test_clean_log_verifies(case_path):
    _case_with_entries(case_path)
    with Case.open(case_path) as c:
        v = c.verify_audit()
    assert v.ok and v.entries == 6 and v.first_bad_seq is None
    r = lintas("audit", "verify", str(case_path), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ok"] is True


@pytest.mark.parametrize("tamper,first_bad", [
    ("UPDATE audit SET params = '{\"i\":99,\"name\":\"Muhammad Rizal bin Abdullah\"}' WHERE seq = 3", 3),
    ("UPDATE audit SET os_user = 'someone-else' WHERE seq = 2", 2),
    ("UPDATE audit SET time_utc = '2020-01-01T00:00:00.000000Z' WHERE seq = 4", 4),
    ("DELETE FROM audit WHERE seq = 3", 3),
    ("DELETE FROM audit WHERE seq = 6", 6),
    ("INSERT INTO audit SELECT 7, time_utc, os_user, 'forged', params, result, hash, hash FROM audit WHERE seq = 6", 7),
    # reorder: swap the contents of 2 and 4, keeping sequence numbers
    ("""UPDATE audit SET action = CASE seq WHEN 2 THEN (SELECT action FROM audit WHERE seq=4)
        ELSE (SELECT action FROM audit WHERE seq=2) END,
        params = CASE seq WHEN 2 THEN (SELECT params FROM audit WHERE seq=4)
        ELSE (SELECT params FROM audit WHERE seq=2) END,
        hash = CASE seq WHEN 2 THEN (SELECT hash FROM audit WHERE seq=4)
        ELSE (SELECT hash FROM audit WHERE seq=2) END WHERE seq IN (2, 4)""", 2),
    ("UPDATE audit SET seq = seq + 1 WHERE seq >= 4", 4),
])
def test_tampering_detected(case_path, tamper, first_bad):
    _case_with_entries(case_path)
    con = _raw(case_path)
    # An editor who also keeps the head in step (the harder case) for insertions:
    con.execute(tamper)
    if tamper.startswith("INSERT"):
        con.execute("UPDATE case_meta SET value = (SELECT seq || ':' || hash FROM audit WHERE seq = 7) "
                    "WHERE key = 'audit_head'")
    con.close()
    with Case.open(case_path, read_only=True) as c:
        v = c.verify_audit()
    assert not v.ok
    assert v.first_bad_seq == first_bad, v.problems
    r = lintas("audit", "verify", str(case_path))
    assert r.returncode == 1
    assert f"first bad entry is {first_bad}" in r.stdout


def test_recomputed_hash_still_detected_by_chain(case_path):
    """An editor who recomputes the edited entry's own hash still breaks the next link."""
    from workstation.audit import entry_hash

    _case_with_entries(case_path)
    con = _raw(case_path)
    seq, t, user, action, params, result, prev = con.execute(
        "SELECT seq, time_utc, os_user, action, params, result, prev_hash FROM audit WHERE seq = 3").fetchone()
    params = json.loads(params)
    params["i"] = 42
    h = entry_hash(prev, seq, t, user, action, params, json.loads(result))
    con.execute("UPDATE audit SET params = ?, hash = ? WHERE seq = 3", [json.dumps(params), h])
    con.close()
    with Case.open(case_path, read_only=True) as c:
        v = c.verify_audit()
    assert not v.ok and v.first_bad_seq == 4


def test_show_lists_entries(case_path):
    _case_with_entries(case_path, 2)
    r = lintas("audit", "show", str(case_path), "--json")
    assert r.returncode == 0
    entries = json.loads(r.stdout)
    assert [e["action"] for e in entries] == ["case.create", "test.action", "test.action"]
    assert entries[1]["params"]["name"] == "Muhammad Rizal bin Abdullah"
    assert all(len(e["hash"]) == 64 for e in entries)
