"""A releasable selection as one MISP event (``{"Event": …}``), loadable by PyMISP.

Rows imported from MISP are written back as received (``extra.misp`` / their
properties) with their tags and distribution replaced by the row's handling;
other rows are built from their columns: persons → ``person`` objects,
organisations → ``organization`` objects, their non-derived identifiers →
attributes of those objects (``phone-number``, ``e-mail``, ``passport-number``,
…), relationships between exported objects → object references, sightings of an
exported attribute → its sightings, MISP attributes / objects / galaxy clusters →
themselves.  What MISP cannot hold here (transfers, calls, messages, travel,
contacts, incidents, other formats' generic entities) is counted in the export's
details as ``not_carried``.

Markings: the event carries the least strict handling of its rows (TLP tag, and
the distribution a MISP row recorded); each attribute whose row is marked
otherwise carries its own ``tlp:`` tag (``tlp:amber+strict`` included), its
``lintas:releasable-to`` / ``lintas:legal-basis`` / ``lintas:caveat`` tags and
distribution; an object's attributes all carry the object's row's tags.  Reading
the event back gives every row exactly its handling again.  ``--drop-markings``
leaves tags and distributions out.  A masked row is never written from its original.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from workstation.formats import markings
from workstation.handling import TLP_ORDER
from workstation.progress import NULL, Progress
from workstation.staging import Handling

from ..registry import ExportError, ExportOptions, Written, register, sha256_file
from ..selection import SELECTION_KINDS, Selection
from .common import Row, check_expressible, derived, load, not_carried, original, uncarried

log = logging.getLogger(__name__)

# The kinds this format carries (read into memory: entities and their links); the others
# are only counted.
CARRIED = ("persons", "organizations", "objects", "identifiers", "addresses", "relationships", "sightings")

_NS = uuid.UUID("0b2f3c1e-7a44-4f0e-a1f5-2d9a8c6b4e21")  # Lintas's namespace for derived MISP uuids
IDENTIFIER_RELATION = {"phone": "phone-number", "email": "e-mail", "passport": "passport-number",
                       "national_id": "identity-card-number", "social_handle": "handle"}
ATTRIBUTE_TYPE = {"phone-number": "phone-number", "e-mail": "email-src", "passport-number": "passport-number",
                  "identity-card-number": "identity-card-number", "handle": "text", "full-name": "full-name",
                  "alias": "text", "date-of-birth": "date-of-birth", "nationality": "nationality",
                  "gender": "gender", "text": "text", "name": "text", "registration-number": "text",
                  "type-of-organization": "text", "address": "text"}


def _uuid(*parts: Any) -> str:
    return str(uuid.uuid5(_NS, chr(31).join(str(p) for p in parts)))


def _least(handlings: list[Handling]) -> Handling:
    """The event's handling: the least strict TLP, and what every row shares."""
    if not handlings:
        return Handling(tlp="CLEAR")
    tlp = min((h.tlp for h in handlings), key=lambda t: TLP_ORDER.index(t))
    common = [c for c in handlings[0].caveats if all(c in h.caveats for h in handlings[1:])]
    same = all(markings.same_marking(h, handlings[0]) for h in handlings[1:])
    if same:
        return Handling(tlp=handlings[0].tlp, releasable_to=list(handlings[0].releasable_to),
                        legal_basis=handlings[0].legal_basis, caveats=list(handlings[0].caveats))
    return Handling(tlp=tlp, caveats=common)


