"""Schedule lookups: steps and stages by id, without changing what a Schedule is equal to or prints."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from civicflow.errors import UnknownStepError
from civicflow.loader import load_template
from civicflow.planner import plan
from civicflow.schedule import Schedule, ScheduledStage, ScheduledStep

START = dt.date(2025, 10, 6)


class CountingSteps(tuple[ScheduledStep, ...]):
    """A tuple of steps that counts how many times it is iterated."""

    iterations = 0

    def __iter__(self) -> Iterator[ScheduledStep]:
        CountingSteps.iterations += 1
        return super().__iter__()


@pytest.fixture(scope="module")
def schedule() -> Schedule:
    return plan(load_template("drohobych_kir"), start=START)


def test_every_step_and_stage_is_found_by_its_id(schedule: Schedule) -> None:
    """step() and stage() return the very objects of the tuples, for every id."""
    assert schedule.steps
    assert schedule.stages
    for s in schedule.steps:
        assert schedule.step(s.id) is s
    for g in schedule.stages:
        assert schedule.stage(g.id) is g


def test_unknown_ids_raise_key_error_listing_the_known_ones(schedule: Schedule) -> None:
    """An unknown id is a KeyError whose message lists every known id, as before."""
    steps = ", ".join(s.id for s in schedule.steps)
    with pytest.raises(KeyError) as step_error:
        schedule.step("nope")
    assert step_error.value.args[0] == f"no step 'nope' in the schedule; known steps: {steps}"
    assert isinstance(step_error.value, UnknownStepError)
    assert step_error.value.step == "nope"
    assert step_error.value.known == tuple(s.id for s in schedule.steps)
    stages = ", ".join(s.id for s in schedule.stages)
    with pytest.raises(KeyError) as stage_error:
        schedule.stage("nope")
    assert stage_error.value.args[0] == f"no stage 'nope'; known stages: {stages}"


def test_lookups_leave_equality_repr_and_json_alone(schedule: Schedule) -> None:
    """A schedule that has been looked into equals, prints and serialises like a fresh one."""
    fresh = plan(load_template("drohobych_kir"), start=START)
    schedule.step(schedule.steps[-1].id)
    schedule.stage(schedule.stages[-1].id)
    assert schedule == fresh
    assert repr(schedule) == repr(fresh)
    assert schedule.to_dict() == fresh.to_dict()
    assert [f.name for f in dataclasses.fields(schedule)] == [f.name for f in dataclasses.fields(fresh)]


def test_the_index_is_built_once_per_schedule(schedule: Schedule) -> None:
    """Looking up every step walks the steps once, not once per lookup."""
    counted = dataclasses.replace(schedule, steps=CountingSteps(schedule.steps))
    CountingSteps.iterations = 0
    for s in schedule.steps:
        assert counted.step(s.id) is s
    assert CountingSteps.iterations == 1


def test_replace_gives_a_schedule_with_its_own_index(schedule: Schedule) -> None:
    """dataclasses.replace() makes a schedule that looks up its own steps, not the original's."""
    schedule.step(schedule.steps[0].id)
    first = schedule.steps[0]
    renamed = dataclasses.replace(first, id="renamed")
    other = dataclasses.replace(schedule, steps=(renamed, *schedule.steps[1:]))
    assert other.step("renamed") is renamed
    with pytest.raises(KeyError):
        other.step(first.id)
    assert schedule.step(first.id) is first


def test_a_repeated_id_finds_the_first_one() -> None:
    """Should two steps or stages share an id, the first one is returned, as a scan would."""
    day = dt.date(2025, 1, 6)
    a = ScheduledStep("x", None, (), "meeting", {"en": "A"}, day, day, span=False)
    b = dataclasses.replace(a, title={"en": "B"})
    g = ScheduledStage("s", None, {"en": "G"}, day, day, ("x",))
    h = dataclasses.replace(g, title={"en": "H"})
    sched = Schedule("p", day, day, steps=(a, b), stages=(g, h))
    assert sched.step("x") is a
    assert sched.stage("s") is g
