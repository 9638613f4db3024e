"""The working calendar itself: the precomputed table, working-day arithmetic and legal periods."""

from __future__ import annotations

import bisect
import datetime as _dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import holidays

from civicflow._argcheck import day_type_error
from civicflow.calendar._deadline import Deadline, Reading, shift_calendar
from civicflow.calendar._jurisdiction import (
    DEFAULT_FIRST_YEAR,
    DEFAULT_LAST_YEAR,
    DEFAULT_TIMEZONES,
    FALLBACK_TIMEZONE,
    ROLL_RULES,
    check_country,
)
from civicflow.calendar._names import Holiday
from civicflow.calendar._overlay import Overlay, OverlayError
from civicflow.calendar._rules import (
    EU,
    EU_RULES,
    MARTIAL_LAW,
    MARTIAL_LAW_FROM,
    PEACETIME,
    PROCEDURAL_CODES,
    PeriodKind,
    Roll,
    RuleSetError,
    check_code,
    count_source,
    roll_rule,
)
from civicflow.dates import zone
from civicflow.durations import Duration, DurationUnit
from civicflow.errors import CalendarRangeError, UnknownJurisdictionError
from civicflow.i18n import _
from civicflow.messages import Count, Message, Param, Term, Weekday

_GENERAL_RULE = "the general rule"
_ONE = _dt.timedelta(days=1)
_DATE = _dt.date  # a plain date skips local_date on the hot paths; anything else is converted

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKLY_REST = "(weekly rest day)"


