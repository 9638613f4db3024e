"""The legal rules beyond the common core, each case with the article that sets it.

The compliance line is the law's (backward periods are not moved, minimums are not rolled), Reg. 1182/71
as a rule set, the units the codes use, the Russian procedural codes' working days, the end of the day,
Ukraine's martial law as an explicit regime, Russia's decreed non-working days, regional days off, and
calendar methods given a date-time.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from civicflow.calendar import (
    PROCEDURAL_CODES,
    RU_DECREED_NON_WORKING_DAYS,
    PeriodKind,
    Reading,
    Roll,
    RuleSetError,
    WorkingCalendar,
    roll_rule,
)
from civicflow.compliance import check
from civicflow.durations import Duration, DurationUnit
from civicflow.errors import DurationError, TemplateError
from civicflow.events import Event, EventType
from civicflow.loader import parse_template_text
from civicflow.template import ProcessTemplate

D = dt.date
UTC = dt.UTC
DOCS = Path(__file__).resolve().parents[1] / "docs" / "calendar.md"


@pytest.fixture(scope="module")
def ua() -> WorkingCalendar:
    return WorkingCalendar("UA")


@pytest.fixture(scope="module")
def eu() -> WorkingCalendar:
    return WorkingCalendar("BE", rules="EU")


# --- date-times: the local date in the calendar's zone ---------------------------------------------


def test_period_after_a_utc_evening_counts_from_the_kyiv_day(ua: WorkingCalendar) -> None:
    """2025-10-14T23:30Z is Wed 15 October in Kyiv: 3 working days after it end on Mon 20 October
    (Civil Code of Ukraine art. 253: counted from the day after the local day of the event)."""
    deadline = ua.period_after(dt.datetime(2025, 10, 14, 23, 30, tzinfo=UTC), "3 working days")
    assert deadline.event == D(2025, 10, 15)
    assert deadline.date == D(2025, 10, 20)


def test_day_questions_take_the_local_date(ua: WorkingCalendar) -> None:
    """2025-10-17 Fri 22:30 UTC is Saturday 01:30 in Kyiv: not a working day; a naive time is local."""
    friday_night = dt.datetime(2025, 10, 17, 22, 30, tzinfo=UTC)
    assert not ua.is_working_day(friday_night)
    assert ua.day_off_reason(friday_night) == "Saturday (weekly rest day)"
    assert ua.is_working_day(dt.datetime(2025, 10, 17, 22, 30))  # naive: Friday wall time in Kyiv
    assert ua.add_working_days(friday_night, 1) == D(2025, 10, 20)
    assert ua.roll_forward(friday_night) == D(2025, 10, 20)
    assert ua.working_days_between(friday_night, D(2025, 10, 20)) == 1
    assert ua.period_before(friday_night, "1 working day").date == D(2025, 10, 17)


# --- the compliance line is the law's; the advice is separate ----------------------------------------

_TEMPLATE: dict[str, Any] = {
    "civicflow": 1,
    "id": "law_line",
    "version": "1",
    "language": "en",
    "title": {"en": "The law's line"},
    "jurisdiction": {"country": "UA"},
    "references": [{"id": "law", "citation": "a local statute"}],
}


def _template(*steps: dict[str, Any], **jurisdiction: Any) -> ProcessTemplate:
    data = {
        **_TEMPLATE,
        "jurisdiction": {"country": "UA", **jurisdiction},
        "stages": [{"id": "s", "title": {"en": "Stage"}, "steps": list(steps)}],
    }
    return ProcessTemplate.model_validate(data)


def _step(sid: str, timing: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": sid, "kind": "publication", "title": {"en": sid}}
    if timing is not None:
        out["timing"] = timing
    return out


def _rule(kind: str, of: str, duration: str, **more: Any) -> dict[str, Any]:
    return {"type": "rule", "rule": kind, "of": of, "duration": duration, "reference": "law", **more}


def _done(step: str, day: str) -> Event:
    return Event(step, EventType.COMPLETE, dt.datetime.fromisoformat(f"{day}T10:00+00:00"))


def test_backward_days_on_a_saturday_are_disputable_with_both_lines_and_the_advice() -> None:
    """ "No later than 10 days before" 2025-03-25 Tue: reading A counts back to Sat 15 March (no code of
    UA moves a backward period), reading B to Fri 14 March; a publication on Sat 15 is disputable, and
    Fri 14 is the advised day."""
    t = _template(_step("notice", _rule("no_later_than", "hearing", "10 days")), _step("hearing"))
    (f,) = check(t, [_done("hearing", "2025-03-25"), _done("notice", "2025-03-15")]).findings
    assert f.status.value == "disputable"
    assert dict(f.readings) == {"count_back": D(2025, 3, 15), "clear_days": D(2025, 3, 14)}
    assert f.deadline == D(2025, 3, 15)
    assert f.advised == D(2025, 3, 14)
    assert "advised: act by 2025-03-14 Fri" in f.explanation
    assert f.to_dict()["advised"] == "2025-03-14"


def test_clear_working_days_count_whole_working_days_strictly_between() -> None:
    """ "No later than 3 working days before" 2025-03-20 Thu with the act on Sat 15 March: Mon, Tue and
    Wed lie clear between them, so reading B is met and the finding is ok."""
    t = _template(
        _step("notice", _rule("no_later_than", "hearing", "3 working days", reading="clear_days")),
        _step("hearing"),
    )
    (f,) = check(t, [_done("hearing", "2025-03-20"), _done("notice", "2025-03-15")]).findings
    assert f.status.value == "ok"
    assert dict(f.readings) == {"count_back": D(2025, 3, 17), "clear_days": D(2025, 3, 16)}
    assert f.advised == D(2025, 3, 14)


def test_a_minimum_is_not_rolled_forward() -> None:
    """ "Not earlier than 4 days after" 2025-03-25 Tue allows Sat 29 March: the roll (Civil Code of
    Ukraine art. 254(5)) extends a time to act, it does not postpone the first allowed day."""
    t = _template(_step("meeting"), _step("reply", _rule("not_earlier_than", "meeting", "4 days")))
    (f,) = check(t, [_done("meeting", "2025-03-25"), _done("reply", "2025-03-29")]).findings
    assert (f.status.value, f.earliest) == ("ok", D(2025, 3, 29))
    assert "not rolled" in f.explanation
    assert "Civil Code of Ukraine art. 254(5)" in f.explanation
    (early,) = check(t, [_done("meeting", "2025-03-25"), _done("reply", "2025-03-28")]).findings
    assert (early.status.value, early.early_by) == ("violated", 1)


def test_a_rule_may_override_the_roll() -> None:
    """``roll: none`` on a within rule keeps its counted last day (Sat 15 March), the rule's own choice."""
    t = _template(_step("meeting"), _step("pub", _rule("within", "meeting", "10 days", roll="none")))
    (f,) = check(t, [_done("meeting", "2025-03-05"), _done("pub", "2025-03-17")]).findings
    assert (f.status.value, f.deadline) == ("violated", D(2025, 3, 15))
    assert "not rolled (the rule's own roll, none, as a local statute sets it)" in f.explanation


