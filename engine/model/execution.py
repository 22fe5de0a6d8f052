"""Execution: what is done and what is late, as of a day (docs/monitoring.md explains it to the staff).

Items. Every dated item of the plan is reported on: the roadmap's activities, the items of the
technical specification and the decree's clauses with a deadline — what `walk.timed_items` gives,
except the specification's service period, which frames its items rather than being one.

Occurrences. An item's deadline gives it windows (`TimeExpr.windows`); each window is one
occurrence, to be done by its last day, its *deadline*. A deadline that repeats by itself
(«ежегодно», «Июнь-июль» in a plan for several years, «ежемесячно») cannot mean the days before
the decree that sets it: its windows that ended before the approval day are not part of the
plan, as in the calendars (`scheduled_windows`, shared with engine/render/ics_events.py). An
undated item («по запросу») has one occurrence without a window: it is never due, never late.

Keys. An occurrence is known by a key among its item's windows, the same key its calendar
event's UID carries: the window's place for deadlines that name their windows («01.06.2022 –
27.06.2022; 15.11.2022 – 30.11.2022» → 1, 2), the year or the month for what repeats («2022»,
«2022-03»), the day for anything finer.

Records (progress.yaml). A record names its item (`item`) and, for an item of several windows,
which of them (`window`, a time expression): it applies to every occurrence whose planned
deadline falls within that expression's windows, or to all of them without one. It takes effect
on its `date`: a report as of an earlier day does not see it. Of the records in effect, the
latest (by date, then by place in the file) says the status; the latest with a `new_deadline`
moves the occurrence: the new deadline's window (its span) replaces the planned one — for «до …»,
from the planned start to the new day (`moved_window`).

States as of a day D (`State`):
- done — the status in effect is «выполнено», on or before the deadline in force (done late: after it);
- cancelled — «отменено»: neither due nor late;
- undated — no window: listed, never overdue;
- overdue — the deadline in force is before D and the occurrence is not done;
- due soon — the deadline falls within D … D + N days (N = `within`);
- planned — the deadline is later.
An occurrence is *due* when its deadline is D or earlier; the share done on time is the due
occurrences done by their deadline over all due ones (cancelled ones are not counted).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from engine import formats
from engine.model.spec import (
    Activity,
    Clause,
    ExecutionRecord,
    Indicator,
    IndicatorActual,
    Programme,
    SpecItem,
)
from engine.model.timeexpr import MONTH_NAMES, Period, TimeExpr, Window
from engine.model.values import Quantity
from engine.model.walk import decree_clauses, timed_items, walk_clauses

# Kinds whose windows the deadline names itself: keyed by their place among the item's windows.
NAMED_WINDOWS = frozenset({"day", "windows", "deadline"})
# Ids never start with «_» (engine.model.spec), so keys made without one never collide with an id.
NOT_AN_ID = "_"
PERCENT = Decimal(100)
DUE_SOON_DAYS = 14      # «срок наступает»: within two weeks of the day, unless asked otherwise (prikaz status --within)


class State(enum.StrEnum):
    DONE = "done"
    DONE_LATE = "done_late"
    CANCELLED = "cancelled"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    PLANNED = "planned"
    UNDATED = "undated"

    @property
    def russian(self) -> str:
        return STATE_NAMES[self]


STATE_NAMES = {
    State.DONE: "выполнено", State.DONE_LATE: "выполнено с нарушением срока", State.CANCELLED: "отменено",
    State.OVERDUE: "просрочено", State.DUE_SOON: "срок наступает", State.PLANNED: "срок не наступил",
    State.UNDATED: "без срока",
}
# Lists put what needs attention first: the programme page, `prikaz status`.
ATTENTION_ORDER = (State.OVERDUE, State.DUE_SOON, State.PLANNED, State.UNDATED, State.DONE_LATE, State.DONE,
                   State.CANCELLED)


# --- the plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedItem:
    """A dated (or undated) item of the plan that execution records report on."""

    target: Activity | SpecItem | Clause
    document: str               # roadmap | specification | decree
    ref: str                    # <document>.<id>: what a record's `item` resolves to
    expr: TimeExpr
    parties: tuple[str, ...]    # owners or responsible: ids of organisations or people
    enclosing: tuple[Clause, ...] = ()   # a clause's enclosing clauses, outermost first

    @property
    def id(self) -> str | None:
        return self.target.id

    @property
    def number(self) -> str:
        return self.target.number


def party_organisation(programme: Programme, ref: str) -> str:
    """The organisation a party stands for: a person stands for theirs (or for themselves, without one)."""
    person = programme.people.get(ref)
    if person is not None and person.organisation:
        return person.organisation
    return ref


def planned_items(programme: Programme) -> list[PlannedItem]:
    """Every item with a deadline, in the order of the documents (roadmap, specification, decree), with who answers
    for it: an activity's owners, a clause's responsible (or its nearest enclosing clause's), the executor of the
    technical specification."""
    enclosing = {id(clause): chain for clause, chain in walk_clauses(decree_clauses(programme))}
    executor = programme.specification.executor if programme.specification else None
    items = []
    for target, _, expr in timed_items(programme):
        if isinstance(target, Activity):
            items.append(PlannedItem(target, "roadmap", f"roadmap.{target.id}", expr,
                                     tuple(owner.org for owner in target.owners)))
        elif isinstance(target, SpecItem):
            items.append(PlannedItem(target, "specification", f"specification.{target.id}", expr,
                                     (executor,) if executor else ()))
        elif isinstance(target, Clause):        # not the specification's service period: it frames the items
            chain = (*enclosing.get(id(target), ()), target)
            responsible = next((c.responsible for c in reversed(chain) if c.responsible), [])
            key = target.id or f"{NOT_AN_ID}{target.number.replace('.', '-')}"
            items.append(PlannedItem(target, "decree", f"decree.{key}", expr, tuple(responsible), chain[:-1]))
    order = {"roadmap": 0, "specification": 1, "decree": 2}
    return sorted(items, key=lambda item: order[item.document])


def approval_day(programme: Programme) -> dt.date | None:
    decree = programme.decree
    return decree.date if decree is not None else None


def repeats_by_itself(expr: TimeExpr) -> bool:
    """A deadline whose windows come from the plan's years rather than from dates it names: «ежегодно», «в течение
    года», «Июнь-июль» in a plan for several years, «ежемесячно» with no months of its own. One framed by a term that
    names its months (an item of a technical specification, within its service period) does not."""
    return expr.every_year or (expr.kind not in NAMED_WINDOWS | {"months", "month_list", "whole_year"}
                               and not expr.months and expr.within is None)


def _date_keyed(expr: TimeExpr, windows: list[Window]) -> list[tuple[str, Window]]:
    """Windows of a repeating deadline keyed by their date: by year for what comes once a year, by month for a
    list of months or a monthly deadline, by day for anything finer."""
    if expr.kind in ("yearly", "whole_year", "months"):
        keys = [str(window.start.year) for window in windows]
    elif expr.kind in ("month_list", "monthly", "quarterly"):
        keys = [f"{window.start:%Y-%m}" for window in windows]
    else:
        keys = [window.start.isoformat() for window in windows]
    seen: dict[str, int] = {}
    keyed = []
    for key, window in zip(keys, windows, strict=True):   # «ноябрь – январь, январь» would give one month twice
        seen[key] = seen.get(key, 0) + 1
        keyed.append((key if seen[key] == 1 else f"{key}-{seen[key]}", window))
    return keyed


def scheduled_windows(expr: TimeExpr, period: Period, approved: dt.date | None) -> list[tuple[str, Window]]:
    """(key, window) of every window of a dated deadline as the plan schedules it.

    A deadline that repeats by itself starts its windows on the approval day at the earliest and drops those that
    ended before it. Keys come from the windows as the deadline means them, so a later approval date never changes
    a key.
    """
    windows = expr.windows(period)
    if expr.kind in NAMED_WINDOWS or (expr.kind == "months" and not expr.months[0].relative):
        keyed = [(str(ordinal), window) for ordinal, window in enumerate(windows, start=1)]
    else:
        keyed = _date_keyed(expr, windows)
    if approved is None or not repeats_by_itself(expr):
        return keyed
    return [(key, Window(max(window.start, approved), window.end)) for key, window in keyed if window.end >= approved]


# --- records -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    """One window of an item, with the records that speak of it."""

    item: PlannedItem
    key: str                                  # among the item's windows; "" for an undated item
    planned: Window | None                    # as the plan schedules it; None: undated
    window: Window | None                     # in force: the planned one, or the new deadline's when moved
    records: tuple[ExecutionRecord, ...]      # in effect by the day asked, oldest first
    moved: ExecutionRecord | None = None      # the record whose new deadline is in force

    @property
    def deadline(self) -> dt.date | None:
        return self.window.end if self.window is not None else None

    @property
    def current(self) -> ExecutionRecord | None:
        return self.records[-1] if self.records else None

    @property
    def done_on(self) -> dt.date | None:
        current = self.current
        return current.date if current is not None and current.status == "выполнено" else None

    @property
    def cancelled(self) -> bool:
        current = self.current
        return current is not None and current.status == "отменено"


@dataclass(frozen=True)
class ItemLookup:
    """Items by what a record may call them: `<document>.<id>` and the bare id (when only one document has it)."""

    by_ref: dict[str, PlannedItem]
    by_id: dict[str, list[PlannedItem]]

    @classmethod
    def of(cls, items: Iterable[PlannedItem]) -> ItemLookup:
        by_ref: dict[str, PlannedItem] = {}
        by_id: dict[str, list[PlannedItem]] = {}
        for item in items:
            by_ref.setdefault(item.ref, item)
            if item.id:
                by_id.setdefault(item.id, []).append(item)
        return cls(by_ref, by_id)

    def find(self, ref: str) -> list[PlannedItem]:
        """The items a record's `item` names: one, none, or several (an id of several documents)."""
        if "." in ref:
            found = self.by_ref.get(ref)
            return [found] if found is not None else []
        return list(self.by_id.get(ref, []))


def selected_keys(record: ExecutionRecord, windows: list[tuple[str, Window]], period: Period) -> list[str]:
    """The keys of the occurrences a record speaks of: those whose planned deadline falls within its `window`."""
    if record.window is None:
        return [key for key, _ in windows]
    named = record.window.windows(period)
    return [key for key, window in windows if any(limit.start <= window.end <= limit.end for limit in named)]


def span(expr: TimeExpr, period: Period) -> Window | None:
    """All the windows of a deadline as one: from the first day to the last (a moved occurrence's new window)."""
    windows = expr.windows(period)
    if not windows:
        return None
    return Window(windows[0].start, max(window.end for window in windows))


def moved_window(planned: Window | None, new_deadline: TimeExpr, period: Period) -> Window | None:
    """The window of a moved occurrence: the new deadline's days; for «до …» — «by» a day — the work still starts
    when it was planned to, so the window runs from the planned start to the new day."""
    window = span(new_deadline, period)
    if new_deadline.kind == "deadline" and planned is not None and window is not None:
        return Window(min(planned.start, window.end), window.end)
    return window


def occurrences(programme: Programme, until: dt.date | None = None) -> list[Occurrence]:
    """Every occurrence of every planned item, with the records dated `until` or earlier (None: all of them).

    Records that name no item, or no window of it, are left out here: the checks of engine/checks/execution.py
    report them.
    """
    period = programme.programme.period
    approved = approval_day(programme)
    items = planned_items(programme)
    schedules = {item.ref: (scheduled_windows(item.expr, period, approved) if item.expr.dated else [])
                 for item in items}
    lookup = ItemLookup.of(items)
    applying: dict[tuple[str, str], list[ExecutionRecord]] = {}
    records = programme.progress.records if programme.progress is not None else []
    for record in sorted(records, key=lambda r: r.date):       # stable: a day's records keep their order
        if until is not None and record.date > until:
            continue
        found = lookup.find(record.item)
        if len(found) != 1:
            continue
        item = found[0]
        keys = selected_keys(record, schedules[item.ref], period) if item.expr.dated else [""]
        for key in keys:
            applying.setdefault((item.ref, key), []).append(record)
    result = []
    for item in items:
        schedule = schedules[item.ref] if item.expr.dated else [("", None)]
        for key, planned in schedule:
            in_effect = tuple(applying.get((item.ref, key), ()))
            moved = next((r for r in reversed(in_effect) if r.new_deadline is not None), None)
            window = planned
            if moved is not None and moved.new_deadline is not None:
                window = moved_window(planned, moved.new_deadline, period)
            result.append(Occurrence(item, key, planned, window, in_effect, moved))
    return result


# --- states and tallies ----------------------------------------------------------------------------


def state(occurrence: Occurrence, as_of: dt.date, within: int) -> State:
    done_on = occurrence.done_on
    deadline = occurrence.deadline
    if done_on is not None:
        return State.DONE_LATE if deadline is not None and done_on > deadline else State.DONE
    if occurrence.cancelled:
        return State.CANCELLED
    if deadline is None:
        return State.UNDATED
    if deadline < as_of:
        return State.OVERDUE
    if (deadline - as_of).days <= within:
        return State.DUE_SOON
    return State.PLANNED


@dataclass
class Tally:
    """Counts of occurrences by state, and what is due (deadline on or before the day)."""

    states: dict[State, int] = field(default_factory=lambda: dict.fromkeys(State, 0))
    due: int = 0
    due_done_on_time: int = 0

    def add(self, occurrence_state: State, due: bool) -> None:
        self.states[occurrence_state] += 1
        if due and occurrence_state is not State.CANCELLED:
            self.due += 1
            self.due_done_on_time += occurrence_state is State.DONE

    @property
    def overdue(self) -> int:
        return self.states[State.OVERDUE]

    @property
    def share_on_time(self) -> Decimal | None:
        """Per cent of the due occurrences done by their deadline, to one decimal; None when nothing is due."""
        if not self.due:
            return None
        return (Decimal(self.due_done_on_time) * PERCENT / self.due).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class OccurrenceStatus:
    occurrence: Occurrence
    state: State
    due: bool                     # the deadline in force is the day asked or earlier

    @property
    def item(self) -> PlannedItem:
        return self.occurrence.item


@dataclass(frozen=True)
class ActualValue:
    """An indicator's actual value on a day. progress.yaml's `actuals` give one on their reporting day; a year's
    actual value in indicators.yaml (`actual: {2022: «…»}`) is the same fact for the year's last day — the value
    the year ended with — so a report as of 01.01.2023 reads it as the latest value."""

    date: dt.date
    value: Quantity
    comment: str | None = None
    recorded: IndicatorActual | None = None     # the progress.yaml entry; None for a year's value of indicators.yaml


def actual_values(programme: Programme, indicator: Indicator) -> list[ActualValue]:
    """Every actual value of an indicator, oldest first: the years' values of indicators.yaml, then progress.yaml's."""
    values = [ActualValue(dt.date(year, 12, 31), value) for year, value in indicator.actual.items()]
    if programme.progress is not None:
        values += [ActualValue(entry.date, entry.value, entry.comment, entry)
                   for entry in programme.progress.actuals if entry.indicator == indicator.id]
    return sorted(values, key=lambda value: value.date)      # stable: on one day progress.yaml's comes last


def planned_value(indicator: Indicator, year: int) -> Quantity:
    """The target an actual value of `year` is measured against: that year's of `targets`, else the final one."""
    return indicator.targets.get(year) or indicator.final_target


@dataclass(frozen=True)
class IndicatorStatus:
    indicator: Indicator
    actual: ActualValue | None          # the latest by the day asked
    target: Quantity                    # the plan for the year of that value (of the day asked, without one)
    achievement: Decimal | None         # per cent of the target, to one decimal

    @property
    def achieved(self) -> bool | None:
        if self.actual is None:
            return None
        target, actual = self.target.value, self.actual.value.value
        return actual <= target if self.indicator.direction == "decrease" else actual >= target


@dataclass(frozen=True)
class ProgrammeStatus:
    as_of: dt.date
    within: int
    occurrences: list[OccurrenceStatus]
    tally: Tally
    by_organisation: dict[str, Tally]     # organisation (or person without one) id → its occurrences' tally
    indicators: list[IndicatorStatus]

    def items(self) -> Iterator[tuple[PlannedItem, list[OccurrenceStatus]]]:
        """Each item with its occurrences, in the order of the documents."""
        grouped: dict[str, tuple[PlannedItem, list[OccurrenceStatus]]] = {}
        for entry in self.occurrences:
            grouped.setdefault(entry.item.ref, (entry.item, []))[1].append(entry)
        yield from grouped.values()

    def in_state(self, *states: State) -> list[OccurrenceStatus]:
        return [entry for entry in self.occurrences if entry.state in states]


def achievement(indicator: Indicator, target: Decimal, actual: Decimal) -> Decimal | None:
    """The share of the target reached, per cent: actual ÷ target, or target ÷ actual for a value to decrease (the
    method of the state programmes' effectiveness reports); None when the divisor is zero."""
    numerator, divisor = (target, actual) if indicator.direction == "decrease" else (actual, target)
    if divisor == 0:
        return None
    return (numerator * PERCENT / divisor).quantize(Decimal("0.1"), ROUND_HALF_UP)


def indicator_statuses(programme: Programme, as_of: dt.date) -> list[IndicatorStatus]:
    if programme.indicators is None:
        return []
    result = []
    for indicator in programme.indicators.all_items():
        known = [value for value in actual_values(programme, indicator) if value.date <= as_of]
        latest = known[-1] if known else None
        target = planned_value(indicator, latest.date.year if latest is not None else as_of.year)
        result.append(IndicatorStatus(indicator, latest, target, None if latest is None else
                                      achievement(indicator, target.value, latest.value.value)))
    return result


def programme_status(programme: Programme, as_of: dt.date, within: int = DUE_SOON_DAYS) -> ProgrammeStatus:
    """The programme as of a day: every occurrence's state, the tallies, the indicators."""
    entries = []
    tally = Tally()
    by_organisation: dict[str, Tally] = {}
    for occurrence in occurrences(programme, as_of):
        occurrence_state = state(occurrence, as_of, within)
        due = occurrence.deadline is not None and occurrence.deadline <= as_of
        entries.append(OccurrenceStatus(occurrence, occurrence_state, due))
        tally.add(occurrence_state, due)
        organisations = dict.fromkeys(party_organisation(programme, party) for party in occurrence.item.parties)
        for organisation in organisations:
            by_organisation.setdefault(organisation, Tally()).add(occurrence_state, due)
    return ProgrammeStatus(as_of, within, entries, tally, by_organisation, indicator_statuses(programme, as_of))


# --- words ---------------------------------------------------------------------------------------


def window_text(window: Window) -> str:
    """A window as a report names it: «2022 год», «март 2022», «февраль – март 2022», «01.06.2022 – 27.06.2022»."""
    start, end = window.start, window.end
    whole_months = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if whole_months and (start.month, end.month) == (1, 12) and start.year == end.year:
        return f"{start.year} год"
    if whole_months and start.year == end.year:
        months = MONTH_NAMES[start.month] if start.month == end.month else \
            f"{MONTH_NAMES[start.month]} – {MONTH_NAMES[end.month]}"
        return f"{months} {start.year}"
    if whole_months:
        return f"{MONTH_NAMES[start.month]} {start.year} – {MONTH_NAMES[end.month]} {end.year}"
    if start == end:
        return formats.date_numeric(start)
    return f"{formats.date_numeric(start)} – {formats.date_numeric(end)}"


def item_mark(entries: list[OccurrenceStatus]) -> str:
    """The «отметка о выполнении» of an item, from the states of its occurrences (docs/monitoring.md)."""
    active = [entry for entry in entries if entry.state is not State.CANCELLED]
    if not active:
        return "Отменено"
    done = [entry for entry in active if entry.state in (State.DONE, State.DONE_LATE)]
    if any(entry.state is State.OVERDUE for entry in active):
        return "Выполнено частично" if done else "Не выполнено"
    if len(done) == len(active):
        return "Выполнено с нарушением срока" if any(e.state is State.DONE_LATE for e in done) else "Выполнено"
    statuses = {entry.occurrence.current.status for entry in active if entry.occurrence.current is not None}
    if done or "выполняется" in statuses:
        return "Выполняется"
    if any(entry.occurrence.moved is not None for entry in active):
        return "Перенесено"
    if "не выполнено" in statuses:
        return "Не выполнено"
    return "Без срока" if all(entry.state is State.UNDATED for entry in active) else "Срок не наступил"
