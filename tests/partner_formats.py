"""Helpers for the partner-format tests (FtM, STIX 2.1, MISP)."""

from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "partner"
STIX = FIXTURES / "stix21"
MISP = FIXTURES / "misp"
FTM = FIXTURES / "ftm"
OWN = FIXTURES / "own"


def import_file(case, path, **options):
    """Import ``path`` into ``case`` through the registry and the import pipeline."""
    from workstation.importers import ImportOptions
    from workstation.ingest import import_path

    return import_path(case, path, ImportOptions(**options))


def rows(case, sql, params=None):
    return case.cursor().execute(sql, params or []).fetchall()


def effective_handlings(case, source_id, kind, key_sql):
    """{row key: (tlp, releasable_to, legal_basis, caveats)} with the source's handling
    where a row has none of its own."""
    out = {}
    for key, tlp, rel, basis, cav in rows(case, f"""
            SELECT {key_sql}, coalesce(h.tlp, s.tlp),
                   list_sort(coalesce(CASE WHEN h.handling_id IS NULL THEN s.releasable_to
                                           ELSE h.releasable_to END, [])),
                   CASE WHEN h.handling_id IS NULL THEN s.legal_basis ELSE h.legal_basis END,
                   list_sort(coalesce(CASE WHEN h.handling_id IS NULL THEN s.caveats ELSE h.caveats END, []))
            FROM "{kind}" t JOIN sources s USING (source_id)
            LEFT JOIN handlings h ON h.handling_id = t.handling_id
            WHERE t.source_id = ?""", [source_id]):
        out[key] = (tlp, tuple(rel), basis, tuple(cav))
    return out


def load_json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))
