"""Status over 10,000 tracked instances: ``civicflow track status`` on a SQLite store, and its parts.

    python benchmarks/run.py status           # from the repository root
    python benchmarks/bench_status.py         # alone (add --quick for 1,000 instances)

Two fleets of ``drohobych_kir`` instances, each imported in bulk into a new SQLite file:

* *service*: the service benchmark's store (bench_server.py): 20 starts a week apart, histories of 0 to
  10 events, the same events for the same length of history;
* *distinct*: starts spread over 400 days and every history moved by its own days and minutes, so that
  far fewer instances share a situation (the same days and the same check date).

Measured: the whole command in a fresh process (``track status --as-of``, output thrown away; wall-clock
and CPU time, median of 3), then in process ``Store.read_all``, ``heat_map`` (one ``Checker`` for the
template, as the command uses) and printing the table. Peers in the same run: reading the same rows with
``sqlite3`` alone (no objects built), and the statuses of the instances one by one,
through the same checker with everything but its plans forgotten before each instance (the cost of
checking each instance on its own).
"""

from __future__ import annotations

import datetime as dt
import io
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_store import START, history  # noqa: E402

from civicflow.cli._common import Console  # noqa: E402
from civicflow.cli.track import _print_heat_maps  # noqa: E402
from civicflow.compliance import _check, heat_map  # noqa: E402
from civicflow.compliance._check import Checker, checker_for  # noqa: E402
from civicflow.compliance._status import status_with  # noqa: E402
from civicflow.events import Event  # noqa: E402
from civicflow.loader import load_template  # noqa: E402
from civicflow.store import NewInstance, Store  # noqa: E402

AS_OF = dt.date(2025, 11, 12)
MEMOS = ("_findings", "_step_statuses", "_instance_statuses")  # what a checker shares between instances
CLI = "import sys; from civicflow.cli import main; sys.exit(main(sys.argv[1:]))"


def fleet(kind: str, count: int) -> list[NewInstance]:
    template = load_template("drohobych_kir")
    events = history(template)
    out = []
    for i in range(count):
        length = i % (len(events) + 1)
        if kind == "service":
            start, own = START + dt.timedelta(days=7 * (i % 20)), tuple(events[:length])
        else:
            shift = dt.timedelta(days=i % 400, minutes=i % 600)
            start = START + dt.timedelta(days=i % 400)
            own = tuple(Event(e.step, e.event, e.at + shift, e.by) for e in events[:length])
        out.append(NewInstance(f"kir-{i:05d}", template.id, template.version, start, own))
    return out


def command(url: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``civicflow track status`` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CLI, "track", "status", "--db", url, "--as-of", AS_OF.isoformat()],
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert done.returncode in (0, 1), done.returncode
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def cpu(action: object) -> tuple[float, object]:
    began = time.process_time()
    result = action()  # type: ignore[operator]
    return time.process_time() - began, result


def measure(kind: str, count: int, folder: Path) -> list[str]:
    path = folder / f"{kind}.db"
    url = f"sqlite:///{path}"
    with Store.open(url) as store:
        store.import_instances(fleet(kind, count))
    runs = [command(url) for _ in range(3)]
    wall = statistics.median(r[0] for r in runs)
    used = statistics.median(r[1] for r in runs)
    rows = [
        f"| {kind} | `civicflow track status` (a fresh process, everything) | {wall:.2f} s | {used:.2f} s |"
    ]
    with Store.open(url) as store:
        seconds, tracked = cpu(store.read_all)
        rows.append(f"| {kind} | `Store.read_all` | | {seconds:.2f} s |")
        procedure = store.procedure(tracked[0].record)  # type: ignore[index]
        instances = {t.record.name: (procedure.template, t.events, t.record.start) for t in tracked}  # type: ignore[attr-defined]
        _check._checkers.clear()  # the template's shared checker made afresh: its plans are made in the call
        checker = checker_for(procedure)
        seconds, hm = cpu(lambda: heat_map(instances, AS_OF))
        situations = len(getattr(checker, "_instance_statuses", ()))
        rows.append(
            f"| {kind} | `heat_map`, one checker ({checker.plans_made} plans, {situations:,} distinct "
            f"situations) | | {seconds:.2f} s |"
        )
        console = Console.from_streams(io.StringIO(), io.StringIO(), color="never")
        seconds, _ = cpu(lambda: _print_heat_maps(console, [(tracked, hm)]))  # type: ignore[list-item]
        rows.append(f"| {kind} | printing the table | | {seconds:.2f} s |")

        own = Checker(procedure)  # a new one: its plans are made during the call, as heat_map's are

        def alone() -> None:
            """Every instance checked on its own: the checker's plans kept, nothing else shared."""
            for item in instances.values():
                for memo in MEMOS:
                    getattr(own, memo, {}).clear()
                status_with(own, item, as_of=AS_OF)

        seconds, _ = cpu(alone)
        rows.append(f"| {kind} | peer: the statuses one by one, sharing only the plans | | {seconds:.2f} s |")
    connection = sqlite3.connect(path)
    seconds, _ = cpu(lambda: connection.execute("SELECT * FROM events ORDER BY instance, seq").fetchall())
    connection.close()
    rows.append(f"| {kind} | peer: `sqlite3` reading every event row, no objects | | {seconds:.2f} s |")
    return rows


def main(quick: bool = False) -> str:
    count = 1_000 if quick else 10_000
    rows = ["| fleet | what | wall-clock | CPU |", "|---|---|---:|---:|"]
    with tempfile.TemporaryDirectory() as folder:
        for kind in ("service", "distinct"):
            rows.extend(measure(kind, count, Path(folder)))
    return (
        f"## Status\n\n`track status --as-of {AS_OF}` over {count:,} tracked `drohobych_kir` instances "
        "(SQLite); CPU times in process, the command's median of 3.\n\n" + "\n".join(rows) + "\n"
    )


if __name__ == "__main__":
    print(main("--quick" in sys.argv[1:]))
