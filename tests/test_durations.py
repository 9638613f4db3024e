"""Reading and writing legal durations."""

from __future__ import annotations

import pytest
from hypothesis import given

from civicflow.durations import Duration, DurationUnit, NoIsoFormError
from civicflow.errors import DurationError
from strategies import durations

D, WD, W, M = DurationUnit.DAYS, DurationUnit.WORKING_DAYS, DurationUnit.WEEKS, DurationUnit.MONTHS
HALF = Duration(0, M, half_month=True)

CASES = [
    ("3 working days", Duration(3, WD)),
    ("1 working day", Duration(1, WD)),
    ("5 business days", Duration(5, WD)),
    ("10 days", Duration(10, D)),
    ("1 day", Duration(1, D)),
    ("10 calendar days", Duration(10, D)),
    ("2 weeks", Duration(2, W)),
    ("1 week", Duration(1, W)),
    ("3 months", Duration(3, M)),
    ("1 month", Duration(1, M)),
    ("half a month", HALF),
    ("1 and a half months", Duration(1, M, half_month=True)),
    ("P10D", Duration(10, D)),
    ("P2W", Duration(2, W)),
    ("P3M", Duration(3, M)),
    ("p1m15d", Duration(1, M, half_month=True)),
    ("  3   Working   Days ", Duration(3, WD)),
    # Ukrainian
    ("3 робочі дні", Duration(3, WD)),
    ("1 робочий день", Duration(1, WD)),
    ("10 робочих днів", Duration(10, WD)),
    ("10 днів", Duration(10, D)),
    ("2 дні", Duration(2, D)),
    ("1 день", Duration(1, D)),
    ("30 календарних днів", Duration(30, D)),
    ("2 тижні", Duration(2, W)),
    ("3 місяці", Duration(3, M)),
    ("1 місяць", Duration(1, M)),
    ("6 місяців", Duration(6, M)),
    ("пів місяця", HALF),
    ("півмісяця", HALF),
    # Bulgarian
    ("3 работни дни", Duration(3, WD)),
    ("1 работен ден", Duration(1, WD)),
    ("10 дни", Duration(10, D)),
    ("14 календарни дни", Duration(14, D)),
    ("2 седмици", Duration(2, W)),
    ("3 месеца", Duration(3, M)),
    ("1 месец", Duration(1, M)),
    ("половин месец", HALF),
    # Russian
    ("3 рабочих дня", Duration(3, WD)),
    ("1 рабочий день", Duration(1, WD)),
    ("5 рабочих дней", Duration(5, WD)),
    ("10 дней", Duration(10, D)),
    ("2 дня", Duration(2, D)),
    ("2 недели", Duration(2, W)),
    ("5 месяцев", Duration(5, M)),
    ("полмесяца", HALF),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse_accepted_forms(text: str, expected: Duration) -> None:
    """Each accepted English, ISO 8601, Ukrainian, Bulgarian and Russian form reads as the right duration."""
    assert Duration.parse(text) == expected


@pytest.mark.parametrize(
    "text", ["", "three days", "3", "days", "3 fortnights", "-3 days", "P", "P1Y2M", "PT5M", "P2W3D"]
)
def test_bad_text_raises_duration_error_quoting_it(text: str) -> None:
    """Text that is not a duration raises DurationError quoting the text and listing accepted forms."""
    with pytest.raises(DurationError) as info:
        Duration.parse(text)
    assert repr(text) in str(info.value)
    assert "working days" in info.value.accepted
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (Duration(1, WD), "1 working day"),
        (Duration(3, WD), "3 working days"),
        (Duration(1, D), "1 day"),
        (Duration(2, W), "2 weeks"),
        (Duration(3, M), "3 months"),
        (HALF, "half a month"),
        (Duration(2, M, half_month=True), "2 and a half months"),
    ],
    ids=str,
)
def test_str_is_canonical_english(duration: Duration, text: str) -> None:
    """str() gives canonical English with singular for one."""
    assert str(duration) == text


