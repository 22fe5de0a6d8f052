"""Tables of the documents besides the roadmap: data tables, the passport, indicator tables — built in code.

Their columns, multi-level headers and rows come from the spec, as the roadmap's do, so they are
written as WordprocessingML here (with the roadmap table's cell and row writers) from the
template's named styles: restyling the template restyles them.

A header of several levels: each column names its headings from the top (`group` above its own
`heading`); adjacent columns with the same heading at a level share one cell (horizontal merge),
and a column with fewer levels has its top heading merged down to the last header row (so «№»
stands beside «Прогнозное значение / 2021 г.»). Header rows repeat on every page, no row splits
across pages, a group row stays with the row after it.

A wide table (`landscape`) is placed in a section of its own in landscape orientation: a section
break before it closes the pages so far, one after it opens the landscape pages; `form.py` then
gives every section after the first its page numbers from its first page.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import nsmap, qn
from docx.shared import Cm, Emu, Length
from docxtpl import DocxTemplate
from lxml import etree
from markupsafe import Markup

from engine.diagnostics import Diagnostic, Severity, Span
from engine.render import RenderError
from engine.render.docx import styles as S
from engine.render.docx.form import default_style, text_width
from engine.render.docx.package_cache import styles_to_read
from engine.render.docx.roadmap_table import (
    _BODY,
    _P,
    _PPR,
    _cell,
    _merged_width,
    _row,
    _style_id,
    start_table,
)

# the paragraph styles a table's cells are written in (tools/make_templates.py makes them)
TABLE_STYLES = (S.TABLE, S.TABLE_HEADING, S.TABLE_TEXT, S.TABLE_CENTERED, S.TABLE_SECTION, S.TABLE_AMOUNT,
                S.TABLE_TOTAL, S.TABLE_TOTAL_AMOUNT, S.TABLE_TOTAL_CENTERED)


@dataclass(frozen=True)
class GridColumn:
    """A column: its headings from the top, its width (None: a share of what the fixed ones leave, by `weight`),
    the style of its cells in ordinary rows and in total rows."""

    headings: tuple[str, ...]
    width: float | None = None           # cm
    weight: float = 1.0
    style: str = S.TABLE_TEXT
    total_style: str = S.TABLE_TOTAL


@dataclass(frozen=True)
class GridRow:
    """A row: `cells` (paragraphs per column); a group row has one text across the table; a total row is bold."""

    cells: list[list[str]] = field(default_factory=list)
    group: str | None = None
    total: bool = False


def _widths(columns: list[GridColumn], available: Length) -> list[int]:
    """Widths in EMU: the given ones as given, the rest of the text width shared by weight."""
    fixed = sum(Cm(column.width) for column in columns if column.width is not None)
    weights = sum(column.weight for column in columns if column.width is None)
    remainder = max(available - fixed, 0)
    return [Cm(column.width) if column.width is not None else int(remainder * column.weight / weights)
            for column in columns]


def header_rows(columns: list[GridColumn]) -> list[list[tuple[str, int, str | None]]]:
    """The header as rows of cells: (text, grid columns spanned, vertical merge "restart", "continue" or None).

    A column's headings stand from the top row down; its own (last) heading is merged down to the bottom row when
    the column has fewer levels than the deepest. Adjacent columns under the same group headings share the cell of
    each group level."""
    depth = max(len(column.headings) for column in columns)
    rows = []
    for level in range(depth):
        keys: list[tuple[tuple[str, ...], str | None, bool]] = []      # (headings so far, merge, a group's cell)
        for column in columns:
            own = len(column.headings) - 1
            if level < own:
                keys.append((column.headings[: level + 1], None, True))
            elif level == own:
                keys.append((column.headings, "restart" if own < depth - 1 else None, False))
            else:
                keys.append((column.headings, "continue", False))
        cells = []
        index = 0
        while index < len(columns):
            end = index + 1
            while end < len(columns) and keys[index][2] and keys[end] == keys[index]:
                end += 1
            path, merge, _ = keys[index]
            cells.append(("" if merge == "continue" else path[-1], end - index, merge))
            index = end
        rows.append(cells)
    return rows


def _section_break(setup, landscape: bool):
    """An empty paragraph that ends a section with the page setup `setup` turned to the orientation asked."""
    paragraph = etree.Element(_P)
    properties = etree.SubElement(paragraph, _PPR)
    section = copy.deepcopy(setup)
    size = section.find(qn("w:pgSz"))
    width, height = int(size.get(qn("w:w"))), int(size.get(qn("w:h")))
    if landscape != (width > height):
        size.set(qn("w:w"), str(height))
        size.set(qn("w:h"), str(width))
    if landscape:
        size.set(qn("w:orient"), WD_ORIENT.LANDSCAPE.xml_value)
    elif qn("w:orient") in size.attrib:
        del size.attrib[qn("w:orient")]
    properties.append(section)
    return paragraph


def grid(template: DocxTemplate, path: Path, columns: list[GridColumn], rows: list[GridRow], *,
         landscape: bool = False, header: bool = True) -> Markup:
    """The table's WordprocessingML for a `{{p … }}` tag of the template (in a landscape section of its own when
    `landscape`)."""
    template.init_docx()
    document = template.docx
    styles = styles_to_read(document)
    missing = [name for name in TABLE_STYLES if styles.get_by_name(name) is None]
    if missing:
        raise RenderError([missing_styles(missing, path)])
    setup = document.element.body.find(qn("w:sectPr"))
    available = text_width(document.sections[-1])
    if landscape:
        section = document.sections[-1]
        available = Length(max(section.page_width, section.page_height) - section.left_margin - section.right_margin)
    emu = _widths(columns, available)
    widths = [Emu(width).twips for width in emu]
    paragraph_default = default_style(styles, WD_STYLE_TYPE.PARAGRAPH)
    style_id = {name: _style_id(styles, name, WD_STYLE_TYPE.PARAGRAPH, paragraph_default) for name in TABLE_STYLES[1:]}
    body = etree.Element(_BODY, nsmap={"w": nsmap["w"]})
    if landscape:
        body.append(_section_break(setup, landscape=False))
    table = start_table(body, styles, emu, widths)
    if header:
        for cells in header_rows(columns):
            row = _row(table, header=True)
            start = 0
            for text, span, merge in cells:
                _cell(row, _merged_width(widths[start:start + span]), [text] if merge != "continue" else [],
                      style_id[S.TABLE_HEADING], span=span, merge=merge)
                start += span
    for grid_row in rows:
        row = _row(table)
        if grid_row.group is not None:
            # a group's heading never ends a page: it stays with its first row
            _cell(row, _merged_width(widths), [grid_row.group], style_id[S.TABLE_SECTION], keep_with_next=True,
                  span=len(columns))
            continue
        for column, width, texts in zip(columns, widths, grid_row.cells, strict=True):
            style = column.total_style if grid_row.total else column.style
            _cell(row, width, texts or [""], style_id[style])
    if landscape:
        body.append(_section_break(setup, landscape=True))
    xml = etree.tostring(body, encoding="unicode")
    return Markup(xml[xml.index(">") + 1:-len("</w:body>")])


def missing_styles(missing: list[str], path: Path) -> Diagnostic:
    return Diagnostic("D104", Severity.ERROR, f"шаблон {path.name}: нет стилей таблиц: {', '.join(missing)}",
                      Span.whole_file(path), "скопируйте эти стили из templates/programme-document.docx "
                      "(Word: «Организатор стилей»)", "template-missing-style")
