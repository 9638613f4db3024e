"""The working calendar itself: the precomputed table, working-day arithmetic and legal periods."""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import holidays
import pendulum

from civicflow.calendar._deadline import Deadline, Reading, add_months, format_day
from civicflow.calendar._jurisdiction import (
    DEFAULT_FIRST_YEAR,
    DEFAULT_LAST_YEAR,
    DEFAULT_TIMEZONES,
    FALLBACK_TIMEZONE,
    ROLL_RULES,
    check_country,
)
from civicflow.calendar._overlay import Overlay, OverlayError
from civicflow.durations import Duration, DurationUnit
from civicflow.errors import CalendarRangeError, UnknownJurisdictionError

_GENERAL_RULE = "the general rule"
_BACKWARD_POLICY = "a period counted backwards never ends later; civicflow policy, see docs/calendar.md"

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKLY_REST = "(weekly rest day)"


@dataclass(frozen=True, slots=True)
class _Data:
    """What the `holidays` data says for a range of years: names of days off, working weekend days."""

    weekend: frozenset[int]
    names: Mapping[int, str]  # ordinal -> holiday name
    weekend_workdays: frozenset[int]  # ordinals


@dataclass(frozen=True, slots=True)
class _Table:
    """The precomputed table: ``rank[i]`` counts working days from ``base`` to ``base + i`` inclusive."""

    base: int
    size: int
    work: bytes
    rank: list[int]
    days: list[_dt.date]  # the working days, ascending
    after: list[int]  # index in ``days`` of the last working day on or before base + i (rank - 1)
    before: list[int]  # number of working days strictly before base + i (rank - work)
    weekend: bytes  # 1 where the day is a weekly rest day (after overlays)
    explicit: Mapping[int, tuple[bool, str | None, str | None]]  # ordinal -> (off?, reason, reference)


# What an out-of-range message tells both command-line users and library callers.
_WIDEN = (
    "dates outside are not supported (API: WorkingCalendar(first_year=..., last_year=...) covers more years)"
)


