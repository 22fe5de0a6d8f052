"""Calendar feeds (RFC 5545, RFC 7986): what people subscribe to once and keep forever.

Per programme: `calendar.ics` with every dated item, `calendars/<org>.ics` for each of its
organisations and `build-report.txt` naming the undated items. Across programmes: the feed of
each organisation's identity (`engine.model.identity`: its ИНН, else the region and its id) at
`calendars/<region>/<id>.ics` or `calendars/inn/<ИНН>.ics`, with its items from every programme.

No published address ever disappears (BuildOptions.published_feeds, `engine.render.feed_registry`):
an address no longer filled gets an emptied calendar named «… — календарь закрыт», or
«… — календарь перенесён» with the address of its successor (an organisation's new id declares its
former ones in `formerly`; the feeds by bare id of earlier versions, `calendars/<id>.ics`, point to
the feeds of every organisation with that id).

Every event is an all-day VEVENT (the time language has no time of day, so there are no
floating times); each window of an item is its own event, with no RRULE — docs/calendars.md
explains why. Every feed carries the VTIMEZONE of its programmes' zones, built from zoneinfo by
icalendar: a calendar must hold at least one component, so a feed with no events stays valid.
There is no METHOD: a feed is not an iTIP message, and METHOD:PUBLISH would require an ORGANIZER
in every event (RFC 5546 §3.2.1, checked by libical). Every TEXT value goes through `_text`: a
control character never reaches the bytes, CR and LF become the escaped «\\n». SEQUENCE,
LAST-MODIFIED and CREATED come from the history stage (`engine.building.history`) through
BuildOptions.calendar_history; DTSTAMP is the build time. Same input, same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tempfile
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, replace

from icalendar import Alarm, Calendar, Component, Event, Timezone
from icalendar.prop import vCategory, vDatetime, vDuration, vText

from engine import fast_paths
from engine.model.identity import SHARED_FEEDS, organisation_identity, shared_feed
from engine.model.validate import ProgrammeModel
from engine.render import BuildOptions
from engine.render.calendar_history import CalendarHistory
from engine.render.feed_registry import PublishedFeed
from engine.render.ics_events import CalendarEvent, ProgrammeCalendar, programme_calendar

PRODID = "-//prikaz//calendar feeds//RU"
# Roadmaps change a few times a year; twice a day is often enough and gentle on the host.
REFRESH_INTERVAL = dt.timedelta(hours=12)
FEED = "calendar.ics"
REPORT = "build-report.txt"


@dataclass(frozen=True)
class _Feed:
    name: str
    description: str
    zones: tuple[tuple[str, dt.date, dt.date], ...]   # (IANA zone, first day, last day) of its programmes, by zone
    events: list[CalendarEvent]


def render_programme_calendars(model: ProgrammeModel, options: BuildOptions) -> dict[str, bytes]:
    """calendar.ics and calendars/<org>.ics of one programme."""
    info = model.programme.programme
    calendar, serialized = _serialized_events(model, options)
    years = info.period.years
    period = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    zones = ((info.timezone, info.period.start, info.period.end),)
    files = {FEED: _ical(_Feed(
        info.title,
        f"Сроки мероприятий и поручений программы «{info.title}» ({info.region}, {period}), "
        f"по утверждённым документам. Обновляется при каждом изменении спецификации.",
        zones, calendar.events), serialized)}
    for org_id, org in model.programme.organisations.items():
        # Every organisation gets a feed, even an empty one: a subscribed URL must not vanish
        # when the organisation's last item goes, or subscribers would keep the stale events.
        org_events = [event for event in calendar.events if org_id in event.organisations]
        files[f"calendars/{org_id}.ics"] = _ical(_Feed(
            f"{org.short} — {info.title}",
            f"Сроки, за которые отвечает {org.short}, в программе «{info.title}».",
            zones, org_events), serialized)
    renamed = {f"{model.id}/calendars/{old}.ics": f"{model.id}/calendars/{org_id}.ics"
               for org_id, org in model.programme.organisations.items() for old in org.formerly}
    for path, published in options.published_feeds.items():
        own = path.removeprefix(f"{model.id}/")
        if own != path and own not in files:
            successor = renamed.get(path)
            files[own] = retired_feed(published, (successor,) if successor else (), options, (
                "организация названа в программе по-новому" if successor else
                f"в программе «{info.title}» этого календаря больше нет: организацию убрали из ответственных"))
    return files


# The last programme's events as serialized: its feeds, its build report and its part of the feeds
# across programmes all show the same events, and icalendar's serialization is most of their cost.
_LAST_SERIALIZED: list[tuple[ProgrammeModel, CalendarHistory, dt.datetime, ProgrammeCalendar,
                             dict[CalendarEvent, bytes]]] = []


def _serialized_events(model: ProgrammeModel, options: BuildOptions) -> tuple[ProgrammeCalendar,
                                                                                dict[CalendarEvent, bytes]]:
    """The programme's events and each one's VEVENT lines (icalendar's), stamped with the build time.

    Serialized once per programme: for another build time (the feeds across programmes carry the
    latest of all programmes') only DTSTAMP, and LAST-MODIFIED where the history does not know the
    event, differ — those lines are swapped in the bytes icalendar gave.
    """
    history = _history(options, model)
    stamp = options.build_time.astimezone(dt.UTC)
    if _LAST_SERIALIZED and _LAST_SERIALIZED[0][0] is model and _LAST_SERIALIZED[0][1] == history:
        _, _, serialized_at, calendar, serialized = _LAST_SERIALIZED[0]
        if serialized_at == stamp:
            return calendar, serialized
        before, after = vDatetime(serialized_at).to_ical(), vDatetime(stamp).to_ical()
        return calendar, {event: _restamped(lines, before, after, event.uid not in history.revisions)
                          for event, lines in serialized.items()}
    calendar = programme_calendar(model)
    serialized = {}
    for event in calendar.events:
        revision = history.revision(event.uid, stamp)
        serialized[event] = vevent_bytes(event, stamp, revision.sequence, revision.last_modified, revision.created,
                                         options.site_url)
    _LAST_SERIALIZED[:] = [(model, history, stamp, calendar, serialized)]
    return calendar, serialized


def programme_events(model: ProgrammeModel) -> ProgrammeCalendar:
    """The programme's events: those its feeds were just written from (the pages that describe the feeds are
    rendered after them), else made anew."""
    if _LAST_SERIALIZED and _LAST_SERIALIZED[0][0] is model:
        return _LAST_SERIALIZED[0][3]
    return programme_calendar(model)


def _restamped(lines: bytes, before: bytes, after: bytes, modified_at_build: bool) -> bytes:
    """A VEVENT's lines with DTSTAMP (and LAST-MODIFIED and CREATED, when they are the build time) moved from the
    time `before` to `after` (both as iCalendar writes them).

    Every property line follows a CRLF, and a folded TEXT line continues after CRLF + space, so
    «CRLF DTSTAMP:» starts nothing but the DTSTAMP line.
    """
    names = (b"DTSTAMP", b"LAST-MODIFIED", b"CREATED") if modified_at_build else (b"DTSTAMP",)
    for name in names:
        lines = lines.replace(b"\r\n" + name + b":" + before + b"\r\n", b"\r\n" + name + b":" + after + b"\r\n", 1)
    return lines


def render_build_report(model: ProgrammeModel, options: BuildOptions) -> dict[str, bytes]:
    """build-report.txt: what the feeds hold, what they cannot hold (undated items), and why SEQUENCE is what it is."""
    calendar, _ = _serialized_events(model, options)
    lines = [f"Программа {model.id}: отчёт о сборке календарей", "", "Календари:",
             f"  {FEED} — событий: {len(calendar.events)}"]
    for org_id, org in model.programme.organisations.items():
        count = sum(org_id in event.organisations for event in calendar.events)
        lines.append(f"  calendars/{org_id}.ics ({org.short}) — событий: {count}")
    lines += ["", f"Сроки без даты — в календари не внесены ({len(calendar.undated)}):"]
    lines += [f"  {item.reference}: «{item.summary}» — срок «{item.time}»" for item in calendar.undated] or ["  нет"]
    if calendar.notes:
        lines += ["", "Замечания:"] + [f"  {note}" for note in calendar.notes]
    lines += ["", f"SEQUENCE и LAST-MODIFIED: {_history(options, model).note}", ""]
    return {REPORT: "\n".join(lines).encode("utf-8")}


@dataclass(frozen=True)
class ProgrammeEvents:
    """One programme's part of the feeds across programmes: its organisations and their events, serialized."""

    programme: str
    title: str
    region: str
    zone: tuple[str, dt.date, dt.date]            # (IANA zone, first day, last day of the period)
    organisations: dict[str, str]                 # id → short name
    identities: dict[str, str]                    # id → identity across programmes (engine.model.identity)
    formerly: dict[str, str]                      # a former id → the identity it had, for the current id's identity
    events: tuple[tuple[str, tuple[str, ...], bytes], ...]   # (order key, organisation ids, VEVENT lines)


class OrganisationCalendars:
    """The feeds across programmes at the outputs root: one organisation's items from every programme.

    Gathered programme by programme (`part` runs where the programme is rendered, `add` in the
    build): the events go to a temporary spool file as they come, and only their order stays in
    memory, so a thousand programmes' feeds are written without holding them.
    """

    def __init__(self) -> None:
        self._spool = tempfile.TemporaryFile(prefix="prikaz-feeds-")  # noqa: SIM115 — lives as long as the gatherer
        self._programmes: list[ProgrammeEvents] = []
        self._events: dict[str, list[tuple[str, int, int]]] = {}   # identity → (order key, offset, length)

    @staticmethod
    def part(model: ProgrammeModel, options: BuildOptions, files: tuple[str, ...]) -> ProgrammeEvents:
        """The programme's events as the feeds across programmes show them (stamped with their build time)."""
        info = model.programme.programme
        calendar, serialized = _serialized_events(model, options)
        events = []
        for event in calendar.events:
            lines = serialized[event]
            start, end, uid = event.order()
            events.append((f"{start.isoformat()}{end.isoformat()}{uid}", event.organisations, lines))
        organisations = model.programme.organisations
        identities = {org_id: organisation_identity(info.region, org_id, org) for org_id, org in organisations.items()}
        formerly = {organisation_identity(info.region, old, org): identities[org_id]
                    for org_id, org in organisations.items() for old in org.formerly}
        return ProgrammeEvents(model.id, info.title, info.region, (info.timezone, info.period.start, info.period.end),
                               {org_id: org.short for org_id, org in organisations.items()}, identities, formerly,
                               tuple(events))

    def add(self, part: ProgrammeEvents) -> None:
        self._programmes.append(replace(part, events=()))
        for key, organisations, lines in part.events:
            offset = self._spool.tell()
            self._spool.write(lines)
            entry = (key, offset, len(lines))
            for identity in {part.identities[org_id] for org_id in organisations if org_id in part.identities}:
                self._events.setdefault(identity, []).append(entry)

    def files(self, options: BuildOptions) -> Iterator[tuple[str, Iterator[bytes]]]:
        """(path under outputs/, the feed's bytes piece by piece): one feed per organisation identity, by identity;
        then the emptied feeds of every address published before and no longer filled."""
        members: dict[str, list[tuple[ProgrammeEvents, str]]] = {}
        by_id: dict[str, set[str]] = {}          # a bare id → the identities that have it (the feeds by bare id)
        renamed: dict[str, str] = {}
        for programme in sorted(self._programmes, key=lambda programme: programme.programme):
            for org_id, identity in programme.identities.items():
                members.setdefault(identity, []).append((programme, org_id))
                by_id.setdefault(org_id, set()).add(identity)
            renamed.update(programme.formerly)
        written = set()
        for identity, programmes in sorted(members.items()):
            first, org_id = programmes[0]
            short = first.organisations[org_id]
            titles = "; ".join(f"«{programme.title}» ({programme.region})" for programme, _ in programmes)
            where = "" if identity.startswith("inn/") else f" ({first.region})"
            head = _head(_Feed(f"{short}{where} — сроки всех программ",
                               f"Сроки, за которые отвечает {short}{where}, во всех программах: {titles}.",
                               _zones(programme.zone for programme, _ in programmes), []))
            written.add(shared_feed(identity))
            yield shared_feed(identity), self._feed(head, sorted(self._events.get(identity, ())))
        # The feeds by bare id that earlier versions published: one id in two regions is two organisations.
        for org_id, identities in sorted(by_id.items()):
            path = f"{SHARED_FEEDS}/{org_id}.ics"
            previous = options.published_feeds.get(path) or PublishedFeed(
                f"{members[min(identities)][0][0].organisations[org_id]} — сроки всех программ",
                tuple(sorted({programme.zone[0] for identity in identities for programme, _ in members[identity]})))
            written.add(path)
            yield path, iter((retired_feed(previous, tuple(sorted(shared_feed(identity) for identity in identities)),
                                           options, "общий календарь организаций теперь свой у каждой организации: "
                                                    "одинаковое обозначение в разных регионах — разные организации"),))
        for path, published in sorted(options.published_feeds.items()):
            if path.startswith(f"{SHARED_FEEDS}/") and path not in written:
                identity = path[len(SHARED_FEEDS) + 1:-len(".ics")]
                successor = shared_feed(renamed[identity]) if identity in renamed else None
                yield path, iter((retired_feed(published, (successor,) if successor else (), options, (
                    "организация названа по-новому" if successor else
                    "ни одна программа больше не называет эту организацию ответственной")),))

    def retired(self, relative: str, options: BuildOptions) -> Iterator[bytes] | None:
        """A feed across programmes written by an earlier build that neither the programmes nor the registry of
        published feeds account for (outputs/ of a version before the registry): emptied, not deleted."""
        if not relative.startswith(f"{SHARED_FEEDS}/") or not relative.endswith(".ics"):
            return None
        name = relative[len(SHARED_FEEDS) + 1:-len(".ics")]
        return iter((retired_feed(options.published_feeds.get(relative) or PublishedFeed(
            f"{name} — сроки всех программ", ()), (), options,
            "ни одна программа больше не называет эту организацию ответственной"),))

    def _feed(self, head: bytes, entries: list[tuple[str, int, int]]) -> Iterator[bytes]:
        yield head[:-len(_END)]
        for _, offset, length in entries:
            self._spool.seek(offset)
            yield self._spool.read(length)
        yield _END


def _history(options: BuildOptions, model: ProgrammeModel) -> CalendarHistory:
    return options.calendar_history.get(model.id) or CalendarHistory.unknown()


_END = b"END:VCALENDAR\r\n"


def _zones(zones) -> tuple[tuple[str, dt.date, dt.date], ...]:
    """Each zone once, over the days of all the programmes in it."""
    spans: dict[str, tuple[dt.date, dt.date]] = {}
    for zone, first, last in zones:
        known = spans.get(zone)
        spans[zone] = (min(first, known[0]), max(last, known[1])) if known else (first, last)
    return tuple((zone, *spans[zone]) for zone in sorted(spans))


@functools.lru_cache(maxsize=64)
def _vtimezone(zone: str, first: dt.date, last: dt.date) -> bytes:
    """The zone's VTIMEZONE over the days given, as icalendar builds it from zoneinfo — without the COMMENT icalendar
    puts on the VTIMEZONE itself: RFC 5545 allows COMMENT only in its STANDARD and DAYLIGHT parts (libical flags it)."""
    timezone = Timezone.from_tzinfo(zoneinfo.ZoneInfo(zone), first_date=first, last_date=last)
    timezone.pop("COMMENT", None)
    return component_bytes(timezone)


def _head(feed: _Feed) -> bytes:
    """The feed's calendar without events, ending with END:VCALENDAR: the calendar's own lines, then its VTIMEZONEs."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # The RFC 7986 property and its X-WR- twin, which Google and Outlook read instead; escaped as TEXT.
    name, description = _text(feed.name, single_line=True), _text(feed.description)
    calendar.add("name", vText(name))
    calendar.add("x-wr-calname", vText(name))
    calendar.add("description", vText(description))
    calendar.add("x-wr-caldesc", vText(description))
    if len(feed.zones) == 1:
        calendar.add("x-wr-timezone", feed.zones[0][0])
    # RFC 7986 requires VALUE=DURATION on REFRESH-INTERVAL; X-PUBLISHED-TTL is Outlook's twin.
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    head = component_bytes(calendar)
    if not head.endswith(_END):  # pragma: no cover - icalendar always closes the calendar last
        raise RuntimeError("icalendar: a calendar that does not end with END:VCALENDAR")
    return head[:-len(_END)] + b"".join(_vtimezone(*zone) for zone in feed.zones) + _END


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _text(value: str, single_line: bool = False) -> str:
    """A TEXT value as RFC 5545 allows it: no control character but the line break, which icalendar escapes as
    «\\n» (a lone CR, which parsers may read as the end of a line, becomes one too, or a space on one line)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if single_line:
        value = " ".join(value.split("\n"))
    return _CONTROL.sub("", value)


RETIRED = "X-PRIKAZ-RETIRED"     # marks an emptied feed: the registry keeps the name its subscribers knew
_MOVED, _CLOSED = " — календарь перенесён", " — календарь закрыт"


def retired_feed(published: PublishedFeed, successors: tuple[str, ...], options: BuildOptions, reason: str) -> bytes:
    """An emptied calendar for an address no longer filled: its subscribers' clients drop every event they had
    from it (a 404 would leave them for good), and its name and description say where the deadlines went."""
    moved = bool(successors)
    addresses = [site_address(path, options) for path in successors]
    name = published.name + (_MOVED if moved else _CLOSED)
    description = (f"Этот календарь больше не обновляется и пуст: {reason}. "
                   + (f"Сроки теперь — в календаре: {', '.join(addresses)}." if moved else
                      f"Все календари сроков — на сайте {site_address('index.html', options)}."))
    zones = tuple(zone for zone in published.zones if _known_zone(zone)) or ("Etc/UTC",)
    year = options.build_time.year     # a VTIMEZONE over the build's year: its STANDARD (and DAYLIGHT) parts
    head = _head(_Feed(name, description, tuple((zone, dt.date(year, 1, 1), dt.date(year, 12, 31))
                                                for zone in sorted(set(zones))), []))
    marker = b"".join(fold(f"{RETIRED}:{address}".encode()) + b"\r\n" for address in addresses or ["TRUE"])
    start = head.index(b"BEGIN:VTIMEZONE")
    return head[:start] + marker + head[start:]


def site_address(path: str, options: BuildOptions) -> str:
    """A file of the site as a subscriber can use it: absolute with the site's address, else from the site's root."""
    return f"{options.site_url.rstrip('/')}/{path}" if options.site_url else f"/{path} (от адреса сайта)"


def _known_zone(zone: str) -> bool:
    try:
        zoneinfo.ZoneInfo(zone)
        return True
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False


def published_feed(data: bytes) -> tuple[PublishedFeed, bool]:
    """What the registry records of a feed as written (its name and zones), and whether it is an emptied one
    (then the name is the one it had before it was emptied)."""
    head = data[:data.find(b"BEGIN:VEVENT")] if b"BEGIN:VEVENT" in data else data
    name, zones, retired = "", [], False
    for line in head.replace(b"\r\n ", b"").split(b"\r\n"):
        key, _, value = line.partition(b":")
        if key == RETIRED.encode():
            retired = True
        elif key == b"NAME":
            name = re.sub(r"\\([\\;,nN])", lambda m: " " if m.group(1) in "nN" else m.group(1), value.decode("utf-8"))
        elif key == b"TZID":
            zones.append(value.decode("utf-8"))
    if retired:
        name = name.removesuffix(_MOVED).removesuffix(_CLOSED)
    return PublishedFeed(name, tuple(zones)), retired


def _ical(feed: _Feed, serialized: dict[CalendarEvent, bytes]) -> bytes:
    """The feed's bytes: what Calendar.to_ical() gives with every event added to it — a calendar's
    lines are its own, then each component's in turn (`serialized`)."""
    return _head(feed)[:-len(_END)] + b"".join(serialized[event] for event in feed.events) + _END


def component_bytes(component: Component) -> bytes:
    """`component.to_ical()`, with long lines folded on their UTF-8 bytes.

    icalendar folds character by character, encoding each one — half the cost of a programme's
    feeds; the lines themselves are still icalendar's (tests/render/test_ics_folding.py checks the
    bytes are the same as `to_ical()`'s).
    """
    return b"\r\n".join(fold(line.encode("utf-8")) for line in component.content_lines() if line) + b"\r\n"


_FOLDED_OCTETS = 74   # icalendar's: a line «SHOULD NOT be longer than 75 octets», breaking before the 75th


def fold(line: bytes) -> bytes:
    """RFC 5545 folding as icalendar does it: at most 74 octets before each CRLF + space, never inside a
    UTF-8 character, and never right after a backslash or caret (an escape stays with what it escapes)."""
    if len(line) <= _FOLDED_OCTETS:
        return line
    pieces, start = [], 0
    while len(line) - start > _FOLDED_OCTETS:
        cut = start + _FOLDED_OCTETS
        while line[cut] & 0xC0 == 0x80:     # a UTF-8 continuation byte: back to the character's start
            cut -= 1
        if line[cut - 1] in b"\\^":
            cut -= 1
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return b"\r\n ".join(pieces)


def _vevent(event: CalendarEvent, stamp: dt.datetime, sequence: int, last_modified: dt.datetime,
            created: dt.datetime, site_url: str | None = None) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.start)  # a date: VALUE=DATE, an all-day event
    vevent.add("dtend", event.end)  # exclusive: the day after the last day
    vevent.add("sequence", sequence)
    vevent.add("created", created.astimezone(dt.UTC))
    vevent.add("last-modified", last_modified.astimezone(dt.UTC))
    summary = _text(event.summary, single_line=True)
    vevent.add("summary", summary)
    vevent.add("description", _text(event.description))
    vevent.add("categories", vCategory([_text(category, single_line=True) for category in event.categories]))
    vevent.add("transp", "TRANSPARENT")  # a deadline or a working period never makes anyone busy
    if event.status:
        vevent.add("status", event.status)
    if site_url:   # the programme's page, where the item is: a URL must be absolute, so only with the site's address
        vevent.add("url", f"{site_url.rstrip('/')}/{event.programme}/index.html#{event.anchor}", parameters={"VALUE": "URI"})
    for contact in event.contacts:
        vevent.add("contact", _text(contact, single_line=True))
    if event.organizer:
        name, email = event.organizer
        vevent.add("organizer", f"mailto:{email}", parameters={"CN": _text(name, single_line=True)})
    for trigger in event.reminders:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", trigger, parameters={"RELATED": "END"} if event.reminders_from_end else {})
        vevent.add_component(alarm)
    return vevent


