"""Entity resolution, the evidence beyond one pair: name rarity in the case, matches of matches,
names within names and typos met through birth dates; over real case files."""

from __future__ import annotations

from analysis import xref
from analysis.names import name_keys, phonetic, similarity
from tests.test_xref import _pair, add_identifier, add_person, add_source
from workstation.case import Case


def test_particle_dropped_by_one_source_still_matches():
    # "Juan Cruz" (a foreign record drops the particle) is Juan dela Cruz; "dela Cruz" is not "Cruzado".
    assert phonetic(name_keys("Juan dela Cruz").tokens[-1]) == phonetic("cruz")
    assert similarity(name_keys("Juan dela Cruz"), name_keys("Juan Cruz")) >= 0.9
    assert similarity(name_keys("Manuel de Leon"), name_keys("LEON, Manuel")) >= 0.9
    assert name_keys("Juan dela Cruz").sorted_key == name_keys("JUAN DE LA CRUZ").sorted_key
    assert name_keys("Juan dela Cruz").sorted_key != name_keys("Juan Cruz").sorted_key


def test_name_only_pair_rare_name_likely_common_name_not(case_path):
    case = Case.create(case_path, "names")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "Bontang reports")
            add_source(con, 2, "PPATK", "ID")
            rare_a = add_person(con, 1, 2, "P-1", "Taufik Sriwahyono", nationality="ID")
            rare_b = add_person(con, 2, 2, "N-1", "TAUFIK SRIWAHYONO", nationality="ID")
            # The same rare name, nationalities differing: no more than possible.
            other = add_person(con, 1, 3, "P-2", "Bayu Cahyonoputro", nationality="ID")
            other_b = add_person(con, 2, 3, "N-2", "Bayu Cahyonoputro", nationality="MY")
            common = [add_person(con, 1 + i % 2, 10 + i, f"C-{i}", "Budi Santoso", nationality="ID")
                      for i in range(7)]
        r = xref.xref(case)
        p = _pair(r, rare_a, rare_b)
        assert p and p["band"] == "likely", r.pairs
        assert any("name rare in this case: 2 entities hold it" in x for x in p["reasons"])
        q = _pair(r, other, other_b)
        assert q is None or q["band"] != "likely"
        # Seven people called Budi Santoso and nothing else: no suggestion among them is likely.
        assert not [x for x in r.pairs if x["a"]["entity_id"] in common and x["band"] == "likely"]


def test_subset_name_without_birth_year_meets_on_a_rare_token_pair(case_path):
    case = Case.create(case_path, "subset")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "a")
            add_source(con, 2, "b", "MY")
            full = add_person(con, 1, 2, "P-1", "Muhammad Cahyo bin Sriwanto", nationality="ID")
            short = add_person(con, 2, 2, "M-1", "SRIWANTO, Cahyo", nationality="ID")
            # Eight holders of "Siti ... Abdullah": that token pair is too common to block on alone.
            sitis = [add_person(con, 1, 10 + i, f"S-{i}", f"Siti {g} binti Abdullah")
                     for i, g in enumerate("Aminah Rohani Zubaidah Mariam Salmah Khadijah Aisyah Fatimah".split())]
            sitis.append(add_person(con, 2, 20, "S-x", "Siti Abdullah"))
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, full, short)
        assert p is not None, r.pairs
        assert any("name rare in this case: 2 entities hold it" in x for x in p["reasons"]), p
        assert p["score"] >= xref.POSSIBLE
        assert any(s["key_type"] == "name token pair" for s in r.skipped_blocks)
        assert not any(_pair(r, sitis[-1], s) for s in sitis[:-1])


def test_typo_in_name_met_through_same_birth_date(case_path):
    case = Case.create(case_path, "typo")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "a")
            add_source(con, 2, "b")
            a = add_person(con, 1, 2, "P-1", "Adi Sucirto", birth="1969-01-02", nationality="ID", gender="M")
            b = add_person(con, 2, 2, "I-1", "H. Adi Sucipto", birth="1969-02-01", gender="M")
            c = add_person(con, 2, 3, "I-2", "Adi Sucipto", birth="1971-01-02", gender="M")
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, a, b)
        assert p and p["band"] == "likely", r.pairs
        assert any("day/month swapped" in x for x in p["reasons"])
        q = _pair(r, a, c)
        assert q is None or q["band"] == "unlikely"


