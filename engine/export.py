"""`prikaz export`: the resolved model as JSON for other tools (format documented in docs/export.md).

Resolved means: references replaced by what they name, numbers and appendix
marks computed, placeholders substituted, every time expression also given as
ISO date windows, amounts as decimal strings («1900000.00»).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from engine import formats
from engine.model.amending import amending_text
from engine.model.appendices import appendices, decree_issuer, programme_document_approval
from engine.model.documents import group_heading, list_markers, selected_indicators, selected_tasks
from engine.model.edition import amendment_editions
from engine.model.execution import (
    ATTENTION_ORDER,
    DUE_SOON_DAYS,
    OccurrenceStatus,
    PlannedItem,
    Tally,
    item_mark,
    programme_status,
    window_text,
)
from engine.model.grammar import inflect_phrase
from engine.model.spec import (
    Activity,
    Block,
    Clause,
    Content,
    DataTable,
    Decree,
    DocumentSection,
    Evidence,
    ExecutionRecord,
    Indicator,
    ListBlock,
    PassportRow,
    Person,
    Programme,
    ProgrammeDocument,
    Selection,
    SpecItem,
    TableAppendix,
    TableColumn,
)
from engine.model.tables import cell_number, computed_total, total_text
from engine.model.text import TextContext, appendix_numbers, lower_first, person_name, render_text
from engine.model.timeexpr import Period, Window
from engine.model.validate import ProgrammeModel

EXPORT_FORMAT = "prikaz-export/1"


def _around(document, side: str) -> list[Block]:
    """The blocks of text before or after an appendix's table (a programme document has none around it)."""
    return getattr(document, side) if isinstance(document, TableAppendix) else []


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _party(programme: Programme, ref: str) -> dict:
    """An owner/responsible id resolved to the organisation or person it names."""
    if ref in programme.organisations:
        org = programme.organisations[ref]
        return {"id": ref, "type": "organisation", "short": org.short, "full": org.full}
    person = programme.people[ref]
    return {"id": ref, "type": "person", "name": person_name(person), "position": person.position}


def party_label(party: dict) -> str:
    """How a table cell names an exported owner: an organisation by its short name, a person by initials and
    surname («Е.А. Петрова») — a school's plan names its deputies, not its departments."""
    return party["short"] if party["type"] == "organisation" else party["name"]


def _person(ref: str | None, programme: Programme) -> dict | None:
    if ref is None:
        return None
    person: Person = programme.people[ref]
    return {"id": ref, "name": person_name(person), "surname": person.surname, "initials": person.initials,
            "position": person.position, "signature_position": person.signature_position,
            "organisation": person.organisation}


def _window(window: Window | None) -> dict | None:
    return None if window is None else dict(window.iso(), text=window_text(window))


def _tally(tally: Tally) -> dict:
    share = tally.share_on_time
    return {"due": tally.due, "done_on_time": tally.due_done_on_time,
            "share_on_time": None if share is None else str(share),
            **{state.value: count for state, count in tally.states.items()}}


def _issuer(programme: Programme, issuer: str) -> str:
    """Who issued a document, by the short name the report's columns use: an abbreviation as it is («УОиН»,
    «ГАУДПО ЛО «ИРО»»), a name in the genitive («комитета общего и …»); free text as written."""
    organisation = programme.organisations.get(issuer)
    if organisation is None:
        return issuer
    short = organisation.short
    if sum(character.isupper() for character in short.split()[0]) > 1:
        return short
    return lower_first(inflect_phrase(short, "gen"))


