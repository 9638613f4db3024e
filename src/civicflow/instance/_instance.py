"""ProcessInstance: one run of a process template, its event history and what may happen next."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from civicflow._argcheck import require_day
from civicflow._procedure import Procedure, RuleInfo, compiled
from civicflow.calendar import WorkingCalendar
from civicflow.dates import zone
from civicflow.errors import EventLogError, IllegalTransitionError, Problem, UnknownStepError
from civicflow.events import Event, EventType, has_time, parse_event_time
from civicflow.i18n import _, non_english
from civicflow.instance._lifecycle import Fired, StepState, action_word, shared, state_word
from civicflow.messages import Message, Param, joined
from civicflow.template import ProcessTemplate, RuleKind

if TYPE_CHECKING:
    from civicflow.compliance import Report
    from civicflow.i18n import Translator

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "BlockedTransition",
    "ProcessInstance",
    "Transition",
    "order_problems",
]

FORMAT = "civicflow-instance"
"""The ``format`` field of an instance's JSON form."""
FORMAT_VERSION = 1
"""The ``version`` field of an instance's JSON form this library writes and reads."""

_ONE_DAY = dt.timedelta(days=1)
_RESOLVED = (StepState.DONE, StepState.SKIPPED)
# "'meeting_1' cannot open": the head of every refusal, one message per event (their verbs differ)
_CANNOT = {
    EventType.OPEN: _("'{step}' cannot open"),
    EventType.COMPLETE: _("'{step}' cannot be completed"),
    EventType.SKIP: _("'{step}' cannot be skipped"),
}


def _cannot(step: str, kind: EventType) -> Message:
    return Message(_CANNOT[kind], step=step)


def _between(items: Sequence[Param], separator: str) -> list[Param]:
    """``a, sep, b, sep, c``: items with a separator between them, for :func:`joined`."""
    out: list[Param] = []
    for item in items:
        if out:
            out.append(separator)
        out.append(item)
    return out


def _period_runs(
    head: Message, first: dt.date, period: str, begin: dt.date, end: dt.date, rule: RuleInfo
) -> Message:
    """A pending step cannot start while an "at least N" period it waits for still runs."""
    return Message(
        _(
            "{head} before {first}: '{period}' counted from {begin} lasts at least "
            "{duration} and ends on {end} ({rule})"
        ),
        head=head,
        first=first,
        period=period,
        begin=begin,
        duration=rule.rule.duration,
        end=end,
        rule=rule.wording,
    )


def _too_early(head: Message, first: dt.date, begin: dt.date, rule: RuleInfo) -> Message:
    """A step's own "not earlier than" rule is not met yet."""
    return Message(
        _("{head} before {first}: {rule}, counted from {begin}"),
        head=head,
        first=first,
        rule=rule.wording,
        begin=begin,
    )


def _too_short(step: str, end: dt.date, begin: dt.date, rule: RuleInfo) -> Message:
    """A step with its own "at least N" rule cannot be completed before the period ends."""
    return Message(
        _("'{step}' cannot close before {end}: counted from {begin} it lasts at least {duration} ({rule})"),
        step=step,
        end=end,
        begin=begin,
        duration=rule.rule.duration,
        rule=rule.wording,
    )


@dataclass(frozen=True, slots=True)
class Transition:
    """A transition allowed now: ``event`` on ``step``, possible from ``earliest`` (None: no lower
    bound) and due by ``latest`` when a legal rule sets a deadline that is known already."""

    step: str
    event: EventType
    earliest: dt.date | None = None
    latest: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "event": self.event.value,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "latest": self.latest.isoformat() if self.latest else None,
        }


@dataclass(frozen=True, slots=True)
class BlockedTransition:
    """A transition not allowed now, with the reason; ``earliest`` is the first day it will be allowed
    when only time stands in the way, ``waiting_for`` the steps that must happen first."""

    step: str
    event: EventType
    reason: str
    earliest: dt.date | None = None
    waiting_for: tuple[str, ...] = ()
    message: Message | None = field(default=None, compare=False, repr=False)

    def text(self, lang: str | Translator | None = None) -> str:
        """``reason`` in ``lang`` (``"uk"``, ``"bg"``, ``"ru"``, a translator; English by default)."""
        if self.message is None:
            return self.reason
        return self.message.render(non_english(lang))

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "event": self.event.value,
            "reason": self.reason,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "waiting_for": list(self.waiting_for),
        }


