"""What every exporter shares: the options of a rendering, step statuses, and language-aware lookups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from civicflow._vocabulary import Status, kind_words
from civicflow.i18n import _, format_day, weekday_name
from civicflow.schedule import PlanFinding, Schedule, ScheduledStage, ScheduledStep, Severity
from civicflow.template import MonthPart, ProcessTemplate, Step, Window, WindowPart

if TYPE_CHECKING:
    from civicflow.calendar import Deadline
    from civicflow.i18n import Translator
    from civicflow.messages import Message

__all__ = [
    "DOMAIN",
    "ExportOptions",
    "StatusEntry",
    "Words",
    "channel_names",
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


# The words of each status and step kind for people, marked for the catalogs (the values stay English
# in JSON and CSV).
_STATUS_WORDS = {
    Status.PLANNED: _("planned"),
    Status.DONE: _("done"),
    Status.DONE_LATE: _("done late"),
    Status.ON_TRACK: _("on track"),
    Status.DUE_SOON: _("due soon"),
    Status.OVERDUE: _("overdue"),
    Status.DISPUTABLE: _("disputable"),
    Status.VIOLATED: _("violated"),
    Status.NOT_STARTED: _("not started"),
    Status.SKIPPED: _("skipped"),
}
_SEVERITY_WORDS = {"error": _("error"), "warning": _("warning"), "info": _("info")}


@dataclass(frozen=True)
class StatusEntry:
    """The status of one step, with the dates it was judged on and a sentence saying why."""

    step: str
    status: Status
    deadline: dt.date | None = None
    actual: dt.date | None = None
    message: str = ""
    reason: Message | None = field(default=None, compare=False, repr=False)

    def text(self, translator: Translator | None = None) -> str:
        """Why the step has its status, in ``translator``'s language (``message`` is the English)."""
        if self.reason is None or translator is None:
            return self.message
        return self.reason.render(translator)


@dataclass(frozen=True)
class ExportOptions:
    """Everything an exporter may use besides the schedule.

    * ``lang``: the language of the document: titles (falling back to English, then the original
      language), headings, legends, status words, dates' weekdays and explanations (``uk``, ``bg``,
      ``ru``, ``en``); JSON keys, CSV columns and status values stay English;
    * ``template``: the process template, for responsible units, channels and agenda (optional);
    * ``as_of``: the day of the "today" line and the reference day of statuses;
    * ``now``: the iCalendar DTSTAMP; without it, midnight UTC of ``as_of`` (or of the schedule start),
      so that the same inputs always give the same bytes;
    * ``statuses``: step id -> :class:`StatusEntry`, from a compliance check of an event log;
    * ``alarm``: how long before a legal deadline the calendar reminds;
    * ``excel``: CSV as a spreadsheet in a ``;`` locale opens it (BOM, ``;``, CRLF);
    * ``today_word`` and ``month_abbrs``: the word of the chart's "today" line and the twelve month names
      of its axis, for a page that embeds the chart in its own words (by default those of ``lang``).
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

    def status(self, step_id: str) -> Status:
        """The status of a step (``planned`` when no events were given)."""
        entry = self.statuses.get(step_id)
        return entry.status if entry else Status.PLANNED

    def stamp(self, schedule: Schedule) -> dt.datetime:
        """The DTSTAMP of every calendar event: ``now``, or midnight UTC of ``as_of``/the start."""
        if self.now is not None:
            return self.now.astimezone(dt.UTC) if self.now.tzinfo else self.now.replace(tzinfo=dt.UTC)
        day = self.as_of or schedule.start
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


class Words:
    """The words of one export in its language: ``words("Deadline")``, ``words.day(d)``, ``words.status(s)``.

    English (``lang`` None or ``"en"``) loads no catalog and no Babel; a language civicflow does not
    speak falls back to English for civicflow's own words (titles still follow ``lang``).
    """

    __slots__ = ("lang", "tr")

    def __init__(self, lang: str | None) -> None:
        from civicflow.i18n import LANGUAGES, translator

        self.lang = lang or "en"
        self.tr: Translator | None = translator(lang) if lang in LANGUAGES and lang != "en" else None

    def __call__(self, message: str) -> str:
        """``message`` (an English msgid marked with ``_()``) in this language."""
        return message if self.tr is None else self.tr.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The plural form for ``n``, formatted with ``{n}``."""
        text = (singular if n == 1 else plural) if self.tr is None else self.tr.ngettext(singular, plural, n)
        return text.format(n=n)

    def day(self, day: dt.date | None) -> str:
        """``2025-10-06 Mon`` (``2025-10-06 пн``; empty for None)."""
        if day is None:
            return ""
        return format_day(day, self.tr)

    def days(self, first: dt.date, last: dt.date) -> str:
        """``2025-10-06 Mon .. 2025-10-30 Thu``, or the one day when ``first`` is ``last``."""
        return self.day(first) if first == last else f"{self.day(first)} .. {self.day(last)}"

    def deadline(self, step: ScheduledStep) -> str:
        """A step's legal deadline: ``2025-10-09 Thu``, or ``2025-10-09 Thu .. 2025-11-04 Tue`` while the
        day its rule counts from is not decided (empty without a deadline)."""
        span = step.deadline_span
        if span is None:
            return ""
        return self.days(*span)

    def weekday(self, day: dt.date) -> str:
        """``Mon`` (English), ``пн`` ..."""
        return weekday_name(day, self.tr)

    def month(self, month: int) -> str:
        """``Nov`` (English), ``лист.`` ... : the month named briefly, as a chart's axis shows it."""
        from civicflow.calendar import MONTH_ABBRS

        return MONTH_ABBRS[month - 1] if self.tr is None else self.tr.month(month, "abbreviated")

    def status(self, status: Status) -> str:
        """The status for people: ``done late``, ``виконано із запізненням``."""
        return self(_STATUS_WORDS[status])

    def severity(self, severity: Severity | str) -> str:
        """``error``, ``warning``, ``info`` for people."""
        words = _SEVERITY_WORDS.get(str(severity))
        return self(words) if words is not None else str(severity)

    def kind(self, kind: str) -> str:
        """A step kind for people: ``public discussion``, ``громадське обговорення``."""
        return kind_words(kind, self.tr)

    def explain(self, deadline: Deadline) -> str:
        """How a deadline was reached, in this language."""
        return deadline.explain(self.tr)

    def finding(self, finding: PlanFinding) -> str:
        """A plan finding in this language where the planner words it as a message."""
        return finding.text(self.tr)

    def entry(self, entry: StatusEntry) -> str:
        """Why a step has its status, in this language."""
        return entry.text(self.tr)


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
    tr = Words(options.lang).tr
    for channel in tstep.channels:
        name = options.template.text(channel.name, options.lang) if channel.name else ""
        kind = kind_words(channel.kind.value, tr)
        text = f"{kind}: {name}" if name else kind
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


