"""Loading: a programme folder of YAML files → one positioned data tree.

A programme is split into files by concern (programme.yaml, organisations.yaml,
decree.yaml, roadmap.yaml, …). Each file contributes top-level keys; the loader
merges them into one mapping and remembers where every value came from.
"""

from __future__ import annotations

import errno
import stat
from dataclasses import dataclass, field
from pathlib import Path

from engine.collector import collector_paused
from engine.diagnostics import Diagnostic, Severity, Span, has_errors
from engine.loading.yaml_source import LoadedFile, SourceMap, read_yaml_file

SPEC_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadedProgramme:
    directory: Path
    data: dict
    sources: SourceMap
    files: list[Path]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # what the diagnostics say could not be read: the paths of values (LoadedFile.unread) and of sections
    # given twice; and the files not read at all, whose sections, whichever they were, are unknown
    unread: set[tuple] = field(default_factory=set)
    unread_files: list[Path] = field(default_factory=list)


def _error(code: str, name: str, message: str, span: Span, hint: str) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, span, hint, name)


def spec_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in SPEC_SUFFIXES and not p.name.startswith("."))


def _escapes(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return False
    except (ValueError, OSError, RuntimeError):
        return True


def _link_loop(path: Path) -> bool:
    try:
        path.resolve(strict=True)
        return False
    except RuntimeError:  # Python 3.11 reports a loop of links so
        return True
    except OSError as exc:
        return exc.errno == errno.ELOOP


def _not_a_file(path: Path) -> str | None:
    """What a *.yaml entry is when it is not a regular file (reading a pipe would wait forever)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "ссылка на несуществующий файл" if path.is_symlink() else None
    except OSError:
        return None  # unreadable: read_yaml_file says why
    if stat.S_ISREG(mode):
        return None
    return "папка" if stat.S_ISDIR(mode) else "не обычный файл (канал, сокет или устройство)"


# Each top-level section lives in one file (Y002), so a programme never needs more files than it has
# sections; the bound keeps a folder of thousands of 2 MB files from being read before that is said.
MAX_SPEC_FILES = 50


def programme_entries(directory: Path, root: Path) -> tuple[list[Path], Diagnostic | None]:
    """The *.yaml entries of a programme folder, or why the folder is not read at all: a link out of the
    specs folder `root` (Y011), a folder that cannot be listed (Y010), more files than any programme has
    sections (Y015). Each entry then passes `file_problem`. These are the loader's rules; `prikaz fmt`
    applies them too."""
    if _escapes(directory, root):
        return [], _error("Y011", "outside-root", f"папка {directory.name} — ссылка за пределы папки спецификаций",
                          Span.whole_file(directory),
                          "спецификации читаются только из папки specs/: скопируйте программу внутрь")
    try:
        files = spec_files(directory)
    except OSError as exc:
        return [], _error("Y010", "unreadable", f"папка {directory.name} не читается: {exc.strerror or exc}",
                          Span.whole_file(directory), "проверьте права доступа к папке")
    if len(files) > MAX_SPEC_FILES:
        return [], _error("Y015", "too-many-files",
                          f"в папке {directory.name} {len(files)} файлов YAML, больше предела в {MAX_SPEC_FILES}: "
                          f"папка не прочитана", Span.whole_file(directory),
                          "каждый раздел программы пишется в одном файле, и разделов меньше предела: уберите из "
                          "папки посторонние файлы .yaml (выгрузки, копии)")
    return files, None


def file_problem(file: Path, root: Path) -> Diagnostic | None:
    """Why a *.yaml entry of a programme folder is not read (and never written, by `prikaz fmt`): a link out
    of the specs folder `root` (Y011), a loop of links, a folder, a pipe, a socket or a device (Y010)."""
    if file.is_symlink() and _escapes(file, root):
        if _link_loop(file):
            return _error("Y010", "unreadable", f"файл {file.name} — ссылка по кругу", Span.whole_file(file),
                          "замените ссылку самим файлом")
        return _error("Y011", "outside-root", f"файл {file.name} — ссылка за пределы папки спецификаций",
                      Span.whole_file(file), "спецификации читаются только из папки specs/: скопируйте файл внутрь")
    not_a_file = _not_a_file(file)
    if not_a_file:
        return _error("Y010", "unreadable", f"{file.name} — {not_a_file}, а не файл спецификации",
                      Span.whole_file(file), "переименуйте или уберите его из папки программы")
    return None


@collector_paused()
def load_programme(directory: Path, specs_root: Path | None = None) -> LoadedProgramme:
    """Read every YAML file of a programme folder. Never raises; problems are diagnostics."""
    root = specs_root or directory.parent
    merged: dict = {}
    sources = SourceMap()
    diagnostics: list[Diagnostic] = []
    unread: set[tuple] = set()
    unread_files: list[Path] = []
    files, refused = programme_entries(directory, root)
    if refused is not None:
        return LoadedProgramme(directory, {}, sources, [], [refused])
    for file in files:
        problem = file_problem(file, root)
        if problem is not None:
            diagnostics.append(problem)
            unread_files.append(file)
            continue
        loaded: LoadedFile = read_yaml_file(file)
        diagnostics.extend(loaded.diagnostics)
        sources.texts.update(loaded.sources.texts)
        if loaded.data is None:
            if has_errors(loaded.diagnostics):
                unread_files.append(file)
            if not loaded.diagnostics:
                diagnostics.append(Diagnostic(
                    "Y012", Severity.WARNING, f"файл {file.name} пуст", Span.whole_file(file),
                    "заполните файл или удалите его", "empty-file",
                ))
            continue
        if not isinstance(loaded.data, dict):
            diagnostics.append(_error(
                "Y004", "not-mapping", "файл спецификации должен быть словарём «ключ: значение»",
                loaded.sources.span(()) or Span.whole_file(file),
                "на верхнем уровне пишутся разделы: programme:, decree:, roadmap: …",
            ))
            unread_files.append(file)
            continue
        taken: set[str] = set()
        for key, value in loaded.data.items():
            if key in merged:
                first = sources.keys.get((key,))
                diagnostics.append(_error(
                    "Y002", "duplicate-key",
                    f"раздел «{key}» уже задан в {first.file.name if first else 'другом файле'}",
                    loaded.sources.keys[(key,)], "каждый раздел программы пишется в одном файле",
                ))
                unread.add((key,))   # which of the two was meant is not known
                continue
            merged[key] = value
            taken.add(key)
        sources.values.take(loaded.sources.values, taken)
        sources.keys.take(loaded.sources.keys, taken)
        unread.update(path for path in loaded.unread if not path or path[0] in taken)
    if files:
        # what is missing from the whole programme is reported at its main file
        main = next((f for f in files if f.stem == "programme"), files[0])
        sources.values[()] = Span.whole_file(main)
    else:
        diagnostics.append(_error(
            "Y013", "no-spec", f"в папке {directory.name} нет файлов спецификации (*.yaml)",
            Span.whole_file(directory), "создайте программу командой «prikaz new» или добавьте programme.yaml",
        ))
    return LoadedProgramme(directory, merged, sources, files, diagnostics, unread, unread_files)


def find_programmes(specs: Path) -> list[Path]:
    """A programme is any folder holding YAML files; `specs` itself may be one."""
    if spec_files(specs):
        return [specs]
    return sorted(d for d in specs.iterdir() if d.is_dir() and not d.name.startswith(".") and _holds_specs(d))


def _holds_specs(directory: Path) -> bool:
    """A folder with YAML files; one that cannot be listed counts, so that loading it says why."""
    try:
        return bool(spec_files(directory))
    except OSError:
        return True
