"""A newcomer's first commands: tables fit 80 columns, counts read well, bad input names its argument."""

from __future__ import annotations

import re

import pytest

from civicflow.cli import main
from civicflow.cli._common import cut, plural


def test_plural_and_cut() -> None:
    """Counts take the singular for one; cut text ends in '…' within the width, at a word when it can."""
    assert plural(1, "stage") == "1 stage"
    assert plural(6, "stage") == "6 stages"
    assert cut("short", 10) == "short"
    assert cut("Together for Development – from Good Practices", 30) == "Together for Development…"
    assert len(cut("x" * 50, 20)) == 20


def test_list_fits_80_columns(capsys: pytest.CaptureFixture[str]) -> None:
    """`civicflow list` cuts long titles so that every line fits 80 columns."""
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.startswith("drohobych_kir") and line.endswith("…") for line in lines)


def test_list_json_keeps_whole_titles(capsys: pytest.CaptureFixture[str]) -> None:
    """`--format json` keeps the titles whole."""
    assert main(["list", "--format", "json"]) == 0
    assert "Drohobych city territorial community" in capsys.readouterr().out


def test_one_stage_is_singular(capsys: pytest.CaptureFixture[str]) -> None:
    """A template with one stage says '1 stage' in lint and show."""
    assert main(["lint", "sofia_vision"]) == 0
    assert capsys.readouterr().out == "sofia_vision: ok (1 stage, 7 steps)\n"
    assert main(["show", "sofia_vision"]) == 0
    assert "; 1 stage,\n  7 steps\n" in capsys.readouterr().out


def test_lint_summary_counts(capsys: pytest.CaptureFixture[str]) -> None:
    """The lint summary reads '1 problem in 1 of 2 templates'."""
    assert main(["lint", "drohobych_kir", "no_such_template"]) == 2
    assert "civicflow: 1 problem in 1 of 2 templates" in capsys.readouterr().err


def test_show_colour_does_not_change_wrapping(capsys: pytest.CaptureFixture[str]) -> None:
    """With colour on, the outline wraps exactly as without it."""
    assert main(["show", "drohobych_kir"]) == 0
    plain = capsys.readouterr().out
    assert main(["--color", "always", "show", "drohobych_kir"]) == 0
    coloured = capsys.readouterr().out
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_deadline_explanation_fits_80_columns(capsys: pytest.CaptureFixture[str]) -> None:
    """The explanation of a deadline is wrapped to 80 columns."""
    argv = ["deadline", "UA", "2025-03-17", "3 working days", "--before", "--reading", "clear_days"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("deadline: 2025-03-11 Tue\n")
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["UA", "2025-03-17", "3 days", "--reading", "clear_days"], "argument --reading: clear_days"),
        (["XX", "2025-03-17", "3 days"], "argument COUNTRY: unknown country code 'XX'; did you mean"),
        (["UA", "2025-03-17", "3 wrking days"], "argument PERIOD: cannot read '3 wrking days'"),
        (["UA", "2025-03-17", "3 days", "--subdivision", "ZZ"], "UA has no subdivisions: leave it out"),
        (["US", "2025-03-17", "3 days", "--subdivision", "QQ"], "known: AK, AL,"),
        (["UA", "1800-01-01", "3 days"], "argument DATE: 1800-01-01 is outside the years"),
        (["UA", "2060-12-30", "3 months"], "argument PERIOD: 3 months from 2060-12-30 ends outside"),
    ],
)
def test_deadline_bad_input_names_the_argument(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad input to `deadline` exits 2 with one line naming the argument and what would be right."""
    assert main(["deadline", *argv]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err


def _epilog_examples() -> list[list[str]]:
    import importlib
    import shlex

    from civicflow.cli import SUBCOMMANDS

    found = []
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"civicflow.cli.{name}")
        epilogs = [module.EPILOG, *getattr(module, "ACTION_EPILOGS", {}).values()]  # track ACTION --help
        text = "\n".join(epilogs).replace("\\\n", " ")
        for line in text.splitlines():
            if line.startswith("  civicflow "):
                command = line.split(" > ")[0].split(" | ")[0]  # no shell redirections
                found.append(shlex.split(command)[1:])
    return found


@pytest.mark.parametrize("argv", _epilog_examples(), ids=" ".join)
def test_help_examples_parse(argv: list[str]) -> None:
    """Every example that `civicflow COMMAND --help` shows is accepted by the argument parser."""
    from civicflow.cli import build_parser

    args = build_parser().parse_args(argv)
    assert args.command == argv[0]


def test_track_help_examples_name_real_steps() -> None:
    """The step ids in the `track record` examples are steps of drohobych_kir."""
    from civicflow.loader import load_template

    template = load_template("drohobych_kir")
    for argv in _epilog_examples():
        if argv[:2] == ["track", "record"]:
            assert template.step(argv[3]).id == argv[3]


@pytest.mark.parametrize(
    "name", ["show", "plan", "check", "status", "due", "remind", "export", "track", "completion"]
)
def test_help_examples_and_explanations_fit_79_columns(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The examples and the explanation under them in `civicflow NAME --help` are at most 79 columns."""
    from civicflow.cli import main

    with pytest.raises(SystemExit):
        main([name, "--help"])
    out = capsys.readouterr().out
    epilog = out[out.index("examples:") :]
    assert max(len(line) for line in epilog.splitlines()) <= 79


@pytest.mark.parametrize(
    "command",
    [
        "list",
        "show",
        "lint",
        "schema",
        "plan",
        "check",
        "status",
        "export",
        "deadline",
        "track",
        "due",
        "remind",
        "completion",
    ],
)
def test_help_fits_80_columns(
    command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`civicflow COMMAND --help` fits an 80-column terminal."""
    from civicflow.cli import main

    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    wide = [line for line in capsys.readouterr().out.splitlines() if len(line) > 80]
    assert wide == []


def test_top_level_help_shows_where_to_start(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`civicflow --help` lists every subcommand, a first command to try and the exit codes, in 80 columns."""
    from civicflow.cli import SUBCOMMANDS, main

    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert all(f"    {name} " in out for name in SUBCOMMANDS)
    assert "civicflow plan drohobych_kir --start 2025-10-06" in out
    assert "2 bad input" in out
    assert [line for line in out.splitlines() if len(line) > 80] == []
