"""load → model → check, for one programme folder or a whole specs tree.

A programme is checked on its own: the only thing checks need from the rest of the tree is the
decree of a programme this one refers to (R503), which `OtherDecrees` loads when asked. So a
tree of any size is checked programme by programme, on every core (`engine.building.parallel`), holding
only each programme's diagnostics — and its part of the checks spanning programmes (O305, an organisation's
names): a few sightings per organisation, compared once every programme is checked (`compare_parts`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from engine.building.parallel import map_ordered
from engine.checks import NOT_BUILT, NotBuilt, compare_across, run_checks
from engine.checks.registry import Sightings
from engine.diagnostics import Diagnostic, Severity, Span, has_errors
from engine.loading import find_programmes, load_programme
from engine.loading.yaml_source import decode
from engine.model.edition import PastVersion
from engine.model.spec import Decree
from engine.model.validate import ProgrammeModel, validate_programme

# The engine's own failures, with their tracebacks. A library logs and leaves the showing to its
# application: the command line sends them to standard error with --verbose or PRIKAZ_DEBUG=1.
log = logging.getLogger("prikaz")
log.addHandler(logging.NullHandler())


@dataclass
class ProgrammeResult:
    directory: Path
    # None when nothing could be read, or when not kept (check_tree(keep_models=False)); with errors, the model
    # of what validated (ProgrammeModel.unbuilt), which only checks use
    model: ProgrammeModel | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # its part of the checks spanning programmes (engine.checks.ProgrammeChecks.across); empty when it was not checked
    across: dict[str, Sightings] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.model is not None and self.model.complete and not has_errors(self.diagnostics)


@dataclass
class CheckResult:
    programmes: list[ProgrammeResult]
    texts: dict[Path, str]      # for the reporter's snippets: the files the diagnostics point into (or all)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for p in self.programmes for d in p.diagnostics]


# what R503 compares in the decree of another programme
_DECREE_REFERENCE = (("programme", "id"), ("decree", "number"), ("decree", "date"))


def _decree(model: ProgrammeModel, programme_id: str) -> Decree | NotBuilt | None:
    """The decree of a programme's model for a reference by id: NOT_BUILT if what a reference compares did not
    validate; None if the programme's id is not `programme_id` (a programme's id is its folder's name: R508)."""
    if any(model.unbuilt.stops(part, whole=False) for part in _DECREE_REFERENCE):
        return NOT_BUILT
    return model.programme.decree if model.id == programme_id else None


class OtherDecrees:
    """The decrees of the specs tree's programmes by id, each loaded the first time a check asks for it."""

    def __init__(self, specs_root: Path):
        self.specs_root = specs_root
        self.known: dict[str, Decree | NotBuilt | None] = {}

    def remember(self, model: ProgrammeModel) -> None:
        if not model.unbuilt.stops(("programme", "id"), whole=False) and model.id not in self.known:
            self.known[model.id] = _decree(model, model.id)

    def __call__(self, programme_id: str) -> Decree | NotBuilt | None:
        if programme_id not in self.known:
            folder = self.specs_root / programme_id
            found: Decree | NotBuilt | None = None
            if programme_id not in ("", ".", "..") and "/" not in programme_id and folder.is_dir():
                loaded = load_programme(folder, self.specs_root)
                found = _decree(validate_programme(loaded)[0], programme_id) if loaded.data else NOT_BUILT
            self.known[programme_id] = found
        return self.known[programme_id]


def check_programme(directory: Path, specs_root: Path, decree_of: OtherDecrees,
                    lint_templates: bool = False) -> tuple[ProgrammeResult, dict[Path, str]]:
    """One programme loaded, modelled and checked; with the texts of its files.

    With `lint_templates` (`prikaz check`), a programme without errors, which the build would render, also has
    its own templates linted as rendering would find them (the build's rendering reports the same itself)."""
    loaded = load_programme(directory, specs_root)
    # with nothing loaded because of file errors, «missing key» errors would only repeat them
    model, problems = validate_programme(loaded) if loaded.data or not loaded.diagnostics else (None, [])
    result = ProgrammeResult(directory, model, loaded.diagnostics + problems)
    if model is not None:   # with errors too: every check whose inputs validated runs (engine/model/validate.py)
        decree_of.remember(model)
        checked = run_checks(model, decree_of, lambda revision: _version_at(directory, revision))
        result.diagnostics.extend(checked.diagnostics)
        result.across = checked.across
        # errors first: a programme recovered without its `programme` section has no templates to ask about
        if lint_templates and not has_errors(result.diagnostics) and model.programme.programme.templates:
            # docxtpl and python-docx are loaded only for a programme that brings templates of its own
            from engine.render.docx import lint_own_templates

            result.diagnostics.extend(lint_own_templates(model))
    return result, loaded.sources.texts


