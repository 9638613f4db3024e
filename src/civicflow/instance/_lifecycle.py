"""The lifecycle of one step, defined once with `transitions` (kept private to civicflow.instance).

::

    pending --open--> open --complete--> done
    pending --complete--> done          (a one-day step: opened and completed at once)
    pending|open --skip--> skipped

The :class:`transitions.Machine` is the single definition of this table. A :class:`ProcessInstance`
builds a machine with one model per step the first time something is recorded interactively, so that
``record()`` runs through the engine (conditions for prerequisites and legal minimums, ``MachineError``
translated into :class:`~civicflow.errors.IllegalTransitionError`). Replaying a history and checking
compliance use the transition table read from the same machine, as a dict: adding 25 models to a machine
costs about 0.8 ms, which is most of the budget for checking an instance (see docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from transitions import Machine

from civicflow.events import EventType

__all__ = ["CONDITION", "StepState", "build_machine", "transition_table"]


class StepState(StrEnum):
    """Where a step stands: not yet begun, under way, finished, or skipped on purpose."""

    PENDING = "pending"
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"


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


def build_machine(models: list[Any] | None = None, initial: StepState = StepState.PENDING) -> Any:
    """A lifecycle machine; ``open`` and ``complete`` ask each model's ``may_proceed(event_data)``."""
    transitions = []
    for t in _TRANSITIONS:
        spec = dict(t)
        if spec["trigger"] != EventType.SKIP.value:
            spec["conditions"] = CONDITION
        transitions.append(spec)
    return Machine(
        model=models if models else None,
        states=[s.value for s in StepState],
        transitions=transitions,
        initial=initial.value,
        auto_transitions=False,
        send_event=True,
    )


def transition_table() -> Mapping[tuple[StepState, EventType], StepState]:
    """``(state, event) -> next state``, read from the machine's own definition."""
    machine = build_machine()
    table: dict[tuple[StepState, EventType], StepState] = {}
    for name, event in machine.events.items():
        for source, moves in event.transitions.items():
            for move in moves:
                table[(StepState(source), EventType(name))] = StepState(move.dest)
    return MappingProxyType(table)
