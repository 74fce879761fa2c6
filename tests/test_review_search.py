"""Review of search, entity resolution, judgements, profiles and pivots from the outside.

Every case here is built as an analyst's case is: ``lintas-bundle/1`` directories written by hand,
imported with ``lintas import --allow-unsigned``, then used through the ``lintas`` commands.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import uuid
from pathlib import Path

import pytest

from tests.test_xref import run_cli


def write_bundle(out: Path, title: str, country: str, tables: dict[str, list[dict]],
                 tz: str = "Asia/Jakarta") -> Path:
    """A ``lintas-bundle/1`` directory: one CSV per kind (lists joined by ';') and its manifest."""
    out.mkdir(parents=True)
    entries = []
    for kind, rows in tables.items():
        cols = list(dict.fromkeys(k for r in rows for k in r))
        buf = io.StringIO()
        w = csv.DictWriter(buf, cols, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in r.items()})
        data = buf.getvalue().encode()
        (out / f"{kind}.csv").write_bytes(data)
        entries.append({"path": f"{kind}.csv", "kind": kind, "format": "csv", "rows": len(rows),
                        "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    manifest = {"format": "lintas-bundle/1", "bundle_id": str(uuid.uuid4()), "title": title,
                "created_at": "2026-11-20T10:15:00+07:00", "producer": {"country": country, "agency": title},
                "handling": {"tlp": "AMBER"}, "tables": entries, "default_timezone": tz}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return out


# Pairs of persons, one per source, that are one person written as the issue says this region writes
# names (same birth date each side: the name is what is tested).
NAME_CASES = [
    ("Suparman", "SUPARMAN", "1970-02-02"),                                     # single name
    ("Hj. Siti Noor binti Abd. Rahman", "Siti Nur Abdul Rahman", "1968-06-06"),  # Hj., binti, Abd., Noor
    ("Siti Aminah bt. Yusuf", "Siti Aminah Yusof", "1971-01-21"),               # bt.
    ("Agus Salim b. Kadir", "Agus Salim Kadir", "1972-02-12"),                  # b.
    ("Drs. H. Bambang Susilo, M.M.", "Bambang Susilo", "1965-07-07"),           # Drs., H., degree
    ("Ir. Hendro Wibisono", "Dr. Hendro Wibisono", "1961-03-13"),               # Ir., Dr.
    ("Muhamad Faisal Anwar", "Mohamad Faisal Anwar", "1983-04-14"),             # Muhamad / Mohamad
    ("Mochamad Iqbal Ramadhan", "Muhammad Iqbal Ramadhan", "1984-05-15"),       # Javanese Mochamad
    ("H.M. Nasir Djamil", "Muhammad Nasir Jamil", "1962-06-16"),                # "M." for Muhammad
    ("Soenarjo Djojohadikoesoemo", "Sunaryo Joyohadikusumo", "1960-05-05"),     # 1972 reform
    ("Tjahjo Koemolo", "Cahyo Kumolo", "1957-12-01"),
    ("SOEKARNO", "Sukarno", "1901-06-06"),
    ("DJOKO, Santoso", "Joko Santoso", "1952-09-08"),                           # SURNAME, Forename
    ("Tan Ah Kow", "Ah Kow Tan", "1980-08-08"),                                 # family name first
    ("Juan dela Cruz", "Juan De La Cruz", "1979-09-09"),                        # Filipino particles
    ("Владимир Петров", "Vladimir Petrov", "1975-01-15"),                       # Cyrillic
    ("陈伟明", "Chen Wei Ming", "1982-03-03"),                                   # Chinese
    ("张小龙", "ZHANG, Xiaolong", "1985-05-25"),                                 # Chinese, pinyin joined
    ("عمر حسن", "Omar Hassan", "1977-07-17"),                                   # Arabic
]

RIZAL = ("Muhammad Rizal bin Abdullah", "Mohd Rizal Abdullah", "RIZAL, Mohamad")
NUMBERS = ("0812-3456-7890", "+62 812 3456 7890", "6281234567890")


def _tables() -> list[tuple[str, str, dict[str, list[dict]], str]]:
    a_persons = [{"id": "P-001", "name": RIZAL[0], "aliases": ["Rizal Tawau"], "birth_date": "1987-03-04",
                  "nationality": "ID", "gender": "M", "notes": "nakhoda speedboat Nunukan"},
                 {"id": "P-002", "name": "Ahmad Rizal", "birth_date": "1975-11-20", "nationality": "ID"}]
    b_persons = [{"id": "MY-77", "name": RIZAL[1], "birth_date": "1987-04-03", "nationality": "MY",
                  "gender": "M"}]
    for i, (x, y, born) in enumerate(NAME_CASES):
        a_persons.append({"id": f"N-{i}", "name": x, "birth_date": born})
        b_persons.append({"id": f"M-{i}", "name": y, "birth_date": born})
    a = {"persons": a_persons,
         "organizations": [{"id": "O-1", "name": "PT Samudra Jaya Abadi", "country": "Indonesia",
                            "registration_number": "AHU-0012345", "kind": "PT"}],
         "identifiers": [{"owner": "P-001", "kind": "phone", "value": NUMBERS[0]},
                         {"owner": "P-001", "kind": "bank_account", "value": "BRI 0123-01-000456-50-7"},
                         {"owner": "P-001", "kind": "vehicle_plate", "value": "KT 1234 AB"}],
         "sightings": [{"subject": "KT-1234-AB", "time": "2026-01-02T08:00:00", "place": "Tawau"}],
         "calls": [{"caller": NUMBERS[0], "callee": "0813 9999 0000", "start": "2026-01-05T10:00:00",
                    "duration_s": "60"},
                   {"caller": "0813 9999 0000", "callee": NUMBERS[0], "start": "2026-03-05T10:00:00",
                    "duration_s": "30"}],
         "transfers": [{"from_account": "0123-01-000456-50-7", "to_account": "9988776655",
                        "time": "2026-02-01T09:00:00", "amount": "1500000", "currency": "IDR"},
                       {"from_account": "9988776655", "to_account": "BRI 0123 01 000456 50 7",
                        "time": "2026-02-03T09:00:00", "amount": "250000", "currency": "IDR"}]}
    b = {"persons": b_persons,
         "identifiers": [{"owner": "MY-77", "kind": "phone", "value": NUMBERS[1]},
                         {"owner": "MY-77", "kind": "passport", "value": "A1234567", "country": "MY"}]}
    c = {"persons": [{"id": "I-9", "name": RIZAL[2], "birth_date": "1987", "nationality": "Indonesia"}],
         "identifiers": [{"owner": "I-9", "kind": "phone", "value": NUMBERS[2]},
                         {"owner": "I-9", "kind": "passport", "value": "A 123 4567", "country": "MY"}]}
    return [("a", "Bontang phone extraction", a, "ID"), ("b", "PDRM package", b, "MY"),
            ("c", "Interpol notice", c, "INTERPOL")]


def build_case(base: Path, title: str, bundles: list[tuple[str, str, str, dict[str, list[dict]], str]]) -> Path:
    """A case at ``base``/case.lintas made and filled through ``lintas case new`` and ``lintas import``
    of each (folder name, title, producer country, tables, default time zone) as an unsigned bundle."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LINTAS_CONFIG_DIR", str(base / "config"))
        mp.setenv("LINTAS_LOG_DIR", str(base / "log"))
        from workstation.cli import main

        path = base / "case.lintas"
        assert main(["case", "new", str(path), "--title", title]) == 0
        for name, bundle_title, country, tables, tz in bundles:
            bundle = write_bundle(base / name, bundle_title, country, tables, tz=tz)
            assert main(["import", str(path), str(bundle), "--allow-unsigned"]) == 0
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The case, imported once through ``lintas import``; tests work on copies."""
    return build_case(tmp_path_factory.mktemp("review"), "Review", [
        (name, title, country, tables, "Asia/Kuala_Lumpur" if country == "MY" else "Asia/Jakarta")
        for name, title, tables, country in _tables()])


@pytest.fixture
def case_file(built, tmp_path) -> str:
    dst = tmp_path / "case.lintas"
    shutil.copy(built, dst)
    return str(dst)


def _json(capsys, argv):
    r = run_cli(capsys, argv)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _pairs(capsys, path, *extra) -> dict[frozenset, dict]:
    return {frozenset((p["a"]["id"], p["b"]["id"])): p for p in _json(capsys, ["xref", path, "--json", *extra])}


def test_the_issue_example_is_one_person_and_found_by_every_spelling_and_number(case_file, capsys):
    pairs = _pairs(capsys, case_file)
    for x, y in (("P-001", "MY-77"), ("MY-77", "I-9"), ("P-001", "I-9")):
        p = pairs[frozenset((x, y))]
        assert p["band"] == "likely" and p["reasons"], p
        assert set(p["a"]) >= {"source_id", "bundle_id", "id", "name"} and p["a"]["bundle_id"]
    scores = [p["score"] for p in _json(capsys, ["xref", case_file, "--json"])]
    assert scores == sorted(scores, reverse=True)
    for spelling in RIZAL:
        hits = _json(capsys, ["search", case_file, spelling, "--json", "--kind", "persons"])
        assert {"P-001", "MY-77", "I-9"} <= {h["id"] for h in hits}, (spelling, hits)
        assert all(h["source_id"] and h["bundle_id"] for h in hits)
    for number in NUMBERS:
        hits = _json(capsys, ["search", case_file, number, "--json", "--kind", "identifiers"])
        assert {"P-001", "MY-77", "I-9"} <= {h["id"] for h in hits}, (number, hits)


@pytest.mark.parametrize("i", range(len(NAME_CASES)))
def test_every_name_case_meets_in_xref_and_search(built, capsys, i):
    x, y, _ = NAME_CASES[i]
    path = str(built)   # read only: xref --json stores its suggestions, so run it on the shared case once
    pairs = _xref_cache(capsys, path)
    p = pairs.get(frozenset((f"N-{i}", f"M-{i}")))
    assert p and p["band"] == "likely", (x, y, p)
    for q in (x, y):
        ids = {h["id"] for h in _json(capsys, ["search", path, q, "--json", "--kind", "persons"])}
        assert {f"N-{i}", f"M-{i}"} <= ids, (q, ids)


_XREF: dict[str, dict] = {}


def _xref_cache(capsys, path: str) -> dict:
    if path not in _XREF:
        _XREF[path] = _pairs(capsys, path)
    return _XREF[path]


def test_judgements_undo_and_audit_through_the_cli(case_file, capsys):
    j = _json(capsys, ["judge", case_file, "1:P-001", "2:MY-77", "same", "--analyst", "ana", "--json"])
    assert j["cluster"] == sorted([j["entity_a"], j["entity_b"]])
    _json(capsys, ["judge", case_file, "2:MY-77", "3:I-9", "same", "--analyst", "ana", "--json"])
    assert len(_json(capsys, ["profile", case_file, "3:I-9", "--json"])["members"]) == 3
    pairs = _pairs(capsys, case_file)
    assert not any(frozenset(k) <= {"P-001", "MY-77", "I-9"} for k in pairs)
    u = _json(capsys, ["judge", case_file, "1:P-001", "2:MY-77", "undo", "--analyst", "bea", "--json"])
    assert len(u["cluster_a"]) == 1 and len(u["cluster_b"]) == 2
    assert [m["id"] for m in _json(capsys, ["profile", case_file, "1:P-001", "--json"])["members"]] == ["P-001"]
    assert frozenset(("P-001", "MY-77")) in _pairs(capsys, case_file)
    # A rejected pair never comes back, nor does it through the rejected entity's cluster.
    _json(capsys, ["judge", case_file, "1:P-001", "3:I-9", "different", "--analyst", "bea", "--json"])
    pairs = _pairs(capsys, case_file, "--min-score", "0")
    assert frozenset(("P-001", "I-9")) not in pairs and frozenset(("P-001", "MY-77")) not in pairs
    audit = _json(capsys, ["audit", "show", case_file, "--json"])
    made = [(a["action"], a["params"].get("analyst"), a["params"].get("verdict")) for a in audit
            if a["action"].startswith("judgement")]
    assert made == [("judgement", "ana", "same"), ("judgement", "ana", "same"), ("judgement.undo", "bea", None),
                    ("judgement", "bea", "different")]
    assert all(a["time_utc"] for a in audit)


def test_search_finds_a_document_number_however_it_is_grouped(case_file, capsys):
    """An analyst types the passport as one source writes it; the other writing is found too."""
    for q in ("A 123 4567", "A1234567", "a-123-4567"):
        hits = _json(capsys, ["search", case_file, q, "--json", "--kind", "identifiers"])
        assert {"MY-77", "I-9"} <= {h["id"] for h in hits}, (q, hits)
        assert all(h["score"] == 1.0 for h in hits if h["id"] in ("MY-77", "I-9")), hits
    # Another document with the same digits is another document: at best a partial match.
    assert all(h["score"] < 0.9 for h in _json(capsys, ["search", case_file, "B 123 4567", "--json"]))
    # Part of a grouped number still finds it (the token reading of the query).
    assert "I-9" in {h["id"] for h in _json(capsys, ["search", case_file, "123 4567", "--json"])}
    hits = _json(capsys, ["search", case_file, "AHU 0012345", "--json"])
    assert ("organizations", "registration_number") in {(h["kind"], h["field"]) for h in hits}, hits
    # A bank account with its bank's name in front, as another source writes it.
    hits = _json(capsys, ["search", case_file, "0123 01 000456 50 7", "--json"])
    assert ("identifiers", "P-001") in {(h["kind"], h["id"]) for h in hits}
    # A plate typed without spaces finds it however written (sighting subject and identifier).
    hits = _json(capsys, ["search", case_file, "KT1234AB", "--json"])
    assert {("identifiers", "value"), ("sightings", "subject")} <= {(h["kind"], h["field"]) for h in hits}, hits
    # Words beside a number are still words, not part of a number.
    assert ("alias", "P-001") in {(h["field"], h["id"]) for h in _json(capsys, ["search", case_file, "Tawau 1234567",
                                                                               "--json"])}


def test_search_filters_refuse_what_they_cannot_filter_on(case_file, capsys):
    r = run_cli(capsys, ["search", case_file, "Rizal", "--kind", "person"])
    assert r.returncode == 2 and "person" in r.stderr and "persons" in r.stderr, (r.returncode, r.stderr)
    # A country written as a name is the country.
    hits = _json(capsys, ["search", case_file, "Rizal", "--json", "--country", "Malaysia"])
    assert [h["id"] for h in hits] == ["MY-77"]
    assert [h["id"] for h in _json(capsys, ["search", case_file, "Rizal", "--json", "--country", "my"])] == ["MY-77"]
    r = run_cli(capsys, ["search", case_file, "Rizal", "--country", "Narnia"])
    assert r.returncode == 2 and "Narnia" in r.stderr
    r = run_cli(capsys, ["search", case_file, "Rizal", "--source", "9"])
    assert r.returncode == 2 and "no source 9" in r.stderr
    # Source and time range: the calls of the number in February only.
    hits = _json(capsys, ["search", case_file, NUMBERS[0], "--json", "--kind", "calls", "--source", "1",
                          "--from", "2026-02-01", "--to", "2026-04-01"])
    assert hits and all(h["time_last_utc"] >= "2026-02-01" for h in hits)
    assert _json(capsys, ["search", case_file, NUMBERS[0], "--json", "--from", "2026-04-01"]) == []
    assert _json(capsys, ["search", case_file, "Rizal", "--json", "--source", "3"])[0]["id"] == "I-9"


def test_pivot_from_a_bank_account_reaches_the_transfers_writing_it(case_file, capsys):
    pv = _json(capsys, ["pivot", case_file, "1:P-001", "--json"])
    by = {i["kind"]: i for i in pv["identifiers"]}
    hits = by["bank_account"]["hits"]
    got = {(h["kind"], h["field"], h["source_row"], h["value"]) for h in hits}
    assert ("transfers", "from_account", 2, "0123-01-000456-50-7") in got, hits
    assert ("transfers", "to_account", 3, "BRI 0123 01 000456 50 7") in got, hits
    assert not any(h["value"] == "9988776655" for h in hits)
    phone = by["phone"]["hits"]
    assert {h["id"] for h in phone if h["kind"] == "identifiers"} == {"MY-77", "I-9"}
    assert {(h["field"], h["source_row"]) for h in phone if h["kind"] == "calls"} == {
        ("caller_e164", 2), ("callee_e164", 3)}


def test_profile_holds_every_value_of_its_rows_with_the_row(case_file, capsys):
    p = _json(capsys, ["profile", case_file, "1:P-001", "--json"])
    assert [(v["value"], v["source_row"], v["id"]) for v in p["genders"]] == [("M", 2, "P-001")]
    assert [(v["value"], v["source_row"]) for v in p["notes"]] == [("nakhoda speedboat Nunukan", 2)]
    o = _json(capsys, ["profile", case_file, "1:O-1", "--json"])
    assert [(v["value"], v["source_row"], v["id"]) for v in o["registration_numbers"]] == [("AHU-0012345", 2, "O-1")]
    assert [(v["value"], v["value_norm"]) for v in o["countries"]] == [("Indonesia", "ID")]
    for prof in (p, o):
        for key, values in prof.items():
            if isinstance(values, list) and key not in ("cluster", "members", "judgements", "relationships"):
                for v in values:
                    assert v["source_id"] and v["bundle_id"] and v["source_row"] is not None, (key, v)
    text = run_cli(capsys, ["profile", case_file, "1:O-1"]).stdout
    assert "AHU-0012345" in text and "Indonesia" in text


def test_a_same_that_would_join_a_rejected_pair_is_refused(case_file, capsys):
    """Confirming A ~ C while A ~ B is confirmed and B ~ C rejected would make one person of the pair
    the analyst said were two: refused, naming the rejection; the pair's own verdict may change."""
    _json(capsys, ["judge", case_file, "1:P-001", "2:MY-77", "same", "--json"])
    _json(capsys, ["judge", case_file, "2:MY-77", "3:I-9", "different", "--json"])
    r = run_cli(capsys, ["judge", case_file, "1:P-001", "3:I-9", "same"])
    assert r.returncode == 1 and "judged different" in r.stderr and "undo" in r.stderr, r.stderr
    assert len(_json(capsys, ["profile", case_file, "3:I-9", "--json"])["members"]) == 1
    j = _json(capsys, ["judge", case_file, "2:MY-77", "3:I-9", "same", "--json"])
    assert len(j["supersedes"]) == 1 and len(j["cluster"]) == 3


