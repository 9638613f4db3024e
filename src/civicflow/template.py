"""The process template: a pydantic v2 model of a civic participation process.

A template is data: a process with its jurisdiction, organisations, legal references and nested stages of
steps. Each step has a kind (meeting, publication, public discussion, ...), who is responsible, where it is
published, what it is about and when it happens. *When* is one of five timing shapes:

* ``date``: an exact day (``{type: date, date: 2021-04-15}``);
* ``range``: fixed first and last days (``{type: range, start: 2021-03-27, end: 2021-04-12}``);
* ``window``: a fuzzy part of a month ("mid November", "end of December", "a week of October", "October to
  the beginning of November"), resolved against the process start by the planner;
* ``duration``: a span of a given length that starts when its dependencies are done ("3 months");
* ``rule``: a legal rule relative to another step ("within 3 working days after", "at least 10 days",
  "no later than 3 working days before"), with its reading and legal reference.

Structural checks that need the whole document (unique ids, every reference resolves, no dependency cycles)
live in :func:`structural_problems`, so that the loader can report all of them at once with file positions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PlainSerializer,
    StrictBool,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from civicflow.calendar import NAMED_OVERLAYS, PROCEDURAL_CODES, Overlay, Reading, Roll, WorkingCalendar
from civicflow.dates import zone, zone_names
from civicflow.durations import Duration, DurationUnit
from civicflow.errors import Problem, UnknownStepError
from civicflow.i18n import _ as N_
from civicflow.messages import Message, Param, Term

__all__ = [
    "FORMAT_VERSION",
    "POINT_KINDS",
    "START",
    "WORKING_DAY_KINDS",
    "CalendarDay",
    "CalendarLayer",
    "Channel",
    "ChannelKind",
    "DateRange",
    "Dependency",
    "DurationSpan",
    "ExactDate",
    "Funding",
    "FundingPart",
    "Jurisdiction",
    "MonthPart",
    "OccurrencePrecision",
    "OrgKind",
    "Organisation",
    "Participants",
    "ProcessTemplate",
    "Recurrence",
    "Reference",
    "RelativeRule",
    "RuleKind",
    "Stage",
    "Step",
    "StepKind",
    "Target",
    "Text",
    "Timing",
    "Window",
    "WindowPart",
    "stage_paths",
    "structural_problems",
]

FORMAT_VERSION = 1
"""The template format version this library reads (the top-level ``civicflow:`` key)."""

START = "@start"
"""The pseudo step id that stands for the process start in rules and dependencies."""

_ID = r"^[a-z][a-z0-9_]*$"
_LANG = re.compile(r"^[a-z]{2}$")

Id = Annotated[str, Field(pattern=_ID, min_length=1, max_length=80)]
"""An identifier: lowercase letters, digits and underscores, starting with a letter."""


def _check_text(value: Any) -> Any:
    if isinstance(value, dict):
        bad = [k for k in value if not isinstance(k, str) or not _LANG.match(k)]
        if bad:
            raise ValueError(
                f"language keys must be two-letter ISO 639-1 codes such as uk, bg, ru, en; got {bad!r}"
            )
        empty = [k for k, v in value.items() if not isinstance(v, str) or not v.strip()]
        if empty:
            raise ValueError(
                Message(
                    N_("text for {languages} is empty; give the words or drop the language"),
                    languages=", ".join(empty),
                )
            )
        if not value:
            raise ValueError("give the text in at least one language, e.g. {en: ..., uk: ...}")
    return value


Text = Annotated[
    dict[str, str],
    BeforeValidator(_check_text),
    WithJsonSchema(
        {
            "type": "object",
            "description": "Text by language (ISO 639-1 code -> text), e.g. {uk: ..., en: ...}",
            "propertyNames": {"pattern": "^[a-z]{2}$"},
            "additionalProperties": {"type": "string", "minLength": 1},
            "minProperties": 1,
        }
    ),
]
"""Text in several languages: ``{uk: "Перше засідання", en: "First meeting"}``."""


def _parse_duration(value: Any) -> Any:
    if isinstance(value, str):
        return Duration.parse(value)
    return value


def _clock_time(value: object) -> object:
    """``"18:00"`` as a time. YAML 1.1 reads an unquoted 18:00 as the base-60 number 1080: minutes."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return dt.time(value // 60, value % 60)
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                Message(N_("{value} is not a time of day; write HH:MM, e.g. 18:00"), value=repr(value))
            ) from None
    return value


ClockTime = Annotated[dt.time, BeforeValidator(_clock_time)]
"""A time of day, ``HH:MM``."""

DurationField = Annotated[
    Duration,
    BeforeValidator(_parse_duration),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "description": 'A duration: "3 working days", "10 days", "2 weeks", "3 months", '
            '"half a month", or ISO 8601 "P10D", "P2W", "P3M"',
            "examples": ["3 working days", "10 days", "3 months", "P10D"],
        }
    ),
]


def _decimal_from_yaml(value: Any) -> Any:
    if isinstance(value, float):
        # YAML reads 75970.01 as a float; its shortest repr is the decimal the author wrote.
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.replace(" ", "").replace("\u00a0", ""))
        except InvalidOperation:
            return value  # not an amount: pydantic's decimal check says what would be right
    return value


