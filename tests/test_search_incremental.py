"""The search index grows by added sources and notes without a rebuild, and its hits then equal a
full rebuild's; anything else (a source removed or re-imported, a note edited, a large addition)
rebuilds it whole; cancel during an add leaves the index as it was."""

from __future__ import annotations

import json
import logging
import shutil

import pytest

from analysis import search
from workstation.case import Case
from workstation.errors import Cancelled
from workstation.importers import ImportOptions
from workstation.ingest import import_path
from workstation.progress import Progress

from .test_import_bundle import _bundle, _write

GIVEN = "Agus Budi Dedi Eko Fajar Hendra Indra Joko Rudi Slamet Wahyu Yusuf Siti Dewi Sri Nur".split()
FAMILY = "Santoso Wibowo Saputra Hidayat Setiawan Kurniawan Pratama Nugroho Susanto Gunawan Halim".split()
CITIES = "Bontang Samarinda Tarakan Nunukan Tawau Berau".split()

QUERIES = ["Mohd Rizal", "Rizall Abdullah", "Kertanegara", "Budi Santoso", "0813 7000 0005",
           "+62 813-7000-0044", "A1234567", "Nunukan", "Bontang", "Tawau", "speedboat"]


def _import(tmp_path, name: str, tables: dict[str, list[dict]]) -> None:
    """Write ``tables`` as a directory bundle (CSV) and import it into the case at tmp_path/c.lintas."""
    d = tmp_path / name
    files, specs = {}, []
    for kind, rows in tables.items():
        f = d / f"{kind}.csv"
        d.mkdir(parents=True, exist_ok=True)
        _write(kind, rows, "csv", f)
        files[f.name] = f.read_bytes()
        specs.append({"kind": kind, "format": "csv", "path": f"data/{f.name}"})
    src = _bundle(d, files, specs)
    with Case.open(tmp_path / "c.lintas") as case:
        assert import_path(case, src, ImportOptions(allow_unsigned=True)).imported


def _phone(i: int) -> str:
    return f"0813-7000-{i:04d}"


def _first_bundle() -> dict[str, list[dict]]:
    persons = [{"id": "P-0", "name": "Muhammad Rizal bin Abdullah", "aliases": ["Rizal"], "nationality": "ID"}]
    persons += [{"id": f"P-{i}", "name": f"{GIVEN[i % len(GIVEN)]} {FAMILY[i * 7 % len(FAMILY)]}",
                 "aliases": [], "nationality": "ID"} for i in range(1, 120)]
    ids = [{"owner": f"P-{i}", "kind": "phone", "value": _phone(i), "country": "ID"} for i in range(0, 120, 2)]
    ids.append({"owner": "P-3", "kind": "passport", "value": "A 123 4567", "country": "MY"})
    addresses = [{"owner": f"P-{i}", "full": f"Jl. Ahmad Yani No. {i}, {CITIES[i % len(CITIES)]}",
                  "city": CITIES[i % len(CITIES)]} for i in range(0, 120, 3)]
    # Calls between 160 numbers: the even ones held by a person here, the odd ones by nobody yet.
    calls = [{"caller": _phone(i % 160), "callee": f"+62 813-7000-{(i * 7 + 3) % 160:04d}",
              "start": f"2026-03-{1 + i % 28:02d} 10:{i % 60:02d}:00"} for i in range(400)]
    return {"persons": persons, "identifiers": ids, "addresses": addresses, "calls": calls}


def _second_bundle() -> dict[str, list[dict]]:
    # Kertanegara holds 0005 (nobody held it: calls of it now name him) and 0044 (P-44 holds it:
    # calls of it now name nobody).
    return {"persons": [{"id": "M-1", "name": "Mohd Rizal Abdullah", "aliases": [], "nationality": "MY"},
                        {"id": "M-2", "name": "Bagus Kertanegara", "aliases": ["Bagus"], "nationality": "ID"}],
            "identifiers": [{"owner": "M-2", "kind": "phone", "value": "0813 7000 0005", "country": "ID"},
                            {"owner": "M-2", "kind": "phone", "value": "+62 813 7000 0044", "country": "ID"}],
            "calls": [{"caller": "0813 7000 0005", "callee": "+60 12-345 6789", "start": "2026-04-01 08:00:00"}]}


def _third_bundle() -> dict[str, list[dict]]:
    return {"persons": [{"id": "I-1", "name": "RIZAL, Mohamad", "aliases": [], "nationality": "ID"}],
            "incidents": [{"id": "INC-7", "time": "2026-04-02 07:00:00", "kind": "smuggling",
                           "place": "Nunukan harbour", "description": "speedboat intercepted near Tawau"}]}


