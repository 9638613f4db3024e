"""--lang and --color go before the command or after it: ``civicflow --lang uk list`` is
``civicflow list --lang uk``."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicflow.cli import main

EVENTS = str(Path(__file__).parent.parent / "examples" / "drohobych_events.yaml")


def _out(capsys: pytest.CaptureFixture[str], *words: str) -> tuple[int, str, str]:
    code = main(list(words))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("lang", "heading"), [("uk", "КРАЇНА"), ("bg", "ДЪРЖАВА"), ("ru", "СТРАНА"), ("en", "COUNTRY")]
)
def test_lang_before_or_after_the_command(
    lang: str, heading: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _out(capsys, "--lang", lang, "list")
    after = _out(capsys, "list", "--lang", lang)
    joined = _out(capsys, f"--lang={lang}", "list")
    assert before[0] == after[0] == joined[0] == 0
    assert before[1] == after[1] == joined[1]
    assert heading in before[1].splitlines()[0]


def test_lang_before_a_command_with_more_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    before = _out(capsys, "--lang", "uk", "check", EVENTS, "--as-of", "2025-11-20")
    after = _out(capsys, "check", EVENTS, "--as-of", "2025-11-20", "--lang", "uk")
    assert before == after
    assert before[1].splitlines()[1] == "початок 2025-10-06 пн, станом на 2025-11-20 чт"


def test_the_command_s_own_lang_wins(capsys: pytest.CaptureFixture[str]) -> None:
    assert _out(capsys, "--lang", "uk", "list", "--lang", "bg") == _out(capsys, "list", "--lang", "bg")


def test_an_error_before_the_command_is_in_that_language(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "uk", "lst"])
    err = capsys.readouterr().err
    assert "невідома команда 'lst'" in err
    assert "'uk'" not in err


@pytest.mark.parametrize("words", [["--color", "always", "list"], ["list", "--color", "always"]])
def test_color_before_or_after_the_command(words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _out(capsys, *words)
    assert code == 0
    assert "\x1b[1m" in out


def test_color_after_the_command_overrides_the_one_before(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _out(capsys, "--color", "always", "list", "--color", "never")
    assert "\x1b[" not in out
    _, out, _ = _out(capsys, "list")
    assert "\x1b[" not in out  # auto: not a terminal
