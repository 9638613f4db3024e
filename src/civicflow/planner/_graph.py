"""The constraint graph of a plan and its two passes (critical path method).

Every node has two time points, S (its first day, point 0) and E (its last day, point 1), each with a lower
bound (the earliest day) and an upper bound (the latest day, ``None`` when nothing limits it). An edge ties
a point of one node to a point of another with a monotone day function (the successor's point is at least
``fwd`` of the predecessor's point) and, for the backward pass, its inverse (the predecessor's point is at
most ``bwd`` of the successor's point). Nodes are sorted once with Kahn's algorithm; each pass visits every
node and edge once, so planning is linear in the size of the template.

The graph is stored flat, in parallel lists, so that a large plan allocates almost no objects the garbage
collector has to track: an edge is a row of a rule-kind code and its parameters (no closure per edge), a
bound is a row of (day, why, source node, argument) indexed by ``2 * node + point``. The phrase saying why a
bound holds is only formatted when asked for (:meth:`Graph.why`).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from civicflow.calendar import Reading, Roll, WorkingCalendar, shift_calendar
from civicflow.durations import Duration, DurationUnit
from civicflow.i18n import _ as N_
from civicflow.i18n import format_day
from civicflow.messages import Message, Param, joined

__all__ = ["Bound", "E", "Graph", "Kind", "S", "largest", "shift", "smallest", "span_end"]

DayFn = Callable[[dt.date], dt.date]
S = 0
E = 1
_ONE = dt.timedelta(days=1)
_MAX_ADJUST = 400


def shift(cal: WorkingCalendar, d: dt.date, dur: Duration, sign: int = 1) -> dt.date:
    """``d`` moved by ``dur`` without any roll: working days counted on the calendar, months (quarters,
    half-years, years) by :func:`~civicflow.calendar.add_months` then any extra days (half a month is 15
    days), days and weeks as calendar days (:func:`~civicflow.calendar.shift_calendar`)."""
    if dur.unit is DurationUnit.WORKING_DAYS:
        return cal.add_working_days(d, sign * dur.amount)
    return shift_calendar(d, dur, sign)


def span_end(cal: WorkingCalendar, s: dt.date, dur: Duration) -> dt.date:
    """The last day of a span of ``dur`` that starts on ``s``: the day before ``s + dur`` (3 months from
    1 March end on 31 May); ``n`` working days end on the n-th working day counted from ``s`` itself."""
    if dur.unit is DurationUnit.WORKING_DAYS:
        return cal.add_working_days(s - _ONE, dur.amount) if dur.amount > 0 else s
    return max(s, shift(cal, s, dur) - _ONE)


def largest(fn: DayFn, y: dt.date, guess: dt.date) -> dt.date:
    """The largest ``x`` with ``fn(x) <= y`` for a non-decreasing ``fn``, starting from a close ``guess``.

    The guess comes from arithmetic (the inverse of the period), so the adjustment moves a few days at most
    (a run of days off); it is bounded, never a loop over the whole schedule.
    """
    x = guess
    for _ in range(_MAX_ADJUST):
        if fn(x) <= y:
            break
        x -= _ONE
    for _ in range(_MAX_ADJUST):
        if fn(x + _ONE) > y:
            break
        x += _ONE
    return x


def smallest(fn: DayFn, y: dt.date, guess: dt.date) -> dt.date:
    """The smallest ``x`` with ``fn(x) >= y`` for a non-decreasing ``fn``, starting from a close ``guess``."""
    x = guess
    for _ in range(_MAX_ADJUST):
        if fn(x) >= y:
            break
        x += _ONE
    for _ in range(_MAX_ADJUST):
        if fn(x - _ONE) < y:
            break
        x -= _ONE
    return x


class Kind(IntEnum):
    """What an edge's day functions and phrases are (``a``: the source's name or a prefix, ``b``: the
    destination's name)."""

    SAY = 0  # same day; "{a} {x}"
    FLOOR = 1  # not before ``day``; "{a} {max(x, day)}"
    DEP = 2  # after a dependency (``gap`` 1, 0 for the process start) plus a ``dur`` lag
    WITHIN_S = 3  # the day after the anchor
    WITHIN_E = 4  # the deadline: period_after(anchor, dur), upper bounds only
    AT_LEAST_S = 5  # the day after the anchor, upper bounds too
    AT_LEAST_E = 6  # period_after(anchor, dur)
    NOT_EARLIER = 7  # period_after(anchor, dur)
    NO_LATER = 8  # from the step to its anchor: the anchor is no earlier than the inverse of period_before


