"""The Drohobych, Sofia and Togliatti templates keep the facts of their source documents."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from dateutil.rrule import rrulestr

from civicflow.durations import Duration, DurationUnit
from civicflow.template import (
    ChannelKind,
    DateRange,
    DurationSpan,
    ExactDate,
    ProcessTemplate,
    RelativeRule,
    RuleKind,
    Step,
    StepKind,
    Window,
    WindowPart,
    structural_problems,
)

TEMPLATES = Path(__file__).resolve().parent.parent / "process_templates"


def _load(name: str) -> ProcessTemplate:
    """The template through the real loader when it exists, else safe YAML plus the model."""
    path = TEMPLATES / f"{name}.yaml"
    try:
        loader = importlib.import_module("civicflow.loader")
    except ImportError:
        loader = None
    if loader is not None and hasattr(loader, "load_template"):
        template: ProcessTemplate = loader.load_template(path)
        return template
    with path.open(encoding="utf-8") as handle:
        return ProcessTemplate.model_validate(yaml.safe_load(handle))


@pytest.fixture(scope="module")
def drohobych() -> ProcessTemplate:
    return _load("drohobych_kir")


@pytest.fixture(scope="module")
def sofia() -> ProcessTemplate:
    return _load("sofia_vision")


@pytest.fixture(scope="module")
def togliatti() -> ProcessTemplate:
    return _load("togliatti_map")


def _steps(template: ProcessTemplate) -> list[Step]:
    return [step for _, step in template.iter_steps()]


def _rule(step: Step) -> RelativeRule:
    assert isinstance(step.timing, RelativeRule), f"{step.id} has no rule timing"
    return step.timing


def _dep_ids(step: Step) -> set[str]:
    return {d.step for d in step.depends_on}


def _all_texts(template: ProcessTemplate) -> Iterator[dict[str, str]]:
    yield template.title
    for _, stage in template.iter_stages():
        yield stage.title
    for step in _steps(template):
        yield step.title
        yield from step.agenda
        yield from step.tasks
        yield from step.expected_results


@pytest.mark.parametrize(
    ("name", "original"), [("drohobych_kir", "uk"), ("sofia_vision", "bg"), ("togliatti_map", "ru")]
)
def test_templates_are_valid_and_bilingual(name: str, original: str) -> None:
    """Each template is structurally sound; titles, agendas, tasks and results are in both languages."""
    template = _load(name)
    assert structural_problems(template) == []
    assert template.language == original
    missing = [t for t in _all_texts(template) if not {original, "en"} <= t.keys()]
    assert missing == []


# ------------------------------------------------------------------------------------------------ Drohobych


def test_drohobych_jurisdiction_and_references(drohobych: ProcessTemplate) -> None:
    """Drohobych runs in UA (Europe/Kyiv) and cites its plan, Order 172, Law 711-IX and the Civil Code."""
    assert drohobych.jurisdiction.country == "UA"
    assert drohobych.jurisdiction.timezone == "Europe/Kyiv"
    assert drohobych.start is None
    refs = {r.id: r.citation for r in drohobych.references}
    assert "22.09.2022" in refs["minregion_order_172"]
    assert "172" in refs["minregion_order_172"]
    assert "1421/38757" in refs["minregion_order_172"]
    assert "16.11.2022" in refs["minregion_order_172"]
    assert "711-IX" in refs["law_711_ix"]
    assert "253-255" in refs["civil_code_ua_253_255"]
    assert "drohobych_plan" in refs


def test_drohobych_keeps_every_numbered_item(drohobych: ProcessTemplate) -> None:
    """Every numbered stage and sub-step of the plan (1 to 6, 1.1 to 6.3) is in the template."""
    expected = {
        "1.1", "1.2",
        "2.1", "2.2", "2.3", "2.4", "2.5", "2.6",
        "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8",
        "4.1", "4.2", "4.3", "4.4", "4.5",
        "5.1",
        "6.1", "6.2", "6.3",
    }  # fmt: skip
    assert {s.source for s in _steps(drohobych)} == expected
    assert [stage.source for _, stage in drohobych.iter_stages()] == ["1", "2", "3", "4", "5", "6"]


def test_drohobych_has_eight_working_group_meetings(drohobych: ProcessTemplate) -> None:
    """The working group meets eight times, each meeting with an agenda and results."""
    meetings = [s for s in _steps(drohobych) if s.kind is StepKind.MEETING]
    assert [m.source for m in meetings] == ["1.1", "2.5", "3.2", "3.4", "3.6", "4.1", "4.3", "5.1"]
    assert all(m.agenda and m.expected_results for m in meetings)
    assert all(m.responsible == ["working_group"] for m in meetings)


def test_drohobych_stage_windows_follow_the_headings(drohobych: ProcessTemplate) -> None:
    """Each stage's window is the month span of its heading, e.g. 'Аналітичний етап (Жовтень - Листопад)'."""
    spans = {}
    for _, stage in drohobych.iter_stages():
        assert isinstance(stage.timing, Window)
        spans[stage.source] = (stage.timing.month, stage.timing.until.month if stage.timing.until else None)
    assert spans == {
        "1": (10, None),
        "2": (10, 11),
        "3": (11, 12),
        "4": (1, 2),
        "5": (2, None),
        "6": (3, None),
    }


