"""docs/service.md runs: its token commands, every curl example in order against a real `civicflow serve`
process, then its JavaScript (Node.js) and Ruby snippets against the same process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from server_support import serve

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


def test_service_doc_examples_run(tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.skip("needs curl")
    db = str(tmp_path / "doc.db")
    env = {**os.environ, "CIVICFLOW_DB": db, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    sh = blocks("sh")
    tokens = next(b for b in sh if "civicflow token create" in b)
    out = bash(tokens, env, tmp_path)
    assert "revoked token" in out
    assert "kir-office" in out
    token = subprocess.run(
        [
            sys.executable,
            "-m",
            "civicflow",
            "token",
            "create",
            "--name",
            "docs",
            "--role",
            "editor",
            "--db",
            db,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    examples = [b for b in sh if "$CIVICFLOW_URL" in b]
    assert len(examples) >= 8
    outputs: list[str] = []
    with serve(db, tmp_path) as served:
        env = {**env, "CIVICFLOW_URL": served.url, "TOKEN": token}
        for example in examples:
            outputs.append(bash(example, env, tmp_path))
        text = "\n".join(outputs)
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
        if shutil.which("node"):
            [js] = blocks("js")
            (tmp_path / "embed.mjs").write_text(js, encoding="utf-8")
            done = subprocess.run(
                ["node", "embed.mjs"], capture_output=True, text=True, env=env, cwd=tmp_path
            )
            assert done.returncode == 0, done.stderr
            assert done.stdout.strip() == "recorded, version 2"
        if shutil.which("ruby"):
            [rb] = blocks("ruby")
            (tmp_path / "embed.rb").write_text(rb, encoding="utf-8")
            done = subprocess.run(["ruby", "embed.rb"], capture_output=True, text=True, env=env, cwd=tmp_path)
            assert done.returncode == 0, done.stderr
            assert "kir-2025: " in done.stdout
            assert done.stdout.strip().endswith("201 3")
    assert token not in served.log()