@pytest.mark.parametrize(
    ("country", "rules", "kind", "roll", "cites"),
    [
        ("UA", None, "within", Roll.FORWARD, "Civil Code of Ukraine art. 254(5)"),
        ("UA", None, "at_least", Roll.FORWARD, "Civil Code of Ukraine art. 254(5)"),
        ("UA", None, "not_earlier_than", Roll.NONE, "Civil Code of Ukraine art. 254(5)"),
        ("UA", None, "no_later_than", Roll.NONE, "Civil Code of Ukraine"),
        ("RU", None, "within", Roll.FORWARD, "Civil Code of the Russian Federation art. 193"),
        ("RU", None, "not_earlier_than", Roll.NONE, "Civil Code of the Russian Federation art. 193"),
        ("BG", None, "within", Roll.FORWARD, "ZZD art. 72"),
        ("BE", "EU", "within", Roll.FORWARD, "Reg. 1182/71 art. 3(4)"),
        ("BE", "EU", "no_later_than", Roll.NONE, "Reg. 1182/71 art. 3(4), second sentence"),
        ("BE", "EU", "entry_into_force", Roll.NONE, "Reg. 1182/71 art. 4(1)"),
    ],
)
def test_roll_per_jurisdiction_and_kind_cites_its_source(
    country: str, rules: str | None, kind: str, roll: Roll, cites: str
) -> None:
    """Which roll applies is a per-jurisdiction, per-kind setting with its citation."""
    found = roll_rule(country, kind, rules)
    assert found.roll is roll
    assert cites in found.source


def test_docs_table_lists_every_roll_rule_of_the_code() -> None:
    """docs/calendar.md's roll table has one row per jurisdiction and kind, with the code's source."""
    text = DOCS.read_text(encoding="utf-8")
    for where, rules in (("UA", None), ("RU", None), ("BG", None), ("other", None), ("EU", "EU")):
        country = "PL" if where == "other" else ("BE" if where == "EU" else where)
        for kind in PeriodKind:
            found = roll_rule(country, kind, rules)
            row = f"| {where} | {kind.value} | {found.roll.value} | {found.source} |"
            assert row in text, row


# --- Regulation (EEC, Euratom) No 1182/71 ------------------------------------------------------------


