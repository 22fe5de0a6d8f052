"""Large trees are checked and built programme by programme on every core (engine.building.parallel), keeping no
model: the results must be those of checking and building one programme after another in one process."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bench.generate import DECREE_DATE, write_tree
from engine.building.build import build
from engine.building.parallel import MIN_PROGRAMMES, workers
from engine.building.pipeline import check_tree
from engine.render import BuildOptions
from engine.render.ics import OrganisationCalendars, _vevent, component_bytes, render_programme_calendars
from engine.render.ics_events import programme_calendar

COUNT = MIN_PROGRAMMES + 1
pool = pytest.mark.skipif(not workers(COUNT), reason="нужны два ядра и fork (или PRIKAZ_JOBS=1 задан)")


def _tree(root: Path) -> Path:
    """COUNT synthetic programmes; one refers to another's decree with a wrong number (R503 across
    programmes), one has a budget that does not add up."""
    specs = root / "specs"
    write_tree(specs, COUNT)
    decree = specs / "bench-0002" / "decree.yaml"
    decree.write_text(decree.read_text(encoding="utf-8").replace(
        "  legal_basis:\n", f'  legal_basis:\n    neighbour:\n      kind: приказ\n      issuer: uo\n'
                            f'      date: {DECREE_DATE}\n      number: "999/01-08"\n      programme: bench-0001\n'
                            f'      title: Об утверждении документов\n', 1), encoding="utf-8")
    budget = specs / "bench-0005" / "budget.yaml"
    text = budget.read_text(encoding="utf-8")
    budget.write_text(text.replace('total: "', 'total: "1', 1), encoding="utf-8")
    return specs


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and ".cache" not in path.parts}


@pool
def test_checking_on_every_core_reports_what_one_process_reports(tmp_path):
    specs = _tree(tmp_path)
    alone = check_tree(specs)                          # one process, every model kept
    streamed = check_tree(specs, keep_models=False)    # the workers, nothing kept
    assert streamed.diagnostics == alone.diagnostics
    codes = {(d.code, d.span.file.parent.name) for d in streamed.diagnostics}
    assert ("R503", "bench-0002") in codes and any(code.startswith("S") and name == "bench-0005" for code, name in codes)
    assert all(result.model is None for result in streamed.programmes)
    # only the files the diagnostics point into travel back, for the reporter's snippets
    assert set(streamed.texts) == {d.span.file for d in streamed.diagnostics}
    assert all(streamed.texts[path] == alone.texts[path] for path in streamed.texts)


@pool
def test_building_on_every_core_writes_the_bytes_of_one_process(tmp_path, monkeypatch):
    specs = _tree(tmp_path)
    for name in ("bench-0002", "bench-0005"):     # the shared feeds are written only when every programme builds
        for path in (specs / name).iterdir():
            path.write_text(path.read_text(encoding="utf-8").replace('"999/01-08"', '"101/01-08"')
                            .replace('total: "1', 'total: "', 1), encoding="utf-8")
    pooled = build(specs, tmp_path / "pooled")
    monkeypatch.setenv("PRIKAZ_JOBS", "1")
    alone = build(specs, tmp_path / "alone")
    assert not pooled.failed and not alone.failed, pooled.all_diagnostics + alone.all_diagnostics
    assert all(item.rendered for item in pooled.programmes)
    assert _files(tmp_path / "pooled") == _files(tmp_path / "alone")
    # one feed per region: «oo» of two regions are two organisations
    shared = "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "pooled" / "calendars").glob("*/oo.ics"))
    assert shared.count("BEGIN:VEVENT") == sum(
        (tmp_path / "pooled" / f"bench-{index:04d}" / "calendars" / "oo.ics").read_text(encoding="utf-8")
        .count("BEGIN:VEVENT") for index in range(1, COUNT + 1))


def test_a_shared_feed_restamps_the_events_a_programme_serialized_for_its_own(tmp_path):
    """The feeds across programmes carry the latest build time; a programme's own feeds carry its own. The
    events are serialized once and restamped: the bytes must be those of serializing them again."""
    specs = tmp_path / "specs"
    write_tree(specs, 1)
    model = check_tree(specs).programmes[0].model
    own = BuildOptions(dt.datetime(2024, 1, 1, tzinfo=dt.UTC), tmp_path)
    latest = BuildOptions(dt.datetime(2025, 3, 4, 5, 6, 7, tzinfo=dt.UTC), tmp_path)
    render_programme_calendars(model, own)
    part = OrganisationCalendars.part(model, latest, ())
    stamp = latest.build_time
    expected = [component_bytes(_vevent(event, stamp, 0, stamp, stamp)) for event in programme_calendar(model).events]
    assert [lines for _, _, lines in part.events] == expected
    assert all(b"DTSTAMP:20250304T050607Z\r\n" in lines and b"LAST-MODIFIED:20250304T050607Z\r\n" in lines
               and b"CREATED:20250304T050607Z\r\n" in lines
               for lines in expected)
