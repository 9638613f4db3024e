"""HTML export: one self-contained page with the timeline as an SVG Gantt chart, a legend and a table.

The page makes no network request: the CSS is inline, the chart is inline SVG, there is no script, no
web font and no image. Every piece of text goes through :func:`html.escape`.

The chart shows stages as groups (a grey bracket over their days), spans as bars, point events as
diamonds, undecided windows as hatched bars, legal deadlines as red ticks, critical steps with a dark
outline and a "today" line at ``options.as_of``. With statuses (from a compliance check of an event log)
the shapes take the colour of their status: done, on track, due soon, overdue, done late, disputable.
"""

from __future__ import annotations

import datetime as dt
import html as _html

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
from civicflow.i18n import _
from civicflow.schedule import Schedule, ScheduledStage, ScheduledStep

__all__ = ["CHART_CSS", "COLORS", "render", "status_css", "timeline"]

_LEGEND = (
    Status.DONE,
    Status.DONE_LATE,
    Status.ON_TRACK,
    Status.DUE_SOON,
    Status.OVERDUE,
    Status.DISPUTABLE,
    Status.VIOLATED,
    Status.NOT_STARTED,
    Status.SKIPPED,
)
"""The statuses a timeline's legend explains, in its order (``planned`` is the colour without a log)."""

COLORS: dict[Status, str] = {
    Status.PLANNED: "#4c78a8",
    Status.DONE: "#2e7d32",
    Status.ON_TRACK: "#5aa9e6",
    Status.DUE_SOON: "#f2a900",
    Status.OVERDUE: "#c62828",
    Status.DONE_LATE: "#e8710a",
    Status.DISPUTABLE: "#8e44ad",
    Status.VIOLATED: "#7f0000",
    Status.NOT_STARTED: "#9aa5b8",
    Status.SKIPPED: "#d3d7de",
}
"""The fill colour of each status."""

_PROCESS = _("process")

_LABEL_W = 360  # the column of row labels, in px
_ROW_H = 24
_AXIS_H = 54
_PAD_DAYS = 3
_CHART_W = 900.0  # the time axis fits a 1400 px wide window next to the labels
_LABEL_CHARS = 46  # what fits in the label column at 12 px

_CSS = """
:root { color-scheme: light; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
  margin: 24px; color: #1d2330; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
.meta { color: #555; margin: 0 0 12px; }
.meta span { margin-right: 18px; }
.chart { overflow-x: auto; border: 1px solid #d8dce3; border-radius: 6px; background: #fff; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
  fill: #1d2330; }
svg .axis text { fill: #555; font-size: 11px; }
svg .month { stroke: #c9ced8; stroke-width: 1; }
svg .week { stroke: #eef0f4; stroke-width: 1; }
svg .weekend { fill: #f6f7f9; }
svg .stage-row { fill: #eef1f6; }
svg .stage-label { font-weight: 600; }
svg .stage-bar { fill: #9aa3b2; }
svg .bar { stroke: #ffffff; stroke-width: 1; }
svg .bar.crit { stroke: #1d2330; stroke-width: 2; }
svg .bar.window { fill-opacity: 0.35; stroke-dasharray: 4 2; stroke: #555; }
svg .hatch-over { fill: url(#hatch); pointer-events: none; }
svg .occ { stroke: #fff; stroke-width: 1; }
svg .deadline { stroke: #c62828; stroke-width: 2; }
svg .today { stroke: #d81b60; stroke-width: 2; stroke-dasharray: 6 3; }
svg .today-label { fill: #d81b60; font-weight: 600; font-size: 11px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 12px 0; padding: 0; list-style: none;
  font-size: 13px; }
.legend li { display: flex; align-items: center; gap: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #e3e6ec; }
th { background: #f3f5f8; position: sticky; top: 0; }
td.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.rule { color: #444; max-width: 480px; }
.chip { display: inline-block; padding: 0 6px; border-radius: 9px; color: #fff; font-size: 12px;
  white-space: nowrap; }
.findings li { margin: 2px 0; }
.sev-error { color: #c62828; font-weight: 600; }
.sev-warning { color: #a66a00; font-weight: 600; }
"""


