"""Planning: from a process template and anchor dates to a dated :class:`~civicflow.schedule.Schedule`.

:func:`plan` builds a constraint graph (:mod:`._build`) of the steps, stage gates and the process start,
sorts it once with Kahn's algorithm and runs the passes of the critical path method over it
(:mod:`._graph`); month windows are resolved by :mod:`._windows` and recurring steps expanded by
:mod:`._recurrence`. The semantics are documented in docs/planning.md.
"""

from __future__ import annotations

from civicflow.planner._build import Pin
from civicflow.planner._facts import recorded_days
from civicflow.planner._plan import default_calendar, plan
from civicflow.planner._windows import PART_DAYS, resolve_window

__all__ = ["PART_DAYS", "Pin", "default_calendar", "plan", "recorded_days", "resolve_window"]
