"""The one date-time layer: dates as people write them, and the time zones they are read in.

Dates as people write them: ISO 8601, and the day-first dotted form of Ukrainian, Bulgarian and Russian
offices (``14.11.2025``, ``14.11.2025 10:30``). One place parses every date civicflow reads from a person
(event logs, command-line arguments, a log's ``start:``), so that a form accepted in one place is accepted
everywhere. Only unambiguous forms are accepted: a dotted date is always day.month.year with a four-digit
year; slashes (``11/12/2025``, which reads differently in different countries) and two-digit years are
refused with the accepted forms.

Time zones: :func:`zone` gives the one ``tzinfo`` object of a tz database name (pendulum's, a
:class:`zoneinfo.ZoneInfo`), used by the calendars, event logs, instances, the CLI and the service alike,
so that every aware datetime civicflow makes carries the same zone object and converts the same way;
:func:`local_day` is the day of a moment in a zone. No other module imports ``zoneinfo`` or ``pendulum``
(tests/test_imports.py).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

__all__ = ["DATE_FORMS", "MOMENT_FORMS", "local_day", "parse_day", "parse_moment", "zone", "zone_names"]

DATE_FORMS = "YYYY-MM-DD or DD.MM.YYYY"
"""The accepted forms of a day, for messages."""
MOMENT_FORMS = "YYYY-MM-DD, DD.MM.YYYY, YYYY-MM-DDTHH:MM[:SS][+HH:MM|Z] or DD.MM.YYYY HH:MM[:SS]"
"""The accepted forms of a day or a moment, for messages."""

_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DOTTED_TIME = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")


def _dotted_day(text: str) -> dt.date | None:
    match = _DOTTED.fullmatch(text)
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups())
    return dt.date(year, month, day)  # ValueError for 31.02.2025


def parse_day(text: str) -> dt.date:
    """A day from ``2025-11-14`` or ``14.11.2025``; ``ValueError`` naming the accepted forms otherwise."""
    value = text.strip()
    try:
        found = _dotted_day(value)
        if found is not None:
            return found
        if len(value) == 10:
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(f"{text!r} is not a date; write {DATE_FORMS}, e.g. 2025-11-14 or 14.11.2025")


def parse_moment(text: str) -> dt.date | dt.datetime:
    """A day (a :class:`~datetime.date`) or a moment (a :class:`~datetime.datetime`, naive unless it
    carries an offset) from any of :data:`MOMENT_FORMS`; ``ValueError`` naming them otherwise.

    A bare day stays a day: what day and time zone it means is the caller's decision.
    """
    value = text.strip()
    try:
        match = _DOTTED_TIME.fullmatch(value)
        if match is not None:
            day, month, year, hour, minute = (int(g) for g in match.groups()[:5])
            second = int(match.group(6) or 0)
            return dt.datetime(year, month, day, hour, minute, second)
        if _DOTTED.fullmatch(value) or len(value) == 10:
            return parse_day(value)
        if len(value) >= 16 and value[10] in "T ":
            return dt.datetime.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(f"{text!r} is not a date; write {MOMENT_FORMS}")


@cache
def zone(name: str) -> dt.tzinfo:
    """The time zone ``name`` of the tz database (``Europe/Kyiv``, ``UTC``): one object per name, shared
    by every module. ``ValueError`` for a name the database does not have."""
    import pendulum  # imported on the first zone asked for: `import civicflow` stays light

    try:
        return pendulum.timezone(name)
    except (ValueError, LookupError, OSError):  # unknown, malformed, or too long for a file name
        raise ValueError(f"unknown time zone {name!r}") from None


def zone_names() -> frozenset[str]:
    """Every name :func:`zone` knows."""
    import pendulum

    return frozenset(pendulum.timezones())


def local_day(at: dt.datetime, name: str) -> dt.date:
    """The day ``at`` falls on in zone ``name`` (a naive ``at`` is taken as wall-clock time there)."""
    if at.tzinfo is None or at.utcoffset() is None:
        return at.date()
    return at.astimezone(zone(name)).date()
