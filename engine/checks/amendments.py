"""Amendments: every change since the signed version is in an amending decree, and they agree with each other.

The amendments of a programme (`amendments:`) are replayed backwards from the current spec
(`engine.model.edition.amendment_editions`): undoing the last one must find the text it says it
wrote, and so on back to the first, whose «before» is the signed edition as the amendments
tell it. With `decree.revision`, that is compared with the signed edition git holds.
A603 and A604 compare whole printed documents, so they declare no parts: they run only on a
programme that built completely (a row left out would read as a row removed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from engine import formats
from engine.checks.registry import CheckContext, Finding, check
from engine.diagnostics import Severity
from engine.model.amending import unit_name
from engine.model.edition import (
    PART,
    AmendmentEditions,
    Edition,
    Misfit,
    Unit,
    differences,
    edition_of,
    unit_at,
)
from engine.model.grammar import gender_of
from engine.model.spec import Amendment, AmendmentChange, Decree

_DOCUMENT_WORDS = {"decree": "", "roadmap": " дорожной карты", "budget": " сметы", "indicators": " показателей",
                   "specification": " технического задания"}
# a printed cell → the key of the spec object it is printed from
_SPEC_FIELDS = {"activity": "title", "text": "text", "amount": "amount", "target": "target"}


def _owner_of(ctx: CheckContext) -> dict[int, str]:
    return {id(change): amendment_id for amendment_id, amendment in ctx.programme.amendments.items()
            for change in amendment.changes}


def _touched_later(ctx: CheckContext, misfit: Misfit) -> bool:
    """Whether an amendment after the misfit's own changes the same unit."""
    owner = _owner_of(ctx)[id(misfit.change)]
    ids = list(ctx.programme.amendments)
    later = ids[ids.index(owner) + 1:]
    return any(change.document == misfit.change.document and misfit.address in (change.item, *(change.renumber or {}).values())
               for amendment_id in later for change in ctx.programme.amendments[amendment_id].changes
               if change is not misfit.change)


def _place(document: str, address: str, edition: Edition, unit: Unit | None = None) -> tuple[str, str]:
    """«строка 3 дорожной карты», «пункт 5», «строка «Итого» сметы» — numbered as the spec is now when the unit
    is printed from it; and the gender of its noun."""
    unit = unit or unit_at(edition, document, address)
    number = getattr(unit.source, "number", None) if unit is not None else None
    if unit is not None and number and unit.kind != PART:
        unit = replace(unit, address=number)
    name = unit_name(document, unit) if unit is not None else f"пункт (строка) {address}"
    head, _, rest = name.partition(" ")
    if rest.startswith("«") and rest.endswith("»"):
        rest = f"«{formats.shortened(rest[1:-1], 60)}»"
    return f"{head} {rest}".strip() + _DOCUMENT_WORDS[document], gender_of(head)


def _participle(stem: str, gender: str) -> str:
    """«изменён», «изменена», «изменено» (stem «изменен»)."""
    return {"femn": f"{stem}а", "neut": f"{stem}о"}.get(gender, stem.replace("ен", "ён") if stem.endswith("ен") else stem)


def _spec_field(unit: Unit, cell: str | None) -> str | None:
    """Where in the spec object a printed cell comes from (a part is a field of its document)."""
    name = unit.address if unit.kind == PART else cell
    return _SPEC_FIELDS.get(name or "", name)


def _at_source(unit: Unit | None, cell: str | None, message: str, hint: str,
               related: tuple = ()) -> Finding | None:
    if unit is None or unit.source is None:
        return None
    return Finding(unit.source, message, hint, field=_spec_field(unit, cell), related=related)


@check("A601", "amended-requisites", reads=("amendments", "decree.number", "decree.date", "decree.revision"),
       targets=(Amendment, AmendmentChange, Decree))
