"""Reading event logs: YAML, JSON or CSV files of what happened, every bad record reported at once.

:func:`read_event_log` reads a whole log and reports every bad record at once, each with its file and
line, in one :class:`~civicflow.errors.EventLogError`: an unknown step (with the closest ids), a malformed
date, an unknown event type, and, when a template is given, an impossible order (completed before opened,
an event after completion, a step done before a step it depends on). Nothing is guessed.

A log is either a list of records or a mapping with an ``events:`` list (and optional ``name``,
``template``, ``start``; the JSON form of :meth:`civicflow.instance.ProcessInstance.to_json` reads
back as a log). A record has ``step`` and ``date`` and optionally ``event`` (``complete`` when left
out), ``by``, ``note`` and ``url``.

One time rule, the same in the API and the CLI: ``date`` is a date (that day in the process's
jurisdiction) or a date-time, in ISO 8601 or as people write them, ``14.11.2025`` and ``14.11.2025 10:30``
(:mod:`civicflow.dates`); a date-time with an offset (``+02:00``, ``Z``) is that instant, converted to
the jurisdiction's zone for its local day; one without an offset is wall-clock time in the log's own
``timezone:`` key when the log has one, else in the ``timezone`` argument when given, else in the
jurisdiction's zone (the template's ``jurisdiction.timezone``, else its country's), else UTC. An unknown
zone in ``timezone:`` is an error at its line.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import os
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from civicflow._suggest import closest
from civicflow.dates import DATE_FORMS, parse_day, parse_moment
from civicflow.errors import EventLogError, Problem
from civicflow.events import DATE_HELP, Event, EventType, _event_type, _opt_text, _zone, parse_event_time
from civicflow.i18n import _
from civicflow.loader._stream import parse_log_yaml
from civicflow.loader._yaml import YamlProblems
from civicflow.messages import Message, Param, Term, reason_of

if TYPE_CHECKING:
    from civicflow.calendar import WorkingCalendar
    from civicflow.template import ProcessTemplate

__all__ = [
    "FIELDS",
    "LOG_KEYS",
    "EventLog",
    "LogLimits",
    "csv_dialect",
    "load_event_log",
    "read_event_log",
    "read_event_text",
]


def _worded_problem(error: Exception) -> str | Message:
    """What ``error`` says: the message it was raised with (worded in any language), else its text."""
    found = reason_of(error)
    return found if isinstance(found, Message) else str(found)


def _did_you_mean(word: str) -> Message:
    return Message(_("; did you mean {word}?"), word=repr(word))


FIELDS = ("step", "date", "event", "by", "note", "url")
"""The fields of an event record, in the order logs and tables show them."""
LOG_KEYS = (
    "format",
    "version",
    "template",
    "template_version",
    "name",
    "start",
    "timezone",
    "events",
    "history",
)
"""The keys a mapping-shaped log may have (``events`` holds the records; the rest is metadata, and
``history``, every recorded row with corrections as ``civicflow track history --format json`` writes
it, is not read: the corrected facts are in ``events``)."""

_EXTENSIONS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".csv": "csv"}
_AT = "@"  # meta["@key"]: the (line, column) of a top-level key of the log, for messages


@dataclass(frozen=True, slots=True)
class _Record:
    """A raw record with where each of its fields starts in the file."""

    data: Mapping[str, Any]
    line: int | None
    positions: Mapping[str, tuple[int, int]]


def _records_from_data(
    data: Any,
    source: str,
    position: Callable[[tuple[str | int, ...]], tuple[int, int] | None],
    problems: list[Problem],
    meta: dict[str, Any] | None = None,
) -> list[_Record]:
    def at(path: tuple[str | int, ...], message: str | Message) -> None:
        pos = position(path)
        line, column = pos if pos else (None, None)
        problems.append(Problem.of(message, source, line, column))

    prefix: tuple[str | int, ...] = ()
    if isinstance(data, dict) and meta is not None:
        for key in ("name", "template", "start", "timezone"):
            if data.get(key) is not None:
                meta[key] = data[key]
                meta[_AT + key] = position((key,))
    if isinstance(data, dict):
        unknown = [k for k in data if k not in LOG_KEYS]
        for key in unknown:
            hint = difflib.get_close_matches(str(key), LOG_KEYS, n=1)
            extra = (
                _did_you_mean(hint[0])
                if hint
                else Message(_("; known keys: {keys}"), keys=", ".join(LOG_KEYS))
            )
            at((key,), Message(_("unknown key {key} in the event log{extra}"), key=repr(key), extra=extra))
        if "events" not in data:
            at((), Message(_("a mapping-shaped event log needs an 'events:' list of records")))
            return []
        prefix = ("events",)
        data = data["events"]
    if data is None:
        return []
    if not isinstance(data, list):
        at(prefix, Message(_("the events must be a list of records, each with 'step' and 'date'")))
        return []
    records: list[_Record] = []
    for i, item in enumerate(data):
        path = (*prefix, i)
        if not isinstance(item, dict):
            at(
                path,
                Message(_("record {n} is not a mapping; write step: ..., date: ..., event: ..."), n=i + 1),
            )
            continue
        positions = {str(k): p for k in item if (p := position((*path, k))) is not None}
        start = position(path)
        records.append(_Record(data=item, line=start[0] if start else None, positions=positions))
    return records


def _parse_yaml_records(
    text: str, source: str, problems: list[Problem], meta: dict[str, Any] | None = None
) -> list[_Record]:
    try:
        doc = parse_log_yaml(text, source)
    except YamlProblems as exc:
        problems.extend(exc.problems)
        return []
    return _records_from_data(doc.data, source, lambda p: doc.values.get(p), problems, meta)


def _parse_json_records(
    text: str, source: str, problems: list[Problem], meta: dict[str, Any] | None = None
) -> list[_Record]:
    try:
        # Only the syntax is checked here: numbers stay unconverted (Python refuses very long integers).
        json.loads(text, parse_int=len, parse_float=len, parse_constant=len)
    except json.JSONDecodeError as exc:
        problems.append(
            Problem.of(Message(_("not valid JSON: {reason}"), reason=exc.msg), source, exc.lineno, exc.colno)
        )
        return []
    except RecursionError:
        problems.append(
            Problem(
                "not an event log: arrays or objects nested thousands of levels deep "
                "(a log is a list of records, or an object with an 'events' list)",
                source=source,
            )
        )
        return []
    # JSON is a subset of YAML 1.2: the YAML event reader gives the positions.
    return _parse_yaml_records(text, source, problems, meta)


_DELIMITERS = (",", ";", "\t")


def csv_dialect(text: str) -> tuple[str, str, int]:
    """How a CSV log is written: ``(delimiter, text without a leading 'sep=' line, lines skipped)``.

    Spreadsheets in Ukrainian, Bulgarian and Russian locales write ``;`` (the comma is their decimal
    separator), some exports use tabs, and Excel may start the file with ``sep=;``. The delimiter is the
    one that splits the header into the most known columns (:data:`FIELDS`), a comma on a tie.
    """
    first, _, rest = text.partition("\n")
    marker = first.strip().lower()
    if marker.startswith("sep=") and len(marker) == 5:
        return first.strip()[4], rest, 1
    best, score = ",", -1
    for delimiter in _DELIMITERS:
        try:
            header = next(csv.reader(io.StringIO(first), delimiter=delimiter), [])
        except csv.Error:
            continue
        known = sum(1 for h in header if h.strip().lower() in FIELDS)
        if known > score:
            best, score = delimiter, known
    return best, text, 0


def _parse_csv_records(text: str, source: str, problems: list[Problem]) -> list[_Record]:
    delimiter, text, skipped = csv_dialect(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return []
    except csv.Error as exc:
        problems.append(Problem.of(Message(_("not valid CSV: {reason}"), reason=str(exc)), source, 1))
        return []
    names = [h.strip().lower() for h in header]
    if not set(names) & set(FIELDS):
        shown = delimiter if delimiter != "\t" else "tab"
        problems.append(
            Problem.of(
                Message(
                    _(
                        "the first row {row} names none of the columns {columns}; the first row must be the "
                        "header, e.g. step;date;event (separated by ',', ';' or tabs; read as "
                        "{separator}-separated)"
                    ),
                    row=repr(_clip(delimiter.join(header), 60)),
                    columns=", ".join(FIELDS),
                    separator=repr(shown),
                ),
                source,
                1 + skipped,
            )
        )
        return []
    for col, name in enumerate(names, start=1):
        if name not in FIELDS:
            hint = difflib.get_close_matches(name, FIELDS, n=1)
            extra = (
                _did_you_mean(hint[0])
                if hint
                else Message(_("; known columns: {columns}"), columns=", ".join(FIELDS))
            )
            unknown = Message(_("unknown column {name}{extra}"), name=repr(name), extra=extra)
            problems.append(Problem.of(unknown, source, 1 + skipped, col))
    records: list[_Record] = []
    previous_end = reader.line_num + skipped
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            invalid = Message(_("not valid CSV: {reason}"), reason=str(exc))
            problems.append(Problem.of(invalid, source, reader.line_num + skipped))
            break
        line = previous_end + 1
        previous_end = reader.line_num + skipped
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(names):
            cells = Message(
                _("{cells} cells but the header names {columns} columns"), cells=len(row), columns=len(names)
            )
            problems.append(Problem.of(cells, source, line))
        data = {
            name: cell.strip()
            for name, cell in zip(names, row, strict=False)
            if name in FIELDS and cell.strip()
        }
        positions = {name: (line, col) for col, name in enumerate(names, start=1)}
        records.append(_Record(data=data, line=line, positions=positions))
    return records


def _is_day(text: str) -> bool:
    """True when ``text`` is a day without a time (``2025-11-14``, ``14.11.2025``, ``4.3.2026``)."""
    try:
        parsed = parse_moment(text)
    except ValueError:
        return False
    return not isinstance(parsed, dt.datetime)


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with ``…`` at the end when it was longer."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _check_record(
    record: _Record,
    source: str,
    zone: dt.tzinfo,
    steps: Sequence[str] | None,
    problems: list[Problem],
    day_zone: dt.tzinfo | None = None,
) -> Event | None:
    def bad(key: str, message: str | Message) -> None:
        pos = record.positions.get(key)
        line, column = pos if pos else (record.line, None)
        problems.append(Problem.of(message, source, line, column, (key,)))

    ok = True
    data = record.data
    for key in data:
        if key not in FIELDS:
            hint = difflib.get_close_matches(str(key), FIELDS, n=1)
            extra = (
                _did_you_mean(hint[0])
                if hint
                else Message(_("; known fields: {fields}"), fields=", ".join(FIELDS))
            )
            bad(str(key), Message(_("unknown field {key}{extra}"), key=repr(key), extra=extra))
            ok = False
    step = data.get("step")
    if step is None or step == "":
        bad("step", Message(_("the record names no step; add step: <step id>")))
        ok = False
    elif not isinstance(step, str):
        bad("step", Message(_("a step id is text, not {value}"), value=repr(step)))
        ok = False
    elif steps is not None and step not in steps:
        close = closest(step, steps)
        known = (
            Message(_("did you mean {steps}?"), steps=", ".join(close))
            if close
            else Message(_("known steps: {steps}"), steps=", ".join(steps))
        )
        bad("step", Message(_("unknown step {step}; {known}"), step=repr(step), known=known))
        ok = False
    kind = EventType.COMPLETE
    raw_kind = data.get("event")
    if raw_kind is not None and raw_kind != "":
        try:
            kind = _event_type(raw_kind)
        except ValueError:
            # the event names are what a log says, in every language
            unknown = _("unknown event {event}; known events: {known}")
            bad("event", Message(unknown, event=repr(raw_kind), known=", ".join(e.value for e in EventType)))
            ok = False
    when = data.get("date")
    at: dt.datetime | None = None
    bare_day = False
    if when is None or when == "":
        bad("date", Message(_("the record has no date; {help}"), help=Term(DATE_HELP)))
        ok = False
    else:
        try:
            bare_day = isinstance(when, dt.date) and not isinstance(when, dt.datetime)
            bare_day = bare_day or (isinstance(when, str) and _is_day(when))
            at = parse_event_time(when, day_zone if bare_day and day_zone is not None else zone)
        except ValueError as exc:
            bad("date", _worded_problem(exc))
            ok = False
    for key in ("by", "note", "url"):
        value = data.get(key)
        if value is not None and not isinstance(value, str | int | float):
            bad(key, Message(_("{key} must be text, not {value}"), key=key, value=repr(value)))
            ok = False
    if not ok or at is None:
        return None
    return Event(
        step=str(step),
        event=kind,
        at=at,
        by=_opt_text(data.get("by")),
        note=_opt_text(data.get("note")),
        url=_opt_text(data.get("url")),
        timed=not bare_day,
    )


def _outside_calendar(
    calendar: WorkingCalendar, event: Event, record: _Record, source: str
) -> Problem | None:
    """A problem at the record's date when it lies outside the years the template's calendar covers."""
    from civicflow.calendar._range import outside_range, outside_reason

    reason = outside_reason(calendar, event.at, "the date")
    if reason is None:
        return None
    line, column = record.positions.get("date") or (record.line, None)
    # the English message keeps the library's hint; the worded one (the command line, the dashboard) not
    english = outside_range(calendar, event.at, "the date") or str(reason)
    return Problem(english, source=source, line=line, column=column, path=("date",), worded=reason)


@dataclass(frozen=True, slots=True)
class EventLog(Sequence[Event]):
    """A read event log: its events, in the log's order (the log is a sequence of them: iterate it, index
    it, pass it wherever events go), and what the log says about itself (``name``, ``template``,
    ``start``, ``timezone``), each ``None`` when the log does not say."""

    events: tuple[Event, ...]
    source: str
    name: str | None = None
    template: str | None = None
    start: dt.date | None = None
    timezone: str | None = None  # the log's own ``timezone:`` key (the zone of its naive date-times)

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Event, ...]: ...
    def __getitem__(self, index: int | slice) -> Event | tuple[Event, ...]:
        return self.events[index]


def read_event_text(
    text: str,
    *,
    format: str,
    source: str = "<events>",
    timezone: str | None = None,
    template: ProcessTemplate | None = None,
) -> EventLog:
    """Read an event log from text in ``format`` (``yaml``, ``json`` or ``csv``), as
    :func:`read_event_log` reads a file; ``source`` names the text in messages."""
    local = template.working_calendar().timezone if template is not None else None
    try:
        zone = _zone(timezone or local or "UTC")
    except ValueError as exc:
        raise EventLogError([Problem(str(exc), source=source)], source) from None
    # a bare date is that local day, whatever zone the log's own ``timezone:`` gives its date-times
    day_zone = zone
    problems: list[Problem] = []
    meta: dict[str, Any] = {}
    records = _records(text, format, source, problems, meta)
    if template is not None:
        _require_same_template(meta, template, source)
    log_zone = _log_zone(meta, source, problems)
    if log_zone is not None:
        zone = _zone(log_zone)
    steps = _steps_named(records, template, source) if template is not None else None
    events: list[Event] = []
    lines: list[int | None] = []
    calendar = template.working_calendar() if template is not None else None
    for record in records:
        event = _check_record(record, source, zone, steps, problems, day_zone)
        if event is not None and calendar is not None:
            outside = _outside_calendar(calendar, event, record, source)
            if outside is not None:
                problems.append(outside)
                continue
        if event is not None:
            events.append(event)
            lines.append(record.line)
    if template is not None and not problems:
        from civicflow.instance._instance import order_problems

        for index, message in order_problems(template, events, lines=lines):
            problems.append(Problem.of(message, source, lines[index]))
    start = _log_start(meta, source, problems)
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise EventLogError(problems, source)
    name = meta.get("name")
    tmpl = meta.get("template")
    return EventLog(
        events=tuple(events),
        source=source,
        name=str(name) if name is not None else None,
        template=str(tmpl) if tmpl is not None else None,
        start=start,
        timezone=log_zone,
    )


def _records(
    text: str, format: str, source: str, problems: list[Problem], meta: dict[str, Any]
) -> list[_Record]:
    """The records of a log in ``format``; its top-level keys go to ``meta`` (YAML and JSON)."""
    if format == "yaml":
        return _parse_yaml_records(text, source, problems, meta)
    if format == "json":
        return _parse_json_records(text, source, problems, meta)
    if format == "csv":
        return _parse_csv_records(text.removeprefix("\ufeff"), source, problems)
    raise EventLogError(
        [
            Problem.of(
                Message(
                    _("unknown event log format {format}; known formats: yaml, json, csv"),
                    format=repr(format),
                ),
                source,
            )
        ],
        source,
    )


def _require_same_template(meta: Mapping[str, Any], template: ProcessTemplate, source: str) -> None:
    """A log whose ``template:`` names another template: every step would be unknown too; say the one
    thing that matters."""
    if meta.get("template") in (None, template.id):
        return
    line, column = meta.get(_AT + "template") or (None, None)
    problem = Problem.of(
        Message(
            _(
                "the log is for template {logged}, not {given}; expected template: {id} (or check the "
                "log against {other})"
            ),
            logged=repr(meta["template"]),
            given=repr(template.id),
            id=template.id,
            other=str(meta["template"]),
        ),
        source,
        line,
        column,
        ("template",),
    )
    raise EventLogError([problem], source)


def _log_zone(meta: Mapping[str, Any], source: str, problems: list[Problem]) -> str | None:
    """The log's own ``timezone:`` (an IANA name), None when it gives none or a bad one (a problem)."""
    raw_zone = meta.get("timezone")
    if raw_zone is None:
        return None
    line, column = meta.get(_AT + "timezone") or (None, None)
    try:
        if not isinstance(raw_zone, str) or not raw_zone.strip():
            raise ValueError(
                f"timezone {raw_zone!r} is not a time zone; use an IANA name such as Europe/Kyiv or UTC"
            )
        _zone(raw_zone.strip())
    except ValueError as exc:
        problems.append(Problem(str(exc), source=source, line=line, column=column, path=("timezone",)))
        return None
    return raw_zone.strip()