def _hits(con) -> dict[str, list[tuple]]:
    return {q: sorted((h["kind"], h["field"], h["text"], h["source_id"], h["source_row"], h["entity_id"], h["score"])
                      for h in search.search(con, q, limit=10_000)) for q in QUERIES}


def _content(con) -> dict[str, list[tuple]]:
    """The index without its ids: docs, terms with df, postings as (term, doc)."""
    doc = "d.kind, d.field, d.source_id, d.source_row, d.entity_id, d.local_id, d.text, d.country, d.time_utc"
    return {
        "docs": con.execute(f"SELECT {doc}, d.time_last_utc FROM search_docs d ORDER BY ALL").fetchall(),
        "terms": con.execute("SELECT term, canon, phon, df FROM search_terms ORDER BY ALL").fetchall(),
        "postings": con.execute(f"SELECT t.term, {doc} FROM search_postings p JOIN search_terms t USING (term_id) "
                                "JOIN search_docs d USING (doc_id) ORDER BY ALL").fetchall(),
        "end rows": con.execute(f"SELECT r.time_utc, r.source_row, {doc} FROM search_end_rows r "
                                "JOIN search_docs d USING (doc_id) ORDER BY ALL").fetchall()}


def _appended(con) -> int:
    row = con.execute("SELECT value FROM case_meta WHERE key = ?", [search.COVER_KEY]).fetchall()
    return json.loads(row[0][0])["appended"]


def _ids_of(con, source_id: int) -> list[tuple]:
    return con.execute("SELECT doc_id, kind, field, source_row, text FROM search_docs WHERE source_id = ? "
                       "ORDER BY doc_id", [source_id]).fetchall()


@pytest.fixture
def grown(tmp_path):
    """A case with a first, larger source indexed."""
    Case.create(tmp_path / "c.lintas", "incremental").close()
    _import(tmp_path, "b1", _first_bundle())
    with Case.open(tmp_path / "c.lintas") as case:
        assert search.ensure_index(case) is True
        assert _appended(case.cursor()) == 0
    return tmp_path


def _full_rebuild_of_a_copy(tmp_path) -> tuple[dict, dict]:
    shutil.copy(tmp_path / "c.lintas", tmp_path / "copy.lintas")
    with Case.open(tmp_path / "copy.lintas") as copy:
        search.build_index(copy)
        return _hits(copy.cursor()), _content(copy.cursor())


def test_added_sources_and_notes_are_indexed_without_a_rebuild_and_hit_as_a_full_build(grown, caplog):
    tmp_path = grown
    caplog.set_level(logging.INFO, logger="analysis.search")
    with Case.open(tmp_path / "c.lintas") as case:
        first_docs = _ids_of(case.cursor(), 1)
        assert first_docs
    for name, tables in (("b2", _second_bundle()), ("b3", _third_bundle())):
        _import(tmp_path, name, tables)
        with Case.open(tmp_path / "c.lintas") as case:
            assert not search.index_is_current(case.cursor())
            assert search.ensure_index(case) is True
            assert search.ensure_index(case) is False
            cur = case.cursor()
            assert _ids_of(cur, 1) == first_docs      # added, not rebuilt: source 1 keeps its doc_ids
            assert _appended(cur) > 0
        added_log = [r.getMessage() for r in caplog.records if "added to" in r.getMessage()]
        assert len(added_log) == 1 and ("'rekeyed': 0" in added_log[0]) == (name == "b3"), added_log
        caplog.clear()
    with Case.open(tmp_path / "c.lintas") as case:
        case.con.execute("INSERT INTO notes VALUES (nextval('seq_note'), NULL, 1, 'met the Kertanegara courier at "
                         "Sebatik', 'analyst', TIMESTAMP '2026-11-20 10:00:00')")
        assert search.ensure_index(case) is True
        cur = case.cursor()
        assert _ids_of(cur, 1)[:len(first_docs)] == first_docs
        added, content = _hits(cur), _content(cur)
        # The new sources' docs follow the old ones.
        assert cur.execute("SELECT min(doc_id) FROM search_docs WHERE source_id > 1").fetchall()[0][0] > max(
            d[0] for d in first_docs)
        entity_of = dict(cur.execute("SELECT local_id, entity_id FROM entities").fetchall())
    full_hits, full_content = _full_rebuild_of_a_copy(tmp_path)
    assert content == full_content
    assert added == full_hits
    # The rows of the added sources' numbers are there (for a search with a time range), as a full build has them.
    assert {r[4] for r in content["end rows"]} >= {1, 2}, content["end rows"]
    # The queries found what they should (not just equally nothing).
    assert {h[2] for h in added["Mohd Rizal"]} >= {"Muhammad Rizal bin Abdullah", "Mohd Rizal Abdullah",
                                                   "RIZAL, Mohamad"}
    assert any(h[0] == "incidents" for h in added["Nunukan"]) and added["Rizall Abdullah"]
    assert any(h[0] == "notes" for h in added["Kertanegara"])
    # Calls of a number the second source's person holds now name him; of one two persons hold, nobody.
    calls = [h for h in added["0813 7000 0005"] if h[0] == "calls" and h[3] == 1]
    assert calls and {h[5] for h in calls} == {entity_of["M-2"]}
    held_twice = [h for h in added["+62 813-7000-0044"] if h[0] == "calls"]
    assert held_twice and {h[5] for h in held_twice} == {None}


