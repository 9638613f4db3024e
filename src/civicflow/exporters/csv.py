"""CSV export: one row per step, ISO dates with weekdays, the deadline and the rule that sets it."""

from __future__ import annotations

import csv as _csv
import io

from civicflow.calendar import weekday_abbr
from civicflow.exporters._common import ExportOptions, responsible_names, step_title
from civicflow.exporters._safe import csv_row
from civicflow.schedule import Schedule

__all__ = ["COLUMNS", "render"]

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
    "critical",
    "slack",
    "responsible",
    "status",
    "rule",
)
"""The header row."""


def render(schedule: Schedule, options: ExportOptions) -> str:
    """The schedule as CSV (comma separated, ``\\n`` line ends, a header row); a text cell that a
    spreadsheet would run as a formula starts with an apostrophe."""
    buffer = io.StringIO()
    writer = _csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for step in schedule.steps:
        writer.writerow(
            csv_row(
                (
                    step.id,
                    step.stage or "",
                    step.kind,
                    step_title(schedule, step, options.lang),
                    step.start.isoformat(),
                    weekday_abbr(step.start),
                    step.end.isoformat(),
                    weekday_abbr(step.end),
                    "yes" if step.span else "no",
                    "yes" if step.window else "no",
                    "yes" if step.fixed else "no",
                    step.deadline.isoformat() if step.deadline else "",
                    "yes" if step.critical else "no",
                    "" if step.slack is None else step.slack,
                    "; ".join(responsible_names(options, step)),
                    options.status(step.id).value,
                    " ".join(step.explanation),
                )
            )
        )
    return buffer.getvalue()
