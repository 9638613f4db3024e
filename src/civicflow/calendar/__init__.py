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
* a backward period ("no later than N days before Y") is not moved: no code of UA, BG or RU moves it, and
  Reg. 1182/71 art. 3(4) second sentence excludes it; the working day before is given as advice
  (:attr:`Deadline.advised`);
* a minimum ("not earlier than N days after X") is not rolled: the roll gives more time to act by a
  deadline, it does not postpone the first allowed day (:func:`roll_rule`, per jurisdiction and kind);
* Reg. 1182/71 as a rule set (``rules="EU"``): arts. 2(2), 3(1)-(5), 4;
* Ukraine's martial law (Law 2136-IX art. 6(6)) until a given day, then Labour Code arts. 67(3), 73;
* the Russian procedural codes count days as working days (:data:`PROCEDURAL_CODES`).
"""

from __future__ import annotations

from civicflow.calendar._days_off import PassedDay, passed_days
from civicflow.calendar._deadline import (
    MONTH_ABBRS,
    WEEKDAY_NAMES,
    Deadline,
    Reading,
    add_months,
    shift_calendar,
    weekday_abbr,
)
from civicflow.calendar._jurisdiction import (
    DEFAULT_FIRST_YEAR,
    DEFAULT_LAST_YEAR,
    DEFAULT_TIMEZONES,
    FALLBACK_TIMEZONE,
    ROLL_RULES,
    subdivisions_of,
)
from civicflow.calendar._overlay import Overlay, OverlayError
from civicflow.calendar._rules import (
    END_OF_DAY_SOURCES,
    EU_RULES,
    NAMED_OVERLAYS,
    PROCEDURAL_CODES,
    RU_DECREED_NON_WORKING_DAYS,
    PeriodKind,
    Roll,
    RollRule,
    RuleSetError,
    count_source,
    roll_rule,
)
from civicflow.calendar._working import WorkingCalendar

__all__ = [
    "DEFAULT_FIRST_YEAR",
    "DEFAULT_LAST_YEAR",
    "DEFAULT_TIMEZONES",
    "END_OF_DAY_SOURCES",
    "EU_RULES",
    "FALLBACK_TIMEZONE",
    "MONTH_ABBRS",
    "NAMED_OVERLAYS",
    "PROCEDURAL_CODES",
    "ROLL_RULES",
    "RU_DECREED_NON_WORKING_DAYS",
    "WEEKDAY_NAMES",
    "Deadline",
    "Overlay",
    "OverlayError",
    "PassedDay",
    "PeriodKind",
    "Reading",
    "Roll",
    "RollRule",
    "RuleSetError",
    "WorkingCalendar",
    "add_months",
    "count_source",
    "passed_days",
    "roll_rule",
    "shift_calendar",
    "subdivisions_of",
    "weekday_abbr",
]