_SAY, _FLOOR, _DEP, _WITHIN_S, _WITHIN_E, _AT_LEAST_S, _AT_LEAST_E, _NOT_EARLIER, _NO_LATER = range(9)
# per kind: whether the edge gives lower bounds, upper bounds, and has a backward function
_LOWER = (True, True, True, True, False, True, True, True, True)
_UPPER = (False, False, False, False, True, True, True, False, False)
_BACK = (True, True, True, True, False, True, True, True, True)


# the phrase of a SAY or FLOOR edge before its day, by key; ``{name}`` is the edge's e_a
PHRASE_START, PHRASE_STAGE, PHRASE_ENDS, PHRASE_STEP_ENDS, PHRASE_STAGE_OPENS = (
    "start",
    "stage",
    "ends",
    "step-ends",
    "stage-opens",
)
_PHRASES = {
    PHRASE_START: N_("the process starts on"),
    PHRASE_STAGE: N_("stage {name} starts on"),
    PHRASE_ENDS: N_("ends on"),
    PHRASE_STEP_ENDS: N_("{name} ends on"),
    PHRASE_STAGE_OPENS: N_("stage {name} (or its own timing) opens on"),
}

Why = str | int | Message
"""Why a bound holds: a phrase, or an edge code (see :class:`Graph`)."""


@dataclass(frozen=True, slots=True)
class Order:
    """A graph's topological order and edge indexes, with the edges they were made from."""

    n: int
    e_s: list[int]
    e_d: list[int]
    order: list[int]
    index: tuple[list[int], list[int], list[int], list[int]]


class Bound:
    """A bound on a day and why it holds, read back from the graph: ``why`` is a phrase such as "after
    meeting_2 on ...", formatted when asked for."""

    __slots__ = ("_arg", "_g", "_why", "day", "source")

    def __init__(self, g: Graph, day: dt.date, why: Why, source: int | None, arg: dt.date | None) -> None:
        self._g = g
        self.day = day
        self._why = why
        self.source = source  # the node that imposed it (for chains and the critical path)
        self._arg = arg

    @property
    def why(self) -> str:
        return self._g.why(self._why, self._arg if self._arg is not None else self.day)

    @property
    def why_message(self) -> Param:
        """:attr:`why` as a message, worded in the reader's language."""
        return self._g.why_message(self._why, self._arg if self._arg is not None else self.day)


