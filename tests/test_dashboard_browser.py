"""The dashboard in a real headless Chromium (Debian's, driven by Playwright) against a real
`civicflow serve` process on loopback: log in, create an instance, record through the form and see the
heat map and the board change, a refused event with its reason, keyboard-only use, and no request that
leaves the server's origin. Also: the documentation's screenshots are made by their script."""

from __future__ import annotations

import datetime as dt
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from civicflow.server.tokens import create_token
from civicflow.store import Store
from server_support import Served, serve

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from screenshots import CHROMIUM  # noqa: E402 - the browser and flags the screenshot script uses
from screenshots import CHROMIUM_ARGS as ARGS  # noqa: E402


def monday_weeks_ago(weeks: int) -> dt.date:
    """A Monday some weeks before today (UTC): an instance started then has passed its first deadlines."""
    today = dt.datetime.now(dt.UTC).date()
    return today - dt.timedelta(days=today.weekday() + 7 * weeks)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Served, str]]:
    db = f"sqlite:///{tmp_path / 'browser.db'}"
    with Store.open(db) as store:
        token, _ = create_token(store, "communications", "editor")
    with serve(db, tmp_path) as server:
        yield server, token


def cell(page: object, name: str, stage: str) -> str:
    """The status of a stage's cell in an instance's row of the heat map."""
    row = page.locator("tr", has=page.locator(f'th a:text-is("{name}")'))  # type: ignore[attr-defined]
    found: str = row.locator(f'td[data-stage="{stage}"]').get_attribute("data-status")
    return found


def column_of(page: object, step: str) -> str:
    """The kanban column a step's card is in."""
    found: str = page.locator(f'.board li[data-step="{step}"]').evaluate(  # type: ignore[attr-defined]
        "card => card.closest('[data-column]').dataset.column"
    )
    return found


