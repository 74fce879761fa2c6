"""FollowTheMoney entities (JSON lines of ``{id, schema, properties}``) → a staged source.

Mapping (docs/partner-formats.md has the full table and what is not carried):

* Person → ``persons``; Organization, Company, LegalEntity and their sub-schemata
  (PublicBody, …) → ``organizations``;
* Payment → ``transfers`` (payer / beneficiary ids as the accounts, ``amount`` +
  ``currency``, else ``amountEur`` / ``amountUsd``);
* Call → ``calls``; Passport / Identification → ``identifiers`` (owner = holder);
* Address entities → ``addresses``, one row per entity that refers to it through
  ``addressEntity``;
* the interval edges Ownership, Directorship, Membership, Family, Associate,
  Employment, Representation, UnknownLink → ``relationships``;
* everything else (and any of the above lacking what its canonical kind needs)
  → ``objects`` with all its properties.

Every row keeps the entity as received in ``extra.ftm`` (nothing dropped); the
``source_row`` is the line number.  Entity references are resolved within the file:
a reference to an id that is not in the file refuses the import.  FtM carries no
markings; Lintas's own exports add a ``handling`` member to each entity, read back
here.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..importers import ImportOptions, register
from ..progress import NULL, Progress
from ..staging import Handling, StagedSource
from . import markings
from .common import (
    OBJECTS,
    RowHandlings,
    json_problem,
    options_handling,
    read_text,
    refuse,
    sniff,
    staged_tables,
)
from .ftm_schema import FTM_VERSION, SCHEMATA

log = logging.getLogger(__name__)

RELATIONSHIP_KINDS = {
    "Ownership": "owner", "Directorship": "director", "Membership": "member", "Family": "family",
    "Associate": "associate", "Employment": "employee", "Representation": "representative",
    "UnknownLink": "unknown",
}
# Identifiers found as plain properties of persons and organisations (derived rows:
# the entity in extra.ftm stays the record; exports skip derived rows).
PROPERTY_IDENTIFIERS = {"phone": "phone", "email": "email", "passportNumber": "passport",
                        "idNumber": "national_id", "registrationNumber": None}


def is_a(schema: str, ancestor: str) -> bool:
    s = SCHEMATA.get(schema)
    return bool(s) and ancestor in s["schemata"]


def target_kind(schema: str) -> str:
    if schema == "Person":
        return "persons"
    if is_a(schema, "Organization") or schema == "LegalEntity":
        return "organizations"
    if schema == "Payment":
        return "transfers"
    if schema == "Call":
        return "calls"
    if schema in ("Passport", "Identification"):
        return "identifiers"
    if schema == "Address":
        return "addresses"
    if schema in RELATIONSHIP_KINDS:
        return "relationships"
    return OBJECTS


def _vals(props: dict, name: str) -> list[str]:
    v = props.get(name) or []
    return [str(x) for x in (v if isinstance(v, list) else [v]) if x not in (None, "")]


def _instant(value: str | None) -> str | None:
    """A date property as a time: None for a date to the year or month ('2026', '2026-05', as FtM
    allows), which no transfer or call time can be (the entity is kept as a generic one, said);
    anything else as written, for the import's time check."""
    if value is not None and re.fullmatch(r"\d{4}(-\d{2})?", value.strip()):
        return None
    return value


def _one(props: dict, *names: str) -> str | None:
    for n in names:
        v = _vals(props, n)
        if v:
            return v[0]
    return None


def _entity_name(props: dict) -> str | None:
    name = _one(props, "name")
    if name:
        return name
    parts = [_one(props, n) for n in ("firstName", "secondName", "middleName", "fatherName", "lastName")]
    joined = " ".join(p for p in parts if p)
    return joined or None