def test_drohobych_has_no_invented_dates(drohobych: ProcessTemplate) -> None:
    """The plan gives no year, so no step or stage has an exact day, a fixed range or a year."""
    timings = [s.timing for s in _steps(drohobych)] + [st.timing for _, st in drohobych.iter_stages()]
    assert not any(isinstance(t, ExactDate | DateRange) for t in timings)
    assert all(t.year is None for t in timings if isinstance(t, Window))


def test_drohobych_fuzzy_windows(drohobych: ProcessTemplate) -> None:
    """Fuzzy dates are windows: a week of October left open, mid November, end of December, March session."""
    first = drohobych.step("meeting_1")
    assert isinstance(first.timing, Window)
    assert (first.timing.month, first.timing.part) == (10, WindowPart.WEEK)
    assert first.assumptions
    expected = {
        "meeting_2": (11, WindowPart.MID),
        "strategic_session": (11, WindowPart.END),
        "meeting_3": (12, WindowPart.BEGINNING),
        "meeting_4": (12, WindowPart.MID),
        "publication_preliminary_draft": (12, WindowPart.SECOND_HALF),
        "meeting_5": (12, WindowPart.END),
        "hearing_preliminary_draft": (1, WindowPart.ANY),
        "meeting_6": (1, WindowPart.MID),
        "publication_main_draft": (1, WindowPart.SECOND_HALF),
        "meeting_7": (2, WindowPart.BEGINNING),
        "hearing_main_draft": (2, WindowPart.MID),
        "meeting_8": (2, WindowPart.END),
        "draft_decision": (3, WindowPart.BEGINNING),
        "council_approval": (3, WindowPart.ANY),
    }
    for step_id, (month, part) in expected.items():
        timing = drohobych.step(step_id).timing
        assert isinstance(timing, Window), step_id
        assert (timing.month, timing.part) == (month, part), step_id
    assert drohobych.step("council_approval").assumptions


def test_drohobych_analytical_deadlines(drohobych: ProcessTemplate) -> None:
    """2.1 and 2.2 run until end October, 2.3 until beginning November, 2.4 October - November."""
    for step_id in ("state_regional_interests", "current_documents"):
        timing = drohobych.step(step_id).timing
        assert isinstance(timing, Window)
        assert timing.month is None
        assert timing.until is not None
        assert (timing.until.month, timing.until.part) == (10, WindowPart.END)
    public = drohobych.step("public_interests").timing
    assert isinstance(public, Window)
    assert public.until is not None
    assert (public.month, public.until.month, public.until.part) == (10, 11, WindowPart.BEGINNING)
    stakeholders = drohobych.step("stakeholder_meetings").timing
    assert isinstance(stakeholders, Window)
    assert stakeholders.until is not None
    assert (stakeholders.month, stakeholders.until.month) == (10, 11)


def test_drohobych_responsible_units(drohobych: ProcessTemplate) -> None:
    """Every publication is the digitalisation and communications department's; the other units as named."""
    publications = [s for s in _steps(drohobych) if s.kind is StepKind.PUBLICATION]
    assert sorted(p.source or "" for p in publications) == [
        "1.2",
        "2.6",
        "3.3",
        "3.5",
        "3.7",
        "4.2",
        "4.4",
        "6.3",
    ]
    assert all(p.responsible == ["digital_comms_department"] for p in publications)
    orgs = {o.id: o for o in drohobych.organisations}
    assert (
        orgs["digital_comms_department"].name["uk"]
        == "Управління цифровізації, інформаційної політики та комунікацій"
    )
    assert drohobych.step("state_regional_interests").responsible == ["executive_committee"]
    assert drohobych.step("current_documents").responsible == ["urban_planning_department"]
    assert drohobych.step("public_interests").responsible == ["city_institute"]
    assert "Інститут міста Дрогобича" in orgs["city_institute"].name["uk"]
    assert drohobych.step("draft_decision").responsible == ["executive_committee"]
    assert drohobych.step("council_approval").responsible == ["drohobych_city_council"]


