"""Entity resolution ("xref"): who is the same person or organisation across sources.

The work is done in DuckDB SQL over the case, in three steps:

1. **Blocking** — every entity gets keys (phonetic name keys from ``analysis.names``,
   phonetic token + birth year, and its strong identifiers: phone, passport, national ID,
   e-mail, bank account, IMEI …).  Only entities that share a key are compared; keys
   held by more entities than a cap (a very common name, a call-centre number) are not
   used for blocking and are reported, never silently dropped.
2. **Scoring** — each candidate pair gets evidence for and against, each with its
   weight in log-odds: name similarity (best pair of names and aliases), shared and
   conflicting identifiers, birth dates (same, day/month swapped, different), nationality,
   gender, how many entities hold the name that could be either side (not of the same source
   as it, not contradicting it; and whether they contradict each other), how often the name's
   parts are held (a rare name of rare parts is rarely met by chance), and whether both
   entities are of one source (which lists a person once).
   The score is the logistic of the summed weights; the reasons list every weight, so a
   score is never bare.  A pair both of whose entities are likely (or confirmed) the same
   as a third gets at least s1 + s2 − 1, where its own evidence does not speak against it,
   and says so.
3. **The analyst's judgements** — pairs judged the same form clusters (a person profile);
   a pair judged different, and any pair of clusters with such a rejection between them,
   is never suggested again; pairs already in one cluster are not suggested either.

Judgements are rows of ``judgements`` and audit entries; undoing one marks it undone
(never deletes it), which splits the cluster again.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from workstation.case import Case
from workstation.errors import LintasError
from workstation.progress import NULL, Progress
from workstation.sql import ident

from . import names

log = logging.getLogger(__name__)

LIKELY = 0.85
POSSIBLE = 0.5

PRIOR = -2.5
"""Log-odds before any evidence: two random entities that share a blocking key are rarely one."""

# Identifier kind: (log-odds when shared, label, log-odds when both have one of the same
# country and they differ).  A second passport is common, a second national ID is not.
IDENTIFIER_EVIDENCE: dict[str, tuple[float, str, float]] = {
    "passport": (6.0, "passport number", -1.0),
    "national_id": (6.0, "national ID number", -3.0),
    "email": (4.0, "e-mail address", 0.0),
    "phone": (3.5, "phone number", 0.0),
    "bank_account": (3.5, "bank account", 0.0),
    "imei": (3.0, "IMEI", 0.0),
    "imsi": (3.0, "IMSI", 0.0),
    "social_handle": (3.0, "social media handle", 0.0),
    "vehicle_plate": (1.0, "vehicle plate", 0.0),
}
REGISTRATION_EVIDENCE = 5.0
ADDRESS_EVIDENCE = 2.0
ORGANISATION_PRIOR = -1.5
"""Organisation names are longer and more distinctive than people's: less doubt before evidence."""

NAME_SLOPE = 20.0
NAME_SLOPE_BELOW = 40.0
NAME_CENTRE = 0.875
"""Name similarity where the name says nothing either way.  Checked against the labelled set of
bench_xref.py: pairs of names 0.80–0.90 alike that agree on the birth year are the same person
in about a third of cases (two people called "Siti … Ali"), so such a likeness counts against;
below the centre twice as steeply as above it (names 0.84–0.87 alike that agree on the birth year
were hardly ever one person there, at scores of 0.6–0.8: "Nor Ani binti Andi" ~ "Nor Ani binti
Hassan").  A same birth date outweighs that (see ``BIRTH_EVIDENCE``)."""
SHARED_ID_FOR_WIDE_NAMES = 3.0
"""Persons sharing identifiers worth this much (a phone, a passport …) are weighed on the wider
name curve of organisations.  On the labelled set of bench_xref.py, pairs sharing a phone whose
names are 0.85–0.90 alike are all one person; those less than 0.80 alike are all relatives."""
ORGANISATION_NAME_SLOPE = 16.0
ORGANISATION_NAME_CENTRE = 0.80
"""An organisation's short form is a subset of its full name ("Porsche AG" ~ "Dr. Ing. h. c. F.
Porsche AG"), and there are no "Siti … Ali"s among companies: likeness counts from lower down."""
NAME_MAX = 2.5
NAME_MIN = -4.0
SINGLE_NAME_FACTOR = 0.5

BIRTH_EVIDENCE = {"same": 6.0, "swapped": 5.0, "same_month": 0.5, "same_year": 3.5, "near": -2.5,
                  "different": -4.0}
"""Two people born on the same day are rare (1 in ~18,000 for a random pair within 50 years), in
the same year 1 in ~50; the weights stay well below those odds (ln 18,000 ≈ 9.8, ln 50 ≈ 3.9)
because records carry default dates (1 January) and estimated ages.  A same (or day/month swapped)
date counts 6 (5): with the steeper fall of unlike names below ``NAME_CENTRE`` it keeps a typo and a
dropped middle name born that day likely (recall of pairs with both birth dates 0.994 on the
labelled set of bench_xref.py, as with 5 and the shallower fall)."""
NATIONALITY_SAME = 0.3
NATIONALITY_DIFFERENT = -0.7
IMPLIED_NATIONALITY_SAME = 0.3
IMPLIED_NATIONALITY_DIFFERENT = -0.7
"""Where one side has no nationality, the country its passport or national ID was issued by, or
else its phone numbers' country calling code (+60 → MY), stands in for it, as its own reason
("same country MY by nationality and phone country code").  On the labelled set of bench_xref.py
a pair whose countries so inferred differ is the same person about as rarely as one whose
nationalities differ, and one whose countries agree as often as one whose nationalities agree:
the weights are those of nationality (a foreign SIM card or a second passport is the other
explanation, as a second nationality is for nationality itself)."""
GENDER_DIFFERENT = -2.5
SAME_SOURCE = -1.0
"""Two entities of one source: a source lists a person once (a producer who knew two rows were one
person would have given them one id), so two rows are weak evidence of two persons — weak, since
a source may still hold a duplicate (a contact saved twice in one phone).  On the labelled set of
bench_xref.py (seeds 7 / 11) 3,375 / 3,560 compared pairs lie within one source, none the same
person, 24 / 11 of them likely without this weight; with it precision of "likely" +0.1 point on
both, recall unchanged.  Being evidence against the pair, it also keeps such a pair from being
made likely through a third entity both are likely the same as (5 / 3 more pairs, all false)."""

RARE_NAME_HOLDERS = 4.0
RARE_NAME_SLOPE = 2.2
RARE_NAME_MAX = 1.5
RARE_NAME_MIN = -1.5
RARE_NAME_MIN_SIM = 0.9
"""A rare name says more, a common one less: 2.2 × ln(4 / entities holding the name), within ±1.5,
for a close match of names of two or more tokens.  "Holding the name" is holding every token the
two names share: for "Cahyo Sriwanto" ~ "Cahyo Yanti Sriwanto" the entities whose names hold both
"Cahyo" and "Sriwanto"; of those, only the ones that could be either side count (not of one
source with it, not contradicting it: ``ALTERNATIVES_MAX_HOLDERS``).  Holders none of whom
contradicts another count one fewer (not below two; three holders only: four or more count as
they are), holders of whom two differ in birth year, gender or nationality, or are of one source,
one more.  Checked against the labelled set of bench_xref.py: pairs
with the same name and nothing else (no identifier, not both birth dates) held by 2 entities are
the same person in about 85 % of cases; by 3 none of whom contradicts another 87 %, by 3 of whom
two differ 42 %; by 4 none of whom contradicts another about 25 %; by 6+ < 30 %.
So a name-only pair reaches "likely" only when its name is that rare and the nationalities (or the
countries of documents and phone numbers) agree, or its parts are rare too (``NAME_CHANCE_SLOPE``)."""
NAME_CHANCE_SLOPE = 1.0
NAME_CHANCE_LOW = -2.0
NAME_CHANCE_HIGH = 2.0
NAME_CHANCE_MAX = 1.5
"""A name rare in this case (the weight above is for) says more where its parts are rare too, and
less where they are common: by chance, as often as each of its parts is held here (the share of
the case's entities holding each token, by its sound), the entities × those shares would hold
the whole name; where that expectation E is below e^−2 (0.14) the pair gains 1.0 × (−2 − ln E),
where above e^2 (7.4) it loses 1.0 × (ln E − 2), within ±1.5 (a two-holder "Yanto Suryani Suptono"
is one person more surely than a two-holder "Maria Reyes").  Only where the name counts as rare
(``RARE_NAME_HOLDERS``: holders alone cannot tell a rare name from a common one met twice by
chance).  Checked against the labelled set of bench_xref.py (seeds 7 / 11): name-only pairs of a
rare name with E below e^−2 are the same person in 96 % / 93 % of cases, between e^−2 and e^2 in
78 % / 77 %, above e^2 in 52 % / 45 %; recall of "likely" +0.6 / +0.5 points, precision unchanged
/ +0.1."""
ALTERNATIVES_MAX_HOLDERS = 30
"""Where at most this many entities hold a name (of a name within a longer one: the token pair
counted, see ``RARE_NAME_HOLDERS``), only those that could be the same person as either side of a
pair count as its holders: not one of the same source as that side (a source lists a person
once: a producer who knew two rows were one person would have given them one id), and not one
contradicting it (birth year, gender, nationality as declared); "not all one person" then means
two of those counted contradict each other or are of one source.  "Iwan Sriyadi" born 1984 in one
source, "Iwan Sriyadi" born 1984 in another, "Drs. Iwan Sriyadi" without a date in a third, and
"Iwan Sriyadi" born 1964 in the third as well: the last is neither of the pair (one source with
the third, another year than the first), so three hold the name who could be one person, none
contradicting another.  Checked against the labelled set of bench_xref.py (seeds 7 / 11): name-only
pairs whose count so falls to three none of whom contradicts another are the same person in 94 % /
72 % of cases, to the pair alone 60 % / 56 % (likely only where the nationalities agree: 81 % / 84 %
of those), to four or more 5–33 %; three holders of whom two are of one source were the same person
in 20 % / 24 % of cases, where "none contradicting another" had made most of them likely.  Recall
of "likely" +1.0 / +1.3 points, precision unchanged (0.982 / 0.981).  More holders than the cap
count as they are (the weight is at its floor there; 12 → 30 added 0.1–0.2 points of recall)."""
RARE_NAME_PARTIAL_SIM = 0.88
"""Names 0.88–0.90 alike are mostly a common given name and one more within a longer name
("Muhammad Rudi" ~ "Muhammad Slamet Rudi": brothers "Muhammad … bin Rudi" hold it too).  There
a common name counts against (never a rare one for), unless the birth dates agree to the day
or they share an identifier (there a relative is the other explanation, see above).
On the labelled set of bench_xref.py such pairs that agree on the birth year were the same
person in about half the cases, where the score said 0.8."""

