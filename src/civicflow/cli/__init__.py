"""The ``civicflow`` command line.

Only this package prints, reads the clock, reads files named on the command line and exits. Each
subcommand lives in its own module of this package and exposes:

* ``NAME`` (the subcommand), ``HELP`` (one line), ``EPILOG`` (an example, shown by ``--help``);
* ``add_arguments(parser)`` to declare its options;
* ``run(args, console) -> int`` returning the exit code: 0 fine, 1 findings, 2 bad input.

Errors derived from :class:`civicflow.errors.CivicflowError` become a message on stderr and exit code 2;
nothing ever shows a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import textwrap
from collections.abc import Sequence
from types import ModuleType

from civicflow.cli._common import EXIT_BAD_INPUT, EXIT_INTERNAL, Console, package_version
from civicflow.errors import CivicflowError

__all__ = ["build_parser", "main"]

# The subcommands, in the order `civicflow --help` lists them.
SUBCOMMANDS: tuple[str, ...] = (
    "list",
    "show",
    "lint",
    "schema",
    "plan",
    "check",
    "status",
    "export",
    "deadline",
    "track",
)


_EPILOG = """\
start here:
  civicflow list                                    the bundled templates
  civicflow plan drohobych_kir --start 2025-10-06   a dated timeline
  civicflow check drohobych_kir LOG.yaml            a log against the deadlines
  civicflow COMMAND --help                          options and examples

Exit codes: 0 fine, 1 findings (a violated or overdue deadline, an infeasible
plan), 2 bad input.
"""


def _modules() -> list[ModuleType]:
    return [importlib.import_module(f"civicflow.cli.{name}") for name in SUBCOMMANDS]


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on bad usage already; keep its message short and without a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (exposed for documentation and tests)."""
    parser = _Parser(
        prog="civicflow",
        description="Workflow and deadline engine for civic participation processes.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"civicflow {package_version()}")
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour in tables: auto (only on a terminal, and not with NO_COLOR), always, never",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in _modules():
        p = sub.add_parser(
            module.NAME,
            help=module.HELP,
            description=textwrap.fill(module.HELP, 79),
            epilog=getattr(module, "EPILOG", None),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    console = Console.from_streams(sys.stdout, sys.stderr, color=args.color)
    try:
        code: int = args._run(args, console)
    except CivicflowError as exc:
        console.error(str(exc))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        console.error("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never show a traceback to a user
        console.error(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in civicflow; please report it with the command you ran."
        )
        return EXIT_INTERNAL
    return code
