"""The registry of importers (STYLE habit 8).

Each importer declares what it recognises *by content* and a priority; the
import command asks every registered importer and takes the most confident
(ties broken by priority), or the one forced with ``--format NAME``.  A new
partner format is one new module that calls ``register`` — listed in
``_BUILTIN`` so it loads lazily.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .errors import InputRefused, Problem
from .plugins import load_modules
from .progress import NULL, Progress
from .staging import StagedSource

log = logging.getLogger(__name__)


@dataclass
class ImportOptions:
    """Everything an analyst can say about an import (CLI flags, wizard fields)."""

    trust_once: bool = False          # accept a signature by a key not in the keyring
    allow_unsigned: bool = False      # accept a bundle without manifest.sig
    skip_bad_rows: bool = False       # import good rows, keep the bad ones in `rejects`
    kind: str | None = None           # plain files: the canonical kind
    mapping: dict[str, str] = field(default_factory=dict)   # plain files: canonical -> column
    producer: dict[str, str | None] = field(default_factory=dict)
    producer_country: str | None = None
    timezone: str | None = None
    handling: dict | None = None      # plain files: tlp, releasable_to, legal_basis, caveats
    title: str | None = None
    sheet: str | None = None          # xlsx: the sheet to read
    keyring: object | None = None     # a workstation.keys.Keyring; None = the analyst's keyring


class Importer(Protocol):
    name: str
    priority: int
    description: str

    def recognise(self, path: Path) -> float:
        """Confidence 0..1 that this importer reads ``path``, from its content."""

    def stage(self, path: Path, options: ImportOptions, progress: Progress = NULL) -> StagedSource:
        """Read and check ``path``; raise InputRefused with every problem found."""


_REGISTRY: dict[str, Importer] = {}

# Modules that register importers when imported (lazily, on first use).
_BUILTIN = [
    "workstation.bundle_import",
    "workstation.plain_import",
    "workstation.formats.ftm",
    "workstation.formats.stix",
    "workstation.formats.misp",
]
_loaded = False


def register(importer: Importer) -> Importer:
    _REGISTRY[importer.name] = importer
    return importer


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    load_modules(_BUILTIN, "importer")


def importers() -> list[Importer]:
    _load()
    return sorted(_REGISTRY.values(), key=lambda i: -i.priority)


def get(name: str) -> Importer:
    _load()
    if name not in _REGISTRY:
        raise InputRefused(f"unknown import format {name!r}",
                           [Problem(f"known formats: {', '.join(sorted(_REGISTRY))}")])
    return _REGISTRY[name]


def choose(path: Path, forced: str | None = None) -> Importer:
    """The importer for ``path``: forced by name, or the most confident by content."""
    if forced:
        return get(forced)
    if not path.exists():
        raise InputRefused(f"{path}: no such file or directory", [Problem("not found", str(path))])
    scored = []
    for imp in importers():
        try:
            score = float(imp.recognise(path))
        except Exception as e:  # a recogniser must never break the choice
            log.warning("importer %s failed to inspect %s: %s", imp.name, path, e)
            score = 0.0
        scored.append((score, imp.priority, imp))
    scored.sort(key=lambda t: (-t[0], -t[1]))
    if not scored or scored[0][0] <= 0:
        tried = ", ".join(f"{imp.name} ({imp.description})" for _, _, imp in scored)
        raise InputRefused(
            f"{path}: no importer recognises this file",
            [Problem(f"tried: {tried}. Use --format NAME to force one, or for a plain table "
                     "give --kind and --map.", str(path))])
    return scored[0][2]
