"""A plan words its steps' explanations and legal periods when they are first read: the days it gives at
once must be the days those periods give, in every jurisdiction and for every kind of rule."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from civicflow import load_template
from civicflow.i18n import translator
from civicflow.planner import plan
from civicflow.planner._plan import latest_line
from civicflow.schedule import Schedule, ScheduledStep
from civicflow.template import ProcessTemplate, RelativeRule, RuleKind

TEMPLATES = sorted((Path(__file__).resolve().parents[1] / "process_templates").glob("*.yaml"))


def _check_days_against_periods(schedule: Schedule, template: ProcessTemplate) -> int:
    """Every step's deadline and period end equal the dates of its legal periods; returns how many
    steps carry periods (so a test can tell it checked something)."""
    timings = {s.id: s.timing for _, s in template.iter_steps()}
    checked = 0
    for step in schedule.steps:
        timing = timings[step.id]
        if not isinstance(timing, RelativeRule) or not step.rules:
            continue
        checked += 1
        if timing.rule in (RuleKind.WITHIN, RuleKind.NO_LATER_THAN):
            assert step.deadline == step.rules[-1].date, step.id
        elif timing.rule is RuleKind.AT_LEAST:
            assert step.period_end == step.rules[0].date, step.id
            assert step.next_from == step.rules[0].date + dt.timedelta(days=1), step.id
    return checked


def _starts(template: ProcessTemplate) -> list[dt.date | None]:
    if template.start is not None:
        return [None]
    # a Monday, a Friday before a long weekend, the last days of a year, a day in the summer
    return [dt.date(2025, 10, 6), dt.date(2025, 12, 26), dt.date(2026, 4, 30), dt.date(2026, 7, 17)]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_bundled_templates_days_equal_their_periods(path: Path) -> None:
    template = load_template(path)
    checked = 0
    for start in _starts(template):
        checked += _check_days_against_periods(plan(template, start=start), template)
    if any(isinstance(s.timing, RelativeRule) for _, s in template.iter_steps()):
        assert checked > 0


def _template(country: str, **jurisdiction: Any) -> ProcessTemplate:
    """Every kind of rule, with the calendar's roll, the rule's own roll and an entry into force."""

    def rule(kind: str, of: str, duration: str, **kw: Any) -> dict[str, Any]:
        return {"type": "rule", "rule": kind, "of": of, "duration": duration, **kw}

    steps: list[dict[str, Any]] = [
        {"id": "meeting", "kind": "meeting", "title": {"en": "m"}, "timing": {"type": "window", "month": 12}},
        {
            "id": "within_wd",
            "kind": "publication",
            "title": {"en": "a"},
            "timing": rule("within", "meeting", "3 working days"),
        },
        {
            "id": "within_d",
            "kind": "publication",
            "title": {"en": "b"},
            "timing": rule("within", "meeting", "10 days"),
        },
        {
            "id": "within_none",
            "kind": "publication",
            "title": {"en": "c"},
            "timing": rule("within", "meeting", "10 days", roll="none"),
        },
        {
            "id": "in_force",
            "kind": "publication",
            "title": {"en": "d"},
            "timing": rule("within", "meeting", "20 days", entry_into_force=True),
        },
        {
            "id": "month",
            "kind": "publication",
            "title": {"en": "e"},
            "timing": rule("within", "meeting", "1 month"),
        },
        {
            "id": "discussion",
            "kind": "public_discussion",
            "title": {"en": "f"},
            "timing": rule("at_least", "meeting", "10 days"),
        },
        {
            "id": "discussion_none",
            "kind": "public_discussion",
            "title": {"en": "g"},
            "timing": rule("at_least", "meeting", "14 days", roll="none"),
        },
        {
            "id": "later",
            "kind": "meeting",
            "title": {"en": "h"},
            "timing": rule("not_earlier_than", "meeting", "7 days"),
        },
        {
            "id": "notice",
            "kind": "publication",
            "title": {"en": "i"},
            "timing": rule("no_later_than", "session", "3 working days"),
        },
        {
            "id": "notice_d",
            "kind": "publication",
            "title": {"en": "j"},
            "timing": rule("no_later_than", "session", "10 days"),
        },
        {
            "id": "session",
            "kind": "meeting",
            "title": {"en": "k"},
            "depends_on": ["discussion"],
            "timing": rule("within", "discussion", "5 working days"),
        },
    ]
    return ProcessTemplate.model_validate(
        {
            "civicflow": 1,
            "id": "every_rule",
            "version": "1",
            "language": "en",
            "title": {"en": "Every rule"},
            "jurisdiction": {"country": country, **jurisdiction},
            "stages": [{"id": "main", "title": {"en": "Main"}, "steps": steps}],
        }
    )


@pytest.mark.parametrize(
    ("country", "jurisdiction"),
    [("UA", {}), ("BG", {}), ("RU", {}), ("RU", {"counted_under": "RU-GPK"}), ("DE", {"rules": "EU"})],
    ids=["UA", "BG", "RU", "RU-GPK", "EU"],
)
@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_every_rule_kind_days_equal_their_periods(
    country: str, jurisdiction: dict[str, Any], year: int
) -> None:
    template = _template(country, **jurisdiction)
    schedule = plan(template, start=dt.date(year, 11, 20))
    assert _check_days_against_periods(schedule, template) == 11
    # fixed anchors move every period onto days off and holidays
    for day in (dt.date(year, 12, 24), dt.date(year, 12, 30), dt.date(year, 12, 31)):
        pinned = plan(template, start=dt.date(year, 11, 20), fixed={"meeting": day})
        assert _check_days_against_periods(pinned, template) == 11


def test_words_are_worked_out_once_and_read_the_same() -> None:
    template = _template("UA")
    schedule = plan(template, start=dt.date(2025, 11, 20))
    step = schedule.step("within_wd")
    first = step.explanation
    assert first
    assert first is step.explanation
    assert step.rules
    assert step.rules is step.rules
    again = plan(template, start=dt.date(2025, 11, 20))
    assert again == schedule  # equality reads the words of both
    assert "explanation=(" in repr(step)
    assert "Later" not in repr(step)
    assert step.to_dict()["rules"] == [d.explain() for d in step.rules]


def test_latest_line_is_the_first_line_about_how_late_a_step_may_be() -> None:
    prefixes = ("latest ", "window ", "ends ")
    for template, start in (
        (_template("UA"), dt.date(2025, 11, 20)),
        (load_template("drohobych_kir"), dt.date(2025, 10, 6)),
    ):
        schedule = plan(template, start=start)
        said = 0
        for step in schedule.steps:
            first = next((line for line in step.explanation if line.startswith(prefixes)), "")
            fresh = plan(template, start=start).step(step.id)  # its words not read yet
            assert str(latest_line(fresh)) == first, step.id
            said += bool(first)
        assert said >= len(schedule.steps) // 2
    made = ScheduledStep(
        "x",
        None,
        (),
        "meeting",
        {"en": "X"},
        dt.date(2025, 1, 6),
        dt.date(2025, 1, 6),
        span=False,
        explanation=("earliest 2025-01-06: given", "latest 2025-01-06: given"),
    )
    assert latest_line(made) == "latest 2025-01-06: given"


@pytest.mark.parametrize("lang", ["uk", "bg", "ru"])
@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_explanations_speak_the_readers_language(path: Path, lang: str) -> None:
    """Every line of every step's explanation is worded in the reader's language: as many lines as the
    English, none of the planner's English phrases left, and the dates the English gives are all there."""
    tr = translator(lang)
    template = load_template(path)
    start = None if template.start is not None else dt.date(2025, 10, 6)
    schedule = plan(template, start=start)
    english_words = re.compile(
        r"\b(earliest|latest|undecided|between|fixed on|window|ends on|starts on|opens on|closes on|"
        r"the process|is due by|is held|has no latest day|recurring|occurrences?|reading [AB]|"
        r"then the next working day|then the working day before|after|before)\b"
    )
    for step in schedule.steps:
        english = step.explanation
        translated = step.explain(tr)
        assert len(translated) == len(english), step.id
        for en, there in zip(english, translated, strict=True):
            assert en != there, (step.id, en)
            # what a template wrote itself (labels, rule texts, references) may be English; the
            # planner's own words may not: take the template's texts out before looking
            bare = there
            for text in _template_texts(template):
                bare = bare.replace(text, "")
            assert not english_words.search(bare), (step.id, there)
            assert set(re.findall(r"\d{4}-\d{2}-\d{2}", en)) <= set(
                re.findall(r"\d{4}-\d{2}-\d{2}", there)
            ), (
                step.id,
                en,
                there,
            )


