"""Execution as of a day (engine/model/execution.py): occurrences and their keys, which records apply, states,
tallies, the share done on time, indicators' achievement and the «отметка о выполнении» of an item."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from engine.building.pipeline import check_tree
from engine.model.execution import (
    State,
    achievement,
    item_mark,
    occurrences,
    programme_status,
    scheduled_windows,
    window_text,
)
from engine.model.spec import Programme
from engine.model.timeexpr import Window, parse_period, parse_time

REPO = Path(__file__).resolve().parents[2]
BASE = REPO / "tests" / "checks" / "base" / "base-2022"
D = dt.date


def programme_of(folder: Path) -> Programme:
    result = check_tree(folder)
    assert result.diagnostics == [], result.diagnostics
    model = result.programmes[0].model
    assert model is not None
    return model.programme


@pytest.fixture(scope="module")
def lysva() -> Programme:
    return programme_of(REPO / "specs" / "lysva-2021")


@pytest.fixture(scope="module")
def lipetsk() -> Programme:
    return programme_of(REPO / "specs" / "lipetsk-2022")


def with_progress(tmp_path: Path, text: str) -> Programme:
    folder = tmp_path / BASE.name
    shutil.copytree(BASE, folder)
    (folder / "progress.yaml").write_text("progress:\n  as_of: 01.07.2022\n" + text, encoding="utf-8")
    return programme_of(folder)


# --- occurrences and keys --------------------------------------------------------------------------


def test_keys_are_those_of_the_calendar_events():
    """Named windows by place, repeating ones by month or year; what ended before the approval day is not planned."""
    period = parse_period("2021–2024")
    keyed = scheduled_windows(parse_time("Ноябрь, январь, март, июнь"), period, D(2021, 10, 28))
    assert [key for key, _ in keyed][:5] == ["2021-11", "2022-01", "2022-03", "2022-06", "2022-11"]
    assert "2021-01" not in dict(keyed) and "2021-06" not in dict(keyed)
    yearly = scheduled_windows(parse_time("В течение года"), period, D(2021, 10, 28))
    assert yearly[0] == ("2021", Window(D(2021, 10, 28), D(2021, 12, 31)))       # starts on the approval day
    named = scheduled_windows(parse_time("01.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022"), parse_period("2022"),
                              D(2022, 12, 1))
    assert [key for key, _ in named] == ["1", "2"]       # a window the deadline names is never dropped


def test_a_record_names_the_occurrence_whose_planned_deadline_falls_in_its_window(lysva):
    found = {(o.item.ref, o.key): o for o in occurrences(lysva)}
    november = found[("roadmap.statistical-reports", "2022-11")]
    assert [r.status for r in november.records] == ["не выполнено"]
    assert found[("roadmap.statistical-reports", "2023-01")].records == ()
    moved = found[("roadmap.targeted-recommendations", "2022")]
    assert moved.planned == Window(D(2022, 8, 1), D(2022, 9, 30))
    # «до 31 октября 2022 года» is in force: the work runs from its planned start to the new day
    assert moved.window == Window(D(2022, 8, 1), D(2022, 10, 31)) and moved.deadline == D(2022, 10, 31)
    assert [r.status for r in moved.records] == ["перенесено", "выполнено"]


def test_records_after_the_day_are_not_seen(lysva):
    before = {(o.item.ref, o.key): o for o in occurrences(lysva, D(2022, 10, 1))}
    moved = before[("roadmap.targeted-recommendations", "2022")]
    assert [r.status for r in moved.records] == ["перенесено"] and moved.done_on is None


# --- states -------------------------------------------------------------------------------------------


def states(programme: Programme, as_of: dt.date, within: int = 14) -> dict[tuple[str, str], State]:
    return {(e.item.ref, e.occurrence.key): e.state for e in programme_status(programme, as_of, within).occurrences}


def test_states_of_the_lipetsk_sample(lipetsk):
    found = states(lipetsk, D(2022, 7, 1))
    # «Февраль-март» has no year of its own: keyed by the year, as a calendar event of a repeating deadline
    assert found[("roadmap.normative-base", "2022")] is State.DONE
    assert found[("roadmap.municipal-programmes-review", "2022")] is State.DONE_LATE
    assert found[("roadmap.school-programmes-review", "2022")] is State.PLANNED       # moved to 29.07.2022
    assert found[("roadmap.working-group", "1")] is State.OVERDUE                 # «не выполнено», 30.06.2022
    assert found[("roadmap.working-group", "2")] is State.PLANNED
    assert found[("roadmap.monitoring-results", "1")] is State.CANCELLED
    assert found[("roadmap.diagnostics-on-request", "")] is State.UNDATED
    assert found[("roadmap.information-support", "1")] is State.PLANNED


def test_the_deadline_day_itself_is_due_but_not_late(tmp_path):
    programme = with_progress(tmp_path, "")
    on_the_day = programme_status(programme, D(2022, 7, 1))
    [interim] = [e for e in on_the_day.occurrences if e.item.ref == "decree.report-interim"]
    assert (interim.state, interim.due) == (State.DUE_SOON, True)
    [interim] = [e for e in programme_status(programme, D(2022, 7, 2)).occurrences
                 if e.item.ref == "decree.report-interim"]
    assert (interim.state, interim.due) == (State.OVERDUE, True)
    far = programme_status(programme, D(2022, 6, 1), within=29)
    assert [e.state for e in far.occurrences if e.item.ref == "decree.report-interim"] == [State.PLANNED]
    near = programme_status(programme, D(2022, 6, 1), within=30)
    assert [e.state for e in near.occurrences if e.item.ref == "decree.report-interim"] == [State.DUE_SOON]


def test_a_record_without_a_window_speaks_of_every_occurrence(tmp_path):
    programme = with_progress(tmp_path, """  records:
    - item: monitoring
      status: отменено
      date: 01.02.2022
      decision: {kind: приказ, number: "5", date: 01.02.2022}
