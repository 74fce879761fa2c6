"""How far a source's origin is proven, said the same way wherever its rows are shown.

A bundle verified against a trusted key is ``verified``; one signed by a key the analyst accepted
for that import only is ``untrusted-consented``; an unsigned bundle, a partner format or a plain
file is ``unsigned``.  Issue 3 asks that an unsigned source be marked unverified everywhere it is
shown: the sources list, the explorer, search hits and profiles all take their words from here.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from ui.i18n import core
from workstation import rowsource

COLOURS = {"verified": "#1e8449", "untrusted-consented": "#b9770e", "unsigned": "#c0392b"}

# Each text is in a QCoreApplication.translate call of its own, written out: pyside6-lupdate extracts
# only such literal calls.


def label(status: str | None) -> str:
    """The status in the sources list and the explorer."""
    if status == "verified":
        return QCoreApplication.translate("verification", "verified")
    if status == "unsigned":
        return QCoreApplication.translate("verification", "UNVERIFIED: not signed")
    if status == "untrusted-consented":
        return QCoreApplication.translate("verification", "UNVERIFIED signer: key not in keyring, accepted once")
    return core(status)


def mark(status: str | None) -> str:
    """The short mark beside a row of a source whose origin is not proven ('' when it is)."""
    if status == "unsigned":
        return QCoreApplication.translate("verification", "UNVERIFIED")
    if status == "untrusted-consented":
        return QCoreApplication.translate("verification", "UNVERIFIED signer")
    return ""


def explanation(status: str | None) -> str:
    """What the mark means, for tooltips."""
    if status == "unsigned":
        return QCoreApplication.translate(
            "verification", "Not signed: nothing proves who made this source or that it is unchanged.")
    if status == "untrusted-consented":
        return QCoreApplication.translate(
            "verification", "Signed by a key that is not in your keyring; it was accepted for this import only.")
    return ""


def colour(status: str | None) -> QColor:
    return QColor(COLOURS.get(status or "", "#808080"))


def source_index(case) -> dict[int, dict]:
    """Every source's handling, title, producer and ``signature_status`` (``rowsource.handling_index``)."""
    return rowsource.handling_index(case.con)["sources"]
