"""load → model → check, for one programme folder or a whole specs tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.checks import run_checks
from engine.diagnostics import Diagnostic, Severity, Span, has_errors
from engine.loading import find_programmes, load_programme
from engine.model.build import ProgrammeModel, build_model


@dataclass
class ProgrammeResult:
    directory: Path
    model: ProgrammeModel | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.model is not None and not has_errors(self.diagnostics)


@dataclass
class CheckResult:
    programmes: list[ProgrammeResult]
    texts: dict[Path, str]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for p in self.programmes for d in p.diagnostics]


def _load(directory: Path, specs_root: Path) -> tuple[ProgrammeResult, dict[Path, str]]:
    loaded = load_programme(directory, specs_root)
    # with nothing loaded because of file errors, «missing key» errors would only repeat them
    model, problems = build_model(loaded) if loaded.data or not loaded.diagnostics else (None, [])
    return ProgrammeResult(directory, model, loaded.diagnostics + problems), loaded.sources.texts


def _referenced_programmes(model: ProgrammeModel) -> set[str]:
    """Ids of other programmes this one's decree refers to (legal basis, approving acts)."""
    programme = model.programme
    acts = list(programme.decree.legal_basis.values()) + [
        document.approved_by for document in (programme.roadmap, programme.budget, programme.indicators,
                                              programme.specification)
        if document is not None and document.approved_by is not None]
    return {act.programme for act in acts if act.programme}


def check_tree(specs: Path) -> CheckResult:
    """Check every programme under `specs` (or `specs` itself if it is one programme)."""
    directories = find_programmes(specs)
    single = directories == [specs]
    specs_root = specs.parent if single else specs
    results: list[ProgrammeResult] = []
    texts: dict[Path, str] = {}
    if not directories:
        results.append(ProgrammeResult(specs, None, [Diagnostic(
            "Y013", Severity.ERROR, f"в папке {specs} нет ни одной программы (папок с файлами *.yaml)",
            Span.whole_file(specs), "создайте программу командой «prikaz new <id>»", "no-spec")]))
    for directory in directories:
        result, sources = _load(directory, specs_root)
        results.append(result)
        texts.update(sources)
    repository = {r.model.id: r.model for r in results if r.model is not None}
    if single and results[0].model is not None:
        # a programme checked on its own still verifies references to its neighbours
        for other in sorted(_referenced_programmes(results[0].model) - set(repository)):
            neighbour, _ = _load(specs_root / other, specs_root) if (specs_root / other).is_dir() else (None, None)
            if neighbour is not None and neighbour.model is not None:
                repository[neighbour.model.id] = neighbour.model
    for result in results:
        if result.model is not None and not has_errors(result.diagnostics):
            result.diagnostics.extend(run_checks(result.model, repository))
    return CheckResult(results, texts)
