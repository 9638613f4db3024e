"""Event logs as YAML or JSON, read from the parser's event stream: fast and bounded for large logs.

A template is small and is read through a node graph (:mod:`civicflow.loader._yaml`), which allows
aliases and checks their expansion. An event log can hold a hundred thousand records and needs no
aliases: here the data is built straight from the parser's events (libyaml's parser when PyYAML has it),
without a node graph, in one loop with an explicit stack (no recursion, whatever the nesting). Aliases
are refused, nesting is limited, and scalars follow the same YAML 1.2 rules as templates. Positions are
kept for the top three levels of the document (log, record, field), which is all that messages need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import ScalarNode

from civicflow._text import first_surrogate
from civicflow.errors import Problem
from civicflow.loader._yaml import (
    _MAP,
    _SEQ,
    ParsedDocument,
    YamlProblems,
    _at,
    _Builder,
    _Resolver,
    _show_tag,
)

__all__ = ["parse_log_yaml"]

_FastParser: Any
try:  # libyaml's parser, about ten times faster, when PyYAML was built with it
    from yaml._yaml import CParser as _FastParser
except ImportError:  # pragma: no cover - depends on how PyYAML was installed
    _FastParser = None

_POSITIONS = 3  # levels whose positions are kept: the log, a record, a field
_NO_KEY = object()  # a mapping frame waiting for its next key
_SKIP = object()  # a key that was refused: its value is read and dropped


@dataclass
class _Frame:
    container: Any  # list or dict
    path: tuple[str | int, ...]
    key: Any = _NO_KEY
    seen: dict[Any, int] = field(default_factory=dict)


class _PurePythonParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def _parser(text: str) -> Any:
    return _FastParser(text) if _FastParser is not None else _PurePythonParser(text)


def _here(stack: list[_Frame]) -> tuple[str | int, ...]:
    """The path of the next value (for messages)."""
    if not stack:
        return ()
    top = stack[-1]
    if isinstance(top.container, list):
        return (*top.path, len(top.container))
    if top.key is _NO_KEY or top.key is _SKIP:
        return top.path
    return (*top.path, top.key)


def _line_column(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]``."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def parse_log_yaml(text: str, source: str | None, max_depth: int = 64) -> ParsedDocument:
    """Read one YAML (or JSON) document into plain data with the positions of its top levels.

    Raises :class:`YamlProblems`: at the first syntax error, alias or nesting beyond ``max_depth``; with
    every problem found for tags, keys and scalars.
    """
    doc = ParsedDocument(data=None, source=source)
    at = first_surrogate(text)
    if at is not None:  # no parser can encode it; say where it is
        message = "the text has a lone surrogate (not a character); remove it"
        raise YamlProblems([Problem(message, source, *_line_column(text, at))])
    builder = _Builder(doc)
    resolver = _Resolver()
    stack: list[_Frame] = []
    documents = 0

    def fail(message: str, mark: Any) -> YamlProblems:
        return YamlProblems([_at(message, mark, source)])

    def place(value: Any, event: Any, is_scalar: bool) -> tuple[str | int, ...] | None:
        """Put ``value`` where the stack says; its path, or None when it is dropped."""
        if not stack:
            doc.data = value
            doc.values[()] = (event.start_mark.line + 1, event.start_mark.column + 1)
            return ()
        top = stack[-1]
        if isinstance(top.container, list):
            path: tuple[str | int, ...] = (*top.path, len(top.container))
            top.container.append(value)
        elif top.key is _NO_KEY:  # this value is a key
            top.key = _key(top, value, event, is_scalar)
            return None
        else:
            key, top.key = top.key, _NO_KEY
            if key is _SKIP:
                return None
            path = (*top.path, key)
            top.container[key] = value
        if len(path) <= _POSITIONS:
            doc.values[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        return path

    def _key(top: _Frame, value: Any, event: Any, is_scalar: bool) -> Any:
        mark = event.start_mark
        if not is_scalar:
            builder.problems.append(
                _at(
                    "a mapping key must be a plain value such as a name, not a list or mapping",
                    mark,
                    source,
                    top.path,
                )
            )
            return _SKIP
        here = (*top.path, value)
        if value in top.seen:
            builder.problems.append(
                _at(
                    f"duplicate key {value!r}; it is already set on line {top.seen[value]} "
                    "(YAML would silently keep only one): remove or rename one",
                    mark,
                    source,
                    here,
                )
            )
            return _SKIP
        top.seen[value] = mark.line + 1
        if len(here) <= _POSITIONS:
            doc.keys[here] = (mark.line + 1, mark.column + 1)
        return value

    try:
        parser = _parser(text)  # PyYAML's own reader checks every character here
        while True:
            event = parser.get_event()
            if isinstance(event, yaml.ScalarEvent):
                tag = event.tag
                if tag is None or tag == "!":
                    tag = resolver.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
                start: Any = event.start_mark  # libyaml's Mark or PyYAML's: both have line and column
                node = ScalarNode(tag, event.value, start, start, event.style)
                top = stack[-1] if stack else None
                if top is not None and top.key is _NO_KEY and isinstance(top.container, dict):  # noqa: SIM102
                    if event.value == "<<" and not event.style:  # plain: None (PyYAML) or "" (libyaml)
                        builder.problem(
                            "merge keys ('<<') are not supported; write the fields out", node, stack[-1].path
                        )
                        stack[-1].key = _SKIP
                        continue
                value = builder.scalar(node, _here(stack))
                place(value, event, True)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if len(stack) >= max_depth:
                    raise fail(
                        f"nesting deeper than {max_depth} levels; event logs need three", event.start_mark
                    )
                mapping = isinstance(event, yaml.MappingStartEvent)
                expected = _MAP if mapping else _SEQ
                if event.tag not in (None, "!", expected):
                    kind = "mapping" if mapping else "sequence"
                    builder.problems.append(
                        _at(
                            f"tag {_show_tag(event.tag)!r} does not fit a {kind}; use no tag",
                            event.start_mark,
                            source,
                        )
                    )
                container: Any = {} if mapping else []
                path = place(container, event, False)
                stack.append(_Frame(container, path if path is not None else ("?",)))
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                stack.pop()
            elif isinstance(event, yaml.AliasEvent):
                raise fail(
                    "aliases (*name) are not allowed in an event log; write each record out", event.start_mark
                )
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise fail(
                        "more than one document (---) in the file; an event log is one document",
                        event.start_mark,
                    )
            elif isinstance(event, yaml.StreamEndEvent):
                break
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        parts = [p for p in (exc.context, exc.problem) if p]
        raise fail(f"YAML syntax: {'; '.join(parts) or 'not valid YAML'}", mark) from None
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        position = getattr(exc, "position", None)
        where = _line_column(text, position) if isinstance(position, int) else (None, None)
        code = getattr(exc, "character", None)
        what = f"the character U+{code:04X}" if isinstance(code, int) else "a character"
        message = f"YAML cannot read this text: {what} is not allowed (a control character?); remove it"
        raise YamlProblems([Problem(message, source, *where)]) from None
    if builder.problems:
        raise YamlProblems(builder.problems)
    return doc
