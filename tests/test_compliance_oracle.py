"""civicflow's compliance findings against a slow, independent oracle of the legal rules.

The oracle below knows nothing of civicflow's calendar: it reads the days off and the working Saturdays
from the `holidays` package (``country_holidays``, ``weekend``, ``weekend_workdays``) and walks day by
day, as legal-periods.md sections 1-4 and docs/compliance.md ("Findings") describe the rules. Hypothesis
then draws templates and event logs (2016-2030, with time zones) and every finding of ``check()`` must
equal the oracle's. The regimes drawn: UA, BG and RU national law; BG counted by Reg. 1182/71 (arts. 2(2),
3(4), 3(5)); UA with martial law ending on 30 June 2024 (Labour Code arts. 67(3), 73 after it); RU under
the Civil Procedure Code (art. 107(3): days are working days); UA with an institution's working day ending
at 18:00 (Civil Code art. 255(1)). Periods in months, quarters, half-years and years are counted with
dateutil's calendar months (UA CC art. 254(1)-(3)).

The law's lines, read day by day: a backward period is counted and never moved (reading A counts back,
reading B keeps N whole days, or working days, strictly between the act and the event); its advised day
is the working day on or before the rule's own line; a minimum ("not earlier than") is not rolled.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from dateutil.easter import EASTER_ORTHODOX, easter
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicflow.calendar import WorkingCalendar
from civicflow.compliance import Report, check
from civicflow.events import Event, EventType
from civicflow.template import ProcessTemplate

ZONES = {"UA": "Europe/Kyiv", "BG": "Europe/Sofia", "RU": "Europe/Moscow"}
REGIMES = ("UA", "BG", "RU", "BG-EU", "UA-ML", "RU-GPK", "UA-HOURS")
"""Each drawn template's regime: a country, optionally with a rule set, an end of martial law or a code."""
MARTIAL_LAW_ENDS = dt.date(2024, 6, 30)  # UA-ML: the last day of martial law in the drawn templates
CLOSING = dt.time(18, 0)  # UA-HOURS: acts are done at an institution whose working day ends at 18:00
YEARS = range(2014, 2035)  # the generated dates (2016-2030) and every period counted from them (3 years)
ONE = dt.timedelta(days=1)
WD, DAYS = "working days", "days"
COUNT_BACK, CLEAR_DAYS = "count_back", "clear_days"

# --- the oracle: `holidays` data and walking day by day ----------------------------------------------


def country(cc: str) -> str:
    return cc.split("-")[0]


def zone(cc: str) -> str:
    return ZONES[country(cc)]


@functools.cache
def _data(cc: str) -> tuple[frozenset[dt.date], frozenset[dt.date], frozenset[int]]:
    """(days off, Saturdays made working, weekly rest weekdays) of regime ``cc`` from `holidays`."""
    h = holidays.country_holidays(country(cc), years=YEARS)
    days_off, working_saturdays, weekend = set(h), set(h.weekend_workdays), set(h.weekend)
    if cc.endswith("-EU"):
        # Reg. 1182/71 art. 2(2): working days are all days but public holidays, Sundays and Saturdays
        working_saturdays, weekend = set(), {5, 6}
    if cc == "UA-ML":
        # after martial law the holidays it suspended (`holidays`' workday category) are days off again,
        # and one on a rest day gives the next working day off (Labour Code of Ukraine arts. 67(3), 73)
        suspended = holidays.country_holidays("UA", years=YEARS, categories=("workday",))
        back = {d for d in suspended if d > MARTIAL_LAW_ENDS}
        moved: set[dt.date] = set()
        for d in sorted(back):
            if d.weekday() in weekend:
                k = d + ONE
                while k.weekday() in weekend or k in back or k in days_off or k in moved:
                    k += ONE
                moved.add(k)
        days_off |= back | moved
    return frozenset(days_off), frozenset(working_saturdays), frozenset(weekend)


def working(cc: str, d: dt.date) -> bool:
    """legal-periods.md s. 2: not a rest day and not a day off, or a rest day declared working."""
    assert d.year in YEARS, d
    days_off, working_saturdays, weekend = _data(cc)
    if d in working_saturdays:
        return True
    return d.weekday() not in weekend and d not in days_off


def nth_working_after(cc: str, d: dt.date, n: int) -> dt.date:
    """The n-th working day after d (d not counted)."""
    while n:
        d += ONE
        n -= working(cc, d)
    return d


def nth_working_before(cc: str, d: dt.date, n: int) -> dt.date:
    """The n-th working day before d (d not counted)."""
    while n:
        d -= ONE
        n -= working(cc, d)
    return d


def roll_forward(cc: str, d: dt.date) -> dt.date:
    while not working(cc, d):
        d += ONE
    return d


def roll_back(cc: str, d: dt.date) -> dt.date:
    while not working(cc, d):
        d -= ONE
    return d


def counted(cc: str, unit: str) -> str:
    """The unit a period is counted in: days are working days under the Civil Procedure Code of the RF
    (art. 107(3), since Federal Law 451-FZ)."""
    return WD if cc.endswith("-GPK") and unit == DAYS else unit


