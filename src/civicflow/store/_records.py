"""What the store hands out: instance records and where the database is (no SQLAlchemy here)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from civicflow._text import text_problem
from civicflow.errors import StoreError
from civicflow.events import Event
from civicflow.i18n import _
from civicflow.messages import Message

__all__ = [
    "DEFAULT_FILE",
    "ENV_VAR",
    "MAX_LENGTHS",
    "MAX_NAME_LENGTH",
    "InstanceRecord",
    "NewInstance",
    "check_event_text",
    "check_happened",
    "check_instance_text",
    "check_name",
    "resolve_url",
    "url_problem",
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


MAX_LENGTHS = {"step": 200, "by": 200, "note": 10_000, "url": 2_000}
_WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+\S*$", re.IGNORECASE)
"""An event's url: an http or https address with a host (no javascript:, data: or file: links)."""
"""The longest text each field of an event may hold, the same on every backend (characters)."""
MAX_TEMPLATE_LENGTHS = {"template id": 200, "template version": 100, "template source": 1_000}


def check_event_text(event: Event, prefix: str = "") -> None:
    """Refuse, before anything is written, event text a backend would refuse or change: longer than
    :data:`MAX_LENGTHS`, with a NUL character (PostgreSQL refuses it, SQLite keeps it) or a lone
    surrogate (no database can encode it). Raises :class:`StoreError` naming the field."""
    for name, limit in MAX_LENGTHS.items():
        value = getattr(event, name)
        if value is None:
            continue
        problem = text_problem(value, f"the event's {name}", limit)
        if problem is not None:
            raise StoreError(f"{prefix}{problem}; nothing was written")
    bad_url = url_problem(event.url)
    if bad_url is not None:
        raise StoreError(f"{prefix}{bad_url}; nothing was written")


def url_problem(url: str | None) -> Message | None:
    """What is wrong with an event's evidence link (None when nothing is): the store and the HTTP API
    both keep http and https addresses only, so no javascript:, data: or file: link is ever handed on."""
    if url is None or _WEB_ADDRESS.match(url):
        return None
    return Message(
        _(
            "the event's url {url} is not a web address; give one that starts with https:// or "
            "http:// (a page or a document that shows the evidence)"
        ),
        url=repr(url[:80]),
    )


def check_instance_text(template_id: str, template_version: str, template_source: str) -> None:
    """The same checks for what an instance record says about its template."""
    values = (template_id, template_version, template_source)
    for (what, limit), value in zip(MAX_TEMPLATE_LENGTHS.items(), values, strict=True):
        problem = text_problem(value, what, limit)
        if problem is not None:
            raise StoreError(f"{problem}; nothing was written")


def check_happened(day: dt.date, today: dt.date) -> dt.date:
    """``day`` if an event can have happened on it: at the latest tomorrow in the jurisdiction (a
    day's grace for clocks and time zones); a :class:`StoreError` saying so otherwise. Recording, over
    the HTTP API and on the command line alike, refuses later days: an event records what happened."""
    latest = today + dt.timedelta(days=1)
    if day > latest:
        raise StoreError(
            Message(
                _(
                    "an event records what happened; {day} is after {latest} (tomorrow in the "
                    "jurisdiction); nothing was written"
                ),
                day=day.isoformat(),
                latest=latest.isoformat(),
            )
        )
    return day


def check_name(name: str) -> str:
    """``name`` if it can name an instance; a :class:`StoreError` saying what is allowed otherwise."""
    problem = text_problem(name, "instance name")
    if problem is not None:
        raise StoreError(problem)
    if not name.strip() or name != name.strip():
        raise StoreError(
            Message(_("instance name {name} is empty or has spaces at either end"), name=repr(name))
        )
    if len(name) > MAX_NAME_LENGTH:
        raise StoreError(
            Message(
                _("instance name is {length} characters long; at most {limit} are allowed"),
                length=len(name),
                limit=MAX_NAME_LENGTH,
            )
        )
    if _BAD_NAME.search(name):
        raise StoreError(Message(_("instance name {name} contains control characters"), name=repr(name)))
    if "/" in name:
        raise StoreError(
            Message(
                _("instance name {name} cannot hold '/' (it is part of the instance's web address)"),
                name=repr(name),
            )
        )
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
