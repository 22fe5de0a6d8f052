"""Opening a template: its zip read once per process, its styles parsed once per process.

Every document of a build starts as one of a few template files. Unzipping one again is wasted
work, and so is most of parsing it: styles.xml is 90 % of a bundled template (every style Word
knows), parsing it was a fifth of rendering a document and serializing it again a tenth, while
rendering only reads it. So:

- the unzipped package (python-docx's PackageReader: part names, types, relationships and bytes,
  never changed) is kept per template content: the file is read each time and looked up by its
  bytes, so a template edited between two builds of `prikaz serve` is read anew;
- a styles part is parsed once per distinct styles.xml, and that parse is shared, read only, by the
  documents of the process (`styles_to_read`). A document gets a parse of its own the moment
  python-docx is asked for its styles (`document.styles`, the part's element): whoever may change
  them (the spec's font, composing appendices into the decree) goes through python-docx. An
  untouched styles part saves as the shared parse serializes — what its own parse would write.
"""

from __future__ import annotations

import io
from functools import cached_property, lru_cache

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.opc.package import Unmarshaller
from docx.opc.part import Part, PartFactory
from docx.opc.pkgreader import PackageReader
from docx.oxml import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.package import Package
from docx.parts.styles import StylesPart

# a build uses a handful of templates; `prikaz serve` may see a few versions of each
_TEMPLATES = 16


def open_document(data: bytes) -> Document:
    """The DOCX `data` as python-docx's Document(io.BytesIO(data)) opens it, raising what that raises."""
    package = Package()
    Unmarshaller.unmarshal(_reader(data), package, _part)
    part = package.main_document_part
    if part.content_type != CT.WML_DOCUMENT_MAIN:
        raise ValueError(f"not a Word file, content type is '{part.content_type}'")
    return part.document


def styles_to_read(document: Document):
    """The document's <w:styles> for reading only: the shared parse while the document has none of its own."""
    try:
        part = document.part.part_related_by(RT.STYLES)
    except KeyError:                    # no styles part: python-docx adds its default one, as it always did
        return document.styles.element
    if isinstance(part, _TemplateStyles) and part.own is None:
        return part.shared.element
    return document.styles.element


def clear() -> None:
    _reader.cache_clear()
    _shared.cache_clear()


@lru_cache(maxsize=_TEMPLATES)
def _reader(data: bytes) -> PackageReader:
    return PackageReader.from_file(io.BytesIO(data))


class _Shared:
    """One styles.xml parsed, and that parse serialized when first saved, for the whole process. Never to be changed."""

    def __init__(self, blob: bytes):
        self.element = parse_xml(blob)

    @cached_property
    def blob(self) -> bytes:
        return serialize_part_xml(self.element)


@lru_cache(maxsize=_TEMPLATES)
def _shared(blob: bytes) -> _Shared:
    return _Shared(blob)


class _TemplateStyles(StylesPart):
    """A template's styles part: python-docx's StylesPart, parsed from the template's bytes when first asked for."""

    def __init__(self, partname, content_type, blob: bytes, package):
        self._template_blob = blob
        self.shared = _shared(blob)
        self.own: BaseOxmlElement | None = None
        Part.__init__(self, partname, content_type, package=package)   # XmlPart's would set the element, parsed later

    # XmlPart keeps its XML in `_element`: every python-docx access to the part's XML goes through it
    @property
    def _element(self):
        if self.own is None:
            self.own = parse_xml(self._template_blob)
        return self.own

    @_element.setter
    def _element(self, element) -> None:
        self.own = element

    @property
    def blob(self) -> bytes:
        return self.shared.blob if self.own is None else serialize_part_xml(self.own)


def _part(partname, content_type, reltype, blob, package):
    """python-docx's PartFactory, but a styles part is a _TemplateStyles."""
    if content_type == CT.WML_STYLES:
        return _TemplateStyles(partname, content_type, blob, package)
    return PartFactory(partname, content_type, reltype, blob, package)
