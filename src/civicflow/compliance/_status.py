"""Where instances stand: a status per step and per stage, and a heat map of instances x stages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from civicflow._procedure import Procedure
from civicflow._vocabulary import SEVERITY, Status
from civicflow.compliance._check import SITUATION_CACHE_SIZE, STATUS_CACHE_SIZE, Checker, Facts, checker_for
from civicflow.compliance._due import DueSource, PlanDues, meaningful_pins
from civicflow.compliance._findings import Finding, FindingKind, FindingStatus, Report
from civicflow.events import Event
from civicflow.i18n import _
from civicflow.messages import Count, Message, Param
from civicflow.template import ProcessTemplate

if TYPE_CHECKING:
    from civicflow.i18n import Translator

__all__ = [
    "SEVERITY",
    "HeatMap",
    "HeatRow",
    "InstanceLike",
    "InstanceStatus",
    "Status",
    "StepDetail",
    "heat_map",
    "severity",
    "status",
    "status_with",
]


_AS_STEP: Mapping[FindingStatus, Status] = {
    FindingStatus.SKIPPED: Status.SKIPPED,
    FindingStatus.OK: Status.DONE,
    FindingStatus.PENDING: Status.ON_TRACK,
    FindingStatus.DISPUTABLE: Status.DISPUTABLE,
    FindingStatus.OVERDUE: Status.OVERDUE,
    FindingStatus.VIOLATED: Status.VIOLATED,
}


def severity(status: Status | FindingStatus) -> int:
    """How alarming a step's status or a finding's status is (:data:`SEVERITY`); a finding ranks as the
    step status it stands for (``ok`` as ``done``, ``pending`` as ``on_track``)."""
    return SEVERITY[status] if isinstance(status, Status) else SEVERITY[_AS_STEP[status]]


class Run(Protocol):
    """What a summary reads of one run of a process: a :class:`~civicflow.instance.ProcessInstance` has
    it (the instance package builds on this one, so it is named by its attributes, not imported)."""

    @property
    def template(self) -> ProcessTemplate: ...
    @property
    def procedure(self) -> Procedure: ...
    @property
    def start(self) -> dt.date: ...
    @property
    def name(self) -> str | None: ...
    @property
    def history(self) -> Sequence[Event]: ...


InstanceLike: TypeAlias = "Run | tuple[ProcessTemplate, Iterable[Event], dt.date | None]"


@dataclass(frozen=True, slots=True)
class StepDetail:
    """One step on the check date: its status, the day it was due and where that day comes from.

    ``due`` is the step's legal deadline when a rule gives one (``due_source`` ``rule``), else the latest
    day the template's plan allows it to happen, or to end for a span (``plan``); None when neither dates
    it. ``actual`` is the day it was completed (or, while under way, opened). ``explanation`` says why, in
    English; ``reason`` is the same as a message and :meth:`text` words it in another language.
    """

    step: str
    status: Status
    due: dt.date | None = None
    due_source: DueSource | None = None
    actual: dt.date | None = None
    explanation: str = ""
    reason: Param | None = field(default=None, compare=False, repr=False)

    def text(self, translator: Translator | None = None) -> str:
        """``explanation`` in ``translator``'s language."""
        if self.reason is None or translator is None:
            return self.explanation
        from civicflow.messages import word

        return word(self.reason, translator)

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "status": self.status.value,
            "due": self.due.isoformat() if self.due else None,
            "due_source": self.due_source.value if self.due_source else None,
            "actual": self.actual.isoformat() if self.actual else None,
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class InstanceStatus:
    """One instance: the status of every step and every top-level stage, and the report behind them.

    ``details`` holds each step's :class:`StepDetail` (due day and its source); ``stage_sources`` where
    the due day of each stage's worst step comes from (None when no due day made it so).
    """

    name: str | None
    steps: Mapping[str, Status]
    stages: Mapping[str, Status]
    report: Report
    details: Mapping[str, StepDetail] = field(default_factory=dict)
    stage_sources: Mapping[str, DueSource | None] = field(default_factory=dict)

    @property
    def worst(self) -> Status:
        """The most alarming status of the instance."""
        return max(self.steps.values(), key=SEVERITY.__getitem__, default=Status.NOT_STARTED)

    @property
    def worst_source(self) -> DueSource | None:
        """Where the due day behind :attr:`worst` comes from (a legal rule, else the plan), as a stage's
        source in ``stage_sources``; None when no due day makes it."""
        return _source_of(self.worst, self.details.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "worst": self.worst.value,
            "stages": {k: v.value for k, v in self.stages.items()},
            "steps": {k: v.value for k, v in self.steps.items()},
            "details": [d.to_dict() for d in self.details.values()],
            "summary": self.report.summary(),
        }


_TIMED = (Status.OVERDUE, Status.DUE_SOON, Status.DONE_LATE)
_RULE_ONLY = {FindingStatus.VIOLATED, FindingStatus.DISPUTABLE, FindingStatus.OVERDUE}