CHART_CSS = _CSS[_CSS.index("svg text {") : _CSS.index(".legend {")]
"""The style of the chart's shapes (the colour of each status: :func:`status_css`), for pages that show
the chart of :func:`timeline` among their own content."""


def _e(text: object) -> str:
    return _html.escape(str(text), quote=True)


def status_css() -> str:
    """The colour of each status, for the chart's shapes and the chips of the table."""
    rules = []
    for status, color in COLORS.items():
        rules.append(f"svg .st-{status.value} {{ fill: {color}; }}")
        rules.append(f".chip.st-{status.value} {{ background: {color}; }}")
    return "\n".join(rules)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _Chart:
    """Coordinates of the chart: days to x, rows to y."""

    def __init__(self, schedule: Schedule, as_of: dt.date | None) -> None:
        days = [schedule.start, schedule.end]
        for step in schedule.steps:
            days += [step.start, step.end, *step.occurrences]
            if step.deadline:
                days.append(step.deadline)
        for stage in schedule.stages:
            days += [stage.start, stage.end]
        lo, hi = min(days), max(days)
        self.today_outside: str | None = None
        if as_of is not None:
            near = dt.timedelta(days=45)
            if lo - near <= as_of <= hi + near:
                lo, hi = min(lo, as_of), max(hi, as_of)
            else:
                self.today_outside = "before" if as_of < lo else "after"
        self.lo = lo - dt.timedelta(days=_PAD_DAYS)
        self.hi = hi + dt.timedelta(days=_PAD_DAYS)
        self.ndays = (self.hi - self.lo).days + 1
        self.dayw = max(2.5, min(28.0, _CHART_W / self.ndays))
        self.width = _LABEL_W + self.ndays * self.dayw + 16

    def x(self, day: dt.date) -> float:
        """The left edge of ``day``."""
        return _LABEL_W + (day - self.lo).days * self.dayw

    def days(self) -> list[dt.date]:
        return [self.lo + dt.timedelta(days=i) for i in range(self.ndays)]


def _label_width(text: str) -> float:
    """About how wide ``text`` is in the axis' 11 px font, with the 4 px gap before it."""
    return 4 + 7 * len(text)


def _room_before_next_month(chart: _Chart, day: dt.date) -> float:
    """The pixels from ``day`` to the first of the next month (where that month's label starts)."""
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (following - day).days * chart.dayw


def _axis(chart: _Chart, height: float, months: tuple[str, ...] | list[str]) -> list[str]:
    out = ['<g class="axis">']
    for day in chart.days():
        x = chart.x(day)
        if chart.dayw >= 5 and day.weekday() >= 5:
            out.append(
                f'<rect class="weekend" x="{x:.1f}" y="{_AXIS_H}" width="{chart.dayw:.1f}" '
                f'height="{height - _AXIS_H:.1f}"/>'
            )
        if day.day == 1 or day == chart.lo:
            out.append(f'<line class="month" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height:.1f}"/>')
            label = f"{months[day.month - 1]} {day.year}"
            if day.day == 1 or _room_before_next_month(chart, day) >= _label_width(label):
                out.append(f'<text x="{x + 4:.1f}" y="14">{_e(label)}</text>')
        elif day.weekday() == 0 and chart.dayw >= 2.5:
            out.append(f'<line class="week" x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{height:.1f}"/>')
            if chart.dayw * 7 >= 28:
                out.append(f'<text x="{x + 2:.1f}" y="30">{day.day}</text>')
    out.append("</g>")
    return out


