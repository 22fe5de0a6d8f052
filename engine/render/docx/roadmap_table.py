"""The roadmap table, built in code and placed into the template as WordprocessingML (`{{p roadmap.table }}`).

Its columns, their order and headings come from the spec (`roadmap.columns`: the
three sources use three different layouts), and an activity with several owners,
each with a result of its own, takes several rows with the number, time and
activity cells merged down (lipetsk rows 1 and 6). That is more than docxtpl's
row and column loops express readably, so the table is built here — but from the
template's named styles (`styles.py`), so restyling the template restyles it.
"""

from __future__ import annotations

import re
from pathlib import Path

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

# Proportions of a landscape A4 table (25.7 cm of text width), as the sources lay them out.
_DEFAULT_WIDTHS_CM = {"number": 1.3, "time": 3.4, "activity": 8.0, "title": 5.0, "details": 7.0, "owners": 4.0,
                      "result": 9.0}
_MERGED_DOWN = ("number", "time", "activity", "title", "details")      # the same for every owner row of an activity

(_BODY, _TBL, _TBLPR, _TBL_STYLE, _TBLW, _TBL_LAYOUT, _TBL_LOOK, _TBL_GRID, _GRID_COL, _TR, _TRPR, _CANT_SPLIT,
 _TBL_HEADER, _TC, _TCPR, _TCW, _GRID_SPAN, _VMERGE, _P, _PPR, _PSTYLE, _KEEP_NEXT, _R, _T, _TAB, _BR) = (
    qn(f"w:{tag}") for tag in ("body", "tbl", "tblPr", "tblStyle", "tblW", "tblLayout", "tblLook", "tblGrid",
                               "gridCol", "tr", "trPr", "cantSplit", "tblHeader", "tc", "tcPr", "tcW", "gridSpan",
                               "vMerge", "p", "pPr", "pStyle", "keepNext", "r", "t", "tab", "br"))
_VAL, _TYPE, _W, _XML_SPACE = qn("w:val"), qn("w:type"), qn("w:w"), qn("xml:space")
# python-docx's new table: header row and first column emphasised, banded rows
_LOOK = {qn(f"w:{name}"): value for name, value in (("firstColumn", "1"), ("firstRow", "1"), ("lastColumn", "0"),
                                                    ("lastRow", "0"), ("noHBand", "0"), ("noVBand", "1"),
                                                    ("val", "04A0"))}
_BREAKS = re.compile(r"(\t|\r|\n)")


def _widths(columns: list[dict], available: Length) -> list[int]:
    """Column widths in EMU: the spec's widths as given, the rest of the text width shared by default proportions."""
    fixed = sum(Cm(c["width"]) for c in columns if c["width"] is not None)
    free = [c for c in columns if c["width"] is None]
    weight = sum(_DEFAULT_WIDTHS_CM[c["field"]] for c in free)
    remainder = max(available - fixed, 0)
    return [Cm(c["width"]) if c["width"] is not None else int(remainder * _DEFAULT_WIDTHS_CM[c["field"]] / weight)
            for c in columns]


def _missing_styles(missing: list[str], path: Path) -> RenderError:
    return RenderError([Diagnostic(
        "D104", Severity.ERROR, f"шаблон {path.name}: нет стилей таблицы дорожной карты: {', '.join(missing)}",
        Span.whole_file(path), "скопируйте эти стили из templates/roadmap.docx (Word: «Организатор стилей»)",
        "template-missing-style")])


def _run(paragraph, text: str) -> None:
    """A run as python-docx's `add_run(text)` writes it: a tab is <w:tab/>, a line break <w:br/>, the rest <w:t>."""
    run = etree.SubElement(paragraph, _R)
    for piece in _BREAKS.split(text):
        if piece == "\t":
            etree.SubElement(run, _TAB)
        elif piece in ("\r", "\n"):
            etree.SubElement(run, _BR)
        elif piece:
            element = etree.SubElement(run, _T)
            element.text = piece
            if len(piece.strip()) < len(piece):
                element.set(_XML_SPACE, "preserve")