def amended_requisites(ctx: CheckContext):
    """Изменения не трогают номер и дату самого изменяемого документа.

    Приказ о внесении изменений меняет текст подписанного приказа и приложений,
    но не его регистрационный номер и дату: это реквизиты другого документа. Если
    номер или дату после подписанной ревизии (`decree.revision`) поменяли — значит,
    либо это опечатка, либо издан новый приказ, и это уже другая программа. И
    изменения вносятся в приказ: у программы без него (только программный
    документ) их не к чему применить.

    Плохо:
        changes:
          - {document: decree, item: number, old: "266", new: "270"}
    Хорошо:
        changes:
          - {document: decree, item: "3", field: text, old: "данного приказа", new: "настоящего приказа"}
    """
    decree = ctx.programme.decree
    for amendment_id, amendment in ctx.programme.amendments.items():
        if decree is None:
            yield Finding(amendment, f"изменение {amendment_id} некуда внести: у программы нет приказа (decree)",
                          "изменения программного документа prikaz пока не оформляет: уберите раздел amendments",
                          key=True, field="changes")
            continue
        for change in amendment.changes:
            if change.document == "decree" and change.item in ("number", "date"):
                yield Finding(change, f"изменение {amendment_id} меняет {'номер' if change.item == 'number' else 'дату'} "
                                      "изменяемого документа", "уберите это изменение: номер и дата подписанного "
                                                               "документа не изменяются", field="item")
    approved = ctx.approved_version
    if decree is None or approved is None or approved.model is None:
        return
    signed = approved.model.programme.decree
    for name, label in (("number", "номер"), ("date", "дата")):
        if getattr(decree, name) != getattr(signed, name):
            was = getattr(signed, name) if signed is not None else None
            shown = formats.date_numeric(was) if name == "date" and was else was or "не задан"
            yield Finding(decree, f"{label} документа отличается от подписанного (ревизия «{decree.revision}»: "
                                  f"{shown})", f"верните {label} как в подписанном документе", field=name)


@check("A602", "amendment-before-decree", reads=("decree.date",), reads_whole=("amendments",), targets=(Amendment,))
def amendment_before_decree(ctx: CheckContext):
    """Приказ о внесении изменений датирован не раньше изменяемого документа и предыдущих изменений.

    Изменить можно только то, что уже подписано: изменение с датой раньше
    изменяемого приказа — опечатка в дате или ссылка не на тот документ. Изменения
    перечисляются в `amendments` по порядку их подписания.

    Плохо (decree.date: 14.01.2022):
        amendments: {amendment-1: {date: 10.01.2022, …}}
    Хорошо:
        amendments: {amendment-1: {date: 10.03.2022, …}}
    """
    decree = ctx.programme.decree
    previous: tuple[str, dt.date] | None = None
    for amendment_id, amendment in ctx.programme.amendments.items():
        if amendment.date is None:
            continue
        if decree is not None and decree.date is not None and amendment.date < decree.date:
            yield Finding(amendment, f"изменение {amendment_id} датировано {formats.date_numeric(amendment.date)} — "
                                     f"раньше изменяемого документа ({formats.date_numeric(decree.date)})",
                          "проверьте дату: изменить можно только подписанный документ", field="date")
        elif previous is not None and amendment.date < previous[1]:
            yield Finding(amendment, f"изменение {amendment_id} датировано раньше предыдущего ({previous[0]}, "
                                     f"{formats.date_numeric(previous[1])})",
                          "перечисляйте изменения в порядке подписания или исправьте дату", field="date")
        previous = (amendment_id, amendment.date)


def _misfit_message(ctx: CheckContext, misfit: Misfit, editions: dict[str, AmendmentEditions]) -> str:
    amendment_id = _owner_of(ctx)[id(misfit.change)]
    place, _ = _place(misfit.change.document, misfit.address, editions[amendment_id].after, misfit.unit)
    if misfit.found is None:
        return f"{place}: такого пункта (строки) нет, а изменение {amendment_id} его называет"
    if not misfit.expected:
        return f"{place} уже есть, а изменение {amendment_id} его добавляет"
    return (f"{place}: напечатано «{formats.shortened(misfit.found, 80)}», а по изменению {amendment_id} — "
            f"«{formats.shortened(misfit.expected, 80)}»")


@check("A603", "uncovered-change", Severity.WARNING)
def uncovered_change(ctx: CheckContext):
    """Каждое изменение подписанного документа оформлено приказом о внесении изменений.

    Подписанный приказ не переиздают: правка дорожной карты или сметы после
    подписания (ревизия git в `decree.revision`) требует приказа «О внесении
    изменений…». Проверка сравнивает текст, каким его оставляют изменения из
    `amendments`, с текущим и с подписанным; расхождение — правка, которую ещё не
    оформили. Оформить её: `prikaz amend <папка> --since <ревизия>`.

    Плохо (изменение amendment-1 переносит срок строки 3 на апрель):
        time: Май
    Хорошо:
        time: Апрель
    """
    replayed = ctx.amendment_editions
    by_id = {entry.amendment: entry for entry in replayed}
    hint = "оформите изменение: prikaz amend <папка программы> --since <ревизия последнего подписанного текста>"
    for entry in replayed:
        for misfit in entry.misfits:
            if _touched_later(ctx, misfit):
                continue
            message = _misfit_message(ctx, misfit, by_id)
            where_told = ((misfit.change, "new" if misfit.change.new is not None else "item",
                           f"по изменению {_owner_of(ctx)[id(misfit.change)]}"),)
            yield _at_source(misfit.unit, misfit.change.field, message, hint, where_told) or Finding(
                misfit.change, message, hint, field="new" if misfit.change.new is not None else "item")
    approved, decree = ctx.approved_version, ctx.programme.decree
    if approved is None or approved.model is None or decree is None:
        return
    signed = edition_of(approved.model)
    told = replayed[0].before if replayed else edition_of(ctx.model)
    for change in differences(signed, told):
        if change.get("renumber"):
            continue                   # follows from an addition or a removal, reported by itself
        document = change["document"]
        if "added" in change:
            unit = unit_at(told, document, change["item"])
            stem, cell = "добавлен", None
        else:
            was = unit_at(signed, document, change["item"])
            unit = next((u for u in told.get(document, []) if was is not None and "removed" not in change and (
                (was.key and u.key == was.key) or (not was.key and u.address == was.address))), None)
            stem, cell = ("исключен" if "removed" in change else "изменен"), change.get("field")
        name, gender = _place(document, change["item"], signed if "added" not in change else told, unit)
        message = (f"{name} {_participle(stem, gender)} после подписания (ревизия «{decree.revision}»), и это не "
                   "оформлено приказом о внесении изменений")
        yield _at_source(unit, cell, message, hint) or Finding(decree, message, hint, field="revision")


