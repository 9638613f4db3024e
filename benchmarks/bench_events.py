"""Reading large event logs: 100,000 records in CSV, YAML and JSON, against the parsers alone.

    python benchmarks/run.py events            # from the repository root
    python benchmarks/bench_events.py          # alone (add --quick for 20,000 records)

Each log has one record per line group (``step``, ``date``, ``event``, ``note``), all on steps of the
bundled ``drohobych_kir`` template, and is read with ``read_event_text`` without a template (syntax,
fields and dates are checked, every record becomes an Event) and with it (steps and order checked too).
The peers only parse the same text into Python data: ``csv.DictReader``, ``json.loads`` and PyYAML's
``CSafeLoader`` (libyaml), without positions or checks. The best of a few runs is shown; the peak memory
of one civicflow read (tracemalloc) is the memory a log of that size needs.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
import time
import tracemalloc
from collections.abc import Callable

import yaml

from civicflow.loader import load_template, read_event_text

REPEATS = 3
STEPS = ("meeting_1", "publication_1", "state_regional_interests", "current_documents")


def logs(count: int) -> dict[str, str]:
    """The same ``count`` records as CSV, YAML and JSON text."""
    rows = [
        {
            "step": STEPS[i % len(STEPS)],
            "date": f"2025-10-{8 + i % 20:02d}",
            "event": "open",
            "note": f"n {i}",
        }
        for i in range(count)
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    text_yaml = "".join(
        f"- step: {r['step']}\n  date: {r['date']}\n  event: {r['event']}\n  note: {r['note']}\n"
        for r in rows
    )
    return {"csv": out.getvalue(), "yaml": text_yaml, "json": json.dumps(rows, indent=1)}


def best(run: Callable[[], object], repeats: int = REPEATS) -> float:
    """The shortest of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main(quick: bool = False) -> str:
    """The Markdown section of this benchmark."""
    count = 20_000 if quick else 100_000
    template = load_template("drohobych_kir")
    texts = logs(count)
    peers: dict[str, Callable[[str], object]] = {
        "csv": lambda t: list(csv.DictReader(io.StringIO(t))),
        "json": json.loads,
        "yaml": lambda t: yaml.load(t, Loader=yaml.CSafeLoader),  # libyaml's safe loader
    }
    lines = [
        f"{count:,} records per log; seconds, best of {REPEATS}.",
        "",
        "| format | size | civicflow, no template | civicflow, with template | parser alone | peak memory |",
        "|---|---|---|---|---|---|",
    ]
    for fmt, text in texts.items():

        def plain_read(fmt: str = fmt, text: str = text) -> None:
            read_event_text(text, format=fmt, source=f"log.{fmt}")

        plain = best(plain_read)

        def checked(fmt: str = fmt, text: str = text) -> None:
            # opening a step twice is an impossible order: every problem is found and reported
            with contextlib.suppress(ValueError):
                read_event_text(text, format=fmt, source=f"log.{fmt}", template=template)

        with_template = best(checked)

        def parse(fmt: str = fmt, text: str = text) -> None:
            peers[fmt](text)

        parser = best(parse)
        tracemalloc.start()
        read_event_text(text, format=fmt, source=f"log.{fmt}")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        lines.append(
            f"| {fmt} | {len(text.encode()) / 1e6:.1f} MB | {plain:.2f} | {with_template:.2f} | {parser:.2f} "
            f"| {peak / 1e6:.0f} MB |"
        )
    return "## Event logs\n\n" + "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(main(quick="--quick" in sys.argv))
