"""From a compliance check to the statuses the exporters colour: one :class:`StatusEntry` per step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace

from civicflow.compliance import Finding, InstanceStatus, Status, severity, status
from civicflow.dates import local_day
from civicflow.events import Event, EventType
from civicflow.exporters._common import StatusEntry
from civicflow.template import ProcessTemplate

__all__ = ["statuses_for", "statuses_from_instance"]


def _entry(step: str, value: str, findings: list[Finding]) -> StatusEntry:
    deadlines = [f.deadline for f in findings if f.deadline is not None]
    actual = next((f.actual for f in findings if f.actual is not None), None)
    worst = max(findings, key=lambda f: severity(f.status), default=None)
    return StatusEntry(
        step=step,
        status=Status(value),
        deadline=min(deadlines) if deadlines else None,
        actual=actual,
        message=worst.explanation if worst is not None else "",
        reason=worst.reason if worst is not None else None,
    )


def statuses_from_instance(
    instance: InstanceStatus, done: Mapping[str, dt.date] | None = None
) -> dict[str, StatusEntry]:
    """Step id -> status entry, from :func:`civicflow.compliance.status` (template order kept).

    ``done`` gives the day each step was completed, for steps no rule binds (their findings carry none).
    """
    by_step: dict[str, list[Finding]] = {}
    for finding in instance.report.findings:
        by_step.setdefault(finding.step, []).append(finding)
    out: dict[str, StatusEntry] = {}
    for sid, st in instance.steps.items():
        entry = _entry(sid, st.value, by_step.get(sid, []))
        if entry.actual is None and done and sid in done:
            entry = replace(entry, actual=done[sid])
        out[sid] = entry
    return out


def statuses_for(
    template: ProcessTemplate,
    events: Iterable[Event],
    *,
    start: dt.date | None,
    as_of: dt.date,
    soon: int = 3,
) -> dict[str, StatusEntry]:
    """Check ``events`` against ``template`` as of ``as_of`` and give each step its status.

    ``soon`` is how many working days ahead a deadline counts as due soon.
    """
    events = list(events)
    local = template.working_calendar().timezone
    done = {e.step: local_day(e.at, local) for e in events if e.event is EventType.COMPLETE}
    result = status((template, events, start), as_of=as_of, soon=soon)
    return statuses_from_instance(result, done)
