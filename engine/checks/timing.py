"""Time: every date inside the programme, after what it rests on, in dependency order."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right

from engine import formats
from engine.checks.registry import CheckContext, Finding, check
from engine.diagnostics import Severity
from engine.model.spec import (
    MAX_EVENTS,
    MAX_PERIOD_YEARS,
    Activity,
    ActRef,
    Clause,
    Decree,
    ProgrammeInfo,
    Specification,
    SpecItem,
    SpecModel,
)
from engine.model.timeexpr import TimeExpr
from engine.model.walk import TIMED_PARTS, clause_deadlines, timed_items
from engine.model.workdays import day_with_weekday, nearest_working_days, why_not_working

TIMED = (Clause, Activity, SpecItem, Specification)


def _label(target: SpecModel) -> str:
    number = getattr(target, "number", "")
    return f"пункт {number}" if number else "срок"


@check("T201", "outside-period", reads=("programme.period", *TIMED_PARTS), targets=TIMED)
def outside_period(ctx: CheckContext):
    """Сроки лежат внутри периода программы.

    Программа на 2022 год не может планировать работу на 2023: это либо
    опечатка в годе, либо неверный период программы. Отчёт о последнем
    квартале («ежеквартально до 5 числа месяца, следующего за отчётным
    кварталом»), который сдаётся уже в январе следующего года, — не ошибка:
    он о квартале периода.

    Плохо (period: "2022"):
        time: "Март-декабрь 2023"
    Хорошо:
        time: "Март-декабрь 2022"
    """
    period = ctx.period
    for target, field, expr in timed_items(ctx.programme):
        for window in expr.planned_windows(period):
            if window.start < period.start or window.end > period.end:
                yield Finding(
                    target, f"{_label(target)}: срок «{expr.text}» ({formats.date_numeric(window.start)} – "
                            f"{formats.date_numeric(window.end)}) выходит за период программы "
                            f"{formats.date_numeric(period.start)} – {formats.date_numeric(period.end)}",
                    "исправьте год в сроке или период программы в programme.yaml", field=field)
                break


@check("T202", "before-legal-basis", reads=(
    "programme.period", "decree.date", "decree.legal_basis", "decree.clauses"), targets=(ActRef, Clause))
def before_legal_basis(ctx: CheckContext):
    """Документ и его сроки не раньше актов, на которых он основан.

    Приказ не может ссылаться на акт, изданный позже него, а срок исполнения
    не может наступить раньше акта, который его устанавливает.

    Плохо (decree.date: 03.02.2020):
        legal_basis: {budget-order: {kind: распоряжение, issuer: комитета, date: 25.12.2020, number: 2778-р}}
    Хорошо:
        legal_basis: {budget-order: {kind: распоряжение, issuer: комитета, date: 25.12.2019, number: 2778-р}}
    """
    decree = ctx.programme.decree
    if decree is None or not decree.legal_basis:
        return
    for act in decree.legal_basis.values():
        if decree.date is not None and act.date > decree.date:
            yield Finding(act, f"акт № {act.number} от {formats.date_numeric(act.date)} издан позже документа "
                               f"({formats.date_numeric(decree.date)})",
                          "проверьте дату акта или дату документа", field="date",
                          related=((decree, "date", "дата документа"),))
    latest = max(decree.legal_basis.values(), key=lambda a: a.date)
    for target, field, expr in clause_deadlines(decree.clauses):
        last = expr.last_day(ctx.period)
        if last is not None and last < latest.date:
            yield Finding(target, f"срок «{expr.text}» раньше акта № {latest.number} от "
                                  f"{formats.date_numeric(latest.date)}, на котором основан документ",
                          "исправьте срок: он не может наступить раньше основания", field=field,
                          related=((latest, "date", f"дата акта № {latest.number}"),))


@check("T203", "retroactive", Severity.WARNING, reads=("programme.period", "decree.date", *TIMED_PARTS),
       targets=TIMED)
def retroactive(ctx: CheckContext):
    """Срок не истекает раньше даты самого документа.

    Поручение со сроком, который уже прошёл в день подписания, выполнить
    нельзя: чаще всего это опечатка в дате. Если документ закрепляет уже
    выполненную работу, отключите проверку на этом пункте с причиной.

    Плохо (decree.date: 03.02.2020):
        deadline: "до 01 февраля 2020 года"
    Хорошо:
        deadline: "до 10 февраля 2020 года"
    """
    decree = ctx.programme.decree
    if decree is None or decree.date is None:
        return
    decree_date = decree.date
    for target, field, expr in timed_items(ctx.programme):
        last = expr.last_day(ctx.period)
        if last is not None and last < decree_date:
            yield Finding(target, f"{_label(target)}: срок «{expr.text}» истекает {formats.date_numeric(last)}, "
                                  f"раньше даты документа {formats.date_numeric(decree_date)}",
                          "исправьте срок; если работа уже выполнена, добавьте silence: {T203: причина}", field=field,
                          related=((decree, "date", "дата документа"),))


@check("T204", "dependency-order", reads=("programme.period", "roadmap.sections", "roadmap.activities"),
       targets=(Activity,))
def dependency_order(ctx: CheckContext):
    """Мероприятие начинается после тех, от которых зависит, — каждый раз.

    Заседание рабочей группы пользуется справкой по итогам мониторинга,
    поэтому каждое заседание должно идти после очередного мониторинга:
    k-е окно мероприятия начинается не раньше дня, в который закончилось
    k-е окно того, от которого оно зависит (в тот же день — можно: справку
    сдают утром, заседают днём). Зависимость от самого себя или по кругу —
    тоже ошибка.

    Плохо:
        - {id: monitoring, time: "01.06.2022 – 27.06.2022", …}
        - {id: meeting, time: "20.06.2022 – 22.06.2022", depends_on: [monitoring], …}
    Хорошо:
        - {id: monitoring, time: "01.06.2022 – 27.06.2022", …}
        - {id: meeting, time: "28.06.2022 – 30.06.2022", depends_on: [monitoring], …}
    """
    roadmap = ctx.programme.roadmap
    if roadmap is None:
        return
    activities = {a.id: a for a in roadmap.all_activities()}
    component = _cycles(activities)
    windows: dict[str, tuple[list, list]] = {}   # id → (windows, their ends sorted): each asked for once

    def windows_of(activity) -> tuple[list, list]:
        if activity.id not in windows:
            found = activity.time.windows(ctx.period)
            windows[activity.id] = found, sorted(window.end for window in found)
        return windows[activity.id]

    for activity in activities.values():
        for index, dependency_id in enumerate(activity.depends_on):
            dependency = activities.get(dependency_id)
            if dependency_id == activity.id or (dependency is not None and component[dependency_id] == component[activity.id]):
                yield Finding(activity, f"мероприятие {activity.number} зависит само от себя (через «{dependency_id}»)",
                              "уберите одну из зависимостей в цикле", field=("depends_on", index))
                continue
            if dependency is None:
                continue
            before, ends = windows_of(dependency)
            after, _ = windows_of(activity)
            # the k-th window needs k + 1 of the dependency's windows finished (all of them from the last on);
            # windows come sorted by start, so once all are finished before one window they are before the next
            for k, window in enumerate(after[:len(before)]):
                finished = bisect_right(ends, window.start)   # windows that end by the day this one starts
                if finished < k + 1:
                    yield Finding(
                        activity, f"мероприятие {activity.number} ({formats.date_numeric(window.start)}) начинается "
                                  f"раньше, чем завершится мероприятие {dependency.number}, от которого оно зависит",
                        "сдвиньте сроки или уберите зависимость depends_on", field="time",
                        related=((dependency, "time", f"срок мероприятия {dependency.number}"),))
                    break


def _cycles(activities: dict) -> dict[str, int]:
    """The strongly connected component of every activity along depends_on (Tarjan's algorithm, without
    recursion): a dependency lies on a cycle exactly when it is in the component of its dependent.
    Linear in activities and dependencies, however densely they depend on each other."""
    component: dict[str, int] = {}
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    path: list[str] = []
    on_path: set[str] = set()
    for root in activities:
        if root in order:
            continue
        stack = [(root, iter(activities[root].depends_on))]
        order[root] = low[root] = len(order)
        path.append(root)
        on_path.add(root)
        while stack:
            node, edges = stack[-1]
            for target in edges:
                if target not in activities:
                    continue
                if target not in order:
                    order[target] = low[target] = len(order)
                    path.append(target)
                    on_path.add(target)
                    stack.append((target, iter(activities[target].depends_on)))
                    break
                if target in on_path:
                    low[node] = min(low[node], order[target])
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == order[node]:
                    while True:
                        member = path.pop()
                        on_path.discard(member)
                        component[member] = order[node]
                        if member == node:
                            break
    return component




BOUNDS = "без предела одна опечатка в периоде или сроке даёт сборку в сотни мегабайт; нужен больший — поднимите programme.limits"


@check("T205", "period-too-long", reads=("programme.period", "programme.limits"), targets=(ProgrammeInfo,), guards=BOUNDS)
def period_too_long(ctx: CheckContext):
    """Период программы не длиннее её предела (по умолчанию 10 лет).

    Опечатка в годе («1900–2100» вместо «2021–2024») растягивает каждое
    ежегодное и ежемесячное мероприятие на двести лет: тысячи событий в
    календарях и документы на сотни мегабайт. Программа, которая в самом
    деле длиннее, поднимает предел: `programme.limits.period_years`.

    Плохо:
        period: "1900–2100"
    Хорошо:
        period: "2021–2024"
    """
    period, limit = ctx.period, ctx.programme.programme.limits.period_years
    years = len(period.years)
    if years > limit:
        raise_it = (f"; если программа в самом деле такая длинная, поднимите предел в programme.yaml: "
                    f"limits: {{period_years: {years}}}" if years <= MAX_PERIOD_YEARS else
                    f" (программы длиннее {MAX_PERIOD_YEARS} лет prikaz не собирает)")
        yield Finding(ctx.programme.programme,
                      f"период программы {formats.date_numeric(period.start)} – {formats.date_numeric(period.end)} — "
                      f"{years} {formats.plural(years, ('год', 'года', 'лет'))}, больше предела в {limit}",
                      f"проверьте годы периода{raise_it}", field="period")


@check("T206", "too-many-events", reads=("programme.period", "programme.limits", *TIMED_PARTS),
       targets=TIMED, guards=BOUNDS)
def too_many_events(ctx: CheckContext):
    """Сроки программы дают не больше событий календаря, чем её предел (по умолчанию 5000).

    Каждый срок — событие в календаре, каждый повтор «ежемесячно» — отдельное
    событие, срок без даты («по запросу») — одна строка документа. Десятки
    ежемесячных мероприятий на длинный период дают календари и документы,
    которые никто не откроет. Программа, которой нужно больше, поднимает
    предел: `programme.limits.events`.

    Плохо (period: "2021–2030", limits: {events: 100}):
        - {id: monitoring, time: ежемесячно, …}    # 120 событий
    Хорошо:
        - {id: monitoring, time: ежеквартально, …}  # 40 событий
    """
    limit = ctx.programme.programme.limits.events
    counted = [(max(1, len(expr.windows(ctx.period))), target, field)   # undated: still a row of a document
               for target, field, expr in timed_items(ctx.programme)]
    total = sum(count for count, _, _ in counted)
    if total > limit:
        largest = sorted(counted, key=lambda item: -item[0])
        count, target, field = largest[0]
        raise_it = (f"; если событий в самом деле столько, поднимите предел в programme.yaml: limits: {{events: {total}}}"
                    if total <= MAX_EVENTS else f" (больше {MAX_EVENTS} событий prikaz не собирает)")
        yield Finding(target, f"сроки программы дают {total} событий календаря (срок без даты — одно), больше "
                              f"предела в {limit}; этот срок — {count}",
                      f"проверьте период и повторяющиеся сроки («ежемесячно»){raise_it}", field=field,
                      related=tuple((other, other_field, f"ещё {other_count}")
                                    for other_count, other, other_field in largest[1:4]))


# deadlines whose days the document writes out; a month («Март-декабрь») ends where the month does, not on a
# day anyone chose, and a recurring deadline is a rule, not a date
_WRITTEN_DAYS = ("day", "windows", "deadline")


@check("T207", "non-working-day", Severity.WARNING, reads=(
    "decree.date", "decree.legal_basis", "programme_document.approved_by",
    "roadmap.approved_by", "budget.approved_by", "indicators.approved_by", "specification.approved_by", *TIMED_PARTS),
    targets=(Decree, ActRef, *TIMED))
def non_working_day(ctx: CheckContext):
    """Сроки и даты документов приходятся на рабочие дни.

    Срок, назначенный на воскресенье или праздник, — чаще всего ошибка в
    дате: сдать отчёт в этот день некому, а по ст. 193 ГК РФ срок тогда
    истекает в следующий рабочий день. Дата приказа в нерабочий день —
    повод проверить, не опечатка ли это. Проверяются дни, записанные в
    сроке («16.03.2021», «до 10 февраля 2020 года», окончание каждого
    окна «01.06.2022 – 27.06.2022»), дата документа и даты актов, на
    которые он ссылается, — по производственному календарю России
    (праздники и переносы выходных дней, библиотека holidays). Если день
    в самом деле такой, как в документе, отключите проверку на этом
    элементе с причиной.

    Плохо:
        deadline: до 20 декабря 2020 года   # воскресенье
    Хорошо:
        deadline: до 18 декабря 2020 года
    """
    programme = ctx.programme
    decree = programme.decree
    if decree is not None and decree.date is not None:
        yield from _on_day_off(decree, "date", decree.date, f"дата документа {formats.date_numeric(decree.date)}",
                               "проверьте дату документа")
    for act in ctx.model.objects:
        # an act of another programme of the tree is that programme's decree: its date is checked there (R503 keeps
        # the two equal)
        if isinstance(act, ActRef) and act.programme is None:
            yield from _on_day_off(act, "date", act.date, f"акт № {act.number} датирован {formats.date_numeric(act.date)}",
                                   "проверьте дату акта")
    for target, field, expr in timed_items(programme):
        if expr.kind not in _WRITTEN_DAYS:
            continue
        for window in expr.days:
            when = "приходится на" if window.start == window.end else "заканчивается"
            yield from _on_day_off(target, field, window.end,
                                   f"{_label(target)}: срок «{expr.text}» {when} {formats.date_numeric(window.end)}",
                                   "перенесите срок на рабочий день", due=True, written=_written_at(expr, window.end))


def _on_day_off(target: SpecModel, field: str, day: dt.date, what: str, fix: str, due: bool = False,
                written: tuple[int, int] = (0, 0)):
    reason = why_not_working(day)
    if reason is None:
        return
    before, after = nearest_working_days(day)
    nearest = " и ".join(day_with_weekday(found) for found in (before, after) if found is not None)
    if due and after is not None:   # the Civil Code moves such a deadline, so the document may mean that day
        fix += f"; по ст. 193 ГК РФ срок тогда истекает {formats.date_numeric(after)}"
    yield Finding(target, f"{what} — нерабочий день ({reason}); ближайшие рабочие дни: {nearest}",
                  f"{fix}; если так в документе, добавьте silence: {{T207: причина}}",
                  field=field, offset=written[0], length=written[1])


def _written_at(expr: TimeExpr, day: dt.date) -> tuple[int, int]:
    """Where the text writes `day` (the last place: a window's end follows its start), as (offset, length);
    (0, 0) — the whole value, for a day written in words («до 20 декабря 2020 года»)."""
    for written in (formats.date_numeric(day), day.isoformat()):
        found = expr.text.rfind(written)
        if found >= 0:
            return found, len(written)
    return 0, 0
