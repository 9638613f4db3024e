"""Sentences kept apart from their wording: a message id and its typed parameters, rendered in a language.

A :class:`Message` is what the library means (an English ``msgid`` with ``{placeholders}`` and the
values that fill them); :meth:`Message.render` words it in one language with a
:class:`~civicflow.i18n.Translator` passed in (nothing global). Parameters keep their types: a date is
shown with its weekday in the reader's language, a :class:`~civicflow.durations.Duration` and a
:class:`Count` take the plural form the language needs (``1 робочий день``, ``2 робочі дні``,
``5 робочих днів``), a :class:`Term` (a fixed phrase such as a legal citation) is translated as it
stands, a public holiday is named by the ``holidays`` package in that language where it can, a nested
:class:`Message` is rendered in the same language, and text (step ids, references a template wrote) is
shown as it is.

English needs no catalog and no Babel: its sentences are the msgids, its weekdays fixed English names.

>>> import datetime as dt
>>> from civicflow.messages import Count, Message
>>> late = Message("{step} is {late} late", step="hearing", late=Count(2, "working day", "working days"))
>>> late.render()
'hearing is 2 working days late'
>>> str(Message("due by {day}", day=dt.date(2025, 11, 21)))
'due by 2025-11-21 Fri'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Union, runtime_checkable

from civicflow.durations import Duration, DurationUnit
from civicflow.i18n import _, format_day, weekday_name

if TYPE_CHECKING:
    from civicflow.i18n import Translator

__all__ = ["Count", "Message", "Param", "Term", "Weekday", "Wording", "joined", "reason_of", "said", "word"]


@dataclass(frozen=True, slots=True)
class Term:
    """A fixed word or phrase (a legal citation, a reading's name) translated as it stands; with a
    ``context``, the word as meant there (``Term("skip", "action")``: *пропустити*, not *пропущено*)."""

    text: str
    context: str | None = None


@dataclass(frozen=True, slots=True)
class Count:
    """A whole number with its noun, ``{n} working day`` / ``{n} working days``: ``n`` picks the form."""

    n: int
    singular: str
    plural: str


@runtime_checkable
class Renders(Protocol):
    """A parameter that words itself (a public holiday named by the calendar, say)."""

    def render(self, translator: Translator | None = None) -> str: ...


@dataclass(frozen=True, slots=True)
class Weekday:
    """The weekday of ``day`` named in full: ``Sunday``, ``неділя``, ``неделя``, ``воскресенье``."""

    day: dt.date


Param = Union[str, int, dt.date, dt.time, Duration, Term, Count, Weekday, "Wording", "Message", Renders]
"""What fills a placeholder."""


@dataclass(frozen=True, slots=True)
class Wording:
    """A text a template wrote in several languages (``{"en": ..., "uk": ...}``): the reader's language,
    else English, else the template's own language, else any."""

    texts: tuple[tuple[str, str], ...]
    language: str | None = None

    def __str__(self) -> str:
        return self.pick(None)

    def pick(self, lang: str | None) -> str:
        texts = dict(self.texts)
        for key in (lang, "en", self.language):
            if key and key in texts:
                return texts[key]
        return next(iter(texts.values()), "")


class Message:
    """An English ``msgid`` (with ``{placeholders}``) and the typed values of its placeholders.

    Equal when the id and the parameters are equal; ``str()`` is the English sentence (rendered once and
    kept: messages are immutable).
    """

    __slots__ = ("_english", "_hash", "id", "params")

    def __init__(self, id: str, /, **params: Param) -> None:
        self.id = id
        self.params: dict[str, Param] = params
        self._english: str | None = None
        self._hash: int | None = None

    def __repr__(self) -> str:
        return f"Message({self.id!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and self.id == other.id and self.params == other.params

    def __hash__(self) -> int:
        # the parameters count: many messages share an id (one per rule of a plan), and a hash of the id
        # alone would put them all in one bucket of a cache; worked out once (messages are immutable, and
        # a status's memo hashes the same nested message again and again)
        found = self._hash
        if found is None:
            found = self._hash = hash((self.id, frozenset(self.params.items())))
        return found

    def __str__(self) -> str:
        english = self._english
        if english is None:
            english = self._english = self._render(None)
        return english

    def render(self, translator: Translator | None = None) -> str:
        """The sentence in ``translator``'s language (``None`` or English: the English sentence)."""
        if translator is None or translator.lang == "en":
            return str(self)
        return self._render(translator)

    def _render(self, tr: Translator | None) -> str:
        text = self.id if tr is None else tr.gettext(self.id)
        if not self.params:
            return text
        return text.format(**{k: _param(v, tr) for k, v in self.params.items()})


class _Joined(Message):
    """Parts one after another: no catalog lookup, no format string to parse."""

    __slots__ = ()

    def _render(self, tr: Translator | None) -> str:
        return "".join([_param(v, tr) for v in self.params.values()])


def joined(*parts: Param) -> Message:
    """The parts one after another (punctuation between them is a part): a sentence built in steps."""
    message = _Joined("")
    message.params = dict(enumerate(parts))  # type: ignore[arg-type]  # positions, not placeholders
    return message


def reason_of(error: BaseException) -> Param:
    """What ``error`` says as a parameter: the :class:`Message` it was raised with (a
    ``ValueError(Message(...))``, a civicflow error that keeps one), else its text."""
    kept = getattr(error, "reason", None)
    if isinstance(kept, Message):
        return kept
    first = error.args[0] if error.args else None
    return first if isinstance(first, Message) else str(error)


def said(error: BaseException, tr: Translator | None = None) -> str:
    """What ``error`` says, in ``tr``'s language when it was raised with a :class:`Message` (a
    ``ValueError(Message(...))``, a civicflow error that keeps one), else its text as it is."""
    text_in = getattr(error, "text_in", None)
    if callable(text_in):
        return str(text_in(tr))
    if error.args and isinstance(error.args[0], Message):
        return error.args[0].render(tr)
    return str(error)


def word(value: Param, tr: Translator | None = None) -> str:
    """One parameter in words, in ``tr``'s language (``None``: English)."""
    return _param(value, tr)


def _param(value: Any, tr: Translator | None) -> str:
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is Message or kind is _Joined:
        return value.render(tr)  # type: ignore[no-any-return]
    if kind is dt.date:
        return format_day(value, tr)
    if isinstance(value, str):
        return value
    if isinstance(value, Message):
        return value.render(tr)
    if isinstance(value, dt.datetime):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return format_day(value, tr)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, Duration):
        return str(value) if tr is None else _duration(value, tr)
    if isinstance(value, Count):
        if tr is None:
            return f"{value.n} {value.singular if value.n == 1 else value.plural}"
        return _count(value.n, value.singular, value.plural, tr)
    if isinstance(value, Term):
        if tr is None:
            return value.text
        return tr.gettext(value.text) if value.context is None else tr.pgettext(value.context, value.text)
    if isinstance(value, Weekday):
        return weekday_name(value.day, tr, "wide")
    if isinstance(value, Wording):
        return value.pick(None if tr is None else tr.lang)
    if isinstance(value, Renders):
        return value.render(tr)
    return str(value)


