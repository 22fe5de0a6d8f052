"""The roadmap as a Gantt picture: rows, bars and the month grid, in SVG coordinates.

The picture is two SVGs side by side: the row labels, and the bars with the month grid. On a
phone the bars scroll sideways under a narrowed label column that stays put; in print both
shrink together to the page width.

Everything is laid out on one linear day scale from the first day of the first month shown
to the last day of the last month, so a bar, a month line and the today line drawn in the
browser (from the `data-` attributes of the picture) agree to the pixel. The range covers
the programme period and every window, even one outside the period (windows are not
clipped: a retroactive deadline is still shown where it falls).

Rows come from the exported model (`engine.export`): roadmap activities grouped by their
sections, then the items of the technical specification, then the decree's clauses with a
deadline. An undated item keeps its row (the numbering stays whole) with its wording instead
of a bar, and is listed again under the picture.

A programme with execution records (`progress`) colours each bar by the state of its occurrence
on the report's day (engine/model/execution.py), draws a moved occurrence's new window beside
the planned one, and marks that day with a line of its own: it is in the spec, so the page stays
the same from build to build (the browser's «today» line is drawn apart from it). A window the
plan does not schedule (a yearly window that ended before the approval day) stays uncoloured.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from babel.dates import get_month_names

from engine.export import party_label
from engine.model.execution import NOT_AN_ID
from engine.model.grammar import inflect_phrase

LABEL_WIDTH = 340          # px of the label column «1.1 Title…» (a longer label is clipped there)
LABEL_CHARACTERS = 46      # what fits in LABEL_WIDTH at the label font size
TIMELINE_WIDTH = 760       # px the months share when they are many…
MIN_MONTH_WIDTH = 18       # …but a month never gets narrower than this: a four-year plan stays readable
WIDE_MONTH = 40            # from this width on, months are labelled «янв.», below it «Я»
HEADER_HEIGHT = 44         # the year row and the month row
ROW_HEIGHT = 22
GROUP_HEIGHT = 26
MIN_BAR_WIDTH = 4          # a one-day deadline must still be visible
BAR_GAP = 1                # px left free after a bar, so that back-to-back windows (every month) stay apart
FOOTER_HEIGHT = 22         # room for the «сегодня» label the browser draws
LABEL_BASELINE = 15        # text baseline below a row's top
BAR_INSET = 4              # a bar's gap to its row's top and bottom

_MONTHS_WIDE = get_month_names("abbreviated", context="stand-alone", locale="ru")
_MONTHS_NARROW = get_month_names("narrow", context="stand-alone", locale="ru")


@dataclass(frozen=True)
class Bar:
    start: dt.date
    end: dt.date       # inclusive
    x: float
    width: float
    state: str = ""    # the occurrence's state on the report's day (engine.model.execution.State), "unscheduled" for a
    #                    window the plan does not schedule; "": the programme keeps no execution records
    state_text: str = ""
    moved: bool = False     # the new window of a moved occurrence, drawn beside the planned one


@dataclass(frozen=True)
class Row:
    kind: str          # activity, item or clause: what the row stands for (its CSS class)
    id: str
    number: str
    title: str
    label: str         # the title shortened to fit LABEL_WIDTH; the full one is in the tooltip
    time: str          # the deadline in words, as the documents print it
    owners: str
    bars: tuple[Bar, ...]
    y: float
    state: str = ""    # the most pressing state of its occurrences; "": no execution records
    mark: str = ""     # «отметка о выполнении»

    @property
    def dated(self) -> bool:
        return bool(self.bars)

    @property
    def baseline(self) -> float:
        return self.y + LABEL_BASELINE

    @property
    def bar_y(self) -> float:
        return self.y + BAR_INSET


@dataclass(frozen=True)
class Group:
    title: str
    y: float
    rows: tuple[Row, ...]

    @property
    def baseline(self) -> float:
        return self.y + GROUP_HEIGHT - (ROW_HEIGHT - LABEL_BASELINE)


@dataclass(frozen=True)
class Tick:
    """A month or a year of the grid: where it starts, how wide it is, its label."""

    x: float
    width: float
    label: str

    @property
    def centre(self) -> float:
        return _px(self.x + self.width / 2)


@dataclass(frozen=True)
class AsOf:
    """The day the execution records are reported as of: its line across the bars."""

    day: dt.date
    x: float


@dataclass(frozen=True)
class Timeline:
    groups: tuple[Group, ...]
    months: tuple[Tick, ...]
    years: tuple[Tick, ...]
    start: dt.date     # first day shown
    days: int          # days shown
    day_width: float
    width: float
    height: float
    period: Tick       # the programme period, shaded behind the bars
    as_of: AsOf | None = None

    label_width = LABEL_WIDTH
    row_height = ROW_HEIGHT
    group_height = GROUP_HEIGHT
    header_height = HEADER_HEIGHT
    bar_height = ROW_HEIGHT - 2 * BAR_INSET

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.groups for row in group.rows]

    @property
    def undated(self) -> list[Row]:
        return [row for row in self.rows if not row.dated]


@dataclass(frozen=True)
class _Item:
    kind: str
    id: str
    number: str
    title: str
    time: dict
    owners: str

    @property
    def ref(self) -> str:
        """The item as the export's `progress` names it (engine.model.execution.PlannedItem.ref)."""
        document = {"activity": "roadmap", "item": "specification", "clause": "decree"}[self.kind]
        key = self.id or f"{NOT_AN_ID}{self.number.removeprefix('п. ').replace('.', '-')}"
        return f"{document}.{key}"


def _owners(parties: list[dict]) -> str:
    return ", ".join(party_label(party) for party in parties)


