"""The durable instance store, on SQLite always and on PostgreSQL when CIVICFLOW_TEST_PG_URL is set.

No database is mocked: every test runs against a real SQLite file or a real PostgreSQL server (each test in
a schema of its own, dropped afterwards).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text

from civicflow.errors import (
    ConflictError,
    IllegalTransitionError,
    InstanceExistsError,
    InstanceNotFoundError,
    StoreError,
)
from civicflow.events import Event, EventType
from civicflow.loader import parse_template_text
from civicflow.store import SCHEMA_VERSION, InstanceRecord, Store, resolve_url
from civicflow.template import ProcessTemplate
from server_support import pg_schema

PG_ENV = "CIVICFLOW_TEST_PG_URL"

TEMPLATE_TEXT = """\
civicflow: 1
id: store_demo
version: "1"
language: en
title: {en: A small process for the store tests}
jurisdiction: {country: UA, timezone: Europe/Kyiv}
stages:
  - id: prepare
    title: {en: Prepare}
    steps:
      - id: announce
        kind: publication
        title: {en: Announce}
        timing: {type: rule, rule: within, of: "@start", duration: "3 working days"}
      - id: collect
        kind: public_discussion
        title: {en: Collect proposals}
        depends_on: [announce]
        timing: {type: duration, duration: "10 days"}
      - {id: meet, kind: meeting, title: {en: Meet}, depends_on: [collect]}
      - {id: report, kind: publication, title: {en: Report}, depends_on: [meet]}
"""
TEMPLATE: ProcessTemplate = parse_template_text(TEMPLATE_TEXT, "store_demo.yaml")
START = dt.date(2025, 10, 6)
KYIV = dt.timezone(dt.timedelta(hours=3))


def at(day: int, hour: int = 12) -> dt.datetime:
    """A Kyiv-time moment in October 2025."""
    return dt.datetime(2025, 10, day, hour, tzinfo=KYIV)


def complete(step: str, day: int, **extra: Any) -> Event:
    """A ``complete`` event of ``step`` on 2025-10-``day``."""
    return Event(step=step, event=EventType.COMPLETE, at=at(day), **extra)


def fixed_template(record: InstanceRecord) -> ProcessTemplate:
    """The template resolver of these tests: always the small demo template."""
    return TEMPLATE


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database: a fresh SQLite file, or a fresh schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    with pg_schema() as url:
        yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An opened store on an empty database, resolving every template to the demo template."""
    with Store.open(db_url, templates=fixed_template) as opened:
        yield opened


@pytest.fixture
def tracked(store: Store) -> InstanceRecord:
    """The instance ``kir`` created in the store, without events."""
    return store.create("kir", TEMPLATE.id, TEMPLATE.version, START)


# -- instances ---------------------------------------------------------------------------------------


def test_create_then_get_and_list(store: Store) -> None:
    """A created instance starts at version 0 and is listed by name."""
    made = store.create("b", TEMPLATE.id, TEMPLATE.version, START)
    store.create("a", TEMPLATE.id, TEMPLATE.version, START, template_source="/srv/t.yaml")
    assert made == InstanceRecord("b", "store_demo", "1", "store_demo", START, 0)
    assert store.get("b") == made
    assert [r.name for r in store.records()] == ["a", "b"]
    assert store.get("a").template_source == "/srv/t.yaml"


def test_create_twice_is_refused(store: Store, tracked: InstanceRecord) -> None:
    """A second instance with a taken name raises InstanceExistsError and changes nothing."""
    with pytest.raises(InstanceExistsError, match="'kir' is tracked already"):
        store.create("kir", TEMPLATE.id, TEMPLATE.version, dt.date(2026, 1, 1))
    assert store.get("kir").start == START


@pytest.mark.parametrize("name", ["", " kir", "a\nb", "x" * 201], ids=["empty", "space", "newline", "long"])
def test_bad_names_are_refused(store: Store, name: str) -> None:
    """Names that are empty, padded, contain control characters or are too long are refused."""
    with pytest.raises(StoreError, match="instance name"):
        store.create(name, TEMPLATE.id, TEMPLATE.version, START)


def test_unknown_instance_lists_known_names(store: Store, tracked: InstanceRecord) -> None:
    """Reading an unknown name raises InstanceNotFoundError naming the tracked instances."""
    with pytest.raises(
        InstanceNotFoundError, match=r"no tracked instance named 'kri'; did you mean kir\? tracked: kir$"
    ):
        store.history("kri")
    with pytest.raises(InstanceNotFoundError):
        store.record("kri", complete("announce", 7))