""")
    found = states(programme, D(2022, 12, 31))
    assert found[("roadmap.monitoring", "1")] is found[("roadmap.monitoring", "2")] is State.CANCELLED


def test_done_late_against_the_deadline_in_force(tmp_path):
    """Done after a move by a decision, by the new deadline: on time; done after the planned one without a move: late."""
    programme = with_progress(tmp_path, """  records:
    - item: report-interim
      status: перенесено
      date: 20.06.2022
      new_deadline: до 15 июля 2022 года
      decision: {kind: приказ, number: "88", date: 20.06.2022}
    - item: report-interim
      status: выполнено
      date: 14.07.2022
      evidence: [{kind: отчёт, date: 14.07.2022}]
    - item: report-final
      status: выполнено
      date: 21.12.2022
      reason: отчёт согласован с управлением 21.12.2022
      evidence: [{kind: отчёт, date: 21.12.2022}]
""")
    found = states(programme, D(2022, 12, 31))
    assert found[("decree.report-interim", "1")] is State.DONE
    assert found[("decree.report-final", "1")] is State.DONE_LATE


# --- tallies -------------------------------------------------------------------------------------------


def test_tally_and_share_on_time(lipetsk):
    status = programme_status(lipetsk, D(2022, 7, 1))
    tally = status.tally
    assert (tally.due, tally.due_done_on_time, tally.share_on_time) == (6, 4, Decimal("66.7"))
    assert {state: count for state, count in tally.states.items() if count} == {
        State.DONE: 4, State.DONE_LATE: 1, State.OVERDUE: 1, State.PLANNED: 7, State.UNDATED: 1, State.CANCELLED: 1}
    uoin = status.by_organisation["uoin"]
    assert (uoin.due, uoin.due_done_on_time, uoin.overdue) == (2, 1, 1)
    assert status.by_organisation["oo"].share_on_time is None       # nothing of theirs is due yet


def test_nothing_due_has_no_share(tmp_path):
    status = programme_status(with_progress(tmp_path, ""), D(2022, 1, 20))
    assert status.tally.due == 0 and status.tally.share_on_time is None


# --- indicators -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("direction, target, actual, expected", [
    ("increase", "12", "5", Decimal("41.7")),
    ("increase", "12", "12", Decimal("100.0")),
    ("increase", "12", "15", Decimal("125.0")),
    ("decrease", "10", "20", Decimal("50.0")),     # a value to decrease: target ÷ actual
    ("decrease", "10", "5", Decimal("200.0")),
    ("decrease", "10", "0", None),
    ("increase", "0", "3", None),
])
def test_achievement(direction, target, actual, expected):
    from engine.model.spec import Indicator

    indicator = Indicator.model_validate({"id": "x", "name": "x", "unit": "Ед.", "target": target, "direction": direction})
    assert achievement(indicator, Decimal(target), Decimal(actual)) == expected


def test_the_latest_actual_by_the_day(tmp_path):
    programme = with_progress(tmp_path, """  actuals:
    - {indicator: consultations, date: 01.04.2022, value: "3"}
    - {indicator: consultations, date: 01.07.2022, value: "6"}
