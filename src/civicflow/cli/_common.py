"""Shared helpers of the command line: the console, exit codes, parsing dates from arguments."""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import os
import re
import secrets
import shutil
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO, cast

from civicflow._text import json_terminal_safe, terminal_safe
from civicflow.dates import local_day, parse_day, parse_moment
from civicflow.errors import EventLogError, TemplateError

if TYPE_CHECKING:
    from civicflow.durations import Duration

from civicflow.i18n import LANGUAGES, Translator, _, format_day, language_from_environment, translator

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 70

_COLORS = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "grey": "90", "bold": "1"}


def package_version() -> str:
    """The installed version of civicflow."""
    from importlib.metadata import PackageNotFoundError, version  # about 12 ms: only for --version

    try:
        return version("civicflow")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0+unknown"


class OutputError(Exception):
    """Standard output cannot be written (closed, a full disk, a reader that went away)."""

    def __init__(self, error: OSError) -> None:
        self.error = error
        super().__init__(error.strerror or str(error))


class _GuardedOut:
    """Standard output whose write errors become :class:`OutputError` (told apart from input errors)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise OutputError(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise OutputError(exc) from None

    def isatty(self) -> bool:
        return bool(getattr(self._stream, "isatty", lambda: False)())


@dataclass
class Console:
    """Where output goes, and whether it may be coloured."""

    out: TextIO
    err: TextIO
    color: bool = False
    tr: Translator = field(default_factory=translator)
    """The language of what people read (English unless ``--lang`` or the environment names another)."""
    _marker: str | None = field(default=None, repr=False)

    @classmethod
    def from_streams(
        cls, out: TextIO, err: TextIO, *, color: str = "auto", lang: str | None = None
    ) -> Console:
        if color == "always":
            use = True
        elif color == "never":
            use = False
        else:
            use = bool(getattr(out, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ
        return cls(out=cast(TextIO, _GuardedOut(out)), err=err, color=use, tr=translator(lang))

    def day(self, d: dt.date) -> str:
        """``2025-10-06 Mon`` in the console's language (:func:`~civicflow.i18n.format_day`)."""
        return format_day(d, self.tr)

    def print(self, text: str = "") -> None:
        """Write a line; control characters in the data (escape sequences from a template or a log) are
        shown as ``?`` (as ``\\uXXXX`` escapes in JSON output), only the colours of :meth:`style` reach
        the terminal."""
        # A JSON document is escaped as JSON, so that programs still get the same data.
        text = json_terminal_safe(text) if text[:1] in ("{", "[") else terminal_safe(text, newlines=True)
        if self.color:  # civicflow's own colours: markers no data can forge become escape sequences
            text = self._markers().sub(lambda m: f"\x1b[{m.group(1)}m", text)
        self.out.write(text + "\n")

    def _markers(self) -> re.Pattern[str]:
        if self._marker is None:
            self._marker = secrets.token_hex(8)
        return re.compile(f"\ue000{self._marker}([0-9]+)\ue001")

    def error(self, text: str) -> None:
        self.err.write(f"civicflow: {terminal_safe(text, newlines=True)}\n")

    def style(self, text: str, name: str) -> str:
        """``text`` wrapped in the ANSI colour ``name`` when colour is on."""
        if not self.color or name not in _COLORS:
            return text
        self._markers()
        return f"\ue000{self._marker}{_COLORS[name]}\ue001{text}\ue000{self._marker}0\ue001"


def now_utc() -> dt.datetime:
    """The clock, read in one place (tests replace this function to hold the day still)."""
    return dt.datetime.now(dt.UTC)


def today_in(timezone: str) -> dt.date:
    """Today's date in ``timezone`` (the jurisdiction's), the default of ``--as-of``."""
    return local_day(now_utc(), timezone)


GIVEN_LANG: list[str | None] = [None]
"""The ``--lang`` of the command line being run, seen before argparse reads it (set by ``main``)."""