def forward(cc: str, x: dt.date, n: int, unit: str) -> dt.date:
    """Last day of "within n (working) days after x" (s. 3): n-th working day, or x + n rolled forward;
    under Reg. 1182/71 a period of two days or more holds at least two working days (art. 3(5))."""
    if counted(cc, unit) == WD:
        return nth_working_after(cc, x, n)
    end = roll_forward(cc, x + n * ONE)
    if cc.endswith("-EU") and n >= 2:
        end = max(end, nth_working_after(cc, x, 2))
    return end


MONTHS_IN = {"months": 1, "quarters": 3, "half-years": 6, "years": 12}
"""UA CC art. 254(1)-(3), RU CC art. 192(1)-(3): quarters and half-years by the rules for months; a year
ends on the same month and day (or the month's last day)."""


def forward_long(cc: str, x: dt.date, n: int, unit: str) -> dt.date:
    """Last day of "within n months (quarters, half-years, years) after x": dateutil's calendar months
    (the same day number, or the last day of a shorter month), rolled forward to a working day."""
    return roll_forward(cc, x + relativedelta(months=n * MONTHS_IN[unit]))


def minimum(cc: str, x: dt.date, n: int, unit: str) -> dt.date:
    """First allowed day of "not earlier than n (working) days after x": counted, never rolled."""
    return nth_working_after(cc, x, n) if counted(cc, unit) == WD else x + n * ONE


def backward(cc: str, y: dt.date, n: int, unit: str, reading: str) -> dt.date:
    """Last day to act for "no later than n (working) days before y" under a reading (s. 4), as the law
    counts it: never moved to another day (no code moves a backward period; Reg. 1182/71 art. 3(4)).

    Reading A counts back n (working) days starting from the day before y; reading B is the last day
    that leaves n whole (working) days strictly between the act and y, found by walking back.
    """
    wd = counted(cc, unit) == WD
    if reading == COUNT_BACK:
        return nth_working_before(cc, y, n) if wd else y - n * ONE
    d = y - ONE
    while True:
        between = [d + k * ONE for k in range(1, (y - d).days)]
        clear = sum(working(cc, day) for day in between) if wd else len(between)
        if clear >= n:
            return d
        d -= ONE


def late_by(cc: str, unit: str, deadline: dt.date, day: dt.date) -> int:
    """docs/compliance.md: in the rule's unit; working days after the deadline up to the day, at least 1."""
    assert day > deadline
    if unit == DAYS:
        return (day - deadline).days
    count = sum(working(cc, deadline + k * ONE) for k in range(1, (day - deadline).days + 1))
    return max(count, 1)


# --- the templates ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """The parameters of one generated template."""

    cc: str
    within_wd: int  # pub_wd: within N working days after the meeting
    within_days: int  # pub_cd: within N days after the meeting
    at_least: int  # discussion: at least N days from the draft; the hearing depends on the discussion
    before: int  # notice: no later than N (working) days before the session
    before_unit: str
    reading: str
    reading_on_rule: bool  # else the jurisdiction's default reading
    not_before: int = 4  # reply: not earlier than N days after the meeting
    long_n: int = 1  # report: within N months, quarters, half-years or years after the meeting
    long_unit: str = "months"


def _step(sid: str, kind: str, **more: Any) -> dict[str, Any]:
    return {"id": sid, "kind": kind, "title": {"en": sid.replace("_", " ")}, **more}


def _rule(rule: str, of: str, n: int, unit: str, **more: Any) -> dict[str, Any]:
    return {"type": "rule", "rule": rule, "of": of, "duration": f"{n} {unit}", **more}


def jurisdiction(cc: str, reading: str) -> dict[str, Any]:
    """The template's jurisdiction for a regime: its country, and the rule set, end of martial law or
    procedural code the regime names."""
    out: dict[str, Any] = {"country": country(cc), "timezone": zone(cc), "reading": reading}
    if cc.endswith("-EU"):
        out["rules"] = "EU"
    if cc == "UA-ML":
        out["martial_law_until"] = MARTIAL_LAW_ENDS.isoformat()
    if cc.endswith("-GPK"):
        out["counted_under"] = "RU-GPK"
    if cc.endswith("-HOURS"):
        out["day_ends_at"] = CLOSING.strftime("%H:%M")
    return out


