"""``civicflow serve``: an HTTP API and calendar feeds over the instance store.

Needs the ``server`` extra (FastAPI and uvicorn): ``pip install "civicflow[server]"``. Importing this
package imports neither; :func:`civicflow.server.app.create_app` builds the ASGI application. Tokens
(:mod:`civicflow.server.tokens`) need only the store. See docs/service.md.
"""

from __future__ import annotations

__all__: list[str] = []
