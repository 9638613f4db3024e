"""Many writers on one instance, without ``expected_version``: everything is recorded once, nothing is lost,
no ConflictError reaches a caller. On PostgreSQL (the CI starts a real server) and on SQLite.

Each writer completes its own 100 steps of one instance of an 800-step template, so every event is legal
in any order and all of them contend for the same instance row.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections import Counter
from pathlib import Path

import pytest

from civicflow.errors import ConflictError
from civicflow.events import Event, EventType
from civicflow.loader import load_template_file
from civicflow.store import Store
from test_store import START, at, db_url  # noqa: F401

WRITERS = 8
EVENTS = 100


def wide_template(folder: Path) -> Path:
    """A template of WRITERS x EVENTS independent steps, written to ``folder``."""
    steps = "\n".join(
        f"      - {{id: s{w}_{i}, kind: meeting, title: {{en: Step {w}.{i}}}}}"
        for w in range(WRITERS)
        for i in range(EVENTS)
    )
    text = (
        "civicflow: 1\nid: wide\nversion: '1'\nlanguage: en\ntitle: {en: Many independent steps}\n"
        "jurisdiction: {country: UA, timezone: Europe/Kyiv}\n"
        f"stages:\n  - id: all\n    title: {{en: All}}\n    steps:\n{steps}\n"
    )
    path = folder / "wide.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def check_history(store: Store) -> None:
    history = store.history("shared")
    assert store.get("shared").version == WRITERS * EVENTS
    steps = Counter(e.step for e in history)
    assert len(history) == WRITERS * EVENTS  # nothing lost
    assert set(steps.values()) == {1}  # nothing duplicated
    assert set(steps) == {f"s{w}_{i}" for w in range(WRITERS) for i in range(EVENTS)}
    for w in range(WRITERS):  # each writer's events in the order it recorded them
        mine = [int(e.step.split("_")[1]) for e in history if e.step.startswith(f"s{w}_")]
        assert mine == sorted(mine)


_WRITER = textwrap.dedent(
    """
    import sys, datetime as dt
    from civicflow.errors import ConflictError
    from civicflow.events import Event, EventType
    from civicflow.store import Store

    url, writer, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    when = dt.datetime(2025, 10, 7, 12, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    conflicts = 0
    with Store.open(url) as store:
        for i in range(count):
            try:
                store.record("shared", Event(f"s{writer}_{i}", EventType.COMPLETE, when))
            except ConflictError as exc:
                conflicts += 1
                print("conflict:", exc, file=sys.stderr)
    print(conflicts)
    """
)


def test_eight_writer_processes_record_everything(db_url: str, tmp_path: Path) -> None:  # noqa: F811
    template = load_template_file(wide_template(tmp_path))
    with Store.open(db_url) as store:
        store.create(
            "shared", template.id, template.version, START, template_source=str(tmp_path / "wide.yaml")
        )
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, db_url, str(w), str(EVENTS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WRITERS)
    ]
    for proc in writers:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert out.strip() == "0", err  # no ConflictError surfaced
    with Store.open(db_url) as store:
        check_history(store)


def test_eight_threads_sharing_one_store_record_everything(db_url: str, tmp_path: Path) -> None:  # noqa: F811
    path = wide_template(tmp_path)
    template = load_template_file(path)
    errors: list[BaseException] = []
    with Store.open(db_url) as store:
        store.create("shared", template.id, template.version, START, template_source=str(path))
        barrier = threading.Barrier(WRITERS)

        def work(writer: int) -> None:
            barrier.wait()
            for i in range(EVENTS):
                try:
                    store.record("shared", Event(f"s{writer}_{i}", EventType.COMPLETE, at(7)))
                except (ConflictError, Exception) as exc:
                    errors.append(exc)

        threads = [threading.Thread(target=work, args=(w,)) for w in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(600)
        assert errors == []
        check_history(store)


def test_a_real_conflict_names_the_versions(db_url: str, tmp_path: Path) -> None:  # noqa: F811
    path = wide_template(tmp_path)
    template = load_template_file(path)
    with Store.open(db_url) as store:
        store.create("shared", template.id, template.version, START, template_source=str(path))
        store.record("shared", Event("s0_0", EventType.COMPLETE, at(7)), expected_version=0)
        with pytest.raises(ConflictError, match=r"instance 'shared' changed: expected version 0, found 1"):
            store.record("shared", Event("s0_1", EventType.COMPLETE, at(7)), expected_version=0)
