"""``civicflow deadline``: compute one legal deadline and explain it."""

from __future__ import annotations

import argparse
import json

from civicflow.calendar import Reading, WorkingCalendar
from civicflow.cli._common import EXIT_OK, Console, iso_date, weekday_date
from civicflow.durations import Duration, NoIsoFormError

NAME = "deadline"
HELP = "compute a legal deadline: a period after (or before) a date in a country's working-day calendar"
EPILOG = """\
examples:
  civicflow deadline UA 2024-10-10 "3 working days"
  civicflow deadline UA 2025-05-01 "10 days" --format json
  civicflow deadline UA 2025-03-17 "3 working days" --before --reading clear_days

PERIOD: "N days", "N working days", "N weeks", "N months", "half a month", ISO 8601 "P10D",
or Ukrainian, Bulgarian, Russian ("3 робочі дні", "10 дни", "3 месяца"). See docs/calendar.md.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("country", metavar="COUNTRY", help="ISO 3166-1 alpha-2 country code, e.g. UA, BG, RU")
    parser.add_argument("date", metavar="DATE", type=iso_date, help="the event date, YYYY-MM-DD")
    parser.add_argument("period", metavar="PERIOD", help='the period, e.g. "3 working days" or "P10D"')
    parser.add_argument(
        "--before",
        action="store_true",
        help="count backwards: the last day to act for 'no later than PERIOD before DATE'",
    )
    parser.add_argument(
        "--reading",
        choices=[r.value for r in Reading],
        default=Reading.COUNT_BACK.value,
        help="with --before: count_back (reading A, default) or clear_days (reading B, one day earlier)",
    )
    parser.add_argument("--subdivision", metavar="X", help="subdivision code as the holidays data spells it")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def run(args: argparse.Namespace, console: Console) -> int:
    calendar = WorkingCalendar(args.country, args.subdivision)
    duration = Duration.parse(args.period)
    if args.before:
        deadline = calendar.period_before(args.date, duration, reading=Reading(args.reading))
    else:
        deadline = calendar.period_after(args.date, duration)
    if args.format == "json":
        try:
            iso: str | None = duration.iso()
        except NoIsoFormError:
            iso = None
        payload = {
            "country": calendar.country,
            "subdivision": calendar.subdivision,
            "event": deadline.event.isoformat(),
            "period": str(deadline.duration),
            "period_iso": iso,
            "direction": deadline.direction,
            "reading": deadline.reading.value if deadline.reading else None,
            "raw": deadline.raw.isoformat(),
            "deadline": deadline.date.isoformat(),
            "weekday": deadline.date.strftime("%A"),
            "rolled": deadline.rolled,
            "roll_reason": deadline.roll_reason,
            "explanation": deadline.explain(),
        }
        console.print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    console.print(f"deadline: {console.style(weekday_date(deadline.date), 'bold')}")
    console.print(deadline.explain())
    return EXIT_OK
