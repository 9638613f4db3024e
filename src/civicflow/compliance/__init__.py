"""Compliance: what happened, checked against the legal rules of a process template.

:func:`check` turns a template and an event list into a :class:`Report` with one :class:`Finding` per
legal rule: ``ok``, ``violated``, ``disputable`` (met under one reading of a backward period only),
``pending``, ``overdue`` or ``skipped``, each citing the rule, its legal reference and how its deadline
was computed. :func:`status` and :func:`heat_map` summarise instances per step and per stage, each
step due by its legal deadline or, when no rule dates it, by the latest day the template's plan allows
(:class:`DueSource`). :func:`outlook` lists what is overdue or due in the coming days across instances.
Everything here is pure: the check date is always passed in (``as_of``).
See docs/compliance.md.
"""

from __future__ import annotations

from civicflow.compliance._agenda import Agenda, DueItem, UndatedDue, agenda, due_items, undated_items
from civicflow.compliance._check import check
from civicflow.compliance._due import DueSource
from civicflow.compliance._findings import Finding, FindingKind, FindingStatus, Report
from civicflow.compliance._outlook import DayUnit, Outlook, OutlookItem, UndatedItem, outlook
from civicflow.compliance._status import (
    HeatMap,
    HeatRow,
    InstanceStatus,
    Status,
    StepDetail,
    heat_map,
    severity,
    status,
)

__all__ = [
    "Agenda",
    "DayUnit",
    "DueItem",
    "DueSource",
    "Finding",
    "FindingKind",
    "FindingStatus",
    "HeatMap",
    "HeatRow",
    "InstanceStatus",
    "Outlook",
    "OutlookItem",
    "Report",
    "Status",
    "StepDetail",
    "UndatedDue",
    "UndatedItem",
    "agenda",
    "check",
    "due_items",
    "heat_map",
    "outlook",
    "severity",
    "status",
    "undated_items",
]