@dataclass(frozen=True, slots=True)
class _Data:
    """What the `holidays` data says for a range of years: names of days off, working weekend days."""

    weekend: frozenset[int]
    names: Mapping[int, str]  # ordinal -> holiday name
    weekend_workdays: frozenset[int]  # ordinals
    suspended: tuple[list[int], list[str]]  # UA: days off martial law suspends (sorted ordinals, names)
    # RU: the last year whose transfer of days off (a yearly Government decree) the data holds
    transfers_known: int | None = None


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

    ``rules="EU"`` counts periods by Regulation (EEC, Euratom) No 1182/71 on the member state's public
    holidays: working days exclude Saturdays and Sundays, also Saturdays the data declares working (art.
    2(2)); a period of two days or more contains at least two working days (art. 3(5)); periods counted
    backwards are not rolled (art. 3(4)). ``martial_law_until`` (Ukraine only) ends martial law on that
    day: from the day after, public holidays and the carry-over of a holiday falling on a rest day
    (Labour Code of Ukraine arts. 67(3), 73) apply again; without it martial law (Law 2136-IX art. 6(6))
    is assumed to continue and explanations that rely on it say so. ``counted_under`` names a procedural
    code (:data:`~civicflow.calendar.PROCEDURAL_CODES`, e.g. ``"RU-GPK"``) under which periods in days are
    working days.

    Every method that takes a day also takes a date-time: its local date in the calendar's zone counts
    (:meth:`local_date`).
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
        rules: str | None = None,
        martial_law_until: _dt.date | None = None,
        counted_under: str | None = None,
    ) -> None:
        code, subdiv = check_country(country, subdivision)
        if rules is not None and rules != EU_RULES:
            raise RuleSetError(f"unknown rule set {rules!r}; known: {EU_RULES!r} (Reg. 1182/71)")
        if martial_law_until is not None:
            if code != "UA":
                raise RuleSetError(f"martial_law_until applies to the UA calendar, not {code}")
            if not isinstance(martial_law_until, _dt.date) or isinstance(martial_law_until, _dt.datetime):
                raise RuleSetError(f"martial_law_until must be a date, not {martial_law_until!r}")
        check_code(counted_under, code)
        first = DEFAULT_FIRST_YEAR if first_year is None else first_year
        last = DEFAULT_LAST_YEAR if last_year is None else last_year
        if not 1 <= first <= last <= 9998:
            raise CalendarRangeError(
                f"a calendar needs 1 <= first_year <= last_year <= 9998, not {first}..{last}"
            )
        tz_name = timezone if timezone is not None else DEFAULT_TIMEZONES.get(code, FALLBACK_TIMEZONE)
        try:
            self._tz = zone(tz_name)
        except ValueError:
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
        self._rules = rules
        self._martial_law_until = martial_law_until
        self._code = counted_under
        # the fast paths of _after_day / _before_day hold for plain national rules only
        self._plain = rules is None and counted_under is None
        self._rolls: dict[str, tuple[Roll, str]] = {}
        self._sources: dict[DurationUnit, str | None] = {}
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
    def rules(self) -> str | None:
        """The rule set periods are counted by: ``None`` for the national law, ``"EU"`` for Reg. 1182/71."""
        return self._rules

    @property
    def martial_law_until(self) -> _dt.date | None:
        """UA: the last day of martial law, or ``None`` when it is assumed to continue."""
        return self._martial_law_until

    @property
    def counted_under(self) -> str | None:
        """The procedural code under which periods in days count working days, or ``None``."""
        return self._code

    @property
    def roll_rule(self) -> str:
        """The legal source of the forward roll for this calendar (:data:`ROLL_RULES`)."""
        if self._rules == EU_RULES:
            return f"{EU} art. 3(4)"
        return ROLL_RULES.get(self._country, _GENERAL_RULE)

    def roll_for(self, kind: PeriodKind | str) -> tuple[Roll, str]:
        """The roll of a period of ``kind`` here and its source (see the table in docs/calendar.md)."""
        hit = self._rolls.get(kind)
        if hit is None:
            found = roll_rule(self._country, kind, self._rules)
            hit = self._rolls[kind] = (found.roll, found.source)
        return hit

    def _source(self, unit: DurationUnit) -> str | None:
        if unit not in self._sources:
            self._sources[unit] = count_source(self._country, unit.value, self._rules)
        return self._sources[unit]

    def _key(self) -> tuple[object, ...]:
        return (
            self._country,
            self._subdivision,
            self._timezone,
            self._overlays,
            self._first_year,
            self._last_year,
            self._rules,
            self._martial_law_until,
            self._code,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkingCalendar):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        where = self._country + (f"-{self._subdivision}" if self._subdivision else "")
        extra = ""
        if self._rules:
            extra += f", rules={self._rules!r}"
        if self._martial_law_until:
            extra += f", martial_law_until={self._martial_law_until.isoformat()}"
        if self._code:
            extra += f", counted_under={self._code!r}"
        return (
            f"WorkingCalendar({where!r}, timezone={self._timezone!r}, overlays={len(self._overlays)}, "
            f"years={self._first_year}..{self._last_year}{extra})"
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
            rules=self._rules,
            martial_law_until=self._martial_law_until,
            counted_under=self._code,
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
            names = {d.toordinal(): name for d, name in data.items()}
            weekend = frozenset(data.weekend)
            workdays = frozenset(d.toordinal() for d in data.weekend_workdays)
            suspended: tuple[list[int], list[str]] = ([], [])
            if self._country == "UA":
                peace = _ua_suspended_days_off(years, weekend, names)
                until = self._martial_law_until
                if until is not None:
                    cut = until.toordinal()
                    names.update((o, n) for o, n in peace.items() if o > cut)
                    peace = {o: n for o, n in peace.items() if o <= cut}
                ords = sorted(peace)
                suspended = (ords, [peace[o] for o in ords])
            if self._rules == EU_RULES:
                # Reg. 1182/71 art. 2(2): working days are all days other than public holidays, Sundays
                # and Saturdays; a Saturday declared working is not one
                weekend, workdays = frozenset({5, 6}), frozenset()
            self._data = _Data(
                weekend=weekend,
                names=MappingProxyType(names),
                weekend_workdays=workdays,
                suspended=suspended,
                transfers_known=_transfers_known(data) if self._country == "RU" else None,
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

    def _years(self) -> dict[str, Param]:
        return {"country": self._country, "first": str(self._first_year), "last": str(self._last_year)}

    def _out_of_range(self, d: _dt.date) -> CalendarRangeError:
        return CalendarRangeError(
            f"{d.isoformat()} is outside the years the {self._country} calendar covers "
            f"({self._first_year}..{self._last_year}); {_WIDEN}",
            Message(
                _(
                    "{day} is outside the years the {country} calendar covers ({first}..{last}); dates "
                    "outside are not supported"
                ),
                day=d.isoformat(),
                **self._years(),
            ),
        )

    # --- single days ------------------------------------------------------------------------------

    def is_working_day(self, d: _dt.date) -> bool:
        """Whether ``d`` (a date-time: its local date here) is a working day."""
        if d.__class__ is not _DATE:
            d = self._day(d, "d of WorkingCalendar.is_working_day")
        t = self._t or self._table()
        i = d.toordinal() - t.base
        if not 0 <= i < t.size:
            raise self._out_of_range(d)
        return bool(t.work[i])

    def day_off_reason(self, d: _dt.date) -> str | None:
        """Why ``d`` is not a working day ("Sunday (weekly rest day)", a holiday name, an overlay's
        reason), or ``None`` on a working day."""
        d = self._day(d, "d of WorkingCalendar.day_off_reason")
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

    def _describe_day_off(self, d: _dt.date) -> Message:
        """``a Sunday (weekly rest day)``, ``a day off (Independence Day)``: :meth:`day_off_reason` as a
        message whose holiday names and weekdays take the reader's language."""
        d = self.local_date(d)
        if self.is_working_day(d):
            return Message(_("a working day"))
        t = self._table()
        ordinal = d.toordinal()
        explicit = t.explicit.get(ordinal)
        if explicit is not None:
            _off, reason, reference = explicit
            text = Term(reason) if reason else Term(_("day off"))
            if reference:
                return Message(
                    _("a day off ({reason} ({reference}))"), reason=text, reference=Term(reference)
                )
            return Message(_("a day off ({reason})"), reason=text)
        name = self._load_data().names.get(ordinal)
        holiday = Holiday(self._country, self._subdivision, d, name) if name is not None else None
        if holiday is not None and not t.weekend[ordinal - t.base]:
            return Message(_("a day off ({reason})"), reason=holiday)
        if holiday is not None:
            return Message(_("a {weekday} (weekly rest day); {holiday}"), weekday=Weekday(d), holiday=holiday)
        return Message(_("a {weekday} (weekly rest day)"), weekday=Weekday(d))

    def local_date(self, value: _dt.date | _dt.datetime) -> _dt.date:
        """The calendar day of ``value`` here: an aware datetime is converted to this calendar's time zone;
        a naive datetime is taken as local wall time; a date is itself. Anything else (text such as
        ``"2025-10-10"``) is a :class:`~civicflow.errors.DayTypeError` saying what to write."""
        return self._day(value, "value of WorkingCalendar.local_date")

    def _day(self, value: object, argument: str) -> _dt.date:
        """:meth:`local_date` of a day given as ``argument`` of a public method (named in the error)."""
        if value.__class__ is _DATE:
            return value
        if isinstance(value, _dt.datetime):
            if value.tzinfo is None or value.utcoffset() is None:
                return _dt.date(value.year, value.month, value.day)
            local = value.astimezone(self._tz)
            return _dt.date(local.year, local.month, local.day)
        if isinstance(value, _dt.date):
            return value
        raise day_type_error(value, argument, times=True)

    # --- working-day arithmetic -------------------------------------------------------------------

    def add_working_days(self, d: _dt.date, n: int) -> _dt.date:
        """The ``n``-th working day after ``d`` (before it when ``n`` < 0); ``d`` itself never counts.

        ``n == 0`` returns ``d`` unchanged, even on a day off, so that
        ``working_days_between(d, add_working_days(d, n)) == n`` holds for every ``n``; use
        :meth:`roll_forward` to land on a working day.
        """
        if d.__class__ is not _DATE:
            d = self._day(d, "d of WorkingCalendar.add_working_days")
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
                f"{_WIDEN}",
                Message(
                    _(
                        "{days} after {day} is after the end of {last}; the {country} calendar covers "
                        "{first}..{last}, and dates outside are not supported"
                    ),
                    days=Count(n, "working day", "working days"),
                    day=d.isoformat(),
                    **self._years(),
                ),
            )
        return CalendarRangeError(
            f"{-n} working days before {d.isoformat()} is before {self._first_year}; "
            f"the {self._country} calendar covers {self._first_year}..{self._last_year}, "
            f"{_WIDEN}",
            Message(
                _(
                    "{days} before {day} is before {first}; the {country} calendar covers {first}..{last}, "
                    "and dates outside are not supported"
                ),
                days=Count(-n, "working day", "working days"),
                day=d.isoformat(),
                **self._years(),
            ),
        )

    def working_days_between(self, a: _dt.date, b: _dt.date) -> int:
        """The number of working days ``x`` with ``a < x <= b``; negative (``-count(b < x <= a)``) when
        ``b < a``."""
        if a.__class__ is not _DATE:
            a = self._day(a, "a of WorkingCalendar.working_days_between")
        if b.__class__ is not _DATE:
            b = self._day(b, "b of WorkingCalendar.working_days_between")
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
        d = self._day(d, "d of WorkingCalendar.roll_forward")
        return d if self.is_working_day(d) else self.add_working_days(d, 1)

    def roll_backward(self, d: _dt.date) -> _dt.date:
        """``d`` if it is a working day, else the previous working day."""
        d = self._day(d, "d of WorkingCalendar.roll_backward")
        return d if self.is_working_day(d) else self.add_working_days(d, -1)

    def working_days(self, start: _dt.date, end: _dt.date) -> list[_dt.date]:
        """The working days from ``start`` to ``end``, both included, in order."""
        start, end = (
            self._day(start, "start of WorkingCalendar.working_days"),
            self._day(end, "end of WorkingCalendar.working_days"),
        )
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

    def _counted(self, dur: Duration, code: str | None) -> tuple[Duration, tuple[Message, ...]]:
        """``dur`` as counted under a procedural code: days become working days, with the citation."""
        code = check_code(code, self._country) if code is not None else self._code
        if code is None or dur.unit is not DurationUnit.DAYS or dur.calendar_days:
            return dur, ()
        note = Message(
            _('"{duration}" counted as {count} ({source})'),
            duration=dur,
            count=Count(dur.amount, "working day", "working days"),
            source=Term(PROCEDURAL_CODES[code]),
        )
        return Duration(dur.amount, DurationUnit.WORKING_DAYS), (note,)

    def _regime_notes(self, lo: _dt.date, hi: _dt.date) -> tuple[Message, ...]:
        """What the count from ``lo`` to ``hi`` (both included) assumes about what may change: UA martial
        law; RU a year whose transfer of days off is not decreed yet."""
        if self._country == "RU":
            return self._transfer_notes(lo, hi)
        if self._country != "UA" or hi < MARTIAL_LAW_FROM:
            return ()
        ords, names = self._load_data().suspended
        k = bisect.bisect_left(ords, lo.toordinal())
        notes: list[Message] = []
        # only a suspended holiday that is a working day here changes a count (one on a weekly rest day
        # is a day off whatever the regime; its carry-over day is in the list on its own)
        while (
            k < len(ords)
            and ords[k] <= hi.toordinal()
            and not self.is_working_day(_dt.date.fromordinal(ords[k]))
        ):
            k += 1
        if k < len(ords) and ords[k] <= hi.toordinal():
            day = _dt.date.fromordinal(ords[k])
            notes.append(
                Message(
                    _(
                        "assumes martial law continues ({law}: public holidays are working days), so {day} "
                        "({holiday}) counts as a working day; martial_law_until brings the holidays back "
                        "({peacetime})"
                    ),
                    law=Term(MARTIAL_LAW),
                    day=day,
                    holiday=Holiday("UA", None, day, names[k], ("workday",)),
                    peacetime=Term(PEACETIME),
                )
            )
        until = self._martial_law_until
        if until is not None and hi > until:
            notes.append(
                Message(
                    _(
                        "counts on martial law ending on {day} (martial_law_until): public holidays and "
                        "their carry-over apply from {next_day} ({peacetime})"
                    ),
                    day=until,
                    next_day=until + _ONE,
                    peacetime=Term(PEACETIME),
                )
            )
        return tuple(notes)

    def _transfer_notes(self, lo: _dt.date, hi: _dt.date) -> tuple[Message, ...]:
        """RU: a count that reaches a year after the last one whose transfer of days off the data holds
        counts on no transfer that year: the Government decrees them year by year (Labour Code art. 112),
        and a decree not yet in the data may make a Saturday a working day or move a day off."""
        known = self._load_data().transfers_known
        if known is None or hi.year <= known:
            return ()
        return (
            Message(
                _(
                    "assumes no transfer of days off in {year}: the Government's decree for that year is not "
                    "in the calendar data yet (it has them up to {known}; {source}), and a transfer may "
                    "move this count"
                ),
                year=str(max(lo.year, known + 1)),
                known=str(known),
                source=Term(_("Labour Code of the Russian Federation art. 112")),
            ),
        )

    def regime_notes(self, first: _dt.date, last: _dt.date) -> tuple[str, ...]:
        """What a count between ``first`` and ``last`` assumes about a regime that may change (UA
        martial law), as sentences for explanations and plan warnings; empty when nothing is assumed."""
        return tuple(
            str(m)
            for m in self._regime_notes(
                self._day(first, "first of WorkingCalendar.regime_notes"),
                self._day(last, "last of WorkingCalendar.regime_notes"),
            )
        )

    def regime_messages(self, first: _dt.date, last: _dt.date) -> tuple[Message, ...]:
        """:meth:`regime_notes` as messages, to be worded in the reader's language."""
        return self._regime_notes(
            self._day(first, "first of WorkingCalendar.regime_messages"),
            self._day(last, "last of WorkingCalendar.regime_messages"),
        )

    def period_after(
        self,
        event: _dt.date | _dt.datetime,
        duration: Duration | str,
        *,
        rule: Param | None = None,
        reference: str | None = None,
        kind: PeriodKind | str = PeriodKind.WITHIN,
        roll: Roll | str | None = None,
        counted_under: str | None = None,
    ) -> Deadline:
        """The last day of a period of ``duration`` that starts the day after ``event``.

        Working days: the n-th working day after the event. Days and weeks: the event plus n days (7n).
        Months (quarters, half-years, years): the same day number later, or the last day of a shorter
        month; half a month and ``P1M10D``'s days are added after the months. Hours from a date-time:
        the moment n hours later (Reg. 1182/71 art. 3(1)-(2)(a): from the end of the event's hour).

        ``kind`` says what the period is for, and so which roll applies (:meth:`roll_for`): a deadline to
        act (``within``) or a period that lasts (``at_least``) whose last day is not a working day ends on
        the next working day; a minimum (``not_earlier_than``) and an entry into force are not rolled.
        ``roll`` overrides the jurisdiction's choice. Under ``rules="EU"`` a rolled period of two days or
        more contains at least two working days (art. 3(5)). ``counted_under`` names a procedural code
        under which days are working days.
        """
        dur = duration if isinstance(duration, Duration) else Duration.parse(duration)
        moment_in = event if isinstance(event, _dt.datetime) else None
        event = self._day(event, "event of WorkingCalendar.period_after")
        dur, notes = self._counted(dur, counted_under)
        self._check_event(event)
        how, source = self._roll_of(kind, roll, reference)
        if dur.unit is DurationUnit.HOURS:
            return self._hours_after(event, moment_in, dur, notes, rule, reference)
        if dur.unit is DurationUnit.WORKING_DAYS and self._rules == EU_RULES:
            notes += (
                Message(
                    _("working days exclude Saturdays, Sundays and public holidays ({source})"),
                    source=Term(f"{EU} art. 2(2)"),
                ),
            )
        raw = self._shift(event, dur, +1)
        final, reason, rolled_notes = self._end_after(event, dur, raw, how, source)
        notes += rolled_notes
        # working days count every day of the period; calendar days only where the period ends and rolls
        first = event + _ONE if dur.unit is DurationUnit.WORKING_DAYS else min(raw, final)
        notes += self._regime_notes(first, max(final, first))
        return Deadline(
            event=event,
            duration=dur,
            direction="after",
            raw=raw,
            date=final,
            rolled=final != raw,
            roll_reason=None,
            roll_detail=reason,
            reading=None,
            rule=None if rule is None else str(rule),
            wording=None if rule is None or isinstance(rule, str) else rule,
            reference=reference,
            details=notes,
            source=self._source(dur.unit),
        )

    def _roll_of(
        self, kind: PeriodKind | str, roll: Roll | str | None, reference: str | None
    ) -> tuple[Roll, Param]:
        """The roll of a period of ``kind`` and its source: the jurisdiction's, or the rule's own ``roll``
        (as its ``reference`` sets it) when that differs."""
        how, law = self.roll_for(kind)
        if roll is None or Roll(roll) is how:
            return how, Term(law)
        how = Roll(roll)
        if reference:
            return how, Message(
                _("the rule's own roll, {roll}, as {reference} sets it"),
                roll=how.value,
                reference=Term(reference),
            )
        return how, Message(_("the rule's own roll, {roll}"), roll=how.value)

    def _end_after(
        self, event: _dt.date, dur: Duration, raw: _dt.date, how: Roll, source: Param
    ) -> tuple[_dt.date, Message | None, tuple[Message, ...]]:
        """Where a forward period whose last counted day is ``raw`` ends: (the day, why it was rolled,
        further notes). Rolled forward off a day off when ``how`` says so, then, under Reg. 1182/71,
        extended to contain two working days (art. 3(5)); a day off not rolled is noted."""
        if how is not Roll.FORWARD:
            if self.is_working_day(raw):
                return raw, None, ()
            not_rolled = Message(
                _("{day_off}, not rolled ({source})"), day_off=self._describe_day_off(raw), source=source
            )
            return raw, None, (not_rolled,)
        final = self.roll_forward(raw)
        reason = None
        if final != raw:
            reason = Message(
                _("{day_off}, rolled forward to {day} ({source})"),
                day_off=self._describe_day_off(raw),
                day=final,
                source=source,
            )
        if self._rules == EU_RULES and self._counts_two_days(dur):
            second = self.add_working_days(event, 2)
            if final < second:
                extended = Message(
                    _(
                        "a period of two days or more contains at least two working days: "
                        "extended to {day} ({source})"
                    ),
                    day=second,
                    source=Term(f"{EU} art. 3(5)"),
                )
                return second, reason, (extended,)
        return final, reason, ()

    @staticmethod
    def _counts_two_days(dur: Duration) -> bool:
        """Reg. 1182/71 art. 3(5) applies to periods of two days or more."""
        if dur.unit is DurationUnit.DAYS:
            return dur.amount >= 2
        if dur.unit is DurationUnit.WORKING_DAYS:
            return False  # n >= 2 working days contain them by construction
        return dur.amount > 0 or dur.extra_days >= 2

    def _hours_after(
        self,
        event: _dt.date,
        moment: _dt.datetime | None,
        dur: Duration,
        notes: tuple[Message, ...],
        rule: Param | None,
        reference: str | None,
    ) -> Deadline:
        """A period in hours (Civil Code of Ukraine art. 252(1)); never rolled (Reg. 1182/71 art. 3(4)
        applies to periods "expressed otherwise than in hours")."""
        end: _dt.datetime | None = None
        if moment is None:
            # only the day is known: the hours run from its end (the most time the period can give)
            day = shift_calendar(event, dur)
            notes += (Message(_("counted from the end of {day}: no time of day was given"), day=event),)
        else:
            local = moment if moment.tzinfo is None else moment.astimezone(self._tz)
            if self._rules == EU_RULES:
                # art. 3(1): the hour of the event is not counted; art. 3(2)(a): the period ends with
                # the expiry of its last hour
                start = local.replace(minute=0, second=0, microsecond=0) + _dt.timedelta(hours=1)
                notes += (
                    Message(
                        _("the hour of the event is not counted ({source})"),
                        source=Term(f"{EU} art. 3(1), 3(2)(a)"),
                    ),
                )
            else:
                start = local
            if start.tzinfo is not None:  # elapsed hours, across a change of clocks too
                end = (start.astimezone(_dt.UTC) + _dt.timedelta(hours=dur.amount)).astimezone(self._tz)
            else:
                end = start + _dt.timedelta(hours=dur.amount)
            day = _dt.date(end.year, end.month, end.day)
            if end.time() == _dt.time(0) and end > start:
                day -= _ONE  # a period ending at 24:00 ends on that day
        self._index(day)
        return Deadline(
            event=event,
            duration=dur,
            direction="after",
            raw=day,
            date=day,
            rolled=False,
            roll_reason=None,
            reading=None,
            rule=None if rule is None else str(rule),
            wording=None if rule is None or isinstance(rule, str) else rule,
            reference=reference,
            details=notes,
            moment=end,
            source=self._source(dur.unit),
        )

    def period_before(
        self,
        event: _dt.date | _dt.datetime,
        duration: Duration | str,
        *,
        reading: Reading = Reading.COUNT_BACK,
        rule: Param | None = None,
        reference: str | None = None,
        counted_under: str | None = None,
    ) -> Deadline:
        """The last day to act for "no later than ``duration`` before ``event``", as the law counts it.

        ``COUNT_BACK`` (reading A) counts back from the day before the event: the n-th working day before
        it, or the event minus n days, weeks or months. ``CLEAR_DAYS`` (reading B) keeps n whole (working)
        days strictly between the act and the event: the day before reading A's day. The line is never
        moved (no code of UA, BG or RU moves a period counted backwards; Reg. 1182/71 art. 3(4), second
        sentence); ``advised`` is the working day on or before it, the day to act by to be safe.
        """
        dur = duration if isinstance(duration, Duration) else Duration.parse(duration)
        read = Reading(reading)
        event = self._day(event, "event of WorkingCalendar.period_before")
        dur, notes = self._counted(dur, counted_under)
        self._check_event(event)
        raw = self._count_back(event, dur)
        if read is Reading.CLEAR_DAYS:
            raw -= _ONE
            self._index(raw)
        advised = self.roll_backward(raw)
        if advised != raw:
            source = self.roll_for(PeriodKind.NO_LATER_THAN)[1]
            notes += (
                Message(
                    _(
                        "{day_off}; the line is not moved ({source}); advice: act by {day}, "
                        "the working day before"
                    ),
                    day_off=self._describe_day_off(raw),
                    source=Term(source),
                    day=advised,
                ),
            )
        last = event - _ONE if dur.unit is DurationUnit.WORKING_DAYS else raw
        notes += self._regime_notes(advised, max(last, advised))
        return Deadline(
            event=event,
            duration=dur,
            direction="before",
            raw=raw,
            date=raw,
            rolled=False,
            roll_reason=None,
            reading=read,
            rule=None if rule is None else str(rule),
            wording=None if rule is None or isinstance(rule, str) else rule,
            reference=reference,
            advised=advised,
            details=notes,
            source=self._source(dur.unit),
        )

    def _count_back(self, event: _dt.date, dur: Duration) -> _dt.date:
        """Reading A's day: the n-th working day before ``event``, or ``event`` minus the period."""
        if dur.unit is DurationUnit.WORKING_DAYS:
            return self.add_working_days(event, -dur.amount)
        return self._shift(event, dur, -1)

    def _after_day(self, event: _dt.date, dur: Duration, roll: Roll | None = None) -> _dt.date:
        """``period_after(event, dur).date`` without building the :class:`Deadline` (for the planner).

        Working days, days and weeks are read from the table; other units, other rule sets and anything
        near the edges of the covered years go through :meth:`period_after`, so results and errors are
        the same.
        """
        if roll is not None:  # a rule's own roll
            return self.period_after(event, dur, roll=roll).date
        t = self._t or self._table()
        i = event.toordinal() - t.base
        if 0 <= i < t.size and self._plain:
            unit = dur.unit
            if unit is DurationUnit.WORKING_DAYS:
                k = t.after[i] + dur.amount
                if dur.amount > 0 and k < len(t.days):
                    return t.days[k]
            elif unit is DurationUnit.DAYS or unit is DurationUnit.WEEKS:
                j = i + (dur.amount if unit is DurationUnit.DAYS else 7 * dur.amount)
                if j < t.size:
                    if t.work[j]:
                        return event + _dt.timedelta(days=j - i)
                    k = t.after[j] + 1
                    if k < len(t.days):
                        return t.days[k]
        return self.period_after(event, dur).date

    def _before_day(self, event: _dt.date, dur: Duration, reading: Reading) -> _dt.date:
        """``period_before(event, dur, reading=reading).advised`` without building the :class:`Deadline`
        (private, for the planner, which proposes working days); working days, days and weeks from the
        table, the rest as the public method."""
        t = self._t or self._table()
        i = event.toordinal() - t.base
        if 0 <= i < t.size and self._plain:
            unit = dur.unit
            clear = 1 if reading is Reading.CLEAR_DAYS else 0
            if unit is DurationUnit.WORKING_DAYS:
                steps = dur.amount + clear
                k = t.before[i] - steps
                if dur.amount > 0 and k >= 0:
                    return t.days[k]  # a working day by construction
            elif unit is DurationUnit.DAYS or unit is DurationUnit.WEEKS:
                j = i - (dur.amount if unit is DurationUnit.DAYS else 7 * dur.amount) - clear
                if j >= 0:
                    if t.work[j]:
                        return event - _dt.timedelta(days=i - j)
                    k = t.before[j] - 1
                    if k >= 0:
                        return t.days[k]
        found = self.period_before(event, dur, reading=reading).advised
        assert found is not None
        return found

    def _shift(self, event: _dt.date, dur: Duration, sign: int) -> _dt.date:
        if dur.unit is DurationUnit.WORKING_DAYS:
            return self.add_working_days(event, sign * dur.amount)
        if dur.unit is DurationUnit.DAYS:
            t = self._t or self._table()
            i = event.toordinal() - t.base + sign * dur.amount
            if 0 <= i < t.size:
                return _dt.date.fromordinal(t.base + i)
        try:
            out = shift_calendar(event, dur, sign)
        except (OverflowError, CalendarRangeError):
            raise self._out_of_range(event) from None
        self._index(out)
        return out


def _transfers_known(data: holidays.HolidayBase) -> int | None:
    """The last year with a transfer of days off in ``data``: a weekend day made working, or a day off
    moved from another day (``holidays`` names those "Day off (substituted from ...)")."""
    years = {d.year for d in data.weekend_workdays}
    years.update(d.year for d, name in data.items() if "substituted" in name)
    return max(years) if years else None


def _ua_suspended_days_off(years: range, weekend: frozenset[int], names: Mapping[int, str]) -> dict[int, str]:
    """The Ukrainian public holidays martial law suspends (``holidays``' workday category, since 2022),
    with the day off a holiday on a rest day moves to (Labour Code of Ukraine art. 67(3)), by ordinal."""
    years = range(max(years.start, MARTIAL_LAW_FROM.year), max(years.stop, MARTIAL_LAW_FROM.year))
    try:
        data = holidays.country_holidays("UA", years=years, categories=("workday",), language="en_US")
    except NotImplementedError:
        data = holidays.country_holidays("UA", years=years, categories=("workday",))
    suspended = {d.toordinal(): name for d, name in data.items() if d >= MARTIAL_LAW_FROM}
    out = dict(suspended)
    for ordinal, name in sorted(suspended.items()):
        if (ordinal + 6) % 7 not in weekend:
            continue
        o = ordinal + 1
        while (o + 6) % 7 in weekend or o in suspended or o in names or o in out:
            o += 1
        out[o] = f"{name} (day off moved from a rest day)"
    return out
