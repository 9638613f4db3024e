"""Exports in the reader's language: headings, legends, status words, dates and explanations in uk, bg and
ru; JSON and CSV keys and values that programs read stay English."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from civicflow import load_template, plan, read_event_log
from civicflow.exporters import ExportOptions, render, statuses_for

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 11, 20)


@pytest.fixture(scope="module")
def drohobych() -> tuple[Any, Any, Any]:
    template = load_template("drohobych_kir")
    events = read_event_log(ROOT / "examples" / "drohobych_events.yaml", template=template)
    schedule = plan(
        template,
        start=dt.date(2025, 10, 6),
        fixed={
            "meeting_1": dt.date(2025, 10, 9),
            "publication_1": dt.date(2025, 10, 16),
            "meeting_2": dt.date(2025, 11, 13),
        },
    )
    statuses = statuses_for(template, events, start=dt.date(2025, 10, 6), as_of=AS_OF)
    return template, schedule, statuses


def _render(fmt: str, drohobych: tuple[Any, Any, Any], lang: str | None) -> str:
    template, schedule, statuses = drohobych
    options = ExportOptions(lang=lang, template=template, as_of=AS_OF, statuses=statuses)
    return render(fmt, schedule, options)


def test_html_in_bulgarian(drohobych: tuple[Any, Any, Any]) -> None:
    page = _render("html", drohobych, "bg")
    assert '<html lang="bg">' in page
    assert "<h2>Стъпки</h2>" in page
    for head in ("Стъпка", "Етап", "Вид", "Начало", "Край", "Срок", "Статус", "Отговорници"):
        assert f"<th>{head}</th>" in page
    assert "<th>Как са определени датите</th>" in page
    # the legend, status chips and the meta line
    assert "<span>законов срок</span>" in page
    assert "<span>изпълнено със закъснение</span>" in page
    assert "<span>към 2025-11-20 чт</span>" in page
    assert ">изпълнено със закъснение</span></td>" in page  # publication_1, published late
    # Babel's month names on the chart's axis, weekdays in the table
    assert ">ное 2025<" in page
    assert '<td class="date">2025-10-16 чт</td>' in page
    # the rule's explanation in Bulgarian, with the citation as a Bulgarian lawyer writes it
    assert "3 работни дни след 2025-10-09 чт (денят на събитието не се брои: " in page
    assert "чл. 253 от Гражданския кодекс на Украйна" in page
    # how the planner reached each day, in Bulgarian too
    assert "най-рано 2025-10-10 пт: след meeting_1 на 2025-10-09 чт" in page
    for english in ("<h2>Steps</h2>", "<th>Deadline</th>", ">legal deadline<", ">done late<"):
        assert english not in page
    for english in ("earliest ", "latest ", "undecided", " opens on ", " closes on "):
        assert english not in page


def test_html_status_tooltip_explains_in_the_language(drohobych: tuple[Any, Any, Any]) -> None:
    page = _render("html", drohobych, "uk")
    assert '<html lang="uk">' in page
    assert "через 2 робочі дні після закінчення строку 2025-10-14 вт" in page


def test_html_without_a_language_keeps_english(drohobych: tuple[Any, Any, Any]) -> None:
    english = _render("html", drohobych, None)
    assert english == _render("html", drohobych, "en").replace('<html lang="en">', '<html lang="uk">')
    assert "<h2>Steps</h2>" in english
    assert ">done late</span></td>" in english
    assert "2 working days after the deadline 2025-10-14 Tue" in english


def _events(text: str) -> list[Any]:
    return [c for c in Calendar.from_ical(text).walk() if c.name == "VEVENT"]


def test_ics_in_russian(drohobych: tuple[Any, Any, Any]) -> None:
    events = _events(_render("ics", drohobych, "ru"))
    by_uid = {str(e["UID"]): e for e in events}
    deadline = by_uid["drohobych_kir.publication_1.deadline@civicflow"]
    assert str(deadline["SUMMARY"]).startswith("Срок: ")
    description = str(deadline["DESCRIPTION"])
    assert "Дата: 2025-10-16 чт." in description
    assert "Законный срок: 2025-10-14 вт." in description
    assert (
        "3 рабочих дня после 2025-10-09 чт (день события не учитывается: "
        "ст. 253 Гражданского кодекса Украины) -> 2025-10-14 вт" in description
    )
    assert "Статус на 2025-11-20 чт: выполнено с опозданием." in description
    assert "через 2 рабочих дня после истечения срока 2025-10-14 вт" in description
    alarm = deadline.subcomponents[0]
    assert str(alarm["DESCRIPTION"]).startswith("Срок 2025-10-14 вт: ")
    window = by_uid["drohobych_kir.strategic_session@civicflow"]
    assert str(window["SUMMARY"]).endswith(" (окно)")
    assert str(window["DESCRIPTION"]).startswith("Окно (дата ещё не определена): с 2025-11-21 пт по ")
    assert "не определено: в промежутке 2025-11-21 пт .. 2025-11-28 пт" in str(window["DESCRIPTION"])
    for event in events:
        for english in ("earliest ", "latest ", "undecided", " opens on ", " closes on "):
            assert english not in str(event["DESCRIPTION"])
    # the values programs read stay as they are
    assert str(window["STATUS"]) == "TENTATIVE"


def test_ics_in_english_is_unchanged(drohobych: tuple[Any, Any, Any]) -> None:
    assert _render("ics", drohobych, None) == _render("ics", drohobych, "en")
    events = _events(_render("ics", drohobych, None))
    by_uid = {str(e["UID"]): e for e in events}
    assert str(by_uid["drohobych_kir.publication_1.deadline@civicflow"]["SUMMARY"]).startswith("Deadline: ")


def test_markdown_in_ukrainian(drohobych: tuple[Any, Any, Any]) -> None:
    text = _render("markdown", drohobych, "uk")
    for line in (
        "- Процес: `drohobych_kir`",
        "- Заплановано: 2025-10-06 пн – 2026-04-07 вт",
        "- Стан на: 2025-11-20 чт",
        "## Етапи",
        "## Строки",
        "## Дотримання строків",
        "| Крок | Вид | Коли | Строк | Відповідальні | Статус |",
        "| Крок | Статус | Строк | Фактично | Примітка |",
    ):
        assert line in text.splitlines()
    assert "вікно 2025-11-14 пт – 2025-11-25 вт (дату не визначено)" in text
    assert "| **виконано із запізненням** |" in text


def _titles_removed(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _titles_removed(v) for k, v in value.items() if k not in ("title", "name")}
    if isinstance(value, list):
        return [_titles_removed(v) for v in value]
    return value


def test_json_is_the_same_in_every_language(drohobych: tuple[Any, Any, Any]) -> None:
    english = _render("json", drohobych, "en")
    # drohobych_kir has no Bulgarian or Russian titles: those fall back to English, so nothing differs
    assert _render("json", drohobych, "bg") == english
    assert _render("json", drohobych, "ru") == english
    # in Ukrainian only the template's own titles differ; keys, statuses, dates and messages do not
    ukrainian = json.loads(_render("json", drohobych, "uk"))
    assert ukrainian != json.loads(english)
    assert _titles_removed(ukrainian) == _titles_removed(json.loads(english))


def test_csv_keeps_its_columns_and_values(drohobych: tuple[Any, Any, Any]) -> None:
    rows = {lang: list(csv.DictReader(io.StringIO(_render("csv", drohobych, lang)))) for lang in ("en", "ru")}
    assert list(rows["ru"][0]) == list(rows["en"][0])
    for en, ru in zip(rows["en"], rows["ru"], strict=True):
        for key in ("step", "kind", "start", "end", "span", "window", "deadline", "critical", "status"):
            assert ru[key] == en[key]
    first = rows["ru"][0]
    assert (first["start"], first["start_weekday"]) == ("2025-10-09", "чт")
    assert rows["en"][0]["start_weekday"] == "Thu"
    # the explanation is for people: in the reader's language
    assert rows["en"][0]["rule"].startswith("fixed on 2025-10-09 Thu; earliest 2025-10-09 Thu: ")
    assert rows["ru"][0]["rule"].startswith("назначено на 2025-10-09 чт; не ранее 2025-10-09 чт: ")


def test_mermaid_words_follow_the_language(drohobych: tuple[Any, Any, Any]) -> None:
    text = _render("mermaid", drohobych, "uk")
    assert " (вікно) :" in text
    assert " (window) :" not in text
