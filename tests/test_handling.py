"""Handling rules (issue 6, item 1): every branch, table-driven, and the SQL twins
checked against the Python rules on the same table."""

import duckdb
import pytest

from workstation import handling as H
from workstation.staging import Handling

# (tlp, releasable_to, producer, recipient) -> (allowed, code)
RELEASE_CASES = [
    # 1. back to the producer, whatever the handling
    ("RED", [], "MY", "MY", True, "producer"),
    ("AMBER+STRICT", ["ID"], "MY", "MY", True, "producer"),
    ("GREEN", [], "my", " MY ", True, "producer"),
    ("bogus", None, "INTERPOL", "interpol", True, "producer"),
    # 2. RED and AMBER+STRICT to nobody else, even when listed
    ("RED", ["MY", "INTERPOL"], "ID", "MY", False, "tlp-red"),
    ("TLP:RED", [], "ID", "INTERPOL", False, "tlp-red"),
    ("AMBER+STRICT", ["MY"], "ID", "MY", False, "tlp-amber-strict"),
    ("tlp:amber+strict", None, "ID", "SG", False, "tlp-amber-strict"),
    # 3. releasable_to decides
    ("AMBER", ["ID", "MY", "INTERPOL"], "ID", "MY", True, "releasable-to"),
    ("AMBER", ["ID", "MY", "INTERPOL"], "PH", "INTERPOL", True, "releasable-to"),
    ("AMBER", ["ID", "MY"], "PH", "INTERPOL", False, "not-releasable-to"),
    ("GREEN", ["my"], "ID", "MY", True, "releasable-to"),
    ("GREEN", ["ID"], "ID", "MY", False, "not-releasable-to"),
    ("GREEN", [], "ID", "MY", False, "no-releasable-to"),
    ("AMBER", None, "ID", "MY", False, "no-releasable-to"),
    # 4. CLEAR with no releasable_to goes to anyone; with a list, the list decides
    ("CLEAR", [], "ID", "MY", True, "clear"),
    ("CLEAR", None, None, "EUROPOL", True, "clear"),
    ("WHITE", [], "ID", "SG", True, "clear"),
    ("CLEAR", ["SG"], "ID", "MY", False, "not-releasable-to"),
    ("CLEAR", ["MY"], "ID", "MY", True, "releasable-to"),
    # fail safe: a TLP that is not TLP 2.0 is withheld
    ("PURPLE", ["MY"], "ID", "MY", False, "tlp-unknown"),
    (None, ["MY"], "ID", "MY", False, "tlp-unknown"),
    # no producer known: no producer rule
    ("AMBER", ["MY"], None, "MY", True, "releasable-to"),
    ("RED", [], None, "MY", False, "tlp-red"),
    # empty codes in the list are ignored
    ("AMBER", ["", " "], "ID", "MY", False, "no-releasable-to"),
]


@pytest.mark.parametrize("tlp,rel,producer,recipient,allowed,code", RELEASE_CASES)
def test_may_release(tlp, rel, producer, recipient, allowed, code):
    got_allowed, why = H.may_release({"tlp": tlp, "releasable_to": rel}, producer, recipient)
    assert (got_allowed, why.code) == (allowed, code)
    assert why.en and why.id and why is H.REASONS[code]
    assert (code in H.RELEASED_CODES) == allowed


def test_may_release_takes_a_handling_object():
    h = Handling(tlp="AMBER", releasable_to=["MY"])
    assert H.may_release(h, "ID", "MY") == (True, H.REASONS["releasable-to"])
    assert H.may_release(h, "ID", "SG").allowed is False


def test_a_single_code_string_is_one_code_not_letters():
    assert H.may_release({"tlp": "AMBER", "releasable_to": "MY"}, "ID", "MY").allowed
    assert not H.may_release({"tlp": "AMBER", "releasable_to": "MY"}, "ID", "M").allowed


def test_recipient_required():
    with pytest.raises(H.HandlingError):
        H.may_release({"tlp": "CLEAR"}, "ID", " ")


def _sql_release(con, tlp, rel, producer, recipient):
    expr = H.release_code_sql("t", "r", "p", "q")
    return con.execute(f"SELECT {expr}, {H.released_sql(expr)} FROM "
                       "(SELECT ?::VARCHAR t, ?::VARCHAR[] r, ?::VARCHAR p, ?::VARCHAR q)",
                       [tlp, rel, producer, recipient]).fetchone()


