"""The :class:`Store`: tracked instances and their append-only event histories in a SQL database."""

from __future__ import annotations

import datetime as dt
import os
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import URL, Connection, Engine, Row, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError

from civicflow._text import text_problem
from civicflow.errors import (
    CivicflowError,
    ConflictError,
    EventLogError,
    IllegalTransitionError,
    InstanceExistsError,
    InstanceNotFoundError,
    StoreError,
    StoreNotFoundError,
)
from civicflow.events import Event, EventType
from civicflow.i18n import _
from civicflow.messages import Message, Param, joined
from civicflow.store._corrections import RETRACT, HistoryEntry, Rows, check_target, entry, facts
from civicflow.store._records import (
    MAX_LENGTHS,
    InstanceRecord,
    NewInstance,
    check_event_text,
    check_instance_text,
    check_name,
    resolve_url,
)
from civicflow.store._schema import SCHEMA_VERSION, current_version, events, instances, migrate

if TYPE_CHECKING:
    from civicflow._procedure import Procedure
    from civicflow.instance import ProcessInstance
    from civicflow.template import ProcessTemplate

__all__ = ["Store", "TemplateResolver", "TrackedInstance", "load_template_for"]

TemplateResolver = Callable[[InstanceRecord], "ProcessTemplate"]
"""Finds the template of a tracked instance (by default: :func:`load_template_for`)."""

_WRITE = "civicflow_write"
_RETRIES = 20  # appends without an expected version retry this often when another writer got in first
_REPLAYS = 256  # replayed instances kept per store, most recently used first out last

SqliteSynchronous = Literal["full", "normal"]
"""SQLite's ``synchronous`` setting: ``full`` syncs every commit to disk (the default), ``normal`` syncs
at WAL checkpoints only (a commit survives the application crashing, not the machine losing power)."""

# An event as the events table holds it: step, kind, occurred_at, recorded_by, note, url, for a
# correction the seq it corrects and why, and day_only (1: a day was recorded without a time of day).
_Values = tuple[str, str, str, str | None, str | None, str | None, int | None, str | None, int | None]
_VALUE_COLUMNS = (
    events.c.step,
    events.c.kind,
    events.c.occurred_at,
    events.c.recorded_by,
    events.c.note,
    events.c.url,
    events.c.corrects,
    events.c.reason,
    events.c.day_only,
)
_KINDS = {kind.value: kind for kind in EventType}


@dataclass(frozen=True)
class TrackedInstance:
    """An instance record with its facts and its history, read together.

    ``history`` is every recorded row, corrections included (``record.version == len(history)``);
    ``events`` the facts they establish (amended facts as amended, retracted ones left out), which
    checks use. Without corrections the two hold the same events.
    """

    record: InstanceRecord
    events: tuple[Event, ...]
    history: tuple[HistoryEntry, ...] = ()


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


def _values(ev: Event, corrects: int | None = None, reason: str | None = None) -> _Values:
    if ev.at.tzinfo is None or ev.at.utcoffset() is None:
        raise StoreError(f"event time {ev.at.isoformat()} has no time zone; the store keeps aware times only")
    check_event_text(ev)
    day_only = None if ev.timed else 1  # NULL, as in rows written before v5: a time was given
    return (ev.step, ev.event.value, ev.at.isoformat(), ev.by, ev.note, ev.url, corrects, reason, day_only)


def _event_row(name: str, seq: int, values: _Values) -> dict[str, Any]:
    step, kind, occurred_at, recorded_by, note, url, corrects, reason, day_only = values
    return {
        "instance": name,
        "seq": seq,
        "step": step,
        "kind": kind,
        "occurred_at": occurred_at,
        "recorded_by": recorded_by,
        "note": note,
        "url": url,
        "corrects": corrects,
        "reason": reason,
        "day_only": day_only,
    }


def _history(rows: Iterable[Sequence[Any]]) -> tuple[HistoryEntry, ...]:
    return tuple(entry(seq, values) for seq, values in enumerate(rows, start=1))


def _facts(rows: Iterable[Sequence[Any]]) -> tuple[Event, ...]:
    return facts(_history(rows))


@dataclass
class _Replayed:
    """An instance replayed by this store, with the stored rows it was replayed from."""

    procedure: Procedure
    start: dt.date
    rows: list[_Values]
    instance: ProcessInstance