def evidence_text(programme: Programme, evidence: Evidence) -> str:
    """«Приказ УОиН от 15.03.2022 № 123 «…»», then the link — as the report prints it."""
    parts = []
    if evidence.kind:
        parts.append(evidence.kind[:1].upper() + evidence.kind[1:])
    if evidence.issuer:
        parts.append(_issuer(programme, evidence.issuer))
    if evidence.date is not None:
        parts.append(f"от {formats.date_numeric(evidence.date)}")
    if evidence.number:
        parts.append(f"№{formats.NBSP}{evidence.number}")
    if evidence.title:
        parts.append(f"«{evidence.title}»" if parts else evidence.title)
    if evidence.link:
        parts.append(evidence.link)
    return " ".join(parts)


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def occurrence_info(occurrence: dict) -> str | None:
    """What a report says of one occurrence (exported): its status on its date, the move, the comment, the documents,
    the reason for a missed deadline; that nothing was reported of an overdue one; None when there is nothing to say."""
    record, moved = occurrence["record"], occurrence["moved"]
    if record is None:
        return "Сведения об исполнении не представлены." if occurrence["state"] == "overdue" else None
    parts = []
    if moved is not None:
        decision = f" ({lower_first(moved['decision']['text'])})" if moved["decision"] else ""
        parts.append(f"Срок перенесён{decision}, новый срок — {moved['new_deadline']['rendered']}.")
    date = formats.date_numeric(dt.date.fromisoformat(record["date"]))
    status = record["status"]
    if status == "выполнено":
        parts.append(f"Выполнено {date}.")
    elif status == "выполняется":
        parts.append(f"Выполняется (на {date}).")
    elif status == "не выполнено":
        parts.append(f"Не выполнено (на {date}).")
    elif status == "отменено":
        decision = f" ({lower_first(record['decision']['text'])})" if record["decision"] else ""
        parts.append(f"Отменено{decision}.")
    if record["comment"]:
        parts.append(_sentence(record["comment"]))
    if record["evidence"]:
        parts.append("Подтверждение: " + "; ".join(e["text"] for e in record["evidence"]) + ".")
    if record["reason"]:
        parts.append(f"Причина отклонения от срока: {record['reason'].rstrip('.')}.")
    return " ".join(parts)


