"""civicflow: a workflow and deadline engine for civic participation processes.

Load a process from a YAML template, plan a dated timeline with the working-day calendar of the country
where it runs, see which transitions are allowed now and why others are not, and check what happened
against the legal deadlines.

Everything public is listed in ``__all__``; anything else is private and may change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING as _TYPE_CHECKING

from civicflow.errors import (
    CalendarRangeError,
    CivicflowError,
    ConflictError,
    DurationError,
    EventLogError,
    IllegalTransitionError,
    InstanceExistsError,
    InstanceNotFoundError,
    PlanInputError,
    Problem,
    StoreError,
    TemplateError,
    TemplateNotFoundError,
    UnknownFormatError,
    UnknownJurisdictionError,
    UnknownStepError,
)

if _TYPE_CHECKING:
    from civicflow.calendar import Deadline, Overlay, OverlayError, Reading, WorkingCalendar, add_months
    from civicflow.compliance import Finding, FindingStatus, Report, check, heat_map
    from civicflow.durations import Duration, DurationUnit, NoIsoFormError
    from civicflow.events import Event, EventType
    from civicflow.exporters import ExportOptions, render
    from civicflow.instance import ProcessInstance, StepState
    from civicflow.loader import (
        EventLog,
        LogLimits,
        TemplateInfo,
        list_templates,
        load_bundled_template,
        load_template,
        load_template_file,
        read_event_log,
        read_event_text,
        template_schema,
    )
    from civicflow.planner import plan
    from civicflow.schedule import PlanFinding, Schedule, ScheduledStage, ScheduledStep
    from civicflow.store import Store
    from civicflow.template import ProcessTemplate, Stage, Step

    __version__: str

# Where each public name lives. ``import civicflow`` loads only the errors; every other name is imported
# on first use (PEP 562), so that a command or a program pays only for what it uses (the store needs
# SQLAlchemy, the exporters icalendar, templates pydantic).
_LAZY: dict[str, tuple[str, ...]] = {
    "civicflow.calendar": ("Deadline", "Overlay", "OverlayError", "Reading", "WorkingCalendar", "add_months"),
    "civicflow.compliance": ("Finding", "FindingStatus", "Report", "check", "heat_map"),
    "civicflow.durations": ("Duration", "DurationUnit", "NoIsoFormError"),
    "civicflow.events": ("Event", "EventType"),
    "civicflow.exporters": ("ExportOptions", "render"),
    "civicflow.instance": ("ProcessInstance", "StepState"),
    "civicflow.loader": (
        "EventLog",
        "LogLimits",
        "TemplateInfo",
        "list_templates",
        "load_bundled_template",
        "load_template",
        "load_template_file",
        "read_event_log",
        "read_event_text",
        "template_schema",
    ),
    "civicflow.planner": ("plan",),
    "civicflow.schedule": ("PlanFinding", "Schedule", "ScheduledStage", "ScheduledStep"),
    "civicflow.store": ("Store",),
    "civicflow.template": ("ProcessTemplate", "Stage", "Step"),
}
_HOME: dict[str, str] = {name: module for module, names in _LAZY.items() for name in names}

__all__ = [
    "CalendarRangeError",
    "CivicflowError",
    "ConflictError",
    "Deadline",
    "Duration",
    "DurationError",
    "DurationUnit",
    "Event",
    "EventLog",
    "EventLogError",
    "EventType",
    "ExportOptions",
    "Finding",
    "FindingStatus",
    "IllegalTransitionError",
    "InstanceExistsError",
    "InstanceNotFoundError",
    "LogLimits",
    "NoIsoFormError",
    "Overlay",
    "OverlayError",
    "PlanFinding",
    "PlanInputError",
    "Problem",
    "ProcessInstance",
    "ProcessTemplate",
    "Reading",
    "Report",
    "Schedule",
    "ScheduledStage",
    "ScheduledStep",
    "Stage",
    "Step",
    "StepState",
    "Store",
    "StoreError",
    "TemplateError",
    "TemplateInfo",
    "TemplateNotFoundError",
    "UnknownFormatError",
    "UnknownJurisdictionError",
    "UnknownStepError",
    "WorkingCalendar",
    "__version__",
    "add_months",
    "check",
    "heat_map",
    "list_templates",
    "load_bundled_template",
    "load_template",
    "load_template_file",
    "plan",
    "read_event_log",
    "read_event_text",
    "render",
    "template_schema",
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