def _paragraph(cell, style: str | None, keep_with_next: bool):
    paragraph = etree.SubElement(cell, _P)
    properties = etree.SubElement(paragraph, _PPR)
    if style is not None:                     # the default paragraph style is no <w:pStyle>, as python-docx sets it
        etree.SubElement(properties, _PSTYLE, {_VAL: style})
    if keep_with_next:
        etree.SubElement(properties, _KEEP_NEXT)
    return paragraph


def _cell(row, width: int, texts: list[str], style: str | None, keep_with_next: bool = False, span: int = 1,
          merge: str | None = None) -> None:
    """A cell of `width` twips, `span` grid columns, a vertical merge ("restart" or "continue"), its paragraphs.

    The first paragraph holds a run even for an empty text, the others only for a text: as a python-docx cell
    filled with `paragraphs[0].add_run(texts[0])` and `add_paragraph(text)` for the rest."""
    cell = etree.SubElement(row, _TC)
    properties = etree.SubElement(cell, _TCPR)
    etree.SubElement(properties, _TCW, {_TYPE: "dxa", _W: str(width)})
    if span > 1:
        etree.SubElement(properties, _GRID_SPAN, {_VAL: str(span)})
    if merge == "restart":
        etree.SubElement(properties, _VMERGE, {_VAL: "restart"})
    elif merge == "continue":
        etree.SubElement(properties, _VMERGE)
    first = _paragraph(cell, style, keep_with_next)
    if texts:
        _run(first, texts[0])
    for text in texts[1:]:
        paragraph = _paragraph(cell, style, keep_with_next)
        if text:
            _run(paragraph, text)


def _row(table, header: bool = False):
    """A row that never splits across pages; a header row repeats at the top of each page (form.keep_row_whole)."""
    row = etree.SubElement(table, _TR)
    properties = etree.SubElement(row, _TRPR)
    etree.SubElement(properties, _CANT_SPLIT)
    if header:
        etree.SubElement(properties, _TBL_HEADER)
    return row


def _style_id(styles, name: str, style_type: WD_STYLE_TYPE, default) -> str | None:
    """The id python-docx's `get_style_id(name, style_type)` gives an existing style: none for the default
    style of its type (`default`, looked up once), an error for a style of another type."""
    style = styles.get_by_name(name)
    if style.type != style_type:
        raise ValueError(f"assigned style is type {style.type}, need type {style_type}")
    return None if style is default else style.styleId


def _merged_width(widths: list[int]) -> int:
    """A merged cell's width as python-docx's merge adds it up: a cell of no width stops the sum."""
    total = widths[0]
    for width in widths[1:]:
        if total and width:
            total += width
    return total


def _heading(table, columns: list[dict], widths: list[int], style: str | None) -> None:
    """The header: one row of headings, or two when columns share a `group` heading — the group spans its columns
    in the first row, their own headings stand under it, and an ungrouped column's heading is merged down over both
    rows. Both rows repeat at the top of every page."""
    if not any(column["group"] for column in columns):
        row = _row(table, header=True)
        for column, width in zip(columns, widths, strict=True):
            _cell(row, width, [column["heading"]], style)
        return
    top, bottom = _row(table, header=True), _row(table, header=True)
    index = 0
    while index < len(columns):
        group = columns[index]["group"]
        if not group:
            _cell(top, widths[index], [columns[index]["heading"]], style, merge="restart")
            _cell(bottom, widths[index], [], style, merge="continue")
            index += 1
            continue
        end = index
        while end < len(columns) and columns[end]["group"] == group:       # the adjacent columns of the group
            end += 1
        _cell(top, _merged_width(widths[index:end]), [group], style, span=end - index)
        for column, width in zip(columns[index:end], widths[index:end], strict=True):
            _cell(bottom, width, [column["heading"]], style)
        index = end


