"""``lintas network | keyplayers | paths | patterns | forecast | chart``: thin commands over the library.

JSON output (``--json``) is stable:

* ``keyplayers --json``: a ranked array of ``{"rank", "id", "bundle_id", "name", "score", "score_parts",
  "metrics": {"degree", "betweenness", "closeness", "pagerank", …}, "reasons": [...]}``
  (``--full`` adds the method, brokers and fragmentation in an object);
* ``patterns CASE phone-switch --json``: ``{"old", "new", "score", "evidence", …}`` best first; the
  other patterns: objects with ``pattern``, ``entities`` (id as written + bundle_id, or the number),
  ``score``, ``evidence`` and ``explanation``;
* ``network --json``: the summary (or the periods with ``--every``, the events with ``--timeline``,
  the counts with ``--heatmap``); ``paths --json``: the paths; ``forecast --json``: the forecast with
  its backtest.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from workstation.case import Case
from workstation.cli import emit, progress_bar
from workstation.errors import LintasError

from .graph import TIES, WEIGHTS, Scope


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        d = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as e:
        raise LintasError(f"{text!r}: write a date or time as YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)") from e
    if d.tzinfo is not None:
        from datetime import UTC

        d = d.astimezone(UTC).replace(tzinfo=None)
    return d


def _ties(text: str | None) -> tuple[str, ...]:
    if not text:
        return TIES
    return tuple(t.strip() for t in text.split(",") if t.strip())


def scope_from(a) -> Scope:
    return Scope(ties=_ties(a.ties), since=_when(a.since), until=_when(a.until), seeds=tuple(a.around or ()),
                 hops=a.hops, weight=a.weight)


def _add_scope(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ties", help=f"kinds of tie, comma-separated (default all: {','.join(TIES)})")
    p.add_argument("--since", help="only ties from this UTC date/time on (YYYY-MM-DD[THH:MM])")
    p.add_argument("--until", help="only ties before this UTC date/time")
    p.add_argument("--around", action="append", metavar="REF",
                   help="only the network around this entity / number (repeatable)")
    p.add_argument("--hops", type=int, default=1, help="how many steps around --around (default 1)")
    p.add_argument("--weight", choices=WEIGHTS, default="count",
                   help="edge weight: number of ties, call seconds, transferred amount, or none")


def _open(path: str) -> Case:
    return Case.open(path, read_only=True)


def _run(fn, *args, **kw):
    bar = progress_bar()
    try:
        return fn(*args, progress=bar, **kw)
    finally:
        bar.close()


# -- network -----------------------------------------------------------------------------------
def _summary(case, a) -> dict[str, Any]:
    from .graph import build_network
    from .metrics import compute_metrics

    net = _run(build_network, case, scope_from(a))
    m = _run(compute_metrics, net, weighted=a.weighted)
    t = m.table

    def top_by(col: str) -> list[dict[str, Any]]:
        vals = t[col].to_pylist()
        if all(v is None for v in vals):
            return []   # not computed on a network this large (see notes)
        order = sorted(range(len(vals)), key=lambda i: (-(vals[i] if vals[i] is not None and vals[i] == vals[i]
                                                           else -1), i))[: a.top]
        return [{"id": t["id"][i].as_py(), "bundle_id": t["bundle_id"][i].as_py(), "name": t["name"][i].as_py(),
                 col: round(vals[i], 6) if isinstance(vals[i], float) else vals[i]} for i in order]

    return {"scope": net.scope.to_json(), "nodes": net.n, "edges": net.undirected().ecount(),
            "directed_edges": net.m,
            "communities": [{"community": i + 1, "size": len(c),
                             "members": [net.node_ref(v)["id"] for v in c[:10]]}
                            for i, c in enumerate(m.communities[: a.top])],
            "modularity": round(m.modularity, 4),
            "bridges": len(m.bridges), "articulation_points": [net.node_ref(v)["id"] for v in m.articulation][:50],
            "betweenness": m.betweenness_method,
            "top": {"degree": top_by("degree"), "betweenness": top_by("betweenness"),
                    "pagerank": top_by("pagerank"), "closeness": top_by("closeness"),
                    "coreness": top_by("coreness")},
            "notes": net.notes + m.notes}


def _summary_text(s: dict[str, Any]) -> str:
    lines = [f"network: {s['nodes']:,} nodes, {s['edges']:,} ties ({s['directed_edges']:,} directed); "
             f"{len(s['communities'])}+ communities (modularity {s['modularity']}); {s['bridges']} bridges; "
             f"{len(s['articulation_points'])} cut points",
             f"betweenness: {s['betweenness']['method']}"
             + (f", ±{s['betweenness']['error_bound']:.3f}" if s["betweenness"].get("pivots") else "")]
    for k, rows in s["top"].items():
        lines.append(f"top by {k}: " + ", ".join(f"{r['name'] or r['id']} ({r[k]})" for r in rows))
    lines += [f"note: {n}" for n in s["notes"]]
    return "\n".join(lines)


def cmd_network(a) -> int:
    from . import timeslice

    with _open(a.path) as case:
        if a.every:
            data = _run(timeslice.time_sliced, case, a.every, scope_from(a), a.measure, a.top)
            text = "\n".join([data["explanation"]] + [
                f"{p['period']}: " + ", ".join(f"{x['rank']}. {x['name'] or x['id']} ({x[data['measure']]})"
                                               for x in p["leaders"][:5]) for p in data["periods"]])
        elif a.timeline:
            data = timeslice.timeline(case, a.timeline, _when(a.since), _when(a.until))
            text = "\n".join([f"{data['who'].get('name') or data['who']['id']}: {len(data['events'])} events"] + [
                f"{e['time_utc']}  {e['event']:<9} {e['detail']}  [source {e['source_id']} row {e['source_row']}]"
                for e in data["events"]])
        elif a.heatmap:
            data = timeslice.activity_heatmap(case, a.ref, a.tz)
            text = "\n".join([f"events by weekday and hour ({data['tz']}), {data['total']} in all"] + [
                f"{d}  " + " ".join(f"{c:>3}" for c in row) for d, row in zip(data["weekdays"], data["counts"],
                                                                                  strict=True)])
        else:
            data = _summary(case, a)
            text = _summary_text(data)
    emit(data, a.json, text)
    return 0


# -- key players -------------------------------------------------------------------------------
def cmd_keyplayers(a) -> int:
    from .graph import build_network
    from .keyplayers import key_players, parse_weights

    weights = parse_weights(a.weights)
    with _open(a.path) as case:
        net = _run(build_network, case, scope_from(a))
    kp = _run(key_players, net, weights=weights, top=a.top, weighted=a.weighted, pivots=a.pivots,
              exact=True if a.exact else None)
    data: Any = kp.to_json() if a.full else kp.players

    def text() -> str:
        lines = [f"method: {kp.method['score']}", f"betweenness: {kp.method['betweenness']['method']}"]
        for p in kp.players:
            lines.append(f"{p['rank']:>3}. {p['name'] or p['id']}  [{p['id']}, {p['bundle_id'] or 'no bundle'}]  "
                         f"score {p['score']:.3f}")
            lines += [f"       - {r}" for r in p["reasons"]]
        if kp.fragmentation:
            lines.append("who, if removed, breaks the network most:")
            lines += [f"   {f['name'] or f['id']}: fragmentation {f['fragmentation_before']:.2f} → "
                      f"{f['fragmentation_after']:.2f}" for f in kp.fragmentation[:5]]
        lines += [f"note: {n}" for n in kp.notes]
        return "\n".join(lines)

    emit(data, a.json, text)
    return 0


# -- paths -------------------------------------------------------------------------------------
def cmd_paths(a) -> int:
    from .graph import build_network
    from .metrics import shortest_paths

    with _open(a.path) as case:
        net = _run(build_network, case, scope_from(a))
    data = shortest_paths(net, a.a, a.b, max_extra=a.extra, limit=a.limit, directed=a.directed)

    def text() -> str:
        lines = [data["explanation"]]
        for p in data["paths"]:
            lines.append(f"  ({p['length']}) " + " → ".join(n["name"] or n["id"] for n in p["nodes"]))
        return "\n".join(lines)

    emit(data, a.json, text)
    return 0


# -- patterns ----------------------------------------------------------------------------------
def _thresholds(items: list[str] | None) -> dict[str, float] | None:
    if not items:
        return None
    from .patterns import DEFAULT_THRESHOLDS

    out = dict(DEFAULT_THRESHOLDS)
    for it in items:
        cur, sep, amt = it.partition("=")
        try:
            out[cur.strip().upper()] = float(amt)
        except ValueError as e:
            raise LintasError(f"--threshold {it!r}: write CURRENCY=AMOUNT, e.g. IDR=500000000") from e
        if not sep:
            raise LintasError(f"--threshold {it!r}: write CURRENCY=AMOUNT, e.g. IDR=500000000")
    return out


def cmd_patterns(a) -> int:
    from . import patterns

    with _open(a.path) as case:
        if a.pattern == "phone-switch":
            data = _run(patterns.phone_switches, case, max_gap_days=a.max_gap_days, min_shared=a.min_shared,
                        top=a.top)
        elif a.pattern == "colocation":
            data = _run(patterns.colocation, case, window_minutes=a.window_minutes, min_times=a.min_times,
                        top=a.top)
        elif a.pattern == "cotravel":
            data = _run(patterns.cotravel, case, min_trips=a.min_trips, top=a.top)
        elif a.pattern == "money":
            which = tuple(x.strip() for x in a.money.split(",")) if a.money else patterns.MONEY_PATTERNS
            bad = [w for w in which if w not in patterns.MONEY_PATTERNS]
            if bad:
                raise LintasError(f"--money {','.join(bad)}: choose from {', '.join(patterns.MONEY_PATTERNS)}")
            data = _run(patterns.money_flows, case, which=which, thresholds=_thresholds(a.threshold),
                        fan_window_days=a.fan_days, fan_min_transfers=a.fan_min, top=a.top)
        else:
            data = _run(patterns.hotspots, case, cell_km=a.cell_km, top=a.top)

    def text() -> str:
        if not data:
            return "nothing found with these thresholds"
        lines = []
        for i, r in enumerate(data, start=1):
            head = f"{r['old']} → {r['new']}" if a.pattern == "phone-switch" else r.get("pattern", a.pattern)
            lines.append(f"{i:>3}. {head}  score {r['score']}: {r.get('explanation', '')}")
        return "\n".join(lines)

    emit(data, a.json, text)
    return 0


# -- forecast ----------------------------------------------------------------------------------
def cmd_forecast(a) -> int:
    from . import forecast

    with _open(a.path) as case:
        if a.risk:
            data = _run(forecast.risk_indicators, case, top=a.top)
            text = "\n".join([data["method"]] + [
                f"{p['score']:>3}  {p['name'] or p['id']} [{p['id']}, {p['bundle_id']}]: "
                + "; ".join(f"{f['factor']} (+{f['points']})" for f in p["factors"]) for p in data["people"]])
        else:
            data = _run(forecast.forecast_incidents, case, horizon=a.horizon, holdout=a.holdout, area=a.area,
                        cell_km=a.cell_km, top=a.top)
            text = "\n".join([f"method: {data['method']}", data["explanation"]] + [
                f"{f['area']} · {f['kind']}: " + ", ".join(f"{w['week']} {w['count']:.1f} [{w['low']:.1f}–"
                                                            f"{w['high']:.1f}]" for w in f["weeks"])
                + f"  (backtest MAE {f['backtest_mae']}, baseline {f['baseline_mae']})" for f in data["forecasts"]])
    emit(data, a.json, text)
    return 0


# -- chart -------------------------------------------------------------------------------------
def cmd_chart(a) -> int:
    from .charts import make_chart, save

    with _open(a.path) as case:
        fig = make_chart(case, a.kind, ref=a.ref, scope=scope_from(a), every=a.every or "month", tz=a.tz, top=a.top)
    out = save(fig, a.out)
    emit({"chart": a.kind, "out": str(out)}, a.json, f"{a.kind} chart written to {out}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from .vocabulary import CHARTS, DEFAULT_TZ, PATTERNS

    p = sub.add_parser("network", help="the network of a case: size, communities, top nodes by each measure; "
                                       "or time slices, a timeline, an activity heatmap")
    p.add_argument("path", help="the case file")
    _add_scope(p)
    p.add_argument("--top", type=int, default=10, help="how many to list (default 10)")
    p.add_argument("--weighted", action="store_true", help="use tie weights in the measures")
    p.add_argument("--every", help="time slices: week, month, quarter, N days/weeks/months (e.g. 2m), or "
                                   "phases by their boundary dates (2026-01-01,2026-03-01,2026-06-01)")
    p.add_argument("--measure", choices=("degree", "betweenness", "strength"), default="degree",
                   help="the measure ranked in each time slice (default degree)")
    p.add_argument("--timeline", metavar="REF", help="the timeline of events of this entity or number")
    p.add_argument("--heatmap", action="store_true", help="events by weekday and hour (whole case or --ref)")
    p.add_argument("--ref", help="the entity or number of the heatmap")
    p.add_argument("--tz", default=DEFAULT_TZ, help=f"time zone of the heatmap (default {DEFAULT_TZ})")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_network)

    p = sub.add_parser("keyplayers", help="rank the key players of the network, with reasons")
    p.add_argument("path", help="the case file")
    _add_scope(p)
    p.add_argument("--top", type=int, default=20, help="how many to rank (default 20)")
    p.add_argument("--weights", help="the combination, e.g. betweenness=0.4,degree=0.3,pagerank=0.2,closeness=0.1")
    p.add_argument("--weighted", action="store_true", help="use tie weights (distance = 1/weight)")
    p.add_argument("--pivots", type=int, default=128,
                   help="random pivots for betweenness on large networks (default 128)")
    p.add_argument("--exact", action="store_true", help="exact betweenness however large the network")
    p.add_argument("--full", action="store_true", help="JSON object with method, brokers and fragmentation")
    p.add_argument("--json", action="store_true", help="print JSON (a ranked array)")
    p.set_defaults(func=cmd_keyplayers)

    p = sub.add_parser("paths", help="shortest and other short paths between two entities or numbers")
    p.add_argument("path", help="the case file")
    p.add_argument("a", help="from: an entity id as written, BUNDLE_ID/ID, a name or a number")
    p.add_argument("b", help="to: an entity id as written, BUNDLE_ID/ID, a name or a number")
    _add_scope(p)
    p.add_argument("--extra", type=int, default=0, help="also paths up to this many steps longer")
    p.add_argument("--limit", type=int, default=20, help="at most this many paths (default 20)")
    p.add_argument("--directed", action="store_true", help="follow ties only in their direction")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_paths)

    p = sub.add_parser("patterns", help="phone switches, co-location, co-travel, money flows, hotspots")
    p.add_argument("path", help="the case file")
    p.add_argument("pattern", choices=PATTERNS, help="which pattern to look for")
    p.add_argument("--top", type=int, default=50, help="at most this many findings (per kind)")
    p.add_argument("--max-gap-days", type=float, default=30.0, help="phone switch: longest silence (days)")
    p.add_argument("--min-shared", type=int, default=2, help="phone switch: fewest shared contacts")
    p.add_argument("--window-minutes", type=float, default=30.0, help="co-location: time window (minutes)")
    p.add_argument("--min-times", type=int, default=3, help="co-location: fewest occasions")
    p.add_argument("--min-trips", type=int, default=2, help="co-travel: fewest shared trips")
    p.add_argument("--money", help="money: which of cycle,relay-chain,fan-in,fan-out,structuring,pass-through")
    p.add_argument("--threshold", action="append", metavar="CUR=AMOUNT",
                   help="money: reporting threshold of a currency for structuring (repeatable)")
    p.add_argument("--fan-days", type=float, default=3.0, help="money: fan-in/out window (days)")
    p.add_argument("--fan-min", type=int, default=5, help="money: fan-in/out fewest transfers in the window")
    p.add_argument("--cell-km", type=float, default=1.0, help="hotspots: grid cell size (km)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_patterns)

    p = sub.add_parser("forecast", help="incident counts for the next weeks, with the backtest; or risk indicators")
    p.add_argument("path", help="the case file")
    p.add_argument("--horizon", type=int, default=4, help="weeks ahead (default 4)")
    p.add_argument("--holdout", type=int, default=8, help="past weeks held out for the backtest (default 8)")
    p.add_argument("--area", choices=("place", "grid", "all"), default="place",
                   help="areas: the place as written, a grid, or all together")
    p.add_argument("--cell-km", type=float, default=5.0, help="grid cell size for --area grid (km)")
    p.add_argument("--top", type=int, default=20, help="at most this many areas / people")
    p.add_argument("--risk", action="store_true", help="per-person risk indicators (sums of named factors)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_forecast)

    p = sub.add_parser("chart", help="draw a figure of the analysis into a PNG, SVG or PDF file")
    p.add_argument("path", help="the case file")
    p.add_argument("kind", choices=CHARTS, help="which figure")
    p.add_argument("--out", required=True, help="the file to write (.png, .svg or .pdf)")
    _add_scope(p)
    p.add_argument("--ref", help="the entity or number (timeline, heatmap)")
    p.add_argument("--every", help="time slices of the ranks chart (default month)")
    p.add_argument("--tz", help="time zone of the heatmap")
    p.add_argument("--top", type=int, default=10, help="how many to show or name (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_chart)
