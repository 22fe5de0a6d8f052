"""Ownership: every name is a reference to the glossary, and the glossary is all used."""

from __future__ import annotations

from collections.abc import Iterator

from engine import formats
from engine.checks.registry import CheckContext, Finding, check
from engine.diagnostics import DiagnosticError, Severity
from engine.model.spec import Activity, Organisation, Owner, PassportRow, Person, Programme, SpecModel, Term
from engine.model.text import placeholders
from engine.model.walk import TEXT_PARTS, all_clauses, decree_clauses, document_contents

# (object holding the reference, path of the field, id, what it may name)
Reference = tuple[SpecModel, tuple, str, tuple[str, ...]]
ORGS, PEOPLE, TERMS = "organisations", "people", "terms"
# what `references` reads
REFERENCE_PARTS = (*TEXT_PARTS, "decree.authority", "decree.signatory", "decree.control", "decree.legal_basis",
                   ORGS, PEOPLE, TERMS, "roadmap.glossary", "roadmap.executor", "specification.executor",
                   *(f"{document}.approved_by" for document in ("programme_document", "roadmap", "budget", "indicators",
                                                                 "specification")))


def references(ctx: CheckContext) -> Iterator[Reference]:
    """Every id the spec uses to name an organisation, a person or a term."""
    programme = ctx.programme
    decree = programme.decree
    if decree:
        yield decree, ("authority",), decree.authority, (ORGS,)
        if decree.signatory:
            yield decree, ("signatory",), decree.signatory, (PEOPLE,)
        if decree.control:
            yield decree, ("control",), decree.control, (PEOPLE,)
    for clause in all_clauses(decree_clauses(programme)):
        for index, ref in enumerate(clause.responsible):
            yield clause, ("responsible", index), ref, (PEOPLE, ORGS)
    for amendment in programme.amendments.values():
        if amendment.signatory:
            yield amendment, ("signatory",), amendment.signatory, (PEOPLE,)
    acts = list(decree.legal_basis.values()) if decree else []
    acts += [act for amendment in programme.amendments.values() for act in amendment.legal_basis.values()]
    acts += [document.approved_by for document in (programme.programme_document, programme.roadmap, programme.budget,
                                                   programme.indicators, programme.specification)
             if document is not None and document.approved_by is not None]
    for act in acts:
        if act.issuer in programme.organisations:  # otherwise it is the issuer's name written out
            yield act, ("issuer",), act.issuer, (ORGS,)
    for person in programme.people.values():
        if person.organisation:
            yield person, ("organisation",), person.organisation, (ORGS,)
    if programme.roadmap:
        for index, ref in enumerate(programme.roadmap.glossary):
            yield programme.roadmap, ("glossary", index), ref, (ORGS, TERMS)
        if programme.roadmap.executor:
            yield programme.roadmap, ("executor",), programme.roadmap.executor, (ORGS, PEOPLE)
        for activity in programme.roadmap.all_activities():
            for owner in activity.owners:
                if not owner.implied:       # the executor's, named once above
                    yield owner, ("org",), owner.org, (ORGS, PEOPLE)
    if programme.specification and programme.specification.executor:
        yield programme.specification, ("executor",), programme.specification.executor, (ORGS,)
    if programme.budget:
        for line in programme.budget.lines:
            if line.recipient:
                yield line, ("recipient",), line.recipient, (ORGS,)
    for table in programme.tables.values():
        columns = [index for index, column in enumerate(table.columns) if column.type == "organisation"]
        for row in table.rows:
            for index in columns:
                cell = row.cells[index] if row.group is None and index < len(row.cells) else None
                if isinstance(cell, str) and cell.strip():
                    yield row, row.cell_field(index), cell, (ORGS,)
    for content in document_contents(programme):
        if isinstance(content, PassportRow):
            for index, ref in enumerate(content.organisations or []):
                yield content, ("organisations", index), ref, (ORGS,)
    for target, field, text in ctx.texts:
        try:
            names = placeholders(text)
        except DiagnosticError:
            continue
        for name, _, _ in names:
            parts = name.split(".")
            if parts[0] in ("people", "orgs") and len(parts) > 1:
                yield target, field, parts[1], (PEOPLE,) if parts[0] == "people" else (ORGS,)


def _defined(programme: Programme, kinds: tuple[str, ...], ref: str) -> bool:
    return any(ref in getattr(programme, kind) for kind in kinds)


@check("O301", "unknown-reference", reads=REFERENCE_PARTS, guards=(
    "документ называет исполнителей, подписанта и контролирующего по справочнику, и того, кого в нём нет, "
    "назвать нечем — документ не собрать"))
