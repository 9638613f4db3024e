"""``civicflow plan``: date every step of a process template from a start date."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import textwrap

from civicflow.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Console,
    add_excel_option,
    add_fix_option,
    add_lang_option,
    clip,
    iso_date,
    terminal_width,
    wrap_legend,
)
from civicflow.documents import plan_document
from civicflow.exporters._common import pick
from civicflow.exporters._safe import without_controls
from civicflow.i18n import Translator, _, format_day, translator
from civicflow.loader import load_template
from civicflow.planner import plan
from civicflow.schedule import Schedule, ScheduledStep, Severity

NAME = "plan"
HELP = _("plan a dated timeline of a process template from a start date")
EPILOG = _("""\
examples:
  civicflow plan drohobych_kir --start 2025-10-06
  civicflow plan drohobych_kir --start 2025-10-06 --fix meeting_3=2025-12-04 \\
      --format json
  civicflow plan sofia_vision --start 2017-03-01 --format csv

Windows show as "2025-11-11 Tue .. 2025-11-20 Thu" (the earliest and latest
day; without weekdays when the terminal is narrow); a * marks the critical
path. The table is as wide as the terminal: step ids are whole (copy them into
--fix), titles are shown when there is room, a legend explains the marks. Exit
code 0, 1 when the plan has ERROR findings, 2 on bad input. See
docs/planning.md.

