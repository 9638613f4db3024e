"""Fuzzy month windows ("mid November", "October to the beginning of November") as dates."""

from __future__ import annotations

import calendar as _cal
import datetime as dt

from civicflow.template import MonthPart, Window, WindowPart

__all__ = ["PART_DAYS", "month_year", "part_bounds", "resolve_window"]

PART_DAYS: dict[WindowPart, tuple[int, int | None]] = {
    WindowPart.ANY: (1, None),
    WindowPart.WEEK: (1, None),
    WindowPart.BEGINNING: (1, 10),
    WindowPart.MID: (11, 20),
    WindowPart.END: (21, None),
    WindowPart.FIRST_HALF: (1, 15),
    WindowPart.SECOND_HALF: (16, None),
}
"""The days of the month each part covers; ``None`` stands for the last day of the month."""


def month_year(month: int, year: int | None, after: dt.date) -> int:
    """The year of ``month``: ``year`` if given, else the first such month on or after ``after``'s month."""
    if year is not None:
        return year
    return after.year if month >= after.month else after.year + 1


def part_bounds(part: MonthPart, after: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of a part of a month, the month resolved against ``after``."""
    year = month_year(part.month, part.year, after)
    first, last = PART_DAYS[part.part]
    last_day = _cal.monthrange(year, part.month)[1]
    return dt.date(year, part.month, first), dt.date(year, part.month, last_day if last is None else last)


def resolve_window(window: Window, start: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of ``window`` for a process that starts on ``start``.

    A month without a year is the first such month on or after the process start's month; ``until`` is
    the first such month on or after the month where the window opens, and closes the window at the end
    of its part. Without ``month`` the window opens at the process start.

    >>> resolve_window(Window(type="window", month=11, part="mid"), dt.date(2025, 10, 6))
    (datetime.date(2025, 11, 11), datetime.date(2025, 11, 20))
    >>> resolve_window(Window(type="window", month=1), dt.date(2025, 10, 6))
    (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    """
    first = window.first
    if first is None:
        opens = start
        close = start
    else:
        opens, close = part_bounds(first, start)
    if window.until is not None:
        anchor = dt.date(opens.year, opens.month, 1)
        _, close = part_bounds(window.until, anchor)
    return opens, max(opens, close)
