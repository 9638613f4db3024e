"""Legal periods under different laws: the law's line and the advice, Reg. 1182/71, martial law, a code.

Run it from the repository (after ``pip install -e .``)::

    python examples/legal_periods.py

It prints one block per case, each deadline with the explanation civicflow gives (the article that
counts it): a notice due "no later than 10 days before" a hearing on Tue 25 March 2025 (the line is
Saturday 15 March, Friday 14 is advice); two days counted under EU Regulation 1182/71 (at least two
working days); Ukraine with martial law ending on 1 May 2026 (Independence Day, Mon 24 August 2026, is a
day off again); and "10 дней" under the Russian Civil Procedure Code (working days).
"""

from __future__ import annotations

import datetime as dt

from civicflow import WorkingCalendar
from civicflow.calendar import Deadline


def show(title: str, deadline: Deadline) -> None:
    print(title)
    print(f"  deadline {deadline.date.isoformat()}", end="")
    if deadline.advised is not None and deadline.advised != deadline.date:
        print(f", advised {deadline.advised.isoformat()}", end="")
    print()
    print(f"  {deadline.explain()}")


def main() -> None:
    ua = WorkingCalendar("UA")
    back = ua.period_before(dt.date(2025, 3, 25), "10 days")
    show("UA, no later than 10 days before 2025-03-25 Tue:", back)
    eu = WorkingCalendar("BE", rules="EU")
    two = eu.period_after(dt.date(2025, 3, 14), "2 days")
    show("BE under Reg. 1182/71, 2 days from 2025-03-14 Fri:", two)
    after = WorkingCalendar("UA", martial_law_until=dt.date(2026, 5, 1))
    show(
        "UA, martial law until 2026-05-01, 1 working day after 2026-08-21 Fri:",
        after.period_after(dt.date(2026, 8, 21), "1 working day"),
    )
    ru = WorkingCalendar("RU")
    show(
        "RU under the Civil Procedure Code, 10 дней from 2025-04-30 Wed:",
        ru.period_after(dt.date(2025, 4, 30), "10 дней", counted_under="RU-GPK"),
    )


if __name__ == "__main__":
    main()
