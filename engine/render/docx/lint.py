"""Lint a template against the context before rendering: every value it shows must exist.

docxtpl turns a DOCX into one long Jinja source, where an error has no useful
place. Here each paragraph of the template (in the body, in each table cell, in
the page headers) becomes one line holding just its tags, written as docxtpl
reads them (`{%p if … %}` is `{% if … %}`, `{% colspan n %}` shows `n`). That
skeleton runs in the same sandbox against the real context, with an Undefined
that records instead of failing — so every missing value is found in one pass,
with its paragraph or table cell, and conditions and loops behave exactly as in
the real rendering (a value under a false `{%p if %}` is not required).
"""

from __future__ import annotations

import re
import sys
import traceback
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from jinja2 import TemplateSyntaxError, Undefined
from jinja2.exceptions import SecurityError

from engine.diagnostics import Diagnostic, Severity, Span
from engine.render.docx.environment import template_environment

_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
_DOCXTPL_PREFIX = re.compile(r"^(\{%|\{\{)(?:p|tr|tc|r) ")       # {%p if %}, {%tr for %}, {{p subdoc }}
_MERGE = re.compile(r"^\{%-?\s*(?:vm|hm)\s*-?%\}$")               # docxtpl cell merges: no value
_CELL_VALUE = re.compile(r"^\{%-?\s*(?:colspan|cellbg)\s+(.*?)\s*-?%\}$", re.S)
# Word's autocorrect turns quotes in tags into typographic ones; docxtpl reads them back as plain.
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
# how Jinja's sandbox words a refused attribute: "access to attribute 'update' of 'dict' object is unsafe."
_REFUSED_ATTRIBUTE = re.compile(r"attribute '([^']*)'")
_HINT = ("исправьте шаблон или спецификацию; значения шаблона: programme, decree, appendices, appendix, "
         "roadmap, budget, indicators, specification (см. engine/render/docx/context.py)")


@dataclass(frozen=True)
class Place:
    """A paragraph of the template, named as staff find it in Word, with the tags it holds."""

    where: str
    tags: tuple[str, ...]


def _paragraph_text(paragraph) -> str:
    return "".join(text.text or "" for text in paragraph.iter(qn("w:t"))).replace("\n", " ")


def _places_in(element, where) -> list[Place]:
    places = []
    paragraphs = tables = 0
    for child in element:
        if child.tag == qn("w:p"):
            paragraphs += 1
            places.append(Place(f"{where}абзац {paragraphs}", tuple(_TAG.findall(_paragraph_text(child)))))
        elif child.tag == qn("w:tbl"):
            tables += 1
            for row_index, row in enumerate(child.iter(qn("w:tr")), start=1):
                for cell_index, cell in enumerate(row.findall(qn("w:tc")), start=1):
                    for paragraph in cell.iter(qn("w:p")):
                        places.append(Place(f"{where}таблица {tables}, строка {row_index}, столбец {cell_index}",
                                            tuple(_TAG.findall(_paragraph_text(paragraph)))))
    return places


def template_places(document: Document) -> list[Place]:
    """Every paragraph with tags: the body, then the page headers and footers docxtpl also renders."""
    places = _places_in(document.element.body, "")
    for _, rel in sorted(document.part.rels.items()):
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            where = "верхний колонтитул, " if rel.reltype == RT.HEADER else "нижний колонтитул, "
            places.extend(_places_in(rel.target_part.element, where))
    return [place for place in places if place.tags]


def _as_jinja(tag: str) -> str:
    tag = tag.translate(_QUOTES)
    if tag.startswith("{#") or _MERGE.match(tag):
        return ""
    value = _CELL_VALUE.match(tag)
    if value:
        return "{{ " + value.group(1) + " }}"
    prefix = _DOCXTPL_PREFIX.match(tag)
    return prefix.group(1) + " " + tag[prefix.end():] if prefix else tag


def _skeleton(places: list[Place]) -> str:
    """One line per place, so a Jinja line number is a place in the template."""
    return "\n".join("".join(_as_jinja(tag) for tag in place.tags) for place in places)


@dataclass
class _Missing:
    line: int
    name: str