def _groups(data: dict) -> list[tuple[str, list[_Item]]]:
    """(group title, items) in the order the documents list them; empty groups left out."""
    groups: list[tuple[str, list[_Item]]] = []
    titles = {appendix["kind"]: appendix["title"] for appendix in data["appendices"]}

    def activities(items: list[dict]) -> list[_Item]:
        return [_Item("activity", a["id"], a["number"], a["title"], a["time"], _owners(a["owners"])) for a in items]

    roadmap = data.get("roadmap")
    if roadmap:
        groups.extend((f"{section['number']}. {section['title']}", activities(section["activities"]))
                      for section in roadmap["sections"])
        groups.append((titles.get("roadmap", "Дорожная карта"), activities(roadmap["activities"])))
    specification = data.get("specification")
    if specification:
        groups.append((titles.get("specification", "Техническое задание"),
                       [_Item("item", item["id"], item["number"], item["text"], item["time"], "")
                        for item in specification["items"] if item["time"]]))
    if data["decree"]:
        groups.append((f"Поручения {inflect_phrase(data['decree']['kind'], 'gen')}", [
            _Item("clause", clause["id"], f"п. {clause['number']}", clause["text"], clause["deadline"],
                  _owners(clause["responsible"]))
            for clause in _flatten(data["decree"]["clauses"]) if clause["deadline"]]))
    return [(title, items) for title, items in groups if items]


def _flatten(clauses: list[dict]) -> list[dict]:
    return [c for clause in clauses for c in (clause, *_flatten(clause["clauses"]))]


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _px(value: float) -> float:
    """Two decimals: enough for the eye, and the same text on every machine."""
    return round(value, 2)


def _bar(x: Callable[[dt.date], float], window: dict, state: str, text: str, moved: bool = False) -> Bar:
    start, end = dt.date.fromisoformat(window["start"]), dt.date.fromisoformat(window["end"])
    width = max(MIN_BAR_WIDTH, x(end + dt.timedelta(days=1)) - x(start) - BAR_GAP)
    return Bar(start, end, _px(x(start)), _px(width), state, text, moved)


def timeline(data: dict) -> Timeline | None:
    """The Gantt picture of an exported programme (`engine.export`); None when nothing in it has a time."""
    groups = _groups(data)
    if not groups:
        return None
    period = data["programme"]["period"]
    days = [dt.date.fromisoformat(period["start"]), dt.date.fromisoformat(period["end"])]
    days += [dt.date.fromisoformat(window[edge]) for _, items in groups for item in items
             for window in item.time["windows"] for edge in ("start", "end")]
    progress = data.get("progress")
    executed = {item["ref"]: item for item in progress["items"]} if progress else {}
    if progress:
        days.append(dt.date.fromisoformat(progress["as_of"]))
        days += [dt.date.fromisoformat(occurrence["window"][edge]) for item in progress["items"]
                 for occurrence in item["occurrences"] if occurrence["window"] for edge in ("start", "end")]
    first, after_last = _month_start(min(days)), _next_month(max(days))
    month_starts = [first]
    while (following := _next_month(month_starts[-1])) < after_last:
        month_starts.append(following)
    month_width = max(MIN_MONTH_WIDTH, TIMELINE_WIDTH / len(month_starts))
    total_days = (after_last - first).days
    day_width = month_width * len(month_starts) / total_days
    def x(day: dt.date) -> float:
        return (day - first).days * day_width

    names = _MONTHS_WIDE if month_width >= WIDE_MONTH else _MONTHS_NARROW
    months = tuple(Tick(_px(x(start)), _px(x(_next_month(start)) - x(start)), names[start.month])
                   for start in month_starts)
    year_spans = [(max(first, dt.date(year, 1, 1)), min(after_last, dt.date(year + 1, 1, 1)))
                  for year in range(first.year, after_last.year if after_last.month == 1 else after_last.year + 1)]
    years = tuple(Tick(_px(x(start)), _px(x(end) - x(start)), str(start.year)) for start, end in year_spans)
    y = float(HEADER_HEIGHT)
    laid_out: list[Group] = []
    for title, items in groups:
        group_y = y
        y += GROUP_HEIGHT
        rows = []
        for item in items:
            execution = executed.get(item.ref)
            occurrences = {o["planned"]["end"]: o for o in execution["occurrences"] if o["planned"]} if execution else {}
            bars = []
            for window in item.time["windows"]:
                occurrence = occurrences.get(window["end"])
                if occurrence is not None:
                    state, text = occurrence["state"], occurrence["state_text"]
                else:
                    state, text = ("unscheduled", "до утверждения плана, в план не входит") if execution else ("", "")
                bars.append(_bar(x, window, state, text))
                if occurrence and occurrence["moved"] and occurrence["window"]:
                    bars.append(_bar(x, occurrence["window"], state, text, moved=True))
            rows.append(Row(item.kind, item.id, item.number, item.title,
                            textwrap.shorten(f"{item.number} {item.title}", LABEL_CHARACTERS, placeholder=" …"),
                            item.time["rendered"], item.owners, tuple(bars), y,
                            execution["state"] if execution else "", execution["mark"] if execution else ""))
            y += ROW_HEIGHT
        laid_out.append(Group(title, group_y, tuple(rows)))
    start, end = dt.date.fromisoformat(period["start"]), dt.date.fromisoformat(period["end"])
    as_of = dt.date.fromisoformat(progress["as_of"]) if progress else None
    return Timeline(
        groups=tuple(laid_out), months=months, years=years, start=first, days=total_days,
        day_width=round(day_width, 6), width=_px(x(after_last)), height=_px(y + FOOTER_HEIGHT),
        period=Tick(_px(x(start)), _px(x(end + dt.timedelta(days=1)) - x(start)), ""),
        as_of=AsOf(as_of, _px(x(as_of) + day_width / 2)) if as_of else None,   # the middle of the day, as today's
    )
