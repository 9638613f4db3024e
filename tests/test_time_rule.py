"""One time rule in the API and the CLI: naive = the jurisdiction's local time, aware converted, a date is
that local day; the log's ``timezone:`` key; ``deadline`` with a date-time; ``--as-of`` defaults."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from civicflow.cli import main
from civicflow.compliance import check
from civicflow.errors import EventLogError
from civicflow.loader import load_template, read_event_log, read_event_text

FIXTURES = Path(__file__).parent / "fixtures" / "events"
KIR = load_template("drohobych_kir")
AS_OF = "2025-12-20"

# the same day written in every way the rule covers: a local date, a naive local time near midnight, an
# aware time in UTC that is already the next day in Kyiv, and naive times in a log's own zone
_LOGS = {
    "naive_late_evening.csv": "step,date\nmeeting_1,2025-10-10T18:00\npublication_1,2025-10-13T23:30\n",
    "aware_utc.csv": "step,date\nmeeting_1,2025-10-10T15:00Z\npublication_1,2025-10-14T22:30Z\n",
    "bare_dates.csv": "step,date\nmeeting_1,2025-10-10\npublication_1,2025-10-15\n",
    "own_zone_utc.yaml": (
        "template: drohobych_kir\nstart: 2025-10-06\ntimezone: UTC\nevents:\n"
        "  - {step: meeting_1, date: 2025-10-10T08:00}\n"
        "  - {step: publication_1, date: '2025-10-15T21:30'}\n"
    ),
    "offset_and_naive.yaml": (
        "start: 2025-10-06\nevents:\n"
        "  - {step: meeting_1, date: '2025-10-10T23:30+00:00'}\n"
        "  - {step: publication_1, date: '2025-10-16T00:30'}\n"
    ),
}


def _write(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_text(_LOGS[name], encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "path",
    [
        *(pytest.param(name, id=name) for name in _LOGS),
        *(pytest.param(str(FIXTURES / f), id=f) for f in ("drohobych_2024.yaml", "drohobych_late.csv")),
        pytest.param(str(FIXTURES / "drohobych_in_progress.json"), id="drohobych_in_progress.json"),
    ],
)
def test_api_and_cli_give_the_same_findings(
    path: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check(t, read_event_log(p, template=t))` and `civicflow check` agree on every finding."""
    p = _write(tmp_path, path) if path in _LOGS else Path(path)
    start = read_event_log(p, template=KIR).start or dt.date(2025, 10, 6)
    api = check(KIR, read_event_log(p, template=KIR), start=start, as_of=dt.date.fromisoformat(AS_OF))
    code = main(
        ["check", "drohobych_kir", str(p), "--start", start.isoformat(), "--as-of", AS_OF, "--format", "json"]
    )
    cli = json.loads(capsys.readouterr().out)
    assert cli["findings"] == api.to_dict()["findings"]
    assert code == (0 if api.ok else 1)


def test_naive_time_near_midnight_is_local_not_utc(tmp_path: Path) -> None:
    """23:30 on 13 Oct without an offset is 13 Oct in Kyiv: publication_1 is on time through the API."""
    p = _write(tmp_path, "naive_late_evening.csv")
    report = check(KIR, read_event_log(p, template=KIR), start=dt.date(2025, 10, 6))
    pub = next(f for f in report.findings if f.step == "publication_1")
    assert (pub.actual, pub.status.value) == (dt.date(2025, 10, 13), "ok")


def test_aware_time_is_converted_to_the_local_day(tmp_path: Path) -> None:
    """22:30 UTC on 14 Oct is already 15 Oct in Kyiv (UTC+3 in October)."""
    events = read_event_log(_write(tmp_path, "aware_utc.csv"), template=KIR)
    report = check(KIR, events, start=dt.date(2025, 10, 6))
    pub = next(f for f in report.findings if f.step == "publication_1")
    assert pub.actual == dt.date(2025, 10, 15)


def test_the_logs_own_timezone_key_is_honoured(tmp_path: Path) -> None:
    """`timezone: UTC` makes naive times UTC: 21:30 UTC on 15 Oct is 16 Oct in Kyiv."""
    log = read_event_log(_write(tmp_path, "own_zone_utc.yaml"), template=KIR)
    assert log.timezone == "UTC"
    pub = next(e for e in log.events if e.step == "publication_1")
    assert pub.at == dt.datetime(2025, 10, 15, 21, 30, tzinfo=dt.UTC)
    report = check(KIR, log.events, start=log.start)
    assert next(f for f in report.findings if f.step == "publication_1").actual == dt.date(2025, 10, 16)


def test_an_unknown_timezone_in_a_log_is_an_error_at_its_line(tmp_path: Path) -> None:
    """`timezone: Europe/Kiev2` is refused, naming the file and line, and the CLI exits 2."""
    p = tmp_path / "bad_zone.yaml"
    p.write_text(
        "start: 2025-10-06\ntimezone: Europe/Kiev2\nevents:\n  - {step: meeting_1, date: 2025-10-10}\n"
    )
    with pytest.raises(EventLogError) as info:
        read_event_log(p, template=KIR)
    problem = info.value.problems[0]
    assert problem.line == 2
    assert "unknown time zone 'Europe/Kiev2'" in problem.message
    assert main(["check", "drohobych_kir", str(p), "--as-of", AS_OF]) == 2


