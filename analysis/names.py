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


def split_pinyin(tokens: list[str], keep: frozenset[str] = frozenset()) -> list[str]:
    """A Chinese name's given name written joined in pinyin, split into its syllables as the Han
    characters transliterate: ``chen weiming`` → ``chen wei ming`` (``陈伟明``).  Only for a name of two
    to four tokens, one a common Chinese family name (``CHINESE_SURNAMES``), every token one or two
    pinyin syllables: ``Hasan Basri`` and ``Dian Sari`` stay as they are.  Tokens in ``keep`` stay
    whole (``name_tokens`` keeps the region's common given names: "Siti Tan", a Malay woman whose
    father is a Tan, is not "Si Ti Tan")."""
    if not 2 <= len(tokens) <= 4 or not any(t in CHINESE_SURNAMES for t in tokens):
        return tokens
    parts = [(t,) if t in keep else _pinyin_split(t) for t in tokens]
    if any(p is None for p in parts):
        return tokens
    return [x for p in parts for x in p]   # type: ignore[union-attr]


# Chinese family names as the region writes them.  One character is written in pinyin (what
# mainland documents use, and what a name in Chinese script transliterates to here), in Wade-Giles
# (Taiwan), and in the romanisation of the family's own dialect: Hokkien and Teochew (Southern Min),
# Cantonese, Hakka, Hainanese, Hokchew; in Indonesia in the older Dutch-based spelling of those
# (``oe`` for u, ``tj`` for c, ``dj`` for j, ``nj`` for ny).  Based on the romanisation tables of the
# common Chinese surnames (Wikipedia "List of common Chinese surnames", Wiktionary "Appendix:Chinese
# surnames": Mandarin, Cantonese, Min Nan and other dialects' columns) and on Wikipedia "Chinese
# Indonesian surname" (its table of Dutch-based spellings: Tan, Liem, Oei, Go, Lie, Kwee, Njoo …).
# Each line: the character, then ``group: spellings`` separated by ``;``.  Groups: ``pinyin`` and
# ``wade-giles`` (Mandarin), ``min`` (Hokkien/Teochew), ``cantonese``, ``hakka``, ``hainanese``,
# ``hokchew``, and ``id-<dialect>``: that dialect in Indonesia's Dutch-based spelling.
CHINESE_FAMILY_NAME_TABLE = """
陈 pinyin: chen; min: tan; cantonese: chan chun; hakka: chin; hokchew: ting; id-min: tan; id-hakka: tjhin; id-cantonese: tjan
林 pinyin: lin; min: lim; cantonese: lam lum; hakka: lim lam; hainanese: lim; id-min: liem lim
黄 pinyin: huang; wade-giles: hwang; min: ng wee ooi ung; cantonese: wong; hakka: wong bong vong; hainanese: wee; id-min: oei oey ooi; id-hakka: bong
吴 pinyin: wu; min: goh go ngo; cantonese: ng eng; hakka: ng; id-min: go gouw goh
王 pinyin: wang; min: ong heng; cantonese: wong; hakka: wong vong; id-min: ong
李 pinyin: li; min: lee li; cantonese: lee lei; hakka: lee li; hainanese: lee; id-min: lie; id-hakka: lie
张 pinyin: zhang; wade-giles: chang; min: teo teoh tiu; cantonese: cheung cheong; hakka: chong cheong; id-min: thio tio; id-hakka: tjong
刘 pinyin: liu; min: lau low; cantonese: lau; hakka: liew liu; id-min: lauw lau
郑 pinyin: zheng; wade-giles: cheng; min: tay teh tee; cantonese: cheng; hakka: chang; id-min: the tee
许 pinyin: xu; wade-giles: hsu; min: koh khoh kho khor; cantonese: hui; id-min: kho khouw
杨 pinyin: yang; min: yeo yeoh yeow; cantonese: yeung yeong; hakka: yong yeong; id-min: njoo nyoo
蔡 pinyin: cai; wade-giles: tsai; min: chua; cantonese: choi choy; hakka: chai choy; id-min: tjoa; id-hakka: tjhai
郭 pinyin: guo; wade-giles: kuo; min: kuek kueh quek kwek; cantonese: kwok; hakka: kok; id-min: kwee kwik que
何 pinyin: he; min: ho hoh; cantonese: ho; hakka: ho; id-min: ho hoo
谢 pinyin: xie; wade-giles: hsieh; min: cheah chia; cantonese: tse; hakka: chia; id-min: tjia sia
萧 pinyin: xiao; wade-giles: hsiao; min: siow seow; cantonese: siu; hakka: siew seow; id-min: siauw siaw
周 pinyin: zhou; wade-giles: chou; min: chew chiu; cantonese: chow chau; hakka: chiu; id-min: tjioe
叶 pinyin: ye; wade-giles: yeh; min: yap yeap; cantonese: yip ip; hakka: yap; id-min: jap yap
赵 pinyin: zhao; wade-giles: chao; min: teo tio teoh; cantonese: chiu; hakka: chew; id-min: tio
孙 pinyin: sun; min: sng soon; cantonese: suen sun; hakka: sun
朱 pinyin: zhu; wade-giles: chu; min: choo chu; cantonese: chu chue; hakka: chu; id-min: tjoe
胡 pinyin: hu; min: oh aw; cantonese: wu woo; hakka: fu; id-min: ouw auw
高 pinyin: gao; wade-giles: kao; min: koh ko kou; cantonese: ko kou; hakka: kow; id-min: ko kouw
罗 pinyin: luo; wade-giles: lo; min: lo loh; cantonese: lo law loh; hakka: lo; id-min: lo loa
梁 pinyin: liang; min: neo niu; cantonese: leung leong; hakka: liong leong; id-min: nio; id-hakka: liong
宋 pinyin: song; wade-giles: sung; min: song; cantonese: sung
唐 pinyin: tang; wade-giles: tang; min: tng; cantonese: tong; id-min: tong
冯 pinyin: feng; wade-giles: feng; min: pang; cantonese: fung; hakka: fong
邓 pinyin: deng; wade-giles: teng; min: teng; cantonese: tang; hakka: then thin ten
曾 pinyin: zeng; wade-giles: tseng; min: chan; cantonese: tsang; hakka: tsen chen
彭 pinyin: peng; wade-giles: peng; min: phee phi; cantonese: pang; hakka: phang; id-hakka: phang
徐 pinyin: xu; wade-giles: hsu; min: chee chi; cantonese: tsui chui; hakka: chee; id-min: tjie
苏 pinyin: su; min: soh so sor; cantonese: so; id-min: souw so
卢 pinyin: lu; min: loo lo; cantonese: lo lou; id-min: louw
沈 pinyin: shen; min: sim; cantonese: sum shum; id-min: sim
邱 pinyin: qiu; wade-giles: chiu; min: khoo khu; cantonese: yau; hakka: hew hiu khiu; id-min: khoe khu
潘 pinyin: pan; min: phua pua; cantonese: poon pun; hakka: phan; id-min: phoa
杜 pinyin: du; wade-giles: tu; min: toh; cantonese: to; id-min: touw
洪 pinyin: hong; wade-giles: hung; min: ang; cantonese: hung; hakka: fung; id-min: ang
方 pinyin: fang; min: png hng; cantonese: fong; hakka: fong
颜 pinyin: yan; wade-giles: yen; min: gan gun; cantonese: ngan; id-min: gan
钟 pinyin: zhong; wade-giles: chung; min: cheng; cantonese: chung; hakka: chong; id-hakka: tjong
庄 pinyin: zhuang; wade-giles: chuang; min: chng chong; cantonese: chong
江 pinyin: jiang; wade-giles: chiang; min: kang; cantonese: kong; hakka: kong; id-min: kang
魏 pinyin: wei; min: gui goi ngooi; cantonese: ngai; id-min: goei ngoei
廖 pinyin: liao; min: liau leow; cantonese: liu; hakka: liau liew; id-min: liauw
温 pinyin: wen; min: un; cantonese: wan; hakka: voon woon; id-min: oen
傅 pinyin: fu; min: poh; cantonese: foo fu; hakka: foo
余 pinyin: yu; min: ee u; cantonese: yu yee; hakka: yee; id-min: ie
马 pinyin: ma; min: beh mah; cantonese: ma mah; hakka: ma
翁 pinyin: weng; min: ang ong; cantonese: yung; id-min: ong
丁 pinyin: ding; wade-giles: ting; min: teng; cantonese: ting; id-min: teng
"""

