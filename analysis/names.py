"""Matching keys for the names of this region's people and organisations.

``workstation.normalise.fold_name`` gives the folded form stored in the case
(lower-case, accents stripped, any script transliterated to Latin).  This
module builds the richer keys entity resolution and search match on, as pure
functions:

* honorifics and titles dropped (``H.``, ``Hj.``, ``Drs.``, ``Ir.``, ``Dr.``, ``Frau`` …);
* patronymic particles dropped, the father's name kept (``bin``, ``binti``, ``bt.``, ``b.``);
* common abbreviations and spellings to one form (``Mohd``/``Muhammad``/``Mohamad``/``Mochamad``,
  ``M.`` before another name,
  ``Abd.``/``Abdul``, ``Nur``/``Noor``);
* Indonesia's pre-1972 spelling to today's (``oe``→``u``, ``dj``→``j``, ``tj``→``c``,
  ``j``→``y``, ``ch``→``kh``) when a name shows the old spelling;
* "SURNAME, Forename" turned round; token order otherwise ignored by sorting;
* particles joined to the name they belong to (``dela Cruz`` = ``De La Cruz``);
* a phonetic key per token that survives vowel-less transliteration (``mhmd`` = ``muhammad``).

``name_keys(name)`` returns all of it as a ``NameKeys``.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
import unicodedata
from dataclasses import dataclass

from workstation.normalise import fold_name

log = logging.getLogger(__name__)

# Titles and honorifics, as folded tokens.  Dropped wherever they appear.
HONORIFICS = frozenset("""
h hj haji hajah hajjah hji drs dra dr drg ir prof kh kyai ust ustadz ustaz ustazah
mr mrs ms miss mx sir madam mdm bapak pak bpk ibu bu sdr sdri saudara saudari tuan puan encik cik
datuk dato datin tun raden
sh se mm msi mh mba mkn mpd spd skom st mt amd
frau herr fr hr
atty engr hon gen col maj capt lt sgt
""".split())

# Patronymic and filiation particles: dropped, the names around them kept.
PATRONYMICS = frozenset("bin binti bt bte binte bint b ibni ibnu ap al anak a l p".split())

# Names in Arabic script transliterate without vowels ("عمر" → "mr", "حسن" → "hsn"): their tokens are
# consonant skeletons that may spell a Latin title ("mr", "ms", "st"), so only these Arabic patronymics
# ("بن", "بنت") and honorifics ("الحاج", "الشيخ") are dropped from them.
ARABIC_PATRONYMICS = frozenset("bn bnt abn ibn".split())
ARABIC_HONORIFICS = frozenset("lhj lhjh hj hjh lshykh shykh".split())
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")

# Common Chinese family names in pinyin (the given name after one is often written joined: "Chen Weiming").
CHINESE_SURNAMES = frozenset("""
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song tang
han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei su lu ding ren shen yao jin
fu tan lai fan fang shi jia xia qiu qin gu hou meng long wan duan lei qian tang yin yi chang kong bai cui kang
mao qiu zou xiong hao shao wen
""".split())


@functools.lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every syllable the transliteration gives a Han character (the pinyin inventory, ~400)."""
    from anyascii import anyascii

    return frozenset(anyascii(chr(c)).strip().lower() for c in range(0x4E00, 0x9FA6))


def _pinyin_split(token: str) -> tuple[str, ...] | None:
    syl = pinyin_syllables()
    if token in syl:
        return (token,)
    # Joined pinyin marks a syllable starting with a vowel by an apostrophe ("Xi'an"), so without one
    # the second starts with a consonant ("lina" is li na, not lin a); a first syllable of one vowel
    # ("Ali" as a li) is not taken.
    for i in range(len(token) - 2, 1, -1):
        if token[:i] in syl and token[i:] in syl and token[i] not in "aeiou":
            return token[:i], token[i:]
    return None


def split_pinyin(tokens: list[str]) -> list[str]:
    """A Chinese name's given name written joined in pinyin, split into its syllables as the Han
    characters transliterate: ``chen weiming`` → ``chen wei ming`` (``陈伟明``).  Only for a name of two
    to four tokens, one a common Chinese family name (``CHINESE_SURNAMES``), every token one or two
    pinyin syllables: ``Hasan Basri`` and ``Dian Sari`` stay as they are."""
    if not 2 <= len(tokens) <= 4 or not any(t in CHINESE_SURNAMES for t in tokens):
        return tokens
    parts = [_pinyin_split(t) for t in tokens]
    if any(p is None for p in parts):
        return tokens
    return [x for p in parts for x in p]   # type: ignore[union-attr]


