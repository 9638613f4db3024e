"""What every exporter shares: the options of a rendering, step statuses, and language-aware lookups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from civicflow.calendar import weekday_abbr
from civicflow.schedule import Schedule, ScheduledStage, ScheduledStep, Severity
from civicflow.template import ProcessTemplate, Step

__all__ = [
    "DOMAIN",
    "ExportOptions",
    "StatusEntry",
    "StepStatus",
    "channel_names",
    "fmt_day",
    "infeasible_words",
    "pick",
    "responsible_names",
    "stage_groups",
    "stage_title",
    "step_title",
    "template_step",
]

DOMAIN = "civicflow"
"""The domain part of iCalendar UIDs: ``drohobych_kir.publish_1@civicflow``."""


class StepStatus(StrEnum):
    """Where a step stands against its dates, as the timeline colours it."""

    PLANNED = "planned"  # no events were given
    DONE = "done"  # happened on time
    DONE_LATE = "done_late"  # happened, but after its deadline
    ON_TRACK = "on_track"  # not yet due
    DUE_SOON = "due_soon"  # due within the next few days
    OVERDUE = "overdue"  # its deadline passed and it has not happened
    DISPUTABLE = "disputable"  # on time under one legal reading, late under the other
    VIOLATED = "violated"  # under way or waiting, and a rule is already broken (began too early)
    NOT_STARTED = "not_started"  # nothing happened and no deadline is known yet
    SKIPPED = "skipped"  # skipped on purpose

    @property
    def label(self) -> str:
        """The words for the legend: ``done late``."""
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class StatusEntry:
    """The status of one step, with the dates it was judged on and a sentence saying why."""

    step: str
    status: StepStatus
    deadline: dt.date | None = None
    actual: dt.date | None = None
    message: str = ""


@dataclass(frozen=True)
class ExportOptions:
    """Everything an exporter may use besides the schedule.

    * ``lang``: the language of titles (falling back to English, then the original language);
    * ``template``: the process template, for responsible units, channels and agenda (optional);
    * ``as_of``: the day of the "today" line and the reference day of statuses;
    * ``now``: the iCalendar DTSTAMP; without it, midnight UTC of ``as_of`` (or of the schedule start),
      so that the same inputs always give the same bytes;
    * ``statuses``: step id -> :class:`StatusEntry`, from a compliance check of an event log;
    * ``alarm``: how long before a legal deadline the calendar reminds;
    * ``excel``: CSV as a spreadsheet in a ``;`` locale opens it (BOM, ``;``, CRLF);
    * ``today_word`` and ``month_abbrs``: the word of the chart's "today" line and the twelve month names
      of its axis, for a page in another language (English by default).
    """

    lang: str | None = None
    template: ProcessTemplate | None = None
    as_of: dt.date | None = None
    now: dt.datetime | None = None
    statuses: Mapping[str, StatusEntry] = field(default_factory=dict)
    alarm: dt.timedelta = dt.timedelta(days=2)
    excel: bool = False
    today_word: str = "today"
    month_abbrs: tuple[str, ...] | None = None

    def status(self, step_id: str) -> StepStatus:
        """The status of a step (``planned`` when no events were given)."""
        entry = self.statuses.get(step_id)
        return entry.status if entry else StepStatus.PLANNED

    def stamp(self, schedule: Schedule) -> dt.datetime:
        """The DTSTAMP of every calendar event: ``now``, or midnight UTC of ``as_of``/the start."""
        if self.now is not None:
            return self.now.astimezone(dt.UTC) if self.now.tzinfo else self.now.replace(tzinfo=dt.UTC)
        day = self.as_of or schedule.start
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def pick(text: Mapping[str, str] | None, lang: str | None, original: str | None = None) -> str:
    """``text`` in ``lang``, falling back to English, then the original language, then any."""
    if not text:
        return ""
    for key in (lang, "en", original):
        if key and key in text:
            return text[key]
    return next(iter(text.values()))


def step_title(schedule: Schedule, step: ScheduledStep, lang: str | None) -> str:
    """The title of a scheduled step in ``lang`` (with fallbacks); its id when it has none."""
    return pick(step.title, lang, schedule.language) or step.id


def stage_title(schedule: Schedule, stage: ScheduledStage, lang: str | None) -> str:
    """The title of a scheduled stage in ``lang`` (with fallbacks)."""
    return pick(stage.title, lang, schedule.language) or stage.id


def template_step(options: ExportOptions, step_id: str) -> Step | None:
    """The template's step with this id, when a template was given and knows it."""
    if options.template is None:
        return None
    try:
        return options.template.step(step_id)
    except KeyError:
        return None


def responsible_names(options: ExportOptions, step: ScheduledStep) -> list[str]:
    """The responsible units of a step by name (their ids when no template is at hand)."""
    template = options.template
    if template is None:
        return list(step.responsible)
    names = {o.id: template.text(o.name, options.lang) for o in template.organisations}
    return [names.get(org, org) for org in step.responsible]


def channel_names(options: ExportOptions, step_id: str) -> list[str]:
    """Where a step is published or held: ``website (https://...)``, ``facebook``, ..."""
    tstep = template_step(options, step_id)
    if tstep is None or options.template is None:
        return []
    out: list[str] = []
    for channel in tstep.channels:
        name = options.template.text(channel.name, options.lang) if channel.name else ""
        text = f"{channel.kind.value}: {name}" if name else channel.kind.value
        if channel.url:
            text += f" ({channel.url})"
        out.append(text)
    return out


def stage_groups(schedule: Schedule) -> Iterator[tuple[ScheduledStage | None, list[ScheduledStep]]]:
    """The steps grouped by their innermost stage, stages in schedule order; stage-less steps last."""
    by_stage: dict[str | None, list[ScheduledStep]] = {}
    for step in schedule.steps:
        by_stage.setdefault(step.stage, []).append(step)
    for stage in schedule.stages:
        if stage.id in by_stage:
            yield stage, by_stage.pop(stage.id)
    for stage_id, steps in by_stage.items():
        if stage_id is None:
            yield None, steps
        else:  # a stage the schedule does not list: keep its steps, titled by id
            yield (
                ScheduledStage(
                    id=stage_id, parent=None, title={}, start=steps[0].start, end=steps[-1].end, steps=()
                ),
                steps,
            )


def fmt_day(day: dt.date | None) -> str:
    """``2025-10-06 Mon`` (empty for None)."""
    return f"{day.isoformat()} {weekday_abbr(day)}" if day else ""


def infeasible_words(schedule: Schedule, recorded: bool) -> str:
    """The headline of a schedule with ERROR findings: which rules the facts break, or that the plan
    cannot hold. ``recorded``: the fixed days include events from a log."""
    errors = [f for f in schedule.findings if f.severity is Severity.ERROR]
    n = len(errors)
    rules = f"{n} rule{'' if n == 1 else 's'}"
    if schedule.broken_by_facts:
        return f"what happened breaks {rules}" if recorded else f"the fixed days break {rules}"
    if recorded:
        return f"what happened breaks {rules} or leaves the rest of the plan no room"
    return "the plan is not feasible"
