"""`prikaz build`: check, render in memory, then replace each programme's outputs atomically.

Nothing half-written ever appears in `outputs/`: a programme's files are written
to a staging folder beside it and swapped in with renames; a programme with
errors, or whose rendering fails, keeps its previous outputs untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from engine.atomic import write_bytes_atomic
from engine.diagnostics import Diagnostic, Severity, Span, has_errors
from engine.history import CALENDAR_HISTORY, calendar_histories
from engine.model.build import ProgrammeModel
from engine.pipeline import CheckResult, ProgrammeResult, check_tree
from engine.render import BuildOptions, RenderedProgramme, RenderError, programme_renderers, repository_renderers
from engine.render.pdf import libreoffice_missing

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_STAGING, _RETIRED = ".staging-", ".retired-"
HISTORY_CACHE = Path(".cache") / "calendar-history.json"


@dataclass
class ProgrammeBuild:
    result: ProgrammeResult
    files: list[str] = field(default_factory=list)
    rendered: bool = False


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


def build_time(specs: Path) -> dt.datetime:
    """A fixed timestamp for reproducible files: SOURCE_DATE_EPOCH, else the specs' last commit, else the epoch.

    Never the wall clock: the same specs must give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "."], cwd=specs, capture_output=True,
                             text=True, timeout=10, check=False).stdout.strip()
        if out.isdigit():
            return dt.datetime.fromtimestamp(int(out), dt.timezone.utc)
    except (OSError, subprocess.SubprocessError):
        pass
    return dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)


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
    """Write `files` into outputs/<name>/ so that readers see the old folder or the new one, never a mix."""
    outputs.mkdir(parents=True, exist_ok=True)
    _recover(outputs, name)
    staging = outputs / f"{_STAGING}{name}"
    staging.mkdir()
    for relative, data in sorted(files.items()):
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    final, retired = outputs / name, outputs / f"{_RETIRED}{name}"
    if final.exists():
        os.replace(final, retired)
    os.replace(staging, final)
    shutil.rmtree(retired, ignore_errors=True)


def render_programme(model: ProgrammeModel, options: BuildOptions) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for renderer in programme_renderers():
        files.update(renderer(model, options))
    return files


def _internal_error(model: ProgrammeModel, exc: Exception) -> Diagnostic:
    span = model.sources.span(()) or Span.whole_file(model.directory)
    return Diagnostic("E901", Severity.ERROR, f"сбой при создании документов: {type(exc).__name__}: {exc}", span,
                      "предыдущие документы программы сохранены без изменений; сообщите разработчикам", "render-failed")


def build(specs: Path, outputs: Path, pdf: bool = False) -> BuildReport:
    """Check every programme, render those without errors, and swap their outputs in."""
    checked = check_tree(specs)
    built_at = build_time(specs)
    histories = calendar_histories([r.model for r in checked.programmes if r.ok], built_at, outputs / HISTORY_CACHE)
    options = BuildOptions(build_time=built_at, templates=TEMPLATES, outputs=outputs, pdf=pdf,
                           extra={CALENDAR_HISTORY: histories})
    report = BuildReport(checked, [ProgrammeBuild(r) for r in checked.programmes],
                         diagnostics=[d for history in histories.values() for d in history.diagnostics])
    if pdf and (no_libreoffice := libreoffice_missing()):
        report.diagnostics.append(no_libreoffice)      # a warning: the DOCX are still written
    good: list[RenderedProgramme] = []
    for item in report.programmes:
        if not item.result.ok:
            continue
        model = item.result.model
        try:
            files = render_programme(model, options)
        except RenderError as exc:
            report.diagnostics.extend(exc.diagnostics)
            continue
        except Exception as exc:  # a renderer bug must not cost the previous good documents
            report.diagnostics.append(_internal_error(model, exc))
            continue
        replace_folder(outputs, model.id, files)
        item.files = sorted(files)
        item.rendered = True
        good.append(RenderedProgramme(model, tuple(item.files)))
    if len(good) != len(report.programmes):
        # feeds that span programmes would lose the failed programme's events: keep the previous ones
        return report
    for renderer in repository_renderers():
        try:
            shared = renderer(good, options)
        except RenderError as exc:
            report.diagnostics.extend(exc.diagnostics)
            continue
        for relative, data in sorted(shared.items()):
            write_bytes_atomic(outputs / relative, data)
            report.shared_files.append(relative)
    return report
