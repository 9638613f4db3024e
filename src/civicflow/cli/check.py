"""``civicflow check``: check an event log against the legal deadlines of a process template."""

from __future__ import annotations

import argparse
import json
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path

from civicflow.calendar._range import require_in_range
from civicflow.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Console,
    add_lang_option,
    add_soon_option,
    clip,
    event_word,
    iso_date,
    terminal_width,
    today_in,
)
from civicflow.cli._logs import load_logs
from civicflow.compliance import (
    DueSource,
    Finding,
    FindingStatus,
    Report,
    Status,
    StepDetail,
    status,
)
from civicflow.compliance._agenda import is_undatable
from civicflow.compliance._check import checker_for
from civicflow.documents import check_document
from civicflow.errors import PlanInputError
from civicflow.exporters._common import pick
from civicflow.i18n import Translator, _, format_day

NAME = "check"
HELP = _("check an event log (YAML, JSON or CSV) against the legal deadlines of a process template")
EPILOG = _("""\
examples:
  civicflow check drohobych_kir examples/drohobych_events.yaml \\
      --as-of 2025-11-20 --soon 5
  civicflow check drohobych_kir log.csv --start 2024-10-01 --as-of 2025-01-10 \\
      --format json
  civicflow check examples/drohobych_events.yaml --as-of 2025-11-20

The template is the first argument, else --template, else the log's own
'template:' key (as in `status` and `due`).

Each legal rule gives a finding: ok, VIOLATED, disputable (met under reading A,
count back, but not under reading B, clear days), pending, OVERDUE (as of
--as-of, by default today in the jurisdiction's time zone; the table says which
day), skipped. Deadlines count from the actual event days in the jurisdiction's
time zone: a time without an offset is local time there. --start defaults to
the log's 'start:', then the template's, then the earliest event day. Steps no
rule dates are listed after the check when the latest day the template's plan
allows has passed (OVER, LATE) or is near (soon); they do not change the exit
code. Exit code 0 when nothing is violated or overdue, 1 when something is, 2
on bad input. JSON: the findings, and "steps" with each step's status, due day
and due_source (rule or plan). See docs/compliance.md.
""")

_STATUS = 10
_STEP = 37
_DAY = 15
_COLOURS = {
    FindingStatus.OK: "green",
    FindingStatus.VIOLATED: "red",
    FindingStatus.OVERDUE: "red",
    FindingStatus.DISPUTABLE: "yellow",
    FindingStatus.PENDING: "grey",
    FindingStatus.SKIPPED: "grey",
}
_LOUD = (FindingStatus.VIOLATED, FindingStatus.OVERDUE)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "template",
        metavar="TEMPLATE_OR_ID",
        nargs="?",
        help=_("a template file or a bundled template id (default: --template, else the log's template:)"),
    )
    parser.add_argument("events", metavar="EVENTS", help=_("the event log: .yaml, .yml, .json or .csv"))
    parser.add_argument(
        "--template",
        dest="template_option",
        metavar="TEMPLATE_OR_ID",
        help=_("the template, as in `status` (the same as the first argument)"),
    )
    parser.add_argument(
        "--start", type=iso_date, metavar="DATE", help=_("the process start (default: see below)")
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help=_(
            "the day of the check: later events are ignored, missed deadlines before it are overdue "
            "(default: today in the jurisdiction's time zone)"
        ),
    )
    add_soon_option(parser)
    parser.add_argument("--format", choices=("table", "json"), default="table", help=_("output format"))
    add_lang_option(parser)


def finding_label(status: FindingStatus, tr: Translator) -> str:
    """The word of a finding's status in the table: loud (upper case) when it needs attention."""
    words = {
        FindingStatus.OK: tr.pgettext("finding", "ok"),
        FindingStatus.VIOLATED: tr.pgettext("finding", "VIOLATED"),
        FindingStatus.DISPUTABLE: tr.pgettext("finding", "disputable"),
        FindingStatus.PENDING: tr.pgettext("finding", "pending"),
        FindingStatus.OVERDUE: tr.pgettext("finding", "OVERDUE"),
        FindingStatus.SKIPPED: tr.pgettext("finding", "skipped"),
    }
    return words[status]


