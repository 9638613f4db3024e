"""The calendar's private day-only period helpers used by the planner agree with the public methods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from civicflow.calendar import Overlay, Reading, WorkingCalendar
from civicflow.durations import Duration, DurationUnit

D = dt.date

DURATIONS = [
    Duration(n, unit, half)
    for unit in DurationUnit
    for n in (0, 1, 3, 10)
    for half in (False, True)
    if not half or unit is DurationUnit.MONTHS
]


def _outcome(fn: Callable[..., dt.date], *args: object, **kwargs: object) -> object:
    """The day, or the error's type and text (which must be the same too)."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        return (type(exc), str(exc))


def _after(cal: WorkingCalendar, day: dt.date, dur: Duration) -> dt.date:
    return cal.period_after(day, dur).date


def _before(cal: WorkingCalendar, day: dt.date, dur: Duration, reading: Reading) -> dt.date:
    advised = cal.period_before(day, dur, reading=reading).advised
    assert advised is not None
    return advised


def _days(first: dt.date, count: int) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range(count)]


CALENDARS = {
    "UA": WorkingCalendar("UA"),
    "BG overlays": WorkingCalendar(
        "BG",
        overlays=[
            Overlay(days_off={D(2025, 3, 3): "closed"}, working_days={D(2025, 3, 8): "open"}),
            Overlay(weekend=frozenset({4, 5}), valid_from=D(2025, 6, 1), valid_to=D(2025, 6, 30)),
        ],
    ),
    "UA 2025 only": WorkingCalendar("UA", first_year=2025, last_year=2025),
    "BE EU rules": WorkingCalendar("BE", rules="EU"),
    "RU GPK": WorkingCalendar("RU", counted_under="RU-GPK"),
    "UA martial law until 2025-04-01": WorkingCalendar("UA", martial_law_until=D(2025, 4, 1)),
}


@pytest.mark.parametrize("name", list(CALENDARS))
def test_after_day_equals_period_after(name: str) -> None:
    """``_after_day`` gives ``period_after(...).date``, or the same error, for every day and duration."""
    cal = CALENDARS[name]
    days = _days(D(2024, 12, 1), 30) + _days(D(2025, 2, 20), 140) + _days(D(2025, 12, 1), 31)
    for day in days:
        for dur in DURATIONS:
            expected = _outcome(_after, cal, day, dur)
            assert _outcome(cal._after_day, day, dur) == expected, (day, dur)


@pytest.mark.parametrize("name", list(CALENDARS))
def test_before_day_equals_period_before(name: str) -> None:
    """``_before_day`` gives ``period_before(...).advised`` (the planner proposes working days), or the same
    error, for both readings."""
    cal = CALENDARS[name]
    days = _days(D(2025, 1, 1), 40) + _days(D(2025, 2, 20), 140) + _days(D(2026, 1, 1), 5)
    for day in days:
        for dur in DURATIONS:
            for reading in Reading:
                expected = _outcome(_before, cal, day, dur, reading)
                assert _outcome(cal._before_day, day, dur, reading) == expected, (day, dur, reading)
