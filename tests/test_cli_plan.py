"""``civicflow plan``: table, JSON, CSV, exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from civicflow.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--color", "never", "plan", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_table_fits_80_columns_with_whole_step_ids(capsys: pytest.CaptureFixture[str]) -> None:
    """At 80 columns every step id is whole (the longest has 37 characters) and no line is longer: a
    range of deadlines goes on the line under its step, and the weekdays give way first when a rule
    still does not fit."""
    code, out, _ = run(capsys, "drohobych_kir", "--start", "2025-10-06")
    assert code == 0
    assert " publication_revised_preliminary_draft " in out
    assert "2025-11-11 Tue .. 2025-11-20 Thu window" in out
    # the deadline depends on the day meeting_1 is held: a range, under the step, with its legend
    assert "\n    by 2025-10-09 Thu .. 2025-11-04 Tue (meeting_1)\n" in out
    assert "by A .. B (X) = the deadline depends on the day of X, not decided yet" in " ".join(out.split())
    assert max(len(line) for line in out.splitlines()) <= 80
    code, out, _ = run(capsys, "drohobych_kir", "--start", "2025-10-06", "--fix", "meeting_1=2025-10-09")
    # a dated rule that does not fit beside the weekdays goes on the next line: the weekdays stay
    assert "2025-11-11 Tue .. 2025-11-20 Thu window" in out
    assert "\n    by 2025-10-14 Tue\n" in out
    assert "by A .. B" not in out.split("Findings:")[0].split("publication_1")[1].split("\n")[0]
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "* = on the critical path" in out
    assert "window = the day is not decided yet" in out


def test_wide_terminal_shows_weekdays_and_titles(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 140 columns windows show as 'date weekday .. date weekday' and each step has its title."""
    monkeypatch.setenv("COLUMNS", "140")
    code, out, _ = run(capsys, "drohobych_kir", "--start", "2025-10-06")
    assert code == 0
    lines = out.splitlines()
    assert lines[2].split() == ["STEP", "WHEN", "RULE", "TITLE"]
    [row] = [line for line in lines if line.startswith(" meeting_2 ")]
    assert "2025-11-11 Tue .. 2025-11-20 Thu window" in row
    assert row.endswith("Second meeting of the working group")
    assert max(len(line) for line in lines) <= 140


def test_json_is_the_schedule_dict(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON has process, start and steps with their dates."""
    code, out, _ = run(capsys, "sofia_vision", "--start", "2017-03-01", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["process"] == "sofia_vision"
    assert data["steps"][1]["start"] == "2017-06-01"


def test_csv_has_a_header_row(capsys: pytest.CaptureFixture[str]) -> None:
    """CSV starts with a header row and has one row per step."""
    code, out, _ = run(capsys, "sofia_vision", "--start", "2017-03-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert len(rows) == 7
    assert rows[-1]["end"] == "2018-09-30"


def test_fix_pins_a_step(capsys: pytest.CaptureFixture[str]) -> None:
    """--fix STEP=DATE pins the step and its rule deadline follows."""
    code, out, _ = run(
        capsys, "drohobych_kir", "--start", "2025-10-06", "--fix", "meeting_3=2025-12-04", "--format", "json"
    )
    steps = {s["id"]: s for s in json.loads(out)["steps"]}
    assert code == 0
    assert steps["publication_strategic_session"]["deadline"] == "2025-12-09"


def test_infeasible_plan_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    """A plan with an ERROR finding exits with 1 and lists it after the table."""
    code, out, _ = run(
        capsys,
        "drohobych_kir",
        "--start",
        "2025-10-06",
        "--fix",
        "meeting_2=2025-11-24",
        "--fix",
        "strategic_session=2025-11-25",
    )
    assert code == 1
    assert "ERROR" in out


@pytest.mark.parametrize(
    "argv",
    [
        ("drohobych_kir", "--start", "2025-10-06", "--fix", "meeting_3"),
        ("drohobych_kir", "--start", "2025-10-06", "--fix", "meeting_3=12/04/2025"),
        ("drohobych_kir", "--start", "2025-10-06", "--fix", "meeting_33=2025-12-04"),
        ("drohobych_kir",),
    ],
    ids=["no-date", "bad-date", "unknown-step", "no-start"],
)
def test_bad_input_exits_2(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    """Bad --fix syntax, an unknown step or a missing start exit with 2 and a message."""

    def call() -> int:
        return main(["plan", *argv])

    try:
        code = call()
    except SystemExit as exc:  # argparse rejects the option itself
        code = int(exc.code or 0)
    assert code == 2
    assert "civicflow" in capsys.readouterr().err


def test_a_start_outside_the_calendar_years_exits_2_with_the_covered_years(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A plan past the calendar's last year says which years are covered, without API-only advice."""
    code, out, err = run(capsys, "drohobych_kir", "--start", "2070-01-01")
    assert (code, out) == (2, "")
    assert "outside the years the UA calendar covers (1991..2060); dates outside are not supported" in err
    assert "build it with" not in err


def _refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The message of an argument argparse refuses (exit 2)."""
    with pytest.raises(SystemExit) as info:
        main(["--color", "never", "plan", "drohobych_kir", "--start", "2025-10-06", *argv])
    assert info.value.code == 2
    return capsys.readouterr().err


def test_a_step_fixed_to_two_days_is_refused_naming_both(capsys: pytest.CaptureFixture[str]) -> None:
    """The second --fix of a step used to win silently."""
    err = _refused(capsys, "--fix", "meeting_1=2025-10-09", "--fix", "meeting_1=2025-10-10")
    assert "meeting_1 is fixed twice, to 2025-10-09 and to 2025-10-10" in err
    # the same day twice is no contradiction
    code, out, _ = run(
        capsys,
        "drohobych_kir",
        "--start",
        "2025-10-06",
        "--fix",
        "meeting_1=2025-10-09",
        "--fix",
        "meeting_1=2025-10-09",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)


@pytest.mark.parametrize(
    ("fix", "said"),
    [
        ("meeting_1=2025-02-30", "2025-02-30 is not a day: February 2025 has 28 days"),
        ("meeting_1=2024-02-30", "2024-02-30 is not a day: February 2024 has 29 days"),
        ("meeting_1=31.04.2025", "31.04.2025 is not a day: April 2025 has 30 days"),
        ("meeting_1=2025-13-01", "2025-13-01 is not a day: there is no month 13"),
    ],
)
def test_a_fixed_day_that_does_not_exist_is_told_so(
    capsys: pytest.CaptureFixture[str], fix: str, said: str
) -> None:
    err = _refused(capsys, "--fix", fix)
    assert said in err
    assert "is not STEP=YYYY-MM-DD" not in err


def test_a_day_that_does_not_exist_is_told_in_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    err = _refused(capsys, "--lang", "uk", "--fix", "meeting_1=2025-02-30")
    assert "2025-02-30 — такого дня немає: лютий 2025 року має 28 днів" in err
    err = _refused(capsys, "--lang", "ru", "--fix", "meeting_1=2025-10-09", "--fix", "meeting_1=2025-10-10")
    assert "meeting_1 зафиксирован дважды: на 2025-10-09 и на 2025-10-10" in err
