"""``plan()``: template + anchor dates + calendar -> :class:`~civicflow.schedule.Schedule`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping

from civicflow._argcheck import require_day
from civicflow._cache import IdentityCache
from civicflow._suggest import closest
from civicflow.calendar import Deadline, Reading, Roll, WorkingCalendar
from civicflow.calendar._range import require_in_range
from civicflow.durations import Duration
from civicflow.errors import CivicflowError, PlanInputError
from civicflow.i18n import Translator
from civicflow.i18n import _ as N_
from civicflow.messages import Count, Message, Param, Wording, joined, word
from civicflow.planner._build import Built, Pin, StepInfo, build, shift
from civicflow.planner._graph import Bound, CycleError, E, Graph, Kind, Order, S
from civicflow.planner._recurrence import occurrence_windows, occurrences
from civicflow.schedule import Later, PlanFinding, Schedule, ScheduledStage, ScheduledStep, Severity
from civicflow.template import (
    DateRange,
    DurationSpan,
    ExactDate,
    ProcessTemplate,
    RelativeRule,
    RuleKind,
    Window,
    rule_message,
)

__all__ = ["default_calendar", "latest_line", "plan"]

_ONE = dt.timedelta(days=1)

# the topological order of each template's last plan: the next plan of the same template, whose edges join
# the same points in the same order, takes it instead of sorting again (Graph.sort compares the edges)
_orders: IdentityCache[ProcessTemplate, list[Order | None]] = IdentityCache(32, lambda _: [None])


def default_calendar(template: ProcessTemplate) -> WorkingCalendar:
    """The working-day calendar of the template's jurisdiction with its ``calendar`` layers as overlays."""
    return template.working_calendar()


_SHOWN = 10  # known step ids an unknown-id message lists before "and N more"


def _check_fixed(template: ProcessTemplate, fixed: Mapping[str, Pin]) -> None:
    known = [s.id for _, s in template.iter_steps()]
    known_set = set(known)
    unknown = [k for k in fixed if k not in known_set]
    if not unknown:
        return
    parts: list[Param] = []
    suggested: list[str] = []
    for key in unknown:
        close = closest(key, known, cutoff=0.5)
        if parts:
            parts.append(", ")
        if close:
            guess = N_("{step} (did you mean {close}?)")
            parts.append(Message(guess, step=repr(key), close=", ".join(close)))
        else:
            parts.append(repr(key))
        suggested.extend(c for c in close if c not in suggested)
    ordered = [*suggested, *(k for k in known if k not in suggested)]
    listed: Param = ", ".join(ordered[:_SHOWN])
    if len(ordered) > _SHOWN:
        listed = Message(
            N_("{steps}, ... ({n} in all; `civicflow show {template}` lists them)"),
            steps=listed,
            n=str(len(ordered)),
            template=template.id,
        )
    if len(unknown) == 1:
        said = N_("name an unknown step: {steps}; known steps: {known}")
    else:
        said = N_("name unknown steps: {steps}; known steps: {known}")
    # the library's English as before; the command line words it in its language, naming --fix
    after = joined(" ", Message(said, steps=joined(*parts), known=listed))
    raise PlanInputError(Message(N_("the fixed dates")), argument="fixed", after=after)


def plan(
    template: ProcessTemplate,
    *,
    start: dt.date | None = None,
    fixed: Mapping[str, Pin] | None = None,
    calendar: WorkingCalendar | None = None,
) -> Schedule:
    """Date every step and stage of ``template`` for a process that starts on ``start``.

    ``start`` defaults to the template's own ``start``; without either, :class:`PlanInputError`. A template
    that fixes its own start is not moved: another ``start`` is a :class:`PlanInputError`.
    ``fixed`` pins steps to days (``{"meeting_3": date(2025, 12, 4)}``; a span that happened may be given
    its first and last days as a pair) and tightens their neighbours; an unknown id is a
    :class:`PlanInputError` listing the known ids, closest first. Fixed days, and the days a template
    dates itself, are facts: the plan shows them as they are, and a rule they break is an ERROR finding
    that names the steps and the rule, never a moved day. ``calendar``
    defaults to :func:`default_calendar`. The function is pure: no clock, no I/O.

    Semantics (docs/planning.md): finish-to-start dependencies (a step starts the day after each
    dependency ends, plus its lag); month windows resolved against the start; legal rules computed with
    the calendar's ``period_after`` / ``period_before``; a forward pass for earliest days and a backward
    pass for latest days (critical path method), then one more forward pass for deadlines that count from
    a day the backward pass moved, and a last backward pass. Constraints that cannot all hold become
    ERROR findings, never exceptions. A day given as anything but a :class:`datetime.date` (text such as
    ``"2025-10-06"``) is a :class:`~civicflow.errors.DayTypeError` saying what to write.
    """
    require_day(start, "start=", optional=True)
    if start is not None and template.start is not None and start != template.start:
        raise PlanInputError(
            Message(
                N_(
                    "{template} fixes its own start, {own}, and dates its steps from it; a start of {start} "
                    "would move them silently. Leave the start out"
                ),
                template=template.id,
                own=template.start.isoformat(),
                start=start.isoformat(),
            ),
            argument="start",
            after=joined(" ", Message(N_("or give the template's own"))),
        )
    begin = start if start is not None else template.start
    if begin is None:
        raise PlanInputError(
            Message(N_("{template} has no fixed start: give the process start"), template=template.id),
            argument="start",
        )
    pins = dict(fixed or {})
    for step_id, pin in pins.items():
        for day in pin if isinstance(pin, tuple) else (pin,):
            require_day(day, f"fixed[{step_id!r}]")
    _check_fixed(template, pins)
    cal = calendar if calendar is not None else default_calendar(template)
    require_in_range(cal, begin, "the start")
    for step_id, pin in pins.items():
        for day in pin if isinstance(pin, tuple) else (pin,):
            require_in_range(cal, day, f"the fixed day of {step_id}")
    if template.end is not None:
        end: dt.date | None = template.end
    elif template.duration is not None:
        end = shift(cal, begin, template.duration) - _ONE
    else:
        end = None
    built = build(template, begin, end, pins, cal)
    g = built.graph
    try:
        last = _orders(template)
        last[0] = g.sort(last[0])
    except CycleError as exc:
        raise PlanInputError(
            Message(
                N_(
                    "the rules and dependencies of these steps wait for each other in a cycle: {steps}; "
                    "remove one of them"
                ),
                steps=", ".join(n for n in exc.names if not n.startswith("stage ")),
            )
        ) from None
    g.forward()
    g.backward()
    g.forward(lower=False)
    g.backward()
    return _with_regime(_read(template, built, cal, begin, end), cal)


