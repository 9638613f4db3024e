"""civicflow: a workflow and deadline engine for civic participation processes.

Load a process from a YAML template, plan a dated timeline with the working-day calendar of the country
where it runs, see which transitions are allowed now and why others are not, and check what happened
against the legal deadlines.

Everything public is listed in ``__all__``; anything else is private and may change.
"""

from __future__ import annotations

import importlib.metadata as _metadata
from typing import TYPE_CHECKING as _TYPE_CHECKING

from civicflow.calendar import Deadline, Overlay, OverlayError, Reading, WorkingCalendar, add_months
from civicflow.compliance import Finding, FindingStatus, Report, check, heat_map
from civicflow.durations import Duration, DurationUnit, NoIsoFormError
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
from civicflow.events import Event, EventType, LogLimits, read_event_log
from civicflow.exporters import ExportOptions, render
from civicflow.instance import ProcessInstance, StepState
from civicflow.loader import (
    TemplateInfo,
    list_templates,
    load_bundled_template,
    load_template,
    load_template_file,
    template_schema,
)
from civicflow.planner import plan
from civicflow.schedule import PlanFinding, Schedule, ScheduledStage, ScheduledStep
from civicflow.template import ProcessTemplate, Stage, Step

if _TYPE_CHECKING:
    from civicflow.store import Store

try:
    __version__ = _metadata.version("civicflow")
except _metadata.PackageNotFoundError:  # a source tree that was not installed
    __version__ = "0+unknown"

__all__ = [
    "CalendarRangeError",
    "CivicflowError",
    "ConflictError",
    "Deadline",
    "Duration",
    "DurationError",
    "DurationUnit",
    "Event",
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
    "render",
    "template_schema",
]


def __getattr__(name: str) -> object:
    # ``Store`` is imported on first use: it needs SQLAlchemy, which ``import civicflow`` must not load.
    if name == "Store":
        from civicflow.store import Store

        return Store
    raise AttributeError(f"module 'civicflow' has no attribute {name!r}")