# Particles that belong to the following name ("dela Cruz", "van der Berg", "de los Santos").
PARTICLES = frozenset("de del dela delas delos della de la las los da das do dos di van von der den ter le la san sta".split())

# Spellings of one name brought to one form (after the spelling reform step).
_CANON = {
    "muhammad": ("mohd muhd mhd md mohammad mohamad mohamed mohammed muhamad muhammed mohamat "
                 "muhamed mohd muh moh mhmd mohamud mahomed mohummad "
                 "mochamad mochammad muchamad muchammad mokhamad mokhammad mukhamad mukhammad"),
    "abdul": "abd abdol abdool abdel abdoel",
    "abdullah": "abdulah abdallah abdoellah",
    "nur": "noor nor noer nour",
    "ahmad": "achmad ahmed akhmad ahmat achmat amad",
    "siti": "sitti",
    "yusuf": "yusof yousef yousuf joesoef jusuf yoesoef",
    "ibrahim": "ebrahim ibrahem",
    "hassan": "hasan",
    "hussein": "husein hussain husain hossein",
    "syamsul": "shamsul samsul",
    "syarifah": "sharifah",
    "syed": "sayed sayyid",
    "zainal": "zainol",
    "ismail": "esmail",
    "osman": "usman uthman othman",
    "putri": "puteri",
    "dewi": "dewie",
}
CANONICAL: dict[str, str] = {}
for _target, _variants in _CANON.items():
    for _v in _variants.split():
        CANONICAL[_v] = _target

# Name tokens so common that sharing them says little (down-weighted in similarity).
COMMON_TOKENS = frozenset("muhammad abdul nur siti ahmad ali dewi sri putri agus budi".split())

# Legal forms of organisations, dropped from organisation keys.
ORG_FORMS = frozenset("""
pt cv tbk persero ud fa koperasi yayasan sdn bhd berhad plc ltd limited llc llp inc corp corporation
co company gmbh ag kg ev mbh eg ug ohg se sa sas sarl bv nv oy ab as asa spa srl pte pty lp
the and und
""".split())

_OLD_SPELLING = re.compile(r"oe|dj|tj")
_TY_VOWEL = re.compile(r"ty(?=[aeiou])")


@dataclass(frozen=True)
class NameKeys:
    """What matching needs of one name as written."""

    written: str
    tokens: tuple[str, ...]        # canonical tokens, in the name's own order (surname-first turned)
    sorted_key: str                # canonical tokens sorted, joined by spaces
    phonetic: tuple[str, ...]      # phonetic key per token, same order as ``tokens``
    phonetic_key: str              # phonetic keys sorted, joined by spaces
    single: bool                   # one token only (a single name, or nothing else left)


@functools.lru_cache(maxsize=500_000)
def reform_spelling(token: str) -> str:
    """Pre-1972 Indonesian spelling to today's: Soekarno→sukarno, Djoko→joko, Tjahjo→cahyo.

    Applied to a whole name only when it shows the old spelling (see ``modern_spelling``),
    because a lone ``j`` is ``y`` in the old spelling but ``j`` in the new one.
    """
    t = token.replace("oe", "u").replace("tj", "c")
    t = t.replace("dj", "\0").replace("j", "y").replace("\0", "j")
    t = re.sub(r"(?<!s)ch", "kh", t)
    return t


@functools.lru_cache(maxsize=500_000)
def spelling_key(token: str) -> str:
    """One form of a token whichever side of the 1972 spelling reform wrote it, for comparing only.

    ``reform_spelling`` applied whether or not the name shows the old spelling elsewhere (a lone
    ``j`` for ``y`` is the only sign in ``Trijanto`` for ``Triyanto``), and ``ty`` before a vowel
    written as the ``c`` the reform made of ``tj``, because old ``tj`` was either: ``Tjahjo`` is
    ``Cahyo`` but ``Prasetjo`` is ``Prasetyo``.  ``trijanto``/``triyanto`` → ``triyanto``,
    ``prasetyo``/``praseco`` → ``praseco``.  Modern ``Joko`` and ``Yoko`` meet too: the old spelling
    of one is the other.  Only for telling two tokens equal: the phonetic key (``phonetic``) stays
    that of the token, so that ``Setyawan`` still meets ``Setiawan`` and ``Candra`` ``Chandra``.
    """
    return _TY_VOWEL.sub("c", reform_spelling(token))


