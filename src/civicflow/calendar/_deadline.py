"""A computed legal deadline, the two readings of backward periods, and month arithmetic."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from civicflow.durations import Duration, DurationUnit
from civicflow.errors import CalendarRangeError
from civicflow.i18n import _, format_day, weekday_name
from civicflow.messages import Message, Param, Term, word

if TYPE_CHECKING:
    from civicflow.i18n import Translator


class Reading(StrEnum):
    """How "no later than N days before Y" is read (docs/calendar.md, "Backward periods").

    ``COUNT_BACK`` (reading A): count back N (working) days starting the day before Y; the Nth is the last
    day. ``CLEAR_DAYS`` (reading B): N whole (working) days lie strictly between the act and Y; the day
    before A's. Neither line is moved off a day off (Reg. 1182/71 art. 3(4), second sentence; no code of
    UA, BG or RU moves it).
    """

    COUNT_BACK = "count_back"
    CLEAR_DAYS = "clear_days"


def add_months(d: _dt.date, months: int) -> _dt.date:
    """``d`` moved by whole months, keeping its day number or taking the last day of a shorter month.

    >>> add_months(_dt.date(2025, 1, 31), 1)
    datetime.date(2025, 2, 28)
    >>> add_months(_dt.date(2024, 3, 31), -1)
    datetime.date(2024, 2, 29)
    """
    year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    month = month0 + 1
    if not 1 <= year <= 9999:
        raise CalendarRangeError(f"{d.isoformat()} moved by {months} months leaves the supported years")
    following = _dt.date(year + 1, 1, 1) if month == 12 else _dt.date(year, month + 1, 1)
    last_day = (following - _dt.timedelta(days=1)).day
    return _dt.date(year, month, min(d.day, last_day))


def shift_calendar(d: _dt.date, duration: Duration, sign: int = 1) -> _dt.date:
    """``d`` moved by a period in calendar time, without any roll (not for working days).

    Months, quarters, half-years and years go by :func:`add_months` (a year ends on the same month and day,
    29 February on 28 February; Civil Code of Ukraine art. 254(1)-(3), Civil Code of the RF art. 192), then
    any extra days (half a month, ``P1M10D``). Days and weeks are calendar days. Hours, counted from a day
    rather than a moment, run from the end of that day: ``ceil(hours / 24)`` days.
    """
    months = duration.months
    if months is not None:
        out = add_months(d, sign * months)
        extra = duration.extra_days
        return out + _dt.timedelta(days=sign * extra) if extra else out
    if duration.unit is DurationUnit.HOURS:
        return d + _dt.timedelta(days=sign * -(-duration.amount // 24))
    if duration.unit is DurationUnit.WORKING_DAYS:
        raise ValueError("working days need a calendar: use WorkingCalendar.add_working_days")
    return d + _dt.timedelta(days=sign * (duration.days_equivalent or 0))


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""English weekday names, fixed: output never depends on the process locale (``strftime`` would)."""