def _steps_named(records: Sequence[_Record], template: ProcessTemplate, source: str) -> list[str]:
    """The template's step ids; a log naming two steps or more, none of them the template's, is most
    likely a log of another process (a CSV log has no ``template:`` key to say so): one problem, not one
    "unknown step" per record."""
    steps = [step.id for _, step in template.iter_steps()]
    named = {r.data.get("step") for r in records if isinstance(r.data.get("step"), str)}
    if len(named) >= 2 and not named & set(steps):
        shown = ", ".join(sorted(str(n) for n in named)[:5])
        problem = Problem.of(
            Message(
                _(
                    "none of the {n} steps this log names ({named}) is a step of template {id}; is it "
                    "the log of another process? known steps: {known}"
                ),
                n=len(named),
                named=shown + (", ..." if len(named) > 5 else ""),
                id=repr(template.id),
                known=", ".join(steps[:8]) + (", ..." if len(steps) > 8 else ""),
            ),
            source,
            records[0].line if records else None,
        )
        raise EventLogError([problem], source)
    return steps


def _log_start(meta: Mapping[str, Any], source: str, problems: list[Problem]) -> dt.date | None:
    """The log's own ``start:`` day, if it gives one."""
    raw_start = meta.get("start")
    if raw_start is None:
        return None
    try:
        return raw_start if isinstance(raw_start, dt.date) else parse_day(str(raw_start))
    except ValueError:
        not_a_date = Message(
            _("start {value} is not a date; write {forms}"), value=repr(raw_start), forms=DATE_FORMS
        )
        problems.append(Problem.of(not_a_date, source))
        return None


