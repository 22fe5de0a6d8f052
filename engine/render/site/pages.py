"""What the pages show besides the exported model: documents to download, feeds to subscribe to, the budget chart.

The model itself reaches the templates as `engine.export` gives it (resolved texts, ISO dates,
amounts as decimal strings); nothing here re-derives what the export already says.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from engine.formats import date_numeric, money
from engine.model.identity import organisation_identity, shared_feed
from engine.render.docx.names import amendment_file, appendix_file, decree_file, programme_document_file
from engine.render.ics import FEED

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
class Feed:
    """A calendar to subscribe to: this programme's feed and, for an organisation, its feed across programmes."""

    title: str
    full_title: str
    programme_feed: str
    all_programmes_feed: str | None
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
    """Every DOCX of the programme, the decree first, then the programme document, the appendices and the amending
    decrees, each with its PDF when there is one."""
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
    present = set(files)
    ordered = [name for name in titles if name in present] + sorted(
        name for name in present if name.endswith(".docx") and name not in titles)
    result = []
    for name in ordered:
        pdf = str(PurePosixPath(name).with_suffix(".pdf"))
        result.append(Document(titles.get(name, name), name, pdf if pdf in present else None))
    return result


def feeds(data: dict, files: tuple[str, ...], shared: dict[str, str]) -> list[Feed]:
    """The programme's calendar, then each organisation's, as the build wrote them; `shared`: each organisation's
    feed across programmes (`shared_feeds`)."""
    present = set(files)
    result = []
    if FEED in present:
        result.append(Feed("Все сроки программы", data["programme"]["title"], FEED, None))
    for org_id, org in data["organisations"].items():
        own = f"{ORGANISATION_FEEDS}/{org_id}.ics"
        if own in present:
            # the calendar renderer writes a feed across programmes for every organisation it meets
            result.append(Feed(org["short"], org["full"], own, f"../{shared[org_id]}"))
    return result


def shared_feeds(model) -> dict[str, str]:
    """Each organisation of the programme → the path of its feed across programmes (engine.model.identity)."""
    info = model.programme.programme
    return {org_id: shared_feed(organisation_identity(info.region, org_id, org))
            for org_id, org in model.programme.organisations.items()}


def organisation_feeds(entries: list[IndexEntry]) -> list[Feed]:
    """The feeds across programmes for the index: one per organisation identity met in any programme, by name."""
    names: dict[str, dict] = {}
    members: dict[str, list[str]] = {}
    for entry in entries:
        data = entry.data
        for org_id, org in data["organisations"].items():
            path = entry.shared_feeds[org_id]
            names.setdefault(path, org)
            members.setdefault(path, []).append(f"{data['programme']['region']}, {entry.period}")
    return [Feed(names[path]["short"], names[path]["full"], path, None, tuple(members[path]))
            for path in sorted(names, key=lambda path: (names[path]["short"].casefold(), path))]


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
