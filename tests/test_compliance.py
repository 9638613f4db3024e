"""Compliance findings: deadlines from actual event days, the two readings, pending and overdue."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from civicflow.calendar import Reading
from civicflow.compliance import (
    DueSource,
    FindingKind,
    FindingStatus,
    Report,
    Status,
    StepDetail,
    check,
    heat_map,
    severity,
    status,
)
from civicflow.compliance._check import Checker, checker_for
from civicflow.compliance._status import InstanceLike, _stage_status, status_with
from civicflow.durations import DurationUnit
from civicflow.events import Event, EventType, parse_event_time
from civicflow.instance import ProcessInstance
from civicflow.loader import load_template, read_event_log
from civicflow.template import ProcessTemplate

FIXTURES = Path(__file__).parent / "fixtures" / "events"
KYIV = "Europe/Kyiv"


@pytest.fixture(scope="module")
def mini() -> ProcessTemplate:
    return load_template(FIXTURES / "mini.yaml")


@pytest.fixture(scope="module")
def checker(mini: ProcessTemplate) -> Checker:
    return Checker(mini)


def ev(step: str, when: str, kind: EventType = EventType.COMPLETE) -> Event:
    return Event(step, kind, parse_event_time(when, KYIV))


def finding(report: Report, step: str, kind: str | None = None) -> object:
    found = [f for f in report.findings if f.step == step and (kind is None or f.kind == kind)]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("published", "status", "late_by"),
    [("2024-10-14", "ok", None), ("2024-10-15", "ok", None), ("2024-10-16", "violated", 1)],
    ids=["early", "on-the-deadline", "a-day-late"],
)
def test_within_three_working_days_after_a_thursday_meeting(
    checker: Checker, published: str, status: str, late_by: int | None
) -> None:
    """Meeting 2024-10-10 Thu: publication due by 2024-10-15 Tue; on Wed 16th it is 1 working day late."""
    report = checker.check([ev("meeting", "2024-10-10"), ev("publication", published)])
    f = report.for_step("publication")[0]
    assert f.deadline == dt.date(2024, 10, 15)
    assert f.status.value == status
    assert f.late_by == late_by
    assert f.unit is DurationUnit.WORKING_DAYS
    assert f.kind is FindingKind.WITHIN
    assert f.to_dict()["unit"] == "working days"
    assert f.to_dict()["kind"] == "within"


def test_same_day_as_the_anchor_is_on_time(checker: Checker) -> None:
    """Publishing on the day of the meeting itself meets "within 3 working days after"."""
    report = checker.check([ev("meeting", "2024-10-10T10:00"), ev("publication", "2024-10-10T18:00")])
    assert report.for_step("publication")[0].status is FindingStatus.OK


def test_finding_cites_rule_text_reference_and_explanation(checker: Checker) -> None:
    """A finding quotes the rule's words, its legal citation and how the deadline was computed."""
    f = checker.check([ev("meeting", "2024-10-10"), ev("publication", "2024-10-16")]).for_step("publication")[
        0
    ]
    assert f.reference == "Mini plan s. 1"
    assert f.rule == "within 3 working days after the meeting (Mini plan s. 1)"
    assert "3 working days after 2024-10-10 Thu" in f.explanation
    assert "1 working day after the deadline" in f.explanation


@pytest.mark.parametrize(
    ("hearing", "status", "early_by"),
    [("2025-05-12", "violated", 1), ("2025-05-13", "ok", None)],
    ids=["on-the-last-day-of-the-period", "the-day-after"],
)
def test_at_least_ten_days_from_thursday_may_first(
    checker: Checker, hearing: str, status: str, early_by: int | None
) -> None:
    """Discussion from 2025-05-01 Thu ends 2025-05-12 Mon; the hearing may happen from 2025-05-13 Tue."""
    events = [
        ev("draft", "2025-05-01"),
        ev("discussion", "2025-05-01", EventType.OPEN),
        ev("discussion", "2025-05-12"),
        ev("hearing", hearing),
    ]
    report = checker.check(events)
    period = finding(report, "discussion", "at_least")
    assert period.status is FindingStatus.OK  # type: ignore[attr-defined]
    assert period.earliest == dt.date(2025, 5, 12)  # type: ignore[attr-defined]
    f = finding(report, "hearing", "after_period")
    assert f.status.value == status  # type: ignore[attr-defined]
    assert f.earliest == dt.date(2025, 5, 13)  # type: ignore[attr-defined]
    assert f.early_by == early_by  # type: ignore[attr-defined]


