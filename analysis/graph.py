"""The network: a graph built from the case for a chosen scope.

A node is a resolved entity (a person or organisation, with every entity an
analyst judged "same" collapsed into one node by union-find), or — where no
entity owns it — an identifier on its own: a phone number in E.164, a bank
account, a message address, a travel document.  An edge joins two nodes that
have a tie of one of the chosen kinds:

``calls``          caller → callee (``caller_e164`` / ``callee_e164``)
``messages``       sender → recipient (``sender_norm`` / ``recipient_norm``)
``transfers``      from_account → to_account (weight may be the amount)
``relationships``  source → target as a partner stated it
``cotravel``       two people on the same voyage (carrier + voyage + day), both ways; not on a
                   voyage of more than ``COTRAVEL_MAX_TRAVELLERS`` (the network's notes say
                   how many it left out)
``identifiers``    an identifier value several entities hold (no analyst said they are one
                   person): the value stays a node, tied to each holder

Edges between the same two nodes are collapsed: ``count`` (number of ties),
``duration`` (seconds of calls), ``amount`` (sum of transfers) and ``ties``
(kinds) are kept, and ``weight`` is the one the analyst chose.

Every node carries the reference an analyst can check: ``ref`` (the id as
written in its bundle, or the number / account for an unresolved identifier)
and ``bundle_id``.

``import igraph`` pulls in matplotlib.pyplot (FACTS.md), so it is imported
lazily, never at module import.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from workstation.errors import LintasError
from workstation.progress import NULL, Progress

if TYPE_CHECKING:
    import igraph

log = logging.getLogger(__name__)

TIES = ("calls", "messages", "transfers", "relationships", "cotravel", "identifiers")
WEIGHTS = ("count", "duration", "amount", "none")

# Node kinds by key prefix: an entity node is "e<root entity id>", the others the identifier.
_PREFIX_KIND = {"e": "entity", "p": "phone", "a": "account", "m": "address", "d": "document",
                "l": "unresolved"}


class NetworkError(LintasError):
    """The network cannot be built as asked (unknown tie kind, entity not in the case, …)."""


def _igraph():
    import igraph

    return igraph


@dataclass
class Scope:
    """What part of the case becomes the network."""

    ties: tuple[str, ...] = TIES
    since: datetime | None = None          # inclusive, UTC
    until: datetime | None = None          # exclusive, UTC
    seeds: tuple[str, ...] = ()            # entity refs / numbers; empty = whole case
    hops: int = 1                          # around the seeds
    weight: str = "count"

    def __post_init__(self) -> None:
        bad = [t for t in self.ties if t not in TIES]
        if bad:
            raise NetworkError(f"unknown kind of tie {', '.join(bad)}; choose from {', '.join(TIES)}")
        if self.weight not in WEIGHTS:
            raise NetworkError(f"unknown weight {self.weight!r}; choose from {', '.join(WEIGHTS)}")
        if self.hops < 0:
            raise NetworkError("hops must be 0 or more")

    def to_json(self) -> dict[str, Any]:
        return {"ties": list(self.ties), "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None, "seeds": list(self.seeds),
                "hops": self.hops, "weight": self.weight}


@dataclass
class Network:
    """A directed graph (igraph) plus the references of its nodes."""

    graph: igraph.Graph
    scope: Scope = field(default_factory=Scope)
    notes: list[str] = field(default_factory=list)
    directed: bool = True   # False: edge orientation carries no meaning (a published undirected network)
    _undirected: Any = field(default=None, repr=False, compare=False)
    _undirected_of: Any = field(default=None, repr=False, compare=False)
    _arrays: Any = field(default=None, repr=False, compare=False)   # edge arrays of build_network

    @property
    def n(self) -> int:
        return self.graph.vcount()

    @property
    def m(self) -> int:
        return self.graph.ecount()

    def undirected(self) -> igraph.Graph:
        """The undirected view: one edge per pair, counts, durations, amounts and weights summed.
        Computed once and kept (treat it as read-only; copy it before changing it)."""
        if self._undirected is not None and self._undirected_of is self.graph:
            return self._undirected
        if self._arrays is not None and self.graph.ecount() > 200_000:
            self._undirected, self._undirected_of = self._undirected_from_arrays(), self.graph
        else:
            g = self.graph.copy()
            if g.is_directed():
                # Joining the kinds of tie per pair is Python work: on big networks keep one.
                small = g.ecount() <= 200_000
                combine = {"weight": "sum", "count": "sum", "duration": "sum", "amount": "sum",
                           "ties": _join_ties if small else "first"}
                if "first_utc" in g.es.attributes():
                    combine["first_utc"] = _earliest if small else "first"
                    combine["last_utc"] = _latest if small else "first"
                g.to_undirected(mode="collapse", combine_edges=combine)
            self._undirected, self._undirected_of = g, self.graph
        return self._undirected

    def _undirected_from_arrays(self):
        """The same view built straight from the edge arrays kept at build time (large networks)."""
        ig = _igraph()
        a = self._arrays
        n = self.graph.vcount()
        lo, hi = np.minimum(a["src"], a["dst"]), np.maximum(a["src"], a["dst"])
        codes, first, inv = np.unique(lo * n + hi, return_index=True, return_inverse=True)
        g = ig.Graph(n=n, edges=np.column_stack([codes // n, codes % n]), directed=False)
        for col in ("weight", "count", "duration", "amount"):
            g.es[col] = np.bincount(inv, weights=a[col], minlength=len(codes)).tolist()
        g.es["ties"] = a["ties"].take(pa.array(first)).to_pylist()   # the first kind of tie per pair
        for attr in self.graph.vs.attributes():
            g.vs[attr] = self.graph.vs[attr]
        return g

    def find(self, ref: str) -> int:
        """The node of a reference: an entity's id as written, its name, a number or an account."""
        return find_node(self.graph, ref)

    def node_ref(self, v: int) -> dict[str, Any]:
        return node_ref(self.graph, v)


