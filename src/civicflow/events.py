"""What happened in a process: events on steps, each at a timezone-aware moment.

An :class:`Event` says that a step was opened, completed or skipped at a moment (a timezone-aware
datetime), optionally by whom, with a note and a link. :func:`parse_event_time` reads the moment of an
event as the event logs and the CLI read it. Reading whole logs (YAML, JSON, CSV), with every bad record
reported at its line, is :func:`civicflow.read_event_log` and :func:`civicflow.read_event_text`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from civicflow.dates import parse_moment, zone
from civicflow.i18n import _
from civicflow.messages import Message, Term

__all__ = ["Event", "EventType", "has_time", "parse_event_time"]

DATE_HELP = _(
    "write YYYY-MM-DD or DD.MM.YYYY (that local day), YYYY-MM-DDTHH:MM[:SS][+HH:MM|Z] or DD.MM.YYYY HH:MM"
)
_NOT_A_DATE = _("{value} is not a date; {help}")


class EventType(StrEnum):
    """What happened to a step: it opened (a discussion starts), completed, or was skipped."""

    OPEN = "open"
    COMPLETE = "complete"
    SKIP = "skip"


def _event_type(value: EventType | str) -> EventType:
    try:
        return EventType(str(value).strip().lower())
    except ValueError:
        known = ", ".join(e.value for e in EventType)
        raise ValueError(f"unknown event {value!r}; known events: {known}") from None


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened: ``step`` was opened, completed or skipped at ``at`` (timezone-aware).

    ``timed`` is False when only a day was recorded, no time of day: ``at`` is then the start of that day
    where it was read (the checks count days, so nothing else changes), and every view shows the day
    alone (:meth:`shown`), never a time nobody gave.
    """

    step: str
    event: EventType
    at: dt.datetime
    by: str | None = None
    note: str | None = None
    url: str | None = None
    timed: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.at, dt.datetime) or self.at.utcoffset() is None:
            raise ValueError(f"an event's time must be a timezone-aware datetime, not {self.at!r}")
        if not isinstance(self.event, EventType):
            object.__setattr__(self, "event", _event_type(self.event))

    def shown(self, tz: dt.tzinfo | None = None) -> str:
        """What was recorded, for people: ``2025-10-16`` for a day, ``2025-10-16 15:00`` for a time (in
        ``tz`` when given)."""
        if not self.timed:
            return self.at.date().isoformat()  # the start of the day given, where it was read
        at = self.at.astimezone(tz) if tz is not None else self.at
        return at.strftime("%Y-%m-%d %H:%M")

    def to_dict(self) -> dict[str, Any]:
        """The record as a log holds it: ``step``, ``event``, ``date`` (ISO 8601 with offset, or the day
        alone when no time was recorded), and the optional fields that are set."""
        date = self.at.isoformat() if self.timed else self.at.date().isoformat()
        out: dict[str, Any] = {"step": self.step, "event": self.event.value, "date": date}
        for key in ("by", "note", "url"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, timezone: str = "UTC") -> Event:
        """An event from a record (``date`` or ``at``); raises ``ValueError`` saying what is wrong."""
        zone = _zone(timezone)
        when = d.get("date", d.get("at"))
        if when is None:
            raise ValueError("an event needs a 'date'")
        at = parse_event_time(when, zone)
        step = d.get("step")
        if not isinstance(step, str) or not step:
            raise ValueError("an event needs a 'step'")
        return cls(
            step=step,
            event=_event_type(d.get("event") or EventType.COMPLETE),
            at=at,
            by=_opt_text(d.get("by")),
            note=_opt_text(d.get("note")),
            url=_opt_text(d.get("url")),
            timed=has_time(when),
        )


def _opt_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def _zone(name: str) -> dt.tzinfo:
    try:
        return zone(name)
    except ValueError:
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as Europe/Kyiv or UTC") from None


def has_time(value: Any) -> bool:
    """Whether ``value`` (as :func:`parse_event_time` reads it) gives a time of day, not a day alone;
    True for what it cannot read (the time is then refused there)."""
    if isinstance(value, dt.datetime):
        return True
    if isinstance(value, dt.date):
        return False
    if isinstance(value, str):
        try:
            return isinstance(parse_moment(value), dt.datetime)
        except ValueError:
            return True
    return True


def parse_event_time(value: Any, zone: dt.tzinfo | str = "UTC") -> dt.datetime:
    """An aware datetime from a date or date-time as :func:`civicflow.dates.parse_moment` reads it (ISO,
    or ``14.11.2025``, ``14.11.2025 10:30``), or from a ``date``/``datetime`` object.

    A bare date is the start of that day in ``zone``; a naive date-time is wall-clock time in ``zone``.
    Raises ``ValueError`` with the accepted forms.
    """
    tz = _zone(zone) if isinstance(zone, str) else zone
    if isinstance(value, dt.datetime):
        return value if value.utcoffset() is not None else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    if not isinstance(value, str):
        raise ValueError(Message(_NOT_A_DATE, value=repr(value), help=Term(DATE_HELP)))
    try:
        parsed = parse_moment(value)
    except ValueError:
        raise ValueError(Message(_NOT_A_DATE, value=repr(value), help=Term(DATE_HELP))) from None
    if not isinstance(parsed, dt.datetime):
        return dt.datetime(parsed.year, parsed.month, parsed.day, tzinfo=tz)
    return parsed if parsed.utcoffset() is not None else parsed.replace(tzinfo=tz)