def test_discussion_closed_before_the_period_ends_is_violated(checker: Checker) -> None:
    """Closing a 10-day discussion on day 9 breaks the minimum period."""
    report = checker.check([ev("draft", "2025-05-01"), ev("discussion", "2025-05-10")])
    f = finding(report, "discussion", "at_least")
    assert f.status is FindingStatus.VIOLATED  # type: ignore[attr-defined]
    assert f.early_by == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("published", "status", "late_by"),
    [
        ("2025-03-11", "ok", None),
        ("2025-03-12", "disputable", 1),
        ("2025-03-13", "violated", 1),
    ],
    ids=["both-readings", "count-back-only", "neither"],
)
def test_no_later_than_three_working_days_before_a_monday_session(
    checker: Checker, published: str, status: str, late_by: int | None
) -> None:
    """Session 2025-03-17 Mon: reading A gives Wed 03-12, reading B Tue 03-11; between them is disputable."""
    report = checker.check([ev("notice", published), ev("session", "2025-03-17")])
    f = report.for_step("notice")[0]
    assert f.status.value == status
    assert f.late_by == late_by
    assert f.deadline == dt.date(2025, 3, 12)  # the template's reading: count back
    assert f.reading is Reading.COUNT_BACK
    assert dict(f.readings) == {"count_back": dt.date(2025, 3, 12), "clear_days": dt.date(2025, 3, 11)}
    assert f.reference == "Law on access to public information art. 15(3)"


def test_disputable_does_not_fail_the_check(checker: Checker) -> None:
    """A disputable finding is reported but the report stays ok (exit code 0)."""
    report = checker.check([ev("notice", "2025-03-12"), ev("session", "2025-03-17")])
    assert report.disputable
    assert report.ok


def test_utc_stamp_counts_on_the_kyiv_day(checker: Checker) -> None:
    """A publication stamped 2025-10-14T23:30Z happened on 15 October in Kyiv: one working day late."""
    report = checker.check([ev("meeting", "2025-10-09"), ev("publication", "2025-10-14T23:30:00Z")])
    f = report.for_step("publication")[0]
    assert f.deadline == dt.date(2025, 10, 14)
    assert f.actual == dt.date(2025, 10, 15)
    assert f.status is FindingStatus.VIOLATED


@pytest.mark.parametrize(
    ("as_of", "status", "late_by"),
    [
        (None, "pending", None),
        (dt.date(2024, 10, 15), "pending", None),
        (dt.date(2024, 10, 16), "overdue", 1),
    ],
    ids=["no-as-of", "on-the-deadline", "after-the-deadline"],
)
def test_missing_step_is_pending_until_the_deadline_passes(
    checker: Checker, as_of: dt.date | None, status: str, late_by: int | None
) -> None:
    """A step that has not happened is pending up to its deadline and overdue after it."""
    report = checker.check([ev("meeting", "2024-10-10")], as_of=as_of)
    f = report.for_step("publication")[0]
    assert f.status.value == status
    assert f.late_by == late_by
    assert report.ok is (status != "overdue")


def test_rule_whose_anchor_has_not_happened_is_pending_without_deadline(checker: Checker) -> None:
    """No meeting yet: the publication rule cannot be dated."""
    f = checker.check([], as_of=dt.date(2030, 1, 1)).for_step("publication")[0]
    assert f.status is FindingStatus.PENDING
    assert f.deadline is None