@pytest.mark.parametrize("argv", [["search", "{c}", "Rizal", "--limit", "-1"], ["search", "{c}", "Rizal", "--limit", "0"],
                                  ["xref", "{c}", "--limit", "-1"], ["xref", "{c}", "--min-score", "1.5"],
                                  ["xref", "{c}", "--min-score", "x"], ["pivot", "{c}", "1:P-001", "--limit", "-1"]])
def test_counts_and_scores_out_of_range_are_usage_errors(built, capsys, argv):
    with pytest.raises(SystemExit) as e:
        run_cli(capsys, [a.format(c=built) for a in argv])
    assert e.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_pinyin_given_names_split_only_in_chinese_names():
    from analysis.names import name_tokens

    assert name_tokens("Chen Weiming") == name_tokens("陈伟明") == ["chen", "wei", "ming"]
    assert name_tokens("Lina Wang") == ["li", "na", "wang"]
    # Not a Chinese name, or not pinyin: left as written.
    assert name_tokens("Dian Sari") == ["dian", "sari"]
    assert name_tokens("Ali Ma") == ["ali", "ma"]
    assert name_tokens("Hasan Basri Tan") == ["hassan", "basri", "tan"]


def test_a_person_cannot_be_confirmed_the_same_as_an_organisation(case_file, capsys):
    r = run_cli(capsys, ["judge", case_file, "1:P-001", "1:O-1", "same"])
    assert r.returncode == 1 and "different kinds" in r.stderr, r.stderr
    assert _json(capsys, ["judge", case_file, "1:P-001", "1:O-1", "different", "--json"])["verdict"] == "different"


