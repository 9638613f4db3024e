"""Safe YAML for templates: compose nodes with PyYAML's safe machinery, then build plain data ourselves.

Nothing here ever calls a PyYAML constructor. The composer gives a node graph with positions; we check the
limits on that graph (nesting depth, alias expansion) *before* building anything, then build dicts, lists
and scalars while recording, for every document path, the line and column where its key and value start.

Scalars follow YAML 1.2's core schema rather than PyYAML's YAML 1.1 one: ``NO``, ``on``, ``off``, ``yes``
and ``y`` stay strings; only ``true``/``false`` (any case of the whole word) are booleans; ``010`` is ten;
``1:30`` is a string. Dates written ``2021-04-15`` become :class:`datetime.date`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from civicflow._text import first_surrogate
from civicflow.errors import Problem
from civicflow.i18n import _
from civicflow.messages import Message, Param, Term, joined

__all__ = ["Limits", "ParsedDocument", "YamlProblems", "parse_yaml"]

Path = tuple[str | int, ...]
Position = tuple[int, int]

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (f"{_TAG}{n}" for n in ("str", "int", "float", "bool", "null"))
_DATE, _MAP, _SEQ = f"{_TAG}timestamp", f"{_TAG}map", f"{_TAG}seq"
_ALLOWED_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _DATE, _MAP, _SEQ}
_ALLOWED_SHOWN = "!!str, !!int, !!float, !!bool, !!null, !!timestamp, !!map, !!seq"

_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT_RE = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT_RE = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Where libyaml and PyYAML's pure-Python parser read the same text differently, a text is left to the
# latter: a tab (PyYAML ends a plain scalar there), "?" (it ends one inside [...] and {...}), "!" (tags
# such as "! x" or "!a!b"), a comment right after a block scalar's header ("|#"), a byte-order mark
# after the first character. Empty values inside [...] and {...} are found on the node graph
# (_empty_in_flow). tests/test_yaml_parsers.py compares both parsers.
_LIBYAML_DIFFERS = re.compile(r"[\t?!]|[|>][-+0-9]*#|(?<=[\s\S])\ufeff")


@dataclass(frozen=True)
class Limits:
    """How much a template file may ask of the loader."""

    max_bytes: int = 1024 * 1024
    """Largest file accepted (1 MiB)."""
    max_depth: int = 64
    """Deepest nesting of mappings and sequences, counted after alias expansion."""
    max_aliases: int = 1000
    """Most aliases (``*name``) in one file."""
    max_nodes: int = 200_000
    """Most nodes the document may have once every alias is expanded (stops a 'billion laughs')."""


@dataclass
class ParsedDocument:
    """Plain data built from YAML, with the 1-based (line, column) of every path's value and key."""

    data: Any
    source: str | None = None
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)

    def position(self, path: Path, *, key: bool = False) -> Position | None:
        """Where ``path`` (or, for a path that does not exist, its nearest existing parent) starts."""
        if key and path in self.keys:
            return self.keys[path]
        for n in range(len(path), -1, -1):
            here = path[:n]
            if here in self.values:
                return self.values[here]
        return None


