"""Due days from the plan: the latest day a template's schedule allows each step, for steps no rule dates.

Legal findings never use these (they stay rule-only); :func:`~civicflow.compliance.status` does, so that a
meeting planned for "mid November" is overdue on 21 November. A plan is made once per (template, start,
pins) and kept by the :class:`~civicflow.compliance.Checker` that asked for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from civicflow._procedure import Procedure
from civicflow.errors import CivicflowError
from civicflow.i18n import _
from civicflow.messages import Message, Param, joined
from civicflow.planner import plan
from civicflow.planner._plan import latest_line
from civicflow.schedule import ScheduledStep
from civicflow.template import DateRange, ExactDate, Window

__all__ = ["DueSource", "Pins", "PlanDues", "meaningful_pins", "plan_dues"]

Pins = tuple[tuple[str, dt.date], ...]
"""Completed point events pinned in the plan, as sorted (step id, local day) pairs."""


class DueSource(StrEnum):
    """Where a step's due day comes from."""

    RULE = "rule"  # a legal rule's deadline, counted from the actual event days
    PLAN = "plan"  # the latest day the template's plan allows (a window, a span's end)


@dataclass(frozen=True, slots=True)
class PlanDues:
    """Per step (template order): the latest day the plan allows, or None when nothing bounds it."""

    start: dt.date
    pins: Pins
    due: tuple[dt.date | None, ...]
    why: tuple[Param, ...]
    """Why each due day, as a message (``""`` where there is none)."""


def _due_of(step: ScheduledStep, fixed_end: bool) -> dt.date | None:
    """The latest day the plan allows the step to happen (a point) or to end (a span)."""
    if step.latest is None:
        return None  # nothing bounds it: no due day from the plan
    if not step.span:
        return step.latest
    if fixed_end or step.window:
        return step.end  # a span in a window (or with its own dates, or undated) may last to its end
    return step.latest + (step.end - step.start)  # a span of a given length, started as late as allowed


def plan_dues(proc: Procedure, start: dt.date, pins: Pins = ()) -> PlanDues | None:
    """Plan ``proc``'s template from ``start`` with ``pins`` fixed; None when it cannot be planned."""
    try:
        # a template that fixes its own start is planned from it, whatever start a log gives
        begin = proc.template.start or start
        schedule = plan(proc.template, start=begin, fixed=dict(pins), calendar=proc.calendar)
    except CivicflowError:
        return None
    by_id = {s.id: s for s in schedule.steps}
    fixed_end = {
        step.id: isinstance(step.timing, (Window, DateRange, ExactDate))
        for _, step in proc.template.iter_steps()
    }
    due: list[dt.date | None] = []
    why: list[Param] = []
    for sid in proc.ids:
        scheduled = by_id.get(sid)
        day = _due_of(scheduled, fixed_end.get(sid, False)) if scheduled is not None else None
        due.append(day)
        if day is None:
            why.append("")
            continue
        if proc.span[proc.index[sid]]:
            said = _("no rule dates {step} yet; the plan from {start} lets it end until {day}")
        else:
            said = _("no rule dates {step} yet; the plan from {start} lets it happen until {day}")
        reason = Message(said, step=sid, start=begin, day=day)
        # the planner's own line for the step's latest day, in the reader's language as well
        line = latest_line(scheduled) if scheduled is not None else ""
        why.append(joined(reason, " (", line, ")") if line else reason)
    return PlanDues(start=start, pins=pins, due=tuple(due), why=tuple(why))


def meaningful_pins(
    proc: Procedure,
    done: list[dt.date | None],
    skipped: list[bool],
) -> Pins:
    """The completed point events whose actual day can move the plan's due day of a step not yet done.

    A completed point event X is pinned when a step it waits for is still open or pending (fixing X
    tightens that step's latest day), or when X anchors a rule of a step B not done that itself anchors a
    rule of a step not done (B's planned deadline, and so its dependents', count from X's actual day).
    Other completed events cannot change a due day that the rules do not already give, so the plan of
    the bare (template, start) serves them and is shared by most instances.
    """
    resolved = [d is not None or s for d, s in zip(done, skipped, strict=True)]
    pins: dict[str, dt.date] = {}
    for i, day in enumerate(done):
        if day is None or proc.span[i]:
            continue
        if any(p.need == "done" and not resolved[p.step] for p in proc.prereqs[i]):
            pins[proc.ids[i]] = day
    anchors_open_rule = {r.of for r in proc.rules if r.of is not None and not resolved[r.step]}
    for rule in proc.rules:
        x = rule.of
        if x is None or proc.span[x] or resolved[rule.step] or rule.step not in anchors_open_rule:
            continue
        day = done[x]
        if day is not None:
            pins[proc.ids[x]] = day
    return tuple(sorted(pins.items()))
