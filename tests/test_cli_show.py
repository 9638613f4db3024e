"""``civicflow show``: a template as an outline in 80 columns, in the chosen language."""

from __future__ import annotations

import pytest

from civicflow.cli import main
from civicflow.loader import bundled_ids


def _show(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["show", *argv]) == 0
    return capsys.readouterr().out


def test_outline_of_drohobych(capsys: pytest.CaptureFixture[str]) -> None:
    """The outline lists stages, steps with kind, timing in words, rules, responsible, channels, agenda."""
    out = _show(capsys, "drohobych_kir")
    assert out.startswith("Detailed work plan of the working group")
    assert "1 Preparatory stage [stage_1_preparatory]" in out
    assert "• 1.1 First meeting of the working group [meeting_1, meeting]" in out
    assert "when: within 3 working days after 'First meeting of the working group'" in out
    assert "when: in mid November (a window)" in out
    assert "responsible: Department of Digitalisation" in out
    assert "channels: Official website of the Drohobych City Council (website)" in out
    assert "agenda:" in out
    assert "- Drafting and approval of the communication plan" in out


def test_a_place_in_the_source_that_is_no_number_is_told_apart(capsys: pytest.CaptureFixture[str]) -> None:
    """A number from the document (1.1) numbers the title; a longer note on where the step is in the
    document ("• 1, first part") gets a line of its own, not read as a bullet before the title."""
    out = _show(capsys, "sandanski_debates")
    assert "• • " not in out
    assert "• Study of good practices and innovative solutions [good_practice_study," in out
    assert "in the source: • 1, first part" in out
    bulgarian = _show(capsys, "sandanski_debates", "--lang", "bg")
    assert "в източника: • 1, first part" in bulgarian


@pytest.mark.parametrize("template", bundled_ids())
def test_fits_80_columns(template: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Every line of every bundled template's outline fits 80 columns (no colour off a terminal)."""
    out = _show(capsys, template)
    assert "\x1b[" not in out
    too_long = [line for line in out.splitlines() if len(line) > 80 and " " in line.strip()]
    assert too_long == []


def test_lang_uk(capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang uk`` shows the Ukrainian titles, and the outline's own words in Ukrainian too."""
    out = _show(capsys, "drohobych_kir", "--lang", "uk")
    assert "Перше засідання робочої групи [meeting_1, засідання]" in out
    assert "коли: не пізніше ніж через 3 робочі дні після «Перше засідання робочої" in out
    assert "коли: протягом жовтня (вікно)" in out
    assert "6 етапів, 28 кроків" in out


def test_colour_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    """``--color always`` adds ANSI colour; the default off a terminal has none."""
    assert main(["--color", "always", "show", "drohobych_kir"]) == 0
    assert "\x1b[1m" in capsys.readouterr().out


def test_unknown_template_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown template is bad input: exit 2 and a message, no traceback."""
    assert main(["show", "no_such_process"]) == 2
    err = capsys.readouterr().err
    assert "no_such_process" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("lang", "reading"),
    [
        ("en", "(reading A, count back)"),
        ("uk", "(тлумачення A, відлік назад)"),
        ("ru", "(толкование A, отсчёт назад)"),
    ],
)
def test_a_backward_rules_reading_is_worded_not_its_identifier(
    lang: str, reading: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--color", "never", "show", "drohobych_kir", "--lang", lang]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert reading in out
    assert "count_back" not in out