def test_events_after_as_of_are_left_out(checker: Checker) -> None:
    """As of a day, later events have not happened yet."""
    events = [ev("meeting", "2024-10-10"), ev("publication", "2024-10-20")]
    f = checker.check(events, as_of=dt.date(2024, 10, 14)).for_step("publication")[0]
    assert f.status is FindingStatus.PENDING
    assert f.actual is None


def test_skipped_step_or_anchor_makes_the_rule_skipped(checker: Checker) -> None:
    """A skipped step is not late, and neither is a step counted from a skipped one."""
    report = checker.check(
        [
            ev("meeting", "2024-10-10"),
            ev("publication", "2024-10-11", EventType.SKIP),
            ev("session", "2025-03-17", EventType.SKIP),
        ],
        as_of=dt.date(2025, 6, 1),
    )
    assert report.for_step("publication")[0].status is FindingStatus.SKIPPED
    assert report.for_step("notice")[0].status is FindingStatus.SKIPPED


@pytest.mark.parametrize(
    ("report_day", "status"), [("2025-03-17", "violated"), ("2025-03-18", "ok")], ids=["day-4", "day-5"]
)
def test_not_earlier_than_five_days_after(checker: Checker, report_day: str, status: str) -> None:
    """A report "not earlier than 5 days after" a Thursday session may appear from the Tuesday after."""
    f = checker.check([ev("session", "2025-03-13"), ev("report", report_day)]).for_step("report")[0]
    assert f.earliest == dt.date(2025, 3, 18)
    assert f.status.value == status


def test_check_function_equals_checker(mini: ProcessTemplate, checker: Checker) -> None:
    """``check()`` is the one-off form of ``Checker.check``."""
    events = [ev("meeting", "2024-10-10"), ev("publication", "2024-10-16")]
    assert check(mini, events) == checker.check(events)


def test_report_json_form(checker: Checker) -> None:
    """The report serialises to JSON with findings, ISO dates and a summary of every status."""
    report = checker.check(
        [ev("meeting", "2024-10-10"), ev("publication", "2024-10-16")], as_of=dt.date(2024, 11, 1)
    )
    data = json.loads(json.dumps(report.to_dict()))
    assert data["process"] == "mini"
    assert data["as_of"] == "2024-11-01"
    assert data["ok"] is False
    first = data["findings"][0]
    assert {"step", "status", "deadline", "actual", "rule", "late_by", "unit", "reference"} <= set(first)
    assert first["deadline"] == "2024-10-15"
    assert set(data["summary"]) == {s.value for s in FindingStatus}


def test_drohobych_log_is_compliant() -> None:
    """The Drohobych fixture log meets every rule of the bundled template."""
    template = load_template("drohobych_kir")
    events = read_event_log(FIXTURES / "drohobych_2024.yaml", timezone=KYIV, template=template)
    report = check(template, events, as_of=dt.date(2025, 4, 1))
    assert report.ok
    assert report.summary()["ok"] == len(report.findings) == 11


def test_instance_check_matches_the_pure_check(mini: ProcessTemplate) -> None:
    """An instance's check is the check of its history."""
    inst = ProcessInstance(mini, start=dt.date(2024, 10, 1))
    inst.record("meeting", at=dt.date(2024, 10, 10))
    inst.record("publication", at=dt.date(2024, 10, 16))
    assert (
        inst.check(dt.date(2024, 11, 1)).violated
        == check(mini, inst.history, start=dt.date(2024, 10, 1), as_of=dt.date(2024, 11, 1)).violated
    )


