"""Working-day arithmetic: civicflow's table lookups vs `holidays` and `numpy.busday_offset`.

    python benchmarks/run.py calendar          # from the repository root
    python benchmarks/bench_calendar.py        # alone (add --quick for a smoke run)

Cases: random (date, n) with dates 2000-2040 and 1 <= |n| <= 60, both signs, in UA, BG and RU. The same
cases go through

* ``WorkingCalendar.add_working_days`` (one built calendar per country);
* ``holidays``' ``get_nth_working_day`` (walks day by day);
* scalar ``numpy.busday_offset`` calls on a ``numpy.busdaycalendar`` holding exactly the same calendar:
  weekmask ``1111111`` and every non-working day as a "holiday", because a weekmask cannot express the
  transferred working Saturdays. ``roll`` is chosen so that the start day itself never counts (backward
  for n > 0, forward for n < 0); the inputs are converted to ``datetime64`` before timing.

Every result is checked against `holidays`; the run fails on any difference.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import holidays
import numpy as np

from civicflow.calendar import WorkingCalendar

COUNTRIES = ("UA", "BG", "RU")
FIRST, LAST = dt.date(2000, 1, 1), dt.date(2040, 12, 31)
MIN_SPEEDUP_HOLIDAYS = 50.0
MIN_SPEEDUP_NUMPY = 5.0


def make_cases(count: int, seed: int) -> list[tuple[dt.date, int]]:
    """``count`` random (date, n) pairs, dates 2000-2040, 1 <= |n| <= 60."""
    rng = random.Random(seed)
    span = (LAST - FIRST).days
    cases = []
    for _ in range(count):
        n = rng.randint(1, 60) * rng.choice((-1, 1))
        cases.append((FIRST + dt.timedelta(days=rng.randrange(span + 1)), n))
    return cases


def best_of(repeats: int, func: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeats`` runs of ``func`` (seconds) and its last result."""
    best = float("inf")
    result: Any = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def numpy_calendar(cal: WorkingCalendar) -> np.busdaycalendar:
    """The same calendar for numpy: every day valid by weekmask, every non-working day a holiday."""
    start, end = dt.date(cal.first_year, 1, 1), dt.date(cal.last_year, 12, 31)
    off = [
        start + dt.timedelta(days=i)
        for i in range((end - start).days + 1)
        if not cal.is_working_day(start + dt.timedelta(days=i))
    ]
    return np.busdaycalendar(weekmask="1111111", holidays=np.array(off, dtype="datetime64[D]"))


def build_time(repeats: int) -> float:
    """Seconds to build (and use once) a fresh 40-year UA calendar, best of ``repeats``."""

    def build() -> bool:
        cal = WorkingCalendar("UA", first_year=2001, last_year=2040)
        return cal.is_working_day(dt.date(2020, 1, 1))

    seconds, _ = best_of(repeats, build)
    return seconds


def run_country(country: str, cases: Sequence[tuple[dt.date, int]], repeats: int) -> dict[str, float]:
    """Time the three implementations on ``cases``; raise if any result differs from `holidays`."""
    cal = WorkingCalendar(country, first_year=1995, last_year=2045)
    cal.is_working_day(FIRST)  # build the table before timing
    hol = holidays.country_holidays(country, years=range(1995, 2046))
    npcal = numpy_calendar(cal)
    add = cal.add_working_days
    nth = hol.get_nth_working_day
    offset = np.busday_offset
    np_cases = [(np.datetime64(d, "D"), n, "backward" if n > 0 else "forward") for d, n in cases]

    t_ours, ours = best_of(repeats, lambda: [add(d, n) for d, n in cases])
    t_hol, theirs = best_of(1, lambda: [nth(d, n) for d, n in cases])
    t_np, np_out = best_of(
        repeats,
        lambda: [offset(d, n, roll=r, busdaycal=npcal) for d, n, r in np_cases],  # type: ignore[call-overload]
    )

    np_dates = [x.astype(dt.date) for x in np_out]
    bad = [(c, o, t) for c, o, t in zip(cases, ours, theirs, strict=True) if o != t]
    if bad:
        raise AssertionError(f"{country}: {len(bad)} results differ from holidays, e.g. {bad[:3]}")
    bad_np = [(c, o, t) for c, o, t in zip(cases, ours, np_dates, strict=True) if o != t]
    if bad_np:
        raise AssertionError(f"{country}: {len(bad_np)} results differ from numpy, e.g. {bad_np[:3]}")
    return {"ours": t_ours, "holidays": t_hol, "numpy": t_np}


def main(quick: bool) -> str:
    """Run the benchmark and return its Markdown section."""
    count = 10_000 if quick else 100_000
    repeats = 3 if quick else 5
    build = build_time(repeats)
    rows = []
    totals = {"ours": 0.0, "holidays": 0.0, "numpy": 0.0}
    for i, country in enumerate(COUNTRIES):
        cases = make_cases(count, seed=1000 + i)
        times = run_country(country, cases, repeats)
        for key in totals:
            totals[key] += times[key]
        rows.append((country, times))
    lines = [
        "## Calendar",
        "",
        f"`add_working_days` on {count:,} random (date, n) cases per country, dates 2000-2040, "
        "1 <= |n| <= 60 both signs; every result identical to `holidays.get_nth_working_day` and to "
        f"`numpy.busday_offset`. Times per call in microseconds (ours and numpy: best of {repeats}; "
        "holidays: one run).",
        "",
        "| country | civicflow | numpy.busday_offset | holidays.get_nth_working_day "
        "| vs numpy | vs holidays |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for country, t in [*rows, ("all", totals)]:
        per = {k: v / count * 1e6 / (len(COUNTRIES) if country == "all" else 1) for k, v in t.items()}
        lines.append(
            f"| {country} | {per['ours']:.3f} | {per['numpy']:.3f} | {per['holidays']:.1f} | "
            f"{t['numpy'] / t['ours']:.1f}x | {t['holidays'] / t['ours']:.0f}x |"
        )
    lines += [
        "",
        f"Building a 40-year UA calendar (2001-2040, first use): {build * 1000:.1f} ms (best of {repeats}).",
    ]
    speed_np = totals["numpy"] / totals["ours"]
    speed_hol = totals["holidays"] / totals["ours"]
    problems = []
    if speed_hol < MIN_SPEEDUP_HOLIDAYS:
        problems.append(f"only {speed_hol:.0f}x faster than holidays (target {MIN_SPEEDUP_HOLIDAYS:.0f}x)")
    if speed_np < MIN_SPEEDUP_NUMPY:
        problems.append(f"only {speed_np:.1f}x faster than numpy (target {MIN_SPEEDUP_NUMPY:.0f}x)")
    if build >= 0.5:
        problems.append(f"building took {build:.2f} s (target < 0.5 s)")
    lines += ["", "Targets (>= 50x holidays, >= 5x numpy, build < 0.5 s): " + ("; ".join(problems) or "met.")]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main("--quick" in sys.argv[1:]))
