"""A computed legal deadline, the two readings of backward periods, and month arithmetic."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from civicflow.durations import Duration, DurationUnit
from civicflow.errors import CalendarRangeError


class Reading(StrEnum):
    """How "no later than N days before Y" is read (docs/calendar.md, "Backward periods").

    ``COUNT_BACK`` (reading A): count back N (working) days starting the day before Y; the Nth is the last
    day. ``CLEAR_DAYS`` (reading B): N whole (working) days lie strictly between the act and Y; the day
    before A's. Neither line is moved off a day off (Reg. 1182/71 art. 3(4), second sentence; no code of
    UA, BG or RU moves it).
    """

    COUNT_BACK = "count_back"
    CLEAR_DAYS = "clear_days"


def add_months(d: _dt.date, months: int) -> _dt.date:
    """``d`` moved by whole months, keeping its day number or taking the last day of a shorter month.

    >>> add_months(_dt.date(2025, 1, 31), 1)
    datetime.date(2025, 2, 28)
    >>> add_months(_dt.date(2024, 3, 31), -1)
    datetime.date(2024, 2, 29)
    """
    year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    month = month0 + 1
    if not 1 <= year <= 9999:
        raise CalendarRangeError(f"{d.isoformat()} moved by {months} months leaves the supported years")
    following = _dt.date(year + 1, 1, 1) if month == 12 else _dt.date(year, month + 1, 1)
    last_day = (following - _dt.timedelta(days=1)).day
    return _dt.date(year, month, min(d.day, last_day))


def shift_calendar(d: _dt.date, duration: Duration, sign: int = 1) -> _dt.date:
    """``d`` moved by a period in calendar time, without any roll (not for working days).

    Months, quarters, half-years and years go by :func:`add_months` (a year ends on the same month and day,
    29 February on 28 February; Civil Code of Ukraine art. 254(1)-(3), Civil Code of the RF art. 192), then
    any extra days (half a month, ``P1M10D``). Days and weeks are calendar days. Hours, counted from a day
    rather than a moment, run from the end of that day: ``ceil(hours / 24)`` days.
    """
    months = duration.months
    if months is not None:
        out = add_months(d, sign * months)
        extra = duration.extra_days
        return out + _dt.timedelta(days=sign * extra) if extra else out
    if duration.unit is DurationUnit.HOURS:
        return d + _dt.timedelta(days=sign * -(-duration.amount // 24))
    if duration.unit is DurationUnit.WORKING_DAYS:
        raise ValueError("working days need a calendar: use WorkingCalendar.add_working_days")
    return d + _dt.timedelta(days=sign * (duration.days_equivalent or 0))


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""English weekday names, fixed: output never depends on the process locale (``strftime`` would)."""

MONTH_ABBRS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""English month abbreviations, fixed like :data:`WEEKDAY_NAMES`."""


def weekday_abbr(d: _dt.date) -> str:
    """``Mon`` ... ``Sun`` for ``d``, whatever the process locale."""
    return WEEKDAY_NAMES[d.weekday()][:3]


def format_day(d: _dt.date) -> str:
    """``Mon 2025-03-03``: a day as explanations show it."""
    return f"{weekday_abbr(d)} {d.isoformat()}"


@dataclass(frozen=True)
class Deadline:
    """A computed legal deadline and how it was reached.

    ``raw`` is the last day of the period before any roll; ``date`` is the deadline itself (the last day
    on which the act may happen). ``roll_reason`` says why ``raw`` was moved, with its legal source.
    ``reading`` is set for backward periods only; ``rule`` and ``reference`` are the caller's rule id and
    legal reference, quoted by :meth:`explain`.

    For a backward period ``date`` is the legal line as the law counts it (never moved: no code of UA, BG
    or RU moves it, and Reg. 1182/71 art. 3(4) second sentence excludes it), and ``advised`` is the
    working day on or before it, the day to act by to be safe; for a forward period ``advised`` is
    ``date``. ``notes`` are further steps of the computation with their sources (a procedural code's
    working days, Reg. 1182/71 art. 3(5), the martial-law assumption, a minimum that is not rolled).
    ``moment`` is the end of a period in hours counted from a date-time (the deadline's local time).
    ``source`` is the article that says how the period is counted (event day not counted, months, years).
    """

    event: _dt.date
    duration: Duration
    direction: Literal["after", "before"]
    raw: _dt.date
    date: _dt.date
    rolled: bool
    roll_reason: str | None
    reading: Reading | None = None
    rule: str | None = None
    reference: str | None = None
    advised: _dt.date | None = None
    notes: tuple[str, ...] = ()
    moment: _dt.datetime | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        if self.advised is None:
            object.__setattr__(self, "advised", self.date)

    def explain(self) -> str:
        """One sentence chain, e.g. ``3 working days after Thu 2024-10-10 (event day not counted) -> Tue
        2024-10-15``."""
        cite = f": {self.source}" if self.source else ""
        if self.direction == "after" and self.duration.unit is DurationUnit.HOURS:
            head = f"{self.duration} after the event on {format_day(self.event)} (counted in hours{cite})"
        elif self.direction == "after":
            head = f"{self.duration} after {format_day(self.event)} (event day not counted{cite})"
        else:
            assert self.reading is not None
            if self.reading is Reading.COUNT_BACK:
                how = "reading A: counted back from the day before"
            else:
                how = "reading B: whole days strictly between the act and"
            head = f"{self.duration} before {format_day(self.event)} ({how} the event{cite})"
        text = f"{head} -> {format_day(self.raw)}"
        if self.moment is not None:
            text += f" {self.moment.strftime('%H:%M')}"
        if self.rolled and self.roll_reason:
            text += f", {self.roll_reason}"
        for note in self.notes:
            text += f"; {note}"
        tail = [part for part in (self.rule, self.reference) if part]
        if tail:
            text += f" [{'; '.join(tail)}]"
        return text
