"""Findings and deadline explanations worded in the reader's language: uk, bg, ru (and English as it was)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from civicflow import WorkingCalendar, check, load_template, read_event_log
from civicflow.compliance import FindingStatus
from civicflow.i18n import translator
from civicflow.messages import Count, Message

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def drohobych_report():
    template = load_template("drohobych_kir")
    events = read_event_log(ROOT / "examples" / "drohobych_events.yaml", template=template)
    return check(template, events, as_of=dt.date(2025, 12, 20))


def _late_publication(report):
    (finding,) = [f for f in report.for_step("publication_1") if f.status is FindingStatus.VIOLATED]
    return finding


def test_a_drohobych_finding_in_ukrainian_keeps_its_dates_and_counts(drohobych_report):
    finding = _late_publication(drohobych_report)
    text = finding.text("uk")
    assert text.startswith(
        "publication_1 2025-10-16 чт, через 2 робочі дні після закінчення строку 2025-10-14 вт: "
        "3 робочі дні після 2025-10-09 чт (день події не враховується: ст. 253 Цивільного кодексу України)"
        " -> 2025-10-14 вт"
    )
    # the template's own Ukrainian wording of the rule, with its reference
    assert "[протягом 3 робочих днів після засідання; " in text
    assert finding.rule_text("uk").startswith("протягом 3 робочих днів після засідання (")


def test_english_is_the_explanation_as_before(drohobych_report):
    finding = _late_publication(drohobych_report)
    assert finding.explanation == (
        "publication_1 on 2025-10-16 Thu, 2 working days after the deadline 2025-10-14 Tue: 3 working days "
        "after 2025-10-09 Thu (event day not counted: Civil Code of Ukraine art. 253) -> 2025-10-14 Tue "
        "[within 3 working days after the meeting; Drohobych KIR working-group plan]"
    )
    assert finding.text() == finding.text("en") == finding.explanation
    assert finding.text(translator("en")) == finding.explanation
    assert finding.rule_text() == finding.rule


def test_a_finding_carries_its_message_id_and_typed_parameters(drohobych_report):
    finding = _late_publication(drohobych_report)
    assert finding.reason.id == "{step} on {day}, {late} after the deadline {deadline}: {how}"
    params = finding.reason.params
    assert params["step"] == "publication_1"
    assert params["day"] == dt.date(2025, 10, 16)
    assert params["late"] == Count(2, "working day", "working days")
    assert params["deadline"] == dt.date(2025, 10, 14)
    assert isinstance(params["how"], Message)


def test_findings_in_bulgarian_and_russian(drohobych_report):
    finding = _late_publication(drohobych_report)
    assert finding.text("bg").startswith(
        "publication_1 на 2025-10-16 чт, 2 работни дни след изтичането на срока 2025-10-14 вт: "
        "3 работни дни след 2025-10-09 чт (денят на събитието не се брои: "
        "чл. 253 от Гражданския кодекс на Украйна)"
    )
    assert finding.text("ru").startswith(
        "publication_1 2025-10-16 чт, через 2 рабочих дня после истечения срока 2025-10-14 вт: "
        "3 рабочих дня после 2025-10-09 чт (день события не учитывается: "
        "ст. 253 Гражданского кодекса Украины)"
    )


def test_a_pending_finding_in_each_language(drohobych_report):
    (finding,) = [
        f
        for f in drohobych_report.findings
        if f.status is FindingStatus.PENDING and f.counts_from == "strategic_session"
    ]
    # a rule counting back from a day nobody knows yet: not "not happened yet", which a rule counting
    # forward says, but that the day it counts back from is unknown
    assert (
        finding.explanation
        == "the rule counts back from strategic_session, which has no day yet, so it cannot be dated"
    )
    assert finding.text("uk") == (
        "правило відлічує строк назад від strategic_session, дата якого ще невідома, тому строк "
        "визначити не можна"
    )
    assert finding.text("ru") == (
        "правило отсчитывает срок назад от strategic_session, дата которого ещё неизвестна, поэтому срок "
        "определить нельзя"
    )
    assert finding.text("bg").startswith("правилото отброява срока назад от strategic_session")


def test_a_forward_rule_not_dated_yet_waits_for_its_step_in_each_language(drohobych_report):
    (finding,) = [
        f
        for f in drohobych_report.findings
        if f.status is FindingStatus.PENDING and f.counts_from == "meeting_3"
    ]
    assert finding.explanation == "the end of meeting_3 has not happened yet, so the rule cannot be dated"
    assert finding.text("uk") != finding.explanation


@pytest.mark.parametrize(
    ("lang", "forms"),
    [
        ("uk", ["1 робочий день", "2 робочі дні", "5 робочих днів", "21 робочий день", "11 робочих днів"]),
        ("ru", ["1 рабочий день", "2 рабочих дня", "5 рабочих дней", "21 рабочий день", "11 рабочих дней"]),
        ("bg", ["1 работен ден", "2 работни дни", "5 работни дни", "21 работни дни", "11 работни дни"]),
        ("en", ["1 working day", "2 working days", "5 working days", "21 working days", "11 working days"]),
    ],
)
def test_working_days_take_the_plural_form_of_their_number(lang, forms):
    tr = translator(lang)
    got = [Message("{n}", n=Count(n, "working day", "working days")).render(tr) for n in (1, 2, 5, 21, 11)]
    assert got == forms


def test_a_duration_in_a_rule_agrees_with_its_number():
    ua = WorkingCalendar("UA")
    uk = translator("uk")
    assert (
        ua.period_after(dt.date(2025, 10, 6), "1 working day").explain(uk).startswith("1 робочий день після")
    )
    assert (
        ua.period_after(dt.date(2025, 10, 6), "5 working days").explain(uk).startswith("5 робочих днів після")
    )
    assert ua.period_after(dt.date(2025, 10, 6), "21 days").explain(uk).startswith("21 день після")


def test_a_holiday_is_named_in_the_readers_language():
    bg = WorkingCalendar("BG")
    deadline = bg.period_after(dt.date(2025, 2, 28), "3 days")  # ends on Liberation Day, a Monday
    assert "a day off (Liberation Day), rolled forward to 2025-03-04 Tue" in deadline.explain()
    in_bulgarian = deadline.explain(translator("bg"))
    assert "2025-03-03 пн, почивен ден (Ден на Освобождението на България от османско иго)" in in_bulgarian
    assert "срокът се премества на 2025-03-04 вт (чл. 72 ЗЗД / чл. 60 ГПК)" in in_bulgarian
    # `holidays` names Bulgaria's days in Ukrainian too; not in Russian: the English name stays
    assert "День визволення Болгарії" in deadline.explain(translator("uk"))
    assert "(Liberation Day)" in deadline.explain(translator("ru"))


def test_a_weekly_rest_day_is_named_in_full():
    ua = WorkingCalendar("UA")
    back = ua.period_before(dt.date(2025, 3, 25), "10 days")  # 2025-03-15 is a Saturday
    assert "a Saturday (weekly rest day)" in back.explain()
    in_ukrainian = back.explain(translator("uk"))
    assert "субота (день щотижневого відпочинку); межа не переноситься" in in_ukrainian
    # the source of the roll (none for a period counted backwards) is translated as it stands
    assert (
        "(жодна норма Цивільного кодексу України не переносить строк, що обчислюється у зворотному"
        in in_ukrainian
    )
    assert "рекомендація: діяти до 2025-03-14 пт, попереднього робочого дня" in in_ukrainian
    assert "суббота (день еженедельного отдыха)" in back.explain(translator("ru"))


def test_rendering_holds_no_global_state(drohobych_report):
    finding = _late_publication(drohobych_report)
    uk = finding.text("uk")
    english = finding.text("en")
    assert finding.text("uk") == uk
    assert finding.explanation == english
    assert "робочі" not in english


def test_the_json_report_does_not_depend_on_any_rendering(drohobych_report):
    before = drohobych_report.to_dict()
    for f in drohobych_report.findings:
        f.text("uk")
        f.text("ru")
    assert drohobych_report.to_dict() == before


def test_a_refused_transition_says_why_in_the_readers_language() -> None:
    from civicflow import IllegalTransitionError, ProcessInstance

    instance = ProcessInstance(load_template("drohobych_kir"), start=dt.date(2025, 10, 6))
    with pytest.raises(IllegalTransitionError) as info:
        instance.record("publication_1", "complete", dt.date(2025, 10, 7))
    error = info.value
    assert str(error).startswith(
        "'publication_1' cannot be completed on 2025-10-07 Tue: it waits for 'meeting_1' to be completed "
        "(it is pending). allowed on 2025-10-07 Tue: open meeting_1, "
    )
    assert error.text() == error.text("en") == str(error)
    assert error.text("uk").startswith(
        "'publication_1' не можна завершити 2025-10-07 вт: крок очікує на завершення 'meeting_1' "
        "(зараз: не розпочато). допускається 2025-10-07 вт: відкрити meeting_1, "
    )
    assert error.text("ru").startswith(
        "'publication_1' нельзя завершить 2025-10-07 вт: шаг ожидает завершения"
    )
    assert error.text("bg").endswith(" и още 18")
    blocked = {(b.step, b.event.value): b for b in instance.blocked(dt.date(2025, 10, 7))}
    opening = blocked[("publication_1", "open")]
    assert (
        opening.reason
        == "'publication_1' cannot open on 2025-10-07 Tue: it waits for 'meeting_1' to be "
        + ("completed (it is pending)")
    )
    assert opening.text("uk") == (
        "'publication_1' не можна відкрити 2025-10-07 вт: крок очікує на завершення 'meeting_1' "
        "(зараз: не розпочато)"
    )


def test_step_statuses_and_the_outlook_say_why_in_the_readers_language() -> None:
    from civicflow.compliance import outlook, status

    template = load_template("drohobych_kir")
    events = read_event_log(ROOT / "examples" / "drohobych_events.yaml", template=template)
    st = status((template, events, dt.date(2025, 10, 6)), as_of=dt.date(2025, 11, 20))
    late = st.details["publication_1"]
    assert late.text() == late.explanation
    assert late.explanation.startswith("publication_1 on 2025-10-16 Thu, 2 working days after the deadline")
    assert late.text(translator("uk")).startswith(
        "publication_1 2025-10-16 чт, через 2 робочі дні після закінчення строку 2025-10-14 вт"
    )
    week = outlook({"kir": (template, events, dt.date(2025, 10, 6))}, dt.date(2025, 10, 14), within=15)
    (item,) = week.deadlines
    assert item.text() == item.explanation
    assert item.text(translator("ru")).startswith(
        "publication_1 по состоянию на 2025-10-14 вт ещё не состоялся; срок — до 2025-10-14 вт: "
        "3 рабочих дня после 2025-10-09 чт"
    )


def test_a_plans_martial_law_note_in_ukrainian() -> None:
    from civicflow import plan

    schedule = plan(load_template("drohobych_kir"), start=dt.date(2025, 10, 6))
    (note,) = [
        f
        for f in schedule.findings
        if f.message.startswith("the plan from 2025-10-06 Mon to 2026-04-07 Tue assumes")
    ]
    assert "so 2025-12-25 Thu (Christmas Day) counts as a working day" in note.message
    assert note.text() == note.message
    in_ukrainian = note.text(translator("uk"))
    assert in_ukrainian.startswith(
        "план з 2025-10-06 пн по 2026-04-07 вт за припущенням, що воєнний стан триває"
    )
    # the suspended holiday is named as the holidays package names it in Ukrainian
    assert "2025-12-25 чт (Різдво Христове) вважається робочим днем" in in_ukrainian


def test_a_plan_warning_quotes_the_templates_own_words_in_the_language() -> None:
    from civicflow import plan

    schedule = plan(load_template("drohobych_kir"), start=dt.date(2025, 10, 6))
    (outside,) = [f for f in schedule.findings if f.steps == ("hearing_preliminary_draft",)]
    assert outside.message == (
        "hearing_preliminary_draft (2026-01-02 Fri .. 2026-01-19 Mon) falls outside its stage "
        "stage_3_preliminary_draft's own timing 'November - December' (2025-11-01 Sat .. 2025-12-31 Wed)"
    )
    assert outside.text(translator("uk")) == (
        "hearing_preliminary_draft (2026-01-02 пт .. 2026-01-19 пн) виходить за межі власних строків етапу "
        "stage_3_preliminary_draft «Листопад - Грудень» (2025-11-01 сб .. 2025-12-31 ср)"
    )


def test_a_fixed_day_that_breaks_a_rule_in_ukrainian() -> None:
    from civicflow import plan

    fixed = {"publication_analysis": dt.date(2025, 11, 21), "strategic_session": dt.date(2025, 11, 25)}
    schedule = plan(load_template("drohobych_kir"), start=dt.date(2025, 10, 6), fixed=fixed)
    (error,) = [f for f in schedule.findings if f.severity.value == "error"]
    assert error.message.startswith(
        "strategic_session is fixed on 2025-11-25 Tue: publication_analysis on 2025-11-21 Fri is 2 working "
        "days before strategic_session on 2025-11-25 Tue, the rule asks 3 working days"
    )
    assert error.text(translator("uk")).startswith(
        "strategic_session встановлено на 2025-11-25 вт: publication_analysis 2025-11-21 пт — за 2 робочі "
        "дні до strategic_session 2025-11-25 вт, а правилом передбачено 3 робочі дні (не пізніше ніж за "
        "3 робочі дні до стратегічної сесії"
    )
    assert "за 2 рабочих дня до strategic_session 2025-11-25 вт" in error.text(translator("ru"))
    assert "е 2 работни дни преди strategic_session на 2025-11-25 вт" in error.text(translator("bg"))


def test_the_graphs_phrases_as_messages_say_what_its_fast_phrases_say() -> None:
    """Plan explanations use the graph's fast English phrases; findings use the same phrases as messages."""
    from civicflow.planner._build import build

    template = load_template("drohobych_kir")
    cal = template.working_calendar()
    built = build(template, dt.date(2025, 10, 6), None, {}, cal)
    g = built.graph
    seen = set()
    for k in range(len(g.e_kind)):
        for back in (0, 1):
            code = 2 * k + back
            try:
                fast = g.why(code, dt.date(2025, 11, 3))
            except AssertionError:
                continue
            assert str(g.why_message(code, dt.date(2025, 11, 3))) == fast
            seen.add((g.e_kind[k], back))
    assert len(seen) >= 8  # most kinds of edge, both directions


