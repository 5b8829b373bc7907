"""The benchmarks' figures: a percentile of timings, and the median and 95th percentile as text."""

from __future__ import annotations

import statistics


def percentile(values: list[float], fraction: float) -> float:
    """The value ``fraction`` of the way up the sorted ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def median_p95(values: list[float]) -> str:
    """Seconds as "median    2.41 ms   p95    2.90 ms"."""
    median, p95 = statistics.median(values) * 1000, percentile(values, 0.95) * 1000
    return f"median {median:7.2f} ms   p95 {p95:7.2f} ms"
