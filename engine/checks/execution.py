"""Execution records (progress.yaml): each names what exists, a done item has its document, a change its decision."""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections.abc import Iterator

from engine import formats
from engine.checks.indicators import INDICATOR_PARTS
from engine.checks.registry import CheckContext, Finding, check
from engine.diagnostics import Severity
from engine.model.execution import (
    ItemLookup,
    Occurrence,
    PlannedItem,
    approval_day,
    moved_window,
    occurrences,
    planned_items,
    scheduled_windows,
    selected_keys,
)
from engine.model.spec import Evidence, ExecutionRecord, IndicatorActual, Programme
from engine.model.timeexpr import Period, Window
from engine.model.walk import TIMED_PARTS, all_clauses, decree_clauses

# what the plan's items are made of (engine.model.execution.planned_items): their deadlines, who answers for them
ITEM_PARTS = (*TIMED_PARTS, "specification.executor")


def _records(ctx: CheckContext) -> list[ExecutionRecord]:
    progress = ctx.programme.progress
    return progress.records if progress is not None else []


def _undated_ids(programme: Programme) -> dict[str, str]:
    """Ids of clauses and specification items that have no deadline: what a record may not name."""
    found = {}
    found.update({f"decree.{clause.id}": f"пункт {clause.number} приказа" for clause in all_clauses(
        decree_clauses(programme)) if clause.id and clause.deadline is None})
    if programme.specification is not None:
        found.update({f"specification.{item.id}": f"пункт {item.number} технического задания"
                      for item in programme.specification.items if item.time is None})
    return found


def _resolved(ctx: CheckContext) -> Iterator[tuple[ExecutionRecord, PlannedItem]]:
    """Each record that names exactly one item, with that item."""
    lookup = ItemLookup.of(planned_items(ctx.programme))
    for record in _records(ctx):
        found = lookup.find(record.item)
        if len(found) == 1:
            yield record, found[0]


@check("V701", "unknown-item", reads=("progress.records", "progress.actuals", *ITEM_PARTS, *INDICATOR_PARTS),
       targets=(ExecutionRecord, IndicatorActual))
def unknown_item(ctx: CheckContext):
    """Запись об исполнении называет существующий пункт плана со сроком, показатель — существующий показатель.

    Запись с опечаткой в id ни к чему не относится: мероприятие в отчёте
    останется невыполненным, а запись — незамеченной. Исполнение отмечается
    для мероприятий дорожной карты, пунктов технического задания и пунктов
    приказа со сроком; если один id есть в двух документах, запись уточняет
    документ: `roadmap.<id>`, `specification.<id>`, `decree.<id>`.

    Плохо:
        records: [{item: monitoring-typo, status: выполнено, date: 30.03.2022, …}]
    Хорошо:
        records: [{item: monitoring, status: выполнено, date: 30.03.2022, …}]
    """
    programme = ctx.programme
    items = planned_items(programme)
    lookup = ItemLookup.of(items)
    undated = _undated_ids(programme)
    known = sorted({*lookup.by_id, *lookup.by_ref})
    unbuilt = ctx.model.unbuilt.ids      # a record of an item that did not validate is not about an unknown one
    for record in _records(ctx):
        found = lookup.find(record.item)
        if not found and record.item.rsplit(".", 1)[-1] in unbuilt:
            continue
        if len(found) > 1:
            yield Finding(record, f"id «{record.item}» есть в нескольких документах: "
                                  + ", ".join(item.ref for item in found),
                          "уточните документ: " + " или ".join(f"item: {item.ref}" for item in found), field="item")
        elif not found:
            without_deadline = [label for ref, label in undated.items()
                                if ref == record.item or ref.split(".", 1)[1] == record.item]
            if without_deadline:
                yield Finding(record, f"у пункта «{record.item}» ({without_deadline[0]}) нет срока",
                              "исполнение отмечается для пунктов со сроком: добавьте срок пункту или уберите запись",
                              field="item")
                continue
            close = difflib.get_close_matches(record.item, known, n=1, cutoff=0.6)
            yield Finding(record, f"пункт «{record.item}» не найден: нет мероприятия, пункта технического задания "
                                  f"или пункта приказа со сроком с таким id",
                          (f"возможно, имелось в виду «{close[0]}»; " if close else "")
                          + "известные: " + ", ".join(known[:12]), field="item")
    indicators = {i.id for i in programme.indicators.all_items()} if programme.indicators else set()
    actuals = programme.progress.actuals if programme.progress is not None else []
    for actual in actuals:
        if actual.indicator not in indicators and actual.indicator not in unbuilt:
            close = difflib.get_close_matches(actual.indicator, sorted(indicators), n=1, cutoff=0.6)
            yield Finding(actual, f"показатель «{actual.indicator}» не найден",
                          (f"возможно, имелось в виду «{close[0]}»; " if close else "")
                          + ("известные: " + ", ".join(sorted(indicators)[:12]) if indicators
                             else "в программе нет целевых показателей (indicators)"), field="indicator")


