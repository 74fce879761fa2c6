"""Markings of the partner formats ↔ Lintas handling (``workstation.staging.Handling``).

* STIX 2.1: TLP 1.0 marking definitions (predefined by STIX 2.1), TLP 2.0 marking
  definitions (the OASIS TLP 2.0 extension), statement markings (kept as caveats,
  or as releasability / legal basis when Lintas wrote them).
* MISP: ``tlp:*`` tags and distribution levels (0–5).
* FollowTheMoney has no marking model: Lintas writes a ``handling`` member beside
  ``id``/``schema``/``properties`` and reads it back (docs/partner-formats.md).

TLP 1.0 ``WHITE`` becomes TLP 2.0 ``CLEAR``; the other TLP 1.0 labels keep their
name.  Where several markings apply to one thing, the strictest TLP wins and the
releasability lists, caveats and legal bases are joined: a marking never gets
weaker by conversion.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from typing import Any

from ..handling import normalise_tlp
from ..kinds import TLP_LEVELS
from ..staging import Handling

log = logging.getLogger(__name__)

_RANK = {t: i for i, t in enumerate(TLP_LEVELS)}

# -- STIX ------------------------------------------------------------------------
TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"

# Published identifiers (STIX 2.1 §7.2.1.4 for TLP 1.0; OASIS cti-stix-common-objects for 2.0).
TLP1_IDS = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": "WHITE",
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": "GREEN",
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": "AMBER",
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": "RED",
}
TLP2_IDS = {
    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487": "CLEAR",
    "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb": "GREEN",
    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421": "AMBER",
    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003": "AMBER+STRICT",
    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1": "RED",
}
TLP2_BY_LABEL = {v: k for k, v in TLP2_IDS.items()}

# Statement markings Lintas writes for what TLP does not say (read back exactly).
RELEASABLE_PREFIX = "Releasable to: "
LEGAL_BASIS_PREFIX = "Legal basis: "
CAVEAT_PREFIX = "Caveat: "


class MarkingError(ValueError):
    """A marking that cannot be read (or expressed in a target format)."""


def strictest_tlp(tlps: Iterable[str | None]) -> str | None:
    best: str | None = None
    for t in tlps:
        n = normalise_tlp(t)
        if n is not None and (best is None or _RANK[n] > _RANK[best]):
            best = n
    return best


def merge(handlings: Iterable[Handling]) -> Handling | None:
    """The combined handling of several markings: strictest TLP, lists joined."""
    hs = list(handlings)
    if not hs:
        return None
    tlp = strictest_tlp(h.tlp for h in hs) or "AMBER"
    releasable: list[str] = []
    caveats: list[str] = []
    bases: list[str] = []
    labels: list[str] = []
    for h in hs:
        releasable += [r for r in h.releasable_to if r not in releasable]
        caveats += [c for c in h.caveats if c not in caveats]
        if h.legal_basis and h.legal_basis not in bases:
            bases.append(h.legal_basis)
        if h.label and h.label not in labels:
            labels.append(h.label)
    # Two releasability lists from two markings: a recipient must be on both.
    lists = [h.releasable_to for h in hs if h.releasable_to]
    if len(lists) > 1:
        releasable = [r for r in lists[0] if all(r in other for other in lists[1:])]
    return Handling(tlp=tlp, releasable_to=releasable, legal_basis="; ".join(bases) or None,
                    caveats=caveats, label=", ".join(labels) or None)


def handling_key(h: Handling) -> str:
    """A stable key for a handling (used as ``handling_key`` in staged rows)."""
    return json.dumps({"tlp": h.tlp, "releasable_to": h.releasable_to, "legal_basis": h.legal_basis,
                       "caveats": h.caveats, "label": h.label}, sort_keys=True, ensure_ascii=False)


def same_marking(a: Handling, b: Handling) -> bool:
    return (a.tlp, sorted(a.releasable_to), a.legal_basis, sorted(a.caveats)) == \
        (b.tlp, sorted(b.releasable_to), b.legal_basis, sorted(b.caveats))


def stix_definition_handling(ref: str, definition: dict | None) -> Handling | None:
    """The handling one STIX marking definition stands for (None: not a marking we know).

    ``definition`` is the marking-definition object when the bundle holds it; the
    published TLP identifiers are recognised without it."""
    if ref in TLP2_IDS:
        return Handling(tlp=TLP2_IDS[ref], label=f"TLP:{TLP2_IDS[ref]} (TLP 2.0)")
    if ref in TLP1_IDS:
        name = TLP1_IDS[ref]
        return Handling(tlp=normalise_tlp(name) or "AMBER", label=f"TLP:{name} (TLP 1.0)")
    if not definition:
        return None
    ext = (definition.get("extensions") or {}).get(TLP2_EXTENSION)
    if isinstance(ext, dict) and ext.get("tlp_2_0"):
        tlp = normalise_tlp(ext["tlp_2_0"])
        if tlp is None:
            raise MarkingError(f"{ref}: unknown TLP 2.0 level {ext['tlp_2_0']!r}")
        return Handling(tlp=tlp, label=f"TLP:{tlp} (TLP 2.0)")
    dtype = definition.get("definition_type")
    body = definition.get("definition") or {}
    if dtype == "tlp":
        name = str(body.get("tlp", "")).upper()
        tlp = normalise_tlp(name)
        if tlp is None:
            raise MarkingError(f"{ref}: unknown TLP level {body.get('tlp')!r}")
        return Handling(tlp=tlp, label=f"TLP:{name} (TLP 1.0)")
    if dtype == "statement":
        text = str(body.get("statement", ""))
        return _statement_handling(text)
    return None


def _statement_handling(text: str) -> Handling:
    # A statement alone says nothing about TLP: its TLP is the least strict, so that
    # merging it with a TLP marking keeps that marking's level.
    h = Handling(tlp="CLEAR", label=None)
    if text.startswith(RELEASABLE_PREFIX):
        h.releasable_to = [c.strip() for c in text[len(RELEASABLE_PREFIX):].split(",") if c.strip()]
    elif text.startswith(LEGAL_BASIS_PREFIX):
        h.legal_basis = text[len(LEGAL_BASIS_PREFIX):]
    elif text.startswith(CAVEAT_PREFIX):
        h.caveats = [text[len(CAVEAT_PREFIX):]]
    else:
        h.caveats = [text]
    return h


def handling_from_stix(refs: Iterable[str], definitions: dict[str, dict]) -> Handling | None:
    """Combine the marking definitions ``refs`` (ids) into one handling.

    Raises ``MarkingError`` for a reference to a marking that is neither in the
    bundle nor a published TLP definition."""
    parts: list[Handling] = []
    has_tlp = False
    for ref in refs:
        if ref not in definitions and ref not in TLP1_IDS and ref not in TLP2_IDS:
            raise MarkingError(f"marking {ref} is neither defined in the bundle nor a published TLP marking")
        h = stix_definition_handling(ref, definitions.get(ref))
        if h is None:
            d = definitions.get(ref) or {}
            h = Handling(tlp="CLEAR", caveats=[f"STIX marking {d.get('name') or ref}"])
        else:
            dtype = (definitions.get(ref) or {}).get("definition_type")
            has_tlp = has_tlp or dtype != "statement"
        parts.append(h)
    if not parts:
        return None
    merged = merge(parts)
    if merged is not None and not has_tlp:
        merged.tlp = ""  # statements only: the caller fills in the TLP it inherits
    return merged


def stix_marking_objects(h: Handling) -> tuple[list[str], list[dict[str, Any]]]:
    """The ``object_marking_refs`` for a handling and the marking-definition objects
    they need in the bundle (TLP 2.0 plus statements for what TLP does not say)."""
    tlp = normalise_tlp(h.tlp)
    if tlp is None:
        raise MarkingError(f"TLP {h.tlp!r} is not a TLP 2.0 label: STIX 2.1 cannot express it")
    ref = TLP2_BY_LABEL[tlp]
    objs = [tlp2_definition(tlp)]
    refs = [ref]
    statements = []
    if h.releasable_to:
        statements.append(RELEASABLE_PREFIX + ", ".join(h.releasable_to))
    if h.legal_basis:
        statements.append(LEGAL_BASIS_PREFIX + h.legal_basis)
    statements += [CAVEAT_PREFIX + c for c in h.caveats]
    for s in statements:
        d = statement_definition(s)
        refs.append(d["id"])
        objs.append(d)
    return refs, objs


def tlp2_definition(tlp: str) -> dict[str, Any]:
    return {"type": "marking-definition", "spec_version": "2.1", "id": TLP2_BY_LABEL[tlp],
            "created": TLP2_CREATED, "name": f"TLP:{tlp}",
            "extensions": {TLP2_EXTENSION: {"extension_type": "property-extension",
                                            "tlp_2_0": tlp.lower()}}}


def statement_definition(text: str) -> dict[str, Any]:
    import uuid
    ident = uuid.uuid5(uuid.NAMESPACE_URL, "lintas:statement:" + text)
    return {"type": "marking-definition", "spec_version": "2.1", "id": f"marking-definition--{ident}",
            "created": TLP2_CREATED, "definition_type": "statement",
            "definition": {"statement": text}}


# -- MISP ------------------------------------------------------------------------
DISTRIBUTION = {
    0: "Your organisation only",
    1: "This community only",
    2: "Connected communities",
    3: "All communities",
    4: "Sharing group",
    5: "Inherit event",
}
# Without a tlp: tag, the TLP a distribution level stands for (docs/partner-formats.md).
DISTRIBUTION_TLP = {0: "AMBER+STRICT", 1: "AMBER", 2: "AMBER", 3: "GREEN", 4: "AMBER"}

_TAG_RE = re.compile(r'^lintas:(releasable-to|legal-basis|caveat)="(.*)"$', re.S)
_DIST_CAVEAT = "MISP distribution: "


def misp_tlp(tags: Iterable[str]) -> str | None:
    """The strictest TLP among MISP tags (``tlp:white`` = CLEAR; ``tlp:ex:*`` ignored)."""
    found = []
    for t in tags:
        s = str(t).strip().lower()
        if s.startswith("tlp:") and not s.startswith("tlp:ex:"):
            n = normalise_tlp(s)
            if n is None:
                raise MarkingError(f"unknown TLP tag {t!r}")
            found.append(n)
    return strictest_tlp(found)


def _dist(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        d = int(value)
    except (TypeError, ValueError) as e:
        raise MarkingError(f"distribution {value!r} is not a MISP distribution level (0-5)") from e
    if d not in DISTRIBUTION:
        raise MarkingError(f"distribution {value!r} is not a MISP distribution level (0-5)")
    return d


def handling_from_misp(tags: Iterable[str], distribution: Any, sharing_group: str | None = None,
                       parent: Handling | None = None) -> Handling | None:
    """The handling of a MISP event (``parent`` None) or of an attribute/object in it.

    Returns None when an attribute adds nothing to its event's handling (no TLP tag,
    no Lintas tag, distribution 5 = inherit or absent)."""
    tags = [str(t) for t in tags]
    tlp = misp_tlp(tags)
    dist = _dist(distribution)
    extra = Handling(tlp="CLEAR")
    for t in tags:
        m = _TAG_RE.match(t)
        if not m:
            continue
        what, value = m.groups()
        if what == "releasable-to":
            extra.releasable_to += [c.strip() for c in value.split(",") if c.strip()]
        elif what == "legal-basis":
            extra.legal_basis = value
        else:
            extra.caveats.append(value)
    own_dist = dist is not None and dist != 5
    lintas_tags = bool(extra.releasable_to or extra.legal_basis or extra.caveats)
    if parent is not None and tlp is None and not own_dist and not lintas_tags:
        return None
    if tlp is None:
        if own_dist:
            tlp = DISTRIBUTION_TLP[dist]
        elif parent is not None:
            tlp = parent.tlp
        else:
            tlp = None
    label_parts = []
    if tlp is not None and any(str(t).lower().startswith("tlp:") for t in tags):
        label_parts.append(f"tlp:{tlp.lower()}")
    h = Handling(tlp=tlp or "AMBER")
    if own_dist:
        words = DISTRIBUTION[dist] + (f" ({sharing_group})" if dist == 4 and sharing_group else "")
        h.caveats.append(_DIST_CAVEAT + words)
        label_parts.append(f"distribution {dist}")
    h.label = "MISP " + ", ".join(label_parts) if label_parts else None
    parts = [h, extra] if lintas_tags else [h]
    if parent is not None:
        parts.append(parent)
    merged = merge(parts)
    assert merged is not None
    if tlp is None and parent is None and not own_dist:
        merged.tlp = ""  # no marking at all on the event: the caller decides
    return merged


def misp_tags_for(h: Handling) -> tuple[list[str], int | None]:
    """MISP tags and distribution level expressing a handling.

    The distribution is the one a ``MISP distribution: …`` caveat records (a row that
    came from MISP), else None: the caller writes 5 (inherit) or leaves it out, so
    that reading the event back gives exactly ``h`` again."""
    tlp = normalise_tlp(h.tlp)
    if tlp is None:
        raise MarkingError(f"TLP {h.tlp!r} is not a TLP 2.0 label: MISP's tlp taxonomy cannot express it")
    tags = [f"tlp:{tlp.lower()}"]
    dist: int | None = None
    for c in h.caveats:
        if c.startswith(_DIST_CAVEAT):
            words = c[len(_DIST_CAVEAT):]
            levels = [k for k, v in DISTRIBUTION.items() if words == v and k != 4]
            if levels:
                dist = levels[0] if dist is None else min(dist, levels[0])
                continue
        tags.append(f'lintas:caveat="{c}"')
    if h.releasable_to:
        tags.append(f'lintas:releasable-to="{", ".join(h.releasable_to)}"')
    if h.legal_basis:
        tags.append(f'lintas:legal-basis="{h.legal_basis}"')
    return tags, dist


# -- FollowTheMoney (Lintas extension member) --------------------------------------
def handling_from_json(data: Any, where: str) -> Handling:
    """The ``handling`` member Lintas writes on FtM entities (same shape as a manifest's)."""
    if not isinstance(data, dict):
        raise MarkingError(f"{where}: 'handling' must be an object")
    tlp = normalise_tlp(data.get("tlp"))
    if tlp is None:
        raise MarkingError(f"{where}: handling.tlp {data.get('tlp')!r} is not a TLP 2.0 label")
    return Handling(tlp=tlp, releasable_to=list(data.get("releasable_to") or []),
                    legal_basis=data.get("legal_basis"), caveats=list(data.get("caveats") or []),
                    label=data.get("label"))
