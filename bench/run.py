"""The scale benchmark of issue 6: `prikaz check` and `prikaz build` of 1 … 1,000 synthetic programmes.

    .venv/bin/python bench/run.py                          # sizes 1,10,100,1000; table into BENCHMARKS.md
    .venv/bin/python bench/run.py --sizes 1,10 --no-write  # a quick look, nothing written
    .venv/bin/python bench/run.py --engine /tmp/old --json bench/results/before.json --no-write
                                                           # measure another checkout of the engine
    .venv/bin/python bench/run.py --results bench/results/after-9ca9421.json --before bench/results/before-bdc29a5.json
                                                           # the table of saved results, nothing measured
    .venv/bin/python bench/run.py --baseline /work/old     # this engine and another checkout in the same run,
                                                           # step by step in turn, and the targets of issue 15

For each size N, bench/generate.py writes N programmes of realistic size into a temporary specs
folder (outside any git repository), then the real command line runs as a subprocess,
`python -m engine.commands.cli check SPECS --format json` (asserted: exit 0 and no diagnostic at all) and
`python -m engine.commands.cli build SPECS -o OUT` into an empty folder (asserted: exit 0, every programme's
folder written), then the same build again — the no-op rebuild, nothing changed (asserted: exit 0). An engine
checkout from before the package layout of issue 15 is run as `python -m engine.cli`. Each is measured from
outside:

    wall        time.perf_counter around the process
    CPU         user + system time of the process and every child it waited for (os.wait4)
    max RSS     the largest resident set of the process or any of its children (os.wait4's
                ru_maxrss, as /usr/bin/time -v reports it)
    peak Σ      the largest sum of the proportional set sizes (PSS) of the process and all its
                descendants at once, sampled from /proc every 20 ms in the first second, then every
                100 ms (reading smaps takes CPU the measured build would otherwise have on a 2-core
                machine; a build's memory is flat after its start): what a pool of forked workers
                costs together, pages they share with the build process counted once

Also measured: `check` of the bundled specs as a new process each time (interpreter start and
imports included; median of --runs runs), and the engine's per-document render time against
bare docxtpl (bench/render_ratio.py, which says exactly what each side includes).

With --write (the default) the Markdown table replaces the section between the markers
`<!-- bench/run.py: begin -->` and `<!-- bench/run.py: end -->` of BENCHMARKS.md; results
saved with --json can be shown beside it as «before» with --before FILE.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.generate import programme_id, write_tree  # noqa: E402

BEGIN, END = "<!-- bench/run.py: begin -->", "<!-- bench/run.py: end -->"


@dataclass
class Measurement:
    wall: float        # s
    cpu: float         # s, user + system, children included
    max_rss: int       # KiB, largest single process
    peak_rss_sum: int  # KiB, largest sampled PSS sum over the process tree (or max_rss, if larger)
    code: int
    stdout: str
    stderr: str

    def summary(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k not in ("stdout", "stderr")}


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def _tree_pss(root: int) -> int:
    """Proportional set size, KiB, of `root` and all its descendants now: pages shared by forked workers
    count once in the sum (their RSS would count them once per process)."""
    tree, total, stack = _children(), 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith(b"Pss:"))
        except (OSError, StopIteration, IndexError, ValueError):
            pass
        stack.extend(tree.get(pid, ()))
    return total


def run(command: list[str], cwd: Path, env: dict | None = None) -> Measurement:
    """Run a command to its end; time, CPU and memory of it and its children."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_pss(process.pid))
                done.wait(0.02 if time.perf_counter() - start < 1 else 0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measurement(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, max(peak[0], usage.ru_maxrss),
                           process.returncode, out.read().decode("utf-8", "replace"),
                           err.read().decode("utf-8", "replace"))


def _python(engine: Path) -> str:
    """The checkout's own interpreter (its .venv, with the libraries it was installed with), else this one."""
    own = engine / ".venv" / "bin" / "python"
    return str(own) if own.is_file() else sys.executable


def _cli(engine: Path) -> tuple[list[str], dict]:
    """`python -m engine.commands.cli` of the engine checkout `engine` (its folder first on the path; `engine.cli`
    in a checkout from before the package layout), run by the checkout's own interpreter."""
    env = dict(os.environ, PYTHONPATH=str(engine), PYTHONIOENCODING="utf-8")
    env.pop("SOURCE_DATE_EPOCH", None)
    env.pop("CI", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)    # an installed prikaz starts from its bytecode, as after a first run
    module = "engine.commands.cli" if (engine / "engine" / "commands" / "cli.py").is_file() else "engine.cli"
    return [_python(engine), "-m", module], env


def machine() -> dict:
    model = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        total_kib = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    os_name = platform.platform()
    try:
        with open("/etc/os-release", encoding="utf-8") as release:
            os_name = next(line.split("=", 1)[1].strip().strip('"') for line in release
                           if line.startswith("PRETTY_NAME")) + f", Linux {platform.release()}"
    except (OSError, StopIteration):
        pass
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": model, "ram_gib": round(total_kib / 1024 / 1024, 1),
            "python": platform.python_version(), "os": os_name, "load": os.getloadavg()[0]}


