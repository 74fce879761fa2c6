"""The releasable selection of a case for one recipient (issue 6, items 1 and 3).

``select(case, recipient, subjects=None, masking="auto")`` decides, in SQL over
the whole case (no Python loop over rows), for every row of every canonical
kind:

* its handling (its own ``handling_id`` row of ``handlings``, else its source's)
  and the ``workstation.handling`` reason code for the recipient;
* whether it involves a *withheld entity* — a person or organisation row
  withheld by its handling — in which case a row otherwise releasable is
  withheld with it (code ``withheld-entity``).  "Involves" means: owned by it
  (identifiers, addresses, contacts), one end of a relationship, its travel and
  sightings, and calls, messages, transfers, contacts and sightings whose
  number, handle, account, passport or plate is one of its identifiers;
* when ``subjects`` are given (entity ids or ids as written), whether it is in
  scope: the subjects (and entities judged the same as them), their
  identifiers, addresses and contacts, relationships with them (and the names
  at the other end), and the calls, messages, transfers, travel and sightings
  that involve them.  Out-of-scope rows are simply not selected; they are not
  "withheld" and not counted as such;
* whether its personal-data columns (``source_files.personal_data``) are
  masked for the recipient (``workstation.handling.personal_data_treatment``).

The decisions live in temporary tables on the selection's own cursor; the rows
themselves are read on demand (``reader``/``arrow``) by joining back on the
table's ``rowid``, so a 10-million-row table is never copied.  What was
withheld is only ever counted (per source, kind and reason), never read.
"""

from __future__ import annotations

import itertools
import json
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from workstation import attachments as files
from workstation import handling as H
from workstation.case import Case
from workstation.kinds import KINDS
from workstation.progress import NULL, Progress
from workstation.sql import ident

log = logging.getLogger(__name__)

OBJECTS = "objects"
SELECTION_KINDS: tuple[str, ...] = (*KINDS, OBJECTS)

# How a row of a kind "involves" an entity, in the kind's own columns:
#   local: columns holding an id as written in the same source (+ resolved entity id column)
#   keys:  columns holding a number / handle / account / document as written (+ normalised column)
_LINKS: dict[str, dict[str, list[tuple[str, str | None]]]] = {
    "identifiers": {"local": [("owner", "owner_entity_id")], "keys": []},
    "addresses": {"local": [("owner", "owner_entity_id")], "keys": []},
    "relationships": {"local": [("source", "source_entity_id"), ("target", "target_entity_id")],
                      "keys": []},
    "contacts": {"local": [("owner", "owner_entity_id")],
                 "keys": [("owner", "owner_norm"), ("value", "value_norm")]},
    "calls": {"local": [], "keys": [("caller", "caller_e164"), ("callee", "callee_e164")]},
    "messages": {"local": [], "keys": [("sender", "sender_norm"), ("recipient", "recipient_norm")]},
    "transfers": {"local": [], "keys": [("from_account", None), ("to_account", None)]},
    "travel": {"local": [("person", "person_entity_id")], "keys": [("document", "document_norm")]},
    "sightings": {"local": [("subject", "subject_entity_id")], "keys": [("subject", "subject_norm")]},
}
_ENTITY_KINDS = ("persons", "organizations")

# Values shorter than this (after stripping punctuation) never link rows to an entity.
_MIN_KEY = 3


def _key(expr: str) -> str:
    """The matching key of a number, handle, account or document as written."""
    k = f"upper(regexp_replace(CAST({expr} AS VARCHAR), '[^0-9A-Za-z@]', '', 'g'))"
    return f"(CASE WHEN length({k}) >= {_MIN_KEY} THEN {k} END)"


@dataclass
class Withheld:
    source_id: int
    bundle_id: str | None
    source_title: str | None
    producer_country: str | None
    kind: str
    reason: str
    rows: int

    def for_recipient(self) -> dict[str, Any]:
        """What the recipient is told: the source by its bundle id and producer, not its
        title (the title of a withheld source can itself say too much)."""
        r = H.reason(self.reason)
        return {"bundle_id": self.bundle_id, "producer_country": self.producer_country, "kind": self.kind,
                "reason": self.reason, "reason_text": r.en, "rows": self.rows}

    def to_json(self) -> dict[str, Any]:
        r = H.reason(self.reason)
        return {"source_id": self.source_id, "bundle_id": self.bundle_id, "source_title": self.source_title,
                "producer_country": self.producer_country, "kind": self.kind, "reason": self.reason,
                "reason_text": r.en, "rows": self.rows}


