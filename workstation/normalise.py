"""Normalisation kept beside the original value: phones, names, countries, documents.

Per-value Python work (phone numbers) runs on *distinct* values only; the
import pipeline joins the results back in SQL.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata

import phonenumbers
from anyascii import anyascii

from .kinds import ORGANISATION_CODES
from .paths import resources_dir

_NON_ALNUM = re.compile(r"[^0-9a-z]+")

# Closed lists of DESIGN.md ("Canonical kinds"): (kind, column) -> (what the value is, the values,
# written exactly so).  Lists DESIGN ends with "…" (messages.app, relationships.kind) are open and
# not here; identifier kinds are ``kinds.IDENTIFIER_KINDS`` (read in any case, as before).
CLOSED_LISTS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("calls", "kind"): ("call kind", ("voice", "sms", "mms", "data")),
    ("messages", "direction"): ("message direction", ("incoming", "outgoing")),
    ("travel", "kind"): ("travel kind", ("departure", "arrival", "border_crossing", "check_in")),
    ("contacts", "kind"): ("contact kind", ("phone", "email", "handle")),
}

# Currencies whose amounts carry no fraction in practice: the ISO 4217 currencies of minor unit 0,
# and IDR (ISO gives it two, no one writes them).  In text, '1.500' in one of these is refused as
# ambiguous (1500 written the Indonesian way, or 1.5).
ZERO_MINOR_CURRENCIES: tuple[str, ...] = (
    "IDR", "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
    "VUV", "XAF", "XOF", "XPF")

# ISO 4217 currency codes, current and withdrawn (a transfer of 1998 may be in DEM), as the Unicode
# CLDR lists them (read from babel 2.19's list_currencies(); CLDR adds a few codes in common use such
# as CNH).  A currency outside it ('XYZ', 'ABC') would never be compared with the others.
CURRENCY_CODES: frozenset[str] = frozenset("""
    ADP AED AFA AFN ALK ALL AMD ANG AOA AOK AON AOR ARA ARL ARM ARP ARS ATS AUD AWG AZM AZN BAD BAM BAN
    BBD BDT BEC BEF BEL BGL BGM BGN BGO BHD BIF BMD BND BOB BOL BOP BOV BRB BRC BRE BRL BRN BRR BRZ BSD
    BTN BUK BWP BYB BYN BYR BZD CAD CDF CHE CHF CHW CLE CLF CLP CNH CNY COP COU CRC CSD CSK CUC CUP CVE
    CYP CZK DDM DEM DJF DKK DOP DZD ECS ECV EEK EGP ERN ESA ESB ESP ETB EUR FIM FJD FKP FRF GBP GEK GEL
    GHC GHS GIP GMD GNF GNS GQE GRD GTQ GWE GWP GYD HKD HNL HRD HRK HTG HUF IDR IEP ILP ILR ILS INR IQD
    IRR ISJ ISK ITL JMD JOD JPY KES KGS KHR KMF KPW KRH KRO KRW KWD KYD KZT LAK LBP LKR LRD LSL LTL LTT
    LUC LUF LUL LVL LVR LYD MAD MAF MCF MDC MDL MGA MGF MKD MKN MLF MMK MNT MOP MRO MRU MTL MTP MUR MVP
    MVR MWK MXN MXP MXV MYR MZE MZM MZN NAD NGN NIC NIO NLG NOK NPR NZD OMR PAB PEI PEN PES PGK PHP PKR
    PLN PLZ PTE PYG QAR RHD ROL RON RSD RUB RUR RWF SAR SBD SCR SDD SDG SDP SEK SGD SHP SIT SKK SLE SLL
    SOS SRD SRG SSP STD STN SUR SVC SYP SZL THB TJR TJS TMM TMT TND TOP TPE TRL TRY TTD TWD TZS UAH UAK
    UGS UGX USD USN USS UYI UYP UYU UYW UZS VEB VED VEF VES VND VNN VUV WST XAD XAF XAG XAU XBA XBB XBC
    XBD XCD XCG XDR XEU XFO XFU XOF XPD XPF XPT XRE XSU XTS XUA XXX YDD YER YUD YUM YUN YUR ZAL ZAR ZMK
    ZMW ZRN ZRZ ZWD ZWG ZWL ZWR