""")
    [first, second] = programme_status(programme, D(2022, 6, 30)).indicators
    assert (first.actual.value.value, first.achievement, first.achieved) == (Decimal(3), Decimal("25.0"), False)
    assert second.actual is None and second.achieved is None
    [first, _] = programme_status(programme, D(2022, 7, 1)).indicators
    assert first.actual.value.value == Decimal(6)


def test_a_years_actual_of_the_indicators_is_the_value_on_its_last_day(tmp_path):
    """indicators.yaml's `actual: {2022: …}` and progress.yaml's `actuals` are one notion — an actual value on a day:
    the year's value stands on 31 December, is measured against that year's target, and a later dated value
    supersedes it."""
    folder = tmp_path / BASE.name
    shutil.copytree(BASE, folder)
    indicators = folder / "indicators.yaml"
    indicators.write_text(indicators.read_text(encoding="utf-8").replace(
        '      target: "60"\n', '      target: "60"\n      targets: {2021: "50", 2022: "60"}\n      actual: {2021: "45"}\n'),
        encoding="utf-8")
    (folder / "progress.yaml").write_text(
        'progress:\n  as_of: 01.07.2022\n  actuals:\n    - {indicator: schools-share, date: 01.07.2022, value: "54"}\n',
        encoding="utf-8")
    programme = programme_of(folder)
    [_, share] = programme_status(programme, D(2021, 12, 30)).indicators
    assert share.actual is None and share.target.value == Decimal(50)        # nothing known yet: the target of 2021
    [_, share] = programme_status(programme, D(2022, 1, 10)).indicators
    assert (share.actual.date, share.actual.value.value, share.actual.recorded) == (D(2021, 12, 31), Decimal(45), None)
    assert (share.target.value, share.achievement, share.achieved) == (Decimal(50), Decimal("90.0"), False)
    [_, share] = programme_status(programme, D(2022, 7, 1)).indicators
    assert (share.actual.value.value, share.target.value, share.achievement) == (Decimal(54), Decimal(60), Decimal("90.0"))
    assert share.actual.recorded is programme.progress.actuals[0]


def test_a_programme_document_reports_its_plan_and_its_indicators_in_groups(tmp_path):
    """No decree: the plan of a municipal programme is reported all the same, and so is every indicator of its groups,
    against its target for the year."""
    folder = tmp_path / "programme-2021"
    shutil.copytree(BASE.parent / "programme-2021", folder)
    (folder / "progress.yaml").write_text("""progress:
  as_of: 01.07.2021
  records:
    - item: regulations
      status: выполнено
      date: 20.04.2021
      evidence: [{kind: постановление, number: "12", date: 20.04.2021}]
  actuals:
    - {indicator: programmes-share, date: 01.07.2021, value: "50"}
""", encoding="utf-8")
    status = programme_status(programme_of(folder), D(2021, 7, 1))
    assert [(entry.item.ref, entry.state) for entry in status.occurrences] == [
        ("roadmap.regulations", State.DONE), ("roadmap.seminars", State.UNDATED)]
    assert [(entry.indicator.id, entry.target.value, entry.achievement) for entry in status.indicators] == [
        ("programmes-share", Decimal(59), Decimal("84.7")), ("equal-access", Decimal(90), None)]


# --- words -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("start, end, text", [
    (D(2022, 3, 1), D(2022, 3, 31), "март 2022"),
    (D(2022, 2, 1), D(2022, 3, 31), "февраль – март 2022"),
    (D(2022, 1, 1), D(2022, 12, 31), "2022 год"),
    (D(2021, 11, 1), D(2022, 1, 31), "ноябрь 2021 – январь 2022"),
    (D(2022, 6, 1), D(2022, 6, 27), "01.06.2022 – 27.06.2022"),
    (D(2022, 7, 15), D(2022, 7, 15), "15.07.2022"),
])
def test_window_text(start, end, text):
    assert window_text(Window(start, end)) == text


def test_marks_of_the_lipetsk_sample(lipetsk):
    status = programme_status(lipetsk, D(2022, 7, 1))
    marks = {item.ref: item_mark(entries) for item, entries in status.items()}
    assert marks == {
        "roadmap.normative-base": "Выполнено",
        "roadmap.regional-support-model": "Выполнено",
        "roadmap.municipal-programmes-review": "Выполнено с нарушением срока",
        "roadmap.school-programmes-review": "Перенесено",
        "roadmap.information-support": "Выполняется",
        "roadmap.targeted-support": "Срок не наступил",
        "roadmap.methodical-network": "Срок не наступил",
        "roadmap.monitoring-programmes": "Выполняется",          # June done, November ahead
        "roadmap.working-group": "Не выполнено",
        "roadmap.targeted-recommendations": "Выполняется",
        "roadmap.identify-schools": "Выполнено",
        "roadmap.monitoring-results": "Отменено",
        "roadmap.diagnostics-on-request": "Выполняется",
    }
