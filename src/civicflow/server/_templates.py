"""Templates the service knows: the bundled ones by id, and those registered in the store.

Nothing here reads a file by a name that came from a request: a bundled template is looked up by its id
among the bundled files, a registered one is read from the database. A registered template is immutable
per id and version, so a worker may keep it once compiled.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from civicflow.errors import InstanceExistsError, TemplateNotFoundError
from civicflow.i18n import _
from civicflow.loader import bundled_ids, list_templates, load_bundled_template, parse_template_text
from civicflow.messages import Message, Param
from civicflow.store import InstanceRecord, Store, load_template_for
from civicflow.store._schema import registered_templates
from civicflow.template import ProcessTemplate

__all__ = ["REGISTERED", "TemplateRegistry", "TemplateSummary", "valid_template_id"]

REGISTERED = "registered:"
"""The ``template_source`` prefix of instances whose template is registered in the store."""

_ID = re.compile(r"^[a-z][a-z0-9_]{0,79}$")


def valid_template_id(text: str) -> bool:
    """True when ``text`` has the shape of a template id (lowercase letters, digits, underscores)."""
    return bool(_ID.match(text))


@dataclass(frozen=True)
class TemplateSummary:
    id: str
    version: str | None
    title: dict[str, str]
    country: str | None
    source: str  # "bundled" or "registered"
    stages: int
    steps: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "country": self.country,
            "source": self.source,
            "stages": self.stages,
            "steps": self.steps,
        }


def _counts(template: ProcessTemplate) -> tuple[int, int]:
    return sum(1 for _ in template.iter_stages()), sum(1 for _ in template.iter_steps())


class TemplateRegistry:
    """Bundled and registered templates, compiled once per worker (both are immutable)."""

    def __init__(self, store: Store | None = None) -> None:
        self._store_ = store
        self._bundled: dict[str, ProcessTemplate] = {}
        self._registered: dict[tuple[str, str], ProcessTemplate] = {}

    def bind(self, store: Store) -> None:
        """Use ``store`` for registered templates (a store is opened with :meth:`resolve` as resolver)."""
        self._store_ = store

    @property
    def _store(self) -> Store:
        if self._store_ is None:
            raise RuntimeError("the template registry is not bound to a store")
        return self._store_

    def bundled(self, template_id: str) -> ProcessTemplate | None:
        """The bundled template with that id (only ids: never a path), or None."""
        if template_id in self._bundled:
            return self._bundled[template_id]
        if not valid_template_id(template_id) or template_id not in bundled_ids():
            return None
        template = load_bundled_template(template_id)  # by id only: never a path
        self._bundled[template_id] = template
        return template

    def registered(self, template_id: str, version: str | None = None) -> ProcessTemplate | None:
        """The registered template (its newest registration without ``version``), or None."""
        if version is not None and (template_id, version) in self._registered:
            return self._registered[(template_id, version)]
        query = select(registered_templates).where(registered_templates.c.template_id == template_id)
        if version is not None:
            query = query.where(registered_templates.c.template_version == version)
        query = query.order_by(registered_templates.c.registered_at.desc()).limit(1)
        with self._store.engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            return None
        key = (row.template_id, row.template_version)
        if key not in self._registered:
            self._registered[key] = parse_template_text(row.source_text, f"{row.template_id}.yaml")
        return self._registered[key]

    def get(self, template_id: str, version: str | None = None) -> tuple[ProcessTemplate, str]:
        """A template by id: bundled first, then registered; with where it comes from."""
        if not valid_template_id(template_id):
            raise TemplateNotFoundError(
                Message(
                    _("{id} is not a template id (lowercase letters, digits and underscores)"),
                    id=repr(template_id[:80]),
                )
            )
        template = self.bundled(template_id)
        if template is not None and (version is None or template.version == version):
            return template, "bundled"
        template = self.registered(template_id, version)
        if template is not None:
            return template, "registered"
        known = ", ".join(t.id for t in self.summaries())
        which: Param = (
            Message(_("{id} version {version}"), id=repr(template_id), version=repr(version))
            if version
            else repr(template_id)
        )
        raise TemplateNotFoundError(
            Message(
                _("no bundled or registered template {which}; known templates: {known}"),
                which=which,
                known=known,
            )
        )

    def source_of(self, template: ProcessTemplate, origin: str) -> str:
        """The ``template_source`` to store for an instance of ``template``."""
        if origin == "bundled":
            return template.id
        return f"{REGISTERED}{template.id}:{template.version}"

    def resolve(self, record: InstanceRecord) -> ProcessTemplate:
        """The store's template resolver: registered, bundled by id, else what the operator's CLI stored."""
        source = record.template_source
        if source.startswith(REGISTERED):
            template = self.registered(record.template_id, record.template_version)
            if template is None:
                raise TemplateNotFoundError(
                    f"instance {record.name!r} follows registered template {record.template_id!r} "
                    f"version {record.template_version!r}, which is not in the store"
                )
            return template
        bundled = self.bundled(source)
        if bundled is not None:
            return bundled
        return load_template_for(record)  # created by `civicflow track new FILE` on the server's machine

    def register(self, text: str) -> ProcessTemplate:
        """Validate and register a template; :class:`InstanceExistsError` if that id and version are
        registered with other text, or if the id is a bundled template's."""
        template = parse_template_text(text, "template.yaml")
        if template.id in bundled_ids():
            raise InstanceExistsError(f"{template.id!r} is a bundled template; register it under another id")
        existing = self.registered(template.id, template.version)
        if existing is not None:
            if existing.model_dump() == template.model_dump():
                return existing
            raise InstanceExistsError(
                f"template {template.id!r} version {template.version!r} is registered already with other "
                "content; give the changed template a new version"
            )
        try:
            with self._store.engine.begin() as conn:
                conn.execute(
                    registered_templates.insert().values(
                        template_id=template.id,
                        template_version=template.version,
                        source_text=text,
                        registered_at=dt.datetime.now(dt.UTC).isoformat(),
                    )
                )
        except IntegrityError:
            raise InstanceExistsError(
                f"template {template.id!r} version {template.version!r} was registered meanwhile"
            ) from None
        self._registered[(template.id, template.version)] = template
        return template

    def summaries(self) -> list[TemplateSummary]:
        """Every bundled template, then every registered one, by id and version."""
        out = [
            TemplateSummary(i.id, None, i.title, i.country, "bundled", i.stages, i.steps)
            for i in list_templates()
            if i.error is None
        ]
        query = select(registered_templates.c.template_id, registered_templates.c.template_version).order_by(
            registered_templates.c.template_id, registered_templates.c.template_version
        )
        with self._store.engine.connect() as conn:
            keys = [(r.template_id, r.template_version) for r in conn.execute(query)]
        for template_id, version in keys:
            template = self.registered(template_id, version)
            if template is None:
                continue
            stages, steps = _counts(template)
            out.append(
                TemplateSummary(
                    template.id,
                    template.version,
                    dict(template.title),
                    template.jurisdiction.country,
                    "registered",
                    stages,
                    steps,
                )
            )
        return out
