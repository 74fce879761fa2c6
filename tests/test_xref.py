"""Entity resolution over real case files: blocking, scoring with reasons, judgements, undo, profiles."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from analysis import profile as profile_mod
from analysis import xref
from workstation.case import Case
from workstation.normalise import country_iso, fold_name, identifier_norm

BUNDLES = {1: "0b7c6a0e-0000-4000-8000-000000000001", 2: "0b7c6a0e-0000-4000-8000-000000000002",
           3: "0b7c6a0e-0000-4000-8000-000000000003", 4: "0b7c6a0e-0000-4000-8000-000000000004"}


def add_source(con, source_id: int, title: str, country: str = "ID") -> None:
    con.execute("INSERT INTO sources (source_id, bundle_id, title, format, importer, producer_country, tlp, "
                "signature_status, imported_at) VALUES (?, ?, ?, 'lintas-bundle/1', 'test', ?, 'AMBER', "
                "'unsigned', now()::TIMESTAMP)", [source_id, BUNDLES.get(source_id, f"b-{source_id}"),
                                                  title, country])


def add_person(con, source_id: int, row: int, local_id: str, name: str, aliases=None, birth=None,
               nationality=None, gender=None, notes=None) -> int:
    """A person row as the import pipeline writes it (normalised companions filled here)."""
    eid = con.execute("SELECT coalesce(max(entity_id), 0) + 1 FROM entities").fetchall()[0][0]
    con.execute("INSERT INTO entities VALUES (?, 'persons', ?, ?, ?, ?, ?)",
                [eid, source_id, row, local_id, name, fold_name(name)])
    con.execute("INSERT INTO persons (source_id, source_row, id, name, aliases, birth_date, birth_date_iso, "
                "nationality, nationality_iso, gender, notes, entity_id, name_folded, birth_year) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [source_id, row, local_id, name, aliases, birth, birth, nationality,
                 country_iso(nationality) if nationality else None, gender, notes, eid, fold_name(name),
                 int(birth[:4]) if birth else None])
    return eid


def add_org(con, source_id: int, row: int, local_id: str, name: str, country=None, reg=None) -> int:
    eid = con.execute("SELECT coalesce(max(entity_id), 0) + 1 FROM entities").fetchall()[0][0]
    con.execute("INSERT INTO entities VALUES (?, 'organizations', ?, ?, ?, ?, ?)",
                [eid, source_id, row, local_id, name, fold_name(name)])
    con.execute("INSERT INTO organizations (source_id, source_row, id, name, country, country_iso, "
                "registration_number, entity_id, name_folded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [source_id, row, local_id, name, country, country_iso(country) if country else None, reg,
                 eid, fold_name(name)])
    return eid


def add_identifier(con, source_id: int, row: int, owner: str, owner_eid: int, kind: str, value: str,
                   country=None, region="ID") -> None:
    con.execute("INSERT INTO identifiers (source_id, source_row, owner, kind, value, country, country_iso, "
                "owner_entity_id, value_norm) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [source_id, row, owner, kind, value, country, country_iso(country) if country else None,
                 owner_eid, identifier_norm(kind, value, region)])


def build_rizal_case(path) -> tuple[Case, dict[str, int]]:
    """The issue's trafficker in three sources, plus people who must not be matched to him."""
    case = Case.create(path, "Rizal", ref="T-4")
    e = {}
    with case.transaction() as con:
        add_source(con, 1, "Bontang phone extraction", "ID")
        add_source(con, 2, "PDRM package", "MY")
        add_source(con, 3, "Interpol notice", "INTERPOL")
        e["id"] = add_person(con, 1, 2, "P-001", "Muhammad Rizal bin Abdullah", ["Rizal Tawau"], "1987-03-04",
                             "ID", "M")
        add_identifier(con, 1, 2, "P-001", e["id"], "phone", "0812-3456-7890")
        e["my"] = add_person(con, 2, 2, "MY-77", "Mohd Rizal Abdullah", None, "1987-04-03", "MY", "M")
        add_identifier(con, 2, 2, "MY-77", e["my"], "phone", "+62 812 3456 7890", region="MY")
        add_identifier(con, 2, 3, "MY-77", e["my"], "passport", "A1234567", "MY")
        e["ip"] = add_person(con, 3, 2, "I-9", "RIZAL, Mohamad", None, "1987", "Indonesia")
        add_identifier(con, 3, 2, "I-9", e["ip"], "phone", "6281234567890")
        add_identifier(con, 3, 3, "I-9", e["ip"], "passport", "A 123 4567", "MY")
        # Someone else with a similar name, another birth year and no shared identifier.
        e["other"] = add_person(con, 1, 3, "P-002", "Ahmad Rizal", None, "1975-11-20", "ID", "M")
        # His sister: shares the phone, not the name.
        e["sister"] = add_person(con, 1, 4, "P-003", "Siti Aminah binti Abdullah", None, "1990-01-01", "ID", "F")
        add_identifier(con, 1, 4, "P-003", e["sister"], "phone", "081234567890")
        # Old and new spelling, one person.
        e["old"] = add_person(con, 1, 5, "P-004", "Soenarjo Djojohadikoesoemo", None, "1960-05-05")
        e["new"] = add_person(con, 3, 4, "I-10", "Sunaryo Joyohadikusumo", None, "1960-05-05")
    return case, e


