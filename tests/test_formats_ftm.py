"""FollowTheMoney import (real nomenklatura donations file) and the schema table."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.importing import snapshot
from tests.partner_formats import FTM, import_file, rows
from workstation.errors import InputRefused
from workstation.formats import ftm
from workstation.importers import ImportOptions, choose

DONATIONS = FTM / "donations.ijson"


def test_recognised_by_content_not_name(tmp_path):
    renamed = tmp_path / "partner-data.txt"
    renamed.write_bytes(DONATIONS.read_bytes())
    assert choose(renamed).name == "ftm"


def test_staged_donations_counts_and_provenance():
    staged = ftm.IMPORTER.stage(DONATIONS, ImportOptions())
    tables = {t.kind: t.arrow for t in staged.tables}
    assert tables["persons"].num_rows == 22
    # 17 Organization + 56 Company
    kinds = tables["organizations"].column("kind").to_pylist()
    assert kinds.count("Organization") == 17 and kinds.count("Company") == 56
    assert tables["transfers"].num_rows == 290
    # 89 Address entities, one row per entity that refers to them
    addr_ids = {json.loads(e)["ftm"]["id"] for e in tables["addresses"].column("extra").to_pylist()}
    assert len(addr_ids) == 89
    assert tables["addresses"].num_rows == 103
    # line numbers as source_row: line 1 is the MLPD organisation
    first = tables["organizations"].to_pylist()[0]
    assert first["source_row"] == 1 and first["name"] == "MLPD"
    assert staged.default_timezone == "UTC"
    assert staged.manifest["entities"] == 474


def test_import_donations_into_case(case):
    result = import_file(case, DONATIONS, producer_country="DE")
    assert result.rows == {"persons": 22, "organizations": 73, "addresses": 103, "transfers": 290}
    total, currencies = rows(case, "SELECT sum(amount), list(DISTINCT currency) FROM transfers")[0]
    assert total == Decimal("40589689.15")
    assert currencies == ["EUR"]
    # every payer and beneficiary is an entity of the file, all 474 entities are kept
    n = rows(case, """SELECT count(*) FROM transfers t WHERE from_account IN
                      (SELECT id FROM persons UNION SELECT id FROM organizations)
                      AND to_account IN (SELECT id FROM organizations UNION SELECT id FROM persons)""")[0][0]
    assert n == 290
    kept = rows(case, """SELECT count(DISTINCT json_extract_string(extra, '$.ftm.id')) FROM (
                           SELECT extra FROM persons UNION ALL SELECT extra FROM organizations
                           UNION ALL SELECT extra FROM addresses UNION ALL SELECT extra FROM transfers)""")[0][0]
    assert kept == 474
    src = case.sources()[0]
    assert src["format"] == "ftm" and src["tlp"] == "AMBER"
    assert case.audit_entries()[-1]["action"] == "import"


def test_dangling_reference_refused_case_unchanged(case, case_path, tmp_path):
    lines = DONATIONS.read_text(encoding="utf-8").splitlines()
    bad = json.loads(lines[3])  # a Payment
    bad["properties"]["payer"] = ["no-such-entity"]
    lines[3] = json.dumps(bad)
    path = tmp_path / "dangling.ijson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    case.close()
    before = snapshot(case_path)
    from workstation.case import Case

    with Case.open(case_path) as c, pytest.raises(InputRefused) as e:
        import_file(c, path)
    assert "dangling reference: Payment.payer points to 'no-such-entity'" in str(e.value)
    assert e.value.problems[0]["row"] == 4 and e.value.problems[0]["column"] == "properties.payer"
    assert snapshot(case_path) == before


def test_truncated_and_malformed_lines_named(tmp_path):
    text = DONATIONS.read_text(encoding="utf-8")
    cut = tmp_path / "cut.ijson"
    cut.write_text(text[:5000], encoding="utf-8")
    with pytest.raises(InputRefused) as e:
        ftm.IMPORTER.stage(cut, ImportOptions())
    assert "truncated file" in str(e.value)
    assert e.value.problems[0]["row"] == text[:5000].count("\n") + 1
    broken = tmp_path / "broken.ijson"
    lines = text.splitlines()
    lines[9] = lines[9].replace('"schema"', "schema", 1)
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputRefused) as e:
        ftm.IMPORTER.stage(broken, ImportOptions())
    assert "malformed JSON" in str(e.value) and e.value.problems[0]["row"] == 10


def test_edges_identifiers_and_generic_entities(case, tmp_path):
    entities = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Budi Santoso", "Budi S."],
                                                          "birthDate": ["1980-02"], "phone": ["+62 812 3456 7890"],
                                                          "nationality": ["id"]}},
        {"id": "p2", "schema": "Person", "properties": {"firstName": ["Siti"], "lastName": ["Aminah"]}},
        {"id": "c1", "schema": "Company", "properties": {"name": ["PT Laut Biru"], "jurisdiction": ["id"],
                                                           "registrationNumber": ["AHU-123"]}},
        {"id": "e1", "schema": "Employment", "properties": {"employee": ["p2"], "employer": ["c1"],
                                                              "startDate": ["2024"], "role": ["cook"]}},
        {"id": "f1", "schema": "Family", "properties": {"person": ["p1"], "relative": ["p2"],
                                                          "relationship": ["cousin"]}},
        {"id": "pp1", "schema": "Passport", "properties": {"holder": ["p1"], "number": ["B1234567"],
                                                             "country": ["id"], "endDate": ["2030-01-01"]}},
        {"id": "v1", "schema": "Vessel", "properties": {"name": ["KM Bahari"], "imoNumber": ["IMO 9999999"],
                                                          "owner": ["c1"]}},
        {"id": "call1", "schema": "Call", "properties": {"callerNumber": ["+6281234567890"],
                                                           "receiverNumber": ["+60123456789"],
                                                           "date": ["2026-03-01T10:00:00+08:00"],
                                                           "duration": ["65"]}},
        {"id": "pay-no-date", "schema": "Payment", "properties": {"payer": ["p1"], "beneficiary": ["c1"],
                                                                    "amount": ["5000000"], "currency": ["IDR"]}},
    ]
    path = tmp_path / "mixed.ftm.json"
    path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    result = import_file(case, path)
    assert result.rows == {"persons": 2, "organizations": 1, "objects": 2, "identifiers": 2,
                           "relationships": 2, "calls": 1}
    assert rows(case, "SELECT name, aliases, birth_date FROM persons ORDER BY id") == [
        ("Budi Santoso", ["Budi S."], "1980-02"), ("Siti Aminah", [], None)]
    assert sorted(rows(case, "SELECT kind, start, note FROM relationships")) == [
        ("employee", "2024", "cook"), ("family", None, "cousin")]
    assert sorted(rows(case, "SELECT kind, value, valid_to FROM identifiers")) == [
        ("passport", "B1234567", "2030-01-01"), ("phone", "+62 812 3456 7890", None)]
    assert sorted(rows(case, "SELECT type, name FROM objects")) == [("Payment", None), ("Vessel", "KM Bahari")]
    props = json.loads(rows(case, "SELECT properties FROM objects WHERE type = 'Vessel'")[0][0])
    assert props["imoNumber"] == ["IMO 9999999"]
    assert any("Payment" in w and "generic" in w for w in result.warnings)
    assert rows(case, "SELECT caller_e164, duration_s FROM calls") == [("+6281234567890", 65.0)]


def test_schema_table_matches_followthemoney_library():
    pytest.importorskip("followthemoney", reason="followthemoney (dev extra) is the judge of the schema table")
    from workstation.formats.ftm_schema import SCHEMATA

    assert ftm.schema_table_from_library() == SCHEMATA


@pytest.mark.parametrize("module, path", [
    ("ftm", DONATIONS), ("stix", FTM.parent / "stix21" / "apt1.json"),
    ("misp", FTM.parent / "misp" / "existing_event.json")])
def test_cancel_stops_staging(module, path):
    import importlib

    from workstation.errors import Cancelled
    from workstation.progress import Progress

    importer = importlib.import_module(f"workstation.formats.{module}").IMPORTER
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        importer.stage(path, ImportOptions(), progress)
