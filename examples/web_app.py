"""Embed civicflow in a small web application, with nothing but the standard library (``wsgiref``).

Run it from the repository (after ``pip install -e .``) and open the links::

    python examples/web_app.py            # serves on http://127.0.0.1:8000/ (loopback only)
    curl 'http://127.0.0.1:8000/templates'
    curl 'http://127.0.0.1:8000/plan?template=drohobych_kir&start=2025-10-06&lang=uk'
    curl 'http://127.0.0.1:8000/plan?template=drohobych_kir&start=2025-10-06&format=ics'

``GET /templates`` lists the bundled templates as JSON; ``GET /plan`` plans one from ``start`` and returns
the schedule as JSON (``Schedule.to_dict``), or in any export format with ``format=`` (``ics``, ``csv``,
``html``, ...). Bad input (an unknown template, a malformed date, an unknown step in ``fix=STEP=DATE``)
is a 400 with the error message; civicflow errors are designed to be shown to users as they are.

``template=`` is an id of a bundled template, never a path: :func:`civicflow.load_bundled_template` looks
the id up among the bundled ones and reads no other file, so ``?template=../../etc/passwd`` is a 400 that
lists the bundled ids. (``load_template`` also reads a file path: use it for a user's own command line,
never for a request.)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIServer, make_server

from civicflow import CivicflowError, list_templates, load_bundled_template, plan
from civicflow.exporters import ExportOptions, render

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

_TYPES = {
    "json": "application/json",
    "ics": "text/calendar",
    "csv": "text/csv",
    "html": "text/html",
    "markdown": "text/markdown",
    "mermaid": "text/plain",
}


def _templates() -> tuple[str, str]:
    rows = [
        {"id": info.id, "country": info.country, "steps": info.steps, "title": info.title_in("en")}
        for info in list_templates()
    ]
    return json.dumps(rows, ensure_ascii=False), "json"


def _plan(query: dict[str, list[str]]) -> tuple[str, str]:
    def one(name: str) -> str | None:
        values = query.get(name)
        return values[0] if values else None

    template = load_bundled_template(one("template") or "drohobych_kir")
    start_text = one("start")
    start = dt.date.fromisoformat(start_text) if start_text else None
    fixed = {}
    for item in query.get("fix", []):
        step, _, day = item.partition("=")
        fixed[step] = dt.date.fromisoformat(day)
    schedule = plan(template, start=start, fixed=fixed)
    fmt = one("format") or "json"
    lang = one("lang")
    if fmt == "json":
        return json.dumps(schedule.to_dict(lang), ensure_ascii=False), fmt
    return render(fmt, schedule, ExportOptions(lang=lang, template=template, as_of=schedule.start)), fmt


def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """The WSGI application: ``/templates`` and ``/plan``."""
    path = environ.get("PATH_INFO", "/")
    query = parse_qs(environ.get("QUERY_STRING", ""))
    status = "200 OK"
    try:
        if environ.get("REQUEST_METHOD", "GET") != "GET":
            status, body, fmt = "405 Method Not Allowed", json.dumps({"error": "use GET"}), "json"
        elif path == "/templates":
            body, fmt = _templates()
        elif path == "/plan":
            body, fmt = _plan(query)
        else:
            status, fmt = "404 Not Found", "json"
            body = json.dumps({"error": f"no page {path}; try /templates or /plan?template=...&start=..."})
    except (CivicflowError, ValueError) as exc:  # a bad date is a ValueError from fromisoformat
        status, body, fmt = "400 Bad Request", json.dumps({"error": str(exc)}, ensure_ascii=False), "json"
    data = body.encode("utf-8")
    start_response(
        status, [("Content-Type", f"{_TYPES[fmt]}; charset=utf-8"), ("Content-Length", str(len(data)))]
    )
    return [data]


def serve(host: str = "127.0.0.1", port: int = 8000) -> WSGIServer:
    """A server for :func:`app` (not started: call ``serve_forever()``); port 0 picks a free port."""
    return make_server(host, port, app)


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    with serve(port=port) as server:
        print(f"civicflow example serving on http://127.0.0.1:{server.server_port}/templates (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
