"""The published site (engine/render/site): what each page says, its Gantt picture, its links, reproducible bytes."""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import icalendar
import pytest
import segno
from docx_reading import DOCX_BUILD_TIME, REPO, build_with_epoch

from engine.building.build import TEMPLATES
from engine.building.pipeline import check_tree
from engine.formats import plural
from engine.render import BuildOptions, RenderError
from engine.render.site import SiteIndex, render_programme_page
from engine.schema import file_schema

NBSP = "\u00a0"
PROGRAMMES = tuple(sorted(folder.name for folder in (REPO / "specs").iterdir()))      # every bundled programme
LINKING = {"a": "href", "link": "href", "script": "src", "img": "src"}


@dataclass
class Row:
    """A row of the Gantt picture: its data attributes and the windows of its bars."""

    attrs: dict
    bars: list[tuple[str, str, float, float]] = field(default_factory=list)  # start, end, x, width
    states: list[str] = field(default_factory=list)      # each bar's state of execution ("" without records)
    moved: list[tuple[str, str, str]] = field(default_factory=list)     # start, end, state of a moved window


class Page(HTMLParser):
    """One built page, read as a browser would: the links it makes, its ids, the Gantt rows and the text."""

    def __init__(self, path: Path, text: str | None = None):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.html = path.read_text(encoding="utf-8") if text is None else text
        self.links: list[tuple[str, str]] = []     # (tag, address)
        self.ids: set[str] = set()
        self.elements: list[tuple[str, dict]] = []
        self.rows: list[Row] = []
        self.text_parts: list[str] = []
        self._row_depth: int | None = None
        self._g_depth = 0
        self.feed(self.html)

    @classmethod
    def of(cls, text: str) -> Page:
        """A page rendered in the test, not written."""
        return cls(Path("index.html"), text)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag in LINKING and LINKING[tag] in attributes:
            self.links.append((tag, attributes[LINKING[tag]]))
        if tag == "g":
            self._g_depth += 1
            if "row" in attributes.get("class", "").split():
                self.rows.append(Row(attributes))
                self._row_depth = self._g_depth
        classes = attributes.get("class", "").split()
        if tag == "rect" and self._row_depth is not None and "bar" in classes:
            state = attributes.get("data-state", "")
            if "moved" in classes:
                self.rows[-1].moved.append((attributes["data-start"], attributes["data-end"], state))
            else:
                self.rows[-1].bars.append((attributes["data-start"], attributes["data-end"],
                                           float(attributes["x"]), float(attributes["width"])))
                self.rows[-1].states.append(state)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "g":
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "g":
            if self._row_depth == self._g_depth:
                self._row_depth = None
            self._g_depth -= 1

    def handle_data(self, data):
        self.text_parts.append(data)

    def first(self, tag: str, **wanted) -> dict:
        return next(attrs for name, attrs in self.elements
                    if name == tag and all(attrs.get(k.replace("_", "-")) == v for k, v in wanted.items()))


@pytest.fixture(scope="module")
def site(docx_outputs) -> Path:
    """outputs/ of `prikaz build specs` (SOURCE_DATE_EPOCH fixed): the session's build, read only."""
    return docx_outputs


def page(site: Path, programme: str | None = None) -> Page:
    return Page(site / programme / "index.html" if programme else site / "index.html")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- what the pages say ----------------------------------------------------------------------------


def test_the_site_has_an_index_a_page_per_programme_a_stylesheet_and_the_editor_schema(site):
    assert [p.relative_to(site).as_posix() for p in html_pages(site)] == \
        ["index.html"] + [f"{programme}/index.html" for programme in PROGRAMMES]
    assert (site / "site.css").is_file() and (site / "favicon.svg").is_file()
    published = (site / "schema" / "prikaz.schema.json").read_text(encoding="utf-8")
    assert json.loads(published) == file_schema()
    assert published == (REPO / "schema" / "prikaz.schema.json").read_text(encoding="utf-8")