class MispExporter:
    name = "misp"
    description = "MISP event JSON ({\"Event\": …}), loadable by PyMISP"

    def write(self, selection: Selection, out: Path, options: ExportOptions,
              progress: Progress = NULL) -> Written:
        rows = load(selection, CARRIED)
        check_expressible(rows, "MISP", options.drop_markings)
        event, skipped = build(rows, options.drop_markings, progress,
                               info=f"Lintas export for {selection.recipient}",
                               producer=selection.case.meta().get("unit") or "Lintas")
        uncarried(selection, [k for k in SELECTION_KINDS if k not in CARRIED], skipped)
        out = Path(out)
        if out.exists() and out.is_dir():
            raise ExportError(f"{out} is a directory; a MISP event goes to a file")
        tmp = out.with_name(out.name + ".part")
        tmp.write_text(json.dumps({"Event": event}, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                       encoding="utf-8")
        tmp.replace(out)
        return Written(out, sha256_file(out), {
            "bundle_id": event["uuid"], "attributes": len(event["Attribute"]), "objects": len(event["Object"]),
            "not_carried": not_carried(skipped),
            "markings": "dropped" if options.drop_markings else "tlp tags and distribution"})


def build(rows: dict[str, list[Row]], drop_markings: bool = False, progress: Progress = NULL,
          info: str = "Lintas export", producer: str = "Lintas") -> tuple[dict[str, Any], Counter]:
    now = int(dt.datetime.now(dt.UTC).timestamp())
    skipped: Counter = Counter()
    all_h = [r["handling"] for rs in rows.values() for r in rs]
    event_h = _least(all_h)

    def tags_dist(h: Handling) -> tuple[list[dict], str | None]:
        """Tags and distribution of an item whose row has handling ``h``."""
        if drop_markings or markings.same_marking(h, event_h):
            return [], "5" if not drop_markings else None
        tags, dist = markings.misp_tags_for(h)
        return [{"name": t} for t in tags], str(dist) if dist is not None else "5"

    def stamp(a: dict[str, Any], h: Handling) -> dict[str, Any]:
        a = {k: v for k, v in a.items() if k not in ("Tag", "distribution", "sharing_group_id", "SharingGroup")}
        tags, dist = tags_dist(h)
        if tags:
            a["Tag"] = tags
        if dist is not None:
            a["distribution"] = dist
        return a

    attributes: list[dict[str, Any]] = []
    objects: dict[str, dict[str, Any]] = {}
    attr_uuid: dict[tuple[int, str], str] = {}
    obj_uuid: dict[tuple[int, str], str] = {}
    by_uuid: dict[str, dict[str, Any]] = {}
    galaxies: dict[str, dict[str, Any]] = {}

    for kind in ("persons", "organizations", "objects"):
        for r in rows.get(kind, []):
            progress.check()
            key = (r["source_id"], r["id"])
            h = r["handling"]
            if kind == "objects":
                typ = str(r["type"])
                props = json.loads(r["properties"]) if isinstance(r["properties"], str) else (r["properties"] or {})
                if r["masked"] or not typ.startswith("misp-"):
                    skipped[f"objects:{typ}"] += 1
                    continue
                if typ.startswith("misp-attribute:"):
                    # sightings travel as rows of their own (the selection may withhold some)
                    a = stamp({**{k: v for k, v in props.items() if k != "Sighting"}, "uuid": r["id"]}, h)
                    attributes.append(a)
                    attr_uuid[key] = r["id"]
                    by_uuid[r["id"]] = a
                elif typ.startswith("misp-object:"):
                    o = {**props, "uuid": r["id"]}
                    o["Attribute"] = [stamp({k: v for k, v in x.items() if k != "Sighting"}, h)
                                      for x in o.get("Attribute") or []]
                    o = stamp(o, h)
                    o.pop("Tag", None)
                    o["ObjectReference"] = []
                    objects[r["id"]] = o
                    for x in o["Attribute"]:
                        by_uuid.setdefault(x.get("uuid"), x)
                    obj_uuid[key] = r["id"]
                elif typ.startswith("misp-galaxy:"):
                    g = dict(props.get("Galaxy") or {"type": typ.split(":", 1)[1], "name": typ.split(":", 1)[1]})
                    gkey = g.get("uuid") or g.get("type")
                    cluster = {k: v for k, v in props.items() if k != "Galaxy"}
                    if ":" not in r["id"]:
                        cluster["uuid"] = r["id"]
                    galaxies.setdefault(gkey, {**g, "GalaxyCluster": []})["GalaxyCluster"].append(cluster)
                continue
            orig = original(r, "misp")
            if isinstance(orig, dict) and orig.get("name"):
                o = {k: v for k, v in orig.items() if k != "ObjectReference"}
                o["Attribute"] = [stamp(x, h) for x in o.get("Attribute") or []]
                o = stamp(o, h)
                o.pop("Tag", None)
            else:
                uid = _uuid("object", r.get("source_bundle_id") or r["source_id"], r["id"])
                if kind == "persons":
                    pairs = [("full-name", r["name"])] + [("alias", a) for a in r.get("aliases") or []
                                                          if a != r["name"]]
                    pairs += [("date-of-birth", r.get("birth_date")), ("nationality", r.get("nationality")),
                              ("gender", r.get("gender")), ("text", r.get("notes"))]
                    name = "person"
                else:
                    pairs = [("name", r["name"]), ("registration-number", r.get("registration_number")),
                             ("type-of-organization", r.get("kind"))]
                    name = "organization"
                o = stamp({"name": name, "uuid": uid, "meta-category": "misc", "timestamp": str(now),
                           "comment": f"{kind[:-1]} {r['id']}",
                           "Attribute": [stamp(_attribute(rel, v, uid), h) for rel, v in pairs if v]}, h)
                o.pop("Tag", None)
            o["ObjectReference"] = []
            objects[o["uuid"]] = o
            obj_uuid[key] = o["uuid"]

    for r in rows.get("identifiers", []):
        owner = obj_uuid.get((r["source_id"], r["owner"]))
        if derived(r, "misp"):
            continue
        rel = IDENTIFIER_RELATION.get(r["kind"])
        if owner is None or rel is None:
            skipped[f"identifiers:{r['kind']}"] += 1
            continue
        objects[owner]["Attribute"].append(stamp(_attribute(rel, r["value"], owner, r["source_row"]),
                                                 r["handling"]))
    for r in rows.get("addresses", []):
        owner = obj_uuid.get((r["source_id"], r["owner"]))
        if derived(r, "misp"):
            continue
        if owner is None:
            skipped["addresses (owner not exported)"] += 1
            continue
        objects[owner]["Attribute"].append(stamp(_attribute("address", r["full"], owner, r["source_row"]),
                                                 r["handling"]))

    for r in rows.get("relationships", []):
        src = obj_uuid.get((r["source_id"], r["source"]))
        tgt = obj_uuid.get((r["source_id"], r["target"])) or attr_uuid.get((r["source_id"], r["target"]))
        if src is None or tgt is None:
            skipped["relationships (an end not exported, or not a MISP object)"] += 1
            continue
        orig = original(r, "misp")
        ref = dict(orig) if isinstance(orig, dict) else {
            "uuid": _uuid("reference", r.get("source_bundle_id") or r["source_id"], r["source_row"]),
            "relationship_type": r["kind"], "timestamp": str(now), "comment": r.get("note") or ""}
        ref.update(object_uuid=src, referenced_uuid=tgt,
                   referenced_type="1" if tgt in objects else "0")
        ref.pop("Attribute", None)
        ref.pop("Object", None)
        objects[src]["ObjectReference"].append(ref)

    for r in rows.get("sightings", []):
        orig = original(r, "misp")
        target = by_uuid.get(str(r["subject"])) or by_uuid.get(str((orig or {}).get("attribute_uuid")))
        if target is None and str(r["subject"]) in objects and objects[str(r["subject"])]["Attribute"]:
            target = objects[str(r["subject"])]["Attribute"][0]  # a sighting of an object's attribute
        if target is None:
            skipped["sightings (subject not an exported attribute)"] += 1
            continue
        s = dict(orig) if isinstance(orig, dict) else {
            "uuid": _uuid("sighting", r["source_id"], r["source_row"]), "type": "0",
            "source": r.get("place") or ""}
        when = r.get("time")
        if when and not s.get("date_sighting"):
            try:
                s["date_sighting"] = str(int(dt.datetime.fromisoformat(str(when).replace("Z", "+00:00")).timestamp()))
            except ValueError:
                pass
        s["attribute_uuid"] = target["uuid"]
        target.setdefault("Sighting", []).append(s)

    for kind in ("contacts", "calls", "messages", "transfers", "travel", "incidents"):
        if rows.get(kind):
            skipped[kind] += len(rows[kind])
    event: dict[str, Any] = {
        "uuid": str(uuid.uuid4()), "info": info, "date": dt.date.today().isoformat(),
        "threat_level_id": "4", "analysis": "2", "published": False, "timestamp": str(now),
        "Orgc": {"name": producer}, "Attribute": attributes, "Object": list(objects.values()),
        "Galaxy": list(galaxies.values())}
    if not drop_markings:
        tags, dist = markings.misp_tags_for(event_h)
        event["Tag"] = [{"name": t} for t in tags]
        if dist is not None:
            event["distribution"] = str(dist)
    return event, skipped


def _attribute(relation: str, value: Any, parent: str, salt: Any = "") -> dict[str, Any]:
    return {"uuid": _uuid("attribute", parent, relation, value, salt), "object_relation": relation,
            "type": ATTRIBUTE_TYPE.get(relation, "text"), "category": "Person" if relation != "text" else "Other",
            "value": str(value), "to_ids": False}


EXPORTER = register(MispExporter())
