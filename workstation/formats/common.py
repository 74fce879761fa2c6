"""What the partner-format importers share: reading a JSON document with clear
errors, building the Arrow tables of a ``StagedSource``, and row handlings."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..errors import InputRefused, Problem
from ..importers import ImportOptions
from ..kinds import KINDS
from ..staging import Handling, StagedTable
from . import markings

log = logging.getLogger(__name__)

OBJECTS = "objects"
_OBJECT_COLUMNS = (("id", "text"), ("type", "text"), ("name", "text"), ("properties", "json"))
SNIFF_BYTES = 65536


def sniff(path: Path, n: int = SNIFF_BYTES) -> str:
    """The first ``n`` bytes of a file as text ('' for a directory or unreadable file)."""
    try:
        if not path.is_file():
            return ""
        with open(path, "rb") as f:
            head = f.read(n)
    except OSError:
        return ""
    return head.decode("utf-8", errors="replace").lstrip("\ufeff")


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def json_problem(text: str, e: json.JSONDecodeError, file: str) -> Problem:
    """A Problem for a JSON error: 'truncated' when the text ends before the value does."""
    line, col = _line_col(text, e.pos)
    # A string running to the end of the text, or an error where the text stops: cut short.
    if e.pos >= len(text.rstrip()) or e.msg.startswith("Unterminated string"):
        return Problem(f"truncated file: the JSON ends before the document is complete ({e.msg})",
                       file, line, f"character {col}")
    return Problem(f"malformed JSON: {e.msg}", file, line, f"character {col}")


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputRefused(f"{path.name}: cannot read the file", [Problem(str(e), path.name)]) from e
    try:
        return raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise InputRefused(f"{path.name}: refused, not UTF-8 text; the case was not changed",
                           [Problem(f"not UTF-8 text (byte {e.start})", path.name, line)]) from e


def read_json_document(path: Path, what: str) -> Any:
    """Parse a whole JSON document; refuse malformed or truncated input clearly."""
    text = read_text(path)
    if not text.strip():
        raise InputRefused(f"{path.name}: refused, the file is empty; the case was not changed",
                           [Problem(f"empty file, expected {what}", path.name)])
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        p = json_problem(text, e, path.name)
        raise InputRefused(f"{path.name}: refused, not a readable {what}; the case was not changed",
                           [p]) from e


def refuse(path: Path, problems: list[Problem], what: str = "") -> None:
    if problems:
        n = len(problems)
        raise InputRefused(f"{path.name}: refused{' ' + what if what else ''}, {n} problem"
                           f"{'s' if n != 1 else ''}; the case was not changed", problems)


def _types(kind: str) -> list[tuple[str, str]]:
    if kind == OBJECTS:
        return list(_OBJECT_COLUMNS)
    return [(c.name, c.type) for c in KINDS[kind]]


def _not_text(v: Any) -> str | None:
    """What a partner's value is when it is no text, number or date ('a JSON object'), else None."""
    if isinstance(v, dict):
        return "a JSON object"
    if isinstance(v, list | tuple):
        return "a JSON array"
    return None


