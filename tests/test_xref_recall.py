"""Entity resolution, evidence that lifts a pair the records support and keeps its namesakes down:
a country implied by documents or a phone's calling code, spellings on either side of the 1972
reform, a year-only birth date meeting a typo, and how many entities hold a name; over real case
files."""

from __future__ import annotations

from analysis import xref
from analysis.names import name_keys, similarity, spelling_key
from tests.test_xref import _pair, add_identifier, add_person, add_source
from workstation.case import Case


def _reason(pair, text):
    return next((r for r in pair["reasons"] if text in r), None)


def test_country_of_a_phone_or_passport_stands_in_for_a_missing_nationality(case_path):
    case = Case.create(case_path, "country")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "PDRM package", "MY")
            add_source(con, 2, "Bontang extraction", "ID")
            a = add_person(con, 1, 2, "M-1", "Taufik Sriwahyono", nationality="MY")
            b = add_person(con, 2, 2, "P-1", "Taufik Sriwahyono")
            add_identifier(con, 2, 2, "P-1", b, "phone", "+60 12-345 6789")
            # The same rare name, nationality only on one side and nothing beside it: possible.
            c = add_person(con, 1, 3, "M-2", "Hendra Wiratmoko", nationality="ID")
            d = add_person(con, 2, 3, "P-2", "Hendra Wiratmoko")
            # A passport issued by Indonesia beside an Indonesian nationality: the same country.
            e = add_person(con, 1, 4, "M-3", "Cahyo Sriwanto", nationality="ID")
            f = add_person(con, 2, 4, "P-3", "Cahyo Sriwanto")
            add_identifier(con, 2, 4, "P-3", f, "passport", "B1234567", country="ID")
            # A namesake: Malaysian by nationality, an Indonesian number in his phone.
            g = add_person(con, 1, 5, "M-4", "Bayu Cahyonoputro", nationality="MY")
            h = add_person(con, 2, 5, "P-4", "Bayu Cahyonoputro")
            add_identifier(con, 2, 5, "P-4", h, "phone", "0812-3456-7890")
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, a, b)
        assert p and p["band"] == "likely", r.pairs
        assert _reason(p, "same country MY by nationality and phone country code (+0.3)"), p
        q = _pair(r, c, d)
        assert q and q["band"] == "possible", q
        assert not _reason(q, "country")
        s = _pair(r, e, f)
        assert s and s["band"] == "likely" and _reason(s, "same country ID by nationality and passport"), s
        t = _pair(r, g, h)
        assert t and t["band"] != "likely", t
        assert _reason(t, "different country MY vs ID by nationality and phone country code (-0.7)"), t


def test_spelling_key_meets_old_and_new_spelling_without_other_marks():
    # A lone j for y is the only sign of the old spelling in "Trijanto"; old tj was c or ty.
    assert spelling_key("trijanto") == spelling_key("triyanto")
    assert spelling_key("prasetyo") == spelling_key("praseco")   # "Prasetjo" as the reform read it
    assert similarity(name_keys("Budi Prasetjo"), name_keys("Budi Prasetyo")) == 1.0
    # Only for equality: phonetic keys stay the token's, so ty/ti and c/ch variants still meet.
    assert name_keys("Budi Setyawan").phonetic_key == name_keys("Budi Setiawan").phonetic_key
    assert name_keys("Candra Wijaya").phonetic_key == name_keys("Chandra Widjaja").phonetic_key
    assert spelling_key("betty") == "betty"
    assert similarity(name_keys("Rani Trijanto"), name_keys("Rani Triyanto")) == 1.0
    assert similarity(name_keys("Goenawan Santjadi"), name_keys("Gunawan Santyadi")) == 1.0
    assert spelling_key("sucipto") != spelling_key("sutopo")
    assert similarity(name_keys("Rani Triyanto"), name_keys("Rina Triyanto")) < 1.0


