"""The store refuses the same values on every backend before writing, survives a moved template and reads a
read-only SQLite file; lint refuses a time zone the tz database does not know."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from civicflow import TemplateError
from civicflow.cli import main
from civicflow.errors import StoreError
from civicflow.events import Event, EventType
from civicflow.loader import bundled_dir, parse_template_text
from civicflow.store import MAX_LENGTHS, NewInstance, Store
from test_store import START, TEMPLATE, at, db_url, fixed_template, store, tracked  # noqa: F401

BUNDLED = bundled_dir()
assert BUNDLED is not None


def event(**text: str) -> Event:
    return Event("announce", EventType.COMPLETE, at(7), **text)


BAD_VALUES = [
    ({"by": "x" * (MAX_LENGTHS["by"] + 1)}, "the event's by is 201 characters long; at most 200"),
    ({"url": "https://e.org/" + "x" * MAX_LENGTHS["url"]}, "the event's url is 2,014 characters long"),
    ({"note": "n" * (MAX_LENGTHS["note"] + 1)}, "the event's note is 10,001 characters long"),
    ({"note": "a\x00b"}, "the event's note contains a NUL character"),
    ({"by": "clerk\x00"}, "the event's by contains a NUL character"),
    ({"note": "caf\udce9"}, "the event's note contains '\\udce9' at character 4"),
    ({"url": "https://e.org/\ud800"}, "lone surrogate"),
]


@pytest.mark.parametrize(("text", "message"), BAD_VALUES)
def test_both_backends_refuse_the_same_event_text_before_writing(
    store: Store,  # noqa: F811
    tracked: Any,  # noqa: F811
    text: dict[str, str],
    message: str,
) -> None:
    with pytest.raises(StoreError, match=message.replace("(", r"\(").replace("\\u", "\\\\u")):
        store.record("kir", event(**text))
    assert store.get("kir").version == 0
    assert store.history("kir") == []


@pytest.mark.parametrize(("text", "message"), BAD_VALUES)
def test_import_instances_checks_the_same_values_before_writing(
    store: Store,  # noqa: F811
    text: dict[str, str],
    message: str,
) -> None:
    good = NewInstance("good", TEMPLATE.id, TEMPLATE.version, START, (event(),))
    bad = NewInstance("bad", TEMPLATE.id, TEMPLATE.version, START, (event(**text),))
    with pytest.raises(StoreError, match=r"instance 'bad': .*nothing was written"):
        store.import_instances([good, bad])
    assert store.records() == []


def test_values_at_the_limits_are_stored_alike(store: Store, tracked: Any) -> None:  # noqa: F811
    url = "https://example.org/" + "u" * (MAX_LENGTHS["url"] - len("https://example.org/"))
    longest = event(by="b" * MAX_LENGTHS["by"], note="n" * MAX_LENGTHS["note"], url=url)
    assert store.record("kir", longest) == 1
    assert store.history("kir") == [longest]


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "minutes no. 5", "https://"],
)
def test_an_evidence_url_must_be_a_web_address(store: Store, tracked: Any, url: str) -> None:  # noqa: F811
    with pytest.raises(StoreError, match="is not a web address; give one that starts with https://"):
        store.record("kir", event(url=url))
    assert store.history("kir") == []
    assert store.record("kir", event(url="HTTP://Example.org/minutes?id=5")) == 1


@pytest.mark.parametrize("name", ["a\x00b", "x\udcff", "tab\tname"])
def test_instance_names_that_no_backend_stores_alike_are_refused(store: Store, name: str) -> None:  # noqa: F811
    with pytest.raises(StoreError, match="instance name"):
        store.create(name, TEMPLATE.id, TEMPLATE.version, START)
    assert store.records() == []


def test_track_record_and_import_refuse_what_a_backend_cannot_store(
    db_url: str,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = db_url
    assert main(["track", "new", "drohobych_kir", "--name", "a", "--start", "2025-10-06", "--db", db]) == 0
    code = main(["track", "record", "a", "meeting_1", "--date", "2025-10-08", "--note", "a\x00b", "--db", db])
    assert code == 2
    assert "NUL character" in capsys.readouterr().err
    log = tmp_path / "kir.json"
    log.write_text(
        '[{"step": "meeting_1", "date": "2025-10-08", "by": "' + "b" * 201 + '"}]', encoding="utf-8"
    )
    code = main(
        ["track", "import", str(log), "--template", "drohobych_kir", "--start", "2025-10-06", "--db", db]
    )
    assert code == 2
    assert "the event's by is 201 characters long; at most 200 are allowed" in capsys.readouterr().err
    assert main(["track", "history", "a", "--db", db, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["events"] == []  # nothing was written
    assert main(["track", "status", "--db", db, "--format", "json", "--as-of", "2025-10-07"]) == 0
    names = [row["name"] for row in json.loads(capsys.readouterr().out)["instances"]]
    assert names == ["a"]  # the import wrote no instance either


# -- a template that moved ---------------------------------------------------------------------------------


def test_a_moved_template_breaks_only_its_own_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        (BUNDLED / "drohobych_kir.yaml")
        .read_text(encoding="utf-8")
        .replace("id: drohobych_kir", "id: my_kir", 1)
    )
    mine = tmp_path / "my_kir.yaml"
    mine.write_text(text, encoding="utf-8")
    db = str(tmp_path / "t.db")
    assert main(["track", "new", str(mine), "--name", "moved", "--start", "2025-10-06", "--db", db]) == 0
    assert (
        main(["track", "new", "drohobych_kir", "--name", "other", "--start", "2025-10-06", "--db", db]) == 0
    )
    mine.rename(tmp_path / "elsewhere.yaml")
    capsys.readouterr()
    assert main(["--color", "never", "track", "status", "--as-of", "2025-10-07", "--db", db]) == 2
    out = capsys.readouterr().out
    assert "other " in out  # the other instance is reported
    assert "cannot check (the template cannot be loaded):" in out
    assert f"moved: template {mine}: " in out
    assert "no such file" in out
    assert main(["track", "status", "--as-of", "2025-10-07", "--db", db, "--format", "json"]) == 2
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)["instances"]}
    assert "no such file" in rows["moved"]["error"]
    assert rows["other"]["worst"] in {"on_track", "not_started", "due_soon"}


# -- a read-only SQLite file ---------------------------------------------------------------------------------


def _read_only(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make ``folder`` and what is in it look read-only to civicflow (the tests may run as root, who can
    write anything): os.access answers as it would for another user."""
    real = os.access

    def access(path: Any, mode: int, **kwargs: Any) -> bool:
        if mode & os.W_OK and Path(path).resolve().is_relative_to(folder.resolve()):
            return False
        return real(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)


