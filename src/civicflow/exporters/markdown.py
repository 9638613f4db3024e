"""Markdown report: the process, its stages with a table of steps, deadlines explained, findings."""

from __future__ import annotations

from civicflow._vocabulary import Status
from civicflow.exporters._common import (
    ExportOptions,
    Words,
    infeasible_words,
    responsible_names,
    stage_groups,
    stage_title,
    step_title,
)
from civicflow.exporters._safe import md_text
from civicflow.i18n import _
from civicflow.schedule import Schedule, ScheduledStep

__all__ = ["cell", "render"]

_CALENDAR = _("Calendar")
_CRITICAL_PATH = _("Critical path")
_SEE_BELOW = _("see the findings below.")
_STATUS_AS_OF = _("Status as of")


def cell(text: str) -> str:
    """``text`` safe inside a Markdown table cell or heading: one line, pipes and markup escaped, no HTML,
    no links (:func:`~civicflow.exporters._safe.md_text`)."""
    return md_text(text)


def _when(step: ScheduledStep, w: Words) -> str:
    if step.occurrences:
        first, last = step.occurrence_spans[0][0], step.occurrence_spans[-1][1]
        n = len(step.occurrences)
        if step.occurrence_windows:
            times = w.ngettext(
                "{n} time (each a window of its period)", "{n} times (each a window of its period)", n
            )
        else:
            times = w.ngettext("{n} time", "{n} times", n)
        return f"{times}, {w.day(first)} … {w.day(last)}"
    if step.window:
        return w(_("window {first} – {last} (undecided)")).format(
            first=w.day(step.start), last=w.day(step.end)
        )
    if step.span:
        return f"{w.day(step.start)} – {w.day(step.end)}"
    return w.day(step.start)


def render(schedule: Schedule, options: ExportOptions) -> str:
    """The schedule as a Markdown report: a summary, the stages' tables, the deadlines with their rules,
    the plan's findings and (with statuses) the compliance table."""
    w = Words(options.lang)
    out = _summary(schedule, options, w)
    out += _stages(schedule, options, w)
    out += _deadlines(schedule, options, w)
    out += _findings(schedule, w)
    if options.statuses:
        out += _compliance(options, w)
    return "\n".join(out).rstrip("\n") + "\n"


def _summary(schedule: Schedule, options: ExportOptions, w: Words) -> list[str]:
    """The title and the facts of the plan as a list: process, dates, calendar, fixed days, critical
    path, feasibility, the day of the statuses."""
    template = options.template
    title = template.text(template.title, options.lang) if template else schedule.process
    out: list[str] = [f"# {cell(title)}", ""]
    process, planned = w(_("Process")), w(_("Planned"))
    out.append(f"- {process}: `{schedule.process}`")
    out.append(f"- {planned}: {w.day(schedule.start)} – {w.day(schedule.end)}")
    if template is not None:
        juris = template.jurisdiction
        where = juris.country + (f"-{juris.subdivision}" if juris.subdivision else "")
        out.append(f"- {w(_CALENDAR)}: {where}")
    if schedule.fixed:
        fixed = ", ".join(f"`{k}` = {w.day(v)}" for k, v in sorted(schedule.fixed.items()))
        label = w(_("Fixed or recorded days")) if options.statuses else w(_("Fixed dates"))
        out.append(f"- {label}: {fixed}")
    if schedule.critical_path:
        path = " → ".join(f"`{s}`" for s in schedule.critical_path)
        out.append(f"- {w(_CRITICAL_PATH)}: {path}")
    if not schedule.feasible:
        why = infeasible_words(schedule, bool(options.statuses), w)
        out.append(f"- **{why}**: {w(_SEE_BELOW)}")
    if options.as_of is not None and options.statuses:
        out.append(f"- {w(_STATUS_AS_OF)}: {w.day(options.as_of)}")
    out.append("")
    return out


