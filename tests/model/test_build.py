"""Positioned data → validated model: every schema error is a Diagnostic at the right place; numbering and paths."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from engine.diagnostics import Severity
from engine.loading import load_programme
from engine.model.spec import SpecModel
from engine.model.timeexpr import parse_time
from engine.model.validate import ProgrammeModel, build_model

# A small valid programme: every section the model knows, one file.
MINIMAL = """\
programme:
  id: mini-2022
  title: Мини
  region: Липецкая область
  period: "2022"
  timezone: Europe/Moscow
organisations:
  uo:
    short: УО
    full: управление образования
people:
  ivanov:
    surname: Иванов
    initials: И.И.
    gender: male
    position: начальник управления
    organisation: uo
decree:
  kind: приказ
  authority: uo
  number: "1"
  date: 01.02.2022
  title: О мини
  preamble: В целях проверки
  clauses:
    - text: Утвердить план.
      approves: roadmap
    - text: Второй.
    - text: Третий.
    - text: Четвёртый.
    - text: Пятый.
      clauses:
        - text: Подпункт.
        - text: Ещё подпункт.
  signatory: ivanov
roadmap:
  title: План-график
  columns:
    - field: activity
      heading: Мероприятие
  sections:
    - id: first
      title: Раздел
      activities:
        - id: a1
          title: Мероприятие
          time: Март
          owners: [uo]
        - id: a2
          title: Второе мероприятие
          time: "01.06.2022 – 27.06.2022"
          owners: [uo]
    - id: second
      title: Второй раздел
      activities:
        - id: b1
          title: Мероприятие
          time: Май
          owners: [uo]
budget:
  lines:
    - id: l1
      title: Строка
      amount: "100 000,00"
  total: "100 000,00"
indicators:
  items:
    - id: i1
      name: Показатель
      unit: чел.
      target: "не менее 5 человек"
      measures: s1
    - id: i2
      name: Второй показатель
      unit: Ед.
      target: "1"
specification:
  event_name: Событие
  items:
    - id: s1
      text: Пункт
      quantities: ["не менее 5 человек"]
    - id: s2
      text: Пункт 2
  service_period: Март
  funding_source: бюджет
"""


def build(tmp_path: Path, text: str) -> tuple[ProgrammeModel | None, list, Path]:
    directory = tmp_path / "specs" / "mini-2022"
    directory.mkdir(parents=True, exist_ok=True)
    file = directory / "spec.yaml"
    file.write_text(text, encoding="utf-8")
    loaded = load_programme(directory)
    assert loaded.diagnostics == [], loaded.diagnostics
    model, diagnostics = build_model(loaded)
    return model, diagnostics, file


def edit(old: str, new: str, text: str = MINIMAL) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def column_of(text: str, needle: str) -> int:
    """1-based column of the first occurrence of `needle` on its line."""
    offset = text.index(needle)
    return offset - (text.rfind("\n", 0, offset) + 1) + 1


def only(diagnostics: list, code: str):
    found = [d for d in diagnostics if d.code == code]
    assert len(found) == 1, diagnostics
    return found[0]


# --- a valid programme: numbering and paths -----------------------------------------------------


@pytest.fixture
def minimal(tmp_path) -> ProgrammeModel:
    model, diagnostics, _ = build(tmp_path, MINIMAL)
    assert diagnostics == []
    assert model is not None
    return model


def test_clause_numbering(minimal):
    clauses = minimal.programme.decree.clauses
    assert [c.number for c in clauses] == ["1", "2", "3", "4", "5"]
    assert [c.number for c in clauses[4].clauses] == ["5.1", "5.2"]
    assert clauses[4].clauses[0].path == ("decree", "clauses", 4, "clauses", 0)


def test_sectioned_activities_are_numbered_within_sections(minimal):
    roadmap = minimal.programme.roadmap
    assert [s.number for s in roadmap.sections] == ["1", "2"]
    assert [(a.id, a.number) for a in roadmap.all_activities()] == [("a1", "1.1"), ("a2", "1.2"), ("b1", "2.1")]


def test_plain_activities_are_numbered_from_one(tmp_path):
    text = edit("""  sections:
    - id: first
      title: Раздел
      activities:
        - id: a1""", """  activities:
        - id: a1""")
    text = edit("""    - id: second
      title: Второй раздел
      activities:
