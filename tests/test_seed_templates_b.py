"""The bundled Sandanski (seed 002) and Vinnytsia (seed 003) templates keep the facts of their documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from civicflow.durations import Duration
from civicflow.template import (
    DateRange,
    DayOffPolicy,
    ExactDate,
    OrgKind,
    ProcessTemplate,
    Step,
    Window,
    structural_problems,
)

TEMPLATES = Path(__file__).resolve().parents[1] / "process_templates"


def _load(name: str) -> ProcessTemplate:
    """Load with the real loader when it exists, else plain YAML and the model plus structural checks."""
    path = TEMPLATES / name
    try:
        from civicflow.loader import load_template
    except ImportError:
        template = ProcessTemplate.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        assert structural_problems(template) == []
        return template
    return load_template(path)


@pytest.fixture(scope="module")
def sandanski() -> ProcessTemplate:
    return _load("sandanski_debates.yaml")


@pytest.fixture(scope="module")
def vinnytsia() -> ProcessTemplate:
    return _load("vinnytsia_hub.yaml")


def _steps(template: ProcessTemplate) -> list[Step]:
    return [step for _, step in template.iter_steps()]


def _platforms(template: ProcessTemplate) -> list[Step]:
    return [step for step in _steps(template) if step.id.startswith("platform_")]


# ------------------------------------------------------------------------------------------------------
# Sandanski (seed 002)


def test_sandanski_is_structurally_sound(sandanski: ProcessTemplate) -> None:
    """The template validates and has no dangling ids, duplicates or cycles."""
    assert structural_problems(sandanski) == []
    assert sandanski.language == "bg"
    assert sandanski.jurisdiction.country == "BG"
    assert sandanski.jurisdiction.timezone == "Europe/Sofia"


def test_sandanski_project_window_is_24_months(sandanski: ProcessTemplate) -> None:
    """The project runs from 04.01.2019 to 04.01.2021, which is exactly the stated 24 months."""
    assert sandanski.start == dt.date(2019, 1, 4)
    assert sandanski.end == dt.date(2021, 1, 4)
    assert sandanski.duration == Duration.parse("24 months")
    assert sandanski.start + relativedelta(months=24) == sandanski.end


def test_sandanski_funding_adds_up_exactly(sandanski: ProcessTemplate) -> None:
    """ESF 75,970.01 BGN plus national co-financing 13,406.47 BGN is exactly the total 89,376.48 BGN."""
    funding = sandanski.funding
    assert funding is not None
    assert funding.currency == "BGN"
    assert funding.total == Decimal("89376.48")
    amounts = [part.amount for part in funding.parts]
    assert amounts == [Decimal("75970.01"), Decimal("13406.47")]
    assert sum(amounts, Decimal(0)) == funding.total
    assert funding.parts[0].funder == "esf"


def test_sandanski_round_tables_and_recommendations(sandanski: ProcessTemplate) -> None:
    """The document's counts survive: exactly 6 round tables and at least 4 recommendations."""
    round_tables = sandanski.step("round_tables")
    assert [(t.count, t.at_least) for t in round_tables.targets] == [(6, False)]
    recommendations = sandanski.step("ngo_recommendations")
    assert [(t.count, t.at_least) for t in recommendations.targets] == [(4, True)]
    assert {d.step for d in recommendations.depends_on} == {"good_practice_study", "participation_analysis"}


def test_sandanski_round_tables_stay_inside_the_project(sandanski: ProcessTemplate) -> None:
    """The round tables have no invented dates or frequency: the project window and an open recurrence."""
    step = sandanski.step("round_tables")
    assert isinstance(step.timing, DateRange)
    assert (step.timing.start, step.timing.end) == (sandanski.start, sandanski.end)
    assert step.recurrence is not None
    assert step.recurrence.rrule is None
    assert step.recurrence.on_day_off is DayOffPolicy.KEEP


def test_sandanski_has_the_four_activities_in_order(sandanski: ProcessTemplate) -> None:
    """The four activities of the document are the stages, in the document's order."""
    assert [stage.id for stage in sandanski.stages] == [
        "research_and_analysis",
        "debate_platform",
        "good_practice_exchange",
        "awareness_and_participation",
    ]
    awareness = [step.id for step in sandanski.stages[3].steps]
    assert awareness == [
        "benchmark_forum",
        "poster_and_logo",
        "civic_initiatives_festival",
        "permanent_exhibition",
        "information_campaign",
    ]


def test_sandanski_no_activity_gets_an_invented_date(sandanski: ProcessTemplate) -> None:
    """Only the round tables carry a timing, and it is the project window; the rest follow the window."""
    timed = {step.id for step in _steps(sandanski) if step.timing is not None}
    assert timed == {"round_tables"}


