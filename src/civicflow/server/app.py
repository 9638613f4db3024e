"""The ASGI application of ``civicflow serve``: a versioned JSON API under ``/api/v1`` and calendar feeds.

:func:`create_app` builds it from :class:`Settings` (or from the environment, for ``uvicorn --factory``
with several workers). Every worker holds only what cannot go stale: compiled bundled templates and
registered ones (immutable per id and version). Instances, histories, summaries and tokens are read from
the store on each request. See docs/service.md.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from sqlalchemy import func, select
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from civicflow.calendar import WorkingCalendar
from civicflow.compliance import Agenda, DueItem, UndatedDue, agenda, status
from civicflow.dates import local_day
from civicflow.documents import check_document, lint_document, plan_document
from civicflow.errors import CivicflowError, ConflictError, IllegalTransitionError, StoreError
from civicflow.events import Event, EventType, has_time, parse_event_time
from civicflow.i18n import _
from civicflow.instance import ProcessInstance
from civicflow.loader import Limits, parse_template_text, read_event_text
from civicflow.messages import Message as Said
from civicflow.planner import plan
from civicflow.server import _summary, dashboard
from civicflow.server._feeds import feed
from civicflow.server._problems import MEDIA_TYPE, ApiProblem, body, from_error, invalid_input
from civicflow.server._templates import TemplateRegistry
from civicflow.server.tokens import TokenInfo, authenticate
from civicflow.store import InstanceRecord, Store
from civicflow.store._records import MAX_NAME_LENGTH, check_happened, check_name, url_problem
from civicflow.store._schema import instances

__all__ = ["ENV_CORS", "ENV_READ", "ENV_SESSION", "Settings", "create_app"]

ENV_READ = "CIVICFLOW_SERVE_READ"
"""``public`` (anyone may read) or ``token`` (reads need a token too)."""
ENV_CORS = "CIVICFLOW_SERVE_CORS"
ENV_SESSION = "CIVICFLOW_SESSION_SECRET"
"""The dashboard's session key (32 characters or more). Unset, ``civicflow serve`` makes a random one
for its workers at start: sessions then end when the service restarts."""
"""Origins allowed to call the API from a browser, separated by commas."""

API = "/api/v1"
MAX_BODY = Limits().max_bytes + 64 * 1024  # a template at its size limit, JSON-quoted
MAX_FEED = 200  # instances in /feeds/all.ics: each is planned for every request of the feed
log = logging.getLogger("civicflow.server")


@dataclass(frozen=True)
class Settings:
    """How the service runs: its store, who may read, which browser origins may call it, and its clock
    (``now``: an aware time; tests hold it still)."""

    db: str | None = None
    read: Literal["public", "token"] = "public"
    cors_origins: tuple[str, ...] = ()
    now: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0))
    session_key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    """What signs the dashboard's session cookies, with each token's stored hash (never in the store)."""

    def today(self, timezone: str) -> dt.date:
        """Today in ``timezone`` (a jurisdiction's): the day a status is of when none is asked for."""
        return local_day(self.now(), timezone)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        read = env.get(ENV_READ, "public")
        if read not in ("public", "token"):
            raise StoreError(f"{ENV_READ} is {read!r}; use public or token")
        origins = tuple(o.strip() for o in env.get(ENV_CORS, "").split(",") if o.strip())
        secret = env.get(ENV_SESSION, "")
        if secret and len(secret) < 32:
            raise StoreError(f"{ENV_SESSION} has {len(secret)} characters; give 32 or more random ones")
        key = {"session_key": secret.encode("utf-8")} if secret else {}
        return cls(db=env.get("CIVICFLOW_DB"), read=read, cors_origins=origins, **key)  # type: ignore[arg-type]


# -- input -------------------------------------------------------------------------------------------


def _day(text: object) -> dt.date:
    if not isinstance(text, str) or len(text) != 10:
        raise ValueError(Said(_("write a date as YYYY-MM-DD, e.g. 2025-10-06")))
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            Said(_("{text} is not a date; write YYYY-MM-DD, e.g. 2025-10-06"), text=repr(text))
        ) from None
    if not 1900 <= day.year <= 2200:
        raise ValueError(Said(_("{text} is outside the years 1900 to 2200"), text=text))
    return day


def _name(text: str) -> str:
    try:
        check_name(text)
    except StoreError as exc:
        raise ValueError(exc.reason or str(exc)) from None
    return text


