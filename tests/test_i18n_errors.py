"""Refusals and errors speak the reader's language: the command line's (``--lang``) and the dashboard's.

Each test fails on the English words a new user found left in Ukrainian, Bulgarian or Russian output:
raw step states (``pending``), raw event words (``open``, ``complete``, ``skip``), participles where an
action is meant, English problem titles and details, loader and store errors.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from civicflow import IllegalTransitionError, ProcessInstance
from civicflow.cli import main
from civicflow.loader import load_template

KIR = "drohobych_kir"
START = dt.date(2025, 10, 6)
# what may be done to a step: the verb (an action), never the participle of what happened
ACTIONS = {
    "uk": ("відкрити", "завершити", "пропустити"),
    "bg": ("откриване", "приключване", "пропускане"),
    "ru": ("открыть", "завершить", "пропустить"),
}
PARTICIPLES = {"uk": "пропущено", "bg": "пропуснато", "ru": "пропущено"}
NOT_STARTED = {"uk": "не розпочато", "bg": "незапочната", "ru": "не начат"}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _english_event_words(text: str) -> list[str]:
    return re.findall(r"\b(?:open|complete|skip|pending)\b", text)


@pytest.mark.parametrize("lang", sorted(ACTIONS))
def test_a_refusal_names_states_and_actions_in_the_language(lang: str) -> None:
    instance = ProcessInstance(load_template(KIR), start=START)
    with pytest.raises(IllegalTransitionError) as info:
        instance.record("publication_1", "complete", dt.date(2025, 10, 7))
    said = info.value.text(lang)
    assert f"'meeting_1' ({NOT_STARTED[lang]})" in said or f": {NOT_STARTED[lang]})" in said
    opening, completing, skipping = ACTIONS[lang]
    for action in (opening, completing, skipping):
        assert f"{action} " in said, action
    assert PARTICIPLES[lang] not in said
    assert _english_event_words(said) == [], said
    # English stays as it was: the machine-readable words
    assert "(it is pending). allowed on 2025-10-07: open meeting_1, complete meeting_1" in str(info.value)


@pytest.mark.parametrize("lang", sorted(ACTIONS))
def test_a_step_that_cannot_move_again_lists_what_is_allowed_as_actions(lang: str) -> None:
    instance = ProcessInstance(load_template(KIR), start=START)
    instance.record("meeting_1", "open", dt.date(2025, 10, 7))
    with pytest.raises(IllegalTransitionError) as info:
        instance.record("meeting_1", "open", dt.date(2025, 10, 8))
    said = info.value.text(lang)
    _opening, completing, skipping = ACTIONS[lang]
    assert f": {completing}, {skipping};" in said or f" {completing}, {skipping}" in said
    assert _english_event_words(said) == [], said
    assert "allowed: complete, skip" in str(info.value)


@pytest.mark.parametrize("lang", sorted(ACTIONS))
def test_the_command_line_refuses_an_event_in_its_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str
) -> None:
    db = str(tmp_path / "track.db")
    code, _, err = _run(capsys, "track", "new", KIR, "--name", "kir", "--start", "2025-10-06", "--db", db)
    assert code == 0, err
    code, _, err = _run(
        capsys, "track", "record", "kir", "meeting_2", "--date", "2025-10-08", "--db", db, "--lang", lang
    )
    assert code == 2
    assert "cannot be completed" not in err
    assert "allowed on" not in err
    assert NOT_STARTED[lang] in err
    assert ACTIONS[lang][0] + " meeting_1" in err or ACTIONS[lang][0] + " на meeting_1" in err
    assert _english_event_words(err) == [], err