def test_sandanski_parties_references_and_platform(sandanski: ProcessTemplate) -> None:
    """Beneficiary, partner, contract number and the debate platform as a channel are all there."""
    orgs = {org.id: org for org in sandanski.organisations}
    assert "Югозападен обществено информационен център" in orgs["swpic"].name["bg"]
    assert orgs["sandanski_municipality"].name["bg"] == "Община Сандански"
    citations = " ".join(ref.citation for ref in sandanski.references)
    assert "BG05SFOP001-2.009-0119-C01" in citations
    assert "Добро управление" in citations
    channels = [c.kind for c in sandanski.step("platform_operation").channels]
    assert channels == ["platform"]
    assert all(stage.responsible == ["swpic"] for stage in sandanski.stages)


def test_sandanski_titles_are_bilingual(sandanski: ProcessTemplate) -> None:
    """Every title of the process, its stages and steps is in Bulgarian and English."""
    titles = [sandanski.title]
    titles += [stage.title for _, stage in sandanski.iter_stages()]
    titles += [step.title for step in _steps(sandanski)]
    assert all({"bg", "en"} <= set(title) for title in titles)


# ------------------------------------------------------------------------------------------------------
# Vinnytsia (seed 003)


def test_vinnytsia_is_structurally_sound(vinnytsia: ProcessTemplate) -> None:
    """The template validates and has no dangling ids, duplicates or cycles."""
    assert structural_problems(vinnytsia) == []
    assert vinnytsia.language == "uk"
    assert vinnytsia.jurisdiction.country == "UA"
    assert vinnytsia.jurisdiction.timezone == "Europe/Kyiv"


def test_vinnytsia_has_13_platforms_each_with_an_organizer(vinnytsia: ProcessTemplate) -> None:
    """All 13 regular platforms are there, in the document's numbering, each with at least one organizer."""
    platforms = _platforms(vinnytsia)
    assert len(platforms) == 13
    assert [p.source for p in platforms] == [
        f"Завдання та пріоритети на 2019-й рік, {n}" for n in range(1, 14)
    ]
    orgs = {org.id for org in vinnytsia.organisations}
    for platform in platforms:
        assert platform.organizers, platform.id
        assert set(platform.organizers) | set(platform.partners) <= orgs
        assert platform.recurrence is not None


def test_vinnytsia_selected_organizers_and_partners(vinnytsia: ProcessTemplate) -> None:
    """Organizers and partners are the ones the document names for a few sample platforms."""
    assert vinnytsia.step("platform_02_strategic_tuesday").organizers == ["irm"]
    assert vinnytsia.step("platform_02_strategic_tuesday").partners == ["city_council"]
    coffee = vinnytsia.step("platform_04_coffee_with_official")
    assert coffee.organizers == ["irm", "institute_respublika", "vplyvovi_liudy"]
    assert coffee.partners == ["vidkryti_sertsia"]
    fair = vinnytsia.step("platform_13_civic_activity_fair")
    assert fair.partners == ["vidkryti_sertsia", "nashe_podillia", "student_brotherhood"]
    kinds = {org.id: org.kind for org in vinnytsia.organisations}
    assert kinds["city_council"] is OrgKind.COUNCIL
    assert kinds["kreatyv"] is OrgKind.NGO


def test_vinnytsia_rrules_parse_and_occur_in_2019(vinnytsia: ProcessTemplate) -> None:
    """Every stated recurrence rule parses with dateutil and yields occurrences in 2019 inside its span."""
    ruled = [p for p in _steps(vinnytsia) if p.recurrence is not None and p.recurrence.rrule]
    assert ruled
    for step in ruled:
        assert isinstance(step.timing, DateRange)
        assert step.recurrence is not None
        assert step.recurrence.rrule is not None
        first = dt.datetime.combine(step.timing.start, dt.time())
        last = dt.datetime.combine(step.timing.end, dt.time())
        rule = rrulestr(step.recurrence.rrule, dtstart=first)
        in_2019 = rule.between(dt.datetime(2019, 1, 1), dt.datetime(2019, 12, 31), inc=True)
        assert in_2019, step.id
        assert all(first <= when <= last for when in rule.between(first, last, inc=True))


def test_vinnytsia_annual_forum_is_yearly(vinnytsia: ProcessTemplate) -> None:
    """The forum «Точки взаємодії», the only one with a stated frequency, recurs once a year 2019-2021."""
    forum = vinnytsia.step("platform_11_forum_points_of_interaction")
    assert forum.recurrence is not None
    assert forum.recurrence.rrule == "FREQ=YEARLY"
    assert forum.recurrence.label is not None
    assert "щорічна" in forum.recurrence.label["uk"]
    assert forum.recurrence.on_day_off is DayOffPolicy.KEEP
    assert isinstance(forum.timing, DateRange)
    start = dt.datetime.combine(forum.timing.start, dt.time())
    end = dt.datetime.combine(forum.timing.end, dt.time())
    years = [d.year for d in rrulestr(forum.recurrence.rrule, dtstart=start).between(start, end, inc=True)]
    assert years == [2019, 2020, 2021]


