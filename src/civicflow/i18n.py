"""The reader's language: message catalogs (gettext) and dates named in that language (Babel).

Every sentence a person reads is an English ``msgid`` in the source, marked with ``_()`` (or
``ngettext`` for counts) and translated in ``locale/<lang>/LC_MESSAGES/civicflow.po``; the compiled
``.mo`` files ship with the package. Nothing here is global: a :class:`Translator` is asked for by
language and passed to whatever renders text.

>>> from civicflow.i18n import translator
>>> tr = translator("en")
>>> tr.gettext("done")
'done'
>>> tr.ngettext("{n} day", "{n} days", 2).format(n=2)
'2 days'
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as _gettext
from collections.abc import Mapping
from pathlib import Path
from typing import Final, Literal

Width = Literal["abbreviated", "narrow", "wide"]

LANGUAGES: Final = ("uk", "bg", "ru", "en")
"""The languages civicflow speaks, in the order menus offer them."""

DEFAULT_LANGUAGE: Final = "en"
"""The language when neither the user nor the environment names one civicflow speaks."""

DOMAIN: Final = "civicflow"
"""The gettext domain: ``locale/<lang>/LC_MESSAGES/civicflow.mo``."""

LOCALE_DIR: Final = Path(__file__).parent / "locale"
"""Where the compiled catalogs live inside the package."""

ENVIRONMENT_VARIABLES: Final = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where :func:`language_from_environment` looks, in gettext's order of precedence."""


def _(message: str) -> str:
    """Mark ``message`` for extraction without translating it (it is translated where it is shown)."""
    return message


def language_from_environment(environ: Mapping[str, str]) -> str:
    """The first language civicflow speaks named by ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` or ``LANG``.

    ``uk_UA.UTF-8`` means ``uk``; ``LANGUAGE`` may list several (``de:ru``); ``C`` and ``POSIX`` mean
    English; a language civicflow does not speak is passed over. English when nothing matches.

    >>> language_from_environment({"LANG": "bg_BG.UTF-8"})
    'bg'
    >>> language_from_environment({"LANGUAGE": "de:ru", "LANG": "uk_UA.UTF-8"})
    'ru'
    >>> language_from_environment({"LC_ALL": "C", "LANG": "uk_UA.UTF-8"})
    'en'
    """
    for variable in ENVIRONMENT_VARIABLES:
        value = environ.get(variable, "").strip()
        if not value:
            continue
        for item in value.split(":") if variable == "LANGUAGE" else [value]:
            code = item.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in ("c", "posix"):
                return DEFAULT_LANGUAGE
            if code in LANGUAGES:
                return code
        if variable != "LANGUAGE":
            # LC_ALL / LC_MESSAGES / LANG name one locale: a set one decides, even if we do not speak it.
            return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


class Translator:
    """The messages and date names of one language.

    ``gettext`` and ``ngettext`` come from the language's catalog (English is the source language:
    its messages are the ``msgid`` themselves).
    """

    __slots__ = ("_catalog", "lang")

    def __init__(self, lang: str, catalog: _gettext.NullTranslations) -> None:
        self.lang = lang
        self._catalog = catalog

    def __repr__(self) -> str:
        return f"Translator({self.lang!r})"

    def gettext(self, message: str) -> str:
        """``message`` in this language."""
        return self._catalog.gettext(message)

    def pgettext(self, context: str, message: str) -> str:
        """``message`` in this language, as meant in ``context`` (a short word with several meanings)."""
        return self._catalog.pgettext(context, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of ``singular``/``plural`` for ``n`` in this language (uk, ru: three forms)."""
        return self._catalog.ngettext(singular, plural, n)

    def weekday(self, day: dt.date, width: Width = "abbreviated") -> str:
        """The weekday of ``day``: ``Mon``, ``пн``, ``пн``, ``пн`` (``width="wide"``: ``Monday`` ...)."""
        return _weekdays(self.lang, width)[day.weekday()]

    def month(self, month: int, width: Width = "wide") -> str:
        """``month`` (1-12) named standing alone: ``November``, ``листопад``, ``ноември``, ``ноябрь``."""
        return _months(self.lang, width)[month - 1]

    def day(self, day: dt.date) -> str:
        """``2025-10-06 Mon`` (``2025-10-06 пн`` in Ukrainian): :func:`format_day` in this language."""
        return format_day(day, self)


def format_day(day: dt.date, tr: Translator | None = None) -> str:
    """A day as civicflow shows it everywhere (findings, deadlines, plans, statuses, exports):
    ``2025-10-06 Mon``, the ISO date first (copyable into a command or a log as it stands), then its
    weekday abbreviated in ``tr``'s language (``2025-10-06 пн`` in Ukrainian), English when ``tr`` is
    ``None``. English names are fixed, never the process locale's (``strftime`` would follow it).

    >>> import datetime as dt
    >>> format_day(dt.date(2025, 10, 16))
    '2025-10-16 Thu'
    """
    return f"{day.isoformat()} {weekday_name(day, tr)}"


def weekday_name(day: dt.date, tr: Translator | None = None, width: Width = "abbreviated") -> str:
    """The weekday of ``day`` in ``tr``'s language, English when ``tr`` is ``None`` (no catalog and no
    Babel loaded for it): ``Thu``, ``чт``; ``width="wide"``: ``Thursday``, ``четвер``."""
    return _weekdays(DEFAULT_LANGUAGE if tr is None else tr.lang, width)[day.weekday()]


_ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _shorten(names: tuple[str, ...], width: Width) -> tuple[str, ...]:
    return names if width == "wide" else tuple(n[: 3 if width == "abbreviated" else 1] for n in names)


@functools.cache
def _weekdays(lang: str, width: Width) -> tuple[str, ...]:
    """Monday first. English is CLDR's English written out (no Babel import for the default language);
    the others come from Babel's CLDR data."""
    if lang == DEFAULT_LANGUAGE:
        return _shorten(_ENGLISH_WEEKDAYS, width)
    from babel.dates import get_day_names

    names = get_day_names(width, context="format", locale=lang)
    return tuple(str(names[i]) for i in range(7))


@functools.cache
def _months(lang: str, width: Width) -> tuple[str, ...]:
    """January first, standing alone (the nominative: ``листопад``, not ``листопада``)."""
    if lang == DEFAULT_LANGUAGE:
        return _shorten(_ENGLISH_MONTHS, width)
    from babel.dates import get_month_names

    names = get_month_names(width, context="stand-alone", locale=lang)
    return tuple(str(names[i]) for i in range(1, 13))


def translator(lang: str | None = None) -> Translator:
    """The :class:`Translator` of ``lang`` (one of :data:`LANGUAGES`; ``None`` means English), loaded once.

    Raises ``ValueError`` for a language civicflow does not speak.
    """
    return _load(lang or DEFAULT_LANGUAGE)


@functools.cache
def _load(lang: str) -> Translator:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; civicflow speaks {', '.join(LANGUAGES)}")
    if lang == DEFAULT_LANGUAGE:
        return Translator(lang, _gettext.NullTranslations())
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as handle:
        return Translator(lang, _gettext.GNUTranslations(handle))


def non_english(lang: str | Translator | None) -> Translator | None:
    """The translator of ``lang`` (a code or a :class:`Translator`), or ``None`` for English: the library
    words English itself, with no catalog loaded."""
    if lang is None or lang == DEFAULT_LANGUAGE:
        return None
    return translator(lang) if isinstance(lang, str) else lang
