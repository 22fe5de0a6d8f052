"""Edges of single checks beyond their bad/good case: what they must still catch, and what they must not flag.

Each test edits the base programme (tests/checks/base/base-2022) in one place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.building.pipeline import check_tree

BASE = Path(__file__).parent / "base" / "base-2022"
PROGRAMME_BASE = BASE.parent / "programme-2021"     # a municipal programme document, no decree


def edited_copy(tmp_path: Path, *edits: tuple[str, str, str], base: Path = BASE) -> Path:
    """A copy of a base programme with each (file, old, new) edit made; `old` occurs exactly once."""
    directory = tmp_path / base.name
    shutil.copytree(base, directory)
    for file, old, new in edits:
        text = (directory / file).read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{file}: «{old}» должно встречаться ровно один раз"
        (directory / file).write_text(text.replace(old, new), encoding="utf-8")
    return directory


def check(tmp_path: Path, *edits: tuple[str, str, str], base: Path = BASE) -> list[tuple[str, str, int, str]]:
    directory = edited_copy(tmp_path, *edits, base=base)
    return [(d.code, d.span.file.name, d.span.line, d.message) for d in check_tree(directory).diagnostics]


def line_of(tmp_path: Path, file: str, fragment: str, base: Path = BASE) -> int:
    """1-based line of `fragment` in the edited copy."""
    text = (tmp_path / base.name / file).read_text(encoding="utf-8")
    return text[: text.index(fragment)].count("\n") + 1


def codes(found) -> list[str]:
    return [code for code, *_ in found]


# --- time ------------------------------------------------------------------------------------------


def test_deadline_before_the_legal_basis_and_the_decree(tmp_path):
    """One deadline (10.12.2021) breaks three rules at once: outside 2022, before the act of 20.12.2021, before the decree."""
    found = check(tmp_path, ("decree.yaml", "deadline: до 1 июля 2022 года", "deadline: до 10 декабря 2021 года"))
    assert sorted(codes(found)) == ["T201", "T202", "T203"]
    assert {line for _, _, line, _ in found} == {line_of(tmp_path, "decree.yaml", "до 10 декабря 2021 года")}
    assert any("№ 1020 от 20.12.2021" in message for code, _, _, message in found if code == "T202")


def test_report_on_the_last_quarter_is_due_after_the_period_and_is_not_outside_it(tmp_path):
    """T201 looks at the quarters reported on: the report on October–December 2022 is due on 05.01.2023."""
    quarterly = "ежеквартально до 5 числа месяца, следующего за отчётным кварталом"
    assert check(tmp_path, ("decree.yaml", "deadline: до 1 июля 2022 года", f"deadline: {quarterly}")) == []


def test_monthly_deadline_days_in_another_year_are_outside_the_period(tmp_path):
    found = check(tmp_path, ("decree.yaml", "deadline: до 1 июля 2022 года",
                             "deadline: ежемесячно до 10 числа, март – декабрь 2023"))
    assert [(code, line) for code, _, line, _ in found] == [
        ("T201", line_of(tmp_path, "decree.yaml", "ежемесячно до 10 числа"))]


def test_dependency_cycle(tmp_path):
    found = check(tmp_path, ("roadmap.yaml", "      indicators: [schools-share]\n",
                             "      indicators: [schools-share]\n      depends_on: [meeting]\n"))
    assert [(code, line) for code, _, line, _ in found] == [
        ("T204", line_of(tmp_path, "roadmap.yaml", "depends_on: [meeting]")),
        ("T204", line_of(tmp_path, "roadmap.yaml", "depends_on: [monitoring]"))]
    assert all("зависит само от себя" in message for *_, message in found)


def test_undated_dependency_is_not_ordered(tmp_path):
    found = check(tmp_path, ("roadmap.yaml", "      time: 01.03.2022 – 31.03.2022; 01.10.2022 – 14.10.2022",
                             "      time: по отдельному графику"))
    assert found == []


def test_second_window_out_of_order(tmp_path):
    """Window by window: the second meeting (12.10) precedes the end of the second monitoring (14.10)."""
    found = check(tmp_path, ("roadmap.yaml", "20.10.2022 – 25.10.2022", "12.10.2022 – 25.10.2022"))
    assert [(code, line) for code, _, line, _ in found] == [("T204", line_of(tmp_path, "roadmap.yaml", "12.10.2022"))]
    assert "12.10.2022" in found[0][3]


def test_decree_dated_on_a_sunday(tmp_path):
    found = check(tmp_path, ("decree.yaml", "  date: 14.01.2022", "  date: 16.01.2022"))
    assert [(code, line) for code, _, line, _ in found] == [("T207", line_of(tmp_path, "decree.yaml", "date: 16.01.2022"))]
    assert "дата документа 16.01.2022 — нерабочий день (воскресенье)" in found[0][3]
    assert "14.01.2022 (пятница) и 17.01.2022 (понедельник)" in found[0][3]


def test_act_dated_on_a_holiday_next_to_a_transferred_day_off(tmp_path):
    """04.11.2021 is a holiday, 05.11.2021 a day off moved from 02.01.2021 by the government: the next working day is the 8th."""
    found = check(tmp_path, ("decree.yaml", "      date: 20.12.2021", "      date: 04.11.2021"))
    assert [(code, line) for code, _, line, _ in found] == [("T207", line_of(tmp_path, "decree.yaml", "date: 04.11.2021"))]
    assert "праздник «День народного единства»" in found[0][3]
    assert "03.11.2021 (среда) и 08.11.2021 (понедельник)" in found[0][3]


def test_transferred_days_both_ways(tmp_path):
    """05.03.2022 was a working Saturday and 07.03.2022 a Monday off (the production calendar of 2022)."""
    assert check(tmp_path / "saturday", ("decree.yaml", "до 1 июля 2022 года", "до 5 марта 2022 года")) == []
    found = check(tmp_path / "monday", ("decree.yaml", "до 1 июля 2022 года", "до 7 марта 2022 года"))
    assert codes(found) == ["T207"]
    assert "приходится на 07.03.2022 — нерабочий день (выходной (перенесено с 05.03.2022))" in found[0][3]
    assert "05.03.2022 (суббота) и 09.03.2022 (среда)" in found[0][3]


def test_the_end_of_a_window_is_pointed_at(tmp_path):
    """Of «01.10.2022 – 16.10.2022» only the end is a deadline, and the caret is on it; its start (a Saturday) is not."""
    edited = ("roadmap.yaml", "01.10.2022 – 14.10.2022", "01.10.2022 – 16.10.2022")
    check(tmp_path, edited)
    found = [d for d in check_tree(tmp_path / BASE.name).diagnostics if d.code == "T207"]
    assert len(found) == 1 and "заканчивается 16.10.2022 — нерабочий день (воскресенье)" in found[0].message
    line = (tmp_path / BASE.name / "roadmap.yaml").read_text(encoding="utf-8").split("\n")[found[0].span.line - 1]
    assert line[found[0].span.column - 1:found[0].span.end_column - 1] == "16.10.2022"
    assert "по ст. 193 ГК РФ срок тогда истекает 17.10.2022" in found[0].hint


def test_months_end_where_the_month_does(tmp_path):
    """«Февраль-декабрь 2022» ends on Saturday 31.12.2022, a day nobody wrote: no warning (the base programme has it)."""
    assert "time: Февраль-декабрь 2022" in (BASE / "roadmap.yaml").read_text(encoding="utf-8")
    assert check(tmp_path, ("roadmap.yaml", "time: Февраль-декабрь 2022", "time: Декабрь 2022")) == []


def test_silence_on_the_decree_date(tmp_path):
    """A decree really signed on a Sunday: silenced on the decree itself, its deadlines still checked."""
    silenced = ("decree.yaml", "  date: 14.01.2022", '  date: 16.01.2022\n  silence: {T207: "так в документе"}')
    assert check(tmp_path / "silenced", silenced) == []
    found = check(tmp_path / "deadline", silenced, ("decree.yaml", "до 1 июля 2022 года", "до 2 июля 2022 года"))
    assert [(code, line) for code, _, line, _ in found] == [
        ("T207", line_of(tmp_path / "deadline", "decree.yaml", "до 2 июля 2022 года"))]


def test_silence_on_a_deadline_in_a_non_working_day(tmp_path):
    found = check(tmp_path, ("decree.yaml", "          deadline: до 1 июля 2022 года\n",
                             "          deadline: до 3 июля 2022 года\n"
                             "          silence: {T207: \"так в документе: срок истекает в понедельник\"}\n"))
    assert found == []


# --- sums ------------------------------------------------------------------------------------------


def test_of_which_equal_to_its_line_is_fine(tmp_path):
    assert check(tmp_path, ("budget.yaml", 'amount: "80 000,00"', 'amount: "280 000,00"')) == []


@pytest.mark.parametrize("typed", ["500 000 рублей", "500000,00 рублей", "500 000,00 рублей"])
def test_total_typed_by_hand_in_any_form(tmp_path, typed):
    found = check(tmp_path, ("decree.yaml", "{{ budget.total }} рублей.", f"{typed}."))
    assert [(code, line) for code, _, line, _ in found] == [("S104", line_of(tmp_path, "decree.yaml", typed))]
    assert "вручную" in found[0][3]


def test_line_amount_typed_by_hand(tmp_path):
    found = check(tmp_path, ("decree.yaml", "Утвердить техническое задание",
                             "Оплатить курсы (280 000,00 рублей), утвердить техническое задание"))
    assert [(code, line) for code, _, line, _ in found] == [("S104", line_of(tmp_path, "decree.yaml", "280 000,00"))]


def test_a_count_is_not_an_amount(tmp_path):
    found = check(tmp_path, ("decree.yaml", "{{ budget.total }} рублей.",
                             "{{ budget.total }} рублей, сборник издать тиражом 1 000 экземпляров."))
    assert found == []


# --- ownership -------------------------------------------------------------------------------------


def test_person_used_only_in_a_placeholder_is_used(tmp_path):
    person = "  sidorov:\n    surname: Сидоров\n    initials: Д.Е.\n    gender: male\n    position: консультант\n"
    found = check(tmp_path, ("organisations.yaml", "people:\n", "people:\n" + person),
                  ("decree.yaml", "– итоговый отчёт.", "– итоговый отчёт ({{ people.sidorov }})."))
    assert found == []


def test_unknown_person_in_a_placeholder(tmp_path):
    found = check(tmp_path, ("decree.yaml", "– итоговый отчёт.", "– итоговый отчёт ({{ people.sidorov }})."))
    line = line_of(tmp_path, "decree.yaml", "{{ people.sidorov }}")
    assert ("O301", "decree.yaml", line) in [(c, f, line_no) for c, f, line_no, _ in found]


def test_organisation_used_as_act_issuer_is_used(tmp_path):
    ministry = "  ministry:\n    short: Минпросвещения\n    full: министерство просвещения Условной области\n\n"
    found = check(tmp_path, ("organisations.yaml", "terms:", ministry + "terms:"),
                  ("decree.yaml", "      issuer: uo", "      issuer: ministry"))
    assert found == []


def test_glossary_term_not_in_the_table(tmp_path):
    found = check(tmp_path, ("roadmap.yaml", "title: Мониторинг результатов ОО", "title: Мониторинг результатов"),
                  ("roadmap.yaml", "title: Групповые консультации для руководителей ОО",
                   "title: Групповые консультации для руководителей"),
                  ("roadmap.yaml", "result: [Консультации по запросу ОО]", "result: [Консультации по запросу]"))
    assert [(code, file, line) for code, file, line, _ in found] == [
        ("O303", "organisations.yaml", line_of(tmp_path, "organisations.yaml", "short: ОО"))]


# --- structure -------------------------------------------------------------------------------------


def test_appendix_approved_twice(tmp_path):
    found = check(tmp_path, ("decree.yaml", "      approves: budget\n",
                             "      approves: budget\n      clauses:\n"
                             "        - text: Утвердить смету (приложение {{ appendix.budget }}).\n"
                             "          approves: budget\n"))
    assert [(code, line) for code, _, line, _ in found] == [
        ("R502", line_of(tmp_path, "decree.yaml", "          approves: budget"))]
    assert "уже утверждается пунктом 2" in found[0][3]


DECREE_APPROVING_THE_PROGRAMME = """\
people:
  head:
    surname: Петрова
    initials: Е.В.
    gender: female
    position: председатель комитета образования
    organisation: komitet
