"""A build in shares: `prikaz build --shard K/N` on N machines, then `prikaz merge` — the bytes of one build.

A national rollout is tens of thousands of programmes, and the CI that builds them already runs jobs side
by side (a GitHub Actions matrix, GitLab's `parallel:`). Each job builds share K of N into a folder of its own:

    <shard>/<programme>/…          the share's programme folders, exactly as `prikaz build` writes them
    <shard>/prikaz-shard.jsonl     everything else the merge needs of the share (the shard file, below)

and `prikaz merge <shard>… -o outputs` (engine.building.merge) swaps the programme folders into outputs/ and
writes what spans programmes — the feeds across programmes, the site index, the emptied feeds of removed
programmes, the registry of feeds, the manifest, the build log — from the parts, as `prikaz build` would have.

Which programme is in which share (`shares`) depends on the programmes' ids, not on their positions, so that a
programme added or removed moves (almost) no other: the history cache of a shard's CI job stays its own.

The shard file is JSON Lines (UTF-8, one JSON object a line), read back through pydantic models, never
unpickled; what a line says is checked before it is used:

    1st line   the header: «format»: "prikaz-shard/1", the share («shard» K «of» N), what every share must
               agree on (the engine, the bundled templates, the specs and their commit, the programmes in the
               build's order, the build times, the options) and the build's own diagnostics
    then       a line per programme of the share, in the build's order: its diagnostics (of the check, of the
               build), the texts they point into, its manifest record (null: not published) and its parts —
               one per RepositoryRenderer, by class name, as pydantic writes the type its `part` returns
    last line  the trailer: «end»: "prikaz-shard/1", the number of programme lines, the sha256 of every byte
               before it (a file cut short or damaged on its way between CI jobs is refused)

The file is written beside the programme folders under a temporary name and renamed last; a shard build removes
the previous one first, so a build that stopped half-way leaves none. A problem with the shards (B101–B104)
is a diagnostic saying which shard, which line and what to do.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import subprocess
import tempfile
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model

from engine.building.atomic import current_umask
from engine.building.manifest import Record, file_digest, inputs_digest
from engine.diagnostics import Diagnostic, Severity, Span
from engine.loading import spec_files
from engine.render import repository_renderers

SHARD_FILE = "prikaz-shard.jsonl"
FORMAT: Literal["prikaz-shard/1"] = "prikaz-shard/1"
MAX_SHARDS = 1000          # GitHub runs at most 256 jobs of a matrix, GitLab 200 of a `parallel:`
LOAD_SLACK = 0.05          # a share holds at most 5 % more programmes than the mean (`shares`)

MISSING, MISMATCHED, DAMAGED, UNKNOWN_FEED = "B101", "B102", "B103", "B104"


@dataclass(frozen=True)
class Shard:
    """Share `number` of `count` (1-based, as CI numbers its parallel jobs)."""

    number: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """«K/N» → Shard; ValueError with the reason in Russian."""
        number, slash, count = text.strip().partition("/")
        if slash and all(part.isascii() and part.isdigit() for part in (number, count)):
            shard = cls(int(number), int(count))
            if 1 <= shard.number <= shard.count <= MAX_SHARDS:
                return shard
        raise ValueError(f"«{text}» — не часть сборки: нужно K/N — номер части K от 1 до числа частей N "
                         f"(не больше {MAX_SHARDS}), например 2/4")

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"


def _key(programme: str) -> int:
    return int.from_bytes(hashlib.sha256(programme.encode("utf-8")).digest()[:8], "big")


def shares(programmes: Sequence[str], count: int) -> dict[str, int]:
    """The share (1…count) of each programme.

    A programme's own share is its id's hash modulo `count`: whatever programmes come or go, it stays. Hashes
    spread evenly only on average — a hundred programmes in 7 shares often put 20 in one and 10 in another, and
    the slowest share is the build's time — so a share takes at most ⌈(1 + LOAD_SLACK)·n / count⌉ programmes;
    in the order of their hashes each takes its own share, or the next one that is not full. A programme added
    or removed moves only those that overflow around it («consistent hashing with bounded loads», Mirrokni,
    Thorup and Zadimoghaddam, 2018).
    """
    capacity = math.ceil(len(programmes) * (1 + LOAD_SLACK) / count)
    load = [0] * count
    found: dict[str, int] = {}
    for key, programme in sorted((_key(programme), programme) for programme in programmes):
        share = key % count
        while load[share] >= capacity:
            share = (share + 1) % count
        load[share] += 1
        found[programme] = share + 1
    return found


def _safe_name(name: str) -> str:
    """One folder name of outputs/ (a programme id): never «..», a path, a hidden or staging name."""
    if not name or name.startswith(".") or any(character in name for character in "/\\\0"):
        raise ValueError(f"«{name}» — не имя папки программы")
    return name


def _safe_relative(path: str) -> str:
    """A file inside a programme folder: relative, no «..», no hidden parts, forward slashes."""
    parts = path.split("/")
    if "\\" in path or "\0" in path or not all(part and not part.startswith(".") for part in parts):
        raise ValueError(f"«{path}» — не файл внутри папки программы")
    return path


ProgrammeName = Annotated[str, AfterValidator(_safe_name)]
RelativeFile = Annotated[str, AfterValidator(_safe_relative)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ShardHeader(_Strict):
    format: Literal["prikaz-shard/1"]
    shard: int
    of: int
    engine: str                              # engine_digest(): the source and the libraries that shape the bytes
    templates: str                           # digest of the bundled templates folder (the site's pages among them)
    specs: str                               # digest of every spec file of the tree
    commit: str | None                       # HEAD of the specs' repository, for the message; None outside git
    build_time: str                          # of the files that span programmes (ISO), the latest of all
    times: str                               # digest of every programme's own build time
    programmes: list[ProgrammeName]          # every programme of the tree, in the build's order
    specs_path: str                          # the specs folder as the build was given it
    whole_tree: bool                         # the whole specs tree, not one programme: removed ones are retired
    site_url: str | None
    pdf: bool
    renderers: list[str]                     # the RepositoryRenderers, in order
    problems: list[Diagnostic]               # of the tree (no programme in it)
    registry: list[Diagnostic]               # reading the registry of published feeds
    pdf_missing: Diagnostic | None           # D201: no LibreOffice on the shard's machine

    @property
    def shard_name(self) -> str:
        return f"{self.shard}/{self.of}"


class _RecordModel(_Strict):
    digest: str
    files: dict[RelativeFile, str]
    templates: list[str]


class _LineHead(_Strict):
    """A programme's line, but its parts (`PartCodec` writes and reads them)."""

    programme: ProgrammeName
    directory: str
    check: list[Diagnostic]
    build: list[Diagnostic]
    texts: dict[str, str]
    record: _RecordModel | None