def test_old_spelling_pair_counts_as_the_same_name_and_its_namesake_does_not(case_path):
    case = Case.create(case_path, "spelling")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "Imigrasi")
            add_source(con, 2, "Bontang extraction")
            a = add_person(con, 1, 2, "I-1", "Rani Trijanto", nationality="ID")
            b = add_person(con, 2, 2, "P-1", "Rani Triyanto", nationality="ID")
            c = add_person(con, 1, 3, "I-2", "Boedi Tegoeh Prasetjo", nationality="ID")
            d = add_person(con, 2, 3, "P-2", "Budi Teguh Prasetyo", nationality="ID")
            # Two people: the same name, born eleven years apart.
            e = add_person(con, 1, 4, "I-3", "Wahyu Trijono", birth="1980-03-02", nationality="ID")
            f = add_person(con, 2, 4, "P-3", "Wahyu Triyono", birth="1991-07-15", nationality="ID")
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, a, b)
        assert p and p["band"] == "likely", r.pairs
        assert _reason(p, "names: Rani Trijanto ~ Rani Triyanto, 1.00"), p
        assert _reason(p, "name rare in this case: 2 entities hold it"), p
        q = _pair(r, c, d)
        assert q and q["band"] == "likely", r.pairs
        s = _pair(r, e, f)
        assert s is None or s["band"] == "unlikely", s


def test_year_only_record_meets_a_typo_through_the_birth_year(case_path):
    case = Case.create(case_path, "year")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "PDRM package", "MY")
            add_source(con, 2, "Imigrasi")
            a = add_person(con, 1, 2, "M-1", "Hendra Sayudi", birth="1980-06-03", nationality="ID")
            b = add_person(con, 2, 2, "I-1", "Hendra Sanudi", birth="1980", nationality="ID")
            # The same typo, another birth year: not compared as the same person.
            c = add_person(con, 2, 3, "I-2", "Hendra Sanudi", birth="1985", nationality="ID")
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, a, b)
        assert p and p["band"] == "likely", r.pairs
        assert _reason(p, "birth dates 1980-06-03 vs 1980: same year"), p
        q = _pair(r, a, c)
        assert q is None or q["band"] == "unlikely", q


def test_common_given_name_within_a_longer_name_counts_its_holders(case_path):
    case = Case.create(case_path, "partial")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "PDRM package", "MY")
            add_source(con, 2, "Interpol notices", "FR")
            short = add_person(con, 1, 2, "M-1", "Muhammad bin Rudi", birth="1992", nationality="MY")
            full = add_person(con, 2, 2, "I-1", "Muhammad Slamet bin Rudi", birth="1992-08-22", nationality="MY")
            # Brothers: every son of Rudi is "Muhammad ... bin Rudi"; with no birth date known, any of
            # them could be the short record (brothers born in other years could not).
            for i, given in enumerate(("Azlan", "Hafiz", "Faizal", "Firdaus")):
                add_person(con, 2, 3 + i, f"I-{2 + i}", f"Muhammad {given} bin Rudi", nationality="MY")
            # The same, but with one birth date to the day: that outweighs a common name.
            a = add_person(con, 1, 10, "M-2", "Ahmad bin Kassim", birth="1970-04-12", nationality="MY")
            b = add_person(con, 2, 10, "I-9", "Ahmad Faris bin Kassim", birth="1970-04-12", nationality="MY")
            for i, given in enumerate(("Zaki", "Haris", "Rafi", "Amir")):
                add_person(con, 2, 11 + i, f"I-{10 + i}", f"Ahmad {given} bin Kassim", birth=f"{1960 + 3 * i}-01-15",
                           nationality="MY")
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, short, full)
        assert p and p["band"] != "likely", p
        assert _reason(p, "name common in this case"), p
        q = _pair(r, a, b)
        assert q and q["band"] == "likely", q
        assert not _reason(q, "name common in this case"), q


def test_four_holders_none_contradicting_are_not_counted_as_three(case_path):
    case = Case.create(case_path, "holders")
    with case:
        with case.transaction() as con:
            for s in range(1, 5):
                add_source(con, s, "abcd"[s - 1])
            # Each in a source of its own (two of one source would be two persons).
            three = [add_person(con, 1 + i, 2 + i, f"T-{i}", "Bagus Wiyanarko", nationality="ID")
                     for i in range(3)]
            four = [add_person(con, 1 + i, 10 + i, f"F-{i}", "Sinta Wulanmerta", nationality="ID")
                    for i in range(4)]
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, three[0], three[1])
        assert p and p["band"] == "likely", r.pairs
        assert _reason(p, "3 entities hold it, none contradicting another (+1.5)"), p
        q = _pair(r, four[0], four[1])
        assert q and q["band"] == "possible", q
        # Said, though it weighs nothing: why the same rare-looking name is only possible.
        assert _reason(q, "name common in this case: 4 entities hold it, none contradicting another (+0.0)"), q


