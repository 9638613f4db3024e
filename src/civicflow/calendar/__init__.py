"""The working-day calendar of a jurisdiction and the arithmetic of legal periods.

A :class:`WorkingCalendar` says which days are working days in a country (optionally a subdivision),
using the `holidays` package for public holidays, transferred days off and working Saturdays, with local
:class:`Overlay` layers on top. It counts working days in constant time from a precomputed table, and
computes legal periods forwards (:meth:`WorkingCalendar.period_after`) and backwards
(:meth:`WorkingCalendar.period_before`) as a :class:`Deadline` that can explain itself.

Legal sources of the rules (see docs/calendar.md):

* the day of the event is not counted: Civil Code of Ukraine art. 253, Civil Code of the RF art. 191,
  Bulgarian ZZD art. 72 / GPK art. 60, Reg. 1182/71 art. 3(1);
* month periods end on the event's day number, or the last day of a shorter month; half a month is
  15 days: Civil Code of Ukraine art. 254(3), Civil Code of the RF art. 192(3), Reg. 1182/71 art. 3(2)(c);
* a forward period whose last day is not a working day ends on the next working day: Civil Code of
  Ukraine art. 254(5), Civil Code of the RF art. 193, Bulgarian ZZD art. 72 / GPK art. 60,
  Reg. 1182/71 art. 3(4) (:data:`ROLL_RULES`);
* a backward period ("no later than N days before Y") whose last day is not a working day moves to the
  previous working day: no statute says so for civic procedures; this is civicflow's policy, chosen
  because moving it later would let the act happen too late.
"""

from __future__ import annotations

from civicflow.calendar._deadline import (
    MONTH_ABBRS,
    WEEKDAY_NAMES,
    Deadline,
    Reading,
    add_months,
    format_day,
    weekday_abbr,
)
from civicflow.calendar._jurisdiction import (
    DEFAULT_FIRST_YEAR,
    DEFAULT_LAST_YEAR,
    DEFAULT_TIMEZONES,
    FALLBACK_TIMEZONE,
    ROLL_RULES,
)
from civicflow.calendar._overlay import Overlay, OverlayError
from civicflow.calendar._working import WorkingCalendar

__all__ = [
    "DEFAULT_FIRST_YEAR",
    "DEFAULT_LAST_YEAR",
    "DEFAULT_TIMEZONES",
    "FALLBACK_TIMEZONE",
    "MONTH_ABBRS",
    "ROLL_RULES",
    "WEEKDAY_NAMES",
    "Deadline",
    "Overlay",
    "OverlayError",
    "Reading",
    "WorkingCalendar",
    "add_months",
    "format_day",
    "weekday_abbr",
]
