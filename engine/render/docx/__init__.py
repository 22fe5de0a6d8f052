"""Official DOCX (ГОСТ Р 7.0.97-2016 / -2025): the decree with its appendices, and each appendix alone.

    context.py        the resolved model in print form (the template context)
    templates.py      bundled template or the programme's own, path checked
    environment.py    the Jinja sandbox: autoescape, StrictUndefined
    lint.py           every value a template shows must exist — checked, with its place, before rendering
    roadmap_table.py  the roadmap table (columns from the spec), written as WordprocessingML
    form.py           corner requisites' position by profile, the programme's font
    compose.py        decree + appendices in one document, a section per appendix
    package.py        reproducible bytes (fixed dates, zip order)
    package_cache.py  templates opened from a per-process cache, their styles parsed once
    names.py          file names

Outputs per programme: `prikaz-266.docx` (decree with appendices),
`prilozhenie-1-plan-grafik.docx`, … and with `--pdf` a PDF beside each.
"""

from __future__ import annotations

import zipfile
from functools import lru_cache
from pathlib import Path

from docx.document import Document
from docxtpl import DocxTemplate
from jinja2 import TemplateError, UndefinedError

from engine.diagnostics import Diagnostic, Severity, Span
from engine.model.validate import ProgrammeModel
from engine.render import BuildOptions, RenderError
from engine.render.docx import package, package_cache
from engine.render.docx.compose import compose_with_appendices
from engine.render.docx.context import document_context
from engine.render.docx.environment import template_environment
from engine.render.docx.form import apply_form
from engine.render.docx.lint import lint_template, missing_at_render
from engine.render.docx.names import appendix_file, decree_file
from engine.render.docx.package import save_reproducibly
from engine.render.docx.package_cache import open_document
from engine.render.docx.roadmap_table import roadmap_table
from engine.render.docx.templates import template_path, unreadable_template
from engine.render.pdf import to_pdf

# body and page headers of a handful of templates, a few versions of each in `prikaz serve`
_PATCHED_SOURCES = 64
_LISTING = "\t\a\n\f"        # what docxtpl's resolve_listing replaces; without them it returns the XML as is


class _Template(DocxTemplate):
    """docxtpl's DocxTemplate, sparing two passes of regular expressions over every part (a fifth of rendering
    a document): each distinct part of a template is turned into Jinja source once per process, and the
    rendered XML is searched for the characters `resolve_listing` turns into breaks and tabs (in <w:t>
    texts) only when it holds any — which it rarely does: the roadmap table brings its breaks as elements."""

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)

    def resolve_listing(self, xml: str) -> str:
        if any(character in xml for character in _LISTING):
            return super().resolve_listing(xml)
        return xml


@lru_cache(maxsize=_PATCHED_SOURCES)
def _patched(src_xml: str) -> str:
    return DocxTemplate.patch_xml(None, src_xml)        # a pure function of the XML: it uses nothing of `self`


def _load(model: ProgrammeModel, kind: str, path: Path) -> DocxTemplate:
    template = _Template(str(path))
    try:
        template.docx = open_document(path.read_bytes())
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        reason = "файл не является документом Word (.docx) или повреждён"
        raise unreadable_template(model, kind, path, reason) from None
    return template


def _render(model: ProgrammeModel, options: BuildOptions, kind: str, context: dict) -> Document:
    """One document from its template: lint, render in the sandbox, set the form."""
    path = template_path(model, options, kind)
    template = _load(model, kind, path)
    if kind == "roadmap":
        context = dict(context, roadmap=dict(context["roadmap"], table=roadmap_table(template, context["roadmap"], path)))
    problems = lint_template(template.docx, path, context)
    if problems:
        raise RenderError(problems)
    try:
        template.render(context, jinja_env=template_environment(), autoescape=True)
    except UndefinedError as exc:
        raise RenderError([missing_at_render(path, exc.message or str(exc))]) from None
    except TemplateError as exc:
        raise RenderError([Diagnostic("D102", Severity.ERROR, f"шаблон {path.name}: {exc}", Span.whole_file(path),
                                      "проверьте теги шаблона", "template-syntax")]) from None
    apply_form(template.docx, model.programme.programme)
    return template.docx


def clear_caches() -> None:
    """Forget what rendering keeps per process (templates, styles, patched and compiled template parts,
    deflated members): the state of a new process. bench/render_ratio.py measures first renders with it."""
    template_environment.cache_clear()
    _patched.cache_clear()
    package_cache.clear()
    package.clear()


def render_docx(model: ProgrammeModel, options: BuildOptions) -> dict[str, bytes]:
    """The programme's documents: {file name: DOCX bytes}, plus PDFs with `--pdf`."""
    context = document_context(model)
    decree = context["decree"]
    decree_title = f"{decree['kind'].capitalize()} № {decree['number']}"
    problems: list[Diagnostic] = []
    rendered: dict[str, Document] = {}
    parts = [("decree", context)] + [(appendix["kind"], dict(context, appendix=appendix))
                                     for appendix in context["appendices"]]
    for kind, part_context in parts:
        try:
            rendered[kind] = _render(model, options, kind, part_context)
        except RenderError as exc:       # collect every template's problems, not just the first
            problems.extend(exc.diagnostics)
    if problems:
        raise RenderError(problems)
    # each appendix is saved before composing, which appends its body to the decree's
    appendices = {appendix_file(appendix["number"], appendix["title"]):
                  save_reproducibly(rendered[appendix["kind"]], options.build_time,
                                    f"{appendix['label']}: {appendix['title']}")
                  for appendix in context["appendices"]}
    with_appendices = compose_with_appendices(rendered["decree"], [rendered[a["kind"]] for a in context["appendices"]])
    files = {decree_file(decree["kind"].lower(), decree["number"]):
             save_reproducibly(with_appendices, options.build_time, decree_title)}
    files.update(appendices)
    if options.pdf:
        files.update(to_pdf(files, options.build_time))
    return files
