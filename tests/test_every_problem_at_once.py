"""Every bad record of an event log is reported at once, whichever way the template is named (the
first argument, --template, or the log's own ``template:`` key), and the "did you mean" of a mistyped
id lists the closest ids first."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicflow._suggest import closest
from civicflow.cli import main
from civicflow.loader import load_template

EXAMPLE = Path(__file__).parent.parent / "examples" / "drohobych_events.yaml"


def _four_bad_records(tmp_path: Path) -> Path:
    """The example log with a bad date, a US-style date, an unknown step and an unknown event."""
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in [
        ("date: 2025-10-16\n", "date: 2025-13-40\n"),
        (
            "  - step: state_regional_interests\n    event: open\n    date: 2025-10-10",
            "  - step: state_regional_interests\n    event: open\n    date: 10/10/2025",
        ),
        ("  - step: current_documents\n    event: open", "  - step: meeting_too\n    event: open"),
        ("  - step: public_interests\n    event: open", "  - step: public_interests\n    event: finish"),
    ]:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "e1.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["check", "{log}", "--as-of", "2025-11-20"],
        ["check", "drohobych_kir", "{log}", "--as-of", "2025-11-20"],
        ["check", "{log}", "--template", "drohobych_kir", "--as-of", "2025-11-20"],
        ["status", "{log}", "--as-of", "2025-11-20"],
        ["due", "{log}", "--as-of", "2025-11-20"],
    ],
)
def test_all_four_bad_records_whichever_way_the_template_is_named(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = _four_bad_records(tmp_path)
    assert main([a.replace("{log}", str(log)) for a in args]) == 2
    err = capsys.readouterr().err
    assert "4 problems in event log" in err
    for line, what in [(14, "'2025-13-40'"), (20, "'10/10/2025'"), (23, "'meeting_too'"), (29, "'finish'")]:
        assert any(f"e1.yaml:{line}:" in said and what in said for said in err.splitlines()), err
    assert "unknown step 'meeting_too'; did you mean meeting_2," in err


def test_a_log_that_cannot_be_parsed_is_still_refused_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reading only the template key does not hide a syntax error behind "the log does not say its
    template"."""
    log = tmp_path / "broken.yaml"
    log.write_text("template: drohobych_kir\nevents:\n  - step: [meeting_1\n", encoding="utf-8")
    assert main(["check", str(log), "--as-of", "2025-11-20"]) == 2
    err = capsys.readouterr().err
    assert "broken.yaml:" in err
    assert "does not say its template" not in err


def test_closest_ids_come_first() -> None:
    ids = [step.id for _, step in load_template("drohobych_kir").iter_steps()]
    assert closest("meeting_too", ids)[0] == "meeting_2"
    assert closest("meeting_one", ids)[0] == "meeting_1"
    assert closest("meeting_9", ids)[:3] == ["meeting_1", "meeting_2", "meeting_3"]  # ties: natural order
    assert closest("meting_3", ids)[0] == "meeting_3"
    assert closest("zzz", ids) == []
    assert closest("meeting_2", [f"meeting_{n}" for n in range(1, 30)])[0] == "meeting_2"


def test_lint_suggests_the_closest_step_for_a_mistyped_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = Path(__file__).parent.parent / "process_templates" / "drohobych_kir.yaml"
    text = source.read_text(encoding="utf-8")
    assert "of: meeting_1\n" in text
    bad = tmp_path / "t1.yaml"
    bad.write_text(text.replace("of: meeting_1\n", "of: meeting_one\n", 1), encoding="utf-8")
    assert main(["lint", str(bad)]) == 2
    out = capsys.readouterr()
    said = out.out + out.err
    assert "unknown step 'meeting_one'; did you mean meeting_1," in said
    assert "letter_approved_kir" not in said  # not the list of all 28 ids


def test_an_unknown_step_of_an_instance_suggests_the_closest() -> None:
    from civicflow.errors import UnknownStepError

    template = load_template("drohobych_kir")
    with pytest.raises(UnknownStepError, match="did you mean meeting_2,"):
        template.step("meeting_too")


def test_an_unknown_instance_suggests_the_closest_tracked_name(tmp_path: Path) -> None:
    """Among many tracked instances the closest names are suggested first, not the first ten by name."""
    import datetime as dt

    pytest.importorskip("sqlalchemy")
    from civicflow.errors import InstanceNotFoundError
    from civicflow.store import Store

    template = load_template("drohobych_kir")
    with Store.open(str(tmp_path / "s.db")) as store:
        for name in [f"a-{n:02}" for n in range(20)] + ["kir-2025"]:
            store.create(name, template.id, template.version, dt.date(2025, 10, 6))
        with pytest.raises(
            InstanceNotFoundError, match=r"'kir-2052'; did you mean kir-2025\? tracked: kir-2025, a-00"
        ):
            store.history("kir-2052")


def test_check_and_a_schedule_suggest_the_closest_step() -> None:
    import datetime as dt

    from civicflow import plan
    from civicflow.compliance import check
    from civicflow.errors import EventLogError, UnknownStepError
    from civicflow.events import Event, EventType

    template = load_template("drohobych_kir")
    event = Event("meeting_too", EventType.COMPLETE, dt.datetime(2025, 10, 9, 12, tzinfo=dt.UTC))
    with pytest.raises(EventLogError, match="unknown step 'meeting_too'; did you mean meeting_2,"):
        check(template, [event], start=dt.date(2025, 10, 6))
    with pytest.raises(UnknownStepError, match="did you mean meeting_2,"):
        plan(template, start=dt.date(2025, 10, 6)).step("meeting_too")
