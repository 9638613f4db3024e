"""The days a computed deadline passed over: days off it skipped, and weekly rest days it counted as
working days by a transfer, each with its reason (a holiday's name, a weekly rest day, a transfer)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from civicflow.calendar._deadline import Deadline
from civicflow.durations import DurationUnit
from civicflow.i18n import _
from civicflow.messages import Message, Term, Weekday

if TYPE_CHECKING:
    from civicflow.calendar._working import WorkingCalendar

_ONE = _dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class PassedDay:
    """One day a count passed over: ``skipped`` when it is a day off the count left out, else a weekly
    rest day made a working day (by a transfer or a local order) that the count took as one."""

    day: _dt.date
    skipped: bool
    reason: Message


def _span(deadline: Deadline) -> tuple[_dt.date, _dt.date] | None:
    """The days (first, last; both included) whose days off moved the deadline, None when none can."""
    unit = deadline.duration.unit
    if unit is DurationUnit.HOURS:
        return None
    if deadline.direction == "after":
        if unit is DurationUnit.WORKING_DAYS:
            return deadline.event + _ONE, max(deadline.date, deadline.raw)  # every counted day
        if deadline.date > deadline.raw:
            return deadline.raw, deadline.date - _ONE  # the roll: the days off it went over
        return None
    if unit is DurationUnit.WORKING_DAYS:
        return deadline.date + _ONE, deadline.event - _ONE  # every day counted back
    advised = deadline.advised
    if advised is not None and advised < deadline.date:
        return advised + _ONE, deadline.date  # the days off between the line and the advice
    return None


def passed_days(calendar: WorkingCalendar, deadline: Deadline) -> tuple[PassedDay, ...]:
    """The days off ``deadline`` skipped (a working-day count; a roll; a backward line's advice) and the
    weekly rest days it counted as working days, in order, each saying why."""
    span = _span(deadline)
    if span is None:
        return ()
    first, last = span
    out: list[PassedDay] = []
    day = first
    while day <= last:
        if not calendar.is_working_day(day):
            out.append(PassedDay(day, True, calendar._describe_day_off(day)))
        elif deadline.duration.unit is DurationUnit.WORKING_DAYS and _weekly_rest(calendar, day):
            out.append(PassedDay(day, False, _working_rest_day(calendar, day)))
        day += _ONE
    return tuple(out)


def _weekly_rest(calendar: WorkingCalendar, day: _dt.date) -> bool:
    """Whether ``day`` is a weekly rest day of the calendar's week (a working day or not)."""
    t = calendar._table()
    return bool(t.weekend[day.toordinal() - t.base])


def _working_rest_day(calendar: WorkingCalendar, day: _dt.date) -> Message:
    """Why a weekly rest day is a working day: a local order (an overlay's reason), else a transfer."""
    explicit = calendar._table().explicit.get(day.toordinal())
    reason = explicit[1] if explicit is not None else None
    if explicit is not None and reason:
        reference = explicit[2]
        said = Term(f"{reason} ({reference})" if reference else reason)
        return Message(_("a {weekday} made a working day ({reason})"), weekday=Weekday(day), reason=said)
    return Message(_("a {weekday} made a working day by a transfer of days off"), weekday=Weekday(day))
