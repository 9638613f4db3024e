"""The JSON documents of ``plan``, ``check`` and ``lint``, built once for the command line and the service.

``civicflow plan/check/lint --format json`` print these documents and ``civicflow serve`` answers with
them, so that the API and the CLI give the same verdict in the same words on the same input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from civicflow.errors import Problem, TemplateError, TemplateNotFoundError

if TYPE_CHECKING:  # `plan` imports this module; it needs neither compliance nor the template model
    from civicflow.compliance import InstanceStatus
    from civicflow.schedule import Schedule
    from civicflow.template import ProcessTemplate

__all__ = ["check_document", "lint_document", "plan_document"]


def plan_document(schedule: Schedule, lang: str | None = None) -> dict[str, Any]:
    """The document of ``civicflow plan --format json``: the schedule, titles in ``lang``."""
    return schedule.to_dict(lang)


def check_document(st: InstanceStatus, events: str) -> dict[str, Any]:
    """The document of ``civicflow check --format json``: the report's findings and summary, ``steps``
    with each step's status and due day, and ``events``, where the log came from."""
    payload = st.report.to_dict()
    payload["steps"] = [d.to_dict() for d in st.details.values()]
    payload["events"] = events
    return payload


def lint_document(name: str, load: Callable[[], ProcessTemplate]) -> dict[str, Any]:
    """One entry of ``civicflow lint --format json``: ``load()`` the template named ``name`` and say
    whether it is valid, with every problem (line and column) when it is not."""
    try:
        template = load()
    except TemplateError as exc:
        return {"template": name, "ok": False, "problems": [p.to_dict() for p in exc.problems]}
    except TemplateNotFoundError as exc:
        problem = Problem(str(exc).removeprefix(f"{name}: "), source=name)
        return {"template": name, "ok": False, "problems": [problem.to_dict()]}
    return {
        "template": name,
        "ok": True,
        "id": template.id,
        "stages": sum(1 for _ in template.iter_stages()),
        "steps": sum(1 for _ in template.iter_steps()),
        "problems": [],
    }
