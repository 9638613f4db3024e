"""``civicflow export``: plan a process and write it as a calendar, a table, a chart, a report or a page."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from civicflow.cli import _common
from civicflow.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    Console,
    HelpText,
    add_excel_option,
    add_fix_option,
    add_lang_option,
    add_soon_option,
    iso_date,
    today_in,
)
from civicflow.errors import PlanInputError
from civicflow.events import Event
from civicflow.exporters import EXPORTERS, ExportOptions, StatusEntry, render, statuses_for
from civicflow.i18n import Translator, _, translator
from civicflow.loader import load_template, read_event_log
from civicflow.planner import Pin, plan, recorded_days

NAME = "export"
HELP = _("export a planned timeline as ics, csv, json, mermaid, markdown or a self-contained html page")
EPILOG = _("""\
examples:
  civicflow export drohobych_kir --start 2025-10-06 --format ics \\
      --output kir.ics
  civicflow export drohobych_kir --start 2025-10-06 \\
      --fix meeting_2=2025-11-13 --format markdown
  civicflow export drohobych_kir --start 2025-10-06 --events log.yaml \\
      --as-of 2025-11-20 --format html --output kir.html
  civicflow export sofia_vision --start 2017-03-01 --format mermaid --lang bg
  civicflow export drohobych_kir --start 2025-10-06 -o kir.csv --excel

Without --format the extension of --output names it (.ics, .csv, .json, .md,
.html, .mmd). --excel writes CSV that a spreadsheet in a Ukrainian, Bulgarian
or Russian locale opens on a double click (a BOM, ';', CRLF).

The calendar (ics) has one all-day event per step (tentative for undecided
windows, one per occurrence of a recurring step), a separate deadline event
with a reminder two days ahead for each rule-bound step, and UIDs such as
drohobych_kir.publication_1@civicflow, so importing it again updates the
events. With --events the statuses of a compliance check colour the html chart
and fill the markdown and json, and one-day steps that happened are planned on
the day they happened. The exit code is 0 when the file was written (use
`civicflow check` for findings) and 2 on bad input.
""")


ALIASES = {"md": "markdown"}
"""Other names of export formats."""

EXTENSIONS = {
    ".ics": "ics",
    ".csv": "csv",
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
}
"""The format ``-o FILE`` implies when --format is not given."""


def export_format(text: str) -> str:
    """argparse type: a known export format (or an alias such as ``md``); the error lists the known ones."""
    name = ALIASES.get(text, text)
    if name not in EXPORTERS:
        said = _common.environment_translator().gettext(
            "unknown export format {text}; known formats: {known} (md = markdown)"
        )
        raise argparse.ArgumentTypeError(said.format(text=repr(text), known=", ".join(sorted(EXPORTERS))))
    return name


def format_of(output: str | None, tr: Translator | None = None) -> str:
    """The format ``--output`` implies by its extension; :class:`PlanInputError` when it implies none."""
    tr = tr or translator()
    if output is None:
        raise PlanInputError(
            tr.gettext("give --format FORMAT, or --output FILE with an extension that names one")
        )
    fmt = EXTENSIONS.get(Path(output).suffix.lower())
    if fmt is None:
        said = tr.gettext(
            "cannot tell the format from {output}; give --format, or name the file with one of {known}"
        )
        raise PlanInputError(said.format(output=repr(output), known=", ".join(EXTENSIONS)))
    return fmt


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("template", metavar="TEMPLATE", help=_("a bundled template id or a YAML file"))
    parser.add_argument(
        "--start",
        type=iso_date,
        metavar="DATE",
        help=_("the process start (default: the 'start:' of the --events log, else the template's own)"),
    )
    add_fix_option(parser)
    parser.add_argument(
        "--events", metavar="LOG", help=_("an event log (YAML, JSON or CSV) to colour statuses")
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help=_(
            "the day of the 'today' line and of statuses (default: today in the jurisdiction's time zone)"
        ),
    )
    parser.add_argument(
        "--format",
        type=export_format,
        choices=(*sorted(EXPORTERS), *ALIASES),  # for completion: the type has mapped an alias already
        metavar="FORMAT",
        help=HelpText(
            _("one of {formats} (md = markdown); default: from --output's extension"),
            formats=", ".join(sorted(EXPORTERS)),
        ),
    )
    add_soon_option(parser, _("with --events: working days ahead that count as due soon (3)"))
    parser.add_argument("--output", "-o", metavar="FILE", help=_("write to FILE instead of standard output"))
    add_excel_option(parser)
    add_lang_option(parser)


def run(args: argparse.Namespace, console: Console) -> int:
    tr = console.tr
    fmt: str = args.format or format_of(args.output, tr)
    if args.excel and fmt != "csv":
        raise PlanInputError(tr.gettext("--excel is for CSV; the format is {format}").format(format=fmt))
    template = load_template(args.template)
    fixed: dict[str, Pin] = {}
    for step, day in args.fix:
        if step in fixed and fixed[step] != day:
            said = tr.gettext("--fix gives {step} twice ({first} and {second}); give it once")
            raise PlanInputError(said.format(step=step, first=fixed[step], second=day))
        fixed[step] = day
    # The command line is where the clock is read: --as-of, else today in the jurisdiction's zone; DTSTAMP
    # follows --as-of when given.
    now = _common.now_utc()
    as_of: dt.date = args.as_of or today_in(template.working_calendar().timezone)
    stamp = None if args.as_of else now.replace(microsecond=0)
    events: Sequence[Event] | None = None
    start: dt.date | None = args.start
    if args.events:
        log = read_event_log(args.events, template=template)
        events = log.events
        start = start or log.start  # the log's own start: key, as check, status and due read it
        # what happened is planned on the days it happened (unless --fix says otherwise)
        for sid, days in recorded_days(template, events).items():
            fixed.setdefault(sid, days)
    schedule = plan(template, start=start, fixed=fixed)
    statuses: dict[str, StatusEntry] = {}
    if events is not None:
        statuses = statuses_for(template, events, start=schedule.start, as_of=as_of, soon=args.soon)
    options = ExportOptions(
        lang=args.lang, template=template, as_of=as_of, now=stamp, statuses=statuses, excel=args.excel
    )
    text = render(fmt, schedule, options)
    if args.output:
        path = Path(args.output)
        try:
            with path.open("w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        except OSError as exc:
            console.error(
                tr.gettext("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)
            )
            return EXIT_BAD_INPUT
        n = len(schedule.steps)
        said = tr.ngettext("wrote {path} ({format}, {n} step)", "wrote {path} ({format}, {n} steps)", n)
        console.err.write(said.format(path=path, format=fmt, n=n) + "\n")
    else:
        console.out.write(text)
    return EXIT_OK