BLOCKING = ("f", "e", "b", "a", "q", "y", "v", "s", "p", "i", "r")
"""Kinds of blocking key used: full name (phonetic), full name as spelt either side of the 1972
reform (``names.spelling_key``: "Boedi Tegoeh Prasetjo" meets "Budi Teguh Prasetyo", whose
phonetic keys differ in ``prasetjo``/``prasetyo``), token + birth date (month and day in either order; one
token is enough, so that a typo in the other meets: "Adi Sucirto" ~ "H. Adi Sucipto", same day;
the token's spelling key, not its phonetic key (``names.spelling_key``: "Sri Sarjadi" meets "Sri
Saryadi" born that day), common given names included ("Sri Cahjadi" ~ "Sri Cajhadi": on the
labelled set of bench_xref.py recall of pairs with both birth dates 0.993 → 0.999, for 2 % more
candidates on 125k persons),
token pair + birth year, token + birth year (single names), token + birth year + the first sound
of another token (where one side knows only the year: "Hendra Sanudi" born 1980 meets "Hendra
Sayudi" born 1980-06-03, a typo in the other token; with the first sound, the blocks are a tenth
of a bare token + year's; not the common given names, and blocks of more than ``FULL_NAME_BLOCK_CAP``
left out: on 125k persons it adds a fifth to the candidates) and token (single names), token pair
(a name that is
a subset of the other, no birth year: only rare pairs, see ``TOKEN_PAIR_BLOCK_CAP``), identifier,
registration number; and where the case holds names in Arabic script, phonetic token + birth date
pairing such a name with any other (``_candidates``)."""

NAME_BLOCK_CAP = 100
"""Largest block on a name + birth-date key (name + birth year and token keys: a quarter of it);
bigger ones are reported."""
FULL_NAME_BLOCK_CAP = 12
"""Largest block on a full name alone.  A name held by more entities scores "common" (−1 and
lower) and a pair meeting on it alone could not reach "possible"; such pairs still meet on
their birth year or identifiers."""
BLOCK_KEY_NAMES = {"f": "full name", "e": "full name, 1972 spelling", "b": "name token + birth date",
                   "a": "name sound + birth date (Arabic script)", "q": "name + birth year", "y": "name token + birth year",
                   "v": "name token + birth year + another token's first sound", "s": "name token",
                   "p": "name token pair", "i": "identifier", "r": "registration number"}
IDENTIFIER_BLOCK_CAP = 100
TOKEN_PAIR_BLOCK_CAP = 6
"""Largest block on a token pair alone ("Cahyo Sriwanto" within "Cahyo Yanti Sriwanto").  A pair
that meets only there has no birth year on one side and no shared identifier; its name must be
rare to say anything (held by more than 6 entities: a rare-name weight of −0.9 or less), so
bigger blocks are left out, and reported.  On the labelled set of bench_xref.py the key with no
cap made 70 % of all candidates and 0.05 % of the likely matches."""
TRANSITIVE_MAX_DEGREE = 20
"""An entity with more likely matches than this is not used to link its matches to each other."""

VERDICTS = ("same", "different", "unsure")


class JudgementError(LintasError):
    """A judgement that cannot be made (unknown entity, nothing to undo …)."""


@dataclass
class XrefResult:
    pairs: list[dict[str, Any]]
    entities: int = 0
    candidates: int = 0
    skipped_blocks: list[dict[str, Any]] = field(default_factory=list)
    suppressed_by_judgement: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"entities": self.entities, "candidates": self.candidates,
                "suggested": len(self.pairs), "suppressed_by_judgement": self.suppressed_by_judgement,
                "skipped_blocks": self.skipped_blocks, "seconds": round(self.seconds, 3)}


def band(score: float) -> str:
    """``likely`` / ``possible``; ``unlikely`` only appears when asked for pairs below ``POSSIBLE``."""
    if score >= LIKELY:
        return "likely"
    if score >= POSSIBLE:
        return "possible"
    return "unlikely"


def name_weight(sim: float, single: bool, organisation: bool = False) -> float:
    """Log-odds of a name similarity (the same formula as the SQL)."""
    slope, centre = (ORGANISATION_NAME_SLOPE, ORGANISATION_NAME_CENTRE) if organisation else (NAME_SLOPE, NAME_CENTRE)
    if not organisation and sim < centre:
        slope = NAME_SLOPE_BELOW
    w = max(NAME_MIN, min(NAME_MAX, slope * (sim - centre)))
    return w * SINGLE_NAME_FACTOR if single and w > 0 else w


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# -- judgements and clusters -------------------------------------------------------------
class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def first(rel) -> tuple | None:
    """The first row of a result, or None; the result is read to its end (DuckDB 2.0.1 keeps a
    connection busy until then, and refuses ``register`` on it)."""
    rows = rel.fetchall()
    return rows[0] if rows else None


def active_judgements(con) -> list[tuple[int, int, str]]:
    """(entity_a, entity_b, verdict) of every judgement not undone, entity_a < entity_b."""
    return [(int(a), int(b), v) for a, b, v in con.execute(
        "SELECT entity_a, entity_b, verdict FROM judgements WHERE undone_utc IS NULL").fetchall()]


def clusters(con) -> dict[int, int]:
    """entity_id → cluster id (the smallest entity id of its cluster), for judged entities only."""
    uf = _UnionFind()
    for a, b, v in active_judgements(con):
        uf.find(a)
        uf.find(b)
        if v == "same":
            uf.union(a, b)
    return {e: uf.find(e) for e in list(uf.parent)}


def cluster_of(con, entity_id: int) -> list[int]:
    m = clusters(con)
    if entity_id not in m:
        return [entity_id]
    root = m[entity_id]
    return sorted(e for e, r in m.items() if r == root)


def resolve_entity(con, ref: str | int) -> int:
    """An entity by its case-wide id (``42``), ``SOURCE:ID`` / ``BUNDLE_ID:ID`` as written in its bundle,
    or the ``ID`` alone where only one source has it."""
    s = str(ref).strip()
    if s.isdigit():
        row = first(con.execute("SELECT entity_id FROM entities WHERE entity_id = ?", [int(s)]))
        if row:
            return int(row[0])
        raise JudgementError(f"no entity {s} in this case")
    src, sep, local = s.partition(":")
    if not sep or not first(con.execute("SELECT 1 FROM sources WHERE CAST(source_id AS VARCHAR) = ? "
                                        "OR bundle_id = ?", [src, src])):
        # An id as written in its bundle, without its source: fine where one source has it.
        rows = con.execute("SELECT e.entity_id, e.source_id FROM entities e WHERE e.local_id = ? "
                           "ORDER BY e.source_id", [s]).fetchall()
        if len(rows) == 1:
            return int(rows[0][0])
        if len(rows) > 1:
            raise JudgementError(f"{s!r} is an id in {len(rows)} sources; give SOURCE:ID "
                                 f"({', '.join(f'{src_}:{s}' for _, src_ in rows)}) or the entity number")
    if sep:
        rows = con.execute(
            "SELECT e.entity_id FROM entities e JOIN sources s USING (source_id) "
            "WHERE e.local_id = ? AND (CAST(s.source_id AS VARCHAR) = ? OR s.bundle_id = ?)",
            [local, src, src]).fetchall()
        if len(rows) == 1:
            return int(rows[0][0])
        if len(rows) > 1:
            raise JudgementError(f"{s}: names {len(rows)} entities; use the entity number")
    raise JudgementError(f"no entity {s!r} in this case (give an entity number, or SOURCE:ID)")


def judge(case: Case, a: str | int, b: str | int, verdict: str, analyst: str | None = None,
          reason: str | None = None) -> dict[str, Any]:
    """Record the analyst's verdict on a pair; a new verdict supersedes the pair's previous one."""
    if verdict not in VERDICTS:
        raise JudgementError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    from workstation.audit import os_user

    analyst = analyst or os_user()
    with case.transaction() as tx:
        ea, eb = sorted((resolve_entity(tx, a), resolve_entity(tx, b)))
        if ea == eb:
            raise JudgementError("an entity is trivially the same as itself; give two different entities")
        score = first(tx.execute("SELECT score FROM xref_candidates WHERE entity_a = ? AND entity_b = ?",
                           [ea, eb]))
        jid = tx.execute("SELECT nextval('seq_judgement')").fetchall()[0][0]
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        previous = [r[0] for r in tx.execute(
            "SELECT judgement_id FROM judgements WHERE entity_a = ? AND entity_b = ? AND undone_utc IS NULL",
            [ea, eb]).fetchall()]
        if verdict == "same":
            kinds = dict(tx.execute("SELECT entity_id, kind FROM entities WHERE entity_id IN (?, ?)",
                                    [ea, eb]).fetchall())
            if kinds[ea] != kinds[eb]:
                raise JudgementError(f"entities {ea} ({kinds[ea]}) and {eb} ({kinds[eb]}) are of different kinds: "
                                     "they cannot be the same")
            _refuse_joining_rejected(tx, ea, eb)
        seq = case.record("judgement", {"entity_a": ea, "entity_b": eb, "verdict": verdict,
                                        "analyst": analyst, "reason": reason},
                          {"judgement_id": jid, "supersedes": previous}, con=tx)
        if previous:
            tx.execute("UPDATE judgements SET undone_utc = ?, undone_by = ? WHERE judgement_id IN "
                       "(SELECT unnest(?::BIGINT[]))", [now, f"superseded by judgement {jid}", previous])
        tx.execute("INSERT INTO judgements VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)",
                   [jid, ea, eb, verdict, analyst, now, reason, score[0] if score else None, seq])
        # The stored suggestion stays: ``candidates_for`` leaves out what judgements settle, so an undo
        # brings it back.
    return {"judgement_id": int(jid), "entity_a": ea, "entity_b": eb, "verdict": verdict,
            "analyst": analyst, "audit_seq": seq, "supersedes": previous,
            "cluster": cluster_of(case.cursor(), ea)}


