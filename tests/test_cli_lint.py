"""``civicflow lint``, ``schema`` and ``list``: output shapes and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from civicflow.cli import main
from civicflow.loader import bundled_ids, template_schema

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal.yaml"
WRONG_ENUM = FIXTURES / "invalid" / "wrong_enum.yaml"


def test_lint_valid_file_prints_ok_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """A valid template prints ``file: ok (N stages, M steps)`` and exit code 0."""
    assert main(["lint", str(MINIMAL)]) == 0
    assert capsys.readouterr().out == f"{MINIMAL}: ok (1 stage, 2 steps)\n"


def test_lint_invalid_file_prints_positions_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """Each problem is printed as ``file:line:col: path: message``; the exit code is 2."""
    assert main(["lint", str(MINIMAL), str(WRONG_ENUM)]) == 2
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert lines[0].endswith(": ok (1 stage, 2 steps)")
    assert lines[1].startswith(f"{WRONG_ENUM}:17:15: stages[0].steps[0].kind: kind must be one of meeting")
    assert "1 problem in 1 of 2 templates" in out.err


def test_lint_bundled_ids(capsys: pytest.CaptureFixture[str]) -> None:
    """Bundled templates are linted by id and are valid."""
    assert main(["lint", *bundled_ids()]) == 0
    assert capsys.readouterr().out.count(": ok (") == len(bundled_ids())


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda tmp: tmp, "is a directory"),
        (lambda tmp: tmp / "missing.yaml", "no such file and no bundled template"),
        (lambda tmp: _write(tmp / "bad.yaml", b"title: \xff\n"), "not UTF-8"),
        (lambda tmp: _write(tmp / "list.yaml", b"- 1\n"), "a template is a mapping"),
    ],
    ids=["directory", "missing", "encoding", "not-a-mapping"],
)
def test_lint_bad_input_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, fragment: str
) -> None:
    """Directories, missing files and undecodable files give a message and exit code 2."""
    target = make(tmp_path)  # type: ignore[operator]
    assert main(["lint", str(target)]) == 2
    out = capsys.readouterr()
    assert fragment in out.out
    assert "Traceback" not in out.out + out.err


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_lint_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    """``--format json`` gives one record per template with positioned problems."""
    assert main(["lint", "--format", "json", str(MINIMAL), str(WRONG_ENUM)]) == 2
    records = json.loads(capsys.readouterr().out)
    assert records[0] == {
        "template": str(MINIMAL),
        "ok": True,
        "id": "fixture",
        "stages": 1,
        "steps": 2,
        "problems": [],
    }
    (problem,) = records[1]["problems"]
    assert (problem["line"], problem["column"], problem["path"]) == (17, 15, "stages[0].steps[0].kind")


def test_schema_prints_the_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """``civicflow schema`` prints the schema as JSON."""
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(template_schema()))


def test_schema_output_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--output`` writes the file (and leaves no temporary file beside it)."""
    target = tmp_path / "schema.json"
    assert main(["schema", "--output", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["$id"] == template_schema()["$id"]
    assert [p.name for p in tmp_path.iterdir()] == ["schema.json"]
    assert capsys.readouterr().out == ""


def test_schema_output_to_missing_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder that does not exist is a message and exit code 2."""
    assert main(["schema", "--output", str(tmp_path / "no" / "schema.json")]) == 2
    assert "cannot write the schema" in capsys.readouterr().err


def test_list_shows_bundled_templates(capsys: pytest.CaptureFixture[str]) -> None:
    """``civicflow list`` prints a table with one row per bundled template."""
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "COUNTRY", "STEPS", "TITLE"]
    assert [line.split()[0] for line in lines[1:]] == bundled_ids()


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    """``civicflow list --format json`` gives id, country, counts and the title by language."""
    assert main(["list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == bundled_ids()
    assert all(r["steps"] > 0 and "en" in r["title"] and r["error"] is None for r in rows)