@dataclass
class Selection:
    """What may go to one recipient.  Use as a context manager or call ``close()``."""

    case: Case
    recipient: str
    subjects: list[str] | None
    masking: str
    salt: str
    con: Any
    prefix: str
    included: dict[str, int] = field(default_factory=dict)
    masked: dict[str, int] = field(default_factory=dict)
    not_selected: dict[str, int] = field(default_factory=dict)
    withheld: list[Withheld] = field(default_factory=list)
    handlings: list[dict[str, Any]] = field(default_factory=list)
    tlp: str = "CLEAR"
    attachments_included: int = 0
    attachments_withheld: int = 0

    # -- reading rows -----------------------------------------------------
    def _t(self, what: str) -> str:
        return ident(f"{self.prefix}_{what}")

    def query(self, kind: str, columns: Iterable[str] | None = None, markings: bool = False) -> str:
        """SQL (no parameters) of the released rows of ``kind`` on this selection's cursor.

        Columns: the kind's canonical columns (personal data masked where the rules
        say), then ``source_id``, ``source_row``, ``source_bundle_id``, ``extra``
        (JSON text of the unknown columns; personal-data keys removed when masked)
        and ``handling`` (JSON text: tlp, releasable_to, legal_basis, caveats); with
        ``markings`` also ``tlp`` and ``releasable_to`` (a list) of each row's handling."""
        if kind not in SELECTION_KINDS:
            raise KeyError(kind)
        cols = list(columns) if columns is not None else self.query_columns(kind)
        sel = []
        for c in cols:
            sel.append(f"{self._masked_col(kind, c)} AS {ident(c)}")
        sel += ["t.source_id AS source_id", "t.source_row AS source_row",
                "s.bundle_id AS source_bundle_id",
                "CAST(CASE WHEN d.masked AND pd.extra_patch IS NOT NULL "
                "THEN json_merge_patch(t.extra, pd.extra_patch) ELSE t.extra END AS VARCHAR) AS extra",
                "hd.handling AS handling"]
        if markings:
            sel += ["hd.h_tlp AS tlp", "hd.h_rel AS releasable_to"]
        return (f"SELECT {', '.join(sel)} FROM {ident(kind)} t CROSS JOIN {self._t('params')} p "
                f"JOIN {self._t(kind)} d ON d.rid = t.rowid JOIN {self._t('hd')} hd ON hd.hid = d.hid "
                f"JOIN sources s ON s.source_id = t.source_id "
                f"LEFT JOIN {self._t('pd')} pd ON pd.source_id = t.source_id AND pd.kind = '{kind}' "
                f"WHERE d.included ORDER BY t.rowid")  # rowid: the order rows were imported in

    def query_columns(self, kind: str) -> list[str]:
        """The columns ``query`` gives by default: canonical ones, and ``role`` of persons."""
        return _canonical(kind) + (["role"] if kind == "persons" else [])

    def _masked_col(self, kind: str, col: str) -> str:
        typ = _col_type(kind, col)
        c = f"t.{ident(col)}"
        base = _personal_base(kind, col)
        if base is None:
            return c
        cond = f"d.masked AND list_contains(pd.cols, '{base}')"
        if typ == "list":
            masked = f"list_transform({c}, lambda x: {H.mask_value_sql('x', 'p.salt')})"
        elif typ == "text":
            masked = H.mask_value_sql(c, "p.salt")
        elif typ == "time":   # a required time keeps its day only
            utc = f"t.{ident(base + '_utc')}"
            masked = (f"date_trunc('day', {utc})" if col.endswith("_utc")
                      else f"strftime(date_trunc('day', {utc}), '%Y-%m-%dT00:00:00Z')")
        else:
            masked = "NULL"
        return f"(CASE WHEN {cond} THEN {masked} ELSE {c} END)"

    def stored_columns(self, kind: str) -> list[str]:
        """Every stored column of ``kind`` in the case (canonical, companions, extras)."""
        return [r[0] for r in self.con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main' "
            "AND database_name = current_database() ORDER BY column_index", [kind]).fetchall()]

    def reader(self, kind: str, batch_size: int = 65536) -> pa.RecordBatchReader:
        """The released rows of ``kind`` as a stream (the temp tables live on ``self.con``:
        finish or close the reader before the next query on this selection)."""
        return self.con.sql(self.query(kind)).to_arrow_reader(batch_size)

    def arrow(self, kind: str, columns: Iterable[str] | None = None) -> pa.Table:
        return self.con.sql(self.query(kind, columns)).to_arrow_table()

    def attachments(self, content: bool = True) -> pa.Table:
        """Released attachments (one row per file): path, sha256, bytes, media_type,
        title, describes, source_id, and with ``content`` their content (BLOB).  Without it, for
        a case whose files are large: ``content_of`` reads one at a time."""
        blob = ", b.content" if content else ""
        join = "JOIN attachment_blobs b ON b.sha256 = a.sha256 " if content else ""
        return self.con.sql(
            f"SELECT a.path, a.sha256, a.bytes, a.media_type, a.title, a.describes, a.source_id{blob} "
            f"FROM {self._t('att')} a {join}WHERE a.included "
            f"AND EXISTS (SELECT 1 FROM attachment_chunks x WHERE x.sha256 = a.sha256) "
            f"ORDER BY a.source_id, a.path").to_arrow_table()

    def _released(self, sha256: str) -> None:
        if self.con.execute(f"SELECT 1 FROM {self._t('att')} WHERE sha256 = ? AND included LIMIT 1",
                            [sha256]).fetchone() is None:
            raise KeyError(f"attachment {sha256} is not released in this selection")

    def content_of(self, sha256: str) -> bytes:
        """The content of one released attachment (a small one: a photo)."""
        self._released(sha256)
        return files.content(self.con, sha256)

    def write_content(self, sha256: str, out) -> int:
        """Write one released attachment to ``out``, chunk by chunk (it may be larger than memory)."""
        self._released(sha256)
        return files.write_to(self.con, sha256, out)

    def copy_content(self, sha256: str, dst) -> None:
        """Copy one released attachment into another case connection, chunk by chunk."""
        self._released(sha256)
        files.copy(self.con, dst, sha256)

    def summary(self) -> dict[str, Any]:
        """Stable JSON: what is included and what was withheld (counts only)."""
        return {"recipient": self.recipient, "subjects": self.subjects, "masking": self.masking,
                "tlp": self.tlp, "included": dict(self.included), "masked": dict(self.masked),
                "not_selected": dict(self.not_selected),
                "attachments": {"included": self.attachments_included,
                                "withheld": self.attachments_withheld},
                "withheld": [w.to_json() for w in self.withheld],
                "withheld_total": sum(w.rows for w in self.withheld),
                "handlings": self.handlings}

    def close(self) -> None:
        for what in self._temps():
            self.con.execute(f"DROP TABLE IF EXISTS {self._t(what)}")

    def _temps(self) -> list[str]:
        return (["params", "wh_local", "wh_keys", "wh_vals", "rel_local", "rel_keys", "rel_vals",
                 "sc_local", "sc_keys", "sc_vals", "sc_names",
                 "sc_ids", "att"]
                + ["pd", "hd", "pkg_ids"] + list(SELECTION_KINDS))

    def __enter__(self) -> Selection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _canonical(kind: str) -> list[str]:
    if kind == OBJECTS:
        return ["id", "type", "name", "properties"]
    return [c.name for c in KINDS[kind]]


