"""The working-day calendar: which days work, and constant-time working-day arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicflow.calendar import Overlay, OverlayError, WorkingCalendar
from civicflow.errors import CalendarRangeError, UnknownJurisdictionError
from strategies import (
    calendar_for,
    countries,
    dates,
    holidays_for,
    offsets,
    positive_offsets,
    recent_dates,
    slow_add_working_days,
    slow_working_days_between,
)

D = dt.date


# --- which days are working days -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "day", "working"),
    [
        ("UA", D(2021, 10, 15), False),  # Fri, transferred day off
        ("UA", D(2021, 10, 23), True),  # Sat, transferred working day
        ("UA", D(2024, 12, 25), True),  # martial law: no public holidays from 2023
        ("UA", D(2021, 12, 25), False),  # Sat
        ("BG", D(2016, 3, 12), True),  # Sat, working by Council of Ministers decision
        ("BG", D(2025, 12, 31), False),  # one-off day off
        ("BG", D(2026, 1, 2), False),  # one-off day off
        ("BG", D(2025, 11, 3), True),  # 1 November is for schools only
        ("RU", D(2025, 11, 1), True),  # Sat, working by decree 1335
        ("RU", D(2025, 11, 3), False),  # Mon, day off by decree 1335
        ("RU", D(2025, 5, 9), False),  # Victory Day
    ],
    ids=lambda v: v.isoformat() if isinstance(v, D) else str(v),
)
def test_known_working_days_and_days_off(country: str, day: dt.date, working: bool) -> None:
    """The calendar reproduces transfers, martial-law rules and one-off days off from the data."""
    assert calendar_for(country).is_working_day(day) is working


def test_day_off_reasons() -> None:
    """A day off says why; a working day has no reason."""
    ua = calendar_for("UA")
    assert ua.day_off_reason(D(2025, 5, 11)) == "Sunday (weekly rest day)"
    assert ua.day_off_reason(D(2025, 5, 12)) is None
    assert "substituted" in (ua.day_off_reason(D(2021, 10, 15)) or "")
    assert calendar_for("BG").day_off_reason(D(2025, 12, 25)) == "Christmas Day"
    assert calendar_for("RU").day_off_reason(D(2025, 5, 10)) == "Saturday (weekly rest day)"


@settings(max_examples=300)
@given(countries, recent_dates)
def test_is_working_day_agrees_with_holidays(country: str, day: dt.date) -> None:
    """Differential: every day is working exactly when `holidays` says so."""
    assert calendar_for(country).is_working_day(day) == holidays_for(country).is_working_day(day)


# --- arithmetic -------------------------------------------------------------------------------------


@settings(max_examples=300)
@given(countries, recent_dates, offsets.filter(bool))
def test_add_working_days_agrees_with_holidays(country: str, day: dt.date, n: int) -> None:
    """Differential: add_working_days matches holidays' get_nth_working_day for n != 0, both directions."""
    assert calendar_for(country).add_working_days(day, n) == holidays_for(country).get_nth_working_day(day, n)


@given(countries, dates, offsets)
def test_add_working_days_agrees_with_reference(country: str, day: dt.date, n: int) -> None:
    """add_working_days agrees with a slow day-by-day walk."""
    cal = calendar_for(country)
    assert cal.add_working_days(day, n) == slow_add_working_days(cal, day, n)


@given(countries, dates, offsets.filter(bool))
def test_result_is_a_working_day_on_the_right_side(country: str, day: dt.date, n: int) -> None:
    """For n != 0 the result is a working day, strictly after (n > 0) or before (n < 0) the start."""
    cal = calendar_for(country)
    result = cal.add_working_days(day, n)
    assert cal.is_working_day(result)
    assert (result > day) if n > 0 else (result < day)


@given(countries, dates, offsets, offsets)
def test_monotone_in_n(country: str, day: dt.date, m: int, n: int) -> None:
    """A larger n never gives an earlier date; distinct non-zero n give distinct dates."""
    cal = calendar_for(country)
    lo, hi = sorted((m, n))
    assert cal.add_working_days(day, lo) <= cal.add_working_days(day, hi)
    if lo != hi and lo != 0 and hi != 0:
        assert cal.add_working_days(day, lo) < cal.add_working_days(day, hi)


@given(countries, dates, offsets)
def test_between_inverts_add(country: str, day: dt.date, n: int) -> None:
    """working_days_between(d, add_working_days(d, n)) == n for n >= 0, and for n < 0 from a working day.

    Counting back from a day off, the interval (result, d] holds one working day fewer than |n|, because
    ``working_days_between`` counts ``a < x <= b`` and d is not one.
    """
    cal = calendar_for(country)
    between = cal.working_days_between(day, cal.add_working_days(day, n))
    if n >= 0 or cal.is_working_day(day):
        assert between == n
    else:
        assert between == n + 1