def _window_label(window: Window) -> str:
    return (formats.date_numeric(window.start) if window.start == window.end
            else f"{formats.date_numeric(window.start)} – {formats.date_numeric(window.end)}")


@check("V702", "unknown-window", reads=("progress.records", "programme.period", "decree.date"),
       reads_whole=ITEM_PARTS, targets=(ExecutionRecord,))
def unknown_window(ctx: CheckContext):
    """Срок, названный в записи об исполнении, — один из сроков пункта.

    У повторяющегося мероприятия («ежемесячно», «Ноябрь, январь, март,
    июнь», два окна мониторинга) запись называет свой срок: `window` — срок
    на языке сроков, в который попадает окончание этого срока по плану
    («март 2022», «2022 год»). Срок, в который не попадает ни одно окончание,
    ничего не называет; у пункта без даты сроков нет вовсе.

    Плохо (time: "01.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022"):
        - {item: monitoring, window: "август 2022", status: выполнено, …}
    Хорошо:
        - {item: monitoring, window: "ноябрь 2022", status: выполнено, …}
    """
    period = ctx.period
    approved = approval_day(ctx.programme)
    for record, item in _resolved(ctx):
        if record.window is None:
            continue
        if not item.expr.dated:
            yield Finding(record, f"у пункта «{record.item}» нет даты («{item.expr.text}»), а запись называет срок",
                          "уберите window: запись о пункте без даты относится к пункту целиком", field="window")
            continue
        windows = scheduled_windows(item.expr, period, approved)
        if not selected_keys(record, windows, period):
            listed = "; ".join(f"{_window_label(window)}" for _, window in windows[:6])
            yield Finding(record, f"срок «{record.window.text}» не называет ни одного срока пункта «{record.item}» "
                                  f"(«{item.expr.text}»)",
                          f"укажите срок, в который попадает окончание нужного срока по плану; сроки пункта: {listed}"
                          + (" …" if len(windows) > 6 else ""), field="window")


@check("V703", "done-without-evidence", Severity.WARNING, reads=("progress.records",),
       targets=(ExecutionRecord, Evidence))
def done_without_evidence(ctx: CheckContext):
    """Выполненное подтверждено документом: вид и дата — или ссылка.

    «Выполнено» в отчёте, который подписывают и отправляют наверх, всегда
    опирается на документ: приказ, протокол, справку, отчёт или публикацию.
    Документ без вида и даты и без ссылки найти нельзя.

    Плохо:
        - {item: normative-base, status: выполнено, date: 15.03.2022}
    Хорошо:
        - {item: normative-base, status: выполнено, date: 15.03.2022,
           evidence: [{kind: приказ, number: "210", date: 15.03.2022}]}
    """
    for record in _records(ctx):
        if record.status != "выполнено":
            continue
        if not record.evidence:
            yield Finding(record, f"«{record.item}» отмечено выполненным без подтверждающего документа",
                          "добавьте evidence: [{kind: приказ, number: …, date: …}] или ссылку «https://…»",
                          field="status")
        for evidence in record.evidence:
            if not evidence.names_a_document:
                yield Finding(evidence, "по этому описанию документ не найти: нет вида и даты или ссылки",
                              "укажите kind и date (и number) документа или link")


