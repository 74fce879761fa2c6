"""STIX 2.1 import: the OASIS examples, markings of our own marked bundle, and refusals."""

from __future__ import annotations

import json

import pytest

from tests.importing import snapshot
from tests.partner_formats import MISP, OWN, STIX, effective_handlings, import_file, rows
from workstation.case import Case
from workstation.errors import InputRefused
from workstation.formats import stix
from workstation.importers import ImportOptions, choose

APT1 = STIX / "apt1.json"
MARKED = OWN / "marked_bundle.json"


def _staged(path, **kw):
    return stix.IMPORTER.stage(path, ImportOptions(**kw))


def test_apt1_staged_counts():
    staged = _staged(APT1)
    t = {x.kind: x.arrow for x in staged.tables}
    assert t["relationships"].num_rows == 30
    # 76 objects: 30 relationships, 4 individuals (identities) and 42 SDOs kept as objects
    assert t["persons"].num_rows == 4 and t["objects"].num_rows == 42
    assert 30 + 4 + 42 == staged.manifest["objects"] == 76
    # source_row is the object's index in the bundle, the object kept whole in extra
    rel = t["relationships"].to_pylist()[0]
    obj = json.loads(APT1.read_text())["objects"][rel["source_row"] - 1]
    assert json.loads(rel["extra"])["stix"] == obj
    # e-mail addresses in contact_information become identifiers of the identity
    assert sorted(t["identifiers"].column("value").to_pylist()) == [
        "dota.d013@gmail.com", "mei_qiang_82@sohu.com", "uglygorilla@163.com", "uglygorilla@163.com"]


def test_recognised_by_content(tmp_path):
    p = tmp_path / "feed.dat"
    p.write_bytes(APT1.read_bytes())
    assert choose(p).name == "stix"
    assert choose(STIX / "infrastructure.json").name == "stix"   # objects without spec_version


def test_marked_bundle_handlings(case):
    result = import_file(case, MARKED)
    assert result.rows == {"persons": 2, "organizations": 1, "objects": 1, "identifiers": 3,
                           "relationships": 1, "sightings": 1}
    sid = result.source_id
    people = effective_handlings(case, sid, "persons", "t.name")
    assert people["Ahmad bin Yusof"] == ("AMBER+STRICT", (), None, ())
    # TLP 1.0 GREEN plus a statement marking Lintas understands as releasability
    assert people["Siti Rahmawati"] == ("GREEN", ("ID", "MY"), None, ())
    # a granular TLP:RED marking on the description makes the whole row RED (never looser)
    assert effective_handlings(case, sid, "relationships", "t.kind")["recruiter"][0] == "RED"
    # the sighting is marked AMBER like the source default, the indicator is unmarked
    assert effective_handlings(case, sid, "sightings", "t.subject") == {
        "identity--7d3f0c1e-2b5a-4c6d-8e9f-a0b1c2d3e4f5": ("AMBER", (), None, ())}
    assert rows(case, "SELECT place, time_utc::VARCHAR FROM sightings") == [
        ("Royal Malaysia Police, D7", "2026-11-03 02:15:00")]
    src = case.sources()[0]
    assert src["producer_agency"] == "Royal Malaysia Police, D7"
    assert sorted(r[0] for r in rows(case, "SELECT kind FROM identifiers WHERE owner LIKE 'identity--7d3f%'")) \
        == ["email", "phone"]
    labels = {r[0] for r in rows(case, "SELECT label FROM handlings")}
    assert "TLP:AMBER+STRICT (TLP 2.0)" in labels


@pytest.mark.parametrize("path, expected", [
    (STIX / "interop-objectmarking-test.json", "a single STIX object (campaign campaign--0c7b5b88"),
    (MISP / "stix20_bundle_from_pymisp_tests.json", "a STIX 2.0 bundle"),
    (OWN / "stix1_package.xml", "a STIX 1.x XML package"),
])
def test_refused_with_what_it_is(case, case_path, path, expected):
    case.close()
    before = snapshot(case_path)
    with Case.open(case_path) as c, pytest.raises(InputRefused) as e:
        import_file(c, path)
    assert expected in str(e.value)
    assert snapshot(case_path) == before


def test_malformed_truncated_and_dangling(tmp_path):
    text = APT1.read_text()
    cut = tmp_path / "cut.json"
    cut.write_text(text[: len(text) // 2])
    with pytest.raises(InputRefused) as e:
        _staged(cut)
    assert "truncated file" in str(e.value) and e.value.problems[0]["row"] > 1
    bad = tmp_path / "bad.json"
    bad.write_text(text.replace('"relationship_type"', '"relationship_type" "x"', 1))
    with pytest.raises(InputRefused) as e:
        _staged(bad)
    assert "malformed JSON" in str(e.value)
    doc = json.loads(text)
    rel = next(o for o in doc["objects"] if o["type"] == "relationship")
    rel["target_ref"] = "malware--00000000-0000-4000-8000-000000000000"
    dangling = tmp_path / "dangling.json"
    dangling.write_text(json.dumps(doc))
    with pytest.raises(InputRefused) as e:
        _staged(dangling)
    assert "dangling reference" in str(e.value) and "target_ref" in str(e.value)
    doc = json.loads(MARKED.read_text())
    doc["objects"][3]["object_marking_refs"] = ["marking-definition--00000000-0000-4000-8000-000000000001"]
    unknown = tmp_path / "unknown-marking.json"
    unknown.write_text(json.dumps(doc))
    with pytest.raises(InputRefused) as e:
        _staged(unknown)
    assert "unknown marking" in str(e.value)


def test_options_handling_sets_the_source_default():
    staged = _staged(APT1, handling={"tlp": "GREEN", "releasable_to": ["ID"]})
    assert staged.handling.tlp == "GREEN" and staged.handling.releasable_to == ["ID"]
    assert not staged.row_handlings


def test_observable_linked_to_a_person_is_also_an_identifier(tmp_path):
    doc = json.loads(MARKED.read_text())
    doc["objects"] += [
        {"type": "email-addr", "spec_version": "2.1", "id": "email-addr--2d4e6f80-1a3b-4c5d-8e7f-90a1b2c3d4e5",
         "value": "siti.r@mail.example"},
        {"type": "relationship", "spec_version": "2.1", "id": "relationship--b8d2f1e3-4c5a-4b6d-9e8f-0a1b2c3d4e5f",
         "created": "2026-11-02T08:00:00.000Z", "modified": "2026-11-02T08:00:00.000Z",
         "relationship_type": "uses", "source_ref": "identity--c2a1b0f9-8e7d-4c6b-a5f4-e3d2c1b0a9f8",
         "target_ref": "email-addr--2d4e6f80-1a3b-4c5d-8e7f-90a1b2c3d4e5"}]
    p = tmp_path / "linked.json"
    p.write_text(json.dumps(doc))
    t = {x.kind: x.arrow.to_pylist() for x in _staged(p).tables}
    linked = [i for i in t["identifiers"] if i["value"] == "siti.r@mail.example"]
    assert [(i["owner"], i["kind"]) for i in linked] == [("identity--c2a1b0f9-8e7d-4c6b-a5f4-e3d2c1b0a9f8", "email")]
    assert any(o["type"] == "email-addr" for o in t["objects"])   # the observable itself is kept


def test_empty_bundle_refused(tmp_path):
    p = tmp_path / "empty.json"
    p.write_text(json.dumps({"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56e",
                             "objects": [json.loads(MARKED.read_text())["objects"][0]]}))
    with pytest.raises(InputRefused, match="nothing to import"):
        _staged(p)
