"""The rendered documents say everything the spec says: read back with python-docx, compared with the export."""

from __future__ import annotations

from decimal import Decimal

import pytest
from docx_reading import (
    APPENDIX_FILES,
    DECREE_FILES,
    PROGRESS_FILES,
    all_paragraphs,
    all_paragraphs_raw,
    body_paragraphs,
    build_with_epoch,
    flatten_clauses,
    open_docx,
    plain,
    table_rows,
    upper_first,
)

from engine import formats

PROGRAMMES = tuple(DECREE_FILES)


def _money(amount: str) -> str:
    return plain(formats.money(Decimal(amount)))


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_outputs_are_the_decree_with_appendices_and_each_appendix(docx_outputs, programme):
    names = {path.name for path in (docx_outputs / programme).glob("*.docx")}
    assert names == {DECREE_FILES[programme], *APPENDIX_FILES[programme].values(), PROGRESS_FILES[programme]}


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_every_clause_is_numbered_and_printed_as_written(docx_outputs, exported, programme):
    document = open_docx(docx_outputs / programme / DECREE_FILES[programme])
    paragraphs = [plain(block.text) for block in document.sections[0].iter_inner_content() if hasattr(block, "text")]
    clauses = flatten_clauses(exported[programme]["decree"]["clauses"])
    for clause in clauses:
        assert plain(f"{clause['number']}. {clause['text']}") in paragraphs or \
            plain(f"{clause['number']}. {upper_first(clause['text'])}") in paragraphs, clause["number"]
    numbered = [p for p in paragraphs if p[:1].isdigit() and ". " in p[:6]]
    assert len(numbered) == len(clauses)


def test_a_clause_keeps_the_case_it_is_written_in(docx_outputs):
    """«5.1. в срок до …» continues clause 5 after its colon: lower case, as the spec and the source write it.
    A clause that begins with a substituted name («{{ orgs.quality-sector.full.dat }} …») begins a sentence."""
    paragraphs = body_paragraphs(open_docx(docx_outputs / "leningrad-2020" / DECREE_FILES["leningrad-2020"]))
    assert any(p.startswith("5. Государственному автономному образовательному учреждению") for p in paragraphs)
    assert any(p.startswith("5.1. в срок до 10 февраля 2020 года – заявку") for p in paragraphs)
    assert any(p.startswith("5.2. в срок до 20 декабря 2020 года – отчет") for p in paragraphs)
    assert any(p.startswith("4. Сектору управления качеством образования (Л.Г. Михайлюк)") for p in paragraphs)


def test_a_lower_case_clause_is_printed_lower_case(tmp_path, copy_programme, replace_in):
    folder = copy_programme(tmp_path, "lipetsk-2022")
    replace_in(folder / "decree.yaml", "text: Утвердить смету расходов", "text: утвердить смету расходов")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    assert not report.failed, [d.message for d in report.all_diagnostics]
    paragraphs = body_paragraphs(open_docx(tmp_path / "out" / "lipetsk-2022" / "prikaz-266.docx"))
    assert "2. утвердить смету расходов на реализацию Мероприятия 21 (приложение 2)." in paragraphs


def test_decree_requisites_in_order(docx_outputs):
    paragraphs = [p for p in body_paragraphs(open_docx(docx_outputs / "lipetsk-2022" / "prikaz-266.docx")) if p]
    assert paragraphs[:6] == [
        "УПРАВЛЕНИЕ ОБРАЗОВАНИЯ И НАУКИ", "ЛИПЕЦКОЙ ОБЛАСТИ", "ПРИКАЗ",
        "«___» __________ 2022 г.\t№ 266",          # undated: room for the date, number on the right
        "г. Липецк",
        "Об утверждении нормативных документов по реализации основного мероприятия 21 подпрограммы 1 "
        "«Повышение качества образования в школах с низкими результатами обучения и в школах, функционирующих "
        "в неблагоприятных социальных условиях, путем реализации региональных проектов и распространение их "
        "результатов» государственной программы Липецкой области «Развитие образования Липецкой области» в 2022 году",
    ]
    assert paragraphs[6].startswith("В целях реализации основного мероприятия 21")
    assert paragraphs[7] == "ПРИКАЗЫВАЮ:"
    assert paragraphs[8].startswith("1. Утвердить план-график")


