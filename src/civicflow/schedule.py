"""The result of planning: a dated schedule of every step and stage, each date with its explanation.

These are plain frozen dataclasses, produced by :func:`civicflow.planner.plan` and read by compliance
checks, instances and exporters. ``Schedule.to_dict()`` is the JSON form of ``civicflow plan --format json``.
``Schedule.step()`` and ``Schedule.stage()`` look ids up in dicts built on first use (kept out of the
fields, so equality, ``repr`` and ``to_dict`` are those of the fields alone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from civicflow.calendar import Deadline
from civicflow.errors import UnknownStepError

if TYPE_CHECKING:
    from civicflow.i18n import Translator
    from civicflow.messages import Message

__all__ = [
    "PlanFinding",
    "Schedule",
    "ScheduledStage",
    "ScheduledStep",
    "Severity",
]


_T = TypeVar("_T")


class Later:
    """Where a :class:`ScheduledStep` field's value comes from when it is worked out on first read: the
    planner's words of a step (its explanation, its legal periods) cost more than its days and are often
    never read. ``value(name, step)`` gives the value of the field ``name`` of ``step`` (one object may
    serve every step of a plan)."""

    __slots__ = ()

    def value(self, name: str, step: Any) -> Any:
        raise NotImplementedError

    def words(self, step: Any, translator: Translator | None) -> tuple[str, ...]:
        """The explanation of ``step`` in ``translator``'s language."""
        raise NotImplementedError


class _Deferred(Generic[_T]):
    """A dataclass field that holds its value or a :class:`Later`: reading it gives the value, worked
    out once on the first read (so equality, ``repr`` and ``to_dict`` see values, never a :class:`Later`)."""

    def __init__(self, default: _T) -> None:
        self._default = default
        self._name = self._key = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name, self._key = name, "_" + name + "_value"

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> _T: ...
    @overload
    def __get__(self, obj: object, objtype: type | None = None) -> _T: ...
    def __get__(self, obj: object | None, objtype: type | None = None) -> _T:
        if obj is None:  # the dataclass asks for the default
            return self._default
        value = getattr(obj, self._key)
        if isinstance(value, Later):
            value = value.value(self._name, obj)
            object.__setattr__(obj, self._key, value)  # a frozen dataclass's own attribute, set once
        return value  # type: ignore[no-any-return]

    def __set__(self, obj: object, value: _T | Later) -> None:
        # object.__setattr__ (not obj.__dict__) keeps the attribute in the instance's inline values: a
        # plan of 10,000 steps then leaves no dict per step for the garbage collector to scan
        object.__setattr__(obj, self._key, value)


def _iso_pair(pair: tuple[dt.date, dt.date] | None) -> list[str] | None:
    return [pair[0].isoformat(), pair[1].isoformat()] if pair is not None else None


def _text_in(text: dict[str, str], *langs: str | None) -> str:
    """``text`` in the first of ``langs`` it has, else in any language ("" when empty)."""
    for lang in langs:
        if lang and lang in text:
            return text[lang]
    return next(iter(text.values()), "")


class Severity(StrEnum):
    """How serious a planning finding is."""

    ERROR = "error"  # the constraints cannot all hold (infeasible)
    WARNING = "warning"  # the plan holds but something deserves a look (a date outside its stage)
    INFO = "info"


@dataclass(frozen=True)
class PlanFinding:
    """Something the planner noticed: an infeasible chain of rules, a fixed date outside its window, ...

    ``facts`` names the steps whose fixed or recorded days (or the days the template itself dates) break
    the rule; empty when the finding is about the plan alone.
    """

    severity: Severity
    message: str
    steps: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    reason: Message | None = field(default=None, compare=False, repr=False)

    def text(self, translator: Translator | None = None) -> str:
        """``message`` in ``translator``'s language where the planner words it as a message (the
        martial-law notes so far); the English ``message`` otherwise."""
        if self.reason is None or translator is None:
            return self.message
        return self.reason.render(translator)

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": str(self.severity),
            "message": self.message,
            "steps": list(self.steps),
            "rules": list(self.rules),
            "facts": list(self.facts),
        }