@check("V704", "done-off-schedule", Severity.WARNING, reads=("progress.records", "programme.period", "decree.date"),
       reads_whole=ITEM_PARTS, targets=(ExecutionRecord,))
def done_off_schedule(ctx: CheckContext):
    """Выполнено не раньше приказа и не позже срока — или сказано почему.

    Дата выполнения раньше даты приказа или позже срока (с учётом переноса
    по решению) — либо опечатка в дате, либо отступление от плана, которое
    в отчёте объясняют: причина пишется в `reason` и печатается в графе
    «Информация об исполнении».

    Плохо (срок — март 2022):
        - {item: school-programmes-review, status: выполнено, date: 12.04.2022, evidence: […]}
    Хорошо:
        - {item: school-programmes-review, status: выполнено, date: 12.04.2022, evidence: […],
           reason: "программы двух школ поступили после 31.03.2022"}
    """
    programme = ctx.programme
    approved = approval_day(programme)
    reported: set[int] = set()
    for occurrence in occurrences(programme):
        for record in occurrence.records:
            if record.status != "выполнено" or record.reason or id(record) in reported:
                continue
            deadline = _deadline_on(occurrence, record, ctx.period)
            if approved is not None and record.date < approved:
                reported.add(id(record))
                yield Finding(record, f"«{record.item}» выполнено {formats.date_numeric(record.date)}, раньше даты "
                                      f"приказа {formats.date_numeric(approved)}",
                              "исправьте дату или напишите reason: почему работа выполнена до приказа", field="date")
            elif deadline is not None and record.date > deadline:
                reported.add(id(record))
                yield Finding(record, f"«{record.item}» выполнено {formats.date_numeric(record.date)}, позже срока "
                                      f"{formats.date_numeric(deadline)}",
                              "исправьте дату или напишите reason: почему срок нарушен", field="date",
                              related=((occurrence.item.target, _time_field(occurrence), "срок по плану"),))


def _time_field(occurrence: Occurrence) -> str:
    return "deadline" if occurrence.item.document == "decree" else "time"


def _deadline_on(occurrence: Occurrence, record: ExecutionRecord, period: Period) -> dt.date | None:
    """The deadline in force on the day `record` was made: the planned one, or the last new deadline decided by then
    (a move decided later does not excuse a late completion)."""
    window = occurrence.planned
    for earlier in occurrence.records:
        if earlier.date > record.date:
            break
        if earlier.new_deadline is not None:
            window = moved_window(occurrence.planned, earlier.new_deadline, period)
    return window.end if window is not None else None


@check("V705", "change-without-decision", reads=("progress.records", "programme.period"),
       targets=(ExecutionRecord, Evidence))
