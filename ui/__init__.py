"""The workstation window (PySide6).  Importing the package first guards the process against a
reference-counting fault of the Qt binding (``ui.qtguard``)."""

from ui import qtguard as _qtguard

_qtguard.guard()
