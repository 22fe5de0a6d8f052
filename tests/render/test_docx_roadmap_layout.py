"""Roadmap appendices as their documents lay them out: two-level headers, the activity's name and description in
columns of their own, one executor named in a line instead of a column, weekly deadlines.

The checks' base programme (tests/checks/base/base-2022) is given such a roadmap, checked and built.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from docx_reading import body_paragraphs, build_with_epoch, open_docx, plain, table_rows

from engine.building.pipeline import check_tree

BASE = Path(__file__).resolve().parents[1] / "checks" / "base" / "base-2022"

ROADMAP = """\
roadmap:
  title: Дорожная карта
  subtitle: реализации программы поддержки школ в {{ programme.period }} году
  glossary: [iro, cmoko, oo]
  executor: iro
  executor_line: PLACEMENT
  before:
    - "Цель: повышение качества образования в школах с низкими результатами обучения."
    - "Задачи:"
    - list:
        marker: "1)"
        items: [выявить школы с низкими результатами, оказать им адресную помощь]
  after:
    - heading: Ожидаемые результаты
    - Школы перешли в эффективный режим работы.
  columns:
    - field: number
      heading: № п/п
    - field: title
      group: Мероприятие
      heading: Наименование
    - field: details
      group: Мероприятие
      heading: Описание
    - field: time
      heading: Срок
    - field: result
      heading: Результат
  activities:
    - id: monitoring
      title: Мониторинг результатов ОО
      details: [Сбор данных ЦМОКО, Анализ результатов]
      time: 01.03.2022 – 31.03.2022; 01.10.2022 – 14.10.2022
      owners: [cmoko]
      indicators: [schools-share]
      result: Аналитическая справка для заседания рабочей группы
    - id: meeting
      title: Заседание рабочей группы
      time: 01.04.2022 – 05.04.2022; 20.10.2022 – 25.10.2022
      owners: [uo]
      depends_on: [monitoring]
      result: Протокол заседания
    - id: consultations
      title: Групповые консультации для руководителей ОО
      details: Консультации по запросу ОО
      time: по пятницам, февраль – декабрь
      indicators: [consultations]
      result: Консультации проведены
"""


def _programme(tmp_path: Path, placement: str = "before") -> Path:
    specs = tmp_path / "specs"
    shutil.copytree(BASE, specs / BASE.name)
    (specs / BASE.name / "roadmap.yaml").write_text(ROADMAP.replace("PLACEMENT", placement), encoding="utf-8")
    return specs


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp_path = tmp_path_factory.mktemp("roadmap-layout")
    report = build_with_epoch(_programme(tmp_path), tmp_path / "out")
    assert not report.failed, [(d.code, d.message) for d in report.all_diagnostics]
    return tmp_path / "out" / BASE.name


def _roadmap(built: Path):
    path = next(built.glob("prilozhenie-1-*.docx"))
    return open_docx(path)


def test_the_programme_is_clean_without_owners_where_the_executor_serves(tmp_path):
    assert [(d.code, d.message) for d in check_tree(_programme(tmp_path)).diagnostics] == []


def test_two_level_header_with_the_group_over_its_columns(built):
    table = _roadmap(built).tables[0]
    rows = table_rows(table)
    # python-docx repeats a merged cell in every grid column / row it spans
    assert rows[0] == ["№ п/п", "Мероприятие", "Мероприятие", "Срок", "Результат"]
    assert rows[1] == ["№ п/п", "Наименование", "Описание", "Срок", "Результат"]
    for row in table.rows[:2]:
        assert row._tr.trPr.find(qn("w:tblHeader")) is not None        # both header rows repeat on every page
    assert len({id(cell._tc) for cell in table.rows[0].cells}) == 4     # «Мероприятие» is one cell over two


def test_name_and_description_in_columns_of_their_own(built):
    rows = table_rows(_roadmap(built).tables[0])
    assert rows[2] == ["1.", "Мониторинг результатов ОО", "Сбор данных ЦМОКО\nАнализ результатов",
                       "01.03.2022 – 31.03.2022; 01.10.2022 – 14.10.2022",
                       "Аналитическая справка для заседания рабочей группы"]
    assert rows[4] == ["3.", "Групповые консультации для руководителей ОО", "Консультации по запросу ОО",
                       "по пятницам, февраль – декабрь", "Консультации проведены"]
    assert len(rows) == 2 + 3                                               # no owners column, one row each


def test_the_executor_line_before_the_table(built):
    document = _roadmap(built)
    paragraphs = [p for p in body_paragraphs(document) if p]
    line = "Исполнитель: институт развития образования Условной области"
    body = document.element.body
    first_table = body.index(body.find(qn("w:tbl")))
    before = [plain("".join(t.text or "" for t in p.iter(qn("w:t")))) for p in list(body)[:first_table]]
    assert line in before and line in paragraphs


def test_text_before_and_after_the_table(built):
    """The goal and the tasks before the table, more text after it — blocks as in a programme document's sections."""
    body = list(_roadmap(built).element.body)
    texts = [(element.tag == qn("w:tbl"), plain("".join(t.text or "" for t in element.iter(qn("w:t"))))) for element in body]
    table = next(index for index, (is_table, _) in enumerate(texts) if is_table)
    before = [text for _, text in texts[:table] if text]
    after = [text for _, text in texts[table + 1:] if text]
    goal = before.index("Цель: повышение качества образования в школах с низкими результатами обучения.")
    assert before[goal:goal + 3] == [before[goal], "Задачи:", "1) выявить школы с низкими результатами"]
    assert before[goal + 3] == "2) оказать им адресную помощь"
    assert before.index("Дорожная карта") < goal < before.index("ИРО – институт развития образования Условной области,")
    assert after == ["Ожидаемые результаты", "Школы перешли в эффективный режим работы."]