class FtmImporter:
    name = "ftm"
    priority = 50
    description = "FollowTheMoney entities, JSON lines (OCCRP Aleph, OpenSanctions)"

    def recognise(self, path: Path) -> float:
        head = sniff(path)
        for line in head.splitlines():
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                # The first line may be cut by the sniff window; look at its start.
                s = line.lstrip()
                return 0.6 if s.startswith("{") and '"schema"' in s and '"properties"' in s else 0.0
            if isinstance(obj, dict) and "schema" in obj and "properties" in obj and "id" in obj:
                return 0.95 if obj.get("schema") in SCHEMATA else 0.7
            return 0.0
        return 0.0

    def stage(self, path: Path, options: ImportOptions, progress: Progress = NULL) -> StagedSource:
        path = Path(path)
        file = path.name
        text = read_text(path)
        lines = text.split("\n")
        problems: list[Problem] = []
        entities: list[tuple[int, dict]] = []
        nonempty = [i for i, ln in enumerate(lines) if ln.strip()]
        last = nonempty[-1] if nonempty else -1
        for i, line in enumerate(lines):
            if i % 2000 == 0:
                progress.check()
                progress(0.5 * i / max(1, len(lines)), f"reading line {i + 1:,}")
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                p = json_problem(line, e, file)
                p["row"] = i + 1
                if i == last and not text.endswith("\n") and p["reason"].startswith("truncated"):
                    p["reason"] = ("truncated file: the last line ends in the middle of an entity "
                                   f"({e.msg})")
                elif p["reason"].startswith("truncated"):
                    p["reason"] = f"malformed JSON: {e.msg}"
                problems.append(p)
                continue
            if not isinstance(obj, dict):
                problems.append(Problem("not a FollowTheMoney entity (a JSON object with id, schema, "
                                        "properties)", file, i + 1))
                continue
            for member in ("id", "schema"):
                if not isinstance(obj.get(member), str) or not obj.get(member):
                    problems.append(Problem(f"entity without '{member}'", file, i + 1, member))
            if not isinstance(obj.get("properties", {}), dict):
                problems.append(Problem("'properties' must be an object of lists", file, i + 1, "properties"))
            else:
                for prop, values in (obj.get("properties") or {}).items():
                    # FtM values are strings: an object or a list inside the list would be stored as
                    # Python prints it ("{'a': 1}"), in no format anyone wrote
                    for v in values if isinstance(values, list) else [values]:
                        if isinstance(v, dict | list):
                            what = "a JSON object" if isinstance(v, dict) else "a JSON array"
                            problems.append(Problem(f"{what}, not text: {json.dumps(v, ensure_ascii=False)[:200]}",
                                                    file, i + 1, f"properties.{prop}"))
            entities.append((i + 1, obj))
        if not entities and not problems:
            problems.append(Problem("no entity in the file", file))
        refuse(path, problems, "as FollowTheMoney")

        ids: dict[str, int] = {}
        for row, e in entities:
            if e["id"] in ids:
                problems.append(Problem(f"id {e['id']!r} is used more than once (also at line {ids[e['id']]})",
                                        file, row, "id"))
            else:
                ids[e["id"]] = row
        by_id = {e["id"]: e for _, e in entities}
        unknown_schemata: dict[str, int] = {}
        for row, e in entities:
            schema = SCHEMATA.get(e["schema"])
            if schema is None:
                unknown_schemata[e["schema"]] = unknown_schemata.get(e["schema"], 0) + 1
                continue
            props = e.get("properties") or {}
            refs = schema["refs"]
            for prop in [p for p in props if p in refs]:
                for ref in _vals(props, prop):
                    if ref not in by_id:
                        problems.append(Problem(f"dangling reference: {e['schema']}.{prop} points to "
                                                f"{ref!r}, which is not in the file", file, row,
                                                f"properties.{prop}"))
        refuse(path, problems, "as FollowTheMoney")

        # Handling: --tlp etc., else the Lintas ``handling`` member when every entity has the same.
        source = options_handling(options)
        own: dict[int, Handling] = {}
        for row, e in entities:
            if "handling" in e:
                try:
                    own[row] = markings.handling_from_json(e["handling"], f"line {row}")
                except markings.MarkingError as err:
                    problems.append(Problem(str(err), file, row, "handling"))
        refuse(path, problems, "as FollowTheMoney")
        warnings: list[str] = []
        if source is None:
            keys = {markings.handling_key(h) for h in own.values()}
            if len(own) == len(entities) and len(keys) == 1:
                source = next(iter(own.values()))
            else:
                source = Handling()
                unmarked = len(entities) - len(own)
                if unmarked:
                    warnings.append(f"{unmarked} entit{'y has' if unmarked == 1 else 'ies have'} no marking "
                                    f"(FollowTheMoney has none): they take TLP:{source.tlp}; state the "
                                    "source's handling (TLP, releasable to, legal basis) to set it")
        rh = RowHandlings(source)
        if unknown_schemata:
            warnings.append(f"schemata unknown to FollowTheMoney {FTM_VERSION} kept as generic entities: "
                            + ", ".join(f"{k} ({v})" for k, v in sorted(unknown_schemata.items())))

        tables: dict[str, list[dict[str, Any]]] = {}
        downgraded: dict[str, int] = {}

        def add(kind: str, row: dict[str, Any]) -> None:
            tables.setdefault(kind, []).append(row)

        referrers: dict[str, list[str]] = {}
        for _, e in entities:
            for a in _vals(e.get("properties") or {}, "addressEntity"):
                referrers.setdefault(a, []).append(e["id"])

        for n, (row, e) in enumerate(entities):
            if n % 2000 == 0:
                progress.check()
                progress(0.5 + 0.5 * n / len(entities), f"mapping entity {n + 1:,}")
            schema = e["schema"]
            props = e.get("properties") or {}
            key = rh.key(own.get(row))
            extra = {"ftm": e}
            base = {"source_row": row, "extra": extra, "handling_key": key}
            kind = target_kind(schema)
            if kind == "persons":
                names = _vals(props, "name")
                name = _entity_name(props)
                aliases = [x for x in names if x != name] + _vals(props, "alias") + _vals(props, "weakAlias")
                add("persons", {**base, "id": e["id"], "name": name or e["id"],
                                "aliases": aliases or None, "birth_date": _one(props, "birthDate"),
                                "nationality": _one(props, "nationality", "citizenship"),
                                "gender": _one(props, "gender"),
                                "notes": _one(props, "notes", "summary", "description")})
                self._property_identifiers(e, row, key, add)
            elif kind == "organizations":
                add("organizations", {**base, "id": e["id"], "name": _entity_name(props) or e["id"],
                                      "country": _one(props, "jurisdiction", "country"),
                                      "registration_number": _one(props, "registrationNumber"),
                                      "kind": schema})
                self._property_identifiers(e, row, key, add)
            elif kind == "transfers" and self._transfer(e, base, add, by_id):
                pass
            elif kind == "calls" and self._call(e, base, add):
                pass
            elif kind == "identifiers" and _one(props, "holder") and _one(props, "number") \
                    and target_kind(by_id[_one(props, "holder")]["schema"]) in ("persons", "organizations"):
                add("identifiers", {**base, "owner": _one(props, "holder"),
                                    "kind": "passport" if schema == "Passport" else "national_id",
                                    "value": _one(props, "number"), "country": _one(props, "country"),
                                    "valid_from": _one(props, "startDate"),
                                    "valid_to": _one(props, "endDate")})
            elif kind == "addresses" and self._owned_address(e, base, referrers, by_id, add):
                pass
            elif kind == "relationships" and self._relationship(e, base, by_id, add):
                pass
            else:
                if kind != OBJECTS:
                    downgraded[schema] = downgraded.get(schema, 0) + 1
                add(OBJECTS, {**base, "id": e["id"], "type": schema, "name": _entity_name(props),
                              "properties": props,
                              "extra": {"ftm": {k: v for k, v in e.items() if k != "properties"}}})
        for schema, count in sorted(downgraded.items()):
            warnings.append(f"{count} {schema} entit{'y' if count == 1 else 'ies'} lacked what the matching "
                            "canonical kind needs (e.g. a date, an amount, a person or organisation at "
                            "each end): kept as generic entities")
        progress(1.0, "staged")
        datasets = sorted({d for _, e in entities for d in (e.get("datasets") or [])})
        producer = dict(options.producer or {})
        if not producer.get("agency") and datasets:
            producer["agency"] = ", ".join(datasets)
        if options.producer_country:
            producer["country"] = options.producer_country
        return StagedSource(
            format="ftm", importer=self.name, title=options.title or path.name, producer=producer,
            handling=source, tables=staged_tables(file, tables), container_name=path.name,
            container_sha256=_sha256(path), default_timezone=options.timezone or "UTC",
            row_handlings=rh.by_key, warnings=warnings,
            manifest={"format": "ftm", "entities": len(entities), "datasets": datasets,
                      "followthemoney_schema": FTM_VERSION})

    # -- kinds ------------------------------------------------------------------
    @staticmethod
    def _property_identifiers(e: dict, row: int, key: str | None, add) -> None:
        props = e.get("properties") or {}
        for prop, kind in PROPERTY_IDENTIFIERS.items():
            if kind is None:
                continue
            for v in _vals(props, prop):
                add("identifiers", {"source_row": row, "handling_key": key, "owner": e["id"], "kind": kind,
                                    "value": v, "extra": {"derived_from": {"ftm_property": prop}}})

    @staticmethod
    def _transfer(e: dict, base: dict, add, by_id: dict) -> bool:
        props = e.get("properties") or {}

        def end(party: str, account: str) -> str | None:
            # The payer (an entity id of the file), else its account's number as written.
            if _one(props, party):
                return _one(props, party)
            acct = by_id.get(_one(props, account) or "")
            if acct is None:
                return _one(props, account)
            ap = acct.get("properties") or {}
            return _one(ap, "accountNumber", "iban", "number") or acct["id"]

        payer, beneficiary = end("payer", "payerAccount"), end("beneficiary", "beneficiaryAccount")
        time = _instant(_one(props, "date", "startDate"))
        amount, currency = _one(props, "amount"), _one(props, "currency")
        if amount is None:
            for prop, cur in (("amountEur", "EUR"), ("amountUsd", "USD")):
                if _one(props, prop):
                    amount, currency = _one(props, prop), cur
                    break
        if not (payer and beneficiary and time and amount):
            return False
        add("transfers", {**base, "from_account": payer, "to_account": beneficiary, "time": time,
                          "amount": amount, "currency": currency.upper() if currency else None,
                          "reference": _one(props, "recordId", "purpose")})
        return True

    @staticmethod
    def _call(e: dict, base: dict, add) -> bool:
        props = e.get("properties") or {}
        caller, callee = _one(props, "callerNumber"), _one(props, "receiverNumber")
        start = _instant(_one(props, "date", "startDate"))
        if not (caller and callee and start):
            return False
        add("calls", {**base, "caller": caller, "callee": callee, "start": start,
                      "duration_s": _one(props, "duration"), "kind": "voice"})
        return True

    @staticmethod
    def _owned_address(e: dict, base: dict, referrers: dict, by_id: dict, add) -> bool:
        props = e.get("properties") or {}
        owners = [o for o in referrers.get(e["id"], [])
                  if target_kind(by_id[o]["schema"]) in ("persons", "organizations")]
        full = _one(props, "full") or ", ".join(
            v for v in (_one(props, "street"), _one(props, "city"), _one(props, "country")) if v)
        if not owners or not full:
            return False
        for owner in owners:
            add("addresses", {**base, "owner": owner, "full": full, "city": _one(props, "city"),
                              "region": _one(props, "region", "state"), "country": _one(props, "country"),
                              "lat": _one(props, "latitude"), "lon": _one(props, "longitude")})
        return True

    @staticmethod
    def _relationship(e: dict, base: dict, by_id: dict, add) -> bool:
        props = e.get("properties") or {}
        src_prop, tgt_prop = SCHEMATA[e["schema"]]["edge"]
        source, target = _one(props, src_prop), _one(props, tgt_prop)
        ends = [by_id.get(x) for x in (source, target)]
        if not all(ends) or any(target_kind(x["schema"]) not in ("persons", "organizations") for x in ends):
            return False
        add("relationships", {**base, "source": source, "target": target,
                              "kind": RELATIONSHIP_KINDS[e["schema"]],
                              "start": _one(props, "startDate"), "end": _one(props, "endDate"),
                              "note": _one(props, "role", "relationship", "summary", "description")})
        return True


