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
import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles.style import StyleFactory
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


class _StyleRef:
    """One <w:style> as docxcompose reads it while adding styles: its id (and, if ever asked, the rest)."""

    __slots__ = ("_element",)

    def __init__(self, element):
        self._element = element

    @property
    def style_id(self):
        return self._element.get(_STYLE_ID)

    def __getattr__(self, name):
        return getattr(StyleFactory(self._element), name)


class _Styles:
    """A document's styles, iterated without building a python-docx style object per <w:style>."""

    def __init__(self, styles):
        self._styles = styles

    def __iter__(self):
        return (_StyleRef(element) for element in self._styles.element.iterchildren(_STYLE))

    def __getattr__(self, name):
        return getattr(self._styles, name)


class _Document:
    """The composed document with cheap style iteration; everything else is the document itself."""

    def __init__(self, document: DocumentObject):
        self._document = document

    @property
    def styles(self) -> _Styles:
        return _Styles(self._document.styles)

    def __getattr__(self, name):
        return getattr(self._document, name)


class _Composer(Composer):
    """docxcompose's Composer. Its add_styles, run for every appended body element, lists the ids of all
    the document's styles through python-docx style objects once per style used: two thirds of composing
    a decree with four appendices. The same lists come from the style elements directly."""

    def add_styles(self, doc, element):
        document, self.doc = self.doc, _Document(self.doc)
        try:
            super().add_styles(doc, element)
        finally:
            self.doc = document


def compose(decree: bytes, appendices: list[bytes]) -> DocumentObject:
    document = Document(io.BytesIO(decree))
    composer = _Composer(document)
    for data in appendices:
        appendix = Document(io.BytesIO(data))
        _close_section(document)
        composer.append(appendix)
        _appendix_page_setup(document, appendix)
    return document
