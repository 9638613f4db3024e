"""Legal durations: "3 working days", "10 days", "2 weeks", "3 months", "half a month", "1 year", "P10D".

A :class:`Duration` is an amount and a unit (hours, days, working days, weeks, months, quarters,
half-years, years), optionally followed by calendar days (ISO 8601 ``P1M10D``). It is read from English,
Ukrainian, Bulgarian and Russian text or from ISO 8601 (``P10D``, ``P2W``, ``P3M``, ``P1Y``, ``PT24H``,
``P1M10D``); ``str()`` gives canonical English that parses back to the same value, so templates and
reports can round-trip it.

Units the codes use: years (Civil Code of Ukraine art. 254(1), Civil Code of the RF art. 192(1), ZZD
art. 72(2)), half-years and quarters counted by the rules for months (Civil Code of Ukraine art. 254(2),
Civil Code of the RF art. 192(2)), hours (Civil Code of Ukraine art. 252(1), Reg. 1182/71 art. 3(1)).
A compound period ("1 month 10 days", ``P1M10D``) is counted in the order written, largest unit first:
the months from the event's day number, then the days from the day the months end; see docs/calendar.md.

"Half a month" is kept as a flag rather than turned into 15 days, because the legal texts (Civil Code of
Ukraine art. 254(3), Civil Code of the RF art. 192(3), Reg. 1182/71 art. 3(2)(c)) name it as such; it
counts as 15 days when a period is computed.

>>> str(Duration.parse("3 робочі дні"))
'3 working days'
>>> Duration.parse("P2W").iso()
'P2W'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from civicflow.errors import DurationError

__all__ = ["ACCEPTED_FORMS", "Duration", "DurationUnit", "NoIsoFormError"]

ACCEPTED_FORMS = (
    '"N days", "N calendar days", "N working days" (or "business days"), "N weeks", "N months", '
    '"half a month", "N and a half months", "N quarters", "N half-years", "N years", "N hours", '
    '"N months M days"; ISO 8601 "PnD", "PnW", "PnM", "PnY", "PTnH", "PnMmD", "PnYmD"; Ukrainian '
    '("3 робочі дні", "10 днів", "2 тижні", "3 місяці", "пів місяця", "півтора місяці", "1 рік", '
    '"48 годин"), Bulgarian ("3 работни дни", "10 дни", "2 седмици", "3 месеца", "половин месец", '
    '"месец и половина", "2 тримесечия"), Russian ("3 рабочих дня", "10 дней", "2 недели", "3 месяца", '
    '"полмесяца", "полтора месяца", "1 год", "24 часа")'
)


class DurationUnit(StrEnum):
    """The unit a legal period is counted in."""

    DAYS = "days"
    WORKING_DAYS = "working_days"
    WEEKS = "weeks"
    MONTHS = "months"
    QUARTERS = "quarters"
    HALF_YEARS = "half_years"
    YEARS = "years"
    HOURS = "hours"


_MONTHS_PER = {
    DurationUnit.MONTHS: 1,
    DurationUnit.QUARTERS: 3,
    DurationUnit.HALF_YEARS: 6,
    DurationUnit.YEARS: 12,
}
"""Units counted by the rules for months, and how many months each is (UA CC art. 254(1)-(2), RU CC
art. 192(1)-(2): a quarter is three months, a half-year six, a year ends on the same month and day)."""


class NoIsoFormError(DurationError):
    """A duration that ISO 8601 cannot express (working days have no ISO 8601 form)."""

    def __init__(self, duration: Duration) -> None:
        self.duration = duration
        self.text = str(duration)
        self.accepted = "days, weeks or months"
        ValueError.__init__(
            self,
            f"{self.text!r} has no ISO 8601 form: ISO 8601 durations count calendar time, "
            "not working days; use str() for a round-trippable text",
        )


# Unit words, already lower-cased, in every accepted language. Plural forms after numbers differ
# (Ukrainian/Russian: 1 день, 2 дні/дня, 5 днів/дней), so every form is listed.
_UNIT_WORDS: dict[str, DurationUnit] = {}


def _words(unit: DurationUnit, *forms: str) -> None:
    for form in forms:
        _UNIT_WORDS[form] = unit


_words(
    DurationUnit.DAYS,
    # English
    "day",
    "days",
    "calendar day",
    "calendar days",
    "d",
    # Ukrainian
    "день",
    "дні",
    "днів",
    "календарний день",
    "календарні дні",
    "календарних днів",
    # Bulgarian
    "ден",
    "дни",
    "календарен ден",
    "календарни дни",
    # Russian
    "дня",
    "дней",
    "календарный день",
    "календарных дня",
    "календарных дней",
)
_words(
    DurationUnit.WORKING_DAYS,
    "working day",
    "working days",
    "work day",
    "work days",
    "workday",
    "workdays",
    "business day",
    "business days",
    "робочий день",
    "робочі дні",
    "робочих днів",
    "работен ден",
    "работни дни",
    "рабочий день",
    "рабочих дня",
    "рабочих дней",
)
_words(
    DurationUnit.WEEKS,
    "week",
    "weeks",
    "w",
    "тиждень",
    "тижні",
    "тижнів",
    "седмица",
    "седмици",
    "неделя",
    "недели",
    "недель",
)
_words(
    DurationUnit.MONTHS,
    "month",
    "months",
    "місяць",
    "місяці",
    "місяців",
    "месец",
    "месеца",
    "месеци",
    "месяц",
    "месяца",
    "месяцев",
)

_words(
    DurationUnit.QUARTERS,
    "quarter",
    "quarters",
    "квартал",
    "квартали",
    "кварталів",
    "тримесечие",
    "тримесечия",
    "квартала",
    "кварталов",
)
_words(
    DurationUnit.HALF_YEARS,
    "half-year",
    "half-years",
    "half year",
    "half years",
    "півріччя",
    "півріччі",
    "шестмесечие",
    "шестмесечия",
    "полугодие",
    "полугодия",
    "полугодий",
)
_words(
    DurationUnit.YEARS,
    "year",
    "years",
    "y",
    "рік",
    "роки",
    "років",
    "год",
    "года",
    "лет",
)
_words(
    DurationUnit.HOURS,
    "hour",
    "hours",
    "h",
    "годину",
    "годин",
    "часа",
    "часов",
    "час",
    "часове",
)

# "година" / "години" is an hour in Ukrainian and a year in Bulgarian: never guessed.
_AMBIGUOUS = {"година": ("hour", "year"), "години": ("hours", "years")}

_HALF_YEAR = frozenset(
    {"half a year", "a half-year", "півроку", "пів року", "полгода", "пол года", "половин година"}
)

_ONE_AND_A_HALF = frozenset(
    {
        "one and a half months",
        "a month and a half",
        "півтора місяці",
        "півтора місяця",
        "месец и половина",
        "един месец и половина",
        "полтора месяца",
    }
)

_HALF_MONTH = frozenset(
    {
        "half a month",
        "half month",
        "a half month",
        "пів місяця",
        "півмісяця",
        "половина місяця",
        "половин месец",
        "полмесяца",
        "пол месяца",
        "половина месяца",
    }
)

_NUMBER_UNIT = re.compile(r"^(\d+)\s*(.+)$")
_AND_A_HALF = re.compile(r"^(\d+)\s+and\s+a\s+half\s+months?$")
_AND_DAYS = re.compile(
    r"^(.+?)\s*(?:,|\s)\s*(?:and\s+|і\s+|и\s+|та\s+)?(\d+)\s*(days?|днів|дні|день|дни|ден|дней|дня)$"
)
_ISO = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(\d+)H)?$")

_SINGULAR = {
    DurationUnit.DAYS: "day",
    DurationUnit.WORKING_DAYS: "working day",
    DurationUnit.WEEKS: "week",
    DurationUnit.MONTHS: "month",
    DurationUnit.QUARTERS: "quarter",
    DurationUnit.HALF_YEARS: "half-year",
    DurationUnit.YEARS: "year",
    DurationUnit.HOURS: "hour",
}
_ISO_FORMS = (
    "of ISO 8601 civicflow reads one unit, or months or years followed by days (PnMmD, PnYmD): years and "
    "months together (P1Y2M) would leave open whether 29 February moves before or after the months"
)


@dataclass(frozen=True)
class Duration:
    """An amount of hours, days, working days, weeks, months, quarters, half-years or years.

    ``half_month`` adds half a month (15 days) to months: ``Duration(0, DurationUnit.MONTHS,
    half_month=True)`` is "half a month", ``Duration(1, DurationUnit.MONTHS, half_month=True)`` is
    "1 and a half months" ("півтора місяці", "полтора месяца", "месец и половина"). ``plus_days`` adds
    calendar days after months, quarters, half-years or years (ISO 8601 ``P1M10D``): the months are
    counted first, then the days from the day they end. ``calendar_days`` records that the text said
    "calendar days", which keeps them calendar days under a procedural code that counts days as working
    days (Tax Code of the RF art. 6.1(6)); it does not change equality.
    """

    amount: int
    unit: DurationUnit
    half_month: bool = False
    plus_days: int = 0
    calendar_days: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool) or self.amount < 0:
            raise DurationError(repr(self.amount), "a whole number of 0 or more")
        if not isinstance(self.unit, DurationUnit):
            try:
                object.__setattr__(self, "unit", DurationUnit(self.unit))
            except ValueError:
                raise DurationError(repr(self.unit), ", ".join(u.value for u in DurationUnit)) from None
        if self.half_month and self.unit is not DurationUnit.MONTHS:
            raise DurationError(
                f"{self.amount} {self.unit.value} and a half", "half a month only with months"
            )
        plus = self.plus_days
        if not isinstance(plus, int) or isinstance(plus, bool) or plus < 0:
            raise DurationError(repr(plus), "plus_days: a whole number of 0 or more")
        if plus and (self.unit not in _MONTHS_PER or self.half_month):
            raise DurationError(
                f"{self.amount} {self.unit.value} and {plus} days",
                "days added only after months, quarters, half-years or years",
            )

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Read a duration from text; raises :class:`DurationError` quoting the text and the accepted forms.

        >>> Duration.parse("1 working day") == Duration(1, DurationUnit.WORKING_DAYS)
        True
        >>> Duration.parse("пів місяця") == Duration(0, DurationUnit.MONTHS, half_month=True)
        True
        >>> str(Duration.parse("P1M10D"))
        '1 month 10 days'
        """
        if not isinstance(text, str):
            raise DurationError(repr(text), ACCEPTED_FORMS)
        norm = " ".join(text.strip().lower().replace("\u00a0", " ").split())
        if norm.startswith("p"):
            return cls._parse_iso(text, norm.upper())
        found = cls._parse_simple(norm)
        if found is not None:
            return found
        compound = _AND_DAYS.match(norm)
        if compound:
            head = cls._parse_simple(compound.group(1).strip().rstrip(","))
            if head is not None and head.unit in _MONTHS_PER and not head.half_month:
                return cls(head.amount, head.unit, plus_days=int(compound.group(2)))
        match = _NUMBER_UNIT.match(norm)
        if match and match.group(2).strip() in _AMBIGUOUS:
            hour, year = _AMBIGUOUS[match.group(2).strip()]
            raise DurationError(
                text,
                f'a word that is not ambiguous: "{match.group(2).strip()}" is {hour} in Ukrainian and '
                f'{year} in Bulgarian; write "{match.group(1)} {hour}" or "{match.group(1)} {year}"',
            )
        raise DurationError(text, ACCEPTED_FORMS)

    @classmethod
    def _parse_simple(cls, norm: str) -> Duration | None:
        if norm in _HALF_MONTH:
            return cls(0, DurationUnit.MONTHS, half_month=True)
        if norm in _HALF_YEAR:
            return cls(1, DurationUnit.HALF_YEARS)
        if norm in _ONE_AND_A_HALF:
            return cls(1, DurationUnit.MONTHS, half_month=True)
        half = _AND_A_HALF.match(norm)
        if half:
            return cls(int(half.group(1)), DurationUnit.MONTHS, half_month=True)
        match = _NUMBER_UNIT.match(norm)
        if match:
            word = match.group(2).strip()
            unit = _UNIT_WORDS.get(word)
            if unit is not None:
                explicit = unit is DurationUnit.DAYS and word.startswith(("calendar", "календар"))
                return cls(int(match.group(1)), unit, calendar_days=explicit)
        return None

    @classmethod
    def _parse_iso(cls, text: str, iso_text: str) -> Duration:
        iso = _ISO.match(iso_text)
        if iso is None or not any(iso.groups()):
            raise DurationError(text, ACCEPTED_FORMS)
        years, months, weeks, days, hours = (int(g) if g is not None else None for g in iso.groups())
        given = [g for g in (years, months, weeks, days, hours) if g is not None]
        if len(given) == 1:
            if years is not None:
                return cls(years, DurationUnit.YEARS)
            if months is not None:
                return cls(months, DurationUnit.MONTHS)
            if weeks is not None:
                return cls(weeks, DurationUnit.WEEKS)
            if days is not None:
                return cls(days, DurationUnit.DAYS)
            assert hours is not None
            return cls(hours, DurationUnit.HOURS)
        if len(given) == 2 and days is not None and (months is not None or years is not None):
            if months is not None:
                if days == 15:  # "N and a half months" (Civil Code of Ukraine art. 254(3))
                    return cls(months, DurationUnit.MONTHS, half_month=True)
                return cls(months, DurationUnit.MONTHS, plus_days=days)
            assert years is not None
            return cls(years, DurationUnit.YEARS, plus_days=days)
        raise DurationError(text, ACCEPTED_FORMS + "; " + _ISO_FORMS)

    @property
    def days_equivalent(self) -> int | None:
        """The number of calendar days for days and weeks; ``None`` for other units."""
        if self.unit is DurationUnit.DAYS:
            return self.amount
        if self.unit is DurationUnit.WEEKS:
            return 7 * self.amount
        return None

    @property
    def months(self) -> int | None:
        """How many months the period counts before any days, for units counted by the rules for months
        (months, quarters = 3, half-years = 6, years = 12); ``None`` for other units."""
        per = _MONTHS_PER.get(self.unit)
        return None if per is None else per * self.amount

    @property
    def extra_days(self) -> int:
        """Calendar days counted after the months: 15 for half a month, else ``plus_days``."""
        return 15 if self.half_month else self.plus_days

    def __str__(self) -> str:
        if self.half_month:
            return "half a month" if self.amount == 0 else f"{self.amount} and a half months"
        word = _SINGULAR[self.unit]
        if self.calendar_days:
            word = "calendar day"
        text = f"{self.amount} {word}" if self.amount == 1 else f"{self.amount} {word}s"
        if self.plus_days:
            text += " 1 day" if self.plus_days == 1 else f" {self.plus_days} days"
        return text

    def iso(self) -> str:
        """ISO 8601 form: ``P10D``, ``P2W``, ``P3M``, ``P1Y``, ``PT24H``, ``P1M10D``; half a month is
        ``P15D`` and 1.5 months ``P1M15D``; a quarter is ``P3M`` and a half-year ``P6M``.

        Working days have no ISO 8601 form: this raises :class:`NoIsoFormError` (a :class:`DurationError`).
        ``P15D`` reads back as 15 days, which is what half a month counts as in law.
        """
        unit = self.unit
        if unit is DurationUnit.WORKING_DAYS:
            raise NoIsoFormError(self)
        if self.half_month:
            return "P15D" if self.amount == 0 else f"P{self.amount}M15D"
        tail = f"{self.plus_days}D" if self.plus_days else ""
        if unit is DurationUnit.HOURS:
            return f"PT{self.amount}H"
        if unit is DurationUnit.DAYS:
            return f"P{self.amount}D"
        if unit is DurationUnit.WEEKS:
            return f"P{self.amount}W"
        if unit is DurationUnit.YEARS:
            return f"P{self.amount}Y{tail}"
        return f"P{self.months}M{tail}"