@functools.cache
def template_for(shape: Shape) -> ProcessTemplate:
    """A small template with one rule of each shape of legal-periods.md s. 3."""
    notice_rule = _rule("no_later_than", "session", shape.before, shape.before_unit, anchor="start")
    default = shape.reading
    if shape.reading_on_rule:  # the rule's own reading must win over the jurisdiction's other one
        notice_rule["reading"] = shape.reading
        default = CLEAR_DAYS if shape.reading == COUNT_BACK else COUNT_BACK
    data = {
        "civicflow": 1,
        "id": "oracle",
        "version": "1",
        "language": "en",
        "title": {"en": "Oracle"},
        "jurisdiction": jurisdiction(shape.cc, default),
        "stages": [
            {
                "id": "s1",
                "title": {"en": "Meeting"},
                "steps": [
                    _step("meeting", "meeting"),
                    _step(
                        "pub_wd",
                        "publication",
                        timing=_rule("within", "meeting", shape.within_wd, WD),
                        depends_on=["meeting"],
                    ),
                    _step(
                        "pub_cd", "publication", timing=_rule("within", "meeting", shape.within_days, DAYS)
                    ),
                    _step(
                        "reply",
                        "publication",
                        timing=_rule("not_earlier_than", "meeting", shape.not_before, DAYS),
                    ),
                    _step(
                        "report",
                        "publication",
                        timing=_rule("within", "meeting", shape.long_n, shape.long_unit),
                    ),
                ],
            },
            {
                "id": "s2",
                "title": {"en": "Discussion"},
                "steps": [
                    _step("draft", "publication"),
                    _step(
                        "discussion",
                        "public_discussion",
                        timing=_rule("at_least", "draft", shape.at_least, DAYS),
                        depends_on=["draft"],
                    ),
                    _step("hearing", "hearing", depends_on=["discussion"]),
                ],
            },
            {
                "id": "s3",
                "title": {"en": "Session"},
                "steps": [_step("notice", "publication", timing=notice_rule), _step("session", "meeting")],
            },
        ],
    }
    return ProcessTemplate.model_validate(data)


# --- the expected findings ----------------------------------------------------------------------------

Row = dict[str, object]
"""The compared fields of one finding."""

FIELDS = (
    "step",
    "kind",
    "counts_from",
    "status",
    "deadline",
    "earliest",
    "actual",
    "late_by",
    "early_by",
    "unit",
    "reading",
    "readings",
    "advised",
)


def row(**kw: object) -> Row:
    out: Row = dict.fromkeys(FIELDS)
    out["readings"] = {}
    out.update(kw)
    return out


def observed(report: Report) -> list[Row]:
    """civicflow's findings, reduced to the compared fields."""
    return [
        row(
            **{k: getattr(f, k) for k in FIELDS if k not in ("status", "readings", "unit")},
            status=f.status.value,
            unit=f.to_dict()["unit"],  # in words, as the JSON form writes it
            readings=dict(f.readings),
        )
        for f in report.findings
    ]


def local_day(cc: str, at: dt.datetime) -> dt.date:
    """s. 1: a period ends at 24:00 local time, so an event belongs to its local day in the jurisdiction."""
    return at.astimezone(ZoneInfo(zone(cc))).date()


