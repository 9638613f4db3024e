"""Corrections: a history is never rewritten; a wrong event is amended or retracted by a later one.

An instance's history is every row the store holds for it, in order (``seq`` 1, 2, ...). A row is a
fact as recorded (``record``), an amendment of the fact at ``corrects`` (``amend``: the corrected fact,
with what it changes and why), or a retraction of it (``retract``: it did not happen, and why). The facts
that checks use are :func:`facts`: every recorded fact in its place, the latest amendment of it
replacing it, retracted ones left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from civicflow.errors import StoreError
from civicflow.events import Event, EventType

__all__ = ["RETRACT", "HistoryEntry", "Rows", "check_target", "entry", "facts"]

RETRACT = "retract"
"""The ``kind`` of a retraction row in the events table."""

Action = Literal["record", "amend", "retract"]


@dataclass(frozen=True)
class HistoryEntry:
    """One row of a history: what was recorded at ``seq``.

    ``event`` is the fact (as recorded, or as amended); for a retraction it is the retracted fact's step
    with the moment of the retraction in ``at``, and ``event`` is None. ``corrects`` is the ``seq`` an
    amendment or retraction corrects; ``reason`` says why.
    """

    seq: int
    action: Action
    step: str
    at: dt.datetime
    event: Event | None
    corrects: int | None = None
    reason: str | None = None
    by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"seq": self.seq, "action": self.action}
        if self.event is not None:
            out.update(self.event.to_dict())
        else:  # a retraction: the moment it was recorded
            out.update({"step": self.step, "date": self.at.isoformat()})
            if self.by:
                out["by"] = self.by
        if self.corrects is not None:
            out["corrects"] = self.corrects
        if self.reason:
            out["reason"] = self.reason
        return out


_KINDS = {kind.value: kind for kind in EventType}


def entry(seq: int, values: Sequence[Any]) -> HistoryEntry:
    """A history entry from a stored row's values (step, kind, occurred_at, by, note, url, corrects,
    reason, day_only)."""
    step, kind, occurred_at, by, note, url, corrects, reason, day_only = values
    at = dt.datetime.fromisoformat(occurred_at)
    if kind == RETRACT:
        return HistoryEntry(seq, "retract", step, at, None, corrects, reason, by)
    event = Event(step, _KINDS[kind], at, by, note, url, timed=not day_only)
    action: Action = "amend" if corrects is not None else "record"
    return HistoryEntry(seq, action, step, at, event, corrects, reason, by)


_new = object.__new__
_set = object.__setattr__


def _stored_event(
    step: str, kind: EventType, at: dt.datetime, by: Any, note: Any, url: Any, timed: bool
) -> Event:
    """The event of a stored row, without :class:`Event`'s checks: ``kind`` is an :class:`EventType`
    already and ``at`` an aware time (:class:`Rows` makes sure of both)."""
    event: Event = _new(Event)
    _set(event, "step", step)
    _set(event, "event", kind)
    _set(event, "at", at)
    _set(event, "by", by)
    _set(event, "note", note)
    _set(event, "url", url)
    _set(event, "timed", timed)
    return event


class Rows:
    """Builds histories from stored rows, as :func:`entry` does, for many histories at once.

    Entries and events are frozen, so equal rows at the same place of different histories (many
    instances of one template record the same facts) share one entry, and equal times one parsed
    ``datetime``; an event is made without re-checking what the store checked when it wrote the row
    (its kind and an aware time, both still verified here: a row that fails goes through
    :func:`entry` and raises as it would).
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[Any, ...], HistoryEntry] = {}
        self._times: dict[str, dt.datetime] = {}

    def read(self, rows: Iterable[Sequence[Any]]) -> tuple[tuple[HistoryEntry, ...], tuple[Event, ...]]:
        """The entries of one history's rows (values as :func:`entry` takes them, numbered from 1) and
        the facts they establish (:func:`facts`)."""
        made = self._entries
        out = []
        corrected = False
        for seq, values in enumerate(rows, start=1):
            key = (seq, *values)
            item = made.get(key)
            if item is None:
                item = made[key] = self._entry(seq, values)
            corrected = corrected or item.action != "record"
            out.append(item)
        history = tuple(out)
        if corrected:
            return history, facts(history)
        return history, tuple(item.event for item in history if item.event is not None)

    def _entry(self, seq: int, values: Sequence[Any]) -> HistoryEntry:
        step, kind, occurred_at, by, note, url, corrects, reason, day_only = values
        at = self._times.get(occurred_at)
        if at is None:
            at = dt.datetime.fromisoformat(occurred_at)
            if at.utcoffset() is None:  # not as the store writes it: entry says what is wrong
                return entry(seq, values)
            self._times[occurred_at] = at
        if kind == RETRACT:
            return HistoryEntry(seq, "retract", step, at, None, corrects, reason, by)
        known = _KINDS.get(kind)
        if known is None:
            return entry(seq, values)
        event = _stored_event(step, known, at, by, note, url, not day_only)  # NULL before v5: a time
        action: Action = "amend" if corrects is not None else "record"
        return HistoryEntry(seq, action, step, at, event, corrects, reason, by)


def facts(history: Iterable[HistoryEntry]) -> tuple[Event, ...]:
    """The facts a history establishes: each recorded fact in its place, as last amended, unless
    retracted."""
    current: dict[int, Event | None] = {}
    for item in history:
        if item.action == "record":
            current[item.seq] = item.event
        elif item.corrects is not None and item.corrects in current:
            current[item.corrects] = item.event  # None for a retraction
    return tuple(ev for _, ev in sorted(current.items()) if ev is not None)


def check_target(history: Sequence[HistoryEntry], seq: int, name: str) -> HistoryEntry:
    """The fact at ``seq`` as it stands (its latest amendment, else as recorded) that a new correction
    may correct; :class:`StoreError` saying why not (no such event, a correction itself, retracted
    already)."""
    if not 1 <= seq <= len(history):
        raise StoreError(
            f"instance {name!r} has no event {seq}; its events are 1..{len(history)} "
            f"(see `civicflow track history {name}`)"
        )
    target = history[seq - 1]
    if target.action != "record":
        raise StoreError(
            f"event {seq} of {name!r} is itself a correction (it {target.action}s event {target.corrects}); "
            f"correct event {target.corrects} instead"
        )
    current = target
    for later in history[seq:]:
        if later.corrects == seq and later.action == "retract":
            raise StoreError(f"event {seq} of {name!r} was retracted already (event {later.seq})")
        if later.corrects == seq:
            current = later
    return current