@given(durations())
def test_str_round_trips(duration: Duration) -> None:
    """Duration.parse(str(d)) == d for every duration."""
    assert Duration.parse(str(duration)) == duration


@given(durations())
def test_iso_round_trips_except_half_months(duration: Duration) -> None:
    """ISO 8601 reads back to the same duration; half a month as 15 days, quarters and half-years as their
    months (UA CC art. 254(2), RU CC art. 192(2): the rules for months apply); working days have none."""
    if duration.unit is WD:
        with pytest.raises(NoIsoFormError):
            duration.iso()
        return
    back = Duration.parse(duration.iso())
    if duration.half_month and duration.amount == 0:
        assert back == Duration(15, D)
    elif duration.unit in (DurationUnit.QUARTERS, DurationUnit.HALF_YEARS):
        assert back == Duration(duration.months or 0, DurationUnit.MONTHS, plus_days=duration.plus_days)
    else:
        assert back == duration


def test_iso_forms() -> None:
    """ISO 8601 uses D, W and M; half a month is P15D."""
    assert Duration(10, D).iso() == "P10D"
    assert Duration(2, W).iso() == "P2W"
    assert Duration(3, M).iso() == "P3M"
    assert HALF.iso() == "P15D"


def test_working_days_have_no_iso_form() -> None:
    """iso() of working days raises a DurationError (a ValueError) that says why."""
    with pytest.raises(DurationError, match="no ISO 8601 form"):
        Duration(3, WD).iso()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"amount": -1, "unit": D},
        {"amount": 1, "unit": D, "half_month": True},
        {"amount": 1, "unit": "fortnights"},
    ],
    ids=["negative", "half-of-days", "bad-unit"],
)
def test_invalid_construction_raises(kwargs: dict[str, object]) -> None:
    """A negative amount, a half with a unit other than months, or an unknown unit is refused."""
    with pytest.raises(DurationError):
        Duration(**kwargs)  # type: ignore[arg-type]


def test_unit_given_as_string_is_normalised() -> None:
    """A unit given as its string value becomes the enum member."""
    assert Duration(3, "working_days") == Duration(3, WD)  # type: ignore[arg-type]


def test_docstring_examples() -> None:
    """The examples in the durations and calendar docstrings hold."""
    import doctest

    import civicflow.calendar._deadline
    import civicflow.durations

    for module in (civicflow.durations, civicflow.calendar._deadline):
        assert doctest.testmod(module).failed == 0


def test_every_example_in_the_accepted_forms_parses() -> None:
    """The forms an error message lists as accepted are read (no example that would be refused)."""
    import re

    from civicflow.durations import ACCEPTED_FORMS

    examples = [
        form
        for form in re.findall(r'"([^"]+)"', ACCEPTED_FORMS)
        if not re.search(r"\bN\b|\bM\b|^P.*[nm]", form) and form != "business days"
    ]
    assert len(examples) > 20
    for form in examples:
        Duration.parse(form)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 year", Duration(1, DurationUnit.YEARS)),
        ("2 квартали", Duration(2, DurationUnit.QUARTERS)),
        ("1 полугодие", Duration(1, DurationUnit.HALF_YEARS)),
        ("півроку", Duration(1, DurationUnit.HALF_YEARS)),
        ("24 часа", Duration(24, DurationUnit.HOURS)),
        ("PT24H", Duration(24, DurationUnit.HOURS)),
        ("P1Y10D", Duration(1, DurationUnit.YEARS, plus_days=10)),
        ("3 месеца 5 дни", Duration(3, DurationUnit.MONTHS, plus_days=5)),
    ],
)
def test_units_the_codes_use(text: str, expected: Duration) -> None:
    """Years (UA CC art. 254(1)), quarters and half-years (art. 254(2)), hours (art. 252(1)), and months
    followed by days; each parses and its text reads back to the same value."""
    found = Duration.parse(text)
    assert found == expected
    assert Duration.parse(str(found)) == found
