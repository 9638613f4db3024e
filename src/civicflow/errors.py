"""The exceptions civicflow raises.

Every error is a :class:`CivicflowError`; each leaf also subclasses the builtin it semantically is, so
``except ValueError`` keeps working for callers who do not know civicflow. A missed deadline is *not* an
exception: it is a finding in a compliance report.

::

    CivicflowError
    ├── UnknownJurisdictionError (LookupError)   a country/subdivision code `holidays` does not know
    ├── CalendarRangeError (ValueError)          a date outside the years a calendar covers
    ├── DurationError (ValueError)               text that is not a duration ("3 working days", "P10D")
    ├── TemplateError (ValueError)               a template that is not valid; carries every Problem
    ├── TemplateNotFoundError (LookupError)      no bundled template with that id and no such file
    ├── PlanInputError (ValueError)              bad anchors for planning (an unknown fixed step, ...)
    ├── EventLogError (ValueError)               an event log that cannot be read; carries every Problem
    ├── IllegalTransitionError (ValueError)      a step transition that is not allowed now (says why)
    ├── UnknownFormatError (LookupError)         an export format that does not exist (lists the known)
    └── StoreError                               the durable instance store
        ├── InstanceNotFoundError (LookupError)
        ├── InstanceExistsError (ValueError)
        └── ConflictError                        a concurrent writer recorded first
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from civicflow.i18n import Translator


@runtime_checkable
class _Worded(Protocol):
    """A message that words itself in a language (:class:`civicflow.messages.Message`)."""

    def render(self, translator: Translator | None = None) -> str: ...


__all__ = [
    "CalendarRangeError",
    "CivicflowError",
    "ConflictError",
    "DayTypeError",
    "DurationError",
    "EventLogError",
    "IllegalTransitionError",
    "InstanceExistsError",
    "InstanceNotFoundError",
    "PlanInputError",
    "Problem",
    "StoreError",
    "StoreNotFoundError",
    "TemplateError",
    "TemplateNotFoundError",
    "UnknownFormatError",
    "UnknownJurisdictionError",
]


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file: where it is, what is wrong, and what would be right.

    ``path`` is the location inside the document (``("steps", 3, "timing")``); ``line`` and ``column``
    are 1-based positions in the file when known.
    """

    message: str
    source: str | None = None
    line: int | None = None
    column: int | None = None
    path: tuple[str | int, ...] = field(default_factory=tuple)
    worded: _Worded | None = field(default=None, compare=False, repr=False)
    """The message as a :class:`~civicflow.messages.Message`, when there is one (:meth:`text` words it
    in the reader's language; ``message`` is its English)."""

    @classmethod
    def of(
        cls,
        message: str | _Worded,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        path: tuple[str | int, ...] = (),
    ) -> Problem:
        """A problem whose message may be a :class:`~civicflow.messages.Message` (English in
        ``message``, worded in another language by :meth:`text`)."""
        if isinstance(message, str):
            return cls(message, source, line, column, path)
        return cls(str(message), source, line, column, path, message)

    @property
    def location(self) -> str:
        """``file:line:column`` (as much of it as is known)."""
        parts: list[str] = []
        if self.source:
            parts.append(self.source)
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    @property
    def dotted_path(self) -> str:
        """The document path as ``steps[3].timing``."""
        out = ""
        for part in self.path:
            if isinstance(part, int) and not isinstance(part, bool):
                out += f"[{part}]"
            else:  # a text key; a YAML key may also be a number, a date or null
                out += ("." if out else "") + str(part)
        return out

    def to_dict(self) -> dict[str, object]:
        """The problem as JSON output shows it (``lint``/``check --format json``, the service): source,
        line, column, path, message."""
        return {
            "source": self.source,
            "line": self.line,
            "column": self.column,
            "path": self.dotted_path,
            "message": self.message,
        }

    def __str__(self) -> str:
        return self.text()

    def text(self, lang: str | Translator | None = None) -> str:
        """``file:line:column: path: message``, the message in ``lang`` (English by default; file, line
        and path stay as they are)."""
        said = self.message if self.worded is None else self.worded.render(_translator(lang))
        head = self.location
        where = self.dotted_path
        text = f"{where}: {said}" if where else said
        return f"{head}: {text}" if head else text


def _(message: str) -> str:
    """Mark ``message`` for the catalogs (as :func:`civicflow.i18n._`, without importing it here)."""
    return message


class _Said:
    """A sentence of this module with text parameters, worded as a :class:`civicflow.messages.Message`
    is (this module cannot import that one: messages imports durations, which imports errors)."""

    __slots__ = ("id", "params")

    def __init__(self, id: str, /, **params: str | _Said) -> None:
        self.id = id
        self.params = params

    def __str__(self) -> str:
        return self.render()

    def render(self, translator: Translator | None = None) -> str:
        english = translator is None or translator.lang == "en"
        text = self.id if english or translator is None else translator.gettext(self.id)
        shown = {k: v.render(translator) if isinstance(v, _Said) else v for k, v in self.params.items()}
        return text.format(**shown)


