"""What the user fixed or recorded is shown on its own day everywhere; a rule it breaks is a finding."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicflow.cli import main
from civicflow.cli._common import Console
from civicflow.cli.plan import render_csv, render_table
from civicflow.compliance import status
from civicflow.events import Event, EventType
from civicflow.exporters import EXPORTERS, ExportOptions, render, statuses_for
from civicflow.loader import load_template
from civicflow.planner import plan, recorded_days
from civicflow.schedule import Schedule, Severity
from civicflow.template import ProcessTemplate

D = dt.date
KYIV = dt.timezone(dt.timedelta(hours=2))
KIR = load_template("drohobych_kir")
FIX = {
    "meeting_2": D(2025, 11, 14),
    "publication_analysis": D(2025, 11, 21),
    "strategic_session": D(2025, 11, 25),
}


def _template(stages: list[dict[str, Any]]) -> ProcessTemplate:
    return ProcessTemplate.model_validate(
        {
            "civicflow": 1,
            "id": "facts",
            "version": "1",
            "language": "en",
            "title": {"en": "Facts"},
            "jurisdiction": {"country": "UA", "timezone": "Europe/Kyiv"},
            "stages": stages,
        }
    )


def test_fixed_session_stays_on_its_day_and_the_broken_rule_names_the_chain() -> None:
    """The session fixed on 25 Nov is planned on 25 Nov; the 3-working-day rule it breaks is an ERROR that
    names the analysis, the session, the rule and the actual gap of 2 working days."""
    s = plan(KIR, start=D(2025, 10, 6), fixed=FIX)
    session = s.step("strategic_session")
    assert (session.start, session.end, session.fixed) == (D(2025, 11, 25), D(2025, 11, 25), True)
    assert s.step("publication_analysis").start == D(2025, 11, 21)
    errors = [f for f in s.findings if f.severity is Severity.ERROR]
    assert len(errors) == 1
    error = errors[0]
    assert set(error.steps) == {"strategic_session", "publication_analysis"}
    assert set(error.facts) == {"strategic_session", "publication_analysis"}
    assert (
        "publication_analysis on 2025-11-21 Fri is 2 working days before strategic_session on 2025-11-25 Tue"
        in (error.message)
    )
    assert "the rule asks 3 working days" in error.message
    assert error.rules
    assert "3 working days before the strategic session" in error.rules[0]
    assert not s.feasible
    assert s.broken_by_facts


def test_cli_plan_shows_the_fixed_day_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    """`civicflow plan --fix` prints the fixed day as it is and exits 1 for the rule it breaks."""
    args = ["--color", "never", "plan", "drohobych_kir", "--start", "2025-10-06"]
    for sid, day in FIX.items():
        args += ["--fix", f"{sid}={day.isoformat()}"]
    assert main(args) == 1
    out = capsys.readouterr().out
    # the weekday is shown when the terminal is wide enough for it with whole step ids (not at 80)
    assert re.search(r"^ strategic_session +2025-11-25( Tue)? +fixed$", out, re.M)
    assert "2025-11-26" not in out.split("Findings:")[0]
    assert "ERROR: strategic_session is fixed on 2025-11-25 Tue" in out
    assert main([*args[2:], "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    # the explanations once said "held between 2025-11-26 .. 2025-11-25" and "due by 2025-11-21 .. 2025-11-20"
    assert reversed_ranges(json.dumps(data, ensure_ascii=False)) == []


def test_a_fixed_day_that_misses_a_deadline_is_an_error_not_a_quiet_fixed() -> None:
    """A publication fixed 5 working days after the meeting it must follow within 3 is an ERROR; both days
    stay where they were fixed."""
    t = _template(
        [
            {
                "id": "main",
                "title": {"en": "Main"},
                "steps": [
                    {"id": "meet", "kind": "meeting", "title": {"en": "m"}},
                    {
                        "id": "pub",
                        "kind": "publication",
                        "title": {"en": "p"},
                        "timing": {
                            "type": "rule",
                            "rule": "within",
                            "of": "meet",
                            "duration": "3 working days",
                        },
                    },
                ],
            }
        ]
    )
    s = plan(t, start=D(2025, 3, 3), fixed={"meet": D(2025, 3, 3), "pub": D(2025, 3, 10)})
    assert (s.step("meet").start, s.step("pub").start) == (D(2025, 3, 3), D(2025, 3, 10))
    errors = [f for f in s.findings if f.severity is Severity.ERROR]
    assert len(errors) == 1
    assert (
        "pub on 2025-03-10 Mon is 5 working days after meet on 2025-03-03 Mon, the rule allows 3 working days"
        in (errors[0].message)
    )


def test_stage_depends_on_holds_for_a_dated_step() -> None:
    """A vote dated before the consultation its stage depends on has ended is an ERROR; the vote keeps
    its date. Written on the step, the same dependency gives the same verdict."""
    consult = {
        "id": "consult",
        "title": {"en": "Consultation"},
        "steps": [
            {
                "id": "discussion",
                "kind": "public_discussion",
                "title": {"en": "d"},
                "timing": {"type": "range", "start": "2025-03-03", "end": "2025-03-31"},
            }
        ],
    }
    vote = {
        "id": "vote",
        "kind": "approval",
        "title": {"en": "v"},
        "timing": {"type": "date", "date": "2025-03-20"},
    }
    on_stage = _template(
        [consult, {"id": "approve", "title": {"en": "A"}, "depends_on": ["consult"], "steps": [vote]}]
    )
    on_step = _template(
        [consult, {"id": "approve", "title": {"en": "A"}, "steps": [{**vote, "depends_on": ["discussion"]}]}]
    )
    for t in (on_stage, on_step):
        s = plan(t, start=D(2025, 3, 3))
        assert s.step("vote").start == D(2025, 3, 20)
        errors = [f for f in s.findings if f.severity is Severity.ERROR]
        assert len(errors) == 1, t
        assert errors[0].message.startswith("vote is dated by the template on 2025-03-20 Thu")
        assert "2025-03-31" in errors[0].message


def _events(*rows: tuple[str, str, str]) -> list[Event]:
    return [
        Event(step=s, event=EventType(e), at=dt.datetime.fromisoformat(d).replace(tzinfo=KYIV))
        for s, e, d in rows
    ]


def test_recorded_days_pin_points_and_spans() -> None:
    """A one-day step is pinned to its completion day, a span to its first and last days."""
    events = _events(
        ("meeting_1", "complete", "2025-10-09T15:00"),
        ("state_regional_interests", "open", "2025-10-10T09:00"),
        ("state_regional_interests", "complete", "2025-10-30T09:00"),
        ("current_documents", "open", "2025-10-10T09:00"),
    )
    assert recorded_days(KIR, events) == {
        "meeting_1": D(2025, 10, 9),
        "state_regional_interests": (D(2025, 10, 10), D(2025, 10, 30)),
        "current_documents": D(2025, 10, 10),
    }
    s = plan(KIR, start=D(2025, 10, 6), fixed=recorded_days(KIR, events))
    span = s.step("state_regional_interests")
    assert (span.start, span.end) == (D(2025, 10, 10), D(2025, 10, 30))


_LOG = """\
template: drohobych_kir
start: 2025-10-06
events:
  - {step: meeting_1, date: 2025-10-09}
  - {step: publication_1, date: 2025-10-10}
  - {step: state_regional_interests, event: open, date: 2025-10-10}
  - {step: state_regional_interests, date: 2025-10-30}
  - {step: current_documents, event: open, date: 2025-10-10}
  - {step: current_documents, date: 2025-10-31}
  - {step: public_interests, event: open, date: 2025-10-13}
  - {step: public_interests, date: 2025-11-07}
  - {step: stakeholder_meetings, event: open, date: 2025-10-20}
  - {step: stakeholder_meetings, date: 2025-11-12}
  - {step: meeting_2, date: 2025-11-14}
  - {step: publication_analysis, date: 2025-11-21}
  - {step: strategic_session, date: 2025-11-25}
