"""Text with values: `{{ budget.total }}` in a clause instead of a retyped figure.

Deliberately not Jinja: spec text comes from many hands and must never execute
anything. A placeholder is a dotted name from a fixed vocabulary; anything else
between braces is a diagnostic. The vocabulary (see docs/spec-language.md):

    appendix.<roadmap|budget|indicators|specification>   номер приложения
    budget.total, budget.total_words, budget.codes        итог сметы, прописью, коды
    decree.number, decree.date, decree.date_long, decree.title
    deadline                                              срок этого пункта
    people.<id>[.name][.<падеж>]                          «С.Н. Кирина»
    people.<id>.full[.<падеж>]                            должность и имя
    people.<id>.position[.<падеж>]                        должность
    control[.<падеж>]                                     должность и имя контролирующего
    control.name[.<падеж>], control.position[.<падеж>]    его имя / должность
    clauses.<id>                                          вычисленный номер пункта
    orgs.<id>, orgs.<id>.full[.<падеж>]                   краткое / полное наименование
    basis.<id>[.<падеж>]                                  реквизиты акта из legal_basis
    quantity, quantities.<n>                              количества пункта ТЗ
    programme.period                                      «2021–2024»
    document.name, document.title[.<падеж>]               наименование программного документа, его вид
    tables.<id>.total.<столбец>                           итог таблицы данных (первая итоговая строка)
    tables.<id>.rows.<строка>.<столбец>                   ячейка строки с этим id
    indicators.<id>.target, indicators.<id>.baseline      цель (на конец периода), базовое значение показателя
    indicators.<id>.targets.<год>, indicators.<id>.actual.<год>   цель и факт показателя за год
    indicators.<id>.name                                  наименование показателя

Cases: nom gen dat acc ins loc.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import get_args

from engine import formats
from engine.diagnostics import DiagnosticError
from engine.model.grammar import inflect_phrase, inflect_surname
from engine.model.spec import ActRef, Case, DataTable, Indicator, Organisation, Person, Programme
from engine.model.tables import total_text
from engine.model.timeexpr import TimeExpr
from engine.model.walk import all_clauses, decree_clauses

_PLACEHOLDER = re.compile(r"\{\{\s*(?P<name>[^{}]*?)\s*\}\}")
_NAME = re.compile(r"[a-z_]+(?:\.[a-z0-9_-]+)*")
_FORBIDDEN = re.compile(r"\{%|%\}|\{#|#\}|\{\{|\}\}")
_HINT = "пишите {{ budget.total }}, {{ appendix.roadmap }}, {{ people.<id>.dat }}; список — docs/spec-language.md"


@dataclass
class TextContext:
    """What a placeholder can see: the programme, and the item the text belongs to."""

    programme: Programme
    appendix_numbers: dict[str, int]
    deadline: TimeExpr | None = None
    quantities: list = field(default_factory=list)
    acts: dict[str, ActRef] | None = None    # what `basis.<id>` names, when not the decree's legal basis (an amendment's)


def placeholders(text: str) -> list[tuple[str, int, int]]:
    """Every `{{ name }}` in text as (name, offset, length); raises on template syntax that is not ours."""
    if "{" not in text and "}" not in text:  # most texts: nothing to look for (every construct has a brace)
        return []
    found = []
    cleaned = text
    for match in _PLACEHOLDER.finditer(text):
        name = match.group("name")
        if not _NAME.fullmatch(name):
            raise DiagnosticError(
                "X101", f"в тексте недопустимое выражение «{match.group()}»: разрешены только имена значений",
                _HINT, match.start(), len(match.group()))
        found.append((name, match.start(), len(match.group())))
        cleaned = cleaned[:match.start()] + " " * len(match.group()) + cleaned[match.end():]
    stray = _FORBIDDEN.search(cleaned)
    if stray:
        raise DiagnosticError(
            "X101", f"в тексте конструкция шаблона «{stray.group()}»: в спецификации допустимы только {{{{ имя }}}}",
            _HINT, stray.start(), len(stray.group()))
    return found


_CASES: dict[str, Case] = {case: case for case in get_args(Case)}


def _case(parts: list[str], default: Case = "nom") -> Case:
    if not parts:
        return default
    return _CASES[parts[0]]   # an unknown case is a KeyError, as an unknown name is


def person_name(person: Person, case: Case = "nom") -> str:
    surname = person.surname_forms.get(case) or inflect_surname(person.surname, person.gender, case)
    return formats.initials_name(person.initials, surname)


def person_position(person: Person, case: Case = "nom") -> str:
    return person.position_forms.get(case) or inflect_phrase(person.position, case)


def org_full(org: Organisation, case: Case = "nom") -> str:
    return org.forms.get(case) or inflect_phrase(org.full, case)


def lower_first(text: str) -> str:
    """Organisation names start lowercase inside a sentence, unless they begin with an abbreviation."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def act_issuer(programme: Programme, act: ActRef) -> str:
    """The issuer in the genitive: an organisation id is inflected, free text is taken as written."""
    org = programme.organisations.get(act.issuer)
    return lower_first(org_full(org, "gen")) if org else act.issuer


def act_reference(programme: Programme, act: ActRef, case: Case = "nom") -> str:
    """«распоряжением комитета … от 25 декабря 2019 года № 2778-р «…»»."""
    title = f" «{act.title}»" if act.title else ""
    date = formats.date_long(act.date) if act.date_form == "long" else formats.date_numeric(act.date)
    return f"{inflect_phrase(act.kind, case)} {act_issuer(programme, act)} от {date} №{formats.NBSP}{act.number}{title}"


