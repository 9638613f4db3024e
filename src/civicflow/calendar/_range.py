"""One check for every date that comes from outside: is it inside the years a calendar covers?

Python's dates end at years 1 and 9999; a calendar covers far fewer years (1991..2060 by default). A date
from a log, an option or a fixed day that lies outside the calendar is refused up front with one message
that names the range, instead of failing somewhere in date arithmetic near year 9999.
"""

from __future__ import annotations

import datetime as dt

from civicflow.calendar._working import _WIDEN, WorkingCalendar
from civicflow.errors import CalendarRangeError

__all__ = ["outside_range", "require_in_range"]


def outside_range(calendar: WorkingCalendar, day: dt.date, what: str = "the date") -> str | None:
    """Why ``day`` cannot be used with ``calendar`` (it is outside the calendar's years), or None.

    A datetime is judged by its own date (in its own offset).
    """
    if calendar.first_year <= day.year <= calendar.last_year:
        return None
    return (
        f"{what} {day.isoformat()} is outside the years the {calendar.country} calendar covers "
        f"({calendar.first_year}..{calendar.last_year}); {_WIDEN}"
    )


def require_in_range(calendar: WorkingCalendar, day: dt.date, what: str = "the date") -> None:
    """Raise :class:`CalendarRangeError` (naming the range) when ``day`` is outside ``calendar``'s years."""
    message = outside_range(calendar, day, what)
    if message is not None:
        raise CalendarRangeError(message)
