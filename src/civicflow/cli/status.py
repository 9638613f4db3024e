"""``civicflow status``: a heat map of many event logs of one template, stage by stage."""

from __future__ import annotations

import argparse
import functools
import json
from collections.abc import Mapping, Sequence

from civicflow.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Console,
    add_lang_option,
    add_soon_option,
    clip,
    iso_date,
    terminal_width,
    today_in,
    wrap_legend,
)
from civicflow.cli._logs import load_logs
from civicflow.compliance import DueSource, HeatMap, Status, heat_map
from civicflow.compliance._check import checker_for
from civicflow.compliance._status import InstanceLike
from civicflow.errors import PlanInputError
from civicflow.i18n import Translator, _, translator
from civicflow.template import ProcessTemplate

NAME = "status"
HELP = _("a heat map of event logs x stages: done, late, overdue, due soon, on track")
EPILOG = _("""\
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
""")

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
_LEGEND = _(
    "done = done, LATE = done late, disp? = disputable, VIOL = violated, OVER = overdue, soon = due "
    "soon, ok = on track, . = not started, skip = skipped, ~ = due by the plan (a window, no legal rule); "
    "CHECK NOT OK = a rule violated or a legal deadline overdue; WORST = the worst status of a step"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("logs", metavar="LOG", nargs="+", help=_("event logs: .yaml, .yml, .json or .csv"))
    parser.add_argument(
        "--template",
        metavar="TEMPLATE_OR_ID",
        help=_("the template every log follows (default: each log's template:; they must agree)"),
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help=_("the day of the status (default: today in the jurisdiction's time zone)"),
    )
    add_soon_option(parser)
    parser.add_argument("--format", choices=("table", "json"), default="table", help=_("output format"))
    add_lang_option(parser)


_APART_INDENT = 4
"""How far the cells of a row are indented when its name stands on the line above (a name too long)."""


@functools.cache  # a table asks for it once per cell: 60,000 times over 10,000 instances
def status_symbol(status: Status, tr: Translator | None = None) -> str:
    """The short word of ``status`` in tables (``done``, ``LATE``, ``OVER`` ...) in ``tr``'s language."""
    if tr is None or tr.lang == "en":
        return status.symbol
    words = {
        Status.DONE: tr.pgettext("status symbol", "done"),
        Status.DONE_LATE: tr.pgettext("status symbol", "LATE"),
        Status.DISPUTABLE: tr.pgettext("status symbol", "disp?"),
        Status.VIOLATED: tr.pgettext("status symbol", "VIOL"),
        Status.OVERDUE: tr.pgettext("status symbol", "OVER"),
        Status.DUE_SOON: tr.pgettext("status symbol", "soon"),
        Status.ON_TRACK: tr.pgettext("status symbol", "ok"),
        Status.NOT_STARTED: tr.pgettext("status symbol", "."),
        Status.SKIPPED: tr.pgettext("status symbol", "skip"),
    }
    return words[status]


@functools.cache
def cell_width(tr: Translator | None = None) -> int:
    """The width of a heat map cell: the longest word of a status a heat map shows, and a '~' (6 in
    English)."""
    return max([_CELL, *(len(status_symbol(s, tr)) + 1 for s in _COLOURS)])


def stage_cell(cell: Status, source: DueSource | None, console: Console) -> str:
    """One heat map cell: the status symbol, '~' when the plan dates it, padded and coloured."""
    mark = "~" if source is DueSource.PLAN else ""
    width = cell_width(console.tr)
    return console.style(f"{status_symbol(cell, console.tr) + mark:<{width}}", _COLOURS[cell])


def stage_cells(hm: HeatMap, row: int, console: Console) -> str:
    """The cells of row ``row`` of ``hm``, one per stage, separated by a space."""
    sources = hm.rows[row].status.stage_sources
    return " ".join(
        stage_cell(c, sources.get(stage), console)
        for c, stage in zip(hm.rows[row].cells, hm.stages, strict=True)
    )


def _stage_label(k: int, tr: Translator) -> str:
    return tr.gettext("S{k}").format(k=k)


def stage_header(hm: HeatMap, tr: Translator | None = None) -> str:
    """The column heads S1..Sn of the stage cells, each as wide as a cell."""
    tr = tr or translator()
    width = cell_width(tr)
    return " ".join(f"{_stage_label(k, tr):<{width}}" for k in range(1, len(hm.stages) + 1))


def stage_titles(template: ProcessTemplate, lang: str | None) -> dict[str, str]:
    """The titles of the top-level stages of ``template`` in ``lang`` (English, then the original)."""
    return {stage.id: template.text(stage.title, lang) for stage in template.stages}


def render_key(
    hm: HeatMap, console: Console, width: int | None = None, titles: Mapping[str, str] | None = None
) -> None:
    """What S1..Sn stand for, one stage a line (its title from ``titles``, else the heat map's), then
    the legend of the symbols, as wide as the terminal."""
    width = width or terminal_width()
    titles = titles or hm.stage_titles
    for k, stage in enumerate(hm.stages, start=1):
        label = _stage_label(k, console.tr)
        console.print(clip(f"{label:<3} {stage}: {titles.get(stage, '')}", width))
    for line in wrap_legend(console.tr.gettext(_LEGEND), width):
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
    As wide as the terminal. Names are never cut (``track history NAME`` needs them whole): when the
    longest does not fit beside the other columns, the EVENTS column gives way; when it still does not
    fit, each name stands on a line of its own, with its cells on the next line, indented."""
    width = width or terminal_width()
    tr = console.tr
    instance, events_head, check, worst_head = (
        tr.gettext("INSTANCE"),
        tr.gettext("EVENTS"),
        tr.gettext("CHECK"),
        tr.gettext("WORST"),
    )
    ok_word, not_ok_word = tr.pgettext("check verdict", "ok"), tr.gettext("NOT OK")
    check_w = max(6, len(check), len(ok_word), len(not_ok_word))
    # as wide as its heading or its largest count (``ПОДІЇ`` leaves room a name may need)
    events_w = max([len(events_head), *(len(str(n)) for n in events or ())])
    # the last column: its heading may be wider than its cells
    worst_w = max([5, *(len(status_symbol(row.status.worst, tr)) + 1 for row in hm.rows)])
    fixed = len(stage_header(hm, tr)) + 1 + check_w + 1 + worst_w
    name_width = max([8, len(instance), *(len(n) for n in names)])
    counted = fixed + (events_w + 1 if events is not None else 0)
    apart = False
    if name_width + 1 + counted <= width:
        pass
    elif name_width + 1 + fixed <= width:
        events = None  # the count of events gives way first (`track history` has it)
    else:
        apart = True  # each name on its own line, its cells (and count) under it
    if apart:
        console.print(instance)
        name_width = _APART_INDENT - 1
        instance = ""
    count = f" {events_head:>{events_w}}" if events is not None else ""
    console.print(f"{instance:<{name_width}}{count} {stage_header(hm, tr)} {check:<{check_w}} {worst_head}")
    for i, (name, row) in enumerate(zip(names, hm.rows, strict=True)):
        ok = row.status.report.ok
        verdict = console.style(f"{ok_word if ok else not_ok_word:<{check_w}}", "green" if ok else "red")
        count = f" {events[i]:>{events_w}}" if events is not None else ""
        cells = stage_cells(hm, i, console)
        mark = "~" if row.status.worst_source is DueSource.PLAN else ""
        worst = console.style(status_symbol(row.status.worst, tr) + mark, _COLOURS[row.status.worst])
        if apart:
            console.print(name)
            name = ""
        console.print(f"{name:<{name_width}}{count} {cells} {verdict} {worst}")


def render_table(
    hm: HeatMap, console: Console, today: str | None = None, titles: Mapping[str, str] | None = None
) -> None:
    """Rows of instances, columns S1..Sn of stages, then the stage and status legends (``today``: the
    zone whose today gave the day when no ``--as-of`` was given)."""
    tr = console.tr
    as_of = console.day(hm.as_of) if hm.as_of else tr.gettext("no --as-of")
    said = tr.gettext(" (today in {zone})").format(zone=today) if today is not None else ""
    console.print(console.style(tr.gettext("status as of {day}").format(day=as_of) + said, "bold"))
    render_rows(hm, console, [row.name for row in hm.rows])
    console.print()
    render_key(hm, console, titles=titles)
    render_not_counted(hm, console)


def render_not_counted(hm: HeatMap, console: Console, width: int | None = None) -> None:
    """Which instances have events dated after the as-of day, which the check left out (see ``check``)."""
    later = [(row.name, len(row.status.report.not_counted)) for row in hm.rows]
    listed = ", ".join(f"{name} ({n})" for name, n in later if n)
    if not listed or hm.as_of is None:
        return
    said = console.tr.gettext(
        "not counted: events dated after {day} in {instances}; `civicflow check` lists them"
    )
    text = said.format(day=console.day(hm.as_of), instances=listed)
    for line in wrap_legend(text, width or terminal_width()):
        console.print(console.style(line, "yellow"))


def run(args: argparse.Namespace, console: Console) -> int:
    loaded = load_logs(args.logs, args.template, console.tr)
    ids = sorted({item.template.id for item in loaded})
    if len(ids) > 1:
        raise PlanInputError(
            console.tr.gettext(
                "the logs follow different templates ({templates}); run status once per template, or use "
                "`civicflow due` across templates"
            ).format(templates=", ".join(ids))
        )
    template = loaded[0].template
    checker = checker_for(template)
    instances: dict[str, InstanceLike] = {
        item.name: (template, item.log.events, item.log.start) for item in loaded
    }
    zone = checker.procedure.calendar.timezone
    as_of = args.as_of or today_in(zone)  # only the command line reads the clock
    hm = heat_map(instances, as_of, soon=args.soon)
    if args.format == "json":
        payload = {"template": template.id, **hm.to_dict()}
        console.print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        titles = stage_titles(template, args.lang)
        render_table(hm, console, today=None if args.as_of else zone, titles=titles)
    return EXIT_OK if hm.ok else EXIT_FINDINGS
