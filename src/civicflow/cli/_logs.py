"""Event logs named on the command line, each with the template it follows, found the same way everywhere.

The template of a log is ``--template`` (or ``check``'s TEMPLATE argument) when given, else the log's own
``template:`` key. A log that names another template than the one given is refused by the reader; a log
that names none when none is given is refused here, saying what to add.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from civicflow.errors import EventLogError, Problem
from civicflow.i18n import Translator, translator
from civicflow.loader import EventLog, load_template, read_event_log
from civicflow.loader._events import read_log_template
from civicflow.template import ProcessTemplate

__all__ = ["LoadedLog", "load_logs"]


@dataclass(frozen=True)
class LoadedLog:
    """A log read against its template; ``name`` is the file's stem (made unique with ``'``)."""

    name: str
    path: str
    template: ProcessTemplate
    log: EventLog


def _template_key(path: str) -> str | None:
    """The ``template:`` key of a log, read without its records (they are read against the template
    later, in its zone, so that every bad record is reported at once, an unknown step among them)."""
    return read_log_template(path)


def load_logs(paths: list[str], template: str | None, tr: Translator | None = None) -> list[LoadedLog]:
    """Every log of ``paths`` read against its template (``template``, else the log's ``template:`` key).

    Every problem of every log is collected into one :class:`EventLogError`.
    """
    templates: dict[str, ProcessTemplate] = {}
    if template is not None:
        given = load_template(template)
        templates[template] = given
    problems: list[Problem] = []
    loaded: list[LoadedLog] = []
    names: set[str] = set()
    for path in paths:
        try:
            key = template if template is not None else _template_key(path)
            if key is None:
                said = (tr or translator()).gettext(
                    "the log does not say its template; add 'template: <id>' to it (YAML, JSON) or give "
                    "--template TEMPLATE_OR_ID"
                )
                problems.append(Problem(said, source=path))
                continue
            if key not in templates:
                templates[key] = load_template(key)
            tmpl = templates[key]
            # naive times: the log's own timezone: key, else the jurisdiction's zone (events.py)
            log = read_event_log(path, template=tmpl)
        except EventLogError as exc:
            problems.extend(exc.problems)
            continue
        name = Path(path).stem
        while name in names:
            name += "'"
        names.add(name)
        loaded.append(LoadedLog(name=name, path=path, template=tmpl, log=log))
    if problems:
        raise EventLogError(problems)
    return loaded