class WorkingCalendar:
    """Working days of a country (and subdivision) with local overlays; immutable.

    A day is a working day when it is not a weekly rest day and not a day off in the `holidays` data, or
    when it is a weekly rest day that the data declares working (a transferred working Saturday). Then
    each overlay, in order, changes the days in its validity range: its ``weekend`` replaces the weekly
    rest days, its ``days_off`` and ``working_days`` override everything before them.

    The calendar covers ``first_year`` to ``last_year`` (default 1991 to 2060). Its table is built the
    first time it is needed, in well under a second, and answers every question in constant time. A date
    outside the range, or an answer that would fall outside it, raises :class:`CalendarRangeError`.
    """

    def __init__(
        self,
        country: str,
        subdivision: str | None = None,
        *,
        timezone: str | None = None,
        overlays: Sequence[Overlay] = (),
        first_year: int | None = None,
        last_year: int | None = None,
    ) -> None:
        code, subdiv = check_country(country, subdivision)
        first = DEFAULT_FIRST_YEAR if first_year is None else first_year
        last = DEFAULT_LAST_YEAR if last_year is None else last_year
        if not 1 <= first <= last <= 9998:
            raise CalendarRangeError(
                f"a calendar needs 1 <= first_year <= last_year <= 9998, not {first}..{last}"
            )
        tz_name = timezone if timezone is not None else DEFAULT_TIMEZONES.get(code, FALLBACK_TIMEZONE)
        try:
            self._tz = pendulum.timezone(tz_name)
        except (ValueError, LookupError):
            raise UnknownJurisdictionError(str(tz_name), kind="time zone") from None
        for overlay in overlays:
            if not isinstance(overlay, Overlay):
                raise OverlayError(f"overlays must be Overlay objects, not {overlay!r}")
        self._country = code
        self._subdivision = subdiv
        self._timezone = tz_name
        self._overlays: tuple[Overlay, ...] = tuple(overlays)
        self._first_year = first
        self._last_year = last
        self._data: _Data | None = None
        self._t: _Table | None = None

    # --- identity ---------------------------------------------------------------------------------

    @property
    def country(self) -> str:
        """ISO 3166-1 alpha-2 code, upper case."""
        return self._country

    @property
    def subdivision(self) -> str | None:
        """Subdivision code as `holidays` spells it, or ``None``."""
        return self._subdivision

    @property
    def timezone(self) -> str:
        """IANA time zone name used by :meth:`local_date`."""
        return self._timezone

    @property
    def overlays(self) -> tuple[Overlay, ...]:
        """The local layers, in the order they apply."""
        return self._overlays

    @property
    def first_year(self) -> int:
        """First year covered."""
        return self._first_year

    @property
    def last_year(self) -> int:
        """Last year covered."""
        return self._last_year

    @property
    def roll_rule(self) -> str:
        """The legal source of the forward roll for this country (:data:`ROLL_RULES`)."""
        return ROLL_RULES.get(self._country, _GENERAL_RULE)

    def _key(self) -> tuple[object, ...]:
        return (
            self._country,
            self._subdivision,
            self._timezone,
            self._overlays,
            self._first_year,
            self._last_year,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkingCalendar):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        where = self._country + (f"-{self._subdivision}" if self._subdivision else "")
        return (
            f"WorkingCalendar({where!r}, timezone={self._timezone!r}, overlays={len(self._overlays)}, "
            f"years={self._first_year}..{self._last_year})"
        )

    def with_overlays(self, *overlays: Overlay) -> WorkingCalendar:
        """A new calendar with ``overlays`` applied after the existing ones; this one is unchanged."""
        new = WorkingCalendar(
            self._country,
            self._subdivision,
            timezone=self._timezone,
            overlays=self._overlays + tuple(overlays),
            first_year=self._first_year,
            last_year=self._last_year,
        )
        new._data = self._data  # the holidays data does not depend on overlays
        return new

    # --- building the table -----------------------------------------------------------------------

    def _load_data(self) -> _Data:
        if self._data is None:
            years = range(self._first_year, self._last_year + 1)
            try:
                data = holidays.country_holidays(
                    self._country, subdiv=self._subdivision, years=years, language="en_US"
                )
            except NotImplementedError:  # e.g. en_US not translated for this country
                data = holidays.country_holidays(self._country, subdiv=self._subdivision, years=years)
            self._data = _Data(
                weekend=frozenset(data.weekend),
                names=MappingProxyType({d.toordinal(): name for d, name in data.items()}),
                weekend_workdays=frozenset(d.toordinal() for d in data.weekend_workdays),
            )
        return self._data

    def _table(self) -> _Table:
        if self._t is None:
            self._t = self._build()
        return self._t

    def _build(self) -> _Table:
        data = self._load_data()
        base = _dt.date(self._first_year, 1, 1).toordinal()
        end = _dt.date(self._last_year + 1, 1, 1).toordinal()
        size = end - base
        first_weekday = (base + 6) % 7  # date.fromordinal(o).weekday() == (o + 6) % 7

        def week_pattern(weekend: frozenset[int], start_weekday: int) -> bytes:
            return bytes(0 if (start_weekday + k) % 7 in weekend else 1 for k in range(7))

        # 1 = not a weekly rest day
        open_days = bytearray((week_pattern(data.weekend, first_weekday) * (size // 7 + 1))[:size])
        for overlay in self._overlays:
            if overlay.weekend is None:
                continue
            lo, hi = self._overlay_span(overlay, base, end)
            if lo < hi:
                pattern = week_pattern(overlay.weekend, (lo + 6) % 7)
                open_days[lo - base : hi - base] = (pattern * ((hi - lo) // 7 + 1))[: hi - lo]
        work = bytearray(open_days)
        for ordinal in data.names:
            i = ordinal - base
            if 0 <= i < size and open_days[i]:
                work[i] = 0
        for ordinal in data.weekend_workdays:
            i = ordinal - base
            if 0 <= i < size and not open_days[i]:
                work[i] = 1
        explicit: dict[int, tuple[bool, str | None, str | None]] = {}
        for overlay in self._overlays:
            for days, off in ((overlay.days_off, True), (overlay.working_days, False)):
                for d, reason in days.items():
                    i = d.toordinal() - base
                    if 0 <= i < size and overlay.covers(d):
                        work[i] = 0 if off else 1
                        explicit[d.toordinal()] = (off, reason, overlay.reference)
        rank = list(itertools.accumulate(work))
        ords = list(itertools.compress(range(base, end), work))
        return _Table(
            base=base,
            size=size,
            work=bytes(work),
            rank=rank,
            days=list(map(_dt.date.fromordinal, ords)),
            after=[r - 1 for r in rank],
            before=list(map(int.__sub__, rank, work)),
            weekend=bytes(1 - x for x in open_days),
            explicit=MappingProxyType(explicit),
        )

    @staticmethod
    def _overlay_span(overlay: Overlay, base: int, end: int) -> tuple[int, int]:
        lo = base if overlay.valid_from is None else max(base, overlay.valid_from.toordinal())
        hi = end if overlay.valid_to is None else min(end, overlay.valid_to.toordinal() + 1)
        return lo, hi

    def _out_of_range(self, d: _dt.date) -> CalendarRangeError:
        return CalendarRangeError(
            f"{d.isoformat()} is outside the years the {self._country} calendar covers "
            f"({self._first_year}..{self._last_year}); {_WIDEN}"
        )

    # --- single days ------------------------------------------------------------------------------

    def is_working_day(self, d: _dt.date) -> bool:
        """Whether ``d`` is a working day."""
        t = self._t or self._table()
        i = d.toordinal() - t.base
        if not 0 <= i < t.size:
            raise self._out_of_range(d)
        return bool(t.work[i])

    def day_off_reason(self, d: _dt.date) -> str | None:
        """Why ``d`` is not a working day ("Sunday (weekly rest day)", a holiday name, an overlay's
        reason), or ``None`` on a working day."""
        if self.is_working_day(d):
            return None
        t = self._table()
        ordinal = d.toordinal()
        explicit = t.explicit.get(ordinal)
        if explicit is not None:
            _, reason, reference = explicit
            text = reason or "day off"
            return f"{text} ({reference})" if reference else text
        name = self._load_data().names.get(ordinal)
        if name is not None and not t.weekend[ordinal - t.base]:
            return name
        weekly = f"{_WEEKDAYS[d.weekday()]} {_WEEKLY_REST}"
        return f"{weekly}; {name}" if name else weekly

    def _describe_day_off(self, d: _dt.date) -> str:
        reason = self.day_off_reason(d) or "a working day"
        if reason.split(";")[0].endswith(_WEEKLY_REST):
            return f"a {reason}"
        return f"a day off ({reason})"

    def local_date(self, value: _dt.date | _dt.datetime) -> _dt.date:
        """The calendar day of ``value`` here: an aware datetime is converted to this calendar's time zone;
        a naive datetime is taken as local wall time; a date is itself."""
        if isinstance(value, _dt.datetime):
            if value.tzinfo is None or value.utcoffset() is None:
                return _dt.date(value.year, value.month, value.day)
            local = value.astimezone(self._tz)
            return _dt.date(local.year, local.month, local.day)
        return value

    # --- working-day arithmetic -------------------------------------------------------------------

    def add_working_days(self, d: _dt.date, n: int) -> _dt.date:
        """The ``n``-th working day after ``d`` (before it when ``n`` < 0); ``d`` itself never counts.

        ``n == 0`` returns ``d`` unchanged, even on a day off, so that
        ``working_days_between(d, add_working_days(d, n)) == n`` holds for every ``n``; use
        :meth:`roll_forward` to land on a working day.
        """
        # The hot path: two list look-ups. Out-of-range indices fall through to the error below.
        t = self._t or self._table()
        i = d.toordinal() - t.base
        if i >= 0:
            try:
                if n > 0:
                    return t.days[t.after[i] + n]
                if n < 0:
                    k = t.before[i] + n
                    if k >= 0:
                        return t.days[k]
                elif i < t.size:
                    return d
            except IndexError:
                pass
        raise self._shift_out_of_range(d, n)

    def _shift_out_of_range(self, d: _dt.date, n: int) -> CalendarRangeError:
        t = self._table()
        if not 0 <= d.toordinal() - t.base < t.size:
            return self._out_of_range(d)
        if n > 0:
            return CalendarRangeError(
                f"{n} working days after {d.isoformat()} is after the end of {self._last_year}; "
                f"the {self._country} calendar covers {self._first_year}..{self._last_year}, "
                f"{_WIDEN}"
            )
        return CalendarRangeError(
            f"{-n} working days before {d.isoformat()} is before {self._first_year}; "
            f"the {self._country} calendar covers {self._first_year}..{self._last_year}, "
            f"{_WIDEN}"
        )

    def working_days_between(self, a: _dt.date, b: _dt.date) -> int:
        """The number of working days ``x`` with ``a < x <= b``; negative (``-count(b < x <= a)``) when
        ``b < a``."""
        t = self._t or self._table()
        i = a.toordinal() - t.base
        j = b.toordinal() - t.base
        if not 0 <= i < t.size:
            raise self._out_of_range(a)
        if not 0 <= j < t.size:
            raise self._out_of_range(b)
        return t.rank[j] - t.rank[i]

    def next_working_day(self, d: _dt.date) -> _dt.date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)

    def previous_working_day(self, d: _dt.date) -> _dt.date:
        """The last working day strictly before ``d``."""
        return self.add_working_days(d, -1)

    def roll_forward(self, d: _dt.date) -> _dt.date:
        """``d`` if it is a working day, else the next working day."""
        return d if self.is_working_day(d) else self.add_working_days(d, 1)

    def roll_backward(self, d: _dt.date) -> _dt.date:
        """``d`` if it is a working day, else the previous working day."""
        return d if self.is_working_day(d) else self.add_working_days(d, -1)

    def working_days(self, start: _dt.date, end: _dt.date) -> list[_dt.date]:
        """The working days from ``start`` to ``end``, both included, in order."""
        t = self._t or self._table()
        return t.days[t.before[self._index(start)] : t.rank[self._index(end)]]

    def _index(self, d: _dt.date) -> int:
        t = self._t or self._table()
        i = d.toordinal() - t.base
        if not 0 <= i < t.size:
            raise self._out_of_range(d)
        return i

    # --- legal periods ----------------------------------------------------------------------------

    def _check_event(self, event: _dt.date) -> None:
        self._index(event)

    def period_after(
        self,
        event: _dt.date,
        duration: Duration | str,
        *,
        rule: str | None = None,
        reference: str | None = None,
    ) -> Deadline:
        """The last day of a period of ``duration`` that starts the day after ``event``.

        Working days: the n-th working day after the event. Days and weeks: the event plus n days (7n).
        Months: the same day number n months later, or the last day of a shorter month; half a month
        adds 15 days after the whole months. A last day that is not a working day rolls forward to the
        next working day (:data:`ROLL_RULES`).
        """
        dur = duration if isinstance(duration, Duration) else Duration.parse(duration)
        self._check_event(event)
        raw = self._shift(event, dur, +1)
        # a positive number of working days lands on a working day by construction
        by_construction = dur.unit is DurationUnit.WORKING_DAYS and dur.amount > 0
        final = raw if by_construction else self.roll_forward(raw)
        rolled = final != raw
        reason = None
        if rolled:
            moved = f"rolled forward to {format_day(final)} ({self.roll_rule})"
            reason = f"{self._describe_day_off(raw)}, {moved}"
        return Deadline(
            event=event,
            duration=dur,
            direction="after",
            raw=raw,
            date=final,
            rolled=rolled,
            roll_reason=reason,
            reading=None,
            rule=rule,
            reference=reference,
        )

    def period_before(
        self,
        event: _dt.date,
        duration: Duration | str,
        *,
        reading: Reading = Reading.COUNT_BACK,
        rule: str | None = None,
        reference: str | None = None,
    ) -> Deadline:
        """The last day to act for "no later than ``duration`` before ``event``".

        ``COUNT_BACK`` counts back from the day before the event (n working days back, or the event minus
        n days, weeks or months); ``CLEAR_DAYS`` keeps n whole days strictly between the act and the
        event, one (working) day earlier. A last day that is not a working day moves to the previous
        working day, never later.
        """
        dur = duration if isinstance(duration, Duration) else Duration.parse(duration)
        read = Reading(reading)
        self._check_event(event)
        if dur.unit is DurationUnit.WORKING_DAYS:
            steps = dur.amount + (1 if read is Reading.CLEAR_DAYS else 0)
            raw = self.add_working_days(event, -steps)
        else:
            raw = self._shift(event, dur, -1)
            if read is Reading.CLEAR_DAYS:
                raw -= _dt.timedelta(days=1)
        final = self.roll_backward(raw)
        rolled = final != raw
        reason = None
        if rolled:
            reason = f"{self._describe_day_off(raw)}, moved back to {format_day(final)} ({_BACKWARD_POLICY})"
        return Deadline(
            event=event,
            duration=dur,
            direction="before",
            raw=raw,
            date=final,
            rolled=rolled,
            roll_reason=reason,
            reading=read,
            rule=rule,
            reference=reference,
        )

    def _after_day(self, event: _dt.date, dur: Duration) -> _dt.date:
        """``period_after(event, dur).date`` without building the :class:`Deadline` (for the planner).

        Working days, days and weeks are read from the table; months and anything near the edges of the
        covered years go through :meth:`period_after`, so results and errors are the same.
        """
        t = self._t or self._table()
        i = event.toordinal() - t.base
        if 0 <= i < t.size:
            unit = dur.unit
            if unit is DurationUnit.WORKING_DAYS:
                k = t.after[i] + dur.amount
                if dur.amount > 0 and k < len(t.days):
                    return t.days[k]
            elif unit is not DurationUnit.MONTHS:
                j = i + (dur.amount if unit is DurationUnit.DAYS else 7 * dur.amount)
                if j < t.size:
                    if t.work[j]:
                        return event + _dt.timedelta(days=j - i)
                    k = t.after[j] + 1
                    if k < len(t.days):
                        return t.days[k]
        return self.period_after(event, dur).date

    def _before_day(self, event: _dt.date, dur: Duration, reading: Reading) -> _dt.date:
        """``period_before(event, dur, reading=reading).date`` without building the :class:`Deadline`
        (private, for the planner); working days, days and weeks from the table, the rest as the public
        method."""
        t = self._t or self._table()
        i = event.toordinal() - t.base
        if 0 <= i < t.size:
            unit = dur.unit
            clear = 1 if reading is Reading.CLEAR_DAYS else 0
            if unit is DurationUnit.WORKING_DAYS:
                steps = dur.amount + clear
                k = t.before[i] - steps
                if steps > 0 and k >= 0:
                    return t.days[k]  # a working day by construction
            elif unit is not DurationUnit.MONTHS:
                j = i - (dur.amount if unit is DurationUnit.DAYS else 7 * dur.amount) - clear
                if j >= 0:
                    if t.work[j]:
                        return event - _dt.timedelta(days=i - j)
                    k = t.before[j] - 1
                    if k >= 0:
                        return t.days[k]
        return self.period_before(event, dur, reading=reading).date

    def _shift(self, event: _dt.date, dur: Duration, sign: int) -> _dt.date:
        if dur.unit is DurationUnit.WORKING_DAYS:
            return self.add_working_days(event, sign * dur.amount)
        try:
            if dur.unit is DurationUnit.MONTHS:
                out = add_months(event, sign * dur.amount)
                if dur.half_month:
                    out += _dt.timedelta(days=sign * 15)
            else:
                out = event + _dt.timedelta(days=sign * (dur.days_equivalent or 0))
        except OverflowError:
            raise self._out_of_range(event) from None
        self._index(out)
        return out