@given(countries, dates, st.integers(min_value=-120, max_value=120))
def test_between_agrees_with_reference_and_is_antisymmetric(country: str, a: dt.date, span: int) -> None:
    """working_days_between counts a < x <= b like a slow count, and swaps sign when swapped."""
    cal = calendar_for(country)
    b = a + dt.timedelta(days=span)
    assert cal.working_days_between(a, b) == slow_working_days_between(cal, a, b)
    assert cal.working_days_between(b, a) == -cal.working_days_between(a, b)


@given(countries, dates, positive_offsets)
def test_add_inverts_between_on_working_days(country: str, day: dt.date, n: int) -> None:
    """From a working day, counting the working days to the n-th one and adding them back is the identity."""
    cal = calendar_for(country)
    start = cal.roll_forward(day)
    target = cal.add_working_days(start, n)
    assert cal.add_working_days(start, cal.working_days_between(start, target)) == target
    assert cal.add_working_days(target, -n) == start


@given(countries, dates)
def test_next_previous_and_rolls(country: str, day: dt.date) -> None:
    """next/previous are strictly after/before; rolls keep a working day, else move to the next one."""
    cal = calendar_for(country)
    nxt, prev = cal.next_working_day(day), cal.previous_working_day(day)
    assert prev < day < nxt
    assert cal.working_days_between(prev, nxt) == 1 + cal.is_working_day(day)
    if cal.is_working_day(day):
        assert cal.roll_forward(day) == day == cal.roll_backward(day)
    else:
        assert cal.roll_forward(day) == nxt
        assert cal.roll_backward(day) == prev


def test_zero_returns_the_day_itself() -> None:
    """n = 0 returns the given day, even when it is a day off (documented choice)."""
    ua = calendar_for("UA")
    assert ua.add_working_days(D(2025, 5, 11), 0) == D(2025, 5, 11)
    assert ua.add_working_days(D(2025, 5, 12), 0) == D(2025, 5, 12)


def test_turn_of_year_and_leap_day() -> None:
    """Counting crosses the turn of the year and 29 February like any other days."""
    ua = calendar_for("UA")
    assert ua.add_working_days(D(2024, 12, 31), 1) == D(2025, 1, 1)  # martial law: 1 Jan works
    assert ua.add_working_days(D(2024, 2, 28), 1) == D(2024, 2, 29)
    assert ua.working_days_between(D(2024, 2, 28), D(2024, 3, 1)) == 2
    assert calendar_for("RU").add_working_days(D(2024, 12, 28), 1) == D(2025, 1, 9)  # New Year holidays


def test_working_days_lists_the_range() -> None:
    """working_days lists the working days of a closed range."""
    ua = calendar_for("UA")
    assert ua.working_days(D(2025, 5, 9), D(2025, 5, 13)) == [D(2025, 5, 9), D(2025, 5, 12), D(2025, 5, 13)]


# --- time zones -------------------------------------------------------------------------------------


def test_local_date_uses_the_calendar_time_zone() -> None:
    """An aware timestamp is judged by its local date: 23:30 UTC on 14 October is 15 October in Kyiv."""
    ua = calendar_for("UA")
    assert ua.timezone == "Europe/Kyiv"
    stamp = dt.datetime(2025, 10, 14, 23, 30, tzinfo=dt.UTC)
    assert ua.local_date(stamp) == D(2025, 10, 15)
    assert WorkingCalendar("UA", timezone="UTC").local_date(stamp) == D(2025, 10, 14)


def test_local_date_naive_and_date() -> None:
    """A naive datetime is local wall time; a date is itself."""
    ua = calendar_for("UA")
    assert ua.local_date(dt.datetime(2025, 10, 14, 23, 30)) == D(2025, 10, 14)
    assert ua.local_date(D(2025, 10, 14)) == D(2025, 10, 14)
    assert type(ua.local_date(dt.datetime(2025, 10, 14, 1, tzinfo=dt.UTC))) is dt.date


@pytest.mark.parametrize(
    ("country", "zone"),
    [("UA", "Europe/Kyiv"), ("BG", "Europe/Sofia"), ("RU", "Europe/Moscow"), ("JP", "UTC")],
)
def test_default_time_zones(country: str, zone: str) -> None:
    """Each country has a default zone; countries without one fall back to UTC."""
    assert WorkingCalendar(country).timezone == zone