def test_unlike_names_of_one_birth_year_fall_faster_than_the_same_day_lifts(case_path):
    case = Case.create(case_path, "slope")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "a")
            add_source(con, 2, "b")
            # 0.86 alike: another Fitri, born the same year.
            a = add_person(con, 1, 2, "A-1", "Wati Fitri Sarjono", birth="1979", nationality="ID")
            b = add_person(con, 2, 2, "B-1", "Fitri Samono", birth="1979-12-06", nationality="ID")
            # As unlike, born the same day: a typo and a dropped name, one person.
            c = add_person(con, 1, 3, "A-2", "Lina Fitri Sarjono", birth="1983-05-17", nationality="ID")
            d = add_person(con, 2, 3, "B-2", "Lina Samono", birth="1983-05-17", nationality="ID")
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, a, b)
        assert p and p["score"] < 0.7, p
        assert _reason(p, "names: Wati Fitri Sarjono ~ Fitri Samono, 0.86 (-0.5)"), p
        q = _pair(r, c, d)
        assert q and q["band"] == "likely", q
        assert _reason(q, "same birth date 1983-05-17 (+6.0)"), q


def test_old_and_new_spelling_of_a_whole_name_meet_even_where_its_token_pairs_are_common(case_path):
    # "Prasetjo" and "Prasetyo" differ in their phonetic keys, and "Budi Teguh" is held by more
    # people than a token-pair block takes: only the full name as spelt either side of the reform
    # brings the two records together.
    case = Case.create(case_path, "spelling block")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "Imigrasi")
            add_source(con, 2, "Bontang extraction")
            a = add_person(con, 1, 2, "I-1", "Boedi Tegoeh Prasetjo", nationality="ID")
            b = add_person(con, 2, 2, "P-1", "Budi Teguh Prasetyo", birth="2002-05-03", nationality="ID")
            others = [add_person(con, 2, 10 + i, f"P-{10 + i}", f"Budi Teguh {s}", birth=f"19{60 + i}",
                                 nationality="ID")
                      for i, s in enumerate(["Santoso", "Wibowo", "Hartono", "Susanto", "Gunawan", "Kurniawan",
                                             "Hidayat", "Saputra"])]
        r = xref.xref(case, min_score=0.0)
        assert any(s["key_type"] == "name token pair" for s in r.skipped_blocks), r.skipped_blocks
        p = _pair(r, a, b)
        assert p is not None, "old and new spelling of one name were never compared"
        assert _reason(p, "names: Boedi Tegoeh Prasetjo ~ Budi Teguh Prasetyo, 1.00"), p
        assert all(_pair(r, a, o) is None or _pair(r, a, o)["band"] == "unlikely" for o in others)


def test_holders_of_one_source_with_a_side_or_contradicting_it_are_not_its_alternatives(case_path):
    case = Case.create(case_path, "alternatives")
    with case:
        with case.transaction() as con:
            for s in range(1, 5):
                add_source(con, s, f"source {s}")
            a = add_person(con, 1, 2, "A-1", "Wong Hock", nationality="ID")
            b = add_person(con, 2, 2, "B-1", "Hock Wong", nationality="ID")
            # Four hold the name, but neither of these two can be either of the pair: one is of the
            # first's source (which lists a person once) and Malaysian, the other Malaysian too.
            add_person(con, 1, 3, "A-2", "Wong Hock", birth="1966-02-05", nationality="MY")
            add_person(con, 3, 2, "C-1", "WONG, Hock", birth="1971", nationality="MY")
            # The same, but the other two could be either: four holders, two of them born apart.
            c = add_person(con, 1, 10, "A-10", "Tan Boon Huat", nationality="ID")
            d = add_person(con, 2, 10, "B-10", "Boon Huat Tan", nationality="ID")
            add_person(con, 3, 10, "C-10", "TAN, Boon Huat", birth="1966-02-05")
            add_person(con, 4, 10, "D-10", "Tan Boon Huat", birth="1971")
            # Three holders, two of them of one source: not one person, whatever else they say.
            e = add_person(con, 1, 20, "A-20", "Joko Sriwandono", nationality="ID")
            f = add_person(con, 2, 20, "B-20", "Joko Sriwandono", nationality="ID")
            add_person(con, 1, 21, "A-21", "Joko Sriwandono", nationality="ID")
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, a, b)
        assert p and p["band"] == "likely", r.pairs
        assert _reason(p, "name rare in this case: 4 entities hold it, 2 of them could be either side (the rest "
                          "share a source with one or contradict it) (+1.5)"), p
        q = _pair(r, c, d)
        assert q and q["band"] != "likely", q
        assert _reason(q, "name common in this case: 4 entities hold it, not all one person (-0.5)"), q
        s = _pair(r, e, f)
        assert s and s["band"] != "likely", s
        assert _reason(s, "3 entities hold it, not all one person"), s