def finding_count(status: FindingStatus, n: int, tr: Translator) -> str:
    """``3 ok``, ``1 violated``: how many findings have ``status``."""
    counts = {
        FindingStatus.OK: tr.ngettext("{n} ok", "{n} ok", n),
        FindingStatus.VIOLATED: tr.ngettext("{n} violated", "{n} violated", n),
        FindingStatus.DISPUTABLE: tr.ngettext("{n} disputable", "{n} disputable", n),
        FindingStatus.PENDING: tr.ngettext("{n} pending", "{n} pending", n),
        FindingStatus.OVERDUE: tr.ngettext("{n} overdue", "{n} overdue", n),
        FindingStatus.SKIPPED: tr.ngettext("{n} skipped", "{n} skipped", n),
    }
    return counts[status].format(n=n)


def _day(f: Finding, tr: Translator | None = None) -> str:
    if f.deadline is not None:
        return format_day(f.deadline, tr)
    if f.earliest is not None:
        return "≥" + format_day(f.earliest, tr)
    return "-"


_PLANNED = (Status.OVERDUE, Status.DONE_LATE, Status.DUE_SOON)


def render_planned(steps: Iterable[StepDetail], console: Console, step_width: int = _STEP) -> None:
    """Steps past (or near) the latest day the plan allows, where no legal rule dates them."""
    from civicflow.cli.status import status_symbol

    rows = [s for s in steps if s.due_source is DueSource.PLAN and s.status in _PLANNED and s.due]
    if not rows:
        return
    tr = console.tr
    console.print(tr.gettext("planned days (no legal rule; not part of the check):"))
    status_w = max([_STATUS, *(len(status_symbol(s.status, tr)) for s in rows)])
    for s in rows:
        label = f"{status_symbol(s.status, tr):<{status_w}}"
        step = f"{s.step:<{step_width}}"
        actual = console.day(s.actual) if s.actual and s.status is Status.DONE_LATE else "-"
        due = console.day(s.due) if s.due else "-"
        console.print(f"{label} {step} {due:<{_DAY}} {actual}".rstrip())


def step_width(report: Report, steps: Iterable[StepDetail] = ()) -> int:
    """The width of the STEP column: the longest step id shown, so that ids are whole (at least 37)."""
    return max([_STEP, *(len(f.step) for f in report.findings), *(len(s.step) for s in steps)])


