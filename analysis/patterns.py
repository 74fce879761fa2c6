"""Crime patterns over the case, each found with its evidence (source and row of every fact).

``phone_switches``  a number goes silent and a new one starts talking to the same contacts
``colocation``      two subjects at the same cell / place / spot within minutes, repeatedly
``cotravel``        two travellers on the same voyage (carrier + voyage + day) or crossing, repeatedly
``money_flows``     cycles, fan-in and fan-out accounts, structuring, rapid pass-through
``hotspots``        grid cells with more incidents and sightings than the rest, named

Every detector takes its thresholds as arguments (the CLI exposes them) and says
them in its ``explanation``; every result names the entities involved the way the
outputs do everywhere: the id as written in its bundle with ``bundle_id`` when an
entity holds the number / account / document, else the number itself.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from typing import Any

import numpy as np
import pyarrow as pa

from workstation.errors import LintasError
from workstation.progress import NULL, Progress

from .graph import ACCOUNT_NORM, _igraph
from .vocabulary import PATTERNS  # noqa: F401  (re-exported; listed by the CLI without this module)

log = logging.getLogger(__name__)


# Reporting thresholds per currency for structuring (amounts kept just under them).
# IDR: PPATK cash-transaction report (Rp 500 million); MYR: BNM cash threshold (RM 25,000);
# USD / EUR / SGD: common cash-reporting thresholds.  Analysts override per case.
DEFAULT_THRESHOLDS = {"IDR": 500_000_000.0, "MYR": 25_000.0, "USD": 10_000.0, "EUR": 10_000.0,
                      "SGD": 20_000.0}


def _iso(t) -> str | None:
    return t.isoformat() + "Z" if t is not None else None


class Resolver:
    """Turns numbers, accounts and documents into the references outputs give."""

    def __init__(self, case) -> None:
        self.cur = case.cursor()
        self._cache: dict[str, dict[str, Any]] = {}

    def refs(self, values: list[str]) -> dict[str, dict[str, Any]]:
        todo = sorted({v for v in values if v is not None and v not in self._cache})
        if todo:
            self.cur.register("_res_values", pa.table({"v": pa.array(todo, pa.string())}))
            rows = self.cur.execute(
                "SELECT v.v, e.local_id, e.name, s.bundle_id, count(DISTINCT i.owner_entity_id) "
                "OVER (PARTITION BY v.v) AS owners FROM _res_values v "
                "JOIN identifiers i ON i.value_norm = v.v JOIN entities e ON e.entity_id = i.owner_entity_id "
                "LEFT JOIN sources s ON s.source_id = e.source_id ORDER BY e.entity_id").fetchall()
            self.cur.unregister("_res_values")
            for v, local, name, bundle, owners in rows:
                if owners == 1 and v not in self._cache:
                    self._cache[v] = {"id": local, "bundle_id": bundle, "name": name, "identifier": v}
            for v in todo:
                self._cache.setdefault(v, {"id": v, "bundle_id": None, "name": None, "identifier": v})
        return {v: self._cache[v] for v in values if v is not None}

    def ref(self, value: str) -> dict[str, Any]:
        return self.refs([value])[value]

    def entities(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        ids = sorted({int(i) for i in ids if i is not None})
        if not ids:
            return {}
        rows = self.cur.execute(
            "SELECT e.entity_id, e.local_id, e.name, s.bundle_id FROM entities e LEFT JOIN sources s "
            f"USING (source_id) WHERE e.entity_id IN ({', '.join('?' * len(ids))})", ids).fetchall()
        return {int(e): {"id": loc, "bundle_id": b, "name": n} for e, loc, n, b in rows}


# -- phone switches ------------------------------------------------------------------------------
def phone_switches(case, max_gap_days: float = 30.0, max_overlap_days: float = 3.0, min_shared: int = 2,
                   min_overlap: float = 0.3, hub_limit: int = 200, top: int = 50,
                   progress: Progress = NULL) -> list[dict[str, Any]]:
    """Numbers that went silent and a new number that then talked to the same contacts.

    Candidate (old, new): old's last activity is before new's first (or overlaps it by at most
    ``max_overlap_days``), the gap is at most ``max_gap_days``, they share at least ``min_shared``
    contacts, and never talked to each other.  Score = overlap coefficient (shared contacts /
    contacts of the smaller set) × (1 − ½·gap/max_gap) — ranked best first."""
    cur = case.cursor()
    progress(0.0, "contacts per number")
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _ps_events AS "
        "SELECT caller_e164 AS num, callee_e164 AS other, start_utc AS t, source_id, source_row FROM calls "
        "WHERE caller_e164 LIKE '+%' AND callee_e164 LIKE '+%' AND start_utc IS NOT NULL "
        "UNION ALL SELECT callee_e164, caller_e164, start_utc, source_id, source_row FROM calls "
        "WHERE caller_e164 LIKE '+%' AND callee_e164 LIKE '+%' AND start_utc IS NOT NULL "
        "UNION ALL SELECT sender_norm, recipient_norm, time_utc, source_id, source_row FROM messages "
        "WHERE sender_norm LIKE '+%' AND recipient_norm LIKE '+%' AND time_utc IS NOT NULL "
        "UNION ALL SELECT recipient_norm, sender_norm, time_utc, source_id, source_row FROM messages "
        "WHERE sender_norm LIKE '+%' AND recipient_norm LIKE '+%' AND time_utc IS NOT NULL")
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _ps_pairs AS SELECT num, other, count(*) AS n, min(t) AS first_t, "
        "max(t) AS last_t FROM _ps_events GROUP BY ALL")
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _ps_nums AS SELECT num, min(first_t) AS first_t, max(last_t) AS last_t, "
        "count(*) AS contacts, sum(n) AS events FROM _ps_pairs GROUP BY num")
    progress.check()
    progress(0.3, "candidate pairs")
    rows = cur.execute(
        """
        WITH hubs AS (SELECT other FROM _ps_pairs GROUP BY other HAVING count(*) > ?),
        cand AS (
          SELECT o.num AS old, n.num AS new, count(*) AS shared,
                 list(struct_pack(contact := po.other, old_n := po.n, old_last := po.last_t,
                                  new_n := pn.n, new_first := pn.first_t) ORDER BY po.n + pn.n DESC) AS ev
          FROM _ps_nums o JOIN _ps_nums n ON o.num <> n.num
               AND o.last_t <= n.first_t + to_microseconds(CAST(? * 86400000000 AS BIGINT))
               AND n.first_t - o.last_t <= to_microseconds(CAST(? * 86400000000 AS BIGINT))
               AND o.first_t < n.first_t AND o.last_t < n.last_t
          JOIN _ps_pairs po ON po.num = o.num
          JOIN _ps_pairs pn ON pn.num = n.num AND pn.other = po.other
          WHERE po.other NOT IN (SELECT other FROM hubs) AND po.other <> n.num AND pn.other <> o.num
          GROUP BY ALL HAVING count(*) >= ?)
        SELECT c.old, c.new, c.shared, o.contacts, n.contacts, o.first_t, o.last_t, n.first_t, n.last_t,
               o.events, n.events, c.ev,
               EXISTS (SELECT 1 FROM _ps_pairs d WHERE d.num = c.old AND d.other = c.new) AS talked
        FROM cand c JOIN _ps_nums o ON o.num = c.old JOIN _ps_nums n ON n.num = c.new
        """, [hub_limit, max_overlap_days, max_gap_days, min_shared]).fetchall()
    for t in ("_ps_events", "_ps_pairs", "_ps_nums"):
        cur.execute(f"DROP TABLE IF EXISTS {t}")
    progress(0.7, "scoring")
    res = Resolver(case)
    out = []
    for (old, new, shared, c_old, c_new, of, ol, nf, nl, _e_old, _e_new, ev, talked) in rows:
        if talked:
            continue
        overlap = shared / max(1, min(c_old, c_new))
        if overlap < min_overlap:
            continue
        gap_days = (nf - ol).total_seconds() / 86400.0
        score = overlap * (1 - 0.5 * max(0.0, gap_days) / max_gap_days) if max_gap_days > 0 else overlap
        out.append({"old": old, "new": new, "score": round(score, 3), "shared_contacts": int(shared),
                    "old_contacts": int(c_old), "new_contacts": int(c_new),
                    "old_first_seen": _iso(of), "old_last_seen": _iso(ol), "new_first_seen": _iso(nf),
                    "new_last_seen": _iso(nl), "gap_days": round(gap_days, 2),
                    "evidence": [{"contact": e["contact"], "old_events": int(e["old_n"]),
                                  "old_last": _iso(e["old_last"]), "new_events": int(e["new_n"]),
                                  "new_first": _iso(e["new_first"])} for e in ev[:20]]})
    out.sort(key=lambda r: (-r["score"], -r["shared_contacts"], r["old"], r["new"]))
    out = out[:top]
    refs = res.refs([r["old"] for r in out] + [r["new"] for r in out])
    for r in out:
        o, n = refs[r["old"]], refs[r["new"]]
        r["old_holder"] = o if o["bundle_id"] else None
        r["new_holder"] = n if n["bundle_id"] else None
        same = o["bundle_id"] and (o["id"], o["bundle_id"]) == (n["id"], n["bundle_id"])
        r["explanation"] = (
            f"{r['old']} last seen {r['old_last_seen'][:10]}, {r['new']} first seen {r['new_first_seen'][:10]} "
            f"({r['gap_days']:g} days later); {r['shared_contacts']} of {min(r['old_contacts'], r['new_contacts'])} "
            f"contacts shared; the two never talked to each other"
            + ("; both numbers held by the same person in the evidence" if same else ""))
    progress(1.0, f"{len(out)} candidate switch(es)")
    return out


# -- co-location -------------------------------------------------------------------------------
_LOCATED = """
SELECT coalesce(m.root, c.caller_e164) AS subj, c.caller_e164 AS seen_as, c.start_utc AS t,
       CASE WHEN c.cell_id IS NOT NULL THEN 'cell ' || c.cell_id
            WHEN c.lat IS NOT NULL THEN 'near ' || round(c.lat, 3)::VARCHAR || ',' || round(c.lon, 3)::VARCHAR END AS loc,
       'call' AS how, c.source_id, c.source_row FROM calls c
