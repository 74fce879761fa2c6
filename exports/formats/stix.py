"""A releasable selection as a STIX 2.1 bundle with TLP 2.0 markings.

Rows imported from STIX are written back as received (``extra.stix``) with their
markings replaced by the row's handling; other rows are built from their columns:
persons → ``identity`` (individual), organisations → ``identity`` (organization),
their non-derived identifiers → the identity's ``contact_information``,
relationships → ``relationship``, sightings of an exported object → ``sighting``,
STIX generic entities → themselves.  What STIX cannot hold here (transfers,
calls, messages, travel, addresses, contacts, incidents, other formats' generic
entities) is counted in the export's details as ``not_carried``.

Markings: every object gets ``object_marking_refs`` to the TLP 2.0 marking
definition of its TLP (the OASIS TLP 2.0 extension), plus statement markings for
``releasable_to``, the legal basis and each caveat; the definitions are in the
bundle.  Granular markings of an imported object were folded into its row's
handling (the strictest) and are not written back.  ``--drop-markings`` leaves
every marking out.  A masked row is never written from its original.
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
from workstation.progress import NULL, Progress

from ..registry import ExportError, ExportOptions, Written, register, sha256_file
from ..selection import SELECTION_KINDS, Selection
from .common import Row, check_expressible, derived, load, not_carried, original, uncarried

log = logging.getLogger(__name__)

# The kinds this format carries (read into memory: entities and their links); the others
# are only counted.
CARRIED = ("persons", "organizations", "objects", "identifiers", "relationships", "sightings")

_NS = uuid.UUID("6f1c3f9e-36c5-4a57-9d0e-8e2f7f1d2b10")  # Lintas's namespace for derived STIX ids


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _stix_id(typ: str, *parts: Any) -> str:
    return f"{typ}--{uuid.uuid5(_NS, chr(31).join(str(p) for p in parts))}"


def _timestamp(value: str | None) -> str | None:
    """A canonical date or timestamp as a STIX timestamp (None when it is not one)."""
    if not value:
        return None
    v = str(value)
    if len(v) == 10 and v[4] == "-" and v[7] == "-":
        return v + "T00:00:00Z"
    try:
        t = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        return None
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class StixExporter:
    name = "stix"
    description = "STIX 2.1 bundle with TLP 2.0 markings (MISP, OpenCTI, CERTs)"

    def write(self, selection: Selection, out: Path, options: ExportOptions,
              progress: Progress = NULL) -> Written:
        rows = load(selection, CARRIED)
        check_expressible(rows, "STIX 2.1", options.drop_markings)
        bundle, skipped = build(rows, options.drop_markings, progress)
        uncarried(selection, [k for k in SELECTION_KINDS if k not in CARRIED], skipped)
        out = Path(out)
        if out.exists() and out.is_dir():
            raise ExportError(f"{out} is a directory; a STIX bundle goes to a file")
        tmp = out.with_name(out.name + ".part")
        tmp.write_text(json.dumps(bundle, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(out)
        return Written(out, sha256_file(out), {"bundle_id": bundle["id"], "objects": len(bundle["objects"]),
                                               "not_carried": not_carried(skipped),
                                               "markings": "dropped" if options.drop_markings else "TLP 2.0"})


def build(rows: dict[str, list[Row]], drop_markings: bool = False,
          progress: Progress = NULL) -> tuple[dict[str, Any], Counter]:
    now = _now()
    objects: dict[str, dict[str, Any]] = {}
    definitions: dict[str, dict[str, Any]] = {}
    skipped: Counter = Counter()
    sid: dict[tuple[int, str], str] = {}   # (source, local id) → STIX id

    def mark(obj: dict[str, Any], row: Row) -> dict[str, Any]:
        obj = {k: v for k, v in obj.items() if k not in ("object_marking_refs", "granular_markings")}
        if not drop_markings:
            refs, defs = markings.stix_marking_objects(row["handling"])
            obj["object_marking_refs"] = refs
            for d in defs:
                definitions[d["id"]] = d
        return obj

    # Entities first, so that references can be resolved.
    for kind in ("persons", "organizations", "objects"):
        for r in rows.get(kind, []):
            progress.check()
            orig = original(r, "stix")
            if isinstance(orig, dict) and isinstance(orig.get("id"), str) and "--" in orig["id"]:
                obj = dict(orig)
                if kind == "objects" and r.get("properties"):
                    props = json.loads(r["properties"]) if isinstance(r["properties"], str) else r["properties"]
                    obj = {**props, "id": orig["id"], "type": orig["type"]}
            elif kind == "objects":
                skipped[f"objects:{r['type']}"] += 1
                continue
            else:
                cls = "individual" if kind == "persons" else (
                    r.get("kind") if r.get("kind") in ("group", "organization") else "organization")
                obj = {"type": "identity", "spec_version": "2.1",
                       "id": _stix_id("identity", r.get("source_bundle_id") or r["source_id"], r["id"]),
                       "created": now, "modified": now, "name": r["name"], "identity_class": cls}
                if kind == "persons" and r.get("notes"):
                    obj["description"] = r["notes"]
            sid[(r["source_id"], r["id"])] = obj["id"]
            objects[obj["id"]] = mark(obj, r)

    contacts: dict[str, list[str]] = {}
    for r in rows.get("identifiers", []):
        owner = sid.get((r["source_id"], r["owner"]))
        if derived(r, "stix"):
            continue
        if owner is None:
            skipped["identifiers (owner not exported)"] += 1
            continue
        contacts.setdefault(owner, []).append(f"{r['kind']}: {r['value']}"
                                              + (f" ({r['country']})" if r.get("country") else ""))
    for owner, lines in contacts.items():
        obj = objects[owner]
        info = obj.get("contact_information")
        obj["contact_information"] = "; ".join(([info] if info else []) + lines)

    for r in rows.get("relationships", []):
        src, tgt = sid.get((r["source_id"], r["source"])), sid.get((r["source_id"], r["target"]))
        if src is None or tgt is None:
            skipped["relationships (an end not exported)"] += 1
            continue
        orig = original(r, "stix")
        if isinstance(orig, dict) and orig.get("type") == "relationship":
            obj = dict(orig)
        else:
            obj = {"type": "relationship", "spec_version": "2.1",
                   "id": _stix_id("relationship", r.get("source_bundle_id") or r["source_id"], r["source_row"]),
                   "created": now, "modified": now, "relationship_type": _rel_type(r["kind"]),
                   "source_ref": src, "target_ref": tgt}
            start, end = _timestamp(r.get("start")), _timestamp(r.get("end"))
            if start:
                obj["start_time"] = start
            if end and (not start or end > start):
                obj["stop_time"] = end
            if r.get("note"):
                obj["description"] = r["note"]
        obj["source_ref"], obj["target_ref"] = src, tgt
        objects[obj["id"]] = mark(obj, r)

    for r in rows.get("sightings", []):
        subject = sid.get((r["source_id"], r["subject"]))
        if subject is None or subject.split("--")[0] in _SCO_TYPES or subject.startswith("relationship--"):
            skipped["sightings (subject not an exported STIX object)"] += 1
            continue
        orig = original(r, "stix")
        if isinstance(orig, dict) and orig.get("type") == "sighting":
            obj = dict(orig)
            obj["where_sighted_refs"] = [x for x in obj.get("where_sighted_refs") or [] if x in objects]
            if not obj["where_sighted_refs"]:
                del obj["where_sighted_refs"]
        else:
            obj = {"type": "sighting", "spec_version": "2.1",
                   "id": _stix_id("sighting", r.get("source_bundle_id") or r["source_id"], r["source_row"]),
                   "created": now, "modified": now, "sighting_of_ref": subject}
            seen = _timestamp(r.get("time"))
            if seen:
                obj["first_seen"] = seen
            if r.get("note"):
                obj["description"] = r["note"]
        obj["sighting_of_ref"] = subject
        objects[obj["id"]] = mark(obj, r)

    for kind in ("addresses", "contacts", "calls", "messages", "transfers", "travel", "incidents"):
        if rows.get(kind):
            skipped[kind] += len(rows[kind])

    # References to objects the bundle does not hold are left out (they were withheld).
    for obj in objects.values():
        for k in list(obj):
            if k.endswith("_refs") and k != "object_marking_refs" and isinstance(obj[k], list):
                kept = [x for x in obj[k] if x in objects]
                if len(kept) != len(obj[k]):
                    skipped["references to objects not exported"] += len(obj[k]) - len(kept)
                    if kept:
                        obj[k] = kept
                    elif obj["type"] == "report" and k == "object_refs":
                        obj[k] = [next(iter(objects))]
                    else:
                        del obj[k]
            elif k.endswith("_ref") and k not in ("source_ref", "target_ref", "sighting_of_ref") \
                    and isinstance(obj[k], str) and obj[k] not in objects:
                skipped["references to objects not exported"] += 1
                del obj[k]
    bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}",
              "objects": list(definitions.values()) + list(objects.values())}
    return bundle, skipped


_SCO_TYPES = {"artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message",
              "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software",
              "url", "user-account", "windows-registry-key", "x509-certificate"}


def _rel_type(kind: str) -> str:
    import re

    k = re.sub(r"[^a-z0-9-]+", "-", str(kind).strip().lower()).strip("-")
    return k or "related-to"


EXPORTER = register(StixExporter())
