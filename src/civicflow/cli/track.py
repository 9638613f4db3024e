"""``civicflow track``: follow process instances in the durable store (new, record, status, history).

The store is imported inside the actions, so that building the parser never loads SQLAlchemy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from civicflow.calendar._range import require_in_range
from civicflow.cli import _common
from civicflow.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    Console,
    add_lang_option,
    add_soon_option,
    cut,
    event_word,
    iso_date,
    today_in,
)
from civicflow.errors import PlanInputError, StoreError, TemplateError, TemplateNotFoundError
from civicflow.i18n import Translator, _
from civicflow.messages import joined, reason_of

if TYPE_CHECKING:
    from civicflow._procedure import Procedure
    from civicflow.compliance import HeatMap
    from civicflow.store import Store, TrackedInstance

_WIDTH = 80
_INDENT = 5

NAME = "track"
HELP = _("track process instances in a database: start one, record what happened, see status and history")
EPILOG = _("""\
examples:
  civicflow track new drohobych_kir --name kir-2025 --start 2025-10-06
  civicflow track record kir-2025 meeting_1 --date 2025-10-08 \\
      --by "working group"
  civicflow track record kir-2025 publication_1 --date 2025-10-10 \\
      --url https://example.org/n/1
  civicflow track record kir-2025 state_regional_interests --event open \\
      --date 2025-10-13
  civicflow track import logs/*.csv --template drohobych_kir --start 2025-10-06
  civicflow track status --as-of 2025-11-01
  civicflow track history kir-2025 --format json
  civicflow track amend kir-2025 2 --date 2025-10-09 --reason "wrong day"
  civicflow track retract kir-2025 3 --reason "recorded for the wrong process"
  civicflow track status \\
      --db postgresql+psycopg://civicflow@db.example.org/civicflow

The database is --db (a file path or a URL), else $CIVICFLOW_DB, else
./civicflow.db. `new` and `import` create a SQLite file that does not exist;
the other actions refuse it (a mistyped path). `status` exits with 1 when a
deadline is overdue or a rule was violated. See docs/store.md.
""")


# The examples each `civicflow track ACTION --help` ends with.
ACTION_EPILOGS = {
    "new": _("""\
examples:
  civicflow track new drohobych_kir --name kir-2025 --start 2025-10-06
  civicflow track new my_process.yaml --name pilot --start 2026-01-12 \\
      --db pilot.db

The name is unique in the store. A template file is remembered by its full path
and read again for each record.
"""),
    "record": _("""\
examples:
  civicflow track record kir-2025 meeting_1 --date 2025-10-08 --by secretary
  civicflow track record kir-2025 publication_1 --date 2025-10-10T09:30 \\
      --url https://example.org/n/1 --note "city website"
  civicflow track record kir-2025 state_regional_interests --event open \\
      --date 2025-10-13 --expect-version 2

The event is checked against the history first: an illegal one is refused
(exit 2) with what is allowed now. A bare date is that local day in the
process's time zone.
"""),
    "import": _("""\
examples:
  civicflow track import logs/*.csv --template drohobych_kir --start 2025-10-06
  civicflow track import logs/kir-17.yaml --template drohobych_kir --strict

One instance per log, named after the file (logs/kir-17.yaml becomes kir-17),
all in one transaction: one bad log, missing start or taken name imports
nothing.
"""),
    "status": _("""\
examples:
  civicflow track status --as-of 2025-11-01
  civicflow track status kir-2025 --as-of 2025-11-01 --soon 5 --format json

Columns and cells as in `civicflow status`, '~' when the plan dates the stage.
Exit code 1 when a deadline is overdue or a rule was violated.
"""),
    "history": _("""\
examples:
  civicflow track history kir-2025
  civicflow track history kir-2025 --format json

Every event recorded, corrections included: an amended event is marked
'amended by #N', a retracted one 'retracted by #N'; checks use the corrected
facts.
"""),
    "amend": _("""\
examples:
  civicflow track amend kir-2025 2 --date 2025-10-09 --reason "wrong day"
  civicflow track amend kir-2025 5 --url https://example.org/n/5 \\
      --reason "link to the minutes"

Appends an event that corrects event SEQ (see `track history`); what is not
given stays as recorded. Nothing is deleted: the history shows both, status and
checks use the amended fact. Refused (exit 2) when the corrected history is not
possible.
"""),
    "retract": _("""\
examples:
  civicflow track retract kir-2025 3 --reason "recorded for the wrong process"

Appends an event saying that event SEQ did not happen, and why. The history
shows both; status and checks leave the retracted event out.
"""),
    "delete": _("""\
examples:
  civicflow track delete kir-2025

The instance and its whole history are dropped; there is no undo.
"""),
}


_SEQ = _("the number of the event (the # of `track history`)")
_EXPECT = "fail with a conflict unless the instance has exactly N events (for scripts)"


def _db(parser: argparse.ArgumentParser) -> None:
    """``--db`` and ``--lang``, which every action has."""
    parser.add_argument(
        "--db", metavar="URL", help=_("database file or URL (default: $CIVICFLOW_DB, else ./civicflow.db)")
    )
    add_lang_option(parser)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(parser))

    def action(name: str, help: str) -> argparse.ArgumentParser:
        return actions.add_parser(
            name,
            help=help,
            description=help,
            epilog=ACTION_EPILOGS[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    _recording_actions(action)
    _reading_actions(action)
    _correcting_actions(action)


_Action = Callable[[str, str], argparse.ArgumentParser]
"""Adds the sub-command ``name`` with its ``help``: its parser."""


def _recording_actions(action: _Action) -> None:
    """``new``, ``record`` and ``import``: what starts or adds to a tracked instance."""
    new = action("new", _("start tracking an instance of a template"))
    new.add_argument("template", metavar="TEMPLATE", help=_("a bundled template id or a YAML file"))
    new.add_argument("--name", required=True, help=_("the instance's name (unique in the store)"))
    new.add_argument(
        "--start", required=True, type=iso_date, help=_("the process start, YYYY-MM-DD or DD.MM.YYYY")
    )
    _db(new)

    record = action("record", _("record that a step was opened, completed or skipped"))
    record.add_argument("name", metavar="NAME", help=_("the instance"))
    record.add_argument("step", metavar="STEP", help=_("the step id"))
    record.add_argument(
        "--date",
        required=True,
        help=_(
            "when: YYYY-MM-DD or DD.MM.YYYY (that local day), or YYYY-MM-DDTHH:MM[+HH:MM] or "
            "DD.MM.YYYY HH:MM, in the process's time zone"
        ),
    )
    record.add_argument("--event", choices=("complete", "open", "skip"), default="complete")
    record.add_argument("--by", help=_("who did it"))
    record.add_argument("--note", help=_("a note"))
    record.add_argument("--url", help=_("a link to the evidence (a publication, minutes)"))
    record.add_argument(
        "--expect-version",
        type=int,
        metavar="N",
        help=_("fail with a conflict unless the instance has exactly N events (for scripts)"),
    )
    record.add_argument(
        "--lenient",
        action="store_true",
        help=_("record an event that comes too early for a legal minimum period (status then reports it)"),
    )
    _db(record)

    imports = action("import", _("track many instances at once from event logs, one per file"))
    imports.add_argument("logs", metavar="LOG", nargs="+", help=_("event logs (.yaml, .yml, .json, .csv)"))
    imports.add_argument(
        "--template", required=True, help=_("the template every log follows (id or YAML file)")
    )
    imports.add_argument(
        "--start", type=iso_date, help=_("the process start, YYYY-MM-DD, for logs that do not say their own")
    )
    imports.add_argument(
        "--strict",
        action="store_true",
        help=_("check each event in file order as `record` does, legal minimum periods included"),
    )
    _db(imports)


def _reading_actions(action: _Action) -> None:
    """``status`` and ``history``: what reads the store."""
    status = action("status", _("a heat map of every tracked instance against its deadlines"))
    status.add_argument("name", metavar="NAME", nargs="?", help=_("only this instance"))
    status.add_argument(
        "--as-of",
        type=iso_date,
        help=_("the day to check at, YYYY-MM-DD (default: today in each jurisdiction's time zone)"),
    )
    add_soon_option(status)
    status.add_argument("--format", choices=("table", "json"), default="table")
    _db(status)

    history = action("history", _("the events recorded for an instance"))
    history.add_argument("name", metavar="NAME", help=_("the instance"))
    history.add_argument("--format", choices=("table", "json"), default="table")
    _db(history)


def _correcting_actions(action: _Action) -> None:
    """``amend``, ``retract`` and ``delete``: corrections, appended (delete drops an instance)."""
    amend = action("amend", _("correct a recorded event by appending an amendment (nothing is deleted)"))
    amend.add_argument("name", metavar="NAME", help=_("the instance"))
    amend.add_argument("seq", metavar="SEQ", type=_seq, help=_SEQ)
    amend.add_argument("--step", help=_("the right step id"))
    amend.add_argument("--event", choices=("complete", "open", "skip"), help=_("the right kind of event"))
    amend.add_argument("--date", help=_("the right day or moment (as for `record`)"))
    amend.add_argument("--by", help=_("who really did it"))
    amend.add_argument("--note", help=_("the right note"))
    amend.add_argument("--url", help=_("the right link to the evidence"))
    amend.add_argument("--reason", help=_("why the event is corrected"))
    amend.add_argument(
        "--expect-version", type=int, metavar="N", help=_("fail unless the instance has N events")
    )
    _db(amend)

    retract = action("retract", _("say that a recorded event did not happen, by appending a retraction"))
    retract.add_argument("name", metavar="NAME", help=_("the instance"))
    retract.add_argument(
        "seq", metavar="SEQ", type=_seq, help=_("the number of the event (see `track history`)")
    )
    retract.add_argument("--reason", required=True, help=_("why the event is retracted"))
    retract.add_argument("--by", help=_("who retracts it"))
    retract.add_argument(
        "--expect-version", type=int, metavar="N", help=_("fail unless the instance has N events")
    )
    _db(retract)

    delete = action("delete", _("stop tracking an instance and drop its history"))
    delete.add_argument("name", metavar="NAME", help=_("the instance"))
    _db(delete)


def _seq(text: str) -> int:
    """argparse type of SEQ: an event number, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        said = _common.environment_translator().gettext(
            "{text} is not an event number; give the # from `track history`"
        )
        raise argparse.ArgumentTypeError(said.format(text=repr(text)))
    return value


_CREATING = ("new", "import")
"""The actions that may create the store; the others need an instance in it, and refuse a missing file."""


def run(args: argparse.Namespace, console: Console) -> int:
    from civicflow.cli._store import open_store

    action = {
        "new": _new,
        "record": _record,
        "import": _import,
        "status": _status,
        "history": _history,
        "amend": _amend,
        "retract": _retract,
        "delete": _delete,
    }[args.action]
    with open_store(args.db, console.tr, create=args.action in _CREATING) as store:
        return action(store, args, console)


def _new(store: Store, args: argparse.Namespace, console: Console) -> int:
    from civicflow.loader import load_template

    template = load_template(args.template)
    require_in_range(template.working_calendar(), args.start, "the start")
    path = Path(args.template)
    source = str(path.resolve()) if path.is_file() else args.template
    record = store.create(args.name, template.id, template.version, args.start, template_source=source)
    said = console.tr.gettext("tracking {name}: {template} version {version}, start {start} ({store})")
    shown = {"template": template.id, "version": template.version, "store": store.url}
    console.print(said.format(name=repr(record.name), start=record.start.isoformat(), **shown))
    return EXIT_OK


def _record(store: Store, args: argparse.Namespace, console: Console) -> int:
    from civicflow.events import Event, EventType, has_time, parse_event_time
    from civicflow.store._records import check_happened

    record = store.get(args.name)
    procedure = store.procedure(record)
    try:
        at = parse_event_time(args.date, procedure.calendar.timezone)
    except ValueError as exc:
        raise PlanInputError(joined("--date: ", reason_of(exc))) from None
    check_happened(procedure.local_date(at), today_in(procedure.calendar.timezone))
    event = Event(
        args.step,
        EventType(args.event),
        at,
        by=args.by,
        note=args.note,
        url=args.url,
        timed=has_time(args.date),
    )
    version = store.record(args.name, event, expected_version=args.expect_version, strict=not args.lenient)
    said = console.tr.gettext("{name}: {step} {event} on {day} (version {version})")
    day = procedure.local_date(at).isoformat()
    kind = event_word(args.event, console.tr)
    console.print(said.format(name=args.name, step=args.step, event=kind, day=day, version=version))
    return EXIT_OK


def _import(store: Store, args: argparse.Namespace, console: Console) -> int:
    from civicflow.loader import load_template, read_event_log
    from civicflow.store import NewInstance

    template = load_template(args.template)
    path = Path(args.template)
    source = str(path.resolve()) if path.is_file() else args.template
    # the compiled procedure (cached by the store) knows the jurisdiction's time zone for bare dates
    probe = NewInstance("-", template.id, template.version, dt.date.min, (), source)
    timezone = store.procedure(probe.record(), template).calendar.timezone
    batch: list[NewInstance] = []
    for log_path in args.logs:
        log = read_event_log(log_path, timezone=timezone, template=template)
        start = log.start or args.start
        if start is None:
            said = console.tr.gettext("the log does not say its start; pass --start YYYY-MM-DD")
            raise PlanInputError(f"{log_path}: {said}")
        require_in_range(template.working_calendar(), start, f"{log_path}: the start")
        name = Path(log_path).stem
        batch.append(NewInstance(name, template.id, template.version, start, log.events, source))
    records = store.import_instances(batch, strict=args.strict)
    events = sum(r.version for r in records)
    tr = console.tr
    instances = tr.ngettext("{n} instance", "{n} instances", len(records)).format(n=len(records))
    said = tr.ngettext(
        "imported {instances} of {template} with {n} event ({store})",
        "imported {instances} of {template} with {n} events ({store})",
        events,
    )
    console.print(said.format(instances=instances, template=template.id, n=events, store=store.url))
    return EXIT_OK


def _history(store: Store, args: argparse.Namespace, console: Console) -> int:
    tracked = store.read(args.name)
    if args.format == "json":
        payload = {
            "name": tracked.record.name,
            "template": tracked.record.template_id,
            "template_version": tracked.record.template_version,
            "start": tracked.record.start.isoformat(),
            "version": tracked.record.version,
            "events": [e.to_dict() for e in tracked.events],
            "history": [e.to_dict() for e in tracked.history],
        }
        console.print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    tr = console.tr
    corrected: dict[int, str] = {}
    for item in tracked.history:
        if item.corrects is not None:
            if item.action == "retract":
                corrected[item.corrects] = tr.gettext("retracted by #{seq}").format(seq=item.seq)
            else:
                corrected[item.corrects] = tr.gettext("amended by #{seq}").format(seq=item.seq)
    rows = [["#", tr.gettext("when"), tr.gettext("event"), tr.gettext("step")]]
    details: list[list[str]] = [[]]
    for item in tracked.history:
        e = item.event
        if item.action == "retract":
            kind = tr.pgettext("event", "retract")
        elif item.action == "amend" and e is not None:
            kind = tr.gettext("{event} (amends #{seq})").format(
                event=event_word(e.event.value, tr), seq=item.corrects
            )
        else:
            kind = event_word(e.event.value, tr) if e is not None else "?"
        # what was recorded: a day alone, or the moment with its offset; a retraction's own moment
        when = item.at.isoformat() if e is None or e.timed else e.shown()
        rows.append([str(item.seq), when, kind, item.step])
        # who, the note and the link go on indented lines under their event: the table stays in 80
        # columns and a link is never cut
        extra = [cut(tr.gettext("by {who}").format(who=item.by), _WIDTH - _INDENT)] if item.by else []
        if item.action == "retract":
            said = tr.gettext("retracts #{seq}: {reason}").format(seq=item.corrects, reason=item.reason)
            extra += [cut(said, _WIDTH - _INDENT)]
        elif item.reason:
            extra += [cut(tr.gettext("reason: {reason}").format(reason=item.reason), _WIDTH - _INDENT)]
        if e is not None:
            extra += [cut(tr.gettext("note: {note}").format(note=e.note), _WIDTH - _INDENT)] if e.note else []
            extra += [f"url: {e.url}"] if e.url else []
        if item.seq in corrected:
            extra.append(corrected[item.seq])
        details.append(extra)
    record = tracked.record
    said = tr.ngettext(
        "{name}: {template} {version}, start {start}, {n} event",
        "{name}: {template} {version}, start {start}, {n} events",
        record.version,
    )
    shown = {"template": record.template_id, "version": record.template_version}
    console.print(said.format(name=record.name, start=record.start.isoformat(), n=record.version, **shown))
    if tracked.history:
        for line, extra in zip(_table(rows).splitlines(), details, strict=True):
            console.print(line)
            for text in extra:
                console.print(" " * _INDENT + text)
    return EXIT_OK


def _amend(store: Store, args: argparse.Namespace, console: Console) -> int:
    from civicflow.events import has_time, parse_event_time
    from civicflow.store._records import check_happened

    record = store.get(args.name)
    procedure = store.procedure(record)
    at = None
    if args.date is not None:
        try:
            at = parse_event_time(args.date, procedure.calendar.timezone)
        except ValueError as exc:
            raise PlanInputError(joined("--date: ", reason_of(exc))) from None
        check_happened(procedure.local_date(at), today_in(procedure.calendar.timezone))
    version = store.amend(
        args.name,
        args.seq,
        step=args.step,
        event=args.event,
        at=at,
        timed=args.date is None or has_time(args.date),
        by=args.by,
        note=args.note,
        url=args.url,
        reason=args.reason,
        expected_version=args.expect_version,
    )
    said = console.tr.gettext("{name}: event {seq} amended by event {version} (version {version})")
    console.print(said.format(name=args.name, seq=args.seq, version=version))
    return EXIT_OK


def _retract(store: Store, args: argparse.Namespace, console: Console) -> int:
    at = _common.now_utc().replace(microsecond=0)  # only the command line reads the clock
    version = store.retract(
        args.name, args.seq, reason=args.reason, at=at, by=args.by, expected_version=args.expect_version
    )
    said = console.tr.gettext("{name}: event {seq} retracted by event {version} (version {version})")
    console.print(said.format(name=args.name, seq=args.seq, version=version))
    return EXIT_OK


def _delete(store: Store, args: argparse.Namespace, console: Console) -> int:
    store.delete(args.name)
    console.print(console.tr.gettext("stopped tracking {name}").format(name=repr(args.name)))
    return EXIT_OK


# -- status ------------------------------------------------------------------------------------------


def _status(store: Store, args: argparse.Namespace, console: Console) -> int:
    from civicflow.cli.status import stage_titles
    from civicflow.compliance import heat_map

    tracked = [store.read(args.name)] if args.name else store.read_all()
    groups: dict[tuple[str, str], list[TrackedInstance]] = {}
    for item in tracked:
        groups.setdefault((item.record.template_id, item.record.template_version), []).append(item)
    maps: list[tuple[list[TrackedInstance], HeatMap]] = []
    keys: list[Mapping[str, str] | None] = []  # each heat map's stage titles in --lang
    broken: list[tuple[TrackedInstance, str]] = []
    zones: list[str] = []
    for members in groups.values():
        procedure, reasons = _group_procedure(store, members, console.tr)
        if procedure is None:  # no member's template can be loaded: each row says why, the others go on
            broken.extend(zip(members, reasons, strict=True))
            continue
        instances = {t.record.name: (procedure.template, t.events, t.record.start) for t in members}
        zone = procedure.calendar.timezone
        zones.append(zone)
        # only the CLI reads the clock: today in the jurisdiction's zone, as check and status do
        day = args.as_of or today_in(zone)
        maps.append((members, heat_map(instances, day, soon=args.soon)))
        keys.append(stage_titles(procedure.template, args.lang))
    as_of: dt.date | None = args.as_of
    if as_of is None and maps:
        as_of = min(hm.as_of for _, hm in maps if hm.as_of is not None)
    if args.format == "json":
        payload: list[dict[str, object]] = [
            {
                "name": item.record.name,
                "template": item.record.template_id,
                "template_version": item.record.template_version,
                "start": item.record.start.isoformat(),
                "version": item.record.version,
                "error": reason,
            }
            for item, reason in broken
        ]
        for members, hm in maps:
            # each row as `civicflow status --format json` gives it (name, cells, worst, due_sources, ok,
            # summary, steps), with what the store adds
            rows = hm.to_dict()["rows"]
            for item, row, shared in zip(members, hm.rows, rows, strict=True):
                payload.append(
                    {
                        **shared,
                        "template": item.record.template_id,
                        "template_version": item.record.template_version,
                        "start": item.record.start.isoformat(),
                        "version": item.record.version,
                        "stages": {s: c.value for s, c in zip(hm.stages, row.cells, strict=True)},
                        "report": row.status.report.to_dict(),
                    }
                )
        day_text = as_of.isoformat() if as_of is not None else None
        console.print(json.dumps({"as_of": day_text, "instances": payload}, ensure_ascii=False, indent=2))
    else:
        today = None if args.as_of is not None else ", ".join(sorted(set(zones)))
        _print_heat_maps(console, maps, empty=not broken, today=today, keys=keys)
        if broken:
            console.print()
            said = console.tr.gettext("cannot check (the template cannot be loaded):")
            console.print(console.style(said, "bold"))
            for item, reason in broken:
                console.print(f"{item.record.name}: {reason}")
    if broken:
        return EXIT_BAD_INPUT
    return EXIT_OK if all(hm.ok for _, hm in maps) else EXIT_FINDINGS


def _group_procedure(
    store: Store, members: Sequence[TrackedInstance], tr: Translator
) -> tuple[Procedure | None, list[str]]:
    """The procedure of a group of instances with one template id and version, loaded from the first
    member whose template source can be read; else None and, for each member, why not."""
    reasons: list[str] = []
    for item in members:
        try:
            return store.procedure(item.record), []
        except (TemplateNotFoundError, TemplateError, StoreError) as exc:
            said = tr.gettext("template {source}: {reason}")
            reasons.append(said.format(source=item.record.template_source, reason=str(exc).splitlines()[0]))
    return None, reasons


def _print_heat_maps(
    console: Console,
    maps: Sequence[tuple[Sequence[TrackedInstance], HeatMap]],
    *,
    empty: bool = True,
    today: str | None = None,
    keys: Sequence[Mapping[str, str] | None] | None = None,
) -> None:
    """Each template's heat map; ``today`` names the zones whose today gave the day when no --as-of
    was given (each template's own day: a Kyiv and a Sofia process may be a day apart at midnight)."""
    from civicflow.cli.status import render_key, render_not_counted, render_rows

    tr = console.tr
    if not maps and not empty:
        return
    if not maps:
        console.print(
            tr.gettext("no instances tracked yet; start one with `civicflow track new TEMPLATE --name ...`")
        )
        return
    days = sorted({hm.as_of for _, hm in maps if hm.as_of is not None})
    said = tr.gettext(" (today in {zone})").format(zone=today) if today else ""
    shown = ", ".join(console.day(d) for d in days)
    console.print(tr.gettext("status as of {day}").format(day=shown) + said)
    for (members, hm), titles in zip(maps, keys or [None] * len(maps), strict=True):
        record = members[0].record
        console.print()
        own = ""
        if len(days) > 1 and hm.as_of is not None:
            own = "  " + tr.gettext("as of {day}").format(day=console.day(hm.as_of))
        console.print(console.style(f"{record.template_id} {record.template_version}{own}", "bold"))
        names = [item.record.name for item in members]
        render_rows(hm, console, names, events=[item.record.version for item in members])
        console.print()
        render_key(hm, console, titles=titles)
        render_not_counted(hm, console)


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows)