class CycleError(Exception):
    """The constraints form a cycle; ``names`` lists the nodes on or behind it."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(", ".join(names))


class Graph:
    """Nodes and edges in parallel lists, sorted once (Kahn's algorithm), with forward and backward passes.

    A bound's ``why`` is a phrase (a string or a message), or an edge code: ``2 * edge`` for the edge's
    forward phrase, ``2 * edge + 1`` for its backward phrase; its source is -1 when no node imposed it.
    """

    def __init__(self, cal: WorkingCalendar) -> None:
        self.cal = cal
        # nodes
        self.names: list[str] = []
        self.point: list[bool] = []
        self.span: list[Duration | None] = []  # E = span_end(S, dur) for spans of a given duration
        self.workday: list[bool] = []  # a point proposed on working days only (a meeting, a hearing, ...)
        # bounds, at 2 * node + point
        self.lo_day: list[dt.date | None] = []
        self.lo_why: list[Why] = []
        self.lo_src: list[int] = []
        self.lo_arg: list[dt.date | None] = []
        self.hi_day: list[dt.date | None] = []
        self.hi_why: list[Why] = []
        self.hi_src: list[int] = []
        self.hi_arg: list[dt.date | None] = []
        # points whose day is a fact (a fixed or recorded day): never moved; a constraint that would move
        # one is kept in ``broken`` instead: edge -> (the fact's point, the day the edge asked for, the day
        # it counted from, whether the backward pass found it)
        self.fact: list[bool] = []
        self.broken: dict[int, tuple[int, dt.date, dt.date, bool]] = {}
        # edges: dst point >= fwd(src point) if lower, <= fwd(upper of src point) if upper; src point <=
        # bwd(dst point) if the kind has a backward function. Points as 2 * node + point.
        self.e_s: list[int] = []
        self.e_d: list[int] = []
        self.e_kind: list[int] = []
        self.e_dur: list[Duration | None] = []
        # DEP: gap; FLOOR: day; NO_LATER: reading; WITHIN_E, AT_LEAST_E, NOT_EARLIER: the rule's own roll
        self.e_arg: list[int | dt.date | Reading | Roll | None] = []
        # the names of the edge's ends (a step's id, or a message: "stage s1"); SAY and FLOOR edges keep
        # the key of their phrase in e_b (PHRASE_*) and the name it speaks of in e_a
        self.e_a: list[Param] = []
        self.e_b: list[Param] = []
        self.order: list[int] = []
        self._in_start: list[int] = []
        self._in: list[int] = []
        self._out_start: list[int] = []
        self._out: list[int] = []

    # --- building ---------------------------------------------------------------------------------

    def add(self, name: str, point: bool = True) -> int:
        self.names.append(name)
        self.point.append(point)
        self.span.append(None)
        self.workday.append(False)
        for rows in (self.lo_day, self.lo_arg, self.hi_day, self.hi_arg):
            rows += (None, None)
        self.lo_why += ("", "")
        self.hi_why += ("", "")
        self.lo_src += (-1, -1)
        self.hi_src += (-1, -1)
        self.fact += (False, False)
        return len(self.names) - 1

    def link(
        self,
        src: int,
        sp: int,
        dst: int,
        dp: int,
        kind: Kind,
        a: Param = "",
        b: Param = "",
        dur: Duration | None = None,
        arg: int | dt.date | Reading | Roll | None = None,
    ) -> None:
        """An edge from point ``sp`` of ``src`` to point ``dp`` of ``dst``; ``arg`` is the dependency's gap,
        the floor day or the reading of a backward rule."""
        self.e_s.append(2 * src + sp)
        self.e_d.append(2 * dst + dp)
        self.e_kind.append(int(kind))
        self.e_dur.append(dur)
        self.e_arg.append(arg)
        self.e_a.append(a)
        self.e_b.append(b)

    def set_lo(self, node: int, p: int, day: dt.date, why: Why) -> None:
        k = 2 * node + p
        self.lo_day[k], self.lo_why[k], self.lo_src[k], self.lo_arg[k] = day, why, -1, None

    def set_hi(self, node: int, p: int, day: dt.date, why: Why) -> None:
        k = 2 * node + p
        self.hi_day[k], self.hi_why[k], self.hi_src[k], self.hi_arg[k] = day, why, -1, None

    def _breaks(
        self, k: int, want: dt.date, fact: dt.date | None, *, lower: bool, back: bool = False
    ) -> bool:
        """Whether a fact on ``fact`` breaks edge ``k``, which asks for ``want`` (or later when ``lower``).

        What happened is judged as the compliance check judges it, not by the planner's conventions: a
        step may happen on the same day as the step it follows (the planner proposes the day after), an
        "at least" period may last longer than its minimum, and the opening of a stage's own timing is
        a warning of the plan, not a rule.
        """
        if fact is None:
            return True
        kind = self.e_kind[k]
        if kind == _FLOOR or (not lower and kind in (_AT_LEAST_S, _AT_LEAST_E) and not back):
            return False
        same_day = (kind == _DEP and bool(self.e_arg[k])) or kind in (_WITHIN_S, _AT_LEAST_S)
        if same_day:
            want = want + _ONE if back else want - _ONE
        return want > fact if lower else want < fact

    def fix(self, node: int, p: int, day: dt.date, why: Why) -> None:
        """Make point ``p`` of ``node`` a fact on ``day``: the passes never move it; a constraint that would
        is recorded in :attr:`broken`."""
        self.set_lo(node, p, day, why)
        self.set_hi(node, p, day, why)
        self.fact[2 * node + p] = True

    def lower_hi(self, node: int, p: int, day: dt.date, why: Why) -> None:
        k = 2 * node + p
        cur = self.hi_day[k]
        if cur is None or day < cur:
            self.set_hi(node, p, day, why)

    # --- reading ----------------------------------------------------------------------------------

    def lo(self, node: int, p: int) -> Bound | None:
        k = 2 * node + p
        day = self.lo_day[k]
        if day is None:
            return None
        src = self.lo_src[k]
        return Bound(self, day, self.lo_why[k], None if src < 0 else src, self.lo_arg[k])

    def hi(self, node: int, p: int) -> Bound | None:
        k = 2 * node + p
        day = self.hi_day[k]
        if day is None:
            return None
        src = self.hi_src[k]
        return Bound(self, day, self.hi_why[k], None if src < 0 else src, self.hi_arg[k])

    def why(self, why: Why, x: dt.date) -> str:
        """The phrase of a bound: ``why`` itself, or the phrase of an edge code at day ``x``."""
        if isinstance(why, str):
            return why
        if isinstance(why, Message):
            return str(why)
        k, back = divmod(why, 2)
        kind = self.e_kind[k]
        a, b, dur = self.e_a[k], self.e_b[k], self.e_dur[k]
        if kind == _SAY:
            return f"{_PHRASES[str(b)].format(name=a)} {format_day(x)}"
        if kind == _FLOOR:
            floor = self.e_arg[k]
            assert isinstance(floor, dt.date)
            return f"{_PHRASES[str(b)].format(name=a)} {format_day(max(x, floor))}"
        if kind == _DEP:
            lag_text = f" + {dur}" if dur else ""
            if back:
                return f"before {b} on {format_day(x)}{lag_text}"
            verb = "after" if self.e_arg[k] else "at or after"
            return f"{verb} {a} on {format_day(x)}{lag_text}"
        if kind == _WITHIN_S:
            return f"before {b} on {format_day(x)}" if back else f"after {a} on {format_day(x)}"
        if kind == _WITHIN_E:
            return f"{dur} after {a} on {format_day(x)}"
        if kind == _AT_LEAST_S:
            return f"before {b} on {format_day(x)}" if back else f"the day after {a} on {format_day(x)}"
        if kind == _AT_LEAST_E:
            if back:
                return f"so that {b} ends by {format_day(x)}"
            return f"at least {dur} after {a} on {format_day(x)}"
        if kind == _NOT_EARLIER:
            if back:
                return f"{dur} before {b} on {format_day(x)}"
            return f"not earlier than {dur} after {a} on {format_day(x)}"
        # NO_LATER: the edge runs from the step (b) to its anchor (a)
        if back:
            return f"{dur} before {a} on {format_day(x)}"
        return f"{dur} after {b} on {format_day(x)}, which must come {dur} before it"

    def why_message(self, why: Why, x: dt.date) -> Param:
        """:meth:`why` as a message, for findings and explanations worded in the reader's language (a test
        holds the two to the same English)."""
        if not isinstance(why, int):
            return why
        k, back = divmod(why, 2)
        kind = self.e_kind[k]
        a, b, dur = self.e_a[k], self.e_b[k], self.e_dur[k]
        day = x
        if kind == _SAY:
            return joined(Message(_PHRASES[str(b)], name=a), " ", day)
        if kind == _FLOOR:
            floor = self.e_arg[k]
            assert isinstance(floor, dt.date)
            return joined(Message(_PHRASES[str(b)], name=a), " ", max(x, floor))
        if kind == _DEP:
            lag: Param = joined(" + ", dur) if dur else ""
            if back:
                return Message(N_("before {step} on {day}{lag}"), step=b, day=day, lag=lag)
            if self.e_arg[k]:
                return Message(N_("after {step} on {day}{lag}"), step=a, day=day, lag=lag)
            return Message(N_("at or after {step} on {day}{lag}"), step=a, day=day, lag=lag)
        if kind in (_WITHIN_S, _AT_LEAST_S) and back:
            return Message(N_("before {step} on {day}"), step=b, day=day)
        if kind == _WITHIN_S:
            return Message(N_("after {step} on {day}"), step=a, day=day)
        if kind == _AT_LEAST_S:
            return Message(N_("the day after {step} on {day}"), step=a, day=day)
        assert dur is not None
        if kind == _WITHIN_E:
            return Message(N_("{duration} after {step} on {day}"), duration=dur, step=a, day=day)
        if kind == _AT_LEAST_E:
            if back:
                return Message(N_("so that {step} ends by {day}"), step=b, day=day)
            return Message(N_("at least {duration} after {step} on {day}"), duration=dur, step=a, day=day)
        if kind == _NOT_EARLIER:
            if back:
                return Message(N_("{duration} before {step} on {day}"), duration=dur, step=b, day=day)
            return Message(
                N_("not earlier than {duration} after {step} on {day}"), duration=dur, step=a, day=day
            )
        if back:
            return Message(N_("{duration} before {step} on {day}"), duration=dur, step=a, day=day)
        return Message(
            N_("{duration} after {step} on {day}, which must come {duration} before it"),
            duration=dur,
            step=b,
            day=day,
        )

    # --- day functions ----------------------------------------------------------------------------

    def fwd(self, k: int, x: dt.date) -> dt.date:
        kind = self.e_kind[k]
        if kind == _SAY:
            return x
        if kind in (_WITHIN_S, _AT_LEAST_S):
            return x + _ONE
        dur = self.e_dur[k]
        if kind == _FLOOR:
            floor = self.e_arg[k]
            assert isinstance(floor, dt.date)
            return max(x, floor)
        if kind == _DEP:
            base = shift(self.cal, x, dur) if dur else x
            return base + _ONE if self.e_arg[k] else base
        assert dur is not None
        if kind == _NO_LATER:
            reading = self.e_arg[k]
            assert isinstance(reading, Reading)
            extra = 1 if reading is Reading.CLEAR_DAYS else 0
            guess = shift(self.cal, self.cal.roll_forward(x), dur) + dt.timedelta(days=extra)
            cal = self.cal
            return smallest(lambda y: cal._before_day(y, dur, reading), x, guess)
        roll = self.e_arg[k]  # a rule's own roll (None: the calendar's default)
        return self.cal._after_day(x, dur, roll if isinstance(roll, Roll) else None)

    def bwd(self, k: int, y: dt.date) -> dt.date:
        kind = self.e_kind[k]
        if kind in (_SAY, _FLOOR):
            return y
        if kind in (_WITHIN_S, _AT_LEAST_S):
            return y - _ONE
        dur = self.e_dur[k]
        if kind == _DEP:
            guess = y - _ONE if self.e_arg[k] else y
            if dur:
                guess = shift(self.cal, guess, dur, -1)
                return largest(lambda x: self.fwd(k, x), y, guess)
            return guess
        assert dur is not None
        cal = self.cal
        if kind == _NO_LATER:
            reading = self.e_arg[k]
            assert isinstance(reading, Reading)
            return cal._before_day(y, dur, reading)
        # AT_LEAST_E, NOT_EARLIER (WITHIN_E has no backward function)
        own = self.e_arg[k]
        roll = own if isinstance(own, Roll) else None
        return largest(lambda x: cal._after_day(x, dur, roll), y, shift(cal, y, dur, -1))

    def length_inv(self, i: int, e: dt.date) -> dt.date:
        """The latest first day whose span ends on ``e`` or before."""
        dur = self.span[i]
        assert dur is not None
        cal = self.cal
        return largest(
            lambda s: span_end(cal, s, dur),
            e,
            shift(cal, e + _ONE, dur, -1)
            if dur.unit is not DurationUnit.WORKING_DAYS
            else cal.add_working_days(e, -max(dur.amount - 1, 0)),
        )

    # --- sorting and passes -----------------------------------------------------------------------

    def _index(self) -> None:
        """Incoming and outgoing edges of every node (in the order they were linked), as flat lists."""
        n = len(self.names)
        self._in_start, self._in = _group([d >> 1 for d in self.e_d], n)
        self._out_start, self._out = _group([s >> 1 for s in self.e_s], n)

    def sort(self, known: Order | None = None) -> Order:
        """Topological order by Kahn's algorithm; :class:`CycleError` names the nodes left over.

        ``known`` is the order of an earlier graph (a plan of the same template): when its edges join the
        same points in the same order, its order and indexes are this graph's too and are taken as they
        are (they are never changed afterwards). Returns the order, to be given to the next graph."""
        n = len(self.names)
        if known is not None and known.n == n and known.e_s == self.e_s and known.e_d == self.e_d:
            self.order = known.order
            self._in_start, self._in, self._out_start, self._out = known.index
            return known
        self._sort()
        return Order(
            n,
            list(self.e_s),
            list(self.e_d),
            self.order,
            (self._in_start, self._in, self._out_start, self._out),
        )

    def _sort(self) -> None:
        self._index()
        n = len(self.names)
        ins, outs, out, e_d = self._in_start, self._out_start, self._out, self.e_d
        indeg = [ins[i + 1] - ins[i] for i in range(n)]
        queue = deque(i for i, d in enumerate(indeg) if d == 0)
        order: list[int] = []
        while queue:
            i = queue.popleft()
            order.append(i)
            for k in out[outs[i] : outs[i + 1]]:
                j = e_d[k] >> 1
                indeg[j] -= 1
                if indeg[j] == 0:
                    queue.append(j)
        if len(order) != n:
            left = [self.names[i] for i, d in enumerate(indeg) if d > 0]
            raise CycleError(left)
        self.order = order

    def forward(self, *, lower: bool = True) -> None:
        """Earliest days (and upper bounds carried forward by deadline rules) in topological order."""
        ins, inc = self._in_start, self._in
        e_s, e_d, e_kind = self.e_s, self.e_d, self.e_kind
        lo_day, lo_why, lo_src, lo_arg = self.lo_day, self.lo_why, self.lo_src, self.lo_arg
        hi_day, hi_why, hi_src, hi_arg = self.hi_day, self.hi_why, self.hi_src, self.hi_arg
        fact, broken = self.fact, self.broken
        fwd = self.fwd
        for i in self.order:
            for k in inc[ins[i] : ins[i + 1]]:
                sp, dp, kind = e_s[k], e_d[k], e_kind[k]
                src = sp >> 1
                if lower and _LOWER[kind]:
                    x = lo_day[sp]
                    if x is not None:
                        day = x if kind == _SAY else fwd(k, x)
                        cur = lo_day[dp]
                        if cur is None or day > cur:
                            if fact[dp]:
                                if self._breaks(k, day, cur, lower=True):
                                    broken.setdefault(k, (dp, day, x, False))
                            else:
                                lo_day[dp], lo_why[dp], lo_src[dp], lo_arg[dp] = day, 2 * k, src, x
                if _UPPER[kind]:
                    x = hi_day[sp]
                    if x is not None:
                        day = x if kind == _SAY else fwd(k, x)
                        cur = hi_day[dp]
                        if cur is None or day < cur:
                            if fact[dp]:
                                if self._breaks(k, day, cur, lower=False):
                                    broken.setdefault(k, (dp, day, x, False))
                            else:
                                hi_day[dp], hi_why[dp], hi_src[dp], hi_arg[dp] = day, 2 * k, src, x
            self.settle(i)

    def backward(self) -> None:
        """Latest days in reverse topological order."""
        outs, out = self._out_start, self._out
        e_s, e_d, e_kind = self.e_s, self.e_d, self.e_kind
        hi_day, hi_why, hi_src, hi_arg = self.hi_day, self.hi_why, self.hi_src, self.hi_arg
        fact, broken = self.fact, self.broken
        bwd = self.bwd
        for i in reversed(self.order):
            for k in out[outs[i] : outs[i + 1]]:
                kind = e_kind[k]
                if not _BACK[kind]:
                    continue
                dp = e_d[k]
                y = hi_day[dp]
                if y is not None:
                    day = y if kind == _SAY else bwd(k, y)
                    sp = e_s[k]
                    dst = dp >> 1
                    cur = hi_day[sp]
                    if cur is None or day < cur:
                        if fact[sp]:
                            if self._breaks(k, day, cur, lower=False, back=True):
                                broken.setdefault(k, (sp, day, y, True))
                        else:
                            hi_day[sp], hi_why[sp], hi_src[sp], hi_arg[sp] = day, 2 * k + 1, dst, y
            self.settle(i)

    def _roll(self, s: int, e: int, *, forward: bool) -> None:
        """Move a working-day point's earliest day (``forward``) or latest day to a working day, and give
        both points of the node that bound, saying why."""
        days, whys, srcs, args = (
            (self.lo_day, self.lo_why, self.lo_src, self.lo_arg)
            if forward
            else (self.hi_day, self.hi_why, self.hi_src, self.hi_arg)
        )
        day = days[s]
        if day is None:
            return
        moved = self.cal.roll_forward(day) if forward else self.cal.roll_backward(day)
        if moved != day:
            arg = args[s]
            why = self.why_message(whys[s], arg if arg is not None else day)
            days[s], whys[s], args[s] = moved, joined(why, ", ", _roll_words(forward)), None
        days[e], whys[e], srcs[e], args[e] = days[s], whys[s], srcs[s], args[s]

    def settle(self, i: int) -> None:
        """Make the node's own points agree: S = E for a point, E = S + duration for a span of a duration."""
        s, e = 2 * i, 2 * i + 1
        lo_day, lo_why, lo_src, lo_arg = self.lo_day, self.lo_why, self.lo_src, self.lo_arg
        hi_day, hi_why, hi_src, hi_arg = self.hi_day, self.hi_why, self.hi_src, self.hi_arg
        dur = self.span[i]
        fact_s, fact_e = self.fact[s], self.fact[e]
        s_lo, e_lo = lo_day[s], lo_day[e]
        if self.point[i]:
            if s_lo is not None or e_lo is not None:
                a, b = (e, s) if e_lo is not None and (s_lo is None or e_lo > s_lo) else (s, e)
                if not self.fact[b]:
                    lo_day[b], lo_why[b], lo_src[b], lo_arg[b] = lo_day[a], lo_why[a], lo_src[a], lo_arg[a]
        elif s_lo is not None and not fact_e:
            if dur is not None:
                day = span_end(self.cal, s_lo, dur)
                if e_lo is None or day > e_lo:
                    lo_day[e], lo_why[e], lo_src[e], lo_arg[e] = day, lo_why[s], lo_src[s], lo_arg[s]
            elif e_lo is None or e_lo < s_lo:
                lo_day[e], lo_why[e], lo_src[e], lo_arg[e] = s_lo, lo_why[s], lo_src[s], lo_arg[s]
        if self.workday[i] and not fact_s:
            self._roll(s, e, forward=True)
        s_hi, e_hi = hi_day[s], hi_day[e]
        if self.point[i]:
            if self.workday[i] and not fact_s and (s_hi is not None or e_hi is not None):
                if s_hi is None or (e_hi is not None and e_hi < s_hi):
                    hi_day[s], hi_why[s], hi_src[s], hi_arg[s] = e_hi, hi_why[e], hi_src[e], hi_arg[e]
                self._roll(s, e, forward=False)
                return
            if s_hi is not None or e_hi is not None:
                a, b = (e, s) if e_hi is not None and (s_hi is None or e_hi < s_hi) else (s, e)
                if not self.fact[b]:
                    hi_day[b], hi_why[b], hi_src[b], hi_arg[b] = hi_day[a], hi_why[a], hi_src[a], hi_arg[a]
            return
        if e_hi is not None and not fact_s:
            day = self.length_inv(i, e_hi) if dur is not None else e_hi
            if s_hi is None or day < s_hi:
                hi_day[s], hi_why[s], hi_src[s], hi_arg[s] = day, hi_why[e], hi_src[e], hi_arg[e]
                s_hi = day
        if s_hi is not None and dur is not None and not fact_e:
            day = span_end(self.cal, s_hi, dur)
            if e_hi is None or day < e_hi:
                hi_day[e], hi_why[e], hi_src[e], hi_arg[e] = day, hi_why[s], hi_src[s], hi_arg[s]


def _roll_words(forward: bool) -> Message:
    return Message(N_("then the next working day") if forward else N_("then the working day before"))


def _group(ends: list[int], n: int) -> tuple[list[int], list[int]]:
    """Edges grouped by node, keeping their order: node ``i``'s are ``flat[start[i]:start[i + 1]]``."""
    start = [0] * (n + 1)
    for j in ends:
        start[j + 1] += 1
    for i in range(n):
        start[i + 1] += start[i]
    pos = start[:-1]
    flat = [0] * len(ends)
    for k, j in enumerate(ends):
        flat[pos[j]] = k
        pos[j] += 1
    return start, flat
