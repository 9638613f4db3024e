"""The ``civicflow deadline`` subcommand."""

from __future__ import annotations

import datetime as dt
import json

import holidays
import pytest

from civicflow.cli import main


def test_worked_example_deadline(capsys: pytest.CaptureFixture[str]) -> None:
    """``civicflow deadline UA 2024-10-10 "3 working days"`` prints the deadline, weekday and explanation."""
    assert main(["deadline", "UA", "2024-10-10", "3 working days"]) == 0
    out = capsys.readouterr().out
    assert "2024-10-15 Tue" in out
    assert "3 working days after 2024-10-10 Thu (event day not counted: Civil Code of" in out
    assert "Ukraine art. 253) -> 2024-10-15 Tue" in out


def test_roll_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    """A calendar-day period ending on Sunday shows the roll and its legal source."""
    assert main(["deadline", "UA", "2025-05-01", "10 days"]) == 0
    out = capsys.readouterr().out
    assert "2025-05-12 Mon" in out
    assert "Civil Code of Ukraine art. 254(5)" in " ".join(out.split())  # wrapped to 80 columns


def test_before_with_clear_days_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    """--before --reading clear_days --format json gives reading B as JSON."""
    code = main(
        [
            "deadline",
            "UA",
            "2025-03-17",
            "3 робочі дні",
            "--before",
            "--reading",
            "clear_days",
            "--format",
            "json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["deadline"] == "2025-03-11"
    assert data["weekday"] == "Tuesday"
    assert data["reading"] == "clear_days"
    assert data["period_iso"] is None
    assert data["direction"] == "before"


def test_json_iso_period(capsys: pytest.CaptureFixture[str]) -> None:
    """A calendar period has its ISO 8601 form in JSON."""
    assert main(["deadline", "RU", "2025-04-30", "P10D", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["period_iso"], data["raw"], data["deadline"], data["rolled"]) == (
        "P10D",
        "2025-05-10",
        "2025-05-12",
        True,
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["deadline", "XX", "2024-10-10", "3 days"], "unknown country code 'XX'"),
        (["deadline", "UA", "2024-10-10", "three days"], "cannot read 'three days'"),
        (["deadline", "UA", "1900-01-01", "3 days"], "outside the years"),
        (["deadline", "US", "2024-10-10", "3 days", "--subdivision", "QQ"], "unknown subdivision"),
    ],
    ids=["country", "period", "range", "subdivision"],
)
def test_bad_input_exits_2_without_traceback(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad input gives exit code 2 and one message on stderr, never a traceback."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_bad_date_is_an_argparse_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed date (month first, with slashes: ambiguous) is rejected by argparse with exit code 2."""
    with pytest.raises(SystemExit) as info:
        main(["deadline", "UA", "10/14/2024", "3 days"])
    assert info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_a_dotted_date_is_the_iso_one(capsys: pytest.CaptureFixture[str]) -> None:
    """10.10.2024 is 2024-10-10, as people in Ukraine write it."""
    assert main(["deadline", "UA", "2024-10-10", "3 days"]) == 0
    iso = capsys.readouterr().out
    assert main(["deadline", "UA", "10.10.2024", "3 days"]) == 0
    assert capsys.readouterr().out == iso


def test_before_shows_the_legal_line_and_the_advised_day(capsys: pytest.CaptureFixture[str]) -> None:
    """10 days before 2025-03-25 Tue is Sat 03-15, the law's line (not moved: no code of UA moves a
    backward period); the working day before, Fri 03-14, is printed as advice only."""
    assert main(["deadline", "UA", "2025-03-25", "10 days", "--before"]) == 0
    out = capsys.readouterr().out
    assert "deadline: 2025-03-15 Sat" in out
    assert "advised:  2025-03-14 Fri" in out
    assert main(["deadline", "UA", "2025-03-25", "10 days", "--before", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["deadline"], data["advised"], data["rolled"]) == ("2025-03-15", "2025-03-14", False)


@pytest.mark.parametrize(
    ("argv", "expected", "cites"),
    [
        (
            ["BE", "2025-03-14", "2 days", "--rules", "EU"],
            "deadline: 2025-03-18 Tue",
            "Reg. 1182/71 art. 3(5)",
        ),
        (
            ["UA", "2026-08-21", "1 working day", "--martial-law-until", "2026-05-01"],
            "deadline: 2026-08-25 Tue",
            "Labour Code of Ukraine arts. 67(3), 73",
        ),
        (
            ["RU", "2025-04-30", "10 дней", "--counted-under", "RU-GPK"],
            "deadline: 2025-05-20 Tue",
            "Civil Procedure Code of the RF art. 107(3)",
        ),
        (["UA", "2025-03-25", "4 days", "--minimum"], "earliest: 2025-03-29 Sat", "not rolled"),
    ],
    ids=["eu-art-3-5", "ua-after-martial-law", "ru-gpk-working-days", "minimum-not-rolled"],
)
def test_rule_set_options(
    argv: list[str], expected: str, cites: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The calendar's rule sets from the command line give the API's dates, with their articles."""
    assert main(["deadline", *argv]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert expected in out
    assert cites in out


def test_rule_set_option_errors_name_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    """martial law outside UA, a code of another country, --minimum with --before: exit 2, named."""
    assert main(["deadline", "BG", "2025-03-25", "4 days", "--martial-law-until", "2026-01-01"]) == 2
    assert "argument --martial-law-until" in capsys.readouterr().err
    assert main(["deadline", "UA", "2025-03-25", "4 days", "--counted-under", "RU-GPK"]) == 2
    assert "argument --counted-under" in capsys.readouterr().err
    assert main(["deadline", "UA", "2025-03-25", "4 days", "--minimum", "--before"]) == 2
    assert "argument --minimum" in capsys.readouterr().err


# -- which days off a count skipped, and why ----------------------------------------------------------


def _oracle_days_off(country: str, first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """The days off from ``first`` to ``last`` as the `holidays` package gives them directly (holiday
    names in English; Saturdays and Sundays less the Saturdays a transfer made working), apart from the
    calendar under test."""
    data = holidays.country_holidays(country, years=range(first.year, last.year + 1), language="en_US")
    out: dict[dt.date, str] = {}
    day = first
    while day <= last:
        if day in data and day.weekday() < 5:
            out[day] = str(data.get(day))
        elif day.weekday() >= 5 and day not in data.weekend_workdays:
            out[day] = "weekly rest day"
        day += dt.timedelta(days=1)
    return out


@pytest.mark.parametrize(
    ("argv", "event", "deadline"),
    [
        (["BG", "2025-12-22", "5 working days"], "2025-12-22", "2026-01-06"),  # Christmas, 31.12, 02.01
        (["RU", "2025-10-31", "2 working days"], "2025-10-31", "2025-11-05"),  # Sat 1 Nov worked, Mon 3 off
        (["RU", "2025-12-29", "5 working days"], "2025-12-29", "2026-01-15"),  # the New Year holidays
        (["BE", "2025-04-30", "3 working days", "--rules", "EU"], "2025-04-30", "2025-05-06"),
    ],
)
def test_deadline_names_every_day_off_it_skipped(
    capsys: pytest.CaptureFixture[str], argv: list[str], event: str, deadline: str
) -> None:
    """Every country's explanation says which days a working-day count skipped and why (the holiday's
    name, a weekly rest day, a transferred day off), and which rest days it counted as worked: the same
    days as the `holidays` data read directly."""
    assert main(["deadline", *argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["deadline"] == deadline
    first = dt.date.fromisoformat(event) + dt.timedelta(days=1)
    expected = _oracle_days_off(argv[0], first, dt.date.fromisoformat(deadline))
    got = {dt.date.fromisoformat(d["date"]): d["reason"] for d in data["days_off"]}
    assert sorted(got) == sorted(expected)
    for day, why in expected.items():
        assert why in got[day], (day, why, got[day])
    worked = [dt.date.fromisoformat(d["date"]) for d in data["working_rest_days"]]
    span = [first + dt.timedelta(days=k) for k in range((dt.date.fromisoformat(deadline) - first).days + 1)]
    assert worked == [d for d in span if d.weekday() >= 5 and d not in expected]
    # the text says the same, day by day
    assert main(["deadline", *argv]) == 0
    out = capsys.readouterr().out
    for day, why in got.items():
        line = next(line for line in out.splitlines() if line.startswith(f"  {day.isoformat()} "))
        assert why.split(" (")[0] in line, line


def test_deadline_names_the_days_off_of_ukraine_in_peace_and_under_martial_law(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Under martial law (by default) Christmas is a working day and only the weekend is skipped; with
    martial law ended before it, Christmas is a day off the count skips, and says so."""
    assert main(["deadline", "UA", "2025-12-22", "5 working days", "--format", "json"]) == 0
    war = json.loads(capsys.readouterr().out)
    assert [d["date"] for d in war["days_off"]] == ["2025-12-27", "2025-12-28"]
    assert "Christmas Day" in war["explanation"]  # why the 25th counted
    argv = ["deadline", "UA", "2025-12-22", "5 working days", "--martial-law-until", "2025-12-01"]
    assert main([*argv, "--format", "json"]) == 0
    peace = json.loads(capsys.readouterr().out)
    assert peace["deadline"] == "2025-12-30"
    assert [(d["date"], d["reason"]) for d in peace["days_off"]] == [
        ("2025-12-25", "a day off (Christmas Day)"),
        ("2025-12-27", "a Saturday (weekly rest day)"),
        ("2025-12-28", "a Sunday (weekly rest day)"),
    ]


def test_a_roll_and_a_backward_advice_name_the_days_off_they_passed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Calendar days count through days off; only where the period ends do days off move it: a roll
    forward lists the days off it went over, a backward line the days off between it and the advice.
    A working Saturday by a transfer counts, and the text says why."""
    assert main(["deadline", "UA", "2025-05-01", "10 days", "--format", "json"]) == 0
    rolled = json.loads(capsys.readouterr().out)
    assert rolled["deadline"] == "2025-05-12"
    assert [d["date"] for d in rolled["days_off"]] == ["2025-05-11"]
    assert main(["deadline", "BG", "2025-09-26", "5 days", "--before", "--format", "json"]) == 0
    back = json.loads(capsys.readouterr().out)
    assert (back["deadline"], back["advised"]) == ("2025-09-21", "2025-09-19")
    assert [d["date"] for d in back["days_off"]] == ["2025-09-20", "2025-09-21"]
    assert main(["deadline", "BG", "2016-03-10", "2 working days"]) == 0
    out = capsys.readouterr().out
    assert "2016-03-12 Sat" in out.splitlines()[0]
    assert "  2016-03-12 Sat  a Saturday made a working day by a transfer of days off" in out
    assert main(["deadline", "BG", "2025-12-22", "5 working days", "--lang", "bg"]) == 0
    out = capsys.readouterr().out
    assert "пропуснати неработни дни:" in out
    assert "Бъдни вечер" in out


def test_passed_days_give_a_local_orders_reasons() -> None:
    """An overlay's day off and working Saturday are named with the order's reason and reference."""
    from civicflow.calendar import Overlay, WorkingCalendar, passed_days

    order = Overlay(
        days_off={dt.date(2025, 6, 2): "City Day"},
        working_days={dt.date(2025, 6, 7): "worked for City Day"},
        reference="council order 12",
    )
    calendar = WorkingCalendar("UA", overlays=[order])
    deadline = calendar.period_after(dt.date(2025, 5, 30), "4 working days")
    assert deadline.date == dt.date(2025, 6, 6)
    said = [(p.day.isoformat(), p.skipped, str(p.reason)) for p in passed_days(calendar, deadline)]
    assert said == [
        ("2025-05-31", True, "a Saturday (weekly rest day)"),
        ("2025-06-01", True, "a Sunday (weekly rest day)"),
        ("2025-06-02", True, "a day off (City Day (council order 12))"),
    ]
    deadline = calendar.period_after(dt.date(2025, 6, 5), "2 working days")
    assert deadline.date == dt.date(2025, 6, 7)
    (worked,) = passed_days(calendar, deadline)
    assert (worked.skipped, str(worked.reason)) == (
        False,
        "a Saturday made a working day (worked for City Day (council order 12))",
    )
