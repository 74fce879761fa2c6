"""Benchmark: the demo generator and the whole demo build, by scale.

Prints, per scale, the rows generated, the median wall and CPU seconds of
``generate`` (data only) and of ``build_demo`` (write, pack, sign, import),
and the ratio of time to rows against scale 1: a ratio near 1 means the time
grows linearly with the data.

    .venv/bin/python tests/benchmarks/bench_demo.py [--scales 1,10,100] [--build-scales 1,10] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from workstation.demo import build_demo, generate  # noqa: E402


def _timed(fn, runs: int) -> tuple[float, float, object]:
    walls, cpus, out = [], [], None
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="1,10,100")
    ap.add_argument("--build-scales", default="1,10")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    generate(14, 0.1)   # warm up imports (matplotlib, phonenumbers)
    print(f"{'step':<10}{'scale':>8}{'rows':>11}{'wall s':>9}{'cpu s':>9}{'rows/s (cpu)':>14}{'cpu/row vs scale 1':>20}")
    for step, scales in (("generate", a.scales), ("build", a.build_scales)):
        base = None
        for s in (float(x) for x in scales.split(",")):
            if step == "generate":
                wall, cpu, sc = _timed(lambda s=s: generate(14, s), a.runs if s <= 10 else 1)
                rows = sum(t.table.num_rows for b in sc.bundles for t in b.tables)
            else:
                def run(s=s):
                    with tempfile.TemporaryDirectory() as d:
                        return build_demo(Path(d) / "demo", scale=s)["rows"]
                wall, cpu, counts = _timed(run, a.runs if s <= 1 else 1)
                rows = sum(counts.values())
            per_row = cpu / rows
            base = base or per_row
            print(f"{step:<10}{s:>8g}{rows:>11,}{wall:>9.2f}{cpu:>9.2f}{rows / cpu:>14,.0f}{per_row / base:>20.2f}")


if __name__ == "__main__":
    main()
