"""The PDF case dossier for one recipient (issue 6, item 2).

``build_dossier(case, out, recipient, …)`` writes an A4 PDF that holds only what the
recipient may receive: the released case (``exports.released``) is built first, and every
section reads that copy alone.  The dossier states what was withheld (counts per source and
reason, never content), is marked with its TLP (the strictest of what it holds) on every
page, is recorded in the audit log and the ``exports`` table, and may be signed (PAdES).

The same case, recipient, options and time stamp give the same bytes (reportlab's invariant
mode, sorted queries, a seeded chart layout, the analysis run on one thread with a fixed seed).

Accessibility: open-source reportlab writes no structure tree, so the PDF is not tagged; it
carries its language (/Lang), title, author and subject, and a bookmark for every heading.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import os
import random
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import duckdb
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from workstation import handling
from workstation.case import Case
from workstation.errors import LintasError
from workstation.kinds import KINDS, companions
from workstation.progress import NULL, Progress
from workstation.sql import ident

from .i18n import Catalogue
from .pdf import charts, fonts
from .pdf import tlp as tlp_mark
from .pdf.layout import (
    FRAME_WIDTH,
    STYLES,
    DossierTemplate,
    Marking,
    canvas_class,
    contents,
    heading,
    prime_contents,
)
from .pdf.tables import pairs, table
from .vocabulary import SECTIONS

log = logging.getLogger(__name__)

ROLES = ("suspect", "victim", "witness")
# Verification states of a source whose origin is not proven (marked wherever its rows are cited).
UNVERIFIED_STATUSES = frozenset({"unsigned", "untrusted-consented"})
PHOTO_TYPES = ("image/jpeg", "image/png")
"""Attachments the dossier shows (on the profile pages); of others it lists what they are."""
MAX_EVENT_ROWS = 300
MAX_SUBJECT_EVENTS = 12
MAX_CHART_NODES = 250


class DossierError(LintasError):
    pass


@dataclass
class DossierResult:
    path: Path
    sha256: str
    pages: int
    tlp: str
    dossier_id: str
    audit_seq: int
    bytes: int = 0
    recipient: str = ""
    lang: str = "en"
    sections: list[str] = field(default_factory=list)
    included: dict[str, int] = field(default_factory=dict)
    withheld: list[dict[str, Any]] = field(default_factory=list)
    signed: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "sha256": self.sha256, "bytes": self.bytes, "pages": self.pages,
                "tlp": self.tlp, "dossier_id": self.dossier_id, "audit_seq": self.audit_seq,
                "recipient": self.recipient, "lang": self.lang, "sections": self.sections,
                "included": self.included, "withheld": self.withheld, "signed": self.signed}


# ---------------------------------------------------------------------------------------------
# the released case
# ---------------------------------------------------------------------------------------------
# The dossier never reads the real case while it lays pages out.  It first copies the rows
# the recipient may receive (``exports.selection``, the handling rules) into an in-memory
# DuckDB with the case's own schema, and every section reads that copy only: a withheld name
# cannot reach the PDF through a forgotten filter, because it is not in the database the
# dossier reads.

_MEM_CONFIG = {"enable_external_access": "false", "autoload_known_extensions": "false",
               "autoinstall_known_extensions": "false"}

# Stored companions that repeat a canonical column's value in another form: masked with it.
_DERIVED = {"name_folded": "name", "value_norm": "value", "owner_norm": "owner", "label_folded": "label",
            "document_norm": "document", "subject_norm": "subject"}


@dataclass
class Released:
    """The released case: ``case`` holds only what the recipient may receive."""
    case: Case
    recipient: str
    tlp: str
    rows: dict[str, int]
    withheld: list[Any]
    released_sources: set[int]
    masked: dict[str, int]
    attachments_withheld: int

    def close(self) -> None:
        self.case.con.close()


def _table_columns(cur, table: str) -> list[str]:
    return [r[0] for r in cur.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main' "
        "AND database_name = current_database() ORDER BY column_index", [table]).fetchall()]


def released_case(case: Case, recipient: str, subjects: list[str] | None = None,
                  progress: Progress = NULL, masking: str = "auto", salt: str | None = None) -> Released:
    """Copy what ``recipient`` may receive from ``case`` into an in-memory case."""
    from workstation import schema

    from . import selection

    mem = duckdb.connect(":memory:", config=dict(_MEM_CONFIG))
    try:
        for m in schema.MIGRATIONS:
            mem.execute(m)
        cur = case.cursor()
        mem.executemany("INSERT OR REPLACE INTO case_meta VALUES (?, ?)",
                        cur.execute("SELECT key, value FROM case_meta").fetchall())

        def put(table: str, tbl) -> int:
            if tbl.num_rows:
                mem.register("_incoming", tbl)
                cols = ", ".join(ident(c) for c in tbl.column_names)
                mem.execute(f"INSERT INTO {ident(table)} ({cols}) SELECT {cols} FROM _incoming")
                mem.unregister("_incoming")
            return tbl.num_rows

        # Pseudonyms of masked personal data: keyed by a secret the recipient does not hold (the head
        # of the case's audit chain), so they cannot be confirmed by guessing, yet the same case
        # state gives the same dossier.
        # A package that carries this dossier passes its own salt, so both show the same pseudonyms.
        if salt is None:
            head = dict(cur.execute("SELECT key, value FROM case_meta").fetchall()).get("audit_head", "")
            salt = hashlib.sha256(f"lintas-dossier-mask\n{head}\n{recipient}".encode()).hexdigest()
        with selection.select(case, recipient, subjects, masking=masking, salt=salt,
                              progress=progress.sub(0.0, 0.8)) as sel:
            rows: dict[str, int] = {}
            for kind in KINDS:
                progress.check()
                cols = [c for c in _table_columns(cur, kind) if c not in ("source_id", "source_row", "extra")]
                rows[kind] = put(kind, sel.con.sql(sel.query(kind, cols)).to_arrow_table()
                                 .drop_columns(["source_bundle_id", "handling"]))
                # a masked value must not survive in its normalised companion
                for c in cols:
                    base = _DERIVED.get(c) or next((b.name for b in KINDS[kind] for n, _ in companions(b)
                                                    if n == c), None)
                    if base and base in cols:
                        mem.execute(f"UPDATE {ident(kind)} SET {ident(c)} = {ident(base)} "
                                    f"WHERE starts_with(CAST({ident(base)} AS VARCHAR), ?)",
                                    [handling.MASK_PREFIX])
            atts = sel.attachments(content=False)
            put("attachments", atts)
            # The dossier shows photos only: of the other files (scans, recordings) it lists what they
            # are, and their content stays out of memory.
            for sha in sorted({a["sha256"] for a in atts.to_pylist() if a["media_type"] in PHOTO_TYPES}):
                sel.copy_content(sha, mem)
            withheld, tlp, masked = list(sel.withheld), sel.tlp, dict(sel.masked)
            att_withheld = sel.attachments_withheld
        progress(0.85, "copying sources")
        released_sources: set[int] = set()
        for kind in KINDS:
            released_sources.update(r[0] for r in mem.execute(f"SELECT DISTINCT source_id FROM {ident(kind)}").fetchall())
        released_sources.update(r[0] for r in mem.execute("SELECT DISTINCT source_id FROM attachments").fetchall())
        # every source is described in the annex; its files only when something of it is released
        put("sources", cur.sql("SELECT * FROM sources ORDER BY source_id").to_arrow_table())
        put("handlings", cur.sql("SELECT * FROM handlings ORDER BY handling_id").to_arrow_table())
        src = sorted(released_sources)
        # of a source nothing of which is released, the annex shows who made it and its handling only
        mem.execute("UPDATE sources SET title = NULL, manifest = NULL, container_name = NULL, case_ref = NULL, "
                    "row_counts = NULL WHERE NOT list_contains(?, source_id)", [src])
        if src:
            put("source_files", cur.sql("SELECT * FROM source_files WHERE list_contains(?, source_id) "
                                        "ORDER BY source_id, path", params=[src]).to_arrow_table())
        kept = [r[0] for r in mem.execute("SELECT entity_id FROM persons UNION SELECT entity_id FROM organizations "
                                          "ORDER BY 1").fetchall() if r[0] is not None]
        put("entities", cur.sql("SELECT * FROM entities WHERE list_contains(?, entity_id) ORDER BY entity_id",
                                params=[kept]).to_arrow_table())
        # an entity's name is its row's name as released (a pseudonym where personal data is masked)
        for kind in ("persons", "organizations"):
            mem.execute(f"UPDATE entities e SET name = t.name, name_folded = t.name_folded FROM {ident(kind)} t "
                        f"WHERE t.entity_id = e.entity_id")
        put("judgements", cur.sql("SELECT * FROM judgements WHERE list_contains(?, entity_a) AND "
                                  "list_contains(?, entity_b) ORDER BY judgement_id", params=[kept, kept]).to_arrow_table())
        # attachments describe ids as written in their own source
        mem.execute("INSERT INTO attachment_links SELECT a.sha256, a.source_id, p.id, p.entity_id "
                    "FROM attachments a JOIN persons p ON p.source_id = a.source_id "
                    "AND list_contains(a.describes, p.id)")
        rows["attachments"] = mem.execute("SELECT count(*) FROM attachments").fetchone()[0]
        progress(1.0, "selection done")
    except BaseException:
        mem.close()
        raise
    rc = Case(Path(f"{case.path.name} (released to {recipient})"), mem, read_only=True)
    return Released(rc, handling.normalise_code(recipient), tlp, rows, withheld, released_sources, masked,
                    att_withheld)


# ---------------------------------------------------------------------------------------------
# facts from the released case
# ---------------------------------------------------------------------------------------------
def _fmt_time(t) -> str:
    if t is None:
        return ""
    if isinstance(t, dt.datetime):
        return t.strftime("%Y-%m-%d %H:%M") + " UTC"
    return str(t)


class _Facts:
    """Everything the sections show, read from the released case only."""

    row_word = "row"
    """The word for a row in ``src`` (the dossier's language)."""

    def __init__(self, rc: Case) -> None:
        self.rc = rc
        self.cur = rc.cursor()
        self.meta = rc.meta()
        self.sources = {s["source_id"]: s for s in rc.sources()}
        self._merged = self._union_find()
        self._events: list[dict] | None = None

    # -- helpers ----------------------------------------------------------------------
    def q(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.cur.execute(sql, params or []).fetchall()

    unverified_word = "UNVERIFIED"
    """The mark after a source whose origin is not proven (unsigned, or signed by a key accepted for
    its import only): issue 3 asks that such a source be marked wherever its rows are shown."""

    def src(self, source_id: int, row: int | None = None) -> str:
        """``#3, row 12``: the source's number in the sources annex (which names its bundle) and row;
        ``#3 UNVERIFIED, row 12`` for a source whose origin is not proven."""
        status = (self.sources.get(source_id) or {}).get("signature_status")
        mark = f" {self.unverified_word}" if status in UNVERIFIED_STATUSES else ""
        return f"#{source_id}{mark}" + (f", {self.row_word} {row}" if row is not None else "")

    def _union_find(self) -> dict[int, int]:
        parent: dict[int, int] = {}

        def find(x: int) -> int:
            while parent.get(x, x) != x:
                parent[x] = parent.get(parent[x], parent[x])
                x = parent[x]
            return x

        for a, b in self.q("SELECT entity_a, entity_b FROM judgements WHERE verdict = 'same' "
                           "AND undone_utc IS NULL ORDER BY judgement_id"):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        return {x: find(x) for x in list(parent)}

    def subject_of(self, entity_id: int | None) -> int | None:
        if entity_id is None:
            return None
        return self._merged.get(entity_id, entity_id)

    # -- subjects ---------------------------------------------------------------------
    def subjects(self) -> list[dict]:
        rows = self.q("SELECT entity_id, source_id, source_row, id, name, aliases, birth_date, "
                      "nationality, nationality_iso, gender, role FROM persons "
                      "ORDER BY entity_id, source_id, source_row")
        by: dict[int, dict] = {}
        for ent, sid, srow, lid, name, aliases, bd, nat, nat_iso, gender, role in rows:
            key = self.subject_of(ent) if ent is not None else -(sid * 10_000_000 + srow)
            s = by.setdefault(key, {"key": key, "entities": [], "names": [], "birth": [], "nationality": [],
                                    "roles": [], "gender": [], "local_ids": []})
            if ent is not None:
                s["entities"].append(ent)
            s["local_ids"].append((sid, lid))
            where = self.src(sid, srow)
            s["names"].append((name, where, False))
            for a in aliases or []:
                s["names"].append((a, where, True))
            if bd:
                s["birth"].append((bd, where))
            if nat or nat_iso:
                s["nationality"].append((nat_iso or nat, where))
            if role:
                s["roles"].append((role.strip().lower(), where))
            if gender:
                s["gender"].append((gender, where))
        out = list(by.values())
        for s in out:
            s["name"] = s["names"][0][0] if s["names"] else "?"
            s["role"] = _main_role([r for r, _ in s["roles"]])
        out.sort(key=lambda s: (ROLES.index(s["role"]) if s["role"] in ROLES else 9, fonts_key(s["name"]),
                                s["key"]))
        return out

    def identifiers(self, entities: list[int]) -> list[tuple]:
        if not entities:
            return []
        marks = ", ".join("?" for _ in entities)
        return self.q(f"SELECT kind, value, country, valid_from, valid_to, source_id, source_row "
                      f"FROM identifiers WHERE owner_entity_id IN ({marks}) "
                      f"ORDER BY kind, valid_from NULLS FIRST, value", entities)

    def relationships(self) -> list[tuple]:
        return self.q("SELECT source_entity_id, target_entity_id, kind, start, \"end\", note, source_id, "
                      "source_row FROM relationships ORDER BY source_id, source_row")

    def entity_names(self) -> dict[int, str]:
        names: dict[int, str] = {}
        for ent, name in self.q("SELECT entity_id, name FROM persons UNION ALL "
                                "SELECT entity_id, name FROM organizations ORDER BY 1"):
            if ent is not None:
                names.setdefault(self.subject_of(ent), name)
        return names

    def photos(self, entities: list[int]) -> list[tuple[bytes, str, str]]:
        if not entities:
            return []
        marks = ", ".join("?" for _ in entities)
        return [(bytes(b), sha, mt) for b, sha, mt in self.q(
            f"SELECT DISTINCT b.content, b.sha256, a.media_type FROM attachment_links l "
            f"JOIN attachments a ON a.sha256 = l.sha256 AND a.source_id = l.source_id "
            f"JOIN attachment_blobs b ON b.sha256 = l.sha256 "
            f"WHERE l.entity_id IN ({marks}) AND list_contains(?, a.media_type) "
            f"ORDER BY b.sha256", [*entities, list(PHOTO_TYPES)])]

    # -- events -----------------------------------------------------------------------
    def events(self) -> list[dict]:
        """Travel, sightings and incidents in time order, with the subject they concern."""
        if self._events is None:
            self._events = self._read_events()
        return self._events

    def _read_events(self) -> list[dict]:
        out: list[dict] = []
        for t, kind, ent, doc, pf, pt, carrier, voyage, sid, srow in self.q(
                "SELECT time_utc, kind, person_entity_id, document, place_from, place_to, carrier, voyage, "
                "source_id, source_row FROM travel WHERE time_utc IS NOT NULL ORDER BY time_utc, source_id, source_row"):
            what = " → ".join(x for x in (pf, pt) if x)
            extra = " ".join(x for x in (carrier, voyage) if x)
            out.append({"time": t, "kind": f"travel: {kind}", "entity": self.subject_of(ent),
                        "what": (what + (f" ({extra})" if extra else "")).strip(), "doc": doc,
                        "where": self.src(sid, srow)})
        for t, kind, ent, subj, place, note, sid, srow in self.q(
                "SELECT time_utc, kind, subject_entity_id, subject, place, note, source_id, source_row "
                "FROM sightings WHERE time_utc IS NOT NULL ORDER BY time_utc, source_id, source_row"):
            out.append({"time": t, "kind": f"sighting: {kind}" if kind else "sighting", "entity": self.subject_of(ent),
                        "what": " — ".join(x for x in (place, note) if x), "doc": None if ent else subj,
                        "where": self.src(sid, srow)})
        for t, kind, place, desc, status, sid, srow in self.q(
                "SELECT time_utc, kind, place, description, status, source_id, source_row FROM incidents "
                "WHERE time_utc IS NOT NULL ORDER BY time_utc, source_id, source_row"):
            out.append({"time": t, "kind": f"incident: {kind}", "entity": None,
                        "what": " — ".join(x for x in (place, desc, status) if x), "doc": None,
                        "where": self.src(sid, srow)})
        out.sort(key=lambda e: (e["time"], e["kind"], e["where"]))
        return out

    # -- network ----------------------------------------------------------------------
    def phone_switches(self) -> list[dict]:
        rows = self.q("SELECT owner_entity_id, value, valid_from, valid_to, source_id, source_row "
                      "FROM identifiers WHERE kind = 'phone' AND owner_entity_id IS NOT NULL "
                      "AND valid_from IS NOT NULL ORDER BY owner_entity_id, valid_from, value")
        by: dict[int, list] = defaultdict(list)
        for ent, v, f, t, sid, srow in rows:
            by[self.subject_of(ent)].append((v, f, t, self.src(sid, srow)))
        out = []
        for ent, phones in sorted(by.items()):
            for old, new in zip(phones, phones[1:], strict=False):
                if old[0] != new[0]:
                    out.append({"entity": ent, "old": old[0], "new": new[0], "date": new[1],
                                "old_until": old[2], "evidence": f"{old[3]}; {new[3]}"})
        return out

    def money_flows(self, limit: int = 20) -> list[dict]:
        rows = self.q(
            "WITH own AS (SELECT DISTINCT value AS acct, owner_entity_id AS e FROM identifiers "
            "WHERE kind = 'bank_account' AND owner_entity_id IS NOT NULL) "
            "SELECT t.from_account, t.to_account, coalesce(t.currency, ''), count(*), sum(t.amount), "
            "min(t.time_utc), max(t.time_utc), min(oa.e), min(ob.e), "
            "string_agg(DISTINCT CAST(t.source_id AS VARCHAR), ',' ORDER BY CAST(t.source_id AS VARCHAR)) "
            "FROM transfers t LEFT JOIN own oa ON oa.acct = t.from_account "
            "LEFT JOIN own ob ON ob.acct = t.to_account GROUP BY 1, 2, 3 "
            "ORDER BY 5 DESC, 1, 2, 3 LIMIT ?", [limit])
        return [{"from": f, "to": t, "currency": c, "count": n, "total": s, "first": t0, "last": t1,
                 "from_entity": self.subject_of(ea), "to_entity": self.subject_of(eb), "sources": srcs}
                for f, t, c, n, s, t0, t1, ea, eb, srcs in rows]

    # -- places -----------------------------------------------------------------------
    def places(self) -> list[charts.Place]:
        out: list[charts.Place] = []
        for lon, lat, label in self.q("SELECT lon, lat, coalesce(city, \"full\") FROM addresses "
                                      "WHERE lat IS NOT NULL AND lon IS NOT NULL ORDER BY source_id, source_row"):
            out.append(charts.Place(lon, lat, label or "", "address"))
        for lon, lat, label in self.q("SELECT lon, lat, place FROM sightings WHERE lat IS NOT NULL "
                                      "AND lon IS NOT NULL ORDER BY source_id, source_row"):
            out.append(charts.Place(lon, lat, label or "", "sighting"))
        for lon, lat, label in self.q("SELECT lon, lat, place FROM incidents WHERE lat IS NOT NULL "
                                      "AND lon IS NOT NULL ORDER BY source_id, source_row"):
            out.append(charts.Place(lon, lat, label or "", "incident"))
        for lon, lat, _n in self.q("SELECT round(lon, 2), round(lat, 2), count(*) FROM calls WHERE lat IS NOT NULL "
                                  "AND lon IS NOT NULL GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 200"):
            out.append(charts.Place(lon, lat, "", "call"))
        gaz = _gazetteer()
        for (name,) in self.q("SELECT DISTINCT p FROM (SELECT place_from AS p FROM travel UNION "
                              "SELECT place_to FROM travel) WHERE p IS NOT NULL ORDER BY 1"):
            hit = gaz.get(_fold(name))
            if hit:
                out.append(charts.Place(hit[0], hit[1], name, "travel"))
        return out

    def attachments_index(self) -> list[tuple]:
        return self.q("SELECT source_id, path, media_type, bytes, sha256 FROM attachments ORDER BY source_id, path")

    def files_index(self) -> list[tuple]:
        return self.q("SELECT source_id, path, kind, rows, sha256 FROM source_files ORDER BY source_id, path")

    def legal_bases(self, sources: set[int]) -> list[str]:
        out = []
        for sid in sorted(sources):
            lb = self.sources[sid].get("legal_basis")
            if lb and lb not in out:
                out.append(lb)
        for (lb,) in self.q("SELECT DISTINCT legal_basis FROM handlings WHERE legal_basis IS NOT NULL "
                            "AND handling_id IN (SELECT handling_id FROM persons UNION SELECT handling_id "
                            "FROM relationships UNION SELECT handling_id FROM calls UNION SELECT handling_id "
                            "FROM transfers UNION SELECT handling_id FROM travel) ORDER BY 1"):
            if lb not in out:
                out.append(lb)
        return out


def fonts_key(name: str) -> str:
    return (name or "").casefold()


def _main_role(roles: list[str]) -> str | None:
    for r in ROLES:
        if r in roles:
            return r
    return roles[0] if roles else None


def _fold(s: str) -> str:
    return " ".join(str(s).casefold().replace("-", " ").split())


_GAZ: dict[str, tuple[float, float]] | None = None


def _gazetteer() -> dict[str, tuple[float, float]]:
    """Place names of Natural Earth (towns, ports, airports of the region) → lon, lat."""
    global _GAZ
    if _GAZ is None:
        g: dict[str, tuple[float, float]] = {}
        for f in charts._geo("places_sea.geojson"):
            p = f["properties"]
            lon, lat = f["geometry"]["coordinates"][:2]
            for key in (p.get("name"), p.get("iata_code")):
                if key:
                    g.setdefault(_fold(key), (lon, lat))
        _GAZ = g
    return _GAZ


# ---------------------------------------------------------------------------------------------
# the document
# ---------------------------------------------------------------------------------------------
class _Writer:
    def __init__(self, facts: _Facts, rel: Released, T: Catalogue, dossier_id: str,
                 audit_seq: int, stamp: dt.datetime, sections: list[str], unit: str,
                 progress: Progress) -> None:
        self.f = facts
        self.rel = rel
        self.T = T
        if T.lang == "id":
            facts.row_word = T("row")
            facts.unverified_word = T("UNVERIFIED")
        self.id = dossier_id
        self.seq = audit_seq
        self.stamp = stamp
        self.sections = sections
        self.unit = unit
        self.progress = progress
        self.story: list = []
        self.names = facts.entity_names()
        self.subjects = facts.subjects()
        self.subject_names = {s["key"]: s["name"] for s in self.subjects}
        self.names.update(self.subject_names)
        self._analysis: dict | None = None

    # -- primitives -------------------------------------------------------------------
    def p(self, text: str, style: str = "body") -> None:
        self.story.append(Paragraph(fonts.markup(text, STYLES[style].fontName == fonts.BOLD), STYLES[style]))

    def h1(self, text: str, need: float = 60 * mm) -> None:
        self.story.append(CondPageBreak(need))
        self.story.append(heading(fonts.markup(text, bold=True), "h1", text))

    def h2(self, text: str, need: float = 30 * mm) -> None:
        self.story.append(CondPageBreak(need))
        self.story.append(heading(fonts.markup(text, bold=True), "h2", text))

    def h3(self, text: str) -> None:
        self.story.append(CondPageBreak(25 * mm))
        self.story.append(Paragraph(fonts.markup(text, bold=True), STYLES["h3"]))

    def name(self, ent) -> str:
        return self.names.get(ent, f"#{ent}") if ent is not None else ""

    # -- sections ---------------------------------------------------------------------
    def cover(self) -> None:
        T, m = self.T, self.f.meta
        self.story.append(Spacer(1, 18 * mm))
        self.p(T("Case dossier"), "subtitle")
        self.p(m.get("title") or "", "title")
        box = Table([[_TLPFlowable(self.rel.tlp, 26)]], colWidths=[FRAME_WIDTH])
        box.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 8),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 12)]))
        self.story.append(box)
        bases = self.f.legal_bases(self.rel.released_sources)
        caveats = []
        for sid in sorted(self.rel.released_sources):
            for c in self.f.sources[sid].get("caveats") or []:
                if c not in caveats:
                    caveats.append(c)
        rows = [
            (T("Case reference"), m.get("case_ref") or "—"),
            (T("Producing unit"), self.unit or "—"),
            (T("Recipient"), self.rel.recipient),
            (T("Date"), self.stamp.strftime("%Y-%m-%d %H:%M UTC")),
            (T("Dossier id"), self.id),
            (T("Audit entry"), f"#{self.seq}"),
            ("TLP", tlp_mark.label(self.rel.tlp)),
            (T("Legal basis"), "; ".join(bases) or T("none stated by the sources")),
        ]
        if caveats:
            rows.append((T("Caveats"), "; ".join(caveats)))
        self.story.append(pairs(rows))
        self.story.append(Spacer(1, 6 * mm))
        self.p(T("This dossier holds only what the recipient may receive under the handling of each "
                 "source (TLP 2.0, releasable-to list). What was withheld is counted at the end, "
                 "never shown."), "note")
        self.p(T("TLP:{tlp} — {meaning}", tlp=self.rel.tlp, meaning=T(_TLP_MEANING[self.rel.tlp])), "note")
        self.story.append(PageBreak())
        self.story.append(Paragraph(fonts.markup(T("Contents")), STYLES["tochead"]))
        self.story.append(contents())
        self.story.append(PageBreak())

    def summary(self) -> None:
        T = self.T
        self.h1(T("Executive summary"))
        roles = defaultdict(int)
        for s in self.subjects:
            roles[s["role"] or "other"] += 1
        r = self.rel.rows
        lines = [
            T("{n} persons in this dossier: {s} suspects, {v} victims, {w} witnesses, {o} without a stated role.",
              n=len(self.subjects), s=roles["suspect"], v=roles["victim"], w=roles["witness"],
              o=sum(v for k, v in roles.items() if k not in ROLES)),
            T("Drawn from {n} sources; {c} calls, {m} messages, {t} transfers, {tr} travel records, "
              "{si} sightings and {i} incidents released to {r}.", n=len(self.rel.released_sources),
              c=r.get("calls", 0), m=r.get("messages", 0), t=r.get("transfers", 0), tr=r.get("travel", 0),
              si=r.get("sightings", 0), i=r.get("incidents", 0), r=self.rel.recipient),
        ]
        ev = self.f.events()
        if ev:
            lines.append(T("Events run from {a} to {b}.", a=_fmt_time(ev[0]["time"]), b=_fmt_time(ev[-1]["time"])))
        if "network" in self.sections:
            names = self.central_names()
            if names:
                lines.append(T("Most central persons: {names}.", names=", ".join(names)))
        if "patterns" in self.sections:
            a = self.analysis()
            lines.append(T("Patterns found: {a} phone switches, {b} pairs travelling together, {c} money-flow "
                           "findings.", a=len(a["switches"]), b=len(a["cotravel"]), c=len(a["money"])))
        withheld = sum(w.rows for w in self.rel.withheld)
        lines.append(T("{n} records were withheld from this recipient under the handling rules (see "
                       "'Withheld for this recipient').", n=withheld))
        for line in lines:
            self.p("• " + line)

    def subjects_section(self) -> None:
        T = self.T
        self.h1(T("Subjects"))
        if not self.subjects:
            self.p(T("No persons may be released to this recipient."), "note")
            return
        rels = self.f.relationships()
        events = self.f.events()
        by_entity: dict[int, list] = defaultdict(list)
        for e in events:
            if e["entity"] is not None:
                by_entity[e["entity"]].append(e)
        for i, s in enumerate(self.subjects):
            self.progress.check()
            role = s["role"]
            tail = f"  ({T(role)})" if role in ROLES else ""
            block: list = [heading(fonts.markup(s["name"], bold=True) + fonts.markup(tail, bold=True), "h2",
                                   s["name"] + tail)]
            ents = s["entities"]
            names = "<br/>".join(
                f"{fonts.markup(n)} <font color='#666666'>[{fonts.markup(T('alias') if alias else T('name'))}; "
                f"{fonts.markup(w)}]</font>" for n, w, alias in s["names"])
            facts: list[tuple[str, Any]] = [(T("Names and aliases"), Paragraph(names, STYLES["cell"]))]
            if s["roles"]:
                facts.append((T("Role"), "; ".join(f"{T(r) if r in ROLES else r} [{w}]" for r, w in s["roles"])))
            if s["birth"]:
                facts.append((T("Birth date"), "; ".join(f"{b} [{w}]" for b, w in s["birth"])))
            if s["nationality"]:
                facts.append((T("Nationality"), "; ".join(f"{n} [{w}]" for n, w in s["nationality"])))
            ids = self.f.identifiers(ents)
            if ids:
                facts.append((T("Identifiers"), Paragraph("<br/>".join(
                    fonts.markup(f"{k}: {v}" + (f" ({c})" if c else "") +
                                 (f", {vf or '…'}–{vt or ''}" if vf or vt else "") + f" [{self.f.src(sid, srow)}]")
                    for k, v, c, vf, vt, sid, srow in ids), STYLES["cell"])))
            mine = set(ents)
            rel_lines = []
            for a, b, kind, start, end, _note, sid, srow in rels:
                if a in mine or b in mine:
                    other = b if a in mine else a
                    arrow = "→" if a in mine else "←"
                    rel_lines.append(f"{kind} {arrow} {self.name(self.f.subject_of(other))}"
                                     + (f" ({start or ''}–{end or ''})" if start or end else "")
                                     + f" [{self.f.src(sid, srow)}]")
            if rel_lines:
                facts.append((T("Relationships"), Paragraph("<br/>".join(fonts.markup(x) for x in rel_lines),
                                                            STYLES["cell"])))
            ev = by_entity.get(s["key"], [])
            if ev:
                shown = ev[:MAX_SUBJECT_EVENTS]
                text = "<br/>".join(fonts.markup(f"{_fmt_time(e['time'])} {e['kind']} {e['what']} [{e['where']}]")
                                    for e in shown)
                if len(ev) > len(shown):
                    text += "<br/>" + fonts.markup(T("… and {n} more in the timeline", n=len(ev) - len(shown)))
                facts.append((T("Key events"), Paragraph(text, STYLES["cell"])))
            photos = self.f.photos(ents)
            t = pairs(facts, key_width=0.2)
            if photos:
                imgs = []
                for content, sha, _mt in photos[:2]:
                    try:
                        img = Image(io.BytesIO(content))
                        scale = min(32 * mm / img.imageWidth, 40 * mm / img.imageHeight)
                        img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
                        imgs.append([img])
                        imgs.append([Paragraph(fonts.markup(f"SHA-256 {sha[:12]}…"), STYLES["small"])])
                    except Exception as e:  # a damaged image must not stop the dossier
                        log.warning("photo %s not shown: %s", sha, e)
                if imgs:
                    t = pairs(facts, key_width=0.25, width=FRAME_WIDTH * 0.8)
                    ph = Table(imgs, colWidths=[FRAME_WIDTH * 0.2])
                    outer = Table([[t, ph]], colWidths=[FRAME_WIDTH * 0.8, FRAME_WIDTH * 0.2])
                    outer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
                    t = outer
            block.append(t)
            self.story.append(KeepTogether(block[:1] + [Spacer(1, 1)]))
            self.story.append(t)
            self.progress(0.3 + 0.2 * i / max(len(self.subjects), 1), "subjects")

    def analysis(self) -> dict:
        """The analysis engine's network, key players and patterns, run on the released case."""
        if self._analysis is None:
            from analysis import patterns
            from analysis.graph import build_network
            from analysis.keyplayers import key_players

            rc = self.rel.case
            # The same dossier every time: one thread (results in a stable order) and a fixed seed for
            # Leiden, whose random generator is Python's own (the caller's state is put back).
            rc.con.execute("SET threads = 1")
            state = random.getstate()
            random.seed(14)
            try:
                net = build_network(rc)
                kp = key_players(net, top=10) if net.n >= 2 else None
                self._analysis = {
                    "net": net, "kp": kp,
                    "switches": patterns.phone_switches(rc),
                    "cotravel": patterns.cotravel(rc),
                    "money": patterns.money_flows(rc, top=20),
                }
            finally:
                random.setstate(state)
        return self._analysis

    def _entity_of_key(self, key: str | None) -> int | None:
        if key and key[0] == "e" and key[1:].isdigit():
            return self.f.subject_of(int(key[1:]))
        return None

    def central_names(self, n: int = 3) -> list[str]:
        kp = self.analysis()["kp"]
        return [p["name"] or p["id"] for p in (kp.players[:n] if kp else [])]

    def network_section(self) -> None:
        T = self.T
        self.h1(T("Network and key players"), need=150 * mm)
        a = self.analysis()
        net, kp = a["net"], a["kp"]
        if net.n < 2 or kp is None:
            self.p(T("No links between the released persons."), "note")
            return
        g = net.undirected()
        roles = {s["key"]: s["role"] for s in self.subjects}
        key_nodes = set(kp.nodes[:5])
        keep = list(range(g.vcount()))
        if len(keep) > MAX_CHART_NODES:  # the busiest nodes, and every key player
            deg = g.degree()
            keep = sorted(set(sorted(keep, key=lambda v: (-deg[v], v))[:MAX_CHART_NODES]) | set(kp.nodes))
        # the engine's node order follows its SQL; sort by key so the layout is the same every time
        keys = g.vs["key"]
        keep.sort(key=lambda v: keys[v])
        kept = set(keep)
        nodes = []
        for v in keep:
            ent = self._entity_of_key(g.vs[v]["key"])
            label = g.vs[v]["name"] or g.vs[v]["ref"] or ""
            nodes.append(charts.Node(str(v), str(label), roles.get(ent) if ent is not None else None, v in key_nodes))
        edges = sorted((charts.Edge(str(min(e.source, e.target, key=lambda v: keys[v])),
                                    str(max(e.source, e.target, key=lambda v: keys[v])), float(e["count"] or 1))
                        for e in g.es if e.source in kept and e.target in kept),
                       key=lambda e: (keys[int(e.a)], keys[int(e.b)]))
        self.story.append(charts.network(nodes, edges, FRAME_WIDTH, 120 * mm,
                                         {"suspect": T("suspect"), "victim": T("victim"), "witness": T("witness"),
                                          "other": T("other")}))
        self.p(T("Links: relationships stated by the sources, and calls, messages, transfers and shared "
                 "voyages between the people, phones and accounts in this dossier. Line width grows with "
                 "the number of ties. {n} nodes, {e} links.", n=g.vcount(), e=g.ecount())
               + (" " + T("The {k} busiest nodes are drawn.", k=len(keep)) if len(keep) < g.vcount() else ""),
               "note")
        self.h2(T("Key players"), need=60 * mm)
        brokers = {(b["id"], b["bundle_id"]): b for b in kp.brokers}
        frag = {(f["id"], f["bundle_id"]): f for f in kp.fragmentation}
        rows = []
        for p, v in zip(kp.players, kp.nodes, strict=False):
            m = p["metrics"]
            reasons = []
            if m.get("betweenness"):
                reasons.append(T("on {p:.0%} of shortest paths between other people (betweenness {b:.3f})",
                                 p=m["betweenness"], b=m["betweenness"]))
            reasons.append(T("{n} direct contacts", n=m["degree"]))
            b = brokers.get((p["id"], p["bundle_id"]))
            if b:
                reasons.append(T("links communities {c} ({n} pairs of contacts in different communities)",
                                 c=", ".join(b["communities"]), n=b["pairs_across_communities"]))
            f = frag.get((p["id"], p["bundle_id"]))
            if f:
                reasons.append(T("removing this person splits the network into {n} parts", n=f["parts_after"]))
            elif m.get("articulation_point"):
                reasons.append(T("a cut point: some people reach the rest only through this person"))
            reasons.append(f"PageRank {m['pagerank']:.3f}" if m.get("pagerank") is not None else "")
            ent = self._entity_of_key(g.vs[v]["key"]) if v < g.vcount() else None
            rows.append([p["rank"], p["name"] or p["id"], T(roles.get(ent) or "other"), f"{p['score']:.3f}",
                         m["degree"], "; ".join(r for r in reasons if r)])
        self.story.append(table([T("Rank"), T("Person"), T("Role"), T("Score"), T("Links"), T("Reasons")], rows,
                                [0.1, 0.19, 0.1, 0.08, 0.08, 0.45]))
        self.p(T("Score = {formula}, measured on the undirected network ({measures}); communities: {comm}.",
                 formula=kp.method["score"], measures=kp.method["measures"], comm=kp.method["communities"]),
               "note")

    def timeline_section(self) -> None:
        T = self.T
        self.h1(T("Timeline"), need=110 * mm)
        ev = self.f.events()
        if not ev:
            self.p(T("No dated events may be released to this recipient."), "note")
            return
        chart_ev = [charts.Event(e["time"], self.name(e["entity"]) if e["entity"] is not None else
                                 (e["doc"] or T("incidents") if e["kind"].startswith("incident") else e["doc"] or "?"),
                                 e["kind"].split(":")[0]) for e in ev]
        lanes = len({e.lane for e in chart_ev})
        self.story.append(charts.timeline(chart_ev, FRAME_WIDTH, min(95 * mm, 22 * mm + lanes * 7 * mm),
                                          {"travel": T("travel"), "sighting": T("sighting"),
                                           "incident": T("incident")}))
        self.story.append(Spacer(1, 4 * mm))
        rows = [[_fmt_time(e["time"]), e["kind"], self.name(e["entity"]) or (e["doc"] or ""), e["what"], e["where"]]
                for e in ev[:MAX_EVENT_ROWS]]
        self.story.append(table([T("Time"), T("Event"), T("Person"), T("Details"), T("Source")], rows,
                                [0.16, 0.14, 0.18, 0.34, 0.18]))
        if len(ev) > MAX_EVENT_ROWS:
            self.p(T("The first {n} of {m} events are listed.", n=MAX_EVENT_ROWS, m=len(ev)), "note")

    def patterns_section(self) -> None:
        T = self.T
        self.h1(T("Patterns"))
        a = self.analysis()
        f = self.f

        def who(ref: dict | None, fallback: str = "") -> str:
            if not ref:
                return fallback
            return ref.get("name") or ref.get("id") or fallback

        def trip(text: str) -> str:
            what, _, day = text.rpartition(" on ")
            return T("{trip} dated {date}", trip=what, date=day) if what else text

        def rows_of(pairs) -> str:
            return "; ".join(f.src(int(s), int(r)) for s, r in list(pairs)[:4])

        self.h2(T("Phone switches"))
        sw = a["switches"]
        if sw:
            self.story.append(table(
                [T("Old number"), T("New number"), T("Held by"), T("Gap"), T("Shared contacts")],
                [[x["old"], x["new"], " / ".join(dict.fromkeys(who(h) for h in (x["old_holder"], x["new_holder"]) if h)),
                  T("{a} → {b} ({d:g} days)", a=x["old_last_seen"][:10], b=x["new_first_seen"][:10], d=x["gap_days"]),
                  T("{n} of {m}", n=x["shared_contacts"], m=min(x["old_contacts"], x["new_contacts"]))]
                 for x in sw[:30]], [0.17, 0.17, 0.24, 0.24, 0.18]))
            self.p(T("A number that went silent and a new number that then called the same contacts; the two "
                     "never called each other."), "note")
        else:
            self.p(T("No switch found in the calling behaviour."), "note")
        held = f.phone_switches()
        if held:
            self.h3(T("Numbers held in turn (identifiers with dates)"))
            self.story.append(table([T("Person"), T("Old number"), T("New number"), T("From"), T("Evidence")],
                                    [[self.name(x["entity"]), x["old"], x["new"], x["date"], x["evidence"]]
                                     for x in held], [0.2, 0.17, 0.17, 0.12, 0.34]))
        self.h2(T("Travelling together"))
        ct = a["cotravel"]
        if ct:
            self.story.append(table(
                [T("Persons"), T("Trips together"), T("Evidence")],
                [[" + ".join(who(e) for e in x["entities"]), "; ".join(trip(e["trip"]) for e in x["evidence"][:6]),
                  rows_of(r for e in x["evidence"][:3] for r in e["source_rows"])] for x in ct[:40]],
                [0.28, 0.4, 0.32]))
        else:
            self.p(T("None found."), "note")
        self.h2(T("Money flows"))
        mf = a["money"]
        if mf:
            self.story.append(table(
                [T("Pattern"), T("Accounts and holders"), T("Finding"), T("Evidence")],
                [[T.core(x["pattern"]), "; ".join(e["account"] + (f" ({e['name']})" if e.get("name") else "")
                                          for e in x["entities"][:6]),
                  T.core(x.get("explanation", "")),
                  rows_of(e["source"] for e in x.get("evidence", [])[:4] if e.get("source"))
                  or T("{n} transfers", n=len(x.get("evidence", [])))] for x in mf[:30]],
                [0.17, 0.27, 0.36, 0.2]))
        flows = f.money_flows()
        if flows:
            self.h3(T("Largest flows between accounts"))
            self.story.append(table(
                [T("From"), T("To"), T("Transfers"), T("Total"), T("Period"), T("Sources")],
                [[f"{x['from']}" + (f" ({self.name(x['from_entity'])})" if x["from_entity"] is not None else ""),
                  f"{x['to']}" + (f" ({self.name(x['to_entity'])})" if x["to_entity"] is not None else ""),
                  x["count"], f"{x['total']:,.2f} {x['currency']}",
                  f"{_fmt_time(x['first'])[:10]} – {_fmt_time(x['last'])[:10]}", x["sources"]] for x in flows],
                [0.22, 0.22, 0.09, 0.17, 0.2, 0.1]))
        if not mf and not flows:
            self.p(T("None found."), "note")

    def map_section(self) -> None:
        T = self.T
        self.h1(T("Map of places"), need=150 * mm)
        places = self.f.places()
        if not places:
            self.p(T("No places with coordinates may be released to this recipient."), "note")
            return
        note = T("Outlines: Natural Earth (public domain). Its Indonesian provinces predate 2012 "
                 "(no Kalimantan Utara, no new Papua provinces).")
        self.story.append(charts.place_map(places, FRAME_WIDTH, 120 * mm,
                                           {"address": T("address"), "sighting": T("sighting"),
                                            "incident": T("incident"), "call": T("call (cell)"),
                                            "travel": T("travel")}, note))
        self.p(T("Travel places are placed by name on Natural Earth's towns, ports and airports; calls at "
                 "their cell's position, rounded to about 1 km."), "note")

    def sources_section(self) -> None:
        T = self.T
        self.h1(T("Sources annex"))
        rows = []
        for sid, s in sorted(self.f.sources.items()):
            got = sid in self.rel.released_sources
            title = (s.get("title") or s.get("container_name") or "") if got else T("(nothing released)")
            producer = " / ".join(x for x in (s.get("producer_agency"), s.get("producer_unit"),
                                              s.get("producer_country")) if x)
            rel_to = ", ".join(s.get("releasable_to") or []) or "—"
            hand = f"{tlp_mark.label(s['tlp']) if s['tlp'] in tlp_mark.COLOURS else s['tlp']}; " \
                   f"{T('releasable to')}: {rel_to}" + (f"; {s['legal_basis']}" if s.get("legal_basis") else "")
            signer = s.get("signer_name") or (s.get("signer_key_id") or "")[:16] or "—"
            status = s.get("signature_status")
            words = {"verified": T("verified"), "unsigned": T("UNVERIFIED: not signed"),
                     "untrusted-consented": T("UNVERIFIED signer: key not in keyring, accepted once")}
            said = escape(words.get(status, status or "—"))
            if status in UNVERIFIED_STATUSES:
                said = f"<font color='#c0392b'><b>{said}</b></font>"
            rows.append([f"#{sid}", title, producer, (s.get("imported_at") or "")[:10],
                         Paragraph(said, STYLES["cell"]), signer, hand,
                         Paragraph(f"<font size='6'>{s.get('container_sha256') or '—'}</font>", STYLES["cell"])])
        self.story.append(table([T("No."), T("Bundle"), T("Producer"), T("Received"), T("Verification"),
                                 T("Signer"), T("Handling"), "SHA-256"], rows,
                                [0.045, 0.12, 0.12, 0.11, 0.155, 0.09, 0.18, 0.18]))
        if any(s.get("signature_status") in UNVERIFIED_STATUSES for s in self.f.sources.values()):
            self.p(T("A source marked UNVERIFIED, here and wherever its rows are cited, was not signed, or was "
                     "signed by a key that was not in the keyring and was accepted for its import only: nothing "
                     "proves who made it or that it is unchanged."), "note")

    def evidence_section(self) -> None:
        T = self.T
        self.h1(T("Evidence index"))
        files = self.f.files_index()
        rows = [[f"#{sid}", path, kind or "", n if n is not None else "",
                 Paragraph(f"<font size='6'>{sha or ''}</font>", STYLES["cell"])] for sid, path, kind, n, sha in files]
        for sid, path, mt, size, sha in self.f.attachments_index():
            rows.append([f"#{sid}", path, mt or T("attachment"), size or "",
                         Paragraph(f"<font size='6'>{sha}</font>", STYLES["cell"])])
        if rows:
            self.story.append(table([T("Source"), T("File"), T("Kind"), T("Rows / bytes"), "SHA-256"], rows,
                                    [0.09, 0.29, 0.12, 0.1, 0.4]))
        else:
            self.p(T("No files."), "note")

    def withheld_section(self) -> None:
        T = self.T
        self.h1(T("Withheld for this recipient"))
        self.p(T("Counts of records not released to {r}, per source and reason. Their content is not in "
                 "this dossier.", r=self.rel.recipient), "note")
        masked = sum(self.rel.masked.values())
        if masked:
            self.p(T("Masked personal data: {n} records show pseudonyms (masked:…) instead of personal data, "
                     "by the handling rules.", n=masked), "note")
        if not self.rel.withheld:
            self.p(T("Nothing was withheld."))
            return
        rows = []
        for w in self.rel.withheld:
            reason = handling.REASONS.get(w.reason)
            words = self.T.pick(reason.en, reason.id) if reason else w.reason
            s = self.f.sources.get(w.source_id, {})
            tl = s.get("tlp") or ""
            rows.append([f"#{w.source_id}", s.get("producer_agency") or s.get("producer_country") or "",
                         T(w.kind), w.rows, w.reason, words + (f" ({tlp_mark.label(tl)})" if tl in tlp_mark.COLOURS
                                                               and w.reason.startswith("tlp") else "")])
        self.story.append(table([T("Source"), T("Producer"), T("Records"), T("Count"), T("Reason code"),
                                 T("Reason")], rows, [0.09, 0.17, 0.13, 0.08, 0.16, 0.37]))

    def audit_section(self) -> None:
        T = self.T
        self.h1(T("Record of this export"))
        self.story.append(pairs([
            (T("Dossier id"), self.id),
            (T("Audit entry"), T("entry #{seq} of the case's audit log", seq=self.seq)),
            (T("Recipient"), self.rel.recipient),
            ("TLP", tlp_mark.label(self.rel.tlp)),
            (T("Sections"), ", ".join(self.sections)),
            (T("Generated"), self.stamp.strftime("%Y-%m-%d %H:%M:%S UTC")),
        ]))
        self.p(T("The audit entry records the recipient, what was included and withheld, and the SHA-256 "
                 "of this file; 'lintas audit verify' checks the log has not been altered."), "note")

    def build(self) -> list:
        self.cover()
        steps = {"summary": self.summary, "subjects": self.subjects_section, "network": self.network_section,
                 "timeline": self.timeline_section, "patterns": self.patterns_section, "map": self.map_section,
                 "sources": self.sources_section, "evidence": self.evidence_section,
                 "withheld": self.withheld_section}
        for i, name in enumerate(self.sections):
            self.progress.check()
            self.progress(0.25 + 0.45 * i / len(self.sections), f"dossier: {name}")
            steps[name]()
        self.audit_section()
        return self.story


