"""What is due soon across many instances: open steps whose due day falls in the next working days.

:func:`due_items` takes the open steps of one instance's status (each with its due day and whether a legal
rule or the template's plan dates it); :func:`agenda` gathers those of many instances that fall between a
day and the ``within``-th working day after it, legal deadlines and planned days apart. Pure: the day is
always passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from civicflow.calendar import WorkingCalendar
from civicflow.compliance._due import DueSource
from civicflow.compliance._findings import Finding, FindingKind, FindingStatus
from civicflow.compliance._status import InstanceStatus, Status

__all__ = [
    "Agenda",
    "DueItem",
    "UndatedDue",
    "agenda",
    "counts_back_undated",
    "due_items",
    "is_undatable",
    "undated_items",
]

_FINISHED = frozenset({Status.DONE, Status.DONE_LATE, Status.DISPUTABLE, Status.SKIPPED})


@dataclass(frozen=True, slots=True)
class DueItem:
    """An open step of an instance with the day it is due by and where that day comes from."""

    instance: str
    step: str
    due: dt.date
    due_source: DueSource
    status: Status
    explanation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "instance": self.instance,
            "step": self.step,
            "due": self.due.isoformat(),
            "due_source": self.due_source.value,
            "status": self.status.value,
            "explanation": self.explanation,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DueItem:
        """The item :meth:`to_dict` gave."""
        return cls(
            instance=str(data["instance"]),
            step=str(data["step"]),
            due=dt.date.fromisoformat(str(data["due"])),
            due_source=DueSource(data["due_source"]),
            status=Status(data["status"]),
            explanation=str(data.get("explanation", "")),
        )


def due_items(name: str, st: InstanceStatus) -> list[DueItem]:
    """The steps of ``st`` that are not finished (done or skipped) and have a due day, in template order."""
    return [
        DueItem(name, d.step, d.due, d.due_source, d.status, d.explanation)
        for d in st.details.values()
        if d.due is not None and d.due_source is not None and d.status not in _FINISHED
    ]


@dataclass(frozen=True, slots=True)
class UndatedDue:
    """An open step of an instance whose legal deadline cannot be dated yet: a rule "no later than N
    before X" while X (``waits_for``) has no day. It is neither overdue nor due on any day."""

    instance: str
    step: str
    waits_for: str
    status: Status

    def to_dict(self) -> dict[str, Any]:
        return {
            "instance": self.instance,
            "step": self.step,
            "waits_for": self.waits_for,
            "status": self.status.value,
        }


def is_undatable(f: Finding) -> bool:
    """Whether ``f`` is a rule "no later than N before X" while X has no day: nothing dates it yet."""
    return f.status is FindingStatus.PENDING and f.deadline is None and f.kind is FindingKind.NO_LATER_THAN


def counts_back_undated(findings: Iterable[Finding], step: str) -> Finding | None:
    """The finding of ``step``'s rule "no later than N before X" while X has no day, if there is one."""
    for f in findings:
        if f.step == step and is_undatable(f) and f.counts_from is not None:
            return f
    return None


def undated_items(name: str, st: InstanceStatus) -> list[UndatedDue]:
    """The steps of ``st`` not finished whose legal deadline cannot be dated yet, in template order."""
    out: list[UndatedDue] = []
    for d in st.details.values():
        if d.due is not None or d.status in _FINISHED:
            continue
        back = counts_back_undated(st.report.findings, d.step)
        if back is not None and back.counts_from is not None:
            out.append(UndatedDue(name, d.step, back.counts_from, d.status))
    return out


@dataclass(frozen=True, slots=True)
class Agenda:
    """What is due from ``as_of`` to ``until`` (the ``within``-th working day after it), by day, and
    what is overdue already.

    ``legal`` holds the steps a legal rule dates, ``planned`` those only the template's plan dates;
    ``overdue`` the open steps whose due day is before ``as_of``, legal deadlines first, then by day (as
    ``civicflow due`` lists them: an agenda that left them out would look empty while work is late);
    ``undated`` the open steps whose legal deadline cannot be dated yet (never overdue, never on a day).
    """

    as_of: dt.date
    within: int
    legal: tuple[DueItem, ...]
    planned: tuple[DueItem, ...]
    overdue: tuple[DueItem, ...] = ()
    undated: tuple[UndatedDue, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "within": self.within,
            "overdue": [i.to_dict() for i in self.overdue],
            "legal": [i.to_dict() for i in self.legal],
            "planned": [i.to_dict() for i in self.planned],
            "undated": [i.to_dict() for i in self.undated],
        }


def agenda(
    groups: Iterable[tuple[WorkingCalendar, Iterable[DueItem]]],
    as_of: dt.date,
    within: int,
    undated: Iterable[UndatedDue] = (),
) -> Agenda:
    """The items due from ``as_of`` up to the ``within``-th working day after it (both included).

    ``groups`` pairs each calendar (the working days of a jurisdiction) with the due items of instances
    that follow it; a step due before ``as_of`` and still open is in ``overdue``. ``undated`` (steps whose
    legal deadline cannot be dated yet) are kept as they are, by instance and step.
    """
    if within < 0:
        raise ValueError(f"within is {within}; give a number of working days >= 0")
    legal: list[DueItem] = []
    planned: list[DueItem] = []
    overdue: list[DueItem] = []
    for calendar, items in groups:
        until = calendar.add_working_days(as_of, within)
        for item in items:
            if item.due < as_of:
                overdue.append(item)
            elif item.due <= until:
                (legal if item.due_source is DueSource.RULE else planned).append(item)

    def order(item: DueItem) -> tuple[dt.date, str, str]:
        return (item.due, item.instance, item.step)

    def legal_first(item: DueItem) -> tuple[bool, dt.date, str, str]:
        return (item.due_source is not DueSource.RULE, *order(item))

    return Agenda(
        as_of,
        within,
        tuple(sorted(legal, key=order)),
        tuple(sorted(planned, key=order)),
        tuple(sorted(overdue, key=legal_first)),
        tuple(sorted(undated, key=lambda i: (i.instance, i.step))),
    )
