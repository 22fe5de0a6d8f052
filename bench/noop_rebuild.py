"""How long `prikaz build` takes when nothing changed: the bundled specs, after a warm build.

    .venv/bin/python bench/noop_rebuild.py                 # 10 runs each way, a Markdown table
    .venv/bin/python bench/noop_rebuild.py --runs 20 --specs path/to/specs

Measured three ways, each after a warm build into a temporary outputs folder:

    in-process   engine.building.build.build() again and again in one interpreter: the imports are paid once
                 (how a long-running caller such as a preview server sees it)
    subprocess   `python -m engine.commands.cli build` as a new process each time: interpreter start and
                 imports included — what a person typing `prikaz build` waits for
    --force      the same subprocess rendering every programme: what every build cost before
                 the manifest (outputs/.manifest.json) let unchanged programmes be skipped

The specs are read where they are, in their git repository, so the calendar history (git) is
part of the measurement as it is of a real build. Every measured no-op run is checked to have
rendered nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from engine.building.build import build  # noqa: E402 — the checkout's engine, wherever the script is run from

UNCHANGED = "без изменений"


def _in_process(specs: Path, outputs: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        report = build(specs, outputs)
        times.append(time.perf_counter() - start)
        assert not any(item.rendered for item in report.programmes), "a no-op build rendered a programme"
    return times


def _subprocess(specs: Path, outputs: Path, runs: int, *options: str) -> list[float]:
    command = [sys.executable, "-m", "engine.commands.cli", "build", str(specs), "-o", str(outputs), *options]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("CI", None)  # the output is a pipe: no progress line either way
    times = []
    for run in range(runs + 1):  # the first run only warms the disk cache for the interpreter and libraries
        start = time.perf_counter()
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
        if run:
            times.append(time.perf_counter() - start)
        assert done.returncode == 0, done.stdout + done.stderr
        skipped_all = not options  # a no-op says «без изменений» for every programme, --force for none
        assert all((UNCHANGED in line) == skipped_all for line in done.stdout.splitlines()), done.stdout
    return times


def _row(name: str, times: list[float]) -> str:
    milliseconds = [t * 1000 for t in times]
    spread = statistics.stdev(milliseconds) if len(milliseconds) > 1 else 0.0
    return (f"| {name} | {len(times)} | {statistics.mean(milliseconds):.0f} ± {spread:.0f} | "
            f"{min(milliseconds):.0f} | {max(milliseconds):.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=Path, default=REPO / "specs", help="specs folder (default: the bundled specs)")
    parser.add_argument("--runs", type=int, default=10, help="measured no-op runs each way (default 10)")
    parser.add_argument("--force-runs", type=int, default=3, help="measured --force runs (default 3)")
    args = parser.parse_args()
    specs = args.specs.resolve()
    with tempfile.TemporaryDirectory(prefix="prikaz-bench-") as work:
        outputs = Path(work) / "outputs"
        warm = build(specs, outputs)
        assert not warm.failed, "the specs must build clean"
        rows = [_row("no-op, in-process", _in_process(specs, outputs, args.runs)),
                _row("no-op, subprocess", _subprocess(specs, outputs, args.runs)),
                _row("--force, subprocess", _subprocess(specs, outputs, args.force_runs, "--force"))]
    print("| build | runs | mean ± sd, ms | min, ms | max, ms |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