def run_cli(capsys, argv: list[str]) -> SimpleNamespace:
    """Run ``lintas ARGV`` in this process (a new interpreter per command costs seconds)."""
    from workstation.cli import main

    capsys.readouterr()
    code = main(argv)
    out = capsys.readouterr()
    return SimpleNamespace(returncode=code, stdout=out.out, stderr=out.err)


def _pair(result, a, b):
    for p in result.pairs:
        if {p["a"]["entity_id"], p["b"]["entity_id"]} == {a, b}:
            return p
    return None


def test_the_issue_trafficker_found_in_three_sources(case_path):
    case, e = build_rizal_case(case_path)
    with case:
        r = xref.xref(case)
        p = _pair(r, e["id"], e["my"])
        assert p and p["band"] == "likely", r.pairs
        assert any("same phone number +6281234567890" in x for x in p["reasons"])
        assert any("day/month swapped" in x for x in p["reasons"])
        assert any(x.startswith("names: ") for x in p["reasons"])
        q = _pair(r, e["my"], e["ip"])
        assert q and q["band"] == "likely"
        assert any("same passport number MY A1234567" in x for x in q["reasons"])
        assert _pair(r, e["id"], e["ip"])["band"] == "likely"
        old_new = _pair(r, e["old"], e["new"])
        assert old_new and old_new["band"] == "likely", old_new
        # Shares his phone, but a woman with another name and birth date: not likely him.
        sis = _pair(r, e["id"], e["sister"])
        assert sis is None or sis["band"] != "likely"
        assert not any(x["band"] == "likely" and e["other"] in (x["a"]["entity_id"], x["b"]["entity_id"])
                       for x in r.pairs)
        # Best first, references as written in their bundles.
        scores = [x["score"] for x in r.pairs]
        assert scores == sorted(scores, reverse=True)
        assert p["a"]["bundle_id"] in xref_bundles() and p["a"]["id"] in ("P-001", "MY-77")
        stored = case.cursor().execute("SELECT count(*) FROM xref_candidates").fetchone()[0]
        assert stored == len(r.pairs)
        assert case.audit_entries()[-1]["action"] == "xref"


def xref_bundles():
    return set(BUNDLES.values())


def test_judgements_cluster_undo_and_rejections_stay_rejected(case_path):
    case, e = build_rizal_case(case_path)
    with case:
        xref.xref(case)
        j1 = xref.judge(case, e["id"], e["my"], "same", analyst="ana", reason="photo match")
        assert j1["cluster"] == sorted([e["id"], e["my"]])
        xref.judge(case, "3:I-9", f"{BUNDLES[2]}:MY-77", "same", analyst="ana")
        assert xref.cluster_of(case.cursor(), e["ip"]) == sorted([e["id"], e["my"], e["ip"]])
        xref.judge(case, e["id"], e["sister"], "different", analyst="ana")
        r = xref.xref(case, min_score=0.0)
        pairs = {frozenset((p["a"]["entity_id"], p["b"]["entity_id"])) for p in r.pairs}
        # Pairs inside the cluster and the rejected pair (and the sister against any member) are gone.
        assert frozenset((e["id"], e["ip"])) not in pairs
        assert not any(e["sister"] in p for p in pairs)
        # Undo splits the cluster again.
        u = xref.undo(case, e["my"], e["ip"], analyst="bea")
        assert u["verdict_undone"] == "same"
        assert xref.cluster_of(case.cursor(), e["ip"]) == [e["ip"]]
        assert xref.cluster_of(case.cursor(), e["id"]) == sorted([e["id"], e["my"]])
        r = xref.xref(case)
        assert _pair(r, e["my"], e["ip"]) is not None or _pair(r, e["id"], e["ip"]) is not None
        # Every judgement and the undo are audit entries with the analyst.
        actions = [(a["action"], a["params"].get("analyst")) for a in case.audit_entries()]
        assert ("judgement", "ana") in actions and ("judgement.undo", "bea") in actions
        rows = case.cursor().execute("SELECT count(*), count(undone_utc) FROM judgements").fetchone()
        assert rows == (3, 1)
        assert case.verify_audit().ok


