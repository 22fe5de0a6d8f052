"""Generate the bundled DOCX templates in templates/ (docxtpl + python-docx).

    .venv/bin/python tools/make_templates.py            # rewrite templates/*.docx
    .venv/bin/python tools/make_templates.py --check    # exit 1 if a committed template differs

The templates are ordinary Word files: the official form lives in their page setup
and named styles (ГОСТ Р 7.0.97-2016: A4, margins 30/10/20/20 mm, 14 pt text, 12 pt
tables, justified, first-line indent 1.25 cm), the content in Jinja tags that
docxtpl fills in (`{%p for %}` paragraphs, `{%tr for %}` table rows). Staff may open
a template in Word and restyle it; a programme may also point at its own copy
(`programme.templates` in the spec). This script is the source of the bundled
ones: a test checks that the committed files are exactly what it produces.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, Twips

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.formats import NBSP
from engine.render.docx import styles as S
from engine.render.docx.form import keep_row_whole, name_font
from engine.render.docx.package import save_reproducibly
from engine.render.docx.templates import BUNDLED

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
# Templates do not depend on any build: a fixed date keeps their bytes stable.
TEMPLATE_TIME = dt.datetime(2025, 8, 18, tzinfo=dt.UTC)

LEFT, CENTER, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER,
                                WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY)
TEXT_LINE_SPACING = 1.15     # ГОСТ: 1–1.5
PORTRAIT_TEXT_WIDTH = S.PAGE_WIDTH - S.MARGIN_LEFT - S.MARGIN_RIGHT
LANDSCAPE_TEXT_WIDTH = S.PAGE_HEIGHT - S.MARGIN_LEFT - S.MARGIN_RIGHT


# Word reads properties only in schema order: what may follow <w:spacing> inside <w:rPr>.
_AFTER_CHARACTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
                            "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
                            "w:eastAsianLayout", "w:specVanish", "w:oMath")


@dataclass(frozen=True)
class ParagraphStyle:
    style_id: str
    name: str
    align: WD_ALIGN_PARAGRAPH = LEFT
    size: int = S.TEXT_SIZE_PT
    bold: bool = False
    indent: bool = False           # first-line indent 1.25 cm
    before: int = 0                # spacing before, pt
    after: int = 0
    line: float = TEXT_LINE_SPACING
    letter_spacing: int = 0        # pt, for «П Р И К А З»-style kind of document
    keep_with_next: bool = False
    left: float = 0                # left / right indent of the whole paragraph, cm
    right: float = 0


PARAGRAPH_STYLES = [
    ParagraphStyle("PrikazAuthorityName", "Наименование органа", CENTER, bold=True, line=1.0),
    ParagraphStyle("PrikazDocumentKind", "Вид документа", CENTER, size=16, bold=True, before=18, after=6, letter_spacing=3),
    ParagraphStyle("PrikazIssuerLine", "Должность издающего", CENTER, bold=True, line=1.0, after=6),
    ParagraphStyle("PrikazDateNumber", "Дата и номер", LEFT, before=12),
    ParagraphStyle("PrikazPlaceOfIssue", "Место издания", CENTER, before=6),
    ParagraphStyle("PrikazTextHeading", "Заголовок к тексту", CENTER, bold=True, before=18, after=12, line=1.0,
                   keep_with_next=True),
    ParagraphStyle("PrikazPreamble", "Преамбула", JUSTIFY, indent=True),
    ParagraphStyle("PrikazOrderWord", "Распорядительное слово", LEFT, before=6, after=6, keep_with_next=True),
    ParagraphStyle("PrikazClause", "Пункт", JUSTIFY, indent=True),
    # ГОСТ Р 7.0.97-2016: the signature is never alone on a page — the last clause keeps with it
    ParagraphStyle("PrikazLastClause", "Последний пункт", JUSTIFY, indent=True, keep_with_next=True),
    ParagraphStyle("PrikazSignature", "Подпись: должность", LEFT, before=42, line=1.0),
    ParagraphStyle("PrikazSignatureName", "Подпись: инициалы и фамилия", RIGHT, line=1.0),
    # ГОСТ Р 7.0.97-2016, 5.25: the performer's name and telephone at the bottom left, in a smaller type
    ParagraphStyle("PrikazPerformer", "Отметка об исполнителе", LEFT, size=10, line=1.0),
    ParagraphStyle("PrikazCornerRequisite", S.CORNER, LEFT, line=1.0),
    ParagraphStyle("PrikazStampWord", S.STAMP_WORD, LEFT, before=12, line=1.0),
    ParagraphStyle("PrikazAppendixTitle", "Заголовок приложения", CENTER, bold=True, before=24, line=1.0, keep_with_next=True),
    ParagraphStyle("PrikazAppendixSubtitle", "Подзаголовок приложения", CENTER, bold=True, after=12, line=1.0,
                   keep_with_next=True),
    ParagraphStyle("PrikazBodyText", "Текст документа", JUSTIFY, indent=True),
    ParagraphStyle("PrikazSectionHeading", S.SECTION_HEADING, CENTER, bold=True, before=12, after=6, line=1.0,
                   keep_with_next=True),
    ParagraphStyle("PrikazSubsectionHeading", S.SUBSECTION_HEADING, JUSTIFY, bold=True, indent=True, before=6, after=6,
                   keep_with_next=True),
    ParagraphStyle("PrikazHeading", S.HEADING, CENTER, bold=True, before=6, after=6, line=1.0, keep_with_next=True),
    ParagraphStyle("PrikazListItem", S.LIST_ITEM, JUSTIFY, indent=True),
    ParagraphStyle("PrikazNestedListItem", S.NESTED_LIST_ITEM, JUSTIFY, indent=True, left=1.25),
    ParagraphStyle("PrikazGlossaryEntry", "Перечень сокращений", JUSTIFY, indent=True),
    ParagraphStyle("PrikazTableHeading", S.TABLE_HEADING, CENTER, size=S.TABLE_SIZE_PT, bold=True, line=1.0),
    ParagraphStyle("PrikazTableText", S.TABLE_TEXT, LEFT, size=S.TABLE_SIZE_PT, line=1.0),
    ParagraphStyle("PrikazTableCentered", S.TABLE_CENTERED, CENTER, size=S.TABLE_SIZE_PT, line=1.0),
    ParagraphStyle("PrikazTableSection", S.TABLE_SECTION, LEFT, size=S.TABLE_SIZE_PT, bold=True, line=1.0),
    ParagraphStyle("PrikazTableAmount", S.TABLE_AMOUNT, RIGHT, size=S.TABLE_SIZE_PT, line=1.0),
    # a part of a line («из них …») stands indented under it, so that the column visibly does not add it to the total
    ParagraphStyle("PrikazTablePart", S.TABLE_PART, LEFT, size=S.TABLE_SIZE_PT, line=1.0, left=1.0),
    ParagraphStyle("PrikazTablePartAmount", S.TABLE_PART_AMOUNT, RIGHT, size=S.TABLE_SIZE_PT, line=1.0, right=1.0),
    ParagraphStyle("PrikazTableTotal", S.TABLE_TOTAL, LEFT, size=S.TABLE_SIZE_PT, bold=True, line=1.0),
    ParagraphStyle("PrikazTableTotalAmount", S.TABLE_TOTAL_AMOUNT, RIGHT, size=S.TABLE_SIZE_PT, bold=True, line=1.0),
    ParagraphStyle("PrikazTableTotalCentered", S.TABLE_TOTAL_CENTERED, CENTER, size=S.TABLE_SIZE_PT, bold=True,
                   line=1.0),
    ParagraphStyle("PrikazTableCaption", S.TABLE_CAPTION, CENTER, bold=True, before=6, after=6, line=1.0,
                   keep_with_next=True),
]


def _document_defaults(document) -> None:
    """python-docx's template defaults to Calibri 11 pt, English, 10 pt after each paragraph: the official form instead."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    name_font(run, S.DEFAULT_FONT)
    for tag in ("w:sz", "w:szCs"):
        run.find(qn(tag)).set(qn("w:val"), str(S.TEXT_SIZE_PT * 2))
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        run.find(qn("w:lang")).set(qn(attribute), "ru-RU")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    for attribute, value in (("w:after", "0"), ("w:line", "240"), ("w:lineRule", "auto")):
        spacing.set(qn(attribute), value)


