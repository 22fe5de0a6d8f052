"""Positioned data → validated `Programme`, with every schema error as a Diagnostic.

Also computes what is never typed: clause, activity, indicator and item numbers,
and the path of each model object in the YAML (so checks can point at it).

Recovery — read this before adding a section, a list of items or a check
------------------------------------------------------------------------
One mistake must not hide the others. A programme whose data does not all validate is still
modelled, as a compiler goes on after an error, and every check whose inputs built runs on it;
`prikaz build` still renders nothing of it (it has errors). What did not validate is left out by
*units*, and `Unbuilt` lists them:

* an **item** — an element of a list or a mapping of spec objects that has an identity (a key of the
  mapping, or an `id` field: an organisation, a person, an activity, a section, a clause, a budget
  line, an indicator, a specification item) — is left out whole when anything in it is wrong
  (including an unknown key: a misspelt optional key would change what the item means). An element
  without identity (an owner of an activity, an «из них» line, a column) belongs to what holds it;
  a data table is one item with all its columns, rows and totals (each stands on every column).
  An entry of a section's mapping of plain values (`programme.checks`, `budget.codes`) is an item too;
* otherwise a **part**: one field of a section («decree.date», «roadmap.columns», «budget.total»),
  or a whole section (one that is not a mapping, or that was in a file the loader could not read).
  An unknown key in a section takes down the field it resembles, or the section when it resembles none.

The rest is validated field by field (pydantic's validate_assignment on a `model_construct`ed
object), so a part that did not build is absent: reading it raises AttributeError. Items that built
keep the paths and numbers they have in the YAML (the 4th activity stays «4» when the 3rd is out).
What the loader could not read (`LoadedProgramme.unread`, `unread_files`) is left out the same way
and not reported a second time.

Checks declare what they read (`engine/checks/registry.py`); the runner skips a check that reads a
part that did not build and, if it reads a collection as a whole (a sum, a numbering, «is this used
anywhere»), one with an item left out. A reference to an item that did not build is not «unknown»:
its id is in `Unbuilt.ids`.

A new section needs nothing for this: its fields, lists and mappings are found from its pydantic
model. Give the elements of its lists an `id` (or key them in a mapping) to make each a unit of its
own. Put model validators on the section's classes, not on `Programme`: a recovered programme is
assembled field by field and `Programme`'s own validators would not run.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from engine.collector import collector_paused
from engine.diagnostics import Diagnostic, Severity, Span, has_errors
from engine.loading import LoadedProgramme
from engine.loading.yaml_source import SourceMap
from engine.model.spec import Clause, DocumentSection, Programme, SpecModel
from engine.model.tables import cell_problems

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Unbuilt:
    """What of a programme did not validate (see the module's docstring): paths in the YAML."""

    parts: frozenset[Path_] = frozenset()   # sections and fields of sections: ("budget",), ("decree", "date")
    items: frozenset[Path_] = frozenset()   # items left out: ("roadmap", "activities", 3), ("people", "kirina")
    ids: frozenset[str] = frozenset()       # the ids and keys written in what was left out

    def __bool__(self) -> bool:
        return bool(self.parts or self.items)

    def stops(self, read: Path_, whole: bool) -> bool:
        """Whether a reader of `read` cannot run: a part at, above or inside it did not build — or, when it
        reads `read` as a whole, an item inside it was left out."""
        if any(part[:len(read)] == read[:len(part)] for part in self.parts):
            return True
        return whole and any(item[:len(read)] == read for item in self.items)


@dataclass
class ProgrammeModel:
    """A validated programme together with where each of its values was written.

    With `unbuilt` (schema errors), the programme lacks what did not build: only checks run on it.
    """

    programme: Programme
    sources: SourceMap
    directory: Path
    objects: list[SpecModel]  # every spec object of the programme, parents before children, in document order
    unbuilt: Unbuilt = dataclasses.field(default_factory=Unbuilt)

    @property
    def complete(self) -> bool:
        return not self.unbuilt

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


def _error_path(error: ErrorDetails) -> tuple[Path_, bool]:
    """The YAML path of a pydantic error (without pydantic's own steps) and whether it is about a key."""
    loc = tuple(error["loc"])
    is_key = bool(loc) and loc[-1] == "[key]"
    if is_key:
        loc = loc[:-1]
    return tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function-")))), is_key


def _diagnostic_from_error(error: ErrorDetails, sources: SourceMap) -> Diagnostic:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    path, is_key = _error_path(error)
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
    if kind == "value_syntax" and ctx.get("key"):
        path = path + (ctx["key"],)        # an error in one value of a mapping that is parsed as a whole (a deadline)
    span = sources.key_span(path) if is_key else sources.span(path)
    if kind == "string_unicode":   # a lone surrogate reached pydantic: never now (the loader refuses it), but in Russian
        return Diagnostic("Y014", Severity.ERROR, "в тексте недопустимый символ", span,
                          "удалите символ: обычно он попадает при копировании из другой программы", "control-character")
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


def _attach_paths(value, path: Path_, found: list[SpecModel], kept: dict[Path_, list[int]]) -> None:
    """Each spec object's path in the YAML; `kept`: the YAML indices of the items of lists some item was left out of."""
    if isinstance(value, SpecModel):
        value._path = path
        found.append(value)
        for name, key in _nested_fields(type(value)):
            if name in value.__dict__:   # a part that did not build is absent
                _attach_paths(value.__dict__[name], path + (key,), found, kept)
    elif isinstance(value, list):
        indices = kept.get(path) or range(len(value))
        for index, item in zip(indices, value, strict=True):
            _attach_paths(item, path + (index,), found, kept)
    elif isinstance(value, dict):
        for key, item in value.items():
            _attach_paths(item, path + (key,), found, kept)


def built(obj: SpecModel, name: str, default=None):
    """A field of a spec object, or `default` when it did not build (see the module's docstring)."""
    return obj.__dict__.get(name, default)


def _position(item: SpecModel) -> int:
    """An item's place in its list as written in the YAML, from 1 (an item left out before it keeps its number)."""
    return item.path[-1] + 1


def _number_clauses(clauses: list[Clause], prefix: str = "") -> None:
    for clause in clauses:
        clause._number = f"{prefix}{_position(clause)}"
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
    decree = built(programme, "decree")
    if decree is not None:
        _number_clauses(built(decree, "clauses", []))
    document = built(programme, "programme_document")
    if document is not None:
        _number_sections(built(document, "sections", []))
        for task in built(document, "tasks", []):
            task._number = str(_position(task))
    roadmap = built(programme, "roadmap")
    if roadmap is not None:
        for section in built(roadmap, "sections", []):
            section._number = str(_position(section))
            for activity in section.activities:
                activity._number = f"{section._number}.{_position(activity)}"
        for activity in built(roadmap, "activities", []):
            activity._number = str(_position(activity))
    indicators = built(programme, "indicators")
    if indicators is not None:
        # numbered on through the groups, then the indicators outside them
        grouped = [item for group in built(indicators, "groups", []) for item in group.items]
        for number, indicator in enumerate(grouped + built(indicators, "items", []), start=1):
            indicator._number = str(number)
    specification = built(programme, "specification")
    if specification is not None:
        for item in built(specification, "items", []):
            item._number = f"2.{_position(item)}"


# --- recovery ----------------------------------------------------------------------------------


def _is_spec(annotation) -> typing.TypeGuard[type[SpecModel]]:
    return isinstance(annotation, type) and issubclass(annotation, SpecModel)


@functools.cache
def _fields_by_key(model: type[BaseModel]) -> dict[str, tuple[str, object]]:
    """YAML key → (attribute, annotation stripped to its list, mapping or model) of a model's fields."""
    return {(f.alias or name): (name, _unwrap(f.annotation)) for name, f in model.model_fields.items()}


def _is_section_object(key: str | int) -> bool:
    """A section that is one object (decree, roadmap, …), whose fields are parts of their own."""
    found = _fields_by_key(Programme).get(key) if isinstance(key, str) else None
    return found is not None and _is_spec(found[1])


def _unit(path: Path_) -> tuple[Path_, bool]:
    """What a problem at `path` takes down: (the item's path, True), or (the part's path, False)."""
    model: type[BaseModel] = Programme
    item = None
    depth = 0
    while depth < len(path):
        step = path[depth]
        found = _fields_by_key(model).get(step) if isinstance(step, str) else None
        if found is None:
            break
        annotation = found[1]
        depth += 1
        origin = typing.get_origin(annotation)
        if origin in (list, dict):
            element = _unwrap(typing.get_args(annotation)[-1])
            if not _is_spec(element) or depth >= len(path):
                break
            if origin is dict or "id" in element.model_fields:
                item = path[:depth + 1]
            model = element
            depth += 1
        elif _is_spec(annotation):
            model = annotation
        else:
            break
    if item is not None:
        # a data table is one unit: its rows and totals stand on every one of its columns
        return (item[:2] if item[0] == "tables" else item), True
    if len(path) >= 2 and _is_section_object(path[0]):
        if len(path) >= 3 and _is_mapping_field(path[0], path[1]):
            return path[:3], True   # an entry of a section's mapping of values: a check's level, a budget code
        return path[:2], False
    return path[:1], False


def _is_mapping_field(section: str | int, key: str | int) -> bool:
    section_model = _fields_by_key(Programme)[str(section)][1]
    assert _is_spec(section_model)
    found = _fields_by_key(section_model).get(key) if isinstance(key, str) else None
    return found is not None and typing.get_origin(found[1]) is dict


def _unknown_key_unit(path: Path_) -> Path_ | None:
    """An unknown key of a section takes down the field it resembles (or the section); an unknown section,
    the section it resembles (or nothing: a section the engine does not know changes none it knows)."""
    owner = Programme if len(path) == 1 else _fields_by_key(Programme)[str(path[0])][1]
    assert _is_spec(owner)   # an unknown key of a section is met in a section that is one object (_unit)
    close = difflib.get_close_matches(str(path[-1]), list(_fields_by_key(owner)), n=1, cutoff=0.6)
    if close:
        return path[:-1] + (close[0],)
    return None if len(path) == 1 else path[:1]


def _value_at(data, path: Path_):
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _ids_in(value, found: set[str]) -> None:
    """Every id written in raw data: the `id` of each mapping and the keys of mappings (of people, acts …)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "id" and isinstance(item, str):
                found.add(item)
            elif isinstance(item, dict):
                found.add(key)
            _ids_in(item, found)
    elif isinstance(value, list):
        for item in value:
            _ids_in(item, found)


def _pruned(value, path: Path_, *, cut: frozenset[Path_], on_the_way: frozenset[Path_], kept: dict[Path_, list[int]]):
    """`value` without the items in `cut`; `kept` gets the YAML indices of what stays in each list cut into."""
    if path not in on_the_way:
        return value
    if isinstance(value, list):
        indices = [index for index in range(len(value)) if path + (index,) not in cut]
        kept[path] = indices
        return [_pruned(value[index], path + (index,), cut=cut, on_the_way=on_the_way, kept=kept) for index in indices]
    if isinstance(value, dict):
        return {key: _pruned(item, path + (key,), cut=cut, on_the_way=on_the_way, kept=kept)
                for key, item in value.items() if path + (key,) not in cut}
    return value


def _fill(obj: BaseModel, raw: dict, path: Path_, parts: frozenset[Path_], prune, failed: list[ErrorDetails]) -> None:
    """Validate `raw` into `obj` (a `model_construct`ed object) field by field, leaving `parts` absent; the errors
    of fields that do not validate go to `failed` (their locations as validated: in lists with items cut out)."""
    for key, (name, annotation) in _fields_by_key(type(obj)).items():
        where = path + (key,)
        required = type(obj).model_fields[name].is_required()
        if where in parts or (key not in raw and required):
            obj.__dict__.pop(name, None)
        elif key not in raw:
            continue   # the default model_construct put there
        elif _is_spec(annotation) and isinstance(raw[key], dict) and any(p[:len(where)] == where for p in parts):
            inner = annotation.model_construct()
            _fill(inner, raw[key], where, parts, prune, failed)
            obj.__dict__[name] = inner
        else:
            try:
                type(obj).__pydantic_validator__.validate_assignment(obj, name, prune(raw[key], where))
            except ValidationError as exc:
                failed.extend(_located(e, where + tuple(e["loc"])[1:]) for e in exc.errors())
                obj.__dict__.pop(name, None)


def _located(error: ErrorDetails, loc: tuple) -> ErrorDetails:
    return typing.cast(ErrorDetails, {**error, "loc": loc})


def _as_written(error: ErrorDetails, kept: dict[Path_, list[int]]) -> ErrorDetails:
    """An error located in lists some items were cut out of, located as the YAML has it."""
    loc: tuple = ()
    for step in error["loc"]:
        indices = kept.get(tuple(s for s in loc if not (isinstance(s, str) and ("[" in s or s.startswith("function-")))))
        loc += (indices[step] if isinstance(step, int) and indices and step < len(indices) else step,)
    return _located(error, loc)


def _recover(loaded: LoadedProgramme, errors: list[ErrorDetails]
             ) -> tuple[Programme, Unbuilt, dict[Path_, list[int]], list[ErrorDetails]]:
    """The programme of everything that validates, and what did not (see the module's docstring).

    Returns also the kept indices of lists with items left out, and every pydantic error met on the way.
    """
    data = loaded.data
    unknown = list(loaded.unread)
    if loaded.unread_files:   # a section the unread file may have held is unknown, not absent
        unknown += [(key,) for key in _fields_by_key(Programme) if key not in data]
    left_out: frozenset[Path_] = frozenset()
    while True:
        parts: set[Path_] = set()
        items: set[Path_] = set()
        ids: set[str] = set()
        troubles = list(unknown)
        for error in errors:
            path, _ = _error_path(error)
            _ids_in(_value_at(data, path), ids)
            if error["type"] == "extra_forbidden" and len(path) <= 2 and _unit(path)[0] == path:
                unit = _unknown_key_unit(path)
                if unit is not None:
                    parts.add(unit)
                continue
            troubles.append(path)
        for path in troubles:
            unit, is_item = _unit(path)
            (items if is_item else parts).add(unit)
        for unit in (*parts, *items):
            if unit and isinstance(unit[-1], str) and isinstance(_value_at(data, unit), dict):
                ids.add(unit[-1])   # an entry of a mapping: its key is its id
            _ids_in(_value_at(data, unit), ids)
        cut = frozenset(items)
        kept: dict[Path_, list[int]] = {}
        prune = functools.partial(_pruned, cut=cut, kept=kept,
                                  on_the_way=frozenset(item[:depth] for item in cut for depth in range(len(item))))
        programme = Programme.model_construct()
        failed: list[ErrorDetails] = []
        _fill(programme, data, (), frozenset(parts), prune, failed)
        if not failed:
            return programme, Unbuilt(frozenset(parts), cut, frozenset(ids)), kept, errors
        # What validating the whole did not say: errors of data not validated whole (a file was not read), or
        # behind a value whose error stopped pydantic looking further. Again with them: each pass leaves more
        # out, and one that would leave out nothing new takes down the sections that failed, so this ends.
        errors = errors + [_as_written(error, kept) for error in failed]
        if frozenset(parts) | cut == left_out:
            unknown += [_error_path(error)[0][:1] for error in failed]
        left_out = frozenset(parts) | cut


@collector_paused()
def validate_programme(loaded: LoadedProgramme) -> tuple[ProgrammeModel, list[Diagnostic]]:
    """Validate merged data against the spec language: the model of everything that validates, and a
    diagnostic for every error (what the loader reported is not reported again). Never raises."""
    errors: list[ErrorDetails] = []
    programme = None
    if not loaded.unread and not loaded.unread_files:
        try:
            programme = Programme.model_validate(loaded.data)
        except ValidationError as exc:
            errors = exc.errors()
    kept: dict[Path_, list[int]] = {}
    unbuilt = Unbuilt()
    if programme is None:
        programme, unbuilt, kept, errors = _recover(loaded, errors)
    objects: list[SpecModel] = []
    _attach_paths(programme, (), objects, kept)
    _number(programme)
    cells = _cell_diagnostics(programme, loaded.sources)
    if cells:   # a table whose cells its columns cannot read is left out as an item
        tables = {path[:2] for path, _ in cells}
        unbuilt = Unbuilt(unbuilt.parts, unbuilt.items | tables, unbuilt.ids | {str(path[1]) for path in tables})
    model = ProgrammeModel(programme, loaded.sources, loaded.directory, objects, unbuilt)
    return model, _diagnostics(errors, loaded) + [d for _, d in cells] + _without_a_document(model)


def _cell_diagnostics(programme: Programme, sources: SourceMap) -> list[tuple[Path_, Diagnostic]]:
    """The cells of the data tables that built, read by their columns' types (engine/model/tables.py): a cell its
    type cannot read, or a row of the wrong length, at its place."""
    return [(path, Diagnostic(error.code, Severity.ERROR, error.message,
                              refine(sources.span(path), sources, error.offset, error.length), error.hint, "table-cell"))
            for path, error in cell_problems(built(programme, "tables", {}))]


# the sections one of which a programme must have: the document it publishes
DOCUMENTS = ("decree", "programme_document")


def _without_a_document(model: ProgrammeModel) -> list[Diagnostic]:
    """A programme without a decree and without a programme document publishes nothing (unless one of them is
    there but did not validate: its error is reported)."""
    if any(built(model.programme, key) is not None or (key,) in model.unbuilt.parts for key in DOCUMENTS):
        return []
    return [Diagnostic(
        "M002", Severity.ERROR, "не задан ни приказ «decree», ни программный документ «programme_document»",
        model.sources.span(()), "добавьте раздел «decree: …» (приказ, распоряжение) или «programme_document: …» "
        "(муниципальная программа, программа развития)", "missing-key")]


def _diagnostics(errors: Iterable[ErrorDetails], loaded: LoadedProgramme) -> list[Diagnostic]:
    """Each error once, but not where the loader already said why: a value it could not read, or a section
    missing because its file could not be read."""
    found: dict[tuple, Diagnostic] = {}
    for error in errors:
        path, _ = _error_path(error)
        if any(path[:len(unread)] == unread for unread in loaded.unread):
            continue
        if loaded.unread_files and error["type"] == "missing" and len(path) == 1:
            continue
        diagnostic = _diagnostic_from_error(error, loaded.sources)
        found.setdefault((diagnostic.code, diagnostic.span, diagnostic.message), diagnostic)
    return list(found.values())


def build_model(loaded: LoadedProgramme) -> tuple[ProgrammeModel | None, list[Diagnostic]]:
    """The complete model of a programme, or None when any of it did not validate. Never raises."""
    model, diagnostics = validate_programme(loaded)
    return (model if model.complete and not has_errors(diagnostics) else None), diagnostics
