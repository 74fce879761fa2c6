"""The network and its measures: published values of real criminal networks, networkx as judge,
and networks built from real case files (entity resolution, scope, weights, paths).

Florentine families (networkx, BSD-3) and the Caviar phases (MIT) are copied, with their licences,
in ``tests/fixtures/networks``; Caviar and Jemaah Islamiyah (UCINET covert networks, no data
licence) are read in place from ``shared/data`` and the tests skip with a reason where absent."""

from __future__ import annotations

from datetime import datetime

import networkx as nx
import numpy as np
import pytest

from analysis.graph import NetworkError, Scope, build_network, from_edges
from analysis.keyplayers import fragmentation_effects, fragmentation_of, key_players, parse_weights
from analysis.metrics import betweenness, betweenness_error_bound, compute_metrics, shortest_paths
from analysis.timeslice import rank_movement, time_sliced
from tests.test_network_support import (
    BOSS_NEW,
    BOSS_OLD,
    BUNDLE_ID,
    PARTNER_BUNDLE_ID,
    fixture,
    make_case,
    read_edges,
    read_matrix,
    scenario_case,
    shared,
)
from workstation.errors import LintasError


def _published(name: str):
    if name == "florentine":
        s, t, _ = read_edges(fixture("florentine_families/florentine_marriage_edges.csv"))
        return s, t, None
    folder = {"caviar": "Caviar/Caviar_01_CAVIAR_FULL", "ji": "Jemaah_Islamiyah/Jemaah_Islamiyah"}[name]
    s, t, _ = read_edges(shared(f"covert_networks/csv/{folder}_edges.csv"))
    _, _, nodes = read_edges(shared(f"covert_networks/csv/{folder}_nodes.csv"), "id", "name")
    return s, t, [n["name"] for n in nodes]


def _row(net, m, ref):
    return m.row(net.find(ref))


@pytest.mark.parametrize("name, who, degree, btw, clo", [
    ("florentine", "Medici", 6, 0.522, 0.560),
    ("caviar", "1", 60, 0.637, None),
    ("caviar", "12", None, 0.292, None),
    ("ji", "SAMUDRA", 15, 0.510, None),
])
def test_published_values_to_three_decimals(name, who, degree, btw, clo):
    s, t, nodes = _published(name)
    net = from_edges(s, t, nodes=nodes)
    m = compute_metrics(net)
    r = _row(net, m, who)
    if degree is not None:
        assert r["degree"] == degree
    assert round(r["betweenness"], 3) == btw
    if clo is not None:
        assert round(r["closeness"], 3) == clo


@pytest.mark.parametrize("name", ["florentine", "caviar", "ji"])
def test_every_measure_matches_networkx(name):
    s, t, nodes = _published(name)
    net = from_edges(s, t, nodes=nodes)
    m = compute_metrics(net)
    g = nx.Graph()
    g.add_nodes_from(nodes or [])
    g.add_edges_from(zip(s, t, strict=True))
    judges = {"betweenness": nx.betweenness_centrality(g), "closeness": nx.closeness_centrality(g),
              "pagerank": nx.pagerank(g), "degree": dict(g.degree()), "coreness": nx.core_number(g)}
    for v in range(net.n):
        ref = net.graph.vs[v]["ref"]
        row = m.row(v)
        for k, judge in judges.items():
            assert row[k] == pytest.approx(judge[ref], abs=1e-4), (ref, k)
    assert {net.graph.vs[v]["ref"] for v in m.articulation} == set(nx.articulation_points(g))
    assert len(m.bridges) == len(list(nx.bridges(g)))


@pytest.mark.parametrize("name, first, second", [
    ("florentine", "Medici", None), ("caviar", "1", "12"), ("ji", "SAMUDRA", None)])
def test_key_player_ranking_puts_the_known_leaders_first(name, first, second):
    s, t, nodes = _published(name)
    kp = key_players(from_edges(s, t, nodes=nodes), top=5)
    assert kp.players[0]["id"] == first
    if second:
        assert kp.players[1]["id"] == second
    lead = kp.players[0]
    assert lead["score"] == 1.0 and lead["metrics"]["articulation_point"]
    text = " ".join(lead["reasons"])
    assert f"{lead['metrics']['degree']} contacts" in text
    assert f"betweenness {lead['metrics']['betweenness']:.3f}" in text
    assert "bridges communities" in text and "splits the network" in text
    assert kp.method["weights"] == {"betweenness": 0.4, "degree": 0.3, "pagerank": 0.2, "closeness": 0.1}


def test_florentine_fragmentation_and_brokers():
    s, t, _ = _published("florentine")
    kp = key_players(from_edges(s, t), top=15)
    top = kp.fragmentation[0]
    assert top["id"] == "Medici"
    # Without the Medici: parts of 11, 2 (Pazzi–Salviati) and 1 (Acciaiuoli).
    assert top["parts_after"] == 3 and top["largest_part_after"] == 11
    assert top["fragmentation_after"] == pytest.approx(fragmentation_of(np.array([11, 2, 1]), 14), abs=1e-6)
    assert kp.brokers[0]["id"] == "Medici"