def expected(shape: Shape, events: list[Event], as_of_stamp: dt.date | dt.datetime | None) -> list[Row]:
    """The oracle's findings for ``events`` under the rules of ``template_for(shape)``."""
    cc = shape.cc
    as_of = local_day(cc, as_of_stamp) if isinstance(as_of_stamp, dt.datetime) else as_of_stamp
    opened: dict[str, dt.date] = {}
    done: dict[str, dt.date] = {}
    skips: set[str] = set()
    for e in events:
        day = local_day(cc, e.at)
        if as_of is not None and day > as_of:
            continue  # not happened yet as of that day
        if e.event is EventType.SKIP:
            skips.add(e.step)
            continue
        opened[e.step] = min(day, opened.get(e.step, day))
        if e.event is EventType.COMPLETE:
            done[e.step] = min(day, done.get(e.step, day))
    skipped = skips - set(done)  # a step done and also marked skipped counts as done
    # the day a step happened: its completion for a one-day step, its opening for the discussion (a span)
    acted = {**done, "discussion": opened.get("discussion")}
    # Civil Code of Ukraine art. 255(1): at an institution the last day ends when its working day does;
    # the earliest local time a one-day step was completed on its day
    acted_at: dict[str, dt.time] = {}
    for e in events:
        day = local_day(cc, e.at)
        if e.event is EventType.COMPLETE and day == done.get(e.step):
            t = e.at.astimezone(ZoneInfo(zone(cc))).time()
            acted_at[e.step] = min(t, acted_at.get(e.step, t))

    def after_hours(step: str, actual: dt.date, deadline: dt.date) -> bool:
        return cc.endswith("-HOURS") and actual == deadline and acted_at[step] >= CLOSING

    def skip(base: Row, step: str, anchor: str) -> Row | None:
        """docs/compliance.md: no rule applies when its step, or the step it counts from, was skipped."""
        return row(**base, status="skipped", actual=acted.get(step)) if {step, anchor} & skipped else None

    def missing(base: Row, deadline: dt.date, unit: str) -> Row:
        if as_of is not None and as_of > deadline:
            return row(
                **base, status="overdue", deadline=deadline, late_by=late_by(cc, unit, deadline, as_of)
            )
        return row(**base, status="pending", deadline=deadline)

    out: list[Row] = []
    for step, n, unit in (("pub_wd", shape.within_wd, WD), ("pub_cd", shape.within_days, DAYS)):
        unit = counted(cc, unit)
        base: Row = {"step": step, "kind": "within", "counts_from": "meeting", "unit": unit}
        actual, meeting = acted.get(step), done.get("meeting")
        if (skipped_row := skip(base, step, "meeting")) is not None:
            out.append(skipped_row)
            continue
        if meeting is None:
            out.append(row(**base, status="pending", actual=actual))
            continue
        deadline = forward(cc, meeting, n, unit)
        if actual is None:
            out.append(missing(base, deadline, unit))
        elif after_hours(step, actual, deadline):  # done after closing time on the last day: late
            out.append(row(**base, status="violated", deadline=deadline, actual=actual, late_by=1))
        elif actual <= deadline:
            out.append(row(**base, status="ok", deadline=deadline, actual=actual))
        else:
            late = late_by(cc, unit, deadline, actual)
            out.append(row(**base, status="violated", deadline=deadline, actual=actual, late_by=late))
    out.append(reply_row(shape, acted, done, skip))
    out.append(report_row(shape, acted, done, skip, missing, after_hours))

    base = {"step": "discussion", "kind": "at_least", "counts_from": "draft", "unit": counted(cc, DAYS)}
    draft = done.get("draft")
    if (skipped_row := skip(base, "discussion", "draft")) is not None:
        out.append(skipped_row)
    elif draft is None:
        out.append(row(**base, status="pending", actual=acted["discussion"]))
    else:
        end = forward(cc, draft, shape.at_least, DAYS)
        closed = done.get("discussion")
        if closed is None:
            out.append(row(**base, status="pending", earliest=end))
        elif closed < end:
            early = (end - closed).days
            out.append(
                row(**{**base, "unit": DAYS}, status="violated", earliest=end, actual=closed, early_by=early)
            )
        else:
            out.append(row(**base, status="ok", earliest=end, actual=closed))
        first = end + ONE  # the hearing may happen from the day after the period ends
        hearing = opened.get("hearing")
        base = {"step": "hearing", "kind": "after_period", "counts_from": "discussion", "unit": base["unit"]}
        if "hearing" in skipped:
            pass  # a skipped step waits for nothing
        elif hearing is None:
            out.append(row(**base, status="pending", earliest=first))
        elif hearing < first:
            early = (first - hearing).days
            late_row = {**base, "unit": DAYS, "earliest": first, "actual": hearing, "early_by": early}
            out.append(row(**late_row, status="violated"))
        else:
            out.append(row(**base, status="ok", earliest=first, actual=hearing))

    unit = counted(cc, shape.before_unit)
    base = {"step": "notice", "kind": "no_later_than", "counts_from": "session", "unit": unit}
    session, actual = opened.get("session"), acted.get("notice")
    if (skipped_row := skip(base, "notice", "session")) is not None:
        out.append(skipped_row)
        return out
    if session is None:
        out.append(row(**base, status="pending", actual=actual))
        return out
    a = backward(cc, session, shape.before, unit, COUNT_BACK)
    b = backward(cc, session, shape.before, unit, CLEAR_DAYS)
    assert b < a
    own = a if shape.reading == COUNT_BACK else b
    # the advised day: the working day on or before the rule's own line (advice, not the line)
    base.update(reading=shape.reading, readings={COUNT_BACK: a, CLEAR_DAYS: b}, advised=roll_back(cc, own))
    if actual is None:
        out.append(missing(base, own, unit))
    elif actual <= b:
        out.append(row(**base, status="ok", deadline=own, actual=actual))
    elif actual <= a:  # met only under the lenient reading A; late_by counts from B
        late = late_by(cc, unit, b, actual)
        out.append(row(**base, status="disputable", deadline=own, actual=actual, late_by=late))
    else:  # late under both readings; late_by counts from the deadline shown (the rule's own reading)
        late = late_by(cc, unit, own, actual)
        out.append(row(**base, status="violated", deadline=own, actual=actual, late_by=late))
    return out


def reply_row(
    shape: Shape,
    acted: dict[str, dt.date | None],
    done: dict[str, dt.date],
    skip: Any,
) -> Row:
    """ "Not earlier than N days after the meeting": the first allowed day is counted and not rolled (the
    roll forward, UA CC art. 254(5) / RU CC art. 193 / Reg. 1182/71 art. 3(4), extends a time to act)."""
    cc = shape.cc
    unit = counted(cc, DAYS)
    base: Row = {"step": "reply", "kind": "not_earlier_than", "counts_from": "meeting", "unit": unit}
    skipped_row = skip(base, "reply", "meeting")
    if skipped_row is not None:
        return skipped_row  # type: ignore[no-any-return]
    meeting, actual = done.get("meeting"), acted.get("reply")
    if meeting is None:
        return row(**base, status="pending", actual=actual)
    first = minimum(cc, meeting, shape.not_before, DAYS)
    if actual is None:
        return row(**base, status="pending", earliest=first)
    if actual >= first:
        return row(**base, status="ok", earliest=first, actual=actual)
    early = (first - actual).days
    return row(**{**base, "unit": DAYS}, status="violated", earliest=first, actual=actual, early_by=early)


