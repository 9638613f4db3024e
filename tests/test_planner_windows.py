"""Plans an officer would accept: undated steps are windows, meetings and hearings fall on working days."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from civicflow.exporters import ExportOptions, render
from civicflow.loader import load_template
from civicflow.planner import plan
from civicflow.template import WORKING_DAY_KINDS, ProcessTemplate

D = dt.date
SEEDS = ("drohobych_kir", "sandanski_debates", "sofia_vision", "togliatti_map", "vinnytsia_hub")
SANDANSKI_UNDATED = (
    "good_practice_study",
    "participation_analysis",
    "ngo_recommendations",
    "documents_on_platform",
    "platform_development",
    "platform_operation",
    "benchmark_forum",
    "poster_and_logo",
    "civic_initiatives_festival",
    "permanent_exhibition",
    "information_campaign",
)


def test_sandanski_undated_activities_are_windows_over_the_project() -> None:
    """The 11 activities the source leaves undated lie anywhere in 04.01.2019-04.01.2021, not on day one."""
    s = plan(load_template("sandanski_debates"))
    for sid in SANDANSKI_UNDATED:
        step = s.step(sid)
        assert step.window, sid
        assert step.start <= D(2019, 1, 5), sid
        assert step.end >= D(2021, 1, 3), sid


def test_vinnytsia_brand_and_strategies_is_a_window_after_the_agreement() -> None:
    """Brand and strategies come after the hub agreement of 01.03.2018, on a day the source leaves open."""
    step = plan(load_template("vinnytsia_hub")).step("project_brand_and_strategies")
    assert (step.start, step.end, step.window) == (D(2018, 3, 2), D(2021, 12, 31), True)


@pytest.mark.parametrize("fmt", ["json", "csv", "ics", "html", "markdown", "mermaid"])
def test_undated_steps_are_marked_as_windows_in_every_output(fmt: str) -> None:
    """The forum (an undated meeting) is a window in every export format."""
    t = load_template("sandanski_debates")
    text = render(fmt, plan(t), ExportOptions(template=t, as_of=D(2019, 1, 4)))
    if fmt == "json":
        forum = next(s for s in json.loads(text)["steps"] if s["id"] == "benchmark_forum")
        assert forum["window"] is True
    elif fmt == "csv":
        row = next(line for line in text.splitlines() if line.startswith("benchmark_forum,"))
        assert ",yes,yes,no," in row or ",no,yes,no," in row  # span, window, fixed
    elif fmt == "ics":
        block = text.split("UID:sandanski_debates.benchmark_forum@civicflow")[1].split("END:VEVENT")[0]
        assert "STATUS:TENTATIVE" in block
        assert (
            "(window)"
            in text.split("UID:sandanski_debates.benchmark_forum@civicflow")[0].rsplit("BEGIN:VEVENT", 1)[1]
            + block
        )
    elif fmt == "html":
        assert 'data-step="benchmark_forum"' in text
        row = text.split('<tr data-step="benchmark_forum">')[1].split("</tr>")[0]
        assert "(window)" in row
    elif fmt == "markdown":
        row = next(line for line in text.splitlines() if "`benchmark_forum`" in line)
        assert "window" in row
    else:
        assert any("(window)" in line and "benchmark_forum" in line for line in text.splitlines())


def test_drohobych_meetings_are_proposed_on_working_days() -> None:
    """Meeting 5 opens on Mon 29.12.2025 (not Sat 27.12), meeting 6 on Mon 12.01.2026 (not Sun 11.01),
    meeting 8 closes on Fri 27.02.2026 (not Sat 28.02)."""
    s = plan(load_template("drohobych_kir"), start=D(2025, 10, 6))
    assert s.step("meeting_5").start == D(2025, 12, 29)
    assert s.step("meeting_6").start == D(2026, 1, 12)
    assert s.step("meeting_8").end == D(2026, 2, 27)
    assert any("then the next working day" in e for e in s.step("meeting_5").explanation)


@pytest.mark.parametrize("tid", SEEDS)
def test_every_meeting_window_begins_and_ends_on_a_working_day(tid: str) -> None:
    """In every seed template, each meeting, hearing, strategic session or approval window that is not a
    date of the source opens and closes on a working day of the jurisdiction."""
    t = load_template(tid)
    s = plan(t, start=t.start or D(2025, 10, 6))
    cal = t.working_calendar()
    kinds = {k.value for k in WORKING_DAY_KINDS}
    checked = 0
    for step in s.steps:
        if step.kind in kinds and step.window and not step.span:
            assert cal.is_working_day(step.start), (step.id, step.start)
            assert cal.is_working_day(step.end), (step.id, step.end)
            checked += 1
    if tid in ("drohobych_kir", "togliatti_map"):
        assert checked > 0


def _opted_out(template: ProcessTemplate, *, whole: bool) -> ProcessTemplate:
    data = template.model_dump(mode="json", exclude_none=True)
    if whole:
        data["meetings_on_working_days"] = False
    else:
        for stage in data["stages"]:
            for step in stage["steps"]:
                if step["id"] == "meeting_5":
                    step["working_day"] = False
    return ProcessTemplate.model_validate(data)


@pytest.mark.parametrize("whole", [True, False], ids=["template", "step"])
def test_a_template_or_a_step_may_opt_out(whole: bool) -> None:
    """`meetings_on_working_days: false` (template) or `working_day: false` (step) keeps Sat 27.12."""
    t = _opted_out(load_template("drohobych_kir"), whole=whole)
    s = plan(t, start=D(2025, 10, 6))
    assert s.step("meeting_5").start == D(2025, 12, 27)
    assert s.step("meeting_6").start == (D(2026, 1, 11) if whole else D(2026, 1, 12))


@pytest.mark.parametrize("tid", ["sandanski_debates", "togliatti_map"])
def test_a_template_that_fixes_its_start_is_not_moved_by_another_start(
    tid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another --start is an error naming the template's own start (exit 2); the same start is fine."""
    from civicflow.cli import main
    from civicflow.errors import PlanInputError

    t = load_template(tid)
    assert t.start is not None
    with pytest.raises(PlanInputError, match=f"fixes its own start, {t.start.isoformat()}"):
        plan(t, start=t.start + dt.timedelta(days=365))
    assert plan(t, start=t.start) == plan(t)
    assert main(["plan", tid, "--start", (t.start + dt.timedelta(days=1)).isoformat()]) == 2
    assert "would move them silently" in capsys.readouterr().err
    assert main(["export", tid, "--start", "2030-01-01", "--format", "csv"]) == 2


def test_show_says_an_undated_step_is_a_window(capsys: pytest.CaptureFixture[str]) -> None:
    """`civicflow show` describes a step without timing as a window, as the plan treats it."""
    from civicflow.cli import main

    assert main(["--color", "never", "show", "sandanski_debates"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "when: undated: a window, any day within its stage or the project" in out
    assert "when: undated: a window, any day after its dependencies, within its stage or the project" in out
