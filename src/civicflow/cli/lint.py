"""``civicflow lint``: check template files (or bundled ids) and report every problem with its position."""

from __future__ import annotations

import argparse
import json
from typing import Any

from civicflow.cli._common import EXIT_BAD_INPUT, EXIT_OK, Console, add_lang_option
from civicflow.documents import lint_document
from civicflow.errors import SHOWN_PROBLEMS, CivicflowError, TemplateError, TemplateNotFoundError
from civicflow.i18n import Translator, _
from civicflow.loader import load_template
from civicflow.template import ProcessTemplate

NAME = "lint"
HELP = _("check process templates: every problem as file:line:col: path: message")
EPILOG = _("""examples:
  civicflow lint process_templates/*.yaml
  civicflow lint drohobych_kir my_process.yaml --format json

exit codes: 0 every template is valid, 2 at least one is not (or cannot be read)""")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("templates", nargs="+", metavar="FILE_OR_ID", help=_("template files or bundled ids"))
    parser.add_argument("--format", choices=("text", "json"), default="text", help=_("output format"))
    add_lang_option(parser)


def _check(name: str) -> tuple[dict[str, Any], CivicflowError | None]:
    """The JSON entry of ``name``, and the error its loading raised (worded for the text output)."""
    caught: list[CivicflowError] = []

    def load() -> ProcessTemplate:
        try:
            return load_template(name)
        except (TemplateError, TemplateNotFoundError) as exc:
            caught.append(exc)
            raise

    return lint_document(name, load), caught[0] if caught else None


def _lines(result: dict[str, Any], error: CivicflowError | None, tr: Translator) -> list[str]:
    """Each problem of ``result`` as ``file:line:col: path: message``, the message in ``tr``'s language."""
    if isinstance(error, TemplateError):
        return [p.text(tr) for p in error.problems]
    if isinstance(error, TemplateNotFoundError):
        name = result["template"]
        return [f"{name}: {error.text_in(tr).removeprefix(f'{name}: ')}"]
    return [_line(p) for p in result["problems"]]


def _line(problem: dict[str, Any]) -> str:
    where = ":".join(str(problem[k]) for k in ("source", "line", "column") if problem[k] is not None)
    text = f"{problem['path']}: {problem['message']}" if problem["path"] else problem["message"]
    return f"{where}: {text}" if where else text


def run(args: argparse.Namespace, console: Console) -> int:
    checked = [_check(name) for name in args.templates]
    results = [result for result, _error in checked]
    if args.format == "json":
        console.print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        tr = console.tr
        for result, error in checked:
            if result["ok"]:
                ok = console.style(tr.pgettext("lint", "ok"), "green")
                stages, steps = result["stages"], result["steps"]
                sizes = tr.gettext("{stages}, {steps}").format(
                    stages=tr.ngettext("{n} stage", "{n} stages", stages).format(n=stages),
                    steps=tr.ngettext("{n} step", "{n} steps", steps).format(n=steps),
                )
                console.print(f"{result['template']}: {ok} ({sizes})")
            else:
                problems = _lines(result, error, tr)
                shown = problems if len(problems) <= SHOWN_PROBLEMS + 1 else problems[:SHOWN_PROBLEMS]
                for line in shown:
                    console.print(line)
                if len(shown) < len(problems):  # a screenful; --format json lists every one
                    more = len(problems) - len(shown)
                    said = tr.ngettext("... and {n} more problem", "... and {n} more problems", more)
                    console.print(said.format(n=f"{more:,}"))
        bad = sum(1 for r in results if not r["ok"])
        if bad:
            count = sum(len(r["problems"]) for r in results)
            said = tr.ngettext(
                "{problems} in {bad} of {n} template", "{problems} in {bad} of {n} templates", len(results)
            )
            problems_said = tr.ngettext("{n} problem", "{n} problems", count).format(n=count)
            console.error(said.format(problems=problems_said, bad=bad, n=len(results)))
    return EXIT_OK if all(r["ok"] for r in results) else EXIT_BAD_INPUT
