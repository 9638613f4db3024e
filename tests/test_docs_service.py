"""docs/service.md runs: its token commands, every curl example in order against a real `civicflow serve`
process, then its JavaScript (Node.js) and Ruby snippets against the same process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from server_support import Served, serve

DOC = Path(__file__).resolve().parents[1] / "docs" / "service.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)


def blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(DOC.read_text(encoding="utf-8")) if lang == language]


def bash(script: str, env: dict[str, str], cwd: Path) -> str:
    # curl fails on an HTTP error (and prints the problem); each example's output ends with a newline
    prelude = 'set -euo pipefail\ncurl() { command curl --fail-with-body --show-error "$@"; echo; }\n'
    done = subprocess.run(
        ["bash", "-c", prelude + script], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )
    assert done.returncode == 0, f"{script}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    return done.stdout


@dataclass
class DocService:
    """The service the doc's examples ran against, with the environment they ran in."""

    served: Served
    env: dict[str, str]
    token: str
    tmp: Path
    curl_output: str


@pytest.fixture(scope="module")
def doc_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DocService]:
    """docs/service.md's token commands; a real `civicflow serve` that its curl examples ran against."""
    if shutil.which("curl") is None:
        pytest.skip("needs curl (Debian package 'curl')")
    tmp = tmp_path_factory.mktemp("service-doc")
    db = str(tmp / "doc.db")
    env = {**os.environ, "CIVICFLOW_DB": db, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    sh = blocks("sh")
    out = bash(next(b for b in sh if "civicflow token create" in b), env, tmp)
    assert "revoked token" in out
    assert "kir-office" in out
    create = ["token", "create", "--name", "docs", "--role", "editor", "--db", db]
    token = subprocess.run(
        [sys.executable, "-m", "civicflow", *create], capture_output=True, text=True, check=True
    ).stdout.strip()
    examples = [b for b in sh if "$CIVICFLOW_URL" in b]
    assert len(examples) >= 8
    with serve(db, tmp) as served:
        env = {**env, "CIVICFLOW_URL": served.url, "TOKEN": token}
        text = "\n".join(bash(example, env, tmp) for example in examples)
        yield DocService(served, env, token, tmp, text)
    assert token not in served.log()


def test_every_curl_example_runs(doc_service: DocService) -> None:
    text = doc_service.curl_output
    for expected in (
        '"id":"drohobych_kir"',
        '{"id":"town_hearing","version":"1"}',
        '"ok":false',  # the lint example has problems
        '"process":"drohobych_kir"',
        '"name":"kir-2025"',
        '"version":1',
        '"history":[{"seq":1,"step":"meeting_1"',
        '"instances":[{"name":"kir-2025"',
        '"legal":',
        "BEGIN:VCALENDAR",
        "UID:kir-2025.drohobych_kir.meeting_1@civicflow",
    ):
        assert expected in text.replace(", ", ",").replace(": ", ":"), expected


def _history(doc_service: DocService) -> list[tuple[str, str]]:
    code, one = doc_service.served.json("GET", "/api/v1/instances/kir-2025")
    assert code == 200
    return [(h["step"], h["event"]) for h in one["history"]]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js 18+ (Debian package 'nodejs')")
def test_the_javascript_snippet_runs(doc_service: DocService) -> None:
    [js] = blocks("js")
    (doc_service.tmp / "embed.mjs").write_text(js, encoding="utf-8")
    done = subprocess.run(
        ["node", "embed.mjs"], capture_output=True, text=True, env=doc_service.env, cwd=doc_service.tmp
    )
    assert done.returncode == 0, done.stderr
    version = len(_history(doc_service))
    assert done.stdout.strip() == f"recorded, version {version}"
    assert ("publication_1", "complete") in _history(doc_service)


@pytest.mark.skipif(shutil.which("ruby") is None, reason="needs a Ruby interpreter (Debian package 'ruby')")
def test_the_ruby_snippet_runs(doc_service: DocService) -> None:
    [rb] = blocks("ruby")
    (doc_service.tmp / "embed.rb").write_text(rb, encoding="utf-8")
    done = subprocess.run(
        ["ruby", "embed.rb"], capture_output=True, text=True, env=doc_service.env, cwd=doc_service.tmp
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("kir-2025: ")
    assert lines[-1] == f"201 {len(_history(doc_service))}"
    assert ("state_regional_interests", "open") in _history(doc_service)