def is_old_spelling(tokens: list[str]) -> bool:
    return any(_OLD_SPELLING.search(t) for t in tokens)


def modern_spelling(tokens: list[str]) -> list[str]:
    return [reform_spelling(t) for t in tokens] if is_old_spelling(tokens) else list(tokens)


def canonical_token(token: str) -> str:
    """One spelling for common variants of a name token (Mohd → muhammad, Noor → nur)."""
    t = CANONICAL.get(token, token)
    # Run-together forms: "abdulrahman" → "abdul" + "rahman" is handled by split_compounds.
    return t


def split_compounds(tokens: list[str]) -> list[str]:
    """``abdulrahman`` → ``abdul rahman`` (``abdullah`` is a name of its own and stays)."""
    out: list[str] = []
    for t in tokens:
        rest = t[5:]
        if t.startswith("abdul") and len(rest) >= 4 and not rest.startswith("lah"):
            out.extend(("abdul", rest))
        else:
            out.append(t)
    return out


PARTICLE_MARK = "-"
"""Joins particles to their name (``dela cruz`` → ``dela-cruz``): the token stays distinct from a
plain ``cruz`` in text, while its phonetic key is that of the name alone, so ``Juan Cruz`` (a
record that dropped the particle) meets ``Juan dela Cruz``."""


def _join_particles(tokens: list[str]) -> list[str]:
    out: list[str] = []
    pending = ""
    for i, t in enumerate(tokens):
        if t in PARTICLES and i < len(tokens) - 1:
            pending += t
            continue
        out.append(pending + PARTICLE_MARK + t if pending else t)
        pending = ""
    return out


_PHONETIC_MAP = str.maketrans("vzqcjx", "fskkyk")
_VOWELS = re.compile(r"[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")
_NOT_LETTER = re.compile(r"[^a-z]")


@functools.lru_cache(maxsize=500_000)
def phonetic(token: str) -> str:
    """A consonant skeleton that survives transliteration without vowels.

    Vowels dropped (Arabic script transliterates without them), sounds written
    several ways brought together: ``sy``/``sh``→s, ``kh``→k, ``ph``/``v``→f, ``z``→s,
    ``q``/``c``/``x``→k, ``j``→y, ``dh``/``th``→d/t; repeats collapsed.
    ``muhammad`` and ``mhmd`` → ``mhmd``; ``rizal`` and ``rzl`` → ``rsl``.  A particle joined to
    its name does not count: ``dela-cruz`` and ``cruz`` → ``krs``.
    """
    if not token:
        return ""
    t = token.lower().rpartition(PARTICLE_MARK)[2] or token.lower()
    for a, b in (("sch", "s"), ("sy", "s"), ("sh", "s"), ("kh", "k"), ("gh", "g"), ("ph", "f"),
                 ("dh", "d"), ("th", "t"), ("ck", "k"), ("ch", "c"), ("dj", "j"), ("tj", "c"),
                 ("ng", "n"), ("ny", "n")):
        t = t.replace(a, b)
    t = t.translate(_PHONETIC_MAP)
    head = t[0] if t[0] == "y" else ""
    skel = head + _VOWELS.sub("", t[1:] if head else t)
    skel = _REPEATS.sub(r"\1", skel)
    # The Arabic ayn (`) and stray digits are not sounds.
    return _NOT_LETTER.sub("", skel) or t[0]


def without_degrees(written: str) -> str:
    """A name as written with "SURNAME, Forename" turned round and degrees after a comma dropped
    (``Drs. H. Bambang Susilo, M.M.`` → ``Drs. H. Bambang Susilo``): what a search for it looks for."""
    return _surname_first(written) if "," in written else written


def _is_title_part(part: str) -> bool:
    toks = _fold_tokens(part.replace(".", ""))
    return bool(toks) and all(t in HONORIFICS for t in toks)


def _surname_first(written: str) -> str:
    """``RIZAL, Mohamad`` → ``Mohamad RIZAL`` (Interpol style); ``Bambang, S.H.`` keeps its order.

    Degrees written after a comma (``, S.H.``, ``, M.M.``) are dropped, not turned round.
    """
    parts = [p.strip() for p in written.split(",")]
    while len(parts) > 1 and _is_title_part(parts[-1]):
        parts.pop()
    if len(parts) == 2 and parts[0] and parts[1] and not any(ch.isdigit() for ch in written):
        return f"{parts[1]} {parts[0]}"
    return " ".join(parts)