@dataclass(frozen=True)
class ScheduledStep:
    """One step with its dates.

    * a point event: ``start == end``; while undecided (``window`` true) ``start``/``end`` are the
      earliest and latest days it may take place;
    * a span: ``start`` and ``end`` are its first and last days; a span the source leaves undated is a
      window too (``window`` true): it lies somewhere from ``start`` to ``end``;
    * ``fixed``: the day (or days) were fixed or recorded: they are shown as they are, never moved;
    * ``deadline``: the last day a legal rule allows (None when no rule binds the step);
    * ``period_end``/``next_from``: for "at least N" periods, the last day of the period and the first day
      the next step may happen;
    * ``earliest``/``latest``/``slack``/``critical``: the critical-path view of the step's start;
    * ``occurrences``: the dates of a recurring step; when the source fixes only the period of each
      occurrence ("once a quarter"), ``occurrence_windows`` gives each one's first and last possible day
      and ``occurrences`` holds the first days;
    * ``counts_from``: the step (or stage, or ``@start``) a legal rule of the step counts from;
    * ``rules``: the computed legal deadlines, each able to explain itself; ``explanation`` says in words
      how every date was reached. The planner words these two when they are first read (each may be
      given as a :class:`Later`); reading them gives the same tuples every time.
    """

    id: str
    stage: str | None
    stage_path: tuple[str, ...]
    kind: str
    title: dict[str, str]
    start: dt.date
    end: dt.date
    span: bool
    window: bool = False
    fixed: bool = False
    deadline: dt.date | None = None
    period_end: dt.date | None = None
    next_from: dt.date | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = None
    slack: int | None = None
    critical: bool = False
    occurrences: tuple[dt.date, ...] = ()
    occurrence_windows: tuple[tuple[dt.date, dt.date], ...] = ()
    depends_on: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    counts_from: str | None = None
    rules: _Deferred[tuple[Deadline, ...]] = _Deferred(())
    explanation: _Deferred[tuple[str, ...]] = _Deferred(())
    _words: Later | None = field(default=None, repr=False, compare=False)

    def explain(self, translator: Translator | None = None) -> tuple[str, ...]:
        """:attr:`explanation` in ``translator``'s language (English without one, or for a step whose
        explanation was given as text)."""
        if translator is None or translator.lang == "en" or self._words is None:
            return self.explanation
        return self._words.words(self, translator)

    @property
    def deadline_span(self) -> tuple[dt.date, dt.date] | None:
        """The first and the last day the legal deadline may fall on: the same day twice when the day
        its rule counts from is decided, else the deadlines counted from that day's earliest and latest
        possible days (``deadline`` is the last: a plan must not be read as allowing it whatever
        happens); None when no rule gives a deadline."""
        if self.deadline is None:
            return None
        days = [d.date for d in self.rules]
        return (min(days), self.deadline) if len(days) > 1 else (self.deadline, self.deadline)

    @property
    def next_from_span(self) -> tuple[dt.date, dt.date] | None:
        """The first and the last day an "at least N" period may let the next step happen from, as
        :attr:`deadline_span` (``next_from`` is the first); None when no such period binds the step."""
        if self.next_from is None:
            return None
        days = [d.date for d in self.rules]
        last = max(days) + dt.timedelta(days=1) if len(days) > 1 else self.next_from
        return self.next_from, last

    @property
    def occurrence_spans(self) -> tuple[tuple[dt.date, dt.date], ...]:
        """Each occurrence as (first, last possible day): its window, or (day, day) when the day is fixed."""
        return self.occurrence_windows or tuple((d, d) for d in self.occurrences)

    def to_dict(self, title: str | None = None) -> dict[str, Any]:
        """The JSON form (ISO dates); ``title`` is the title in the chosen language."""
        out: dict[str, Any] = {
            "id": self.id,
            "stage": self.stage,
            "kind": self.kind,
            "title": title if title is not None else _text_in(self.title, "en"),
            "titles": dict(self.title),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "span": self.span,
            "window": self.window,
            "fixed": self.fixed,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_span": _iso_pair(self.deadline_span),
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "next_from": self.next_from.isoformat() if self.next_from else None,
            "next_from_span": _iso_pair(self.next_from_span),
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "latest": self.latest.isoformat() if self.latest else None,
            "slack": self.slack,
            "critical": self.critical,
            "depends_on": list(self.depends_on),
            "responsible": list(self.responsible),
            "counts_from": self.counts_from,
            "rule": "; ".join(self.explanation),
            "rules": [d.explain() for d in self.rules],
        }
        if self.occurrences:
            out["occurrences"] = [d.isoformat() for d in self.occurrences]
        if self.occurrence_windows:
            out["occurrence_windows"] = [[a.isoformat(), b.isoformat()] for a, b in self.occurrence_windows]
        return out