@dataclass(frozen=True)
class LogLimits:
    """How much an event log file may ask of the reader."""

    max_bytes: int = 16 * 1024 * 1024
    """Largest file accepted (16 MiB: about 200,000 records in CSV, 150,000 in YAML)."""


def read_event_log(
    path: str | os.PathLike[str],
    *,
    timezone: str | None = None,
    template: ProcessTemplate | None = None,
    limits: LogLimits | None = None,
) -> EventLog:
    """Read a YAML (``.yaml``/``.yml``), JSON (``.json``) or CSV (``.csv``) event log: its events and
    what it says about itself (:class:`EventLog`, a sequence of the events).

    Times follow the module's one rule, as ``civicflow check`` reads them: with ``template``, bare dates
    are days in its jurisdiction and date-times without an offset are its local time (unless the log's
    own ``timezone:`` key names another zone). ``timezone`` stands in for the jurisdiction's zone when
    there is no template (default UTC), or overrides it. With ``template`` the steps must exist and the
    order must be possible. Every problem is reported at once, each with its file and line, in one
    :class:`EventLogError`.

    Only a regular file is read (not a FIFO or a device, even through a symbolic link), and only up to
    ``limits.max_bytes`` (:class:`LogLimits`; 16 MiB unless given): a larger file is refused unread.
    """
    text, fmt, source = _log_text(path, limits)
    return read_event_text(text, format=fmt, source=source, timezone=timezone, template=template)