def _template_texts(template: ProcessTemplate) -> list[str]:
    """Every text the template itself gives (in any language), longest first."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(template.model_dump(mode="json"))
    return sorted((t for t in found if len(t) > 2), key=len, reverse=True)


def test_explain_in_english_is_the_explanation() -> None:
    schedule = plan(_template("UA"), start=dt.date(2025, 11, 20))
    for step in schedule.steps:
        assert step.explain() == step.explanation
        assert step.explain(translator("en")) == step.explanation


def test_a_deadline_counted_from_an_undecided_day_is_a_range() -> None:
    """While meeting_1 may be held any day of its window, publication_1's deadline (3 working days after
    it) is a range: the plan never offers the latest deadline alone as if it held whatever happens."""
    template = load_template("drohobych_kir")
    step = plan(template, start=dt.date(2025, 10, 6)).step("publication_1")
    assert step.deadline == dt.date(2025, 11, 4)
    assert step.deadline_span == (dt.date(2025, 10, 9), dt.date(2025, 11, 4))
    fixed = plan(template, start=dt.date(2025, 10, 6), fixed={"meeting_1": dt.date(2025, 10, 9)})
    assert fixed.step("publication_1").deadline_span == (dt.date(2025, 10, 14), dt.date(2025, 10, 14))
    discussion = plan(template, start=dt.date(2025, 10, 6)).step("discussion_main_draft")
    assert discussion.deadline_span is None
    assert discussion.next_from_span == (dt.date(2026, 1, 27), dt.date(2026, 2, 10))
    assert discussion.next_from == dt.date(2026, 1, 27)


def test_exports_show_the_range_of_a_deadline_not_its_last_day_alone() -> None:
    from civicflow.exporters import ExportOptions, render

    template = load_template("drohobych_kir")
    schedule = plan(template, start=dt.date(2025, 10, 6))
    options = ExportOptions(lang=None, template=template)
    shown = "2025-10-09 Thu .. 2025-11-04 Tue"
    markdown = render("markdown", schedule, options)
    assert f"(`publication_1`): no later than {shown}" in markdown
    assert f"| {shown} |" in markdown
    assert f'<td class="date">{shown}</td>' in render("html", schedule, options)
    ics = render("ics", schedule, options).replace("\r\n ", "")
    assert f"Legal deadline: {shown}." in ics
    ukrainian = render("markdown", schedule, ExportOptions(lang="uk", template=template))
    assert "2025-10-09 чт .. 2025-11-04 вт" in ukrainian


def test_a_meeting_fixed_on_a_day_off_is_a_warning_that_names_the_day() -> None:
    template = load_template("drohobych_kir")
    schedule = plan(template, start=dt.date(2025, 10, 6), fixed={"meeting_3": dt.date(2025, 12, 6)})
    [warning] = [f for f in schedule.findings if "meeting_3" in f.steps]
    assert warning.message == (
        "meeting_3 is fixed on 2025-12-06 Sat, a Saturday (weekly rest day), though it is proposed on "
        "working days"
    )
    assert schedule.step("meeting_3").start == dt.date(2025, 12, 6)  # shown as fixed, never moved
    assert warning.text(translator("uk")).startswith("meeting_3 встановлено на 2025-12-06 сб")
    on_a_working_day = plan(template, start=dt.date(2025, 10, 6), fixed={"meeting_3": dt.date(2025, 12, 5)})
    assert not [f for f in on_a_working_day.findings if "meeting_3" in f.steps]


def test_an_open_end_says_why_it_is_its_latest_day() -> None:
    """A span the source leaves undated may end any day up to its latest: the line about its end gives
    the reason for that latest day, not the reason the span may start."""
    schedule = plan(load_template("sandanski_debates"))
    step = schedule.step("good_practice_study")
    assert step.window
    ends = [line for line in step.explanation if line.startswith("ends ")]
    assert ends == ["ends 2021-01-03 Sun at the latest: before ngo_recommendations on 2021-01-04 Mon"]
    assert str(latest_line(plan(load_template("sandanski_debates")).step("good_practice_study"))).startswith(
        "latest 2021-01-03 Sun"
    )


def test_ics_occurrences_say_which_one_they_are_and_kinds_are_words() -> None:
    from icalendar import Calendar

    from civicflow.exporters import ExportOptions, render

    template = load_template("togliatti_map")
    schedule = plan(template)
    text = render("ics", schedule, ExportOptions(lang="uk", template=template))
    events = [c for c in Calendar.from_ical(text).walk() if c.name == "VEVENT"]
    quarterly = [e for e in events if "quarterly_strategic_sessions" in str(e["UID"])]
    assert len(quarterly) == 8
    first = str(quarterly[0]["DESCRIPTION"]).splitlines()[0]
    assert first == "Повтор 1 з 8: 2021-10-01 пт .. 2021-12-31 пт."
    assert str(quarterly[1]["DESCRIPTION"]).splitlines()[0].startswith("Повтор 2 з 8: 2022-01-01 сб")
    for event in events:
        categories = event.get("CATEGORIES")
        shown = [str(c) for c in categories.cats] if categories is not None else []
        assert "recurring_event" not in shown
        assert "meeting" not in shown
        assert "(recurring_event)" not in str(event["DESCRIPTION"])


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_a_plan_that_takes_the_last_plans_order_is_the_plan_sorted_afresh(path: Path) -> None:
    """Plans of one template reuse the topological order of the last one when their edges are the same;
    every plan must equal the one made with the order sorted anew, whatever the start and the pins."""
    from civicflow.planner import _plan

    template = load_template(path)
    cases: list[tuple[dt.date | None, dict[str, Any]]] = []
    for start in _starts(template):
        cases.append((start, {}))
        first = plan(template, start=start).steps[0]
        cases.append((start, {first.id: first.start}))
    for start, fixed in cases:
        warm = plan(template, start=start, fixed=fixed)
        _plan._orders.clear()
        cold = plan(template, start=start, fixed=fixed)
        assert warm.to_dict() == cold.to_dict()
        assert [f.message for f in warm.findings] == [f.message for f in cold.findings]
        assert [s.explanation for s in warm.steps] == [s.explanation for s in cold.steps]


def test_programs_get_both_ends_of_a_deadline_range() -> None:
    """JSON and CSV give the first possible deadline next to the last (``deadline``), and the ICS
    deadline event spans the range, tentative, so that its reminder comes before the first day."""
    import csv
    import io

    from icalendar import Calendar

    from civicflow.exporters import ExportOptions, render

    template = load_template("drohobych_kir")
    schedule = plan(template, start=dt.date(2025, 10, 6))
    data = {s["id"]: s for s in schedule.to_dict()["steps"]}
    assert data["publication_1"]["deadline"] == "2025-11-04"
    assert data["publication_1"]["deadline_span"] == ["2025-10-09", "2025-11-04"]
    assert data["discussion_main_draft"]["next_from_span"] == ["2026-01-27", "2026-02-10"]
    assert data["meeting_1"]["deadline_span"] is None
    options = ExportOptions(lang="uk", template=template)
    rows = {r["step"]: r for r in csv.DictReader(io.StringIO(render("csv", schedule, options)))}
    assert (rows["publication_1"]["deadline_earliest"], rows["publication_1"]["deadline"]) == (
        "2025-10-09",
        "2025-11-04",
    )
    events = {str(e["UID"]): e for e in Calendar.from_ical(render("ics", schedule, options)).walk("VEVENT")}
    deadline = events["drohobych_kir.publication_1.deadline@civicflow"]
    assert deadline.decoded("DTSTART") == dt.date(2025, 10, 9)
    assert deadline.decoded("DTEND") == dt.date(2025, 11, 5)
    assert str(deadline["STATUS"]) == "TENTATIVE"
    assert "deadline" not in [str(c) for c in deadline["CATEGORIES"].cats]
    description = str(deadline["DESCRIPTION"])
    periods = [line for line in description.splitlines() if line.startswith("3 робочі дні після")]
    assert len(periods) == 2  # each legal period once, not again as a rule
    assert not any(line.startswith("Правило:") for line in description.splitlines())
    fixed = plan(template, start=dt.date(2025, 10, 6), fixed={"meeting_1": dt.date(2025, 10, 9)})
    one = {str(e["UID"]): e for e in Calendar.from_ical(render("ics", fixed, options)).walk("VEVENT")}
    assert one["drohobych_kir.publication_1.deadline@civicflow"].decoded("DTSTART") == dt.date(2025, 10, 14)
    assert str(one["drohobych_kir.publication_1.deadline@civicflow"]["STATUS"]) == "CONFIRMED"
