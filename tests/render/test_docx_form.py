"""The official form (ГОСТ Р 7.0.97-2016 and the gost-2025 profile): page setup, fonts, tables, page numbers."""

from __future__ import annotations

import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx_reading import APPENDIX_FILES, DECREE_FILES, build_with_epoch, open_docx

# A4 in twips, margins left 30 mm, right 10 mm, top and bottom 20 mm.
A4_SHORT, A4_LONG = "11906", "16838"
MARGINS = {"left": "1701", "right": "567", "top": "1134", "bottom": "1134"}
ORIENTATIONS = {
    "lipetsk-2022": ["portrait", "landscape", "portrait"],      # decree, plan-schedule (wide), budget
    "leningrad-2020": ["portrait", "portrait", "portrait"],     # decree, technical specification, indicators
    "lysva-2021": ["portrait", "landscape"],                    # decree, roadmap (wide)
}


def _page(section) -> tuple[str, str, str | None]:
    size = section._sectPr.find(qn("w:pgSz"))
    return size.get(qn("w:w")), size.get(qn("w:h")), size.get(qn("w:orient"))


@pytest.mark.parametrize("programme", list(ORIENTATIONS))
def test_sections_orientation_size_and_margins(docx_outputs, programme):
    document = open_docx(docx_outputs / programme / DECREE_FILES[programme])
    assert len(document.sections) == len(ORIENTATIONS[programme])
    for section, orientation in zip(document.sections, ORIENTATIONS[programme], strict=True):
        width, height, orient = _page(section)
        if orientation == "landscape":
            assert (width, height, orient) == (A4_LONG, A4_SHORT, "landscape")
            assert section.orientation == WD_ORIENT.LANDSCAPE
        else:
            assert (width, height) == (A4_SHORT, A4_LONG) and orient in (None, "portrait")
        margins = section._sectPr.find(qn("w:pgMar"))
        assert {side: margins.get(qn(f"w:{side}")) for side in MARGINS} == MARGINS


@pytest.mark.parametrize("programme", list(APPENDIX_FILES))
def test_each_appendix_file_has_its_own_orientation(docx_outputs, programme):
    for kind, name in APPENDIX_FILES[programme].items():
        sections = open_docx(docx_outputs / programme / name).sections
        assert len(sections) == 1
        expected = "landscape" if kind == "roadmap" else "portrait"
        assert (sections[0].orientation == WD_ORIENT.LANDSCAPE) == (expected == "landscape"), name
        margins = sections[0]._sectPr.find(qn("w:pgMar"))
        assert {side: margins.get(qn(f"w:{side}")) for side in MARGINS} == MARGINS


def _effective(style, attribute: str):
    """A font or paragraph property as the chain of base styles gives it."""
    while style is not None:
        owner = style.font if attribute in ("size", "name") else style.paragraph_format
        if getattr(owner, attribute) is not None:
            return getattr(owner, attribute)
        style = style.base_style
    return None


@pytest.mark.parametrize("programme", list(DECREE_FILES))
def test_fonts_sizes_alignment_indent_and_spacing(docx_outputs, programme):
    document = open_docx(docx_outputs / programme / DECREE_FILES[programme])
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:ascii")) == "Times New Roman"
    assert defaults.find(qn("w:rFonts")).get(qn("w:cs")) == "Times New Roman"
    for name in ("Normal", "Преамбула", "Пункт"):
        style = document.styles[name]
        assert _effective(style, "size") == Pt(14), name
        assert _effective(style, "name") == "Times New Roman", name
        assert _effective(style, "alignment") == WD_ALIGN_PARAGRAPH.JUSTIFY, name
        assert abs(_effective(style, "first_line_indent") - Cm(1.25)) < Cm(0.01), name
        assert 1.0 <= _effective(style, "line_spacing") <= 1.5, name
    for name in ("Текст таблицы", "Шапка таблицы", "Текст таблицы по центру", "Сумма в таблице", "Итог таблицы"):
        assert _effective(document.styles[name], "size") == Pt(12), name
    clause_styles = {p.style.name for p in document.sections[0].iter_inner_content()
                     if hasattr(p, "text") and p.text[:2] in ("1.", "2.")}
    assert clause_styles == {"Пункт"}


def _tables_with_heading(document):
    return [t for t in document.tables if t.style is not None and t.style.name == "Таблица документа"]


@pytest.mark.parametrize("programme", list(DECREE_FILES))
def test_header_row_repeats_and_rows_never_split(docx_outputs, programme):
    tables = _tables_with_heading(open_docx(docx_outputs / programme / DECREE_FILES[programme]))
    assert len(tables) == len(APPENDIX_FILES[programme]) - (1 if programme == "leningrad-2020" else 0)
    for table in tables:
        rows = table.rows
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
        assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])


def _has_page_field(header) -> bool:
    return any("PAGE" in (text.text or "") for text in header._element.iter(qn("w:instrText")))


