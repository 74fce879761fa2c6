"""Markings of the partner formats ↔ handling: TLP 1.0 / 2.0, statements, MISP tags and distribution."""

from __future__ import annotations

import pytest

from workstation.formats import markings as M
from workstation.staging import Handling

AMBER_STRICT_2 = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
WHITE_1 = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"
RED_1 = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"


def test_published_tlp_definitions_known_without_the_object():
    assert M.handling_from_stix([AMBER_STRICT_2], {}).tlp == "AMBER+STRICT"
    assert M.handling_from_stix([WHITE_1], {}).tlp == "CLEAR"          # TLP 1.0 WHITE = TLP 2.0 CLEAR
    with pytest.raises(M.MarkingError, match="neither defined in the bundle"):
        M.handling_from_stix(["marking-definition--00000000-0000-4000-8000-000000000000"], {})


def test_tlp_definitions_in_the_bundle_and_the_strictest_wins():
    tlp1 = {"id": "marking-definition--x", "definition_type": "tlp", "definition": {"tlp": "green"}}
    tlp2 = M.tlp2_definition("AMBER")
    h = M.handling_from_stix([tlp1["id"], tlp2["id"], RED_1], {tlp1["id"]: tlp1, tlp2["id"]: tlp2})
    assert h.tlp == "RED"


def test_statements_carry_releasability_legal_basis_and_caveats_back_and_forth():
    h = Handling(tlp="AMBER", releasable_to=["ID", "MY"], legal_basis="ASEAN MLAT 2004, request 12/2026",
                 caveats=["Not for use as evidence in court without MLA confirmation"])
    refs, defs = M.stix_marking_objects(h)
    assert refs[0] == "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"   # TLP 2.0 AMBER
    back = M.handling_from_stix(refs, {d["id"]: d for d in defs})
    assert M.same_marking(back, h)
    stix2 = pytest.importorskip("stix2", reason="stix2 (dev extra) judges the marking definitions")
    for d in defs:
        stix2.parse(d, allow_custom=False)


def test_statement_only_inherits_tlp():
    d = M.statement_definition("Copyright 2026 partner")
    h = M.handling_from_stix([d["id"]], {d["id"]: d})
    assert h.tlp == "" and h.caveats == ["Copyright 2026 partner"]


@pytest.mark.parametrize("tags, dist, expected_tlp", [
    (["tlp:white"], "3", "CLEAR"),
    (["tlp:amber+strict", "osint:source-type=\"blog-post\""], None, "AMBER+STRICT"),
    (["TLP:RED"], "0", "RED"),
    ([], "0", "AMBER+STRICT"),         # no tlp: tag: the distribution level decides
    ([], "1", "AMBER"),
    ([], "3", "GREEN"),
    (["tlp:ex:chr"], "1", "AMBER"),    # extension tags are not TLP levels
])
def test_misp_event_handling(tags, dist, expected_tlp):
    h = M.handling_from_misp(tags, dist)
    assert h.tlp == expected_tlp


def test_misp_attribute_inherits_or_narrows():
    event = M.handling_from_misp(["tlp:green"], "3")
    assert M.handling_from_misp([], "5", parent=event) is None
    own = M.handling_from_misp(["tlp:amber+strict"], "5", parent=event)
    assert own.tlp == "AMBER+STRICT"
    looser = M.handling_from_misp(["tlp:clear"], "5", parent=event)
    assert looser.tlp == "GREEN"                            # never looser than its event
    with pytest.raises(M.MarkingError):
        M.handling_from_misp([], "9")


def test_misp_tags_round_trip():
    h = Handling(tlp="AMBER+STRICT", releasable_to=["ID"], legal_basis="MLA 7/2026",
                 caveats=["MISP distribution: This community only", "court use needs MLA"])
    tags, dist = M.misp_tags_for(h)
    assert "tlp:amber+strict" in tags and dist == 1
    back = M.handling_from_misp(tags, dist)
    assert M.same_marking(back, h)
    with pytest.raises(M.MarkingError):
        M.misp_tags_for(Handling(tlp="PAP:RED"))


def test_ftm_handling_member():
    h = M.handling_from_json({"tlp": "amber+strict", "releasable_to": ["MY"]}, "line 3")
    assert (h.tlp, h.releasable_to) == ("AMBER+STRICT", ["MY"])
    with pytest.raises(M.MarkingError, match="line 3"):
        M.handling_from_json({"tlp": "SECRET"}, "line 3")


def test_merge_intersects_releasability():
    a = Handling(tlp="GREEN", releasable_to=["ID", "MY"])
    b = Handling(tlp="AMBER", releasable_to=["MY", "SG"])
    m = M.merge([a, b])
    assert m.tlp == "AMBER" and m.releasable_to == ["MY"]