def _commit(engine: Path) -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=engine, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "engine"], cwd=engine, capture_output=True, text=True)
    commit = out.stdout.strip() or "?"
    return commit + ("+changes" if dirty.stdout.strip() else "")


def bundled_check(engine: Path, runs: int) -> dict:
    command, env = _cli(engine)
    results = []
    for _ in range(runs + 1):
        measured = run(command + ["check", str(engine / "specs")], engine, env)
        assert measured.code == 0, measured.stdout + measured.stderr
        results.append(measured)
    results = results[1:]           # the first run warms the disk cache and the bytecode
    return {"runs": runs, "wall_median": statistics.median(r.wall for r in results),
            "wall_min": min(r.wall for r in results), "cpu_median": statistics.median(r.cpu for r in results),
            "max_rss": max(r.max_rss for r in results)}


def scale(engine: Path, size: int, keep: Path | None) -> dict:
    command, env = _cli(engine)
    root = Path(tempfile.mkdtemp(prefix=f"prikaz-bench-{size}-", dir=keep))
    try:
        specs, outputs = root / "specs", root / "outputs"
        started = time.perf_counter()
        write_tree(specs, size)
        generated = time.perf_counter() - started
        check = run(command + ["check", str(specs), "--format", "json"], engine, env)
        assert check.code == 0, \
            f"check of {size} synthetic programmes: exit {check.code}\n{check.stdout[:3000]}{check.stderr[-3000:]}"
        assert json.loads(check.stdout) == [], f"diagnostics in synthetic programmes: {check.stdout[:3000]}"
        build = run(command + ["build", str(specs), "-o", str(outputs)], engine, env)
        assert build.code == 0, \
            f"build of {size} synthetic programmes: exit {build.code}\n{build.stdout[-3000:]}{build.stderr[-3000:]}"
        for index in range(1, size + 1):
            folder = outputs / programme_id(index)
            assert len(list(folder.glob("*.docx"))) == 5 and (folder / "calendar.ics").is_file(), folder
        files = [p for p in outputs.rglob("*") if p.is_file()]
        noop = run(command + ["build", str(specs), "-o", str(outputs)], engine, env)
        assert noop.code == 0, f"no-op rebuild of {size}: exit {noop.code}\n{noop.stdout[-3000:]}{noop.stderr[-3000:]}"
        return {"size": size, "generate_s": generated, "check": check.summary(), "build": build.summary(),
                "noop": noop.summary(), "output_files": len(files),
                "output_mb": sum(p.stat().st_size for p in files) / 1e6}
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)


