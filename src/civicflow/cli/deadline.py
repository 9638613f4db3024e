"""``civicflow deadline``: compute one legal deadline and explain it."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import textwrap
from collections.abc import Sequence

from civicflow.calendar import (
    EU_RULES,
    PROCEDURAL_CODES,
    WEEKDAY_NAMES,
    PassedDay,
    PeriodKind,
    Reading,
    RuleSetError,
    WorkingCalendar,
    passed_days,
    subdivisions_of,
)
from civicflow.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    Console,
    add_lang_option,
    date_or_time,
    iso_date,
)
from civicflow.durations import Duration, NoIsoFormError
from civicflow.errors import CalendarRangeError, DurationError, UnknownJurisdictionError
from civicflow.i18n import Translator, _, translator

NAME = "deadline"
HELP = _("compute a legal deadline: a period after (or before) a date in a country's working-day calendar")
EPILOG = _("""\
examples:
  civicflow deadline UA 2024-10-10 "3 working days"
  civicflow deadline UA 2025-05-01 "10 days" --format json
  civicflow deadline UA 2025-10-14T23:30Z "3 working days"
  civicflow deadline UA 2025-03-17 "3 working days" --before \\
    --reading clear_days
  civicflow deadline BE 2025-03-14 "2 days" --rules EU
  civicflow deadline UA 2026-08-21 "1 working day" \\
    --martial-law-until 2026-05-01
  civicflow deadline RU 2025-04-30 "10 дней" --counted-under RU-GPK