# Every count the messages use, marked here for the catalogs: "{n} <singular>" / "{n} <plural>".
_COUNTS = {
    DurationUnit.DAYS: ("day", "days"),
    DurationUnit.WORKING_DAYS: ("working day", "working days"),
    DurationUnit.WEEKS: ("week", "weeks"),
    DurationUnit.MONTHS: ("month", "months"),
    DurationUnit.QUARTERS: ("quarter", "quarters"),
    DurationUnit.HALF_YEARS: ("half-year", "half-years"),
    DurationUnit.YEARS: ("year", "years"),
    DurationUnit.HOURS: ("hour", "hours"),
}


def _mark_counts(ngettext: Any) -> None:  # pragma: no cover - read by the extractor only
    ngettext("{n} day", "{n} days", 1)
    ngettext("{n} working day", "{n} working days", 1)
    ngettext("{n} calendar day", "{n} calendar days", 1)
    ngettext("{n} week", "{n} weeks", 1)
    ngettext("{n} month", "{n} months", 1)
    ngettext("{n} quarter", "{n} quarters", 1)
    ngettext("{n} half-year", "{n} half-years", 1)
    ngettext("{n} year", "{n} years", 1)
    ngettext("{n} hour", "{n} hours", 1)
    ngettext("{n} and a half months", "{n} and a half months", 1)
    ngettext("{n} occurrence", "{n} occurrences", 1)


def _count(n: int, singular: str, plural: str, tr: Translator) -> str:
    one, many = "{n} " + singular, "{n} " + plural
    return tr.ngettext(one, many, n).format(n=n)


def _duration(d: Duration, tr: Translator) -> str:
    """``3 working days`` in the reader's language, with the plural form its number needs."""
    if d.half_month:
        if d.amount == 0:
            return tr.gettext(_("half a month"))
        return _count(d.amount, "and a half months", "and a half months", tr)
    singular, plural = ("calendar day", "calendar days") if d.calendar_days else _COUNTS[d.unit]
    text = _count(d.amount, singular, plural, tr)
    if d.plus_days:
        text += " " + _count(d.plus_days, "day", "days", tr)
    return text
