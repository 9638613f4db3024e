"""Turn pydantic's validation errors into :class:`~civicflow.errors.Problem` s that say what would be right.

Pydantic's locations mix document keys with its own markers (the tag of a discriminated union, ``[key]``
for a bad mapping key). :func:`document_path` keeps only what is in the document, so that the loader can
find the line and column; :func:`describe` writes a message that names the allowed values or fields.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from civicflow.i18n import _
from civicflow.messages import Message, Param, Term
from civicflow.template import FORMAT_VERSION, ProcessTemplate

__all__ = ["Path", "allowed_fields", "describe", "document_path", "show_value", "shown_value"]

Path = tuple[str | int, ...]

_PATTERN_HINTS = {
    r"^[a-z][a-z0-9_]*$": _(
        "{value} is not a valid id; use lowercase letters, digits and underscores, starting with a letter, "
        "e.g. meeting_1"
    ),
    r"^[A-Z]{2}$": _(
        "{value} is not a country code; write the two capital letters of ISO 3166-1, e.g. UA, BG, RU"
    ),
    r"^[A-Z]{3}$": _(
        "{value} is not a currency code; write the three capital letters of ISO 4217, e.g. BGN, UAH, EUR"
    ),
    r"^[a-z]{2}$": _(
        "{value} is not a language code; write the two small letters of ISO 639-1, e.g. uk, bg, ru, en"
    ),
}

_TYPE_NAMES = {
    "string_type": _("text"),
    "int_type": _("a whole number"),
    "int_parsing": _("a whole number"),
    "int_from_float": _("a whole number"),
    "float_type": _("a number"),
    "float_parsing": _("a number"),
    "bool_type": _("true or false"),
    "bool_parsing": _("true or false"),
    "decimal_type": _("an amount such as 75970.01"),
    "decimal_parsing": _("an amount such as 75970.01"),
    "list_type": _("a list (lines starting with '- ', or [a, b])"),
    "dict_type": _("a mapping (key: value lines)"),
    "model_type": _("a mapping (key: value lines)"),
    "model_attributes_type": _("a mapping (key: value lines)"),
}


def show_value(value: Any) -> str:
    """A short description of a YAML value for messages: quoted text, or what kind of thing it is."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def shown_value(value: Any) -> Param:
    """:func:`show_value` with its words (nothing, a mapping, a list) in the reader's language."""
    if value is None:
        return Term(_("nothing (null)"))
    if isinstance(value, dict):
        return Term(_("a mapping"))
    if isinstance(value, list):
        return Term(_("a list"))
    return show_value(value)


def _unwrap(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _union_members(annotation: Any) -> list[Any]:
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_union_members(arg))
        return out
    return [annotation]


def _type_literals(member: Any) -> tuple[Any, ...]:
    """The values a model's ``type`` field allows (empty for anything else)."""
    if _is_model(member) and "type" in member.model_fields:
        return typing.get_args(_unwrap(member.model_fields["type"].annotation))
    return ()


def _tags(annotation: Any) -> list[str]:
    """The ``type`` values of a discriminated union of models."""
    return [str(a) for member in _union_members(annotation) for a in _type_literals(member)]


def _pick(annotation: Any, value: Any) -> Any:
    """The member of a union that ``value`` is meant for (by its ``type`` tag), or the annotation."""
    members = [m for m in _union_members(annotation) if m is not type(None)]
    if len(members) == 1:
        return members[0]
    if isinstance(value, dict):
        for member in members:
            if value.get("type") in _type_literals(member):
                return member
    return annotation


def _annotation_at(path: Path, data: Any) -> Any:
    """The type annotation that describes the value at ``path`` (None when it cannot be told)."""
    annotation: Any = ProcessTemplate
    value = data
    for part in path:
        annotation = _unwrap(_pick(annotation, value))
        origin = typing.get_origin(annotation)
        if _is_model(annotation) and isinstance(part, str):
            info = annotation.model_fields.get(part)
            if info is None:
                return None
            annotation = info.annotation
        elif origin is list and isinstance(part, int):
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return None
        value = (
            value.get(part)
            if isinstance(value, dict)
            else (
                value[part]
                if isinstance(value, list) and isinstance(part, int) and part < len(value)
                else None
            )
        )
    return _unwrap(_pick(annotation, value))


def allowed_fields(path: Path, data: Any) -> list[str] | None:
    """The fields a mapping at ``path`` may have, when it is a model."""
    annotation = _annotation_at(path, data)
    if _is_model(annotation):
        return list(annotation.model_fields)
    return None


def _required_fields(path: Path, data: Any) -> list[str]:
    annotation = _annotation_at(path, data)
    if _is_model(annotation):
        return [name for name, info in annotation.model_fields.items() if info.is_required()]
    return []


def document_path(loc: Sequence[str | int], data: Any) -> tuple[Path, bool]:
    """The part of a pydantic location that is in the document, and whether it ends at a mapping key.

    Union tags (``timing.date.date`` for ``{type: date, date: ...}``) and markers such as ``[key]`` are
    dropped; a last element that is not in the document (a missing or unknown field) is kept.
    """
    out: list[str | int] = []
    value = data
    at_key = False
    tag_skipped = False
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if part == "[key]":
            at_key = True
            continue
        if isinstance(value, dict):
            if isinstance(part, str) and value.get("type") == part and not tag_skipped:
                tag_skipped = True
                continue  # the tag pydantic inserts for a member of a discriminated union
            if part in value:
                out.append(part)
                value = value[part]
                tag_skipped = False
                continue
            if last:
                out.append(part)
            continue
        if isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            out.append(part)
            value = value[part]
            continue
        # Anything else is a marker of pydantic's (a function name, a union member) or a value that a
        # validator turned into another shape: skip it.
    return tuple(out), at_key