def test_the_index_lists_every_programme_with_region_document_period_and_links(site):
    index = page(site)
    for programme, region, document, period in [
        ("leningrad-2020", "Ленинградская область", f"Распоряжение №{NBSP}178-р от 03.02.2020", "2020"),
        ("lipetsk-2022", "Липецкая область", f"Приказ №{NBSP}266, 2022{NBSP}год", "2022"),   # signed, date illegible
        ("lysva-2021", "Пермский край, Лысьвенский городской округ", f"Приказ №{NBSP}491/01-08 от 28.10.2021",
         "2021–2024"),
    ]:
        assert f"{region} · {period}" in index.text
        assert document in index.text
        assert ("a", f"{programme}/index.html") in index.links
    assert ("a", "lipetsk-2022/prikaz-266.docx") in index.links
    assert ("a", "schema/prikaz.schema.json") in index.links


def test_the_lipetsk_page_has_the_decree_essentials_and_the_budget(site):
    lipetsk = page(site, "lipetsk-2022")
    text = lipetsk.text
    assert "не подписан" not in text                  # signed: only its date is illegible (decree.date_unknown)
    for expected in [f"Приказ №{NBSP}266", "2022 год, точная дата неизвестна", "Управление образования и науки Липецкой области",
                     "Об утверждении нормативных документов по реализации основного мероприятия 21",
                     f"Начальник управления Л.А.{NBSP}Загеева", f"С.Н.{NBSP}Кирина, первый заместитель",
                     "Утвердить план-график по реализации Мероприятия 21 (приложение 1).",
                     f"1{NBSP}900{NBSP}000,00", f"21 × 40{NBSP}000,00", f"840{NBSP}000,00",
                     "из них Методический конструктор", f"80{NBSP}000,00",
                     "Один миллион девятьсот тысяч рублей 00 копеек"]:
        assert expected in text, expected
    chart = [attrs for tag, attrs in lipetsk.elements if tag == "g" and attrs.get("class") == "budget-bar"]
    assert [attrs["data-line"] for attrs in chart] == [str(n) for n in range(1, 9)]


def test_an_unsigned_decree_is_told_apart_from_one_whose_date_is_illegible(tmp_path, copy_programme, replace_in):
    folder = copy_programme(tmp_path, "lipetsk-2022")
    replace_in(folder / "decree.yaml", "  date_unknown: да\n", "")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    assert not report.failed, [d.message for d in report.all_diagnostics]
    assert f"Приказ №{NBSP}266, не подписан" in page(tmp_path / "out").text
    assert "точная дата неизвестна" not in page(tmp_path / "out", "lipetsk-2022").text


def test_a_signed_decree_shows_its_date_control_clause_deadlines_and_legal_basis(site):
    leningrad = page(site, "leningrad-2020")
    for expected in ["3 февраля 2020 года", f"Заместитель председателя комитета А.С.{NBSP}Огарков",
                     f"Л.Г.{NBSP}Михайлюк, начальник сектора управления качеством образования",
                     "Срок: до 10 февраля 2020 года", "Срок: до 20 декабря 2020 года",
                     f"Распоряжение от 20.01.2020 №{NBSP}60-р", "КФСР", "0709", f"2{NBSP}500{NBSP}000,00"]:
        assert expected in leningrad.text, expected
    assert "не подписан" not in leningrad.text
    indicators = leningrad.html[leningrad.html.index('id="indicators"'):]
    assert indicators.count("<tr>") == 1 + 13     # the heading and the 13 indicators
    assert "Не менее 50 человек" in indicators


# --- the Gantt picture ------------------------------------------------------------------------------


def _days(start: str, end: str) -> int:
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


