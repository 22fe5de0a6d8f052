"""Tables of a programme document as the DOCX holds them: the passport, a data table with a two-level header and
its totals, an indicators table with a group row, a landscape table in a section of its own.

The programme is the check fixtures' municipal programme (tests/checks/base/programme-2021); the cells are read
back with python-docx (a merged cell repeats in every grid column it spans), merges and styles from the XML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from docx.shared import Length
from docx_reading import NBSP, build_with_epoch, open_docx, plain

from engine.render.docx import styles as S

BASE = Path(__file__).parents[1] / "checks" / "base" / "programme-2021"
PROGRAMME = "munitsipalnaya-programma.docx"


def _build(root: Path, edit=None) -> Path:
    specs = root / "specs"
    shutil.copytree(BASE, specs / BASE.name)
    if edit:
        edit(specs / BASE.name)
    report = build_with_epoch(specs, root / "outputs")
    assert not report.failed, [d.message for d in report.all_diagnostics]
    return root / "outputs" / BASE.name / PROGRAMME


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    return open_docx(_build(tmp_path_factory.mktemp("tables")))


def _rows(table) -> list[list[str]]:
    """Cell texts, paragraphs joined by «\\n», no-break spaces as spaces."""
    return [[cell.text.replace(NBSP, " ") for cell in row.cells] for row in table.rows]


def _cells(row) -> list[tuple[str, int, str | None]]:
    """(text, grid columns spanned, vertical merge) of each <w:tc> of a row, as written."""
    found = []
    for cell in row._tr.findall(qn("w:tc")):
        properties = cell.find(qn("w:tcPr"))
        span = properties.find(qn("w:gridSpan"))
        merge = properties.find(qn("w:vMerge"))
        text = "".join(t.text or "" for t in cell.iter(qn("w:t")))
        found.append((text, int(span.get(qn("w:val"))) if span is not None else 1,
                      None if merge is None else merge.get(qn("w:val"), "continue")))
    return found


def test_the_passport_is_a_table_of_labels_and_values(document):
    passport = document.tables[0]
    assert _rows(passport) == [
        ["Наименование программы",
         "Муниципальная программа «Повышение качества образования в школах с низкими результатами обучения»"],
        ["Основные разработчики программы", "Комитет образования администрации Условного муниципального района"],
        ["Задачи программы", "Задача 1. Идентификация школ с низкими результатами обучения.\n"
                             "Задача 2. Методическая поддержка школ и педагогов."],
        ["Основные показатели (индикаторы)", "1. Доля общеобразовательных организаций, в которых успешно реализованы "
                                             "программы повышения качества образования – 59 %."],
        ["Срок реализации программы", "2021 г."],
        ["Механизм реализации программы", "- формирование инфраструктуры поддержки школ;\n"
                                          "- согласованные действия всех уровней управления."],
    ]
    assert passport.rows[0]._tr.trPr.find(qn("w:tblHeader")) is None      # no header row


def test_a_data_table_with_a_two_level_header_and_its_totals(document):
    table = document.tables[1]
    assert _cells(table.rows[0]) == [("Наименование МБОУ", 1, "restart"), ("кол-во сдающих", 1, "restart"),
                                     ("средний балл", 1, "restart"), ("Количество участников", 2, None)]
    assert _cells(table.rows[1]) == [("", 1, "continue"), ("", 1, "continue"), ("", 1, "continue"),
                                     ("70 и более баллов", 1, None), ("доля «4» и «5», %", 1, None)]
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows[:2])   # repeated on each page
    assert _rows(table)[2:] == [
        ["МБОУ СОШ с. Северное", "35", "54,9", "6", "42,9"],
        ["МБОУ СОШ с. Южное", "4", "68,8", "2", "50"],
        ["МБОУ СШ с. Озёрное", "8", "49,6", "", "25"],
        ["ИТОГО 2020:", "47", "55,2", "8", ""],           # 55,2 declared and checked; 8 computed
        ["ИТОГО 2019:", "51", "53,8", "9", ""],           # declared only: a year no row gives
    ]
    total = table.rows[5].cells
    assert [total[0].paragraphs[0].style.name, total[1].paragraphs[0].style.name] == [S.TABLE_TOTAL,
                                                                                      S.TABLE_TOTAL_CENTERED]
    assert table.rows[2].cells[1].paragraphs[0].style.name == S.TABLE_CENTERED


def test_placeholders_read_the_table(document):
    texts = [plain(p.text) for p in document.paragraphs]
    assert "Результаты ЕГЭ по математике в 2021 году (средний балл по району — 55,2):" in texts


def test_an_indicators_table_with_a_task_row(document):
    texts = [(p.style.name, plain(p.text)) for p in document.paragraphs]
    captions = [text for style, text in texts if style == S.TABLE_CAPTION]
    assert captions == ["Показатели и индикаторы", "муниципальной программы повышения качества образования"]
    table = document.tables[2]
    assert _cells(table.rows[0])[-1] == ("Прогнозное значение", 1, None)
    assert _cells(table.rows[1])[-1] == ("2021\u00a0г.", 1, None)       # the year and «г.» on one line
    assert _cells(table.rows[2]) == [("Задача 1. Идентификация школ с низкими результатами обучения.", 5, None)]
    assert _rows(table)[3] == [
        "1", "обеспечение условий равного доступа к получению качественного общего образования",
        "доля школ с низкими результатами обучения, в которых обеспечены условия равного доступа, %", "70", "90"]


def _landscape(folder: Path) -> None:
    path = folder / "tables.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    columns:\n", "    landscape: да\n    columns:\n", 1),
                    encoding="utf-8")


def test_a_wide_table_gets_landscape_pages_of_its_own(tmp_path):
    document = open_docx(_build(tmp_path, _landscape))
    sections = document.sections
    assert [section.orientation for section in sections] == [0, 1, 0, 1]    # … the table … the landscape plan
    assert sections[1].page_width > sections[1].page_height
    # only the document's first page goes without a number: later sections number their first page
    assert [section.different_first_page_header_footer for section in sections] == [True, False, False, True]
    # the landscape table is as wide as the landscape text
    table = document.tables[1]
    width = int(table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")))
    text = Length(sections[1].page_width - sections[1].left_margin - sections[1].right_margin)
    assert abs(width - text.twips) <= len(table.columns)


def test_values_of_the_cells_print_as_the_document_writes_them(tmp_path):
    """A decimal point typed «.» prints as a comma; five-digit figures get their digit groups."""
    def edit(folder: Path) -> None:
        path = folder / "tables.yaml"
        text = path.read_text(encoding="utf-8").replace('"35", "54,9"', '"12500", "54.9"')
        path.write_text(text.replace('values: {count: "47", mean: "55,2"}', 'values: {}'), encoding="utf-8")
    table = open_docx(_build(tmp_path, edit)).tables[1]
    assert _rows(table)[2][1:3] == ["12 500", "54,9"]
    assert table.rows[2].cells[1].text == f"12{NBSP}500"


def _text_around_the_plan(folder: Path) -> None:
    path = folder / "roadmap.yaml"
    text = path.read_text(encoding="utf-8").replace("  columns:\n", """  before:
    - "Цель: повышение качества образования."
    - list: {marker: "1)", items: [выявить школы;, поддержать педагогов.]}
  after:
    - "Исполнитель: {{ orgs.komitet }}"
  columns:
""", 1)
    path.write_text(text, encoding="utf-8")


def test_text_before_and_after_an_appendix_table(tmp_path):
    _build(tmp_path, _text_around_the_plan)
    plan = open_docx(tmp_path / "outputs" / BASE.name / "prilozhenie-1-plan.docx")
    body = plan.element.body
    kinds = [("table" if child.tag == qn("w:tbl") else "".join(t.text or "" for t in child.iter(qn("w:t"))))
             for child in body if child.tag in (qn("w:p"), qn("w:tbl"))]
    start = kinds.index("Цель: повышение качества образования.")
    assert kinds[start:start + 5] == ["Цель: повышение качества образования.", "1) выявить школы;",
                                      "2) поддержать педагогов.", "table", "Исполнитель: Комитет образования"]