def environment_translator() -> Translator:
    """The translator of ``--lang`` when the command line gives one, else of the environment's language:
    for messages given while the arguments are read, before argparse has read ``--lang``."""
    return translator(GIVEN_LANG[0] or language_from_environment(os.environ))


_NUMERIC_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})|(\d{1,2})\.(\d{1,2})\.(\d{4})")


def no_such_day(text: str, tr: Translator) -> str | None:
    """Why ``text``, written as a date (``2025-02-30``, ``30.02.2025``), names no day: ``February 2025
    has 28 days``; None when it is not written as a date, or is a day."""
    found = _NUMERIC_DAY.fullmatch(text.strip())
    if found is None:
        return None
    if found.group(1) is not None:
        year, month, day = (int(g) for g in found.group(1, 2, 3))
    else:
        day, month, year = (int(g) for g in found.group(4, 5, 6))
    if year < 1:
        return None
    if not 1 <= month <= 12:
        return tr.gettext("there is no month {month}; a month is 1 to 12").format(month=month)
    last = calendar.monthrange(year, month)[1]
    if 1 <= day <= last:
        return None
    said = tr.ngettext("{month} {year} has {n} day", "{month} {year} has {n} days", last)
    return said.format(month=tr.month(month), year=year, n=last)


def iso_date(text: str) -> dt.date:
    """argparse type: a date, ``2025-10-06`` or ``06.10.2025`` (see :func:`civicflow.dates.parse_day`)."""
    try:
        return parse_day(text)
    except ValueError:
        tr = environment_translator()
        why = no_such_day(text, tr)
        if why is not None:
            said = tr.gettext("{text} is not a day: {why}")
            raise argparse.ArgumentTypeError(said.format(text=repr(text), why=why)) from None
        said = environment_translator().gettext(
            "{text} is not a date; write it as YYYY-MM-DD or DD.MM.YYYY, e.g. 2025-10-06 or 06.10.2025"
        )
        raise argparse.ArgumentTypeError(said.format(text=repr(text))) from None


def date_or_time(text: str) -> dt.date | dt.datetime:
    """argparse type: a date (2025-10-14, 14.10.2025) or date-time (2025-10-14T23:30, 14.10.2025 23:30,
    with or without an offset; see :func:`civicflow.dates.parse_moment`); a date-time without an offset
    is local time where it is used."""
    try:
        return parse_moment(text)
    except ValueError:
        said = environment_translator().gettext(
            "{text} is not a date or a date-time; write YYYY-MM-DD or DD.MM.YYYY, e.g. 2025-10-14, or "
            "YYYY-MM-DDTHH:MM[+HH:MM] or DD.MM.YYYY HH:MM, e.g. 2025-10-14T23:30 (local time) or "
            "2025-10-14T20:30Z"
        )
        raise argparse.ArgumentTypeError(said.format(text=repr(text))) from None


def fixed_date(text: str) -> tuple[str, dt.date]:
    """argparse type: ``STEP=DATE``, e.g. ``meeting_3=2025-12-04`` or ``meeting_3=04.12.2025`` (``--fix``)."""
    step, sep, day = text.partition("=")
    try:
        if not sep or not step.strip():
            raise ValueError
        return step.strip(), parse_day(day)
    except ValueError:
        tr = environment_translator()
        why = no_such_day(day, tr) if sep and step.strip() else None
        if why is not None:
            said = tr.gettext("{text}: {day} is not a day: {why}")
            raise argparse.ArgumentTypeError(said.format(text=repr(text), day=day.strip(), why=why)) from None
        said = environment_translator().gettext(
            "{text} is not STEP=YYYY-MM-DD (or STEP=DD.MM.YYYY); write e.g. meeting_3=2025-12-04"
        )
        raise argparse.ArgumentTypeError(said.format(text=repr(text))) from None