decree:
  kind: приказ
  authority: komitet
  title: Об утверждении муниципальной программы
  preamble: В целях повышения качества образования
  clauses:
    - text: Утвердить муниципальную программу (приложение).
      approves: programme_document
    - text: Утвердить план (приложение 2).
      approves: roadmap
  signatory: head
"""


def test_an_appendix_of_the_programme_document_is_not_approved_by_the_decree_too(tmp_path):
    directory = tmp_path / PROGRAMME_BASE.name
    found = check(tmp_path, ("organisations.yaml", "  ou:\n", "  ou:\n"), base=PROGRAMME_BASE)
    assert found == []
    (directory / "decree.yaml").write_text(DECREE_APPROVING_THE_PROGRAMME, encoding="utf-8")
    found = [(d.code, d.span.file.name, d.span.line, d.message) for d in check_tree(directory).diagnostics]
    assert [(code, file, line) for code, file, line, _ in found] == [
        ("R502", "document.yaml", line_of(tmp_path, "document.yaml", "appendices: [roadmap]", PROGRAMME_BASE))]
    assert "приложение программного документа и одновременно утверждается пунктом 2" in found[0][3]


def test_an_appendix_of_the_programme_document_must_exist(tmp_path):
    found = check(tmp_path, ("document.yaml", "appendices: [roadmap]", "appendices: [roadmap, budget]"),
                  base=PROGRAMME_BASE)
    assert [(code, line) for code, _, line, _ in found] == [
        ("R502", line_of(tmp_path, "document.yaml", "appendices: [roadmap, budget]", PROGRAMME_BASE))]
    assert "не задано в спецификации" in found[0][3]


def test_a_plan_belongs_to_some_document(tmp_path):
    found = check(tmp_path, ("document.yaml", "appendices: [roadmap]", "appendices: []"), base=PROGRAMME_BASE)
    # the text's {{ appendix.roadmap }} has no number to give any more (R506)
    assert sorted((code, file) for code, file, _, _ in found) == [("R502", "roadmap.yaml"), ("R506", "document.yaml")]
    assert "не утверждается приказом и не является приложением программного документа" in found[0][3]


def test_reference_to_an_unknown_programme(tmp_path):
    found = check(tmp_path, ("decree.yaml", '      number: "1020"\n', '      number: "1020"\n      programme: other-2021\n'))
    assert [(code, line) for code, _, line, _ in found] == [("R503", line_of(tmp_path, "decree.yaml", "other-2021"))]


def test_clause_starting_with_a_date_is_not_a_typed_number(tmp_path):
    found = check(tmp_path, ("decree.yaml", "      text: Контроль за исполнением приказа возложить на {{ control.acc }}.",
                             "      text: 15 марта 2022 года провести совещание; контроль возложить на {{ control.acc }}."))
    assert found == []


# --- indicators ------------------------------------------------------------------------------------


def test_indicator_linked_only_from_the_roadmap(tmp_path):
    assert check(tmp_path, ("indicators.yaml", "      activities: [monitoring]\n", "")) == []


@pytest.mark.parametrize("direction, target, expected", [
    ("increase", "30", "цель 30 должна быть не ниже базового значения 40"),
    ("decrease", "60", "цель 60 должна быть не выше базового значения 40"),
    ("keep", "60", "цель 60 должна быть равна базовому значению 40"),
])
def test_target_direction_message(tmp_path, direction, target, expected):
    found = check(tmp_path, ("indicators.yaml", '      target: "60"', f'      target: "{target}"'),
                  ("indicators.yaml", "direction: increase", f"direction: {direction}"))
    line = line_of(tmp_path, "indicators.yaml", f'target: "{target}"')
    assert [(code, line_no, message) for code, _, line_no, message in found] == [("I402", line, expected)]


def test_negative_quantity_is_a_syntax_error(tmp_path):
    found = check(tmp_path, ("indicators.yaml", 'baseline: "40"', 'baseline: "-5"'))
    assert [(c, line_no) for c, _, line_no, _ in found] == [("P301", line_of(tmp_path, "indicators.yaml", 'baseline: "-5"'))]


def test_percent_baseline_above_100(tmp_path):
    found = check(tmp_path, ("indicators.yaml", 'baseline: "40"', 'baseline: "140"'),
                  ("indicators.yaml", "direction: increase", "direction: decrease"))
    assert [(c, line_no) for c, _, line_no, _ in found] == [("I403", line_of(tmp_path, "indicators.yaml", 'baseline: "140"'))]


@pytest.mark.parametrize("text, found", [
    ("в размере 2 000 000,00 рублей", ["2 000 000,00"]),
    ("1234567 руб.", ["1234567"]),
    ("1\u00a0500 рублей и 300 000,00", ["1\u00a0500", "300 000,00"]),
    ("1 000 экземпляров", []),
    ("12.2 000,00 и 3,1 000 руб", []),   # a figure glued to a point or a comma is not an amount
    ("от 01.06.2022 на 15 000,005", []),
    ("51 2 000,00", ["2 000,00"]),
])
def test_amounts_in_text_are_found_where_a_figure_starts(text, found):
    from engine.checks.sums import _AMOUNT_IN_TEXT

    assert [m.group() for m in _AMOUNT_IN_TEXT.finditer(text)] == found


def test_t204_a_dependent_may_start_the_day_its_dependency_ends(tmp_path):
    """The monitoring's report is handed in on 31.03; the meeting that uses it may sit that very day."""
    same_day = ("roadmap.yaml", "time: 01.04.2022 – 05.04.2022; 20.10.2022 – 25.10.2022",
                "time: 31.03.2022 – 05.04.2022; 15.10.2022 – 25.10.2022")
    assert check(tmp_path / "same", same_day) == []
    day_before = ("roadmap.yaml", "time: 01.04.2022 – 05.04.2022; 20.10.2022 – 25.10.2022",
                  "time: 30.03.2022 – 05.04.2022; 20.10.2022 – 25.10.2022")
    assert [code for code, *_ in check(tmp_path / "before", day_before)] == ["T204"]


