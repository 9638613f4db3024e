"""Templates are read with libyaml's parser when PyYAML has it: whatever it reads, it reads exactly as
PyYAML's pure-Python parser does (the same nodes, tags, values, lines and columns), and whatever it
stops on is read again by the pure-Python parser, so every message stays the same."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from civicflow.loader import _yaml
from civicflow.loader._yaml import Limits, YamlProblems, parse_yaml

REPO = Path(__file__).resolve().parents[1]
FILES = sorted(
    p
    for folder in ("process_templates", "tests/fixtures", "examples")
    for p in (REPO / folder).rglob("*")
    if p.suffix in {".yaml", ".yml", ".json"}
)
TEXTS = {str(p.relative_to(REPO)): p.read_text(encoding="utf-8") for p in FILES}

EXAMPLES = max(100, int(os.environ.get("CIVICFLOW_FUZZ_EXAMPLES", "0")))
"""Examples per property (more with the fuzz suite's long run, see docs/fuzzing.md)."""

pytestmark = pytest.mark.skipif(_yaml._FastComposer is None, reason="PyYAML was built without libyaml")


def _shape(root: Node | None) -> Any:
    """The node graph as plain data: kind, tag, value, line, column, plain or not, and which nodes are
    the same node (an alias), numbered in the order they are first met."""
    seen: dict[int, int] = {}

    def walk(node: Node) -> Any:
        if id(node) in seen:
            return ("same as", seen[id(node)])
        seen[id(node)] = len(seen)
        where = (node.start_mark.line, node.start_mark.column)
        if isinstance(node, ScalarNode):
            return ("scalar", node.tag, node.value, where, bool(node.style), node.style or None)
        if isinstance(node, SequenceNode):
            return ("seq", node.tag, where, [walk(child) for child in node.value])
        assert isinstance(node, MappingNode)
        return ("map", node.tag, where, [(walk(k), walk(v)) for k, v in node.value])

    return None if root is None else walk(root)


def _reference(text: str, limits: Limits) -> Any:
    try:
        root, aliases = _yaml._read_reference(text, limits, "t.yaml")
    except YamlProblems as exc:
        return ("problems", [str(p) for p in exc.problems])
    return _shape(root), aliases


def _outcome(text: str) -> Any:
    try:
        doc = parse_yaml(text, "t.yaml")
    except YamlProblems as exc:
        return ("problems", [str(p) for p in exc.problems])
    return doc.data, doc.values, doc.keys


def _same(text: str, limits: Limits | None = None) -> bool:
    """Whether libyaml read ``text`` (else the reference did); asserts the two agree."""
    limits = limits or Limits()
    fast = _yaml._read_fast(text, limits, "t.yaml")
    if fast is not None:
        root, aliases = fast
        assert (_shape(root), aliases) == _reference(text, limits)
    return fast is not None


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_libyaml_reads_every_file_of_the_project_as_the_reference_does(name: str) -> None:
    """Templates, fixtures (valid and invalid) and examples: the same graph, lines and columns."""
    _same(TEXTS[name])


def test_the_bundled_templates_are_read_by_libyaml() -> None:
    """The fast path is the one taken for real templates."""
    assert all(_same(text) for name, text in TEXTS.items() if name.startswith("process_templates/"))


EDGES = [
    "",
    "# only a comment\n",
    "a: 1\r\nb: 2\r\n",
    "a: 1\rb: 2\r",
    "\ufeffa: 1\nb: [1, 2]\n",
    "назва: Громадські слухання\nкод: ua\n",
    "emoji: 😀😀\nnext: after the astral characters\n",
    "a:\u2028  b\nc: d\u2029e: f\n",
    "a: x\x85b: y\n",
    "a: &x {k: v}\nb: *x\nc: *x\n",
    "<<: {a: 1}\n",
    "'<<': {a: 1}\n",
    "? [a, b]\n: complex key\n",
    "a: |\n  one\n   two\n\nb: >-\n  folded\n  text\n",
    "a: |2\n    indented\n",
    "%YAML 1.1\n---\na: 1\n...\n",
    "--- a\n--- b\n",
    "a: 1\n\tb: 2\n",
    "a: b: c\n",
    "a: [1, 2\n",
    "a: !!python/object:os.system x\n",
    "a: !local x\n",
    "a: !!str 1\n",
    'a: "\\ud800"\n',
    "a: \ud800\n",
    "a: \x01\n",
    "{a: 1, b: [x, y, {c: d}]}\n",
    "- - - deep\n  - x\n",
    "a:\n- 1\n- 2\n",
    "a: 'it''s'\nb: \"tab\\there\"\n",
    "key with spaces: value: with colon\n",
    "a: 1 # comment\nb: 2#not a comment\n",
    "[" * 70 + "]" * 70,
    "a: *missing\n",
    "&a [*a]\n",
]


@pytest.mark.parametrize("text", EDGES)
def test_edge_cases_read_the_same(text: str) -> None:
    """Line breaks of every kind, a byte-order mark, non-ASCII and astral text, aliases, merge keys,
    block scalars, directives, tags, syntax errors, forbidden characters, deep nesting."""
    _same(text)
    _same(text, Limits(max_depth=3, max_aliases=1))


@pytest.mark.parametrize("text", EDGES)
def test_parse_yaml_gives_what_the_reference_alone_gives(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Data, positions and every problem's message are those of the pure-Python parser alone."""
    fast = _outcome(text)
    monkeypatch.setattr(_yaml, "_FastComposer", None)
    assert fast == _outcome(text)


FRAGMENTS = st.sampled_from(
    [
        ": ",
        "- ",
        "\n",
        "\r\n",
        "\t",
        "  ",
        "#",
        "&a ",
        "*a",
        "!!str ",
        "!x ",
        "? ",
        "<<: ",
        "'",
        '"',
        "|",
        ">",
        "[",
        "]",
        "{",
        "}",
        ",",
        "---",
        "...",
        "%YAML 1.2",
        "\ufeff",
        "\u2028",
        "\u2029",
        "\x85",
        "\r",
        "é",
        "ї",
        "\x7f",
        "\xa0",
        "😀",
        "\\",
        "~",
        "null",
        "true",
        "2025-10-06",
        "0x1F",
        "1e3",
        ".inf",
    ]
)


@st.composite
def mangled(draw: st.DrawFn) -> str:
    """A project file with a few fragments of YAML syntax inserted, deleted or replacing text."""
    text = draw(st.sampled_from(sorted(TEXTS.values())))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(st.one_of(FRAGMENTS, st.text(max_size=4))) + text[at + cut :]
    return text


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mangled())
def test_mangled_files_read_the_same(text: str) -> None:
    """Whatever libyaml reads in a mangled file, the reference reads the same way."""
    _same(text)


@settings(max_examples=EXAMPLES, deadline=None, database=None)
@given(text=st.lists(FRAGMENTS | st.text(max_size=3), max_size=30).map("".join))
def test_fragment_soup_reads_the_same(text: str) -> None:
    """Short texts made of YAML syntax and odd characters: the same graph or the reference's problem."""
    _same(text)
