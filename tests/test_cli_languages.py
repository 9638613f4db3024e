"""The command line speaks the reader's language: ``--lang``, else the environment's, else English.

Output for people (tables, headings, legends, counts, errors, the reminder e-mail) is translated; output
for programs (``--format json``) is the same whatever the environment says.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from civicflow.cli import main

ROOT = Path(__file__).resolve().parents[1]
EVENTS = str(ROOT / "examples" / "drohobych_events.yaml")
FIXTURES = ROOT / "tests" / "fixtures" / "events"
LOGS = [str(FIXTURES / name) for name in ("drohobych_2024.yaml", "drohobych_in_progress.json")]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_tests_see_no_language_from_the_developers_environment(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # conftest.py clears LANGUAGE, LC_ALL, LC_MESSAGES and LANG: whoever runs the suite gets English
    _, out, _ = _run(capsys, "plan", "drohobych_kir", "--start", "2025-10-06")
    assert " STEP " in out
    assert "2025-10-06 Mon" in out


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("uk_UA.UTF-8", ("КРОК", "КОЛИ", "ПРАВИЛО", "2025-10-06 пн", "вікно", "на критичному шляху")),
        ("bg_BG.UTF-8", ("СТЪПКА", "КОГА", "ПРАВИЛО", "2025-10-06 пн", "прозорец", "по критичния път")),
        ("ru_RU.UTF-8", ("ШАГ", "КОГДА", "ПРАВИЛО", "2025-10-06 пн", "окно", "на критическом пути")),
    ],
)
def test_plan_speaks_the_language_of_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, locale: str, words: tuple[str, ...]
) -> None:
    monkeypatch.setenv("LANG", locale)
    code, out, _ = _run(capsys, "plan", "drohobych_kir", "--start", "2025-10-06")
    assert code == 0
    for word in words:
        assert word in out, word
    assert "STEP" not in out
    assert "critical path" not in out
    # ISO dates stay ISO, copyable into --fix; step ids are never translated
    assert " meeting_1 " in out
    assert "2025-10-06 пн .. 2025-10-30 чт" in out
    # the planner's findings too: the martial-law note is in the reader's language
    assert "assumes martial law continues" not in out


def test_plan_findings_in_ukrainian(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "uk_UA.UTF-8")
    _, out, _ = _run(capsys, "plan", "drohobych_kir", "--start", "2025-10-06")
    assert "воєнний стан триває" in " ".join(out.split())  # wrapped to the terminal's width
    assert "(Різдво Христове) вважається робочим днем" in out
    flat = " ".join(out.split())  # the findings are wrapped to the terminal's width
    assert "виходить за межі власних строків етапу stage_3_preliminary_draft" in flat
    assert "до ДАТИ = законний строк" in flat  # the legend declines its placeholder as Ukrainian does


def test_lang_overrides_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "uk_UA.UTF-8")
    _, out, _ = _run(capsys, "plan", "drohobych_kir", "--start", "2025-10-06", "--lang", "bg")
    assert "СТЪПКА" in out
    assert "КРОК" not in out
    _, english, _ = _run(capsys, "plan", "drohobych_kir", "--start", "2025-10-06", "--lang", "en")
    monkeypatch.delenv("LANG")
    _, plain, _ = _run(capsys, "plan", "drohobych_kir", "--start", "2025-10-06")
    assert english == plain  # --lang en is exactly the English of an English environment


def test_language_variables_in_gettexts_order(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "uk_UA.UTF-8")
    monkeypatch.setenv("LC_MESSAGES", "ru_RU.UTF-8")
    _, out, _ = _run(capsys, "plan", "drohobych_kir", "--start", "2025-10-06")
    assert "ШАГ" in out
    monkeypatch.setenv("LANGUAGE", "bg")
    _, out, _ = _run(capsys, "plan", "drohobych_kir", "--start", "2025-10-06")
    assert "СТЪПКА" in out
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.delenv("LANGUAGE")
    _, out, _ = _run(capsys, "plan", "drohobych_kir", "--start", "2025-10-06")
    assert " STEP " in out


# The heading of `due` counts the days ahead: Ukrainian and Russian have three forms (1 and 21; 2-4;
# 5-20 and 11), Bulgarian two.
PLURALS = {
    "uk": {
        1: "на 1 робочий день уперед",
        2: "на 2 робочі дні вперед",
        5: "на 5 робочих днів уперед",
        11: "на 11 робочих днів уперед",
        21: "на 21 робочий день уперед",
    },
    "ru": {
        1: "на 1 рабочий день вперёд",
        2: "на 2 рабочих дня вперёд",
        5: "на 5 рабочих дней вперёд",
        11: "на 11 рабочих дней вперёд",
        21: "на 21 рабочий день вперёд",
    },
    "bg": {
        1: "за 1 работен ден напред",
        2: "за 2 работни дни напред",
        5: "за 5 работни дни напред",
        11: "за 11 работни дни напред",
        21: "за 21 работни дни напред",
    },
    "en": {
        1: "within 1 working day",
        2: "within 2 working days",
        5: "within 5 working days",
        11: "within 11 working days",
        21: "within 21 working days",
    },
}


@pytest.mark.parametrize("lang", sorted(PLURALS))
@pytest.mark.parametrize("n", [1, 2, 5, 11, 21])
def test_counts_take_the_plural_form_of_the_language(
    capsys: pytest.CaptureFixture[str], lang: str, n: int
) -> None:
    argv = ["due", EVENTS, "--as-of", "2025-11-20", "--within", str(n), "--lang", lang]
    _, out, _ = _run(capsys, *argv)
    assert PLURALS[lang][n] in out.splitlines()[0]


def test_due_in_ukrainian(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "uk_UA.UTF-8")
    code, out, _ = _run(capsys, "due", EVENTS, "--as-of", "2025-11-20")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "строки станом на 2025-11-20 чт, на 10 робочих днів уперед"
    assert "ЗАПЛАНОВАНІ ДНІ" in lines
    assert any(line.startswith("2025-11-28 пт  через 6 робочих днів ") for line in lines)
    assert "строк настає: 2, 3 ще не можна датувати" in lines
    assert "  ще не можна датувати: чекає на день strategic_session" in lines
    assert "законний строк: його визначає правило шаблону" in out
    code, out, _ = _run(capsys, "due", EVENTS, "--as-of", "2025-11-25")
    assert any(line.startswith("2025-11-28 пт  через 3 робочі дні ") for line in out.splitlines())


def test_check_in_russian(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    code, out, _ = _run(capsys, "check", "drohobych_kir", EVENTS, "--as-of", "2025-11-20", "--soon", "6")
    assert code == 1
    assert "начало 2025-10-06 пн, по состоянию на 2025-11-20 чт" in out
    assert "СОСТОЯНИЕ" in out
    assert "СОСТОЯЛОСЬ" in out
    assert "НАРУШЕНО   publication_1" in out
    assert "НЕ В ПОРЯДКЕ — нарушено: 1, ожидается: 8" in out
    assert "плановые дни (без законного правила; не входят в проверку):" in out
    assert "правило отсчитывает срок назад от strategic_session, дата которого ещё неизвестна" in " ".join(
        out.split()
    )


def test_status_in_bulgarian(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "bg_BG.UTF-8")
    _, out, _ = _run(capsys, "status", *LOGS, "--template", "drohobych_kir", "--as-of", "2025-01-10")
    lines = out.splitlines()
    assert lines[0] == "състояние към 2025-01-10 пт"
    # drohobych_in_progress does not fit beside the wider Bulgarian columns at 80: each name on its own
    # line, whole, its cells under it
    assert lines[1] == "ПРОЦЕС"
    assert lines[2].split() == ["Е1", "Е2", "Е3", "Е4", "Е5", "Е6", "ПРОВЕРКА", "НАЙ-ЛОШО"]
    assert lines[3] == "drohobych_2024"
    assert lines[4].split() == ["изп.", "изп.", "в", "срок", ".", ".", ".", "наред", "."]
    assert lines[5] == "drohobych_in_progress"
    assert max(len(line) for line in lines) <= 80
    assert (
        "Е1  stage_1_preparatory: Підготовчий етап" not in out
    )  # no Bulgarian title: English, then the original
    assert "Е1  stage_1_preparatory:" in out
    assert "изп. = изпълнено" in out


@pytest.mark.parametrize("lang", ["uk_UA.UTF-8", "ru_RU.UTF-8", "en_US.UTF-8"])
def test_status_never_cuts_two_names_into_one(
    lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wider headings of a translation leave less room for names at 80 columns: names are shown
    whole all the same (on a line of their own when they do not fit beside the cells)."""
    monkeypatch.setenv("LANG", lang)
    text = Path(EVENTS).read_text(encoding="utf-8")
    names = ["drohobych_events_south", "drohobych_events_north"]
    for name in names:
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    logs = [str(tmp_path / f"{name}.yaml") for name in names]
    _, out, _ = _run(capsys, "status", *logs, "--as-of", "2025-11-20")
    shown = [line.split()[0] for line in out.splitlines() if line.startswith("drohobych")]
    assert shown == names
    assert "…" not in out.split("\n\n")[0]


