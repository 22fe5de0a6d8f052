"""Checks: consistency rules over a validated programme (DESIGN §5).

Checks never write files and never raise: what they find are Diagnostics.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

from engine.checks import indicators, ownership, structure, sums, timing  # noqa: F401  (registration)
from engine.checks.registry import REGISTRY, Check, CheckContext, Finding, resolve_check
from engine.collector import collector_paused
from engine.diagnostics import Diagnostic, Related, Severity
from engine.model.spec import Decree
from engine.model.validate import ProgrammeModel, refine

__all__ = ["REGISTRY", "Check", "CheckContext", "Finding", "resolve_check", "run_checks"]


def _settings(model: ProgrammeModel) -> tuple[dict[str, str], list[Diagnostic]]:
    """Programme-level overrides by check code; unknown keys are diagnostics themselves."""
    info = model.programme.programme
    overrides: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for key, level in info.checks.items():
        found = resolve_check(key)
        if found is None:
            problems.append(Diagnostic(
                "R507", Severity.ERROR, f"неизвестная проверка «{key}» в настройках программы",
                model.sources.key_span(info.path + ("checks", key)),
                "коды и имена проверок: prikaz checks", "unknown-check"))
            continue
        overrides[found.code] = level
    return overrides, problems


def _silenced(finding: Finding, checked: Check) -> bool:
    silence = getattr(finding.target, "silence", None) or {}
    return any(resolve_check(key) is checked for key in silence)


def _silence_problems(model: ProgrammeModel) -> list[Diagnostic]:
    """Every `silence:` names a known check and says why — whether or not the check fires today."""
    problems = []
    for target in model.objects:
        for key, reason in (getattr(target, "silence", None) or {}).items():
            path = target.path + ("silence", key)
            if resolve_check(key) is None:
                problems.append(Diagnostic(
                    "R507", Severity.ERROR, f"неизвестная проверка «{key}» в silence", model.sources.key_span(path),
                    "коды и имена проверок: prikaz checks", "unknown-check"))
            elif not reason.strip():
                problems.append(Diagnostic(
                    "R507", Severity.ERROR, f"отключение проверки {key} без причины", model.sources.span(path),
                    "напишите, почему проверка здесь неверна", "unknown-check"))
    return problems


def _path(target, field) -> tuple:
    own = target.path if target is not None else ()
    if field is None:
        return own
    return own + (field if isinstance(field, tuple) else (field,))


def _related(model: ProgrammeModel, finding: Finding):
    for target, field, label in finding.related:
        span = model.sources.span(_path(target, field))
        if span is not None:
            yield Related(span, label)


@collector_paused()
def run_checks(model: ProgrammeModel, decree_of: Callable[[str], Decree | None] | None = None) -> list[Diagnostic]:
    """Every registered check of one programme; `decree_of` finds the decrees of the others it refers to."""
    ctx = CheckContext(model, decree_of or (lambda programme_id: model.programme.decree if programme_id == model.id
                                            else None))
    overrides, diagnostics = _settings(model)
    diagnostics.extend(_silence_problems(model))
    for code, registered in sorted(REGISTRY.items()):
        level = overrides.get(code)
        if level == "off":
            continue
        severity = Severity(level) if level else registered.severity
        try:
            findings = list(registered.function(ctx))
        except Exception as exc:  # a bug in a check must not cost the user the other diagnostics
            diagnostics.append(Diagnostic(
                "E900", Severity.ERROR, f"внутренняя ошибка проверки {code}: {type(exc).__name__}: {exc}",
                model.sources.span(()), "это ошибка prikaz, а не спецификации: сообщите разработчикам", "internal",
                detail=traceback.format_exc()))
            continue
        for finding in findings:
            if finding.target is not None and _silenced(finding, registered):
                continue
            path = _path(finding.target, finding.field)
            span = model.sources.key_span(path) if finding.key else refine(
                model.sources.span(path), model.sources, finding.offset, finding.length)
            diagnostics.append(Diagnostic(
                code, severity, finding.message, span, finding.hint, registered.name,
                tuple(_related(model, finding))))
    return diagnostics