def _translator(lang: str | Translator | None) -> Translator | None:
    if lang is None or lang == "en":
        return None
    if isinstance(lang, str):
        from civicflow.i18n import translator

        return translator(lang)
    return lang


class CivicflowError(Exception):
    """Base class of every error civicflow raises on purpose.

    Raised with a :class:`~civicflow.messages.Message` (rather than text), the error keeps it as
    ``reason`` and :meth:`text_in` words it in a language; ``str()`` is the English message either way.
    """

    reason: _Worded | None = None

    def __init__(self, *args: object) -> None:
        if len(args) == 1 and not isinstance(args[0], str) and isinstance(args[0], _Worded):
            self.reason = args[0]
            args = (str(args[0]),)
        super().__init__(*args)

    def text_in(self, lang: str | Translator | None = None) -> str:
        """The message in ``lang`` (``"uk"``, ``"bg"``, ``"ru"`` or a translator); English by default."""
        tr = _translator(lang)
        if self.reason is None or tr is None:
            return str(self)
        return self.reason.render(tr)


class UnknownJurisdictionError(CivicflowError, LookupError):
    """A country or subdivision code that the `holidays` data does not know."""

    def __init__(self, code: str, suggestions: Sequence[str] = (), *, kind: str = "country") -> None:
        self.code = code
        self.suggestions = tuple(suggestions)
        self.kind = kind
        unknown = {
            "country": _("unknown country code {code}{hint}"),
            "subdivision": _("unknown subdivision code {code}{hint}"),
            "time zone": _("unknown time zone code {code}{hint}"),
        }.get(kind, "unknown " + kind + " code {code}{hint}")
        hint = (
            _Said(_("; did you mean {codes}?"), codes=", ".join(self.suggestions)) if self.suggestions else ""
        )
        super().__init__(_Said(unknown, code=repr(code), hint=hint))


class DayTypeError(CivicflowError, TypeError):
    """A day given as something other than a :class:`datetime.date` (text such as ``"2025-10-06"``, a
    number) to a function that takes days; ``argument`` names it, and the message says what to write."""

    def __init__(self, message: str, *, argument: str, value: object) -> None:
        super().__init__(message)
        self.argument = argument
        self.value = value


class CalendarRangeError(CivicflowError, ValueError):
    """A date outside the range of years a calendar was built for.

    ``str()`` is the English message with a hint for library callers (how to build a calendar that covers
    more years); ``reason``, when given, is the same sentence without that hint, which :meth:`text_in`
    words in a language: the command line and the dashboard show that one, since their users cannot
    change the calendar's years.
    """

    def __init__(self, message: str, reason: _Worded | None = None) -> None:
        super().__init__(message)
        self.reason = reason

    def text_in(self, lang: str | Translator | None = None) -> str:
        """The message without the library's hint, in ``lang`` (English by default)."""
        if self.reason is None:
            return str(self)
        return self.reason.render(_translator(lang))


class DurationError(CivicflowError, ValueError):
    """Text that cannot be read as a duration; the message quotes it and lists what is accepted."""

    def __init__(self, text: str, accepted: str) -> None:
        self.text = text
        self.accepted = accepted
        unreadable = _("cannot read {text} as a duration; accepted: {accepted}")
        super().__init__(_Said(unreadable, text=repr(text), accepted=accepted))


SHOWN_PROBLEMS = 20
"""How many problems the message of an error lists (a screenful); ``problems`` holds every one."""


class _ProblemsError(CivicflowError, ValueError):
    """An error that carries a list of problems, all found at once."""

    what = "input"

    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        super().__init__(self._lines(None))

    def text_in(self, lang: str | Translator | None = None) -> str:
        """The heading and the problems (each at its file and line) in ``lang``; English by default."""
        tr = _translator(lang)
        return str(self) if tr is None else self._lines(tr)

    def _heading(self, count: int, tr: Translator) -> str:
        return tr.ngettext("{n} problem:", "{n} problems:", count)

    def _lines(self, tr: Translator | None) -> str:
        count = len(self.problems)
        head = f"{self.source}: " if self.source else ""
        shown = self.problems if count <= SHOWN_PROBLEMS + 1 else self.problems[:SHOWN_PROBLEMS]
        more = count - len(shown)
        if tr is None:
            noun = "problem" if count == 1 else "problems"
            lines = [f"{head}{count:,} {noun} in {self.what}:"] + [f"  {p}" for p in shown]
            if more:
                lines.append(f"  ... and {more:,} more problems")
            return "\n".join(lines)
        lines = [head + self._heading(count, tr).format(n=_number(count))]
        lines += [f"  {p.text(tr)}" for p in shown]
        if more:
            tail = tr.ngettext("... and {n} more problem", "... and {n} more problems", more)
            lines.append("  " + tail.format(n=_number(more)))
        return "\n".join(lines)