def test_xref_over_one_kind_keeps_the_other_kinds_stored_suggestions(case_file, capsys):
    from analysis import xref
    from workstation.case import Case

    _json(capsys, ["xref", case_file, "--json"])
    _json(capsys, ["xref", case_file, "--json", "--kind", "organizations"])
    with Case.open(case_file, read_only=True) as case:
        stored = xref.candidates_for(case.cursor(), [1])
    assert any({c["id_a"], c["id_b"]} == {"P-001", "MY-77"} for c in stored), stored


def test_an_id_as_written_names_its_entity_where_one_source_has_it(case_file, capsys, tmp_path):
    j = _json(capsys, ["judge", case_file, "P-001", "MY-77", "same", "--json"])
    assert j["cluster"] == [1, j["entity_b"]]
    assert {m["id"] for m in _json(capsys, ["profile", case_file, "I-9", "--json"])["members"]} == {"I-9"}
    bundle = write_bundle(tmp_path / "again", "Second extraction", "ID",
                          {"persons": [{"id": "P-001", "name": "Budi Santoso"}]})
    assert run_cli(capsys, ["import", case_file, str(bundle), "--allow-unsigned"]).returncode == 0
    r = run_cli(capsys, ["profile", case_file, "P-001"])
    assert r.returncode == 1 and "1:P-001" in r.stderr and "4:P-001" in r.stderr, r.stderr


