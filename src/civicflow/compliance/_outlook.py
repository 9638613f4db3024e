"""What is due: the steps of many instances that are overdue or due in the coming days, soonest first.

:func:`outlook` answers "what is due this week?" across instances of any templates: every step not yet
done or skipped whose due day has passed or falls within ``within`` working (or calendar) days of
``as_of``. A step is due by its legal deadline when a rule gives one (``source`` ``rule``), else by the
latest day the template's plan allows (``plan``), exactly as :func:`~civicflow.compliance.status` dates it;
the two are kept apart, because only a missed legal deadline is a finding. Pure: ``as_of`` is passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from civicflow._argcheck import require_day
from civicflow.compliance._agenda import counts_back_undated
from civicflow.compliance._check import Checker, checker_for
from civicflow.compliance._due import DueSource
from civicflow.compliance._status import InstanceLike, Status, _unpack, status_with
from civicflow.template import ProcessTemplate

if TYPE_CHECKING:
    from civicflow.i18n import Translator
    from civicflow.messages import Param

__all__ = ["DayUnit", "Outlook", "OutlookItem", "UndatedItem", "outlook"]


class DayUnit(StrEnum):
    """How the horizon of an outlook is counted."""

    WORKING = "working"  # working days of each instance's jurisdiction
    CALENDAR = "calendar"


# statuses of a step that still has to happen (done, done late, disputable and skipped have happened)
_OPEN = (Status.OVERDUE, Status.VIOLATED, Status.DUE_SOON, Status.ON_TRACK, Status.NOT_STARTED)


@dataclass(frozen=True, slots=True)
class OutlookItem:
    """One step of one instance that is overdue or due soon.

    ``days`` is how many days (in the outlook's unit) are left until ``due``: 0 on the day, negative when
    overdue. ``reference`` is the legal reference of the rule (``source`` ``rule``) when it has one.
    """

    instance: str
    template: str
    step: str
    title: str
    due: dt.date
    source: DueSource
    days: int
    status: Status
    explanation: str
    reference: str | None = None
    reason: Param | None = field(default=None, compare=False, repr=False)

    def text(self, translator: Translator | None = None) -> str:
        """``explanation`` in ``translator``'s language (its English text without one)."""
        if self.reason is None or translator is None:
            return self.explanation
        from civicflow.messages import word

        return word(self.reason, translator)

    @property
    def overdue(self) -> bool:
        """True when the due day has passed."""
        return self.days < 0

    @property
    def legal(self) -> bool:
        """True when a legal rule gives the due day (not only the plan)."""
        return self.source is DueSource.RULE

    def to_dict(self) -> dict[str, Any]:
        return {
            "instance": self.instance,
            "template": self.template,
            "step": self.step,
            "title": self.title,
            "due": self.due.isoformat(),
            "due_source": self.source.value,
            "days": self.days,
            "overdue": self.overdue,
            "status": self.status.value,
            "reference": self.reference,
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class UndatedItem:
    """An open step of an instance whose legal deadline cannot be dated yet: a rule "no later than N
    before X" while X (``waits_for``) has no day. Its deadline may be near, or even past; it is neither
    overdue nor due on any day until X is dated, and no day is assumed for it."""

    instance: str
    template: str
    step: str
    title: str
    waits_for: str
    rule: str
    explanation: str
    reference: str | None = None
    reason: Param | None = field(default=None, compare=False, repr=False)
    wording: Param | None = field(default=None, compare=False, repr=False)

    def text(self, translator: Translator | None = None) -> str:
        """``explanation`` in ``translator``'s language (its English text without one)."""
        if self.reason is None or translator is None:
            return self.explanation
        from civicflow.messages import word

        return word(self.reason, translator)

    def rule_text(self, translator: Translator | None = None) -> str:
        """``rule`` in ``translator``'s language (its English text without one)."""
        if self.wording is None or translator is None:
            return self.rule
        from civicflow.messages import word

        return word(self.wording, translator)

    def to_dict(self) -> dict[str, Any]:
        return {
            "instance": self.instance,
            "template": self.template,
            "step": self.step,
            "title": self.title,
            "waits_for": self.waits_for,
            "rule": self.rule,
            "reference": self.reference,
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class Outlook:
    """What is due as of ``as_of`` within ``within`` days (``unit``): legal deadlines and planned days,
    each soonest first (overdue ones first of all); ``undated`` the open steps whose legal deadline
    cannot be dated yet (kept apart: never overdue, never due on an assumed day)."""

    as_of: dt.date
    within: int
    unit: DayUnit
    items: tuple[OutlookItem, ...]
    undated: tuple[UndatedItem, ...] = ()

    @property
    def deadlines(self) -> tuple[OutlookItem, ...]:
        """The items a legal rule dates."""
        return tuple(i for i in self.items if i.legal)

    @property
    def planned(self) -> tuple[OutlookItem, ...]:
        """The items only the template's plan dates (no legal rule)."""
        return tuple(i for i in self.items if not i.legal)

    @property
    def overdue(self) -> tuple[OutlookItem, ...]:
        """Every overdue item, legal or planned."""
        return tuple(i for i in self.items if i.overdue)

    @property
    def ok(self) -> bool:
        """False when a legal deadline is overdue (planned days alone never make it so, as in ``status``)."""
        return not any(i.overdue and i.legal for i in self.items)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "within": self.within,
            "unit": self.unit.value,
            "ok": self.ok,
            "deadlines": [i.to_dict() for i in self.deadlines],
            "planned": [i.to_dict() for i in self.planned],
            "undated": [i.to_dict() for i in self.undated],
        }


def _title(template: ProcessTemplate, step_id: str, lang: str | None) -> str:
    title = template.step(step_id).title
    if not title:
        return step_id
    for key in (lang, "en", template.language):
        if key and key in title:
            return str(title[key])
    return str(next(iter(title.values())))


def outlook(
    instances: Mapping[str, InstanceLike],
    as_of: dt.date,
    *,
    within: int = 10,
    unit: DayUnit | str = DayUnit.WORKING,
    lang: str | None = None,
) -> Outlook:
    """The steps of ``instances`` (name -> a :class:`~civicflow.instance.ProcessInstance` or ``(template,
    events, start)``) that are overdue on ``as_of`` or due within ``within`` days after it.

    ``unit`` counts ``within`` and each item's ``days`` in working days of the instance's jurisdiction
    (the default) or in calendar days. Titles are in ``lang`` (English, then the original, as fallbacks).
    Instances of one template share its compiled form and its plans (kept across calls).
    """
    require_day(as_of, "as_of=")
    if within < 0:
        raise ValueError(f"within must be 0 or more days, not {within}")
    unit = DayUnit(unit)
    pool: dict[int, Checker] = {}
    items: list[OutlookItem] = []
    undated: list[UndatedItem] = []
    for name, item in instances.items():
        template, events, start, proc = _unpack(item)
        checker = pool.get(id(template))
        if checker is None:
            checker = checker_for(proc if proc is not None else template)
            pool[id(template)] = checker
        calendar = checker.procedure.calendar
        if unit is DayUnit.WORKING:
            horizon = calendar.add_working_days(as_of, within) if within else as_of
        else:
            horizon = as_of + dt.timedelta(days=within)
        st = status_with(checker, (template, events, start), as_of=as_of, soon=0, name=name)
        references: dict[tuple[str, dt.date], str] = {}
        for f in st.report.findings:
            if f.deadline is not None and f.reference:
                references.setdefault((f.step, f.deadline), f.reference)
        for detail in st.details.values():
            if detail.status not in _OPEN:
                continue
            if detail.due is None:
                back = counts_back_undated(st.report.findings, detail.step)
                if back is not None and back.counts_from is not None:
                    undated.append(
                        UndatedItem(
                            instance=name,
                            template=template.id,
                            step=detail.step,
                            title=_title(template, detail.step, lang),
                            waits_for=back.counts_from,
                            rule=back.rule,
                            explanation=str(back.reason),
                            reference=back.reference,
                            reason=back.reason,
                            wording=back.wording,
                        )
                    )
                continue
            if detail.due_source is None:
                continue
            if detail.due > horizon:
                continue
            if unit is DayUnit.WORKING:
                days = calendar.working_days_between(as_of, detail.due)
                if detail.due < as_of and days == 0:
                    days = -1  # due on a day off just before as_of: overdue all the same
            else:
                days = (detail.due - as_of).days
            items.append(
                OutlookItem(
                    instance=name,
                    template=template.id,
                    step=detail.step,
                    title=_title(template, detail.step, lang),
                    due=detail.due,
                    source=detail.due_source,
                    days=days,
                    status=detail.status,
                    explanation=detail.explanation,
                    reason=detail.reason,
                    reference=references.get((detail.step, detail.due)),
                )
            )
    items.sort(key=lambda i: (i.due, i.source is not DueSource.RULE, i.instance, i.step))
    undated.sort(key=lambda i: (i.instance, i.step))
    return Outlook(as_of=as_of, within=within, unit=unit, items=tuple(items), undated=tuple(undated))
