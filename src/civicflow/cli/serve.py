"""``civicflow serve``: the web dashboard, the HTTP API and calendar feeds over the instance store (needs
the server extra).

FastAPI and uvicorn are imported when the command runs, never when the parser is built.
"""

from __future__ import annotations

import argparse
import os
import secrets

from civicflow.cli._common import EXIT_OK, Console, add_lang_option
from civicflow.errors import CivicflowError
from civicflow.i18n import _

NAME = "serve"
HELP = _(
    "serve the web dashboard, the HTTP API and calendar feeds of the tracked instances (needs "
    "civicflow[server])"
)
EPILOG = _("""\
examples:
  civicflow serve
  civicflow serve --db postgresql+psycopg://civicflow@db.example.org/civicflow \\
      --host 0.0.0.0 --port 8080 --workers 4 --read token
  civicflow serve --cors-origin https://participation.example.org

The web dashboard is at / (open http://127.0.0.1:8000/ in a browser): the
heat map of every instance, each one's timeline, board and findings, the
agenda; an editor logs in with a token to record events there.

The API is under /api/v1 and described at /openapi.json; feeds are at
/feeds/NAME.ics and /feeds/all.ics. Writes need an editor token (civicflow
token create); --read token makes reads need a token too. Several workers
and machines may share one PostgreSQL database. See docs/service.md.
""")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="URL", help=_("database file or URL (default: $CIVICFLOW_DB, else ./civicflow.db)")
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help=_("the address to listen on (default: 127.0.0.1)")
    )
    parser.add_argument("--port", type=int, default=8000, help=_("the port to listen on (default: 8000)"))
    parser.add_argument(
        "--workers", type=int, default=1, metavar="N", help=_("worker processes (default: 1)")
    )
    parser.add_argument(
        "--read",
        choices=("public", "token"),
        default="public",
        help=_("who may read: anyone (public, the default) or only token holders (token)"),
    )
    parser.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help=_("a web origin allowed to call the API from a browser (repeatable), e.g. https://example.org"),
    )
    parser.add_argument(
        "--log-level",
        choices=("warning", "info", "debug"),
        default="info",
        help=_("log detail (default: info)"),
    )
    add_lang_option(parser)


def run(args: argparse.Namespace, console: Console) -> int:
    tr = console.tr
    try:
        import uvicorn

        from civicflow.server.app import ENV_CORS, ENV_READ, ENV_SESSION, Settings, create_app
    except ImportError as exc:
        said = tr.gettext(
            'civicflow serve needs FastAPI and uvicorn ({reason}); pip install "civicflow[server]"'
        )
        raise CivicflowError(said.format(reason=exc)) from None
    from civicflow.store import ENV_VAR, Store

    if not 0 <= args.port <= 65535:
        raise CivicflowError(
            tr.gettext("--port {port} is not a port; give 0 to 65535").format(port=args.port)
        )
    if not 1 <= args.workers <= 64:
        raise CivicflowError(
            tr.gettext("--workers {n}: give 1 to 64 worker processes").format(n=args.workers)
        )
    for origin in args.cors_origin:
        if not origin.startswith(("http://", "https://")) or origin.endswith("/"):
            said = tr.gettext("--cors-origin {origin} is not an origin; write e.g. https://example.org")
            raise CivicflowError(said.format(origin=repr(origin)))
    # The workers read their settings from the environment (uvicorn starts them from an import string).
    if args.db:
        os.environ[ENV_VAR] = args.db
    os.environ[ENV_READ] = args.read
    os.environ[ENV_CORS] = ",".join(args.cors_origin)
    # one session key for every worker: the one set, else a random one (sessions end with the service)
    os.environ.setdefault(ENV_SESSION, secrets.token_hex(32))
    with Store.open(args.db) as store:  # opened once here: creates and migrates, fails early and clearly
        where = store.url
    said = tr.ngettext(
        "civicflow serve: {url} ({n} worker, reads {read}, store {store})",
        "civicflow serve: {url} ({n} workers, reads {read}, store {store})",
        args.workers,
    )
    url = f"http://{args.host}:{args.port}/api/v1"
    read = tr.pgettext("read", "public") if args.read == "public" else tr.pgettext("read", "token")
    console.print(said.format(url=url, n=args.workers, read=read, store=where))
    console.print(tr.gettext("dashboard: {url}").format(url=f"http://{args.host}:{args.port}/"))
    settings = Settings.from_environ()
    log_config = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {
            "err": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}
        },
        "loggers": {
            "civicflow": {"handlers": ["err"], "level": args.log_level.upper()},
            "uvicorn.error": {"handlers": ["err"], "level": args.log_level.upper()},
        },
    }
    # uvicorn's access log prints query strings (a feed token may be one): civicflow logs the path only.
    if args.workers > 1:
        uvicorn.run(
            "civicflow.server.app:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            access_log=False,
            log_config=log_config,
        )
    else:
        uvicorn.run(
            create_app(settings),
            host=args.host,
            port=args.port,
            access_log=False,
            log_config=log_config,
        )
    return EXIT_OK
