"""Which law counts a period: the roll of each rule kind per jurisdiction and rule set, Reg. 1182/71,
the Russian procedural codes' working days, Ukraine's martial law and Russia's decreed non-working days.

Every entry carries its source; docs/calendar.md prints the same table.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from civicflow.calendar._overlay import Overlay
from civicflow.errors import CivicflowError
from civicflow.i18n import _

__all__ = [
    "EU_RULES",
    "NAMED_OVERLAYS",
    "PROCEDURAL_CODES",
    "RU_DECREED_NON_WORKING_DAYS",
    "PeriodKind",
    "Roll",
    "RollRule",
    "RuleSetError",
    "roll_rule",
]


class RuleSetError(CivicflowError, ValueError):
    """A rule set, procedural code or regime that does not apply to the calendar's country."""


class PeriodKind(StrEnum):
    """What a period is for; the roll that applies depends on it."""

    WITHIN = "within"  # a deadline to act by: "within N days after X"
    AT_LEAST = "at_least"  # a period that lasts at least N days (a discussion)
    NOT_EARLIER_THAN = "not_earlier_than"  # a minimum: "not earlier than N days after X"
    NO_LATER_THAN = "no_later_than"  # counted backwards: "no later than N days before Y"
    ENTRY_INTO_FORCE = "entry_into_force"  # Reg. 1182/71 art. 4: entry into force, taking effect


class Roll(StrEnum):
    """What happens when the last day of a period is not a working day."""

    FORWARD = "forward"  # the period ends on the next working day
    NONE = "none"  # the day stays as counted


@dataclass(frozen=True, slots=True)
class RollRule:
    """The roll of one kind of period in one jurisdiction or rule set, with its source."""

    roll: Roll
    source: str


EU_RULES = "EU"
"""The rule set name of Regulation (EEC, Euratom) No 1182/71 (``WorkingCalendar(cc, rules="EU")``)."""

EU = "Reg. 1182/71"

_FORWARD_SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "UA": _("Civil Code of Ukraine art. 254(5)"),
        "RU": _("Civil Code of the Russian Federation art. 193"),
        "BG": _("ZZD art. 72 / GPK art. 60"),
    }
)

# Each source written out whole, so that the catalogs translate it as it stands.
_MINIMUM_SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "UA": _(
            "the roll forward (Civil Code of Ukraine art. 254(5)) gives more time to act by a deadline; "
            "it does not postpone the first allowed day"
        ),
        "RU": _(
            "the roll forward (Civil Code of the Russian Federation art. 193) gives more time to act by a "
            "deadline; it does not postpone the first allowed day"
        ),
        "BG": _(
            "the roll forward (ZZD art. 72 / GPK art. 60) gives more time to act by a deadline; "
            "it does not postpone the first allowed day"
        ),
    }
)
_BACKWARD_SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "UA": _(
            "no rule of the Civil Code of Ukraine moves a period counted backwards; the working day "
            "before is advice only"
        ),
        "RU": _(
            "no rule of the Civil Code of the RF moves a period counted backwards; the working day "
            "before is advice only"
        ),
        "BG": _(
            "no rule of ZZD / GPK moves a period counted backwards; the working day before is advice only"
        ),
    }
)
_GENERAL_RULE = _("the general rule")


