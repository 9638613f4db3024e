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
import gc
import importlib
import json
import os
import re
import sys
import textwrap
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

from civicflow._suggest import closest
from civicflow._text import first_surrogate
from civicflow.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    GIVEN_LANG,
    LANGS,
    Console,
    HelpText,
    OutputError,
    package_version,
    problems_json,
    resolve_language,
)
from civicflow.errors import CivicflowError, EventLogError, PlanInputError, TemplateError
from civicflow.i18n import Translator, _

__all__ = ["build_parser", "main"]

# The subcommands, in the order `civicflow --help` lists them, with the line it shows for each (the
# module's HELP, repeated here so that `civicflow --help` imports no subcommand; a test keeps them equal).
SUMMARIES: dict[str, str] = {
    "list": "list the bundled process templates (id, country, steps, title)",
    "show": "show a process template as an outline: stages, steps, timing, rules, responsible, channels",
    "lint": "check process templates: every problem as file:line:col: path: message",
    "schema": "print the JSON Schema of process templates (for editors and other tools)",
    "plan": "plan a dated timeline of a process template from a start date",
    "check": "check an event log (YAML, JSON or CSV) against the legal deadlines of a process template",
    "status": "a heat map of event logs x stages: done, late, overdue, due soon, on track",
    "due": "what is overdue or due in the coming days across event logs or tracked instances, soonest first",
    "remind": "e-mail one digest of what is overdue or due in the coming days (SMTP)",
    "export": "export a planned timeline as ics, csv, json, mermaid, markdown or a self-contained html page",
    "deadline": (
        "compute a legal deadline: a period after (or before) a date in a country's working-day calendar"
    ),
    "track": "track process instances in a database: start one, record what happened, see status and history",
    "completion": "print a shell completion script for bash or zsh",
    "serve": (
        "serve the web dashboard, the HTTP API and calendar feeds of the tracked instances (needs "
        "civicflow[server])"
    ),
    "token": "create, list and revoke access tokens of the HTTP service (civicflow serve)",
}
SUBCOMMANDS: tuple[str, ...] = tuple(SUMMARIES)

_COMMAND_GC_THRESHOLDS = (100_000, 20, 20)
"""The garbage collector's thresholds while a command runs (see :func:`main`)."""


_EPILOG = _("""\
start here:
  civicflow list                                    the bundled templates
  civicflow plan drohobych_kir --start 2025-10-06   a dated timeline
  civicflow check drohobych_kir LOG.yaml            a log against the deadlines
  civicflow due LOG.yaml ...                        what is due soon
  civicflow COMMAND --help                          options and examples

Exit codes: 0 fine, 1 findings (a violated or overdue deadline, an infeasible
plan), 2 bad input.
""")


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"civicflow.cli.{name}")


_GLOBAL_OPTIONS = ("--color", "--lang")
"""The options given before the command as well as after it (each takes a value)."""

_COLOR_HELP = _("colour in tables: auto (only on a terminal, and not with NO_COLOR), always, never")


def _command_of(words: Sequence[str]) -> str | None:
    """The subcommand ``words`` run, when it is plain to see before any help or version option."""
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in _GLOBAL_OPTIONS:
            skip = True
        elif not word.startswith("-"):
            return word if word in SUBCOMMANDS else None
        elif not word.startswith(tuple(f"{option}=" for option in _GLOBAL_OPTIONS)):
            return None  # --help, --version or a word argparse will refuse: the full parser answers
    return None


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on bad usage already; keep its message short and without a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        tr = _environment_translator()
        said = tr.gettext("{prog}: error: {message}").format(
            prog=self.prog, message=_argparse_words(message, tr)
        )
        self.exit(EXIT_BAD_INPUT, said + "\n")

    def format_usage(self) -> str:
        """argparse's usage line; "usage:" in the environment's language (the rest is the syntax)."""
        return _usage_words(super().format_usage(), _environment_translator())

    def format_help(self) -> str:
        """argparse's help, in the environment's language (or ``--lang``'s): the descriptions, the
        help of each option and subcommand, argparse's own headings. English is the text as written."""
        tr = _environment_translator()
        if tr.lang == "en":
            return super().format_help()
        saved = _translate_help(self, tr)
        try:
            return _usage_words(super().format_help(), tr)
        finally:
            for target, name, value in saved:
                setattr(target, name, value)

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # argparse drops a failed write silently; help that cannot be written must say so
        if message:
            (file or sys.stderr).write(message)


