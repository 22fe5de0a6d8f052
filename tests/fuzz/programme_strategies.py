"""Hypothesis strategies for whole programmes: valid ones, written as the spec files staff write, and ways to break them.

A generated programme is a `Generated`: the YAML files of one programme folder, plus what a reader
of the rendered documents must find in them (activity titles, budget lines, indicator names) and the
calendar windows of every dated item, computed here independently of the engine from the form of
each deadline (the time language's grammar, engine/model/timeexpr.py).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from io import StringIO

from hypothesis import strategies as st
from ruamel.yaml import YAML

from engine import formats
from engine.model.workdays import is_working_day

PROGRAMME = "fuzz-programme"

MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
          "декабрь"]
MONTHS_GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
                   "ноября", "декабря"]
WORDS = ["проведение", "семинара", "для", "руководителей", "школ", "мониторинг", "результатов", "обучающихся",
         "разработка", "программы", "поддержки", "методическое", "сопровождение", "педагогов", "анализ",
         "оценочных", "процедур", "заседание", "рабочей", "группы", "курсы", "повышения", "квалификации",
         "консультации", "управленческих", "команд", "наставничество", "диагностика", "дефицитов", "отчёт",
         "итогам", "года", "муниципальной", "системы", "качества", "образования", "и", "в", "по", "с"]
SPECIALS = ["«", "»", "&", "<", ">", "—", "\"", "'", "(", ")", ";", ",", "/", "]]>"]
SURNAMES = [("Иванова", "female"), ("Петров", "male"), ("Кирина", "female"), ("Сидоров", "male"),
            ("Смирнова", "female"), ("Кузнецов", "male"), ("Воронова", "female"), ("Соколов", "male")]
POSITIONS = ["начальник управления", "заместитель начальника управления", "главный специалист отдела",
             "консультант управления образования"]
ORG_NAMES = [("УО", "управление образования Условной области"), ("ИРО", "институт развития образования"),
             ("ЦМОКО", "центр мониторинга и оценки качества образования"), ("ЦНМО", "центр непрерывного образования"),
             ("ДО", "департамент образования"), ("ИПК", "институт повышения квалификации")]
TIMEZONES = ["Europe/Moscow", "Asia/Yekaterinburg", "Europe/Kaliningrad", "Asia/Vladivostok", "Asia/Novosibirsk"]
UNDATED = ["по отдельному графику", "по запросу", "По итогам выявления", "в соответствии с графиком"]

Window = tuple[dt.date, dt.date]


@dataclass
class Generated:
    """One programme folder: its files (name → text) and what its outputs must show."""

    files: dict[str, str]
    data: dict
    activity_titles: list[str] = field(default_factory=list)
    budget_lines: list[tuple[str, Decimal]] = field(default_factory=list)
    indicator_names: list[str] = field(default_factory=list)
    windows: dict[str, list[Window]] = field(default_factory=dict)   # UID stem → windows in date order


def dump(data: dict) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    yaml.default_flow_style = False
    yaml.width = 4096
    stream = StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def money(value: Decimal) -> str:
    """A sum as the specs write it: «1 234 567,80» (engine.formats.money, with plain spaces for the YAML)."""
    return formats.money(value).replace(formats.NBSP, " ")


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


@functools.cache
def working_days(year: int) -> list[dt.date]:
    """The working days of `year` by the Russian production calendar: a written day is one (T207 warns otherwise)."""
    first = dt.date(year, 1, 1)
    return [day for day in (first + dt.timedelta(days=n) for n in range(366))
            if day.year == year and is_working_day(day)]


# --- text ----------------------------------------------------------------------------------------


@st.composite
def phrase(draw, words: tuple[int, int] = (2, 7), specials: bool = True) -> str:
    """A title-like phrase: Russian words, now and then a character XML and Jinja care about; never digits or braces."""
    chosen = draw(st.lists(st.sampled_from(WORDS), min_size=words[0], max_size=words[1]))
    if specials and draw(st.booleans()):
        at = draw(st.integers(0, len(chosen)))
        chosen.insert(at, draw(st.sampled_from(SPECIALS)))
    text = " ".join(chosen)
    return text[:1].upper() + text[1:]


# --- time ------------------------------------------------------------------------------------------


@st.composite
def time_expression(draw, years: list[int], frame: Window | None = None) -> tuple[str, list[Window]]:
    """A deadline in one of the time language's forms, inside the period, every day it writes a working day (T207),
    and its windows in date order.

    With a `frame` (an item of a technical specification inside its service period) the recurring forms fall in
    the frame: every month, quarter or year of it, cut to it; months without a year in each of its years."""
    if frame is not None:
        years = list(range(frame[0].year, frame[1].year + 1))
    kind = draw(st.sampled_from(["day", "window", "windows", "month", "month-range", "relative-months",
                                 "month-list", "deadline", "monthly", "quarterly", "yearly", "whole-year", "year",
                                 "undated"]))
    year = draw(st.sampled_from(years))
    if kind in ("day", "window", "windows", "deadline"):
        count = {"windows": draw(st.integers(2, 3))}.get(kind, 1)
        workdays = working_days(year)
        ordinals = sorted(draw(st.lists(st.integers(0, len(workdays) - 1), min_size=count * 2, max_size=count * 2,
                                        unique=True)))
        days = [workdays[o] for o in ordinals]
        if kind == "day":
            return _date(days[0]), [(days[0], days[0])]
        if kind == "deadline":
            day = days[0]
            return f"до {day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year} года", [(day, day)]
        windows = [(days[2 * i], days[2 * i + 1]) for i in range(count)]
        texts = [f"{_date(a)} – {_date(b)}" for a, b in windows]
        if kind == "windows" and draw(st.booleans()):
            order = draw(st.permutations(range(count)))       # written in any order, windows come in date order
            texts = [texts[i] for i in order]
        return "; ".join(texts), windows
    if kind == "month":
        month = draw(st.integers(1, 12))
        return f"{MONTHS[month - 1].capitalize()} {year}", [(dt.date(year, month, 1), _last_day(year, month))]
    if kind == "month-range":
        a, b = sorted(draw(st.lists(st.integers(1, 12), min_size=2, max_size=2, unique=True)))
        return (f"{MONTHS[a - 1].capitalize()}-{MONTHS[b - 1]} {year}",
                [(dt.date(year, a, 1), _last_day(year, b))])
    if kind == "relative-months":
        a, b = sorted(draw(st.lists(st.integers(1, 12), min_size=2, max_size=2, unique=True)))
        return (f"{MONTHS[a - 1].capitalize()}-{MONTHS[b - 1]}",
                [(dt.date(y, a, 1), _last_day(y, b)) for y in years])
    if kind == "month-list":
        months = draw(st.lists(st.integers(1, 12), min_size=2, max_size=4, unique=True))
        text = ", ".join(MONTHS[m - 1] for m in months)
        return text.capitalize(), sorted((dt.date(y, m, 1), _last_day(y, m)) for y in years for m in months)
    if kind == "monthly":
        return "ежемесячно", _cut([(dt.date(y, m, 1), _last_day(y, m)) for y in years for m in range(1, 13)], frame)
    if kind == "quarterly":
        return "ежеквартально", _cut([(dt.date(y, m, 1), _last_day(y, m + 2)) for y in years for m in (1, 4, 7, 10)],
                                     frame)
    if kind in ("yearly", "whole-year"):
        word = "Ежегодно" if kind == "yearly" else "В течение года"
        return word, _cut([(dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in years], frame)
    if kind == "year":
        return f"{year} год", [(dt.date(year, 1, 1), dt.date(year, 12, 31))]
    return draw(st.sampled_from(UNDATED)), []


def _cut(windows: list[Window], frame: Window | None) -> list[Window]:
    """Recurring units inside a frame: those that overlap it, cut to it."""
    if frame is None:
        return windows
    return [(max(start, frame[0]), min(end, frame[1])) for start, end in windows if start <= frame[1] and end >= frame[0]]


# --- a valid programme ---------------------------------------------------------------------------------


def _unique(strategy, size: tuple[int, int]):
    return st.lists(strategy, min_size=size[0], max_size=size[1], unique=True)


ident = st.from_regex(r"[a-z][a-z0-9]{1,8}", fullmatch=True)


@st.composite
def programmes(draw) -> Generated:
    """A complete, consistent programme: `prikaz check` finds no problem and `prikaz build` renders it."""
    first = draw(st.integers(2020, 2030))
    years = list(range(first, first + draw(st.integers(0, 2)) + 1))
    period = str(first) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    generated = Generated(files={}, data={})

    # organisations and people: every one of them is used below (O303 warns about an unused entry)
    org_count = draw(st.integers(1, len(ORG_NAMES)))
    org_names = draw(st.permutations(ORG_NAMES))[:org_count]
    org_ids = draw(_unique(ident, (org_count, org_count)))
    organisations = {oid: {"short": short, "full": full} for oid, (short, full) in zip(org_ids, org_names, strict=True)}
    people_ids = draw(_unique(ident.filter(lambda i: i not in org_ids), (1, 2)))
    people = {}
    for pid in people_ids:
        surname, gender = draw(st.sampled_from(SURNAMES))
        people[pid] = {"surname": surname, "initials": draw(st.sampled_from(["А.Б.", "С.Н.", "Т.Г.", "Л.Е."])),
                       "gender": gender, "position": draw(st.sampled_from(POSITIONS)), "organisation": org_ids[0]}
    signatory = people_ids[0]
    control = people_ids[1] if len(people_ids) > 1 else None

    kinds = draw(st.lists(st.sampled_from(["roadmap", "budget", "indicators", "specification"]), unique=True,
                          min_size=1, max_size=4))
    if "indicators" in kinds and not ({"roadmap", "specification"} & set(kinds)):
        kinds.append("roadmap")                        # an indicator is linked to an activity or an item
    used_orgs = {org_ids[0]}
    item_ids = draw(_unique(ident.filter(lambda i: i not in org_ids and i not in people_ids), (20, 20)))
    ids = iter(item_ids)
    documents: dict[str, dict] = {}

    activities: list[dict] = []
    if "roadmap" in kinds:
        count = draw(st.integers(1, 5))
        titles = draw(_unique(phrase(), (count, count)))
        for title in titles:
            activity_id = next(ids)
            text, windows = draw(time_expression(years))
            owners = draw(st.lists(st.sampled_from(org_ids), min_size=1, max_size=min(2, org_count), unique=True))
            used_orgs.update(owners)
            activity = {"id": activity_id, "title": title, "time": text, "owners": owners,
                        "result": draw(phrase(specials=False))}
            activities.append(activity)
            generated.activity_titles.append(title)
            if windows:
                generated.windows[f"roadmap.{activity_id}"] = windows
        for owner in sorted(set(org_ids) - used_orgs):
            activities[-1]["owners"].append(owner)    # the last activity takes the organisations nobody owns yet
            used_orgs.add(owner)
        roadmap = {"title": "Дорожная карта", "columns": [
            {"field": "number", "heading": "№ п/п"}, {"field": "activity", "heading": "Мероприятие"},
            {"field": "time", "heading": "Срок"}, {"field": "owners", "heading": "Ответственный исполнитель"},
            {"field": "result", "heading": "Результат"}]}
        if len(activities) > 2 and draw(st.booleans()):
            cut = draw(st.integers(1, len(activities) - 1))
            roadmap["sections"] = [{"id": next(ids), "title": draw(phrase(specials=False)), "activities": part}
                                   for part in (activities[:cut], activities[cut:])]
        else:
            roadmap["activities"] = activities
        documents["roadmap"] = roadmap

    spec_items: list[dict] = []
    if "specification" in kinds:
        service, service_windows = draw(time_expression(years).filter(lambda t: bool(t[1])))
        frame = (service_windows[0][0], max(end for _, end in service_windows))
        for _ in range(draw(st.integers(1, 3))):
            item_id = next(ids)
            text, windows = draw(time_expression(years, frame))
            amount = draw(st.integers(1, 500))
            item = {"id": item_id, "text": draw(phrase(specials=False)) + " – {{ quantity }}",
                    "quantities": [f"не менее {amount} консультаций"], "time": text,
                    "deliverables": [draw(phrase(specials=False)) + ";", draw(phrase(specials=False)) + "."]}
            spec_items.append(item)
            if windows:
                generated.windows[f"specification.{item_id}"] = windows
        generated.windows["specification._service-period"] = service_windows
        documents["specification"] = {"title": "Техническое задание", "event_name": draw(phrase(specials=False)),
                                      "items": spec_items, "service_period": service,
                                      "funding_source": "областной бюджет"}

    if "budget" in kinds:
        lines = []
        for _ in range(draw(st.integers(1, 5))):
            line_id = next(ids)
            title = draw(phrase())
            if draw(st.booleans()):
                quantity = draw(st.integers(1, 40))
                price = Decimal(draw(st.integers(100, 10_000_000))) / 100
                amount = quantity * price
                line = {"id": line_id, "title": title, "quantity": str(quantity), "unit_price": money(price)}
            else:
                amount = Decimal(draw(st.integers(1, 10**11))) / 100
                line = {"id": line_id, "title": title, "amount": money(amount)}
                if draw(st.booleans()):
                    part = (amount * Decimal(draw(st.integers(1, 100))) / 100).quantize(Decimal("0.01"))
                    if part > 0:
                        line["of_which"] = [{"title": "из них " + draw(phrase(specials=False)).lower(),
                                             "amount": money(part)}]
            if draw(st.booleans()):
                line["recipient"] = draw(st.sampled_from(org_ids))
                used_orgs.add(line["recipient"])
            lines.append(line)
            generated.budget_lines.append((title, amount))
        total = sum((amount for _, amount in generated.budget_lines), Decimal(0))
        documents["budget"] = {"title": "Смета расходов", "funding_source": "областной бюджет",
                               "codes": {"КФСР": "0709"}, "lines": lines, "total": money(total)}

    if "indicators" in kinds:
        items = []
        for _ in range(draw(st.integers(1, 3))):
            name = draw(phrase())
            indicator = {"id": next(ids), "name": name, "unit": "Ед.", "year": years[-1]}
            if spec_items and (not activities or draw(st.booleans())):
                measured = draw(st.sampled_from(spec_items))
                indicator["measures"] = measured["id"]
                indicator["target"] = measured["quantities"][0]
            else:
                if draw(st.booleans()):
                    indicator["unit"] = "%"
                    baseline = draw(st.integers(0, 98))
                    indicator["baseline"] = str(baseline)
                    indicator["target"] = str(draw(st.integers(baseline + 1, 100)))
                else:
                    indicator["target"] = str(draw(st.integers(1, 1000)))
                indicator["activities"] = [draw(st.sampled_from(activities))["id"]]
            items.append(indicator)
            generated.indicator_names.append(name)
        documents["indicators"] = {"title": "Целевые показатели", "items": items}

    # the decree approves every appendix; a dated clause per random deadline
    decree_kind = draw(st.sampled_from(["приказ", "распоряжение"]))
    clauses = []
    words = {"roadmap": "дорожную карту", "budget": "смету расходов", "indicators": "целевые показатели",
             "specification": "техническое задание"}
    for kind in kinds:
        text = f"Утвердить {words[kind]} (приложение {{{{ appendix.{kind} }}}})"
        if kind == "budget":
            text += " в размере {{ budget.total }} рублей"
        clauses.append({"id": f"approve-{kind}", "approves": kind, "text": text + "."})
    tasks = draw(_unique(phrase(specials=False), (0, 2)))
    for index, task in enumerate(tasks):
        clause_id = f"task-{index + 1}"
        text, windows = draw(time_expression(years))
        responsible = draw(st.sampled_from(org_ids + people_ids))
        used_orgs.add(responsible)
        clauses.append({"id": clause_id, "deadline": text, "responsible": [responsible],
                        "text": f"{task} в срок {{{{ deadline }}}}."})
        if windows:
            generated.windows[f"decree.{clause_id}"] = windows
    for unused in [o for o in org_ids if o not in used_orgs]:
        clauses.append({"id": f"inform-{unused}", "responsible": [unused],
                        "text": f"{{{{ orgs.{unused} }}}} обеспечить исполнение приказа."})
    if control:
        clauses.append({"id": "control", "text": "Контроль за исполнением возложить на {{ control.acc }}."})
    decree = {"kind": decree_kind, "authority": org_ids[0], "number": str(draw(st.integers(1, 999))),
              # the last working day before the period: no deadline precedes it, none is cut at it
              "date": _date(working_days(first - 1)[-1]),
              "title": "Об утверждении документов программы " + draw(phrase()).lower(),
              "preamble": "В целях " + draw(phrase(specials=False)).lower() + ",",
              "clauses": clauses, "signatory": signatory}
    if control:
        decree["control"] = control

    programme = {"id": PROGRAMME, "title": draw(phrase()), "region": "Условная область", "period": period,
                 "timezone": draw(st.sampled_from(TIMEZONES))}
    generated.data = {"programme": programme, "organisations": organisations, "people": people, "decree": decree,
                      **documents}
    generated.files = files_of(generated.data)
    return generated


SECTION_FILES = {"programme": "programme.yaml", "organisations": "organisations.yaml", "people": "organisations.yaml",
                 "decree": "decree.yaml", "roadmap": "roadmap.yaml", "budget": "budget.yaml",
                 "indicators": "indicators.yaml", "specification": "specification.yaml"}


def files_of(data: dict) -> dict[str, str]:
    """Split a programme into its files by concern, as the bundled programmes are."""
    grouped: dict[str, dict] = {}
    for section, value in data.items():
        grouped.setdefault(SECTION_FILES.get(section, "extra.yaml"), {})[section] = value
    return {name: dump(content) for name, content in grouped.items()}
