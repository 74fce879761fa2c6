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
written in, with the time of its first and last row.  A search with a time range keeps such a doc
only if one of its rows lies in the range, and reports its first row and span among those: the few
best docs' rows are read from ``search_end_rows`` (each such doc's rows, their time and number, in doc
order), not from the kind table (``_rows_in_range``).

Keeping it current (``ensure_index``).  ``case_meta`` holds the index's fingerprint (``META_KEY``)
and what it covers (``COVER_KEY``: the sources by id and import time, the notes by count, last id
and a hash of their values, and the docs appended since the last full build).  When only sources
or notes were added since, their docs are added (``add_to_index``: on 1M persons and 5M calls, a
source of 1,000 persons and 10,000 calls in 0.7 s against 23.5 s for a rebuild); when anything
else changed (a source removed or re-imported, a covered note edited or deleted, an index of an
older ``INDEX_VERSION``) the whole index is rebuilt (``build_index``).  The rule for falling back
to a full rebuild on growth: terms and postings are stored sorted, appended rows are not, so when
the docs appended since the last full build would pass ``APPEND_LIMIT`` (a quarter) of all docs,
the add is dropped and the index rebuilt whole, sorted again.

Ties: equal scores are ordered by doc_id.  A full build numbers docs in the kinds' order across
all sources (persons first); an add numbers the new docs after all older ones, so among equal
scores an added source's docs come after the older sources' docs of any kind.  Everything that
makes a score (the docs, their tokens, each term's df, the doc count) is the same as after a full
build, so a query's hits have the same set and scores; only a limit cutting through a run of equal
scores can keep different ones.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import re
from typing import Any

import pyarrow as pa

from workstation.case import Case
from workstation.errors import LintasError
from workstation.normalise import country_iso, fold_name, looks_like_phone, phone_e164
from workstation.progress import NULL, Progress
from workstation.sql import ident, literal

from . import names
from .xref import first

log = logging.getLogger(__name__)

META_KEY = "search_index"
COVER_KEY = "search_index_cover"
INDEX_VERSION = 10
# Sources added since the last full build may make up at most this share of the docs (see add_to_index).
APPEND_LIMIT = 0.25
# Vocabulary terms through Python at a time (``_insert_terms``): each batch holds Python's lock ~10 ms.
TERM_BATCH = 50_000

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
    ("travel", "carrier", "travel", "x.person_entity_id, x.person, x.carrier, NULL, x.time_utc"),
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

# The kinds a hit can be of, in the index's order (a search may be limited to one).
KINDS = tuple(dict.fromkeys([k for k, _, _, _ in _DOCS] + ["notes"] + [k for k, _, _, _ in _ENDS]))

# (kind, field) of the docs that stand for every row of a source writing a number or account.
END_FIELDS = frozenset((kind, f) for kind, col, norm, _ in _ENDS for f in (col, norm) if f)

# Fields holding numbers written with letters and grouping ("MBB 5140 1234 5678", "A 123 4567").
_NUMBERED = {"value", "value_norm", "registration_number", "document", "subject"} | {f for _, f in END_FIELDS}

_PHONE_SQL = r"^[\s()+\-./0-9]+$"


def _notes_state(con, upto: int | None = None) -> tuple[int, int, str]:
    """(count, max note_id, hash of every indexed value) of the notes, or of those up to ``upto``."""
    row = first(con.execute(
        "SELECT count(*), coalesce(max(note_id), 0), "
        "CAST(coalesce(sum(hash(note_id, entity_id, source_id, text, created_utc)), 0) AS VARCHAR) "
        "FROM notes WHERE ? IS NULL OR note_id <= ?", [upto, upto]))
    return int(row[0]), int(row[1]), str(row[2])


def _sources_state(con) -> list[list[Any]]:
    return [[int(s), str(t)] for s, t in con.execute(
        "SELECT source_id, CAST(imported_at AS VARCHAR) FROM sources ORDER BY source_id").fetchall()]


def _fingerprint(con) -> str:
    """Changes whenever what the index covers changes (a source imported or removed, a note added
    or edited)."""
    src = first(con.execute("SELECT count(*), coalesce(max(source_id), 0), coalesce(sum(hash(source_id, imported_at)), 0) "
                      "FROM sources"))
    notes = _notes_state(con)
    return f"v{INDEX_VERSION}:{src[0]}:{src[1]}:{src[2]}:{notes[0]}:{notes[1]}:{notes[2]}"


def index_is_current(con) -> bool:
    row = first(con.execute("SELECT value FROM case_meta WHERE key = ?", [META_KEY]))
    return bool(row) and row[0] == _fingerprint(con)


def _cover(con, appended: int) -> str:
    """What the index covers (``COVER_KEY``): the sources by id and import time, the notes (count,
    last id, hash), and how many docs were appended since the last full build."""
    count, last, digest = _notes_state(con)
    return json.dumps({"version": INDEX_VERSION, "sources": _sources_state(con),
                       "notes": {"count": count, "max": last, "hash": digest}, "appended": appended})


def _plan_add(con) -> dict[str, Any] | None:
    """What an incremental add would index (new source ids, notes after an id), or None when the
    index must be rebuilt whole: no record of what it covers, an older index, or a source removed
    or re-imported, or a covered note edited or deleted."""
    row = first(con.execute("SELECT value FROM case_meta WHERE key = ?", [COVER_KEY]))
    if not row or not first(con.execute("SELECT value FROM case_meta WHERE key = ?", [META_KEY])):
        return None
    try:
        cover = json.loads(row[0])
        if cover.get("version") != INDEX_VERSION:
            return None
        covered = {int(s): str(t) for s, t in cover["sources"]}
        notes = cover["notes"]
    except (ValueError, KeyError, TypeError):
        return None
    now = dict((s, t) for s, t in _sources_state(con))
    if any(now.get(s) != t for s, t in covered.items()):
        return None
    count, _, digest = _notes_state(con, int(notes["max"]))
    if (count, digest) != (int(notes["count"]), str(notes["hash"])):
        return None
    new_sources = sorted(s for s in now if s not in covered)
    # A source id lower than a covered one would sort before it in a full build: still addable, the
    # doc_id order only breaks ties (see ``add_to_index``).
    return {"sources": new_sources, "notes_after": int(notes["max"]), "appended": int(cover.get("appended", 0))}


def ensure_index(case: Case, progress: Progress = NULL) -> bool:
    """Bring the search index up to date; True if it changed (added to or rebuilt), False if current.

    Only new sources or notes since the index was built: they are added (``add_to_index``).
    Anything else (a source removed or re-imported, a note edited, an index of an older version,
    an appended part grown past ``APPEND_LIMIT`` of the docs): the whole index is rebuilt.
    """
    cur = case.cursor()
    if index_is_current(cur):
        return False
    plan = _plan_add(cur)
    if plan is None or add_to_index(case, plan, progress) is None:
        build_index(case, progress)
    return True


def _term_info(term: str) -> tuple[str, str | None]:
    """(canonical spelling, phonetic key) of one folded token."""
    if term.isdigit():
        return term, None
    t = names.reform_spelling(term) if names.is_old_spelling([term]) else term
    t = names.canonical_token(t)
    return t, names.phonetic(t) if t.isalpha() else None


# Docs of the sources in scope: all of them (a full build) or those in the temp table _scope (an add).
_IN_SCOPE = "x.source_id IN (SELECT source_id FROM _scope)"


def _doc_union(scope: str) -> str:
    parts = []
    for prio, (kind, fld, table, cols) in enumerate(_DOCS):
        parts.append(f"SELECT {prio} AS prio, '{kind}' AS kind, '{fld}' AS field, x.source_id, x.source_row, "
                     f"{cols} FROM {ident(table)} x WHERE {scope}")
    return " UNION ALL ".join(parts)


def _ends_union(scope: str) -> str:
    """One doc per distinct end (as written, and normalised where that differs) per source and
    column: (prio, kind, field, source_id, first row, the entity holding it (``_holders``), local id,
    text, country, first and last time)."""
    parts = []
    prio = len(_DOCS) + 1
    for kind, col, norm, time in _ENDS:
        for fld in (col, norm):
            if fld is None:
                continue
            key = f"any_value(x.{ident(norm)})" if norm else "NULL::VARCHAR"
            grouped = (f"SELECT x.source_id, min(x.source_row) AS first_row, x.{ident(fld)} AS text, {key} AS key, "
                       f"min(x.{ident(time)}) AS t0, max(x.{ident(time)}) AS t1 FROM {ident(kind)} x "
                       f"WHERE x.{ident(fld)} IS NOT NULL AND {scope} GROUP BY x.source_id, x.{ident(fld)}")
            if fld == norm:
                # The normalised form only where it adds a token ("+6281234567890" beside "0812-3456-7890",
                # not beside "6281234567890"): tested per distinct writing, then its rows' groups merged.
                grouped = (
                    "SELECT source_id, min(first_row) AS first_row, text, any_value(text) AS key, min(t0) AS t0, "
                    "max(t1) AS t1 FROM (SELECT x.source_id, min(x.source_row) AS first_row, "
                    f"x.{ident(norm)} AS text, x.{ident(col)} AS w, min(x.{ident(time)}) AS t0, "
                    f"max(x.{ident(time)}) AS t1 FROM {ident(kind)} x WHERE x.{ident(norm)} IS NOT NULL AND {scope} "
                    f"GROUP BY x.source_id, x.{ident(norm)}, x.{ident(col)}) "
                    "WHERE regexp_replace(lower(text), '[^0-9a-z]', '', 'g') <> "
                    "regexp_replace(lower(w), '[^0-9a-z]', '', 'g') GROUP BY source_id, text")
            parts.append(
                f"SELECT {prio}, '{kind}', '{fld}', g.source_id, g.first_row, h.holder, NULL::VARCHAR, g.text, "
                f"NULL::VARCHAR, g.t0, g.t1 FROM ({grouped}) g LEFT JOIN _holders h ON h.value_norm = g.key")
            prio += 1
    return " UNION ALL ".join(parts)


# The entity a number belongs to, where exactly one entity of the case holds it as an identifier
# (a hit on the number in a call record then opens that entity's profile; a number two entities
# hold, or none, opens nothing: the hit does not guess).
_HOLDERS = ("CREATE OR REPLACE TEMP TABLE _holders AS SELECT value_norm, min(owner_entity_id) AS holder "
            "FROM identifiers WHERE owner_entity_id IS NOT NULL AND value_norm IS NOT NULL "
            "GROUP BY value_norm HAVING count(DISTINCT owner_entity_id) = 1")


def _insert_docs(tx, scope: str, base: int, notes_after: int) -> int:
    """Docs of the sources in ``scope`` and of the notes after ``notes_after``, numbered from
    ``base`` + 1 in the kinds' order (persons first, then by source and row, then by every value:
    the same case is numbered the same way at every build, so hits of equal score keep their
    order); their count."""
    notes = (f"SELECT {len(_DOCS)} AS prio, 'notes' AS kind, 'text' AS field, source_id, NULL::BIGINT, "
             "entity_id, NULL, text, NULL, created_utc, NULL::TIMESTAMP FROM notes WHERE note_id > $notes_after")
    rows = f"SELECT *, NULL::TIMESTAMP FROM ({_doc_union(scope)})"
    tx.execute(
        "INSERT INTO search_docs SELECT $base + row_number() OVER (ORDER BY prio, source_id, source_row, "
        "kind, field, text, entity_id, local_id, country, time_utc, time_last_utc) AS doc_id, "
        "kind, source_id, source_row, entity_id, local_id, field, text, country, time_utc, time_last_utc FROM ("
        f"{rows} UNION ALL {notes} UNION ALL {_ends_union(scope)}) AS d(prio, kind, field, source_id, source_row, "
        "entity_id, local_id, text, country, time_utc, time_last_utc) "
        "WHERE text IS NOT NULL AND trim(text) <> '' ORDER BY doc_id", {"base": base, "notes_after": notes_after})
    return first(tx.execute("SELECT count(*) FROM search_docs WHERE doc_id > ?", [base]))[0]


def _insert_end_rows(tx, scope: str, base: int) -> None:
    """``search_end_rows``: for each doc after ``base`` standing for many rows, its rows (their time
    and number), in doc order — the rows ``_ends_union`` grouped into it.  A search with a time range
    reads the few best docs' rows here (``_rows_in_range``)."""
    parts = []
    for kind, col, norm, time in _ENDS:
        # (written with d.text, the row's normalised value, so that it is tested on the joined rows only)
        differs = (f"AND regexp_replace(lower(d.text), '[^0-9a-z]', '', 'g') <> "
                   f"regexp_replace(lower(x.{ident(col)}), '[^0-9a-z]', '', 'g')") if norm else ""
        for fld, where in ((col, ""), (norm, differs)):
            if fld is None:
                continue
            parts.append(
                f"SELECT d.doc_id, x.{ident(time)} AS time_utc, x.source_row FROM {ident(kind)} x "
                f"JOIN (SELECT doc_id, source_id, text FROM search_docs WHERE doc_id > $base AND kind = '{kind}' "
                f"AND field = '{fld}') d ON d.source_id = x.source_id AND d.text = x.{ident(fld)} "
                f"WHERE {scope} {where}")
    tx.execute(f"INSERT INTO search_end_rows SELECT * FROM ({' UNION ALL '.join(parts)}) "
               "ORDER BY doc_id, time_utc, source_row", {"base": base})


def _batches(tx, table: str, columns: str):
    """The rows of temp table ``table`` (numbered by ``_n`` from 1) as Arrow tables of ``TERM_BATCH``
    rows, in ``_n`` order: no single fetch holds Python's lock long (see ``_insert_terms``)."""
    last = first(tx.execute(f"SELECT coalesce(max(_n), 0) FROM {ident(table)}"))[0]
    for lo in range(1, last + 1, TERM_BATCH):
        yield tx.sql(f"SELECT {columns} FROM {ident(table)} WHERE _n >= ? AND _n < ? ORDER BY _n",
                     params=[lo, lo + TERM_BATCH]).to_arrow_table()


def _insert_tokens(tx, texts: list[str], tokens: list[list[str]]) -> None:
    """(text, tokens) pairs worked out in Python into ``_stt``."""
    if texts:
        tx.register("_stw", pa.table({"text": pa.array(texts, pa.string()),
                                      "tokens": pa.array(tokens, pa.list_(pa.string()))}))
        tx.execute("INSERT INTO _stt SELECT text, tokens FROM _stw")
        tx.unregister("_stw")


def _tokenise(tx, base: int, progress: Progress) -> None:
    """``_stp``: the distinct (doc_id, term) pairs of the docs after ``base``.

    A doc's tokens depend on its text and field alone (so docs added later tokenise as a full
    build would): the folded words, and for numbers of identifiers and accounts however grouped
    ("BRI 0123-01-…") and phone-like values, their digits as one token.
    """
    # Tokens: plain Latin text in SQL; anything else through fold_name (any script to Latin).
    tx.execute(
        "CREATE OR REPLACE TEMP TABLE _stx AS SELECT DISTINCT text, strip_accents(lower(text)) AS low "
        "FROM search_docs WHERE doc_id > ?", [base])
    tx.execute(
        "CREATE OR REPLACE TEMP TABLE _stt AS SELECT text, list_filter(regexp_split_to_array(low, '[^a-z0-9]+'), "
        "lambda t: t <> '') AS tokens FROM _stx WHERE regexp_full_match(low, '[\\x20-\\x7e\\t\\n\\r]*')")
    tx.execute("CREATE OR REPLACE TEMP TABLE _sto AS SELECT row_number() OVER () AS _n, text FROM _stx "
               "WHERE NOT regexp_full_match(low, '[\\x20-\\x7e\\t\\n\\r]*')")
    progress(0.3, f"search index: {first(tx.execute('SELECT count(*) FROM _sto'))[0]} texts in other scripts")
    for batch in _batches(tx, "_sto", "text"):
        others = batch.column("text").to_pylist()
        _insert_tokens(tx, others, [(names.fold(t) or "").split() for t in others])
        progress.check()
    # Chinese names with the given name joined ("Chen Weiming") also get its syllables ("wei", "ming"),
    # as "陈伟明" and "Chen Wei Ming" are tokenised (names.split_pinyin).
    tx.execute("CREATE OR REPLACE TEMP TABLE _stj AS SELECT row_number() OVER () AS _n, text, tokens FROM _stt "
               "WHERE len(tokens) BETWEEN 2 AND 4 AND EXISTS (SELECT 1 FROM (SELECT unnest(tokens) AS t) "
               "WHERE t IN (SELECT unnest(?::VARCHAR[])))", [sorted(names.CHINESE_SURNAMES)])
    for batch in _batches(tx, "_stj", "text, tokens"):
        joined = zip(batch.column("text").to_pylist(), batch.column("tokens").to_pylist(), strict=True)
        split = [(t, toks) for t, old in joined if (toks := names.split_pinyin(list(old))) != old]
        _insert_tokens(tx, [t for t, _ in split], [k for _, k in split])
    for t in ("_sto", "_stj"):
        tx.execute(f"DROP TABLE {ident(t)}")
    tx.execute(
        "CREATE OR REPLACE TEMP TABLE _stp AS "
        "SELECT DISTINCT doc_id, term FROM ("
        "  SELECT d.doc_id, unnest(t.tokens) AS term FROM search_docs d JOIN _stt t USING (text) "
        "  WHERE d.doc_id > ? "
        "  UNION ALL SELECT d.doc_id, regexp_replace(d.text, '[^0-9]', '', 'g') FROM search_docs d "
        f"  WHERE d.doc_id > ? AND (list_contains(?, d.field) OR regexp_full_match(d.text, '{_PHONE_SQL}')) "
        "  AND length(regexp_replace(d.text, '[^0-9]', '', 'g')) >= 6 "
        # A number with letters, however grouped, also as one token ("KT 1234 AB", "KT-1234-AB" as
        # "kt1234ab"): the plate or document typed without spaces finds every writing.
        "  UNION ALL SELECT d.doc_id, regexp_replace(strip_accents(lower(d.text)), '[^a-z0-9]', '', 'g') "
        "  FROM search_docs d WHERE d.doc_id > ? AND list_contains(?, d.field) AND regexp_matches(d.text, '[A-Za-z]') "
        "  AND regexp_matches(d.text, '[0-9]') "
        "  AND length(regexp_replace(strip_accents(lower(d.text)), '[^a-z0-9]', '', 'g')) BETWEEN 4 AND 40)",
        [base, base, sorted(_NUMBERED), base, sorted(_NUMBERED)])


def _insert_terms(tx, new_terms: str, first_id: int, progress: Progress) -> int:
    """New vocabulary terms: those of ``new_terms`` (SQL of (term, df)), numbered from ``first_id`` in
    term order; their count.

    The vocabulary stays in DuckDB (a large case has millions of terms): only the terms that are not
    all digits go through Python (``_term_info``), ``TERM_BATCH`` at a time, so that no single call
    (fetching them, building their Arrow arrays) holds Python's lock for long; a thread asking for
    it meanwhile (the window, when the first search builds the index on a worker) gets it within
    some 30 ms.  A term of ASCII digits is its own canonical spelling and has no phonetic key.
    """
    tx.execute("CREATE OR REPLACE TEMP TABLE _stn AS SELECT term, df, "
               f"$first - 1 + row_number() OVER (ORDER BY term) AS term_id FROM ({new_terms})", {"first": first_id})
    n = first(tx.execute("SELECT count(*) FROM _stn"))[0]
    for lo in range(first_id, first_id + n, TERM_BATCH):
        rng = [lo, lo + TERM_BATCH]
        batch = tx.sql("SELECT term_id, term FROM _stn WHERE term_id >= ? AND term_id < ? "
                       "AND NOT regexp_full_match(term, '[0-9]+')", params=rng).to_arrow_table()
        canon, phon = [], []
        for t in batch.column("term").to_pylist():
            c, p = _term_info(t)   # (no list of 50,000 tuples for the collector to walk)
            canon.append(c)
            phon.append(p)
        tx.register("_stv", pa.table({"term_id": batch.column("term_id"), "canon": pa.array(canon, pa.string()),
                                      "phon": pa.array(phon, pa.string())}))
        # Appended batch by batch in term_id order: the vocabulary is stored sorted by term.
        tx.execute("INSERT INTO search_terms SELECT n.term_id, n.term, CASE WHEN v.term_id IS NULL THEN n.term "
                   "ELSE v.canon END, v.phon, n.df FROM _stn n LEFT JOIN _stv v USING (term_id) "
                   "WHERE n.term_id >= ? AND n.term_id < ? ORDER BY n.term_id", rng)
        tx.unregister("_stv")
        progress.check()
    tx.execute("DROP TABLE _stn")
    return n


def _insert_postings(tx) -> int:
    """``_stp``'s pairs as postings, in (term_id, doc_id) order; the temp tables dropped."""
    tx.execute("INSERT INTO search_postings SELECT t.term_id, p.doc_id FROM _stp p JOIN search_terms t "
               "USING (term) ORDER BY t.term_id, p.doc_id")
    n = first(tx.execute("SELECT count(*) FROM _stp"))[0]
    for t in ("_stx", "_stt", "_stp", "_holders", "_scope"):
        tx.execute(f"DROP TABLE IF EXISTS {ident(t)}")
    return n


def build_index(case: Case, progress: Progress = NULL) -> dict[str, int]:
    """(Re)build the whole index in one transaction; cancel leaves the old index in place."""
    progress(0.0, "search index: collecting texts")
    with case.transaction() as tx:
        for t in ("search_postings", "search_terms", "search_docs", "search_end_rows"):
            tx.execute(f"DELETE FROM {ident(t)}")
        tx.execute(_HOLDERS)
        # doc_id follows the kinds' order (persons first), so equal scores rank people first.
        _insert_docs(tx, "TRUE", 0, 0)
        progress.check()
        progress(0.2, "search index: rows of numbers and accounts")
        _insert_end_rows(tx, "TRUE", 0)
        progress.check()
        _tokenise(tx, 0, progress)
        progress.check()
        progress(0.5, "search index: vocabulary")
        terms = _insert_terms(tx, "SELECT term, count(*) AS df FROM _stp GROUP BY term", 1, progress)
        progress(0.7, "search index: postings")
        _insert_postings(tx)
        counts = {"docs": tx.execute("SELECT count(*) FROM search_docs").fetchall()[0][0],
                  "terms": terms,
                  "postings": tx.execute("SELECT count(*) FROM search_postings").fetchall()[0][0]}
        tx.execute("INSERT OR REPLACE INTO case_meta VALUES (?, ?)", [META_KEY, _fingerprint(tx)])
        tx.execute("INSERT OR REPLACE INTO case_meta VALUES (?, ?)", [COVER_KEY, _cover(tx, 0)])
    progress(1.0, f"search index: {counts['docs']} values, {counts['terms']} terms")
    log.info("search index built: %s", counts)
    return counts


class _TooLarge(Exception):
    """The appended part would pass ``APPEND_LIMIT``: roll the add back, rebuild whole."""


def _holders_for_add(tx) -> None:
    """``_newv``: the numbers the new sources' identifiers hold; ``_holders`` (as ``_HOLDERS``) only
    for those and for the ends of the new sources' events: the numbers an add can look up."""
    tx.execute("CREATE OR REPLACE TEMP TABLE _newv AS SELECT DISTINCT value_norm FROM identifiers x "
               f"WHERE value_norm IS NOT NULL AND {_IN_SCOPE}")
    ends = " UNION ".join(f"SELECT x.{ident(norm)} FROM {ident(kind)} x WHERE {_IN_SCOPE}"
                          for kind, _, norm, _ in _ENDS if norm)
    tx.execute(f"CREATE OR REPLACE TEMP TABLE _keys AS SELECT value_norm FROM _newv UNION {ends}")
    tx.execute(_HOLDERS.replace("GROUP BY", "AND value_norm IN (SELECT value_norm FROM _keys) GROUP BY"))
    tx.execute("DROP TABLE _keys")


def _rekey_ends(tx, base: int) -> int:
    """Recompute the entity of existing end docs whose number the new sources' identifiers hold
    (a second holder makes it none, a first one makes it that one); the docs updated.

    Only the rows of those numbers are read.  A number as written is taken to have one normalised
    form within a source (as the import writes it: one region per source)."""
    if not first(tx.execute("SELECT count(*) FROM _newv"))[0]:
        return 0
    parts = [f"SELECT DISTINCT '{kind}' AS kind, '{col}' AS col, '{norm}' AS norm, x.source_id, "
             f"x.{ident(col)} AS written, x.{ident(norm)} AS key FROM {ident(kind)} x "
             f"WHERE x.{ident(norm)} IN (SELECT value_norm FROM _newv) AND NOT {_IN_SCOPE}"
             for kind, col, norm, _ in _ENDS if norm]
    tx.execute(f"CREATE OR REPLACE TEMP TABLE _rk AS {' UNION ALL '.join(parts)}")
    tx.execute("CREATE OR REPLACE TEMP TABLE _rekey AS SELECT r.kind, r.field, r.source_id, r.text, h.holder FROM ("
               "SELECT kind, col AS field, source_id, written AS text, key FROM _rk WHERE written IS NOT NULL "
               "UNION SELECT kind, norm, source_id, key, key FROM _rk) r LEFT JOIN _holders h ON h.value_norm = r.key")
    n = first(tx.execute(
        "SELECT count(*) FROM search_docs d JOIN _rekey r ON d.kind = r.kind AND d.field = r.field "
        "AND d.source_id = r.source_id AND d.text = r.text WHERE d.doc_id <= ? "
        "AND d.entity_id IS DISTINCT FROM r.holder", [base]))[0]
    if n:
        tx.execute("UPDATE search_docs SET entity_id = r.holder FROM _rekey r WHERE search_docs.kind = r.kind "
                   "AND search_docs.field = r.field AND search_docs.source_id = r.source_id "
                   "AND search_docs.text = r.text AND search_docs.doc_id <= ? "
                   "AND search_docs.entity_id IS DISTINCT FROM r.holder", [base])
    for t in ("_newv", "_rk", "_rekey"):
        tx.execute(f"DROP TABLE IF EXISTS {ident(t)}")
    return n


def add_to_index(case: Case, plan: dict[str, Any], progress: Progress = NULL) -> dict[str, int] | None:
    """Add the docs of new sources and notes (``plan`` from ``_plan_add``) in one transaction.

    New docs are numbered after the current last doc_id (among themselves in the kinds' order, as a
    full build numbers them); their texts are tokenised as ``build_index`` does; new terms get
    term_ids after the current last, existing terms' ``df`` grows by the new postings, and the new
    postings are appended.  Calls, messages and transfers of older sources whose number a new
    source's identifiers hold get their entity recomputed (``_rekey_ends``).

    The docs, terms and df are then those of a full build, so a query's hits have the same scores;
    only ties are ordered differently: equal scores are ordered by doc_id, which in a full build puts
    persons first across all sources, and after adds puts the older sources' docs before the added
    ones.  The appended rows break the terms' and postings' sort order a little (a lookup reads a
    few more row groups): when the docs appended since the last full build would pass
    ``APPEND_LIMIT`` of all docs, nothing is added and None is returned (the caller rebuilds whole).
    Cancel rolls the add back and leaves the index as it was.
    """
    progress(0.0, "search index: adding new sources")
    try:
        with case.transaction() as tx:
            base = first(tx.execute("SELECT coalesce(max(doc_id), 0) FROM search_docs"))[0]
            before = first(tx.execute("SELECT count(*) FROM search_docs"))[0]
            tx.execute("CREATE OR REPLACE TEMP TABLE _scope (source_id INTEGER)")
            tx.execute("INSERT INTO _scope SELECT unnest(?::INTEGER[])", [plan["sources"]])
            _holders_for_add(tx)
            added = _insert_docs(tx, _IN_SCOPE, base, plan["notes_after"])
            appended = plan["appended"] + added
            if appended > APPEND_LIMIT * (before + added):
                raise _TooLarge
            progress.check()
            _insert_end_rows(tx, _IN_SCOPE, base)
            progress.check()
            rekeyed = _rekey_ends(tx, base)
            progress.check()
            _tokenise(tx, base, progress)
            progress.check()
            progress(0.5, "search index: vocabulary")
            tx.execute("CREATE OR REPLACE TEMP TABLE _stc AS SELECT p.term, count(*) AS n, any_value(t.term_id) AS "
                       "term_id FROM _stp p LEFT JOIN search_terms t USING (term) GROUP BY p.term")
            progress.check()
            tx.execute("UPDATE search_terms SET df = search_terms.df + c.n FROM _stc c "
                       "WHERE search_terms.term_id = c.term_id")
            last = first(tx.execute("SELECT coalesce(max(term_id), 0) FROM search_terms"))[0]
            new = _insert_terms(tx, "SELECT term, n AS df FROM _stc WHERE term_id IS NULL", last + 1, progress)
            tx.execute("DROP TABLE _stc")
            progress(0.7, "search index: postings")
            postings = _insert_postings(tx)
            progress.check()
            tx.execute("INSERT OR REPLACE INTO case_meta VALUES (?, ?)", [META_KEY, _fingerprint(tx)])
            tx.execute("INSERT OR REPLACE INTO case_meta VALUES (?, ?)", [COVER_KEY, _cover(tx, appended)])
    except _TooLarge:
        log.info("search index: the appended part would pass %s of the docs; rebuilding whole", APPEND_LIMIT)
        return None
    counts = {"docs": added, "terms": new, "postings": postings, "rekeyed": rekeyed}
    progress(1.0, f"search index: {added} values added")
    log.info("search index added to: %s", counts)
    return counts


_WEAK = names.HONORIFICS | names.PATRONYMICS | names.PARTICLES


def rows_sql(hit: dict[str, Any], time_from: dt.datetime | None = None,
             time_to: dt.datetime | None = None) -> str | None:
    """For a hit standing for many rows (a number or account of calls, messages, transfers): the
    analyst SQL listing the rows of its source whose column holds the hit's text, in time order
    (for a normalised column: the number in every writing); with a time range (that of the search),
    only its rows in the range.  None for any other hit."""
    key = (hit.get("kind"), hit.get("field"))
    end = next((e for e in _ENDS if e[0] == key[0] and key[1] in (e[1], e[2])), None)
    if end is None or hit.get("text") is None or hit.get("source_id") is None:
        return None
    kind, _, _, time = end   # names from _ENDS, written plainly for the analyst to read and edit
    rng = "".join(f" AND {time} {op} TIMESTAMP {literal(t.isoformat(sep=' '))}"
                  for op, t in ((">=", time_from), ("<", time_to)) if t is not None)
    return (f"SELECT * FROM {kind}\nWHERE source_id = {int(hit['source_id'])} AND {key[1]} = "
            f"{literal(hit['text'])}{rng}\nORDER BY {time}, source_row")


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
    arabic = names.is_arabic_script(text)
    number = _document_number(text) is not None
    out = []
    toks = names.split_pinyin((names.fold(names.without_degrees(text)) or "").split())
    for i, tok in enumerate(toks):
        # "M." before another name is Muhammad, as names.name_tokens reads it ("M. Rizal").
        canon, phon = _term_info("muhammad" if tok == "m" and i < len(toks) - 1 and not number else tok)
        # A Chinese family name (first or last of a name of two tokens or more) also finds its other
        # romanisations ("Tan Wei Ming" finds "Chen Weiming", "陈伟明"), scored below a spelling match.
        family = (sorted(names.family_name_variants(tok))
                  if len(toks) >= 2 and i in (0, len(toks) - 1) and not number else [])
        out.append({"qi": i, "canon": canon, "phon": phon, "exact_only": False, "family": family})
    # Honorifics, patronymics and name particles ("de la") say little and are written many ways
    # ("dela", "de la", "bin", "b."); keep them only if nothing else is left.  Not in Arabic script:
    # its vowel-less tokens can spell a Latin title ("عمر" is "mr").
    # Nor in a grouped number: the "B" of passport "B 123 4567" is not the patronymic "b.".  Other
    # initials ("S." of "Budi S. Santoso") say as little.
    if arabic or number:
        return out
    meaningful = [q for q in out if q["canon"] not in _WEAK and (len(q["canon"]) > 1 or q["canon"].isdigit())]
    return meaningful or out


_NUMBER_TOKEN = re.compile(r"[a-z]{1,4}|[a-z]{0,4}[0-9][0-9a-z]*")


def _document_number(text: str) -> str | None:
    """The one term of a query that is a document or account number however grouped ("A 123 4567",
    "a-123-4567", "BRI 0123-01-000456-50-7"): its letters and digits run together ("a1234567"), as
    every writing of a numbered field is also indexed (see ``_tokenise``).  Not its digits alone:
    passport C 123 4567 is not A 123 4567.  None for anything else: words (a name beside a number)
    are not a number, and six digits at least are."""
    toks = (fold_name(text) or "").split()
    digits = re.sub(r"\D", "", "".join(toks))
    if len(toks) < 2 or len(digits) < 6 or not all(_NUMBER_TOKEN.fullmatch(t) for t in toks):
        return None
    return "".join(toks)


FAMILY_NAME_SIM = 0.8
"""How well a Chinese family name in another romanisation matches a query's (``Chen`` for ``Tan``):
below a typo (Jaro-Winkler ≥ 0.88 scores 0.84 and more), so the name as spelt ranks first."""


def _candidate_terms(con, q: list[dict[str, Any]]) -> pa.Table:
    """Vocabulary terms matching each query token: (qi, term_id, term, df, sim).

    Exact and canonical spellings, phonetic keys and a Chinese family name's other romanisations
    (``names.family_name_variants``) by hash join; prefixes and typos
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
        if x.get("family"):   # as constants of the scan: DuckDB skips the row groups of other terms
            for j, v in enumerate(x["family"]):
                params[f"v{i}_{j}"] = v
            parts.append(f"SELECT {x['qi']} AS qi, t.term_id, t.term, t.df, {FAMILY_NAME_SIM} AS sim "
                         f"FROM search_terms t WHERE t.term IN "
                         f"({', '.join(f'$v{i}_{j}' for j in range(len(x['family'])))})")
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


class FilterRefused(LintasError):
    """A search filter naming something no hit can have (a kind that is not one, a country unknown)."""

    exit_code = 2


def check_filters(kinds: list[str] | None, countries: list[str] | None) -> tuple[list[str] | None, list[str] | None]:
    """The kinds as given and the countries as ISO codes (``Malaysia``, ``my`` → ``MY``); a kind that
    is none of ``KINDS`` or a country that is none is refused, not silently left to match nothing."""
    bad = [k for k in kinds or [] if k not in KINDS]
    if bad:
        raise FilterRefused(f"no kind {', '.join(map(repr, bad))} to search; kinds: {', '.join(KINDS)}")
    isos = [country_iso(c) for c in countries or []]
    unknown = [c for c, iso in zip(countries or [], isos, strict=True) if not iso]
    if unknown:
        raise FilterRefused(f"unknown country {', '.join(map(repr, unknown))}: give an ISO 3166 code or name")
    return (list(kinds) if kinds else None), (isos or None)


def _best(con, q: list[dict[str, Any]], where: list[str], params: list[Any], limit: int,
          min_score: float) -> list[tuple[int, float, list[str]]]:
    """(doc_id, score, matched terms) of the best docs for one reading of the query, filtered."""
    total_docs = max(1, con.execute("SELECT count(*) FROM search_docs").fetchall()[0][0])
    cand = _candidate_terms(con, q)
    if cand.num_rows == 0:
        return []
    groups = sorted({x["qi"] for x in q})
    found = set(cand.column("qi").to_pylist())
    # A query token found nowhere still counts in the denominator, as the rarest possible term.
    absent_w = math.log(1 + total_docs) * (len(groups) - len(found))
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
    return [(int(d), float(sc), list(m)) for d, sc, m in best]


def search(con, text: str, kinds: list[str] | None = None, sources: list[int] | None = None,
           countries: list[str] | None = None, time_from: dt.datetime | None = None,
           time_to: dt.datetime | None = None, limit: int = 50, min_score: float = 0.5) -> list[dict[str, Any]]:
    """Ranked hits for ``text``; each names its kind, field, source, bundle, local id and source row.

    Three steps, each reading little: the query's candidate terms from the vocabulary; their
    postings (read by term id, the order they are stored in) scored per doc; then only the
    best docs' rows.  With filters, the filter is applied before the best are taken.

    A hit standing for many rows (a number or account of calls, messages, transfers) reports the
    first of its rows (``source_row``) and their span (``time_utc`` … ``time_last_utc``).  With a
    time range it is kept only if at least one of its rows lies in the range, and reports the same
    of its rows in the range only.
    """
    kinds, countries = check_filters(kinds, countries)
    if sources:
        known = {int(r[0]) for r in con.execute("SELECT source_id FROM sources").fetchall()}
        missing = sorted({int(x) for x in sources} - known)
        if missing:
            raise FilterRefused(f"no source {', '.join(map(str, missing))} in this case; sources: "
                                f"{', '.join(map(str, sorted(known))) or 'none'}")
    where, params = [], []
    if kinds:
        where.append("list_contains(?, d.kind)")
        params.append(list(kinds))
    if sources:
        where.append("list_contains(?, d.source_id)")
        params.append([int(s) for s in sources])
    if countries:
        where.append("list_contains(?, d.country)")
        params.append(countries)
    # A doc standing for many rows is first cut by the span of its rows overlapping the range, then
    # (for the few best) by a row of its own in the range (``_rows_in_range``).
    if time_from:
        where.append("coalesce(d.time_last_utc, d.time_utc) >= ?")
        params.append(time_from)
    if time_to:
        where.append("d.time_utc < ?")
        params.append(time_to)
    readings = [query_terms(text)]
    number = _document_number(text)
    if number:   # a grouped number: also as one token ("A 123 4567" as "a1234567"); the better reading counts
        readings.append([{"qi": 0, "canon": number, "phon": None, "exact_only": True}])
    ranged = time_from is not None or time_to is not None
    fetch = int(limit)
    in_range: dict[int, tuple[int, dt.datetime, dt.datetime] | None] = {}
    while True:
        scored: dict[int, tuple[float, list[str]]] = {}
        full = False   # a reading gave as many docs as asked: there may be more below them
        for q in readings:
            if q:
                got = _best(con, q, where, params, fetch, min_score)
                full = full or len(got) >= fetch
                for doc_id, score, matched in got:
                    if doc_id not in scored or score > scored[doc_id][0]:
                        scored[doc_id] = (score, matched)
        best = sorted(((d, sc, m) for d, (sc, m) in scored.items()), key=lambda r: (-r[1], r[0]))[:fetch]
        if not best:
            return []
        rows = _doc_rows(con, [r[0] for r in best])
        if not ranged:
            break
        # A doc standing for many rows is kept only if one of its rows lies in the range (the span of
        # its rows overlapping the range is not enough: calls in January and December only are not
        # calls in June); it then reports its first row in the range and their span.
        ends = [rows[d] for d, _, _ in best if (rows[d][1], rows[d][2]) in END_FIELDS and d not in in_range]
        in_range.update(_rows_in_range(con, ends, time_from, time_to))
        kept = [r for r in best if r[0] not in in_range or in_range[r[0]] is not None]
        if len(kept) >= int(limit) or not full:
            best = kept
            break
        fetch *= 4   # some fell out and more may follow: ask for more (rare; each round reads little)
    hits = []
    for doc_id, score, matched in best[:int(limit)]:
        r = rows[doc_id]
        source_row, t0, t1 = r[7], r[10], r[11]
        if ranged and doc_id in in_range:
            source_row, t0, t1 = in_range[doc_id]   # type: ignore[misc]
        hits.append({"source_id": r[4], "bundle_id": r[5], "id": r[6], "kind": r[1], "field": r[2],
                     "text": r[3], "source_row": source_row, "entity_id": r[8], "country": r[9],
                     "time_utc": t0.isoformat() + "Z" if t0 else None,
                     "time_last_utc": t1.isoformat() + "Z" if t1 else None,
                     "score": round(min(1.0, float(score)), 4), "matched": list(matched)})
    return hits


def _doc_rows(con, ids: list[int]) -> dict[int, tuple]:
    """The few best docs by their ids (stored in id order: a range of row groups, not a scan)."""
    return {r[0]: r for r in con.execute(
        "SELECT d.doc_id, d.kind, d.field, d.text, d.source_id, s.bundle_id, d.local_id, d.source_row, "
        "d.entity_id, d.country, d.time_utc, d.time_last_utc FROM search_docs d "
        "SEMI JOIN (SELECT unnest(?::BIGINT[]) AS doc_id) w USING (doc_id) "
        "LEFT JOIN sources s ON s.source_id = d.source_id WHERE d.doc_id BETWEEN ? AND ?",
        [ids, min(ids), max(ids)]).fetchall()}


def _rows_in_range(con, docs: list[tuple], time_from: dt.datetime | None,
                   time_to: dt.datetime | None) -> dict[int, tuple[int, dt.datetime, dt.datetime] | None]:
    """For docs standing for many rows (rows of ``_doc_rows``): (the first of their rows in the range,
    the times of the first and last of them) as a doc gives them for all its rows, or None where none
    of their rows lies in the range.

    A doc all of whose rows lie in the range (its span within it) is as it is, read from nowhere.
    Others: their rows in ``search_end_rows`` (stored in doc order: DuckDB reads the row groups of
    those docs only, not the kind table)."""
    out: dict[int, tuple[int, dt.datetime, dt.datetime] | None] = {}
    ids = []
    for d in docs:
        t0, t1 = d[10], d[11] or d[10]
        if t0 is not None and (time_from is None or t0 >= time_from) and (time_to is None or t1 < time_to):
            out[d[0]] = (d[7], t0, t1)
        else:
            out[d[0]] = None
            ids.append(int(d[0]))
    if not ids:
        return out
    where = [f"r.time_utc {op} ?" for op, t in ((">=", time_from), ("<", time_to)) if t is not None]
    params: list[Any] = [t for t in (time_from, time_to) if t is not None]
    for doc_id, row, t0, t1 in con.execute(
            f"SELECT r.doc_id, min(r.source_row), min(r.time_utc), max(r.time_utc) FROM search_end_rows r "
            f"WHERE r.doc_id IN ({', '.join(map(str, sorted(ids)))}) AND {' AND '.join(where) or 'true'} "
            f"GROUP BY r.doc_id", params).fetchall():
        out[int(doc_id)] = (int(row), t0, t1)
    return out