def test_a_rare_name_of_rare_parts_counts_more_than_one_of_common_parts(case_path):
    case = Case.create(case_path, "chance")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "PNP package", "PH")
            add_source(con, 2, "Imigrasi")
            # Two hold each name; nothing else is known of the first pair.
            a = add_person(con, 1, 2, "P-1", "Yanto Suryani Suptono")
            b = add_person(con, 2, 2, "I-1", "Yanto Suryani Suptono")
            c = add_person(con, 1, 3, "P-2", "Maria Reyes", nationality="PH")
            d = add_person(con, 2, 3, "I-2", "Maria Reyes", nationality="PH")
            # ... but half the case is a Maria or a Reyes: that name is met by chance.
            for i, (given, family) in enumerate(zip(
                    "Juan Jose Pedro Ramon Antonio Eduardo Rolando Ricardo Ferdinand Rodrigo Manuel Arnel "
                    "Renato Carmen Lorna".split(),
                    "Santos Garcia Mendoza Bautista Villanueva Castillo Ramos Aquino Navarro Pascual Dizon "
                    "Tolentino Salazar Soriano Valdez".split(), strict=True)):
                add_person(con, 1, 10 + i, f"P-{10 + i}", f"Maria {family}", nationality="PH")
                add_person(con, 2, 10 + i, f"I-{10 + i}", f"{given} Reyes", nationality="PH")
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, a, b)
        assert p and p["band"] == "likely", p
        why = _reason(p, "name rare by its parts: as often as each is held here, ")
        assert why and why.endswith(" of the 34 entities would hold it by chance (+1.5)"), p
        assert float(why.split(", ")[1].split()[0]) < 0.02, why
        q = _pair(r, c, d)
        assert q and q["band"] == "possible", q
        assert _reason(q, "name common by its parts: as often as each is held here, 8.5 of the 34 entities"), q


def test_two_entities_of_one_source_are_weak_evidence_of_two_persons(case_path):
    case = Case.create(case_path, "one source")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "Bontang extraction")
            add_source(con, 2, "Imigrasi")
            a = add_person(con, 1, 2, "P-1", "Hendra Wiratmoko", nationality="ID")
            b = add_person(con, 1, 3, "P-2", "Hendra Wiratmoko", nationality="ID")
            c = add_person(con, 1, 4, "P-3", "Bayu Sriwahyono", nationality="ID")
            d = add_person(con, 2, 4, "I-3", "Bayu Sriwahyono", nationality="ID")
            # A duplicate row of one source is still found where the evidence is strong.
            e = add_person(con, 1, 5, "P-4", "Rudi Hartanto", birth="1980-02-03", nationality="ID")
            f = add_person(con, 1, 6, "P-5", "Rudi Hartanto", birth="1980-02-03", nationality="ID")
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, a, b)
        assert p and p["band"] == "possible", p
        assert _reason(p, "both in one source, which lists a person once (-1.0)"), p
        q = _pair(r, c, d)
        assert q and q["band"] == "likely" and not _reason(q, "one source"), q
        s = _pair(r, e, f)
        assert s and s["band"] == "likely" and _reason(s, "both in one source"), s


