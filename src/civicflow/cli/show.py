"""``civicflow show``: a template as a readable outline that fits 80 columns."""

from __future__ import annotations

import argparse
import re
import textwrap

from civicflow._vocabulary import kind_words
from civicflow.calendar import Reading
from civicflow.cli._common import EXIT_OK, Console, add_lang_option, duration_text
from civicflow.exporters._common import window_words
from civicflow.i18n import Translator, _, format_day, translator
from civicflow.loader import load_template
from civicflow.template import (
    START,
    DateRange,
    Dependency,
    DurationSpan,
    ExactDate,
    ProcessTemplate,
    RelativeRule,
    RuleKind,
    Stage,
    Step,
    Timing,
    Window,
)

NAME = "show"
HELP = _("show a process template as an outline: stages, steps, timing, rules, responsible, channels")
EPILOG = _("""\
examples:
  civicflow show drohobych_kir
  civicflow show drohobych_kir --lang uk
  civicflow show my_process.yaml --lang en

TEMPLATE is a bundled template id (see `civicflow list`) or the path of a YAML
file. Titles are shown in --lang, falling back to English, then to the
template's own language.
""")

WIDTH = 80
_NBSP = "\N{NO-BREAK SPACE}"
_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not the no-break space, which str.split() would take


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("template", metavar="TEMPLATE", help=_("a bundled template id or a YAML file"))
    add_lang_option(parser)


def _of(template: ProcessTemplate, step_id: str, anchor: str, lang: str | None, tr: Translator) -> str:
    if step_id == START:
        return tr.gettext("the process start")
    try:
        name = tr.gettext("'{title}'").format(title=template.text(template.step(step_id).title, lang))
    except KeyError:  # a stage id
        name = step_id
    if anchor == "start":
        return tr.gettext("the start of {name} ({step})").format(name=name, step=step_id)
    return f"{name} ({step_id})"


def describe_timing(
    template: ProcessTemplate, timing: Timing, lang: str | None, tr: Translator | None = None
) -> str:
    """The timing of a step or stage in words: ``within 3 working days after 'First meeting' ...``."""
    tr = tr or translator()
    if isinstance(timing, ExactDate):
        text = tr.gettext("on {day}").format(day=format_day(timing.date, tr))
    elif isinstance(timing, DateRange):
        text = tr.gettext("from {start} to {end}").format(
            start=format_day(timing.start, tr), end=format_day(timing.end, tr)
        )
    elif isinstance(timing, Window):
        text = window_words(timing, tr)
    elif isinstance(timing, DurationSpan):
        text = tr.gettext("lasts {duration}").format(duration=duration_text(timing.duration, tr))
    else:
        text = _describe_rule(template, timing, lang, tr)
    if timing.type != "rule" and timing.label:
        label = template.text(timing.label, lang)
        if label.lower() not in text.lower():
            text += f' ("{label}")'
    return text


def _describe_rule(template: ProcessTemplate, rule: RelativeRule, lang: str | None, tr: Translator) -> str:
    of = _of(template, rule.of, rule.anchor, lang, tr)
    duration = duration_text(rule.duration, tr)
    if rule.rule is RuleKind.WITHIN:
        text = tr.gettext("within {duration} after {of}").format(duration=duration, of=of)
    elif rule.rule is RuleKind.AT_LEAST:
        text = tr.gettext("lasts at least {duration} from {of}").format(duration=duration, of=of)
    elif rule.rule is RuleKind.NO_LATER_THAN:
        reading = rule.reading or template.jurisdiction.reading
        how = _("reading A, count back") if reading is Reading.COUNT_BACK else _("reading B, clear days")
        text = tr.gettext("no later than {duration} before {of} ({reading})").format(
            duration=duration, of=of, reading=tr.gettext(how)
        )
    else:
        text = tr.gettext("not earlier than {duration} after {of}").format(duration=duration, of=of)
    if rule.reference:
        cites = {r.id: r.citation for r in template.references}
        text += f" [{cites.get(rule.reference, rule.reference)}]"
    return text


def _dependencies(deps: list[Dependency], tr: Translator) -> str:
    return ", ".join(d.step + (f" (+{duration_text(d.lag, tr)})" if d.lag else "") for d in deps)


def _kind(kind: str, tr: Translator) -> str:
    """A step's or channel's kind in words (``public discussion``)."""
    return kind_words(kind, None if tr.lang == "en" else tr)


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
        """``name: text`` (``name`` is an English msgid, shown in the outline's language)."""
        name = self.console.tr.gettext(name)
        if text:
            self.wrap(f"{name}: {text}", indent, hanging=len(name) + 2, lead=f"{name}:", style="grey")


def _org_names(template: ProcessTemplate, ids: list[str], lang: str | None) -> str:
    names = {o.id: template.text(o.name, lang) for o in template.organisations}
    return "; ".join(names.get(i, i) for i in ids)


_NUMBER = re.compile(r"^[0-9IVXivx]+(?:\.[0-9]+)*[a-z]?\.?$")
"""A place in the source document short enough to stand before a title as its number: 1, 3.5, IV."""


