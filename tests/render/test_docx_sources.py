"""The rendered documents say what the published ones say: nothing missing, nothing added.

Each source in shared/sources is the text of a published document. Both directions are read:

* every cell of its tables (activities, owners, deadlines, results, budget lines, indicators)
  — and, for the technical specification, every requirement and work item — appears in the
  text of the rendered decree-with-appendices;
* every paragraph of the rendered document (body and table cells) appears in the source: the
  engine adds no words — no «Ежегодно, …» before a deadline, no year the source does not
  write, no sum in words, no stamp where the source has none.

Both texts are normalised the same way: HTML left over from the conversion dropped, lower
case, «ё» as «е», anything but letters and digits as a space. So punctuation, quotes, dashes
and list markers do not count; words and figures do. A table row that a page break cut in
two in the source (its rest in a row with an empty first cell after the page's end) is read
whole, as the document reads.

Where a source was corrected in the spec, the programme's README.md lists the correction;
KNOWN_DIFFERENCES below maps the published wording to the corrected one, with the README
item, and ADDED lists the paragraphs the spec prints that the source has not (computed
requisites where the source printed none or a wrong one), each with its README item —
nothing else may differ.
"""

from __future__ import annotations

import re

import pytest
from docx_reading import DECREE_FILES, REPO, all_paragraphs, open_docx

SOURCES = REPO.parent / "shared" / "sources"

KNOWN_DIFFERENCES: dict[str, list[tuple[str, str, str]]] = {
    "lipetsk-2022": [
        ("\t90 000\n", "\t90 000,00\n", "README 3: the same amount in the form of the others"),
        ("областное качественное учреждение", "областное казённое учреждение", "README 15: a guess, marked as one"),
        ("30 0000, 00", "300 000,00", "README 1: only 300 000,00 gives the total 1 900 000,00"),
        ("програм/проектов", "программ/проектов", "README 12: typo"),
        ("в с ложных", "в сложных", "README 13: typo"),
        ("образования сайте МОУО", "образования на сайте МОУО", "README 14: missing preposition"),
        ("ГАУ ДПО ЛО «ИРО»", "ГАУДПО ЛО «ИРО»", "README 17: the short name as in the glossary"),
        ("В соответствии и календарными", "В соответствии с календарными", "README 11: typo"),
        ("(наименование и организации)", "(наименование организации)", "README 20: heading typo in a repeated header"),
        # README 10: row 6 named ГАУДПО ЛО «ИРО» twice; now each owner beside its own results,
        # so the published cells fall apart into the owner's and ЦМОКО's parts
        ("«ИРО» ГАУДПО ЛО «ИРО» ЦМОКО", "«ИРО»\tЦМОКО", "README 10: owner named twice"),
        ("повышение квалификации по запросу ОО. проведение диагностики",
         "повышение квалификации по запросу ОО.\tпроведение диагностики", "README 10: ЦМОКО's results in its own row"),
    ],
    "leningrad-2020": [
        ("«03» 02 2020 года № 178-р", "03.02.2020 № 178-р", "README 2: the date requisite in its ГОСТ form"),
        ("от 14 ноября 2013 г. № 398", "от 14 ноября 2013 года № 398", "README 7: the date as of the other acts"),
        ("Утверждено\nраспоряжением комитета общего\nи профессионального образования\nЛенинградской области\n"
         "от «03» 02 2020 года № 138-р",
         "УТВЕРЖДЕНЫ\nраспоряжением комитета общего и профессионального образования Ленинградской области "
         "от 03.02.2020 № 178-р", "README 11: the stamp computed from the decree (it named № 138-р)"),
        ("резильетных", "резильентных", "README 14: typo"),
        ("формат А 4.", "формат А4).", "README 22: unclosed bracket"),
        ("14кегль", "14 кегль", "README 23: missing space"),
        ("формат А4, кегль 1,5;", "формат А4, кегль 14, межстрочный интервал 1,5",
         "README 16: lost words — a guess, marked as one"),
        ("сетевых проектов - май, июнь 2020 года", "сетевых проектов\tмай, июнь 2020 года",
         "README 25: the deadline of 2.7 stood after its last work item"),
        # README 26: the webinar names stood in paragraphs of their own after the deadline
        ("2 вебинаров - ноябрь 2020 года.", "2 вебинаров\tноябрь 2020 года", "README 26: webinar names in the text"),
    ],
    "lysva-2021": [
        ("П Р И К А З", "ПРИКАЗ", "layout: the letters of the document kind are spaced by its style, not typed apart"),
        ("по вопросам совершенствованию условий", "по вопросам совершенствования условий", "README 6: grammar"),
        ("Вороновой Т.Г., консультанту", "Т.Г. Вороновой, консультанту", "README 8: initials before the surname"),
    ],
    "lipetsk-district-2021": [],       # its corrections: tests/sources/test_district.py, CELL_CORRECTIONS
}