def test_drohobych_within_three_working_days_after_meetings(drohobych: ProcessTemplate) -> None:
    """1.2 and 3.3 are published within 3 working days after the meeting before them, which they depend on."""
    for pub, meeting in (("publication_1", "meeting_1"), ("publication_strategic_session", "meeting_3")):
        rule = _rule(drohobych.step(pub))
        assert rule.rule is RuleKind.WITHIN
        assert rule.of == meeting
        assert rule.duration == Duration(3, DurationUnit.WORKING_DAYS)
        assert rule.reference == "drohobych_plan"
        assert meeting in _dep_ids(drohobych.step(pub))


def test_drohobych_backward_rules(drohobych: ProcessTemplate) -> None:
    """2.6 is 3 working days before the strategic session; 3.7 and 4.4 are 3 days before the hearings."""
    analysis = _rule(drohobych.step("publication_analysis"))
    assert (analysis.rule, analysis.of, analysis.anchor) == (
        RuleKind.NO_LATER_THAN,
        "strategic_session",
        "start",
    )
    assert analysis.duration == Duration(3, DurationUnit.WORKING_DAYS)
    assert "meeting_2" in _dep_ids(drohobych.step("publication_analysis"))
    for pub, hearing, meeting, source in (
        ("publication_revised_preliminary_draft", "hearing_preliminary_draft", "meeting_5", "3.8"),
        ("publication_revised_main_draft", "hearing_main_draft", "meeting_7", "4.5"),
    ):
        rule = _rule(drohobych.step(pub))
        assert (rule.rule, rule.of, rule.anchor) == (RuleKind.NO_LATER_THAN, hearing, "start")
        assert rule.duration == Duration(3, DurationUnit.DAYS)
        assert meeting in _dep_ids(drohobych.step(pub))
        assert drohobych.step(hearing).kind is StepKind.HEARING
        assert drohobych.step(hearing).source == source


def test_drohobych_discussions_last_at_least_ten_days(drohobych: ProcessTemplate) -> None:
    """3.5 and 4.2 open a discussion of at least 10 days; the next meeting waits for it."""
    for discussion, publication, next_meeting in (
        ("discussion_preliminary_draft", "publication_preliminary_draft", "meeting_5"),
        ("discussion_main_draft", "publication_main_draft", "meeting_7"),
    ):
        step = drohobych.step(discussion)
        assert step.kind is StepKind.PUBLIC_DISCUSSION
        assert step.source == drohobych.step(publication).source
        rule = _rule(step)
        assert (rule.rule, rule.of) == (RuleKind.AT_LEAST, publication)
        assert rule.duration == Duration(10, DurationUnit.DAYS)
        assert rule.text is not None
        assert rule.text["uk"] == "Термін обговорення: мінімум 10 днів"
        assert publication in _dep_ids(step)
        assert discussion in _dep_ids(drohobych.step(next_meeting))


def test_drohobych_approval_publication_and_letter(drohobych: ProcessTemplate) -> None:
    """6.3 is published within 5 working days after the council's approval and sent by official letter."""
    publication = _rule(drohobych.step("publication_approved_kir"))
    assert (publication.rule, publication.of) == (RuleKind.WITHIN, "council_approval")
    assert publication.duration == Duration(5, DurationUnit.WORKING_DAYS)
    letter = drohobych.step("letter_approved_kir")
    assert letter.kind is StepKind.OFFICIAL_LETTER
    assert letter.source == "6.3"
    assert "council_approval" in _dep_ids(letter)
    assert {c.kind for c in letter.channels} == {ChannelKind.OFFICIAL_LETTER}
    names = " ".join(c.name["uk"] for c in letter.channels if c.name)
    assert "обласної державної адміністрації" in names
    assert "Мінрегіону" in names
    assert {"oblast_state_administration", "minregion"} <= {o.id for o in drohobych.organisations}


