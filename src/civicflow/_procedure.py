"""A template compiled once for instances and compliance checks: step index, prerequisites, rules, calendar.

Everything here is shared by all instances of a template, so that following or checking one instance is a
few list and dict operations. Legal periods are memoised per (rule, anchor day) on the procedure object.
It sits below both :mod:`civicflow.instance` and :mod:`civicflow.compliance`, which read the same rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from civicflow._cache import IdentityCache
from civicflow.calendar import Deadline, Reading, WorkingCalendar
from civicflow.calendar._range import require_in_range
from civicflow.dates import zone
from civicflow.durations import Duration, DurationUnit
from civicflow.i18n import _
from civicflow.messages import Message, Param, Wording
from civicflow.template import START, ProcessTemplate, RelativeRule, RuleKind, Stage, Step, rule_message

__all__ = ["COMPILED_CACHE_SIZE", "Prereq", "Procedure", "RuleInfo", "calendar_for", "compiled"]

COMPILED_CACHE_SIZE = 64
"""How many compiled templates :func:`compiled` keeps (the least recently used is dropped first)."""

Need = Literal["open", "done"]


def calendar_for(template: ProcessTemplate) -> WorkingCalendar:
    """The working-day calendar of a template's jurisdiction, with its local calendar layers."""
    return template.working_calendar()


@dataclass(frozen=True, slots=True)
class Prereq:
    """Step ``step`` must be opened (``need='open'``) or done/skipped (``'done'``) first."""

    step: int
    need: Need
    why: str
    lag: Duration | None = None
    reason: Message | None = None  # ``why`` as a message, worded in any language


def describe_rule(rule: RelativeRule) -> str:
    """``within 3 working days after the end of meeting_1``: :func:`~civicflow.template.rule_message` in
    English (``rule_message(rule).render(translator)`` words it in another language)."""
    return str(rule_message(rule))


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A legal rule carried by a step, resolved against the template."""

    index: int
    step: int
    rule: RelativeRule
    of: int | None  # None: the process start
    text: str
    reference: str | None  # the citation
    reading: Reading
    unit: str  # "working days" or "days"
    dependents: tuple[int, ...] = ()  # for at_least: steps that wait for the period to end
    day_ends: dt.time | None = None  # within rules: an institution's working day ends the last day
    wording: Param = ""  # the rule in words in any language (``text`` is its English form)

    @property
    def kind(self) -> RuleKind:
        return self.rule.rule


def _unit(duration: Duration, code: str | None = None) -> str:
    """The unit a rule's lateness is counted in: working days for working-day rules and for days counted
    under a procedural code (e.g. Civil Procedure Code of the RF art. 107(3))."""
    if duration.unit is DurationUnit.WORKING_DAYS:
        return "working days"
    if code is not None and duration.unit is DurationUnit.DAYS and not duration.calendar_days:
        return "working days"
    return "days"


def _depends(j: int, step: str, lag: Duration | None, via: str | None) -> Prereq:
    """Step ``j`` must be done first: a ``depends_on`` of the step, or of its stage ``via``."""
    if via is None:
        why = Message(_("depends on {step}"), step=step)
    else:
        why = Message(_("stage {stage} depends on {step}"), stage=via, step=step)
    return Prereq(j, "done", str(why), lag, why)


def _counts_from(of: int, step: str, anchor: str) -> Prereq:
    """A rule counts from the start (step ``of`` opened) or the end (done) of another step."""
    if anchor == "start":
        why = Message(_("counts from the start of {step}"), step=step)
        return Prereq(of, "open", str(why), None, why)
    why = Message(_("counts from the end of {step}"), step=step)
    return Prereq(of, "done", str(why), None, why)


def _with_dependents(rules: Sequence[RuleInfo], prereqs: Sequence[Sequence[Prereq]]) -> tuple[RuleInfo, ...]:
    """``rules`` with, for "at least N" periods, the steps that wait for the period's end (those that need
    the rule's step done)."""
    waiting: dict[int, list[int]] = {}
    for i, plist in enumerate(prereqs):
        for p in plist:
            if p.need == "done":
                waiting.setdefault(p.step, []).append(i)
    return tuple(
        replace(r, dependents=tuple(sorted(set(waiting.get(r.step, ())))))
        if r.kind is RuleKind.AT_LEAST
        else r
        for r in rules
    )