# --- programme documents: tables, passport, indicators -------------------------------------------------


def pcheck(tmp_path: Path, *edits: tuple[str, str, str]) -> list[tuple[str, str, int, str]]:
    return check(tmp_path, *edits, base=PROGRAMME_BASE)


def pline(tmp_path: Path, file: str, fragment: str) -> int:
    return line_of(tmp_path, file, fragment, PROGRAMME_BASE)


def test_a_percentage_no_count_of_its_headcount_gives(tmp_path):
    """The published mistake of lipetsk-district: 63,4 % of 70 pupils."""
    found = pcheck(tmp_path, ("tables.yaml", '- [school-north, "35", "54,9", "6", "42,9"]',
                              '- [school-north, "70", "54,9", "6", "63,4"]'),
                   ("tables.yaml", 'values: {count: "47", mean: "55,2"}', 'values: {}'))
    assert [(code, line) for code, _, line, _ in found] == [("S107", pline(tmp_path, "tables.yaml", '"63,4"'))]
    assert found[0][3] == "63,4 % из 70 не получается ни при каком числе: 44 из 70 — 62,9 %, 45 из 70 — 64,3 %"


def test_a_truncated_percentage_is_caught_too(tmp_path):
    """41,6 % of 12: 5 of 12 is 41,67 %, which is 41,7 at one decimal — cut, not rounded."""
    found = pcheck(tmp_path, ("tables.yaml", '- [school-south, "4", "68,8", "2", "50"]',
                              '- [school-south, "12", "68,8", "2", "41,6"]'),
                   ("tables.yaml", 'values: {count: "47", mean: "55,2"}', 'values: {}'))
    assert [code for code, *_ in found] == ["S107"]
    assert "5 из 12 — 41,7 %" in found[0][3]


