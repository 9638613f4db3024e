"""Access tokens of the service: created once, shown once, kept as a hash, listed and revoked.

A token is ``cf_<id>_<secret>``: the id names it in lists and logs, the secret (32 random bytes) is
never stored, only its SHA-256 (a random secret of that length needs no slow hash). A token has a role,
``editor`` (may write) or ``viewer`` (may read), and optionally a list of the instances it may touch:
exact names, or prefixes ending in ``*`` (``kir-*``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select

from civicflow.errors import StoreError
from civicflow.store import Store
from civicflow.store._records import check_name
from civicflow.store._schema import api_tokens

__all__ = [
    "ROLES",
    "SESSION_SECONDS",
    "Role",
    "TokenInfo",
    "authenticate",
    "create_token",
    "list_tokens",
    "open_session",
    "revoke_token",
    "session_user",
]

Role = Literal["editor", "viewer"]
ROLES: tuple[Role, ...] = ("editor", "viewer")

_PREFIX = "cf_"
_SHAPE = re.compile(r"^cf_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
_MAX_SCOPE = 1000
_SESSION = re.compile(r"^([0-9a-f]{12})\.(\d{10})\.([A-Za-z0-9_-]{22})\.([0-9a-f]{64})$")

SESSION_SECONDS = 12 * 3600
"""How long a dashboard session lasts after logging in with a token."""


@dataclass(frozen=True)
class TokenInfo:
    """What is known of a token besides its secret."""

    token_id: str
    name: str
    role: Role
    instances: tuple[str, ...] | None
    created_at: str
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def may_write(self) -> bool:
        return self.active and self.role == "editor"

    def covers(self, instance: str) -> bool:
        """True when the token may touch ``instance`` (no list: every instance)."""
        if self.instances is None:
            return True
        return any(instance.startswith(p[:-1]) if p.endswith("*") else instance == p for p in self.instances)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.token_id,
            "name": self.name,
            "role": self.role,
            "instances": list(self.instances) if self.instances is not None else None,
            "created_at": self.created_at,
            "revoked_at": self.revoked_at,
        }


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _info(row: Any) -> TokenInfo:
    scope = row.instances
    return TokenInfo(
        token_id=row.token_id,
        name=row.name,
        role=row.role,
        instances=tuple(json.loads(scope)) if scope is not None else None,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def create_token(
    store: Store, name: str, role: str, instances: Sequence[str] | None = None
) -> tuple[str, TokenInfo]:
    """Create a token; returns the token itself (shown once, never stored) and what is stored of it."""
    if not name.strip() or len(name) > 200 or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise StoreError(
            f"a token's name is 1 to 200 characters without control characters, not {name[:40]!r}"
        )
    if role not in ROLES:
        raise StoreError(f"unknown role {role!r}; use editor (may write) or viewer (may read)")
    scope: tuple[str, ...] | None = None
    if instances is not None:
        if not instances or len(instances) > _MAX_SCOPE:
            raise StoreError(f"a token is limited to 1 to {_MAX_SCOPE} instances or prefixes")
        scope = tuple(check_name(item) for item in instances)
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    info = TokenInfo(token_id, name, role, scope, _now())
    with store.engine.begin() as conn:
        conn.execute(
            api_tokens.insert().values(
                token_id=token_id,
                name=name,
                role=role,
                secret_hash=_hash(secret),
                instances=json.dumps(list(scope)) if scope is not None else None,
                created_at=info.created_at,
            )
        )
    return f"{_PREFIX}{token_id}_{secret}", info


def list_tokens(store: Store) -> list[TokenInfo]:
    """Every token, revoked ones included, oldest first."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(api_tokens).order_by(api_tokens.c.created_at, api_tokens.c.token_id))
        return [_info(row) for row in rows]


def revoke_token(store: Store, name_or_id: str) -> list[TokenInfo]:
    """Revoke the active tokens with that id or name; the revoked ones (a :class:`StoreError` if none)."""
    found = [t for t in list_tokens(store) if t.active and name_or_id in (t.token_id, t.name)]
    if not found:
        raise StoreError(f"no active token with the id or name {name_or_id!r}; see `civicflow token list`")
    when = _now()
    with store.engine.begin() as conn:
        for token in found:
            conn.execute(
                api_tokens.update()
                .where(api_tokens.c.token_id == token.token_id, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=when)
            )
    return found


def authenticate(store: Store, token: str) -> TokenInfo | None:
    """The active token ``token`` is, or None (malformed, unknown or revoked)."""
    match = _SHAPE.match(token)
    if match is None:
        return None
    token_id, secret = match.groups()
    with store.engine.connect() as conn:
        row = conn.execute(select(api_tokens).where(api_tokens.c.token_id == token_id)).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.secret_hash, _hash(secret)):
        return None
    return _info(row)


def _session_mac(server_key: bytes, secret_hash: str, token_id: str, expires: int, nonce: str) -> str:
    # keyed with the server's session key and the stored hash of the token together: the database alone
    # (a backup, a read-only account) cannot make a session, and revoking the token ends its sessions
    key = hmac.new(server_key, secret_hash.encode("ascii"), hashlib.sha256).digest()
    return hmac.new(key, f"session.{token_id}.{expires}.{nonce}".encode("ascii"), hashlib.sha256).hexdigest()


def open_session(
    store: Store, token: str, now: dt.datetime, server_key: bytes
) -> tuple[str, TokenInfo] | None:
    """A dashboard session for the active token ``token`` (None if it is not one): the value of the
    session cookie and the token it stands for.

    The cookie holds the token's id, an expiry, a random nonce and an HMAC of them keyed with the
    server's ``server_key`` and what the store keeps of the token, never the token itself: every worker
    sharing the key can check it, the database alone cannot forge one, it lapses after
    :data:`SESSION_SECONDS`, and revoking the token ends every session made with it.
    """
    info = authenticate(store, token)
    if info is None:
        return None
    secret_hash = _secret_hash(store, info.token_id)
    if secret_hash is None:  # revoked meanwhile
        return None
    expires = int(now.timestamp()) + SESSION_SECONDS
    nonce = secrets.token_urlsafe(16)
    mac = _session_mac(server_key, secret_hash, info.token_id, expires, nonce)
    return f"{info.token_id}.{expires}.{nonce}.{mac}", info


def session_user(store: Store, value: str, now: dt.datetime, server_key: bytes) -> TokenInfo | None:
    """The active token a session cookie stands for, or None (malformed, forged, expired or revoked)."""
    match = _SESSION.match(value)
    if match is None:
        return None
    token_id, expires_text, nonce, mac = match.groups()
    expires = int(expires_text)
    if expires <= now.timestamp() or expires > now.timestamp() + SESSION_SECONDS:
        return None
    with store.engine.connect() as conn:
        row = conn.execute(select(api_tokens).where(api_tokens.c.token_id == token_id)).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(mac, _session_mac(server_key, row.secret_hash, token_id, expires, nonce)):
        return None
    return _info(row)


def _secret_hash(store: Store, token_id: str) -> str | None:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(api_tokens.c.secret_hash).where(
                api_tokens.c.token_id == token_id, api_tokens.c.revoked_at.is_(None)
            )
        ).one_or_none()
    return None if row is None else str(row.secret_hash)