def test_status_per_step_and_stage(mini: ProcessTemplate) -> None:
    """Statuses: done late, due soon, not started; a stage shows the worst of its steps."""
    events = [ev("meeting", "2024-10-10"), ev("publication", "2024-10-16"), ev("draft", "2024-10-20")]
    st = status((mini, events, None), as_of=dt.date(2024, 10, 21))
    assert st.steps["publication"] is Status.DONE_LATE
    assert st.steps["discussion"] is Status.ON_TRACK
    assert st.steps["session"] is Status.NOT_STARTED
    assert st.stages == {"s1": Status.DONE_LATE, "s2": Status.ON_TRACK, "s3": Status.NOT_STARTED}
    soon = status((mini, events[:1], None), as_of=dt.date(2024, 10, 14))
    assert soon.steps["publication"] is Status.DUE_SOON
    late = status((mini, events[:1], None), as_of=dt.date(2024, 10, 16))
    assert late.steps["publication"] is Status.OVERDUE
    assert late.worst is Status.OVERDUE


def test_one_severity_order_for_steps_and_findings() -> None:
    """A broken legal rule is worse than a missed deadline, for step statuses and findings alike; a finding
    ranks as the step status it stands for."""
    assert severity(Status.VIOLATED) > severity(Status.OVERDUE) > severity(Status.DONE_LATE)
    assert (
        severity(FindingStatus.VIOLATED)
        > severity(FindingStatus.OVERDUE)
        > severity(FindingStatus.DISPUTABLE)
    )
    assert severity(FindingStatus.OK) == severity(Status.DONE)
    assert severity(FindingStatus.PENDING) == severity(Status.ON_TRACK)
    ranked = sorted(FindingStatus, key=severity)
    assert ranked == [
        FindingStatus.SKIPPED,
        FindingStatus.OK,
        FindingStatus.PENDING,
        FindingStatus.DISPUTABLE,
        FindingStatus.OVERDUE,
        FindingStatus.VIOLATED,
    ]


def test_a_stage_with_a_violated_and_an_overdue_step_shows_violated() -> None:
    """The stage shows the worst of its steps: violated over overdue, whichever comes first."""
    steps = [StepDetail("a", Status.OVERDUE), StepDetail("b", Status.VIOLATED), StepDetail("c", Status.DONE)]
    assert _stage_status(steps)[0] is Status.VIOLATED
    assert _stage_status(reversed(steps))[0] is Status.VIOLATED


def test_heat_map_rows_and_columns(mini: ProcessTemplate) -> None:
    """A heat map has one row per instance and one column per top-level stage."""
    inst = ProcessInstance(mini, start=dt.date(2024, 10, 1), name="a")
    inst.record("meeting", at=dt.date(2024, 10, 10))
    inst.record("publication", at=dt.date(2024, 10, 11))
    hm = heat_map({"a": inst, "b": (mini, [ev("meeting", "2024-10-01")], None)}, dt.date(2024, 10, 20))
    assert hm.stages == ("s1", "s2", "s3")
    assert [r.name for r in hm.rows] == ["a", "b"]
    assert hm.rows[0].cells[0] is Status.DONE
    assert hm.rows[1].cells[0] is Status.OVERDUE
    assert not hm.ok
    data = json.loads(json.dumps(hm.to_dict()))
    assert data["rows"][1]["cells"]["s1"] == "overdue"


# --- due days from the plan, for steps no rule dates ------------------------------------------------


@pytest.fixture(scope="module")
def drohobych() -> ProcessTemplate:
    return load_template("drohobych_kir")


@pytest.fixture(scope="module")
def drohobych_log(drohobych: ProcessTemplate) -> list[Event]:
    return read_event_log(FIXTURES / "drohobych_2024.yaml", timezone=KYIV, template=drohobych)


def until(events: list[Event], last: dt.date) -> list[Event]:
    return [e for e in events if e.at.date() <= last]


