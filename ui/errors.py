"""Errors reach the analyst as a message, never a traceback (the log keeps the details)."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.i18n import core, problem_text
from workstation.errors import InputRefused, LintasError
from workstation.paths import log_dir

log = logging.getLogger(__name__)

shown: list[QMessageBox] = []


def message_for(exc: BaseException) -> str:
    """What to tell the analyst about ``exc``."""
    if isinstance(exc, InputRefused):
        return core(exc.summary)
    if isinstance(exc, LintasError):
        return core(str(exc))
    return QCoreApplication.translate(
        "errors", "Something went wrong: {0}\n\nDetails were written to the log in {1}.").format(
        exc, log_dir())


def show_error(parent, title: str, exc: BaseException) -> None:
    if not isinstance(exc, LintasError):
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(exc)))
    box = QMessageBox(QMessageBox.Icon.Warning, title, message_for(exc), QMessageBox.StandardButton.Ok,
                      parent)
    if isinstance(exc, InputRefused) and exc.problems:
        box.setDetailedText("\n".join(problem_text(p) for p in exc.problems))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    shown.append(box)  # tests read what was shown; the list holds only open boxes
    box.finished.connect(lambda _r, b=box: shown.remove(b) if b in shown else None)
    box.open()  # window-modal, not a nested event loop


def excepthook(exc_type, exc, tb) -> None:
    """Installed as ``sys.excepthook`` by the GUI: log the traceback, show a message."""
    log.error("unhandled error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
    if QApplication.instance() is None:
        return
    try:
        QMessageBox.critical(None, "Lintas", message_for(exc))
    except Exception:  # the message box itself must not raise into the event loop
        log.exception("could not show the error message")