LEFT JOIN _co_owner m ON m.value = c.caller_e164
WHERE c.start_utc IS NOT NULL AND c.caller_e164 IS NOT NULL AND (c.cell_id IS NOT NULL OR c.lat IS NOT NULL)
UNION ALL
SELECT coalesce(s.subject_entity_id::VARCHAR, m.root, s.subject_norm, s.subject), s.subject, s.time_utc,
       CASE WHEN s.place IS NOT NULL THEN 'place ' || lower(trim(s.place))
            WHEN s.lat IS NOT NULL THEN 'near ' || round(s.lat, 3)::VARCHAR || ',' || round(s.lon, 3)::VARCHAR END,
       'sighting', s.source_id, s.source_row FROM sightings s
LEFT JOIN _co_owner m ON m.value = s.subject_norm
WHERE s.time_utc IS NOT NULL AND (s.place IS NOT NULL OR s.lat IS NOT NULL)
"""


def _owner_view(cur, name: str) -> None:
    """value -> owning entity id as text, for values exactly one entity holds."""
    cur.execute(
        f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT value_norm AS value, min(owner_entity_id)::VARCHAR AS root "
        "FROM identifiers WHERE owner_entity_id IS NOT NULL AND value_norm IS NOT NULL GROUP BY value_norm "
        "HAVING count(DISTINCT owner_entity_id) = 1")


def _subject_refs(res: Resolver, subjects: list[str]) -> dict[str, dict[str, Any]]:
    ents = res.entities([int(s) for s in subjects if s is not None and s.isdigit()])
    out = {}
    others = [s for s in subjects if not (s and s.isdigit() and int(s) in ents)]
    refs = res.refs(others)
    for s in subjects:
        if s and s.isdigit() and int(s) in ents:
            out[s] = ents[int(s)]
        else:
            r = refs.get(s, {"id": s, "bundle_id": None, "name": None})
            out[s] = {"id": r["id"], "bundle_id": r["bundle_id"], "name": r["name"]}
    return out


def colocation(case, window_minutes: float = 30.0, min_times: int = 3, top: int = 50,
               progress: Progress = NULL) -> list[dict[str, Any]]:
    """Pairs of subjects seen at the same cell / place / ~100 m spot within ``window_minutes``,
    on at least ``min_times`` separate occasions (distinct place and hour)."""
    cur = case.cursor()
    _owner_view(cur, "_co_owner")
    w = int(window_minutes * 60)
    progress(0.1, "located events")
    cur.execute(f"CREATE OR REPLACE TEMP TABLE _co_ev AS SELECT *, epoch(t)::BIGINT // {max(1, w)} AS b "
                f"FROM ({_LOCATED}) WHERE loc IS NOT NULL")
    rows = cur.execute(
        """
        WITH pairs AS (
          SELECT x.subj AS a, y.subj AS b, x.loc, least(x.t, y.t) AS t, x.t AS ta, y.t AS tb, x.how AS how_a,
                 y.how AS how_b, x.source_id AS sa, x.source_row AS ra, y.source_id AS sb, y.source_row AS rb
          -- an equality join on (place, time bucket): each y stands in its own bucket and both
          -- neighbours (a range condition on the bucket made a join on the place alone, which
          -- compared every two calls of a cell: beyond 300 s on 3 million calls)
          FROM _co_ev x JOIN (SELECT *, unnest([b - 1, b, b + 1]) AS near FROM _co_ev) y
            ON x.loc = y.loc AND x.b = y.near AND x.subj < y.subj
          WHERE abs(epoch(x.t) - epoch(y.t)) <= ?),
        -- occasions counted first; the evidence is gathered only for the pairs that qualify
        -- (gathering it for the 3.8 million pairs of a 3-million-call case took a minute and 8 GB)
        keep AS (
          SELECT a, b FROM (SELECT DISTINCT a, b, loc, date_trunc('hour', t) FROM pairs)
          GROUP BY a, b HAVING count(*) >= ?),
        occ AS (
          SELECT p.a, p.b, p.loc, date_trunc('hour', p.t) AS hr, min(p.t) AS t,
                 arg_min(struct_pack(ta := p.ta, tb := p.tb, how_a := p.how_a, how_b := p.how_b, sa := p.sa,
                                     ra := p.ra, sb := p.sb, rb := p.rb), p.t) AS ev
          FROM pairs p SEMI JOIN keep k ON p.a = k.a AND p.b = k.b GROUP BY ALL)
        SELECT a, b, count(*) AS times, count(DISTINCT loc) AS places, list(struct_pack(loc := loc, t := t, ev := ev)
               ORDER BY t) AS occasions
        FROM occ GROUP BY a, b HAVING count(*) >= ? ORDER BY times DESC, places DESC, a, b LIMIT ?
        """, [w, min_times, min_times, top]).fetchall()
    cur.execute("DROP TABLE IF EXISTS _co_ev")
    cur.execute("DROP VIEW IF EXISTS _co_owner")
    res = Resolver(case)
    refs = _subject_refs(res, [r[0] for r in rows] + [r[1] for r in rows])
    out = []
    for a, b, times, places, occ in rows:
        out.append({
            "pattern": "colocation", "entities": [refs[a], refs[b]], "times": int(times), "places": int(places),
            "score": int(times),
            "evidence": [{"where": o["loc"], "time_utc": _iso(o["t"]), "a_seen_utc": _iso(o["ev"]["ta"]),
                          "b_seen_utc": _iso(o["ev"]["tb"]), "a_by": o["ev"]["how_a"], "b_by": o["ev"]["how_b"],
                          "a_source": [o["ev"]["sa"], o["ev"]["ra"]], "b_source": [o["ev"]["sb"], o["ev"]["rb"]]}
                         for o in occ[:30]],
            "explanation": f"together on {times} occasions at {places} place(s), each time within "
                           f"{window_minutes:g} minutes of each other"})
    progress(1.0, f"{len(out)} co-located pair(s)")
    return out


# -- co-travel ---------------------------------------------------------------------------------
def cotravel(case, min_trips: int = 2, top: int = 50, progress: Progress = NULL) -> list[dict[str, Any]]:
    """Pairs of travellers on the same voyage (carrier + voyage + day) or the same crossing
    (kind + from + to + day) at least ``min_trips`` times."""
    cur = case.cursor()
    _owner_view(cur, "_ct_owner")
    rows = cur.execute(
        """
        WITH t AS (
          SELECT coalesce(tr.person_entity_id::VARCHAR, m.root, tr.document_norm, tr.person) AS subj,
                 tr.document_norm AS doc,
                 CASE WHEN tr.voyage IS NOT NULL
                      THEN coalesce(tr.carrier, '') || ' ' || tr.voyage
                      ELSE tr.kind || ' ' || coalesce(tr.place_from, '?') || ' → ' || coalesce(tr.place_to, '?') END
                   || ' on ' || strftime(tr.time_utc, '%Y-%m-%d') AS trip,
                 tr.time_utc, tr.source_id, tr.source_row
          FROM travel tr LEFT JOIN _ct_owner m ON m.value = tr.document_norm
          WHERE tr.time_utc IS NOT NULL),
        -- Pairs are counted on integers first, among travellers on at least min_trips voyages:
        -- a ferry of hundreds makes a pair of every two of them, and few of those pairs repeat.
        st AS (SELECT DISTINCT subj, trip FROM t WHERE subj IN
                 (SELECT subj FROM t GROUP BY subj HAVING count(DISTINCT trip) >= ?)),
        n AS (SELECT subj, trip, dense_rank() OVER (ORDER BY subj) AS si, dense_rank() OVER (ORDER BY trip) AS ti
              FROM st),
        c AS (SELECT x.si AS ai, y.si AS bi FROM n x JOIN n y ON x.ti = y.ti AND x.si < y.si
              GROUP BY ALL HAVING count(*) >= ?),
        cs AS (SELECT a.subj AS a, b.subj AS b FROM c
               JOIN (SELECT DISTINCT si, subj FROM n) a ON a.si = c.ai
               JOIN (SELECT DISTINCT si, subj FROM n) b ON b.si = c.bi),
        p AS (
          SELECT x.subj AS a, y.subj AS b, x.trip, min(x.time_utc) AS t,
                 list(DISTINCT [x.source_id, x.source_row]) || list(DISTINCT [y.source_id, y.source_row]) AS rows
          FROM cs JOIN t x ON x.subj = cs.a JOIN t y ON y.subj = cs.b AND y.trip = x.trip
          -- a person and a travel document that person holds are one traveller, not two
          WHERE NOT EXISTS (SELECT 1 FROM identifiers i WHERE (i.value_norm = x.doc
                              AND i.owner_entity_id::VARCHAR = y.subj) OR (i.value_norm = y.doc
                              AND i.owner_entity_id::VARCHAR = x.subj))
          GROUP BY ALL)
        SELECT a, b, count(*) AS trips, list(struct_pack(trip := trip, t := t, rows := rows) ORDER BY t) AS ev
        FROM p GROUP BY a, b HAVING count(*) >= ? ORDER BY trips DESC, a, b LIMIT ?
        """, [min_trips, min_trips, min_trips, top]).fetchall()
    cur.execute("DROP VIEW IF EXISTS _ct_owner")
    refs = _subject_refs(Resolver(case), [r[0] for r in rows] + [r[1] for r in rows])
    out = [{"pattern": "cotravel", "entities": [refs[a], refs[b]], "trips": int(n), "score": int(n),
            "evidence": [{"trip": e["trip"], "time_utc": _iso(e["t"]), "source_rows": e["rows"]} for e in ev],
            "explanation": f"travelled together {n} times ({', '.join(e['trip'] for e in ev[:3])}"
                           + (", …" if len(ev) > 3 else "") + ")"}
           for a, b, n, ev in rows]
    progress(1.0, f"{len(out)} pair(s) travelling together")
    return out


# -- money flows -------------------------------------------------------------------------------
def _transfers(cur) -> pa.Table:
    t = cur.sql(
        f"SELECT {ACCOUNT_NORM.format('from_account')} AS src, {ACCOUNT_NORM.format('to_account')} AS dst, "
        "amount::DOUBLE AS amount, upper(coalesce(currency, '')) AS currency, time_utc, source_id, source_row "
        "FROM transfers WHERE from_account IS NOT NULL AND to_account IS NOT NULL AND amount > 0 "
        "ORDER BY time_utc, source_id, source_row").to_arrow_table()
    return t.append_column("rid", pa.array(np.arange(t.num_rows), pa.int64()))


def money_cycles(tx: pa.Table, tolerance: float = 0.05, max_days: float = 90.0, min_length: int = 3,
                 max_length: int = 12, progress: Progress = NULL) -> list[dict[str, Any]]:
    """Money that comes back: groups of accounts whose transfers of about the same amount
    (within ``tolerance``) form a closed loop within ``max_days``.

    Amounts are put into logarithmic bands of width ``tolerance``; in each pair of adjacent
    bands the transfers form a graph whose strongly connected parts of ``min_length`` to
    ``max_length`` accounts are loops of similar amounts."""
    ig = _igraph()
    if tx.num_rows == 0:
        return []
    src = tx["src"].to_numpy(zero_copy_only=False)
    dst = tx["dst"].to_numpy(zero_copy_only=False)
    amount = tx["amount"].to_numpy(zero_copy_only=False).astype(float)
    times = tx["time_utc"].to_numpy(zero_copy_only=False)
    band = np.floor(np.log(amount) / math.log1p(tolerance)).astype(np.int64)
    found: dict[frozenset, dict[str, Any]] = {}
    bands = np.unique(band)
    for i, b in enumerate(bands):
        if i % 20 == 0:
            progress(i / len(bands), "loops of similar amounts")
        idx = np.nonzero((band == b) | (band == b + 1))[0]
        if len(idx) < min_length:
            continue
        names, inv = np.unique(np.concatenate([src[idx], dst[idx]]), return_inverse=True)
        e = inv.reshape(2, -1).T
        g = ig.Graph(n=len(names), edges=e.tolist(), directed=True)
        for comp in g.connected_components(mode="strong"):
            if not (min_length <= len(comp) <= max_length):
                continue
            accounts = frozenset(names[comp].tolist())
            if accounts in found:
                continue
            members = set(comp)
            sel = [int(idx[k]) for k in range(len(idx)) if e[k, 0] in members and e[k, 1] in members]
            ts = times[sel]
            span = (ts.max() - ts.min()) / np.timedelta64(1, "D")
            if span > max_days:
                continue
            found[accounts] = {"rows": sel, "span_days": float(span)}
    out = []
    for accounts, f in found.items():
        rows = f["rows"]
        amounts = amount[rows]
        out.append({"pattern": "cycle", "accounts": sorted(accounts), "transfers": len(rows),
                    "score": round(len(accounts) * len(rows) / (1 + f["span_days"]), 3),
                    "amount_min": round(float(amounts.min()), 2), "amount_max": round(float(amounts.max()), 2),
                    "span_days": round(f["span_days"], 2), "rows": rows,
                    "explanation": f"{len(accounts)} accounts pass about {amounts.min():,.2f}–{amounts.max():,.2f} "
                                   f"round in a closed loop ({len(rows)} transfers in {f['span_days']:.1f} days)"})
    out.sort(key=lambda r: (-r["score"], r["accounts"]))
    return out


def _successor_pairs(cur, amount_low: float, amount_high: float, after_days: float,
                     before_days: float = 0.0) -> np.ndarray:
    """Pairs (i, j) of transfers where j leaves the account i arrived at, with an amount between
    ``amount_low`` and ``amount_high`` times i's, from ``before_days`` before to ``after_days`` after i."""
    after = int(after_days * 86400 * 1_000_000)
    before = int(before_days * 86400 * 1_000_000)
    t = cur.sql(
        f"SELECT a.rid AS i, b.rid AS j FROM _mf_tx a JOIN _mf_tx b ON b.src = a.dst AND b.rid <> a.rid "
        f"AND b.dst <> a.dst AND b.currency = a.currency "
        f"AND b.time_utc >= a.time_utc - to_microseconds({before}) "
        f"AND b.time_utc <= a.time_utc + to_microseconds({after}) "
        f"AND b.amount >= a.amount * {float(amount_low)!r} AND b.amount <= a.amount * {float(amount_high)!r}"
    ).to_arrow_table()
    return np.column_stack([t["i"].to_numpy(), t["j"].to_numpy()]).astype(np.int64) if t.num_rows else \
        np.zeros((0, 2), dtype=np.int64)