START = dt.date(2024, 10, 1)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2024, 11, 14), Status.NOT_STARTED),
        (dt.date(2024, 11, 18), Status.DUE_SOON),
        (dt.date(2024, 11, 20), Status.DUE_SOON),
        (dt.date(2024, 11, 21), Status.OVERDUE),
    ],
    ids=["four-working-days-before", "two-working-days-before", "on-the-day", "the-day-after"],
)
def test_meeting_without_rule_is_due_by_its_window(
    drohobych: ProcessTemplate, drohobych_log: list[Event], as_of: dt.date, expected: Status
) -> None:
    """meeting_2 ("mid November", no rule) not held: due soon from Mon 18 Nov, overdue after Wed 20 Nov."""
    events = until(drohobych_log, dt.date(2024, 11, 5))
    st = status((drohobych, events, START), as_of=as_of)
    meeting = st.details["meeting_2"]
    assert meeting.status is expected
    assert meeting.due == dt.date(2024, 11, 20)
    assert meeting.due_source is DueSource.PLAN
    assert "'mid November' closes on 2024-11-20" in meeting.explanation
    assert st.report.ok  # legal findings stay rule-only: the plan's window is not a finding


def test_meeting_held_after_its_window_is_done_late(
    drohobych: ProcessTemplate, drohobych_log: list[Event]
) -> None:
    """meeting_2 held on 25 November, after "mid November" closed on the 20th, is done late."""
    events = [*until(drohobych_log, dt.date(2024, 11, 5)), ev("meeting_2", "2024-11-25T12:00")]
    st = status((drohobych, events, START), as_of=dt.date(2024, 11, 26))
    meeting = st.details["meeting_2"]
    assert meeting.status is Status.DONE_LATE
    assert (meeting.due, meeting.actual, meeting.due_source) == (
        dt.date(2024, 11, 20),
        dt.date(2024, 11, 25),
        DueSource.PLAN,
    )
    assert "5 days after 2024-11-20 Wed" in meeting.explanation
    assert st.steps["publication_1"] is Status.DONE
    assert st.details["publication_1"].due_source is DueSource.RULE


def test_rule_deadline_wins_over_the_plan(drohobych: ProcessTemplate, drohobych_log: list[Event]) -> None:
    """A step with a dated rule is due by the rule's deadline, counted from the actual meeting day."""
    st = status((drohobych, until(drohobych_log, dt.date(2024, 10, 11)), START), as_of=dt.date(2024, 10, 11))
    pub = st.details["publication_1"]
    assert (pub.status, pub.due, pub.due_source) == (Status.DUE_SOON, dt.date(2024, 10, 15), DueSource.RULE)


def test_heat_map_worst_status_per_stage(drohobych: ProcessTemplate, drohobych_log: list[Event]) -> None:
    """On time, late, overdue: the analytical stage shows ok, LATE and OVER, dated by the plan."""
    before = until(drohobych_log, dt.date(2024, 11, 5))
    template = drohobych.model_copy()  # a template object no other test has checked: no plans yet
    instances: dict[str, InstanceLike] = {
        "on_time": (template, drohobych_log, START),
        "late": (template, [*before, ev("meeting_2", "2024-11-25")], START),
        "overdue": (template, before, START),
    }
    hm = heat_map(instances, dt.date(2024, 11, 26))
    checker = checker_for(template)
    cells = {row.name: dict(zip(hm.stages, row.cells, strict=True)) for row in hm.rows}
    analytical = {name: c["stage_2_analytical"] for name, c in cells.items()}
    assert analytical == {"on_time": Status.ON_TRACK, "late": Status.DONE_LATE, "overdue": Status.OVERDUE}
    assert {c["stage_1_preparatory"] for c in cells.values()} == {Status.DONE}
    # the strategic session ("end of November") is proposed by Fri 29 Nov, the last working day of its
    # window: within 3 working days of the 26th
    assert {c["stage_3_preliminary_draft"] for c in cells.values()} == {Status.DUE_SOON}
    assert hm.rows[2].status.stage_sources["stage_2_analytical"] is DueSource.PLAN
    assert hm.ok  # no legal rule is broken: only the plan's windows were missed
    assert checker.plans_made == 1  # one start, no pins: one plan for the three, kept by the shared checker
    row = json.loads(json.dumps(hm.to_dict()))["rows"][2]
    assert row["due_sources"]["stage_2_analytical"] == "plan"
    meeting = next(s for s in row["steps"] if s["step"] == "meeting_2")
    assert (meeting["status"], meeting["due"], meeting["due_source"]) == ("overdue", "2024-11-20", "plan")


