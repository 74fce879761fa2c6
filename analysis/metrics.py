"""Measures of a network: who is central, how it is divided, where it breaks.

Every measure is computed by igraph's compiled core on the undirected view of
the network (a tie is a tie whichever way it ran) unless said otherwise, and is
normalised the way networkx normalises an undirected, unweighted graph, so the
numbers can be checked against published values:

``degree``       distinct neighbours; ``in_degree`` / ``out_degree`` from the directed view
``strength``     sum of tie weights (counts, seconds or amounts, as the scope chose)
``betweenness``  share of shortest paths between other pairs through the node,
                 networkx normalisation: 2·B / ((n-1)(n-2)).  Exact (Brandes) up to
                 ``EXACT_BETWEENNESS_MAX_NODES`` nodes; above, estimated from ``pivots``
                 random source nodes (Brandes & Pich 2007) with a stated error bound.
``closeness``    (r-1)/Σd · (r-1)/(n-1) over the r nodes a node reaches (networkx,
                 Wasserman–Faust); exact, skipped above ``CLOSENESS_MAX_NODES``.
``pagerank``     damping 0.85.
``eigenvector``  scaled so the largest is 1; skipped above ``EIGENVECTOR_MAX_NODES``.
``coreness``     k-core number.
``community``    Leiden, modularity objective (Louvain can run for minutes on graphs
                 without real communities; Leiden does not).
With ``weighted=True`` ties with more weight count as shorter (distance = 1/weight) for
betweenness and closeness, and weights enter PageRank, strength and communities.

The error bound of sampled betweenness: each pivot s contributes X_s = δ_s(v)/(n-2) ∈ [0, 1],
the estimate is n/(n-1) times their mean, so by Hoeffding's inequality and a union
bound over all n nodes, with probability ≥ 1-δ every node's estimate is within
ε = n/(n-1) · sqrt(ln(2n/δ) / (2k)) of its exact value (k pivots, δ = 0.05).
The bound is a guarantee, usually far wider than the actual error; ``pivots`` trades
time for it.
"""

from __future__ import annotations

import logging
import math
import random
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from workstation.progress import NULL, Progress

from .graph import Network, _igraph

log = logging.getLogger(__name__)

EXACT_BETWEENNESS_MAX_NODES = 3_000
CLOSENESS_MAX_NODES = 5_000
EIGENVECTOR_MAX_NODES = 50_000
DEFAULT_PIVOTS = 128
CONFIDENCE_DELTA = 0.05


@dataclass
class Metrics:
    """Per-node measures (``table``, one row per node in node order) and whole-network facts."""

    table: pa.Table
    communities: list[list[int]]
    modularity: float
    bridges: list[tuple[int, int]]
    articulation: list[int]
    betweenness_method: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    def column(self, name: str) -> np.ndarray:
        return self.table[name].to_numpy(zero_copy_only=False)

    def row(self, v: int) -> dict[str, Any]:
        return {k: self.table[k][v].as_py() for k in self.table.column_names}


def betweenness_error_bound(n: int, pivots: int, delta: float = CONFIDENCE_DELTA) -> float:
    """ε such that every node's sampled estimate is within ε of the exact value with prob. ≥ 1-δ."""
    if n <= 2 or pivots <= 0:
        return 0.0
    return n / (n - 1) * math.sqrt(math.log(2 * n / delta) / (2 * pivots))


def with_seed(seed: int):
    """Context for igraph's random number generator (Leiden, sampling) to make results repeatable."""
    import contextlib

    @contextlib.contextmanager
    def ctx():
        ig = _igraph()
        rng = random.Random(seed)
        ig.set_random_number_generator(rng)
        try:
            yield rng
        finally:
            ig.set_random_number_generator(random)

    return ctx()


def _distances(u, weighted: bool):
    if not weighted:
        return None
    w = np.asarray(u.es["weight"], dtype=float)
    return list(1.0 / np.where(w > 0, w, 1.0))