MONTH_ABBRS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""English month abbreviations, fixed like :data:`WEEKDAY_NAMES`."""


def weekday_abbr(d: _dt.date) -> str:
    """``Mon`` ... ``Sun`` for ``d``, whatever the process locale."""
    return weekday_name(d)


@dataclass(frozen=True)
class Deadline:
    """A computed legal deadline and how it was reached.

    ``raw`` is the last day of the period before any roll; ``date`` is the deadline itself (the last day
    on which the act may happen). ``roll_reason`` says why ``raw`` was moved, with its legal source.
    ``reading`` is set for backward periods only; ``rule`` and ``reference`` are the caller's rule id and
    legal reference, quoted by :meth:`explain`.

    For a backward period ``date`` is the legal line as the law counts it (never moved: no code of UA, BG
    or RU moves it, and Reg. 1182/71 art. 3(4) second sentence excludes it), and ``advised`` is the
    working day on or before it, the day to act by to be safe; for a forward period ``advised`` is
    ``date``. ``notes`` are further steps of the computation with their sources (a procedural code's
    working days, Reg. 1182/71 art. 3(5), the martial-law assumption, a minimum that is not rolled).
    ``moment`` is the end of a period in hours counted from a date-time (the deadline's local time).
    ``source`` is the article that says how the period is counted (event day not counted, months, years).
    ``roll_detail``, ``details`` and ``wording`` are the roll, the notes and the rule as messages, worded
    in the reader's language by :meth:`describe`; ``roll_reason``, ``notes`` and ``rule`` their English.
    """

    event: _dt.date
    duration: Duration
    direction: Literal["after", "before"]
    raw: _dt.date
    date: _dt.date
    rolled: bool
    roll_reason: str | None
    reading: Reading | None = None
    rule: str | None = None
    reference: str | None = None
    advised: _dt.date | None = None
    notes: tuple[str, ...] = ()
    moment: _dt.datetime | None = None
    source: str | None = None

    roll_detail: Message | None = None
    details: tuple[Message, ...] = ()
    wording: Param | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.advised is None:
            object.__setattr__(self, "advised", self.date)
        # the calendar words its roll and notes as messages; their English text fills the plain fields
        if self.roll_detail is not None and self.roll_reason is None:
            object.__setattr__(self, "roll_reason", str(self.roll_detail))
        if self.details and not self.notes:
            object.__setattr__(self, "notes", tuple(str(m) for m in self.details))

    def describe(self, rule: Param | None = None) -> Message:
        """How the deadline was reached, as a :class:`~civicflow.messages.Message` (``explain`` words it).

        ``rule`` words the rule in the reader's language (default: the rule as the deadline holds it).
        """
        return _Explained(self, rule)

    def explain(self, translator: Translator | None = None) -> str:
        """One sentence chain, e.g. ``3 working days after 2024-10-10 Thu (event day not counted) -> Tue
        2024-10-15``; in ``translator``'s language when one is given."""
        return self.words(translator)

    def words(self, tr: Translator | None = None, rule: Param | None = None) -> str:
        """The one wording of a deadline (:meth:`explain` and :meth:`describe` both use it)."""
        if self.direction == "after" and self.duration.unit is DurationUnit.HOURS:
            plain = _("{duration} after the event on {day} (counted in hours)")
            cited = _("{duration} after the event on {day} (counted in hours: {source})")
        elif self.direction == "after":
            plain = _("{duration} after {day} (event day not counted)")
            cited = _("{duration} after {day} (event day not counted: {source})")
        elif self.reading is Reading.COUNT_BACK:
            plain = _("{duration} before {day} (reading A: counted back from the day before the event)")
            cited = _(
                "{duration} before {day} (reading A: counted back from the day before the event: {source})"
            )
        else:
            assert self.reading is not None
            plain = _(
                "{duration} before {day} (reading B: whole days strictly between the act and the event)"
            )
            cited = _(
                "{duration} before {day} (reading B: whole days strictly between the act and the event: "
                "{source})"
            )
        english = tr is None or tr.lang == "en"
        source = self.source
        duration, day = word(self.duration, tr), format_day(self.event, tr)
        if source:
            source = source if english else tr.gettext(source)  # type: ignore[union-attr]
            head = (cited if english else tr.gettext(cited)).format(  # type: ignore[union-attr]
                duration=duration, day=day, source=source
            )
        else:
            head = (plain if english else tr.gettext(plain)).format(duration=duration, day=day)  # type: ignore[union-attr]
        text = f"{head} -> {format_day(self.raw, tr)}"
        if self.moment is not None:
            text += f" {self.moment.strftime('%H:%M')}"
        if self.rolled and (self.roll_detail is not None or self.roll_reason):
            text += ", " + (
                self.roll_detail.render(tr) if self.roll_detail is not None else str(self.roll_reason)
            )
        for note in self.details or self.notes:
            text += "; " + word(note, tr)
        wording = rule if rule is not None else self.wording if self.wording is not None else self.rule
        tail = [
            word(part, tr) for part in (wording, Term(self.reference) if self.reference else None) if part
        ]
        if tail:
            text += f" [{'; '.join(tail)}]"
        return text


class _Explained(Message):
    """:meth:`Deadline.describe`: a message worded by the deadline itself, in any language."""

    __slots__ = ()

    def __init__(self, deadline: Deadline, rule: Param | None) -> None:
        super().__init__("{deadline}", deadline=deadline, rule=rule or "")  # type: ignore[arg-type]

    def _render(self, tr: Translator | None) -> str:
        deadline = self.params["deadline"]
        assert isinstance(deadline, Deadline)
        return deadline.words(tr, self.params["rule"] or None)
