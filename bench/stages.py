"""Where a programme's build goes: CPU per stage for synthetic programmes, in one process.

    .venv/bin/python bench/stages.py [--programmes 12]

Each programme goes through what a build worker does with it (engine.building.build._build_programme),
stage by stage: load + model + checks, the DOCX, the calendars, the build report, the site page,
and the two parts of the files that span programmes (the organisations' feeds, the site index).
The first programme fills the per-process caches (templates, Jinja, styles) and is reported
apart; the others are the steady state of a worker. CPU time (time.process_time), mean per
programme, in ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from bench.generate import write_tree  # noqa: E402

T = TypeVar("T")


def timed(row: dict[str, float], stage: str, work: Callable[..., T], *arguments: object) -> T:
    """work(*arguments), its CPU time in ms recorded as row[stage]."""
    start = time.process_time()
    value = work(*arguments)
    row[stage] = (time.process_time() - start) * 1000
    return value


def measure(programmes: int) -> tuple[dict[str, float], dict[str, float]]:
    """({stage: ms} of the first programme, {stage: mean ms} of the others)."""
    from engine.building.build import TEMPLATES
    from engine.building.pipeline import OtherDecrees, check_programme
    from engine.render import BuildOptions
    from engine.render.docx import render_docx
    from engine.render.ics import OrganisationCalendars, render_build_report, render_programme_calendars
    from engine.render.site import SiteIndex, render_programme_page

    with tempfile.TemporaryDirectory(prefix="prikaz-stages-") as temporary:
        specs = Path(temporary) / "specs"
        directories = write_tree(specs, programmes)
        own = BuildOptions(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), TEMPLATES)
        latest = BuildOptions(dt.datetime(2025, 2, 1, tzinfo=dt.UTC), TEMPLATES)
        rows: list[dict[str, float]] = []
        for directory in directories:
            row: dict[str, float] = {}
            result, _ = timed(row, "load, model, checks", check_programme, directory, specs, OtherDecrees(specs))
            model = result.model
            files = timed(row, "DOCX", render_docx, model, own)
            files.update(timed(row, "calendars", render_programme_calendars, model, own))
            files.update(timed(row, "build report", render_build_report, model, own))
            timed(row, "site page", render_programme_page, model, own, tuple(sorted(files)))
            timed(row, "part of the shared feeds", OrganisationCalendars.part, model, latest, ())
            timed(row, "part of the site index", SiteIndex.part, model, latest, ())
            rows.append(row)
    steady = rows[1:] or rows
    return rows[0], {stage: sum(row[stage] for row in steady) / len(steady) for stage in rows[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=12)
    args = parser.parse_args(argv)
    first, steady = measure(args.programmes)
    print("| stage | first programme, ms | each further programme, ms |\n|---|---|---|")
    for stage in first:
        print(f"| {stage} | {first[stage]:.1f} | {steady[stage]:.1f} |")
    print(f"| **total** | **{sum(first.values()):.1f}** | **{sum(steady.values()):.1f}** |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