def test_stored_suggestions_settled_by_later_judgements_are_not_offered(case_file, capsys):
    """The profile panel offers the stored suggestions of the last xref run: a pair two confirmations
    made one person, or a pair whose clusters were judged different, is no longer one."""
    from analysis import xref
    from workstation.case import Case

    _json(capsys, ["xref", case_file, "--json"])
    _json(capsys, ["judge", case_file, "P-001", "MY-77", "same", "--json"])
    _json(capsys, ["judge", case_file, "MY-77", "I-9", "same", "--json"])

    def offered():
        with Case.open(case_file, read_only=True) as case:
            return {frozenset((c["id_a"], c["id_b"])) for c in xref.candidates_for(case.cursor(), [1])}
    assert frozenset(("P-001", "I-9")) not in offered()
    _json(capsys, ["judge", case_file, "P-001", "MY-77", "undo", "--json"])
    _json(capsys, ["judge", case_file, "P-001", "I-9", "different", "--json"])
    assert not {frozenset(("P-001", "I-9")), frozenset(("P-001", "MY-77"))} & offered()


def test_m_initial_and_javanese_spellings_are_muhammad():
    from analysis.names import name_keys, name_tokens, similarity

    assert name_tokens("M. Rizal") == name_tokens("H.M. Rizal") == name_tokens("Mochamad Rizal") == ["muhammad", "rizal"]
    assert name_tokens("Muchammad Rizal") == ["muhammad", "rizal"]
    assert name_tokens("Rizal M.") == ["rizal", "m"]   # a last initial is not a given name
    assert similarity(name_keys("H.M. Nasir Djamil"), name_keys("Muhammad Nasir Jamil")) == 1.0


