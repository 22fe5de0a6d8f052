"""The build manifest `outputs/.manifest.json`: what each set of outputs was made from.

`prikaz build` re-renders a programme only when the digest of its inputs differs from the
one recorded with its outputs, or its outputs are no longer as they were written (a file
deleted, replaced or edited by hand). `engine.building.build` decides what the inputs are; this
module digests them, records each set of outputs with the digests of its files, and
stores the records. Like the outputs, the manifest is the same bytes for the same inputs.

The manifest is written last, atomically, after every file it describes. A crash before
that leaves the previous manifest, whose records no longer match the files of any folder
swapped since, so those programmes are rebuilt: the manifest never vouches for an output
that isn't there or isn't what it says.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import platform
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from engine.building.atomic import write_bytes_if_changed

MANIFEST = ".manifest.json"
FORMAT = "prikaz-manifest/1"
ENGINE = Path(__file__).resolve().parent.parent


# The libraries whose versions shape the bytes of an output (documents, feeds, pages; holidays if installed):
# after an upgrade of one, unchanged programmes are rendered again, and a cached local build and a fresh CI
# build of one commit agree.
SHAPING_DISTRIBUTIONS = (
    "python-docx", "docxtpl", "docxcompose", "lxml", "Jinja2", "MarkupSafe", "icalendar", "python-dateutil", "tzdata",
    "babel", "num2words", "pymorphy3", "pymorphy3-dicts-ru", "petrovich", "holidays", "pydantic", "pydantic-core",
    "ruamel.yaml", "PyYAML",
)


@functools.cache
def engine_digest() -> str:
    """The engine's version as the outputs see it: a digest of its own source files and of the versions that
    shape its outputs (`shaping_versions`), computed once per process."""
    digest = hashlib.sha256()
    for source in sorted(ENGINE.rglob("*.py")):
        digest.update(source.relative_to(ENGINE).as_posix().encode())
        digest.update(source.read_bytes())
    digest.update(json.dumps(shaping_versions(), sort_keys=True).encode())
    return digest.hexdigest()[:16]


def shaping_versions() -> dict[str, str]:
    """The versions of Python, of the zlib that deflates every DOCX, and of SHAPING_DISTRIBUTIONS installed.

    Read from each distribution's metadata header, not through importlib.metadata.version(), which parses
    the whole file as an e-mail message: ≈ 1 ms for all instead of ≈ 30.
    """
    found = {"Python": platform.python_version(), "zlib": zlib.ZLIB_RUNTIME_VERSION}
    for name in SHAPING_DISTRIBUTIONS:
        try:
            metadata = importlib.metadata.distribution(name).read_text("METADATA") or ""
        except importlib.metadata.PackageNotFoundError:
            continue
        header = metadata.split("\n\n", 1)[0]
        found[name] = next((line.removeprefix("Version:").strip() for line in header.splitlines()
                            if line.startswith("Version:")), "")
    return found


def file_digest(path: Path) -> str | None:
    """The digest of a file's bytes; None for a file that cannot be read (which never matches a recorded digest)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def inputs_digest(inputs: dict) -> str:
    """The digest of JSON-compatible inputs, independent of the order of their keys."""
    canonical = json.dumps(inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Record:
    """One set of outputs: the digest of its inputs, and the digest of each of its files (relative to a folder)."""

    digest: str
    files: dict[str, str]
    templates: tuple[str, ...] = ()  # template files the documents were rendered from, to digest next time

    @classmethod
    def of(cls, digest: str, files: dict[str, bytes], templates: tuple[str, ...] = ()) -> Record:
        """The record of `files` as they are written."""
        return cls(digest, {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}, templates)

    def intact(self, folder: Path) -> bool:
        """Every recorded file is still in `folder`, byte for byte as it was written."""
        return all(file_digest(folder / name) == digest for name, digest in self.files.items())

    def to_json(self) -> dict:
        return {"digest": self.digest, "files": dict(sorted(self.files.items())), "templates": list(self.templates)}

    @classmethod
    def from_json(cls, data: dict) -> Record:
        return cls(str(data["digest"]), {str(name): str(digest) for name, digest in data["files"].items()},
                   tuple(str(template) for template in data.get("templates", ())))


@dataclass
class Manifest:
    """The records of one outputs folder: one per programme (by id) and one for the files that span programmes."""

    programmes: dict[str, Record] = field(default_factory=dict)
    shared: Record | None = None

    @classmethod
    def load(cls, outputs: Path) -> Manifest:
        """The recorded state; empty (so everything is rebuilt) when the manifest is missing, unreadable or foreign."""
        try:
            data = json.loads((outputs / MANIFEST).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return cls()
            return cls({name: Record.from_json(record) for name, record in data["programmes"].items()},
                       Record.from_json(data["shared"]) if data.get("shared") else None)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls()

    def save(self, outputs: Path) -> None:
        """Write the manifest atomically, unless it already says the same: a build with nothing to do writes nothing."""
        data = {"format": FORMAT,
                "programmes": {name: record.to_json() for name, record in sorted(self.programmes.items())},
                "shared": self.shared.to_json() if self.shared else None}
        write_bytes_if_changed(outputs / MANIFEST, (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8"))
