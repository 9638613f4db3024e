"""Where instances stand: a status per step and per stage, and a heat map of instances x stages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeAlias

from civicflow.compliance._check import Checker, Facts
from civicflow.compliance._findings import FindingStatus, Report
from civicflow.events import Event
from civicflow.instance import Procedure, ProcessInstance
from civicflow.template import ProcessTemplate

__all__ = ["SEVERITY", "HeatMap", "HeatRow", "InstanceLike", "InstanceStatus", "Status", "heat_map", "status"]


class Status(StrEnum):
    """How a step (or, as the worst of its steps, a stage) stands on the check date."""

    DONE = "done"  # happened, every rule met
    DONE_LATE = "done_late"  # happened, but a rule was violated
    DISPUTABLE = "disputable"  # happened, a backward rule met under one reading only
    VIOLATED = "violated"  # under way or waiting, and a rule was already broken (began too early)
    OVERDUE = "overdue"  # a deadline passed and the step has not happened
    DUE_SOON = "due_soon"  # a deadline falls within the next few working days
    ON_TRACK = "on_track"  # under way, or waiting with a deadline that is not near
    NOT_STARTED = "not_started"  # nothing has happened and no deadline is known yet
    SKIPPED = "skipped"  # skipped on purpose

    @property
    def symbol(self) -> str:
        """A short word for tables that must fit 80 columns."""
        return _SYMBOLS[self]


_SYMBOLS = {
    Status.DONE: "done",
    Status.DONE_LATE: "LATE",
    Status.DISPUTABLE: "disp?",
    Status.VIOLATED: "VIOL",
    Status.OVERDUE: "OVER",
    Status.DUE_SOON: "soon",
    Status.ON_TRACK: "ok",
    Status.NOT_STARTED: ".",
    Status.SKIPPED: "skip",
}

SEVERITY: Mapping[Status, int] = {
    Status.SKIPPED: 0,
    Status.DONE: 1,
    Status.NOT_STARTED: 2,
    Status.ON_TRACK: 3,
    Status.DUE_SOON: 4,
    Status.DISPUTABLE: 5,
    Status.DONE_LATE: 6,
    Status.VIOLATED: 7,
    Status.OVERDUE: 8,
}
"""How alarming each status is; a stage shows the worst status of its steps."""

InstanceLike: TypeAlias = "ProcessInstance | tuple[ProcessTemplate, Iterable[Event], dt.date | None]"


@dataclass(frozen=True, slots=True)
class InstanceStatus:
    """One instance: the status of every step and every top-level stage, and the report behind them."""

    name: str | None
    steps: Mapping[str, Status]
    stages: Mapping[str, Status]
    report: Report

    @property
    def worst(self) -> Status:
        """The most alarming status of the instance."""
        return max(self.steps.values(), key=SEVERITY.__getitem__, default=Status.NOT_STARTED)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "worst": self.worst.value,
            "stages": {k: v.value for k, v in self.stages.items()},
            "steps": {k: v.value for k, v in self.steps.items()},
            "summary": self.report.summary(),
        }


def _step_statuses(checker: Checker, facts: Facts, report: Report, soon: int) -> dict[str, Status]:
    proc = checker.procedure
    by_step: dict[str, list[FindingStatus]] = {}
    deadlines: dict[str, dt.date] = {}
    dated: set[str] = set()  # steps whose rules are dated already: they may go ahead
    for f in report.findings:
        by_step.setdefault(f.step, []).append(f.status)
        if f.status is FindingStatus.PENDING and (f.deadline or f.earliest):
            dated.add(f.step)
        if f.status is FindingStatus.PENDING and f.deadline is not None:
            known = deadlines.get(f.step)
            deadlines[f.step] = f.deadline if known is None else min(known, f.deadline)
    as_of = report.as_of
    horizon: dt.date | None = None
    if as_of is not None:
        horizon = proc.calendar.add_working_days(as_of, soon) if soon > 0 else as_of
    out: dict[str, Status] = {}
    for i, sid in enumerate(proc.ids):
        statuses = by_step.get(sid, ())
        if facts.skipped[i]:
            out[sid] = Status.SKIPPED
        elif facts.done[i] is not None:
            if FindingStatus.VIOLATED in statuses:
                out[sid] = Status.DONE_LATE
            elif FindingStatus.DISPUTABLE in statuses:
                out[sid] = Status.DISPUTABLE
            else:
                out[sid] = Status.DONE
        elif FindingStatus.OVERDUE in statuses:
            out[sid] = Status.OVERDUE
        elif FindingStatus.VIOLATED in statuses:
            out[sid] = Status.VIOLATED
        elif sid in deadlines and horizon is not None and deadlines[sid] <= horizon:
            out[sid] = Status.DUE_SOON
        elif facts.opened[i] is not None or sid in dated:
            out[sid] = Status.ON_TRACK
        else:
            out[sid] = Status.NOT_STARTED
    return out


def _stage_status(steps: Iterable[Status]) -> Status:
    found = set(steps)
    if not found:
        return Status.NOT_STARTED
    worst = max(found, key=SEVERITY.__getitem__)
    if worst is Status.NOT_STARTED and found & {Status.DONE, Status.SKIPPED, Status.ON_TRACK}:
        return Status.ON_TRACK  # begun, nothing late
    return worst


def _status(
    checker: Checker,
    events: Iterable[Event],
    *,
    start: dt.date | None,
    as_of: dt.date | dt.datetime | None,
    name: str | None,
    soon: int,
) -> InstanceStatus:
    proc = checker.procedure
    events = list(events)
    report = checker.check(events, start=start, as_of=as_of, name=name)
    if report.as_of is not None:
        events = [e for e in events if proc.local_date(e.at) <= report.as_of]
    facts = Facts(proc, events)
    steps = _step_statuses(checker, facts, report, soon)
    stages = {
        stage: _stage_status(steps[proc.ids[i]] for i in proc.stage_steps.get(stage, ()))
        for stage in proc.top_stages
    }
    return InstanceStatus(name=name, steps=steps, stages=stages, report=report)


def _unpack(item: InstanceLike) -> tuple[ProcessTemplate, list[Event], dt.date | None, Procedure | None]:
    if isinstance(item, ProcessInstance):
        return item.template, list(item.history), item.start, item.procedure
    template, events, start = item
    return template, list(events), start, None


def status(
    instance: InstanceLike,
    *,
    as_of: dt.date | dt.datetime | None = None,
    soon: int = 3,
    name: str | None = None,
    checker: Checker | None = None,
) -> InstanceStatus:
    """The status of one instance (a :class:`ProcessInstance` or ``(template, events, start)``).

    ``soon`` is how many working days ahead of ``as_of`` a deadline counts as due soon.
    """
    template, events, start, proc = _unpack(instance)
    if checker is None or checker.template is not template:
        checker = Checker(proc if proc is not None else template)
    if name is None and isinstance(instance, ProcessInstance):
        name = instance.name
    return _status(checker, events, start=start, as_of=as_of, name=name, soon=soon)


@dataclass(frozen=True, slots=True)
class HeatRow:
    """One instance in a heat map: a status per stage."""

    name: str
    cells: tuple[Status, ...]
    status: InstanceStatus


@dataclass(frozen=True, slots=True)
class HeatMap:
    """Instances x stages; each cell is the worst status of the stage's steps."""

    stages: tuple[str, ...]
    stage_titles: Mapping[str, str]
    rows: tuple[HeatRow, ...]
    as_of: dt.date | None

    @property
    def ok(self) -> bool:
        """True when no instance has a violated or overdue finding."""
        return all(row.status.report.ok for row in self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "stages": [{"id": s, "title": self.stage_titles.get(s, s)} for s in self.stages],
            "rows": [
                {
                    "name": row.name,
                    "cells": {s: c.value for s, c in zip(self.stages, row.cells, strict=True)},
                    "worst": row.status.worst.value,
                    "ok": row.status.report.ok,
                    "summary": row.status.report.summary(),
                }
                for row in self.rows
            ],
        }


