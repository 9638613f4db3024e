"""Exporters: render a :class:`~civicflow.schedule.Schedule` as a calendar, a table, a chart or a page.

A registry maps a format name to a render function ``(schedule, options) -> str``::

    from civicflow.exporters import render
    text = render("ics", schedule)            # ExportOptions() by default

=========  ===============================================================================
name       what it gives
=========  ===============================================================================
csv        one row per step: dates with weekdays, deadline, rule, status
html       one self-contained page: an SVG Gantt chart, a legend and a table of steps
ics        an iCalendar file (RFC 5545): all-day events, tentative windows, deadline alarms
json       :meth:`Schedule.to_dict` in the chosen language (plus statuses when given)
markdown   a report: stages with tables of steps, deadlines with explanations, findings
mermaid    a Mermaid Gantt chart (sections per stage, milestones, ``crit`` steps)
=========  ===============================================================================

Statuses for the colours come from a compliance check: ``statuses_for(template, events, start=...,
as_of=...)`` gives ``ExportOptions.statuses``.

An unknown name raises :class:`~civicflow.errors.UnknownFormatError` listing the known ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from civicflow._text import json_terminal_safe
from civicflow.errors import UnknownFormatError
from civicflow.exporters._common import ExportOptions, StatusEntry
from civicflow.exporters._safe import without_controls
from civicflow.exporters.csv import render as _csv
from civicflow.exporters.html import render as _html
from civicflow.exporters.json import render as _json
from civicflow.exporters.markdown import render as _markdown
from civicflow.exporters.mermaid import render as _mermaid
from civicflow.schedule import Schedule

if TYPE_CHECKING:
    from civicflow.exporters._status import statuses_for, statuses_from_instance

__all__ = [
    "EXPORTERS",
    "ExportOptions",
    "Renderer",
    "StatusEntry",
    "render",
    "statuses_for",
    "statuses_from_instance",
]

Renderer = Callable[[Schedule, ExportOptions], str]
"""A render function: the schedule and the options in, the whole document out."""


def _ics(schedule: Schedule, options: ExportOptions) -> str:
    # icalendar is imported when a calendar is rendered, not by every command that reaches the exporters
    from civicflow.exporters.ics import render as ics

    return ics(schedule, options)


EXPORTERS: Mapping[str, Renderer] = MappingProxyType(
    {
        "csv": _csv,
        "html": _html,
        "ics": _ics,
        "json": _json,
        "markdown": _markdown,
        "mermaid": _mermaid,
    }
)
"""Format name -> render function, read-only."""


def render(format: str, schedule: Schedule, options: ExportOptions | None = None) -> str:
    """``schedule`` rendered in ``format`` (one of :data:`EXPORTERS`).

    Raises :class:`~civicflow.errors.UnknownFormatError` (a ``LookupError``) listing the known formats.
    Control characters from a template or a log never reach the output (:func:`without_controls`).
    """
    try:
        renderer = EXPORTERS[format]
    except KeyError:
        known = ", ".join(sorted(EXPORTERS))
        raise UnknownFormatError(f"unknown export format {format!r}; known formats: {known}") from None
    text = renderer(schedule, options if options is not None else ExportOptions())
    return json_terminal_safe(text) if format == "json" else without_controls(text)


def __getattr__(name: str) -> Any:
    # The statuses come from a compliance check: imported when asked for, not by `civicflow plan`,
    # which reaches this package for its helpers only (PEP 562).
    if name in ("statuses_for", "statuses_from_instance"):
        from civicflow.exporters import _status

        return getattr(_status, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
