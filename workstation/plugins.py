"""Loading the modules that register importers or exporters (STYLE habit 8)."""

from __future__ import annotations

import importlib
import logging

log = logging.getLogger(__name__)


def load_modules(modules: list[str], what: str) -> None:
    """Import each module (it registers itself); a module absent from this installation is
    skipped, an error inside one is not."""
    for mod in modules:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as e:
            if e.name not in (mod, mod.rsplit(".", 1)[0]):
                raise
            log.debug("%s module %s not present", what, mod)
