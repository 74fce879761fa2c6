"""Search's time range on hits standing for many rows, and Chinese family names across romanisations.

The case is built as an analyst's is: ``lintas-bundle/1`` directories written by hand, imported with
``lintas import --allow-unsigned``, then used through the ``lintas`` commands.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from analysis import names, search
from tests.test_review_search import _json, build_case
from tests.test_xref import run_cli
from workstation.case import Case
from workstation.query import stream

CALLEE = "0813-0000-0001"


def _calls() -> list[dict]:
    """Calls in local time (Asia/Jakarta, UTC+7), rows 2… of calls.csv."""
    rows = [("0812-1111-2222", "2026-01-10"), ("0812-1111-2222", "2026-12-10"),      # rows 2, 3
            ("0812-3333-4444", "2026-01-15"), ("0812-3333-4444", "2026-06-20"),      # rows 4, 5
            ("0812-3333-4444", "2026-06-10"), ("0812-3333-4444", "2026-12-01"),      # rows 6, 7
            ("0812-7777-8888", "2026-01-05"), ("0812-7777-8888", "2026-12-05"),      # rows 8, 9
            ("+62 812 7777 8888", "2026-06-15")]                                     # row 10
    return [{"caller": c, "callee": CALLEE, "start": f"{d}T12:00:00", "duration_s": "60"} for c, d in rows]


def _bundles() -> list[tuple[str, str, str, dict[str, list[dict]]]]:
    my = {"persons": [{"id": "MY-1", "name": "Tan Wei Ming", "birth_date": "1982-03-03", "nationality": "MY"},
                      {"id": "MY-2", "name": "Tan Ah Kow", "birth_date": "1970-01-01", "nationality": "MY"},
                      {"id": "MY-3", "name": "Ng Kok Wai", "birth_date": "1975-05-05", "nationality": "MY"}]}
    cn = {"persons": [{"id": "CN-1", "name": "Chen Weiming", "birth_date": "1982-03-03", "nationality": "CN"},
                      {"id": "CN-2", "name": "陈伟明", "birth_date": "1982-03-03"},
                      {"id": "CN-3", "name": "Chen Mei Ling", "birth_date": "1970-01-01", "nationality": "CN"},
                      {"id": "CN-4", "name": "Huang Kok Wai", "birth_date": "1975-05-05", "nationality": "CN"}]}
    ip = {"persons": [{"id": "I-1", "name": "Lim Wei Ming", "birth_date": "1982-03-03"},
                      {"id": "I-2", "name": "WU, Kok Wai", "birth_date": "1975-05-05"}]}
    telco = {"calls": _calls()}
    return [("my", "PDRM package", "MY", my), ("cn", "MPS notice", "CN", cn), ("ip", "Interpol notice", "INTERPOL", ip),
            ("telco", "Bontang CDR", "ID", telco)]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_case(tmp_path_factory.mktemp("names2"), "Names",
                      [(name, title, country, tables, "Asia/Jakarta") for name, title, country, tables in _bundles()])


@pytest.fixture
def case_file(built, tmp_path) -> str:
    dst = tmp_path / "case.lintas"
    shutil.copy(built, dst)
    return str(dst)


JUNE = ["--from", "2026-06-01", "--to", "2026-07-01"]


# -- 1. a time range on hits standing for many rows ------------------------------------------------
def test_a_number_whose_rows_are_all_outside_the_range_is_no_hit(case_file, capsys):
    """Calls in January and December only: its span covers June, none of its rows is in June."""
    everything = _json(capsys, ["search", case_file, "0812 1111 2222", "--json", "--kind", "calls"])
    assert {(h["field"], h["source_row"]) for h in everything} == {("caller", 2), ("caller_e164", 2)}
    assert _json(capsys, ["search", case_file, "0812 1111 2222", "--json", "--kind", "calls", *JUNE]) == []
    assert _json(capsys, ["search", case_file, "0812 1111 2222", "--json", *JUNE]) == []
    # The range's ends: from is inclusive, to exclusive (12:00 local is 05:00 UTC).
    at = _json(capsys, ["search", case_file, "0812 1111 2222", "--json", "--from", "2026-12-10T05:00:00",
                        "--to", "2026-12-10T05:00:01"])
    assert {h["source_row"] for h in at} == {3}
    assert _json(capsys, ["search", case_file, "0812 1111 2222", "--json", "--from", "2026-12-01",
                          "--to", "2026-12-10T05:00:00"]) == []


def test_a_hit_in_a_range_reports_its_first_row_in_the_range(case_file, capsys):
    hits = _json(capsys, ["search", case_file, "0812 3333 4444", "--json", "--kind", "calls", *JUNE])
    assert hits and {h["field"] for h in hits} == {"caller", "caller_e164"}
    for h in hits:
        # Rows 5 (20 June) and 6 (10 June) are in June: the first of them is row 5, their span 10–20 June.
        assert (h["source_row"], h["time_utc"], h["time_last_utc"]) == (
            5, "2026-06-10T05:00:00Z", "2026-06-20T05:00:00Z"), h
    # Without a range, as before: the first row and the span of all rows.
    plain = _json(capsys, ["search", case_file, "0812 3333 4444", "--json", "--kind", "calls"])
    assert {(h["source_row"], h["time_utc"], h["time_last_utc"]) for h in plain} == {
        (4, "2026-01-15T05:00:00Z", "2026-12-01T05:00:00Z")}
    # The text says which row it names.
    text = run_cli(capsys, ["search", case_file, "0812 3333 4444", "--kind", "calls", *JUNE]).stdout
    assert "first row in range 5]" in text and "first row 4" not in text, text
    assert "first row 4]" in run_cli(capsys, ["search", case_file, "0812 3333 4444", "--kind", "calls"]).stdout
    # The callee of every call: its rows in June are 5, 6 and 10.
    callee = _json(capsys, ["search", case_file, CALLEE, "--json", "--kind", "calls", *JUNE])
    assert [(h["field"], h["source_row"], h["time_utc"], h["time_last_utc"]) for h in callee
            if h["field"] == "callee"] == [("callee", 5, "2026-06-10T05:00:00Z", "2026-06-20T05:00:00Z")]
    # A range holding all of a hit's rows: as without one.
    year = _json(capsys, ["search", case_file, "0812 3333 4444", "--json", "--kind", "calls", "--from", "2026-01-01",
                          "--to", "2027-01-01"])
    assert {(h["source_row"], h["time_utc"], h["time_last_utc"]) for h in year} == {
        (4, "2026-01-15T05:00:00Z", "2026-12-01T05:00:00Z")}


def test_the_limit_is_filled_past_hits_without_rows_in_the_range(case_file, capsys):
    """Three docs for one number: as written "0812-7777-8888" (January, December), its E.164 form
    (the same rows) and "+62 812 7777 8888" (June).  The first two rank first and span June."""
    plain = _json(capsys, ["search", case_file, "081277778888", "--json", "--kind", "calls"])
    assert [(h["text"], h["source_row"]) for h in plain] == [
        ("0812-7777-8888", 8), ("+62 812 7777 8888", 10), ("+6281277778888", 8)], plain
    june = _json(capsys, ["search", case_file, "081277778888", "--json", "--limit", "1", *JUNE])
    assert [(h["text"], h["source_row"], h["time_utc"]) for h in june] == [
        ("+62 812 7777 8888", 10, "2026-06-15T05:00:00Z")]


def test_json_fields_as_documented_and_rows_sql_of_the_range(case_file, capsys):
    documented = {"source_id", "bundle_id", "id", "kind", "field", "text", "source_row", "entity_id", "country",
                  "time_utc", "time_last_utc", "score", "matched"}
    hits = _json(capsys, ["search", case_file, "0812 3333 4444", "--json", *JUNE])
    assert hits and all(set(h) == documented for h in hits)
    assert all(h["id"] is None and h["bundle_id"] for h in hits)
    doc = Path(__file__).resolve().parents[1] / "docs" / "cli-json.md"
    assert "the first of its rows in the range" in doc.read_text(encoding="utf-8")
    # The rows a hit stands for, as analyst SQL: with the search's range, only those in it.
    with Case.open(case_file, read_only=True) as case:
        cur = case.cursor()
        hit = next(h for h in hits if h["field"] == "caller")
        lo, hi = dt.datetime(2026, 6, 1), dt.datetime(2026, 7, 1)
        rows = stream(cur, search.rows_sql(hit, lo, hi)).read_all().to_pylist()
        assert [r["source_row"] for r in rows] == [6, 5]
        assert [r["source_row"] for r in stream(cur, search.rows_sql(hit)).read_all().to_pylist()] == [4, 6, 5, 7]
        # The API as the CLI: no hit for a number none of whose rows is in the range.
        assert search.search(cur, "0812 1111 2222", time_from=lo, time_to=hi) == []
        assert search.search(cur, "0812 1111 2222", time_to=dt.datetime(2026, 1, 11))


# -- 2. Chinese family names across romanisations -------------------------------------------------
def test_family_name_relation_is_between_spellings_not_a_class():
    rel = names.family_name_relation
    assert rel("tan", "chen") == "family names Tan ~ Chen: one family name (陈) in Hokkien and pinyin"
    assert "(黄)" in rel("ng", "huang") and "(吴)" in rel("ng", "wu")
    assert rel("huang", "wu") is None                       # not equal through Ng
    assert "(黄)" in rel("wong", "huang") and "(王)" in rel("wong", "wang") and rel("huang", "wang") is None
    assert rel("liem", "lim") and rel("lim", "lin") and rel("tan", "lim") is None
    # Indonesia's Dutch-based spellings, also as the 1972 reform turns them (name_tokens reads "Oei" as "ui").
    assert rel("oei", "huang") and rel("ui", "huang") and rel("tjoa", "cai") and rel("coa", "chua")
    # Two dialects' readings are two families' usage, not one name: Hokkien Tan, Hakka Chin.
    assert rel("tan", "chin") is None and rel("chin", "chen")
    assert "chen" in names.family_name_variants("tan") and "huang" not in names.family_name_variants("wu")
    k = names.name_keys
    assert names.similarity(k("Tan Wei Ming"), k("Chen Weiming")) > 0.95
    assert names.similarity(k("Tan Wei Ming"), k("陈伟明")) > 0.95
    assert names.similarity(k("Tan Wei Ming"), k("Lim Wei Ming")) < 0.7
    # Only a family name's place counts: a given-name syllable is not a family name.
    assert names.similarity(k("Ah Ng Kow"), k("Ah Huang Kow")) < 0.8


def _pairs(capsys, path, *extra) -> dict[frozenset, dict]:
    return {frozenset((p["a"]["id"], p["b"]["id"])): p for p in _json(capsys, ["xref", path, "--json", *extra])}


def test_xref_finds_and_explains_one_family_name_in_two_romanisations(case_file, capsys):
    pairs = _pairs(capsys, case_file, "--min-score", "0")
    for other in ("CN-1", "CN-2"):
        p = pairs.get(frozenset(("MY-1", other)))
        assert p and p["band"] == "likely", (other, p)
        assert "family names Tan ~ Chen: one family name (陈) in Hokkien and pinyin" in p["reasons"], p
        assert any(r.startswith("names: ") for r in p["reasons"]) and any("same birth date" in r for r in p["reasons"])
    # Ng is 黄 (Huang) in Hokkien and 吴 (Wu) in Cantonese: each may be Ng; Huang and Wu are not one name.
    assert pairs[frozenset(("MY-3", "CN-4"))]["band"] == "likely"
    assert pairs[frozenset(("MY-3", "I-2"))]["band"] == "likely"
    hw = pairs.get(frozenset(("CN-4", "I-2")))
    assert hw is None or hw["band"] != "likely", hw
    # Precision: different family names are not one person; a shared family name alone is no candidate.
    assert pairs[frozenset(("MY-1", "I-1"))]["band"] != "likely"
    assert pairs[frozenset(("CN-1", "I-1"))]["band"] != "likely"
    assert frozenset(("MY-2", "CN-3")) not in pairs          # Tan Ah Kow ~ Chen Mei Ling, same birth date
    assert not any(r.startswith("family names") for p in pairs.values() for r in p["reasons"]
                   if {p["a"]["id"], p["b"]["id"]} & {"I-1"})


def test_search_finds_other_romanisations_below_the_name_as_spelt(case_file, capsys):
    hits = _json(capsys, ["search", case_file, "Tan Wei Ming", "--json", "--kind", "persons"])
    ids = [h["id"] for h in hits]
    assert ids[0] == "MY-1" and {"CN-1", "CN-2"} <= set(ids), hits
    score = {h["id"]: h["score"] for h in hits}
    assert score["CN-1"] < score["MY-1"] and score["CN-2"] < score["MY-1"]
    # … and above a name sharing only the given name ("Lim Wei Ming": another family).
    assert score["CN-1"] > score["I-1"] + 0.2 and score["CN-2"] > score["I-1"] + 0.2, hits
    assert "MY-2" not in ids and "CN-3" not in ids    # the family name alone is not enough
    back = [h["id"] for h in _json(capsys, ["search", case_file, "陈伟明", "--json", "--kind", "persons"])]
    assert set(back[:2]) == {"CN-1", "CN-2"} and "MY-1" in back, back
    # A family name alone is a family name: no other romanisations for one word.
    assert [h["id"] for h in _json(capsys, ["search", case_file, "Tan", "--json", "--kind", "persons"])
            if h["id"].startswith("CN")] == []