def _refuse_joining_rejected(con, ea: int, eb: int) -> None:
    """A "same" that would put into one cluster two entities the analyst judged different (another
    pair than this one: its own verdict is superseded) is refused, naming that judgement."""
    standing = [(a, b, v) for a, b, v in active_judgements(con) if (a, b) != (ea, eb)]
    uf = _UnionFind()
    for a, b, v in standing:
        if v == "same":
            uf.union(a, b)
    ca, cb = uf.find(ea), uf.find(eb)
    if ca == cb:
        return
    for a, b, v in standing:
        if v == "different" and {uf.find(a), uf.find(b)} == {ca, cb}:
            row = first(con.execute("SELECT judgement_id, analyst FROM judgements WHERE entity_a = ? AND entity_b = ? "
                                    "AND undone_utc IS NULL AND verdict = 'different'", [a, b]))
            raise JudgementError(
                f"entities {ea} and {eb} cannot be confirmed the same: that would make one person of entities "
                f"{a} and {b}, judged different (judgement {row[0]} by {row[1]}); undo that judgement first")


def undo(case: Case, a: str | int, b: str | int, analyst: str | None = None) -> dict[str, Any]:
    """Undo the pair's standing judgement (a confirmed pair is split again)."""
    from workstation.audit import os_user

    analyst = analyst or os_user()
    with case.transaction() as tx:
        ea, eb = sorted((resolve_entity(tx, a), resolve_entity(tx, b)))
        row = first(tx.execute("SELECT judgement_id, verdict FROM judgements WHERE entity_a = ? AND entity_b = ? "
                         "AND undone_utc IS NULL ORDER BY judgement_id DESC LIMIT 1", [ea, eb]))
        if not row:
            raise JudgementError(f"no standing judgement between entities {ea} and {eb} to undo")
        jid, verdict = int(row[0]), row[1]
        seq = case.record("judgement.undo", {"judgement_id": jid, "entity_a": ea, "entity_b": eb,
                                             "analyst": analyst}, {"verdict_undone": verdict}, con=tx)
        tx.execute("UPDATE judgements SET undone_utc = ?, undone_by = ? WHERE judgement_id = ?",
                   [dt.datetime.now(dt.UTC).replace(tzinfo=None), analyst, jid])
    cur = case.cursor()
    return {"judgement_id": jid, "entity_a": ea, "entity_b": eb, "verdict_undone": verdict,
            "analyst": analyst, "audit_seq": seq, "cluster_a": cluster_of(cur, ea),
            "cluster_b": cluster_of(cur, eb)}


def judgements(con, entity_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """The judgements (of pairs touching ``entity_ids``, or all), oldest first, with both sides' names."""
    sql = ("SELECT j.judgement_id, j.entity_a, j.entity_b, ea.name AS name_a, eb.name AS name_b, j.verdict, "
           "j.analyst, j.time_utc, j.reason, j.score, j.undone_utc, j.undone_by, j.audit_seq FROM judgements j "
           "LEFT JOIN entities ea ON ea.entity_id = j.entity_a LEFT JOIN entities eb ON eb.entity_id = j.entity_b")
    params: list[Any] = []
    if entity_ids is not None:
        sql += " WHERE list_contains(?, j.entity_a) OR list_contains(?, j.entity_b)"
        params = [entity_ids, entity_ids]
    rel = con.execute(sql + " ORDER BY j.judgement_id", params)
    cols = [d[0] for d in rel.description]
    out = []
    for r in rel.fetchall():
        d = dict(zip(cols, r, strict=True))
        for k in ("time_utc", "undone_utc"):
            d[k] = d[k].isoformat() + "Z" if d[k] else None
        out.append(d)
    return out


# -- candidate generation and scoring -------------------------------------------------------
def _name_table(cur, kind: str) -> int:
    """Temp tables ``_xw`` (distinct names), ``_xt`` (their tokens), ``_xn`` (entity × name) and ``_xf``.

    Python does only what needs it — each distinct name to its canonical tokens
    (``names.name_tokens``), each distinct token to its phonetic key and weight —
    and SQL assembles the keys (the same as ``names.name_keys`` / ``names.blocking_keys``).
    """
    org = kind == "organizations"
    aliases = "UNION ALL SELECT unnest(aliases) FROM persons" if not org else ""
    written = [r[0] for r in cur.execute(
        f"SELECT DISTINCT n FROM (SELECT name AS n FROM {ident(kind)} WHERE entity_id IS NOT NULL {aliases}) "
        "WHERE n IS NOT NULL AND trim(n) <> ''").fetchall()]
    tokens = [names.name_tokens(w, organisation=org) for w in written]
    cur.register("_xnk", pa.table({"written": written, "tokens": pa.array(tokens, pa.list_(pa.string())),
                                   "arabic": pa.array([names.is_arabic_script(w) for w in written], pa.bool_())}))
    cur.execute("CREATE OR REPLACE TEMP TABLE _xw0 AS SELECT row_number() OVER () AS wid, written, tokens, arabic "
                "FROM _xnk WHERE len(tokens) > 0")
    cur.unregister("_xnk")
    distinct = [r[0] for r in cur.execute("SELECT DISTINCT unnest(tokens) FROM _xw0").fetchall()]
    skel = [names.spelling_key(t) for t in distinct]
    cur.register("_xtk", pa.table({"token": distinct, "skel": skel, "phon": [names.phonetic(t) for t in distinct],
                                   "weight": pa.array([names.token_weight(t) for t in distinct], pa.float64())}))
    # ``edge``: a token that can be a family name (first or last of two or more: see names._edges).
    cur.execute("CREATE OR REPLACE TEMP TABLE _xt AS SELECT w.wid, w.pos, w.token, k.skel, k.phon, k.weight, "
                "w.ntok >= 2 AND (w.pos = 1 OR w.pos = w.ntok) AS edge FROM "
                "(SELECT wid, generate_subscripts(tokens, 1) AS pos, unnest(tokens) AS token, len(tokens) AS ntok "
                "FROM _xw0) w JOIN _xtk k USING (token)")
    cur.unregister("_xtk")
    # Pairs of tokens that may be one Chinese family name in two romanisations, with the reason.
    fam = [] if org else names.family_name_pairs(set(distinct))
    cur.register("_xcsk", pa.table({"a": pa.array([a for a, _, _ in fam], pa.string()),
                                    "b": pa.array([b for _, b, _ in fam], pa.string()),
                                    "why": pa.array([r for _, _, r in fam], pa.string())}))
    cur.execute("CREATE OR REPLACE TEMP TABLE _xcs AS SELECT * FROM _xcsk")
    cur.unregister("_xcsk")
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _xw AS "
        "WITH f AS (SELECT wid, string_agg(phon, ' ' ORDER BY phon) AS fkey, "
        "  string_agg(skel, ' ' ORDER BY skel) AS skey, count(*) AS ntok FROM _xt GROUP BY wid), "
        "p AS (SELECT DISTINCT a.wid, 'p:' || a.phon || ' ' || b.phon AS k FROM _xt a JOIN _xt b "
        "  ON a.wid = b.wid AND a.phon < b.phon WHERE a.pos <= 6 AND b.pos <= 6), "
        "pk AS (SELECT wid, list(k) AS pkeys FROM p GROUP BY wid) "
        "SELECT w.wid, w.written, f.fkey, f.skey, f.ntok, ['f:' || f.fkey, 'e:' || f.skey] || coalesce(pk.pkeys, []) "
        "AS bkeys "
        "FROM _xw0 w JOIN f USING (wid) LEFT JOIN pk USING (wid)")
    if org:
        src = "SELECT entity_id, name AS written, 0 AS name_idx FROM organizations WHERE entity_id IS NOT NULL"
    else:
        src = ("SELECT entity_id, name AS written, 0 AS name_idx FROM persons WHERE entity_id IS NOT NULL "
               "UNION ALL SELECT entity_id, unnest(aliases) AS written, 1 AS name_idx FROM persons "
               "WHERE entity_id IS NOT NULL")
    cur.execute(f"CREATE OR REPLACE TEMP TABLE _xn AS SELECT DISTINCT ON (s.entity_id, k.wid) "
                f"s.entity_id, k.wid, s.written, k.fkey, k.ntok, k.bkeys "
                f"FROM ({src}) s JOIN _xw k USING (written) ORDER BY s.entity_id, k.wid, s.name_idx")
    return len(written)


