"""The per-instance status summary: the heat map row and the open due days, kept in the store.

Computing an instance's status replays its history and checks every rule; over ten thousand instances
that is far too slow for a request. So each write stores a summary of the instance as of the day of the
write, with the first later day on which its status can change (``stale_from``: the day a deadline passes,
a due day comes within the "soon" horizon, or a recorded event's day arrives). A read uses a summary when
it was made for the instance's current version and the day asked for lies in ``[holds_from,
stale_from)`` (``holds_from``: the last day up to the write on which a deadline or an event changed
it); otherwise it recomputes that instance (and, for today, stores the result). Nothing is kept
in the worker: any worker may write or read, the database decides.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from civicflow._procedure import Procedure
from civicflow.calendar import WorkingCalendar
from civicflow.compliance import (
    DueItem,
    DueSource,
    FindingStatus,
    InstanceStatus,
    Status,
    UndatedDue,
    due_items,
    undated_items,
)
from civicflow.compliance._check import Checker, checker_for
from civicflow.compliance._status import status_with
from civicflow.errors import CivicflowError
from civicflow.events import Event
from civicflow.store import InstanceRecord, Store
from civicflow.store._schema import events, instances, status_summaries
from civicflow.store._store import _VALUE_COLUMNS, _facts

__all__ = ["SOON", "HeatRow", "Summary", "compute", "heat_rows", "recompute", "save", "stale_from"]

SOON = 3
"""Working days ahead that count as due soon in the heat map (as ``civicflow track status``)."""

_FINISHED = {Status.DONE, Status.DONE_LATE, Status.DISPUTABLE, Status.SKIPPED}
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Summary:
    """An instance's status as of ``computed_for``, true from ``holds_from`` until the day before
    ``stale_from`` (None: no such day)."""

    instance: str
    version: int
    computed_for: dt.date
    holds_from: dt.date | None
    stale_from: dt.date | None
    row_json: str  # the heat map row as JSON: name, template, version, cells, due_sources, worst, ok, summary
    due_json: str  # the open steps with a due day: [[step, due, source, status], ...], then those whose
    # legal deadline cannot be dated yet: [step, null, "undated", status, waits_for]

    def due(self, first: dt.date | None = None, last: dt.date | None = None) -> list[DueItem]:
        """The open steps due from ``first`` to ``last`` (each bound optional), as agenda items."""
        low = first.isoformat() if first else ""
        high = last.isoformat() if last else "9999"
        return [
            DueItem(self.instance, step, dt.date.fromisoformat(day), DueSource(source), Status(kind))
            for step, day, source, kind, *_rest in json.loads(self.due_json)
            if day is not None and low <= day <= high  # ISO dates compare as text
        ]

    def undated(self) -> list[UndatedDue]:
        """The open steps whose legal deadline cannot be dated yet (what each waits for)."""
        return [
            UndatedDue(self.instance, entry[0], entry[4], Status(entry[3]))
            for entry in json.loads(self.due_json)
            if entry[1] is None
        ]


def _first_soon(calendar: WorkingCalendar, low: dt.date, high: dt.date, due: dt.date) -> dt.date:
    """The first day from ``low`` to ``high`` on which ``due`` is within the soon horizon, given it is on
    ``high``: the horizon only grows with the day, so a binary search finds it."""
    while low < high:
        mid = low + (high - low) // 2
        if calendar.add_working_days(mid, SOON) >= due:
            high = mid
        else:
            low = mid + _DAY
    return low


def _soon_from(calendar: WorkingCalendar, after: dt.date, due: dt.date) -> dt.date | None:
    """The first day later than ``after`` on which ``due`` is within the soon horizon (None if it is
    already on ``after``)."""
    if calendar.add_working_days(after, SOON) >= due:
        return None
    return _first_soon(calendar, after + _DAY, due, due)  # on ``due`` itself the horizon reaches it


def stale_from(
    procedure: Procedure, st: InstanceStatus, history: Sequence[Event], as_of: dt.date
) -> dt.date | None:
    """The first day after ``as_of`` on which the status of the instance can differ from ``st``."""
    calendar = procedure.calendar
    candidates: list[dt.date] = []
    dues = {f.deadline for f in st.report.findings if f.status is FindingStatus.PENDING and f.deadline}
    dues |= {d.due for d in st.details.values() if d.due is not None and d.status not in _FINISHED}
    try:
        candidates.extend(due + _DAY for due in dues)  # it becomes overdue
        horizon = calendar.add_working_days(as_of, SOON)
        ahead = sorted(due for due in dues if due > horizon)
        if ahead:
            # it becomes due soon; the first day that happens grows with the due day: the nearest decides
            soon = _soon_from(calendar, as_of, ahead[0])
            if soon is not None:
                candidates.append(soon)
    except CivicflowError:  # a day beyond the calendar's years: recompute every day
        return as_of + _DAY
    candidates.extend(procedure.local_date(e.at) for e in history)  # an event dated later takes effect
    later = [c for c in candidates if c > as_of]
    return min(later) if later else None


def _soon_since(calendar: WorkingCalendar, before: dt.date, due: dt.date) -> dt.date:
    """The first day on which ``due`` is within the soon horizon, given it is on ``before``."""
    low, span = before, dt.timedelta(days=8)
    while calendar.add_working_days(low - span, SOON) >= due:  # go back until it is not yet soon
        span *= 2
    return _first_soon(calendar, low - span + _DAY, before, due)


def holds_from(
    procedure: Procedure, st: InstanceStatus, history: Sequence[Event], as_of: dt.date
) -> dt.date | None:
    """The first day up to ``as_of`` from which the status of the instance is ``st`` (None: every day
    before too): the latest day on which an event took effect, a deadline passed or came near."""
    calendar = procedure.calendar
    candidates = [d for d in (procedure.local_date(e.at) for e in history) if d <= as_of]
    open_dues = {d.due for d in st.details.values() if d.due is not None and d.status not in _FINISHED}
    dues = open_dues | {
        f.deadline
        for f in st.report.findings
        if f.status in (FindingStatus.PENDING, FindingStatus.OVERDUE) and f.deadline
    }
    candidates.extend(due + _DAY for due in dues if due < as_of)  # it became overdue
    try:
        horizon = calendar.add_working_days(as_of, SOON)
        near = [due for due in dues if as_of <= due <= horizon]
        if near:  # it became due soon; the later the due day, the later that happened
            candidates.append(_soon_since(calendar, as_of, max(near)))
    except CivicflowError:  # a day beyond the calendar's years: no day but this one
        return as_of
    return max(candidates) if candidates else None


def compute(
    procedure: Procedure,
    record: InstanceRecord,
    history: Sequence[Event],
    as_of: dt.date,
    checker: Checker | None = None,
) -> Summary:
    """The summary of one instance as of ``as_of`` (``checker``: one of ``procedure``, to share plans)."""
    st = status_with(
        checker or checker_for(procedure),
        (procedure.template, history, record.start),
        as_of=as_of,
        soon=SOON,
        name=record.name,
    )
    row = {
        "name": record.name,
        "template": record.template_id,
        "template_version": record.template_version,
        "version": record.version,
        "cells": {k: v.value for k, v in st.stages.items()},
        "due_sources": {k: (v.value if v else None) for k, v in st.stage_sources.items()},
        "worst": st.worst.value,
        "ok": st.report.ok,
        "summary": st.report.summary(),
    }
    # The agenda lists steps and due days; the explanation (which names the day of the check) is left to
    # GET /instances/{name}, so that a stored summary reads the same on every day it holds.
    due: list[list[str | None]] = [
        [i.step, i.due.isoformat(), i.due_source.value, i.status.value] for i in due_items(record.name, st)
    ]
    due += [[u.step, None, "undated", u.status.value, u.waits_for] for u in undated_items(record.name, st)]
    stale = stale_from(procedure, st, history, as_of)
    compact = (",", ":")
    return Summary(
        record.name,
        record.version,
        as_of,
        holds_from(procedure, st, history, as_of),
        stale,
        json.dumps(row, ensure_ascii=False, separators=compact),
        json.dumps(due, ensure_ascii=False, separators=compact),
    )


def _values(summary: Summary) -> dict[str, Any]:
    return {
        "instance": summary.instance,
        "version": summary.version,
        "computed_for": summary.computed_for,
        "holds_from": summary.holds_from,
        "stale_from": summary.stale_from,
        "summary": summary.row_json,
        "due": summary.due_json,
        "next_due": _next_due(summary),
    }


def _next_due(summary: Summary) -> dt.date | None:
    """The earliest due day (what the agenda's query reads); an instance with a step that cannot be dated
    yet is read by every agenda (it lists such steps whatever the days asked), hence the first day."""
    if summary.undated():
        return dt.date.min
    return min((i.due for i in summary.due()), default=None)


def save(conn: Connection, summaries: Iterable[Summary]) -> None:
    """Store summaries; one made for an older version or an earlier day never replaces a newer one."""
    rows = [_values(s) for s in summaries]
    if not rows:
        return
    table = status_summaries
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    excluded = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.instance],
        set_={k: excluded[k] for k in rows[0] if k != "instance"},
        where=(table.c.version < excluded.version)
        | ((table.c.version == excluded.version) & (table.c.computed_for <= excluded.computed_for)),
    )
    try:
        with conn.begin_nested():
            conn.execute(stmt, rows)
    except IntegrityError:  # an instance was deleted meanwhile: store the others one by one
        for row in rows:
            try:
                with conn.begin_nested():
                    conn.execute(stmt, [row])
            except IntegrityError:
                continue


@dataclass(frozen=True)
class HeatRow:
    """An instance with the summary that holds on the day asked for."""

    record: InstanceRecord
    summary: Summary


def heat_rows(
    store: Store,
    as_of: dt.date,
    *,
    today: Callable[[str], dt.date],
    due_until: dt.date | None = None,
) -> list[HeatRow]:
    """Every instance with its summary as of ``as_of``, recomputing those whose stored one does not hold.

    With ``due_until`` only instances with an open step due by that day are read, with their due steps
    (for the agenda). A summary recomputed for the day that is today in its instance's time zone
    (``today(zone)``) is stored for the next reader.
    """
    s, i = status_summaries.c, instances.c
    holds = (
        (s.version == i.version)
        & (s.holds_from.is_(None) | (s.holds_from <= as_of))
        & (s.stale_from.is_(None) | (s.stale_from > as_of))
    )
    query = (
        select(
            i.name,
            i.template_id,
            i.template_version,
            i.template_source,
            i.start_date,
            i.version,
            case((holds, s.summary), else_=None),
            case((holds, s.due), else_=None) if due_until is not None else literal(None),
            s.computed_for,
            s.holds_from,
            s.stale_from,
        )
        .select_from(instances.outerjoin(status_summaries, s.instance == i.name))
        .order_by(i.name)
    )
    if due_until is not None:
        # a summary that holds and has nothing due by then is left out; any other may need a recompute
        query = query.where(~holds | (s.version.is_(None)) | (s.next_due <= due_until))
    out: list[HeatRow | InstanceRecord] = []
    stale: list[InstanceRecord] = []
    with store.engine.connect() as conn:
        for (
            name,
            tid,
            tversion,
            source,
            start,
            version,
            row_json,
            due,
            computed,
            since,
            until,
        ) in conn.execute(query):
            record = InstanceRecord(name, tid, tversion, source or tid, start, version)
            if row_json is None:
                out.append(record)
                stale.append(record)
            else:
                summary = Summary(name, version, computed, since, until, row_json, due or "[]")
                out.append(HeatRow(record, summary))
    fresh = {s.instance: s for s in recompute(store, stale, as_of, today=today)}
    rows: list[HeatRow] = []
    for item in out:
        if isinstance(item, HeatRow):
            rows.append(item)
        elif item.name in fresh:
            rows.append(HeatRow(item, fresh[item.name]))
    return rows


def recompute(
    store: Store,
    records: Sequence[InstanceRecord],
    as_of: dt.date,
    *,
    today: Callable[[str], dt.date] | None = None,
) -> list[Summary]:
    """Summaries of ``records`` as of ``as_of`` from their stored histories; those for the day that is
    ``today(zone)`` in their instance's time zone are stored."""
    if not records:
        return []
    rows: dict[str, list[Sequence[Any]]] = {r.name: [] for r in records}
    versions = {r.name: r.version for r in records}
    names = list(rows)
    with store.engine.connect() as conn:
        for begin in range(0, len(names), 500):
            chunk = names[begin : begin + 500]
            query = (
                select(events.c.instance, events.c.seq, *_VALUE_COLUMNS)
                .where(events.c.instance.in_(chunk))
                .order_by(events.c.instance, events.c.seq)
            )
            for row in conn.execute(query):
                if row[1] <= versions[row[0]]:
                    rows[row[0]].append(tuple(row[2:]))
    # the facts after corrections (an amended or retracted event counts as corrected), as `load` gives them
    histories: dict[str, list[Event]] = {name: list(_facts(found)) for name, found in rows.items()}
    checkers: dict[int, Checker] = {}
    out: list[Summary] = []
    broken: list[Summary] = []
    keep: list[Summary] = []
    days: dict[str, dt.date] = {}
    for r in records:
        try:
            procedure = store.procedure(r)
            checker = checkers.get(id(procedure))
            if checker is None:
                checker = checkers[id(procedure)] = Checker(procedure)
            summary = compute(procedure, r, histories[r.name], as_of, checker)
        except CivicflowError as exc:  # one instance that cannot be checked does not hide the others
            broken.append(_broken(r, as_of, str(exc)))
            continue
        out.append(summary)
        zone = procedure.calendar.timezone
        if today is not None and as_of == days.setdefault(zone, today(zone)):
            keep.append(summary)
    if keep:
        with store.engine.begin() as conn:
            save(conn, keep)
    return out + broken


def _broken(record: InstanceRecord, as_of: dt.date, reason: str) -> Summary:
    """The heat map row of an instance whose status cannot be computed: the reason, no cells, never stored."""
    row = {
        "name": record.name,
        "template": record.template_id,
        "template_version": record.template_version,
        "version": record.version,
        "cells": {},
        "due_sources": {},
        "worst": None,
        "ok": None,
        "summary": {},
        "error": reason,
    }
    row_json = json.dumps(row, ensure_ascii=False)
    return Summary(record.name, record.version, as_of, as_of, as_of + _DAY, row_json, "[]")
