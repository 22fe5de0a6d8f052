"""Ownership: every name is a reference to the glossary, and the glossary is all used."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import NamedTuple

from engine import formats
from engine.checks.registry import AcrossFinding, CheckContext, Finding, Sightings, check
from engine.diagnostics import DiagnosticError, Severity
from engine.model.identity import organisation_identity, shared_feed, slug
from engine.model.spec import Activity, Organisation, Owner, PassportRow, Person, Programme, SpecModel, Term
from engine.model.text import placeholders
from engine.model.walk import TEXT_PARTS, all_clauses, decree_clauses, document_contents

# (object holding the reference, path of the field, id, what it may name)
Reference = tuple[SpecModel, tuple, str, tuple[str, ...]]
ORGS, PEOPLE, TERMS = "organisations", "people", "terms"
# what `references` reads
REFERENCE_PARTS = (*TEXT_PARTS, "decree.authority", "decree.signatory", "decree.control", "decree.legal_basis",
                   ORGS, PEOPLE, TERMS, "roadmap.glossary", "roadmap.executor", "specification.executor",
                   "progress.signatory", "progress.records",
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
    progress = programme.progress
    if progress is not None:
        if progress.signatory:
            yield progress, ("signatory",), progress.signatory, (PEOPLE,)
        for record in progress.records:
            for document in (*record.evidence, record.decision):
                if document is not None and document.issuer in programme.organisations:  # else written out
                    yield document, ("issuer",), document.issuer, (ORGS,)
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


# --- one organisation across programmes ---------------------------------------------------------------

NAME_FIELDS = {"short": "краткое наименование", "full": "полное наименование"}
_QUOTES = re.compile(r"[«»„“”‟\"'‘’‚]")
_DASHES = re.compile(r"[‐‑‒–—―−-]")
_SHOWN = 3      # the other programmes a message names; the rest are counted
INN = "inn/"    # the start of an identity by ИНН (engine.model.identity)


class Naming(NamedTuple):
    """One name of an organisation in one programme: the facts of an O305 sighting."""

    field: str          # short | full
    name: str           # as written
    comparable: str     # as compared: case, ё, quotes, dashes and spaces aside
    identity: str       # engine.model.identity: «inn/<ИНН>» or «<region slug>/<id>»
    region: str         # the programme's region, as written
    org_id: str


def comparable_name(name: str) -> str:
    """«ГАУДПО ЛО «ИРО»» and «гаудпо ло "иро"» are one name; ё is е, any dash is «-», any run of spaces one."""
    text = _DASHES.sub("-", _QUOTES.sub('"', name.casefold().replace("ё", "е")))
    return " ".join(text.split())


def _compare_organisations(programmes: Sequence[Sightings]) -> Iterator[AcrossFinding]:
    """O305 over every programme: one identity, two names; one name, two identities."""
    seen = [(index, sighting, Naming(*sighting.facts))
            for index, part in enumerate(programmes) for sighting in part.seen]
    by_identity: dict[tuple, list] = {}
    by_name: dict[tuple, list] = {}
    for entry in seen:
        naming = entry[2]
        by_identity.setdefault((naming.identity, naming.field), []).append(entry)
        # names meet within one region: «ОО», «образовательная организация», «МБОУ «СОШ № 1»» name a different
        # organisation in every region, and a region is what tells organisations without an ИНН apart
        by_name.setdefault((naming.field, naming.comparable, slug(naming.region, "")), []).append(entry)
    for members in by_identity.values():
        yield from _disagreeing(programmes, members, lambda naming: naming.comparable, _named_otherwise)
    # full names first: an organisation whose full name meets another's is not told again about its short one
    told: set[tuple[int, str]] = set()
    for (field, *_), members in sorted(by_name.items(), key=lambda item: item[0][0] != "full"):
        for finding in _disagreeing(programmes, members, lambda naming: naming.identity, _same_name,
                                    apart=lambda one, other: one.startswith(INN) and other.startswith(INN)):
            organisation = (finding.programme, Naming(*finding.at.facts).org_id)
            if field == "full" or organisation not in told:
                told.add(organisation)
                yield finding


def _disagreeing(programmes: Sequence[Sightings], members: list, differ_by: Callable[[Naming], str],
                 message: Callable[[Naming, str], tuple[str, str]],
                 apart: Callable[[str, str], bool] = lambda one, other: False) -> Iterator[AcrossFinding]:
    """For each member, the members of other programmes that differ from it by `differ_by` (unless the two values
    are `apart`: known to differ rightly), as one finding."""
    buckets: dict[str, list] = {}
    for entry in members:
        buckets.setdefault(differ_by(entry[2]), []).append(entry)
    if len(buckets) < 2:
        return
    in_programme = Counter((value, index) for value, bucket in buckets.items() for index, _, _ in bucket)
    for index, sighting, naming in members:
        own = differ_by(naming)
        differing = [(value, bucket) for value, bucket in buckets.items() if value != own and not apart(own, value)]
        # counted, and only the first few listed: a thousand programmes disagreeing must not make a million pairs
        count = sum(len(bucket) - in_programme[(value, index)] for value, bucket in differing)
        if not count:
            continue
        shown = [(other, other_naming, programmes[other_index].programme)
                 for other_index, other, other_naming in islice(
                     (entry for _, bucket in differing for entry in bucket if entry[0] != index), _SHOWN)]
        listed = ", ".join(f"«{other_naming.name if message is _named_otherwise else other_naming.org_id}» "
                           f"({programme})" for _, other_naming, programme in shown)
        if count > len(shown):
            listed += f" и ещё {count - len(shown)}"
        text, hint = message(naming, listed)
        yield AcrossFinding(index, sighting, text, hint, tuple(
            (other, f"в программе {programme}: {other.label}") for other, _, programme in shown))


def _who(naming: Naming) -> str:
    if naming.identity.startswith(INN):
        return f"с ИНН {naming.identity.removeprefix(INN)}"
    return f"«{naming.org_id}» региона «{naming.region}»"


def _named_otherwise(naming: Naming, listed: str) -> tuple[str, str]:
    return (f"{NAME_FIELDS[naming.field]} организации {_who(naming)} — «{naming.name}», а в других программах она "
            f"названа иначе: {listed}; её сроки из всех этих программ идут в один общий календарь "
            f"{shared_feed(naming.identity)}",
            "одна организация — одно наименование: исправьте его здесь или в других программах; если это разные "
            "организации, дайте им разные id (или укажите каждой её ИНН)")


def _same_name(naming: Naming, listed: str) -> tuple[str, str]:
    return (f"{NAME_FIELDS[naming.field]} «{naming.name}» ({naming.org_id}) — такое же, как у организации в других "
            f"программах: {listed}, — а общий календарь у неё свой: {shared_feed(naming.identity)}; если это одна "
            f"организация, её сроки разойдутся по разным календарям",
            "если это одна организация, укажите ей один ИНН (inn) во всех программах или, в программах одного региона, "
            "один id; если разные — уточните наименование")


@check("O305", "organisation-identity", Severity.WARNING, reads=("programme.id", "programme.region", ORGS),
       targets=(Organisation,), across=_compare_organisations)
def organisation_identity_names(ctx: CheckContext):
    """Одна организация называется одинаково во всех программах, одно наименование — одна организация.

    Общий календарь организации собирает её сроки из всех программ по её
    ключу: ИНН, а без него — регион программы и id. Если две программы
    дают одному ключу разные наименования, в один календарь попадают,
    возможно, разные организации; если одно наименование получают два
    ключа, у одной организации два календаря, и подписчик видит только
    часть сроков. Наименования сравниваются без учёта регистра, кавычек,
    тире и пробелов; одно наименование у двух ключей ищется только в
    программах одного региона («ОО», «МБОУ СОШ № 1» есть в каждом
    регионе): организации, которая работает в нескольких регионах, укажите
    ИНН. Проверка сравнивает программы, которые проверяются вместе
    (`prikaz check specs`).

    Плохо (в другой программе Условной области iro — «ИРО УО»):
        iro: {short: ИРО, full: институт развития образования Условной области}
    Хорошо:
        iro: {short: ИРО УО, full: институт развития образования Условной области}
    """
    region = ctx.programme.programme.region
    for org_id, organisation in ctx.programme.organisations.items():
        identity = organisation_identity(region, org_id, organisation)
        for field, what in NAME_FIELDS.items():
            name = getattr(organisation, field)
            yield Finding(organisation, f"{what} «{name}» (id {org_id})", field=field,
                          facts=Naming(field, name, comparable_name(name), identity, region, org_id))