class _Tracker:
    """The state of every step, with the days each was opened and closed (the fast path)."""

    __slots__ = ("closed", "opened", "proc", "state", "table", "where")

    def __init__(self, proc: Procedure) -> None:
        n = len(proc.ids)
        self.proc = proc
        self.table = shared().table
        self.state: list[StepState] = [StepState.PENDING] * n
        self.opened: list[dt.date | None] = [None] * n
        self.closed: list[dt.date | None] = [None] * n
        self.where: list[str] = [""] * n  # " (line 12)" of the last event on the step, for messages

    def anchor(self, rule: RuleInfo, start: dt.date | None) -> dt.date | None:
        """The day a rule counts from, when it has happened."""
        if rule.of is None:
            return start
        return self.opened[rule.of] if rule.rule.anchor == "start" else self.closed[rule.of]

    def problems(
        self, i: int, kind: EventType, day: dt.date, *, strict: bool, start: dt.date | None = None
    ) -> tuple[list[Message], dt.date | None, tuple[str, ...]]:
        """Why ``kind`` on step ``i`` on ``day`` is not possible: (reasons, earliest day, waiting for).

        In order: the step's own state (the lifecycle table), a completion dated before the step opened,
        the steps it waits for, and (``strict``, nothing to wait for) the legal minimums."""
        if (self.state[i], kind) not in self.table:
            return [self._refusal(i, kind)], None, ()
        if kind is EventType.SKIP:
            return [], None, ()
        head = _cannot(self.proc.ids[i], kind)
        opened = self.opened[i]
        if self.state[i] is StepState.OPEN and opened is not None and day < opened:
            later = _("{head} on {day}: it was opened later, on {opened}{where} (complete before open)")
            return [Message(later, head=head, day=day, opened=opened, where=self.where[i])], opened, ()
        reasons: list[Message] = []
        waiting: list[str] = []
        earliest: dt.date | None = None
        if self.state[i] is StepState.PENDING:
            earliest = self._prerequisites(i, day, head, strict, reasons, waiting)
        if not strict or waiting:
            return reasons, earliest, tuple(waiting)
        first = self._minimums(i, kind, day, head, start, reasons)
        if first is not None:
            earliest = max(earliest or first, first)
        return reasons, earliest, ()

    def _refusal(self, i: int, kind: EventType) -> Message:
        """Why the lifecycle allows no ``kind`` on step ``i`` in its state, and what it does allow."""
        name, state = self.proc.ids[i], self.state[i]
        allowed: list[Param] = [action_word(e) for (s, e) in self.table if s is state]
        when = self.closed[i] if state in _RESOLVED else self.opened[i]
        since: list[Param] = [" ", Message(_("on {day}"), day=when), self.where[i]] if when else []
        if state is StepState.DONE and kind is EventType.OPEN:
            refusal = joined(
                Message(_("'{step}' cannot be opened: it was completed earlier"), step=name),
                *since,
                " ",
                Message(_("(complete before open)")),
            )
        else:
            status = {
                StepState.DONE: Message(_("it was already completed")),
                StepState.SKIPPED: Message(_("it was skipped")),
                StepState.OPEN: Message(_("it was opened already")),
            }.get(state) or Message(_("it is {state}"), state=state_word(state))
            refusal = joined(_cannot(name, kind), ": ", status, *since)
        if state in _RESOLVED:
            tail = Message(_("no event is allowed after a step was completed or skipped"))
        elif allowed:
            tail = Message(_("allowed: {events}"), events=joined(*_between(allowed, ", ")))
        else:
            tail = Message(_("no event is allowed on it any more"))
        return joined(refusal, "; ", tail)

    def _prerequisites(
        self, i: int, day: dt.date, head: Message, strict: bool, reasons: list[Message], waiting: list[str]
    ) -> dt.date | None:
        """The steps pending step ``i`` waits for: those not there yet go to ``waiting`` (one reason names
        them all, first), those that happened after ``day`` or (``strict``) less than their lag before it
        give a reason each. The earliest day the event could be, as far as they tell."""
        proc = self.proc
        unmet: list[Message] = []
        earliest: dt.date | None = None
        for p in proc.prereqs[i]:
            other = proc.ids[p.step]
            other_state = self.state[p.step]
            if p.need == "open":
                when, there = self.opened[p.step], other_state is not StepState.PENDING
            else:
                when, there = self.closed[p.step], other_state in _RESOLVED
            why: Param = p.reason if p.reason is not None else p.why
            if not there or when is None:
                waiting.append(other)
                if p.need == "open":
                    wanted = _("'{step}' to be opened (it is {state})")
                else:
                    wanted = _("'{step}' to be completed (it is {state})")
                unmet.append(Message(wanted, step=other, state=state_word(other_state)))
            elif day < when:
                if p.need == "open":
                    later = _("{head} on {day}: it {why}, which was opened later, on {when}{where}")
                else:
                    later = _("{head} on {day}: it {why}, which was completed later, on {when}{where}")
                reasons.append(
                    Message(later, head=head, day=day, why=why, when=when, where=self.where[p.step])
                )
                earliest = max(earliest or when, when)
            elif strict and p.lag is not None and other_state is StepState.DONE:
                first = proc.lagged(p.lag, when)
                if day < first:
                    lagged = _("{head} before {first}: it {why} with a lag of {lag} after {when}")
                    reasons.append(Message(lagged, head=head, first=first, why=why, lag=p.lag, when=when))
                    earliest = max(earliest or first, first)
        if unmet:
            waits = Message(
                _("{head} on {day}: it waits for {unmet}"),
                head=head,
                day=day,
                unmet=joined(*_between(unmet, ", ")),
            )
            reasons.insert(0, waits)
        return earliest

    def _minimums(
        self,
        i: int,
        kind: EventType,
        day: dt.date,
        head: Message,
        start: dt.date | None,
        reasons: list[Message],
    ) -> dt.date | None:
        """The legal minimums ``kind`` on step ``i`` on ``day`` breaks, each a reason: the "at least N"
        periods a pending step waits for, its own "not earlier than" rules, and its own "at least N" on
        completion. The first day they all allow, None when none is broken."""
        proc = self.proc
        pending = self.state[i] is StepState.PENDING
        earliest: dt.date | None = None
        if pending:
            for rule in proc.periods_before[i]:
                begin = self.anchor(rule, start)
                if begin is None:
                    continue
                end = proc.after(rule, begin).date
                if day <= end:
                    first = end + _ONE_DAY
                    reasons.append(_period_runs(head, first, proc.ids[rule.step], begin, end, rule))
                    earliest = max(earliest or first, first)
        for rule in proc.rules_of[i]:
            begin = self.anchor(rule, start)
            if begin is None:
                continue
            if rule.kind is RuleKind.NOT_EARLIER_THAN and pending:
                first = proc.after(rule, begin).date
                if day < first:
                    reasons.append(_too_early(head, first, begin, rule))
                    earliest = max(earliest or first, first)
            elif rule.kind is RuleKind.AT_LEAST and kind is EventType.COMPLETE:
                end = proc.after(rule, begin).date
                if day < end:
                    reasons.append(_too_short(proc.ids[i], end, begin, rule))
                    earliest = max(earliest or end, end)
        return earliest

    def apply(
        self, i: int, kind: EventType, day: dt.date, where: str = "", state: StepState | None = None
    ) -> None:
        """Move step ``i`` (the transition was checked) to ``state``, by default the table's next state."""
        self.state[i] = self.table[(self.state[i], kind)] if state is None else state
        if self.opened[i] is None and kind is not EventType.SKIP:
            self.opened[i] = day
        if kind is not EventType.OPEN:
            self.closed[i] = day
        self.where[i] = where

    def latest(self, i: int, start: dt.date | None) -> dt.date | None:
        """The earliest legal deadline on step ``i`` that is known already."""
        found: dt.date | None = None
        for rule in self.proc.rules_of[i]:
            begin = self.anchor(rule, start)
            if begin is None:
                continue
            if rule.kind is RuleKind.WITHIN:
                d = self.proc.after(rule, begin).date
            elif rule.kind is RuleKind.NO_LATER_THAN:
                d = self.proc.before(rule, begin, rule.reading).date
            else:
                continue
            found = d if found is None else min(found, d)
        return found


