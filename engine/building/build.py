"""`prikaz build`: check, render in memory, then replace each programme's outputs atomically.

Nothing half-written ever appears in `outputs/`: a programme's files are written
to a staging folder beside it and swapped in with renames; a programme with
errors, or whose rendering fails, keeps its previous outputs untouched.

Builds are incremental: every programme is checked, but only those whose inputs
changed since their outputs were written are rendered again (`engine.building.manifest`).
The inputs are the programme's spec files, the templates its documents came from,
the engine's source, the options, the build time and the calendar history. The
build time is the last commit of the whole specs folder, so a commit anywhere in
it re-renders every programme: their documents and feeds carry that time.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sysconfig
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from engine.building.atomic import current_umask, exchange, why_not_written, write_chunks_if_changed, write_text_atomic
from engine.building.history import FingerprintCache, calendar_history, forget_repositories
from engine.building.manifest import Manifest, Record, engine_digest, file_digest, inputs_digest
from engine.building.outputs_folder import RETIRED, STAGING, BuildRefused, OutputsLock, refuse_overlap, remove_leftovers
from engine.building.parallel import Outcome, WorkerFailed, map_ordered, workers
from engine.building.pipeline import (
    CheckResult,
    OtherDecrees,
    ProgrammeResult,
    check_programme,
    compare_parts,
    log_engine_failures,
    programme_folders,
    without_model,
)
from engine.building.published import previous_feeds, record_feeds, removed_programmes, retired_programme
from engine.building.shards import FORMAT as SHARD_FORMAT
from engine.building.shards import (
    PartCodec,
    Shard,
    ShardHeader,
    ShardWriter,
    part_codec,
    programme_line,
    remove_shard_file,
    shares,
    specs_commit,
    specs_digest,
)
from engine.diagnostics import Diagnostic, Severity, Span, has_errors
from engine.loading import spec_files
from engine.model.validate import ProgrammeModel
from engine.render import (
    BuildOptions,
    RenderError,
    programme_index_renderers,
    programme_renderers,
    repository_renderers,
    templates_read,
)
from engine.render.calendar_history import CalendarHistory
from engine.render.pdf import libreoffice_missing


def bundled_templates() -> Path:
    """templates/ of the checkout; in an installed wheel, where pyproject.toml's data-files put them."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file():
        return checkout / "templates"
    return Path(sysconfig.get_path("data")) / "share" / "prikaz" / "templates"


TEMPLATES = bundled_templates()
# the engine's failures of the last build, with tracebacks, for its developers (CI keeps it); absent when none
LOG = ".prikaz.log"
_RETIRED_FEEDS = "retired-feeds"   # the manifest's digest of a removed programme's folder of emptied feeds
HISTORY_CACHE = Path(".cache") / "calendar-history.json"
Progress = Callable[[str, int, int], None]  # (programme id, programmes built so far, programmes to build)


@dataclass
class ProgrammeBuild:
    result: ProgrammeResult
    files: list[str] = field(default_factory=list)
    rendered: bool = False
    unchanged: bool = False  # its inputs are those its outputs were made from: not rendered again


@dataclass
class BuildReport:
    check: CheckResult
    programmes: list[ProgrammeBuild]
    shared_files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def all_diagnostics(self) -> list[Diagnostic]:
        return self.check.diagnostics + self.diagnostics

    @property
    def failed(self) -> bool:
        return has_errors(self.all_diagnostics)


EPOCH_1980 = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
# the last moment a zip entry, and so a DOCX, can carry: its year is stored in 7 bits counted from 1980
LATEST_BUILD_TIME = dt.datetime(2107, 12, 31, 23, 59, 59, tzinfo=dt.UTC)


