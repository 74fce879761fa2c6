"""Crime patterns: a planted scenario in a real case, AMLSim's laundering typologies (precision and
recall against ``isFraud``), Denver's real incident coordinates, and the demo case's truth.

AMLSim (Apache-2.0) and Denver (CC BY 3.0) are read in place from ``shared/data``; the tests
skip with a reason where the data are absent."""

from __future__ import annotations

import json

import pytest

from analysis import patterns
from tests.test_network_support import (
    BOSS_NEW,
    BOSS_OLD,
    BUNDLE_ID,
    PARTNER_BUNDLE_ID,
    PHONES,
    amlsim_case,
    make_case,
    scenario_case,
    shared,
)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    case = scenario_case(tmp_path_factory.mktemp("scenario") / "s.lintas")
    yield case
    case.close()


def test_phone_switch_found_with_its_evidence(scenario):
    found = patterns.phone_switches(scenario)
    best = found[0]
    assert (best["old"], best["new"]) == (BOSS_OLD, BOSS_NEW)
    assert best["shared_contacts"] == 4 and best["score"] == pytest.approx(1 - 0.5 * 6 / 30, abs=1e-3)
    assert {e["contact"] for e in best["evidence"]} == {PHONES[p] for p in ("P-2", "P-3", "P-4", "P-5")}
    assert best["old_holder"]["id"] == "P-1" and best["old_holder"]["bundle_id"] == BUNDLE_ID
    assert best["new_holder"]["id"] == "M-7" and best["new_holder"]["bundle_id"] == PARTNER_BUNDLE_ID
    assert "4 of 4 contacts shared" in best["explanation"]
    assert all(f["score"] <= best["score"] for f in found)
    # Thresholds are the analyst's: a one-day silence is too short for this switch.
    assert not any(f["old"] == BOSS_OLD for f in patterns.phone_switches(scenario, max_gap_days=1))


def test_colocation_needs_repeated_meetings(scenario):
    found = patterns.colocation(scenario)
    assert len(found) == 1
    pair = found[0]
    assert {e["id"] for e in pair["entities"]} == {"P-2", "P-3"}
    assert pair["times"] == 3 and {e["where"] for e in pair["evidence"]} == {"cell BTG-017"}
    assert all(e["a_source"][0] == 1 for e in pair["evidence"])
    assert patterns.colocation(scenario, min_times=4) == []
    assert patterns.colocation(scenario, window_minutes=5) == []


def test_cotravel_links_a_person_and_a_passport_holder(scenario):
    found = patterns.cotravel(scenario)
    assert [sorted(e["id"] for e in f["entities"]) for f in found] == [["P-1", "P-4"]]
    assert found[0]["trips"] == 3 and len(found[0]["evidence"]) == 3
    assert found[0]["evidence"][0]["trip"].startswith("KM Lambelu LBL-15")
    assert len(patterns.cotravel(scenario, min_trips=1)) == 3


def test_money_flows_in_the_scenario(scenario):
    found = patterns.money_flows(scenario)
    by = {}
    for f in found:
        by.setdefault(f["pattern"], []).append(f)
    cycle = by["cycle"][0]
    assert cycle["accounts"] == ["BNI00112233", "CIMB1", "MBB2"]
    assert cycle["entities"][0]["id"] == "P-1" and cycle["entities"][0]["bundle_id"] == BUNDLE_ID
    assert len(cycle["evidence"]) == 3 and cycle["evidence"][0]["source"][0] == 1
    fan = by["fan-in"][0]
    assert fan["account"] == "MDR7777" and fan["entities"][0]["id"] == "P-7"
    assert fan["transfers"] == 6 and fan["counterparties"] == 6
    assert "fan-out" not in by
    st = by["structuring"]
    assert [(s["account"], s["side"], s["transfers"]) for s in st] == [("BRI5555", "sent", 4)]
    assert by["pass-through"][0]["account"] == "PASS9" and by["pass-through"][0]["times"] == 2
    assert "relay-chain" not in by
    # The threshold is configurable per currency.
    higher = patterns.money_flows(scenario, which=("structuring",), thresholds={"IDR": 1_000_000_000})
    assert higher == []


