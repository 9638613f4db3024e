"""Local layers on a working calendar: extra days off, extra working days, another weekly rest pattern."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from civicflow.errors import CivicflowError


class OverlayError(CivicflowError, ValueError):
    """An overlay that contradicts itself (a day both off and working, a bad weekday, a reversed range)."""


def _frozen_days(days: Mapping[_dt.date, str | None] | Iterable[_dt.date]) -> Mapping[_dt.date, str | None]:
    items = dict(days) if isinstance(days, Mapping) else dict.fromkeys(days)
    for key in items:
        if not isinstance(key, _dt.date) or isinstance(key, _dt.datetime):
            raise OverlayError(f"overlay days must be dates, not {key!r}")
    return MappingProxyType(dict(sorted(items.items())))


@dataclass(frozen=True)
class Overlay:
    """A local layer on a calendar: extra days off, extra working days, another weekly rest pattern.

    ``weekend`` holds weekday numbers as :meth:`datetime.date.weekday` gives them (0 = Monday ... 6 =
    Sunday) and replaces the country's weekly rest days. Everything applies only from ``valid_from`` to
    ``valid_to`` (both included, open when ``None``). ``reference`` names the local act (a council
    decision, a decree the data does not have yet); it is quoted when the overlay explains a day off.
    ``days_off`` and ``working_days`` may also be given as plain sequences of dates (no reasons).
    """

    days_off: Mapping[_dt.date, str | None] = field(default_factory=dict)
    working_days: Mapping[_dt.date, str | None] = field(default_factory=dict)
    weekend: frozenset[int] | None = None
    valid_from: _dt.date | None = None
    valid_to: _dt.date | None = None
    reference: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "days_off", _frozen_days(self.days_off))
        object.__setattr__(self, "working_days", _frozen_days(self.working_days))
        both = sorted(set(self.days_off) & set(self.working_days))
        if both:
            listed = ", ".join(d.isoformat() for d in both)
            raise OverlayError(f"overlay declares days both off and working: {listed}")
        if self.weekend is not None:
            weekend = frozenset(self.weekend)
            bad = sorted(str(x) for x in weekend if not isinstance(x, int) or not 0 <= x <= 6)
            if bad:
                raise OverlayError(
                    f"overlay weekend days must be 0 (Monday) to 6 (Sunday), not {', '.join(bad)}"
                )
            object.__setattr__(self, "weekend", weekend)
        if self.valid_from is not None and self.valid_to is not None and self.valid_to < self.valid_from:
            raise OverlayError(f"overlay valid_to {self.valid_to} is before valid_from {self.valid_from}")

    def __hash__(self) -> int:
        return hash(
            (
                tuple(self.days_off.items()),
                tuple(self.working_days.items()),
                self.weekend,
                self.valid_from,
                self.valid_to,
                self.reference,
            )
        )

    def covers(self, d: _dt.date) -> bool:
        """Whether ``d`` lies in the overlay's validity range."""
        return (self.valid_from is None or self.valid_from <= d) and (
            self.valid_to is None or d <= self.valid_to
        )
