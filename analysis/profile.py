"""Person and organisation profiles (a cluster of confirmed entities) and identifier pivots.

Every value in a profile carries where it came from: ``source_id``, ``bundle_id``,
the entity's ``id`` as written in its bundle and the ``source_row`` of the row that
holds the value, so an analyst can always answer "which source says so?".
"""

from __future__ import annotations

import logging
from typing import Any

from workstation import attachments as files
from workstation.sql import ident

from . import xref

log = logging.getLogger(__name__)

# Where an identifier's normalised value can appear elsewhere in the case:
# (table, column holding the normalised value, column as written, entity column or None).
PIVOT_COLUMNS: tuple[tuple[str, str, str, str | None], ...] = (
    ("identifiers", "value_norm", "value", "owner_entity_id"),
    ("contacts", "value_norm", "value", None),
    ("contacts", "owner_norm", "owner", "owner_entity_id"),
    ("calls", "caller_e164", "caller", None),
    ("calls", "callee_e164", "callee", None),
    ("messages", "sender_norm", "sender", None),
    ("messages", "recipient_norm", "recipient", None),
    ("travel", "document_norm", "document", "person_entity_id"),
    ("sightings", "subject_norm", "subject", "subject_entity_id"),
)

# Columns that keep only the value as written, compared as ``document_norm`` writes identifiers'
# ``value_norm`` (spaces, dots, dashes and slashes dropped, upper case): (table, column as written).
# Bank accounts of transfers: "0123-01-000456-50-7" meets the identifier "0123 01 000456 50 7".
# An account written with its bank's name in front ("BRI 0123-01-…") is met on the number alone
# where one side writes digits only (its digits against the identifier's).
PIVOT_WRITTEN: tuple[tuple[str, str], ...] = (
    ("transfers", "from_account"),
    ("transfers", "to_account"),
)
_DOC_NORM_SQL = "upper(regexp_replace({col}, '[\\s.\\-/]', '', 'g'))"
_DIGITS_SQL = "regexp_replace({col}, '[^0-9]', '', 'g')"


def _rows(con, sql: str, params: list | None = None) -> list[dict[str, Any]]:
    rel = con.execute(sql, params or [])
    cols = [d[0] for d in rel.description]
    return [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]


def profile(con, entity: str | int) -> dict[str, Any]:
    """The profile of an entity's cluster: members, and every value with its source row."""
    eid = xref.resolve_entity(con, entity)
    members = xref.cluster_of(con, eid)
    mem = _rows(con, "SELECT e.entity_id, e.kind, e.source_id, s.bundle_id, s.title AS source_title, "
                     "s.producer_agency, s.producer_country, s.tlp, e.local_id AS id, e.source_row, e.name "
                     "FROM entities e LEFT JOIN sources s USING (source_id) "
                     "WHERE list_contains(?, e.entity_id) ORDER BY e.entity_id", [members])
    ref = ("e.source_id, s.bundle_id, e.local_id AS id, e.entity_id, x.source_file, x.source_row, "
           "coalesce(h.tlp, s.tlp) AS tlp")
    join = ("JOIN entities e ON e.entity_id = x.{col} LEFT JOIN sources s ON s.source_id = e.source_id "
            "LEFT JOIN handlings h ON h.handling_id = x.handling_id WHERE list_contains(?, x.{col})")
    out: dict[str, Any] = {"entity_id": eid, "cluster": members, "members": mem}
    out["names"] = _rows(con, f"SELECT x.name AS value, {ref} FROM persons x {join.format(col='entity_id')} "
                              f"UNION ALL SELECT x.name, {ref} FROM organizations x "
                              f"{join.format(col='entity_id')} ORDER BY entity_id", [members, members])
    out["aliases"] = _rows(con, f"SELECT unnest(x.aliases) AS value, {ref} FROM persons x "
                                f"{join.format(col='entity_id')} ORDER BY entity_id", [members])

    def column(table: str, col: str, norm: str | None = None) -> list[dict[str, Any]]:
        """Every value a member's row of ``table`` holds in ``col`` (``norm``: its companion)."""
        companion = f", x.{norm} AS value_norm" if norm else ""
        return _rows(con, f"SELECT x.{col} AS value{companion}, {ref} FROM {table} x "
                          f"{join.format(col='entity_id')} AND x.{col} IS NOT NULL ORDER BY entity_id", [members])

    out["birth_dates"] = column("persons", "birth_date", "birth_date_iso")
    out["nationalities"] = column("persons", "nationality", "nationality_iso")
    out["genders"] = column("persons", "gender")
    out["notes"] = column("persons", "notes")
    out["countries"] = column("organizations", "country", "country_iso")
    out["registration_numbers"] = column("organizations", "registration_number")
    out["organisation_kinds"] = column("organizations", "kind")
    out["identifiers"] = _rows(con, f"SELECT x.kind, x.value, x.value_norm, x.country_iso AS country, {ref} "
                                    f"FROM identifiers x {join.format(col='owner_entity_id')} "
                                    "ORDER BY x.kind, x.value_norm, entity_id", [members])
    out["addresses"] = _rows(con, f"SELECT x.\"full\" AS value, x.city, x.country_iso AS country, x.lat, x.lon, "
                                  f"{ref} FROM addresses x {join.format(col='owner_entity_id')} "
                                  "ORDER BY entity_id", [members])
    out["relationships"] = _rows(
        con, "SELECT x.kind, x.source AS from_id, x.target AS to_id, x.source_entity_id, x.target_entity_id, "
             "x.source_id, x.source_file, x.source_row, s.bundle_id FROM relationships x LEFT JOIN sources s USING (source_id) "
             "WHERE list_contains(?, x.source_entity_id) OR list_contains(?, x.target_entity_id) "
             "ORDER BY x.source_id, x.source_row", [members, members])
    out["judgements"] = xref.judgements(con, members)
    return out


