"""Process instances: allowed transitions, refusals that say why, blocked reasons, JSON round trip."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from civicflow.calendar import WorkingCalendar
from civicflow.errors import EventLogError, IllegalTransitionError, UnknownStepError
from civicflow.events import Event, EventType, parse_event_time
from civicflow.instance import ProcessInstance, StepState
from civicflow.instance._lifecycle import Fired, Lifecycle, shared
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
    assert "allowed on 2025-04-04 Fri: " in str(info.value)
    assert "complete publication" in str(info.value)
    assert len(inst.history) == 1


def test_dependency_not_done_is_refused(inst: ProcessInstance) -> None:
    """A hearing cannot happen before the discussion it depends on was completed."""
    with pytest.raises(IllegalTransitionError, match="waits for 'discussion' to be completed"):
        inst.record("hearing", at=dt.date(2025, 5, 13))


def test_hearing_inside_the_discussion_period_is_blocked_with_the_reason(inst: ProcessInstance) -> None:
    """Discussion from 2025-05-01 Thu lasts at least 10 days: the hearing is blocked until 2025-05-13."""
    inst.record("draft", at=dt.date(2025, 5, 1))
    inst.record("discussion", "open", at=dt.date(2025, 5, 1))
    inst.record("discussion", at=dt.date(2025, 5, 12))
    blocked = {(b.step, b.event): b for b in inst.blocked(dt.date(2025, 5, 12))}
    hearing = blocked[("hearing", EventType.COMPLETE)]
    assert hearing.earliest == dt.date(2025, 5, 13)
    assert (
        "'hearing' cannot be completed before 2025-05-13 Tue: 'discussion' counted from 2025-05-01 Thu "
        "lasts at least 10 days and ends on 2025-05-12 Mon" in hearing.reason
    )
    with pytest.raises(IllegalTransitionError, match="before 2025-05-13"):
        inst.record("hearing", at=dt.date(2025, 5, 12))
    allowed = {(t.step, t.event) for t in inst.allowed(dt.date(2025, 5, 13))}
    assert ("hearing", EventType.COMPLETE) in allowed


def test_refusal_carries_step_event_allowed_and_earliest(inst: ProcessInstance) -> None:
    """A refused transition gives as data what its message says: step, event, allowed, earliest day."""
    inst.record("draft", at=dt.date(2025, 5, 1))
    inst.record("discussion", "open", at=dt.date(2025, 5, 1))
    inst.record("discussion", at=dt.date(2025, 5, 12))
    with pytest.raises(IllegalTransitionError) as info:
        inst.record("hearing", at=dt.date(2025, 5, 12))
    error = info.value
    assert (error.step, error.event, error.earliest) == ("hearing", "complete", dt.date(2025, 5, 13))
    expected = tuple((t.step, t.event.value) for t in inst.allowed(dt.date(2025, 5, 12)))
    assert expected
    assert error.allowed == expected
    assert ("hearing", "complete") not in error.allowed
    for step, event in error.allowed:
        assert f"{event} {step}" in str(error)


def test_unknown_step_is_an_unknown_step_error_and_a_key_error(inst: ProcessInstance) -> None:
    """Looking up a step the instance does not have names it and the known ids; record() refuses it."""
    with pytest.raises(UnknownStepError) as info:
        inst.state("nope")
    assert isinstance(info.value, KeyError)
    assert info.value.step == "nope"
    assert info.value.known == tuple(inst.states())
    assert str(info.value) == info.value.args[0]
    with pytest.raises(IllegalTransitionError) as refused:
        inst.record("nope", at=dt.date(2025, 5, 1))
    assert (refused.value.step, refused.value.event, refused.value.allowed) == ("nope", "complete", ())


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
    """Instances of one template share its compiled form and calendar, made once; an instance given its
    own calendar has its own."""
    other = ProcessInstance(mini, start=START)
    assert other.procedure is inst.procedure
    assert other.calendar is inst.calendar
    own = ProcessInstance(mini, start=START, calendar=WorkingCalendar("UA"))
    assert own.procedure is not inst.procedure
    assert own.calendar is not inst.calendar


def test_compiled_templates_are_kept_for_the_most_recently_used(
    mini: ProcessTemplate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template object is compiled once while it is among the most recently used; the oldest goes."""
    from civicflow import _procedure

    monkeypatch.setattr(_procedure._compiled, "size", 2)
    first, second, third = (mini.model_copy() for _ in range(3))
    kept = _procedure.compiled(first)
    assert _procedure.compiled(first) is kept
    assert kept.template is first
    _procedure.compiled(second)
    _procedure.compiled(third)
    assert _procedure.compiled(first) is not kept  # dropped, compiled again
    assert ProcessInstance(first, start=START).procedure is _procedure.compiled(first)