def test_drohobych_channels_and_commenting(drohobych: ProcessTemplate) -> None:
    """The website allows comments exactly where the plan says 'з можливістю коментування'; 3.3 has video."""
    commenting = {
        s.id
        for s in _steps(drohobych)
        if s.kind is StepKind.PUBLICATION
        and any(c.kind is ChannelKind.WEBSITE and c.commenting for c in s.channels)
    }
    assert commenting == {
        "publication_strategic_session",
        "publication_preliminary_draft",
        "publication_revised_preliminary_draft",
        "publication_main_draft",
        "publication_revised_main_draft",
    }
    first = {c.kind for c in drohobych.step("publication_1").channels}
    assert first == {ChannelKind.WEBSITE, ChannelKind.FACEBOOK, ChannelKind.INSTAGRAM, ChannelKind.TELEGRAM}
    assert ChannelKind.VIDEO in {c.kind for c in drohobych.step("publication_strategic_session").channels}
    for step in _steps(drohobych):
        if step.kind is StepKind.PUBLICATION:
            assert ChannelKind.WEBSITE in {c.kind for c in step.channels}, step.id


def test_drohobych_is_one_connected_flow(drohobych: ProcessTemplate) -> None:
    """Every step but the first meeting depends on an earlier step, and all lead back to the first."""
    steps = _steps(drohobych)
    order = {s.id: i for i, s in enumerate(steps)}
    for step in steps[1:]:
        assert step.depends_on, step.id
    for step in steps:
        for dep in step.depends_on:
            assert order[dep.step] < order[step.id], (step.id, dep.step)

    def reaches_first(step_id: str) -> bool:
        step = drohobych.step(step_id)
        return step_id == "meeting_1" or any(reaches_first(d.step) for d in step.depends_on)

    assert all(reaches_first(s.id) for s in steps)


# ------------------------------------------------------------------------------------------------ Sofia

_BG_MONTHS = {
    "януари": 1, "февруари": 2, "март": 3, "април": 4, "май": 5, "юни": 6,
    "юли": 7, "август": 8, "септември": 9, "октомври": 10, "ноември": 11, "декември": 12,
}  # fmt: skip


def test_sofia_seven_sequential_steps(sofia: ProcessTemplate) -> None:
    """Sofia has 7 steps of 3, 3, 3, 3, 4, 2 and 1 months (19 in all), each after the previous one."""
    steps = _steps(sofia)
    assert [s.source for s in steps] == [f"Стъпка {n}" for n in range(1, 8)]
    months = []
    for step in steps:
        assert isinstance(step.timing, DurationSpan)
        assert step.timing.duration.unit is DurationUnit.MONTHS
        assert not step.timing.duration.half_month
        months.append(step.timing.duration.amount)
    assert months == [3, 3, 3, 3, 4, 2, 1]
    assert sum(months) == 19
    assert steps[0].depends_on == []
    for previous, step in itertools.pairwise(steps):
        assert _dep_ids(step) == {previous.id}


def test_sofia_named_months_match_the_durations(sofia: ProcessTemplate) -> None:
    """From March 2017, each step starts in the first month its label names; the last ends in Sept 2018."""
    assert sofia.start is None  # the document names a month, not a day
    offset = 0
    for step in _steps(sofia):
        assert isinstance(step.timing, DurationSpan)
        assert step.timing.label is not None
        label = step.timing.label["bg"]
        named = [(label.index(word), number) for word, number in _BG_MONTHS.items() if word in label]
        first_named = min(named)[1]
        year, month = divmod(2017 * 12 + 2 + offset, 12)
        assert first_named == month + 1, step.id
        assert str(year) in label or step.source == "Стъпка 4", step.id  # "декември 2017 г., ... 2018"
        assert len(named) == step.timing.duration.amount, step.id
        offset += step.timing.duration.amount
    assert divmod(2017 * 12 + 2 + offset - 1, 12) == (2018, 8)  # the last month is September 2018
    stage = next(iter(sofia.iter_stages()))[1]
    assert isinstance(stage.timing, Window)
    assert stage.timing.until is not None
    assert (stage.timing.month, stage.timing.year, stage.timing.until.month, stage.timing.until.year) == (
        3,
        2017,
        9,
        2018,
    )


def test_sofia_descriptions_team_council_and_guidelines(sofia: ProcessTemplate) -> None:
    """Each step has its description in bg and en; the team, council and guidelines are named."""
    for step in _steps(sofia):
        assert step.description is not None
        assert {"bg", "en"} <= step.description.keys()
    assert "екип Визия" in sofia.step("step_1_organisation").description["bg"]  # type: ignore[index]
    assert "sofia_guidelines" in {r.id for r in sofia.references}
    assert sofia.step("step_7_vision_approval").responsible == ["sofia_municipal_council"]
    assert sofia.jurisdiction.country == "BG"
    assert sofia.jurisdiction.timezone == "Europe/Sofia"
    groups = sofia.step("step_3_research_activation").participants
    assert groups is not None
    assert len(groups.groups) == 5