PERIOD: "N days", "N working days", "N weeks", "N months", "half a month",
"N quarters", "N years", "N hours", ISO 8601 "P10D", "P1Y", "P1M10D", or
Ukrainian, Bulgarian, Russian ("3 робочі дні", "10 дни", "3 месяца",
"півтора місяці"). DATE may be a date-time: without an offset it is local time
in the country's zone, with one it is converted there; the deadline counts from
that local day. --reading goes with --before. A backward line is not moved:
the working day before is printed as advice. See docs/calendar.md.
""")

WIDTH = 80


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "country", metavar="COUNTRY", help=_("ISO 3166-1 alpha-2 country code, e.g. UA, BG, RU")
    )
    parser.add_argument(
        "date",
        metavar="DATE",
        type=date_or_time,
        help=_(
            "the event date, YYYY-MM-DD, or a date-time (local time in the country's zone unless it has "
            "an offset), e.g. 2025-10-14T23:30 or 2025-10-14T20:30Z"
        ),
    )
    parser.add_argument("period", metavar="PERIOD", help=_('the period, e.g. "3 working days" or "P10D"'))
    parser.add_argument(
        "--before",
        action="store_true",
        help=_("count backwards: the last day to act for 'no later than PERIOD before DATE'"),
    )
    parser.add_argument(
        "--reading",
        choices=[r.value for r in Reading],
        default=None,
        help=_("with --before: count_back (reading A, default) or clear_days (reading B, one day earlier)"),
    )
    parser.add_argument(
        "--subdivision", metavar="X", help=_("subdivision code as the holidays data spells it")
    )
    parser.add_argument(
        "--minimum",
        action="store_true",
        help=_("the first allowed day of 'not earlier than PERIOD after DATE' (not rolled)"),
    )
    parser.add_argument(
        "--rules", choices=(EU_RULES,), help=_("count by Regulation (EEC, Euratom) No 1182/71")
    )
    parser.add_argument(
        "--martial-law-until",
        metavar="DATE",
        type=iso_date,
        help=_("UA: the last day of martial law; public holidays apply again from the day after"),
    )
    parser.add_argument(
        "--counted-under",
        choices=list(PROCEDURAL_CODES),
        help=_("a procedural code under which periods in days are working days"),
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help=_("output format"))
    add_lang_option(parser)


def _calendar(
    country: str, subdivision: str | None, args: argparse.Namespace, tr: Translator | None = None
) -> WorkingCalendar | str:
    """The calendar, or what is wrong with COUNTRY, --subdivision or a rule-set option."""
    tr = tr or translator()
    try:
        return WorkingCalendar(
            country,
            subdivision,
            rules=args.rules,
            martial_law_until=args.martial_law_until,
            counted_under=args.counted_under,
        )
    except RuleSetError as exc:
        option = "--martial-law-until" if "martial_law_until" in str(exc) else "--counted-under"
        return f"argument {option}: {exc}"
    except UnknownJurisdictionError as exc:
        argument = tr.gettext("argument {name}: {message}")
        unknown = exc.text_in(tr)
        if exc.kind != "subdivision":
            return argument.format(name="COUNTRY", message=unknown)
        if exc.suggestions:
            return argument.format(name="--subdivision", message=unknown)
        known = subdivisions_of(country)
        if not known:
            said = tr.gettext("{country} has no subdivisions: leave it out").format(country=country.upper())
            return argument.format(name="--subdivision", message=f"{unknown}; {said}")
        said = tr.gettext("known: {known}").format(known=", ".join(known))
        return argument.format(name="--subdivision", message=f"{unknown}; {said}")


def run(args: argparse.Namespace, console: Console) -> int:
    tr = console.tr
    if args.reading is not None and not args.before:
        said = tr.gettext(
            "{reading} is a reading of a period counted backwards; add --before ('no later than PERIOD "
            "before DATE') or leave --reading out"
        )
        console.error("argument --reading: " + said.format(reading=args.reading))
        return EXIT_BAD_INPUT
    if args.minimum and args.before:
        said = tr.gettext(
            "a minimum counts after DATE ('not earlier than PERIOD after'); leave out --before or --minimum"
        )
        console.error(f"argument --minimum: {said}")
        return EXIT_BAD_INPUT
    calendar = _calendar(args.country, args.subdivision, args, tr)
    if isinstance(calendar, str):
        console.error(calendar)
        return EXIT_BAD_INPUT
    try:
        duration = Duration.parse(args.period)
    except DurationError as exc:
        console.error(tr.gettext("argument {name}: {message}").format(name="PERIOD", message=exc.text_in(tr)))
        return EXIT_BAD_INPUT
    # one time rule: a date-time is taken on its local day in the country's zone (naive: local time)
    given = args.date
    args.date = calendar.local_date(given)
    if not calendar.first_year <= args.date.year <= calendar.last_year:
        said = tr.gettext(
            "{day} is outside the years the {country} calendar covers; give a date in {first}..{last}"
        )
        shown = {"first": calendar.first_year, "last": calendar.last_year, "country": calendar.country}
        console.error("argument DATE: " + said.format(day=args.date.isoformat(), **shown))
        return EXIT_BAD_INPUT
    try:
        if args.before:
            reading = Reading(args.reading or Reading.COUNT_BACK.value)
            deadline = calendar.period_before(args.date, duration, reading=reading)
        else:
            kind = PeriodKind.NOT_EARLIER_THAN if args.minimum else PeriodKind.WITHIN
            deadline = calendar.period_after(args.date, duration, kind=kind)
    except CalendarRangeError:
        said = tr.gettext(
            "{period} from {day} ends outside the years the {country} calendar covers ({first}..{last})"
        )
        shown = {"first": calendar.first_year, "last": calendar.last_year, "country": calendar.country}
        console.error(
            "argument PERIOD: " + said.format(period=args.period, day=args.date.isoformat(), **shown)
        )
        return EXIT_BAD_INPUT
    passed = passed_days(calendar, deadline)
    if args.format == "json":
        try:
            iso: str | None = duration.iso()
        except NoIsoFormError:
            iso = None
        payload = {
            "country": calendar.country,
            "timezone": calendar.timezone,
            "given": given.isoformat(),
            "subdivision": calendar.subdivision,
            "event": deadline.event.isoformat(),
            "period": str(deadline.duration),
            "period_iso": iso,
            "direction": deadline.direction,
            "reading": deadline.reading.value if deadline.reading else None,
            "raw": deadline.raw.isoformat(),
            "deadline": deadline.date.isoformat(),
            "weekday": WEEKDAY_NAMES[deadline.date.weekday()],
            "advised": deadline.advised.isoformat() if deadline.advised else None,
            "rolled": deadline.rolled,
            "roll_reason": deadline.roll_reason,
            "explanation": deadline.explain(),
            **_passed_json(passed),
        }
        console.print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    label = tr.gettext("earliest:") if args.minimum else tr.gettext("deadline:")
    console.print(f"{label} {console.style(console.day(deadline.date), 'bold')}")
    if isinstance(given, dt.datetime):
        said = tr.gettext("event: {moment} is {day} in {zone}")
        console.print(
            said.format(moment=given.isoformat(), day=console.day(args.date), zone=calendar.timezone)
        )
    if deadline.advised is not None and deadline.advised != deadline.date:
        said = tr.gettext("advised:  {day} (the working day before; advice only)")
        console.print(said.format(day=console.day(deadline.advised)))
    for line in textwrap.wrap(deadline.explain(tr), WIDTH, break_on_hyphens=False):
        console.print(line)
    _print_passed(passed, console)
    return EXIT_OK


def _passed_json(passed: Sequence[PassedDay]) -> dict[str, list[dict[str, str]]]:
    """The days the count passed over, and why: the days off it skipped, the rest days worked by a
    transfer that it counted."""
    return {
        "days_off": [{"date": p.day.isoformat(), "reason": str(p.reason)} for p in passed if p.skipped],
        "working_rest_days": [
            {"date": p.day.isoformat(), "reason": str(p.reason)} for p in passed if not p.skipped
        ],
    }


def _print_passed(passed: Sequence[PassedDay], console: Console) -> None:
    """The days the count passed over under the explanation, one a line with why, in the reader's
    language."""
    tr = console.tr
    for skipped, head in (
        (True, tr.gettext("days off skipped:")),
        (False, tr.gettext("weekly rest days counted as working days:")),
    ):
        rows = [p for p in passed if p.skipped is skipped]
        if rows:
            console.print(head)
        for p in rows:
            day = console.day(p.day)
            said = f"{day}  {p.reason.render(tr)}"
            for line in textwrap.wrap(said, WIDTH - 2, subsequent_indent=" " * (len(day) + 2)):
                console.print(f"  {line}")
