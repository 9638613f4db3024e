"""Legal periods forwards and backwards: the worked examples of legal-periods.md and their properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

from civicflow.calendar import Deadline, Reading, WorkingCalendar, add_months
from civicflow.durations import Duration, DurationUnit
from strategies import calendar_for, countries, dates, durations

D = dt.date
WD = DurationUnit.WORKING_DAYS


def after(country: str, event: dt.date, text: str) -> Deadline:
    return calendar_for(country).period_after(event, Duration.parse(text))


@pytest.mark.parametrize(
    ("country", "event", "period", "raw", "final"),
    [
        ("UA", D(2024, 10, 10), "3 working days", D(2024, 10, 15), D(2024, 10, 15)),
        ("UA", D(2024, 12, 20), "5 working days", D(2024, 12, 27), D(2024, 12, 27)),
        ("UA", D(2025, 5, 1), "10 days", D(2025, 5, 11), D(2025, 5, 12)),
        ("BG", D(2025, 12, 29), "3 working days", D(2026, 1, 6), D(2026, 1, 6)),
        ("RU", D(2025, 4, 30), "10 days", D(2025, 5, 10), D(2025, 5, 12)),
    ],
    ids=["UA-3wd", "UA-5wd-martial-law", "UA-10-days-rolls", "BG-new-year", "RU-may-holidays"],
)
def test_worked_examples_forward(
    country: str, event: dt.date, period: str, raw: dt.date, final: dt.date
) -> None:
    """Every forward example of legal-periods.md section 5 gives the documented day."""
    deadline = after(country, event, period)
    assert (deadline.raw, deadline.date) == (raw, final)
    assert deadline.rolled is (raw != final)
    assert deadline.direction == "after"
    assert deadline.reading is None


@pytest.mark.parametrize(
    ("reading", "expected"),
    [(Reading.COUNT_BACK, D(2025, 3, 12)), (Reading.CLEAR_DAYS, D(2025, 3, 11))],
    ids=["A-count-back", "B-clear-days"],
)
def test_worked_example_backward(reading: Reading, expected: dt.date) -> None:
    """3 working days before 2025-03-17 Mon: Wed 12 under reading A, Tue 11 under reading B."""
    deadline = calendar_for("UA").period_before(D(2025, 3, 17), Duration(3, WD), reading=reading)
    assert deadline.date == expected
    assert deadline.reading is reading
    assert not deadline.rolled


def test_martial_law_does_not_roll_christmas() -> None:
    """Under martial law a period ending on 25 December ends there: the day is a working day."""
    deadline = after("UA", D(2024, 12, 15), "10 days")
    assert deadline.date == D(2024, 12, 25)
    assert not deadline.rolled


def test_explain_forward_examples() -> None:
    """explain() gives a readable chain with weekdays, the reason for a roll and its legal source."""
    assert after("UA", D(2024, 10, 10), "3 working days").explain() == (
        "3 working days after 2024-10-10 Thu (event day not counted: Civil Code of Ukraine art. 253) -> "
        "2024-10-15 Tue"
    )
    assert (
        after("UA", D(2025, 5, 1), "10 days")
        .explain()
        .startswith(
            "10 days after 2025-05-01 Thu (event day not counted: Civil Code of Ukraine arts. 253, 255) -> "
            "2025-05-11 Sun, a Sunday (weekly rest day), rolled forward to 2025-05-12 Mon (Civil Code of "
            "Ukraine art. 254(5))"
        )
    )
    assert "Civil Code of the Russian Federation art. 193" in after("RU", D(2025, 4, 30), "10 days").explain()
    assert "ZZD art. 72" in after("BG", D(2025, 12, 20), "5 days").explain()
    assert "a day off (Christmas Day)" in after("BG", D(2025, 12, 20), "5 days").explain()
    assert (
        "(the general rule)"
        in WorkingCalendar("PL").period_after(D(2025, 5, 1), Duration(2, "days")).explain()
    )


def test_explain_quotes_rule_and_reference() -> None:
    """The caller's rule id and legal reference appear in the explanation and on the deadline."""
    deadline = calendar_for("UA").period_after(
        D(2025, 5, 1), Duration(10, DurationUnit.DAYS), rule="discussion", reference="Law 711-IX art. 5"
    )
    assert deadline.rule == "discussion"
    assert deadline.reference == "Law 711-IX art. 5"
    assert deadline.explain().endswith("[discussion; Law 711-IX art. 5]")
    assert deadline.roll_reason is not None
    assert "254(5)" in deadline.roll_reason


def test_explain_backward_says_the_reading() -> None:
    """A backward deadline says which reading produced it and why it moved earlier."""
    ua = calendar_for("UA")
    a = ua.period_before(D(2025, 3, 17), Duration(8, DurationUnit.DAYS))
    assert a.raw == a.date == D(2025, 3, 9)
    assert a.advised == D(2025, 3, 7)
    assert "reading A" in a.explain()
    assert "the line is not moved" in a.explain()
    assert "advice: act by 2025-03-07 Fri" in a.explain()
    b = ua.period_before(D(2025, 3, 17), Duration(3, WD), reading=Reading.CLEAR_DAYS)
    assert "reading B" in b.explain()


