"""Opening the store from the command line: a command that only reads never creates one.

A mistyped ``--db`` path, or a command run in the wrong folder, would otherwise create an empty SQLite
file and report "no instances tracked yet" as if all were well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from civicflow.errors import StoreError, StoreNotFoundError
from civicflow.i18n import Translator

if TYPE_CHECKING:
    from civicflow.store import Store

__all__ = ["open_store"]


def open_store(url: str | None, tr: Translator, *, create: bool) -> Store:
    """The store at ``url`` (``--db``, else ``$CIVICFLOW_DB``, else ``./civicflow.db``); unless
    ``create``, a SQLite file that does not exist is refused, naming the path and how to start one."""
    from civicflow.store import Store

    try:
        return Store.open(url, create=create)
    except StoreNotFoundError as exc:
        said = tr.gettext(
            "there is no store at {path} (the file does not exist): check --db or $CIVICFLOW_DB, or start "
            "a store there with `civicflow track new TEMPLATE --name NAME --start DATE --db {path}` (or "
            "`civicflow track import`)"
        )
        raise StoreError(said.format(path=exc.path)) from None
