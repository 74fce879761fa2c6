"""STIX 2.1 bundles → a staged source.

Mapping (docs/partner-formats.md has the full table and what is not carried):

* ``identity``: ``individual`` → ``persons``; ``organization`` / ``group`` →
  ``organizations``; other classes → ``objects``.  E-mail addresses and phone
  numbers in ``contact_information`` → ``identifiers`` of that identity;
* ``relationship`` → ``relationships`` (``relationship_type`` as kind);
* ``sighting`` → ``sightings`` (subject = ``sighting_of_ref``);
* ``marking-definition`` → handlings (not rows): TLP 1.0, TLP 2.0, statements;
* every other SDO and SCO → ``objects`` (type, name, all properties).

``object_marking_refs`` and granular markings give the row its own handling (the
strictest of them: a granular marking on one property marks the whole row, so
nothing is ever released more widely than its most restricted part).  The object
as received is kept in ``extra.stix``; ``source_row`` is its index (from 1) in the
bundle's ``objects``.  ``created_by_ref`` (the most frequent one) names the producer.

Refused with a message that says so: a STIX 2.0 bundle, a STIX 1.x XML package, a
single object that is not a bundle, malformed or truncated JSON, a relationship or
sighting pointing to an object the bundle does not hold, an unknown marking.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import InputRefused, Problem
from ..importers import ImportOptions, register
from ..progress import NULL, Progress
from ..staging import Handling, StagedSource
from . import markings
from .common import (
    OBJECTS,
    RowHandlings,
    options_handling,
    read_json_document,
    refuse,
    sniff,
    staged_tables,
)

log = logging.getLogger(__name__)

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*--[0-9a-fA-F-]{36}$")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?\d[\d .()-]{6,}\d")
_ENTITY_CLASSES = ("individual", "organization", "group")
# Observables that identify the person or organisation they are linked to: (kind, property).
_OBSERVABLE_IDENTIFIERS = {"email-addr": ("email", "value"), "user-account": ("social_handle", "account_login")}
# References that must resolve inside the bundle (others are reported as warnings).
_REQUIRED_REFS = {"relationship": ("source_ref", "target_ref"), "sighting": ("sighting_of_ref",)}


# Timestamp properties of STIX 2.1 objects (section 3.2: RFC 3339, UTC, 'Z').
_TIMESTAMPS = ("created", "modified", "first_seen", "last_seen", "valid_from", "valid_until", "published",
               "start_time", "stop_time", "first_observed", "last_observed")
_STIX_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")


def _stix_time(value: Any) -> bool:
    """A STIX timestamp of a real instant (no 2026-02-30, no 24:00)."""
    if not isinstance(value, str) or not _STIX_TIME.fullmatch(value):
        return False
    try:
        dt.datetime.fromisoformat(value[:19])
    except ValueError:
        return False
    return True


def _is_stix_xml(head: str) -> bool:
    h = head.lstrip()
    return h.startswith("<") and ("stix" in h[:4000].lower())


def _spec_version(doc: dict) -> str | None:
    return doc.get("spec_version")


def _refs(obj: Any, path: str = "") -> list[tuple[str, str]]:
    """Every (property path, id) an object refers to."""
    out: list[tuple[str, str]] = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k.endswith("_ref") and isinstance(v, str):
                out.append((path + k, v))
            elif k.endswith("_refs") and isinstance(v, list):
                out.extend((path + k, x) for x in v if isinstance(x, str))
            elif isinstance(v, dict | list):
                out.extend(_refs(v, path + k + "."))
    elif isinstance(obj, list):
        for x in obj:
            out.extend(_refs(x, path))
    return out


def object_name(o: dict) -> str | None:
    for k in ("name", "value", "display_name", "user_id", "account_login", "subject", "path", "key",
              "number", "pattern"):
        v = o.get(k)
        if isinstance(v, str) and v:
            return v
    hashes = o.get("hashes")
    if isinstance(hashes, dict) and hashes:
        return next(iter(hashes.values()))
    return None


class StixImporter:
    name = "stix"
    priority = 50
    description = "STIX 2.1 bundle, JSON (MISP, OpenCTI, CERTs)"

    def recognise(self, path: Path) -> float:
        head = sniff(path)
        if not head:
            return 0.0
        if _is_stix_xml(head):
            return 0.9  # claimed so that it is refused with the right message
        h = head.lstrip()
        if not h.startswith("{"):
            return 0.0
        if re.search(r'"type"\s*:\s*"bundle"', head):
            return 0.95
        if re.search(r'"spec_version"\s*:\s*"2\.[01]"', head) and re.search(r'"id"\s*:\s*"[a-z0-9-]+--', head):
            return 0.8  # a lone STIX object: refused with the right message
        return 0.0

    def stage(self, path: Path, options: ImportOptions, progress: Progress = NULL) -> StagedSource:
        path = Path(path)
        file = path.name
        head = sniff(path, 4096)
        if _is_stix_xml(head):
            raise InputRefused(
                f"{file}: refused, a STIX 1.x XML package; Lintas reads STIX 2.1 JSON bundles only; "
                "the case was not changed",
                [Problem("STIX 1.x (XML) is not supported: ask the partner for STIX 2.1 JSON", file, 1)])
        doc = read_json_document(path, "STIX 2.1 bundle")
        progress(0.1, "read")
        if not isinstance(doc, dict):
            raise InputRefused(f"{file}: refused, not a STIX 2.1 bundle; the case was not changed",
                               [Problem("the document is not a JSON object", file, 1)])
        if doc.get("type") != "bundle":
            typ, ident = doc.get("type"), doc.get("id")
            if isinstance(typ, str) and isinstance(ident, str) and "--" in ident:
                raise InputRefused(
                    f"{file}: refused, a single STIX object ({typ} {ident}), not a bundle; "
                    "the case was not changed",
                    [Problem(f"a single STIX {typ} object, not a bundle: a STIX 2.1 file must be "
                             '{"type": "bundle", "id": "bundle--…", "objects": [...]}', file, 1, "type")])
            raise InputRefused(f"{file}: refused, not a STIX 2.1 bundle; the case was not changed",
                               [Problem('no "type": "bundle"', file, 1, "type")])
        if _spec_version(doc) == "2.0" or any(isinstance(o, dict) and o.get("spec_version") == "2.0"
                                              for o in doc.get("objects") or []):
            raise InputRefused(
                f"{file}: refused, a STIX 2.0 bundle; Lintas reads STIX 2.1 only; the case was not changed",
                [Problem("STIX 2.0 bundle (spec_version 2.0): ask the partner for STIX 2.1, or convert it",
                         file, 1, "spec_version")])
        objects = doc.get("objects")
        problems: list[Problem] = []
        if not isinstance(objects, list):
            refuse(path, [Problem('the bundle has no "objects" list', file, 1, "objects")], "as STIX 2.1")
        assert isinstance(objects, list)
        by_id: dict[str, tuple[int, dict]] = {}
        for n, o in enumerate(objects, start=1):
            if not isinstance(o, dict):
                problems.append(Problem(f"object {n} is not a JSON object", file, n))
                continue
            typ, ident = o.get("type"), o.get("id")
            if not isinstance(typ, str) or not typ:
                problems.append(Problem(f"object {n} has no type", file, n, "type"))
                continue
            if not isinstance(ident, str) or not _ID.match(ident):
                problems.append(Problem(f"object {n} ({typ}) has no valid id", file, n, "id"))
                continue
            for prop in _TIMESTAMPS:
                if prop in o and not _stix_time(o[prop]):
                    # kept in the object as written, a bad time would stand in the case unremarked
                    problems.append(Problem(f"object {n} ({ident}): not a STIX timestamp "
                                            f"(YYYY-MM-DDTHH:MM:SS[.s]Z): {o[prop]!r}", file, n, prop))
            sv = o.get("spec_version")
            if sv is not None and sv != "2.1":
                problems.append(Problem(f"object {n} ({ident}) has spec_version {sv!r}, not 2.1", file,
                                        n, "spec_version"))
            by_id.setdefault(ident, (n, o))
        refuse(path, problems, "as STIX 2.1")
        # Versions of one object (same id): the one of the latest 'modified' is the object as it now
        # stands (STIX 2.1, 3.6); it is the row, the others are kept as generic entities.
        current: dict[str, tuple[tuple[str, int], int]] = {}
        for n, o in enumerate(objects, start=1):
            version = (str(o.get("modified") or o.get("created") or ""), n)
            if o["id"] not in current or version > current[o["id"]][0]:
                current[o["id"]] = (version, n)
        by_id.update({i: (n, objects[n - 1]) for i, (_, n) in current.items()})

        definitions = {o["id"]: o for o in objects if o.get("type") == "marking-definition"}
        warnings: list[str] = []
        outside: Counter = Counter()
        for n, o in enumerate(objects, start=1):
            for prop, ref in _refs(o):
                if ref in by_id:
                    continue
                top = prop.split(".")[0]
                if top in _REQUIRED_REFS.get(o["type"], ()):
                    problems.append(Problem(f"dangling reference: {o['type']} {o['id']} {prop} points to "
                                            f"{ref}, which is not in the bundle", file, n, prop))
                elif "marking" in prop and ref.startswith("marking-definition--"):
                    if ref not in markings.TLP1_IDS and ref not in markings.TLP2_IDS:
                        problems.append(Problem(f"unknown marking: {ref} is neither in the bundle nor a "
                                                "published TLP marking definition", file, n, prop))
                else:
                    outside[prop] += 1
        refuse(path, problems, "as STIX 2.1")
        if outside:
            warnings.append("references to objects the bundle does not hold (kept as written): "
                            + ", ".join(f"{k} ×{v}" for k, v in sorted(outside.items())))

        # Producer: the identity most objects were created by.
        creators = Counter(o.get("created_by_ref") for o in objects if o.get("created_by_ref"))
        producer = dict(options.producer or {})
        if creators and not producer.get("agency"):
            ref = creators.most_common(1)[0][0]
            ident_obj = by_id.get(ref, (0, {}))[1]
            producer["agency"] = ident_obj.get("name") or ref
            if ident_obj.get("contact_information"):
                producer.setdefault("contact", ident_obj["contact_information"])
        if options.producer_country:
            producer["country"] = options.producer_country

        # Handling of each object from its markings.
        source = options_handling(options) or Handling()
        rh = RowHandlings(source)
        unmarked = 0
        tables: dict[str, list[dict[str, Any]]] = {}

        def add(kind: str, row: dict[str, Any]) -> None:
            tables.setdefault(kind, []).append(row)

        total = max(1, len(objects))
        for n, o in enumerate(objects, start=1):
            if n % 500 == 0:
                progress.check()
                progress(0.1 + 0.9 * n / total, f"object {n:,}")
            typ = o["type"]
            if typ == "marking-definition":
                continue
            older = current[o["id"]][1] != n
            if older:
                warnings.append(f"object {n}: an earlier version of {o['id']} (object {current[o['id']][1]} is "
                                "the latest) kept as a generic entity")
            refs = list(o.get("object_marking_refs") or [])
            refs += [g.get("marking_ref") for g in o.get("granular_markings") or []
                     if isinstance(g, dict) and g.get("marking_ref")]
            try:
                h = markings.handling_from_stix(dict.fromkeys(refs), definitions) if refs else None
            except markings.MarkingError as e:
                problems.append(Problem(str(e), file, n, "object_marking_refs"))
                continue
            if h is None:
                unmarked += 1
            key = rh.key(h)
            base = {"source_row": n, "extra": {"stix": o}, "handling_key": key}
            if older:
                add(OBJECTS, {**base, "id": f"{o['id']}@{o.get('modified') or n}", "type": typ,
                              "name": object_name(o), "properties": _props(o)})
                continue
            if typ == "identity" and o.get("identity_class") == "individual":
                add("persons", {**base, "id": o["id"], "name": o.get("name") or o["id"],
                                "notes": o.get("description")})
                self._contacts(o, base, add)
            elif typ == "identity" and o.get("identity_class") in ("organization", "group"):
                add("organizations", {**base, "id": o["id"], "name": o.get("name") or o["id"],
                                      "kind": o.get("identity_class")})
                self._contacts(o, base, add)
            elif typ == "relationship":
                add("relationships", {**base, "source": o["source_ref"], "target": o["target_ref"],
                                      "kind": o.get("relationship_type") or "related-to",
                                      "start": o.get("start_time"), "end": o.get("stop_time"),
                                      "note": o.get("description")})
                self._linked_identifier(o, by_id, base, add)
            elif typ == "sighting":
                where = [by_id[r][1] for r in o.get("where_sighted_refs") or [] if r in by_id]
                add("sightings", {**base, "subject": o["sighting_of_ref"],
                                  "time": o.get("first_seen") or o.get("created") or o.get("last_seen"),
                                  "place": ", ".join(w.get("name", w["id"]) for w in where) or None,
                                  "kind": "stix-sighting", "note": o.get("description")})
            else:
                add(OBJECTS, {**base, "id": o["id"], "type": typ, "name": object_name(o),
                              "properties": _props(o)})
        if not tables:
            problems.append(Problem("nothing to import: the bundle holds no object besides marking definitions",
                                    file, 1, "objects"))
        refuse(path, problems, "as STIX 2.1")
        if unmarked and not options.handling:
            warnings.append(f"{unmarked} object{'s' if unmarked != 1 else ''} carry no marking: they take "
                            f"the source's handling TLP:{source.tlp}; state the source's handling (TLP, releasable to, legal basis) to set it")
        progress(1.0, "staged")
        manifest = {k: v for k, v in doc.items() if k != "objects"}
        manifest["marking_definitions"] = list(definitions.values())
        manifest["objects"] = len(objects)
        return StagedSource(
            format="stix-2.1", importer=self.name, title=options.title or path.name, producer=producer,
            handling=source, tables=staged_tables(file, tables), bundle_id=doc.get("id"),
            container_name=path.name, container_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            default_timezone=options.timezone, row_handlings=rh.by_key, warnings=warnings,
            manifest=manifest)

    @staticmethod
    def _linked_identifier(rel: dict, by_id: dict, base: dict, add) -> None:
        """An e-mail address or account linked to a person or organisation by a relationship
        is also an identifier of it (derived: the observable stays a generic entity)."""
        ends = [by_id.get(rel.get("source_ref"), (0, {}))[1], by_id.get(rel.get("target_ref"), (0, {}))[1]]
        for owner, obs in (ends, ends[::-1]):
            if owner.get("type") != "identity" or owner.get("identity_class") not in _ENTITY_CLASSES:
                continue
            kind, value = _OBSERVABLE_IDENTIFIERS.get(obs.get("type"), (None, None))
            value = obs.get(value) if value else None
            if kind and isinstance(value, str) and value:
                add("identifiers", {**base, "owner": owner["id"], "kind": kind, "value": value,
                                    "extra": {"derived_from": {"stix_relationship": rel["id"],
                                                               "stix_observable": obs["id"]}}})

    @staticmethod
    def _contacts(o: dict, base: dict, add) -> None:
        info = o.get("contact_information")
        if not isinstance(info, str):
            return
        for m in _EMAIL.findall(info):
            add("identifiers", {**base, "owner": o["id"], "kind": "email", "value": m,
                                "extra": {"derived_from": {"stix_property": "contact_information"}}})
        for m in _PHONE.findall(_EMAIL.sub(" ", info)):
            add("identifiers", {**base, "owner": o["id"], "kind": "phone", "value": m.strip(),
                                "extra": {"derived_from": {"stix_property": "contact_information"}}})


def _props(o: dict) -> dict:
    return {k: v for k, v in o.items() if k not in ("id", "type")}


IMPORTER = register(StixImporter())