@pytest.mark.parametrize("programme", list(DECREE_FILES))
def test_page_numbers_from_page_two_centred_in_the_top_margin(docx_outputs, programme):
    document = open_docx(docx_outputs / programme / DECREE_FILES[programme])
    first = document.sections[0]
    assert first.different_first_page_header_footer
    assert _has_page_field(first.header)
    assert first.header.paragraphs[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert not _has_page_field(first.first_page_header)
    for appendix in document.sections[1:]:
        # each appendix: numbered anew, no number on its first page, the decree's header inherited
        assert appendix.different_first_page_header_footer
        assert appendix._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
        assert appendix.header.is_linked_to_previous
    for name in APPENDIX_FILES[programme].values():
        section = open_docx(docx_outputs / programme / name).sections[0]
        assert section.different_first_page_header_footer and _has_page_field(section.header)


def _corner_widths_cm(document) -> set[float]:
    """Width of the corner block (text width less its indent), in cm to 0.01 (Word stores twips)."""
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    return {round((text_width - p.paragraph_format.left_indent) / Cm(1), 2) for p in document.paragraphs
            if p.style.name in ("Отметка о приложении", "Гриф утверждения")}


@pytest.mark.parametrize("programme", list(APPENDIX_FILES))
def test_corner_requisites_are_a_7_5_cm_block_at_the_right(docx_outputs, programme):
    for name in APPENDIX_FILES[programme].values():
        assert _corner_widths_cm(open_docx(docx_outputs / programme / name)) == {7.5}, name


def test_gost_2025_profile_and_programme_font(tmp_path, copy_programme, replace_in):
    folder = copy_programme(tmp_path, "lipetsk-2022")
    replace_in(folder / "programme.yaml", "  timezone: Europe/Moscow",
               "  timezone: Europe/Moscow\n  profile: gost-2025\n  font: PT Serif")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    assert not report.failed, [d.message for d in report.all_diagnostics]
    budget = open_docx(tmp_path / "out" / "lipetsk-2022" / APPENDIX_FILES["lipetsk-2022"]["budget"])
    assert _corner_widths_cm(budget) == {8.0}       # up to 8 cm by ГОСТ Р 7.0.97-2025
    fonts = {element.get(qn("w:ascii")) for element in budget.styles.element.iter(qn("w:rFonts"))}
    assert fonts == {"PT Serif"}


@pytest.mark.parametrize("programme", list(DECREE_FILES))
def test_the_signature_stays_with_the_last_clause(docx_outputs, exported, programme):
    """ГОСТ Р 7.0.97-2016: the signature is never alone on a page — the last clause keeps with it, its row whole."""
    blocks = list(open_docx(docx_outputs / programme / DECREE_FILES[programme]).sections[0].iter_inner_content())
    signature = next(index for index, block in enumerate(blocks) if not hasattr(block, "text"))    # the first table
    last_clause = blocks[signature - 1]
    last_number = exported[programme]["decree"]["clauses"][-1]["number"]
    assert last_clause.text.startswith(f"{last_number}. "), last_clause.text
    assert last_clause.style.name == "Последний пункт"
    assert _effective(last_clause.style, "keep_with_next") is True
    assert [block.style.name for block in blocks[:signature] if hasattr(block, "style") and block.style.name.endswith(
        "пункт")] == ["Последний пункт"]
    assert _effective(blocks[signature - 2].style, "keep_with_next") is not True     # the other clauses flow freely
    assert blocks[signature].rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_the_performer_mark_under_the_signature_in_a_smaller_type(tmp_path, copy_programme, replace_in, docx_outputs):
    """ГОСТ Р 7.0.97-2016, 5.25: the performer's name and telephone below the signature, at the left, smaller; a decree
    without `performer` prints none (the bundled ones)."""
    folder = copy_programme(tmp_path, "leningrad-2020")
    replace_in(folder / "decree.yaml", "  signatory: ogarkov", "  signatory: ogarkov\n"
               "  performer: [Смирнова Ольга Игоревна, (383) 238-10-27]")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    assert not report.failed, [d.message for d in report.all_diagnostics]
    blocks = list(open_docx(tmp_path / "out" / "leningrad-2020" / DECREE_FILES["leningrad-2020"])
                  .sections[0].iter_inner_content())
    signature = next(index for index, block in enumerate(blocks) if not hasattr(block, "text"))
    after = [block for block in blocks[signature + 1:] if hasattr(block, "text")]
    performer = [block for block in after if block.style.name == "Отметка об исполнителе" and block.text]
    assert [block.text for block in performer] == ["Смирнова Ольга Игоревна", "(383) 238-10-27"]
    assert all(block.alignment in (None, WD_ALIGN_PARAGRAPH.LEFT) for block in performer)
    assert _effective(performer[0].style, "size") == Pt(10)
    for programme, decree in DECREE_FILES.items():
        bundled = open_docx(docx_outputs / programme / decree)
        assert not [p.text for p in bundled.paragraphs if p.style.name == "Отметка об исполнителе" and p.text], programme