def unknown_reference(ctx: CheckContext):
    """Каждый исполнитель, подписант и контролирующий определён в справочнике.

    Имена и наименования не перепечатываются: в строке дорожной карты, в
    подписи и в пункте о контроле стоит id из organisations или people.
    Опечатка в id — ссылка в никуда, и проверка её находит.

    Плохо:
        owners: [iro, cmoko-typo]
    Хорошо:
        owners: [iro, cmoko]
    """
    programme = ctx.programme
    for target, field, ref, kinds in references(ctx):
        if not _defined(programme, kinds, ref) and ref not in ctx.model.unbuilt.ids:
            where = " или ".join({ORGS: "organisations", PEOPLE: "people", TERMS: "terms"}[k] for k in kinds)
            known = sorted(k for kind in kinds for k in getattr(programme, kind))
            yield Finding(target, f"«{ref}» не определён в {where}",
                          f"добавьте «{ref}» в {where} или исправьте id; известные: {', '.join(known[:12])}",
                          field=field)


@check("O302", "duplicate-owner", reads=("roadmap.sections", "roadmap.activities"), targets=(Owner,))
def duplicate_owner(ctx: CheckContext):
    """Один исполнитель указан в строке один раз.

    Повтор исполнителя в строке — след копирования; если у исполнителя
    несколько результатов, они перечисляются в его `result` списком.

    Плохо:
        owners: [{org: iro, result: Консультации}, {org: iro, result: Наставничество}]
    Хорошо:
        owners: [{org: iro, result: [Консультации, Наставничество]}]
    """
    roadmap = ctx.programme.roadmap
    if roadmap is None:
        return
    for activity in roadmap.all_activities():
        seen: set[str] = set()
        for owner in activity.owners:
            if owner.org in seen:
                yield Finding(owner, f"исполнитель «{owner.org}» уже указан в мероприятии {activity.number}",
                              "объедините результаты в одном исполнителе: result: [… , …]", field="org")
            seen.add(owner.org)


@check("O303", "unused-entry", Severity.WARNING, reads_whole=REFERENCE_PARTS,
       targets=(Organisation, Person, Term))
def unused_entry(ctx: CheckContext):
    """Каждая запись справочника используется.

    Организация, человек или сокращение, на которые ничто не ссылается, —
    признак опечатки в ссылке или забытой строки. Сокращение из перечня перед
    таблицей должно встречаться в таблице.

    Плохо:
        terms: {rip: {short: РИП, full: региональная инновационная площадка}}   # РИП нигде нет
    Хорошо:
        terms: {}   # или РИП встречается в тексте дорожной карты
    """
    programme = ctx.programme
    used = {ref for _, _, ref, _ in references(ctx)}
    in_glossary = set(programme.roadmap.glossary) if programme.roadmap else set()
    owning = {o.org for a in programme.roadmap.all_activities() for o in a.owners} if programme.roadmap else set()
    roadmap_text = _roadmap_text(ctx)
    for kind in (ORGS, PEOPLE, TERMS):
        for key, entry in getattr(programme, kind).items():
            if key in in_glossary:
                if key not in owning and entry.short not in roadmap_text:
                    yield Finding(entry, f"сокращение «{entry.short}» есть в перечне, но не встречается в таблице",
                                  "уберите его из roadmap.glossary или используйте в тексте", key=True, field="short")
            elif key not in used:
                label = getattr(entry, "short", None) or f"{entry.initials} {entry.surname}"
                yield Finding(entry, f"«{label}» ({key}) нигде не используется",
                              "удалите запись или сошлитесь на неё по id", key=True,
                              field="short" if kind != PEOPLE else "surname")


def _roadmap_text(ctx: CheckContext) -> str:
    programme = ctx.programme
    if programme.roadmap is None:
        return ""
    roadmap = programme.roadmap
    # by identity: `target in a.owners` compared every text's object field by field with every owner
    in_table = {id(a) for a in roadmap.all_activities()} | {id(o) for a in roadmap.all_activities() for o in a.owners}
    sites = [text for target, _, text in ctx.texts if id(target) in in_table]
    return "\n".join(sites)


@check("O304", "no-owner", reads=("roadmap.sections", "roadmap.activities"), targets=(Activity,))
def no_owner(ctx: CheckContext):
    """У каждого мероприятия есть ответственный исполнитель.

    Мероприятие без исполнителя никто не выполнит, и его не увидит ни один
    календарь организации.

    Если все мероприятия выполняет один исполнитель (в документе — строка
    «Исполнитель: …» вместо столбца), он пишется один раз: roadmap.executor.

    Плохо:
        - {id: monitoring, title: Мониторинг, time: Март, owners: []}
    Хорошо:
        - {id: monitoring, title: Мониторинг, time: Март, owners: [cmoko]}
    """
    roadmap = ctx.programme.roadmap
    if roadmap is None:
        return
    for activity in roadmap.all_activities():
        if not activity.owners:
            yield Finding(activity, f"у мероприятия {activity.number} «{formats.shortened(activity.title)}» нет исполнителя",
                          "добавьте owners: [id организации] или roadmap.executor, если исполнитель у всех мероприятий один",
                          field="owners")
