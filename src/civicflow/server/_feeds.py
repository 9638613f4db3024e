"""Calendar feeds of tracked instances, built by the iCalendar exporter and made unique per instance.

The exporter's UIDs name the process and the step (``drohobych_kir.meeting_1@civicflow``); in a feed they
get the instance's name in front (``kir-2025.drohobych_kir.meeting_1@civicflow``), so the feed of all
instances has no two events with one UID. ``SEQUENCE`` is the instance's version (its number of recorded
events): every recorded event can move days, and the number only grows, so a calendar that subscribed
replaces what it has. Legal deadlines carry the exporter's alarm.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from urllib.parse import quote

from icalendar import Calendar

from civicflow.errors import CivicflowError
from civicflow.exporters import ExportOptions, render, statuses_for
from civicflow.planner import plan, recorded_days
from civicflow.store import Store, TrackedInstance

__all__ = ["feed"]

log = logging.getLogger("civicflow.server")


def _uid_part(name: str) -> str:
    return quote(name, safe="-_~")


def _instance_components(
    store: Store, tracked: TrackedInstance, today: Callable[[str], dt.date], now: dt.datetime
) -> Calendar:
    record = tracked.record
    procedure = store.procedure(record)
    template = procedure.template
    events = list(tracked.events)
    day = today(procedure.calendar.timezone)
    # what happened is planned on the days it happened, as `civicflow export --events` plans it
    fixed = dict(recorded_days(template, events, procedure.calendar))
    schedule = plan(template, start=record.start, fixed=fixed)
    statuses = statuses_for(template, events, start=schedule.start, as_of=day)
    options = ExportOptions(template=template, as_of=day, now=now, statuses=statuses)
    calendar = Calendar.from_ical(render("ics", schedule, options))
    prefix = _uid_part(record.name)
    for component in calendar.walk("VEVENT"):
        uid = str(component["UID"])
        component["UID"] = f"{prefix}.{uid}"
        component.add("sequence", record.version)
        component["SUMMARY"] = f"{record.name}: {component['SUMMARY']}"
    return calendar


def feed(
    store: Store,
    tracked: Iterable[TrackedInstance],
    title: str,
    today: Callable[[str], dt.date],
    now: dt.datetime,
    *,
    skip_broken: bool = False,
) -> str:
    """One iCalendar document with the events of every instance in ``tracked``, each as of the day that is
    ``today(zone)`` in its jurisdiction's zone; ``skip_broken`` leaves
    out an instance that cannot be planned (a logged warning) instead of failing."""
    out = Calendar()
    out.add("prodid", "-//civicflow//civicflow serve feed//EN")
    out.add("version", "2.0")
    out.add("calscale", "GREGORIAN")
    out.add("method", "PUBLISH")
    out.add("x-wr-calname", title)
    for item in tracked:
        try:
            components = _instance_components(store, item, today, now)
        except CivicflowError as exc:
            if not skip_broken:
                raise
            log.warning("feed: an instance left out (%s)", type(exc).__name__)
            continue
        for component in components.walk("VEVENT"):
            out.add_component(component)
    text: str = out.to_ical().decode("utf-8")
    return text