""".split())


# The names of the control characters (Unicode gives them none, only aliases: these) and of the bidi
# formatting characters, for messages that say which invisible character a value holds.
_CONTROL_NAMES = (
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY", "ACKNOWLEDGE",
    "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN",
    "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO",
    "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE", "INFORMATION SEPARATOR FOUR",
    "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO", "INFORMATION SEPARATOR ONE")
_C1_NAMES = (
    "PADDING CHARACTER", "HIGH OCTET PRESET", "BREAK PERMITTED HERE", "NO BREAK HERE", "INDEX", "NEXT LINE",
    "START OF SELECTED AREA", "END OF SELECTED AREA", "CHARACTER TABULATION SET",
    "CHARACTER TABULATION WITH JUSTIFICATION", "LINE TABULATION SET", "PARTIAL LINE FORWARD",
    "PARTIAL LINE BACKWARD", "REVERSE LINE FEED", "SINGLE SHIFT TWO", "SINGLE SHIFT THREE", "DEVICE CONTROL STRING",
    "PRIVATE USE ONE", "PRIVATE USE TWO", "SET TRANSMIT STATE", "CANCEL CHARACTER", "MESSAGE WAITING",
    "START OF GUARDED AREA", "END OF GUARDED AREA", "START OF STRING", "SINGLE GRAPHIC CHARACTER INTRODUCER",
    "SINGLE CHARACTER INTRODUCER", "CONTROL SEQUENCE INTRODUCER", "STRING TERMINATOR", "OPERATING SYSTEM COMMAND",
    "PRIVACY MESSAGE", "APPLICATION PROGRAM COMMAND")


def char_label(cp: int) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE', 'U+0007 BELL': a character as a message names it."""
    if cp < 0x20:
        name = _CONTROL_NAMES[cp]
    elif cp == 0x7F:
        name = "DELETE"
    elif 0x80 <= cp <= 0x9F:
        name = _C1_NAMES[cp - 0x80]
    else:
        name = unicodedata.name(chr(cp), "")
    return f"U+{cp:04X} {name}".rstrip()

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_MARKS = re.compile("[`']")


def fold_name(name: str | None) -> str | None:
    """Lower-case, accents stripped, any script transliterated to Latin, punctuation to spaces.

    ``"Muhammad Rizal bin Abdullah"`` → ``"muhammad rizal bin abdullah"``;
    ``"Sörensen"`` → ``"sorensen"``; ``"محمد"`` → ``"mhmd"``; ``"سعيد"`` → ``"syd"``;
    ``"王伟"`` → ``"wang wei"``.
    """
    if name is None:
        return None
    s = unicodedata.normalize("NFKC", str(name))
    # Han characters are transliterated syllable by syllable; keep them apart.  The ayn and hamza
    # of Arabic script transliterate to ` and ', which are marks, not word breaks: سعيد is "syd".
    if not s.isascii():
        s = "".join((" " + ch + " ") if "\u4e00" <= ch <= "\u9fff"
                    else _ARABIC_MARKS.sub("", anyascii(ch)) if _ARABIC.match(ch) else ch for ch in s)
    s = anyascii(s).lower()
    s = _NON_ALNUM.sub(" ", s).strip()
    return re.sub(r"\s+", " ", s) or None


_PHONE_CHARS = re.compile(r"^[\s()+\-./0-9]+$")


def fold_number(value: str) -> str:
    """A number as written, with the digits, spaces and dashes of other scripts and typesetting as
    ASCII, and invisible marks dropped: full-width '０８１２', Arabic-Indic '٠٨١٢', a thin or
    non-breaking space, an en dash or non-breaking hyphen, the bidi marks a right-to-left text or a
    chat export puts around a number, a stray byte-order mark.  ASCII text is returned as it is."""
    if value.isascii():
        return value
    out = []
    for ch in unicodedata.normalize("NFKC", value):
        cat = unicodedata.category(ch)
        if cat == "Cf":
            continue
        out.append(str(unicodedata.digit(ch)) if cat == "Nd" else "-" if cat == "Pd" else " " if cat == "Zs" else ch)
    return "".join(out)


def looks_like_phone(value: str | None) -> bool:
    if not value:
        return False
    v = fold_number(value.strip())
    return bool(_PHONE_CHARS.match(v)) and sum(ch.isdigit() for ch in v) >= 6


_FORMATTING = re.compile(r"[\s()\-./]")


@functools.cache
def _trunk(region: str) -> tuple[int, str | None] | None:
    """(country code, national trunk prefix) where the fast path applies, else None."""
    from phonenumbers import PhoneMetadata

    m = PhoneMetadata.metadata_for_region(region)
    if m is None or m.national_prefix_transform_rule:
        return None
    prefix = m.national_prefix_for_parsing
    if prefix is not None and (prefix != m.national_prefix or not prefix.isdigit()):
        return None
    return m.country_code, prefix


def _valid(cc: int, nn: str) -> str | None:
    if not nn or nn[0] == "0" or len(nn) > 17:
        return None  # leading zeros (Italy) and oddities take the full parser
    n = phonenumbers.PhoneNumber(country_code=cc, national_number=int(nn))
    return f"+{cc}{nn}" if phonenumbers.is_valid_number(n) else None


def _international(digits: str) -> str | None:
    if not digits or digits[0] == "0":
        return None
    for k in (1, 2, 3):
        cc = int(digits[:k]) if digits[:k].isdigit() else 0
        if cc in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return _valid(cc, digits[k:])
    return None


