"""Text from outside: what a stored or printed value may contain, and making data safe for a terminal.

Templates, event logs and command-line arguments come from people civicflow does not know. Python can
hold text that no file or database can (a lone surrogate such as ``\\ud800`` from a JSON escape or from
bytes that are not UTF-8 in an argument); PostgreSQL refuses NUL characters that SQLite keeps. These
helpers say what is wrong with such a value before anything is written, and strip control characters
(escape sequences) from data before it reaches a terminal.
"""

from __future__ import annotations

import re

__all__ = ["first_surrogate", "json_terminal_safe", "terminal_safe", "text_problem"]

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls except tab and newline, DEL, C1 controls; and the bidirectional overrides and isolates,
# which reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_INLINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def first_surrogate(text: str) -> int | None:
    """The index of the first lone surrogate in ``text`` (a code point that is not a character), or None."""
    found = _SURROGATE.search(text)
    return found.start() if found else None


def text_problem(value: str, what: str, max_length: int | None = None) -> str | None:
    """Why ``value`` cannot be stored as ``what`` (too long, a NUL, a lone surrogate), or None when it can."""
    if max_length is not None and len(value) > max_length:
        return f"{what} is {len(value):,} characters long; at most {max_length:,} are allowed"
    if "\x00" in value:
        return f"{what} contains a NUL character (\\x00), which text cannot hold; remove it"
    at = first_surrogate(value)
    if at is not None:
        return (
            f"{what} contains {value[at]!r} at character {at + 1}, which is not a character "
            "(a lone surrogate: invalid UTF-8 or a broken \\u escape); remove it"
        )
    return None


def terminal_safe(text: str, *, newlines: bool = False) -> str:
    """``text`` with control characters (escape sequences, bidirectional overrides) replaced by ``?``, so
    that data read from a template or a log cannot move the cursor, recolour or retitle a terminal.

    Tab is kept; newlines are kept with ``newlines=True`` (multi-line notes), else replaced too.
    """
    pattern = _CONTROL if newlines else _CONTROL_INLINE
    cleaned = pattern.sub("?", text)
    at = first_surrogate(cleaned)
    if at is not None:
        cleaned = _SURROGATE.sub("\ufffd", cleaned)
    return cleaned


_JSON_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_terminal_safe(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with every control character but newline
    and tab written as a ``\\uXXXX`` escape: json.dumps escapes C0 controls inside strings already but
    leaves DEL, C1 and bidirectional overrides raw. The same data for a program, nothing a terminal acts
    on, even for text that only looks like JSON."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