class YamlProblems(Exception):
    """Problems found while reading YAML (caught by the loader and turned into a TemplateError)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class _Resolver(BaseResolver):
    """YAML 1.2 core schema implicit types (plus plain dates)."""


for _tag, _regexp, _first in (
    (_BOOL, _BOOL_RE, "tTfF"),
    (_NULL, _NULL_RE, ["~", "n", "N", ""]),
    (_INT, _INT_RE, "-+0123456789"),
    (_FLOAT, _FLOAT_RE, "-+0123456789."),
    (_DATE, _DATE_RE, "0123456789"),
):
    _Resolver.add_implicit_resolver(_tag, _regexp, list(_first))


class _Limited(Composer, _Resolver):
    """PyYAML's composer with a nesting and an alias limit while composing; the events come from a
    parser mixed in after it."""

    _limits: Limits
    _source: str | None

    def _limit(self, limits: Limits, source: str | None) -> None:
        Composer.__init__(self)
        _Resolver.__init__(self)
        self._limits = limits
        self._source = source
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > self._limits.max_aliases:
                raise _fail(
                    f"more than {self._limits.max_aliases} aliases; templates need few, if any",
                    event.start_mark,
                    self._source,
                )
        self._depth += 1
        try:
            if self._depth > self._limits.max_depth:
                raise _fail(
                    f"nesting deeper than {self._limits.max_depth} levels; "
                    "templates and event logs need far fewer",
                    event.start_mark,
                    self._source,
                )
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        return node


class _Composer(_Limited, Reader, Scanner, Parser):
    """PyYAML's pure-Python reader, scanner and parser under the limited composer: the reference, and
    what every message about a file that cannot be read comes from."""

    def __init__(self, text: str, limits: Limits, source: str | None) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        self._limit(limits, source)


_FastComposer: Any = None
try:  # libyaml's parser (about ten times faster) feeding the same composer, when PyYAML has it
    from yaml._yaml import CParser

    class _LibyamlComposer(_Limited, CParser):
        """libyaml's events (the same events, with the same lines and columns) under the limited
        composer; used for documents it reads without an error."""

        def __init__(self, text: str, limits: Limits, source: str | None) -> None:
            CParser.__init__(self, text)
            self._limit(limits, source)

    _FastComposer = _LibyamlComposer
except ImportError:  # pragma: no cover - depends on how PyYAML was installed
    pass


def _at(message: str | Message, mark: Any, source: str | None, path: Path = ()) -> Problem:
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return Problem.of(message, source, line, column, path)


def syntax_problem(exc: yaml.MarkedYAMLError, *, see_line: bool = False) -> Message:
    """``YAML syntax: ...`` with PyYAML's own words, in the reader's language where the catalogs have
    them (the usual ones: :func:`_mark_syntax`), else as PyYAML says them."""
    parts: list[Param] = []
    for part in (exc.context, exc.problem):
        if part:
            parts.extend(["; " if parts else "", Term(part)])
    problem: Param = joined(*parts) if parts else Message(_("not valid YAML"))
    if see_line and exc.context_mark is not None and exc.problem_mark is not None and exc.context:
        problem = joined(problem, " ", Message(_("(see line {line})"), line=exc.context_mark.line + 1))
    return Message(_("YAML syntax: {problem}"), problem=problem)


def _mark_syntax(gettext: Any) -> None:  # pragma: no cover - read by the extractor only
    gettext("mapping values are not allowed here")
    gettext("mapping values are not allowed in this context")
    gettext("did not find expected key")
    gettext("did not find expected node content")
    gettext("did not find expected '-' indicator")
    gettext("found character that cannot start any token")
    gettext("while parsing a block mapping")
    gettext("while parsing a block collection")
    gettext("while parsing a flow sequence")
    gettext("while parsing a flow mapping")
    gettext("while scanning a quoted scalar")
    gettext("while scanning a simple key")
    gettext("while scanning for the next token")
    gettext("found unexpected end of stream")
    gettext("could not find expected ':'")
    gettext("found character '\\t' that cannot start any token")


def _fail(message: str, mark: Any, source: str | None) -> YamlProblems:
    return YamlProblems([_at(message, mark, source)])


def _pos(node: Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _check_graph(root: Node, limits: Limits, source: str | None, aliases: int = 1) -> None:
    """Refuse cyclic aliases, too deep or too big documents before anything is expanded."""
    memo: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded size, height)
    on_stack: set[int] = set()

    def too_deep(node: Node) -> YamlProblems:
        message = f"nesting deeper than {limits.max_depth} levels (counting aliases expanded)"
        return _fail(message, node.start_mark, source)

    def visit(node: Node, depth: int) -> tuple[int, int]:
        key = id(node)
        if key in on_stack:
            raise _fail(
                "an alias refers to a node that contains it (a recursive alias)", node.start_mark, source
            )
        if key in memo:
            size, height = memo[key]
        else:
            if depth > limits.max_depth:
                raise too_deep(node)
            on_stack.add(key)
            size, height = 1, 1
            for child in _children(node):
                child_size, child_height = visit(child, depth + 1)
                size += child_size
                height = max(height, child_height + 1)
            on_stack.discard(key)
            memo[key] = (size, height)
            if size > limits.max_nodes:
                raise YamlProblems([_bomb(size, limits, node, source, aliases)])
        if depth + height - 1 > limits.max_depth:
            raise too_deep(node)
        return size, height

    visit(root, 1)


def _bomb(size: int, limits: Limits, node: Node, source: str | None, aliases: int = 1) -> Problem:
    if not aliases:  # a big document, not an alias bomb
        return _at(
            f"this value holds {size:,} values, more than the limit of {limits.max_nodes:,} "
            "(Limits.max_nodes); a template is far smaller (is this the right file?)",
            node.start_mark,
            source,
        )
    return _at(
        f"this value would expand to {size:,} nodes, more than the limit of {limits.max_nodes:,}; "
        "this looks like an alias bomb ('billion laughs'): use fewer aliases (*name) or none",
        node.start_mark,
        source,
    )


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


class _Builder:
    """Builds plain Python data from checked nodes, recording positions and collecting problems."""

    def __init__(self, doc: ParsedDocument) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def problem(self, message: str, node: Node, path: Path) -> None:
        self.problems.append(_at(message, node.start_mark, self.doc.source, path))

    def build(self, node: Node, path: Path) -> Any:
        self.doc.values.setdefault(path, _pos(node))
        tag = node.tag
        if tag not in _ALLOWED_TAGS:
            self.problem(
                f"tag {_show_tag(tag)!r} is not allowed: templates are plain data; "
                f"allowed tags: {_ALLOWED_SHOWN} (or none)",
                node,
                path,
            )
            return None
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, SequenceNode):
            if tag != _SEQ:
                self.problem(
                    f"tag {_show_tag(tag)!r} does not fit a sequence; use !!seq or no tag", node, path
                )
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        if tag != _MAP:
            self.problem(f"tag {_show_tag(tag)!r} does not fit a mapping; use !!map or no tag", node, path)
        return self.mapping(node, path)

    def mapping(self, node: MappingNode, path: Path) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problem(
                    "a mapping key must be a plain value such as a name, not a list or mapping",
                    key_node,
                    path,
                )
                continue
            # a plain scalar's style: None from PyYAML's parser, "" from libyaml's
            if key_node.tag == f"{_TAG}merge" or (key_node.value == "<<" and not key_node.style):
                self.problem("merge keys ('<<') are not supported; write the fields out", key_node, path)
                continue
            key = self.scalar(key_node, path)
            try:
                hash(key)
            except TypeError:  # pragma: no cover - scalars are always hashable
                continue
            here = (*path, key)
            if key in first_seen:
                self.problem(
                    f"duplicate key {key!r}; it is already set on line {first_seen[key]} "
                    "(YAML would silently keep only one): remove or rename one",
                    key_node,
                    here,
                )
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.doc.keys[here] = _pos(key_node)
            out[key] = self.build(value_node, here)
        return out

    def integer(self, value: str, node: ScalarNode, path: Path) -> Any:
        """``value`` (matched by the integer pattern) as an int; Python refuses to convert more than
        ``sys.get_int_max_str_digits()`` digits (a guard against slow conversions): that is a problem."""
        try:
            return int(value, 0) if value.startswith(("0o", "0x")) else int(value)
        except ValueError:
            self.problem(
                f"a number with {len(value):,} characters is longer than any value here can be; "
                "write a shorter number (or quote it as text)",
                node,
                path,
            )
            return None

    def scalar(self, node: ScalarNode, path: Path) -> Any:
        tag, value = node.tag, node.value
        at = first_surrogate(value)
        if at is not None:  # "\ud800" in a double-quoted string: Python text no file can hold
            self.problem(
                f"the text has {value[at]!r} at character {at + 1}, which is not a character "
                "(a lone surrogate from a \\u escape); remove it or write the character itself",
                node,
                path,
            )
            return None
        if tag == _STR:
            return value
        if tag == _NULL:
            if not _NULL_RE.match(value):
                self.problem(f"{value!r} is not null; write null, ~ or nothing", node, path)
            return None
        if tag == _BOOL:
            if not _BOOL_RE.match(value):
                self.problem(f"{value!r} is not a boolean; write true or false", node, path)
                return value
            return value.lower() == "true"
        if tag == _INT:
            if not _INT_RE.match(value):
                self.problem(f"{value!r} is not an integer", node, path)
                return value
            return self.integer(value, node, path)
        if tag == _FLOAT:
            if _INT_RE.match(value) and not value.startswith(("0o", "0x")):
                number = self.integer(value, node, path)
                return float(number) if isinstance(number, int) else number
            if not _FLOAT_RE.match(value):
                self.problem(f"{value!r} is not a number", node, path)
                return value
            lowered = value.lower()
            if lowered.endswith("inf"):
                return -math.inf if lowered.startswith("-") else math.inf
            if lowered == ".nan":
                return math.nan
            return float(value)
        if tag == _DATE:
            if not _DATE_RE.match(value):
                self.problem(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2021-04-15", node, path)
                return value
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value  # kept as text: validation says which date is wrong and why
        self.problem(f"tag {_show_tag(tag)!r} does not fit a scalar", node, path)
        return value


def parse_yaml(text: str, source: str | None = None, limits: Limits | None = None) -> ParsedDocument:
    """Safely read one YAML document into plain data with positions.

    Raises :class:`YamlProblems` with every problem found (syntax errors and limit breaches stop at the
    first; tags, duplicate keys and merge keys are all collected).
    """
    limits = limits or Limits()
    doc = ParsedDocument(data=None, source=source)
    read = _read_fast(text, limits, source)
    if read is not None:
        root, aliases = read
    else:
        root, aliases = _read_reference(text, limits, source)
    if root is None:
        return doc
    _check_graph(root, limits, source, aliases)
    builder = _Builder(doc)
    doc.data = builder.build(root, ())
    if builder.problems:
        raise YamlProblems(builder.problems)
    return doc


def _read_fast(text: str, limits: Limits, source: str | None) -> tuple[Node | None, int] | None:
    """The node graph and the number of aliases, composed from libyaml's events; None when libyaml is
    missing or stops on the text, which the reference parser then reads again and explains."""
    if _FastComposer is None or _LIBYAML_DIFFERS.search(text):
        return None
    try:
        composer = _FastComposer(text, limits, source)
        root = composer.get_single_node()
    except (yaml.YAMLError, YamlProblems, UnicodeError):
        return None
    if root is not None and _empties_differ(root, text.endswith(("\n", "\r", "\x85", "\u2028", "\u2029"))):
        return None
    return root, composer._aliases


def _empties_differ(root: Node, ends_with_break: bool) -> bool:
    """Whether the graph holds an empty value the two parsers place differently: one inside a flow
    collection (``{a: , b: 1}``; libyaml places it at the next token, PyYAML right after the colon), an
    empty document, or any empty value when the text does not end with a line break (libyaml places
    one at the end of the text on the next line)."""
    if _is_empty(root):
        return True
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen or not isinstance(node, CollectionNode):
            continue
        seen.add(id(node))
        children = _children(node)
        if (node.flow_style or not ends_with_break) and any(_is_empty(c) for c in children):
            return True
        stack.extend(children)
    return False


def _is_empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.value == "" and not node.style


def _read_reference(text: str, limits: Limits, source: str | None) -> tuple[Node | None, int]:
    """The node graph and the number of aliases from PyYAML's pure-Python parser; every syntax error,
    unreadable character and limit reached as :class:`YamlProblems`."""
    composer: _Composer | None = None
    try:
        composer = _Composer(text, limits, source)
        root = composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlProblems([_at(syntax_problem(exc, see_line=True), mark, source)]) from None
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
        column = position - (text.rfind("\n", 0, position) + 1) + 1 if isinstance(position, int) else None
        raise YamlProblems(
            [Problem(f"YAML cannot read this text: {exc}", source=source, line=line, column=column)]
        ) from None
    finally:
        if composer is not None:
            composer.dispose()
    return root, composer._aliases if composer is not None else 1
