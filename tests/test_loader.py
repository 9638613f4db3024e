"""The safe template loader: YAML safety, positions of problems, bundled templates, JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from civicflow.errors import CivicflowError, TemplateError, TemplateNotFoundError
from civicflow.loader import (
    SCHEMA_ID,
    Limits,
    bundled_dir,
    bundled_ids,
    find_template,
    list_templates,
    load_template,
    parse_template_text,
    template_schema,
)
from civicflow.loader._yaml import YamlProblems, parse_yaml

FIXTURES = Path(__file__).parent / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
MINIMAL = FIXTURES / "valid" / "minimal.yaml"
REPO = Path(__file__).resolve().parents[1]
_EXPECT = re.compile(r"^# expect: (\d+):(\d+): (.*?)(?:  -- .*)?$")


def _expectation(path: Path) -> tuple[int, int, str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = _EXPECT.match(first)
    assert match, f"{path.name}: the first line must be '# expect: LINE:COL: message fragment'"
    return int(match[1]), int(match[2]), match[3]


def _problems(source: str | Path, text: str | None = None) -> TemplateError:
    with pytest.raises(TemplateError) as info:
        load_template(source, text=text)
    return info.value


def _to_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_there_are_at_least_twenty_invalid_fixtures() -> None:
    """The fixture folder keeps at least twenty invalid templates, each stating its error."""
    assert len(INVALID) >= 20


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_reports_its_problem_at_its_position(path: Path) -> None:
    """Each invalid fixture fails with the message and line:column written on its first line."""
    line, column, fragment = _expectation(path)
    error = _problems(path)
    found = [(p.line, p.column, p.message) for p in error.problems]
    assert any(ln == line and col == column and fragment in msg for ln, col, msg in found), found
    assert all(p.source == str(path) for p in error.problems)


def test_minimal_template_loads() -> None:
    """A small valid template loads into the model with its steps in document order."""
    template = load_template(MINIMAL)
    assert template.id == "fixture"
    assert [s.id for _, s in template.iter_steps()] == ["meeting_1", "publish_1"]


def test_text_argument_names_the_source_in_messages() -> None:
    """With ``text=`` the source only names the text in messages."""
    text = MINIMAL.read_text(encoding="utf-8").replace("kind: meeting", "kind: meting")
    error = _problems("inline.yaml", text=text)
    assert str(error.problems[0]).startswith(
        "inline.yaml:17:15: stages[0].steps[0].kind: kind must be one of"
    )


def test_yaml_1_1_booleans_stay_strings() -> None:
    """``NO``, ``on``, ``off``, ``yes`` and ``y`` are text; only true/false are booleans."""
    doc = parse_yaml("a: NO\nb: on\nc: off\nd: yes\ne: y\nf: true\ng: False\n")
    assert doc.data == {"a": "NO", "b": "on", "c": "off", "d": "yes", "e": "y", "f": True, "g": False}


def test_norway_stays_a_country_code() -> None:
    """``country: NO`` is Norway, not false."""
    text = MINIMAL.read_text(encoding="utf-8").replace("{country: UA}", "{country: NO}")
    assert load_template("norway.yaml", text=text).jurisdiction.country == "NO"


def test_scalars_follow_yaml_1_2() -> None:
    """Dates become dates, numbers stay numbers, ``010`` is ten and ``1:30`` is text."""
    doc = parse_yaml("d: 2021-04-15\ni: 42\nz: 010\nf: 75970.01\nt: 1:30\nn: ~\ns: '2021-04-15'\n")
    assert doc.data == {
        "d": dt.date(2021, 4, 15),
        "i": 42,
        "z": 10,
        "f": 75970.01,
        "t": "1:30",
        "n": None,
        "s": "2021-04-15",
    }


def test_positions_are_recorded_for_keys_and_values() -> None:
    """Every path knows the 1-based line and column of its key and value."""
    doc = parse_yaml("a:\n  - x: 1\n    y: [2, 3]\n")
    assert doc.keys[("a", 0, "y")] == (3, 5)
    assert doc.values[("a", 0, "y", 1)] == (3, 12)
    assert doc.position(("a", 0, "missing")) == (2, 5)


def test_duplicate_keys_are_all_reported() -> None:
    """Every duplicate key is reported at its own line, naming the line of the first."""
    with pytest.raises(YamlProblems) as info:
        parse_yaml("a: 1\nb: 2\na: 3\nb: 4\n", "x.yaml")
    assert [str(p) for p in info.value.problems] == [
        "x.yaml:3:1: a: duplicate key 'a'; it is already set on line 1 (YAML would silently keep only one): "
        "remove or rename one",
        "x.yaml:4:1: b: duplicate key 'b'; it is already set on line 2 (YAML would silently keep only one): "
        "remove or rename one",
    ]


def test_alias_bomb_is_measured_without_expanding_it() -> None:
    """A 'billion laughs' is refused from the size of its node graph, before anything is built."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefghijklmnopqrstuvwxy", "bcdefghijklmnopqrstuvwxyz", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]")
    with pytest.raises(YamlProblems) as info:  # 10**26 nodes once expanded: only a measure can finish
        parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
    (problem,) = info.value.problems
    assert "alias bomb" in problem.message
    assert problem.line == 6  # the first value that crosses the limit of 200,000 nodes


