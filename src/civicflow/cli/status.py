"""``civicflow status``: a heat map of many event logs of one template, stage by stage."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from civicflow.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Console,
    clip,
    iso_date,
    soon_days,
    terminal_width,
    today_in,
    weekday_date,
    wrap_legend,
)
from civicflow.cli._logs import load_logs
from civicflow.compliance import Checker, DueSource, HeatMap, Status, heat_map
from civicflow.compliance._status import InstanceLike
from civicflow.errors import PlanInputError

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
    "soon, ok = on track, . = not started, skip = skipped, ~ = due by the plan (a window, no legal rule); "
    "CHECK NOT OK = a rule violated or a legal deadline overdue; WORST = the worst status of a step"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("logs", metavar="LOG", nargs="+", help="event logs: .yaml, .yml, .json or .csv")
    parser.add_argument(
        "--template",
        metavar="TEMPLATE_OR_ID",
        help="the template every log follows (default: each log's template:; they must agree)",
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


def render_key(hm: HeatMap, console: Console, width: int | None = None) -> None:
    """What S1..Sn stand for, one stage a line, then the legend of the symbols, as wide as the terminal."""
    width = width or terminal_width()
    for k, stage in enumerate(hm.stages, start=1):
        console.print(clip(f"{f'S{k}':<3} {stage}: {hm.stage_titles.get(stage, '')}", width))
    for line in wrap_legend(_LEGEND, width):
        console.print(line)


def render_rows(
    hm: HeatMap,
    console: Console,
    names: Sequence[str],
    *,
    events: Sequence[int] | None = None,
    width: int | None = None,
) -> None:
    """The rows of a heat map, in the columns `status` and `track status` share: INSTANCE, (EVENTS),
    S1..Sn, CHECK (ok, NOT OK: a rule violated or a deadline overdue) and WORST (the worst status of a
    step, as a cell's symbol).
    As wide as the terminal; a name is cut only when the terminal is too narrow for it."""
    width = width or terminal_width()
    worst_w = max([5, *(len(row.status.worst.symbol) + 1 for row in hm.rows)])
    fixed = (7 if events is not None else 0) + len(stage_header(hm)) + 1 + 6 + 1 + worst_w
    name_width = max(8, min(max([8, *(len(n) for n in names)]), width - 1 - fixed))
    count = f" {'EVENTS':>6}" if events is not None else ""
    console.print(f"{'INSTANCE':<{name_width}}{count} {stage_header(hm)} {'CHECK':<6} WORST")
    for i, (name, row) in enumerate(zip(names, hm.rows, strict=True)):
        ok = row.status.report.ok
        verdict = console.style(f"{'ok' if ok else 'NOT OK':<6}", "green" if ok else "red")
        count = f" {events[i]:>6}" if events is not None else ""
        cells = stage_cells(hm, i, console)
        shown = clip(name, name_width)
        mark = "~" if row.status.worst_source is DueSource.PLAN else ""
        worst = console.style(row.status.worst.symbol + mark, _COLOURS[row.status.worst])
        console.print(f"{shown:<{name_width}}{count} {cells} {verdict} {worst}")


def render_table(hm: HeatMap, console: Console, today: str | None = None) -> None:
    """Rows of instances, columns S1..Sn of stages, then the stage and status legends (``today``: the
    zone whose today gave the day when no ``--as-of`` was given)."""
    as_of = weekday_date(hm.as_of) if hm.as_of else "no --as-of"
    said = f" (today in {today})" if today is not None else ""
    console.print(console.style(f"status as of {as_of}{said}", "bold"))
    render_rows(hm, console, [row.name for row in hm.rows])
    console.print()
    render_key(hm, console)
    render_not_counted(hm, console)


def render_not_counted(hm: HeatMap, console: Console, width: int | None = None) -> None:
    """Which instances have events dated after the as-of day, which the check left out (see ``check``)."""
    later = [(row.name, len(row.status.report.not_counted)) for row in hm.rows]
    listed = ", ".join(f"{name} ({n})" for name, n in later if n)
    if not listed or hm.as_of is None:
        return
    text = (
        f"not counted: events dated after {weekday_date(hm.as_of)} in {listed}; `civicflow check` lists them"
    )
    for line in wrap_legend(text, width or terminal_width()):
        console.print(console.style(line, "yellow"))


def run(args: argparse.Namespace, console: Console) -> int:
    loaded = load_logs(args.logs, args.template)
    ids = sorted({item.template.id for item in loaded})
    if len(ids) > 1:
        raise PlanInputError(
            f"the logs follow different templates ({', '.join(ids)}); run status once per template, or "
            "use `civicflow due` across templates"
        )
    template = loaded[0].template
    checker = Checker(template)
    instances: dict[str, InstanceLike] = {
        item.name: (template, item.log.events, item.log.start) for item in loaded
    }
    zone = checker.procedure.calendar.timezone
    as_of = args.as_of or today_in(zone)  # only the command line reads the clock
    hm = heat_map(instances, as_of, soon=args.soon, checker=checker)
    if args.format == "json":
        payload = {"template": template.id, **hm.to_dict()}
        console.print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        render_table(hm, console, today=None if args.as_of else zone)
    return EXIT_OK if hm.ok else EXIT_FINDINGS
