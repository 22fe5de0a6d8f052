"""Edges of the execution checks (V701–V706) beyond their bad/good cases: each test adds a progress.yaml to the base
programme (tests/checks/base/base-2022) and looks at the codes, lines and words of what is found."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.building.pipeline import check_tree

BASE = Path(__file__).parent / "base" / "base-2022"
HEAD = "progress:\n  as_of: 01.07.2022\n"


def found(tmp_path: Path, body: str, indicators_edit: tuple[str, str] | None = None) -> list[tuple[str, int, str]]:
    folder = tmp_path / BASE.name
    shutil.copytree(BASE, folder)
    if indicators_edit is not None:
        indicators = folder / "indicators.yaml"
        indicators.write_text(indicators.read_text(encoding="utf-8").replace(*indicators_edit, 1), encoding="utf-8")
    (folder / "progress.yaml").write_text(HEAD + body, encoding="utf-8")
    return [(d.code, d.span.line, d.message) for d in check_tree(folder).diagnostics if d.span is not None]


def line(body: str, fragment: str) -> int:
    text = HEAD + body
    return text[: text.index(fragment)].count("\n") + 1


DONE = "      evidence: [{kind: справка, date: 30.03.2022}]\n"


def test_an_id_of_two_documents_must_name_its_document(tmp_path):
    body = "  records:\n    - item: consultations\n      status: выполняется\n      date: 01.06.2022\n"
    [(code, at, message)] = found(tmp_path, body)
    assert (code, at) == ("V701", line(body, "item: consultations"))
    assert "roadmap.consultations" in message and "specification.consultations" in message
    assert found(tmp_path / "named", body.replace("item: consultations", "item: roadmap.consultations")) == []


def test_a_clause_without_a_deadline_has_no_execution(tmp_path):
    body = "  records:\n    - item: approve-roadmap\n      status: выполнено\n      date: 14.01.2022\n" + DONE
    [(code, _, message)] = found(tmp_path, body)
    assert code == "V701" and "нет срока" in message and "пункт 1 приказа" in message


def test_a_typo_is_shown_the_id_meant(tmp_path):
    [(code, _, message)] = found(tmp_path, "  records:\n    - item: meting\n      status: выполняется\n      date: 01.06.2022\n")
    assert code == "V701" and "«meting» не найден" in message


def test_an_actual_of_an_unknown_indicator(tmp_path):
    body = '  actuals:\n    - {indicator: consultation, date: 01.07.2022, value: "5"}\n'
    [(code, at, message)] = found(tmp_path, body)
    assert (code, at) == ("V701", line(body, "indicator: consultation"))
    assert "показатель «consultation» не найден" in message


def test_a_window_of_an_undated_item(tmp_path):
    folder = tmp_path / BASE.name
    shutil.copytree(BASE, folder)
    roadmap = folder / "roadmap.yaml"
    roadmap.write_text(roadmap.read_text(encoding="utf-8").replace(
        "time: Февраль-декабрь 2022", "time: по запросу ОО"), encoding="utf-8")
    body = ("  records:\n    - item: roadmap.consultations\n      window: март 2022\n      status: выполняется\n"
            "      date: 01.06.2022\n")
    (folder / "progress.yaml").write_text(HEAD + body, encoding="utf-8")
    [diagnostic] = check_tree(folder).diagnostics
    assert diagnostic.code == "V702" and "нет даты" in diagnostic.message


def test_done_before_the_decree_without_a_reason(tmp_path):
    body = ("  records:\n    - item: monitoring\n      window: март 2022\n      status: выполнено\n"
            "      date: 10.01.2022\n" + DONE)
    [(code, at, message)] = found(tmp_path, body)
    assert (code, at) == ("V704", line(body, "date: 10.01.2022"))
    assert "раньше даты приказа 14.01.2022" in message
    with_reason = body.replace("      date: 10.01.2022\n", "      date: 10.01.2022\n      reason: работа начата до приказа\n")
    assert found(tmp_path / "reason", with_reason) == []


def test_a_move_decided_after_the_work_does_not_excuse_it(tmp_path):
    body = """  records:
    - item: report-interim
      status: выполнено
      date: 10.07.2022
      evidence: [{kind: отчёт, date: 10.07.2022}]
    - item: report-interim
      status: перенесено
      date: 11.07.2022
      new_deadline: до 15 июля 2022 года
      decision: {kind: приказ, number: "90", date: 11.07.2022}
