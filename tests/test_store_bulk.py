"""Importing many instances at once, the replay cache of single appends and the SQLite sync setting.

The fixtures are those of test_store.py: a real SQLite file always, a PostgreSQL schema when
CIVICFLOW_TEST_PG_URL is set.
"""

# The fixtures are imported from test_store.py; test arguments named after them redefine the import.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import event

from civicflow.errors import (
    ConflictError,
    EventLogError,
    IllegalTransitionError,
    InstanceExistsError,
    StoreError,
)
from civicflow.events import Event, EventType
from civicflow.store import InstanceRecord, NewInstance, Store
from test_store import START, TEMPLATE, at, complete, db_url, fixed_template, store, tracked  # noqa: F401

GOOD = (complete("announce", 7), complete("collect", 17), complete("meet", 20))


def new(name: str, *events: Event, start: dt.date = START) -> NewInstance:
    """An instance of the demo template to import."""
    return NewInstance(name, TEMPLATE.id, TEMPLATE.version, start, events)


# -- import_instances --------------------------------------------------------------------------------


def test_import_creates_instances_with_their_histories(store: Store) -> None:
    """Imported instances get their events in order and the version equal to their count."""
    records = store.import_instances([new("b", *GOOD), new("a"), new("c", GOOD[0])])
    assert [(r.name, r.version) for r in records] == [("b", 3), ("a", 0), ("c", 1)]
    assert store.get("b") == records[0]
    assert store.history("b") == list(GOOD)
    assert [t.record.name for t in store.read_all()] == ["a", "b", "c"]
    assert store.record("b", complete("report", 21), expected_version=3) == 4
    assert store.import_instances([]) == []


def test_import_stores_events_in_the_order_they_happened(store: Store) -> None:
    """A log listed out of order is stored by local day (the given order within a day), as replayed."""
    store.import_instances([new("kir", GOOD[2], GOOD[0], GOOD[1])])
    assert store.history("kir") == list(GOOD)


def test_a_bad_event_in_the_middle_imports_nothing(store: Store) -> None:
    """One impossible history among many writes no instance at all; the error names instance and event."""
    batch = [new(f"ok-{i}", *GOOD) for i in range(5)]
    batch.insert(3, new("broken", GOOD[0], complete("meet", 8), GOOD[1]))
    with pytest.raises(EventLogError, match=r"instance 'broken'.*\n.*event 2 \(complete meet\)"):
        store.import_instances(batch)
    assert store.records() == []


def test_strict_import_checks_each_event_in_the_given_order(store: Store) -> None:
    """``strict=True`` checks each event when it comes, as `record_many` does; facts are sorted by day."""
    batch = [new("fine", *GOOD), new("backwards", GOOD[1], GOOD[0])]
    with pytest.raises(
        IllegalTransitionError, match=r"instance 'backwards', event 1 \(complete collect on 2025-10-17"
    ):
        store.import_instances(batch, strict=True)
    assert store.records() == []
    store.import_instances(batch)  # as facts, in the order they happened, they are possible
    assert store.history("backwards") == list(GOOD[:2])


def test_a_taken_name_imports_nothing(store: Store, tracked: InstanceRecord) -> None:
    """A name tracked already raises InstanceExistsError naming it, and nothing else is created."""
    with pytest.raises(InstanceExistsError, match=r"an instance named 'kir' tracked already; nothing"):
        store.import_instances([new("new-1", *GOOD), new("kir", GOOD[0]), new("new-2")])
    assert [r.name for r in store.records()] == ["kir"]
    assert store.history("kir") == []


@pytest.mark.parametrize(
    ("names", "error", "message"),
    [
        (["a", "b", "a"], InstanceExistsError, "instance 'a' is given twice"),
        (["a", " b"], StoreError, "instance name ' b' is empty or has spaces"),
        (["a", "x" * 201], StoreError, "201 characters long"),
    ],
    ids=["twice", "padded", "long"],
)
def test_bad_names_import_nothing(
    store: Store,
    names: list[str],
    error: type[Exception],
    message: str,
) -> None:
    """Names given twice or not allowed are refused before anything is written."""
    with pytest.raises(error, match=message):
        store.import_instances([new(n, GOOD[0]) for n in names])
    assert store.records() == []


def test_an_unknown_template_version_imports_nothing(store: Store) -> None:
    """An instance of another template version than the resolver gives is refused with StoreError."""
    other = NewInstance("x", TEMPLATE.id, "2", START, GOOD)
    with pytest.raises(StoreError, match="follows template 'store_demo' version '2'"):
        store.import_instances([new("a", *GOOD), other])
    assert store.records() == []