def _phone_fast(s: str, region: str | None) -> str | None:
    """The common forms without the full parser (about 8x faster); None = ask the parser."""
    cleaned = _FORMATTING.sub("", s)
    plus = cleaned.startswith("+")
    digits = cleaned[1:] if plus else cleaned
    if not digits.isdigit():
        return None
    if plus:
        return _international(digits)
    if digits.startswith("00"):
        return _international(digits[2:])
    trunk = _trunk(region.upper()) if region else None
    if trunk is None:
        return None
    cc, prefix = trunk
    national = digits[len(prefix):] if prefix and digits.startswith(prefix) else digits
    return _valid(cc, national) or _international(digits)


def phone_e164(raw: str | None, region: str | None) -> str | None:
    """E.164 form of a phone number as written, or None when it is not a valid number.

    ``region`` (the producer's country) is used for national forms: from an Indonesian
    bundle ``0812-3456-7890`` and ``+62 812 3456 7890`` and ``6281234567890`` are one number.
    """
    if raw is None:
        return None
    s = fold_number(str(raw).strip())
    if s and looks_like_phone(s):
        fast = _phone_fast(s, region)
        if fast is not None:
            return fast
    return _phone_e164_parser(s, region)


def _phone_e164_parser(raw: str | None, region: str | None) -> str | None:
    """The reference: the full ``phonenumbers`` parser (slow, exact)."""
    if raw is None:
        return None
    s = str(raw).strip()
    if not s or not looks_like_phone(s):
        return None
    digits = re.sub(r"\D", "", s)
    candidates = []
    if s.startswith("+"):
        candidates.append(("+" + digits, None))
    elif s.startswith("00"):
        candidates.append(("+" + digits[2:], None))
    else:
        if region:
            candidates.append((s, region.upper()))
        candidates.append(("+" + digits, None))  # international form written without '+'
    for text, reg in candidates:
        try:
            n = phonenumbers.parse(text, reg)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(n):
            return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
    return None


def address_norm(raw: str | None, region: str | None) -> str | None:
    """A message/contact address: E.164 for numbers, lower-case for e-mail and handles."""
    if raw is None:
        return None
    s = str(raw).strip()
    if not s:
        return None
    if looks_like_phone(s):
        return phone_e164(s, region) or re.sub(r"\D", "", fold_number(s))
    s = s.lower()
    return s[1:] if s.startswith("@") else s


def document_norm(raw: str | None) -> str | None:
    """Passport, ID, plate, IMEI, account numbers: upper-case without spaces, dots, dashes."""
    if raw is None:
        return None
    s = re.sub(r"[\s.\-/]", "", fold_number(str(raw))).upper()
    return s or None


def identifier_norm(kind: str | None, value: str | None, region: str | None) -> str | None:
    if value is None:
        return None
    k = (kind or "").strip().lower()
    if k == "phone":
        return phone_e164(value, region) or document_norm(value)
    if k == "email":
        return str(value).strip().lower() or None
    if k == "social_handle":
        return address_norm(value, region)
    return document_norm(value)


@functools.cache
def _countries() -> dict[str, str]:
    table: dict[str, str] = {}
    with open(resources_dir() / "reference" / "countries.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            a2 = row["alpha2"]
            table[a2] = a2
            for key in (row["alpha3"], fold_name(row["name_en"]), fold_name(row["name_id"])):
                if key:
                    table.setdefault(key.upper() if len(key) == 3 and key.isalpha() and key.isupper()
                                     else key, a2)
    for code in ORGANISATION_CODES:
        table[code] = code
    # Common forms partners write that the reference names do not cover.
    for alias, a2 in {"uk": "GB", "usa": "US", "united states": "US", "malaysian": "MY",
                      "indonesian": "ID", "filipino": "PH", "philippine": "PH", "wni": "ID",
                      "republic of indonesia": "ID", "republik indonesia": "ID",
                      # as Indonesian records and the UN write them
                      "tiongkok": "CN", "cina": "CN", "rrc": "CN", "rrt": "CN", "inggris": "GB",
                      "viet nam": "VN", "burma": "MM", "timor timur": "TL", "korea utara": "KP",
                      "korut": "KP", "korsel": "KR", "hongkong": "HK"}.items():
        table.setdefault(alias, a2)
    return table


def country_iso(value: str | None) -> str | None:
    """ISO 3166-1 alpha-2 (or an organisation code) for a code or name; None if unknown."""
    if value is None:
        return None
    s = str(value).strip()
    if not s:
        return None
    t = _countries()
    if s.upper() in t and (len(s) in (2, 3) or s.upper() in ORGANISATION_CODES):
        return t[s.upper()]
    return t.get(fold_name(s) or "")


def is_recipient_code(code: str) -> bool:
    """An ISO alpha-2 code or an organisation code (INTERPOL, EUROPOL, ASEANAPOL)."""
    return code in ORGANISATION_CODES or (len(code) == 2 and code in _countries())