A deadline counted from a step not decided yet is a range, on the line under
its step: "by 2025-10-09 Thu .. 2025-11-04 Tue (meeting_1)" is the 9th if
meeting_1 is held on its first possible day; --fix meeting_1=... makes it one
day.
""")

_WHEN = 32


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "template", metavar="TEMPLATE_OR_ID", help=_("a template file or a bundled template id")
    )
    parser.add_argument(
        "--start",
        type=iso_date,
        metavar="DATE",
        help=_("the process start, YYYY-MM-DD (unless the template fixes one)"),
    )
    add_fix_option(parser)
    parser.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help=_("output format")
    )
    add_excel_option(parser)
    add_lang_option(parser)


def run(args: argparse.Namespace, console: Console) -> int:
    template = load_template(args.template)
    schedule = plan(template, start=args.start, fixed=dict(args.fix))
    if args.format == "json":
        console.print(json.dumps(plan_document(schedule, args.lang), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        console.out.write(without_controls(render_csv(schedule, args.lang, excel=args.excel)))
    else:
        console.print(render_table(schedule, console, args.lang))
    return EXIT_OK if schedule.feasible else EXIT_FINDINGS


def _day(d: dt.date, weekdays: bool, tr: Translator | None) -> str:
    return format_day(d, tr) if weekdays else d.isoformat()


def _when(step: ScheduledStep, weekdays: bool = True, tr: Translator | None = None) -> str:
    if step.start == step.end:
        return _day(step.start, weekdays, tr)
    return f"{_day(step.start, weekdays, tr)} .. {_day(step.end, weekdays, tr)}"


def _span_words(tr: Translator, one: str, two: str, step: ScheduledStep) -> str:
    """``one`` with the day when the step's deadline (or first day after an "at least" period) is one day,
    else ``two`` with its first and last possible days and the step whose day decides it."""
    span = step.deadline_span or step.next_from_span
    assert span is not None
    first, last = span
    if first == last:
        return tr.gettext(one).format(day=format_day(last, tr))
    return tr.gettext(two).format(
        first=format_day(first, tr), last=format_day(last, tr), step=step.counts_from or ""
    )


def _short_rule(step: ScheduledStep, tr: Translator | None = None) -> str:
    tr = tr or translator()
    if step.fixed:
        return tr.pgettext("plan rule", "fixed")
    if step.deadline_span is not None:
        return _span_words(tr, _("by {day}"), _("by {first} .. {last} ({step})"), step)
    if step.next_from_span is not None:
        return _span_words(tr, _("next from {day}"), _("next from {first} .. {last} ({step})"), step)
    if step.occurrences:
        n = len(step.occurrences)
        return tr.ngettext("{n} occurrence", "{n} occurrences", n).format(n=n)
    if step.window:
        return tr.pgettext("plan rule", "window")
    return ""


LEGEND = _(
    "* = on the critical path (a day later delays the end), window = the day is not decided yet: any "
    "day of the span, by DATE = the legal deadline, fixed = a fixed day, next from DATE = the first day "
    "after a minimum period (at least N days), N occurrences = a recurring step"
)
LEGEND_SPANS = _(
    "by A .. B (X) = the deadline depends on the day of X, not decided yet: A if X is held on its first "
    "possible day and B if on its last (the same for next from A .. B)"
)


def render_table(
    schedule: Schedule, console: Console, lang: str | None = None, width: int | None = None
) -> str:
    """The schedule as a table as wide as the terminal: stages as headings, whole step ids (copyable into
    --fix), the title when there is room, a legend of the marks, findings after it."""
    width = width or terminal_width()
    tr = console.tr
    heads = (tr.gettext("STEP"), tr.gettext("WHEN"), tr.gettext("RULE"), tr.gettext("TITLE"))
    id_w = max([len(heads[0]), *(len(step.id) for step in schedule.steps)])
    rules = {step.id: _short_rule(step, tr) for step in schedule.steps}
    # a range of deadlines ("by A .. B") goes on the line under its step rather than widening the column;
    # so does a dated rule ("by 2025-10-14 Tue") when the weekdays would not fit beside it
    words_w = max(
        [len(heads[2]), *(len(rule) for rule in rules.values() if not any(c.isdigit() for c in rule))]
    )
    rule_w = max([len(heads[2]), *(len(rule) for rule in rules.values() if " .. " not in rule)])
    # the weekdays go first when the terminal is too narrow for whole ids, days and the rules' words
    weekdays = 1 + id_w + 1 + _WHEN + 1 + words_w <= width
    when_w = _WHEN if weekdays else _WHEN - 8
    # a rule too long for what is left goes on the next line, indented
    rule_w = min(rule_w, max(4, width - (1 + id_w + 1 + when_w + 1)))
    room = width - (1 + id_w + 1 + when_w + 1 + rule_w + 1)
    titled = room >= 20
    head = f" {heads[0]:<{id_w}} {heads[1]:<{when_w}} {heads[2]:<{rule_w}}"
    lines = [
        clip(f"{schedule.process}: {console.day(schedule.start)} .. {console.day(schedule.end)}", width),
        "",
        (f"{head} {heads[3]}") if titled else head.rstrip(),
    ]
    by_stage: dict[str | None, list[ScheduledStep]] = {}
    for step in schedule.steps:
        by_stage.setdefault(step.stage, []).append(step)
    for stage in schedule.stages:
        members = by_stage.get(stage.id, [])
        if not members:
            continue
        span = _day(stage.start, weekdays, tr)
        if stage.end != stage.start:
            span += f" .. {_day(stage.end, weekdays, tr)}"
        title = clip(pick(stage.title, lang, schedule.language), width - len(span) - 5)
        lines.append(console.style(f"== {title}  {span}", "bold"))
        for step in members:
            mark = "*" if step.critical else " "
            rule = rules[step.id]
            below = len(rule) > rule_w
            shown = "" if below else rule
            row = f"{mark}{step.id:<{id_w}} {_when(step, weekdays, tr):<{when_w}} {shown:<{rule_w}}"
            if titled:
                row += " " + clip(pick(step.title, lang, schedule.language), room)
            row = row.rstrip()
            lines.append(console.style(row, "bold") if step.critical else row)
            if below:
                lines.append(f"    {rule}")
            if step.occurrence_windows:
                shown = ", ".join(f"{a.isoformat()}..{b.isoformat()}" for a, b in step.occurrence_windows[:3])
                more = f", ... ({len(step.occurrences)})" if len(step.occurrences) > 3 else ""
                lines.append(clip("    " + tr.gettext("in {windows}").format(windows=shown + more), width))
            elif step.occurrences:
                shown = ", ".join(d.isoformat() for d in step.occurrences[:4])
                more = f", ... ({len(step.occurrences)})" if len(step.occurrences) > 4 else ""
                lines.append(clip("    " + tr.gettext("on {days}").format(days=shown + more), width))
    lines.append("")
    lines.extend(wrap_legend(tr.gettext(LEGEND), width))
    if any(" .. " in rule for rule in rules.values()):
        lines.extend(wrap_legend(tr.gettext(LEGEND_SPANS), width))
    if schedule.findings:
        lines.append("")
        lines.append(tr.gettext("Findings:"))
        colours = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
        labels = {
            Severity.ERROR: tr.gettext("ERROR"),
            Severity.WARNING: tr.gettext("WARNING"),
            Severity.INFO: tr.gettext("INFO"),
        }
        for finding in schedule.findings:
            plain = labels[finding.severity]
            body = textwrap.wrap(
                finding.text(tr), width, initial_indent=f"- {plain}: ", subsequent_indent="    "
            )
            body[0] = body[0].replace(plain, console.style(plain, colours[finding.severity]), 1)
            lines.extend(body)
    return "\n".join(lines)


CSV_COLUMNS = (
    "step",
    "stage",
    "title",
    "start",
    "end",
    "window",
    "deadline",
    "deadline_earliest",
    "period_end",
    "next_from",
    "next_from_latest",
    "earliest",
    "latest",
    "slack",
    "critical",
    "fixed",
    "occurrences",
    "rule",
)
"""The columns of ``plan --format csv``; those ``export --format csv`` has too have the same names and
the same values (``step`` is the step id, yes/no flags, ISO dates, the rule's lines joined by '; ')."""


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def render_csv(schedule: Schedule, lang: str | None = None, *, excel: bool = False) -> str:
    """One row per step after a header row; dates ISO, occurrences separated by spaces; ``excel`` as
    :func:`civicflow.exporters.csv.write_rows` writes it."""
    from civicflow.exporters.csv import write_rows

    rows = []
    for step in schedule.to_dict(lang)["steps"]:
        row = dict(step)
        row["step"] = step["id"]
        row["occurrences"] = " ".join(step.get("occurrences", []))
        row["deadline_earliest"] = (step["deadline_span"] or [None])[0]
        row["next_from_latest"] = (step["next_from_span"] or [None, None])[1]
        rows.append([_csv_cell(row.get(c)) for c in CSV_COLUMNS])
    return write_rows(CSV_COLUMNS, rows, excel=excel)
