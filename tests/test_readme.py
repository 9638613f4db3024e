"""The README's Quick start: exactly two commands, and the main job it runs works."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from civicflow.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def _quick_start() -> list[str]:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Quick start\n.*?```bash\n(.*?)```", text, re.S | re.M)
    assert match, "README.md has no '## Quick start' section with a bash block"
    return [line for line in match.group(1).splitlines() if line.strip()]


def test_quick_start_has_two_commands() -> None:
    """One command installs and runs the main job, one installs the test dependencies and runs the tests."""
    first, second = _quick_start()
    assert "pip install ." in first
    assert "civicflow" in first.split("&&")[1]
    assert 'pip install -e ".[test]"' in second
    assert "pytest" in second


def test_quick_start_main_job_plans_a_bundled_template(capsys: pytest.CaptureFixture[str]) -> None:
    """The main-job half of the first command exits 0 and prints a dated timeline."""
    args = shlex.split(_quick_start()[0].split("&&")[1])
    assert args[0] == "civicflow"
    assert main(args[1:]) == 0
    out = capsys.readouterr().out
    assert "publication_1" in out
    assert re.search(r"\d{4}-\d{2}-\d{2} (Mon|Tue|Wed|Thu|Fri|Sat|Sun)", out)


def test_the_quick_starts_one_warning_is_the_one_the_readme_explains(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The plan of the quick start warns once: the hearing on the preliminary draft (dated January by the
    source document) outside its stage's November - December, which the template keeps as written; the
    README says what that warning means."""
    from civicflow.loader import load_template
    from civicflow.template import Window

    args = shlex.split(_quick_start()[0].split("&&")[1])
    assert main(args[1:]) == 0
    out = capsys.readouterr().out
    warnings = [line for line in out.splitlines() if "WARNING" in line]
    assert len(warnings) == 1
    assert "hearing_preliminary_draft" in warnings[0]
    template = load_template("drohobych_kir")
    stage = next(st for st in template.stages if st.id == "stage_3_preliminary_draft")
    hearing = next(step for step in stage.steps if step.id == "hearing_preliminary_draft")
    assert isinstance(stage.timing, Window)
    assert isinstance(hearing.timing, Window)
    assert (stage.timing.month, stage.timing.until.month if stage.timing.until else None) == (11, 12)
    assert hearing.timing.month == 1  # "Дата: січень" under "3. ... (Листопад - Грудень)"
    readme = " ".join(README.read_text(encoding="utf-8").split())
    said = "Its one WARNING, that the public hearing on the preliminary draft (January) falls outside"
    assert said in readme


def test_readme_python_snippet_runs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's 'From Python' snippet runs from the repository root and prints what its comments say."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## From Python\n\n```python\n(.*?)```", text, re.S | re.M)
    assert match, "README.md has no 'From Python' snippet"
    code = match.group(1)
    monkeypatch.chdir(README.parent)
    exec(compile(code, "README.md (From Python)", "exec"), {"__name__": "__readme__"})
    printed = capsys.readouterr().out.splitlines()
    promised = [
        line.split("# ", 1)[1] for line in code.splitlines() if line.startswith("print(") and "# " in line
    ]
    assert printed == promised
