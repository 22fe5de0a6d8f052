"""«Информация о ходе реализации … по состоянию на …» read back from the built DOCX of the bundled samples: the title,
every row of the activities (№, мероприятие, срок, исполнитель, информация об исполнении, отметка о выполнении), the
share done on time, the indicators (план, факт, % достижения), the signature, the landscape page. (The same records
give the same bytes: tests/render/test_docx_reproducible.py builds them twice.)"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx_reading import PROGRESS_FILES as REPORTS
from docx_reading import REPO, body_paragraphs, open_docx, plain, table_rows

NBSP = "\u00a0"
HEADINGS = ["№ п/п", "Мероприятие", "Срок", "Исполнитель", "Информация об исполнении", "Отметка о выполнении"]


def report(outputs, programme: str):
    return open_docx(outputs / programme / REPORTS[programme])


def test_every_programme_with_records_has_its_report(docx_outputs):
    for programme, name in REPORTS.items():
        assert (docx_outputs / programme / name).is_file(), programme


def test_the_lipetsk_report_as_of_the_first_of_july(docx_outputs):
    document = report(docx_outputs, "lipetsk-2022")
    paragraphs = body_paragraphs(document)
    assert paragraphs[0] == "Информация"
    assert paragraphs[1].startswith("о ходе реализации плана-графика выполнения работ по реализации основного "
                                    "мероприятия 21 подпрограммы 1")
    assert paragraphs[1].endswith("в 2022 году по состоянию на 01.07.2022")
    rows = table_rows(document.tables[0])
    assert rows[0] == HEADINGS
    by_number = {row[0]: row for row in rows[1:]}
    assert list(by_number) == [f"{n}." for n in range(1, 14)]      # no section rows: the plan has no sections
    marks = {number: row[5] for number, row in by_number.items()}
    assert marks == {"1.": "Выполнено", "2.": "Выполнено", "3.": "Выполнено с нарушением срока", "4.": "Перенесено",
                     "5.": "Выполняется", "6.": "Срок не наступил", "7.": "Срок не наступил", "8.": "Выполняется",
                     "9.": "Не выполнено", "10.": "Выполняется", "11.": "Выполнено", "12.": "Отменено",
                     "13.": "Выполняется"}
    first = by_number["1."]
    assert first[1] == "Формирование региональной нормативной базы реализации Мероприятия 21"
    assert first[3] == "УОиН, ГАУДПО ЛО «ИРО»"
    assert first[4].startswith("Выполнено 15.03.2022. Утверждены состав рабочей группы")
    assert "Подтверждение: Приказ УОиН от 15.03.2022 № 312 «Об организации работы по реализации Мероприятия 21»; " \
           "Приказ ГАУДПО ЛО «ИРО» от 18.03.2022 № 45-од." in first[4]
    late = by_number["3."]
    assert late[4].endswith("Причина отклонения от срока: программы двух муниципалитетов поступили на экспертизу "
                            "после 31.03.2022.")
    moved = by_number["4."]
    assert moved[2].split("\n")[1] == "новый срок — до 29 июля 2022 года"
    assert moved[4].startswith("Срок перенесён (протокол заседания рабочей группы от 25.03.2022 № 2), новый срок — "
                               "до 29 июля 2022 года.")
    assert by_number["6."][4] == "—"                                  # nothing due, nothing recorded
    assert by_number["8."][4].startswith("01.06.2022 – 27.06.2022: Выполнено 27.06.2022.")
    assert by_number["9."][4] == ("28.06.2022 – 30.06.2022: Не выполнено (на 30.06.2022). Заседание не проведено из-за "
                                  "отсутствия кворума; будет назначено в июле.")
    assert by_number["12."][4].startswith("Отменено (приказ УОиН от 15.05.2022 № 402 «О внесении изменений")
    summary = next(p for p in paragraphs if p.startswith("Наступил срок"))
    assert summary == ("Наступил срок исполнения по 6 срокам: выполнено в срок — 4 (66,7 %), с нарушением срока — 1, "
                       "не выполнено — 1; отменено — 1.")
    monitoring = " ".join((REPO / "docs" / "monitoring.md").read_text(encoding="utf-8").split())
    assert f"«{summary.replace(NBSP, ' ')}»" in monitoring          # the page that explains the report quotes it
    assert len(document.tables) == 2                 # no indicators in lipetsk: the activities and the signature
    assert [plain(cell.text) for cell in document.tables[1].rows[0].cells] == [
        "Первый заместитель начальника управления образования и науки", "С.Н. Кирина"]
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height


def test_sections_and_groups_are_titled_rows(docx_outputs):
    lysva = table_rows(report(docx_outputs, "lysva-2021").tables[0])
    titles = [row[0] for row in lysva if len(set(row)) == 1]
    assert titles == ["1. Нормативно-правовое обеспечение", "2. Общесистемные мероприятия",
                      "3. Мониторинг управления ходом реализации Плана (Дорожной карты)"]
    statistical = next(row for row in lysva if row[0] == "2.3.")
    assert statistical[4].split("\n") == [
        "ноябрь 2021: Выполнено 30.11.2021. Подтверждение: Сводный отчёт управления образования от 30.11.2021.",
        "январь 2022: Выполнено 28.01.2022. Подтверждение: Сводный отчёт управления образования от 28.01.2022.",
        "март 2022: Выполнено 31.03.2022. Подтверждение: Сводный отчёт управления образования от 31.03.2022.",
        "июнь 2022: Выполнено 24.06.2022. Подтверждение: Сводный отчёт управления образования от 24.06.2022.",
        "ноябрь 2022: Не выполнено (на 30.11.2022). Отчёты двух ОО не поступили; собеседования с административными "
        "командами перенесены на декабрь.",
    ]
    assert statistical[5] == "Выполнено частично"
    leningrad = table_rows(report(docx_outputs, "leningrad-2020").tables[0])
    assert [row[0] for row in leningrad if len(set(row)) == 1] == ["Техническое задание", "Поручения распоряжения"]
    assert leningrad[-1][0] == "5.2." and leningrad[-2][0] == "5.1."


def test_the_indicators_plan_fact_and_share(docx_outputs):
    document = report(docx_outputs, "leningrad-2020")
    paragraphs = body_paragraphs(document)
    assert "Достижение значений целевых показателей" in paragraphs
    rows = table_rows(document.tables[1])
    assert rows[0] == ["№ п/п", "Наименование показателя", "Единица измерения", "Значение плановое",
                       "Значение фактическое", "% достижения", "Примечание"]
    assert len(rows) == 14
    assert rows[1][0] == "1." and rows[1][2:] == ["Ед.", "1", "1", "100,0", "обучено 54 человека"]
    assert rows[9][2:] == ["Ед.", "5", "2", "40,0", ""]
    assert rows[10][2:] == ["Ед.", "18", "8", "44,4", ""]
    assert rows[13][2:] == ["Ед.", "2", "—", "—", ""]                    # no actual value yet
    summary = next(p for p in paragraphs if p.startswith("Наступил срок"))
    assert summary == ("Наступил срок исполнения по 20 срокам: выполнено в срок — 18 (90,0 %), с нарушением срока — 1, "
                       "не выполнено — 1; отменено — 2.")



def _marks(document) -> dict[str, str]:
    """№ → «Отметка о выполнении» of every item row (section and group rows repeat their title in every cell)."""
    return {row[0]: row[5] for row in table_rows(document.tables[0])[1:] if len(set(row)) > 1}


def test_every_mark_of_the_lysva_report_as_of_new_year_2023(docx_outputs):
    """Yearly and repeating deadlines: a mark judges every year's occurrence due by 01.01.2023 and those ahead."""
    document = report(docx_outputs, "lysva-2021")
    assert _marks(document) == {
        "1.1.": "Выполнено", "1.2.": "Выполнено", "1.3.": "Выполнено с нарушением срока", "1.4.": "Выполнено",
        "2.1.": "Выполнено", "2.2.": "Выполняется", "2.3.": "Выполнено частично", "2.4.": "Выполняется",
        "2.5.": "Выполняется", "2.6.": "Выполняется", "2.7.": "Срок не наступил",
        "3.1.": "Выполняется", "3.2.": "Выполняется", "3.3.": "Без срока", "3.4.": "Выполнено частично",
        "3.5.": "Выполняется", "3.6.": "Выполняется", "3.7.": "Выполнено частично"}
    summary = next(p for p in body_paragraphs(document) if p.startswith("Наступил срок"))
    assert summary == ("Наступил срок исполнения по 21 сроку: выполнено в срок — 17 (81,0 %), с нарушением срока — 1, "
                       "не выполнено — 3; отменено — 1.")