def _with_regime(schedule: Schedule, cal: WorkingCalendar) -> Schedule:
    """A plan that relies on a regime that may change (UA martial law) says so: a WARNING when it reaches
    past the end of martial law the user gave, an INFO when it assumes martial law continues over a
    suspended holiday (WorkingCalendar.regime_notes)."""
    notes = cal.regime_messages(schedule.start, schedule.end)
    if not notes:
        return schedule
    found = []
    for note in notes:
        said = Message(
            N_("the plan from {first} to {last} {note}"),
            first=schedule.start,
            last=schedule.end,
            note=note,
        )
        severity = Severity.WARNING if str(note).startswith("counts on") else Severity.INFO
        found.append(PlanFinding(severity, str(said), reason=said))
    return dataclasses.replace(schedule, findings=(*schedule.findings, *found))


def _words(template: ProcessTemplate, text: Mapping[str, str] | None, english: str) -> Param:
    """A template's text in every language it gives (``english`` is what English shows: the text, or a
    stand-in when the template gives none)."""
    if not text:
        return english
    return Wording(tuple(text.items()), template.language)


def _rule_text(template: ProcessTemplate, rule: RelativeRule) -> Param:
    """The rule in words: the template's own text (in every language it gives) or the describer's."""
    if rule.text:
        return Wording(tuple(rule.text.items()), template.language)
    return rule_message(rule, short=True)


def _range(a: dt.date, b: dt.date) -> Param:
    """``a .. b`` (``2025-10-06 Mon .. 2025-10-30 Thu``, each day worded by the one day formatter in the
    reader's language), or ``a`` alone when the days are the same; callers pass ``a <= b``."""
    return a if a == b else joined(a, " .. ", b)


def _read(
    template: ProcessTemplate, built: Built, cal: WorkingCalendar, begin: dt.date, end: dt.date | None
) -> Schedule:
    g = built.graph
    findings: list[PlanFinding] = []
    findings.extend(_broken(template, g, built, cal))
    infeasible = _infeasible(g)
    findings.extend(_conflicts(g, built, infeasible))
    critical = _critical_path(g, built)
    crit_set = set(critical)
    steps: list[ScheduledStep] = []
    words = _Words(template, built, cal)
    for info in built.steps:
        steps.append(_scheduled(template, built, cal, info, info.step.id in crit_set, findings, words))
    stages = _stages(template, built, steps, begin, findings)
    last = max((s.end for s in steps), default=begin)
    return Schedule(
        process=template.id,
        start=begin,
        end=end if end is not None else last,
        steps=tuple(steps),
        stages=tuple(stages),
        findings=tuple(findings),
        critical_path=tuple(critical),
        fixed={k: v[0] if isinstance(v, tuple) else v for k, v in built.fixed.items()},
        language=template.language,
    )


