"""Planner benchmark: synthetic templates of 1k, 10k and 100k steps (chains and fan-outs with working-day
rules), planned with a prebuilt Ukrainian calendar.

    python benchmarks/bench_planner.py [--quick]
    python benchmarks/run.py planner
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import sys
import time
from typing import Any

from civicflow.calendar import WorkingCalendar
from civicflow.planner import plan
from civicflow.template import ProcessTemplate

BLOCK = 50  # steps per chain and per fan-out


def synthetic(n: int) -> ProcessTemplate:
    """``n`` steps in stages of two blocks: a chain of ``within 3 working days`` rules with dependencies,
    and a fan-out of ``BLOCK - 1`` steps after a hub, alternating ``within 5 working days`` and
    ``at least 10 days`` rules."""
    stages: list[dict[str, Any]] = []
    made = 0
    b = 0
    while made < n:
        steps: list[dict[str, Any]] = []
        chain = min(BLOCK, n - made)
        for i in range(chain):
            sid = f"c{b}_{i}"
            step: dict[str, Any] = {"id": sid, "kind": "publication", "title": {"en": sid}}
            if i:
                prev = f"c{b}_{i - 1}"
                step["depends_on"] = [prev]
                step["timing"] = {"type": "rule", "rule": "within", "of": prev, "duration": "3 working days"}
            steps.append(step)
        made += chain
        fan = min(BLOCK, n - made)
        for i in range(fan):
            sid = f"f{b}_{i}"
            step = {"id": sid, "kind": "meeting", "title": {"en": sid}}
            if i:
                hub = f"f{b}_0"
                kind = "within" if i % 2 else "at_least"
                dur = "5 working days" if i % 2 else "10 days"
                step["kind"] = "publication" if i % 2 else "public_discussion"
                step["depends_on"] = [hub]
                step["timing"] = {"type": "rule", "rule": kind, "of": hub, "duration": dur}
            else:
                step["timing"] = {"type": "window", "month": 11, "part": "mid"}
            steps.append(step)
        made += fan
        stages.append({"id": f"s{b}", "title": {"en": f"Stage {b}"}, "steps": steps})
        b += 1
    return ProcessTemplate.model_validate(
        {
            "civicflow": 1,
            "id": f"synthetic_{n}",
            "version": "1",
            "language": "en",
            "title": {"en": "synthetic"},
            "jurisdiction": {"country": "UA"},
            "stages": stages,
        }
    )


def measure(
    n: int, cal: WorkingCalendar, repeat: int, *, frozen: bool = False, words: bool = False
) -> list[float]:
    """Wall times of ``repeat`` plans of the ``n``-step template, the garbage collector enabled; with
    ``frozen`` the objects alive before each plan (the template) are moved out of the collector's reach
    first (``gc.freeze()``), an extra figure that shows what the collector costs. With ``words`` the time
    includes reading every step's explanation and legal periods (a plan words them when first read), as
    ``civicflow plan`` and the exporters do."""
    template = synthetic(n)
    times = []
    for _ in range(repeat):
        if frozen:
            gc.collect()
            gc.freeze()
        try:
            t0 = time.perf_counter()
            schedule = plan(template, start=dt.date(2025, 10, 6), calendar=cal)
            if words:
                for step in schedule.steps:
                    assert step.explanation
                    _ = step.rules
            times.append(time.perf_counter() - t0)
        finally:
            if frozen:
                gc.unfreeze()
        assert len(schedule.steps) == n
        del schedule
    return times


def main(quick: bool) -> str:
    sizes = (1_000, 10_000) if quick else (1_000, 10_000, 100_000)
    cal = WorkingCalendar("UA")
    cal.is_working_day(dt.date(2025, 1, 1))  # build the calendar table outside the timing
    rows = [
        "| steps | median time (s) | best (s) | µs per step (median) | median, gc frozen (s) "
        "| median, every explanation read (s) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        repeat = 5 if n <= 10_000 else 3
        times = measure(n, cal, repeat)
        t = statistics.median(times)
        t_frozen = statistics.median(measure(n, cal, repeat, frozen=True))
        t_words = statistics.median(measure(n, cal, repeat, words=True))
        rows.append(
            f"| {n:,} | {t:.3f} | {min(times):.3f} | {t / n * 1e6:.1f} | {t_frozen:.3f} | {t_words:.3f} |"
        )
    head = (
        "## Planner\n\n"
        "`plan()` on synthetic templates (chains of `within 3 working days` rules and fan-outs of "
        "`within 5 working days` / `at least 10 days` rules after a hub in a month window), UA calendar "
        "prebuilt; the time includes reading the schedule back (every step's days; its explanation and "
        "legal periods are worded when first read: the last column reads them all). The garbage "
        "collector is enabled; a column freezes the objects alive before the plan (`gc.freeze()`) "
        "to show the collector's share.\n\n"
    )
    return head + "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(main("--quick" in sys.argv))