def test_status_and_history_read_a_read_only_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = str(folder / "t.db")
    assert main(["track", "new", "drohobych_kir", "--name", "a", "--start", "2025-10-06", "--db", db]) == 0
    assert main(["track", "record", "a", "meeting_1", "--date", "2025-10-08", "--db", db]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["t.db"]  # the write-ahead log is checkpointed away
    before = (folder / "t.db").read_bytes()
    _read_only(monkeypatch, folder)
    capsys.readouterr()
    assert main(["track", "status", "--as-of", "2025-10-09", "--db", db]) == 0
    assert main(["track", "history", "a", "--db", db, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"step": "meeting_1"' in out
    code = main(["track", "record", "a", "publication_1", "--date", "2025-10-09", "--db", db])
    assert code == 2
    assert "is read-only" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["t.db"]  # nothing created beside it
    assert (folder / "t.db").read_bytes() == before  # nothing written


def test_a_read_only_store_with_an_old_schema_says_to_open_it_writable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "t.db"
    with Store.open(str(path), templates=fixed_template) as opened:
        opened.engine.dispose()
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = 1")
    conn.close()
    shutil.copy(path, folder / "copy.db")
    _read_only(monkeypatch, folder)
    with pytest.raises(StoreError, match="read-only and has schema version 1"):
        Store.open(str(folder / "copy.db"))


# -- time zones ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("zone", "hint"), [("Mars/Olympus", ""), ("Europe/Kyv", "did you mean Europe/Kyiv")])
def test_lint_refuses_a_time_zone_not_in_the_tz_database(zone: str, hint: str) -> None:
    text = (
        (BUNDLED / "drohobych_kir.yaml")
        .read_text(encoding="utf-8")
        .replace("timezone: Europe/Kyiv", f"timezone: {zone}", 1)
    )
    with pytest.raises(TemplateError) as caught:
        parse_template_text(text, "tz.yaml")
    (problem,) = caught.value.problems
    assert problem.dotted_path == "jurisdiction.timezone"
    assert f"{zone!r} is not a time zone of the tz database" in problem.message
    assert hint in problem.message
    assert problem.line is not None


def test_a_known_zone_is_accepted() -> None:
    text = (
        (BUNDLED / "drohobych_kir.yaml")
        .read_text(encoding="utf-8")
        .replace("timezone: Europe/Kyiv", "timezone: UTC", 1)
    )
    assert parse_template_text(text, "tz.yaml").jurisdiction.timezone == "UTC"