_ASCII_SPLIT = re.compile(r"[^0-9a-z]+")
_AMBIGUOUS_PATRONYMICS = frozenset(("a", "l", "p", "b", "al"))


def is_arabic_script(text: str | None) -> bool:
    return bool(text) and bool(_ARABIC.search(str(text)))


def fold(text: str | None) -> str | None:
    """``fold_name``, except that in Arabic script the letters transliterated as marks (ayn ``ع`` as
    ```` ` ````, hamza ``أ`` ``ؤ`` as ``'``) are dropped instead of splitting a word in two: ``سعيد`` →
    ``syd``, not ``s yd``; ``عمر`` → ``mr``."""
    if text is None or not is_arabic_script(text):
        return fold_name(text)
    from anyascii import anyascii

    return fold_name(anyascii(unicodedata.normalize("NFKC", str(text))).replace("`", "").replace("'", ""))


def _fold_tokens(written: str) -> list[str]:
    """``fold(written).split()``, with a fast path for plain ASCII (most names)."""
    if written.isascii():
        return [t for t in _ASCII_SPLIT.split(written.lower()) if t]
    return (fold(written) or "").split()


@functools.lru_cache(maxsize=500_000)
def _finish_token(token: str, old: bool) -> tuple[str, ...]:
    t = reform_spelling(token) if old else token
    return tuple(canonical_token(x) for x in split_compounds([t]))


def name_tokens(name: str | None, organisation: bool = False) -> list[str]:
    """The canonical tokens of a name, in order; honorifics and patronymic particles dropped."""
    if not name:
        return []
    written = str(name)
    if "," in written:
        written = _surname_first(written)
    raw = _fold_tokens(written)
    if organisation:
        toks = [t for t in raw if t not in ORG_FORMS] or raw
        return modern_spelling(_join_particles(toks))
    if not written.isascii() and is_arabic_script(written):
        toks = [t for t in raw if t not in ARABIC_PATRONYMICS and t not in ARABIC_HONORIFICS] or raw
        return [t for tok in toks for t in _finish_token(tok, False) if t]
    toks = [t for t in raw if t not in HONORIFICS]
    # A patronymic particle (or "b" between two names) is dropped; an honorific-only or
    # particle-only name keeps what it has rather than vanish.
    last = len(toks) - 1
    toks = [t for i, t in enumerate(toks)
            if not (t in PATRONYMICS and (t not in _AMBIGUOUS_PATRONYMICS or 0 < i < last))]
    if not toks:
        toks = raw
    toks = split_pinyin(toks)
    if any(t in PARTICLES for t in toks):
        toks = _join_particles(toks)
    old = is_old_spelling(toks)
    out: list[str] = []
    for i, t in enumerate(toks):
        # "M." before another name is Muhammad in this region ("M. Rizal", "H.M. Nasir").
        out.extend(("muhammad",) if t == "m" and i < len(toks) - 1 else _finish_token(t, old))
    return [t for t in out if t]


def name_keys(name: str | None, organisation: bool = False) -> NameKeys:
    toks = name_tokens(name, organisation)
    ph = tuple(phonetic(t) for t in toks)
    return NameKeys(written=name or "", tokens=tuple(toks), sorted_key=" ".join(sorted(toks)),
                    phonetic=ph, phonetic_key=" ".join(sorted(ph)), single=len(toks) <= 1)


def blocking_keys(keys: NameKeys, birth_year: int | None = None, max_tokens: int = 6) -> set[str]:
    """Keys two names must share to be compared at all (no all-pairs comparison).

    ``f:`` the sorted phonetic key (same name in any order and spelling);
    ``p:`` every pair of phonetic tokens (one name a subset of the other: "RIZAL, Mohamad"
    vs "Muhammad Rizal bin Abdullah"); ``y:`` one phonetic token with the birth year
    (a single name against a fuller one).
    """
    out: set[str] = set()
    if not keys.tokens:
        return out
    out.add("f:" + keys.phonetic_key)
    ph = sorted(set(keys.phonetic[:max_tokens]))
    for a, b in itertools.combinations(ph, 2):
        out.add(f"p:{a} {b}")
    if birth_year:
        for a in ph:
            if len(a) >= 3:
                out.add(f"y:{a}:{birth_year}")
    return out


def token_weight(token: str) -> float:
    """How much sharing this token says: common given names count for less."""
    if token in COMMON_TOKENS:
        return 0.35
    if len(token) <= 2:
        return 0.5
    return 1.0


