"""The decree with its appendices as one document, each appendix in a section of its own.

docxcompose (the library docxtpl itself uses for subdocuments) appends the
appendix bodies and carries over their styles; it keeps only the first document's
page setup, so the sections are closed here: before an appendix is appended, the
page setup so far is pinned to the last paragraph (a section break), and after it,
the document's final page setup becomes the appendix's — landscape for a wide
roadmap, portrait for a budget. Each appendix starts its page numbering anew
(numbers from its second page, like the decree) and takes the decree's page
header, so one header part serves the whole document.
"""

from __future__ import annotations

import copy

from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docxcompose.composer import Composer

_STYLE, _STYLE_ID = qn("w:style"), qn("w:styleId")

# Elements a section's properties may hold after <w:pgNumType>, in schema order.
_AFTER_PAGE_NUMBERING = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
                         "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def _close_section(document: DocumentObject) -> None:
    """Pin the current final page setup to the end of the body: what follows starts a new section."""
    body = document.element.body
    final = body.find(qn("w:sectPr"))
    last = body[body.index(final) - 1] if body.index(final) > 0 else None
    if last is None or last.tag != qn("w:p"):      # a section break needs a paragraph (after a table, say)
        last = OxmlElement("w:p")
        final.addprevious(last)
    last.get_or_add_pPr().append(copy.deepcopy(final))


def _appendix_page_setup(document: DocumentObject, appendix: DocumentObject) -> None:
    """The appendix's own page setup for the section just appended, header inherited, page numbers from 1."""
    body = document.element.body
    setup = copy.deepcopy(appendix.element.body.find(qn("w:sectPr")))
    for reference in setup.findall(qn("w:headerReference")) + setup.findall(qn("w:footerReference")):
        setup.remove(reference)
    numbering = setup.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = setup.insert_element_before(OxmlElement("w:pgNumType"), *_AFTER_PAGE_NUMBERING)
    numbering.set(qn("w:start"), "1")
    body.replace(body.find(qn("w:sectPr")), setup)


class _StyleId:
    """One <w:style> as docxcompose's add_styles reads it: its id."""

    __slots__ = ("style_id",)

    def __init__(self, style_id: str | None):
        self.style_id = style_id


class _Styles:
    """A document's styles as add_styles lists them, after every style it handles: by their ids alone, listed
    again only when a style was added (it only ever appends styles, so the count tells)."""

    def __init__(self, styles):
        self._styles = styles
        self._listed: tuple[int, list[_StyleId]] = (-1, [])

    def __iter__(self):
        element = self._styles.element
        count, listed = self._listed
        if count != len(element):
            listed = [_StyleId(style.get(_STYLE_ID)) for style in element.iterchildren(_STYLE)]
            self._listed = (len(element), listed)
        return iter(listed)

    def __getattr__(self, name):
        return getattr(self._styles, name)


class _Document:
    """The composed document with cheap style listing; everything else is the document itself."""

    def __init__(self, document: DocumentObject):
        self._document = document
        self.styles = _Styles(document.styles)

    def __getattr__(self, name):
        return getattr(self._document, name)


class _Composer(Composer):
    """docxcompose's Composer. Its add_styles, run for every appended body element, lists the ids of all
    the document's styles through python-docx style objects once per style used: most of composing a
    decree with four appendices. The same lists come from the style elements directly."""

    def __init__(self, document: DocumentObject):
        super().__init__(document)
        self._cheap = _Document(document)

    def add_styles(self, doc, element):
        document, self.doc = self.doc, self._cheap
        try:
            super().add_styles(doc, element)
        finally:
            self.doc = document


def _as_read_back(document: DocumentObject) -> DocumentObject:
    """The rendered document as reading its saved bytes would give it, without reading them: the parts that
    rendering rewrote are parsed again — the body (docxtpl's own parse keeps whitespace between elements that
    reading drops) and the core properties (an empty property set to "" reads back as no text at all). The
    others were parsed from the template by python-docx and changed only through it, as reading gives them."""
    for part in (document.part, document.part.package.part_related_by(RT.CORE_PROPERTIES)):
        part._element = parse_xml(serialize_part_xml(part.element))
    return document.part.document


def compose(decree: DocumentObject, appendices: list[DocumentObject]) -> DocumentObject:
    """The decree with the appendices appended (all rendered in this process; the appendices already saved)."""
    document = _as_read_back(decree)
    composer = _Composer(document)
    for appendix in map(_as_read_back, appendices):
        _close_section(document)
        composer.append(appendix)
        _appendix_page_setup(document, appendix)
    return document