def _template_line() -> int:
    """The skeleton line being executed: found, as Jinja's own tracebacks do, from the innermost template frame."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            return template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return 0


# The values the skeleton being linted lacks: the Undefined below records into the list of the lint under way,
# so one environment (and its compiled skeletons) serves every lint of the process.
_FOUND: ContextVar[list[_Missing]] = ContextVar("lint_found")


class _RecordingUndefined(Undefined):
    """An Undefined that notes where it was looked up and reports itself wherever StrictUndefined would fail."""

    __slots__ = ("_line",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._line = _template_line()

    def _report(self) -> None:
        _FOUND.get().append(_Missing(self._line, self._undefined_name or "?"))

    def _fail_with_undefined_error(self, *args, **kwargs):
        self._report()
        return self

    def __str__(self) -> str:
        self._report()
        return ""

    def __iter__(self):
        self._report()
        return iter(())

    def __bool__(self) -> bool:
        self._report()
        return False

    def __len__(self) -> int:
        self._report()
        return 0

    def __eq__(self, other) -> bool:
        self._report()
        return False

    def __ne__(self, other) -> bool:
        self._report()
        return True

    def __hash__(self) -> int:
        return id(self)

    def __contains__(self, item) -> bool:
        self._report()
        return False


def lint_template(document: Document, path: Path, context: dict) -> list[Diagnostic]:
    """D102 for a tag Jinja cannot read, D101 for each value the template shows that the context lacks."""
    places = template_places(document)
    span = Span.whole_file(path)
    try:
        skeleton = template_environment(_RecordingUndefined).from_string(_skeleton(places))
    except TemplateSyntaxError as exc:
        place = places[exc.lineno - 1] if 0 < exc.lineno <= len(places) else None
        where = f", {place.where}: «{' '.join(place.tags)}»" if place else ""
        return [Diagnostic("D102", Severity.ERROR, f"шаблон {path.name}{where}: ошибка в теге — {exc.message}", span,
                           "теги пишутся так: {{ decree.title }}, {%p for clause in decree.clauses %} … {%p endfor %}",
                           "template-syntax")]
    found: list[_Missing] = []
    token = _FOUND.set(found)
    try:
        skeleton.render(context)
    except MemoryError:             # a limit of the rendering process (bounded.py), reported as such
        raise
    except Exception as exc:        # a template may fail in any way Python code can; it is the template's error
        return [_failure(exc, places, path)]
    finally:
        _FOUND.reset(token)
    diagnostics, seen = [], set()
    for item in found:
        place = places[item.line - 1] if 0 < item.line <= len(places) else None
        key = (item.line, item.name)
        if key in seen:
            continue
        seen.add(key)
        where = shown = ""
        if place:
            tags = [tag for tag in place.tags if item.name in tag] or list(place.tags)
            where, shown = f", {place.where}", f" в «{tags[0]}»"
        diagnostics.append(Diagnostic(
            "D101", Severity.ERROR, f"шаблон {path.name}{where}: нет значения «{item.name}»{shown}", span, _HINT,
            "template-missing-value"))
    return diagnostics


def _failure(exc: Exception, places: list[Place], path: Path) -> Diagnostic:
    """A tag that cannot run: the sandbox refused it, or it computes nonsense (a number plus a list)."""
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__)
             if frame.filename == "<template>" and frame.lineno is not None]
    place = places[lines[-1] - 1] if lines and 0 < lines[-1] <= len(places) else None
    where = f", {place.where}: «{' '.join(place.tags)}»" if place else ""
    reason = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, SecurityError):
        refused = _REFUSED_ATTRIBUTE.search(str(exc))
        reason = (f"шаблон не может изменять значения программы (вызов «{refused.group(1)}» запрещён)"
                  if refused and not refused.group(1).startswith("_") else "обращение к внутренностям Python запрещено")
    return Diagnostic("D102", Severity.ERROR, f"шаблон {path.name}{where}: тег не выполняется — {reason}",
                      Span.whole_file(path), "в шаблоне допустимы только значения контекста, условия и циклы",
                      "template-syntax")


def missing_at_render(path: Path, message: str) -> Diagnostic:
    """A value missing during the real rendering that the lint could not place (a tag split across paragraphs)."""
    return Diagnostic("D101", Severity.ERROR, f"шаблон {path.name}: нет значения ({message})", Span.whole_file(path),
                      _HINT, "template-missing-value")



def broken_by_tags(path: Path, detail: str) -> Diagnostic:
    """The rendered document is broken: a paragraph tag's removal cut across elements of the document."""
    return Diagnostic("D102", Severity.ERROR, f"шаблон {path.name}: после подстановки документ не собирается — "
                      f"теги {{%p %}} или {{%tr %}} разрезали его разметку ({detail})", Span.whole_file(path),
                      "открывающий и закрывающий тег ({%p if %} … {%p endif %}, {%tr for %} … {%tr endfor %}) ставятся "
                      "каждый в свой абзац или строку таблицы, на одном уровне: оба вне таблицы или оба в одной таблице",
                      "template-syntax")


def without_page_setup(path: Path) -> Diagnostic:
    """The rendered document has no page setup (w:sectPr) to lay its pages out by."""
    return Diagnostic("D102", Severity.ERROR, f"шаблон {path.name}: в документе после подстановки нет параметров "
                      "страницы (размера, полей, колонтитулов)", Span.whole_file(path),
                      "откройте шаблон в Word и сохраните его: Word записывает параметры страницы в каждый документ; "
                      "проверьте, что теги {%p %} не окружают конец документа", "template-syntax")
