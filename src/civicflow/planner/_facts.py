"""What happened, as days the planner keeps: the recorded days of steps, read from events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from civicflow.calendar import WorkingCalendar
from civicflow.events import Event, EventType
from civicflow.planner._build import Pin
from civicflow.template import ProcessTemplate

__all__ = ["recorded_days"]


def recorded_days(
    template: ProcessTemplate, events: Iterable[Event], calendar: WorkingCalendar | None = None
) -> dict[str, Pin]:
    """The days each step happened on, in the jurisdiction's local time, ready for ``plan(fixed=...)``.

    A one-day step is pinned to the day it was completed; a span to the day it opened (its first event)
    and, once completed, to its first and last days as a pair. Skipped steps and steps without events are
    left out. Planning with these pins shows every recorded event on its own day; a rule the record breaks
    becomes an ERROR finding of the plan.
    """
    cal = calendar if calendar is not None else template.working_calendar()
    opened: dict[str, dt.date] = {}
    done: dict[str, dt.date] = {}
    for event in events:
        if event.event is EventType.SKIP:
            continue
        day = cal.local_date(event.at)
        if event.step not in opened or day < opened[event.step]:
            opened[event.step] = day
        if event.event is EventType.COMPLETE and (event.step not in done or day < done[event.step]):
            done[event.step] = day
    out: dict[str, Pin] = {}
    for sid, first in opened.items():
        last = done.get(sid)
        if not template.step(sid).is_span:
            if last is not None:
                out[sid] = last
        elif last is not None and last != first:
            out[sid] = (first, last)
        else:
            out[sid] = first
    return out