def test_directive_has_no_order_word_and_a_numeric_date(docx_outputs):
    paragraphs = body_paragraphs(open_docx(docx_outputs / "leningrad-2020" / "rasporyazhenie-178-r.docx"))
    assert paragraphs[:6] == ["РОССИЙСКАЯ ФЕДЕРАЦИЯ", "Администрация Ленинградской области", "КОМИТЕТ",
                              "ОБЩЕГО И ПРОФЕССИОНАЛЬНОГО ОБРАЗОВАНИЯ", "ЛЕНИНГРАДСКОЙ ОБЛАСТИ", "РАСПОРЯЖЕНИЕ"]
    assert "03.02.2020\t№ 178-р" in paragraphs
    assert not any("ПРИКАЗЫВАЮ" in p for p in paragraphs)
    preamble = paragraphs.index(next(p for p in paragraphs if p.startswith("В соответствии с распоряжением")))
    assert paragraphs[preamble + 1].startswith("1. Предоставить в 2020 году субсидию")


def test_issuer_line_without_authority_header(docx_outputs):
    """lysva: no authority name above the kind, the issuer line under it (decree.issuer_line, no header)."""
    paragraphs = [p for p in body_paragraphs(open_docx(docx_outputs / "lysva-2021" / "prikaz-491-01-08.docx")) if p]
    assert paragraphs[:3] == ["ПРИКАЗ", "НАЧАЛЬНИКА УПРАВЛЕНИЯ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ЛЫСЬВЕНСКОГО ГОРОДСКОГО ОКРУГА",
                              "28.10.2021\t№ 491/01-08"]


@pytest.mark.parametrize("programme, position, name", [
    ("lipetsk-2022", "Начальник управления", "Л.А.\u00a0Загеева"),
    ("leningrad-2020", "Заместитель председателя комитета", "А.С.\u00a0Огарков"),
    ("lysva-2021", "Начальник управления", "Л.Е.\u00a0Степанова"),
])
def test_signature_position_left_name_right_with_nbsp(docx_outputs, programme, position, name):
    document = open_docx(docx_outputs / programme / DECREE_FILES[programme])
    signature = document.tables[0].rows[0].cells
    assert signature[0].text == position
    assert signature[1].text == name          # non-breaking space between initials and surname
    assert signature[1].paragraphs[0].alignment == 2 or signature[1].paragraphs[0].style.paragraph_format.alignment == 2
    assert signature[1].vertical_alignment == 3  # bottom: the name stands on the last line of the position


def _roadmap_table(document):
    return next(t for t in document.tables if t.rows[0].cells[0].text.startswith("№"))


@pytest.mark.parametrize("programme", ["lipetsk-2022", "lysva-2021"])
@pytest.mark.parametrize("which", ["decree", "appendix"])
def test_every_roadmap_row_with_owners_time_and_results(docx_outputs, exported, programme, which):
    name = DECREE_FILES[programme] if which == "decree" else APPENDIX_FILES[programme]["roadmap"]
    rows = table_rows(_roadmap_table(open_docx(docx_outputs / programme / name)))
    roadmap = exported[programme]["roadmap"]
    fields = [column["field"] for column in roadmap["columns"]]
    assert rows[0] == [column["heading"] for column in roadmap["columns"]]
    activities = roadmap["activities"] + [a for s in roadmap["sections"] for a in s["activities"]]
    for activity in activities:
        mine = [dict(zip(fields, row, strict=True)) for row in rows if row[fields.index("number")] == f"{activity['number']}."]
        assert mine, activity["id"]
        first = mine[0]
        assert first["time"] == activity["time"]["rendered"]          # as written
        assert first["activity"].split("\n") == [activity["title"], *activity["details"]]
        for owner in activity["owners"]:
            carrying = [row for row in mine if owner["short"] in row["owners"]]
            assert carrying, (activity["id"], owner["id"])
            if owner["result"]:     # an owner's own result stands in the owner's row
                assert carrying[0]["result"].split("\n") == owner["result"]
        if activity["result"]:
            assert any(row["result"].split("\n") == activity["result"] for row in mine)