@pytest.mark.parametrize("tlp,rel,producer,recipient,allowed,code", RELEASE_CASES)
def test_release_sql_agrees_with_python(tlp, rel, producer, recipient, allowed, code):
    con = duckdb.connect()
    assert _sql_release(con, tlp, rel, producer, recipient) == (code, allowed)
    # the same with the handling normalised once in an inner query
    expr = H.release_code_sql("t", "r", "p", "q", normalised=True)
    got = con.execute(f"SELECT {expr} FROM (SELECT {H.norm_tlp_sql('t0')} t, {H.norm_list_sql('r0')} r, p, q "
                      "FROM (SELECT ?::VARCHAR t0, ?::VARCHAR[] r0, ?::VARCHAR p, ?::VARCHAR q))",
                      [tlp, rel, producer, recipient]).fetchone()[0]
    assert got == code


@pytest.mark.parametrize("tlps,expected", [
    ([], "CLEAR"),
    (["CLEAR"], "CLEAR"),
    (["CLEAR", "GREEN"], "GREEN"),
    (["GREEN", "AMBER", "CLEAR"], "AMBER"),
    (["AMBER", "AMBER+STRICT"], "AMBER+STRICT"),
    (["RED", "CLEAR"], "RED"),
    (["tlp:amber", "WHITE"], "AMBER"),
    (iter(["GREEN", "AMBER"]), "AMBER"),
])
def test_strictest(tlps, expected):
    assert H.strictest(tlps) == expected


@pytest.mark.parametrize("bad", [["AMBER", "PURPLE"], [None], ["TLP:"]])
def test_strictest_refuses_unknown_labels(bad):
    with pytest.raises(H.HandlingError):
        H.strictest(bad)


def test_tlp_rank_and_normalise():
    assert [H.tlp_rank(t) for t in H.TLP_ORDER] == [0, 1, 2, 3, 4]
    assert H.normalise_tlp(" tlp:amber + strict ") == "AMBER+STRICT"
    assert H.normalise_tlp("white") == "CLEAR"
    assert H.normalise_tlp("amber-strict") is None
    assert H.normalise_tlp(None) is None
    with pytest.raises(H.HandlingError):
        H.tlp_rank("none")
    assert H.normalise_code("  my ") == "MY" and H.normalise_code("") is None


# (releasable_to, producer, recipient, mode) -> (mask, code)
MASK_CASES = [
    (["MY"], "MY", "MY", "auto", False, "pd-producer"),
    ([], "MY", "MY", "all", False, "pd-producer"),
    ([], "MY", "MY", "none", False, "pd-producer"),
    (["MY", "ID"], "ID", "MY", "auto", False, "pd-releasable-to"),
    (["my"], "ID", "MY", "auto", False, "pd-releasable-to"),
    ([], "ID", "MY", "auto", True, "pd-public"),
    (None, "ID", "INTERPOL", "auto", True, "pd-public"),
    (["SG"], "ID", "MY", "auto", True, "pd-public"),
    (["MY"], "ID", "MY", "all", True, "pd-mask-requested"),
    ([], "ID", "MY", "none", False, "pd-clear-requested"),
    (["MY"], None, "MY", "auto", False, "pd-releasable-to"),
]


@pytest.mark.parametrize("rel,producer,recipient,mode,mask,code", MASK_CASES)
def test_personal_data_treatment(rel, producer, recipient, mode, mask, code):
    got, why = H.personal_data_treatment({"releasable_to": rel}, producer, recipient, mode)
    assert (got, why.code) == (mask, code)
    assert (code in H.MASKED_CODES) == mask


@pytest.mark.parametrize("rel,producer,recipient,mode,mask,code", MASK_CASES)
def test_mask_sql_agrees_with_python(rel, producer, recipient, mode, mask, code):
    expr = H.mask_code_sql("r", "p", "q", mode)
    got = duckdb.connect().execute(
        f"SELECT {expr}, {H.masked_sql(expr)} FROM (SELECT ?::VARCHAR[] r, ?::VARCHAR p, ?::VARCHAR q)",
        [rel, producer, recipient]).fetchone()
    assert got == (code, mask)
    expr = H.mask_code_sql("r", "p", "q", mode, normalised=True)
    got = duckdb.connect().execute(
        f"SELECT {expr} FROM (SELECT {H.norm_list_sql('r0')} r, p, q FROM "
        "(SELECT ?::VARCHAR[] r0, ?::VARCHAR p, ?::VARCHAR q))", [rel, producer, recipient]).fetchone()[0]
    assert got == code


def test_masking_mode_checked():
    with pytest.raises(H.HandlingError):
        H.personal_data_treatment({}, "ID", "MY", "some")
    with pytest.raises(H.HandlingError):
        H.mask_code_sql("r", "p", "q", "some")


