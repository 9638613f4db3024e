"""One check for every date that comes from outside: is it inside the years a calendar covers?

Python's dates end at years 1 and 9999; a calendar covers far fewer years (1991..2060 by default). A date
from a log, an option or a fixed day that lies outside the calendar is refused up front with one message
that names the range, instead of failing somewhere in date arithmetic near year 9999.
"""

from __future__ import annotations

import datetime as dt

from civicflow.calendar._working import _WIDEN, WorkingCalendar
from civicflow.errors import CalendarRangeError
from civicflow.i18n import _
from civicflow.messages import Message, Param, Term

__all__ = ["outside_range", "outside_reason", "require_in_range"]

_FIXED_DAY = "the fixed day of "
# what a date is, as the callers name it, marked for the catalogs
_WHAT = {w: w for w in (_("the date"), _("the start"), _("the time"))}


def _what(what: Param) -> Param:
    """``what`` as a message: a known phrase is translated, "the fixed day of STEP" too (the planner
    names a fixed day so); any other text stays as it is."""
    if not isinstance(what, str):
        return what
    if what in _WHAT:
        return Term(what)
    if what.startswith(_FIXED_DAY):
        return Message(_("the fixed day of {step}"), step=what[len(_FIXED_DAY) :])
    return what


def outside_reason(calendar: WorkingCalendar, day: dt.date, what: Param = "the date") -> Message | None:
    """Why ``day`` cannot be used with ``calendar``, as a message without the library's hint (what the
    command line and the dashboard say), or None when it lies within the calendar's years."""
    if calendar.first_year <= day.year <= calendar.last_year:
        return None
    return Message(
        _(
            "{what} {day} is outside the years the {country} calendar covers ({first}..{last}); dates "
            "outside are not supported"
        ),
        what=_what(what),
        day=day.isoformat(),
        country=calendar.country,
        first=str(calendar.first_year),
        last=str(calendar.last_year),
    )


def outside_range(calendar: WorkingCalendar, day: dt.date, what: Param = "the date") -> str | None:
    """Why ``day`` cannot be used with ``calendar`` (it is outside the calendar's years), or None; in
    English, with the hint for library callers.

    A datetime is judged by its own date (in its own offset).
    """
    reason = outside_reason(calendar, day, what)
    return None if reason is None else f"{reason} {_WIDEN.removeprefix('dates outside are not supported ')}"


def require_in_range(calendar: WorkingCalendar, day: dt.date, what: Param = "the date") -> None:
    """Raise :class:`CalendarRangeError` (naming the range) when ``day`` is outside ``calendar``'s years."""
    reason = outside_reason(calendar, day, what)
    if reason is not None:
        raise CalendarRangeError(outside_range(calendar, day, what) or str(reason), reason)
