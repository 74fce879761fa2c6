"""Time: networks per week / month / phase, how each person's rank moves, timelines, heatmaps.

``slice_periods`` cuts the case's time span into periods; ``rank_movement``
ranks every node of each period's network on one measure (degree by default,
undirected distinct contacts) and follows each person across periods — the
leader of each period comes out of it.  ``timeline`` lists every dated event
that involves an entity (through the identifiers it holds) with its source and
row; ``activity_heatmap`` counts events by weekday and hour in a chosen time zone.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from workstation.errors import LintasError
from workstation.progress import NULL, Progress

from .graph import ACCOUNT_NORM, Network, Scope, build_network, find_node
from .metrics import betweenness
from .vocabulary import DEFAULT_TZ  # noqa: F401  (re-exported; listed by the CLI without this module)

log = logging.getLogger(__name__)

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Period:
    label: str
    start: datetime    # inclusive, UTC
    end: datetime      # exclusive, UTC


def parse_every(text: str) -> tuple[int, str]:
    """``week``, ``month``, ``quarter``, ``2w``, ``2m``, ``3months`` → (count, unit)."""
    t = text.strip().lower()
    named = {"week": (1, "w"), "month": (1, "m"), "quarter": (3, "m"), "day": (1, "d")}
    if t in named:
        return named[t]
    m = re.fullmatch(r"(\d+)\s*(d|days?|w|weeks?|m|months?)", t)
    if not m or int(m.group(1)) < 1:
        raise LintasError(f"period {text!r}: write week, month, quarter or N days/weeks/months (e.g. 2m)")
    return int(m.group(1)), m.group(2)[0]


def _add_months(d: datetime, k: int) -> datetime:
    y, mo = divmod(d.month - 1 + k, 12)
    return d.replace(year=d.year + y, month=mo + 1, day=1)


def periods_between(first: datetime, last: datetime, every: str) -> list[Period]:
    count, unit = parse_every(every)
    if unit == "m":
        start = first.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        step = lambda d: _add_months(d, count)  # noqa: E731
        fmt = "%Y-%m"
    else:
        start = first.replace(hour=0, minute=0, second=0, microsecond=0)
        if unit == "w":
            start -= timedelta(days=start.weekday())
        days = count * (7 if unit == "w" else 1)
        step = lambda d: d + timedelta(days=days)  # noqa: E731
        fmt = "%G-W%V" if unit == "w" else "%Y-%m-%d"
    out = []
    while start <= last:
        end = step(start)
        out.append(Period(start.strftime(fmt), start, end))
        start = end
        if len(out) > 10_000:
            raise LintasError("more than 10,000 periods; choose a longer period")
    return out


def case_time_span(case, ties: tuple[str, ...] = ("calls", "messages", "transfers", "cotravel")):
    cur = case.cursor()
    parts = []
    if "calls" in ties:
        parts.append("SELECT start_utc AS t FROM calls")
    if "messages" in ties:
        parts.append("SELECT time_utc FROM messages")
    if "transfers" in ties:
        parts.append("SELECT time_utc FROM transfers")
    if "cotravel" in ties:
        parts.append("SELECT time_utc FROM travel")
    if not parts:
        return None, None
    return cur.execute(f"SELECT min(t), max(t) FROM ({' UNION ALL '.join(parts)})").fetchall()[0]


def phases_from(text: str) -> list[Period]:
    """Phases an analyst names by their boundaries: ``2026-01-01,2026-03-01,2026-06-01`` gives
    phase 1 (January–February) and phase 2 (March–May)."""
    try:
        cuts = [datetime.fromisoformat(x.strip()) for x in text.split(",") if x.strip()]
    except ValueError as e:
        raise LintasError(f"phases {text!r}: give the boundaries as dates, e.g. 2026-01-01,2026-03-01,2026-06-01") \
            from e
    if len(cuts) < 2 or cuts != sorted(cuts) or len(set(cuts)) != len(cuts):
        raise LintasError(f"phases {text!r}: give at least two increasing dates")
    return [Period(f"phase {i + 1}", a, b) for i, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False))]


def slice_periods(case, every: str = "month", scope: Scope | None = None) -> list[Period]:
    """Periods of ``every`` (week, month, quarter, N days/weeks/months) over the case's time span,
    or the phases given by their boundary dates (comma-separated)."""
    if "," in every:
        return phases_from(every)
    scope = scope or Scope()
    first, last = case_time_span(case, scope.ties)
    if first is None:
        raise LintasError("the case has no dated ties to slice by time")
    if scope.since:
        first = max(first, scope.since)
    if scope.until:
        last = min(last, scope.until - timedelta(microseconds=1))
    return periods_between(first, last, every)


def rank_movement(networks: list[tuple[str, Network]], measure: str = "degree", top: int = 10,
                  progress: Progress = NULL) -> dict[str, Any]:
    """Rank nodes in each network on ``measure`` and follow them across the periods."""
    if measure not in ("degree", "betweenness", "strength"):
        raise LintasError(f"measure {measure!r}: choose degree, betweenness or strength")
    per_period = []
    people: dict[str, dict[str, Any]] = {}
    for i, (label, net) in enumerate(networks):
        progress(i / max(1, len(networks)), f"period {label}")
        u = net.undirected()
        n = u.vcount()
        if measure == "degree":
            values = np.asarray(u.degree(), dtype=float)
        elif measure == "strength":
            values = np.asarray(u.strength(weights="weight"), dtype=float) if u.ecount() else np.zeros(n)
        else:
            values = betweenness(u)[0]
        order = np.lexsort((np.arange(n), -values)) if n else np.zeros(0, dtype=int)
        ranks = np.empty(n, dtype=np.int64)
        ranks[order] = np.arange(1, n + 1)
        leaders = []
        for v in order[:top].tolist():
            r = net.node_ref(v)
            leaders.append({"rank": int(ranks[v]), "id": r["id"], "bundle_id": r["bundle_id"],
                            "name": r["name"], measure: _clean(values[v])})
        per_period.append({"period": label, "nodes": n, "edges": u.ecount(), "leaders": leaders})
        for v in range(n):
            key = net.graph.vs[v]["key"]
            p = people.setdefault(key, {**{k: x for k, x in net.node_ref(v).items() if k != "kind"},
                                        "ranks": {}, "values": {}})
            p["ranks"][label] = int(ranks[v])
            p["values"][label] = _clean(values[v])
    labels = [lab for lab, _ in networks]
    movers = []
    for p in people.values():
        seen = [p["ranks"][lab] for lab in labels if lab in p["ranks"]]
        p["best_rank"] = min(seen)
        p["periods_present"] = len(seen)
        p["rise"] = (seen[0] - seen[-1]) if len(seen) > 1 else 0
        movers.append(p)
    movers.sort(key=lambda p: (p["best_rank"], -p["periods_present"], str(p["id"])))
    changes = []
    prev = None
    for per in per_period:
        lead = per["leaders"][0]["id"] if per["leaders"] else None
        if prev is not None and lead != prev:
            changes.append({"period": per["period"], "from": prev, "to": lead})
        prev = lead
    progress(1.0, "periods ranked")
    return {"measure": measure, "periods": per_period, "people": movers[: max(top * 3, top)],
            "leader_changes": changes,
            "explanation": f"rank by {measure} in each period's network (1 = highest); "
                           f"{len(changes)} change(s) of leader"}


def time_sliced(case, every: str = "month", scope: Scope | None = None, measure: str = "degree",
                top: int = 10, progress: Progress = NULL) -> dict[str, Any]:
    """Build one network per period of the case and follow ranks across them."""
    scope = scope or Scope()
    periods = slice_periods(case, every, scope)
    nets = []
    for i, p in enumerate(periods):
        progress(0.8 * i / len(periods), f"network of {p.label}")
        s = Scope(ties=scope.ties, since=p.start, until=p.end, seeds=(), hops=scope.hops, weight=scope.weight)
        nets.append((p.label, build_network(case, s)))
    out = rank_movement(nets, measure, top, progress.sub(0.8, 1.0))
    out["every"] = every
    return out


def _clean(x) -> float | int:
    x = float(x)
    return int(x) if x.is_integer() else round(x, 6)


# -- timelines ----------------------------------------------------------------------------------
def _entity_values(case, ref: str) -> tuple[dict[str, Any], list[str]]:
    """The identifier values of an entity (by id as written, BUNDLE/ID or name), or the value itself."""
    cur = case.cursor()
    bundle = None
    local = ref
    if "/" in ref:
        bundle, _, local = ref.rpartition("/")
    rows = cur.execute(
        "SELECT e.entity_id, e.local_id, e.name, s.bundle_id FROM entities e "
        "LEFT JOIN sources s USING (source_id) WHERE (e.local_id = ? OR lower(e.name) = lower(?)) "
        "AND (? IS NULL OR s.bundle_id = ?)", [local, local, bundle, bundle]).fetchall()
    if len(rows) > 1:
        raise LintasError(f"{ref!r} names {len(rows)} entities; write BUNDLE_ID/ID")
    if not rows:
        return {"id": ref, "bundle_id": None, "name": None}, [ref]
    eid, local_id, name, bundle_id = rows[0]
    # The entity and everything judged the same as it.
    ids = {int(eid)}
    pairs = cur.execute("SELECT entity_a, entity_b FROM judgements WHERE verdict = 'same' "
                        "AND undone_utc IS NULL").fetchall()
    changed = True
    while changed:
        changed = False
        for a, b in pairs:
            if (a in ids) != (b in ids):
                ids.update((int(a), int(b)))
                changed = True
    values = [r[0] for r in cur.execute(
        "SELECT DISTINCT value_norm FROM identifiers WHERE owner_entity_id IN "
        f"({', '.join('?' * len(ids))}) AND value_norm IS NOT NULL", sorted(ids)).fetchall()]
    return {"id": local_id, "bundle_id": bundle_id, "name": name, "entity_ids": sorted(ids)}, values


def timeline(case, ref: str, since: datetime | None = None, until: datetime | None = None,
             limit: int = 10_000) -> dict[str, Any]:
    """Dated events involving an entity or a number, oldest first, each with source and row."""
    who, values = _entity_values(case, ref)
    ents = who.get("entity_ids", [])
    cur = case.cursor()
    cur.register("_tl_values", pa.table({"v": pa.array(values, pa.string())}))
    cur.register("_tl_ents", pa.table({"e": pa.array(ents, pa.int64())}))
    acc = ACCOUNT_NORM
    sql = f"""
    SELECT * FROM (
      SELECT start_utc AS time_utc, 'call' AS event,
             CASE WHEN caller_e164 IN (SELECT v FROM _tl_values) THEN 'to ' || coalesce(callee_e164, callee)
                  ELSE 'from ' || coalesce(caller_e164, caller) END
             || coalesce(' (' || duration_s::BIGINT || ' s)', '') AS detail,
             source_id, source_row FROM calls
      WHERE caller_e164 IN (SELECT v FROM _tl_values) OR callee_e164 IN (SELECT v FROM _tl_values)
         OR caller IN (SELECT v FROM _tl_values) OR callee IN (SELECT v FROM _tl_values)
      UNION ALL
      SELECT time_utc, 'message',
             CASE WHEN sender_norm IN (SELECT v FROM _tl_values) THEN 'to ' || recipient_norm
                  ELSE 'from ' || sender_norm END || coalesce(' via ' || app, ''), source_id, source_row
      FROM messages WHERE sender_norm IN (SELECT v FROM _tl_values) OR recipient_norm IN (SELECT v FROM _tl_values)
      UNION ALL
      SELECT time_utc, 'transfer',
             CASE WHEN {acc.format('from_account')} IN (SELECT v FROM _tl_values)
                  THEN 'sent ' || amount::VARCHAR || coalesce(' ' || currency, '') || ' to ' || to_account
                  ELSE 'received ' || amount::VARCHAR || coalesce(' ' || currency, '') || ' from ' || from_account
             END, source_id, source_row
      FROM transfers WHERE {acc.format('from_account')} IN (SELECT v FROM _tl_values)
         OR {acc.format('to_account')} IN (SELECT v FROM _tl_values)
      UNION ALL
      SELECT time_utc, 'travel', kind || coalesce(' ' || place_from, '') || coalesce(' → ' || place_to, '')
             || coalesce(' on ' || carrier, '') || coalesce(' ' || voyage, ''), source_id, source_row
      FROM travel WHERE person_entity_id IN (SELECT e FROM _tl_ents) OR document_norm IN (SELECT v FROM _tl_values)
      UNION ALL
      SELECT time_utc, 'sighting', coalesce(kind || ' ', '') || 'at ' || coalesce(place, lat::VARCHAR || ',' ||
             lon::VARCHAR, '?'), source_id, source_row
      FROM sightings WHERE subject_entity_id IN (SELECT e FROM _tl_ents) OR subject_norm IN (SELECT v FROM _tl_values)
    ) ev LEFT JOIN (SELECT source_id, bundle_id FROM sources) s USING (source_id)
    WHERE (? IS NULL OR time_utc >= ?) AND (? IS NULL OR time_utc < ?)
    ORDER BY time_utc, source_id, source_row LIMIT ?"""
    tbl = cur.sql(sql, params=[since, since, until, until, limit + 1]).to_arrow_table()
    cur.unregister("_tl_values")
    cur.unregister("_tl_ents")
    truncated = tbl.num_rows > limit
    tbl = tbl.slice(0, limit)
    events = [{"time_utc": r["time_utc"].isoformat() + "Z" if r["time_utc"] else None, "event": r["event"],
               "detail": r["detail"], "source_id": r["source_id"], "bundle_id": r["bundle_id"],
               "source_row": r["source_row"]} for r in tbl.to_pylist()]
    return {"who": {k: v for k, v in who.items() if k != "entity_ids"}, "identifiers": values,
            "events": events, "truncated": truncated}


def activity_heatmap(case, ref: str | None = None, tz: str = DEFAULT_TZ,
                     kinds: tuple[str, ...] = ("calls", "messages", "transfers")) -> dict[str, Any]:
    """Counts of events by weekday (rows, Monday first) and hour (columns) in time zone ``tz``."""
    cur = case.cursor()
    parts = []
    values: list[str] = []
    if ref is not None:
        _, values = _entity_values(case, ref)
    cur.register("_hm_values", pa.table({"v": pa.array(values, pa.string())}))
    where = {
        "calls": ("start_utc", "caller_e164 IN (SELECT v FROM _hm_values) OR callee_e164 IN (SELECT v FROM _hm_values)"),
        "messages": ("time_utc", "sender_norm IN (SELECT v FROM _hm_values) OR recipient_norm IN "
                                 "(SELECT v FROM _hm_values)"),
        "transfers": ("time_utc", f"{ACCOUNT_NORM.format('from_account')} IN (SELECT v FROM _hm_values) OR "
                                  f"{ACCOUNT_NORM.format('to_account')} IN (SELECT v FROM _hm_values)"),
        "incidents": ("time_utc", "FALSE"),
        "sightings": ("time_utc", "subject_norm IN (SELECT v FROM _hm_values)"),
    }
    for k in kinds:
        if k not in where:
            raise LintasError(f"kind {k!r}: choose from {', '.join(where)}")
        col, cond = where[k]
        parts.append(f"SELECT {col} AS t FROM {k}" + (f" WHERE {cond}" if ref is not None else ""))
    sql = (f"SELECT isodow(lt) - 1 AS d, hour(lt) AS h, count(*) FROM (SELECT timezone(?, t AT TIME ZONE 'UTC') "
           f"AS lt FROM ({' UNION ALL '.join(parts)}) WHERE t IS NOT NULL) GROUP BY ALL")
    try:
        rows = cur.execute(sql, [tz]).fetchall()
    except Exception as e:
        raise LintasError(f"time zone {tz!r}: {e}") from e
    finally:
        cur.unregister("_hm_values")
    grid = np.zeros((7, 24), dtype=np.int64)
    for d, h, c in rows:
        grid[int(d), int(h)] = c
    total = int(grid.sum())
    busiest = np.unravel_index(int(grid.argmax()), grid.shape) if total else None
    return {"ref": ref, "tz": tz, "kinds": list(kinds), "weekdays": list(WEEKDAYS), "counts": grid.tolist(),
            "total": total,
            "busiest": {"weekday": WEEKDAYS[busiest[0]], "hour": int(busiest[1]),
                        "count": int(grid[busiest])} if busiest else None}


__all__ = ["Period", "activity_heatmap", "find_node", "periods_between", "rank_movement", "slice_periods",
           "time_sliced", "timeline"]
