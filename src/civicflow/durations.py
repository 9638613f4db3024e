"""Legal durations: "3 working days", "10 days", "2 weeks", "3 months", "half a month", "P10D".

A :class:`Duration` is an amount and a unit. It is read from English, Ukrainian, Bulgarian and Russian
text or from ISO 8601 (``P10D``, ``P2W``, ``P3M``); ``str()`` gives canonical English that parses back
to the same value, so templates and reports can round-trip it.

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
from dataclasses import dataclass
from enum import StrEnum

from civicflow.errors import DurationError

__all__ = ["ACCEPTED_FORMS", "Duration", "DurationUnit", "NoIsoFormError"]

ACCEPTED_FORMS = (
    '"N days", "N calendar days", "N working days" (or "business days"), "N weeks", "N months", '
    '"half a month", "N and a half months"; ISO 8601 "PnD", "PnW", "PnM"; Ukrainian ("3 робочі дні", '
    '"10 днів", "2 тижні", "3 місяці", "пів місяця"), Bulgarian ("3 работни дни", "10 дни", "2 седмици", '
    '"3 месеца", "половин месец"), Russian ("3 рабочих дня", "10 дней", "2 недели", "3 месяца", '
    '"полмесяца")'
)


class DurationUnit(StrEnum):
    """The unit a legal period is counted in."""

    DAYS = "days"
    WORKING_DAYS = "working_days"
    WEEKS = "weeks"
    MONTHS = "months"


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
_ISO = re.compile(r"^P(?:(\d+)([DWM])|(\d+)M15D)$")
_ISO_UNITS = {"D": DurationUnit.DAYS, "W": DurationUnit.WEEKS, "M": DurationUnit.MONTHS}
_ISO_LETTERS = {unit: letter for letter, unit in _ISO_UNITS.items()}

_SINGULAR = {
    DurationUnit.DAYS: "day",
    DurationUnit.WORKING_DAYS: "working day",
    DurationUnit.WEEKS: "week",
    DurationUnit.MONTHS: "month",
}


@dataclass(frozen=True)
class Duration:
    """An amount of days, working days, weeks or months; ``half_month`` adds half a month (15 days).

    ``Duration(0, DurationUnit.MONTHS, half_month=True)`` is "half a month";
    ``Duration(1, DurationUnit.MONTHS, half_month=True)`` is "1 and a half months". ``half_month`` is
    only allowed with months.
    """

    amount: int
    unit: DurationUnit
    half_month: bool = False

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

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Read a duration from text; raises :class:`DurationError` quoting the text and the accepted forms.

        >>> Duration.parse("1 working day")
        Duration(amount=1, unit=<DurationUnit.WORKING_DAYS: 'working_days'>, half_month=False)
        >>> Duration.parse("пів місяця") == Duration(0, DurationUnit.MONTHS, half_month=True)
        True
        """
        if not isinstance(text, str):
            raise DurationError(repr(text), ACCEPTED_FORMS)
        norm = " ".join(text.strip().lower().replace("\u00a0", " ").split())
        if norm.startswith("p"):
            iso = _ISO.match(norm.upper())
            if iso:
                if iso.group(3) is not None:
                    return cls(int(iso.group(3)), DurationUnit.MONTHS, half_month=True)
                return cls(int(iso.group(1)), _ISO_UNITS[iso.group(2)])
            raise DurationError(text, ACCEPTED_FORMS)
        if norm in _HALF_MONTH:
            return cls(0, DurationUnit.MONTHS, half_month=True)
        half = _AND_A_HALF.match(norm)
        if half:
            return cls(int(half.group(1)), DurationUnit.MONTHS, half_month=True)
        match = _NUMBER_UNIT.match(norm)
        if match:
            unit = _UNIT_WORDS.get(match.group(2).strip())
            if unit is not None:
                return cls(int(match.group(1)), unit)
        raise DurationError(text, ACCEPTED_FORMS)

    @property
    def days_equivalent(self) -> int | None:
        """The number of calendar days for days and weeks; ``None`` for months and working days."""
        if self.unit is DurationUnit.DAYS:
            return self.amount
        if self.unit is DurationUnit.WEEKS:
            return 7 * self.amount
        return None

    def __str__(self) -> str:
        if self.half_month:
            return "half a month" if self.amount == 0 else f"{self.amount} and a half months"
        word = _SINGULAR[self.unit]
        return f"{self.amount} {word}" if self.amount == 1 else f"{self.amount} {word}s"

    def iso(self) -> str:
        """ISO 8601 form: ``P10D``, ``P2W``, ``P3M``; half a month is ``P15D`` and 1.5 months ``P1M15D``.

        Working days have no ISO 8601 form: this raises :class:`NoIsoFormError` (a :class:`DurationError`).
        ``P15D`` reads back as 15 days, which is what half a month counts as in law.
        """
        if self.unit is DurationUnit.WORKING_DAYS:
            raise NoIsoFormError(self)
        if self.half_month:
            return "P15D" if self.amount == 0 else f"P{self.amount}M15D"
        return f"P{self.amount}{_ISO_LETTERS[self.unit]}"