def test_lipetsk_gantt_has_13_rows_with_every_window_as_a_bar(site):
    lipetsk = page(site, "lipetsk-2022")
    rows = {row.attrs["data-number"]: [(start, end) for start, end, _, _ in row.bars] for row in lipetsk.rows}
    assert list(rows) == [str(n) for n in range(1, 14)]
    assert rows["1"] == [("2022-02-01", "2022-03-31")]
    assert rows["5"] == [("2022-03-01", "2022-12-31")]
    assert rows["8"] == [("2022-06-01", "2022-06-27"), ("2022-11-15", "2022-11-30")]
    assert rows["9"] == [("2022-06-28", "2022-06-30"), ("2022-12-01", "2022-12-03")]
    assert rows["11"] == [("2022-02-01", "2022-02-28")]
    assert rows["13"] == []                          # «В соответствии с календарными планами ОО»
    assert sum(len(bars) for bars in rows.values()) == 14
    assert "Без даты" in lipetsk.text and "без даты: В соответствии с календарными планами ОО" in lipetsk.text


def test_bars_sit_on_the_day_scale_the_today_script_uses(site):
    """x = days since data-start × data-day-width, so today's line drawn in the browser meets the bars."""
    for programme in PROGRAMMES:
        picture = page(site, programme)
        svg = picture.first("svg", **{"class": "timeline"})
        day_width, start = float(svg["data-day-width"]), svg["data-start"]
        assert int(svg["data-days"]) * day_width == pytest.approx(float(svg["width"]), abs=0.05)
        for row in picture.rows:
            for first, last, x, width in row.bars:
                assert x == pytest.approx(_days(start, first) * day_width, abs=0.01)
                assert width == pytest.approx(max(4, (_days(first, last) + 1) * day_width - 1), abs=0.02)


def test_the_period_and_the_months_of_a_multi_year_programme(site):
    lysva = page(site, "lysva-2021")
    svg = lysva.first("svg", **{"class": "timeline"})
    assert svg["data-start"] == "2021-01-01" and int(svg["data-days"]) == _days("2021-01-01", "2025-01-01")
    assert re.findall(r'<text class="year"[^>]*>(\d+)</text>', lysva.html) == ["2021", "2022", "2023", "2024"]
    assert lysva.html.count('<text class="month"') == 48
    rows = {row.attrs["data-number"]: row for row in lysva.rows}
    assert len(rows) == 18
    assert [bar[:2] for bar in rows["2.2"].bars] == [(f"{year}-06-01", f"{year}-07-31") for year in range(2021, 2025)]
    assert [number for number, row in rows.items() if not row.bars] == ["2.5", "3.3", "3.5"]
    assert re.findall(r'<text class="group-title"[^>]*>(\d)\. ', lysva.html) == ["1", "2", "3"]


def test_a_programme_without_a_roadmap_shows_its_specification_items_and_clause_deadlines(site):
    leningrad = page(site, "leningrad-2020")
    kinds = [(row.attrs["class"], row.attrs["data-number"]) for row in leningrad.rows]
    assert kinds == [("row item", f"2.{n}") for n in range(1, 14)] + [("row clause", "п. 5.1"), ("row clause", "п. 5.2")]
    deadline = next(row for row in leningrad.rows if row.attrs["data-number"] == "п. 5.1")
    assert [bar[:2] for bar in deadline.bars] == [("2020-02-10", "2020-02-10")]
    assert deadline.bars[0][3] >= 4                  # a one-day deadline is still visible


def test_today_is_never_written_into_the_page(site):
    """The today line is hidden in the HTML and drawn by the inline script: builds on different days are equal."""
    for path in html_pages(site):
        html = path.read_text(encoding="utf-8")
        today = dt.date.today()
        assert today.strftime("%d.%m.%Y") not in html and today.isoformat() not in html
    lipetsk = page(site, "lipetsk-2022")
    assert lipetsk.first("line", **{"class": "today-line"})["visibility"] == "hidden"
    assert "today-note" in lipetsk.ids


# --- documents, feeds, links --------------------------------------------------------------------------


