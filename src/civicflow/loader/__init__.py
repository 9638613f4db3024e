"""Load process templates and event logs safely, with every problem reported at its file, line and column.

``load_template("drohobych_kir")`` reads a bundled template by id; ``load_template("my.yaml")`` reads a
file. Loading goes text -> safe YAML nodes (no Python tags, no duplicate keys, bounded size, depth and
alias expansion; YAML 1.2 scalars, so ``NO`` stays text) -> plain data with positions -> the pydantic model
-> the structural checks. A template that is not valid raises one :class:`~civicflow.errors.TemplateError`
that carries every :class:`~civicflow.errors.Problem` found, each saying what would be right.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from civicflow._files import FileRefused, read_regular_file
from civicflow.errors import Problem, TemplateError, TemplateNotFoundError
from civicflow.i18n import _
from civicflow.loader._bundled import _bundled_files, bundled_dir, bundled_ids, find_template
from civicflow.loader._events import (
    EventLog,
    LogLimits,
    csv_dialect,
    load_event_log,
    read_event_log,
    read_event_text,
)
from civicflow.loader._problems import describe, document_path, shown_value
from civicflow.loader._yaml import Limits, ParsedDocument, YamlProblems, parse_yaml
from civicflow.messages import Message, Param, Term
from civicflow.template import FORMAT_VERSION, ProcessTemplate, stage_paths, structural_problems

__all__ = [
    "SCHEMA_ID",
    "EventLog",
    "Limits",
    "LogLimits",
    "TemplateInfo",
    "bundled_dir",
    "bundled_ids",
    "csv_dialect",
    "find_template",
    "list_templates",
    "load_bundled_template",
    "load_event_log",
    "load_template",
    "load_template_file",
    "parse_template_text",
    "read_event_log",
    "read_event_text",
    "template_schema",
]

SCHEMA_ID = f"urn:civicflow:process-template:{FORMAT_VERSION}"
"""The ``$id`` of the JSON Schema of templates."""

Path_ = tuple[str | int, ...]

_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")


@dataclass(frozen=True)
class TemplateInfo:
    """A bundled template as ``civicflow list`` shows it (read without full validation)."""

    id: str
    title: dict[str, str]
    path: Path
    country: str | None = None
    stages: int = 0
    steps: int = 0
    error: str | None = field(default=None, compare=False)
    """The first problem when the file cannot even be read as YAML."""

    def title_in(self, lang: str = "en") -> str:
        """The title in ``lang``, else English, else any."""
        for key in (lang, "en"):
            if key in self.title:
                return self.title[key]
        return next(iter(self.title.values()), "")


def _read(path: Path, source: str, limits: Limits) -> str:
    try:
        data = read_regular_file(path, limits.max_bytes)
    except FileRefused as exc:
        if str(exc).startswith("the file is larger"):
            raise TemplateError([_too_big(source, limits)], source) from None
        raise TemplateError([Problem.of(exc.args[0], source)], source) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        message = Message(
            _("not UTF-8 text (byte 0x{byte} cannot be decoded); save the file as UTF-8"), byte=bad
        )
        raise TemplateError([Problem.of(message, source, line, column)], source) from None


def _too_big(source: str | None, limits: Limits) -> Problem:
    return Problem.of(
        Message(
            _("the file is larger than {size} bytes; a template is far smaller (is this the right file?)"),
            size=f"{limits.max_bytes:,}",
        ),
        source,
    )


def _title_problems(template: ProcessTemplate) -> list[Problem]:
    """Process, stage and step titles need the original language and English."""
    needed = list(dict.fromkeys((template.language, "en")))
    titles: list[tuple[Path_, dict[str, str], str]] = [(("title",), template.title, "the process title")]
    for spath, stage in stage_paths(template):
        titles.append(((*spath, "title"), stage.title, f"stage {stage.id!r}"))
        for j, step in enumerate(stage.steps):
            titles.append(((*spath, "steps", j, "title"), step.title, f"step {step.id!r}"))
    problems: list[Problem] = []
    for path, title, what in titles:
        missing = [lang for lang in needed if lang not in title]
        if missing:
            shown = " and ".join(repr(lang) for lang in missing)
            problems.append(
                Problem(
                    f"{what} has no {shown} text; process, stage and step titles need the original "
                    f"language ({template.language}) and English (en)",
                    path=path,
                )
            )
    return problems


def _locate(problem: Problem, doc: ParsedDocument, *, key: bool = False) -> Problem:
    position = doc.position(problem.path, key=key)
    line, column = position if position else (None, None)
    return Problem(problem.message, doc.source, line, column, problem.path, problem.worded)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def parse_template_text(
    text: str, source_name: str | None = None, *, limits: Limits | None = None
) -> ProcessTemplate:
    """Read a template from YAML text; ``source_name`` is the file name used in messages.

    Raises :class:`~civicflow.errors.TemplateError` listing every problem.
    """
    limits = limits or Limits()
    source = source_name
    if len(text) > limits.max_bytes or len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        raise TemplateError([_too_big(source, limits)], source)
    try:
        doc = parse_yaml(text, source, limits)
    except YamlProblems as exc:
        raise TemplateError(_sorted(exc.problems), source) from None
    data: Any = doc.data
    if data is None:
        raise TemplateError(
            [
                Problem.of(
                    Message(
                        _("the file is empty; a template starts with 'civicflow: {version}'"),
                        version=FORMAT_VERSION,
                    ),
                    source,
                    1,
                    1,
                )
            ],
            source,
        )
    if not isinstance(data, dict):
        line, column = doc.values.get((), (1, 1))
        # text is not quoted back
        shown: Param = Term(_("text")) if isinstance(data, str) else shown_value(data)
        not_mapping = Message(
            _(
                "a template is a mapping of fields (civicflow: {version}, id: ..., title: ...); "
                "this document is {shown}"
            ),
            version=FORMAT_VERSION,
            shown=shown,
        )
        raise TemplateError([Problem.of(not_mapping, source, line, column)], source)
    version = data.get("civicflow", FORMAT_VERSION)
    if version != FORMAT_VERSION or isinstance(version, bool):
        position = doc.values.get(("civicflow",))
        unsupported = Message(
            _(
                "unsupported template format version {given}; this civicflow reads format {version}: "
                "write 'civicflow: {version}'"
            ),
            given=shown_value(version),
            version=FORMAT_VERSION,
        )
        line, column = position if position else (1, 1)
        raise TemplateError([Problem.of(unsupported, source, line, column, ("civicflow",))], source)
    try:
        template = ProcessTemplate.model_validate(data)
    except ValidationError as exc:
        problems: list[Problem] = []
        for error in exc.errors(include_url=False):
            path, at_key = document_path(error["loc"], data)
            message = describe(error, path, data)
            if error["type"] == "union_tag_invalid" and (*path, "type") in doc.values:
                path = (*path, "type")
            located = _locate(
                Problem.of(message, path=path), doc, key=at_key or error["type"] == "extra_forbidden"
            )
            problems.append(located)
        raise TemplateError(_sorted(problems), source) from None
    later = [_locate(p, doc) for p in (*structural_problems(template), *_title_problems(template))]
    if later:
        raise TemplateError(_sorted(later), source)
    return template


def load_template(
    source: str | os.PathLike[str], *, text: str | None = None, limits: Limits | None = None
) -> ProcessTemplate:
    """Load a template from a file path or a bundled template id (``"drohobych_kir"``).

    With ``text``, that text is read and ``source`` only names it in messages. Raises
    :class:`~civicflow.errors.TemplateNotFoundError` for an unknown id or a missing file (listing the
    bundled ids and close matches) and :class:`~civicflow.errors.TemplateError` for an invalid template.
    """
    limits = limits or Limits()
    if text is not None:
        return parse_template_text(text, os.fspath(source), limits=limits)
    path = find_template(source)
    name = str(path)
    return parse_template_text(_read(path, name, limits), name, limits=limits)


def load_bundled_template(template_id: str, *, limits: Limits | None = None) -> ProcessTemplate:
    """Load a bundled template by its id only (``"drohobych_kir"``); never reads any other file.

    This is the loader for ids that come from a request or another untrusted source: the id is looked
    up among :func:`bundled_ids`, so ``../../etc/passwd`` or an absolute path is refused with a
    :class:`~civicflow.errors.TemplateNotFoundError` that lists the bundled ids (and quotes nothing).
    """
    files = _bundled_files()
    path = files.get(template_id) if isinstance(template_id, str) else None
    if path is None:
        ids: Param = ", ".join(sorted(files)) or Term(_("(none found)"))
        shown: Param = (
            template_id if isinstance(template_id, str) and _ID.fullmatch(template_id) else Term(_("that id"))
        )
        raise TemplateNotFoundError(
            Message(_("no bundled template {id}; bundled templates: {ids}"), id=shown, ids=ids)
        )
    limits = limits or Limits()
    return parse_template_text(_read(path, path.name, limits), path.name, limits=limits)


def load_template_file(path: str | os.PathLike[str], *, limits: Limits | None = None) -> ProcessTemplate:
    """Load a template from a file path (never a bundled id): for a file the user chose themselves.

    The file must be a regular file of at most ``limits.max_bytes``; a missing one raises
    :class:`~civicflow.errors.TemplateNotFoundError`.
    """
    file = Path(path)
    if not file.exists():
        raise TemplateNotFoundError(Message(_("{path}: no such file"), path=os.fspath(path)))
    if file.is_dir():
        raise TemplateNotFoundError(
            Message(_("{path}: is a directory, not a template file"), path=os.fspath(path))
        )
    limits = limits or Limits()
    name = str(file)
    return parse_template_text(_read(file, name, limits), name, limits=limits)


def _count(stages: Any) -> tuple[int, int]:
    if not isinstance(stages, list):
        return 0, 0
    n_stages = n_steps = 0
    for stage in stages:
        if isinstance(stage, dict):
            n_stages += 1
            steps = stage.get("steps")
            n_steps += len(steps) if isinstance(steps, list) else 0
            inner_stages, inner_steps = _count(stage.get("stages"))
            n_stages += inner_stages
            n_steps += inner_steps
    return n_stages, n_steps


def list_templates() -> list[TemplateInfo]:
    """The bundled templates, sorted by id; read as YAML only, so a broken one is listed with its error."""
    infos: list[TemplateInfo] = []
    limits = Limits()
    for ident, path in sorted(_bundled_files().items()):
        try:
            doc = parse_yaml(_read(path, str(path), limits), str(path), limits)
        except (TemplateError, YamlProblems) as exc:
            infos.append(TemplateInfo(ident, {}, path, error=str(exc.problems[0])))
            continue
        data = doc.data if isinstance(doc.data, dict) else {}
        title = data.get("title")
        title = {str(k): str(v) for k, v in title.items()} if isinstance(title, dict) else {}
        jurisdiction = data.get("jurisdiction")
        country = jurisdiction.get("country") if isinstance(jurisdiction, dict) else None
        stages, steps = _count(data.get("stages"))
        infos.append(TemplateInfo(ident, title, path, str(country) if country else None, stages, steps))
    return infos


def template_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a template file, generated from the pydantic model."""
    generated = ProcessTemplate.model_json_schema()
    generated.pop("title", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"civicflow process template (format {FORMAT_VERSION})",
        **generated,
    }
