"""Bounded work from small inputs (issue 10, item 4): a programme asks for at most `programme.limits`
(period length, calendar events); the diagnostic names the limit and the setting that raises it, and
a programme over its limits is never rendered."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.building.build import build
from engine.building.pipeline import check_tree

BASE = Path(__file__).parent / "base" / "base-2022"


def _programme(tmp_path: Path, period: str, monthly: int = 0, limits: str = "", time: str = "ежемесячно") -> Path:
    directory = tmp_path / "specs" / BASE.name
    shutil.copytree(BASE, directory)
    programme = directory / "programme.yaml"
    text = programme.read_text(encoding="utf-8").replace('period: "2022"', f'period: "{period}"')
    programme.write_text(text + (f"  limits: {limits}\n" if limits else ""), encoding="utf-8")
    roadmap = directory / "roadmap.yaml"
    generated = "".join(f"    - id: monthly-{i}\n      title: Ежемесячная работа {i}\n      time: {time}\n"
                        f"      owners: [cmoko]\n" for i in range(monthly))
    roadmap.write_text(roadmap.read_text(encoding="utf-8").replace("  activities:\n", "  activities:\n" + generated, 1),
                       encoding="utf-8")
    return directory


def _found(directory: Path, code: str) -> list:
    return [d for d in check_tree(directory).diagnostics if d.code == code]


@pytest.mark.parametrize("period, years", [("2022–2032", 11), ("1900–2100", 201), ("2000–2099", 100)])
def test_a_period_longer_than_the_limit(tmp_path, period, years):
    [found] = _found(_programme(tmp_path, period), "T205")
    assert found.span.file.name == "programme.yaml"
    assert f"— {years} " in found.message and "больше предела в 10" in found.message
    if years <= 100:
        assert f"limits: {{period_years: {years}}}" in found.hint
    else:
        assert "программы длиннее 100 лет prikaz не собирает" in found.hint


def test_a_raised_period_limit_lets_the_programme_through(tmp_path):
    assert not _found(_programme(tmp_path, "2022–2040", limits="{period_years: 19}"), "T205")


def test_too_many_events_name_the_limit_the_total_and_the_largest(tmp_path):
    directory = _programme(tmp_path, "2021–2030", monthly=50)    # 50 × 120 months, and the base's own
    [found] = _found(directory, "T206")
    total = int(found.message.split("дают ")[1].split(" ")[0])
    assert total > 6000 and "больше предела в 5000; этот срок — 120" in found.message
    assert found.span.file.name == "roadmap.yaml"
    assert f"limits: {{events: {total}}}" in found.hint
    assert len(found.related) == 3
    raised = _programme(tmp_path / "raised", "2021–2030", monthly=50, limits=f"{{events: {total}}}")
    assert not _found(raised, "T206")


def test_undated_items_count_too(tmp_path):
    """A roadmap of thousands of «по запросу» rows has no calendar events, but it is as large a document."""
    [found] = _found(_programme(tmp_path, "2022", monthly=120, limits="{events: 100}", time="по запросу"), "T206")
    assert "больше предела в 100" in found.message


@pytest.mark.parametrize("limits, value", [("{period_years: 0}", "0"), ("{period_years: 101}", "101"),
                                           ("{events: 100001}", "100001"), ("{events: -5}", "-5"),
                                           ("{events: 1e9}", "1e9"), ("{period_years: десять}", "десять")])
def test_a_limit_beyond_what_any_setting_may_ask_is_refused(tmp_path, limits, value):
    [found] = _found(_programme(tmp_path, "2022", limits=limits), "P302")
    assert f"предел «{value}» — нужно целое число от 1 до" in found.message
    assert found.span.file.name == "programme.yaml"


def test_a_programme_over_its_limits_is_not_rendered(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    directory = _programme(tmp_path, "1900–2100", monthly=250)     # once: 134 MB of outputs, or out of memory
    outputs = tmp_path / "outputs"
    report = build(directory.parent, outputs)
    assert report.failed
    assert {"T205", "T206"} <= {d.code for d in report.all_diagnostics}
    assert not (outputs / BASE.name).exists()
