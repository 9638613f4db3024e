"""The tables of the store and the ordered migrations that build them.

The database records its schema version in ``schema_version`` (one row). :func:`migrate` runs, in one
transaction, every migration newer than that version and then records :data:`SCHEMA_VERSION`; opening an
up-to-date database changes nothing. A migration is frozen once released: it spells out its own DDL
instead of using the current table definitions, so that replaying it on an old file gives what that
release had. Add a migration at the end of :data:`MIGRATIONS`; never edit or reorder one.

Column names avoid SQL keywords (``kind``, ``occurred_at``, ``recorded_by``, ``start_date``) so that no
dialect needs quoting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Date,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection

from civicflow.errors import StoreError

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Migration",
    "api_tokens",
    "events",
    "instances",
    "migrate",
    "registered_templates",
    "schema_version",
    "status_summaries",
]

# A fixed key for PostgreSQL's advisory lock, so that two processes opening a fresh database at the same
# time do not both create the tables ("civicflow" in ASCII, truncated to 63 bits).
_PG_LOCK_KEY = 0x636976_6963666C

metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

instances = Table(
    "instances",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("template_id", String(200), nullable=False),
    Column("template_version", String(100), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("version", Integer, nullable=False),
    Column("template_source", String(1000)),  # v2; NULL in rows migrated from v1 means the template id
)

events = Table(
    "events",
    metadata,
    Column("instance", String(200), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("step", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    # ISO 8601 with its UTC offset, as recorded: a TIMESTAMP WITH TIME ZONE would keep the instant but
    # not the offset, and the local day of an event is what legal deadlines count from.
    Column("occurred_at", String(64), nullable=False),
    Column("recorded_by", String(200)),
    Column("note", Text),
    Column("url", String(2000)),  # v2
    # v3: a correction (amend or retract) names the seq of the event it corrects, and may say why
    Column("corrects", Integer),
    Column("reason", Text),
    # v5: 1 when only a day was recorded, no time of day (occurred_at is then the start of that day);
    # NULL otherwise, as in every row written before v5
    Column("day_only", Integer),
    # The primary key is the UNIQUE (instance, seq) that makes a second writer of the same seq fail.
    PrimaryKeyConstraint("instance", "seq", name="events_pkey"),
    ForeignKeyConstraint(["instance"], ["instances.name"], ondelete="CASCADE", name="events_instance_fkey"),
)


# v4: what `civicflow serve` keeps. Access tokens (only a hash of each secret), templates registered over
# the API (their YAML text, immutable per id and version), and a status summary per instance: its heat map
# row and open due days as of ``computed_for``, true from ``holds_from`` until ``stale_from`` (the days a
# deadline or an event moves it), written for ``version`` (a summary of an older version is stale).
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("instances", Text),  # a JSON list of names and name prefixes ("kir-*"); NULL: every instance
    Column("created_at", String(64), nullable=False),
    Column("revoked_at", String(64)),
)

registered_templates = Table(
    "registered_templates",
    metadata,
    Column("template_id", String(200), nullable=False),
    Column("template_version", String(100), nullable=False),
    Column("source_text", Text, nullable=False),
    Column("registered_at", String(64), nullable=False),
    PrimaryKeyConstraint("template_id", "template_version", name="registered_templates_pkey"),
)

status_summaries = Table(
    "status_summaries",
    metadata,
    Column("instance", String(200), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("computed_for", Date, nullable=False),
    Column("holds_from", Date),  # NULL: no earlier day changes it
    Column("stale_from", Date),  # NULL: no later day changes it
    Column("summary", Text, nullable=False),  # JSON: the heat map row (cells, their sources, worst, ok)
    Column("due", Text, nullable=False),  # JSON: the open steps with their due days (the agenda)
    Column("next_due", Date),  # the earliest of those due days; NULL: none
    ForeignKeyConstraint(
        ["instance"], ["instances.name"], ondelete="CASCADE", name="status_summaries_instance_fkey"
    ),
)


@dataclass(frozen=True)
class Migration:
    """One step of the schema: it brings a database from ``version - 1`` to ``version``."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def _v1_tables(conn: Connection) -> None:
    for statement in (
        """CREATE TABLE instances (
            name VARCHAR(200) NOT NULL PRIMARY KEY,
            template_id VARCHAR(200) NOT NULL,
            template_version VARCHAR(100) NOT NULL,
            start_date DATE NOT NULL,
            version INTEGER NOT NULL
        )""",
        """CREATE TABLE events (
            instance VARCHAR(200) NOT NULL,
            seq INTEGER NOT NULL,
            step VARCHAR(200) NOT NULL,
            kind VARCHAR(20) NOT NULL,
            occurred_at VARCHAR(64) NOT NULL,
            recorded_by VARCHAR(200),
            note TEXT,
            CONSTRAINT events_pkey PRIMARY KEY (instance, seq),
            CONSTRAINT events_instance_fkey FOREIGN KEY (instance) REFERENCES instances (name)
                ON DELETE CASCADE
        )""",
    ):
        conn.execute(text(statement))