def _holders(cur) -> None:
    """Temp table ``_xf``: how many entities hold each name (its phonetic key) — a rare name says
    more than a common one — and whether any two of them contradict each other (birth years,
    genders or nationalities differing: then not all of them are one person)."""
    cur.execute("CREATE OR REPLACE TEMP TABLE _xf AS SELECT n.fkey, count(DISTINCT n.entity_id) AS n, "
                "coalesce(min(a.by) < max(a.by), false) OR coalesce(min(a.sex) < max(a.sex), false) "
                "OR coalesce(min(a.nat) < max(a.nat), false) AS mixed "
                "FROM _xn n JOIN _xa a USING (entity_id) GROUP BY n.fkey")
    # Each name's expected holders by chance: the case's entities times the share holding each of
    # its tokens (their sounds), as the natural log (``NAME_CHANCE_SLOPE``).
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _xwe AS "
        "WITH e AS (SELECT count(DISTINCT entity_id) AS n FROM _xn), "
        "c AS (SELECT t.phon, count(DISTINCT n.entity_id) AS c FROM _xn n JOIN _xt t USING (wid) GROUP BY t.phon) "
        "SELECT t.wid, ln(any_value(e.n)) + sum(ln(c.c / e.n)) AS chance, exp(ln(any_value(e.n)) + sum(ln(c.c / e.n))) "
        "AS expected, any_value(e.n) AS entities "
        "FROM (SELECT DISTINCT wid, phon FROM _xt) t JOIN c USING (phon), e GROUP BY t.wid")


def _attributes(cur, kind: str) -> None:
    if kind == "persons":
        cur.execute("CREATE OR REPLACE TEMP TABLE _xa AS SELECT entity_id, any_value(birth_date_iso) AS bd, "
                    "any_value(birth_year) AS by, any_value(nationality_iso) AS nat, "
                    "any_value(CASE WHEN lower(gender) IN ('m', 'male', 'l', 'laki-laki', 'pria') THEN 'm' "
                    "WHEN lower(gender) IN ('f', 'female', 'p', 'perempuan', 'wanita') THEN 'f' END) AS sex, "
                    "NULL::VARCHAR AS reg, min(source_id) AS src FROM persons WHERE entity_id IS NOT NULL "
                    "GROUP BY entity_id")
    else:
        cur.execute("CREATE OR REPLACE TEMP TABLE _xa AS SELECT entity_id, NULL::VARCHAR AS bd, "
                    "NULL::INTEGER AS by, any_value(country_iso) AS nat, NULL::VARCHAR AS sex, "
                    "any_value(upper(regexp_replace(registration_number, '[\\s.\\-/]', '', 'g'))) AS reg, "
                    "min(source_id) AS src FROM organizations WHERE entity_id IS NOT NULL GROUP BY entity_id")
    cur.execute("CREATE OR REPLACE TEMP TABLE _xad AS SELECT DISTINCT d.owner_entity_id AS entity_id, "
                "trim(regexp_replace(lower(strip_accents(coalesce(d.\"full\", '') || ' ' || coalesce(d.city, ''))), "
                "'[^a-z0-9]+', ' ', 'g')) AS akey, any_value(concat_ws(', ', d.\"full\", d.city)) AS written "
                "FROM addresses d JOIN _xa a ON a.entity_id = d.owner_entity_id WHERE d.\"full\" IS NOT NULL "
                "GROUP BY ALL")
    cur.execute("CREATE OR REPLACE TEMP TABLE _xid AS SELECT DISTINCT i.owner_entity_id AS entity_id, "
                "lower(i.kind) AS kind, i.value_norm, any_value(i.value) AS value, "
                "any_value(i.country_iso) AS country FROM identifiers i JOIN _xa a "
                "ON a.entity_id = i.owner_entity_id WHERE i.value_norm IS NOT NULL AND i.value_norm <> '' "
                "GROUP BY ALL")
    cur.execute("CREATE OR REPLACE TEMP TABLE _xa AS SELECT a.*, NULL::VARCHAR AS inat, NULL::VARCHAR AS inat_how "
                "FROM _xa a")
    if kind == "persons":
        _implied_nationality(cur)


def _calling_codes() -> pa.Table:
    """Country calling code → the one country that uses it (codes shared by several, +1 or +7, left out)."""
    import phonenumbers

    rows = [(str(cc), regions[0]) for cc, regions in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items()
            if len(regions) == 1 and regions[0] != "001"]
    return pa.table({"cc": [r[0] for r in rows], "region": [r[1] for r in rows]})


def _implied_nationality(cur) -> None:
    """``_xa.inat``: the country a person's documents were issued by (all that say one agree), else
    the country of the calling code of all of their phone numbers; ``inat_how`` says which."""
    cur.register("_xcc", _calling_codes())
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _xin AS "
        "WITH d AS (SELECT entity_id, upper(country) AS c, CASE kind WHEN 'passport' THEN 'passport' "
        "  ELSE 'national ID' END AS how FROM _xid WHERE kind IN ('passport', 'national_id') AND country IS NOT NULL "
        "  UNION ALL SELECT i.entity_id, c.region, 'phone country code' FROM (SELECT entity_id, "
        "    unnest([value_norm[2:2], value_norm[2:3], value_norm[2:4]]) AS cc FROM _xid "
        "    WHERE kind = 'phone' AND value_norm[1:1] = '+') i JOIN _xcc c USING (cc)), "
        "e AS (SELECT entity_id, how = 'phone country code' AS phone, min(c) AS c, max(c) AS c2, min(how) AS how "
        "  FROM d GROUP BY ALL HAVING min(c) = max(c)) "
        "SELECT entity_id, arg_min(c, phone) AS c, arg_min(how, phone) AS how FROM e GROUP BY entity_id")
    cur.unregister("_xcc")
    cur.execute("UPDATE _xa SET inat = n.c, inat_how = n.how FROM _xin n WHERE n.entity_id = _xa.entity_id "
                "AND _xa.nat IS NULL")
    cur.execute("DROP TABLE _xin")


def _candidates(cur, name_cap: int, id_cap: int) -> list[dict[str, Any]]:
    kinds = list(IDENTIFIER_EVIDENCE)
    # Names in Arabic script are vowel-less skeletons ("عمر حسن" → "mr hsn"): their tokens as spelt
    # never equal the Latin ones ("omar hassan"), so the token + birth date key ('b') cannot meet
    # them.  Where the case holds any, 'a' keys the phonetic token + birth date, and pairs an
    # Arabic-script name with any other ("arabic" is the side condition, as ``single`` is below).
    arabic = bool(cur.execute("SELECT coalesce(bool_or(arabic), false) FROM _xw0").fetchall()[0][0])
    arabic_keys = (
        "  UNION ALL SELECT n.entity_id, 'a:' || t.phon || ':' || a.bd[1:4] || "
        "    least(a.bd[6:7], a.bd[9:10]) || greatest(a.bd[6:7], a.bd[9:10]), w.arabic FROM _xn n "
        "    JOIN _xt t USING (wid) JOIN _xw0 w USING (wid) JOIN _xa a USING (entity_id) "
        "    WHERE length(a.bd) = 10 AND length(t.phon) >= 2 ") if arabic else ""
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _xk AS "
        "SELECT entity_id, key, bool_or(single) AS single FROM ("
        # ``single`` marks the side a narrow key needs (see below): for 'f' and 'q', an entity
        # without a full birth date; for 'p', a name of three or more tokens.
        "  SELECT n.entity_id, n.k AS key, CASE WHEN n.k[1] = 'p' THEN n.ntok >= 3 "
        "    ELSE coalesce(length(a.bd), 0) < 10 END AS single "
        "    FROM (SELECT entity_id, ntok, unnest(bkeys) AS k FROM _xn) n JOIN _xa a USING (entity_id) "
        "  UNION ALL SELECT n.entity_id, 'q' || n.k[2:] || ':' || a.by, length(a.bd) < 10 FROM "
        "    (SELECT entity_id, unnest(bkeys) AS k FROM _xn) n JOIN _xa a USING (entity_id) "
        "    WHERE a.by IS NOT NULL AND n.k[1] = 'p' "
        # Month and day in either order, so that day/month swapped dates meet.
        "  UNION ALL SELECT n.entity_id, 'b:' || t.skel || ':' || a.bd[1:4] || "
        "    least(a.bd[6:7], a.bd[9:10]) || greatest(a.bd[6:7], a.bd[9:10]), false FROM _xn n "
        "    JOIN _xt t USING (wid) JOIN _xa a USING (entity_id) WHERE length(a.bd) = 10 "
        "  UNION ALL SELECT n.entity_id, 'y:' || t.phon || ':' || a.by, n.ntok = 1 FROM _xn n "
        "    JOIN _xt t USING (wid) JOIN _xa a USING (entity_id) "
        "    WHERE a.by IS NOT NULL AND length(t.phon) >= 3 "
        # A side that knows only the year: token + year + the first sound of another token.
        "  UNION ALL SELECT n.entity_id, 'v:' || t.phon || ':' || a.by || ':' || o.phon[1:1], length(a.bd) < 10 "
        "    FROM _xn n JOIN _xt t USING (wid) JOIN _xt o ON o.wid = n.wid AND o.pos <> t.pos "
        "    JOIN _xa a USING (entity_id) WHERE a.by IS NOT NULL AND length(t.phon) >= 3 AND t.weight >= 1 "
        "    AND o.phon <> '' "
        "  UNION ALL SELECT n.entity_id, 's:' || t.phon, n.ntok = 1 FROM _xn n JOIN _xt t USING (wid) "
        "    WHERE length(t.phon) >= 3 "
        f"{arabic_keys}"
        "  UNION ALL SELECT entity_id, 'i:' || kind || ':' || value_norm, false FROM _xid "
        "    WHERE list_contains(?, kind) "
        "  UNION ALL SELECT entity_id, 'r:' || reg, false FROM _xa WHERE reg IS NOT NULL AND reg <> '') "
        "WHERE list_contains(?, key[1]) GROUP BY entity_id, key", [kinds, list(BLOCKING)])
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _xb AS SELECT key, count(*) AS n FROM _xk GROUP BY key HAVING n > 1")
    cap = ("CASE WHEN key[1] IN ('i', 'r') THEN $id_cap WHEN key[1] IN ('b', 'a') THEN $name_cap "
           "WHEN key[1] IN ('f', 'e', 'v') THEN $full_cap WHEN key[1] = 'p' THEN $pair_cap ELSE $narrow_cap END")
    caps = {"id_cap": id_cap, "name_cap": name_cap, "full_cap": max(2, min(name_cap, FULL_NAME_BLOCK_CAP)),
            "pair_cap": max(2, min(name_cap, TOKEN_PAIR_BLOCK_CAP)), "narrow_cap": max(2, name_cap // 4)}
    skipped = []
    for kind_key, blocks, ents, largest in cur.execute(
            f"SELECT key[1] AS k, count(*), sum(n), list(struct_pack(key := key[3:], entities := n) "
            f"ORDER BY n DESC)[1:5] FROM _xb WHERE n > {cap} GROUP BY k ORDER BY k", caps).fetchall():
        skipped.append({"key_type": BLOCK_KEY_NAMES.get(kind_key, kind_key), "blocks": int(blocks),
                        "entities": int(ents), "largest": [dict(x) for x in largest]})
    # Narrow keys pair only where they add something: a token key ('s') and a token + birth-year
    # key ('y') pair a single name with another ("Suharto" born 1960 with "Suharto Wijaya" born
    # 1960); a token-pair key ('p') a name of three or more tokens with another; a full-name key
    # ('f') and a name + birth-year key ('q') pairs where one side lacks a full birth date (two
    # full dates meet on 'b' when they agree, and do not match when they do not).  ``single``
    # carries that side condition.
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _xp AS "
        f"WITH k AS (SELECT entity_id, key, single FROM _xk JOIN _xb USING (key) WHERE n <= {cap}) "
        "SELECT DISTINCT a.entity_id AS ea, b.entity_id AS eb FROM k a JOIN k b "
        "ON a.key = b.key AND a.entity_id < b.entity_id "
        "AND (a.key[1] NOT IN ('y', 'v', 'p', 's', 'f', 'e', 'q', 'a') OR a.single OR b.single)", caps)
    return skipped


def _apply_judgements(cur) -> int:
    """Drop pairs already one cluster, pairs judged different and pairs of clusters kept apart."""
    cmap = clusters(cur)
    if not cmap:
        return 0
    rejected = {(min(cmap[a], cmap[b]), max(cmap[a], cmap[b]))
                for a, b, v in active_judgements(cur) if v == "different"}
    cur.register("_xcm", pa.table({"entity_id": pa.array(list(cmap), pa.int64()),
                                   "cluster": pa.array(list(cmap.values()), pa.int64())}))
    cur.register("_xrj", pa.table({"ca": pa.array([r[0] for r in rejected], pa.int64()),
                                   "cb": pa.array([r[1] for r in rejected], pa.int64())}))
    before = cur.execute("SELECT count(*) FROM _xp").fetchall()[0][0]
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _xp AS "
        "WITH p AS (SELECT p.ea, p.eb, coalesce(x.cluster, p.ea) AS c1, coalesce(y.cluster, p.eb) AS c2 "
        "           FROM _xp p LEFT JOIN _xcm x ON x.entity_id = p.ea LEFT JOIN _xcm y ON y.entity_id = p.eb) "
        "SELECT ea, eb FROM p WHERE c1 <> c2 AND NOT EXISTS (SELECT 1 FROM _xrj r "
        "  WHERE r.ca = least(p.c1, p.c2) AND r.cb = greatest(p.c1, p.c2))")
    cur.unregister("_xcm")
    cur.unregister("_xrj")
    return before - cur.execute("SELECT count(*) FROM _xp").fetchall()[0][0]


