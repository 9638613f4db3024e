"""Occurrences of recurring steps from their RFC 5545 RRULE, moved off days off as the template says."""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import rrulestr

from civicflow.calendar import WorkingCalendar, add_months
from civicflow.template import DayOffPolicy, OccurrencePrecision, ProcessTemplate, Recurrence

__all__ = ["MAX_OCCURRENCES", "occurrence_windows", "occurrences", "period_end"]

MAX_OCCURRENCES = 5000
"""At most this many occurrences are listed for one step."""


def occurrences(
    rec: Recurrence, start: dt.date, end: dt.date, cal: WorkingCalendar, template: ProcessTemplate
) -> tuple[tuple[dt.date, ...], str]:
    """The days of a recurring step and a sentence saying how they were found.

    DTSTART is ``rec.start`` or the step's start; the last possible day is ``rec.until`` or the step's end.
    An occurrence on a day off is kept, skipped, or moved to the next or previous working day
    (``on_day_off``). Without an rrule the frequency is left open: no occurrences.
    """
    label = f" ('{template.text(rec.label)}')" if rec.label else ""
    if rec.rrule is None:
        return (), f"recurring{label}: the frequency is left open, so no occurrences are listed"
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
    if rec.precision is not OccurrencePrecision.DAY:
        return unique, (
            f"recurring{label}: {rec.rrule} from {first.isoformat()} to {last.isoformat()}: "
            f"{len(unique)} occurrences, each a window of its {rec.precision} (the source fixes no day)"
        )
    policy = rec.on_day_off.value.replace("_", " ")
    text = (
        f"recurring{label}: {rec.rrule} from {first.isoformat()} to {last.isoformat()}: "
        f"{len(unique)} occurrences"
    )
    if moved:
        text += f"; {moved} on a day off ({policy})"
    return unique, text


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
