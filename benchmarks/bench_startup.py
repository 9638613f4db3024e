"""Start-up time: ``import civicflow`` and the ``civicflow`` command, each in a fresh Python process.

    python benchmarks/run.py startup           # from the repository root
    python benchmarks/bench_startup.py         # alone (add --quick for fewer runs)

Every command runs in a new process of the same Python as the benchmark (``sys.executable``), with the
output thrown away; the median of N runs is shown with the fastest and slowest. The peers are the cost of
starting Python at all (``python -c pass``) and of importing the libraries civicflow is built on, measured
in the same run. The last column is the CPU time (user and system) of the same runs, which a busy machine
disturbs far less than the wall-clock time.

The package is byte-compiled first (``compileall``), as an installed package is: with
``PYTHONDONTWRITEBYTECODE`` set, a source checkout would otherwise compile every module it imports on every
run (about 50 ms for ``civicflow plan``), which no installed copy does.
"""

from __future__ import annotations

import compileall
import resource
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


def times(args: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds (user + system) of ``runs`` runs of ``python args`` (a failing command
    stops the benchmark). On a machine shared with other work the CPU time varies far less."""
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


def main(quick: bool = False) -> str:
    runs = QUICK_RUNS if quick else RUNS
    import civicflow

    compileall.compile_dir(Path(civicflow.__file__).parent, quiet=1)
    lines = [
        "## Start-up",
        "",
        f"Each command in a fresh `{sys.executable.rsplit('/', 1)[-1]}` process, {runs} runs.",
        "",
        "| command | median | fastest | slowest | CPU, median |",
        "|---|---|---|---|---|",
    ]
    for label, args in CASES:
        measured, cpu = times(args, runs)
        median, fastest, slowest = statistics.median(measured), min(measured), max(measured)
        used = statistics.median(cpu)
        lines.append(f"| `{label}` | {median:.3f} s | {fastest:.3f} s | {slowest:.3f} s | {used:.3f} s |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(main("--quick" in sys.argv[1:]))