"""


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_export_events_draws_the_session_on_its_recorded_day(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`export --events` shows the session on 25 Nov in every format (never 26 Nov), and exits 0."""
    log = tmp_path / "log.yaml"
    log.write_text(_LOG, encoding="utf-8")
    args = ["export", "drohobych_kir", "--start", "2025-10-06", "--events", str(log), "--as-of", "2025-11-26"]
    assert main([*args, "--format", fmt]) == 0
    out = capsys.readouterr().out
    # the lines (or the JSON object) that speak of the session
    if fmt == "json":
        step = next(s for s in json.loads(out)["steps"] if s["id"] == "strategic_session")
        assert (step["start"], step["end"], step["fixed"]) == ("2025-11-25", "2025-11-25", True)
        return
    if fmt == "ics":
        events = out.replace("\r\n ", "").split("BEGIN:VEVENT")
        block = next(e for e in events if "UID:drohobych_kir.strategic_session@civicflow" in e)
        assert "DTSTART;VALUE=DATE:20251125" in block
        assert "STATUS:CONFIRMED" in block
        return
    text = out.replace("\r\n", "\n")
    rows = [line for line in text.splitlines() if "strategic_session" in line and "2025-11-2" in line]
    assert rows, f"no row of strategic_session in {fmt}"
    assert any("2025-11-25" in r for r in rows)
    # only the finding may name the 26th: as the day the rules would have wanted
    assert not any("2025-11-26" in r for r in rows if "the rules put" not in r)