_RECORD_COLUMNS = (
    instances.c.name,
    instances.c.template_id,
    instances.c.template_version,
    instances.c.template_source,
    instances.c.start_date,
    instances.c.version,
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


def _read_only_file(database: str | None) -> bool:
    """Whether a SQLite file exists but cannot be written here (the file or its folder is read-only)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return False
    path = Path(database)
    return path.is_file() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _require_existing(url: str) -> None:
    """:class:`StoreNotFoundError` when ``url`` is a SQLite file that does not exist."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return  # _engine says what is wrong with it
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    if database.startswith("file:"):
        return
    if not Path(database).exists():
        raise StoreNotFoundError(database)


def _engine(url: str, synchronous: SqliteSynchronous) -> Engine:
    if synchronous not in ("full", "normal"):
        raise StoreError(f"sqlite_synchronous is {synchronous!r}; use 'full' or 'normal'")
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"{url!r} is not a database URL or file path") from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed, synchronous)
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


_EXPECTED = (
    "the store is a SQLite file path (created on first use) or a database URL such as "
    "postgresql+psycopg://user:pass@host/db (the CLI's --db, else $CIVICFLOW_DB)"
)


def _unopenable(url: URL, exc: SQLAlchemyError) -> StoreError:
    """A clear error for a database that cannot be opened: which one, why, and what is expected."""
    detail = str(getattr(exc, "orig", None) or exc).strip()
    if url.get_backend_name() != "sqlite":
        return StoreError(f"cannot open the store {url.render_as_string(hide_password=True)}: {detail}")
    where = url.database or ":memory:"
    if "not a database" in detail:
        return StoreError(f"{where} is not a SQLite database ({detail}); {_EXPECTED}")
    return StoreError(f"cannot open the SQLite store {where}: {detail}; {_EXPECTED}")