def test_eu_backward_period_is_not_rolled(eu: WorkingCalendar) -> None:
    """Art. 3(4), second sentence: 10 days before 2025-03-25 Tue is Sat 15 March, not moved."""
    d = eu.period_before(D(2025, 3, 25), "10 days")
    assert (d.date, d.rolled, d.advised) == (D(2025, 3, 15), False, D(2025, 3, 14))
    assert "Reg. 1182/71 art. 3(4), second sentence" in d.explain()


def test_eu_two_days_contain_two_working_days(eu: WorkingCalendar) -> None:
    """Art. 3(5): 2 days from 2025-03-14 Fri end on Tue 18 March, not on Mon 17 (the roll alone)."""
    d = eu.period_after(D(2025, 3, 14), "2 days")
    assert d.date == D(2025, 3, 18)
    assert "Reg. 1182/71 art. 3(5)" in d.explain()
    assert WorkingCalendar("BE").period_after(D(2025, 3, 14), "2 days").date == D(2025, 3, 17)


def test_eu_working_days_exclude_saturdays_declared_working() -> None:
    """Art. 2(2): Saturdays are not working days, also a Saturday a transfer made working (BG 2016)."""
    national, eu = WorkingCalendar("BG"), WorkingCalendar("BG", rules="EU")
    assert national.is_working_day(D(2016, 3, 12))
    assert not eu.is_working_day(D(2016, 3, 12))
    assert not eu.is_working_day(D(2025, 12, 31))  # the member state's days off stay days off
    assert "art. 2(2)" in eu.period_after(D(2016, 3, 10), "3 working days").explain()
    assert eu.period_after(D(2016, 3, 10), "3 working days").date == D(2016, 3, 15)


def test_eu_units_do_not_count_the_event_day_or_hour(eu: WorkingCalendar) -> None:
    """Art. 3(1): the hour or day of the event is not counted; art. 3(2): hours end with the last hour,
    days with the last day, weeks, months and years on the same weekday or date (or the month's end)."""
    hours = eu.period_after(dt.datetime(2025, 3, 13, 10, 25), "24 hours")
    assert hours.moment == dt.datetime(2025, 3, 14, 11, 0)
    assert "art. 3(1)" in hours.explain()
    assert eu.period_after(D(2025, 3, 11), "1 week").date == D(2025, 3, 18)
    assert eu.period_after(D(2025, 1, 31), "1 month").date == D(2025, 2, 28)
    assert eu.period_after(D(2024, 2, 29), "1 year").date == D(2025, 2, 28)
    assert "art. 3(2)(c)" in eu.period_after(D(2024, 2, 29), "1 year").explain()


def test_eu_entry_into_force_is_not_rolled(eu: WorkingCalendar) -> None:
    """Art. 4(1): art. 3(4) and 3(5) do not apply to entry into force: 20 days from 2025-02-23 Sun is
    Sat 15 March; a deadline to act would end on Mon 17 March."""
    d = eu.period_after(D(2025, 2, 23), "20 days", kind="entry_into_force")
    assert (d.date, d.rolled) == (D(2025, 3, 15), False)
    assert "art. 4(1)" in d.explain()
    assert eu.period_after(D(2025, 2, 23), "20 days").date == D(2025, 3, 17)


def test_eu_rules_in_a_template_jurisdiction() -> None:
    """``jurisdiction: {country: BE, rules: EU}`` checks against art. 3(5): Mon 17 March is late."""
    data = {
        **_TEMPLATE,
        "jurisdiction": {"country": "BE", "rules": "EU"},
        "stages": [
            {
                "id": "s",
                "title": {"en": "S"},
                "steps": [_step("meeting"), _step("pub", _rule("within", "meeting", "2 days"))],
            }
        ],
    }
    t = ProcessTemplate.model_validate(data)
    assert t.working_calendar().rules == "EU"
    (f,) = check(t, [_done("meeting", "2025-03-14"), _done("pub", "2025-03-18")]).findings
    assert (f.status.value, f.deadline) == ("ok", D(2025, 3, 18))


def test_unknown_rule_set_is_refused() -> None:
    with pytest.raises(RuleSetError, match="unknown rule set"):
        WorkingCalendar("BE", rules="UN")


# --- units the codes use -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "cites"),
    [
        ("UA", "Civil Code of Ukraine art. 254(1)"),
        ("RU", "Civil Code of the RF art. 192(1)"),
        ("BG", "ZZD art. 72(2)"),
    ],
)
def test_a_year_from_29_february_ends_on_28_february(country: str, cites: str) -> None:
    """29 Feb 2024 + 1 year is Fri 28 Feb 2025 (the month and day of the last year, or the month's end)."""
    d = WorkingCalendar(country).period_after(D(2024, 2, 29), "1 year")
    assert d.date == D(2025, 2, 28)
    assert cites in d.explain()


