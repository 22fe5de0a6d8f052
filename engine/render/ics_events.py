"""What a calendar shows: every dated item of a programme as all-day events, and the undated rest.

Shared by the calendar writer (`engine.render.ics`) and the history stage (`engine.building.history`),
which derives the same events from past versions of the spec to count their changes.

Identity (docs/calendars.md): an event's UID is

    <programme id>.<document>.<item id>.<window key>[.due]@prikaz

The window key of a deadline that names its windows itself («01.06.2022 – 27.06.2022;
15.11.2022 – 30.11.2022», «Март-декабрь 2022») is the window's place among the item's own
windows in date order (1, 2): moving a window's dates keeps its UID. A deadline that repeats
(«ежегодно», «Июнь-июль» in a plan for several years, «Ноябрь, январь, март, июнь»,
«ежемесячно») keys each window by its date — the year (2022) or the month (2022-01) — so
dropping January touches only January's events. Nothing in a UID depends on where the item
stands in the document or on its computed number, so reordering and renumbering change no UID.

Kinds (what a subscriber tells apart by the title and CATEGORIES): a one-day window is a due
date («Срок: …»); a longer one is a work period («Период: …»), and unless the programme turns
`deadline_events` off its last day is also published as a due date (UID with «.due»). Reminders
(`programme.reminders`, days before the due date, at 09:00) go on the due dates, relative to
their start — the only form Outlook reads (it keeps one VALARM, takes |TRIGGER| as the time
before the start and ignores RELATED=END) — so the longest lead comes first. Without due-date
events a period carries them relative to its end.

Windows and keys are those the plan schedules (engine.model.execution.scheduled_windows, which
the execution records use too). With execution records (progress.yaml) a window moved by a
decision is published on its new days under the same UID; one done says «выполнено» in its title
and CATEGORIES, one cancelled is STATUS:CANCELLED; neither reminds anyone (docs/monitoring.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass

from icalendar.prop import vDuration

from engine import formats
from engine.diagnostics import Diagnostic, DiagnosticError, Severity
from engine.export import evidence_text
from engine.model.appendices import appendices, decree_reference
from engine.model.execution import NOT_AN_ID, Occurrence, occurrences, scheduled_windows
from engine.model.spec import Activity, AppendixDocument, Clause, Specification, SpecItem, SpecModel
from engine.model.text import TextContext, appendix_numbers, lower_first, person_name, render_text
from engine.model.timeexpr import TimeExpr, Window
from engine.model.validate import ProgrammeModel, refine
from engine.model.walk import decree_clauses, timed_items, walk_clauses
from engine.render import RenderError

UID_DOMAIN = "prikaz"
REMINDER_SYNTAX = "C101"
ONE_DAY = dt.timedelta(days=1)
REMINDER_HOUR = dt.timedelta(hours=9)   # a reminder «за N дней» comes at 09:00 of that day, the client's time
DUE, PERIOD = "Срок", "Период выполнения"   # the first CATEGORIES value of a due date and of a work period
DUE_SUFFIX = ".due"
_LINE_SPACE = re.compile(r"[ \t\r\n]+")


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event: the days `start` up to, not including, `end` (DTEND is exclusive)."""

    uid: str
    programme: str  # programme id: whose history gives the event its SEQUENCE
    start: dt.date
    end: dt.date
    summary: str
    description: str
    categories: tuple[str, ...]  # the kind (DUE or PERIOD), then the roadmap section or the document
    organisations: tuple[str, ...]  # responsible organisation ids: the feeds the event belongs to
    reminders: tuple[dt.timedelta, ...]  # VALARM triggers, longest lead first: offsets from the start (or the end)
    reminders_from_end: bool = False     # TRIGGER;RELATED=END: a work period published without its due date
    anchor: str = ""                     # where on the programme's page the item is («clause-report», «timeline»)
    contacts: tuple[str, ...] = ()       # CONTACT: who answers for it, from the glossary
    organizer: tuple[str, str] | None = None   # ORGANIZER: (name, e-mail) of the authority that set the deadline
    status: str = ""                     # STATUS: CANCELLED for an occurrence cancelled by a decision

    @property
    def due(self) -> bool:
        return self.categories[0] == DUE

    def order(self) -> tuple:
        """Feeds list events by date (then UID), so a diff of two builds reads like the calendar."""
        return self.start, self.end, self.uid

    def fingerprint(self) -> str:
        """A digest of everything the event publishes except its identity: any change raises SEQUENCE."""
        content = [str(value) for value in (self.start, self.end, self.summary, self.description, self.categories,
                                            self.organisations, self.reminders, self.reminders_from_end, self.anchor,
                                            self.contacts, self.organizer, self.status)]
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class UndatedItem:
    """An item whose deadline names no date («по запросу»): listed in the build report, not in a calendar."""

    reference: str
    summary: str
    time: str


