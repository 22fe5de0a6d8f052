"""`prikaz build`: check, render in memory, then replace each programme's outputs atomically.

Nothing half-written ever appears in `outputs/`: a programme's files are written
to a staging folder beside it and swapped in with renames; a programme with
errors, or whose rendering fails, keeps its previous outputs untouched.

Builds are incremental: every programme is checked, but only those whose inputs
changed since their outputs were written are rendered again (`engine.manifest`).
The inputs are the programme's spec files, the templates its documents came from,
the engine's source, the options, the build time and the calendar history. The
build time is the last commit of the whole specs folder, so a commit anywhere in
it re-renders every programme: their documents and feeds carry that time.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import subprocess
import sysconfig
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from engine.atomic import exchange, write_bytes_if_changed
from engine.diagnostics import Diagnostic, Severity, Span, has_errors
from engine.history import CALENDAR_HISTORY, CalendarHistory, calendar_histories
from engine.loading import spec_files
from engine.manifest import Manifest, Record, engine_digest, file_digest, inputs_digest
from engine.model.build import ProgrammeModel
from engine.parallel import render_all
from engine.pipeline import CheckResult, ProgrammeResult, check_tree
from engine.render import (BuildOptions, RenderedProgramme, RenderError, programme_index_renderers,
                           programme_renderers, repository_renderers)
from engine.render.pdf import libreoffice_missing


def bundled_templates() -> Path:
    """templates/ of the checkout; in an installed wheel, where pyproject.toml's data-files put them."""
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file():
        return checkout / "templates"
    return Path(sysconfig.get_path("data")) / "share" / "prikaz" / "templates"


TEMPLATES = bundled_templates()
_STAGING, _RETIRED = ".staging-", ".retired-"
HISTORY_CACHE = Path(".cache") / "calendar-history.json"
Progress = Callable[[str, int, int], None]  # (programme id, programmes rendered so far, programmes to render)


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


EPOCH_1980 = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)


def build_times(specs: Path, directories: list[Path]) -> dict[Path, dt.datetime]:
    """A fixed timestamp per programme for reproducible files — never the wall clock.

    SOURCE_DATE_EPOCH when set; else the last commit that touched the programme's own folder
    (one `git log` over the specs), so a commit to one programme leaves the others' bytes, and
    their incremental builds, alone; outside git, 1980-01-01 (the zip format's first day).
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        fixed = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
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
        when = dt.datetime.fromtimestamp(int(stamp), dt.timezone.utc)
        for name in names:
            directory = folders.get((Path(top) / name).resolve().parent)
            if directory is not None and directory not in found:
                found[directory] = when
    return found


def _recover(outputs: Path, name: str) -> None:
    """Finish a swap that a crash interrupted: the retired copy is the last good one."""
    final, retired = outputs / name, outputs / f"{_RETIRED}{name}"
    if retired.exists():
        if final.exists():
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(retired, final)
    shutil.rmtree(outputs / f"{_STAGING}{name}", ignore_errors=True)


def replace_folder(outputs: Path, name: str, files: dict[str, bytes]) -> None:
    """Write `files` into outputs/<name>/ so that readers see the old folder or the new one, never a mix.

    The new folder is written beside the old one and swapped in with one atomic exchange where the
    system has it (a crash never finds outputs/<name> missing), else with two renames whose
    interruption `_recover` finishes. A failure while writing (a full disk) leaves the old folder
    in place and no staging folder behind; the OSError goes to the caller.
    """
    outputs.mkdir(parents=True, exist_ok=True)
    _recover(outputs, name)
    staging = outputs / f"{_STAGING}{name}"
    final, retired = outputs / name, outputs / f"{_RETIRED}{name}"
    try:
        staging.mkdir()
        for relative, data in sorted(files.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if final.exists() and exchange(staging, final):
            shutil.rmtree(staging, ignore_errors=True)   # it holds the old folder now
            return
        if final.exists():
            os.replace(final, retired)
        os.replace(staging, final)
    except BaseException:
        _recover(outputs, name)   # the old folder back in its place, the staging folder gone
        raise
    shutil.rmtree(retired, ignore_errors=True)


_WRITE_FAILURES = {
    errno.ENOSPC: "на диске нет места", errno.EDQUOT: "превышена квота диска",
    errno.EACCES: "нет прав на запись", errno.EPERM: "нет прав на запись", errno.EROFS: "диск только для чтения",
    errno.ENAMETOOLONG: "слишком длинное имя файла", errno.EIO: "ошибка ввода-вывода диска",
}


def _write_failed(model: ProgrammeModel, outputs: Path, exc: OSError) -> Diagnostic:
    span = model.sources.span(()) or Span.whole_file(model.directory)
    reason = _WRITE_FAILURES.get(exc.errno, exc.strerror or type(exc).__name__)
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


def _internal_error(model: ProgrammeModel, exc: Exception) -> Diagnostic:
    span = model.sources.span(()) or Span.whole_file(model.directory)
    return Diagnostic("E901", Severity.ERROR, f"сбой при создании документов: {type(exc).__name__}: {exc}", span,
                      "предыдущие документы программы сохранены без изменений; сообщите разработчикам", "render-failed")


def _templates_used(model: ProgrammeModel, options: BuildOptions) -> tuple[str, ...]:
    """The template files a rendered programme's documents came from: the decree's, then one per appendix."""
    from engine.model.appendices import appendices
    from engine.render.docx.templates import template_path

    kinds = ["decree"] + [appendix.kind for appendix in appendices(model.programme)]
    return tuple(str(template_path(model, options, kind)) for kind in kinds)


def _programme_inputs(model: ProgrammeModel, history: CalendarHistory, common: dict) -> dict:
    """What a programme's outputs are made from, except the templates (known for sure only once it is rendered)."""
    return dict(common, specs={file.name: file_digest(file) for file in spec_files(model.directory)},
                calendar={"note": history.note, "revisions": {
                    uid: [revision.sequence, revision.last_modified.isoformat()]
                    for uid, revision in history.revisions.items()}})