class _TLPFlowable(Spacer):
    """The dossier's TLP as a large FIRST label on the cover."""

    def __init__(self, tlp: str, size: float) -> None:
        super().__init__(FRAME_WIDTH, size * 1.5)
        self.tlp, self.size = tlp, size

    def draw(self) -> None:
        tlp_mark.draw(self.canv, 0, 0, self.tlp, size=self.size)


_TLP_MEANING = {
    "CLEAR": "disclosure is not limited.",
    "GREEN": "limited disclosure, restricted to the community.",
    "AMBER": "limited disclosure, restricted to participants' organisations and their clients.",
    "AMBER+STRICT": "limited disclosure, restricted to participants' organisations only.",
    "RED": "for the eyes and ears of individual recipients only, no further disclosure.",
}


# ---------------------------------------------------------------------------------------------
# building, signing, recording
# ---------------------------------------------------------------------------------------------
def _dossier_id(meta: dict[str, str], seq: int, recipient: str) -> str:
    h = hashlib.sha256("\n".join((meta.get("created_utc", ""), meta.get("title", ""),
                                  meta.get("case_ref", ""))).encode("utf-8")).hexdigest()[:6].upper()
    return f"DOS-{h}-{seq:05d}-{recipient}"


def render(facts: _Facts, rel: Released, lang: str, sections: list[str], dossier_id: str,
           audit_seq: int, stamp: dt.datetime, unit: str, progress: Progress = NULL) -> tuple[bytes, int]:
    """The PDF bytes and page count; pure over its inputs."""
    fonts.register()
    T = Catalogue(lang)
    w = _Writer(facts, rel, T, dossier_id, audit_seq, stamp, sections, unit, progress)
    story = w.build()
    meta = facts.meta
    marking = Marking(rel.tlp, dossier_id, f"{meta.get('case_ref') or ''}  {meta.get('title') or ''}".strip(),
                      lambda n, total: T("page {n} of {total}", n=n, total=total))
    buf = io.BytesIO()
    doc = DossierTemplate(buf, title=f"{meta.get('title') or ''} — {T('Case dossier')} ({rel.recipient})",
                          author=unit or "Lintas", subject=f"{tlp_mark.label(rel.tlp)} {dossier_id}",
                          lang=T.pdf_lang)
    progress(0.75, "laying out pages")
    prime_contents(story)
    doc.multiBuild(story, canvasmaker=canvas_class(marking, stamp), maxPasses=4)
    return buf.getvalue(), doc.page