def temporal_cycles(cur, tx: pa.Table, fee: float = 0.05, hop_days: float = 7.0, min_length: int = 3,
                    max_length: int = 6, progress: Progress = NULL) -> list[dict[str, Any]]:
    """Money sent round and back: chains A→B→…→A where each transfer follows the previous one
    within ``hop_days`` and carries between (1 − ``fee``) and 100.1% of its amount."""
    if tx.num_rows == 0:
        return []
    src = tx["src"].to_pylist()
    dst = tx["dst"].to_pylist()
    amount = tx["amount"].to_numpy(zero_copy_only=False).astype(float)
    secs = tx["time_utc"].cast(pa.timestamp("us")).cast(pa.int64()).to_numpy(zero_copy_only=False) // 1_000_000
    progress(0.1, "money sent round")
    pairs = _successor_pairs(cur, 1 - fee, 1.001, hop_days)
    succ: dict[int, list[int]] = defaultdict(list)
    for i, j in pairs.tolist():
        succ[i].append(j)
    found: dict[frozenset, dict[str, Any]] = {}
    for e0 in sorted(succ):
        start = src[e0]
        stack = [[e0]]
        while stack:
            path = stack.pop()
            seen = {src[x] for x in path}
            for j in succ.get(path[-1], ()):
                w = dst[j]
                if w == start and len(path) + 1 >= min_length:
                    accounts = frozenset(src[x] for x in path + [j])
                    f = found.setdefault(accounts, {"rows": set(), "rounds": 0, "first": int(secs[e0]),
                                                    "last": int(secs[j])})
                    f["rows"].update(path + [j])
                    f["rounds"] += 1
                    f["first"] = min(f["first"], int(secs[e0]))
                    f["last"] = max(f["last"], int(secs[j]))
                elif w not in seen and len(path) + 1 < max_length:
                    stack.append(path + [j])
    result = []
    for accounts, f in found.items():
        rows = sorted(f["rows"], key=lambda r: (secs[r], r))
        amounts = amount[rows]
        span = (f["last"] - f["first"]) / 86400
        result.append({"pattern": "cycle", "accounts": sorted(accounts), "transfers": len(rows),
                       "rounds": f["rounds"], "score": round(len(accounts) * len(rows) / (1 + span), 3),
                       "amount_min": round(float(amounts.min()), 2), "amount_max": round(float(amounts.max()), 2),
                       "span_days": round(span, 2), "rows": rows,
                       "explanation": f"money sent round {len(accounts)} accounts and back "
                                      f"{f['rounds']} time(s): {amounts.max():,.2f} shrinking to "
                                      f"{amounts.min():,.2f} (each hop within {hop_days:g} days, "
                                      f"at most {fee:.0%} kept per hop)"})
    result.sort(key=lambda r: (-r["score"], r["accounts"]))
    return result