def test_small_aliases_are_fine() -> None:
    """Aliases that expand to little are ordinary YAML and load."""
    doc = parse_yaml("base: &b {en: Council}\nx: *b\ny: *b\n")
    assert doc.data == {"base": {"en": "Council"}, "x": {"en": "Council"}, "y": {"en": "Council"}}


def test_nesting_limit_applies_after_alias_expansion() -> None:
    """Aliases cannot build nesting deeper than the limit."""
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 10)]
    with pytest.raises(YamlProblems, match="nesting deeper than 8 levels"):
        parse_yaml("\n".join(lines) + "\n", limits=Limits(max_depth=8))


def test_alias_count_is_limited() -> None:
    """More aliases than the limit are refused."""
    with pytest.raises(YamlProblems, match="more than 3 aliases"):
        parse_yaml("a: &a 1\nb: [*a, *a, *a, *a]\n", limits=Limits(max_aliases=3))


def test_merge_keys_are_refused() -> None:
    """``<<`` merge keys (YAML 1.1 only) are refused with a hint."""
    with pytest.raises(YamlProblems, match="merge keys"):
        parse_yaml("a: &a {x: 1}\nb:\n  <<: *a\n")


def test_file_size_is_bounded(tmp_path: Path) -> None:
    """A file over the size limit is refused before it is parsed."""
    big = tmp_path / "big.yaml"
    big.write_text("notes:\n" + "  - {en: padding}\n" * 100, encoding="utf-8")
    error = _problems_with_limits(big, Limits(max_bytes=1000))
    assert "larger than 1,000 bytes" in error.problems[0].message


def _problems_with_limits(path: Path, limits: Limits) -> TemplateError:
    with pytest.raises(TemplateError) as info:
        load_template(path, limits=limits)
    return info.value


def test_bad_encoding_points_at_the_byte(tmp_path: Path) -> None:
    """A file that is not UTF-8 is reported at the line and column of the first bad byte."""
    path = tmp_path / "latin1.yaml"
    path.write_bytes("civicflow: 1\ntitle: caf\u00e9\n".encode("latin-1"))
    (problem,) = _problems(path).problems
    assert (problem.line, problem.column) == (2, 11)
    assert "not UTF-8" in problem.message


