"""Co-travel on full ferries: a voyage of hundreds must not tie every traveller to every other.

The network ties no one on a voyage of more than ``COTRAVEL_MAX_TRAVELLERS`` (and says how many
voyages it left out); ``patterns.cotravel`` still finds a pair sharing such voyages repeatedly,
and counts pairs on integers among travellers on enough voyages (a 3-million-call demo case with
300,000 crossings on 510 voyages ran DuckDB out of memory in the network's self-join).
"""

from __future__ import annotations

from analysis import patterns
from analysis.graph import COTRAVEL_MAX_TRAVELLERS, Scope, build_network
from tests.test_network_support import _t, make_case

FERRY = COTRAVEL_MAX_TRAVELLERS + 30     # travellers on each full voyage


def _travel() -> dict:
    travel = []
    for d in (3, 10, 17):                # three full ferries; K-1 and K-2 on all three
        for k in range(FERRY):
            travel.append({"time": _t(d, 6), "kind": "departure", "document": f"B{d:02d}{k:05d}",
                           "carrier": "Tawau Express", "voyage": f"TWX-{d}", "place_from": "Nunukan",
                           "place_to": "Tawau"})
        for p in ("K-1", "K-2"):
            travel.append({"time": _t(d, 6), "kind": "departure", "person": p, "carrier": "Tawau Express",
                           "voyage": f"TWX-{d}", "place_from": "Nunukan", "place_to": "Tawau"})
    for p in ("K-1", "K-3"):             # a small boat: K-1 and K-3 once
        travel.append({"time": _t(20, 6), "kind": "departure", "person": p, "carrier": "KM Kecil",
                       "voyage": "KK-20", "place_from": "Sebatik", "place_to": "Tawau"})
    persons = [{"id": p, "name": n} for p, n in (("K-1", "Hendra Wijaya"), ("K-2", "Agus Salim"),
                                                  ("K-3", "Dewi Lestari"))]
    return {"persons": persons, "travel": travel}


def test_full_ferries_tie_no_one_in_the_network_and_say_so(tmp_path):
    with make_case(tmp_path / "f.lintas", _travel()) as case:
        net = build_network(case, Scope(ties=("cotravel",)))
        # only the small boat's pair, both ways: a full ferry would have made 82 × 81 ties each
        assert net.m == 2
        e = net.graph.es[net.graph.get_eid(net.find("K-1"), net.find("K-3"))]
        assert e["count"] == 1
        note = next(n for n in net.notes if "voyage(s)" in n)
        assert note.startswith(f"3 voyage(s) with more than {COTRAVEL_MAX_TRAVELLERS} travellers "
                               f"(the largest {FERRY + 2})")
        # a time window that leaves one ferry in scope counts only that one
        one = build_network(case, Scope(ties=("cotravel",), until=_t_dt(11)))
        assert any(n.startswith("2 voyage(s)") for n in one.notes)


def _t_dt(day: int):
    from datetime import datetime

    return datetime.fromisoformat(_t(day, 0))


def test_pairs_repeating_on_full_ferries_are_still_found(tmp_path):
    with make_case(tmp_path / "p.lintas", _travel()) as case:
        found = patterns.cotravel(case)
        assert [sorted(e["id"] for e in f["entities"]) for f in found] == [["K-1", "K-2"]]
        assert found[0]["trips"] == 3
        assert [e["trip"].split(" on ")[0] for e in found[0]["evidence"]] == ["Tawau Express TWX-3",
                                                                               "Tawau Express TWX-10",
                                                                               "Tawau Express TWX-17"]
        # every ferry passenger appears once: no pair of them repeats, and none is reported
        assert patterns.cotravel(case, min_trips=3) == found
        assert patterns.cotravel(case, min_trips=4) == []
        # with min_trips=1 every pair sharing a voyage counts, the small boat's among them
        once = patterns.cotravel(case, min_trips=1, top=10_000)
        pairs = {tuple(sorted(e["id"] or e["name"] for e in f["entities"])) for f in once}
        assert ("K-1", "K-3") in pairs
        assert len(once) == 3 * (FERRY + 2) * (FERRY + 1) // 2 + 1 - 2   # K-1/K-2 counted once


def test_colocation_on_a_busy_cell_compares_only_calls_near_in_time(tmp_path):
    """40,000 calls through one cell over 28 days: a join on the place alone compared every two of
    them (800 million pairs; the old query ran past 300 s on the 3-million-call demo). Joined on
    place and time bucket, it takes a second; the one pair meeting there three times is found."""
    import time

    from tests.test_network_support import _t

    # each background number calls once: no pair of them meets three times
    calls = [{"caller": f"+62811{k:07d}", "callee": "+62812000000", "start": _t(k // 1440, 0, k % 1440),
              "cell_id": "BTG-001"} for k in range(0, 40_000)]
    for d in (2, 9, 16):            # two numbers at the cell within minutes of each other, three times
        calls.append({"caller": "+62813111111", "callee": "+62812000000", "start": _t(d, 20, 1), "cell_id": "BTG-001"})
        calls.append({"caller": "+62813222222", "callee": "+62812000000", "start": _t(d, 20, 9), "cell_id": "BTG-001"})
    with make_case(tmp_path / "c.lintas", {"calls": calls}) as case:
        t = time.perf_counter()
        found = patterns.colocation(case, min_times=3)
        took = time.perf_counter() - t
        pairs = [sorted(e["id"] for e in f["entities"]) for f in found]
        assert pairs == [["+62813111111", "+62813222222"]] and found[0]["times"] == 3
        assert took < 20, f"colocation took {took:.1f} s on 40,000 calls of one cell"