def whole_number(text: str, what: str, example: str) -> int:
    """A whole number, 0 or more, read from an argument; else argparse's error naming ``what`` it counts
    (a message marked with ``_()``) and an ``example`` of a right one."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        tr = environment_translator()
        said = tr.gettext("{text} is not {what}; give a whole number >= 0, e.g. {example}")
        raise argparse.ArgumentTypeError(said.format(text=repr(text), what=tr.gettext(what), example=example))
    return value


def soon_days(text: str) -> int:
    """argparse type of ``--soon``: a whole number of working days, 0 or more."""
    return whole_number(text, _("a number of working days"), "--soon 3")


LANGS = LANGUAGES
"""The languages ``--lang`` offers."""

MACHINE_FORMATS = ("json", "csv")
"""Output for programs: the same in every language unless ``--lang`` is given (it names titles there)."""


class HelpText(str):
    """Help of an option whose words hold values (``one of csv, html, ...``): the English text as it
    is, with its message id and values kept, so that ``--help`` words it in the reader's language."""

    msgid: str
    params: dict[str, str]

    def __new__(cls, msgid: str, **params: str) -> HelpText:
        text = super().__new__(cls, msgid.format(**params))
        text.msgid = msgid
        text.params = params
        return text

    def in_language(self, tr: Translator) -> str:
        return tr.gettext(self.msgid).format(**self.params)


def add_soon_option(
    parser: argparse.ArgumentParser, help: str = _("working days ahead that count as due soon (3)")
) -> None:
    """``--soon N``: how many working days ahead a deadline counts as due soon (3 by default)."""
    parser.add_argument("--soon", type=soon_days, default=3, metavar="N", help=help)


def add_lang_option(parser: argparse.ArgumentParser) -> None:
    """``--lang uk|bg|ru|en``: the language of the output and of titles (titles fall back to English,
    then to the original); by default the environment's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else
    English."""
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default=None,
        help=_(
            "language of the output and of titles (default: from LANGUAGE, LC_ALL, LC_MESSAGES or "
            "LANG, else English)"
        ),
    )


def resolve_language(args: argparse.Namespace, environ: Mapping[str, str]) -> str:
    """The language people read: ``--lang``, else the environment's, else English.

    Titles follow it too (``args.lang`` is set), except in output for programs (``--format json`` or
    ``csv``, or ``-o FILE.json``/``.csv``), which changes only with an explicit ``--lang``.
    """
    given: str | None = getattr(args, "lang", None)
    if given:
        return given
    lang = language_from_environment(environ)
    if lang != "en" and hasattr(args, "lang"):
        fmt = getattr(args, "format", None)
        output = str(getattr(args, "output", None) or "")
        if fmt is None and output:
            fmt = output.rsplit(".", 1)[-1].lower()
        if fmt not in MACHINE_FORMATS:
            args.lang = lang
    return lang


class _FixOnce(argparse.Action):
    """``--fix`` collected as a list of (step, date); a step fixed to two different days is refused (the
    second must not silently win), the same day given twice is kept once."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        step, day = values
        pins: list[tuple[str, dt.date]] = list(getattr(namespace, self.dest, None) or [])
        for fixed_step, fixed_day in pins:
            if fixed_step == step and fixed_day != day:
                said = environment_translator().gettext(
                    "{step} is fixed twice, to {first} and to {second}; fix each step to one day"
                )
                raise argparse.ArgumentError(
                    self, said.format(step=step, first=fixed_day.isoformat(), second=day.isoformat())
                )
        if (step, day) not in pins:
            pins.append((step, day))
        setattr(namespace, self.dest, pins)


def add_fix_option(parser: argparse.ArgumentParser) -> None:
    """``--fix STEP=DATE`` (repeatable): pin a step to a day; collected as a list of (step, date)."""
    parser.add_argument(
        "--fix",
        type=fixed_date,
        action=_FixOnce,
        default=[],
        metavar="STEP=DATE",
        help=_("pin a step to a day (repeatable), e.g. --fix meeting_3=2025-12-04"),
    )


def add_excel_option(parser: argparse.ArgumentParser) -> None:
    """``--excel``: CSV for a spreadsheet in a Ukrainian, Bulgarian or Russian locale (BOM, ``;``, CRLF)."""
    parser.add_argument(
        "--excel",
        action="store_true",
        help=_(
            "with --format csv: a file a spreadsheet opens on a double click where the comma is the "
            "decimal separator (a UTF-8 BOM, ';' between cells, CRLF line ends)"
        ),
    )


MIN_WIDTH = 60
"""Tables never get narrower than this, however narrow the terminal says it is."""


def terminal_width() -> int:
    """The width tables use: ``$COLUMNS``, else the terminal's, else 80 (at least :data:`MIN_WIDTH`)."""
    return max(MIN_WIDTH, shutil.get_terminal_size((80, 24)).columns)


