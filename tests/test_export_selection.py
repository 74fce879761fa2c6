"""The releasable selection (exports.selection) over a real case file."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import export_scenario as S  # noqa: E402

from exports.selection import select  # noqa: E402
from workstation import handling as H  # noqa: E402
from workstation.case import Case  # noqa: E402
from workstation.errors import Cancelled  # noqa: E402
from workstation.kinds import KINDS  # noqa: E402
from workstation.progress import Progress  # noqa: E402


@pytest.fixture
def scenario(tmp_path, tmp_path_factory):
    case = S.copy_of_template(tmp_path_factory, tmp_path / "scenario.lintas")
    yield case
    case.close()


def _withheld(sel):
    return sorted((w.source_id, w.kind, w.reason, w.rows) for w in sel.withheld)


def _names(sel):
    return sorted(sel.arrow("persons").column("name").to_pylist())


def _all_text(sel) -> str:
    parts = []
    for kind in KINDS:
        for col in sel.arrow(kind).to_pylist():
            parts.extend(str(v) for v in col.values())
    parts += [str(a) for a in sel.attachments().drop(["content"]).to_pylist()]
    return "\n".join(parts)


def test_selection_for_my(scenario):
    with select(scenario, "my", salt="s") as sel:
        assert sel.recipient == "MY" and sel.tlp == "RED"  # MY's own RED intelligence goes back to MY
        assert {k: v for k, v in sel.included.items() if v} == {
            "persons": 4, "identifiers": 3, "relationships": 1, "addresses": 1, "calls": 3, "incidents": 1}
        assert _names(sel) == sorted([S.ANDI, S.BUDI, S.LIM, H.mask_value(S.PUBLIC, "s")])
        assert _withheld(sel) == [
            (1, "addresses", "withheld-entity", 1),        # Cahya's address
            (1, "attachments", "withheld-entity", 1),      # Cahya's photo
            (1, "calls", "withheld-entity", 1),            # Budi -> Cahya
            (1, "identifiers", "withheld-entity", 1),      # Cahya's phone
            (1, "persons", "tlp-red", 1),                  # Cahya: her row's own handling
            (1, "relationships", "withheld-entity", 1),    # Andi - Cahya
            (3, "calls", "withheld-entity", 1),            # Budi -> Reyes (PH, AMBER+STRICT)
            (4, "identifiers", "tlp-amber-strict", 1),
            (4, "persons", "tlp-amber-strict", 1)]
        text = _all_text(sel)
        for secret in (S.CAHYA, S.REYES, S.PH_CAHYA, S.PH_REYES, "Jl. Mawar 3", S.PUBLIC, "Siti"):
            assert secret not in text
        assert sel.attachments().column("path").to_pylist() == ["files/P-001.png"]
        # Read one at a time (an export holds one file in memory, not all): the same rows without
        # their content, and the content of a released file only; Cahya's withheld photo is refused.
        listed = sel.attachments(content=False)
        assert "content" not in listed.column_names
        assert listed.to_pylist() == sel.attachments().drop(["content"]).to_pylist()
        released = sel.attachments().to_pylist()[0]
        assert sel.content_of(released["sha256"]) == released["content"]
        withheld = [r[0] for r in scenario.con.execute("SELECT sha256 FROM attachments").fetchall()
                    if r[0] != released["sha256"]]
        assert withheld
        for sha in withheld:
            with pytest.raises(KeyError, match="not released"):
                sel.content_of(sha)


def test_selection_for_interpol(scenario):
    with select(scenario, "INTERPOL") as sel:
        assert sel.tlp == "AMBER"
        assert sel.included["calls"] == 1 and sel.included["persons"] == 3
        assert S.LIM not in _names(sel)
        got = _withheld(sel)
        assert (2, "persons", "tlp-red", 1) in got and (3, "calls", "not-releasable-to", 3) in got
        assert sum(w.rows for w in sel.withheld) == sel.summary()["withheld_total"] == 13


def test_every_row_is_counted_once_and_persons_go_as_the_pure_rule_says(scenario):
    """Every row is included or counted withheld, once.  Persons are not withheld by
    association, so each person row's fate is exactly ``may_release``'s."""
    rows = scenario.cursor().execute(
        "SELECT p.name, CASE WHEN p.handling_id IS NULL THEN s.tlp ELSE h.tlp END, "
        "CASE WHEN p.handling_id IS NULL THEN s.releasable_to ELSE h.releasable_to END, s.producer_country "
        "FROM persons p JOIN sources s USING (source_id) LEFT JOIN handlings h USING (handling_id)").fetchall()
    totals = {k: scenario.cursor().execute(f'SELECT count(*) FROM "{k}"').fetchone()[0] for k in KINDS}
    for recipient in ("MY", "INTERPOL", "PH", "SG", "ID", "EUROPOL"):
        with select(scenario, recipient, masking="none") as sel:
            for kind in KINDS:
                withheld = sum(w.rows for w in sel.withheld if w.kind == kind)
                assert sel.included[kind] + withheld == totals[kind], (recipient, kind)
            expected = sorted(name for name, tlp, rel, prod in rows
                              if H.may_release({"tlp": tlp, "releasable_to": rel}, prod, recipient).allowed)
            assert _names(sel) == expected, recipient


def test_subjects_by_id_as_written_or_entity_id(scenario):
    with select(scenario, "MY", subjects=["P-002"]) as a, select(scenario, "MY", subjects=["2"]) as b:
        for sel in (a, b):
            # Budi, and Andi as the other end of their relationship (his name only)
            assert _names(sel) == [S.ANDI, S.BUDI]
            assert sel.arrow("identifiers").column("owner").to_pylist() == ["P-002"]
            assert sel.arrow("addresses").num_rows == 0          # Andi's address is not about Budi
            assert sel.arrow("relationships").column("target").to_pylist() == ["P-002"]
            calls = sorted(zip(*sel.arrow("calls").select(["caller", "callee"]).to_pydict().values(),
                               strict=True))
            assert calls == sorted([(S.PH_ANDI, S.PH_BUDI), (S.PH_ANDI, S.PH_BUDI)])
            assert sel.included["incidents"] == 0 and sel.not_selected["incidents"] == 1
            # Budi's calls with Cahya and Reyes are withheld, not just out of scope
            assert ("calls", "withheld-entity") in {(w.kind, w.reason) for w in sel.withheld}
            assert sel.attachments().num_rows == 0


def test_subjects_follow_same_judgements(scenario):
    scenario.con.execute("INSERT INTO judgements (judgement_id, entity_a, entity_b, verdict, time_utc) "
                         "VALUES (1, 2, 6, 'same', now()::TIMESTAMP)")
    with select(scenario, "MY", subjects=["P-002"], masking="none") as sel:
        assert S.PUBLIC in _names(sel)
    scenario.con.execute("UPDATE judgements SET undone_utc = now()::TIMESTAMP")
    with select(scenario, "MY", subjects=["P-002"], masking="none") as sel:
        assert S.PUBLIC not in _names(sel)


def test_masking_modes(scenario):
    with select(scenario, "MY", masking="all", salt="k") as sel:
        names = _names(sel)
        assert S.LIM in names                      # MY's own data goes back to MY in clear
        assert S.ANDI not in names and H.mask_value(S.ANDI, "k") in names
        p = sel.arrow("persons").to_pylist()
        andi = next(r for r in p if r["name"] == H.mask_value(S.ANDI, "k"))
        assert andi["aliases"] == [H.mask_value("Andi", "k")]
        assert andi["nationality"] == "ID"         # not declared personal data
        assert sel.masked == {"persons": 3}
    with select(scenario, "MY", masking="none") as sel:
        assert S.PUBLIC in _names(sel) and not sel.masked
        public = next(r for r in sel.arrow("persons").to_pylist() if r["name"] == S.PUBLIC)
        assert "Siti" in public["extra"]
    with select(scenario, "MY") as sel:
        public = next(r for r in sel.arrow("persons").to_pylist() if r["id"] == "W-1")
        assert public["extra"] == '{"rank":"x"}'   # the unknown personal-data column is removed


def test_masked_companions(scenario):
    with select(scenario, "SG", masking="auto", salt="z") as sel:
        q = sel.query("persons", ["name", "name_folded", "birth_year", "nationality_iso", "entity_id"])
        row = sel.con.sql(q).fetchall()[0]
        assert row[0] == H.mask_value(S.PUBLIC, "z") and row[1] == H.mask_value(S.PUBLIC.lower(), "z")
        assert row[2] is None and row[4] == 6


def test_read_only_case_and_temp_tables_dropped(tmp_path, tmp_path_factory):
    S.copy_of_template(tmp_path_factory, tmp_path / "c.lintas").close()
    with Case.open(tmp_path / "c.lintas", read_only=True) as case:
        sel = select(case, "MY")
        assert sel.included["persons"] == 4
        sel.close()
        left = sel.con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()[0]
        assert left == 0


def test_cancel_leaves_nothing(scenario):
    p = Progress()
    p.cancel()
    with pytest.raises(Cancelled):
        select(scenario, "MY", progress=p)


def test_bad_arguments(scenario):
    with pytest.raises(H.HandlingError):
        select(scenario, " ")
    with pytest.raises(H.HandlingError):
        select(scenario, "MY", masking="some")


def test_a_number_a_released_record_attributes_is_not_withheld(scenario):
    """Reyes (PH, AMBER+STRICT) is withheld from MY, and so is Budi's call to his phone …"""
    with select(scenario, "MY") as sel:
        assert (3, "calls", "withheld-entity", 1) in _withheld(sel)
    # … until a record MY may receive (source 1) attributes the same number to a person of its
    # own: the call is then about someone MY may know of, and goes (Reyes's own rows do not)
    scenario.con.execute("INSERT INTO persons (source_id, source_row, id, name, entity_id) "
                         "VALUES (1, 9, 'P-009', 'Juan R.', 99)")
    scenario.con.execute("INSERT INTO identifiers (source_id, source_row, owner, kind, value, value_norm) "
                         "VALUES (1, 9, 'P-009', 'phone', ?, ?)", [S.PH_REYES, S.PH_REYES])
    with select(scenario, "MY") as sel:
        assert (3, "calls", "withheld-entity", 1) not in _withheld(sel)
        assert (4, "persons", "tlp-amber-strict", 1) in _withheld(sel)
        assert S.REYES not in _names(sel)
        # Cahya's number is still only hers: Budi's call to her stays withheld
        assert (1, "calls", "withheld-entity", 1) in _withheld(sel)
    # an attribution the recipient may not see does not count
    scenario.con.execute("UPDATE identifiers SET handling_id = 1 WHERE owner = 'P-009'")
    with select(scenario, "MY") as sel:
        assert (3, "calls", "withheld-entity", 1) in _withheld(sel)