def _apply(style, spec: ParagraphStyle) -> None:
    font = style.font
    font.size = Pt(spec.size)
    font.bold = spec.bold
    font.name = S.DEFAULT_FONT
    name_font(style.element.get_or_add_rPr(), S.DEFAULT_FONT)
    if spec.letter_spacing:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(spec.letter_spacing * 20))
        style.element.get_or_add_rPr().insert_element_before(spacing, *_AFTER_CHARACTER_SPACING)
    paragraph = style.paragraph_format
    paragraph.alignment = spec.align
    paragraph.first_line_indent = Cm(1.25) if spec.indent else Cm(0)
    paragraph.left_indent, paragraph.right_indent = Cm(spec.left), Cm(spec.right)
    paragraph.space_before, paragraph.space_after = Pt(spec.before), Pt(spec.after)
    paragraph.line_spacing = spec.line
    paragraph.widow_control = True
    paragraph.keep_with_next = spec.keep_with_next or None


def _table_style(document) -> None:
    style = document.styles.add_style(S.TABLE, WD_STYLE_TYPE.TABLE)
    style.style_id = "PrikazDocumentTable"
    style.base_style = document.styles["Normal Table"]
    style.quick_style = True
    borders = "".join(f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    style.element.append(parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'))


def _styles(document) -> None:
    _document_defaults(document)
    normal = document.styles["Normal"]
    _apply(normal, ParagraphStyle("Normal", "Normal", JUSTIFY, indent=True))
    for spec in PARAGRAPH_STYLES:
        style = document.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = spec.style_id
        style.base_style = normal
        style.quick_style = True
        _apply(style, spec)
    header = document.styles["Header"]
    _apply(header, ParagraphStyle("Header", "Header", CENTER, size=S.TABLE_SIZE_PT, line=1.0))
    _table_style(document)


def _page_number(paragraph) -> None:
    """A PAGE field (Word and LibreOffice both update it on opening and printing)."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text


def _page_setup(document, landscape: bool) -> None:
    """A4, ГОСТ margins; page numbers centred in the top margin from page 2 (different first page)."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = ((S.PAGE_HEIGHT, S.PAGE_WIDTH) if landscape
                                               else (S.PAGE_WIDTH, S.PAGE_HEIGHT))
    section.left_margin, section.right_margin = S.MARGIN_LEFT, S.MARGIN_RIGHT
    section.top_margin, section.bottom_margin = S.MARGIN_TOP, S.MARGIN_BOTTOM
    section.header_distance = section.footer_distance = S.HEADER_DISTANCE
    section.gutter = Twips(0)
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    _page_number(header)


# Word 2013 and later lay a document out in their own mode only from compatibilityMode 15 on; python-docx's
# template says 14 (Word 2010), which Word 365 opens in «Режим совместимости».
WORD_2013_MODE = "15"


def _settings(document) -> None:
    """Word 2013+ layout mode, and no preview picture: Word would save a thumbnail of the template into it."""
    settings = document.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), WORD_2013_MODE)
    for preview in settings.findall(qn("w:savePreviewPicture")):
        settings.remove(preview)


