"""``civicflow remind``: one digest e-mail of what is overdue or due soon, sent over SMTP.

Every sentence of the e-mail is translated (:func:`civicflow.i18n.translator`) into the recipient's
language: ``--lang``, else the environment's, else English.
"""

from __future__ import annotations

import argparse
import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING

from civicflow.cli._common import EXIT_OK, Console, HelpText, add_lang_option, environment_translator
from civicflow.cli.due import add_sources, add_within_options, compute, when
from civicflow.errors import CivicflowError, PlanInputError
from civicflow.i18n import Translator, _, format_day, translator

if TYPE_CHECKING:
    from civicflow.compliance import Outlook, OutlookItem

NAME = "remind"
HELP = _("e-mail one digest of what is overdue or due in the coming days (SMTP)")
EPILOG = _("""\
examples:
  civicflow remind logs/*.yaml --smtp mail.example.org --to clerk@example.org
  civicflow remind --db civicflow.db --smtp localhost:2525 --to a@example.org \\
      --to b@example.org --days 5
  civicflow remind examples/drohobych_events.yaml --as-of 2025-10-14 \\
      --smtp localhost --to clerk@example.org --dry-run

What is due is what `civicflow due` lists, with --days (3) as its --within:
legal deadlines apart from planned days, overdue first. Nothing due or overdue:
no e-mail (--always sends one anyway). --starttls upgrades the connection; a
password for --user comes from $CIVICFLOW_SMTP_PASSWORD, never from the
command line. Exit code 0 when sent (or nothing to send), 2 when the e-mail
cannot be sent or the input is bad.
""")

PASSWORD_ENV = "CIVICFLOW_SMTP_PASSWORD"


def smtp_address(text: str) -> tuple[str, int]:
    """argparse type: ``HOST`` or ``HOST:PORT`` (port 25 by default)."""
    host, sep, port = text.rpartition(":") if ":" in text else (text, "", "")
    try:
        number = int(port) if sep else 25
        if not host.strip() or not 0 < number < 65536 or any(c in host for c in " /\r\n"):
            raise ValueError
    except ValueError:
        said = environment_translator().gettext(
            "{text} is not HOST or HOST:PORT; write e.g. mail.example.org or localhost:2525"
        )
        raise argparse.ArgumentTypeError(said.format(text=repr(text))) from None
    return host.strip(), number


def mail_address(text: str) -> str:
    """argparse type: one e-mail address (``name@domain``, no spaces or line breaks)."""
    local, at, domain = text.strip().rpartition("@")
    if not at or not local or not domain.strip(".") or any(c in text for c in " \r\n,;<>"):
        said = environment_translator().gettext(
            "{text} is not an e-mail address; write e.g. clerk@example.org"
        )
        raise argparse.ArgumentTypeError(said.format(text=repr(text)))
    return text.strip()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_sources(parser)
    add_within_options(parser, within=3, flag="--days")
    parser.add_argument(
        "--smtp", type=smtp_address, required=True, metavar="HOST[:PORT]", help=_("the SMTP server (port 25)")
    )
    parser.add_argument(
        "--to",
        type=mail_address,
        action="append",
        required=True,
        metavar="ADDR",
        help=_("recipient (repeatable)"),
    )
    parser.add_argument(
        "--from",
        dest="sender",
        type=mail_address,
        default="civicflow@localhost",
        metavar="ADDR",
        help=_("sender"),
    )
    parser.add_argument("--starttls", action="store_true", help=_("upgrade the connection with STARTTLS"))
    parser.add_argument(
        "--user",
        help=HelpText(_("log in as USER (the password comes from ${variable})"), variable=PASSWORD_ENV),
    )
    parser.add_argument("--always", action="store_true", help=_("send even when nothing is due"))
    parser.add_argument("--dry-run", action="store_true", help=_("print the e-mail instead of sending it"))
    add_lang_option(parser)


def _line(item: OutlookItem, unit: str, tr: Translator) -> str:
    shown = when(item, unit, tr)
    text = f"- {format_day(item.due, tr)}  {item.instance}: {item.step} — {item.title} ({shown})"
    if item.reference:
        text += "\n  " + tr.gettext("rule: {reference}").format(reference=item.reference)
    return text


def subject(outlook: Outlook, tr: Translator) -> str:
    """``civicflow: 1 overdue, 2 due (as of 2025-10-20)``."""
    overdue = len(outlook.overdue)
    due = len(outlook.items) - overdue
    return tr.gettext("civicflow: {overdue} overdue, {due} due (as of {day})").format(
        overdue=overdue, due=due, day=outlook.as_of.isoformat()
    )


