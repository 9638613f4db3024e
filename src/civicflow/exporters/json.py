"""JSON export: :meth:`Schedule.to_dict` in the chosen language, with statuses when events were given."""

from __future__ import annotations

import json as _json
from typing import Any

from civicflow.exporters._common import ExportOptions
from civicflow.schedule import Schedule

__all__ = ["render"]


def render(schedule: Schedule, options: ExportOptions) -> str:
    """The schedule as indented JSON (UTF-8 text, ISO dates); ``statuses`` is added only with events."""
    data: dict[str, Any] = schedule.to_dict(options.lang)
    if options.statuses:
        data["as_of"] = options.as_of.isoformat() if options.as_of else None
        data["statuses"] = [
            {
                "step": e.step,
                "status": e.status.value,
                "deadline": e.deadline.isoformat() if e.deadline else None,
                "actual": e.actual.isoformat() if e.actual else None,
                "message": e.message,
            }
            for e in options.statuses.values()
        ]
    return _json.dumps(data, ensure_ascii=False, indent=2) + "\n"
