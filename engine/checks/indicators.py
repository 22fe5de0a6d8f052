"""Indicators: linked to what they measure, with targets that make sense."""

from __future__ import annotations

from decimal import Decimal

from engine.checks.registry import CheckContext, Finding, check
from engine.diagnostics import Severity
from engine.model.spec import Activity, Indicator


def _linked_from_roadmap(ctx: CheckContext) -> set[str]:
    roadmap = ctx.programme.roadmap
    if roadmap is None:
        return set()
    return {ref for activity in roadmap.all_activities() for ref in activity.indicators}


@check("I401", "indicator-unlinked", Severity.WARNING, reads=("indicators.items",),
       reads_whole=("roadmap.sections", "roadmap.activities"), targets=(Indicator,))
def indicator_unlinked(ctx: CheckContext):
    """Каждый показатель связан с мероприятием или пунктом технического задания.

    Показатель, который ничего не измеряет, нельзя ни выполнить, ни проверить.
    Связь задаётся `measures:` (пункт ТЗ), `activities:` в показателе или
    `indicators:` в мероприятии.

    Плохо:
        - {id: webinars, name: Вебинары, unit: Ед., target: "2"}
    Хорошо:
        - {id: webinars, name: Вебинары, unit: Ед., target: "2", measures: webinars}
    """
    indicators = ctx.programme.indicators
    if indicators is None:
        return
    from_roadmap = _linked_from_roadmap(ctx)
    for indicator in indicators.items:
        if not (indicator.measures or indicator.activities or indicator.id in from_roadmap):
            yield Finding(indicator, f"показатель {indicator.number} ни с чем не связан",
                          "добавьте measures: <id пункта ТЗ> или activities: [<id мероприятия>]", key=True, field="name")


@check("I402", "target-direction", reads=("indicators.items",), targets=(Indicator,))
def target_direction(ctx: CheckContext):
    """Целевое значение соответствует направлению показателя.

    Для растущего показателя цель не ниже базового значения, для снижаемого —
    не выше. Обратное — перепутанные значения или направление.

    Плохо:
        - {id: share, name: Доля школ, unit: "%", baseline: "40", target: "30", direction: increase}
    Хорошо:
        - {id: share, name: Доля школ, unit: "%", baseline: "40", target: "30", direction: decrease}
    """
    indicators = ctx.programme.indicators
    if indicators is None:
        return
    for indicator in indicators.items:
        if indicator.baseline is None:
            continue
        base, target = indicator.baseline.value, indicator.target.value
        wrong = {"increase": target < base, "decrease": target > base, "keep": target != base}[indicator.direction]
        if wrong:
            expected = {"increase": "не ниже базового значения", "decrease": "не выше базового значения",
                        "keep": "равна базовому значению"}[indicator.direction]
            yield Finding(indicator, f"цель {indicator.target} должна быть {expected} {indicator.baseline}",
                          "проверьте target, baseline и direction", field="target",
                          related=((indicator, "baseline", "базовое значение"),))


@check("I403", "percent-range", reads=("indicators.items",), targets=(Indicator,))
def percent_range(ctx: CheckContext):
    """Проценты лежат в пределах 0–100.

    Показатель в процентах со значением 120 — опечатка или не та единица.

    Плохо:
        - {id: share, name: Доля школ, unit: "%", target: "120"}
    Хорошо:
        - {id: share, name: Доля школ, unit: "%", target: "100"}
    """
    indicators = ctx.programme.indicators
    if indicators is None:
        return
    for indicator in indicators.items:
        if indicator.unit.strip() not in ("%", "процент", "проценты", "процентов"):
            continue
        for field in ("target", "baseline"):
            value = getattr(indicator, field)
            if value is not None and not (Decimal(0) <= value.value <= Decimal(100)):
                yield Finding(indicator, f"значение {value} % вне пределов 0–100", "проверьте значение", field=field)


@check("I404", "target-matches-item", reads=("indicators.items", "specification.items"), targets=(Indicator,))
def target_matches_item(ctx: CheckContext):
    """Цель показателя равна количеству в пункте ТЗ, который он измеряет.

    Техническое задание и целевые показатели — два приложения к одному
    документу: «не менее 18 консультаций» в ТЗ и 19 в показателях не могут
    быть верны одновременно.

    Плохо:
        specification: {items: [{id: consultations, quantities: ["не менее 18 консультаций"], …}]}
        indicators: {items: [{id: consultations, target: "19", measures: consultations, …}]}
    Хорошо:
        indicators: {items: [{id: consultations, target: "18", measures: consultations, …}]}
    """
    programme = ctx.programme
    if programme.indicators is None or programme.specification is None:
        return
    items = {item.id: item for item in programme.specification.items}
    for indicator in programme.indicators.items:
        item = items.get(indicator.measures or "")
        if item is None or not item.quantities:
            continue
        expected = item.quantities[0]
        if indicator.target.value != expected.value:
            yield Finding(indicator, f"цель показателя {indicator.number} — {indicator.target}, а в пункте {item.number} "
                                     f"технического задания — {expected}",
                          "исправьте показатель или количество в техническом задании", field="target",
                          related=((item, ("quantities", 0), f"количество в пункте {item.number}"),))


@check("I405", "unknown-link", reads=(
    "indicators.items", "specification.items", "roadmap.sections", "roadmap.activities"), targets=(Activity, Indicator))
def unknown_link(ctx: CheckContext):
    """Связи показателей, мероприятий и пунктов ТЗ ведут к существующим id.

    Ссылка с опечаткой в id молча разрывает связь: показатель перестаёт
    измерять пункт, мероприятие — зависеть от предыдущего, и другие проверки
    этого уже не видят.

    Плохо:
        indicators: [webinar-typo]
    Хорошо:
        indicators: [webinars]
    """
    programme = ctx.programme
    indicator_ids = {i.id for i in programme.indicators.items} if programme.indicators else set()
    item_ids = {i.id for i in programme.specification.items} if programme.specification else set()
    activity_ids = {a.id for a in programme.roadmap.all_activities()} if programme.roadmap else set()
    unbuilt = ctx.model.unbuilt.ids   # a link to what did not validate is not broken: it is not known yet
    indicator_ids, item_ids, activity_ids = indicator_ids | unbuilt, item_ids | unbuilt, activity_ids | unbuilt
    if programme.roadmap:
        for activity in programme.roadmap.all_activities():
            for index, ref in enumerate(activity.indicators):
                if ref not in indicator_ids:
                    yield Finding(activity, f"показатель «{ref}» не найден", "проверьте id в indicators",
                                  field=("indicators", index))
            for index, ref in enumerate(activity.depends_on):
                if ref not in activity_ids:
                    yield Finding(activity, f"мероприятие «{ref}» не найдено", "проверьте id в depends_on",
                                  field=("depends_on", index))
    if programme.indicators:
        for indicator in programme.indicators.items:
            if indicator.measures and indicator.measures not in item_ids:
                yield Finding(indicator, f"пункт технического задания «{indicator.measures}» не найден",
                              "проверьте id в specification.items", field="measures")
            for index, ref in enumerate(indicator.activities):
                if ref not in activity_ids:
                    yield Finding(indicator, f"мероприятие «{ref}» не найдено", "проверьте id мероприятия",
                                  field=("activities", index))
