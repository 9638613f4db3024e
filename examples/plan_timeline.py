"""Script a timeline: load the Drohobych KIR template, plan it from a start, fix a date, print deadlines.

Run it from the repository (after ``pip install -e .``)::

    python examples/plan_timeline.py             # start 2025-10-06
    python examples/plan_timeline.py 2026-10-05  # another start

The second meeting ("mid November") is fixed on the first Thursday of its window.
It prints every step that a legal rule binds, with its deadline and how the deadline was computed, then
the steps whose dates moved because of the fixed meeting.
"""

from __future__ import annotations

import datetime as dt
import sys

from civicflow import load_template, plan


def main(argv: list[str]) -> int:
    start = dt.date.fromisoformat(argv[0]) if argv else dt.date(2025, 10, 6)
    template = load_template("drohobych_kir")
    free = plan(template, start=start)
    window = free.step("meeting_2")  # an undecided window: "mid November"
    fixed_day = window.start + dt.timedelta(days=(3 - window.start.weekday()) % 7)  # its first Thursday
    schedule = plan(template, start=start, fixed={"meeting_2": fixed_day})

    print(f"{template.text(template.title, 'en')}")
    print(f"start {start.isoformat()}, meeting_2 fixed on {fixed_day.isoformat()} {fixed_day:%a}")
    print()
    print("Deadlines:")
    for step in schedule:
        if step.deadline is None:
            continue
        title = template.text(template.step(step.id).title, "en")
        print(f"  {step.deadline.isoformat()} {step.deadline:%a}  {step.id}: {title}")
        if step.rules:  # the rule computed from the latest allowed day of the step it counts from
            print(f"      {step.rules[-1].explain()}")
    print()
    moved = [s for s in schedule if (s.start, s.end) != (free.step(s.id).start, free.step(s.id).end)]
    print(f"Fixing meeting_2 moved {len(moved)} steps:")
    for step in moved:
        before = free.step(step.id)
        print(f"  {step.id}: {before.start} .. {before.end} -> {step.start} .. {step.end}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
