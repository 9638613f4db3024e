"""``civicflow due``: what is overdue or due in the coming days, across event logs or tracked instances."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from civicflow.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Console,
    add_lang_option,
    clip,
    iso_date,
    terminal_width,
    today_in,
    whole_number,
    wrap_legend,
)
from civicflow.errors import PlanInputError
from civicflow.i18n import Translator, _, format_day, translator

if TYPE_CHECKING:
    from civicflow.compliance import Outlook, OutlookItem, UndatedItem
    from civicflow.compliance._status import InstanceLike

NAME = "due"
HELP = _("what is overdue or due in the coming days across event logs or tracked instances, soonest first")
EPILOG = _("""\
examples:
  civicflow due examples/drohobych_events.yaml --as-of 2025-11-20
  civicflow due logs/*.yaml --template drohobych_kir --within 5 --unit calendar
  civicflow due --db civicflow.db --format ics -o due.ics
  civicflow due examples/drohobych_events.yaml --as-of 2025-11-20 --format json

Legal deadlines (a rule of the template dates them) are listed apart from
planned days (only the template's plan dates them). A log's template is
--template, else its own 'template:' key. Without LOG, the tracked instances
of --db (else $CIVICFLOW_DB, else ./civicflow.db). Exit code 1 when a legal
deadline is overdue (for a morning cron job), 0 otherwise, 2 on bad input.
""")

FORMATS = ("table", "json", "ics", "markdown", "md")


def add_within_options(parser: argparse.ArgumentParser, *, within: int, flag: str = "--within") -> None:
    """``--within N`` (or ``--days N``) and ``--unit working|calendar``."""
    parser.add_argument(
        flag,
        dest="within",
        type=_days,
        default=within,
        metavar="N",
        help=_("how many days ahead to look (%(default)s)"),
    )
    parser.add_argument(
        "--unit",
        choices=("working", "calendar"),
        default="working",
        help=_("count those days as working days of the jurisdiction (default) or calendar days"),
    )


def add_sources(parser: argparse.ArgumentParser) -> None:
    """``LOG...``, ``--template`` and ``--db``: where the instances come from."""
    parser.add_argument("logs", metavar="LOG", nargs="*", help=_("event logs: .yaml, .yml, .json or .csv"))
    parser.add_argument(
        "--template",
        metavar="TEMPLATE_OR_ID",
        help=_("the template of the logs (default: each log's template:)"),
    )
    parser.add_argument(
        "--db", metavar="URL", help=_("tracked instances: a database file or URL (when no LOG is given)")
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help=_("the day to look from (default: today in the jurisdiction's time zone)"),
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_sources(parser)
    add_within_options(parser, within=10)
    parser.add_argument("--format", choices=FORMATS, default="table", help=_("output format (md = markdown)"))
    parser.add_argument("--output", "-o", metavar="FILE", help=_("write to FILE instead of standard output"))
    add_lang_option(parser)


def _days(text: str) -> int:
    return whole_number(text, _("a number of days"), "10")


def compute(args: argparse.Namespace, tr: Translator | None = None) -> Outlook:
    """The outlook of the instances the arguments name (logs, else a store), as of --as-of or today."""
    from civicflow.compliance import outlook

    tr = tr or translator()
    instances: dict[str, InstanceLike] = {}
    if args.logs:
        if args.db:
            raise PlanInputError(tr.gettext("give event logs or --db, not both"))
        from civicflow.cli._logs import load_logs

        zones = []
        for loaded in load_logs(args.logs, args.template, tr):
            instances[loaded.name] = (loaded.template, loaded.log.events, loaded.log.start)
            zones.append(loaded.template.working_calendar().timezone)
        as_of = _as_of(args, zones)
        return outlook(instances, as_of, within=args.within, unit=args.unit, lang=args.lang)
    from civicflow.store import ENV_VAR

    url = args.db or os.environ.get(ENV_VAR)
    if url is None:
        if not Path("civicflow.db").is_file():
            raise PlanInputError(
                tr.gettext(
                    "nothing to look at: give event logs (civicflow due LOG...) or a store (--db URL, or "
                    "${variable}); ./civicflow.db does not exist"
                ).format(variable=ENV_VAR)
            )
        url = "civicflow.db"
    from civicflow.cli._store import open_store

    with open_store(url, tr, create=False) as store:
        zones = []
        for tracked in store.read_all():
            procedure = store.procedure(tracked.record)
            instances[tracked.record.name] = (procedure.template, tracked.events, tracked.record.start)
            zones.append(procedure.calendar.timezone)
        as_of = _as_of(args, zones)
        return outlook(instances, as_of, within=args.within, unit=args.unit, lang=args.lang)


def _as_of(args: argparse.Namespace, zones: list[str]) -> dt.date:
    """--as-of, else today in the jurisdiction's time zone (of the first instance; UTC without any): only
    the command line reads the clock."""
    if args.as_of is not None:
        as_of: dt.date = args.as_of
        return as_of
    return today_in(zones[0] if zones else "UTC")


def when(item: OutlookItem, unit: str, tr: Translator | None = None) -> str:
    """``today``, ``in 3 working days``, ``2 days overdue``: when an item is due, from the day of the
    outlook."""
    tr = tr or translator()
    n = abs(item.days)
    if item.days == 0:
        return tr.gettext("today")
    if unit == "working":
        if item.overdue:
            text = tr.ngettext("{n} working day overdue", "{n} working days overdue", n)
        else:
            text = tr.ngettext("in {n} working day", "in {n} working days", n)
    elif item.overdue:
        text = tr.ngettext("{n} day overdue", "{n} days overdue", n)
    else:
        text = tr.ngettext("in {n} day", "in {n} days", n)
    return text.format(n=n)


_when = when


def heading(outlook: Outlook, tr: Translator | None = None) -> str:
    """``due as of 2025-11-20 Thu, within 10 working days``."""
    tr = tr or translator()
    n = outlook.within
    if outlook.unit == "working":
        text = tr.ngettext(
            "due as of {day}, within {n} working day", "due as of {day}, within {n} working days", n
        )
    else:
        text = tr.ngettext(
            "due as of {day}, within {n} calendar day", "due as of {day}, within {n} calendar days", n
        )
    return text.format(day=format_day(outlook.as_of, tr), n=n)


def summary(outlook: Outlook, tr: Translator | None = None) -> str:
    """``2 overdue (1 legal deadline), 3 due``: the counts, or that nothing is due."""
    tr = tr or translator()
    n_undated = len(outlook.undated)
    undated = tr.ngettext("{n} cannot be dated yet", "{n} cannot be dated yet", n_undated).format(n=n_undated)
    if not outlook.items:
        nothing = tr.gettext("nothing overdue or due")
        return f"{nothing}, {undated}" if n_undated else nothing
    overdue = outlook.overdue
    legal = sum(1 for i in overdue if i.legal)
    parts = []
    if overdue:
        late = tr.ngettext("{n} overdue", "{n} overdue", len(overdue)).format(n=len(overdue))
        deadlines = tr.ngettext("{n} legal deadline", "{n} legal deadlines", legal).format(n=legal)
        parts.append(f"{late} ({deadlines})")
    due = len(outlook.items) - len(overdue)
    if due:
        parts.append(tr.ngettext("{n} due", "{n} due", due).format(n=due))
    if n_undated:
        parts.append(undated)
    return ", ".join(parts)


def waits(item: UndatedItem, tr: Translator | None = None) -> str:
    """``cannot be dated yet: waits for strategic_session's day``."""
    tr = tr or translator()
    return tr.gettext("cannot be dated yet: waits for {step}'s day").format(step=item.waits_for)


LEGEND = _(
    "legal deadline: a rule of the template dates it (missing it is a finding); planned day: only the "
    "template's plan dates it (the latest day the plan allows)"
)


def render_table(outlook: Outlook, console: Console, width: int | None = None) -> None:
    """Two tables (legal deadlines, then planned days) as wide as the terminal; whole step ids, the title
    when there is room."""
    width = width or terminal_width()
    tr = console.tr
    console.print(console.style(heading(outlook, tr), "bold"))
    unit = str(outlook.unit)
    heads = (_("DUE"), _("WHEN"), _("INSTANCE"), _("STEP"), _("TITLE"))
    due_h, when_h, inst_h, step_h, title_h = (tr.gettext(h) for h in heads)
    sections = (
        (tr.gettext("LEGAL DEADLINES"), outlook.deadlines),
        (tr.gettext("PLANNED DAYS"), outlook.planned),
    )
    for label, items in sections:
        if not items:
            continue
        console.print()
        console.print(console.style(label, "bold"))
        due_w = max(14, len(due_h))
        inst_w = max(8, len(inst_h), *(len(i.instance) for i in items))
        step_w = max(4, len(step_h), *(len(i.step) for i in items))
        when_w = max(4, len(when_h), *(len(when(i, unit, tr)) for i in items))
        fixed = due_w + 1 + when_w + 1 + inst_w + 1 + step_w
        room = width - fixed - 1
        head = f"{due_h:<{due_w}} {when_h:<{when_w}} {inst_h:<{inst_w}} {step_h:<{step_w}}"
        console.print(f"{head} {title_h}" if room >= 20 else head.rstrip())
        for i in items:
            shown = f"{console.day(i.due):<{due_w}} {when(i, unit, tr):<{when_w}}"
            row = f"{shown} {i.instance:<{inst_w}} {i.step:<{step_w}}"
            if room >= 20:
                row += " " + clip(i.title, room)
            console.print(console.style(row.rstrip(), "red") if i.overdue else row.rstrip())
    if outlook.undated:
        _render_undated(outlook, console, width)
    console.print()
    console.print(summary(outlook, tr))
    if outlook.items:
        for line in wrap_legend(tr.gettext(LEGEND), width):
            console.print(line)


def _render_undated(outlook: Outlook, console: Console, width: int) -> None:
    """The steps whose legal deadline cannot be dated yet: what each waits for, and its rule."""
    tr = console.tr
    console.print()
    console.print(console.style(tr.gettext("CANNOT BE DATED YET"), "bold"))
    inst_h, step_h, title_h = tr.gettext("INSTANCE"), tr.gettext("STEP"), tr.gettext("TITLE")
    inst_w = max(8, len(inst_h), *(len(i.instance) for i in outlook.undated))
    step_w = max(4, len(step_h), *(len(i.step) for i in outlook.undated))
    room = width - inst_w - step_w - 3
    head = f"{inst_h:<{inst_w}} {step_h:<{step_w}}"
    console.print(f"{head} {title_h}" if room >= 20 else head.rstrip())
    for i in outlook.undated:
        row = f"{i.instance:<{inst_w}} {i.step:<{step_w}}"
        console.print(f"{row} {clip(i.title, room)}" if room >= 20 else row.rstrip())
        # what it waits for and its rule, each on a line of its own under the step
        for line in (waits(i, tr), i.rule_text(tr)):
            console.print("  " + clip(line, max(20, width - 3)))


def render_markdown(outlook: Outlook, tr: Translator | None = None) -> str:
    """The outlook as a Markdown document: a heading, a table per kind, the counts."""
    tr = tr or translator()

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    head = heading(outlook, tr)
    lines = [f"# {head[0].upper()}{head[1:]}", ""]
    unit = str(outlook.unit)
    columns = " | ".join(tr.gettext(c) for c in (_("Due"), _("When"), _("Instance"), _("Step"), _("Title")))
    sections = (
        (tr.gettext("Legal deadlines"), outlook.deadlines),
        (tr.gettext("Planned days"), outlook.planned),
    )
    for label, items in sections:
        if not items:
            continue
        lines += [f"## {label}", "", f"| {columns} |", "|---|---|---|---|---|"]
        for i in items:
            shown = f"**{when(i, unit, tr)}**" if i.overdue else when(i, unit, tr)
            step = f"`{cell(i.step)}`"
            day = format_day(i.due, tr)
            lines.append(f"| {day} | {shown} | {cell(i.instance)} | {step} | {cell(i.title)} |")
        lines.append("")
    if outlook.undated:
        columns = " | ".join(
            tr.gettext(c) for c in (_("Instance"), _("Step"), _("Title"), _("Why"), _("Rule"))
        )
        label = tr.gettext("Cannot be dated yet")
        lines += [f"## {label}", "", f"| {columns} |", "|---|---|---|---|---|"]
        for u in outlook.undated:
            why, rule = cell(waits(u, tr)), cell(u.rule_text(tr))
            lines.append(f"| {cell(u.instance)} | `{cell(u.step)}` | {cell(u.title)} | {why} | {rule} |")
        lines.append("")
    counts = summary(outlook, tr)
    lines.append(f"{counts[0].upper()}{counts[1:]}.")
    return "\n".join(lines) + "\n"


def render_ics(outlook: Outlook, tr: Translator | None = None) -> str:
    """One all-day event per item on its due day; UIDs stable per instance, step and day."""
    from icalendar import Calendar, Event, Todo

    tr = tr or translator()
    cal = Calendar()
    cal.add("prodid", "-//civicflow//civicflow due//EN")
    cal.add("version", "2.0")
    stamp = dt.datetime(outlook.as_of.year, outlook.as_of.month, outlook.as_of.day, tzinfo=dt.UTC)
    for i in outlook.items:
        ev = Event()
        kind = "Deadline" if i.legal else "Planned"
        if i.legal:
            what = tr.gettext("Deadline: {title} ({instance})")
        else:
            what = tr.gettext("Planned: {title} ({instance})")
        ev.add("summary", what.format(title=i.title, instance=i.instance))
        ev.add("dtstart", i.due)
        ev.add("dtend", i.due + dt.timedelta(days=1))
        ev.add("dtstamp", stamp)
        ev.add("uid", f"{i.instance}.{i.step}.{i.due:%Y%m%d}.due@civicflow")
        ev.add("categories", [kind.lower(), i.template])
        description = [
            tr.gettext("{step} of {instance} ({template}), due {day}.").format(
                step=i.step, instance=i.instance, template=i.template, day=format_day(i.due, tr)
            )
        ]
        if i.reference:
            description.append(tr.gettext("Rule: {reference}").format(reference=i.reference))
        if i.explanation:
            description.append(i.text(tr))
        ev.add("description", "\n".join(description))
        cal.add_component(ev)
    for u in outlook.undated:
        # a to-do without a due day: the deadline cannot be dated yet, and no day is assumed for it
        todo = Todo()
        todo.add(
            "summary",
            tr.gettext("Cannot be dated yet: {title} ({instance})").format(
                title=u.title, instance=u.instance
            ),
        )
        todo.add("dtstamp", stamp)
        todo.add("uid", f"{u.instance}.{u.step}.undated@civicflow")
        todo.add("categories", ["undated", u.template])
        todo.add("description", "\n".join((waits(u, tr), u.rule_text(tr), u.text(tr))))
        cal.add_component(todo)
    text: str = cal.to_ical().decode("utf-8")
    return text


def render(outlook: Outlook, fmt: str, console: Console) -> str | None:
    """The outlook as text in ``fmt``; None for the table, which is printed to ``console``."""
    if fmt == "json":
        return json.dumps(outlook.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt in ("markdown", "md"):
        return render_markdown(outlook, console.tr)
    if fmt == "ics":
        return render_ics(outlook, console.tr)
    render_table(outlook, console)
    return None


def run(args: argparse.Namespace, console: Console) -> int:
    tr = console.tr
    if args.output and args.format == "table":
        raise PlanInputError(tr.gettext("--output needs --format json, ics or markdown"))
    result = compute(args, tr)
    text = render(result, args.format, console)
    if text is not None:
        from civicflow.exporters._safe import without_controls

        text = without_controls(text)  # no escape sequence from a title or a note reaches a terminal
        if args.output:
            try:
                Path(args.output).write_text(text, encoding="utf-8", newline="")
            except OSError as exc:
                raise PlanInputError(
                    tr.gettext("cannot write {path}: {reason}").format(
                        path=args.output, reason=exc.strerror or exc
                    )
                ) from None
            n = len(result.items)
            wrote = tr.ngettext("wrote {path} ({format}, {n} item)", "wrote {path} ({format}, {n} items)", n)
            console.err.write(wrote.format(path=args.output, format=args.format, n=n) + "\n")
        else:
            console.out.write(text)
    return EXIT_OK if result.ok else EXIT_FINDINGS
