"""The ``civicflow deadline`` subcommand."""

from __future__ import annotations

import json

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
