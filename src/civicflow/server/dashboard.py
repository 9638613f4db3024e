"""The web dashboard of ``civicflow serve``: server-rendered pages over the same store, tokens and checks
as the JSON API (see docs/dashboard.md).

* ``/`` the heat map of every tracked instance (rows) by stage (columns), with filters and counts;
* ``/instances/NAME`` the timeline, the findings, a kanban board of the steps and, for editors, a form
  that records an event through the service's ``record`` (the API's own checks and reasons);
* ``/agenda`` what is due in the next working days, legal deadlines first;
* ``/templates`` and ``/templates/ID`` the processes as outlines with every rule and its citation.

Pages work without JavaScript and load nothing but their own stylesheet and icon. Every page is rendered
by Jinja2 with autoescaping, in the reader's language (a cookie, else ``Accept-Language``, else English).
Logging in turns an API token into a session cookie (HttpOnly, SameSite=Strict) that holds no secret of
the token; every form carries a CSRF token bound to the session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import Response
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape
from pydantic import ValidationError
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from civicflow.calendar import WorkingCalendar
from civicflow.compliance import Agenda, DueSource, FindingStatus, Status, severity, status
from civicflow.compliance._agenda import counts_back_undated
from civicflow.dates import zone as time_zone
from civicflow.errors import CivicflowError
from civicflow.events import EventType
from civicflow.exporters import ExportOptions
from civicflow.exporters._common import Words, window_words
from civicflow.exporters._status import statuses_from_instance
from civicflow.exporters.html import CHART_CSS, status_css, timeline
from civicflow.i18n import LANGUAGES, Translator, _, non_english, translator
from civicflow.instance import ProcessInstance, StepState
from civicflow.messages import Count, Message, Param, joined, said, word
from civicflow.planner import plan, recorded_days
from civicflow.server._problems import INVALID_INPUT, ApiProblem, from_error
from civicflow.server._summary import HeatRow
from civicflow.server._templates import TemplateRegistry, TemplateSummary
from civicflow.server.tokens import SESSION_SECONDS, TokenInfo, open_session, session_user
from civicflow.store import InstanceRecord, Store
from civicflow.store._schema import registered_templates
from civicflow.template import (
    DateRange,
    ExactDate,
    ProcessTemplate,
    RelativeRule,
    Stage,
    Step,
    Timing,
    Window,
    rule_message,
)

__all__ = ["LANGUAGE_NAMES", "STATUS_WORDS", "choose_language", "install", "safe_url"]

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

SESSION_COOKIE = "cf_session"
PRE_COOKIE = "cf_pre"
LANG_COOKIE = "cf_lang"
_PRE = re.compile(r"^[A-Za-z0-9_-]{43}$")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_FORM = 16 * 1024
MAX_QUERY_TEXT = 100
PAGE_ROWS = 1000
"""Rows of the heat map on one page (the counts are of every instance)."""

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "X-Content-Type-Options": "nosniff",
}

LANGUAGE_NAMES = {"uk": "Українська", "bg": "Български", "ru": "Русский", "en": "English"}
"""Each language named in itself, for the language menu."""

STATUS_WORDS: Mapping[str, str] = {
    Status.OVERDUE.value: _("overdue"),
    Status.VIOLATED.value: _("violated"),
    Status.DONE_LATE.value: _("done late"),
    Status.DISPUTABLE.value: _("disputable"),
    Status.DUE_SOON.value: _("due soon"),
    Status.ON_TRACK.value: _("on track"),
    Status.NOT_STARTED.value: _("not started"),
    Status.DONE.value: _("done"),
    Status.SKIPPED.value: _("skipped"),
}
"""The words of each status, most alarming first (the order of the legend and the counts)."""

STATUS_SIGNS = {
    Status.OVERDUE.value: "!",
    Status.VIOLATED.value: "✗",
    Status.DONE_LATE.value: "✓!",
    Status.DISPUTABLE.value: "?",
    Status.DUE_SOON.value: "◔",
    Status.ON_TRACK.value: "○",
    Status.NOT_STARTED.value: "·",
    Status.DONE.value: "✓",
    Status.SKIPPED.value: "–",
}
"""A sign for each status, so that a cell says its status without its colour."""

FINDING_WORDS: Mapping[str, str] = {
    FindingStatus.VIOLATED.value: _("violated"),
    FindingStatus.OVERDUE.value: _("overdue"),
    FindingStatus.DISPUTABLE.value: _("disputable"),
    FindingStatus.PENDING.value: _("pending"),
    FindingStatus.OK.value: _("met"),
    FindingStatus.SKIPPED.value: _("skipped"),
}

EVENT_WORDS: Mapping[str, str] = {
    EventType.COMPLETE.value: _("completed"),
    EventType.OPEN.value: _("opened"),
    EventType.SKIP.value: _("skipped"),
}

COLUMNS: tuple[tuple[str, str], ...] = (
    ("not_started", _("Not started")),
    ("open", _("Open")),
    ("done", _("Done")),
    ("late", _("Overdue or violated")),
    ("skipped", _("Skipped")),
)
"""The columns of the kanban board."""

BROKEN = _("cannot be checked:")
"""Before the reason an instance's row of the heat map is empty."""

ROLE_WORDS = {"editor": _("editor"), "viewer": _("viewer")}


