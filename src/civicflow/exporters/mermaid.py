"""Mermaid Gantt export: sections per stage, milestones for point events, ``crit`` for critical steps.

Mermaid reads an explicit end date as exclusive, so a span's end is written as the day after its last
day. Titles are made safe for the task syntax: ``:``, ``;`` and ``#`` (which Mermaid reads as syntax)
become look-alike characters, and line breaks become spaces.
"""

from __future__ import annotations

import datetime as dt

from civicflow._vocabulary import Status
from civicflow.exporters._common import (
    ExportOptions,
    Words,
    stage_groups,
    stage_title,
    step_title,
)
from civicflow.i18n import _
from civicflow.schedule import Schedule, ScheduledStep

__all__ = ["escape", "render"]

_SAFE = str.maketrans(
    {
        ":": "\u02d0",
        ";": ",",
        "#": "\u266f",
        "\n": " ",
        "\r": " ",
        "%": "\u066a",
        "<": "\uff1c",
        ">": "\uff1e",
    }
)


def escape(text: str) -> str:
    """``text`` safe as a Mermaid Gantt task or section title: Mermaid's separators (``:``, ``;``,
    ``#``, ``%%``) and the angle brackets of markup become look-alike characters, so that a title can
    neither end a task nor carry a tag into a page that renders the chart."""
    return " ".join(text.translate(_SAFE).split()) or "-"


def _tags(step: ScheduledStep, options: ExportOptions) -> list[str]:
    tags: list[str] = []
    status = options.status(step.id)
    if status in (Status.DONE, Status.DONE_LATE):
        tags.append("done")
    elif step.window or status in (Status.DUE_SOON, Status.OVERDUE, Status.VIOLATED):
        tags.append("active")
    if step.critical or status in (Status.OVERDUE, Status.DONE_LATE, Status.VIOLATED):
        tags.append("crit")
    if not step.span and not step.window:
        tags.append("milestone")
    return tags


def _line(
    title: str, task: str, step: ScheduledStep, options: ExportOptions, first: dt.date, last: dt.date
) -> str:
    tags = _tags(step, options)
    if "milestone" in tags:
        when = f"{first.isoformat()}, 0d"
    else:
        when = f"{first.isoformat()}, {(last + dt.timedelta(days=1)).isoformat()}"
    meta = ", ".join([*tags, task, when])
    return f"    {escape(title)} :{meta}"


def render(schedule: Schedule, options: ExportOptions) -> str:
    """The schedule as a Mermaid ``gantt`` diagram."""
    title = schedule.process
    if options.template is not None:
        title = options.template.text(options.template.title, options.lang) or title
    lines = [
        "gantt",
        f"    title {escape(title)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %Y-%m-%d",
    ]
    w = Words(options.lang)
    for stage, steps in stage_groups(schedule):
        name = stage_title(schedule, stage, options.lang) if stage else w(_("Other steps"))
        lines.append(f"    section {escape(name)}")
        for step in steps:
            text = step_title(schedule, step, options.lang)
            if step.window:
                text += " (" + w(_("window")) + ")"
            if step.occurrences:
                for n, (day, last) in enumerate(step.occurrence_spans, start=1):
                    lines.append(_line(f"{text} {n}", f"{step.id}_{n}", step, options, day, last))
            else:
                lines.append(_line(text, step.id, step, options, step.start, step.end))
    return "\n".join(lines) + "\n"
