"""Saving a document so that the same input gives the same bytes, and Word opens it without repairing it.

python-docx stamps zip members with the wall clock and leaves the package's properties as the
template had them. Here members are written in a fixed order with fixed timestamps and permissions,
and the package properties are written anew, true to the document:
- docProps/core.xml: title, author, the build time (SOURCE_DATE_EPOCH or the specs' last commit, see
  `engine.building.build`) as created and modified, revision 1, language;
- docProps/app.xml: the application that made it, nothing it cannot know (pages and words are Word's
  own count after layout; a template's stale figures would be false);
- no thumbnail (a template's picture of itself is not the document's) and no stylesWithEffects.xml
  (Word 2010's copy of the styles: a template's copy goes stale as soon as a style changes, and Word
  reports such a file as unreadable; Word 2013 and later, LibreOffice, and Word 2010 without it read
  styles.xml alone).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import zipfile
import zlib

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.opc.pkgwriter import PackageWriter
from lxml import etree

from engine import fast_paths

# [Content_Types].xml first, as Word writes it; some readers sniff the start of the zip.
_FIRST_MEMBERS = ("[Content_Types].xml", "_rels/.rels")
_ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the earliest date a zip entry can hold
_UTF8_NAME = 0x800  # general purpose flag: the member's name is UTF-8
# the records after the members, as the ZIP format (PKWARE's APPNOTE.TXT, 4.3.12 and 4.3.16) lays them out
_CENTRAL_DIRECTORY = struct.Struct("<4s4B4HL2L5H2L")
_CENTRAL_DIRECTORY_SIGNATURE = b"PK\x01\x02"
_END_OF_CENTRAL_DIRECTORY = struct.Struct("<4s4H2LH")
_END_OF_CENTRAL_DIRECTORY_SIGNATURE = b"PK\x05\x06"

APPLICATION = "prikaz"
_CORE_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
_APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
# package properties the document gets anew, and parts it loses (see the module's docstring)
_PACKAGE_PROPERTIES = (RT.CORE_PROPERTIES, RT.EXTENDED_PROPERTIES, RT.THUMBNAIL)
_STALE_PARTS = ("http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",)


def save_reproducibly(document: Document, when: dt.datetime, title: str = "") -> bytes:
    """The document as DOCX bytes, with its package properties and zip members fixed to `when`."""
    moment = max(when, _ZIP_EPOCH).astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    _set_package_properties(document, moment, title)
    if not fast_paths.enabled():
        return _zipped(_saved_members(document), moment)
    return _zip(_members(document), moment)


def _set_package_properties(document: Document, moment: dt.datetime, title: str) -> None:
    package, main = document.part.package, document.part
    for rels, dropped in ((package.rels, _PACKAGE_PROPERTIES), (main.rels, _STALE_PARTS)):
        for rel_id in [rel_id for rel_id, rel in rels.items() if rel.reltype in dropped]:
            del rels[rel_id]
    package.relate_to(Part(PackURI("/docProps/core.xml"), CT.OPC_CORE_PROPERTIES,
                           core_properties(moment, title), package), RT.CORE_PROPERTIES)
    package.relate_to(Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES,
                           _APP_PROPERTIES, package), RT.EXTENDED_PROPERTIES)


def core_properties(moment: dt.datetime, title: str) -> bytes:
    """docProps/core.xml, written here with its namespaces spelled out rather than through python-docx's
    CoreProperties: importing docxcompose (which docxtpl imports too) rebinds python-docx's `cp` prefix to
    the custom-properties namespace, after which python-docx writes `cp:lastModifiedBy` and `cp:revision` a
    second time, in that namespace — a part Word reports as unreadable content."""
    cp, dc, dcterms, xsi = (f"{{{uri}}}" for uri in _CORE_NS.values())
    root = etree.Element(f"{cp}coreProperties", nsmap=_CORE_NS)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    for tag, text in ((f"{dc}title", title[:255]),         # the most a core property holds
                      (f"{dc}creator", APPLICATION), (f"{cp}lastModifiedBy", APPLICATION), (f"{cp}revision", "1"),
                      (f"{dcterms}created", stamp), (f"{dcterms}modified", stamp), (f"{dc}language", "ru-RU")):
        element = etree.SubElement(root, tag)
        element.text = text
        if tag.startswith(dcterms):
            element.set(f"{xsi}type", "dcterms:W3CDTF")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_APP_PROPERTIES = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                   + f'<Properties xmlns="{_APP_NS}"><Application>{APPLICATION}</Application></Properties>'.encode())


class _Members:
    """Where python-docx's package writer puts the members of a package: a dict instead of a zip."""

    def __init__(self):
        self.members: dict[str, bytes] = {}

    def write(self, pack_uri, blob: bytes) -> None:
        self.members[pack_uri.membername] = blob