Amount = Annotated[
    Decimal,
    BeforeValidator(_decimal_from_yaml),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": ["string", "number"], "description": "A decimal amount, e.g. 75970.01"}),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# --------------------------------------------------------------------------------------------------------
# Reference data: legal references, organisations, jurisdiction, calendar overlays


class Reference(_Model):
    """A legal or documentary source that rules and steps cite."""

    id: Id
    citation: str = Field(min_length=1, description="How the source is cited, e.g. 'Civil Code art. 254'")
    title: Text | None = None
    url: str | None = None
    note: str | None = None


class OrgKind(StrEnum):
    """What kind of body an organisation is."""

    COUNCIL = "council"
    EXECUTIVE = "executive"
    UNIT = "unit"
    WORKING_GROUP = "working_group"
    INSTITUTION = "institution"
    NGO = "ngo"
    PARTNER = "partner"
    FUNDER = "funder"
    GOVERNMENT = "government"
    GROUP = "group"
    PERSON = "person"
    OTHER = "other"


class Organisation(_Model):
    """A responsible unit, organizer, partner, funder, signatory or group of people."""

    id: Id
    name: Text
    kind: OrgKind = OrgKind.OTHER
    parent: Id | None = Field(default=None, description="the organisation this one belongs to")
    url: str | None = None
    note: str | None = None


class Jurisdiction(_Model):
    """Where the process runs: which working-day calendar and time zone apply."""

    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, e.g. UA, BG, RU")
    subdivision: str | None = None
    timezone: str | None = Field(default=None, description="IANA zone, e.g. Europe/Kyiv")
    reading: Reading = Field(
        default=Reading.COUNT_BACK,
        description="default reading of backward rules ('no later than N days before')",
    )
    municipality: Text | None = None
    rules: Literal["EU"] | None = Field(
        default=None,
        description="count periods by Regulation (EEC, Euratom) No 1182/71 ('EU') instead of national law",
    )
    martial_law_until: dt.date | None = Field(
        default=None,
        description="UA: the last day of martial law; public holidays apply again from the day after",
    )
    counted_under: str | None = Field(
        default=None,
        description="a procedural code whose periods in days are working days, e.g. RU-GPK",
    )
    overlays: list[str] = Field(
        default_factory=list,
        description="named calendar overlays, e.g. ru-decreed-non-working-days (off by default)",
    )
    day_ends_at: ClockTime | None = Field(
        default=None,
        description="where acts are done at an institution, the end of its working day (HH:MM), "
        "which ends the last day of a period instead of 24:00",
    )

    @model_validator(mode="after")
    def _known_names(self) -> Jurisdiction:
        if self.counted_under is not None and self.counted_under not in PROCEDURAL_CODES:
            raise ValueError(
                f"unknown counted_under {self.counted_under!r}; known: {', '.join(PROCEDURAL_CODES)}"
            )
        for name in self.overlays:
            if name not in NAMED_OVERLAYS:
                raise ValueError(f"unknown overlay {name!r}; known: {', '.join(NAMED_OVERLAYS)}")
            if NAMED_OVERLAYS[name][0] != self.country:
                raise ValueError(f"overlay {name!r} is for {NAMED_OVERLAYS[name][0]}, not {self.country}")
        if self.martial_law_until is not None and self.country != "UA":
            raise ValueError(f"martial_law_until applies to UA, not {self.country}")
        if self.counted_under is not None and not self.counted_under.startswith(f"{self.country}-"):
            raise ValueError(f"counted_under {self.counted_under} does not apply to {self.country}")
        return self

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            check_zone_name(value)
        return value


def check_zone_name(name: str) -> None:
    """Raise ``ValueError`` unless ``name`` is a zone of the tz database (``Europe/Kyiv``, ``UTC``)."""
    import difflib

    try:
        zone(name)  # cached: the common case costs a dict look-up
        return
    except ValueError:
        pass
    known = zone_names()
    close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ValueError(
        f"{name!r} is not a time zone of the tz database; write an IANA name such as Europe/Kyiv{hint}"
    )


class CalendarDay(_Model):
    """One day in a calendar overlay, with why."""

    date: dt.date
    reason: str | None = None
    reference: Id | None = None


class Weekday(StrEnum):
    """A day of the week, for weekly rest patterns."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        """0 for Monday ... 6 for Sunday, as :meth:`datetime.date.weekday`."""
        return list(Weekday).index(self)


class CalendarLayer(_Model):
    """Local changes to the working-day calendar, optionally valid only inside a date range."""

    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    weekend: list[Weekday] | None = Field(default=None, description="weekly rest days, e.g. [sat, sun]")
    days_off: list[CalendarDay] = Field(default_factory=list)
    working_days: list[CalendarDay] = Field(default_factory=list)
    reference: Id | None = None

    @model_validator(mode="after")
    def _range_in_order(self) -> CalendarLayer:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self


# --------------------------------------------------------------------------------------------------------
# Timing shapes


class ExactDate(_Model):
    """An exact day: ``{type: date, date: 2021-04-15}``."""

    type: Literal["date"]
    date: dt.date
    label: Text | None = Field(default=None, description="the wording of the source document")


class DateRange(_Model):
    """Fixed first and last days, both included."""

    type: Literal["range"]
    start: dt.date
    end: dt.date
    label: Text | None = None

    @model_validator(mode="after")
    def _in_order(self) -> DateRange:
        if self.end < self.start:
            raise ValueError(
                Message(
                    N_("end {end} is before start {start}; swap them"),
                    end=str(self.end),
                    start=str(self.start),
                )
            )
        return self


class WindowPart(StrEnum):
    """A fuzzy part of a month; the planner documents the days each covers."""

    ANY = "any"  # the whole month
    BEGINNING = "beginning"  # days 1-10
    MID = "mid"  # days 11-20
    END = "end"  # day 21 to the last day
    FIRST_HALF = "first_half"  # days 1-15
    SECOND_HALF = "second_half"  # day 16 to the last day
    WEEK = "week"  # some week of the month, left open by the source


class MonthPart(_Model):
    """A part of a month. Without ``year`` the month is the first such month on or after the start."""

    month: int = Field(ge=1, le=12)
    part: WindowPart = WindowPart.ANY
    year: int | None = Field(default=None, ge=1900, le=2200)


class Window(_Model):
    """A fuzzy window: from a part of a month (``month``/``part``/``year``) to another (``until``).

    * "mid November": ``{type: window, month: 11, part: mid}``
    * "October - beginning of November": ``{type: window, month: 10, until: {month: 11, part: beginning}}``
    * "by the end of October": ``{type: window, until: {month: 10, part: end}}`` (from the process start)
    * "a week of October" left open: ``{type: window, month: 10, part: week}``
    """

    type: Literal["window"]
    month: int | None = Field(default=None, ge=1, le=12)
    part: WindowPart = WindowPart.ANY
    year: int | None = Field(default=None, ge=1900, le=2200)
    until: MonthPart | None = None
    label: Text | None = None

    @model_validator(mode="after")
    def _has_a_month(self) -> Window:
        if self.month is None and self.until is None:
            raise ValueError(Message(N_("a window needs 'month' (e.g. month: 11, part: mid) or 'until'")))
        if self.month is None and (self.part is not WindowPart.ANY or self.year is not None):
            raise ValueError("'part' and 'year' need 'month'; for 'by the end of M' write until: {month: M}")
        return self

    @property
    def first(self) -> MonthPart | None:
        """The part of a month where the window opens (None: at the process start)."""
        if self.month is None:
            return None
        return MonthPart(month=self.month, part=self.part, year=self.year)


class DurationSpan(_Model):
    """A span of a given length that starts when its dependencies are done (or at the process start)."""

    type: Literal["duration"]
    duration: DurationField
    label: Text | None = None


class RuleKind(StrEnum):
    """The shapes a deadline takes in the rules civicflow models (docs/calendar.md)."""

    WITHIN = "within"  # within N after X: deadline = X + N (forward, rolled)
    AT_LEAST = "at_least"  # lasts at least N from X: period end = X + N (rolled); next step the day after
    NO_LATER_THAN = "no_later_than"  # no later than N before Y: latest = Y - N (backward, by a reading)
    NOT_EARLIER_THAN = "not_earlier_than"  # not earlier than N after X: earliest = X + N


class RelativeRule(_Model):
    """A legal rule relative to another step's start or end (or to the process start, ``@start``)."""

    type: Literal["rule"]
    rule: RuleKind
    of: str = Field(description="the step the rule counts from, or '@start'")
    anchor: Literal["start", "end"] = Field(default="end", description="count from that step's start or end")
    duration: DurationField
    reading: Reading | None = Field(
        default=None, description="for no_later_than: count_back or clear_days (default: the jurisdiction's)"
    )
    reference: Id | None = Field(default=None, description="the legal reference id that sets this rule")
    text: Text | None = Field(default=None, description="the rule as the source words it")
    roll: Roll | None = Field(
        default=None,
        description="forward or none: overrides the jurisdiction's roll for this rule (see docs/calendar.md)",
    )
    counted_under: str | None = Field(
        default=None, description="a procedural code whose periods in days are working days, e.g. RU-GPK"
    )
    day_ends_at: ClockTime | None = Field(
        default=None,
        description="the act is done at an institution whose working day ends at HH:MM (a within rule)",
    )
    entry_into_force: bool = Field(
        default=False,
        description="a within rule that dates an entry into force: never rolled (Reg. 1182/71 art. 4(1))",
    )

    @model_validator(mode="after")
    def _reading_only_backward(self) -> RelativeRule:
        if self.reading is not None and self.rule is not RuleKind.NO_LATER_THAN:
            raise ValueError("'reading' applies only to no_later_than rules (periods counted backwards)")
        if self.entry_into_force and (self.rule is not RuleKind.WITHIN or self.roll is not None):
            raise ValueError("'entry_into_force' applies to within rules without their own 'roll'")
        if self.day_ends_at is not None and self.rule is not RuleKind.WITHIN:
            raise ValueError("'day_ends_at' applies to within rules (a deadline to act by)")
        if self.roll is not None and self.rule is RuleKind.NO_LATER_THAN:
            raise ValueError("'roll' does not apply to no_later_than rules: a backward line is never moved")
        if self.counted_under is not None and self.counted_under not in PROCEDURAL_CODES:
            raise ValueError(
                f"unknown counted_under {self.counted_under!r}; known: {', '.join(PROCEDURAL_CODES)}"
            )
        return self

    @property
    def own_roll(self) -> Roll | None:
        """The roll this rule sets itself: ``none`` for an entry into force, else its ``roll``."""
        return Roll.NONE if self.entry_into_force else self.roll

    @property
    def period_kind(self) -> str:
        """The kind of period the calendar's roll table is looked up by (docs/calendar.md)."""
        return "entry_into_force" if self.entry_into_force else self.rule.value

    @property
    def counted_duration(self) -> Duration:
        """The duration as counted: days are working days under this rule's procedural code."""
        d = self.duration
        if self.counted_under is None or d.unit is not DurationUnit.DAYS or d.calendar_days:
            return d
        return Duration(d.amount, DurationUnit.WORKING_DAYS)


Timing = Annotated[
    ExactDate | DateRange | Window | DurationSpan | RelativeRule,
    Field(discriminator="type"),
]


# --------------------------------------------------------------------------------------------------------
# Steps and stages


class StepKind(StrEnum):
    """The kinds of step the bundled processes use."""

    MEETING = "meeting"
    PUBLICATION = "publication"
    PUBLIC_DISCUSSION = "public_discussion"
    CONSULTATION = "consultation"
    HEARING = "hearing"
    STRATEGIC_SESSION = "strategic_session"
    SURVEY = "survey"
    APPROVAL = "approval"
    OFFICIAL_LETTER = "official_letter"
    ACTIVITY = "activity"
    MILESTONE = "milestone"
    RECURRING_EVENT = "recurring_event"


POINT_KINDS = frozenset(
    {
        StepKind.MEETING,
        StepKind.PUBLICATION,
        StepKind.HEARING,
        StepKind.STRATEGIC_SESSION,
        StepKind.APPROVAL,
        StepKind.OFFICIAL_LETTER,
        StepKind.MILESTONE,
    }
)
"""Kinds that happen on one day by default; the others span several days."""

WORKING_DAY_KINDS = frozenset(
    {StepKind.MEETING, StepKind.HEARING, StepKind.STRATEGIC_SESSION, StepKind.APPROVAL}
)
"""Kinds the planner proposes on working days only (unless the template or the step opts out)."""


class ChannelKind(StrEnum):
    """Where something is published or held."""

    WEBSITE = "website"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    TELEGRAM = "telegram"
    YOUTUBE = "youtube"
    VIDEO = "video"
    EMAIL = "email"
    OFFICIAL_LETTER = "official_letter"
    PRESS = "press"
    PLATFORM = "platform"
    ONLINE = "online"
    IN_PERSON = "in_person"
    OTHER = "other"


class Channel(_Model):
    """A publication channel or venue."""

    kind: ChannelKind
    name: Text | None = None
    url: str | None = None
    commenting: StrictBool = Field(default=False, description="the channel lets people comment")
    note: Text | None = None


class Participants(_Model):
    """Who takes part: a description and, when the source gives it, a size ("15-20 people")."""

    description: Text | None = None
    groups: list[Text] = Field(default_factory=list)
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _min_le_max(self) -> Participants:
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(f"max {self.max} is below min {self.min}")
        return self


class Target(_Model):
    """A countable target: "6 round tables", "at least 4 recommendations"."""

    what: Text
    count: int = Field(ge=0)
    at_least: StrictBool = False


class FundingPart(_Model):
    """One source of funding."""

    source: Text
    amount: Amount
    funder: Id | None = None


class Funding(_Model):
    """Funding whose parts must add up exactly to the total."""

    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217, e.g. BGN, UAH, EUR")
    total: Amount
    parts: list[FundingPart] = Field(default_factory=list)

    @model_validator(mode="after")
    def _parts_add_up(self) -> Funding:
        if self.parts:
            parts_sum = sum((p.amount for p in self.parts), Decimal(0))
            if parts_sum != self.total:
                shown = " + ".join(str(p.amount) for p in self.parts)
                raise ValueError(
                    f"the parts add up to {parts_sum} {self.currency} ({shown}), not the total "
                    f"{self.total} {self.currency}; correct a part or the total"
                )
        return self


class DayOffPolicy(StrEnum):
    """What happens to an occurrence of a recurring step that falls on a day off."""

    KEEP = "keep"  # it takes place anyway (weekend events, forums)
    SKIP = "skip"  # that occurrence is dropped
    NEXT_WORKING_DAY = "next_working_day"
    PREVIOUS_WORKING_DAY = "previous_working_day"


class OccurrencePrecision(StrEnum):
    """How exactly the source fixes each occurrence of a recurring step."""

    DAY = "day"  # the rule gives the day ("every Thursday")
    WEEK = "week"  # only the week is known
    MONTH = "month"  # "once a month", the day left open
    QUARTER = "quarter"  # "once a quarter", the day left open
    YEAR = "year"  # "yearly", the month and day left open


class Recurrence(_Model):
    """Repetition as an RFC 5545 RRULE (``FREQ=WEEKLY;BYDAY=TH``); ``None`` rule = frequency left open.

    With ``precision`` coarser than ``day`` the source fixes only the period of each occurrence ("once a
    quarter"): each occurrence is then a window from the day the rule generates to the end of its week,
    month, quarter or year, and no day is invented.
    """

    rrule: str | None = Field(
        default=None,
        description="RFC 5545 RRULE without DTSTART, e.g. FREQ=QUARTERLY is FREQ=MONTHLY;INTERVAL=3",
    )
    start: dt.date | None = Field(
        default=None, description="first possible occurrence (default: the step start)"
    )
    until: dt.date | None = Field(default=None, description="last possible day (default: the step end)")
    on_day_off: DayOffPolicy = DayOffPolicy.KEEP
    precision: OccurrencePrecision = Field(
        default=OccurrencePrecision.DAY,
        description="how exactly the source fixes each occurrence; coarser than 'day' makes each a window",
    )
    label: Text | None = Field(default=None, description="the frequency as the source words it")

    @model_validator(mode="after")
    def _day_off_policy_needs_days(self) -> Recurrence:
        if self.precision is not OccurrencePrecision.DAY and self.on_day_off is not DayOffPolicy.KEEP:
            raise ValueError(
                f"on_day_off moves exact days; with precision '{self.precision}' each occurrence is a "
                "window of its period, so leave on_day_off out (keep)"
            )
        return self

    @field_validator("rrule")
    @classmethod
    def _valid_rrule(cls, value: str | None) -> str | None:
        if value is None:
            return value
        from dateutil.rrule import rrulestr

        text = value.strip()
        if text.upper().startswith("RRULE:"):
            text = text[6:]
        if "DTSTART" in text.upper():
            raise ValueError("leave DTSTART out of the rrule; use 'start' instead")
        try:
            rrulestr(text, dtstart=dt.datetime(2000, 1, 1))
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"not a valid RFC 5545 RRULE ({exc}); "
                "write e.g. FREQ=WEEKLY;BYDAY=TH or FREQ=MONTHLY;INTERVAL=3"
            ) from None
        return text


