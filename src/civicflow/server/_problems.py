"""Errors as RFC 9457 problem details: ``type``, ``title``, ``status``, ``detail``, ``instance`` and
members that say more (``problems`` with line and column, ``allowed`` transitions, ``errors`` of a field).

Messages are civicflow's own, written to be shown to users; a store error or a bug gives a fixed sentence
instead, so that nothing about the database (its address, a password) reaches a client.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from civicflow.errors import (
    CivicflowError,
    ConflictError,
    EventLogError,
    IllegalTransitionError,
    InstanceExistsError,
    InstanceNotFoundError,
    PlanInputError,
    StoreError,
    TemplateError,
    TemplateNotFoundError,
)
from civicflow.i18n import _
from civicflow.messages import Message, said

if TYPE_CHECKING:
    from civicflow.i18n import Translator

__all__ = ["INVALID_INPUT", "MEDIA_TYPE", "ApiProblem", "body", "from_error", "invalid_input"]

MEDIA_TYPE = "application/problem+json"
_PREFIX = "urn:civicflow:problem:"
log = logging.getLogger("civicflow.server")


class ApiProblem(Exception):
    """An error response: HTTP ``status``, a short ``kind`` (the type is ``urn:civicflow:problem:KIND``),
    a ``title`` for the kind and a ``detail`` for this occurrence, and any extra members.

    The JSON answer is English; ``worded`` and ``reasons_worded``, when the engine said why, word the
    detail and the reasons in a language (the dashboard shows them in the page's language). A ``detail``
    given as a :class:`~civicflow.messages.Message` is both: its English and its wording."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str | Message,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        text = str(detail)
        super().__init__(text)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = text
        self.headers = headers or {}
        self.extra = extra
        self.worded: Callable[[Translator], str] | None = (
            detail.render if isinstance(detail, Message) else None
        )
        self.reasons_worded: list[Callable[[Translator], str]] = []


def body(problem: ApiProblem, instance: str) -> bytes:
    """The JSON document of ``problem`` at the request path ``instance``."""
    data: dict[str, Any] = {
        "type": _PREFIX + problem.kind if problem.kind else "about:blank",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "instance": instance,
        **problem.extra,
    }
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _problems(exc: TemplateError | EventLogError) -> list[dict[str, Any]]:
    return [p.to_dict() for p in exc.problems]


# What a civicflow error is for a client, first match wins (a subclass before its base): the status, the
# problem's kind and title; the detail is the error's message.
_ANSWERS: tuple[tuple[type[Exception], int, str, str], ...] = (
    (TemplateError, 422, "invalid-template", _("The template is not valid")),
    (EventLogError, 422, "invalid-events", _("The events cannot be read")),
    (TemplateNotFoundError, 404, "unknown-template", _("No such template")),
    (InstanceNotFoundError, 404, "unknown-instance", _("No such instance")),
    (InstanceExistsError, 409, "exists", _("It exists already")),
    (ConflictError, 409, "conflict", _("Another writer changed the instance first")),
    (IllegalTransitionError, 422, "illegal-transition", _("The event is not allowed now")),
    (PlanInputError, 422, "invalid-input", _("The input does not fit the template")),
)
INVALID_INPUT = _("The input is not valid")


def invalid_input(field: str, error: BaseException) -> ApiProblem:
    """A 422 problem: ``field: what is wrong``, worded in the page's language where the error can be."""
    problem = ApiProblem(422, "invalid-input", INVALID_INPUT, f"{field}: {error}")
    problem.worded = lambda tr: f"{field}: {said(error, tr)}"
    return problem


def from_error(exc: CivicflowError) -> ApiProblem:
    """The problem a civicflow error is for a client."""
    for kind, status, slug, title in _ANSWERS:
        if isinstance(exc, kind):
            if isinstance(exc, TemplateError | EventLogError):
                problem = ApiProblem(status, slug, title, str(exc), problems=_problems(exc))
                problem.worded = exc.text_in
                return problem
            if isinstance(exc, InstanceNotFoundError):
                # never the names of other instances: a token limited to some must not learn the rest
                unknown = Message(_("no tracked instance named {name}"), name=repr(exc.name))
                return ApiProblem(status, slug, title, unknown)
            problem = ApiProblem(status, slug, title, str(exc))
            if exc.reason is not None:
                problem.worded = exc.text_in
            return problem
    if isinstance(exc, StoreError):
        log.error("store error: %s", type(exc).__name__)
        unavailable = Message(_("the store cannot answer now; try again"))
        return ApiProblem(503, "store-unavailable", _("The store cannot answer"), unavailable)
    if isinstance(exc, ValueError):
        problem = ApiProblem(422, "invalid-input", INVALID_INPUT, str(exc))
    else:
        problem = ApiProblem(400, "bad-request", _("The request cannot be served"), str(exc))
    if exc.reason is not None:
        problem.worded = exc.text_in
    return problem
