"""Handling rules: who may receive a row, the TLP of what is sent, personal-data masking.

Pure functions over plain values (STYLE habit 10); ``exports.selection`` applies
them to a whole case in SQL, through the SQL builders at the end of this module,
which the tests check against the Python functions case by case — one rule
written once, in two forms.

A row carries the handling of its source (``sources.tlp``, ``releasable_to``,
``legal_basis``, ``caveats``, ``producer_country``), or its own when its
``handling_id`` is set (table ``handlings``).  The rules (issue 6, item 1):

1. a row may always go back to the producer of its own source;
2. otherwise ``TLP:RED`` and ``TLP:AMBER+STRICT`` rows go to nobody;
3. otherwise a row goes to the recipient only if ``releasable_to`` lists it,
4. except ``TLP:CLEAR`` rows with no ``releasable_to``, which go to anyone.

A handling whose TLP is not one of FIRST TLP 2.0's five labels is withheld
(fail safe) unless rule 1 applies.  Every decision comes with a ``Reason``: a
stable code (for JSON, tests and the audit log) and words in English and
Bahasa Indonesia (for the dossier).  See docs/handling.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from .kinds import TLP_LEVELS

# Least to most restrictive (FIRST TLP 2.0).  TLP labels are never translated.
TLP_ORDER: tuple[str, ...] = TLP_LEVELS
_RANK = {t: i for i, t in enumerate(TLP_ORDER)}
NOBODY = ("RED", "AMBER+STRICT")


@dataclass(frozen=True)
class Reason:
    code: str
    en: str
    id: str

    def __str__(self) -> str:
        return self.en

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "text": self.en}


# Every reason code the rules give, with its words.  Codes are stable: they
# appear in JSON output, audit entries and package/dossier withheld lists.
REASONS: dict[str, Reason] = {r.code: r for r in (
    # released
    Reason("producer", "goes back to the producer of its source",
           "dikembalikan kepada produsen sumbernya"),
    Reason("releasable-to", "the recipient is listed in releasable_to",
           "penerima tercantum dalam releasable_to"),
    Reason("clear", "TLP:CLEAR with no releasable_to: may go to anyone",
           "TLP:CLEAR tanpa releasable_to: boleh diberikan kepada siapa pun"),
    # withheld by handling
    Reason("tlp-red", "TLP:RED: for the named recipients only, never passed on",
           "TLP:RED: hanya untuk penerima yang disebut, tidak boleh diteruskan"),
    Reason("tlp-amber-strict", "TLP:AMBER+STRICT: within the receiving organisation only",
           "TLP:AMBER+STRICT: hanya di dalam organisasi penerima"),
    Reason("not-releasable-to", "releasable_to does not list the recipient",
           "releasable_to tidak mencantumkan penerima"),
    Reason("no-releasable-to", "no releasable_to list, and not TLP:CLEAR",
           "tidak ada daftar releasable_to, dan bukan TLP:CLEAR"),
    Reason("tlp-unknown", "the handling's TLP is not a TLP 2.0 label",
           "TLP penanganan bukan label TLP 2.0"),
    # withheld by association (exports.selection)
    Reason("withheld-entity", "involves a person or organisation that is withheld",
           "melibatkan orang atau organisasi yang ditahan"),
    # personal-data columns
    Reason("pd-producer", "personal data goes back to its producer in clear",
           "data pribadi dikembalikan kepada produsennya tanpa disamarkan"),
    Reason("pd-releasable-to", "personal data in clear: the recipient is named in releasable_to",
           "data pribadi tanpa disamarkan: penerima disebut dalam releasable_to"),
    Reason("pd-public", "personal data masked: the row is released only because it is TLP:CLEAR",
           "data pribadi disamarkan: baris dirilis hanya karena TLP:CLEAR"),
    Reason("pd-mask-requested", "personal data masked at the analyst's request",
           "data pribadi disamarkan atas permintaan analis"),
    Reason("pd-clear-requested", "personal data in clear at the analyst's request",
           "data pribadi tanpa disamarkan atas permintaan analis"),
)}

RELEASED_CODES = ("producer", "releasable-to", "clear")
WITHHELD_CODES = ("tlp-red", "tlp-amber-strict", "not-releasable-to", "no-releasable-to",
                  "tlp-unknown", "withheld-entity")


def reason(code: str) -> Reason:
    return REASONS[code]


class Release(NamedTuple):
    """The decision for one row: unpacks as ``(allowed, reason)``."""

    allowed: bool
    reason: Reason


class HandlingError(ValueError):
    pass


# -- values ------------------------------------------------------------------
def normalise_code(code: str | None) -> str | None:
    """A country or organisation code as compared: trimmed, upper case; '' → None."""
    if code is None:
        return None
    c = str(code).strip().upper()
    return c or None


def normalise_tlp(tlp: str | None) -> str | None:
    """``'tlp:amber+strict'`` → ``'AMBER+STRICT'``; ``WHITE`` (TLP 1.0) → ``CLEAR``;
    anything else that is not a TLP 2.0 label → None."""
    if tlp is None:
        return None
    t = str(tlp).strip().upper().replace(" ", "")
    if t.startswith("TLP:"):
        t = t[4:]
    if t == "WHITE":
        t = "CLEAR"
    return t if t in _RANK else None


def _field(handling: Any, name: str) -> Any:
    if isinstance(handling, Mapping):
        return handling.get(name)
    return getattr(handling, name, None)


def _codes(values: Iterable[str] | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):  # one code given as a string, not a list of letters
        values = [values]
    return [c for c in (normalise_code(v) for v in values) if c]


# -- release -------------------------------------------------------------------
def may_release(handling: Any, producer_country: str | None, recipient: str) -> Release:
    """May a row with ``handling`` (an object or mapping with ``tlp`` and
    ``releasable_to``) from a source produced by ``producer_country`` go to
    ``recipient``?  Returns ``(allowed, reason)``."""
    rcpt = normalise_code(recipient)
    if not rcpt:
        raise HandlingError("an export needs a recipient (a country or organisation code)")
    if normalise_code(producer_country) == rcpt:
        return Release(True, REASONS["producer"])
    tlp = normalise_tlp(_field(handling, "tlp"))
    if tlp is None:
        return Release(False, REASONS["tlp-unknown"])
    if tlp == "RED":
        return Release(False, REASONS["tlp-red"])
    if tlp == "AMBER+STRICT":
        return Release(False, REASONS["tlp-amber-strict"])
    releasable = _codes(_field(handling, "releasable_to"))
    if releasable:
        if rcpt in releasable:
            return Release(True, REASONS["releasable-to"])
        return Release(False, REASONS["not-releasable-to"])
    if tlp == "CLEAR":
        return Release(True, REASONS["clear"])
    return Release(False, REASONS["no-releasable-to"])


def strictest(tlps: Iterable[str | None]) -> str:
    """The most restrictive of ``tlps`` — the TLP of an export holding them.

    Nothing at all → ``CLEAR``.  A label that is not TLP 2.0 raises: an export
    must never be marked less strictly than something it holds."""
    best = 0
    for t in tlps:
        n = normalise_tlp(t)
        if n is None:
            raise HandlingError(f"not a TLP 2.0 label: {t!r}")
        best = max(best, _RANK[n])
    return TLP_ORDER[best]


def tlp_rank(tlp: str) -> int:
    n = normalise_tlp(tlp)
    if n is None:
        raise HandlingError(f"not a TLP 2.0 label: {tlp!r}")
    return _RANK[n]


# -- personal data ---------------------------------------------------------------
MASKING_MODES = ("auto", "all", "none")


def personal_data_treatment(handling: Any, producer_country: str | None, recipient: str,
                            mode: str = "auto") -> tuple[bool, Reason]:
    """Should the personal-data columns of a *released* row be masked for ``recipient``?

    Returns ``(mask, reason)``.  ``mode`` is the analyst's choice for this export:

    * ``auto`` (default): in clear for the producer of the row's source and for a
      recipient named in ``releasable_to`` (a legal basis for that recipient
      exists); masked when the row is released only because it is TLP:CLEAR with
      no ``releasable_to`` (released to anyone, so to no one in particular);
    * ``all``: masked for everyone except the producer (their own data);
    * ``none``: in clear (the analyst answers for it; the export's audit entry
      records the choice).
    """
    if mode not in MASKING_MODES:
        raise HandlingError(f"masking mode must be one of {', '.join(MASKING_MODES)}, not {mode!r}")
    rcpt = normalise_code(recipient)
    if normalise_code(producer_country) == rcpt:
        return False, REASONS["pd-producer"]
    if mode == "none":
        return False, REASONS["pd-clear-requested"]
    if mode == "all":
        return True, REASONS["pd-mask-requested"]
    if rcpt in _codes(_field(handling, "releasable_to")):
        return False, REASONS["pd-releasable-to"]
    return True, REASONS["pd-public"]


MASK_PREFIX = "masked:"


def mask_value(value: str | None, salt: str) -> str | None:
    """A pseudonym for a personal-data value: equal values in one export get equal
    pseudonyms (links between rows survive), but without the export's secret
    ``salt`` the value cannot be recovered or confirmed by guessing."""
    if value is None:
        return None
    return MASK_PREFIX + hashlib.sha256((salt + str(value)).encode("utf-8")).hexdigest()[:16]


# -- the same rules as SQL expressions (used by exports.selection) ------------------
# The arguments are SQL expressions already quoted by the caller (column references
# through ``workstation.sql.ident``, values as bound parameters): ``tlp`` a VARCHAR,
# ``releasable_to`` a VARCHAR[], ``producer`` and ``recipient`` VARCHARs.

def norm_tlp_sql(tlp: str) -> str:
    """SQL twin of ``normalise_tlp`` (an unknown label stays as it is, and is then refused)."""
    t = f"replace(upper(trim({tlp})), ' ', '')"
    t = f"CASE WHEN starts_with({t}, 'TLP:') THEN substr({t}, 5) ELSE {t} END"
    return f"(CASE WHEN ({t}) = 'WHITE' THEN 'CLEAR' ELSE ({t}) END)"


def norm_list_sql(releasable_to: str) -> str:
    """SQL twin of the codes of a ``releasable_to`` list: trimmed, upper case, no empties."""
    return (f"list_filter(list_transform(coalesce({releasable_to}, []::VARCHAR[]), "
            f"lambda x: upper(trim(x))), lambda x: x <> '')")


def release_code_sql(tlp: str, releasable_to: str, producer: str, recipient: str,
                     normalised: bool = False) -> str:
    """A CASE expression giving the ``may_release`` reason code of each row.

    With ``normalised`` the caller has already passed ``tlp`` through ``norm_tlp_sql`` and
    ``releasable_to`` through ``norm_list_sql`` (once per row, in an inner query: the
    expression is then a fraction of the size, which DuckDB plans much faster)."""
    t = tlp if normalised else norm_tlp_sql(tlp)
    rl = releasable_to if normalised else norm_list_sql(releasable_to)
    levels = ", ".join(f"'{x}'" for x in TLP_ORDER)
    return (f"(CASE WHEN upper(trim({producer})) = upper(trim({recipient})) THEN 'producer' "
            f"WHEN {t} IS NULL OR {t} NOT IN ({levels}) THEN 'tlp-unknown' "
            f"WHEN {t} = 'RED' THEN 'tlp-red' "
            f"WHEN {t} = 'AMBER+STRICT' THEN 'tlp-amber-strict' "
            f"WHEN len({rl}) > 0 AND list_contains({rl}, upper(trim({recipient}))) "
            f"THEN 'releasable-to' "
            f"WHEN len({rl}) > 0 THEN 'not-releasable-to' "
            f"WHEN {t} = 'CLEAR' THEN 'clear' "
            f"ELSE 'no-releasable-to' END)")


def released_sql(code: str) -> str:
    """True when a reason code (an SQL expression) means the row is released."""
    return f"({code} IN ({', '.join(repr(c) for c in RELEASED_CODES)}))"


def mask_code_sql(releasable_to: str, producer: str, recipient: str, mode: str,
                  normalised: bool = False) -> str:
    """A CASE expression giving the ``personal_data_treatment`` reason code of each row."""
    if mode not in MASKING_MODES:
        raise HandlingError(f"masking mode must be one of {', '.join(MASKING_MODES)}, not {mode!r}")
    rl = releasable_to if normalised else norm_list_sql(releasable_to)
    first = f"WHEN upper(trim({producer})) = upper(trim({recipient})) THEN 'pd-producer' "
    if mode == "none":
        return f"(CASE {first}ELSE 'pd-clear-requested' END)"
    if mode == "all":
        return f"(CASE {first}ELSE 'pd-mask-requested' END)"
    return (f"(CASE {first}WHEN list_contains({rl}, upper(trim({recipient}))) "
            f"THEN 'pd-releasable-to' ELSE 'pd-public' END)")


MASKED_CODES = ("pd-public", "pd-mask-requested")


def masked_sql(code: str) -> str:
    return f"({code} IN ({', '.join(repr(c) for c in MASKED_CODES)}))"


def mask_value_sql(value: str, salt: str) -> str:
    """SQL twin of ``mask_value`` (``salt`` an SQL expression, e.g. a bound parameter)."""
    return (f"(CASE WHEN ({value}) IS NULL THEN NULL ELSE "
            f"'{MASK_PREFIX}' || left(sha256(({salt}) || CAST(({value}) AS VARCHAR)), 16) END)")


# -- the handling of an export as a whole -------------------------------------------
def allowed_recipients(handling: Any, producer_country: str | None) -> frozenset[str] | None:
    """Everyone ``may_release`` lets a row go to: a set of codes, or None for anyone."""
    producer = normalise_code(producer_country)
    own = frozenset({producer}) if producer else frozenset()
    tlp = normalise_tlp(_field(handling, "tlp"))
    if tlp is None or tlp in NOBODY:
        return own
    releasable = _codes(_field(handling, "releasable_to"))
    if releasable:
        return own | frozenset(releasable)
    if tlp == "CLEAR":
        return None
    return own


def combined_handling(parts: Iterable[tuple[Any, str | None]]) -> dict[str, Any]:
    """The handling of an export holding rows of these ``(handling, producer_country)``:
    the strictest TLP, ``releasable_to`` = those every part may go to (so that whoever
    receives the export cannot pass any row on further than its own handling allows),
    the legal bases joined, the caveats united.  When the parts together may go to no
    one in particular and the TLP would be CLEAR (whose empty ``releasable_to`` means
    anyone), the TLP is raised to GREEN so that the empty list keeps meaning no one."""
    parts = list(parts)
    tlp = strictest(_field(h, "tlp") for h, _ in parts)
    allowed: frozenset[str] | None = None
    restricted = False
    bases: set[str] = set()
    caveats: set[str] = set()
    for h, producer in parts:
        a = allowed_recipients(h, producer)
        if a is not None:
            allowed = a if not restricted else (allowed or frozenset()) & a
            restricted = True
        lb = _field(h, "legal_basis")
        if lb and str(lb).strip():
            bases.add(str(lb).strip())
        caveats.update(str(c) for c in (_field(h, "caveats") or []) if str(c).strip())
    releasable = sorted(allowed) if restricted and allowed else []
    if restricted and not releasable and tlp == "CLEAR":
        tlp = "GREEN"
    return {"tlp": tlp, "releasable_to": releasable,
            "legal_basis": "; ".join(sorted(bases)) or None, "caveats": sorted(caveats)}
