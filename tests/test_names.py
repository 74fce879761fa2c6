"""Matching keys for the names the issue lists: every case, as pure functions."""

from __future__ import annotations

import pytest

from analysis.names import (
    birth_date_relation,
    blocking_keys,
    jaro_winkler,
    name_keys,
    name_tokens,
    phonetic,
    similarity,
)


def key(name: str) -> str:
    return name_keys(name).sorted_key


@pytest.mark.parametrize("a, b", [
    # Patronymics: bin, binti, bt., b.
    ("Muhammad Rizal bin Abdullah", "Muhammad Rizal Abdullah"),
    ("Siti Aminah binti Abdullah", "Siti Aminah Abdullah"),
    ("Siti Aminah bt. Abdullah", "Siti Aminah Abdullah"),
    ("Rizal b. Abdullah", "Rizal Abdullah"),
    # Honorifics and titles.
    ("H. Muhammad Rizal", "Muhammad Rizal"),
    ("Hj. Siti Aminah", "Siti Aminah"),
    ("Drs. Bambang Susilo", "Bambang Susilo"),
    ("Ir. Bambang Susilo", "Bambang Susilo"),
    ("Dr. Bambang Susilo", "Bambang Susilo"),
    ("Bambang Susilo, S.H.", "Bambang Susilo"),
    ("Drs. H. Bambang Susilo, M.M.", "Bambang Susilo"),
    # Abbreviations and spellings.
    ("Mohd Rizal", "Muhammad Rizal"),
    ("Mohamad Rizal", "Muhammad Rizal"),
    ("Muhamad Rizal", "Muhammad Rizal"),
    ("Mohammed Rizal", "Muhammad Rizal"),
    ("Abd. Rahman", "Abdul Rahman"),
    ("Abdulrahman", "Abdul Rahman"),
    ("Noor Aini", "Nur Aini"),
    ("Achmad Yani", "Ahmad Yani"),
    # Indonesia's spelling reform (pre-1972).
    ("Soekarno", "Sukarno"),
    ("Djoko Santoso", "Joko Santoso"),
    ("Tjahjo Kumolo", "Cahyo Kumolo"),
    ("Soenarjo", "Sunaryo"),
    ("Soeharto", "Suharto"),
    # Name order: Interpol "SURNAME, Forename" and family-name-first.
    ("RIZAL, Mohamad", "Muhammad Rizal"),
    ("TAN, Ah Kow", "Ah Kow Tan"),
    ("Tan Ah Kow", "Ah Kow Tan"),
    # Filipino particles.
    ("Juan dela Cruz", "Juan De La Cruz"),
    ("Juan Dela Cruz", "JUAN DE LA CRUZ"),
    ("Maria delos Santos", "Maria de los Santos"),
    # Case and accents.
    ("JOSÉ RIZAL", "jose rizal"),
])
def test_same_key(a, b):
    assert key(a) == key(b), (name_tokens(a), name_tokens(b))


def test_single_names_are_kept_and_flagged():
    k = name_keys("Suharto")
    assert k.tokens == ("suharto",) and k.single
    assert not name_keys("Joko Widodo").single
    # A name that is only a title is kept rather than lost.
    assert name_keys("Haji").tokens == ("haji",)


def test_other_scripts_transliterated():
    assert "vladimir" in name_tokens("Владимир Путин") and "putin" in name_tokens("Владимир Путин")
    assert name_tokens("陈伟明") == ["chen", "wei", "ming"]
    # Arabic is written without vowels: the phonetic key still meets the Latin spelling.
    arabic = name_keys("محمد رزال عبدالله")
    latin = name_keys("Muhammad Rizal Abdullah")
    assert arabic.phonetic_key == latin.phonetic_key
    assert similarity(arabic, latin) >= 0.9


def test_phonetic_keys():
    assert phonetic("muhammad") == phonetic("mhmd") == "mhmd"
    assert phonetic("rizal") == phonetic("risal") == phonetic("rzl")
    assert phonetic("syamsul") == phonetic("shamsul") == phonetic("samsul")
    assert phonetic("yusuf") == phonetic("jusuf")
    assert phonetic("khairil") == phonetic("kairil")
    assert phonetic("budi") != phonetic("bayu")


def test_similarity_orders_candidates_sensibly():
    him = name_keys("Muhammad Rizal bin Abdullah")
    assert similarity(him, name_keys("Mohd Rizal Abdullah")) == 1.0
    assert similarity(him, name_keys("RIZAL, Mohamad")) > 0.85
    assert similarity(him, name_keys("RIZAL, Mohamad")) > similarity(him, name_keys("Muhammad Ridwan"))
    assert similarity(him, name_keys("Siti Aminah")) < 0.7
    assert similarity(name_keys(""), him) == 0.0


def test_blocking_keys_meet_for_subset_names_and_single_names():
    full = blocking_keys(name_keys("Muhammad Rizal bin Abdullah"), 1987)
    short = blocking_keys(name_keys("RIZAL, Mohamad"), 1987)
    assert full & short
    single = blocking_keys(name_keys("Rizal"), 1987)
    assert full & single  # through the token + birth year key
    assert not blocking_keys(name_keys("Rizal"), None) & blocking_keys(name_keys("Rizal Abdullah"), None)


def test_jaro_winkler_matches_duckdb():
    import duckdb

    con = duckdb.connect()
    for a, b in [("martha", "marhta"), ("rizal", "risal"), ("dwayne", "duane"), ("abc", "xyz"), ("", "a"),
                 ("muhammad", "mohamad")]:
        ours = jaro_winkler(a, b)
        theirs = con.execute("SELECT jaro_winkler_similarity(?, ?)", [a, b]).fetchone()[0]
        assert abs(ours - theirs) < 1e-9, (a, b, ours, theirs)


@pytest.mark.parametrize("a, b, rel", [
    ("1987-03-04", "1987-04-03", "swapped"),
    ("1987-03-04", "1987-03-04", "same"),
    ("1987-03-04", "1987-03-05", "same_month"),
    ("1987", "1987-03-04", "same_year"),
    ("1987-03", "1987-05", "different"),
    ("1987-03-04", "1988-03-04", "near"),
    ("1987-03-04", "1960-03-04", "different"),
])
def test_birth_dates(a, b, rel):
    assert birth_date_relation(a, b)[0] == rel
    assert birth_date_relation(None, b) is None


def test_stored_folded_name_keeps_arabic_words_whole():
    """``persons.name_folded`` (written at import): the ayn and hamza are no word breaks, an
    apostrophe in a Latin name still is."""
    from workstation.normalise import fold_name

    assert fold_name("سعيد بن عمر") == "syd bn mr"
    assert fold_name("أحمد") == "hmd"
    assert fold_name("O'Brien") == "o brien"
    assert fold_name("陈伟明 Tan") == "chen wei ming tan"