def test_the_executor_line_after_the_table_or_none(tmp_path):
    for placement, expected in (("after", True), ("none", False)):
        report = build_with_epoch(_programme(tmp_path / placement, placement), tmp_path / placement / "out")
        assert not report.failed
        document = open_docx(next((tmp_path / placement / "out" / BASE.name).glob("prilozhenie-1-*.docx")))
        body = list(document.element.body)
        last_table = max(i for i, element in enumerate(body) if element.tag == qn("w:tbl"))
        after = [plain("".join(t.text or "" for t in p.iter(qn("w:t")))) for p in body[last_table:]]
        assert any(text.startswith("Исполнитель: ") for text in after) is expected, placement


def test_the_executor_owns_every_activity_without_owners_in_the_calendars(built):
    feed = (built / "calendars" / "iro.ics").read_text(encoding="utf-8")
    fridays = sum(1 for day in range(334) if (dt.date(2022, 2, 1) + dt.timedelta(days=day)).weekday() == 4)
    assert feed.count("UID:base-2022.roadmap.consultations.") == fridays == 48   # every Friday, February – December
    assert "base-2022.roadmap.monitoring." not in feed                  # its own owner: ЦМОКО
    assert "base-2022.roadmap.monitoring." in (built / "calendars" / "cmoko.ics").read_text(encoding="utf-8")


def test_an_undefined_executor_is_reported_once_at_its_key(tmp_path):
    specs = _programme(tmp_path)
    roadmap = specs / BASE.name / "roadmap.yaml"
    roadmap.write_text(roadmap.read_text(encoding="utf-8").replace("executor: iro", "executor: ipk"), encoding="utf-8")
    found = [(d.code, d.span.file.name, d.span.line) for d in check_tree(specs).diagnostics]
    assert [item for item in found if item[0] in ("O301", "O304")] == [("O301", "roadmap.yaml", 5)]


def test_a_person_in_the_owners_column_is_named_by_initials_and_surname(tmp_path):
    """A school's plan names its deputies as owners («Ответственный: Петров В.Г.»); the owners column printed only
    organisations and the build failed with E901 (KeyError) on the first person."""
    specs = _programme(tmp_path)
    roadmap = specs / BASE.name / "roadmap.yaml"
    text = roadmap.read_text(encoding="utf-8")
    text = text.replace("    - field: result\n      heading: Результат\n",
                        "    - field: owners\n      heading: Ответственный\n")
    text = text.replace("      owners: [uo]\n", "      owners: [petrov, uo]\n")
    roadmap.write_text(text, encoding="utf-8")
    report = build_with_epoch(specs, tmp_path / "out")
    assert not report.failed, [(d.code, d.message) for d in report.all_diagnostics]
    rows = table_rows(open_docx(next((tmp_path / "out" / BASE.name).glob("prilozhenie-1-*.docx"))).tables[0])
    assert rows[3][0] == "2." and rows[3][-1] == "В.Г. Петров, УО"
    assert rows[2][-1] == "ЦМОКО"


def test_a_section_whose_title_numbers_itself_is_printed_without_a_second_number(tmp_path):
    """A development programme's plan groups its rows under the programme's tasks: «Задача 1. …» over «1.1.»,
    «1.2.» — `section_numbering: none` prints the section's title alone, the rows keep their numbers."""
    specs = _programme(tmp_path)
    (specs / BASE.name / "roadmap.yaml").write_text("""\
roadmap:
  title: План мероприятий
  section_numbering: none
  columns:
    - {field: number, heading: № п/п}
    - {field: title, heading: Мероприятие}
    - {field: time, heading: Срок}
    - {field: owners, heading: Ответственный}
  sections:
    - id: results
      title: Задача 1. Повышение качества образовательных результатов
      activities:
        - {id: monitoring, title: Мониторинг результатов ОО, time: ежеквартально, owners: [cmoko]}
        - {id: meeting, title: Заседание рабочей группы, time: 2022 год, owners: [uo]}
    - id: staff
      title: Задача 2. Развитие кадрового потенциала
      activities:
        - {id: consultations, title: Групповые консультации для руководителей ОО, time: по пятницам, owners: [iro]}
""", encoding="utf-8")
    report = build_with_epoch(specs, tmp_path / "out")
    assert not report.failed, [(d.code, d.message) for d in report.all_diagnostics]
    rows = table_rows(open_docx(next((tmp_path / "out" / BASE.name).glob("prilozhenie-1-*.docx"))).tables[0])
    assert [row[0] for row in rows[1:]] == ["Задача 1. Повышение качества образовательных результатов", "1.1.", "1.2.",
                                            "Задача 2. Развитие кадрового потенциала", "2.1."]
