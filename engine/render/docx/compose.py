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
from contextlib import contextmanager, nullcontext
from functools import lru_cache

from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsmap, qn
from docx.oxml.text.paragraph import CT_P
from docx.styles import BabelFish
from docxcompose import composer as docxcompose_composer
from docxcompose.composer import Composer
from docxcompose.utils import xpath
from lxml import etree

from engine import fast_paths
from engine.render.docx.package_cache import styles_to_read

_STYLE, _STYLE_ID, _NAME, _VAL = qn("w:style"), qn("w:styleId"), qn("w:name"), qn("w:val")
# docxcompose's queries: a few dozen, some naming a style or numbering id
_QUERIES = 256

# Elements a section's properties may hold after <w:pgNumType>, in schema order.
_AFTER_PAGE_NUMBERING = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
                         "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def _close_section(document: DocumentObject) -> None:
    """Pin the current final page setup to the end of the body: what follows starts a new section."""
    body = document.element.body
    final = body.get_or_add_sectPr()
    last = final.getprevious()
    if not isinstance(last, CT_P):      # a section break needs a paragraph (after a table, say)
        last = body.add_p()             # python-docx adds it before the final <w:sectPr>
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
    """One <w:style> as docxcompose lists the ids of a document's styles: `[s.style_id for s in doc.styles]`."""

    __slots__ = ("style_id",)

    def __init__(self, style_id: str | None):
        self.style_id = style_id


class _StyleIndex:
    """A document's <w:styles> as docxcompose reads it, indexed: the ids in order, `get_by_id` a dict look-up
    (python-docx runs an XPath query over every style for it). docxcompose only ever appends styles, so the
    index is built again when the number of children changed.

    `own_styles`, for the composed document: where the styles docxcompose adds go. Until it adds one, the
    document's styles are read from the process's shared parse of its template's (package_cache); the
    first added makes it parse its own (what `own_styles` returns), and the index follows. docxcompose
    only reads the styles it looks up in the composed document, so nothing it holds from before changes."""

    def __init__(self, element, own_styles=None):
        self._element = element
        self._own_styles = own_styles
        self._count = -1

    def append(self, style) -> None:
        if self._own_styles is not None:
            self._element, self._own_styles = self._own_styles(), None
        self._element.append(style)

    def _indexed(self) -> None:
        if self._count != len(self._element):
            styles = list(self._element.iterchildren(_STYLE))
            self._ids = [_StyleId(style.get(_STYLE_ID)) for style in styles]
            self._by_id: dict[str | None, etree._Element] = {}
            for style in styles:
                self._by_id.setdefault(style.get(_STYLE_ID), style)     # the first, as the XPath query finds
            names = [None if name is None else name.get(_VAL) for name in (style.find(_NAME) for style in styles)]
            self._ids_and_names = [(style_id.style_id, None if name is None else BabelFish.internal2ui(name))
                                   for style_id, name in zip(self._ids, names, strict=True)]
            self._count = len(self._element)

    def __iter__(self):
        self._indexed()
        return iter(self._ids)

    def ids_and_names(self) -> list[tuple[str | None, str | None]]:
        """(id, name) of each style, the name as python-docx's style.name gives it (UI names of built-in styles)."""
        self._indexed()
        return self._ids_and_names

    def get_by_id(self, style_id: str):
        self._indexed()
        return self._by_id.get(style_id)

    @property
    def element(self) -> _StyleIndex:
        return self

    def xpath(self, query: str, namespaces=None):
        """As docxcompose's xpath() queries python-docx's elements (it passes namespaces to any other kind)."""
        return self._element.xpath(query)

    def __getattr__(self, name):
        return getattr(self._element, name)


class _Indexed:
    """A document whose `styles` (and `styles.element`) is a _StyleIndex; the rest is the document itself."""

    def __init__(self, document: DocumentObject, styles: _StyleIndex):
        self._document = document
        self.styles = styles

    def __getattr__(self, name):
        return getattr(self._document, name)