@dataclass(frozen=True)
class ScheduledStage:
    """A stage spans its steps and nested stages."""

    id: str
    parent: str | None
    title: dict[str, str]
    start: dt.date
    end: dt.date
    steps: tuple[str, ...]
    explanation: tuple[str, ...] = ()

    def to_dict(self, title: str | None = None) -> dict[str, Any]:
        return {
            "id": self.id,
            "parent": self.parent,
            "title": title if title is not None else _text_in(self.title, "en"),
            "titles": dict(self.title),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "steps": list(self.steps),
            "rule": "; ".join(self.explanation),
        }


@dataclass(frozen=True)
class Schedule:
    """A planned process: every step and stage dated, with findings and the critical path."""

    process: str
    start: dt.date
    end: dt.date
    steps: tuple[ScheduledStep, ...]
    stages: tuple[ScheduledStage, ...] = ()
    findings: tuple[PlanFinding, ...] = ()
    critical_path: tuple[str, ...] = ()
    fixed: dict[str, dt.date] = field(default_factory=dict)
    language: str = "en"

    def __iter__(self) -> Iterator[ScheduledStep]:
        return iter(self.steps)

    @cached_property
    def _step_by_id(self) -> dict[str, ScheduledStep]:
        """Steps by id, built on the first lookup (the first step wins should an id repeat)."""
        found: dict[str, ScheduledStep] = {}
        for s in self.steps:
            found.setdefault(s.id, s)
        return found

    @cached_property
    def _stage_by_id(self) -> dict[str, ScheduledStage]:
        """Stages by id, built on the first lookup (the first stage wins should an id repeat)."""
        found: dict[str, ScheduledStage] = {}
        for s in self.stages:
            found.setdefault(s.id, s)
        return found

    def step(self, step_id: str) -> ScheduledStep:
        """The scheduled step with this id; :class:`UnknownStepError` (a ``KeyError``) listing the known ids
        otherwise."""
        found = self._step_by_id.get(step_id)
        if found is not None:
            return found
        from civicflow._suggest import closest

        known = [s.id for s in self.steps]
        close = closest(step_id, known)
        hint = f"did you mean {', '.join(close)}?" if close else f"known steps: {', '.join(known)}"
        raise UnknownStepError(f"no step {step_id!r} in the schedule; {hint}", step=step_id, known=known)

    def stage(self, stage_id: str) -> ScheduledStage:
        """The scheduled stage with this id."""
        found = self._stage_by_id.get(stage_id)
        if found is not None:
            return found
        raise KeyError(f"no stage {stage_id!r}; known stages: {', '.join(s.id for s in self.stages)}")

    @property
    def feasible(self) -> bool:
        """False when some constraints cannot all hold (a rule that fixed or recorded days break included)."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def broken_by_facts(self) -> bool:
        """True when every ERROR finding is a rule that fixed or recorded days break (what happened, not
        the plan, is at odds with the rules); False when there is none or the plan itself cannot hold."""
        errors = [f for f in self.findings if f.severity is Severity.ERROR]
        return bool(errors) and all(f.facts for f in errors)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """The JSON form of ``civicflow plan --format json``: ``process``, ``start``, ``steps``, ...

        ``lang`` picks the language of ``title`` (falling back to English, then the original language).
        """

        def pick(text: dict[str, str]) -> str:
            return _text_in(text, lang, "en", self.language)

        return {
            "process": self.process,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "feasible": self.feasible,
            "critical_path": list(self.critical_path),
            "steps": [s.to_dict(pick(s.title)) for s in self.steps],
            "stages": [s.to_dict(pick(s.title)) for s in self.stages],
            "findings": [f.to_dict() for f in self.findings],
        }