def test_new_verdict_supersedes_and_bad_references_are_refused(case_path):
    case, e = build_rizal_case(case_path)
    with case:
        xref.judge(case, e["id"], e["my"], "unsure", analyst="ana")
        marked = _pair(xref.xref(case), e["id"], e["my"])
        assert marked and any(x.startswith("marked unsure by ana") for x in marked["reasons"])
        j = xref.judge(case, e["my"], e["id"], "same", analyst="ana")
        assert len(j["supersedes"]) == 1
        with pytest.raises(xref.JudgementError, match="no entity"):
            xref.judge(case, e["id"], "99:nobody", "same")
        with pytest.raises(xref.JudgementError, match="verdict"):
            xref.judge(case, e["id"], e["my"], "maybe")
        with pytest.raises(xref.JudgementError, match="itself"):
            xref.judge(case, e["id"], e["id"], "same")
        xref.undo(case, e["id"], e["my"])
        with pytest.raises(xref.JudgementError, match="nothing|no standing"):
            xref.undo(case, e["id"], e["my"])


def test_profile_keeps_every_value_traceable(case_path):
    case, e = build_rizal_case(case_path)
    with case:
        xref.judge(case, e["id"], e["my"], "same", analyst="ana")
        prof = profile_mod.profile(case.cursor(), e["my"])
        assert sorted(m["entity_id"] for m in prof["members"]) == sorted([e["id"], e["my"]])
        names = {(v["value"], v["source_id"], v["id"], v["source_row"]) for v in prof["names"]}
        assert ("Muhammad Rizal bin Abdullah", 1, "P-001", 2) in names
        assert ("Mohd Rizal Abdullah", 2, "MY-77", 2) in names
        assert ("Rizal Tawau", 1, "P-001", 2) in {(v["value"], v["source_id"], v["id"], v["source_row"])
                                                  for v in prof["aliases"]}
        phones = [v for v in prof["identifiers"] if v["kind"] == "phone"]
        assert {v["value"] for v in phones} == {"0812-3456-7890", "+62 812 3456 7890"}
        assert {v["value_norm"] for v in phones} == {"+6281234567890"}
        assert all(v["bundle_id"] for v in phones)
        assert len(prof["judgements"]) == 1


def test_pivot_finds_everything_sharing_an_identifier(case_path):
    case, e = build_rizal_case(case_path)
    with case:
        with case.transaction() as con:
            con.execute("INSERT INTO calls (source_id, source_row, caller, caller_e164, callee, callee_e164, start) "
                        "VALUES (1, 9, '081234567890', '+6281234567890', '0811000', '+62811000', "
                        "'2026-01-01T10:00:00+08:00')")
        pv = profile_mod.pivot(case.cursor(), e["id"])
        by = {h["value_norm"]: h for h in pv["identifiers"]}
        hits = by["+6281234567890"]["hits"]
        owners = {h.get("entity_id") for h in hits if h["kind"] == "identifiers"}
        assert {e["my"], e["ip"], e["sister"]} <= owners and e["id"] not in owners
        assert any(h["kind"] == "calls" and h["source_row"] == 9 for h in hits)


def test_organisations_and_cli(case_path, capsys):
    case, e = build_rizal_case(case_path)
    with case:
        with case.transaction() as con:
            a = add_org(con, 1, 10, "O-1", "PT Samudra Jaya Abadi", "ID", "AHU-0012345")
            b = add_org(con, 2, 10, "O-9", "Samudra Jaya Abadi, PT", "Indonesia", "AHU 0012345")
    r = run_cli(capsys, ["xref", str(case_path), "--json"])
    assert r.returncode == 0, r.stderr
    pairs = json.loads(r.stdout)
    assert set(pairs[0]) >= {"a", "b", "score", "band", "reasons"}
    assert set(pairs[0]["a"]) >= {"source_id", "bundle_id", "id", "name"}
    org = [p for p in pairs if {p["a"]["id"], p["b"]["id"]} == {"O-1", "O-9"}]
    assert org and org[0]["band"] == "likely" and any("registration number" in x for x in org[0]["reasons"])
    r = run_cli(capsys, ["xref", str(case_path), "--json", "--min-score", "0.9"])
    assert all(p["score"] >= 0.9 for p in json.loads(r.stdout))
    r = run_cli(capsys, ["judge", str(case_path), "1:P-001", "2:MY-77", "same", "--json"])
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["verdict"] == "same"
    r = run_cli(capsys, ["profile", str(case_path), "2:MY-77", "--json"])
    prof = json.loads(r.stdout)
    assert {m["id"] for m in prof["members"]} == {"P-001", "MY-77"}
    r = run_cli(capsys, ["judge", str(case_path), "1:P-001", "2:MY-77", "undo"])
    assert r.returncode == 0, r.stderr
    r = run_cli(capsys, ["judge", str(case_path), "1:P-001", "7:NOPE", "same"])
    assert r.returncode == 1 and "no entity" in r.stderr and "Traceback" not in r.stderr
    r = run_cli(capsys, ["pivot", str(case_path), "1:P-001", "--json"])
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["identifiers"]
    del a, b