def _usage_words(text: str, tr: Translator) -> str:
    """``text`` (a usage line, or help that starts with one) with "usage:" in ``tr``'s language."""
    if tr.lang == "en" or not text.startswith("usage: "):
        return text
    usage, gap, rest = text.partition("\n\n")
    syntax = usage.removeprefix("usage: ")
    shown = tr.gettext("usage: {syntax}").format(syntax=syntax)
    shift = " " * max(0, len(shown) - len(usage))  # continuation lines stay under the syntax
    return shown.replace("\n ", "\n " + shift).removesuffix(shift) + gap + rest


# argparse's own words in help (Python's argparse has no catalogs), ours to translate
_ARGPARSE_HELP = (
    _("show this help message and exit"),
    _("positional arguments"),
    _("options"),
)


def _help_words(text: str, tr: Translator) -> str:
    """A help text in ``tr``'s language: a :class:`HelpText` with its values, else the text as a message
    (a subcommand's description is its one-line HELP wrapped to 79 columns: unwrapped, translated and
    wrapped again)."""
    if isinstance(text, HelpText):
        return text.in_language(tr)
    said = tr.gettext(text)
    if said == text and "\n" in text and not text.startswith(" "):
        joined = " ".join(text.split())
        said = tr.gettext(joined)
        if said != joined:
            return textwrap.fill(said, 79)
    return said


def _translate_help(parser: argparse.ArgumentParser, tr: Translator) -> list[tuple[object, str, object]]:
    """Put ``tr``'s words into ``parser``'s help texts; what they were, to put back."""
    saved: list[tuple[object, str, object]] = []

    def put(target: object, name: str) -> None:
        value = getattr(target, name, None)
        if isinstance(value, str) and value and value != argparse.SUPPRESS:
            saved.append((target, name, value))
            setattr(target, name, _help_words(value, tr))

    put(parser, "description")
    put(parser, "epilog")
    for group in parser._action_groups:
        put(group, "title")
    for action in parser._actions:
        put(action, "help")
        for choice in getattr(action, "_choices_actions", ()):
            put(choice, "help")
    return saved


_given_lang: str | None = None
"""The ``--lang`` of the command line being run, seen before argparse reads it (for argparse's errors)."""


def _lang_in(words: Sequence[str]) -> str | None:
    """The language ``--lang X`` (or ``--lang=X``) names among ``words``, if it is one civicflow speaks."""
    from civicflow.i18n import LANGUAGES

    for word, following in zip(words, [*words[1:], ""], strict=True):
        if word == "--lang" and following in LANGUAGES:
            return following
        if word.startswith("--lang=") and word.removeprefix("--lang=") in LANGUAGES:
            return word.removeprefix("--lang=")
    return None


def _environment_translator() -> Translator:
    """The translator of ``--lang``, else of the environment's language (before the arguments are
    understood)."""
    from civicflow.i18n import language_from_environment, translator

    return translator(_given_lang or language_from_environment(os.environ))


# argparse's own messages (Python's argparse has no catalogs): each English form, and ours to translate
_ARGPARSE_MESSAGES = (
    (
        re.compile(r"^the following arguments are required: (?P<names>.*)$"),
        _("the following arguments are required: {names}"),
    ),
    (re.compile(r"^unrecognized arguments: (?P<words>.*)$"), _("unrecognized arguments: {words}")),
    (
        re.compile(r"^one of the arguments (?P<names>.*) is required$"),
        _("one of the arguments {names} is required"),
    ),
    (
        re.compile(r"^argument (?P<name>\S+): expected one argument$"),
        _("argument {name}: expected one argument"),
    ),
    (
        re.compile(
            r"^argument (?P<name>\S+): invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)$"
        ),
        _("argument {name}: invalid choice: {value} (choose from {choices})"),
    ),
    (
        re.compile(r"^argument (?P<name>\S+): invalid (?P<type>\S+) value: (?P<value>.*)$"),
        _("argument {name}: invalid {type} value: {value}"),
    ),
    (re.compile(r"^argument (?P<name>\S+): (?P<message>.*)$"), _("argument {name}: {message}")),
)