def test_half_years_and_quarters_follow_the_rules_for_months(ua: WorkingCalendar) -> None:
    """Civil Code of Ukraine art. 254(2), Civil Code of the RF art. 192(2): a half-year is six months, a
    quarter three, counted by the rules for months."""
    assert ua.period_after(D(2025, 3, 31), "1 half-year").raw == D(2025, 9, 30)
    assert ua.period_after(D(2025, 11, 30), "1 quarter").raw == D(2026, 2, 28)
    assert ua.period_after(D(2025, 11, 30), "2 квартали").raw == D(2026, 5, 30)
    assert "art. 254(2)" in ua.period_after(D(2025, 3, 31), "півроку").explain()
    assert WorkingCalendar("RU").period_after(D(2025, 3, 31), "1 полугодие").raw == D(2025, 9, 30)


def test_hours_run_from_the_moment(ua: WorkingCalendar) -> None:
    """Civil Code of Ukraine art. 252(1): a period in hours; 24 hours from 10:25 end at 10:25 next day,
    never rolled; given only a day, the hours run from its end."""
    d = ua.period_after(dt.datetime(2025, 3, 14, 10, 25), "24 hours")
    assert (d.date, d.moment, d.rolled) == (D(2025, 3, 15), dt.datetime(2025, 3, 15, 10, 25), False)
    assert ua.period_after(D(2025, 3, 14), "48 годин").date == D(2025, 3, 16)


@pytest.mark.parametrize("text", ["півтора місяці", "полтора месяца", "месец и половина", "1.5 months"])
def test_one_and_a_half_months(text: str, ua: WorkingCalendar) -> None:
    """Civil Code of Ukraine art. 254(3): a month, then half a month (15 days): 10 Jan -> 25 Feb."""
    if text == "1.5 months":
        with pytest.raises(DurationError):
            Duration.parse(text)
        return
    assert Duration.parse(text) == Duration(1, DurationUnit.MONTHS, half_month=True)
    assert ua.period_after(D(2025, 1, 10), text).raw == D(2025, 2, 25)


def test_iso_years_and_months_then_days(ua: WorkingCalendar) -> None:
    """ISO 8601 P1Y and P1M10D; the months are counted first, then the days (docs/calendar.md):
    21 Jan 2025 + 1 month = 21 Feb, + 10 days = 3 March (days first would give 28 Feb)."""
    assert Duration.parse("P1Y") == Duration(1, DurationUnit.YEARS)
    assert Duration.parse("P1M10D") == Duration(1, DurationUnit.MONTHS, plus_days=10)
    assert ua.period_after(D(2025, 1, 21), "P1M10D").raw == D(2025, 3, 3)
    assert Duration.parse("P1M10D").iso() == "P1M10D"
    with pytest.raises(DurationError, match="years and months together"):
        Duration.parse("P1Y2M")


def test_ambiguous_hour_or_year_is_refused() -> None:
    """ "години" is hours in Ukrainian and years in Bulgarian: civicflow does not guess."""
    with pytest.raises(DurationError, match="hours in Ukrainian and years in Bulgarian"):
        Duration.parse("2 години")


# --- Russian procedural codes: days are working days ------------------------------------------------


@pytest.mark.parametrize("code", list(PROCEDURAL_CODES))
def test_procedural_code_counts_days_as_working_days(code: str) -> None:
    """GPK art. 107(3), APK art. 113(3), KAS art. 92(2) (Federal Law 451-FZ), Tax Code art. 6.1(6):
    "10 дней" from 2025-04-30 Wed is 10 working days, Tue 20 May 2025 (the May holidays excluded)."""
    d = WorkingCalendar("RU").period_after(D(2025, 4, 30), "10 дней", counted_under=code)
    assert d.date == D(2025, 5, 20)
    assert PROCEDURAL_CODES[code] in d.explain()


def test_calendar_days_stay_calendar_days_under_a_code() -> None:
    """Tax Code of the RF art. 6.1(6): a period set in calendar days is counted in calendar days."""
    d = WorkingCalendar("RU").period_after(D(2025, 4, 30), "10 календарных дней", counted_under="RU-NK")
    assert d.date == D(2025, 5, 12)


def test_a_rule_or_a_template_names_the_code() -> None:
    """A rule's ``counted_under`` and a jurisdiction's both count days as working days, cited."""
    rule = _rule("within", "meeting", "10 дней", counted_under="RU-GPK")
    for t in (
        _template(_step("meeting"), _step("pub", rule), country="RU"),
        _template(
            _step("meeting"),
            _step("pub", _rule("within", "meeting", "10 дней")),
            country="RU",
            counted_under="RU-GPK",
        ),
    ):
        (f,) = check(t, [_done("meeting", "2025-04-30"), _done("pub", "2025-05-21")]).findings
        assert (f.status.value, f.deadline, f.unit, f.late_by) == (
            "violated",
            D(2025, 5, 20),
            DurationUnit.WORKING_DAYS,
            1,
        )
        assert "Civil Procedure Code of the RF art. 107(3)" in f.explanation


