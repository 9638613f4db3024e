"""Where each country's calendar comes from: codes, default time zones and year range, the roll rule."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from types import MappingProxyType

import holidays

from civicflow.errors import UnknownJurisdictionError

DEFAULT_FIRST_YEAR = 1991
"""First year a calendar covers unless told otherwise (UA, RU and BG data in `holidays` start in 1991)."""
DEFAULT_LAST_YEAR = 2060
"""Last year a calendar covers unless told otherwise."""

DEFAULT_TIMEZONES: Mapping[str, str] = MappingProxyType(
    {
        "AT": "Europe/Vienna",
        "BE": "Europe/Brussels",
        "BG": "Europe/Sofia",
        "CZ": "Europe/Prague",
        "DE": "Europe/Berlin",
        "EE": "Europe/Tallinn",
        "ES": "Europe/Madrid",
        "FR": "Europe/Paris",
        "GB": "Europe/London",
        "GE": "Asia/Tbilisi",
        "HU": "Europe/Budapest",
        "IT": "Europe/Rome",
        "LT": "Europe/Vilnius",
        "LV": "Europe/Riga",
        "MD": "Europe/Chisinau",
        "NL": "Europe/Amsterdam",
        "PL": "Europe/Warsaw",
        "PT": "Europe/Lisbon",
        "RO": "Europe/Bucharest",
        "RU": "Europe/Moscow",
        "SK": "Europe/Bratislava",
        "UA": "Europe/Kyiv",
    }
)
"""The time zone of a country's calendar when none is given (RU: Moscow; pass ``timezone=`` elsewhere)."""
FALLBACK_TIMEZONE = "UTC"
"""The time zone of a calendar whose country is not in :data:`DEFAULT_TIMEZONES`."""

ROLL_RULES: Mapping[str, str] = MappingProxyType(
    {
        "UA": "Civil Code of Ukraine art. 254(5)",
        "RU": "Civil Code of the Russian Federation art. 193",
        "BG": "ZZD art. 72 / GPK art. 60",
    }
)
"""Where each country's law says a period ending on a non-working day ends on the next working day."""


def _close(code: str, known: list[str]) -> list[str]:
    """Known codes close to ``code``: same length and one character off, else difflib's best three."""
    one_off = [
        k for k in known if len(k) == len(code) and sum(x != y for x, y in zip(k, code, strict=True)) == 1
    ]
    one_off.sort(key=lambda k: (k[:1] != code[:1], k))  # same first letter first
    return one_off[:5] or difflib.get_close_matches(code, known, n=3, cutoff=0.5)


@functools.cache
def _country_codes() -> tuple[str, ...]:
    """The country codes `holidays` supports (alpha-2, no aliases), the keys of its
    ``list_supported_countries(include_aliases=False)``, read from its registry without importing the
    data of every country (which that function does, about 60 ms)."""
    return tuple(holidays.registry.EntityLoader.get_country_codes(include_aliases=False))


@functools.cache
def _subdivisions(code: str) -> tuple[str, ...]:
    """The subdivisions of a supported country ``code``, as ``list_supported_countries`` gives them;
    only this country's data is imported."""
    return tuple(getattr(holidays, code).subdivisions)


def subdivisions_of(country: str) -> list[str]:
    """Subdivision codes the `holidays` data knows for ``country`` (any case), empty when it has none."""
    code = country.strip().upper()
    return list(_subdivisions(code)) if code in _country_codes() else []


def check_country(country: str, subdivision: str | None) -> tuple[str, str | None]:
    known = _country_codes()
    code = country.strip().upper() if isinstance(country, str) else ""
    if code not in known:
        raise UnknownJurisdictionError(str(country), _close(code, list(known)), kind="country")
    if subdivision is None:
        return code, None
    subdivisions = list(_subdivisions(code))
    if subdivision in subdivisions:
        return code, subdivision
    folded = {s.upper(): s for s in subdivisions}
    if str(subdivision).upper() in folded:
        return code, folded[str(subdivision).upper()]
    matches = _close(str(subdivision).upper(), list(folded))
    raise UnknownJurisdictionError(
        f"{code}-{subdivision}", [f"{code}-{folded[m]}" for m in matches], kind="subdivision"
    )
