"""The planner on synthetic templates built in Python: semantics one by one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from civicflow.calendar import WorkingCalendar
from civicflow.cli import _cli_words
from civicflow.errors import PlanInputError
from civicflow.i18n import translator
from civicflow.planner import plan, resolve_window
from civicflow.planner._recurrence import period_end
from civicflow.schedule import Severity
from civicflow.template import OccurrencePrecision, ProcessTemplate, Window

D = dt.date
UA = WorkingCalendar("UA")


def make(steps: list[dict[str, Any]], **extra: Any) -> ProcessTemplate:
    data: dict[str, Any] = {
        "civicflow": 1,
        "id": "synthetic",
        "version": "1",
        "language": "en",
        "title": {"en": "Synthetic"},
        "jurisdiction": {"country": "UA"},
        "references": [{"id": "plan", "citation": "The plan, item 1.2"}],
        "stages": [{"id": "main", "title": {"en": "Main"}, "steps": steps}],
    }
    data.update(extra)
    return ProcessTemplate.model_validate(data)


def step(sid: str, kind: str = "meeting", **kw: Any) -> dict[str, Any]:
    return {"id": sid, "kind": kind, "title": {"en": sid}, **kw}


def window(month: int, part: str = "any", **kw: Any) -> dict[str, Any]:
    return {"type": "window", "month": month, "part": part, **kw}


def rule(kind: str, of: str, duration: str, **kw: Any) -> dict[str, Any]:
    return {"type": "rule", "rule": kind, "of": of, "duration": duration, "reference": "plan", **kw}


def test_start_is_required_unless_the_template_fixes_one() -> None:
    """Without a start and without template.start, PlanInputError says so."""
    with pytest.raises(PlanInputError, match="start"):
        plan(make([step("a")]), calendar=UA)


def test_unknown_fixed_ids_list_close_matches_first() -> None:
    """An unknown id in fixed lists the known ids, the closest first."""
    t = make([step("alpha"), step("meeting_1")])
    with pytest.raises(PlanInputError, match="known steps: meeting_1, alpha"):
        plan(t, start=D(2025, 1, 1), fixed={"meeting_2": D(2025, 1, 2)}, calendar=UA)


def test_missing_start_message_names_the_api_argument_and_the_cli_adds_its_option() -> None:
    """Without a start the message asks for the start and names start=; the CLI adds --start DATE."""
    with pytest.raises(PlanInputError) as info:
        plan(make([step("a")]), calendar=UA)
    assert str(info.value) == "synthetic has no fixed start: give the process start (start=)"
    assert info.value.argument == "start"
    assert _cli_words(info.value) == "synthetic has no fixed start: give the process start (--start DATE)"


def test_unknown_fixed_id_says_did_you_mean_and_names_the_option() -> None:
    """An unknown fixed id gives close matches as 'did you mean', names fixed= (the CLI adds --fix) and
    cuts the list."""
    t = make([step(f"s{i:02d}") for i in range(20)] + [step("meeting_1")])
    with pytest.raises(PlanInputError) as info:
        plan(t, start=D(2025, 1, 1), fixed={"meeting_2": D(2025, 1, 2), "zz": D(2025, 1, 2)}, calendar=UA)
    message = str(info.value)
    assert message.startswith(
        "the fixed dates (fixed=) name unknown steps: "
        "'meeting_2' (did you mean meeting_1?), 'zz'; known steps: meeting_1, s00, "
    )
    assert message.endswith(", s08, ... (21 in all; `civicflow show synthetic` lists them)")
    assert "--fix" not in message
    # the command line names its option only (it has no fixed=), in its language
    assert _cli_words(info.value).startswith(
        "the fixed dates (--fix STEP=DATE) name unknown steps: "
        "'meeting_2' (did you mean meeting_1?), 'zz'; known steps: meeting_1, s00, "
    )
    ukrainian = _cli_words(info.value, translator("uk"))
    assert ukrainian.startswith(
        "зафіксовані дати (--fix STEP=DATE) називають невідомі кроки: "
        "'meeting_2' (можливо, ви мали на увазі meeting_1?), 'zz'; відомі кроки: meeting_1, s00, "
    )
    assert ukrainian.endswith("(усього 21; їх перелічує `civicflow show synthetic`)")
    assert info.value.text_in("uk").startswith("зафіксовані дати (fixed=) називають")


def test_steps_without_timing_start_at_the_process_start_and_follow_dependencies() -> None:
    """A step starts the day after its dependency ends."""
    t = make([step("a"), step("b", depends_on=["a"])])
    s = plan(t, start=D(2025, 3, 3), calendar=UA)
    assert (s.step("a").start, s.step("b").start) == (D(2025, 3, 3), D(2025, 3, 4))


def test_month_spans_follow_each_other() -> None:
    """A span of N months from day d ends the day before d + N months."""
    t = make(
        [
            step("a", "activity", timing={"type": "duration", "duration": "3 months"}),
            step("b", "activity", timing={"type": "duration", "duration": "1 month"}, depends_on=["a"]),
        ]
    )
    s = plan(t, start=D(2017, 12, 1), calendar=UA)
    assert (s.step("a").start, s.step("a").end) == (D(2017, 12, 1), D(2018, 2, 28))
    assert (s.step("b").start, s.step("b").end) == (D(2018, 3, 1), D(2018, 3, 31))


@pytest.mark.parametrize(
    ("part", "first", "last"),
    [
        ("beginning", 1, 10),
        ("mid", 11, 20),
        ("end", 21, 30),
        ("first_half", 1, 15),
        ("second_half", 16, 30),
        ("week", 1, 30),
        ("any", 1, 30),
    ],
    ids=lambda v: str(v),
)
def test_window_parts(part: str, first: int, last: int) -> None:
    """Each part of a month covers the documented days (November has 30)."""
    w = Window.model_validate(window(11, part))
    assert resolve_window(w, D(2025, 10, 6)) == (D(2025, 11, first), D(2025, 11, last))


def test_month_without_year_is_the_first_on_or_after_the_start() -> None:
    """January after an October start is next year's January; until closes at the end of its part."""
    w = Window.model_validate({"type": "window", "month": 10, "until": {"month": 11, "part": "beginning"}})
    assert resolve_window(w, D(2025, 10, 6)) == (D(2025, 10, 1), D(2025, 11, 10))
    assert resolve_window(Window.model_validate(window(1)), D(2025, 10, 6))[0] == D(2026, 1, 1)


