"""Text produced by the core, in the analyst's language at display time (STYLE habit 14).

One gettext-style catalogue per language, ``resources/i18n/<lang>.po`` (read directly, no
compiled .mo, so a translator edits one text file): the English text is the message id.
The core, the CLI, ``--json`` output and everything stored in a case stay English (audit
entries, reject reasons and xref reasons are evidence and must not change with a setting);
the UI and the dossiers translate when they show the text.

``translate(text, lang)`` gives the translation of

1. an exact message id, else
2. a *template*: a message id with ``{placeholders}``, e.g.
   ``msgid "row {row}: timestamp {value} has no offset"``, matching the whole text (the
   literal parts exactly, each placeholder a non-greedy group; a number only for ``{n}``,
   ``{m}``, ``{count}`` and placeholders with a format spec such as ``{w:+.1f}``).  The most specific template
   (most literal text) is tried first, ties in file order.  The captured values go into the
   translation's placeholders unchanged, or translated when a value is itself a message id
   (a kind such as ``persons``, a JSON type such as ``a string``) and the placeholder is not
   written in quotes (``'{kind}'`` names an identifier as typed, kept as it is);
3. else the text unchanged (logged once at debug level).

TLP labels are never translated (FIRST's rule): the catalogue has no entry for them.
"""

from __future__ import annotations

import ast
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .paths import resources_dir

log = logging.getLogger(__name__)

# {name}, {name:spec} or {name!r}: the placeholders of a message id (str.format's syntax).
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)((?:![rsa])?(?::[^{}]*)?)\}")
# A placeholder with a format spec ({p:.0%}, {w:+.1f}) or named n, m or count holds a number and
# matches only one: "{n} of {m}" must not read "7 of 9 contacts shared; …" as a fraction.
NUMERIC_NAMES = frozenset({"n", "m", "count"})
KEY = 3   # characters of a template's leading (or trailing) literal it is indexed by
NUMBER = r"[-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?%?"


def catalogue_path(lang: str = "id") -> Path:
    return resources_dir() / "i18n" / f"{lang}.po"


def parse_po(text: str) -> dict[str, str]:
    """msgid → msgstr of a .po file (msgctxt and plural forms are not used here)."""
    out: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush():
        if msgid is not None and msgstr is not None:
            key = "".join(msgid)
            if key:
                out[key] = "".join(msgstr)

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [ast.literal_eval(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [ast.literal_eval(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
    flush()
    return out


def placeholders(text: str) -> list[str]:
    """The placeholder names of ``text``, sorted (a translation must have the same)."""
    return sorted(m.group(1) for m in PLACEHOLDER.finditer(text))


@dataclass(frozen=True)
class Template:
    msgid: str
    msgstr: str
    regex: re.Pattern
    names: tuple[str, ...]     # group i+1 holds names[i]
    literal: int               # characters of literal text: more = more specific
    quoted: frozenset[str]     # placeholders written in quotes ('{kind}'): identifiers, never translated

    @staticmethod
    def pattern(msgid: str, prefix: str = "") -> str:
        """The regex of ``msgid``: literal parts escaped, placeholders as groups (named prefix + index)."""
        parts, pos = [], 0
        for i, m in enumerate(PLACEHOLDER.finditer(msgid)):
            parts.append(re.escape(msgid[pos:m.start()]))
            numeric = m.group(1) in NUMERIC_NAMES or ":" in m.group(2)
            body = NUMBER if numeric else ".+?"
            parts.append(f"(?P<{prefix}{i}>{body})" if prefix else f"({body})")
            pos = m.end()
        parts.append(re.escape(msgid[pos:]))
        return "".join(parts)

    @classmethod
    def compile(cls, msgid: str, msgstr: str) -> Template:
        names = tuple(m.group(1) for m in PLACEHOLDER.finditer(msgid))
        quoted = {m.group(1) for m in PLACEHOLDER.finditer(msgid)
                  if msgid[m.start() - 1:m.start()] in ("'", '"', "\u201c")}
        literal = len(PLACEHOLDER.sub("", msgid))
        return cls(msgid, msgstr, re.compile(cls.pattern(msgid), re.DOTALL), names, literal, frozenset(quoted))


class Catalogue:
    """One language's messages: exact ones in a dict, templates compiled once."""

    def __init__(self, messages: dict[str, str]) -> None:
        self.exact = {k: v for k, v in messages.items() if v}
        templates = [Template.compile(k, v) for k, v in self.exact.items() if PLACEHOLDER.search(k)]
        # most literal text first (stable: ties keep the file's order)
        self.templates = sorted(templates, key=lambda t: -t.literal)
        # Only templates that can match are tried: by the text's first characters (the template's
        # leading literal) or, for a template starting with a placeholder, its last characters.
        self._by_head: dict[str, list[int]] = {}
        self._by_tail: dict[str, list[int]] = {}
        self._any: list[int] = []
        for k, t in enumerate(self.templates):
            first = PLACEHOLDER.search(t.msgid)
            head = t.msgid[:first.start()]
            tail = t.msgid[list(PLACEHOLDER.finditer(t.msgid))[-1].end():]
            if len(head) >= KEY:
                self._by_head.setdefault(head[:KEY], []).append(k)
            elif len(tail) >= KEY:
                self._by_tail.setdefault(tail[-KEY:], []).append(k)
            else:
                self._any.append(k)
        self._missed: set[str] = set()
        self._lock = threading.Lock()

    @classmethod
    def load(cls, lang: str) -> Catalogue:
        p = catalogue_path(lang)
        if not p.exists():
            log.warning("no catalogue for language %r at %s", lang, p)
            return cls({})
        return cls(parse_po(p.read_text(encoding="utf-8")))

    def match(self, text: str) -> tuple[Template, dict[str, str]] | None:
        """The first template matching the whole of ``text``, and its captured values."""
        candidates = sorted(self._by_head.get(text[:KEY], []) + self._by_tail.get(text[-KEY:], []) + self._any)
        for k in candidates:
            t = self.templates[k]
            m = t.regex.fullmatch(text)
            if m:
                return t, dict(zip(t.names, m.groups(), strict=True))
        return None

    def translate(self, text: str) -> str:
        hit = self.exact.get(text)
        if hit is not None:
            return hit
        found = self.match(text)
        if found is None:
            with self._lock:
                new = text not in self._missed
                self._missed.add(text)
            if new:
                log.debug("no translation for %r", text)
            return text
        t, values = found

        def value(m: re.Match) -> str:
            v = values.get(m.group(1))
            if v is None:
                return m.group(0)
            return v if m.group(1) in t.quoted else self.exact.get(v, v)

        return PLACEHOLDER.sub(value, t.msgstr)


@lru_cache(maxsize=8)
def catalogue(lang: str) -> Catalogue:
    """The catalogue of ``lang``, loaded and compiled once per process."""
    return Catalogue.load(lang)


@lru_cache(maxsize=65536)
def _cached(text: str, lang: str) -> str:
    return catalogue(lang).translate(text)


def translate(text: str | None, lang: str) -> str | None:
    """``text`` in ``lang`` ("en" gives it unchanged; "en+id" counts as "id")."""
    if not text or lang == "en":
        return text
    if lang == "en+id":
        lang = "id"
    return _cached(text, lang)


def translate_all(texts: Iterable[str] | None, lang: str) -> list[str]:
    """A list of texts (e.g. an xref candidate's reasons), item by item."""
    return [translate(t, lang) for t in texts or []]


def reload() -> None:
    """Forget loaded catalogues (after a translator edited a .po file; tests)."""
    catalogue.cache_clear()
    _cached.cache_clear()