def _version_at(directory: Path, revision: str) -> PastVersion:
    """The programme at a git revision, for the checks that compare with the signed version; git and the
    history's imports only when a programme names one (decree.revision)."""
    from engine.building.history import version_at

    return version_at(directory, revision)


def programme_folders(specs: Path) -> tuple[list[Path], Path, list[Diagnostic]]:
    """The programme folders under `specs` (or `specs` itself if it is one), their specs root, and
    the error of a folder without any programme."""
    directories = find_programmes(specs)
    specs_root = specs.parent if directories == [specs] else specs
    if directories:
        return directories, specs_root, []
    return [], specs_root, [Diagnostic(
        "Y013", Severity.ERROR, f"в папке {specs} нет ни одной программы (папок с файлами *.yaml)",
        Span.whole_file(specs), "создайте программу командой «prikaz new <id>»", "no-spec")]


def without_model(result: ProgrammeResult, texts: dict[Path, str]) -> tuple[ProgrammeResult, dict[Path, str]]:
    """What is kept of a checked programme once its model is let go: its diagnostics, and the texts of
    the files they point into (what the reporter shows)."""
    files = {span.file for d in result.diagnostics for span in [d.span, *(r.span for r in d.related)]
             if span is not None}
    return (ProgrammeResult(result.directory, None, result.diagnostics, result.across),
            {path: text for path, text in texts.items() if path in files})


def compare_parts(results: list[ProgrammeResult], texts: dict[Path, str]) -> list[Diagnostic]:
    """The checks spanning programmes over the checked programmes: each one's findings added to its diagnostics,
    the files they point into to `texts` (read again if they were let go with the model); the findings returned."""
    found = []
    for result, diagnostics in zip(results, compare_across([result.across for result in results]), strict=True):
        result.diagnostics.extend(diagnostics)
        found.extend(diagnostics)
    for file in sorted({d.span.file for d in found if d.span is not None} - set(texts)):
        try:
            text, _ = decode(file, file.read_bytes())
        except OSError:
            continue    # gone since it was checked: the report shows the place without the line
        if text is not None:
            texts[file] = text
    return found


def check_tree(specs: Path, keep_models: bool = True, lint_templates: bool = False) -> CheckResult:
    """Check every programme under `specs` (or `specs` itself if it is one programme).

    With `keep_models`, each result holds its programme's model (for export and tests). Without,
    nothing of a programme is kept but its diagnostics and the texts they point into, and a large
    tree is checked on every core. With `lint_templates`, programmes' own templates too (check_programme).
    """
    directories, specs_root, problems = programme_folders(specs)
    decree_of = OtherDecrees(specs_root)

    def check(directory: Path) -> tuple[ProgrammeResult, dict[Path, str]]:
        return check_programme(directory, specs_root, decree_of, lint_templates)

    checked = ([check(directory) for directory in directories] if keep_models
               else (outcome.result() for outcome in map_ordered(
                   lambda directory: without_model(*check(directory)), directories)))
    results = [ProgrammeResult(specs, None, problems)] if problems else []
    texts: dict[Path, str] = {}
    for result, sources in checked:
        results.append(result)
        texts.update(sources)
    compare_parts(results, texts)
    return CheckResult(results, texts)


def log_engine_failures(diagnostics: list[Diagnostic]) -> str:
    """Log each failure of the engine itself (a diagnostic with a traceback: E900, E901) with where it
    happened; return the same entries as one text (for the build's log file), empty without any."""
    entries = []
    for d in diagnostics:
        if d.detail:
            where = f"{d.span.file}:{d.span.line}:{d.span.column}" if d.span else "<спецификация>"
            entries.append(f"{where}: {d.code} {d.message}\n{d.detail.rstrip()}\n")
            log.error("%s", entries[-1].rstrip())
    return "\n".join(entries)
