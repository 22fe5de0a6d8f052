"""The benchmark's own code works: 2 synthetic programmes check clean and build (no timing asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench import run as bench_run  # noqa: E402
from bench.generate import ACTIVITIES_PER_SECTION, BUDGET_LINES, INDICATORS, SECTIONS, write_tree  # noqa: E402


def test_generated_programmes_check_clean_in_process(tmp_path):
    from engine.building.pipeline import check_tree

    write_tree(tmp_path / "specs", 2)
    checked = check_tree(tmp_path / "specs")
    assert [p.directory.name for p in checked.programmes] == ["bench-0001", "bench-0002"]
    assert checked.diagnostics == []
    programme = checked.programmes[0].model.programme
    assert len(programme.roadmap.all_activities()) == SECTIONS * ACTIVITIES_PER_SECTION == 50
    assert len(programme.budget.lines) == BUDGET_LINES == 20
    assert any(line.quantity is not None for line in programme.budget.lines)
    assert any(line.of_which for line in programme.budget.lines)
    assert len(programme.indicators.items) == INDICATORS == 15
    assert programme.specification is not None
    assert len({str(a.time.text) for a in programme.roadmap.all_activities()}) >= 15   # varied time expressions


def test_scale_step_checks_and_builds_two_programmes(tmp_path):
    row = bench_run.scale(REPO, 2, keep=tmp_path)       # asserts: exit 0, no diagnostics, every folder written
    assert row["size"] == 2
    assert row["output_files"] > 2 * 6
    for step in ("check", "build"):
        assert row[step]["code"] == 0
        assert row[step]["wall"] > 0 and row[step]["cpu"] > 0 and row[step]["max_rss"] > 0


def test_table_goes_between_the_markers(tmp_path):
    results = {"date": "2025-01-01", "commit": "abc", "command": "python bench/run.py", "machine": bench_run.machine(),
               "bundled_check": {"runs": 5, "wall_median": 0.3, "wall_min": 0.29, "cpu_median": 0.28, "max_rss": 70000},
               "render_ratio": [{"document": "budget", "template": "budget.docx", "engine_ms": 20.0, "bare_ms": 18.0,
                                 "ratio": 1.11, "cold_ms": 27.0, "cold_ratio": 1.5}],
               "sizes": [{"size": 2, "check": {"wall": 0.4, "cpu": 0.4, "max_rss": 70000, "peak_rss_sum": 70000},
                          "build": {"wall": 2.0, "cpu": 1.9, "max_rss": 150000, "peak_rss_sum": 150000},
                          "output_files": 30, "output_mb": 2.0}]}
    table = bench_run.markdown(results, before=results)
    assert "| 2 |" in table and "| budget | budget.docx | 20.0 | 27.0 | 18.0 | **1.11** | **1.50** |" in table
    target = tmp_path / "BENCHMARKS.md"
    target.write_text("# Benchmarks\n\n## Someone else's section\n\nkept\n", encoding="utf-8")
    bench_run.write_section(target, table)
    bench_run.write_section(target, "second")
    text = target.read_text(encoding="utf-8")
    assert "kept" in text and "second" in text and table not in text
    assert text.count(bench_run.BEGIN) == 1 and text.count(bench_run.END) == 1


def test_stage_breakdown_covers_every_stage_a_worker_runs():
    from bench.stages import measure

    first, steady = measure(2)
    assert list(first) == list(steady) == ["load, model, checks", "DOCX", "calendars", "build report", "site page",
                                           "part of the shared feeds", "part of the site index"]
    assert all(ms > 0 for ms in steady.values())