def render_ratio(engine: Path, runs: int) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=f"{engine}{os.pathsep}{REPO}")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run([_python(engine), str(HERE / "render_ratio.py"), "--runs", str(runs), "--json"], cwd=engine,
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _mb(kib: int) -> str:
    return f"{kib / 1024:.0f} MB"


def markdown(results: dict, before: dict | None = None) -> str:
    m = results["machine"]
    lines = [
        f"Measured {results['date']} on engine {results['commit']}: {m['nproc']} × {m['cpu']} "
        f"(`nproc` = {m['nproc']}), {m['ram_gib']} GiB RAM, Python {m['python']}, {m['os']}; "
        f"load average {m['load']:.1f} at the start (the machine is shared: wall times carry other jobs' noise, "
        f"CPU times much less).",
        "",
        f"Command: `{results['command']}`",
        "",
        "| programmes | check: wall | CPU | max RSS | build: wall | CPU | max RSS | peak Σ (PSS) | "
        "build wall per programme | build CPU per programme | no-op rebuild: wall | CPU | output |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in results["sizes"]:
        c, b = row["check"], row["build"]
        noop = row.get("noop")    # results saved before the no-op rebuild was measured have none
        lines.append(
            f"| {row['size']:,} | {_ms(c['wall'])} | {_ms(c['cpu'])} | {_mb(c['max_rss'])} | {_ms(b['wall'])} | "
            f"{_ms(b['cpu'])} | {_mb(b['max_rss'])} | {_mb(b['peak_rss_sum'])} | {_ms(b['wall'] / row['size'])} | "
            f"{_ms(b['cpu'] / row['size'])} | {_ms(noop['wall']) if noop else '–'} | {_ms(noop['cpu']) if noop else '–'} | "
            f"{row['output_files']:,} files, {row['output_mb']:.0f} MB |")
    bundled = results["bundled_check"]
    lines += ["", f"`check` of the bundled specs (the checkout's own `specs/`), a new process each run, interpreter start "
                  f"included: median **{_ms(bundled['wall_median'])}** wall (min {_ms(bundled['wall_min'])}, "
                  f"CPU {_ms(bundled['cpu_median'])}, {bundled['runs']} runs, max RSS {_mb(bundled['max_rss'])})."]
    lines += ["", "Per-document render, engine against bare docxtpl (bench/render_ratio.py), CPU ms, median; «warm»: "
                  "the engine's per-process caches filled, as for every programme of a build but the first a process "
                  "renders; «cold»: emptied before each run:", "",
              "| document | template | engine, warm | engine, cold | bare docxtpl | warm / bare | cold / bare |",
              "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['document']} | {r['template']} | {r['engine_ms']} | {r['cold_ms']} | {r['bare_ms']} | "
              f"**{r['ratio']:.2f}** | **{r['cold_ratio']:.2f}** |" for r in results["render_ratio"]]
    if before:
        how = "in the same run" if before.get("command") == results["command"] else "by the same command with `--engine`"
        lines += ["", f"Before and after (before: engine {before['commit']}, measured {before['date']} {how}):", "",
                  "| | programmes | before | after |", "|---|---|---|---|"]
        old = {row["size"]: row for row in before["sizes"]}
        for row in results["sizes"]:
            prev = old.get(row["size"])
            if prev is None:
                continue
            for label, key, fmt in (("check wall", ("check", "wall"), _ms), ("check CPU", ("check", "cpu"), _ms),
                                    ("check max RSS", ("check", "max_rss"), _mb),
                                    ("build wall", ("build", "wall"), _ms), ("build CPU", ("build", "cpu"), _ms),
                                    ("build peak Σ (PSS)", ("build", "peak_rss_sum"), _mb),
                                    ("no-op rebuild CPU", ("noop", "cpu"), _ms)):
                if key[0] in prev and key[0] in row:
                    lines.append(f"| {label} | {row['size']:,} | {fmt(prev[key[0]][key[1]])} | "
                                 f"{fmt(row[key[0]][key[1]])} |")
            lines.append(f"| build CPU per programme | {row['size']:,} | {_ms(prev['build']['cpu'] / row['size'])} | "
                         f"{_ms(row['build']['cpu'] / row['size'])} |")
        lines.append(f"| bundled check, median wall | 3 | {_ms(before['bundled_check']['wall_median'])} | "
                     f"{_ms(bundled['wall_median'])} |")
        # an engine measured before the per-process caches has one figure, warm and cold alike
        ratios = {r["document"]: (r["ratio"], r.get("cold_ratio", r["ratio"])) for r in before["render_ratio"]}
        for r in results["render_ratio"]:
            if r["document"] in ratios:
                warm, cold = ratios[r["document"]]
                lines.append(f"| render ratio warm / cold, {r['document']} | 1 | {warm:.2f} / {cold:.2f} | "
                             f"{r['ratio']:.2f} / {r['cold_ratio']:.2f} |")
        lines += ["", *targets(results, before)]
    return "\n".join(lines)


def targets(results: dict, before: dict) -> list[str]:
    """The targets of issue 15, item 5, against `before` measured in the same run: met or not, with the numbers."""
    def met(ok: bool) -> str:
        return "yes" if ok else "**no**"

    lines = [f"Targets of issue 15 (before: engine {before['commit']}):", "",
             "| target | before | now | met? |", "|---|---|---|---|"]
    old = {row["size"]: row for row in before["sizes"]}
    shared = [row for row in results["sizes"] if row["size"] in old]
    if shared:
        row = max(shared, key=lambda row: row["size"])
        size, now, then = row["size"], row["build"]["cpu"] / row["size"], old[row["size"]]["build"]["cpu"] / row["size"]
        lines.append(f"| build CPU per programme of {size:,} programmes ≤ half of before's | {_ms(then)} | {_ms(now)} "
                     f"({now / then:.2f} of before) | {met(now <= then / 2)} |")
    for row in results["sizes"]:
        if "noop" in row:
            noop, check = row["noop"]["cpu"], row["check"]["cpu"]
            previous = old.get(row["size"], {}).get("noop")
            lines.append(f"| no-op rebuild of {row['size']:,} no slower than a `check` of them (CPU) | "
                         f"{_ms(previous['cpu']) + ' / ' + _ms(old[row['size']]['check']['cpu']) if previous else '–'} | "
                         f"{_ms(noop)} / {_ms(check)} ({noop / check:.2f}) | {met(noop <= check)} |")
    worst = max(results["render_ratio"], key=lambda r: r["cold_ratio"])
    worst_before = max((r.get("cold_ratio", r["ratio"]) for r in before["render_ratio"]), default=0)
    lines.append(f"| cold per-document render ≤ 1.1× bare docxtpl (the worst document) | {worst_before:.2f} | "
                 f"{worst['cold_ratio']:.2f} ({worst['document']}) | {met(worst['cold_ratio'] <= 1.1)} |")
    bundled, bundled_before = results["bundled_check"], before["bundled_check"]
    lines.append(f"| `check` of the bundled specs in a new process under 150 ms (median wall; CPU) | "
                 f"{_ms(bundled_before['wall_median'])}; {_ms(bundled_before['cpu_median'])} | "
                 f"{_ms(bundled['wall_median'])}; {_ms(bundled['cpu_median'])} | {met(bundled['wall_median'] < 0.15)} |")
    return lines


def write_section(path: Path, text: str) -> None:
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        current = head + block + rest.split(END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(current, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100,1000", help="numbers of programmes, comma-separated")
    parser.add_argument("--runs", type=int, default=7, help="runs of the bundled check (median)")
    parser.add_argument("--ratio-runs", type=int, default=15, help="runs of each document for the render ratio")
    parser.add_argument("--engine", type=Path, default=REPO, help="checkout of prikaz to measure (default: this one)")
    parser.add_argument("--json", type=Path, help="also save the results as JSON")
    parser.add_argument("--before", type=Path, help="results JSON of an earlier run to show beside these")
    parser.add_argument("--write", type=Path, default=REPO / "BENCHMARKS.md", help="Markdown file to put the table in")
    parser.add_argument("--no-write", action="store_true", help="only print the table")
    parser.add_argument("--results", type=Path, help="write the table of results saved with --json; measure nothing")
    parser.add_argument("--keep", type=Path, help="keep the generated specs and outputs under this folder")
    parser.add_argument("--baseline", type=Path,
                        help="another checkout of prikaz measured in the same run, shown as «before» with the targets")
    args = parser.parse_args(argv)
    before = json.loads(args.before.read_text(encoding="utf-8")) if args.before else None
    if args.results:
        results = json.loads(args.results.read_text(encoding="utf-8"))
    else:
        engines = [args.engine.resolve()] + ([args.baseline.resolve()] if args.baseline else [])
        results, *baseline = measure(engines, args)
        before = baseline[0] if baseline else before
    table = markdown(results, before)
    if not args.no_write:
        write_section(args.write, table)   # before printing: a closed pipe on stdout must not cost the file
    print(table)
    return 0


def measure(engines: list[Path], args: argparse.Namespace) -> list[dict]:
    """Every measurement of the table for each engine, step by step in turn (so that every engine meets the same
    load of a shared machine); each engine's results saved to --json after each size (a long run keeps what it
    has): the first engine's to the file named, the others' beside it with their commit in the name."""
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    command = "python bench/run.py" + (f" --sizes {args.sizes}" if args.sizes != "1,10,100,1000" else "")
    if len(engines) > 1:
        command += f" --baseline {engines[1]}"
    everything = [{"date": dt.date.today().isoformat(), "commit": _commit(engine), "machine": machine(),
                   "command": command, "sizes": []} for engine in engines]
    for engine, results in zip(engines, everything, strict=True):
        results["bundled_check"] = bundled_check(engine, args.runs)
        print(f"{results['commit']}: bundled check median {results['bundled_check']['wall_median'] * 1000:.0f} ms",
              file=sys.stderr)
    for engine, results in zip(engines, everything, strict=True):
        results["render_ratio"] = render_ratio(engine, args.ratio_runs)
        print(f"{results['commit']}: render ratio " + ", ".join(f"{r['document']} {r['ratio']}/{r['cold_ratio']}"
                                                                for r in results["render_ratio"]), file=sys.stderr)
    for size in sizes:
        for engine, results in zip(engines, everything, strict=True):
            row = scale(engine, size, args.keep)
            results["sizes"].append(row)
            print(f"{results['commit']}, {size}: check {row['check']['cpu']:.2f} s CPU, build {row['build']['wall']:.2f} s "
                  f"(CPU {row['build']['cpu']:.1f} s, peak Σ {row['build']['peak_rss_sum'] / 1024:.0f} MB), "
                  f"no-op {row['noop']['cpu']:.2f} s CPU", file=sys.stderr)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            for index, results in enumerate(everything):
                path = args.json if index == 0 else args.json.with_name(f"{args.json.stem}-{results['commit']}.json")
                path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return everything


if __name__ == "__main__":
    raise SystemExit(main())