# ------------------------------------------------------------------------------------------------ Togliatti


def test_togliatti_jurisdiction_start_and_signatories(togliatti: ProcessTemplate) -> None:
    """Togliatti starts on 26.03.2021 in Europe/Samara; three signatories with their positions."""
    assert togliatti.jurisdiction.country == "RU"
    assert togliatti.jurisdiction.timezone == "Europe/Samara"
    assert togliatti.start == dt.date(2021, 3, 26)
    setup = togliatti.step("setup_session")
    assert setup.kind is StepKind.MILESTONE
    assert isinstance(setup.timing, ExactDate)
    assert setup.timing.date == dt.date(2021, 3, 26)
    orgs = {o.id: o for o in togliatti.organisations}
    assert [orgs[s].name["ru"] for s in togliatti.signatories] == [
        "М.О. Искосков",
        "Е.Ю. Божко",
        "В.С. Сильченков",
    ]
    assert "Союз работодателей Самарской области" in (orgs["iskoskov"].note or "")
    assert "ТГУ" in (orgs["iskoskov"].note or "")
    assert "Самарского отделения" in (orgs["bozhko"].note or "")
    assert "Председатель Молодежного Парламента" in (orgs["silchenkov"].note or "")


def test_togliatti_stage_one_exact_dates(togliatti: ProcessTemplate) -> None:
    """Stage 1 has the survey 27.03-12.04.2021, online sessions 30.03 and 06.04, the offline session 15.04."""
    survey = togliatti.step("survey")
    assert survey.kind is StepKind.SURVEY
    assert isinstance(survey.timing, DateRange)
    assert (survey.timing.start, survey.timing.end) == (dt.date(2021, 3, 27), dt.date(2021, 4, 12))
    dates = {}
    for step_id in ("online_session_1", "online_session_2", "offline_strategic_session"):
        timing = togliatti.step(step_id).timing
        assert isinstance(timing, ExactDate)
        dates[step_id] = timing.date
    assert dates == {
        "online_session_1": dt.date(2021, 3, 30),
        "online_session_2": dt.date(2021, 4, 6),
        "offline_strategic_session": dt.date(2021, 4, 15),
    }
    assert ChannelKind.ONLINE in {c.kind for c in togliatti.step("online_session_1").channels}
    assert ChannelKind.IN_PERSON in {c.kind for c in togliatti.step("offline_strategic_session").channels}


def test_togliatti_stage_two(togliatti: ProcessTemplate) -> None:
    """Stage 2 (May-September 2021) forms a project group of 15-20 and ends with a session in August 2021."""
    group = togliatti.step("project_group_formation")
    assert group.participants is not None
    assert (group.participants.min, group.participants.max) == (15, 20)
    assert {o.id: o.parent for o in togliatti.organisations}["project_group"] == "head_of_administration"
    series = togliatti.step("strategic_sessions_series")
    assert series.recurrence is not None
    assert series.recurrence.rrule is None  # the frequency is left open
    final = togliatti.step("final_strategic_session_2021_08")
    assert isinstance(final.timing, Window)
    assert (final.timing.month, final.timing.year) == (8, 2021)
    assert final.participants is not None
    assert "Правительства СО" in (final.participants.description or {})["ru"]


def test_togliatti_quarterly_sessions_and_heat_map(togliatti: ProcessTemplate) -> None:
    """Stage 3 holds a strategic session every quarter from October 2021 to September 2023 and a heat map."""
    sessions = togliatti.step("quarterly_strategic_sessions")
    rec = sessions.recurrence
    assert rec is not None
    assert rec.rrule == "FREQ=MONTHLY;INTERVAL=3"
    assert (rec.start, rec.until) == (dt.date(2021, 10, 1), dt.date(2023, 9, 30))
    occurrences = list(
        rrulestr(rec.rrule, dtstart=dt.datetime(2021, 10, 1), cache=False).between(
            dt.datetime(2021, 10, 1), dt.datetime(2023, 9, 30), inc=True
        )
    )
    assert len(occurrences) == 8
    assert sessions.assumptions
    assert "Тепловой карты" in togliatti.step("heat_map").title["ru"]
    assert (
        "Центров управления регионами" in (togliatti.step("map_online_visualisation").description or {})["ru"]
    )


