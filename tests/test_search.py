"""Search over a real case file: tolerant matching, ranking, filters, provenance, staleness, CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from analysis import search
from tests.test_xref import BUNDLES, add_identifier, add_person, add_source, build_rizal_case, run_cli


@pytest.fixture
def rizal(case_path):
    case, e = build_rizal_case(case_path)
    with case.transaction() as con:
        add_person(con, 2, 9, "MY-80", "Владимир Путин")
        add_person(con, 2, 10, "MY-81", "陈伟明")
        add_person(con, 2, 11, "MY-82", "Juan dela Cruz", nationality="PH")
        con.execute("INSERT INTO addresses (source_id, source_row, owner, \"full\", city, country, country_iso, "
                    "owner_entity_id) VALUES (1, 20, 'P-001', 'Jl. Ahmad Yani No. 5, Bontang', 'Bontang', 'ID', "
                    "'ID', ?)", [e["id"]])
        con.execute("INSERT INTO messages (source_id, source_row, sender, recipient, time, time_utc, app, body) "
                    "VALUES (1, 30, '0812', '0813', '2026-03-01T10:00:00+08:00', TIMESTAMP '2026-03-01 02:00:00', "
                    "'whatsapp', 'barang sudah sampai di Tawau, kirim ke Nunukan besok')")
        con.execute("INSERT INTO incidents (source_id, source_row, id, time, time_utc, kind, place, description) "
                    "VALUES (3, 40, 'INC-7', '2025-06-01T00:00:00Z', TIMESTAMP '2025-06-01 00:00:00', "
                    "'smuggling', 'Nunukan harbour', 'speedboat intercepted')")
        con.execute("INSERT INTO travel (source_id, source_row, time, time_utc, kind, person, place_from, place_to, "
                    "carrier, voyage, person_entity_id) VALUES (3, 41, '2025-07-01T08:00:00+08:00', "
                    "TIMESTAMP '2025-07-01 00:00:00', 'exit', 'P-001', 'Tawau', 'Sebatik', 'Tawau Express Ferry', "
                    "'TEF-12', ?)", [e["id"]])
    yield case, e
    case.close()


def _ids(hits):
    return [(h["source_id"], h["id"]) for h in hits]


def test_names_tolerant_of_spelling_accents_scripts_and_typos(rizal):
    case, e = rizal
    assert search.ensure_index(case) is True
    assert search.ensure_index(case) is False  # current: not rebuilt
    cur = case.cursor()
    for query in ("Mohd Rizal", "muhammad rizal", "MUHAMAD RIZAL", "Rizal Abdulah", "Rizall Abdullah"):
        top = search.search(cur, query, kinds=["persons"])
        assert top, query
        assert top[0]["id"] in ("P-001", "MY-77", "I-9"), (query, top[:3])
    # Old spelling finds the new and back.
    assert (3, "I-10") in _ids(search.search(cur, "Soenarjo"))
    assert (1, "P-004") in _ids(search.search(cur, "Sunaryo"))
    # Other scripts are searchable by their Latin transliteration.
    assert search.search(cur, "Vladimir Putin")[0]["id"] == "MY-80"
    assert search.search(cur, "Путин")[0]["id"] == "MY-80"
    assert search.search(cur, "chen wei ming")[0]["id"] == "MY-81"
    assert search.search(cur, "De La Cruz")[0]["id"] == "MY-82"
    # Aliases, with the hit naming the field.
    hit = search.search(cur, "rizal tawau")[0]
    assert hit["field"] == "alias" and hit["id"] == "P-001"


def test_phone_numbers_match_in_any_writing(rizal):
    case, e = rizal
    search.ensure_index(case)
    cur = case.cursor()
    for q in ("0812-3456-7890", "+62 812 3456 7890", "6281234567890", "081234567890"):
        hits = search.search(cur, q, kinds=["identifiers"])
        owners = {h["entity_id"] for h in hits}
        assert {e["id"], e["my"], e["ip"], e["sister"]} <= owners, (q, hits)
    passport = search.search(cur, "A1234567")
    assert {h["id"] for h in passport} >= {"MY-77"}


def test_numbers_and_accounts_of_calls_messages_transfers(rizal):
    """The ends of event rows are searchable: one doc per number or account per source and
    column, at the first row that writes it, spanning the times of all its rows."""
    case, e = rizal
    with case.transaction() as con:
        for row, (caller, start) in enumerate([("+62 812 5555 0101", "2026-02-01 01:00:00"),
                                                ("+62 812 5555 0101", "2026-04-01 01:00:00"),
                                                ("0812-5555-0101", "2026-03-01 01:00:00")], start=7):
            con.execute("INSERT INTO calls (source_id, source_row, caller, caller_e164, callee, callee_e164, start, "
                        "start_utc) VALUES (2, ?, ?, '+6281255550101', '6285511112222', '+6285511112222', ?, ?)",
                        [row, caller, start, dt.datetime.fromisoformat(start)])
        add_identifier(con, 1, 50, "P-002", e["other"], "phone", "0812 5555 0101")
        con.execute("INSERT INTO transfers (source_id, source_row, from_account, to_account, time, time_utc, amount, "
                    "currency) VALUES (3, 12, 'BRI 0123-01-000456-50-9', 'MBB 5140 1234 5678', '2026-03-02', "
                    "TIMESTAMP '2026-03-02 00:00:00', 9500000, 'IDR')")
    search.ensure_index(case)
    cur = case.cursor()
    hits = search.search(cur, "081255550101", kinds=["calls"])
    by = {(h["field"], h["text"]): h for h in hits}
    # As written, twice (two writings), and the E.164 form once: it adds the country code's digits.
    assert set(by) == {("caller", "+62 812 5555 0101"), ("caller", "0812-5555-0101"),
                       ("caller_e164", "+6281255550101")}, hits
    first = by[("caller", "+62 812 5555 0101")]
    assert first["source_row"] == 7 and first["bundle_id"] == BUNDLES[2] and first["id"] is None
    assert (first["time_utc"], first["time_last_utc"]) == ("2026-02-01T01:00:00Z", "2026-04-01T01:00:00Z")
    # The E.164 doc stands for the rows whose writing lacks its digits: row 9, "0812-5555-0101".
    assert by[("caller_e164", "+6281255550101")]["source_row"] == 9
    # The one entity holding the number as an identifier is the hit's entity (its profile opens);
    # a number four entities hold (+6281234567890) or none (the callee) names no entity.
    assert {h["entity_id"] for h in hits} == {e["other"]}
    assert all(h["entity_id"] is None for h in search.search(cur, "+62 855 1111 2222", kinds=["calls"]))
    # "6285511112222" written as its E.164 digits: no second doc for the same token.
    callee = search.search(cur, "+62 855 1111 2222", kinds=["calls"])
    assert [(h["field"], h["source_row"]) for h in callee] == [("callee", 7)]
    # A time range holding one of a number's rows finds it; one inside the span of its rows holding
    # none of them does not, nor does one after its last row.
    assert search.search(cur, "081255550101", kinds=["calls"], time_from=dt.datetime(2026, 2, 20),
                         time_to=dt.datetime(2026, 3, 5))
    assert search.search(cur, "081255550101", kinds=["calls"], time_from=dt.datetime(2026, 3, 15),
                         time_to=dt.datetime(2026, 3, 20)) == []
    assert search.search(cur, "081255550101", kinds=["calls"], time_from=dt.datetime(2026, 5, 1)) == []
    # Accounts of transfers, by their digits or as written.
    acc = search.search(cur, "5140 1234 5678")
    assert [(h["kind"], h["field"], h["source_row"]) for h in acc] == [("transfers", "to_account", 12)]
    assert search.search(cur, "BRI 0123-01-000456-50-9")[0]["field"] == "from_account"
    # The rows a number's hit stands for, as analyst SQL: every writing for the E.164 form,
    # that writing for one as written; other hits have none.
    from workstation.query import stream

    def rows_of(hit):
        return [r["source_row"] for r in stream(cur, search.rows_sql(hit)).read_all().to_pylist()]

    assert rows_of(by[("caller_e164", "+6281255550101")]) == [7, 9, 8]            # in time order
    assert rows_of(by[("caller", "0812-5555-0101")]) == [9]
    assert search.rows_sql(acc[0]).startswith("SELECT * FROM transfers")
    assert search.rows_sql({"kind": "persons", "field": "name", "text": "x", "source_id": 1}) is None
    # Message ends too (the fixture's message from "0812").
    assert {h["field"] for h in search.search(cur, "0812", kinds=["messages"])} >= {"sender"}


def test_places_free_text_filters_and_provenance(rizal):
    case, e = rizal
    search.ensure_index(case)
    cur = case.cursor()
    hits = search.search(cur, "nunukan")
    assert {h["kind"] for h in hits} == {"messages", "incidents"}
    only = search.search(cur, "nunukan", kinds=["incidents"])
    assert [h["id"] for h in only] == ["INC-7"]
    assert search.search(cur, "nunukan", sources=[1])[0]["kind"] == "messages"
    recent = search.search(cur, "nunukan", time_from=dt.datetime(2026, 1, 1))
    assert [h["kind"] for h in recent] == ["messages"]
    assert search.search(cur, "nunukan", time_to=dt.datetime(2026, 1, 1))[0]["id"] == "INC-7"
    addr = search.search(cur, "ahmad yani bontang")[0]
    assert addr["kind"] == "addresses" and addr["entity_id"] == e["id"] and addr["source_row"] == 20
    assert addr["bundle_id"] == BUNDLES[1]
    ph = search.search(cur, "dela cruz", countries=["PH"])
    assert [h["id"] for h in ph] == ["MY-82"]
    assert search.search(cur, "dela cruz", countries=["ID"]) == []
    ferry = search.search(cur, "tawau express", kinds=["travel"])     # the carrier, with its traveller
    assert [(h["field"], h["source_row"], h["entity_id"]) for h in ferry][:1] == [("carrier", 41, e["id"])]
    assert search.search(cur, "zzzqqq") == []
    assert search.search(cur, "   ") == []


def test_index_rebuilt_when_a_source_arrives(rizal):
    case, e = rizal
    search.ensure_index(case)
    assert search.search(case.cursor(), "Kertanegara") == []
    with case.transaction() as con:
        add_source(con, 4, "late package")
        add_person(con, 4, 2, "X-1", "Bagus Kertanegara")
    assert search.ensure_index(case) is True
    assert search.search(case.cursor(), "Kertanegara")[0]["id"] == "X-1"


def test_cli_search_json(rizal, capsys):
    case, e = rizal
    path = case.path
    case.close()
    r = run_cli(capsys, ["search", str(path), "Mohd Rizal", "--json"])
    assert r.returncode == 0, r.stderr
    hits = json.loads(r.stdout)
    assert hits and set(hits[0]) >= {"source_id", "bundle_id", "id", "score", "kind", "text"}
    assert hits == sorted(hits, key=lambda h: -h["score"])
    r = run_cli(capsys, ["search", str(path), "Nunukan", "--kind",
                        "incidents"])
    assert r.returncode == 0 and "INC-7" in r.stdout and "row 40" in r.stdout and "first row" not in r.stdout
    from workstation.case import Case

    with Case.open(path, read_only=True) as c:
        last = c.audit_entries()[-1]
    assert last["action"] == "search" and last["params"]["text"] == "Nunukan" and last["result"]["hits"] == 1
    r = run_cli(capsys, ["search", str(path), "0812", "--kind", "messages"])   # a message's sender: many rows
    assert r.returncode == 0 and "sender" in r.stdout and "first row 30" in r.stdout


def test_cancelled_index_build_leaves_the_old_index(rizal):
    from workstation.errors import Cancelled
    from workstation.progress import Progress

    case, e = rizal
    search.ensure_index(case)
    before = case.cursor().execute("SELECT count(*) FROM search_postings").fetchall()[0][0]
    with case.transaction() as con:
        add_source(con, 4, "late package")
        add_person(con, 4, 2, "X-1", "Bagus Kertanegara")
    p = Progress()
    p.cancel()
    with pytest.raises(Cancelled):
        search.ensure_index(case, progress=p)
    assert case.cursor().execute("SELECT count(*) FROM search_postings").fetchall()[0][0] == before
    assert not search.index_is_current(case.cursor())


def test_every_search_kind_and_field_has_indonesian():
    """The UI shows a hit's kind and field in its language: each needs a catalogue entry."""
    from workstation import i18n

    po = i18n.parse_po(i18n.catalogue_path("id").read_text(encoding="utf-8"))
    fields = {f for _, f, _, _ in search._DOCS} | {f for _, col, norm, _ in search._ENDS for f in (col, norm) if f}
    kinds = {k for k, _, _, _ in search._DOCS} | {k for k, _, _, _ in search._ENDS}
    missing = sorted(x for x in fields | kinds | {"notes", "text"} if not po.get(x))
    assert missing == []