def roll_rule(country: str, kind: PeriodKind | str, rules: str | None = None) -> RollRule:
    """The roll of a period of ``kind`` on ``country``'s calendar (or under the rule set ``rules``)."""
    kind = PeriodKind(kind)
    if rules == EU_RULES:
        if kind in (PeriodKind.WITHIN, PeriodKind.AT_LEAST):
            return RollRule(Roll.FORWARD, _("Reg. 1182/71 art. 3(4) first subparagraph and art. 3(5)"))
        if kind is PeriodKind.NO_LATER_THAN:
            return RollRule(
                Roll.NONE,
                _("Reg. 1182/71 art. 3(4), second sentence: no roll for periods calculated backwards"),
            )
        if kind is PeriodKind.ENTRY_INTO_FORCE:
            return RollRule(
                Roll.NONE, _("Reg. 1182/71 art. 4(1): art. 3(4) and 3(5) do not apply to entry into force")
            )
        return RollRule(
            Roll.NONE,
            _("Reg. 1182/71 art. 3(4) extends a period to act; it does not postpone the first allowed day"),
        )
    if kind in (PeriodKind.WITHIN, PeriodKind.AT_LEAST):
        return RollRule(Roll.FORWARD, _FORWARD_SOURCES.get(country, _GENERAL_RULE))
    if kind is PeriodKind.NOT_EARLIER_THAN:
        minimum = _MINIMUM_SOURCES.get(country)
        if minimum is None:
            minimum = _(
                "the roll forward (the general rule) gives more time to act by a deadline; "
                "it does not postpone the first allowed day"
            )
        return RollRule(Roll.NONE, minimum)
    if kind is PeriodKind.ENTRY_INTO_FORCE:
        return RollRule(Roll.NONE, _("a date of entry into force is not a period to act; it is not rolled"))
    backward = _BACKWARD_SOURCES.get(country)
    if backward is None:
        backward = _(
            "no general rule moves a period counted backwards; the working day before is advice only"
        )
    return RollRule(Roll.NONE, backward)


# --- Russian procedural codes: "days" are working days ---------------------------------------------

PROCEDURAL_CODES: Mapping[str, str] = MappingProxyType(
    {
        "RU-GPK": "Civil Procedure Code of the RF art. 107(3) (Federal Law 451-FZ of 28.11.2018)",
        "RU-APK": "Arbitration Procedure Code of the RF art. 113(3) (Federal Law 451-FZ of 28.11.2018)",
        "RU-KAS": "Code of Administrative Procedure of the RF art. 92(2) (Federal Law 451-FZ of 28.11.2018)",
        "RU-NK": "Tax Code of the RF art. 6.1(6)",
    }
)
"""Codes that count a period "in days" as working days, by name, with the article that says so."""


def check_code(code: str | None, country: str) -> str | None:
    if code is None:
        return None
    if code not in PROCEDURAL_CODES:
        raise RuleSetError(
            f"unknown procedural code {code!r}; known: {', '.join(PROCEDURAL_CODES)} "
            "(each counts periods in days as working days)"
        )
    if code.split("-")[0] != country:
        raise RuleSetError(f"procedural code {code} applies to {code.split('-')[0]} calendars, not {country}")
    return code


# --- Russia: presidential non-working days 2020-2021 --------------------------------------------------


def _days(first: _dt.date, last: _dt.date) -> list[_dt.date]:
    return [first + _dt.timedelta(days=k) for k in range((last - first).days + 1)]


_NON_WORKING = "non-working day with pay"
RU_DECREED_NON_WORKING_DAYS: tuple[Overlay, ...] = (
    Overlay(
        days_off=dict.fromkeys(_days(_dt.date(2020, 3, 30), _dt.date(2020, 4, 3)), _NON_WORKING),
        reference="Decree of the President of the RF No. 206 of 25.03.2020",
    ),
    Overlay(
        days_off=dict.fromkeys(_days(_dt.date(2020, 4, 4), _dt.date(2020, 4, 30)), _NON_WORKING),
        reference="Decree of the President of the RF No. 239 of 02.04.2020",
    ),
    Overlay(
        days_off=dict.fromkeys(_days(_dt.date(2020, 5, 6), _dt.date(2020, 5, 8)), _NON_WORKING),
        reference="Decree of the President of the RF No. 294 of 28.04.2020",
    ),
    Overlay(
        days_off=dict.fromkeys(_days(_dt.date(2021, 10, 30), _dt.date(2021, 11, 7)), _NON_WORKING),
        reference="Decree of the President of the RF No. 595 of 20.10.2021",
    ),
)
"""The presidential non-working days of 30.03-11.05.2020 (1-5 and 9-11 May were holidays and days off
already) and 30.10-07.11.2021 as overlays, each citing its decree. Off by default: whether these days
extend a legal period was disputed (they were declared "non-working days with pay", not holidays or days
off under the Labour Code); a process that treats them as days off adds them."""

