"""Words of the dossiers and packages in English and Bahasa Indonesia (STYLE habit 14).

One gettext-style catalogue, ``resources/i18n/id.po``: the English text is the message id,
the Indonesian its translation.  ``Catalogue("en" | "id" | "en+id")`` gives the text in one
language or both ("English / Indonesia").  TLP labels are never translated (FIRST's rule):
they are never passed through here.

The .po file is read directly (no compiled .mo), so a translator edits one text file; the reader
is ``workstation.i18n``, which also translates core text (progress, problems) for the UI.
"""

from __future__ import annotations

import logging
from functools import cache

from workstation.errors import LintasError
from workstation.i18n import catalogue_path, parse_po, translate  # noqa: F401 (the reader lives in the core)

log = logging.getLogger(__name__)

LANGS = ("en", "id", "en+id")


@cache
def _load(lang: str) -> dict[str, str]:
    p = catalogue_path(lang)
    return parse_po(p.read_text(encoding="utf-8"))


def _grouped(v):
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10_000:
        return f"{v:,}".replace(",", "\u202f")
    return v


class Catalogue:
    """Text in the dossier's language(s)."""

    def __init__(self, lang: str = "en") -> None:
        if lang not in LANGS:
            raise LintasError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
        self.lang = lang
        self._id = _load("id") if lang in ("id", "en+id") else {}

    def indonesian(self, msgid: str) -> str:
        text = self._id.get(msgid)
        if not text:
            log.warning("no Indonesian text for %r", msgid)
            return msgid
        return text

    def __call__(self, msgid: str, **values) -> str:
        """The text of ``msgid`` (with ``{name}`` placeholders filled from ``values``).

        Counts of five digits or more are grouped by threes with a narrow no-break space
        (ISO 80000: "1 201 247" reads the same in English, which would write 1,201,247, and in
        Indonesian, which would write 1.201.247); an audit entry's number is left as it is."""
        values = {k: _grouped(v) if k != "seq" else v for k, v in values.items()}
        if self.lang == "en":
            return msgid.format(**values) if values else msgid
        idn = self.indonesian(msgid)
        if self.lang == "id":
            return idn.format(**values) if values else idn
        en = msgid.format(**values) if values else msgid
        idn = idn.format(**values) if values else idn
        return en if en == idn else f"{en} / {idn}"

    def core(self, text: str | None) -> str:
        """Text the core produced in English (a pattern's explanation, a reason), in the dossier's
        language(s) through the core catalogue's messages and templates (``workstation.i18n``)."""
        if not text or self.lang == "en":
            return text or ""
        idn = translate(text, "id")
        if self.lang == "id":
            return idn
        return text if text == idn else f"{text} / {idn}"

    def pick(self, en: str, idn: str) -> str:
        """Text given in both languages by its owner (e.g. a handling reason)."""
        if self.lang == "en":
            return en
        if self.lang == "id":
            return idn
        return en if en == idn else f"{en} / {idn}"

    @property
    def pdf_lang(self) -> str:
        return "id-ID" if self.lang == "id" else "en"
