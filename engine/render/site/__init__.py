"""The published site: static pages beside the documents, readable on a phone, printable, no server needed.

    outputs/index.html                  every programme: region, document, period, links
    outputs/<programme>/index.html      the decree, the roadmap as a Gantt picture, the budget,
                                        the indicators, the documents and the calendar feeds,
                                        the execution on the report's day (overdue first)
    outputs/site.css, favicon.svg       shared by every page
    outputs/schema/prikaz.schema.json   the editor schema (`prikaz schema`, docs/editing.md)

    pages.py     documents, feeds and the budget chart of a page
    timeline.py  the Gantt picture's geometry

Pages are Jinja templates in templates/site/ (autoescaped: a «<» in a spec is text, never
markup). The bytes depend on the specs only: nothing that changes by itself goes into a
page. What does — today's line on the Gantt, the absolute `webcal://` address of a feed,
which depends on where the site is published — is drawn in the browser by a small inline
script from `data-` attributes, and a page without JavaScript still works (relative links).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import traceback
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError

from engine import formats
from engine.diagnostics import Diagnostic, Severity, Span
from engine.export import export_programme
from engine.model.validate import ProgrammeModel
from engine.render import BuildOptions, RenderError
from engine.render.site.pages import (
    IndexEntry,
    amendment_docx,
    amendment_title,
    attention_first,
    budget_chart,
    documents,
    feeds,
    holdings,
    organisation_feeds,
    period_text,
    share,
    shared_feeds,
)
from engine.render.site.timeline import timeline
from engine.schema import file_schema

SITE_TEMPLATES = "site"                     # under BuildOptions.templates
STATIC_FILES = ("site.css", "favicon.svg")  # copied as they are
SCHEMA_FILE = "schema/prikaz.schema.json"
INDEX = "index.html"
_TEMPLATE_HINT = "исправьте шаблон в templates/site/ или верните его из git"


@functools.lru_cache(maxsize=4)
def _environment(folder: Path) -> Environment:
    """One per templates folder and process: its compiled templates are reused from page to page, and
    Jinja compiles a template again when its file changes (auto_reload), as in `prikaz serve`."""
    environment = Environment(loader=FileSystemLoader(folder), autoescape=True, undefined=StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.filters.update(
        money=lambda amount: formats.money(Decimal(amount)),
        date=lambda iso: formats.date_numeric(dt.date.fromisoformat(iso)),
        date_long=lambda iso: formats.date_long(dt.date.fromisoformat(iso)),
        upper_first=lambda text: text[:1].upper() + text[1:],  # |capitalize would lower «Липецкой области»
        share=share,
    )
    return environment


def _template_line(folder: Path, exc: TemplateError) -> Span:
    """Where in templates/site/ the error is: Jinja names it for a syntax error, and puts the
    template's own file and line into the traceback of an error while rendering."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return Span.point(Path(exc.filename), exc.lineno or 1, 1)
    frames = [(Path(frame.f_code.co_filename), line) for frame, line in traceback.walk_tb(exc.__traceback__)]
    inside = [(path, line) for path, line in frames if path.parent == folder]
    return Span.point(*inside[-1], 1) if inside else Span.whole_file(folder)


def _template_error(folder: Path, exc: TemplateError) -> RenderError:
    span = _template_line(folder, exc)
    return RenderError([Diagnostic("W101", Severity.ERROR, f"шаблон сайта: {exc.message or exc}", span,
                                   _TEMPLATE_HINT, "site-template")])


def _index(entries: list[IndexEntry], options: BuildOptions, folder: Path) -> dict[str, bytes]:
    environment = _environment(folder)
    ordered = sorted(entries, key=lambda entry: entry.id)
    files = {INDEX: environment.get_template("index.html").render(
        root="", schema=SCHEMA_FILE, feeds=organisation_feeds(ordered, options), programmes=ordered,
        site_url=options.site_url).encode("utf-8")}
    for name in STATIC_FILES:
        files[name] = (folder / name).read_bytes()
    files[SCHEMA_FILE] = (json.dumps(file_schema(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


def _programme_page(model: ProgrammeModel, files: tuple[str, ...], options: BuildOptions,
                    folder: Path) -> dict[str, bytes]:
    data = export_programme(model)
    history = [{"title": amendment_title(data, amendment), "heading": amendment["title"], "signed": amendment["signed"],
                "docx": amendment_docx(data, amendment) if amendment_docx(data, amendment) in files else None}
               for amendment in data["amendments"]]
    page = _environment(folder).get_template("programme.html").render(
        root="../", schema=f"../{SCHEMA_FILE}", data=data, period=period_text(data), amendments=history,
        timeline=timeline(data), documents=documents(data, files), feeds=feeds(model, data, files, options),
        site_url=options.site_url,
        budget_chart=budget_chart(data["budget"]) if "budget" in data else None,
        progress_items=attention_first(data["progress"]) if "progress" in data else None)
    return {INDEX: page.encode("utf-8")}


def render_programme_page(model: ProgrammeModel, options: BuildOptions, files: tuple[str, ...]) -> dict[str, bytes]:
    """outputs/<programme>/index.html: rendered last in the programme's folder, so it is swapped in
    with the documents it links to and never outlives or precedes them."""
    return _guarded(options, lambda folder: _programme_page(model, files, options, folder))


class SiteIndex:
    """The pages that span programmes: the index, the stylesheet, the schema.

    Gathered programme by programme: `part` (where the programme is rendered) keeps what the index
    shows of it — its id, decree or programme document, programme, organisations and documents — and `add`
    collects it.
    """

    def __init__(self) -> None:
        self._entries: list[IndexEntry] = []

    @staticmethod
    def part(model: ProgrammeModel, options: BuildOptions, files: tuple[str, ...]) -> IndexEntry:
        data = export_programme(model)
        decree = ({key: data["decree"][key] for key in ("kind", "number", "date", "date_unknown", "year", "title")}
                  if data["decree"] else None)
        document = data["programme_document"]
        shown = {"programme": data["programme"], "decree": decree, "organisations": data["organisations"],
                 "programme_document": {key: document[key] for key in ("title", "subtitle", "name", "approval")}
                 if document else None}
        return IndexEntry(model.id, shown, period_text(data), tuple(documents(data, files)), shared_feeds(model),
                          holdings(model)[1])

    def add(self, part: IndexEntry) -> None:
        self._entries.append(part)

    def files(self, options: BuildOptions) -> Iterator[tuple[str, Iterator[bytes]]]:
        """(path under outputs/, its bytes as one piece), once every programme is added."""
        for relative, data in _guarded(options, lambda folder: _index(self._entries, options, folder)).items():
            yield relative, iter((data,))

    def retired(self, relative: str, options: BuildOptions) -> None:
        """The site's files are the same in every build: none is ever retired."""
        return None


def _guarded(options: BuildOptions, render) -> dict[str, bytes]:
    """Template and site failures as diagnostics, never a traceback."""
    folder = options.templates / SITE_TEMPLATES
    try:
        return render(folder)
    except TemplateError as exc:
        raise _template_error(folder, exc) from None
    except OSError as exc:
        raise RenderError([Diagnostic("W101", Severity.ERROR, f"шаблон сайта: нет файла {exc.filename}",
                                      Span.whole_file(folder), _TEMPLATE_HINT, "site-template")]) from None
    except Exception as exc:  # a bug here must cost the site, not the build: the documents are written already
        raise RenderError([Diagnostic("W102", Severity.ERROR, f"сбой при создании сайта: {type(exc).__name__}: {exc}",
                                      None, "документы и календари собраны; сообщите разработчикам",
                                      "site-failed")]) from None