def betweenness(u, weighted: bool = False, exact: bool | None = None, pivots: int = DEFAULT_PIVOTS,
                seed: int = 1) -> tuple[np.ndarray, dict[str, Any]]:
    """Normalised betweenness of an undirected igraph graph, exact or sampled (see module doc)."""
    n = u.vcount()
    if n <= 2:
        return np.zeros(n), {"method": "exact", "pivots": None, "error_bound": 0.0}
    if exact is None:
        exact = n <= EXACT_BETWEENNESS_MAX_NODES
    dist = _distances(u, weighted)
    scale = 2.0 / ((n - 1) * (n - 2))
    if exact or pivots >= n:
        raw = np.asarray(u.betweenness(directed=False, weights=dist), dtype=float)
        return raw * scale, {"method": "exact (Brandes)", "pivots": None, "error_bound": 0.0}
    rng = random.Random(seed)
    sources = sorted(rng.sample(range(n), pivots))
    # igraph's source-restricted betweenness of an undirected graph, with every node as a source,
    # equals the pair-based betweenness; from k random sources it is scaled up by n / k.
    raw = np.asarray(u.betweenness(directed=False, weights=dist, sources=sources), dtype=float)
    est = raw * (n / pivots) * scale
    bound = betweenness_error_bound(n, pivots)
    return est, {"method": "sampled pivots (Brandes & Pich 2007)", "pivots": pivots,
                 "error_bound": bound, "confidence": 1 - CONFIDENCE_DELTA,
                 "bound_rule": "Hoeffding + union bound over all nodes: n/(n-1)·sqrt(ln(2n/δ)/(2k))"}


def closeness(u, weighted: bool = False) -> np.ndarray:
    """networkx-normalised closeness (Wasserman–Faust for disconnected graphs)."""
    n = u.vcount()
    if n <= 1:
        return np.zeros(n)
    c = np.nan_to_num(np.asarray(u.closeness(weights=_distances(u, weighted), normalized=True), dtype=float))
    membership = np.asarray(u.connected_components().membership)
    sizes = np.bincount(membership)
    r = sizes[membership]
    return c * (r - 1) / (n - 1)


def compute_metrics(net: Network, weighted: bool = False, exact: bool | None = None,
                    pivots: int = DEFAULT_PIVOTS, seed: int = 1, with_closeness: bool | None = None,
                    progress: Progress = NULL) -> Metrics:
    """Every per-node measure of ``net`` (see the module doc for definitions)."""
    g = net.graph
    n = g.vcount()
    notes: list[str] = []
    progress(0.0, "undirected view")
    u = net.undirected()
    weights = u.es["weight"] if weighted and u.ecount() else None
    progress(0.05, "degree")
    degree = np.asarray(u.degree(), dtype=np.int64)
    if net.directed:
        in_deg = np.asarray(g.degree(mode="in"), dtype=np.int64)
        out_deg = np.asarray(g.degree(mode="out"), dtype=np.int64)
    else:
        in_deg = out_deg = degree
    strength = np.asarray(u.strength(weights="weight"), dtype=float) if u.ecount() else np.zeros(n)
    progress.check()
    progress(0.1, "PageRank")
    pagerank = np.asarray(u.personalized_pagerank(damping=0.85, weights=weights), dtype=float) if n else \
        np.zeros(0)
    progress(0.15, "eigenvector centrality")
    if u.ecount() and n > EIGENVECTOR_MAX_NODES:
        eig = np.full(n, np.nan)
        notes.append(f"eigenvector centrality not computed on {n:,} nodes (over {EIGENVECTOR_MAX_NODES:,}); "
                     f"PageRank ranks the same way on connected networks")
    elif u.ecount():
        import warnings

        with warnings.catch_warnings():
            # igraph warns on disconnected networks; the values stay per-component comparable.
            warnings.simplefilter("ignore", RuntimeWarning)
            eig = np.asarray(u.eigenvector_centrality(scale=True, weights=weights), dtype=float)
    else:
        eig = np.zeros(n)
    coreness = np.asarray(u.coreness(), dtype=np.int64)
    progress.check()
    progress(0.2, "communities (Leiden)")
    with with_seed(seed):
        if u.ecount():
            part = u.community_leiden(objective_function="modularity", weights=weights,
                                      n_iterations=-1 if n <= 10_000 else 2)
            membership = np.asarray(part.membership, dtype=np.int64)
            modularity = float(u.modularity(part.membership, weights=weights))
        else:
            membership = np.arange(n, dtype=np.int64)
            modularity = 0.0
    # Number communities by size, largest first (1-based, as an analyst counts them).
    sizes = np.bincount(membership) if n else np.zeros(0, dtype=np.int64)
    order = np.argsort(-sizes, kind="stable")
    renumber = np.empty_like(order)
    renumber[order] = np.arange(1, len(order) + 1)
    community = renumber[membership] if n else membership
    communities = [[] for _ in range(len(order))]
    for v, c in enumerate(community):
        communities[c - 1].append(v)
    progress.check()
    progress(0.35, "betweenness")
    btw, method = betweenness(u, weighted, exact, pivots, seed)
    if method["pivots"]:
        notes.append(f"betweenness estimated from {method['pivots']} random pivots: every value within "
                     f"±{method['error_bound']:.3f} of the exact one with probability "
                     f"{method['confidence']:.0%} (worst-case bound)")
    progress.check()
    progress(0.8, "closeness")
    if with_closeness is None:
        with_closeness = n <= CLOSENESS_MAX_NODES
    if with_closeness:
        clo = closeness(u, weighted)
    else:
        clo = np.full(n, np.nan)
        notes.append(f"closeness not computed on {n:,} nodes (over {CLOSENESS_MAX_NODES:,}; it costs a "
                     f"full search from every node)")
    progress(0.9, "bridges and articulation points")
    bridges = [u.es[e].tuple for e in u.bridges()]
    arts = sorted(u.articulation_points())
    is_art = np.zeros(n, dtype=bool)
    is_art[arts] = True
    table = pa.table({
        "node": pa.array(np.arange(n), pa.int64()),
        "id": pa.array(g.vs["ref"] if n else [], pa.string()),
        "bundle_id": pa.array(g.vs["bundle_id"] if n else [], pa.string()),
        "name": pa.array(g.vs["name"] if n else [], pa.string()),
        "kind": pa.array(g.vs["node_kind"] if n else [], pa.string()),
        "degree": pa.array(degree, pa.int64()),
        "in_degree": pa.array(in_deg, pa.int64()),
        "out_degree": pa.array(out_deg, pa.int64()),
        "strength": pa.array(strength, pa.float64()),
        "betweenness": pa.array(btw, pa.float64()),
        "closeness": pa.array(clo, pa.float64(), from_pandas=True),
        "pagerank": pa.array(pagerank, pa.float64()),
        "eigenvector": pa.array(eig, pa.float64(), from_pandas=True),
        "coreness": pa.array(coreness, pa.int64()),
        "community": pa.array(community, pa.int64()),
        "articulation": pa.array(is_art, pa.bool_()),
    })
    progress(1.0, "measures done")
    return Metrics(table, communities, modularity, bridges, arts, method, notes)