def _number(n: int) -> str:
    """``12 345``: a count with its thousands apart as uk, bg and ru write them (a no-break space)."""
    return f"{n:,}".replace(",", "\u00a0")


class TemplateError(_ProblemsError):
    """A process template that is not valid. ``problems`` lists every problem found."""

    what = "process template"

    def _heading(self, count: int, tr: Translator) -> str:
        return tr.ngettext("{n} problem in process template:", "{n} problems in process template:", count)


class TemplateNotFoundError(CivicflowError, LookupError):
    """Neither a bundled template with that id nor a readable file at that path."""


class PlanInputError(CivicflowError, ValueError):
    """Anchors or options for planning that do not fit the template.

    ``argument`` names the argument of :func:`civicflow.plan` at fault (``"start"``, ``"fixed"``) when
    there is one; the message then says ``(start=)`` where a program or a command line would add its own
    way of giving it (:meth:`worded`).
    """

    def __init__(
        self, message: str | _Worded, *, argument: str | None = None, after: str | _Worded = ""
    ) -> None:
        self.argument = argument
        self._before, self._after = message, after
        super().__init__(self.worded(f"{argument}=") if argument else message)

    def worded(self, hint: str, lang: str | Translator | None = None) -> str:
        """The message with ``hint`` where the argument is named: ``give the process start (hint)``; in
        ``lang`` where it was given as a :class:`~civicflow.messages.Message` (English by default)."""
        if self.argument is None:
            return self.text_in(lang)
        tr = _translator(lang)
        before, after = (p if isinstance(p, str) else p.render(tr) for p in (self._before, self._after))
        return f"{before} ({hint}){after}"

    def text_in(self, lang: str | Translator | None = None) -> str:
        """The message in ``lang`` (English by default), naming the argument as the API does."""
        if self.argument is None:
            return super().text_in(lang)
        return self.worded(f"{self.argument}=", lang)


class EventLogError(_ProblemsError):
    """An event log that cannot be read. ``problems`` lists every bad record with its file and line."""

    what = "event log"

    def _heading(self, count: int, tr: Translator) -> str:
        return tr.ngettext("{n} problem in event log:", "{n} problems in event log:", count)


class IllegalTransitionError(CivicflowError, ValueError):
    """A transition that is not allowed at this moment; the message says why and what is allowed.

    The same as data: ``step`` and ``event`` refused (``None`` when they could not be read), ``allowed``
    the ``(step, event)`` pairs possible on that day, ``earliest`` the first day the refused transition
    will be allowed when only time stands in its way (else ``None``). ``reason`` is the message as a
    :class:`~civicflow.messages.Message` when there is one; :meth:`text` words it in a language.
    """

    def __init__(
        self,
        message: str,
        *,
        step: str | None = None,
        event: str | None = None,
        allowed: Sequence[tuple[str, str]] = (),
        earliest: dt.date | None = None,
        reason: _Worded | None = None,
    ) -> None:
        super().__init__(message)
        self.step = step
        self.event = event
        self.allowed = tuple(allowed)
        self.earliest = earliest
        self.reason = reason

    def text(self, lang: str | Translator | None = None) -> str:
        """The message in ``lang`` (``"uk"``, ``"bg"``, ``"ru"`` or a translator); English by default."""
        return self.text_in(lang)


class UnknownStepError(CivicflowError, KeyError):
    """A step id that the template, schedule or instance does not have; ``known`` lists the ids it has.

    A :class:`KeyError`, so ``except KeyError`` still catches it; ``args[0]`` is the message, which
    ``str()`` shows without the quotes a plain KeyError adds.
    """

    def __init__(self, message: str | _Worded, *, step: str, known: Sequence[str]) -> None:
        super().__init__(message)
        self.step = step
        self.known = tuple(known)

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownFormatError(CivicflowError, LookupError):
    """An output or export format that does not exist; the message lists the known ones."""


class StoreError(CivicflowError):
    """A problem with the durable instance store."""


class StoreNotFoundError(StoreError, FileNotFoundError):
    """A SQLite store opened with ``create=False`` (to read it) whose file does not exist (``.path``)."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"no store at {path}: the file does not exist (a mistyped path?); Store.open(url) without "
            "create=False creates it, as `civicflow track new` and `track import` do"
        )
        self.path = path

    def __str__(self) -> str:
        return str(self.args[0])


class InstanceNotFoundError(StoreError, LookupError):
    """No tracked instance with that name (``.name``). The message lists some tracked names for the
    person at the command line; the HTTP service says only ``.name``, since a token may not see others."""

    def __init__(self, message: str | _Worded, *, name: str = "") -> None:
        super().__init__(message)
        self.name = name


class InstanceExistsError(StoreError, ValueError):
    """A tracked instance with that name exists already."""


class ConflictError(StoreError):
    """Another writer changed the instance first; reload and try again."""
