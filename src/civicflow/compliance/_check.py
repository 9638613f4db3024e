"""Checking what happened against the legal rules of a template (pure: no clock, no files)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from typing import Any, Protocol

from civicflow._argcheck import require_day
from civicflow._cache import IdentityCache
from civicflow._procedure import Procedure, RuleInfo, compiled
from civicflow._suggest import closest
from civicflow.calendar import END_OF_DAY_SOURCES, Deadline, Reading, WorkingCalendar
from civicflow.compliance._due import Pins, PlanDues, plan_dues
from civicflow.compliance._findings import Finding, FindingKind, FindingStatus, Report
from civicflow.durations import DurationUnit
from civicflow.errors import EventLogError, Problem
from civicflow.events import Event, EventType
from civicflow.i18n import _
from civicflow.messages import Count, Message, Term
from civicflow.template import ProcessTemplate, RuleKind

__all__ = ["CHECKER_CACHE_SIZE", "PLAN_CACHE_SIZE", "Checker", "Facts", "check", "checker_for"]

PLAN_CACHE_SIZE = 1024
"""How many plans (one per distinct start and pins) a :class:`Checker` keeps for status due days."""

FINDINGS_CACHE_SIZE = 50_000
"""How many distinct rule situations a :class:`Checker` keeps the findings of (then it starts again)."""

STATUS_CACHE_SIZE = 50_000
"""How many distinct step situations a :class:`Checker` keeps the status of (then it starts again)."""

SITUATION_CACHE_SIZE = 10_000
"""How many distinct whole-instance situations (all the findings; all the statuses) a :class:`Checker`
keeps (then it starts again): each holds a finding or a status per rule and step, a few kilobytes."""

_ONE_DAY = dt.timedelta(days=1)
OK, VIOLATED, DISPUTABLE = FindingStatus.OK, FindingStatus.VIOLATED, FindingStatus.DISPUTABLE
PENDING, OVERDUE, SKIPPED = FindingStatus.PENDING, FindingStatus.OVERDUE, FindingStatus.SKIPPED


def _n(count: int, unit: str) -> Count:
    """``1 working day``, ``3 days``: a count in a rule's unit, worded in the reader's language."""
    if unit == "working days":
        return Count(count, "working day", "working days")
    return Count(count, "day", "days")


# a rule's unit in words (as messages use it) -> the typed unit of its findings
_UNIT = {"working days": DurationUnit.WORKING_DAYS, "days": DurationUnit.DAYS}


class Facts:
    """The local days each step opened and closed, read from an event list."""

    __slots__ = ("acted", "acted_at", "done", "opened", "skipped")

    def __init__(
        self, proc: Procedure, events: Iterable[Event], days: Iterable[dt.date] | None = None
    ) -> None:
        n = len(proc.ids)
        opened: list[dt.date | None] = [None] * n
        done: list[dt.date | None] = [None] * n
        skipped = [False] * n
        index = proc.index
        events = list(events)
        local_days = list(days) if days is not None else [proc.local_date(e.at) for e in events]
        unknown: list[Problem] = []
        for event, day in zip(events, local_days, strict=True):
            i = index.get(event.step)
            if i is None:
                close = closest(event.step, proc.ids)
                hint = f"did you mean {', '.join(close)}?" if close else f"known steps: {', '.join(proc.ids)}"
                unknown.append(Problem(f"unknown step {event.step!r}; {hint}"))
                continue
            kind = event.event
            if kind is EventType.SKIP:
                skipped[i] = True
                continue
            o = opened[i]
            if o is None or day < o:
                opened[i] = day
            if kind is EventType.COMPLETE:
                d = done[i]
                if d is None or day < d:
                    done[i] = day
        if unknown:
            raise EventLogError(unknown)
        self.opened = opened
        self.done = done
        self.skipped = [s and done[i] is None for i, s in enumerate(skipped)]
        # the day a step "happened": its start for a span, its completion for a one-day step
        self.acted = [o if span else d for o, d, span in zip(opened, done, proc.span, strict=True)]
        # the local time of the earliest event on the acted day, where a rule ends the day at an
        # institution's closing time (Civil Code of Ukraine art. 255(1), Civil Code of the RF art. 194(1))
        self.acted_at: list[dt.time | None] = [None] * n
        if proc.needs_times:
            for event, day in zip(events, local_days, strict=True):
                i = index.get(event.step)
                if i is None or event.event is EventType.SKIP or day != self.acted[i]:
                    continue
                if not proc.span[i] and event.event is not EventType.COMPLETE:
                    continue
                t = proc.local_time(event.at)
                have = self.acted_at[i]
                if t is not None and (have is None or t < have):
                    self.acted_at[i] = t


class Checker:
    """Checks instances of one template; build it once (:func:`checker_for` keeps one per template) and
    check any number of event lists."""

    def __init__(
        self, template: ProcessTemplate | Procedure, calendar: WorkingCalendar | None = None
    ) -> None:
        if isinstance(template, Procedure):
            self.procedure = template
        else:
            self.procedure = compiled(template) if calendar is None else Procedure(template, calendar)
        self._lock = threading.Lock()
        # keyed by id(); each entry keeps its deadline alive so that the id cannot be reused
        self._explained: dict[int, tuple[Deadline, Message]] = {}
        self._plans: dict[tuple[str, dt.date, Pins], PlanDues | None] = {}
        # the findings of a rule in each distinct situation (the days it reads, the check date): a fleet
        # of instances repeats the same few (every instance that has not reached a step yet, those
        # that acted on the same days); findings are frozen, so instances share them
        self._findings: dict[tuple[object, ...], list[Finding]] = {}
        self._reports: dict[tuple[object, ...], tuple[Finding, ...]] = {}  # all the rules' at once
        # step statuses (compliance._status), keyed by the identities of those findings
        self._step_statuses: dict[tuple[object, ...], Any] = {}
        # and the statuses of whole instances, keyed by their days and those identities
        self._instance_statuses: dict[tuple[object, ...], Any] = {}

    def plan_dues(self, start: dt.date, pins: Pins = ()) -> PlanDues | None:
        """The plan's due day of every step for a process started on ``start`` with ``pins`` fixed.

        Planned once per (template, start, pins) and kept by this checker (at most
        ``PLAN_CACHE_SIZE`` plans; the oldest is dropped first); None when the template cannot be planned.
        """
        key = (self.procedure.template.id, start, pins)
        if key in self._plans:
            return self._plans[key]
        dues = plan_dues(self.procedure, start, pins)
        with self._lock:  # a checker may be shared by threads (checker_for)
            if len(self._plans) >= PLAN_CACHE_SIZE:
                del self._plans[next(iter(self._plans))]
            self._plans[key] = dues
        return dues

    @property
    def plans_made(self) -> int:
        """How many plans this checker holds (for benchmarks and tests)."""
        return len(self._plans)

    @property
    def template(self) -> ProcessTemplate:
        return self.procedure.template

    def _explain(self, deadline: Deadline, rule: RuleInfo) -> Message:
        found = self._explained.get(id(deadline))
        if found is None:
            found = (deadline, deadline.describe(rule.wording))
            self._explained[id(deadline)] = found
        return found[1]

    def check(
        self,
        events: Iterable[Event],
        *,
        start: dt.date | None = None,
        as_of: dt.date | dt.datetime | None = None,
        name: str | None = None,
    ) -> Report:
        """The report for one event list (see :func:`check`)."""
        return self.facts_and_report(events, start=start, as_of=as_of, name=name)[1]

    def facts_and_report(
        self,
        events: Iterable[Event],
        *,
        start: dt.date | None = None,
        as_of: dt.date | dt.datetime | None = None,
        name: str | None = None,
    ) -> tuple[Facts, Report]:
        """The facts read from the events (those up to ``as_of``) and the report (see :func:`check`)."""
        # the one way in of check, status, heat_map and outlook: their days are checked here, once
        require_day(start, "start=", optional=True)
        require_day(as_of, "as_of=", times=True, optional=True)
        proc = self.procedure
        day = proc.local_date(as_of) if as_of is not None else None
        events = list(events)
        local = proc.local_date
        days = [local(e.at) for e in events]
        later: tuple[Event, ...] = ()
        if day is not None and any(d > day for d in days):
            later = tuple(e for e, d in zip(events, days, strict=True) if d > day)
            kept = [(e, d) for e, d in zip(events, days, strict=True) if d <= day]
            events, days = [e for e, _ in kept], [d for _, d in kept]
        facts = Facts(proc, events, days)
        if start is None:
            start = proc.template.start
        if start is None and days:
            start = min(days)
        # every rule reads only these: instances with the same days share one tuple of findings
        key = (
            tuple(facts.skipped),
            tuple(facts.opened),
            tuple(facts.done),
            tuple(facts.acted_at),
            start,
            day,
        )
        shared = self._reports.get(key)
        if shared is None:
            found: list[Finding] = []
            for rule in proc.rules:
                found.extend(self._rule_findings(rule, facts, start, day))
            if len(self._reports) >= SITUATION_CACHE_SIZE:
                self._reports.clear()
            shared = self._reports[key] = tuple(found)
        report = Report(
            findings=shared,
            as_of=day,
            process=proc.template.id,
            start=start,
            name=name,
            not_counted=later,
        )
        return facts, report

    # --- one rule ---------------------------------------------------------------------------------

    def _rule_findings(
        self, rule: RuleInfo, facts: Facts, start: dt.date | None, day: dt.date | None
    ) -> list[Finding]:
        """:meth:`_rule`, computed once per distinct situation: everything it reads (the step's days
        and time, the anchor step's days, those of the steps waiting for an "at least" period, the
        start for a rule counted from it, the check date) is the key."""
        i, of = rule.step, rule.of
        key = (
            rule.index,
            facts.skipped[i],
            facts.opened[i],
            facts.done[i],
            facts.acted_at[i],
            day,
            start if of is None else (facts.skipped[of], facts.opened[of], facts.done[of]),
            tuple((facts.skipped[t], facts.opened[t]) for t in rule.dependents),
        )
        found = self._findings.get(key)
        if found is None:
            if len(self._findings) >= FINDINGS_CACHE_SIZE:
                self._findings.clear()
            found = self._findings[key] = self._rule(rule, facts, start, day)
        return found

    def _anchor(self, rule: RuleInfo, facts: Facts, start: dt.date | None) -> tuple[dt.date | None, bool]:
        """(the day the rule counts from, whether its step was skipped)."""
        if rule.of is None:
            return start, False
        if facts.skipped[rule.of]:
            return None, True
        return (facts.opened[rule.of] if rule.rule.anchor == "start" else facts.done[rule.of]), False

    def _late(self, rule: RuleInfo, deadline: dt.date, actual: dt.date) -> int:
        late = self.procedure.late_by(rule.unit, deadline, actual)
        return max(late, 1)

    def _rule(
        self, rule: RuleInfo, facts: Facts, start: dt.date | None, day: dt.date | None
    ) -> list[Finding]:
        proc = self.procedure
        sid = proc.ids[rule.step]
        text = f"{rule.text} ({rule.reference})" if rule.reference else rule.text
        wording = (
            Message(_("{rule} ({reference})"), rule=rule.wording, reference=Term(rule.reference))
            if rule.reference
            else rule.wording
        )
        of = proc.ids[rule.of] if rule.of is not None else "@start"
        anchor, anchor_skipped = self._anchor(rule, facts, start)
        kind = rule.kind
        base = {
            "rule": text,
            "unit": _UNIT[rule.unit],
            "reference": rule.reference,
            "kind": FindingKind(kind.value),
            "counts_from": of,
            "wording": wording,
        }

        def finding(status: FindingStatus, reason: Message, **kw: object) -> Finding:
            fields: dict[str, object] = {
                "step": sid,
                "deadline": None,
                "actual": facts.acted[rule.step],
                "late_by": None,
                **base,
                **kw,
            }
            return Finding(status=status, reason=reason, **fields)  # type: ignore[arg-type]

        if facts.skipped[rule.step]:
            return [finding(SKIPPED, Message(_("{step} was skipped; the rule does not apply"), step=sid))]
        if anchor_skipped:
            return [
                finding(
                    SKIPPED,
                    Message(_("{step} was skipped; the rule counting from it does not apply"), step=of),
                )
            ]
        if anchor is None:
            if rule.of is None:
                missing = Message(_("the start is unknown yet, so the rule cannot be dated"))
            elif kind is RuleKind.NO_LATER_THAN:
                # a deadline counted back from a day nobody knows yet may be near, or even past
                missing = Message(
                    _("the rule counts back from {step}, which has no day yet, so it cannot be dated"),
                    step=of,
                )
            elif rule.rule.anchor == "start":
                missing = Message(
                    _("the start of {step} has not happened yet, so the rule cannot be dated"), step=of
                )
            else:
                missing = Message(
                    _("the end of {step} has not happened yet, so the rule cannot be dated"), step=of
                )
            return [finding(PENDING, missing)]
        if kind is RuleKind.WITHIN:
            return [self._within(rule, facts, anchor, day, finding)]
        if kind is RuleKind.NO_LATER_THAN:
            return [self._no_later_than(rule, facts, anchor, day, finding)]
        if kind is RuleKind.NOT_EARLIER_THAN:
            return [self._not_earlier_than(rule, facts, anchor, finding)]
        return self._at_least(rule, facts, anchor, finding)

    def _within(
        self, rule: RuleInfo, facts: Facts, anchor: dt.date, day: dt.date | None, finding: _Make
    ) -> Finding:
        period = self.procedure.after(rule, anchor)
        deadline = period.date
        how = self._explain(period, rule)
        actual = facts.acted[rule.step]
        sid = self.procedure.ids[rule.step]
        if actual is not None:
            at = facts.acted_at[rule.step]
            if actual == deadline and rule.day_ends is not None and at is not None and at >= rule.day_ends:
                source = END_OF_DAY_SOURCES.get(self.procedure.calendar.country, _("the institution's rules"))
                return finding(
                    VIOLATED,
                    Message(
                        _(
                            "{step} on {day} at {time}, after the institution's working day ended at "
                            "{closing} on the last day ({source}); it counts as done the next day: {how}"
                        ),
                        step=sid,
                        day=actual,
                        time=at,
                        closing=rule.day_ends,
                        source=Term(source),
                        how=how,
                    ),
                    deadline=deadline,
                    late_by=1,
                )
            if actual <= deadline:
                return finding(
                    OK,
                    Message(
                        _("{step} on {day}, on or before {deadline}: {how}"),
                        step=sid,
                        day=actual,
                        deadline=deadline,
                        how=how,
                    ),
                    deadline=deadline,
                )
            late = self._late(rule, deadline, actual)
            return finding(
                VIOLATED,
                Message(
                    _("{step} on {day}, {late} after the deadline {deadline}: {how}"),
                    step=sid,
                    day=actual,
                    late=_n(late, rule.unit),
                    deadline=deadline,
                    how=how,
                ),
                deadline=deadline,
                late_by=late,
            )
        return self._missing(rule, deadline, how, day, finding)

    def _missing(
        self, rule: RuleInfo, deadline: dt.date, how: Message, day: dt.date | None, finding: _Make
    ) -> Finding:
        sid = self.procedure.ids[rule.step]
        if day is not None and day > deadline:
            late = self._late(rule, deadline, day)
            return finding(
                OVERDUE,
                Message(
                    _("{step} has not happened as of {day}; it was due by {deadline}: {how}"),
                    step=sid,
                    day=day,
                    deadline=deadline,
                    how=how,
                ),
                deadline=deadline,
                late_by=late,
            )
        if day is not None:
            reason = Message(
                _("{step} has not happened as of {day}; due by {deadline}: {how}"),
                step=sid,
                day=day,
                deadline=deadline,
                how=how,
            )
        else:
            reason = Message(
                _("{step} has not happened; due by {deadline}: {how}"), step=sid, deadline=deadline, how=how
            )
        return finding(PENDING, reason, deadline=deadline)

    def _no_later_than(
        self, rule: RuleInfo, facts: Facts, anchor: dt.date, day: dt.date | None, finding: _Make
    ) -> Finding:
        proc = self.procedure
        a = proc.before(rule, anchor, Reading.COUNT_BACK)
        b = proc.before(rule, anchor, Reading.CLEAR_DAYS)
        # the legal lines as the law counts them (never moved); the advised day is separate
        own = a if rule.reading is Reading.COUNT_BACK else b
        readings = {Reading.COUNT_BACK: a.date, Reading.CLEAR_DAYS: b.date}
        extra = {
            "deadline": own.date,
            "reading": rule.reading,
            "readings": readings,
            "advised": own.advised,
        }
        how = self._explain(own, rule)
        actual = facts.acted[rule.step]
        sid = proc.ids[rule.step]
        if actual is None:

            def with_readings(status: FindingStatus, reason: Message, **kw: object) -> Finding:
                return finding(status, reason, **{**extra, **kw})

            return self._missing(rule, own.date, how, day, with_readings)
        if actual <= b.date:
            return finding(
                OK,
                Message(
                    _("{step} on {day}, on or before {deadline} under both readings: {how}"),
                    step=sid,
                    day=actual,
                    deadline=b.date,
                    how=how,
                ),
                **extra,
            )
        if actual <= a.date:
            reason = _between_readings(
                sid, actual, a.date, b.date, own.advised, own.date, self._explain(b, rule)
            )
            return finding(DISPUTABLE, reason, late_by=self._late(rule, b.date, actual), **extra)
        # late_by counts from the deadline the finding shows (the rule's own reading), so that the
        # figure matches the date beside it
        late = self._late(rule, own.date, actual)
        letter = "A" if own is a else "B"
        return finding(
            VIOLATED,
            Message(
                _(
                    "{step} on {day} is late under both readings ({late} after {deadline}, reading {letter}; "
                    "reading A {a}, reading B {b}): {how}"
                ),
                step=sid,
                day=actual,
                late=_n(late, rule.unit),
                deadline=own.date,
                letter=letter,
                a=a.date,
                b=b.date,
                how=how,
            ),
            late_by=late,
            **extra,
        )

    def _not_earlier_than(self, rule: RuleInfo, facts: Facts, anchor: dt.date, finding: _Make) -> Finding:
        # a minimum is not rolled forward (Procedure.after passes the rule's kind; see roll_rule)
        period = self.procedure.after(rule, anchor)
        first = period.date
        how = self._explain(period, rule)
        actual = facts.acted[rule.step]
        sid = self.procedure.ids[rule.step]
        if actual is None:
            return finding(
                PENDING,
                Message(_("{step} may happen from {day}: {how}"), step=sid, day=first, how=how),
                earliest=first,
            )
        if actual >= first:
            return finding(
                OK,
                Message(
                    _("{step} on {day}, not before {first}: {how}"),
                    step=sid,
                    day=actual,
                    first=first,
                    how=how,
                ),
                earliest=first,
            )
        early = (first - actual).days
        return finding(
            VIOLATED,
            Message(
                _("{step} on {day}, {early} before the earliest day {first}: {how}"),
                step=sid,
                day=actual,
                early=_n(early, "days"),
                first=first,
                how=how,
            ),
            earliest=first,
            early_by=early,
            unit=DurationUnit.DAYS,
        )

    def _at_least(self, rule: RuleInfo, facts: Facts, anchor: dt.date, finding: _Make) -> list[Finding]:
        """An "at least N" period: one finding on the step that lasts it, one on each step that waits
        for it to end (skipped steps aside)."""
        period = self.procedure.after(rule, anchor)
        end = period.date
        out = [self._lasted(rule, facts, end, self._explain(period, rule), finding)]
        for t in rule.dependents:
            if not facts.skipped[t]:
                out.append(self._after_period(rule, t, facts, end, finding))
        return out

    def _lasted(self, rule: RuleInfo, facts: Facts, end: dt.date, how: Message, finding: _Make) -> Finding:
        """Did the step last until ``end``: pending while open, violated when it closed before."""
        sid = self.procedure.ids[rule.step]
        closed = facts.done[rule.step]
        if closed is None:
            return finding(
                PENDING,
                Message(
                    _("{step} has not closed yet; it may close from {day}: {how}"), step=sid, day=end, how=how
                ),
                earliest=end,
                actual=None,
            )
        if closed < end:
            early = (end - closed).days
            return finding(
                VIOLATED,
                Message(
                    _("{step} closed on {day}, {early} before the period ends on {end}: {how}"),
                    step=sid,
                    day=closed,
                    early=_n(early, "days"),
                    end=end,
                    how=how,
                ),
                earliest=end,
                early_by=early,
                actual=closed,
                unit=DurationUnit.DAYS,
            )
        return finding(
            OK,
            Message(
                _("{step} lasted until {day}, at least until {end}: {how}"),
                step=sid,
                day=closed,
                end=end,
                how=how,
            ),
            earliest=end,
            actual=closed,
        )

    def _after_period(self, rule: RuleInfo, t: int, facts: Facts, end: dt.date, finding: _Make) -> Finding:
        """Did step ``t``, which waits for the period, begin after ``end``."""
        proc = self.procedure
        sid, tid = proc.ids[rule.step], proc.ids[t]
        first = end + _ONE_DAY
        began = facts.opened[t]
        why = Message(
            _("{step} waits for {other}, which lasts at least {duration} until {end}"),
            step=tid,
            other=sid,
            duration=rule.rule.duration,
            end=end,
        )
        common = {
            "step": tid,
            "earliest": first,
            "actual": began,
            "kind": FindingKind.AFTER_PERIOD,
            "counts_from": sid,
        }
        if began is None:
            return finding(
                PENDING, Message(_("{why}; it may happen from {day}"), why=why, day=first), **common
            )
        if began < first:
            early = (first - began).days
            return finding(
                VIOLATED,
                Message(
                    _("{step} on {day} is {early} too early: {why}; allowed from {first}"),
                    step=tid,
                    day=began,
                    early=_n(early, "days"),
                    why=why,
                    first=first,
                ),
                early_by=early,
                unit=DurationUnit.DAYS,
                **common,
            )
        return finding(
            OK, Message(_("{step} on {day}, after the period: {why}"), step=tid, day=began, why=why), **common
        )


def _between_readings(
    step: str,
    actual: dt.date,
    a: dt.date,
    b: dt.date,
    advised: dt.date | None,
    deadline: dt.date,
    how: Message,
) -> Message:
    """A "no later than N before" act that meets reading A (count back) but not B (clear days), with the
    advised day when it is not the line itself."""
    if advised is not None and advised != deadline:
        return Message(
            _(
                "{step} on {day} meets reading A (count back: {a}) but not reading B "
                "(clear days: {b}); advised: act by {advised}; {how}"
            ),
            step=step,
            day=actual,
            a=a,
            b=b,
            advised=advised,
            how=how,
        )
    return Message(
        _("{step} on {day} meets reading A (count back: {a}) but not reading B (clear days: {b}); {how}"),
        step=step,
        day=actual,
        a=a,
        b=b,
        how=how,
    )


class _Make(Protocol):
    """Type of the local ``finding`` factory (status, explanation, **fields) -> Finding."""

    def __call__(self, status: FindingStatus, reason: Message, **kw: object) -> Finding: ...


def check(
    template: ProcessTemplate,
    events: Iterable[Event],
    *,
    start: dt.date | None = None,
    as_of: dt.date | dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
) -> Report:
    """Check ``events`` against every legal rule of ``template``: one finding per rule (plus one per step
    that waits for an "at least" period).

    Deadlines count from the actual local days of the events in the jurisdiction's time zone. ``start``
    (default: the template's, else the earliest event day) anchors rules counted from ``@start``;
    ``as_of`` is the day of the check: events after it are left out (not happened yet as of that day) and
    missed deadlines become ``overdue`` (without ``as_of`` they stay ``pending``). To check many
    instances of one template, nothing needs to be kept: the compiled template and its calendar are
    shared (:func:`checker_for`).
    """
    checker = checker_for(template) if calendar is None else Checker(template, calendar)
    return checker.check(events, start=start, as_of=as_of)


CHECKER_CACHE_SIZE = 16
"""How many checkers (one per template, each with its plans) :func:`checker_for` keeps."""

_checkers: IdentityCache[Procedure, Checker] = IdentityCache(CHECKER_CACHE_SIZE, Checker)


def checker_for(template: ProcessTemplate | Procedure) -> Checker:
    """The checker of a template (or of a compiled procedure), made once and shared by every check,
    status and summary of it, with its plans (kept for the :data:`CHECKER_CACHE_SIZE` most recently used
    templates)."""
    return _checkers(template if isinstance(template, Procedure) else compiled(template))