def relay_chains(cur, tx: pa.Table, tolerance: float = 0.001, max_days: float = 90.0, max_accounts: int = 50,
                 progress: Progress = NULL) -> list[dict[str, Any]]:
    """Layering: the same amount (within ``tolerance``) passed on along at least three transfers —
    A→B→C→D, each leaving the account the previous one reached, within ``max_days`` of it."""
    ig = _igraph()
    if tx.num_rows == 0:
        return []
    progress(0.1, "relay chains")
    pairs = _successor_pairs(cur, 1 - tolerance, 1 + tolerance, max_days, max_days)
    if not len(pairs):
        return []
    middle = np.intersect1d(pairs[:, 0], pairs[:, 1])   # transfers with one before and one after
    if not len(middle):
        return []
    src = tx["src"].to_numpy(zero_copy_only=False)
    dst = tx["dst"].to_numpy(zero_copy_only=False)
    amount = tx["amount"].to_numpy(zero_copy_only=False).astype(float)
    times = tx["time_utc"].to_numpy(zero_copy_only=False)
    ids, inv = np.unique(pairs, return_inverse=True)
    g = ig.Graph(n=len(ids), edges=inv.reshape(-1, 2).tolist(), directed=False)
    has_middle = np.isin(ids, middle)
    out = []
    for comp in g.connected_components():
        if not has_middle[comp].any():
            continue
        rows = sorted(ids[comp].tolist(), key=lambda r: (times[r], r))
        accounts = sorted(set(src[rows].tolist()) | set(dst[rows].tolist()))
        if len(accounts) > max_accounts:
            continue
        amounts = amount[rows]
        span = float((times[rows].max() - times[rows].min()) / np.timedelta64(1, "D"))
        out.append({"pattern": "relay-chain", "accounts": accounts, "transfers": len(rows),
                    "score": round(len(accounts) * len(rows) / (1 + span), 3),
                    "amount_min": round(float(amounts.min()), 2), "amount_max": round(float(amounts.max()), 2),
                    "span_days": round(span, 2), "rows": rows,
                    "explanation": f"about {amounts.min():,.2f} passed on along {len(accounts)} accounts "
                                   f"({len(rows)} transfers in {span:.1f} days)"})
    out.sort(key=lambda r: (-r["score"], r["accounts"]))
    return out