PHONETIC_MATCH = 0.92
"""Score of two tokens that differ in spelling but share a phonetic key (``rzl`` ~ ``rizal``)."""


def token_match(t: str, pt: str, u: str, pu: str) -> float:
    if t == u or spelling_key(t) == spelling_key(u):
        return 1.0
    jw = jaro_winkler(t, u)
    return max(jw, PHONETIC_MATCH) if pt == pu and len(pt) >= 2 else jw


TOKEN_MIN = 0.85
"""Token pairs less alike than this count as no match at all (Dimas ≠ Ismail, however many letters agree)."""


def direction(x: NameKeys, y: NameKeys) -> float:
    """Weighted share of ``x``'s tokens found in ``y`` (best match per token, ≥ ``TOKEN_MIN``)."""
    total = wsum = 0.0
    for t, pt in zip(x.tokens, x.phonetic, strict=True):
        w = token_weight(t)
        best = max(token_match(t, pt, u, pu) for u, pu in zip(y.tokens, y.phonetic, strict=True))
        total += w * (best if best >= TOKEN_MIN else 0.0)
        wsum += w
    return total / wsum


def similarity(a: NameKeys, b: NameKeys) -> float:
    """Similarity in 0..1 of two names (the same measure xref computes in SQL).

    Each direction is the weighted share of one name's tokens found in the other
    (Jaro-Winkler ≥ ``TOKEN_MIN``, or the same phonetic key); the better direction
    counts three times the other, so a name that is a subset of the other
    ("RIZAL, Mohamad" ~ "Muhammad Rizal bin Abdullah") stays high while a different
    given name with the same family name ("Dimas Kurniadi" ~ "Ismail Kurniadi") does not.
    """
    if not a.tokens or not b.tokens:
        return 0.0
    ab, ba = direction(a, b), direction(b, a)
    return 0.75 * max(ab, ba) + 0.25 * min(ab, ba)


def jaro_winkler(s1: str, s2: str, prefix_weight: float = 0.1) -> float:
    """Jaro-Winkler similarity (equals DuckDB's ``jaro_winkler_similarity``)."""
    if s1 == s2:
        return 1.0
    l1, l2 = len(s1), len(s2)
    if not l1 or not l2:
        return 0.0
    window = max(max(l1, l2) // 2 - 1, 0)
    m1 = [False] * l1
    m2 = [False] * l2
    matches = 0
    for i, ch in enumerate(s1):
        lo, hi = max(0, i - window), min(i + window + 1, l2)
        for j in range(lo, hi):
            if not m2[j] and s2[j] == ch:
                m1[i] = m2[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    k = trans = 0
    for i in range(l1):
        if m1[i]:
            while not m2[k]:
                k += 1
            if s1[i] != s2[k]:
                trans += 1
            k += 1
    trans //= 2
    jaro = (matches / l1 + matches / l2 + (matches - trans) / matches) / 3
    prefix = 0
    for c1, c2 in zip(s1[:4], s2[:4], strict=False):
        if c1 != c2:
            break
        prefix += 1
    return jaro + prefix * prefix_weight * (1 - jaro)


def birth_date_relation(a: str | None, b: str | None) -> tuple[str, str] | None:
    """How two (partial) ISO birth dates relate: (relation, explanation) or None if either is missing.

    relation is ``same``, ``same_month``, ``same_year``, ``swapped`` (day and month
    exchanged: 1987-03-04 vs 1987-04-03), ``near`` (one year apart) or ``different``.
    """
    if not a or not b:
        return None
    pa, pb = a.split("-"), b.split("-")
    if pa[0] != pb[0]:
        try:
            gap = abs(int(pa[0]) - int(pb[0]))
        except ValueError:
            gap = 99
        if gap == 1:
            return "near", f"birth dates {a} vs {b}: one year apart"
        return "different", f"birth dates {a} vs {b}: different"
    if len(pa) == 3 and len(pb) == 3:
        if pa == pb:
            return "same", f"same birth date {a}"
        if pa[1] == pb[2] and pa[2] == pb[1]:
            return "swapped", f"birth dates {a} vs {b}: day/month swapped"
        if pa[1] == pb[1]:
            return "same_month", f"birth dates {a} vs {b}: same month, different day"
        return "different", f"birth dates {a} vs {b}: different"
    if len(pa) >= 2 and len(pb) >= 2 and pa[1] != pb[1]:
        return "different", f"birth dates {a} vs {b}: different"
    return "same_year", f"birth dates {a} vs {b}: same year"