class Procedure:
    """A template prepared for following instances: the same object serves any number of them."""

    def __init__(self, template: ProcessTemplate, calendar: WorkingCalendar | None = None) -> None:
        self.template = template
        self.calendar = calendar if calendar is not None else calendar_for(template)
        steps = list(template.iter_steps())
        self.ids: tuple[str, ...] = tuple(step.id for _, step in steps)
        self.index: dict[str, int] = {sid: i for i, sid in enumerate(self.ids)}
        self.span: tuple[bool, ...] = tuple(step.is_span for _, step in steps)
        self.titles: tuple[str, ...] = tuple(template.text(step.title) for _, step in steps)
        self._stages(template, steps)

        prereqs, rules = self._prerequisites_and_rules(template, steps)
        # de-duplicate prerequisites (a depends_on and a rule often name the same step)
        self.prereqs: tuple[tuple[Prereq, ...], ...] = tuple(tuple(_dedupe(p)) for p in prereqs)
        self.rules: tuple[RuleInfo, ...] = _with_dependents(rules, self.prereqs)
        self.rules_of: tuple[tuple[RuleInfo, ...], ...] = tuple(
            tuple(r for r in self.rules if r.step == i) for i in range(len(self.ids))
        )
        # steps whose start must wait for an "at least" period of another step to end
        periods_before: list[list[RuleInfo]] = [[] for _ in self.ids]
        for r in self.rules:
            for d in r.dependents:
                periods_before[d].append(r)
        self.periods_before: tuple[tuple[RuleInfo, ...], ...] = tuple(tuple(x) for x in periods_before)
        self._after: dict[tuple[int, dt.date], Deadline] = {}
        self._before: dict[tuple[int, dt.date, Reading], Deadline] = {}
        self._lag: dict[tuple[Duration, dt.date], dt.date] = {}
        self._zone = zone(self.calendar.timezone)
        self.needs_times = any(r.day_ends is not None for r in self.rules)

    def _stages(self, template: ProcessTemplate, steps: Sequence[tuple[Stage, Step]]) -> None:
        """The stages: every step a stage contains (nested stages included), and each step's innermost
        stage."""
        contains: dict[str, list[int]] = {}
        self.top_stages: tuple[str, ...] = tuple(s.id for s in template.stages)
        self.stage_titles: dict[str, str] = {}
        for parents, stage in template.iter_stages():
            self.stage_titles[stage.id] = template.text(stage.title)
            for sid in (*parents, stage.id):
                contains.setdefault(sid, []).extend(self.index[s.id] for s in stage.steps)
        self.stage_steps: dict[str, tuple[int, ...]] = {k: tuple(sorted(set(v))) for k, v in contains.items()}
        stage_of: list[str] = [""] * len(self.ids)
        for stage, step in steps:
            stage_of[self.index[step.id]] = stage.id
        self.stage_of: tuple[str, ...] = tuple(stage_of)

    def _prerequisites_and_rules(
        self, template: ProcessTemplate, steps: Sequence[tuple[Stage, Step]]
    ) -> tuple[list[list[Prereq]], list[RuleInfo]]:
        """Each step's prerequisites (its own and its stages' ``depends_on``, the step a rule other than
        "no later than" counts from) and the legal rules, in the template's order."""
        citations = {ref.id: ref.citation for ref in template.references}
        prereqs: list[list[Prereq]] = [[] for _ in self.ids]
        rules: list[RuleInfo] = []
        stage_deps: dict[str, list[tuple[str, Duration | None]]] = {}
        for parents, stage in template.iter_stages():
            inherited = [dep for p in parents for dep in stage_deps.get(p, [])]
            stage_deps[stage.id] = inherited + [(d.step, d.lag) for d in stage.depends_on]
        for stage, step in steps:
            i = self.index[step.id]
            deps: list[tuple[str, Duration | None, str | None]] = [
                (d.step, d.lag, None) for d in step.depends_on
            ]
            deps += [(s, lag, stage.id) for s, lag in stage_deps.get(stage.id, [])]
            for target, lag, via in deps:
                prereqs[i].extend(_depends(j, self.ids[j], lag, via) for j in self._resolve(target) if j != i)
            t = step.timing
            if not isinstance(t, RelativeRule):
                continue
            of = None if t.of == START else self.index.get(t.of)
            if t.of != START and of is None:  # a rule counting from a stage: not supported here
                continue
            if t.rule is not RuleKind.NO_LATER_THAN and of is not None:
                prereqs[i].append(_counts_from(of, self.ids[of], t.anchor))
            rules.append(self._rule_info(template, citations, len(rules), i, t, of))
        return prereqs, rules

    def _rule_info(
        self,
        template: ProcessTemplate,
        citations: dict[str, str],
        index: int,
        i: int,
        t: RelativeRule,
        of: int | None,
    ) -> RuleInfo:
        """Rule number ``index``, carried by step ``i`` and counted from step ``of`` (None: the start)."""
        wording: Param = Wording(tuple(t.text.items()), template.language) if t.text else rule_message(t)
        return RuleInfo(
            index=index,
            step=i,
            rule=t,
            of=of,
            text=template.text(t.text) if t.text else str(wording),
            wording=wording,
            reference=citations.get(t.reference) if t.reference else None,
            reading=t.reading or template.jurisdiction.reading,
            unit=_unit(t.duration, t.counted_under or self.calendar.counted_under),
            day_ends=(t.day_ends_at or template.jurisdiction.day_ends_at)
            if t.rule is RuleKind.WITHIN
            else None,
        )

    def _resolve(self, target: str) -> Iterable[int]:
        if target == START:
            return ()
        if target in self.index:
            return (self.index[target],)
        return self.stage_steps.get(target, ())

    # --- legal periods, memoised ------------------------------------------------------------------

    def after(self, rule: RuleInfo, event: dt.date) -> Deadline:
        """``period_after(event, rule.duration)`` for this rule, computed once per anchor day."""
        key = (rule.index, event)
        found = self._after.get(key)
        if found is None:
            r = rule.rule
            found = self.calendar.period_after(
                event,
                r.duration,
                rule=rule.text,
                reference=rule.reference,
                kind=r.period_kind,
                roll=r.roll,
                counted_under=r.counted_under,
            )
            self._after[key] = found
        return found

    def before(self, rule: RuleInfo, event: dt.date, reading: Reading) -> Deadline:
        """``period_before(event, rule.duration, reading=reading)``, computed once per anchor day."""
        key = (rule.index, event, reading)
        found = self._before.get(key)
        if found is None:
            found = self.calendar.period_before(
                event,
                rule.rule.duration,
                reading=reading,
                rule=rule.text,
                reference=rule.reference,
                counted_under=rule.rule.counted_under,
            )
            self._before[key] = found
        return found

    def lagged(self, lag: Duration, event: dt.date) -> dt.date:
        """The first day after ``event`` plus a dependency lag."""
        key = (lag, event)
        found = self._lag.get(key)
        if found is None:
            found = self.calendar.period_after(event, lag).date
            self._lag[key] = found
        return found

    def local_date(self, at: dt.datetime | dt.date) -> dt.date:
        """The calendar day of ``at`` in the jurisdiction's time zone (as ``WorkingCalendar.local_date``,
        with a fast path for aware datetimes)."""
        if isinstance(at, dt.datetime) and at.utcoffset() is not None:
            try:
                return at.astimezone(self._zone).date()
            except OverflowError:  # a moment within hours of year 1 or 9999: outside any calendar
                require_in_range(self.calendar, at, "the time")
                raise
        return self.calendar.local_date(at)

    def local_time(self, at: dt.datetime | dt.date) -> dt.time | None:
        """The local time of day of ``at`` in the jurisdiction's zone; ``None`` for a date."""
        if not isinstance(at, dt.datetime):
            return None
        if at.utcoffset() is not None:
            return at.astimezone(self._zone).time()
        return at.time()

    def late_by(self, unit: str, deadline: dt.date, actual: dt.date) -> int:
        """How far ``actual`` is after ``deadline``, in working days or days."""
        if unit == "working days":
            return self.calendar.working_days_between(deadline, actual)
        return (actual - deadline).days

    def names(self, indices: Sequence[int]) -> str:
        """Step ids joined with commas."""
        return ", ".join(self.ids[i] for i in indices)


def _dedupe(prereqs: list[Prereq]) -> list[Prereq]:
    seen: dict[tuple[int, str], Prereq] = {}
    for p in prereqs:
        key = (p.step, p.need)
        if key not in seen or (p.lag is not None and seen[key].lag is None):
            seen[key] = p
    return list(seen.values())


_compiled: IdentityCache[ProcessTemplate, Procedure] = IdentityCache(COMPILED_CACHE_SIZE, Procedure)


def compiled(template: ProcessTemplate) -> Procedure:
    """The procedure of ``template`` with its jurisdiction's calendar, compiled once and shared by every
    instance, check and summary of that template object (kept for the :data:`COMPILED_CACHE_SIZE` most
    recently used templates)."""
    return _compiled(template)