def test_log_in_create_record_and_see_the_heat_map_and_board_change(
    served: tuple[Served, str], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    server, token = served
    start = monday_weeks_ago(8)
    name = "kir-browser"
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(locale="en-GB")
            page.on("request", lambda r: requests.append(r.url))
            page.goto(f"{server.url}/")
            assert page.locator("h1").inner_text() == "Heat map of the tracked processes"
            # log in with the token
            page.get_by_role("link", name="Log in").click()
            page.get_by_label("Access token").fill(token)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(f"{server.url}/")
            assert "Logged in: communications (editor)" in page.locator("header").inner_text()
            # create an instance through the form
            page.get_by_label("Name", exact=True).fill(name)
            page.locator("#n-template").select_option("drohobych_kir")
            page.locator("#n-start").fill(start.isoformat())
            page.get_by_role("button", name="Start tracking").click()
            page.wait_for_url(f"{server.url}/instances/{name}")
            # the first meeting, recorded through the form on the day after the start
            record(page, "meeting_1", start + dt.timedelta(days=1), "10:00", "")
            page.goto(f"{server.url}/")
            before = cell(page, name, "stage_1_preparatory")
            assert before == "overdue"  # the publication of its results was due weeks ago
            page.goto(f"{server.url}/instances/{name}")
            assert column_of(page, "publication_1") == "late"
            # the publication, recorded in time through the form
            record(page, "publication_1", start + dt.timedelta(days=2), "16:30", "https://example.org/news/1")
            assert "The event was recorded." in page.locator("main").inner_text()
            assert column_of(page, "publication_1") == "done"
            link = page.locator('#history a[href="https://example.org/news/1"]')
            assert link.count() == 1
            page.goto(f"{server.url}/")
            assert cell(page, name, "stage_1_preparatory") == "done"
            # an event the process does not allow: refused, with the reason and what is allowed
            page.goto(f"{server.url}/instances/{name}")
            record(page, "publication_strategic_session", start + dt.timedelta(days=3), "", "")
            problem = page.locator("#problem")
            assert problem.is_visible()
            # the refusal is on the screen, not seven screens down below the timeline and the board
            top = page.evaluate("() => document.getElementById('problem').getBoundingClientRect().top")
            assert 0 <= top < page.viewport_size["height"], top  # type: ignore[index]
            text = problem.inner_text()
            assert "The event is not allowed now" in text
            assert "Why:" in text
            assert "publication_strategic_session" in text
            assert "Allowed on that day:" in text
            code, data = server.json("GET", f"/api/v1/instances/{name}")
            assert code == 200
            assert [e["step"] for e in data["history"]] == ["meeting_1", "publication_1"]
        finally:
            browser.close()
    assert requests
    outside = [url for url in requests if not url.startswith(server.url + "/")]
    assert outside == []


def test_a_deadline_that_cannot_be_dated_yet_shows_on_the_agenda_and_its_card_without_a_day(
    served: tuple[Served, str],
) -> None:
    """publication_analysis is due "no later than 3 working days before" a strategic session that has no
    day yet: the agenda lists it apart, its card says what it waits for, and it is nowhere overdue."""
    from playwright.sync_api import sync_playwright

    server, token = served
    body = {"name": "kir-wait", "template": "drohobych_kir", "start": monday_weeks_ago(8).isoformat()}
    code, _ = server.json("POST", "/api/v1/instances", body, headers={"Authorization": f"Bearer {token}"})
    assert code == 201
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(locale="en-GB")
            page.goto(f"{server.url}/agenda")
            undated = page.locator('section[aria-labelledby="undated-head"]')
            row = undated.locator('tr[data-step="publication_analysis"]')
            assert row.is_visible()
            assert "no day yet: waits for strategic_session" in row.inner_text()
            overdue = page.locator('section[aria-labelledby="overdue-head"]')
            assert overdue.locator('tr[data-step="publication_analysis"]').count() == 0
            page.goto(f"{server.url}/instances/kir-wait")
            card = page.locator('.board li[data-step="publication_analysis"]')
            assert "no day yet: waits for strategic_session" in card.inner_text()
            assert column_of(page, "publication_analysis") != "late"
        finally:
            browser.close()


def record(page: object, step: str, day: dt.date, time: str, url: str) -> None:
    """Fill the record form of the instance page and send it."""
    form = page.locator("#record form")  # type: ignore[attr-defined]
    form.locator("#r-step").select_option(step)
    form.locator("#r-event").select_option("complete")
    form.locator("#r-date").fill(day.isoformat())
    if time:
        form.locator("#r-time").fill(time)
    form.locator("#r-url").fill(url)
    form.get_by_role("button", name="Record").click()
    page.wait_for_load_state()  # type: ignore[attr-defined]


def test_keyboard_alone_reaches_the_form_with_a_visible_focus_and_a_phone_reads_it(
    served: tuple[Served, str],
) -> None:
    from playwright.sync_api import sync_playwright

    server, token = served
    code, _ = server.json(
        "POST",
        "/api/v1/instances",
        {"name": "kir-keys", "template": "drohobych_kir", "start": monday_weeks_ago(3).isoformat()},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert code == 201
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(locale="uk-UA", extra_http_headers={"Accept-Language": "uk"})
            page.goto(f"{server.url}/login?next=%2Finstances%2Fkir-keys")
            assert page.locator("html").get_attribute("lang") == "uk"
            # log in with the keyboard only: the token field, Enter
            reached = tab_to(page, "token")
            assert reached
            page.keyboard.type(token)
            page.keyboard.press("Enter")
            page.wait_for_url(f"{server.url}/instances/kir-keys")
            assert page.locator("h2#record-head").inner_text() == "Записати подію"
            # what the engine says about each rule is Ukrainian too, not English
            findings = page.locator("#findings").inner_text()
            assert "ще не завершено, тому строк за правилом визначити не можна" in findings
            assert "cannot be dated" not in findings
            # from the top of the page, Tab alone reaches every field of the record form
            page.locator("body").focus()
            for field in ("r-step", "r-event", "r-date", "r-time", "r-note", "r-url"):
                assert tab_to(page, field), field
                outline = page.evaluate(
                    "() => { const s = getComputedStyle(document.activeElement);"
                    " return s.outlineStyle + ' ' + s.outlineWidth; }"
                )
                assert not outline.startswith("none"), outline
                assert page.evaluate(
                    "() => !!document.querySelector(`label[for='${document.activeElement.id}']`)"
                )
            # a phone: the page fits the screen's width (the wide chart and tables scroll on their own)
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            for path in ("/instances/kir-keys", "/", "/agenda", "/templates", "/templates/drohobych_kir"):
                phone.goto(f"{server.url}{path}")
                width = phone.evaluate("() => document.documentElement.scrollWidth")
                assert width <= 390, path
        finally:
            browser.close()


def tab_to(page: object, element_id: str, limit: int = 120) -> bool:
    """Press Tab until the element with ``element_id`` has the focus (False after ``limit`` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:  # type: ignore[attr-defined]
            return True
    return False


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_screenshot_script_photographs_the_overview_an_instance_its_board_and_the_agenda(
    tmp_path: Path,
) -> None:
    out = tmp_path / "img"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "screenshots.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "dashboard-agenda.png",
        "dashboard-board.png",
        "dashboard-instance.png",
        "dashboard-overview.png",
        "dashboard-phone-uk.png",
    ]
    for name in names:
        width, height = png_size(out / name)
        assert width in (1280, 390), name
        assert height >= 800, name
        assert (out / name).stat().st_size > 20_000, name  # a page, not a blank image
    # the committed pictures are the ones the script makes (same names and sizes)
    for name in names:
        assert png_size(ROOT / "docs" / "img" / name) == png_size(out / name), name
