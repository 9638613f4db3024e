"""A command that only reads a store never creates one: a mistyped --db path, or a command run in the
wrong folder, is refused (exit 2) naming the path and how to start a store; commands that start
instances (track new, track import, token create) still create it."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicflow.cli import main
from civicflow.errors import StoreNotFoundError

pytest.importorskip("sqlalchemy")

EXAMPLE = str(Path(__file__).parent.parent / "examples" / "drohobych_events.yaml")

READING = [
    ["track", "status"],
    ["track", "status", "kir-2025"],
    ["track", "history", "kir-2025"],
    ["track", "record", "kir-2025", "meeting_1", "--date", "2025-10-09"],
    ["track", "amend", "kir-2025", "1", "--date", "2025-10-09"],
    ["track", "retract", "kir-2025", "1", "--reason", "wrong"],
    ["track", "delete", "kir-2025"],
    ["due"],
    ["remind", "--smtp", "127.0.0.1:9", "--to", "clerk@example.org", "--dry-run"],
    ["token", "list"],
    ["token", "revoke", "office"],
]


@pytest.mark.parametrize("words", READING, ids=[" ".join(w[:2]) for w in READING])
def test_a_mistyped_db_path_is_refused_and_not_created(
    words: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "nothere.db"
    assert main([*words, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert f"there is no store at {db}" in err
    assert "civicflow track new" in err
    assert not db.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("words", READING[:3], ids=[" ".join(w[:2]) for w in READING[:3]])
def test_the_default_store_is_not_created_in_an_empty_folder(
    words: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIVICFLOW_DB", raising=False)
    assert main(words) == 2
    assert "civicflow.db" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_store_of_civicflow_db_variable_is_not_created_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "from_env.db"
    monkeypatch.setenv("CIVICFLOW_DB", str(db))
    assert main(["track", "status"]) == 2
    assert str(db) in capsys.readouterr().err
    assert not db.exists()


def test_the_message_is_translated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "nothere.db"
    assert main(["track", "status", "--db", str(db), "--lang", "uk"]) == 2
    err = capsys.readouterr().err
    assert str(db) in err
    assert "there is no store" not in err


@pytest.mark.parametrize(
    "words",
    [
        ["track", "new", "drohobych_kir", "--name", "kir-2025", "--start", "2025-10-06"],
        ["track", "import", EXAMPLE, "--template", "drohobych_kir"],
        ["token", "create", "--name", "office", "--role", "editor"],
    ],
    ids=["track new", "track import", "token create"],
)
def test_commands_that_start_a_store_create_it(
    words: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new.db"
    assert main([*words, "--db", str(db)]) == 0
    assert db.is_file()
    capsys.readouterr()
    assert main(["track", "status", "--db", str(db), "--as-of", "2025-10-20"]) in (0, 1)


def test_store_open_create_false_refuses_a_missing_file_and_opens_an_existing_one(tmp_path: Path) -> None:
    from civicflow.store import Store

    db = tmp_path / "s.db"
    with pytest.raises(StoreNotFoundError) as info:
        Store.open(str(db), create=False)
    assert info.value.path == str(db)
    assert str(db) in str(info.value)
    assert not db.exists()
    Store.open(str(db)).close()
    with Store.open(str(db), create=False) as store:
        assert store.read_all() == []
