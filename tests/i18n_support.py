"""Extracting, updating, compiling and checking the message catalogs (used by tests and scripts/i18n.py)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "src" / "civicflow" / "locale"
POT = LOCALE_DIR / "civicflow.pot"
TRANSLATED = ("uk", "bg", "ru")
"""The catalogs; English is the source language (its messages are the msgids)."""

HEADER = "# Messages of civicflow in this language.\n# Compile with: python scripts/i18n.py compile\n"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sdr]|%[sd]")


def extracted() -> Catalog:
    """Every message marked in the package's source and templates, as a catalog without translations."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = _new_catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _new_catalog(locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale,
        domain="civicflow",
        project="civicflow",
        copyright_holder="civicflow developers",
        charset="utf-8",
        msgid_bugs_address="civicflow developers",
        last_translator="civicflow developers",
        language_team="civicflow developers",
        header_comment=HEADER,
    )


def extract(pot: Path) -> None:
    """Write the template catalog (sorted, without line numbers, so that it changes only with messages)."""
    buffer = io.BytesIO()
    write_po(buffer, extracted(), sort_output=True, include_lineno=False, omit_header=False, width=100)
    pot.write_bytes(buffer.getvalue())


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def update() -> list[Path]:
    """Bring every catalog in line with the source: new messages added untranslated, gone ones dropped."""
    template = extracted()
    written = []
    for lang in TRANSLATED:
        path = LOCALE_DIR / lang / "LC_MESSAGES" / "civicflow.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = _read(path, lang) if path.exists() else _new_catalog(lang)
        created = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.creation_date = created  # the header changes only when a translator says so
        catalog.fuzzy = False  # a fuzzy header would be left out of the .mo, and its plural forms with it
        buffer = io.BytesIO()
        write_po(buffer, catalog, sort_output=True, include_lineno=False, width=100)
        path.write_bytes(buffer.getvalue())
        written.append(path)
    return written


def adopt(po: Path, donor: Path) -> int:
    """Copy into catalog ``po`` the translations ``donor`` (another version of the same language's
    catalog) has for messages ``po`` lacks or leaves untranslated; the number copied. After two
    branches both added messages, the catalog of one adopts the other's translations."""
    catalog, other = _read(po), _read(donor)
    copied = 0
    for message in other:
        if not message.id or not _strings(message.string) or not all(_strings(message.string)):
            continue
        mine = catalog.get(message.id, context=message.context)
        if mine is None:
            catalog[message.id] = message
            copied += 1
        elif not all(_strings(mine.string)) or not _strings(mine.string):
            mine.string = message.string
            copied += 1
    buffer = io.BytesIO()
    write_po(buffer, catalog, sort_output=True, include_lineno=False, width=100)
    po.write_bytes(buffer.getvalue())
    return copied


def compiled(po: Path) -> bytes:
    """The ``.mo`` bytes of catalog ``po`` (fuzzy entries left out)."""
    buffer = io.BytesIO()
    write_mo(buffer, _read(po), use_fuzzy=False)
    return buffer.getvalue()


def compile_catalog(po: Path) -> Path:
    mo = po.with_suffix(".mo")
    mo.write_bytes(compiled(po))
    return mo


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _strings(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def catalog_problems() -> list[str]:
    """What is wrong with the catalogs: a message missing, untranslated or fuzzy, a placeholder lost or
    invented in a translation, a ``.mo`` that is not the compiled ``.po``."""
    source = extracted()
    problems: list[str] = []
    for lang in TRANSLATED:
        po = LOCALE_DIR / lang / "LC_MESSAGES" / "civicflow.po"
        if not po.exists():
            problems.append(f"{lang}: no catalog {po.relative_to(ROOT)}")
            continue
        catalog = _read(po, lang)
        for message in source:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            entry = catalog.get(key, context=message.context)
            if entry is None:
                problems.append(f"{lang}: missing {key!r}")
                continue
            translations = _strings(entry.string)
            if not translations or not all(t.strip() for t in translations):
                problems.append(f"{lang}: untranslated {key!r}")
                continue
            if entry.fuzzy:
                problems.append(f"{lang}: fuzzy {key!r}")
            wanted = _placeholders(_strings(message.id)[-1])
            for text in translations:
                if wanted and _placeholders(text) != wanted and _placeholders(text) != _placeholders(key):
                    problems.append(f"{lang}: {key!r} has placeholders {wanted}, its translation {text!r}")
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compiled(po):
            stale = mo.relative_to(ROOT)
            problems.append(f"{lang}: {stale} is not the compiled catalog (python scripts/i18n.py compile)")
    return problems