_COMPANION_SUFFIXES = ("_utc", "_e164", "_norm", "_iso", "_folded")
_NOT_PERSONAL = {"source_id", "source_row", "handling_id", "extra", "role", "entity_id", "owner_entity_id",
                 "source_entity_id", "target_entity_id", "person_entity_id", "subject_entity_id"}


def _personal_base(kind: str, col: str) -> str | None:
    """The canonical column whose being personal data makes ``col`` personal data too
    (itself, or the value a companion is derived from: ``caller_e164`` → ``caller``)."""
    if col in _NOT_PERSONAL:
        return None
    canon = set(_canonical(kind))
    if col in canon:
        return col
    if kind == "persons" and col == "birth_year":
        return "birth_date"
    if kind == "persons" and col == "name_folded":
        return "name"
    for suffix in _COMPANION_SUFFIXES:
        if col.endswith(suffix) and col[: -len(suffix)] in canon:
            return col[: -len(suffix)]
    return col


def _col_type(kind: str, col: str) -> str:
    """How a column is masked: ``text`` (a pseudonym), ``list`` (a pseudonym per element),
    ``time`` (a required time: its day, in UTC; an optional one: empty) or ``null`` (empty:
    dates, countries, numbers — a pseudonym would not be a valid value of the column and
    the recipient could not import the package)."""
    if kind == OBJECTS:
        return "text"
    columns = {c.name: c for c in KINDS[kind]}
    if col in columns:
        c = columns[col]
        if c.type == "list":
            return "list"
        if c.type in ("text", "phone", "address"):
            return "text"
        if c.type == "time":
            return "time" if c.required else "null"
        return "null"
    if col.endswith(("_e164", "_norm", "_folded")):
        return "text"
    if col.endswith("_utc") and col[:-4] in columns:
        return "time" if columns[col[:-4]].required else "null"
    if col in ("role", "extra"):
        return "text"
    return "null" if col.endswith("_iso") or col == "birth_year" else "text"