"""
    [(code, at, message)] = found(tmp_path, body)
    assert (code, at) == ("V704", line(body, "date: 10.07.2022")) and "позже срока 01.07.2022" in message
    decided_first = body.replace("date: 11.07.2022\n      new", "date: 20.06.2022\n      new").replace(
        'date: 11.07.2022}', 'date: 20.06.2022}')
    assert found(tmp_path / "first", decided_first) == []


@pytest.mark.parametrize("record, words", [
    ("      status: отменено\n", "отмена «report-final» без решения"),
    ("      status: перенесено\n      decision: {kind: приказ, number: \"9\", date: 01.06.2022}\n",
     "перенос «report-final» без нового срока"),
    ("      status: выполняется\n      new_deadline: до 25 декабря 2022 года\n", "перенос «report-final» без решения"),
    ("      status: перенесено\n      new_deadline: ежемесячно\n      decision: {kind: приказ, number: \"9\", "
     "date: 01.06.2022}\n", "несколько сроков"),
    ("      status: отменено\n      decision: {number: \"9\"}\n", "решение не найти"),
])
def test_changes_need_a_decision_and_one_new_deadline(tmp_path, record, words):
    body = "  records:\n    - item: report-final\n      date: 01.06.2022\n" + record
    messages = [(code, message) for code, _, message in found(tmp_path, body)]
    assert [code for code, _ in messages] == ["V705"] and words in messages[0][1], messages


def test_evidence_that_names_no_document(tmp_path):
    body = ("  records:\n    - item: monitoring\n      window: март 2022\n      status: выполнено\n"
            "      date: 30.03.2022\n      evidence: [{title: справка}]\n")
    [(code, at, message)] = found(tmp_path, body)
    assert (code, at) == ("V703", line(body, "{title: справка}")) and "документ не найти" in message
    assert found(tmp_path / "link", body.replace("{title: справка}", "\"https://example.org/spravka.pdf\"")) == []


def test_two_values_of_an_indicator_on_one_day(tmp_path):
    body = ('  actuals:\n    - {indicator: consultations, date: 01.07.2022, value: "5"}\n'
            '    - {indicator: consultations, date: 01.07.2022, value: "6"}\n')
    [(code, at, message)] = found(tmp_path, body)
    assert (code, at) == ("V706", 5) and "второе значение показателя «consultations» на 01.07.2022" in message


def test_a_percentage_actual_over_100_is_the_percent_range_of_every_indicator_value(tmp_path):
    """One rule for every value of a share, wherever it is written (I403: targets, actual by year, progress.yaml)."""
    body = '  actuals:\n    - {indicator: schools-share, date: 01.07.2022, value: "120"}\n'
    [(code, at, message)] = found(tmp_path, body)
    assert (code, at) == ("I403", 4) and "фактическое значение 120 % показателя 2 вне пределов 0–100" in message


def test_a_years_actual_is_not_written_again_for_its_last_day(tmp_path):
    """indicators.yaml's `actual: {2021: …}` is the value on 31.12.2021: the same in progress.yaml is written twice."""
    body = '  actuals:\n    - {indicator: schools-share, date: 31.12.2021, value: "45"}\n'
    yearly = ('      target: "60"\n', '      target: "60"\n      actual: {2021: "45"}\n')
    [(code, at, message)] = found(tmp_path, body, yearly)
    assert (code, at) == ("V706", 4)
    assert "значение показателя «schools-share» на 31.12.2021 уже записано как факт за 2021 год" in message
    assert found(tmp_path / "another-day", body.replace("31.12.2021", "30.12.2021"), yearly) == []


def test_a_percentage_actual_of_100_is_possible(tmp_path):
    assert found(tmp_path, '  actuals:\n    - {indicator: schools-share, date: 01.07.2022, value: "100"}\n') == []


def test_the_signatory_and_issuers_are_references(tmp_path):
    body = ("  signatory: ivanov\n  records:\n    - item: monitoring\n      window: март 2022\n      status: выполнено\n"
            "      date: 30.03.2022\n      evidence: [{kind: справка, issuer: cmoko, date: 30.03.2022}]\n")
    [(code, at, message)] = found(tmp_path, body)
    assert (code, at) == ("O301", line(body, "ivanov")) and "«ivanov»" in message
