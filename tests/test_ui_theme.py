"""A theme chosen while the window is open reaches every widget already shown.

Widgets polished under the application's style sheet kept the palette they were polished with:
choosing the dark theme in Settings darkened the window's frame but left tables and editors
white, and labels and the status bar dark on dark, until the next start.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette

from ui import theme
from ui.main_window import MainWindow


def _lightness(widget, role) -> int:
    return widget.palette().color(role).lightness()


def test_a_theme_chosen_at_run_time_reaches_the_widgets_already_shown(qtbot, qapp):
    theme.apply(qapp, "light")
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    table, editor, status = win.sources, win.console.editor, win.statusBar()
    assert _lightness(table, QPalette.ColorRole.Base) > 200
    try:
        win.apply_theme("dark")
        for w in (table, editor):
            assert _lightness(w, QPalette.ColorRole.Base) < 60, w      # a dark field
            assert _lightness(w, QPalette.ColorRole.Text) > 200, w     # with light text
        assert _lightness(status, QPalette.ColorRole.WindowText) > 200
        assert _lightness(win.console.status, QPalette.ColorRole.WindowText) > 200
        # what is drawn, not only what is asked: the sources table's empty area is dark
        img = table.viewport().grab().toImage()
        assert img.pixelColor(img.width() - 3, img.height() - 3).lightness() < 60
    finally:
        win.apply_theme("light")
    assert _lightness(table, QPalette.ColorRole.Base) > 200
    assert _lightness(status, QPalette.ColorRole.WindowText) < 60