def _number(source: str | None) -> tuple[str, str | None]:
    """(the prefix of the title, the place in the source to show on a line of its own): ``3.5`` numbers
    the title; a longer description ("• 1, first part") is told apart, not read as a number."""
    if not source:
        return "", None
    if _NUMBER.match(source.strip()):
        return f"{source.strip()} ", None
    return "", source


def _step(out: _Outline, template: ProcessTemplate, step: Step, indent: int) -> None:
    lang = out.lang
    tr = out.console.tr
    number, place = _number(step.source)
    head = f"{number}{template.text(step.title, lang)}"
    out.wrap(f"• {head} [{step.id}, {_kind(step.kind.value, tr)}]", indent, lead="•", style="blue")
    inner = indent + 4
    if place is not None:
        out.field(_("in the source"), place, inner)
    if step.timing is not None:
        out.field(_("when"), describe_timing(template, step.timing, lang, tr), inner)
    elif step.recurrence is None:
        # the planner makes an undated step a window over its stage or the project
        if step.depends_on:
            undated = tr.gettext(
                "undated: a window, any day after its dependencies, within its stage or the project"
            )
        else:
            undated = tr.gettext("undated: a window, any day within its stage or the project")
        out.field(_("when"), undated, inner)
    if step.depends_on:
        out.field(_("after"), _dependencies(step.depends_on, tr), inner)
    if step.recurrence is not None:
        rec = step.recurrence
        words = template.text(rec.label, lang) if rec.label else ""
        rrule = rec.rrule or tr.gettext("frequency left open")
        out.field(_("repeats"), f"{words} ({rrule})" if words else rrule, inner)
    out.field(_("responsible"), _org_names(template, step.responsible, lang), inner)
    out.field(_("organizers"), _org_names(template, step.organizers, lang), inner)
    channels = []
    for channel in step.channels:
        text = _kind(channel.kind.value, tr)
        if channel.name:
            text = f"{template.text(channel.name, lang)} ({text})"
        if channel.url:
            text += f" <{channel.url}>"
        channels.append(text)
    out.field(_("channels"), "; ".join(channels), inner)
    if step.references:
        cites = {r.id: r.citation for r in template.references}
        out.field(_("references"), "; ".join(cites.get(r, r) for r in step.references), inner)
    if step.agenda:
        out.wrap(tr.gettext("agenda:"), inner, style="grey")
        for item in step.agenda:
            out.wrap(f"- {template.text(item, lang)}", inner + 2)


def _stage(out: _Outline, template: ProcessTemplate, stage: Stage, indent: int) -> None:
    lang = out.lang
    number, place = _number(stage.source)
    title = f"{number}{template.text(stage.title, lang)}"
    out.lines.append("")
    out.wrap(f"{title} [{stage.id}]", indent, lead=title, style="bold")
    tr = out.console.tr
    if place is not None:
        out.field(_("in the source"), place, indent + 2)
    if stage.timing is not None:
        out.field(_("when"), describe_timing(template, stage.timing, lang, tr), indent + 2)
    if stage.depends_on:
        out.field(_("after"), _dependencies(stage.depends_on, tr), indent + 2)
    out.field(_("responsible"), _org_names(template, stage.responsible, lang), indent + 2)
    for step in stage.steps:
        _step(out, template, step, indent + 2)
    for inner in stage.stages:
        _stage(out, template, inner, indent + 2)


def _nobreak(text: str) -> str:
    return text.replace(" ", _NBSP)


def outline(template: ProcessTemplate, console: Console, lang: str | None) -> list[str]:
    """The lines of the outline of ``template`` (at most 80 columns, before colour codes)."""
    out = _Outline(console, lang)
    tr = console.tr
    out.wrap(template.text(template.title, lang), 0, style="bold")
    juris = template.jurisdiction
    where = juris.country + (f"-{juris.subdivision}" if juris.subdivision else "")
    if juris.timezone:
        where += f", {juris.timezone}"
    steps = sum(1 for _ in template.iter_steps())
    stages = sum(1 for _ in template.iter_stages())
    counts = tr.gettext("{stages}, {steps}").format(
        stages=_nobreak(tr.ngettext("{n} stage", "{n} stages", stages).format(n=stages)),
        steps=_nobreak(tr.ngettext("{n} step", "{n} steps", steps).format(n=steps)),
    )
    out.wrap(
        tr.gettext("id {id}, version {version}, language {language}, calendar {calendar}; {counts}").format(
            id=template.id,
            version=template.version,
            language=template.language,
            calendar=where,
            counts=counts,
        ),
        0,
    )
    if template.start or template.end:
        if template.start and template.end:
            span = tr.gettext("{start} to {end}").format(
                start=format_day(template.start, tr), end=format_day(template.end, tr)
            )
        else:
            span = format_day(template.start or template.end, tr)  # type: ignore[arg-type]
        out.field(_("dates"), span, 0)
    if template.duration:
        out.field(_("duration"), duration_text(template.duration, tr), 0)
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