_FAMILY_GROUP_LABELS = {"pinyin": "pinyin", "wade-giles": "Wade-Giles", "min": "Hokkien",
                        "cantonese": "Cantonese", "hakka": "Hakka", "hainanese": "Hainanese", "hokchew": "Hokchew",
                        "id-min": "Hokkien (Indonesian spelling)", "id-hakka": "Hakka (Indonesian spelling)",
                        "id-cantonese": "Cantonese (Indonesian spelling)"}
_MANDARIN = frozenset(("pinyin", "wade-giles"))


def _dialect(group: str) -> str:
    """The speech a group writes (``id-min`` and ``min`` are both Southern Min; both Mandarin groups one)."""
    return "mandarin" if group in _MANDARIN else group.removeprefix("id-")


@functools.lru_cache(maxsize=1)
def _family_spellings() -> dict[str, dict[str, frozenset[str]]]:
    """spelling → {character → the groups writing that character so}.  A spelling is also entered as
    ``name_tokens`` leaves it when the name shows Indonesia's pre-1972 spelling (``oei`` → ``ui``,
    ``tjoa`` → ``coa``, ``tjhin`` → ``khin``)."""
    out: dict[str, dict[str, set[str]]] = {}
    for line in CHINESE_FAMILY_NAME_TABLE.strip().splitlines():
        char, _, rest = line.strip().partition(" ")
        for part in rest.split(";"):
            group, _, spellings = part.strip().partition(":")
            assert group in _FAMILY_GROUP_LABELS, (char, group)
            for s in spellings.split():
                for form in {s, reform_spelling(s) if is_old_spelling([s]) else s}:
                    out.setdefault(form, {}).setdefault(char, set()).add(group)
    return {s: {c: frozenset(g) for c, g in chars.items()} for s, chars in out.items()}


