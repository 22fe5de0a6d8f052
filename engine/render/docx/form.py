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
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Length

from engine.model.spec import ProgrammeInfo
from engine.render.docx import styles as S

CORNER_WIDTH = {"gost-2016": Cm(7.5), "gost-2025": Cm(8)}


def text_width(section: Section) -> Length:
    return Length(section.page_width - section.left_margin - section.right_margin)


def _place_corner_requisites(document: Document, profile: str) -> None:
    indent = Length(max(text_width(document.sections[-1]) - CORNER_WIDTH[profile], 0))
    corner_styles = {document.styles[name].style_id for name in S.CORNER_STYLES if name in document.styles}
    for paragraph in document.paragraphs:
        if paragraph.style is not None and paragraph.style.style_id in corner_styles:
            paragraph.paragraph_format.left_indent = indent
            paragraph.paragraph_format.first_line_indent = Cm(0)


def _replace_fonts(document: Document, font: str) -> None:
    """Every font the styles name (document defaults included) becomes `font`, for every script."""
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        for attribute in list(fonts.attrib):
            del fonts.attrib[attribute]
        for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(script), font)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if run_defaults is not None and run_defaults.find(qn("w:rPr")).find(qn("w:rFonts")) is None:
        fonts = OxmlElement("w:rFonts")
        for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(script), font)
        run_defaults.find(qn("w:rPr")).insert(0, fonts)


def apply_form(document: Document, info: ProgrammeInfo) -> None:
    _place_corner_requisites(document, info.profile)
    # The template's font stands unless the spec names one (the default font is the bundled templates' own).
    if "font" in info.model_fields_set:
        _replace_fonts(document, info.font)