@check("A604", "conflicting-amendments", targets=(AmendmentChange,))
def conflicting_amendments(ctx: CheckContext):
    """Два изменения одного пункта или строки не противоречат друг другу.

    Каждое следующее изменение исходит из текста, каким его оставило предыдущее:
    если изменение amendment-1 заменило «Март» на «Апрель», то amendment-2 может
    заменить «Апрель» на «Май», но не «Март» на «Май» — так текст одного из
    подписанных приказов расходится с действующей редакцией.

    Плохо:
        amendment-1: {changes: [{document: roadmap, item: "3", field: time, old: Март, new: Апрель}]}
        amendment-2: {changes: [{document: roadmap, item: "3", field: time, old: Март, new: Май}]}
    Хорошо:
        amendment-1: {changes: [{document: roadmap, item: "3", field: time, old: Март, new: Апрель}]}
        amendment-2: {changes: [{document: roadmap, item: "3", field: time, old: Апрель, new: Май}]}
    """
    replayed = ctx.amendment_editions
    by_id = {entry.amendment: entry for entry in replayed}
    for entry in replayed:
        for misfit in entry.misfits:
            if _touched_later(ctx, misfit):
                yield Finding(misfit.change, _misfit_message(ctx, misfit, by_id) + "; более позднее изменение "
                                                                                   "исходит из другого текста",
                              "согласуйте изменения: «old» следующего — это «new» предыдущего", field="old")


@check("A605", "amendment-unfilled", Severity.WARNING, reads=("amendments",), targets=(Amendment,))
def amendment_unfilled(ctx: CheckContext):
    """У приказа о внесении изменений заполнены номер, дата, подписант и преамбула.

    `prikaz amend` записывает изменения, а реквизиты оставляет пустыми: их
    заполняют, когда приказ согласован и подписан. Пока они пусты, документ
    собирается как проект — с местом для номера и даты.

    Плохо:
        amendment-1: {number: ~, date: ~, preamble: ~, changes: […]}
    Хорошо:
        amendment-1: {number: "300", date: 10.03.2022, signatory: zageeva,
                      preamble: "В связи с изменением сроков мероприятий", changes: […]}
    """
    labels = {"number": "номер", "date": "дата", "signatory": "подписант", "preamble": "преамбула"}
    for amendment_id, amendment in ctx.programme.amendments.items():
        for name, label in labels.items():
            if not getattr(amendment, name):
                yield Finding(amendment, f"у изменения {amendment_id} не заполнен(а) {label}",
                              "заполните, когда приказ о внесении изменений подписан (до того он собирается как проект)",
                              field=name, key=True)
        if not amendment.changes:
            yield Finding(amendment, f"в изменении {amendment_id} нет ни одного изменения",
                          "запишите изменения командой prikaz amend или удалите его", field="changes")


@check("A606", "approved-revision", Severity.WARNING, reads=("decree.revision",), targets=(Decree,))
def approved_revision(ctx: CheckContext):
    """Ревизия с подписанным текстом (`decree.revision`) есть в git.

    По ней проверяется, что каждое изменение после подписания оформлено (A603).
    Если ревизии нет — опечатка в теге, не загружены теги (`git fetch --tags`) или
    папка не в репозитории — проверить это нельзя.

    Плохо:
        revision: v2022-подписан   # такого тега нет
    Хорошо:
        revision: v2022-266
    """
    approved, decree = ctx.approved_version, ctx.programme.decree
    if approved is not None and approved.model is None and decree is not None:
        yield Finding(decree, f"подписанную редакцию не проверить: {approved.problem}",
                      "укажите существующий тег или коммит; в CI загрузите историю с тегами (fetch-depth: 0)",
                      field="revision")

