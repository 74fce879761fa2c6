"""The search index numbers the same case the same way at every build.

Docs were numbered by kind, source and row only; docs of one row (a person's aliases) tied, and
DuckDB's order among them varied from build to build, so hits of equal score could come out in
another order after a rebuild. An analyst who re-runs a search for a report expects the same list.
"""

from __future__ import annotations

from analysis import search
from workstation.case import Case
from workstation.demo import build_demo


def _docs(case):
    return case.cursor().execute(
        "SELECT doc_id, kind, source_id, source_row, entity_id, local_id, field, text FROM search_docs "
        "ORDER BY doc_id").fetchall()


def _hits(case):
    return [(h["source_id"], h["id"], h["field"], h["text"], round(h["score"], 6))
            for h in search.search(case.cursor(), "Rizal", limit=200, min_score=0.0)]


def test_two_builds_number_every_doc_alike(tmp_path):
    info = build_demo(tmp_path / "demo", scale=0.1)
    with Case.open(info["case"]) as case:
        search.build_index(case)
        first, hits = _docs(case), _hits(case)
        # rows holding several docs exist (a person's aliases), so their order is what is tested
        ties = case.cursor().execute(
            "SELECT count(*) FROM (SELECT kind, source_id, source_row FROM search_docs "
            "WHERE source_row IS NOT NULL GROUP BY ALL HAVING count(*) > 1)").fetchall()[0][0]
        assert ties > 0
        for threads in (1, 4, 2):
            case.cursor().execute(f"SET threads = {threads}")
            search.build_index(case)
            assert _docs(case) == first
            assert _hits(case) == hits