def _sorted(proc: Procedure, events: Sequence[Event]) -> list[tuple[dt.date, int, Event]]:
    """Events in the order they happened: by local day, the log's order within a day."""
    local = proc.local_date
    return sorted(((local(e.at), k, e) for k, e in enumerate(events)), key=lambda x: (x[0], x[1]))


def order_problems(
    template: ProcessTemplate | Procedure,
    events: Sequence[Event],
    *,
    lines: Sequence[int | None] | None = None,
    start: dt.date | None = None,
) -> list[tuple[int, Message]]:
    """Every impossible order in ``events``, as (index of the offending event, message).

    Events are taken in the order of their local day (the log's order within a day): an event on a step
    already completed, a completion dated before the opening, a step opened or completed before a step it
    depends on was completed, an unknown step. Legal periods are not checked here: a step that happened too
    early is a compliance finding, not an impossible log.
    """
    proc = template if isinstance(template, Procedure) else Procedure(template)
    tracker = _Tracker(proc)
    out: list[tuple[int, Message]] = []
    for day, k, event in _sorted(proc, events):
        i = proc.index.get(event.step)
        if i is None:
            out.append((k, Message(_("unknown step {step}"), step=repr(event.step))))
            continue
        reasons, _earliest, _waiting = tracker.problems(i, event.event, day, strict=False, start=start)
        where = f" (line {lines[k]})" if lines is not None and lines[k] is not None else ""
        if reasons:
            out.append(
                (k, Message(_("impossible order: {reasons}"), reasons=joined(*_between(reasons, "; "))))
            )
            if (tracker.state[i], event.event) not in tracker.table:
                continue
        tracker.apply(i, event.event, day, where)
    out.sort(key=lambda found: found[0])  # one message per event at most
    return out