def test_mask_value_is_a_stable_salted_pseudonym_and_sql_agrees():
    a = H.mask_value("+60123456789", "salt-1")
    assert a.startswith("masked:") and len(a) == len("masked:") + 16
    assert a == H.mask_value("+60123456789", "salt-1")
    assert a != H.mask_value("+60123456789", "salt-2")
    assert a != H.mask_value("+60123456780", "salt-1")
    assert "60123456789" not in a
    assert H.mask_value(None, "s") is None
    con = duckdb.connect()
    for v in ("+60123456789", "Siti Nurhaliza", "Мухаммед", "王伟", None):
        got = con.execute(f"SELECT {H.mask_value_sql('v', '?')} FROM (SELECT ?::VARCHAR v)",
                          ["salt-1", v]).fetchone()[0]
        assert got == H.mask_value(v, "salt-1")


def test_every_reason_has_words_in_both_languages():
    for code, r in H.REASONS.items():
        assert r.code == code and r.en and r.id and r.en != r.id
        assert r.to_json() == {"code": code, "text": r.en}
    for code in H.RELEASED_CODES + H.WITHHELD_CODES + H.MASKED_CODES:
        assert H.reason(code).code == code


@pytest.mark.parametrize("tlp,rel,producer,expected", [
    ("RED", ["MY"], "ID", {"ID"}),
    ("AMBER+STRICT", [], None, set()),
    ("AMBER", ["MY", "sg"], "ID", {"ID", "MY", "SG"}),
    ("GREEN", [], "PH", {"PH"}),
    ("CLEAR", [], "ID", None),
    ("CLEAR", ["MY"], "ID", {"ID", "MY"}),
    ("PURPLE", ["MY"], "ID", {"ID"}),
])
def test_allowed_recipients_agrees_with_may_release(tlp, rel, producer, expected):
    h = {"tlp": tlp, "releasable_to": rel}
    got = H.allowed_recipients(h, producer)
    assert (got is None and expected is None) or got == frozenset(expected)
    for r in ("ID", "MY", "SG", "PH", "INTERPOL"):
        assert H.may_release(h, producer, r).allowed == (got is None or r in got)


@pytest.mark.parametrize("parts,expected", [
    ([], {"tlp": "CLEAR", "releasable_to": [], "legal_basis": None, "caveats": []}),
    ([({"tlp": "AMBER", "releasable_to": ["ID", "MY", "INTERPOL"], "legal_basis": "MLAT"}, "ID"),
      ({"tlp": "GREEN", "releasable_to": ["MY"], "legal_basis": "UU ITE", "caveats": ["c1"]}, "ID")],
     {"tlp": "AMBER", "releasable_to": ["ID", "MY"], "legal_basis": "MLAT; UU ITE", "caveats": ["c1"]}),
    ([({"tlp": "RED", "releasable_to": []}, "MY"), ({"tlp": "AMBER", "releasable_to": ["MY"]}, "ID")],
     {"tlp": "RED", "releasable_to": ["MY"], "legal_basis": None, "caveats": []}),
    ([({"tlp": "CLEAR", "releasable_to": []}, "ID")],
     {"tlp": "CLEAR", "releasable_to": [], "legal_basis": None, "caveats": []}),
    ([({"tlp": "CLEAR", "releasable_to": []}, "ID"), ({"tlp": "GREEN", "releasable_to": ["MY"]}, "ID")],
     {"tlp": "GREEN", "releasable_to": ["ID", "MY"], "legal_basis": None, "caveats": []}),
    # CLEAR parts that together may go to no one in particular: CLEAR [] would mean anyone
    ([({"tlp": "CLEAR", "releasable_to": ["SG"]}, None), ({"tlp": "CLEAR", "releasable_to": ["MY"]}, None)],
     {"tlp": "GREEN", "releasable_to": [], "legal_basis": None, "caveats": []}),
])
def test_combined_handling(parts, expected):
    assert H.combined_handling(parts) == expected


def test_combined_handling_never_lets_a_row_go_further_than_its_own():
    import itertools

    hs = [({"tlp": t, "releasable_to": r}, p) for t, r, p in itertools.product(
        ["CLEAR", "GREEN", "AMBER", "RED"], [[], ["MY"], ["MY", "SG"]], ["ID", "MY"])]
    for a, b in itertools.combinations(hs, 2):
        c = H.combined_handling([a, b])
        for r in ("MY", "SG", "PH"):
            # the combined handling (as a new source produced by a third party) releases r only
            # if both parts would
            if H.may_release(c, "XX", r).allowed:
                assert H.may_release(a[0], a[1], r).allowed and H.may_release(b[0], b[1], r).allowed