def _earliest(values: list):
    known = [v for v in values if v is not None]
    return min(known) if known else None


def _latest(values: list):
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _join_ties(values: list[str]) -> str:
    out: set[str] = set()
    for v in values:
        out.update(x for x in (v or "").split(",") if x)
    return ",".join(sorted(out))


def node_ref(g: igraph.Graph, v: int) -> dict[str, Any]:
    """The reference of node ``v`` as the machine-readable outputs give it."""
    vs = g.vs[v]
    attrs = vs.attributes()
    return {"id": attrs.get("ref"), "bundle_id": attrs.get("bundle_id"), "name": attrs.get("name"),
            "kind": attrs.get("node_kind")}


def find_node(g: igraph.Graph, ref: str) -> int:
    ref = str(ref).strip()
    v = _find_exact(g, ref)
    if v is not None:
        return v
    folded = ref.casefold()
    if "name" in g.vs.attributes():
        hits = [i for i, x in enumerate(g.vs["name"]) if x is not None and str(x).casefold() == folded]
        if len(hits) == 1:
            return hits[0]
    raise NetworkError(f"{ref!r} is not a node of this network (give an entity id as written in its "
                       f"bundle, a name, a phone number in E.164 or an account)")


def _find_exact(g: igraph.Graph, ref: str) -> int | None:
    """The node ``ref`` names by its key, ref or name as written, or as BUNDLE_ID/ID; None if none."""
    ref = str(ref).strip()
    attrs = g.vs.attributes()
    for attr in ("key", "ref", "name"):
        if attr not in attrs:
            continue
        values = g.vs[attr]
        hits = [i for i, x in enumerate(values) if x is not None and str(x) == ref]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            where = ", ".join(f"{g.vs[i]['ref']} ({g.vs[i]['bundle_id'] or 'no bundle'})" for i in hits[:5])
            raise NetworkError(f"{ref!r} names {len(hits)} nodes: {where}; give the bundle too "
                               f"as BUNDLE_ID/ID")
    if "/" in ref and "bundle_id" in attrs:
        bundle, _, local = ref.rpartition("/")
        for i, (r, b) in enumerate(zip(g.vs["ref"], g.vs["bundle_id"], strict=True)):
            if r == local and b == bundle:
                return i
    return None


# -- networks from plain edge lists (published networks, tests, benchmarks) --------------------
def from_edges(sources: Sequence[Any], targets: Sequence[Any], weights: Sequence[float] | None = None,
               directed: bool = False, nodes: Iterable[Any] | None = None,
               names: dict[Any, str] | None = None) -> Network:
    """A network from an edge list; node refs are the labels as given."""
    ig = _igraph()
    labels: dict[Any, int] = {}
    for x in nodes or ():
        labels.setdefault(x, len(labels))
    for x in list(sources) + list(targets):
        labels.setdefault(x, len(labels))
    edges = [(labels[s], labels[t]) for s, t in zip(sources, targets, strict=True)]
    # Stored directed like every case network (the given orientation); ``directed`` says
    # whether that orientation means anything, and the undirected view collapses it.
    g = ig.Graph(n=len(labels), edges=edges, directed=True)
    w = [float(x) for x in weights] if weights is not None else [1.0] * len(edges)
    g.es["weight"] = w
    g.es["count"] = [1.0] * len(edges)
    g.es["duration"] = [0.0] * len(edges)
    g.es["amount"] = [0.0] * len(edges)
    g.es["ties"] = ["edge"] * len(edges)
    refs = [str(x) for x in labels]
    g.vs["key"] = refs
    g.vs["ref"] = refs
    g.vs["bundle_id"] = [None] * len(refs)
    g.vs["name"] = [(names or {}).get(x, str(x)) for x in labels]
    g.vs["node_kind"] = ["entity"] * len(refs)
    return Network(g, Scope(ties=(), weight="count"), directed=directed)