def _stages(schedule: Schedule, options: ExportOptions, w: Words) -> list[str]:
    """One table of steps per stage (with a status column when there are statuses)."""
    lang = options.lang
    with_status = bool(options.statuses)
    out = ["## " + w(_("Stages")), ""]
    for stage, steps in stage_groups(schedule):
        if stage is None:
            out.append("### " + w(_("Other steps")))
        else:
            out.append(f"### {cell(stage_title(schedule, stage, lang))}")
            out.append("")
            out.append(f"{w.day(stage.start)} – {w.day(stage.end)}")
        out.append("")
        columns = [w(_("Step")), w(_("Kind")), w(_("When")), w(_("Deadline")), w(_("Responsible"))]
        if with_status:
            columns.append(w(_("Status")))
        out.append("| " + " | ".join(columns) + " |")
        out.append("|" + "---|" * len(columns))
        for step in steps:
            name = cell(step_title(schedule, step, lang))
            if step.critical:
                name = f"**{name}**"
            row = [
                f"{name} (`{step.id}`)",
                cell(w.kind(step.kind)),
                cell(_when(step, w)),
                w.deadline(step),
                cell("; ".join(responsible_names(options, step))),
            ]
            if with_status:
                row.append(cell(w.status(options.status(step.id))))
            out.append("| " + " | ".join(row) + " |")
        out.append("")
    return out


def _deadlines(schedule: Schedule, options: ExportOptions, w: Words) -> list[str]:
    """Each step a rule binds: its deadline and how each rule counts it."""
    bound = [s for s in schedule.steps if s.deadline is not None or s.rules]
    if not bound:
        return []
    out = ["## " + w(_("Deadlines")), ""]
    for step in bound:
        head = f"- **{cell(step_title(schedule, step, options.lang))}** (`{step.id}`)"
        if step.deadline:
            head += ": " + w(_("no later than {day}")).format(day=w.deadline(step))
        out.append(head)
        for rule in step.rules:
            out.append(f"  - {cell(w.explain(rule))}")
        if not step.rules and step.explanation:
            out.append(f"  - {cell(' '.join(step.explain(w.tr)))}")
    out.append("")
    return out


def _findings(schedule: Schedule, w: Words) -> list[str]:
    """The plan's findings (or, when recorded days break rules, the findings), with their steps."""
    if not schedule.findings:
        return []
    out = ["## " + (w(_("Findings")) if schedule.broken_by_facts else w(_("Plan findings"))), ""]
    for finding in schedule.findings:
        where = f" ({', '.join(f'`{s}`' for s in finding.steps)})" if finding.steps else ""
        out.append(f"- **{w.severity(finding.severity)}**: {cell(w.finding(finding))}{where}")
    out.append("")
    return out


_MARKED = (Status.OVERDUE, Status.DONE_LATE, Status.DISPUTABLE, Status.VIOLATED)
"""Statuses the compliance table shows in bold."""


def _compliance(options: ExportOptions, w: Words) -> list[str]:
    """Each step's status, deadline and actual day; steps not started and without a deadline counted
    below the table."""
    out = ["## " + w(_("Compliance")), ""]
    heads = [w(_("Step")), w(_("Status")), w(_("Deadline")), w(_("Actual")), w(_("Note"))]
    out.append("| " + " | ".join(heads) + " |")
    out.append("|---|---|---|---|---|")
    waiting = 0
    for entry in options.statuses.values():
        if entry.status is Status.NOT_STARTED and not entry.deadline:
            waiting += 1
            continue
        status = cell(w.status(entry.status))
        if entry.status in _MARKED:
            status = f"**{status}**"
        out.append(
            f"| `{entry.step}` | {status} | {w.day(entry.deadline)} | {w.day(entry.actual)} "
            f"| {cell(w.entry(entry))} |"
        )
    out.append("")
    if waiting:
        out.append(
            w.ngettext(
                "{n} more step has not started and has no deadline yet.",
                "{n} more steps have not started and have no deadline yet.",
                waiting,
            )
        )
        out.append("")
    return out
