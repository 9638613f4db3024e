"""The ids nearest to a mistyped one, closest first: the "did you mean" of every message.

:func:`difflib.get_close_matches` scores ``meeting_too`` the same against every ``meeting_N`` and then
lists the last ids of the alphabet first (``meeting_8, meeting_7, meeting_6``). Here a number written as
a word (``one``, ``two``/``too``, ``third``) counts as its digits, so that ``meeting_too`` finds
``meeting_2`` and ``meeting_one`` finds ``meeting_1``, and ids that score the same come in their natural
order (``meeting_2`` before ``meeting_10``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

__all__ = ["closest"]

_NUMBER_WORDS = {
    "zero": "0",
    "one": "1",
    "first": "1",
    "two": "2",
    "too": "2",
    "second": "2",
    "three": "3",
    "third": "3",
    "four": "4",
    "fourth": "4",
    "five": "5",
    "fifth": "5",
    "six": "6",
    "sixth": "6",
    "seven": "7",
    "seventh": "7",
    "eight": "8",
    "eighth": "8",
    "nine": "9",
    "ninth": "9",
    "ten": "10",
    "tenth": "10",
}
_WORD = re.compile(r"[A-Za-z]+")
_DIGITS = re.compile(r"(\d+)")


def _numbers_as_digits(text: str) -> str:
    """``meeting_one`` -> ``meeting_1``: number words between separators written as digits."""
    return _WORD.sub(lambda m: _NUMBER_WORDS.get(m.group(0).lower(), m.group(0)), text)


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that puts ``meeting_2`` before ``meeting_10``."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _DIGITS.split(text) if part)


def closest(word: str, choices: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Up to ``n`` of ``choices`` that look like ``word`` (a similarity of ``cutoff`` or more), the
    closest first, ties in natural order."""
    spelled = _numbers_as_digits(word)
    forms = {word, spelled, word.lower(), spelled.lower()}
    scored: list[tuple[float, tuple[tuple[int, int | str], ...], str]] = []
    for choice in dict.fromkeys(choices):
        matcher = difflib.SequenceMatcher(None, b=choice)
        score = 0.0
        for form in forms:
            matcher.set_seq1(form)
            if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
                score = max(score, matcher.ratio())
        if score >= cutoff:
            scored.append((-score, _natural(choice), choice))
    scored.sort()
    return [choice for _, _, choice in scored[:n]]