def _named(path: Path) -> Param:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return Term(_("the document"))


def _close(word: str, choices: Sequence[str]) -> Param:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return Message(_("; did you mean {word}?"), word=repr(matches[0])) if matches else ""


def _expected(ctx: dict[str, Any] | None, key: str = "expected") -> list[str]:
    text = str((ctx or {}).get(key, ""))
    return re.findall(r"'([^']*)'", text) or ([text] if text else [])


def _quoted(name: Param) -> Param:
    return repr(name) if isinstance(name, str) else name


def describe(error: ErrorDetails, path: Path, data: Any) -> Message | str:
    """What is wrong at ``path``, and what would be right (a message; the template's own validators'
    words as they wrote them)."""
    kind = error["type"]
    ctx: dict[str, Any] | None = error.get("ctx")
    value = error.get("input")
    name = _named(path)
    if kind == "extra_forbidden":
        return _unknown_field(path, data)
    if kind == "missing":
        if path == ("civicflow",):
            return Message(
                _(
                    "missing required field 'civicflow' (the template format version); start the file with "
                    "'civicflow: {version}'"
                ),
                version=FORMAT_VERSION,
            )
        required = _required_fields(path[:-1], data)
        if required:
            return Message(
                _("missing required field {name}; required fields here: {fields}"),
                name=_quoted(name),
                fields=", ".join(required),
            )
        return Message(_("missing required field {name}"), name=_quoted(name))
    if kind == "union_tag_invalid":
        tags = _expected(ctx, "expected_tags")
        got = str((ctx or {}).get("tag", ""))
        return Message(
            _("{name}.type must be one of {tags}; got {got}{close}"),
            name=name,
            tags=", ".join(tags),
            got=repr(got),
            close=_close(got, tags),
        )
    if kind == "union_tag_not_found":
        tags = _tags(_annotation_at(path, data)) if path else []
        shapes: Param = ", ".join(tags) or Term(_("the allowed shapes"))
        return Message(_("{name} needs a 'type': one of {shapes}"), name=name, shapes=shapes)
    if kind == "enum":
        allowed = _expected(ctx)
        return Message(
            _("{name} must be one of {allowed}; got {value}{close}"),
            name=name,
            allowed=", ".join(allowed),
            value=shown_value(value),
            close=_close(str(value), allowed),
        )
    if kind == "literal_error":
        if path == ("civicflow",):
            return Message(
                _(
                    "unsupported template format version {given}; this civicflow reads format {version}: "
                    "write 'civicflow: {version}'"
                ),
                given=shown_value(value),
                version=FORMAT_VERSION,
            )
        expected = str((ctx or {}).get("expected", "?"))
        return Message(
            _("{name} must be {expected}; got {value}"),
            name=name,
            expected=expected,
            value=shown_value(value),
        )
    if kind.startswith(("date_", "datetime_")):
        reason = (ctx or {}).get("error")
        return Message(
            _("{value} is not a valid date{why}; write YYYY-MM-DD, e.g. 2021-04-15"),
            value=shown_value(value),
            why=f" ({reason})" if reason else "",
        )
    if kind == "value_error":
        cause = (ctx or {}).get("error")  # a validator's own message, when it gave one
        if isinstance(cause, ValueError) and cause.args and isinstance(cause.args[0], Message):
            return cause.args[0]
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "assertion_error":
        return str(error["msg"]).removeprefix("Assertion failed, ")
    if kind == "string_pattern_mismatch":
        pattern = str((ctx or {}).get("pattern", ""))
        hint = _PATTERN_HINTS.get(pattern)
        if hint is None:
            return Message(
                _("{value} does not match the pattern {pattern}"), value=shown_value(value), pattern=pattern
            )
        return Message(hint, value=shown_value(value))
    if kind in _TYPE_NAMES:
        return Message(
            _("{name} should be {type}; got {value}"),
            name=name,
            type=Term(_TYPE_NAMES[kind]),
            value=shown_value(value),
        )
    problem = str(error["msg"])
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        problem = problem.lower()
    return Message(_("{name}: {problem}; got {value}"), name=name, problem=problem, value=shown_value(value))


def _unknown_field(path: Path, data: Any) -> Message:
    allowed = allowed_fields(path[:-1], data)
    field = str(path[-1]) if path else "?"
    if allowed is None:
        return Message(_("unknown field {field}"), field=repr(field))
    matches = difflib.get_close_matches(field, list(allowed), n=1, cutoff=0.6)
    if matches:
        return Message(
            _("unknown field {field}; did you mean {close}? allowed fields: {fields}"),
            field=repr(field),
            close=repr(matches[0]),
            fields=", ".join(allowed),
        )
    return Message(
        _("unknown field {field}; allowed fields: {fields}"), field=repr(field), fields=", ".join(allowed)
    )
