"""Positioned data → validated `Programme`, with every schema error as a Diagnostic.

Also computes what is never typed: clause, activity, indicator and item numbers,
and the path of each model object in the YAML (so checks can point at it).
"""

from __future__ import annotations

import difflib
import functools
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from engine.collector import collector_paused
from engine.diagnostics import Diagnostic, Severity, Span, has_errors
from engine.loading import LoadedProgramme
from engine.loading.yaml_source import SourceMap
from engine.model.spec import Clause, DocumentSection, Programme, SpecModel


@dataclass
class ProgrammeModel:
    """A validated programme together with where each of its values was written."""

    programme: Programme
    sources: SourceMap
    directory: Path
    objects: list[SpecModel]  # every spec object of the programme, parents before children, in document order

    def span(self, obj: SpecModel | None = None, field: str | int | None = None) -> Span | None:
        path = obj.path if obj is not None else ()
        if field is not None:
            path = path + (field,)
        return self.sources.span(path)

    def key_span(self, obj: SpecModel, field: str) -> Span | None:
        return self.sources.key_span(obj.path + (field,))

    @property
    def id(self) -> str:
        return self.programme.programme.id


_TYPE_MESSAGES = {
    "string_type": "ожидается текст",
    "list_type": "ожидается список (строки, начинающиеся с «- »)",
    "dict_type": "ожидается словарь «ключ: значение»",
    "model_type": "ожидается словарь «ключ: значение»",
    "model_attributes_type": "ожидается словарь «ключ: значение»",
    "int_parsing": "ожидается целое число",
    "int_type": "ожидается целое число",
    "int_from_float": "ожидается целое число",
    "decimal_parsing": "ожидается число",
    "decimal_type": "ожидается число",
    "finite_number": "ожидается конечное число",
    "missing_value": "значение не задано",
    "none_required": "здесь значение не нужно",
}


def _unwrap(annotation):
    """Strip Annotated/Optional/list/dict to reach the model class of the items, if any."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _model_at(loc: tuple) -> type[BaseModel] | None:
    current = Programme
    for element in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            by_alias = {(f.alias or name): f for name, f in current.model_fields.items()}
            field = by_alias.get(element)
            if field is None:
                return None
            current = _unwrap(field.annotation)
        elif typing.get_origin(current) in (list, dict):
            current = _unwrap(typing.get_args(current)[-1])
        else:
            return None
    if typing.get_origin(current) in (list, dict):
        current = _unwrap(typing.get_args(current)[-1])
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _allowed_keys(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _field_doc(model: type[BaseModel] | None, key: str) -> str:
    if model is None:
        return ""
    for name, field in model.model_fields.items():
        if (field.alias or name) == key:
            return field.description or ""
    return ""


def refine(span: Span | None, sources: SourceMap, offset: int, length: int) -> Span | None:
    """Narrow a one-line scalar's span to `offset:length` inside its text, so the caret lands on the bad part."""
    if span is None or span.line != span.end_line or length <= 0:
        return span
    text = sources.texts.get(span.file, "")
    lines = text.split("\n")
    if span.line > len(lines):
        return span
    line = lines[span.line - 1]
    quoted = line[span.column - 1: span.column] in ("'", '"')
    start = span.column + offset + (1 if quoted else 0)
    end = min(start + length, span.end_column if span.end_column > start else start + length)
    return Span(span.file, span.line, start, span.line, max(end, start + 1))


def _diagnostic_from_error(error: ErrorDetails, sources: SourceMap) -> Diagnostic:
    loc = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    is_key = bool(loc) and loc[-1] == "[key]"
    if is_key:
        loc = loc[:-1]
    path = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
    if kind == "extra_forbidden":
        model = _model_at(path[:-1])
        allowed = _allowed_keys(model)
        key = path[-1]
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = (f"возможно, имелось в виду «{close[0]}»; " if close else "") + (
            "допустимые ключи: " + ", ".join(allowed) if allowed else "уберите этот ключ")
        return Diagnostic("M001", Severity.ERROR, f"неизвестный ключ «{key}»", sources.key_span(path), hint, "unknown-key")
    if kind == "missing":
        model = _model_at(path[:-1])
        key = path[-1]
        doc = _field_doc(model, str(key))
        parent = sources.key_span(path[:-1]) if path[:-1] else sources.span(())
        where = "в спецификации программы" if len(path) == 1 else "здесь"
        return Diagnostic(
            "M002", Severity.ERROR, f"не задан обязательный ключ «{key}» {where}", parent,
            f"добавьте «{key}: …»" + (f" — {doc}" if doc else ""), "missing-key",
        )
    span = sources.key_span(path) if is_key else sources.span(path)
    if kind == "value_syntax":
        code = ctx.get("code", "M003")
        return Diagnostic(code, Severity.ERROR, error["msg"], refine(span, sources, ctx.get("offset", 0), ctx.get("length", 0)),
                          ctx.get("hint", ""), "value-syntax")
    if kind in ("literal_error", "enum"):
        expected = ", ".join(f"«{v}»" for v in re.findall(r"'([^']*)'", ctx.get("expected", "")))
        return Diagnostic("M004", Severity.ERROR, f"недопустимое значение «{error.get('input')}»", span,
                          f"допустимые значения: {expected}", "bad-choice")
    message = _TYPE_MESSAGES.get(kind, f"неверное значение ({error['msg']})")
    if is_key:
        message = f"ключ «{path[-1]}»: {message}"
    return Diagnostic("M003", Severity.ERROR, message, span, _field_doc(_model_at(path[:-1]), str(path[-1])) if path else "",
                      "wrong-type")