def test_delete_drops_the_history(store: Store, tracked: InstanceRecord) -> None:
    """Deleting an instance removes it and its events; deleting it again is an error."""
    store.record("kir", complete("announce", 7))
    store.delete("kir")
    assert store.records() == []
    with pytest.raises(InstanceNotFoundError):
        store.delete("kir")
    store.create("kir", TEMPLATE.id, TEMPLATE.version, START)
    assert store.history("kir") == []


# -- recording ---------------------------------------------------------------------------------------


def test_record_appends_and_history_round_trips(store: Store, tracked: InstanceRecord) -> None:
    """Each append bumps the version; the history comes back exactly, offsets and all."""
    first = Event(
        "announce", EventType.COMPLETE, at(7, 23), by="clerk", note="posted", url="https://example.org/a"
    )
    assert store.record("kir", first) == 1
    assert store.record("kir", Event("collect", EventType.OPEN, at(8)), expected_version=1) == 2
    history = store.history("kir")
    assert history == [first, Event("collect", EventType.OPEN, at(8))]
    assert history[0].at.utcoffset() == dt.timedelta(hours=3)
    assert history[0].at.date() == dt.date(2025, 10, 7)
    assert store.get("kir").version == 2


def test_load_replays_the_history(store: Store, tracked: InstanceRecord) -> None:
    """``load`` rebuilds the instance; its history length is the version to expect next."""
    store.record_many("kir", [complete("announce", 7), complete("collect", 17)])
    instance = store.load("kir")
    assert [e.step for e in instance.history] == ["announce", "collect"]
    assert store.record("kir", complete("meet", 20), expected_version=len(instance.history)) == 3


def test_an_illegal_event_writes_nothing(store: Store, tracked: InstanceRecord) -> None:
    """An event the instance refuses raises IllegalTransitionError before anything is written."""
    store.record("kir", complete("announce", 7))
    with pytest.raises(IllegalTransitionError):
        store.record("kir", complete("announce", 8))
    with pytest.raises(IllegalTransitionError):
        store.record("kir", complete("no_such_step", 8))
    assert store.get("kir").version == 1
    assert len(store.history("kir")) == 1


def test_record_many_is_all_or_nothing(store: Store, tracked: InstanceRecord) -> None:
    """A batch with one illegal event writes none of it."""
    with pytest.raises(IllegalTransitionError):
        store.record_many("kir", [complete("announce", 7), complete("collect", 17), complete("collect", 18)])
    assert store.history("kir") == []
    assert store.record_many("kir", []) == 0


def test_stale_expected_version_conflicts(store: Store, tracked: InstanceRecord) -> None:
    """Recording with a version that is no longer current raises ConflictError saying both versions."""
    store.record_many("kir", [complete("announce", 7), complete("collect", 17)])
    with pytest.raises(
        ConflictError,
        match=r"instance 'kir' changed: expected version 1, found 2; reload and try again",
    ):
        store.record("kir", complete("meet", 20), expected_version=1)
    assert len(store.history("kir")) == 2


def test_template_of_another_version_is_refused(db_url: str) -> None:
    """Replaying with a template whose id or version differs from the instance's raises StoreError."""
    newer = TEMPLATE.model_copy(update={"version": "2"})
    with Store.open(db_url, templates=lambda record: newer) as store:
        store.create("kir", TEMPLATE.id, TEMPLATE.version, START)
        with pytest.raises(StoreError, match="follows template 'store_demo' version '1', but"):
            store.record("kir", complete("announce", 7))
        assert store.load("kir", TEMPLATE).history == ()


def test_read_all_returns_every_history(store: Store) -> None:
    """``read_all`` gives each instance with its own events, by name."""
    for name, steps in {"c": ["announce"], "a": ["announce", "collect"], "b": []}.items():
        store.create(name, TEMPLATE.id, TEMPLATE.version, START)
        store.record_many(name, [complete(s, 7 + i) for i, s in enumerate(steps)])
    got = {t.record.name: ([e.step for e in t.events], t.record.version) for t in store.read_all()}
    assert got == {"a": (["announce", "collect"], 2), "b": ([], 0), "c": (["announce"], 1)}
    assert [t.record.name for t in store.read_all()] == ["a", "b", "c"]


# -- concurrency -------------------------------------------------------------------------------------


def _race(db_url: str, workers: int, attempt: Any) -> list[object]:
    """Run ``attempt(store)`` in ``workers`` threads, each with its own store (engine, connection)."""
    stores = [Store.open(db_url, templates=fixed_template) for _ in range(workers)]
    barrier = threading.Barrier(workers)
    results: list[object] = [None] * workers

    def work(i: int) -> None:
        barrier.wait()
        try:
            results[i] = attempt(stores[i])
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for opened in stores:
        opened.close()
    return results


