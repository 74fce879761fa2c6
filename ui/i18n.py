"""Loads the UI translation (English is the source language)."""

from __future__ import annotations

import logging

from workstation.paths import resources_dir
from workstation.settings import Settings

log = logging.getLogger(__name__)

_installed = []


def install(app, language: str | None = None) -> str:
    from PySide6.QtCore import QTranslator

    lang = language or Settings.load().language
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if lang != "en":
        t = QTranslator(app)
        qm = resources_dir() / "i18n" / f"lintas_{lang}.qm"
        if t.load(str(qm)):
            app.installTranslator(t)
            _installed.append(t)
        else:
            log.warning("no UI translation at %s", qm)
    return lang
