"""Process instances: allowed transitions, refusals that say why, blocked reasons, JSON round trip."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from civicflow.errors import EventLogError, IllegalTransitionError
from civicflow.events import Event, EventType, parse_event_time
from civicflow.instance import ProcessInstance, StepState
from civicflow.loader import load_template
from civicflow.template import ProcessTemplate

FIXTURES = Path(__file__).parent / "fixtures" / "events"
START = dt.date(2025, 4, 1)


@pytest.fixture(scope="module")
def mini() -> ProcessTemplate:
    return load_template(FIXTURES / "mini.yaml")


@pytest.fixture
def inst(mini: ProcessTemplate) -> ProcessInstance:
    return ProcessInstance(mini, start=START, name="test")


def test_new_instance_is_all_pending(inst: ProcessInstance) -> None:
    """Nothing has happened in a new instance."""
    assert set(inst.states().values()) == {StepState.PENDING}
    assert inst.history == ()


def test_complete_a_one_day_step_without_opening_it(inst: ProcessInstance) -> None:
    """A meeting can be completed directly; the event is local midnight when given a date."""
    event = inst.record("meeting", at=dt.date(2025, 4, 3))
    assert inst.state("meeting") is StepState.DONE
    assert event.at.isoformat() == "2025-04-03T00:00:00+03:00"
    assert inst.opened_on("meeting") == inst.closed_on("meeting") == dt.date(2025, 4, 3)


def test_open_then_complete_a_span(inst: ProcessInstance) -> None:
    """A discussion opens, then completes; the stage derives its state from its steps."""
    inst.record("draft", at=dt.date(2025, 5, 1))
    inst.record("discussion", "open", at=dt.datetime(2025, 5, 1, 12, 0))
    assert inst.state("discussion") is StepState.OPEN
    assert inst.stage_state("s2") is StepState.OPEN
    inst.record("discussion", EventType.COMPLETE, at=dt.date(2025, 5, 12))
    inst.record("hearing", at=dt.date(2025, 5, 13))
    assert inst.stage_state("s2") is StepState.DONE
    assert inst.stage_state("s1") is StepState.PENDING


def test_event_after_completion_is_refused_with_what_is_allowed(inst: ProcessInstance) -> None:
    """Completing a step twice says it was completed and lists what is allowed."""
    inst.record("meeting", at=dt.date(2025, 4, 3))
    with pytest.raises(IllegalTransitionError, match="already completed") as info:
        inst.record("meeting", at=dt.date(2025, 4, 4))
    assert "allowed on 2025-04-04: " in str(info.value)
    assert "complete publication" in str(info.value)
    assert len(inst.history) == 1


def test_dependency_not_done_is_refused(inst: ProcessInstance) -> None:
    """A hearing cannot happen before the discussion it depends on was completed."""
    with pytest.raises(IllegalTransitionError, match="waits for 'discussion' to be completed"):
        inst.record("hearing", at=dt.date(2025, 5, 13))


def test_hearing_inside_the_discussion_period_is_blocked_with_the_reason(inst: ProcessInstance) -> None:
    """Discussion from Thu 2025-05-01 lasts at least 10 days: the hearing is blocked until 2025-05-13."""
    inst.record("draft", at=dt.date(2025, 5, 1))
    inst.record("discussion", "open", at=dt.date(2025, 5, 1))
    inst.record("discussion", at=dt.date(2025, 5, 12))
    blocked = {(b.step, b.event): b for b in inst.blocked(dt.date(2025, 5, 12))}
    hearing = blocked[("hearing", EventType.COMPLETE)]
    assert hearing.earliest == dt.date(2025, 5, 13)
    assert (
        "'hearing' cannot be completed before 2025-05-13: 'discussion' counted from 2025-05-01 lasts at "
        "least 10 days and ends on 2025-05-12" in hearing.reason
    )
    with pytest.raises(IllegalTransitionError, match="before 2025-05-13"):
        inst.record("hearing", at=dt.date(2025, 5, 12))
    allowed = {(t.step, t.event) for t in inst.allowed(dt.date(2025, 5, 13))}
    assert ("hearing", EventType.COMPLETE) in allowed


def test_discussion_cannot_close_early_in_strict_mode(inst: ProcessInstance) -> None:
    """Closing a discussion before its minimum period ends is refused unless strict=False."""
    inst.record("draft", at=dt.date(2025, 5, 1))
    with pytest.raises(IllegalTransitionError, match="cannot close before 2025-05-12"):
        inst.record("discussion", at=dt.date(2025, 5, 5))
    inst.record("discussion", at=dt.date(2025, 5, 5), strict=False)
    assert inst.state("discussion") is StepState.DONE


def test_blocked_lists_the_steps_waited_for(inst: ProcessInstance) -> None:
    """A step waiting for prerequisites names them."""
    blocked = {(b.step, b.event): b for b in inst.blocked(START)}
    assert blocked[("publication", EventType.OPEN)].waiting_for == ("meeting",)


def test_allowed_shows_a_known_deadline(inst: ProcessInstance) -> None:
    """After the meeting, publishing is allowed and due by the third working day."""
    inst.record("meeting", at=dt.date(2024, 10, 10))
    allowed = {(t.step, t.event): t for t in inst.allowed(dt.date(2024, 10, 11))}
    assert allowed[("publication", EventType.COMPLETE)].latest == dt.date(2024, 10, 15)
    assert ("meeting", EventType.COMPLETE) not in allowed


@pytest.mark.parametrize(
    ("step", "event", "message"),
    [("meting", "complete", "did you mean meeting"), ("meeting", "finish", "unknown event 'finish'")],
    ids=["unknown-step", "unknown-event"],
)
def test_unknown_step_or_event_is_refused(inst: ProcessInstance, step: str, event: str, message: str) -> None:
    """Typos are refused with a suggestion or the list of known events."""
    with pytest.raises(IllegalTransitionError, match=message):
        inst.record(step, event, at=START)


def test_skip_resolves_a_dependency(inst: ProcessInstance) -> None:
    """A skipped step lets the steps that depend on it go ahead."""
    inst.record("meeting", "skip", at=START)
    assert inst.state("meeting") is StepState.SKIPPED
    inst.record("publication", at=START)
    assert inst.stage_state("s1") is StepState.DONE


def test_json_round_trip(inst: ProcessInstance, mini: ProcessTemplate) -> None:
    """to_json is versioned and JSON-serialisable; from_json replays it to the same state."""
    inst.record("meeting", at=dt.datetime(2025, 4, 3, 10, 0), by="secretary", note="quorum")
    inst.record("publication", at=dt.date(2025, 4, 4), url="https://example.org/p")
    data = json.loads(json.dumps(inst.to_json()))
    assert data["format"] == "civicflow-instance"
    assert data["version"] == 1
    assert data["template"] == "mini"
    assert data["start"] == "2025-04-01"
    back = ProcessInstance.from_json(data, mini)
    assert back.history == inst.history
    assert back.states() == inst.states()
    assert back.name == "test"


def test_from_json_of_another_template_is_refused(inst: ProcessInstance, mini: ProcessTemplate) -> None:
    """Restoring an instance against the wrong template or version fails with every problem."""
    data = inst.to_json() | {"template": "other", "version": 9}
    with pytest.raises(EventLogError) as info:
        ProcessInstance.from_json(data, mini)
    assert len(info.value.problems) == 2


def test_from_events_replays_in_day_order_and_keeps_late_facts(mini: ProcessTemplate) -> None:
    """Events are replayed by local day; a hearing inside the minimum period is kept for the check."""
    kyiv = "Europe/Kyiv"
    events = [
        Event("hearing", EventType.COMPLETE, parse_event_time("2025-05-12", kyiv)),
        Event("discussion", EventType.COMPLETE, parse_event_time("2025-05-11", kyiv)),
        Event("draft", EventType.COMPLETE, parse_event_time("2025-05-01", kyiv)),
    ]
    inst = ProcessInstance.from_events(mini, start=START, events=events)
    assert inst.state("hearing") is StepState.DONE
    assert [e.step for e in inst.history] == ["draft", "discussion", "hearing"]
    assert not inst.check().ok


def test_from_events_refuses_an_impossible_order(mini: ProcessTemplate) -> None:
    """A completion before the step it depends on is an error, not a finding."""
    kyiv = "Europe/Kyiv"
    events = [Event("publication", EventType.COMPLETE, parse_event_time("2025-05-01", kyiv))]
    with pytest.raises(EventLogError, match="waits for 'meeting'"):
        ProcessInstance.from_events(mini, start=START, events=events)


def test_instances_share_a_compiled_procedure(inst: ProcessInstance, mini: ProcessTemplate) -> None:
    """Passing procedure= reuses the compiled template and its calendar."""
    other = ProcessInstance(mini, start=START, procedure=inst.procedure)
    assert other.procedure is inst.procedure
    assert other.calendar is inst.calendar