@pytest.mark.parametrize(
    ("event", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 9, 30), 3, D(2025, 12, 30)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 11, 15), 2, D(2026, 1, 15)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
    ],
    ids=str,
)
def test_month_arithmetic_is_anchored_on_the_day_number(
    event: dt.date, months: int, expected: dt.date
) -> None:
    """Months keep the event's day number, or take the last day of a shorter month; never sticky ends."""
    assert add_months(event, months) == expected


def test_month_period_rolls_forward() -> None:
    """A month period ending on a weekend rolls forward: 2025-01-31 + 1 month = 2025-02-28 Fri, no roll;
    2025-04-30 + 1 month = Fri 30 May; 2025-07-31 + 1 month = Sun 31 Aug -> Mon 1 Sep."""
    assert after("UA", D(2025, 1, 31), "1 month").date == D(2025, 2, 28)
    deadline = after("UA", D(2025, 7, 31), "1 month")
    assert (deadline.raw, deadline.date) == (D(2025, 8, 31), D(2025, 9, 1))


def test_half_a_month_is_fifteen_days() -> None:
    """Half a month counts as 15 days; 1.5 months is one month and then 15 days."""
    assert after("UA", D(2025, 3, 3), "half a month").raw == D(2025, 3, 18)
    assert after("UA", D(2025, 1, 31), "1 and a half months").raw == D(2025, 3, 15)


def test_weeks_are_seven_days() -> None:
    """A period in weeks ends on the same weekday."""
    assert after("UA", D(2025, 3, 3), "2 weeks").raw == D(2025, 3, 17)


def test_backward_calendar_days_both_readings() -> None:
    """Calendar days back: reading A lands on Y - N, reading B one day earlier; months backwards likewise."""
    ua = calendar_for("UA")
    y = D(2025, 3, 20)  # Thursday
    assert ua.period_before(y, Duration(2, DurationUnit.DAYS)).date == D(2025, 3, 18)
    assert ua.period_before(y, Duration(2, DurationUnit.DAYS), reading=Reading.CLEAR_DAYS).date == D(
        2025, 3, 17
    )
    assert ua.period_before(D(2025, 3, 31), Duration(1, DurationUnit.MONTHS)).raw == D(2025, 2, 28)


def test_zero_periods() -> None:
    """Zero days after an event ends on it (rolled if a day off); zero working days before is Y."""
    assert after("UA", D(2025, 5, 10), "0 days").date == D(2025, 5, 12)
    assert after("UA", D(2025, 5, 12), "0 working days").date == D(2025, 5, 12)
    assert calendar_for("UA").period_before(D(2025, 5, 13), Duration(0, WD)).date == D(2025, 5, 13)


def test_period_accepts_text() -> None:
    """A duration may be given as text."""
    assert calendar_for("UA").period_after(D(2024, 10, 10), "3 робочі дні").date == D(2024, 10, 15)


@given(countries, dates, durations(max_amount=48))
def test_forward_deadline_is_a_working_day_not_before_raw(
    country: str, event: dt.date, duration: Duration
) -> None:
    """A forward deadline is a working day on or after its raw last day, and never before the event."""
    cal = calendar_for(country)
    deadline = cal.period_after(event, duration)
    if duration.unit is DurationUnit.HOURS:  # never rolled (UA CC art. 252(1); Reg. 1182/71 art. 3(4))
        assert deadline.date == deadline.raw
        assert not deadline.rolled
        return
    assert cal.is_working_day(deadline.date)
    assert event <= deadline.raw <= deadline.date
    assert deadline.rolled == (deadline.raw != deadline.date)
    if deadline.rolled:
        assert cal.working_days_between(deadline.raw, deadline.date) == 1


@given(countries, dates, durations(max_amount=48))
def test_backward_deadline_is_a_working_day_and_b_not_later_than_a(
    country: str, event: dt.date, duration: Duration
) -> None:
    """A backward deadline is the counted day itself, never moved (no code moves a backward period; Reg.
    1182/71 art. 3(4)); the advised day is the working day on or before it; reading B is the day before A."""
    cal = calendar_for(country)
    a = cal.period_before(event, duration, reading=Reading.COUNT_BACK)
    b = cal.period_before(event, duration, reading=Reading.CLEAR_DAYS)
    for deadline in (a, b):
        assert deadline.date == deadline.raw
        assert not deadline.rolled
        assert deadline.advised is not None
        assert cal.is_working_day(deadline.advised)
        assert deadline.advised <= deadline.raw <= event
        assert cal.working_days_between(deadline.advised, deadline.raw) == 0
    assert b.date == a.date - dt.timedelta(days=1)


@given(countries, dates, durations(max_amount=48))
def test_working_day_periods_need_no_roll(country: str, event: dt.date, duration: Duration) -> None:
    """A positive number of working days lands on a working day by construction, both directions."""
    if duration.unit is not WD or duration.amount == 0:
        return
    cal = calendar_for(country)
    assert not cal.period_after(event, duration).rolled
    assert not cal.period_before(event, duration).rolled