def test_a_code_of_another_country_is_refused() -> None:
    with pytest.raises(RuleSetError, match="applies to RU"):
        WorkingCalendar("UA", counted_under="RU-GPK")
    with pytest.raises(RuleSetError, match="unknown procedural code"):
        WorkingCalendar("RU", counted_under="RU-XYZ")


# --- the end of the day ------------------------------------------------------------------------------


def test_an_act_until_24_00_of_the_last_day_is_on_time() -> None:
    """Civil Code of Ukraine art. 255(1), Civil Code of the RF art. 194(1): until 24:00 local time of the
    last day; 23:59 in Kyiv on the deadline is on time, 00:01 the next day is late."""
    t = _template(_step("meeting"), _step("pub", _rule("within", "meeting", "3 working days")))
    kyiv = "+02:00"
    meeting = Event("meeting", EventType.COMPLETE, dt.datetime.fromisoformat(f"2025-03-10T12:00{kyiv}"))
    on_time = Event("pub", EventType.COMPLETE, dt.datetime.fromisoformat(f"2025-03-13T23:59{kyiv}"))
    late = Event("pub", EventType.COMPLETE, dt.datetime.fromisoformat(f"2025-03-14T00:01{kyiv}"))
    assert check(t, [meeting, on_time]).findings[0].status.value == "ok"
    assert check(t, [meeting, late]).findings[0].status.value == "violated"


# --- Ukraine: martial law as an explicit regime -----------------------------------------------------


def test_martial_law_until_brings_back_holidays_and_carry_over() -> None:
    """Law 2136-IX art. 6(6) suspends public holidays; with martial law ending on 1 May 2026, Labour Code
    art. 73 applies again from 2 May (Mon 24 Aug 2026 is a day off) and art. 67(3) moves Sun 28 June's day
    off to Mon 29 June. 1 May itself, still under martial law, stays a working day."""
    assumed, ended = WorkingCalendar("UA"), WorkingCalendar("UA", martial_law_until=D(2026, 5, 1))
    assert assumed.is_working_day(D(2026, 8, 24))
    assert not ended.is_working_day(D(2026, 8, 24))
    assert ended.day_off_reason(D(2026, 8, 24)) == "Independence Day"
    assert not ended.is_working_day(D(2026, 6, 29))
    assert ended.is_working_day(D(2026, 5, 1))
    assert ended.period_after(D(2026, 8, 21), "1 working day").date == D(2026, 8, 25)


def test_a_period_relying_on_martial_law_says_so() -> None:
    """Without martial_law_until the explanation names the assumption and the day it changes; with it,
    a period past the given day says it counts on martial law ending then."""
    assumed = WorkingCalendar("UA").period_after(D(2026, 8, 20), "2 working days")
    assert assumed.date == D(2026, 8, 24)
    text = assumed.explain()
    assert "assumes martial law continues" in text
    assert "Law of Ukraine 2136-IX art. 6(6)" in text
    assert "2026-08-24 Mon (Independence Day)" in text
    ended = WorkingCalendar("UA", martial_law_until=D(2026, 5, 1)).period_after(D(2026, 8, 20), "5 days")
    assert "counts on martial law ending on 2026-05-01 Fri" in ended.explain()
    quiet = WorkingCalendar("UA").period_after(D(2026, 9, 1), "3 working days")
    assert "martial law" not in quiet.explain()  # no suspended holiday in the period


def test_the_martial_law_note_names_only_a_day_that_changes_the_count() -> None:
    """The assumption is named only for a suspended holiday that counts as a working day and lies where
    the count depends on it: every day of a working-day period, only the end and its roll for calendar
    days. Sat 8 March 2025 (Women's Day on a rest day) is a day off under any regime; Mon 10 March, its
    peacetime carry-over, is the day martial law makes a working day (Labour Code of Ukraine art. 67(3))."""
    ua = WorkingCalendar("UA")
    rolled = ua.period_after(D(2025, 3, 3), "5 days")  # Sat 8 March rolls to Mon 10 March
    assert rolled.date == D(2025, 3, 10)
    assert "2025-03-10 Mon" in rolled.explain()
    assert "2025-03-08 Sat (International Women's Day) counts as a working day" not in rolled.explain()
    backward = ua.period_before(D(2025, 3, 17), "10 days")  # line Fri 7 March: 8-10 March do not matter
    assert backward.date == D(2025, 3, 7)
    assert "martial law" not in backward.explain()
    spanning = ua.period_after(D(2025, 12, 16), "10 days")  # ends Fri 26 Dec: 25 Dec inside does not matter
    assert spanning.date == D(2025, 12, 26)
    assert "martial law" not in spanning.explain()
    counted = ua.period_after(D(2025, 12, 22), "5 working days")  # 25 Dec counts as one of the five
    assert counted.date == D(2025, 12, 29)
    assert "2025-12-25 Thu (Christmas Day) counts as a working day" in counted.explain()