class _Trailer(_Strict):
    end: Literal["prikaz-shard/1"]
    programmes: int
    sha256: str


@dataclass(frozen=True)
class ProgrammeLine:
    """One programme of a shard, as the merge needs it."""

    programme: str
    directory: Path
    check: list[Diagnostic]
    build: list[Diagnostic]
    texts: dict[Path, str]
    record: Record | None
    parts: tuple | None


class PartCodec:
    """The parts of this engine's RepositoryRenderers as JSON and back, by the type each one's `part` returns."""

    def __init__(self) -> None:
        self.types = {renderer.__name__: typing.get_type_hints(renderer.part)["return"]
                      for renderer in repository_renderers()}
        self.adapters = {name: TypeAdapter(kind) for name, kind in self.types.items()}
        parts = create_model("Parts", __config__=ConfigDict(extra="forbid"),
                             **{name: (kind, ...) for name, kind in self.types.items()})   # type: ignore[call-overload]
        self.line = create_model("ProgrammeLine", __base__=_LineHead, parts=(parts | None, ...))

    def encode(self, parts: tuple) -> str:
        """One programme's parts as a JSON object by renderer. A part that does not read back equal to itself would
        make the merged files differ from one build's: that is the engine's failure (RuntimeError), never other bytes."""
        pieces = []
        for (name, adapter), part in zip(self.adapters.items(), parts, strict=True):
            data = adapter.dump_json(part)
            if adapter.validate_json(data) != part:
                raise RuntimeError(f"часть {name} не читается из JSON такой же, какой записана: уточните тип, который "
                                   f"возвращает {name}.part (engine.render.RepositoryRenderer)")
            pieces.append(f"{json.dumps(name)}:{data.decode('utf-8')}")
        return "{" + ",".join(pieces) + "}"

    def read(self, text: bytes) -> ProgrammeLine:
        """A programme's line checked and typed; ValidationError when it is not one of this engine."""
        line = self.line.model_validate_json(text)
        record = line.record
        parts = line.parts        # type: ignore[attr-defined]
        return ProgrammeLine(
            line.programme, Path(line.directory), line.check, line.build,
            {Path(path): text for path, text in line.texts.items()},
            Record(record.digest, dict(record.files), tuple(record.templates)) if record is not None else None,
            tuple(getattr(parts, name) for name in self.types) if parts is not None else None)


@functools.cache
def part_codec() -> PartCodec:
    return PartCodec()