_BIRTH_TEXT = (
    "CASE rel WHEN 'same' THEN 'same birth date ' || bda "
    "WHEN 'swapped' THEN 'birth dates ' || bda || ' vs ' || bdb || ': day/month swapped' "
    "WHEN 'same_month' THEN 'birth dates ' || bda || ' vs ' || bdb || ': same month, different day' "
    "WHEN 'same_year' THEN 'birth dates ' || bda || ' vs ' || bdb || ': same year' "
    "WHEN 'near' THEN 'birth dates ' || bda || ' vs ' || bdb || ': one year apart' "
    "WHEN 'different' THEN 'birth dates ' || bda || ' vs ' || bdb || ': different' END")


def _alternatives(cur) -> None:
    """Of the entities holding a pair's name, count only those that could be the same person as
    either side (``ALTERNATIVES_MAX_HOLDERS``): ``_xsn.holders`` becomes that count (the pair
    included), ``mixed`` whether any two of them contradict each other or are of one source (but
    for the pair itself: that is ``SAME_SOURCE``), and ``of_all`` keeps how many hold the name where
    some could not be either, for the reason."""
    could = ("h.src <> p.s{x} AND NOT coalesce(h.by <> p.y{x} OR h.sex <> p.x{x} OR h.nat <> p.n{x}, false)")
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _xse AS "
        "WITH p AS (SELECT s.ea, s.eb, s.hkey, f.n, a.src AS sa, a.by AS ya, a.sex AS xa, a.nat AS na, "
        "  b.src AS sb, b.by AS yb, b.sex AS xb, b.nat AS nb FROM _xsn s JOIN _xb f ON f.key = s.hkey "
        "  JOIN _xa a ON a.entity_id = s.ea JOIN _xa b ON b.entity_id = s.eb "
        # Only where the holders are weighed (``rare_on`` in ``_score``).
        f"  WHERE f.n BETWEEN 3 AND {ALTERNATIVES_MAX_HOLDERS} AND s.sim >= {RARE_NAME_PARTIAL_SIM} AND NOT s.single), "
        "h AS (SELECT k.key, k.entity_id, x.src, x.by, x.sex, x.nat FROM _xk k JOIN _xa x USING (entity_id) "
        "  WHERE k.key IN (SELECT DISTINCT hkey FROM p)) "
        "SELECT p.ea, p.eb, any_value(p.n) AS n, 2 + count(h.entity_id) AS k, "
        "  coalesce(least(min(h.by), any_value(p.ya), any_value(p.yb)) < greatest(max(h.by), any_value(p.ya), "
        "    any_value(p.yb)), false) "
        "  OR coalesce(least(min(h.sex), any_value(p.xa), any_value(p.xb)) < greatest(max(h.sex), any_value(p.xa), "
        "    any_value(p.xb)), false) "
        "  OR coalesce(least(min(h.nat), any_value(p.na), any_value(p.nb)) < greatest(max(h.nat), any_value(p.na), "
        "    any_value(p.nb)), false) "
        # Two of one source are two persons; the pair's own two being of one source is its own
        # evidence (``SAME_SOURCE``), not counted again here.
        "  OR count(h.entity_id) > count(DISTINCT h.src) "
        "  OR coalesce(bool_or(h.src = p.sa OR h.src = p.sb), false) AS mixed "
        "FROM p LEFT JOIN h ON h.key = p.hkey AND h.entity_id <> p.ea AND h.entity_id <> p.eb "
        f"  AND (({could.format(x='a')}) OR ({could.format(x='b')})) "
        "GROUP BY p.ea, p.eb")
    cur.execute("UPDATE _xsn SET holders = e.k, mixed = e.mixed, of_all = CASE WHEN e.k < e.n THEN e.n END FROM _xse e "
                "WHERE e.ea = _xsn.ea AND e.eb = _xsn.eb")
    cur.execute("DROP TABLE _xse")


