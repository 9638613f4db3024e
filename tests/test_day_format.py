"""One way to show a day: the ISO date, then its weekday (``2025-10-14 Tue``, ``2025-10-14 вт``).

A deadline's explanation, a finding's explanation, a status row, a plan table and an export name the same
day alike, in English and in the reader's language, and the weekday never comes first.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from civicflow import ExportOptions, WorkingCalendar, check, load_template, plan, read_event_log, render
from civicflow.cli import main
from civicflow.exporters import statuses_for
from civicflow.i18n import format_day, translator, weekday_name

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "examples" / "drohobych_events.yaml"
START = dt.date(2025, 10, 6)
AS_OF = dt.date(2025, 11, 20)
DEADLINE = dt.date(2025, 10, 14)  # publication_1's: 3 working days after the meeting of 2025-10-09

# A weekday before a date: the order civicflow no longer uses anywhere (English or uk/bg/ru abbreviations).
WEEKDAY_FIRST = re.compile(r"(?<![\w-])(Mon|Tue|Wed|Thu|Fri|Sat|Sun|пн|вт|ср|чт|пт|сб|нд|вс) \d{4}-\d\d-\d\d")
# A date and the word after it: where a weekday follows a date, it is that date's weekday.
DATE_AND_WORD = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\w+)")


def test_format_day() -> None:
    """ISO first, then the weekday: English without a translator, the reader's language with one."""
    day = dt.date(2025, 10, 16)
    assert format_day(day) == "2025-10-16 Thu"
    assert format_day(day, translator("en")) == "2025-10-16 Thu"
    assert format_day(day, translator("uk")) == "2025-10-16 чт"
    assert format_day(day, translator("bg")) == "2025-10-16 чт"
    assert format_day(dt.date(2025, 10, 19), translator("ru")) == "2025-10-19 вс"
    assert translator("uk").day(day) == format_day(day, translator("uk"))
    assert weekday_name(day) == "Thu"
    assert weekday_name(day, None, "wide") == "Thursday"
    assert weekday_name(day, translator("uk"), "wide") == "четвер"


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "160")  # wide enough for the plan table's weekdays
    code = main(argv)
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return out


def _weekdays_agree(text: str, lang: str) -> None:
    """No weekday before a date, and every weekday after a date is that date's."""
    assert not WEEKDAY_FIRST.search(text), WEEKDAY_FIRST.search(text)
    tr = translator(lang)
    names = {tr.weekday(dt.date(2025, 10, 6) + dt.timedelta(days=i)) for i in range(7)}
    shown = 0
    for match in DATE_AND_WORD.finditer(text):
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match[4] in names:
            assert f"{match[0]}" == format_day(day, tr), match[0]
            shown += 1
    assert shown, "no day shown with its weekday"


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_every_surface_shows_a_day_alike(
    lang: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """publication_1's deadline reads the same in the deadline's and the finding's explanations, the
    check's status row, the plan table and the Markdown export."""
    tr = translator(lang)
    day = format_day(DEADLINE, tr)

    deadline = WorkingCalendar("UA").period_after(dt.date(2025, 10, 9), "3 working days")
    assert deadline.date == DEADLINE
    explained = deadline.explain(tr)
    assert explained.endswith(f"-> {day}")

    template = load_template("drohobych_kir")
    events = read_event_log(EVENTS, template=template)
    report = check(template, events, start=START, as_of=AS_OF)
    (late,) = report.violated
    finding = late.text(lang)
    assert late.deadline == DEADLINE
    assert f"{day}: " in finding  # "... after the deadline 2025-10-14 Tue: 3 working days after ..."
    assert finding.count(day) == 2  # the deadline, and the end of its computation

    checked = _cli(
        ["check", "drohobych_kir", str(EVENTS), "--as-of", AS_OF.isoformat(), "--lang", lang],
        capsys,
        monkeypatch,
    )
    status_row = next(line for line in checked.splitlines() if "publication_1" in line.split()[1:2])
    assert f" {day} " in status_row  # the DUE column
    assert f" {format_day(dt.date(2025, 10, 16), tr)} " in f"{status_row} "  # HAPPENED

    planned = _cli(
        [
            "plan",
            "drohobych_kir",
            "--start",
            START.isoformat(),
            "--fix",
            f"publication_1={DEADLINE}",
            "--lang",
            lang,
        ],
        capsys,
        monkeypatch,
    )
    plan_row = next(line for line in planned.splitlines() if line.split()[:1] == ["publication_1"])
    assert f" {day} " in f"{plan_row} "

    schedule = plan(template, start=START, fixed={"publication_1": DEADLINE})
    statuses = statuses_for(template, events, start=START, as_of=AS_OF)
    exported = render("markdown", schedule, ExportOptions(lang=lang, as_of=AS_OF, statuses=statuses))
    export_row = next(line for line in exported.splitlines() if line.startswith("| `publication_1` |"))
    assert f"| {day} |" in export_row  # the status table's deadline column

    for text in (explained, finding, checked, planned, exported):
        _weekdays_agree(text, lang)
