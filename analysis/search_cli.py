"""``lintas search``, ``xref``, ``judge``, ``profile``, ``pivot``: thin commands over analysis.

JSON output (``--json``):

* ``xref``: an array of candidate pairs, best first: ``{"a": {"source_id", "bundle_id", "id",
  "name", "entity_id"}, "b": {…}, "score": 0..1, "band": "likely"|"possible", "reasons": […],
  "kind": "persons"|"organizations"}``.
* ``search``: an array of ranked hits: ``{"source_id", "bundle_id", "id", "kind", "field", "text",
  "source_row", "entity_id", "country", "time_utc", "time_last_utc", "score", "matched"}``; a hit
  on a number or account of calls, messages or transfers stands for all its rows in that source
  and column: ``source_row`` is the first of them, ``time_utc``/``time_last_utc`` their span; with
  ``--from``/``--to`` such a hit is listed only if one of its rows lies in the range, and then
  ``source_row`` is the first of its rows in the range, ``time_utc``/``time_last_utc`` their span.
* ``judge``: the judgement made (or undone) and the resulting cluster(s).
* ``profile``: the cluster's members and every value with its source row.
* ``pivot``: per identifier of the entity, every row elsewhere sharing it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging

from workstation.case import Case
from workstation.cli import emit, progress_bar

log = logging.getLogger(__name__)


def _xref_text(pairs: list[dict]) -> str:
    if not pairs:
        return "no suggestions"
    lines = []
    for p in pairs:
        a, b = p["a"], p["b"]
        lines.append(f"{p['score']:.3f} {p['band']:<8} #{a['entity_id']} {a['name']} [{a['source_id']}:{a['id']}]"
                     f"  ~  #{b['entity_id']} {b['name']} [{b['source_id']}:{b['id']}]")
        lines += [f"      {r}" for r in p["reasons"]]
    return "\n".join(lines)


def cmd_xref(a) -> int:
    from . import xref

    kinds = tuple(a.kind) if a.kind else ("persons", "organizations")
    bar = progress_bar()
    with Case.open(a.path) as case:
        try:
            result = xref.xref(case, kinds=kinds, min_score=a.min_score, progress=bar, limit=a.limit)
        finally:
            bar.close()
    def text() -> str:
        st = result.to_json()
        lines = [_xref_text(result.pairs), "",
                 f"{st['entities']} entities, {st['candidates']} candidate pairs compared, {st['suggested']} "
                 f"suggested, {st['suppressed_by_judgement']} left out by the analyst's judgements, "
                 f"{st['seconds']:.1f} s"]
        for b in result.skipped_blocks:
            top = ", ".join(f"{x['key']} ({x['entities']})" for x in b["largest"])
            lines.append(f"not used for blocking ({b['kind']}): {b['blocks']} {b['key_type']} keys held by too many "
                         f"entities to compare all, e.g. {top}")
        return "\n".join(lines)

    emit(result.pairs, a.json, text)
    return 0


def cmd_judge(a) -> int:
    from . import xref

    with Case.open(a.path) as case:
        if a.verdict == "undo":
            out = xref.undo(case, a.a, a.b, analyst=a.analyst)
            text = (f"judgement {out['judgement_id']} ({out['verdict_undone']}) undone; clusters now "
                    f"{out['cluster_a']} and {out['cluster_b']}")
        else:
            out = xref.judge(case, a.a, a.b, a.verdict, analyst=a.analyst, reason=a.reason)
            text = (f"judgement {out['judgement_id']}: {out['entity_a']} and {out['entity_b']} {out['verdict']}; "
                    f"cluster {out['cluster']}")
    emit(out, a.json, text)
    return 0


def _profile_text(p: dict) -> str:
    lines = [f"profile of entity {p['entity_id']} (cluster of {len(p['members'])})"]
    for m in p["members"]:
        lines.append(f"  #{m['entity_id']} {m['name']}  source {m['source_id']} ({m['source_title']}), "
                     f"id {m['id']}, row {m['source_row']}, TLP:{m['tlp']}")
    for key in ("names", "aliases", "birth_dates", "nationalities", "genders", "notes", "countries",
                "registration_numbers", "organisation_kinds", "identifiers", "addresses"):
        if p[key]:
            lines.append(f"  {key}:")
            for v in p[key]:
                kind = f"{v['kind']} " if "kind" in v else ""
                lines.append(f"    {kind}{v['value']}  [source {v['source_id']}:{v['id']}, row {v['source_row']}]")
    if p["judgements"]:
        lines.append("  judgements:")
        for j in p["judgements"]:
            state = f" (undone {j['undone_utc']} by {j['undone_by']})" if j["undone_utc"] else ""
            lines.append(f"    #{j['judgement_id']} {j['entity_a']}–{j['entity_b']} {j['verdict']} by "
                         f"{j['analyst']} {j['time_utc']}{state}")
    return "\n".join(lines)


def cmd_profile(a) -> int:
    from . import profile

    with Case.open(a.path) as case:
        p = profile.profile(case.cursor(), a.entity)
        case.record("profile", {"entity": a.entity}, {"cluster": p["cluster"]})
    emit(p, a.json, lambda: _profile_text(p))
    return 0


def cmd_pivot(a) -> int:
    from . import profile

    with Case.open(a.path) as case:
        p = profile.pivot(case.cursor(), a.entity, limit=a.limit)
        case.record("pivot", {"entity": a.entity, "limit": a.limit},
                    {"identifiers": len(p["identifiers"]), "rows": sum(len(i["hits"]) for i in p["identifiers"])})

    def text() -> str:
        lines = [f"pivots of entity {p['entity_id']}"]
        for i in p["identifiers"]:
            lines.append(f"  {i['kind']} {i['value_norm']}: {len(i['hits'])} rows in sources {i['sources']}")
            for h in i["hits"]:
                who = f" #{h['entity_id']} {h['name']}" if h["entity_id"] else ""
                lines.append(f"    {h['kind']}.{h['field']} {h['value']}  [source {h['source_id']}, "
                             f"row {h['source_row']}]{who}")
        return "\n".join(lines)

    emit(p, a.json, text)
    return 0


def _time(s: str) -> dt.datetime:
    try:
        t = dt.datetime.fromisoformat(s)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {s!r}") from e
    if t.tzinfo is not None:
        t = t.astimezone(dt.UTC).replace(tzinfo=None)
    return t


def _count(s: str) -> int:
    try:
        n = int(s)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a whole number: {s!r}") from e
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {n}")
    return n


def _score(s: str) -> float:
    try:
        x = float(s)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a number: {s!r}") from e
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"a score is between 0 and 1, not {x}")
    return x


def cmd_search(a) -> int:
    from . import search

    with Case.open(a.path) as case:
        bar = progress_bar()
        try:
            search.ensure_index(case, progress=bar)
        finally:
            bar.close()
        hits = search.search(case.cursor(), a.text, kinds=a.kind, sources=a.source, countries=a.country,
                             time_from=a.time_from, time_to=a.time_to, limit=a.limit)
        case.record("search", {"text": a.text, "kind": a.kind, "source": a.source, "country": a.country,
                               "from": a.time_from, "to": a.time_to, "limit": a.limit}, {"hits": len(hits)})

    # A hit standing for many rows names its first row, or with a time range its first row in the range.
    first = "first row in range" if a.time_from is not None or a.time_to is not None else "first row"

    def text() -> str:
        if not hits:
            return "no hits"
        return "\n".join(f"{h['score']:.3f} {h['kind']:<13} {h['field']:<12} {h['text'][:70]}  "
                         f"[source {h['source_id']}:{h['id'] or ''} "
                         f"{first if (h['kind'], h['field']) in search.END_FIELDS else 'row'} "
                         f"{h['source_row']}]" for h in hits)

    emit(hits, a.json, text)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="search names, aliases, identifiers, numbers, accounts, places and notes of a case")
    p.add_argument("path", help="the case file")
    p.add_argument("text", help="what to look for (tolerant of case, accents, spelling and typos)")
    p.add_argument("--kind", action="append",
                   help="only hits of this kind (persons, identifiers, calls, …; another is refused); repeatable")
    p.add_argument("--source", action="append", type=int, help="only hits from this source id; repeatable")
    p.add_argument("--country", action="append",
                   help="only hits of this country (ISO code or name: MY, Malaysia); repeatable")
    p.add_argument("--from", dest="time_from", type=_time,
                   help="only hits at or after this time (ISO 8601; UTC unless it gives an offset: 2026-02-01T00:00+07:00)")
    p.add_argument("--to", dest="time_to", type=_time,
                   help="only hits before this time (ISO 8601; UTC unless it gives an offset)")
    p.add_argument("--limit", type=_count, default=50, help="at most this many hits (default 50)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("xref", help="suggest entities that are the same person or organisation across sources")
    p.add_argument("path", help="the case file")
    p.add_argument("--min-score", type=_score, default=0.5, help="list pairs scoring at least this (default 0.5)")
    p.add_argument("--kind", action="append", choices=("persons", "organizations"),
                   help="resolve only this kind; repeatable (default: both)")
    p.add_argument("--limit", type=_count, help="print at most this many pairs")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_xref)

    p = sub.add_parser("judge", help="record that two entities are the same, different, or unsure; or undo")
    p.add_argument("path", help="the case file")
    p.add_argument("a", help="an entity: its number, SOURCE:ID, or the ID as written where one source has it")
    p.add_argument("b", help="the other entity")
    p.add_argument("verdict", choices=("same", "different", "unsure", "undo"),
                   help="the verdict, or 'undo' to withdraw the pair's standing judgement")
    p.add_argument("--reason", help="why (kept with the judgement)")
    p.add_argument("--analyst", help="who judges (default: the login name)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_judge)

    p = sub.add_parser("profile", help="an entity's profile: its confirmed cluster and every value's source")
    p.add_argument("path", help="the case file")
    p.add_argument("entity", help="an entity: its number, SOURCE:ID, or the ID alone where one source has it")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_profile)

    p = sub.add_parser("pivot", help="everything that shares an identifier with an entity, across sources")
    p.add_argument("path", help="the case file")
    p.add_argument("entity", help="an entity: its number, SOURCE:ID, or the ID alone where one source has it")
    p.add_argument("--limit", type=_count, default=1000, help="at most this many rows per identifier and table")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_pivot)
