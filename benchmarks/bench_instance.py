"""Recording events on fresh process instances: what the store pays on the first append per instance.

    python benchmarks/run.py instance            # from the repository root
    python benchmarks/bench_instance.py          # alone (add --quick for 200 instances)

Every instance follows the bundled ``drohobych_kir`` template (28 steps) and shares its
compiled template, as in the store. Its history is the fixture log
``tests/fixtures/events/drohobych_2024.yaml`` cut to the last event of each step: 28 events, one per step,
in the order they happened, each accepted by ``record()`` in strict mode. Each run creates the instances
anew and records on them; the best of a few runs is shown, as microseconds per instance and per event.
For comparison, the last row replays the same events with ``from_events`` (the dict-driven path that
replay and compliance use, lenient about legal periods, no machine).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from civicflow._procedure import compiled
from civicflow.events import Event
from civicflow.instance import ProcessInstance
from civicflow.loader import load_template, read_event_log

HERE = Path(__file__).resolve().parent
LOG = HERE.parent / "tests" / "fixtures" / "events" / "drohobych_2024.yaml"
TEMPLATE_ID = "drohobych_kir"
REPEATS = 5


def one_per_step(events: list[Event]) -> list[Event]:
    """The last event of every step, in the order of the log."""
    last = {e.step: k for k, e in enumerate(events)}
    return [e for k, e in enumerate(events) if last[e.step] == k]


def best(run: Callable[[], None], repeats: int) -> float:
    """The shortest of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main(quick: bool = False) -> str:
    """The Markdown section of this benchmark."""
    template = load_template(TEMPLATE_ID)
    procedure = compiled(template)
    log = read_event_log(LOG, timezone=procedure.calendar.timezone, template=template)
    events = one_per_step(sorted(log, key=lambda e: e.at))
    start = min(procedure.local_date(e.at) for e in events)
    count = 200 if quick else 1_000

    def fresh() -> None:
        for _ in range(count):
            ProcessInstance(template, start=start)

    def first_record() -> None:
        first = events[0]
        for _ in range(count):
            instance = ProcessInstance(template, start=start)
            instance.record(first.step, first.event, first.at)

    def record_all() -> None:
        for _ in range(count):
            instance = ProcessInstance(template, start=start)
            for e in events:
                instance.record(e.step, e.event, e.at)

    def replay() -> None:
        for _ in range(count):
            ProcessInstance.from_events(template, start=start, events=events)

    record_all()  # warm the procedure's memo of legal periods and any per-template machinery
    rows = [
        "| what | instances | events each | seconds (best of 5) | µs per instance | µs per event |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, run, per in (
        ("create only", fresh, 0),
        ("create + first record", first_record, 1),
        (f"create + record {len(events)}", record_all, len(events)),
        (f"from_events of the same {len(events)} (replay, no machine)", replay, len(events)),
    ):
        seconds = best(run, REPEATS)
        per_event = f"{seconds / (count * per) * 1e6:.1f}" if per else "-"
        rows.append(
            f"| {label} | {count:,} | {per} | {seconds:.3f} | {seconds / count * 1e6:.0f} | {per_event} |"
        )
    return "## Instance recording\n\n" + "\n".join(rows)


if __name__ == "__main__":
    print(main("--quick" in sys.argv[1:]))
