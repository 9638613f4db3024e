"""The :class:`Store`: tracked instances and their append-only event histories in a SQL database."""

from __future__ import annotations

import builtins
import datetime as dt
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import URL, Connection, Engine, Row, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError

from civicflow.errors import (
    CivicflowError,
    ConflictError,
    InstanceExistsError,
    InstanceNotFoundError,
    StoreError,
)
from civicflow.events import Event, EventType
from civicflow.store._records import InstanceRecord, check_name, resolve_url
from civicflow.store._schema import events, instances, migrate

if TYPE_CHECKING:
    from civicflow.instance import Procedure, ProcessInstance
    from civicflow.template import ProcessTemplate

__all__ = ["Store", "TemplateResolver", "TrackedInstance", "load_template_for"]

TemplateResolver = Callable[[InstanceRecord], "ProcessTemplate"]
"""Finds the template of a tracked instance (by default: :func:`load_template_for`)."""

_WRITE = "civicflow_write"
_RETRIES = 20  # appends without an expected version retry this often when another writer got in first


@dataclass(frozen=True)
class TrackedInstance:
    """An instance record with its events, read together (``record.version == len(events)``)."""

    record: InstanceRecord
    events: tuple[Event, ...]


def load_template_for(record: InstanceRecord) -> ProcessTemplate:
    """The template an instance was created with, loaded again from its bundled id or file path."""
    from civicflow.loader import load_template

    return load_template(record.template_source)


def _check_template(record: InstanceRecord, template: ProcessTemplate) -> ProcessTemplate:
    if (template.id, template.version) != (record.template_id, record.template_version):
        raise StoreError(
            f"instance {record.name!r} follows template {record.template_id!r} version "
            f"{record.template_version!r}, but {template.id!r} version {template.version!r} was given "
            f"(loaded from {record.template_source!r})"
        )
    return template


def _event_row(name: str, seq: int, ev: Event) -> dict[str, Any]:
    if ev.at.tzinfo is None or ev.at.utcoffset() is None:
        raise StoreError(f"event time {ev.at.isoformat()} has no time zone; the store keeps aware times only")
    return {
        "instance": name,
        "seq": seq,
        "step": ev.step,
        "kind": str(ev.event),
        "occurred_at": ev.at.isoformat(),
        "recorded_by": ev.by,
        "note": ev.note,
        "url": ev.url,
    }


def _event(row: Row[Any]) -> Event:
    return Event(
        step=row.step,
        event=EventType(row.kind),
        at=dt.datetime.fromisoformat(row.occurred_at),
        by=row.recorded_by,
        note=row.note,
        url=row.url,
    )


def _record(row: Row[Any]) -> InstanceRecord:
    return InstanceRecord(
        name=row.name,
        template_id=row.template_id,
        template_version=row.template_version,
        template_source=row.template_source or row.template_id,
        start=row.start_date,
        version=row.version,
    )


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"{url!r} is not a database URL or file path") from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed)
        return create_engine(parsed, pool_pre_ping=True)
    except NoSuchModuleError as exc:
        raise StoreError(
            f"no SQLAlchemy dialect for {parsed.drivername!r}; use sqlite or postgresql"
        ) from exc
    except ImportError as exc:  # the DBAPI driver of the dialect is missing
        raise StoreError(
            f"the database driver for {parsed.drivername!r} is not installed ({exc}); "
            'for PostgreSQL: pip install "civicflow[postgres]"'
        ) from exc


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:":
        folder = Path(url.database).parent
        if not folder.is_dir():
            raise StoreError(f"cannot create the store {url.database}: folder {folder} does not exist")
    engine = create_engine(url, connect_args={"timeout": 30.0})

    # pysqlite's own transaction handling does not let us choose BEGIN IMMEDIATE; switch it off and
    # begin ourselves. Writers take the write lock at BEGIN, so two writers queue (up to the timeout)
    # instead of failing on a lock upgrade; readers never wait thanks to the write-ahead log.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if url.database and url.database != ":memory:":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

    return engine


