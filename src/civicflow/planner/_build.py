"""Turn a template into the constraint graph of :mod:`civicflow.planner._graph`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from civicflow.calendar import Deadline, Reading, WorkingCalendar
from civicflow.durations import Duration
from civicflow.i18n import _ as N_
from civicflow.messages import Message, Param, Wording, joined
from civicflow.planner._graph import (
    PHRASE_ENDS,
    PHRASE_STAGE,
    PHRASE_STAGE_OPENS,
    PHRASE_START,
    PHRASE_STEP_ENDS,
    E,
    Graph,
    Kind,
    S,
    shift,
    span_end,
)
from civicflow.planner._windows import resolve_window
from civicflow.template import (
    START,
    WORKING_DAY_KINDS,
    DateRange,
    Dependency,
    DurationSpan,
    ExactDate,
    ProcessTemplate,
    RelativeRule,
    RuleKind,
    Stage,
    Step,
    Window,
)

__all__ = ["Built", "Pin", "build", "shift", "span_end"]

_PROCESS_START = Message(N_("the process start"))

Pin = dt.date | tuple[dt.date, dt.date]
"""A fixed day of a step, or the first and last days of a span that happened."""


@dataclass(slots=True)
class StepInfo:
    """What the planner knows about one step while building and reading the graph."""

    step: Step
    stage: Stage
    path: tuple[str, ...]
    node: int
    window: tuple[dt.date, dt.date] | None = None  # own window / exact date / range, resolved
    anchor: tuple[int, int] | None = None  # the node and point (S or E) a rule counts from
    anchor_name: Param = ""


@dataclass
class Built:
    """The graph with the indexes needed to read it back."""

    graph: Graph
    steps: list[StepInfo]
    by_id: dict[str, StepInfo]
    stage_nodes: dict[str, tuple[int, int]]  # stage id -> (start gate, end gate)
    stage_windows: dict[str, tuple[dt.date, dt.date]]
    start_node: int
    citations: dict[str, str]
    reading: Reading
    end: dt.date | None
    fixed: dict[str, Pin] = field(default_factory=dict)
    # computed legal periods, shared by the steps of one plan that count the same period from the same
    # day under the same rule text (a fan-out after one meeting), and their explanations by the period's id
    deadlines: dict[tuple[object, ...], Deadline] = field(default_factory=dict)
    explained: dict[int, str] = field(default_factory=dict)


def _own_window(timing: object, start: dt.date) -> tuple[dt.date, dt.date] | None:
    if isinstance(timing, ExactDate):
        return timing.date, timing.date
    if isinstance(timing, DateRange):
        return timing.start, timing.end
    if isinstance(timing, Window):
        return resolve_window(timing, start)
    return None


def build(
    template: ProcessTemplate,
    begin: dt.date,
    end: dt.date | None,
    fixed: Mapping[str, Pin],
    cal: WorkingCalendar,
) -> Built:
    """The graph of ``template`` planned from ``begin``: nodes for steps, stage gates and the start.

    In turn: a node per step and two gates per stage, nested; the stages' dependencies; then each step's
    edges (its stage, its dependencies, the process end), its own dates (a pin, an exact date, a range or
    a window) and its legal rule.
    """
    builder = _Builder(template, begin, end, fixed, cal)
    builder.add_nodes()
    builder.add_stage_dependencies()
    for info in builder.steps:
        builder.place(info)
    return builder.built()


class _Builder:
    """The graph of one plan while it is built, with the indexes :class:`Built` keeps."""

    def __init__(
        self,
        template: ProcessTemplate,
        begin: dt.date,
        end: dt.date | None,
        fixed: Mapping[str, Pin],
        cal: WorkingCalendar,
    ) -> None:
        self.template = template
        self.begin = begin
        self.end = end
        self.fixed = fixed
        self.g = g = Graph(cal)
        self.start_node = g.add("@start")
        starts = Message(N_("the process starts on {day}"), day=begin)
        for p in (S, E):
            g.set_lo(self.start_node, p, begin, starts)
            g.set_hi(self.start_node, p, begin, starts)
        # names and phrases shared by the steps of a stage (made once: a large plan makes few objects)
        self.stage_names: dict[str, Message] = {}
        self.stage_timing_ends: dict[str, Message] = {}
        self.process_ends = Message(N_("the process ends on {day}"), day=end) if end is not None else None
        self.citations = {r.id: r.citation for r in template.references}
        self.reading = template.jurisdiction.reading
        self.stage_nodes: dict[str, tuple[int, int]] = {}
        self.stage_windows: dict[str, tuple[dt.date, dt.date]] = {}
        self.stage_default: dict[str, dt.date] = {}
        self.stage_deps: dict[str, list[Dependency]] = {}
        self.steps: list[StepInfo] = []
        self.by_id: dict[str, StepInfo] = {}

    def built(self) -> Built:
        return Built(
            self.g,
            self.steps,
            self.by_id,
            self.stage_nodes,
            self.stage_windows,
            self.start_node,
            self.citations,
            self.reading,
            self.end,
            dict(self.fixed),
        )

    def add_nodes(self) -> None:
        """Two gates per stage (start, end) inside its parent's, a node per step inside its stage."""
        g, begin, link = self.g, self.begin, self.g.link
        for parents, stage in self.template.iter_stages():
            sg = g.add(f"stage {stage.id} (start)")
            eg = g.add(f"stage {stage.id} (end)")
            self.stage_nodes[stage.id] = (sg, eg)
            own = _own_window(stage.timing, begin)
            if own is not None:
                self.stage_windows[stage.id] = own
            parent_default = self.stage_default[parents[-1]] if parents else begin
            self.stage_default[stage.id] = max(begin, own[0]) if own is not None else parent_default
            src = self.stage_nodes[parents[-1]][0] if parents else self.start_node
            if parents:
                link(src, S, sg, S, Kind.SAY, a=parents[-1], b=PHRASE_STAGE)
                link(eg, E, self.stage_nodes[parents[-1]][1], S, Kind.SAY, b=PHRASE_ENDS)
            else:
                link(src, S, sg, S, Kind.SAY, b=PHRASE_START)
            path = (*parents, stage.id)
            for step in stage.steps:
                n = g.add(step.id, not step.is_span)
                if not step.is_span and _on_working_days(self.template, step):
                    g.workday[n] = True
                info = StepInfo(step, stage, path, n)
                self.steps.append(info)
                self.by_id[step.id] = info
                link(n, E, eg, S, Kind.SAY, a=step.id, b=PHRASE_STEP_ENDS)

    def stage_name(self, stage_id: str) -> Message:
        """ "stage s1", made once per stage."""
        name = self.stage_names.get(stage_id)
        if name is None:
            name = self.stage_names[stage_id] = Message(N_("stage {stage}"), stage=stage_id)
        return name

    def target(self, ref: str, point: int) -> tuple[int, int, Param]:
        """The node, point and name of what ``ref`` names: the process start, a step or a stage."""
        if ref == START:
            return self.start_node, S, _PROCESS_START
        if ref in self.by_id:
            return self.by_id[ref].node, point, ref
        sg, eg = self.stage_nodes[ref]
        return (sg, S, self.stage_name(ref)) if point == S else (eg, E, self.stage_name(ref))

    def dependency(self, src_ref: str, lag: Duration | None, dst: int, dst_name: Param) -> None:
        """``dst`` starts the day after ``src_ref`` ends (on the start day itself for the process start),
        plus ``lag``."""
        src, point, name = self.target(src_ref, E)
        gap = 0 if src_ref == START else 1
        self.g.link(src, point, dst, S, Kind.DEP, a=name, b=dst_name, dur=lag, arg=gap)

    def add_stage_dependencies(self) -> None:
        """Each stage's ``depends_on`` on its start gate; a stage inherits its parents' dependencies."""
        for parents, stage in self.template.iter_stages():
            sg = self.stage_nodes[stage.id][0]
            for dep in stage.depends_on:
                self.dependency(dep.step, dep.lag, sg, self.stage_name(stage.id))
            inherited = self.stage_deps[parents[-1]] if parents else []
            self.stage_deps[stage.id] = [*inherited, *stage.depends_on]

    def place(self, info: StepInfo) -> None:
        """Every edge and bound of one step."""
        self._within_stage(info)
        self._own_dates(info)
        timing = info.step.timing
        if isinstance(timing, RelativeRule):
            src, spoint, name = self.target(timing.of, S if timing.anchor == "start" else E)
            info.anchor = (src, spoint)
            info.anchor_name = name
            reading = timing.reading or self.reading
            _rule_edges(self.g, timing, src, spoint, name, info.node, info.step.id, reading, self.begin)

    def _within_stage(self, info: StepInfo) -> None:
        """The step after its stage opens (or, for a step its source dates with a year, after what its
        stage waits for), after the steps it depends on, by the process end and its stage's own timing."""
        g, link = self.g, self.g.link
        step, n = info.step, info.node
        timing = step.timing
        stage_id = info.stage.id
        sg = self.stage_nodes[stage_id][0]
        default = self.stage_default[stage_id]
        free_start = not step.depends_on and (timing is None or isinstance(timing, DurationSpan))
        if free_start and default > self.begin:
            link(sg, S, n, S, Kind.FLOOR, a=stage_id, b=PHRASE_STAGE_OPENS, arg=default)
        elif not _absolute(timing):  # days the source dates with a year are facts, not clipped
            link(sg, S, n, S, Kind.SAY, a=stage_id, b=PHRASE_STAGE)
        else:
            # not clipped by the stage's start, but its stages' dependencies hold for it all the same, as
            # if written on the step: a dated step before what its stage waits for is a finding
            for dep in self.stage_deps[stage_id]:
                if dep.step != step.id:
                    self.dependency(dep.step, dep.lag, n, step.id)
        for dep in step.depends_on:
            self.dependency(dep.step, dep.lag, n, step.id)
        if self.end is not None and self.process_ends is not None:
            g.set_hi(n, E, self.end, self.process_ends)
        own_stage = self.stage_windows.get(stage_id)
        if timing is None and step.recurrence is None and own_stage is not None:
            # an undated step lies within its stage's own timing
            ends = self.stage_timing_ends.get(stage_id)
            if ends is None:
                ends = self.stage_timing_ends[stage_id] = Message(
                    N_("stage {stage}'s own timing ends on {day}"), stage=stage_id, day=own_stage[1]
                )
            g.lower_hi(n, E, own_stage[1], ends)

    def _own_dates(self, info: StepInfo) -> None:
        """A span's length, then the step's pinned days, else its own exact date, range or window."""
        g = self.g
        step, n = info.step, info.node
        timing = step.timing
        info.window = _own_window(timing, self.begin)
        pinned = self.fixed.get(step.id)
        if isinstance(timing, DurationSpan):
            g.point[n] = False
            g.span[n] = timing.duration
        if pinned is not None:
            self._pinned(info, pinned)
        elif info.window is not None:
            self._dated(info, info.window)

    def _pinned(self, info: StepInfo, pinned: Pin) -> None:
        """Days the caller fixed: facts, whatever the step's own timing says."""
        g, n, timing = self.g, info.node, info.step.timing
        first, last = pinned if isinstance(pinned, tuple) else (pinned, None)
        why = Message(N_("fixed on {day}"), day=first)
        g.fix(n, S, first, why)
        if g.point[n]:
            g.fix(n, E, first, why)
        elif last is not None:
            g.fix(n, E, last, Message(N_("fixed to end on {day}"), day=last))
        elif isinstance(timing, DateRange):
            e = first + (timing.end - timing.start)
            length = Message(N_("the range's length from {day}"), day=first)
            g.set_lo(n, E, e, length)
            g.set_hi(n, E, e, length)
        elif isinstance(timing, Window) and info.window is not None:
            e = max(info.window[1], first)
            closes = Message(N_("the window closes"))
            g.set_lo(n, E, e, closes)
            g.set_hi(n, E, e, closes)

    def _dated(self, info: StepInfo, window: tuple[dt.date, dt.date]) -> None:
        """The step's own exact date or range (facts), or the window it is proposed in."""
        g, n, timing = self.g, info.node, info.step.timing
        opens, closes = window
        label = _label(self.template, timing)
        point = g.point[n]
        if isinstance(timing, ExactDate) or (isinstance(timing, DateRange) and not point):
            # the source's own dated days are facts: a constraint they break is a finding, not a move
            the_date = Message(N_("the date {label}"), label=label)
            g.fix(n, S, opens, the_date)
            g.fix(n, E, closes, the_date if point else Message(N_("the given end")))
        elif point:  # a window, or one day somewhere in a range
            g.set_lo(n, S, opens, Message(N_("{label} opens on {day}"), label=label, day=opens))
            g.set_hi(n, S, closes, Message(N_("{label} closes on {day}"), label=label, day=closes))
        else:
            g.set_lo(n, S, opens, Message(N_("{label} opens on {day}"), label=label, day=opens))
            e_why = Message(N_("{label} ends on {day}"), label=label, day=closes)
            g.set_lo(n, E, closes, e_why)
            g.set_hi(n, E, closes, e_why)
            g.set_hi(n, S, closes, e_why)


