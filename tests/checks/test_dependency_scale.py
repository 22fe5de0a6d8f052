"""`check` of a roadmap whose activities depend on each other densely grows with the size of the roadmap,
not faster (issue 10, item 4: a dense graph of 738 KB once took 72 s, growing as n^3.6).

The work is counted, not timed: every Python and C function call made while the programme is
loaded, modelled and checked (sys.setprofile), so the test says the same on a busy machine. It is
counted for roadmaps of n, 2n and 3n generated activities; what each added byte of roadmap.yaml
costs must stay the same from the second to the third as from the first to the second (a check
that grows as the square of the roadmap would double it).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest

from engine.building.pipeline import check_tree

BASE = Path(__file__).parent / "base" / "base-2022"


def _activity(index: int, time: str, depends_on: list[int]) -> str:
    lines = [f"    - id: generated-{index}", f"      title: Мероприятие {index}", f"      time: {time}",
             "      owners: [cmoko]"]
    if depends_on:
        lines.append("      depends_on: [" + ", ".join(f"generated-{other}" for other in depends_on) + "]")
    return "\n".join(lines) + "\n"


def _day(index: int, month: int = 1) -> str:
    return (dt.date(2022, month, 1) + dt.timedelta(days=index)).strftime("%d.%m.%Y")


def _windows(index: int) -> str:
    """Three windows, in January, May and September: the index-th day of each."""
    return "; ".join(f"{_day(index, month)} – {_day(index, month)}" for month in (1, 5, 9))


SHAPES = {
    # each activity after every earlier one, a day later: clean
    "dense": lambda i, n: (_day(i), list(range(i))),
    # a chain: each after the previous one
    "chain": lambda i, n: (_day(i), [i - 1] if i else []),
    # each after every earlier one, in each of its three windows: every window compared, clean
    "windows": lambda i, n: (_windows(i), list(range(i))),
    # every activity depends on every other: every dependency lies on a cycle
    "cycle": lambda i, n: (_day(i), [j for j in range(n) if j != i]),
    # monthly activities, each depending on every earlier one: each dependency out of order
    "monthly": lambda i, n: ("ежемесячно", list(range(i))),
}
# n: a chain's depends_on lists are short, so it takes more activities to outweigh the rest of the programme
COUNTS = {"dense": 30, "chain": 400, "windows": 30, "cycle": 30, "monthly": 30}
# the T204 findings of n generated activities
FINDINGS = {"dense": lambda n: 0, "chain": lambda n: 0, "windows": lambda n: 0,
            "cycle": lambda n: n * (n - 1), "monthly": lambda n: n * (n - 1) // 2}


def _programme(tmp_path: Path, shape: str, count: int) -> tuple[Path, int]:
    directory = tmp_path / f"{shape}-{count}" / BASE.name
    shutil.copytree(BASE, directory)
    programme = directory / "programme.yaml"
    # four years: room for a long chain of activities a day apart
    programme.write_text(programme.read_text(encoding="utf-8").replace('period: "2022"', 'period: "2022–2025"'),
                         encoding="utf-8")
    roadmap = directory / "roadmap.yaml"
    text = roadmap.read_text(encoding="utf-8")
    generated = "".join(_activity(i, *SHAPES[shape](i, count)) for i in range(count))
    roadmap.write_text(text.replace("  activities:\n", "  activities:\n" + generated, 1), encoding="utf-8")
    return directory, roadmap.stat().st_size


def _work(directory: Path) -> tuple[int, list]:
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        diagnostics = check_tree(directory).diagnostics
    finally:
        sys.setprofile(None)
    return calls, diagnostics


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_dependency_checks_grow_with_the_roadmap_not_faster(tmp_path, shape):
    programmes = [_programme(tmp_path, shape, times * COUNTS[shape]) for times in (1, 2, 3)]
    check_tree(programmes[-1][0])   # caches filled (time expressions, grammar) before anything is counted
    sizes, works = [], []
    for times, (directory, size) in enumerate(programmes, 1):
        work, found = _work(directory)
        findings = [d for d in found if d.code == "T204"]
        assert len(findings) == FINDINGS[shape](times * COUNTS[shape]), [d.message for d in found[:3]]
        sizes.append(size)
        works.append(work)
    first, second = ((works[i + 1] - works[i]) / (sizes[i + 1] - sizes[i]) for i in (0, 1))
    assert second <= 1.25 * first, (
        f"{shape}: roadmap.yaml of {sizes} bytes, work {works} calls: "
        f"{first:.2f} calls per added byte, then {second:.2f}")
