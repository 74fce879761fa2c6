"""Key players: who matters most in a network, and why — in words and numbers.

The ranking is a stated, adjustable sum: each chosen measure is divided by its
largest value in the network (so each lies in 0..1) and weighted; the weights are
the analyst's (``DEFAULT_WEIGHTS`` unless changed) and always printed with the
result.  Besides the score, each person gets reasons that say where they stand
("on 52% of shortest paths between other people", "links communities 1, 3 and 4",
"arresting them would split the network: …").

Brokers are people whose contacts sit in different communities: the number of
pairs of their contacts in different communities (who would have to go through
them), with Burt's constraint (low = many non-redundant contacts).

Fragmentation (Borgatti 2006) is F = 1 − Σ s_k(s_k − 1) / (n(n − 1)) over the
sizes s_k of the connected parts: 0 when everyone can reach everyone, 1 when no
one can.  The effect of removing a person is F without them minus F now — the
question an operation planner asks: who, if arrested, breaks the network most.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workstation.errors import LintasError
from workstation.progress import NULL, Progress

from .graph import Network
from .metrics import Metrics, compute_metrics

log = logging.getLogger(__name__)

DEFAULT_WEIGHTS = {"betweenness": 0.4, "degree": 0.3, "pagerank": 0.2, "closeness": 0.1}
MEASURES = ("betweenness", "degree", "pagerank", "closeness", "eigenvector", "strength", "coreness")


@dataclass
class KeyPlayerResult:
    players: list[dict[str, Any]]          # ranked, best first
    brokers: list[dict[str, Any]]
    fragmentation: list[dict[str, Any]]    # who, removed, breaks the network most
    method: dict[str, Any]
    metrics: Metrics
    notes: list[str] = field(default_factory=list)
    nodes: list[int] = field(default_factory=list)   # node index of each ranked player

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "players": self.players, "brokers": self.brokers,
                "fragmentation": self.fragmentation, "notes": self.notes}


def parse_weights(text: str | None) -> dict[str, float]:
    """``"betweenness=0.5,degree=0.5"`` → weights; unknown measures are refused."""
    if not text:
        return dict(DEFAULT_WEIGHTS)
    out: dict[str, float] = {}
    for part in text.split(","):
        name, sep, val = part.partition("=")
        name = name.strip()
        if not sep or name not in MEASURES:
            raise LintasError(f"weight {part!r}: write MEASURE=NUMBER with MEASURE one of {', '.join(MEASURES)}")
        try:
            out[name] = float(val)
        except ValueError as e:
            raise LintasError(f"weight {part!r}: {val!r} is not a number") from e
        if out[name] < 0:
            raise LintasError(f"weight {part!r}: weights are 0 or more")
    if not sum(out.values()) > 0:
        raise LintasError("at least one weight must be above 0")
    return out


def fragmentation_of(sizes: np.ndarray, n: int) -> float:
    if n <= 1:
        return 0.0
    sizes = np.asarray(sizes, dtype=float)
    return float(1.0 - (sizes * (sizes - 1)).sum() / (n * (n - 1)))


def pieces_without_each_cut_point(u) -> dict[int, list[int]]:
    """For every articulation point, the sizes of the pieces its connected part falls into when it
    is removed — all at once from the block-cut tree (Hopcroft–Tarjan blocks), in O(n + m)."""
    blocks, cut_points = u.biconnected_components(return_articulation_points=True)
    if not cut_points:
        return {}
    nb = len(blocks)
    ap_index = {v: nb + k for k, v in enumerate(cut_points)}
    weight = [0] * (nb + len(cut_points))
    adj: list[list[int]] = [[] for _ in range(nb + len(cut_points))]
    for b, members in enumerate(blocks):
        for v in members:
            t = ap_index.get(v)
            if t is None:
                weight[b] += 1          # a vertex inside one block only
            else:
                adj[b].append(t)
                adj[t].append(b)
    for t in ap_index.values():
        weight[t] = 1
    parent = [-1] * len(adj)
    seen = [False] * len(adj)
    subtree = list(weight)
    comp_total: dict[int, int] = {}
    root_of = [0] * len(adj)
    for r in range(len(adj)):
        if seen[r]:
            continue
        order = [r]
        seen[r] = True
        k = 0
        while k < len(order):
            x = order[k]
            k += 1
            for y in adj[x]:
                if not seen[y]:
                    seen[y] = True
                    parent[y] = x
                    order.append(y)
        for x in reversed(order):
            root_of[x] = r
            if parent[x] >= 0:
                subtree[parent[x]] += subtree[x]
        comp_total[r] = subtree[r]
    out: dict[int, list[int]] = {}
    for v, t in ap_index.items():
        pieces = [subtree[c] for c in adj[t] if parent[c] == t]
        if parent[t] >= 0:
            pieces.append(comp_total[root_of[t]] - subtree[t])
        out[v] = [p for p in pieces if p > 0]
    return out


def fragmentation_effects(net: Network, candidates: list[int] | None = None, limit: int | None = None,
                          progress: Progress = NULL) -> list[dict[str, Any]]:
    """For each node (or each candidate): fragmentation, parts and largest remaining part after
    removing them, best first (the first ``limit``) — exact for every node at the cost of one pass
    over the network."""
    u = net.undirected()
    n = u.vcount()
    if n == 0:
        return []
    progress(0.0, "fragmentation")
    comps = u.connected_components()
    base_sizes = np.asarray(comps.sizes(), dtype=np.int64)
    membership = np.asarray(comps.membership, dtype=np.int64)
    base = fragmentation_of(base_sizes, n)
    largest = int(base_sizes.max())
    total_pairs = float((base_sizes * (base_sizes - 1)).sum())
    # The largest other part when a node's own part is set aside: the top two sizes suffice.
    order = np.argsort(-base_sizes, kind="stable")
    first = base_sizes[order[0]]
    second = base_sizes[order[1]] if len(order) > 1 else 0
    s = base_sizes[membership].astype(float)
    other = np.where(membership == order[0], second, first) if len(order) > 1 else np.zeros(n)
    # A node that is no cut point: its part just loses it.
    own_after = np.where(s > 1, (s - 1) * (s - 2), 0.0)
    parts = len(base_sizes) - 1 + (s > 1).astype(np.int64)
    biggest = np.maximum(other, s - 1)
    for v, pieces in pieces_without_each_cut_point(u).items():
        own_after[v] = sum(p * (p - 1) for p in pieces)
        parts[v] = len(base_sizes) - 1 + len(pieces)
        biggest[v] = max([other[v]] + pieces)
    progress(0.8, "fragmentation")
    denom = (n - 1) * (n - 2)
    after = 1.0 - (total_pairs - s * (s - 1) + own_after) / denom if denom > 0 else np.zeros(n)
    effect = after - base
    nodes = np.arange(n) if candidates is None else np.asarray(candidates, dtype=np.int64)
    ranked = nodes[np.lexsort((nodes, biggest[nodes], -np.round(effect[nodes], 9)))]
    if limit is not None:
        ranked = ranked[:limit]
    return [{"node": int(v), "fragmentation_before": round(base, 6), "fragmentation_after": round(float(after[v]), 6),
             "effect": round(float(effect[v]), 6), "parts_after": int(parts[v]), "largest_part_before": largest,
             "largest_part_after": int(biggest[v])} for v in ranked.tolist()]


def broker_scores(net: Network, metrics: Metrics) -> tuple[np.ndarray, list[dict[int, int]]]:
    """Pairs of each node's contacts that lie in different communities, and the community counts."""
    u = net.undirected()
    n = u.vcount()
    comm = metrics.column("community")
    if not u.ecount():
        return np.zeros(n), [{} for _ in range(n)]
    e = np.asarray(u.get_edgelist(), dtype=np.int64)
    a = np.concatenate([e[:, 0], e[:, 1]])
    b = np.concatenate([e[:, 1], e[:, 0]])
    width = int(comm.max()) + 1
    codes, counts = np.unique(a * width + comm[b], return_counts=True)
    uniq = np.stack([codes // width, codes % width], axis=1)
    deg = np.bincount(a, minlength=n).astype(float)
    sq = np.bincount(uniq[:, 0], weights=counts.astype(float) ** 2, minlength=n)
    across = (deg ** 2 - sq) / 2.0
    spans: list[dict[int, int]] = [{} for _ in range(n)]
    # Only the nodes that do span communities need their counts spelled out.
    sel = np.nonzero(across[uniq[:, 0]] > 0)[0]
    for v, c, k in zip(uniq[sel, 0].tolist(), uniq[sel, 1].tolist(), counts[sel].tolist(), strict=True):
        spans[v][c] = k
    return across, spans


def _pct(x: float) -> str:
    p = 100 * x
    return f"{p:.0f}%" if p >= 10 else f"{p:.1f}%"


def _rank_of(values: np.ndarray) -> np.ndarray:
    """1 = largest; ties share the better rank."""
    v = np.nan_to_num(values, nan=-np.inf)
    order = np.argsort(-v, kind="stable")
    ranks = np.empty(len(v), dtype=np.int64)
    ranks[order] = np.arange(1, len(v) + 1)
    # Equal values share the smallest rank.
    sorted_v = v[order]
    first = np.r_[True, sorted_v[1:] != sorted_v[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(len(v)), 0))
    ranks[order] = start + 1
    return ranks


def key_players(net: Network, metrics: Metrics | None = None, weights: dict[str, float] | None = None,
                top: int = 20, weighted: bool = False, progress: Progress = NULL,
                **metric_options) -> KeyPlayerResult:
    """Rank the network's nodes by the stated combination of measures, with reasons."""
    weights = dict(weights or DEFAULT_WEIGHTS)
    if metrics is None:
        metrics = compute_metrics(net, weighted=weighted, progress=progress.sub(0.0, 0.8), **metric_options)
    n = net.n
    notes = list(net.notes) + list(metrics.notes)
    cols = {k: metrics.column(k).astype(float) for k in MEASURES}
    if "closeness" in weights and n and np.isnan(cols["closeness"]).all():
        notes.append("closeness left out of the score (not computed on a network this large); the other "
                     "weights were kept as given")
        weights = {k: w for k, w in weights.items() if k != "closeness"}
    total_w = sum(weights.values()) or 1.0
    score = np.zeros(n)
    parts: dict[str, np.ndarray] = {}
    for k, w in weights.items():
        col = np.nan_to_num(cols[k], nan=0.0)
        mx = col.max() if n else 0.0
        parts[k] = (col / mx if mx > 0 else np.zeros(n)) * (w / total_w)
        score += parts[k]
    order = np.lexsort((np.arange(n), -cols["degree"], -score))
    progress(0.85, "brokers")
    across, spans = broker_scores(net, metrics)
    progress.check()
    progress(0.9, "fragmentation")
    frag = fragmentation_effects(net, limit=top, progress=progress.sub(0.9, 0.99))
    frag_by_node = {r["node"]: r for r in frag}
    ranked_nodes = order[:top].tolist()
    frag_by_node.update({r["node"]: r for r in fragmentation_effects(net, ranked_nodes)})
    ranks = {k: _rank_of(cols[k]) for k in ("degree", "betweenness", "pagerank", "closeness")}
    size_of = {i + 1: len(c) for i, c in enumerate(metrics.communities)}

    def ref(v: int) -> dict[str, Any]:
        r = net.node_ref(v)
        return {"id": r["id"], "bundle_id": r["bundle_id"], "name": r["name"]}

    def measures(v: int) -> dict[str, Any]:
        row = metrics.row(v)
        m = {"degree": int(row["degree"]), "in_degree": int(row["in_degree"]),
             "out_degree": int(row["out_degree"]), "strength": _num(row["strength"]),
             "betweenness": _num(row["betweenness"]), "closeness": _num(row["closeness"]),
             "pagerank": _num(row["pagerank"]), "eigenvector": _num(row["eigenvector"]),
             "coreness": int(row["coreness"]), "community": int(row["community"]),
             "articulation_point": bool(row["articulation"])}
        if v in frag_by_node:
            m["fragmentation_effect"] = frag_by_node[v]["effect"]
        return m

    def reasons(v: int) -> list[str]:
        row = metrics.row(v)
        out = []
        b = row["betweenness"]
        if b and b > 0:
            out.append(f"on {_pct(b)} of shortest paths between other people "
                       f"(betweenness {b:.3f}, rank {ranks['betweenness'][v]} of {n})")
        out.append(f"{row['degree']} contacts (rank {ranks['degree'][v]} of {n})"
                   + (f"; {row['in_degree']} call/send in, {row['out_degree']} out" if net.directed else ""))
        sp = spans[v]
        if len(sp) >= 2:
            cs = sorted(sorted(sp, key=lambda c: (-sp[c], c))[:5])
            out.append("bridges communities " + _and([str(c) for c in cs])
                       + f" ({int(across[v])} pairs of contacts in different communities)")
        else:
            c = int(row["community"])
            out.append(f"in community {c} ({size_of.get(c, 1)} people)")
        fr = frag_by_node.get(v)
        if fr and fr["effect"] > 0:
            out.append(f"removing them splits the network into {fr['parts_after']} parts; largest left "
                       f"{fr['largest_part_after']} of {fr['largest_part_before']} (fragmentation "
                       f"{fr['fragmentation_before']:.2f} → {fr['fragmentation_after']:.2f})")
        elif row["articulation"]:
            out.append("a cut point: some people reach the rest only through them")
        if not math.isnan(row["closeness"] if row["closeness"] is not None else math.nan):
            out.append(f"closeness {row['closeness']:.3f} (rank {ranks['closeness'][v]})")
        out.append(f"PageRank {row['pagerank']:.3f} (rank {ranks['pagerank'][v]})")
        return out

    players = []
    for rank, v in enumerate(order[:top].tolist(), start=1):
        contrib = {k: round(float(p[v]), 4) for k, p in parts.items()}
        players.append({"rank": rank, **ref(v), "score": round(float(score[v]), 4),
                        "score_parts": contrib, "metrics": measures(v), "reasons": reasons(v)})
    brokers = []
    for v in np.argsort(-across, kind="stable")[:top].tolist():
        if across[v] <= 0:
            break
        brokers.append({**ref(v), "pairs_across_communities": int(across[v]),
                        "communities": {str(c): k for c, k in sorted(spans[v].items())},
                        "betweenness": _num(cols["betweenness"][v])})
    fragmentation = [{**ref(r["node"]), **{k: x for k, x in r.items() if k != "node"}}
                     for r in frag[:top] if r["effect"] > 0]
    method = {
        "score": " + ".join(f"{w / total_w:.2f}·{k}/max({k})" for k, w in weights.items()),
        "weights": {k: round(w / total_w, 4) for k, w in weights.items()},
        "measures": "undirected view; betweenness and closeness normalised as networkx does for an "
                    "undirected, " + ("weighted (distance = 1/weight)" if weighted else "unweighted")
                    + " graph",
        "betweenness": metrics.betweenness_method,
        "communities": f"Leiden (modularity {metrics.modularity:.3f}), {len(metrics.communities)} communities",
        "fragmentation": "Borgatti: 1 − Σ s(s−1)/(n(n−1)) over connected parts; effect = after − before",
        "nodes": n, "edges": net.undirected().ecount(),
    }
    progress(1.0, "key players ranked")
    return KeyPlayerResult(players, brokers, fragmentation, method, metrics, notes, order[:top].tolist())


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _num(x) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else round(x, 6)