""", "", text)
    model, diagnostics, _ = build(tmp_path, text)
    assert diagnostics == []
    assert [(a.id, a.number) for a in model.programme.roadmap.activities] == [("a1", "1"), ("a2", "2"), ("b1", "3")]
    assert model.programme.roadmap.activities[2].path == ("roadmap", "activities", 2)


def test_specification_items_and_indicators_are_numbered(minimal):
    assert [i.number for i in minimal.programme.specification.items] == ["2.1", "2.2"]
    assert [i.number for i in minimal.programme.indicators.items] == ["1", "2"]


def test_model_objects_know_their_yaml_path_and_span(minimal):
    activity = minimal.programme.roadmap.sections[0].activities[1]
    assert activity.path == ("roadmap", "sections", 0, "activities", 1)
    time = minimal.span(activity, "time")
    assert (time.line, time.column) == (line_of(MINIMAL, '"01.06.2022 – 27.06.2022"'), 17)
    key = minimal.key_span(activity, "time")
    assert (key.line, key.column) == (time.line, 11)
    line = minimal.programme.budget.lines[0]
    assert line.path == ("budget", "lines", 0)
    assert minimal.span(line, "amount").line == line_of(MINIMAL, '"100 000,00"')
    assert minimal.programme.people["ivanov"].path == ("people", "ivanov")


def test_values_are_parsed_into_types(minimal):
    programme = minimal.programme
    assert programme.budget.total == Decimal("100000.00")
    assert programme.budget.lines[0].effective_amount == Decimal("100000.00")
    assert programme.decree.date.isoformat() == "2022-02-01"
    assert programme.indicators.items[0].target.at_least is True
    assert programme.roadmap.sections[0].activities[0].owners[0].org == "uo"
    assert minimal.id == "mini-2022"


# --- schema diagnostics -------------------------------------------------------------------------


def test_unknown_key_suggests_the_close_one(tmp_path):
    text = edit("  title: Мини\n", "  titel: Мини\n")
    model, diagnostics, file = build(tmp_path, text)
    assert model is None
    d = only(diagnostics, "M001")
    assert d.severity is Severity.ERROR and d.name == "unknown-key"
    assert d.message == "неизвестный ключ «titel»"
    assert d.hint.startswith("возможно, имелось в виду «title»")
    assert "допустимые ключи: id, title, region, period, timezone" in d.hint
    assert (d.span.file, d.span.line, d.span.column, d.span.end_column) == (file, 3, 3, 8)
    # and the key it should have been is missing, reported at the parent
    missing = only(diagnostics, "M002")
    assert "«title»" in missing.message
    assert (missing.span.line, missing.span.column) == (1, 1)


def test_unknown_key_deep_inside_suggests_from_the_right_model(tmp_path):
    text = edit("          time: Май\n", "          tiem: Май\n")
    _, diagnostics, _ = build(tmp_path, text)
    d = only(diagnostics, "M001")
    assert d.hint.startswith("возможно, имелось в виду «time»")
    assert "owners" in d.hint and "depends_on" in d.hint
    assert (d.span.line, d.span.column) == (line_of(text, "tiem"), 11)


def test_unknown_key_without_close_match_lists_allowed_keys(tmp_path):
    _, diagnostics, _ = build(tmp_path, edit("  region: Липецкая область\n", "  region: Липецкая область\n  zzz: 1\n"))
    d = only(diagnostics, "M001")
    assert "возможно" not in d.hint
    assert d.hint.startswith("допустимые ключи: id, title, region")


def test_missing_key_points_at_the_parent(tmp_path):
    text = edit("  title: О мини\n", "")
    _, diagnostics, _ = build(tmp_path, text)
    assert [d.code for d in diagnostics] == ["M002"]
    d = diagnostics[0]
    assert d.name == "missing-key"
    assert d.message == "не задан обязательный ключ «title» здесь"
    assert d.hint.startswith("добавьте «title: …»")
    assert "Об утверждении" in d.hint  # the field's Russian description
    assert (d.span.line, d.span.column) == (line_of(text, "decree:"), 1)


def test_missing_key_in_list_item_points_at_the_item(tmp_path):
    text = edit("    - text: Второй.\n", "    - approves: budget\n")
    _, diagnostics, _ = build(tmp_path, text)
    d = only(diagnostics, "M002")
    assert "«text»" in d.message
    assert (d.span.line, d.span.column) == (line_of(text, "approves: budget"), 7)


def test_missing_top_level_section_points_at_a_file(tmp_path):
    decree = MINIMAL[MINIMAL.index("decree:"):MINIMAL.index("roadmap:")]
    _, diagnostics, file = build(tmp_path, MINIMAL.replace(decree, ""))
    d = only(diagnostics, "M002")
    assert "«decree»" in d.message
    assert d.span is not None and d.span.file.parent == file.parent


@pytest.mark.parametrize("old, new, needle, message", [
    ("  title: О мини\n", "  title: [О, мини]\n", "[О, мини]", "ожидается текст"),
    ("    short: УО\n", "    short: {ru: УО}\n", "{ru: УО}", "ожидается текст"),
    ("          time: Май\n          owners: [uo]\n", "          time: Май\n          owners: uo\n", "uo\nbudget",
     "ожидается список"),
    ("  total: \"100 000,00\"\n", "  total: \"100 000,00\"\n  columns: Сумма\n", "Сумма", "ожидается список"),
    ("organisations:\n  uo:\n", "organisations:\n  uo: управление\n  ou:\n", "управление", "ожидается словарь"),
])
def test_wrong_type_is_m003_at_the_value(tmp_path, old, new, needle, message):
    text = edit(old, new)
    _, diagnostics, _ = build(tmp_path, text)
    d = next(d for d in diagnostics if d.code == "M003")
    assert d.name == "wrong-type"
    assert d.message.startswith(message)
    assert (d.span.line, d.span.column) == (line_of(text, needle), column_of(text, needle))


def test_bad_choice_is_m004_listing_allowed_values(tmp_path):
    text = edit("  kind: приказ\n", "  kind: указ\n")
    _, diagnostics, _ = build(tmp_path, text)
    d = only(diagnostics, "M004")
    assert d.name == "bad-choice"
    assert d.message == "недопустимое значение «указ»"
    assert "приказ" in d.hint and "распоряжение" in d.hint
    assert (d.span.line, d.span.column, d.span.end_column) == (line_of(text, "указ"), 9, 13)


def test_bad_choice_hint_is_russian(tmp_path):
    _, diagnostics, _ = build(tmp_path, edit("    gender: male\n", "    gender: man\n"))
    d = only(diagnostics, "M004")
    assert " or " not in d.hint
    assert "male" in d.hint and "female" in d.hint


def test_bad_time_is_p101_with_caret_on_the_bad_part(tmp_path):
    text = edit('          time: "01.06.2022 – 27.06.2022"\n', '          time: "01.06.2022 – 45.06.2022"\n')
    _, diagnostics, file = build(tmp_path, text)
    d = only(diagnostics, "P101")
    assert d.name == "value-syntax"
    assert "45 июня 2022 года не существует" in d.message
    assert "30 дней" in d.hint
    # the value starts in column 17 (the quote); «45.06.2022» is 13 characters into it
    assert (d.span.file, d.span.line) == (file, line_of(text, "45.06.2022"))
    assert (d.span.column, d.span.end_column) == (31, 41) == (column_of(text, "45.06"), column_of(text, "45.06") + 10)


def test_bad_time_unquoted_and_single_quoted_land_on_the_same_text(tmp_path):
    for value, column in (("01.06.2022 – 45.06.2022", 30), ("'01.06.2022 – 45.06.2022'", 31)):
        text = edit('          time: "01.06.2022 – 27.06.2022"\n', f"          time: {value}\n")
        _, diagnostics, _ = build(tmp_path, text)
        d = only(diagnostics, "P101")
        assert d.span.column == column == column_of(text, "45.06")


def test_a_deadline_written_apart_from_its_meaning_prints_its_text_and_means_the_other(tmp_path):
    """`time: {text: …, means: …}`: the document prints `text`; checks and calendars use `means`."""
    text = edit('          time: "01.06.2022 – 27.06.2022"\n',
                '          time: {text: "Июнь", means: "01.06.2022 – 27.06.2022"}\n')
    model, diagnostics, _ = build(tmp_path, text)
    assert diagnostics == []
    activity = next(a for a in model.programme.roadmap.all_activities() if a.time.wording == "Июнь")
    assert activity.time == parse_time("01.06.2022 – 27.06.2022")
    period = model.programme.programme.period
    assert [(w.start.isoformat(), w.end.isoformat()) for w in activity.time.windows(period)] == [("2022-06-01", "2022-06-27")]


@pytest.mark.parametrize("value, code, needle, message", [
    ('{text: "Июнь", means: "01.06.2022 – 45.06.2022"}', "P101", "45.06.2022", "45 июня 2022 года не существует"),
    ('{text: "Июнь"}', "M002", "{text", "не задан ключ «means»"),
    ('{text: "Июнь", means: "Июнь", year: 2022}', "M001", "{text", "неизвестный ключ «year»"),
    ('{text: "", means: "Июнь"}', "M003", '""', "«text»"),
])
def test_errors_of_a_deadline_written_apart_point_at_their_value(tmp_path, value, code, needle, message):
    text = edit('          time: "01.06.2022 – 27.06.2022"\n', f"          time: {value}\n")
    _, diagnostics, _ = build(tmp_path, text)
    assert [d.code for d in diagnostics] == [code]
    d = diagnostics[0]
    assert message in d.message and d.hint
    assert (d.span.line, d.span.column) == (line_of(text, needle), column_of(text, needle))


def test_bad_amount_is_p201_with_caret_on_the_bad_group(tmp_path):
    text = edit('      amount: "100 000,00"\n', '      amount: "30 0000, 00"\n')
    _, diagnostics, _ = build(tmp_path, text)
    d = only(diagnostics, "P201")
    assert "«30 0000, 00»" in d.message
    assert "1 900 000,00" in d.hint
    assert (d.span.line, d.span.column, d.span.end_column) == (line_of(text, "30 0000"), 19, 27)
    assert d.span.column == column_of(text, "0000,")


@pytest.mark.parametrize("old, new, code, needle, words", [
    ("        - id: a1\n", "        - id: A1\n", "P701", "A1", "идентификатор «A1»"),
    ("          owners: [uo]\n        - id: a2", "          owners: [uo, Bad]\n        - id: a2", "P701", "Bad", "«Bad»"),
    ("  uo:\n    short: УО", "  UO:\n    short: УО", "P701", "UO:", "«UO»"),
    ("  timezone: Europe/Moscow\n", "  timezone: Europe/Lipetsk\n", "P801", "Europe/Lipetsk", "«Europe/Lipetsk»"),
    ("  date: 01.02.2022\n", "  date: 31.02.2022\n", "P501", "31.02.2022", "«31.02.2022»"),
    ('      quantities: ["не менее 5 человек"]\n', '      quantities: ["много"]\n', "P301", "много", "«много»"),
    ("  total: \"100 000,00\"\n", "  total: \"100 000,00\"\n  codes: {КФСР: '07-09'}\n", "P401", "'07-09'", "«07-09»"),
    ("  kind: приказ\n", "  kind: приказ\n  order_word_inline: может\n", "P601", "может", "«может»"),
    ("  period: \"2022\"\n", "  period: \"двадцать второй\"\n", "P1", "двадцать", ""),
    ("      amount: \"100 000,00\"\n", "      amount: \"-5\"\n", "P202", "-5", "отрицательная"),
])
def test_value_syntax_codes(tmp_path, old, new, code, needle, words):
    text = edit(old, new)
    _, diagnostics, _ = build(tmp_path, text)
    assert len(diagnostics) == 1, diagnostics
    d = diagnostics[0]
    assert d.code.startswith(code) and d.name == "value-syntax"
    assert words in d.message
    assert d.hint
    assert (d.span.line, d.span.column) == (line_of(text, needle), column_of(text, needle))


def test_all_problems_are_reported_in_one_run(tmp_path):
    text = MINIMAL
    for old, new in [
        ("  title: Мини\n", "  titel: Мини\n"),
        ("  kind: приказ\n", "  kind: указ\n"),
        ('      amount: "100 000,00"\n', '      amount: "30 0000, 00"\n'),
        ("        - id: a1\n", "        - id: A1\n"),
        ("  timezone: Europe/Moscow\n", "  timezone: Europe/Lipetsk\n"),
        ('          time: "01.06.2022 – 27.06.2022"\n', '          time: "01.06.2022 – 45.06.2022"\n'),
    ]:
        text = edit(old, new, text)
    model, diagnostics, _ = build(tmp_path, text)
    assert model is None
    found = sorted((d.code, d.span.line) for d in diagnostics)
    assert found == sorted([
        ("M001", line_of(text, "titel")),
        ("M002", 1),
        ("M004", line_of(text, "указ")),
        ("P201", line_of(text, "30 0000")),
        ("P701", line_of(text, "id: A1")),
        ("P801", line_of(text, "Lipetsk")),
        ("P101", line_of(text, "45.06")),
    ])


def test_schema_errors_across_files_point_at_their_own_file(tmp_path):
    directory = tmp_path / "specs" / "mini-2022"
    directory.mkdir(parents=True)
    split = MINIMAL.index("decree:")
    (directory / "programme.yaml").write_text(edit("  title: Мини\n", "  titel: Мини\n", MINIMAL[:split]), encoding="utf-8")
    (directory / "decree.yaml").write_text(edit("  kind: приказ\n", "  kind: указ\n", MINIMAL[split:]), encoding="utf-8")
    loaded = load_programme(directory)
    assert loaded.diagnostics == []
    _, diagnostics = build_model(loaded)
    by_code = {d.code: d.span for d in diagnostics}
    assert (by_code["M001"].file.name, by_code["M001"].line) == ("programme.yaml", 3)
    assert (by_code["M004"].file.name, by_code["M004"].line) == ("decree.yaml", 2)


def test_build_model_never_raises_on_odd_data(tmp_path):
    directory = tmp_path / "specs" / "odd"
    directory.mkdir(parents=True)
    for text in ["programme: x\n", "programme: [1, 2]\ndecree: ~\n", "decree:\n  clauses: [~, ~]\n", "budget: {}\n"]:
        (directory / "spec.yaml").write_text(text, encoding="utf-8")
        model, diagnostics = build_model(load_programme(directory))
        assert model is None
        assert diagnostics and all(d.code[0] in "MP" for d in diagnostics)


def test_objects_are_every_spec_object_parents_first(minimal):
    """ProgrammeModel.objects is the full walk of every field, in document order (the silence check reads it)."""
    def walk(value):
        if isinstance(value, SpecModel):
            yield value
            for name in type(value).model_fields:
                yield from walk(getattr(value, name))
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item)

    assert [id(o) for o in minimal.objects] == [id(o) for o in walk(minimal.programme)]
    assert minimal.objects[0] is minimal.programme
