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

if TYPE_CHECKING:
    from civicflow.i18n import Translator

__all__ = ["MEDIA_TYPE", "ApiProblem", "body", "from_error"]

MEDIA_TYPE = "application/problem+json"
_PREFIX = "urn:civicflow:problem:"
log = logging.getLogger("civicflow.server")


class ApiProblem(Exception):
    """An error response: HTTP ``status``, a short ``kind`` (the type is ``urn:civicflow:problem:KIND``),
    a ``title`` for the kind and a ``detail`` for this occurrence, and any extra members.

    The JSON answer is English; ``worded`` and ``reasons_worded``, when the engine said why, word the
    detail and the reasons in a language (the dashboard shows them in the page's language)."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra
        self.worded: Callable[[Translator], str] | None = None
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
    (TemplateError, 422, "invalid-template", "The template is not valid"),
    (EventLogError, 422, "invalid-events", "The events cannot be read"),
    (TemplateNotFoundError, 404, "unknown-template", "No such template"),
    (InstanceNotFoundError, 404, "unknown-instance", "No such instance"),
    (InstanceExistsError, 409, "exists", "It exists already"),
    (ConflictError, 409, "conflict", "Another writer changed the instance first"),
    (IllegalTransitionError, 422, "illegal-transition", "The event is not allowed now"),
    (PlanInputError, 422, "invalid-input", "The input does not fit the template"),
)


def from_error(exc: CivicflowError) -> ApiProblem:
    """The problem a civicflow error is for a client."""
    for kind, status, slug, title in _ANSWERS:
        if isinstance(exc, kind):
            if isinstance(exc, TemplateError | EventLogError):
                return ApiProblem(status, slug, title, str(exc), problems=_problems(exc))
            detail = str(exc)
            if isinstance(exc, InstanceNotFoundError):
                # never the names of other instances: a token limited to some must not learn the rest
                detail = f"no tracked instance named {exc.name!r}"
            problem = ApiProblem(status, slug, title, detail)
            if isinstance(exc, IllegalTransitionError):
                problem.worded = exc.text
            return problem
    if isinstance(exc, StoreError):
        log.error("store error: %s", type(exc).__name__)
        return ApiProblem(
            503, "store-unavailable", "The store cannot answer", "the store cannot answer now; try again"
        )
    if isinstance(exc, ValueError):
        return ApiProblem(422, "invalid-input", "The input is not valid", str(exc))
    return ApiProblem(400, "bad-request", "The request cannot be served", str(exc))