_counter = itertools.count(1)


def select(case: Case, recipient: str, subjects: Iterable[str | int] | None = None,
           masking: str = "auto", salt: str | None = None, progress: Progress = NULL) -> Selection:
    """Compute the releasable selection of ``case`` for ``recipient``."""
    rcpt = H.normalise_code(recipient)
    if not rcpt:
        raise H.HandlingError("an export needs a recipient (a country or organisation code)")
    if masking not in H.MASKING_MODES:
        raise H.HandlingError(f"masking must be one of {', '.join(H.MASKING_MODES)}, not {masking!r}")
    subj = [str(s).strip() for s in subjects if str(s).strip()] if subjects else None
    con = case.cursor()
    sel = Selection(case, rcpt, subj or None, masking, salt or secrets.token_hex(16), con,
                    f"_sel{next(_counter)}_{secrets.token_hex(4)}")
    # one transaction for the ~100 statements (each on its own costs a commit), which also
    # gives every decision the same snapshot of the case
    con.execute("BEGIN TRANSACTION")
    try:
        _build(sel, progress)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        sel.close()
        raise
    return sel


def _build(sel: Selection, progress: Progress) -> None:
    con, T = sel.con, sel._t
    con.execute(f"CREATE TEMP TABLE {T('params')} AS SELECT ?::VARCHAR AS recipient, ?::VARCHAR AS salt",
                [sel.recipient, sel.salt])
    existing = _existing(con)
    kinds = [k for k in SELECTION_KINDS if k in existing]
    # kinds without a row get an empty decision table (planning the full one costs ~50 ms each)
    counts = dict(con.execute(" UNION ALL ".join(
        f"SELECT '{k}', count(*) FROM (SELECT 1 FROM {ident(k)} LIMIT 1)" for k in kinds)).fetchall())
    for k in [k for k in kinds if not counts.get(k)]:
        con.execute(f"CREATE TEMP TABLE {T(k)} (rid BIGINT, source_id INTEGER, hid INTEGER, code VARCHAR, "
                    f"pd_code VARCHAR, in_scope BOOLEAN, has_pd BOOLEAN, included BOOLEAN, "
                    f"masked BOOLEAN)")
    empty = [k for k in kinds if not counts.get(k)]
    steps = len(kinds) + 6
    step = itertools.count()

    def tick(msg: str) -> None:
        progress(next(step) / steps, msg)

    tick("personal-data columns")
    _personal_data(sel)
    _handlings(sel)
    # 1. persons and organisations: their own handling decides (and, with subjects, scope)
    entity_kinds = [k for k in _ENTITY_KINDS if k in kinds]
    for kind in entity_kinds:
        tick(f"handling of {kind}")
        if kind not in empty:
            _decide(sel, kind, involves="false", scope="true")
    # 2. withheld entities, and the numbers / handles / accounts / documents they own
    tick("withheld entities")
    _entity_sets(sel, entity_kinds, "wh", f"NOT {H.released_sql('d.code')}")
    # a number or account that a released record attributes to a released person is that
    # person's: events with it are about someone the recipient may know of, and go
    _entity_sets(sel, entity_kinds, "rel", H.released_sql("d.code"), released_identifiers_only=True)
    con.execute(f"DELETE FROM {T('wh_keys')} WHERE k IN (SELECT k FROM {T('rel_keys')})")
    con.execute(f"DELETE FROM {T('wh_vals')} WHERE v IN (SELECT v FROM {T('rel_vals')})")
    # 3. subjects in scope
    if sel.subjects:
        tick("subjects")
        _subject_sets(sel, kinds)
        for kind in entity_kinds:
            con.execute(f"UPDATE {T(kind)} d SET in_scope = EXISTS (SELECT 1 FROM {T('sc_names')} l "
                        f"WHERE l.kind = '{kind}' AND l.rid = d.rid)")
    for kind in entity_kinds:
        con.execute(f"UPDATE {T(kind)} SET included = in_scope AND {H.released_sql('code')}, "
                    f"masked = in_scope AND {H.released_sql('code')} AND {H.masked_sql('pd_code')} AND has_pd")
    # 4. every other kind: its handling, then withheld with a withheld entity it involves,
    #    and in scope when it involves a subject
    for kind in kinds:
        if kind in _ENTITY_KINDS or kind in empty:
            continue
        tick(f"handling of {kind}")
        involves = _involves_sql(sel, kind, "wh") if kind in _LINKS else "false"
        if not sel.subjects:
            scope = "true"
        else:
            scope = _involves_sql(sel, kind, "sc") if kind in _LINKS else "false"
        _decide(sel, kind, involves, scope)

    # 5. attachments: released by their source's handling, describing no withheld entity,
    #    and (with subjects) describing a selected person or organisation
    tick("attachments")
    _attachments(sel)

    # 6. counts
    tick("counting")
    _count(sel, kinds)
    progress(1.0, f"selection for {sel.recipient}: {sum(sel.included.values())} rows, "
                  f"{sum(w.rows for w in sel.withheld)} withheld")