def test_lint_counts_in_ukrainian(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "uk_UA.UTF-8")
    code, out, _ = _run(capsys, "lint", "drohobych_kir")
    assert code == 0
    assert out.strip() == "drohobych_kir: гаразд (6 етапів, 28 кроків)"


def test_deadline_in_ukrainian(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "deadline", "UA", "2024-10-10", "3 working days", "--lang", "uk")
    assert out.startswith("строк: 2024-10-15 вт\n")


def test_errors_of_the_command_line_in_the_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "uk_UA.UTF-8")
    with pytest.raises(SystemExit) as exc:
        main(["plna"])
    assert exc.value.code == 2
    assert "невідома команда 'plna'; можливо, ви мали на увазі 'plan'?" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["plan", "drohobych_kir", "--start", "2025-13-01"])
    assert (
        "civicflow plan: помилка: аргумент --start: '2025-13-01' — такого дня немає: місяця 13 не існує"
        in (capsys.readouterr().err)
    )
    with pytest.raises(SystemExit):
        main(["plan"])
    err = capsys.readouterr().err
    assert err.startswith("використання: civicflow plan [-h]")
    assert err.endswith("civicflow plan: помилка: потрібні аргументи: TEMPLATE_OR_ID\n")
    with pytest.raises(SystemExit):
        main(["due", EVENTS, "--unit", "weeks"])
    assert (
        "аргумент --unit: недопустиме значення 'weeks' (можливі: 'working', 'calendar')"
        in capsys.readouterr().err
    )
    with pytest.raises(SystemExit):
        main(["plan", "--lang", "bg"])  # --lang wins over the environment even before it is parsed
    assert "civicflow plan: грешка: задължителни аргументи: TEMPLATE_OR_ID" in capsys.readouterr().err
    code, _, err = _run(capsys, "due", EVENTS, "--output", "x.md")
    assert code == 2
    assert err == "civicflow: --output потребує --format json, ics або markdown\n"


