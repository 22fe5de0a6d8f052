"""One build against the same build in N shards run one after the other, then merged (issue 15, item 6).

    .venv/bin/python bench/shards.py --size 1000 --shards 2     # prints a Markdown table and the JSON of it

bench/generate.py writes SIZE programmes into a temporary folder (outside git, so that every build has the
same build time), and the real command line runs as subprocesses, each measured as bench/run.py measures
(`bench.run.run`: wall, CPU of the process and its children, largest RSS, peak PSS sum of the process tree):

    prikaz build SPECS -o single                        one build
    prikaz build SPECS --shard K/N -o shard-K           for K = 1 … N, one after the other
    prikaz merge shard-1 … shard-N -o merged

The merged folder is compared with the single one byte for byte (every file, hidden ones too) before anything is
reported. The sum of the shards' CPU against the single build's is what sharding costs in total; the merge is
the part that does not spread over machines.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.generate import write_tree  # noqa: E402
from bench.run import Measurement, _cli, machine, run  # noqa: E402


def _same_bytes(first: Path, second: Path) -> bool:
    """Every file of both folders (hidden ones too), byte for byte, one pair at a time."""
    def files(folder: Path) -> list[str]:
        return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())

    names = files(first)
    return names == files(second) and all(filecmp.cmp(first / name, second / name, shallow=False) for name in names)


def measure(size: int, count: int, keep: Path | None) -> dict:
    command, env = _cli(REPO)
    root = Path(tempfile.mkdtemp(prefix=f"prikaz-shards-{size}-", dir=keep))
    try:
        specs = root / "specs"
        write_tree(specs, size)
        steps: dict[str, Measurement] = {"single": run(command + ["build", str(specs), "-o", str(root / "single")],
                                                       REPO, env)}
        for number in range(1, count + 1):
            steps[f"shard {number}/{count}"] = run(command + ["build", str(specs), "--shard", f"{number}/{count}",
                                                              "-o", str(root / f"shard-{number}")], REPO, env)
        steps["merge"] = run(command + ["merge", *(str(root / f"shard-{number}") for number in range(1, count + 1)),
                                        "-o", str(root / "merged")], REPO, env)
        for name, step in steps.items():
            assert step.code == 0, f"{name}: exit {step.code}\n{step.stdout[-3000:]}{step.stderr[-3000:]}"
        assert _same_bytes(root / "single", root / "merged"), "the merged shards differ from the single build"
        shard_files = [root / f"shard-{number}" / "prikaz-shard.jsonl" for number in range(1, count + 1)]
        return {"size": size, "shards": count, "machine": machine(),
                "steps": {name: step.summary() for name, step in steps.items()},
                "shard_file_mb": [round(path.stat().st_size / 1e6, 1) for path in shard_files],
                "programmes": [sum(1 for _ in path.open("rb")) - 2 for path in shard_files]}
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)


def markdown(result: dict) -> str:
    steps = result["steps"]
    single = steps["single"]["cpu"]
    shards = [step for name, step in steps.items() if name.startswith("shard")]
    lines = ["| шаг | программ | время, с | CPU, с | CPU к одной сборке | макс. RSS, МБ | Σ PSS, МБ |",
             "|---|---|---|---|---|---|---|"]
    counts = [result["size"], *result["programmes"], result["size"]]
    for (name, step), programmes in zip(steps.items(), counts, strict=True):
        lines.append(f"| {name} | {programmes} | {step['wall']:.1f} | {step['cpu']:.1f} | "
                     f"{step['cpu'] / single:.2f} | {step['max_rss'] / 1024:.0f} | {step['peak_rss_sum'] / 1024:.0f} |")
    total = sum(step["cpu"] for step in shards)
    merge = steps["merge"]["cpu"]
    lines += ["", f"Части вместе: CPU {total:.1f} с ({total / single:.2f} одной сборки); с объединением "
                  f"{total + merge:.1f} с ({(total + merge) / single:.2f}). Файлы частей: "
                  + ", ".join(f"{size} МБ" for size in result["shard_file_mb"]) + "."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="leave the folders here (default: removed)")
    args = parser.parse_args(argv)
    result = measure(args.size, args.shards, args.keep)
    sys.stdout.write(markdown(result) + "\n" + json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