def test_matches_of_matches(case_path):
    """A ~ B on a passport, B ~ C on a phone; A and C share only a name: likely through B,
    with the reason saying so.  D, the same name but another birth date, is not pulled in."""
    case = Case.create(case_path, "through")
    with case:
        with case.transaction() as con:
            for s in (1, 2, 3, 4):
                add_source(con, s, f"source {s}")
            a = add_person(con, 1, 2, "A", "Bambang Sutrisno", birth="1970", nationality="ID")
            add_identifier(con, 1, 2, "A", a, "passport", "B7654321", "ID")
            b = add_person(con, 2, 2, "B", "Bambang Sutrisno", birth="1970-05-06", nationality="ID")
            add_identifier(con, 2, 2, "B", b, "passport", "B 765 4321", "ID")
            add_identifier(con, 2, 3, "B", b, "phone", "0811-2233-4455")
            c = add_person(con, 3, 2, "C", "Bambang Sutrisno")
            add_identifier(con, 3, 2, "C", c, "phone", "+62 811 2233 4455")
            d = add_person(con, 4, 2, "D", "Bambang Sutrisno", birth="1988-01-01", nationality="ID")
            for i in range(4):  # the name is not rare here: A ~ C on the name alone is not likely
                add_person(con, 4, 10 + i, f"X{i}", "Bambang Sutrisno", birth=f"19{50 + i}-01-01")
        r = xref.xref(case, min_score=0.0)
        assert _pair(r, a, b)["band"] == "likely" and _pair(r, b, c)["band"] == "likely"
        p = _pair(r, a, c)
        assert p and p["band"] == "likely", p
        assert any(x.startswith("both likely the same as Bambang Sutrisno, entity ") and "together at least" in x
                   for x in p["reasons"]), p
        assert p["score"] <= _pair(r, a, b)["score"]
        for x in (a, b):
            q = _pair(r, x, d)
            assert q is None or q["band"] == "unlikely", q


def test_a_confirmed_pair_links_the_matches_of_either(case_path):
    """The analyst confirms A ~ B (nothing but a common name between them); C, likely B on a shared
    phone, is then suggested for A too, through B; undoing the confirmation takes that back."""
    case = Case.create(case_path, "confirmed")
    with case:
        with case.transaction() as con:
            for s in (1, 2, 3, 4):
                add_source(con, s, f"source {s}")
            a = add_person(con, 1, 2, "A", "Hendra Wijaya")
            b = add_person(con, 2, 2, "B", "Hendra Wijaya", birth="1980-02-03", nationality="ID")
            add_identifier(con, 2, 2, "B", b, "phone", "0813-1111-2222")
            c = add_person(con, 3, 2, "C", "WIJAYA, Hendra", birth="1980", nationality="ID")
            add_identifier(con, 3, 2, "C", c, "phone", "+62 813 1111 2222")
            for i in range(5):
                add_person(con, 4, 10 + i, f"X{i}", "Hendra Wijaya", birth=f"19{60 + i}-01-01")
        r = xref.xref(case, min_score=0.0)
        assert _pair(r, a, c)["band"] != "likely"
        xref.judge(case, a, b, "same", analyst="tester")
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, a, c)
        assert p and p["band"] == "likely", p
        assert any(x.startswith("both likely the same as Hendra Wijaya") and "(1.00 and" in x for x in p["reasons"])
        xref.undo(case, a, b, analyst="tester")
        assert _pair(xref.xref(case, min_score=0.0), a, c)["band"] != "likely"


def test_holders_of_a_name_that_contradict_each_other_are_not_one_person(case_path):
    """Three records of one rare name, none contradicting another, may be one person; three of
    which two differ in birth year are at least two people, and the undated one fits either."""
    case = Case.create(case_path, "holders")
    with case:
        with case.transaction() as con:
            for s in (1, 2, 3):
                add_source(con, s, f"source {s}")
            one = [add_person(con, 1, 2, "A1", "Yudi Prasetyono", nationality="ID"),
                   add_person(con, 2, 2, "A2", "YUDI PRASETYONO", birth="1979", nationality="ID", gender="M"),
                   add_person(con, 3, 2, "A3", "Yudi Prasetyono", nationality="ID", gender="M")]
            two = [add_person(con, 1, 3, "B1", "Wawan Kusharjanto", nationality="ID"),
                   add_person(con, 2, 3, "B2", "Wawan Kusharjanto", birth="1961-02-03", nationality="ID"),
                   add_person(con, 3, 3, "B3", "WAWAN KUSHARJANTO", birth="1990-07-08", nationality="ID")]
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, one[0], one[2])
        assert p["band"] == "likely", p
        assert any("3 entities hold it, none contradicting another" in x for x in p["reasons"]), p
        q = _pair(r, two[0], two[1])
        assert q["band"] != "likely", q
        assert any("3 entities hold it, not all one person" in x for x in q["reasons"]), q


def test_shared_phone_with_a_name_within_the_other_but_not_a_brother(case_path):
    case = Case.create(case_path, "phone")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "PDRM", "MY")
            add_source(con, 2, "Interpol", "INTERPOL")
            him = add_person(con, 1, 2, "M-1", "Muhammad Teguh bin Purnomo", gender="M")
            add_identifier(con, 1, 2, "M-1", him, "phone", "+60 12 345 6789", region="MY")
            short = add_person(con, 2, 2, "I-1", "PURNOMO, Mohd", birth="1990-02-01", nationality="MY")
            add_identifier(con, 2, 2, "I-1", short, "phone", "60123456789")
            brother = add_person(con, 1, 3, "M-2", "Muhammad Rizal bin Purnomo", gender="M")
            add_identifier(con, 1, 3, "M-2", brother, "phone", "012-345 6789", region="MY")
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, him, short)
        assert p and p["band"] == "likely", p
        assert _pair(r, him, brother)["band"] != "likely"
