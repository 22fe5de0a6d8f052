"""Which template renders which document: the bundled one, or the programme's own.

A programme may name its own templates (`programme.templates: {roadmap: my-roadmap.docx}`),
relative to its folder. A path that leads outside the specs folder is refused: specs
come from many hands, and a build must not read arbitrary files of the machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from engine.diagnostics import Diagnostic, Severity, Span
from engine.model.appendices import appendices
from engine.model.spec import TemplateKind
from engine.model.validate import ProgrammeModel
from engine.render import BuildOptions, RenderError

BUNDLED: dict[str, str | dict[str, str]] = {
    "decree": {"приказ": "decree-prikaz.docx", "распоряжение": "decree-rasporyazhenie.docx"},
    "roadmap": "roadmap.docx",
    "budget": "budget.docx",
    "indicators": "indicators.docx",
    "specification": "specification.docx",
}

_KINDS: dict[str, TemplateKind] = {kind: kind for kind in get_args(TemplateKind)}


def bundled_name(kind: str, decree_kind: str) -> str:
    bundled = BUNDLED[kind]
    return bundled[decree_kind] if isinstance(bundled, dict) else bundled


def _unavailable(model: ProgrammeModel, kind: str, message: str, hint: str) -> RenderError:
    info = model.programme.programme
    span = model.sources.span(info.path + ("templates", kind)) or Span.whole_file(model.directory)
    return RenderError([Diagnostic("D103", Severity.ERROR, message, span, hint, "template-unavailable")])


def template_path(model: ProgrammeModel, options: BuildOptions, kind: str) -> Path:
    """The template file for `kind` (decree, roadmap, budget, indicators, specification)."""
    own = model.programme.programme.templates.get(_KINDS[kind])
    bundled = bundled_name(kind, model.programme.decree.kind)
    if own is None:
        return options.templates / bundled
    specs_root = model.directory.parent.resolve()
    path = (model.directory / own).resolve()
    if not path.is_relative_to(specs_root):
        raise _unavailable(model, kind, f"шаблон «{own}» лежит за пределами папки спецификаций",
                           "положите свой шаблон в папку программы и укажите путь относительно неё, "
                           "например templates: {roadmap: my-roadmap.docx}")
    if not path.is_file():
        raise _unavailable(model, kind, f"шаблон «{own}» не найден (путь считается от папки программы)",
                           f"проверьте имя файла; за образец можно взять templates/{bundled}")
    return path


def unreadable_template(model: ProgrammeModel, kind: str, path: Path, reason: str) -> RenderError:
    return _unavailable(model, kind, f"шаблон {path.name} не читается как документ DOCX: {reason}",
                        "откройте шаблон в Word или LibreOffice и сохраните его в формате .docx")


def templates_used(model: ProgrammeModel, options: BuildOptions) -> tuple[str, ...]:
    """The template files a programme's documents are rendered from: the decree's, then one per appendix."""
    kinds = ["decree"] + [appendix.kind for appendix in appendices(model.programme)]
    return tuple(str(template_path(model, options, kind)) for kind in kinds)