def test_martial_law_in_a_template_jurisdiction() -> None:
    t = _template(_step("meeting"), martial_law_until="2026-05-01")
    assert t.working_calendar().martial_law_until == D(2026, 5, 1)
    assert not t.working_calendar().is_working_day(D(2026, 8, 24))
    with pytest.raises(ValueError, match="martial_law_until applies to UA"):
        ProcessTemplate.model_validate(
            {**_TEMPLATE, "jurisdiction": {"country": "BG", "martial_law_until": "2026-05-01"}}
        )
    with pytest.raises(RuleSetError):
        WorkingCalendar("RU", martial_law_until=D(2026, 5, 1))


# --- Russia: decreed non-working days; regional days off ---------------------------------------------


def test_ru_decreed_non_working_days_are_an_opt_in_overlay() -> None:
    """Decree of the President of the RF No. 239 of 02.04.2020: 4-30 April 2020 non-working days; off by
    default (whether they extend legal periods was disputed)."""
    plain = WorkingCalendar("RU")
    decreed = plain.with_overlays(*RU_DECREED_NON_WORKING_DAYS)
    assert plain.is_working_day(D(2020, 4, 15))
    assert not decreed.is_working_day(D(2020, 4, 15))
    assert "No. 239 of 02.04.2020" in (decreed.day_off_reason(D(2020, 4, 15)) or "")
    assert not decreed.is_working_day(D(2021, 11, 5))  # Decree No. 595 of 20.10.2021
    for first, last in ((D(2020, 3, 30), D(2020, 5, 11)), (D(2021, 10, 30), D(2021, 11, 7))):
        assert decreed.working_days(first, last) == []  # with the holidays, the whole decreed spans
        assert decreed.is_working_day(last + dt.timedelta(days=1))
    assert decreed.period_after(D(2020, 3, 27), "3 days").date == D(2020, 5, 12)


def test_ru_decreed_days_by_name_in_a_template() -> None:
    t = _template(_step("meeting"), country="RU", overlays=["ru-decreed-non-working-days"])
    assert not t.working_calendar().is_working_day(D(2021, 11, 1))
    with pytest.raises(ValueError, match="unknown overlay"):
        _template(_step("meeting"), country="RU", overlays=["holiday-of-my-own"])


def test_regional_days_off_where_the_data_has_subdivisions() -> None:
    """A subdivision's own holidays (Bavaria: Epiphany, 6 January) are days off there only."""
    assert not WorkingCalendar("DE", "BY").is_working_day(D(2025, 1, 6))
    assert WorkingCalendar("DE").is_working_day(D(2025, 1, 6))
    t = _template(_step("meeting"), country="DE", subdivision="BY")
    assert not t.working_calendar().is_working_day(D(2025, 1, 6))


def test_docs_name_every_procedural_code_and_source() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for code, source in PROCEDURAL_CODES.items():
        assert re.search(rf"\| `{code}` \| {re.escape(source)} \|", text), code


def test_template_errors_name_the_bad_setting() -> None:
    bad = (
        "civicflow: 1\nid: x\nversion: '1'\nlanguage: en\ntitle: {en: X}\n"
        "jurisdiction: {country: RU, counted_under: RU-ABC}\n"
    )
    with pytest.raises(TemplateError, match="counted_under"):
        parse_template_text(bad)


def test_backward_readings_differ_by_one_day_for_working_days(ua: WorkingCalendar) -> None:
    """Reading B is the day before reading A's day: 3 working days before 2025-03-17 Mon give Wed 12
    (A) and Tue 11 (B), the day that leaves Wed, Thu and Fri clear."""
    a = ua.period_before(D(2025, 3, 17), "3 working days")
    b = ua.period_before(D(2025, 3, 17), "3 working days", reading=Reading.CLEAR_DAYS)
    assert (a.date, b.date) == (D(2025, 3, 12), D(2025, 3, 11))