NAMED_OVERLAYS: Mapping[str, tuple[str, tuple[Overlay, ...]]] = MappingProxyType(
    {"ru-decreed-non-working-days": ("RU", RU_DECREED_NON_WORKING_DAYS)}
)
"""Overlays a template's jurisdiction can name (``overlays: [ru-decreed-non-working-days]``): the
country they belong to and the layers."""


# --- the end of the last day at an institution ------------------------------------------------------

END_OF_DAY_SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "UA": _("Civil Code of Ukraine art. 255(1)"),
        "RU": _("Civil Code of the RF art. 194(1)"),
    }
)
"""Where the law says an act due at an institution must be done before its working day ends."""


# --- Ukraine: martial law ----------------------------------------------------------------------------

MARTIAL_LAW = _("Law of Ukraine 2136-IX art. 6(6)")
PEACETIME = _("Labour Code of Ukraine arts. 67(3), 73")
MARTIAL_LAW_FROM = _dt.date(2022, 2, 24)
"""The day martial law began (Presidential Decree 64/2022); the `holidays` data has no UA days off since."""


# --- how each unit is counted, per jurisdiction ------------------------------------------------------

_COUNT_SOURCES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "UA": MappingProxyType(
            {
                "start": _("Civil Code of Ukraine art. 253"),
                "hours": _("Civil Code of Ukraine art. 252(1)"),
                "days": _("Civil Code of Ukraine arts. 253, 255"),
                "weeks": _("Civil Code of Ukraine art. 254(4)"),
                "months": _("Civil Code of Ukraine art. 254(3)"),
                "quarters": _("Civil Code of Ukraine art. 254(2)"),
                "years": _("Civil Code of Ukraine art. 254(1)"),
            }
        ),
        "RU": MappingProxyType(
            {
                "start": _("Civil Code of the RF art. 191"),
                "hours": _("Civil Code of the RF art. 190"),
                "days": _("Civil Code of the RF arts. 191, 194"),
                "weeks": _("Civil Code of the RF art. 192(4)"),
                "months": _("Civil Code of the RF art. 192(3)"),
                "quarters": _("Civil Code of the RF art. 192(2)"),
                "years": _("Civil Code of the RF art. 192(1)"),
            }
        ),
        "BG": MappingProxyType(
            {
                "start": _("ZZD art. 72(1)"),
                "hours": _("ZZD art. 72"),
                "days": _("ZZD art. 72(1)"),
                "weeks": _("ZZD art. 72(2)"),
                "months": _("ZZD art. 72(2)"),
                "quarters": _("ZZD art. 72(2) (months)"),
                "years": _("ZZD art. 72(2)"),
            }
        ),
        EU_RULES: MappingProxyType(
            {
                "start": f"{EU} art. 3(1)",
                "hours": f"{EU} art. 3(1), 3(2)(a)",
                "days": f"{EU} art. 3(1), 3(2)(b), 3(3)",
                "weeks": f"{EU} art. 3(2)(c)",
                "months": f"{EU} art. 3(2)(c)",
                "quarters": f"{EU} art. 3(2)(c) (months)",
                "years": f"{EU} art. 3(2)(c)",
            }
        ),
    }
)
"""Where each jurisdiction's law says how a period in each unit starts and ends (docs/calendar.md)."""

_UNIT_CLASS = {
    "hours": "hours",
    "days": "days",
    "working_days": "start",
    "weeks": "weeks",
    "months": "months",
    "quarters": "quarters",
    "half_years": "quarters",
    "years": "years",
}


def count_source(country: str, unit: str, rules: str | None = None) -> str | None:
    """The article that says how a period in ``unit`` is counted here, or ``None`` when civicflow has no
    source for the jurisdiction (the general rule applies)."""
    table = _COUNT_SOURCES.get(rules or country)
    if table is None:
        return None
    return table[_UNIT_CLASS[unit]]
