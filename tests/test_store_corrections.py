"""Corrections are events: amending or retracting an event appends to the history, never deletes.

The fixtures are those of test_store.py: a real SQLite file always, a PostgreSQL schema when
CIVICFLOW_TEST_PG_URL is set.
"""

# The fixtures are imported from test_store.py; test arguments named after them redefine the import.
# ruff: noqa: F811

from __future__ import annotations

import json
from pathlib import Path

import pytest

from civicflow.cli import main
from civicflow.compliance import status
from civicflow.errors import EventLogError, StoreError
from civicflow.events import Event, EventType
from civicflow.store import InstanceRecord, Store
from test_store import START, TEMPLATE, at, complete, db_url, fixed_template, store, tracked  # noqa: F401


def test_amend_keeps_both_and_facts_use_the_amendment(store: Store, tracked: InstanceRecord) -> None:
    """An amended date: the history has the original and the amendment, the facts only the amended one,
    and status checks the amended day."""
    store.record("kir", complete("announce", 13))  # 13 Oct: after the 3-working-day deadline (9 Oct)
    late = status((TEMPLATE, store.read("kir").events, tracked.start), as_of=at(20).date())
    assert not late.report.ok
    assert store.amend("kir", 1, at=at(8), reason="published on the 8th; the 13th was the archive copy") == 2
    read = store.read("kir")
    assert read.record.version == 2
    assert [h.action for h in read.history] == ["record", "amend"]
    assert read.history[0].event == complete("announce", 13)
    assert read.history[1].corrects == 1
    assert read.history[1].reason == "published on the 8th; the 13th was the archive copy"
    assert read.events == (complete("announce", 8),)
    assert store.history("kir") == [complete("announce", 8)]
    fixed = status((TEMPLATE, read.events, tracked.start), as_of=at(20).date())
    assert fixed.report.ok
    assert store.load("kir").history == (complete("announce", 8),)


def test_a_second_amendment_builds_on_the_first(store: Store, tracked: InstanceRecord) -> None:
    """What an amendment does not give stays as the event stands, amended before or not."""
    store.record("kir", complete("announce", 7, by="clerk"))
    store.amend("kir", 1, note="on the website")
    store.amend("kir", 1, at=at(8))
    assert store.read("kir").events == (complete("announce", 8, by="clerk", note="on the website"),)


def test_retract_leaves_the_event_out_of_the_facts(store: Store, tracked: InstanceRecord) -> None:
    """A retracted event stays in the history, with the reason, and is gone from the facts."""
    store.record("kir", complete("announce", 7))
    store.record("kir", Event("collect", EventType.OPEN, at(8)))
    assert store.retract("kir", 2, reason="opened by mistake", at=at(9)) == 3
    read = store.read("kir")
    assert read.events == (complete("announce", 7),)
    assert [(h.seq, h.action, h.corrects) for h in read.history] == [
        (1, "record", None),
        (2, "record", None),
        (3, "retract", 2),
    ]
    assert read.history[2].reason == "opened by mistake"
    # the step can be opened again, as if the retracted event had never happened
    assert store.record("kir", Event("collect", EventType.OPEN, at(10))) == 4
    assert [t.events for t in store.read_all()] == [store.read("kir").events]


def test_a_correction_that_makes_the_history_impossible_writes_nothing(
    store: Store, tracked: InstanceRecord
) -> None:
    """Retracting an event a later one depends on is refused, naming the instance; nothing is written."""
    store.record("kir", complete("announce", 7))
    store.record("kir", Event("collect", EventType.OPEN, at(8)))
    with pytest.raises(EventLogError, match="after correcting event 1"):
        store.retract("kir", 1, reason="never published", at=at(9))
    assert store.get("kir").version == 2


@pytest.mark.parametrize(
    ("seq", "message"),
    [(5, "has no event 5"), (3, "is itself a correction"), (2, "retracted already")],
)
def test_what_cannot_be_corrected(store: Store, tracked: InstanceRecord, seq: int, message: str) -> None:
    store.record("kir", complete("announce", 7))
    store.record("kir", Event("collect", EventType.OPEN, at(8)))
    store.retract("kir", 2, reason="by mistake", at=at(9))
    with pytest.raises(StoreError, match=message):
        store.amend("kir", seq, note="x")
    with pytest.raises(StoreError, match="changes nothing"):
        store.amend("kir", 1, at=at(7))
    with pytest.raises(StoreError, match="needs a reason"):
        store.retract("kir", 1, reason=" ", at=at(9))
    with pytest.raises(StoreError, match="the reason contains a NUL character"):
        store.retract("kir", 1, reason="bad\x00", at=at(9))


def test_corrections_respect_the_expected_version(store: Store, tracked: InstanceRecord) -> None:
    from civicflow.errors import ConflictError

    store.record("kir", complete("announce", 7))
    with pytest.raises(ConflictError):
        store.amend("kir", 1, at=at(8), expected_version=0)
    assert store.amend("kir", 1, at=at(8), expected_version=1) == 2


