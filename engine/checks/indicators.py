"""Indicators: linked to what they measure, with targets that make sense."""

from __future__ import annotations

import re
from decimal import Decimal

from engine import formats
from engine.checks.registry import CheckContext, Finding, check
from engine.diagnostics import Severity
from engine.model.spec import Activity, Block, Indicator, IndicatorActual, IndicatorGroup, PassportRow
from engine.model.values import Quantity
from engine.model.walk import CONTENT_PARTS, document_contents

# the indicators of groups and those outside them (Indicators.all_items)
INDICATOR_PARTS = ("indicators.groups", "indicators.items")


def _linked_from_roadmap(ctx: CheckContext) -> set[str]:
    roadmap = ctx.programme.roadmap
    if roadmap is None:
        return set()
    return {ref for activity in roadmap.all_activities() for ref in activity.indicators}


@check("I401", "indicator-unlinked", Severity.WARNING, reads=INDICATOR_PARTS,
       reads_whole=("roadmap.sections", "roadmap.activities"), targets=(Indicator,))
def indicator_unlinked(ctx: CheckContext):
    """Каждый показатель связан с мероприятием или пунктом технического задания.

    Показатель, который ничего не измеряет, нельзя ни выполнить, ни проверить.
    Связь задаётся `measures:` (пункт ТЗ), `activities:` в показателе,
    `indicators:` в мероприятии или группой показателей задачи программы
    (`groups: [{task: …}]`).

    Плохо:
        - {id: webinars, name: Вебинары, unit: Ед., target: "2"}
    Хорошо:
        - {id: webinars, name: Вебинары, unit: Ед., target: "2", measures: webinars}
    """
    indicators = ctx.programme.indicators
    if indicators is None:
        return
    from_roadmap = _linked_from_roadmap(ctx)
    of_tasks = {item.id for group in indicators.groups if group.task for item in group.items}
    for indicator in indicators.all_items():
        if not (indicator.measures or indicator.activities or indicator.id in from_roadmap or indicator.id in of_tasks):
            yield Finding(indicator, f"показатель {indicator.number} ни с чем не связан",
                          "добавьте measures: <id пункта ТЗ> или activities: [<id мероприятия>]", key=True, field="name")


@check("I402", "target-direction", reads=INDICATOR_PARTS, targets=(Indicator,))
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
    for indicator in indicators.all_items():
        if indicator.baseline is None:
            continue
        base, target = indicator.baseline.value, indicator.final_target.value
        wrong = {"increase": target < base, "decrease": target > base, "keep": target != base}[indicator.direction]
        if wrong:
            expected = {"increase": "не ниже базового значения", "decrease": "не выше базового значения",
                        "keep": "равна базовому значению"}[indicator.direction]
            field = "target" if indicator.target is not None else ("targets", max(indicator.targets))
            yield Finding(indicator, f"цель {indicator.final_target} должна быть {expected} {indicator.baseline}",
                          "проверьте target, baseline и direction", field=field,
                          related=((indicator, "baseline", "базовое значение"),))


@check("I403", "percent-range", reads=(*INDICATOR_PARTS, "progress.actuals"), targets=(Indicator, IndicatorActual))
def percent_range(ctx: CheckContext):
    """Проценты лежат в пределах 0–100.

    Показатель в процентах со значением 120 — опечатка или не та единица.
    Проверяется каждое значение такого показателя, где бы оно ни было
    записано: цель, цели по годам, базовое, факт за год в indicators.yaml и
    фактические значения на отчётные даты в progress.yaml.

    Плохо:
        - {id: share, name: Доля школ, unit: "%", target: "120"}
    Хорошо:
        - {id: share, name: Доля школ, unit: "%", target: "100"}
    """
    indicators = ctx.programme.indicators
    if indicators is None:
        return
    in_percent = {indicator.id: indicator for indicator in indicators.all_items() if indicator.in_percent}
    for indicator in in_percent.values():
        values: list[tuple[str | tuple, Quantity | None]] = [("target", indicator.target), ("baseline", indicator.baseline)]
        values += [(("targets", year), value) for year, value in indicator.targets.items()]
        values += [(("actual", year), value) for year, value in indicator.actual.items()]
        for field, value in values:
            if value is not None and not _percentage(value):
                yield Finding(indicator, f"значение {value} % вне пределов 0–100", "проверьте значение", field=field)
    progress = ctx.programme.progress
    for actual in progress.actuals if progress is not None else []:
        share = in_percent.get(actual.indicator)
        if share is not None and not _percentage(actual.value):
            yield Finding(actual, f"фактическое значение {actual.value} % показателя {share.number} вне пределов 0–100",
                          "проверьте значение: доля не бывает больше 100 %", field="value",
                          related=((share, "unit", "единица измерения показателя"),))


def _percentage(value: Quantity) -> bool:
    return Decimal(0) <= value.value <= Decimal(100)