class Store:
    """Tracked process instances and their append-only event histories.

    Open one with :meth:`open`; it is safe to share between threads, and any number of processes may
    open the same database. Every method runs in its own transaction.
    """

    def __init__(self, engine: Engine, *, templates: TemplateResolver = load_template_for) -> None:
        self._engine = engine
        self._templates = templates
        # Templates and their compiled procedures, by (template id, version): loading and compiling a
        # template costs far more than replaying a history, and a store replays on every append.
        self._compiled: dict[tuple[str, str], tuple[ProcessTemplate, Procedure]] = {}
        self._lock = threading.Lock()
        try:
            with self._errors(), self._write() as conn:
                migrate(conn)
        except BaseException:
            engine.dispose()
            raise

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        templates: TemplateResolver = load_template_for,
        environ: Mapping[str, str] | None = None,
    ) -> Store:
        """Open (creating and migrating as needed) the store at ``url``.

        ``url`` is a SQLAlchemy URL (``sqlite:///path.db``, ``postgresql+psycopg://user@host/db``) or a
        file path; without it ``$CIVICFLOW_DB`` (from ``environ``, default ``os.environ``) and then
        ``./civicflow.db``. ``templates`` finds an instance's template for validation and replay.
        """
        resolved = resolve_url(url, os.environ if environ is None else environ)
        return cls(_engine(resolved), templates=templates)

    @property
    def url(self) -> str:
        """The database URL, with any password hidden."""
        return self._engine.url.render_as_string(hide_password=True)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for administration and tests; not needed for normal use)."""
        return self._engine

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- transactions and errors ---------------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except CivicflowError:
            raise
        except SQLAlchemyError as exc:
            detail = getattr(exc, "orig", None) or exc
            raise StoreError(f"store {self.url}: {type(detail).__name__}: {detail}".strip()) from exc

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            conn.execution_options(**{_WRITE: True})
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._engine.connect() as conn, conn.begin():
            yield conn

    # -- instances -----------------------------------------------------------------------------------

    def create(
        self,
        name: str,
        template_id: str,
        template_version: str,
        start: dt.date,
        *,
        template_source: str | None = None,
    ) -> InstanceRecord:
        """Start tracking a new instance (version 0, no events); :class:`InstanceExistsError` if taken."""
        check_name(name)
        record = InstanceRecord(
            name=name,
            template_id=template_id,
            template_version=template_version,
            template_source=template_source or template_id,
            start=start,
            version=0,
        )
        row = {
            "name": name,
            "template_id": template_id,
            "template_version": template_version,
            "template_source": record.template_source,
            "start_date": start,
            "version": 0,
        }
        with self._errors():
            try:
                with self._write() as conn:
                    conn.execute(instances.insert().values(**row))
            except IntegrityError:
                raise InstanceExistsError(f"an instance named {name!r} is tracked already") from None
        return record

    def get(self, name: str) -> InstanceRecord:
        """The record of one instance; :class:`InstanceNotFoundError` if there is none."""
        with self._errors(), self._read() as conn:
            return self._get(conn, name)

    def list(self) -> list[InstanceRecord]:
        """Every tracked instance, by name."""
        with self._errors(), self._read() as conn:
            return [_record(row) for row in conn.execute(select(instances).order_by(instances.c.name))]

    def delete(self, name: str) -> None:
        """Stop tracking an instance and drop its history; :class:`InstanceNotFoundError` if there is none."""
        with self._errors(), self._write() as conn:
            if conn.execute(instances.delete().where(instances.c.name == name)).rowcount == 0:
                raise self._not_found(conn, name)

    def _get(self, conn: Connection, name: str) -> InstanceRecord:
        row = conn.execute(select(instances).where(instances.c.name == name)).one_or_none()
        if row is None:
            raise self._not_found(conn, name)
        return _record(row)

    def _not_found(self, conn: Connection, name: str) -> InstanceNotFoundError:
        names = conn.execute(select(instances.c.name).order_by(instances.c.name).limit(11)).scalars().all()
        known = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "") if names else "none yet"
        return InstanceNotFoundError(f"no tracked instance named {name!r}; tracked: {known}")

    # -- histories -----------------------------------------------------------------------------------

    @staticmethod
    def _events(conn: Connection, record: InstanceRecord) -> tuple[Event, ...]:
        # Only up to the version read: under READ COMMITTED a writer may commit between the two reads.
        query = (
            select(events)
            .where(events.c.instance == record.name, events.c.seq <= record.version)
            .order_by(events.c.seq)
        )
        return tuple(_event(row) for row in conn.execute(query))

    def read(self, name: str) -> TrackedInstance:
        """An instance's record and history, consistent with each other."""
        with self._errors(), self._read() as conn:
            record = self._get(conn, name)
            return TrackedInstance(record, self._events(conn, record))

    def read_all(self) -> builtins.list[TrackedInstance]:
        """Every instance with its history, by name, in two queries (for status over many instances)."""
        with self._errors(), self._read() as conn:
            records = [_record(row) for row in conn.execute(select(instances).order_by(instances.c.name))]
            rows = conn.execute(select(events).order_by(events.c.instance, events.c.seq))
            by_name = {name: list(group) for name, group in groupby(rows, key=lambda row: row.instance)}
        return [
            TrackedInstance(
                record,
                tuple(_event(row) for row in by_name.get(record.name, ()) if row.seq <= record.version),
            )
            for record in records
        ]

    def history(self, name: str) -> builtins.list[Event]:
        """The events of an instance in the order they were recorded."""
        return list(self.read(name).events)

    def template(self, record: InstanceRecord) -> ProcessTemplate:
        """The template of an instance (loaded once per store), checked to be the id and version it was
        created with."""
        return self.procedure(record).template

    def procedure(self, record: InstanceRecord, template: ProcessTemplate | None = None) -> Procedure:
        """The compiled procedure of an instance's template (cached per template id and version); pass
        ``template`` to use that template object instead of the resolver's."""
        from civicflow.instance import Procedure

        key = (record.template_id, record.template_version)
        with self._lock:
            cached = self._compiled.get(key)
        if cached is not None and (template is None or cached[0] is template):
            return cached[1]
        chosen = _check_template(record, self._templates(record) if template is None else template)
        procedure = Procedure(chosen)
        with self._lock:
            self._compiled[key] = (chosen, procedure)
        return procedure

    def load(self, name: str, template: ProcessTemplate | None = None) -> ProcessInstance:
        """The instance rebuilt from its history (``len(instance.history)`` is its version)."""
        tracked = self.read(name)
        return self._replay(tracked.record, tracked.events, template)

    def _replay(
        self, record: InstanceRecord, history: Sequence[Event], template: ProcessTemplate | None
    ) -> ProcessInstance:
        from civicflow.instance import ProcessInstance

        procedure = self.procedure(record, template)
        return ProcessInstance.from_events(
            procedure.template, start=record.start, events=history, name=record.name, procedure=procedure
        )

    # -- appending -----------------------------------------------------------------------------------

    def record(
        self,
        name: str,
        event: Event,
        *,
        template: ProcessTemplate | None = None,
        expected_version: int | None = None,
        strict: bool = True,
    ) -> int:
        """Validate ``event`` against the instance and append it; returns the new version.

        With ``expected_version`` (the version you read, e.g. ``len(instance.history)``) another writer's
        append in between raises :class:`ConflictError`; without it the event is checked against the
        history as it is at that moment. An illegal event raises ``IllegalTransitionError`` and writes
        nothing; ``strict=False`` accepts an event that comes too early for a legal minimum period (a fact
        as it happened, left to the compliance check), as :meth:`ProcessInstance.record` does.
        """
        return self.record_many(
            name, [event], template=template, expected_version=expected_version, strict=strict
        )

    def record_many(
        self,
        name: str,
        new_events: Iterable[Event],
        *,
        template: ProcessTemplate | None = None,
        expected_version: int | None = None,
        strict: bool = True,
    ) -> int:
        """Validate and append several events in one transaction (all or none); returns the new version.

        This is the way to import a history: one transaction and one replay for the whole batch.
        """
        batch = list(new_events)
        attempts = 1 if expected_version is not None else _RETRIES
        for attempt in range(attempts):
            try:
                return self._append(name, batch, template, expected_version, strict)
            except _Raced:
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _append(
        self,
        name: str,
        batch: builtins.list[Event],
        template: ProcessTemplate | None,
        expected: int | None,
        strict: bool,
    ) -> int:
        with self._errors(), self._write() as conn:
            record = self._get(conn, name)
            if expected is not None and record.version != expected:
                raise _conflict(name, expected, record.version)
            instance = self._replay(record, self._events(conn, record), template)
            accepted = [
                instance.record(
                    ev.step, ev.event, at=ev.at, by=ev.by, note=ev.note, url=ev.url, strict=strict
                )
                for ev in batch
            ]
            if not accepted:
                return record.version
            new_version = record.version + len(accepted)
            # The optimistic check: only the writer that still sees the version it read may move it on.
            moved = conn.execute(
                instances.update()
                .where(instances.c.name == name, instances.c.version == record.version)
                .values(version=new_version)
            ).rowcount
            if moved != 1:
                found = conn.execute(
                    select(instances.c.version).where(instances.c.name == name)
                ).scalar_one_or_none()
                if found is None:
                    raise self._not_found(conn, name)
                raise _Raced(name, record.version, found)
            try:
                conn.execute(
                    events.insert(),
                    [_event_row(name, record.version + i, ev) for i, ev in enumerate(accepted, start=1)],
                )
            except IntegrityError as exc:  # another writer bypassed the version check
                raise _Raced(name, record.version, new_version) from exc
            return new_version


class _Raced(ConflictError):
    """Another writer appended between our read and our update."""

    def __init__(self, name: str, expected: int, found: int) -> None:
        super().__init__(str(_conflict(name, expected, found)))


def _conflict(name: str, expected: int, found: int) -> ConflictError:
    return ConflictError(
        f"instance {name!r} changed: expected version {expected}, found {found}; reload and try again"
    )