def safe_url(url: str | None) -> str | None:
    """``url`` when it may be a link (an absolute http or https address), else None: a ``javascript:``
    or ``data:`` address, or anything else, is shown as text only."""
    if not url or len(url) > 2000 or _CONTROL.search(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def choose_language(cookie: str | None, accept: str | None) -> str:
    """The page language: the one the user chose (cookie), else the best of ``Accept-Language`` that
    civicflow speaks, else English."""
    if cookie in LANGUAGES:
        return str(cookie)
    best: tuple[float, int, str] | None = None
    for index, part in enumerate((accept or "")[:500].split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        code = tag.strip().split("-")[0].lower()
        if code not in LANGUAGES:
            continue
        weight = 1.0
        found = re.search(r"q\s*=\s*([01](?:\.\d{0,3})?)", params)
        if found:
            weight = float(found.group(1))
        if weight <= 0:
            continue
        candidate = (weight, -index, code)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best else "en"


def _local_path(text: str | None) -> str:
    """``text`` if it is a path on this site (to go back to after logging in), else ``/``."""
    if not text or len(text) > 500 or _CONTROL.search(text):
        return "/"
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return "/"
    return text


class _BadInput(Exception):
    """A query or form value that is not valid: the message says which and why."""


@dataclass
class Visit:
    """One request to the dashboard: its language, who is logged in, and the CSRF key."""

    lang: str
    user: TokenInfo | None
    session: str | None
    pre: str
    new_pre: bool
    here: str

    def csrf(self) -> str:
        """The CSRF token of this session (before logging in: of the browser's pre-session cookie)."""
        key = (self.session or self.pre).encode("ascii")
        return hmac.new(key, b"civicflow-csrf", hashlib.sha256).hexdigest()

    @property
    def editor(self) -> bool:
        return self.user is not None and self.user.may_write()


def _code(text: str) -> Markup:
    """``text`` escaped, with each `command` in backticks as a code element (for our own messages)."""
    return Markup(re.sub(r"`([^`<>]+)`", r"<code>\1</code>", str(escape(text))))


def _environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    tr = translator(lang)
    env.install_gettext_translations(tr, newstyle=True)  # type: ignore[attr-defined]
    env.filters["segment"] = lambda text: quote(str(text), safe="")
    env.filters["day"] = lambda day: tr.day(day) if day else ""
    env.filters["code"] = _code
    env.globals["status_words"] = STATUS_WORDS
    env.globals["status_signs"] = STATUS_SIGNS
    return env


def _text(template: ProcessTemplate, text: Mapping[str, str] | None, lang: str) -> str:
    return template.text(dict(text), lang) if text else ""


class SettingsLike(Protocol):
    """What the dashboard reads of the service's settings."""

    @property
    def read(self) -> str: ...

    @property
    def now(self) -> Callable[[], dt.datetime]: ...

    @property
    def session_key(self) -> bytes: ...

    def today(self, timezone: str) -> dt.date: ...


class ServicesLike(Protocol):
    """The service's shared writes and reads (``civicflow.server.app.Services``)."""

    @property
    def store(self) -> Store: ...

    @property
    def registry(self) -> TemplateRegistry: ...

    @property
    def settings(self) -> SettingsLike: ...

    def create(self, request: Any, token: TokenInfo) -> InstanceRecord: ...

    def record(self, name: str, request: Any, token: TokenInfo, expected: int | None = None) -> Any: ...

    def heat(
        self, token: TokenInfo | None, day: dt.date
    ) -> tuple[list[HeatRow], dict[tuple[str, str], dict[str, Any]]]: ...

    def agenda(
        self,
        token: TokenInfo | None,
        day: dt.date,
        within: int,
        calendars: dict[tuple[str, str], WorkingCalendar],
    ) -> Agenda: ...

    def calendars_in_use(self) -> dict[tuple[str, str], WorkingCalendar]: ...

    def service_today(self, calendars: Any = None) -> dt.date: ...


@dataclass(frozen=True)
class Checks:
    """The API's own input checks, handed over by the application so that the form checks alike: its
    request models (pydantic), the instance name check, the token's reach and the date parser."""

    event_request: Callable[..., Any]
    instance_request: Callable[..., Any]
    name_or_404: Callable[[str], None]
    allow: Callable[[TokenInfo | None, str], None]
    day: Callable[[object], dt.date]


def install(app: FastAPI, services: ServicesLike, checks: Checks) -> None:
    """Add the dashboard's pages to ``app``."""
    store, settings, registry = services.store, services.settings, services.registry
    envs = {lang: _environment(lang) for lang in LANGUAGES}
    # the status words of each language, translated once (the heat map shows thousands of them)
    words = {lang: {k: translator(lang).gettext(w) for k, w in STATUS_WORDS.items()} for lang in LANGUAGES}
    heat_words = {
        lang: HeatWords(
            status=words[lang],
            broken=translator(lang).gettext(BROKEN),
            by_plan=translator(lang).gettext(_("due by the plan, no legal rule")),
            ok=translator(lang).pgettext("check verdict", "ok"),
            not_ok=translator(lang).gettext("NOT OK"),
        )
        for lang in LANGUAGES
    }
    css = (STATIC / "dashboard.css").read_text(encoding="utf-8")
    # the chart's own rules; the chips of the dashboard have colours of their own (dark text on light fills)
    shapes = "\n".join(line for line in status_css().splitlines() if line.startswith("svg "))
    stylesheet = (css + "\n/* the timeline */\n" + CHART_CSS + shapes + "\n").encode("utf-8")
    icon = (STATIC / "icon.svg").read_bytes()

    # -- every request -------------------------------------------------------------------------------

    def visit(request: Request) -> Visit:
        lang = choose_language(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))
        session = request.cookies.get(SESSION_COOKIE)
        user = None
        if session is not None and len(session) < 200:
            user = session_user(store, session, settings.now(), settings.session_key)
        pre = request.cookies.get(PRE_COOKIE) or ""
        new_pre = not _PRE.match(pre)
        if new_pre:
            pre = secrets.token_urlsafe(32)
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Visit(lang, user, session if user else None, pre, new_pre, _local_path(here))

    def finish(request: Request, response: Response, v: Visit | None) -> Response:
        for key, value in SECURITY_HEADERS.items():
            response.headers[key] = value
        response.headers["Cache-Control"] = "no-store"
        if request.url.scheme == "https":
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if v is not None and v.new_pre:
            _cookie(request, response, PRE_COOKIE, v.pre, None)
        return response

    def page(request: Request, v: Visit, name: str, context: Mapping[str, Any], code: int = 200) -> Response:
        values = {
            "lang": v.lang,
            "languages": [(c, LANGUAGE_NAMES[c]) for c in LANGUAGES],
            "user": v.user,
            "editor": v.editor,
            "role_word": ROLE_WORDS.get(v.user.role, v.user.role) if v.user else "",
            "csrf": v.csrf(),
            "words": words[v.lang],
            "here": v.here,
            **context,
        }
        html = envs[v.lang].get_template(name).render(values)
        return finish(request, Response(html, code, media_type="text/html; charset=utf-8"), v)

    def redirect(request: Request, v: Visit | None, to: str) -> Response:
        return finish(request, Response(status_code=303, headers={"Location": to}), v)

    def problem_page(request: Request, v: Visit, problem: ApiProblem) -> Response:
        shown = _in_language(problem, translator(v.lang))
        return page(request, v, "error.html", {"problem": shown, "nav": ""}, problem.status)

    def read_allowed(v: Visit) -> bool:
        return v.user is not None or settings.read == "public"

    def guarded(
        handler: Callable[[Request, Visit], Response],
    ) -> Callable[[Request], Awaitable[Response]]:
        """A GET page: its visit, a login first when reading needs a token, problems as pages."""

        async def run(request: Request) -> Response:
            v = await run_in_threadpool(visit, request)
            if not read_allowed(v):
                return redirect(request, v, "/login?next=" + quote(v.here, safe=""))
            try:
                return await run_in_threadpool(handler, request, v)
            except ApiProblem as problem:
                return problem_page(request, v, problem)
            except _BadInput as exc:
                return problem_page(request, v, _bad(exc.args[0]))
            except CivicflowError as exc:
                return problem_page(request, v, from_error(exc))

        return run

    # -- query parameters ------------------------------------------------------------------------------

    def query(request: Request, name: str, limit: int = MAX_QUERY_TEXT) -> str | None:
        values = request.query_params.getlist(name)
        if not values:
            return None
        if len(values) > 1:
            # the number with its noun in the form the language needs ("2 раза", "5 разів")
            given = Count(len(values), "time", "times")
            raise _BadInput(Message(_("{name}: given {count}; give it once"), name=name, count=given))
        value = values[0]
        if len(value) > limit or _CONTROL.search(value):
            raise _BadInput(
                Message(
                    _("{name}: at most {limit} characters without control characters"), name=name, limit=limit
                )
            )
        return value or None

    def query_day(request: Request, name: str = "as_of") -> dt.date | None:
        value = query(request, name, 10)
        if value is None:
            return None
        try:
            return checks.day(value)
        except ValueError as exc:
            raise _BadInput(Message(_("{name}: {problem}"), name=name, problem=_Said(exc))) from None

    # -- pages -----------------------------------------------------------------------------------------

    listed: dict[str, Any] = {"registered": -1, "summaries": []}

    def summaries() -> list[TemplateSummary]:
        """The registry's summaries, read again only when a template was registered (listing the bundled
        ones reads their files)."""
        with store.engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(registered_templates)).scalar_one()
        if count != listed["registered"]:
            listed["summaries"] = registry.summaries()
            listed["registered"] = count
        found: list[TemplateSummary] = listed["summaries"]
        return found

    def template_titles(lang: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for summary in summaries():
            out.setdefault(summary.id, _pick(summary.title, lang) or summary.id)
        return out

    def overview(request: Request, v: Visit, error: ApiProblem | None = None, form: Any = None) -> Response:
        day = query_day(request) or services.service_today()
        wanted_template = query(request, "template", 80)
        wanted_status = query(request, "status", 20)
        typed = query(request, "q") or ""
        text = typed.casefold()
        titles = template_titles(v.lang)
        if wanted_status is not None and wanted_status not in STATUS_WORDS:
            raise _BadInput(
                Message(
                    _("status: {status} is not a status; use one of {known}"),
                    status=repr(wanted_status),
                    known=", ".join(STATUS_WORDS),
                )
            )
        rows, groups = services.heat(v.user, day)
        counts = dict.fromkeys(STATUS_WORDS, 0)
        tables: dict[tuple[str, str], list[dict[str, Any]]] = {}
        selected: list[tuple[tuple[str, str], dict[str, Any]]] = []
        broken = 0
        for row in rows:
            record = row.record
            if wanted_template is not None and record.template_id != wanted_template:
                continue
            if text and text not in record.name.casefold():
                continue
            data = json.loads(row.summary.row_json)
            worst = data.get("worst")
            if worst is None:
                broken += 1
            else:
                counts[worst] = counts.get(worst, 0) + 1
            if wanted_status is not None and worst != wanted_status:
                continue
            selected.append(((record.template_id, record.template_version), data))
        pages = max(1, -(-len(selected) // PAGE_ROWS))
        number = 1
        page_text = query(request, "page", 6)
        if page_text is not None:
            if not page_text.isdigit() or not 1 <= int(page_text) <= pages:
                raise _BadInput(Message(_("page: a whole number from 1 to {pages}"), pages=pages))
            number = int(page_text)
        for key, data in selected[(number - 1) * PAGE_ROWS : number * PAGE_ROWS]:
            tables.setdefault(key, []).append(data)
        kept = {
            "template": wanted_template,
            "status": wanted_status,
            "q": typed,
            "as_of": query(request, "as_of"),
        }

        def link(n: int) -> str | None:
            if not 1 <= n <= pages or n == number:
                return None
            return "/?" + urlencode({**{k: v for k, v in kept.items() if v}, "page": str(n)})

        shown = []
        for key, items in tables.items():
            group = groups.get(key, {"stages": []})
            stages = stage_titles_of(key, group["stages"], v.lang)
            shown.append(
                {
                    "id": key[0],
                    "version": key[1],
                    "title": titles.get(key[0], key[0]),
                    "stages": stages,
                    "rows": _heat_rows(items, [sid for sid, _title in stages], heat_words[v.lang]),
                }
            )
        context = {
            "nav": "overview",
            "day": day,
            "counts": counts,
            "total": sum(counts.values()) + broken,
            "tables": shown,
            "templates": sorted(titles.items()),
            "filters": {"template": wanted_template or "", "status": wanted_status or "", "q": typed},
            "pages": pages,
            "page_number": number,
            "previous": link(number - 1),
            "next": link(number + 1),
            "filtered": bool(wanted_template or wanted_status or text),
            "error": _in_language(error, translator(v.lang)) if error else None,
            "form": form or {},
        }
        return page(request, v, "overview.html", context, error.status if error else 200)

    stage_cache: dict[tuple[str, str, str], list[tuple[str, str]]] = {}

    def stage_titles_of(
        key: tuple[str, str], stages: list[dict[str, str]], lang: str
    ) -> list[tuple[str, str]]:
        cached = stage_cache.get((*key, lang))
        if cached is not None:
            return cached
        titles = {s["id"]: s["title"] for s in stages}
        try:
            found, _origin = registry.get(key[0], key[1])
            for _parents, stage in found.iter_stages():
                if stage.id in titles:
                    titles[stage.id] = _text(found, stage.title, lang) or stage.id
        except CivicflowError:
            pass
        out = list(titles.items())
        stage_cache[(*key, lang)] = out
        return out

    def instance_page(
        request: Request,
        v: Visit,
        name: str,
        error: ApiProblem | None = None,
        form: Mapping[str, str] | None = None,
        day: dt.date | None = None,
    ) -> Response:
        checks.name_or_404(name)
        checks.allow(v.user, name)
        tracked = store.read(name)
        record = tracked.record
        procedure = store.procedure(record)
        template = procedure.template
        zone = procedure.calendar.timezone
        day = day or query_day(request) or settings.today(zone)
        # the chart's line is "today" on today, else the day the page is asked as of
        is_today = day == settings.today(zone)
        instance = ProcessInstance.from_events(template, start=record.start, events=tracked.events, name=name)
        st = status(instance, as_of=day, name=name)
        lang = v.lang
        tr = translator(lang)
        titles = {
            step.id: _text(template, step.title, lang) or step.id for _stage, step in template.iter_steps()
        }
        done = {e.step: procedure.local_date(e.at) for e in tracked.events if e.event is EventType.COMPLETE}
        chart = None
        chart_error = None
        try:
            schedule = plan(template, start=record.start, fixed=recorded_days(template, tracked.events))
            options = ExportOptions(
                lang=lang,
                template=template,
                as_of=day,
                statuses=statuses_from_instance(st, done),
                today_word=tr.gettext(_("today")) if is_today else tr.pgettext("chart", "as of"),
                month_abbrs=tuple(tr.month(m, "abbreviated") for m in range(1, 13)),
            )
            chart = Markup(timeline(schedule, options))  # the exporter escapes every text
        except CivicflowError as exc:
            chart_error = str(exc)
        board: dict[str, list[dict[str, Any]]] = {key: [] for key, _label in COLUMNS}
        # the board stands on the day asked, as the check does: events dated later are not counted
        up_to_day = [e for e in tracked.events if procedure.local_date(e.at) <= day]
        then = (
            instance
            if len(up_to_day) == len(tracked.events)
            else ProcessInstance.from_events(template, start=record.start, events=up_to_day, name=name)
        )
        for sid, step_status in st.steps.items():
            state = then.state(sid)
            if step_status in (Status.OVERDUE, Status.VIOLATED):
                column = "late"
            elif step_status is Status.SKIPPED or state is StepState.SKIPPED:
                column = "skipped"
            elif state is StepState.DONE:
                column = "done"
            elif state is StepState.OPEN:
                column = "open"
            else:
                column = "not_started"
            detail = st.details.get(sid)
            legal = bool(detail and detail.due_source and detail.due_source.value == "rule")
            # a rule "no later than N before X" while X has no day: the card says what it waits for
            back = (
                counts_back_undated(st.report.findings, sid)
                if detail is not None and detail.due is None and column not in ("done", "skipped")
                else None
            )
            board[column].append(
                {
                    "id": sid,
                    "title": titles.get(sid, sid),
                    "status": step_status.value,
                    "due": detail.due if detail else None,
                    "legal": legal,
                    "actual": detail.actual if detail else None,
                    # why a step is late by a legal rule, in the page's language
                    "why": detail.text(tr) if detail and legal and column == "late" else "",
                    "waits_for": back.counts_from if back is not None else None,
                    "rule": word(back.wording, tr) if back is not None and back.wording is not None else "",
                }
            )
        cites = {r.id: r.citation for r in template.references}
        sources = {
            step.id: [cites.get(r, r) for r in step.references] for _stage, step in template.iter_steps()
        }
        findings = [
            (f, f.rule_text(tr), f.text(tr))  # the engine's words in the page's language
            # the most alarming first, in the library's one order (violated before overdue)
            for f in sorted(st.report.findings, key=lambda f: -severity(f.status))
        ]
        history = [
            {
                "seq": k,
                "step": e.step,
                "title": titles.get(e.step, e.step),
                "event": e.event.value,
                "at": e.shown(time_zone(zone)),  # a day recorded alone is shown alone
                "by": e.by,
                "note": e.note,
                "url": e.url,
                "link": safe_url(e.url),
                # an event dated after the day of the check is left out of it, as the report says
                "counted": procedure.local_date(e.at) <= day,
            }
            for k, e in enumerate(tracked.events, start=1)
        ]
        later = len(st.report.not_counted)
        may_record = v.editor and v.user is not None and v.user.covers(name)
        context = {
            "nav": "overview",
            "name": name,
            "record": record,
            "template_title": _text(template, template.title, lang) or template.id,
            "day": day,
            "zone": zone,
            "worst": st.worst.value,
            "chart": chart,
            "chart_error": chart_error,
            "columns": COLUMNS,
            "board": board,
            "findings": findings,
            "finding_words": FINDING_WORDS,
            "sources": sources,
            "titles": titles,
            "allowed": instance.allowed(day),
            "event_words": EVENT_WORDS,
            "history": history,
            "counted": len(tracked.events) - later,
            "later": later,
            "may_record": may_record,
            "steps": list(titles.items()),
            "error": _in_language(error, tr) if error else None,
            "form": form or {},
            "recorded": query(request, "recorded", 10) if error is None else None,
            "summary": st.report.summary(),
        }
        return page(request, v, "instance.html", context, error.status if error else 200)

    def agenda_page(request: Request, v: Visit) -> Response:
        within_text = query(request, "within", 3)
        within = 10
        if within_text is not None:
            if not within_text.isdigit() or int(within_text) > 60:
                raise _BadInput(Message(_("within: a whole number of working days from 0 to 60")))
            within = int(within_text)
        calendars = services.calendars_in_use()
        day = query_day(request) or services.service_today(calendars)
        result = services.agenda(v.user, day, within, calendars)
        records = {r.name: r for r in store.records()}
        step_titles: dict[tuple[str, str], dict[str, str]] = {}

        def title(instance: str, step: str) -> str:
            record = records.get(instance)
            if record is None:
                return step
            key = (record.template_id, record.template_version)
            if key not in step_titles:
                try:
                    found = store.procedure(record).template
                    step_titles[key] = {
                        s.id: _text(found, s.title, v.lang) or s.id for _st, s in found.iter_steps()
                    }
                except CivicflowError:
                    step_titles[key] = {}
            return step_titles[key].get(step, step)

        def items(found: Iterable[Any]) -> list[dict[str, Any]]:
            return [
                {
                    "instance": i.instance,
                    "step": i.step,
                    "title": title(i.instance, i.step),
                    "due": i.due,
                    "status": i.status.value,
                    "legal": i.due_source is DueSource.RULE,
                }
                for i in found
            ]

        context = {
            "nav": "agenda",
            "day": day,
            "within": within,
            "overdue": items(result.overdue),
            "legal": items(result.legal),
            "planned": items(result.planned),
            "undated": [
                {
                    "instance": i.instance,
                    "step": i.step,
                    "title": title(i.instance, i.step),
                    "waits_for": i.waits_for,
                    "status": i.status.value,
                }
                for i in result.undated
            ],
        }
        return page(request, v, "agenda.html", context)

    def templates_page(request: Request, v: Visit) -> Response:
        items = [
            {
                "id": s.id,
                "version": s.version,
                "title": _pick(s.title, v.lang) or s.id,
                "country": s.country,
                "source": s.source,
                "stages": s.stages,
                "steps": s.steps,
            }
            for s in summaries()
        ]
        return page(request, v, "templates.html", {"nav": "templates", "summaries": items})

    def template_page(request: Request, v: Visit, template_id: str) -> Response:
        version = query(request, "version", 100)
        found, origin = registry.get(template_id, version)
        lang = v.lang
        tr = translator(lang)
        words = Words(lang)
        cites = {r.id: r for r in found.references}

        def reference(ref_id: str) -> dict[str, Any]:
            ref = cites.get(ref_id)
            if ref is None:
                return {"citation": ref_id, "title": "", "url": None}
            return {
                "citation": ref.citation,
                "title": _text(found, ref.title, lang),
                "url": safe_url(ref.url),
            }

        def step_view(step: Step) -> dict[str, Any]:
            rule = None
            if isinstance(step.timing, RelativeRule):
                timing = step.timing
                rule = {
                    "text": _text(found, timing.text, lang),
                    "reference": reference(timing.reference) if timing.reference else None,
                }
            return {
                "id": step.id,
                "number": step.source or "",
                "title": _text(found, step.title, lang) or step.id,
                "kind": words.kind(step.kind.value),
                "when": _when(found, step.timing, tr),
                "after": [d.step for d in step.depends_on],
                "rule": rule,
                "references": [reference(r) for r in step.references],
            }

        def stage_view(stage: Stage) -> dict[str, Any]:
            return {
                "id": stage.id,
                "number": stage.source or "",
                "title": _text(found, stage.title, lang) or stage.id,
                "when": _when(found, stage.timing, tr),
                "steps": [step_view(s) for s in stage.steps],
                "stages": [stage_view(s) for s in stage.stages],
            }

        context = {
            "nav": "templates",
            "template": found,
            "origin": origin,
            "title": _text(found, found.title, lang) or found.id,
            "description": _text(found, found.description, lang),
            "stages": [stage_view(s) for s in found.stages],
            "references": [reference(r.id) | {"id": r.id} for r in found.references],
        }
        return page(request, v, "template.html", context)

    def login_page(request: Request, v: Visit, error: str | None = None, code: int = 200) -> Response:
        target = _local_path(query(request, "next", 500))
        context = {"nav": "login", "next": target, "login_error": error}
        return page(request, v, "login.html", context, code)

    # -- routes ----------------------------------------------------------------------------------------

    app.add_api_route("/", guarded(overview), methods=["GET"], include_in_schema=False)
    app.add_api_route("/agenda", guarded(agenda_page), methods=["GET"], include_in_schema=False)
    app.add_api_route("/templates", guarded(templates_page), methods=["GET"], include_in_schema=False)

    async def template_route(request: Request, template_id: str) -> Response:
        return await guarded(lambda r, v: template_page(r, v, template_id))(request)

    async def instance_route(request: Request, name: str) -> Response:
        return await guarded(lambda r, v: instance_page(r, v, name))(request)

    app.add_api_route("/templates/{template_id}", template_route, methods=["GET"], include_in_schema=False)
    app.add_api_route("/instances/{name}", instance_route, methods=["GET"], include_in_schema=False)

    async def login_get(request: Request) -> Response:
        v = await run_in_threadpool(visit, request)
        try:
            return await run_in_threadpool(login_page, request, v)
        except _BadInput as exc:
            return problem_page(request, v, _bad(exc.args[0]))

    app.add_api_route("/login", login_get, methods=["GET"], include_in_schema=False)

    async def posted(request: Request, v: Visit, fields: Iterable[str]) -> dict[str, str] | Response:
        """The fields of a form (URL-encoded), or the page that refuses it (not from this site, no valid
        CSRF token, malformed)."""
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/x-www-form-urlencoded":
            return problem_page(
                request, v, _bad(Message(_("send the form as application/x-www-form-urlencoded")))
            )
        raw = await request.body()
        if len(raw) > MAX_FORM:
            return problem_page(request, v, _bad(Message(_("a form may have at most {n} bytes"), n=MAX_FORM)))
        try:
            pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
        except (UnicodeDecodeError, ValueError):
            return problem_page(request, v, _bad(Message(_("the form is not valid URL-encoded UTF-8"))))
        form: dict[str, str] = {}
        allowed = {"csrf", *fields}
        for key, value in pairs:
            if key not in allowed or key in form:
                unexpected = Message(_("the form has an unexpected or repeated field {key}"), key=repr(key))
                return problem_page(request, v, _bad(unexpected))
            form[key] = value
        if not _same_origin(request) or not hmac.compare_digest(form.get("csrf", ""), v.csrf()):
            problem = ApiProblem(
                403,
                "csrf",
                _("The form was refused"),
                Message(
                    _(
                        "the form did not come from this page of this site, or the page is too old: "
                        "reload it and send the form again"
                    )
                ),
            )
            return problem_page(request, v, problem)
        return form

    async def login_post(request: Request) -> Response:
        v = await run_in_threadpool(visit, request)
        form = await posted(request, v, ("token", "next"))
        if isinstance(form, Response):
            return form
        target = _local_path(form.get("next"))
        token = form.get("token", "").strip()
        opened = None
        if 0 < len(token) <= 200:
            opened = await run_in_threadpool(open_session, store, token, settings.now(), settings.session_key)
        if opened is None:
            v.here = "/login"
            return await run_in_threadpool(
                login_page, request, v, _("The token is not valid: it is unknown or was revoked."), 401
            )
        value, _info = opened
        response = redirect(request, v, target)
        _cookie(request, response, SESSION_COOKIE, value, SESSION_SECONDS)
        return response

    async def logout_post(request: Request) -> Response:
        v = await run_in_threadpool(visit, request)
        form = await posted(request, v, ())
        if isinstance(form, Response):
            return form
        response = redirect(request, v, "/")
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
        return response

    app.add_api_route("/login", login_post, methods=["POST"], include_in_schema=False)
    app.add_api_route("/logout", logout_post, methods=["POST"], include_in_schema=False)

    def writer(request: Request, v: Visit) -> Response | None:
        if v.user is None:
            return redirect(request, v, "/login?next=" + quote(v.here, safe=""))
        if not v.user.may_write():
            problem = ApiProblem(
                403,
                "forbidden",
                _("The token may not write"),
                Message(_("token {name} is a viewer token"), name=repr(v.user.name)),
            )
            return problem_page(request, v, problem)
        return None

    async def record_post(request: Request, name: str) -> Response:
        v = await run_in_threadpool(visit, request)
        fields = ("step", "event", "date", "time", "note", "url")
        v.here = "/instances/" + quote(name, safe="")
        refused = writer(request, v)
        if refused is not None:
            return refused
        form = await posted(request, v, fields)
        if isinstance(form, Response):
            return form
        user = v.user
        assert user is not None

        def run() -> Response:
            try:
                when = form.get("date", "").strip()
                clock = form.get("time", "").strip()
                if clock:
                    if not _TIME.match(clock):
                        raise _BadInput(
                            Message(
                                _("time: {time} is not a time of day; write HH:MM, e.g. 09:30"),
                                time=repr(clock[:20]),
                            )
                        )
                    when = f"{when}T{clock}"
                try:
                    event = checks.event_request(
                        step=form.get("step", ""),
                        event=form.get("event", "complete"),
                        date=when,
                        by=user.name,
                        note=form.get("note") or None,
                        url=form.get("url", "").strip() or None,
                    )
                except ValidationError as exc:
                    raise _BadInput(_validation_text(exc)) from None
                version, _event = services.record(name, event, user)
            except _BadInput as exc:
                return instance_page(request, v, name, _bad(exc.args[0]), form)
            except ApiProblem as problem:
                if problem.status in (403, 404):
                    return problem_page(request, v, problem)
                return instance_page(request, v, name, problem, form)
            except CivicflowError as exc:
                refusal = from_error(exc)
                if refusal.status == 404:
                    return problem_page(request, v, refusal)
                return instance_page(request, v, name, refusal, form)
            return redirect(request, v, f"/instances/{quote(name, safe='')}?recorded={version}#history")

        try:
            return await run_in_threadpool(run)
        except ApiProblem as problem:
            return problem_page(request, v, problem)
        except CivicflowError as exc:
            return problem_page(request, v, from_error(exc))

    async def create_post(request: Request) -> Response:
        v = await run_in_threadpool(visit, request)
        v.here = "/"
        refused = writer(request, v)
        if refused is not None:
            return refused
        form = await posted(request, v, ("name", "template", "start"))
        if isinstance(form, Response):
            return form
        user = v.user
        assert user is not None

        def run() -> Response:
            try:
                try:
                    new = checks.instance_request(
                        name=form.get("name", "").strip(),
                        template=form.get("template", ""),
                        start=form.get("start", ""),
                    )
                except ValidationError as exc:
                    raise _BadInput(_validation_text(exc)) from None
                record = services.create(new, user)
            except _BadInput as exc:
                return overview(request, v, _bad(exc.args[0]), form)
            except ApiProblem as problem:
                return overview(request, v, problem, form)
            except CivicflowError as exc:
                return overview(request, v, from_error(exc), form)
            return redirect(request, v, f"/instances/{quote(record.name, safe='')}")

        return await run_in_threadpool(run)

    app.add_api_route("/instances/{name}/events", record_post, methods=["POST"], include_in_schema=False)
    app.add_api_route("/instances", create_post, methods=["POST"], include_in_schema=False)

    async def language(request: Request) -> Response:
        v = await run_in_threadpool(visit, request)
        chosen = request.query_params.get("lang", "")
        target = _local_path(request.query_params.get("next"))
        if chosen not in LANGUAGES:
            return problem_page(
                request, v, _bad(Message(_("lang: use one of {known}"), known=", ".join(LANGUAGES)))
            )
        response = redirect(request, v, target)
        _cookie(request, response, LANG_COOKIE, chosen, 365 * 24 * 3600, samesite="lax")
        return response

    app.add_api_route("/language", language, methods=["GET"], include_in_schema=False)

    def asset(body: bytes, media: str) -> Callable[[], Response]:
        def serve() -> Response:
            response = Response(body, media_type=media, headers={"Cache-Control": "public, max-age=3600"})
            for key, value in SECURITY_HEADERS.items():
                response.headers[key] = value
            return response

        return serve

    # fixed names, served from memory: no request ever names a file
    app.add_api_route(
        "/static/dashboard.css",
        asset(stylesheet, "text/css; charset=utf-8"),
        methods=["GET"],
        include_in_schema=False,
    )
    app.add_api_route(
        "/static/icon.svg", asset(icon, "image/svg+xml"), methods=["GET"], include_in_schema=False
    )
    app.add_api_route("/favicon.ico", asset(icon, "image/svg+xml"), methods=["GET"], include_in_schema=False)


@dataclass(frozen=True)
class HeatWords:
    """The words of a heat map in one language: each status, a broken row, the plan's mark, the check."""

    status: Mapping[str, str]
    broken: str
    by_plan: str
    ok: str
    not_ok: str


def _heat_rows(rows: list[dict[str, Any]], stages: list[str], words: HeatWords) -> list[Markup]:
    """The rows of a heat map table as HTML: thousands of rows of a few cells each, so the cells (one per
    stage, status and where the due day comes from) are made once and joined; the only text from users,
    the name, is escaped. A cell whose status only the plan dates (no legal rule) carries ``~``, as in
    ``civicflow status``; the check column says whether a rule is broken or a legal deadline overdue."""
    cells: dict[tuple[str, str | None, bool], str] = {}
    plan_mark = f'<span aria-hidden="true">~</span><span class="vh"> ({escape(words.by_plan)})</span>'
    checks = {
        True: f'<td class="check ok" data-check="ok">{escape(words.ok)}</td>',
        False: f'<td class="check bad" data-check="not-ok"><strong>{escape(words.not_ok)}</strong></td>',
    }

    def cell(stage: str, value: str | None, planned: bool) -> str:
        found = cells.get((stage, value, planned))
        if found is None:
            sid = escape(stage)
            if value is None or value not in STATUS_SIGNS:
                found = f'<td class="cell" data-stage="{sid}"></td>'
            else:
                mark = plan_mark if planned else ""
                source = ' data-source="plan"' if planned else ""
                found = (
                    f'<td class="cell st-{value}" data-stage="{sid}" data-status="{value}"{source}>'
                    f'<span aria-hidden="true">{STATUS_SIGNS[value]}</span>{mark}'
                    f'<span class="vh">{escape(words.status[value])}</span></td>'
                )
            cells[(stage, value, planned)] = found
        return found

    out = []
    for row in rows:
        name = str(row.get("name", ""))
        head = f'<tr><th scope="row"><a href="/instances/{quote(name, safe="")}">{escape(name)}</a></th>'
        worst = row.get("worst")
        if worst not in STATUS_SIGNS:
            error = escape(str(row.get("error", "")))
            body = f'<td colspan="{len(stages) + 2}" class="broken">{escape(words.broken)} {error}</td>'
        else:
            found = row.get("cells") or {}
            sources = row.get("due_sources") or {}
            body = (
                f'<td class="cell st-{worst}" data-status="{worst}"><span aria-hidden="true">'
                f'{STATUS_SIGNS[worst]}</span> <span class="word">{escape(words.status[worst])}</span></td>'
                + checks[bool(row.get("ok"))]
                + "".join(cell(stage, found.get(stage), sources.get(stage) == "plan") for stage in stages)
            )
        out.append(Markup(head + body + "</tr>"))  # every part above is escaped or a fixed word
    return out


def _when(template: ProcessTemplate, timing: Timing | None, tr: Translator) -> str:
    """When a step or stage happens, shortly: the rule in words, the days, the months of a window, or
    how long it lasts; with the source's own wording when it says more."""
    if timing is None:
        return ""

    if isinstance(timing, RelativeRule):
        return rule_message(timing).render(tr)
    if isinstance(timing, ExactDate):
        text = tr.day(timing.date)
    elif isinstance(timing, DateRange):
        text = f"{tr.day(timing.start)} – {tr.day(timing.end)}"
    elif isinstance(timing, Window):
        text = window_words(timing, tr)
    else:
        text = word(timing.duration, non_english(tr))
    label = _text(template, timing.label, tr.lang) if timing.label else ""
    return f"{text} ({label})" if label and label.casefold() not in text.casefold() else text


def _in_language(problem: ApiProblem, tr: Translator) -> ApiProblem:
    """``problem`` as a page in ``tr``'s language shows it: its title, its detail, why the engine refused
    an event and what it allows that day in that language (the API's JSON answer stays English;
    ``problem`` is unchanged). Every title is a marked message (:mod:`civicflow.server._problems`)."""
    extra = dict(problem.extra)
    if problem.reasons_worded:
        extra["reasons"] = [said(tr) for said in problem.reasons_worded]
    if isinstance(extra.get("allowed"), list):
        extra["allowed"] = [
            {**item, "event": tr.pgettext("action", str(item.get("event", "")))} for item in extra["allowed"]
        ]
    return ApiProblem(
        problem.status,
        problem.kind,
        tr.gettext(problem.title),
        problem.worded(tr) if problem.worded else problem.detail,
        problem.headers,
        **extra,
    )


def _pick(text: Mapping[str, str] | None, lang: str) -> str:
    if not text:
        return ""
    for key in (lang, "en"):
        if key in text:
            return text[key]
    return next(iter(text.values()))


def _bad(detail: object) -> ApiProblem:
    """A 422 problem; ``detail`` a :class:`Message` (worded in the page's language) or text."""
    return ApiProblem(
        422, "invalid-input", INVALID_INPUT, detail if isinstance(detail, Message) else str(detail)
    )


@dataclass(frozen=True)
class _Said:
    """What an exception says, in the reader's language when it can (a message parameter)."""

    error: BaseException

    def render(self, translator: Translator | None = None) -> str:
        return said(self.error, translator)


# pydantic's own messages for the forms' fields, each ours to translate (the same English; a choice
# lists what may be chosen without pydantic's English "or")
_PYDANTIC = {
    "literal_error": _("Input should be one of {expected}"),
    "string_too_long": _("String should have at most {max_length} characters"),
    "string_too_short": _("String should have at least {min_length} characters"),
    "string_pattern_mismatch": _("String should match pattern {pattern}"),
    "missing": _("Field required"),
}


def _validation_text(exc: ValidationError) -> Message:
    """The first problems of a form's fields, ``field: what is wrong``; a validator's own message and
    pydantic's usual ones worded in the page's language."""
    parts: list[Param] = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()))
        ctx = error.get("ctx") or {}
        cause = ctx.get("error")
        what: Param
        if isinstance(cause, BaseException):
            what = _Said(cause)
        elif error["type"] in _PYDANTIC:
            values = {k: (repr(v) if k == "pattern" else str(v)) for k, v in ctx.items()}
            if error["type"] == "literal_error":
                values["expected"] = ", ".join(re.findall(r"'[^']*'", values.get("expected", "")))
            what = Message(_PYDANTIC[error["type"]], **values)
        else:
            what = str(error.get("msg", ""))
        parts.extend(["; " if parts else "", where, ": ", what])
    return joined(*parts)


def _same_origin(request: Request) -> bool:
    """False when the browser says the request comes from another site (``Origin``, ``Sec-Fetch-Site``)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host", "")
    return origin == f"{request.url.scheme}://{host}"


def _cookie(
    request: Request,
    response: Response,
    name: str,
    value: str,
    max_age: int | None,
    samesite: str = "strict",
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite=samesite,  # type: ignore[arg-type]
        secure=request.url.scheme == "https",
    )