def _step_statuses(
    checker: Checker, facts: Facts, report: Report, soon: int, dues: PlanDues | None
) -> dict[str, StepDetail]:
    proc = checker.procedure
    by_step: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_step.setdefault(f.step, []).append(f)
    as_of = report.as_of
    horizon: dt.date | None = None
    if as_of is not None:
        horizon = proc.calendar.add_working_days(as_of, soon) if soon > 0 else as_of
    # a step's status is computed once per distinct situation (its days, its findings, its plan due day,
    # the check date) and shared: the findings come from the checker's memo, so their identities tell
    # situations apart, and each entry keeps its findings alive so that no identity is reused
    memo = checker._step_statuses
    if len(memo) >= STATUS_CACHE_SIZE:
        memo.clear()
    out: dict[str, StepDetail] = {}
    done, opened, skipped = facts.done, facts.opened, facts.skipped
    for i, sid in enumerate(proc.ids):
        findings = by_step.get(sid, ())
        plan_due, plan_why = (
            (dues.due[i], dues.why[i]) if dues is not None and dues.due[i] is not None else (None, "")
        )
        key = (
            i,
            skipped[i],
            done[i],
            opened[i],
            tuple(map(id, findings)),
            plan_due,
            plan_why,
            as_of,
            horizon,
        )
        hit = memo.get(key)
        if hit is None:
            step = _step_status(proc, i, sid, facts, findings, plan_due, plan_why, as_of, horizon)
            hit = memo[key] = (step, findings)
        out[sid] = hit[0]
    return out


def _step_status(
    proc: Procedure,
    i: int,
    sid: str,
    facts: Facts,
    findings: Sequence[Finding],
    plan_due: dt.date | None,
    plan_why: Param,
    as_of: dt.date | None,
    horizon: dt.date | None,
) -> StepDetail:
    if facts.skipped[i]:
        skipped = Message(_("{step} was skipped"), step=sid)
        return StepDetail(sid, Status.SKIPPED, explanation=str(skipped), reason=skipped)
    # the rule's own verdicts first: a broken rule, a disputable reading, a missed legal deadline
    loud = [f for f in findings if f.status in _RULE_ONLY]
    done = facts.done[i]
    actual = done if done is not None else facts.opened[i]
    dated = [f for f in findings if f.deadline is not None]
    # "no later than N before X" while X has no day: the plan's day for the step would only assume one
    # for X, and the real deadline may come sooner; the step is not dated, and its finding says why
    back = [
        f
        for f in findings
        if f.status is FindingStatus.PENDING and f.deadline is None and f.kind is FindingKind.NO_LATER_THAN
    ]
    why: Param
    if back and not dated:
        due, source, why = None, None, back[0].reason
    elif dated:
        first = min(dated, key=lambda f: f.deadline or dt.date.max)
        due, source, why = first.deadline, DueSource.RULE, first.reason
    elif plan_due is not None:
        due, source, why = plan_due, DueSource.PLAN, plan_why
    else:
        due, source, why = None, None, ""
    said: Param = why
    if loud:
        worst = max(loud, key=lambda f: severity(f.status))
        if done is not None:
            st = Status.DONE_LATE if worst.status is FindingStatus.VIOLATED else Status.DISPUTABLE
        else:
            st = Status.OVERDUE if worst.status is FindingStatus.OVERDUE else Status.VIOLATED
        return StepDetail(
            sid, st, worst.deadline or due, DueSource.RULE, actual, worst.explanation, worst.reason
        )
    if done is not None:
        late = due is not None and done > due
        st = Status.DONE_LATE if late else Status.DONE
        if late and due is not None:
            said = Message(
                _("{step} on {day}, {late} after {due}: {why}"),
                step=sid,
                day=done,
                late=Count((done - due).days, "day", "days"),
                due=due,
                why=why,
            )
    elif due is not None and as_of is not None and as_of > due:
        st = Status.OVERDUE
        if proc.span[i]:
            said = Message(_("{step} has not ended as of {day}: {why}"), step=sid, day=as_of, why=why)
        else:
            said = Message(_("{step} has not happened as of {day}: {why}"), step=sid, day=as_of, why=why)
    elif due is not None and horizon is not None and due <= horizon:
        st = Status.DUE_SOON
    elif actual is not None or any(f.status is FindingStatus.PENDING and f.earliest for f in findings):
        st = Status.ON_TRACK
    elif dated:
        st = Status.ON_TRACK  # a rule dates it already: it may go ahead
    else:
        st = Status.NOT_STARTED
    return StepDetail(sid, st, due, source, actual, str(said), said)


def _stage_status(steps: Iterable[StepDetail]) -> tuple[Status, DueSource | None]:
    found = list(steps)
    if not found:
        return Status.NOT_STARTED, None
    worst = max((s.status for s in found), key=SEVERITY.__getitem__)
    kinds = {s.status for s in found}
    if worst is Status.NOT_STARTED and kinds & {Status.DONE, Status.SKIPPED, Status.ON_TRACK}:
        return Status.ON_TRACK, None  # begun, nothing late
    return worst, _source_of(worst, found)