def test_togliatti_decisions_and_partners(togliatti: ProcessTemplate) -> None:
    """Decision 2 approves the questionnaire; decision 3 asks three partners for what the resolution says."""
    questionnaire = togliatti.step("questionnaire_approval")
    assert (questionnaire.kind, questionnaire.source) == (StepKind.APPROVAL, "2")
    request = togliatti.step("partner_support_request")
    assert request.source == "3"
    assert request.partners == ["sme_trade_union", "youth_parliament", "civic_organisations"]
    tasks = [t["ru"] for t in request.tasks]
    assert "онлайн площадки" in tasks[0]
    assert "модерации" in tasks[0]
    assert "канбан" in tasks[1]
    assert "сбору" in tasks[2]
    assert "sme_trade_union" in togliatti.step("online_session_1").partners


def test_drohobych_letter_names_its_recipients() -> None:
    """6.3's additional action is addressed to the oblast administration and the ministry, by id."""
    template = _load("drohobych_kir")
    letter = next(s for _, s in template.iter_steps() if s.kind == "official_letter")
    assert letter.recipients == ["oblast_state_administration", "minregion"]


def test_togliatti_decision_one_approves_the_staged_plan(togliatti: ProcessTemplate) -> None:
    """Decision 1 approves the plan of online and offline strategic sessions on 26.03.2021 as its own step."""
    approval = togliatti.step("plan_approval")
    assert (approval.kind, approval.source) == (StepKind.APPROVAL, "1")
    assert isinstance(approval.timing, ExactDate)
    assert approval.timing.date == dt.date(2021, 3, 26)
    assert "стратегических конференций (сессий)" in approval.title["ru"]
    assert "plan_approval" in _dep_ids(togliatti.step("online_session_1"))
    decisions = [s.source for s in _steps(togliatti) if s.source in {"1", "2", "3"}]
    assert decisions == ["1", "2", "3"]


def test_togliatti_stage_two_tasks_as_written(togliatti: ProcessTemplate) -> None:
    """Stage 2's series keeps the resolution's three items, 'государственных программы' as written."""
    tasks = [t["ru"] for t in togliatti.step("strategic_sessions_series").tasks]
    assert tasks == [
        "Поиск дополнительных источников финансирования",
        "государственных программы",
        "Сбор и обработка предложений по изменению регламентов работы подразделений новой администрации",
    ]


def test_drohobych_holding_titles_translate_provedennia(drohobych: ProcessTemplate) -> None:
    """'Проведення ...' (3.1, 3.8, 4.5) is 'Holding ...' in English, not just the event's name."""
    assert drohobych.step("strategic_session").title["en"] == "Holding the strategic session"
    assert drohobych.step("hearing_preliminary_draft").title["en"].startswith("Holding the public hearing")
    assert drohobych.step("hearing_main_draft").title["en"].startswith("Holding the public hearing")


def test_drohobych_external_references_say_the_plan_does_not_cite_them(drohobych: ProcessTemplate) -> None:
    """Order 172, Law 711-IX and the Civil Code are legal context the plan itself does not cite."""
    notes = {r.id: r.note or "" for r in drohobych.references}
    for ref_id in ("minregion_order_172", "law_711_ix", "civil_code_ua_253_255"):
        assert "not cite" in notes[ref_id] or "Not cited" in notes[ref_id], ref_id


def test_sofia_steps_keep_their_tasks(sofia: ProcessTemplate) -> None:
    """Steps 3-6 list what the document says is done in them, step 5 between citizens and experts."""
    step3 = [t["bg"] for t in sofia.step("step_3_research_activation").tasks]
    assert any("(потенциални) участници" in t for t in step3)
    step4 = [t["bg"] for t in sofia.step("step_4_topics_finalisation").tasks]
    assert step4 == [
        "Консолидиране на събраната информация",
        "Взимане на решения за съдържанието и структурата на Визията",
    ]
    step5 = sofia.step("step_5_activation")
    assert [t["bg"] for t in step5.tasks] == [
        "Комуникация между граждани и експерти",
        "Предприемане на реални стъпки по различните теми",
    ]
    assert step5.participants is not None
    assert [g["bg"] for g in step5.participants.groups] == ["граждани", "експерти"]
    assert [t["bg"] for t in sofia.step("step_6_vision_formulation").tasks] == [
        "Създаване на „Визия за София и крайградските територии“"
    ]
    step2 = sofia.step("step_2_topics_preparation").description or {}
    assert "preparation for research work" in step2["en"]