def test_hotspots_named_and_ranked(scenario):
    spots = patterns.hotspots(scenario, cell_km=10)
    assert [s["place"] for s in spots] == ["Bontang", "Samarinda"]
    assert spots[0]["count"] > spots[1]["count"] and spots[0]["z"] > 0 > spots[1]["z"]
    assert sum(s["count"] for s in spots) == scenario.cursor().execute("SELECT count(*) FROM incidents").fetchall()[0][0]
    assert spots[0]["evidence"][0]["source"][0] == 1


def test_hotspots_over_real_denver_incidents(tmp_path):
    import csv

    rows = []
    for i in (1, 2, 3):
        with open(shared(f"crime_incidents_denver/incidents_{i}.csv"), newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if not r["GEO_LAT"]:
                    continue
                month, day, rest = r["FIRST_OCCURRENCE_DATE"].split("/", 2)
                year, clock, ampm = rest.split(" ")
                h, mi, s = (int(x) for x in clock.split(":"))
                h = h % 12 + (12 if ampm == "PM" else 0)
                rows.append({"id": r["OFFENSE_ID"], "time": f"{year}-{int(month):02d}-{int(day):02d}T{h:02d}:{mi:02d}:{s:02d}",
                             "kind": r["OFFENSE_CATEGORY_ID"], "lat": r["GEO_LAT"], "lon": r["GEO_LON"],
                             "place": r["NEIGHBORHOOD_ID"]})
    from tests.test_network_support import stage
    from workstation.case import Case
    from workstation.ingest import ingest

    with Case.create(tmp_path / "denver.lintas", "Denver") as case:
        ingest(case, stage({"incidents": rows}, tz="America/Denver", country="US"))
        spots = patterns.hotspots(case, cell_km=1.0, top=3)
        n = len(rows)
        assert spots[0]["count"] >= spots[1]["count"] >= spots[2]["count"]
        # The busiest 1 km cell of these slices holds several incidents and is named by its neighbourhood.
        cells = case.cursor().execute(
            "SELECT count(*) AS c, mode(place) FROM incidents GROUP BY floor(lat / ?), floor(lon / ?) "
            "ORDER BY c DESC LIMIT 1", [1 / 111.32, 1 / 111.32]).fetchall()
        assert (spots[0]["count"], spots[0]["place"]) == cells[0]
        assert 0 < spots[0]["share"] < 1 and n >= 200


@pytest.mark.parametrize("name, which, options, min_precision, min_recall", [
    ("20K_cycle200", ("cycle", "relay-chain"), {}, 0.9, 0.3),
    ("20K_fanin200", ("fan-in",), {"fan_window_days": 1, "fan_min_transfers": 5, "fan_min_counterparties": 1},
     0.7, 0.19),
])
def test_amlsim_precision_and_recall(tmp_path, name, which, options, min_precision, min_recall):
    """Account-level precision and recall against AMLSim's ``isFraud`` (the figures are in the report)."""
    case, truth = amlsim_case(tmp_path / f"{name}.lintas", name)
    with case:
        found = patterns.money_flows(case, which=which, top=None, **options)
    flagged = set().union(*patterns.flagged_accounts(found, with_counterparties=False).values())
    fraud = {a for a, v in truth.items() if v == 1}
    tp = len(flagged & fraud)
    precision, recall = tp / max(1, len(flagged)), tp / len(fraud)
    print(json.dumps({"set": name, "patterns": which, "flagged": len(flagged), "fraud": len(fraud),
                      "precision": round(precision, 3), "recall": round(recall, 3)}))
    assert precision >= min_precision and recall >= min_recall


def test_unknown_pattern_and_bad_cells_refused(scenario):
    from workstation.errors import LintasError

    with pytest.raises(LintasError, match="unknown pattern"):
        patterns.find_patterns(scenario, "astrology")
    with pytest.raises(LintasError, match="above 0"):
        patterns.hotspots(scenario, cell_km=0)


def test_empty_case_finds_nothing(tmp_path):
    with make_case(tmp_path / "e.lintas") as case:
        for p in patterns.PATTERNS:
            assert patterns.find_patterns(case, p) == []