def report_row(
    shape: Shape,
    acted: dict[str, dt.date | None],
    done: dict[str, dt.date],
    skip: Any,
    missing: Any,
    after_hours: Any,
) -> Row:
    """ "Within N months (quarters, half-years, years) after the meeting", late_by in days."""
    cc = shape.cc
    base: Row = {"step": "report", "kind": "within", "counts_from": "meeting", "unit": DAYS}
    skipped_row = skip(base, "report", "meeting")
    if skipped_row is not None:
        return skipped_row  # type: ignore[no-any-return]
    meeting, actual = done.get("meeting"), acted.get("report")
    if meeting is None:
        return row(**base, status="pending", actual=actual)
    deadline = forward_long(cc, meeting, shape.long_n, shape.long_unit)
    if actual is None:
        return missing(base, deadline, DAYS)  # type: ignore[no-any-return]
    if after_hours("report", actual, deadline):
        return row(**base, status="violated", deadline=deadline, actual=actual, late_by=1)
    if actual <= deadline:
        return row(**base, status="ok", deadline=deadline, actual=actual)
    late = (actual - deadline).days
    return row(**base, status="violated", deadline=deadline, actual=actual, late_by=late)


# --- calendars for civicflow (one table per country, shared) ------------------------------------------


@functools.cache
def calendar(cc: str) -> WorkingCalendar:
    return WorkingCalendar(
        country(cc),
        rules="EU" if cc.endswith("-EU") else None,
        martial_law_until=MARTIAL_LAW_ENDS if cc == "UA-ML" else None,
        counted_under="RU-GPK" if cc.endswith("-GPK") else None,
    )


def civicflow_findings(shape: Shape, events: list[Event], as_of: dt.date | dt.datetime | None) -> list[Row]:
    return observed(check(template_for(shape), events, as_of=as_of, calendar=calendar(shape.cc)))


# --- strategies ---------------------------------------------------------------------------------------

FIRST, LAST = dt.date(2016, 1, 1), dt.date(2030, 12, 31)
SPECIAL = (
    dt.date(2021, 10, 15),  # UA: Fri off, transferred ...
    dt.date(2021, 10, 23),  # ... to Sat, a working day
    dt.date(2016, 3, 12),  # BG: working Saturdays of 2016
    dt.date(2016, 5, 14),
    dt.date(2016, 9, 17),
    dt.date(2025, 12, 31),  # BG: one-off days off
    dt.date(2026, 1, 2),
    dt.date(2025, 11, 1),  # RU: Sat 1 Nov working, Mon 3 Nov off
    dt.date(2025, 11, 3),
    dt.date(2025, 5, 9),  # RU: May holidays
    dt.date(2024, 12, 25),  # UA: a working day under martial law
)
OTHER_ZONES = ("UTC", "America/New_York", "Asia/Tokyo", "Europe/Lisbon", "Asia/Vladivostok")


def _near(days: st.SearchStrategy[dt.date], spread: int = 10) -> st.SearchStrategy[dt.date]:
    return st.builds(lambda d, k: d + k * ONE, days, st.integers(-spread, spread))


new_years = st.builds(lambda y: dt.date(y, 1, 1), st.integers(2016, 2030))
easters = st.builds(lambda y: easter(y, EASTER_ORTHODOX), st.integers(2016, 2030))
days_2016_2030 = st.one_of(
    st.dates(FIRST, LAST),
    _near(new_years, 12),
    _near(easters),
    _near(st.sampled_from(SPECIAL)),
).map(lambda d: min(max(d, FIRST), LAST))
times = st.one_of(
    st.times(),
    st.times(min_value=dt.time(20, 0)),  # late evening: the next day in Kyiv when stamped in UTC
    st.times(max_value=dt.time(3, 59)),  # early morning: still the day before further west
)


@st.composite
def stamps(draw: st.DrawFn, cc: str, day: dt.date) -> dt.datetime:
    """A timestamp on ``day`` at a random time in the jurisdiction's zone or another one."""
    where = draw(st.sampled_from((zone(cc), zone(cc), *OTHER_ZONES)))
    return dt.datetime.combine(day, draw(times), tzinfo=ZoneInfo(where))


shapes = st.builds(
    Shape,
    cc=st.sampled_from(REGIMES),
    within_wd=st.integers(1, 10),
    within_days=st.integers(1, 15),
    at_least=st.integers(1, 30),
    before=st.integers(1, 10),
    before_unit=st.sampled_from((WD, DAYS)),
    reading=st.sampled_from((COUNT_BACK, CLEAR_DAYS)),
    reading_on_rule=st.booleans(),
    not_before=st.integers(0, 12),
    long_n=st.integers(1, 3),
    long_unit=st.sampled_from(tuple(MONTHS_IN)),
)


