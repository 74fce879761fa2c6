"""Logging handlers, configured only at the entry points (CLI, GUI)."""

from __future__ import annotations

import logging
import logging.handlers

from .paths import log_dir


def configure(verbose: bool = False) -> str:
    """Log to a rotating file under the platform's log directory; return its path."""
    path = log_dir() / "lintas.log"
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "_lintas", False)]
    for h in ours:  # configured before, for another log directory: replace it
        if h.baseFilename != str(path.resolve()):
            root.removeHandler(h)
            h.close()
    if not any(getattr(h, "_lintas", False) for h in root.handlers):
        fh = logging.handlers.RotatingFileHandler(path, maxBytes=5_000_000, backupCount=3,
                                                  encoding="utf-8")
        fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        fh._lintas = True
        root.addHandler(fh)
    if verbose:
        sh = logging.StreamHandler()
        sh.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(sh)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return str(path)
