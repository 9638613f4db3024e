"""Public functions that take days refuse anything but a date (text such as "2025-10-06", a number)
with a DayTypeError (a TypeError and a CivicflowError) naming the argument and what to write, instead of
an AttributeError from deep inside, or a silently wrong answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from civicflow import ProcessInstance, load_template, plan
from civicflow.calendar import WorkingCalendar
from civicflow.compliance import check, heat_map, outlook, status
from civicflow.errors import CivicflowError, DayTypeError

TEMPLATE = load_template("drohobych_kir")
START = dt.date(2025, 10, 6)
UA = WorkingCalendar("UA")


def _instance() -> ProcessInstance:
    return ProcessInstance(TEMPLATE, start=START)


CASES: list[tuple[str, Callable[[], Any], str, str]] = [
    ("plan start", lambda: plan(TEMPLATE, start="2025-10-06"), "start=", "datetime.date(2025, 10, 6)"),
    (
        "plan fixed",
        lambda: plan(TEMPLATE, start=START, fixed={"meeting_3": "04.12.2025"}),
        "fixed['meeting_3']",
        "datetime.date(2025, 12, 4)",
    ),
    (
        "period_after",
        lambda: UA.period_after("2025-10-10", "3 working days"),
        "event of WorkingCalendar.period_after",
        "datetime.date(2025, 10, 10)",
    ),
    (
        "period_before",
        lambda: UA.period_before("2025-10-10", "3 working days"),
        "event of WorkingCalendar.period_before",
        "datetime.date(2025, 10, 10)",
    ),
    (
        "add_working_days",
        lambda: UA.add_working_days("2025-10-10", 3),  # type: ignore[arg-type]
        "d of WorkingCalendar.add_working_days",
        "datetime.date(2025, 10, 10)",
    ),
    (
        "is_working_day",
        lambda: UA.is_working_day("2025-10-10"),  # type: ignore[arg-type]
        "d of WorkingCalendar.is_working_day",
        "datetime.date(2025, 10, 10)",
    ),
    (
        "working_days_between",
        lambda: UA.working_days_between(START, "2025-10-10"),  # type: ignore[arg-type]
        "b of WorkingCalendar.working_days_between",
        "datetime.date(2025, 10, 10)",
    ),
    (
        "instance start",
        lambda: ProcessInstance(TEMPLATE, start="2025-10-06"),  # type: ignore[arg-type]
        "start=",
        "datetime.date(2025, 10, 6)",
    ),
    ("instance check", lambda: _instance().check(as_of="2025-11-01"), "as_of=", "datetime.date(2025, 11, 1)"),
    ("instance allowed", lambda: _instance().allowed("2025-11-01"), "as_of=", "datetime.date(2025, 11, 1)"),
    ("check start", lambda: check(TEMPLATE, [], start="2025-10-06"), "start=", "datetime.date(2025, 10, 6)"),
    ("check as_of", lambda: check(TEMPLATE, [], start=START, as_of="2025-11-01"), "as_of=", "(2025, 11, 1)"),
    ("status as_of", lambda: status((TEMPLATE, [], START), as_of="2025-11-01"), "as_of=", "(2025, 11, 1)"),
    (
        "heat_map start",
        lambda: heat_map({"a": (TEMPLATE, [], "2025-10-06")}, START),
        "start=",
        "(2025, 10, 6)",
    ),
    ("outlook as_of", lambda: outlook({"a": (TEMPLATE, [], START)}, "2025-11-01"), "as_of=", "(2025, 11, 1)"),
]


@pytest.mark.parametrize(("what", "call", "argument", "written"), CASES, ids=[c[0] for c in CASES])
def test_a_day_given_as_text_is_refused_naming_the_argument(
    what: str, call: Callable[[], Any], argument: str, written: str
) -> None:
    with pytest.raises(DayTypeError) as info:
        call()
    error = info.value
    assert isinstance(error, TypeError)
    assert isinstance(error, CivicflowError)
    assert error.argument == argument
    assert str(error).startswith(f"{argument} must be a datetime.date")
    assert "not the text '" in str(error)
    assert written in str(error)


@pytest.mark.parametrize("value", [20251006, dt.datetime(2025, 10, 6, 9)])
def test_other_things_are_named_too(value: object) -> None:
    with pytest.raises(DayTypeError, match=r"^start= must be a datetime\.date, not "):
        plan(TEMPLATE, start=value)  # type: ignore[arg-type]


def test_none_is_still_the_default_start() -> None:
    with pytest.raises(CivicflowError, match="has no fixed start"):
        plan(TEMPLATE)


def test_dates_and_date_times_still_work() -> None:
    assert UA.add_working_days(dt.date(2025, 10, 10), 3) == dt.date(2025, 10, 15)
    moment = dt.datetime(2025, 10, 10, 23, 30, tzinfo=dt.UTC)  # already the 11th in Kyiv
    assert UA.period_after(moment, "3 working days").event == dt.date(2025, 10, 11)
    assert plan(TEMPLATE, start=START).start == START
    instance = _instance()
    instance.record("meeting_1", "complete", "2025-10-09")  # record's at= reads text, as documented
    assert instance.check(as_of=dt.datetime(2025, 11, 1, 12, tzinfo=dt.UTC)).as_of == dt.date(2025, 11, 1)
