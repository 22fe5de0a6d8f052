"""Official DOCX (ГОСТ Р 7.0.97-2016 / -2025): the decree with its appendices, the programme document with
its own, and each appendix alone.

    context.py        the resolved model in print form (the template context)
    templates.py      bundled template or the programme's own, path checked
    environment.py    the Jinja sandbox: immutable context, autoescape, StrictUndefined
    bounded.py        own templates rendered in a child process with bounded time and memory
    lint.py           every value a template shows must exist — checked, with its place, before rendering
    roadmap_table.py  the roadmap table (columns from the spec), written as WordprocessingML
    form.py           corner requisites' position by profile, the programme's font
    compose.py        decree + appendices in one document, a section per appendix
    package.py        reproducible bytes (fixed dates, zip order)
    package_cache.py  templates opened from a per-process cache, their styles parsed once
    names.py          file names

Outputs per programme: `prikaz-266.docx` (decree with appendices; `prikaz-proekt.docx` for a draft without a
number), `munitsipalnaya-programma.docx` (a programme document with its appendices),
`prilozhenie-1-plan-grafik.docx`, … and with `--pdf` a PDF beside each.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from docx import Document as open_docx
from docx.document import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import TemplateError, UndefinedError
from lxml import etree

from engine import fast_paths
from engine.diagnostics import Diagnostic, Severity, Span
from engine.model.amending import amending_text
from engine.model.appendices import DECREE, PROGRAMME_DOCUMENT, appendices
from engine.model.edition import amendment_editions
from engine.model.validate import ProgrammeModel
from engine.render import BuildOptions, RenderError
from engine.render.docx import package, package_cache
from engine.render.docx.amendment import amending_decree, attachment, quoted_rows
from engine.render.docx.bounded import LimitReached, Report, run_bounded
from engine.render.docx.compose import compose_with_appendices
from engine.render.docx.context import document_context
from engine.render.docx.environment import template_environment
from engine.render.docx.form import apply_form
from engine.render.docx.lint import broken_by_tags, lint_template, missing_at_render, without_page_setup
from engine.render.docx.names import amendment_file, appendix_file, decree_file, programme_document_file, progress_file
from engine.render.docx.package import save_reproducibly
from engine.render.docx.package_cache import open_document
from engine.render.docx.roadmap_table import roadmap_table
from engine.render.docx.tables import GridColumn, GridRow
from engine.render.docx.tables import grid as grid_xml
from engine.render.docx.templates import (
    beyond_limits,
    malformed_part,
    mistyped_part,
    own_template_path,
    read_template,
    template_path,
    unreadable_template,
    why_unreadable,
)
from engine.render.pdf import to_pdf

# body and page headers of a handful of templates, a few versions of each in `prikaz serve`
_PATCHED_SOURCES = 64
_LISTING = "\t\a\n\f"        # what docxtpl's resolve_listing replaces; without them it returns the XML as is
Result = TypeVar("Result")
_SECTION = qn("w:sectPr")       # the body's last child: the page setup (size, margins) every document is laid out by


class _Template(DocxTemplate):
    """docxtpl's DocxTemplate as prikaz renders with it, on either switch of engine.fast_paths."""

    # An own template's tags may cut across the markup ({%p if %} outside a table, {%p endif %} inside it):
    # docxtpl parses the rendered body in libxml2's recovery mode, which makes some document of any text.
    strict = False

    def fix_tables(self, xml):
        if self.strict:
            etree.fromstring(xml)           # XMLSyntaxError: reported as the template's (lint.broken_by_tags)
        return super().fix_tables(xml)

    def render_properties(self, context, jinja_env=None) -> None:
        """Nothing: docxtpl would run the template's core properties (title, subject…) as Jinja, but the
        document's properties are written anew when it is saved (package.py), so none of them is ever shown."""


