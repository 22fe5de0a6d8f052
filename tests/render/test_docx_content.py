"""The rendered documents say everything the spec says: read back with python-docx, compared with the export."""

from __future__ import annotations

from decimal import Decimal

import pytest
from docx_reading import (
    APPENDIX_FILES,
    DECREE_FILES,
    all_paragraphs,
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
    assert names == {DECREE_FILES[programme], *APPENDIX_FILES[programme].values()}


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_every_clause_is_numbered_and_starts_with_a_capital(docx_outputs, exported, programme):
    document = open_docx(docx_outputs / programme / DECREE_FILES[programme])
    paragraphs = [plain(block.text) for block in document.sections[0].iter_inner_content() if hasattr(block, "text")]
    clauses = flatten_clauses(exported[programme]["decree"]["clauses"])
    for clause in clauses:
        expected = plain(f"{clause['number']}. {upper_first(clause['text'])}")
        assert expected in paragraphs, expected
    numbered = [p for p in paragraphs if p[:1].isdigit() and ". " in p[:6]]
    assert len(numbered) == len(clauses)


def test_clause_starting_with_a_substituted_lowercase_word_is_capitalised(docx_outputs):
    paragraphs = body_paragraphs(open_docx(docx_outputs / "leningrad-2020" / DECREE_FILES["leningrad-2020"]))
    assert any(p.startswith("5.1. В срок до 10 февраля 2020 года – заявку") for p in paragraphs)
    assert any(p.startswith("5.2. В срок до 20 декабря 2020 года – отчет") for p in paragraphs)


def test_decree_requisites_in_order(docx_outputs):
    paragraphs = [p for p in body_paragraphs(open_docx(docx_outputs / "lipetsk-2022" / "prikaz-266.docx")) if p]
    assert paragraphs[:6] == [
        "УПРАВЛЕНИЕ ОБРАЗОВАНИЯ И НАУКИ", "ЛИПЕЦКОЙ ОБЛАСТИ", "ПРИКАЗ",
        "«___» __________ 2022 г.\t№ 266",          # undated: room for the date, number on the right
        "г. Липецк",
        "Об утверждении нормативных документов по реализации основного мероприятия 21 подпрограммы 1 "
        "«Повышение качества образования в школах с низкими результатами обучения и в школах, функционирующих "
        "в неблагоприятных социальных условиях, путем реализации региональных проектов и распространения их "
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
            assert [f"из них: {part['title']}", _money(part["amount"])] in rows
    assert ["Услуги наставников", "840 000,00 (21 × 40 000,00)"] in rows
    assert rows[-1] == ["Итого", "1 900 000,00"]
    assert len(rows) == 1 + len(budget["lines"]) + 1 + 1     # heading, lines, one «из них», total


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
    assert "5. Размер финансирования: 2 500 000,00 рублей (Два миллиона пятьсот тысяч рублей 00 копеек)" in paragraphs


def _corner(document) -> list[str]:
    """The corner requisites: mark lines, then stamp lines (paragraphs before the appendix title)."""
    names = ("Отметка о приложении", "Гриф утверждения")
    return [plain(p.text) for p in document.paragraphs if p.style.name in names]


@pytest.mark.parametrize("programme, kind, mark, stamp", [
    ("leningrad-2020", "specification",
     "Приложение № 1 к распоряжению комитета общего и профессионального образования Ленинградской области "
     "от 03.02.2020 № 178-р",
     "УТВЕРЖДЕНО распоряжением комитета общего и профессионального образования Ленинградской области "
     "от 03.02.2020 № 178-р"),
    ("leningrad-2020", "indicators",
     "Приложение № 2 к распоряжению комитета общего и профессионального образования Ленинградской области "
     "от 03.02.2020 № 178-р",
     "УТВЕРЖДЕНЫ распоряжением комитета общего и профессионального образования Ленинградской области "
     "от 03.02.2020 № 178-р"),
    ("lipetsk-2022", "roadmap",
     "Приложение № 1 к приказу управления образования и науки Липецкой области от «___» __________ 2022 г. № 266",
     "УТВЕРЖДЕН приказом управления образования и науки Липецкой области от «___» __________ 2022 г. № 266"),
    ("lipetsk-2022", "budget",
     "Приложение № 2 к приказу управления образования и науки Липецкой области от «___» __________ 2022 г. № 266",
     "УТВЕРЖДЕНА приказом управления образования и науки Липецкой области от «___» __________ 2022 г. № 266"),
    ("lysva-2021", "roadmap",
     "Приложение к приказу управления образования администрации Лысьвенского городского округа "
     "от 28.10.2021 № 491/01-08",
     "УТВЕРЖДЕНА приказом управления образования администрации Лысьвенского городского округа "
     "от 28.10.2021 № 491/01-08"),
])
def test_appendix_mark_and_approval_stamp(docx_outputs, programme, kind, mark, stamp):
    for name in (APPENDIX_FILES[programme][kind], DECREE_FILES[programme]):
        corner = _corner(open_docx(docx_outputs / programme / name))
        pairs = [(f"{corner[i]} {corner[i + 1]}", f"{corner[i + 2]} {corner[i + 3]}") for i in range(0, len(corner), 4)]
        assert (mark, stamp) in pairs, name


def test_appendix_titles_follow_the_corner(docx_outputs, exported):
    document = open_docx(docx_outputs / "lysva-2021" / APPENDIX_FILES["lysva-2021"]["roadmap"])
    texts = [p for p in body_paragraphs(document) if p]
    assert texts[4:6] == ["План мероприятий («Дорожная карта»)",
                          "по развитию муниципальной системы поддержки школ с низкими образовательными результатами "
                          "обучающихся Лысьвенского городского округа на 2021–2024 гг."]


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
