"""Data from templates and logs made safe for the formats it is exported to.

* CSV: a cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return) gets a leading apostrophe, as the OWASP guidance on CSV injection recommends.
  Numbers (``-3``, ``+1.5``) and ISO dates stay as they are, so that they are still numbers and dates.
* Markdown: text is one line with the characters that make links, images, emphasis, headings, code and
  raw HTML escaped, so that a title or a note cannot break out of its heading or cell, add a
  ``javascript:`` link or inject HTML. Control characters are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["csv_cell", "csv_row", "md_text", "without_controls"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>#|~!&]|(?<![^\W_])_|_(?![^\W_]))")
# An underscore between two letters or digits cannot start or end emphasis (CommonMark's flanking
# rules): ids such as publication_analysis stay readable.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV cell that no spreadsheet runs as a formula; numbers stay numbers."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if _NUMBER.match(value):
        return value
    return "'" + value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a row through :func:`csv_cell`."""
    return [csv_cell(v) for v in values]


def md_text(text: str) -> str:
    """``text`` as inline Markdown that shows exactly the text: one line, no markup, no HTML, no links."""
    one_line = " ".join(_CONTROL.sub(" ", text).split())
    return _MD_SPECIAL.sub(r"\\\1", one_line)


_OUTPUT_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")


def without_controls(text: str) -> str:
    """An export with every control character that data could bring replaced by ``?``: tab, newline and
    the CR of a CRLF line end (calendar files use them) stay. No format needs the others, and an export
    written to a terminal (``civicflow export`` without ``--output``) must not carry escape sequences."""
    return _OUTPUT_CONTROL.sub("?", text)
