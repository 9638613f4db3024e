"""The instance store: importing histories, recording events one by one, status over many instances.

    python benchmarks/bench_store.py [--quick]
    CIVICFLOW_TEST_PG_URL=postgresql+psycopg://... python benchmarks/bench_store.py   # PostgreSQL too

Every instance follows the bundled ``drohobych_kir`` template and gets the same legal ten-event history
(found once by trying the steps in template order). Figures are wall-clock times of one run.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from civicflow.compliance import heat_map
from civicflow.compliance._check import Checker
from civicflow.errors import IllegalTransitionError
from civicflow.events import Event, EventType
from civicflow.instance import ProcessInstance
from civicflow.loader import load_template
from civicflow.store import NewInstance, Store, TrackedInstance
from civicflow.template import ProcessTemplate

PG_ENV = "CIVICFLOW_TEST_PG_URL"
TEMPLATE_ID = "drohobych_kir"
START = dt.date(2025, 10, 6)
EVENTS_PER_INSTANCE = 10


def history(template: ProcessTemplate) -> list[Event]:
    """Ten events the instance accepts, one day apart, in template order as far as possible."""
    instance = ProcessInstance(template, start=START)
    tz = dt.timezone(dt.timedelta(hours=2))
    events: list[Event] = []
    day = START
    while len(events) < EVENTS_PER_INSTANCE:
        day += dt.timedelta(days=1)
        at = dt.datetime(day.year, day.month, day.day, 12, tzinfo=tz)
        for _, step in template.iter_steps():
            try:
                events.append(instance.record(step.id, EventType.COMPLETE, at, strict=False))
                break
            except IllegalTransitionError:
                continue
    return events


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds ``action`` took, and what it returned."""
    began = time.perf_counter()
    result = action()
    return time.perf_counter() - began, result


@contextmanager
def databases(tmp: Path) -> Iterator[Iterator[tuple[str, str]]]:
    """(label, url) of each backend: a new SQLite file, and a fresh PostgreSQL schema when configured."""
    schemas: list[str] = []
    base = os.environ.get(PG_ENV)

    def each() -> Iterator[tuple[str, str]]:
        yield "SQLite (file, WAL)", f"sqlite:///{tmp / 'bench.db'}"
        if base:
            from sqlalchemy import create_engine, text
            from sqlalchemy.engine import make_url

            schema = f"bench_{uuid.uuid4().hex[:12]}"
            schemas.append(schema)
            engine = create_engine(base)
            with engine.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {schema}"))
            engine.dispose()
            url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
            yield "PostgreSQL (localhost)", url.render_as_string(hide_password=False)

    try:
        yield each()
    finally:
        if base and schemas:
            from sqlalchemy import create_engine, text

            engine = create_engine(base)
            with engine.begin() as conn:
                for schema in schemas:
                    conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()


def status(store: Store, as_of: dt.date) -> int:
    """What `civicflow track status` computes: every history, replayed and checked; the failing count."""
    checkers: dict[tuple[str, str], Checker] = {}
    failing = 0
    for item in store.read_all():
        record = item.record
        procedure = store.procedure(record)
        checker = checkers.setdefault((record.template_id, record.template_version), Checker(procedure))
        ProcessInstance.from_events(
            procedure.template, start=record.start, events=item.events, name=record.name
        )
        failing += not checker.check(item.events, start=record.start, as_of=as_of).ok
    return failing


def heat_maps(store: Store, as_of: dt.date) -> int:
    """What `civicflow track status` computes: `read_all`, one heat map per template; the failing count."""
    groups: dict[tuple[str, str], list[TrackedInstance]] = {}
    for item in store.read_all():
        groups.setdefault((item.record.template_id, item.record.template_version), []).append(item)
    failing = 0
    for members in groups.values():
        procedure = store.procedure(members[0].record)
        instances = {t.record.name: (procedure.template, t.events, t.record.start) for t in members}
        failing += sum(not row.status.report.ok for row in heat_map(instances, as_of).rows)
    return failing


