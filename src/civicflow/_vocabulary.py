"""The one vocabulary of step statuses and how alarming each is.

Kept apart from :mod:`civicflow.compliance` (which re-exports it) so that what only draws statuses, the
exporters of a plan, does not load the compliance check.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

__all__ = ["SEVERITY", "Status"]


class Status(StrEnum):
    """How a step (or, as the worst of its steps, a stage) stands on the check date: the one vocabulary of
    step statuses, shared by the compliance summaries, the CLI, the service and the exporters."""

    DONE = "done"  # happened, every rule met
    DONE_LATE = "done_late"  # happened, but a rule was violated
    DISPUTABLE = "disputable"  # happened, a backward rule met under one reading only
    VIOLATED = "violated"  # under way or waiting, and a rule was already broken (began too early)
    OVERDUE = "overdue"  # a deadline passed and the step has not happened
    DUE_SOON = "due_soon"  # a deadline falls within the next few working days
    ON_TRACK = "on_track"  # under way, or waiting with a deadline that is not near
    NOT_STARTED = "not_started"  # nothing has happened and no deadline is known yet
    SKIPPED = "skipped"  # skipped on purpose
    PLANNED = "planned"  # no events were given: the plan alone (timelines drawn without a log)

    @property
    def symbol(self) -> str:
        """A short word for tables that must fit 80 columns."""
        return _SYMBOLS[self]

    @property
    def label(self) -> str:
        """The words for a legend: ``done late``."""
        return self.value.replace("_", " ")


_SYMBOLS = {
    Status.DONE: "done",
    Status.DONE_LATE: "LATE",
    Status.DISPUTABLE: "disp?",
    Status.VIOLATED: "VIOL",
    Status.OVERDUE: "OVER",
    Status.DUE_SOON: "soon",
    Status.ON_TRACK: "ok",
    Status.NOT_STARTED: ".",
    Status.SKIPPED: "skip",
    Status.PLANNED: "plan",
}

SEVERITY: Mapping[Status, int] = {
    Status.SKIPPED: 0,
    Status.PLANNED: 1,
    Status.DONE: 2,
    Status.NOT_STARTED: 3,
    Status.ON_TRACK: 4,
    Status.DUE_SOON: 5,
    Status.DISPUTABLE: 6,
    Status.DONE_LATE: 7,
    Status.OVERDUE: 8,
    Status.VIOLATED: 9,
}
"""How alarming each status is, the one order for steps, stages and findings: a broken legal rule
(violated) is worse than a deadline that has passed without the step (overdue), which may still be
made good; a stage shows the worst status of its steps."""
