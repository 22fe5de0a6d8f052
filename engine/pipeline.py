"""load → model → check, for one programme folder or a whole specs tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.checks import run_checks
from engine.diagnostics import Diagnostic, has_errors
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


def check_tree(specs: Path) -> CheckResult:
    """Check every programme under `specs` (or `specs` itself if it is one programme)."""
    specs_root = specs if len(find_programmes(specs)) != 1 or find_programmes(specs)[0] != specs else specs.parent
    results: list[ProgrammeResult] = []
    texts: dict[Path, str] = {}
    for directory in find_programmes(specs):
        loaded = load_programme(directory, specs_root)
        texts.update(loaded.sources.texts)
        model, problems = build_model(loaded) if loaded.data or not loaded.diagnostics else (None, [])
        results.append(ProgrammeResult(directory, model, loaded.diagnostics + problems))
    repository = {r.model.id: r.model for r in results if r.model is not None}
    for result in results:
        if result.model is not None and not has_errors(result.diagnostics):
            result.diagnostics.extend(run_checks(result.model, repository))
    return CheckResult(results, texts)