def programme_line(directory: Path, check: list[Diagnostic], build: list[Diagnostic], texts: dict[Path, str],
                   record: Record | None, parts: str | None) -> bytes:
    """A programme's line of the shard file; `parts` as PartCodec.encode gave them (None: not published)."""
    head = _LineHead(programme=directory.name, directory=str(directory), check=check, build=build,
                     texts={str(path): text for path, text in texts.items()},
                     record=_RecordModel(digest=record.digest, files=record.files, templates=list(record.templates))
                     if record is not None else None).model_dump_json().encode("utf-8")
    return head[:-1] + b',"parts":' + (parts.encode("utf-8") if parts is not None else b"null") + b"}\n"


def specs_digest(specs_root: Path, directories: list[Path]) -> str:
    """Every spec file of the tree, by its path under the specs root: shards of other specs are not one build."""
    return inputs_digest({file.relative_to(specs_root).as_posix(): file_digest(file)
                          for directory in directories for file in spec_files(directory)})


def specs_commit(specs: Path) -> str | None:
    try:
        found = subprocess.run(["git", "rev-parse", "HEAD"], cwd=specs, capture_output=True, text=True, timeout=10,
                               check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return (found.stdout.strip() or None) if found.returncode == 0 else None


class ShardWriter:
    """The shard file, written beside the programme folders under a temporary name and renamed when complete."""

    def __init__(self, outputs: Path, header: ShardHeader):
        outputs.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{SHARD_FILE}.", suffix=".tmp", dir=outputs)
        os.chmod(handle, 0o666 & ~current_umask())
        self.target = outputs / SHARD_FILE
        self.temporary = Path(name)
        self.stream = os.fdopen(handle, "wb")
        self.digest = hashlib.sha256()
        self.count = 0
        self._write(header.model_dump_json().encode("utf-8") + b"\n")

    def _write(self, data: bytes) -> None:
        """Flushed at once: the build forks its workers while the file is open, and a buffer they inherited must be
        empty (a worker that flushed it would write the same bytes twice)."""
        self.digest.update(data)
        self.stream.write(data)
        self.stream.flush()

    def add(self, line: bytes) -> None:
        self._write(line)
        self.count += 1

    def commit(self) -> None:
        trailer = _Trailer(end=FORMAT, programmes=self.count, sha256=self.digest.hexdigest())
        self.stream.write(trailer.model_dump_json().encode("utf-8") + b"\n")
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        os.replace(self.temporary, self.target)

    def discard(self) -> None:
        self.stream.close()
        self.temporary.unlink(missing_ok=True)


def remove_shard_file(outputs: Path) -> None:
    """Before a shard build changes a programme folder: a file that vouched for the previous ones goes first."""
    (outputs / SHARD_FILE).unlink(missing_ok=True)


class ShardProblem(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def problem(code: str, message: str, where: Path, hint: str, line: int | None = None) -> Diagnostic:
    span = Span.point(where, line, 1) if line is not None else Span.whole_file(where)
    name = {MISSING: "shard-missing", MISMATCHED: "shards-mismatched", DAMAGED: "shard-damaged",
            UNKNOWN_FEED: "shard-unknown-feed"}[code]
    return Diagnostic(code, Severity.ERROR, message, span, hint, name)


_REBUILD = "соберите эту часть заново (prikaz build --shard K/N) и запустите объединение снова"


def _explained(exc: ValidationError) -> str:
    """pydantic's first complaint as a short Russian phrase: where in the line, and what is wrong there."""
    first = exc.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "строка целиком"
    return f"поле «{where}»: {first['msg']}"


@dataclass
class ShardFile:
    """A shard's folder and the header of its shard file, whose trailer and checksum are checked."""

    folder: Path
    path: Path
    header: ShardHeader
    count: int

    @classmethod
    def open(cls, folder: Path) -> ShardFile:
        """Read and check the shard file of `folder` (ShardProblem if it is missing, cut short or damaged)."""
        path = folder / SHARD_FILE
        if not path.is_file():
            raise ShardProblem(problem(
                MISSING, f"в папке {folder} нет файла части сборки {SHARD_FILE}: её сборка не закончилась (или "
                         f"прервалась), или это не папка части", folder,
                "укажите папки, в которые собирали части (prikaz build --shard K/N -o ПАПКА); прерванную часть "
                "соберите заново"))
        digest = hashlib.sha256()
        first = last = b""
        lines = 0
        try:
            with path.open("rb") as stream:
                for line in stream:
                    if lines:
                        digest.update(last)
                    else:
                        first = line
                    last = line
                    lines += 1
        except OSError as exc:
            raise ShardProblem(problem(DAMAGED, f"файл части {path} не читается: {exc.strerror or exc}", path,
                                       _REBUILD)) from None
        try:
            kind = json.loads(first).get("format") if first else None
        except (ValueError, AttributeError):
            kind = None
        if kind != FORMAT:
            found = f"«{kind}»" if isinstance(kind, str) else "не указан"
            raise ShardProblem(problem(
                MISMATCHED if isinstance(kind, str) else DAMAGED,
                f"файл {path} — не часть сборки этой версии prikaz: формат {found}, нужен «{FORMAT}»", path,
                "соберите все части и объединяйте их одной версией prikaz", 1))
        try:
            header = ShardHeader.model_validate_json(first)
        except ValidationError as exc:
            raise ShardProblem(problem(DAMAGED, f"заголовок части {path} повреждён: {_explained(exc)}", path,
                                       _REBUILD, 1)) from None
        try:
            trailer = _Trailer.model_validate_json(last) if lines > 1 else None
        except ValidationError:
            trailer = None
        if trailer is None or trailer.programmes != lines - 2 or trailer.sha256 != digest.hexdigest():
            raise ShardProblem(problem(
                DAMAGED, f"файл части {header.shard_name} {path} обрезан или повреждён (строк программ: {lines - 2}"
                         + (f", в конце файла записано {trailer.programmes}" if trailer else ", нет последней строки")
                         + ")", path, _REBUILD, lines))
        return cls(folder, path, header, trailer.programmes)

    def programmes(self, codec: PartCodec) -> Iterator[tuple[int, ProgrammeLine | Diagnostic]]:
        """(line number, the programme's line — or the diagnostic of a line that is not one), in the file's order."""
        with self.path.open("rb") as stream:
            next(stream)
            for number, text in enumerate(stream, start=2):
                if number > self.count + 1:
                    return
                try:
                    yield number, codec.read(text)
                except ValidationError as exc:
                    yield number, problem(DAMAGED, f"строка программы в части {self.header.shard_name} повреждена: "
                                                   f"{_explained(exc)}", self.path, _REBUILD, number)


_AGREED = {  # what every share must have in common to be one build, and how to say it
    "engine": "собраны разными версиями prikaz (движок {})",
    "templates": "собраны с разными шаблонами templates/ ({})",
    "specs": "собраны из разных версий спецификаций ({})",
    "commit": "собраны из разных коммитов ({})",
    "programmes": "видят разные наборы программ ({})",
    "build_time": "собраны с разным временем сборки ({})",
    "times": "собраны с разным временем сборки программ ({})",
    "specs_path": "собраны из разных папок спецификаций ({})",
    "whole_tree": "собраны одна из всей папки спецификаций, другая — из папки одной программы ({})",
    "site_url": "собраны с разными адресами сайта --site-url ({})",
    "pdf": "собраны одна с --pdf, другая без ({})",
    "renderers": "собраны разными версиями prikaz (файлы для всех программ: {})",
}


def mismatches(files: list[ShardFile], engine: str) -> list[Diagnostic]:
    """Why the shards given are not one build's N shares: every reason, each once."""
    found = []
    hint = ("соберите все части из одного коммита одной версией prikaz с одинаковыми параметрами и объединяйте "
            "той же версией")
    counts = sorted({file.header.of for file in files})
    if len(counts) > 1:
        listed = ", ".join(f"{file.header.shard_name} ({file.folder})" for file in files)
        found.append(problem(MISMATCHED, f"части разных делений сборки: {listed} — у всех частей должно быть одно N",
                             files[0].folder, hint))
        return found
    count = counts[0]
    by_number: dict[int, list[ShardFile]] = {}
    for file in files:
        by_number.setdefault(file.header.shard, []).append(file)
    for number, same in sorted(by_number.items()):
        if len(same) > 1:
            found.append(problem(MISMATCHED, f"часть {number}/{count} указана несколько раз: "
                                             + ", ".join(str(file.folder) for file in same),
                                 same[1].folder, "укажите каждую часть один раз"))
    absent = [number for number in range(1, count + 1) if number not in by_number]
    if absent:
        names = ", ".join(f"{number}/{count}" for number in absent)
        found.append(problem(MISSING, f"нет частей {names}: объединение без них потеряло бы их программы",
                             files[0].folder, f"соберите их (prikaz build --shard K/{count}) и укажите их папки"))
    first = files[0].header
    if first.engine != engine:
        found.append(problem(MISMATCHED, f"часть {first.shard_name} ({files[0].folder}) собрана другой версией prikaz "
                                         f"(движок {first.engine}), объединение запущено движком {engine}",
                             files[0].path, "объединяйте той же версией prikaz, которой собраны части", 1))
    for field, says in _AGREED.items():
        values = {json.dumps(getattr(file.header, field), ensure_ascii=False) for file in files}
        if len(values) > 1:
            shown = "; ".join(f"{file.header.shard_name}: {_short(getattr(file.header, field))}" for file in files)
            found.append(problem(MISMATCHED, "части " + says.format(shown), files[0].path, hint, 1))
    return found


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else f"{text[:16]}…(всего {len(value)})" if isinstance(value, list) else text[:40] + "…"