class Dependency(_Model):
    """A finish-to-start dependency: this step starts after ``step`` ends (``lag`` later, if given)."""

    step: str
    lag: DurationField | None = None


def _dependency(value: Any) -> Any:
    if isinstance(value, str):
        return {"step": value}
    return value


class _StepIdOrDependency:
    """JSON Schema of a dependency: the short form (a step id) or the full mapping."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        short = {"type": "string", "description": "the id of the step this one waits for, or '@start'"}
        return {"anyOf": [short, handler(schema)]}


DependencyField = Annotated[Dependency, BeforeValidator(_dependency), _StepIdOrDependency]


class Step(_Model):
    """One step of a process: a meeting, a publication, a discussion, a hearing, ..."""

    id: Id
    kind: StepKind
    title: Text
    source: str | None = Field(default=None, description="where the source document names it, e.g. '3.5'")
    description: Text | None = None
    timing: Timing | None = Field(
        default=None, description="when; without it the step follows its dependencies"
    )
    span: StrictBool | None = Field(
        default=None, description="override: true for a multi-day step, false for one day"
    )
    depends_on: list[DependencyField] = Field(default_factory=list)
    responsible: list[Id] = Field(default_factory=list)
    organizers: list[Id] = Field(default_factory=list)
    partners: list[Id] = Field(default_factory=list)
    recipients: list[Id] = Field(
        default_factory=list, description="organisations a letter or publication is addressed to"
    )
    participants: Participants | None = None
    channels: list[Channel] = Field(default_factory=list)
    agenda: list[Text] = Field(default_factory=list)
    tasks: list[Text] = Field(default_factory=list)
    expected_results: list[Text] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    funding: Funding | None = None
    recurrence: Recurrence | None = None
    references: list[Id] = Field(default_factory=list)
    notes: list[Text] = Field(default_factory=list)
    assumptions: list[Text] = Field(
        default_factory=list, description="what the template assumes where the source leaves something open"
    )
    working_day: StrictBool | None = Field(
        default=None,
        description="whether the planner proposes this step on working days only (default: yes for "
        "meetings, hearings, strategic sessions and approvals, unless the template says otherwise)",
    )

    @property
    def is_span(self) -> bool:
        """True when the step lasts several days (a discussion, a survey, an activity, ...)."""
        if self.span is not None:
            return self.span
        if isinstance(self.timing, DateRange | DurationSpan):
            return True
        if isinstance(self.timing, RelativeRule) and self.timing.rule is RuleKind.AT_LEAST:
            return True
        return self.kind not in POINT_KINDS


class Stage(_Model):
    """A stage groups steps and stages; its dates span theirs."""

    id: Id
    title: Text
    source: str | None = None
    description: Text | None = None
    timing: Timing | None = Field(default=None, description="the stage's own dates as the source gives them")
    depends_on: list[DependencyField] = Field(default_factory=list)
    responsible: list[Id] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)
    notes: list[Text] = Field(default_factory=list)
    assumptions: list[Text] = Field(default_factory=list)
    funding: Funding | None = None
    targets: list[Target] = Field(default_factory=list)


class ProcessTemplate(_Model):
    """A whole process: the root of a template file."""

    civicflow: Literal[1] = Field(description="the template format version; this library reads 1")
    id: Id
    version: str = Field(min_length=1)
    language: str = Field(pattern=r"^[a-z]{2}$", description="the original language of the source, e.g. uk")
    title: Text
    description: Text | None = None
    source: Text | None = Field(default=None, description="the document the template was made from")
    jurisdiction: Jurisdiction
    calendar: list[CalendarLayer] = Field(default_factory=list)
    start: dt.date | None = Field(default=None, description="a start fixed by the source (a project window)")
    end: dt.date | None = Field(default=None, description="an end fixed by the source")
    duration: DurationField | None = None
    references: list[Reference] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    signatories: list[Id] = Field(default_factory=list)
    funding: Funding | None = None
    targets: list[Target] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)
    notes: list[Text] = Field(default_factory=list)
    assumptions: list[Text] = Field(default_factory=list)
    meetings_on_working_days: StrictBool = Field(
        default=True,
        description="the planner proposes meetings, hearings, strategic sessions and approvals on working "
        "days only: their windows begin and end on working days (a step's working_day overrides)",
    )

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy, as pydantic's, without what this template derived and keeps (its step index, its
        calendar): a copy with other stages or another jurisdiction derives its own."""
        copied = super().model_copy(update=update, deep=deep)
        for name, attribute in vars(ProcessTemplate).items():
            if isinstance(attribute, cached_property):
                copied.__dict__.pop(name, None)
        return copied

    def iter_stages(self) -> Iterator[tuple[tuple[str, ...], Stage]]:
        """Every stage, depth first, with the ids of the stages that contain it (outermost first)."""

        def walk(stages: list[Stage], parents: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Stage]]:
            for stage in stages:
                yield parents, stage
                yield from walk(stage.stages, (*parents, stage.id))

        return walk(self.stages, ())

    def iter_steps(self) -> Iterator[tuple[Stage, Step]]:
        """Every step in document order, with the innermost stage that contains it."""
        for _, stage in self.iter_stages():
            for step in stage.steps:
                yield stage, step

    @cached_property
    def _steps_by_id(self) -> dict[str, Step]:
        # built on first use; not a field, so equality, dumps and the schema ignore it. With duplicate ids
        # (an invalid template) the first one wins, as a scan in document order would.
        index: dict[str, Step] = {}
        for _, step in self.iter_steps():
            index.setdefault(step.id, step)
        return index

    def step(self, step_id: str) -> Step:
        """The step with this id; :class:`UnknownStepError` (a ``KeyError``) listing known ids when there
        is none."""
        found = self._steps_by_id.get(step_id)
        if found is None:
            from civicflow._suggest import closest

            known = list(self._steps_by_id)
            close = closest(step_id, known)
            hint = f"did you mean {', '.join(close)}?" if close else f"known steps: {', '.join(known)}"
            raise UnknownStepError(f"no step {step_id!r}; {hint}", step=step_id, known=known)
        return found

    def working_calendar(self) -> WorkingCalendar:
        """The working-day calendar of the jurisdiction, with the template's ``calendar`` layers on top.

        A layer's reference is given by its citation when the template declares it. Built once per
        template (the template cannot change) and shared, with the day tables it builds as it is used; a
        copy with another jurisdiction, other layers or references (``model_copy(update=...)``) builds
        its own.
        """
        sources = (self.jurisdiction, self.calendar, self.references)
        # kept in the instance's __dict__ like a cached_property (not a field: equality, dumps and the
        # schema ignore it), with the objects it was built from, which a copy may have replaced
        kept = self.__dict__.get("_working_calendar")
        if kept is not None and all(a is b for a, b in zip(kept[0], sources, strict=True)):
            calendar: WorkingCalendar = kept[1]
            return calendar
        calendar = self._build_working_calendar()
        self.__dict__["_working_calendar"] = (sources, calendar)
        return calendar

    def _build_working_calendar(self) -> WorkingCalendar:
        cites = {r.id: r.citation for r in self.references}
        overlays = [
            Overlay(
                days_off={d.date: d.reason for d in layer.days_off},
                working_days={d.date: d.reason for d in layer.working_days},
                weekend=frozenset(w.number for w in layer.weekend) if layer.weekend is not None else None,
                valid_from=layer.valid_from,
                valid_to=layer.valid_to,
                reference=cites.get(layer.reference, layer.reference) if layer.reference else None,
            )
            for layer in self.calendar
        ]
        j = self.jurisdiction
        named = [o for name in j.overlays for o in NAMED_OVERLAYS[name][1]]
        return WorkingCalendar(
            j.country,
            j.subdivision,
            timezone=j.timezone,
            overlays=named + overlays,
            rules=j.rules,
            martial_law_until=j.martial_law_until,
            counted_under=j.counted_under,
        )

    def text(self, text: dict[str, str] | None, lang: str | None = None) -> str:
        """``text`` in ``lang``, falling back to English, then to the original language, then any."""
        if not text:
            return ""
        for key in (lang, "en", self.language):
            if key and key in text:
                return text[key]
        return next(iter(text.values()))


