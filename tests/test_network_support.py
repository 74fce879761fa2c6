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