def test_instances_of_one_template_do_not_share_step_states(mini: ProcessTemplate) -> None:
    """Two instances on one procedure share the lifecycle machine but not the states of their steps."""
    first = ProcessInstance(mini, start=START, name="a")
    second = ProcessInstance(mini, start=START, name="b")
    assert shared() is shared()  # built once: the machine holds no instance's state
    first.record("meeting", at=dt.date(2025, 4, 3))
    assert first.state("meeting") is StepState.DONE
    assert second.state("meeting") is StepState.PENDING
    second.record("meeting", "skip", at=dt.date(2025, 4, 4))
    second.record("draft", "open", at=dt.date(2025, 4, 4))
    assert first.state("meeting") is StepState.DONE
    assert first.state("draft") is StepState.PENDING
    assert second.state("meeting") is StepState.SKIPPED
    assert second.state("draft") is StepState.OPEN
    assert [e.step for e in first.history] == ["meeting"]
    assert [(e.step, e.event) for e in second.history] == [
        ("meeting", EventType.SKIP),
        ("draft", EventType.OPEN),
    ]


class _Step:
    """A model for the lifecycle machine alone: a state and a condition that answers ``answer``."""

    def __init__(self, state: StepState, answer: bool = True) -> None:
        self.state: str = state.value
        self.answer = answer
        self.asked: list[tuple[EventType, dt.date, bool]] = []

    def may_proceed(self, *, kind: EventType, day: dt.date, strict: bool) -> bool:
        self.asked.append((kind, day, strict))
        return self.answer


_LIFECYCLE = {
    (StepState.PENDING, EventType.OPEN): StepState.OPEN,
    (StepState.PENDING, EventType.COMPLETE): StepState.DONE,
    (StepState.PENDING, EventType.SKIP): StepState.SKIPPED,
    (StepState.OPEN, EventType.COMPLETE): StepState.DONE,
    (StepState.OPEN, EventType.SKIP): StepState.SKIPPED,
}
_PAIRS = [(s, e) for s in StepState for e in EventType]


@pytest.mark.parametrize(("state", "event"), _PAIRS, ids=[f"{e.value}-when-{s.value}" for s, e in _PAIRS])
def test_the_machine_moves_only_along_the_lifecycle(state: StepState, event: EventType) -> None:
    """The transitions machine has exactly the documented transitions, no automatic to_<state> ones."""
    lifecycle = Lifecycle()
    model = _Step(state)
    fired = lifecycle.fire(model, event, day=START, strict=True)
    expected = _LIFECYCLE.get((state, event))
    if expected is None:
        assert fired is Fired.NOT_ALLOWED
        assert model.state == state.value
        assert model.asked == []
    else:
        assert fired is Fired.MOVED
        assert model.state == expected.value
    assert dict(lifecycle.table) == _LIFECYCLE
    assert not any(hasattr(model, f"to_{s.value}") for s in StepState)


