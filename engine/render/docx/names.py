"""File names of the rendered documents: Latin, lower case, no «/» — safe in any file system and URL.

Russian words are transliterated with iuliia's Moscow Metro scheme («распоряжение» →
«rasporyazhenie»); anything but letters and digits becomes a hyphen, so the number
491/01-08 gives «491-01-08».
"""

from __future__ import annotations

import re

import iuliia

_NOT_SAFE = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _NOT_SAFE.sub("-", iuliia.MOSMETRO.translate(text).lower()).strip("-")


def decree_file(kind: str, number: str) -> str:
    """«prikaz-266.docx», «rasporyazhenie-178-r.docx»."""
    return f"{slug(kind)}-{slug(number)}.docx"


def appendix_file(number: int, title: str) -> str:
    """«prilozhenie-1-plan-grafik.docx» — numbered even when the document prints a bare «Приложение»."""
    return f"prilozhenie-{number}-{slug(title)}.docx"