def infeasible_words(schedule: Schedule, recorded: bool, words: Words | None = None) -> str:
    """The headline of a schedule with ERROR findings: which rules the facts break, or that the plan
    cannot hold. ``recorded``: the fixed days include events from a log."""
    w = words if words is not None else Words(None)
    n = sum(1 for f in schedule.findings if f.severity is Severity.ERROR)
    if schedule.broken_by_facts and recorded:
        return w.ngettext("what happened breaks {n} rule", "what happened breaks {n} rules", n)
    if schedule.broken_by_facts:
        return w.ngettext("the fixed days break {n} rule", "the fixed days break {n} rules", n)
    if recorded:
        return w.ngettext(
            "what happened breaks {n} rule or leaves the rest of the plan no room",
            "what happened breaks {n} rules or leaves the rest of the plan no room",
            n,
        )
    return w(_("the plan is not feasible"))


def _month_name(number: int, tr: Translator) -> str:
    """A month named as a window's phrases use it: English, or the form Babel gives for dates (the
    genitive in Ukrainian and Russian: ``листопада``, ``ноября``)."""
    if tr.lang == "en":
        return tr.month(number)
    from babel.dates import get_month_names

    return str(get_month_names("wide", context="format", locale=tr.lang)[number])


def month_phrase(part: MonthPart | Window, tr: Translator) -> str:
    """The month (part) of a window in words: ``the beginning of November 2025``, ``початок листопада``
    (the outline of ``civicflow show`` and the dashboard's template page)."""
    month = _month_name(part.month or 1, tr)
    if part.year is not None:
        month += f" {part.year}"
    words = {
        WindowPart.ANY: tr.gettext("{month}"),
        WindowPart.BEGINNING: tr.gettext("the beginning of {month}"),
        WindowPart.MID: tr.gettext("mid {month}"),
        WindowPart.END: tr.gettext("the end of {month}"),
        WindowPart.FIRST_HALF: tr.gettext("the first half of {month}"),
        WindowPart.SECOND_HALF: tr.gettext("the second half of {month}"),
        WindowPart.WEEK: tr.gettext("a week of {month}"),
    }
    return words[part.part].format(month=month)


def window_words(window: Window, tr: Translator) -> str:
    """A window in words: ``in October (a window)``, ``from October to the beginning of November (a
    window)``, ``by the end of October (a window)``."""
    if window.first is None and window.until is not None:
        return tr.gettext("by {month} (a window)").format(month=month_phrase(window.until, tr))
    if window.until is not None:
        return tr.gettext("from {first} to {until} (a window)").format(
            first=month_phrase(window, tr), until=month_phrase(window.until, tr)
        )
    return tr.gettext("in {month} (a window)").format(month=month_phrase(window, tr))