def start_table(body: etree._Element, styles, emu: list[int], widths: list[int]) -> etree._Element:
    """A table appended to `body`: the template's table style, a fixed layout of the columns' widths (EMU for
    the table's width, twips for its grid), and its grid — the rows are the caller's."""
    table = etree.SubElement(body, _TBL)
    properties = etree.SubElement(table, _TBLPR)
    table_style = _style_id(styles, S.TABLE, WD_STYLE_TYPE.TABLE, default_style(styles, WD_STYLE_TYPE.TABLE))
    if table_style is not None:
        etree.SubElement(properties, _TBL_STYLE, {_VAL: table_style})
    etree.SubElement(properties, _TBLW, {_TYPE: "dxa", _W: str(round(sum(emu) / 635))})
    etree.SubElement(properties, _TBL_LAYOUT, {_TYPE: "fixed"})
    etree.SubElement(properties, _TBL_LOOK, _LOOK)
    grid = etree.SubElement(table, _TBL_GRID)
    for width in widths:
        etree.SubElement(grid, _GRID_COL, {_W: str(width)})
    return table


def roadmap_table(template: DocxTemplate, roadmap: dict, path: Path) -> Markup:
    """The table's WordprocessingML for `{{p roadmap.table }}`, as a python-docx table built cell by cell would
    be — written with lxml directly: python-docx's object model took most of the time of rendering a roadmap."""
    template.init_docx()
    document = template.docx
    styles = styles_to_read(document)
    missing = [name for name in S.ROADMAP_TABLE_STYLES if styles.get_by_name(name) is None]
    if missing:
        raise _missing_styles(missing, path)
    columns = roadmap["columns"]
    emu = _widths(columns, text_width(document.sections[-1]))
    widths = [Emu(width).twips for width in emu]          # twips, as python-docx writes an EMU width
    paragraph_default = default_style(styles, WD_STYLE_TYPE.PARAGRAPH)
    style_id = {name: _style_id(styles, name, WD_STYLE_TYPE.PARAGRAPH, paragraph_default)
                for name in (S.TABLE_HEADING, S.TABLE_TEXT, S.TABLE_CENTERED, S.TABLE_SECTION)}
    # the body element declares the namespace, so the table's own elements need not: its XML is cut out of it
    body = etree.Element(_BODY, nsmap={"w": nsmap["w"]})
    table = start_table(body, styles, emu, widths)

    _heading(table, columns, widths, style_id[S.TABLE_HEADING])
    text, centered = style_id[S.TABLE_TEXT], style_id[S.TABLE_CENTERED]
    for group in roadmap["groups"]:
        if group["title"]:
            # a section title never ends a page: it stays with its first activity
            _cell(_row(table), _merged_width(widths), [group["title"]], style_id[S.TABLE_SECTION],
                  keep_with_next=True, span=len(columns))
        for activity in group["activities"]:
            several = len(activity["rows"]) > 1
            for index, owner_row in enumerate(activity["rows"]):
                row = _row(table)
                for column, width in zip(columns, widths, strict=True):
                    field = column["field"]
                    # an activity's number, time and text are merged down over its owners' rows
                    merge = ("restart" if index == 0 else "continue") if several and field in _MERGED_DOWN else None
                    if field == "owners":
                        _cell(row, width, [owner_row["owners"]], text)
                    elif field == "result":
                        _cell(row, width, owner_row["result"], text)
                    elif index == 0:
                        texts = {"number": [activity["number"]], "time": [activity["time"]],
                                 "activity": activity["activity"], "title": activity["title"],
                                 "details": activity["details"]}[field]
                        _cell(row, width, texts, centered if field == "number" else text, merge=merge)
                    else:
                        _cell(row, width, [], text, merge=merge)
    xml = etree.tostring(body, encoding="unicode")
    return Markup(xml[xml.index(">") + 1:-len("</w:body>")])
