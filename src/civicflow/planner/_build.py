"""Turn a template into the constraint graph of :mod:`civicflow.planner._graph`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from civicflow.calendar import Reading, WorkingCalendar, add_months
from civicflow.durations import Duration, DurationUnit
from civicflow.planner._graph import Bound, DayFn, Edge, Graph, Node, Point, largest, smallest
from civicflow.planner._windows import resolve_window
from civicflow.template import (
    START,
    DateRange,
    DurationSpan,
    ExactDate,
    ProcessTemplate,
    RelativeRule,
    RuleKind,
    Stage,
    Step,
    Window,
)

__all__ = ["Built", "build", "shift", "span_end"]

_ONE = dt.timedelta(days=1)


def shift(cal: WorkingCalendar, d: dt.date, dur: Duration, sign: int = 1) -> dt.date:
    """``d`` moved by ``dur`` without any roll: working days counted on the calendar, months by
    :func:`~civicflow.calendar.add_months` (half a month is 15 days), days and weeks as calendar days."""
    if dur.unit is DurationUnit.WORKING_DAYS:
        return cal.add_working_days(d, sign * dur.amount)
    if dur.unit is DurationUnit.MONTHS:
        out = add_months(d, sign * dur.amount)
        return out + dt.timedelta(days=sign * 15) if dur.half_month else out
    return d + dt.timedelta(days=sign * (dur.days_equivalent or 0))


def span_end(cal: WorkingCalendar, s: dt.date, dur: Duration) -> dt.date:
    """The last day of a span of ``dur`` that starts on ``s``: the day before ``s + dur`` (3 months from
    1 March end on 31 May); ``n`` working days end on the n-th working day counted from ``s`` itself."""
    if dur.unit is DurationUnit.WORKING_DAYS:
        return cal.add_working_days(s - _ONE, dur.amount) if dur.amount > 0 else s
    return max(s, shift(cal, s, dur) - _ONE)


def _fmt(d: dt.date) -> str:
    return d.isoformat()


def _say(prefix: str, floor: dt.date | None = None) -> Callable[[dt.date], str]:
    """A describer: ``prefix`` and the day (raised to ``floor`` if given)."""

    def say(x: dt.date) -> str:
        return f"{prefix} {_fmt(max(x, floor) if floor else x)}"

    return say


def _not_before(floor: dt.date) -> DayFn:
    def fn(x: dt.date) -> dt.date:
        return max(x, floor)

    return fn


@dataclass
class StepInfo:
    """What the planner knows about one step while building and reading the graph."""

    step: Step
    stage: Stage
    path: tuple[str, ...]
    node: int
    window: tuple[dt.date, dt.date] | None = None  # own window / exact date / range, resolved
    anchor: tuple[int, Point] | None = None  # the node and point a rule counts from
    anchor_name: str = ""


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
    fixed: dict[str, dt.date] = field(default_factory=dict)


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
    fixed: Mapping[str, dt.date],
    cal: WorkingCalendar,
) -> Built:
    """The graph of ``template`` planned from ``begin``: nodes for steps, stage gates and the start."""
    g = Graph()
    start_node = g.add(Node("@start"))
    g.nodes[start_node].lo["S"] = g.nodes[start_node].lo["E"] = Bound(begin, f"the process starts on {begin}")
    g.nodes[start_node].hi["S"] = g.nodes[start_node].hi["E"] = Bound(begin, f"the process starts on {begin}")
    citations = {r.id: r.citation for r in template.references}
    reading = template.jurisdiction.reading

    stage_nodes: dict[str, tuple[int, int]] = {}
    stage_windows: dict[str, tuple[dt.date, dt.date]] = {}
    stage_default: dict[str, dt.date] = {}
    steps: list[StepInfo] = []
    by_id: dict[str, StepInfo] = {}

    def ident(x: dt.date) -> dt.date:
        return x

    for parents, stage in template.iter_stages():
        sg = g.add(Node(f"stage {stage.id} (start)"))
        eg = g.add(Node(f"stage {stage.id} (end)"))
        stage_nodes[stage.id] = (sg, eg)
        own = _own_window(stage.timing, begin)
        if own is not None:
            stage_windows[stage.id] = own
        parent_default = stage_default[parents[-1]] if parents else begin
        stage_default[stage.id] = max(begin, own[0]) if own is not None else parent_default
        src = stage_nodes[parents[-1]][0] if parents else start_node
        what = f"stage {parents[-1]} starts" if parents else "the process starts"
        g.link(Edge(src, "S", sg, "S", ident, ident, _say(f"{what} on")))
        if parents:
            g.link(Edge(eg, "E", stage_nodes[parents[-1]][1], "S", ident, ident, _say("ends on")))
        for step in stage.steps:
            node = Node(step.id, point=not step.is_span, is_step=True)
            n = g.add(node)
            info = StepInfo(step, stage, (*parents, stage.id), n)
            steps.append(info)
            by_id[step.id] = info
            g.link(
                Edge(n, "E", eg, "S", ident, ident, _say(f"{step.id} ends on")),
            )

    def target(ref: str, point: Point) -> tuple[int, Point, str]:
        if ref == START:
            return start_node, "S", "the process start"
        if ref in by_id:
            return by_id[ref].node, point, ref
        sg, eg = stage_nodes[ref]
        return (sg, "S", f"stage {ref}") if point == "S" else (eg, "E", f"stage {ref}")

    def dependency(src_ref: str, lag: Duration | None, dst: int, dst_name: str) -> None:
        src, point, name = target(src_ref, "E")
        if src_ref == START:
            gap = 0
            verb = "at or after"
        else:
            gap = 1
            verb = "after"
        lag_text = f" + {lag}" if lag else ""

        def fwd(x: dt.date, lag: Duration | None = lag, gap: int = gap) -> dt.date:
            base = shift(cal, x, lag) if lag else x
            return base + dt.timedelta(days=gap)

        def bwd(y: dt.date, lag: Duration | None = lag, gap: int = gap, fwd: DayFn = fwd) -> dt.date:
            guess = y - dt.timedelta(days=gap)
            if lag:
                guess = shift(cal, guess, lag, -1)
                return largest(fwd, y, guess)
            return guess

        g.link(
            Edge(
                src,
                point,
                dst,
                "S",
                fwd,
                bwd,
                lambda x: f"{verb} {name} on {_fmt(x)}{lag_text}",
                lambda y: f"before {dst_name} on {_fmt(y)}{lag_text}",
            )
        )

    for _, stage in template.iter_stages():
        sg = stage_nodes[stage.id][0]
        for dep in stage.depends_on:
            dependency(dep.step, dep.lag, sg, f"stage {stage.id}")

    for info in steps:
        step, n = info.step, info.node
        node = g.nodes[n]
        timing = step.timing
        sg = stage_nodes[info.stage.id][0]
        default = stage_default[info.stage.id]
        free_start = not step.depends_on and (timing is None or isinstance(timing, DurationSpan))
        if free_start and default > begin:
            g.link(
                Edge(
                    sg,
                    "S",
                    n,
                    "S",
                    _not_before(default),
                    ident,
                    _say(f"stage {info.stage.id} (or its own timing) opens on", default),
                )
            )
        elif not _absolute(timing):  # days the source dates with a year are facts, not clipped
            g.link(Edge(sg, "S", n, "S", ident, ident, _say(f"stage {info.stage.id} starts on")))
        for dep in step.depends_on:
            dependency(dep.step, dep.lag, n, step.id)
        if end is not None:
            node.hi["E"] = Bound(end, f"the process ends on {_fmt(end)}")

        info.window = _own_window(timing, begin)
        pinned = fixed.get(step.id)
        if isinstance(timing, DurationSpan):
            dur = timing.duration
            node.point = False

            def length(s: dt.date, dur: Duration = dur) -> dt.date:
                return span_end(cal, s, dur)

            def length_inv(e: dt.date, dur: Duration = dur, length: DayFn = length) -> dt.date:
                return largest(
                    length,
                    e,
                    shift(cal, e + _ONE, dur, -1)
                    if dur.unit is not DurationUnit.WORKING_DAYS
                    else cal.add_working_days(e, -max(dur.amount - 1, 0)),
                )

            node.length, node.length_inv = length, length_inv
        if pinned is not None:
            why = f"fixed on {_fmt(pinned)}"
            node.lo["S"] = node.hi["S"] = Bound(pinned, why)
            if node.point:
                node.lo["E"] = node.hi["E"] = Bound(pinned, why)
            elif isinstance(timing, DateRange):
                e = pinned + (timing.end - timing.start)
                node.lo["E"] = node.hi["E"] = Bound(e, f"the range's length from {_fmt(pinned)}")
            elif isinstance(timing, Window) and info.window is not None:
                e = max(info.window[1], pinned)
                node.lo["E"] = node.hi["E"] = Bound(e, "the window closes")
        elif info.window is not None:
            opens, closes = info.window
            label = _label(template, timing)
            if isinstance(timing, ExactDate | DateRange) or node.point:
                node.lo["S"] = Bound(
                    opens,
                    f"{label} opens on {_fmt(opens)}"
                    if isinstance(timing, Window)
                    else f"the date {label}".rstrip(),
                )
                node.hi["S"] = Bound(
                    closes if node.point else opens,
                    f"{label} closes on {_fmt(closes)}"
                    if isinstance(timing, Window)
                    else f"the date {label}".rstrip(),
                )
            else:
                node.lo["S"] = Bound(opens, f"{label} opens on {_fmt(opens)}")
            if not node.point:
                e_why = f"{label} ends on {_fmt(closes)}" if isinstance(timing, Window) else "the given end"
                node.lo["E"] = Bound(closes, e_why)
                node.hi["E"] = Bound(closes, e_why)
                if isinstance(timing, Window):
                    node.hi["S"] = Bound(closes, e_why)

        if isinstance(timing, RelativeRule):
            point: Point = "S" if timing.anchor == "start" else "E"
            src, spoint, name = target(timing.of, point)
            info.anchor = (src, spoint)
            info.anchor_name = name
            _rule_edges(g, cal, timing, src, spoint, name, n, step.id, timing.reading or reading, begin)
    return Built(
        g, steps, by_id, stage_nodes, stage_windows, start_node, citations, reading, end, dict(fixed)
    )


def _absolute(timing: object) -> bool:
    """Whether the timing names its days with a year (an exact date, a range, a window with a year)."""
    if isinstance(timing, ExactDate | DateRange):
        return True
    if isinstance(timing, Window):
        return timing.year is not None or (
            timing.month is None and timing.until is not None and timing.until.year is not None
        )
    return False


def _label(template: ProcessTemplate, timing: object) -> str:
    text = getattr(timing, "label", None)
    if text:
        return f"'{template.text(text)}'"
    if isinstance(timing, ExactDate):
        return timing.date.isoformat()
    if isinstance(timing, DateRange):
        return f"{timing.start.isoformat()} .. {timing.end.isoformat()}"
    return "the window"


def _rule_edges(
    g: Graph,
    cal: WorkingCalendar,
    rule: RelativeRule,
    src: int,
    spoint: Point,
    name: str,
    dst: int,
    dst_name: str,
    reading: Reading,
    begin: dt.date,
) -> None:
    dur = rule.duration

    def after(x: dt.date) -> dt.date:
        return x + _ONE

    def before(y: dt.date) -> dt.date:
        return y - _ONE

    def period(x: dt.date) -> dt.date:
        return cal.period_after(x, dur).date

    def period_inv(y: dt.date) -> dt.date:
        return largest(period, y, shift(cal, y, dur, -1))

    if rule.rule is RuleKind.WITHIN:
        g.link(
            Edge(
                src,
                spoint,
                dst,
                "S",
                after,
                before,
                lambda x: f"after {name} on {_fmt(x)}",
                lambda y: f"before {dst_name} on {_fmt(y)}",
            )
        )
        g.link(
            Edge(
                src,
                spoint,
                dst,
                "E",
                period,
                None,
                lambda x: f"{dur} after {name} on {_fmt(x)}",
                lower=False,
                upper=True,
            )
        )
    elif rule.rule is RuleKind.AT_LEAST:
        g.link(
            Edge(
                src,
                spoint,
                dst,
                "S",
                after,
                before,
                lambda x: f"the day after {name} on {_fmt(x)}",
                lambda y: f"before {dst_name} on {_fmt(y)}",
                upper=True,
            )
        )
        g.link(
            Edge(
                src,
                spoint,
                dst,
                "E",
                period,
                period_inv,
                lambda x: f"at least {dur} after {name} on {_fmt(x)}",
                lambda y: f"so that {dst_name} ends by {_fmt(y)}",
                upper=True,
            )
        )
    elif rule.rule is RuleKind.NOT_EARLIER_THAN:
        g.link(
            Edge(
                src,
                spoint,
                dst,
                "S",
                period,
                period_inv,
                lambda x: f"not earlier than {dur} after {name} on {_fmt(x)}",
                lambda y: f"{dur} before {dst_name} on {_fmt(y)}",
            )
        )
    else:
        extra = 1 if reading is Reading.CLEAR_DAYS else 0

        def back(y: dt.date) -> dt.date:
            return cal.period_before(y, dur, reading=reading).date

        def back_min(x: dt.date) -> dt.date:
            guess = shift(cal, cal.roll_forward(x), dur) + dt.timedelta(days=extra)
            return smallest(back, x, guess)

        if src == 0:  # counted back from the process start: a fixed latest day
            day = back(begin)
            g.nodes[dst].lower_hi("S", Bound(day, f"{dur} before the process start on {_fmt(begin)}"))
            return
        g.link(
            Edge(
                dst,
                "S",
                src,
                spoint,
                back_min,
                back,
                lambda x: f"{dur} after {dst_name} on {_fmt(x)}, which must come {dur} before it",
                lambda y: f"{dur} before {name} on {_fmt(y)}",
            )
        )
