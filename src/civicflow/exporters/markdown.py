"""Markdown report: the process, its stages with a table of steps, deadlines explained, findings."""

from __future__ import annotations

from civicflow.exporters._common import (
    ExportOptions,
    StepStatus,
    fmt_day,
    infeasible_words,
    responsible_names,
    stage_groups,
    stage_title,
    step_title,
)
from civicflow.exporters._safe import md_text
from civicflow.schedule import Schedule, ScheduledStep

__all__ = ["cell", "render"]


def cell(text: str) -> str:
    """``text`` safe inside a Markdown table cell or heading: one line, pipes and markup escaped, no HTML,
    no links (:func:`~civicflow.exporters._safe.md_text`)."""
    return md_text(text)


def _when(step: ScheduledStep) -> str:
    if step.occurrences:
        first, last = step.occurrence_spans[0][0], step.occurrence_spans[-1][1]
        each = " (each a window of its period)" if step.occurrence_windows else ""
        return f"{len(step.occurrences)} times{each}, {fmt_day(first)} … {fmt_day(last)}"
    if step.window:
        return f"window {fmt_day(step.start)} – {fmt_day(step.end)} (undecided)"
    if step.span:
        return f"{fmt_day(step.start)} – {fmt_day(step.end)}"
    return fmt_day(step.start)


def render(schedule: Schedule, options: ExportOptions) -> str:
    """The schedule as a Markdown report."""
    lang = options.lang
    template = options.template
    title = template.text(template.title, lang) if template else schedule.process
    out: list[str] = [f"# {cell(title)}", ""]
    out.append(f"- Process: `{schedule.process}`")
    out.append(f"- Planned: {fmt_day(schedule.start)} – {fmt_day(schedule.end)}")
    if template is not None:
        juris = template.jurisdiction
        where = juris.country + (f"-{juris.subdivision}" if juris.subdivision else "")
        out.append(f"- Calendar: {where}")
    if schedule.fixed:
        fixed = ", ".join(f"`{k}` = {v.isoformat()}" for k, v in sorted(schedule.fixed.items()))
        out.append(f"- {'Fixed or recorded days' if options.statuses else 'Fixed dates'}: {fixed}")
    if schedule.critical_path:
        out.append(f"- Critical path: {' → '.join(f'`{s}`' for s in schedule.critical_path)}")
    if not schedule.feasible:
        out.append(f"- **{infeasible_words(schedule, bool(options.statuses))}**: see the findings below.")
    if options.as_of is not None and options.statuses:
        out.append(f"- Status as of: {fmt_day(options.as_of)}")
    out.append("")

    with_status = bool(options.statuses)
    out.append("## Stages")
    out.append("")
    for stage, steps in stage_groups(schedule):
        if stage is None:
            out.append("### Other steps")
        else:
            out.append(f"### {cell(stage_title(schedule, stage, lang))}")
            out.append("")
            out.append(f"{fmt_day(stage.start)} – {fmt_day(stage.end)}")
        out.append("")
        columns = ["Step", "Kind", "When", "Deadline", "Responsible"] + (["Status"] if with_status else [])
        out.append("| " + " | ".join(columns) + " |")
        out.append("|" + "---|" * len(columns))
        for step in steps:
            name = cell(step_title(schedule, step, lang))
            if step.critical:
                name = f"**{name}**"
            row = [
                f"{name} (`{step.id}`)",
                step.kind.replace("_", " "),
                cell(_when(step)),
                fmt_day(step.deadline),
                cell("; ".join(responsible_names(options, step))),
            ]
            if with_status:
                row.append(options.status(step.id).label)
            out.append("| " + " | ".join(row) + " |")
        out.append("")

    bound = [s for s in schedule.steps if s.deadline is not None or s.rules]
    if bound:
        out.append("## Deadlines")
        out.append("")
        for step in bound:
            head = f"- **{cell(step_title(schedule, step, lang))}** (`{step.id}`)"
            if step.deadline:
                head += f": no later than {fmt_day(step.deadline)}"
            out.append(head)
            for rule in step.rules:
                out.append(f"  - {cell(rule.explain())}")
            if not step.rules and step.explanation:
                out.append(f"  - {cell(' '.join(step.explanation))}")
        out.append("")

    if schedule.findings:
        out.append("## Findings" if schedule.broken_by_facts else "## Plan findings")
        out.append("")
        for finding in schedule.findings:
            where = f" ({', '.join(f'`{s}`' for s in finding.steps)})" if finding.steps else ""
            out.append(f"- **{finding.severity}**: {cell(finding.message)}{where}")
        out.append("")

    if with_status:
        out.append("## Compliance")
        out.append("")
        out.append("| Step | Status | Deadline | Actual | Note |")
        out.append("|---|---|---|---|---|")
        waiting = 0
        for entry in options.statuses.values():
            if entry.status is StepStatus.NOT_STARTED and not entry.deadline:
                waiting += 1
                continue
            status = entry.status.label
            if entry.status in (
                StepStatus.OVERDUE,
                StepStatus.DONE_LATE,
                StepStatus.DISPUTABLE,
                StepStatus.VIOLATED,
            ):
                status = f"**{status}**"
            out.append(
                f"| `{entry.step}` | {status} | {fmt_day(entry.deadline)} | {fmt_day(entry.actual)} "
                f"| {cell(entry.message)} |"
            )
        out.append("")
        if waiting:
            out.append(f"{waiting} more steps have not started and have no deadline yet.")
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
