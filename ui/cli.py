"""Commands the UI layer adds to ``lintas``: ``gui`` and ``demo``."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_gui(a) -> int:
    from ui.app import main

    return main(case_path=a.path)


def cmd_demo(a) -> int:
    from workstation.demo import build_demo
    from workstation.progress import TerminalProgress

    bar = TerminalProgress()
    try:
        result = build_demo(Path(a.out), scale=a.scale, seed=a.seed, progress=bar)
    finally:
        bar.close()
    print(f"demo case ready: {result['case']}")
    if a.no_gui:
        return 0
    from ui.app import main

    return main(case_path=str(result["case"]))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="open the workstation window")
    p.add_argument("path", nargs="?", help="a case file to open")
    p.set_defaults(func=cmd_gui)
    p = sub.add_parser("demo", help="build the demo case (and open it in the workstation)")
    p.add_argument("--out", default="demo", help="directory for the demo case and its bundles")
    p.add_argument("--scale", type=float, default=1.0, help="size factor (1 = a few thousand rows)")
    p.add_argument("--seed", type=int, default=14, help="random seed (the demo is deterministic)")
    p.add_argument("--no-gui", action="store_true", help="only build the case, do not open a window")
    p.set_defaults(func=cmd_demo)
