"""Refusals and errors speak the reader's language: the command line's (``--lang``) and the dashboard's.

Each test fails on the English words a new user found left in Ukrainian, Bulgarian or Russian output:
raw step states (``pending``), raw event words (``open``, ``complete``, ``skip``), participles where an
action is meant, English problem titles and details, loader and store errors.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import re
from collections.abc import Iterator
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
    assert "(it is pending). allowed on 2025-10-07 Tue: open meeting_1, complete meeting_1" in str(info.value)


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


# -- loader and store errors at the command line ------------------------------------------------------

BAD_LOG = "events:\n  - step: meetin_1\n    date: 2025-13-01\n  - {step: meeting_1, dat: 2025-10-07}\n"
LOADER_WORDS = {
    "uk": {
        "heading": "4 проблеми в журналі подій:",
        "step": "невідомий крок 'meetin_1'; можливо, ви мали на увазі meeting_1",
        "date": "'2025-13-01' не є датою; напишіть РРРР-ММ-ДД",
        "field": "невідоме поле 'dat'; можливо, ви мали на увазі 'date'?",
        "template": "немає ні такого файлу, ні вбудованого шаблону з таким ідентифікатором",
        "syntax": "синтаксис YAML:",
        "empty": "файл порожній; шаблон починається з 'civicflow: 1'",
        "missing": "не вдається прочитати файл: немає такого файлу чи теки",
        "instance": "немає відстежуваного процесу з назвою 'nosuch'; відстежуються: kir",
        "exists": "процес з назвою 'kir' уже відстежується",
        "name": "назва процесу 'a/b' не може містити '/'",
    },
    "bg": {
        "heading": "4 проблема в дневника на събитията:",
        "step": "непозната стъпка 'meetin_1'; може би имахте предвид meeting_1",
        "date": "'2025-13-01' не е дата; напишете ГГГГ-ММ-ДД",
        "field": "непознато поле 'dat'; може би имахте предвид 'date'?",
        "template": "няма нито такъв файл, нито вграден шаблон с такъв идентификатор",
        "syntax": "синтаксис на YAML:",
        "empty": "файлът е празен; шаблонът започва с 'civicflow: 1'",
        "missing": "файлът не може да бъде прочетен: няма такъв файл или папка",
        "instance": "няма следен процес с име 'nosuch'; следят се: kir",
        "exists": "процес с име 'kir' вече се следи",
        "name": "името на процеса 'a/b' не може да съдържа '/'",
    },
    "ru": {
        "heading": "4 проблемы в журнале событий:",
        "step": "неизвестный шаг 'meetin_1'; возможно, вы имели в виду meeting_1",
        "date": "'2025-13-01' не является датой; напишите ГГГГ-ММ-ДД",
        "field": "неизвестное поле 'dat'; возможно, вы имели в виду 'date'?",
        "template": "нет ни такого файла, ни встроенного шаблона с таким идентификатором",
        "syntax": "синтаксис YAML:",
        "empty": "файл пуст; шаблон начинается с 'civicflow: 1'",
        "missing": "не удаётся прочитать файл: нет такого файла или папки",
        "instance": "нет отслеживаемого процесса с названием 'nosuch'; отслеживаются: kir",
        "exists": "процесс с названием 'kir' уже отслеживается",
        "name": "название процесса 'a/b' не может содержать '/'",
    },
}
ENGLISH_LOADER = (
    "problems in event log",
    "problem in process template",
    "unknown step",
    "is not a date",
    "unknown field",
    "did you mean",
    "no such file",
    "YAML syntax",
    "the file is empty",
    "cannot read the file",
    "No such file or directory",
    "no tracked instance",
    "is tracked already",
    "cannot hold",
)


@pytest.mark.parametrize("lang", sorted(LOADER_WORDS))
def test_loader_and_store_errors_in_the_language_keep_file_and_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text(BAD_LOG, encoding="utf-8")
    (tmp_path / "syntax.yaml").write_text("a: b: c\n", encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    words = LOADER_WORDS[lang]
    said: list[str] = []

    def refused(*argv: str) -> str:
        code, _, err = _run(capsys, *argv, "--lang", lang)
        assert code == 2, err
        said.append(err)
        return err

    log = refused("check", KIR, "bad.yaml")
    assert words["heading"] in log
    assert f"bad.yaml:2:11: step: {words['step']}" in log
    assert f"bad.yaml:3:11: date: {words['date']}" in log
    assert f"bad.yaml:4:28: dat: {words['field']}" in log
    assert f"drohobych_kirr: {words['template']}" in refused(
        "plan", "drohobych_kirr", "--start", "2025-10-06"
    )
    assert f"syntax.yaml:1:5: {words['syntax']}" in refused("plan", "syntax.yaml", "--start", "2025-10-06")
    assert f"empty.yaml:1:1: {words['empty']}" in refused("plan", "empty.yaml", "--start", "2025-10-06")
    assert f"missing.csv: {words['missing']}" in refused("check", KIR, "missing.csv")
    db = str(tmp_path / "track.db")
    assert _run(capsys, "track", "new", KIR, "--name", "kir", "--start", "2025-10-06", "--db", db)[0] == 0
    assert words["instance"] in refused(
        "track", "record", "nosuch", "meeting_1", "--date", "2025-10-07", "--db", db
    )
    assert words["exists"] in refused(
        "track", "new", KIR, "--name", "kir", "--start", "2025-10-06", "--db", db
    )
    assert words["name"] in refused("track", "new", KIR, "--name", "a/b", "--start", "2025-10-06", "--db", db)
    for english in ENGLISH_LOADER:
        for text in said:
            assert english not in text, (english, text)


def test_the_english_of_loader_and_store_errors_is_unchanged(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text(BAD_LOG, encoding="utf-8")
    _, _, err = _run(capsys, "check", KIR, "bad.yaml")
    assert err.splitlines() == [
        "civicflow: 4 problems in event log:",
        "  bad.yaml:2:11: step: unknown step 'meetin_1'; did you mean meeting_1, meeting_2, meeting_3?",
        "  bad.yaml:3:11: date: '2025-13-01' is not a date; write YYYY-MM-DD or DD.MM.YYYY (that local day), "
        "YYYY-MM-DDTHH:MM[:SS][+HH:MM|Z] or DD.MM.YYYY HH:MM",
        "  bad.yaml:4: date: the record has no date; write YYYY-MM-DD or DD.MM.YYYY (that local day), "
        "YYYY-MM-DDTHH:MM[:SS][+HH:MM|Z] or DD.MM.YYYY HH:MM",
        "  bad.yaml:4:28: dat: unknown field 'dat'; did you mean 'date'?",
    ]
    _, _, err = _run(capsys, "plan", "drohobych_kirr", "--start", "2025-10-06")
    assert err.startswith(
        "civicflow: drohobych_kirr: no such file and no bundled template with that id; did you mean "
        "drohobych_kir? bundled templates: drohobych_kir, "
    )


# -- why a step is due: the plan's reasons -------------------------------------------------------------

PLAN_REASON = {
    "uk": "жодне правило ще не встановлює дати strategic_session; план від 2025-10-06 пн допускає",
    "bg": "засега никое правило не определя дата за strategic_session; планът от 2025-10-06 пн допуска",
    "ru": "ни одно правило пока не определяет дату strategic_session; план от 2025-10-06 пн допускает",
}


@pytest.mark.parametrize("lang", sorted(PLAN_REASON))
def test_a_planned_days_reason_is_in_the_language(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    from civicflow.compliance import outlook
    from civicflow.i18n import translator
    from civicflow.loader import read_event_log

    template = load_template(KIR)
    log = Path(__file__).resolve().parents[1] / "examples" / "drohobych_events.yaml"
    events = read_event_log(log, template=template)
    found = outlook({"kir": (template, events, START)}, dt.date(2025, 11, 20), within=10)
    (item,) = [i for i in found.planned if i.step == "strategic_session"]
    assert item.explanation.startswith(  # English as before, with the planner's own line
        "no rule dates strategic_session yet; the plan from 2025-10-06 Mon lets it happen until "
        "2025-11-28 Fri (latest 2025-11-28 Fri: "
    )
    said = item.text(translator(lang))
    assert PLAN_REASON[lang] in said
    for english in ("no rule dates", "the plan from", "lets it", "latest ", "window "):
        assert english not in said, english
    code, out, _ = _run(
        capsys, "due", str(log), "--as-of", "2025-11-20", "--within", "10", "--format", "ics", "--lang", lang
    )
    assert code == 0
    unfolded = out.replace("\r\n ", "").replace("\\;", ";")
    assert PLAN_REASON[lang] in unfolded
    assert "no rule dates" not in unfolded


# -- help ---------------------------------------------------------------------------------------------


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


@pytest.mark.parametrize("lang", ["uk", "bg", "ru"])
def test_every_help_text_of_every_command_is_translated(lang: str) -> None:
    from civicflow.cli import _help_words, build_parser
    from civicflow.i18n import translator

    tr = translator(lang)
    checked = 0
    for parser in _parsers(build_parser()):
        texts = [parser.description, parser.epilog]
        for action in parser._actions:
            texts.append(action.help)
            texts.extend(choice.help for choice in getattr(action, "_choices_actions", ()))
        for text in texts:
            if not text or text == argparse.SUPPRESS:
                continue
            checked += 1
            assert _help_words(text, tr) != text, (parser.prog, text)
    assert checked > 190


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "uk",
            (
                "використання: civicflow track record",
                "параметри:",
                "показати цю довідку та вийти",
                "хто це зробив",
            ),
        ),
        (
            "bg",
            (
                "употреба: civicflow track record",
                "опции:",
                "показва тази помощ и излиза",
                "кой го е извършил",
            ),
        ),
        (
            "ru",
            (
                "использование: civicflow track record",
                "параметры:",
                "показать эту справку и выйти",
                "кто это сделал",
            ),
        ),
    ],
)
def test_help_is_in_the_language(
    capsys: pytest.CaptureFixture[str], lang: str, words: tuple[str, ...]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["track", "record", "--help", "--lang", lang])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for word in words:
        assert word in out, word
    for english in ("usage:", "options:", "show this help", "who did it", "a note", "the step id"):
        assert english not in out, english


def test_english_help_is_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert (
        "one of csv, html, ics, json, markdown, mermaid (md = markdown); default: from --output's extension"
        in out
    )
    assert "show this help message and exit" in out


def test_an_impossible_order_in_a_log_is_told_in_the_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    log = "events:\n  - {step: publication_1, date: 2025-10-07}\n  - {step: meeting_1, date: 2025-10-08}\n"
    (tmp_path / "order.yaml").write_text(log, encoding="utf-8")
    _, _, english = _run(capsys, "check", KIR, "order.yaml")
    assert "order.yaml:2: impossible order: 'publication_1' cannot be completed on 2025-10-07 Tue" in english
    code, _, err = _run(capsys, "check", KIR, "order.yaml", "--lang", "uk")
    assert code == 2
    assert (
        "order.yaml:2: неможливий порядок подій: 'publication_1' не можна завершити 2025-10-07 вт: "
        "крок очікує на завершення 'meeting_1' (зараз: не розпочато)"
    ) in err


def test_a_replayed_history_names_its_problems_in_the_language() -> None:
    from civicflow import Event, EventType
    from civicflow.errors import EventLogError

    at = dt.datetime(2025, 10, 7, tzinfo=dt.UTC)
    events = [Event("publication_1", EventType.COMPLETE, at), Event("nosuch", EventType.COMPLETE, at)]
    with pytest.raises(EventLogError) as info:
        ProcessInstance.from_events(load_template(KIR), start=START, events=events)
    assert str(info.value).splitlines()[1:] == [
        "  event 1 (complete publication_1): 'publication_1' cannot be completed on 2025-10-07 Tue: it waits "
        "for 'meeting_1' to be completed (it is pending)",
        "  event 2: unknown step 'nosuch'",
    ]
    assert info.value.text_in("ru").splitlines() == [
        "2 проблемы в журнале событий:",
        "  событие 1 (завершить publication_1): 'publication_1' нельзя завершить 2025-10-07 вт: шаг ожидает "
        "завершения 'meeting_1' (сейчас: не начат)",
        "  событие 2: неизвестный шаг 'nosuch'",
    ]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("deadline", "XX", "2025-01-01", "3 days"), "аргумент COUNTRY: невідомий код країни 'XX'; можливо"),
        (
            ("deadline", "UA", "2025-01-01", "3 dais"),
            "аргумент PERIOD: не вдається прочитати '3 dais' як строк",
        ),
        (("export", KIR, "--start", "2025-10-06", "--format", "xls"), "невідомий формат експорту 'xls'"),
    ],
)
def test_argument_errors_follow_lang(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], words: str
) -> None:
    with contextlib.suppress(SystemExit):
        code = main([*argv, "--lang", "uk"])
        assert code == 2
    err = capsys.readouterr().err
    assert words in err
    for english in ("argument ", "unknown ", "cannot read"):
        assert english not in err, english


def test_a_date_track_record_cannot_read_is_told_in_the_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "track.db")
    assert _run(capsys, "track", "new", KIR, "--name", "kir", "--start", "2025-10-06", "--db", db)[0] == 0
    code, _, err = _run(
        capsys, "track", "record", "kir", "meeting_1", "--date", "2025-13-01", "--db", db, "--lang", "ru"
    )
    assert code == 2
    assert "--date: '2025-13-01' не является датой; напишите ГГГГ-ММ-ДД" in err


BAD_TEMPLATE = (
    'civicflow: 1\nid: Bad\nversion: "1"\ntitle: {en: x}\njurisdiction: {country: UA}\nstages: []\nfoo: 1\n'
)


@pytest.mark.parametrize("command", ["lint", "plan"])
def test_an_ill_formed_template_is_told_in_the_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text(BAD_TEMPLATE, encoding="utf-8")
    argv = ["lint", "bad.yaml"] if command == "lint" else ["plan", "bad.yaml", "--start", "2025-01-01"]
    code, english, english_err = _run(capsys, *argv)
    assert code == 2
    assert "bad.yaml:7:1: foo: unknown field 'foo'; allowed fields: civicflow, id," in english + english_err
    code, out, err = _run(capsys, *argv, "--lang", "uk")
    assert code == 2
    said = out + err
    assert "bad.yaml:1:1: language: бракує обов’язкового поля 'language'; обов’язкові поля тут:" in said
    assert "bad.yaml:2:5: id: 'Bad' не є коректним ідентифікатором" in said
    assert "bad.yaml:7:1: foo: невідоме поле 'foo'; допустимі поля: civicflow, id," in said
    for english in ("missing required field", "is not a valid id", "unknown field", "allowed fields"):
        assert english not in said, english


def test_a_templates_own_checks_are_told_in_the_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    head = 'civicflow: 1\nid: t\nversion: "1"\nlanguage: en\ntitle: {en: x}\njurisdiction: {country: UA}\n'
    head += "stages:\n  - id: s\n    title: {en: s}\n    steps:\n"
    twice = "      - {id: a, kind: meeting, title: {en: a}, depends_on: [{step: b}]}\n"
    twice += "      - {id: a, kind: meeting, title: {en: a2}}\n"
    backwards = "      - {id: a, kind: meeting, title: {en: a}, timing: {type: range, start: 2025-02-01, "
    backwards += "end: 2025-01-01}}\n"
    (tmp_path / "t.yaml").write_text(head + twice, encoding="utf-8")
    (tmp_path / "r.yaml").write_text(head + backwards, encoding="utf-8")
    _, english, _ = _run(capsys, "lint", "t.yaml", "r.yaml")
    assert "refers to unknown step 'b'; known steps: a" in english
    assert "end 2025-01-01 is before start 2025-02-01; swap them" in english
    code, out, _ = _run(capsys, "lint", "t.yaml", "r.yaml", "--lang", "bg")
    assert code == 2
    assert "t.yaml:11:61: stages[0].steps[0].depends_on[0]: препратка към непозната стъпка 'b'" in out
    assert "повторен идентификатор на стъпка 'a'; вече е използван в stages[0].steps[0].id" in out
    assert "краят 2025-01-01 е преди началото 2025-02-01; разменете ги" in out


def test_a_start_missing_or_refused_is_told_in_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    from civicflow import plan
    from civicflow.errors import PlanInputError

    code, _, err = _run(capsys, "plan", "drohobych_kir", "--lang", "uk")
    assert code == 2
    assert "drohobych_kir не має встановленого початку: вкажіть початок процесу (--start DATE)" in err
    code, _, err = _run(capsys, "plan", "togliatti_map", "--start", "2021-01-01", "--lang", "ru")
    assert code == 2
    assert "togliatti_map имеет собственное начало, 2021-03-26" in err
    assert "(--start DATE) или укажите собственное начало шаблона" in err
    # the library's English, naming the API's argument, as before
    with pytest.raises(PlanInputError) as info:
        plan(load_template("drohobych_kir"))
    assert str(info.value) == "drohobych_kir has no fixed start: give the process start (start=)"
    with pytest.raises(PlanInputError) as info:
        plan(load_template("togliatti_map"), start=dt.date(2021, 1, 1))
    assert str(info.value) == (
        "togliatti_map fixes its own start, 2021-03-26, and dates its steps from it; a start of 2021-01-01 "
        "would move them silently. Leave the start out (start=) or give the template's own"
    )