def test_same_birth_date_meets_a_reform_spelling_and_a_typo_beside_a_common_given_name(case_path):
    # Both dates full, so only the token + birth date key can bring these together: "Sarjadi" and
    # "Saryadi" are one token either side of the 1972 reform, and "Cajhadi" a typo beside "Sri".
    case = Case.create(case_path, "birth date key")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "Imigrasi")
            add_source(con, 2, "PDRM package", "MY")
            a = add_person(con, 1, 2, "I-1", "Sri Sarjadi", birth="2002-04-19", nationality="ID")
            b = add_person(con, 2, 2, "M-1", "Sri Saryadi", birth="2002-04-19", nationality="ID")
            c = add_person(con, 1, 3, "I-2", "Sri Cahjadi", birth="1997-07-27", nationality="ID")
            d = add_person(con, 2, 3, "M-2", "Sri Cajhadi", birth="1997-07-27", nationality="ID")
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, a, b)
        assert p and p["band"] == "likely", r.pairs
        assert _reason(p, "same birth date 2002-04-19 (+6.0)"), p
        q = _pair(r, c, d)
        assert q and q["band"] == "likely", r.pairs


def test_holders_of_a_shorter_name_within_a_longer_one_born_in_other_years_are_not_alternatives(case_path):
    case = Case.create(case_path, "partial alternatives")
    with case:
        with case.transaction() as con:
            for s in range(1, 4):
                add_source(con, s, f"source {s}")
            a = add_person(con, 1, 2, "A-1", "Intan binti Rahman", birth="1962-04-19", nationality="MY")
            b = add_person(con, 2, 2, "B-1", "RAHMAN, Intan Sari", birth="1962", nationality="MY")
            # Five more "Intan ... binti Rahman", none born in 1962: none of them could be either.
            for i, second in enumerate(("Aminah", "Zaleha", "Rohani", "Fatimah", "Khadijah")):
                add_person(con, 1 + i % 3, 10 + i, f"S-{i}", f"Intan {second} binti Rahman", birth=f"{1965 + 2 * i}",
                           nationality="MY")
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, a, b)
        assert p and p["band"] == "likely", p
        assert _reason(p, "7 entities hold it, 2 of them could be either side"), p


def test_a_common_given_name_beside_a_chinese_family_name_is_not_split_as_pinyin(case_path):
    from analysis.names import name_tokens

    assert name_tokens("Siti Tan") == ["siti", "tan"]           # not "si ti tan"
    assert name_tokens("Chen Weiming") == ["chen", "wei", "ming"]   # joined pinyin still split
    case = Case.create(case_path, "siti tan")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "PDRM package", "MY")
            add_source(con, 2, "Imigrasi")
            a = add_person(con, 1, 2, "M-1", "Siti Putri bt. Tan", birth="1987-11-20", nationality="MY")
            b = add_person(con, 2, 2, "I-1", "Siti Tan", birth="1987-11-20", nationality="MY")
        r = xref.xref(case, min_score=0.0)
        p = _pair(r, a, b)
        assert p and p["band"] == "likely", r.pairs
        assert _reason(p, "names: Siti Putri bt. Tan ~ Siti Tan, 0.9"), p


def test_two_of_one_source_are_not_made_one_through_a_third(case_path):
    case = Case.create(case_path, "one source, through a third")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "Bontang extraction")
            add_source(con, 2, "Imigrasi")
            a = add_person(con, 1, 2, "P-1", "Budi Sugiarto", nationality="ID")
            add_identifier(con, 1, 2, "P-1", a, "phone", "0812-3456-7890")
            b = add_person(con, 1, 3, "P-2", "Budi Sugiarto", nationality="ID")
            add_identifier(con, 1, 3, "P-2", b, "passport", "B1234567", country="ID")
            c = add_person(con, 2, 2, "I-1", "Budi Sugiarto", nationality="ID")
            add_identifier(con, 2, 2, "I-1", c, "phone", "+62 812 3456 7890")
            add_identifier(con, 2, 2, "I-1", c, "passport", "B1234567", country="ID")
        r = xref.xref(case, min_score=0.0)
        assert _pair(r, a, c)["band"] == "likely" and _pair(r, b, c)["band"] == "likely", r.pairs
        p = _pair(r, a, b)
        assert p is None or p["band"] != "likely", p
        assert p is None or not _reason(p, "both likely the same as"), p