def test_two_writers_same_version_one_wins(db_url: str, store: Store, tracked: InstanceRecord) -> None:
    """Writers that read the same version and record at once: one wins, the rest conflict, no duplicate."""
    store.record("kir", complete("announce", 7))
    for round_, step in enumerate(["collect", "meet", "report"], start=1):
        results = _race(
            db_url, 4, lambda s, step=step, v=round_: s.record("kir", complete(step, 20), expected_version=v)
        )
        wins = [r for r in results if r == round_ + 1]
        conflicts = [r for r in results if isinstance(r, ConflictError)]
        assert (len(wins), len(conflicts)) == (1, 3), results
        assert store.get("kir").version == round_ + 1
    assert [e.step for e in store.history("kir")] == ["announce", "collect", "meet", "report"]


def test_writers_without_version_are_validated_in_turn(
    db_url: str, store: Store, tracked: InstanceRecord
) -> None:
    """Without an expected version each writer is checked against the history as it finds it."""
    results = _race(db_url, 5, lambda s: s.record("kir", complete("announce", 7)))
    assert results.count(1) == 1, results
    assert sum(isinstance(r, IllegalTransitionError) for r in results) == 4, results
    assert [e.step for e in store.history("kir")] == ["announce"]


# PostgreSQL only: SQLite writers queue at BEGIN IMMEDIATE already, before they read anything.
@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_a_second_writer_waits_for_the_instance_row_then_conflicts_naming_the_versions(
    db_url: str, store: Store, tracked: InstanceRecord
) -> None:
    """An append locks the instance row (SELECT ... FOR UPDATE): a writer that comes while another is
    between its read and its update waits instead of racing, then sees the version the first one wrote."""
    slow = Store.open(db_url, templates=fixed_template)
    outcome: dict[str, object] = {}
    others: list[threading.Thread] = []

    def other_writer() -> None:
        try:
            outcome["other"] = store.record("kir", complete("announce", 7), expected_version=0)
        except Exception as exc:
            outcome["other"] = exc

    def sneak_in(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("UPDATE instances") and not others:
            others.append(threading.Thread(target=other_writer))
            others[0].start()
            others[0].join(1.0)
            outcome["waited"] = others[0].is_alive()  # blocked on the row lock, not racing ahead

    event.listen(slow.engine, "before_cursor_execute", sneak_in)
    try:
        assert slow.record("kir", Event("announce", EventType.OPEN, at(6)), expected_version=0) == 1
    finally:
        slow.close()
    others[0].join(30)
    assert outcome["waited"] is True
    assert isinstance(outcome["other"], ConflictError)
    assert "expected version 0, found 1" in str(outcome["other"])
    assert [(e.step, e.event) for e in store.history("kir")] == [("announce", EventType.OPEN)]


def test_failure_between_update_and_insert_rolls_back(store: Store, tracked: InstanceRecord) -> None:
    """An error after the version UPDATE but before the event INSERT leaves neither behind."""

    def explode(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO events"):
            raise RuntimeError("injected failure")

    event.listen(store.engine, "before_cursor_execute", explode)
    with pytest.raises(RuntimeError, match="injected failure"):
        store.record("kir", complete("announce", 7))
    event.remove(store.engine, "before_cursor_execute", explode)
    assert store.get("kir").version == 0
    assert store.history("kir") == []
    assert store.record("kir", complete("announce", 7), expected_version=0) == 1


def test_a_killed_writer_leaves_no_partial_record(db_url: str, store: Store, tracked: InstanceRecord) -> None:
    """A process that dies between the UPDATE and the INSERT leaves the instance as it was."""
    script = textwrap.dedent(
        f"""
        import datetime as dt, os, sys
        from sqlalchemy import event
        from civicflow.events import Event, EventType
        from civicflow.store import Store
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_store import fixed_template

        store = Store.open({db_url!r}, templates=fixed_template)

        def die(conn, cursor, statement, *args):
            if statement.startswith("INSERT INTO events"):
                os._exit(9)

        event.listen(store.engine, "before_cursor_execute", die)
        at = dt.datetime(2025, 10, 7, 12, tzinfo=dt.timezone(dt.timedelta(hours=3)))
        store.record("kir", Event("announce", EventType.COMPLETE, at))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    assert store.get("kir").version == 0
    assert store.history("kir") == []
    assert store.record("kir", complete("announce", 7), expected_version=0) == 1


# -- migrations --------------------------------------------------------------------------------------

V1_SCHEMA = [
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "INSERT INTO schema_version (version) VALUES (1)",
    """CREATE TABLE instances (
        name VARCHAR(200) NOT NULL PRIMARY KEY,
        template_id VARCHAR(200) NOT NULL,
        template_version VARCHAR(100) NOT NULL,
        start_date DATE NOT NULL,
        version INTEGER NOT NULL
    )""",
    """CREATE TABLE events (
        instance VARCHAR(200) NOT NULL,
        seq INTEGER NOT NULL,
        step VARCHAR(200) NOT NULL,
        kind VARCHAR(20) NOT NULL,
        occurred_at VARCHAR(64) NOT NULL,
        recorded_by VARCHAR(200),
        note TEXT,
        CONSTRAINT events_pkey PRIMARY KEY (instance, seq),
        CONSTRAINT events_instance_fkey FOREIGN KEY (instance) REFERENCES instances (name) ON DELETE CASCADE
    )""",
    "INSERT INTO instances VALUES ('old', 'store_demo', '1', '2025-10-06', 1)",
    "INSERT INTO events VALUES "
    "('old', 1, 'announce', 'complete', '2025-10-07T12:00:00+03:00', 'clerk', 'v1')",
]


def test_a_v1_database_is_migrated(db_url: str) -> None:
    """A database written by schema v1 opens, migrates to the current version and keeps its history."""
    engine = create_engine(db_url)
    with engine.begin() as conn:
        for statement in V1_SCHEMA:
            conn.execute(text(statement))
    with Store.open(db_url, templates=fixed_template) as store:
        record = store.get("old")
        assert record.template_source == "store_demo"
        assert store.history("old") == [complete("announce", 7, by="clerk", note="v1")]
        assert (
            store.record("old", complete("collect", 17, url="https://example.org/c"), expected_version=1) == 2
        )
        assert store.history("old")[1].url == "https://example.org/c"
    with Store.open(db_url, templates=fixed_template) as again:  # opening again changes nothing
        assert len(again.history("old")) == 2
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version FROM schema_version")).scalars().all() == [SCHEMA_VERSION]
    engine.dispose()


def test_a_day_recorded_without_a_time_is_kept_as_a_day(db_url: str) -> None:
    """An event recorded as a day alone comes back as that day, not as midnight: through the store's
    rows (SQLite and PostgreSQL), reading one instance or all, a new store on the same database, an
    amendment and the JSON of the history; one with a time keeps it. The days checked are the same."""
    day_only = Event("announce", EventType.COMPLETE, dt.datetime(2025, 10, 7, tzinfo=KYIV), timed=False)
    at_midnight = Event("collect", EventType.OPEN, dt.datetime(2025, 10, 8, tzinfo=KYIV))  # 00:00 given
    with Store.open(db_url, templates=fixed_template) as store:
        store.create("kir", TEMPLATE.id, TEMPLATE.version, START)
        store.record("kir", day_only)
        store.record("kir", at_midnight)
        assert [e.timed for e in store.history("kir")] == [False, True]
    with Store.open(db_url, templates=fixed_template) as store:
        for read in (store.read("kir"), store.read_all()[0]):
            assert read.events == (day_only, at_midnight)
            assert [e.shown() for e in read.events] == ["2025-10-07", "2025-10-08 00:00"]
            assert [h.to_dict()["date"] for h in read.history] == ["2025-10-07", "2025-10-08T00:00:00+03:00"]
        assert store.load("kir").history[0].timed is False
        # an amendment of the note keeps the day as recorded; one with a new time has that time
        store.amend("kir", 1, note="on the website", reason="the note was missing")
        assert store.read("kir").events[0] == Event(
            "announce", EventType.COMPLETE, day_only.at, note="on the website", timed=False
        )
        store.amend("kir", 1, at=at(7, 15), reason="the time is known")
        assert store.read("kir").events[0].shown() == "2025-10-07 15:00"
    engine = create_engine(db_url)
    with engine.connect() as conn:
        flags = conn.execute(text("SELECT day_only FROM events ORDER BY seq")).scalars().all()
    engine.dispose()
    assert flags == [1, None, 1, None]


def test_rows_written_before_the_day_only_column_read_as_before(db_url: str) -> None:
    """A database written before the day_only column (v1 here) migrates; its events, midnight ones too,
    read as before: with their times."""
    engine = create_engine(db_url)
    with engine.begin() as conn:
        for statement in V1_SCHEMA:
            conn.execute(text(statement.replace("2025-10-07T12:00:00+03:00", "2025-10-07T00:00:00+03:00")))
    engine.dispose()
    with Store.open(db_url, templates=fixed_template) as store:
        (old,) = store.history("old")
        assert old == Event("announce", EventType.COMPLETE, at(7, 0), by="clerk", note="v1")
        assert old.timed
        assert old.shown() == "2025-10-07 00:00"


def test_summaries_made_by_an_earlier_version_are_made_again(db_url: str) -> None:
    """Status summaries are a cache of verdicts: the migration to v6 drops those an earlier civicflow
    made (they could hold verdicts this version no longer gives) and keeps everything else."""
    with Store.open(db_url, templates=fixed_template) as store:
        store.create("kir", TEMPLATE.id, TEMPLATE.version, START)
        store.record("kir", complete("announce", 7))
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO status_summaries (instance, version, computed_for, summary, due) "
                "VALUES ('kir', 1, '2025-10-08', '{}', '[]')"
            )
        )
        conn.execute(text("UPDATE schema_version SET version = 5"))
    engine.dispose()
    with Store.open(db_url, templates=fixed_template) as store:
        assert len(store.history("kir")) == 1
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM status_summaries")).scalar_one() == 0
        assert max(conn.execute(text("SELECT version FROM schema_version")).scalars()) == SCHEMA_VERSION == 6
    engine.dispose()


def test_a_newer_schema_is_refused(db_url: str) -> None:
    """A database from a newer civicflow is not touched; the error says to upgrade."""
    Store.open(db_url).close()
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE schema_version SET version = 99"))
    engine.dispose()
    with pytest.raises(StoreError, match=r"schema version 99, newer than .* upgrade civicflow"):
        Store.open(db_url)


def test_concurrent_opens_of_a_fresh_database_migrate_once(db_url: str) -> None:
    """Several processes' first opens at once create the schema exactly once."""
    results = _race(db_url, 4, lambda s: s.records())
    assert results == [[]] * 4


# -- where the store is ------------------------------------------------------------------------------


def test_resolve_url_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No URL means $CIVICFLOW_DB, then ./civicflow.db; paths become SQLite URLs; postgres:// uses psycopg."""
    monkeypatch.chdir(tmp_path)
    assert resolve_url(None, {}) == f"sqlite:///{tmp_path / 'civicflow.db'}"
    assert resolve_url(None, {"CIVICFLOW_DB": "x/s.db"}) == f"sqlite:///{tmp_path / 'x' / 's.db'}"
    assert resolve_url("sqlite:///a.db", {"CIVICFLOW_DB": "b.db"}) == "sqlite:///a.db"
    assert resolve_url("postgres://u@h/d", {}) == "postgresql+psycopg://u@h/d"
    assert resolve_url(None, {"CIVICFLOW_DB": "postgresql://u@h/d"}) == "postgresql+psycopg://u@h/d"


def test_open_uses_the_environment(tmp_path: Path) -> None:
    """``Store.open()`` without a URL creates the file named by $CIVICFLOW_DB."""
    path = tmp_path / "env.db"
    with Store.open(environ={"CIVICFLOW_DB": str(path)}) as store:
        assert store.url == f"sqlite:///{path}"
    assert path.is_file()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql+nosuchdriver://h/d", "no SQLAlchemy dialect"),
        ("sqlite:////no/such/folder/x.db", "folder /no/such/folder does not exist"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2", "store postgresql"),
    ],
    ids=["dialect", "folder", "unreachable"],
)
def test_unusable_urls_raise_store_error(url: str, message: str) -> None:
    """A URL that cannot be used raises StoreError with the reason, never a SQLAlchemy error."""
    with pytest.raises(StoreError, match=message):
        Store.open(url)


def test_a_file_that_is_not_a_database_says_what_the_store_should_be(tmp_path: Path) -> None:
    """A text file as the store raises StoreError naming the file and what a store is, and leaves it as is."""
    notes = tmp_path / "README.md"
    notes.write_text("# not a database\n" * 20, encoding="utf-8")
    with pytest.raises(StoreError) as info:
        Store.open(str(notes))
    message = str(info.value)
    assert message.startswith(f"{notes} is not a SQLite database (file is not a database); ")
    assert "a SQLite file path" in message
    assert "postgresql+psycopg://user:pass@host/db" in message
    assert notes.read_text(encoding="utf-8") == "# not a database\n" * 20
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]


def test_a_folder_as_the_store_says_what_the_store_should_be(tmp_path: Path) -> None:
    """A folder as the store raises StoreError naming it, saying a file path or URL is expected."""
    with pytest.raises(StoreError) as info:
        Store.open(str(tmp_path))
    message = str(info.value)
    assert message.startswith(f"{tmp_path} is a folder, not a SQLite database file; ")
    assert "postgresql+psycopg://user:pass@host/db" in message
