"""The HTML page: self-contained, one bar per step, the today line, status colours; renders in Chromium."""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from civicflow.compliance import Status
from civicflow.exporters import ExportOptions, render
from test_exporters import sample_schedule, sample_statuses

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "screenshot_html.sh"
AS_OF = dt.date(2025, 10, 20)


class _Page(HTMLParser):
    """Collects the tags, attributes and text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def with_class(self, name: str) -> list[dict[str, str]]:
        return [a for _, a in self.tags if name in a.get("class", "").split()]


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


def _page() -> str:
    options = ExportOptions(as_of=AS_OF, statuses=sample_statuses(), lang="en")
    return render("html", sample_schedule(), options)


def test_no_external_resources() -> None:
    """No src, href or url() points outside the page: no CDN, fonts or images from the network."""
    text = _page()
    page = _parse(text)
    for tag, attrs in page.tags:
        for key in ("src", "href", "xlink:href", "action", "data"):
            value = attrs.get(key, "")
            assert not value or value.startswith("#"), (tag, key, value)
        assert tag not in ("script", "link", "img", "iframe", "object", "embed")
    # the only url() is the hatch pattern inside the page
    assert "@import" not in text
    for chunk in text.split("url(")[1:]:
        assert chunk.startswith("#"), chunk[:40]


def test_one_bar_per_step() -> None:
    """Every step has exactly one bar (rect or diamond) carrying its id."""
    page = _parse(_page())
    bars = [a["data-step"] for a in page.with_class("bar") if "data-step" in a]
    assert sorted(bars) == sorted(s.id for s in sample_schedule().steps)


def test_shapes_follow_the_step_kind() -> None:
    """Points are diamonds, spans are bars, undecided windows are hatched bars."""
    page = _parse(_page())
    shape = {a["data-step"]: (tag, a["class"]) for tag, a in page.tags if "data-step" in a and tag != "tr"}
    assert shape["meeting_1"][0] == "polygon"
    assert "point" in shape["meeting_1"][1].split()
    assert shape["discussion"][0] == "rect"
    assert "span" in shape["discussion"][1].split()
    assert "window" in shape["hearing"][1].split()
    assert len(page.with_class("hatch-over")) >= 1
    assert "crit" in shape["discussion"][1].split()


def test_today_line_at_as_of() -> None:
    """A today line is drawn at ``as_of`` and labelled with the date."""
    page = _parse(_page())
    lines = page.with_class("today")
    assert [a.get("data-date") for a in lines if "data-date" in a] == ["2025-10-20"]
    assert "today 2025-10-20" in "".join(page.text)


def test_today_far_away_is_marked_at_the_edge() -> None:
    """A today far outside the timeline does not stretch it: the line sits at the edge with an arrow."""
    options = ExportOptions(as_of=dt.date(2030, 1, 1))
    page = _parse(render("html", sample_schedule(), options))
    assert "today 2030-01-01 →" in "".join(page.text)


def test_status_classes_with_events() -> None:
    """With statuses each bar carries its status class, and the table shows the status words."""
    page = _parse(_page())
    status = {a["data-step"]: a["data-status"] for a in page.with_class("bar") if "data-step" in a}
    assert status == {k: v.status.value for k, v in sample_statuses().items()}
    for value in ("done", "done_late", "on_track", "due_soon", "overdue"):
        assert page.with_class(f"st-{value}"), value
    assert "done late" in "".join(page.text)


def test_without_events_every_step_is_planned() -> None:
    """Without statuses the bars are ``planned`` and the legend shows no status colours."""
    page = _parse(render("html", sample_schedule(), ExportOptions(as_of=AS_OF)))
    assert {a["data-status"] for a in page.with_class("bar") if "data-step" in a} == {Status.PLANNED}
    assert "on track" not in "".join(page.text)


def test_text_is_escaped() -> None:
    """Titles are escaped: markup in a title shows as text."""
    text = _page()
    assert "<published>" not in text
    assert "Minutes: &lt;published&gt; &amp; shared | #1; ok" in text
    assert "Minutes: <published> & shared | #1; ok" in "".join(_parse(text).text)


def test_table_has_a_row_per_step() -> None:
    """The table of steps lists every step with ISO dates and weekdays."""
    page = _parse(_page())
    rows = [a["data-step"] for tag, a in page.tags if tag == "tr" and "data-step" in a]
    assert rows == [s.id for s in sample_schedule().steps]
    assert "2025-10-06 Mon" in "".join(page.text)


@pytest.mark.browser
def test_renders_in_headless_chromium(tmp_path: Path) -> None:
    """Headless Chromium renders the page offline to a non-empty PNG screenshot."""
    page = tmp_path / "timeline.html"
    page.write_text(_page(), encoding="utf-8")
    out = tmp_path / "timeline.png"
    result = subprocess.run(
        ["bash", str(SCRIPT), str(page), str(out), "1400x900"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 10_000  # a blank page compresses to far less


@pytest.mark.parametrize("start", ["2024-10-01", "2025-09-29", "2025-10-06", "2026-01-31"])
def test_month_labels_of_the_axis_do_not_overlap(start: str) -> None:
    """A chart that starts a day or two before a month's end draws the month's line but not a label
    that would run into the next month's."""
    import re

    from civicflow.exporters.html import _label_width
    from civicflow.loader import load_bundled_template
    from civicflow.planner import plan

    template = load_bundled_template("drohobych_kir")
    schedule = plan(template, start=dt.date.fromisoformat(start))
    page = render("html", schedule, ExportOptions(template=template))
    labels = [(float(x), text) for x, text in re.findall(r'<text x="([0-9.]+)" y="14">([^<]+)</text>', page)]
    assert len(labels) >= 5  # one per month of a six-month process
    for (x1, text1), (x2, _) in itertools.pairwise(labels):
        assert x2 - x1 >= _label_width(text1) - 4, (text1, x1, x2)