def test_a_recorded_run_is_never_called_not_feasible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Markdown and HTML reports of a log that breaks a rule say what happened breaks it."""
    log = tmp_path / "log.yaml"
    log.write_text(_LOG, encoding="utf-8")
    for fmt in ("markdown", "html"):
        args = [
            "export",
            "drohobych_kir",
            "--start",
            "2025-10-06",
            "--events",
            str(log),
            "--as-of",
            "2025-11-26",
        ]
        assert main([*args, "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "not feasible" not in out
        assert "what happened breaks 1 rule" in out
        assert "publication_analysis on 2025-11-21 Fri is 2 working days before strategic_session" in out


# --- no reversed range, anywhere -----------------------------------------------------------------------

_ISO = r"(\d{4}-\d{2}-\d{2})"
_RANGES = [
    re.compile(_ISO + r"(?: \w{3})? *(?:\.\.|–|…) *" + _ISO),
    re.compile(r"between " + _ISO + r"(?: \w{3})? and " + _ISO),
]


def reversed_ranges(text: str) -> list[str]:
    """Every ``A .. B`` (or ``A – B``, ``between A and B``) in ``text`` whose first day is after its last."""
    found = []
    for pattern in _RANGES:
        for m in pattern.finditer(text):
            if m.group(1) > m.group(2):
                found.append(m.group(0))
    return found


def test_reversed_ranges_finds_one() -> None:
    """The detector itself: it flags a backward range and passes forward ones."""
    assert reversed_ranges("due by 2025-11-21 .. 2025-11-20; held 2025-11-24 .. 2025-11-25") == [
        "2025-11-21 .. 2025-11-20"
    ]


def _outputs(schedule: Schedule, template: ProcessTemplate, events: list[Event]) -> dict[str, str]:
    statuses = statuses_for(template, events, start=schedule.start, as_of=D(2026, 1, 15)) if events else {}
    options = ExportOptions(template=template, as_of=D(2026, 1, 15), statuses=statuses)
    out = {fmt: render(fmt, schedule, options) for fmt in EXPORTERS}
    out["plan table"] = render_table(schedule, Console(io.StringIO(), io.StringIO()))
    out["plan csv"] = render_csv(schedule)
    if events:
        st = status((template, events, schedule.start), as_of=D(2026, 1, 15))
        out["check and status"] = "\n".join(
            [*(f.explanation for f in st.report.findings), *(d.explanation for d in st.details.values())]
        )
    out["explanations"] = "\n".join(
        [*(f.message for f in schedule.findings), *(e for s in schedule.steps for e in s.explanation)]
    )
    return out


_STEPS = [s.id for _, s in KIR.iter_steps()]
_DAYS = st.dates(min_value=D(2025, 10, 6), max_value=D(2026, 4, 30))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(_STEPS), _DAYS, max_size=6))
def test_random_fixes_never_give_a_reversed_range_and_stay_put(fixed: dict[str, dt.date]) -> None:
    """Whatever days are fixed, every output keeps them and no output prints a range backwards."""
    s = plan(KIR, start=D(2025, 10, 6), fixed=fixed)
    for sid, day in fixed.items():
        assert s.step(sid).start == day
    for step in s.steps:
        assert step.start <= step.end, step.id
    for stage in s.stages:
        assert stage.start <= stage.end, stage.id
    for name, text in _outputs(s, KIR, []).items():
        assert reversed_ranges(text) == [], name


@st.composite
def _logs(draw: st.DrawFn) -> list[Event]:
    chosen = draw(st.lists(st.sampled_from(_STEPS), unique=True, max_size=8))
    events: list[Event] = []
    for sid in chosen:
        day = draw(_DAYS)
        hour = draw(st.integers(min_value=0, max_value=23))
        at = dt.datetime(day.year, day.month, day.day, hour, tzinfo=KYIV)
        if KIR.step(sid).is_span:
            events.append(Event(sid, EventType.OPEN, at))
            if draw(st.booleans()):
                events.append(
                    Event(sid, EventType.COMPLETE, at + dt.timedelta(days=draw(st.integers(0, 40))))
                )
        else:
            events.append(Event(sid, EventType.COMPLETE, at))
    return events


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_logs())
def test_random_logs_are_drawn_on_their_days_without_reversed_ranges(events: list[Event]) -> None:
    """Planned with a random log's recorded days, every step that happened is on its day in the plan and
    no output (table, JSON, CSV, ICS, HTML, Markdown, Mermaid, explanations) prints a range backwards."""
    pins = recorded_days(KIR, events)
    s = plan(KIR, start=D(2025, 10, 6), fixed=pins)
    for sid, pin in pins.items():
        first = pin[0] if isinstance(pin, tuple) else pin
        assert s.step(sid).start == first
        if isinstance(pin, tuple):
            assert s.step(sid).end == pin[1]
    for step in s.steps:
        assert step.start <= step.end, step.id
    for name, text in _outputs(s, KIR, events).items():
        assert reversed_ranges(text) == [], name


_OTHERS = {
    tid: load_template(tid) for tid in ("sandanski_debates", "sofia_vision", "togliatti_map", "vinnytsia_hub")
}


@st.composite
def _other_fixes(draw: st.DrawFn) -> tuple[ProcessTemplate, dt.date, dict[str, dt.date]]:
    t = _OTHERS[draw(st.sampled_from(sorted(_OTHERS)))]
    start = t.start or D(2017, 3, 1)
    steps = [s.id for _, s in t.iter_steps()]
    days = st.dates(min_value=start, max_value=start + dt.timedelta(days=1000))
    return t, start, draw(st.dictionaries(st.sampled_from(steps), days, max_size=5))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_other_fixes())
def test_random_fixes_on_the_other_seeds_keep_their_days(
    case: tuple[ProcessTemplate, dt.date, dict[str, dt.date]],
) -> None:
    """The other seed templates too: fixed days stay put and no output prints a range backwards."""
    template, start, fixed = case
    s = plan(template, start=start, fixed=fixed)
    for sid, day in fixed.items():
        assert s.step(sid).start == day
    for name, text in _outputs(s, template, []).items():
        assert reversed_ranges(text) == [], name


FIXTURES = Path(__file__).parent / "fixtures" / "events"


@pytest.mark.parametrize("log", ["drohobych_2024.yaml", "drohobych_late.csv", "drohobych_in_progress.json"])
def test_recorded_days_break_only_what_the_check_finds_broken(log: str) -> None:
    """Planned with a log's recorded days, every ERROR names a step the compliance check finds violated,
    and a log the check finds compliant gives no ERROR (same-day steps and long discussions are fine)."""
    from civicflow.compliance import check
    from civicflow.loader import read_event_log

    events = read_event_log(FIXTURES / log, template=KIR)
    report = check(KIR, events, start=D(2024, 10, 1), as_of=D(2025, 4, 1))
    violated = {f.step for f in report.findings if f.status.value == "violated"}
    s = plan(KIR, start=D(2024, 10, 1), fixed=recorded_days(KIR, events))
    errors = [f for f in s.findings if f.severity is Severity.ERROR]
    assert {f.steps[0] for f in errors} <= violated
    assert bool(errors) == bool(violated)
    assert all(f.facts for f in errors)


def test_fixed_days_that_break_a_rule_are_named_as_such_in_the_report() -> None:
    """Without a log, the Markdown report says the fixed days break the rule, not that the plan fails."""
    text = render("markdown", plan(KIR, start=D(2025, 10, 6), fixed=FIX), ExportOptions(template=KIR))
    assert "**the fixed days break 1 rule**" in text
    assert "not feasible" not in text
    assert "## Findings" in text


def test_check_and_status_show_the_recorded_days(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`check` and `status` show the analysis on 21 Nov and the session on 25 Nov, as the log records."""
    log = tmp_path / "log.yaml"
    log.write_text(_LOG, encoding="utf-8")
    main(["--color", "never", "check", "drohobych_kir", str(log), "--as-of", "2025-11-26"])
    out = capsys.readouterr().out
    assert re.search(r"^\S+ +publication_analysis +\S+ \S+ +2025-11-21 Fri$", out, re.M)
    main(["status", str(log), "--template", "drohobych_kir", "--as-of", "2025-11-26", "--format", "json"])
    steps = {d["step"]: d for d in json.loads(capsys.readouterr().out)["rows"][0]["steps"]}
    assert steps["strategic_session"]["actual"] == "2025-11-25"
    assert steps["publication_analysis"]["actual"] == "2025-11-21"
