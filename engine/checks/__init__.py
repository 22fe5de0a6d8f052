"""Checks: consistency rules over a validated programme (DESIGN §5).

Checks never write files and never raise: what they find are Diagnostics. They run on a programme
part of which did not validate too, each only if what it reads built (registry.py; recovery in
engine/model/validate.py), so one `prikaz check` shows every problem. A check spanning programmes
(registry.py, `across=`) is run in two steps: each programme gives it its sightings (`run_checks`), and
`compare_across` compares those of every programme once all are checked.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from engine.checks import amendments, execution, indicators, ownership, structure, sums, tables, timing  # noqa: F401  (registration)
from engine.checks.registry import (
    NOT_BUILT,
    REGISTRY,
    Check,
    CheckContext,
    Finding,
    NotBuilt,
    Sighting,
    Sightings,
    resolve_check,
)
from engine.collector import collector_paused
from engine.diagnostics import Diagnostic, Related, Severity, Span
from engine.model.edition import PastVersion
from engine.model.spec import Decree, SpecModel
from engine.model.validate import ProgrammeModel, refine

__all__ = ["NOT_BUILT", "REGISTRY", "Check", "CheckContext", "Finding", "NotBuilt", "ProgrammeChecks", "compare_across",
           "resolve_check", "run_checks"]

SETTINGS = ("programme", "checks")


def _guarded(model: ProgrammeModel, checked: Check, path: tuple, what: str) -> Diagnostic:
    return Diagnostic(
        "R510", Severity.ERROR, f"проверку {checked.code} ({checked.name}) нельзя {what}: {checked.guards}",
        model.sources.key_span(path), "исправьте то, о чём она сообщает, и уберите настройку", "guarded-check")


def _settings(model: ProgrammeModel) -> tuple[dict[str, str], list[Diagnostic]]:
    """Programme-level overrides by check code; unknown keys are diagnostics themselves, and so is turning off
    or weakening a check that guards what the documents are made on (it keeps running as an error), or a
    level the check has anyway (a setting that does nothing)."""
    info = model.programme.programme
    overrides: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for key, level in info.checks.items():
        found = resolve_check(key)
        path = info.path + ("checks", key)
        if found is None:
            problems.append(Diagnostic(
                "R507", Severity.ERROR, f"неизвестная проверка «{key}» в настройках программы",
                model.sources.key_span(path), "коды и имена проверок: prikaz checks", "unknown-check"))
        elif found.guards and level != "error":
            problems.append(_guarded(model, found, path, "отключить" if level == "off" else "ослабить"))
        elif level == found.severity.value:
            problems.append(Diagnostic(
                "R511", Severity.WARNING, f"настройка {key}: {level} ничего не меняет: проверка {found.code} и так "
                f"{found.severity.russian}", model.sources.key_span(path),
                "уберите настройку или задайте другую важность: off, error, warning, info", "idle-setting"))
        else:
            overrides[found.code] = level
    return overrides, problems


def _silenced(target: SpecModel, checked: Check) -> bool:
    if "silence" in type(target).model_fields and "silence" not in target.__dict__:
        return True   # its silence did not validate: what it would have silenced is not known
    silence = getattr(target, "silence", None) or {}
    return not checked.guards and any(resolve_check(key) is checked for key in silence)


def _silence_problems(model: ProgrammeModel, overrides: dict[str, str]) -> list[Diagnostic]:
    """Every `silence:` names a known check and says why — whether or not the check fires today; one that
    cannot silence anything there (a check about other objects, one turned off, one that cannot be
    turned off) says so."""
    problems = []
    for target in model.objects:
        for key, reason in (getattr(target, "silence", None) or {}).items():
            path = target.path + ("silence", key)
            found = resolve_check(key)
            if found is None:
                problems.append(Diagnostic(
                    "R507", Severity.ERROR, f"неизвестная проверка «{key}» в silence", model.sources.key_span(path),
                    "коды и имена проверок: prikaz checks", "unknown-check"))
            elif not reason.strip():
                problems.append(Diagnostic(
                    "R507", Severity.ERROR, f"отключение проверки {key} без причины", model.sources.span(path),
                    "напишите, почему проверка здесь неверна", "unknown-check"))
            elif found.guards:
                problems.append(_guarded(model, found, path, "отключить"))
            elif found.targets is not None and not isinstance(target, found.targets):
                problems.append(_idle_silence(model, found, path, f"здесь {_kind(target)}, а проверка сообщает только о "
                                              "таких записях: " + ", ".join(_kind(kind) for kind in found.targets)))
            elif overrides.get(found.code) == "off":
                problems.append(_idle_silence(model, found, path, "она отключена для всей программы (programme.checks)"))
    return problems


def _kind(target) -> str:
    """What a spec object is: the start of its class's docstring (its description in the schema), lowercased."""
    doc = (target if isinstance(target, type) else type(target)).__doc__ or ""
    title = re.split(r"[.;:(/]", doc.strip(), maxsplit=1)[0].strip()
    return title[:1].lower() + title[1:]


