"""GUI entry point: ``lintas gui [CASE]`` and the ``lintas-gui`` script."""

from __future__ import annotations

import logging
import os
import sys
import traceback

log = logging.getLogger(__name__)


def _excepthook(exc_type, exc, tb) -> None:
    """No exception reaches the analyst as a traceback: log it, show a message."""
    log.error("unhandled error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is not None:
        from workstation.paths import log_dir

        QMessageBox.critical(None, "Lintas",
                             QApplication.translate("app", "Something went wrong: {0}\n\n"
                                                    "Details were written to the log in {1}.")
                             .format(exc, log_dir()))


def create_app(argv: list[str] | None = None):
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") \
            and not os.environ.get("QT_QPA_PLATFORM") and sys.platform.startswith("linux"):
        raise SystemExit("lintas: no display (DISPLAY is not set). Run under a virtual display: "
                         "xvfb-run -a lintas gui CASE, or set QT_QPA_PLATFORM=offscreen.")
    from PySide6.QtWidgets import QApplication

    from ui import i18n

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Lintas")
    app.setOrganizationName("Lintas")
    i18n.install(app)
    return app


def main(argv: list[str] | None = None, case_path: str | None = None) -> int:
    from workstation import logsetup

    logsetup.configure()
    app = create_app(argv)
    sys.excepthook = _excepthook
    from ui.main_window import MainWindow

    win = MainWindow()
    if case_path is None and argv and len(argv) > 1:
        case_path = argv[1]
    if case_path:
        win.open_case(case_path)
    win.show()
    return app.exec()