def _sqlite_read_only_engine(url: URL) -> Engine:
    """A read-only connection to a SQLite file whose file or folder cannot be written: ``status`` and
    ``history`` read it; a write fails with SQLite's "readonly database" error."""
    assert url.database is not None
    path = Path(url.database)
    params = "mode=ro"
    wal_index = path.with_name(path.name + "-shm")
    if not os.access(path.parent, os.W_OK) and not wal_index.exists():
        # A write-ahead-log database needs its -shm file, which cannot be created in a read-only folder:
        # nobody can be writing it then, so SQLite may read the file as it is.
        params += "&immutable=1"
    engine = create_engine(
        f"sqlite:///file:{quote(str(path))}?{params}&uri=true", connect_args={"timeout": 30.0}
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA query_only = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _sqlite_engine(url: URL, synchronous: SqliteSynchronous) -> Engine:
    if _read_only_file(url.database):
        return _sqlite_read_only_engine(url)
    if url.database and url.database != ":memory:":
        folder = Path(url.database).parent
        if not folder.is_dir():
            raise StoreError(f"cannot create the store {url.database}: folder {folder} does not exist")
        if Path(url.database).is_dir():
            raise StoreError(f"{url.database} is a folder, not a SQLite database file; {_EXPECTED}")
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
            # FULL (the default) syncs the WAL at every commit; NORMAL only at checkpoints, so a commit
            # survives the application crashing but may be lost with the machine (never corrupting it).
            cursor.execute(f"PRAGMA synchronous = {synchronous.upper()}")
        cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.execute("PRAGMA cache_size = -16000")  # 16 MB of page cache instead of 2 MB
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
        # Instances replayed for validation, by name, with the rows they were replayed from: the next
        # append to the same instance checks the stored rows are still exactly those and skips the replay.
        self._replays: OrderedDict[str, _Replayed] = OrderedDict()
        self._lock = threading.Lock()
        self._read_only = "mode=ro" in str(engine.url)
        try:
            if self._read_only:
                with self._read() as conn:
                    _check_schema_read_only(conn, self.url)
            else:
                with self._write() as conn:
                    migrate(conn)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise _unopenable(engine.url, exc) from exc
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
        sqlite_synchronous: SqliteSynchronous = "full",
        create: bool = True,
    ) -> Store:
        """Open (creating and migrating as needed) the store at ``url``.

        ``url`` is a SQLAlchemy URL (``sqlite:///path.db``, ``postgresql+psycopg://user@host/db``) or a
        file path; without it ``$CIVICFLOW_DB`` (from ``environ``, default ``os.environ``) and then
        ``./civicflow.db``. ``templates`` finds an instance's template for validation and replay.
        ``sqlite_synchronous="normal"`` makes SQLite commits cheaper by syncing to disk at checkpoints
        only: a commit then survives the application crashing, not a power loss (see docs/store.md).
        ``create=False`` (to read a store) refuses a SQLite file that does not exist with
        :class:`~civicflow.errors.StoreNotFoundError` instead of creating an empty store there.
        """
        resolved = resolve_url(url, os.environ if environ is None else environ)
        if not create:
            _require_existing(resolved)
        return cls(_engine(resolved, sqlite_synchronous), templates=templates)

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
            if self._read_only and "readonly" in str(detail).replace("read-only", "readonly"):
                raise StoreError(
                    f"the store {self.url} is read-only (the file or its folder cannot be written): "
                    "status and history can read it; recording needs write access"
                ) from exc
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
        check_instance_text(template_id, template_version, template_source or template_id)
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
                raise InstanceExistsError(
                    Message(_("an instance named {name} is tracked already"), name=repr(name))
                ) from None
        return record

    def get(self, name: str) -> InstanceRecord:
        """The record of one instance; :class:`InstanceNotFoundError` if there is none."""
        with self._errors(), self._read() as conn:
            return self._get(conn, name)

    def records(self) -> list[InstanceRecord]:
        """Every tracked instance, by name."""
        with self._errors(), self._read() as conn:
            return [_record(row) for row in conn.execute(select(instances).order_by(instances.c.name))]

    def delete(self, name: str) -> None:
        """Stop tracking an instance and drop its history; :class:`InstanceNotFoundError` if there is none."""
        self._forget(name)
        with self._errors(), self._write() as conn:
            if conn.execute(instances.delete().where(instances.c.name == name)).rowcount == 0:
                raise self._not_found(conn, name)

    def _get(self, conn: Connection, name: str, *, lock: bool = False) -> InstanceRecord:
        query = select(instances).where(instances.c.name == name)
        row = conn.execute(query.with_for_update() if lock else query).one_or_none()
        if row is None:
            raise self._not_found(conn, name)
        return _record(row)

    def _not_found(self, conn: Connection, name: str) -> InstanceNotFoundError:
        from civicflow._suggest import closest

        # an error path: every name is read, so that the closest ones are found among thousands
        every = conn.execute(select(instances.c.name).order_by(instances.c.name)).scalars().all()
        close = closest(name, every)
        names = [*close, *(n for n in every[:10] if n not in close)][:10]
        known: Param = (
            (", ".join(names) + (", ..." if len(every) > len(names) else ""))
            if names
            else Message(_("none yet"))
        )
        if close:
            said = Message(
                _("no tracked instance named {name}; did you mean {close}? tracked: {known}"),
                name=repr(name),
                close=", ".join(close),
                known=known,
            )
        else:
            said = Message(
                _("no tracked instance named {name}; tracked: {known}"), name=repr(name), known=known
            )
        return InstanceNotFoundError(said, name=name)

    # -- histories -----------------------------------------------------------------------------------

    @staticmethod
    def _rows(conn: Connection, record: InstanceRecord) -> list[_Values]:
        # Only up to the version read: under READ COMMITTED a writer may commit between the two reads.
        query = (
            select(*_VALUE_COLUMNS)
            .where(events.c.instance == record.name, events.c.seq <= record.version)
            .order_by(events.c.seq)
        )
        return [tuple(row) for row in conn.execute(query)]

    def read(self, name: str) -> TrackedInstance:
        """An instance's record, facts and history, consistent with each other."""
        with self._errors(), self._read() as conn:
            record = self._get(conn, name)
            history, established = Rows().read(self._rows(conn, record))
            return TrackedInstance(record, established, history)

    def read_all(self) -> list[TrackedInstance]:
        """Every instance with its history, by name, in two queries (for status over many instances)."""
        with self._errors(), self._read() as conn:
            listed = conn.execute(select(*_RECORD_COLUMNS).order_by(instances.c.name)).all()
            query = select(events.c.instance, events.c.seq, *_VALUE_COLUMNS).order_by(
                events.c.instance, events.c.seq
            )
            rows = conn.execute(query).all()
        by_name = {name: list(group) for name, group in groupby(rows, key=itemgetter(0))}
        records = [
            InstanceRecord(name, template_id, version, source or template_id, start, count)
            for name, template_id, version, source, start, count in listed
        ]
        reader = Rows()
        out = []
        for record in records:
            group = by_name.get(record.name, ())
            # Only up to the version read (a writer may commit between the two queries).
            history, established = reader.read(row[2:] for row in group if row[1] <= record.version)
            out.append(TrackedInstance(record, established, history))
        return out

    def history(self, name: str) -> list[Event]:
        """The facts of an instance in the order they were recorded (corrections applied: see
        :attr:`TrackedInstance.history` for every row)."""
        return list(self.read(name).events)

    def template(self, record: InstanceRecord) -> ProcessTemplate:
        """The template of an instance (loaded once per store), checked to be the id and version it was
        created with."""
        return self.procedure(record).template

    def procedure(self, record: InstanceRecord, template: ProcessTemplate | None = None) -> Procedure:
        """The compiled procedure of an instance's template (cached per template id and version); pass
        ``template`` to use that template object instead of the resolver's."""
        from civicflow._procedure import compiled

        key = (record.template_id, record.template_version)
        with self._lock:
            cached = self._compiled.get(key)
        if cached is not None and (template is None or cached[0] is template):
            return cached[1]
        chosen = _check_template(record, self._templates(record) if template is None else template)
        procedure = compiled(chosen)
        with self._lock:
            self._compiled[key] = (chosen, procedure)
        return procedure

    def load(self, name: str, template: ProcessTemplate | None = None) -> ProcessInstance:
        """The instance rebuilt from its facts (``len(instance.history)`` is its version when nothing was
        corrected)."""
        tracked = self.read(name)
        return self._replay(tracked.record, tracked.events, template)

    def _replay(
        self, record: InstanceRecord, history: Sequence[Event], template: ProcessTemplate | None
    ) -> ProcessInstance:
        from civicflow.instance import ProcessInstance

        procedure = self.procedure(record, template)
        return ProcessInstance.from_events(
            procedure.template, start=record.start, events=history, name=record.name
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
                # Rare with the row lock (a writer that bypassed it): back off, with jitter, and retry.
                time.sleep(random.uniform(0, min(0.5, 0.002 * 2**attempt)))
        raise AssertionError("unreachable")  # pragma: no cover

    def _append(
        self,
        name: str,
        batch: list[Event],
        template: ProcessTemplate | None,
        expected: int | None,
        strict: bool,
    ) -> int:
        with self._lock:  # taken out of the cache: a replayed instance is never shared between writers
            cached = self._replays.pop(name, None)
        with self._errors(), self._write() as conn:
            # The instance row is locked for this transaction (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
            # BEGIN IMMEDIATE locks the whole file already): concurrent appends to one instance queue here
            # instead of racing to the version check, and each sees the history its predecessor wrote.
            record = self._get(conn, name, lock=True)
            if expected is not None and record.version != expected:
                raise _conflict(name, expected, record.version)
            rows = self._rows(conn, record)
            procedure = self.procedure(record, template)
            if (
                cached is None
                or cached.procedure is not procedure
                or cached.start != record.start
                or cached.rows != rows  # exactly the stored history, or replay it again
            ):
                cached = _Replayed(
                    procedure, record.start, rows, self._replay(record, _facts(rows), template)
                )
            instance = cached.instance
            # A refused event leaves the instance half-way through the batch: it is not cached again.
            accepted = [
                _values(
                    instance.record(
                        ev.step,
                        ev.event,
                        at=ev.at,
                        by=ev.by,
                        note=ev.note,
                        url=ev.url,
                        strict=strict,
                        timed=ev.timed,
                    )
                )
                for ev in batch
            ]
            if not accepted:
                self._remember(name, cached)
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
                    [_event_row(name, record.version + i, v) for i, v in enumerate(accepted, start=1)],
                )
            except IntegrityError as exc:  # another writer bypassed the version check
                raise _Raced(name, record.version, new_version) from exc
        # Committed: the replayed instance now matches the stored history again.
        cached.rows = rows + accepted
        self._remember(name, cached)
        return new_version

    # -- corrections ---------------------------------------------------------------------------------

    def amend(
        self,
        name: str,
        seq: int,
        *,
        step: str | None = None,
        event: EventType | str | None = None,
        at: dt.datetime | None = None,
        by: str | None = None,
        note: str | None = None,
        url: str | None = None,
        reason: str | None = None,
        expected_version: int | None = None,
        timed: bool = True,
    ) -> int:
        """Append an amendment of event ``seq``: the fact as it really was (what is not given stays as
        recorded), and why; returns the new version. Nothing is deleted: the history keeps both, the
        facts (and so every check) use the amended one. The corrected facts must still be a possible
        history (:class:`EventLogError` otherwise, nothing written). ``timed``: whether ``at`` (when
        given) has a time of day, or is the start of a day given alone."""

        def amended(target: HistoryEntry) -> tuple[Event, int | None, str | None]:
            assert target.event is not None
            old = target.event
            new = Event(
                step if step is not None else old.step,
                EventType(event) if event is not None else old.event,
                at if at is not None else old.at,
                by if by is not None else old.by,
                note if note is not None else old.note,
                url if url is not None else old.url,
                timed if at is not None else old.timed,
            )
            if new == old:
                raise StoreError(f"the amendment of event {seq} of {name!r} changes nothing")
            return new, seq, reason

        return self._correct(name, seq, amended, expected_version)

    def retract(
        self,
        name: str,
        seq: int,
        *,
        reason: str,
        at: dt.datetime,
        by: str | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Append a retraction of event ``seq`` (it did not happen), recorded at ``at`` with ``reason``;
        returns the new version. The history keeps both; the facts leave the retracted event out. The
        remaining facts must still be a possible history (:class:`EventLogError` otherwise)."""
        if not reason or not reason.strip():
            raise StoreError("a retraction needs a reason (what was wrong with the event)")

        def retraction(target: HistoryEntry) -> tuple[Event, int | None, str | None]:
            marker = Event(target.step, EventType.COMPLETE, at, by)
            return marker, seq, reason

        return self._correct(name, seq, retraction, expected_version, retract=True)

    def _correct(
        self,
        name: str,
        seq: int,
        make: Callable[[HistoryEntry], tuple[Event, int | None, str | None]],
        expected: int | None,
        *,
        retract: bool = False,
    ) -> int:
        self._forget(name)
        with self._errors(), self._write() as conn:
            record = self._get(conn, name)
            if expected is not None and record.version != expected:
                raise _conflict(name, expected, record.version)
            rows = self._rows(conn, record)
            history = _history(rows)
            target = check_target(history, seq, name)
            ev, corrects, reason = make(target)
            problem = None if reason is None else text_problem(reason, "the reason", MAX_LENGTHS["note"])
            if problem is not None:
                raise StoreError(f"{problem}; nothing was written")
            values = _values(ev, corrects, reason)
            if retract:
                values = (values[0], RETRACT, *values[2:])
            new_history = (*history, entry(record.version + 1, values))
            try:
                self._replay(record, facts(new_history), None)
            except EventLogError as exc:
                raise EventLogError(
                    exc.problems, f"instance {name!r} after correcting event {seq}; nothing was written"
                ) from None
            moved = conn.execute(
                instances.update()
                .where(instances.c.name == name, instances.c.version == record.version)
                .values(version=record.version + 1)
            ).rowcount
            if moved != 1:
                raise _conflict(name, record.version, record.version + 1)
            try:
                conn.execute(events.insert(), [_event_row(name, record.version + 1, values)])
            except IntegrityError as exc:
                raise _conflict(name, record.version, record.version + 1) from exc
        return record.version + 1

    def _remember(self, name: str, replayed: _Replayed) -> None:
        with self._lock:
            self._replays[name] = replayed
            self._replays.move_to_end(name)
            while len(self._replays) > _REPLAYS:
                self._replays.popitem(last=False)

    def _forget(self, name: str) -> None:
        with self._lock:
            self._replays.pop(name, None)

    # -- importing -----------------------------------------------------------------------------------

    def import_instances(
        self,
        new: Iterable[NewInstance],
        *,
        template: ProcessTemplate | None = None,
        strict: bool = False,
    ) -> list[InstanceRecord]:
        """Create many instances with their histories in one transaction (all or none); their records.

        Every history is validated before anything is written, each replayed once:

        * ``strict=False`` (the default, for logs of facts): like :meth:`ProcessInstance.from_events` and
          ``civicflow check``, the events are taken in the order they happened (by local day, the given
          order within a day) and must be possible in that order; legal periods are left to the compliance
          check. They are stored in that order. A history that is not possible raises
          :class:`EventLogError` naming the instance and listing every bad event.
        * ``strict=True``: like :meth:`record_many`, each event in the given order must be allowed when it
          comes, legal minimum periods included; the first refused one raises
          :class:`IllegalTransitionError` naming the instance and the event.

        A name that is taken (in the store, or twice in ``new``) raises :class:`InstanceExistsError` and
        writes nothing; a bad name raises :class:`StoreError`. ``template`` is used for every instance
        instead of the resolver's template (it must have each instance's template id and version).
        """
        items = list(new)
        seen: set[str] = set()
        for item in items:
            check_name(item.name)
            check_instance_text(
                item.template_id, item.template_version, item.template_source or item.template_id
            )
            for ev in item.events:
                check_event_text(ev, f"instance {item.name!r}: ")
            if item.name in seen:
                raise InstanceExistsError(f"instance {item.name!r} is given twice; nothing was imported")
            seen.add(item.name)
        instance_rows: list[dict[str, Any]] = []
        event_rows: list[dict[str, Any]] = []
        for item in items:
            history = self._validated(item, template, strict)
            instance_rows.append(
                {
                    "name": item.name,
                    "template_id": item.template_id,
                    "template_version": item.template_version,
                    "template_source": item.template_source or item.template_id,
                    "start_date": item.start,
                    "version": len(history),
                }
            )
            event_rows.extend(
                _event_row(item.name, seq, _values(ev)) for seq, ev in enumerate(history, start=1)
            )
        if not items:
            return []
        with self._errors():
            try:
                with self._write() as conn:
                    conn.execute(instances.insert(), instance_rows)
                    if event_rows:
                        conn.execute(events.insert(), event_rows)
            except IntegrityError:
                raise self._taken(list(seen)) from None
        return [item.record(row["version"]) for item, row in zip(items, instance_rows, strict=True)]

    def _validated(
        self, item: NewInstance, template: ProcessTemplate | None, strict: bool
    ) -> tuple[Event, ...]:
        from civicflow.instance import ProcessInstance
        from civicflow.instance._lifecycle import action_word

        record = item.record()
        procedure = self.procedure(record, template)
        if not strict:
            try:
                return self._replay(record, item.events, template).history
            except EventLogError as exc:
                raise EventLogError(exc.problems, f"instance {item.name!r}") from None
        instance = ProcessInstance(procedure.template, start=item.start, name=item.name)
        for k, ev in enumerate(item.events, start=1):
            try:
                instance.record(
                    ev.step,
                    ev.event,
                    at=ev.at,
                    by=ev.by,
                    note=ev.note,
                    url=ev.url,
                    strict=True,
                    timed=ev.timed,
                )
            except IllegalTransitionError as exc:
                which = Message(
                    _("instance {name}, event {n} ({what} on {at})"),
                    name=repr(item.name),
                    n=k,
                    what=Message(_("{action} {step}"), action=action_word(ev.event), step=ev.step),
                    at=ev.at.isoformat(),
                )
                why: Param = exc.reason if exc.reason is not None else str(exc)
                said = joined(which, ": ", why, "; ", Message(_("nothing was imported")))
                raise IllegalTransitionError(
                    str(said),
                    step=exc.step,
                    event=exc.event,
                    allowed=exc.allowed,
                    earliest=exc.earliest,
                    reason=said,
                ) from None
        return instance.history

    def _taken(self, names: list[str]) -> StoreError:
        """The error for an import that found names taken: which ones (read after the rollback)."""
        found: list[str] = []
        with self._read() as conn:
            for start in range(0, len(names), 500):
                chunk = names[start : start + 500]
                query = select(instances.c.name).where(instances.c.name.in_(chunk))
                found.extend(conn.execute(query).scalars())
        if not found:  # the other writer's instances are gone again
            return ConflictError(
                "another writer created and removed instances meanwhile; nothing was imported"
            )
        shown = ", ".join(repr(n) for n in sorted(found)[:10]) + (", ..." if len(found) > 10 else "")
        noun = "an instance" if len(found) == 1 else f"{len(found)} instances"
        return InstanceExistsError(f"{noun} named {shown} tracked already; nothing was imported")


def _check_schema_read_only(conn: Connection, url: str) -> None:
    found = current_version(conn)
    if found != SCHEMA_VERSION:
        raise StoreError(
            f"the store {url} is read-only and has schema version {found}, not {SCHEMA_VERSION}; "
            "open it once with write access so that civicflow can migrate it"
        )


class _Raced(ConflictError):
    """Another writer appended between our read and our update."""

    def __init__(self, name: str, expected: int, found: int) -> None:
        super().__init__(str(_conflict(name, expected, found)))


def _conflict(name: str, expected: int, found: int) -> ConflictError:
    return ConflictError(
        f"instance {name!r} changed: expected version {expected}, found {found}; reload and try again"
    )
