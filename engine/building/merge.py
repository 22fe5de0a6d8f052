"""`prikaz merge <shard>… -o outputs`: the shards of a build (engine.building.shards) as the one build they are.

The shards are checked before anything is written: each shard file whole (trailer, checksum), all of them one
build's N shares (the same engine, specs, commit, programmes, build time and options; every share once). Then,
in the build's order of programmes, as `prikaz build` does it:

- a programme published by its shard is swapped into outputs/ from the shard's folder — each file checked
  against the shard's record of it first — unless outputs/ already holds exactly those files;
- its diagnostics go to the report, its parts to the gatherers of the files that span programmes;
- then those files, the emptied feeds of removed programmes, the registry of feeds, the calendar history
  cache (the shards' own, merged), the manifest (last) and the build log — under the lock of outputs/, with
  the shard folders locked too, so that no shard build writes into one while it is read.

An error in any shard is an error of the merge (exit 1), and the files that span programmes keep what they
were, as after a build with errors. Shards that are not one build (B101–B103) stop the merge before it writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import traceback
from contextlib import ExitStack
from pathlib import Path

from engine.building.build import (
    HISTORY_CACHE,
    TEMPLATES,
    BuildReport,
    ProgrammeBuild,
    Progress,
    add_parts,
    keep_log,
    publish_shared,
    record_published_feeds,
    retire_removed,
    stage_folder,
    swap_in,
    write_failed,
)
from engine.building.history import FingerprintCache
from engine.building.manifest import Manifest, engine_digest
from engine.building.outputs_folder import BuildRefused, OutputsLock, refuse_overlap, remove_leftovers
from engine.building.pipeline import CheckResult, ProgrammeResult, log_engine_failures
from engine.building.published import previous_feeds
from engine.building.shards import (
    DAMAGED,
    MISMATCHED,
    UNKNOWN_FEED,
    ProgrammeLine,
    ShardFile,
    ShardProblem,
    mismatches,
    part_codec,
    problem,
    shares,
)
from engine.diagnostics import Diagnostic, Span, has_errors
from engine.render import BuildOptions, repository_renderers


class MergeRefused(BuildRefused):
    """The shards are not one build's N shares, or one of them is damaged: nothing is written."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


def merge(folders: list[Path], outputs: Path, progress: Progress | None = None) -> BuildReport:
    """Merge the shard folders into `outputs` (see the module). Raises MergeRefused when the shards are not one
    build, BuildRefused when outputs/ overlaps a shard or the specs, or another build holds it."""
    seen: set[Path] = set()
    repeated = []
    for folder in folders:
        if folder.resolve() in seen:
            repeated.append(problem(MISMATCHED, f"папка части {folder} указана несколько раз", folder,
                                    "укажите каждую часть один раз"))
        seen.add(folder.resolve())
    if repeated:
        raise MergeRefused(repeated)
    refuse_overlap(outputs, list(folders))
    with ExitStack() as shard_locks:
        for folder in folders:
            shard_locks.enter_context(OutputsLock(folder))
        files = _shard_files(folders)
        header = files[0].header
        specs = Path(header.specs_path)
        refuse_overlap(outputs, [*folders, specs, *(specs / programme for programme in header.programmes)])
        with OutputsLock(outputs) as lock:
            if lock.held:
                remove_leftovers(outputs)
            try:
                report = _merge(files, outputs, progress)
            except Exception:
                keep_log(outputs, traceback.format_exc())
                raise
            if lock.held:
                remove_leftovers(outputs)
            keep_log(outputs, log_engine_failures(report.all_diagnostics))
    return report


def _shard_files(folders: list[Path]) -> list[ShardFile]:
    """The shard files, in the order of their shares; MergeRefused with every problem found."""
    files, problems = [], []
    for folder in folders:
        try:
            files.append(ShardFile.open(folder))
        except ShardProblem as exc:
            problems.append(exc.diagnostic)
    if files:
        problems += mismatches(files, engine_digest())
    if problems:
        raise MergeRefused(problems)
    return sorted(files, key=lambda file: file.header.shard)


