"""The one vocabulary of step statuses and how alarming each is.

Kept apart from :mod:`civicflow.compliance` (which re-exports it) so that what only draws statuses, the
exporters of a plan, does not load the compliance check.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from civicflow.i18n import Translator

__all__ = ["SEVERITY", "Status", "kind_words"]


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


_KIND_WORDS: Mapping[str, str] = {
    # a step's kind
    "meeting": "meeting",
    "publication": "publication",
    "public_discussion": "public discussion",
    "consultation": "consultation",
    "hearing": "hearing",
    "strategic_session": "strategic session",
    "survey": "survey",
    "approval": "approval",
    "official_letter": "official letter",
    "activity": "activity",
    "milestone": "milestone",
    "recurring_event": "recurring event",
    # a channel's kind (official_letter, above, is both)
    "website": "website",
    "video": "video",
    "email": "email",
    "press": "press",
    "platform": "platform",
    "online": "online",
    "in_person": "in person",
    "other": "other",
}
_BRANDS: Mapping[str, str] = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "telegram": "Telegram",
    "youtube": "YouTube",
}


def kind_words(kind: str, tr: Translator | None = None) -> str:
    """A step's or a channel's kind for people, in ``tr``'s language (context ``kind``): ``public
    discussion``, ``громадське обговорення``; a brand keeps its name (``Facebook``)."""
    brand = _BRANDS.get(kind)
    if brand is not None:
        return brand
    words = _KIND_WORDS.get(kind)
    if words is None:
        return kind.replace("_", " ")
    return words if tr is None else tr.pgettext("kind", words)


def _mark_kinds(pgettext: Any) -> None:  # pragma: no cover - read by the extractor only
    pgettext("kind", "meeting")
    pgettext("kind", "publication")
    pgettext("kind", "public discussion")
    pgettext("kind", "consultation")
    pgettext("kind", "hearing")
    pgettext("kind", "strategic session")
    pgettext("kind", "survey")
    pgettext("kind", "approval")
    pgettext("kind", "official letter")
    pgettext("kind", "activity")
    pgettext("kind", "milestone")
    pgettext("kind", "recurring event")
    pgettext("kind", "website")
    pgettext("kind", "video")
    pgettext("kind", "email")
    pgettext("kind", "press")
    pgettext("kind", "platform")
    pgettext("kind", "online")
    pgettext("kind", "in person")
    pgettext("kind", "other")
