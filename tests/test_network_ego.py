"""The network around seeds is collected from the ties near them only (a large case's ego network in
seconds, not the whole network first), and is the same network as ``ego`` of the whole one; and
building a network never holds Python's lock long enough to freeze the window's thread."""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest

from analysis import graph
from analysis.graph import NetworkError, Scope, build_network, ego
from tests.test_network_support import BUNDLE_ID, PHONES, scenario_case


def _as_data(net) -> tuple[dict, dict, list]:
    """Nodes by key (every attribute) and edges by (key, key) (every attribute), and the notes."""
    g = net.graph
    keys = g.vs["key"]
    nodes = {k: {a: g.vs[i][a] for a in sorted(g.vs.attributes())} for i, k in enumerate(keys)}
    edges = {}
    for e in g.es:
        pair = (keys[e.source], keys[e.target])
        assert pair not in edges
        edges[pair] = {a: e[a] for a in sorted(g.es.attributes())}
    return nodes, edges, list(net.notes)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    case = scenario_case(tmp_path_factory.mktemp("ego") / "c.lintas")
    yield case
    case.close()


@pytest.fixture(scope="module")
def whole(scenario):
    return build_network(scenario)


SEEDS = [("P-2",), ("Hendra Wijaya",), ("PASS9",), ("+62819999999",), ("CIMB1",), ("MULE3",),
         (f"{BUNDLE_ID}/P-4",), ("P-5", "SRC1"), ("rudi hartono",), ("Agus Salim",)]


@pytest.mark.parametrize("hops", [0, 1, 2])
@pytest.mark.parametrize("seeds", SEEDS)
def test_seeded_network_is_ego_of_the_whole(scenario, whole, seeds, hops):
    expected = ego(whole, list(seeds), hops)
    got = build_network(scenario, Scope(seeds=seeds, hops=hops))
    assert got.n == expected.n and got.m == expected.m
    assert _as_data(got) == _as_data(expected)
    assert got.n >= 1 and (hops == 0 or got.m >= 1)


@pytest.mark.parametrize("scope", [
    dict(ties=("calls",), weight="duration"),
    dict(ties=("transfers", "relationships"), weight="amount"),
    dict(ties=("calls", "cotravel", "identifiers"), weight="none", since=datetime(2026, 1, 20),
         until=datetime(2026, 3, 20)),
])
def test_seeded_network_follows_the_scope(scenario, scope):
    for seeds, hops in ((("Hendra Wijaya",), 1), ((PHONES["P-2"],), 2), (("SHOP2", "P-7"), 1)):
        whole = build_network(scenario, Scope(**scope))
        try:
            expected = ego(whole, list(seeds), hops)
        except NetworkError as e:   # a seed with no tie of these kinds: the same error either way
            with pytest.raises(NetworkError, match="not a node"):
                build_network(scenario, Scope(seeds=seeds, hops=hops, **scope))
            assert "not a node" in str(e)
            continue
        got = build_network(scenario, Scope(seeds=seeds, hops=hops, **scope))
        assert _as_data(got) == _as_data(expected), (scope, seeds)


def test_unknown_and_ambiguous_seeds_fail_as_before(scenario, tmp_path):
    with pytest.raises(NetworkError, match="'Nobody Here' is not a node"):
        build_network(scenario, Scope(seeds=("Nobody Here",)))
    unjudged = scenario_case(tmp_path / "u.lintas", judged=False)
    try:
        with pytest.raises(NetworkError, match="'Hendra Wijaya' names 2 nodes") as seeded:
            build_network(unjudged, Scope(seeds=("Hendra Wijaya",)))
        with pytest.raises(NetworkError, match="'Hendra Wijaya' names 2 nodes") as whole:
            ego(build_network(unjudged), ["Hendra Wijaya"])
        # the same two nodes are named (in the order of their keys, not of the whole network)
        assert sorted(str(seeded.value).split(": ", 1)[1].split("; ")[0].split(", ")) == \
            sorted(str(whole.value).split(": ", 1)[1].split("; ")[0].split(", "))
    finally:
        unjudged.close()


# -- Python's lock: a 10 ms timer thread must keep ticking while a network is built --------------
def _worst_lateness(work) -> float:
    """The worst lateness (seconds) of a 10 ms sleep loop on a thread while ``work()`` runs here."""
    late: list[float] = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            t = time.perf_counter()
            time.sleep(0.01)
            late.append(time.perf_counter() - t - 0.01)

    th = threading.Thread(target=tick)
    th.start()
    try:
        work()
    finally:
        stop.set()
        th.join()
    return max(late, default=0.0)


@pytest.fixture(scope="module")
def demo10(tmp_path_factory):
    from workstation.case import Case
    from workstation.demo import build_demo

    built = build_demo(tmp_path_factory.mktemp("demo10"), scale=10)
    case = Case.open(built["case"], read_only=True)
    yield case
    case.close()


def test_building_a_network_never_holds_the_lock_long(demo10):
    build_network(demo10)   # warm: igraph's import, DuckDB's first plans
    idle = _worst_lateness(lambda: time.sleep(1.0))
    if idle >= 0.03:
        pytest.skip(f"the machine is too busy to measure: an idle 10 ms timer was {idle * 1000:.0f} ms late")
    nets = []
    worst = _worst_lateness(lambda: nets.append(build_network(demo10)))
    assert nets[0].m > 30_000   # large enough that one call over every tie would hold the lock long
    assert worst < 0.05, f"a 10 ms timer was {worst * 1000:.0f} ms late while the network was built"


def test_python_objects_come_out_in_slices_and_equal_to_pylist():
    import pyarrow as pa

    ts = pa.array([datetime(2026, 1, 1, 10, 0, 0, 123456), None] * 10_000, pa.timestamp("us"))
    assert graph._pylist(ts) == ts.to_pylist()
    s = pa.chunked_array([["calls", None], ["messages,calls"]] * 9_000)
    assert graph._pylist(s) == s.to_pylist()


def test_long_attributes_are_set_in_slices_and_equal_to_one_call():
    import igraph as ig
    import numpy as np

    n = 5 * graph._SLICE + 17
    g = ig.Graph(n=n, edges=[(i, (i + 1) % n) for i in range(n)], directed=True)
    w = np.arange(n, dtype=float) / 3
    graph._set_attr(g.es, "weight", w)
    graph._set_attr(g.vs, "key", [f"p:{i}" for i in range(n)])
    assert g.es["weight"] == w.tolist()
    assert g.vs["key"] == [f"p:{i}" for i in range(n)]
    assert graph._strings(g.vs["key"]).to_pylist() == g.vs["key"]
    assert graph._strings([]).to_pylist() == []
