"""Start-up time: ``import civicflow`` and the ``civicflow`` command, each in a fresh Python process.

    python benchmarks/run.py startup           # from the repository root
    python benchmarks/bench_startup.py         # alone (add --quick for fewer runs)

Every command runs in a new process of the same Python as the benchmark (``sys.executable``), with the
output thrown away; the median of N runs is shown with the fastest and slowest. The peers are the cost of
starting Python at all (``python -c pass``) and of importing the libraries civicflow is built on, measured
in the same run.

The package is byte-compiled first (``compileall``), as an installed package is: with
``PYTHONDONTWRITEBYTECODE`` set, a source checkout would otherwise compile every module it imports on every
run (about 50 ms for ``civicflow plan``), which no installed copy does.
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 15
QUICK_RUNS = 5

CLI = "import sys; from civicflow.cli import main; sys.argv[0] = 'civicflow'; sys.exit(main(sys.argv[1:]))"

CASES: tuple[tuple[str, list[str]], ...] = (
    ("python -c pass (the interpreter alone)", ["-c", "pass"]),
    ("import pydantic", ["-c", "import pydantic"]),
    ("import holidays", ["-c", "import holidays"]),
    ("import transitions", ["-c", "import transitions"]),
    ("import civicflow", ["-c", "import civicflow"]),
    ("civicflow --help", ["-c", CLI, "--help"]),
    (
        "civicflow plan drohobych_kir --start 2025-10-06",
        ["-c", CLI, "plan", "drohobych_kir", "--start", "2025-10-06"],
    ),
)


def times(args: list[str], runs: int) -> list[float]:
    """Wall-clock seconds of ``runs`` runs of ``python args`` (a failing command stops the benchmark)."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL)
        out.append(time.perf_counter() - start)
    return out


def main(quick: bool = False) -> str:
    runs = QUICK_RUNS if quick else RUNS
    import civicflow

    compileall.compile_dir(Path(civicflow.__file__).parent, quiet=1)
    lines = [
        "## Start-up",
        "",
        f"Each command in a fresh `{sys.executable.rsplit('/', 1)[-1]}` process, {runs} runs.",
        "",
        "| command | median | fastest | slowest |",
        "|---|---|---|---|",
    ]
    for label, args in CASES:
        measured = times(args, runs)
        median, fastest, slowest = statistics.median(measured), min(measured), max(measured)
        lines.append(f"| `{label}` | {median:.3f} s | {fastest:.3f} s | {slowest:.3f} s |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(main("--quick" in sys.argv[1:]))