def test_a_plan_says_when_it_relies_on_martial_law() -> None:
    """A plan over a suspended holiday says it assumes martial law continues (INFO); a plan that reaches
    past a given end of martial law warns that it counts on it (Law 2136-IX art. 6(6); Labour Code arts.
    67(3), 73)."""
    from civicflow.planner import plan
    from civicflow.schedule import Severity

    t = _template(_step("meeting", {"type": "range", "start": "2026-04-20", "end": "2026-09-01"}))
    assumed = plan(t, start=D(2026, 4, 20)).findings
    assert [f.severity for f in assumed if "martial law" in f.message] == [Severity.INFO]
    j = t.jurisdiction.model_copy(update={"martial_law_until": D(2026, 5, 1)})
    ended = plan(t.model_copy(update={"jurisdiction": j}), start=D(2026, 4, 20)).findings
    warnings = [f for f in ended if f.severity is Severity.WARNING and "martial law" in f.message]
    assert len(warnings) == 1
    assert "counts on martial law ending on 2026-05-01 Fri" in warnings[0].message


def test_an_institutions_working_hours_may_end_the_last_day() -> None:
    """Civil Code of Ukraine art. 255(1): an act due at an institution must be done before its working day
    ends. With ``day_ends_at: 18:00`` (YAML reads an unquoted 18:00 as base-60 minutes), a publication at
    17:30 on the deadline is on time, one at 19:00 counts as done the next day; the day is not moved."""
    text = (
        "civicflow: 1\nid: hours\nversion: '1'\nlanguage: en\ntitle: {en: Hours}\n"
        "jurisdiction: {country: UA, day_ends_at: 18:00}\n"
        "stages:\n- id: s\n  title: {en: S}\n  steps:\n  - {id: meeting, kind: meeting, title: {en: M}}\n"
        "  - id: pub\n    kind: publication\n    title: {en: P}\n"
        "    timing: {type: rule, rule: within, of: meeting, duration: 3 working days}\n"
    )
    t = parse_template_text(text)
    assert t.jurisdiction.day_ends_at == dt.time(18, 0)
    meeting = Event("meeting", EventType.COMPLETE, dt.datetime.fromisoformat("2025-03-10T12:00+02:00"))
    before = Event("pub", EventType.COMPLETE, dt.datetime.fromisoformat("2025-03-13T17:30+02:00"))
    after = Event("pub", EventType.COMPLETE, dt.datetime.fromisoformat("2025-03-13T19:00+02:00"))
    assert check(t, [meeting, before]).findings[0].status.value == "ok"
    (f,) = check(t, [meeting, after]).findings
    assert (f.status.value, f.actual, f.deadline, f.late_by) == (
        "violated",
        D(2025, 3, 13),
        D(2025, 3, 13),
        1,
    )
    assert "at 19:00, after the institution's working day ended at 18:00" in f.explanation
    assert "Civil Code of Ukraine art. 255(1)" in f.explanation
    plain = check(
        t.model_copy(update={"jurisdiction": t.jurisdiction.model_copy(update={"day_ends_at": None})}),
        [meeting, after],
    )
    assert plain.findings[0].status.value == "ok"  # without it the day ends at 24:00


def test_plan_and_check_agree_on_a_rules_own_roll() -> None:
    """``roll: none`` on a within rule: the plan's deadline is the counted Saturday too, as in the check."""
    from civicflow.planner import plan

    t = _template(
        _step("meeting", {"type": "date", "date": "2025-03-05"}),
        _step("pub", _rule("within", "meeting", "10 days", roll="none")),
    )
    (pub,) = [s for s in plan(t, start=D(2025, 3, 1)).steps if s.id == "pub"]
    assert pub.deadline == D(2025, 3, 15)
    assert pub.latest is not None
    assert pub.latest <= D(2025, 3, 15)
    rolled = _template(
        _step("meeting", {"type": "date", "date": "2025-03-05"}),
        _step("pub", _rule("within", "meeting", "10 days")),
    )
    (pub,) = [s for s in plan(rolled, start=D(2025, 3, 1)).steps if s.id == "pub"]
    assert pub.deadline == D(2025, 3, 17)  # Civil Code of Ukraine art. 254(5)


def test_a_check_relying_on_martial_law_says_so() -> None:
    """The finding's explanation names the assumption (Law 2136-IX art. 6(6)) when it matters."""
    t = _template(_step("meeting"), _step("pub", _rule("within", "meeting", "2 working days")))
    (f,) = check(t, [_done("meeting", "2026-08-20"), _done("pub", "2026-08-24")]).findings
    assert f.status.value == "ok"
    assert "assumes martial law continues" in f.explanation
    ended = _template(
        _step("meeting"),
        _step("pub", _rule("within", "meeting", "2 working days")),
        martial_law_until="2026-05-01",
    )
    (g,) = check(ended, [_done("meeting", "2026-08-20"), _done("pub", "2026-08-24")]).findings
    assert (g.status.value, g.deadline) == ("ok", D(2026, 8, 25))  # Mon 24 Aug 2026 is a day off again


