"""Walks over a programme: its clauses, every piece of prose, every time expression.

Checks that read text (placeholders, amounts typed by hand, abbreviations in use) and
renderers that substitute values walk the same lists, so no clause, text field or deadline
is forgotten by one of them.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.model.spec import (
    Block,
    Clause,
    Content,
    DataTable,
    DocumentSection,
    ListBlock,
    PassportRow,
    Programme,
    ProgrammeDocument,
    SpecModel,
    TableAppendix,
)
from engine.model.timeexpr import TimeExpr

TextSite = tuple[SpecModel, tuple, str]
TimedSite = tuple[SpecModel, str, TimeExpr]

# The parts of a programme each walk reads, for the checks that use it to declare (engine/checks/registry.py):
# a walk that reads a new section or field names it here too.
TIMED_PARTS = ("decree.clauses", "roadmap.sections", "roadmap.activities", "specification.items",
               "specification.service_period")
AROUND_TABLES = tuple(f"{kind}.{side}" for kind in ("roadmap", "budget", "indicators", "specification")
                      for side in ("before", "after"))
CONTENT_PARTS = ("programme_document.sections", *AROUND_TABLES)       # what document_contents reads
TEXT_PARTS = ("decree.title", "decree.preamble", "decree.clauses",
              "programme_document.title", "programme_document.subtitle", "programme_document.name",
              "programme_document.tasks", "programme_document.sections",
              "roadmap.title", "roadmap.subtitle", "roadmap.sections", "roadmap.activities", "roadmap.before",
              "roadmap.after",
              "budget.title", "budget.subtitle", "budget.lines", "budget.funding_source",
              "indicators.title", "indicators.subtitle", "indicators.groups", "indicators.items",
              "specification.title", "specification.subtitle", "specification.event_name",
              "specification.funding_source", "specification.items", *AROUND_TABLES, "tables", "amendments")


def walk_clauses(clauses: list[Clause], enclosing: tuple[Clause, ...] = ()) -> Iterator[tuple[Clause, tuple[Clause, ...]]]:
    """Every clause and sub-clause in reading order, with the clauses that enclose it (outermost first)."""
    for clause in clauses:
        yield clause, enclosing
        yield from walk_clauses(clause.clauses, enclosing + (clause,))


def all_clauses(clauses: list[Clause]) -> Iterator[Clause]:
    """Every clause and sub-clause in reading order."""
    for clause, _ in walk_clauses(clauses):
        yield clause


def decree_clauses(programme: Programme) -> list[Clause]:
    """The decree's top-level clauses; none when the programme has no decree (a programme document alone)."""
    return programme.decree.clauses if programme.decree else []


def walk_sections(sections: list[DocumentSection]) -> Iterator[DocumentSection]:
    """Every section and subsection of a programme document in reading order."""
    for section in sections:
        yield section
        yield from walk_sections(section.sections)


def document_contents(programme: Programme) -> Iterator[Content]:
    """Every block of the programme document's sections and of the text around the appendices' tables, and every
    row of a passport (after the block that holds it): whatever may name a table, indicators or tasks."""
    blocks: list[Block] = []
    if programme.programme_document:
        blocks += [block for section in walk_sections(programme.programme_document.sections)
                   for block in section.blocks]
    for appendix in (programme.roadmap, programme.budget, programme.indicators, programme.specification):
        if appendix is not None:
            blocks += appendix.before + appendix.after
    for block in blocks:
        yield block
        if block.passport is not None:
            yield from block.passport.rows


def clause_deadlines(clauses: list[Clause]) -> Iterator[TimedSite]:
    for clause in all_clauses(clauses):
        if clause.deadline is not None:
            yield clause, "deadline", clause.deadline


def timed_items(programme: Programme) -> Iterator[TimedSite]:
    """Every time expression in the programme with the object that holds it."""
    yield from clause_deadlines(decree_clauses(programme))
    if programme.roadmap:
        for activity in programme.roadmap.all_activities():
            yield activity, "time", activity.time
    if programme.specification:
        for item in programme.specification.items:
            if item.time is not None:
                yield item, "time", item.time
        yield programme.specification, "service_period", programme.specification.service_period


