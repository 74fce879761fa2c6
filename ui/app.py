"""GUI entry point: ``lintas gui [CASE]`` and the ``lintas-gui`` script."""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)


def create_app(argv: list[str] | None = None):
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") \
            and not os.environ.get("QT_QPA_PLATFORM") and sys.platform.startswith("linux"):
        raise SystemExit("lintas: no display (DISPLAY is not set). Run under a virtual display: "
                         "xvfb-run -a lintas gui CASE, or set QT_QPA_PLATFORM=offscreen.")
    from PySide6.QtWidgets import QApplication

    from ui import i18n, theme
    from workstation.settings import Settings

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Lintas")
    app.setOrganizationName("Lintas")
    add_shipped_fonts()
    settings = Settings.load()
    i18n.install(app, settings.language)
    theme.apply(app, settings.theme)
    return app


def add_shipped_fonts() -> list[str]:
    """The fonts the dossiers embed (resources/fonts: DejaVu, WenQuanYi for CJK, Loma for Thai,
    Noto Sans for Khmer, Myanmar, Devanagari and Lao) join Qt's font database, so names in those
    scripts show on a workstation that has no such font installed (Qt falls back by script, and
    shapes them).  Returns the families added."""
    from PySide6.QtGui import QFontDatabase

    from workstation.paths import resources_dir

    families: list[str] = []
    for path in sorted((resources_dir() / "fonts").glob("*.tt[fc]")):
        fid = QFontDatabase.addApplicationFont(str(path))
        if fid < 0:
            log.warning("font not loaded: %s", path)
            continue
        families += QFontDatabase.applicationFontFamilies(fid)
    return families


def main(argv: list[str] | None = None, case_path: str | None = None) -> int:
    from workstation import logsetup

    logsetup.configure()
    app = create_app(argv)
    from ui.errors import excepthook

    sys.excepthook = excepthook
    from ui.main_window import MainWindow

    win = MainWindow()
    if case_path is None and argv and len(argv) > 1:
        case_path = argv[1]
    if case_path:
        win.open_case(case_path)
    win.show()
    return app.exec()
