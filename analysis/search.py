"""One query box over the whole case: names, aliases, identifiers, places, notes, free text.

DuckDB 2.0.1 has no full-text-search extension offline (FACTS.md), so the case keeps
an index of its own in three tables (migration 4):

``search_docs``      one row per indexed value (a name, an alias, an identifier as written
                     and normalised, an address, a note, a message body …) with its kind,
                     source, source row, entity, country and time, so every hit carries
                     its provenance and can be filtered;
``search_terms``     the vocabulary: each distinct token with its canonical spelling
                     (``analysis.names``: Mohd→muhammad, Soekarno→sukarno) and phonetic key;
``search_postings``  (term, doc) pairs, sorted by term so a lookup reads few row groups.

A query is folded and tokenised like the text; each query token matches vocabulary
terms exactly, by canonical spelling, by prefix, by phonetic key, or by Jaro-Winkler
(typos); a doc's score is the idf-weighted mean of its best match per query token.
Phone numbers are matched on their digits and on E.164 (``0812-3456-7890`` finds
``+62 812 3456 7890``).

Calls, messages and transfers are indexed by their ends, not row by row (a CDR has millions
of rows and few distinct numbers): one doc per number, address or account as written (and its
normalised form where it differs) per source and column, pointing at the first row it is
written in, with the time of its first and last row.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from typing import Any

import pyarrow as pa

from workstation.case import Case
from workstation.normalise import fold_name, looks_like_phone, phone_e164
from workstation.progress import NULL, Progress
from workstation.sql import ident

from . import names
from .xref import first

log = logging.getLogger(__name__)

META_KEY = "search_index"
INDEX_VERSION = 3

# (kind, field, SQL of (source_id, source_row, entity_id, local_id, text, country, time_utc) over table x).
_DOCS: list[tuple[str, str, str, str]] = [
    ("persons", "name", "persons", "x.entity_id, x.id, x.name, x.nationality_iso, NULL"),
    ("persons", "alias", "persons", "x.entity_id, x.id, unnest(x.aliases), x.nationality_iso, NULL"),
    ("persons", "notes", "persons", "x.entity_id, x.id, x.notes, x.nationality_iso, NULL"),
    ("organizations", "name", "organizations", "x.entity_id, x.id, x.name, x.country_iso, NULL"),
    ("organizations", "registration_number", "organizations",
     "x.entity_id, x.id, x.registration_number, x.country_iso, NULL"),
    ("identifiers", "value", "identifiers", "x.owner_entity_id, x.owner, x.value, x.country_iso, NULL"),
    ("identifiers", "value_norm", "identifiers",
     "x.owner_entity_id, x.owner, CASE WHEN x.value_norm <> x.value THEN x.value_norm END, x.country_iso, NULL"),
    ("addresses", "full", "addresses", "x.owner_entity_id, x.owner, x.\"full\", x.country_iso, NULL"),
    ("addresses", "city", "addresses", "x.owner_entity_id, x.owner, x.city, x.country_iso, NULL"),
    ("addresses", "region", "addresses", "x.owner_entity_id, x.owner, x.region, x.country_iso, NULL"),
    ("contacts", "label", "contacts", "x.owner_entity_id, x.owner, x.label, NULL, NULL"),
    ("contacts", "value", "contacts", "x.owner_entity_id, x.owner, x.value, NULL, NULL"),
    ("contacts", "value_norm", "contacts",
     "x.owner_entity_id, x.owner, CASE WHEN x.value_norm <> x.value THEN x.value_norm END, NULL, NULL"),
    ("relationships", "note", "relationships", "x.source_entity_id, x.source, x.note, NULL, NULL"),
    ("messages", "body", "messages", "NULL, NULL, x.body, NULL, x.time_utc"),
    ("transfers", "reference", "transfers", "NULL, NULL, x.reference, NULL, x.time_utc"),
    ("travel", "document", "travel", "x.person_entity_id, x.person, x.document, NULL, x.time_utc"),
    ("travel", "place_from", "travel", "x.person_entity_id, x.person, x.place_from, NULL, x.time_utc"),
    ("travel", "place_to", "travel", "x.person_entity_id, x.person, x.place_to, NULL, x.time_utc"),
    ("travel", "voyage", "travel", "x.person_entity_id, x.person, x.voyage, NULL, x.time_utc"),
    ("sightings", "subject", "sightings", "x.subject_entity_id, x.subject, x.subject, NULL, x.time_utc"),
    ("sightings", "place", "sightings", "x.subject_entity_id, x.subject, x.place, NULL, x.time_utc"),
    ("sightings", "note", "sightings", "x.subject_entity_id, x.subject, x.note, NULL, x.time_utc"),
    ("incidents", "id", "incidents", "NULL, x.id, x.id, NULL, x.time_utc"),
    ("incidents", "kind", "incidents", "NULL, x.id, x.kind, NULL, x.time_utc"),
    ("incidents", "place", "incidents", "NULL, x.id, x.place, NULL, x.time_utc"),
    ("incidents", "description", "incidents", "NULL, x.id, x.description, NULL, x.time_utc"),
    ("objects", "name", "objects", "x.entity_id, x.id, x.name, NULL, NULL"),
]

# (kind, column as written, its normalised companion or None, time column): the ends of event rows.
_ENDS: list[tuple[str, str, str | None, str]] = [
    ("calls", "caller", "caller_e164", "start_utc"), ("calls", "callee", "callee_e164", "start_utc"),
    ("messages", "sender", "sender_norm", "time_utc"), ("messages", "recipient", "recipient_norm", "time_utc"),
    ("transfers", "from_account", None, "time_utc"), ("transfers", "to_account", None, "time_utc"),
]

# Fields holding numbers written with letters and grouping ("MBB 5140 1234 5678", "A 123 4567").
_NUMBERED = {"value", "value_norm", "registration_number", "document"} | {
    f for _, col, norm, _ in _ENDS for f in (col, norm) if f}

_PHONE_SQL = r"^[\s()+\-./0-9]+$"


def _fingerprint(con) -> str:
    """Changes whenever what the index covers changes (a source imported or removed, a note added)."""
    src = first(con.execute("SELECT count(*), coalesce(max(source_id), 0), coalesce(sum(hash(source_id, imported_at)), 0) "
                      "FROM sources"))
    notes = first(con.execute("SELECT count(*), coalesce(max(note_id), 0) FROM notes"))
    return f"v{INDEX_VERSION}:{src[0]}:{src[1]}:{src[2]}:{notes[0]}:{notes[1]}"


def index_is_current(con) -> bool:
    row = first(con.execute("SELECT value FROM case_meta WHERE key = ?", [META_KEY]))
    return bool(row) and row[0] == _fingerprint(con)


def ensure_index(case: Case, progress: Progress = NULL) -> bool:
    """Build the search index if the case changed since it was built; True if it was (re)built."""
    if index_is_current(case.cursor()):
        return False
    build_index(case, progress)
    return True


def _term_info(term: str) -> tuple[str, str | None]:
    """(canonical spelling, phonetic key) of one folded token."""
    if term.isdigit():
        return term, None
    t = names.reform_spelling(term) if names.is_old_spelling([term]) else term
    t = names.canonical_token(t)
    return t, names.phonetic(t) if t.isalpha() else None


def _doc_union() -> str:
    parts = []
    for prio, (kind, fld, table, cols) in enumerate(_DOCS):
        parts.append(f"SELECT {prio} AS prio, '{kind}' AS kind, '{fld}' AS field, x.source_id, x.source_row, "
                     f"{cols} FROM {ident(table)} x")
    return " UNION ALL ".join(parts)


def _ends_union() -> str:
    """One doc per distinct end (as written, and normalised where that differs) per source and
    column: (prio, kind, field, source_id, first row, the entity holding it (``_holders``), local id,
    text, country, first and last time)."""
    parts = []
    prio = len(_DOCS) + 1
    for kind, col, norm, time in _ENDS:
        # The normalised form only where it adds a token ("+6281234567890" beside "0812-3456-7890",
        # not beside "6281234567890").
        differs = (f"AND regexp_replace(lower(x.{ident(norm)}), '[^0-9a-z]', '', 'g') <> "
                   f"regexp_replace(lower(x.{ident(col)}), '[^0-9a-z]', '', 'g')") if norm else ""
        for fld, where in ((col, ""), (norm, differs)):
            if fld is None:
                continue
            key = f"any_value(x.{ident(norm)})" if norm else "NULL::VARCHAR"
            parts.append(
                f"SELECT {prio}, '{kind}', '{fld}', g.source_id, g.first_row, h.holder, NULL::VARCHAR, g.text, "
                f"NULL::VARCHAR, g.t0, g.t1 FROM (SELECT x.source_id, min(x.source_row) AS first_row, "
                f"x.{ident(fld)} AS text, {key} AS key, min(x.{ident(time)}) AS t0, max(x.{ident(time)}) AS t1 "
                f"FROM {ident(kind)} x WHERE x.{ident(fld)} IS NOT NULL {where} "
                f"GROUP BY x.source_id, x.{ident(fld)}) g LEFT JOIN _holders h ON h.value_norm = g.key")
            prio += 1
    return " UNION ALL ".join(parts)


# The entity a number belongs to, where exactly one entity of the case holds it as an identifier
# (a hit on the number in a call record then opens that entity's profile; a number two entities
# hold, or none, opens nothing: the hit does not guess).
_HOLDERS = ("CREATE OR REPLACE TEMP TABLE _holders AS SELECT value_norm, min(owner_entity_id) AS holder "
            "FROM identifiers WHERE owner_entity_id IS NOT NULL AND value_norm IS NOT NULL "
            "GROUP BY value_norm HAVING count(DISTINCT owner_entity_id) = 1")


def build_index(case: Case, progress: Progress = NULL) -> dict[str, int]:
    """(Re)build the whole index in one transaction; cancel leaves the old index in place."""
    progress(0.0, "search index: collecting texts")
    with case.transaction() as tx:
        for t in ("search_postings", "search_terms", "search_docs"):
            tx.execute(f"DELETE FROM {ident(t)}")
        notes = (f"SELECT {len(_DOCS)} AS prio, 'notes' AS kind, 'text' AS field, source_id, NULL::BIGINT, "
                 "entity_id, NULL, text, NULL, created_utc, NULL::TIMESTAMP FROM notes")
        rows = f"SELECT *, NULL::TIMESTAMP FROM ({_doc_union()})"
        tx.execute(_HOLDERS)
        # doc_id follows the kinds' order (persons first), so equal scores rank people first.
        tx.execute(
            "INSERT INTO search_docs SELECT row_number() OVER (ORDER BY prio, source_id, source_row) AS doc_id, "
            "kind, source_id, source_row, entity_id, local_id, field, text, country, time_utc, time_last_utc FROM ("
            f"{rows} UNION ALL {notes} UNION ALL {_ends_union()}) AS d(prio, kind, field, source_id, source_row, "
            "entity_id, local_id, text, country, time_utc, time_last_utc) "
            "WHERE text IS NOT NULL AND trim(text) <> '' ORDER BY doc_id")
        progress.check()
        # Tokens: plain Latin text in SQL; anything else through fold_name (any script to Latin).
        tx.execute(
            "CREATE OR REPLACE TEMP TABLE _stx AS SELECT text, strip_accents(lower(text)) AS low, "
            "bool_or(list_contains(?, field)) AS numbered FROM search_docs GROUP BY text", [sorted(_NUMBERED)])
        tx.execute(
            "CREATE OR REPLACE TEMP TABLE _stt AS SELECT text, list_filter(regexp_split_to_array(low, '[^a-z0-9]+'), "
            "lambda t: t <> '') AS tokens FROM _stx WHERE regexp_full_match(low, '[\\x20-\\x7e\\t\\n\\r]*')")
        others = [r[0] for r in tx.execute(
            "SELECT text FROM _stx WHERE NOT regexp_full_match(low, '[\\x20-\\x7e\\t\\n\\r]*')").fetchall()]
        progress(0.3, f"search index: {len(others)} texts in other scripts")
        if others:
            tx.register("_sto", pa.table({"text": others,
                                          "tokens": [(fold_name(t) or "").split() for t in others]}))
            tx.execute("INSERT INTO _stt SELECT text, tokens FROM _sto")
            tx.unregister("_sto")
        # Phone-like values, and numbers of identifiers and accounts however grouped ("BRI 0123-01-…"),
        # also get their digits as one token (and E.164's digits, via the normalised docs).
        tx.execute(
            "CREATE OR REPLACE TEMP TABLE _stp AS "
            "SELECT DISTINCT d.doc_id, t.term FROM search_docs d JOIN ("
            "  SELECT text, unnest(tokens) AS term FROM _stt "
            f"  UNION ALL SELECT text, regexp_replace(text, '[^0-9]', '', 'g') FROM _stx "
            f"  WHERE (numbered OR regexp_full_match(text, '{_PHONE_SQL}')) "
            "AND length(regexp_replace(text, '[^0-9]', '', 'g')) >= 6"
            ") t USING (text)")
        progress.check()
        progress(0.5, "search index: vocabulary")
        vocab = tx.execute("SELECT term, count(*) AS df FROM _stp GROUP BY term ORDER BY term").fetchall()
        info = [_term_info(t) for t, _ in vocab]
        progress.check()
        tx.register("_stv", pa.table({
            "term_id": pa.array(range(1, len(vocab) + 1), pa.int32()),
            "term": [t for t, _ in vocab], "canon": [c for c, _ in info], "phon": [p for _, p in info],
            "df": pa.array([d for _, d in vocab], pa.int64())}))
        tx.execute("INSERT INTO search_terms SELECT term_id, term, canon, phon, df FROM _stv")
        tx.unregister("_stv")
        progress(0.7, "search index: postings")
        tx.execute("INSERT INTO search_postings SELECT t.term_id, p.doc_id FROM _stp p JOIN search_terms t "
                   "USING (term) ORDER BY t.term_id, p.doc_id")
        for t in ("_stx", "_stt", "_stp", "_holders"):
            tx.execute(f"DROP TABLE IF EXISTS {ident(t)}")
        counts = {"docs": tx.execute("SELECT count(*) FROM search_docs").fetchall()[0][0],
                  "terms": len(vocab),
                  "postings": tx.execute("SELECT count(*) FROM search_postings").fetchall()[0][0]}
        tx.execute("INSERT OR REPLACE INTO case_meta VALUES (?, ?)", [META_KEY, _fingerprint(tx)])
    progress(1.0, f"search index: {counts['docs']} values, {counts['terms']} terms")
    log.info("search index built: %s", counts)
    return counts


_WEAK = names.HONORIFICS | names.PATRONYMICS | names.PARTICLES


def query_terms(text: str, region: str = "ID") -> list[dict[str, Any]]:
    """The query's tokens as the index sees them (one group per token; a phone number is one group)."""
    text = (text or "").strip()
    if not text:
        return []
    if looks_like_phone(text):
        digits = re.sub(r"\D", "", text)
        alts = {digits}
        e164 = phone_e164(text, region)
        if e164:
            alts.add(e164.lstrip("+"))
        return [{"qi": 0, "canon": a, "phon": None, "exact_only": True} for a in sorted(alts)]
    out = []
    for i, tok in enumerate((fold_name(text) or "").split()):
        canon, phon = _term_info(tok)
        out.append({"qi": i, "canon": canon, "phon": phon, "exact_only": False})
    # Honorifics, patronymics and name particles ("de la") say little and are written many ways
    # ("dela", "de la", "bin", "b."); keep them only if nothing else is left.
    meaningful = [q for q in out if q["canon"] not in _WEAK]
    return meaningful or out


