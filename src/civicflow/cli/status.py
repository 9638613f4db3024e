"""``civicflow status``: a heat map of many event logs of one template, stage by stage."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from civicflow.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Console,
    clip,
    iso_date,
    soon_days,
    today_in,
    weekday_date,
)
from civicflow.compliance import Checker, DueSource, HeatMap, Status, heat_map
from civicflow.compliance._status import InstanceLike
from civicflow.errors import EventLogError, Problem
from civicflow.events import load_event_log
from civicflow.loader import load_template

NAME = "status"
HELP = "a heat map of event logs x stages: done, late, overdue, due soon, on track"
EPILOG = """\
examples:
  civicflow status tests/fixtures/events/*.yaml --template drohobych_kir \\
      --as-of 2025-01-10
  civicflow status a.yaml b.csv --template drohobych_kir --format json

One row per log (named after the file), one column per top-level stage; each
cell is the worst status of the stage's steps. A step is due by its legal
deadline, else by the latest day the template's plan allows (from the log's
start); '~' marks a cell whose status comes from the plan. --as-of defaults to
today in the jurisdiction's time zone (the first line says which day). Exit
code 0 when no log has a violated or overdue rule (plan days alone never fail),
1 when one has, 2 on bad input. See docs/compliance.md.
"""

_WIDTH = 80
_CELL = 6
_COLOURS = {
    Status.DONE: "green",
    Status.DONE_LATE: "red",
    Status.DISPUTABLE: "yellow",
    Status.VIOLATED: "red",
    Status.OVERDUE: "red",
    Status.DUE_SOON: "yellow",
    Status.ON_TRACK: "blue",
    Status.NOT_STARTED: "grey",
    Status.SKIPPED: "grey",
}
_LEGEND = (
    "done = done, LATE = done late, disp? = disputable, VIOL = violated, OVER = overdue, soon = due "
    "soon, ok = on track, . = not started, skip = skipped, ~ = due by the plan (a window, no legal rule)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("logs", metavar="LOG", nargs="+", help="event logs: .yaml, .yml, .json or .csv")
    parser.add_argument(
        "--template", required=True, metavar="TEMPLATE_OR_ID", help="the template every log follows"
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="the day of the status (default: today in the jurisdiction's time zone)",
    )
    parser.add_argument(
        "--soon", type=soon_days, default=3, metavar="N", help="working days ahead that count as due soon (3)"
    )
    parser.add_argument("--format", choices=("table", "json"), default="table", help="output format")


def stage_cell(cell: Status, source: DueSource | None, console: Console) -> str:
    """One heat map cell: the status symbol, '~' when the plan dates it, padded and coloured."""
    mark = "~" if source is DueSource.PLAN else ""
    return console.style(f"{cell.symbol + mark:<{_CELL}}", _COLOURS[cell])


def stage_cells(hm: HeatMap, row: int, console: Console) -> str:
    """The cells of row ``row`` of ``hm``, one per stage, separated by a space."""
    sources = hm.rows[row].status.stage_sources
    return " ".join(
        stage_cell(c, sources.get(stage), console)
        for c, stage in zip(hm.rows[row].cells, hm.stages, strict=True)
    )


def stage_header(hm: HeatMap) -> str:
    """The column heads S1..Sn of the stage cells, each as wide as a cell."""
    return " ".join(f"{f'S{k}':<{_CELL}}" for k in range(1, len(hm.stages) + 1))


def render_key(hm: HeatMap, console: Console) -> None:
    """What S1..Sn stand for, one stage a line, then the legend of the symbols, in 80 columns."""
    for k, stage in enumerate(hm.stages, start=1):
        console.print(clip(f"{f'S{k}':<3} {stage}: {hm.stage_titles.get(stage, '')}", _WIDTH))
    line = ""
    for word in _LEGEND.split(", "):
        piece = word if not line else f", {word}"
        if len(line) + len(piece) > _WIDTH:
            console.print(line + ",")
            line = word
        else:
            line += piece
    if line:
        console.print(line)


def render_table(hm: HeatMap, console: Console, today: str | None = None) -> None:
    """Rows of instances, columns S1..Sn of stages, then the stage and status legends (``today``: the
    zone whose today gave the day when no ``--as-of`` was given)."""
    name_width = max([4, *(len(r.name) for r in hm.rows)])
    name_width = min(name_width, _WIDTH - 1 - (_CELL + 1) * len(hm.stages) - 8)
    name_width = max(name_width, 8)
    as_of = weekday_date(hm.as_of) if hm.as_of else "no --as-of"
    said = f" (today in {today})" if today is not None else ""
    console.print(console.style(f"status as of {as_of}{said}", "bold"))
    console.print(f"{'LOG':<{name_width}} {stage_header(hm)} CHECK".rstrip())
    for i, row in enumerate(hm.rows):
        verdict = "ok" if row.status.report.ok else console.style("NOT OK", "red")
        console.print(f"{clip(row.name, name_width):<{name_width}} {stage_cells(hm, i, console)} {verdict}")
    console.print()
    render_key(hm, console)


def run(args: argparse.Namespace, console: Console) -> int:
    template = load_template(args.template)
    checker = Checker(template)
    procedure = checker.procedure
    instances: dict[str, InstanceLike] = {}
    problems: list[Problem] = []
    for path in args.logs:
        try:
            log = load_event_log(path, template=template)
        except EventLogError as exc:
            problems.extend(exc.problems)
            continue
        name = Path(path).stem
        while name in instances:
            name += "'"
        instances[name] = (template, log.events, log.start)
    if problems:
        raise EventLogError(problems)
    zone = procedure.calendar.timezone
    as_of = args.as_of or today_in(zone)  # only the command line reads the clock
    hm = heat_map(instances, as_of, soon=args.soon, checker=checker)
    if args.format == "json":
        payload = {"template": template.id, **hm.to_dict()}
        console.print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        render_table(hm, console, today=None if args.as_of else zone)
    return EXIT_OK if hm.ok else EXIT_FINDINGS