def fan_accounts(cur, direction: str = "in", window_days: float = 3.0, min_transfers: int = 5,
                 min_counterparties: int = 2) -> list[dict[str, Any]]:
    """Accounts receiving (fan-in) or sending (fan-out) at least ``min_transfers`` transfers with
    at least ``min_counterparties`` different accounts within ``window_days``."""
    acct, other = ("dst", "src") if direction == "in" else ("src", "dst")
    micros = int(window_days * 86400 * 1_000_000)
    rows = cur.execute(
        f"""
        WITH w AS (
          SELECT {acct} AS acct, time_utc,
                 count(*) OVER win AS n, count(DISTINCT {other}) OVER win AS k, sum(amount) OVER win AS total
          FROM _mf_tx WINDOW win AS (PARTITION BY {acct} ORDER BY time_utc
               RANGE BETWEEN CURRENT ROW AND to_microseconds({micros}) FOLLOWING)),
        best AS (
          SELECT acct, arg_max(time_utc, n * 1000000 + k) AS start, max(n) AS n, max(k) AS k,
                 arg_max(total, n * 1000000 + k) AS total
          FROM w WHERE n >= ? AND k >= ? GROUP BY acct)
        SELECT b.acct, b.start, b.n, b.k, b.total,
               (SELECT list(struct_pack(other := x.{other}, amount := x.amount, currency := x.currency,
                                        t := x.time_utc, source_id := x.source_id, source_row := x.source_row)
                            ORDER BY x.time_utc)
                FROM _mf_tx x WHERE x.{acct} = b.acct AND x.time_utc >= b.start
                  AND x.time_utc <= b.start + to_microseconds({micros})) AS ev
        FROM best b ORDER BY b.n DESC, b.k DESC, b.acct
        """, [min_transfers, min_counterparties]).fetchall()
    word = "received" if direction == "in" else "sent"
    return [{"pattern": f"fan-{direction}", "account": a, "transfers": int(n), "counterparties": int(k),
             "total": round(float(total), 2), "window_start_utc": _iso(t), "score": int(n),
             "counterparty_accounts": sorted({e["other"] for e in ev}),
             "evidence": [{"other": e["other"], "amount": e["amount"], "currency": e["currency"],
                           "time_utc": _iso(e["t"]), "source": [e["source_id"], e["source_row"]]} for e in ev[:50]],
             "explanation": f"{word} {n} transfers {'from' if direction == 'in' else 'to'} {k} accounts "
                            f"within {window_days:g} days from {_iso(t)[:10]}"}
            for a, t, n, k, total, ev in rows]


