"""`civicflow completion bash|zsh`: scripts generated from the parser that bash parses and runs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from civicflow.cli import SUBCOMMANDS, main

BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None, reason="bash is not installed")


def _script(shell: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_the_script_parses(shell: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """bash -n accepts the script (zsh's is the bash function behind bashcompinit)."""
    path = tmp_path / f"civicflow.{shell}"
    path.write_text(_script(shell, capsys), encoding="utf-8")
    assert BASH is not None
    done = subprocess.run([BASH, "-n", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    if shell == "zsh":
        assert path.read_text(encoding="utf-8").startswith("#compdef civicflow\n")


def _complete(script: Path, words: list[str], cwd: Path) -> list[str]:
    """COMPREPLY of _civicflow for the command line ``words`` (the last one being completed)."""
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    program = (
        f"source '{script}'\n"
        f"COMP_WORDS=({quoted}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n"
        '_civicflow\nprintf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    assert BASH is not None
    done = subprocess.run([BASH, "-c", program], capture_output=True, text=True, cwd=cwd, check=False)
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["civicflow", ""], list(SUBCOMMANDS)),
        (["civicflow", "pl"], ["plan"]),
        (["civicflow", "track", "re"], ["record", "retract"]),
        (["civicflow", "plan", "--fo"], ["--format"]),
        (["civicflow", "plan", "drohobych_kir", "--format", ""], ["table", "json", "csv"]),
        (["civicflow", "export", "x", "--format", "m"], ["markdown", "mermaid", "md"]),
        (["civicflow", "track", "record", "kir", "meeting_1", "--event", "s"], ["skip"]),
        (["civicflow", "due", "--unit", ""], ["working", "calendar"]),
        (["civicflow", "plan", "sof"], ["sofia_vision"]),
        (["civicflow", "check", "--template", "togl"], ["togliatti_map"]),
        (["civicflow", "--color", "n"], ["never"]),
        (["civicflow", "plan", "x", "--start", ""], []),
    ],
)
def test_completion_follows_the_parser(
    words: list[str], expected: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Commands, actions, options, choices and template ids complete as the parser defines them."""
    script = tmp_path / "civicflow.bash"
    script.write_text(_script("bash", capsys), encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert sorted(_complete(script, words, empty)) == sorted(expected)


def test_file_arguments_complete_file_names(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A log argument completes the files of the directory."""
    script = tmp_path / "civicflow.bash"
    script.write_text(_script("bash", capsys), encoding="utf-8")
    (tmp_path / "log-a.yaml").write_text("events: []\n", encoding="utf-8")
    assert _complete(script, ["civicflow", "due", "log-"], tmp_path) == ["log-a.yaml"]
    assert _complete(script, ["civicflow", "export", "x", "-o", "log"], tmp_path) == ["log-a.yaml"]
