"""Light and dark themes.  TLP badges keep FIRST's colours on black in both."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("light", "dark")

_DARK = {
    QPalette.ColorRole.Window: "#2b2d31", QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1f22", QPalette.ColorRole.AlternateBase: "#26282c",
    QPalette.ColorRole.ToolTipBase: "#3a3d42", QPalette.ColorRole.ToolTipText: "#f0f0f0",
    QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#34373c",
    QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.BrightText: "#ff5555",
    QPalette.ColorRole.Highlight: "#3d6fb4", QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#7fb0ff", QPalette.ColorRole.PlaceholderText: "#8a8d93",
}
_LIGHT = {
    QPalette.ColorRole.Window: "#f3f4f6", QPalette.ColorRole.WindowText: "#1d1f23",
    QPalette.ColorRole.Base: "#ffffff", QPalette.ColorRole.AlternateBase: "#f4f6f9",
    QPalette.ColorRole.ToolTipBase: "#ffffe8", QPalette.ColorRole.ToolTipText: "#1d1f23",
    QPalette.ColorRole.Text: "#1d1f23", QPalette.ColorRole.Button: "#e8eaee",
    QPalette.ColorRole.ButtonText: "#1d1f23", QPalette.ColorRole.BrightText: "#c00000",
    QPalette.ColorRole.Highlight: "#2f65ad", QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#1f5fbf", QPalette.ColorRole.PlaceholderText: "#7a7f87",
}

_SHEET = """
QTabBar::tab { padding: 5px 12px; }
QDockWidget::title { padding: 4px 6px; font-weight: bold; }
QHeaderView::section { padding: 3px 6px; }
QStatusBar QLabel { padding: 0 4px; }
"""


def apply(app: QApplication, theme: str) -> str:
    theme = theme if theme in THEMES else "light"
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")  # by name: Qt creates and owns the style (a Python-made one can be collected)
    pal = QPalette()
    for role, hexa in (_DARK if theme == "dark" else _LIGHT).items():
        pal.setColor(role, QColor(hexa))
    if theme == "dark":
        pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#6b6e74"))
        pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#6b6e74"))
    changed = pal != app.palette()
    app.setPalette(pal)
    if changed and app.styleSheet():
        # Widgets polished under the style sheet keep the palette they were polished with: the
        # new one reaches them only when the sheet is set again (a theme chosen in Settings left
        # tables white and labels dark on dark until the next start).
        app.setStyleSheet("")
    if app.styleSheet() != _SHEET:  # setting it again re-polishes every widget: only when needed
        app.setStyleSheet(_SHEET)
    return theme


def is_dark(app: QApplication | None = None) -> bool:
    app = app or QApplication.instance()
    return app is not None and app.palette().color(QPalette.ColorRole.Window).lightness() < 128