def test_search_reads_an_m_initial_as_muhammad_and_other_initials_as_little(case_file, capsys):
    for q in ("M. Rizal", "H.M. Rizal Abdullah", "Mochamad Rizal"):
        hits = _json(capsys, ["search", case_file, q, "--json", "--kind", "persons"])
        assert {"P-001", "MY-77", "I-9"} <= {h["id"] for h in hits[:3]}, (q, hits)
    hits = _json(capsys, ["search", case_file, "Bambang S. Susilo", "--json", "--kind", "persons"])
    assert {"N-4", "M-4"} <= {h["id"] for h in hits if h["score"] == 1.0}, hits


def test_an_undone_judgement_brings_its_stored_suggestion_back(case_file, capsys):
    from analysis import xref
    from workstation.case import Case

    _json(capsys, ["xref", case_file, "--json"])

    def offered():
        with Case.open(case_file, read_only=True) as case:
            return {frozenset((c["id_a"], c["id_b"])) for c in xref.candidates_for(case.cursor(), [1])}
    pair = frozenset(("P-001", "MY-77"))
    assert pair in offered()
    for verdict in ("same", "different"):
        _json(capsys, ["judge", case_file, "P-001", "MY-77", verdict, "--json"])
        assert pair not in offered()
        _json(capsys, ["judge", case_file, "P-001", "MY-77", "undo", "--json"])
        assert pair in offered(), verdict