def change_without_decision(ctx: CheckContext):
    """Перенос и отмена — по решению: у переноса есть новый срок и решение, у отмены — решение.

    Срок из утверждённого плана меняет только документ того же уровня:
    приказ, протокол рабочей группы, письмо, согласованное с органом. Без
    решения перенос — просто просрочка; без нового срока непонятно, к чему
    готовиться. Новый срок — один срок на языке сроков («до 30 апреля 2022
    года», «май 2022»), а не повторяющийся.

    Плохо:
        - {item: school-programmes-review, status: перенесено, date: 25.03.2022, new_deadline: "до 30 апреля 2022 года"}
    Хорошо:
        - {item: school-programmes-review, status: перенесено, date: 25.03.2022, new_deadline: "до 30 апреля 2022 года",
           decision: {kind: приказ, number: "301", date: 25.03.2022}}
    """
    period = ctx.period
    for record in _records(ctx):
        if record.status == "перенесено" and record.new_deadline is None:
            yield Finding(record, f"перенос «{record.item}» без нового срока",
                          "добавьте new_deadline: новый срок на языке сроков, например «до 30 апреля 2022 года»",
                          field="status")
        if (record.new_deadline is not None or record.status in ("перенесено", "отменено")) and record.decision is None:
            what = "отмена" if record.status == "отменено" else "перенос"
            yield Finding(record, f"{what} «{record.item}» без решения",
                          "добавьте decision: {kind: приказ, number: …, date: …} — документ, которым принято решение",
                          field="new_deadline" if record.new_deadline is not None else "status")
        if record.decision is not None and not record.decision.names_a_document:
            yield Finding(record.decision, "по этому описанию решение не найти: нет вида и даты или ссылки",
                          "укажите kind и date (и number) документа или link")
        if record.new_deadline is not None and len(record.new_deadline.windows(period)) > 1:
            yield Finding(record, f"новый срок «{record.new_deadline.text}» — несколько сроков, а нужен один",
                          "укажите один срок с годом: «до 30 апреля 2022 года», «май 2022»", field="new_deadline")


@check("V706", "duplicate-record", reads=("programme.period", "decree.date"),
       reads_whole=("progress.records", "progress.actuals", *ITEM_PARTS, *INDICATOR_PARTS),
       targets=(ExecutionRecord, IndicatorActual))
def duplicate_record(ctx: CheckContext):
    """Одна запись на срок пункта и дату, одно значение на показатель и дату.

    Две записи об одном и том же сроке с одной датой (или два значения
    показателя на одну отчётную дату) противоречат друг другу: какая из них
    верна, отчёт решить не может. Фактическое значение за год из
    indicators.yaml (`actual: {2022: …}`) — это значение на 31 декабря
    того года: в progress.yaml на эту дату его не повторяют.

    Плохо:
        - {item: monitoring, window: "июнь 2022", status: выполнено, date: 27.06.2022, …}
        - {item: monitoring, window: "июнь 2022", status: выполняется, date: 27.06.2022}
    Хорошо:
        - {item: monitoring, window: "июнь 2022", status: выполнено, date: 27.06.2022, …}
    """
    period = ctx.period
    approved = approval_day(ctx.programme)
    seen: dict[tuple[str, str, object], ExecutionRecord] = {}
    for record, item in _resolved(ctx):
        keys = selected_keys(record, scheduled_windows(item.expr, period, approved), period) \
            if item.expr.dated else [""]
        for key in keys:
            first = seen.setdefault((item.ref, key, record.date), record)
            if first is not record:
                yield Finding(record, f"вторая запись о «{record.item}» на {formats.date_numeric(record.date)}",
                              "оставьте одну запись на срок и дату", field="date",
                              related=((first, "date", "первая запись"),))
                break
    progress = ctx.programme.progress
    actuals = progress.actuals if progress is not None else []
    indicators = {item.id: item for item in ctx.programme.indicators.all_items()} if ctx.programme.indicators else {}
    for (indicator, date), group in itertools.groupby(sorted(actuals, key=lambda a: (a.indicator, a.date)),
                                                      key=lambda a: (a.indicator, a.date)):
        earliest, *others = list(group)
        for other in others:
            yield Finding(other, f"второе значение показателя «{indicator}» на {formats.date_numeric(date)}",
                          "оставьте одно значение на отчётную дату", field="date",
                          related=((earliest, "date", "первое значение"),))
        yearly = indicators.get(indicator)
        if yearly is not None and (date.month, date.day) == (12, 31) and date.year in yearly.actual:
            yield Finding(earliest, f"значение показателя «{indicator}» на {formats.date_numeric(date)} уже записано "
                                    f"как факт за {date.year} год в indicators.yaml",
                          f"оставьте одно: факт за год — в indicators.yaml (actual: {{{date.year}: …}}), "
                          "значения на другие отчётные даты — в progress.yaml", field="date",
                          related=((yearly, ("actual", date.year), f"факт за {date.year} год"),))
