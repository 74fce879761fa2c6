"""The Traffic Light Protocol marking as FIRST's TLP 2.0 draws it.

Labels are never translated.  Colours are FIRST's, on a black background.
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor

from .fonts import BOLD

ORDER = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")

COLOURS = {
    "RED": HexColor("#FF2B2B"),
    "AMBER": HexColor("#FFC000"),
    "AMBER+STRICT": HexColor("#FFC000"),
    "GREEN": HexColor("#33FF00"),
    "CLEAR": HexColor("#FFFFFF"),
}
BACKGROUND = HexColor("#000000")


def label(tlp: str) -> str:
    tlp = (tlp or "").upper()
    if tlp not in COLOURS:
        raise ValueError(f"not a TLP 2.0 level: {tlp!r}")
    return f"TLP:{tlp}"


def strictest(levels) -> str:
    """The strictest of some TLP levels (CLEAR when there are none)."""
    best = 0
    for lv in levels:
        best = max(best, ORDER.index(lv.upper()))
    return ORDER[best]


def draw(canvas, x: float, y: float, tlp: str, size: float = 9, anchor: str = "left") -> float:
    """Draw the label on its black box with its baseline box at (x, y); return the box width."""
    text = label(tlp)
    w = canvas.stringWidth(text, BOLD, size) + size * 0.8
    h = size * 1.45
    if anchor == "right":
        x -= w
    elif anchor == "centre":
        x -= w / 2
    canvas.saveState()
    canvas.setFillColor(BACKGROUND)
    canvas.rect(x, y, w, h, stroke=0, fill=1)
    canvas.setFillColor(COLOURS[tlp.upper()])
    canvas.setFont(BOLD, size)
    canvas.drawString(x + size * 0.4, y + size * 0.42, text)
    canvas.restoreState()
    return w
