"""Validate a log of publications: read an event log, check it against the legal rules, print findings.

Run it from the repository (after ``pip install -e .``)::

    python examples/validate_publications.py                                   # the shipped log
    python examples/validate_publications.py my_log.yaml 2025-12-01            # another log, as of a day

The shipped log (``examples/drohobych_events.yaml``) records a run of the Drohobych KIR plan in which
the results of the first meeting were published a week later: three working days were allowed. The
script prints one line per finding about a publication, then a summary, and exits 1 when a rule was
violated or a deadline is overdue (0 otherwise), like ``civicflow check``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from civicflow import load_template
from civicflow.compliance import FindingStatus, check
from civicflow.loader import read_event_log

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    log = Path(argv[0]) if argv else HERE / "drohobych_events.yaml"
    as_of = dt.date.fromisoformat(argv[1]) if len(argv) > 1 else dt.date(2025, 11, 20)
    template = load_template("drohobych_kir")
    events = read_event_log(log, timezone=template.jurisdiction.timezone or "UTC", template=template)
    report = check(template, events, start=dt.date(2025, 10, 6), as_of=as_of)

    print(f"{len(events)} events checked as of {as_of.isoformat()} {as_of:%a}")
    for finding in report.findings:
        if template.step(finding.step).kind.value != "publication":
            continue
        deadline = f"{finding.deadline} {finding.deadline:%a}" if finding.deadline else "not dated yet"
        print(f"  {finding.status.value.upper():<10} {finding.step}: deadline {deadline}")
        if finding.status in (FindingStatus.VIOLATED, FindingStatus.OVERDUE, FindingStatus.DISPUTABLE):
            print(f"             {finding.explanation}")
    summary = ", ".join(f"{n} {status}" for status, n in report.summary().items() if n)
    print(f"summary: {summary}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
