"""A releasable selection as FollowTheMoney entities (JSON lines).

Rows imported from FollowTheMoney are written back as they were received (their
``extra.ftm``); other rows are built from their canonical columns: persons →
Person, organisations → Organization (or the schema they came with), identifiers
→ Passport / Identification (phone and e-mail as properties of their owner),
addresses → Address (linked by ``addressEntity``), relationships → the matching
interval edge (UnknownLink otherwise), transfers → Payment, calls → Call, FtM
generic entities → themselves.  What FtM cannot hold (messages, travel, sightings,
incidents, contacts, other formats' generic entities) is counted in the export's
details as ``not_carried``.

FollowTheMoney has no markings.  Each entity carries a ``handling`` member beside
``id``/``schema``/``properties`` (TLP 2.0 label, releasable_to, legal basis,
caveats) — FtM tools ignore it, Lintas reads it back — unless ``--drop-markings``.
A masked row (personal data pseudonymised for this recipient) is never written
from its original: only its masked columns go out.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from workstation.formats.ftm import RELATIONSHIP_KINDS
from workstation.formats.ftm_schema import SCHEMATA
from workstation.formats.markings import merge
from workstation.handling import normalise_tlp
from workstation.progress import NULL, Progress
from workstation.staging import Handling

from ..registry import ExportError, ExportOptions, Written, register, sha256_file
from ..selection import SELECTION_KINDS, Selection
from .common import (
    Ids,
    Row,
    check_expressible,
    derived,
    handling_json,
    load,
    not_carried,
    original,
    refuse_unexpressible,
    stream,
    uncarried,
)

log = logging.getLogger(__name__)

EDGE_SCHEMA = {v: k for k, v in RELATIONSHIP_KINDS.items()}
EDGE_SCHEMA.update({"employer": "Employment", "employee": "Employment", "director": "Directorship",
                    "member": "Membership", "owner": "Ownership"})
# Entities and their links are read into memory; transfers and calls (possibly millions of
# rows) are streamed; the other kinds are only counted as not carried.
CARRIED = ("persons", "organizations", "objects", "identifiers", "addresses", "relationships")
STREAMED = ("transfers", "calls")
_ORG_KINDS = {"company": "Company", "public body": "PublicBody", "publicbody": "PublicBody"}


def _hid(*parts: Any) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def _props(**kv: Any) -> dict[str, list[str]]:
    out = {}
    for k, v in kv.items():
        if v is None or v == "" or v == []:
            continue
        vals = v if isinstance(v, list) else [v]
        vals = [_text(x) for x in vals if x not in (None, "")]
        if vals:
            out[k] = vals
    return out


def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


class FtmExporter:
    name = "ftm"
    description = "FollowTheMoney entities, JSON lines (OCCRP Aleph, OpenSanctions)"

    def write(self, selection: Selection, out: Path, options: ExportOptions,
              progress: Progress = NULL) -> Written:
        rows = load(selection, CARRIED)
        check_expressible(rows, "FollowTheMoney", options.drop_markings)
        out = Path(out)
        if out.exists() and out.is_dir():
            raise ExportError(f"{out} is a directory; FtM JSON lines go to a file")
        streamed = ((kind, r) for kind in STREAMED for r in stream(selection, kind))
        tmp = out.with_name(out.name + ".part")
        count = 0
        skipped: Counter = Counter()
        uncarried(selection, [k for k in SELECTION_KINDS if k not in CARRIED + STREAMED], skipped)
        try:
            with open(tmp, "w", encoding="utf-8", newline="\n") as f:
                for e in ftm_entities(rows, streamed, options.drop_markings, skipped, progress):
                    f.write(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n")
                    count += 1
            tmp.replace(out)
        finally:
            tmp.unlink(missing_ok=True)
        return Written(out, sha256_file(out), {"entities": count, "not_carried": not_carried(skipped),
                                               "markings": "dropped" if options.drop_markings else
                                               "handling member on each entity"})


def build(rows: dict[str, list[Row]], drop_markings: bool = False,
          progress: Progress = NULL) -> tuple[list[dict[str, Any]], Counter]:
    """FtM entities for rows held in memory (transfers and calls included), and counts of
    what could not be carried."""
    skipped: Counter = Counter()
    streamed = ((kind, r) for kind in STREAMED for r in rows.get(kind, []))
    rest = {k: v for k, v in rows.items() if k not in STREAMED}
    return list(ftm_entities(rest, streamed, drop_markings, skipped, progress)), skipped


def ftm_entities(rows: dict[str, list[Row]], streamed: Iterable[tuple[str, Row]], drop_markings: bool,
             skipped: Counter, progress: Progress = NULL) -> Iterator[dict[str, Any]]:
    """FtM entities: those of the rows in memory first, then one Payment / Call per streamed
    transfer / call (written as they come), then the bank accounts those named."""
    # Partner objects written back as received keep their ids, edges and addresses too: ids two
    # sources of the export both use are prefixed with the source, and so are the references
    # to them inside those objects (``rebased``).
    ids = Ids(rows, extra=[(r["source_id"], o["id"]) for kind in ("addresses", "relationships")
                           for r in rows.get(kind, [])
                           if isinstance(o := original(r, "ftm"), dict) and isinstance(o.get("id"), str)])
    entities: dict[str, dict[str, Any]] = {}
    handlings: dict[str, list] = {}

    def rebased(orig: dict[str, Any], row: Row) -> dict[str, Any]:
        return _rebased(orig, row["source_id"], ids)

    def put(entity: dict[str, Any], row: Row) -> None:
        eid = entity["id"]
        if eid in entities:  # the same FtM entity behind several rows (an Address of two owners)
            handlings[eid].append(row["handling"])
            return
        entities[eid] = entity
        handlings[eid] = [row["handling"]]

    def ref(row: Row, local: str | None) -> str | None:
        """The exported id of an entity this export holds, else None."""
        eid = ids(row["source_id"], local) if ids.has(row["source_id"], local) else None
        return eid if eid in entities else None

    for kind in ("persons", "organizations", "objects"):
        for r in rows.get(kind, []):
            progress.check()
            orig = original(r, "ftm")
            if kind == "objects":
                schema = r["type"]
                if schema not in SCHEMATA or not isinstance(orig, dict):
                    skipped[f"objects:{schema}"] += 1
                    continue
                props = json.loads(r["properties"]) if isinstance(r["properties"], str) else r["properties"]
                e = rebased({**orig, "properties": props or {}}, r)
                e.update(id=ids(r["source_id"], r["id"]), schema=schema)
                put(e, r)
                continue
            if isinstance(orig, dict) and orig.get("schema") in SCHEMATA:
                e = rebased(orig, r)
                e["id"] = ids(r["source_id"], r["id"])
                put(e, r)
                continue
            if kind == "persons":
                aliases = [a for a in (r.get("aliases") or []) if a != r["name"]]
                props = _props(name=r["name"], alias=aliases, birthDate=r.get("birth_date"),
                               nationality=r.get("nationality"), gender=r.get("gender"), notes=r.get("notes"))
                put({"id": ids(r["source_id"], r["id"]), "schema": "Person", "properties": props}, r)
            else:
                schema = _ORG_KINDS.get(str(r.get("kind") or "").lower(), "Organization")
                if r.get("kind") in SCHEMATA and "Organization" in SCHEMATA[r["kind"]]["schemata"]:
                    schema = r["kind"]
                props = _props(name=r["name"], jurisdiction=r.get("country"),
                               registrationNumber=r.get("registration_number"))
                put({"id": ids(r["source_id"], r["id"]), "schema": schema, "properties": props}, r)

    for r in rows.get("identifiers", []):
        owner = ref(r, r["owner"])
        if derived(r, "ftm") or owner is None:
            skipped["identifiers (derived or without owner)"] += 0 if derived(r, "ftm") else 1
            continue
        if r["kind"] in ("phone", "email"):
            target = entities.get(owner)
            if target is not None and "properties" in target:
                target["properties"].setdefault(r["kind"], [])
                if r["value"] not in target["properties"][r["kind"]]:
                    target["properties"][r["kind"]].append(r["value"])
                continue
        schema = "Passport" if r["kind"] == "passport" else "Identification"
        props = _props(holder=owner, number=r["value"], country=r.get("country"),
                       startDate=r.get("valid_from"), endDate=r.get("valid_to"),
                       type=None if schema == "Passport" else r["kind"])
        put({"id": _hid("identifier", r["source_id"], r["source_row"], r["kind"], r["value"]),
             "schema": schema, "properties": props}, r)

    for r in rows.get("addresses", []):
        owner = ref(r, r["owner"])
        orig = original(r, "ftm")
        if isinstance(orig, dict) and orig.get("schema") == "Address":
            e = rebased(orig, r)
        else:
            e = {"id": _hid("address", r["source_id"], r["full"]), "schema": "Address",
                 "properties": _props(full=r["full"], city=r.get("city"), region=r.get("region"),
                                      country=r.get("country"), latitude=r.get("lat"), longitude=r.get("lon"))}
        put(e, r)
        if owner in entities and "properties" in entities[owner]:
            links = entities[owner]["properties"].setdefault("addressEntity", [])
            if e["id"] not in links:
                links.append(e["id"])

    for r in rows.get("relationships", []):
        orig = original(r, "ftm")
        src, tgt = ref(r, r["source"]), ref(r, r["target"])
        if src is None or tgt is None:
            skipped["relationships (an end not exported)"] += 1
            continue
        if isinstance(orig, dict) and orig.get("schema") in SCHEMATA:
            put(rebased(orig, r), r)
            continue
        schema = EDGE_SCHEMA.get(str(r["kind"]).lower(), "UnknownLink")
        sp, tp = SCHEMATA[schema]["edge"]
        role = r.get("note") if schema != "UnknownLink" else r["kind"]
        props = _props(**{sp: src, tp: tgt}, startDate=r.get("start"), endDate=r.get("end"), role=role,
                       summary=r.get("note") if schema == "UnknownLink" else None)
        put({"id": _hid("relationship", r["source_id"], r["source_row"]), "schema": schema,
             "properties": props}, r)

    for kind in ("contacts", "messages", "travel", "sightings", "incidents"):
        if rows.get(kind):
            skipped[kind] += len(rows[kind])

    # References to entities this export does not hold (withheld, or of another format) are
    # left out, so that the file resolves on its own.
    for e in entities.values():
        refs = SCHEMATA.get(e.get("schema"), {}).get("refs", {})
        props = e.get("properties") or {}
        for prop in list(props):
            if prop in refs:
                kept = [v for v in props[prop] if v in entities]
                if len(kept) != len(props[prop]):
                    skipped["references to entities not exported"] += len(props[prop]) - len(kept)
                    e["properties"] = props = {**props, prop: kept}
                    if not kept:
                        del props[prop]

    # A relationship edge that lost an end is no relationship: leave it out (a Payment keeps
    # its accounts, amount and date).
    for eid in [k for k, e in entities.items() if e.get("schema") in RELATIONSHIP_KINDS]:
        src, tgt = SCHEMATA[entities[eid]["schema"]]["edge"]
        props = entities[eid].get("properties") or {}
        if not props.get(src) or not props.get(tgt):
            del entities[eid]
            skipped["edges with an end not exported"] += 1

    def marked(e: dict[str, Any], hs: list[Handling]) -> dict[str, Any]:
        e = {k: v for k, v in e.items() if k != "handling"}
        if not drop_markings:
            e["handling"] = handling_json(merge(hs))
        return e

    for eid, e in entities.items():
        yield marked(e, handlings[eid])

    # Transfers and calls, streamed: each becomes one entity, written at once.
    accounts: dict[str, tuple[dict[str, Any], list[Handling]]] = {}
    bad: Counter = Counter()
    for n, (kind, r) in enumerate(streamed):
        if n % 10000 == 0:
            progress.check()
        if not drop_markings and normalise_tlp(r["handling"].tlp) is None:
            bad[r["handling"].tlp] += 1
            continue
        e = _event_entity(kind, r, ref, accounts, ids)
        props = e.get("properties") or {}
        refs = SCHEMATA[e["schema"]]["refs"]
        for prop in [p for p in props if p in refs]:
            kept = [v for v in props[prop] if v in entities or v in accounts]
            if len(kept) != len(props[prop]):
                skipped["references to entities not exported"] += len(props[prop]) - len(kept)
                e["properties"] = props = {**props, prop: kept}
                if not kept:
                    del props[prop]
        yield marked(e, [r["handling"]])
    refuse_unexpressible(bad, "FollowTheMoney")
    for e, hs in accounts.values():
        yield marked(e, hs)


def _rebased(orig: dict[str, Any], source_id: int, ids: Ids) -> dict[str, Any]:
    """A partner object as received, without its handling, its id and its references to the
    entities of its own source in the export's ids (prefixed where two sources use one id)."""
    e = {k: v for k, v in orig.items() if k != "handling"}
    if isinstance(e.get("id"), str):
        e["id"] = ids(source_id, e["id"])
    refs = SCHEMATA.get(e.get("schema"), {}).get("refs", {})
    props = e.get("properties")
    if isinstance(props, dict) and refs:
        e["properties"] = {
            p: [ids(source_id, v) if isinstance(v, str) and ids.has(source_id, v) else v for v in vals]
            if p in refs and isinstance(vals, list) else vals
            for p, vals in props.items()}
    return e


