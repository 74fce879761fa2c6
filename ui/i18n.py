"""The UI's languages: Qt translations for its own strings, the core catalogue for the rest.

English is the source language.  ``install`` loads ``lintas_<lang>.qm`` for ``self.tr()``
strings.  Text the core produces (progress messages, import problems, bundle verification,
xref reasons, pattern explanations, error messages) stays English in the core, the CLI and
the case (it is evidence); the UI passes every such string through ``core()`` when it shows
it, which translates it with ``workstation.i18n`` into the installed language.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from workstation import i18n as core_i18n
from workstation.paths import resources_dir
from workstation.settings import Settings

log = logging.getLogger(__name__)

_installed = []
_language = "en"


def install(app, language: str | None = None) -> str:
    from PySide6.QtCore import QTranslator

    global _language
    lang = language or Settings.load().language
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if lang != "en":
        # the UI's own strings, then Qt's (standard buttons, wizard buttons, edit menus)
        for name in (f"lintas_{lang}.qm", f"qt_{lang}.qm"):
            t = QTranslator(app)
            qm = resources_dir() / "i18n" / name
            if t.load(str(qm)):
                app.installTranslator(t)
                _installed.append(t)
            else:
                log.warning("no UI translation at %s", qm)
    _language = lang
    if lang != "en":
        core_i18n.catalogue(lang)   # parsed and compiled at start (~0.1 s), not at the first message
    return lang


def language() -> str:
    """The language the UI speaks now ("en" until ``install`` chose another)."""
    return _language


def core(text: str | None) -> str:
    """A string produced by the core, in the UI's language (unchanged in English)."""
    if text is None:
        return ""
    return core_i18n.translate(str(text), _language)


def core_all(texts: Iterable[str] | None) -> list[str]:
    """A list of core strings (e.g. an xref candidate's reasons), item by item."""
    return [core(t) for t in texts or []]


def problem_text(p) -> str:
    """One problem (file, row, column, reason) as one line, in the UI's language."""
    from PySide6.QtCore import QCoreApplication

    where = []
    if p.get("file"):
        where.append(str(p["file"]))
    if p.get("row") is not None:
        where.append(QCoreApplication.translate("problems", "row {0}").format(p["row"]))
    if p.get("column"):
        where.append(QCoreApplication.translate("problems", "column '{0}'").format(p["column"]))
    reason = core(p.get("reason") or "")
    return (", ".join(where) + ": " if where else "") + reason
