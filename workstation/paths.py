"""Where Lintas keeps its own files: config (settings, keyring), logs, resources.

``LINTAS_CONFIG_DIR`` / ``LINTAS_LOG_DIR`` override the platform directories
(tests point them into a temporary directory).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP = "lintas"


def config_dir() -> Path:
    d = Path(os.environ.get("LINTAS_CONFIG_DIR") or platformdirs.user_config_dir(APP, appauthor=False))
    d.mkdir(parents=True, exist_ok=True)
    return d


def log_dir() -> Path:
    d = Path(os.environ.get("LINTAS_LOG_DIR") or platformdirs.user_log_dir(APP, appauthor=False))
    d.mkdir(parents=True, exist_ok=True)
    return d


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    import resources

    return Path(resources.__file__).resolve().parent
