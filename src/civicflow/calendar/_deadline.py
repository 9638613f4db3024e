"""A computed legal deadline, the two readings of backward periods, and month arithmetic."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from civicflow.durations import Duration
from civicflow.errors import CalendarRangeError


class Reading(StrEnum):
    """How "no later than N days before Y" is read (legal-periods.md section 4).

    ``COUNT_BACK`` (reading A): count back N days starting the day before Y; the Nth is the last day.
    ``CLEAR_DAYS`` (reading B): N whole days lie strictly between the act and Y; one day earlier than A.
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

    def explain(self) -> str:
        """One sentence chain, e.g. ``3 working days after Thu 2024-10-10 (event day not counted) -> Tue
        2024-10-15``."""
        if self.direction == "after":
            head = f"{self.duration} after {format_day(self.event)} (event day not counted)"
        else:
            assert self.reading is not None
            if self.reading is Reading.COUNT_BACK:
                how = "reading A: counted back from the day before"
            else:
                how = "reading B: whole days strictly between the act and"
            head = f"{self.duration} before {format_day(self.event)} ({how} the event)"
        text = f"{head} -> {format_day(self.raw)}"
        if self.rolled and self.roll_reason:
            text += f", {self.roll_reason}"
        tail = [part for part in (self.rule, self.reference) if part]
        if tail:
            text += f" [{'; '.join(tail)}]"
        return text
