"""The pydantic template model, checked directly (without YAML): shapes, funding, dependencies, schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from civicflow.errors import UnknownStepError
from civicflow.template import (
    DateRange,
    Dependency,
    Funding,
    ProcessTemplate,
    RelativeRule,
    Step,
    Window,
    structural_problems,
)


def _template(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "civicflow": 1,
        "id": "fixture",
        "version": "1",
        "language": "bg",
        "title": {"bg": "Процес", "en": "Process"},
        "jurisdiction": {"country": "BG"},
        "stages": [
            {
                "id": "stage_1",
                "title": {"bg": "Етап", "en": "Stage"},
                "steps": [
                    {"id": "a", "kind": "meeting", "title": {"bg": "А", "en": "A"}},
                    {"id": "b", "kind": "publication", "title": {"bg": "Б", "en": "B"}, "depends_on": ["a"]},
                ],
            }
        ],
    }
    data.update(changes)
    return data


def _funding(total: float) -> dict[str, Any]:
    return {
        "currency": "BGN",
        "total": total,
        "parts": [
            {"source": {"en": "EEA grant"}, "amount": 75970.01},
            {"source": {"en": "Own contribution"}, "amount": 13406.47},
        ],
    }


def test_funding_parts_that_add_up_exactly_are_accepted() -> None:
    """75,970.01 + 13,406.47 is exactly 89,376.48, compared as decimals, not floats."""
    funding = Funding.model_validate(_funding(89376.48))
    assert funding.total == Decimal("89376.48")
    assert [p.amount for p in funding.parts] == [Decimal("75970.01"), Decimal("13406.47")]


def test_funding_total_one_cent_off_is_refused() -> None:
    """A total that differs from the parts by one cent is an error that shows the sum."""
    with pytest.raises(ValidationError, match=r"add up to 89376\.48 BGN"):
        Funding.model_validate(_funding(89376.49))


def test_dependency_short_form_is_a_step_id() -> None:
    """``depends_on: [a]`` is the same as ``depends_on: [{step: a}]``."""
    template = ProcessTemplate.model_validate(_template())
    assert template.step("b").depends_on == [Dependency(step="a")]


def test_minimal_template_has_no_structural_problems() -> None:
    """A consistent template has no structural problems."""
    assert structural_problems(ProcessTemplate.model_validate(_template())) == []


def test_range_must_be_in_order() -> None:
    """A range whose end is before its start is refused, saying to swap them."""
    with pytest.raises(ValidationError, match="swap them"):
        DateRange.model_validate(
            {"type": "range", "start": dt.date(2021, 4, 12), "end": dt.date(2021, 3, 27)}
        )


def test_window_needs_a_month_or_until() -> None:
    """A window with neither ``month`` nor ``until`` is refused."""
    with pytest.raises(ValidationError, match="needs 'month'"):
        Window.model_validate({"type": "window"})


def test_reading_only_on_backward_rules() -> None:
    """``reading`` is accepted on no_later_than rules only."""
    rule = {"type": "rule", "of": "a", "duration": "3 days", "reading": "clear_days"}
    assert RelativeRule.model_validate({**rule, "rule": "no_later_than"}).reading is not None
    with pytest.raises(ValidationError, match="only to no_later_than"):
        RelativeRule.model_validate({**rule, "rule": "within"})


def test_unknown_step_field_is_refused() -> None:
    """Models forbid unknown fields."""
    with pytest.raises(ValidationError, match="titel"):
        Step.model_validate({"id": "a", "kind": "meeting", "title": {"en": "A"}, "titel": {"en": "A"}})


def test_format_version_must_be_one() -> None:
    """Only format version 1 is read."""
    with pytest.raises(ValidationError):
        ProcessTemplate.model_validate(_template(civicflow=2))


def test_schema_allows_the_dependency_short_form() -> None:
    """The generated JSON Schema accepts a bare step id as a dependency, like the model."""
    schema = ProcessTemplate.model_json_schema()
    depends_on = schema["$defs"]["Step"]["properties"]["depends_on"]["items"]
    assert {"type": "string"}.items() <= depends_on["anyOf"][0].items()
    assert depends_on["anyOf"][1] == {"$ref": "#/$defs/Dependency"}


def test_booleans_are_strict() -> None:
    """``span: yes`` (a string under YAML 1.2) is refused instead of being read as true."""
    data = _template()
    data["stages"][0]["steps"][0]["span"] = "yes"
    with pytest.raises(ValidationError, match="valid boolean"):
        ProcessTemplate.model_validate(data)


def test_duplicate_step_id_is_reported_without_follow_on_noise() -> None:
    """A duplicate id is one problem, not also a self-cycle or a rule counting from itself."""
    data = _template()
    steps = data["stages"][0]["steps"]
    steps.append(
        {
            "id": "a",
            "kind": "publication",
            "title": {"bg": "В", "en": "C"},
            "depends_on": ["a"],
            "timing": {"type": "rule", "rule": "within", "of": "a", "duration": "3 working days"},
        }
    )
    problems = structural_problems(ProcessTemplate.model_validate(data))
    assert [p.message for p in problems] == [
        "duplicate step id 'a'; it is already used at stages[0].steps[0].id"
    ]


def test_day_off_policy_needs_exact_days() -> None:
    """Moving an occurrence off a day off makes no sense when only its quarter is known."""
    data = _template()
    data["stages"][0]["steps"][0]["recurrence"] = {
        "rrule": "FREQ=MONTHLY;INTERVAL=3",
        "precision": "quarter",
        "on_day_off": "next_working_day",
    }
    with pytest.raises(ValidationError, match="each occurrence is a window of its period"):
        ProcessTemplate.model_validate(data)


def test_step_lookup_by_id_leaves_equality_and_dumps_alone() -> None:
    """``step()`` finds a step by id; the lookup table it builds is not part of the model."""
    template = ProcessTemplate.model_validate(_template())
    twin = ProcessTemplate.model_validate(_template())
    assert template.step("b").id == "b"
    assert template == twin
    assert "_steps_by_id" not in template.model_dump()
    with pytest.raises(KeyError, match="no step 'x'; known steps: a, b") as info:
        template.step("x")
    assert isinstance(info.value, UnknownStepError)
    assert (info.value.step, info.value.known) == ("x", ("a", "b"))


def test_a_copy_with_other_stages_or_jurisdiction_derives_its_own_index_and_calendar() -> None:
    """What a template derives and keeps (its step index, its calendar) is not carried into a
    ``model_copy`` that changes what it was derived from."""
    template = ProcessTemplate.model_validate(_template())
    assert template.step("a").id == "a"
    calendar = template.working_calendar()
    (stage,) = template.stages
    renamed = stage.model_copy(update={"steps": [s.model_copy(update={"id": "z"}) for s in stage.steps[:1]]})
    copy = template.model_copy(update={"stages": [renamed]})
    assert copy.step("z").id == "z"
    with pytest.raises(UnknownStepError):
        copy.step("a")
    assert template.step("a").id == "a"  # the original keeps its own
    assert calendar.timezone != "Europe/Kyiv"
    other = template.jurisdiction.model_copy(update={"timezone": "Europe/Kyiv"})
    moved = template.model_copy(update={"jurisdiction": other})
    assert moved.working_calendar().timezone == "Europe/Kyiv"
    assert template.working_calendar().timezone == calendar.timezone


def test_the_working_calendar_is_built_once_per_template() -> None:
    """A template's calendar is built once and shared (with the day tables it builds); it is no field:
    equality and the JSON form do not see it."""
    from civicflow.loader import load_template

    template = load_template("drohobych_kir")
    calendar = template.working_calendar()
    assert template.working_calendar() is calendar
    assert calendar.is_working_day(dt.date(2025, 8, 23)) is False  # a Saturday: the tables are built
    copy = template.model_copy()
    assert copy == template
    assert "_working_calendar" not in template.model_dump()
    assert load_template("drohobych_kir").working_calendar() is not calendar  # another template object
    assert copy.working_calendar() is calendar  # the same jurisdiction and layers
    moved = template.jurisdiction.model_copy(update={"martial_law_until": dt.date(2026, 5, 1)})
    changed = template.model_copy(update={"jurisdiction": moved}).working_calendar()
    assert changed is not calendar
    assert changed.is_working_day(dt.date(2026, 8, 24)) is False  # Independence Day, martial law over
