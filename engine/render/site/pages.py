"""What the pages show besides the exported model: documents to download, feeds to subscribe to, the budget chart.

The model itself reaches the templates as `engine.export` gives it (resolved texts, ISO dates,
amounts as decimal strings); nothing here re-derives what the export already says.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

import segno
from markupsafe import Markup

from engine.formats import date_numeric, money, plural
from engine.model.execution import ATTENTION_ORDER, State
from engine.model.identity import organisation_identity, shared_feed
from engine.model.validate import ProgrammeModel
from engine.render import BuildOptions
from engine.render.docx.names import amendment_file, appendix_file, decree_file, programme_document_file, progress_file
from engine.render.ics import FEED, programme_events, site_address
from engine.render.ics_events import CalendarEvent

ORGANISATION_FEEDS = "calendars"   # outputs/<programme>/calendars/<org>.ics

BUDGET_CHART_WIDTH = 360           # viewBox units; the chart scales to the column, a phone shows it 1:1
BUDGET_ROW_HEIGHT = 34
BUDGET_BAR_HEIGHT = 12
BUDGET_LABEL_CHARACTERS = 44       # the title left of the amount, at the chart's label size


@dataclass(frozen=True)
class Document:
    title: str
    docx: str
    pdf: str | None    # only when the build made one (`prikaz build --pdf`)


@dataclass(frozen=True)
class Holding:
    """What a feed holds: its due dates and work periods (engine.render.ics_events), from the first day to the last."""

    due: int = 0
    periods: int = 0
    first: dt.date | None = None
    last: dt.date | None = None

    @classmethod
    def of(cls, events: Iterable[CalendarEvent]) -> Holding:
        listed = list(events)
        due = sum(event.due for event in listed)
        return cls(due, len(listed) - due, min((event.start for event in listed), default=None),
                   max((event.end - dt.timedelta(days=1) for event in listed), default=None))

    def __add__(self, other: Holding) -> Holding:
        firsts = [day for day in (self.first, other.first) if day is not None]
        lasts = [day for day in (self.last, other.last) if day is not None]
        return Holding(self.due + other.due, self.periods + other.periods, min(firsts, default=None),
                       max(lasts, default=None))

    @property
    def empty(self) -> bool:
        return not self.due and not self.periods

    def text(self) -> str:
        """«12 сроков и 5 периодов выполнения с 01.02.2022 по 31.12.2022» (the events of a non-empty feed)."""
        counted = [f"{count} {plural(count, forms)}" for count, forms in (
            (self.due, ("срок", "срока", "сроков")),
            (self.periods, ("период выполнения", "периода выполнения", "периодов выполнения"))) if count]
        if self.first is None or self.last is None:
            return "нет событий"
        days = (f"на {date_numeric(self.first)}" if self.first == self.last
                else f"с {date_numeric(self.first)} по {date_numeric(self.last)}")
        return f"{' и '.join(counted)} {days}"


@dataclass(frozen=True)
class Subscription:
    """One address of a feed: the link relative to the page (rewritten to webcal:// and https:// in the browser) and,
    when the site's address is known (`prikaz build --site-url`), its absolute address and the QR code of its
    webcal:// address for a phone's camera."""

    href: str
    address: str | None = None
    qr: Markup | None = None


@dataclass(frozen=True)
class Feed:
    """A calendar to subscribe to: this programme's feed and, for an organisation, its feed across programmes."""

    title: str
    full_title: str
    about: str                                 # two sentences: what it holds, and whom it suits
    empty: bool                                # no event now: labelled so (its address stays: subscribers keep it)
    programme_feed: Subscription
    all_programmes_feed: Subscription | None
    programmes: tuple[str, ...] = ()   # on the index: the programmes the organisation takes part in


@dataclass(frozen=True)
class IndexEntry:
    """What the index shows of one programme (SiteIndex's part): typed to the leaf, so that a sharded build writes
    it as JSON and reads back the same value (engine.building.shards)."""

    id: str
    data: dict[str, Any]            # of the exported model: the programme, decree, programme document, organisations
    period: str
    documents: tuple[Document, ...]
    shared_feeds: dict[str, str]    # organisation id → its feed across programmes
    holdings: dict[str, Holding]    # organisation id → what its feed of this programme holds


@dataclass(frozen=True)
class BudgetBar:
    number: int
    label: str
    amount: str
    y: float
    width: float


@dataclass(frozen=True)
class BudgetChart:
    bars: tuple[BudgetBar, ...]
    width: int
    height: int
    bar_height: int


def amendment_title(data: dict, amendment: dict) -> str:
    """«Приказ от 15.03.2022 № 300 о внесении изменений», or for a draft «Проект приказа о внесении изменений»."""
    kind = data["decree"]["kind"]
    if not amendment["signed"]:
        return f"Проект {'приказа' if kind == 'приказ' else 'распоряжения'} о внесении изменений ({amendment['id']})"
    return f"{kind.capitalize()} от {date_numeric(dt.date.fromisoformat(amendment['date']))} №\u00a0{amendment['number']} " \
           "о внесении изменений"


def amendment_docx(data: dict, amendment: dict) -> str:
    return amendment_file(data["decree"]["kind"], amendment["number"], amendment["id"])


def documents(data: dict, files: tuple[str, ...]) -> list[Document]:
    """Every DOCX of the programme, the decree first, then the programme document, the appendices, the amending
    decrees and the report on the execution, each with its PDF when there is one."""
    decree, document = data["decree"], data["programme_document"]
    titles = {}
    if decree:
        number = f"№\u00a0{decree['number']}" if decree["number"] else "(проект)"
        titles[decree_file(decree["kind"], decree["number"])] = (
            f"{decree['kind'].capitalize()} {number}" + (" с приложениями" if data["appendices"] else ""))
    if document:
        own = any(appendix["owner"] == "programme_document" for appendix in data["appendices"])
        titles[programme_document_file(document["title"])] = document["title"] + (" с приложениями" if own else "")
    titles.update({appendix_file(a["number"], a["title"]): f"{a['label']}. {a['title']}" for a in data["appendices"]
                   if a["kind"] != "programme_document"})
    titles.update({amendment_docx(data, a): amendment_title(data, a) for a in data["amendments"]})
    if "progress" in data:
        as_of = data["progress"]["as_of"]
        titles[progress_file(as_of)] = f"Информация о ходе реализации на {date_numeric(dt.date.fromisoformat(as_of))}"
    present = set(files)
    ordered = [name for name in titles if name in present] + sorted(
        name for name in present if name.endswith(".docx") and name not in titles)
    result = []
    for name in ordered:
        pdf = str(PurePosixPath(name).with_suffix(".pdf"))
        result.append(Document(titles.get(name, name), name, pdf if pdf in present else None))
    return result


def subscription(href: str, path: str, options: BuildOptions) -> Subscription:
    """The feed at `href` from the page, at `path` under the site's root."""
    if not options.site_url:
        return Subscription(href)
    address = site_address(path, options)
    webcal = "webcal://" + address.split("://", 1)[-1]
    # error correction M (15 %): a code on a printed or photographed screen still reads; the quiet zone of 4 modules
    # the standard asks for, white even on a dark page
    code = segno.make(webcal, error="m").svg_inline(
        scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None, light="#fff",
        title=f"QR-код адреса подписки {webcal}")
    return Subscription(href, address, Markup(code))


def holdings(model: ProgrammeModel) -> tuple[Holding, dict[str, Holding]]:
    """What the programme's calendar holds, and each organisation's."""
    events = programme_events(model).events
    return Holding.of(events), {org_id: Holding.of(event for event in events if org_id in event.organisations)
                                for org_id in model.programme.organisations}


def feeds(model: ProgrammeModel, data: dict, files: tuple[str, ...], options: BuildOptions) -> list[Feed]:
    """The programme's calendar, then each organisation's with its feed across programmes, as the build wrote them."""
    present = set(files)
    programme = data["programme"]
    shared = shared_feeds(model)
    whole, by_organisation = holdings(model)
    result = []
    if FEED in present:
        about = (f"{whole.text()}: все сроки программы, у каждого — кто отвечает и ссылка на пункт "
                 f"документа." if not whole.empty else "В документах программы пока нет ни одного срока с датой.")
        result.append(Feed("Все сроки программы", programme["title"],
                           f"{about} Для тех, кто ведёт программу целиком или следит за ней.", whole.empty,
                           subscription(FEED, f"{model.id}/{FEED}", options), None))
    for org_id, org in data["organisations"].items():
        own = f"{ORGANISATION_FEEDS}/{org_id}.ics"
        if own in present:
            holding = by_organisation[org_id]
            about = (f"Сроки, за которые {org['short']} отвечает в этой программе: {holding.text()}."
                     if not holding.empty else
                     f"Сейчас в нём нет ни одного срока с датой: {org['short']} не отвечает за них в этой программе; "
                     f"адрес календаря действует, и сроки появятся в нём, когда организацию назначат ответственной.")
            # the calendar renderer writes a feed across programmes for every organisation it meets
            result.append(Feed(org["short"], org["full"],
                               f"{about} Календарь «во всех программах» — её сроки из всех программ этого сайта.",
                               holding.empty, subscription(own, f"{model.id}/{own}", options),
                               subscription(f"../{shared[org_id]}", shared[org_id], options)))
    return result


def shared_feeds(model: ProgrammeModel) -> dict[str, str]:
    """Each organisation of the programme → the path of its feed across programmes (engine.model.identity)."""
    info = model.programme.programme
    return {org_id: shared_feed(organisation_identity(info.region, org_id, org))
            for org_id, org in model.programme.organisations.items()}


def organisation_feeds(entries: list[IndexEntry], options: BuildOptions) -> list[Feed]:
    """The feeds across programmes for the index: one per organisation identity met in any programme, by name."""
    names: dict[str, dict] = {}
    members: dict[str, list[str]] = {}
    held: dict[str, Holding] = {}
    for entry in entries:
        data = entry.data
        for org_id, org in data["organisations"].items():
            path = entry.shared_feeds[org_id]
            names.setdefault(path, org)
            members.setdefault(path, []).append(f"{data['programme']['region']}, {entry.period}")
            held[path] = held.get(path, Holding()) + entry.holdings[org_id]
    result = []
    for path in sorted(names, key=lambda path: (names[path]["short"].casefold(), path)):
        short, programmes = names[path]["short"], "; ".join(members[path])
        about = (f"Сроки, за которые {short} отвечает во всех программах ({programmes}): {held[path].text()}."
                 if not held[path].empty else
                 f"Сейчас в нём нет ни одного срока с датой: {short} не отвечает за них ни в одной программе "
                 f"({programmes}), но адрес календаря действует.")
        result.append(Feed(short, names[path]["full"], f"{about} Один календарь вместо календарей каждой программы: "
                           "сроки новой программы с этой организацией появятся в нём сами.", held[path].empty,
                           subscription(path, path, options), None, tuple(members[path])))
    return result


def budget_chart(budget: dict) -> BudgetChart | None:
    """Horizontal bars of the budget lines, longest = full width; None for a budget of one line."""
    lines = budget["lines"]
    if len(lines) < 2:
        return None
    largest = max(Decimal(line["amount"]) for line in lines) or Decimal(1)
    bars = tuple(
        BudgetBar(number, textwrap.shorten(line["title"], BUDGET_LABEL_CHARACTERS, placeholder=" …"),
                  money(Decimal(line["amount"])), (number - 1) * BUDGET_ROW_HEIGHT,
                  round(float(Decimal(line["amount"]) / largest) * BUDGET_CHART_WIDTH, 2))
        for number, line in enumerate(lines, start=1))
    return BudgetChart(bars, BUDGET_CHART_WIDTH, len(bars) * BUDGET_ROW_HEIGHT, BUDGET_BAR_HEIGHT)


def period_text(data: dict) -> str:
    """«2022» or «2021–2024»."""
    years = data["programme"]["period"]["years"]
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def attention_first(progress: dict) -> list[dict]:
    """The items of the export's `progress` with what needs attention first: overdue, due soon, ahead, done,
    cancelled — the document's order within each."""
    return sorted(progress["items"], key=lambda item: ATTENTION_ORDER.index(State(item["state"])))


def share(value: str | None) -> str:
    """«66,7 %» — a share of the export (a decimal string) as the page prints it; «—» when nothing is due."""
    return "—" if value is None else f"{value.replace('.', ',')}\u00a0%"