def _personal_data(sel: Selection) -> None:
    """``pd`` (kind, source_id, cols, extra_patch): the personal-data columns each source
    declared per kind (canonical names; any other name is an unknown column kept in
    ``extra``, which ``extra_patch`` removes from it when the row is masked)."""
    rows = sel.con.execute(
        "SELECT kind, source_id, list_sort(list_distinct(flatten(list(coalesce(personal_data, "
        "[]::VARCHAR[]))))) FROM source_files WHERE kind IS NOT NULL GROUP BY ALL ORDER BY ALL").fetchall()
    data: dict[str, list] = {"kind": [], "source_id": [], "cols": [], "extra_patch": []}
    for kind, sid, cols in rows:   # one row per source and kind: metadata, not data rows
        canon = set(_canonical(kind)) if kind in SELECTION_KINDS else set()
        unknown = [c for c in cols if c not in canon]
        data["kind"].append(kind)
        data["source_id"].append(sid)
        data["cols"].append(cols)
        data["extra_patch"].append(json.dumps({c: None for c in unknown}) if unknown else None)
    tbl = pa.table({"kind": pa.array(data["kind"], pa.string()), "source_id": pa.array(data["source_id"], pa.int32()),
                    "cols": pa.array(data["cols"], pa.list_(pa.string())),
                    "extra_patch": pa.array(data["extra_patch"], pa.string())})
    view = f"{sel.prefix}_pd_arrow"
    sel.con.register(view, tbl)
    try:
        sel.con.execute(f"CREATE TEMP TABLE {sel._t('pd')} AS SELECT kind, source_id, cols, "
                        f"CAST(extra_patch AS JSON) AS extra_patch FROM {ident(view)}")
    finally:
        sel.con.unregister(view)