@dataclass(frozen=True)
class ProgrammeCalendar:
    events: list[CalendarEvent]  # sorted by date, then UID
    undated: list[UndatedItem]
    notes: list[str]  # what the build report should tell about identities


@dataclass(frozen=True)
class _Item:
    """What every window of one dated or undated item shares."""

    key: str  # <document>.<item id>
    summary: str
    description: list[str]
    reference: str
    category: str
    organisations: tuple[str, ...]
    identity_note: str = ""  # why the UID of this item's events is weaker than it should be
    anchor: str = ""
    contacts: tuple[str, ...] = ()


def programme_calendar(model: ProgrammeModel) -> ProgrammeCalendar:
    """Every timed item of the programme as events; raises RenderError on what cannot be published."""
    return _CalendarBuilder(model).build()


class _CalendarBuilder:
    def __init__(self, model: ProgrammeModel):
        self.model = model
        self.programme = model.programme
        self.period = self.programme.programme.period
        self.numbers = appendix_numbers(self.programme)
        self.marks = {appendix.kind: appendix.mark for appendix in appendices(self.programme)}
        self.reminders = self._reminders()
        self.deadline_events = self.programme.programme.deadline_events
        decree = self.programme.decree
        authority = self.programme.organisations.get(decree.authority) if decree else None
        self.authority = authority.short if authority else ""
        self.organizer = (authority.short, authority.email) if authority and authority.email else None
        self.approved = self.programme.decree.date if self.programme.decree else None
        self.enclosing = {id(c): enclosing for c, enclosing in walk_clauses(decree_clauses(self.programme))}
        self.execution = {(o.item.ref, o.key): o for o in occurrences(self.programme)}     # every record
        roadmap = self.programme.roadmap
        self.sections = {id(a): s for s in (roadmap.sections if roadmap else []) for a in s.activities}

    def build(self) -> ProgrammeCalendar:
        events: list[CalendarEvent] = []
        undated: list[UndatedItem] = []
        notes: list[str] = []
        for target, _, expr in timed_items(self.programme):
            item = self._item(target)
            if not expr.dated:
                undated.append(UndatedItem(item.reference, item.summary, expr.text))
                continue
            if item.identity_note:
                notes.append(item.identity_note)
            description = "\n".join(item.description + [
                f"Срок: {expr.wording}",
                f"Документ: {item.reference}",
                f"Программа: {self.programme.programme.title} ({self.programme.programme.region})",
            ] + ([f"Срок установил: {self.authority}"] if self.authority else []))
            for key, window in scheduled_windows(expr, self.period, self.approved):
                occurrence = self.execution.get((item.key, key))
                if occurrence is None:
                    events.extend(self._events(f"{self.model.id}.{item.key}.{key}", window, item, description))
                else:
                    events.extend(self._executed(f"{self.model.id}.{item.key}.{key}", occurrence, window, item,
                                                 description))
        events.sort(key=CalendarEvent.order)
        return ProgrammeCalendar(events, undated, notes)

    def _events(self, base: str, window: Window, item: _Item, description: str, mark: str = "",
                status: str = "") -> list[CalendarEvent]:
        """A one-day window is a due date; a longer one a work period, with its last day as a due date unless the
        programme publishes periods only. An occurrence done or cancelled (`mark`) says so in its title and
        categories and reminds no one."""
        due_reminders = () if mark else tuple(REMINDER_HOUR - before for before in self.reminders)
        marked = f" — {mark}" if mark else ""

        def event(uid: str, start: dt.date, kind: str, reminders: tuple[dt.timedelta, ...],
                  from_end: bool = False) -> CalendarEvent:
            return CalendarEvent(uid=f"{uid}@{UID_DOMAIN}", programme=self.model.id, start=start, end=window.end + ONE_DAY,
                                 summary=f"{'Срок' if kind == DUE else 'Период'}: {item.summary}{marked}",
                                 description=description,
                                 categories=(kind, item.category, *([_capitalised(mark)] if mark else [])),
                                 organisations=item.organisations, reminders=reminders, reminders_from_end=from_end,
                                 anchor=item.anchor, contacts=item.contacts, organizer=self.organizer, status=status)

        if window.start == window.end:
            return [event(base, window.start, DUE, due_reminders)]
        if not self.deadline_events:
            return [event(base, window.start, PERIOD, () if mark else tuple(
                REMINDER_HOUR - ONE_DAY - before for before in self.reminders), from_end=True)]
        return [event(base, window.start, PERIOD, ()), event(f"{base}{DUE_SUFFIX}", window.end, DUE, due_reminders)]

    def _executed(self, base: str, occurrence: Occurrence, window: Window, item: _Item,
                  description: str) -> list[CalendarEvent]:
        """The events of an occurrence as its execution records have it (all of them, whatever their date: a
        calendar shows what is known): a moved one on its new days under the same UID, so a subscriber's event
        moves rather than doubles; one done marked «выполнено»; one cancelled STATUS:CANCELLED."""
        lines = []
        moved = occurrence.moved
        if moved is not None and moved.new_deadline is not None:
            decision = f" ({lower_first(evidence_text(self.programme, moved.decision))})" if moved.decision else ""
            lines.append(f"Срок перенесён{decision}, новый срок — {moved.new_deadline.wording}")
            window = occurrence.window or window        # a move to no date at all keeps the planned days
        current = occurrence.current
        mark, status = "", ""
        if occurrence.done_on is not None and current is not None:
            mark = "выполнено"
            evidence = "; ".join(evidence_text(self.programme, document) for document in current.evidence)
            lines.append(f"Выполнено {formats.date_numeric(occurrence.done_on)}" + (f": {evidence}" if evidence else ""))
        elif occurrence.cancelled and current is not None:
            mark, status = "отменено", "CANCELLED"
            decision = f" ({lower_first(evidence_text(self.programme, current.decision))})" if current.decision else ""
            lines.append(f"Отменено {formats.date_numeric(current.date)}{decision}")
        if lines:
            description = "\n".join([description, *lines])
        return self._events(base, window, item, description, mark, status)

    # --- items ----------------------------------------------------------------------------

    def _item(self, target: SpecModel) -> _Item:
        if isinstance(target, Activity):
            return self._activity(target)
        if isinstance(target, Clause):
            return self._clause(target)
        if isinstance(target, SpecItem):
            return self._specification_item(target)
        if isinstance(target, Specification):
            return self._service_period(target)
        raise TypeError(f"no calendar form for {type(target).__name__}")

    def _activity(self, activity: Activity) -> _Item:
        roadmap = self.programme.roadmap
        assert roadmap is not None  # the activity is one of its own
        section = self.sections.get(id(activity))
        lines = self._paragraphs(activity, "details", activity.details)
        lines.append("Ответственные: " + ", ".join(self._party(owner.org) for owner in activity.owners))
        for owner in activity.owners:
            if owner.result:
                lines.append(f"Результат ({self._party(owner.org)}):")
                lines += self._paragraphs(owner, "result", owner.result)
        if activity.result:
            lines.append("Планируемый результат:")
            lines += self._paragraphs(activity, "result", activity.result)
        return _Item(
            key=f"roadmap.{activity.id}",
            summary=_headline(self._text(activity.title, activity, "title")),
            description=lines,
            reference=f"{self._document('roadmap', roadmap)}, пункт {activity.number}",
            category=self._text(section.title, section, "title") if section else self._text(roadmap.title, roadmap, "title"),
            organisations=self._organisations(owner.org for owner in activity.owners),
            anchor="timeline", contacts=self._contacts(owner.org for owner in activity.owners),
        )

    def _clause(self, clause: Clause) -> _Item:
        decree = self.programme.decree
        assert decree is not None  # the clause is one of its own
        chain = self.enclosing.get(id(clause), ()) + (clause,)
        full_text = " ".join(self._text(c.text, c, "text", deadline=c.deadline) for c in chain)
        responsible = next((c.responsible for c in reversed(chain) if c.responsible), [])
        key, identity_note = f"decree.{clause.id}", ""
        if not clause.id:
            # Without an id only the number identifies the clause: renumbering would change the UID.
            key = f"decree.{NOT_AN_ID}{clause.number.replace('.', '-')}"
            identity_note = (f"пункт {clause.number} со сроком не имеет id: UID его события зависит от номера "
                             f"пункта; добавьте «id:», чтобы перенумерация не создавала новое событие")
        lines = [full_text]
        if responsible:
            lines.append("Ответственные: " + ", ".join(self._party(ref) for ref in responsible))
        return _Item(
            key=key,
            summary=_headline(self._text(clause.text, clause, "text", deadline=clause.deadline)),
            description=lines,
            reference=f"{_capitalised(decree_reference(self.programme, decree, 'nom'))}, пункт {clause.number}",
            category=_capitalised(decree.kind),
            organisations=self._organisations(responsible),
            identity_note=identity_note, anchor=f"clause-{clause.id}" if clause.id else "decree",
            contacts=self._contacts(responsible),
        )

    def _specification_item(self, item: SpecItem) -> _Item:
        specification = self.programme.specification
        assert specification is not None  # the item is one of its own
        deliverables = [self._text(text, item, "deliverables", index, quantities=item.quantities)
                        for index, text in enumerate(item.deliverables)]
        return _Item(
            key=f"specification.{item.id}",
            summary=_headline(self._text(item.text, item, "text", quantities=item.quantities)),
            description=(["Состав работ и результаты:"] + deliverables) if deliverables else [],
            reference=f"{self._document('specification', specification)}, пункт {item.number}",
            category=self._text(specification.title, specification, "title"),
            organisations=self._organisations([specification.executor] if specification.executor else []),
            anchor="files", contacts=self._contacts([specification.executor] if specification.executor else []),
        )

    def _service_period(self, specification: Specification) -> _Item:
        event_name = self._text(specification.event_name, specification, "event_name")
        return _Item(
            key=f"specification.{NOT_AN_ID}service-period",
            summary=f"Срок оказания услуг по техническому заданию: {event_name}",
            description=[],
            reference=f"{self._document('specification', specification)}, раздел 3 «Срок оказания услуг»",
            category=self._text(specification.title, specification, "title"),
            organisations=self._organisations([specification.executor] if specification.executor else []),
            anchor="files", contacts=self._contacts([specification.executor] if specification.executor else []),
        )

    # --- helpers --------------------------------------------------------------------------

    def _text(self, text: str, owner: SpecModel, *path: str | int, deadline: TimeExpr | None = None,
              quantities=()) -> str:
        """Placeholders substituted; a failure is the user's to fix, so it points at the text."""
        context = TextContext(self.programme, self.numbers, deadline=deadline, quantities=list(quantities))
        try:
            return _single_line(render_text(text, context))
        except DiagnosticError as exc:
            span = refine(self.model.sources.span(owner.path + path), self.model.sources, exc.offset, exc.length)
            raise RenderError([Diagnostic(exc.code, Severity.ERROR, exc.message, span, exc.hint, "calendar-text")]) from None

    def _paragraphs(self, owner: SpecModel, field: str, paragraphs: list[str]) -> list[str]:
        return [self._text(text, owner, field, index) for index, text in enumerate(paragraphs)]

    def _document(self, kind: str, document: AppendixDocument) -> str:
        title = self._text(document.title, document, "title")
        mark = self.marks.get(kind)
        return f"{title} ({lower_first(mark)})" if mark else title

    def _party(self, ref: str) -> str:
        if ref in self.programme.organisations:
            return self.programme.organisations[ref].short
        return person_name(self.programme.people[ref])

    def _contacts(self, refs) -> tuple[str, ...]:
        """Who answers for the item, as the glossary knows them: a person with position and organisation, an
        organisation by name; with e-mail and phone where given."""
        found: list[str] = []
        for ref in refs:
            person = self.programme.people.get(ref)
            if person is not None:
                org = self.programme.organisations.get(person.organisation or "")
                parts = [person_name(person), person.position] + ([org.short] if org else [])
                reach = (person.email, person.phone)
            else:
                org = self.programme.organisations.get(ref)
                if org is None:
                    continue
                parts, reach = [org.short], (org.email, org.phone)
            text = ", ".join(parts + [value for value in reach if value])
            if text not in found:
                found.append(text)
        return tuple(found)

    def _organisations(self, refs) -> tuple[str, ...]:
        """Owners and responsible people resolved to organisations (a person stands for their organisation)."""
        found: list[str] = []
        for ref in refs:
            person = self.programme.people.get(ref)
            org = person.organisation if person is not None else ref
            if org in self.programme.organisations and org not in found:
                found.append(org)
        return tuple(found)

    def _reminders(self) -> tuple[dt.timedelta, ...]:
        """How many days before the due date each reminder comes, longest lead first (Outlook keeps the first)."""
        info = self.programme.programme
        reminders = []
        for index, text in enumerate(info.reminders):
            try:
                before = vDuration.from_ical(text)
            except ValueError:
                before = None
            if before is None or before < dt.timedelta(0) or before % ONE_DAY:
                raise RenderError([Diagnostic(
                    REMINDER_SYNTAX, Severity.ERROR, f"напоминание «{text}» записано неверно",
                    self.model.sources.span(info.path + ("reminders", index)),
                    "напоминание — за сколько дней до срока, длительность ISO 8601 в днях: «P7D» (за неделю), "
                    "«P1D» (накануне), «P0D» (в день срока); приходит в 9:00",
                    "calendar-reminder")])
            reminders.append(before)
        return tuple(sorted(set(reminders), reverse=True))


def _single_line(text: str) -> str:
    """Line breaks of the YAML source mean nothing in a calendar; no-break spaces («№ 266») stay."""
    return _LINE_SPACE.sub(" ", text).strip()


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _headline(text: str) -> str:
    """A document row as a calendar title: capitalised, without the «:» or «;» that led into a list."""
    return _capitalised(text.rstrip(" :;"))