def test_every_mark_of_the_leningrad_report_as_of_the_first_of_october(docx_outputs):
    """The technical specification's items, then the decree's clauses with a deadline."""
    assert _marks(report(docx_outputs, "leningrad-2020")) == {
        "2.1.": "Выполнено", "2.2.": "Выполнено", "2.3.": "Выполнено", "2.4.": "Выполняется", "2.5.": "Выполнено",
        "2.6.": "Выполнено с нарушением срока", "2.7.": "Выполнено частично", "2.8.": "Выполнено",
        "2.9.": "Выполняется", "2.10.": "Выполняется", "2.11.": "Срок не наступил", "2.12.": "Срок не наступил",
        "2.13.": "Срок не наступил", "5.1.": "Выполнено", "5.2.": "Срок не наступил"}


def test_the_report_of_a_municipal_programme_without_a_decree(docx_outputs):
    """lipetsk-district-2021: a programme document without a decree — its plan's sections, the marks as of
    01.10.2021, the indicators of its groups against their 2021 targets, and no signature (the programme names no
    one)."""
    document = report(docx_outputs, "lipetsk-district-2021")
    paragraphs = body_paragraphs(document)
    assert paragraphs[1].startswith("о ходе реализации плана по реализации муниципальной программы")
    assert paragraphs[1].endswith("по состоянию на 01.10.2021")
    marks = _marks(document)
    # numbered as the plan is published: «1.1», no closing dot
    assert {number: marks[number] for number in ("1.1", "1.2", "1.4", "1.5", "1.6", "1.7", "3.1", "3.6")} == {
        "1.1": "Выполнено", "1.2": "Выполнено с нарушением срока", "1.4": "Выполняется", "1.5": "Отменено",
        "1.6": "Не выполнено", "1.7": "Выполняется", "3.1": "Выполняется", "3.6": "Выполняется"}
    assert len(marks) == 19
    summary = next(p for p in paragraphs if p.startswith("Наступил срок"))
    assert summary == ("Наступил срок исполнения по 7 срокам: выполнено в срок — 5 (71,4 %), с нарушением срока — 1, "
                       "не выполнено — 1; отменено — 1.")
    indicators = table_rows(document.tables[1])
    assert [row[3:6] for row in indicators[1:]] == [["59", "50", "84,7"], ["25", "—", "—"], ["90", "83", "92,2"],
                                                    ["60", "—", "—"], ["50", "—", "—"]]
    assert len(document.tables) == 2                 # the activities and the indicators: no signature table
