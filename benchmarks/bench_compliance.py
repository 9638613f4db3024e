"""Compliance checks: many instances of the Drohobych KIR procedure, about 40 events each.

    python benchmarks/run.py compliance          # from the repository root
    python benchmarks/bench_compliance.py        # alone (add --quick to skip the 100,000 run)

Instances are the 42-event fixture log ``tests/fixtures/events/drohobych_2024.yaml`` moved by 0-104 whole
weeks, with one publication in ten (not those that open a discussion) delayed by 1-2 days, so that
deadlines, readings and late findings vary. One :class:`~civicflow.compliance.Checker` serves every
instance (one compiled template, one calendar); building the events is not timed. The target: 1,500
instances in under 1 second, and a per-instance cost that stays flat up to 100,000 instances.
"""

from __future__ import annotations

import datetime as dt
import platform
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from civicflow.compliance import _check, heat_map
from civicflow.compliance._check import Checker, checker_for
from civicflow.events import Event
from civicflow.loader import load_template, read_event_log
from civicflow.template import ProcessTemplate

HERE = Path(__file__).resolve().parent
LOG = HERE.parent / "tests" / "fixtures" / "events" / "drohobych_2024.yaml"
TARGET_COUNT = 1_500
TARGET_SECONDS = 1.0


def make_instances(base: Sequence[Event], count: int, seed: int) -> list[list[Event]]:
    """``count`` event lists: the base log moved by 0-104 whole weeks, some publications late."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        shift = dt.timedelta(weeks=rng.randrange(105))  # whole weeks: weekdays stay
        events = []
        for e in base:
            late = e.step.startswith("publication") and not e.step.endswith("_draft") and rng.random() < 0.1
            delay = dt.timedelta(days=rng.randrange(1, 3) if late else 0)
            events.append(Event(e.step, e.event, e.at + shift + delay, e.by, e.note, e.url))
        out.append(events)
    return out


def timed(checker: Checker, instances: list[list[Event]], as_of: dt.date) -> tuple[float, int]:
    """Seconds to check every instance, and how many reports were not ok."""
    start = time.perf_counter()
    bad = 0
    for events in instances:
        if not checker.check(events, as_of=as_of).ok:
            bad += 1
    return time.perf_counter() - start, bad


def cold_shared_checker(template: ProcessTemplate) -> Checker:
    """The checker heat_map and status share for ``template``, made afresh: no plans yet (the compiled
    template and its calendar are kept, as in a running service)."""
    _check._checkers.clear()
    return checker_for(template)


def status_row(template: ProcessTemplate, base: Sequence[Event], size: int, as_of: dt.date) -> str:
    """Rows of the status table: a cold checker (plans made in the run), then the same checker warm."""
    out = []
    for day in (dt.date(2025, 1, 10), as_of):
        instances = make_instances(base, size, seed=size + 7)
        heat = {f"i{k}": (template, events, None) for k, events in enumerate(instances)}
        checker = Checker(template)
        checker.check(base, as_of=day)  # the calendar table, as in the other runs
        starts = sorted({min(checker.procedure.local_date(e.at) for e in ev) for ev in instances})
        t0 = time.perf_counter()
        for start in starts:
            checker.plan_dues(start)
        planning = time.perf_counter() - t0
        checker = cold_shared_checker(template)
        checker.check(base, as_of=day)
        t0 = time.perf_counter()
        heat_map(heat, day)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        heat_map(heat, day)
        warm = time.perf_counter() - t0
        cells = [f"{size:,}", day.isoformat(), str(checker.plans_made), f"{cold:.3f}", f"{planning:.3f}"]
        out.append(f"| {' | '.join(cells)} | {warm:.3f} |")
    return "\n".join(out)


def main(quick: bool = False) -> str:
    template = load_template("drohobych_kir")
    checker = Checker(template)
    base = read_event_log(LOG, timezone=checker.procedure.calendar.timezone, template=template)
    as_of = dt.date(2028, 1, 1)
    checker.check(base, as_of=as_of)  # build the calendar table once, as a long-running service would
    sizes = [1_500, 10_000] if quick else [1_500, 10_000, 100_000]
    rows = []
    first_seconds = 0.0
    for size in sizes:
        instances = make_instances(base, size, seed=size)
        seconds, bad = timed(checker, instances, as_of)
        if size == TARGET_COUNT:
            first_seconds = seconds
        rows.append(f"| {size:,} | {len(base)} | {seconds:.3f} | {seconds / size * 1e6:.0f} | {bad:,} |")
    cold = make_instances(base, TARGET_COUNT, seed=1)
    start = time.perf_counter()
    cold_checker = Checker(template)
    for events in cold:
        cold_checker.check(events, as_of=as_of)
    cold_seconds = time.perf_counter() - start
    heat = {f"i{k}": (template, events, None) for k, events in enumerate(cold)}
    cold_shared_checker(template)
    start = time.perf_counter()
    heat_map(heat, as_of)
    heat_seconds = time.perf_counter() - start
    status_rows = [status_row(template, base, size, as_of) for size in (1_500, 10_000)]
    verdict = "met" if first_seconds < TARGET_SECONDS else "MISSED"
    lines = [
        "## Compliance",
        "",
        "Command: `python benchmarks/run.py compliance"
        + (" --quick` (100,000 skipped)" if quick else "`")
        + f"; Python {platform.python_version()} on {platform.platform()}.",
        "",
        "One `Checker` for the Drohobych KIR template checks every instance (42 events, 11 findings each;",
        "the fixture log moved by 0-104 whole weeks, one publication in ten 1-2 days late). Times exclude",
        "building the events.",
        "",
        "| instances | events each | seconds | microseconds per instance | not ok |",
        "|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"Target: {TARGET_COUNT:,} instances in < {TARGET_SECONDS:.0f} s: **{verdict}** "
        f"({first_seconds:.3f} s).",
        f"Cold (a new `Checker`, calendar table already built): {cold_seconds:.3f} s for {TARGET_COUNT:,};",
        f"`heat_map` (check + per-step status + stage cells) of the same {TARGET_COUNT:,}: "
        f"{heat_seconds:.3f} s.",
        "",
        "`status` / `heat_map` date steps no rule dates by the latest day the plan allows: one plan per",
        "distinct start, kept by the `Checker`. Here the starts are the instances' first event days, so",
        "up to 105 distinct starts (0-104 weeks), each planned once. As of 2025-01-10 most instances",
        "have not begun (no start, no plan) and the first ones are under way; as of 2028-01-01 all are",
        "done. Cold: a new `Checker` (its plans made during the call); warm: the same call again with",
        "the plans kept. Planning the 105 starts alone is timed separately.",
        "",
        "| instances | as of | plans | heat_map cold (s) | 105 plans alone (s) | heat_map warm (s) |",
        "|---:|---|---:|---:|---:|---:|",
        *status_rows,
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main("--quick" in sys.argv[1:]))