class _Exporter:
    def __init__(self, model: ProgrammeModel):
        self.model = model
        self.programme = model.programme
        self.period: Period = self.programme.programme.period
        self.numbers = appendix_numbers(self.programme)

    def text(self, text: str, **local) -> str:
        return render_text(text, TextContext(self.programme, self.numbers, **local))

    def clause(self, clause: Clause) -> dict:
        return {
            "id": clause.id, "number": clause.number,
            "text": self.text(clause.text, deadline=clause.deadline),
            "approves": clause.approves,
            "appendix_number": self.numbers.get(clause.approves) if clause.approves else None,
            "deadline": clause.deadline.to_json(self.period) if clause.deadline else None,
            "responsible": [_party(self.programme, r) for r in clause.responsible],
            "clauses": [self.clause(c) for c in clause.clauses],
        }

    def activity(self, activity: Activity) -> dict:
        return {
            "id": activity.id, "number": activity.number, "title": self.text(activity.title),
            "details": [self.text(t) for t in activity.details],
            "time": activity.time.to_json(self.period),
            "owners": [dict(_party(self.programme, o.org), result=[self.text(t) for t in o.result])
                       for o in activity.owners],
            "result": [self.text(t) for t in activity.result],
            "indicators": activity.indicators, "depends_on": activity.depends_on,
        }

    def decree(self, decree: Decree) -> dict:
        p = self.programme
        return {
            "kind": decree.kind, "authority": _party(p, decree.authority) if decree.authority in p.organisations else None,
            "header": decree.header, "issuer_line": decree.issuer_line, "issuer": decree_issuer(p, decree),
            "number": decree.number, "date": decree.date.isoformat() if decree.date else None,
            "date_unknown": decree.date_unknown,
            "year": decree.date.year if decree.date else decree.year,
            "place": decree.place, "title": self.text(decree.title),
            "legal_basis": {k: {"kind": a.kind, "issuer": a.issuer, "date": a.date.isoformat(), "number": a.number,
                                "title": a.title, "programme": a.programme} for k, a in decree.legal_basis.items()},
            "preamble": self.text(decree.preamble),
            "clauses": [self.clause(c) for c in decree.clauses],
            "signatory": _person(decree.signatory, p), "control": _person(decree.control, p),
        }

    def listing(self, listing: ListBlock) -> dict:
        return {"marker": listing.marker, "start": listing.start,
                "items": [{"marker": marker, "text": self.text(item.text),
                           "list": self.listing(item.listing) if item.listing else None}
                          for marker, item in zip(list_markers(listing), listing.items, strict=True)]}

    def content(self, content: Content) -> dict:
        """A block or a passport row: its kind and what it holds, texts resolved."""
        if isinstance(content, PassportRow):
            return {"label": self.text(content.label), **self.value(content)}
        return self.value(content)

    def value(self, content: Content) -> dict:
        if isinstance(content, Block) and content.table is not None:
            return {"kind": "table", "table": content.table}
        if isinstance(content, Block) and content.passport is not None:
            return {"kind": "passport", "headings": [self.text(h) for h in content.passport.headings],
                    "rows": [self.content(row) for row in content.passport.rows]}
        if content.indicators is not None:
            return {"kind": "indicators", "groups": self.indicator_selection(content.indicators)}
        if isinstance(content, PassportRow) and content.organisations is not None:
            return {"kind": "organisations", "organisations": [_party(self.programme, ref) for ref in content.organisations
                                                                if ref in self.programme.organisations]}
        if content.text is not None:
            return {"kind": "text", "paragraphs": [self.text(t) for t in content.text]}
        if isinstance(content, Block) and content.heading is not None:
            return {"kind": "heading", "text": self.text(content.heading)}
        if content.listing is not None:
            return {"kind": "list", "list": self.listing(content.listing)}
        assert content.tasks is not None  # the model admits no block without content
        return {"kind": "tasks", "tasks": [{"id": task.id, "number": task.number, "text": self.text(task.text)}
                                           for task in selected_tasks(self.programme, content.tasks)]}

    def indicator_selection(self, selection: Selection) -> list[dict]:
        return [{"id": group.id if group else None, "heading": self.text(group_heading(self.programme, group)) if group else "",
                 "items": [item.id for item in items]}
                for group, items in selected_indicators(self.programme, selection)]

    def indicator(self, indicator: Indicator, group: str | None) -> dict:
        target = indicator.final_target
        return {"id": indicator.id, "number": indicator.number, "group": group, "name": self.text(indicator.name),
                "indicator": self.text(indicator.indicator) if indicator.indicator else None, "unit": indicator.unit,
                "target": target.render(), "target_value": str(target.value), "target_note": indicator.target_note,
                "targets": {str(year): value.render() for year, value in sorted(indicator.targets.items())},
                "actual": {str(year): value.render() for year, value in sorted(indicator.actual.items())},
                "baseline": indicator.baseline.render() if indicator.baseline else None,
                "direction": indicator.direction, "year": indicator.year, "measures": indicator.measures,
                "activities": indicator.activities}

    def cell(self, column: TableColumn, cell) -> str | list[str]:
        """A cell as printed: a number as the document writes it, an organisation by its name, text resolved."""
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            return ""
        if isinstance(cell, list):
            return [self.text(text) for text in cell]
        if column.type == "organisation":
            org = self.programme.organisations.get(cell)
            return cell if org is None else (org.short if column.name == "short" else org.full)
        number = cell_number(column, cell)
        if number is not None:
            return formats.money(number.value) if column.type == "money" else str(number)
        return self.text(cell)

    def table(self, table: DataTable) -> dict:
        return {
            "title": [self.text(line) for line in table.title], "landscape": table.landscape,
            "columns": [{"id": c.id, "heading": self.text(c.heading), "group": [self.text(h) for h in c.group],
                         "type": c.type, "precision": c.precision, "total": c.total, "weight": c.weight, "of": c.of}
                        for c in table.columns],
            "rows": [{"id": row.id, "group": self.text(row.group) if row.group is not None else None,
                      "cells": [self.cell(column, cell) for column, cell in zip(table.columns, row.cells, strict=True)]}
                     for row in table.rows],
            "totals": [{"label": self.text(total.label), "declared_only": total.declared_only,
                        "values": {c.id: total_text(table, total, c) for c in table.columns
                                   if c.id in total.values or (c.total and not total.declared_only)},
                        "computed": {c.id: str(value) for c in table.columns
                                     if not total.declared_only and (value := computed_total(table, c)) is not None}}
                       for total in table.totals],
        }

    def section(self, section: DocumentSection) -> dict:
        return {"id": section.id, "number": section.number, "title": self.text(section.title),
                "blocks": [self.content(block) for block in section.blocks],
                "sections": [self.section(s) for s in section.sections]}

    def programme_document(self, document: ProgrammeDocument) -> dict:
        approval = programme_document_approval(self.programme)
        return {
            "title": self.text(document.title), "subtitle": self.text(document.subtitle) if document.subtitle else None,
            "name": self.text(document.name) if document.name else None,
            "approval": None if approval is None else {"label": approval.label, "mark": approval.mark,
                                                       "stamp_word": approval.stamp_word, "stamp": approval.stamp},
            "tasks": [{"id": task.id, "number": task.number, "text": self.text(task.text)} for task in document.tasks],
            "sections": [self.section(section) for section in document.sections],
            "appendices": list(dict.fromkeys(document.appendices)),
        }

    def amendments(self) -> list[dict]:
        """The amending decrees in the order of the spec, each with the text it says (docs/amendments.md)."""
        p, decree = self.programme, self.programme.decree
        exported: list[dict] = []
        if decree is None:
            return exported           # an amendment amends a decree (A601 says so)
        for editions in amendment_editions(self.model):
            amendment = p.amendments[editions.amendment]
            text = amending_text(p, decree, amendment, editions.before, editions.after)
            exported.append({
                "id": editions.amendment, "number": amendment.number,
                "date": amendment.date.isoformat() if amendment.date else None,
                "signed": bool(amendment.number and amendment.date), "title": text.title,
                "documents": list(dict.fromkeys(change.document for change in amendment.changes)),
                "attachments": text.attachments, "text": text.lines(),
            })
        return exported

    def evidence(self, evidence: Evidence | None) -> dict | None:
        if evidence is None:
            return None
        return {"kind": evidence.kind, "issuer": evidence.issuer, "number": evidence.number,
                "date": evidence.date.isoformat() if evidence.date else None, "title": evidence.title,
                "link": evidence.link, "text": evidence_text(self.programme, evidence)}

    def record(self, record: ExecutionRecord) -> dict:
        return {"status": record.status, "date": record.date.isoformat(),
                "comment": self.text(record.comment) if record.comment else None,
                "reason": self.text(record.reason) if record.reason else None,
                "evidence": [self.evidence(e) for e in record.evidence],
                "new_deadline": record.new_deadline.to_json(self.period) if record.new_deadline else None,
                "decision": self.evidence(record.decision)}

    def item_title(self, item: PlannedItem) -> str:
        target = item.target
        if isinstance(target, Activity):
            return self.text(target.title)
        if isinstance(target, SpecItem):
            return self.text(target.text, quantities=target.quantities)
        assert isinstance(target, Clause)
        # a sub-clause reads on from the clauses above it: «ИРО представить в УО: в срок … – отчёт»
        text = " ".join(self.text(c.text, deadline=c.deadline) for c in (*item.enclosing, target))
        return text.rstrip(" ;:")

    def occurrence(self, entry: OccurrenceStatus) -> dict:
        occurrence = entry.occurrence
        exported = {"key": occurrence.key, "planned": _window(occurrence.planned), "window": _window(occurrence.window),
                    "deadline": occurrence.deadline.isoformat() if occurrence.deadline else None,
                    "state": entry.state.value, "state_text": entry.state.russian, "due": entry.due,
                    "record": self.record(occurrence.current) if occurrence.current else None,
                    "moved": self.record(occurrence.moved) if occurrence.moved else None,
                    "history": [self.record(r) for r in occurrence.records[:-1]]}
        exported["info"] = occurrence_info(exported)
        return exported

    def subject(self) -> str:
        """What the report is about, in the genitive: the spec's own words, or the plan's title and subtitle."""
        progress = self.programme.progress
        if progress is not None and progress.subject:
            return self.text(progress.subject)
        p = self.programme
        document = p.roadmap or p.specification or p.programme_document
        if document is None:     # a decree whose clauses alone carry the deadlines
            decree = p.decree
            assert decree is not None      # a programme has a decree or a programme document (engine.model.spec)
            return f"{inflect_phrase(decree.kind, 'gen')} №{formats.NBSP}{decree.number or '___'}"
        title = lower_first(inflect_phrase(self.text(document.title), "gen"))
        return f"{title} {self.text(document.subtitle)}" if document.subtitle else title

    def progress(self, as_of: dt.date, within: int) -> dict:
        """The programme's execution as of a day (engine.model.execution): items, tallies, indicators."""
        p = self.programme
        status = programme_status(p, as_of, within)
        sections = {id(a): s for s in (p.roadmap.sections if p.roadmap else []) for a in s.activities}
        items = []
        for item, entries in status.items():
            section = sections.get(id(item.target))
            worst = min((entry.state for entry in entries), key=ATTENTION_ORDER.index)
            items.append({
                "ref": item.ref, "document": item.document, "id": item.id, "number": item.number,
                "section": {"id": section.id, "number": section.number, "title": self.text(section.title)}
                if section else None,
                "title": self.item_title(item), "time": item.expr.to_json(self.period),
                "parties": [_party(p, ref) for ref in item.parties],
                "state": worst.value, "mark": item_mark(entries),
                "occurrences": [self.occurrence(entry) for entry in entries],
            })
        organisations = [{"id": org, **(_party(p, org) if org in p.organisations or org in p.people else {}),
                          "summary": _tally(tally)} for org, tally in status.by_organisation.items()]
        progress = p.progress
        return {
            "as_of": as_of.isoformat(), "within": within, "subject": self.subject(),
            "signatory": _person(progress.signatory if progress else None, p),
            "summary": _tally(status.tally),
            "organisations": organisations,
            "items": items,
            "indicators": [{
                "id": entry.indicator.id, "number": entry.indicator.number, "name": self.text(entry.indicator.name),
                "unit": entry.indicator.unit, "target": entry.target.render(),
                "target_value": str(entry.target.value), "direction": entry.indicator.direction,
                "actual": entry.actual.value.render() if entry.actual else None,
                "actual_value": str(entry.actual.value.value) if entry.actual else None,
                "date": entry.actual.date.isoformat() if entry.actual else None,
                "comment": self.text(entry.actual.comment) if entry.actual and entry.actual.comment else None,
                "achievement": None if entry.achievement is None else str(entry.achievement),
                "achieved": entry.achieved,
            } for entry in status.indicators],
        }

    def export(self) -> dict:
        p = self.programme
        info = p.programme
        result: dict = {
            "format": EXPORT_FORMAT,
            "programme": {
                "id": info.id, "title": info.title, "region": info.region, "timezone": info.timezone,
                "profile": info.profile,
                "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat(),
                           "years": self.period.years},
            },
            "organisations": {k: {"short": o.short, "full": o.full} for k, o in p.organisations.items()},
            "terms": {k: {"short": t.short, "full": t.full} for k, t in p.terms.items()},
            "people": {k: _person(k, p) for k in p.people},
            "decree": self.decree(p.decree) if p.decree else None,
            "programme_document": self.programme_document(p.programme_document) if p.programme_document else None,
            "appendices": [{"kind": a.kind, "owner": a.owner, "number": a.number, "label": a.label, "mark": a.mark,
                            "stamp": a.stamp, "corner": a.corner, "title": self.text(a.document.title),
                            "subtitle": self.text(a.document.subtitle) if a.document.subtitle else None,
                            "before": [self.content(block) for block in _around(a.document, "before")],
                            "after": [self.content(block) for block in _around(a.document, "after")]}
                           for a in appendices(p)],
            "tables": {table_id: self.table(table) for table_id, table in p.tables.items()},
        }
        result["amendments"] = self.amendments()
        if p.roadmap:
            roadmap = p.roadmap
            result["roadmap"] = {
                "columns": [{"field": c.field, "heading": c.heading, "group": c.group} for c in roadmap.columns],
                "glossary": [{"id": g, "short": entry.short, "full": entry.full}
                             for g, entry in ((g, p.organisations.get(g) or p.terms[g]) for g in roadmap.glossary)],
                "sections": [{"id": s.id, "number": s.number, "title": self.text(s.title),
                              "activities": [self.activity(a) for a in s.activities]} for s in roadmap.sections],
                "activities": [self.activity(a) for a in roadmap.activities],
                "undated": [a.id for a in roadmap.all_activities() if not a.time.dated],
                "executor": _party(p, roadmap.executor) if roadmap.executor else None,
            }
        if p.budget:
            budget = p.budget
            result["budget"] = {
                "columns": budget.columns, "of_which_label": budget.of_which_label,
                "funding_source": budget.funding_source, "codes": budget.codes,
                "lines": [{"id": line.id, "title": self.text(line.title), "amount": _amount(line.effective_amount),
                           "quantity": None if line.quantity is None else str(line.quantity),
                           "unit_price": _amount(line.unit_price), "codes": line.codes, "recipient": line.recipient,
                           "of_which": [{"title": self.text(s.title), "amount": _amount(s.amount)} for s in line.of_which]}
                          for line in budget.lines],
                "total": _amount(budget.total),
                "total_words": self.text("{{ budget.total_words }}"),
            }
        if p.indicators:
            result["indicators"] = [self.indicator(item, group.id) for group in p.indicators.groups
                                    for item in group.items] + [self.indicator(item, None) for item in p.indicators.items]
            result["indicator_table"] = {
                "title": self.text(p.indicators.title),
                "subtitle": self.text(p.indicators.subtitle) if p.indicators.subtitle else None}
            result["indicator_groups"] = [
                {"id": group.id, "task": group.task, "heading": self.text(group_heading(p, group)),
                 "items": [item.id for item in group.items]} for group in p.indicators.groups]
        if p.specification:
            spec = p.specification
            result["specification"] = {
                "event_name": self.text(spec.event_name),
                "items": [{"id": item.id, "number": item.number,
                           "text": self.text(item.text, quantities=item.quantities),
                           "quantities": [q.render() for q in item.quantities],
                           "time": item.time.to_json(self.period) if item.time else None,
                           "deliverables": [self.text(d, quantities=item.quantities) for d in item.deliverables]}
                          for item in spec.items],
                "service_period": spec.service_period.to_json(self.period),
                "funding_source": self.text(spec.funding_source),
            }
        if p.progress:
            result["progress"] = self.progress(p.progress.as_of, DUE_SOON_DAYS)
        return result


# The last programme's export: its documents, its site page and its entry on the site index all start
# from it, one after another, and only read it — so a programme is exported once, not three times.
_LAST_EXPORT: list[tuple[ProgrammeModel, dict]] = []


def export_programme(model: ProgrammeModel) -> dict:
    """The resolved programme as JSON-compatible data (docs/export.md). Never change what it returns: the
    same dict is handed to the next caller asking for the same model."""
    if _LAST_EXPORT and _LAST_EXPORT[0][0] is model:
        return _LAST_EXPORT[0][1]
    exported = _Exporter(model).export()
    _LAST_EXPORT[:] = [(model, exported)]
    return exported


def export_progress(model: ProgrammeModel, as_of: dt.date, within: int = DUE_SOON_DAYS) -> dict:
    """The programme's execution as of any day (`prikaz status`), in the form of the export's `progress`."""
    return _Exporter(model).progress(as_of, within)
