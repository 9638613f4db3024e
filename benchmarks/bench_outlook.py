"""What is due: ``outlook()`` (behind ``civicflow due`` and ``remind``) over many instances.

    python benchmarks/run.py outlook          # from the repository root
    python benchmarks/bench_agenda.py        # alone (add --quick for the smaller sizes only)

The instances are those of bench_compliance.py: the 42-event Drohobych fixture log moved by 0-104 whole
weeks, one publication in ten 1-2 days late. Each is cut at the day of the outlook (events after it have
not happened yet), so most are under way. The peer is ``heat_map`` of the same instances on the same day:
``outlook`` is a status per instance plus the filtering and sorting of due steps, so it should cost about
the same. Building the events is not timed.
"""

from __future__ import annotations

import datetime as dt
import platform
import sys
import time
from pathlib import Path

from civicflow.compliance import _check, heat_map, outlook
from civicflow.compliance._check import Checker, checker_for
from civicflow.loader import load_template, read_event_log

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_compliance import LOG, make_instances  # noqa: E402


def main(quick: bool = False) -> str:
    template = load_template("drohobych_kir")
    warm = Checker(template)
    base = read_event_log(LOG, timezone=warm.procedure.calendar.timezone, template=template)
    day = dt.date(2025, 6, 2)
    sizes = [500, 1_500] if quick else [500, 1_500, 10_000]
    rows = []
    for size in sizes:
        lists = make_instances(base, size, seed=size)
        cut = [[e for e in events if warm.procedure.local_date(e.at) <= day] for events in lists]
        instances = {f"i{k}": (template, events, None) for k, events in enumerate(cut)}
        timings = {}
        for name in ("heat_map", "outlook"):
            _check._checkers.clear()  # cold: the shared checker makes its plans in the run
            checker_for(template).check(base, as_of=day)  # the calendar table, as a running service has it
            t0 = time.perf_counter()
            if name == "outlook":
                result = outlook(instances, day, within=10)
            else:
                heat_map(instances, day)
            timings[name] = time.perf_counter() - t0
        legal = len(result.deadlines)
        cells = [f"{size:,}", f"{len(result.items):,}", f"{legal:,}", f"{timings['heat_map']:.3f}"]
        rows.append(f"| {' | '.join(cells)} | {timings['outlook']:.3f} |")
    lines = [
        "## Outlook (`civicflow due`)",
        "",
        "Command: `python benchmarks/run.py outlook"
        + (" --quick`" if quick else "`")
        + f"; Python {platform.python_version()} on {platform.platform()}.",
        "",
        "`outlook(instances, 2025-06-02, within=10)` over Drohobych KIR instances (the compliance",
        "benchmark's logs cut at that day), against `heat_map` of the same instances on the same day;",
        "both with a new `Checker` (plans made during the call).",
        "",
        "| instances | items due or overdue | legal deadlines | heat_map (s) | outlook (s) |",
        "|---:|---:|---:|---:|---:|",
        *rows,
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main("--quick" in sys.argv[1:]))