def test_a_chain_of_rules_that_cannot_hold_in_russian() -> None:
    from civicflow import plan

    fixed = {"meeting_2": dt.date(2025, 11, 24), "strategic_session": dt.date(2025, 11, 26)}
    schedule = plan(load_template("drohobych_kir"), start=dt.date(2025, 10, 6), fixed=fixed)
    errors = [f for f in schedule.findings if f.severity.value == "error" and " must be by " in f.message]
    assert errors, [f.message for f in schedule.findings]
    error = errors[0]
    assert " must be by " in error.text()
    assert " but cannot be before " in error.text()
    russian = error.text(translator("ru"))
    assert " должен состояться до " in russian
    assert ", но не может состояться раньше " in russian
    assert " must be by " not in russian


def test_english_findings_and_exports_load_no_catalog_and_no_babel() -> None:
    import subprocess
    import sys

    code = (
        "import sys, datetime as dt\n"
        "from civicflow import ExportOptions, check, load_template, plan, read_event_log, render\n"
        "from civicflow.i18n import _load\n"
        "t = load_template('drohobych_kir')\n"
        f"ev = read_event_log({str(ROOT / 'examples' / 'drohobych_events.yaml')!r}, template=t)\n"
        "r = check(t, ev, as_of=dt.date(2025, 12, 20))\n"
        "texts = [f.text() for f in r.findings] + [f.explanation for f in r.findings]\n"
        "s = plan(t, start=dt.date(2025, 10, 6))\n"
        "for fmt in ('html', 'markdown', 'ics', 'csv', 'json', 'mermaid'):\n"
        "    render(fmt, s, ExportOptions(template=t, lang='en'))\n"
        "print(any(m.startswith('babel') for m in sys.modules), _load.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "0"]