def _v2_url_and_template_source(conn: Connection) -> None:
    conn.execute(text("ALTER TABLE events ADD COLUMN url VARCHAR(2000)"))
    conn.execute(text("ALTER TABLE instances ADD COLUMN template_source VARCHAR(1000)"))


def _v3_corrections(conn: Connection) -> None:
    conn.execute(text("ALTER TABLE events ADD COLUMN corrects INTEGER"))
    conn.execute(text("ALTER TABLE events ADD COLUMN reason TEXT"))


def _v4_service_tables(conn: Connection) -> None:
    for statement in (
        """CREATE TABLE api_tokens (
            token_id VARCHAR(32) NOT NULL PRIMARY KEY,
            name VARCHAR(200) NOT NULL,
            role VARCHAR(20) NOT NULL,
            secret_hash VARCHAR(64) NOT NULL UNIQUE,
            instances TEXT,
            created_at VARCHAR(64) NOT NULL,
            revoked_at VARCHAR(64)
        )""",
        """CREATE TABLE registered_templates (
            template_id VARCHAR(200) NOT NULL,
            template_version VARCHAR(100) NOT NULL,
            source_text TEXT NOT NULL,
            registered_at VARCHAR(64) NOT NULL,
            CONSTRAINT registered_templates_pkey PRIMARY KEY (template_id, template_version)
        )""",
        """CREATE TABLE status_summaries (
            instance VARCHAR(200) NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL,
            computed_for DATE NOT NULL,
            holds_from DATE,
            stale_from DATE,
            summary TEXT NOT NULL,
            due TEXT NOT NULL,
            next_due DATE,
            CONSTRAINT status_summaries_instance_fkey FOREIGN KEY (instance) REFERENCES instances (name)
                ON DELETE CASCADE
        )""",
        "CREATE INDEX status_summaries_next_due ON status_summaries (next_due)",
    ):
        conn.execute(text(statement))


def _v5_day_only(conn: Connection) -> None:
    conn.execute(text("ALTER TABLE events ADD COLUMN day_only INTEGER"))


def _v6_summaries_recomputed(conn: Connection) -> None:
    # a summary is a cache of a status: one made by an earlier civicflow holds that version's verdicts (a
    # backward rule dated from an assumed day, no step listed as not datable yet) until its stale day;
    # dropped, each is made again by the next read
    conn.execute(text("DELETE FROM status_summaries"))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "instances and their append-only events", _v1_tables),
    Migration(2, "an event's url; where an instance's template is loaded from", _v2_url_and_template_source),
    Migration(3, "corrections: an event that amends or retracts an earlier one, and why", _v3_corrections),
    Migration(4, "the service: access tokens, registered templates, status summaries", _v4_service_tables),
    Migration(5, "an event recorded as a day without a time of day", _v5_day_only),
    Migration(6, "status summaries made by an earlier civicflow are made again", _v6_summaries_recomputed),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
"""The schema version this civicflow writes."""


def current_version(conn: Connection) -> int:
    """The schema version recorded in the database; 0 for an empty database."""
    if not inspect(conn).has_table("schema_version"):
        return 0
    found = conn.execute(select(func.max(schema_version.c.version))).scalar_one_or_none()
    return int(found or 0)


def migrate(conn: Connection) -> int:
    """Apply every pending migration inside the caller's (write) transaction; returns the old version."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    found = current_version(conn)
    if found > SCHEMA_VERSION:
        raise StoreError(
            f"the store has schema version {found}, newer than this civicflow understands "
            f"({SCHEMA_VERSION}); upgrade civicflow"
        )
    if found == SCHEMA_VERSION:
        return found
    if found == 0:
        schema_version.create(conn, checkfirst=True)
    for migration in MIGRATIONS[found:]:
        migration.apply(conn)
    conn.execute(schema_version.delete())
    conn.execute(schema_version.insert().values(version=SCHEMA_VERSION))
    return found