def test_point_in_a_window_is_undecided() -> None:
    """A meeting in mid November spans its earliest and latest day, window true."""
    s = plan(make([step("m", timing=window(11, "mid"))]), start=D(2025, 10, 6), calendar=UA)
    m = s.step("m")
    assert (m.start, m.end, m.window) == (D(2025, 11, 11), D(2025, 11, 20), True)


def test_within_rule_gives_the_range_and_deadline_with_reference() -> None:
    """Within 3 working days after a fixed meeting: the next day to the 3rd working day, citing the source."""
    t = make(
        [step("m", timing=window(10)), step("p", "publication", timing=rule("within", "m", "3 working days"))]
    )
    s = plan(t, start=D(2024, 10, 1), fixed={"m": D(2024, 10, 10)}, calendar=UA)
    p = s.step("p")
    assert (p.start, p.deadline) == (D(2024, 10, 11), D(2024, 10, 15))
    assert "The plan, item 1.2" in p.rules[0].explain()


def test_at_least_period_rolls_and_dependents_start_the_day_after() -> None:
    """At least 10 days from 2025-05-01 Thu: day 10 is a Sunday, period ends Mon 12, next from Tue 13."""
    t = make(
        [
            step("pub", "publication", timing={"type": "date", "date": "2025-05-01"}),
            step("disc", "public_discussion", timing=rule("at_least", "pub", "10 days")),
            step("after", depends_on=["disc"]),
        ]
    )
    s = plan(t, start=D(2025, 4, 1), calendar=UA)
    d = s.step("disc")
    assert (d.start, d.end, d.period_end, d.next_from) == (
        D(2025, 5, 2),
        D(2025, 5, 12),
        D(2025, 5, 12),
        D(2025, 5, 13),
    )
    assert s.step("after").start == D(2025, 5, 13)


def test_no_later_than_sets_the_latest_day_and_pushes_the_event() -> None:
    """3 working days before a session on 2025-03-17 Mon (reading A) is 2025-03-12 Wed."""
    t = make(
        [
            step(
                "pub", "publication", timing=rule("no_later_than", "sess", "3 working days", anchor="start")
            ),
            step("sess", timing=window(3)),
        ]
    )
    s = plan(t, start=D(2025, 3, 10), fixed={"sess": D(2025, 3, 17)}, calendar=UA)
    assert (s.step("pub").end, s.step("pub").deadline) == (D(2025, 3, 12), D(2025, 3, 12))
    free = plan(t, start=D(2025, 3, 10), calendar=UA)
    # the session cannot be before the third working day after the earliest publication day
    assert free.step("sess").start == D(2025, 3, 13)


