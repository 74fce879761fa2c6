"""A guard against a reference-counting fault of PySide6 6.12 on Python 3.11.

Shiboken 6.12 returns ``None`` from every wrapped method that returns nothing (``setText``,
``setToolTip``, ``QTableWidget.setItem`` …) without taking a reference to it, as if ``None``
were immortal — which it is from Python 3.12 on (PEP 683), but not on 3.11.  Each such call
leaves ``None`` one reference short; a window that fills a few thousand table cells (an audit
log of a few thousand entries, a day of searches) brings it to zero and the interpreter
aborts with "Fatal Python error: none_dealloc: deallocating None".  Measured: 1,000 calls of
``QLabel.setText`` take 1,000 references from ``None`` with PySide6 6.12.0 on 3.11.7, none with
6.11.3 on 3.11.7 or with 6.12.0 on 3.12.1.

The guard does what Python 3.12 does: it gives ``None``, ``True`` and ``False`` a reference count
so high that no number of such calls can bring it to zero.  It acts only where the fault exists
(CPython before 3.12, shiboken 6.12 or later, a release build); the lasting fix is a binding that
counts correctly (PySide6 below 6.12 on Python 3.11, or Python 3.12).
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

_RESERVE = 1 << 48   # references added: more than any run of the program can take
_guarded = False


def _binding_version() -> tuple[int, int]:
    """shiboken6's (major, minor), read from its ``_config.py`` without loading the binding (80 ms that
    every ``lintas`` command would pay, since the CLI imports ``ui.cli``); else by importing it."""
    if "shiboken6" not in sys.modules:
        import importlib.util
        import re
        from pathlib import Path

        spec = importlib.util.find_spec("shiboken6")
        for where in (spec.submodule_search_locations or []) if spec else []:
            try:
                found = re.search(r"^version_info\s*=\s*\((\d+),\s*(\d+)", (Path(where) / "_config.py").read_text(),
                                  re.MULTILINE)
            except OSError:
                continue
            if found:
                return int(found.group(1)), int(found.group(2))
    import shiboken6

    return tuple(shiboken6.__version_info__[:2])


def needed() -> bool:
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False    # None, True and False are immortal from 3.12 on
    if hasattr(sys, "gettotalrefcount"):
        return False    # a debug build lays objects out differently; not touched
    return _binding_version() >= (6, 12)


def guard() -> bool:
    """Make ``None``, ``True`` and ``False`` practically immortal where the binding needs it; True if done."""
    global _guarded
    if _guarded or not needed():
        return _guarded
    for obj in (None, True, False):
        # ob_refcnt is the first field of every object in a release build of CPython 3.11.
        ctypes.c_ssize_t.from_address(id(obj)).value += _RESERVE
    _guarded = True
    log.info("shiboken6 %s.%s on Python %s: None, True and False made immortal (binding fault, see ui.qtguard)",
             *_binding_version(), sys.version.split()[0])
    return True