# Paragraphs of the rendered decree-with-appendices that the source does not print, as the spec means them to be.
ADDED: dict[str, list[tuple[str, str]]] = {
    "lipetsk-2022": [
        ("«___» __________ 2022 г.\t№ 266", "README 7: the illegible date is not invented, room is left for it"),
        ("к приказу управления образования и науки Липецкой области от «___» __________ 2022 г. № 266",
         "README 8: the marks are computed from the decree (the source's name another title)"),
    ],
    "leningrad-2020": [
        ("Приложение № 1", "README 30: the technical specification's mark and stamp are computed"),
        ("УТВЕРЖДЕНО", "README 30"),
        ("к распоряжению комитета общего и профессионального образования Ленинградской области от 03.02.2020 № 178-р",
         "README 30"),
        ("2.7. Разработка региональной инновационной программы «Сетевое наставничество", "README 25: each "
         "requirement ends with its deadline; the source wrote 2.7's after its last work item"),
        ("2.13. Подготовка и проведение 2 вебинаров:", "README 26: the webinar names in the text of 2.13"),
    ],
    "lysva-2021": [],
    "lipetsk-district-2021": [],
}
# the programme document's quoted names are read here too; its table cells and words: tests/sources/test_district.py
MAIN_DOCUMENTS = {**DECREE_FILES, "lipetsk-district-2021": "munitsipalnaya-programma.docx"}


def normalise(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text).lower().replace("ё", "е")
    return re.sub(r"[^\w]+|_", " ", text).strip()


def _technical_specification(source: str) -> list[str]:
    """Lines of the technical specification: requirements 2.1–2.13, their work items, sections 1–5."""
    start = source.index("1. Наименование мероприятия")
    end = source.index("5. Размер финансирования")
    body = source[start:source.index("\n", end)]
    return [line for line in body.splitlines() if line.strip()]


def rejoin_page_breaks(source: str) -> str:
    """A table row cut by a page break goes on after a blank line (and the repeated table header) in a row whose
    first cell is empty: each of its cells is glued to the cell above, as the document reads. A row with an empty
    first cell right under its row is another owner of the same activity (lipetsk row 1), not a continuation."""
    lines: list[str] = []
    last_row: int | None = None
    after_break = False
    for line in source.split("\n"):
        cells = line.split("\t")
        if not line.strip():
            after_break = True
        elif len(cells) > 1 and cells[0] == "" and after_break and last_row is not None:
            above = lines[last_row].split("\t")
            above += [""] * (len(cells) - len(above))
            lines[last_row] = "\t".join(f"{top} {rest}".strip() if rest.strip() else top
                                        for top, rest in zip(above, cells + [""] * (len(above) - len(cells)), strict=True))
            after_break = False
            continue
        elif not line.startswith("№ п/п"):                # a repeated header row keeps the break open
            after_break = False
            if len(cells) > 1:
                last_row = len(lines)
        lines.append(line)
    return "\n".join(lines)


def corrected_source(programme: str) -> str:
    """The source as the spec encodes it: page breaks rejoined, each documented correction applied."""
    source = rejoin_page_breaks((SOURCES / f"{programme}.txt").read_text(encoding="utf-8"))
    for published, corrected, _reason in KNOWN_DIFFERENCES[programme]:
        assert published in source, f"{programme}: «{published}» is no longer in the source"
        source = source.replace(published, corrected)
    return source


def source_fragments(programme: str) -> list[str]:
    source = corrected_source(programme)
    lines = [line for line in source.splitlines() if "\t" in line]           # table rows
    if programme == "leningrad-2020":
        lines += _technical_specification(source)
    cells = [cell for line in lines for cell in line.split("\t")]
    return [normalise(cell) for cell in cells if normalise(cell)]


@pytest.mark.parametrize("programme", list(DECREE_FILES))
def test_every_table_cell_of_the_source_appears_in_the_rendered_document(docx_outputs, programme):
    rendered = normalise(" ".join(all_paragraphs(open_docx(docx_outputs / programme / DECREE_FILES[programme]))))
    fragments = source_fragments(programme)
    missing = [fragment for fragment in fragments if fragment not in rendered]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("programme", list(DECREE_FILES))
def test_the_rendered_document_adds_no_words_to_the_source(docx_outputs, programme):
    """Every paragraph printed is the source's — but for the spec's documented additions (ADDED)."""
    source = f" {normalise(corrected_source(programme))} "
    added = {normalise(paragraph): reason for paragraph, reason in ADDED[programme]}
    paragraphs = all_paragraphs(open_docx(docx_outputs / programme / DECREE_FILES[programme]))
    printed = {normalise(paragraph): paragraph for paragraph in paragraphs if normalise(paragraph)}
    extra = [paragraph for text, paragraph in printed.items()
             if f" {text} " not in source and not any(text.startswith(allowed) for allowed in added)]
    assert not extra, "\n".join(extra)
    for allowed, reason in added.items():           # each addition is still printed, and still not in the source
        matching = [text for text in printed if text.startswith(allowed)]
        assert matching, f"{programme}: «{allowed}» is no longer printed"
        assert any(f" {text} " not in source for text in matching), f"{programme}: «{allowed}» is the source's: {reason}"