def test_infeasible_chain_is_an_error_finding_naming_the_rules() -> None:
    """A publication after a meeting but 3 working days before a session the next day is infeasible."""
    t = make(
        [
            step("meeting_2", timing=window(11, "mid")),
            step(
                "publish",
                "publication",
                depends_on=["meeting_2"],
                timing=rule("no_later_than", "session", "3 working days", anchor="start"),
            ),
            step("session", timing=window(11, "end"), depends_on=["meeting_2"]),
        ]
    )
    s = plan(
        t, start=D(2025, 10, 6), fixed={"meeting_2": D(2025, 11, 24), "session": D(2025, 11, 27)}, calendar=UA
    )
    errors = [f for f in s.findings if f.severity is Severity.ERROR]
    assert not s.feasible
    assert errors[0].message.startswith(
        "publish must be by 2025-11-24 Mon (3 working days before session on 2025-11-27 Thu) but cannot be "
        "before 2025-11-25 Tue (after meeting_2 on 2025-11-24 Mon)"
    )


def test_fixed_date_outside_the_window_is_a_warning_naming_it() -> None:
    """Pinning a step outside its window warns with the window's wording."""
    t = make([step("m", timing=window(11, "mid", label={"en": "mid November"}))])
    s = plan(t, start=D(2025, 10, 6), fixed={"m": D(2025, 11, 25)}, calendar=UA)
    assert s.step("m").start == D(2025, 11, 25)
    assert any(f.severity is Severity.WARNING and "mid November" in f.message for f in s.findings)


def test_fixed_date_tightens_neighbours() -> None:
    """A fixed successor bounds its predecessor's latest day and gives slack."""
    t = make([step("a", "milestone", timing=window(11)), step("b", depends_on=["a"])])
    s = plan(t, start=D(2025, 10, 6), fixed={"b": D(2025, 11, 5)}, calendar=UA)
    assert (s.step("a").start, s.step("a").end, s.step("a").slack) == (D(2025, 11, 1), D(2025, 11, 4), 3)


def test_recurrence_moves_days_off() -> None:
    """Quarterly occurrences on a day off move to the next working day."""
    rec = {"rrule": "FREQ=MONTHLY;INTERVAL=3", "on_day_off": "next_working_day"}
    t = make(
        [
            step(
                "q",
                "recurring_event",
                timing={"type": "range", "start": "2021-10-01", "end": "2022-06-30"},
                recurrence=rec,
            )
        ]
    )
    s = plan(t, start=D(2021, 10, 1), calendar=UA)
    # 1 Jan 2022 and its transferred day off 3 Jan are days off in Ukraine
    assert s.step("q").occurrences == (D(2021, 10, 1), D(2022, 1, 4), D(2022, 4, 1))


def test_recurrence_without_rrule_leaves_the_frequency_open() -> None:
    """No rrule: no occurrences, and the explanation says so."""
    t = make([step("q", "recurring_event", recurrence={"label": {"en": "regularly"}})])
    s = plan(t, start=D(2021, 10, 1), calendar=UA)
    assert s.step("q").occurrences == ()
    assert any("left open" in e for e in s.step("q").explanation)


def test_critical_path_and_stages() -> None:
    """The chain that sets the end is the critical path; the stage spans its steps."""
    t = make([step("a"), step("b", depends_on=["a"]), step("c")])
    s = plan(t, start=D(2025, 3, 3), calendar=UA)
    assert s.critical_path == ("a", "b")
    assert (s.stage("main").start, s.stage("main").end) == (D(2025, 3, 3), D(2025, 3, 4))


def test_to_dict_has_the_documented_keys() -> None:
    """JSON has process, start and steps with id, stage, title, start, end, window, deadline, rule."""
    data = plan(make([step("a")]), start=D(2025, 3, 3), calendar=UA).to_dict()
    assert {"process", "start", "steps"} <= set(data)
    assert {"id", "stage", "title", "start", "end", "window", "deadline", "rule"} <= set(data["steps"][0])


@pytest.mark.parametrize(
    ("day", "precision", "last"),
    [
        (dt.date(2024, 2, 7), "week", dt.date(2024, 2, 11)),
        (dt.date(2024, 2, 7), "month", dt.date(2024, 2, 29)),
        (dt.date(2023, 2, 7), "month", dt.date(2023, 2, 28)),
        (dt.date(2023, 11, 15), "quarter", dt.date(2023, 12, 31)),
        (dt.date(2023, 5, 2), "year", dt.date(2023, 12, 31)),
        (dt.date(2023, 5, 2), "day", dt.date(2023, 5, 2)),
    ],
    ids=["week-ends-sunday", "leap-february", "february", "q4", "year", "day"],
)
def test_occurrence_period_end(day: dt.date, precision: str, last: dt.date) -> None:
    """An occurrence known only to its period may happen up to the last day of that period."""
    assert period_end(day, OccurrencePrecision(precision)) == last
