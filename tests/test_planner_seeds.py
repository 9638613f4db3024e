"""The planner on the bundled templates reproduces the dates of the source documents."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from civicflow.loader import load_template
from civicflow.planner import plan

D = dt.date
GOLDEN = Path(__file__).parent / "golden"
GOLDEN_STARTS = {
    "drohobych_kir": D(2025, 10, 6),
    "sandanski_debates": None,
    "sofia_vision": D(2017, 3, 1),
    "togliatti_map": None,
    "vinnytsia_hub": D(2018, 1, 1),
}


def test_sofia_reproduces_every_month_range() -> None:
    """Sofia's seven sequential spans from 2017-03-01 give exactly the months the document names."""
    s = plan(load_template("sofia_vision"), start=D(2017, 3, 1))
    got = [(x.start, x.end) for x in s.steps]
    assert got == [
        (D(2017, 3, 1), D(2017, 5, 31)),
        (D(2017, 6, 1), D(2017, 8, 31)),
        (D(2017, 9, 1), D(2017, 11, 30)),
        (D(2017, 12, 1), D(2018, 2, 28)),
        (D(2018, 3, 1), D(2018, 6, 30)),
        (D(2018, 7, 1), D(2018, 8, 31)),
        (D(2018, 9, 1), D(2018, 9, 30)),
    ]
    assert s.feasible


def test_togliatti_reproduces_the_resolution() -> None:
    """Survey 27.03-12.04.2021, online sessions 30.03 and 06.04, offline 15.04, stage 2 May-Sep with its
    final session in August, quarterly sessions from October 2021 to September 2023."""
    s = plan(load_template("togliatti_map"))
    assert (s.step("survey").start, s.step("survey").end) == (D(2021, 3, 27), D(2021, 4, 12))
    assert s.step("online_session_1").start == D(2021, 3, 30)
    assert s.step("online_session_2").start == D(2021, 4, 6)
    assert s.step("offline_strategic_session").start == D(2021, 4, 15)
    final = s.step("final_strategic_session_2021_08")
    # August's working days: Sun 1 August 2021 is not one
    assert (final.start, final.end) == (D(2021, 8, 2), D(2021, 8, 31))
    stage2 = [x for x in s.steps if x.id in ("project_group_formation", "strategic_sessions_series")]
    assert all((x.start, x.end) == (D(2021, 5, 1), D(2021, 9, 30)) for x in stage2)
    quarterly = s.step("quarterly_strategic_sessions")
    # the resolution fixes the quarter, not the day: each occurrence is the window of its quarter
    quarters = [
        (D(y, m, 1), D(y, m + 2, 31 if m in (10, 1) else 30))
        for y, m in [(2021, 10), (2022, 1), (2022, 4), (2022, 7), (2022, 10), (2023, 1), (2023, 4), (2023, 7)]
    ]
    assert list(quarterly.occurrence_windows) == quarters
    assert quarterly.occurrences == tuple(q[0] for q in quarters)


def test_vinnytsia_yearly_forum_is_a_window_per_year() -> None:
    """The forum's day is not in the document: each yearly occurrence is the whole year, no day invented."""
    forum = plan(load_template("vinnytsia_hub")).step("platform_11_forum_points_of_interaction")
    assert forum.occurrence_windows == tuple((D(y, 1, 1), D(y, 12, 31)) for y in (2019, 2020, 2021))


def test_drohobych_2025_publication_deadlines() -> None:
    """With the third meeting on 2025-12-04 Thu, the publication is due by 2025-12-09 Tue."""
    s = plan(load_template("drohobych_kir"), start=D(2025, 10, 6), fixed={"meeting_3": D(2025, 12, 4)})
    p = s.step("publication_strategic_session")
    assert (p.start, p.deadline) == (D(2025, 12, 5), D(2025, 12, 9))


def test_drohobych_2025_no_later_than_before_the_strategic_session() -> None:
    """3 working days before a strategic session on 2025-11-27 Thu is 2025-11-24 Mon."""
    s = plan(
        load_template("drohobych_kir"), start=D(2025, 10, 6), fixed={"strategic_session": D(2025, 11, 27)}
    )
    assert s.step("publication_analysis").deadline == D(2025, 11, 24)
    assert s.step("publication_analysis").end == D(2025, 11, 24)


def test_drohobych_2025_undecided_meeting_gives_a_range_of_deadlines() -> None:
    """A meeting still in its window gives the earliest and latest deadlines in the explanation."""
    s = plan(load_template("drohobych_kir"), start=D(2025, 10, 6))
    words = " ".join(s.step("publication_strategic_session").explanation)
    assert "if meeting_3 is on 2025-12-01 Mon .. 2025-12-10 Wed" in words


def test_drohobych_2021_calendar_transfers() -> None:
    """In 2021 Fri 15 Oct was a day off and Sat 23 Oct a working day: a meeting on Wed 20 Oct has its
    publication due on Sat 23 Oct."""
    s = plan(load_template("drohobych_kir"), start=D(2021, 10, 4), fixed={"meeting_1": D(2021, 10, 20)})
    assert s.step("publication_1").deadline == D(2021, 10, 23)
    s = plan(load_template("drohobych_kir"), start=D(2021, 10, 4), fixed={"meeting_1": D(2021, 10, 13)})
    assert s.step("publication_1").deadline == D(2021, 10, 20)  # 14 and 15 Oct are days off


def test_drohobych_2021_discussion_end_rolls_off_the_weekend() -> None:
    """Published on 2021-12-16 Thu, the 10-day discussion's day 10 is Sun 26 Dec; Mon 27 Dec is the day
    off carried over from Christmas on Sat 25 Dec, so the period ends Tue 28 Dec."""
    s = plan(
        load_template("drohobych_kir"),
        start=D(2021, 10, 4),
        fixed={"publication_preliminary_draft": D(2021, 12, 16)},
    )
    d = s.step("discussion_preliminary_draft")
    assert (d.start, d.period_end, d.next_from) == (D(2021, 12, 17), D(2021, 12, 28), D(2021, 12, 29))
    assert d.rules[0].rolled


@pytest.mark.parametrize("template_id", sorted(GOLDEN_STARTS))
def test_golden_schedule(template_id: str, request: pytest.FixtureRequest) -> None:
    """The planned schedule of each bundled template matches its golden file (pytest --update-golden)."""
    data = plan(load_template(template_id), start=GOLDEN_STARTS[template_id]).to_dict()
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    path = GOLDEN / f"{template_id}.json"
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}; run pytest --update-golden"
    assert path.read_text(encoding="utf-8") == text
