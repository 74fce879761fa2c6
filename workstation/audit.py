"""The case's append-only, hash-chained audit log.

Each entry's ``hash`` is SHA-256 over the previous entry's hash and the entry's
canonical content (sequence number, UTC time, OS user, action, parameters,
result as canonical JSON).  Editing, deleting, inserting or reordering any entry
breaks the chain from that entry on; ``verify`` names the first bad sequence
number.  The head (last sequence number and hash) is also kept in ``case_meta``
so that cutting entries off the end is detected too.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from .sql import first

log = logging.getLogger(__name__)

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(prev_hash: str, seq: int, time_utc: str, os_user: str, action: str,
               params: Any, result: Any) -> str:
    body = canonical_json({"seq": seq, "time_utc": time_utc, "os_user": os_user, "action": action,
                           "params": params, "result": result})
    return hashlib.sha256((prev_hash + "\n" + body).encode("utf-8")).hexdigest()


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers, services)
        return "unknown"


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append(con, action: str, params: dict | None = None, result: dict | None = None) -> int:
    """Append one entry on ``con`` (inside the caller's transaction if any); return its seq."""
    params = params or {}
    result = result or {}
    row = first(con, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    t, user = now_utc(), os_user()
    # Round-trip through JSON so what is hashed is exactly what is stored.
    params = json.loads(canonical_json(params))
    result = json.loads(canonical_json(result))
    h = entry_hash(prev, seq, t, user, action, params, result)
    con.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [seq, t, user, action, canonical_json(params), canonical_json(result), prev, h])
    con.execute("INSERT OR REPLACE INTO case_meta VALUES ('audit_head', ?)", [f"{seq}:{h}"])
    log.info("audit %d %s", seq, action)
    return seq


@dataclass
class Verification:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problems: list[str] = field(default_factory=list)
    head_hash: str | None = None

    def to_json(self) -> dict:
        return {"ok": self.ok, "entries": self.entries, "first_bad_seq": self.first_bad_seq,
                "problems": self.problems, "head_hash": self.head_hash}


def entries(con, limit: int | None = None) -> list[dict]:
    sql = "SELECT seq, time_utc, os_user, action, params, result, prev_hash, hash FROM audit ORDER BY seq"
    rows = con.execute(sql + (" LIMIT ?" if limit else ""), [limit] if limit else []).fetchall()
    keys = ("seq", "time_utc", "os_user", "action", "params", "result", "prev_hash", "hash")
    out = []
    for r in rows:
        d = dict(zip(keys, r, strict=True))
        d["params"] = json.loads(d["params"])
        d["result"] = json.loads(d["result"])
        out.append(d)
    return out


def verify(con) -> Verification:
    """Walk the chain in storage order of ``seq`` and recompute every hash."""
    rows = con.execute(
        "SELECT seq, time_utc, os_user, action, params, result, prev_hash, hash FROM audit ORDER BY seq"
    ).fetchall()
    problems: list[str] = []
    first_bad: int | None = None
    prev = GENESIS
    expected_seq = 1

    def bad(seq: int, why: str) -> None:
        nonlocal first_bad
        if first_bad is None:
            first_bad = seq
        problems.append(f"entry {seq}: {why}")

    for seq, t, user, action, params, result, prev_hash, h in rows:
        if first_bad is not None:
            break
        if seq != expected_seq:
            bad(min(seq, expected_seq),
                f"sequence number {seq} where {expected_seq} was expected (entry deleted or inserted)")
            break
        if prev_hash != prev:
            bad(seq, "does not link to the entry before it (entry deleted, inserted or reordered)")
            break
        try:
            recomputed = entry_hash(prev, seq, t, user, action, json.loads(params), json.loads(result))
        except (TypeError, ValueError):
            bad(seq, "content is not valid JSON (edited)")
            break
        if recomputed != h:
            bad(seq, "content does not match its hash (edited)")
            break
        prev = h
        expected_seq += 1
    if first_bad is None:
        head = first(con, "SELECT value FROM case_meta WHERE key = 'audit_head'")
        last = f"{rows[-1][0]}:{rows[-1][7]}" if rows else None
        if head is not None and head[0] != last:
            head_seq = int(head[0].split(":", 1)[0])
            bad(min(head_seq, len(rows) + 1) if head_seq > len(rows) else head_seq,
                f"the log ends at entry {len(rows)} but the case recorded entry {head_seq} as last "
                "(entries removed from the end, or the head edited)")
        elif head is None and rows:
            bad(1, "the case has no recorded head of its audit log")
    return Verification(first_bad is None, len(rows), first_bad, problems,
                        rows[-1][7] if rows and first_bad is None else None)
