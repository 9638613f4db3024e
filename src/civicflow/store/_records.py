"""What the store hands out: instance records and where the database is (no SQLAlchemy here)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from civicflow.errors import StoreError
from civicflow.events import Event

__all__ = [
    "DEFAULT_FILE",
    "ENV_VAR",
    "MAX_NAME_LENGTH",
    "InstanceRecord",
    "NewInstance",
    "check_name",
    "resolve_url",
]

ENV_VAR = "CIVICFLOW_DB"
"""The environment variable naming the default store (a file path or a database URL)."""

DEFAULT_FILE = "civicflow.db"
"""The SQLite file used when neither a URL nor ``$CIVICFLOW_DB`` is given (in the working directory)."""

MAX_NAME_LENGTH = 200

_BAD_NAME = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class InstanceRecord:
    """A tracked process instance as the store keeps it.

    ``version`` counts the events recorded so far: it is also the ``expected_version`` to pass when
    recording the next event after reading this record (or ``len(instance.history)``).
    ``template_source`` is what the template is loaded from again: a bundled id or an absolute path.
    """

    name: str
    template_id: str
    template_version: str
    template_source: str
    start: dt.date
    version: int


@dataclass(frozen=True)
class NewInstance:
    """An instance to import with its history (see :meth:`Store.import_instances`).

    ``template_source`` is what the template is loaded from again (a bundled id or an absolute path);
    without it, the template id.
    """

    name: str
    template_id: str
    template_version: str
    start: dt.date
    events: tuple[Event, ...] = ()
    template_source: str | None = None

    def record(self, version: int = 0) -> InstanceRecord:
        """The record this instance gets in the store, at ``version``."""
        return InstanceRecord(
            name=self.name,
            template_id=self.template_id,
            template_version=self.template_version,
            template_source=self.template_source or self.template_id,
            start=self.start,
            version=version,
        )


def check_name(name: str) -> str:
    """``name`` if it can name an instance; a :class:`StoreError` saying what is allowed otherwise."""
    if not name.strip() or name != name.strip():
        raise StoreError(f"instance name {name!r} is empty or has spaces at either end")
    if len(name) > MAX_NAME_LENGTH:
        raise StoreError(
            f"instance name is {len(name)} characters long; at most {MAX_NAME_LENGTH} are allowed"
        )
    if _BAD_NAME.search(name):
        raise StoreError(f"instance name {name!r} contains control characters")
    return name


def resolve_url(url: str | None, environ: Mapping[str, str]) -> str:
    """The SQLAlchemy URL of the store: ``url``, else ``$CIVICFLOW_DB``, else ``./civicflow.db``.

    A value without ``://`` is a file path and becomes a SQLite URL (relative paths are made absolute,
    ``~`` is expanded). ``postgresql://`` and ``postgres://`` use the psycopg 3 driver.
    """
    chosen = url or environ.get(ENV_VAR) or DEFAULT_FILE
    if "://" not in chosen:
        path = Path(chosen).expanduser().resolve()
        return f"sqlite:///{path}"
    for prefix in ("postgresql://", "postgres://"):
        if chosen.startswith(prefix):
            return "postgresql+psycopg://" + chosen.removeprefix(prefix)
    return chosen