@dataclass(frozen=True)
class Case:
    shape: Shape
    events: list[Event]
    as_of: dt.date | dt.datetime | None


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A template and an event log: dates near the oracle's deadlines as often as anywhere."""
    shape = draw(shapes)
    cc = shape.cc
    events: list[Event] = []

    def happens() -> bool:
        return draw(st.integers(0, 9)) > 0  # one event in ten is missing

    def record(step: str, day: dt.date, kind: EventType = EventType.COMPLETE) -> dt.date:
        at = draw(stamps(cc, day))
        if kind is EventType.COMPLETE and draw(st.integers(0, 14)) == 0:
            kind = EventType.SKIP  # skipped on purpose: the rules of and from it do not apply
        events.append(Event(step, kind, at))
        return local_day(cc, at)

    def around(anchor: dt.date, deadline: dt.date, spread: int) -> dt.date:
        near = st.builds(lambda k: deadline + k * ONE, st.integers(-2, 2))
        return draw(st.one_of(near, st.builds(lambda k: anchor + k * ONE, st.integers(0, spread))))

    anchors: list[dt.date] = []
    if happens():
        meeting = record("meeting", draw(days_2016_2030))
        anchors.append(meeting)
        for step, n, unit in (("pub_wd", shape.within_wd, WD), ("pub_cd", shape.within_days, DAYS)):
            if happens():
                record(step, around(meeting, forward(cc, meeting, n, unit), 2 * n + 6))
        if happens():
            first = minimum(cc, meeting, shape.not_before, DAYS)
            record("reply", around(meeting, first, 2 * shape.not_before + 6))
        if happens():
            last = forward_long(cc, meeting, shape.long_n, shape.long_unit)
            record("report", around(meeting, last, 400))
    if happens():
        draft = record("draft", draw(days_2016_2030))
        anchors.append(draft)
        end = forward(cc, draft, shape.at_least, DAYS)
        if happens():
            record("discussion", draft + draw(st.integers(0, 3)) * ONE, EventType.OPEN)
        closed = None
        if happens():
            closed = record("discussion", around(draft, end, shape.at_least + 5))
        if happens():
            record("hearing", around(closed or draft, end + ONE, shape.at_least + 5))
    if happens():
        session = record("session", draw(days_2016_2030))
        anchors.append(session)
        if happens():
            b = backward(cc, session, shape.before, shape.before_unit, CLEAR_DAYS)
            spread = 2 * shape.before + 8
            record("notice", around(session - spread * ONE, b, spread))
    draw(st.randoms()).shuffle(events)  # check() must not depend on the order of the log
    as_of = None
    if anchors and draw(st.booleans()):
        as_of = draw(st.sampled_from(anchors)) + draw(st.integers(-3, 40)) * ONE
        if draw(st.booleans()):  # the moment of the check, in any zone: its local day counts
            as_of = draw(stamps(cc, as_of))
    return Case(shape, events, as_of)


# --- the properties -----------------------------------------------------------------------------------


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_findings_equal_the_oracle(case: Case) -> None:
    """Every finding (status, deadline, earliest, actual, late_by, early_by, readings) equals the oracle's."""
    assert civicflow_findings(case.shape, case.events, case.as_of) == expected(
        case.shape, case.events, case.as_of
    )


# --- the worked examples, oracle and civicflow side by side -------------------------------------------

D = dt.date
PLAIN = Shape("UA", 3, 10, 10, 3, WD, COUNT_BACK, True)