def structuring(cur, thresholds: dict[str, float] | None = None, margin: float = 0.1, min_count: int = 3,
                window_days: float = 7.0) -> list[dict[str, Any]]:
    """Accounts sending — or receiving, as with cash deposits — at least ``min_count`` transfers of
    amounts within ``margin`` below the reporting threshold of their currency within ``window_days``."""
    return (_structuring(cur, "src", thresholds, margin, min_count, window_days)
            + _structuring(cur, "dst", thresholds, margin, min_count, window_days))


def _structuring(cur, side: str, thresholds: dict[str, float] | None, margin: float, min_count: int,
                 window_days: float) -> list[dict[str, Any]]:
    other = "dst" if side == "src" else "src"
    thresholds = {k.upper(): float(v) for k, v in (thresholds or DEFAULT_THRESHOLDS).items()}
    if not thresholds:
        return []
    cur.register("_mf_thr", pa.table({"currency": list(thresholds), "thr": list(thresholds.values())}))
    micros = int(window_days * 86400 * 1_000_000)
    rows = cur.execute(
        f"""
        WITH near AS (
          SELECT x.*, t.thr FROM _mf_tx x JOIN _mf_thr t ON t.currency = x.currency
          WHERE x.amount < t.thr AND x.amount >= t.thr * (1 - ?)),
        w AS (SELECT {side} AS acct, currency, thr, time_utc, count(*) OVER win AS n FROM near
              WINDOW win AS (PARTITION BY {side}, currency ORDER BY time_utc
                             RANGE BETWEEN CURRENT ROW AND to_microseconds({micros}) FOLLOWING)),
        best AS (SELECT acct, currency, any_value(thr) AS thr, arg_max(time_utc, n) AS start, max(n) AS n
                 FROM w WHERE n >= ? GROUP BY acct, currency)
        SELECT b.acct, b.currency, b.thr, b.start, b.n,
               (SELECT list(struct_pack(other := x.{other}, amount := x.amount, t := x.time_utc,
                                        source_id := x.source_id, source_row := x.source_row) ORDER BY x.time_utc)
                FROM near x WHERE x.{side} = b.acct AND x.currency = b.currency AND x.time_utc >= b.start
                  AND x.time_utc <= b.start + to_microseconds({micros})) AS ev
        FROM best b ORDER BY b.n DESC, b.acct
        """, [margin, min_count]).fetchall()
    cur.unregister("_mf_thr")
    return [{"pattern": "structuring", "account": a, "currency": cur_, "threshold": thr, "transfers": int(n),
             "score": int(n), "window_start_utc": _iso(t),
             "counterparty_accounts": sorted({e["other"] for e in ev}),
             "evidence": [{"other": e["other"], "amount": e["amount"], "time_utc": _iso(e["t"]),
                           "source": [e["source_id"], e["source_row"]]} for e in ev[:50]],
             "side": "sent" if side == "src" else "received",
             "explanation": f"{'sent' if side == 'src' else 'received'} {n} transfers just under the {cur_} {thr:,.0f} reporting threshold "
                            f"(within {margin:.0%}) in {window_days:g} days"}
            for a, cur_, thr, t, n, ev in rows]