@pytest.mark.parametrize("change", ["source removed", "source re-imported", "note edited"])
def test_anything_but_an_addition_rebuilds_whole(grown, change):
    tmp_path = grown
    _import(tmp_path, "b2", _second_bundle())
    with Case.open(tmp_path / "c.lintas") as case:
        case.con.execute("INSERT INTO notes VALUES (nextval('seq_note'), NULL, 1, 'courier seen in Tawau', "
                         "'analyst', TIMESTAMP '2026-11-20 10:00:00')")
        search.ensure_index(case)
        assert _appended(case.cursor()) > 0
        with case.transaction() as con:
            if change == "source removed":
                con.execute("DELETE FROM persons WHERE source_id = 2")
                con.execute("DELETE FROM identifiers WHERE source_id = 2")
                con.execute("DELETE FROM calls WHERE source_id = 2")
                con.execute("DELETE FROM sources WHERE source_id = 2")
            elif change == "source re-imported":
                con.execute("UPDATE sources SET imported_at = imported_at + INTERVAL 1 SECOND WHERE source_id = 1")
            else:
                con.execute("UPDATE notes SET text = 'courier seen in Sandakan'")
        assert not search.index_is_current(case.cursor())
        assert search.ensure_index(case) is True
        cur = case.cursor()
        assert _appended(cur) == 0
        hits, content = _hits(cur), _content(cur)
        if change == "source removed":
            assert search.search(cur, "Kertanegara") == []
        if change == "note edited":
            assert [h["kind"] for h in search.search(cur, "Sandakan")] == ["notes"]
            assert not any(h["kind"] == "notes" for h in search.search(cur, "Tawau"))
    assert (hits, content) == _full_rebuild_of_a_copy(tmp_path)


def test_a_large_addition_rebuilds_whole(grown):
    tmp_path = grown
    big = _first_bundle()
    for p in big["persons"]:
        p["id"] = "X" + p["id"]
    for r in big["identifiers"] + big["addresses"]:
        r["owner"] = "X" + r["owner"]
    _import(tmp_path, "big", big)
    with Case.open(tmp_path / "c.lintas") as case:
        before = _ids_of(case.cursor(), 1)
        assert search.ensure_index(case) is True
        cur = case.cursor()
        assert _appended(cur) == 0 and _ids_of(cur, 1) != before   # persons of both sources come first
        assert cur.execute("SELECT max(doc_id) = count(*) FROM search_docs").fetchall()[0][0]


class _CancelAt(Progress):
    """Cancelled at its ``at``-th check."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.at, self.checks = at, 0

    def check(self) -> None:
        self.checks += 1
        if self.checks == self.at:
            self.cancel()
        super().check()


def test_cancel_during_an_add_leaves_the_index_as_it_was(grown):
    tmp_path = grown
    with Case.open(tmp_path / "c.lintas") as case:
        before = _content(case.cursor())
        ids = _ids_of(case.cursor(), 1)
    _import(tmp_path, "b2", _second_bundle())
    with Case.open(tmp_path / "c.lintas") as case:
        for at in (1, 3):   # cancelled at the first check, and further in (after tokenising)
            p = _CancelAt(at)
            with pytest.raises(Cancelled):
                search.ensure_index(case, progress=p)
            cur = case.cursor()
            assert _content(cur) == before and _ids_of(cur, 1) == ids
            assert not search.index_is_current(cur)
            # Still usable: the first source is found, the new one not yet.
            assert search.search(cur, "Muhammad Rizal")[0]["source_id"] == 1
            assert search.search(cur, "Kertanegara") == []
        assert search.ensure_index(case) is True
        assert _ids_of(case.cursor(), 1) == ids and search.search(case.cursor(), "Kertanegara")