def test_sql_birth_date_relation_agrees_with_python(case_path):
    from analysis.names import birth_date_relation

    pairs = [("1987-03-04", "1987-04-03"), ("1987-03-04", "1987-03-04"), ("1987-03-04", "1987-03-09"),
             ("1987", "1987-03-04"), ("1987-03", "1987-05"), ("1987-03-04", "1988-03-04"),
             ("1987-03-04", "1990-03-04"), ("1987-01-02", "1987-05-06")]
    case = Case.create(case_path, "dates")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "a")
            for i, (x, y) in enumerate(pairs):
                # A shared phone makes every pair a candidate, whatever its dates.
                a = add_person(con, 1, 2 * i, f"A{i}", f"Bambang Wiratmoko{chr(97 + i)}", birth=x)
                b = add_person(con, 1, 2 * i + 1, f"B{i}", f"Bambang Wiratmoko{chr(97 + i)}", birth=y)
                add_identifier(con, 1, 2 * i, f"A{i}", a, "phone", f"0812-0000-{i:04d}")
                add_identifier(con, 1, 2 * i + 1, f"B{i}", b, "phone", f"0812-0000-{i:04d}")
        r = xref.xref(case, min_score=0.0)
        for i, (x, y) in enumerate(pairs):
            p = next(p for p in r.pairs if {p["a"]["id"], p["b"]["id"]} == {f"A{i}", f"B{i}"})
            rel, text = birth_date_relation(x, y)
            assert any(reason.startswith(text) for reason in p["reasons"]), (rel, text, p["reasons"])


def test_common_name_blocks_are_capped_and_reported(case_path):
    case = Case.create(case_path, "common")
    with case:
        with case.transaction() as con:
            add_source(con, 1, "a")
            for i in range(12):
                add_person(con, 1, i, f"P{i}", "Budi Santoso")
        r = xref.xref(case, name_block_cap=10)
        full = [s for s in r.skipped_blocks if s["key_type"] == "full name"]
        assert full and full[0]["entities"] == 12 and full[0]["largest"][0]["entities"] == 12
        assert r.pairs == []


def test_cancel_leaves_the_case_as_it_was(case_path):
    from workstation.errors import Cancelled
    from workstation.progress import Progress

    case, e = build_rizal_case(case_path)
    with case:
        p = Progress()
        p.cancel()
        with pytest.raises(Cancelled):
            xref.xref(case, progress=p)
        assert case.cursor().execute("SELECT count(*) FROM xref_candidates").fetchone()[0] == 0


def test_over_a_real_imported_partner_bundle(case_path):
    """The independent implementation's Malaysian package, imported, against an Indonesian source."""
    from pathlib import Path

    from analysis import search
    from workstation.importers import ImportOptions
    from workstation.ingest import import_path

    bundle = Path(__file__).parent / "fixtures" / "bundles" / "example_partner_my.zip"
    with Case.create(case_path, "partner") as case:
        assert import_path(case, bundle, ImportOptions(trust_once=True)).imported
        with case.transaction() as con:
            add_source(con, 9, "Polres Bontang extraction", "ID")
            ours = add_person(con, 9, 2, "P-001", "RIZAL, Muhammad", None, "1987-04-03", "ID", "M")
            add_identifier(con, 9, 2, "P-001", ours, "phone", "0812 3456 7890")
            add_person(con, 9, 3, "P-002", "Siti Nurhaliza Osman", None, "2003", "ID", "F")
        r = xref.xref(case)
        mine = next(p for p in r.pairs if "P-001" in (p["a"]["id"], p["b"]["id"]))
        other = mine["b"] if mine["a"]["id"] == "P-001" else mine["a"]
        assert other["id"] == "MY-P-001" and mine["band"] == "likely"
        assert other["bundle_id"] == case.sources()[0]["bundle_id"]
        assert any("same phone number +6281234567890" in x for x in mine["reasons"]), mine["reasons"]
        assert any("day/month swapped" in x for x in mine["reasons"]), mine["reasons"]
        siti = [p for p in r.pairs if {p["a"]["id"], p["b"]["id"]} == {"P-002", "MY-P-003"}]
        assert siti and siti[0]["band"] in ("likely", "possible")
        search.ensure_index(case)
        hits = search.search(case.cursor(), "+60 12-345 6789")
        assert [(h["kind"], h["id"]) for h in hits][:1] == [("identifiers", "MY-P-001")]
        assert search.search(case.cursor(), "Ijal")[0]["id"] == "MY-P-001"
