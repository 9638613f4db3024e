"""``civicflow token``: create, list and revoke the access tokens of ``civicflow serve``.

A token is printed once, when it is created; the store keeps only its hash.
"""

from __future__ import annotations

import argparse
import json

from civicflow.cli._common import EXIT_OK, Console, add_lang_option
from civicflow.i18n import _

NAME = "token"
HELP = _("create, list and revoke access tokens of the HTTP service (civicflow serve)")
EPILOG = _("""\
examples:
  civicflow token create --name city-hall --role editor
  civicflow token create --name kir-office --role editor --instance 'kir-*'
  civicflow token create --name dashboard --role viewer
  civicflow token list
  civicflow token revoke city-hall

The token is printed once and cannot be shown again (the store keeps a hash).
An editor may write, a viewer only read; --instance limits a token to those
instances (a name, or a prefix ending in *; repeatable). See docs/service.md.
""")


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="URL", help=_("database file or URL (default: $CIVICFLOW_DB, else ./civicflow.db)")
    )
    add_lang_option(parser)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(parser))
    create = actions.add_parser(
        "create", help=_("create a token and print it once"), description=_("create a token")
    )
    create.add_argument("--name", required=True, help=_("what the token is for (shown in lists)"))
    create.add_argument(
        "--role", required=True, choices=("editor", "viewer"), help=_("editor writes, viewer reads")
    )
    create.add_argument(
        "--instance",
        action="append",
        metavar="NAME",
        help=_("limit the token to this instance, or to names starting with PREFIX* (repeatable)"),
    )
    _db(create)
    listing = actions.add_parser(
        "list", help=_("list the tokens (never their secrets)"), description=_("list tokens")
    )
    listing.add_argument("--format", choices=("table", "json"), default="table")
    _db(listing)
    revoke = actions.add_parser(
        "revoke", help=_("revoke a token by its id or name"), description=_("revoke a token")
    )
    revoke.add_argument("token", metavar="ID_OR_NAME", help=_("the token's id or name"))
    _db(revoke)


def run(args: argparse.Namespace, console: Console) -> int:
    from civicflow.cli._store import open_store
    from civicflow.server.tokens import create_token, list_tokens, revoke_token

    tr = console.tr
    with open_store(args.db, tr, create=args.action == "create") as store:
        if args.action == "create":
            token, info = create_token(store, args.name, args.role, args.instance)
            console.print(token)
            scope = ", ".join(info.instances) if info.instances is not None else tr.gettext("every instance")
            said = tr.gettext("token {id} ({name}, {role}, {scope}); it is shown only now: keep it safe")
            console.err.write(
                said.format(id=info.token_id, name=info.name, role=info.role, scope=scope) + "\n"
            )
        elif args.action == "list":
            tokens = list_tokens(store)
            if args.format == "json":
                console.print(json.dumps([t.to_dict() for t in tokens], ensure_ascii=False, indent=2))
            elif not tokens:
                console.print(
                    tr.gettext(
                        "no tokens yet; create one with `civicflow token create --name N --role editor`"
                    )
                )
            else:
                for t in tokens:
                    scope = ", ".join(t.instances) if t.instances is not None else tr.gettext("all instances")
                    if t.revoked_at:
                        state = tr.gettext("revoked {at}").format(at=t.revoked_at)
                    else:
                        state = tr.pgettext("token", "active")
                    console.print(f"{t.token_id}  {t.name}  {t.role}  {scope}  {state}")
        else:
            for t in revoke_token(store, args.token):
                console.print(tr.gettext("revoked token {id} ({name})").format(id=t.token_id, name=t.name))
    return EXIT_OK
