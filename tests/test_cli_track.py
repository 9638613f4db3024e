"""``civicflow track``: new, record, status, history and delete against a store file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from civicflow.cli import main


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store file named by $CIVICFLOW_DB, with the Drohobych process started on 2025-10-06 as 'kir'."""
    path = tmp_path / "track.db"
    monkeypatch.setenv("CIVICFLOW_DB", str(path))
    assert main(["track", "new", "drohobych_kir", "--name", "kir", "--start", "2025-10-06"]) == 0
    return path


def track(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``civicflow track ARGS``; the exit code, stdout and stderr."""
    code = main(["track", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_new_creates_the_default_file(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`track new` creates the database named by $CIVICFLOW_DB and says what it tracks."""
    assert db.is_file()
    code, out, _ = track(capsys, "new", "drohobych_kir", "--name", "other", "--start", "2025-10-06")
    assert code == 0
    assert "tracking 'other': drohobych_kir version" in out


def test_record_then_history(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Recorded events come back in `history`, in the table and in JSON, as they were recorded: a day
    given alone as that day (no time nobody gave), a time with its offset."""
    code, out, err = track(capsys, "record", "kir", "meeting_1", "--date", "2025-10-08", "--by", "wg")
    assert (code, err) == (0, "")
    assert out.strip() == "kir: meeting_1 complete on 2025-10-08 (version 1)"
    code, out, err = track(capsys, "record", "kir", "publication_1", "--date", "2025-10-09T16:30")
    assert (code, err) == (0, "")
    code, out, _ = track(capsys, "history", "kir", "--format", "json")
    data = json.loads(out)
    assert data["version"] == 2
    assert data["events"] == [
        {"step": "meeting_1", "event": "complete", "date": "2025-10-08", "by": "wg"},
        {"step": "publication_1", "event": "complete", "date": "2025-10-09T16:30:00+03:00"},
    ]
    code, out, _ = track(capsys, "history", "kir")
    assert "meeting_1" in out
    assert "2025-10-08" in out
    assert "00:00" not in out
    assert "2025-10-09T16:30:00+03:00" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["record", "kir", "publication_1", "--date", "2025-10-08"], "cannot"),
        (["record", "nope", "meeting_1", "--date", "2025-10-08"], "no tracked instance named 'nope'"),
        (["record", "kir", "meeting_1", "--date", "2025-13-01"], "is not a date"),
        (
            ["record", "kir", "meeting_1", "--date", "2025-10-08", "--expect-version", "3"],
            "expected version 3",
        ),
        (["new", "drohobych_kir", "--name", "kir", "--start", "2025-10-06"], "tracked already"),
        (["new", "no_such_template", "--name", "x", "--start", "2025-10-06"], "no_such_template"),
        (["history", "nope"], "no tracked instance"),
        (["status", "--db", "mysql+nosuchdriver://h/d"], "no SQLAlchemy dialect"),
    ],
    ids=[
        "illegal",
        "unknown-instance",
        "bad-date",
        "conflict",
        "exists",
        "unknown-template",
        "history",
        "bad-db",
    ],
)
def test_bad_input_exits_2_without_traceback(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    """Illegal transitions, unknown names, bad dates, conflicts and bad URLs exit 2 with one message."""
    code, _, err = track(capsys, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_status_exit_codes(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Status exits 0 while nothing is late and 1 once a finding is violated, in table and JSON."""
    code, out, _ = track(capsys, "status", "--as-of", "2025-10-07")
    assert code == 0, out
    assert "kir" in out
    assert track(capsys, "record", "kir", "meeting_1", "--date", "2025-10-08")[0] == 0
    assert track(capsys, "record", "kir", "publication_1", "--date", "2025-10-20")[0] == 0
    code, out, _ = track(capsys, "status", "--as-of", "2025-10-21")
    assert code == 1
    assert "LATE" in out or "VIOL" in out
    code, out, _ = track(capsys, "status", "kir", "--as-of", "2025-10-21", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["as_of"] == "2025-10-21"
    [instance] = data["instances"]
    assert instance["version"] == 2
    assert instance["report"]["summary"]["violated"] >= 1
    assert set(instance["stages"].values()) & {"violated", "done_late"}


def test_status_defaults_to_today_in_the_jurisdiction(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --as-of, track status takes today in the process's zone (the tests' clock is 22:30 UTC on
    14 January 2026, already the 15th in Kyiv) and says which day and zone it used, as check does."""
    code, out, _ = track(capsys, "status")
    assert code in (0, 1), out
    assert "status as of 2026-01-15 Thu (today in Europe/Kyiv)" in out
    code, out, _ = track(capsys, "status", "--format", "json")
    assert json.loads(out)["as_of"] == "2026-01-15"


def test_delete_then_status_is_empty(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """After `delete` the instance is gone and status says nothing is tracked."""
    assert track(capsys, "delete", "kir")[0] == 0
    code, out, _ = track(capsys, "status", "--as-of", "2025-10-07")
    assert code == 0
    assert "no instances tracked yet" in out


def test_db_option_points_elsewhere(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--db` uses another file than $CIVICFLOW_DB."""
    other = tmp_path / "other.db"
    code, _, _ = track(
        capsys, "new", "drohobych_kir", "--name", "x", "--start", "2025-10-06", "--db", str(other)
    )
    assert code == 0
    code, out, _ = track(capsys, "status", "--as-of", "2025-10-07", "--db", str(other), "--format", "json")
    assert [i["name"] for i in json.loads(out)["instances"]] == ["x"]


FIXTURES = Path(__file__).parent / "fixtures" / "events"


def test_import_creates_one_instance_per_log(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`track import` tracks each log as an instance named after its file, with the log's start."""
    logs = [str(FIXTURES / "drohobych_2024.yaml"), str(FIXTURES / "drohobych_late.csv")]
    code, out, err = track(capsys, "import", *logs, "--template", "drohobych_kir", "--start", "2024-10-01")
    assert (code, err) == (0, "")
    assert out.startswith("imported 2 instances of drohobych_kir with ")
    code, out, _ = track(capsys, "history", "drohobych_late", "--format", "json")
    data = json.loads(out)
    assert (data["start"], data["events"][0]["date"]) == ("2024-10-01", "2024-10-10T10:00:00+03:00")
    assert data["version"] == len(data["events"]) > 20
    code, out, _ = track(capsys, "status", "--as-of", "2025-06-01", "--format", "json")
    assert {i["name"] for i in json.loads(out)["instances"]} == {"kir", "drohobych_2024", "drohobych_late"}


@pytest.mark.parametrize(
    ("logs", "extra", "message"),
    [
        (["drohobych_2024.yaml", "broken_order.csv"], ["--start", "2024-10-01"], "broken_order.csv:"),
        (["drohobych_late.csv"], [], "does not say its start; pass --start"),
        (["drohobych_2024.yaml", "drohobych_2024.yaml"], [], "given twice"),
    ],
    ids=["bad-log", "no-start", "twice"],
)
def test_import_is_all_or_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], logs: list[str], extra: list[str], message: str
) -> None:
    """A bad log, a missing start or a name given twice exits 2 and imports none of the logs."""
    paths = [str(FIXTURES / name) for name in logs]
    code, _, err = track(capsys, "import", *paths, "--template", "drohobych_kir", *extra)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    code, out, _ = track(capsys, "status", "--as-of", "2025-06-01", "--format", "json")
    assert [i["name"] for i in json.loads(out)["instances"]] == ["kir"]


def test_import_refuses_a_taken_name(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A log whose file stem names a tracked instance is refused with that name."""
    log = tmp_path / "kir.yaml"
    log.write_text((FIXTURES / "drohobych_2024.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = track(capsys, "import", str(log), "--template", "drohobych_kir")
    assert code == 2
    assert "'kir' tracked already; nothing was imported" in err


@pytest.mark.parametrize("kind", ["text file", "folder"])
def test_db_that_is_not_a_store_says_what_db_should_be(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """--db naming a text file or a folder exits 2 naming it and saying --db is a SQLite path or a URL."""
    target = tmp_path / "README.md"
    if kind == "folder":
        target = tmp_path
    else:
        target.write_text("# notes\n", encoding="utf-8")
    code, out, err = track(capsys, "status", "--db", str(target))
    assert (code, out) == (2, "")
    assert err.startswith(f"civicflow: {target} is ")
    assert "--db" in err
    assert "postgresql+psycopg://user:pass@host/db" in err
    assert "Error:" not in err


def test_status_fits_80_columns_with_plan_marks_and_legend(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`track status` lines fit 80 columns, '~' marks plan-dated cells and the legend explains it."""
    assert track(capsys, "record", "kir", "meeting_1", "--date", "2025-10-08")[0] == 0
    code, out, _ = track(capsys, "status", "--as-of", "2026-01-10")
    assert code == 1
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "INSTANCE EVENTS S1     S2     S3     S4     S5     S6     CHECK  WORST" in lines
    assert "~ = due by the plan (a window, no legal rule)" in " ".join(lines)
    assert "S1  stage_1_preparatory: Preparatory stage" in lines
    [row] = [line for line in lines if line.startswith("kir ")]
    assert "~" in row


def test_history_puts_by_note_and_url_under_the_event(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`track history` keeps 80 columns: who, the note and the whole link go on indented lines."""
    url = "https://example.org/notices/2025/drohobych/kir-publication-of-the-first-notice"
    note = "Notice published on the city website and on the community's page of the regional portal"
    assert (
        track(capsys, "record", "kir", "meeting_1", "--date", "2025-10-08", "--by", "working group")[0] == 0
    )
    args = ["record", "kir", "publication_1", "--date", "2025-10-10", "--url", url, "--note", note]
    assert track(capsys, *args)[0] == 0
    code, out, _ = track(capsys, "history", "kir")
    assert code == 0
    lines = out.splitlines()
    assert lines[2].split() == ["1", "2025-10-08", "complete", "meeting_1"]
    assert lines[3] == "     by working group"
    assert lines[5].startswith("     note: Notice published")
    assert lines[5].endswith("…")
    assert lines[6] == f"     url: {url}"
    assert max(len(line) for line in lines if "url: " not in line) <= 80


ACTIONS = ["new", "record", "import", "status", "history", "delete"]


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_help_ends_with_examples_that_parse(
    action: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`civicflow track ACTION --help` shows examples of that action in 79 columns, and they parse."""
    import shlex

    from civicflow.cli import build_parser

    with pytest.raises(SystemExit) as info:
        main(["track", action, "--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    assert "examples:" in out
    assert f"  civicflow track {action} " in out
    assert max(len(line) for line in out.splitlines()) <= 79
    text = out.replace("\\\n", " ")
    commands = [line for line in text.splitlines() if line.startswith("  civicflow track ")]
    for command in commands:
        build_parser().parse_args(shlex.split(command)[1:])