def _argparse_words(message: str, tr: Translator) -> str:
    """argparse's error ``message`` in ``tr``'s language (a subcommand's "invalid choice" with the closest
    one, see :func:`_suggest`)."""
    suggested = _suggest(message)
    if suggested != message or tr.lang == "en":
        return suggested
    for pattern, text in _ARGPARSE_MESSAGES:
        found = pattern.match(message)
        if found is not None:
            return tr.gettext(text).format(**found.groupdict())
    return message


_INVALID_CHOICE = re.compile(r"^argument (COMMAND|ACTION): invalid choice: '([^']*)' \(choose from (.*)\)$")


class _Version(argparse.Action):
    """``--version``, as argparse's own, with the version looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(
            option_strings,
            dest,
            nargs=0,
            default=argparse.SUPPRESS,
            help=_("show program's version number and exit"),
        )

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        sys.stdout.write(f"civicflow {package_version()}\n")
        parser.exit()


def _suggest(message: str) -> str:
    """argparse's "invalid choice" for a subcommand, with the closest one: "did you mean 'plan'?"."""
    found = _INVALID_CHOICE.match(message)
    if found is None:
        return message
    kind, given, listed = found.groups()
    choices = [c.strip().strip("'") for c in listed.split(",")]
    close = closest(given, choices, n=1, cutoff=0.5)
    tr = _environment_translator()
    known = ", ".join(choices)
    if kind == "COMMAND":
        if close:
            text = tr.gettext("unknown command {given}; did you mean {close}? (known: {known})")
        else:
            text = tr.gettext("unknown command {given} (known: {known})")
    elif close:
        text = tr.gettext("unknown action {given}; did you mean {close}? (known: {known})")
    else:
        text = tr.gettext("unknown action {given} (known: {known})")
    return text.format(given=repr(given), close=repr(close[0]) if close else "", known=known)