class _StepModel:
    """One step of one instance as a model of the lifecycle machine, made for one ``record()`` call from
    the step's current state; the machine asks :meth:`may_proceed` and sets ``state`` when it moves."""

    __slots__ = ("_index", "_owner", "state")

    def __init__(self, owner: ProcessInstance, index: int, state: StepState) -> None:
        self._owner = owner
        self._index = index
        self.state: str = state.value

    def may_proceed(self, *, kind: EventType, day: dt.date, strict: bool) -> bool:
        return self._owner._refusal(self._index, kind, day, strict) is None


class ProcessInstance:
    """One run of a process template: its start, the events recorded so far, and what may happen next.

    ``record()`` refuses an impossible or (by default) premature event with an
    :class:`~civicflow.errors.IllegalTransitionError` that says why and what is allowed. Instances of the
    same template share its compiled form (steps, rules, calendar), made once; ``calendar`` replaces the
    jurisdiction's calendar for this instance.
    """

    def __init__(
        self,
        template: ProcessTemplate,
        *,
        start: dt.date,
        calendar: WorkingCalendar | None = None,
        name: str | None = None,
    ) -> None:
        require_day(start, "start=")
        procedure = compiled(template) if calendar is None else Procedure(template, calendar)
        self._proc = procedure
        self._start = start
        self._name = name
        self._tracker = _Tracker(procedure)
        self._history: list[Event] = []
        self._zone = zone(procedure.calendar.timezone)

    # --- identity ---------------------------------------------------------------------------------

    @property
    def template(self) -> ProcessTemplate:
        return self._proc.template

    @property
    def procedure(self) -> Procedure:
        """The compiled template, shared by the instances of the template (unless given a calendar)."""
        return self._proc

    @property
    def calendar(self) -> WorkingCalendar:
        return self._proc.calendar

    @property
    def start(self) -> dt.date:
        return self._start

    @property
    def name(self) -> str | None:
        return self._name

    @property
    def history(self) -> tuple[Event, ...]:
        """Every recorded event, in the order recorded."""
        return tuple(self._history)

    def __repr__(self) -> str:
        return (
            f"ProcessInstance({self.template.id!r}, start={self._start.isoformat()}, name={self._name!r}, "
            f"events={len(self._history)})"
        )

    # --- state ------------------------------------------------------------------------------------

    def _step_index(self, step: str) -> int:
        i = self._proc.index.get(step)
        if i is None:
            from civicflow._suggest import closest

            close = closest(step, self._proc.ids)
            hint = (
                Message(_("did you mean {steps}?"), steps=", ".join(close))
                if close
                else Message(_("known steps: {steps}"), steps=", ".join(self._proc.ids))
            )
            unknown = Message(
                _("no step {step} in {template}; {hint}"),
                step=repr(step),
                template=self.template.id,
                hint=hint,
            )
            raise UnknownStepError(unknown, step=step, known=self._proc.ids)
        return i

    def state(self, step: str) -> StepState:
        """The state of one step."""
        return self._tracker.state[self._step_index(step)]

    def states(self) -> dict[str, StepState]:
        """The state of every step, in template order."""
        return dict(zip(self._proc.ids, self._tracker.state, strict=True))

    def opened_on(self, step: str) -> dt.date | None:
        """The local day the step opened (or happened, for a one-day step)."""
        return self._tracker.opened[self._step_index(step)]

    def closed_on(self, step: str) -> dt.date | None:
        """The local day the step was completed or skipped."""
        return self._tracker.closed[self._step_index(step)]

    def stage_state(self, stage_id: str) -> StepState:
        """A stage's state, derived from its steps: done when all are done (skipped when all were
        skipped), pending when none has begun, open otherwise."""
        steps = self._proc.stage_steps.get(stage_id)
        if steps is None:
            known = ", ".join(self._proc.stage_steps)
            raise KeyError(f"no stage {stage_id!r} in {self.template.id}; known stages: {known}")
        states = {self._tracker.state[i] for i in steps}
        if not states or states == {StepState.PENDING}:
            return StepState.PENDING
        if states == {StepState.SKIPPED}:
            return StepState.SKIPPED
        if states <= set(_RESOLVED):
            return StepState.DONE
        return StepState.OPEN

    # --- recording --------------------------------------------------------------------------------

    def _moment(self, at: dt.datetime | dt.date, step: str, kind: EventType) -> dt.datetime:
        try:
            return parse_event_time(at, self._zone)
        except ValueError as exc:
            raise IllegalTransitionError(str(exc), step=step, event=kind.value) from None

    def _refusal(self, i: int, kind: EventType, day: dt.date, strict: bool) -> Message | None:
        reasons, _earliest, _waiting = self._tracker.problems(i, kind, day, strict=strict, start=self._start)
        return joined(*_between(reasons, "; ")) if reasons else None

    def _allowed_text(self, day: dt.date, allowed: Sequence[Transition]) -> Message:
        if not allowed:
            return Message(_("nothing is allowed on that day"))
        shown = joined(
            *_between(
                [
                    Message(_("{action} {step}"), action=action_word(t.event), step=t.step)
                    for t in allowed[:12]
                ],
                ", ",
            )
        )
        if len(allowed) > 12:
            return Message(
                _("allowed on {day}: {shown} and {more} more"),
                day=day,
                shown=shown,
                more=len(allowed) - 12,
            )
        return Message(_("allowed on {day}: {shown}"), day=day, shown=shown)

    def record(
        self,
        step: str,
        event: EventType | str = EventType.COMPLETE,
        at: dt.datetime | dt.date | None = None,
        *,
        by: str | None = None,
        note: str | None = None,
        url: str | None = None,
        strict: bool = True,
        timed: bool | None = None,
    ) -> Event:
        """Record that ``step`` was opened, completed or skipped ``at`` (a date is that local day).

        ``timed`` says whether a time of day was given; by default whether ``at`` has one (a date, or
        text with a day alone, has none), as :attr:`Event.timed` keeps it.

        Raises :class:`IllegalTransitionError` saying why and what is allowed when the transition is not
        possible (wrong state, a prerequisite not done) or, with ``strict`` (the default), too early for a
        legal minimum ("at least 10 days", "not earlier than"). ``strict=False`` records facts as they
        happened and leaves legal periods to the compliance check.
        """
        if at is None:
            raise TypeError("record() needs 'at': the date or datetime when it happened")
        try:
            kind = EventType(str(event).strip().lower())
        except ValueError:
            known = ", ".join(e.value for e in EventType)
            unknown = Message(
                _("unknown event {event}; known events: {known}"), event=repr(event), known=known
            )
            raise IllegalTransitionError(str(unknown), step=step, reason=unknown) from None
        try:
            i = self._step_index(step)
        except KeyError as exc:
            raise IllegalTransitionError(
                str(exc.args[0]), step=step, event=kind.value, reason=getattr(exc, "reason", None)
            ) from None
        moment = self._moment(at, step, kind)
        day = self._proc.local_date(moment)
        # the shared lifecycle machine decides: a transition it lacks, or a condition that says no
        model = _StepModel(self, i, self._tracker.state[i])
        if shared().fire(model, kind, day=day, strict=strict) is not Fired.MOVED:
            reasons, earliest, _waiting = self._tracker.problems(
                i, kind, day, strict=strict, start=self._start
            )
            if not reasons:
                reasons = [Message(_("{head} now"), head=_cannot(step, kind))]
            allowed = self.allowed(day)
            message = joined(*_between(reasons, "; "), ". ", self._allowed_text(day, allowed))
            raise IllegalTransitionError(
                str(message),
                step=step,
                event=kind.value,
                allowed=[(t.step, t.event.value) for t in allowed],
                earliest=earliest,
                reason=message,
            )
        self._tracker.apply(i, kind, day, state=StepState(model.state))
        given = has_time(at) if timed is None else timed
        recorded = Event(step=step, event=kind, at=moment, by=by, note=note, url=url, timed=given)
        self._history.append(recorded)
        return recorded

    def _replay(self, events: Iterable[Event]) -> None:
        problems: list[Problem] = []
        for day, k, event in _sorted(self._proc, list(events)):
            i = self._proc.index.get(event.step)
            if i is None:
                problems.append(
                    Problem.of(Message(_("event {n}: unknown step {step}"), n=k + 1, step=repr(event.step)))
                )
                continue
            reason = self._refusal(i, event.event, day, False)
            if reason is not None:
                what = Message(_("{action} {step}"), action=action_word(event.event), step=event.step)
                said = Message(_("event {n} ({what}): {reason}"), n=k + 1, what=what, reason=reason)
                problems.append(Problem.of(said))
                if (self._tracker.state[i], event.event) not in self._tracker.table:
                    continue
            self._tracker.apply(i, event.event, day)
            self._history.append(event)
        if problems:
            raise EventLogError(problems, self._name)

    # --- what may happen next ---------------------------------------------------------------------

    def _as_of(self, as_of: dt.datetime | dt.date) -> dt.date:
        require_day(as_of, "as_of=", times=True)
        return self._proc.local_date(as_of)

    def allowed(self, as_of: dt.datetime | dt.date) -> list[Transition]:
        """The transitions possible on ``as_of`` (legal minimums included), in template order."""
        day = self._as_of(as_of)
        out: list[Transition] = []
        tracker = self._tracker
        for i, sid in enumerate(self._proc.ids):
            state = tracker.state[i]
            for kind in EventType:
                if (state, kind) not in tracker.table:
                    continue
                reasons, _earliest, _waiting = tracker.problems(i, kind, day, strict=True, start=self._start)
                if not reasons:
                    latest = tracker.latest(i, self._start) if kind is not EventType.SKIP else None
                    out.append(
                        Transition(
                            sid,
                            kind,
                            earliest=tracker.opened[i] if state is StepState.OPEN else None,
                            latest=latest,
                        )
                    )
        return out

    def blocked(self, as_of: dt.datetime | dt.date) -> list[BlockedTransition]:
        """The transitions of unfinished steps that are not possible on ``as_of``, each with why."""
        day = self._as_of(as_of)
        out: list[BlockedTransition] = []
        tracker = self._tracker
        for i, sid in enumerate(self._proc.ids):
            state = tracker.state[i]
            for kind in (EventType.OPEN, EventType.COMPLETE):
                if (state, kind) not in tracker.table:
                    continue
                reasons, earliest, waiting = tracker.problems(i, kind, day, strict=True, start=self._start)
                if reasons:
                    message = joined(*_between(reasons, "; "))
                    out.append(BlockedTransition(sid, kind, str(message), earliest, waiting, message))
        return out

    # --- checks and persistence -------------------------------------------------------------------

    def check(self, as_of: dt.datetime | dt.date | None = None) -> Report:
        """The compliance report of this instance's history (see :func:`civicflow.compliance.check`)."""
        from civicflow.compliance._check import Checker

        return Checker(self._proc).check(self._history, start=self._start, as_of=as_of)

    def to_json(self) -> dict[str, Any]:
        """The versioned JSON form; :meth:`from_json` restores it by replaying the events."""
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "template": self.template.id,
            "template_version": self.template.version,
            "start": self._start.isoformat(),
            "name": self._name,
            "events": [e.to_dict() for e in self._history],
        }

    @classmethod
    def from_json(
        cls,
        data: dict[str, Any],
        template: ProcessTemplate,
        calendar: WorkingCalendar | None = None,
    ) -> ProcessInstance:
        """Restore an instance from :meth:`to_json` output, replaying its history.

        Raises :class:`EventLogError` when the data is not an instance of this template or its history
        is not possible.
        """
        problems: list[Problem] = []
        if not isinstance(data, dict):
            raise EventLogError([Problem(f"an instance is a JSON object, not {type(data).__name__}")])
        if data.get("format") != FORMAT:
            problems.append(
                Problem(f"format is {data.get('format')!r}, expected {FORMAT!r}", path=("format",))
            )
        if data.get("version") != FORMAT_VERSION:
            problems.append(
                Problem(
                    f"version {data.get('version')!r} is not supported; this civicflow reads version "
                    f"{FORMAT_VERSION}",
                    path=("version",),
                )
            )
        if data.get("template") != template.id:
            problems.append(
                Problem(
                    f"the instance follows template {data.get('template')!r}, not {template.id!r}",
                    path=("template",),
                )
            )
        start: dt.date | None = None
        try:
            start = dt.date.fromisoformat(str(data.get("start")))
        except ValueError:
            problems.append(
                Problem(f"start {data.get('start')!r} is not a date (YYYY-MM-DD)", path=("start",))
            )
        events: list[Event] = []
        tz_name = (calendar if calendar is not None else compiled(template).calendar).timezone
        raw_events = data.get("events") or []
        if not isinstance(raw_events, list):
            problems.append(Problem("events must be a list", path=("events",)))
            raw_events = []
        for k, record in enumerate(raw_events):
            try:
                if not isinstance(record, dict):
                    raise ValueError("an event is an object with step, event and date")
                events.append(Event.from_dict(record, timezone=tz_name))
            except ValueError as exc:
                problems.append(Problem(str(exc), path=("events", k)))
        if problems or start is None:
            raise EventLogError(problems)
        name = data.get("name")
        return cls.from_events(
            template,
            start=start,
            events=events,
            calendar=calendar,
            name=str(name) if name is not None else None,
        )

    @classmethod
    def from_events(
        cls,
        template: ProcessTemplate,
        *,
        start: dt.date,
        events: Iterable[Event],
        calendar: WorkingCalendar | None = None,
        name: str | None = None,
    ) -> ProcessInstance:
        """An instance with ``events`` replayed in the order they happened (by local day, then as given).

        Facts are recorded as they happened (legal periods are left to :meth:`check`); an impossible
        order raises :class:`EventLogError` listing every problem.
        """
        instance = cls(template, start=start, calendar=calendar, name=name)
        instance._replay(events)
        return instance