Day = Annotated[
    dt.date,
    BeforeValidator(_day),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2025-10-06"]}),
]
TemplateId = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z][a-z0-9_]*$")]
StepId = Annotated[str, Field(min_length=1, max_length=200)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH), AfterValidator(_name)]
ShortText = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=2000)]
Lang = Literal["uk", "bg", "ru", "en"]


def _url(text: str | None) -> str | None:
    problem = url_problem(text)
    if problem is not None:
        raise ValueError(problem)
    return text


WebAddress = Annotated[str, Field(max_length=2000), AfterValidator(_url)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlanRequest(_Model):
    template: TemplateId
    version: Annotated[str, Field(max_length=100)] | None = None
    start: Day | None = None
    fixed: Annotated[dict[StepId, Day], Field(max_length=500)] = {}
    lang: Lang | None = None


class EventIn(_Model):
    step: StepId
    event: Literal["open", "complete", "skip"] = "complete"
    date: Annotated[
        str, Field(min_length=10, max_length=40, examples=["2025-10-08", "2025-10-08T09:30+03:00"])
    ]
    by: ShortText | None = None
    note: LongText | None = None
    url: LongText | None = None


class CheckRequest(_Model):
    template: TemplateId
    version: Annotated[str, Field(max_length=100)] | None = None
    start: Day | None = None
    as_of: Day | None = None
    soon: Annotated[int, Field(ge=0, le=60)] = 3
    events: Annotated[list[EventIn], Field(max_length=10_000)] = []


class RecordRequest(EventIn):
    url: WebAddress | None = None  # what is stored is a web address (a checked log may say anything)
    lenient: bool = False


class LintRequest(_Model):
    text: Annotated[str, Field(max_length=Limits().max_bytes)]
    name: Annotated[str, Field(max_length=200, pattern=r"^[A-Za-z0-9_.-]+$")] = "template.yaml"


class RegisterRequest(_Model):
    text: Annotated[str, Field(max_length=Limits().max_bytes)]


class NewInstanceRequest(_Model):
    name: Name
    template: TemplateId
    version: Annotated[str, Field(max_length=100)] | None = None
    start: Day


def _query_day(value: str | None, what: str = "as_of") -> dt.date | None:
    if value is None:
        return None
    try:
        return _day(value)
    except ValueError as exc:
        raise invalid_input(what, exc) from None


def _json(data: Any, status_code: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        status_code=status_code,
        media_type="application/json",
        headers=dict(headers or {}),
    )


def _instance_url(name: str) -> str:
    """The address of an instance, its name percent-encoded (a header holds ASCII only)."""
    return f"{API}/instances/{quote(name, safe='')}"


def _etag(version: int) -> str:
    return f'"{version}"'


_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


def _expected_version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    found = _IF_MATCH.match(if_match)
    if found is None:
        raise ApiProblem(
            400,
            "bad-if-match",
            "If-Match is not a version",
            'If-Match names the version read before, as the ETag gave it, e.g. If-Match: "3"',
        )
    return int(found.group(1))


class ProblemDocument(BaseModel):
    """An error (RFC 9457): what kind, a title for the kind, what happened this time, and where."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["urn:civicflow:problem:stale-version"])
    title: str
    status: int
    detail: str
    instance: str


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI description of the problem documents a route may answer with."""
    schema = {"schema": ProblemDocument.model_json_schema()}
    return {code: {"description": HTTPStatus(code).phrase, "content": {MEDIA_TYPE: schema}} for code in codes}


_READ = (401, 403, 422)
_CALENDAR: dict[int | str, dict[str, Any]] = {
    200: {"description": "an iCalendar document", "content": {"text/calendar": {}}}
}


# -- the body size limit -----------------------------------------------------------------------------


class BodyLimit:
    """Refuses a request body larger than ``limit`` bytes with 413 before the application reads it."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(scope, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        data = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": data, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        problem = ApiProblem(
            413,
            "too-large",
            "The request body is too large",
            f"a request body may have at most {self.limit} bytes",
        )
        payload = body(problem, scope.get("path", ""))
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", MEDIA_TYPE.encode()),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})


# -- who may do what ----------------------------------------------------------------------------------


def _unauthorized(title: str, detail: str, error: str | None = None) -> ApiProblem:
    challenge = f'Bearer error="{error}"' if error else "Bearer"
    return ApiProblem(401, "unauthorized", title, detail, headers={"WWW-Authenticate": challenge})


def _checked(request: Request, token: str) -> TokenInfo:
    info = authenticate(request.app.state.store, token)
    if info is None:
        raise _unauthorized("The token is not valid", "the token is unknown or was revoked", "invalid_token")
    return info


def _bearer(request: Request, authorization: str | None) -> TokenInfo | None:
    if authorization is None:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise _unauthorized("A bearer token is needed", "send the token as Authorization: Bearer TOKEN")
    return _checked(request, value.strip())


def _reader(
    request: Request, authorization: Annotated[str | None, Header(max_length=200)] = None
) -> TokenInfo | None:
    info = _bearer(request, authorization)
    if info is None and request.app.state.settings.read == "token":
        raise _unauthorized(
            "A token is needed to read", "this service needs a token to read: Authorization: Bearer TOKEN"
        )
    return info


def _writer(
    request: Request, authorization: Annotated[str | None, Header(max_length=200)] = None
) -> TokenInfo:
    info = _bearer(request, authorization)
    if info is None:
        raise _unauthorized(
            "A token is needed to write", "writing needs an editor token: Authorization: Bearer TOKEN"
        )
    if not info.may_write():
        raise ApiProblem(
            403,
            "forbidden",
            _("The token may not write"),
            Said(_("token {name} is a viewer token"), name=repr(info.name)),
        )
    return info


def _feed_reader(
    request: Request,
    authorization: Annotated[str | None, Header(max_length=200)] = None,
    token: Annotated[str | None, Query(max_length=100)] = None,
) -> TokenInfo | None:
    if token is not None and authorization is None:
        return _checked(request, token)
    return _reader(request, authorization)


Reader = Annotated[TokenInfo | None, Depends(_reader)]
Writer = Annotated[TokenInfo, Depends(_writer)]
FeedReader = Annotated[TokenInfo | None, Depends(_feed_reader)]


def allow(info: TokenInfo | None, name: str) -> None:
    """403 unless ``info`` (None: public reading) covers the instance ``name``."""
    if info is not None and not info.covers(name):
        raise ApiProblem(
            403,
            "forbidden",
            _("The token does not cover this instance"),
            Said(_("token {name} may not touch {instance}"), name=repr(info.name), instance=repr(name)),
        )


def visible(info: TokenInfo | None) -> Callable[[str], bool]:
    """Which instances ``info`` may see (None: every one)."""
    return (lambda _name: True) if info is None else info.covers


# -- what the API and the dashboard share ---------------------------------------------------------------


@dataclass(frozen=True)
class Services:
    """The writes and the many-instance reads of the service, shared by the JSON API and the dashboard so
    that both check the same way and refuse with the same reasons."""

    store: Store
    settings: Settings
    registry: TemplateRegistry
    update_summary: Callable[[str], None]
    service_today: Callable[..., dt.date]
    calendars_in_use: Callable[[], dict[tuple[str, str], WorkingCalendar]]
    calendar_of: Callable[[InstanceRecord], WorkingCalendar | None]
    stages_of: Callable[[InstanceRecord], list[dict[str, str]]]

    def create(self, request: NewInstanceRequest, token: TokenInfo) -> InstanceRecord:
        """Start tracking an instance of a bundled or registered template."""
        allow(token, request.name)
        found, origin = self.registry.get(request.template, request.version)
        plan(found, start=request.start)  # a start the calendar cannot date is refused now, not on every read
        record = self.store.create(
            request.name,
            found.id,
            found.version,
            request.start,
            template_source=self.registry.source_of(found, origin),
        )
        self.update_summary(record.name)
        return record

    def record(
        self, name: str, request: RecordRequest, token: TokenInfo, expected: int | None = None
    ) -> tuple[int, Event]:
        """Check an event and append it to the history: the new version and the event, or an
        :class:`ApiProblem` saying why not (an illegal one: the reasons and what is allowed that day)."""
        store, settings = self.store, self.settings
        name_or_404(name)
        allow(token, name)
        record = store.get(name)
        procedure = store.procedure(record)
        try:
            at = parse_event_time(request.date, procedure.calendar.timezone)
        except ValueError as exc:
            raise invalid_input("date", exc) from None
        day = procedure.local_date(at)
        try:
            check_happened(day, settings.today(procedure.calendar.timezone))
        except StoreError as exc:
            raise invalid_input("date", exc) from None
        procedure.calendar.is_working_day(day)  # a day the calendar does not cover is refused here
        event = Event(
            request.step,
            EventType(request.event),
            at,
            request.by,
            request.note,
            request.url,
            timed=has_time(request.date),  # a day alone stays a day, in the history and its JSON
        )
        try:
            version = store.record(name, event, expected_version=expected, strict=not request.lenient)
        except ConflictError as exc:
            if expected is not None:
                raise ApiProblem(
                    412, "stale-version", "The instance changed since it was read", str(exc)
                ) from None
            raise
        except IllegalTransitionError as exc:
            day = procedure.local_date(at)
            instance = store.load(name)
            kind = EventType(request.event)
            blocked = [b for b in instance.blocked(day) if b.step == request.step and b.event is kind]
            problem = ApiProblem(
                422,
                "illegal-transition",
                "The event is not allowed now",
                str(exc),
                reasons=[b.reason for b in blocked] or [str(exc)],
                allowed=[t.to_dict() for t in instance.allowed(day)],
                version=len(instance.history),
            )
            problem.worded = exc.text
            problem.reasons_worded = [b.text for b in blocked] or [exc.text]
            raise problem from None
        self.update_summary(name)
        return version, event

    def heat(
        self, token: TokenInfo | None, day: dt.date
    ) -> tuple[list[_summary.HeatRow], dict[tuple[str, str], dict[str, Any]]]:
        """The heat map rows ``token`` may see as of ``day``, and the stages of each template in them."""
        shown = visible(token)
        today = self.settings.today
        rows = [r for r in _summary.heat_rows(self.store, day, today=today) if shown(r.record.name)]
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        for row in rows:
            key = (row.record.template_id, row.record.template_version)
            if key not in groups:
                groups[key] = {"id": key[0], "version": key[1], "stages": self.stages_of(row.record)}
        return rows, groups

    def agenda(
        self,
        token: TokenInfo | None,
        day: dt.date,
        within: int,
        calendars: dict[tuple[str, str], WorkingCalendar],
    ) -> Agenda:
        """What is overdue on ``day`` and what is due from it to the ``within``-th working day after it,
        across the instances ``token`` may see: legal deadlines and days the plan sets, apart."""
        shown = visible(token)
        until = max((c.add_working_days(day, within) for c in calendars.values()), default=day)
        rows = _summary.heat_rows(self.store, day, today=self.settings.today, due_until=until)
        grouped: dict[tuple[str, str], list[DueItem]] = {}
        undated: list[UndatedDue] = []
        for row in rows:
            key = (row.record.template_id, row.record.template_version)
            if key not in calendars:  # created since the query above, or cannot be checked
                found = self.calendar_of(row.record)
                if found is None:
                    continue
                calendars[key] = found
            if shown(row.record.name):
                grouped.setdefault(key, []).extend(row.summary.due(None, until))  # overdue ones too
                undated.extend(row.summary.undated())
        return agenda(((calendars[k], items) for k, items in grouped.items()), day, within, undated)


def name_or_404(name: str) -> None:
    """A 404 problem unless ``name`` is a possible instance name."""
    try:
        check_name(name)
    except StoreError as exc:
        problem = ApiProblem(404, "unknown-instance", "No such instance", str(exc))
        problem.worded = exc.text_in
        raise problem from None


# -- the application -----------------------------------------------------------------------------------


def create_app(settings: Settings | None = None) -> FastAPI:
    """The ASGI application over the store of ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_environ()
    registry = TemplateRegistry()
    store = Store.open(settings.db, templates=registry.resolve)
    registry.bind(store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="civicflow",
        summary="Plans, checks and tracks civic participation processes against their legal deadlines.",
        version="1",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.settings = settings
    app.state.registry = registry

    # -- errors as problem details ---------------------------------------------------------------------

    def problem_response(problem: ApiProblem, request: Request) -> Response:
        return Response(
            body(problem, request.url.path),
            status_code=problem.status,
            media_type=MEDIA_TYPE,
            headers=problem.headers,
        )

    @app.exception_handler(ApiProblem)
    async def _api_problem(request: Request, exc: ApiProblem) -> Response:
        return problem_response(exc, request)

    @app.exception_handler(CivicflowError)
    async def _civicflow(request: Request, exc: CivicflowError) -> Response:
        return problem_response(from_error(exc), request)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "location": [str(p) for p in e.get("loc", ())],
                "message": e.get("msg", ""),
                "type": e.get("type", ""),
            }
            for e in exc.errors()
        ]
        shown = "; ".join(f"{'.'.join(e['location'])}: {e['message']}" for e in errors[:5])
        problem = ApiProblem(422, "invalid-input", "The input is not valid", shown, errors=errors)
        return problem_response(problem, request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "see the API description at /openapi.json"
        if exc.status_code == 404:
            detail = f"no such resource; the API is under {API}, described at /openapi.json"
        title = (
            HTTPStatus(exc.status_code).phrase if exc.status_code in HTTPStatus._value2member_map_ else detail
        )
        problem = ApiProblem(exc.status_code, "", title, detail, headers=dict(exc.headers or {}))
        return problem_response(problem, request)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        log.error("internal error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
        problem = ApiProblem(500, "internal", "Internal error", "an internal error; it has been logged")
        return problem_response(problem, request)

    @app.middleware("http")
    async def _access_log(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        began = time.perf_counter()
        code = 500
        try:
            response = await call_next(request)
            code = response.status_code
            response.headers["X-Content-Type-Options"] = "nosniff"  # JSON and calendars are never HTML
            return response
        finally:
            # the path only: a query string may hold a feed token
            spent = (time.perf_counter() - began) * 1000
            log.info("%s %s %d %.1f ms", request.method, request.url.path, code, spent)

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "If-Match"],
            expose_headers=["ETag", "Location"],
        )
    app.add_middleware(BodyLimit, limit=MAX_BODY)

    # -- helpers -------------------------------------------------------------------------------------

    def record_dict(record: InstanceRecord) -> dict[str, Any]:
        return {
            "name": record.name,
            "template": record.template_id,
            "template_version": record.template_version,
            "start": record.start.isoformat(),
            "version": record.version,
        }

    def stages_of(record: InstanceRecord) -> list[dict[str, str]]:
        try:
            procedure = store.procedure(record)
        except CivicflowError:  # its rows say why
            return []
        return [{"id": s, "title": procedure.stage_titles.get(s, s)} for s in procedure.top_stages]

    def calendar_of(record: InstanceRecord) -> WorkingCalendar | None:
        try:
            return store.procedure(record).calendar
        except CivicflowError:  # its instances have no due days
            return None

    def calendars_in_use() -> dict[tuple[str, str], WorkingCalendar]:
        """The working calendar of each template (id, version) that tracked instances follow."""
        with store.engine.connect() as conn:
            query = select(
                instances.c.template_id, instances.c.template_version, func.min(instances.c.name)
            ).group_by(instances.c.template_id, instances.c.template_version)
            kinds = conn.execute(query).all()
        out: dict[tuple[str, str], WorkingCalendar] = {}
        for template_id, version, any_name in kinds:
            found = calendar_of(store.get(any_name))
            if found is not None:
                out[(template_id, version)] = found
        return out

    def service_today(calendars: Mapping[tuple[str, str], WorkingCalendar] | None = None) -> dt.date:
        """Today where the tracked processes run: in their jurisdictions' zone when they share one, else
        in UTC (the heat map and the agenda say which day they are of)."""
        zones = {c.timezone for c in (calendars_in_use() if calendars is None else calendars).values()}
        return settings.today(zones.pop() if len(zones) == 1 else "UTC")

    def update_summary(name: str) -> None:
        """Store the instance's summary as of today (best effort: a reader recomputes a stale one)."""
        try:
            tracked = store.read(name)
            procedure = store.procedure(tracked.record)
            today = settings.today(procedure.calendar.timezone)
            summary = _summary.compute(procedure, tracked.record, tracked.events, today)
            with store.engine.begin() as conn:
                _summary.save(conn, [summary])
        except Exception as exc:  # the event is recorded: a reader will recompute the summary
            log.warning("status summary of an instance not updated: %s", type(exc).__name__)

    services = Services(
        store, settings, registry, update_summary, service_today, calendars_in_use, calendar_of, stages_of
    )
    app.state.services = services
    dashboard.install(
        app, services, dashboard.Checks(RecordRequest, NewInstanceRequest, name_or_404, allow, _day)
    )

    # -- templates -----------------------------------------------------------------------------------

    @app.get(f"{API}/health", tags=["service"])
    def health() -> Response:
        """Whether the service answers (it does not touch the store)."""
        return _json({"status": "ok"})

    @app.get(f"{API}/templates", tags=["templates"], responses=_errors(*_READ))
    def templates(_token: Reader) -> Response:
        """The bundled templates and those registered in the store."""
        return _json({"templates": [t.to_dict() for t in registry.summaries()]})

    @app.get(f"{API}/templates/{{template_id}}", tags=["templates"], responses=_errors(*_READ, 404))
    def template(
        template_id: Annotated[str, PathParam(max_length=80)],
        _token: Reader,
        version: Annotated[str | None, Query(max_length=100)] = None,
    ) -> Response:
        """One template (bundled by id, or registered), as its JSON data."""
        found, origin = registry.get(template_id, version)
        return _json(
            {
                "id": found.id,
                "version": found.version,
                "source": origin,
                "template": found.model_dump(mode="json", exclude_none=True),
            }
        )

    @app.post(f"{API}/templates", status_code=201, tags=["templates"], responses=_errors(*_READ, 409, 413))
    def register(request: RegisterRequest, token: Writer) -> Response:
        """Register a template (YAML text) so that instances can follow it; needs an editor token that
        is not limited to some instances."""
        if token.instances is not None:
            raise ApiProblem(
                403, "forbidden", "The token may not register templates", "use an unrestricted editor token"
            )
        found = registry.register(request.text)
        url = f"{API}/templates/{found.id}?version={found.version}"
        return _json({"id": found.id, "version": found.version}, 201, {"Location": url})

    @app.post(f"{API}/lint", tags=["templates"], responses=_errors(*_READ, 413))
    def lint(request: LintRequest, _token: Reader) -> Response:
        """Check a template (YAML text): every problem with its line and column (``lint --format json``)."""
        return _json(lint_document(request.name, lambda: parse_template_text(request.text, request.name)))

    # -- plan and check ----------------------------------------------------------------------------

    @app.post(f"{API}/plan", tags=["plan and check"], responses=_errors(*_READ, 404, 413))
    def plan_(request: PlanRequest, _token: Reader) -> Response:
        """A dated timeline: the document of ``civicflow plan --format json``."""
        found, _ = registry.get(request.template, request.version)
        schedule = plan(found, start=request.start, fixed=dict(request.fixed))
        return _json(plan_document(schedule, request.lang))

    @app.post(f"{API}/check", tags=["plan and check"], responses=_errors(*_READ, 404, 413))
    def check(request: CheckRequest, _token: Reader) -> Response:
        """Events checked against the legal deadlines: the document of ``civicflow check --format json``."""
        found, _ = registry.get(request.template, request.version)
        text = json.dumps({"events": [e.model_dump(exclude_none=True) for e in request.events]})
        timezone = found.working_calendar().timezone
        log_ = read_event_text(text, format="json", source="request", timezone=timezone, template=found)
        st = status((found, log_.events, request.start or log_.start), as_of=request.as_of, soon=request.soon)
        return _json(check_document(st, "request"))

    # -- instances ---------------------------------------------------------------------------------

    @app.post(
        f"{API}/instances", status_code=201, tags=["instances"], responses=_errors(*_READ, 404, 409, 413)
    )
    def create_instance(request: NewInstanceRequest, token: Writer) -> Response:
        """Start tracking an instance of a bundled or registered template."""
        record = services.create(request, token)
        headers = {"Location": _instance_url(record.name), "ETag": _etag(record.version)}
        return _json(record_dict(record), 201, headers)

    @app.get(f"{API}/instances", tags=["instances"], responses=_errors(*_READ))
    def list_instances(token: Reader) -> Response:
        """Every tracked instance the token may see, by name."""
        shown = visible(token)
        return _json({"instances": [record_dict(r) for r in store.records() if shown(r.name)]})

    @app.get(f"{API}/instances/{{name}}", tags=["instances"], responses=_errors(*_READ, 404))
    def get_instance(
        name: str, token: Reader, as_of: Annotated[str | None, Query(max_length=10)] = None
    ) -> Response:
        """An instance: its record, append-only history, status and findings as of a day (default
        today), and the events allowed on that day."""
        name_or_404(name)
        allow(token, name)
        tracked = store.read(name)
        record = tracked.record
        procedure = store.procedure(record)
        day = _query_day(as_of) or settings.today(procedure.calendar.timezone)
        instance = ProcessInstance.from_events(
            procedure.template, start=record.start, events=tracked.events, name=name
        )
        version = record.version
        st = status(instance, as_of=day, name=name)
        payload = {
            **record_dict(record),
            "as_of": day.isoformat(),
            "history": [{"seq": k, **e.to_dict()} for k, e in enumerate(tracked.events, start=1)],
            "status": st.to_dict(),
            "findings": st.report.to_dict(),
            "allowed": [t.to_dict() for t in instance.allowed(day)],
        }
        return _json(payload, headers={"ETag": _etag(version)})

    @app.post(
        f"{API}/instances/{{name}}/events",
        status_code=201,
        tags=["instances"],
        responses=_errors(400, *_READ, 404, 409, 412, 413),
    )
    def record_event(
        name: str,
        request: RecordRequest,
        token: Writer,
        if_match: Annotated[str | None, Header(max_length=40)] = None,
    ) -> Response:
        """Append an event to the history (checked first: 422 with the reasons and what is allowed).

        With ``If-Match: "N"`` (the ETag read before) the event is recorded only if the instance is still
        at version N, else 412.
        """
        expected = _expected_version(if_match)
        version, event = services.record(name, request, token, expected)
        headers = {"ETag": _etag(version), "Location": _instance_url(name)}
        return _json({"name": name, "version": version, "event": event.to_dict()}, 201, headers)

    # -- many instances ----------------------------------------------------------------------------

    @app.get(f"{API}/status", tags=["many instances"], responses=_errors(*_READ))
    def heat_map(token: Reader, as_of: Annotated[str | None, Query(max_length=10)] = None) -> Response:
        """The heat map: each instance's status per top-level stage as of a day (default today)."""
        day = _query_day(as_of) or service_today()
        rows, groups = services.heat(token, day)
        # each stored summary is the JSON of its row already: joined, not parsed and written again
        head = json.dumps({"as_of": day.isoformat(), "templates": list(groups.values())}, ensure_ascii=False)
        text = head[:-1] + ',"instances":[' + ",".join(r.summary.row_json for r in rows) + "]}"
        return Response(text.encode("utf-8"), media_type="application/json")

    @app.get(f"{API}/agenda", tags=["many instances"], responses=_errors(*_READ))
    def agenda_(
        token: Reader,
        within: Annotated[int, Query(ge=0, le=250)] = 10,
        as_of: Annotated[str | None, Query(max_length=10)] = None,
    ) -> Response:
        """What is due from a day (default today) to the ``within``-th working day after it, across
        instances: legal deadlines and days the plan sets, apart."""
        calendars = calendars_in_use()
        day = _query_day(as_of) or service_today(calendars)
        return _json(services.agenda(token, day, within, calendars).to_dict())

    # -- feeds -------------------------------------------------------------------------------------

    def calendar_response(text: str, name: str) -> Response:
        return Response(
            text.encode("utf-8"),
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": f'inline; filename="{name}.ics"', "Cache-Control": "no-cache"},
        )

    @app.get(
        "/feeds/all.ics", tags=["feeds"], response_class=Response, responses={**_CALENDAR, **_errors(*_READ)}
    )
    def feed_all(token: FeedReader) -> Response:
        """Every instance's timeline and legal deadlines, for a calendar subscription."""
        shown = visible(token)
        names = [r.name for r in store.records() if shown(r.name)]
        if len(names) > MAX_FEED:
            raise ApiProblem(
                422,
                "feed-too-large",
                "Too many instances for one feed",
                f"{len(names)} instances are visible, one feed holds at most {MAX_FEED}: subscribe to "
                "/feeds/NAME.ics of each, or read all.ics with a token limited to fewer instances",
            )
        tracked = [store.read(name) for name in names]
        text = feed(store, tracked, "civicflow", settings.today, settings.now(), skip_broken=True)
        return calendar_response(text, "all")

    @app.get(
        "/feeds/{name}.ics",
        tags=["feeds"],
        response_class=Response,
        responses={**_CALENDAR, **_errors(*_READ, 404)},
    )
    def feed_one(name: str, token: FeedReader) -> Response:
        """One instance's timeline and legal deadlines, for a calendar subscription."""
        name_or_404(name)
        allow(token, name)
        tracked = store.read(name)
        return calendar_response(feed(store, [tracked], name, settings.today, settings.now()), "instance")

    return app
