"""Input from people civicflow does not know: every bad input is one clear message and exit 2.

Each case here crashed once with an internal error (exit 70); the messages must say what is wrong.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from civicflow import EventLogError, TemplateError, load_template, plan
from civicflow.cli import main
from civicflow.errors import CalendarRangeError
from civicflow.instance import ProcessInstance
from civicflow.loader import bundled_dir, parse_template_text, read_event_text

BUNDLED = bundled_dir()
assert BUNDLED is not None
KIR = (BUNDLED / "drohobych_kir.yaml").read_text(encoding="utf-8")
SANDANSKI = (BUNDLED / "sandanski_debates.yaml").read_text(encoding="utf-8")
EXAMPLE_LOG = Path(__file__).resolve().parent.parent / "examples" / "drohobych_events.yaml"
RANGE = "outside the years the UA calendar covers (1991..2060)"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--color", "never", *args])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# -- dates at the edges of the calendar ------------------------------------------------------------------


@pytest.mark.parametrize("when", ["9999-12-31T23:00Z", "0001-01-01T00:00+05:00", "2070-01-01"])
@pytest.mark.parametrize("command", ["check", "status", "track"])
def test_a_log_date_outside_the_calendar_is_one_problem_naming_the_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], when: str, command: str
) -> None:
    log = write(tmp_path, "edge.csv", f"step,date\nmeeting_1,{when}\n")
    args = {
        "check": ["check", "drohobych_kir", log],
        "status": ["status", "--template", "drohobych_kir", log],
        "track": [
            "track",
            "import",
            log,
            "--template",
            "drohobych_kir",
            "--start",
            "2025-10-06",
            "--db",
            str(tmp_path / "t.db"),
        ],
    }[command]
    code, _, err = run(capsys, *args)
    assert code == 2
    assert f"edge.csv:2:2: date: the date {when[:4]}" in err
    assert RANGE in err
    assert "internal error" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "drohobych_kir", "--start", "9999-12-01"],
        ["check", "drohobych_kir", str(EXAMPLE_LOG), "--start", "9999-12-01"],
        ["plan", "drohobych_kir", "--start", "2025-10-06", "--fix", "meeting_1=9999-12-31"],
        ["export", "drohobych_kir", "--start", "0001-01-01", "--format", "html"],
        [
            "export",
            "drohobych_kir",
            "--start",
            "2025-10-06",
            "--format",
            "ics",
            "--fix",
            "meeting_1=0001-01-01",
        ],
    ],
)
def test_plan_and_export_dates_outside_the_calendar_name_the_range(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert RANGE in err


def test_a_calendar_day_template_far_outside_the_range_is_refused_not_crashed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "export", "sofia_vision", "--start", "0001-01-01", "--format", "html")
    assert code == 2
    assert "the start 0001-01-01 is outside the years the BG calendar covers (1991..2060)" in err


def test_track_new_and_record_refuse_moments_outside_the_calendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "t.db")
    code, _, err = run(
        capsys, "track", "new", "drohobych_kir", "--name", "a", "--start", "9999-12-01", "--db", db
    )
    assert code == 2
    assert RANGE in err
    assert (
        run(capsys, "track", "new", "drohobych_kir", "--name", "a", "--start", "2025-10-06", "--db", db)[0]
        == 0
    )
    code, _, err = run(capsys, "track", "record", "a", "meeting_1", "--date", "9999-12-31T23:00Z", "--db", db)
    assert code == 2
    assert RANGE in err


def test_the_api_refuses_a_moment_that_overflows_in_the_local_zone() -> None:
    template = load_template("drohobych_kir")
    instance = ProcessInstance(template, start=dt.date(2025, 10, 6))
    with pytest.raises(CalendarRangeError, match=r"1991\.\.2060"):
        instance.record("meeting_1", "complete", at=dt.datetime(9999, 12, 31, 23, tzinfo=dt.UTC))
    with pytest.raises(CalendarRangeError, match=r"1991\.\.2060"):
        plan(template, start=dt.date(9999, 12, 1))


# -- structure -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["[", '{"events": ['])
def test_a_json_log_nested_2000_deep_is_a_problem_not_a_recursion_error(shape: str) -> None:
    text = shape + "[" * 2000 + "]" * 2000 + ("]}" if shape.startswith("{") else "]")
    with pytest.raises(EventLogError, match="nested"):
        read_event_text(text, format="json", source="deep.json")


@pytest.mark.parametrize(
    ("keys", "shown"),
    [
        ("1.5: a\n1.5: b\n", "duplicate key 1.5"),
        ("2020-01-01: a\n2020-01-01: b\n", "duplicate key"),
        ("~: a\n~: b\n", "duplicate key None"),
        ("7: a\n7: b\n", "duplicate key 7"),
        ("true: a\ntrue: b\n", "duplicate key True"),
    ],
)
def test_duplicate_keys_that_are_not_text_are_reported_with_their_path(keys: str, shown: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template_text(KIR + "\n" + keys, "dup.yaml")
    problems = [p for p in caught.value.problems if "duplicate key" in p.message]
    assert len(problems) == 1
    assert shown in problems[0].message
    str(caught.value)  # every problem renders with its path


@pytest.mark.parametrize("where", ["template", "log"])
def test_integers_longer_than_python_converts_are_a_problem(where: str) -> None:
    digits = "9" * 5000
    if where == "template":
        with pytest.raises(TemplateError, match="a number with 5,000 characters"):
            parse_template_text(KIR.replace("civicflow: 1", f"civicflow: {digits}", 1), "big.yaml")
    else:
        for fmt, text in (
            ("yaml", f"- step: meeting_1\n  date: 2025-10-08\n  note: {digits}\n"),
            ("json", f'[{{"step": "meeting_1", "date": "2025-10-08", "note": {digits}}}]'),
        ):
            with pytest.raises(EventLogError, match="a number with 5,000 characters"):
                read_event_text(text, format=fmt, source=f"big.{fmt}")


def test_a_funding_total_that_is_not_a_number_is_a_problem(capsys: pytest.CaptureFixture[str]) -> None:
    text = SANDANSKI.replace('total: "89376.48"', "total: yearly")
    with pytest.raises(TemplateError, match=r"funding\.total.*an amount such as 75970\.01"):
        parse_template_text(text, "fund.yaml")


# -- text that is not text -------------------------------------------------------------------------------


def test_a_lone_surrogate_in_a_template_is_refused_by_lint_and_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = KIR.replace("  en: Detailed work plan of the working group", '  en: "\\ud800 Detailed', 1)
    text = text.replace("Drohobych city territorial community\ndescription", 'community"\ndescription', 1)
    path = write(tmp_path, "sur.yaml", text)
    for command in ("lint", "show"):
        code, out, err = run(capsys, command, path)
        assert code == 2, (command, out, err)
        assert "lone surrogate" in out + err


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_a_lone_surrogate_in_a_log_is_a_problem(fmt: str) -> None:
    text = '[{"step": "meeting_1", "date": "2025-10-08", "note": "\\udc80"}]'
    # libyaml refuses the escape itself, PyYAML's own reader reads it and the builder refuses the text
    with pytest.raises(
        EventLogError, match=r"s\.\w+:1:\d+: .*(lone surrogate|invalid Unicode character escape)"
    ):
        read_event_text(text, format=fmt, source=f"s.{fmt}")
    with pytest.raises(EventLogError, match="lone surrogate"):
        read_event_text(
            '[{"step": "meeting_1", "date": "2025-10-08", "note": "\udc80"}]', format=fmt, source="raw"
        )


def _cli(*args: str | bytes, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "civicflow", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUTF8": "1", "NO_COLOR": "1"},
        timeout=120,
        check=False,
    )


def test_arguments_that_are_not_utf8_are_refused_by_name(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    assert (
        _cli("track", "new", "drohobych_kir", "--name", "a", "--start", "2025-10-06", "--db", db).returncode
        == 0
    )
    result = _cli(
        "track", "record", "a", "meeting_1", "--date", "2025-10-08", "--note", b"caf\xe9", "--db", db
    )
    assert result.returncode == 2
    assert b"not UTF-8 text" in result.stderr
    assert b"Traceback" not in result.stderr
    assert _cli("show", b"\xff.yaml").returncode == 2


@pytest.mark.parametrize("argv", [["--help"], ["plan", "--help"], ["--version"]])
def test_help_that_cannot_be_written_is_one_line_and_exit_2(argv: list[str]) -> None:
    with open(os.devnull if not Path("/dev/full").exists() else "/dev/full", "wb") as full:
        result = _cli(*argv, stdout=full.fileno())
    if Path("/dev/full").exists():
        assert result.returncode == 2
        assert result.stderr.decode().count("\n") == 1
        assert "cannot write the output" in result.stderr.decode()
    else:  # nowhere to fill up: the help is written and the exit code is argparse's
        assert result.returncode == 0
    assert _cli(*argv).returncode == 0


def test_a_full_or_closed_stdout_is_one_line_and_exit_2() -> None:
    with open(os.devnull if not Path("/dev/full").exists() else "/dev/full", "wb") as full:
        result = _cli("plan", "drohobych_kir", "--start", "2025-10-06", stdout=full.fileno())
    if Path("/dev/full").exists():
        assert result.returncode == 2
        assert result.stderr.decode().strip().count("\n") == 0
        assert "cannot write the output" in result.stderr.decode()
    closed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys; os.close(1); from civicflow.cli import main; sys.exit(main(sys.argv[1:]))",
            "plan",
            "drohobych_kir",
            "--start",
            "2025-10-06",
        ],
        stderr=subprocess.PIPE,
        timeout=120,
        check=False,
    )
    assert closed.returncode == 2
    assert b"Traceback" not in closed.stderr
    assert closed.stderr.count(b"\n") == 1


def test_a_reader_that_stops_early_is_not_an_error() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "civicflow", "plan", "drohobych_kir", "--start", "2025-10-06"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0
    assert b"Traceback" not in err
    assert b"Exception ignored" not in err


def test_a_big_template_without_aliases_is_not_called_an_alias_bomb() -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template_text("x: [" + "1," * 250_000 + "1]", "big.yaml")
    message = str(caught.value)
    assert "holds 250,002 values, more than the limit of 200,000" in message
    assert "alias" not in message
    bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(6)
    )
    with pytest.raises(TemplateError, match="alias bomb"):
        parse_template_text(bomb, "bomb.yaml")