def test_the_machine_asks_before_opening_or_completing_and_stays_put_when_refused() -> None:
    """open and complete ask may_proceed (with the day and strictness); a 'no' leaves the state alone."""
    lifecycle = Lifecycle()
    model = _Step(StepState.PENDING, answer=False)
    assert lifecycle.fire(model, EventType.OPEN, day=START, strict=False) is Fired.REFUSED
    assert lifecycle.fire(model, EventType.COMPLETE, day=START, strict=True) is Fired.REFUSED
    assert model.state == StepState.PENDING.value
    assert model.asked == [(EventType.OPEN, START, False), (EventType.COMPLETE, START, True)]
    assert lifecycle.fire(model, EventType.SKIP, day=START, strict=True) is Fired.MOVED
    assert model.state == StepState.SKIPPED.value


@pytest.mark.parametrize(
    ("first", "then", "message"),
    [
        ("skip", "complete", "'draft' cannot be completed: it was skipped on 2025-05-01 Thu; no event is"),
        ("skip", "open", "'draft' cannot open: it was skipped on 2025-05-01 Thu; no event is allowed after"),
        ("skip", "skip", "'draft' cannot be skipped: it was skipped on 2025-05-01 Thu; no event is allowed"),
        ("complete", "open", "'draft' cannot be opened: it was completed earlier on 2025-05-01 Thu"),
        ("complete", "skip", "'draft' cannot be skipped: it was already completed on 2025-05-01 Thu; no"),
        (
            "open",
            "open",
            "'draft' cannot open: it was opened already on 2025-05-01 Thu; allowed: complete, skip",
        ),
    ],
    ids=[
        "complete-after-skip",
        "open-after-skip",
        "skip-twice",
        "open-after-complete",
        "skip-after-complete",
        "open-twice",
    ],
)
def test_record_refuses_what_the_lifecycle_forbids(
    inst: ProcessInstance, first: str, then: str, message: str
) -> None:
    """A second event the lifecycle lacks is refused, says why, and changes nothing."""
    inst.record("draft", first, at=dt.date(2025, 5, 1))
    state = inst.state("draft")
    with pytest.raises(IllegalTransitionError) as info:
        inst.record("draft", then, at=dt.date(2025, 5, 2))
    assert str(info.value).startswith(message)
    assert "allowed on 2025-05-02 Fri: " in str(info.value)
    assert inst.state("draft") is state
    assert len(inst.history) == 1


def test_record_goes_through_the_shared_machine(
    inst: ProcessInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """record() fires every event through the procedure's lifecycle machine; replaying a history does not."""
    fired: list[tuple[str, EventType]] = []
    original = Lifecycle.fire

    def spy(self: Lifecycle, model: Any, kind: EventType, *, day: dt.date, strict: bool) -> Fired:
        result = original(self, model, kind, day=day, strict=strict)
        fired.append((model.state, kind))
        return result

    monkeypatch.setattr(Lifecycle, "fire", spy)
    inst.record("meeting", at=dt.date(2025, 4, 3))
    with pytest.raises(IllegalTransitionError):
        inst.record("meeting", "skip", at=dt.date(2025, 4, 4))
    assert fired == [("done", EventType.COMPLETE), ("done", EventType.SKIP)]
    ProcessInstance.from_events(inst.template, start=START, events=inst.history)
    assert len(fired) == 2


def test_a_tzinfo_without_an_offset_counts_as_local_wall_time(mini: ProcessTemplate) -> None:
    """A datetime whose tzinfo gives no UTC offset is read in the jurisdiction's zone, not the host's."""
    from civicflow._procedure import Procedure

    class NoOffset(dt.tzinfo):
        def utcoffset(self, when: dt.datetime | None) -> dt.timedelta | None:
            return None

        def dst(self, when: dt.datetime | None) -> dt.timedelta | None:
            return None

        def tzname(self, when: dt.datetime | None) -> str | None:
            return None

    procedure = Procedure(mini)
    late_evening = dt.datetime(2025, 10, 14, 23, 30, tzinfo=NoOffset())
    assert procedure.local_date(late_evening) == procedure.calendar.local_date(
        late_evening.replace(tzinfo=None)
    )
    assert procedure.local_date(late_evening) == dt.date(2025, 10, 14)
