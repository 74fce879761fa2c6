"""The demo case "Operasi Mawar": a seeded transnational human-trafficking scenario.

``build_demo(out, scale, seed, progress)`` writes the bundles, imports them into
``out/demo.lintas`` and writes ``out/truth.json`` (the planted answers).
``generate(seed, scale)`` gives the data alone (tests, benchmarks).
"""

from __future__ import annotations

from .build import build_demo, demo_keyring, pack_scenario, write_scenario
from .generate import THRESHOLD_IDR, Scenario, generate

__all__ = ["build_demo", "demo_keyring", "pack_scenario", "generate", "write_scenario", "Scenario", "THRESHOLD_IDR"]
