"""Texts and scalar values a user can get wrong: each a located diagnostic, never a crash downstream.

* single-line texts (names, titles, numbers, headings — `Line` in engine/model/spec.py) refuse a line
  break or a tab; prose (a clause, a preamble, details, results, deliverables) keeps its line breaks;
  every text field of the model is one or the other, decided once, by its type;
* a time zone is a name of the IANA database, nothing else ZoneInfo would open;
* years and dates lie in 1900–2100; a column width fits a letter and the page.

Each test takes the base programme of the check fixtures (tests/checks/base/base-2022), changes one
value of its data in memory and validates it: the diagnostics point where the base files hold the value.
"""

from __future__ import annotations

import copy
import types
import typing
from pathlib import Path

import pytest

from engine.loading import LoadedProgramme, load_programme
from engine.model import spec
from engine.model.validate import validate_programme

BASE = Path(__file__).parents[1] / "checks" / "base" / "base-2022"

# the fields that are prose, keeping their line breaks; every other text of the model is one line
PROSE = {("Clause", "text"), ("Decree", "preamble"), ("Activity", "details"), ("Activity", "result"),
         ("Owner", "result"), ("SpecItem", "text"), ("SpecItem", "deliverables"), ("ListItem", "text"), ("Task", "text"),
         ("Block", "text"), ("DocumentSection", "blocks"),   # a block written as its bare text is a paragraph
         ("TableRow", "cells"), ("TotalRow", "values"),      # a text cell is a paragraph, or a list of them
         ("Amendment", "preamble"),
         ("ExecutionRecord", "comment"), ("ExecutionRecord", "reason")}     # the report's «информация об исполнении»


@pytest.fixture(scope="module")
def base() -> LoadedProgramme:
    loaded = load_programme(BASE)
    assert loaded.diagnostics == []
    return loaded


def validated(base: LoadedProgramme, path: tuple, value) -> list:
    """The diagnostics of the base programme with the value at `path` replaced."""
    data = copy.deepcopy(base.data)
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    model, diagnostics = validate_programme(LoadedProgramme(base.directory, data, base.sources, base.files))
    assert model is not None
    return diagnostics