def one_by_one(store: Store, prefix: str, count: int, template: ProcessTemplate, events: list[Event]) -> None:
    """``count`` new instances, each getting ``events`` by one `record` (one transaction) per event."""
    for i in range(count):
        name = f"{prefix}-{i:05d}"
        store.create(name, template.id, template.version, START)
        for version, event in enumerate(events):
            store.record(name, event, expected_version=version, strict=False)


def bench_backend(
    label: str, url: str, template: ProcessTemplate, events: list[Event], quick: bool
) -> list[str]:
    """Table rows for one backend."""
    instances = 1_000 if quick else 10_000
    batched = 100 if quick else 1_000
    singles = 20 if quick else 1_000
    rows = []
    sqlite = url.startswith("sqlite")
    with Store.open(url, templates=lambda record: template) as store:
        batch = [
            NewInstance(f"kir-{i:05d}", template.id, template.version, START, tuple(events))
            for i in range(instances)
        ]
        seconds, _ = timed(lambda: store.import_instances(batch))
        total = instances * len(events)
        rows.append(
            f"| {label} | `import_instances`: {instances:,} instances of {len(events)} events in one "
            f"transaction ({total:,} events) | {seconds:.1f} s | {total / seconds:,.0f} events/s |"
        )

        def per_instance() -> None:
            for i in range(batched):
                name = f"batch-{i:05d}"
                store.create(name, template.id, template.version, START)
                store.record_many(name, events, expected_version=0, strict=False)

        seconds, _ = timed(per_instance)
        count = batched * len(events)
        rows.append(
            f"| {label} | create + `record_many` of {len(events)} events per instance, {batched:,} instances "
            f"({count:,} events) | {seconds:.1f} s | {count / seconds:,.0f} events/s |"
        )
        seconds, _ = timed(lambda: one_by_one(store, "single", singles, template, events))
        count = singles * len(events)
        rows.append(
            f"| {label} | `record` one event per transaction ({count:,} events; create + 10 records per "
            f"instance) | {seconds:.1f} s | {seconds / count * 1000:.2f} ms/event |"
        )
    if sqlite:
        with Store.open(url, templates=lambda record: template, sqlite_synchronous="normal") as store:
            seconds, _ = timed(lambda: one_by_one(store, "normal", singles, template, events))
            rows.append(
                f'| {label} | the same with `sqlite_synchronous="normal"` ({count:,} events) | '
                f"{seconds:.1f} s | {seconds / count * 1000:.2f} ms/event |"
            )
    with Store.open(url, templates=lambda record: template) as store:
        seconds, loaded = timed(store.read_all)
        rows.append(
            f"| {label} | `read_all`: {len(loaded):,} instances with "
            f"{sum(len(t.events) for t in loaded):,} events | {seconds:.2f} s | |"
        )
        seconds, failing = timed(lambda: status(store, dt.date(2026, 4, 1)))
        rows.append(
            f"| {label} | status: read, replay and check {len(loaded):,} instances "
            f"({failing:,} not ok) | {seconds:.1f} s | {seconds / len(loaded) * 1000:.2f} ms/instance |"
        )
        seconds, failing = timed(lambda: heat_maps(store, dt.date(2026, 4, 1)))
        rows.append(
            f"| {label} | `track status` (`read_all` + one heat map per template), {len(loaded):,} instances "
            f"({failing:,} not ok) | {seconds:.1f} s | {seconds / len(loaded) * 1000:.2f} ms/instance |"
        )
    return rows


def main(quick: bool = False) -> str:
    """The Markdown section of this benchmark."""
    template = load_template(TEMPLATE_ID)
    events = history(template)
    rows = ["| backend | what | time | rate |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as folder, databases(Path(folder)) as backends:
        for label, url in backends:
            rows.extend(bench_backend(label, url, template, events, quick))
    if not os.environ.get(PG_ENV):
        rows.append(f"\nPostgreSQL not measured: set {PG_ENV} to include it.")
    return "## Store\n\n" + "\n".join(rows)


if __name__ == "__main__":
    print(main("--quick" in sys.argv[1:]))