def _sign(pdf: bytes, key_file: Path, unit: str, stamp: dt.datetime) -> bytes:
    from .pdf import sign

    return sign.sign_pdf(pdf, key_file, unit, stamp)


def build_dossier(case: Case, out: str | Path, recipient: str, lang: str = "en",
                  subjects: list[str] | None = None, sections: list[str] | None = None,
                  sign_key: str | Path | None = None, progress: Progress = NULL,
                  now: dt.datetime | None = None, masking: str = "auto",
                  salt: str | None = None) -> DossierResult:
    """Write the dossier for ``recipient`` to ``out`` and record it; see the module doc."""
    if case.read_only:
        raise DossierError(f"{case.path}: opened read-only; a dossier is recorded in the case's audit log")
    Catalogue(lang)  # validates the language
    if sections:
        bad = [s for s in sections if s not in SECTIONS]
        if bad:
            raise DossierError(f"unknown section(s) {', '.join(bad)}; choose from {', '.join(SECTIONS)}")
        wanted = [s for s in SECTIONS if s in sections]
    else:
        wanted = list(SECTIONS)
    rcpt = handling.normalise_code(recipient)
    if not rcpt:
        raise DossierError("a dossier needs a recipient (a country or organisation code, e.g. MY, INTERPOL)")
    out = Path(out)
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    meta = case.meta()
    unit = meta.get("unit") or ""
    progress(0.0, "selecting what the recipient may receive")
    rel = released_case(case, rcpt, subjects, progress.sub(0.0, 0.25), masking=masking, salt=salt)
    written = False
    try:
        if subjects and not rel.rows.get("persons"):
            raise DossierError(f"none of the subjects {', '.join(subjects)} may be released to {rcpt}, "
                               "or no such subject exists")
        facts = _Facts(rel.case)
        for _attempt in range(3):
            seq = case.cursor().execute("SELECT coalesce(max(seq), 0) + 1 FROM audit").fetchone()[0]
            dossier_id = _dossier_id(meta, seq, rcpt)
            pdf, pages = render(facts, rel, lang, wanted, dossier_id, seq, stamp, unit, progress)
            if sign_key:
                progress(0.9, "signing")
                pdf = _sign(pdf, Path(sign_key), unit, stamp)
            digest = hashlib.sha256(pdf).hexdigest()
            withheld = [{"source_id": w.source_id, "kind": w.kind, "reason": w.reason, "rows": w.rows}
                        for w in rel.withheld]
            included = {k: v for k, v in rel.rows.items() if v}
            with case.transaction() as con:
                now_seq = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM audit").fetchone()[0]
                if now_seq != seq:
                    continue  # another entry came first: lay out again with the right number
                _write_atomic(out, pdf)
                written = True
                got = case.record("export.dossier",
                                  {"recipient": rcpt, "lang": lang, "sections": wanted, "subjects": subjects or [],
                                   "out": str(out), "signed": bool(sign_key)},
                                  {"dossier_id": dossier_id, "sha256": digest, "bytes": len(pdf), "pages": pages,
                                   "tlp": rel.tlp, "included": included, "withheld": withheld}, con=con)
                assert got == seq
                con.execute("INSERT INTO exports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [dossier_id, "dossier", rcpt, str(out), digest, rel.tlp,
                             stamp.replace(tzinfo=None), seq])
            written = False  # recorded: from here on the file is the case's
            progress(1.0, "dossier written")
            log.info("dossier %s for %s: %d pages, %s", dossier_id, rcpt, pages, out)
            return DossierResult(out, digest, pages, rel.tlp, dossier_id, seq, len(pdf), rcpt, lang, wanted,
                                 included, withheld, bool(sign_key))
        raise DossierError("the case's audit log kept changing while the dossier was written; try again")
    except BaseException:
        if written:  # a dossier that is not in the audit log must not be left behind
            out.unlink(missing_ok=True)
        raise
    finally:
        rel.close()


def _write_atomic(out: Path, data: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".dossier-", suffix=".pdf", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def summary_json(result: DossierResult) -> str:
    return json.dumps(result.to_json(), indent=2, ensure_ascii=False)