def heat_map(
    instances: Mapping[str, InstanceLike],
    as_of: dt.date | dt.datetime | None = None,
    *,
    soon: int = 3,
    procedure: Procedure | None = None,
) -> HeatMap:
    """A heat map of many instances: one row per instance (by name), one column per top-level stage.

    Instances of the same template share one :class:`Checker` (pass ``procedure`` to reuse a compiled
    template); when several templates are mixed, the columns are the stages of the first one and rows of
    other templates show their own stages in order.
    """
    checkers: dict[int, Checker] = {}
    if procedure is not None:
        checkers[id(procedure.template)] = Checker(procedure)
    rows: list[HeatRow] = []
    stages: tuple[str, ...] = ()
    titles: dict[str, str] = {}
    day: dt.date | None = None
    for name, item in instances.items():
        template, events, start, proc = _unpack(item)
        checker = checkers.get(id(template))
        if checker is None:
            checker = Checker(proc if proc is not None else template)
            checkers[id(template)] = checker
        st = _status(checker, events, start=start, as_of=as_of, name=name, soon=soon)
        if not stages:
            stages = checker.procedure.top_stages
            titles = dict(checker.procedure.stage_titles)
        day = st.report.as_of
        rows.append(HeatRow(name=name, cells=tuple(st.stages.values()), status=st))
    return HeatMap(stages=stages, stage_titles=titles, rows=tuple(rows), as_of=day)