# --------------------------------------------------------------------------------------------------------
# Structural checks over the whole document


def stage_paths(template: ProcessTemplate) -> Iterator[tuple[tuple[str | int, ...], Stage]]:
    """Every stage, depth first, with its document path (``("stages", 0, "stages", 2)``)."""

    def walk(
        stages: list[Stage], path: tuple[str | int, ...]
    ) -> Iterator[tuple[tuple[str | int, ...], Stage]]:
        for i, stage in enumerate(stages):
            here = (*path, "stages", i)
            yield here, stage
            yield from walk(stage.stages, here)

    return walk(template.stages, ())


_Path = tuple[str | int, ...]


@dataclass
class _Ids:
    """Where each stage and step id is declared (document paths), and the ids declared twice."""

    steps: dict[str, _Path] = field(default_factory=dict)
    stages: dict[str, _Path] = field(default_factory=dict)
    duplicated: set[str] = field(default_factory=set)


def structural_problems(template: ProcessTemplate) -> list[Problem]:
    """Every problem that needs the whole document: duplicate ids, unresolved references, cycles.

    Problems carry the document path (``("stages", 0, "steps", 2, "depends_on", 0)``) and no file
    position; the loader adds line and column.
    """
    problems: list[Problem] = []
    ids = _declared_ids(template, problems)
    _References(template, ids, problems).check_all()
    if not ids.duplicated:
        # With duplicate ids the graph is ambiguous; the duplicates are reported above and cycles are
        # checked once the ids are unique (otherwise a duplicate looks like a self-dependency).
        problems.extend(_cycle_problems(template, ids.steps))
    return problems


