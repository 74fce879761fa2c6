"""MISP event JSON (with or without the ``{"Event": …}`` wrapper) → a staged source.

Mapping (docs/partner-formats.md has the full table and what is not carried):

* ``person`` objects → ``persons``; ``organization`` / ``legal-entity`` objects →
  ``organizations``; their phone, e-mail, passport, identity-card, handle attributes
  → ``identifiers``, their ``address`` → ``addresses``;
* ``phone``, ``bank-account``, ``passport`` objects → ``objects``, and their numbers
  → ``identifiers`` of the person or organisation an object reference links them to;
* every other object and every attribute outside objects → ``objects``;
* object references → ``relationships``; galaxy clusters → ``objects``;
  sightings → ``sightings``;
* ``Orgc`` → producer; event tags and distribution → the source's handling;
  attribute tags and distribution (objects: the tags of their attributes) → the
  row's own handling when they differ.

``source_row`` numbers the items in the order of the event: attributes, then
objects (each followed by its references), then galaxy clusters, then sightings,
from 1; ``extra.misp_path`` says where the item sits (``Object[3].ObjectReference[0]``)
and ``extra.misp`` holds it as received.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Any

from ..errors import InputRefused, Problem
from ..importers import ImportOptions, register
from ..progress import NULL, Progress
from ..staging import Handling, StagedSource
from . import markings
from .common import OBJECTS, RowHandlings, options_handling, read_json_document, refuse, sniff, staged_tables

log = logging.getLogger(__name__)

PERSON_OBJECTS = ("person",)
ORGANIZATION_OBJECTS = ("organization", "legal-entity")
# object relation → identifier kind, for persons and organisations and the objects they own.
IDENTIFIER_RELATIONS = {
    "phone-number": "phone", "msisdn": "phone", "e-mail": "email", "email": "email",
    "passport-number": "passport", "identity-card-number": "national_id", "dni": "national_id",
    "nie": "national_id", "nif": "national_id", "social-security-number": "national_id",
    "handle": "social_handle", "imei": "imei", "imsi": "imsi", "iban": "bank_account",
    "account": "bank_account",
}
OWNED_OBJECTS = ("phone", "bank-account", "passport")
SIGHTING_KINDS = {"0": "sighting", "1": "false-positive", "2": "expiration"}


def _event(doc: Any) -> dict | None:
    if isinstance(doc, dict) and isinstance(doc.get("Event"), dict):
        return doc["Event"]
    if isinstance(doc, dict) and ("Attribute" in doc or "Object" in doc) and ("info" in doc or "uuid" in doc):
        return doc
    return None


def _tags(item: dict) -> list[str]:
    out = []
    for t in item.get("Tag") or []:
        name = t.get("name") if isinstance(t, dict) else t
        if isinstance(name, str):
            out.append(name)
    return out


def _epoch_iso(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError, OverflowError):
        return str(value)


def _attrs(obj: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for a in obj.get("Attribute") or []:
        if isinstance(a, dict):
            out.setdefault(str(a.get("object_relation") or a.get("type")), []).append(a)
    return out


def _val(by_rel: dict[str, list[dict]], *rels: str) -> str | None:
    for r in rels:
        for a in by_rel.get(r, []):
            v = a.get("value")
            if v not in (None, ""):
                return str(v)
    return None


def _vals(by_rel: dict[str, list[dict]], rel: str) -> list[str]:
    return [str(a["value"]) for a in by_rel.get(rel, []) if a.get("value") not in (None, "")]


class MispImporter:
    name = "misp"
    priority = 50
    description = "MISP event JSON, with or without the {\"Event\": …} wrapper"

    def recognise(self, path: Path) -> float:
        head = sniff(path)
        h = head.lstrip()
        if not h.startswith("{"):
            return 0.0
        if re.match(r'\{\s*"Event"\s*:', h):
            return 0.95
        if re.match(r'\{\s*"response"\s*:\s*\[\s*\{\s*"Event"', h):
            return 0.9  # a search response: refused with the right message
        keys = sum(1 for k in ('"Attribute"', '"Orgc"', '"info"', '"threat_level_id"', '"analysis"',
                               '"Object"', '"distribution"') if k in head)
        return 0.9 if keys >= 3 and '"type": "bundle"' not in head else 0.0

    def stage(self, path: Path, options: ImportOptions, progress: Progress = NULL) -> StagedSource:
        path = Path(path)
        file = path.name
        doc = read_json_document(path, "MISP event")
        event = _event(doc)
        if event is None:
            if isinstance(doc, dict) and isinstance(doc.get("response"), list):
                raise InputRefused(f"{file}: refused, a MISP search response with "
                                   f"{len(doc['response'])} events; the case was not changed",
                                   [Problem("import one event per file", file, 1)])
            raise InputRefused(f"{file}: refused, not a MISP event; the case was not changed",
                               [Problem('neither {"Event": {...}} nor an event with Attribute/Object', file, 1)])
        problems: list[Problem] = []
        progress(0.1, "read")

        # Handling of the event.
        try:
            event_h = markings.handling_from_misp(_tags(event), event.get("distribution"),
                                                  (event.get("SharingGroup") or {}).get("name"))
        except markings.MarkingError as e:
            raise InputRefused(f"{file}: refused, unreadable marking; the case was not changed",
                               [Problem(str(e), file, None, "Event.Tag")]) from e
        warnings: list[str] = []
        source = options_handling(options)
        if source is None:
            if event_h is not None and event_h.tlp:
                source = event_h
            else:
                source = event_h or Handling()
                if not source.tlp:
                    source.tlp = "AMBER"
                warnings.append(f"the event has no tlp: tag: its rows take TLP:{source.tlp}; "
                                "state the source's handling (TLP, releasable to, legal basis) to set it")
        rh = RowHandlings(source)

        attributes = [a for a in event.get("Attribute") or [] if isinstance(a, dict)]
        objects = [o for o in event.get("Object") or [] if isinstance(o, dict)]
        known: dict[str, str] = {}       # uuid → entity id it resolves to
        for a in attributes:
            if a.get("uuid"):
                known[a["uuid"]] = a["uuid"]
        for o in objects:
            if o.get("uuid"):
                known[o["uuid"]] = o["uuid"]
            for a in o.get("Attribute") or []:
                if isinstance(a, dict) and a.get("uuid"):
                    known.setdefault(a["uuid"], o.get("uuid"))  # an object's attribute stands for its object

        tables: dict[str, list[dict[str, Any]]] = {}

        def add(kind: str, row: dict[str, Any]) -> None:
            tables.setdefault(kind, []).append(row)

        def marking(item: dict, tags: list[str], where: str, row: int) -> str | None:
            try:
                h = markings.handling_from_misp(tags, item.get("distribution"),
                                                (item.get("SharingGroup") or {}).get("name"), parent=source)
            except markings.MarkingError as e:
                problems.append(Problem(str(e), file, row, where))
                return None
            return rh.key(h)

        odd: list[str] = []

        def check(a: dict, where: str, row: int) -> None:
            """An attribute's value as MISP types it: an object or list is refused (it would be stored
            as Python prints it); an IP that is none, a to_ids that is no boolean are kept, said."""
            v = a.get("value")
            if isinstance(v, dict | list):
                what = "a JSON object" if isinstance(v, dict) else "a JSON array"
                problems.append(Problem(f"{what}, not text: {json.dumps(v, ensure_ascii=False)[:200]}", file, row,
                                        where + ".value"))
            elif a.get("type") in _IP_TYPES and isinstance(v, str) and not _ip(v, a["type"]):
                odd.append(f"{where} {a['type']} {v!r} is not an IP address")
            if "to_ids" in a and a["to_ids"] not in (True, False, 0, 1, "0", "1", "true", "false"):
                odd.append(f"{where} to_ids {a['to_ids']!r} is not true or false")

        row = 0
        for i, a in enumerate(attributes):
            row += 1
            check(a, f"Attribute[{i}]", row)
            if not a.get("uuid"):
                problems.append(Problem(f"attribute {i} has no uuid", file, row, f"Attribute[{i}].uuid"))
                continue
            key = marking(a, _tags(a), f"Attribute[{i}].Tag", row)
            add(OBJECTS, {"source_row": row, "handling_key": key, "id": a["uuid"],
                          "type": f"misp-attribute:{a.get('type')}", "name": a.get("value"),
                          "properties": {k: v for k, v in a.items() if k not in ("uuid",)},
                          "extra": {"misp_path": f"Attribute[{i}]"}})
            row = self._sightings(a, a["uuid"], f"Attribute[{i}]", row, add)

        # Which person / organisation owns each phone, bank account, passport object.
        kind_of = {o.get("uuid"): o.get("name") for o in objects}
        owner_of: dict[str, str] = {}
        for o in objects:
            for ref in o.get("ObjectReference") or []:
                src, tgt = o.get("uuid"), known.get(ref.get("referenced_uuid"))
                if kind_of.get(src) in PERSON_OBJECTS + ORGANIZATION_OBJECTS and kind_of.get(tgt) in OWNED_OBJECTS:
                    owner_of.setdefault(tgt, src)
                if kind_of.get(tgt) in PERSON_OBJECTS + ORGANIZATION_OBJECTS and kind_of.get(src) in OWNED_OBJECTS:
                    owner_of.setdefault(src, tgt)

        for j, o in enumerate(objects):
            progress.check()
            progress(0.1 + 0.8 * j / max(1, len(objects)), f"object {j + 1:,}")
            row += 1
            uuid = o.get("uuid")
            if not uuid:
                problems.append(Problem(f"object {j} has no uuid", file, row, f"Object[{j}].uuid"))
                continue
            for k, a in enumerate(o.get("Attribute") or []):
                if isinstance(a, dict):
                    check(a, f"Object[{j}].Attribute[{k}]", row)
            tags = [t for a in o.get("Attribute") or [] if isinstance(a, dict) for t in _tags(a)]
            key = marking(o, tags, f"Object[{j}]", row)
            by_rel = _attrs(o)
            base = {"source_row": row, "handling_key": key,
                    "extra": {"misp_path": f"Object[{j}]", "misp": o}}
            name = o.get("name")
            if name in PERSON_OBJECTS:
                full = _val(by_rel, "full-name") or " ".join(
                    v for v in (_val(by_rel, "first-name"), _val(by_rel, "middle-name"),
                                _val(by_rel, "last-name")) if v) or _val(by_rel, "alias", "handle")
                add("persons", {**base, "id": uuid, "name": full or uuid,
                                "aliases": [x for x in _vals(by_rel, "alias") if x != full] or None,
                                "birth_date": _val(by_rel, "date-of-birth"),
                                "nationality": _val(by_rel, "nationality"), "gender": _val(by_rel, "gender"),
                                "notes": _val(by_rel, "text") or o.get("comment") or None})
                self._identifiers(uuid, by_rel, base, add)
            elif name in ORGANIZATION_OBJECTS:
                add("organizations", {**base, "id": uuid,
                                      "name": _val(by_rel, "name", "commercial-name", "alias") or uuid,
                                      "registration_number": _val(by_rel, "registration-number"),
                                      "kind": _val(by_rel, "type-of-organization", "legal-form", "business")})
                self._identifiers(uuid, by_rel, base, add)
            else:
                add(OBJECTS, {**base, "id": uuid, "type": f"misp-object:{name}",
                              "name": _object_label(o, by_rel),
                              "properties": {k: v for k, v in o.items() if k not in ("uuid", "ObjectReference")},
                              "extra": {"misp_path": f"Object[{j}]"}})
                if uuid in owner_of:
                    self._identifiers(owner_of[uuid], by_rel, {**base, "extra": {
                        "misp_path": f"Object[{j}]", "derived_from": {"misp_object": uuid}}}, add)
            for a in o.get("Attribute") or []:
                if isinstance(a, dict):
                    row = self._sightings(a, uuid, f"Object[{j}]", row, add)
            for k, ref in enumerate(o.get("ObjectReference") or []):
                row += 1
                where = f"Object[{j}].ObjectReference[{k}]"
                target = known.get(ref.get("referenced_uuid"))
                if target is None:
                    problems.append(Problem(f"dangling reference: object {uuid} refers to "
                                            f"{ref.get('referenced_uuid')!r}, which is not in the event",
                                            file, row, where + ".referenced_uuid"))
                    continue
                add("relationships", {"source_row": row, "handling_key": key, "source": uuid, "target": target,
                                      "kind": ref.get("relationship_type") or "related-to",
                                      "note": ref.get("comment") or None,
                                      "extra": {"misp_path": where, "misp": ref}})

        seen_clusters: set[str] = set()
        for g, galaxy in enumerate(event.get("Galaxy") or []):
            for c, cluster in enumerate(galaxy.get("GalaxyCluster") or []):
                row += 1
                cid = cluster.get("uuid")
                if not cid or cid in seen_clusters:
                    # Older events repeat one uuid for several clusters: name them by galaxy and value.
                    cid = f"{galaxy.get('uuid')}:{cluster.get('tag_name') or cluster.get('value') or c}"
                seen_clusters.add(cid)
                add(OBJECTS, {"source_row": row, "id": cid, "type": f"misp-galaxy:{galaxy.get('type')}",
                              "name": cluster.get("value"),
                              "properties": {**{k: v for k, v in cluster.items() if k != "uuid"},
                                             "Galaxy": {k: v for k, v in galaxy.items() if k != "GalaxyCluster"}},
                              "extra": {"misp_path": f"Galaxy[{g}].GalaxyCluster[{c}]"}})
        row = self._sightings(event, None, "Event", row, add, known)
        if not tables and not problems:
            problems.append(Problem("nothing to import: the event holds no attribute, object, galaxy or sighting",
                                    file, 1))
        refuse(path, problems, "as a MISP event")
        if odd:
            warnings.append(f"{len(odd)} attribute value(s) not of their MISP type (kept as written): "
                            + "; ".join(odd[:10]) + ("; …" if len(odd) > 10 else ""))
        progress(1.0, "staged")
        orgc = event.get("Orgc") or {}
        producer = dict(options.producer or {})
        if not producer.get("agency") and orgc.get("name"):
            producer["agency"] = orgc["name"]
        if options.producer_country:
            producer["country"] = options.producer_country
        manifest = {k: v for k, v in event.items() if k not in ("Attribute", "Object")}
        manifest["wrapped"] = isinstance(doc, dict) and "Event" in doc
        return StagedSource(
            format="misp", importer=self.name, title=options.title or event.get("info") or path.name,
            producer=producer, handling=source, tables=staged_tables(file, tables),
            bundle_id=event.get("uuid"), created_at=event.get("date"), container_name=path.name,
            container_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            default_timezone=options.timezone, row_handlings=rh.by_key, warnings=warnings, manifest=manifest)

    @staticmethod
    def _identifiers(owner: str, by_rel: dict[str, list[dict]], base: dict, add) -> None:
        country = _val(by_rel, "passport-country", "country")
        for rel, kind in IDENTIFIER_RELATIONS.items():
            for v in _vals(by_rel, rel):
                row = {**base, "owner": owner, "kind": kind, "value": v,
                       "extra": {**base.get("extra", {}), "misp_relation": rel}}
                row["extra"].pop("misp", None)
                row["extra"].setdefault("derived_from", {"misp_object_attribute": rel})
                if kind == "passport":
                    row.update(country=country, valid_from=_date(_val(by_rel, "passport-creation")),
                               valid_to=_date(_val(by_rel, "passport-expiration")))
                add("identifiers", row)
        for v in _vals(by_rel, "address"):
            extra = {k: x for k, x in base.get("extra", {}).items() if k != "misp"}
            add("addresses", {**base, "owner": owner, "full": v,
                              "extra": {**extra, "derived_from": {"misp_object_attribute": "address"}}})

    @staticmethod
    def _sightings(item: dict, subject: str | None, where: str, row: int, add,
                   known: dict[str, str] | None = None) -> int:
        for s, sight in enumerate(item.get("Sighting") or []):
            if not isinstance(sight, dict):
                continue
            row += 1
            subj = subject or (known or {}).get(sight.get("attribute_uuid")) or sight.get("attribute_uuid") \
                or sight.get("value")
            org = (sight.get("Organisation") or {}).get("name")
            add("sightings", {"source_row": row, "subject": subj,
                              "time": _epoch_iso(sight.get("date_sighting") or sight.get("timestamp")),
                              "kind": SIGHTING_KINDS.get(str(sight.get("type", "0")), str(sight.get("type"))),
                              "place": sight.get("source") or None, "note": org,
                              "extra": {"misp_path": f"{where}.Sighting[{s}]", "misp": sight}})
        return row


_IP_TYPES = ("ip-src", "ip-dst", "ip-src|port", "ip-dst|port", "domain|ip")


def _ip(value: str, typ: str) -> bool:
    """Whether ``value`` holds an IP address (or network) where the MISP type says one is."""
    import ipaddress

    v = value.strip()
    if typ == "domain|ip":
        v = v.rpartition("|")[2]
    elif typ.endswith("|port"):
        v = v.rpartition("|")[0] or v
    try:
        ipaddress.ip_network(v, strict=False)
    except ValueError:
        return False
    return True


def _date(v: str | None) -> str | None:
    return v[:10] if v else None


def _object_label(o: dict, by_rel: dict[str, list[dict]]) -> str | None:
    for rel in ("name", "msisdn", "iban", "account", "passport-number", "filename", "domain", "ip", "url",
                "sha256", "md5", "text"):
        v = _val(by_rel, rel)
        if v:
            return v
    return o.get("comment") or o.get("name")


IMPORTER = register(MispImporter())
