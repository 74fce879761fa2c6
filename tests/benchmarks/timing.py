"""Shared by the benchmark scripts: the median wall time of repeated runs."""

from __future__ import annotations

import statistics
import time


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)