class _Composer(Composer):
    """docxcompose's Composer, reading styles from indexed style elements rather than through python-docx's
    style objects and XPath queries (most of composing a decree with four appendices): add_styles, run for
    every appended body element, lists the composed document's style ids after every style it handles and
    looks styles up by id in both documents; restart_first_numbering looks the first paragraph style up;
    each append maps the appended document's style ids to the composed one's by style name."""

    doc: DocumentObject | _Indexed      # docxcompose's composed document; the indexed one while styles are read

    def __init__(self, document: DocumentObject):
        super().__init__(document)
        # read from the shared parse until docxcompose adds a style, then from the document's own
        own_styles = _StyleIndex(styles_to_read(document), lambda: document.styles.element)
        self._indexed_doc = _Indexed(document, own_styles)
        self._indexes: dict[int, _StyleIndex] = {}

    def append(self, doc: DocumentObject, remove_property_fields: bool = True) -> None:
        """Append `doc`, its styles only read (package_cache: the process's shared parse if it has none of its own,
        one for the appendices of templates with the same styles, indexed once)."""
        styles = styles_to_read(doc)
        if id(styles) not in self._indexes:       # the index holds `styles`: meanwhile its id names nothing else
            self._indexes[id(styles)] = _StyleIndex(styles)
        super().append(_Indexed(doc, self._indexes[id(styles)]), remove_property_fields)

    @contextmanager
    def _reading_indexed_styles(self):
        """docxcompose's methods that read the composed document's styles see the indexed ones meanwhile."""
        document = self.doc
        self.doc = self._indexed_doc
        try:
            yield
        finally:
            self.doc = document

    def add_styles(self, doc, element):
        with self._reading_indexed_styles():
            super().add_styles(doc, element)

    def restart_first_numbering(self, doc, element):
        with self._reading_indexed_styles():
            super().restart_first_numbering(doc, element)

    def _create_style_id_mapping(self, doc):
        self._style_id2name = dict(doc.styles.ids_and_names())
        self._style_name2id = {name: style_id for style_id, name in self._indexed_doc.styles.ids_and_names()}


def _as_read_back(document: DocumentObject) -> DocumentObject:
    """The rendered document as reading its saved bytes would give it, without reading them: the body, which
    rendering rewrote, is parsed again (docxtpl's own parse keeps whitespace between elements that reading
    drops). The other parts were parsed from the template by python-docx and changed only through it, as
    reading gives them; the package properties are written anew when the document is saved (package.py)."""
    document.part._element = parse_xml(serialize_part_xml(document.part.element))
    return document.part.document


def _saved_and_opened(document: DocumentObject) -> DocumentObject:
    """What _as_read_back gives, by the public path: the document saved and opened again."""
    saved = io.BytesIO()
    document.save(saved)
    return Document(saved)


@lru_cache(maxsize=_QUERIES)
def _compiled(query: str) -> etree.XPath:
    return etree.XPath(query, namespaces=nsmap)


def _xpath(element, query: str) -> list:
    """docxcompose.utils.xpath, each query compiled once: the same query, namespaces and results."""
    if isinstance(element, etree._Element):
        return _compiled(query)(element)
    return xpath(element, query)                  # a _StyleIndex: queried through its element


@contextmanager
def _queries_compiled_once():
    """docxcompose runs a dozen XPath queries on every appended element through its module's `xpath`, and lxml
    compiles a query at every call: that compiling was a third of composing. For the time of a composition,
    that module's `xpath` compiles each query once (docxcompose is used nowhere else in the process)."""
    original, docxcompose_composer.xpath = docxcompose_composer.xpath, _xpath
    try:
        yield
    finally:
        docxcompose_composer.xpath = original


def compose_with_appendices(decree: DocumentObject, appendices: list[DocumentObject]) -> DocumentObject:
    """The decree with the appendices appended (all rendered in this process; the appendices already saved)."""
    fast = fast_paths.enabled()
    read_back = _as_read_back if fast else _saved_and_opened
    document = read_back(decree)
    composer = _Composer(document) if fast else Composer(document)
    with _queries_compiled_once() if fast else nullcontext():
        for appendix in map(read_back, appendices):
            _close_section(document)
            composer.append(appendix)
            _appendix_page_setup(document, appendix)
    return document
