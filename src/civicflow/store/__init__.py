"""The durable instance store: tracked process instances and their append-only event histories.

A SQLite file by default (``$CIVICFLOW_DB`` or ``./civicflow.db``; nothing to set up), PostgreSQL for
shared deployments (``postgresql+psycopg://user:password@host/db``). Needs the ``store`` extra
(SQLAlchemy; ``postgres`` adds the psycopg driver)::

    from civicflow.store import Store

    with Store.open() as store:
        store.create("kir-2025", template.id, template.version, dt.date(2025, 10, 6))
        version = store.record("kir-2025", event, expected_version=0)
        instance = store.load("kir-2025")

Importing this package needs SQLAlchemy; ``import civicflow`` does not. See docs/store.md.
"""

from __future__ import annotations

from civicflow.errors import StoreError

try:
    import sqlalchemy as _sqlalchemy  # noqa: F401  (imported to fail early with a clear message)
except ImportError as _exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise StoreError(
        f"the instance store needs SQLAlchemy, which is not installed ({_exc}); "
        'pip install "civicflow[store]"'
    ) from _exc

from civicflow.store._records import (
    DEFAULT_FILE,
    ENV_VAR,
    MAX_LENGTHS,
    InstanceRecord,
    NewInstance,
    resolve_url,
)
from civicflow.store._schema import MIGRATIONS, SCHEMA_VERSION, Migration
from civicflow.store._store import (
    SqliteSynchronous,
    Store,
    TemplateResolver,
    TrackedInstance,
    load_template_for,
)

__all__ = [
    "DEFAULT_FILE",
    "ENV_VAR",
    "MAX_LENGTHS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "InstanceRecord",
    "Migration",
    "NewInstance",
    "SqliteSynchronous",
    "Store",
    "TemplateResolver",
    "TrackedInstance",
    "load_template_for",
    "resolve_url",
]