def test_unreadable_file_is_a_template_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that cannot be opened is reported, not raised as OSError.

    The permission error is simulated: the tests may run as root, who can read any file.
    """
    path = tmp_path / "secret.yaml"
    path.write_text("civicflow: 1\n", encoding="utf-8")
    real_open = os.open

    def deny(file: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    assert _problems(path).problems[0].message == "cannot read the file: Permission denied"


def test_a_directory_is_not_a_template(tmp_path: Path) -> None:
    """A directory is refused with a clear message."""
    with pytest.raises(TemplateNotFoundError, match="is a directory"):
        load_template(tmp_path)


def test_all_problems_are_reported_together() -> None:
    """Validation collects every problem of a file, sorted by position."""
    text = (
        MINIMAL.read_text(encoding="utf-8")
        .replace("kind: meeting", "kind: meting")
        .replace("date: 2021-04-15", "date: 2021-02-30")
    )
    error = _problems("two.yaml", text=text)
    assert [(p.line, p.column) for p in error.problems] == [(17, 15), (19, 36)]
    assert "2 problems in process template" in str(error)


def test_structural_problems_are_all_reported_with_positions() -> None:
    """Unknown organisations and references are all found once the model is valid."""
    text = (
        MINIMAL.read_text(encoding="utf-8")
        .replace("responsible: [council]", "responsible: [mayor]")
        .replace("references: [law]", "references: [statute]")
    )
    error = _problems("refs.yaml", text=text)
    assert [(p.line, p.dotted_path) for p in error.problems] == [
        (20, "stages[0].steps[0].responsible[0]"),
        (25, "stages[0].steps[1].references[0]"),
    ]


def test_template_error_is_a_value_error() -> None:
    """Callers can catch the builtin ValueError."""
    with pytest.raises(ValueError, match="problem"):
        parse_template_text("civicflow: 1\n", "x.yaml")


def test_missing_fields_are_named() -> None:
    """Each missing required field is named, with the list of required fields."""
    error = _problems("x.yaml", text="civicflow: 1\nid: x\n")
    messages = [p.message for p in error.problems]
    expected = (
        "missing required field 'title'; required fields here: civicflow, id, version, language, title, "
        "jurisdiction"
    )
    assert expected in messages


def test_bundled_ids_include_the_seed_templates() -> None:
    """The bundled folder is found in a source checkout and lists the templates by id."""
    folder = bundled_dir()
    assert folder is not None
    assert bundled_ids() == sorted(p.stem for p in folder.glob("*.yaml"))
    assert bundled_ids(), "expected at least one bundled template in process_templates/"


def test_unknown_id_lists_bundled_ids_and_close_matches() -> None:
    """An unknown id names close matches and every bundled id."""
    ident = bundled_ids()[0]
    typo = ident[:-1] + ("x" if ident[-1] != "x" else "y")
    with pytest.raises(TemplateNotFoundError) as info:
        find_template(typo)
    message = str(info.value)
    assert f"did you mean {ident}" in message
    assert all(i in message for i in bundled_ids())
    assert isinstance(info.value, LookupError)
    assert isinstance(info.value, CivicflowError)


def test_list_templates_describes_each_bundled_template() -> None:
    """Each bundled template is listed with its title, country and step count."""
    infos = list_templates()
    assert [i.id for i in infos] == bundled_ids()
    for info in infos:
        assert info.error is None
        assert "en" in info.title
        assert info.country
        assert info.steps > 0


@pytest.mark.parametrize("ident", bundled_ids())
def test_bundled_template_loads_by_id(ident: str) -> None:
    """Every bundled template loads by its id (its file name) and its id field matches."""
    assert load_template(ident).id == ident


def test_schema_has_its_identity() -> None:
    """The JSON Schema names its draft, id and title, and is itself a valid schema."""
    schema = template_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    assert schema["title"].startswith("civicflow process template")
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_accepts_every_bundled_template_and_the_minimal_one() -> None:
    """The JSON Schema validates every template in process_templates/ (at least one) and the fixture."""
    folder = bundled_dir()
    assert folder is not None
    files = sorted(folder.glob("*.yaml"))
    assert files, "expected at least one bundled template"
    validator = jsonschema.Draft202012Validator(template_schema())
    for path in [*files, MINIMAL]:
        data = _to_json(parse_yaml(path.read_text(encoding="utf-8"), str(path)).data)
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], path.name


def test_schema_rejects_an_unknown_field() -> None:
    """The schema forbids fields the model does not know, like the loader does."""
    data = _to_json(parse_yaml(MINIMAL.read_text(encoding="utf-8")).data)
    data["titel"] = {"en": "x"}
    assert not jsonschema.Draft202012Validator(template_schema()).is_valid(data)


def test_wheel_bundles_templates_found_through_importlib_resources(tmp_path: Path) -> None:
    """The built wheel carries process_templates, and an installed (unpacked) copy finds one by id."""
    from hatchling.builders.wheel import WheelBuilder

    (wheel,) = WheelBuilder(str(REPO)).build(directory=str(tmp_path / "dist"), versions=["standard"])
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        inside = sorted(Path(n).stem for n in names if n.startswith("civicflow/process_templates/"))
        assert inside == bundled_ids()
        site = tmp_path / "site"
        archive.extractall(site)
    ident = bundled_ids()[0]
    script = (
        f"import json, civicflow.loader as L; t = L.load_template({ident!r}); "
        "print(json.dumps([L.__file__, str(L.bundled_dir()), t.id]))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    module_file, folder, loaded = json.loads(done.stdout)
    assert Path(module_file).is_relative_to(site)
    assert Path(folder) == site / "civicflow" / "process_templates"
    assert loaded == ident