def _event_entity(kind: str, r: Row, ref, accounts: dict, ids: Ids) -> dict[str, Any]:
    """The Payment or Call of one transfer or call row (its original when it came from FtM)."""
    orig = original(r, "ftm")
    if isinstance(orig, dict) and orig.get("schema") == ("Payment" if kind == "transfers" else "Call"):
        return _rebased(orig, r["source_id"], ids)
    if kind == "calls":
        props = _props(callerNumber=r["caller"], receiverNumber=r["callee"], date=r.get("start"),
                       duration=r.get("duration_s"))
        return {"id": _hid("call", r["source_id"], r["source_row"]), "schema": "Call", "properties": props}
    payer, beneficiary = ref(r, r["from_account"]), ref(r, r["to_account"])
    props = _props(payer=payer, beneficiary=beneficiary, date=r.get("time"), amount=r.get("amount"),
                   currency=r.get("currency"), recordId=r.get("reference"))
    for end, entity_ref, value in (("payerAccount", payer, r["from_account"]),
                                   ("beneficiaryAccount", beneficiary, r["to_account"])):
        if entity_ref is None and value:
            aid = _hid("account", r["source_id"], value)
            if aid not in accounts:
                accounts[aid] = ({"id": aid, "schema": "BankAccount",
                                  "properties": _props(accountNumber=value)}, [])
            accounts[aid][1].append(r["handling"])
            props[end] = [aid]
    return {"id": _hid("transfer", r["source_id"], r["source_row"]), "schema": "Payment", "properties": props}


EXPORTER = register(FtmExporter())