# -- paths and ego networks ----------------------------------------------------------------------
def shortest_paths(net: Network, a: str, b: str, max_extra: int = 0, limit: int = 50,
                   directed: bool = False) -> dict[str, Any]:
    """Shortest paths between two nodes, plus (``max_extra`` > 0) the simple paths up to that many
    steps longer.  Each path is a list of node references with the ties between them."""
    g = net.graph if directed and net.directed else net.undirected()
    va, vb = net.find(a), net.find(b)
    mode = "out" if directed and net.directed else "all"
    paths = g.get_all_shortest_paths(va, to=vb, mode=mode)
    if not paths:
        return {"from": net.node_ref(va), "to": net.node_ref(vb), "length": None, "paths": [],
                "explanation": "no chain of ties joins them in this network"}
    length = len(paths[0]) - 1
    found = [list(p) for p in paths]
    if max_extra > 0:
        seen = {tuple(p) for p in found}
        for p in g.get_all_simple_paths(va, to=vb, maxlen=length + max_extra, mode=mode,
                                        max_results=limit * 4):
            if tuple(p) not in seen:
                found.append(list(p))
                seen.add(tuple(p))
            if len(found) >= limit * 4:
                break
    found.sort(key=lambda p: (len(p), p))
    truncated = len(found) > limit
    found = found[:limit]

    def tie(x: int, y: int) -> dict[str, Any]:
        e = g.es[g.get_eid(x, y, directed=False)]
        return {"ties": e["ties"], "count": e["count"], "weight": e["weight"]}

    out = []
    for p in found:
        out.append({"length": len(p) - 1, "nodes": [net.node_ref(v) for v in p],
                    "steps": [tie(x, y) for x, y in zip(p, p[1:], strict=False)]})
    n_short = len(paths)
    return {"from": net.node_ref(va), "to": net.node_ref(vb), "length": length, "shortest": n_short,
            "paths": out, "truncated": truncated,
            "explanation": f"{n_short} shortest chain(s) of {length} step(s)"
                           + (f"; {len(out) - min(n_short, len(out))} more up to {length + max_extra} steps"
                              if max_extra else "")}


def ego_network(net: Network, ref: str, hops: int = 1) -> Network:
    from .graph import ego

    return ego(net, [ref], hops)
