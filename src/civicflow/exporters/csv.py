"""CSV export: one row per step, ISO dates with weekdays, the deadline and the rule that sets it."""

from __future__ import annotations

import csv as _csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from civicflow.exporters._common import ExportOptions, Words, responsible_names, step_title
from civicflow.exporters._safe import csv_row
from civicflow.schedule import Schedule

__all__ = ["COLUMNS", "render", "write_rows"]

COLUMNS = (
    "step",
    "stage",
    "kind",
    "title",
    "start",
    "start_weekday",
    "end",
    "end_weekday",
    "span",
    "window",
    "fixed",
    "deadline",
    "deadline_earliest",
    "critical",
    "slack",
    "responsible",
    "status",
    "rule",
)
"""The header row."""


def write_rows(header: Sequence[str], rows: Iterable[Sequence[Any]], *, excel: bool = False) -> str:
    """A header and rows as CSV text: comma separated with ``\n`` line ends, or, with ``excel``, as a
    spreadsheet in a Ukrainian, Bulgarian or Russian locale opens it on a double click: a UTF-8 byte
    order mark (else Cyrillic shows garbled), ``;`` between cells (the comma is the decimal separator
    there) and ``\r\n`` line ends. Either way a text cell that a spreadsheet would run as a formula
    starts with an apostrophe."""
    buffer = io.StringIO()
    if excel:
        buffer.write("\ufeff")
        writer = _csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    else:
        writer = _csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(csv_row(row) for row in rows)
    return buffer.getvalue()


def render(schedule: Schedule, options: ExportOptions) -> str:
    """The schedule as CSV (comma separated, ``\n`` line ends, a header row; ``options.excel`` writes
    it for a spreadsheet, see :func:`write_rows`)."""
    return write_rows(COLUMNS, _rows(schedule, options), excel=options.excel)


def _rows(schedule: Schedule, options: ExportOptions) -> Iterable[Sequence[Any]]:
    # the columns and the values a program reads (yes/no, kinds, statuses) stay English; titles,
    # weekdays and the explanation are for people and follow the language
    w = Words(options.lang)
    for step in schedule.steps:
        yield (
            step.id,
            step.stage or "",
            step.kind,
            step_title(schedule, step, options.lang),
            step.start.isoformat(),
            w.weekday(step.start),
            step.end.isoformat(),
            w.weekday(step.end),
            "yes" if step.span else "no",
            "yes" if step.window else "no",
            "yes" if step.fixed else "no",
            step.deadline.isoformat() if step.deadline else "",
            step.deadline_span[0].isoformat() if step.deadline_span else "",
            "yes" if step.critical else "no",
            "" if step.slack is None else step.slack,
            "; ".join(responsible_names(options, step)),
            options.status(step.id).value,
            "; ".join(step.explain(w.tr)),
        )
