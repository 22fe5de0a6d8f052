"""What the renderer sets on a rendered document itself: profile geometry and the programme's font.

The templates hold the look; two things depend on the programme instead:
- the corner requisites (appendix mark, approval stamp) are a block of limited
  width at the right edge of the text — 7.5 cm by ГОСТ Р 7.0.97-2016, up to 8 cm by
  ГОСТ Р 7.0.97-2025 (`programme.profile`) — and the text is wider in a landscape
  section than in a portrait one, so the block's indent is computed per document;
- `programme.font`, when the spec names one, replaces the template's fonts.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Length
from docx.text.parfmt import ParagraphFormat

from engine.model.spec import ProgrammeInfo
from engine.render.docx import styles as S
from engine.render.docx.package_cache import styles_to_read

CORNER_WIDTH = {"gost-2016": Cm(7.5), "gost-2025": Cm(8)}
_STYLE, _STYLE_ID, _TYPE, _DEFAULT = qn("w:style"), qn("w:styleId"), qn("w:type"), qn("w:default")
_PARAGRAPH = qn("w:p")
_SECTION, _TITLE_PAGE = qn("w:sectPr"), qn("w:titlePg")
_ON = ("1", "true", "on")       # the on/off values python-docx reads as on


def text_width(section: Section) -> Length:
    """The width between the margins; a template that leaves the page size out is printed on A4 (ГОСТ Р 7.0.97)."""
    page_width = Cm(21) if section.page_width is None else section.page_width
    return Length(page_width - (section.left_margin or 0) - (section.right_margin or 0))


def default_style(styles, style_type: WD_STYLE_TYPE):
    """python-docx's `styles.default_for(style_type)` (the last style of the type marked default), read from the
    attributes: python-docx converts every style's type and flag through its enumerations, a millisecond a call."""
    defaults = [style for style in styles.iterchildren(_STYLE)
                if style.get(_TYPE) == style_type.xml_value and style.get(_DEFAULT) in _ON]
    return defaults[-1] if defaults else None


def _place_corner_requisites(document: Document, profile: str) -> None:
    indent = Length(max(text_width(document.sections[-1]) - CORNER_WIDTH[profile], 0))
    # Read from the style elements: python-docx's style objects, built anew for every lookup, cost more than
    # the rest of the rendering. Names and ids as python-docx resolves them: a name is the first style so
    # named; a paragraph's style is its own paragraph style, else the document's default one.
    styles = styles_to_read(document)
    corner_styles = {style.styleId for style in map(styles.get_by_name, S.CORNER_STYLES) if style is not None}
    paragraph_styles = {style.get(_STYLE_ID) for style in styles.iterchildren(_STYLE)
                        if style.get(_TYPE, "paragraph") == "paragraph"}
    default = default_style(styles, WD_STYLE_TYPE.PARAGRAPH)
    default_id = default.styleId if default is not None else None
    for paragraph in document.element.body.iterchildren(_PARAGRAPH):
        own = paragraph.style
        if (own if own in paragraph_styles else default_id) in corner_styles:
            paragraph_format = ParagraphFormat(paragraph)
            paragraph_format.left_indent = indent
            paragraph_format.first_line_indent = Cm(0)


def name_font(run_properties, font: str) -> None:
    """`font` for every script of a <w:rPr> (Latin, complex, East Asian — Cyrillic is looked up as any of them),
    replacing theme fonts, which would bring Calibri or Cambria back."""
    fonts = run_properties.get_or_add_rFonts()
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(script), font)


def keep_row_whole(row, header: bool = False) -> None:
    """A table row never splits across pages; a header row repeats at the top of each page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _page_numbers_after_the_first_section(document: Document) -> None:
    """A document of several sections (a wide table on landscape pages between portrait ones): only the first page
    of the document goes without a page number; every later section numbers its first page too."""
    sections = list(document.element.body.iter(_SECTION))
    for section in sections[1:]:
        for first_page in section.findall(_TITLE_PAGE):
            section.remove(first_page)


def apply_form(document: Document, info: ProgrammeInfo) -> None:
    _place_corner_requisites(document, info.profile)
    _page_numbers_after_the_first_section(document)
    # The template's font stands unless the spec names one (the default font is the bundled templates' own).
    if "font" in info.model_fields_set:
        for run_properties in document.styles.element.iter(qn("w:rPr")):     # document defaults and every style
            name_font(run_properties, info.font)