def _score(cur, kind: str) -> None:
    single_counts = "true" if kind == "persons" else "false"
    # A family name at an end of both names matches its other romanisations (``_xcs``; none in most
    # cases, and then no join at all).
    has_fam = bool(cur.execute("SELECT count(*) FROM _xcs").fetchall()[0][0])
    fam_join = (" LEFT JOIN _xcs cs ON ta.edge AND tb.edge AND cs.a = ta.token AND cs.b = tb.token"
                if has_fam else "")
    fam_match = f", CASE WHEN cs.a IS NOT NULL THEN {names.FAMILY_NAME_MATCH} ELSE 0 END" if has_fam else ""
    # The reason, for the pair of names that says most, where their ends are two such romanisations.
    fam_cte = (", fam AS (SELECT b.ea, b.eb, min(cs.why) AS why FROM best b JOIN _xt ta ON ta.wid = b.wa AND ta.edge "
               "  JOIN _xt tb ON tb.wid = b.wb AND tb.edge JOIN _xcs cs ON cs.a = ta.token AND cs.b = tb.token "
               "  GROUP BY ALL) " if has_fam else "")
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _xsn AS "
        "WITH pn AS (SELECT row_number() OVER () AS pid, p.ea, p.eb, na.wid AS wa, nb.wid AS wb FROM _xp p "
        "  JOIN _xn na ON na.entity_id = p.ea JOIN _xn nb ON nb.entity_id = p.eb), "
        "tp AS (SELECT pn.pid, ta.pos AS pa, tb.pos AS pb, ta.weight AS ua, tb.weight AS ub, "
        "  CASE WHEN ta.token = tb.token OR ta.skel = tb.skel THEN 1.0 ELSE greatest(jaro_winkler_similarity(ta.token, tb.token), "
        f"   CASE WHEN ta.phon = tb.phon AND length(ta.phon) >= 2 THEN {names.PHONETIC_MATCH} ELSE 0 END{fam_match}) END AS s "
        f"  FROM pn JOIN _xt ta ON ta.wid = pn.wa JOIN _xt tb ON tb.wid = pn.wb{fam_join}), "
        f"da AS (SELECT pid, pa, any_value(ua) AS u, max(CASE WHEN s >= {names.TOKEN_MIN} THEN s "
        "  ELSE 0 END) AS m FROM tp GROUP BY pid, pa), "
        f"db AS (SELECT pid, pb, any_value(ub) AS u, max(CASE WHEN s >= {names.TOKEN_MIN} THEN s "
        "  ELSE 0 END) AS m FROM tp GROUP BY pid, pb), "
        "sa AS (SELECT pid, sum(u * m) / sum(u) AS d FROM da GROUP BY pid), "
        "sb AS (SELECT pid, sum(u * m) / sum(u) AS d FROM db GROUP BY pid), "
        "nm AS (SELECT pn.ea, pn.eb, pn.wa, pn.wb, 0.75 * greatest(sa.d, sb.d) + 0.25 * least(sa.d, sb.d) AS sim, "
        "  least(xa.ntok, xb.ntok) = 1 AS single "
        "  FROM pn JOIN sa USING (pid) JOIN sb USING (pid) JOIN _xw xa ON xa.wid = pn.wa "
        "  JOIN _xw xb ON xb.wid = pn.wb), "
        # The pair of names that says most: a single name counts for less (as in the weight).
        f"rk AS (SELECT *, CASE WHEN {single_counts} AND single AND sim > {NAME_CENTRE} "
        f"  THEN {NAME_CENTRE} + (sim - {NAME_CENTRE}) * {SINGLE_NAME_FACTOR} ELSE sim END AS rank FROM nm), "
        "best AS (SELECT ea, eb, arg_max(sim, rank) AS sim, arg_max(wa, rank) AS wa, arg_max(wb, rank) AS wb "
        "  FROM rk GROUP BY ea, eb) "
        # How many entities hold the name: of two names of as many tokens, the commoner; of a name
        # within a longer one, the rarest token pair both hold (every name key the two share is a
        # block of _xb, counted).
        ", sh AS (SELECT b.ea, b.eb, min(x.n) AS n, arg_min(u.k, x.n) AS k FROM best b JOIN _xw xa ON xa.wid = b.wa "
        "  JOIN _xw xb ON xb.wid = b.wb, unnest(list_intersect(xa.bkeys, xb.bkeys)) AS u(k) "
        f"  JOIN _xb x ON x.key = u.k WHERE xa.ntok <> xb.ntok AND b.sim >= {RARE_NAME_PARTIAL_SIM} GROUP BY ALL) "
        f"{fam_cte}"
        "SELECT b.ea, b.eb, b.sim, xa.written AS wa, xb.written AS wb, least(xa.ntok, xb.ntok) = 1 AS single, "
        f"  {'fam.why' if has_fam else 'NULL::VARCHAR'} AS fam, "
        "  CASE WHEN xa.ntok = xb.ntok THEN greatest(fa.n, fb.n) ELSE coalesce(sh.n, greatest(fa.n, fb.n)) END "
        "  AS holders, "
        "  CASE WHEN xa.ntok = xb.ntok OR sh.n IS NULL THEN CASE WHEN fa.n >= fb.n THEN fa.mixed ELSE fb.mixed END "
        "  END AS mixed, xa.skey = xb.skey OR (xa.ntok <> xb.ntok AND sh.n IS NOT NULL) AS same_key, "
        "  CASE WHEN xa.ntok = xb.ntok THEN 'f:' || CASE WHEN fa.n >= fb.n THEN xa.fkey ELSE xb.fkey END "
        "  ELSE sh.k END AS hkey, "
        "  NULL::BIGINT AS of_all, CASE WHEN ca.chance >= cb.chance THEN ca.expected ELSE cb.expected END AS expected, "
        "  greatest(ca.chance, cb.chance) AS chance, ca.entities "
        "FROM best b JOIN _xw xa ON xa.wid = b.wa JOIN _xw xb ON xb.wid = b.wb "
        "JOIN _xwe ca ON ca.wid = b.wa JOIN _xwe cb ON cb.wid = b.wb "
        "JOIN _xf fa ON fa.fkey = xa.fkey JOIN _xf fb ON fb.fkey = xb.fkey "
        "LEFT JOIN sh ON sh.ea = b.ea AND sh.eb = b.eb"
        f"{' LEFT JOIN fam ON fam.ea = b.ea AND fam.eb = b.eb' if has_fam else ''}")
    if kind == "persons":
        _alternatives(cur)
    ev = IDENTIFIER_EVIDENCE
    w_shared = "CASE kind " + " ".join(f"WHEN '{k}' THEN {v[0]}" for k, v in ev.items()) + " ELSE 0 END"
    w_conf = "CASE kind " + " ".join(f"WHEN '{k}' THEN {v[2]}" for k, v in ev.items()) + " ELSE 0 END"
    label = "CASE kind " + " ".join(f"WHEN '{k}' THEN '{v[1]}'" for k, v in ev.items()) + " ELSE kind END"
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _xsi AS "
        "WITH j AS ("
        "  SELECT p.ea, p.eb, a.kind, "
        "    max(CASE WHEN a.value_norm = b.value_norm THEN a.value_norm END) AS shared, "
        "    max(CASE WHEN a.value_norm = b.value_norm AND a.kind IN ('passport', 'national_id') "
        "        THEN coalesce(a.country, b.country) END) AS shared_country, "
        "    max(CASE WHEN a.value_norm <> b.value_norm AND a.country = b.country "
        "        THEN a.country || ' ' || a.value || ' vs ' || b.value END) AS differ "
        "  FROM _xp p JOIN _xid a ON a.entity_id = p.ea JOIN _xid b ON b.entity_id = p.eb AND a.kind = b.kind "
        "  GROUP BY ALL), "
        f"w AS (SELECT ea, eb, CASE WHEN shared IS NOT NULL THEN {w_shared} "
        f"                         WHEN differ IS NOT NULL THEN {w_conf} ELSE 0 END AS w, "
        f"  CASE WHEN shared IS NOT NULL THEN printf('same %s %s (%+.1f)', {label}, "
        f"         concat_ws(' ', shared_country, shared), {w_shared}) "
        f"       WHEN differ IS NOT NULL AND {w_conf} <> 0 THEN printf('different %s numbers %s (%+.1f)', "
        f"         {label}, differ, {w_conf}) END AS reason FROM j) "
        "SELECT ea, eb, sum(w) AS w, list(reason ORDER BY w DESC) FILTER (WHERE reason IS NOT NULL) AS reasons "
        "FROM w GROUP BY ea, eb")
    birth = (
        "CASE WHEN a.bd IS NULL OR b.bd IS NULL THEN NULL "
        "WHEN a.bd[1:4] <> b.bd[1:4] THEN CASE WHEN abs(TRY_CAST(a.bd[1:4] AS INTEGER) - "
        "  TRY_CAST(b.bd[1:4] AS INTEGER)) = 1 THEN 'near' ELSE 'different' END "
        "WHEN length(a.bd) = 10 AND length(b.bd) = 10 THEN CASE WHEN a.bd = b.bd THEN 'same' "
        "  WHEN a.bd[6:7] = b.bd[9:10] AND a.bd[9:10] = b.bd[6:7] THEN 'swapped' "
        "  WHEN a.bd[6:7] = b.bd[6:7] THEN 'same_month' ELSE 'different' END "
        "WHEN length(a.bd) >= 7 AND length(b.bd) >= 7 AND a.bd[6:7] <> b.bd[6:7] THEN 'different' "
        "ELSE 'same_year' END")
    bw = "CASE rel " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in BIRTH_EVIDENCE.items()) + " ELSE 0 END"
    # Among people sharing a phone or a passport the other explanation is a relative, whose given
    # name differs: there a name within the other ("PURNOMO, Mohd" ~ "Muhammad Teguh bin Purnomo")
    # counts from lower down, as for organisations.
    slope, centre = (
        (f"CASE WHEN coalesce(i.w, 0) >= {SHARED_ID_FOR_WIDE_NAMES} THEN {ORGANISATION_NAME_SLOPE} "
         f"WHEN s.sim < {NAME_CENTRE} THEN {NAME_SLOPE_BELOW} ELSE {NAME_SLOPE} END",
         f"CASE WHEN coalesce(i.w, 0) >= {SHARED_ID_FOR_WIDE_NAMES} THEN {ORGANISATION_NAME_CENTRE} "
         f"ELSE {NAME_CENTRE} END")
        if kind == "persons" else (ORGANISATION_NAME_SLOPE, ORGANISATION_NAME_CENTRE))
    nw = (f"CASE WHEN s.sim IS NULL THEN 0 ELSE greatest({NAME_MIN}, least({NAME_MAX}, "
          f"({slope}) * (s.sim - ({centre})))) END")
    if kind == "persons":  # one name of a person says less (many Indonesians have one); an acronym does not
        nw = f"(CASE WHEN s.single AND {nw} > 0 THEN {nw} * {SINGLE_NAME_FACTOR} ELSE {nw} END)"
    reg_w = REGISTRATION_EVIDENCE
    prior = PRIOR if kind == "persons" else ORGANISATION_PRIOR
    multi = "NOT s.single" if kind == "persons" else "true"
    # Three holders that contradict none of each other may be one person: count two; four or
    # more count as they are (on the labelled set of bench_xref.py such pairs were the same
    # person in about a quarter of cases, not the two thirds "three" said); holders of whom two
    # differ are at least two people: count one more.
    held = ("CASE WHEN s.mixed IS NULL THEN s.holders WHEN s.mixed THEN s.holders + 1 "
            "WHEN s.holders <= 3 THEN greatest(2, s.holders - 1) ELSE s.holders END")
    # Only the same name as spelt (canonical tokens; or one name within the other) is the rarer
    # for being rare: "Dewi Santyadi" and "Dewi Santyudi" may each be rare and still two people.
    full = f"coalesce(({birth}) IN ('same', 'swapped'), false)"
    partial = f"s.sim >= {RARE_NAME_PARTIAL_SIM} AND NOT {full} AND coalesce(i.w, 0) < {SHARED_ID_FOR_WIDE_NAMES}"
    rare_on = (f"coalesce((s.sim >= {RARE_NAME_MIN_SIM} OR {partial}) "
               f"AND {multi}, false)")
    rare = (f"CASE WHEN {rare_on} THEN greatest({RARE_NAME_MIN}, "
            f"least(CASE WHEN s.same_key AND s.sim >= {RARE_NAME_MIN_SIM} THEN {RARE_NAME_MAX} ELSE 0 END, "
            f"{RARE_NAME_SLOPE} * ln({RARE_NAME_HOLDERS} / ({held})))) ELSE 0 END")
    src_w = SAME_SOURCE if kind == "persons" else 0
    # A name rare in this case says more where its parts are rare too (see ``NAME_CHANCE_SLOPE``).
    chance_w = (f"CASE WHEN rare_w > 0 AND chance IS NOT NULL THEN greatest({-NAME_CHANCE_MAX}, least({NAME_CHANCE_MAX}, "
                f"CASE WHEN chance < {NAME_CHANCE_LOW} THEN {NAME_CHANCE_SLOPE} * ({NAME_CHANCE_LOW} - chance) "
                f"WHEN chance > {NAME_CHANCE_HIGH} THEN {NAME_CHANCE_SLOPE} * ({NAME_CHANCE_HIGH} - chance) ELSE 0 END)) "
                "ELSE 0 END") if kind == "persons" else "0"
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _xsa AS SELECT p.ea, p.eb, min(a.written) AS address FROM _xp p "
        "JOIN _xad a ON a.entity_id = p.ea JOIN _xad b ON b.entity_id = p.eb AND a.akey = b.akey "
        "WHERE length(a.akey) >= 6 GROUP BY p.ea, p.eb")
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _xs AS "
        "WITH f AS ("
        "  SELECT p.ea, p.eb, s.sim, s.wa, s.wb, s.single, s.holders, s.mixed, s.fam, s.of_all, s.expected, "
        "   s.entities, s.chance, "
        f"   {nw} AS name_w, {rare} AS rare_w, {rare_on} AS rare_on, coalesce(i.w, 0) AS id_w, "
        "    coalesce(i.reasons, []) AS id_reasons, "
        f"   a.bd AS bda, b.bd AS bdb, {birth} AS rel, a.nat AS nata, b.nat AS natb, a.sex AS sexa, "
        "    coalesce(a.nat, a.inat) AS ca, coalesce(b.nat, b.inat) AS cb, "
        "    CASE WHEN a.nat IS NOT NULL THEN 'nationality' ELSE a.inat_how END AS cha, "
        "    CASE WHEN b.nat IS NOT NULL THEN 'nationality' ELSE b.inat_how END AS chb, "
        "    b.sex AS sexb, a.reg AS rega, b.reg AS regb, ad.address, a.src = b.src AS same_src, "
        f"   CASE WHEN ad.address IS NOT NULL THEN {ADDRESS_EVIDENCE} ELSE 0 END AS addr_w "
        "  FROM _xp p LEFT JOIN _xsn s ON s.ea = p.ea AND s.eb = p.eb "
        "  LEFT JOIN _xsa ad ON ad.ea = p.ea AND ad.eb = p.eb "
        "  LEFT JOIN _xsi i ON i.ea = p.ea AND i.eb = p.eb "
        "  JOIN _xa a ON a.entity_id = p.ea JOIN _xa b ON b.entity_id = p.eb), "
        "g AS (SELECT *, "
        f"  {bw} AS birth_w, "
        f"  CASE WHEN nata IS NULL OR natb IS NULL THEN 0 WHEN nata = natb THEN {NATIONALITY_SAME} "
        f"       ELSE {NATIONALITY_DIFFERENT} END AS nat_w, "
        f"  CASE WHEN nata IS NOT NULL AND natb IS NOT NULL OR ca IS NULL OR cb IS NULL THEN 0 "
        f"       WHEN ca = cb THEN {IMPLIED_NATIONALITY_SAME} ELSE {IMPLIED_NATIONALITY_DIFFERENT} END AS inat_w, "
        f"  CASE WHEN sexa IS NOT NULL AND sexb IS NOT NULL AND sexa <> sexb THEN {GENDER_DIFFERENT} ELSE 0 END "
        "     AS sex_w, "
        f"  CASE WHEN rega IS NOT NULL AND rega <> '' AND rega = regb THEN {reg_w} ELSE 0 END AS reg_w, "
        f"  {chance_w} AS chance_w, CASE WHEN same_src THEN {src_w} ELSE 0 END AS src_w "
        "  FROM f) "
        f"SELECT *, {prior} + name_w + rare_w + chance_w + src_w + id_w + birth_w + nat_w + inat_w + sex_w + reg_w + addr_w "
        "AS logit FROM g")


