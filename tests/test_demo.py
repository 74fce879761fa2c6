"""The demo generator: deterministic bytes, truths that hold in the data, a case that imports.

The truths are checked against the generated tables themselves (numbers
normalised by the import pipeline's own normaliser), not against the
generator's internal state: a truth that the data does not bear out fails here.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import pytest

from workstation.demo import THRESHOLD_IDR, build_demo, demo_keyring, generate, pack_scenario, write_scenario
from workstation.demo import cast as C
from workstation.normalise import phone_e164

SCALE = 0.3


@pytest.fixture(scope="module")
def scenario():
    return generate(seed=14, scale=SCALE)


def _bundle(sc, key):
    return next(b for b in sc.bundles if b.key == key)


def _tables(sc, kind):
    """(bundle, table, column mapping) for every table of ``kind``."""
    for b in sc.bundles:
        for t in b.tables:
            if t.kind == kind:
                yield b, t


def _col(t, name):
    return t.table.column(t.columns.get(name, name)).to_pylist()


def _utc(text: str, default_offset: str) -> datetime:
    if not (text.endswith("Z") or "+" in text[10:] or "-" in text[10:]):
        text += default_offset
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


_E164: dict[tuple[str, str], str | None] = {}


def _e164(raw: str, region: str) -> str | None:
    k = (raw, region)
    if k not in _E164:
        _E164[k] = phone_e164(raw, region)
    return _E164[k]


def _calls(sc):
    """Every call as (caller E.164, callee E.164, UTC time), CDRs only (the seized log repeats them)."""
    out = []
    for b, t in _tables(sc, "calls"):
        if "ponsel" in t.path:
            continue
        region = b.manifest["producer"]["country"]
        for a, c, s in zip(_col(t, "caller"), _col(t, "callee"), _col(t, "start"), strict=True):
            out.append((_e164(a, region), _e164(c, region), _utc(s, "+08:00")))
    return out


def _digest(directory: Path) -> dict[str, str]:
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


# -- determinism ------------------------------------------------------------------------
def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path):
    a = write_scenario(generate(seed=14, scale=0.1), tmp_path / "a")
    b = write_scenario(generate(seed=14, scale=0.1), tmp_path / "b")
    c = write_scenario(generate(seed=15, scale=0.1), tmp_path / "c")
    da = _digest(tmp_path / "a")
    assert da == _digest(tmp_path / "b")
    assert len(da) > 25 and set(a) == set(b) == set(c)
    dc = _digest(tmp_path / "c")
    cdr = "polres-bontang-ekstraksi/data/cdr_telkomsel.parquet"
    assert da[cdr] != dc[cdr]
    # every format of DESIGN.md is used
    formats = {t["format"] for k in a for t in json.loads((a[k] / "manifest.json").read_text())["tables"]}
    assert formats == {"csv", "parquet", "jsonl"}


def test_scale_sets_the_size():
    small, big = generate(14, 0.1), generate(14, 2.0)
    rows = [sum(t.table.num_rows for b in s.bundles for t in b.tables) for s in (small, big)]
    assert 300 < rows[0] < 1500
    assert rows[1] > 8000
    assert big.truth["network"]["calls"] == pytest.approx(6000, rel=0.05)


# -- the data as an analyst receives it -----------------------------------------------------
def test_every_phone_number_normalises_with_the_producers_country(scenario):
    seen = 0
    for b in scenario.bundles:
        region = b.manifest["producer"]["country"]
        for t in b.tables:
            cols = {"calls": ("caller", "callee"), "messages": ("sender", "recipient"),
                    "contacts": ("value",)}.get(t.kind, ())
            values = [v for c in cols for v in _col(t, c)]
            if t.kind == "identifiers":
                values = [v for v, k in zip(_col(t, "value"), _col(t, "kind"), strict=True) if k == "phone"]
            for v in set(values):
                assert _e164(v, region), f"{b.key}/{t.path}: {v!r} is not a valid number from {region}"
                seen += 1
    assert seen > 500


def test_indonesian_numbers_are_written_in_mixed_styles(scenario):
    rizal = _bundle(scenario, C.BONTANG_PHONE)
    written = set()
    for t in rizal.tables:
        if t.kind in ("calls", "contacts", "messages"):
            for c in ("caller", "callee", "value", "sender", "recipient"):
                if t.columns.get(c, c) in t.table.column_names:
                    written |= {v for v in _col(t, c) if _e164(v, "ID") == "+6281234567890"}
    assert {"0812-3456-7890", "+62 812 3456 7890", "6281234567890"} <= written


def test_times_carry_offsets_or_the_bundle_names_a_zone(scenario):
    for b in scenario.bundles:
        for t in b.tables:
            name = {"calls": "start", "messages": "time", "transfers": "time", "travel": "time",
                    "sightings": "time", "incidents": "time"}.get(t.kind)
            if name:
                naive = [v for v in _col(t, name) if not (v.endswith("Z") or "+" in v[10:])]
                if naive:
                    assert b.manifest["default_timezone"], f"{b.key}/{t.path} has naive times"
    naive_log = next(t for t in _bundle(scenario, C.BONTANG_PHONE).tables if t.path.endswith("panggilan.csv"))
    assert _bundle(scenario, C.BONTANG_PHONE).manifest["default_timezone"] == "Asia/Makassar"
    assert "+" not in _col(naive_log, "start")[0][10:]


def test_handling_differs_per_bundle_and_some_are_signed(scenario):
    tlps = {b.key: b.manifest["handling"]["tlp"] for b in scenario.bundles}
    assert set(tlps.values()) >= {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT"}
    rel = {b.key: tuple(b.manifest["handling"]["releasable_to"]) for b in scenario.bundles}
    assert len(set(rel.values())) >= 4
    signers = [b.signer for b in scenario.bundles]
    assert None in signers and len({s for s in signers if s}) == 4
    countries = {b.manifest["producer"]["country"] for b in scenario.bundles}
    assert countries == {"ID", "MY", "INTERPOL", "PH"}


# -- the planted truths hold in the data ------------------------------------------------------
def test_phone_switches_have_disjoint_periods_and_shared_contacts(scenario):
    calls = _calls(scenario)
    switches = scenario.truth["phone_switches"]
    assert len(switches) == 2
    for s in switches:
        old = [(a if b == s["old"] else b, t) for a, b, t in calls if s["old"] in (a, b)]
        new = [(a if b == s["new"] else b, t) for a, b, t in calls if s["new"] in (a, b)]
        assert old and new
        assert max(t for _, t in old) < min(t for _, t in new), "active periods overlap"
        switch = datetime.fromisoformat(s["switch_date"] + "T00:00:00+08:00")
        assert all(t < switch for _, t in old), "the old number is not silent after the switch"
        po, pn = {p for p, _ in old}, {p for p, _ in new}
        shared = po & pn
        assert len(shared) >= 5 and len(shared) / len(po | pn) >= 0.6
        assert sorted(shared) == s["shared_contacts"]


def test_key_organisers_are_the_most_central_in_the_calls_network(scenario):
    g = nx.Graph()
    g.add_edges_from((a, b) for a, b, _ in _calls(scenario))
    organisers = {p for o in scenario.truth["key_organisers"] for p in o["phones"]}
    assert len(organisers) == 2
    deg = sorted(g.degree, key=lambda kv: -kv[1])
    btw = sorted(nx.betweenness_centrality(g).items(), key=lambda kv: -kv[1])
    assert {n for n, _ in deg[:2]} == organisers
    assert {n for n, _ in btw[:2]} == organisers
    assert deg[0][0] == "+6281234567890" and btw[0][0] == "+6281234567890"
    assert deg[1][1] > deg[2][1] and btw[1][1] > 1.15 * btw[2][1]   # a margin, not a tie


@pytest.mark.parametrize("scale", [4.0])
def test_key_organisers_stay_on_top_as_the_background_grows(scale):
    import igraph as ig

    sc = generate(14, scale)
    edges = {tuple(sorted((a, b))) for a, b, _ in _calls(sc)}
    names = sorted({v for e in edges for v in e})
    idx = {v: i for i, v in enumerate(names)}
    g = ig.Graph([(idx[a], idx[b]) for a, b in edges])
    organisers = {p for o in sc.truth["key_organisers"] for p in o["phones"]}
    for measure in (g.degree(), g.betweenness()):
        top = sorted(range(len(names)), key=lambda i: -measure[i])[:3]
        assert {names[i] for i in top[:2]} == organisers
        assert measure[top[1]] > measure[top[2]]
    assert len(names) > 400 * scale      # the background really grew


def test_colocation_meetings_are_in_the_cdr(scenario):
    co = scenario.truth["colocation"][0]
    cdr = next(t for t in _bundle(scenario, C.BONTANG_PHONE).tables if t.path.endswith(".parquet"))
    hits = defaultdict(list)
    for a, cell, start in zip(_col(cdr, "caller"), _col(cdr, "cell_id"), _col(cdr, "start"), strict=True):
        if cell == co["cell_id"]:
            hits[_e164(a, "ID")].append(_utc(start, "+08:00"))
    assert set(hits) == {co["a"]["phone"], co["b"]["phone"]}
    for t in co["times"]:
        t0 = datetime.fromisoformat(t.replace("Z", "+00:00"))
        assert any(abs((x - t0).total_seconds()) <= co["window_minutes"] * 60 for x in hits[co["b"]["phone"]])


def _transfers(sc):
    t = next(t for _, t in _tables(sc, "transfers"))
    return [(f, to, _utc(time, "+07:00"), float(a), ch) for f, to, time, a, ch in zip(
        _col(t, "from_account"), _col(t, "to_account"), _col(t, "time"), _col(t, "amount"), _col(t, "channel"),
        strict=True)]


def test_money_cycle_closes_in_the_transfers(scenario):
    tr = _transfers(scenario)
    cyc = scenario.truth["money_cycle"]
    accounts = cyc["accounts"]
    assert accounts[0] == accounts[-1] and len(set(accounts)) == len(accounts) - 1 >= 3
    for legs in cyc["rounds"]:
        times = []
        for leg, (a, b) in zip(legs, zip(accounts, accounts[1:], strict=False), strict=True):
            assert (leg["from"], leg["to"]) == (a, b)
            match = [x for x in tr if x[0] == a and x[1] == b and x[3] == leg["amount"]]
            assert len(match) == 1
            times.append(match[0][2])
        assert times == sorted(times) and (times[-1] - times[0]).days <= 12
        amounts = [leg["amount"] for leg in legs]
        assert amounts == sorted(amounts, reverse=True)


def test_background_money_has_no_cycles(scenario):
    g = nx.DiGraph()
    cycle = set(scenario.truth["money_cycle"]["accounts"])
    g.add_edges_from((f, t) for f, t, *_ in _transfers(scenario))
    found = {frozenset(c) for c in nx.simple_cycles(g)}
    assert found == {frozenset(cycle)}


def test_structuring_deposits_are_just_under_the_threshold(scenario):
    tr = _transfers(scenario)
    s = scenario.truth["structuring"]
    assert s["threshold"]["amount"] == THRESHOLD_IDR
    low, high = s["band"]
    deposits = [x for x in tr if x[1] == s["account"] and x[4] == "setor_tunai"]
    assert len(deposits) == len(s["deposits"]) >= 10
    assert all(low <= x[3] < high for x in deposits)
    assert (max(x[2] for x in deposits) - min(x[2] for x in deposits)).days <= 31
    # nothing else sits in the band: the pattern is the planted one
    assert [x for x in tr if low <= x[3] < high and x[1] != s["account"]] == []


def test_fan_in_account_stands_out(scenario):
    tr = _transfers(scenario)
    f = scenario.truth["fan_in"]
    senders = defaultdict(set)
    for a, b, *_ in tr:
        senders[b].add(a)
    assert senders[f["account"]] >= set(f["senders"]) and len(f["senders"]) >= 20
    start, end = (datetime.fromisoformat(x.replace("Z", "+00:00")) for x in f["window"])
    assert (end - start).days <= 10
    others = sorted((len(v) for k, v in senders.items() if k != f["account"]), reverse=True)
    assert others[0] <= len(f["senders"]) // 2
    # and the takings move on within a day of each weekly close
    assert sum(p["amount"] for p in f["pass_through"]) == pytest.approx(f["total"])


def test_co_travel_pairs_share_voyages_and_no_one_else_does(scenario):
    itp = next(t for _, t in _tables(scenario, "travel") if t.path == "data/travel.csv")
    voyages = defaultdict(set)
    for p, v in zip(_col(itp, "person"), _col(itp, "voyage"), strict=True):
        if p:
            voyages[p].add(v)
    for pair in scenario.truth["co_travel"]:
        shared = voyages[pair["a"]["id"]] & voyages[pair["b"]["id"]]
        assert shared == {v["voyage"] for v in pair["voyages"]} and len(shared) >= 2
    # border crossings by document: only the planted pair crosses together three times
    pdrm = next(t for _, t in _tables(scenario, "travel") if t.path.endswith(".parquet"))
    by_doc = defaultdict(set)
    for d, v in zip(_col(pdrm, "document"), _col(pdrm, "voyage"), strict=True):
        by_doc[d].add(v)
    together = defaultdict(int)
    by_voy = defaultdict(list)
    for d, vs in by_doc.items():
        for v in vs:
            by_voy[v].append(d)
    for docs in by_voy.values():
        for i, a in enumerate(sorted(docs)):
            for b in sorted(docs)[i + 1:]:
                together[(a, b)] += 1
    assert {k for k, n in together.items() if n >= 3} == {("C1234567", "C2468013")}


def test_same_persons_and_victims_point_at_real_rows(scenario):
    persons = {}
    for b, t in _tables(scenario, "persons"):
        for pid, name, role in zip(_col(t, "id"), _col(t, "name"), _col(t, "role"), strict=True):
            persons[(b.manifest["bundle_id"], pid)] = (name, role)
    groups = scenario.truth["same_persons"]
    assert len(groups) >= 15 and len(scenario.truth["same_person_pairs"]) >= 25
    spellings = set()
    for g in groups:
        for r in g["refs"]:
            assert persons[(r["bundle_id"], r["id"])][0] == r["name"]
            spellings.add(r["name"])
    assert {"Muhammad Rizal bin Abdullah", "Mohd Rizal Abdullah", "RIZAL, Mohamad", "Soenarjo Wibowo",
            "Sunaryo Wibowo", "Djoko Santoso", "SANTOSO, Joko", "Tan Hok Seng", "Hendra Tanoto",
            "Jose de la Cruz", "DELA CRUZ, Jose"} <= spellings
    # a name in another script is carried with its Latin form
    pdrm = next(t for b, t in _tables(scenario, "persons") if b.key == C.PDRM)
    aliases = {a for lst in _col(pdrm, "aliases") for a in lst}
    assert "عبد الرحمن بن يوسف" in aliases and "陈福生" in aliases
    victims = scenario.truth["victims"]
    assert len(victims) == 16
    for v in victims:
        for r in v["refs"]:
            assert persons[(r["bundle_id"], r["id"])][1] == "victim"
    for d in scenario.truth["different_persons"]:
        assert (d["a"]["bundle_id"], d["a"]["id"]) in persons and (d["b"]["bundle_id"], d["b"]["id"]) in persons


# -- the packages ----------------------------------------------------------------------------
def test_packed_bundles_are_reproducible_and_verify_against_the_demo_keys(tmp_path):
    from workstation.bundle import verify
    from workstation.keys import Keyring

    sc = generate(14, 0.1)
    a = pack_scenario(sc, tmp_path / "a")
    b = pack_scenario(sc, tmp_path / "b")
    ring = demo_keyring()
    for b_out in sc.bundles:
        za, zb = a[b_out.key], b[b_out.key]
        assert za.read_bytes() == zb.read_bytes(), f"{za.name} differs between two packs"
        report = verify(za, keyring=ring, allow_unsigned=b_out.signer is None)
        assert report.valid, report.problems
        if b_out.signer:
            assert report.signer["trusted"] and report.signer["name"].startswith("DEMO ")
        else:
            assert report.signer is None
            assert not verify(za, keyring=ring).valid          # unsigned needs consent
    # with an empty keyring a signed demo bundle is refused: the demo keys are trusted nowhere else
    refused = verify(a[C.PDRM], keyring=Keyring.in_memory([]))
    assert not refused.valid and "not in your keyring" in refused.problems[0]["reason"]


# -- the demo case ----------------------------------------------------------------------------
def test_build_demo_imports_every_bundle(tmp_path):
    from workstation.case import Case

    result = build_demo(tmp_path / "demo", scale=0.1, seed=14)
    truth = json.loads(result["truth"].read_text(encoding="utf-8"))
    assert result["case"].parent == result["truth"].parent      # beside the case, not inside it
    expected: dict[str, int] = defaultdict(int)
    sc = generate(14, 0.1)
    for b in sc.bundles:
        for t in b.tables:
            expected[t.kind] += t.table.num_rows
    with Case.open(result["case"], read_only=True) as case:
        assert case.title == "Operasi Mawar"
        counts = case.row_counts()
        assert {k: counts.get(k, 0) for k in expected} == dict(expected)
        status = dict(case.con.execute("SELECT bundle_id, signature_status FROM sources").fetchall())
        roles = dict(case.con.execute("SELECT role, count(*) FROM persons GROUP BY role").fetchall())
        n_att = case.con.execute("SELECT count(*) FROM attachments").fetchone()[0]
    for key, b in truth["bundles"].items():
        assert status[b["bundle_id"]] == ("unsigned" if b["signed_by"] is None else "verified"), key
    assert roles["victim"] == sum(len(v["refs"]) for v in truth["victims"])
    assert set(roles) == {"suspect", "victim", "witness"}
    assert n_att == 2
    assert len(result["bundles"]) == 6 and all(p.suffix == ".zip" for p in result["bundles"])


def test_cancelling_the_demo_build_leaves_no_case(tmp_path):
    from workstation.errors import Cancelled
    from workstation.progress import Progress

    seen = []

    def cancel_during_import(fraction, message):
        seen.append(message)
        if fraction > 0.42:
            progress.cancel()

    progress = Progress(cancel_during_import, min_interval=0)
    with pytest.raises(Cancelled):
        build_demo(tmp_path / "demo", scale=0.1, seed=14, progress=progress)
    assert not (tmp_path / "demo" / "demo.lintas").exists()
    assert not (tmp_path / "demo" / "truth.json").exists()
    assert any(m.startswith("generating") for m in seen)
