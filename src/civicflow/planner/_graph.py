"""The constraint graph of a plan and its two passes (critical path method).

Every node has two time points, S (its first day) and E (its last day), each with a lower bound (the
earliest day) and an upper bound (the latest day, ``None`` when nothing limits it). An :class:`Edge` ties a
point of one node to a point of another with a monotone day function ``fwd`` (the successor's point is at
least ``fwd`` of the predecessor's point) and, for the backward pass, ``bwd`` (the predecessor's point is
at most ``bwd`` of the successor's point). Nodes are sorted once with Kahn's algorithm; each pass visits
every node and edge once, so planning is linear in the size of the template.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Bound", "Edge", "Graph", "Node", "largest", "smallest"]

DayFn = Callable[[dt.date], dt.date]
Point = Literal["S", "E"]
_ONE = dt.timedelta(days=1)
_MAX_ADJUST = 400


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


class Bound:
    """A bound on a day and why it holds: ``why`` is a phrase such as "after meeting_2 on ...".

    The phrase is built only when asked for (``say(arg)``), so the passes stay cheap.
    """

    __slots__ = ("_arg", "_say", "day", "source")

    def __init__(
        self,
        day: dt.date,
        why: str | Callable[[dt.date], str],
        source: int | None = None,
        arg: dt.date | None = None,
    ) -> None:
        self.day = day
        self._say = why
        self._arg = arg
        self.source = source  # the node that imposed it (for chains and the critical path)

    @property
    def why(self) -> str:
        if isinstance(self._say, str):
            return self._say
        return self._say(self._arg if self._arg is not None else self.day)


@dataclass
class Edge:
    """``dst.dst_point >= fwd(src.src_point)`` (if ``lower``), and ``<= fwd(upper of src)`` (if
    ``upper``); backwards ``src.src_point <= bwd(dst.dst_point)`` (if ``bwd``)."""

    src: int
    src_point: Point
    dst: int
    dst_point: Point
    fwd: DayFn
    bwd: DayFn | None
    describe: Callable[[dt.date], str]
    describe_back: Callable[[dt.date], str] | None = None
    lower: bool = True
    upper: bool = False


@dataclass
class Node:
    """A step, a stage gate or the process start, with its bounds."""

    name: str
    point: bool = True
    length: DayFn | None = None  # E = length(S) for spans of a given duration
    length_inv: DayFn | None = None  # the latest S whose E is at most the given day
    lo: dict[str, Bound] = field(default_factory=dict)
    hi: dict[str, Bound] = field(default_factory=dict)
    incoming: list[int] = field(default_factory=list)
    outgoing: list[int] = field(default_factory=list)
    is_step: bool = False

    def raise_lo(self, point: Point, bound: Bound) -> None:
        cur = self.lo.get(point)
        if cur is None or bound.day > cur.day:
            self.lo[point] = bound

    def lower_hi(self, point: Point, bound: Bound) -> None:
        cur = self.hi.get(point)
        if cur is None or bound.day < cur.day:
            self.hi[point] = bound

    def settle(self) -> None:
        """Make the node's own points agree: S = E for a point, E = length(S) for a span of a duration."""
        s_lo, e_lo = self.lo.get("S"), self.lo.get("E")
        if self.point:
            best = max((b for b in (s_lo, e_lo) if b), key=lambda b: b.day, default=None)
            if best is not None:
                self.lo["S"] = self.lo["E"] = best
        elif s_lo is not None:
            if self.length is not None:
                self.raise_lo("E", Bound(self.length(s_lo.day), s_lo._say, s_lo.source, s_lo._arg))
            elif e_lo is None or e_lo.day < s_lo.day:
                self.lo["E"] = s_lo
        s_hi, e_hi = self.hi.get("S"), self.hi.get("E")
        if self.point:
            best = min((b for b in (s_hi, e_hi) if b), key=lambda b: b.day, default=None)
            if best is not None:
                self.hi["S"] = self.hi["E"] = best
        else:
            if e_hi is not None:
                if self.length_inv is not None:
                    self.lower_hi("S", Bound(self.length_inv(e_hi.day), e_hi._say, e_hi.source, e_hi._arg))
                else:
                    self.lower_hi("S", e_hi)
            s_hi = self.hi.get("S")
            if s_hi is not None and self.length is not None:
                self.lower_hi("E", Bound(self.length(s_hi.day), s_hi._say, s_hi.source, s_hi._arg))


class CycleError(Exception):
    """The constraints form a cycle; ``names`` lists the nodes on or behind it."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(", ".join(names))


@dataclass
class Graph:
    """Nodes and edges, sorted once (Kahn's algorithm), with forward and backward passes."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    order: list[int] = field(default_factory=list)

    def add(self, node: Node) -> int:
        self.nodes.append(node)
        return len(self.nodes) - 1

    def link(self, edge: Edge) -> None:
        self.edges.append(edge)
        k = len(self.edges) - 1
        self.nodes[edge.src].outgoing.append(k)
        self.nodes[edge.dst].incoming.append(k)

    def sort(self) -> None:
        """Topological order by Kahn's algorithm; :class:`CycleError` names the nodes left over."""
        indeg = [len(n.incoming) for n in self.nodes]
        queue = deque(i for i, d in enumerate(indeg) if d == 0)
        order: list[int] = []
        while queue:
            i = queue.popleft()
            order.append(i)
            for k in self.nodes[i].outgoing:
                j = self.edges[k].dst
                indeg[j] -= 1
                if indeg[j] == 0:
                    queue.append(j)
        if len(order) != len(self.nodes):
            left = [self.nodes[i].name for i, d in enumerate(indeg) if d > 0]
            raise CycleError(left)
        self.order = order

    def forward(self, *, lower: bool = True) -> None:
        """Earliest days (and upper bounds carried forward by deadline rules) in topological order."""
        for i in self.order:
            node = self.nodes[i]
            for k in node.incoming:
                e = self.edges[k]
                src = self.nodes[e.src]
                if lower and e.lower:
                    b = src.lo.get(e.src_point)
                    if b is not None:
                        day = e.fwd(b.day)
                        node.raise_lo(e.dst_point, Bound(day, e.describe, e.src, b.day))
                if e.upper:
                    b = src.hi.get(e.src_point)
                    if b is not None:
                        day = e.fwd(b.day)
                        node.lower_hi(e.dst_point, Bound(day, e.describe, e.src, b.day))
            node.settle()

    def backward(self) -> None:
        """Latest days in reverse topological order."""
        for i in reversed(self.order):
            node = self.nodes[i]
            for k in node.outgoing:
                e = self.edges[k]
                if e.bwd is None:
                    continue
                b = self.nodes[e.dst].hi.get(e.dst_point)
                if b is not None:
                    day = e.bwd(b.day)
                    node.lower_hi(e.src_point, Bound(day, e.describe_back or e.describe, e.dst, b.day))
            node.settle()