def pivot(con, entity: str | int, limit: int = 1000) -> dict[str, Any]:
    """From an entity (and its cluster), every row elsewhere that shares one of its identifiers."""
    eid = xref.resolve_entity(con, entity)
    members = xref.cluster_of(con, eid)
    idents = _rows(con, "SELECT DISTINCT kind, value_norm FROM identifiers WHERE list_contains(?, owner_entity_id) "
                        "AND value_norm IS NOT NULL ORDER BY kind, value_norm", [members])
    result = []
    for value in idents:
        hits: list[dict[str, Any]] = []
        for table, col, written, ecol in PIVOT_COLUMNS:
            ent = f"x.{ident(ecol)}" if ecol else "NULL::BIGINT"
            rows = _rows(con, f"SELECT ? AS kind, ? AS field, x.source_id, s.bundle_id, x.source_file, x.source_row, "
                              f"x.{ident(written)} AS value, {ent} AS entity_id, e.local_id AS id, e.name "
                              f"FROM {ident(table)} x LEFT JOIN sources s ON s.source_id = x.source_id "
                              f"LEFT JOIN entities e ON e.entity_id = {ent} "
                              f"WHERE x.{ident(col)} = ? AND NOT coalesce(list_contains(?, {ent}), false) "
                              f"ORDER BY x.source_id, x.source_row LIMIT ?",
                         [table, col, value["value_norm"], members, limit])
            hits.extend(rows)
        digits = "".join(ch for ch in value["value_norm"] if ch.isdigit())
        for table, written in PIVOT_WRITTEN:
            col = f"x.{ident(written)}"
            # The same number however grouped; or, where the identifier is digits with a bank's name
            # before them or the row is, the same digits (at least six).
            rows = _rows(con, f"SELECT ? AS kind, ? AS field, x.source_id, s.bundle_id, x.source_file, x.source_row, "
                              f"{col} AS value, NULL::BIGINT AS entity_id, NULL::VARCHAR AS id, "
                              f"NULL::VARCHAR AS name FROM {ident(table)} x "
                              f"LEFT JOIN sources s ON s.source_id = x.source_id "
                              f"WHERE {_DOC_NORM_SQL.format(col=col)} = ? OR (length(?) >= 6 "
                              f"AND {_DIGITS_SQL.format(col=col)} = ?) "
                              f"ORDER BY x.source_id, x.source_row LIMIT ?",
                         [table, written, value["value_norm"], digits, digits, limit])
            hits.extend(rows)
        result.append({"kind": value["kind"], "value_norm": value["value_norm"], "hits": hits,
                       "sources": sorted({h["source_id"] for h in hits})})
    return {"entity_id": eid, "cluster": members, "identifiers": result}


def attachments_for(con, entity_ids: list[int], max_bytes: int = 8 << 20
                    ) -> list[dict[str, Any]]:
    """Attachments describing any of ``entity_ids`` (images shown in the profile), with content."""
    cur = con.cursor()
    try:
        rel = cur.execute(
            "SELECT DISTINCT a.sha256, a.media_type, a.title, a.path, a.source_id, a.bytes "
            "FROM attachment_links l JOIN attachments a ON a.sha256 = l.sha256 AND a.source_id = l.source_id "
            "WHERE list_contains($ids, l.entity_id) ORDER BY a.source_id, a.path",
            {"ids": [int(i) for i in entity_ids]})
        cols = [d[0] for d in rel.description]
        out = [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]
        # Content only of files up to max_bytes, each read alone (a recording may not fit in memory).
        for a in out:
            a["content"] = (files.content(cur, a["sha256"])
                            if a["bytes"] is not None and a["bytes"] <= max_bytes and files.stored(cur, a["sha256"])
                            else None)
        return out
    finally:
        cur.close()