def test_plans_are_shared_by_start(drohobych: ProcessTemplate, drohobych_log: list[Event]) -> None:
    """A template's shared checker plans once per distinct start, across calls; the due days follow the
    start's year."""
    template = drohobych.model_copy()  # a template object no other test has checked: no plans yet
    checker = checker_for(template)
    events = until(drohobych_log, dt.date(2024, 11, 5))
    for _ in range(3):
        status((template, events, START), as_of=dt.date(2024, 11, 21))
    assert checker_for(template) is checker
    assert checker.plans_made == 1
    later = [Event(e.step, e.event, e.at + dt.timedelta(weeks=52), e.by) for e in events]
    st = status((template, later, dt.date(2025, 9, 30)), as_of=dt.date(2025, 11, 21))
    assert st.details["meeting_2"].due == dt.date(2025, 11, 20)
    assert checker.plans_made == 2


def test_steps_the_plan_does_not_bound_have_no_due_day(mini: ProcessTemplate) -> None:
    """A step with neither a rule deadline nor a window (the mini template's hearing) gets no due day."""
    st = status((mini, [ev("meeting", "2024-10-10")], None), as_of=dt.date(2025, 6, 1))
    assert st.details["hearing"].due is None
    assert st.steps["hearing"] is Status.NOT_STARTED


def test_a_shared_checker_gives_what_a_fresh_one_gives(
    drohobych: ProcessTemplate, drohobych_log: list[Event], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checker remembers the findings of each rule and the status of each step per distinct
    situation and shares them between instances: every status equals the one a new checker computes,
    whatever the order, also when its memos fill up and start again."""
    import civicflow.compliance._check as check_module
    import civicflow.compliance._status as status_module

    cases = []
    for n, cut in enumerate((dt.date(2024, 10, 20), dt.date(2024, 11, 5), dt.date(2024, 12, 20))):
        for weeks in (0, 52):
            moved = [Event(e.step, e.event, e.at + dt.timedelta(weeks=weeks), e.by) for e in drohobych_log]
            late = dt.timedelta(days=n)  # some publications a day or two later: other findings
            moved = [
                Event(e.step, e.event, e.at + late, e.by) if "publication" in e.step else e for e in moved
            ]
            start = START + dt.timedelta(weeks=weeks)
            day = cut + dt.timedelta(weeks=weeks)
            known = until(moved, day)
            missing = [e for e in known if "publication" not in e.step]  # rules waiting for them
            for later, soon in ((0, 3), (3, 3), (3, 10), (30, 3)):  # the same facts on later days, and
                # more or fewer days counted as due soon: other deadlines passed or near
                for ev in (known, missing, []):
                    cases.append((ev, start, day + dt.timedelta(days=later), soon))
    for weeks in (0, 1, 2):  # nothing happened yet, other starts, one check date: other plans
        cases.append(([], START + dt.timedelta(weeks=weeks), dt.date(2024, 11, 21), 3))
    fresh = [
        status_with(Checker(drohobych), (drohobych, ev, start), as_of=day, soon=soon)
        for ev, start, day, soon in cases
    ]
    for size in (100_000, 7):
        monkeypatch.setattr(check_module, "FINDINGS_CACHE_SIZE", size)
        monkeypatch.setattr(status_module, "STATUS_CACHE_SIZE", size)
        monkeypatch.setattr(check_module, "SITUATION_CACHE_SIZE", size)
        monkeypatch.setattr(status_module, "SITUATION_CACHE_SIZE", size)
        shared = Checker(drohobych)
        for order in (cases, cases[::-1], cases):
            got = {id(c): status_with(shared, (drohobych, c[0], c[1]), as_of=c[2], soon=c[3]) for c in order}
            assert [got[id(c)] for c in cases] == fresh
