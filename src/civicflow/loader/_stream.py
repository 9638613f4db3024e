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
from civicflow.i18n import _
from civicflow.loader._yaml import (
    _MAP,
    _SEQ,
    ParsedDocument,
    YamlProblems,
    _at,
    _Builder,
    _Resolver,
    _show_tag,
    syntax_problem,
)
from civicflow.messages import Message

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
    at = first_surrogate(text)
    if at is not None:  # no parser can encode it; say where it is
        message = "the text has a lone surrogate (not a character); remove it"
        raise YamlProblems([Problem(message, source, *_line_column(text, at))])
    reader = _LogReader(source, max_depth)
    try:
        reader.read(_parser(text))  # PyYAML's own reader checks every character as the parser is made
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise reader.fail(syntax_problem(exc), mark) from None
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        position = getattr(exc, "position", None)
        where = _line_column(text, position) if isinstance(position, int) else (None, None)
        code = getattr(exc, "character", None)
        what = f"the character U+{code:04X}" if isinstance(code, int) else "a character"
        message = f"YAML cannot read this text: {what} is not allowed (a control character?); remove it"
        raise YamlProblems([Problem(message, source, *where)]) from None
    if reader.builder.problems:
        raise YamlProblems(reader.builder.problems)
    return reader.doc


class _LogReader:
    """One document built from the parser's events: an explicit stack of open lists and mappings, the
    positions of the top levels, and the problems found on the way (syntax stops the reading)."""

    __slots__ = ("builder", "doc", "documents", "max_depth", "resolver", "source", "stack")

    def __init__(self, source: str | None, max_depth: int) -> None:
        self.source = source
        self.max_depth = max_depth
        self.doc = ParsedDocument(data=None, source=source)
        self.builder = _Builder(self.doc)
        self.resolver = _Resolver()
        self.stack: list[_Frame] = []
        self.documents = 0

    def fail(self, message: str | Message, mark: Any) -> YamlProblems:
        return YamlProblems([_at(message, mark, self.source)])

    def read(self, parser: Any) -> None:
        """Every event of the stream, up to its end."""
        # bound once: each is called for every event
        next_event, scalar, begin, end = parser.get_event, self._scalar, self._open, self.stack.pop
        while True:
            event = next_event()
            if isinstance(event, yaml.ScalarEvent):
                scalar(event)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                begin(event)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                end()
            elif isinstance(event, yaml.AliasEvent):
                raise self.fail(
                    "aliases (*name) are not allowed in an event log; write each record out", event.start_mark
                )
            elif isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise self.fail(
                        "more than one document (---) in the file; an event log is one document",
                        event.start_mark,
                    )
            elif isinstance(event, yaml.StreamEndEvent):
                return

    def _scalar(self, event: Any) -> None:
        """A scalar resolved by the YAML 1.2 rules and put in place; a merge key is refused."""
        stack = self.stack
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        start: Any = event.start_mark  # libyaml's Mark or PyYAML's: both have line and column
        node = ScalarNode(tag, event.value, start, start, event.style)
        top = stack[-1] if stack else None
        if top is not None and top.key is _NO_KEY and isinstance(top.container, dict):  # noqa: SIM102
            if event.value == "<<" and not event.style:  # plain: None (PyYAML) or "" (libyaml)
                self.builder.problem(
                    "merge keys ('<<') are not supported; write the fields out", node, top.path
                )
                top.key = _SKIP
                return
        value = self.builder.scalar(node, _here(stack))
        self._place(value, event, True)

    def _open(self, event: Any) -> None:
        """A mapping or a sequence begins: put it in place and read into it, no deeper than allowed."""
        if len(self.stack) >= self.max_depth:
            raise self.fail(
                f"nesting deeper than {self.max_depth} levels; event logs need three", event.start_mark
            )
        mapping = isinstance(event, yaml.MappingStartEvent)
        expected = _MAP if mapping else _SEQ
        if event.tag not in (None, "!", expected):
            kind = "mapping" if mapping else "sequence"
            self.builder.problems.append(
                _at(
                    f"tag {_show_tag(event.tag)!r} does not fit a {kind}; use no tag",
                    event.start_mark,
                    self.source,
                )
            )
        container: Any = {} if mapping else []
        path = self._place(container, event, False)
        self.stack.append(_Frame(container, path if path is not None else ("?",)))

    def _place(self, value: Any, event: Any, is_scalar: bool) -> tuple[str | int, ...] | None:
        """Put ``value`` where the stack says; its path, or None when it is dropped."""
        doc = self.doc
        if not self.stack:
            doc.data = value
            doc.values[()] = (event.start_mark.line + 1, event.start_mark.column + 1)
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            path: tuple[str | int, ...] = (*top.path, len(top.container))
            top.container.append(value)
        elif top.key is _NO_KEY:  # this value is a key
            top.key = self._key(top, value, event, is_scalar)
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

    def _key(self, top: _Frame, value: Any, event: Any, is_scalar: bool) -> Any:
        """``value`` as the next key of mapping ``top``; :data:`_SKIP` for a refused one (a problem)."""
        mark = event.start_mark
        if not is_scalar:
            self.builder.problems.append(
                _at(
                    "a mapping key must be a plain value such as a name, not a list or mapping",
                    mark,
                    self.source,
                    top.path,
                )
            )
            return _SKIP
        here = (*top.path, value)
        if value in top.seen:
            self.builder.problems.append(
                _at(
                    Message(
                        _(
                            "duplicate key {key}; it is already set on line {line} (YAML would silently keep "
                            "only one): remove or rename one"
                        ),
                        key=repr(value),
                        line=top.seen[value],
                    ),
                    mark,
                    self.source,
                    here,
                )
            )
            return _SKIP
        top.seen[value] = mark.line + 1
        if len(here) <= _POSITIONS:
            self.doc.keys[here] = (mark.line + 1, mark.column + 1)
        return value
