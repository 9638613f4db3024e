"""Text from a template or a log cannot act in what civicflow writes: no spreadsheet formulas in CSV, no
markup, HTML or links in Markdown, no escape sequences on a terminal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from markdown_it import MarkdownIt

from civicflow import load_bundled_template, plan
from civicflow.cli import main
from civicflow.exporters import ExportOptions, render
from civicflow.exporters._safe import csv_cell, md_text
from civicflow.loader import bundled_dir, parse_template_text

BUNDLED = bundled_dir()
assert BUNDLED is not None
KIR = (BUNDLED / "drohobych_kir.yaml").read_text(encoding="utf-8")

EVIL_STEP = '"=HYPERLINK(\\"http://evil.example/\\",\\"click\\")"'
EVIL_STAGE = '"x\\n# Owned <img src=x onerror=alert(1)> [link](javascript:alert(1)) <javascript:alert(2)>"'
EVIL_PROCESS = '"\\e]0;retitled\\a\\e[2J\\e[31mred"'
EVIL_ORG = "\"@SUM(1+1)*cmd|' /C calc'!A0\""


def evil_template_text() -> str:
    text = KIR.replace("en: First meeting of the working group", f"en: {EVIL_STEP}", 1)
    text = text.replace("en: Preparatory stage", f"en: {EVIL_STAGE}", 1)
    text = text.replace(
        "  en: Detailed work plan of the working group for drafting the Concept of Integrated Development "
        "of the Drohobych city territorial community",
        f"  en: {EVIL_PROCESS}",
        1,
    )
    return text.replace("en: Drohobych City Council", f"en: {EVIL_ORG}", 1)


@pytest.fixture(scope="module")
def evil_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("evil") / "evil.yaml"
    path.write_text(evil_template_text(), encoding="utf-8")
    parse_template_text(evil_template_text(), "evil.yaml")  # a valid template: only its text is hostile
    return str(path)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+cmd", "'+cmd"),
        ("-cmd|x", "'-cmd|x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-3", "-3"),
        ("+1.5", "+1.5"),
        ("-2e3", "-2e3"),
        (-4, -4),
        ("2025-10-06", "2025-10-06"),
        ("meeting 1 = ok", "meeting 1 = ok"),
    ],
)
def test_csv_cells_neutralise_formulas_and_keep_numbers(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


def _csv_cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("command", ["export", "plan"])
def test_csv_output_has_no_formula_and_keeps_dates_and_numbers(
    evil_file: str, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    assert main([command, evil_file, "--start", "2025-10-06", "--format", "csv"]) in (0, 1)
    rows = _csv_cells(capsys.readouterr().out)
    for row in rows:
        for name, value in row.items():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), (name, value)
            if value.startswith("-"):
                float(value)  # only a negative number may start with a minus
    meeting = next(r for r in rows if (r.get("step") or r.get("id")) == "meeting_1")
    assert meeting["title"] == "'" + '=HYPERLINK("http://evil.example/","click")'
    assert dt.date.fromisoformat(meeting["start"]) >= dt.date(2025, 10, 6)


def test_csv_responsible_names_are_neutralised(evil_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", evil_file, "--start", "2025-10-06", "--format", "csv"]) in (0, 1)
    names = [r["responsible"] for r in _csv_cells(capsys.readouterr().out) if r["responsible"]]
    assert names
    assert all(not n.startswith("@") for n in names)


def test_md_text_escapes_markup_html_and_links() -> None:
    html = MarkdownIt("commonmark").renderInline(
        md_text("a\n# b <b>x</b> [l](javascript:x) <javascript:y> *e* `c`")
    )
    assert "<b>" not in html
    assert "<a " not in html
    assert "<em>" not in html
    assert "<code>" not in html
    assert "\n" not in md_text("a\nb\r\nc")


def test_markdown_export_shows_hostile_titles_as_text(
    evil_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", evil_file, "--start", "2025-10-06", "--format", "markdown"]) in (0, 1)
    text = capsys.readouterr().out
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not any(h.startswith("Owned") for h in headings)  # no heading from inside a title
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<img" not in html
    assert "javascript:" not in html.replace("javascript:alert(1)", "").replace("javascript:alert(2)", "")
    assert 'href="javascript' not in html
    assert "<a " not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # shown as text, exactly
    assert "\x1b" not in text


def test_terminal_output_strips_escape_sequences(evil_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["show", evil_file], ["plan", evil_file, "--start", "2025-10-06"]):
        main(["--color", "always", *args])
        out, err = capsys.readouterr()
        assert "\x07" not in out + err
        assert "\x1b]" not in out + err  # no title change
        assert "\x1b[2J" not in out + err  # no screen clear
        assert "\x1b[31mred" not in out  # the data's own colour is gone, only civicflow's styles remain
    main(["--color", "always", "show", evil_file])
    out, _ = capsys.readouterr()
    assert "?]0;retitled??[2J?[31mred" in out


def test_terminal_output_of_a_log_note_is_cleaned(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    import pathlib

    folder = pathlib.Path(str(tmp_path))
    db = str(folder / "t.db")
    assert main(["track", "new", "drohobych_kir", "--name", "a", "--start", "2025-10-06", "--db", db]) == 0
    note = "ok\x1b[2J\x1b]8;;http://evil.example\x07link"
    assert (
        main(["track", "record", "a", "meeting_1", "--date", "2025-10-08", "--note", note, "--db", db]) == 0
    )
    capsys.readouterr()
    assert main(["track", "history", "a", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "ok?[2J?]8;;http://evil.example?link" in out
    c1 = "csi\x9b2J del\x7f rtl\u202e"
    assert (
        main(["track", "record", "a", "publication_1", "--date", "2025-10-09", "--note", c1, "--db", db]) == 0
    )
    capsys.readouterr()
    assert main(["track", "history", "a", "--db", db, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert not any(ch in out for ch in "\x1b\x07\x9b\x7f\u202e")  # nothing raw reaches a terminal
    notes = [e.get("note") for e in json.loads(out)["events"]]
    assert notes == [note, c1]  # JSON keeps the data exactly, escaped as JSON


def test_the_api_renders_the_same_escaping() -> None:
    template = load_bundled_template("drohobych_kir")
    text = render("markdown", plan(template, start=dt.date(2025, 10, 6)), ExportOptions(template=template))
    assert text.startswith("# Detailed work plan")


@pytest.mark.parametrize("text", ["[x]\x1b]0;t\x07 title", "{x}\x1b[2J", "plain\x9b2J", "a\rb\x1b[31m"])
@pytest.mark.parametrize("color", ["never", "always"])
def test_no_line_lets_a_control_character_through(text: str, color: str) -> None:
    """Lines that look like JSON are escaped as JSON, the others get ``?``: no raw control either way."""
    from civicflow.cli._common import Console

    out = io.StringIO()
    console = Console.from_streams(out, io.StringIO(), color=color)
    console.print(text)
    console.print(console.style(text, "red"))
    written = out.getvalue()
    assert not any(ch in written for ch in "\x07\x9b\r")
    # only civicflow's own red and reset, once each, when colour is on
    assert written.count("\x1b") == (2 if color == "always" else 0)


@pytest.mark.parametrize(
    "text", ["publication_analysis", "_em_ and __strong__", "a__b__c", "a _b_ c", "x_", "снег_дождь", "a_b_c"]
)
def test_markdown_underscores_are_text_and_ids_stay_readable(text: str) -> None:
    escaped = md_text(text)
    assert MarkdownIt("commonmark").renderInline(escaped) == text.replace("&", "&amp;")
    if "_" in text and all(part.isalnum() for part in text.split("_")):
        assert escaped == text  # an id such as publication_analysis is not littered with backslashes


@pytest.mark.parametrize("fmt", ["csv", "html", "ics", "json", "markdown", "mermaid"])
def test_no_export_carries_a_control_character_from_the_data(evil_file: str, fmt: str) -> None:
    """``civicflow export`` without ``--output`` writes to the terminal: no format carries the template's
    escape sequences (tab, newline and a CRLF line end stay); JSON keeps the data as JSON escapes."""
    template = parse_template_text(evil_template_text(), "evil.yaml")
    text = render(fmt, plan(template, start=dt.date(2025, 10, 6)), ExportOptions(template=template))
    assert not any(ch in text for ch in "\x1b\x07\x9b")
    assert "\r" not in text.replace("\r\n", "")
    if fmt == "json":  # the data is kept as it is, newline included
        assert "x\n# Owned <img src=x onerror=alert(1)>" in json.loads(text)["stages"][0]["title"]
    if fmt == "ics":
        assert text.count("\r\n") > 10  # the calendar's own line ends are kept
    if fmt == "mermaid":  # no tag reaches a page that renders the chart
        assert "<img" not in text
        assert "\uff1cimg src=x onerror=alert(1)\uff1e" in text
