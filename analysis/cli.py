"""Commands the analysis layer adds to ``lintas``."""

from __future__ import annotations

import argparse

from workstation.cli import register_layer

MODULES = ["analysis.search_cli", "analysis.network_cli"]


def register(sub: argparse._SubParsersAction) -> None:
    register_layer(sub, MODULES)