def _merge(files: list[ShardFile], outputs: Path, progress: Progress | None) -> BuildReport:
    header = files[0].header
    published, unreadable = previous_feeds(outputs, header.site_url)
    failed_shards = [d for file in files for d in file.header.registry if has_errors([d])]
    if has_errors(unreadable) or failed_shards:   # the shards wrote nothing: neither does their merge
        return BuildReport(CheckResult([], {}), [], diagnostics=unreadable + failed_shards)
    options = BuildOptions(build_time=dt.datetime.fromisoformat(header.build_time), templates=TEMPLATES,
                           pdf=header.pdf, published_feeds=published, site_url=header.site_url)
    problems = [ProgrammeResult(Path(header.specs_path), None, header.problems)] if header.problems else []
    report = BuildReport(CheckResult(list(problems), {}), [ProgrammeBuild(result) for result in problems],
                         diagnostics=list(unreadable))
    missing_pdf = next((file.header.pdf_missing for file in files if file.header.pdf_missing), None)
    if missing_pdf is not None:
        report.diagnostics.append(missing_pdf)
    manifest = Manifest.load(outputs)
    gatherers = [renderer() for renderer in repository_renderers()]
    codec = part_codec()
    share = shares(header.programmes, header.of)
    streams = [file.programmes(codec) for file in files]
    for done, programme in enumerate(header.programmes):
        file = files[share[programme] - 1]
        number, line = next(streams[share[programme] - 1], (file.count + 2, None))
        if not isinstance(line, ProgrammeLine) or line.programme != programme:
            found = line.message if isinstance(line, Diagnostic) else (
                f"в части {file.header.shard_name} на месте программы {programme} "
                + (f"программа {line.programme}" if line else "конец файла"))
            report.diagnostics.append(line if isinstance(line, Diagnostic) else problem(
                DAMAGED, found, file.path, "соберите эту часть заново (prikaz build --shard K/N)", number))
            report.programmes.append(ProgrammeBuild(ProgrammeResult(Path(header.specs_path) / programme, None, [])))
            continue
        _take(file, line, outputs, manifest, options, report, gatherers)
        if progress is not None:
            progress(programme, done + 1, len(header.programmes))
    if report.programmes and all(item.rendered or item.unchanged for item in report.programmes):
        publish_shared(outputs, manifest, options, False, report, gatherers, lambda: True)
    if header.programmes and header.whole_tree and not report.failed:
        retire_removed(outputs, manifest, options, report, set(header.programmes))
    _merge_history_caches(files, outputs)
    record_published_feeds(outputs, options, report)
    manifest.save(outputs)  # last: it must never record outputs that are not written yet
    return report


def _take(file: ShardFile, line: ProgrammeLine, outputs: Path, manifest: Manifest, options: BuildOptions,
          report: BuildReport, gatherers: list) -> None:
    """One programme of a shard into outputs/, the report, the manifest and the gatherers (as the build's own _take)."""
    result = ProgrammeResult(line.directory, None, line.check)
    item = ProgrammeBuild(result)
    report.programmes.append(item)
    report.check.programmes.append(result)
    report.check.texts.update(line.texts)
    report.diagnostics.extend(line.build)
    record = line.record
    if record is None or line.parts is None or has_errors(line.build) or has_errors(line.check):
        return
    unknown = sorted(path for path in options.published_feeds if path.startswith(f"{line.programme}/")
                     and path.removeprefix(f"{line.programme}/") not in record.files)
    if unknown:     # published before, but the shard did not know: its folder would lose those addresses
        report.diagnostics.append(problem(
            UNKNOWN_FEED, f"календари {', '.join(unknown)} опубликованы раньше, но часть {file.header.shard_name} "
                          f"собрана без них: подписчики потеряли бы их", file.path,
            "соберите части с тем же --site-url, что и объединение, или объединяйте в ту же папку, из реестра "
            "feeds.json которой собирались части"))
        return
    folder = outputs / line.programme
    if manifest.programmes.get(line.programme) == record and record.intact(folder):
        item.unchanged = True
    else:
        files = _recorded_files(file, line)
        if isinstance(files, Diagnostic):
            report.diagnostics.append(files)
            return
        try:
            swap_in(outputs, line.programme, stage_folder(outputs, line.programme, files))
        except OSError as exc:  # a full disk, a read-only folder: the previous documents stay
            report.diagnostics.append(write_failed(Span.whole_file(line.directory), outputs, exc))
            return
        item.rendered = True
    item.files = sorted(record.files)
    manifest.programmes[line.programme] = record
    add_parts(gatherers, line.parts)


def _recorded_files(file: ShardFile, line: ProgrammeLine) -> dict[str, bytes] | Diagnostic:
    """The programme's files in the shard's folder, each as its record says (never through a link, never outside)."""
    assert line.record is not None
    folder = file.folder / line.programme
    files = {}
    for name, digest in sorted(line.record.files.items()):
        path = folder / name
        try:
            inside = path.resolve().is_relative_to(folder.resolve()) and not path.is_symlink()
            data = path.read_bytes() if inside else None
        except OSError:
            data = None
        if data is None or hashlib.sha256(data).hexdigest() != digest:
            return problem(DAMAGED, f"файл {path} части {file.header.shard_name} "
                                    + ("не найден" if data is None else "не тот, что записала сборка части")
                                    + ": папку части изменили или скачали не полностью", path,
                           "соберите эту часть заново (prikaz build --shard K/N) или скачайте её папку целиком")
        files[name] = data
    return files


def _merge_history_caches(files: list[ShardFile], outputs: Path) -> None:
    """The shards' calendar history caches in outputs/.cache/, as one build would have left it (a cache: one a shard
    lacks only costs the next build time)."""
    cache = FingerprintCache(outputs / HISTORY_CACHE)
    for file in files:
        found = FingerprintCache(file.folder / HISTORY_CACHE).versions
        cache.merge({tree: fingerprints for tree, fingerprints in found.items() if tree not in cache.versions})
    cache.save()