def test_cli_amend_retract_and_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`track amend` and `track retract` append; `track history` shows both and marks what was corrected;
    `track status` and `due --db` use the corrected facts."""
    db = str(tmp_path / "t.db")

    def run(*argv: str) -> int:
        return main(["track", *argv, "--db", db])

    assert run("new", "drohobych_kir", "--name", "kir", "--start", "2025-10-06") == 0
    assert run("record", "kir", "meeting_1", "--date", "2025-10-09") == 0
    assert run("record", "kir", "publication_1", "--date", "2025-10-16") == 0
    assert run("record", "kir", "state_regional_interests", "--event", "open", "--date", "2025-10-10") == 0
    assert main(["due", "--db", db, "--as-of", "2025-10-20"]) == 0  # publication_1 done (late): not due
    assert run("status", "--as-of", "2025-10-20") == 1  # published two working days late
    capsys.readouterr()
    assert run("amend", "kir", "2", "--date", "13.10.2025", "--reason", "the 16th was the archive copy") == 0
    assert run("retract", "kir", "3", "--reason", "opened for another process") == 0
    assert "event 3 retracted by event 5 (version 5)" in capsys.readouterr().out
    assert run("status", "--as-of", "2025-10-20") == 0  # the amended day meets the deadline
    capsys.readouterr()
    assert run("history", "kir") == 0
    out = capsys.readouterr().out
    assert "     amended by #4" in out
    assert "     retracted by #5" in out
    assert "complete (amends #2)" in out
    assert "     retracts #3: opened for another process" in out
    assert run("history", "kir", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [e["seq"] for e in data["history"]] == [1, 2, 3, 4, 5]
    assert [(f["step"], f["date"][:10]) for f in data["events"]] == [
        ("meeting_1", "2025-10-09"),
        ("publication_1", "2025-10-13"),
    ]
    # the JSON history is an event log of the corrected facts: `check` reads it back
    log = tmp_path / "kir.json"
    log.write_text(json.dumps(data), encoding="utf-8")
    assert main(["check", str(log), "--as-of", "2025-10-20", "--format", "json"]) == 0
    capsys.readouterr()
    assert run("retract", "kir", "3", "--reason", "again") == 2
    assert "retracted already" in capsys.readouterr().err


def test_store_fixture_resolver_is_the_demo_template() -> None:
    """The fixtures above check the demo template (the deadline of 'announce' is 9 October)."""
    assert fixed_template(InstanceRecord("x", "store_demo", "1", "store_demo", at(6).date(), 0)) is TEMPLATE


def test_histories_read_together_are_those_built_row_by_row(
    store: Store, tracked: InstanceRecord, db_url: str
) -> None:
    """``read_all`` shares equal rows between instances and parses each time once: every history and
    its facts are still those :func:`entry` and :func:`facts` build from the stored rows one by one,
    amended and retracted events included, and what ``read`` gives for the instance alone."""
    from sqlalchemy import create_engine, text

    from civicflow.store._corrections import entry, facts

    for name in ("kir-a", "kir-b", "kir-c"):
        store.create(name, TEMPLATE.id, TEMPLATE.version, START)
    for name in ("kir", "kir-a", "kir-b", "kir-c"):  # the same first rows in every history
        store.record(name, complete("announce", 7, by="clerk"))
        store.record(name, Event("collect", EventType.OPEN, at(8), note="on the website"))
    store.amend("kir-a", 1, at=at(6), reason="the 7th was the archive copy")
    store.retract("kir-b", 2, reason="opened by mistake", at=at(9))
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(
                text(
                    "SELECT instance, step, kind, occurred_at, recorded_by, note, url, corrects, reason, "
                    "day_only FROM events ORDER BY instance, seq"
                )
            ).all()
    finally:
        engine.dispose()
    together = {t.record.name: t for t in store.read_all()}
    assert sorted(together) == ["kir", "kir-a", "kir-b", "kir-c"]
    for name, read in together.items():
        rows = [tuple(row[1:]) for row in stored if row[0] == name]
        built = tuple(entry(seq, values) for seq, values in enumerate(rows, start=1))
        assert read.history == built
        assert read.events == facts(built)
        assert read == store.read(name)
    assert together["kir-a"].events == (
        complete("announce", 6, by="clerk"),
        Event("collect", EventType.OPEN, at(8), note="on the website"),
    )
    assert together["kir-b"].events == (complete("announce", 7, by="clerk"),)
    assert [h.action for h in together["kir-b"].history] == ["record", "record", "retract"]
    assert together["kir"].events == together["kir-c"].events


def test_a_row_the_store_would_not_write_is_refused_as_entry_refuses_it() -> None:
    """The shared reader trusts only what the store writes: a time without offset or an unknown kind
    goes through :func:`entry` and raises as it does."""
    from civicflow.store._corrections import Rows, entry

    naive = ("announce", "complete", "2025-10-07T12:00:00", None, None, None, None, None, None)
    with pytest.raises(ValueError, match="timezone-aware") as expected:
        entry(1, naive)
    with pytest.raises(ValueError, match="timezone-aware") as got:
        Rows().read([naive])
    assert str(got.value) == str(expected.value)
    unknown = ("announce", "published", "2025-10-07T12:00:00+03:00", None, None, None, None, None, None)
    with pytest.raises(KeyError):
        entry(1, unknown)
    with pytest.raises(KeyError):
        Rows().read([unknown])
    aware = ("announce", "complete", "2025-10-07T12:00:00+03:00", None, None, None, None, None, None)
    reader = Rows()
    assert reader.read([aware]) == ((entry(1, aware),), (entry(1, aware).event,))