def test_vinnytsia_invents_no_frequency_or_weekday(vinnytsia: ProcessTemplate) -> None:
    """Platforms without a stated frequency have no rrule, none has a weekday, and each records why."""
    for platform in _platforms(vinnytsia):
        assert platform.recurrence is not None
        rule = platform.recurrence.rrule
        if platform.id == "platform_11_forum_points_of_interaction":
            continue
        assert rule is None, platform.id
        assert platform.assumptions, platform.id
        assert platform.recurrence.on_day_off is DayOffPolicy.KEEP
    assert all("BYDAY" not in (p.recurrence.rrule or "") for p in _platforms(vinnytsia) if p.recurrence)


def test_vinnytsia_key_dates(vinnytsia: ProcessTemplate) -> None:
    """The exact dates of the document survive: 27.01.2018, 01.03.2018, 17-18.04.2018 and 01.10.2018."""
    meeting = vinnytsia.step("meeting_in_hub_about_hub")
    assert isinstance(meeting.timing, ExactDate)
    assert meeting.timing.date == dt.date(2018, 1, 27)
    assert meeting.participants is not None
    assert meeting.participants.description is not None
    assert "52" in meeting.participants.description["uk"]
    agreement = vinnytsia.step("hub_agreement_signed")
    assert isinstance(agreement.timing, ExactDate)
    assert agreement.timing.date == dt.date(2018, 3, 1)
    assert agreement.partners == ["city_council", "irm", "promis_foundation"]
    april = vinnytsia.step("plan_session_april")
    assert isinstance(april.timing, DateRange)
    assert (april.timing.start, april.timing.end) == (dt.date(2018, 4, 17), dt.date(2018, 4, 18))
    october = vinnytsia.step("plan_session_october")
    assert isinstance(october.timing, ExactDate)
    assert october.timing.date == dt.date(2018, 10, 1)


def test_vinnytsia_plan_window_and_year_only_history(vinnytsia: ProcessTemplate) -> None:
    """The plan spans 2018-2021, and year-only history is a whole-year window, never a day."""
    stages = dict((stage.id, stage) for _, stage in vinnytsia.iter_stages())
    plan = stages["strategic_plan"].timing
    assert isinstance(plan, DateRange)
    assert (plan.start, plan.end) == (dt.date(2018, 1, 1), dt.date(2021, 12, 31))
    assert (vinnytsia.start, vinnytsia.end) == (plan.start, plan.end)
    union = vinnytsia.step("cso_network_founded")
    assert isinstance(union.timing, Window)
    assert union.timing.until is not None
    assert (union.timing.year, union.timing.until.year) == (2018, 2019)
    history = [s for s in stages["background"].steps if s.id.startswith("history_")]
    assert [s.source for s in history] == [
        "2014 рік",
        "2015 рік",
        "2016 рік (1)",
        "2016 рік (2)",
        "2017 рік",
        "2018 рік",
    ]
    for step in history:
        assert isinstance(step.timing, Window)
        assert step.timing.until is not None
        assert step.timing.year == step.timing.until.year
        assert (step.timing.month, step.timing.until.month) == (1, 12)


def test_vinnytsia_titles_are_bilingual(vinnytsia: ProcessTemplate) -> None:
    """Every title of the process, its stages and steps is in Ukrainian and English."""
    titles = [vinnytsia.title]
    titles += [stage.title for _, stage in vinnytsia.iter_stages()]
    titles += [step.title for step in _steps(vinnytsia)]
    assert all({"uk", "en"} <= set(title) for title in titles)


def test_vinnytsia_grant_competition_title_as_written(vinnytsia: ProcessTemplate) -> None:
    """Platform 9 keeps the document's spelling «Конкурс грантів для го», organizers and partners."""
    grants = vinnytsia.step("platform_09_grant_competition")
    assert grants.title["uk"] == "Конкурс грантів для го"
    assert grants.organizers == ["dzherelo_nadii", "podilska_hromada", "tsentr_yuei"]
    assert grants.partners == ["terytoriia_mam", "kulturnyi_kampus"]


def test_sandanski_programme_spelling_in_the_source_is_noted(sandanski: ProcessTemplate) -> None:
    """The source's spelling „Добро Управление” is recorded next to the official name."""
    programme = next(ref for ref in sandanski.references if ref.id == "op_good_governance")
    assert "Добро Управление" in (programme.note or "")