def _sha256(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


IMPORTER = register(FtmImporter())


def schema_table_from_library() -> dict[str, Any]:
    """The ``ftm_schema.SCHEMATA`` table as the installed followthemoney library has it."""
    from followthemoney import model  # only for regenerating and testing: not a run-time dependency

    out = {}
    for name in sorted(model.schemata):
        s = model.schemata[name]
        refs = {p.name: (p.range.name if p.range is not None else "Thing")
                for p in s.properties.values() if p.type.name == "entity" and not p.stub}
        out[name] = {"schemata": sorted(x.name for x in s.schemata),
                     "edge": [s.edge_source, s.edge_target] if s.edge else None,
                     "refs": dict(sorted(refs.items())), "props": sorted(s.properties)}
    return out


def _regenerate(target: Path) -> None:
    import followthemoney

    table = schema_table_from_library()
    body = json.dumps(table, indent=1, sort_keys=True)
    body = body.replace("null", "None").replace("true", "True").replace("false", "False")
    head = target.read_text(encoding="utf-8").split("FTM_VERSION = ")[0]
    target.write_text(f"{head}FTM_VERSION = {followthemoney.__version__!r}\n\nSCHEMATA = {body}\n",
                      encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - maintenance
    if "--regenerate-schema" in sys.argv:
        _regenerate(Path(__file__).with_name("ftm_schema.py"))
    else:
        raise SystemExit("usage: python -m workstation.formats.ftm --regenerate-schema")