def test_owners_with_their_own_results_take_a_row_each(docx_outputs):
    rows = table_rows(_roadmap_table(open_docx(docx_outputs / "lipetsk-2022" / "prilozhenie-1-plan-grafik.docx")))
    row_1 = [row for row in rows if row[0] == "1."]
    assert [row[3] for row in row_1] == ["УОиН", "ГАУДПО ЛО «ИРО»"]
    assert row_1[0][4].startswith("Приказы УОиН, утверждающие:") and row_1[1][4].startswith("Приказ ГАУДПО ЛО «ИРО»")
    row_6 = [row for row in rows if row[0] == "6."]
    assert [row[3] for row in row_6] == ["ГАУДПО ЛО «ИРО»", "ЦМОКО"]
    assert row_6[1][4] == "проведение диагностики по запросу ОО;\nпредоставление информации МОУО и ОО по результатам диагностики."
    shared = [row for row in rows if row[0] == "13."]
    assert shared == [["13.", "В соответствии с календарными планами ОО",
                       "Проведение диагностики в школах с низкими результатами обучения по запросу ОО",
                       "ОО, ГАУДПО ЛО «ИРО», ЦМОКО", shared[0][4]]]


def test_roadmap_sections_are_full_width_rows(docx_outputs):
    table = _roadmap_table(open_docx(docx_outputs / "lysva-2021" / "prilozhenie-1-plan-meropriyaty-dorozhnaya-karta.docx"))
    titles = [row.cells[0].text for row in table.rows if len({id(c._tc) for c in row.cells}) == 1]
    assert titles == ["1. Нормативно-правовое обеспечение", "2. Общесистемные мероприятия",
                      "3. Мониторинг управления ходом реализации Плана (Дорожной карты)"]


def test_roadmap_glossary_before_the_table(docx_outputs):
    paragraphs = [p for p in body_paragraphs(open_docx(docx_outputs / "lipetsk-2022" / "prilozhenie-1-plan-grafik.docx"))
                  if " – " in p and p.endswith((",", "."))]
    assert paragraphs[0] == "УОиН – управление образования и науки Липецкой области,"
    assert paragraphs[-1] == "ОО – образовательная организация."
    assert len(paragraphs) == 7


@pytest.mark.parametrize("which", ["decree", "appendix"])
def test_every_budget_line_and_the_total(docx_outputs, exported, which):
    name = DECREE_FILES["lipetsk-2022"] if which == "decree" else APPENDIX_FILES["lipetsk-2022"]["budget"]
    document = open_docx(docx_outputs / "lipetsk-2022" / name)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Комплекс мероприятий")
    rows = [[plain(cell.text) for cell in row.cells] for row in table.rows]
    budget = exported["lipetsk-2022"]["budget"]
    assert rows[0] == ["Комплекс мероприятий", "Сумма, рублей"]
    for line in budget["lines"]:
        row = next(r for r in rows if r[0] == plain(line["title"]))
        assert row[1].startswith(_money(line["amount"]))
        for part in line["of_which"]:
            assert [f"из них {part['title']}", _money(part["amount"])] in rows
    assert ["Услуги наставников", "840 000,00 (21 × 40 000,00)"] in rows
    assert rows[-1] == ["Итого", "1 900 000,00"]
    assert len(rows) == 1 + len(budget["lines"]) + 1 + 1     # heading, lines, one «из них», total


def test_a_part_of_a_budget_line_is_indented_under_it(docx_outputs):
    """«из них Методический конструктор 80 000,00» is a part of the line above, not a line of its own: indented, so the
    column visibly does not add it to the total (1 900 000,00 is the sum of the lines without it)."""
    table = next(t for t in open_docx(docx_outputs / "lipetsk-2022" / APPENDIX_FILES["lipetsk-2022"]["budget"]).tables
                 if t.rows[0].cells[0].text == "Комплекс мероприятий")
    styles = [[cell.paragraphs[0].style.name for cell in row.cells] for row in table.rows]
    part = next(index for index, row in enumerate(table.rows) if row.cells[0].text.startswith("из них"))
    assert plain(table.rows[part - 1].cells[1].text) == "280 000,00"
    assert styles[part] == ["Часть строки таблицы", "Сумма части строки"]
    assert all(row == ["Текст таблицы", "Сумма в таблице"] for row in styles[1:-1] if row is not styles[part])
    document = table.part.document
    assert document.styles["Часть строки таблицы"].paragraph_format.left_indent > 0
    assert document.styles["Сумма части строки"].paragraph_format.right_indent > 0


