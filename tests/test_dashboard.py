"""The web dashboard with the application in process: pages, escaping of what users wrote, login and
sessions, CSRF refusals, the same checks and reasons as the API, languages and security headers."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from civicflow import compliance
from civicflow._procedure import describe_rule
from civicflow.errors import StoreError
from civicflow.i18n import translator
from civicflow.loader import load_template
from civicflow.server import dashboard
from civicflow.server.app import ENV_SESSION, Settings, create_app
from civicflow.server.dashboard import CSP, choose_language, safe_url
from civicflow.server.tokens import create_token, revoke_token
from civicflow.template import RelativeRule, rule_message

NOW = dt.datetime(2024, 10, 20, 9, 0, tzinfo=dt.UTC)  # a Sunday; noon in Kyiv
KIR = "drohobych_kir"
CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')

HOSTILE_TEMPLATE = """\
civicflow: 1
id: hostile_hearing
version: "1"
language: en
title: {en: "<script>alert('title')</script> hearing"}
jurisdiction: {country: UA, timezone: Europe/Kyiv}
references:
  - {id: law, citation: "Law <b>1</b>", url: "javascript:alert('ref')"}
stages:
  - id: prepare
    title: {en: "<img src=x onerror=alert(1)>"}
    steps:
      - id: announce
        kind: publication
        title: {en: Announce the hearing}
        timing: {type: rule, rule: within, of: "@start", duration: "5 working days", reference: law,
                 text: {en: "within five days <i>at most</i>"}}