def build_parser(only: str | None = None, *, lazy: bool = False) -> argparse.ArgumentParser:
    """The full argument parser (exposed for documentation and tests).

    With ``lazy``, only the subcommand ``only`` (if any) has its module imported and its options
    declared; the others are their names and summaries, enough for a command line that runs ``only``, or
    for ``civicflow --help`` and an unknown command when ``only`` is ``None``.
    """
    parser = _Parser(
        prog="civicflow",
        description=_("Workflow and deadline engine for civic participation processes."),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version)
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto", help=_COLOR_HELP)
    parser.add_argument(
        "--lang",
        dest="global_lang",
        choices=LANGS,
        default=None,
        help=_("language of the output, as the command's own --lang (before or after the command)"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in SUBCOMMANDS:
        if lazy and name != only:
            sub.add_parser(name, help=SUMMARIES[name])
            continue
        module = _module(name)
        p = sub.add_parser(
            module.NAME,
            help=module.HELP,
            description=textwrap.fill(module.HELP, 79),
            epilog=getattr(module, "EPILOG", None),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(p)
        # --color after the command too; left out of the namespace unless given, so that the one before
        # the command stays
        p.add_argument(
            "--color", choices=("auto", "always", "never"), default=argparse.SUPPRESS, help=_COLOR_HELP
        )
        p.set_defaults(_run=module.run)
    return parser


def _undecodable(words: Sequence[str]) -> str | None:
    """Why an argument cannot be used (bytes that are not UTF-8 reach Python as lone surrogates)."""
    for position, word in enumerate(words, start=1):
        at = first_surrogate(word)
        if at is not None:
            shown = word.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            return (
                _environment_translator()
                .gettext(
                    "argument {position} ({shown}) is not UTF-8 text at character {at}; civicflow reads "
                    "arguments as UTF-8: use UTF-8 text (and file names)"
                )
                .format(position=position, shown=repr(shown), at=at + 1)
            )
    return None


def _silence_stdout() -> None:
    """Point the standard output at the null device, so that Python's own flush at exit cannot fail
    again and print a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _unwritable(exc: OSError) -> int:
    """Help or usage that cannot be written (a full disk) is one line on standard error and exit code 2,
    as for any other output; a reader that stopped early (``| head``) is not an error."""
    _silence_stdout()
    if isinstance(exc, BrokenPipeError):
        return 0
    said = _environment_translator().gettext("cannot write the output: {reason}")
    sys.stderr.write(f"civicflow: {said.format(reason=exc.strerror or exc)}\n")
    return EXIT_BAD_INPUT


_OPTIONS = {"start": "--start DATE", "fixed": "--fix STEP=DATE"}
"""The option of each argument of ``plan`` a library message names (the library does not know flags)."""


def _cli_words(exc: CivicflowError, tr: Translator | None = None) -> str:
    """The library's message in ``tr``'s language, with the command line's option beside the API
    argument it names."""
    if isinstance(exc, PlanInputError) and exc.argument in _OPTIONS:
        return exc.worded(_OPTIONS[exc.argument], tr)  # the option only: a command line has no fixed=
    return exc.text_in(tr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    global _given_lang
    words = [*(sys.argv[1:] if argv is None else argv)]
    _given_lang = GIVEN_LANG[0] = _lang_in(words)
    bad = _undecodable(words)
    if bad is not None:
        sys.stderr.write(f"civicflow: {bad}\n")
        return EXIT_BAD_INPUT
    if sys.stdout is None:  # started with standard output closed (>&-)
        said = _environment_translator().gettext("standard output is closed; nothing can be written")
        sys.stderr.write(f"civicflow: {said}\n")
        return EXIT_BAD_INPUT
    parser = build_parser(_command_of(words), lazy=True)
    try:
        args = parser.parse_args(words)
    except SystemExit:  # --help, --version or a usage error: argparse printed and exits
        try:
            sys.stdout.flush()
        except OSError as exc:
            return _unwritable(exc)
        raise
    except OSError as exc:  # the help or usage could not be written
        return _unwritable(exc)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    if args.global_lang is not None and getattr(args, "lang", None) is None:
        args.lang = args.global_lang  # civicflow --lang uk list: as civicflow list --lang uk
    lang = resolve_language(args, os.environ)
    console = Console.from_streams(sys.stdout, sys.stderr, color=args.color, lang=lang)
    _ = console.tr.gettext
    thresholds = gc.get_threshold()
    if args.command != "serve":  # the service keeps Python's defaults
        # A command runs once and exits. With Python's default thresholds (700, 10, 10) the collector
        # scans every live object (the libraries, the template, what was built so far) over and over
        # while a command builds thousands of results: about a third of `track status` over 10,000
        # instances. Reference counting still frees everything at once; cycles wait a little longer.
        gc.set_threshold(*_COMMAND_GC_THRESHOLDS)
    try:
        code: int = args._run(args, console)
        console.out.flush()  # a full disk shows here, not at exit after the code was returned
    except (EventLogError, TemplateError) as exc:
        # The message lists a screenful of problems; --format json gives programs every one.
        if getattr(args, "format", None) == "json":
            try:
                console.print(json.dumps(problems_json(exc), ensure_ascii=False, indent=2))
                console.out.flush()
            except OutputError:  # the message below still says what is wrong with the input
                _silence_stdout()
        console.error(exc.text_in(console.tr))
        return EXIT_BAD_INPUT
    except CivicflowError as exc:
        console.error(_cli_words(exc, console.tr))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        console.error(_("interrupted"))
        return 130
    except BrokenPipeError:  # written to by something other than the console
        _silence_stdout()
        return 0
    except OutputError as exc:
        _silence_stdout()
        if isinstance(exc.error, BrokenPipeError):  # the reader stopped early (| head): not an error
            return 0
        console.error(_("cannot write the output: {reason}").format(reason=exc))
        return EXIT_BAD_INPUT
    except Exception as exc:  # never show a traceback to a user
        said = _("internal error: {error}").format(error=f"{type(exc).__name__}: {exc}")
        console.error(
            f"{said}\n" + _("This is a bug in civicflow; please report it with the command you ran.")
        )
        return EXIT_INTERNAL
    finally:
        gc.set_threshold(*thresholds)
    return code