def test_remind_writes_in_the_recipients_language(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    log = tmp_path / "kir-a.yaml"
    log.write_text(
        "template: drohobych_kir\nstart: 2025-10-06\nevents:\n  - step: meeting_1\n    date: 09.10.2025\n",
        encoding="utf-8",
    )
    argv = ["remind", str(log), "--as-of", "2025-10-20", "--smtp", "127.0.0.1:25", "--to", "a@example.org"]
    code, out, _ = _run(capsys, *argv, "--dry-run", "--lang", "uk")
    assert code == 0
    assert "Subject: civicflow: прострочено 1, настає 0 (станом на 2025-10-20)" in out
    assert "Що прострочено або настає протягом 3 робочих днів від 2025-10-20 пн." in out
    assert "Публікація результатів першого засідання (прострочено на 4 робочі дні)" in out
    assert "Прострочені законні строки" in out


JSON_COMMANDS = [
    ["plan", "drohobych_kir", "--start", "2025-10-06", "--format", "json"],
    ["check", "drohobych_kir", EVENTS, "--as-of", "2025-11-20", "--format", "json"],
    ["status", *LOGS, "--template", "drohobych_kir", "--as-of", "2025-01-10", "--format", "json"],
    ["due", EVENTS, "--as-of", "2025-11-20", "--format", "json"],
    ["deadline", "UA", "2024-10-10", "3 working days", "--format", "json"],
    ["lint", "drohobych_kir", "--format", "json"],
    ["list", "--format", "json"],
    ["export", "drohobych_kir", "--start", "2025-10-06", "--as-of", "2025-11-20", "--format", "json"],
]


@pytest.mark.parametrize(
    "argv",
    [
        ["plan", "drohobych_kir", "--start", "2025-10-06", "--format", "csv"],
        ["export", "drohobych_kir", "--start", "2025-10-06", "--as-of", "2025-11-20", "--format", "csv"],
    ],
    ids=["plan", "export"],
)
def test_csv_is_the_same_whatever_the_environments_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    outputs = []
    for locale in ("C.UTF-8", "uk_UA.UTF-8", "bg_BG.UTF-8", "ru_RU.UTF-8"):
        monkeypatch.setenv("LANG", locale)
        _, out, _ = _run(capsys, *argv)
        outputs.append(out)
    assert outputs[0].startswith("step,stage,")
    assert outputs[1:] == outputs[:1] * 3


@pytest.mark.parametrize("argv", JSON_COMMANDS, ids=lambda argv: argv[0])
def test_json_is_the_same_whatever_the_environments_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    outputs = []
    for locale in ("C.UTF-8", "uk_UA.UTF-8", "bg_BG.UTF-8", "ru_RU.UTF-8"):
        monkeypatch.setenv("LANG", locale)
        _, out, _ = _run(capsys, *argv)
        outputs.append(out)
    assert json.loads(outputs[0])  # a document, not an error
    assert outputs[1:] == outputs[:1] * 3


def _shape(value: object) -> object:
    """The keys of a JSON document and its values that are not text (text may be a title in --lang)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return value if not isinstance(value, str) else str


@pytest.mark.parametrize("argv", JSON_COMMANDS, ids=lambda argv: argv[0])
def test_json_keys_never_change_with_lang(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    documents = []
    for lang in ("en", "uk", "bg", "ru"):
        _, out, _ = _run(capsys, *argv, "--lang", lang)
        documents.append(json.loads(out))
    assert all(_shape(doc) == _shape(documents[0]) for doc in documents)
    # the enum values (statuses, kinds) stay English: only titles follow --lang
    if argv[0] == "check":
        statuses = [[f["status"] for f in doc["findings"]] for doc in documents]
        assert statuses[1:] == statuses[:1] * 3
        assert "violated" in statuses[0]


def test_english_never_imports_babel() -> None:
    """English output needs no catalog and no Babel: the command line starts as fast as before."""
    code = (
        "import sys, io, contextlib\n"
        "from civicflow.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['plan', 'drohobych_kir', '--start', '2025-10-06'])\n"
        "print(any(m == 'babel' or m.startswith('babel.') for m in sys.modules))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert done.stdout.strip() == "False"
    env["LANG"] = "uk_UA.UTF-8"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert done.stdout.strip() == "True"  # the weekdays of Ukrainian dates come from Babel


def test_events_after_the_day_of_the_check_are_named_in_the_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = tmp_path / "kir.yaml"
    log.write_text(
        "template: drohobych_kir\nstart: 2025-10-06\nevents:\n"
        "  - {step: meeting_1, date: 2025-10-08}\n  - {step: publication_1, date: 2027-10-09}\n",
        encoding="utf-8",
    )
    _, out, _ = _run(capsys, "check", "drohobych_kir", str(log), "--as-of", "2025-10-20", "--lang", "uk")
    assert "не враховано: 1 подія, датована пізніше 2025-10-20 пн" in out
    assert "publication_1 виконано 2027-10-09" in out
    _, out, _ = _run(capsys, "status", str(log), "--as-of", "2025-10-20", "--lang", "ru")
    assert "не учтено: события, датированные позже 2025-10-20 пн, в kir (1)" in out


def test_an_unknown_fixed_step_is_told_in_the_language_naming_only_the_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _out, err = _run(
        capsys,
        "--lang",
        "uk",
        "plan",
        "drohobych_kir",
        "--start",
        "2025-10-06",
        "--fix",
        "meeting_9=2025-10-09",
    )
    assert code == 2
    assert err.startswith(
        "civicflow: зафіксовані дати (--fix STEP=DATE) називають невідомий крок: 'meeting_9'"
    )
    assert "API" not in err
    assert "fixed=" not in err


def test_an_unknown_event_in_a_log_is_told_in_the_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = tmp_path / "log.yaml"
    log.write_text(
        "template: drohobych_kir\nstart: 2025-10-06\nevents:\n"
        "  - step: meeting_1\n    event: finish\n    date: 2025-10-09\n",
        encoding="utf-8",
    )
    code, _out, err = _run(
        capsys, "--lang", "uk", "check", "drohobych_kir", str(log), "--as-of", "2025-11-01"
    )
    assert code == 2
    assert "log.yaml:5:12: event: невідома подія 'finish'; відомі події: open, complete, skip" in err
    assert "unknown event" not in err


@pytest.mark.parametrize(
    ("lang", "argv", "said"),
    [
        (
            "uk",
            ("plan", "drohobych_kir", "--start", "2061-01-01"),
            "дата початку 2061-01-01 виходить за межі років",
        ),
        (
            "ru",
            ("check", "drohobych_kir", EVENTS, "--as-of", "2070-01-01"),
            "2070-01-01 выходит за пределы лет",
        ),
        (
            "bg",
            ("plan", "drohobych_kir", "--start", "2025-10-06", "--fix", "meeting_1=2070-01-01"),
            "фиксираният ден",
        ),
    ],
)
def test_a_day_outside_the_calendar_is_told_in_the_language_without_the_api_hint(
    capsys: pytest.CaptureFixture[str], lang: str, argv: tuple[str, ...], said: str
) -> None:
    code, _out, err = _run(capsys, "--lang", lang, *argv)
    assert code == 2
    assert said in err
    assert "(1991..2060)" in err
    assert "API" not in err
    assert "WorkingCalendar" not in err


@pytest.mark.parametrize(
    ("lang", "dashboard"),
    [
        ("en", "web dashboard"),
        ("uk", "веб-панель моніторингу"),
        ("bg", "уеб таблото за наблюдение"),
        ("ru", "веб-панель мониторинга"),
    ],
)
def test_serve_help_names_the_dashboard_at_the_root(
    capsys: pytest.CaptureFixture[str], lang: str, dashboard: str
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--lang", lang, "serve", "--help"])
    assert info.value.code == 0
    out = " ".join(capsys.readouterr().out.split()).lower()
    assert out.count(dashboard) >= 2  # the command's line and its notes
    assert "http://127.0.0.1:8000/" in out