def _members(document: Document) -> dict[str, bytes]:
    """The members Document.save() would zip, without zipping them (the zip is written once, in `_zip`)."""
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    writer = _Members()
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    for part in package.parts:      # as PackageWriter._write_parts does
        writer.write(part.partname, part.blob)
        if len(part.rels):
            writer.write(part.partname.rels_uri, part.rels.xml)
    return writer.members


# Deflating is most of saving, and most of what is deflated is the same for every document of a template
# (styles.xml is 90 % of a bundled template's bytes): each distinct member is
# deflated once per process, found again by its digest, and the zip is written around the compressed bytes.
# The cache holds digests and compressed bytes, not the members themselves, and forgets the least recently used.
# The biggest members come back as the very same bytes object (the shared parse of a template's styles, a part
# python-docx keeps as read: package_cache): a member seen again is also remembered by identity — holding it, so
# its id names no other object — and found without hashing it.
_DEFLATED_MEMBERS = 64
_deflated_by_digest: dict[bytes, tuple[int, bytes]] = {}
_deflated_by_object: dict[int, tuple[bytes, tuple[int, bytes]]] = {}


def clear() -> None:
    _deflated_by_digest.clear()
    _deflated_by_object.clear()


def _deflated(data: bytes) -> tuple[int, bytes]:
    """(CRC-32, raw deflate stream) exactly as zipfile writes a ZIP_DEFLATED member at the default level."""
    same = _deflated_by_object.pop(id(data), None)      # put back below: the dict's order is the order of use
    if same is not None and same[0] is data:
        _deflated_by_object[id(data)] = same
        return same[1]
    digest = hashlib.sha256(data).digest()
    found = _deflated_by_digest.pop(digest, None)
    if found is None:
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        found = zlib.crc32(data), compressor.compress(data) + compressor.flush()
    else:
        _remember(_deflated_by_object, id(data), (data, found))
    _remember(_deflated_by_digest, digest, found)
    return found


def _remember(cache: dict, key, value) -> None:
    """`value` as the most recently used, the least recently used forgotten beyond _DEFLATED_MEMBERS."""
    if len(cache) >= _DEFLATED_MEMBERS:
        cache.pop(next(iter(cache)), None)
    cache[key] = value


def _saved_members(document: Document) -> dict[str, bytes]:
    """What _members gives, by the public path: the document saved, its members read back."""
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as package:
        return {name: package.read(name) for name in package.namelist()}


def _order(members: dict[str, bytes]) -> list[str]:
    return [name for name in _FIRST_MEMBERS if name in members] + sorted(set(members) - set(_FIRST_MEMBERS))


def _member_info(name: str, moment: dt.datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o100644 << 16
    info.create_system = 3  # unix, so the mode above is read the same everywhere
    return info


def _zipped(members: dict[str, bytes], moment: dt.datetime) -> bytes:
    """The members deflated, dated `moment`, mode 0644, in a stable order, by zipfile.ZipFile."""
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as package:
        for name in _order(members):
            package.writestr(_member_info(name, moment), members[name])
    return zipped.getvalue()


def _zip(members: dict[str, bytes], moment: dt.datetime) -> bytes:
    """The bytes of _zipped, each distinct member deflated once per process."""
    order = _order(members)
    entries, directory, offset = [], [], 0
    for name in order:
        data = members[name]
        info = _member_info(name, moment)
        info.CRC, compressed = _deflated(data)
        info.compress_size, info.file_size = len(compressed), len(data)
        header = info.FileHeader(zip64=False)
        entries += [header, compressed]
        directory.append(_directory_entry(info, offset))
        offset += len(header) + len(compressed)
    size = sum(map(len, directory))
    end = _END_OF_CENTRAL_DIRECTORY.pack(_END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0, 0, len(order), len(order), size,
                                         offset, 0)
    return b"".join(entries + directory + [end])


def _directory_entry(info: zipfile.ZipInfo, offset: int) -> bytes:
    """A central directory record, field for field as ZipFile.close() writes it for a member without extras."""
    try:
        name, flags = info.filename.encode("ascii"), info.flag_bits
    except UnicodeEncodeError:
        name, flags = info.filename.encode("utf-8"), info.flag_bits | _UTF8_NAME
    date, time = info.date_time[:3], info.date_time[3:]
    dos_date = (date[0] - 1980) << 9 | date[1] << 5 | date[2]
    dos_time = time[0] << 11 | time[1] << 5 | time[2] // 2
    return _CENTRAL_DIRECTORY.pack(_CENTRAL_DIRECTORY_SIGNATURE, info.create_version, info.create_system,
                                   info.extract_version, info.reserved, flags, info.compress_type, dos_time, dos_date,
                                   info.CRC, info.compress_size, info.file_size, len(name), 0, 0, 0, info.internal_attr,
                                   info.external_attr, offset) + name
