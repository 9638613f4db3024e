"""The message catalogs: every message translated in every language and compiled; the language chosen
from the environment."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from civicflow.i18n import LANGUAGES, Translator, language_from_environment, translator
from i18n_support import TRANSLATED, catalog_problems


def test_every_message_is_translated_in_every_catalog_and_compiled() -> None:
    assert catalog_problems() == []


def test_every_language_but_english_has_a_catalog() -> None:
    assert sorted(TRANSLATED) == sorted(lang for lang in LANGUAGES if lang != "en")


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, "en"),
        ({"LANG": "uk_UA.UTF-8"}, "uk"),
        ({"LANG": "bg_BG"}, "bg"),
        ({"LC_MESSAGES": "ru_RU.UTF-8", "LANG": "uk_UA.UTF-8"}, "ru"),
        ({"LC_ALL": "bg_BG.UTF-8", "LC_MESSAGES": "ru_RU.UTF-8"}, "bg"),
        ({"LANGUAGE": "de:uk", "LANG": "ru_RU.UTF-8"}, "uk"),
        ({"LANGUAGE": "de", "LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": ""}, "en"),
        ({"LANG": "uk_UA.UTF-8@euro"}, "uk"),
    ],
)
def test_the_language_comes_from_the_environment(environ: dict[str, str], lang: str) -> None:
    assert language_from_environment(environ) == lang


def test_plural_forms_follow_each_language() -> None:
    # The catalogs carry their plural rules: Ukrainian and Russian have three forms, Bulgarian two.
    for lang, forms in (("uk", 3), ("ru", 3), ("bg", 2)):
        plural = translator(lang)._catalog.plural  # type: ignore[attr-defined]
        assert len({plural(n) for n in range(200)}) == forms, lang
    assert translator("en").ngettext("{n} day", "{n} days", 1) == "{n} day"


def test_translations_come_from_the_compiled_catalog() -> None:
    assert translator("uk").gettext("today") == "сьогодні"
    assert translator("bg").gettext("today") == "днес"
    assert translator("ru").gettext("today") == "сегодня"
    assert translator("en").gettext("today") == "today"
    assert translator(None) is translator("en")


def test_days_and_months_are_named_in_the_language() -> None:
    monday = dt.date(2025, 10, 6)
    assert translator("en").day(monday) == "2025-10-06 Mon"
    assert translator("uk").day(monday) == "2025-10-06 пн"
    assert translator("en").month(11) == "November"
    assert translator("uk").month(11) == "листопад"
    assert translator("bg").month(11) == "ноември"
    assert translator("ru").month(11) == "ноябрь"


def test_an_unknown_language_is_refused_with_the_ones_spoken() -> None:
    with pytest.raises(ValueError, match="uk, bg, ru, en"):
        translator("de")
    assert isinstance(translator("bg"), Translator)


def test_the_snippet_of_docs_translations_prints_what_its_comments_say() -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "translations.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", text, re.S)
    expected = [line.split("  # ", 1)[1] for line in code.splitlines() if line.startswith("print(")]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "docs/translations.md", "exec"), {})
    assert out.getvalue().splitlines() == expected


@pytest.mark.parametrize("width", ["abbreviated", "wide", "narrow"])
def test_english_names_are_cldr_s_without_importing_babel(width: str) -> None:
    from babel.dates import get_day_names, get_month_names

    en = translator("en")
    monday = dt.date(2025, 10, 6)
    days = [en.weekday(monday + dt.timedelta(days=k), width) for k in range(7)]  # type: ignore[arg-type]
    assert days == [get_day_names(width, context="format", locale="en")[k] for k in range(7)]
    months = [en.month(m, width) for m in range(1, 13)]  # type: ignore[arg-type]
    assert months == [get_month_names(width, context="stand-alone", locale="en")[m] for m in range(1, 13)]


def test_english_dates_do_not_import_babel() -> None:
    import subprocess
    import sys

    code = (
        "import sys, datetime; from civicflow.i18n import translator; t = translator('en'); "
        "print(t.day(datetime.date(2025, 10, 6)), t.month(11)); print('babel' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["2025-10-06 Mon November", "False"]


# One word for a legal time limit in each language: "строк" in Ukrainian law (a period; "термін" is a
# point in time), "срок" in Bulgarian and Russian; one form for "legal deadline"; headers that read as
# headers ("Підстава строку", not "Строк за").
TERMINOLOGY = {  # "термінал" / "терминал" (a terminal) is another word
    "uk": (r"термін(?!ал)", "дедлайн", "встановлений законом строк"),
    "bg": (r"термин(?!ал)", "краен срок"),
    "ru": (r"термин(?!ал)", "дедлайн", "установленный законом срок"),
}
ODD_HEADERS = {"uk": "Строк за", "bg": "Срок по", "ru": "Срок по"}
LEGAL_DEADLINE = {"uk": "законний строк", "bg": "законов срок", "ru": "законный срок"}


@pytest.mark.parametrize("lang", sorted(TERMINOLOGY))
def test_each_catalog_names_a_legal_time_limit_with_one_word(lang: str) -> None:
    from babel.messages.pofile import read_po

    po = Path(__file__).resolve().parents[1] / "src/civicflow/locale" / lang / "LC_MESSAGES/civicflow.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for message in catalog:
        if not message.id:
            continue
        texts = [message.string] if isinstance(message.string, str) else list(message.string)
        for text in texts:
            for word in TERMINOLOGY[lang]:
                assert re.search(word, text, re.IGNORECASE) is None, (message.id, text)
            assert text != ODD_HEADERS[lang], message.id
    tr = translator(lang)
    for msgid in ("legal deadline", "a legal deadline", "legal deadline {day}", "Legal deadline: {day}."):
        assert LEGAL_DEADLINE[lang] in tr.gettext(msgid).casefold(), msgid