def render_table(
    report: Report,
    console: Console,
    *,
    source: str,
    step_w: int = _STEP,
    titles: Mapping[str, str] | None = None,
    today: str | None = None,
    start_guessed: bool = False,
) -> None:
    """The findings as a table as wide as the terminal (whole step ids, each step's title from ``titles``
    when there is room), with explanations under what needs attention.

    ``today`` names the zone whose today gave the day of the check when no ``--as-of`` was given;
    ``start_guessed`` says that the start is the first event's day (nothing gave one)."""
    width = terminal_width()
    tr = console.tr
    labels = {status: finding_label(status, tr) for status in FindingStatus}
    heads = [tr.gettext(h) for h in (_("STATUS"), _("STEP"), _("DUE"), _("HAPPENED"), _("TITLE"))]
    status_w = max([_STATUS, *(len(label) for label in labels.values())])
    step_w = max(step_w, len(heads[1]))
    day_w = max(_DAY, len(heads[2]), len(heads[3]))
    room = width - (status_w + 1 + step_w + 1 + day_w + 1 + day_w + 1)
    titled = titles is not None and room >= 20
    # the file's name, not its path: where the log lives does not change the table's width
    console.print(console.style(clip(f"{report.process}: {Path(source).name}", width), "bold"))
    if report.start is not None and start_guessed:
        when = tr.gettext("start {day} (the first event's day: give --start)").format(
            day=console.day(report.start)
        )
    elif report.start is not None:
        when = tr.gettext("start {day}").format(day=console.day(report.start))
    else:
        when = tr.gettext("start unknown")
    if report.as_of:
        rest = tr.gettext(", as of {day}").format(day=console.day(report.as_of))
    else:
        rest = tr.gettext(", no --as-of (nothing is overdue)")
    if today is not None:
        rest += tr.gettext(" (today in {zone})").format(zone=today)
    if len(when + rest) <= width:
        console.print(when + rest)
    else:  # the day of the check on a line of its own, never a day cut from its weekday
        console.print(when)
        console.print(rest.lstrip(", "))
    head = f"{heads[0]:<{status_w}} {heads[1]:<{step_w}} {heads[2]:<{day_w}} {heads[3]:<{day_w}}"
    console.print(f"{head} {heads[4]}" if titled else head.rstrip())
    for f in report.findings:
        label = f"{labels[f.status]:<{status_w}}"
        actual = console.day(f.actual) if f.actual else "-"
        row = f"{console.style(label, _COLOURS[f.status])} {f.step:<{step_w}} {_day(f, tr):<{day_w}} {actual}"
        if titled and titles is not None:
            row = f"{row:<{len(row) - len(actual) + day_w}} {clip(titles.get(f.step, ''), room)}"
        console.print(row.rstrip())
        # a rule "no later than N before X" while X has no day: the table says so, not a bare "pending"
        if f.status in (*_LOUD, FindingStatus.DISPUTABLE) or is_undatable(f):
            for line in textwrap.wrap(f.text(tr), width - 4):
                console.print(f"    {line}")
    counts = report.summary()
    shown = ", ".join(finding_count(FindingStatus(k), n, tr) for k, n in counts.items() if n)
    verdict = tr.gettext("OK") if report.ok else tr.gettext("NOT OK")
    said = shown or tr.gettext("no rules")
    verdict = console.style(verdict, "green" if report.ok else "red")
    console.print(tr.gettext("{verdict}: {counts}").format(verdict=verdict, counts=said))


def render_not_counted(report: Report, console: Console, width: int | None = None) -> None:
    """The events dated after the as-of day, which the check left out, one line each (none: nothing)."""
    if not report.not_counted or report.as_of is None:
        return
    width = width or terminal_width()
    n = len(report.not_counted)
    tr = console.tr
    said = tr.ngettext(
        "not counted: {n} event dated after {day}", "not counted: {n} events dated after {day}", n
    )
    console.print(console.style(said.format(n=n, day=console.day(report.as_of)), "yellow"))
    for e in report.not_counted:
        day = e.at.isoformat(timespec="minutes") if e.timed else e.shown()
        console.print(clip(f"    {e.step} {event_word(e.event.value, tr)} {day}", width))


def run(args: argparse.Namespace, console: Console) -> int:
    if args.template and args.template_option and args.template != args.template_option:
        raise PlanInputError(
            console.tr.gettext("two templates: {first} and --template {second}; give one").format(
                first=repr(args.template), second=repr(args.template_option)
            )
        )
    (loaded,) = load_logs([args.events], args.template or args.template_option, console.tr)
    template, log = loaded.template, loaded.log
    checker = checker_for(template)
    start = args.start or log.start
    if start is not None:
        require_in_range(checker.procedure.calendar, start, "the start")
    zone = checker.procedure.calendar.timezone
    as_of = args.as_of or today_in(zone)  # only the command line reads the clock
    st = status((template, log.events, start), as_of=as_of, soon=args.soon, name=log.name)
    report = st.report
    if args.format == "json":
        payload = check_document(st, args.events)
        console.print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        width = step_width(report, st.details.values())
        titles = {
            step.id: pick(step.title, args.lang, template.language) for _, step in template.iter_steps()
        }
        today = None if args.as_of else zone
        # nothing gave a start (--start, the log's start:, the template's): the check took the first
        # event's day, and the header says so
        guessed = start is None and template.start is None and report.start is not None
        render_table(
            report,
            console,
            source=args.events,
            step_w=width,
            titles=titles,
            today=today,
            start_guessed=guessed,
        )
        render_planned(st.details.values(), console, width)
        render_not_counted(report, console)
    return EXIT_OK if report.ok else EXIT_FINDINGS