def test_every_docx_and_feed_of_a_programme_is_linked(site):
    for programme in PROGRAMMES:
        folder = site / programme
        links = {address for tag, address in page(site, programme).links if tag == "a"}
        for docx in folder.glob("*.docx"):
            assert docx.name in links
        assert not any(address.endswith(".pdf") for address in links)   # built without --pdf
        feeds = {p.relative_to(folder).as_posix() for p in folder.rglob("*.ics")}
        assert "calendar.ics" in feeds and feeds <= links
        shared = {address for address in links if address.startswith("../calendars/")}
        assert len(shared) == len(list((folder / "calendars").glob("*.ics")))   # each organisation's across programmes
        assert all((folder / address).is_file() for address in shared)
    index = {address for tag, address in page(site).links}
    # the feeds of organisations across programmes, by identity; the emptied feeds by bare id are not offered
    assert {f"calendars/{p.relative_to(site / 'calendars').as_posix()}" for p in (site / "calendars").glob("*/*.ics")} <= index
    assert not {f"calendars/{p.name}" for p in (site / "calendars").glob("*.ics")} & index


def test_subscribe_links_are_webcal_and_https_twins_with_a_relative_fallback(site):
    lipetsk = page(site, "lipetsk-2022")
    subscribe = [attrs for tag, attrs in lipetsk.elements if tag == "a" and attrs.get("data-feed") == "webcal"]
    https = [attrs for tag, attrs in lipetsk.elements if tag == "a" and attrs.get("data-feed") == "https"]
    assert len(subscribe) == len(https) == 1 + 2 * 5     # the programme's feed, 5 organisations × 2
    assert [a["href"] for a in subscribe] == [a["href"] for a in https]
    assert "Подписаться" in lipetsk.text
    for attrs in subscribe:
        assert (site / "lipetsk-2022" / attrs["href"]).resolve().is_file()
        assert (site / "lipetsk-2022" / attrs["href"]).read_bytes().startswith(b"BEGIN:VCALENDAR")


def _held(feed: Path) -> str:
    """What a published feed holds, as the site says it: «3 срока и 3 периода выполнения с … по …», read from the
    feed itself (icalendar): its events by their first category, from the first day to the last."""
    events = [c for c in icalendar.Calendar.from_ical(feed.read_bytes()).walk("VEVENT")]
    if not events:
        return ""
    kinds = [str(event["CATEGORIES"].cats[0]) for event in events]
    due, periods = kinds.count("Срок"), kinds.count("Период выполнения")
    assert due + periods == len(events)
    first = min(event.decoded("DTSTART") for event in events)
    last = max(event.decoded("DTEND") for event in events) - dt.timedelta(days=1)
    counted = [f"{count} {plural(count, forms)}" for count, forms in (
        (due, ("срок", "срока", "сроков")), (periods, ("период выполнения", "периода выполнения",
                                                         "периодов выполнения"))) if count]
    return f"{' и '.join(counted)} с {first:%d.%m.%Y} по {last:%d.%m.%Y}"


def _feeds_on(built: Page) -> list[tuple[str, str, bool, list[str]]]:
    """(title, the two sentences, labelled empty, the feeds it links) of each feed of a page, in order."""
    found, current = [], None
    for tag, attrs in built.elements:
        if tag == "li" and "feed" in attrs.get("class", "").split():
            current = [attrs, []]
            found.append(current)
        elif tag == "a" and attrs.get("data-feed") == "webcal" and current is not None:
            current[1].append(attrs["href"])
    sections = re.findall(r'<li class="feed( empty)?">\n<h3 class="feed-title"[^>]*>(.*?)(?: <span class="empty-label">'
                          r'пока пуст</span>)?</h3>\n<p class="feed-about">(.*?)</p>', built.html)
    assert len(sections) == len(found)
    return [(html.unescape(title), html.unescape(about), bool(empty), links)
            for (empty, title, about), (_, links) in zip(sections, found, strict=True)]