def arrow_table(kind: str, rows: list[dict[str, Any]], file: str | None = None,
                problems: list[Problem] | None = None) -> pa.Table:
    """Rows (dicts in canonical names, plus ``source_row``, ``extra``, ``handling_key``)
    as an Arrow table with every canonical column of ``kind``.  A value of the wrong type (an
    object where text goes, a word where a number goes) is added to ``problems`` (file, row,
    column), not written as Python would print it."""
    problems = [] if problems is None else problems
    arrays: dict[str, pa.Array] = {}
    for name, typ in _types(kind):
        values = [r.get(name) for r in rows]
        if typ == "list":
            arrays[name] = pa.array([None if v is None else [str(x) for x in v] for v in values],
                                    pa.list_(pa.string()))
        elif typ == "number":
            numbers = []
            for r, v in zip(rows, values, strict=True):
                if v in (None, ""):
                    numbers.append(None)
                    continue
                try:
                    if isinstance(v, bool) or not isinstance(v, int | float | str):
                        raise ValueError
                    numbers.append(float(v))
                except ValueError:
                    problems.append(Problem(f"not a number: {json.dumps(v, ensure_ascii=False)}", file,
                                            int(r["source_row"]), name))
                    numbers.append(None)
            arrays[name] = pa.array(numbers, pa.float64())
        elif typ == "json":
            arrays[name] = pa.array([None if v is None else json.dumps(v, ensure_ascii=False, sort_keys=True)
                                     for v in values], pa.string())
        else:
            for r, v in zip(rows, values, strict=True):
                what = _not_text(v)
                if what:
                    problems.append(Problem(f"{what}, not text: {json.dumps(v, ensure_ascii=False)[:200]}",
                                            file, int(r["source_row"]), name))
            arrays[name] = pa.array([None if v is None else str(v) for v in values], pa.string())
    arrays["source_row"] = pa.array([int(r["source_row"]) for r in rows], pa.int64())
    arrays["extra"] = pa.array([None if r.get("extra") is None else
                                json.dumps(r["extra"], ensure_ascii=False, sort_keys=True) for r in rows],
                               pa.string())
    arrays["handling_key"] = pa.array([r.get("handling_key") for r in rows], pa.string())
    return pa.table(arrays)


# Partner formats do not say which columns are personal data; these are, wherever they
# come from (exports pseudonymise them for recipients without a legal basis, docs/handling.md).
# ``ftm`` / ``stix`` / ``misp`` are the keys of ``extra`` holding the object as received:
# naming them here makes the selection drop them from a masked row's ``extra``.
ORIGINALS = ["ftm", "stix", "misp"]
PERSONAL_DATA = {
    "persons": ["name", "aliases", "birth_date"],
    "identifiers": ["value"],
    "addresses": ["full", "lat", "lon"],
    "contacts": ["label", "value"],
    "calls": ["caller", "callee"],
    "messages": ["sender", "recipient", "body"],
    "transfers": ["from_account", "to_account"],
    "travel": ["person", "document"],
    "sightings": ["subject"],
    "relationships": ["note"],
    OBJECTS: ["name"],  # (properties is JSON: the selection cannot pseudonymise it in place)
}


def staged_tables(file: str, tables: dict[str, list[dict[str, Any]]]) -> list[StagedTable]:
    """One StagedTable per non-empty kind, in a stable order (entities first)."""
    order = ["persons", "organizations", OBJECTS] + [k for k in KINDS if k not in ("persons", "organizations")]
    out = []
    problems: list[Problem] = []
    for kind in order:
        rows = tables.get(kind)
        if rows:
            out.append(StagedTable(kind=kind, file=file, arrow=arrow_table(kind, rows, file, problems),
                                   personal_data=PERSONAL_DATA.get(kind, []) + ORIGINALS))
    if problems:
        problems.sort(key=lambda p: (p["row"] or 0, p["column"] or ""))
        n = len(problems)
        raise InputRefused(f"{file}: refused, {n} problem{'s' if n != 1 else ''}; the case was not changed",
                           problems[:100])
    return out


def options_handling(options: ImportOptions) -> Handling | None:
    h = options.handling
    if not h:
        return None
    return markings.handling_from_json(h, "--tlp")


class RowHandlings:
    """Collects the handlings of rows whose markings differ from the source's."""

    def __init__(self, source: Handling) -> None:
        self.source = source
        self.by_key: dict[str, Handling] = {}

    def key(self, h: Handling | None) -> str | None:
        if h is None:
            return None
        if not h.tlp:  # statements only: they inherit the source's TLP
            h.tlp = self.source.tlp
        if markings.same_marking(h, self.source):
            return None
        k = markings.handling_key(h)
        self.by_key.setdefault(k, h)
        return k