def _new_document(landscape: bool = False):
    document = Document()
    _settings(document)
    _styles(document)
    _page_setup(document, landscape)
    body = document.element.body
    for paragraph in body.findall(qn("w:p")):      # python-docx's template starts with one empty paragraph
        body.remove(paragraph)
    return document


def _p(container, text: str, style: str):
    """A paragraph in a named style (by the style's visible name, as staff see it in Word)."""
    paragraph = container.add_paragraph(style=style)
    if text:
        paragraph.add_run(text)
    return paragraph


def _repeated(container, tag: str, body: list[tuple[str, str]], style: str) -> None:
    """{%p for …%} / {%p if …%}: the tag paragraph, the repeated paragraphs, the closing tag."""
    _p(container, "{%p " + tag + " %}", style)
    for text, paragraph_style in body:
        _p(container, text, paragraph_style)
    _p(container, "{%p end" + tag.split()[0] + " %}", style)


def _cell(cell, text: str, style: str, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    run = paragraph.add_run(text)
    if bold:
        run.bold = True


def _table(document, widths_cm: list[float], rows: list[tuple[list[tuple[str, str]], str]]):
    """A bordered table of fixed column widths; rows are ([(text, style) per cell], kind): a "header" row repeats on
    every page, a "long" one may break across pages, any other is kept whole."""
    table = document.add_table(rows=0, cols=len(widths_cm))
    table.style = S.TABLE
    table.autofit = False
    for index, width in enumerate(widths_cm):
        table.columns[index].width = Cm(width)
    for cells, kind in rows:
        row = table.add_row()
        for index, (text, style) in enumerate(cells):
            row.cells[index].width = Cm(widths_cm[index])
            _cell(row.cells[index], text, style)
        if kind != "long":      # a row of a report's long texts may break across pages rather than leave one empty
            keep_row_whole(row, header=kind == "header")
    return table


def _corner(document, name: str) -> None:
    """The appendix mark and, where the document is approved, the approval stamp, each where the spec prints it
    (`corner`): `name` is the context value that holds them (label, mark, mark_text, stamp, stamp_word, stamp_text;
    an appendix of a programme has no stamp)."""
    _repeated(document, f"if {name}.mark", [(f"{{{{ {name}.label }}}}", S.CORNER),
                                             (f"{{{{ {name}.mark_text }}}}", S.CORNER)], S.CORNER)
    _repeated(document, f"if {name}.stamp", [(f"{{{{ {name}.stamp_word }}}}", S.STAMP_WORD),
                                             (f"{{{{ {name}.stamp_text }}}}", S.CORNER)], S.CORNER)


def _corner_and_title(document) -> None:
    """Appendix mark and approval stamp top right (position computed at rendering), then the title."""
    _corner(document, "appendix")
    # «(в ред. приказа … от … № …)» once the appendix is amended
    _repeated(document, "if appendix.edition", [("{{ appendix.edition }}", S.CORNER)], S.CORNER)
    _p(document, "{{ appendix.title }}", "Заголовок приложения")
    _repeated(document, "if appendix.subtitle", [("{{ appendix.subtitle }}", "Подзаголовок приложения")],
              "Подзаголовок приложения")


def decree_template():
    document = _new_document()
    _repeated(document, "for line in decree.header", [("{{ line }}", "Наименование органа")], "Наименование органа")
    _p(document, "{{ decree.kind }}", "Вид документа")
    _repeated(document, "if decree.issuer_line", [("{{ decree.issuer_line }}", "Должность издающего")],
              "Должность издающего")
    date_line = _p(document, "{{ decree.date }}\t№" + NBSP + "{{ decree.number }}", "Дата и номер")
    date_line.paragraph_format.tab_stops.add_tab_stop(PORTRAIT_TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _repeated(document, "if decree.place", [("{{ decree.place }}", "Место издания")], "Место издания")
    _p(document, "{{ decree.title }}", "Заголовок к тексту")
    # «(в ред. приказа … от … № …)» once the decree is amended: centred under the title, as the place of issue
    _repeated(document, "if decree.edition", [("{{ decree.edition }}", "Место издания")], "Место издания")
    _p(document, "{{ decree.preamble }}", "Преамбула")
    _repeated(document, "if decree.order_word", [("{{ decree.order_word }}", "Распорядительное слово")],
              "Распорядительное слово")
    # a clause, or in an amending decree an item, a quoted paragraph (no number) or quoted rows of a table; the last
    # paragraph kept with the signature
    clause = "{% if clause.number %}{{ clause.number }} {% endif %}{{ clause.text }}"
    _repeated(document, "for clause in decree.clauses", [
        ("{%p if clause.table %}", "Пункт"), ("{{p clause.table }}", "Пункт"),
        ("{%p elif loop.last %}", "Пункт"), (clause, "Последний пункт"), ("{%p else %}", "Пункт"), (clause, "Пункт"),
        ("{%p endif %}", "Пункт")], "Пункт")
    _p(document, "{%p if decree.signature %}", "Подпись: должность")       # a draft names no signatory
    _signature_table(document, "{{ decree.signature.position }}", "{{ decree.signature.name }}")
    _p(document, "{%p endif %}", "Подпись: должность")
    _repeated(document, "if decree.performer", [
        ("", "Отметка об исполнителе"), ("", "Отметка об исполнителе"),   # ГОСТ: below the text, apart from it
        ("{%p for line in decree.performer %}", "Отметка об исполнителе"),
        ("{{ line }}", "Отметка об исполнителе"),
        ("{%p endfor %}", "Отметка об исполнителе")], "Отметка об исполнителе")
    return document


def roadmap_template():
    document = _new_document(landscape=True)
    _corner_and_title(document)
    _entries(document, "appendix.before")
    _repeated(document, "for entry in roadmap.glossary",
              [('{{ entry.short }} – {{ entry.full }}{{ "." if loop.last else "," }}', "Перечень сокращений")],
              "Перечень сокращений")
    # The table's columns and headings come from the spec (roadmap.columns), so it is built
    # in code from the styles above (see engine/render/docx/roadmap_table.py).
    _p(document, "{{p roadmap.table }}", "Текст документа")
    _entries(document, "appendix.after")
    return document


def budget_template():
    document = _new_document()
    _corner_and_title(document)
    _entries(document, "appendix.before")
    _table(document, [11.0, 6.0], [
        ([("{{ budget.columns[0] }}", S.TABLE_HEADING), ("{{ budget.columns[1] }}", S.TABLE_HEADING)], "header"),
        ([("{%tr for line in budget.rows %}", S.TABLE_TEXT), ("", S.TABLE_TEXT)], "tag"),
        ([("{{ line.title }}", S.TABLE_TEXT), ("{{ line.amount }}", S.TABLE_AMOUNT)], "row"),
        ([("{%tr endfor %}", S.TABLE_TEXT), ("", S.TABLE_TEXT)], "tag"),
        ([("Итого", S.TABLE_TOTAL), ("{{ budget.total }}", S.TABLE_TOTAL_AMOUNT)], "row"),
    ])
    line_cells = document.tables[0].rows[2].cells
    for cell, (part, whole) in zip(line_cells, ((S.TABLE_PART, S.TABLE_TEXT),
                                                (S.TABLE_PART_AMOUNT, S.TABLE_AMOUNT)), strict=True):
        _part_or_whole(cell, part, whole)
    _repeated(document, "if budget.codes", [("Коды бюджетной классификации: {{ budget.codes }}", "Текст документа")],
              "Текст документа")
    _repeated(document, "if budget.funding_source",
              [("Источник финансирования: {{ budget.funding_source }}", "Текст документа")], "Текст документа")
    _entries(document, "appendix.after")
    return document


def _part_or_whole(cell, part_style: str, whole_style: str) -> None:
    """A budget cell: its text in the part style for a part of a line («из них …»), in the usual style otherwise."""
    text = cell.paragraphs[0].text
    cell.paragraphs[0].text = "{%p if line.part %}"
    for paragraph_text, style in ((text, part_style), ("{%p else %}", whole_style), (text, whole_style),
                                  ("{%p endif %}", whole_style)):
        cell.add_paragraph(paragraph_text, style=style)


def indicators_template():
    document = _new_document()
    _corner_and_title(document)
    _entries(document, "appendix.before")
    # The table's columns come from the spec (indicators.columns), its rows from the groups of indicators, so it
    # is built in code from the styles above (see engine/render/docx/tables.py).
    _p(document, "{{p indicators.table }}", "Текст документа")
    _entries(document, "appendix.after")
    return document


def specification_template():
    document = _new_document()
    _corner_and_title(document)
    _entries(document, "appendix.before")
    _p(document, "1. Наименование мероприятия: {{ specification.event_name }}", "Текст документа")
    _p(document, "2. Требования к объему услуг и срокам их оказания", "Текст документа")
    _p(document, "{%p for requirement in specification.requirements %}", "Текст документа")
    _p(document, '{{ requirement.number }} {{ requirement.text }}{% if requirement.time %} – {{ requirement.time }}'
                 '{% endif %}{{ ":" if requirement.deliverables else "." }}', "Текст документа")
    _repeated(document, "for deliverable in requirement.deliverables", [("{{ deliverable }}", "Текст документа")],
              "Текст документа")
    _p(document, "{%p endfor %}", "Текст документа")
    _p(document, "3. Срок оказания услуг: {{ specification.service_period }}", "Текст документа")
    _p(document, "4. Источник финансирования: {{ specification.funding_source }}", "Текст документа")
    _repeated(document, "if specification.amount",
              [("5. Размер финансирования: {{ specification.amount }} рублей", "Текст документа")], "Текст документа")
    _entries(document, "appendix.after")
    return document


def _entries(document, entries: str) -> None:
    """The paragraphs that print a list of body entries (context.py): each kind of entry in its style, a table by
    the WordprocessingML the renderer wrote for it."""
    number = "{% if entry.number %}{{ entry.number }} {% endif %}"
    kinds = [
        ('if entry.kind == "section" and entry.level == 1', number + "{{ entry.title }}", S.SECTION_HEADING),
        ('elif entry.kind == "section"', number + "{{ entry.title }}", S.SUBSECTION_HEADING),
        ('elif entry.kind == "heading"', "{{ entry.text }}", S.HEADING),
        ('elif entry.kind == "paragraph"', "{{ entry.text }}", "Текст документа"),
        ('elif entry.kind == "item" and entry.level == 1', "{{ entry.marker }} {{ entry.text }}", S.LIST_ITEM),
        ('elif entry.kind == "item"', "{{ entry.marker }} {{ entry.text }}", S.NESTED_LIST_ITEM),
        ('elif entry.kind == "caption"', "{{ entry.text }}", S.TABLE_CAPTION),
        ('elif entry.kind == "table"', "{{p entry.table }}", "Текст документа"),
    ]
    _p(document, "{%p for entry in " + entries + " %}", "Текст документа")
    for condition, text, style in kinds:
        _p(document, "{%p " + condition + " %}", style)
        _p(document, text, style)
    _p(document, "{%p endif %}", "Текст документа")
    _p(document, "{%p endfor %}", "Текст документа")


def programme_document_template():
    """A programme document: the stamp if it is approved, the title block, then the body entry by entry, each in its
    style (engine/render/docx/context.py: section headings, subheadings, paragraphs, list items)."""
    document = _new_document()
    _p(document, "{%p if document.approval %}", S.CORNER)
    _corner(document, "document.approval")
    _p(document, "{%p endif %}", S.CORNER)
    _p(document, "{{ document.title }}", "Заголовок приложения")
    _repeated(document, "if document.subtitle", [("{{ document.subtitle }}", "Подзаголовок приложения")],
              "Подзаголовок приложения")
    _entries(document, "document.body")
    return document


def _signature_table(document, position: str, name: str, text_width=PORTRAIT_TEXT_WIDTH) -> None:
    """Position at the left margin, initials and surname at the right one, on the position's last line."""
    widths = (text_width - Cm(6.5), Cm(6.5))
    signature = document.add_table(rows=1, cols=2)
    signature.autofit = False
    # no cell padding: the position starts at the left margin, the surname ends at the right one
    signature._tbl.tblPr.insert_element_before(parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'),
        "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for cell, width, text, style in zip(signature.rows[0].cells, widths, (position, name),
                                        ("Подпись: должность", "Подпись: инициалы и фамилия"), strict=True):
        cell.width = width
        _cell(cell, text, style)
        # the name stands on the last line of the position, however many lines it takes
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    for index, width in enumerate(widths):
        signature.columns[index].width = width
    keep_row_whole(signature.rows[0])


def _cell_paragraphs(cell, loop: str, text: str, style: str) -> None:
    """The cell's text as repeated paragraphs: `{%p for line in … %}`, the line, `{%p endfor %}`."""
    first = cell.paragraphs[0]
    first.style = style
    first.add_run("{%p " + loop + " %}")
    for line in (text, "{%p endfor %}"):
        cell.add_paragraph(line, style=style)


def progress_template():
    """«Информация о ходе реализации … по состоянию на …»: the activities (№, мероприятие, срок, исполнитель,
    информация об исполнении, отметка о выполнении) grouped by section, the indicators (план, факт, % достижения),
    the signature. Landscape: six columns of text do not fit a portrait page."""
    document = _new_document(landscape=True)
    _p(document, "Информация", "Заголовок приложения")
    _p(document, "о ходе реализации {{ report.subject }} по состоянию на {{ report.as_of }}", "Подзаголовок приложения")
    widths = [1.2, 6.5, 3.2, 3.3, 8.3, 3.2]
    headings = ["№ п/п", "Мероприятие", "Срок", "Исполнитель", "Информация об исполнении", "Отметка о выполнении"]
    blank = [("", S.TABLE_TEXT)] * (len(widths) - 1)
    table = _table(document, widths, [
        ([(heading, S.TABLE_HEADING) for heading in headings], "header"),
        ([("{%tr for group in report.groups %}", S.TABLE_TEXT), *blank], "tag"),
        ([("{%tr if group.title %}", S.TABLE_TEXT), *blank], "tag"),
        ([("{{ group.title }}", S.TABLE_SECTION), *blank], "group"),
        ([("{%tr endif %}", S.TABLE_TEXT), *blank], "tag"),
        ([("{%tr for row in group.rows %}", S.TABLE_TEXT), *blank], "tag"),
        ([("{{ row.number }}", S.TABLE_CENTERED), ("{{ row.activity }}", S.TABLE_TEXT), ("", S.TABLE_TEXT),
          ("{{ row.owners }}", S.TABLE_TEXT), ("", S.TABLE_TEXT), ("{{ row.mark }}", S.TABLE_TEXT)], "long"),
        ([("{%tr endfor %}", S.TABLE_TEXT), *blank], "tag"),
        ([("{%tr endfor %}", S.TABLE_TEXT), *blank], "tag"),
    ])
    group_row, row = table.rows[3], table.rows[6]
    title = group_row.cells[0].merge(group_row.cells[-1])      # a section's title spans the table…
    for empty in title.paragraphs[1:]:                          # (merging keeps the other cells' paragraphs)
        title._tc.remove(empty._p)
    title.paragraphs[0].paragraph_format.keep_with_next = True  # …and stays with its first row
    _cell_paragraphs(row.cells[2], "for line in row.time", "{{ line }}", S.TABLE_TEXT)
    _cell_paragraphs(row.cells[4], "for line in row.info", "{{ line }}", S.TABLE_TEXT)
    _p(document, "{{ report.summary }}", "Текст документа").paragraph_format.space_before = Pt(12)
    _p(document, "{%p if report.indicators %}", "Текст документа")
    _p(document, "Достижение значений целевых показателей", "Заголовок приложения")
    widths = [1.2, 8.5, 2.5, 3.0, 3.0, 3.0, 4.5]
    headings = ["№ п/п", "Наименование показателя", "Единица измерения", "Значение плановое",
                "Значение фактическое", "% достижения", "Примечание"]
    blank = [("", S.TABLE_TEXT)] * (len(widths) - 1)
    _table(document, widths, [
        ([(heading, S.TABLE_HEADING) for heading in headings], "header"),
        ([("{%tr for row in report.indicators %}", S.TABLE_TEXT), *blank], "tag"),
        ([("{{ row.number }}", S.TABLE_CENTERED), ("{{ row.name }}", S.TABLE_TEXT), ("{{ row.unit }}", S.TABLE_CENTERED),
          ("{{ row.target }}", S.TABLE_CENTERED), ("{{ row.actual }}", S.TABLE_CENTERED),
          ("{{ row.achievement }}", S.TABLE_CENTERED), ("{{ row.comment }}", S.TABLE_TEXT)], "row"),
        ([("{%tr endfor %}", S.TABLE_TEXT), *blank], "tag"),
    ])
    _p(document, "{%p endif %}", "Текст документа")
    _p(document, "{%p if report.signature %}", "Текст документа")
    _signature_table(document, "{{ report.signature.position }}", "{{ report.signature.name }}", LANDSCAPE_TEXT_WIDTH)
    _p(document, "{%p endif %}", "Текст документа")
    return document


BUILDERS: dict[str, Callable] = {
    BUNDLED["decree"]["приказ"]: decree_template,
    BUNDLED["decree"]["распоряжение"]: decree_template,
    BUNDLED["roadmap"]: roadmap_template,
    BUNDLED["budget"]: budget_template,
    BUNDLED["indicators"]: indicators_template,
    BUNDLED["specification"]: specification_template,
    BUNDLED["programme_document"]: programme_document_template,
    BUNDLED["progress"]: progress_template,
}


def build_templates() -> dict[str, bytes]:
    """Every bundled template as DOCX bytes, by file name."""
    return {name: save_reproducibly(builder(), TEMPLATE_TIME, title=f"Шаблон prikaz: {name}")
            for name, builder in BUILDERS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Создать шаблоны DOCX в templates/")
    parser.add_argument("--check", action="store_true", help="только сверить с файлами в templates/")
    parser.add_argument("-o", "--output", type=Path, default=TEMPLATES_DIR, help="куда писать (по умолчанию templates/)")
    args = parser.parse_args(argv)
    stale = []
    for name, data in build_templates().items():
        target = args.output / name
        if args.check:
            if not target.exists() or target.read_bytes() != data:
                stale.append(name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"{target}")
    if stale:
        print("устарели шаблоны: " + ", ".join(stale) + " — запустите tools/make_templates.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