def test_unknown_time_zone() -> None:
    """An unknown time zone name is refused with UnknownJurisdictionError."""
    with pytest.raises(UnknownJurisdictionError, match="Mars/Base"):
        WorkingCalendar("UA", timezone="Mars/Base")


# --- overlays ---------------------------------------------------------------------------------------


def test_overlay_days_off_and_working_days_with_reasons() -> None:
    """An overlay adds a day off and a working day, and explains the day off with its reference."""
    ua = calendar_for("UA")
    local = Overlay(
        days_off={D(2025, 9, 12): "City Day"},
        working_days={D(2025, 9, 13): "make-up Saturday"},
        reference="council decision 12/3",
    )
    cal = ua.with_overlays(local)
    assert not cal.is_working_day(D(2025, 9, 12))
    assert cal.is_working_day(D(2025, 9, 13))
    assert cal.day_off_reason(D(2025, 9, 12)) == "City Day (council decision 12/3)"
    assert ua.is_working_day(D(2025, 9, 12))  # the original is unchanged
    assert cal.add_working_days(D(2025, 9, 11), 1) == D(2025, 9, 13)
    assert cal != ua
    assert cal.overlays == (local,)


def test_overlay_validity_range_limits_it() -> None:
    """An overlay outside its validity range has no effect."""
    off_every_monday_in_may = Overlay(
        weekend=frozenset({0, 5, 6}), valid_from=D(2025, 5, 1), valid_to=D(2025, 5, 31)
    )
    cal = calendar_for("UA").with_overlays(off_every_monday_in_may)
    assert not cal.is_working_day(D(2025, 5, 5))
    assert not cal.is_working_day(D(2025, 5, 26))
    assert cal.is_working_day(D(2025, 4, 28))
    assert cal.is_working_day(D(2025, 6, 2))
    assert cal.day_off_reason(D(2025, 5, 5)) == "Monday (weekly rest day)"
    dated = Overlay(days_off=[D(2025, 7, 1), D(2026, 7, 1)], valid_to=D(2025, 12, 31))
    cal2 = calendar_for("UA").with_overlays(dated)
    assert not cal2.is_working_day(D(2025, 7, 1))
    assert cal2.is_working_day(D(2026, 7, 1))
    assert cal2.day_off_reason(D(2025, 7, 1)) == "day off"


def test_another_weekend_pattern() -> None:
    """A Friday-Saturday weekend makes Sunday a working day and Friday a rest day."""
    cal = WorkingCalendar("UA", overlays=[Overlay(weekend=frozenset({4, 5}))])
    assert cal.is_working_day(D(2025, 5, 11))  # Sunday
    assert not cal.is_working_day(D(2025, 5, 9))  # Friday
    assert cal.add_working_days(D(2025, 5, 8), 1) == D(2025, 5, 11)


def test_later_overlays_win() -> None:
    """Overlays apply in order: a later one overrides an earlier one on the same day."""
    first = Overlay(days_off={D(2025, 3, 3): "closed"})
    second = Overlay(working_days={D(2025, 3, 3): "reopened"})
    assert WorkingCalendar("UA", overlays=[first, second]).is_working_day(D(2025, 3, 3))
    assert not WorkingCalendar("UA", overlays=[second, first]).is_working_day(D(2025, 3, 3))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"days_off": {D(2025, 1, 2): None}, "working_days": {D(2025, 1, 2): None}},
        {"weekend": frozenset({7})},
        {"valid_from": D(2025, 2, 1), "valid_to": D(2025, 1, 1)},
        {"days_off": {dt.datetime(2025, 1, 2): None}},
    ],
    ids=["both-off-and-working", "bad-weekday", "reversed-range", "datetime-key"],
)
def test_bad_overlays_are_refused(kwargs: dict[str, object]) -> None:
    """An overlay that contradicts itself raises OverlayError (a ValueError)."""
    with pytest.raises(OverlayError):
        Overlay(**kwargs)  # type: ignore[arg-type]


def test_overlays_are_hashable_and_calendars_comparable() -> None:
    """Overlays and calendars hash and compare by value."""
    a = Overlay(days_off={D(2025, 1, 2): "x"})
    b = Overlay(days_off={D(2025, 1, 2): "x"})
    assert a == b
    assert hash(a) == hash(b)
    assert WorkingCalendar("UA", overlays=[a]) == WorkingCalendar("ua", overlays=[b])
    assert len({WorkingCalendar("UA"), WorkingCalendar("UA")}) == 1


# --- codes and range --------------------------------------------------------------------------------