def _handlings(sel: Selection) -> None:
    """``hd``: every distinct handling in the case (each source's, each row-level one) with
    its release and personal-data codes for the recipient, decided once per handling
    rather than once per row.  Rows refer to it by ``hid``."""
    T = sel._t
    rel = H.release_code_sql("n_tlp", "n_rel", "producer", "p.recipient", normalised=True)
    pdc = H.mask_code_sql("n_rel", "producer", "p.recipient", sel.masking, normalised=True)
    sel.con.execute(
        f"CREATE TEMP TABLE {T('hd')} AS "
        f"SELECT row_number() OVER (ORDER BY source_id, hkey)::INTEGER AS hid, source_id, hkey, h_tlp, h_rel, "
        f"{rel} AS code0, {pdc} AS pd_code, "
        f"to_json(struct_pack(tlp := h_tlp, releasable_to := h_rel, legal_basis := h_lb, "
        f"caveats := h_cav))::VARCHAR AS handling FROM ("
        f" SELECT *, {H.norm_tlp_sql('h_tlp')} AS n_tlp, {H.norm_list_sql('h_rel')} AS n_rel FROM ("
        f"  SELECT source_id, -1 AS hkey, producer_country AS producer, tlp AS h_tlp, releasable_to AS h_rel, "
        f"  legal_basis AS h_lb, caveats AS h_cav FROM sources "
        f"  UNION ALL SELECT h.source_id, h.handling_id, s.producer_country, h.tlp, h.releasable_to, "
        f"  h.legal_basis, h.caveats FROM handlings h JOIN sources s ON s.source_id = h.source_id)) "
        f"CROSS JOIN {T('params')} p")


def _decide(sel: Selection, kind: str, involves: str, scope: str) -> None:
    """The decision table of ``kind``: one row per case row (by ``rowid``)."""
    T = sel._t
    released = H.released_sql("hd.code0")
    sel.con.execute(
        f"CREATE TEMP TABLE {T(kind)} AS "
        f"SELECT rid, source_id, hid, code, pd_code, in_scope, has_pd, "
        f"in_scope AND {H.released_sql('code')} AS included, "
        f"in_scope AND {H.released_sql('code')} AND {H.masked_sql('pd_code')} AND has_pd AS masked FROM ("
        f" SELECT t.rowid AS rid, t.source_id, hd.hid, hd.pd_code, "
        f" CASE WHEN {released} AND coalesce(({involves}), false) THEN 'withheld-entity' "
        f" ELSE hd.code0 END AS code, "
        f" coalesce(({scope}), false) AS in_scope, pdk.source_id IS NOT NULL AS has_pd "
        f" FROM {ident(kind)} t JOIN {T('hd')} hd ON hd.source_id = t.source_id "
        f" AND hd.hkey = coalesce(t.handling_id, -1) "
        f" LEFT JOIN (SELECT DISTINCT source_id FROM {T('pd')} WHERE kind = '{kind}' AND len(cols) > 0) pdk "
        f" ON pdk.source_id = t.source_id)")


def _existing(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
                                      "AND schema_name = 'main' AND database_name = current_database()"
                                      ).fetchall()}


def _entity_sets(sel: Selection, kinds: list[str], tag: str, where: str,
                 released_identifiers_only: bool = False) -> None:
    """``<tag>_local`` (kind, rid, source_id, local_id, entity_id) of entity rows matching
    ``where`` and ``<tag>_keys`` (k) of the identifiers those entities own."""
    con, T = sel.con, sel._t
    parts = [f"SELECT '{k}' AS kind, t.rowid AS rid, t.source_id, t.id AS local_id, t.entity_id "
             f"FROM {ident(k)} t JOIN {T(k)} d ON d.rid = t.rowid WHERE {where}"
             for k in _ENTITY_KINDS if k in kinds]
    con.execute(f"CREATE TEMP TABLE {T(tag + '_local')} AS {' UNION ALL '.join(parts)}")
    _keys_of(sel, tag, released_identifiers_only)


def _keys_of(sel: Selection, tag: str, released_identifiers_only: bool = False) -> None:
    con, T = sel.con, sel._t
    local = T(tag + "_local")
    owned = (f"(EXISTS (SELECT 1 FROM {local} l WHERE l.source_id = i.source_id AND l.local_id = i.owner) "
             f"OR i.owner_entity_id IN (SELECT entity_id FROM {local}))")
    if released_identifiers_only:   # the identifier row itself may go to the recipient
        owned += (f" AND EXISTS (SELECT 1 FROM {T('hd')} hd WHERE hd.source_id = i.source_id "
                  f"AND hd.hkey = coalesce(i.handling_id, -1) AND {H.released_sql('hd.code0')})")
    con.execute(
        f"CREATE TEMP TABLE {T(tag + '_keys')} AS SELECT DISTINCT k FROM ("
        f"SELECT unnest([{_key('i.value')}, {_key('i.value_norm')}]) AS k FROM identifiers i "
        f"WHERE {owned}) WHERE k IS NOT NULL")
    # the same values as written and normalised, for plain equality with normalised columns
    con.execute(
        f"CREATE TEMP TABLE {T(tag + '_vals')} AS SELECT DISTINCT v FROM ("
        f"SELECT unnest([i.value, i.value_norm]) AS v FROM identifiers i "
        f"WHERE {owned}) WHERE v IS NOT NULL")