@pytest.mark.parametrize("programme, rows", [("lipetsk-2022", 13), ("leningrad-2020", 13), ("lysva-2021", 18)])
def test_as_many_numbered_rows_as_the_source(docx_outputs, programme, rows):
    """A published row is not merged into another: the rendered tables have every row number of the source."""
    source = (SOURCES / f"{programme}.txt").read_text(encoding="utf-8")
    published = {match.group(1).rstrip(".") for match in re.finditer(r"^(\d+(?:\.\d+)*\.?)\t", source, re.M)}
    document = open_docx(docx_outputs / programme / DECREE_FILES[programme])
    rendered = {row.cells[0].text.rstrip(".") for table in document.tables for row in table.rows}
    assert len(published) == rows
    assert published <= rendered


def test_known_differences_are_documented_in_the_readmes():
    for programme in KNOWN_DIFFERENCES:
        readme = (REPO / "specs" / programme / "README.md").read_text(encoding="utf-8")
        reasons = [(published, reason) for published, _corrected, reason in KNOWN_DIFFERENCES[programme]]
        for published, reason in reasons + ADDED[programme]:
            if reason.startswith("layout:"):        # how the template lays a text out, not a change of the text
                continue
            item = re.match(r"README (\d+)", reason).group(1)
            assert re.search(rf"^\s*{item}\. ", readme, re.M), f"{programme}: README has no item {item} ({published})"


def test_a_page_break_in_a_source_row_is_read_as_one_row():
    cut = "1.\tАнализ\tУО\tМарт\tОтчёт\n2.\tСбор\tУО\tАпрель\tСправка по\n\n№ п/п\tМероприятие\n\t\t\t\tшколам\n"
    assert rejoin_page_breaks(cut).split("\n")[1] == "2.\tСбор\tУО\tАпрель\tСправка по школам"
    owners = "1.\tФорма\tУОиН\tПриказ\n\t\tИРО\tПриказ ИРО\n"       # another owner of row 1: kept apart
    assert rejoin_page_breaks(owners) == owners


# Quoted names of the source that the rendered documents do not print, each with its README item.
UNPRINTED_NAMES: dict[str, list[tuple[str, str]]] = {
    "lipetsk-2022": [("«О реализации мероприятия 21 «Повышение", "README 8: the mark of appendix 2 named the decree by "
                                                                   "another title; marks are computed from the decree")],
    "leningrad-2020": [],
    "lysva-2021": [],
    "lipetsk-district-2021": [],
}


def quoted_names(text: str) -> list[str]:
    """Every «…» that its line closes, nested ones too: «Об областном бюджете …» inside an act's title whose outer
    quote the source never closed (leningrad README 6) is still a name of its own."""
    names = []
    for line in re.split(r"[\n\t]", text):
        opened: list[int] = []
        for index, char in enumerate(line):
            if char == "«":
                opened.append(index)
            elif char == "»" and opened:
                names.append(line[opened.pop():index + 1])
    return names


@pytest.mark.parametrize("programme, count", [("lipetsk-2022", 6), ("leningrad-2020", 15), ("lysva-2021", 3),
                                              ("lipetsk-district-2021", 8)])
def test_quoted_names_are_printed_as_published(docx_outputs, programme, count):
    """A name in quotes — of a programme, an event, an act, a council — is printed verbatim even where it looks wrong
    («… путем реализации региональных проектов и распространение их результатов»): a spec that «corrects» one fails
    here. Only the names UNPRINTED_NAMES lists with their README items are not printed."""
    paragraphs = all_paragraphs(open_docx(docx_outputs / programme / MAIN_DOCUMENTS[programme]))
    rendered = f" {normalise(' '.join(paragraphs))} "
    names = {name for name in quoted_names(corrected_source(programme)) if " " in name.strip("«»")}
    assert len(names) == count
    unprinted = [prefix for prefix, _reason in UNPRINTED_NAMES[programme]]
    missing = [name for name in names if f" {normalise(name)} " not in rendered]
    assert sorted(missing) == sorted(name for name in names if name.startswith(tuple(unprinted))), "\n".join(missing)


def test_a_guessed_correction_is_marked_as_a_guess_in_its_readme_item():
    """A correction the source does not prove says so — «предположение» — in the README item that lists it."""
    guesses = 0
    for programme, differences in KNOWN_DIFFERENCES.items():
        readme = (REPO / "specs" / programme / "README.md").read_text(encoding="utf-8")
        for _published, _corrected, reason in differences:
            if "a guess" in reason:
                item = re.match(r"README (\d+)", reason).group(1)
                text = re.search(rf"^\s*{item}\. (.*?)(?=^\s*\d+\. |^#|\Z)", readme, re.M | re.S).group(1)
                assert "предположение" in text.lower(), f"{programme}: README {item}"
                guesses += 1
    assert guesses == 2          # lipetsk 15 (ЦМОКО «казённое»), leningrad 16 («кегль 14, межстрочный интервал»)