def pass_through(cur, hours: float = 48.0, min_ratio: float = 0.8, min_count: int = 2) -> list[dict[str, Any]]:
    """Accounts that, at least ``min_count`` times, send on between ``min_ratio`` and 105% of what
    they received in the ``hours`` before (one payment in and out, or many gathered and sent on)."""
    micros = int(hours * 3600 * 1_000_000)
    rows = cur.execute(
        f"""
        WITH ev AS (
          SELECT dst AS acct, currency, time_utc, amount AS inflow, 0::DOUBLE AS outflow, src AS other,
                 source_id, source_row, 0 AS is_out FROM _mf_tx
          UNION ALL
          SELECT src, currency, time_utc, 0::DOUBLE, amount, dst, source_id, source_row, 1 FROM _mf_tx),
        w AS (
          SELECT *, sum(inflow) OVER win AS recent_in, sum(CASE WHEN inflow > 0 THEN 1 ELSE 0 END) OVER win AS n_in
          FROM ev WINDOW win AS (PARTITION BY acct, currency ORDER BY time_utc
                                 RANGE BETWEEN to_microseconds({micros}) PRECEDING AND CURRENT ROW)),
        hits AS (SELECT * FROM w WHERE is_out = 1 AND recent_in > 0 AND outflow >= ? * recent_in
                 AND outflow <= 1.05 * recent_in)
        SELECT acct, count(*) AS n, sum(recent_in), sum(outflow),
               list(struct_pack(to_acct := other, amount_out := outflow, received := recent_in, n_in := n_in,
                                t_out := time_utc, so := source_id, ro := source_row) ORDER BY time_utc) AS ev
        FROM hits GROUP BY acct HAVING count(*) >= ? ORDER BY n DESC, acct
        """, [min_ratio, min_count]).fetchall()
    return [{"pattern": "pass-through", "account": a, "times": int(n), "score": int(n),
             "total_in": round(float(ti), 2), "total_out": round(float(to), 2),
             "counterparty_accounts": sorted({e["to_acct"] for e in ev}),
             "evidence": [{"to": e["to_acct"], "amount_out": e["amount_out"], "received_before": e["received"],
                           "payments_received": int(e["n_in"]), "out_utc": _iso(e["t_out"]),
                           "source_out": [e["so"], e["ro"]]} for e in ev[:50]],
             "explanation": f"{n} times sent on {min_ratio:.0%}–105% of what it had received in the "
                            f"{hours:g} hours before"}
            for a, n, ti, to, ev in rows]


MONEY_PATTERNS = ("cycle", "relay-chain", "fan-in", "fan-out", "structuring", "pass-through")


def money_flows(case, which: tuple[str, ...] = MONEY_PATTERNS,
                thresholds: dict[str, float] | None = None, cycle_tolerance: float = 0.02,
                chain_tolerance: float = 0.001, cycle_fee: float = 0.05, cycle_hop_days: float = 7.0,
                cycle_days: float = 90.0, fan_window_days: float = 3.0, fan_min_transfers: int = 5,
                fan_min_counterparties: int = 2, structuring_margin: float = 0.1, structuring_min: int = 3,
                structuring_days: float = 7.0, pass_hours: float = 48.0, pass_ratio: float = 0.8,
                pass_min: int = 2, top: int | None = 100, progress: Progress = NULL) -> list[dict[str, Any]]:
    """Every money-flow pattern asked for, each result with its accounts, holders and evidence."""
    cur = case.cursor()
    progress(0.0, "transfers")
    tx = _transfers(cur)
    cur.register("_mf_tx", tx)
    out: list[dict[str, Any]] = []
    try:
        cyc = []
        if "cycle" in which:
            cyc += temporal_cycles(cur, tx, cycle_fee, cycle_hop_days, progress=progress.sub(0.05, 0.2))
            seen = {frozenset(c["accounts"]) for c in cyc}
            cyc += [c for c in money_cycles(tx, cycle_tolerance, cycle_days, progress=progress.sub(0.2, 0.3))
                    if frozenset(c["accounts"]) not in seen]
        if "relay-chain" in which:
            seen = {frozenset(c["accounts"]) for c in cyc}
            cyc += [c for c in relay_chains(cur, tx, chain_tolerance, cycle_days, progress=progress.sub(0.3, 0.5))
                    if frozenset(c["accounts"]) not in seen]
        if cyc:
            src = tx["source_id"].to_pylist()
            srow = tx["source_row"].to_pylist()
            for c in cyc:
                rows = c.pop("rows")
                c["evidence"] = [{"from": tx["src"][r].as_py(), "to": tx["dst"][r].as_py(),
                                  "amount": tx["amount"][r].as_py(), "currency": tx["currency"][r].as_py(),
                                  "time_utc": _iso(tx["time_utc"][r].as_py()), "source": [src[r], srow[r]]}
                                 for r in rows[:50]]
            for kind in ("cycle", "relay-chain"):
                found = [c for c in cyc if c["pattern"] == kind]
                out.extend(found[:top] if top else found)
        progress.check()
        progress(0.55, "fan-in and fan-out")
        for d in ("in", "out"):
            if f"fan-{d}" in which:
                r = fan_accounts(cur, d, fan_window_days, fan_min_transfers, fan_min_counterparties)
                out.extend(r[:top] if top else r)
        progress.check()
        progress(0.75, "structuring")
        if "structuring" in which:
            r = structuring(cur, thresholds, structuring_margin, structuring_min, structuring_days)
            out.extend(r[:top] if top else r)
        progress(0.85, "pass-through")
        if "pass-through" in which:
            r = pass_through(cur, pass_hours, pass_ratio, pass_min)
            out.extend(r[:top] if top else r)
    finally:
        cur.unregister("_mf_tx")
    res = Resolver(case)
    accounts = [a for r in out for a in (r.get("accounts") or [r["account"]])]
    refs = res.refs(accounts)
    for r in out:
        accs = r.get("accounts") or [r["account"]]
        r["entities"] = [{k: v for k, v in refs[a].items() if k != "identifier"} | {"account": a} for a in accs]
    progress(1.0, f"{len(out)} money-flow finding(s)")
    return out


