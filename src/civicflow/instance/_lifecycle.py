"""The lifecycle of one step, defined once with `transitions` (kept private to civicflow.instance).

::

    pending --open--> open --complete--> done
    pending --complete--> done          (a one-day step: opened and completed at once)
    pending|open --skip--> skipped

The :class:`transitions.Machine` is the single definition of this table. A :class:`Lifecycle` holds one
machine (``auto_transitions=False``); :func:`shared` builds one the first time it is needed, and all
instances share it. ``ProcessInstance.record()`` fires the
event on the step through the machine, which refuses a transition the lifecycle does not have
(``MachineError``, reported as :attr:`Fired.NOT_ALLOWED`) and asks the step's ``may_proceed`` about
prerequisites and legal minimums (:attr:`Fired.REFUSED`). The step is a small model made for the call
from the step's current state and triggered through the machine's event without being added to the
machine (``Machine.add_model`` costs about 40 microseconds a model, more than a whole ``record()``): the
machine keeps no per-instance state, nothing has to be removed from it, and instances stay independent.
Replaying a history and checking compliance use :attr:`Lifecycle.table`, read from the same machine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum, StrEnum
from functools import cache
from types import MappingProxyType
from typing import Any, Protocol

from transitions import Machine
from transitions.core import MachineError

from civicflow.events import EventType
from civicflow.messages import Term

__all__ = [
    "CONDITION",
    "Fired",
    "Lifecycle",
    "StepModel",
    "StepState",
    "action_word",
    "build_machine",
    "shared",
    "state_word",
]


class StepState(StrEnum):
    """Where a step stands: not yet begun, under way, finished, or skipped on purpose."""

    PENDING = "pending"
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"


def state_word(state: StepState) -> Term:
    """Where a step stands, as a word a message shows in the reader's language (*очікує*, not
    ``pending``)."""
    return Term(state.value, "step state")


def action_word(event: EventType | str) -> Term:
    """What may be done to a step, as a verb a message shows in the reader's language: *пропустити*
    (the action), not *пропущено* (what happened)."""
    return Term(str(event), "action")


def _mark_words(pgettext: Any) -> None:  # pragma: no cover - read by the extractor only
    pgettext("step state", "pending")
    pgettext("step state", "open")
    pgettext("step state", "done")
    pgettext("step state", "skipped")
    pgettext("action", "open")
    pgettext("action", "complete")
    pgettext("action", "skip")


CONDITION = "may_proceed"
"""The name of the model method the machine asks before opening or completing a step."""

_TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": EventType.OPEN.value, "source": StepState.PENDING.value, "dest": StepState.OPEN.value},
    {
        "trigger": EventType.COMPLETE.value,
        "source": [StepState.PENDING.value, StepState.OPEN.value],
        "dest": StepState.DONE.value,
    },
    {
        "trigger": EventType.SKIP.value,
        "source": [StepState.PENDING.value, StepState.OPEN.value],
        "dest": StepState.SKIPPED.value,
    },
]


class StepModel(Protocol):
    """What the machine moves: a ``state`` (a :class:`StepState` value) and the condition it asks."""

    state: str

    def may_proceed(self, *, kind: EventType, day: dt.date, strict: bool) -> bool:
        """Whether ``kind`` may happen on ``day`` (prerequisites; with ``strict`` legal minimums too)."""
        ...


class Fired(Enum):
    """What firing an event on a step did."""

    MOVED = "moved"  # the step moved to the transition's destination
    REFUSED = "refused"  # the lifecycle has the transition, but may_proceed said no
    NOT_ALLOWED = "not allowed"  # the lifecycle has no such transition from the step's state


def build_machine() -> Any:
    """A lifecycle machine without models; ``open`` and ``complete`` ask the model's ``may_proceed``,
    called with the keyword arguments the event was fired with."""
    transitions = []
    for t in _TRANSITIONS:
        spec = dict(t)
        if spec["trigger"] != EventType.SKIP.value:
            spec["conditions"] = CONDITION
        transitions.append(spec)
    return Machine(
        model=None,
        states=[s.value for s in StepState],
        transitions=transitions,
        initial=StepState.PENDING.value,
        auto_transitions=False,
        send_event=False,
    )


class Lifecycle:
    """One lifecycle machine, shared by every instance (it holds no model)."""

    __slots__ = ("_events", "_machine", "table")

    def __init__(self) -> None:
        self._machine = build_machine()
        self._events: dict[EventType, Any] = {
            EventType(name): event for name, event in self._machine.events.items()
        }
        table: dict[tuple[StepState, EventType], StepState] = {}
        for name, event in self._machine.events.items():
            for source, moves in event.transitions.items():
                for move in moves:
                    table[(StepState(source), EventType(name))] = StepState(move.dest)
        self.table: Mapping[tuple[StepState, EventType], StepState] = MappingProxyType(table)
        """``(state, event) -> next state``, read from the machine's own definition."""

    def fire(self, model: StepModel, kind: EventType, *, day: dt.date, strict: bool) -> Fired:
        """Fire ``kind`` on ``model`` through the machine, which passes ``day`` and ``strict`` on to
        ``may_proceed``.

        On :attr:`Fired.MOVED` the machine has set ``model.state`` to the destination; otherwise the
        model's state is unchanged.
        """
        try:
            moved = self._events[kind].trigger(model, kind=kind, day=day, strict=strict)
        except MachineError:
            return Fired.NOT_ALLOWED
        return Fired.MOVED if moved else Fired.REFUSED


@cache
def shared() -> Lifecycle:
    """The lifecycle machine every instance fires its events through, built on first use."""
    return Lifecycle()