def _family_label(groups: frozenset[str]) -> str:
    """``Hokkien``, ``Cantonese or Hakka``: an Indonesian spelling named only where it is not also
    the dialect's own."""
    keep = [g for g in sorted(groups, key=list(_FAMILY_GROUP_LABELS).index)
            if not (g.startswith("id-") and g.removeprefix("id-") in groups)]
    return " or ".join(_FAMILY_GROUP_LABELS[g] for g in keep)


def _related_chars(a: str, b: str) -> list[tuple[str, str, str]]:
    """(character, how ``a`` writes it, how ``b`` does) for each character both spellings may stand
    for in readings that one person's records give: one of them Mandarin (a mainland or Taiwan
    document, a name in Chinese script), or both the same dialect (Hokkien ``Oei`` in Indonesian
    spelling and ``Wee`` in Malaysian).  Two dialects' readings of one character (Hokkien ``Tan`` and
    Hakka ``Chin`` for 陈) are the usage of two families, not two writings of one person's name."""
    if a == b:
        return []
    sa, sb = _family_spellings().get(a), _family_spellings().get(b)
    if not sa or not sb:
        return []
    out = []
    for char in sorted(sa.keys() & sb.keys()):
        ga, gb = sa[char], sb[char]
        da, db = {_dialect(g) for g in ga}, {_dialect(g) for g in gb}
        if "mandarin" in da or "mandarin" in db or da & db:
            out.append((char, _family_label(ga), _family_label(gb)))
    return out


FAMILY_NAME_MATCH = 0.9
"""How alike two family names count that may be one Chinese family name written in two
romanisations (``Tan`` ~ ``Chen``: 陈 in Hokkien and pinyin): alike enough to match (above
``TOKEN_MIN``), less than one spelling (a romanisation can stand for several characters: ``Ng``
for 黄 or 吴)."""


@functools.lru_cache(maxsize=100_000)
def family_name_relation(a: str, b: str) -> str | None:
    """Why two folded name tokens may be one Chinese family name, or None: ``family names Tan ~
    Chen: one family name (陈) in Hokkien/Teochew and pinyin``.  A relation between two spellings,
    not a class: ``ng`` relates to ``huang`` (黄) and to ``wu`` (吴), which do not relate."""
    rel = _related_chars(a, b)
    if not rel:
        return None
    chars = " or ".join(c for c, _, _ in rel)
    char, la, lb = rel[0]
    how = f"in {la} and {lb}" if len(rel) == 1 else "in their romanisations"
    return f"family names {a.title()} ~ {b.title()}: one family name ({chars}) {how}"


@functools.lru_cache(maxsize=10_000)
def family_name_variants(token: str) -> frozenset[str]:
    """The spellings that may be the same Chinese family name as ``token`` (``family_name_relation``)."""
    return frozenset(s for s in _family_spellings() if _related_chars(token, s))


def family_name_pairs(tokens: set[str] | frozenset[str]) -> list[tuple[str, str, str]]:
    """(a, b, reason) for every ordered pair of ``tokens`` that may be one family name."""
    known = sorted(t for t in tokens if t in _family_spellings())
    return [(a, b, r) for a in known for b in known if (r := family_name_relation(a, b))]


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
    toks = split_pinyin(toks, COMMON_TOKENS)
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


def _edges(tokens: tuple[str, ...]) -> set[int]:
    """Where a family name can stand in a name of two tokens or more: first (``Tan Wei Ming``,
    ``陈伟明``) or last (``Weiming Chen``, ``CHEN, Weiming`` turned round)."""
    return {0, len(tokens) - 1} if len(tokens) >= 2 else set()


def direction(x: NameKeys, y: NameKeys) -> float:
    """Weighted share of ``x``'s tokens found in ``y`` (best match per token, ≥ ``TOKEN_MIN``); a
    family name at either end of both names matches its other romanisations (``family_name_relation``)
    as ``FAMILY_NAME_MATCH``."""
    total = wsum = 0.0
    ex, ey = _edges(x.tokens), _edges(y.tokens)
    for i, (t, pt) in enumerate(zip(x.tokens, x.phonetic, strict=True)):
        w = token_weight(t)
        best = max(max(token_match(t, pt, u, pu),
                       FAMILY_NAME_MATCH if i in ex and j in ey and family_name_relation(t, u) else 0.0)
                   for j, (u, pu) in enumerate(zip(y.tokens, y.phonetic, strict=True)))
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
