"""Run every benchmark in this folder and print one Markdown report.

    python benchmarks/run.py            # all benchmarks, full size
    python benchmarks/run.py --quick    # smaller sizes, for a smoke run
    python benchmarks/run.py calendar   # only bench_calendar.py

Each ``bench_<topic>.py`` module defines ``main(quick: bool) -> str`` returning a Markdown section; it can
also run alone (``python benchmarks/bench_calendar.py``). The report starts with the machine and versions,
so it can be pasted into docs/benchmarks.md as it is.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGES = (
    "civicflow",
    "holidays",
    "pendulum",
    "pydantic",
    "transitions",
    "numpy",
    "sqlalchemy",
    "fastapi",
    "uvicorn",
    "jinja2",
)


def machine() -> str:
    """A Markdown description of this machine and the package versions."""
    lines = [
        "| what | value |",
        "|---|---|",
        f"| python | {platform.python_version()} ({platform.python_implementation()}) |",
        f"| platform | {platform.platform()} |",
        f"| processor | {platform.processor() or platform.machine()} |",
        f"| cores | {os.cpu_count()} |",
    ]
    for name in PACKAGES:
        try:
            lines.append(f"| {name} | {version(name)} |")
        except PackageNotFoundError:
            lines.append(f"| {name} | not installed |")
    return "\n".join(lines)


def load(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("only", nargs="*", help="topics to run (calendar, planner, ...); all by default")
    parser.add_argument("--quick", action="store_true", help="smaller sizes for a smoke run")
    args = parser.parse_args(argv)
    paths = sorted(HERE.glob("bench_*.py"))
    if args.only:
        paths = [p for p in paths if p.stem.removeprefix("bench_") in args.only]
    print("# Benchmark run\n")
    print(machine())
    for path in paths:
        module = load(path)
        print()
        print(module.main(args.quick))  # type: ignore[attr-defined]
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
