"""Saving a document so that the same input gives the same bytes.

python-docx stamps zip members with the wall clock and leaves the core properties
as the template had them. Here the creation and modification dates are the
build time (SOURCE_DATE_EPOCH or the specs' last commit, see `engine.build`),
members are written in a fixed order with fixed timestamps and permissions.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx.document import Document
from docx.opc.pkgwriter import PackageWriter

# [Content_Types].xml first, as Word writes it; some readers sniff the start of the zip.
_FIRST_MEMBERS = ("[Content_Types].xml", "_rels/.rels")
_ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)  # the earliest date a zip entry can hold


def save_reproducibly(document: Document, when: dt.datetime, title: str = "") -> bytes:
    """The document as DOCX bytes, with core properties and zip members fixed to `when`."""
    moment = max(when, _ZIP_EPOCH).astimezone(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    properties = document.core_properties
    properties.created = properties.modified = moment
    properties.last_modified_by = properties.author = "prikaz"
    properties.comments = ""
    properties.revision = 1
    properties.title = title[:255]      # the most a core property holds
    properties.language = "ru-RU"
    return _zip(_members(document), moment)


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
    PackageWriter._write_parts(writer, package.parts)
    return writer.members


def normalise_zip(data: bytes, moment: dt.datetime) -> bytes:
    """Rewrite a zip with members in a stable order, each stamped `moment`, deflated, mode 0644."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    return _zip(members, moment)


def _zip(members: dict[str, bytes], moment: dt.datetime) -> bytes:
    order = [name for name in _FIRST_MEMBERS if name in members]
    order += sorted(name for name in members if name not in _FIRST_MEMBERS)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # unix, so the mode above is read the same everywhere
            target.writestr(info, members[name])
    return output.getvalue()
