"""The bundled templates are faithful to their sources: inferences are marked, sources cited by title."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from civicflow.loader import load_template
from civicflow.template import ProcessTemplate

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ("drohobych_kir", "sandanski_debates", "sofia_vision", "togliatti_map", "vinnytsia_hub")
# a path on a development machine, a seed file's name or the team's own reference notes are no citation a
# reader can follow
_MACHINE = re.compile(r"/work/|\.\./shared|\bseeds?\b|[0-9a-f]{16}\.txt|legal-periods\.md")
_USER_FILES = sorted(
    [
        *ROOT.glob("process_templates/*.yaml"),
        *ROOT.glob("docs/*.md"),
        ROOT / "README.md",
        *ROOT.glob("examples/*"),
        *ROOT.glob("src/civicflow/**/*.py"),
    ]
)


@pytest.mark.parametrize("path", _USER_FILES, ids=[p.relative_to(ROOT).as_posix() for p in _USER_FILES])
def test_what_users_read_names_no_development_paths(path: Path) -> None:
    """Templates, docs, README and examples cite documents by title and date, never by a machine path."""
    found = [m.group(0) for m in _MACHINE.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def test_docs_hold_no_team_notes() -> None:
    """docs/ is for users and contributors of the project: the team's helper notes are gone."""
    assert not (ROOT / "docs" / "CONTRIBUTING-helpers.md").exists()
    assert "CONTRIBUTING-helpers" not in (ROOT / "docs" / "index.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("tid", SEEDS)
def test_each_template_names_its_source_with_a_date(tid: str) -> None:
    """`source:` gives the document's title with its date (or says it is undated)."""
    t = load_template(tid)
    assert t.source is not None
    text = " ".join(t.source.values())
    assert re.search(r"\b(19|20)\d\d\b|undated|без дати", text), text


def _assumptions(t: ProcessTemplate, sid: str) -> str:
    return " ".join(a.get("en", "") for a in t.step(sid).assumptions)


def test_drohobych_inferences_are_marked_with_their_reason() -> None:
    """Each order the plan does not state is an assumption saying why the template takes it."""
    t = load_template("drohobych_kir")
    for sid in ("state_regional_interests", "current_documents", "public_interests", "stakeholder_meetings"):
        assert "meeting 1.1" in _assumptions(t, sid), sid
    assert "agenda of 3.6" in _assumptions(t, "meeting_5")
    assert "3.8, then 4.1" in _assumptions(t, "meeting_6")
    assert "whole beginning of March" in _assumptions(t, "draft_decision")


def test_drohobych_discussions_name_the_department_the_plan_names() -> None:
    """Items 3.5 and 4.2 name the digital communications department as responsible."""
    t = load_template("drohobych_kir")
    for sid in ("discussion_preliminary_draft", "discussion_main_draft"):
        assert t.step(sid).responsible == ["digital_comms_department"]


def test_drohobych_hearings_are_told_apart_in_ukrainian() -> None:
    """The two hearings have different Ukrainian titles naming their draft."""
    t = load_template("drohobych_kir")
    first, second = (t.step(s).title["uk"] for s in ("hearing_preliminary_draft", "hearing_main_draft"))
    assert first != second
    assert "попереднього проєкту" in first
    assert "основного проєкту" in second


def test_sandanski_claims_no_commenting() -> None:
    """The source never says the platform takes comments: no channel says it does."""
    t = load_template("sandanski_debates")
    assert not any(c.commenting for _, s in t.iter_steps() for c in s.channels)


def test_togliatti_partners_from_decision_3_are_assumptions() -> None:
    """The survey and the sessions take their partners from decision 3, and say so."""
    t = load_template("togliatti_map")
    for sid in ("survey", "online_session_1", "online_session_2", "strategic_sessions_series"):
        if t.step(sid).partners:
            assert "decision 3" in _assumptions(t, sid), sid


def test_vinnytsia_brand_and_strategies_has_no_invented_organizer() -> None:
    """The document names no organizer of the brand and strategies work."""
    assert load_template("vinnytsia_hub").step("project_brand_and_strategies").organizers == []