_DUPLICATE = {
    "organisation": N_("duplicate organisation id {id}; it is already used at {where}"),
    "reference": N_("duplicate reference id {id}; it is already used at {where}"),
    "stage": N_("duplicate stage id {id}; it is already used at {where}"),
    "step": N_("duplicate step id {id}; it is already used at {where}"),
}


def _declared_ids(template: ProcessTemplate, problems: list[Problem]) -> _Ids:
    """Every id the template declares; an id declared twice (stages and steps share one name space) is a
    problem at its second place."""
    ids = _Ids()

    def duplicate(kind: str, ident: str, path: _Path, first: _Path) -> None:
        ids.duplicated.add(ident)
        where = Problem("", path=first).dotted_path
        said = Message(_DUPLICATE[kind], id=repr(ident), where=where)
        problems.append(Problem.of(said, path=path))

    for kind, key, declared in (
        ("organisation", "organisations", [o.id for o in template.organisations]),
        ("reference", "references", [r.id for r in template.references]),
    ):
        seen_ids: dict[str, _Path] = {}
        for i, ident in enumerate(declared):
            path: _Path = (key, i, "id")
            if ident in seen_ids:
                duplicate(kind, ident, path, seen_ids[ident])
            seen_ids[ident] = path

    steps, stages = ids.steps, ids.stages
    for spath, stage in stage_paths(template):
        if stage.id in stages or stage.id in steps:
            duplicate("stage", stage.id, (*spath, "id"), stages.get(stage.id) or steps[stage.id])
        stages[stage.id] = (*spath, "id")
        for j, step in enumerate(stage.steps):
            path = (*spath, "steps", j, "id")
            if step.id in steps or step.id in stages:
                duplicate("step", step.id, path, steps.get(step.id) or stages[step.id])
            steps[step.id] = path
    return ids