def test_without_a_template_the_timezone_argument_or_utc_applies(tmp_path: Path) -> None:
    """No template, no key: naive times are in the ``timezone`` argument (UTC by default)."""
    p = tmp_path / "log.csv"
    p.write_text("step,date\na,2025-10-13T23:30\n")
    assert read_event_log(p)[0].at.utcoffset() == dt.timedelta(0)
    kyiv = read_event_log(p, timezone="Europe/Kyiv")[0].at
    assert kyiv.utcoffset() == dt.timedelta(hours=3)


@pytest.mark.parametrize(
    ("given", "deadline", "local"),
    [
        ("2025-10-14T23:30Z", "2025-10-20 Mon", "2025-10-15 Wed"),  # already Wednesday in Kyiv
        ("2025-10-14T23:30", "2025-10-17 Fri", "2025-10-14 Tue"),  # naive: local time
        ("2025-10-14", "2025-10-17 Fri", None),
    ],
)
def test_deadline_accepts_a_date_time(
    given: str, deadline: str, local: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    """`civicflow deadline UA DATE-TIME` counts from the local day in Kyiv and says which day it was."""
    assert main(["deadline", "UA", given, "3 working days"]) == 0
    out = capsys.readouterr().out
    assert f"deadline: {deadline}" in out
    if local is not None:
        assert f"is {local} in Europe/Kyiv" in out


def test_deadline_rejects_a_broken_date_time(capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed DATE exits 2 with the accepted forms."""
    with pytest.raises(SystemExit) as stop:
        main(["deadline", "UA", "2025-10-14T2", "3 working days"])
    assert stop.value.code == 2
    assert "YYYY-MM-DDTHH:MM" in capsys.readouterr().err


def test_check_defaults_as_of_to_today_in_the_jurisdiction(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --as-of, check uses today in Kyiv (the 15th, while it is still the 14th in UTC) and says
    so; overdue deadlines count from that day."""
    assert main(["--color", "never", "check", "drohobych_kir", str(FIXTURES / "drohobych_late.csv")]) == 1
    out = capsys.readouterr().out
    assert "as of 2026-01-15 Thu (today in Europe/Kyiv)" in out
    main(["check", "drohobych_kir", str(FIXTURES / "drohobych_late.csv"), "--format", "json"])
    assert json.loads(capsys.readouterr().out)["as_of"] == "2026-01-15"


def test_status_defaults_as_of_to_today_in_the_jurisdiction(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --as-of, status prints the day it used and where that is today."""
    main(["--color", "never", "status", str(FIXTURES / "drohobych_2024.yaml"), "--template", "drohobych_kir"])
    assert "status as of 2026-01-15 Thu (today in Europe/Kyiv)" in capsys.readouterr().out


def test_api_keeps_as_of_explicit() -> None:
    """The API never reads the clock: without as_of nothing is overdue and the report has no day."""
    events = read_event_log(FIXTURES / "drohobych_late.csv", template=KIR)
    report = check(KIR, events, start=dt.date(2024, 10, 1))
    assert report.as_of is None
    assert all(f.status.value != "overdue" for f in report.findings)


def test_one_zone_object_per_name_everywhere() -> None:
    """The calendar, a read log, an instance and the date-time layer use the same zone object, so that
    every aware datetime civicflow makes converts the same way."""
    from civicflow.dates import local_day, zone
    from civicflow.instance import ProcessInstance

    kyiv = zone("Europe/Kyiv")
    assert zone("Europe/Kyiv") is kyiv
    assert KIR.working_calendar()._tz is kyiv
    log = read_event_text("step,date\nmeeting_1,2025-10-09 10:00\n", format="csv", template=KIR)
    assert log[0].at.tzinfo is kyiv
    instance = ProcessInstance(KIR, start=dt.date(2025, 10, 6))
    assert instance._zone is kyiv
    late = dt.datetime(2025, 10, 9, 22, 30, tzinfo=dt.UTC)
    assert local_day(late, "Europe/Kyiv") == dt.date(2025, 10, 10)  # 01:30 the next day in Kyiv
    assert local_day(late.replace(tzinfo=None), "Europe/Kyiv") == dt.date(2025, 10, 9)


@pytest.mark.parametrize("name", ["Europe/Atlantis", "", "../etc/passwd", "UTC ", "X" * 300])
def test_a_zone_the_database_lacks_is_a_value_error(name: str) -> None:
    """Any name the tz database lacks (a very long one too) is a ValueError that names it."""
    from civicflow.dates import zone

    with pytest.raises(ValueError, match="unknown time zone"):
        zone(name)


def test_a_log_naming_an_impossibly_long_zone_is_an_error_at_its_line() -> None:
    """A ``timezone:`` too long for the tz database is reported at its line, not raised as an OSError."""
    text = "timezone: " + "X" * 300 + "\nevents:\n  - {step: meeting_1, date: 2025-10-09}\n"
    with pytest.raises(EventLogError) as caught:
        read_event_text(text, format="yaml", source="long.yaml", template=KIR)
    assert [(p.line, "unknown time zone" in p.message) for p in caught.value.problems] == [(1, True)]
