"""Fuzzing: mutated bundled templates and event logs, and hostile arguments, through the API and the CLI.

The one property: whatever the input, only civicflow's own errors escape (a :class:`CivicflowError` from
the API, exit code 0, 1 or 2 from the command line, never 70 "internal error"), and whatever is accepted
can be planned, checked and exported.

The CI run is short (``CIVICFLOW_FUZZ_EXAMPLES`` examples per test, 40 by default). The longer run that
docs/fuzzing.md records is::

    CIVICFLOW_FUZZ_EXAMPLES=2000 python -m pytest -p no:cacheprovider tests/test_fuzz.py
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from civicflow import CivicflowError, check, plan
from civicflow.cli import main
from civicflow.exporters import ExportOptions, render
from civicflow.loader import (
    bundled_dir,
    bundled_ids,
    load_bundled_template,
    parse_template_text,
    read_event_text,
)

EXAMPLES = int(os.environ.get("CIVICFLOW_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    database=None,
)
BUNDLED = bundled_dir()
assert BUNDLED is not None
TEMPLATES = {i: (BUNDLED / f"{i}.yaml").read_text(encoding="utf-8") for i in bundled_ids()}
FIXTURES = Path(__file__).parent / "fixtures" / "events"
LOGS = {
    p.name: p.read_text(encoding="utf-8")
    for p in sorted(FIXTURES.iterdir())
    if p.suffix in {".yaml", ".json", ".csv"}
}
FORMATS = ("json", "csv", "markdown", "html", "ics", "mermaid")

# What hostile input looks like: the edges of numbers, dates and text that broke civicflow before.
NASTY = [
    "",
    "~",
    "null",
    "-",
    "0",
    "-1",
    "9" * 5000,
    "1e999",
    ".nan",
    "-.inf",
    "0001-01-01",
    "9999-12-31",
    "9999-12-31T23:00Z",
    "0001-01-01T00:00+05:00",
    "2025-02-30",
    '"\\ud800"',
    '"\\x00"',
    '"\\e[2J\\e]0;t\\a"',
    "=HYPERLINK(1)",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "*a",
    "&a [1]",
    "!!python/object:os.system x",
    "{",
    "[" * 200,
    "'unterminated",
    "a: b: c",
    "1.5",
    "yearly",
    "Mars/Olympus",
    "1 working day",
    "P10D",
    "@start",
]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few line-level and value-level mutations."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            lines = [draw(st.sampled_from(NASTY))]
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        action = draw(st.integers(0, 8))
        if action == 0:
            del lines[i]
        elif action == 1:
            lines.insert(i, line)  # a duplicate key or record
        elif action == 2 and ":" in line:  # a value replaced
            key = line.split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(NASTY))}"
        elif action == 3 and "," in line:  # a CSV cell replaced
            cells = line.split(",")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(st.sampled_from(NASTY))
            lines[i] = ",".join(cells)
        elif action == 4:
            cut = draw(st.integers(0, len(line)))
            lines[i] = line[:cut] + draw(st.text(max_size=8)) + line[cut:]
        elif action == 5:
            lines[i] = " " * draw(st.integers(0, 6)) + line.lstrip()
        elif action == 6:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == 7:
            lines = lines[: draw(st.integers(0, len(lines)))]
        else:
            lines.insert(i, draw(st.sampled_from(NASTY)))
    return "\n".join(lines) + "\n"


def exercise(template_text: str) -> None:
    """Load, plan and export a (possibly broken) template: only CivicflowError may escape."""
    try:
        template = parse_template_text(template_text, "fuzzed.yaml")
    except CivicflowError as exc:
        event(f"refused: {type(exc).__name__}")
        return
    start = template.start or dt.date(2025, 10, 6)
    try:
        schedule = plan(template, start=start)
    except CivicflowError as exc:
        event(f"loaded, not planned: {type(exc).__name__}")
        return
    event("loaded, planned and exported")
    # what loads is planned whole: every step of the template is dated, none ends before it begins
    assert sorted(s.id for s in schedule.steps) == sorted(step.id for _, step in template.iter_steps())
    assert all(s.start <= s.end for s in schedule.steps)
    for fmt in FORMATS:
        out = render(fmt, schedule, ExportOptions(template=template, as_of=start))
        assert isinstance(out, str)
        assert out.strip(), fmt


@FUZZ
@given(data=st.data(), which=st.sampled_from(sorted(TEMPLATES)))
def test_mutated_templates_raise_only_civicflow_errors(data: st.DataObject, which: str) -> None:
    """A mutated bundled template is refused with a civicflow error, or planned whole and exported in every
    format; nothing else escapes."""
    exercise(data.draw(mutated(TEMPLATES[which])))


@FUZZ
@given(data=st.data(), name=st.sampled_from(sorted(LOGS)))
def test_mutated_logs_raise_only_civicflow_errors(data: st.DataObject, name: str) -> None:
    template = load_bundled_template("drohobych_kir")
    text = data.draw(mutated(LOGS[name]))
    fmt = {"yml": "yaml"}.get(name.rsplit(".", 1)[1], name.rsplit(".", 1)[1])
    try:
        log = read_event_text(text, format=fmt, source=name, timezone="Europe/Kyiv", template=template)
    except CivicflowError as exc:
        event(f"refused: {type(exc).__name__}")
        return
    try:
        check(template, log.events, start=log.start or dt.date(2024, 10, 7), as_of=dt.date(2025, 6, 1))
    except CivicflowError as exc:
        event(f"read, not checked: {type(exc).__name__}")
        return
    event("read and checked")


def _cli(*args: str) -> int:
    """The exit code of ``civicflow ARGS`` (argparse exits with 2 on bad usage itself)."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            return main(["--color", "never", *args])
        except SystemExit as exc:
            return int(exc.code or 0)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder (and one store, ``t.db``) for a whole fuzz test: opening a fresh store per example
    would spend the time budget on migrations."""
    return tmp_path_factory.mktemp("fuzz")


_COUNTER = itertools.count()


@FUZZ
@given(
    data=st.data(), name=st.sampled_from(sorted(LOGS)), command=st.sampled_from(["check", "status", "track"])
)
def test_the_cli_never_fails_internally_on_a_mutated_log(
    workdir: Path, data: st.DataObject, name: str, command: str
) -> None:
    text = data.draw(mutated(LOGS[name]))
    log = workdir / f"log{next(_COUNTER)}{Path(name).suffix}"  # a new instance name for track import
    log.write_text(text, encoding="utf-8", errors="surrogatepass")
    args = {
        "check": ["check", "drohobych_kir", str(log), "--as-of", "2025-06-01"],
        "status": ["status", "--template", "drohobych_kir", str(log), "--as-of", "2025-06-01"],
        "track": ["track", "import", str(log), "--template", "drohobych_kir", "--start", "2024-10-07"],
    }[command]
    if command == "track":
        args += ["--db", str(workdir / "t.db")]
    assert _cli(*args) in (0, 1, 2)


@FUZZ
@given(
    data=st.data(),
    which=st.sampled_from(sorted(TEMPLATES)),
    command=st.sampled_from(["lint", "show", "plan", "export"]),
)
def test_the_cli_never_fails_internally_on_a_mutated_template(
    data: st.DataObject, which: str, command: str
) -> None:
    text = data.draw(mutated(TEMPLATES[which]))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        args = {
            "lint": ["lint", str(path)],
            "show": ["show", str(path)],
            "plan": ["plan", str(path), "--start", "2025-10-06"],
            "export": [
                "export",
                str(path),
                "--start",
                "2025-10-06",
                "--format",
                data.draw(st.sampled_from(FORMATS)),
            ],
        }[command]
        assert _cli(*args) in (0, 1, 2)


dates = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.sampled_from(["0001-01-01", "9999-12-31", "2025-02-29", "2025-13-01", "x"]),
)


@FUZZ
@given(start=dates, fix=dates, step=st.sampled_from(["meeting_1", "publication_1", "nope", ""]))
def test_the_cli_never_fails_internally_on_hostile_dates(start: str, fix: str, step: str) -> None:
    assert _cli("plan", "drohobych_kir", "--start", start, "--fix", f"{step}={fix}") in (0, 1, 2)
    assert _cli("export", "sofia_vision", "--start", start, "--format", "html") in (0, 1, 2)


@settings(FUZZ, max_examples=max(10, EXAMPLES // 4))  # two store openings per example: the slow one
@given(note=st.text(max_size=40), by=st.text(max_size=10), date=dates)
def test_track_record_never_fails_internally_on_hostile_text(
    workdir: Path, note: str, by: str, date: str
) -> None:
    db = str(workdir / "t.db")
    name = f"a{next(_COUNTER)}"
    assert _cli("track", "new", "drohobych_kir", "--name", name, "--start", "2025-10-06", "--db", db) == 0
    code = _cli("track", "record", name, "meeting_1", "--date", date, "--note", note, "--by", by, "--db", db)
    assert code in (0, 2)


@pytest.mark.parametrize("which", sorted(TEMPLATES))
def test_every_bundled_template_survives_the_exercise_unmutated(which: str) -> None:
    """The harness itself works: an unmutated template is planned and exported in every format."""
    template = parse_template_text(TEMPLATES[which], f"{which}.yaml")
    schedule = plan(template, start=template.start or dt.date(2025, 10, 6))
    for fmt in FORMATS:
        assert render(fmt, schedule, ExportOptions(template=template))