def test_unknown_country_suggests_close_codes() -> None:
    """An unknown country code raises UnknownJurisdictionError naming it, with suggestions."""
    with pytest.raises(UnknownJurisdictionError, match="'UX'") as info:
        WorkingCalendar("UX")
    assert "UA" in info.value.suggestions
    assert isinstance(info.value, LookupError)


def test_unknown_subdivision() -> None:
    """An unknown subdivision raises UnknownJurisdictionError; a known one is accepted in any case."""
    with pytest.raises(UnknownJurisdictionError, match="subdivision") as info:
        WorkingCalendar("US", "CX")
    assert "US-CA" in info.value.suggestions
    assert WorkingCalendar("US", "ca").subdivision == "CA"
    with pytest.raises(UnknownJurisdictionError):
        WorkingCalendar("UA", "KYV")


def test_known_countries_and_subdivisions_are_those_holidays_lists() -> None:
    """The codes a calendar accepts, read from the `holidays` registry one country at a time, are exactly
    the countries and subdivisions of ``holidays.list_supported_countries``."""
    import holidays

    from civicflow.calendar import subdivisions_of
    from civicflow.calendar._jurisdiction import _country_codes

    supported = holidays.list_supported_countries(include_aliases=False)
    assert list(_country_codes()) == list(supported)
    for code, subdivisions in supported.items():
        assert subdivisions_of(code.lower()) == subdivisions
    assert subdivisions_of("XX") == []


def test_lowercase_country_is_accepted() -> None:
    """Country codes are case-insensitive."""
    assert WorkingCalendar("bg").country == "BG"


def test_dates_outside_the_range_raise() -> None:
    """A date outside first_year..last_year, or a result beyond it, raises CalendarRangeError."""
    cal = WorkingCalendar("UA", first_year=2020, last_year=2021)
    with pytest.raises(CalendarRangeError, match="2019-12-31"):
        cal.is_working_day(D(2019, 12, 31))
    with pytest.raises(CalendarRangeError):
        cal.add_working_days(D(2021, 12, 30), 5)
    with pytest.raises(CalendarRangeError):
        cal.add_working_days(D(2020, 1, 3), -5)
    with pytest.raises(CalendarRangeError):
        cal.working_days_between(D(2020, 1, 3), D(2022, 1, 3))
    assert cal.add_working_days(D(2021, 12, 30), 1) == D(2021, 12, 31)
    with pytest.raises(CalendarRangeError):
        WorkingCalendar("UA", first_year=2030, last_year=2020)


def test_default_range() -> None:
    """By default a calendar covers 1991 to 2060."""
    ua = calendar_for("UA")
    assert (ua.first_year, ua.last_year) == (1991, 2060)
    assert ua.is_working_day(D(1991, 1, 2))
    assert not ua.is_working_day(D(2060, 12, 31)) or ua.is_working_day(D(2060, 12, 31))
    with pytest.raises(CalendarRangeError):
        ua.is_working_day(D(2061, 1, 1))


def test_out_of_range_messages_give_the_years_and_advice_for_both_worlds() -> None:
    """Out-of-range errors give the covered years, say dates outside are unsupported and name the API."""
    cal = WorkingCalendar("UA", first_year=2020, last_year=2021)
    with pytest.raises(CalendarRangeError) as info:
        cal.is_working_day(D(2019, 12, 31))
    assert str(info.value) == (
        "2019-12-31 is outside the years the UA calendar covers (2020..2021); dates outside are not "
        "supported (API: WorkingCalendar(first_year=..., last_year=...) covers more years)"
    )
    for call in (
        lambda: cal.add_working_days(D(2021, 12, 30), 5),
        lambda: cal.add_working_days(D(2020, 1, 3), -5),
    ):
        with pytest.raises(CalendarRangeError) as info:
            call()
        assert "the UA calendar covers 2020..2021, dates outside are not supported (API: " in str(info.value)
        assert "build it with" not in str(info.value)


def test_day_names_do_not_follow_the_process_locale() -> None:
    """Explanations keep English weekday names even if the embedding application changes LC_TIME.

    A date whose ``strftime`` answers like a Ukrainian locale stands in for ``setlocale`` (this machine
    may have no other locale installed): the names must not come from ``strftime``.
    """
    from civicflow.calendar import weekday_abbr
    from civicflow.i18n import format_day

    class LocalisedDate(dt.date):
        def strftime(self, fmt: str) -> str:
            return fmt.replace("%a", "Пн").replace("%A", "понеділок")

    day = LocalisedDate(2025, 3, 17)
    assert weekday_abbr(day) == "Mon"
    assert format_day(day) == "2025-03-17 Mon"
