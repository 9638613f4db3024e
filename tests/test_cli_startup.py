"""The command line imports only the subcommand it runs; help and errors still see every subcommand."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from civicflow.cli import SUBCOMMANDS, _command_of, build_parser


@pytest.mark.parametrize(
    ("words", "command"),
    [
        (["plan", "drohobych_kir"], "plan"),
        (["--color", "never", "plan", "x"], "plan"),
        (["--color=always", "show", "x"], "show"),
        (["--help"], None),
        (["-h", "plan"], None),
        (["--version"], None),
        (["plna"], None),
        ([], None),
    ],
)
def test_command_is_found_only_when_plain(words: list[str], command: str | None) -> None:
    """The command is the first plain word; a help or version option first means the full parser."""
    assert _command_of(words) == command


def test_a_parser_for_one_command_still_knows_every_command_name() -> None:
    """The parser built for one command accepts that command's options and lists every command name."""
    parser = build_parser("plan")
    args = parser.parse_args(["plan", "drohobych_kir", "--start", "2025-10-06"])
    assert args.command == "plan"
    sub = next(a for a in parser._actions if a.dest == "command")
    assert list(sub.choices or ()) == list(SUBCOMMANDS)


def test_running_a_command_imports_no_other_subcommand() -> None:
    """``civicflow list`` imports its own module, not those of serve, track or export."""
    code = (
        "import sys; from civicflow.cli import main; code = main(['list']); "
        "print(sorted(m for m in sys.modules if m.startswith('civicflow.cli.')), file=sys.stderr); "
        "sys.exit(code)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = ast.literal_eval(done.stderr.strip().splitlines()[-1])
    assert "civicflow.cli.list" in loaded
    assert not {f"civicflow.cli.{name}" for name in SUBCOMMANDS if name != "list"} & set(loaded)