def _step_shapes(
    schedule: Schedule, step: ScheduledStep, options: ExportOptions, chart: _Chart, y: float, w: Words
) -> list[str]:
    title = step_title(schedule, step, options.lang)
    status = options.status(step.id)
    classes = ["bar", f"st-{status.value}"]
    if step.critical:
        classes.append("crit")
    tip_parts = [title, w.days(step.start, step.end)]
    if step.window:
        tip_parts.append(w(_("window: date not decided yet")))
    if step.deadline:
        tip_parts.append(w(_("deadline {day}")).format(day=w.deadline(step)))
    if options.statuses:
        tip_parts.append(w.status(status))
    tip = f"<title>{_e(' · '.join(tip_parts))}</title>"
    x0, x1 = chart.x(step.start), chart.x(step.end) + chart.dayw
    top, h = y + 5, _ROW_H - 10
    mid = y + _ROW_H / 2
    out: list[str] = []
    data = f'data-step="{_e(step.id)}" data-status="{status.value}"'
    if step.window:
        classes.append("window")
        out.append(
            f'<rect class="{" ".join(classes)}" {data} x="{x0:.1f}" y="{top:.1f}" '
            f'width="{max(x1 - x0, 3):.1f}" height="{h}" rx="3">{tip}</rect>'
        )
        out.append(
            f'<rect class="hatch-over" x="{x0:.1f}" y="{top:.1f}" width="{max(x1 - x0, 3):.1f}" '
            f'height="{h}" rx="3"/>'
        )
    elif step.span:
        classes.append("span")
        out.append(
            f'<rect class="{" ".join(classes)}" {data} x="{x0:.1f}" y="{top:.1f}" '
            f'width="{max(x1 - x0, 3):.1f}" height="{h}" rx="3">{tip}</rect>'
        )
    else:
        classes.append("point")
        cx, r = x0 + chart.dayw / 2, _ROW_H / 2 - 3
        out.append(
            f'<polygon class="{" ".join(classes)}" {data} points="{cx:.1f},{mid - r:.1f} '
            f'{cx + r:.1f},{mid:.1f} {cx:.1f},{mid + r:.1f} {cx - r:.1f},{mid:.1f}">{tip}</polygon>'
        )
    for day, last in step.occurrence_spans:
        if last != day:  # the source fixes only the period of this occurrence: a thin window bar
            ox0, ox1 = chart.x(day), chart.x(last) + chart.dayw
            out.append(
                f'<rect class="occ window st-{status.value}" x="{ox0 + 1:.1f}" y="{mid - 3:.1f}" '
                f'width="{max(ox1 - ox0 - 2, 3):.1f}" height="6" rx="2">'
                f"<title>{_e(w.days(day, last))}</title></rect>"
            )
            continue
        cx, r = chart.x(day) + chart.dayw / 2, 4.5
        out.append(
            f'<polygon class="occ st-{status.value}" points="{cx:.1f},{mid - r:.1f} {cx + r:.1f},{mid:.1f} '
            f'{cx:.1f},{mid + r:.1f} {cx - r:.1f},{mid:.1f}"><title>{_e(w.day(day))}</title></polygon>'
        )
    if step.deadline:
        tip_deadline = w(_("legal deadline {day}")).format(day=w.deadline(step))
        dx = chart.x(step.deadline) + chart.dayw
        out.append(
            f'<line class="deadline" x1="{dx:.1f}" y1="{y + 2:.1f}" x2="{dx:.1f}" y2="{y + _ROW_H - 2:.1f}">'
            f"<title>{_e(tip_deadline)}</title></line>"
        )
    return out


def timeline(schedule: Schedule, options: ExportOptions) -> str:
    """The Gantt chart of ``schedule`` as inline SVG (styled by :data:`CHART_CSS` and :func:`status_css`)."""
    return _svg(schedule, options)


