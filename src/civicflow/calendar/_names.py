"""Public holidays named in the reader's language, as the ``holidays`` package names them."""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import holidays

if TYPE_CHECKING:
    from civicflow.i18n import Translator


@dataclass(frozen=True, slots=True)
class Holiday:
    """A public holiday of ``country`` on ``day``, named ``name`` in English; other languages take the
    name the ``holidays`` package gives in that language, or the English one where it has none."""

    country: str
    subdivision: str | None
    day: _dt.date
    name: str
    categories: tuple[str, ...] | None = None  # e.g. ("workday",): Ukraine's holidays suspended since 2022

    def render(self, translator: Translator | None = None) -> str:
        if translator is None or translator.lang == "en":
            return self.name
        names = holiday_names(self.country, self.subdivision, self.day.year, translator.lang, self.categories)
        return names.get(self.day, self.name)


@functools.cache
def holiday_names(
    country: str, subdivision: str | None, year: int, lang: str, categories: tuple[str, ...] | None = None
) -> dict[_dt.date, str]:
    """The holidays of ``country`` in ``year`` named in ``lang``; empty where ``holidays`` has no names in
    that language (the caller keeps the English name)."""
    try:
        data = holidays.country_holidays(
            country, subdiv=subdivision, years=year, language=lang, categories=categories
        )
    except NotImplementedError:
        return {}
    if lang not in data.supported_languages:
        return {}
    return dict(data.items())