def test_each_feed_of_a_programme_says_what_it_holds_and_an_empty_one_is_labelled(site):
    """Two sentences per feed: what it holds — counted from the published feed itself — and whom it suits."""
    for programme in PROGRAMMES:
        described = _feeds_on(page(site, programme))
        assert described[0][0] == "Все сроки программы" and described[0][3] == ["calendar.ics"]
        for title, about, empty, links in described:
            held = _held(site / programme / links[0])
            assert empty == (held == ""), (programme, title)
            if links == ["calendar.ics"]:
                assert about.startswith(f"{held}: все сроки программы, у каждого — кто отвечает")
                assert about.endswith(". Для тех, кто ведёт программу целиком или следит за ней.")
                continue
            if empty:
                assert about.startswith("Сейчас в нём нет ни одного срока с датой: ")
                assert "адрес календаря действует" in about
            else:
                assert about.startswith(f"Сроки, за которые {title} отвечает в этой программе: {held}. ")
            assert about.endswith(". Календарь «во всех программах» — её сроки из всех программ этого сайта.")
    # Leningrad's committee and two departments are responsible for no dated item: their feeds are empty
    assert sorted(title for title, _, empty, _ in _feeds_on(page(site, "leningrad-2020")) if empty) == [
        "Комитет общего и профессионального образования Ленинградской области", "Отдел финансирования и бухгалтерского учета",
        "Сектор управления качеством образования"]
    lipetsk = _feeds_on(page(site, "lipetsk-2022"))
    assert lipetsk[1][:2] == ("УОиН", "Сроки, за которые УОиН отвечает в этой программе: 3 срока и 3 периода "
                              "выполнения с 01.02.2022 по 03.12.2022. Календарь «во всех программах» — её сроки из "
                              "всех программ этого сайта.")


def test_each_feed_across_programmes_on_the_index_says_what_it_holds(site):
    described = _feeds_on(page(site))
    assert len(described) == len(list((site / "calendars").glob("*/*.ics")))
    for _, about, empty, [link] in described:
        held = _held(site / link)
        assert empty == (held == "")
        if not empty:
            assert "отвечает во всех программах (" in about and f"): {held}. " in about
    lysva = "calendars/permsky-kray-lysvensky-gorodskoy-okrug/oo.ics"
    lysva_schools = next(about for _, about, _, [link] in described if link == lysva)
    assert lysva_schools.startswith("Сроки, за которые ОО отвечает во всех программах (Пермский край, Лысьвенский "
                                    "городской округ, 2021–2024): 26 сроков и 26 периодов выполнения")


def test_without_the_sites_address_no_qr_code_and_the_page_says_how_to_get_one(site):
    for path in html_pages(site):
        built = Page(path)
        assert not any(tag == "svg" and "qr" in attrs.get("class", "") for tag, attrs in built.elements)
        if "calendars" in built.ids:
            assert "QR-коды для телефона появляются, когда сайт собран с адресом" in " ".join(built.text.split())


def test_with_the_sites_address_every_subscription_has_the_qr_code_of_its_webcal_address(site):
    model = check_tree(REPO / "specs" / "lipetsk-2022").programmes[0].model
    files = tuple(p.relative_to(site / "lipetsk-2022").as_posix() for p in (site / "lipetsk-2022").rglob("*")
                  if p.is_file())
    options = BuildOptions(build_time=DOCX_BUILD_TIME, templates=TEMPLATES, site_url="https://example.org/prikaz/")
    built = Page.of(render_programme_page(model, options, files)["index.html"].decode("utf-8"))
    hrefs = [attrs["href"] for tag, attrs in built.elements if tag == "a" and attrs.get("data-feed") == "webcal"]
    codes = re.findall(r'<details class="qr-code"><summary>QR-код для телефона</summary>(<svg viewBox="0 0 (\d+) \d+" '
                       r'class="qr"><title>QR-код адреса подписки (\S+)</title>.*?</svg>)</details>', built.html)
    addresses = ["webcal://example.org/prikaz/" + posixpath.normpath(f"lipetsk-2022/{href}") for href in hrefs]
    assert [address for _, _, address in codes] == addresses
    for svg, size, address in codes:
        # the symbol of the address: segno's, version by the length, with the quiet zone of 4 modules
        assert svg == segno.make(address, error="m").svg_inline(
            scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None, light="#fff",
            title=f"QR-код адреса подписки {address}")
        assert int(size) == segno.make(address, error="m").symbol_size(border=4)[0]
    assert "С телефона наведите камеру на QR-код календаря" in " ".join(built.text.split())


