"""civicflow: a workflow and deadline engine for civic participation processes.

Load a process from a YAML template, plan a dated timeline with the working-day calendar of the country
where it runs, see which transitions are allowed now and why others are not, and check what happened
against the legal deadlines.

Everything public is listed in ``__all__``: the names a program needs to load templates, plan, follow
instances, read event logs, check them, export and store. The sub-packages (``civicflow.calendar``,
``civicflow.compliance``, ``civicflow.exporters``, ``civicflow.store``, ...) list more in their own
``__all__`` (every error is in ``civicflow.errors``); a name in none of them, or in a module whose name
begins with ``_``, is private and may change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING as _TYPE_CHECKING

from civicflow.errors import (
    CivicflowError,
    EventLogError,
    IllegalTransitionError,
    Problem,
    TemplateError,
    TemplateNotFoundError,
    UnknownStepError,
)

if _TYPE_CHECKING:
    from civicflow.calendar import Deadline, WorkingCalendar
    from civicflow.compliance import Finding, Report, check
    from civicflow.durations import Duration
    from civicflow.events import Event, EventType
    from civicflow.exporters import ExportOptions, render
    from civicflow.instance import ProcessInstance
    from civicflow.loader import (
        EventLog,
        list_templates,
        load_bundled_template,
        load_template,
        load_template_file,
        read_event_log,
        read_event_text,
    )
    from civicflow.planner import plan
    from civicflow.schedule import Schedule
    from civicflow.store import Store
    from civicflow.template import ProcessTemplate

    __version__: str

# Where each public name lives. ``import civicflow`` loads only the errors; every other name is imported
# on first use (PEP 562), so that a command or a program pays only for what it uses (the store needs
# SQLAlchemy, the exporters icalendar, templates pydantic).
_LAZY: dict[str, tuple[str, ...]] = {
    "civicflow.calendar": ("Deadline", "WorkingCalendar"),
    "civicflow.compliance": ("Finding", "Report", "check"),
    "civicflow.durations": ("Duration",),
    "civicflow.events": ("Event", "EventType"),
    "civicflow.exporters": ("ExportOptions", "render"),
    "civicflow.instance": ("ProcessInstance",),
    "civicflow.loader": (
        "EventLog",
        "list_templates",
        "load_bundled_template",
        "load_template",
        "load_template_file",
        "read_event_log",
        "read_event_text",
    ),
    "civicflow.planner": ("plan",),
    "civicflow.schedule": ("Schedule",),
    "civicflow.store": ("Store",),
    "civicflow.template": ("ProcessTemplate",),
}
_HOME: dict[str, str] = {name: module for module, names in _LAZY.items() for name in names}

__all__ = [
    "CivicflowError",
    "Deadline",
    "Duration",
    "Event",
    "EventLog",
    "EventLogError",
    "EventType",
    "ExportOptions",
    "Finding",
    "IllegalTransitionError",
    "Problem",
    "ProcessInstance",
    "ProcessTemplate",
    "Report",
    "Schedule",
    "Store",
    "TemplateError",
    "TemplateNotFoundError",
    "UnknownStepError",
    "WorkingCalendar",
    "__version__",
    "check",
    "list_templates",
    "load_bundled_template",
    "load_template",
    "load_template_file",
    "plan",
    "read_event_log",
    "read_event_text",
    "render",
]


def __getattr__(name: str) -> object:
    if name == "__version__":
        import importlib.metadata

        try:
            version = importlib.metadata.version("civicflow")
        except importlib.metadata.PackageNotFoundError:  # a source tree that was not installed
            version = "0+unknown"
        globals()[name] = version
        return version
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'civicflow' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