class _FastTemplate(_Template):
    """The fast path (engine.fast_paths), sparing two passes of regular expressions over every part (a fifth of
    rendering a document): each distinct part of a template is turned into Jinja source once per process, and the
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
    data = read_template(model, kind, path)
    own = kind in model.programme.programme.templates
    broken = malformed_part(data) if own else None        # every part of an own template, not only those read
    if broken:
        raise unreadable_template(model, kind, path, broken)
    fast = fast_paths.enabled()
    template = (_FastTemplate if fast else _Template)(str(path))
    template.strict = own
    try:
        template.docx = open_document(data) if fast else open_docx(io.BytesIO(data))
    except Exception as exc:   # the bytes are the user's: whatever python-docx cannot open is the file's fault
        raise unreadable_template(model, kind, path, why_unreadable(data, exc)) from None
    mistyped = mistyped_part(template.docx) if own else None
    if mistyped:
        raise unreadable_template(model, kind, path, mistyped)
    if template.docx.element.body.find(_SECTION) is None:
        raise RenderError([without_page_setup(path)])
    return template


def _render(model: ProgrammeModel, kind: str, path: Path, context: dict,
            amended: Callable[[DocxTemplate, Path], dict] | None = None) -> Document:
    """One document from its template: lint, render in the sandbox, set the form. `amended`: the amending decree's
    context, built once the template is open (its quoted rows are tables in the template's styles)."""
    template = _load(model, kind, path)
    context = _with_tables(template, path, kind, context)
    if amended is not None:
        context = dict(context, decree=amended(template, path))
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
    except etree.XMLSyntaxError as exc:     # what the tags left of the XML does not parse
        raise RenderError([broken_by_tags(path, exc.msg or str(exc))]) from None
    if template.docx.element.body.find(_SECTION) is None:
        raise RenderError([without_page_setup(path)])
    apply_form(template.docx, model.programme.programme)
    return template.docx


def _table(template: DocxTemplate, path: Path, entry: dict) -> dict:
    """A table entry of the context with its grid written as WordprocessingML from the template's styles."""
    grid = entry["grid"]
    columns = [GridColumn(tuple(column["headings"]), column["width"], column["weight"], column["style"],
                          column["total_style"]) for column in grid["columns"]]
    rows = [GridRow(row["cells"], row["group"], row["total"]) for row in grid["rows"]]
    return dict(entry, table=grid_xml(template, path, columns, rows, landscape=grid["landscape"], header=grid["header"]))


def _with_tables(template: DocxTemplate, path: Path, kind: str, context: dict) -> dict:
    """The context a template is rendered with: every table it places written as WordprocessingML from the
    template's styles (the roadmap's, the indicators', those of a programme document's body and of the text
    around an appendix's table)."""
    if kind == "roadmap":
        context = dict(context, roadmap=dict(context["roadmap"], table=roadmap_table(template, context["roadmap"], path)))
    def written(entries: list[dict]) -> list[dict]:
        return [_table(template, path, entry) if entry["kind"] == "table" else entry for entry in entries]

    if kind == PROGRAMME_DOCUMENT:
        context = dict(context, document=dict(context["document"], body=written(context["document"]["body"])))
    elif "appendix" in context:
        appendix = context["appendix"]
        context = dict(context, appendix=dict(appendix, before=written(appendix["before"]),
                                              after=written(appendix["after"])))
    if kind == "indicators":
        context = dict(context, indicators=_table(template, path, context["indicators"]))
    return context


def template_contexts(model: ProgrammeModel, options: BuildOptions) -> list[tuple[str, dict]]:
    """(kind, context) of each document as its template is rendered with it (docs/templates.md lists their names)."""
    contexts = []
    for kind, context in _parts(document_context(model)):
        path = template_path(model, options, kind)
        contexts.append((kind, _with_tables(_load(model, kind, path), path, kind, context)))
    return contexts


def _parts(context: dict) -> list[tuple[str, dict]]:
    """(template kind, its context) of each document: the decree, the programme document, then the appendices
    (the programme document is rendered once, as itself, even where it is an appendix of the decree), then the
    report on the programme's execution."""
    main = [(kind, context) for kind, key in (("decree", "decree"), (PROGRAMME_DOCUMENT, "document")) if context[key]]
    return (main + [(appendix["kind"], dict(context, appendix=appendix)) for appendix in context["appendices"]
                    if appendix["kind"] != PROGRAMME_DOCUMENT]
            + ([("progress", context)] if context["report"] is not None else []))


def _render_each(model: ProgrammeModel, parts: Sequence[tuple[str, dict]], path_of: Callable[[str], Path],
                 report: Report) -> dict[str, Document]:
    """Every part rendered, every template's problems collected (not just the first one's)."""
    problems: list[Diagnostic] = []
    rendered: dict[str, Document] = {}
    for kind, part_context in parts:
        report(kind)
        try:
            rendered[kind] = _render(model, kind, path_of(kind), part_context)
        except RenderError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise RenderError(problems)
    return rendered


def clear_caches() -> None:
    """Forget what rendering keeps per process (templates, styles, patched and compiled template parts,
    deflated members): the state of a new process. bench/render_ratio.py measures first renders with it."""
    template_environment.cache_clear()
    _patched.cache_clear()
    package_cache.clear()
    package.clear()


def _documents(model: ProgrammeModel, options: BuildOptions, report: Report) -> dict[str, bytes]:
    """The programme's documents: {file name: DOCX bytes}. The decree with every appendix, the programme document
    with its own appendices (inside the decree too, when the decree approves it), and each appendix alone."""
    context = document_context(model)
    decree, document = context["decree"], context["document"]
    rendered = _render_each(model, _parts(context), lambda kind: template_path(model, options, kind), report)
    # each appendix is saved before composing, which appends its body to the document it belongs to
    files = {appendix_file(appendix["number"], appendix["title"]):
             save_reproducibly(rendered[appendix["kind"]], options.build_time,
                               f"{appendix['label']}: {appendix['title']}")
             for appendix in context["appendices"] if appendix["kind"] != PROGRAMME_DOCUMENT}
    if document:
        rendered[PROGRAMME_DOCUMENT] = compose_with_appendices(
            rendered[PROGRAMME_DOCUMENT], [rendered[appendix["kind"]] for appendix in context["appendices"]
                                           if appendix["owner"] == PROGRAMME_DOCUMENT])
        files[programme_document_file(document["title"])] = save_reproducibly(
            rendered[PROGRAMME_DOCUMENT], options.build_time, document["title"])
    if decree:
        with_appendices = compose_with_appendices(rendered["decree"], [rendered[appendix["kind"]]
                                                                       for appendix in context["appendices"]
                                                                       if appendix["owner"] == DECREE])
        number = model.programme.decree.number if model.programme.decree else None
        files[decree_file(decree["kind"].lower(), number)] = save_reproducibly(
            with_appendices, options.build_time, f"{decree['kind'].capitalize()} № {decree['number']}")
    progress_report = context["report"]
    if progress_report is not None:
        progress = model.programme.progress
        assert progress is not None          # the report is made of it
        files[progress_file(progress.as_of.isoformat())] = save_reproducibly(
            rendered["progress"], options.build_time, f"Информация о ходе реализации на {progress_report['as_of']}")
        files.update(_amending_decrees(model, options, context, report))
    return files


def _amending_decrees(model: ProgrammeModel, options: BuildOptions, context: dict, report: Report) -> dict[str, bytes]:
    """Each amending decree of the programme, with the appendices it attaches in a new edition."""
    programme, amended = model.programme, model.programme.decree
    if not programme.amendments or amended is None:
        return {}
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    numbered = {appendix.kind: appendix for appendix in appendices(programme)}
    for editions in amendment_editions(model):
        amendment = programme.amendments[editions.amendment]
        text = amending_text(programme, amended, amendment, editions.before, editions.after)

        def decree(template: DocxTemplate, path: Path, text=text, amendment=amendment) -> dict:
            return amending_decree(context["decree"], programme, amended, amendment, text,
                                   lambda rows: quoted_rows(template, programme, context, rows, path))

        try:
            report("amendment")
            document = _render(model, "amendment", template_path(model, options, "amendment"), context, decree)
            attached = []
            for index, kind in enumerate(text.attachments, start=1):
                report(kind)
                attached.append(_render(model, kind, template_path(model, options, kind), attachment(
                    programme, amended, amendment, numbered[kind], index, len(text.attachments), editions.after, context)))
        except RenderError as exc:
            problems.extend(exc.diagnostics)
            continue
        title = text.title if amendment.number else f"Проект: {text.title}"
        files[amendment_file(context["decree"]["kind"].lower(), amendment.number, editions.amendment)] = \
            save_reproducibly(compose_with_appendices(document, attached), options.build_time, title)
    if problems:
        raise RenderError(problems)
    return files


def _bounded(model: ProgrammeModel, task: Callable[[Report], Result]) -> Result:
    """`task` in a child process within the limits of bounded.py; a limit reached is D105 on the template."""
    try:
        return run_bounded(task)
    except LimitReached as exc:
        raise RenderError([beyond_limits(model, exc.at, exc.what)]) from None


def render_docx(model: ProgrammeModel, options: BuildOptions) -> dict[str, bytes]:
    """The programme's documents: {file name: DOCX bytes}, plus PDFs with `--pdf`. A programme's own templates
    are code from outside the engine: its documents are then rendered with bounded time and memory."""
    if model.programme.programme.templates:
        files = _bounded(model, lambda report: _documents(model, options, report))
    else:
        files = _documents(model, options, _unreported)
    if options.pdf:
        files.update(to_pdf(files, options.build_time))
    return files


def lint_own_templates(model: ProgrammeModel) -> list[Diagnostic]:
    """What rendering would report of the programme's own templates (`prikaz check`): each one its documents
    use is opened, linted and rendered as the build does — bounded, in a child process — and the documents
    dropped. Nothing to do for a programme rendered from the bundled templates only."""
    own = model.programme.programme.templates
    if not own:
        return []

    def own_path(kind: str) -> Path:
        path = own_template_path(model, kind)
        assert path is not None         # only the kinds in `own` are rendered
        return path

    def own_documents(report: Report) -> None:
        parts = [(kind, part_context) for kind, part_context in _parts(document_context(model)) if kind in own]
        _render_each(model, parts, own_path, report)

    try:
        _bounded(model, own_documents)
    except RenderError as exc:
        return exc.diagnostics
    except Exception as exc:    # a bug in rendering must not cost the user the other diagnostics
        return [Diagnostic("E900", Severity.ERROR, f"внутренняя ошибка проверки шаблонов: {type(exc).__name__}: {exc}",
                           model.sources.span(()), "это ошибка prikaz, а не шаблона: сообщите разработчикам",
                           "internal")]
    return []


def _unreported(kind: str) -> None:
    """Rendering in this process: nobody waits to hear which template is being rendered."""