def test_every_relative_link_of_every_page_resolves_and_nothing_is_external(site):
    for path in html_pages(site):
        built = Page(path)
        assert built.links
        for _, address in built.links:
            parts = urlsplit(address)
            assert not parts.scheme and not parts.netloc, f"{path}: внешний адрес {address}"
            if not parts.path:
                assert parts.fragment in built.ids, f"{path}: нет якоря {address}"
                continue
            target = (path.parent / unquote(parts.path)).resolve()
            assert target.is_file() and site.resolve() in target.parents, f"{path}: {address} не найден"
    css = (site / "site.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


def test_a_pdf_is_linked_only_when_the_build_made_it(site):
    models = {result.model.id: result.model for result in check_tree(REPO / "specs").programmes}
    files = tuple(sorted(p.name for p in (site / "lipetsk-2022").glob("*.docx"))) + ("prikaz-266.pdf",)
    options = BuildOptions(build_time=DOCX_BUILD_TIME, templates=TEMPLATES)
    html = render_programme_page(models["lipetsk-2022"], options, files)["index.html"].decode("utf-8")
    assert 'href="prikaz-266.pdf"' in html
    assert 'href="prilozhenie-1-plan-grafik.pdf"' not in html


# --- bytes and safety ---------------------------------------------------------------------------------


def test_two_builds_give_identical_bytes(site, tmp_path):
    again = tmp_path / "again"
    assert not build_with_epoch(REPO / "specs", again).failed
    site_files = [p.relative_to(site) for p in html_pages(site)] + [
        Path("site.css"), Path("favicon.svg"), Path("schema/prikaz.schema.json")]
    for relative in site_files:
        assert (again / relative).read_bytes() == (site / relative).read_bytes(), relative


def test_text_from_a_spec_is_escaped_never_markup(tmp_path, copy_programme, replace_in):
    programme = copy_programme(tmp_path, "lipetsk-2022")
    replace_in(programme / "programme.yaml",
               "title: Мероприятие 21 — поддержка школ с низкими результатами обучения, Липецкая область, 2022",
               "title: '<script>alert(\"x\")</script> & <b>школы</b>'")
    replace_in(programme / "roadmap.yaml", "title: Формирование региональной нормативной базы реализации Мероприятия 21",
               "title: Формирование <img src=x onerror=alert(1)> базы")
    outputs = tmp_path / "outputs"
    assert not build_with_epoch(tmp_path / "specs", outputs).failed
    for path in (outputs / "index.html", outputs / "lipetsk-2022" / "index.html"):
        html = path.read_text(encoding="utf-8")
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;школы&lt;/b&gt;" in html
        assert "<script>alert" not in html and "<b>школы" not in html
    page_html = (outputs / "lipetsk-2022" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in page_html and "<img" not in page_html


def _broken_templates(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES / "site", templates / "site")
    page_template = templates / "site" / "programme.html"
    text = page_template.read_text(encoding="utf-8")
    assert text.count(old) == 1
    page_template.write_text(text.replace(old, new), encoding="utf-8")
    return templates, text[: text.index(old)].count("\n") + 1


@pytest.mark.parametrize("old, new", [
    ("{% if timeline %}<a href=\"#timeline\">", "{% if timeline %<a href=\"#timeline\">"),   # a broken tag
    ("{{ decree.title }}", "{{ decree.titel }}"),                                               # no such value
])
def test_a_broken_site_template_is_reported_at_its_line(tmp_path, old, new):
    templates, line = _broken_templates(tmp_path, old, new)
    model = check_tree(REPO / "specs" / "lipetsk-2022").programmes[0].model
    options = BuildOptions(build_time=DOCX_BUILD_TIME, templates=templates)
    with pytest.raises(RenderError) as failure:
        render_programme_page(model, options, ("prikaz-266.docx",))
    [diagnostic] = failure.value.diagnostics
    assert diagnostic.code == "W101"
    assert diagnostic.span.file == templates / "site" / "programme.html" and diagnostic.span.line == line


def test_a_missing_site_file_and_a_renderer_bug_are_diagnostics_not_tracebacks(tmp_path, monkeypatch):
    model = check_tree(REPO / "specs" / "lipetsk-2022").programmes[0].model
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES / "site", templates / "site")
    (templates / "site" / "site.css").unlink()
    options = BuildOptions(build_time=DOCX_BUILD_TIME, templates=templates)
    index = SiteIndex()
    index.add(SiteIndex.part(model, options, ()))
    with pytest.raises(RenderError) as missing:
        list(index.files(options))
    assert [d.code for d in missing.value.diagnostics] == ["W101"]
    assert "site.css" in missing.value.diagnostics[0].message

    def broken(data):
        raise KeyError("windows")

    monkeypatch.setattr("engine.render.site.timeline", broken)
    with pytest.raises(RenderError) as bug:
        render_programme_page(model, BuildOptions(DOCX_BUILD_TIME, TEMPLATES), ())
    assert [d.code for d in bug.value.diagnostics] == ["W102"]
    assert "KeyError" in bug.value.diagnostics[0].message


# --- execution on the report's day ---------------------------------------------------------------------


def test_the_gantt_colours_each_window_by_its_state_on_the_report_day(site):
    lipetsk = page(site, "lipetsk-2022")
    rows = {row.attrs["data-number"]: row for row in lipetsk.rows}
    assert rows["1"].states == ["done"] and rows["3"].states == ["done_late"]
    assert rows["9"].states == ["overdue", "planned"] and rows["12"].states == ["cancelled"]
    assert rows["8"].states == ["done", "planned"] and rows["13"].states == []        # undated: no bar
    assert rows["4"].states == ["planned"] and rows["4"].moved == [("2022-03-01", "2022-07-29", "planned")]
    line = lipetsk.first("line", **{"class": "as-of-line"})
    assert line["x1"] == line["x2"]
    assert "отчёт на 01.07.2022" in lipetsk.text
    lysva = {row.attrs["data-number"]: row for row in page(site, "lysva-2021").rows}
    # «Июнь-июль» in 2021 ended before the plan was approved (28.10.2021): not part of the plan
    assert lysva["2.2"].states == ["unscheduled", "done", "planned", "planned"]
    assert lysva["2.3"].states[:6] == ["unscheduled", "unscheduled", "unscheduled", "done", "done", "done"]


def test_the_programme_page_lists_overdue_items_first(site):
    lipetsk = page(site, "lipetsk-2022")
    order = [attrs["id"] for tag, attrs in lipetsk.elements if tag == "tr" and attrs.get("id", "").startswith("progress-")]
    assert order[0] == "progress-roadmap.working-group"                     # the only overdue item
    assert order[-1] == "progress-roadmap.monitoring-results"               # cancelled last
    assert len(order) == 13
    assert "Ход реализации на 01.07.2022" in lipetsk.text
    assert "просрочено: 1" in lipetsk.text
    assert "Информация о ходе реализации на 01.07.2022" in lipetsk.text       # the report among the documents
    lysva = page(site, "lysva-2021")
    overdue = [attrs["id"] for tag, attrs in lysva.elements if tag == "tr" and attrs.get("id", "").startswith("progress-")]
    assert overdue[:3] == ["progress-roadmap.statistical-reports", "progress-roadmap.institutional-quality-monitoring",
                           "progress-roadmap.monitoring-recommendations"]


def test_the_indicators_show_the_actual_value_and_the_share_achieved(site):
    leningrad = page(site, "leningrad-2020")
    assert "Факт на 01.10.2020" in leningrad.text and "% достижения" in leningrad.text
    assert "44,4\u00a0%" in leningrad.text and "обучено 54 человека" in leningrad.text