def test_a_declared_plain_mean_of_a_weighted_column_is_named_so(tmp_path):
    found = pcheck(tmp_path, ("tables.yaml", 'values: {count: "47", mean: "55,2"}', 'values: {count: "47", mean: "57,8"}'))
    [(code, _, line, message)] = found
    assert (code, line) == ("S106", pline(tmp_path, "tables.yaml", '"57,8"'))
    assert message == ("итог «57,8» в столбце «средний балл» не равен среднему, взвешенному по «кол-во сдающих»: "
                       "55,2 (точнее 55,18)")
    diagnostics = check_tree(tmp_path / PROGRAMME_BASE.name).diagnostics
    assert "«57,8» — простое среднее строк" in diagnostics[0].hint


def test_a_count_total(tmp_path):
    found = pcheck(tmp_path,
                   ("tables.yaml", "        type: organisation\n", "        type: organisation\n        total: count\n"),
                   ("tables.yaml", 'values: {count: "47", mean: "55,2"}', 'values: {school: "4", count: "47", mean: "55,2"}'))
    assert [(code, line) for code, _, line, _ in found] == [("S105", pline(tmp_path, "tables.yaml", 'school: "4"'))]
    assert "не равен числу заполненных строк: 3" in found[0][3]


def test_an_unknown_school_in_a_table(tmp_path):
    found = pcheck(tmp_path, ("tables.yaml", "- [school-lake,", "- [school-lakes,"))
    codes_lines = [(code, line) for code, _, line, _ in found]
    assert ("O301", pline(tmp_path, "tables.yaml", "school-lakes")) in codes_lines


def test_latin_letters_in_the_glossary(tmp_path):
    found = pcheck(tmp_path, ("organisations.yaml", "    short: МБОУ СОШ с. Южное", "    short: MБОУ СОШ с. Южное"))
    assert [(code, line) for code, _, line, _ in found] == [("R515", pline(tmp_path, "organisations.yaml", "MБОУ"))]
    assert found[0][3] == "в слове «MБОУ» латинские буквы «M»"


def test_an_unknown_group_in_a_block_and_an_unknown_task_of_a_group(tmp_path):
    found = pcheck(tmp_path, ("document.yaml", "        - indicators: [identification]", "        - indicators: [identifcation]"),
                   ("indicators.yaml", "      task: identification\n", "      task: identifcation\n"))
    assert sorted((code, file) for code, file, _, _ in found) == [("I405", "document.yaml"), ("I406", "indicators.yaml")]


def test_a_percent_target_of_a_year_above_100(tmp_path):
    found = pcheck(tmp_path, ("indicators.yaml", 'targets: {2021: "90"}', 'targets: {2021: "190"}'))
    assert [(code, line) for code, _, line, _ in found] == [("I403", pline(tmp_path, "indicators.yaml", '"190"'))]
