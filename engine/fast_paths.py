"""One switch for every place where prikaz goes faster than a library's public API allows.

Each fast path does what a library's public path does, in less time, by reaching into the library:

- loading/yaml_source.py: a plain file is composed by libyaml through PyYAML.
  Public path: ruamel.yaml's reader, the reference.
- render/docx/__init__.py: docxtpl's `patch_xml` runs unbound (`self` is None) once per distinct part;
  `resolve_listing` is skipped when there is nothing to resolve. Public path: `DocxTemplate` as it is.
- render/docx/package_cache.py: a template is unzipped once (python-docx's `PackageReader`,
  `Unmarshaller`, `PartFactory`); its styles.xml is parsed once per process, behind a `StylesPart`
  whose `_element` is shadowed. Public path: `DocxTemplate.get_docx()`, i.e. `docx.Document(path)`.
- render/docx/compose.py: rendered parts are parsed again by setting `part._element`; docxcompose's
  `Composer` reads indexed styles (its `add_styles`, `restart_first_numbering` and
  `_create_style_id_mapping` overridden); `docxcompose.composer.xpath` is swapped for compiled queries.
  Public path: each document saved and opened again, `docxcompose.composer.Composer` as it is.
- render/ics.py: a VEVENT's lines are written directly, TEXT escaped and dates formatted as icalendar 7 does
  (ORGANIZER and TRIGGER lines are still icalendar's, once per distinct value). Public path: icalendar's
  `Event` and `Alarm` built and serialized.
- render/docx/package.py: the members come from python-docx's `PackageWriter` internals; the zip is
  written around members deflated once per process (`ZipInfo.FileHeader`, the central directory
  packed by hand). Public path: `Document.save`, then `zipfile.ZipFile` writing the members.

`PRIKAZ_FAST_PATHS=0` in the environment selects the public paths for the whole process (and the
workers it forks); `switched(False)` does it for a block, for the tests. Both paths give the same
bytes: tests/render/test_fast_paths.py (DOCX) and tests/render/test_ics_fast_path.py (calendars) compare
them for the bundled and for synthetic programmes, so a library upgrade that breaks a fast path fails there
(the libraries are pinned: pyproject.toml, constraints.txt).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

_enabled = os.environ.get("PRIKAZ_FAST_PATHS", "1").strip() != "0"


def enabled() -> bool:
    """Whether the fast paths are taken (asked at each use, so that the switch can change in a process)."""
    return _enabled


@contextmanager
def switched(on: bool) -> Iterator[None]:
    """The fast paths (`on`) or the libraries' public paths for the time of the block."""
    global _enabled
    before, _enabled = _enabled, on
    try:
        yield
    finally:
        _enabled = before
