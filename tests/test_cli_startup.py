"""The command line imports only the subcommand it runs; help and errors still see every subcommand."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys

import pytest

from civicflow.cli import SUBCOMMANDS, SUMMARIES, _command_of, build_parser, main


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
    parser = build_parser("plan", lazy=True)
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


def test_summaries_are_the_modules_help_lines() -> None:
    """The summaries ``civicflow --help`` shows without importing a subcommand are each module's HELP."""
    for name in SUBCOMMANDS:
        assert SUMMARIES[name] == importlib.import_module(f"civicflow.cli.{name}").HELP


def test_lazy_help_is_the_full_help() -> None:
    """``civicflow --help`` from the lazy parser reads exactly as from the full one."""
    assert build_parser(lazy=True).format_help() == build_parser().format_help()


def test_help_imports_no_subcommand() -> None:
    """``civicflow --help`` imports none of the subcommand modules."""
    code = (
        "import sys; from civicflow.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('civicflow.cli.')), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = ast.literal_eval(done.stderr.strip().splitlines()[-1])
    assert "usage: civicflow" in done.stdout
    assert not {f"civicflow.cli.{name}" for name in SUBCOMMANDS} & set(loaded)


def test_plan_imports_no_compliance_check_and_no_state_machine() -> None:
    """``civicflow plan`` needs the template, the calendar and the planner: not the compliance check,
    the state machine (transitions), the store or an exporter's statuses."""
    code = (
        "import sys; from civicflow.cli import main\n"
        "code = main(['plan', 'drohobych_kir', '--start', '2025-10-06'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('civicflow', 'transitions', 'sqlalchemy'))),"
        " file=sys.stderr)\n"
        "sys.exit(code)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(done.stderr.strip().splitlines()[-1]))
    assert "civicflow.planner" in loaded
    unwanted = {"civicflow.compliance", "civicflow.instance", "civicflow.exporters._status", "transitions"}
    assert not unwanted & loaded
    assert not any(m.startswith(("civicflow.store", "sqlalchemy")) for m in loaded)


def test_help_imports_no_library_it_does_not_need() -> None:
    """``civicflow --help`` lists commands: no calendar data (holidays, pendulum), no template model
    (pydantic), no YAML and no package metadata (read only for ``--version``)."""
    code = (
        "import sys; from civicflow.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(sys.modules), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(done.stderr.strip().splitlines()[-1]))
    assert "usage: civicflow" in done.stdout
    assert (
        not {"holidays", "pendulum", "pydantic", "yaml", "importlib.metadata", "civicflow.calendar"} & loaded
    )


def test_version_is_read_when_asked_for() -> None:
    """``civicflow --version`` prints the installed version on standard output and exits 0."""
    done = subprocess.run(
        [sys.executable, "-c", "from civicflow.cli import main; main(['--version'])"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0
    assert re.fullmatch(r"civicflow \S+\n", done.stdout)


def test_a_command_runs_with_rarer_collections_and_restores_the_thresholds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While a command runs, the garbage collector's thresholds are the command line's own; afterwards
    the caller's are back, also when the command fails."""
    import gc

    import civicflow.cli as cli
    import civicflow.cli.list as list_command

    seen: list[tuple[int, ...]] = []

    def run(args: object, console: object) -> int:
        seen.append(gc.get_threshold())
        raise RuntimeError("boom")

    monkeypatch.setattr(list_command, "run", run)
    before = gc.get_threshold()
    try:
        gc.set_threshold(701, 11, 12)
        assert main(["list"]) == 70  # the internal error, reported
        assert gc.get_threshold() == (701, 11, 12)
    finally:
        gc.set_threshold(*before)
    assert seen == [cli._COMMAND_GC_THRESHOLDS]