def wrap_legend(text: str, width: int) -> list[str]:
    """A legend (``a = b, c = d; e = f``) wrapped to ``width`` columns between its entries (an entry
    longer than a line is wrapped at its words)."""
    lines: list[str] = []
    line = ""
    for entry in re.split(r"(?<=[,;]) ", text):
        candidate = entry if not line else f"{line} {entry}"
        if len(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        if len(entry) > width:
            *full, line = textwrap.wrap(entry, width, break_long_words=False, break_on_hyphens=False)
            lines.extend(full)
        else:
            line = entry
    if line:
        lines.append(line)
    return lines


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 stage``, ``6 stages``: a count with its noun (``words`` for an irregular plural)."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def duration_text(duration: Duration, tr: Translator | None = None) -> str:
    """A legal period in words (``3 working days``, ``3 робочі дні``) in ``tr``'s language."""
    from civicflow.durations import DurationUnit

    if tr is None or tr.lang == "en":
        return str(duration)
    n = duration.amount
    if duration.half_month:
        if n == 0:
            return tr.gettext("half a month")
        return tr.ngettext("{n} and a half months", "{n} and a half months", n).format(n=n)
    if duration.calendar_days:
        text = tr.ngettext("{n} calendar day", "{n} calendar days", n)
    else:
        text = {
            DurationUnit.DAYS: tr.ngettext("{n} day", "{n} days", n),
            DurationUnit.WORKING_DAYS: tr.ngettext("{n} working day", "{n} working days", n),
            DurationUnit.WEEKS: tr.ngettext("{n} week", "{n} weeks", n),
            DurationUnit.MONTHS: tr.ngettext("{n} month", "{n} months", n),
            DurationUnit.QUARTERS: tr.ngettext("{n} quarter", "{n} quarters", n),
            DurationUnit.HALF_YEARS: tr.ngettext("{n} half-year", "{n} half-years", n),
            DurationUnit.YEARS: tr.ngettext("{n} year", "{n} years", n),
            DurationUnit.HOURS: tr.ngettext("{n} hour", "{n} hours", n),
        }[duration.unit]
    text = text.format(n=n)
    if duration.plus_days:
        text += " " + tr.ngettext("{n} day", "{n} days", duration.plus_days).format(n=duration.plus_days)
    return text


def event_word(event: str, tr: Translator) -> str:
    """The kind of an event (``complete``, ``open``, ``skip``) in the table's language."""
    words = {
        "complete": tr.pgettext("event", "complete"),
        "open": tr.pgettext("event", "open"),
        "skip": tr.pgettext("event", "skip"),
    }
    return words.get(event, event)


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, ending in ``…`` when it was longer (no word search)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, at a word if one ends late enough, with ``…`` at the end."""
    if len(text) <= width:
        return text
    head = text[: width - 1]
    space = head.rfind(" ")
    if space >= width // 2:
        head = head[:space]
    return head.rstrip(" ,;:.-–") + "…"


def problems_json(error: EventLogError | TemplateError) -> dict[str, Any]:
    """``--format json`` output of an input that cannot be read: every problem (the message on stderr
    lists a screenful)."""
    kind = "event_log" if isinstance(error, EventLogError) else "template"
    return {
        "ok": False,
        "error": kind,
        "source": error.source,
        "count": len(error.problems),
        "problems": [p.to_dict() for p in error.problems],
    }