def _subject_sets(sel: Selection, kinds: list[str]) -> None:
    con, T = sel.con, sel._t
    ints = [int(s) for s in sel.subjects if s.isdigit()]
    strs = list(sel.subjects)
    # entities judged the same as a subject (judgements not undone) come with it
    con.execute(
        f"CREATE TEMP TABLE {T('sc_ids')} AS SELECT DISTINCT e FROM ("
        f"SELECT unnest(?::BIGINT[]) AS e UNION ALL "
        f"SELECT entity_id FROM persons WHERE id = ANY(?::VARCHAR[]) UNION ALL "
        f"SELECT entity_id FROM organizations WHERE id = ANY(?::VARCHAR[])) WHERE e IS NOT NULL",
        [ints, strs, strs])
    con.execute(
        f"INSERT INTO {T('sc_ids')} SELECT DISTINCT CASE WHEN j.entity_a = s.e THEN j.entity_b "
        f"ELSE j.entity_a END FROM judgements j JOIN {T('sc_ids')} s "
        f"ON s.e IN (j.entity_a, j.entity_b) WHERE lower(j.verdict) = 'same' AND j.undone_utc IS NULL")
    parts = [f"SELECT '{k}' AS kind, t.rowid AS rid, t.source_id, t.id AS local_id, t.entity_id "
             f"FROM {ident(k)} t WHERE t.entity_id IN (SELECT e FROM {T('sc_ids')}) "
             f"OR t.id = ANY(?::VARCHAR[])" for k in _ENTITY_KINDS if k in kinds]
    con.execute(f"CREATE TEMP TABLE {T('sc_local')} AS {' UNION ALL '.join(parts)}",
                [strs] * len(parts))
    _keys_of(sel, "sc")
    # the names at the other end of a relationship with a subject (their names only: not
    # their identifiers, addresses or events)
    con.execute(f"CREATE TEMP TABLE {T('sc_names')} AS SELECT kind, rid FROM {T('sc_local')}")
    if "relationships" in kinds:
        for k in _ENTITY_KINDS:
            if k not in kinds:
                continue
            con.execute(
                f"INSERT INTO {T('sc_names')} SELECT DISTINCT '{k}', t.rowid "
                f"FROM (SELECT r.source_id, unnest([r.source, r.target]) AS id FROM relationships r "
                f"      WHERE {_involves_sql(sel, 'relationships', 'sc', alias='r')}) e "
                f"JOIN {ident(k)} t ON t.source_id = e.source_id AND t.id = e.id "
                f"WHERE NOT EXISTS (SELECT 1 FROM {T('sc_names')} l WHERE l.kind = '{k}' AND l.rid = t.rowid)")
    con.execute(f"DROP TABLE {T('sc_ids')}")


def _involves_sql(sel: Selection, kind: str, tag: str, alias: str = "t") -> str:
    """Boolean SQL: does row ``alias`` of ``kind`` involve an entity of set ``tag``?"""
    T = sel._t
    conds = []
    for col, ent in _LINKS[kind]["local"]:
        # two equality tests (each a hash semi-join), not one OR inside a subquery (a nested loop)
        c = f"{alias}.{ident(col)}"
        conds.append(f"EXISTS (SELECT 1 FROM {T(tag + '_local')} l WHERE l.source_id = {alias}.source_id "
                     f"AND l.local_id = {c})")
        if ent:
            conds.append(f"{alias}.{ident(ent)} IN (SELECT entity_id FROM {T(tag + '_local')})")
    keys, vals = T(tag + "_keys"), T(tag + "_vals")
    for col, norm in _LINKS[kind]["keys"]:
        c = f"{alias}.{ident(col)}"
        by_key = f"{_key(c)} IN (SELECT k FROM {keys})"
        if norm:
            # a normalised value (E.164, lower-case handle) is compared as it is; only rows
            # without one pay for the punctuation-blind key of the value as written
            n = f"{alias}.{ident(norm)}"
            conds.append(f"(CASE WHEN {n} IS NOT NULL THEN {n} IN (SELECT v FROM {vals}) "
                         f"OR {c} IN (SELECT v FROM {vals}) ELSE {by_key} END)")
        else:
            conds.append(by_key)
    return " OR ".join(conds) or "false"