@check("I404", "target-matches-item", reads=(*INDICATOR_PARTS, "specification.items"), targets=(Indicator,))
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
    for indicator in programme.indicators.all_items():
        item = items.get(indicator.measures or "")
        if item is None or not item.quantities:
            continue
        expected = item.quantities[0]
        if indicator.final_target.value != expected.value:
            yield Finding(indicator, f"цель показателя {indicator.number} — {indicator.final_target}, а в пункте {item.number} "
                                     f"технического задания — {expected}",
                          "исправьте показатель или количество в техническом задании", field="target",
                          related=((item, ("quantities", 0), f"количество в пункте {item.number}"),))


@check("I405", "unknown-link", reads=(*INDICATOR_PARTS, "specification.items", "roadmap.sections",
                                      "roadmap.activities", *CONTENT_PARTS, "programme_document.tasks"),
       targets=(Activity, Indicator, Block, PassportRow))
def unknown_link(ctx: CheckContext):
    """Связи показателей, мероприятий и пунктов ТЗ ведут к существующим id.

    Ссылка с опечаткой в id молча разрывает связь: показатель перестаёт
    измерять пункт, мероприятие — зависеть от предыдущего, и другие проверки
    этого уже не видят.

    То же для показателей и задач, которые называет блок программного
    документа или строка паспорта (`indicators: [...]`, `tasks: [...]`).

    Плохо:
        indicators: [webinar-typo]
    Хорошо:
        indicators: [webinars]
    """
    programme = ctx.programme
    yield from _unknown_selections(ctx)
    indicator_ids = {i.id for i in programme.indicators.all_items()} if programme.indicators else set()
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
        for indicator in programme.indicators.all_items():
            if indicator.measures and indicator.measures not in item_ids:
                yield Finding(indicator, f"пункт технического задания «{indicator.measures}» не найден",
                              "проверьте id в specification.items", field="measures")
            for index, ref in enumerate(indicator.activities):
                if ref not in activity_ids:
                    yield Finding(indicator, f"мероприятие «{ref}» не найдено", "проверьте id мероприятия",
                                  field=("activities", index))


def _unknown_selections(ctx: CheckContext):
    """Indicators and tasks named by the blocks of a programme document and by its passport rows."""
    programme = ctx.programme
    indicators = programme.indicators
    known_indicators = ({group.id for group in indicators.groups} | {item.id for item in indicators.all_items()}
                        if indicators else set())
    known_tasks = {task.id for task in programme.programme_document.tasks} if programme.programme_document else set()
    for content in document_contents(programme):
        for key, selection, known, what in (("indicators", content.indicators, known_indicators, "показатель или группа"),
                                            ("tasks", content.tasks, known_tasks, "задача")):
            if isinstance(selection, list):
                for index, ref in enumerate(selection):
                    if ref not in known:
                        yield Finding(content, f"{what} «{ref}» не найдена" if what == "задача"
                                      else f"{what} «{ref}» не найдены",
                                      f"известные: {', '.join(sorted(known)) or 'нет ни одного'}", field=(key, index))


_TASK_HEADING = re.compile(r"\s*Задача\s+(\d+)\s*[.:)]?\s*(.*)", re.S)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower().replace("ё", "е")).split())


@check("I406", "indicator-group-task", reads=("indicators.groups", "programme_document.tasks"),
       targets=(IndicatorGroup,))
def indicator_group_task(ctx: CheckContext):
    """Группа показателей относится к задаче, которая есть среди задач программы.

    Показатели задач сгруппированы под задачами программы. Группа, которая
    ссылается на неизвестную задачу или в своём заголовке называет «Задачу 1»
    не так, как её формулирует программа, — след переноса таблицы из другого
    документа: показатели измеряют не те задачи. Заголовок группы лучше не
    писать, а сослаться на задачу: `task: <id>` — «Задача 1. …» вычислится.

    Плохо:
        tasks: [{id: identification, text: Идентификация школ с низкими результатами}]
        groups: [{id: first, title: "Задача 1. Обеспечить ресурсное наполнение школ", items: […]}]
    Хорошо:
        groups: [{id: first, task: identification, items: […]}]
    """
    indicators = ctx.programme.indicators
    if indicators is None:
        return
    tasks = ctx.programme.programme_document.tasks if ctx.programme.programme_document else []
    by_id = {task.id: task for task in tasks}
    listed = "; ".join(f"{task.number}. {task.text}" for task in tasks) or "у программы задач нет"
    for group in indicators.groups:
        if group.task is not None and group.task not in by_id:
            yield Finding(group, f"группа «{group.id}» относится к задаче «{group.task}», которой нет среди задач "
                                 f"программы", f"задачи программы (programme_document.tasks): {listed}", field="task")
        heading = _TASK_HEADING.fullmatch(group.title or "")
        if heading is None:
            continue
        number, text = int(heading.group(1)), heading.group(2)
        task = tasks[number - 1] if 0 < number <= len(tasks) else None
        if task is None or _words(task.text) != _words(text):
            where = (f"а задача {number} программы — «{formats.shortened(task.text, 80)}»" if task is not None
                     else f"а у программы {len(tasks)} {formats.plural(len(tasks), ('задача', 'задачи', 'задач'))}")
            yield Finding(group, f"группа показателей названа «Задача {number}. {formats.shortened(text, 80)}», {where}",
                          "сошлитесь на задачу программы (task: <id>) или добавьте эту задачу в "
                          "programme_document.tasks", field="title")