def test_rule_settings_are_validated() -> None:
    """A backward line is never moved, so ``roll`` on no_later_than is an error; so is an unknown code."""
    with pytest.raises(ValueError, match="a backward line is never moved"):
        _template(_step("n", _rule("no_later_than", "h", "3 days", roll="forward")), _step("h"))
    with pytest.raises(ValueError, match="unknown counted_under"):
        _template(_step("m"), _step("p", _rule("within", "m", "3 days", counted_under="GPK")))
    with pytest.raises(ValueError, match="applies to within rules"):
        _template(_step("m"), _step("p", _rule("at_least", "m", "3 days", day_ends_at="18:00")))


def test_calendar_settings_are_part_of_its_identity() -> None:
    """Two calendars differ by rule set, end of martial law and code; with_overlays keeps them."""
    base = WorkingCalendar("UA", martial_law_until=D(2026, 5, 1))
    assert base != WorkingCalendar("UA")
    layered = base.with_overlays()
    assert layered == base
    assert layered.martial_law_until == D(2026, 5, 1)
    assert WorkingCalendar("BE", rules="EU") != WorkingCalendar("BE")
    assert WorkingCalendar("RU", counted_under="RU-GPK").counted_under == "RU-GPK"
    assert "rules='EU'" in repr(WorkingCalendar("BE", rules="EU"))


def test_entry_into_force_in_a_template_is_not_rolled() -> None:
    """Reg. 1182/71 art. 4(1): a within rule marked ``entry_into_force`` keeps its counted day (Sat 15
    March 2025, 20 days after Sun 23 February) in the check and in the plan, citing art. 4(1)."""
    from civicflow.planner import plan

    data = {
        **_TEMPLATE,
        "jurisdiction": {"country": "BE", "rules": "EU"},
        "stages": [
            {
                "id": "s",
                "title": {"en": "S"},
                "steps": [
                    _step("publication", {"type": "date", "date": "2025-02-23"}),
                    _step("in_force", _rule("within", "publication", "20 days", entry_into_force=True)),
                ],
            }
        ],
    }
    t = ProcessTemplate.model_validate(data)
    (f,) = check(t, [_done("publication", "2025-02-23"), _done("in_force", "2025-03-15")]).findings
    assert (f.status.value, f.deadline) == ("ok", D(2025, 3, 15))
    assert "Reg. 1182/71 art. 4(1)" in f.explanation
    (step,) = [s for s in plan(t, start=D(2025, 2, 1)).steps if s.id == "in_force"]
    assert step.deadline == D(2025, 3, 15)
    with pytest.raises(ValueError, match="'entry_into_force' applies to within rules"):
        _template(_step("m"), _step("p", _rule("at_least", "m", "3 days", entry_into_force=True)))


def test_hours_are_elapsed_time_across_a_change_of_clocks(ua: WorkingCalendar) -> None:
    """24 hours from Sat 29 March 2025 12:00 in Kyiv end at 13:00 on Sunday: the clocks went forward."""
    from zoneinfo import ZoneInfo

    d = ua.period_after(dt.datetime(2025, 3, 29, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv")), "24 hours")
    assert d.moment is not None
    assert (d.moment.hour, d.date) == (13, D(2025, 3, 30))


def test_ru_a_count_into_a_year_without_its_transfer_decree_says_what_it_assumes() -> None:
    """Russia moves days off by a Government decree each year (Labour Code art. 112). A count that
    reaches a year whose decree the holidays data does not hold yet says that it assumes no transfer;
    a count in a year the data covers says nothing of the kind."""
    import holidays

    ru = WorkingCalendar("RU")
    data = holidays.country_holidays("RU", years=range(2020, 2061), language="en_US")
    known = max(
        [d.year for d in data.weekend_workdays] + [d.year for d, n in data.items() if "substituted" in n]
    )
    inside = ru.period_after(dt.date(known, 5, 5), "1 working day")
    assert not any("transfer of days off" in note for note in inside.notes)
    later = ru.period_after(dt.date(known + 2, 5, 5), "1 working day")
    [note] = [n for n in later.notes if "transfer of days off" in n]
    assert f"assumes no transfer of days off in {known + 2}" in note
    assert f"it has them up to {known}" in note
    assert note in later.explain()
    # a count that starts in a covered year and ends after it names the first year not covered
    across = ru.period_after(dt.date(known, 12, 20), "30 working days")
    assert any(f"in {known + 1}:" in n for n in across.notes)
    # other countries are not concerned
    assert not any(
        "transfer of days off" in n
        for n in WorkingCalendar("BG").period_after(dt.date(2040, 5, 5), "1 working day").notes
    )