def _infeasible(g: Graph) -> set[int]:
    bad: set[int] = set()
    for k, (lo, hi) in enumerate(zip(g.lo_day, g.hi_day, strict=True)):
        if lo is not None and hi is not None and lo > hi:
            bad.add(k // 2)
    return bad


def _conflicts(g: Graph, built: Built, bad: set[int]) -> list[PlanFinding]:
    """One ERROR per conflict, reported where the earliest days pushed forward meet a latest day: the
    first step in conflict whose earliest day comes from another step, and any other whose earliest day
    comes from a step that is not itself in conflict."""
    step_nodes = {info.node: info for info in built.steps}
    reported: list[int] = []
    candidates = [i for i in g.order if i in bad and i in step_nodes]
    for i in candidates:
        src = _conflict_point(g, i)[0].source
        if src is None:
            continue
        if not reported or src not in bad:
            reported.append(i)
    if not reported:
        reported = candidates
    out: list[PlanFinding] = []
    for i in reported:
        lo, hi = _conflict_point(g, i)
        info = step_nodes[i]
        chain = [info.step.id]
        for src in (hi.source, lo.source):
            if src is not None and src in step_nodes and step_nodes[src].step.id not in chain:
                chain.append(step_nodes[src].step.id)
        rules = []
        t = info.step.timing
        if isinstance(t, RelativeRule):
            rules.append(f"{t.rule.value} {t.duration} {t.of}")
        facts = tuple(sid for sid in chain if g.fact[2 * built.by_id[sid].node])
        said = Message(
            N_("{step} must be by {latest} ({why_latest}) but cannot be before {earliest} ({why_earliest})"),
            step=info.step.id,
            latest=hi.day,
            why_latest=hi.why_message,
            earliest=lo.day,
            why_earliest=lo.why_message,
        )
        out.append(
            PlanFinding(
                Severity.ERROR, str(said), steps=tuple(chain), rules=tuple(rules), facts=facts, reason=said
            )
        )
    return out


def _node_name(built: Built, node: int) -> Param:
    """A node as findings name it: a step id, ``stage X`` or ``the process start``."""
    name = built.graph.names[node]
    if node == built.start_node:
        return Message(N_("the process start"))
    if name.startswith("stage ") and name.endswith((" (start)", " (end)")):
        return Message(N_("stage {stage}"), stage=name[6:].removesuffix(" (start)").removesuffix(" (end)"))
    return name


def _gap(cal: WorkingCalendar, a: dt.date, b: dt.date, dur: Duration | None) -> Count:
    """How far ``b`` is after ``a``, in the unit of ``dur`` (working days, else days)."""
    if dur is not None and dur.unit.value == "working_days":
        try:
            n = cal.working_days_between(a, b)
        except CivicflowError:
            n = None
        if n is not None:
            return Count(abs(n), "working day", "working days")
    n = (b - a).days
    return Count(abs(n), "day", "days")


def _broken(template: ProcessTemplate, g: Graph, built: Built, cal: WorkingCalendar) -> list[PlanFinding]:
    """One ERROR per constraint that a fact (a fixed day, a recorded event, a day the template dates)
    breaks: the fact stays on its day and the finding names the steps, the rule and the gap."""
    step_nodes = {info.node: info for info in built.steps}
    out: list[PlanFinding] = []
    for k, info, day, want, frm, back in _broken_facts(g, step_nodes):
        sid = info.step.id
        phrase = g.why_message(2 * k + (1 if back else 0), frm)
        if want > day:
            tail = Message(
                N_("the rules put {step} on {day} at the earliest ({why})"),
                step=sid,
                day=want,
                why=phrase,
            )
        else:
            tail = Message(N_("the rules want {step} by {day} ({why})"), step=sid, day=want, why=phrase)
        src, dst = g.e_s[k] >> 1, g.e_d[k] >> 1
        rule_info = step_nodes.get(src if g.e_kind[k] == Kind.NO_LATER else dst)
        rules, said = _rule_words(template, built, rule_info, g.e_kind[k])
        what = _gap_words(g, cal, k, _node_name(built, src), _node_name(built, dst), said)
        rest = joined(what, "; ", tail) if what is not None else joined(tail, said)
        if sid in built.fixed:
            message = Message(N_("{step} is fixed on {day}: {rest}"), step=sid, day=day, rest=rest)
        else:
            message = Message(
                N_("{step} is dated by the template on {day}: {rest}"),
                step=sid,
                day=day,
                rest=rest,
            )
        chain = [sid]
        for other in (src, dst):
            o = step_nodes.get(other)
            if o is not None and o.step.id not in chain:
                chain.append(o.step.id)
        facts = tuple(x for x in chain if g.fact[2 * built.by_id[x].node])
        out.append(
            PlanFinding(
                Severity.ERROR,
                str(message),
                steps=tuple(chain),
                rules=tuple(rules),
                facts=facts,
                reason=message,
            )
        )
    return out


def _broken_facts(
    g: Graph, step_nodes: Mapping[int, StepInfo]
) -> Iterator[tuple[int, StepInfo, dt.date, dt.date, dt.date, bool]]:
    """The constraints a fact breaks that are told here, in edge order: (edge, the fact's step, its day,
    the day the edge asks for, the day it counts from, whether the backward pass found it)."""
    for k, (pt, want, frm, back) in sorted(g.broken.items(), key=lambda kv: kv[0]):
        info = step_nodes.get(pt >> 1)
        if info is None:
            continue
        day = g.lo_day[pt]
        assert day is not None
        other_pt = g.e_s[k] if g.e_d[k] == pt else g.e_d[k]
        if back and not g.fact[other_pt]:
            # a latest day carried back from a step that is not a fact: the forward pass meets the same
            # conflict where it starts (at a later fact, or at a step in conflict), so it is told there
            continue
        o_lo, o_hi = g.lo_day[other_pt], g.hi_day[other_pt]
        if (other_pt >> 1) in step_nodes and o_lo is not None and o_hi is not None and o_lo > o_hi:
            continue  # the other end is a step in conflict itself: _conflicts reports the chain there
        yield k, info, day, want, frm, back


def _rule_words(
    template: ProcessTemplate, built: Built, rule_info: StepInfo | None, kind: int
) -> tuple[list[str], Param]:
    """The legal rule an edge comes from, as the finding lists it and as the sentence quotes it."""
    rule = rule_info.step.timing if rule_info is not None else None
    if not isinstance(rule, RelativeRule) or kind < Kind.WITHIN_S:
        return [], ""
    wording = _rule_text(template, rule)
    ref = built.citations.get(rule.reference) if rule.reference else None
    if ref:
        return [f"{wording} ({ref})"], joined(" (", wording, " (", ref, "))")
    return [str(wording)], joined(" (", wording, ")")


def _gap_words(g: Graph, cal: WorkingCalendar, k: int, a: Param, b: Param, said: Param) -> Message | None:
    """What edge ``k``'s two days are apart and what its rule asks, or None when that says nothing."""
    s_day, d_day = g.lo_day[g.e_s[k]], g.lo_day[g.e_d[k]]
    if s_day is None or d_day is None:
        return None
    kind, dur = g.e_kind[k], g.e_dur[k]
    gap = _gap(cal, s_day, d_day, dur)
    days: dict[str, Param] = {"first": a, "first_day": s_day, "then": b, "then_day": d_day}
    if kind == Kind.NO_LATER and d_day > s_day:
        return Message(
            N_("{first} on {first_day} is {gap} before {then} on {then_day}, the rule asks {duration}{rule}"),
            gap=gap,
            duration=dur or "",
            rule=said,
            **days,
        )
    if kind == Kind.WITHIN_E:
        return Message(
            N_(
                "{then} on {then_day} is {gap} after {first} on {first_day}, the rule allows {duration}{rule}"
            ),
            gap=gap,
            duration=dur or "",
            rule=said,
            **days,
        )
    if kind in (Kind.AT_LEAST_E, Kind.NOT_EARLIER) and d_day >= s_day:
        return Message(
            N_(
                "{then} on {then_day} is {gap} after {first} on {first_day}, the rule asks at least "
                "{duration}{rule}"
            ),
            gap=gap,
            duration=dur or "",
            rule=said,
            **days,
        )
    if kind in (Kind.DEP, Kind.WITHIN_S, Kind.AT_LEAST_S, Kind.NO_LATER):
        lag: Param = joined(" + ", dur) if kind == Kind.DEP and dur else ""
        return Message(
            N_("{then} on {then_day} does not come after {first} on {first_day}{lag}{rule}"),
            lag=lag,
            rule=said,
            **days,
        )
    return None


def _conflict_point(g: Graph, i: int) -> tuple[Bound, Bound]:
    """The lower and upper bound that cross (the start first, then the end)."""
    for p in (S, E):
        lo, hi = g.lo(i, p), g.hi(i, p)
        if lo is not None and hi is not None and lo.day > hi.day:
            return lo, hi
    raise AssertionError("node is not in conflict")


def _critical_path(g: Graph, built: Built) -> list[str]:
    """The chain of steps that sets the planned end: from the step that ends last, back through the
    steps that set each earliest day."""
    step_nodes = {info.node: info.step.id for info in built.steps}
    lo_day, lo_src = g.lo_day, g.lo_src
    best: int | None = None
    best_day: dt.date | None = None
    for info in built.steps:
        e = lo_day[2 * info.node + E]
        if e is None:
            continue
        if best_day is None or e >= best_day:
            best, best_day = info.node, e
    path: list[str] = []
    seen: set[int] = set()
    cur = best
    while cur is not None and cur not in seen:
        seen.add(cur)
        if cur in step_nodes:
            path.append(step_nodes[cur])
        e_src = lo_src[2 * cur + E] if lo_day[2 * cur + E] is not None else -1
        nxt: int | None = e_src if e_src >= 0 else None
        if nxt is None or nxt in seen:
            s_src = lo_src[2 * cur + S]
            nxt = s_src if lo_day[2 * cur + S] is not None and s_src >= 0 else None
        cur = nxt
    path.reverse()
    return path


def _scheduled(
    template: ProcessTemplate,
    built: Built,
    cal: WorkingCalendar,
    info: StepInfo,
    critical: bool,
    findings: list[PlanFinding],
    words: _Words,
) -> ScheduledStep:
    """One step read back from the solved graph: its days (or the window still open), the warnings about
    its pinned days, its deadline and its occurrences. Its legal periods and the words of how each day
    was reached are worked out when first read (:class:`_Words`)."""
    g = built.graph
    step = info.step
    n = info.node
    timing = step.timing
    # the days straight from the graph's rows (a Bound, with its reason, is for the words)
    es, ls = g.lo_day[2 * n + S], g.hi_day[2 * n + S]
    assert es is not None
    pinned = step.id in built.fixed
    start, finish, window = _days(built, info, pinned)
    finish_before_period = finish
    _window_findings(template, info, start, pinned, findings)
    if pinned and g.workday[n] and not cal.is_working_day(start):
        said = Message(
            N_("{step} is fixed on {day}, {day_off}, though it is proposed on working days"),
            step=step.id,
            day=start,
            day_off=cal._describe_day_off(start),
        )
        findings.append(PlanFinding(Severity.WARNING, str(said), steps=(step.id,), reason=said))
    deadline: dt.date | None = None
    period_end: dt.date | None = None
    next_from: dt.date | None = None
    if isinstance(timing, RelativeRule) and info.anchor is not None:
        deadline, period_end = _rule_days(template, built, cal, info, timing)
        if period_end is not None:
            next_from = period_end + _ONE
            if not g.fact[2 * n + E]:  # a recorded end stays where it is; a rule it breaks is a finding
                finish = max(finish, period_end)
    occ: tuple[dt.date, ...] = ()
    occ_windows: tuple[tuple[dt.date, dt.date], ...] = ()
    recurrence_words: Message | None = None
    if step.recurrence is not None:
        occ, recurrence_words = occurrences(step.recurrence, start, finish, cal, template)
        occ_windows = occurrence_windows(step.recurrence, occ, finish)
    words.add(info, finish_before_period, recurrence_words)
    slack = (ls - es).days if ls is not None else None
    return ScheduledStep(
        id=step.id,
        stage=info.stage.id,
        stage_path=info.path,
        kind=step.kind.value,
        title=dict(step.title),
        start=start,
        end=finish,
        span=not g.point[n],
        window=window,
        fixed=pinned,
        deadline=deadline,
        period_end=period_end,
        next_from=next_from,
        earliest=es,
        latest=ls,
        slack=slack,
        critical=critical,
        occurrences=occ,
        occurrence_windows=occ_windows,
        depends_on=tuple(d.step for d in step.depends_on),
        responsible=tuple(step.responsible),
        counts_from=timing.of if isinstance(timing, RelativeRule) else None,
        rules=words,
        explanation=words,
        _words=words,
    )


class _Words(Later):
    """The legal periods of a plan's steps and the words of how their days were reached, worked out for
    a step when first read and kept: a plan of 10,000 steps would otherwise spend most of its time
    wording explanations and legal periods nobody reads (a status needs the days, not the words). One
    object serves every step of the plan, so that a large plan leaves few objects for the garbage
    collector to scan. The words are messages: English for ``explanation``, the reader's language for
    :meth:`~civicflow.schedule.ScheduledStep.explain`."""

    __slots__ = ("_days", "_index", "_rules", "built", "cal", "finish", "recurrence", "template")

    def __init__(self, template: ProcessTemplate, built: Built, cal: WorkingCalendar) -> None:
        self.template, self.built, self.cal = template, built, cal
        self._index: dict[str, int] = {}
        self.finish: list[dt.date] = []  # a step's last day before an "at least" period extends it
        self.recurrence: list[Message | None] = []
        self._days: dict[int, tuple[Param, ...]] = {}
        self._rules: dict[int, tuple[tuple[Deadline, ...], tuple[Param | Deadline, ...]]] = {}

    def add(self, info: StepInfo, finish: dt.date, recurrence: Message | None) -> None:
        self._index[info.step.id] = len(self.finish)
        self.finish.append(finish)
        self.recurrence.append(recurrence)

    def value(self, name: str, step: ScheduledStep) -> tuple[Deadline, ...] | tuple[str, ...]:
        return self.rules(step) if name == "rules" else self.words(step, None)

    def days(self, step: ScheduledStep) -> tuple[Param, ...]:
        """How the step's days were reached: fixed or undecided, earliest, latest, its end, its window."""
        i = self._index[step.id]
        hit = self._days.get(i)
        if hit is None:
            info = self.built.steps[i]
            lines = _why_days(self.built, self.cal, info, step.fixed, step.window, step.start, self.finish[i])
            lines.extend(_window_line(self.template, info))
            hit = self._days[i] = tuple(lines)
        return hit

    def _rule_part(self, step: ScheduledStep) -> tuple[tuple[Deadline, ...], tuple[Param | Deadline, ...]]:
        i = self._index[step.id]
        hit = self._rules.get(i)
        if hit is None:
            info = self.built.steps[i]
            timing = info.step.timing
            if isinstance(timing, RelativeRule) and info.anchor is not None:
                found, lines = _rule_periods(self.template, self.built, self.cal, info, timing)
                hit = (tuple(found), tuple(lines))
            else:
                hit = ((), ())
            self._rules[i] = hit
        return hit

    def rules(self, step: ScheduledStep) -> tuple[Deadline, ...]:
        return self._rule_part(step)[0]

    def words(self, step: ScheduledStep, translator: Translator | None) -> tuple[str, ...]:
        """The step's explanation in ``translator``'s language (``None``: English)."""
        recurrence = self.recurrence[self._index[step.id]]
        lines = (
            *self.days(step),
            *self._rule_part(step)[1],
            *((recurrence,) if recurrence is not None else ()),
        )
        built = self.built
        return tuple(
            (_explained(built, line) if translator is None else line.explain(translator))
            if isinstance(line, Deadline)
            else word(line, translator)
            for line in lines
        )


_LATEST = (
    N_("latest {day}: {why}"),
    N_("ends {day}: {why}"),
    N_("ends {day} at the latest: {why}"),
    N_("window '{label}': {range}"),
)


def latest_line(step: ScheduledStep) -> Param:
    """The line of ``step``'s explanation that says how late it may happen: its latest day and why, else
    how its end was reached, else its window ("" when none says so); the outlook quotes it. Only the
    lines about the step's days are worked out, not its legal periods."""
    words = step._words
    if isinstance(words, _Words):
        for line in words.days(step):
            if isinstance(line, Message) and line.id in _LATEST:
                return line
        return ""
    for text in step.explanation:  # a step made by hand: its explanation is text
        if text.startswith(("latest ", "window ", "ends ")):
            return text
    return ""


def _days(built: Built, info: StepInfo, pinned: bool) -> tuple[dt.date, dt.date, bool]:
    """``(start, finish, window)``: a point event's day, or the window from its earliest to its latest
    day while undecided; a span's first and last days, its end left open while it is not known."""
    g = built.graph
    n = info.node
    timing = info.step.timing
    k = 2 * n
    es, ef, ls, e_hi = g.lo_day[k + S], g.lo_day[k + E], g.hi_day[k + S], g.hi_day[k + E]
    assert es is not None
    assert ef is not None
    # a step the source leaves undated (no timing, no recurrence) may take place anywhere its stage or the
    # project allows: a window from its earliest day to its latest, never one day at the start
    undated = timing is None and info.step.recurrence is None and not pinned
    if g.point[n]:
        window = (
            not pinned
            and (isinstance(timing, (Window, RelativeRule)) or undated)
            and not (isinstance(timing, RelativeRule) and timing.rule is RuleKind.AT_LEAST)
            and ls is not None
            and ls > es
        )
        return es, (ls if window and ls is not None else es), window
    finish, window = ef, False
    # an undated span that started on a fixed day, but whose end is not known, may still end any day
    open_end = timing is None and info.step.recurrence is None and not g.fact[2 * n + E]
    if open_end and e_hi is not None and e_hi > finish:
        finish, window = e_hi, True
    if (
        isinstance(timing, RelativeRule)
        and timing.rule in (RuleKind.WITHIN, RuleKind.NO_LATER_THAN)
        and e_hi is not None
        and e_hi > finish
        and not g.fact[2 * n + E]
    ):
        finish = e_hi
    return es, finish, window


def _why_days(
    built: Built,
    cal: WorkingCalendar,
    info: StepInfo,
    pinned: bool,
    window: bool,
    start: dt.date,
    finish: dt.date,
) -> list[Param]:
    """Why the step has its days: fixed or undecided, its earliest and latest day, how a span ends."""
    g = built.graph
    n = info.node
    timing = info.step.timing
    s_lo, e_lo, s_hi, e_hi = g.lo(n, S), g.lo(n, E), g.hi(n, S), g.hi(n, E)
    assert s_lo is not None
    assert e_lo is not None
    explanation: list[Param] = []
    if pinned:
        explanation.append(Message(N_("fixed on {day}"), day=start))
    elif window:
        explanation.append(Message(N_("undecided: between {range}"), range=_range(start, finish)))
    explanation.append(Message(N_("earliest {day}: {why}"), day=s_lo.day, why=s_lo.why_message))
    if s_hi is not None:
        explanation.append(Message(N_("latest {day}: {why}"), day=s_hi.day, why=s_hi.why_message))
    if not g.point[n] and finish != start:
        if isinstance(timing, DurationSpan):
            if timing.duration.unit.value != "working_days":
                explanation.append(
                    Message(
                        N_("{duration} from {start} end the day before {day}: on {end}"),
                        duration=timing.duration,
                        start=start,
                        day=shift(cal, start, timing.duration),
                        end=finish,
                    )
                )
            else:
                explanation.append(
                    Message(
                        N_("{duration} counted from {start} end on {end}"),
                        duration=timing.duration,
                        start=start,
                        end=finish,
                    )
                )
        else:
            if e_hi is not None and finish == e_hi.day and finish != e_lo.day:
                # an end left open (a span the source leaves undated, a deadline): its latest day, and why
                explanation.append(
                    Message(N_("ends {day} at the latest: {why}"), day=finish, why=e_hi.why_message)
                )
            else:
                explanation.append(Message(N_("ends {day}: {why}"), day=finish, why=e_lo.why_message))
    return explanation


def _window_line(template: ProcessTemplate, info: StepInfo) -> list[Param]:
    """A window's line for the explanation."""
    timing = info.step.timing
    if isinstance(timing, Window) and info.window is not None:
        label = _words(template, timing.label, "") if timing.label else Message(N_("window"))
        return [Message(N_("window '{label}': {range}"), label=label, range=_range(*info.window))]
    return []


def _window_findings(
    template: ProcessTemplate, info: StepInfo, start: dt.date, pinned: bool, findings: list[PlanFinding]
) -> None:
    """A warning in ``findings`` when the step is pinned outside its own window, or off the template's
    own date or range."""
    step, timing = info.step, info.step.timing
    if not pinned or info.window is None or info.window[0] <= start <= info.window[1]:
        return
    label: Param
    if isinstance(timing, Window):
        said = N_("{step} is fixed on {day}, outside its window '{label}' ({range})")
        label = _words(template, timing.label, "") if timing.label else Message(N_("window"))
    elif isinstance(timing, ExactDate | DateRange):
        said = N_("{step} is fixed on {day}, not on the template's date '{label}' ({range})")
        label = _words(template, timing.label, "") if timing.label else _range(*info.window)
    else:
        return
    message = Message(said, step=step.id, day=start, label=label, range=_range(*info.window))
    findings.append(PlanFinding(Severity.WARNING, str(message), steps=(step.id,), reason=message))


def _anchor_days(built: Built, info: StepInfo) -> tuple[list[dt.date], dt.date, dt.date | None]:
    """The days a rule counts from: the anchor's earliest day, and its latest when it is later; an anchor
    in conflict (its latest day before its earliest) counts from its earliest day alone, so that a range
    is never printed backwards. Also the earliest and latest day themselves."""
    assert info.anchor is not None
    g = built.graph
    src, point = info.anchor
    a_lo = g.lo_day[2 * src + point]
    assert a_lo is not None
    a_hi = g.hi_day[2 * src + point]
    return ([a_lo] if a_hi is None or a_hi <= a_lo else [a_lo, a_hi]), a_lo, a_hi


def _rule_days(
    template: ProcessTemplate, built: Built, cal: WorkingCalendar, info: StepInfo, rule: RelativeRule
) -> tuple[dt.date | None, dt.date | None]:
    """The deadline (the latest anchor day's) and the end of an "at least" period (the earliest anchor
    day's): the dates :func:`_rule_periods` computes with their explanations, without building them
    where the calendar's table gives the day (``_after_day``, tested equal to ``period_after``)."""
    days, _, _ = _anchor_days(built, info)
    if rule.rule is RuleKind.NO_LATER_THAN:
        reading = rule.reading or built.reading
        text = _rule_text(template, rule)
        ref = built.citations.get(rule.reference) if rule.reference else None
        period = _deadline(built, cal, days[-1], rule.counted_duration, reading, text, ref, None, rule)
        return period.date, None
    dur = rule.counted_duration
    if rule.roll is None and cal.roll_for(rule.period_kind)[0] is Roll.FORWARD is cal.roll_for("within")[0]:
        # the calendar's own forward roll: the table's day is the period's day
        def day(d: dt.date) -> dt.date:
            return cal._after_day(d, dur)
    else:
        text = _rule_text(template, rule)
        ref = built.citations.get(rule.reference) if rule.reference else None

        def day(d: dt.date) -> dt.date:
            return _deadline(built, cal, d, dur, None, text, ref, rule, rule).date

    if rule.rule is RuleKind.WITHIN:
        return day(days[-1]), None
    if rule.rule is RuleKind.AT_LEAST:
        return None, day(days[0])
    return None, None


def _rule_periods(
    template: ProcessTemplate, built: Built, cal: WorkingCalendar, info: StepInfo, rule: RelativeRule
) -> tuple[list[Deadline], list[Param | Deadline]]:
    """The computed legal periods and their words, from the anchor's earliest and latest days ("if the
    meeting is held between 11 and 20 Nov, publish by 17-25 Nov")."""
    days, a_lo, a_hi = _anchor_days(built, info)
    text = _rule_text(template, rule)
    ref = built.citations.get(rule.reference) if rule.reference else None
    name = info.anchor_name
    words: list[Param | Deadline] = []
    no_latest = Message(
        N_("{anchor} has no latest day: the deadline counts from its earliest day {day}"),
        anchor=name,
        day=a_lo,
    )
    if rule.rule is RuleKind.NO_LATER_THAN:
        reading = rule.reading or built.reading
        out = [_deadline(built, cal, d, rule.counted_duration, reading, text, ref, None, rule) for d in days]
        how = (
            Message(N_("reading A, count back"))
            if reading is Reading.COUNT_BACK
            else Message(N_("reading B, clear days"))
        )
        if len(days) == 2:
            words.append(
                Message(
                    N_(
                        "if {anchor} is held between {days}, {step} is due by {dues} "
                        "({duration} before, {how})"
                    ),
                    anchor=name,
                    days=_range(days[0], days[1]),
                    step=info.step.id,
                    dues=_range(out[0].date, out[1].date),
                    duration=rule.duration,
                    how=how,
                )
            )
        elif a_hi is None:
            words.append(no_latest)
    else:
        out = [_deadline(built, cal, d, rule.counted_duration, None, text, ref, rule, rule) for d in days]
        if rule.rule is RuleKind.WITHIN:
            said = N_("if {anchor} is on {days}, {step} is due by {dues}")
        elif rule.rule is RuleKind.AT_LEAST:
            said = N_("if {anchor} is on {days}, {step} ends on {dues}")
        else:
            said = N_("if {anchor} is on {days}, {step} is not before {dues}")
        if len(days) == 2:
            words.append(
                Message(
                    said,
                    anchor=name,
                    days=_range(days[0], days[1]),
                    step=info.step.id,
                    dues=_range(out[0].date, out[1].date),
                )
            )
        elif a_hi is None and rule.rule is RuleKind.WITHIN:
            words.append(no_latest)
    words.extend(out)
    return out, words


def _deadline(
    built: Built,
    cal: WorkingCalendar,
    day: dt.date,
    duration: Duration,
    reading: Reading | None,
    text: Param,
    ref: str | None,
    rule: RelativeRule | None = None,
    said: RelativeRule | None = None,
) -> Deadline:
    """The period counted from ``day`` (after it, or before it with ``reading``), computed once per plan
    for each distinct rule (Deadlines are frozen, so steps may share them)."""
    roll, kind = (rule.roll, rule.period_kind) if rule is not None else (None, "within")
    # the rule's words in the key: a template's text in all its languages, or what the describer words
    # (the kind of rule and its anchor; the duration is in the key already)
    words = text if isinstance(text, Wording) or said is None else (said.rule, said.of)
    key = (day, duration, reading, words, ref, roll, kind)
    hit = built.deadlines.get(key)
    if hit is None:
        if reading is None:
            hit = cal.period_after(day, duration, rule=text, reference=ref, roll=roll, kind=kind)
        else:
            hit = cal.period_before(day, duration, reading=reading, rule=text, reference=ref)
        built.deadlines[key] = hit
    return hit


def _explained(built: Built, period: Deadline) -> str:
    """``period.explain()``, worded once per plan for each distinct period."""
    said = built.explained.get(id(period))
    if said is None:
        said = built.explained[id(period)] = period.explain()
    return said


def _stages(
    template: ProcessTemplate,
    built: Built,
    steps: list[ScheduledStep],
    begin: dt.date,
    findings: list[PlanFinding],
) -> list[ScheduledStage]:
    """Stages span their steps and nested stages; a WARNING for a step outside its stage's own timing."""
    by_stage: dict[str, list[ScheduledStep]] = {}
    for s in steps:
        by_stage.setdefault(s.stage or "", []).append(s)
    listing = list(template.iter_stages())
    spans: dict[str, tuple[dt.date, dt.date]] = {}
    for _, stage in reversed(listing):
        own = by_stage.get(stage.id, [])
        starts = [s.start for s in own] + [spans[c.id][0] for c in stage.stages if c.id in spans]
        ends = [s.end for s in own] + [spans[c.id][1] for c in stage.stages if c.id in spans]
        window = built.stage_windows.get(stage.id)
        if starts:
            spans[stage.id] = (min(starts), max(ends))
        elif window is not None:
            spans[stage.id] = window
        else:
            spans[stage.id] = (begin, begin)
        if window is not None:
            label_text = getattr(stage.timing, "label", None)
            label = template.text(label_text) if label_text else "timing"
            shown = _words(template, label_text, label)
            for s in own:
                # an undecided step warns only when no day of its range lies in the stage's timing
                outside = (
                    (s.end < window[0] or s.start > window[1])
                    if s.window
                    else (s.start < window[0] or s.end > window[1])
                )
                if outside:
                    said = Message(
                        N_(
                            "{step} ({dates}) falls outside its stage {stage}'s own timing '{label}' "
                            "({range})"
                        ),
                        step=s.id,
                        dates=_range(s.start, s.end),
                        stage=stage.id,
                        label=shown,
                        range=_range(*window),
                    )
                    findings.append(PlanFinding(Severity.WARNING, str(said), steps=(s.id,), reason=said))
    out: list[ScheduledStage] = []
    for parents, stage in listing:
        first, last = spans[stage.id]
        own = by_stage.get(stage.id, [])
        words = [f"spans its steps and stages: {_range(first, last)}"]
        window = built.stage_windows.get(stage.id)
        if window is not None:
            words.append(f"own timing: {_range(*window)}")
        out.append(
            ScheduledStage(
                id=stage.id,
                parent=parents[-1] if parents else None,
                title=dict(stage.title),
                start=first,
                end=last,
                steps=tuple(s.id for s in own),
                explanation=tuple(words),
            )
        )
    return out
