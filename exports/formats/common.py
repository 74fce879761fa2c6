"""What the partner-format exporters share: a selection's rows as dicts, ids that
stay unique across sources, and the handling of each row."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from workstation.formats import markings
from workstation.staging import Handling

from ..registry import ExportError
from ..selection import SELECTION_KINDS, Selection

log = logging.getLogger(__name__)

MASK_PREFIX = "masked:"


class Row(dict):
    """One released row: canonical columns, ``source_id``, ``source_row``, ``extra``
    (parsed), ``handling`` (a ``Handling``) and ``masked`` (any value pseudonymised)."""


def _row(r: dict[str, Any]) -> Row:
    row = Row(r)
    row["extra"] = json.loads(r["extra"]) if r.get("extra") else {}
    h = json.loads(r["handling"]) if r.get("handling") else {}
    row["handling"] = Handling(tlp=h.get("tlp") or "", releasable_to=list(h.get("releasable_to") or []),
                               legal_basis=h.get("legal_basis"), caveats=list(h.get("caveats") or []))
    row["masked"] = any(isinstance(v, str) and v.startswith(MASK_PREFIX) for v in r.values()) or any(
        isinstance(v, list) and any(isinstance(x, str) and x.startswith(MASK_PREFIX) for x in v)
        for v in r.values())
    return row


def load(selection: Selection, kinds: Iterable[str] = SELECTION_KINDS) -> dict[str, list[Row]]:
    """The released rows of ``kinds`` in memory: entities and what links them (a partner
    document's worth).  Event kinds that can be millions of rows are streamed (``stream``)."""
    out: dict[str, list[Row]] = {}
    for kind in kinds:
        if selection.included.get(kind):
            out[kind] = [_row(r) for r in selection.arrow(kind).to_pylist()]
    return out


def stream(selection: Selection, kind: str, batch_size: int = 20000) -> Iterator[Row]:
    """The released rows of ``kind``, batch by batch (never the whole table in memory)."""
    if not selection.included.get(kind):
        return
    for batch in selection.reader(kind, batch_size):
        for r in batch.to_pylist():
            yield _row(r)


def uncarried(selection: Selection, kinds: Iterable[str], skipped: Counter) -> None:
    """Count the released rows of kinds a format does not carry (without reading them)."""
    for kind in kinds:
        if selection.included.get(kind):
            skipped[kind] += selection.included[kind]


def original(row: Row, key: str) -> Any:
    """The partner object as received (``extra[key]``), unless the row was masked:
    a masked row is rebuilt from its (pseudonymised) columns only."""
    if row["masked"]:
        return None
    return row["extra"].get(key)


def derived(row: Row, fmt: str) -> bool:
    """Rows an importer of ``fmt`` derived from another row's object: that object, written
    back in its own format, carries them already (other formats write them out)."""
    origin = row["extra"].get("derived_from") or {}
    return any(str(k).startswith(fmt) for k in origin)


class Ids:
    """Local ids are local to their source: keep them as written unless two sources
    of the export use the same one, then prefix the source number."""

    def __init__(self, rows: dict[str, list[Row]], id_kinds: tuple[str, ...] = ("persons", "organizations",
                                                                                  "objects"),
                 extra: Iterable[tuple[int, str]] = ()) -> None:
        """``extra``: further (source, id) pairs the export writes (a partner's edge objects)."""
        owners: dict[str, set[int]] = {}
        for kind in id_kinds:
            for r in rows.get(kind, []):
                owners.setdefault(r["id"], set()).add(r["source_id"])
        for sid, local in extra:
            owners.setdefault(local, set()).add(sid)
        self.clash = {i for i, s in owners.items() if len(s) > 1}
        self.known = {(sid, i) for i, s in owners.items() for sid in s}

    def __call__(self, source_id: int, local: str | None) -> str | None:
        if local is None:
            return None
        # "s2-p1": an FtM entity id (letters, digits, dots and hyphens), as long as the local one is
        return f"s{source_id}-{local}" if local in self.clash else local

    def has(self, source_id: int, local: str | None) -> bool:
        return (source_id, local) in self.known


def check_expressible(rows: dict[str, list[Row]], fmt: str, drop: bool) -> None:
    """Refuse an export whose markings the format cannot express, unless ``drop``."""
    if drop:
        return
    bad = Counter(r["handling"].tlp for rs in rows.values() for r in rs
                  if markings.normalise_tlp(r["handling"].tlp) is None)
    refuse_unexpressible(bad, fmt)


def refuse_unexpressible(bad: Counter, fmt: str) -> None:
    if bad:
        raise ExportError(
            f"{fmt} cannot express these markings: "
            + ", ".join(f"TLP {t!r} on {n} row{'s' if n != 1 else ''}" for t, n in sorted(bad.items()))
            + "; refusing (give --drop-markings to export without markings; the audit log records it)")


def handling_json(h: Handling) -> dict[str, Any]:
    return {"tlp": h.tlp, "releasable_to": list(h.releasable_to), "legal_basis": h.legal_basis,
            "caveats": list(h.caveats)}


def not_carried(counter: Counter) -> dict[str, int]:
    return {k: v for k, v in sorted(counter.items()) if v}