def read_log_template(path: str | os.PathLike[str], *, limits: LogLimits | None = None) -> str | None:
    """The ``template:`` key of an event log, read without checking its records (a CSV log has none).

    A log whose records are bad still names its template, so that they can be checked against it and
    every problem reported at once; only a file that cannot be read as a log at all is refused (an
    :class:`EventLogError`).
    """
    text, fmt, source = _log_text(path, limits)
    if fmt == "csv":
        return None
    problems: list[Problem] = []
    meta: dict[str, Any] = {}
    _records(text, fmt, source, problems, meta)
    key = meta.get("template")
    if key is None and problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise EventLogError(problems, source)
    return str(key) if key is not None else None


def _log_text(path: str | os.PathLike[str], limits: LogLimits | None) -> tuple[str, str, str]:
    """The text of an event log file, its format (from the extension) and its name in messages."""
    from civicflow._files import FileRefused, read_regular_file

    limits = limits or LogLimits()
    p = Path(path)
    source = str(path)
    fmt = _EXTENSIONS.get(p.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(_EXTENSIONS))
        hint: Param = (
            Message(
                _(
                    "; a spreadsheet file is not read directly: save it as 'CSV UTF-8' (Excel: Save As; "
                    "LibreOffice: Save As, Text CSV, character set Unicode (UTF-8))"
                )
            )
            if p.suffix.lower() in (".xlsx", ".xls", ".ods")
            else ""
        )
        raise EventLogError(
            [
                Problem.of(
                    Message(
                        _("cannot tell the format from the extension {suffix}; use one of {known}{hint}"),
                        suffix=repr(p.suffix),
                        known=known,
                        hint=hint,
                    ),
                    source,
                )
            ],
            source,
        )
    try:
        data = read_regular_file(p, limits.max_bytes, what=_("an event log (LogLimits.max_bytes)"))
        text = data.decode("utf-8-sig")
    except FileRefused as exc:
        raise EventLogError([Problem.of(_worded_problem(exc), source)], source) from None
    except UnicodeDecodeError as exc:
        hint = Message(
            _(
                "; save it again as 'CSV UTF-8' (in Excel: Save As, CSV UTF-8; in LibreOffice: character set "
                "Unicode (UTF-8))"
            )
            if fmt == "csv"
            else _("; save it again with the UTF-8 encoding")
        )
        line = p.read_bytes()[: exc.start].count(b"\n") + 1
        raise EventLogError(
            [
                Problem.of(
                    Message(
                        _("the file is not UTF-8 text ({reason} at byte {at}){hint}"),
                        reason=exc.reason,
                        at=exc.start,
                        hint=hint,
                    ),
                    source,
                    line,
                )
            ],
            source,
        ) from None
    return text, fmt, source


def load_event_log(
    path: str | os.PathLike[str],
    *,
    timezone: str | None = None,
    template: ProcessTemplate | None = None,
    limits: LogLimits | None = None,
) -> EventLog:
    """Deprecated: :func:`read_event_log` gives the same :class:`EventLog`."""
    warnings.warn(
        "load_event_log is deprecated; use read_event_log, which returns the same EventLog",
        DeprecationWarning,
        stacklevel=2,
    )
    return read_event_log(path, timezone=timezone, template=template, limits=limits)