def flagged_accounts(findings: list[dict[str, Any]], with_counterparties: bool = True) -> dict[str, set[str]]:
    """Accounts each kind of finding points at (for precision / recall against ground truth)."""
    out: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        accs = set(f.get("accounts") or [f["account"]])
        if with_counterparties and f["pattern"] in ("fan-in", "fan-out", "structuring"):
            accs |= set(f.get("counterparty_accounts", []))
        out[f["pattern"]] |= accs
    return out


# -- hotspots -----------------------------------------------------------------------------------
def hotspots(case, cell_km: float = 1.0, kinds: tuple[str, ...] = ("incidents", "sightings"), top: int = 10,
             since=None, until=None, progress: Progress = NULL) -> list[dict[str, Any]]:
    """Grid cells of ``cell_km`` with the most incidents and sightings, each named by the place
    most often written there, with how far above the average occupied cell it stands
    (z = (count − mean) / √mean, a Poisson yardstick)."""
    bad = [k for k in kinds if k not in ("incidents", "sightings")]
    if bad:
        raise LintasError(f"hotspots count incidents and sightings, not {', '.join(bad)}")
    if cell_km <= 0:
        raise LintasError("cell size must be above 0 km")
    cur = case.cursor()
    deg = cell_km / 111.32
    parts = []
    if "incidents" in kinds:
        parts.append("SELECT 'incident' AS what, kind, lat, lon, place, time_utc, source_id, source_row, id "
                     "FROM incidents")
    if "sightings" in kinds:
        parts.append("SELECT 'sighting', kind, lat, lon, place, time_utc, source_id, source_row, subject "
                     "FROM sightings")
    rows = cur.execute(
        f"""
        WITH ev AS (SELECT * FROM ({' UNION ALL '.join(parts)}) WHERE lat IS NOT NULL AND lon IS NOT NULL
                    AND (? IS NULL OR time_utc >= ?) AND (? IS NULL OR time_utc < ?)),
        g AS (SELECT floor(lat / ?)::BIGINT AS gy, floor(lon / ?)::BIGINT AS gx, * FROM ev)
        SELECT gy, gx, count(*) AS n, avg(lat), avg(lon), mode(place) FILTER (WHERE place IS NOT NULL),
               list(DISTINCT coalesce(kind, what)), histogram(coalesce(kind, what)),
               list(struct_pack(what := what, id := id, t := time_utc, source_id := source_id,
                                source_row := source_row) ORDER BY time_utc)[1:20]
        FROM g GROUP BY gy, gx ORDER BY n DESC, gy, gx
        """, [since, since, until, until, deg, deg]).fetchall()
    if not rows:
        return []
    counts = np.array([r[2] for r in rows], dtype=float)
    mean = counts.mean()
    total = counts.sum()
    out = []
    for gy, gx, n, lat, lon, place, _kinds, hist, ev in rows[:top]:
        z = (n - mean) / math.sqrt(mean) if mean > 0 else 0.0
        name = place or f"{lat:.4f}, {lon:.4f}"
        out.append({"pattern": "hotspot", "place": name, "lat": round(lat, 5), "lon": round(lon, 5),
                    "cell": {"south": round(gy * deg, 5), "west": round(gx * deg, 5), "size_km": cell_km},
                    "count": int(n), "share": round(n / total, 4), "z": round(z, 2), "score": round(z, 2),
                    "by_kind": {str(k): int(v) for k, v in (hist or {}).items()},
                    "entities": [],
                    "evidence": [{"what": e["what"], "id": e["id"], "time_utc": _iso(e["t"]),
                                  "source": [e["source_id"], e["source_row"]]} for e in ev],
                    "explanation": f"{n} events in a {cell_km:g} km cell at {name} ({n / total:.0%} of all; "
                                   f"{abs(z):.1f} standard deviations {'above' if z >= 0 else 'below'} the "
                                   f"{mean:.1f} of an average occupied cell)"})
    progress(1.0, f"{len(out)} hotspot(s)")
    return out


def find_patterns(case, which: str, progress: Progress = NULL, **options) -> list[dict[str, Any]]:
    if which == "phone-switch":
        return phone_switches(case, progress=progress, **options)
    if which == "colocation":
        return colocation(case, progress=progress, **options)
    if which == "cotravel":
        return cotravel(case, progress=progress, **options)
    if which == "money":
        return money_flows(case, progress=progress, **options)
    if which == "hotspots":
        return hotspots(case, progress=progress, **options)
    raise LintasError(f"unknown pattern {which!r}; choose from {', '.join(PATTERNS)}")