def _paragraphs(target: SpecModel, name: str, values: list[str]) -> Iterator[TextSite]:
    for index, text in enumerate(values):
        yield target, (name, index), text


def _listing(listing: ListBlock) -> Iterator[TextSite]:
    for item in listing.items:
        yield item, ("text",), item.text
        if item.listing is not None:
            yield from _listing(item.listing)


def content_texts(content: Content) -> Iterator[TextSite]:
    """The texts of a block or a passport row (a passport's rows within the block)."""
    if isinstance(content, PassportRow):
        yield content, ("label",), content.label
    if isinstance(content, Block) and content.passport is not None:
        for row in content.passport.rows:
            yield from content_texts(row)
        yield from _paragraphs(content.passport, "headings", content.passport.headings)
    if content.text is not None:
        yield from _paragraphs(content, "text", content.text)
    if isinstance(content, Block) and content.heading is not None:
        yield content, ("heading",), content.heading
    if content.listing is not None:
        yield from _listing(content.listing)


def table_texts(table: DataTable) -> Iterator[TextSite]:
    """The prose of a data table: title, headings, text cells, group rows, total labels."""
    yield from _paragraphs(table, "title", table.title)
    for column in table.columns:
        yield column, ("heading",), column.heading
        yield from _paragraphs(column, "group", column.group)
    texts = [index for index, column in enumerate(table.columns) if column.type in ("text", "unit")]
    for row in table.rows:
        if row.group is not None:
            yield row, ("group",), row.group
            continue
        for index in texts:
            cell = row.cells[index] if index < len(row.cells) else None
            if isinstance(cell, str):
                yield row, row.cell_field(index), cell
            elif isinstance(cell, list):
                for line, text in enumerate(cell):
                    yield row, (*row.cell_field(index), line), text
    for total in table.totals:
        yield total, ("label",), total.label


def _programme_document_texts(document: ProgrammeDocument) -> Iterator[TextSite]:
    if document.name:
        yield document, ("name",), document.name
    for task in document.tasks:
        yield task, ("text",), task.text
    for section in walk_sections(document.sections):
        yield section, ("title",), section.title
        for block in section.blocks:
            yield from content_texts(block)


def spec_texts(programme: Programme) -> Iterator[TextSite]:
    decree = programme.decree
    if decree:
        yield decree, ("title",), decree.title
        yield decree, ("preamble",), decree.preamble
        for clause in all_clauses(decree.clauses):
            yield clause, ("text",), clause.text
    if programme.programme_document:
        yield from _programme_document_texts(programme.programme_document)
    for document in (programme.programme_document, programme.roadmap, programme.budget, programme.indicators,
                     programme.specification):
        if document is None:
            continue
        yield document, ("title",), document.title
        if document.subtitle:
            yield document, ("subtitle",), document.subtitle
        if isinstance(document, TableAppendix):
            for block in document.before + document.after:
                yield from content_texts(block)
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
        for group in programme.indicators.groups:
            if group.title is not None:
                yield group, ("title",), group.title
        for indicator in programme.indicators.all_items():
            yield indicator, ("name",), indicator.name
            if indicator.indicator is not None:
                yield indicator, ("indicator",), indicator.indicator
    for amendment in programme.amendments.values():
        if amendment.title:
            yield amendment, ("title",), amendment.title
        if amendment.preamble:
            yield amendment, ("preamble",), amendment.preamble
    if programme.specification:
        specification = programme.specification
        yield specification, ("event_name",), specification.event_name
        yield specification, ("funding_source",), specification.funding_source
        for item in specification.items:
            yield item, ("text",), item.text
            yield from _paragraphs(item, "deliverables", item.deliverables)
    for table in programme.tables.values():
        yield from table_texts(table)