class _References:
    """Checks that every organisation, reference and step a template names is declared, adding a problem
    at each place that names an unknown one."""

    def __init__(self, template: ProcessTemplate, ids: _Ids, problems: list[Problem]) -> None:
        self.template = template
        self.ids = ids
        self.problems = problems
        self.orgs = {o.id for o in template.organisations}
        self.refs = {r.id for r in template.references}
        self.step_list: Param = ", ".join(ids.steps) or Term(N_("(none)"))
        self.org_list: Param = ", ".join(sorted(self.orgs)) or Term(
            N_("(none: declare them under 'organisations')")
        )
        self.ref_list: Param = ", ".join(sorted(self.refs)) or Term(
            N_("(none: declare them under 'references')")
        )

    def known_org(self, value: str, path: _Path) -> None:
        if value not in self.orgs:
            self.problems.append(
                Problem.of(
                    Message(
                        N_("unknown organisation {value}; known organisations: {known}"),
                        value=repr(value),
                        known=self.org_list,
                    ),
                    path=path,
                )
            )

    def known_ref(self, value: str | None, path: _Path) -> None:
        if value is not None and value not in self.refs:
            self.problems.append(
                Problem.of(
                    Message(
                        N_("unknown reference {value}; known references: {known}"),
                        value=repr(value),
                        known=self.ref_list,
                    ),
                    path=path,
                )
            )

    def known_step(self, value: str, path: _Path, *, allow_stage: bool = True) -> None:
        if value == START or value in self.ids.steps or (allow_stage and value in self.ids.stages):
            return
        from civicflow._suggest import closest

        close = closest(value, [*self.ids.steps, *self.ids.stages] if allow_stage else self.ids.steps)
        if close:
            said = Message(
                N_("refers to unknown step {value}; did you mean {close}?"),
                value=repr(value),
                close=", ".join(close),
            )
        else:
            said = Message(
                N_("refers to unknown step {value}; known steps: {known}"),
                value=repr(value),
                known=self.step_list,
            )
        self.problems.append(Problem.of(said, path=path))

    def timing(self, timing: Timing | None, path: _Path) -> None:
        if isinstance(timing, RelativeRule):
            self.known_step(timing.of, (*path, "timing", "of"))
            self.known_ref(timing.reference, (*path, "timing", "reference"))

    def check_all(self) -> None:
        """Organisations, signatories and calendar layers first, then the stages and steps in order."""
        template = self.template
        for i, org in enumerate(template.organisations):
            if org.parent is not None:
                self.known_org(org.parent, ("organisations", i, "parent"))
        for i, sig in enumerate(template.signatories):
            self.known_org(sig, ("signatories", i))
        for i, layer in enumerate(template.calendar):
            self.known_ref(layer.reference, ("calendar", i, "reference"))
            for key in ("days_off", "working_days"):
                for j, day in enumerate(getattr(layer, key)):
                    self.known_ref(day.reference, ("calendar", i, key, j, "reference"))
        for spath, stage in stage_paths(template):
            self.timing(stage.timing, spath)
            for k, dep in enumerate(stage.depends_on):
                self.known_step(dep.step, (*spath, "depends_on", k))
            for k, org_id in enumerate(stage.responsible):
                self.known_org(org_id, (*spath, "responsible", k))
            for j, step in enumerate(stage.steps):
                self.check_step(step, (*spath, "steps", j))

    def check_step(self, step: Step, path: _Path) -> None:
        """A step's timing, dependencies, organisations, references and funders; a step may neither
        depend on itself nor count a rule from itself."""
        duplicated = self.ids.duplicated
        self.timing(step.timing, path)
        for k, dep in enumerate(step.depends_on):
            self.known_step(dep.step, (*path, "depends_on", k))
            if dep.step == step.id and step.id not in duplicated:
                itself = Message(N_("a step cannot depend on itself"))
                self.problems.append(Problem.of(itself, path=(*path, "depends_on", k)))
        for key in ("responsible", "organizers", "partners", "recipients"):
            for k, org_id in enumerate(getattr(step, key)):
                self.known_org(org_id, (*path, key, k))
        for k, ref_id in enumerate(step.references):
            self.known_ref(ref_id, (*path, "references", k))
        if step.funding:
            for k, part in enumerate(step.funding.parts):
                if part.funder is not None:
                    self.known_org(part.funder, (*path, "funding", "parts", k, "funder"))
        own = isinstance(step.timing, RelativeRule) and step.timing.of == step.id
        if own and step.id not in duplicated:
            self.problems.append(
                Problem.of(Message(N_("a rule cannot count from its own step")), path=(*path, "timing", "of"))
            )


