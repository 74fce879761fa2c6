"""Network benchmark (issue 5): key-player analysis of a 200,000-node / 1,000,000-edge network
built from a case, against networkx on the same graph in the same run; plus the accuracy of the
money-flow patterns on AMLSim.

The case holds one call for each of 1,000,000 distinct pairs of 200,000 numbers: 2,000 groups of
100 numbers, 85% of the pairs inside a group (a network with communities, as call networks have).

Lintas (``analysis``): build the network from the case (DuckDB → igraph), then ``key_players``:
degree, PageRank, Leiden communities, betweenness from 128 random pivots, brokers, fragmentation
of the top candidates.  Median of --repeat runs.
networkx (the baseline, one run, same graph): build from the same edge list, degree, PageRank,
Louvain communities (networkx has no Leiden of its own), betweenness from the same number of
pivots.  Ratio = networkx time / Lintas time (the issue asks for ≥ 20×, and Lintas < 60 s).

    .venv/bin/python tests/benchmarks/bench_network.py [--nodes 200000 --edges 1000000] [--repeat 3]
    .venv/bin/python tests/benchmarks/bench_network.py --amlsim      # precision / recall on AMLSim
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from analysis.graph import Scope, build_network  # noqa: E402
from analysis.keyplayers import key_players  # noqa: E402
from workstation.case import Case  # noqa: E402

PIVOTS = 128


def make_case(path: Path, nodes: int, edges: int) -> Case:
    case = Case.create(path, "Network benchmark")
    cur = case.cursor()
    with case.transaction(cur):
        cur.execute("INSERT INTO sources (source_id, format, importer, tlp, signature_status, imported_at, title) "
                    "VALUES (1, 'benchmark', 'benchmark', 'AMBER', 'unsigned', now(), 'synthetic calls')")
        group = 100
        cur.execute(f"""
            CREATE TEMP TABLE pairs AS
            WITH raw AS (
              SELECT i, hash(i, 'a') % {nodes} AS a,
                     CASE WHEN hash(i, 'k') % 100 < 85
                          THEN (hash(i, 'a') % {nodes}) // {group} * {group} + hash(i, 'b') % {group}
                          ELSE hash(i, 'c') % {nodes} END AS b
              FROM range({int(edges * 1.3)}) t(i))
            SELECT least(a, b) AS a, greatest(a, b) AS b, min(i) AS i FROM raw WHERE a <> b
            GROUP BY ALL ORDER BY i LIMIT {edges}""")
        cur.execute("""
            INSERT INTO calls (source_id, source_row, caller, caller_e164, callee, callee_e164, start, start_utc,
                               duration_s)
            SELECT 1, i + 2, '+628' || lpad(a::VARCHAR, 9, '0'), '+628' || lpad(a::VARCHAR, 9, '0'),
                   '+628' || lpad(b::VARCHAR, 9, '0'), '+628' || lpad(b::VARCHAR, 9, '0'),
                   '2026-01-01T00:00:00Z', TIMESTAMP '2026-01-01' + to_seconds(i % 8000000), 60 + i % 300
            FROM pairs""")
        n = cur.execute("SELECT count(*) FROM calls").fetchall()[0][0]
    print(f"case: {n:,} calls between {nodes:,} numbers ({path.stat().st_size / 1e6:.0f} MB)", flush=True)
    return case


def run_lintas(case) -> tuple[float, float, dict]:
    t0 = time.perf_counter()
    net = build_network(case, Scope(ties=("calls",)))
    t1 = time.perf_counter()
    kp = key_players(net, top=20, pivots=PIVOTS)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, {"nodes": net.n, "edges": net.undirected().ecount(), "kp": kp}


def run_networkx(case) -> dict[str, float]:
    import networkx as nx

    rows = case.cursor().execute("SELECT caller_e164, callee_e164 FROM calls").fetchall()
    t = {}
    t0 = time.perf_counter()
    g = nx.Graph()
    g.add_edges_from(rows)
    t["build"] = time.perf_counter() - t0
    del rows
    t0 = time.perf_counter()
    dict(g.degree())
    t["degree"] = time.perf_counter() - t0
    print(f"  networkx build {t['build']:.1f} s", flush=True)
    t0 = time.perf_counter()
    nx.pagerank(g)
    t["pagerank"] = time.perf_counter() - t0
    print(f"  networkx pagerank {t['pagerank']:.1f} s", flush=True)
    t0 = time.perf_counter()
    nx.community.louvain_communities(g, seed=1)
    t["communities"] = time.perf_counter() - t0
    print(f"  networkx louvain {t['communities']:.1f} s", flush=True)
    t0 = time.perf_counter()
    nx.betweenness_centrality(g, k=PIVOTS, seed=1)
    t["betweenness"] = time.perf_counter() - t0
    print(f"  networkx betweenness ({PIVOTS} pivots) {t['betweenness']:.1f} s", flush=True)
    return t


def bench_speed(nodes: int, edges: int, repeat: int, skip_networkx: bool) -> None:
    with tempfile.TemporaryDirectory() as d:
        case = make_case(Path(d) / "bench.lintas", nodes, edges)
        builds, analyses = [], []
        for r in range(repeat):
            b, a, info = run_lintas(case)
            builds.append(b)
            analyses.append(a)
            print(f"  lintas run {r + 1}: build {b:.1f} s, key players {a:.1f} s", flush=True)
        kp = info["kp"]
        lintas_total = statistics.median(x + y for x, y in zip(builds, analyses, strict=True))
        print(f"\nnetwork: {info['nodes']:,} nodes, {info['edges']:,} edges; "
              f"{kp.method['communities']}; betweenness ±{kp.method['betweenness']['error_bound']:.3f}")
        print(f"top key player: {kp.players[0]['id']} ({kp.players[0]['reasons'][0]})")
        nxt = None if skip_networkx else run_networkx(case)
        case.close()
    print(f"\n{'step':<36}{'lintas (median s)':>18}{'networkx (s)':>14}{'ratio':>8}")
    print(f"{'build network from case / edge list':<36}{statistics.median(builds):>18.2f}"
          + (f"{nxt['build']:>14.2f}{nxt['build'] / statistics.median(builds):>8.1f}" if nxt else ""))
    print(f"{'key players (all measures)':<36}{statistics.median(analyses):>18.2f}"
          + (f"{sum(v for k, v in nxt.items() if k != 'build'):>14.2f}"
             f"{sum(v for k, v in nxt.items() if k != 'build') / statistics.median(analyses):>8.1f}" if nxt else ""))
    nx_total = sum(nxt.values()) if nxt else None
    print(f"{'total':<36}{lintas_total:>18.2f}"
          + (f"{nx_total:>14.2f}{nx_total / lintas_total:>8.1f}" if nxt else ""))
    print(f"\nlintas under 60 s: {'yes' if lintas_total < 60 else 'NO'}"
          + (f"; at least 20x networkx: {'yes' if nx_total / lintas_total >= 20 else 'NO'}" if nxt else ""))


def bench_amlsim() -> None:
    from analysis.patterns import MONEY_PATTERNS, flagged_accounts, money_flows
    from tests.test_network_support import amlsim_case

    settings = {"default": {}, "fan 1 day, 5 transfers, 1 sender": {
        "fan_window_days": 1, "fan_min_transfers": 5, "fan_min_counterparties": 1}}
    print(f"{'set':<14}{'settings':<34}{'pattern':<14}{'flagged':>8}{'precision':>10}{'recall':>8}")
    with tempfile.TemporaryDirectory() as d:
        for name in ("20K_cycle200", "20K_fanin200"):
            case, truth = amlsim_case(Path(d) / f"{name}.lintas", name)
            fraud = {a for a, v in truth.items() if v == 1}
            for label, opts in settings.items():
                t0 = time.perf_counter()
                found = money_flows(case, which=MONEY_PATTERNS, top=None, **opts)
                took = time.perf_counter() - t0
                by = flagged_accounts(found, with_counterparties=False)
                for pat in MONEY_PATTERNS:
                    s = by.get(pat, set())
                    tp = len(s & fraud)
                    print(f"{name:<14}{label:<34}{pat:<14}{len(s):>8}{tp / max(1, len(s)):>10.3f}"
                          f"{tp / len(fraud):>8.3f}")
                print(f"{'':<14}{'':<34}{'(time)':<14}{took:>8.1f} s")
            case.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=200_000)
    ap.add_argument("--edges", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-networkx", action="store_true", help="skip the (slow) networkx baseline")
    ap.add_argument("--amlsim", action="store_true", help="precision / recall of money-flow patterns on AMLSim")
    a = ap.parse_args()
    if a.amlsim:
        bench_amlsim()
    else:
        bench_speed(a.nodes, a.edges, a.repeat, a.no_networkx)


if __name__ == "__main__":
    main()