def _svg(schedule: Schedule, options: ExportOptions, w: Words | None = None) -> str:
    w = w if w is not None else Words(options.lang)
    chart = _Chart(schedule, options.as_of)
    rows: list[str] = []
    depth = {s.id: 0 for s in schedule.stages}
    parents = {s.id: s.parent for s in schedule.stages}
    for stage in schedule.stages:
        p, n = stage.parent, 0
        while p is not None and n < 20:
            n, p = n + 1, parents.get(p)
        depth[stage.id] = n
    y = float(_AXIS_H)
    for group, steps in stage_groups(schedule):
        indent = 0
        if group is not None:
            indent = depth.get(group.id, 0) * 12
            rows.append(_stage_row(schedule, group, options, chart, y, indent))
            y += _ROW_H
        for step in steps:
            label = _short(step_title(schedule, step, options.lang), _LABEL_CHARS - indent // 7)
            rows.append(
                f'<g class="row" data-row="{_e(step.id)}"><text x="{14 + indent}" y="{y + 16:.1f}">'
                f"{_e(label)}<title>{_e(step_title(schedule, step, options.lang))}</title></text>"
            )
            rows.extend(_step_shapes(schedule, step, options, chart, y, w))
            rows.append("</g>")
            y += _ROW_H
    height = y + 8
    aria = w(_("timeline"))
    # the chart's own words: given by the caller (the dashboard), else the document's language
    today = options.today_word if options.today_word != "today" else w(_("today"))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{chart.width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {chart.width:.0f} {height:.0f}" aria-label="{_e(aria)}">',
        "<defs>",
        '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#333" '
        'stroke-width="1.5" stroke-opacity="0.55"/></pattern>',
        "</defs>",
        *_axis(chart, height, options.month_abbrs or tuple(w.month(m) for m in range(1, 13))),
        *rows,
    ]
    if options.as_of is not None:
        if chart.today_outside is None:
            tx = chart.x(options.as_of) + chart.dayw / 2
            anchor = "end" if tx > chart.width - 120 else "start"
            shift = -4 if anchor == "end" else 4
            label = f"{today} {options.as_of.isoformat()}"
        else:
            before = chart.today_outside == "before"
            tx = _LABEL_W + 1 if before else chart.width - 17
            anchor = "start" if before else "end"
            shift = 4 if before else -4
            arrow = "←" if before else "→"
            day = options.as_of.isoformat()
            label = f"{arrow} {today} {day}" if before else f"{today} {day} {arrow}"
        out.append(
            f'<line class="today" data-date="{options.as_of.isoformat()}" x1="{tx:.1f}" y1="{_AXIS_H - 14}" '
            f'x2="{tx:.1f}" y2="{height:.1f}"/>'
        )
        out.append(
            f'<text class="today-label" x="{tx + shift:.1f}" y="{_AXIS_H - 6}" text-anchor="{anchor}">'
            f"{_e(label)}</text>"
        )
    out.append("</svg>")
    return "\n".join(out)


def _stage_row(
    schedule: Schedule, stage: ScheduledStage, options: ExportOptions, chart: _Chart, y: float, indent: int
) -> str:
    title = stage_title(schedule, stage, options.lang)
    x0, x1 = chart.x(stage.start), chart.x(stage.end) + chart.dayw
    tip = f"{title} · {stage.start.isoformat()} – {stage.end.isoformat()}"
    return (
        f'<g class="stage" data-stage="{_e(stage.id)}">'
        f'<rect class="stage-row" x="0" y="{y:.1f}" width="{chart.width:.0f}" height="{_ROW_H}"/>'
        f'<text class="stage-label" x="{4 + indent}" y="{y + 16:.1f}">'
        f"{_e(_short(title, _LABEL_CHARS - indent // 7))}<title>{_e(tip)}</title></text>"
        f'<rect class="stage-bar" x="{x0:.1f}" y="{y + 9:.1f}" width="{max(x1 - x0, 2):.1f}" '
        'height="6" rx="2">'
        f"<title>{_e(tip)}</title></rect></g>"
    )


def _swatch(inner: str) -> str:
    return f'<svg width="34" height="16" viewBox="0 0 34 16" aria-hidden="true">{inner}</svg>'


def _legend(options: ExportOptions, w: Words) -> str:
    items = [
        (_swatch('<rect class="bar st-planned" x="1" y="3" width="32" height="10" rx="2"/>'), w(_("span"))),
        (_swatch('<polygon class="bar st-planned" points="17,1 24,8 17,15 10,8"/>'), w(_("point event"))),
        (
            _swatch(
                '<rect class="bar window st-planned" x="1" y="3" width="32" height="10" rx="2"/>'
                '<rect class="hatch-over" x="1" y="3" width="32" height="10" rx="2"/>'
            ),
            w(_("window (date not decided)")),
        ),
        (
            _swatch('<rect class="bar crit st-planned" x="2" y="3" width="30" height="10" rx="2"/>'),
            w(_("critical step")),
        ),
        (_swatch('<line class="deadline" x1="17" y1="1" x2="17" y2="15"/>'), w(_("legal deadline"))),
        (_swatch('<rect class="stage-bar" x="1" y="5" width="32" height="6" rx="2"/>'), w(_("stage"))),
    ]
    if options.as_of is not None:
        items.append((_swatch('<line class="today" x1="17" y1="0" x2="17" y2="16"/>'), w(_("today"))))
    if options.statuses:
        for status in _LEGEND:
            items.append(
                (
                    _swatch(f'<rect class="st-{status.value}" x="1" y="3" width="32" height="10" rx="2"/>'),
                    w.status(status),
                )
            )
    lis = "".join(f"<li>{svg}<span>{_e(text)}</span></li>" for svg, text in items)
    return f'<ul class="legend">{lis}</ul>'


def _table(schedule: Schedule, options: ExportOptions, w: Words) -> str:
    stage_names = {s.id: stage_title(schedule, s, options.lang) for s in schedule.stages}
    head = [w(_("Step")), w(_("Stage")), w(_("Kind")), w(_("Start")), w(_("End")), w(_("Deadline"))]
    if options.statuses:
        head.append(w(_("Status")))
    head += [w(_("Responsible")), w(_("How the dates were reached"))]
    rows = ["<tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"]
    window = w(_("window"))
    for step in schedule.steps:
        title = step_title(schedule, step, options.lang)
        name = f"<strong>{_e(title)}</strong>" if step.critical else _e(title)
        kind = w.kind(step.kind) + (f" ({window})" if step.window else "")
        cells = [
            f"<td>{name}<br><code>{_e(step.id)}</code></td>",
            f"<td>{_e(stage_names.get(step.stage or '', step.stage or ''))}</td>",
            f"<td>{_e(kind)}</td>",
            f'<td class="date">{_e(w.day(step.start))}</td>',
            f'<td class="date">{_e(w.day(step.end))}</td>',
            f'<td class="date">{_e(w.deadline(step))}</td>',
        ]
        if options.statuses:
            status = options.status(step.id)
            entry = options.statuses.get(step.id)
            tip = f' title="{_e(w.entry(entry))}"' if entry and entry.message else ""
            cells.append(f'<td><span class="chip st-{status.value}"{tip}>{_e(w.status(status))}</span></td>')
        rule = " ".join(step.explain(w.tr)) or "; ".join(w.explain(r) for r in step.rules)
        cells.append(f"<td>{_e('; '.join(responsible_names(options, step)))}</td>")
        cells.append(f'<td class="rule">{_e(rule)}</td>')
        rows.append(f'<tr data-step="{_e(step.id)}">' + "".join(cells) + "</tr>")
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def render(schedule: Schedule, options: ExportOptions) -> str:
    """The schedule as one self-contained HTML page."""
    template = options.template
    title = template.text(template.title, options.lang) if template else schedule.process
    lang = options.lang or schedule.language
    w = Words(options.lang)
    meta = [
        f"<span>{_e(w(_PROCESS))} <code>{_e(schedule.process)}</code></span>",
        f"<span>{_e(w.day(schedule.start))} – {_e(w.day(schedule.end))}</span>",
    ]
    if options.as_of is not None:
        as_of = w(_("as of {day}")).format(day=w.day(options.as_of))
        meta.append(f"<span>{_e(as_of)}</span>")
    if not schedule.feasible:
        why = infeasible_words(schedule, bool(options.statuses), w)
        see = w(_("see the findings"))
        meta.append(f'<span class="sev-error">{_e(why)}: {_e(see)}</span>')
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="civicflow">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}{status_css()}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{"".join(meta)}</p>',
        _legend(options, w),
        f'<div class="chart">{_svg(schedule, options, w)}</div>',
    ]
    if schedule.findings:
        items = "".join(
            f'<li><span class="sev-{_e(f.severity)}">{_e(w.severity(f.severity))}</span>: '
            f"{_e(w.finding(f))}</li>"
            for f in schedule.findings
        )
        head = w(_("Findings")) if schedule.broken_by_facts else w(_("Plan findings"))
        parts.append(f'<h2>{_e(head)}</h2><ul class="findings">{items}</ul>')
    steps_head = w(_("Steps"))
    parts.append(f"<h2>{_e(steps_head)}</h2>")
    parts.append(_table(schedule, options, w))
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