# -- networks from a case ----------------------------------------------------------------------
def _roots(cur) -> dict[int, int]:
    """Union-find over the analyst's standing 'same' judgements: entity -> root (smallest id)."""
    rows = cur.execute(
        "SELECT entity_a, entity_b FROM judgements WHERE verdict = 'same' AND undone_utc IS NULL"
    ).fetchall()
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in rows:
        ra, rb = find(int(a)), find(int(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def _time_clause(col: str, scope: Scope, params: list) -> str:
    parts = []
    if scope.since is not None:
        parts.append(f"{col} >= ?")
        params.append(scope.since)
    if scope.until is not None:
        parts.append(f"{col} < ?")
        params.append(scope.until)
    return (" AND " + " AND ".join(parts)) if parts else ""


def _edge_sql(scope: Scope, only: str | None = None) -> tuple[str, list]:
    """SQL yielding raw ties: a_val, a_kind, b_val, b_kind, tie, t, duration, amount.

    ``only`` narrows it to ties with an end among the values in the registered table
    ``_lintas_vals(v)``: ``"any"`` (either end) or ``"both"`` (both ends). The values are a
    superset of the raw values of some nodes, so the caller still filters the nodes it gets
    (transfers also need ``_lintas_accounts``: see ``_seeded``)."""
    parts: list[str] = []
    params: list = []
    vals = "(SELECT v FROM _lintas_vals)"
    # Accounts as written whose normalised form is among the values (``_lintas_accounts(a, n)``, every
    # account of the case normalised once: the regular expression over every transfer each time
    # cost a second on 800,000 transfers).
    accounts = "(SELECT a FROM _lintas_accounts WHERE n IN (SELECT v FROM _lintas_vals))"

    def near(a: str, b: str, among: str = vals) -> str:
        if only is None:
            return ""
        return f" AND ({a} IN {among} {'OR' if only == 'any' else 'AND'} {b} IN {among})"
    if "calls" in scope.ties:
        parts.append(
            "SELECT coalesce(caller_e164, caller) AS a_val, 'p' AS a_kind, "
            "coalesce(callee_e164, callee) AS b_val, 'p' AS b_kind, 'calls' AS tie, start_utc AS t, "
            "coalesce(duration_s, 0)::DOUBLE AS duration, 0::DOUBLE AS amount FROM calls "
            "WHERE caller IS NOT NULL AND callee IS NOT NULL" + _time_clause("start_utc", scope, params)
            + near("coalesce(caller_e164, caller)", "coalesce(callee_e164, callee)"))
    if "messages" in scope.ties:
        parts.append(
            "SELECT coalesce(sender_norm, sender), CASE WHEN sender_norm LIKE '+%' THEN 'p' ELSE 'm' END, "
            "coalesce(recipient_norm, recipient), CASE WHEN recipient_norm LIKE '+%' THEN 'p' ELSE 'm' END, "
            "'messages', time_utc, 0::DOUBLE, 0::DOUBLE FROM messages "
            "WHERE sender IS NOT NULL AND recipient IS NOT NULL" + _time_clause("time_utc", scope, params)
            + near("coalesce(sender_norm, sender)", "coalesce(recipient_norm, recipient)"))
    if "transfers" in scope.ties:
        parts.append(
            f"SELECT {ACCOUNT_NORM.format('from_account')}, 'a', {ACCOUNT_NORM.format('to_account')}, 'a', "
            "'transfers', time_utc, 0::DOUBLE, "
            "coalesce(amount, 0)::DOUBLE FROM transfers "
            "WHERE from_account IS NOT NULL AND to_account IS NOT NULL"
            + _time_clause("time_utc", scope, params)
            + near("from_account", "to_account", among=accounts))
    if "relationships" in scope.ties:
        parts.append(
            "SELECT coalesce(source_entity_id::VARCHAR, source_id::VARCHAR || ':' || source), "
            "CASE WHEN source_entity_id IS NULL THEN 'l' ELSE 'e' END, "
            "coalesce(target_entity_id::VARCHAR, source_id::VARCHAR || ':' || target), "
            "CASE WHEN target_entity_id IS NULL THEN 'l' ELSE 'e' END, "
            "'relationships', NULL::TIMESTAMP, 0::DOUBLE, 0::DOUBLE FROM relationships "
            "WHERE source IS NOT NULL AND target IS NOT NULL"
            + near("coalesce(source_entity_id::VARCHAR, source_id::VARCHAR || ':' || source)",
                   "coalesce(target_entity_id::VARCHAR, source_id::VARCHAR || ':' || target)"))
    if "cotravel" in scope.ties:
        sub: list = []
        tc = _time_clause("time_utc", scope, sub)
        params.extend(sub)
        # Only voyages of at most COTRAVEL_MAX_TRAVELLERS: filtered before the self-join, which
        # grows with the square of a voyage's travellers.
        # Narrowed to some nodes: only the voyages one of their values was on.
        narrow = f" AND trip IN (SELECT trip FROM s WHERE subj IN {vals})" if only else ""
        parts.append(
            f"SELECT * FROM (WITH s AS ({_TRAVEL_SUBJECTS}{tc}), "
            "small AS (SELECT * FROM s WHERE trip IN (SELECT trip FROM s GROUP BY trip "
            f"HAVING count(DISTINCT subj) <= ?){narrow}) "
            "SELECT x.subj, x.subj_kind, y.subj, y.subj_kind, 'cotravel', x.time_utc, 0::DOUBLE, 0::DOUBLE "
            "FROM small x JOIN small y ON x.trip = y.trip AND x.subj <> y.subj"
            + near("x.subj", "y.subj") + ")")
        params.append(COTRAVEL_MAX_TRAVELLERS)
    if "identifiers" in scope.ties:
        # A value several entities hold stays a node of its own, tied to each holder.
        parts.append(
            "SELECT owner_entity_id::VARCHAR, 'e', value_norm, "
            "CASE WHEN kind = 'phone' OR value_norm LIKE '+%' THEN 'p' WHEN kind = 'bank_account' THEN 'a' "
            "WHEN kind IN ('email', 'social_handle') THEN 'm' ELSE 'd' END, 'identifiers', "
            "NULL::TIMESTAMP, 0::DOUBLE, 0::DOUBLE FROM identifiers WHERE owner_entity_id IS NOT NULL "
            "AND value_norm IN (SELECT value_norm FROM identifiers WHERE owner_entity_id IS NOT NULL "
            "GROUP BY value_norm HAVING count(DISTINCT owner_entity_id) > 1)"
            + near("owner_entity_id::VARCHAR", "value_norm"))
    return " UNION ALL ".join(parts), params


# Accounts as the identifiers table normalises them (workstation.normalise.document_norm).
ACCOUNT_NORM = "upper(regexp_replace({0}, '[\\s.\\-/]', '', 'g'))"

# A voyage with more travellers than this ties none of them as co-travel in the network: a ferry
# of hundreds would tie each to every other (a clique swamping every centrality, and a self-join
# growing with the square of its size: 186 million pairs on a case of 300,000 crossings ran
# DuckDB out of memory). `lintas patterns cotravel` still finds pairs sharing such voyages
# repeatedly. The network says how many voyages it left out.
COTRAVEL_MAX_TRAVELLERS = 50

# A traveller: the resolved person, else the travel document; a trip: carrier + voyage + day.
_TRAVEL_SUBJECTS = (
    "SELECT coalesce(person_entity_id::VARCHAR, document_norm, document, person) AS subj, "
    "CASE WHEN person_entity_id IS NOT NULL THEN 'e' WHEN coalesce(document_norm, document) IS NOT NULL "
    "THEN 'd' ELSE 'l' END AS subj_kind, "
    "coalesce(carrier, '') || '|' || coalesce(voyage, '') || '|' || "
    "coalesce(strftime(time_utc, '%Y-%m-%d'), '') AS trip, time_utc "
    "FROM travel WHERE voyage IS NOT NULL AND coalesce(person_entity_id::VARCHAR, document_norm, document, "
    "person) IS NOT NULL")


# Long columns are converted and graphs built in slices: one C call converting or indexing a whole
# column holds Python's lock for all of it, and the window's thread waits meanwhile (a network of
# 45,000 ties: 160-220 ms for the times at once; a slice of 8,192 stays under ~15 ms).
_SLICE = 8192
# A graph of up to this many edges is built by adding slices of edges (each addition re-indexes
# the graph, so above it one call is cheaper overall).
_SLICED_GRAPH_MAX_EDGES = 200_000


def _pylist(arr) -> list:
    """The values of an Arrow column as Python objects, converted a slice at a time."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    out: list = []
    if pa.types.is_timestamp(arr.type) and arr.type.tz is None and arr.type.unit in ("s", "ms", "us"):
        # numpy makes the same datetime objects as to_pylist (None for NULL), about 50 times faster.
        for i in range(0, len(arr), _SLICE):
            out.extend(arr.slice(i, _SLICE).to_numpy(zero_copy_only=False).astype(object).tolist())
        return out
    for i in range(0, len(arr), _SLICE):
        out.extend(arr.slice(i, _SLICE).to_pylist())
    return out


def _set_attr(seq, name: str, values) -> None:
    """``seq[name] = values`` (``seq`` a graph's ``vs`` or ``es``), a slice at a time when long."""
    n = len(values)
    if n <= 4 * _SLICE:
        seq[name] = values
        return
    for i in range(0, n, _SLICE):
        seq[i:i + _SLICE][name] = values[i:i + _SLICE]


def _strings(values: list) -> pa.ChunkedArray:
    """Python strings as an Arrow column, converted a slice at a time."""
    return pa.chunked_array([pa.array(values[i:i + _SLICE], pa.string()) for i in range(0, len(values), _SLICE)],
                            type=pa.string())


def _new_graph(n: int, src: np.ndarray, dst: np.ndarray):
    ig = _igraph()
    m = len(src)
    if m <= _SLICE or m > _SLICED_GRAPH_MAX_EDGES:
        return ig.Graph(n=n, edges=np.column_stack([src, dst]).astype(np.int64), directed=True)
    g = ig.Graph(n=n, directed=True)
    for i in range(0, m, _SLICE):
        g.add_edges(np.column_stack([src[i:i + _SLICE], dst[i:i + _SLICE]]).astype(np.int64))
    return g


def _fetch(cur, sql: str, params: list | None = None) -> list:
    """All rows of a query, fetched a slice at a time (see _SLICE)."""
    res = cur.execute(sql, params or [])
    rows: list = []
    while True:
        part = res.fetchmany(_SLICE)
        if not part:
            return rows
        rows.extend(part)


def _grouped_sql(sql: str, scope: Scope) -> str:
    """The raw ties of ``sql`` as collapsed edges between node keys: an entity node is
    'e<root entity id>', an identifier 'p:<e164>', 'a:<account>', 'm:<address>', 'd:<document>',
    an unresolved relationship end 'l:<source_id>:<id as written>'."""
    endpoint = (
        "CASE WHEN {k} = 'e' THEN 'e' || coalesce(r{s}.root, TRY_CAST({v} AS BIGINT))::VARCHAR "
        "WHEN m{s}.root IS NOT NULL THEN 'e' || m{s}.root::VARCHAR ELSE {k} || ':' || {v} END")
    return (
        f"WITH raw(a_val, a_kind, b_val, b_kind, tie, t, duration, amount) AS ({sql}) SELECT "
        f"{endpoint.format(k='a_kind', v='a_val', s='a')} AS src, "
        f"{endpoint.format(k='b_kind', v='b_val', s='b')} AS dst, "
        "count(*)::DOUBLE AS count, sum(duration)::DOUBLE AS duration, sum(amount)::DOUBLE AS amount, "
        + ("any_value(tie)" if len(scope.ties) == 1 else "string_agg(DISTINCT tie, ',' ORDER BY tie)")
        + " AS ties, min(t) AS first_utc, max(t) AS last_utc "
        "FROM raw "
        "LEFT JOIN _lintas_roots ra ON raw.a_kind = 'e' AND ra.entity_id = TRY_CAST(raw.a_val AS BIGINT) "
        "LEFT JOIN _lintas_roots rb ON raw.b_kind = 'e' AND rb.entity_id = TRY_CAST(raw.b_val AS BIGINT) "
        "LEFT JOIN _lintas_idmap ma ON raw.a_kind <> 'e' AND ma.value = raw.a_val "
        "LEFT JOIN _lintas_idmap mb ON raw.b_kind <> 'e' AND mb.value = raw.b_val "
        "GROUP BY ALL HAVING src <> dst")


def build_network(case, scope: Scope | None = None, progress: Progress = NULL) -> Network:
    """The network of ``case`` for ``scope`` (the whole case, every kind of tie, by default).

    With seeds, only the part within ``scope.hops`` of them is collected and labelled (the same
    network as ``ego`` of the whole one, found without building the whole one)."""
    scope = scope or Scope()
    cur = case.cursor()
    progress(0.0, "resolving entities")
    roots = _roots(cur)
    root_tbl = pa.table({"entity_id": pa.array(list(roots), pa.int64()),
                         "root": pa.array(list(roots.values()), pa.int64())})
    cur.register("_lintas_roots", root_tbl)
    # An identifier value belongs to a node when exactly one resolved entity holds it.
    cur.execute(
        "CREATE OR REPLACE TEMP VIEW _lintas_idmap AS "
        "SELECT v AS value, min(r) AS root FROM ("
        "  SELECT i.value_norm AS v, coalesce(rt.root, i.owner_entity_id) AS r FROM identifiers i "
        "  LEFT JOIN _lintas_roots rt ON rt.entity_id = i.owner_entity_id "
        "  WHERE i.owner_entity_id IS NOT NULL AND i.value_norm IS NOT NULL "
        "  UNION "
        "  SELECT i.value, coalesce(rt.root, i.owner_entity_id) FROM identifiers i "
        "  LEFT JOIN _lintas_roots rt ON rt.entity_id = i.owner_entity_id "
        "  WHERE i.owner_entity_id IS NOT NULL AND i.value IS NOT NULL"
        ") GROUP BY v HAVING count(DISTINCT r) = 1")
    try:
        notes: list[str] = []
        ambiguous = cur.execute(
            "SELECT count(*) FROM (SELECT value_norm FROM identifiers WHERE owner_entity_id IS NOT NULL "
            "GROUP BY value_norm HAVING count(DISTINCT owner_entity_id) > 1)").fetchall()[0][0]
        if ambiguous:
            notes.append(f"{ambiguous} identifier value(s) are held by more than one entity; such a value "
                         f"stays a node of its own (tie kind 'identifiers' ties it to each holder)")
        if "cotravel" in scope.ties:
            tparams: list = []
            tc = _time_clause("time_utc", scope, tparams)
            big, largest = cur.execute(
                f"SELECT count(*), max(n) FROM (SELECT count(DISTINCT subj) AS n FROM ({_TRAVEL_SUBJECTS}{tc}) "
                "GROUP BY trip HAVING count(DISTINCT subj) > ?)",
                [*tparams, COTRAVEL_MAX_TRAVELLERS]).fetchall()[0]
            if big:
                notes.append(f"{big} voyage(s) with more than {COTRAVEL_MAX_TRAVELLERS} travellers (the largest "
                             f"{largest:,}) tie no one as co-travel: each would tie every traveller to every "
                             "other; 'patterns cotravel' finds the pairs who share voyages repeatedly")
        progress.check()
        if not _edge_sql(scope)[0]:
            raise NetworkError("no kind of tie chosen")
        net = _seeded(cur, scope, roots, notes, progress) if scope.seeds else None
        if net is None:
            net = _whole(cur, scope, roots, notes, progress)
            if scope.seeds:   # a seed only a case-insensitive name finds (or none): as ego() finds it
                net = ego(net, list(scope.seeds), scope.hops)
    finally:
        cur.unregister("_lintas_roots")
        cur.execute("DROP VIEW IF EXISTS _lintas_idmap")
    progress(1.0, f"network of {net.n:,} nodes and {net.m:,} edges")
    log.info("network built: %d nodes, %d edges, scope %s", net.n, net.m, scope.to_json())
    return net


def _edge_graph(edges: pa.Table, keys: pa.Array, scope: Scope, times: bool):
    """The igraph graph of collapsed ``edges`` over the nodes ``keys``, with the edge attributes,
    and its edge arrays."""
    src_idx = pc.index_in(edges["src"], keys).to_numpy(zero_copy_only=False).astype(np.int64)
    dst_idx = pc.index_in(edges["dst"], keys).to_numpy(zero_copy_only=False).astype(np.int64)
    g = _new_graph(len(keys), src_idx, dst_idx)
    arrays = {"src": src_idx, "dst": dst_idx}
    for col in ("count", "duration", "amount"):
        arrays[col] = edges[col].to_numpy(zero_copy_only=False).astype(float)
        _set_attr(g.es, col, arrays[col])
    _set_attr(g.es, "ties", _pylist(edges["ties"]))
    if times:
        # When each tie was first and last seen (Python objects: only kept on case-sized networks).
        _set_attr(g.es, "first_utc", _pylist(edges["first_utc"]))
        _set_attr(g.es, "last_utc", _pylist(edges["last_utc"]))
    if scope.weight == "none":
        arrays["weight"] = np.ones(len(src_idx))
    else:
        arrays["weight"] = arrays["count" if scope.weight == "count" else scope.weight]
    _set_attr(g.es, "weight", arrays["weight"])
    arrays["ties"] = edges["ties"]
    return g, arrays


def _whole(cur, scope: Scope, roots: dict[int, int], notes: list[str], progress: Progress) -> Network:
    sql, params = _edge_sql(scope)
    progress(0.1, "collecting ties")
    edges = cur.sql(_grouped_sql(sql, scope), params=params).to_arrow_table()
    progress(0.6, f"{edges.num_rows:,} ties collected")
    progress.check()
    keys = pc.unique(pa.concat_arrays([edges["src"].combine_chunks(), edges["dst"].combine_chunks()]))
    g, arrays = _edge_graph(edges, keys, scope, times=edges.num_rows <= 200_000)
    progress(0.75, "naming nodes")
    _label_nodes(cur, g, _pylist(keys), roots)
    net = Network(g, scope, notes)
    net._arrays = arrays
    return net


def _seed_candidates(cur, seed: str, roots: dict[int, int], source_ids: list[int]) -> set[str]:
    """Keys of every node ``find_node`` could match ``seed`` with, short of a case-insensitive name:
    its key, ref, name, or BUNDLE_ID/ID (a superset; the caller labels them and checks)."""
    texts = {seed}
    if "/" in seed:
        texts.add(seed.rpartition("/")[2])
    i = seed.find(" (")   # a number named with its holders: "+62811… (Name / Name)"
    while i > 0:
        texts.add(seed[:i])
        i = seed.find(" (", i + 1)
    keys = {seed}
    keys.update(f"{p}:{x}" for p in "padm" for x in texts)
    keys.update(f"l:{sid}:{x}" for sid in source_ids for x in texts)
    cur.register("_lintas_texts", pa.table({"x": pa.array(sorted(texts), pa.string())}))
    try:
        ids = _fetch(cur, "SELECT entity_id FROM entities WHERE local_id IN (SELECT x FROM _lintas_texts) "
                          "OR name IN (SELECT x FROM _lintas_texts)")
    finally:
        cur.unregister("_lintas_texts")
    keys.update(f"e{roots.get(int(e), int(e))}" for (e,) in ids)
    return keys


def _seeded(cur, scope: Scope, roots: dict[int, int], notes: list[str], progress: Progress) -> Network | None:
    """The network within ``scope.hops`` of the seeds, collected from ties near them only; None when
    a seed is not found by its key, ref, name or BUNDLE_ID/ID (the caller then builds it whole)."""
    members: dict[int, list[int]] = {}
    for e, r in roots.items():
        members.setdefault(r, []).append(e)

    def near(keys: set[str], only: str) -> pa.Table:
        """Collapsed edges touching ``keys`` (only="any") or between them (only="both")."""
        ents = [int(k[1:]) for k in keys if k[:1] == "e" and k[1:].isdigit()]
        vals = {k[2:] for k in keys if k[:1] != "e"}
        for r in ents:
            vals.add(str(r))
            vals.update(str(e) for e in members.get(r, ()))
        if ents:   # the numbers, accounts, … that belong to these entities
            cur.register("_lintas_ents", pa.table({"r": pa.array(ents, pa.int64())}))
            try:
                vals.update(v for (v,) in _fetch(
                    cur, "SELECT value FROM _lintas_idmap WHERE root IN (SELECT r FROM _lintas_ents)"))
            finally:
                cur.unregister("_lintas_ents")
        cur.register("_lintas_vals", pa.table({"v": pa.array(sorted(vals), pa.string())}))
        cur.register("_lintas_keys", pa.table({"k": pa.array(sorted(keys), pa.string())}))
        try:
            sql, params = _edge_sql(scope, only)
            join = "OR" if only == "any" else "AND"
            return cur.sql(
                f"SELECT * FROM ({_grouped_sql(sql, scope)}) WHERE src IN (SELECT k FROM _lintas_keys) "
                f"{join} dst IN (SELECT k FROM _lintas_keys) ORDER BY src, dst", params=params).to_arrow_table()
        finally:
            cur.unregister("_lintas_vals")
            cur.unregister("_lintas_keys")

    progress(0.1, "collecting ties")
    if "transfers" in scope.ties:
        cur.register("_lintas_accounts", cur.sql(
            f"SELECT a, {ACCOUNT_NORM.format('a')} AS n FROM (SELECT from_account AS a FROM transfers "
            "UNION SELECT to_account FROM transfers) WHERE a IS NOT NULL").to_arrow_table())
    try:
        return _seeded_within(cur, scope, roots, notes, progress, near)
    finally:
        if "transfers" in scope.ties:
            cur.unregister("_lintas_accounts")


def _seeded_within(cur, scope: Scope, roots: dict[int, int], notes: list[str], progress: Progress,
                   near) -> Network | None:
    def ends(t: pa.Table) -> set[str]:
        return set(_pylist(t["src"])) | set(_pylist(t["dst"]))

    seeds = [str(s).strip() for s in scope.seeds]
    source_ids = [int(s) for (s,) in _fetch(cur, "SELECT source_id FROM sources")]
    cands: set[str] = set()
    for s in seeds:
        cands |= _seed_candidates(cur, s, roots, source_ids)
    around = near(cands, "any")
    progress.check()
    present = sorted(ends(around) & cands)
    probe = _igraph().Graph(n=len(present), directed=True)
    _label_nodes(cur, probe, present, roots)
    found: list[str] = []
    for s in seeds:
        v = _find_exact(probe, s)
        if v is None:
            return None
        found.append(present[v])
    kept, frontier = set(found), set(found)
    for hop in range(scope.hops):
        progress(0.2 + 0.4 * hop / scope.hops, "collecting ties")
        if not frontier:
            break
        if hop == 0:
            fk = pa.array(sorted(frontier), pa.string())
            touching = around.filter(pc.or_(pc.is_in(around["src"], value_set=fk),
                                            pc.is_in(around["dst"], value_set=fk)))
        else:
            touching = near(frontier, "any")
        frontier = ends(touching) - kept
        kept |= frontier
        progress.check()
    edges = near(kept, "both")
    progress(0.7, f"{edges.num_rows:,} ties collected")
    progress.check()
    keys = sorted(kept)
    g, _arrays = _edge_graph(edges, pa.array(keys, pa.string()), scope, times=edges.num_rows <= 200_000)
    progress(0.8, "naming nodes")
    _label_nodes(cur, g, keys, roots)
    return Network(g, scope, list(notes))


def _label_nodes(cur, g, keys: list[str], roots: dict[int, int]) -> None:
    kinds = [_PREFIX_KIND.get(k[0], "unresolved") for k in keys]
    refs: list[str | None] = [k[2:] if k[1:2] == ":" else k for k in keys]
    names: list[str | None] = [None] * len(keys)
    bundles: list[str | None] = [None] * len(keys)
    ent_pos = {int(k[1:]): i for i, k in enumerate(keys) if k[0] == "e"}
    merged: dict[int, int] = {}
    for e, r in roots.items():
        if r in ent_pos and e != r:
            merged[r] = merged.get(r, 1) + 1
    if ent_pos:
        ids = pa.table({"entity_id": pa.array(list(ent_pos), pa.int64())})
        cur.register("_lintas_nodes", ids)
        rows = _fetch(
            cur, "SELECT e.entity_id, e.kind, e.local_id, e.name, s.bundle_id FROM _lintas_nodes n "
            "JOIN entities e USING (entity_id) LEFT JOIN sources s ON s.source_id = e.source_id")
        cur.unregister("_lintas_nodes")
        for eid, kind, local, name, bundle in rows:
            i = ent_pos[int(eid)]
            kinds[i] = kind or "entity"
            refs[i] = local
            names[i] = name
            bundles[i] = bundle
    # Relationship ends no entity resolved: "<source_id>:<id as written>".
    local = {i: k[2:] for i, k in enumerate(keys) if k[0] == "l"}
    if local:
        src_ids = sorted({int(v.split(":", 1)[0]) for v in local.values() if v.split(":", 1)[0].isdigit()})
        bundle_of = dict(cur.execute("SELECT source_id, bundle_id FROM sources WHERE source_id IN "
                                     f"({', '.join('?' * len(src_ids))})", src_ids).fetchall()) if src_ids else {}
        for i, v in local.items():
            sid, _, written = v.partition(":")
            refs[i] = written
            bundles[i] = bundle_of.get(int(sid)) if sid.isdigit() else None
    # A number or account no single entity holds: name it with the people who do hold it.
    vals = {i: refs[i] for i, k in enumerate(keys) if k[0] in "padm" and refs[i]}
    if vals:
        cur.register("_lintas_vals", pa.table({"v": _strings(list(vals.values()))}))   # DISTINCT below
        held: dict[str, list[str]] = {}
        for v, name in _fetch(
                cur, "SELECT DISTINCT i.value_norm, e.name FROM _lintas_vals x JOIN identifiers i "
                "ON i.value_norm = x.v JOIN entities e ON e.entity_id = i.owner_entity_id WHERE e.name IS NOT NULL "
                "ORDER BY i.value_norm, e.name"):
            held.setdefault(v, []).append(name)
        cur.unregister("_lintas_vals")
        for i, v in vals.items():
            if v in held:
                who = held[v]
                names[i] = f"{v} ({' / '.join(who[:2])}{' / …' if len(who) > 2 else ''})"
    _set_attr(g.vs, "key", keys)
    _set_attr(g.vs, "ref", refs)
    _set_attr(g.vs, "name", [n if n is not None else r for n, r in zip(names, refs, strict=True)])
    _set_attr(g.vs, "bundle_id", bundles)
    _set_attr(g.vs, "node_kind", kinds)
    _set_attr(g.vs, "merged", [merged.get(int(k[1:]), 1) if k[0] == "e" else 1 for k in keys])


def ego(net: Network, seeds: list[str], hops: int = 1) -> Network:
    """The part of ``net`` within ``hops`` of the seeds (ties in either direction)."""
    g = net.graph
    found = [net.find(s) for s in seeds]
    keep: set[int] = set()
    for v in found:
        keep.update(g.neighborhood(v, order=hops, mode="all"))
    sub = g.induced_subgraph(sorted(keep))
    return Network(sub, net.scope, list(net.notes), net.directed)