def leaves(value, path=()):
    """(path, text) of every text in raw data."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, path + (index,))
    elif isinstance(value, str):
        yield path, value


def owner_of(path: tuple) -> tuple[str, str]:
    """(model class, field) that holds the value at a path of the data."""
    model: type = spec.Programme
    owner = ("Programme", "")
    for step in path:
        by_key = {(info.alias or name): name for name, info in model.model_fields.items()} \
            if isinstance(model, type) and issubclass(model, spec.SpecModel) else {}
        if step in by_key:
            owner = (model.__name__, by_key[step])
            annotation = model.model_fields[by_key[step]].annotation
        elif isinstance(step, int) or owner[1] in ("silence",):
            continue
        else:
            continue   # a key of a mapping (an id)
        while True:
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if typing.get_origin(annotation) in (list, dict, typing.Union, types.UnionType, typing.Annotated) and args:
                annotation = args[0] if typing.get_origin(annotation) is typing.Annotated else args[-1]
            else:
                break
        model = annotation
    return owner


def _bare_text(annotation) -> bool:
    """Whether an annotation holds `str` without a type of its own around it (Line, Id, a code …)."""
    if annotation is str:
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        return False
    arguments = typing.get_args(annotation)
    if typing.get_origin(annotation) is dict:
        arguments = arguments[1:]   # the keys are ids or words
    return any(_bare_text(argument) for argument in arguments)


def test_every_text_field_is_a_line_or_prose():
    """A new text field gets `Line` (a name, a title, a number, a heading) or joins PROSE here: decide once."""
    undecided = []
    for cls in vars(spec).values():
        if not (isinstance(cls, type) and issubclass(cls, spec.SpecModel)):
            continue
        for name, info in cls.model_fields.items():
            if name == "silence" or (cls.__name__, name) in PROSE:
                continue
            typed = any(getattr(m, "func", None) is not None for m in info.metadata)   # a validator of its own
            if _bare_text(info.annotation) and not typed:
                undecided.append(f"{cls.__name__}.{name}")
    assert undecided == [], "текстовые поля без решения «одна строка (Line) или проза (PROSE)»: " + ", ".join(undecided)


@pytest.mark.parametrize("name", ["base-2022", "programme-2021"])
def test_a_line_break_is_refused_in_every_single_line_text_and_kept_in_prose(name):
    base = load_programme(BASE.parent / name)
    assert base.diagnostics == []
    texts = [(path, text) for path, text in leaves(base.data)]
    lines = prose = 0
    for path, text in texts:
        owner = owner_of(path)
        diagnostics = validated(base, path, text[:1] + "\nпродолжение" + text[1:])
        where = base.sources.span(path)
        if owner in PROSE or owner[1] == "silence":
            assert not [d for d in diagnostics if d.code == "M006"], (path, diagnostics)
            prose += 1
        elif any(d.code == "M006" for d in diagnostics):
            m006 = [d for d in diagnostics if d.code == "M006"]
            assert [d.span for d in m006] == [where], (path, m006)
            assert "одной строкой" in m006[0].message and "«>-»" in m006[0].hint
            lines += 1
        else:   # a typed value (an id, a date, a sum, a kind): its own error at the same place, or none (a
            # quantity's unit takes any white space for one space)
            assert all((d.span.file, d.span.line) == (where.file, where.line) for d in diagnostics), \
                (path, owner, diagnostics)
    assert lines > 10 and prose > 3, (lines, prose)


@pytest.mark.parametrize("path", [("programme", "title"), ("programme", "region"), ("organisations", "uo", "short"),
                                  ("organisations", "iro", "full"), ("people", "ivanova", "surname"),
                                  ("decree", "number"), ("roadmap", "activities", 0, "title")])
@pytest.mark.parametrize("breaker", ["\n", "\t", "в начале\nи в конце"])
def test_the_fields_a_feed_or_a_table_row_is_made_of_are_one_line(base, path, breaker):
    diagnostics = validated(base, path, "Текст" + breaker + "дальше")
    assert [(d.code, d.span) for d in diagnostics] == [("M006", base.sources.span(path))]


def test_surrounding_line_breaks_of_a_folded_value_are_not_a_second_line(base):
    assert validated(base, ("programme", "title"), "\nПоддержка школ\n") == []


@pytest.mark.parametrize("zone", ["Europe", "localtime", "posixrules", "Factory", "Etc/../Europe/Moscow",
                                  "../../etc/passwd", "/etc/localtime", "Europe/Moscow/", "Europe//Moscow",
                                  "Europe/Lipetsk", "", "MSK", "UTC+3", "Europe/Moscow\x00"])
def test_a_timezone_is_a_name_of_the_iana_database(base, zone):
    diagnostics = validated(base, ("programme", "timezone"), zone)
    assert [(d.code, d.span) for d in diagnostics] == [("P801", base.sources.span(("programme", "timezone")))]
    assert "IANA" in diagnostics[0].hint


@pytest.mark.parametrize("zone", ["Europe/Moscow", "Asia/Yekaterinburg", "Europe/Kaliningrad", "UTC", "Etc/GMT-3"])
def test_real_zones_are_accepted(base, zone):
    assert validated(base, ("programme", "timezone"), zone) == []


def test_a_wrong_case_zone_is_named_in_the_hint(base):
    diagnostics = validated(base, ("programme", "timezone"), "europe/moscow")
    assert "Europe/Moscow" in diagnostics[0].hint


@pytest.mark.parametrize("year", ["-2022", "0", "1899", "2101", "99999", "2022.0", "1e3", "２０２２", "двадцать второй"])
def test_a_year_lies_in_1900_2100(base, year):
    path = ("indicators", "items", 0, "year")
    diagnostics = validated(base, path, year)
    assert [(d.code, d.span) for d in diagnostics] == [("P501", base.sources.span(path))]


@pytest.mark.parametrize("path", [("decree", "date"), ("decree", "legal_basis", "regional-order", "date")])
@pytest.mark.parametrize("date", ["01.01.0001", "0001-01-01", "31.12.9999", "01.01.1899", "01.01.2101"])
def test_a_date_lies_in_1900_2100(base, path, date):
    diagnostics = validated(base, path, date)
    assert [(d.code, d.span) for d in diagnostics] == [("P501", base.sources.span(path))]
    assert "1900" in diagnostics[0].message + diagnostics[0].hint


@pytest.mark.parametrize("width", ["1e-300", "0", "0.1", "-1", "101", "1e400", "NaN", "Infinity", "-0", "ширина"])
def test_a_column_width_fits_a_letter_and_the_page(base, width):
    path = ("roadmap", "columns", 0, "width")
    data = copy.deepcopy(base.data)
    data["roadmap"]["columns"][0]["width"] = width
    model, diagnostics = validate_programme(LoadedProgramme(base.directory, data, base.sources, base.files))
    assert [d.code for d in diagnostics] == ["M003"], diagnostics
    assert diagnostics[0].span == base.sources.span(path)
    assert model.unbuilt.parts == {("roadmap", "columns")}


@pytest.mark.parametrize("width", ["0.5", "1", "3.5", "100"])
def test_reasonable_widths_are_accepted(base, width):
    data = copy.deepcopy(base.data)
    data["roadmap"]["columns"][0]["width"] = width
    assert validate_programme(LoadedProgramme(base.directory, data, base.sources, base.files))[1] == []
