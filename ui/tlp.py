"""TLP badges in FIRST's colours (TLP 2.0), the same in light and dark themes.

FIRST fixes the colours on a black background and says the labels are never
translated, so neither the label nor its colours go through ``tr()``.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

# FIRST TLP 2.0: text colour on a black (#000000) background.
TLP_COLOURS = {"CLEAR": "#FFFFFF", "GREEN": "#33FF00", "AMBER": "#FFC000", "AMBER+STRICT": "#FFC000",
               "RED": "#FF2B2B"}
BADGE_BACKGROUND = "#000000"


def label(tlp: str | None) -> str:
    return f"TLP:{(tlp or '?').upper()}"


def colour(tlp: str | None) -> QColor:
    return QColor(TLP_COLOURS.get((tlp or "").upper(), "#FFFFFF"))


def badge_html(tlp: str | None) -> str:
    """An inline badge for labels and tooltips (rich text)."""
    c = TLP_COLOURS.get((tlp or "").upper(), "#FFFFFF")
    return (f'<span style="background-color:{BADGE_BACKGROUND}; color:{c}; font-weight:bold;">'
            f"&nbsp;{label(tlp)}&nbsp;</span>")


def badge_style(tlp: str | None) -> str:
    """A style sheet for a QLabel shown as a badge."""
    c = TLP_COLOURS.get((tlp or "").upper(), "#FFFFFF")
    return (f"QLabel {{ background-color: {BADGE_BACKGROUND}; color: {c}; font-weight: bold; "
            "padding: 2px 6px; border-radius: 3px; }")


def handling_text(h: dict | None) -> str:
    """One handling as plain text: TLP, releasable to, legal basis, caveats."""
    if not h:
        return ""
    parts = [label(h.get("tlp"))]
    if h.get("releasable_to"):
        parts.append("→ " + ", ".join(h["releasable_to"]))
    if h.get("legal_basis"):
        parts.append(h["legal_basis"])
    if h.get("caveats"):
        parts.append("; ".join(h["caveats"]))
    return " · ".join(parts)