def test_concurrent_imports_of_the_same_name_one_wins(db_url: str, store: Store) -> None:
    """Two imports racing for a name: one commits everything, the other nothing and says why."""
    stores = [Store.open(db_url, templates=fixed_template) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def work(i: int) -> None:
        batch = [new(f"only-{i}-{k}", *GOOD) for k in range(50)] + [new("shared", GOOD[0])]
        barrier.wait()
        try:
            results[i] = len(stores[i].import_instances(batch))
        except InstanceExistsError as exc:
            results[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for opened in stores:
        opened.close()
    [winner] = [i for i, r in enumerate(results) if r == 51]
    [loser] = [r for r in results if isinstance(r, InstanceExistsError)]
    assert "'shared' tracked already" in str(loser)
    names = {r.name for r in store.records()}
    assert names == {f"only-{winner}-{k}" for k in range(50)} | {"shared"}


def test_a_failing_event_insert_rolls_back_the_instances(store: Store) -> None:
    """An error while inserting the events leaves none of the imported instances behind."""

    def explode(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO events"):
            raise RuntimeError("injected failure")

    event.listen(store.engine, "before_cursor_execute", explode)
    try:
        with pytest.raises(RuntimeError, match="injected failure"):
            store.import_instances([new("a", *GOOD), new("b", GOOD[0])])
    finally:
        event.remove(store.engine, "before_cursor_execute", explode)
    assert store.records() == []
    assert len(store.import_instances([new("a", *GOOD)])) == 1


# -- the replay cache of single appends ----------------------------------------------------------------


def test_appends_after_another_writer_replay_its_events(
    db_url: str,
    store: Store,
    tracked: InstanceRecord,
) -> None:
    """A store that appended before sees another writer's events when it validates the next one."""
    assert store.record("kir", GOOD[0]) == 1
    with Store.open(db_url, templates=fixed_template) as other:
        assert other.record("kir", GOOD[1]) == 2
    with pytest.raises(IllegalTransitionError, match="'collect' cannot be completed: it was already"):
        store.record("kir", complete("collect", 18))
    assert store.record("kir", GOOD[2], expected_version=2) == 3


def test_a_recreated_instance_is_replayed_again(db_url: str, store: Store) -> None:
    """Deleted and created again elsewhere with the same number of events: the new history is used."""
    store.import_instances([new("kir", GOOD[0])])
    assert store.record("kir", GOOD[1]) == 2
    with Store.open(db_url, templates=fixed_template) as other:
        other.delete("kir")
        other.import_instances([new("kir", GOOD[0], Event("collect", EventType.OPEN, at(8)))])
    # 'collect' is only open in the new history, so completing it is allowed now
    assert store.record("kir", complete("collect", 18), expected_version=2) == 3


def test_a_refused_event_does_not_spoil_the_next_append(store: Store, tracked: InstanceRecord) -> None:
    """After a batch refused half-way, the next append is validated against the stored history only."""
    store.record("kir", GOOD[0])
    with pytest.raises(IllegalTransitionError):
        store.record_many("kir", [GOOD[1], complete("collect", 18)])
    assert store.record("kir", GOOD[1], expected_version=1) == 2
    assert store.history("kir") == list(GOOD[:2])


def test_a_failed_commit_does_not_spoil_the_next_append(store: Store, tracked: InstanceRecord) -> None:
    """An append that fails after validation (here, on insert) is not remembered as recorded."""

    def explode(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO events"):
            raise RuntimeError("injected failure")

    store.record("kir", GOOD[0])
    event.listen(store.engine, "before_cursor_execute", explode)
    try:
        with pytest.raises(RuntimeError):
            store.record("kir", GOOD[1])
    finally:
        event.remove(store.engine, "before_cursor_execute", explode)
    assert store.record("kir", GOOD[1], expected_version=1) == 2


# -- SQLite's synchronous setting ---------------------------------------------------------------------


@pytest.mark.parametrize(("given", "pragma"), [(None, 2), ("full", 2), ("normal", 1)])
def test_sqlite_syncs_every_commit_unless_asked(tmp_path: Any, given: Any, pragma: int) -> None:
    """SQLite runs in WAL mode with synchronous=FULL unless ``sqlite_synchronous='normal'`` is passed."""
    options = {} if given is None else {"sqlite_synchronous": given}
    with Store.open(str(tmp_path / "s.db"), **options) as opened, opened.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == pragma
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    with pytest.raises(StoreError, match="use 'full' or 'normal'"):
        Store.open(str(tmp_path / "s.db"), sqlite_synchronous="off")  # type: ignore[arg-type]


def test_a_conflict_after_a_cached_append_is_reported(store: Store, tracked: InstanceRecord) -> None:
    """A stale expected version still conflicts when the store holds the replayed instance."""
    store.record("kir", GOOD[0], expected_version=0)
    with pytest.raises(ConflictError, match="expected version 0, found 1"):
        store.record("kir", GOOD[1], expected_version=0)
    assert store.history("kir") == [GOOD[0]]