def test_no_break_spaces_where_a_line_must_not_break(docx_outputs):
    """A number and «года», initials and surname, «№» and its number, «приложение» and its number stay on one line."""
    text = " ".join(all_paragraphs_raw(open_docx(docx_outputs / "leningrad-2020" / DECREE_FILES["leningrad-2020"])))
    for kept in ("10 февраля 2020\u00a0года", "№\u00a02778-р", "А.С.\u00a0Огарков", "Л.Г.\u00a0Михайлюк",
                 "приложению\u00a01", "п.\u00a01 настоящего", "в 2020\u00a0году", "на 2019\u00a0год"):
        assert kept in text, kept
    roadmap = " ".join(all_paragraphs_raw(open_docx(docx_outputs / "lysva-2021" / DECREE_FILES["lysva-2021"])))
    assert "2021\u00a0год" in roadmap and "на 2021–2024\u00a0гг." in roadmap


@pytest.mark.parametrize("which", ["decree", "appendix"])
def test_every_indicator(docx_outputs, exported, which):
    name = DECREE_FILES["leningrad-2020"] if which == "decree" else APPENDIX_FILES["leningrad-2020"]["indicators"]
    table = next(t for t in open_docx(docx_outputs / "leningrad-2020" / name).tables
                 if t.rows[0].cells[1].text == "Наименование показателя")
    rows = table_rows(table)
    assert rows[0] == ["№ п/п", "Наименование показателя", "Единица измерения", "Значение показателя"]
    indicators = exported["leningrad-2020"]["indicators"]
    assert len(rows) == 1 + len(indicators) == 14
    for row, indicator in zip(rows[1:], indicators, strict=True):
        value = indicator["target"] + (f"\n{indicator['target_note']}" if indicator["target_note"] else "")
        assert row == [f"{indicator['number']}.", plain(indicator["name"]), indicator["unit"], value]
    assert rows[1][3] == "1\nНе менее 50 человек"


def test_technical_specification_sections_items_and_deliverables(docx_outputs, exported):
    paragraphs = body_paragraphs(open_docx(docx_outputs / "leningrad-2020" / APPENDIX_FILES["leningrad-2020"]["specification"]))
    specification = exported["leningrad-2020"]["specification"]
    assert f"1. Наименование мероприятия: {plain(specification['event_name'])}" in paragraphs
    assert "2. Требования к объему услуг и срокам их оказания" in paragraphs
    for item in specification["items"]:
        time = f" – {item['time']['rendered']}" if item["time"] else ""
        ending = ":" if item["deliverables"] else "."
        assert plain(f"{item['number']}. {item['text']}{time}{ending}") in paragraphs, item["id"]
        for deliverable in item["deliverables"]:
            assert plain(f"– {deliverable}") in paragraphs
    assert "3. Срок оказания услуг: февраль - декабрь 2020 года" in paragraphs  # as written, as the source
    assert f"4. Источник финансирования: {plain(specification['funding_source'])}" in paragraphs
    # the sum the document states, in figures and in words
    assert "5. Размер финансирования: 2 500 000,00 рублей" in paragraphs     # as the source: no sum in words added


def _corner(document) -> list[str]:
    """The corner requisites: mark lines, then stamp lines (paragraphs before the appendix title)."""
    names = ("Отметка о приложении", "Гриф утверждения")
    return [plain(p.text) for p in document.paragraphs if p.style.name in names]


LENINGRAD_ACT = "распоряжению комитета общего и профессионального образования Ленинградской области от 03.02.2020 № 178-р"
LIPETSK_ACT = "приказу управления образования и науки Липецкой области от «___» __________ 2022 г. № 266"


@pytest.mark.parametrize("programme, kind, corner", [
    # no mark or stamp survived in the source: both computed (README 30)
    ("leningrad-2020", "specification", [
        "Приложение № 1", f"к {LENINGRAD_ACT}", "УТВЕРЖДЕНО",
        "распоряжением комитета общего и профессионального образования Ленинградской области от 03.02.2020 № 178-р"]),
    # a stamp only, with the appendix number after it, as the source (corner: stamp, stamp_with_number)
    ("leningrad-2020", "indicators", [
        "УТВЕРЖДЕНЫ", "распоряжением комитета общего и профессионального образования Ленинградской области "
                      "от 03.02.2020 № 178-р (приложение 2)"]),
    # a mark only, «Приложение 1» without «№», as the source (corner: mark, number_sign: нет)
    ("lipetsk-2022", "roadmap", ["Приложение 1", f"к {LIPETSK_ACT}"]),
    ("lipetsk-2022", "budget", ["Приложение 2", f"к {LIPETSK_ACT}"]),
    # a stamp only, naming the head who issued the order (decree.issuer), as the source
    ("lysva-2021", "roadmap", ["УТВЕРЖДЕНА", "приказом начальника управления образования от 28.10.2021 № 491/01-08"]),
])
def test_appendix_mark_and_approval_stamp_as_the_source_prints_them(docx_outputs, programme, kind, corner):
    appendix = _corner(open_docx(docx_outputs / programme / APPENDIX_FILES[programme][kind]))
    assert appendix == corner
    decree = _corner(open_docx(docx_outputs / programme / DECREE_FILES[programme]))
    assert " ".join(corner) in " ".join(decree)