def _on_working_days(template: ProcessTemplate, step: Step) -> bool:
    """Whether the planner proposes ``step`` on working days only: the step's ``working_day``, else
    the template's ``meetings_on_working_days`` for the kinds in :data:`WORKING_DAY_KINDS`."""
    if step.working_day is not None:
        return step.working_day
    return template.meetings_on_working_days and step.kind in WORKING_DAY_KINDS


def _absolute(timing: object) -> bool:
    """Whether the timing names its days with a year (an exact date, a range, a window with a year)."""
    if isinstance(timing, ExactDate | DateRange):
        return True
    if isinstance(timing, Window):
        return timing.year is not None or (
            timing.month is None and timing.until is not None and timing.until.year is not None
        )
    return False


def _label(template: ProcessTemplate, timing: object) -> Param:
    """How a dated step's timing is named: its label in quotes (in every language the template gives),
    its date or range, or "the window"."""
    text = getattr(timing, "label", None)
    if text:
        return Message(N_("'{label}'"), label=Wording(tuple(text.items()), template.language))
    if isinstance(timing, ExactDate):
        return timing.date
    if isinstance(timing, DateRange):
        return joined(timing.start, " .. ", timing.end)
    return Message(N_("the window"))


def _rule_edges(
    g: Graph,
    rule: RelativeRule,
    src: int,
    spoint: int,
    name: Param,
    dst: int,
    dst_name: Param,
    reading: Reading,
    begin: dt.date,
) -> None:
    """The edges of a legal rule: rows with a rule-kind code that the passes dispatch on."""
    dur = rule.counted_duration
    kind = rule.rule
    if kind is RuleKind.WITHIN:
        g.link(src, spoint, dst, S, Kind.WITHIN_S, a=name, b=dst_name)
        g.link(src, spoint, dst, E, Kind.WITHIN_E, a=name, dur=dur, arg=rule.own_roll)
    elif kind is RuleKind.AT_LEAST:
        g.link(src, spoint, dst, S, Kind.AT_LEAST_S, a=name, b=dst_name)
        g.link(src, spoint, dst, E, Kind.AT_LEAST_E, a=name, b=dst_name, dur=dur, arg=rule.roll)
    elif kind is RuleKind.NOT_EARLIER_THAN:
        g.link(src, spoint, dst, S, Kind.NOT_EARLIER, a=name, b=dst_name, dur=dur, arg=rule.roll)
    else:
        if src == 0:  # counted back from the process start: a fixed latest day
            day = g.cal._before_day(begin, dur, reading)
            g.lower_hi(
                dst,
                S,
                day,
                Message(N_("{duration} before the process start on {day}"), duration=dur, day=begin),
            )
            return
        g.link(dst, S, src, spoint, Kind.NO_LATER, a=name, b=dst_name, dur=dur, arg=reading)
