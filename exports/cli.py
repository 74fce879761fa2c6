"""Commands the exports layer adds to ``lintas``."""

from __future__ import annotations

import argparse

from workstation.cli import register_layer

MODULES = ["exports.dossier_cli", "exports.export_cli"]


def register(sub: argparse._SubParsersAction) -> None:
    register_layer(sub, MODULES)
