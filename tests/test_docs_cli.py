"""The command-line examples in docs/cli.md and README.md print what the program prints today.

An example is checked when the line before its fenced block is ``<!-- checked -->`` and the block starts
with ``$ civicflow ...`` (a command may go on over lines ending in ``\\``). The rest of the block is the
expected standard output, exactly; a last line ``...`` means the output goes on.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from civicflow.cli import main

ROOT = Path(__file__).resolve().parents[1]
MARK = "<!-- checked -->"
_BLOCK = re.compile(r"^" + re.escape(MARK) + r"\n```[^\n]*\n(.*?)^```", re.S | re.M)


@dataclass(frozen=True)
class Example:
    """One checked example: where it is, the command's arguments and the output it should print."""

    where: str
    argv: tuple[str, ...]
    expected: tuple[str, ...]
    goes_on: bool


def examples(path: Path) -> list[Example]:
    """The checked examples of a Markdown file, in order."""
    text = path.read_text(encoding="utf-8")
    found = []
    for match in _BLOCK.finditer(text):
        lines = match.group(1).splitlines()
        line_no = text.count("\n", 0, match.start()) + 1
        where = f"{path.name}:{line_no}"
        assert lines, f"{where}: an empty checked block"
        assert lines[0].startswith("$ civicflow "), f"{where}: a checked block starts with $ civicflow"
        command = lines.pop(0)[2:]
        while command.endswith("\\"):
            command = command[:-1] + " " + lines.pop(0).strip()
        goes_on = bool(lines) and lines[-1] == "..."
        if goes_on:
            lines.pop()
        argv = tuple(shlex.split(command))
        found.append(Example(where, argv[1:], tuple(lines), goes_on))
    return found


DOC_EXAMPLES = examples(ROOT / "docs" / "cli.md")
README_EXAMPLES = examples(ROOT / "README.md")


def _run(example: Example, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Run the example's command and compare its output with the documented lines; the output."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "80")
    code = main(list(example.argv))
    captured = capsys.readouterr()
    assert code in (0, 1), f"{example.where}: exit code {code}: {captured.err}"
    actual = captured.out.rstrip("\n").split("\n")
    shown = actual[: len(example.expected)] if example.goes_on else actual
    assert shown == list(example.expected), f"{example.where}: the output differs from the documented one"
    if example.goes_on:
        assert len(actual) > len(example.expected), f"{example.where}: '...' but the output ends there"
    return actual


@pytest.mark.parametrize("example", DOC_EXAMPLES, ids=[e.where for e in DOC_EXAMPLES])
def test_cli_md_example(
    example: Example, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each checked example of docs/cli.md prints what the document shows."""
    assert _run(example, capsys, monkeypatch)


@pytest.mark.parametrize("example", README_EXAMPLES, ids=[e.where for e in README_EXAMPLES])
def test_readme_example(
    example: Example, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's 'What it does' sample is real output of the current program."""
    assert _run(example, capsys, monkeypatch)


def test_main_commands_are_checked() -> None:
    """docs/cli.md checks at least list, show, lint, plan, check, status and deadline; README checks one."""
    commands = {e.argv[0] for e in DOC_EXAMPLES}
    assert {"list", "show", "lint", "plan", "check", "status", "deadline"} <= commands
    assert README_EXAMPLES


def test_goes_on_marker(tmp_path: Path) -> None:
    """A last '...' line is read as 'output continues' and a '\\' joins the command's lines."""
    doc = tmp_path / "doc.md"
    doc.write_text(
        f"{MARK}\n```\n$ civicflow plan drohobych_kir \\\n    --start 2025-10-06\nfirst line\n...\n```\n"
        "```\n$ civicflow list\nnot checked\n```\n",
        encoding="utf-8",
    )
    (found,) = examples(doc)
    assert found.argv == ("plan", "drohobych_kir", "--start", "2025-10-06")
    assert found.expected == ("first line",)
    assert found.goes_on