def body(outlook: Outlook, tr: Translator) -> str:
    """The digest: overdue, then due, each legal deadlines first and planned days apart."""
    _ = tr.gettext
    unit = str(outlook.unit)
    n = outlook.within
    if unit == "working":
        within = tr.ngettext(
            "What is overdue or due within {n} working day of {day}.",
            "What is overdue or due within {n} working days of {day}.",
            n,
        )
    else:
        within = tr.ngettext(
            "What is overdue or due within {n} calendar day of {day}.",
            "What is overdue or due within {n} calendar days of {day}.",
            n,
        )
    lines = [within.format(n=n, day=format_day(outlook.as_of, tr)), ""]
    sections = (
        (_("Overdue legal deadlines"), [i for i in outlook.deadlines if i.overdue]),
        (_("Overdue planned days (no legal rule)"), [i for i in outlook.planned if i.overdue]),
        (_("Legal deadlines due"), [i for i in outlook.deadlines if not i.overdue]),
        (_("Planned days due (no legal rule)"), [i for i in outlook.planned if not i.overdue]),
    )
    for title, items in sections:
        if not items:
            continue
        lines += [title, "-" * len(title), *(_line(i, unit, tr) for i in items), ""]
    if not outlook.items:
        lines += [_("Nothing is overdue or due."), ""]
    lines.append(_("A legal deadline comes from a rule of the process template; missing it is a finding."))
    lines.append(_("A planned day is the latest day the template's plan allows; no rule is broken by it."))
    return "\n".join(lines) + "\n"


def message(outlook: Outlook, sender: str, recipients: list[str], lang: str | None = None) -> EmailMessage:
    """The digest as an e-mail (plain text, UTF-8)."""
    tr = translator(lang)
    msg = EmailMessage()
    msg["Subject"] = subject(outlook, tr)
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="civicflow.invalid")
    msg.set_content(body(outlook, tr))
    return msg


class SendError(CivicflowError):
    """The e-mail could not be sent; the message says why."""


def send(
    msg: EmailMessage,
    host: str,
    port: int,
    *,
    starttls: bool,
    user: str | None,
    password: str | None,
    tr: Translator | None = None,
) -> None:
    """Send ``msg`` through the SMTP server at ``host:port``; :class:`SendError` saying why it failed."""
    tr = tr or translator()
    try:
        with smtplib.SMTP(host, port, timeout=30) as smtp:
            if starttls:
                smtp.starttls(context=ssl.create_default_context())
            if user is not None:
                if password is None:
                    raise SendError(
                        tr.gettext("--user {user} needs the password in ${variable}").format(
                            user=user, variable=PASSWORD_ENV
                        )
                    )
                smtp.login(user, password)
            smtp.send_message(msg)
    except (smtplib.SMTPException, OSError) as exc:
        raise SendError(
            tr.gettext("cannot send the e-mail through {host}:{port}: {reason}").format(
                host=host, port=port, reason=exc
            )
        ) from None


def run(args: argparse.Namespace, console: Console) -> int:
    tr = console.tr
    if args.user is not None and not os.environ.get(PASSWORD_ENV) and not args.dry_run:
        raise PlanInputError(
            tr.gettext("--user {user} needs the password in ${variable}").format(
                user=args.user, variable=PASSWORD_ENV
            )
        )
    args.format = "table"
    result = compute(args, tr)
    if not result.items and not args.always:
        console.print(tr.gettext("nothing is overdue or due; no e-mail sent"))
        return EXIT_OK
    msg = message(result, args.sender, args.to, tr.lang)
    if args.dry_run:
        for header in ("Subject", "From", "To"):  # the e-mail's own header names
            console.print(f"{header}: {msg[header]}")
        console.print()
        from civicflow.exporters._safe import without_controls

        console.out.write(without_controls(body(result, tr)))
        return EXIT_OK
    host, port = args.smtp
    send(
        msg, host, port, starttls=args.starttls, user=args.user, password=os.environ.get(PASSWORD_ENV), tr=tr
    )
    n = len(result.items)
    sent = tr.ngettext(
        "sent {n} item to {to} via {host}:{port}", "sent {n} items to {to} via {host}:{port}", n
    )
    console.print(sent.format(n=n, to=", ".join(args.to), host=host, port=port))
    return EXIT_OK