def _source_of(worst: Status, steps: Iterable[StepDetail]) -> DueSource | None:
    """Where the due day that made ``worst`` comes from, among ``steps``: a legal rule when any step of
    that status is dated by one, else the plan; None for a status no due day makes."""
    if worst not in _TIMED:
        return None
    sources = {s.due_source for s in steps if s.status is worst}
    return (
        DueSource.RULE
        if DueSource.RULE in sources
        else (DueSource.PLAN if DueSource.PLAN in sources else None)
    )


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
    facts, report = checker.facts_and_report(events, start=start, as_of=as_of, name=name)
    # instances in the same situation (the same days, findings, start and check date, and so the same
    # plan) share the work; the entry keeps its findings alive, so that their identity is not reused
    key = (
        tuple(facts.skipped),
        tuple(facts.done),
        tuple(facts.opened),
        id(report.findings),
        report.start,
        report.as_of,
        soon,
    )
    memo = checker._instance_statuses
    hit = memo.get(key)
    if hit is None:
        dues: PlanDues | None = None
        if report.start is not None:
            dues = checker.plan_dues(report.start, meaningful_pins(proc, facts.done, facts.skipped))
        details = _step_statuses(checker, facts, report, soon, dues)
        stages: dict[str, Status] = {}
        sources: dict[str, DueSource | None] = {}
        for stage in proc.top_stages:
            stages[stage], sources[stage] = _stage_status(
                details[proc.ids[i]] for i in proc.stage_steps.get(stage, ())
            )
        steps = {k: v.status for k, v in details.items()}
        if len(memo) >= SITUATION_CACHE_SIZE:
            memo.clear()
        hit = memo[key] = (details, stages, sources, steps, report.findings)
    details, stages, sources, steps = hit[0], hit[1], hit[2], hit[3]
    return InstanceStatus(
        name=name,
        steps=dict(steps),
        stages=dict(stages),
        report=report,
        details=dict(details),
        stage_sources=dict(sources),
    )


def _unpack(item: InstanceLike) -> tuple[ProcessTemplate, list[Event], dt.date | None, Procedure | None]:
    if isinstance(item, tuple):
        template, events, start = item
        return template, list(events), start, None
    return item.template, list(item.history), item.start, item.procedure


def status(
    instance: InstanceLike,
    *,
    as_of: dt.date | dt.datetime | None = None,
    soon: int = 3,
    name: str | None = None,
) -> InstanceStatus:
    """The status of one instance (a :class:`ProcessInstance` or ``(template, events, start)``).

    ``soon`` is how many working days ahead of ``as_of`` a due day counts as due soon. A step's due day
    is its legal deadline when a rule gives one, else the latest day the template's plan (from the
    instance's start) allows; each :class:`StepDetail` in ``details`` says which. Instances of one
    template share its compiled form and its plans (one per distinct start).
    """
    return status_with(None, instance, as_of=as_of, soon=soon, name=name)


def status_with(
    checker: Checker | None,
    instance: InstanceLike,
    *,
    as_of: dt.date | dt.datetime | None = None,
    soon: int = 3,
    name: str | None = None,
) -> InstanceStatus:
    """:func:`status` with a given ``checker`` of the instance's template (the shared one when None or
    of another template)."""
    template, events, start, proc = _unpack(instance)
    if checker is None or checker.template is not template:
        checker = checker_for(proc if proc is not None else template)
    if name is None and not isinstance(instance, tuple):
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
                    "due_sources": {
                        s: (src.value if src else None) for s, src in row.status.stage_sources.items()
                    },
                    "ok": row.status.report.ok,
                    "summary": row.status.report.summary(),
                    "steps": [d.to_dict() for d in row.status.details.values()],
                }
                for row in self.rows
            ],
        }


def heat_map(
    instances: Mapping[str, InstanceLike],
    as_of: dt.date | dt.datetime | None = None,
    *,
    soon: int = 3,
) -> HeatMap:
    """A heat map of many instances: one row per instance (by name), one column per top-level stage.

    Instances of the same template share its compiled form and its plans, one per distinct start (kept
    across calls); when several templates are mixed, the columns are the stages of the first one and
    rows of other templates show their own stages in order.
    """
    checkers: dict[int, Checker] = {}
    rows: list[HeatRow] = []
    stages: tuple[str, ...] = ()
    titles: dict[str, str] = {}
    day: dt.date | None = None
    for name, item in instances.items():
        template, events, start, proc = _unpack(item)
        checker = checkers.get(id(template))
        if checker is None:
            checker = checker_for(proc if proc is not None else template)
            checkers[id(template)] = checker
        st = _status(checker, events, start=start, as_of=as_of, name=name, soon=soon)
        if not stages:
            stages = checker.procedure.top_stages
            titles = dict(checker.procedure.stage_titles)
        day = st.report.as_of
        rows.append(HeatRow(name=name, cells=tuple(st.stages.values()), status=st))
    return HeatMap(stages=stages, stage_titles=titles, rows=tuple(rows), as_of=day)
