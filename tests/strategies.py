"""Shared Hypothesis strategies and slow reference implementations for the calendar tests."""

from __future__ import annotations

import datetime as dt
import functools

import holidays
from hypothesis import strategies as st

from civicflow.calendar import WorkingCalendar
from civicflow.durations import Duration, DurationUnit

COUNTRIES = ("UA", "BG", "RU")

countries = st.sampled_from(COUNTRIES)
dates = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2055, 12, 31))
"""Dates well inside the default 1991..2060 calendar range, so 60 working days either way fit."""
recent_dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
offsets = st.integers(min_value=-60, max_value=60)
positive_offsets = st.integers(min_value=1, max_value=60)
units = st.sampled_from(list(DurationUnit))


@st.composite
def durations(draw: st.DrawFn, max_amount: int = 400) -> Duration:
    """Any duration up to ``max_amount`` units (fewer for quarters, half-years and years), including half a
    month, "N and a half months" and months or years followed by days (``P1M10D``)."""
    unit = draw(units)
    amount = draw(st.integers(min_value=0, max_value=max_amount))
    half = unit is DurationUnit.MONTHS and draw(st.booleans())
    plus = 0
    if not half and unit in (DurationUnit.MONTHS, DurationUnit.QUARTERS, DurationUnit.YEARS):
        plus = draw(st.sampled_from((0, 0, 1, 10)))
    # longer units stay within about as much time as ``max_amount`` months
    per = {DurationUnit.QUARTERS: 4, DurationUnit.HALF_YEARS: 8, DurationUnit.YEARS: 16}.get(unit, 1)
    amount = min(amount, max(max_amount // per, 1))
    return Duration(amount, unit, half_month=half, plus_days=plus)


@functools.cache
def calendar_for(country: str) -> WorkingCalendar:
    """One built calendar per country, shared by the tests (calendars are immutable)."""
    return WorkingCalendar(country)


@functools.cache
def holidays_for(country: str) -> holidays.HolidayBase:
    """The `holidays` object the differential tests compare against."""
    return holidays.country_holidays(country, years=range(1991, 2061))


def slow_add_working_days(cal: WorkingCalendar, d: dt.date, n: int) -> dt.date:
    """Reference: walk day by day, counting working days, the event day never counted."""
    step = dt.timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        d += step
        if cal.is_working_day(d):
            left -= 1
    return d


def slow_working_days_between(cal: WorkingCalendar, a: dt.date, b: dt.date) -> int:
    """Reference: count working days x with a < x <= b (negated when b < a) one day at a time."""
    lo, hi, sign = (a, b, 1) if a <= b else (b, a, -1)
    count = 0
    d = lo
    while d < hi:
        d += dt.timedelta(days=1)
        count += cal.is_working_day(d)
    return sign * count