def _transitive(cur, kind: str) -> tuple[int, int]:
    """Temp table ``_xv``: pairs that are each likely the same as one third entity.

    If A is likely B (score s1) and C is likely B (s2), A and C are one person whenever both
    links hold, which is at least s1 + s2 − 1 likely (whatever the dependence between the
    two); kept when that reaches "likely".  A pair the analyst confirmed links with 1.  Pairs found this way and not compared yet are
    scored on their own evidence too (``_xs`` gains them), and the bound counts only where
    that evidence does not speak against it (see ``_suggestions``).  Returns (pairs added,
    pairs suppressed by judgements).
    """
    cut = math.log(LIKELY / (1 - LIKELY))
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _xv AS "
        f"WITH l AS (SELECT ea, eb, 1 / (1 + exp(-logit)) AS s FROM _xs WHERE logit >= {cut} "
        # A pair the analyst confirmed is a link as sure as can be.
        "  UNION ALL SELECT j.entity_a, j.entity_b, 1.0 FROM judgements j SEMI JOIN _xa a ON a.entity_id = j.entity_a "
        "  WHERE j.undone_utc IS NULL AND j.verdict = 'same'), "
        "e AS (SELECT ea AS x, eb AS y, s FROM l UNION ALL SELECT eb, ea, s FROM l), "
        f"d AS (SELECT x FROM e GROUP BY x HAVING count(*) BETWEEN 2 AND {TRANSITIVE_MAX_DEGREE}), "
        "t AS (SELECT a.y AS ea, b.y AS eb, a.x AS via, a.s AS sa, b.s AS sb, a.s + b.s - 1 AS bound "
        "  FROM e a JOIN d USING (x) JOIN e b ON b.x = a.x AND a.y < b.y) "
        "SELECT ea, eb, arg_max(via, bound) AS via, arg_max(sa, bound) AS via_sa, arg_max(sb, bound) AS via_sb, "
        f"max(bound) AS bound FROM t WHERE bound >= {LIKELY} GROUP BY ea, eb")
    cur.execute("CREATE OR REPLACE TEMP TABLE _xp AS SELECT v.ea, v.eb FROM _xv v "
                "ANTI JOIN _xs s ON s.ea = v.ea AND s.eb = v.eb")
    suppressed = _apply_judgements(cur)
    added = cur.execute("SELECT count(*) FROM _xp").fetchall()[0][0]
    if added:  # scored on their own, then added to the rest (renamed, not copied)
        cur.execute("DROP TABLE IF EXISTS _xs1")
        cur.execute("ALTER TABLE _xs RENAME TO _xs1")
        _score(cur, kind)
        cur.execute("INSERT INTO _xs1 BY NAME SELECT * FROM _xs")
        cur.execute("DROP TABLE _xs")
        cur.execute("ALTER TABLE _xs1 RENAME TO _xs")
    return added, suppressed


