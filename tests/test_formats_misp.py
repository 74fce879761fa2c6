"""MISP event import: CIRCL OSINT events (counts), our persons event (markings, owners), refusals."""

from __future__ import annotations

import json

import pytest

from tests.importing import snapshot
from tests.partner_formats import MISP, OWN, effective_handlings, import_file
from workstation.case import Case
from workstation.errors import InputRefused
from workstation.formats import misp
from workstation.importers import ImportOptions, choose

PERSONS = OWN / "persons_event.json"


def _tables(path, **kw):
    staged = misp.IMPORTER.stage(path, ImportOptions(**kw))
    return staged, {t.kind: t.arrow.to_pylist() for t in staged.tables}


def _counts(tables):
    objs = tables.get("objects", [])
    attributes = [o for o in objs if o["type"].startswith("misp-attribute:")]
    objects = [o for o in objs if o["type"].startswith("misp-object:")]
    object_attrs = sum(len(json.loads(o["properties"]).get("Attribute", [])) for o in objects)
    galaxies = {json.loads(o["properties"])["Galaxy"]["uuid"] for o in objs if o["type"].startswith("misp-galaxy:")}
    return len(attributes), len(objects), object_attrs, len(tables.get("relationships", [])), len(galaxies)


@pytest.mark.parametrize("name, expected", [
    ("existing_event.json", (9, 49, 113, 20, 4)),
    ("image_event.json", (19, 20, 60, 10, 1)),
    ("long_event.json", (370, 0, 0, 0, 0)),
])
def test_circl_events_counts(name, expected):
    staged, tables = _tables(MISP / name)
    assert _counts(tables) == expected
    assert staged.producer["agency"] == "CIRCL"
    assert staged.handling.tlp == "CLEAR"          # tlp:white
    assert choose(MISP / name).name == "misp"      # bare (existing_event) and wrapped events


def test_long_event_source(tmp_path):
    staged, _ = _tables(MISP / "long_event.json")
    assert (staged.format, staged.producer["agency"], staged.handling.tlp) == ("misp", "CIRCL", "CLEAR")
    assert staged.bundle_id == json.loads((MISP / "long_event.json").read_text())["Event"]["uuid"]


def test_persons_event_staged():
    staged, t = _tables(PERSONS)
    assert staged.handling.tlp == "AMBER"
    assert staged.handling.caveats == ["MISP distribution: This community only"]
    assert [p["name"] for p in t["persons"]] == ["Ahmad bin Yusof"]
    assert t["persons"][0]["birth_date"] == "1981-04-12" and t["persons"][0]["nationality"] == "MY"
    ids = sorted((i["kind"], i["value"], i["owner"]) for i in t["identifiers"])
    owner = "d4e5f6a7-b8c9-4d0e-9f2a-3b4c5d6e7f80"
    # the phone and bank-account objects belong to the person through object references
    assert ids == [("bank_account", "MY12MBBE0000123456789012", owner), ("imei", "356938035643809", owner),
                   ("passport", "A12345678", owner), ("phone", "+60123456789", owner)]
    passport = next(i for i in t["identifiers"] if i["kind"] == "passport")
    assert passport["country"] == "MY"
    assert [(s["subject"], s["place"], s["time"]) for s in t["sightings"]] == [
        ("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "Tawau cell 4101", "2026-11-04T00:00:00Z")]
    assert sorted(r["kind"] for r in t["relationships"]) == ["owns", "owns", "uses"]


def test_persons_event_markings(case):
    result = import_file(case, PERSONS)
    sid = result.source_id
    h = effective_handlings(case, sid, "objects", "t.name")
    dist = "MISP distribution: This community only"
    assert h["+60 12-345 6789"][0] == "AMBER+STRICT"                    # tlp:amber+strict attribute
    assert h["informant says the boat leaves Friday"][0] == "RED"      # tlp:red, distribution 0
    assert "MISP distribution: Your organisation only" in h["informant says the boat leaves Friday"][3]
    assert h["agen.kerja@mail.example"] == ("AMBER", (), None, (dist,))  # inherits the event
    assert h["+60123456789"][0] == "AMBER+STRICT"                        # phone object: its attributes' tags
    ids = effective_handlings(case, sid, "identifiers", "t.value")
    assert ids["+60123456789"][0] == "AMBER+STRICT" and ids["A12345678"][0] == "AMBER"


@pytest.mark.parametrize("content, expected", [
    ('{"Event": {"info": "x", "Attribute": [', "truncated file"),
    ('{"Event": {"info": "x",, "Attribute": []}}', "malformed JSON"),
    ('{"response": [{"Event": {}}, {"Event": {}}]}', "a MISP search response with 2 events"),
])
def test_refused_clearly_case_unchanged(case, case_path, tmp_path, content, expected):
    p = tmp_path / "event.json"
    p.write_text(content)
    case.close()
    before = snapshot(case_path)
    with Case.open(case_path) as c, pytest.raises(InputRefused) as e:
        import_file(c, p)
    assert expected in str(e.value)
    assert snapshot(case_path) == before


def test_dangling_object_reference(tmp_path):
    doc = json.loads(PERSONS.read_text())
    doc["Event"]["Object"][0]["ObjectReference"][0]["referenced_uuid"] = "00000000-0000-4000-8000-000000000000"
    p = tmp_path / "dangling.json"
    p.write_text(json.dumps(doc))
    with pytest.raises(InputRefused) as e:
        misp.IMPORTER.stage(p, ImportOptions())
    assert "dangling reference" in str(e.value)
    assert e.value.problems[0]["column"] == "Object[0].ObjectReference[0].referenced_uuid"
