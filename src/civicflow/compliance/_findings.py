"""The result of a compliance check: one finding per legal rule (and per step waiting for a period)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from civicflow.calendar import Reading
from civicflow.durations import DurationUnit
from civicflow.i18n import non_english
from civicflow.template import RuleKind

if TYPE_CHECKING:
    from civicflow.events import Event
    from civicflow.i18n import Translator
    from civicflow.messages import Message, Param

__all__ = ["Finding", "FindingKind", "FindingStatus", "Report"]


class FindingStatus(StrEnum):
    """How a step stands against one legal rule.

    * ``ok``: the rule was met;
    * ``violated``: it was not (late under every reading, or too early for a minimum period);
    * ``disputable``: met under reading A (count back) but not under reading B (clear days);
    * ``pending``: not decided yet (the deadline has not passed, or the rule's anchor has not happened);
    * ``overdue``: the deadline has passed as of the check date and the step has not happened;
    * ``skipped``: the step (or the step the rule counts from) was skipped on purpose.
    """

    OK = "ok"
    VIOLATED = "violated"
    DISPUTABLE = "disputable"
    PENDING = "pending"
    OVERDUE = "overdue"
    SKIPPED = "skipped"


class FindingKind(StrEnum):
    """What a finding measures: a rule of one of the four shapes (:class:`~civicflow.template.RuleKind`,
    same values), or a step waiting for the end of another step's minimum period (``after_period``)."""

    WITHIN = RuleKind.WITHIN.value
    AT_LEAST = RuleKind.AT_LEAST.value
    NO_LATER_THAN = RuleKind.NO_LATER_THAN.value
    NOT_EARLIER_THAN = RuleKind.NOT_EARLIER_THAN.value
    AFTER_PERIOD = "after_period"


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


@dataclass(frozen=True, slots=True)
class Finding:
    """One step measured against one rule.

    ``deadline`` is the last allowed day (under the rule's own reading for backward rules), ``earliest``
    the first allowed day for minimum periods; ``actual`` the local day the step happened. ``late_by``
    (after the deadline) and ``early_by`` (before the earliest day) are counted in ``unit``:
    ``WORKING_DAYS`` for working-day rules (at least 1 when late at all), else ``DAYS``; ``kind`` is the
    shape of the rule and ``reading`` the reading a backward rule is checked under. ``readings`` holds
    both deadlines of a backward rule (``count_back``, ``clear_days``): the legal lines as the law
    counts them, never moved; ``advised`` is the working day on or before the rule's own line, the day
    to act by to be safe (advice, not the line a check draws).
    """

    step: str
    status: FindingStatus
    rule: str
    deadline: dt.date | None
    actual: dt.date | None
    late_by: int | None
    unit: DurationUnit
    reference: str | None
    reason: Message
    kind: FindingKind | None = None
    counts_from: str | None = None
    earliest: dt.date | None = None
    early_by: int | None = None
    reading: Reading | None = None
    readings: Mapping[Reading, dt.date] = field(default_factory=dict)
    advised: dt.date | None = None
    wording: Param | None = field(default=None, repr=False, compare=False)

    @property
    def explanation(self) -> str:
        """What the finding says, in English (worded when first read)."""
        return str(self.reason)

    def text(self, lang: str | Translator | None = None) -> str:
        """What the finding says in ``lang`` (``"uk"``, ``"bg"``, ``"ru"``, ``"en"``, or a
        :class:`~civicflow.i18n.Translator`); English by default."""
        return self.reason.render(non_english(lang))

    def rule_text(self, lang: str | Translator | None = None) -> str:
        """The rule with its legal reference, in ``lang`` (``rule`` is the English text)."""
        if self.wording is None:
            return self.rule
        from civicflow.messages import _param

        return _param(self.wording, non_english(lang))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (ISO dates; ``unit`` in words, ``working days`` or ``days``)."""
        return {
            "step": self.step,
            "status": self.status.value,
            "kind": self.kind.value if self.kind is not None else None,
            "counts_from": self.counts_from,
            "deadline": _iso(self.deadline),
            "earliest": _iso(self.earliest),
            "actual": _iso(self.actual),
            "late_by": self.late_by,
            "early_by": self.early_by,
            "unit": self.unit.value.replace("_", " "),
            "rule": self.rule,
            "reference": self.reference,
            "reading": self.reading.value if self.reading is not None else None,
            "readings": {k.value: v.isoformat() for k, v in self.readings.items()},
            "advised": _iso(self.advised),
            "explanation": self.explanation,
        }


_BAD = (FindingStatus.VIOLATED, FindingStatus.OVERDUE)


@dataclass(frozen=True, slots=True)
class Report:
    """Every finding of one check, in template order.

    ``not_counted`` holds the events dated after ``as_of``: the check looks at the process as it stood
    that day, so they are left out, and shown apart so that none of them goes unseen (an event dated
    after today is usually a mistyped year).
    """

    findings: tuple[Finding, ...]
    as_of: dt.date | None
    process: str = ""
    start: dt.date | None = None
    name: str | None = None
    not_counted: tuple[Event, ...] = ()

    @property
    def ok(self) -> bool:
        """True when nothing is violated or overdue (disputable findings do not fail a check)."""
        return not any(f.status in _BAD for f in self.findings)

    @property
    def violated(self) -> tuple[Finding, ...]:
        """The findings whose rule was broken."""
        return tuple(f for f in self.findings if f.status is FindingStatus.VIOLATED)

    @property
    def overdue(self) -> tuple[Finding, ...]:
        """The findings past their deadline with the step not done."""
        return tuple(f for f in self.findings if f.status is FindingStatus.OVERDUE)

    @property
    def disputable(self) -> tuple[Finding, ...]:
        """The findings met under one reading of a backward rule only."""
        return tuple(f for f in self.findings if f.status is FindingStatus.DISPUTABLE)

    def for_step(self, step: str) -> tuple[Finding, ...]:
        """The findings about one step."""
        return tuple(f for f in self.findings if f.step == step)

    def summary(self) -> dict[str, int]:
        """How many findings have each status (every status listed, zeros included)."""
        counts = dict.fromkeys((s.value for s in FindingStatus), 0)
        for f in self.findings:
            counts[f.status.value] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of ``civicflow check --format json``."""
        return {
            "process": self.process,
            "name": self.name,
            "start": _iso(self.start),
            "as_of": _iso(self.as_of),
            "ok": self.ok,
            "findings": [f.to_dict() for f in self.findings],
            "summary": self.summary(),
            "not_counted": [e.to_dict() for e in self.not_counted],
        }
