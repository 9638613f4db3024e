"""``civicflow schema``: print (or write) the JSON Schema of process templates."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from civicflow.cli._common import EXIT_BAD_INPUT, EXIT_OK, Console
from civicflow.i18n import _
from civicflow.loader import template_schema

NAME = "schema"
HELP = _("print the JSON Schema of process templates (for editors and other tools)")
EPILOG = _("""examples:
  civicflow schema > civicflow-template.schema.json
  civicflow schema --output docs/template.schema.json""")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", "-o", metavar="FILE", help=_("write the schema to FILE (atomically)"))


def _write_atomically(path: Path, text: str) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace, console: Console) -> int:
    text = json.dumps(template_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output is None:
        console.out.write(text)
        return EXIT_OK
    path = Path(args.output)
    try:
        _write_atomically(path, text)
    except OSError as exc:
        said = console.tr.gettext("cannot write the schema: {reason}").format(reason=exc.strerror or exc)
        console.error(f"{path}: {said}")
        return EXIT_BAD_INPUT
    console.error(console.tr.gettext("wrote {path}").format(path=path))
    return EXIT_OK
