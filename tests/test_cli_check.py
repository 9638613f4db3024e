"""The check and status subcommands: tables, JSON, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from civicflow.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "events"
GOOD = str(FIXTURES / "drohobych_2024.yaml")
LATE = str(FIXTURES / "drohobych_late.csv")
PROGRESS = str(FIXTURES / "drohobych_in_progress.json")


def test_check_compliant_log_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """A log that meets every rule prints OK and exits 0; lines fit 80 columns."""
    assert main(["--color", "never", "check", "drohobych_kir", GOOD, "--as-of", "2025-04-01"]) == 0
    out = capsys.readouterr().out
    assert "OK: 11 ok" in out
    assert "2024-10-15 Tue" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_check_violations_exit_1_with_explanations(capsys: pytest.CaptureFixture[str]) -> None:
    """Violations are shown in capitals with how the deadline was computed, and exit 1."""
    assert main(["--color", "never", "check", "drohobych_kir", LATE]) == 1
    out = capsys.readouterr().out
    assert "VIOLATED   publication_1" in out
    assert "1 working day after the deadline 2024-10-15 Tue" in " ".join(out.split())  # wrapped at 80
    assert max(len(line) for line in out.splitlines()) <= 80


def test_check_json(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json gives process, as_of, findings and a summary."""
    assert main(["check", "drohobych_kir", LATE, "--as-of", "2025-01-10", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["process"] == "drohobych_kir"
    assert data["as_of"] == "2025-01-10"
    assert data["summary"]["violated"] == 3
    first = data["findings"][0]
    assert (first["step"], first["status"], first["late_by"], first["unit"]) == (
        "publication_1",
        "violated",
        1,
        "working days",
    )


def test_check_overdue_as_of_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    """Checked long after the last event, the missing hearing publication is not overdue (its anchor is
    missing) but the check of a stalled discussion stays pending; a late log still fails."""
    assert main(["check", "drohobych_kir", PROGRESS, "--as-of", "2025-06-01", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["overdue"] == 0


@pytest.mark.parametrize("name", ["broken_fields.yaml", "broken_order.csv", "broken_syntax.json"])
def test_check_bad_log_exits_2_with_file_and_line(capsys: pytest.CaptureFixture[str], name: str) -> None:
    """Every problem of a bad log is printed with file:line, and the exit code is 2."""
    path = str(FIXTURES / name)
    assert main(["check", "drohobych_kir", path]) == 2
    err = capsys.readouterr().err
    assert f"{path}:" in err
    assert "Traceback" not in err


def test_status_heat_map(capsys: pytest.CaptureFixture[str]) -> None:
    """One row per log named after the file, one column per stage, within 80 columns; exit 1 when late."""
    code = main(
        [
            "--color",
            "never",
            "status",
            GOOD,
            LATE,
            PROGRESS,
            "--template",
            "drohobych_kir",
            "--as-of",
            "2025-01-10",
        ]
    )
    assert code == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[1].split() == ["INSTANCE", "S1", "S2", "S3", "S4", "S5", "S6", "CHECK", "WORST"]
    assert lines[2].split() == ["drohobych_2024", "done", "done", "ok", ".", ".", ".", "ok", "."]
    assert lines[3].split()[:2] == ["drohobych_late", "LATE"]
    assert max(len(line) for line in lines) <= 80


def test_status_json(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json lists stages and a cell per stage for each log."""
    assert (
        main(["status", GOOD, "--template", "drohobych_kir", "--as-of", "2025-04-01", "--format", "json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["template"] == "drohobych_kir"
    assert data["stages"][0]["id"] == "stage_1_preparatory"
    assert set(data["rows"][0]["cells"].values()) == {"done"}


def test_status_bad_logs_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """Problems of every bad log are printed together."""
    bad = [str(FIXTURES / "broken_fields.yaml"), str(FIXTURES / "broken_order.csv")]
    assert main(["status", *bad, "--template", "drohobych_kir"]) == 2
    err = capsys.readouterr().err
    assert "broken_fields.yaml:4" in err
    assert "broken_order.csv:7" in err


def test_check_lists_planned_days_and_json_due_source(capsys: pytest.CaptureFixture[str]) -> None:
    """Steps no rule dates are listed when the plan's last day passed; JSON steps say rule or plan."""
    args = ["--color", "never", "check", "drohobych_kir", PROGRESS, "--as-of", "2025-01-10"]
    assert main(args) == 0  # the plan's days never fail the check
    out = capsys.readouterr().out
    assert "planned days (no legal rule; not part of the check):" in out
    assert "OVER       meeting_5                             2024-12-31 Tue" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert main([*args[2:], "--format", "json"]) == 0
    steps = {s["step"]: s for s in json.loads(capsys.readouterr().out)["steps"]}
    assert (steps["meeting_5"]["status"], steps["meeting_5"]["due_source"]) == ("overdue", "plan")
    assert (steps["publication_1"]["due"], steps["publication_1"]["due_source"]) == ("2024-10-15", "rule")


def test_a_rule_counting_back_from_a_step_with_no_day_is_not_dated(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """publication_analysis is due "no later than 3 working days before the strategic session": while
    the session has no day, no day for the publication can be derived (the plan's would assume the
    session on the last day of its window, and the real deadline may be sooner, or past). It is not a
    planned day; the table and the JSON say why it is not dated yet. Once the session is recorded, the
    rule dates it."""
    example = Path(__file__).parents[1] / "examples" / "drohobych_events.yaml"
    args = ["--color", "never", "check", "drohobych_kir", str(example), "--as-of", "2025-11-20"]
    assert main(args) == 1  # publication_1 was late
    out = capsys.readouterr().out
    planned = out[out.index("NOT OK") :]
    assert "publication_analysis" not in planned
    row = out[out.index("pending    publication_analysis") :].splitlines()
    assert " ".join(line.strip() for line in row[1:3]) == (
        "the rule counts back from strategic_session, which has no day yet, so it cannot be dated"
    )
    assert main([*args[2:], "--format", "json"]) == 1
    steps = {s["step"]: s for s in json.loads(capsys.readouterr().out)["steps"]}
    step = steps["publication_analysis"]
    assert (step["status"], step["due"], step["due_source"]) == ("not_started", None, None)
    assert "counts back from strategic_session, which has no day yet" in step["explanation"]
    # published before the session has a day: done, and the rule still cannot be dated (the plan's day
    # would make it "late" against a day nobody fixed)
    early = tmp_path / "early.yaml"
    early.write_text(
        example.read_text(encoding="utf-8") + "  - step: publication_analysis\n    date: 2025-11-26\n",
        encoding="utf-8",
    )
    assert main(["check", "drohobych_kir", str(early), "--as-of", "2025-11-27", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    step = {s["step"]: s for s in data["steps"]}["publication_analysis"]
    assert (step["status"], step["due"], step["actual"]) == ("done", None, "2025-11-26")
    (finding,) = [f for f in data["findings"] if f["step"] == "publication_analysis"]
    assert (finding["status"], finding["deadline"]) == ("pending", None)
    # the session held on Mon 24 November: the rule dates the publication (Wed 19 November), overdue
    held = tmp_path / "held.yaml"
    held.write_text(
        example.read_text(encoding="utf-8") + "  - step: strategic_session\n    date: 2025-11-24\n",
        encoding="utf-8",
    )
    assert main(["check", "drohobych_kir", str(held), "--as-of", "2025-11-24", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    step = {s["step"]: s for s in data["steps"]}["publication_analysis"]
    assert (step["due"], step["due_source"]) == ("2025-11-19", "rule")
    (finding,) = [f for f in data["findings"] if f["step"] == "publication_analysis"]
    assert finding["status"] == "overdue"


def test_status_marks_cells_dated_by_the_plan(capsys: pytest.CaptureFixture[str]) -> None:
    """A stage overdue only by the plan's window shows OVER~ and does not fail the exit code."""
    args = ["--color", "never", "status", PROGRESS, "--template", "drohobych_kir", "--as-of", "2025-01-10"]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    # WORST carries the '~' too: the worst step is overdue by the plan, not by a legal deadline
    assert lines[2].split() == [
        "drohobych_in_progress",
        "done",
        "done",
        "OVER~",
        ".",
        ".",
        ".",
        "ok",
        "OVER~",
    ]
    assert "~ = due by the plan (a window, no legal rule);" in lines
    assert main([*args[2:], "--format", "json"]) == 0
    row = json.loads(capsys.readouterr().out)["rows"][0]
    assert row["due_sources"]["stage_3_preliminary_draft"] == "plan"


def test_check_log_of_another_template_prints_one_problem(capsys: pytest.CaptureFixture[str]) -> None:
    """check with a log for another template prints the mismatch with file:line alone and exits 2."""
    code = main(["check", "sofia_vision", GOOD, "--start", "2017-03-01"])
    err = capsys.readouterr().err
    assert code == 2
    assert "1 problem in event log" in err
    assert "drohobych_2024.yaml:3:11: template: the log is for template 'drohobych_kir'" in err
    assert "unknown step" not in err


@pytest.mark.parametrize("command", ["check", "status"])
@pytest.mark.parametrize("value", ["-2", "1.5", "soon"])
def test_soon_must_be_a_whole_number_of_days(
    command: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--soon below 0 or not a whole number is an argparse error naming --soon, exit 2."""
    argv = (
        ["check", "drohobych_kir", GOOD]
        if command == "check"
        else ["status", GOOD, "--template", "drohobych_kir"]
    )
    with pytest.raises(SystemExit) as info:
        main([*argv, "--soon", value])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert f"argument --soon: {value!r} is not a number of working days; give a whole number >= 0" in err
