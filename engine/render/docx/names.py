"""File names of the rendered documents: Latin, lower case, no «/» — safe in any file system and URL.

Russian words are transliterated with iuliia's Moscow Metro scheme («распоряжение» →
«rasporyazhenie»); anything but letters and digits becomes a hyphen, so the number
491/01-08 gives «491-01-08».
"""

from __future__ import annotations

import hashlib
import re

import iuliia

_NOT_SAFE = re.compile(r"[^a-z0-9]+")
# file systems allow 255 bytes in a name; a long title keeps its start and a digest of the rest
_LONGEST = 80


def slug(text: str) -> str:
    whole = _NOT_SAFE.sub("-", iuliia.MOSMETRO.translate(text).lower()).strip("-")
    if len(whole) <= _LONGEST:
        return whole
    digest = hashlib.sha256(whole.encode()).hexdigest()[:8]
    return f"{whole[:_LONGEST - 9].rstrip('-')}-{digest}"


DRAFT = "proekt"


def decree_file(kind: str, number: str | None) -> str:
    """«prikaz-266.docx», «rasporyazhenie-178-r.docx»; a draft without a number «prikaz-proekt.docx»."""
    return f"{slug(kind)}-{slug(number) if number else DRAFT}.docx"


def programme_document_file(title: str) -> str:
    """«munitsipalnaya-programma.docx»: the programme document with its appendices."""
    return f"{slug(title)}.docx"


def appendix_file(number: int, title: str) -> str:
    """«prilozhenie-1-plan-grafik.docx» — numbered even when the document prints a bare «Приложение»."""
    return f"prilozhenie-{number}-{slug(title)}.docx"


def amendment_file(kind: str, number: str | None, amendment_id: str) -> str:
    """«prikaz-300-o-vnesenii-izmeneniy.docx»; a draft without a number yet: «proekt-izmeneniy-amendment-1.docx»."""
    if number:
        return f"{slug(kind)}-{slug(number)}-o-vnesenii-izmeneniy.docx"
    return f"proekt-izmeneniy-{slug(amendment_id)}.docx"


def progress_file(as_of: str) -> str:
    """«informatsiya-o-khode-realizatsii-2022-07-01.docx»: the report of one day beside the documents it reports on."""
    return f"{slug('Информация о ходе реализации')}-{as_of}.docx"