def source_date_epoch() -> dt.datetime | None:
    """The time SOURCE_DATE_EPOCH fixes (reproducible-builds.org), None when unset or empty.

    A value that is not a whole number of seconds, or beyond what a DOCX can carry, stops the build
    (BuildRefused), as the specification asks: a silently ignored value would make other bytes.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit() and int(value) <= LATEST_BUILD_TIME.timestamp():
        return dt.datetime.fromtimestamp(int(value), dt.UTC)
    raise BuildRefused(
        f"переменная окружения SOURCE_DATE_EPOCH=«{value}» — не время сборки: нужно целое число секунд с "
        f"01.01.1970 (как выводит «date +%s»), не больше {int(LATEST_BUILD_TIME.timestamp())} "
        f"(31.12.2107 — последний день, который может хранить DOCX). Исправьте значение или уберите переменную")


def build_times(specs: Path, directories: list[Path]) -> dict[Path, dt.datetime]:
    """A fixed timestamp per programme for reproducible files — never the wall clock.

    SOURCE_DATE_EPOCH when set; else the last commit that touched the programme's own folder
    (one `git log` over the specs), so a commit to one programme leaves the others' bytes, and
    their incremental builds, alone; outside git, 1980-01-01 (the zip format's first day).
    """
    fixed = source_date_epoch()
    if fixed is not None:
        return {directory: fixed for directory in directories}
    last = _last_commits(specs, directories)
    return {directory: last.get(directory, EPOCH_1980) for directory in directories}


def _last_commits(specs: Path, directories: list[Path]) -> dict[Path, dt.datetime]:
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=specs, capture_output=True, text=True,
                             timeout=10, check=False).stdout.strip()
        if not top:
            return {}
        log = subprocess.run(["git", "log", "--format=%x00%ct", "--name-only", "--", "."], cwd=specs,
                             capture_output=True, text=True, timeout=60, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    folders = {directory.resolve(): directory for directory in directories}
    found: dict[Path, dt.datetime] = {}
    for commit in log.split("\x00")[1:]:  # newest first
        stamp, *names = commit.strip().split("\n")
        when = dt.datetime.fromtimestamp(int(stamp), dt.UTC)
        for name in names:
            directory = folders.get((Path(top) / name).resolve().parent)
            if directory is not None and directory not in found:
                found[directory] = when
    return found


def stage_folder(outputs: Path, name: str, files: dict[str, bytes]) -> Path:
    """Write `files` into a new staging folder outputs/.staging-<name>.<random>/, beside the programme's
    folder, for `swap_in`; return it. Its name is the build's own: no other build can write into it.

    Written where the programme is rendered (a worker process): only the swap is left to the build.
    A failure while writing (a full disk) leaves no staging folder behind; the OSError goes to the caller.
    """
    outputs.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}{name}.", dir=outputs))
    try:
        staging.chmod(0o777 & ~current_umask())   # mkdtemp makes it private; the published folder is read by others
        for relative, data in sorted(files.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def swap_in(outputs: Path, name: str, staging: Path) -> None:
    """Make the staged folder outputs/<name>/ so that readers see the old folder or the new one, never a mix.

    Swapped with one atomic exchange where the system has it (a crash never finds outputs/<name>
    missing), else with two renames, the old folder moved aside as .retired-<name>.<random> (the next
    build puts it back if a crash came between them). On failure the old folder is back in place, the
    staging folder gone, and the OSError goes to the caller.
    """
    final = outputs / name
    retired = outputs / f"{RETIRED}{staging.name[len(STAGING):]}"
    try:
        if final.exists() and exchange(staging, final):
            _discard(staging)   # it holds the old folder now (or a link that stood in its place)
            return
        if final.exists():
            os.replace(final, retired)
        os.replace(staging, final)
    except BaseException:
        if retired.exists() and not final.exists():
            os.replace(retired, final)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _discard(retired)


def _discard(path: Path) -> None:
    """Remove a folder swapped out of outputs/ — or the link that stood there, never what it points to."""
    if path.is_symlink():
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def write_failed(span: Span, outputs: Path, exc: OSError) -> Diagnostic:
    reason = why_not_written(exc)
    return Diagnostic("E902", Severity.ERROR, f"документы программы не записаны в {outputs}: {reason}", span,
                      "прежние документы программы сохранены без изменений; устраните причину и запустите сборку снова",
                      "write-failed")


def render_programme(model: ProgrammeModel, options: BuildOptions) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for renderer in programme_renderers():
        files.update(renderer(model, options))
    for finisher in programme_index_renderers():
        files.update(finisher(model, options, tuple(sorted(files))))
    return files


def _internal_error(span: Span, exc: Exception) -> Diagnostic:
    trace = exc.trace if isinstance(exc, WorkerFailed) else "".join(traceback.format_exception(exc))
    return Diagnostic("E901", Severity.ERROR, f"сбой при создании документов: {type(exc).__name__}: {exc}", span,
                      f"предыдущие документы программы сохранены без изменений; сообщите разработчикам и приложите "
                      f"{LOG}", "render-failed", detail=trace or str(exc))


def _programme_inputs(model: ProgrammeModel, history: CalendarHistory, common: dict) -> dict:
    """What a programme's outputs are made from, except the templates (known for sure only once it is rendered)."""
    return dict(common, specs={file.name: file_digest(file) for file in spec_files(model.directory)},
                calendar={"note": history.note, "revisions": {
                    uid: [revision.sequence, revision.last_modified.isoformat(), revision.created.isoformat()]
                    for uid, revision in history.revisions.items()}})


def _programme_digest(inputs: dict, templates: tuple[str, ...]) -> str:
    return inputs_digest(dict(inputs, templates={path: file_digest(Path(path)) for path in templates}))


@dataclass
class _Plan:
    """What the build of every programme shares; forked workers inherit it."""

    specs_root: Path
    outputs: Path
    options: BuildOptions               # build_time: the latest of all programmes (files that span them)
    times: dict[Path, dt.datetime]      # each programme's own build time
    manifest: Manifest
    cache: FingerprintCache
    common: dict                        # inputs every programme shares (engine, templates, options)
    force: bool
    decree_of: OtherDecrees
    codec: PartCodec | None = None      # a shard build: every programme's parts, as its shard file writes them


@dataclass
class _Built:
    """What building one programme hands back to the build process: never the model."""

    result: ProgrammeResult
    texts: dict[Path, str]                                        # that the diagnostics point into
    diagnostics: list[Diagnostic] = field(default_factory=list)   # of rendering (and the calendar history)
    fingerprints: dict = field(default_factory=dict)              # calendar history computed: for the cache
    staged: Path | None = None                                    # the staging folder it was rendered into
    record: Record | None = None                                  # of the files rendered or still in outputs/
    parts: tuple | str | None = None                              # for the files that span programmes (a shard
                                                                  # build: as JSON, engine.building.shards)
    anchor: Span | None = None                                    # where a failure to render or write its folder
                                                                  # is reported: its first line (None: not checked ok)


def _build_programme(plan: _Plan, directory: Path, render: bool = True) -> _Built:
    """Check one programme; unless its outputs are of the same inputs, render it (with `render`)."""
    result, texts = check_programme(directory, plan.specs_root, plan.decree_of)
    built = _Built(*without_model(result, texts))
    model = result.model if result.ok else None
    if model is None:
        return built
    at = plan.times[directory]
    built.anchor = model.sources.span(()) or Span.whole_file(directory)
    known = len(plan.cache.added)
    history = calendar_history(model, at, plan.cache)
    built.fingerprints = dict(list(plan.cache.added.items())[known:])
    built.diagnostics.extend(history.diagnostics)
    options = replace(plan.options, build_time=at, calendar_history={model.id: history})
    shared = replace(options, build_time=plan.options.build_time)   # what the files spanning programmes carry
    record = plan.manifest.programmes.get(model.id)
    inputs = dict(_programme_inputs(model, history, plan.common), build_time=at.isoformat(),
                  published_feeds=_unwritten_feeds(plan.options, f"{model.id}/", record.files if record else {}))
    if (not plan.force and record is not None and record.digest == _programme_digest(inputs, record.templates)
            and record.intact(plan.outputs / model.id)):
        built.record = record
        # the files that span programmes are written again, or the shard file holds every programme's parts
        if not render or plan.codec is not None:
            built.parts = _parts(plan, model, shared, tuple(sorted(record.files)))
        return built
    if not render:
        return built
    try:
        files = render_programme(model, options)
        templates = templates_read(model, options)
        built.parts = _parts(plan, model, shared, tuple(sorted(files)))
    except RenderError as exc:
        built.diagnostics.extend(exc.diagnostics)
        return built
    except Exception as exc:  # a renderer bug must not cost the previous good documents
        built.diagnostics.append(_internal_error(built.anchor, exc))
        return built
    try:
        built.staged = stage_folder(plan.outputs, model.id, files)
    except OSError as exc:  # a full disk, a read-only folder: the previous documents stay
        built.diagnostics.append(write_failed(built.anchor, plan.outputs, exc))
        return built
    built.record = Record.of(_programme_digest(inputs, templates), files, templates)
    return built


def _unwritten_feeds(options: BuildOptions, prefix: str, written: dict[str, str]) -> dict[str, str]:
    """The published feeds under `prefix` that the recorded outputs do not hold: an input of those outputs (they must
    be emptied there); the feeds the outputs hold, active or emptied, come from the other inputs."""
    return {path: feed.name for path, feed in sorted(options.published_feeds.items())
            if path.startswith(prefix) and path.removeprefix(prefix if prefix != "calendars/" else "") not in written}


def _parts(plan: _Plan, model: ProgrammeModel, options: BuildOptions, files: tuple[str, ...]) -> tuple | str:
    parts = tuple(renderer.part(model, options, files) for renderer in repository_renderers())
    return parts if plan.codec is None else plan.codec.encode(parts)


def build(specs: Path, outputs: Path, pdf: bool = False, force: bool = False,
          progress: Progress | None = None, site_url: str | None = None, shard: Shard | None = None) -> BuildReport:
    """Check every programme; render those without errors whose inputs changed (all with `force`); swap them in.

    Programme by programme, on every core (`engine.building.parallel`): nothing of a programme stays in memory
    but its diagnostics, its manifest record and what the files that span programmes need of it.
    `site_url`: where the site is published — its absolute links, and the registry of the feeds published
    there (`engine.building.published`), read before anything is written.
    `shard`: only that share of the programmes (engine.building.shards), into `outputs` as a shard folder: their
    parts go to its shard file instead of the files that span programmes, which `prikaz merge` writes.

    Raises BuildRefused, with nothing touched, for an outputs folder that overlaps the specs, one that
    another build holds longer than it waits, or a bad SOURCE_DATE_EPOCH. The engine's own failures
    (with tracebacks) are logged and kept in outputs/.prikaz.log; a build without any removes that file.
    """
    directories, specs_root, problems = programme_folders(specs)
    refuse_overlap(outputs, protected_folders(specs, directories))
    times = build_times(specs, directories)
    with OutputsLock(outputs) as lock:
        if lock.held:
            remove_leftovers(outputs)
        try:
            report = _build(specs, outputs, pdf, force, progress, directories, specs_root, problems, times, site_url,
                            shard)
        except Exception:
            keep_log(outputs, traceback.format_exc())
            raise
        if lock.held:   # what a worker staged before it died, its result lost with it
            remove_leftovers(outputs)
        keep_log(outputs, log_engine_failures(report.all_diagnostics))
    return report


def protected_folders(specs: Path, directories: list[Path]) -> list[Path]:
    """What no outputs folder may be, hold or lie inside: the specs folder given, every programme folder
    under it and — when it is one programme — the other programme folders beside it."""
    folders = [specs, *directories]
    if directories == [specs]:
        try:
            siblings = [sibling for sibling in specs.parent.iterdir() if sibling.is_dir() and sibling.name != specs.name]
        except OSError:
            siblings = []
        for sibling in siblings:
            try:
                if spec_files(sibling):
                    folders.append(sibling)
            except OSError:
                folders.append(sibling)   # unreadable: it may hold specs
    return folders


def keep_log(outputs: Path, text: str) -> None:
    """The log of the engine's failures, or none; a folder it cannot be written to costs the build nothing
    (the failures are in the report, and on standard error with --verbose)."""
    try:
        if text:
            write_text_atomic(outputs / LOG, text)
        else:
            (outputs / LOG).unlink(missing_ok=True)
    except OSError:
        pass


def bundled_templates_files() -> dict[str, str | None]:
    """The bundled templates folder as a whole, file by file: the site's page templates are there, and no programme
    records them."""
    return {path.relative_to(TEMPLATES).as_posix(): file_digest(path) for path in sorted(TEMPLATES.rglob("*"))
            if path.is_file()}


def _build(specs: Path, outputs: Path, pdf: bool, force: bool, progress: Progress | None, directories: list[Path],
           specs_root: Path, problems: list[Diagnostic], times: dict[Path, dt.datetime],
           site_url: str | None, shard: Shard | None) -> BuildReport:
    if shard is not None:
        remove_shard_file(outputs)   # it vouched for the folders this build may change; one cut short leaves none
    published, unreadable = previous_feeds(outputs, site_url)
    # files that span programmes change whenever one of them does: they carry the latest time
    options = BuildOptions(build_time=max(times.values(), default=EPOCH_1980), templates=TEMPLATES, pdf=pdf,
                           published_feeds=published, site_url=site_url)
    no_libreoffice = libreoffice_missing() if pdf else None
    writer = None if shard is None else ShardWriter(outputs, ShardHeader(
        format=SHARD_FORMAT, shard=shard.number, of=shard.count, engine=engine_digest(),
        templates=inputs_digest(bundled_templates_files()), specs=specs_digest(specs_root, directories),
        commit=specs_commit(specs),
        build_time=options.build_time.isoformat(),
        times=inputs_digest({directory.name: at.isoformat() for directory, at in times.items()}),
        programmes=[directory.name for directory in directories], specs_path=str(specs),
        whole_tree=specs_root == specs, site_url=site_url, pdf=pdf,
        renderers=[renderer.__name__ for renderer in repository_renderers()], problems=problems,
        registry=unreadable, pdf_missing=no_libreoffice))
    try:
        report = _build_programmes(specs, outputs, force, progress, directories, specs_root, problems, times, options,
                                   unreadable, no_libreoffice, shard, writer)
    except BaseException:
        if writer is not None:
            writer.discard()
        raise
    if writer is not None:
        writer.commit()   # last: it vouches for the folders and the manifest written before it
    return report


def _build_programmes(specs: Path, outputs: Path, force: bool, progress: Progress | None, directories: list[Path],
                      specs_root: Path, problems: list[Diagnostic], times: dict[Path, dt.datetime],
                      options: BuildOptions, unreadable: list[Diagnostic], no_libreoffice: Diagnostic | None,
                      shard: Shard | None, writer: ShardWriter | None) -> BuildReport:
    if has_errors(unreadable):   # publishing without them could lose an address subscribers have: nothing is written
        return BuildReport(CheckResult([], {}), [], diagnostics=unreadable)
    forget_repositories()
    nothing = [ProgrammeResult(specs, None, problems)] if problems else []
    report = BuildReport(CheckResult(list(nothing), {}), [ProgrammeBuild(result) for result in nothing],
                         diagnostics=list(unreadable))
    if no_libreoffice:
        report.diagnostics.append(no_libreoffice)      # a warning: the DOCX are still written
    plan = _Plan(specs_root, outputs, options, times, Manifest.load(outputs), FingerprintCache(outputs / HISTORY_CACHE),
                 {"engine": engine_digest(), "bundled_templates": str(TEMPLATES),
                  "pdf": options.pdf and no_libreoffice is None, "site_url": options.site_url},
                 force, OtherDecrees(specs_root), part_codec() if shard is not None else None)
    if shard is not None:
        share = shares([directory.name for directory in directories], shard.count)
        directories = [directory for directory in directories if share[directory.name] == shard.number]
    gatherers = [renderer() for renderer in repository_renderers()]
    if workers(len(directories), options.pdf):
        programme_renderers()   # imported before the workers fork, so that they share its pages
    without_parts: list[Path] = []
    for done, (directory, outcome) in enumerate(zip(directories, map_ordered(
            lambda directory: _build_programme(plan, directory), directories, pdf=options.pdf, largest_chunk=1),
            strict=True)):
        before = len(report.diagnostics)
        built, published_now = _take(plan, report, directory, outcome)
        if writer is not None:
            encoded = built.parts if published_now and isinstance(built.parts, str) else None
            writer.add(programme_line(directory, built.result.diagnostics, report.diagnostics[before:], built.texts,
                                      built.record if encoded is not None else None, encoded))
        elif published_now and built.parts is None:
            without_parts.append(directory)
        elif published_now:
            add_parts(gatherers, built.parts)
        if progress is not None:
            progress(directory.name, done + 1, len(directories))
    if writer is None:
        # the checks spanning programmes (O305), once every programme is checked; as an error (programme.checks),
        # one holds back the files spanning programmes like an error of a programme does (its documents are written
        # already). A share of a sharded build sees only its programmes: there `prikaz check` of the tree compares.
        across = compare_parts(report.check.programmes, report.check.texts)
        # feeds that span programmes would lose a failed programme's events: then they keep the previous ones
        if (report.programmes and all(item.rendered or item.unchanged for item in report.programmes)
                and not has_errors(across)):
            publish_shared(outputs, plan.manifest, options, force, report, gatherers,
                           lambda: _late_parts(plan, report, gatherers, without_parts))
        # The whole tree, and no error in it: a folder of outputs/ without its programme is gone. (A build with
        # errors changes only what it could build: a broken spec never costs another folder its documents.)
        if directories and specs_root == specs and not report.failed:
            retire_removed(outputs, plan.manifest, options, report, {directory.name for directory in directories})
    plan.cache.save()
    if writer is None:
        record_published_feeds(outputs, options, report)
    plan.manifest.save(outputs)  # last: it must never record outputs that are not written yet
    return report


def add_parts(gatherers: list, parts: Any) -> None:
    for gatherer, part in zip(gatherers, parts, strict=True):
        gatherer.add(part)


def record_published_feeds(outputs: Path, options: BuildOptions, report: BuildReport) -> None:
    try:
        record_feeds(outputs, dict(options.published_feeds))
    except OSError as exc:
        report.diagnostics.append(write_failed(Span.whole_file(outputs), outputs, exc))


def _take(plan: _Plan, report: BuildReport, directory: Path, outcome: Outcome[_Built]) -> tuple[_Built, bool]:
    """One programme's build into outputs/ (its folder swapped in), the report, the manifest, the cache; whether it is
    published (rendered now or unchanged), so that its parts go to the files that span programmes."""
    try:
        built = outcome.result()
    except WorkerFailed as exc:   # the loader, the model or a check failed (an engine bug), or the worker died
        built = _Built(ProgrammeResult(directory, None, [_internal_error(Span.whole_file(directory), exc)]), {})
    item = ProgrammeBuild(built.result)
    report.programmes.append(item)
    report.check.programmes.append(built.result)
    report.check.texts.update(built.texts)
    report.diagnostics.extend(built.diagnostics)
    plan.cache.merge(built.fingerprints)
    if built.record is None or has_errors(built.diagnostics):
        return built, False
    if built.staged is not None:
        assert built.anchor is not None  # staged only when it checked ok
        try:
            swap_in(plan.outputs, directory.name, built.staged)
        except OSError as exc:  # a full disk, a read-only folder: the previous documents stay
            report.diagnostics.append(write_failed(built.anchor, plan.outputs, exc))
            return built, False
        item.rendered = True
    else:
        item.unchanged = True
    item.files = sorted(built.record.files)
    plan.manifest.programmes[directory.name] = built.record
    return built, True


def retire_removed(outputs: Path, manifest: Manifest, options: BuildOptions, report: BuildReport,
                   current: set[str]) -> None:
    """A removed programme whose folder outputs/ lacks — a fresh CI checkout publishing over the site that had it —
    gets a folder of its feeds, emptied: its subscribers' calendars drop the events (`engine.building.published`).
    A folder a previous build left is kept as it is (nothing of a previous build goes missing); one of emptied
    feeds is written again only when they change."""
    for folder in removed_programmes(options.published_feeds, manifest.programmes, current):
        earlier = manifest.programmes.get(folder)
        if (outputs / folder).exists() and (earlier is None or earlier.digest != _RETIRED_FEEDS):
            continue
        files = retired_programme(folder, dict(options.published_feeds), earlier.files if earlier else (), options)
        record = Record.of(_RETIRED_FEEDS, files)
        if earlier is not None and earlier.files == record.files and earlier.intact(outputs / folder):
            continue
        try:
            swap_in(outputs, folder, stage_folder(outputs, folder, files))
        except OSError as exc:
            report.diagnostics.append(write_failed(Span.whole_file(outputs / folder), outputs, exc))
            continue
        manifest.programmes[folder] = record
        report.shared_files.extend(f"{folder}/{name}" for name in sorted(files))


def _late_parts(plan: _Plan, report: BuildReport, gatherers: list, without_parts: list[Path]) -> bool:
    """The parts of the programmes that were not rendered, given now that the files are written again; False when
    one cannot give it (then the files keep what they were)."""
    outcomes = map_ordered(lambda directory: _build_programme(plan, directory, render=False), without_parts,
                           pdf=plan.options.pdf)
    for directory, outcome in zip(without_parts, outcomes, strict=True):     # the gatherers order the parts themselves
        try:
            parts = outcome.result().parts
        except WorkerFailed as exc:
            report.diagnostics.append(_internal_error(Span.whole_file(directory), exc))
            return False
        if parts is None:     # changed since it was checked: the next build writes these files
            return False
        add_parts(gatherers, parts)
    return True


def publish_shared(outputs: Path, manifest: Manifest, options: BuildOptions, force: bool, report: BuildReport,
                   gatherers: list, complete_parts: Callable[[], bool]) -> None:
    """Files that span programmes, rewritten when any programme's inputs changed (or with `force`).

    Besides the programmes, their inputs are the bundled templates folder as a whole (the site's page
    templates are there, and no programme records them). `complete_parts` adds the parts the gatherers
    lack (of programmes not rendered), only if the files are written again; False: they cannot be.
    """
    digest = inputs_digest({
        "programmes": {item.result.directory.name: manifest.programmes[item.result.directory.name].digest
                       for item in report.programmes},
        "templates": bundled_templates_files(),
        "published_feeds": _unwritten_feeds(options, "calendars/", manifest.shared.files if manifest.shared else {}),
        "site_url": options.site_url})
    if not force and manifest.shared is not None and manifest.shared.digest == digest and manifest.shared.intact(outputs):
        return
    if not complete_parts():
        return
    written: dict[str, str] = {}     # path → digest of its bytes

    def publish(relative: str, chunks: Iterator[bytes]) -> None:
        changed, written[relative] = write_chunks_if_changed(outputs / relative, chunks)
        if changed:    # a page of a programme that did not change stays
            report.shared_files.append(relative)

    complete = True
    for gatherer in gatherers:
        try:
            for relative, chunks in gatherer.files(options):
                publish(relative, chunks)
        except RenderError as exc:
            report.diagnostics.extend(exc.diagnostics)
            complete = False
    if not complete:
        return
    for relative in sorted(set(manifest.shared.files if manifest.shared else ()) - set(written)):
        for gatherer in gatherers:    # written before, not now: its renderer says what it becomes
            chunks = gatherer.retired(relative, options)
            if chunks is not None:
                publish(relative, chunks)
                break
    manifest.shared = Record(digest, written)