def _programme_digest(inputs: dict, templates: tuple[str, ...]) -> str:
    return inputs_digest(dict(inputs, templates={path: file_digest(Path(path)) for path in templates}))


def build(specs: Path, outputs: Path, pdf: bool = False, force: bool = False,
          progress: Progress | None = None) -> BuildReport:
    """Check every programme; render those without errors whose inputs changed (all with `force`); swap them in."""
    checked = check_tree(specs)
    good = [r.model for r in checked.programmes if r.ok]
    times = {model.id: at for model, at in zip(good, build_times(specs, [m.directory for m in good]).values())}
    histories = calendar_histories(good, times, outputs / HISTORY_CACHE)
    # files that span programmes change whenever one of them does: they carry the latest time
    options = BuildOptions(build_time=max(times.values(), default=EPOCH_1980), templates=TEMPLATES, outputs=outputs,
                           pdf=pdf, extra={CALENDAR_HISTORY: histories})
    report = BuildReport(checked, [ProgrammeBuild(r) for r in checked.programmes],
                         diagnostics=[d for history in histories.values() for d in history.diagnostics])
    no_libreoffice = libreoffice_missing() if pdf else None
    if no_libreoffice:
        report.diagnostics.append(no_libreoffice)      # a warning: the DOCX are still written
    manifest = Manifest.load(outputs)
    common = {"engine": engine_digest(), "bundled_templates": str(TEMPLATES), "pdf": pdf and no_libreoffice is None}
    stale: list[tuple[ProgrammeBuild, dict]] = []
    for item in report.programmes:
        if not item.result.ok:
            continue
        model = item.result.model
        inputs = dict(_programme_inputs(model, histories[model.id], common), build_time=times[model.id].isoformat())
        record = manifest.programmes.get(model.id)
        if (not force and record is not None and record.digest == _programme_digest(inputs, record.templates)
                and record.intact(outputs / model.id)):
            item.files, item.unchanged = sorted(record.files), True
        else:
            stale.append((item, inputs))
    # rendered on every core for a large build (engine.parallel), handed back here in order
    outcomes = render_all(render_programme, [(item.result.model, replace(options, build_time=times[item.result.model.id]))
                                             for item, _ in stale])
    for done, ((item, inputs), outcome) in enumerate(zip(stale, outcomes)):
        model = item.result.model
        if progress is not None:
            progress(model.id, done, len(stale))
        try:
            files = outcome.result()
        except RenderError as exc:
            report.diagnostics.extend(exc.diagnostics)
            continue
        except Exception as exc:  # a renderer bug must not cost the previous good documents
            report.diagnostics.append(_internal_error(model, exc))
            continue
        try:
            replace_folder(outputs, model.id, files)
        except OSError as exc:  # a full disk, a read-only folder: the previous documents stay
            report.diagnostics.append(_write_failed(model, outputs, exc))
            continue
        item.files = sorted(files)
        item.rendered = True
        templates = _templates_used(model, options)
        manifest.programmes[model.id] = Record.of(_programme_digest(inputs, templates), files, templates)
    ready = [RenderedProgramme(item.result.model, tuple(item.files))
             for item in report.programmes if item.rendered or item.unchanged]
    # feeds that span programmes would lose a failed programme's events: then they keep the previous ones
    if len(ready) == len(report.programmes):
        _render_shared(ready, options, outputs, manifest, force, report)
    manifest.save(outputs)  # last: it must never record outputs that are not written yet
    return report


def _render_shared(programmes: list[RenderedProgramme], options: BuildOptions, outputs: Path, manifest: Manifest,
                   force: bool, report: BuildReport) -> None:
    """Files that span programmes, rewritten when any programme's inputs changed (or with `force`).

    Besides the programmes, their inputs are the bundled templates folder as a whole (the site's page
    templates are there, and no programme records them).
    """
    digest = inputs_digest({
        "programmes": {p.model.id: manifest.programmes[p.model.id].digest for p in programmes},
        "templates": {path.relative_to(TEMPLATES).as_posix(): file_digest(path)
                      for path in sorted(TEMPLATES.rglob("*")) if path.is_file()}})
    if not force and manifest.shared is not None and manifest.shared.digest == digest and manifest.shared.intact(outputs):
        return
    written: dict[str, bytes] = {}
    complete = True
    for renderer in repository_renderers():
        try:
            shared = renderer(programmes, options)
        except RenderError as exc:
            report.diagnostics.extend(exc.diagnostics)
            complete = False
            continue
        for relative, data in sorted(shared.items()):
            if write_bytes_if_changed(outputs / relative, data):  # a page of a programme that did not change stays
                report.shared_files.append(relative)
        written.update(shared)
    if complete:
        manifest.shared = Record.of(digest, written)