def _holds_models(annotation) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, SpecModel):
        return True
    return any(_holds_models(argument) for argument in typing.get_args(annotation))


@functools.cache
def _nested_fields(model: type[SpecModel]) -> tuple[tuple[str, str], ...]:
    """(attribute, YAML key) of the fields that can hold spec objects: the walk skips texts, sums, times."""
    return tuple((name, field.alias or name) for name, field in model.model_fields.items()
                 if _holds_models(field.annotation))


def _attach_paths(value, path: tuple, found: list[SpecModel]) -> None:
    if isinstance(value, SpecModel):
        value._path = path
        found.append(value)
        for name, key in _nested_fields(type(value)):
            _attach_paths(getattr(value, name), path + (key,), found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _attach_paths(item, path + (index,), found)
    elif isinstance(value, dict):
        for key, item in value.items():
            _attach_paths(item, path + (key,), found)


def _number_clauses(clauses: list[Clause], prefix: str = "") -> None:
    for index, clause in enumerate(clauses, start=1):
        clause._number = f"{prefix}{index}"
        _number_clauses(clause.clauses, f"{clause._number}.")


def _number_sections(sections: list[DocumentSection], prefix: str = "") -> None:
    """«1.», «2.», subsections «2.1.»; an unnumbered section takes no number and leaves the count alone."""
    index = 0
    for section in sections:
        if section.numbered:
            index += 1
            section._number = f"{prefix}{index}"
        _number_sections(section.sections, f"{section._number}." if section.numbered else prefix)


def _number(programme: Programme) -> None:
    if programme.decree:
        _number_clauses(programme.decree.clauses)
    document = programme.programme_document
    if document:
        _number_sections(document.sections)
        for index, task in enumerate(document.tasks, start=1):
            task._number = str(index)
    if programme.roadmap:
        for s_index, section in enumerate(programme.roadmap.sections, start=1):
            section._number = str(s_index)
            for a_index, activity in enumerate(section.activities, start=1):
                activity._number = f"{s_index}.{a_index}"
        for a_index, activity in enumerate(programme.roadmap.activities, start=1):
            activity._number = str(a_index)
    if programme.indicators:
        for index, indicator in enumerate(programme.indicators.items, start=1):
            indicator._number = str(index)
    if programme.specification:
        for index, item in enumerate(programme.specification.items, start=1):
            item._number = f"2.{index}"


@collector_paused()
def build_model(loaded: LoadedProgramme) -> tuple[ProgrammeModel | None, list[Diagnostic]]:
    """Validate merged data against the spec language. Never raises."""
    try:
        programme = Programme.model_validate(loaded.data)
    except ValidationError as exc:
        errors = exc.errors()
        if has_errors(loaded.diagnostics):
            # a section missing because its file did not load is already reported by the loader
            # (an empty file is only a warning: then the missing section is the error that stops the build)
            errors = [e for e in errors if not (e["type"] == "missing" and len(e["loc"]) == 1)]
        return None, [_diagnostic_from_error(e, loaded.sources) for e in errors]
    if programme.decree is None and programme.programme_document is None:
        return None, [Diagnostic(
            "M002", Severity.ERROR, "не задан ни приказ «decree», ни программный документ «programme_document»",
            loaded.sources.span(()), "добавьте раздел «decree: …» (приказ, распоряжение) или «programme_document: …» "
            "(муниципальная программа, программа развития)", "missing-key")]
    objects: list[SpecModel] = []
    _attach_paths(programme, (), objects)
    _number(programme)
    return ProgrammeModel(programme, loaded.sources, loaded.directory, objects), []