def _candidate_terms(con, q: list[dict[str, Any]]) -> pa.Table:
    """Vocabulary terms matching each query token: (qi, term_id, term, df, sim).

    Exact and canonical spellings and phonetic keys by hash join; prefixes and typos
    (Jaro-Winkler) only among terms of the token's first letter, a range of the
    vocabulary (stored in term order) that DuckDB reads without the rest.
    """
    sim = ("CASE WHEN t.term = $c{i} OR t.canon = $c{i} THEN 1.0 "
           "WHEN length($c{i}) >= 4 AND starts_with(t.canon, $c{i}) THEN 0.9 "
           "WHEN $p{i} IS NOT NULL AND t.phon = $p{i} AND length($p{i}) >= 2 THEN 0.85 "
           "ELSE 0.95 * jaro_winkler_similarity(t.canon, $c{i}) END")
    parts: list[str] = []
    params: dict[str, Any] = {}
    for i, x in enumerate(q):
        params[f"c{i}"], params[f"p{i}"] = x["canon"], x["phon"]
        cols = f"{x['qi']} AS qi, t.term_id, t.term, t.df, {sim.format(i=i)} AS sim"
        parts.append(f"SELECT {cols} FROM search_terms t WHERE t.canon = $c{i} OR t.term = $c{i}")
        if x["exact_only"]:
            continue
        if x["phon"] and len(x["phon"]) >= 2:
            parts.append(f"SELECT {cols} FROM search_terms t WHERE t.phon = $p{i}")
        if len(x["canon"]) >= 4:
            first = x["canon"][0]
            params[f"lo{i}"], params[f"hi{i}"] = first, chr(ord(first) + 1)
            parts.append(f"SELECT {cols} FROM search_terms t WHERE t.term >= $lo{i} AND t.term < $hi{i} "
                         f"AND (starts_with(t.canon, $c{i}) OR (abs(length(t.canon) - length($c{i})) <= 2 "
                         f"AND jaro_winkler_similarity(t.canon, $c{i}) >= 0.88))")
    return con.sql(
        "SELECT qi, term_id, any_value(term) AS term, any_value(df) AS df, max(sim) AS sim "
        f"FROM ({' UNION ALL '.join(parts)}) GROUP BY qi, term_id", params=params).to_arrow_table()