def vevent_bytes(event: CalendarEvent, stamp: dt.datetime, sequence: int, last_modified: dt.datetime,
                 created: dt.datetime, site_url: str | None = None) -> bytes:
    """The event's VEVENT lines: icalendar's (`_vevent`), or with the fast paths on (engine/fast_paths.py) the same
    bytes written line by line — building and serializing icalendar's components was nine tenths of a
    programme's calendars (tests/render/test_fast_paths.py compares both paths)."""
    if not fast_paths.enabled():
        return component_bytes(_vevent(event, stamp, sequence, last_modified, created, site_url))
    summary = _escaped(_text(event.summary, single_line=True))
    lines = [f"SUMMARY:{summary}", f"DTSTART;VALUE=DATE:{event.start:%Y%m%d}", f"DTEND;VALUE=DATE:{event.end:%Y%m%d}",
             f"DTSTAMP:{_utc(stamp)}", f"UID:{_escaped(event.uid)}", f"SEQUENCE:{sequence}",
             "CATEGORIES:" + ",".join(_escaped(_text(category, single_line=True)) for category in event.categories)]
    lines += [f"CONTACT:{_escaped(_text(contact, single_line=True))}" for contact in event.contacts]
    lines += [f"CREATED:{_utc(created)}", f"DESCRIPTION:{_escaped(_text(event.description))}",
              f"LAST-MODIFIED:{_utc(last_modified)}"]
    if event.organizer:
        lines.append(_organizer_line(*event.organizer))
    if event.status:
        lines.append(f"STATUS:{event.status}")
    lines.append("TRANSP:TRANSPARENT")
    if site_url:
        lines.append(f"URL;VALUE=URI:{site_url.rstrip('/')}/{event.programme}/index.html#{event.anchor}")
    for trigger in event.reminders:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{summary}",
                  _trigger_line(trigger, event.reminders_from_end), "END:VALARM"]
    body = b"\r\n".join(fold(line.encode("utf-8")) for line in lines)
    return b"BEGIN:VEVENT\r\n" + body + b"\r\nEND:VEVENT\r\n"