@pytest.mark.parametrize("name", ["caviar", "random"])
def test_fragmentation_of_every_node_matches_removing_it(name):
    """The block-cut-tree shortcut against the plain way: delete the node, count the parts."""
    import igraph as ig

    from analysis.metrics import with_seed

    if name == "caviar":
        s, t, nodes = _published("caviar")
        net = from_edges(s, t, nodes=nodes)
    else:
        with with_seed(7):
            g = ig.Graph.Erdos_Renyi(400, m=420)
        net = from_edges([e[0] for e in g.get_edgelist()], [e[1] for e in g.get_edgelist()], nodes=range(400))
    u = net.undirected()
    n = u.vcount()
    for r in fragmentation_effects(net):
        h = u.copy()
        h.delete_vertices([r["node"]])
        sizes = np.asarray(h.connected_components().sizes())
        assert r["fragmentation_after"] == pytest.approx(fragmentation_of(sizes, n - 1), abs=1e-6)
        assert (r["parts_after"], r["largest_part_after"]) == (len(sizes), sizes.max())


def test_weights_are_adjustable_and_checked():
    s, t, nodes = _published("caviar")
    net = from_edges(s, t, nodes=nodes)
    by_pagerank = key_players(net, weights=parse_weights("pagerank=1"), top=3)
    assert by_pagerank.method["score"] == "1.00·pagerank/max(pagerank)"
    pr = by_pagerank.metrics.column("pagerank")
    assert by_pagerank.players[0]["id"] == net.graph.vs[int(np.argmax(pr))]["ref"]
    with pytest.raises(LintasError, match="MEASURE=NUMBER"):
        parse_weights("charisma=1")
    with pytest.raises(LintasError, match="above 0"):
        parse_weights("degree=0")


def test_sampled_betweenness_stays_within_its_stated_bound():
    import igraph as ig

    from analysis.metrics import with_seed

    with with_seed(3):
        g = ig.Graph.Barabasi(1500, 3, directed=False)
    exact, m_exact = betweenness(g, exact=True)
    approx, m = betweenness(g, exact=False, pivots=300, seed=5)
    assert m_exact["error_bound"] == 0.0 and m["pivots"] == 300
    err = np.abs(approx - exact).max()
    assert err <= m["error_bound"]
    assert m["error_bound"] == pytest.approx(betweenness_error_bound(1500, 300))
    # The bound is a worst case; the real error is far smaller, and the ranking of the top holds.
    assert err < m["error_bound"] / 2
    assert np.argmax(exact) in np.argsort(-approx)[:3]


def test_caviar_phases_leader_shift_from_time_slices():
    nets = []
    for ph in range(1, 12):
        labels, mat = read_matrix(fixture(f"caviar_directed_phases/phase{ph}.csv"))
        s, t, w = [], [], []
        for i, row in enumerate(mat):
            for j, x in enumerate(row):
                if x > 0 and i != j:
                    s.append(f"N{labels[i]}")
                    t.append(f"N{labels[j]}")
                    w.append(x)
        nets.append((f"phase {ph}", from_edges(s, t, w, directed=True, nodes=[f"N{x}" for x in labels])))
    mv = rank_movement(nets, "degree", top=3)
    leaders = [p["leaders"][0]["id"] for p in mv["periods"]]
    assert leaders == ["N1"] * 8 + ["N3", "N1", "N12"]
    assert [c["to"] for c in mv["leader_changes"]] == ["N3", "N1", "N12"]
    n12 = next(p for p in mv["people"] if p["id"] == "N12")
    assert n12["ranks"]["phase 11"] == 1


def test_caviar_phases_through_a_case_file(tmp_path):
    """The same shift, from calls imported into a real case and sliced every two months."""
    calls = []
    for ph in range(1, 12):
        labels, mat = read_matrix(fixture(f"caviar_directed_phases/phase{ph}.csv"))
        month = 1 + 2 * (ph - 1)
        start = f"{1994 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}-10T12:00:00Z"
        for i, row in enumerate(mat):
            for j, x in enumerate(row):
                if x > 0 and i != j:
                    calls.append({"caller": f"+1514555{int(labels[i]):04d}", "callee": f"+1514555{int(labels[j]):04d}",
                                  "start": start, "duration_s": 60 * x})
    with make_case(tmp_path / "caviar.lintas", {"calls": calls}) as case:
        mv = time_sliced(case, every="2m", scope=Scope(ties=("calls",)), top=1)
        # The same, as phases named by their boundaries (the last three phases only).
        ph = time_sliced(case, every="1995-05-01,1995-07-01,1995-09-01,1995-11-01", scope=Scope(ties=("calls",)))
    leaders = [p["leaders"][0]["id"] for p in mv["periods"]]
    assert leaders == ["+15145550001"] * 8 + ["+15145550003", "+15145550001", "+15145550012"]
    assert mv["periods"][0]["period"] == "1994-01" and len(mv["periods"]) == 11
    assert [p["period"] for p in ph["periods"]] == ["phase 1", "phase 2", "phase 3"]
    assert [p["leaders"][0]["id"] for p in ph["periods"]] == ["+15145550003", "+15145550001", "+15145550012"]