"""


class Site:
    """A test client of the dashboard with an editor and a viewer token."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        store = client.app.state.store  # type: ignore[attr-defined]
        self.store = store
        self.editor, _ = create_token(store, "communications", "editor")
        self.viewer, _ = create_token(store, "watchdog", "viewer")

    def api(self, method: str, path: str, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {self.editor}"}
        return self.client.request(method, path, json=body, headers=headers)

    def new(self, name: str, start: str = "2024-10-01", template: str = KIR) -> None:
        answer = self.api("POST", "/api/v1/instances", {"name": name, "template": template, "start": start})
        assert answer.status_code == 201, answer.text

    def csrf(self, path: str = "/") -> str:
        found = CSRF.search(self.client.get(path).text) or CSRF.search(self.client.get("/login").text)
        assert found is not None
        return found.group(1)

    def login(self, token: str | None = None) -> Any:
        answer = self.client.post(
            "/login",
            data={"csrf": self.csrf("/login"), "token": token or self.editor, "next": "/agenda"},
            follow_redirects=False,
        )
        return answer

    def record(self, name: str, **fields: str) -> Any:
        data = {"csrf": self.csrf(f"/instances/{name}"), "event": "complete", **fields}
        return self.client.post(f"/instances/{name}/events", data=data, follow_redirects=False)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    app = create_app(Settings(db=f"sqlite:///{tmp_path / 'dash.db'}", now=lambda: NOW))
    with TestClient(app) as client:
        yield Site(client)


def text_of(page: str) -> str:
    """The visible text of a page, unescaped, with runs of white space as one space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def history(site: Site, name: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = site.client.get(f"/api/v1/instances/{name}").json()["history"]
    return found


# -- pages ---------------------------------------------------------------------------------------------


def test_every_page_answers_with_html_and_the_security_headers(site: Site) -> None:
    site.new("kir-2024")
    for path in ("/", "/agenda", "/templates", f"/templates/{KIR}", "/instances/kir-2024", "/login"):
        answer = site.client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"] == "text/html; charset=utf-8"
        assert answer.headers["content-security-policy"] == CSP
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["cache-control"] == "no-store"
        assert '<html lang="en">' in answer.text
        # nothing is loaded from another origin: every src and href is a path of this site or a fragment
        for url in re.findall(r'(?:src|href|action)="([^"]*)"', answer.text):
            assert re.match(r"^(/(?!/)|#)", url), (path, url)
    assert "http:" not in CSP
    assert "https:" not in CSP
    assert "'unsafe-inline'" not in CSP
    css = site.client.get("/static/dashboard.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert "@import" not in css.text
    assert "url(http" not in css.text


def test_no_request_names_a_file(site: Site) -> None:
    for path in (
        "/static/..%2F..%2F..%2Fpyproject.toml",
        "/static/../app.py",
        "/static/dashboard.css%00.py",
        "/static/app.py",
        "/static/templates/base.html",
        "/templates/..%2Fapp",
        "/instances/..%2F..%2Fetc%2Fpasswd",
    ):
        answer = site.client.get(path)
        assert answer.status_code == 404, path
        for content in ("[project]", "def create_app", "{% block", "root:x:0"):
            assert content not in answer.text, (path, content)


def test_the_heat_map_shows_the_worst_status_of_each_stage_and_counts(site: Site) -> None:
    site.new("kir-on-time")
    site.new("kir-late")
    site.api("POST", "/api/v1/instances/kir-on-time/events", {"step": "meeting_1", "date": "2024-10-07"})
    site.api("POST", "/api/v1/instances/kir-on-time/events", {"step": "publication_1", "date": "2024-10-09"})
    site.api("POST", "/api/v1/instances/kir-late/events", {"step": "meeting_1", "date": "2024-10-07"})
    site.api("POST", "/api/v1/instances/kir-late/events", {"step": "publication_1", "date": "2024-10-17"})
    heat = site.client.get("/api/v1/status").json()
    page = site.client.get("/").text
    assert "As of 2024-10-20 Sun." in text_of(page)
    for row in heat["instances"]:
        name = row["name"]
        part = page[page.index(f">{name}</a>") :]
        part = part[: part.index("</tr>")]
        shown = dict(re.findall(r'data-stage="([a-z0-9_]+)" data-status="([a-z_]+)"', part))
        assert shown == {k: v for k, v in row["cells"].items()}
    # a publication three working days late is a done-late first stage; the count says how many
    assert re.search(
        r">kir-late</a>.*?data-stage=\"stage_1_preparatory\" data-status=\"done_late\"", page, re.S
    )
    worst = [row["worst"] for row in heat["instances"]]
    counts = dict(re.findall(r'href="/\?status=([a-z_]+)">.*?<strong>(\d+)</strong>', page, re.S))
    for status, count in counts.items():
        assert int(count) == worst.count(status)


def test_the_heat_map_tells_a_legal_verdict_from_a_late_plan(site: Site) -> None:
    """As ``civicflow status`` does: a cell only the plan dates carries ``~`` and the check column says
    NOT OK only when a rule is broken or a legal deadline overdue, from the same row the API gives."""
    site.new("kir-on-time", "2024-10-01")
    site.new("kir-late", "2024-10-01")
    for name, day in (("kir-on-time", "2024-10-09"), ("kir-late", "2024-10-17")):
        site.api("POST", f"/api/v1/instances/{name}/events", {"step": "meeting_1", "date": "2024-10-07"})
        site.api("POST", f"/api/v1/instances/{name}/events", {"step": "publication_1", "date": day})
    later = {"as_of": "2025-01-20"}  # every window of the analytical stage has passed: late by the plan
    heat = site.client.get("/api/v1/status", params=later).json()
    page = site.client.get("/", params=later).text
    rows = {row["name"]: row for row in heat["instances"]}
    assert rows["kir-on-time"]["ok"] is True
    assert rows["kir-late"]["ok"] is False
    for name, row in rows.items():
        part = page[page.index(f">{name}</a>") :]
        part = part[: part.index("</tr>")]
        assert ('data-check="ok"' in part) is row["ok"], name
        planned = set(re.findall(r'data-stage="([a-z0-9_]+)" data-status="[a-z_]+" data-source="plan"', part))
        assert planned == {k for k, v in row["due_sources"].items() if v == "plan" and row["cells"].get(k)}
        assert planned, "the fixture must have a stage late only by the plan"
    ukrainian = site.client.get("/", params=later, headers={"Accept-Language": "uk"}).text
    assert "НЕ ГАРАЗД" in ukrainian
    assert "строк за планом" in ukrainian


def test_the_filters_narrow_the_rows_and_bad_filters_are_refused(site: Site) -> None:
    site.new("kir-a")
    site.new("kir-b")
    site.new("sofia-a", "2024-09-02", "sofia_vision")
    page = site.client.get("/", params={"template": "sofia_vision"}).text
    assert ">sofia-a</a>" in page
    assert ">kir-a</a>" not in page
    page = site.client.get("/", params={"q": "KIR-B"}).text
    assert ">kir-b</a>" in page
    assert ">kir-a</a>" not in page
    assert ">sofia-a</a>" not in page
    worst = {r["name"]: r["worst"] for r in site.client.get("/api/v1/status").json()["instances"]}
    page = site.client.get("/", params={"status": worst["sofia-a"]}).text
    assert ">sofia-a</a>" in page
    assert all((f">{n}</a>" in page) == (w == worst["sofia-a"]) for n, w in worst.items())
    for params in ({"status": "<b>"}, {"as_of": "2024-13-01"}, {"q": "x" * 101}, {"q": "a\x00"}):
        answer = site.client.get("/", params=params)
        assert answer.status_code == 422, params
        assert "<b>" not in answer.text.split("<main", 1)[1]
    answer = site.client.get("/?q=a&q=b")
    assert answer.status_code == 422
    assert "given 2 times" in answer.text
    # the plural form each language needs, never "раз(а)"
    for lang, said in (("ru", "задано 2 раза"), ("uk", "задано 5 разів"), ("bg", "зададено 2 пъти")):
        n = 5 if lang == "uk" else 2
        query = "&".join(["as_of=2025-10-06"] * n)
        answer = site.client.get(f"/?{query}", headers={"Accept-Language": lang})
        assert answer.status_code == 422
        assert said in answer.text
        assert "(а)" not in answer.text
        assert "(и)" not in answer.text


def test_a_large_heat_map_is_paged_and_the_counts_are_of_every_instance(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard, "PAGE_ROWS", 2)
    for k in range(5):
        site.new(f"kir-{k}")
    site.new("sofia-x", "2024-09-02", "sofia_vision")
    first = site.client.get("/", params={"template": KIR}).text
    assert re.findall(r'<th scope="row"><a href="/instances/([^"]+)"', first) == ["kir-0", "kir-1"]
    assert "<strong>5</strong> instances" in first
    assert "Page 1 of 3" in text_of(first)
    assert 'href="/?template=drohobych_kir&amp;page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    last = site.client.get("/", params={"template": KIR, "page": "3"}).text
    assert re.findall(r'<th scope="row"><a href="/instances/([^"]+)"', last) == ["kir-4"]
    assert 'href="/?template=drohobych_kir&amp;page=2" rel="prev"' in last
    assert 'rel="next"' not in last
    for bad in ("0", "4", "x", "-1"):
        answer = site.client.get("/", params={"template": KIR, "page": bad})
        assert answer.status_code == 422, bad
    one = site.client.get("/", params={"q": "sofia"}).text
    assert "Page 1 of" not in one


def test_the_instance_page_has_timeline_board_findings_and_history(site: Site) -> None:
    site.new("kir-2024")
    site.api("POST", "/api/v1/instances/kir-2024/events", {"step": "meeting_1", "date": "2024-10-07"})
    site.api("POST", "/api/v1/instances/kir-2024/events", {"step": "publication_1", "date": "2024-10-17"})
    page = site.client.get("/instances/kir-2024").text
    assert '<line class="today" data-date="2024-10-20"' in page  # the exporter's chart, today line
    # the publication is drawn on the day it happened (pinned by the record), three working days late
    assert 'data-step="publication_1" data-status="done_late"' in page
    board = page[page.index('id="board"') : page.index('id="findings"')]
    done = board[board.index('data-column="done"') : board.index('data-column="late"')]
    assert 'data-step="meeting_1"' in done
    assert 'data-step="publication_1"' in done
    late = board[board.index('data-column="late"') : board.index('data-column="skipped"')]
    assert 'data-step="state_regional_interests"' not in done
    findings = text_of(page[page.index('id="findings"') : page.index('id="history"')])
    assert "violated" in findings
    assert "Civil Code of Ukraine, arts. 253-255" in findings
    assert "Drohobych KIR working-group plan" in findings
    # what the API says is overdue is in the overdue column
    st = site.client.get("/api/v1/instances/kir-2024").json()["status"]["steps"]
    for step, value in st.items():
        assert (f'data-step="{step}"' in late) == (value in ("overdue", "violated")), step


def test_the_agenda_lists_legal_deadlines_first(site: Site) -> None:
    site.new("kir-2024", "2024-10-14")
    site.api("POST", "/api/v1/instances/kir-2024/events", {"step": "meeting_1", "date": "2024-10-18"})
    api = site.client.get("/api/v1/agenda", params={"within": 10}).json()
    page = site.client.get("/agenda").text
    assert api["legal"], "the fixture must have a legal deadline in the next 10 working days"
    legal = page[page.index('id="legal-head"') : page.index('id="planned-head"')]
    planned = page[page.index('id="planned-head"') : page.index('id="undated-head"')]
    assert [m for m in re.findall(r'data-step="([a-z0-9_]+)"', legal)] == [i["step"] for i in api["legal"]]
    assert [m for m in re.findall(r'data-step="([a-z0-9_]+)"', planned)] == [
        i["step"] for i in api["planned"]
    ]
    assert site.client.get("/agenda", params={"within": "61"}).status_code == 422


def test_the_agenda_shows_what_is_overdue_first_as_the_api_and_due_list_it(site: Site) -> None:
    """An agenda that showed only what is coming looked empty while work was late: the overdue steps
    come first, legal deadlines before planned days, each saying which it is."""
    site.new("kir-late", "2024-10-01")
    site.api("POST", "/api/v1/instances/kir-late/events", {"step": "meeting_1", "date": "2024-10-02"})
    later = {"as_of": "2025-01-20"}  # the windows of the analytical stage have passed too
    api = site.client.get("/api/v1/agenda", params=later).json()
    assert api["overdue"], "the fixture must have overdue steps"
    assert api["overdue"][0]["due_source"] == "rule"  # publication_1's deadline passed: legal first
    page = site.client.get("/agenda", params=later).text
    overdue = page[page.index('id="overdue-head"') : page.index('id="legal-head"')]
    assert re.findall(r'data-step="([a-z0-9_]+)"', overdue) == [i["step"] for i in api["overdue"]]
    assert "a legal deadline" in text_of(overdue)
    assert "a planned day" in text_of(overdue)
    ukrainian = site.client.get("/agenda", params=later, headers={"Accept-Language": "uk"}).text
    assert "Прострочено" in ukrainian
    assert "законний строк" in ukrainian


def test_a_deadline_that_cannot_be_dated_yet_is_on_the_agenda_and_its_card_never_overdue(site: Site) -> None:
    """Nothing recorded a year on: the publications due "no later than N before" a session or hearing
    with no day yet are listed apart on the agenda (as by the API), and their cards say what they wait
    for; none of them is overdue or given a day."""
    site.new("kir-idle", "2025-10-06")
    later = {"as_of": "2026-11-30"}
    api = site.client.get("/api/v1/agenda", params=later).json()
    undated = {i["step"]: i["waits_for"] for i in api["undated"]}
    assert undated == {
        "publication_analysis": "strategic_session",
        "publication_revised_preliminary_draft": "hearing_preliminary_draft",
        "publication_revised_main_draft": "hearing_main_draft",
    }
    assert not {i["step"] for i in api["overdue"] + api["legal"] + api["planned"]} & set(undated)
    page = site.client.get("/agenda", params=later).text
    section = page[page.index('id="undated-head"') :]
    assert sorted(re.findall(r'data-step="([a-z0-9_]+)"', section)) == sorted(undated)
    assert "no day yet: waits for strategic_session" in text_of(section)
    overdue = page[page.index('id="overdue-head"') : page.index('id="legal-head"')]
    assert "publication_analysis" not in overdue
    board = site.client.get("/instances/kir-idle", params=later).text
    card = board[board.index('id="board-head"') :]
    card = card[card.index('data-step="publication_analysis"') :]
    card = card[: card.index("</li>")]
    assert "no day yet: waits for strategic_session" in text_of(card)
    assert "no later than 3 working days before the strategic session" in text_of(card)
    assert 'data-status="overdue"' not in card
    ukrainian = site.client.get("/agenda", params=later, headers={"Accept-Language": "uk"}).text
    assert "no day yet" not in ukrainian
    assert "strategic_session" in ukrainian[ukrainian.index('id="undated-head"') :]


def test_the_count_of_instances_agrees_with_its_number(site: Site) -> None:
    site.new("kir-one", "2024-10-01")
    assert "1 instance " in text_of(site.client.get("/").text) + " "
    assert "1 процес " in text_of(site.client.get("/", headers={"Accept-Language": "uk"}).text) + " "
    site.new("kir-two", "2024-10-01")
    assert "2 instances" in text_of(site.client.get("/").text)
    assert "2 процеси" in text_of(site.client.get("/", headers={"Accept-Language": "uk"}).text)


def test_the_template_outline_cites_every_rule(site: Site) -> None:
    raw = site.client.get(f"/templates/{KIR}").text
    page = text_of(raw)
    assert "Publication of the results of the first meeting" in page
    assert "Civil Code of Ukraine, arts. 253-255" in page
    template = load_template(KIR)
    cites = {r.id: r.citation for r in template.references}
    rules = 0
    for _stage, step in template.iter_steps():
        item = raw[raw.index(f'id="step-{step.id}"') :]
        item = text_of(item[: item.index("</li>")])
        for ref in step.references:
            assert cites[ref] in item, (step.id, ref)
        if isinstance(step.timing, RelativeRule):
            rules += 1
            assert describe_rule(step.timing) in item, step.id
            if step.timing.reference:
                cited = re.escape(cites[step.timing.reference])
                assert re.search(rf"Rule: .*\(\s*{cited}\s*\)", item), step.id
    assert rules >= 5
    assert site.client.get("/templates/no_such_template").status_code == 404
    assert site.client.get("/templates/..%2F..%2Fetc").status_code == 404


# -- escaping -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_notes_urls_names_and_titles_are_escaped_and_unsafe_urls_are_not_links(site: Site, lang: str) -> None:
    site.client.cookies.set("cf_lang", lang)  # the engine's words in Ukrainian carry the same user data
    assert site.api("POST", "/api/v1/templates", {"text": HOSTILE_TEMPLATE}).status_code == 201
    name = 'hall-<b>1<&>"x'
    site.new(name, "2024-10-14", "hostile_hearing")
    path = "/instances/hall-%3Cb%3E1%3C%26%3E%22x"
    event = {"step": "announce", "date": "2024-10-15", "note": "<script>alert('note')</script>"}
    # an evidence link that is not a web address is refused before anything is written
    refused = site.api("POST", f"/api/v1{path}/events", {**event, "url": "javascript:alert('url')"})
    assert refused.status_code == 422
    assert "is not a web address" in refused.json()["detail"]
    assert site.api("POST", f"/api/v1{path}/events", event).status_code == 201
    for page in (
        site.client.get(path).text,
        site.client.get("/").text,
        site.client.get("/templates/hostile_hearing").text,
    ):
        assert "<script>" not in page
        assert "<img" not in page
        assert "<b>1" not in page
        assert "<i>" not in page
        assert "javascript:" not in re.sub(r">[^<]*<", "><", page)  # only as text, never in an attribute
    page = site.client.get(path).text
    assert "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;" in page
    assert "hall-&lt;b&gt;1&lt;&amp;&gt;&#34;x" in page
    outline = site.client.get("/templates/hostile_hearing").text
    assert "Law &lt;b&gt;1&lt;/b&gt;" in outline
    assert "within five days &lt;i&gt;at most&lt;/i&gt;" in outline


def test_safe_url_keeps_only_http_and_https_addresses() -> None:
    assert safe_url("https://example.org/n/1?a=b") == "https://example.org/n/1?a=b"
    assert safe_url("http://example.org") == "http://example.org"
    for bad in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<b>",
        "//example.org/x",
        "/local",
        "ftp://example.org",
        "https://exa mple.org",
        "https://ex\nample.org",
        "",
        None,
        " javascript:alert(1)",
        "vbscript:x",
    ):
        assert safe_url(bad) is None, bad


# -- login, sessions, CSRF ------------------------------------------------------------------------------


def test_login_gives_an_httponly_strict_session_that_holds_no_token(site: Site) -> None:
    answer = site.login()
    assert answer.status_code == 303
    assert answer.headers["location"] == "/agenda"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("cf_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    secret = site.editor.split("_", 2)[2]  # cf_<12 hex>_<43 characters that may hold "_">
    assert len(secret) == 43
    assert secret not in cookie
    assert site.editor not in cookie
    assert "Logged in: communications (editor)" in text_of(site.client.get("/").text)
    # logging out (a form with its CSRF token) ends it
    out = site.client.post("/logout", data={"csrf": site.csrf()}, follow_redirects=False)
    assert out.status_code == 303
    assert 'cf_session=""' in out.headers["set-cookie"]
    assert "Logged in" not in site.client.get("/").text


def test_a_bad_token_a_forged_session_and_a_revoked_token_do_not_log_in(site: Site) -> None:
    answer = site.login("cf_000000000000_" + "A" * 43)
    assert answer.status_code == 401
    assert "The token is not valid" in answer.text
    assert "cf_session" not in answer.headers.get("set-cookie", "")
    assert site.login().status_code == 303
    value = site.client.cookies["cf_session"]
    forged = value[:-1] + ("0" if value[-1] != "0" else "1")
    site.client.cookies.clear()
    site.client.cookies.set("cf_session", forged)
    assert "Logged in" not in site.client.get("/").text
    site.client.cookies.clear()
    site.client.cookies.set("cf_session", value)
    assert "Logged in" in site.client.get("/").text
    revoke_token(site.store, "communications")
    assert "Logged in" not in site.client.get("/").text


def test_a_session_is_signed_with_the_server_key_not_only_what_the_store_holds(tmp_path: Path) -> None:
    """Whoever reads the database (a backup) cannot make a session: the cookie's signature needs the
    service's session key too; services that share the key (the workers of one serve) accept it."""
    db = f"sqlite:///{tmp_path / 'keys.db'}"
    key = b"k" * 32
    with TestClient(create_app(Settings(db=db, now=lambda: NOW, session_key=key))) as client:
        site = Site(client)
        assert site.login().status_code == 303
        value = client.cookies["cf_session"]
        assert "Logged in" in client.get("/").text
    for other, accepted in ((key, True), (b"x" * 32, False)):
        with TestClient(create_app(Settings(db=db, now=lambda: NOW, session_key=other))) as client:
            client.cookies.set("cf_session", value)
            assert ("Logged in" in client.get("/").text) is accepted


def test_the_session_key_comes_from_the_environment_and_must_be_long(tmp_path: Path) -> None:
    assert Settings.from_environ({ENV_SESSION: "s" * 40}).session_key == b"s" * 40
    with pytest.raises(StoreError, match="32 or more"):
        Settings.from_environ({ENV_SESSION: "short"})
    assert Settings.from_environ({}).session_key != Settings.from_environ({}).session_key  # random


def test_the_record_form_needs_an_editor_login(site: Site) -> None:
    site.new("kir-2024")
    page = site.client.get("/instances/kir-2024").text
    assert 'id="record"' not in page
    assert "Log in with an editor token to record events." in page
    answer = site.record("kir-2024", step="meeting_1", date="2024-10-07")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=")
    assert site.login(site.viewer).status_code == 303
    assert 'id="record"' not in site.client.get("/instances/kir-2024").text
    answer = site.record("kir-2024", step="meeting_1", date="2024-10-07")
    assert answer.status_code == 403
    assert "viewer token" in answer.text
    assert history(site, "kir-2024") == []


def test_a_post_without_the_sessions_csrf_token_or_from_another_origin_is_refused(site: Site) -> None:
    site.new("kir-2024")
    site.login()
    good = site.csrf("/instances/kir-2024")
    fields = {"step": "meeting_1", "event": "complete", "date": "2024-10-07"}
    attempts: list[tuple[dict[str, str], dict[str, str]]] = [
        (fields, {}),
        ({**fields, "csrf": "0" * 64}, {}),
        ({**fields, "csrf": good}, {"Origin": "http://evil.example"}),
        ({**fields, "csrf": good}, {"Sec-Fetch-Site": "cross-site"}),
    ]
    for data, headers in attempts:
        answer = site.client.post(
            "/instances/kir-2024/events", data=data, headers=headers, follow_redirects=False
        )
        assert answer.status_code == 403, (data, headers)
        assert "The form was refused" in answer.text
    # the token of another session does not do either
    other = TestClient(site.client.app)
    stranger = CSRF.search(other.get("/login").text)
    assert stranger is not None
    assert stranger.group(1) != good
    answer = site.client.post(
        "/instances/kir-2024/events", data={**fields, "csrf": stranger.group(1)}, follow_redirects=False
    )
    assert answer.status_code == 403
    assert history(site, "kir-2024") == []
    # a login form from another site is refused too (login CSRF)
    answer = site.client.post("/login", data={"token": site.editor, "next": "/"}, follow_redirects=False)
    assert answer.status_code == 403
    answer = site.client.post(
        "/instances/kir-2024/events", data={**fields, "csrf": good}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert [e["step"] for e in history(site, "kir-2024")] == ["meeting_1"]


def test_the_form_records_what_the_api_would_and_refuses_with_the_api_reasons(site: Site) -> None:
    site.new("kir-form")
    site.new("kir-api")
    site.login()
    answer = site.record(
        "kir-form",
        step="meeting_1",
        date="2024-10-07",
        time="10:30",
        note="first meeting",
        url="https://example.org/m1",
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/instances/kir-form?recorded=1#history"
    recorded = history(site, "kir-form")[0]
    assert recorded["step"] == "meeting_1"
    assert recorded["date"].startswith("2024-10-07T10:30:00+03:00")
    assert recorded["by"] == "communications"
    assert recorded["url"] == "https://example.org/m1"
    # publication_2 of the strategic session before the session: refused with the API's reasons
    illegal = {"step": "publication_strategic_session", "date": "2024-10-08"}
    api = site.api("POST", "/api/v1/instances/kir-api/events", illegal)
    assert api.status_code == 422
    problem = api.json()
    answer = site.record("kir-form", **illegal)
    assert answer.status_code == 422
    box = text_of(answer.text[answer.text.index('id="problem"') :])
    assert problem["title"] in box
    for reason in problem["reasons"]:
        assert reason in box
    assert "Allowed on that day:" in box
    assert "publication_1 : open, complete, skip" in box
    assert len(history(site, "kir-form")) == 1
    # what the form got back is still in it
    assert 'value="2024-10-08"' in answer.text
    for bad, why in (
        ({"step": "meeting_2", "date": "2030-01-01"}, "an event records what happened"),
        ({"step": "meeting_2", "date": "2024-10-09", "time": "25:00"}, "is not a time of day"),
        ({"step": "meeting_2", "date": "yesterday"}, "date:"),
        ({"step": "x" * 201, "date": "2024-10-09"}, "step:"),
    ):
        answer = site.record("kir-form", **bad)
        assert answer.status_code == 422, bad
        assert why in text_of(answer.text), bad
    assert len(history(site, "kir-form")) == 1


def test_creating_an_instance_through_the_form_uses_the_api_checks(site: Site) -> None:
    site.login()
    csrf = site.csrf()
    answer = site.client.post(
        "/instances",
        data={"csrf": csrf, "name": "kir-new", "template": KIR, "start": "2024-10-01"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/instances/kir-new"
    again = site.client.post(
        "/instances",
        data={"csrf": csrf, "name": "kir-new", "template": KIR, "start": "2024-10-01"},
        follow_redirects=False,
    )
    assert again.status_code == 409
    assert 'id="problem"' in again.text
    slash = site.client.post(
        "/instances", data={"csrf": csrf, "name": "a/b", "template": KIR, "start": "2024-10-01"}
    )
    assert slash.status_code == 422
    assert "cannot hold &#39;/&#39;" in slash.text
    extra = site.client.post(
        "/instances", data={"csrf": csrf, "name": "x", "template": KIR, "start": "2024-10-01", "role": "a"}
    )
    assert extra.status_code == 422
    assert [r["name"] for r in site.client.get("/api/v1/instances").json()["instances"]] == ["kir-new"]


def test_reading_with_read_token_needs_a_login(tmp_path: Path) -> None:
    app = create_app(Settings(db=f"sqlite:///{tmp_path / 'r.db'}", read="token", now=lambda: NOW))
    with TestClient(app) as client:
        answer = client.get("/agenda", follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/login?next=%2Fagenda"
        assert client.get("/login").status_code == 200


# -- languages ------------------------------------------------------------------------------------------

HEADINGS = {
    "en": "Heat map of the tracked processes",
    "uk": "Теплова карта процесів, що відстежуються",
    "bg": "Топлинна карта на следените процеси",
    "ru": "Тепловая карта отслеживаемых процессов",
}


@pytest.mark.parametrize("lang", sorted(HEADINGS))
def test_every_page_renders_in_every_language(site: Site, lang: str) -> None:
    site.new("kir-2024")
    site.api("POST", "/api/v1/instances/kir-2024/events", {"step": "meeting_1", "date": "2024-10-07"})
    site.login()
    site.client.cookies.set("cf_lang", lang)
    for path in ("/", "/agenda", "/templates", f"/templates/{KIR}", "/instances/kir-2024", "/login"):
        answer = site.client.get(path)
        assert answer.status_code == 200, path
        assert f'<html lang="{lang}">' in answer.text
    page = site.client.get("/").text
    assert f"<h1>{HEADINGS[lang]}</h1>" in page
    # the timeline speaks the page's language too: its today line and its months
    chart = site.client.get("/instances/kir-2024").text
    tr = translator(lang)
    assert 'class="today-label"' in chart
    assert f"{tr.gettext('today')} 2024-10-20</text>" in chart
    assert f">{tr.month(10, 'abbreviated')} 2024</text>" in chart
    if lang != "en":
        # no English page text is left in the menu and the form labels
        for english in (">Overview<", ">Agenda<", ">Log out<", ">Track a new instance<"):
            assert english not in page, english


def test_a_ukrainian_page_gives_the_engines_findings_and_reasons_in_ukrainian(site: Site) -> None:
    site.new("kir-2024")
    site.new("kir-late")
    for name in ("kir-2024", "kir-late"):
        site.api("POST", f"/api/v1/instances/{name}/events", {"step": "meeting_1", "date": "2024-10-07"})
    # published on Thursday 2024-10-17, five working days after the deadline of Thursday 2024-10-10
    site.api("POST", "/api/v1/instances/kir-2024/events", {"step": "publication_1", "date": "2024-10-17"})
    site.client.cookies.set("cf_lang", "uk")
    page = site.client.get("/instances/kir-2024").text
    findings = page[page.index('id="findings"') : page.index('id="history"')]
    row = findings[findings.index('data-step="publication_1"') :]
    row = text_of(row[: row.index("</tr>")])
    assert "через 5 робочих днів після закінчення строку" in row  # five: the genitive plural
    assert "3 робочі дні після 2024-10-07 пн" in row  # three: the nominative plural
    assert "ст. 253 Цивільного кодексу України" in row
    assert "протягом 3 робочих днів після засідання" in row  # the rule as the template words it
    for english in ("working day", " after ", "not counted", "has not happened", "cannot be dated"):
        assert english not in text_of(findings), english
    # the same words as the library's own, for every finding (and the English ones are gone)
    report = compliance.status(site.store.load("kir-2024"), as_of=NOW.date()).report
    assert report.findings, "the fixture must have findings"
    shown = text_of(findings)
    for finding in report.findings:
        assert finding.text("uk") in shown, finding.step
        assert finding.rule_text("uk") in shown, finding.step
        assert finding.explanation not in shown, finding.step
    # a step late by a legal rule says why on its card, in Ukrainian too
    late = site.client.get("/instances/kir-late").text
    board = late[late.index('data-column="late"') : late.index('data-column="skipped"')]
    card = board[board.index('data-step="publication_1"') :]
    card = text_of(card[: card.index("</li>")])
    assert "Пояснення" in card
    assert "станом на 2024-10-20 нд не відбулося" in card
    assert "3 робочі дні після 2024-10-07 пн" in card
    site.client.cookies.set("cf_lang", "en")
    late = site.client.get("/instances/kir-late").text
    board = late[late.index('data-column="late"') : late.index('data-column="skipped"')]
    card = board[board.index('data-step="publication_1"') :]
    assert "publication_1 has not happened as of 2024-10-20 Sun" in text_of(card[: card.index("</li>")])


def test_a_bulgarian_page_gives_the_reason_an_event_is_refused_in_bulgarian(site: Site) -> None:
    site.new("kir-form")
    site.login()
    site.client.cookies.set("cf_lang", "bg")
    illegal = {"step": "publication_strategic_session", "date": "2024-10-08"}
    answer = site.record("kir-form", **illegal)
    assert answer.status_code == 422
    box = text_of(answer.text[answer.text.index('id="problem"') :])
    assert "Събитието не може да бъде вписано сега" in box
    # the library's reason in Bulgarian, the weekday too: the same words the library gives
    blocked = [
        b
        for b in site.store.load("kir-form").blocked(dt.date(2024, 10, 8))
        if b.step == "publication_strategic_session" and b.event.value == "complete"
    ]
    assert blocked
    for b in blocked:
        assert b.text("bg") in box
        assert b.text("bg") != b.reason
        assert b.reason not in box
    assert "не може да бъде приключена на 2024-10-08 вт" in box
    assert "изчаква приключването на 'meeting_3'" in box
    # what is allowed that day: the actions in Bulgarian (what may be done, not what happened)
    assert "Разрешено в този ден:" in box
    assert "meeting_1 : откриване, приключване, пропускане" in box
    problem = answer.text[answer.text.index('id="problem"') :]
    assert "пропуснато" not in text_of(problem[: problem.index("</div>")])
    assert "cannot be completed" not in box
    assert len(history(site, "kir-form")) == 0
    # the API answers the same refusal in English, as before
    api = site.api("POST", "/api/v1/instances/kir-form/events", illegal).json()
    assert api["title"] == "The event is not allowed now"
    assert [b.reason for b in blocked] == api["reasons"]


def test_a_russian_outline_words_every_rule_in_russian(site: Site) -> None:
    site.client.cookies.set("cf_lang", "ru")
    raw = site.client.get(f"/templates/{KIR}").text
    template = load_template(KIR)
    tr = translator("ru")
    rules = 0
    for _stage, step in template.iter_steps():
        if isinstance(step.timing, RelativeRule):
            rules += 1
            item = raw[raw.index(f'id="step-{step.id}"') :]
            item = text_of(item[: item.index("</li>")])
            worded = rule_message(step.timing).render(tr)
            assert worded in item, step.id
            assert worded != describe_rule(step.timing)
            assert describe_rule(step.timing) not in item, step.id
    assert rules >= 5
    page = text_of(raw)
    assert "в срок 3 рабочих дня после окончания meeting_1" in page  # three: the genitive singular
    assert "в срок 5 рабочих дней после окончания council_approval" in page  # five: the genitive plural


def test_the_language_comes_from_the_cookie_then_accept_language_then_english(site: Site) -> None:
    assert choose_language(None, "de-DE,de;q=0.9,bg;q=0.8,ru;q=0.5") == "bg"
    assert choose_language(None, "ru;q=0.4, uk-UA;q=0.7") == "uk"
    assert choose_language(None, "uk;q=0, fr") == "en"
    assert choose_language("ru", "uk") == "ru"
    assert choose_language("xx", None) == "en"
    assert '<html lang="uk">' in site.client.get("/", headers={"Accept-Language": "uk-UA,uk;q=0.9"}).text
    answer = site.client.get("/language", params={"lang": "bg", "next": "/agenda"}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/agenda"
    assert answer.headers["set-cookie"].startswith("cf_lang=bg")
    assert '<html lang="bg">' in site.client.get("/", headers={"Accept-Language": "uk"}).text
    for target in ("//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)"):
        answer = site.client.get("/language", params={"lang": "ru", "next": target}, follow_redirects=False)
        assert answer.headers["location"] == "/", target
    assert site.client.get("/language", params={"lang": "de"}).status_code == 422


def test_the_login_page_shows_the_command_as_code_not_backticks(site: Site) -> None:
    for lang in ("en", "uk", "bg", "ru"):
        page = site.client.get("/login", headers={"Accept-Language": lang}).text
        assert "<code>civicflow token create</code>" in page, lang
        assert "`" not in text_of(page), lang


def test_the_code_filter_escapes_what_is_around_the_command() -> None:
    shown = str(dashboard._code("<b>x</b> `civicflow token create` & `a<b`"))
    assert shown == "&lt;b&gt;x&lt;/b&gt; <code>civicflow token create</code> &amp; <code>a&lt;b</code>"


def test_the_findings_are_in_the_librarys_order_of_severity(site: Site) -> None:
    """One order for findings everywhere: :func:`civicflow.compliance.severity`, most alarming first (a
    rule still open before a met one, a met rule before a skipped one)."""
    site.new("kir-order", "2024-06-03")
    for body in (
        {"step": "meeting_1", "date": "2024-06-05"},
        {"step": "publication_1", "date": "2024-06-07"},  # ok
        {"step": "publication_analysis", "event": "skip", "date": "2024-07-01"},  # skipped
    ):
        answer = site.api("POST", "/api/v1/instances/kir-order/events", body)
        assert answer.status_code in (200, 201), answer.text
    page = site.client.get("/instances/kir-order", params={"as_of": "2024-10-01"}).text
    table = page[page.index('class="findings"') : page.index('id="history"')]
    shown = re.findall(r'<tr class="fs-([a-z]+)" data-step="([a-z0-9_]+)"', table)
    statuses = [s for s, _step in shown]
    assert {"skipped", "ok", "pending"} <= set(statuses), statuses
    ranks = [compliance.severity(compliance.FindingStatus(s)) for s in statuses]
    assert ranks == sorted(ranks, reverse=True), statuses
    # every finding of the check is there, once
    api = site.client.get("/api/v1/instances/kir-order", params={"as_of": "2024-10-01"}).json()
    assert sorted(shown) == sorted((f["status"], f["step"]) for f in api["findings"]["findings"])


def test_the_instance_header_counts_the_events_of_the_day_asked(site: Site) -> None:
    """Asked as of an earlier day, the page counts what the check counted: the events up to that day,
    and says how many are dated later (left out, as the report leaves them out); the board's columns
    stand on that day too."""
    site.new("kir-as-of", "2024-10-01")
    site.api("POST", "/api/v1/instances/kir-as-of/events", {"step": "meeting_1", "date": "2024-10-07"})
    site.api("POST", "/api/v1/instances/kir-as-of/events", {"step": "publication_1", "date": "2024-10-17"})
    earlier = text_of(site.client.get("/instances/kir-as-of", params={"as_of": "2024-10-08"}).text)
    api = site.client.get("/api/v1/instances/kir-as-of", params={"as_of": "2024-10-08"}).json()
    assert len(api["findings"]["not_counted"]) == 1
    assert "· 1 event counted · 1 event dated later, not counted ·" in earlier
    assert "2 events recorded" not in earlier
    # the board's columns too: the publication dated later is not done yet on that day
    page = site.client.get("/instances/kir-as-of", params={"as_of": "2024-10-08"}).text
    board = page[page.index('id="board"') : page.index('id="findings"')]
    done = board[board.index('data-column="done"') : board.index('data-column="late"')]
    assert re.findall(r'data-step="([a-z0-9_]+)"', done) == ["meeting_1"]
    assert '<span class="count">1</span>' in done
    assert api["status"]["steps"]["publication_1"] != "done"
    history = earlier[earlier.rindex("History") :]
    assert history.count("dated after the day of the check: not counted") == 1
    assert history.index("publication_1") < history.index("not counted")
    # as of today both count, and the header says how many were recorded
    today = text_of(site.client.get("/instances/kir-as-of").text)
    assert "· 2 events recorded ·" in today
    assert "dated later" not in today
    assert "dated after the day of the check" not in today


# -- errors in the page's language -----------------------------------------------------------------------

# what a new user saw in English on a Ukrainian, Bulgarian or Russian page: the API's titles and details
ENGLISH_IN_ERRORS = (
    "The input is not valid",
    "is not a date",
    "is not a time of day",
    "No such instance",
    "no tracked instance",
    "No such template",
    "no bundled or registered template",
    "It exists already",
    "is tracked already",
    "cannot hold '/'",
    "no step 'nosuch'",
    "is not a web address",
    "use one of",
    "Input should be",
    "' or '",
)


def problem_box(page: str) -> str:
    found = page[page.index('id="problem"') :]
    return text_of(found[: found.index("</div>")])


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("uk", ("Введені дані недійсні", "не є датою", "Такого процесу немає", "уже відстежується")),
        ("bg", ("Въведените данни не са валидни", "не е дата", "Няма такъв процес", "вече се следи")),
        (
            "ru",
            (
                "Введённые данные недействительны",
                "не является датой",
                "Такого процесса нет",
                "уже отслеживается",
            ),
        ),
    ],
)
def test_error_boxes_speak_the_pages_language(site: Site, lang: str, words: tuple[str, ...]) -> None:
    site.new("kir")
    site.login()
    site.client.cookies.set("cf_lang", lang)
    boxes = [
        site.record("kir", step="meeting_2", date="2024-13-02"),  # a bad date
        site.record("kir", step="publication_1", date="2024-10-02", time="25:99"),
        site.record("kir", step="publication_1", date="2024-10-02", url="ftp://example.org/x"),
        site.record("kir", step="publication_1", event="frob", date="2024-10-02"),
        site.record("kir", step="nosuch", date="2024-10-02"),  # an illegal record: no such step
        site.client.get("/instances/nosuch"),
        site.client.get("/templates/nosuch"),
        site.client.get("/agenda", params={"as_of": "2024-99-01"}),
        site.client.get("/language", params={"lang": "de"}),
    ]
    for form in (
        {"name": "kir", "template": KIR, "start": "2024-10-01"},  # exists already
        {"name": "new", "template": "nosuch", "start": "2024-10-01"},
        {"name": "new", "template": KIR, "start": "2024-02-31"},
        {"name": "a/b", "template": KIR, "start": "2024-10-01"},
    ):
        boxes.append(site.client.post("/instances", data={"csrf": site.csrf("/"), **form}))
    shown = []
    for answer in boxes:
        assert answer.status_code >= 400, answer.text[:200]
        box = problem_box(answer.text)
        shown.append(box)
        for english in ENGLISH_IN_ERRORS:
            assert english not in box, (english, box)
    everything = " ".join(shown)
    for word in words:
        assert word in everything, word
    # what the user typed and the ids stay as they are
    assert "'2024-13-02'" in everything
    assert "'nosuch'" in everything
    # the API answers in English, as before
    api = site.api("POST", "/api/v1/instances/kir/events", {"step": "meeting_2", "date": "2024-13-02"}).json()
    assert api["title"] == "The input is not valid"
    assert api["detail"].startswith("date: '2024-13-02' is not a date; write YYYY-MM-DD")


@pytest.mark.parametrize("lang", ["uk", "bg", "ru"])
def test_the_template_page_names_step_kinds_and_month_windows_in_the_language(site: Site, lang: str) -> None:
    site.client.cookies.set("cf_lang", lang)
    english_kinds = {step.kind.value for _stage, step in load_template(KIR).iter_steps()}
    english_kinds |= {kind.replace("_", " ") for kind in english_kinds}
    english_months = {dt.date(2025, m, 1).strftime("%B") for m in range(1, 13)}  # C locale in the tests
    english_parts = ("beginning", "(mid)", "(end)", "first_half", "second_half", "(week)", "a window")
    for template_id in (KIR, "vinnytsia_hub", "sofia_vision"):
        template = load_template(template_id)
        timings = [s.timing for _, s in template.iter_stages()] + [s.timing for _, s in template.iter_steps()]
        # the template's own labels are its words (English where it has no text in the language)
        labels = {text for t in timings if getattr(t, "label", None) for text in t.label.values()}  # type: ignore[union-attr]
        page = site.client.get(f"/templates/{template_id}").text
        kinds = re.findall(r'<span class="kind">([^<]*)</span>', page)
        assert kinds, template_id
        for kind in kinds:
            assert kind not in english_kinds, (template_id, kind)
            assert (
                kind == translator(lang).pgettext("kind", kind.replace("_", " ")) or kind not in english_kinds
            )
        whens = [text_of(w) for w in re.findall(r'<p class="when">(.*?)</p>', page, re.S)]
        assert whens, template_id
        for when in whens:
            for label in sorted(labels, key=len, reverse=True):
                when = when.replace(f"({label})", "")
            for english in (*english_months, *english_parts):
                assert english not in when, (template_id, english, when)
    page = text_of(site.client.get(f"/templates/{KIR}").text)
    window = {
        "uk": "протягом жовтня (вікно)",
        "bg": "през октомври (прозорец)",
        "ru": "в течение октября (окно)",
    }
    assert window[lang] in page
    meeting = {"uk": "засідання", "bg": "заседание", "ru": "заседание"}
    assert f"meeting_1 {meeting[lang]}" in page


def test_the_timelines_line_says_today_only_on_today(site: Site) -> None:
    """Asked as of another day, the chart's line is that day's, labelled 'as of', not 'today'."""
    site.new("kir-line", "2024-10-01")
    today = site.client.get("/instances/kir-line").text
    assert re.search(r'class="today"[^>]*data-date="2024-10-20"', today)
    chart = today[today.index("<svg") : today.index("</svg>")]
    assert "today 2024-10-20" in text_of(chart)
    earlier = site.client.get("/instances/kir-line", params={"as_of": "2024-10-08"}).text
    chart = earlier[earlier.index("<svg") : earlier.index("</svg>")]
    assert "as of 2024-10-08" in text_of(chart)
    assert "today" not in text_of(chart)
    ukrainian = site.client.get(
        "/instances/kir-line", params={"as_of": "2024-10-08"}, headers={"Accept-Language": "uk"}
    ).text
    chart = ukrainian[ukrainian.index("<svg") : ukrainian.index("</svg>")]
    assert "станом на 2024-10-08" in text_of(chart)


def test_a_day_outside_the_calendar_is_told_in_the_page_language_without_the_api_hint(site: Site) -> None:
    site.new("kir-range", "2025-10-06")
    for lang, said in (("bg", "е извън годините"), ("ru", "выходит за пределы лет")):
        page = site.client.get(
            "/instances/kir-range", params={"as_of": "1900-01-01"}, headers={"Accept-Language": lang}
        )
        shown = text_of(page.text)
        assert said in shown, shown[-600:]
        assert "(1991..2060)" in shown
        assert "WorkingCalendar" not in shown
        assert "outside the years" not in shown
