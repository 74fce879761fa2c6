"""The demo case: the planted key organisers, phone switches, co-location, co-travel, money cycle,
fan-in and structuring are found (the answers are read from the demo's ``truth.json``).

No analyst has resolved entities in the demo case yet, so a person may appear as several
entities (one per bundle) and a number several of them hold stays a node of its own; a planted
person counts as found when any of their references or phone numbers is."""

from __future__ import annotations

import json

import pytest

from analysis import patterns
from analysis.graph import build_network
from analysis.keyplayers import key_players


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from workstation.case import Case
    from workstation.demo import build_demo

    out = tmp_path_factory.mktemp("demo")
    built = build_demo(out, scale=0.1)
    truth = json.loads(built["truth"].read_text(encoding="utf-8"))
    case = Case.open(built["case"], read_only=True)
    yield case, truth
    case.close()


def _refs(person: dict) -> set:
    return {r["id"] for r in person["refs"]} | set(person.get("phones", []))


def test_key_organisers_lead_the_ranking(demo):
    case, truth = demo
    kp = key_players(build_network(case), top=5)
    top = {p["id"] for p in kp.players}
    for organiser in truth["key_organisers"]:
        assert top & _refs(organiser), (organiser["person"], [p["id"] for p in kp.players])


def test_planted_phone_switches_are_the_best_candidates(demo):
    case, truth = demo
    found = patterns.phone_switches(case)
    planted = {(s["old"], s["new"]) for s in truth["phone_switches"]}
    assert {(f["old"], f["new"]) for f in found[: len(planted)]} == planted
    for f in found[: len(planted)]:
        plant = next(s for s in truth["phone_switches"] if (s["old"], s["new"]) == (f["old"], f["new"]))
        assert {e["contact"] for e in f["evidence"]} <= set(plant["shared_contacts"])


def test_colocation_and_cotravel(demo):
    case, truth = demo
    colo = patterns.colocation(case)
    planted = truth["colocation"][0]
    assert {e["id"] for e in colo[0]["entities"]} == {planted["a"]["phone"], planted["b"]["phone"]}
    assert colo[0]["times"] >= 3
    trips = patterns.cotravel(case)
    pair = truth["co_travel"][0]
    first = {e["id"] for e in trips[0]["entities"]}
    assert first == {pair["a"]["id"], pair["b"]["id"]}
    assert trips[0]["trips"] == len(pair["voyages"])


def test_money_cycle_fan_in_and_structuring(demo):
    case, truth = demo
    thr = truth["structuring"]["threshold"]
    found = patterns.money_flows(case, thresholds={thr["currency"]: thr["amount"]})
    norm = {a: a.replace("-", "").upper() for a in truth["money_cycle"]["accounts"]}
    cycles = [f for f in found if f["pattern"] == "cycle"]
    assert cycles and set(cycles[0]["accounts"]) == set(norm.values())
    fan = [f for f in found if f["pattern"] == "fan-in"]
    assert fan[0]["account"] == truth["fan_in"]["account"].replace("-", "")
    assert set(fan[0]["counterparty_accounts"]) <= {s.replace("-", "") for s in truth["fan_in"]["senders"]}
    st = [f for f in found if f["pattern"] == "structuring" and f["side"] == "received"]
    assert st[0]["account"] == truth["structuring"]["account"].replace("-", "")
    assert st[0]["entities"][0]["name"] and st[0]["transfers"] >= 3