def test_network_from_a_case_collapses_resolved_entities(tmp_path):
    with scenario_case(tmp_path / "s.lintas") as case:
        net = build_network(case)
        boss = net.find("P-1")
        v = net.graph.vs[boss]
        # P-1 (our bundle) and M-7 (the partner's) judged the same: one node, both numbers on it.
        assert v["bundle_id"] == BUNDLE_ID and v["merged"] == 2 and v["name"] == "Hendra Wijaya"
        with pytest.raises(NetworkError):
            net.find(BOSS_OLD)   # the number is no node of its own: it is Hendra's
        nbrs = {net.graph.vs[x]["ref"] for x in net.graph.neighbors(boss)}
        assert {"P-2", "P-3", "P-4", "P-5", "P-7"} <= nbrs
        e = net.graph.es[net.graph.get_eid(boss, net.find("P-2"))]
        assert e["ties"] == "calls,relationships" and e["count"] == 19 and e["duration"] == 10 * 120 + 8 * 90
        # Unresolved numbers and accounts stay nodes named by the value.
        assert net.graph.vs[net.find("+62819999999")]["node_kind"] == "phone"
        assert net.graph.vs[net.find("CIMB1")]["node_kind"] == "account"
    with scenario_case(tmp_path / "u.lintas", judged=False) as case:
        net = build_network(case)
        assert net.graph.vs[net.find(f"{PARTNER_BUNDLE_ID}/M-7")]["bundle_id"] == PARTNER_BUNDLE_ID
        with pytest.raises(NetworkError, match="names 2 nodes"):
            net.find("Hendra Wijaya")


def test_scope_ties_time_window_hops_and_weights(tmp_path):
    with scenario_case(tmp_path / "s.lintas") as case:
        calls = build_network(case, Scope(ties=("calls",)))
        assert set(calls.graph.es["ties"]) == {"calls"}
        march = build_network(case, Scope(ties=("calls",), since=datetime(2026, 3, 1), until=datetime(2026, 4, 1)))
        assert march.m == 4   # the new number's four contacts, nothing else
        ego = build_network(case, Scope(seeds=("P-4",), hops=1))
        assert {v["ref"] for v in ego.graph.vs} == {"P-4", "P-1", "P-6"}   # P-6 sailed with P-4 once
        money = build_network(case, Scope(ties=("transfers",), weight="amount"))
        e = money.graph.es[money.graph.get_eid(money.find("SRC1"), money.find("PASS9"))]
        assert e["weight"] == 400_000_000 and e["count"] == 2
        travel = build_network(case, Scope(ties=("cotravel",)))
        e = travel.graph.es[travel.graph.get_eid(travel.find("P-1"), travel.find("P-4"))]
        assert e["count"] == 3
        with pytest.raises(NetworkError, match="unknown kind of tie"):
            Scope(ties=("smoke-signals",))


def test_paths_between_two_people(tmp_path):
    with scenario_case(tmp_path / "s.lintas") as case:
        net = build_network(case, Scope(ties=("calls", "relationships")))
        p = shortest_paths(net, "P-3", "P-7")
        assert p["length"] == 2 and [n["id"] for n in p["paths"][0]["nodes"]] == ["P-3", "P-1", "P-7"]
        assert p["paths"][0]["steps"][1]["ties"] == "relationships"
        more = shortest_paths(net, "P-3", "P-5", max_extra=1)
        assert more["length"] == 2 and any(x["length"] == 3 for x in more["paths"])
        with pytest.raises(NetworkError, match="not a node"):
            shortest_paths(net, "P-3", "nobody")
        assert BOSS_NEW not in [v["ref"] for v in net.graph.vs]


def test_fast_undirected_view_equals_igraph_collapse(tmp_path):
    """Large networks take the undirected view from the build's arrays; it must equal igraph's."""
    with scenario_case(tmp_path / "s.lintas") as case:
        net = build_network(case)
    fast, slow = net._undirected_from_arrays(), net.undirected()

    def edges(g):
        return {tuple(sorted((g.vs[e.source]["key"], g.vs[e.target]["key"]))):
                (e["weight"], e["count"], e["duration"], e["amount"]) for e in g.es}

    assert fast.vcount() == slow.vcount() and edges(fast) == edges(slow)