def _idle_silence(model: ProgrammeModel, checked: Check, path: tuple, why: str) -> Diagnostic:
    return Diagnostic(
        "R511", Severity.WARNING, f"silence {checked.code} здесь ничего не отключает: {why}",
        model.sources.key_span(path),
        "silence действует только на ту запись, у которой записан: перенесите его туда, о чём сообщает проверка, "
        "или уберите", "idle-setting")


def _path(target, field) -> tuple:
    own = target.path if target is not None else ()
    if field is None:
        return own
    return own + (field if isinstance(field, tuple) else (field,))


def _span(model: ProgrammeModel, finding: Finding) -> Span | None:
    path = _path(finding.target, finding.field)
    return model.sources.key_span(path) if finding.key else refine(
        model.sources.span(path), model.sources, finding.offset, finding.length)


def _related(model: ProgrammeModel, finding: Finding):
    for target, field, label in finding.related:
        span = model.sources.span(_path(target, field))
        if span is not None:
            yield Related(span, label)


@dataclass
class ProgrammeChecks:
    diagnostics: list[Diagnostic]
    # what the programme gave each check spanning programmes, by code: compared once every programme is checked
    across: dict[str, Sightings]


@collector_paused()
def run_checks(model: ProgrammeModel, decree_of: Callable[[str], Decree | NotBuilt | None] | None = None,
               version_at: Callable[[str], PastVersion] | None = None) -> ProgrammeChecks:
    """Every registered check of one programme whose inputs validated; `decree_of` finds the decrees of the
    others it refers to, `version_at` the programme as a git revision holds it."""
    ctx = CheckContext(model, decree_of or (lambda programme_id: model.programme.decree if programme_id == model.id
                                            else None), version_at)
    if model.unbuilt.stops(SETTINGS, whole=False):
        return ProgrammeChecks([], {})   # which checks are off is not known: any finding might be one turned off
    # (a setting of one check that did not validate leaves only that check unknown)
    overrides, diagnostics = _settings(model)
    diagnostics.extend(_silence_problems(model, overrides))
    # a check whose own setting did not validate is off, for all that is known
    unset = {resolve_check(str(item[-1])) for item in model.unbuilt.items if item[:-1] == SETTINGS}
    across: dict[str, Sightings] = {}
    for code, registered in sorted(REGISTRY.items()):
        level = overrides.get(code)
        # a check spanning programmes turned off here still sees this programme: the others compare with it
        if (level == "off" and registered.across is None) or registered in unset or registered.stopped_by(model):
            continue
        severity = Severity(level) if level and level != "off" else registered.severity
        try:
            findings = list(registered.function(ctx))
        except Exception as exc:  # a bug in a check must not cost the user the other diagnostics
            if not model.complete:
                continue   # it read what did not validate though it did not say so: it runs once that is fixed
            diagnostics.append(Diagnostic(
                "E900", Severity.ERROR, f"внутренняя ошибка проверки {code}: {type(exc).__name__}: {exc}",
                model.sources.span(()), "это ошибка prikaz, а не спецификации: сообщите разработчикам", "internal",
                detail=traceback.format_exc()))
            continue
        if registered.across is not None:
            across[code] = Sightings(model.id, None if level == "off" else severity, tuple(
                Sighting(_span(model, finding), finding.message, finding.facts,
                         finding.target is not None and _silenced(finding.target, registered))
                for finding in findings))
            continue
        for finding in findings:
            if finding.target is not None and _silenced(finding.target, registered):
                continue
            diagnostics.append(Diagnostic(
                code, severity, finding.message, _span(model, finding), finding.hint, registered.name,
                tuple(_related(model, finding))))
    return ProgrammeChecks(diagnostics, across)


def compare_across(parts: Sequence[Mapping[str, Sightings]]) -> list[list[Diagnostic]]:
    """The checks spanning programmes over the parts of the programmes checked (`ProgrammeChecks.across`, in the
    programmes' order): each programme's diagnostics, in the same order. The same parts in the same order give
    the same diagnostics, however the programmes were checked."""
    found: list[list[Diagnostic]] = [[] for _ in parts]
    for code, registered in sorted(REGISTRY.items()):
        compared = [(index, part[code]) for index, part in enumerate(parts) if code in part]
        if registered.across is None or not compared:
            continue
        try:
            findings = list(registered.across([sightings for _, sightings in compared]))
        except Exception as exc:  # a bug in a check must not cost the user the other diagnostics
            found[compared[0][0]].append(Diagnostic(
                "E900", Severity.ERROR, f"внутренняя ошибка проверки {code}: {type(exc).__name__}: {exc}", None,
                "это ошибка prikaz, а не спецификации: сообщите разработчикам", "internal",
                detail=traceback.format_exc()))
            continue
        for finding in findings:
            index, sightings = compared[finding.programme]
            if sightings.severity is None or finding.at.silenced:
                continue
            found[index].append(Diagnostic(
                code, sightings.severity, finding.message, finding.at.span, finding.hint, registered.name,
                tuple(Related(other.span, label) for other, label in finding.related if other.span is not None)))
    return found
