"""Helpers for the network tests: real case files filled through the real import pipeline,
and the published networks of ``shared/data`` (read in place; skipped with a reason where absent)."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

import pyarrow as pa
import pytest

from workstation.case import Case
from workstation.ingest import ingest
from workstation.staging import Handling, StagedSource, StagedTable

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "networks"


def shared(rel: str) -> Path:
    """A file of the shared test material, read in place (its licence keeps it there)."""
    p = DATA / rel
    if not p.exists():
        pytest.skip(f"shared test data {rel} not present on this machine")
    return p


def fixture(rel: str) -> Path:
    p = FIXTURES / rel
    if p.exists():
        return p
    return shared(rel)


def read_edges(path: Path, s: str = "source", t: str = "target") -> tuple[list[str], list[str], list[dict]]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r[s] for r in rows], [r[t] for r in rows], rows


def read_matrix(path: Path) -> tuple[list[str], list[list[float]]]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0][1:], [[float(x) for x in r[1:]] for r in rows[1:]]


def stage(tables: dict[str, list[dict]], bundle_id: str | None = None, country: str = "ID",
          tz: str = "Asia/Makassar", title: str = "test bundle") -> StagedSource:
    staged = []
    for kind, rows in tables.items():
        cols = sorted({k for r in rows for k in r})
        data = {c: pa.array([None if r.get(c) is None else str(r[c]) for r in rows], pa.string()) for c in cols}
        data["source_row"] = pa.array(range(2, len(rows) + 2), pa.int64())
        staged.append(StagedTable(kind=kind, file=f"data/{kind}.csv", arrow=pa.table(data)))
    return StagedSource(format="lintas-bundle/1", importer="test", title=title,
                        producer={"agency": "Test", "unit": None, "country": country, "contact": None},
                        handling=Handling(tlp="AMBER", releasable_to=["ID"]), tables=staged,
                        bundle_id=bundle_id or str(uuid.uuid4()), default_timezone=tz,
                        container_name=f"{title}.zip")


def make_case(path: Path, *bundles: dict[str, list[dict]], bundle_ids: list[str] | None = None) -> Case:
    case = Case.create(path, "Network test", ref="NET-1")
    for i, tables in enumerate(bundles):
        ingest(case, stage(tables, (bundle_ids or [None] * len(bundles))[i], title=f"bundle {i + 1}"))
    return case


def test_helper_fills_a_real_case(tmp_path):
    with make_case(tmp_path / "c.lintas", {
        "persons": [{"id": "P-1", "name": "Andi"}],
        "identifiers": [{"owner": "P-1", "kind": "phone", "value": "0812 3456 7890"}],
        "calls": [{"caller": "0812 3456 7890", "callee": "+60 12-345 6789", "start": "2026-01-05T10:00:00"}],
    }) as case:
        assert case.cursor().execute("SELECT caller_e164, callee_e164 FROM calls").fetchall() == [
            ("+6281234567890", "+60123456789")]
        assert case.cursor().execute("SELECT value_norm, owner_entity_id IS NOT NULL FROM identifiers"
                                     ).fetchall() == [("+6281234567890", True)]


def amlsim_case(path: Path, name: str) -> tuple[Case, dict[str, int]]:
    """An AMLSim set as one imported bundle of transfers (step = day from 2017-01-01, amounts in USD);
    returns the case and ``isFraud`` per account."""
    import duckdb

    folder = shared(f"aml_amlsim/{name}")
    con = duckdb.connect()
    tx = con.sql(
        f"SELECT 'AC' || sourceNodeId::VARCHAR AS from_account, 'AC' || targetNodeId::VARCHAR AS to_account, "
        f"strftime(TIMESTAMP '2017-01-01' + to_days(time::INT), '%Y-%m-%dT%H:%M:%SZ') AS time, "
        f"value::VARCHAR AS amount, 'USD' AS currency, (row_number() OVER () + 1)::BIGINT AS source_row "
        f"FROM read_csv('{folder / 'transactions.csv'}')").to_arrow_table()
    truth = dict(con.sql(f"SELECT 'AC' || nodeid::VARCHAR, isFraud FROM read_csv('{folder / 'nodes.csv'}')"
                         ).fetchall())
    con.close()
    case = Case.create(path, f"AMLSim {name}")
    src = stage({}, title=name)
    src.tables = [StagedTable(kind="transfers", file=f"{name}/transactions.csv", arrow=tx)]
    ingest(case, src)
    return case, truth


# -- a planted scenario: every pattern once, with the truth beside it ----------------------------
BOSS_OLD, BOSS_NEW = "+62811000001", "+62811000009"
PHONES = {"P-2": "+62812000002", "P-3": "+62813000003", "P-4": "+62814000004", "P-5": "+60123000005",
          "P-6": "+62816000006"}
BUNDLE_ID, PARTNER_BUNDLE_ID = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"


def _t(day: int, hour: int = 10, minute: int = 0, month: int = 1) -> str:
    from datetime import datetime, timedelta

    d = datetime(2026, month, 1) + timedelta(days=day, hours=hour, minutes=minute)
    return d.strftime("%Y-%m-%dT%H:%M:%S")


def scenario_tables() -> tuple[dict, dict]:
    persons = [{"id": "P-1", "name": "Hendra Wijaya"}, {"id": "P-2", "name": "Rudi Hartono"},
               {"id": "P-3", "name": "Siti Aminah"}, {"id": "P-4", "name": "Agus Salim"},
               {"id": "P-5", "name": "Lim Wei Ming"}, {"id": "P-6", "name": "Dewi Lestari"},
               {"id": "P-7", "name": "Yusuf Rahman"}]
    ids = [{"owner": "P-1", "kind": "phone", "value": BOSS_OLD},
           {"owner": "P-1", "kind": "bank_account", "value": "BNI-0011-2233"},
           {"owner": "P-4", "kind": "passport", "value": "A 1234567"},
           {"owner": "P-7", "kind": "bank_account", "value": "MDR-7777"}]
    ids += [{"owner": p, "kind": "phone", "value": v} for p, v in PHONES.items()]
    calls = []
    # The boss's old number talks to four contacts in January–February, then goes silent;
    # the new number talks to the same four from 5 March.
    for k, p in enumerate(("P-2", "P-3", "P-4", "P-5")):
        for d in range(0, 58, 6):
            calls.append({"caller": BOSS_OLD, "callee": PHONES[p], "start": _t(d + k, 9), "duration_s": 120})
        for d in range(63, 110, 6):
            calls.append({"caller": BOSS_NEW, "callee": PHONES[p], "start": _t(d + k, 9), "duration_s": 90})
    # Rudi and Siti: calls from the same cell within minutes, on three days.
    for d in (10, 24, 40):
        calls.append({"caller": PHONES["P-2"], "callee": PHONES["P-6"], "start": _t(d, 21, 0),
                      "cell_id": "BTG-017", "duration_s": 30})
        calls.append({"caller": PHONES["P-3"], "callee": PHONES["P-6"], "start": _t(d, 21, 12),
                      "cell_id": "BTG-017", "duration_s": 30})
    calls.append({"caller": PHONES["P-2"], "callee": PHONES["P-3"], "start": _t(5, 8), "cell_id": "SMD-002"})
    calls.append({"caller": PHONES["P-6"], "callee": "+62819999999", "start": _t(7, 8), "cell_id": "SMD-002"})
    travel = []
    for d in (15, 45, 80):   # the boss and Agus (by passport) on the same vessel three times
        travel.append({"time": _t(d, 6), "kind": "departure", "person": "P-1", "carrier": "KM Lambelu",
                       "voyage": f"LBL-{d}", "place_from": "Nunukan", "place_to": "Tawau"})
        travel.append({"time": _t(d, 6), "kind": "departure", "document": "A1234567", "carrier": "KM Lambelu",
                       "voyage": f"LBL-{d}", "place_from": "Nunukan", "place_to": "Tawau"})
    travel.append({"time": _t(45, 6), "kind": "departure", "person": "P-6", "carrier": "KM Lambelu",
                   "voyage": "LBL-45", "place_from": "Nunukan", "place_to": "Tawau"})
    tx = []
    # A loop: BNI-0011-2233 -> CIMB-1 -> MBB-2 -> back, about IDR 100 million a hop minus a fee.
    loop = [("BNI-0011-2233", "CIMB-1", 100_000_000), ("CIMB-1", "MBB-2", 99_000_000),
            ("MBB-2", "BNI 0011 2233", 98_500_000)]
    for i, (a, b, amt) in enumerate(loop):
        tx.append({"from_account": a, "to_account": b, "time": _t(20 + 2 * i, 11), "amount": amt, "currency": "IDR"})
    # Fan-in: six mule accounts pay into MDR-7777 within two days.
    for i in range(6):
        tx.append({"from_account": f"MULE-{i}", "to_account": "MDR-7777", "time": _t(30, 8 + 3 * i),
                   "amount": 15_000_000 + i * 1_000, "currency": "IDR"})
    # Structuring: four transfers just under IDR 500 million in five days.
    for i in range(4):
        tx.append({"from_account": "BRI-5555", "to_account": f"SHOP-{i}", "time": _t(50 + i, 13),
                   "amount": 480_000_000 + i * 2_500_000, "currency": "IDR"})
    # Pass-through: PASS-9 sends on 95% within three hours, twice.
    for d in (60, 70):
        tx.append({"from_account": "SRC-1", "to_account": "PASS-9", "time": _t(d, 9), "amount": 200_000_000,
                   "currency": "IDR"})
        tx.append({"from_account": "PASS-9", "to_account": "DST-1", "time": _t(d, 12), "amount": 190_000_000,
                   "currency": "IDR"})
    # Background transfers that should raise nothing.
    for i in range(10):
        tx.append({"from_account": f"SHOP-{i % 4}", "to_account": f"SUPPLIER-{i}", "time": _t(5 * i, 15),
                   "amount": 1_000_000 + 37_000 * i, "currency": "IDR"})
    incidents = []
    # 30 weeks of incidents: Bontang rising, Samarinda steady; sightings near Bontang harbour.
    import random

    rng = random.Random(7)
    n = 0
    for w in range(30):
        for place, lat, lon, rate in (("Bontang", 0.1333, 117.47, 2 + w // 6), ("Samarinda", -0.5022, 117.1536, 1)):
            for _ in range(rate + rng.randint(0, 1)):
                n += 1
                incidents.append({"id": f"INC-{n}", "time": _t(7 * w + rng.randint(0, 6), rng.randint(0, 23)),
                                  "kind": "smuggling" if n % 3 else "trafficking",
                                  "lat": lat + rng.uniform(-0.004, 0.004), "lon": lon + rng.uniform(-0.004, 0.004),
                                  "place": place})
    relationships = [{"source": "P-1", "target": "P-2", "kind": "associate"},
                     {"source": "P-1", "target": "P-7", "kind": "family"}]
    home = {"persons": persons, "identifiers": ids, "calls": calls, "travel": travel, "transfers": tx,
            "incidents": incidents, "relationships": relationships}
    partner = {"persons": [{"id": "M-7", "name": "Hendra Wijaya"}],
               "identifiers": [{"owner": "M-7", "kind": "phone", "value": BOSS_NEW}]}
    return home, partner


_TEMPLATES: dict[bool, Path] = {}


def scenario_case(path: Path, judged: bool = True) -> Case:
    """The planted scenario as two imported bundles (ours and a partner's); the analyst judged the
    partner's M-7 the same person as our P-1 unless ``judged`` is False.  Imported once per test
    session, then copied (the case file is the unit: a copy is the same case)."""
    import atexit
    import shutil
    import tempfile

    if judged not in _TEMPLATES:
        d = Path(tempfile.mkdtemp(prefix="lintas-scenario-"))
        atexit.register(shutil.rmtree, d, True)
        _build_scenario(d / "scenario.lintas", judged).close()
        _TEMPLATES[judged] = d / "scenario.lintas"
    shutil.copyfile(_TEMPLATES[judged], path)
    return Case.open(path)


def _build_scenario(path: Path, judged: bool) -> Case:
    home, partner = scenario_tables()
    case = make_case(path, home, partner, bundle_ids=[BUNDLE_ID, PARTNER_BUNDLE_ID])
    if judged:
        cur = case.cursor()
        a = cur.execute("SELECT entity_id FROM entities WHERE local_id = 'P-1'").fetchall()[0][0]
        b = cur.execute("SELECT entity_id FROM entities WHERE local_id = 'M-7'").fetchall()[0][0]
        cur.execute("INSERT INTO judgements (judgement_id, entity_a, entity_b, verdict, analyst, time_utc, reason) "
                    "VALUES (1, ?, ?, 'same', 'test', now(), 'same name, number in both bundles')", [a, b])
    return case