def _person_form(person: Person, parts: list[str]) -> str:
    """people.<id>[.name][.case] → name; .full[.case] → position and name; .position[.case] → position."""
    if parts[:1] == ["full"]:
        case = _case(parts[1:])
        return f"{person_position(person, case)} {person_name(person, case)}"
    if parts[:1] == ["position"]:
        return person_position(person, _case(parts[1:]))
    if parts[:1] == ["name"]:
        parts = parts[1:]
    return person_name(person, _case(parts))


def _resolve(parts: list[str], ctx: TextContext) -> str:
    p = ctx.programme
    head, rest = parts[0], parts[1:]
    if head == "appendix":
        return str(ctx.appendix_numbers[rest[0]])
    if head == "budget" and p.budget is not None:
        value = {"total": lambda: formats.money(p.budget.total),
                 "total_words": lambda: formats.amount_in_words(p.budget.total),
                 "codes": lambda: " ".join(f"{k} {v}" for k, v in p.budget.codes.items())}[rest[0]]
        return value()
    if head == "decree" and p.decree is not None:
        decree = p.decree
        if rest == ["number"] and decree.number is not None:
            return decree.number
        if rest == ["title"]:
            return decree.title
        if rest in (["date"], ["date_long"]) and decree.date is not None:
            return formats.date_numeric(decree.date) if rest == ["date"] else formats.date_long(decree.date)
        raise KeyError(".".join(rest))
    if head == "deadline" and ctx.deadline is not None and not rest:
        return ctx.deadline.wording
    if head == "control" and p.decree is not None and p.decree.control:
        return _person_form(p.people[p.decree.control], ["full"] + rest if rest[:1] not in (["name"], ["position"]) else rest)
    if head == "people":
        return _person_form(p.people[rest[0]], rest[1:])
    if head == "clauses" and len(rest) == 1:
        return {c.id: c.number for c in all_clauses(decree_clauses(p)) if c.id}[rest[0]]
    if head == "orgs":
        org = p.organisations[rest[0]]
        if rest[1:2] == ["full"]:
            return org_full(org, _case(rest[2:]))
        if len(rest) == 1:
            return org.short
    if head == "basis":
        acts = ctx.acts if ctx.acts is not None else p.decree.legal_basis if p.decree is not None else {}
        return act_reference(p, acts[rest[0]], _case(rest[1:]))
    if head == "quantity" and ctx.quantities and not rest:
        return ctx.quantities[0].render()
    if head == "quantities" and rest:
        return ctx.quantities[int(rest[0])].render()
    if head == "document" and p.programme_document is not None:
        document = p.programme_document
        if rest == ["name"] and document.name:
            return document.name
        if rest[:1] == ["title"]:
            return inflect_phrase(lower_first(document.title), _case(rest[1:]))
        raise KeyError(".".join(rest))
    if head == "tables" and len(rest) >= 3:
        return _table_value(p.tables[rest[0]], rest[1:])
    if head == "indicators" and p.indicators is not None and len(rest) >= 2:
        return _indicator_value({item.id: item for item in p.indicators.all_items()}[rest[0]], rest[1:])
    if head == "programme" and rest == ["period"]:
        period = p.programme.period
        years = period.years
        return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    raise KeyError(head)


def _table_value(table: DataTable, parts: list[str]) -> str:
    """tables.<id>.total.<column>: the first total row's value as printed; tables.<id>.rows.<row>.<column>: a cell."""
    column = {column.id: column for column in table.columns}[parts[-1]]
    if parts[:-1] == ["total"] and table.totals:
        return total_text(table, table.totals[0], column)
    if len(parts) == 3 and parts[0] == "rows":
        row = {row.id: row for row in table.rows if row.id}[parts[1]]
        cell = row.cells[table.columns.index(column)]
        if isinstance(cell, str):
            return cell
    raise KeyError(".".join(parts))


def _indicator_value(indicator: Indicator, parts: list[str]) -> str:
    if parts == ["name"]:
        return indicator.name
    if parts == ["target"]:
        return indicator.final_target.render()
    if parts == ["baseline"] and indicator.baseline is not None:
        return indicator.baseline.render()
    if len(parts) == 2 and parts[0] in ("targets", "actual"):
        return getattr(indicator, parts[0])[int(parts[1])].render()
    raise KeyError(".".join(parts))


def render_text(text: str, ctx: TextContext) -> str:
    """Replace every placeholder by its value; raises DiagnosticError on an unknown name."""
    pieces = []
    position = 0
    for name, offset, length in placeholders(text):
        try:
            value = _resolve(name.split("."), ctx)
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):
            raise DiagnosticError(
                "X102", f"неизвестное значение «{{{{ {name} }}}}»", _HINT, offset, length) from None
        pieces.append(text[position:offset])
        pieces.append(value)
        position = offset + length
    pieces.append(text[position:])
    return "".join(pieces)


def appendix_numbers(programme: Programme) -> dict[str, int]:
    """Numbers of the appendices (never typed): the decree's in the order its clauses approve them, the
    programme document's in the order it lists them. A kind is an appendix of one document only (R502)."""
    numbers: dict[str, int] = {}
    for clause in all_clauses(decree_clauses(programme)):
        if clause.approves and clause.approves not in numbers:
            numbers[clause.approves] = len(numbers) + 1
    if programme.programme_document:
        own = list(dict.fromkeys(programme.programme_document.appendices))
        for index, kind in enumerate(own, start=1):
            numbers.setdefault(kind, index)
    return numbers
