"""iCalendar export (RFC 5545), built with the ``icalendar`` package.

* Every step is an all-day event: ``DTSTART;VALUE=DATE`` and an exclusive ``DTEND`` (the day after).
* An undecided window (``ScheduledStep.window``) is one all-day span over the whole window, marked
  ``STATUS:TENTATIVE``, its description saying the window; decided steps are ``CONFIRMED``.
* A recurring step gives one event per occurrence (not an RRULE: the planner has already applied the
  day-off policy, so the dates are explicit and each can be moved alone).
* A step bound by a legal rule also gets a separate all-day "Deadline:" event on its deadline, with a
  ``VALARM`` reminder ``options.alarm`` ahead (``-P2D`` by default). While the day the rule counts from
  is not decided, the deadline may fall on any day of a range (``ScheduledStep.deadline_span``): the
  event spans that range, ``STATUS:TENTATIVE``, and its reminder comes before the first day.
* UIDs are stable: ``<process>.<step>@civicflow``, ``<process>.<step>.deadline@civicflow`` and
  ``<process>.<step>.<YYYYMMDD>@civicflow`` for occurrences, so re-importing updates instead of
  duplicating.
* ``DTSTAMP`` comes from :meth:`ExportOptions.stamp`: never from a hidden clock.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Calendar, Event

from civicflow.exporters._common import (
    DOMAIN,
    ExportOptions,
    Words,
    channel_names,
    pick,
    responsible_names,
    step_title,
)
from civicflow.i18n import _
from civicflow.schedule import Schedule, ScheduledStep

__all__ = ["render", "uid"]

_DAY = dt.timedelta(days=1)


def uid(process: str, step: str, suffix: str | None = None) -> str:
    """The stable UID of an event: ``drohobych_kir.publish_1@civicflow`` (``suffix`` before the ``@``)."""
    tail = f".{suffix}" if suffix else ""
    return f"{process}.{step}{tail}@{DOMAIN}"


def _description(schedule: Schedule, step: ScheduledStep, options: ExportOptions, w: Words) -> str:
    lines: list[str] = []
    first, last = w.day(step.start), w.day(step.end)
    if step.window:
        lines.append(
            w(_("Window (date not decided yet): between {first} and {last}.")).format(first=first, last=last)
        )
    elif step.span:
        lines.append(w(_("From {first} to {last}.")).format(first=first, last=last))
    else:
        lines.append(w(_("On {day}.")).format(day=first))
    if step.deadline:
        lines.append(w(_("Legal deadline: {day}.")).format(day=w.deadline(step)))
    # the explanation words each legal period already (a step made by hand may give none: then its rules)
    explained = step.explain(w.tr)
    lines.extend(explained)
    if not explained:
        lines.extend(w(_("Rule: {rule}")).format(rule=w.explain(rule)) for rule in step.rules)
    responsible = responsible_names(options, step)
    if responsible:
        lines.append(w(_("Responsible: {names}")).format(names="; ".join(responsible)))
    channels = channel_names(options, step.id)
    if channels:
        lines.append(w(_("Channels: {names}")).format(names="; ".join(channels)))
    entry = options.statuses.get(step.id)
    if entry:
        status = w(_("Status as of {day}: {status}.")).format(
            day=w.day(options.as_of), status=w.status(entry.status)
        )
        lines.append(f"{status} {w.entry(entry)}".rstrip())
    lines.append(
        w(_("Process: {process}; step: {step} ({kind}).")).format(
            process=schedule.process, step=step.id, kind=w.kind(step.kind)
        )
    )
    return "\n".join(lines)


def _event(
    uid_: str, summary: str, first: dt.date, last: dt.date, stamp: dt.datetime, description: str
) -> Event:
    event = Event()
    event.add("uid", uid_)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", first)
    event.add("dtend", last + _DAY)
    event.add("transp", "TRANSPARENT")
    event.add("description", description)
    return event


def render(schedule: Schedule, options: ExportOptions) -> str:
    """The schedule as an iCalendar document (CRLF line ends, as RFC 5545 wants)."""
    stamp = options.stamp(schedule)
    calendar = Calendar()
    calendar.add("prodid", "-//civicflow//civicflow schedule export//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = schedule.process
    if options.template is not None:
        name = options.template.text(options.template.title, options.lang) or name
    calendar.add("x-wr-calname", name)
    stage_titles = {s.id: pick(s.title, options.lang, schedule.language) for s in schedule.stages}
    w = Words(options.lang)
    window = w(_("window"))

    for step in schedule.steps:
        title = step_title(schedule, step, options.lang)
        description = _description(schedule, step, options, w)
        categories = [w.kind(step.kind)] + ([stage_titles[step.stage]] if step.stage in stage_titles else [])
        if step.occurrences:
            spans = step.occurrence_spans
            for n, (day, last) in enumerate(spans, start=1):
                # an occurrence whose day the source leaves open is a tentative span over its period
                open_day = last != day
                when = w.day(day) if not open_day else f"{w.day(day)} .. {w.day(last)}"
                this_one = w(_("Occurrence {n} of {count}: {when}.")).format(n=n, count=len(spans), when=when)
                event = _event(
                    uid(schedule.process, step.id, day.strftime("%Y%m%d")),
                    f"{title} ({n}/{len(spans)})" + (f" ({window})" if open_day else ""),
                    day,
                    last,
                    stamp,
                    this_one + "\n" + description,
                )
                event.add("status", "TENTATIVE" if open_day else "CONFIRMED")
                event.add("categories", categories)
                calendar.add_component(event)
        else:
            summary = f"{title} ({window})" if step.window else title
            event = _event(uid(schedule.process, step.id), summary, step.start, step.end, stamp, description)
            event.add("status", "TENTATIVE" if step.window else "CONFIRMED")
            event.add("categories", categories)
            calendar.add_component(event)
        span = step.deadline_span
        if span is not None:
            # while the day the rule counts from is not decided, the deadline may fall on any day of a
            # range: the event spans it and its reminder comes before its first day, never after it
            first, last = span
            deadline = _event(
                uid(schedule.process, step.id, "deadline"),
                w(_("Deadline: {title}")).format(title=title),
                first,
                last,
                stamp,
                description,
            )
            deadline.add("status", "CONFIRMED" if first == last else "TENTATIVE")
            deadline.add("categories", [w(_("deadline")), *categories])
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add(
                "description",
                w(_("Deadline {day}: {title}")).format(day=w.deadline(step), title=title),
            )
            alarm.add("trigger", -options.alarm)
            deadline.add_component(alarm)
            calendar.add_component(deadline)
    text: str = calendar.to_ical().decode("utf-8")
    return text
