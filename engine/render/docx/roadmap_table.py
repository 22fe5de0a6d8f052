"""The roadmap table, built in code and placed into the template as a subdocument.

Its columns, their order and headings come from the spec (`roadmap.columns`: the
three sources use three different layouts), and an activity with several owners,
each with a result of its own, takes several rows with the number, time and
activity cells merged down (lipetsk rows 1 and 6). That is more than docxtpl's
row and column loops express readably, so the table is built here — but from the
template's named styles (`styles.py`), so restyling the template restyles it.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm, Length
from docxtpl import DocxTemplate

from engine.diagnostics import Diagnostic, Severity, Span
from engine.render import RenderError
from engine.render.docx import styles as S
from engine.render.docx.form import keep_row_whole, text_width

# Proportions of a landscape A4 table (25.7 cm of text width), as the sources lay them out.
_DEFAULT_WIDTHS_CM = {"number": 1.3, "time": 3.4, "activity": 8.0, "owners": 4.0, "result": 9.0}
_MERGED_DOWN = ("number", "time", "activity")          # the same for every owner row of an activity


def _widths(columns: list[dict], available: Length) -> list[int]:
    """Column widths in EMU: the spec's widths as given, the rest of the text width shared by default proportions."""
    fixed = sum(Cm(c["width"]) for c in columns if c["width"] is not None)
    free = [c for c in columns if c["width"] is None]
    weight = sum(_DEFAULT_WIDTHS_CM[c["field"]] for c in free)
    remainder = max(available - fixed, 0)
    return [Cm(c["width"]) if c["width"] is not None else int(remainder * _DEFAULT_WIDTHS_CM[c["field"]] / weight)
            for c in columns]


def _fill(cell, texts: list[str], style: str | None, keep_with_next: bool = False) -> None:
    """`style` is a style id (what `paragraph.style = name` looks up by name, in every call)."""
    first = cell.paragraphs[0]
    first._p.style = style
    if texts:
        first.add_run(texts[0])
    for text in texts[1:]:
        cell.add_paragraph(text)._p.style = style
    if keep_with_next:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _fixed_width(table, width: int) -> None:
    table_width = table._tbl.tblPr.find(qn("w:tblW"))     # python-docx writes <w:tblW w:type="auto"/>
    table_width.set(qn("w:w"), str(round(width / 635)))      # EMU → twips
    table_width.set(qn("w:type"), "dxa")


def _missing_styles(missing: list[str], path: Path) -> RenderError:
    return RenderError([Diagnostic(
        "D104", Severity.ERROR, f"шаблон {path.name}: нет стилей таблицы дорожной карты: {', '.join(missing)}",
        Span.whole_file(path), "скопируйте эти стили из templates/roadmap.docx (Word: «Организатор стилей»)",
        "template-missing-style")])


def roadmap_table(template: DocxTemplate, roadmap: dict, path: Path):
    """The table as a docxtpl subdocument for `{{p roadmap.table }}`."""
    template.init_docx()
    missing = [name for name in S.ROADMAP_TABLE_STYLES if name not in template.docx.styles]
    if missing:
        raise _missing_styles(missing, path)
    columns = roadmap["columns"]
    widths = _widths(columns, text_width(template.docx.sections[-1]))
    subdoc = template.new_subdoc()
    style_id = {name: template.docx.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
                for name in (S.TABLE_HEADING, S.TABLE_TEXT, S.TABLE_CENTERED, S.TABLE_SECTION)}
    table = subdoc.add_table(rows=0, cols=len(columns))
    table.style = S.TABLE
    table.autofit = False
    _fixed_width(table, sum(widths))
    for index, width in enumerate(widths):
        table.columns[index].width = width

    def add_row(header: bool = False):
        row = table.add_row()
        for cell, width in zip(row.cells, widths):
            cell.width = width
        keep_row_whole(row, header)
        return row

    heading = add_row(header=True)
    for cell, column in zip(heading.cells, columns):
        _fill(cell, [column["heading"]], style_id[S.TABLE_HEADING])
    text, centered = style_id[S.TABLE_TEXT], style_id[S.TABLE_CENTERED]
    for group in roadmap["groups"]:
        if group["title"]:
            row = add_row()
            # a section title never ends a page: it stays with its first activity
            _fill(row.cells[0].merge(row.cells[-1]), [group["title"]], style_id[S.TABLE_SECTION], keep_with_next=True)
        for activity in group["activities"]:
            rows = []
            for index, owner_row in enumerate(activity["rows"]):
                row = add_row()
                rows.append(row)
                for cell, column in zip(row.cells, columns):
                    field = column["field"]
                    if field == "owners":
                        _fill(cell, [owner_row["owners"]], text)
                    elif field == "result":
                        _fill(cell, owner_row["result"], text)
                    elif index == 0:
                        texts = {"number": [activity["number"]], "time": [activity["time"]],
                                 "activity": activity["activity"]}[field]
                        _fill(cell, texts, centered if field == "number" else text)
                    else:
                        _fill(cell, [], text)
            if len(rows) > 1:
                # the activity's own rows: table.cell() would lay out the whole table's grid for each merge
                first, last = rows[0].cells, rows[-1].cells
                for column_index, column in enumerate(columns):
                    if column["field"] in _MERGED_DOWN:
                        first[column_index].merge(last[column_index])
    return subdoc