def search(con, text: str, kinds: list[str] | None = None, sources: list[int] | None = None,
           countries: list[str] | None = None, time_from: dt.datetime | None = None,
           time_to: dt.datetime | None = None, limit: int = 50, min_score: float = 0.5) -> list[dict[str, Any]]:
    """Ranked hits for ``text``; each names its kind, field, source, bundle, local id and source row.

    Three steps, each reading little: the query's candidate terms from the vocabulary; their
    postings (read by term id, the order they are stored in) scored per doc; then only the
    best docs' rows.  With filters, the filter is applied before the best are taken.
    """
    q = query_terms(text)
    if not q:
        return []
    total_docs = max(1, con.execute("SELECT count(*) FROM search_docs").fetchall()[0][0])
    cand = _candidate_terms(con, q)
    if cand.num_rows == 0:
        return []
    groups = sorted({x["qi"] for x in q})
    found = set(cand.column("qi").to_pylist())
    # A query token found nowhere still counts in the denominator, as the rarest possible term.
    absent_w = math.log(1 + total_docs) * (len(groups) - len(found))
    where, params = [], []
    if kinds:
        where.append("list_contains(?, d.kind)")
        params.append(list(kinds))
    if sources:
        where.append("list_contains(?, d.source_id)")
        params.append([int(s) for s in sources])
    if countries:
        where.append("list_contains(?, d.country)")
        params.append([c.upper() for c in countries])
    if time_from:   # a doc standing for many rows: the span of its rows overlaps the range
        where.append("coalesce(d.time_last_utc, d.time_utc) >= ?")
        params.append(time_from)
    if time_to:
        where.append("d.time_utc < ?")
        params.append(time_to)
    term_ids = sorted(set(cand.column("term_id").to_pylist()))
    in_list = ", ".join("?" * len(term_ids))
    # A doc reaching min_score must match one of the heaviest query tokens: those without which the
    # rest weigh less than min_score.  Only docs holding one of those are scored ("muhammad" alone
    # is not read for "Mohd Rizal").
    # A query token's weight: how rare what it matches is, all its good matches together
    # ("mohd" matches muhammad, mohamad, md …: as common as they all are together).
    qis, dfs, sims = (cand.column(c).to_pylist() for c in ("qi", "df", "sim"))
    good_df: dict[int, int] = {}
    any_df: dict[int, int] = {}
    for qi, df, sim in zip(qis, dfs, sims, strict=True):
        any_df[qi] = any_df.get(qi, 0) + df
        if sim >= 0.85:
            good_df[qi] = good_df.get(qi, 0) + df
    weights = {qi: math.log(1 + total_docs / (good_df.get(qi) or any_df[qi])) for qi in any_df}
    total_w = sum(weights.values()) + absent_w
    must: list[int] = []
    rest = total_w
    for qi in sorted(weights, key=lambda k: -weights[k]):
        if rest - absent_w < min_score * total_w:
            break
        must.append(qi)
        rest -= weights[qi]
    must_ids = sorted({t for t, qi in zip(cand.column("term_id").to_pylist(), cand.column("qi").to_pylist(),
                                          strict=True) if qi in must}) or term_ids
    must_list = ", ".join("?" * len(must_ids))
    filtered = (f"JOIN search_docs d USING (doc_id) WHERE {' AND '.join(where)}" if where else "")
    con.register("_sc", cand)
    try:
        best = con.execute(
            "WITH qw AS (SELECT unnest(?::INTEGER[]) AS qi, unnest(?::DOUBLE[]) AS w), "
            f"docs AS (SELECT DISTINCT doc_id FROM search_postings WHERE term_id IN ({must_list})), "
            f"post AS (SELECT term_id, doc_id FROM search_postings WHERE term_id IN ({in_list}) "
            "  AND doc_id IN (SELECT doc_id FROM docs)), "
            "hit AS (SELECT p.doc_id, c.qi, max(c.sim) AS sim, arg_max(c.term, c.sim) AS term "
            "  FROM post p JOIN _sc c USING (term_id) GROUP BY p.doc_id, c.qi), "
            "doc AS (SELECT h.doc_id, sum(h.sim * qw.w) / ? AS score, "
            "  list(h.term ORDER BY h.qi) AS matched FROM hit h JOIN qw USING (qi) GROUP BY h.doc_id) "
            f"SELECT doc.doc_id, doc.score, doc.matched FROM doc {filtered} "
            f"{'AND' if where else 'WHERE'} doc.score >= ? ORDER BY doc.score DESC, doc.doc_id LIMIT ?",
            [list(weights), list(weights.values())] + must_ids + term_ids + [total_w] + params
            + [min_score, int(limit)]).fetchall()
    finally:
        con.unregister("_sc")
    if not best:
        return []
    ids = [r[0] for r in best]
    # The few best docs by their ids (stored in id order: a range of row groups, not a scan).
    rows = {r[0]: r for r in con.execute(
        "SELECT d.doc_id, d.kind, d.field, d.text, d.source_id, s.bundle_id, d.local_id, d.source_row, "
        "d.entity_id, d.country, d.time_utc, d.time_last_utc FROM search_docs d "
        "SEMI JOIN (SELECT unnest(?::BIGINT[]) AS doc_id) w USING (doc_id) "
        "LEFT JOIN sources s ON s.source_id = d.source_id WHERE d.doc_id BETWEEN ? AND ?",
        [ids, min(ids), max(ids)]).fetchall()}
    hits = []
    for doc_id, score, matched in best:
        r = rows[doc_id]
        hits.append({"source_id": r[4], "bundle_id": r[5], "id": r[6], "kind": r[1], "field": r[2],
                     "text": r[3], "source_row": r[7], "entity_id": r[8], "country": r[9],
                     "time_utc": r[10].isoformat() + "Z" if r[10] else None,
                     "time_last_utc": r[11].isoformat() + "Z" if r[11] else None,
                     "score": round(min(1.0, float(score)), 4), "matched": list(matched)})
    return hits