def _suggestions(cur, kind: str, min_score: float) -> None:
    """Append to temp table ``_xo`` the pairs scoring at least ``min_score``, with their reasons.

    The reasons are written only for these (most candidates score far below); a pair the
    analyst marked unsure says so.
    """
    cur.execute(
        "INSERT INTO _xo SELECT ?, s.ea, s.eb, s.score, "
        " list_filter(s.id_reasons || [ "
        "   CASE WHEN reg_w <> 0 THEN printf('same registration number %s (%+.1f)', rega, reg_w) END, "
        "   CASE WHEN addr_w <> 0 THEN printf('same address %s (%+.1f)', address, addr_w) END, "
        "   CASE WHEN sim IS NOT NULL THEN printf('names: %s ~ %s, %.2f%s (%+.1f)', wa, wb, sim, "
        "        CASE WHEN single THEN ', single name' ELSE '' END, name_w) END, "
        "   CASE WHEN sim IS NOT NULL THEN fam END, "
        "   CASE WHEN rare_w > 0.05 OR rare_w < -0.05 OR (rare_on AND holders > 2 AND mixed IS NOT NULL) "
        "        THEN printf('name %s in this case: %s%s (%+.1f)', "
        "        CASE WHEN rare_w > 0 THEN 'rare' ELSE 'common' END, CASE WHEN of_all IS NULL "
        "        THEN printf('%d entities hold it', holders) ELSE printf('%d entities hold it, %d of them could be "
        "either side (the rest share a source with one or contradict it)', of_all, holders) END, "
        "        CASE WHEN holders > 2 AND mixed THEN ', not all one person' "
        "             WHEN holders > 2 AND NOT mixed THEN ', none contradicting another' ELSE '' END, rare_w) END, "
        "   CASE WHEN chance_w <> 0 THEN printf('name %s by its parts: as often as each is held here, %s of the %d "
        "entities would hold it by chance (%+.1f)', CASE WHEN chance_w > 0 THEN 'rare' ELSE 'common' END, "
        "        CASE WHEN expected < 10 THEN printf('%.2g', expected) ELSE printf('%.0f', expected) END, entities, "
        "        chance_w) END, "
        f"  CASE WHEN rel IS NOT NULL THEN printf('%s (%+.1f)', {_BIRTH_TEXT}, birth_w) END, "
        "   CASE WHEN nat_w <> 0 THEN printf('%s %s (%+.1f)', CASE WHEN nat_w > 0 THEN 'same nationality' "
        "        ELSE 'different nationality' END, CASE WHEN nat_w > 0 THEN nata ELSE nata || ' vs ' || natb END, "
        "        nat_w) END, "
        "   CASE WHEN inat_w <> 0 THEN printf('%s %s by %s (%+.1f)', CASE WHEN inat_w > 0 THEN 'same country' "
        "        ELSE 'different country' END, CASE WHEN inat_w > 0 THEN ca ELSE ca || ' vs ' || cb END, "
        "        CASE WHEN cha = chb THEN cha ELSE cha || ' and ' || chb END, inat_w) END, "
        "   CASE WHEN sex_w <> 0 THEN printf('different gender %s vs %s (%+.1f)', sexa, sexb, sex_w) END, "
        "   CASE WHEN src_w <> 0 THEN printf('both in one source, which lists a person once (%+.1f)', src_w) END, "
        "   CASE WHEN s.through THEN printf('both likely the same as %s, entity %d (%.2f and %.2f): "
        "together at least %.2f', ev.name, s.via, s.via_sa, s.via_sb, s.bound) END, "
        "   CASE WHEN j.analyst IS NOT NULL OR j.time_utc IS NOT NULL THEN printf('marked unsure by %s on %s UTC', "
        "        j.analyst, strftime(j.time_utc, '%Y-%m-%d %H:%M')) END "
        " ], lambda r: r IS NOT NULL) AS reasons "
        # The bound through a third entity counts where the pair's own evidence does not speak
        # against it (names unalike, birth dates, gender, nationality or ID numbers differing, both of one source).
        "FROM (SELECT s.*, v.via, v.via_sa, v.via_sb, v.bound, "
        "       coalesce(v.bound > 1 / (1 + exp(-s.logit)) AND s.name_w >= 0 AND s.birth_w >= 0 "
        "         AND s.sex_w >= 0 AND s.nat_w >= 0 AND s.inat_w >= 0 AND s.id_w >= 0 AND s.src_w >= 0, false) AS through, "
        "       CASE WHEN through THEN v.bound ELSE 1 / (1 + exp(-s.logit)) END AS score "
        "      FROM _xs s LEFT JOIN _xv v ON v.ea = s.ea AND v.eb = s.eb) s "
        "LEFT JOIN entities ev ON ev.entity_id = s.via "
        "LEFT JOIN (SELECT entity_a, entity_b, any_value(analyst) AS analyst, max(time_utc) AS time_utc "
        "  FROM judgements WHERE undone_utc IS NULL AND verdict = 'unsure' GROUP BY ALL) j "
        "  ON j.entity_a = s.ea AND j.entity_b = s.eb "
        "WHERE s.score >= ?", [kind, min_score])


def xref(case: Case, kinds: tuple[str, ...] = ("persons", "organizations"), min_score: float = POSSIBLE,
         progress: Progress = NULL, store: bool = True, limit: int | None = None,
         name_block_cap: int = NAME_BLOCK_CAP, identifier_block_cap: int = IDENTIFIER_BLOCK_CAP) -> XrefResult:
    """Suggest pairs of entities that are likely or possibly the same, best first.

    With ``store`` the suggestions replace those of the same kinds in ``xref_candidates`` (for the UI to page)
    and the run is an audit entry.
    """
    import time

    unknown = [k for k in kinds if k not in ("persons", "organizations")]
    if unknown:
        raise LintasError(f"xref resolves persons and organizations, not {', '.join(unknown)}")
    t0 = time.perf_counter()
    cur = case.cursor()
    result = XrefResult(pairs=[])
    cur.execute("CREATE OR REPLACE TEMP TABLE _xo (kind VARCHAR, ea BIGINT, eb BIGINT, score DOUBLE, "
                "reasons VARCHAR[])")
    for i, kind in enumerate(kinds):
        base = i / len(kinds)
        step = 1 / len(kinds)
        progress(base, f"{kind}: name keys")
        n = cur.execute(f"SELECT count(*) FROM {ident(kind)} WHERE entity_id IS NOT NULL").fetchall()[0][0]
        if n < 2:
            continue
        result.entities += n
        _name_table(cur, kind)
        progress.check()
        _attributes(cur, kind)
        _holders(cur)
        progress(base + 0.3 * step, f"{kind}: blocking")
        skipped = _candidates(cur, name_block_cap, identifier_block_cap)
        result.skipped_blocks += [dict(s, kind=kind) for s in skipped]
        result.suppressed_by_judgement += _apply_judgements(cur)
        result.candidates += cur.execute("SELECT count(*) FROM _xp").fetchall()[0][0]
        progress(base + 0.5 * step, f"{kind}: scoring")
        _score(cur, kind)
        progress.check()
        progress(base + 0.8 * step, f"{kind}: matches of matches")
        added, suppressed = _transitive(cur, kind)
        result.candidates += added
        result.suppressed_by_judgement += suppressed
        _suggestions(cur, kind, min_score)
        for t in ("_xw0", "_xw", "_xn", "_xt", "_xcs", "_xf", "_xa", "_xid", "_xk", "_xb", "_xp", "_xsn", "_xsi", "_xsa",
                  "_xad", "_xs", "_xs1", "_xv"):
            cur.execute(f"DROP TABLE IF EXISTS {t}").fetchall()
    progress(0.95, "describing suggestions")
    band_sql = f"CASE WHEN o.score >= {LIKELY} THEN 'likely' WHEN o.score >= {POSSIBLE} THEN 'possible' " \
               "ELSE 'unlikely' END"
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _xr AS SELECT o.kind, o.ea, o.eb, o.score, "
        f"{band_sql} AS band, o.reasons, "
        "ea.source_id AS sa, sa.bundle_id AS ba, ea.local_id AS ia, ea.name AS na, "
        "eb.source_id AS sb, sb.bundle_id AS bb, eb.local_id AS ib, eb.name AS nb "
        "FROM _xo o JOIN entities ea ON ea.entity_id = o.ea JOIN entities eb ON eb.entity_id = o.eb "
        "LEFT JOIN sources sa ON sa.source_id = ea.source_id LEFT JOIN sources sb ON sb.source_id = eb.source_id "
        "ORDER BY o.score DESC, o.ea, o.eb")
    for (kind, ea, eb, score, bnd, reasons, sa, ba, ia, na, sb, bb, ib, nb) in cur.execute(
            "SELECT * FROM _xr ORDER BY score DESC, ea, eb").fetchall():
        result.pairs.append({"a": {"source_id": sa, "bundle_id": ba, "id": ia, "name": na, "entity_id": ea},
                             "b": {"source_id": sb, "bundle_id": bb, "id": ib, "name": nb, "entity_id": eb},
                             "score": round(float(score), 4), "band": bnd, "reasons": reasons, "kind": kind})
    result.seconds = time.perf_counter() - t0
    if store and not case.read_only:
        run = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        # On the cursor that holds the temp tables (a transaction of its own).
        with case.transaction(cur) as tx:
            # Only this run's kinds are replaced: a run over organisations keeps the persons' suggestions.
            tx.execute("DELETE FROM xref_candidates WHERE list_contains(?, kind)", [list(kinds)])
            tx.execute("INSERT INTO xref_candidates SELECT kind, ea, eb, score, band, reasons, na, nb, ? FROM _xr",
                       [run])
            case.record("xref", {"kinds": list(kinds), "min_score": min_score}, result.to_json(), con=tx)
    for t in ("_xo", "_xr"):
        cur.execute(f"DROP TABLE IF EXISTS {t}").fetchall()
    if limit is not None:
        result.pairs = result.pairs[:limit]
    progress(1.0, f"{len(result.pairs)} suggestions")
    log.info("xref: %s", result.to_json())
    return result


# -- for the entity profile ----------------------------------------------------------------------
def candidates_for(con, entity_ids: list[int]) -> list[dict[str, Any]]:
    """Stored xref suggestions (``xref_candidates``) that involve any of ``entity_ids``, best first;
    not those the analyst's judgements since have settled (one cluster, or clusters kept apart)."""
    cur = con.cursor()
    try:
        exists = cur.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                             "AND table_name = 'xref_candidates'").fetchall()[0][0]
        if not exists:
            return []
        rel = cur.execute(
            "SELECT c.kind, c.entity_a, c.entity_b, c.score, c.band, c.reasons, c.name_a, c.name_b, "
            "ea.source_id AS source_a, eb.source_id AS source_b, ea.local_id AS id_a, eb.local_id AS id_b "
            "FROM xref_candidates c LEFT JOIN entities ea ON ea.entity_id = c.entity_a "
            "LEFT JOIN entities eb ON eb.entity_id = c.entity_b "
            "WHERE list_contains($ids, c.entity_a) OR list_contains($ids, c.entity_b) "
            "ORDER BY c.score DESC, c.entity_a, c.entity_b", {"ids": [int(i) for i in entity_ids]})
        cols = [d[0] for d in rel.description]
        rows = [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]
        # Stored by the last xref run: judgements since may have made a pair one person (through a
        # third entity), or put its two clusters apart; such a pair is no longer a suggestion.
        cmap = clusters(cur)
        if not cmap:
            return rows
        apart = {frozenset((cmap[a], cmap[b])) for a, b, v in active_judgements(cur) if v == "different"}

        def still(c: dict[str, Any]) -> bool:
            ca, cb = cmap.get(c["entity_a"], c["entity_a"]), cmap.get(c["entity_b"], c["entity_b"])
            return ca != cb and frozenset((ca, cb)) not in apart
        return [c for c in rows if still(c)]
    finally:
        cur.close()
