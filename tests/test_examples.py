"""Every script in ``examples/`` runs and prints what its docstring promises."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_example_has_a_docstring_and_a_test() -> None:
    """Each example script starts with a docstring and is exercised below."""
    tested = {"legal_periods.py", "plan_timeline.py", "validate_publications.py", "web_app.py"}
    scripts = {p.name for p in EXAMPLES.glob("*.py")}
    assert scripts == tested
    for name in scripts:
        assert (EXAMPLES / name).read_text(encoding="utf-8").startswith('"""'), name


def test_legal_periods() -> None:
    """The legal-periods script prints the law's line and the advice, and each rule set's deadline."""
    result = _run("legal_periods.py")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "deadline 2025-03-15, advised 2025-03-14" in out  # not moved (no code moves a backward period)
    assert "deadline 2025-03-18" in out  # Reg. 1182/71 art. 3(5)
    assert "Reg. 1182/71 art. 3(5)" in out
    assert "deadline 2026-08-25" in out  # Mon 24 Aug 2026 is a day off after martial law
    assert "deadline 2025-05-20" in out  # 10 working days (Civil Procedure Code of the RF art. 107(3))
    assert "Civil Procedure Code of the RF art. 107(3)" in out


def test_plan_timeline() -> None:
    """The timeline script fixes the second meeting and prints deadlines with their explanations."""
    result = _run("plan_timeline.py")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "start 2025-10-06, meeting_2 fixed on 2025-11-13 Thu" in out
    assert "  2025-11-04 Tue  publication_1: Publication of the results of the first meeting" in out
    assert (
        "3 working days after 2025-10-30 Thu (event day not counted: Civil Code of Ukraine art. 253) -> "
        "2025-11-04 Tue" in out
    )
    assert "meeting_2: 2025-11-11 .. 2025-11-20 -> 2025-11-13 .. 2025-11-13" in out


def test_validate_publications() -> None:
    """The validation script reports the late publication and exits 1, like ``civicflow check``."""
    result = _run("validate_publications.py")
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "10 events checked as of 2025-11-20 Thu" in out
    assert "VIOLATED   publication_1: deadline 2025-10-14 Tue" in out
    assert "2 working days after the deadline 2025-10-14 Tue" in out
    assert "summary: 1 violated" in out


@pytest.fixture
def web_app() -> ModuleType:
    spec = importlib.util.spec_from_file_location("civicflow_example_web_app", EXAMPLES / "web_app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def base_url(web_app: ModuleType) -> Iterator[str]:
    server = web_app.serve("127.0.0.1", 0)  # loopback only, a free port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read().decode("utf-8")


def test_web_app_serves_plans_and_templates(base_url: str) -> None:
    """The stdlib web app lists templates and returns a planned schedule as JSON; bad input is a 400."""
    status, ctype, body = _get(f"{base_url}/plan?template=drohobych_kir&start=2025-10-06")
    assert (status, ctype) == (200, "application/json; charset=utf-8")
    data = json.loads(body)
    assert data["process"] == "drohobych_kir"
    assert data["start"] == "2025-10-06"
    assert len(data["steps"]) == 28

    status, _, body = _get(f"{base_url}/templates")
    assert status == 200
    assert "drohobych_kir" in {row["id"] for row in json.loads(body)}

    status, _, body = _get(f"{base_url}/plan?template=no_such_process&start=2025-10-06")
    assert status == 400
    assert "no_such_process" in json.loads(body)["error"]


def test_web_app_reads_no_file_named_by_a_request(base_url: str, tmp_path: Path) -> None:
    """``template=`` is a bundled id only: a path, relative or absolute, is a 400 that quotes no file."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("root:$6$very-secret-hash:19000:0:99999:7:::\n", encoding="utf-8")
    relative = "../" * 12 + str(secret).lstrip("/")
    for asked in (str(secret), relative, "../../../../etc/shadow", "/etc/passwd", "drohobych_kir.yaml"):
        query = urllib.parse.urlencode({"template": asked, "start": "2025-10-06"})
        status, ctype, body = _get(f"{base_url}/plan?{query}")
        assert (status, ctype) == (400, "application/json; charset=utf-8"), asked
        error = json.loads(body)["error"]
        assert "very-secret" not in error
        assert "root:" not in error
        assert "bundled templates: " in error
        assert "drohobych_kir" in error


DOCS = EXAMPLES.parent / "docs"


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("number", range(len(_python_blocks(DOCS / "api.md"))))
def test_api_doc_snippets_run(number: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each Python snippet in docs/api.md runs as it is, from the repository root."""
    monkeypatch.chdir(EXAMPLES.parent)
    code = _python_blocks(DOCS / "api.md")[number]
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, f"docs/api.md block {number}", "exec"), {"__name__": "__doc_snippet__"})
    # every "# value" comment on a print line is what that line prints
    printed = buffer.getvalue().splitlines()
    expected = [
        line.split("# ", 1)[1].split(" ...")[0]
        for line in code.splitlines()
        if line.startswith("print(") and "# " in line
    ]
    for text in expected:
        assert any(out.startswith(text) or text in out for out in printed), (text, printed)
