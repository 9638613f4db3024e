"""The days public functions take, checked once where they come in.

A day given as text (``start="2025-10-06"``) would otherwise fail deep inside with
``AttributeError: 'str' object has no attribute 'year'``, or worse be compared as text. Each public entry
point checks its days once (never in an inner loop) and raises :class:`~civicflow.errors.DayTypeError`
naming the argument and what to write instead.
"""

from __future__ import annotations

import datetime as dt

from civicflow.errors import DayTypeError

__all__ = ["day_type_error", "require_day"]

_DATE = dt.date


def require_day(value: object, argument: str, *, times: bool = False, optional: bool = False) -> None:
    """Raise :class:`DayTypeError` unless ``value`` is a date (a date-time too: ``times``; None:
    ``optional``). ``argument`` names it as a caller writes it, e.g. ``"start="`` or
    ``"period_after(event=)"``."""
    if value.__class__ is _DATE or (value is None and optional):
        return
    if isinstance(value, dt.date) and (times or not isinstance(value, dt.datetime)):
        return
    raise day_type_error(value, argument, times=times)


def day_type_error(value: object, argument: str, *, times: bool = False) -> DayTypeError:
    """The error for ``value`` given where a day belongs: what it is, and what to write instead."""
    wanted = "a datetime.date or datetime.datetime" if times else "a datetime.date"
    if isinstance(value, str):
        given = f"the text {value!r}"
        hint = _written(value, times)
    elif isinstance(value, dt.datetime):
        given = f"the date-time {value.isoformat()}"
        hint = f"write {value.date()!r} (its day), or datetime.date(YYYY, M, D)"
    else:
        given = f"{type(value).__name__} {value!r}"
        hint = "write datetime.date(YYYY, M, D), e.g. datetime.date(2025, 10, 6)"
    return DayTypeError(f"{argument} must be {wanted}, not {given}; {hint}", argument=argument, value=value)


def _written(text: str, times: bool) -> str:
    """How to write what ``text`` says (``datetime.date(2025, 10, 6)``), when it says a day."""
    from civicflow.dates import parse_moment

    try:
        moment = parse_moment(text.strip())
    except ValueError:
        return "write datetime.date(YYYY, M, D), e.g. datetime.date(2025, 10, 6)"
    if isinstance(moment, dt.datetime) and times:
        return f"write datetime.datetime.fromisoformat({moment.isoformat()!r})"
    return f"write datetime.date({moment.year}, {moment.month}, {moment.day})"