def at(day: str, zone: str = "Europe/Kyiv", time: str = "12:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=ZoneInfo(zone))


def both(shape: Shape, events: list[Event], as_of: dt.date | None = None) -> list[Row]:
    """The oracle's findings, after checking that civicflow (with the template's own calendar) agrees."""
    found = observed(check(template_for(shape), events, as_of=as_of))
    wanted = expected(shape, events, as_of)
    assert found == wanted
    return wanted


def of(rows: list[Row], step: str) -> Row:
    (found,) = [r for r in rows if r["step"] == step]
    return found


@pytest.mark.parametrize(
    ("cc", "x", "n", "unit", "deadline"),
    [
        ("UA", D(2024, 10, 10), 3, WD, D(2024, 10, 15)),
        ("UA", D(2024, 12, 20), 5, WD, D(2024, 12, 27)),
        ("UA", D(2025, 5, 1), 10, DAYS, D(2025, 5, 12)),
        ("BG", D(2025, 12, 29), 3, WD, D(2026, 1, 6)),
        ("RU", D(2025, 4, 30), 10, DAYS, D(2025, 5, 12)),
    ],
    ids=["UA-3wd", "UA-5wd-martial-law", "UA-10-days-rolls", "BG-new-year", "RU-may-holidays"],
)
def test_section_5_forward_examples(cc: str, x: dt.date, n: int, unit: str, deadline: dt.date) -> None:
    """The oracle and civicflow give legal-periods.md s. 5's deadline; on it ok, the next day violated."""
    assert forward(cc, x, n, unit) == deadline
    shape = Shape(cc, n if unit == WD else 1, n if unit == DAYS else 1, 10, 3, WD, COUNT_BACK, True)
    step = "pub_wd" if unit == WD else "pub_cd"
    meeting = Event("meeting", EventType.COMPLETE, at(x.isoformat(), zone(cc)))
    for day, status in ((deadline, "ok"), (deadline + ONE, "violated")):
        late = Event(step, EventType.COMPLETE, at(day.isoformat(), zone(cc)))
        f = of(both(shape, [meeting, late]), step)
        assert (f["deadline"], f["actual"], f["status"]) == (deadline, day, status)


@pytest.mark.parametrize(
    ("hearing", "status", "early_by"),
    [("2025-05-12", "violated", 1), ("2025-05-13", "ok", None)],
)
def test_section_5_discussion_example(hearing: str, status: str, early_by: int | None) -> None:
    """UA: at least 10 days from 2025-05-01 Thu ends Mon 05-12; the hearing may happen from Tue 05-13."""
    events = [
        Event("draft", EventType.COMPLETE, at("2025-05-01")),
        Event("discussion", EventType.OPEN, at("2025-05-02")),
        Event("discussion", EventType.COMPLETE, at("2025-05-12")),
        Event("hearing", EventType.COMPLETE, at(hearing)),
    ]
    rows = both(PLAIN, events)
    assert (of(rows, "discussion")["earliest"], of(rows, "discussion")["status"]) == (D(2025, 5, 12), "ok")
    f = of(rows, "hearing")
    assert (f["earliest"], f["status"], f["early_by"]) == (D(2025, 5, 13), status, early_by)


@pytest.mark.parametrize("reading", [COUNT_BACK, CLEAR_DAYS])
@pytest.mark.parametrize(
    ("published", "status"),
    [("2025-03-11", "ok"), ("2025-03-12", "disputable"), ("2025-03-13", "violated")],
)
def test_section_4_two_readings(reading: str, published: str, status: str) -> None:
    """3 working days before 2025-03-17 Mon: A is Wed 03-12, B Tue 03-11; Tue ok, Wed disputable, Thu late."""
    shape = Shape("UA", 3, 10, 10, 3, WD, reading, reading == CLEAR_DAYS)
    events = [
        Event("session", EventType.COMPLETE, at("2025-03-17")),
        Event("notice", EventType.COMPLETE, at(published)),
    ]
    f = of(both(shape, events), "notice")
    a, b = D(2025, 3, 12), D(2025, 3, 11)
    assert f["readings"] == {COUNT_BACK: a, CLEAR_DAYS: b}
    assert (f["deadline"], f["status"]) == (a if reading == COUNT_BACK else b, status)
    # late_by counts from the deadline shown: from Tue 11 (clear days) a Thursday act is 2 working days late
    late = {"ok": None, "disputable": 1, "violated": 2 if reading == CLEAR_DAYS else 1}[status]
    assert f["late_by"] == late


def test_utc_evening_stamp_is_the_next_kyiv_day() -> None:
    """A publication stamped 2025-10-14T23:30Z happened on 15 October in Kyiv: 1 working day late."""
    shape = Shape("UA", 3, 10, 10, 3, WD, COUNT_BACK, True)
    events = [
        Event("meeting", EventType.COMPLETE, at("2025-10-09")),
        Event("pub_wd", EventType.COMPLETE, at("2025-10-14", "UTC", "23:30")),
    ]
    f = of(both(shape, events), "pub_wd")
    assert (f["deadline"], f["actual"], f["status"], f["late_by"]) == (
        D(2025, 10, 14),
        D(2025, 10, 15),
        "violated",
        1,
    )


@pytest.mark.parametrize(
    ("cc", "day", "works"),
    [
        ("UA", D(2021, 10, 15), False),
        ("UA", D(2021, 10, 23), True),
        ("UA", D(2024, 12, 25), True),
        ("BG", D(2016, 3, 12), True),
        ("BG", D(2025, 12, 31), False),
        ("BG", D(2026, 1, 2), False),
        ("BG", D(2024, 11, 1), True),
        ("RU", D(2025, 11, 1), True),
        ("RU", D(2025, 11, 3), False),
    ],
)
def test_oracle_knows_the_section_2_facts(cc: str, day: dt.date, works: bool) -> None:
    """The oracle's working days carry the transfers and one-off days of legal-periods.md s. 2."""
    assert working(cc, day) is works


# --- the law's lines and the regimes: worked cases, oracle and civicflow side by side ------------------


def _shape(cc: str = "UA", **kw: Any) -> Shape:
    base = {"within_wd": 3, "within_days": 10, "at_least": 10, "before": 3, "before_unit": WD}
    return Shape(cc=cc, **{**base, "reading": COUNT_BACK, "reading_on_rule": True, **kw})


@pytest.mark.parametrize(
    ("published", "status"), [("2025-03-14", "ok"), ("2025-03-15", "disputable"), ("2025-03-17", "violated")]
)
def test_backward_days_line_is_not_moved(published: str, status: str) -> None:
    """ "No later than 10 days before" 2025-03-25 Tue: reading A's line is Sat 15 March, not moved (no code
    of UA moves a backward period), B's Fri 14; the advised day is Fri 14."""
    events = [
        Event("session", EventType.COMPLETE, at("2025-03-25")),
        Event("notice", EventType.COMPLETE, at(published)),
    ]
    f = of(both(_shape(before=10, before_unit=DAYS), events), "notice")
    assert f["readings"] == {COUNT_BACK: D(2025, 3, 15), CLEAR_DAYS: D(2025, 3, 14)}
    assert (f["status"], f["advised"]) == (status, D(2025, 3, 14))


def test_clear_working_days_lie_strictly_between() -> None:
    """ "No later than 3 working days before" 2025-03-20 Thu, act on Sat 15 March: Mon, Tue and Wed are
    clear, so reading B is met."""
    events = [
        Event("session", EventType.COMPLETE, at("2025-03-20")),
        Event("notice", EventType.COMPLETE, at("2025-03-15")),
    ]
    f = of(both(_shape(reading=CLEAR_DAYS), events), "notice")
    assert (f["status"], f["deadline"]) == ("ok", D(2025, 3, 16))


@pytest.mark.parametrize(("replied", "status"), [("2025-03-28", "violated"), ("2025-03-29", "ok")])
def test_minimum_is_not_rolled(replied: str, status: str) -> None:
    """ "Not earlier than 4 days after" 2025-03-25 Tue is met on Sat 29 March (UA CC art. 254(5) extends
    a time to act; it does not postpone the first allowed day)."""
    events = [
        Event("meeting", EventType.COMPLETE, at("2025-03-25")),
        Event("reply", EventType.COMPLETE, at(replied)),
    ]
    f = of(both(_shape(not_before=4), events), "reply")
    assert (f["earliest"], f["status"]) == (D(2025, 3, 29), status)


@pytest.mark.parametrize(("published", "status"), [("2025-03-18", "ok"), ("2025-03-19", "violated")])
def test_eu_two_days_hold_two_working_days(published: str, status: str) -> None:
    """Reg. 1182/71 art. 3(5): 2 days from 2025-03-14 Fri end on Tue 18 March (BG counted by the EU rules)."""
    events = [
        Event("meeting", EventType.COMPLETE, at("2025-03-14", "Europe/Sofia")),
        Event("pub_cd", EventType.COMPLETE, at(published, "Europe/Sofia")),
    ]
    f = of(both(_shape("BG-EU", within_days=2), events), "pub_cd")
    assert (f["deadline"], f["status"]) == (D(2025, 3, 18), status)


def test_after_martial_law_a_weekend_holiday_moves_the_day_off() -> None:
    """Labour Code of Ukraine arts. 67(3), 73 after martial law (ended 30 June 2024 in this regime):
    Independence Day on Sat 24 Aug 2024 makes Mon 26 Aug a day off, so 1 working day after Fri 23 Aug
    ends on Tue 27 Aug."""
    assert not working("UA-ML", D(2024, 8, 26))
    assert working("UA", D(2024, 8, 26))
    events = [
        Event("meeting", EventType.COMPLETE, at("2024-08-23")),
        Event("pub_wd", EventType.COMPLETE, at("2024-08-27")),
    ]
    f = of(both(_shape("UA-ML", within_wd=1), events), "pub_wd")
    assert (f["deadline"], f["status"]) == (D(2024, 8, 27), "ok")


def test_procedural_code_days_are_working_days() -> None:
    """Civil Procedure Code of the RF art. 107(3): "10 days" from 2025-04-30 Wed are 10 working days."""
    events = [
        Event("meeting", EventType.COMPLETE, at("2025-04-30", "Europe/Moscow")),
        Event("pub_cd", EventType.COMPLETE, at("2025-05-21", "Europe/Moscow")),
    ]
    f = of(both(_shape("RU-GPK"), events), "pub_cd")
    assert (f["deadline"], f["status"], f["unit"], f["late_by"]) == (D(2025, 5, 20), "violated", WD, 1)


@pytest.mark.parametrize(("time", "status"), [("17:59", "ok"), ("18:00", "violated"), ("23:59", "violated")])
def test_institution_hours_end_the_last_day(time: str, status: str) -> None:
    """Civil Code of Ukraine art. 255(1): at an institution closing at 18:00 the last day ends then."""
    events = [
        Event("meeting", EventType.COMPLETE, at("2025-03-10")),
        Event("pub_wd", EventType.COMPLETE, at("2025-03-13", time=time)),
    ]
    f = of(both(_shape("UA-HOURS"), events), "pub_wd")
    assert (f["deadline"], f["actual"], f["status"]) == (D(2025, 3, 13), D(2025, 3, 13), status)
    assert of(both(_shape("UA"), events), "pub_wd")["status"] == "ok"  # otherwise until 24:00


@pytest.mark.parametrize(
    ("unit", "n", "deadline"),
    [("years", 1, D(2025, 2, 28)), ("quarters", 1, D(2024, 5, 29)), ("half-years", 1, D(2024, 8, 29))],
)
def test_long_units_follow_the_rules_for_months(unit: str, n: int, deadline: dt.date) -> None:
    """UA CC art. 254(1)-(2): 29 Feb 2024 + 1 year is Fri 28 Feb 2025; quarters and half-years by months."""
    events = [Event("meeting", EventType.COMPLETE, at("2024-02-29"))]
    f = of(both(_shape(long_n=n, long_unit=unit), events), "report")
    assert (f["deadline"], f["status"]) == (deadline, "pending")