def _cycle_problems(template: ProcessTemplate, step_paths: dict[str, tuple[str | int, ...]]) -> list[Problem]:
    """Dependency cycles among steps (``depends_on`` and forward rules), each listed once."""
    edges: dict[str, list[str]] = {sid: [] for sid in step_paths}
    for _, step in template.iter_steps():
        for dep in step.depends_on:
            if dep.step in edges:
                edges[step.id].append(dep.step)
        t = step.timing
        if isinstance(t, RelativeRule) and t.rule is not RuleKind.NO_LATER_THAN and t.of in edges:
            edges[step.id].append(t.of)
    problems: list[Problem] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    reported: set[frozenset[str]] = set()

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in edges[node]:
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    chain = " -> ".join(cycle)
                    problems.append(
                        Problem.of(
                            Message(
                                N_(
                                    "dependency cycle: {chain} (each waits for the next); remove one of "
                                    "these dependencies"
                                ),
                                chain=chain,
                            ),
                            path=(*step_paths[node][:-1], "depends_on"),
                        )
                    )
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for sid in edges:
        if sid not in state:
            visit(sid, [])
    return problems


def rule_message(rule: RelativeRule, *, short: bool = False) -> Message:
    """The one describer of a rule from its fields, worded in any language by the message.

    ``within 3 working days after the end of meeting_1``; ``short`` names the anchor by its id alone,
    as a plan's explanations do (``within 3 working days after meeting_1``).
    """
    duration = rule.duration
    if short:
        if rule.rule is RuleKind.WITHIN:
            return Message(N_("within {duration} after {step}"), duration=duration, step=rule.of)
        if rule.rule is RuleKind.AT_LEAST:
            return Message(N_("at least {duration} after {step}"), duration=duration, step=rule.of)
        if rule.rule is RuleKind.NO_LATER_THAN:
            return Message(N_("no later than {duration} before {step}"), duration=duration, step=rule.of)
        return Message(N_("not earlier than {duration} after {step}"), duration=duration, step=rule.of)
    if rule.of == START:
        where = Message(N_("the process start"))
    elif rule.anchor == "start":
        where = Message(N_("the start of {step}"), step=rule.of)
    else:
        where = Message(N_("the end of {step}"), step=rule.of)
    if rule.rule is RuleKind.WITHIN:
        return Message(N_("within {duration} after {where}"), duration=duration, where=where)
    if rule.rule is RuleKind.AT_LEAST:
        return Message(N_("lasts at least {duration} from {where}"), duration=duration, where=where)
    if rule.rule is RuleKind.NO_LATER_THAN:
        return Message(N_("no later than {duration} before {where}"), duration=duration, where=where)
    return Message(N_("not earlier than {duration} after {where}"), duration=duration, where=where)
