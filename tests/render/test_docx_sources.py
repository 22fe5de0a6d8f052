"""Everything the published documents list is in the rendered ones.

Each source in shared/sources is the text of a published document. Every cell of its
tables (activities, owners, deadlines, results, budget lines, indicators) — and, for
the technical specification, every requirement and work item — must appear in the
text of the rendered decree-with-appendices. Both texts are normalised the same way:
HTML left over from the conversion dropped, lower case, «ё» as «е», anything but
letters and digits as a space. So punctuation, quotes, dashes and list markers, which
the specs write uniformly, do not count; words and figures do.

Where a source was corrected in the spec, the programme's README.md lists the
correction; KNOWN_DIFFERENCES below maps the published wording to the corrected one,
with the README item — nothing else may differ.
"""

from __future__ import annotations

import re

import pytest
from docx_reading import DECREE_FILES, REPO, all_paragraphs, open_docx

SOURCES = REPO.parent / "shared" / "sources"

KNOWN_DIFFERENCES: dict[str, list[tuple[str, str, str]]] = {
    "lipetsk-2022": [
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
        ("резильетных", "резильентных", "README 14: typo"),
        ("формат А 4.", "формат А4).", "README 22: unclosed bracket"),
        ("14кегль", "14 кегль", "README 23: missing space"),
        ("формат А4, кегль 1,5;", "формат А4, кегль 14, межстрочный интервал 1,5", "README 16: lost words"),
        ("март – 2020;", "март 2020 года", "README 20: the form of the deadline"),
        ("сетевых проектов - май, июнь 2020 года", "сетевых проектов\tмай, июнь 2020 года",
         "README 25: the deadline of 2.7 stood after its last work item"),
        # README 26: the webinar names stood in paragraphs of their own after the deadline
        ("2 вебинаров - ноябрь 2020 года.", "2 вебинаров\tноябрь 2020 года", "README 26: webinar names in the text"),
    ],
    "lysva-2021": [
        ("по вопросам совершенствованию условий", "по вопросам совершенствования условий", "README 6: grammar"),
    ],
}


def normalise(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text).lower().replace("ё", "е")
    return re.sub(r"[^\w]+|_", " ", text).strip()


def _technical_specification(source: str) -> list[str]:
    """Lines of the technical specification: requirements 2.1–2.13, their work items, sections 1–5."""
    start = source.index("1. Наименование мероприятия")
    end = source.index("5. Размер финансирования")
    body = source[start:source.index("\n", end)]
    return [line for line in body.splitlines() if line.strip()]


def source_fragments(programme: str) -> list[str]:
    source = (SOURCES / f"{programme}.txt").read_text(encoding="utf-8")
    for published, corrected, _reason in KNOWN_DIFFERENCES[programme]:
        assert published in source, f"{programme}: «{published}» is no longer in the source"
        source = source.replace(published, corrected)
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
    for programme, differences in KNOWN_DIFFERENCES.items():
        readme = (REPO / "specs" / programme / "README.md").read_text(encoding="utf-8")
        for published, _corrected, reason in differences:
            item = re.match(r"README (\d+)", reason).group(1)
            assert re.search(rf"^\s*{item}\. ", readme, re.M), f"{programme}: README has no item {item} ({published})"
