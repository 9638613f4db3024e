"""``civicflow show``: a template as a readable outline that fits 80 columns."""

from __future__ import annotations

import argparse
import calendar
import re
import textwrap

from civicflow.cli._common import EXIT_OK, Console, add_lang_option, plural, weekday_date
from civicflow.loader import load_template
from civicflow.template import (
    START,
    DateRange,
    Dependency,
    DurationSpan,
    ExactDate,
    MonthPart,
    ProcessTemplate,
    RelativeRule,
    RuleKind,
    Stage,
    Step,
    Timing,
    Window,
    WindowPart,
)

NAME = "show"
HELP = "show a process template as an outline: stages, steps, timing, rules, responsible, channels"
EPILOG = """\
examples:
  civicflow show drohobych_kir
  civicflow show drohobych_kir --lang uk
  civicflow show my_process.yaml --lang en

TEMPLATE is a bundled template id (see `civicflow list`) or the path of a YAML
file. Titles are shown in --lang, falling back to English, then to the
template's own language.
"""

WIDTH = 80
_NBSP = "\N{NO-BREAK SPACE}"
_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not the no-break space, which str.split() would take

_PART = {
    WindowPart.ANY: "{month}",
    WindowPart.BEGINNING: "the beginning of {month}",
    WindowPart.MID: "mid {month}",
    WindowPart.END: "the end of {month}",
    WindowPart.FIRST_HALF: "the first half of {month}",
    WindowPart.SECOND_HALF: "the second half of {month}",
    WindowPart.WEEK: "a week of {month}",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("template", metavar="TEMPLATE", help="a bundled template id or a YAML file")
    add_lang_option(parser)


def _month(part: MonthPart | Window) -> str:
    month = calendar.month_name[part.month or 1]
    if part.year is not None:
        month += f" {part.year}"
    return _PART[part.part].format(month=month)


def _of(template: ProcessTemplate, step_id: str, anchor: str, lang: str | None) -> str:
    if step_id == START:
        return "the process start"
    try:
        name = f"'{template.text(template.step(step_id).title, lang)}'"
    except KeyError:  # a stage id
        name = step_id
    return f"the {anchor} of {name} ({step_id})" if anchor == "start" else f"{name} ({step_id})"


def describe_timing(template: ProcessTemplate, timing: Timing, lang: str | None) -> str:
    """The timing of a step or stage in words: ``within 3 working days after 'First meeting' ...``."""
    if isinstance(timing, ExactDate):
        text = f"on {weekday_date(timing.date)}"
    elif isinstance(timing, DateRange):
        text = f"from {weekday_date(timing.start)} to {weekday_date(timing.end)}"
    elif isinstance(timing, Window):
        if timing.first is None and timing.until is not None:
            text = f"by {_month(timing.until)} (a window)"
        elif timing.until is not None:
            text = f"from {_month(timing)} to {_month(timing.until)} (a window)"
        else:
            text = f"in {_month(timing)} (a window)"
    elif isinstance(timing, DurationSpan):
        text = f"lasts {timing.duration}"
    else:
        text = _describe_rule(template, timing, lang)
    if timing.type != "rule" and timing.label:
        label = template.text(timing.label, lang)
        if label.lower() not in text.lower():
            text += f' ("{label}")'
    return text


def _describe_rule(template: ProcessTemplate, rule: RelativeRule, lang: str | None) -> str:
    of = _of(template, rule.of, rule.anchor, lang)
    if rule.rule is RuleKind.WITHIN:
        text = f"within {rule.duration} after {of}"
    elif rule.rule is RuleKind.AT_LEAST:
        text = f"lasts at least {rule.duration} from {of}"
    elif rule.rule is RuleKind.NO_LATER_THAN:
        reading = rule.reading or template.jurisdiction.reading
        text = f"no later than {rule.duration} before {of} (reading {reading.value})"
    else:
        text = f"not earlier than {rule.duration} after {of}"
    if rule.reference:
        cites = {r.id: r.citation for r in template.references}
        text += f" [{cites.get(rule.reference, rule.reference)}]"
    return text


def _dependencies(deps: list[Dependency]) -> str:
    return ", ".join(d.step + (f" (+{d.lag})" if d.lag else "") for d in deps)


class _Outline:
    """Collects wrapped lines."""

    def __init__(self, console: Console, lang: str | None) -> None:
        self.console = console
        self.lang = lang
        self.lines: list[str] = []

    def wrap(self, text: str, indent: int, hanging: int = 2, *, lead: str = "", style: str = "") -> None:
        """``text`` wrapped to 80 columns; colour comes after wrapping, so it never changes the width.

        ``lead`` (the start of ``text``) is shown in the colour ``style``, or the whole text when no
        ``lead`` is given; a no-break space keeps a number with its noun and becomes a space.
        """
        pad = " " * indent
        lines = textwrap.wrap(
            _SPACES.sub(" ", text).strip(),
            width=WIDTH,
            initial_indent=pad,
            subsequent_indent=pad + " " * hanging,
            break_on_hyphens=False,
        ) or [pad]
        lines = [line.replace(_NBSP, " ") for line in lines]
        lead = _SPACES.sub(" ", lead).strip()
        if style and lead and lines[0].startswith(pad + lead):
            lines[0] = pad + self.console.style(lead, style) + lines[0][indent + len(lead) :]
        elif style and lead:  # a lead longer than the first line: colour that line only
            lines[0] = pad + self.console.style(lines[0][indent:], style)
        elif style:
            lines = [line[:indent] + self.console.style(line[indent:], style) for line in lines]
        self.lines.extend(lines)

    def field(self, name: str, text: str, indent: int) -> None:
        if text:
            self.wrap(f"{name}: {text}", indent, hanging=len(name) + 2, lead=f"{name}:", style="grey")


def _org_names(template: ProcessTemplate, ids: list[str], lang: str | None) -> str:
    names = {o.id: template.text(o.name, lang) for o in template.organisations}
    return "; ".join(names.get(i, i) for i in ids)


def _step(out: _Outline, template: ProcessTemplate, step: Step, indent: int) -> None:
    lang = out.lang
    number = f"{step.source} " if step.source else ""
    head = f"{number}{template.text(step.title, lang)}"
    out.wrap(f"• {head} [{step.id}, {step.kind.value.replace('_', ' ')}]", indent, lead="•", style="blue")
    inner = indent + 4
    if step.timing is not None:
        out.field("when", describe_timing(template, step.timing, lang), inner)
    elif step.recurrence is None:
        # the planner makes an undated step a window over its stage or the project
        after = "after its dependencies, " if step.depends_on else ""
        out.field("when", f"undated: a window, any day {after}within its stage or the project", inner)
    if step.depends_on:
        out.field("after", _dependencies(step.depends_on), inner)
    if step.recurrence is not None:
        rec = step.recurrence
        words = template.text(rec.label, lang) if rec.label else ""
        rrule = rec.rrule or "frequency left open"
        out.field("repeats", f"{words} ({rrule})" if words else rrule, inner)
    out.field("responsible", _org_names(template, step.responsible, lang), inner)
    out.field("organizers", _org_names(template, step.organizers, lang), inner)
    channels = []
    for channel in step.channels:
        text = channel.kind.value.replace("_", " ")
        if channel.name:
            text = f"{template.text(channel.name, lang)} ({text})"
        if channel.url:
            text += f" <{channel.url}>"
        channels.append(text)
    out.field("channels", "; ".join(channels), inner)
    if step.references:
        cites = {r.id: r.citation for r in template.references}
        out.field("references", "; ".join(cites.get(r, r) for r in step.references), inner)
    if step.agenda:
        out.wrap("agenda:", inner, style="grey")
        for item in step.agenda:
            out.wrap(f"- {template.text(item, lang)}", inner + 2)


def _stage(out: _Outline, template: ProcessTemplate, stage: Stage, indent: int) -> None:
    lang = out.lang
    number = f"{stage.source} " if stage.source else ""
    title = f"{number}{template.text(stage.title, lang)}"
    out.lines.append("")
    out.wrap(f"{title} [{stage.id}]", indent, lead=title, style="bold")
    if stage.timing is not None:
        out.field("when", describe_timing(template, stage.timing, lang), indent + 2)
    if stage.depends_on:
        out.field("after", _dependencies(stage.depends_on), indent + 2)
    out.field("responsible", _org_names(template, stage.responsible, lang), indent + 2)
    for step in stage.steps:
        _step(out, template, step, indent + 2)
    for inner in stage.stages:
        _stage(out, template, inner, indent + 2)


def _nobreak(text: str) -> str:
    return text.replace(" ", _NBSP)


def outline(template: ProcessTemplate, console: Console, lang: str | None) -> list[str]:
    """The lines of the outline of ``template`` (at most 80 columns, before colour codes)."""
    out = _Outline(console, lang)
    out.wrap(template.text(template.title, lang), 0, style="bold")
    juris = template.jurisdiction
    where = juris.country + (f"-{juris.subdivision}" if juris.subdivision else "")
    if juris.timezone:
        where += f", {juris.timezone}"
    steps = sum(1 for _ in template.iter_steps())
    stages = sum(1 for _ in template.iter_stages())
    out.wrap(
        f"id {template.id}, version {template.version}, language {template.language}, calendar {where}; "
        f"{_nobreak(plural(stages, 'stage'))}, {_nobreak(plural(steps, 'step'))}",
        0,
    )
    if template.start or template.end:
        span = " to ".join(weekday_date(d) for d in (template.start, template.end) if d)
        out.field("dates", span, 0)
    if template.duration:
        out.field("duration", str(template.duration), 0)
    if template.description:
        out.lines.append("")
        out.wrap(template.text(template.description, lang), 0, hanging=0)
    for stage in template.stages:
        _stage(out, template, stage, 0)
    return out.lines


def run(args: argparse.Namespace, console: Console) -> int:
    template = load_template(args.template)
    for line in outline(template, console, args.lang):
        console.print(line)
    return EXIT_OK
