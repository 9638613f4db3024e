"""``civicflow list``: the bundled process templates."""

from __future__ import annotations

import argparse
import json

from civicflow.cli._common import EXIT_OK, Console, add_lang_option, cut, terminal_width
from civicflow.i18n import _
from civicflow.loader import list_templates

NAME = "list"
HELP = _("list the bundled process templates (id, country, steps, title)")
EPILOG = _("""examples:
  civicflow list
  civicflow list --format json

The table is as wide as the terminal: titles too long for it are cut (ending
with …); --format json gives them whole, with each template's file.""")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text", help=_("output format"))
    add_lang_option(parser)


def run(args: argparse.Namespace, console: Console) -> int:
    infos = list_templates()
    if args.format == "json":
        rows = [
            {
                "id": info.id,
                "country": info.country,
                "stages": info.stages,
                "steps": info.steps,
                "title": info.title,
                "path": str(info.path),
                "error": info.error,
            }
            for info in infos
        ]
        console.print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    tr = console.tr
    if not infos:
        console.error(tr.gettext("no bundled templates found"))
        return EXIT_OK
    table = [(tr.gettext("ID"), tr.gettext("COUNTRY"), tr.gettext("STEPS"), tr.gettext("TITLE"))]
    for info in infos:
        if info.error is None:
            title = info.title_in(args.lang or "en")
        else:
            title = tr.gettext("(cannot read: {error})").format(error=info.error)
        table.append((info.id, info.country or "-", str(info.steps), title))
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    room = max(terminal_width() - sum(widths) - 6, 10)
    for n, row in enumerate(table):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2]), cut(row[3], room)]
        line = "  ".join(cells)
        console.print(console.style(line, "bold") if n == 0 else line)
    return EXIT_OK
