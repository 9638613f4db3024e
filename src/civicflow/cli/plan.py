"""``civicflow plan``: date every step of a process template from a start date."""

from __future__ import annotations

import argparse
import csv
import io
import json
import textwrap

from civicflow.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Console,
    add_fix_option,
    add_lang_option,
    clip,
    iso_date,
    weekday_date,
)
from civicflow.documents import plan_document
from civicflow.exporters._common import pick
from civicflow.exporters._safe import csv_row, without_controls
from civicflow.loader import load_template
from civicflow.planner import plan
from civicflow.schedule import Schedule, ScheduledStep, Severity

NAME = "plan"
HELP = "plan a dated timeline of a process template from a start date"
EPILOG = """\
examples:
  civicflow plan drohobych_kir --start 2025-10-06
  civicflow plan drohobych_kir --start 2025-10-06 --fix meeting_3=2025-12-04 \\
      --format json
  civicflow plan sofia_vision --start 2017-03-01 --format csv

Windows show as "2025-11-11 Tue .. 2025-11-20 Thu" (the earliest and latest
day); a * marks the critical path. Exit code 0, 1 when the plan has ERROR
findings, 2 on bad input. See docs/planning.md.
"""

_WIDTH = 80
_ID = 23
_WHEN = 32
_RULE = _WIDTH - 1 - _ID - 1 - _WHEN - 1 - 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("template", metavar="TEMPLATE_OR_ID", help="a template file or a bundled template id")
    parser.add_argument(
        "--start",
        type=iso_date,
        metavar="DATE",
        help="the process start, YYYY-MM-DD (unless the template fixes one)",
    )
    add_fix_option(parser)
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format")
    add_lang_option(parser)


def run(args: argparse.Namespace, console: Console) -> int:
    template = load_template(args.template)
    schedule = plan(template, start=args.start, fixed=dict(args.fix))
    if args.format == "json":
        console.print(json.dumps(plan_document(schedule, args.lang), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        console.out.write(without_controls(render_csv(schedule, args.lang)))
    else:
        console.print(render_table(schedule, console, args.lang))
    return EXIT_OK if schedule.feasible else EXIT_FINDINGS


def _when(step: ScheduledStep) -> str:
    if step.start == step.end:
        return weekday_date(step.start)
    return f"{weekday_date(step.start)} .. {weekday_date(step.end)}"


def _short_rule(step: ScheduledStep) -> str:
    if step.fixed:
        return "fixed"
    if step.deadline is not None:
        return f"by {step.deadline.isoformat()}"
    if step.next_from is not None:
        return f"next from {step.next_from.isoformat()}"
    if step.occurrences:
        return f"{len(step.occurrences)} occurrences"
    if step.window:
        return "window"
    return ""


def render_table(schedule: Schedule, console: Console, lang: str | None = None) -> str:
    """The schedule as a table that fits in 80 columns, stages as headings, findings after it."""
    lines = [
        clip(f"{schedule.process}: {weekday_date(schedule.start)} .. {weekday_date(schedule.end)}", _WIDTH),
        "",
        f" {'STEP':<{_ID}} {'WHEN':<{_WHEN}} {'RULE'}",
    ]
    by_stage: dict[str | None, list[ScheduledStep]] = {}
    for step in schedule.steps:
        by_stage.setdefault(step.stage, []).append(step)
    for stage in schedule.stages:
        members = by_stage.get(stage.id, [])
        if not members:
            continue
        head = f"{stage.start.isoformat()} .. {stage.end.isoformat()}"
        title = clip(pick(stage.title, lang, schedule.language), _WIDTH - len(head) - 5)
        lines.append(console.style(f"== {title}  {head}", "bold"))
        for step in members:
            mark = "*" if step.critical else " "
            row = f"{mark}{clip(step.id, _ID):<{_ID}} {_when(step):<{_WHEN}} {clip(_short_rule(step), _RULE)}"
            row = row.rstrip()
            lines.append(console.style(row, "bold") if step.critical else row)
            if step.occurrence_windows:
                shown = ", ".join(f"{a.isoformat()}..{b.isoformat()}" for a, b in step.occurrence_windows[:3])
                more = f", ... ({len(step.occurrences)})" if len(step.occurrences) > 3 else ""
                lines.append(clip(f"    in {shown}{more}", _WIDTH))
            elif step.occurrences:
                shown = ", ".join(d.isoformat() for d in step.occurrences[:4])
                more = f", ... ({len(step.occurrences)})" if len(step.occurrences) > 4 else ""
                lines.append(clip(f"    on {shown}{more}", _WIDTH))
    if schedule.findings:
        lines.append("")
        lines.append("Findings:")
        colours = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
        for finding in schedule.findings:
            plain = finding.severity.value.upper()
            body = textwrap.wrap(
                finding.message, _WIDTH, initial_indent=f"- {plain}: ", subsequent_indent="    "
            )
            body[0] = body[0].replace(plain, console.style(plain, colours[finding.severity]), 1)
            lines.extend(body)
    return "\n".join(lines)


CSV_COLUMNS = (
    "id",
    "stage",
    "title",
    "start",
    "end",
    "window",
    "deadline",
    "period_end",
    "next_from",
    "earliest",
    "latest",
    "slack",
    "critical",
    "fixed",
    "occurrences",
    "rule",
)


def render_csv(schedule: Schedule, lang: str | None = None) -> str:
    """One row per step after a header row; dates ISO, occurrences separated by spaces."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    data = schedule.to_dict(lang)
    for step in data["steps"]:
        row = dict(step)
        row["occurrences"] = " ".join(step.get("occurrences", []))
        writer.writerow(csv_row("" if row.get(c) is None else row.get(c) for c in CSV_COLUMNS))
    return buf.getvalue()
