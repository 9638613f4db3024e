"""Occurrences of recurring steps from their RFC 5545 RRULE, moved off days off as the template says."""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import rrulestr

from civicflow.calendar import WorkingCalendar, add_months
from civicflow.i18n import _ as N_
from civicflow.messages import Count, Message, Param, Wording, joined
from civicflow.template import DayOffPolicy, OccurrencePrecision, ProcessTemplate, Recurrence

__all__ = ["MAX_OCCURRENCES", "occurrence_windows", "occurrences", "period_end"]

MAX_OCCURRENCES = 5000
"""At most this many occurrences are listed for one step."""


_PRECISIONS = {
    OccurrencePrecision.WEEK: N_("week"),
    OccurrencePrecision.MONTH: N_("month"),
    OccurrencePrecision.QUARTER: N_("quarter"),
    OccurrencePrecision.YEAR: N_("year"),
}
_POLICIES = {
    DayOffPolicy.KEEP: N_("keep"),
    DayOffPolicy.SKIP: N_("skip"),
    DayOffPolicy.NEXT_WORKING_DAY: N_("next working day"),
    DayOffPolicy.PREVIOUS_WORKING_DAY: N_("previous working day"),
}


def occurrences(
    rec: Recurrence, start: dt.date, end: dt.date, cal: WorkingCalendar, template: ProcessTemplate
) -> tuple[tuple[dt.date, ...], Message]:
    """The days of a recurring step and a sentence saying how they were found.

    DTSTART is ``rec.start`` or the step's start; the last possible day is ``rec.until`` or the step's end.
    An occurrence on a day off is kept, skipped, or moved to the next or previous working day
    (``on_day_off``). Without an rrule the frequency is left open: no occurrences.
    """
    label: Param = (
        joined(" ('", Wording(tuple(rec.label.items()), template.language), "')") if rec.label else ""
    )
    if rec.rrule is None:
        return (), Message(
            N_("recurring{label}: the frequency is left open, so no occurrences are listed"), label=label
        )
    first = rec.start or start
    last = rec.until or end
    rule = rrulestr(rec.rrule, dtstart=dt.datetime(first.year, first.month, first.day))
    days: list[dt.date] = []
    moved = 0
    for when in rule:
        d = when.date()
        if d > last or len(days) >= MAX_OCCURRENCES:
            break
        if not cal.is_working_day(d) and rec.on_day_off is not DayOffPolicy.KEEP:
            moved += 1
            if rec.on_day_off is DayOffPolicy.SKIP:
                continue
            if rec.on_day_off is DayOffPolicy.NEXT_WORKING_DAY:
                d = cal.roll_forward(d)
            else:
                d = cal.roll_backward(d)
        days.append(d)
    unique = tuple(sorted(set(days)))
    common: dict[str, Param] = {
        "label": label,
        "rrule": rec.rrule,
        "first": first.isoformat(),
        "last": last.isoformat(),
        "count": Count(len(unique), "occurrence", "occurrences"),
    }
    if rec.precision is not OccurrencePrecision.DAY:
        return unique, Message(
            N_(
                "recurring{label}: {rrule} from {first} to {last}: {count}, each a window of its {precision} "
                "(the source fixes no day)"
            ),
            precision=Message(_PRECISIONS[rec.precision]),
            **common,
        )
    if moved:
        return unique, Message(
            N_("recurring{label}: {rrule} from {first} to {last}: {count}; {moved} on a day off ({policy})"),
            moved=str(moved),
            policy=Message(_POLICIES[rec.on_day_off]),
            **common,
        )
    return unique, Message(N_("recurring{label}: {rrule} from {first} to {last}: {count}"), **common)


def period_end(day: dt.date, precision: OccurrencePrecision) -> dt.date:
    """The last day of the week, month, quarter or year that ``day`` falls in (``day`` itself for DAY)."""
    if precision is OccurrencePrecision.DAY:
        return day
    if precision is OccurrencePrecision.WEEK:
        return day + dt.timedelta(days=6 - day.weekday())
    if precision is OccurrencePrecision.MONTH:
        first = day.replace(day=1)
    elif precision is OccurrencePrecision.QUARTER:
        first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    else:
        return dt.date(day.year, 12, 31)
    months = 1 if precision is OccurrencePrecision.MONTH else 3
    return add_months(first, months) - dt.timedelta(days=1)


def occurrence_windows(
    rec: Recurrence, days: tuple[dt.date, ...], last: dt.date
) -> tuple[tuple[dt.date, dt.date], ...]:
    """For a recurrence whose source fixes only the period, each occurrence's window (first, last day).

    The window runs from the generated day to the end of its period, never past ``last`` (the recurrence's
    ``until`` or the step's end). Empty for ``precision: day``.
    """
    if rec.precision is OccurrencePrecision.DAY:
        return ()
    stop = rec.until or last
    return tuple((d, min(period_end(d, rec.precision), stop)) for d in days)
