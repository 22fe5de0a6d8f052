"""Every piece of prose in a programme, with the object and field it belongs to.

Checks that read text (placeholders, amounts typed by hand, abbreviations in
use) and renderers that substitute values walk the same list, so no text field
is forgotten by one of them.
"""

from __future__ import annotations

from typing import Iterator

from engine.model.spec import Clause, Programme, SpecModel

TextSite = tuple[SpecModel, tuple, str]


def _paragraphs(target: SpecModel, name: str, values: list[str]) -> Iterator[TextSite]:
    for index, text in enumerate(values):
        yield target, (name, index), text


def _clauses(clauses: list[Clause]) -> Iterator[TextSite]:
    for clause in clauses:
        yield clause, ("text",), clause.text
        yield from _clauses(clause.clauses)


def spec_texts(programme: Programme) -> Iterator[TextSite]:
    decree = programme.decree
    yield decree, ("title",), decree.title
    yield decree, ("preamble",), decree.preamble
    yield from _clauses(decree.clauses)
    for document in (programme.roadmap, programme.budget, programme.indicators, programme.specification):
        if document is None:
            continue
        yield document, ("title",), document.title
        if document.subtitle:
            yield document, ("subtitle",), document.subtitle
    if programme.roadmap:
        for section in programme.roadmap.sections:
            yield section, ("title",), section.title
        for activity in programme.roadmap.all_activities():
            yield activity, ("title",), activity.title
            yield from _paragraphs(activity, "details", activity.details)
            yield from _paragraphs(activity, "result", activity.result)
            for owner in activity.owners:
                yield from _paragraphs(owner, "result", owner.result)
    if programme.budget:
        for line in programme.budget.lines:
            yield line, ("title",), line.title
            for sub in line.of_which:
                yield sub, ("title",), sub.title
        if programme.budget.funding_source:
            yield programme.budget, ("funding_source",), programme.budget.funding_source
    if programme.indicators:
        for indicator in programme.indicators.items:
            yield indicator, ("name",), indicator.name
    if programme.specification:
        specification = programme.specification
        yield specification, ("event_name",), specification.event_name
        yield specification, ("funding_source",), specification.funding_source
        for item in specification.items:
            yield item, ("text",), item.text
            yield from _paragraphs(item, "deliverables", item.deliverables)
