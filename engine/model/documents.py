"""What a programme document computes rather than stores: list markers and the tasks a block shows.

A list keeps the source's own markers: a literal one («–», «-», «•») stands before every item, a
numbered one is a pattern — «1.», «1)», «(1)» count in figures, «а)», «а.», «a)» in Russian
letters (without ё, й, ъ, ы, ь, as Russian lettered lists skip them), from `start`.
"""

from __future__ import annotations

import re

from engine.model.spec import Indicator, IndicatorGroup, ListBlock, Programme, Selection, Task, TaskSelection

# Russian lettered lists skip ё, й, ъ, ы, ь
RUSSIAN_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"
_NUMBERED = re.compile(r"(?P<before>\(?)(?P<counter>1|а|А)(?P<after>[.)]\)?)")


def list_markers(listing: ListBlock) -> list[str]:
    """The marker of each item: the literal one repeated, or the numbering the pattern stands for."""
    match = _NUMBERED.fullmatch(listing.marker)
    if match is None:
        return [listing.marker] * len(listing.items)
    markers = []
    for index in range(listing.start, listing.start + len(listing.items)):
        if match["counter"] == "1":
            counter = str(index)
        else:
            counter = _letters(index)
            if match["counter"].isupper():
                counter = counter.upper()
        markers.append(f"{match['before']}{counter}{match['after']}")
    return markers


def _letters(index: int) -> str:
    """1 → а, 27 → аа: the letters of a Russian lettered list, beyond я doubled as spreadsheets do."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, len(RUSSIAN_LETTERS))
        letters = RUSSIAN_LETTERS[rest] + letters
    return letters


def selected_tasks(programme: Programme, selection: TaskSelection) -> list[Task]:
    """The programme document's tasks a block names: all of them, or those listed (in the block's order;
    an unknown id is left out here and reported by the check I405)."""
    tasks = programme.programme_document.tasks if programme.programme_document else []
    if selection == "all":
        return list(tasks)
    by_id = {task.id: task for task in tasks}
    return [by_id[task_id] for task_id in selection if task_id in by_id]


def selected_indicators(programme: Programme, selection: Selection) -> list[tuple[IndicatorGroup | None, list[Indicator]]]:
    """What a block or a passport row shows of the indicators: (group, its items) for each group named (all of
    them for «all», with the items outside groups last, under None); an indicator named by its own id is shown
    under None. Unknown ids are left out here and reported by the check I405."""
    indicators = programme.indicators
    if indicators is None:
        return []
    if selection == "all":
        shown = [(group, list(group.items)) for group in indicators.groups]
        return shown + ([(None, list(indicators.items))] if indicators.items else [])
    groups = {group.id: group for group in indicators.groups}
    items = {item.id: item for item in indicators.all_items()}
    result: list[tuple[IndicatorGroup | None, list[Indicator]]] = []
    for ref in selection:
        if ref in groups:
            result.append((groups[ref], list(groups[ref].items)))
        elif ref in items:
            if result and result[-1][0] is None:
                result[-1][1].append(items[ref])
            else:
                result.append((None, [items[ref]]))
    return result


def group_heading(programme: Programme, group: IndicatorGroup) -> str:
    """«Задача 1. Идентификация школ …» for a group under a task of the programme, else its own title."""
    if group.task is not None:
        task = next((task for task in selected_tasks(programme, "all") if task.id == group.task), None)
        if task is not None:
            return f"Задача {task.number}. {task.text}"
    return group.title or ""
