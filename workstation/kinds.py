"""The canonical kinds of lintas-bundle/1 as data (DESIGN.md, "Canonical kinds").

Each kind lists its columns in bundle order.  ``type`` says how a value is read:

``text``     kept as written
``list``     ``;``-separated in CSV, a list in Parquet / JSON lines
``time``     ISO 8601 / RFC 3339 timestamp; a UTC companion ``<name>_utc`` is added
``date``     ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (partial dates allowed)
``number``   decimal number (DOUBLE)
``amount``   exact decimal (DECIMAL(24,4))
``country``  ISO 3166-1 alpha-2 or organisation code; companion ``<name>_iso``
``phone``    a phone number as written; companion ``<name>_e164``
``address``  a phone number, e-mail or handle as written; companion ``<name>_norm``
             (E.164 for numbers, lower-case for e-mail and handles)

The storage layer, the importer, the docs and the exports are all generated
from this table, so a new column is one line here (plus a schema migration).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"
    required: bool = False


def _c(spec: str) -> Column:
    name, _, typ = spec.partition(":")
    required = name.endswith("*")
    return Column(name.rstrip("*"), typ or "text", required)


def _kind(*specs: str) -> tuple[Column, ...]:
    return tuple(_c(s) for s in specs)


KINDS: dict[str, tuple[Column, ...]] = {
    "persons": _kind("id*", "name*", "aliases:list", "birth_date:date", "nationality:country",
                     "gender", "notes"),
    "organizations": _kind("id*", "name*", "country:country", "registration_number", "kind"),
    "identifiers": _kind("owner*", "kind*", "value*", "country:country", "valid_from:date",
                         "valid_to:date"),
    "relationships": _kind("source*", "target*", "kind*", "start:date", "end:date", "note"),
    "addresses": _kind("owner*", "full*", "city", "region", "country:country", "lat:number",
                       "lon:number", "valid_from:date", "valid_to:date"),
    "contacts": _kind("owner*", "label*", "value*:address", "kind"),
    "calls": _kind("caller*:phone", "callee*:phone", "start*:time", "duration_s:number", "kind",
                   "cell_id", "lat:number", "lon:number"),
    "messages": _kind("sender*:address", "recipient*:address", "time*:time", "app", "body",
                      "thread", "direction"),
    "transfers": _kind("from_account*", "to_account*", "time*:time", "amount*:amount",
                       "currency", "channel", "reference"),
    "travel": _kind("time*:time", "kind*", "person", "document", "place_from", "place_to",
                    "carrier", "voyage"),
    "sightings": _kind("subject*", "time*:time", "lat:number", "lon:number", "place", "kind",
                       "note"),
    "incidents": _kind("id*", "time*:time", "kind*", "lat:number", "lon:number", "place",
                       "description", "status"),
}

IDENTIFIER_KINDS = ("phone", "email", "passport", "national_id", "bank_account", "imei", "imsi",
                    "vehicle_plate", "social_handle")

TLP_LEVELS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")

ORGANISATION_CODES = ("INTERPOL", "EUROPOL", "ASEANAPOL")

# Provenance columns present on every canonical table.
PROVENANCE = ("source_id", "source_row", "handling_id", "extra")


def columns(kind: str) -> tuple[Column, ...]:
    return KINDS[kind]


def required(kind: str) -> list[str]:
    return [c.name for c in KINDS[kind] if c.required]


def companions(col: Column) -> list[tuple[str, str]]:
    """Normalised companion columns stored beside ``col``: (name, SQL type)."""
    if col.type == "time":
        return [(f"{col.name}_utc", "TIMESTAMP")]
    if col.type == "date":
        return [(f"{col.name}_iso", "VARCHAR")]
    if col.type == "country":
        return [(f"{col.name}_iso", "VARCHAR")]
    if col.type == "phone":
        return [(f"{col.name}_e164", "VARCHAR")]
    if col.type == "address":
        return [(f"{col.name}_norm", "VARCHAR")]
    return []


def sql_type(col: Column) -> str:
    return {"list": "VARCHAR[]", "number": "DOUBLE", "amount": "DECIMAL(24,4)"}.get(col.type, "VARCHAR")


# Companions specific to one kind (resolved references and matching keys).
KIND_EXTRAS: dict[str, tuple[tuple[str, str], ...]] = {
    "persons": (("entity_id", "BIGINT"), ("name_folded", "VARCHAR"), ("birth_year", "INTEGER"),
                ("role", "VARCHAR")),
    "organizations": (("entity_id", "BIGINT"), ("name_folded", "VARCHAR")),
    "identifiers": (("owner_entity_id", "BIGINT"), ("value_norm", "VARCHAR")),
    "relationships": (("source_entity_id", "BIGINT"), ("target_entity_id", "BIGINT")),
    "addresses": (("owner_entity_id", "BIGINT"),),
    "contacts": (("owner_entity_id", "BIGINT"), ("owner_norm", "VARCHAR"), ("label_folded", "VARCHAR")),
    "calls": (),
    "messages": (),
    "transfers": (),
    "travel": (("person_entity_id", "BIGINT"), ("document_norm", "VARCHAR")),
    "sightings": (("subject_entity_id", "BIGINT"), ("subject_norm", "VARCHAR")),
    "incidents": (),
}


def table_columns(kind: str) -> list[tuple[str, str]]:
    """Every stored column of a kind's table, in order: (name, SQL type)."""
    out: list[tuple[str, str]] = [("source_id", "INTEGER NOT NULL"), ("source_row", "BIGINT NOT NULL")]
    for col in KINDS[kind]:
        out.append((col.name, sql_type(col)))
        out.extend(companions(col))
    out.extend(KIND_EXTRAS[kind])
    out.extend([("handling_id", "INTEGER"), ("extra", "JSON")])
    out.append(("source_file", "VARCHAR"))     # schema 6: the bundle's file the row comes from
    return out