def test_appendix_titles_follow_the_corner(docx_outputs, exported):
    document = open_docx(docx_outputs / "lysva-2021" / APPENDIX_FILES["lysva-2021"]["roadmap"])
    texts = [p for p in body_paragraphs(document) if p]
    assert texts[:4] == ["УТВЕРЖДЕНА", "приказом начальника управления образования от 28.10.2021 № 491/01-08",
                         "План мероприятий («Дорожная карта»)",
                         "по развитию муниципальной системы поддержки школ с низкими образовательными результатами "
                         "обучающихся Лысьвенского городского округа на 2021–2024 гг."]


@pytest.mark.parametrize("corner, printed", [
    ("both", ["Приложение 1", f"к {LIPETSK_ACT}", "УТВЕРЖДЕН",
              "приказом управления образования и науки Липецкой области от «___» __________ 2022 г. № 266"]),
    ("mark", ["Приложение 1", f"к {LIPETSK_ACT}"]),
    ("stamp", ["УТВЕРЖДЕН", "приказом управления образования и науки Липецкой области от «___» __________ 2022 г. № 266"]),
    ("none", []),
])
def test_every_corner_of_every_appendix_kind(tmp_path, copy_programme, replace_in, corner, printed):
    """`corner` switches the mark and the stamp of any appendix: here the roadmap and the budget of lipetsk-2022."""
    folder = copy_programme(tmp_path, "lipetsk-2022")
    for file in ("roadmap.yaml", "budget.yaml"):
        replace_in(folder / file, "  corner: mark ", f"  corner: {corner} ")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    assert not report.failed, [d.message for d in report.all_diagnostics]
    roadmap = open_docx(tmp_path / "out" / "lipetsk-2022" / APPENDIX_FILES["lipetsk-2022"]["roadmap"])
    assert _corner(roadmap) == printed
    budget = _corner(open_docx(tmp_path / "out" / "lipetsk-2022" / APPENDIX_FILES["lipetsk-2022"]["budget"]))
    assert budget == [line.replace("Приложение 1", "Приложение 2").replace("УТВЕРЖДЕН", "УТВЕРЖДЕНА") for line in printed]
    assert [p for p in body_paragraphs(roadmap) if p][len(printed)] == "План-график"     # the title follows at once


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_no_template_tag_is_left_in_a_document(docx_outputs, programme):
    for path in (docx_outputs / programme).glob("*.docx"):
        text = " ".join(all_paragraphs(open_docx(path)))
        assert "{{" not in text and "{%" not in text and "}}" not in text, path.name


def test_order_word_inline_and_authority_name_when_no_header_lines(tmp_path, copy_programme, replace_in):
    folder = copy_programme(tmp_path, "lipetsk-2022")
    replace_in(folder / "decree.yaml", "  header:\n    - УПРАВЛЕНИЕ ОБРАЗОВАНИЯ И НАУКИ\n    - ЛИПЕЦКОЙ ОБЛАСТИ\n",
               "  order_word_inline: да\n")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    assert not report.failed, [d.message for d in report.all_diagnostics]
    paragraphs = [p for p in body_paragraphs(open_docx(tmp_path / "out" / "lipetsk-2022" / "prikaz-266.docx")) if p]
    assert paragraphs[:2] == ["УПРАВЛЕНИЕ ОБРАЗОВАНИЯ И НАУКИ ЛИПЕЦКОЙ ОБЛАСТИ", "ПРИКАЗ"]    # the authority's full name
    preamble = next(p for p in paragraphs if p.startswith("В целях реализации"))
    assert preamble.endswith("в 2022 году ПРИКАЗЫВАЮ:")
    assert "ПРИКАЗЫВАЮ:" not in paragraphs