def _attachments(sel: Selection) -> None:
    con, T = sel.con, sel._t
    rel = H.release_code_sql("s.tlp", "s.releasable_to", "s.producer_country", "p.recipient")
    # an attachment describes ids as written in its own source (attachment_links resolves them)
    wh = (f"EXISTS (SELECT 1 FROM {T('wh_local')} l WHERE l.source_id = a.source_id "
          f"AND list_contains(a.describes, l.local_id))")
    if sel.subjects:
        scope = (f"EXISTS (SELECT 1 FROM {T('sc_local')} l WHERE l.source_id = a.source_id "
                 f"AND list_contains(a.describes, l.local_id))")
    else:
        scope = "true"
    con.execute(
        f"CREATE TEMP TABLE {T('att')} AS SELECT a.*, {rel} AS code, ({scope}) AS in_scope, "
        f"({wh}) AS involves_withheld FROM attachments a JOIN sources s ON s.source_id = a.source_id "
        f"CROSS JOIN {T('params')} p")
    con.execute(f"ALTER TABLE {T('att')} ADD COLUMN included BOOLEAN")
    con.execute(f"UPDATE {T('att')} SET included = in_scope AND {H.released_sql('code')} "
                f"AND NOT involves_withheld")


def _count(sel: Selection, kinds: list[str]) -> None:
    con, T = sel.con, sel._t
    union = " UNION ALL ".join(f"SELECT '{k}' AS kind, * FROM {T(k)}" for k in kinds)
    for kind, n_inc, n_mask, n_out in con.execute(
            f"SELECT kind, count(*) FILTER (WHERE included), count(*) FILTER (WHERE masked), "
            f"count(*) FILTER (WHERE NOT in_scope) FROM ({union}) GROUP BY kind").fetchall():
        sel.included[kind] = n_inc
        if n_mask:
            sel.masked[kind] = n_mask
        if n_out:
            sel.not_selected[kind] = n_out
    sel.included = {k: sel.included.get(k, 0) for k in kinds}
    sel.masked = {k: sel.masked[k] for k in kinds if k in sel.masked}
    sel.not_selected = {k: sel.not_selected[k] for k in kinds if k in sel.not_selected}
    handlings = con.execute(f"SELECT handling, sum(n) FROM (SELECT hid, count(*) AS n FROM ({union}) "
                            f"WHERE included GROUP BY hid) JOIN {T('hd')} USING (hid) "
                            f"GROUP BY handling ORDER BY handling").fetchall()
    withheld = con.execute(f"SELECT source_id, kind, code, count(*) FROM ({union}) "
                           f"WHERE in_scope AND NOT included GROUP BY ALL").fetchall()
    sources = {r[0]: r[1:] for r in con.execute(
        "SELECT source_id, bundle_id, title, producer_country FROM sources").fetchall()}
    withheld += con.execute(
        f"SELECT source_id, 'attachments', CASE WHEN NOT {H.released_sql('code')} THEN code "
        f"ELSE 'withheld-entity' END, count(*) FROM {T('att')} WHERE in_scope AND NOT included "
        f"GROUP BY ALL").fetchall()
    order = {k: i for i, k in enumerate((*kinds, "attachments"))}
    sel.withheld = [Withheld(sid, *sources.get(sid, (None, None, None)), kind, code, n)
                    for sid, kind, code, n in sorted(withheld, key=lambda w: (w[0], order[w[1]], w[2]))]
    a_inc, a_wh = con.execute(f"SELECT count(*) FILTER (WHERE included), "
                              f"count(*) FILTER (WHERE in_scope AND NOT included) FROM {T('att')}").fetchone()
    sel.attachments_included, sel.attachments_withheld = a_inc, a_wh
    tlps: list[str] = []
    for h, n in handlings:
        d = json.loads(h)
        d["rows"] = n
        sel.handlings.append(d)
        tlps.append(d["tlp"])
    for (t,) in con.execute(f"SELECT DISTINCT s.tlp FROM {T('att')} a JOIN sources s USING (source_id) "
                            f"WHERE a.included").fetchall():
        tlps.append(t)
    sel.tlp = H.strictest(tlps)