def _escaped(value: str) -> str:
    """A TEXT value as icalendar's vText writes it (RFC 5545 §3.3.11), its replacements in its order."""
    return (value.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _utc(moment: dt.datetime) -> str:
    """A DATE-TIME in UTC as icalendar writes it (no fraction of a second)."""
    moment = moment.astimezone(dt.UTC)
    return f"{moment.year:04}{moment.month:02}{moment.day:02}T{moment.hour:02}{moment.minute:02}{moment.second:02}Z"


@functools.lru_cache(maxsize=256)
def _organizer_line(name: str, email: str) -> str:
    """ORGANIZER as icalendar writes it (its parameter quoting and RFC 6868 escaping are its own): one per authority."""
    event = Event()
    event.add("organizer", f"mailto:{email}", parameters={"CN": _text(name, single_line=True)})
    return str(event.content_line("ORGANIZER", event["ORGANIZER"]))


@functools.lru_cache(maxsize=64)
def _trigger_line(trigger: dt.timedelta, from_end: bool) -> str:
    """An alarm's TRIGGER as icalendar writes the duration: a handful of distinct ones per build."""
    alarm = Alarm()
    alarm.add("trigger", trigger, parameters={"RELATED": "END"} if from_end else {})
    return str(alarm.content_line("TRIGGER", alarm["TRIGGER"]))
