"""The published site in a real headless Chromium (Debian's `chromium`, driven by Playwright).

Pages are served over HTTP from 127.0.0.1, as a published site is. Each page must load with no
console error or warning and no failed request, every link must lead to a file that exists
(a webcal:// subscription through its https twin), today's line must be drawn, and the page must
fit a phone without scrolling sideways. Screenshots of every page, on a desktop and on a phone,
are saved under the test's temporary folder (`screenshots/`) for a person to look at.

Without chromium the tests are skipped, except under CI (env CI set), where they must run.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from engine.building.build import build

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = {"index": "", "leningrad-2020": "leningrad-2020/", "lipetsk-2022": "lipetsk-2022/",
         "lysva-2021": "lysva-2021/"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# A day inside each programme's period, for the clock of the page: today's line must be drawn there.
DAY_INSIDE = {"leningrad-2020": dt.datetime(2020, 6, 15, 12), "lipetsk-2022": dt.datetime(2022, 6, 15, 12),
              "lysva-2021": dt.datetime(2023, 3, 15, 12)}
LINKS = """() => [...document.querySelectorAll("a[href], link[href], script[src], img[src]")]
                 .map(element => element.href || element.src)"""


def _chromium() -> str | None:
    return shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).is_file() else None)


if _chromium() is None:
    if os.environ.get("CI"):
        pytest.fail("CI: chromium is not installed (.ci/run installs it with apt-get)", pytrace=False)
    pytest.skip("chromium is not installed: apt-get install --no-install-recommends chromium",
                allow_module_level=True)

import zxingcpp  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402 — only once chromium is known to be there


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        """Requests are checked by the tests, not logged."""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The bundled programmes built and served on 127.0.0.1, as a published site is: built with the address it is
    served at (`--site-url`, as CI builds), so its pages carry the QR codes of the feeds."""
    outputs = tmp_path_factory.mktemp("site")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(outputs)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_port}/"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        assert not build(REPO / "specs", outputs, site_url=address).failed
    yield address
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=_chromium(), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


class _Watched:
    """A page with everything that went wrong while it loaded: console errors and warnings, failed requests."""

    def __init__(self, context):
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda message: message.type in ("error", "warning")
                     and self.problems.append(f"console {message.type}: {message.text}"))
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("requestfailed", lambda request: self.problems.append(f"failed: {request.url} {request.failure}"))
        self.page.on("response", lambda response: response.status >= 400
                     and self.problems.append(f"HTTP {response.status}: {response.url}"))

    def open(self, url: str):
        self.page.goto(url, wait_until="load")
        return self.page


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly_fits_the_screen_and_is_photographed(browser, base_url, screenshots, name, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    watched = _Watched(context)
    if name in DAY_INSIDE:
        watched.page.clock.set_fixed_time(DAY_INSIDE[name])
    page = watched.open(base_url + PAGES[name])
    assert watched.problems == []
    assert page.evaluate("document.documentElement.lang") == "ru"
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{name}: the page scrolls sideways ({width[0]} > {width[1]} px)"
    page.screenshot(path=screenshots / f"{name}-{viewport}.png", full_page=True)
    assert (screenshots / f"{name}-{viewport}.png").stat().st_size > 10_000
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_every_link_resolves(browser, base_url, name):
    context = browser.new_context()
    page = _Watched(context).open(base_url + PAGES[name])
    addresses = page.evaluate(LINKS)
    assert addresses
    for address in sorted(set(addresses)):
        parts = urlsplit(address)
        if parts.scheme == "webcal":     # a calendar app fetches the feed over http(s) from the same place
            twin = urlunsplit(("http",) + tuple(parts[1:]))
            assert twin in addresses, f"{address}: no https twin on the page"
            address, parts = twin, urlsplit(twin)
        assert f"{parts.scheme}://{parts.netloc}/" == base_url, f"{name}: external address {address}"
        if parts.fragment and urlunsplit(parts[:4] + ("",)) == page.url.split("#")[0]:
            assert page.locator(f"#{parts.fragment}").count() == 1, f"{name}: no anchor {address}"
            continue
        response = context.request.get(address)
        assert response.status == 200, f"{name}: {address} → HTTP {response.status}"
        if address.endswith(".ics"):
            assert response.body().startswith(b"BEGIN:VCALENDAR")
    context.close()


def test_subscribe_links_become_absolute_webcal_and_https(browser, base_url):
    context = browser.new_context()
    page = _Watched(context).open(base_url + "lipetsk-2022/")
    host = urlsplit(base_url).netloc
    webcal = page.eval_on_selector_all('a[data-feed="webcal"]', "links => links.map(link => link.href)")
    https = page.eval_on_selector_all('a[data-feed="https"]', "links => links.map(link => link.href)")
    assert webcal[0] == f"webcal://{host}/lipetsk-2022/calendar.ics"
    assert f"webcal://{host}/calendars/lipetskaya-oblast/iro.ics" in webcal
    assert https == [f"http://{address[len('webcal://'):]}" for address in webcal]
    context.close()


# Each QR code of the page as chromium draws it, in grey levels: the SVG alone, on a canvas 4 pixels a module.
QR_PIXELS = """async () => Promise.all([...document.querySelectorAll("svg.qr")].map(async svg => {
  const image = new Image();
  image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(svg));
  await image.decode();
  const modules = svg.viewBox.baseVal.width, canvas = document.createElement("canvas");
  canvas.width = canvas.height = modules * 4;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data, grey = [];
  for (let i = 0; i < rgba.length; i += 4) grey.push(rgba[i]);
  return {size: canvas.width, grey: grey};
}))"""


@pytest.mark.parametrize("name", PAGES)
def test_every_qr_code_reads_back_as_the_webcal_address_beside_it(browser, base_url, name):
    """Another library (zxing-cpp) reads each QR code chromium draws: it is the webcal:// address of the
    «Подписаться» link of the same subscription, as the page's script makes it from where the site is."""
    context = browser.new_context()
    page = _Watched(context).open(base_url + PAGES[name])
    beside = page.eval_on_selector_all(
        ".subscription", "items => items.map(item => item.querySelector('a[data-feed=webcal]').href)")
    read = []
    for drawn in page.evaluate(QR_PIXELS):
        image = memoryview(bytes(drawn["grey"])).cast("B", (drawn["size"], drawn["size"]))
        [code] = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        read.append(code.text)
    assert read == beside and len(read) == page.locator("a[data-feed=webcal]").count() > 0   # one per subscription
    assert all(address.startswith(f"webcal://{urlsplit(base_url).netloc}/") for address in read)
    context.close()


def test_without_javascript_the_relative_feed_links_still_work(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = _Watched(context).open(base_url + "lipetsk-2022/")
    hrefs = page.eval_on_selector_all('a[data-feed="webcal"]', "links => links.map(link => link.getAttribute('href'))")
    assert hrefs[0] == "calendar.ics"
    assert context.request.get(base_url + "lipetsk-2022/" + hrefs[0]).status == 200
    assert page.locator(".today-line").get_attribute("visibility") == "hidden"
    context.close()


@pytest.mark.parametrize("name", DAY_INSIDE)
def test_todays_line_is_drawn_at_today(browser, base_url, name):
    context = browser.new_context()
    watched = _Watched(context)
    today = DAY_INSIDE[name]
    watched.page.clock.set_fixed_time(today)
    page = watched.open(base_url + PAGES[name])
    line = page.locator("svg.timeline .today-line")
    assert line.get_attribute("visibility") is None
    svg = page.locator("svg.timeline")
    offset = (today.date() - dt.date.fromisoformat(svg.get_attribute("data-start"))).days
    expected = (offset + 0.5) * float(svg.get_attribute("data-day-width"))
    assert float(line.get_attribute("x1")) == pytest.approx(expected, abs=0.01)
    assert page.locator("svg.timeline .today-label").text_content() == f"сегодня, {today:%d.%m.%Y}"
    assert page.locator("#today-note").is_hidden()
    box = line.bounding_box()
    assert box is not None and box["height"] > 100        # really painted, across the rows
    context.close()


def test_the_line_meets_the_bar_of_an_activity_running_today(browser, base_url):
    """Lipetsk, 15.06.2022: activity 8 runs 01.06–27.06.2022, so today's line crosses its first bar."""
    context = browser.new_context()
    watched = _Watched(context)
    watched.page.clock.set_fixed_time(DAY_INSIDE["lipetsk-2022"])
    page = watched.open(base_url + PAGES["lipetsk-2022"])
    line = page.locator("svg.timeline .today-line").bounding_box()
    bar = page.locator('svg.timeline .row[data-number="8"] rect.bar').first.bounding_box()
    assert bar["x"] <= line["x"] + line["width"] / 2 <= bar["x"] + bar["width"]
    context.close()


def test_a_day_outside_the_programme_is_said_in_words(browser, base_url):
    context = browser.new_context()
    watched = _Watched(context)
    watched.page.clock.set_fixed_time(dt.datetime(2030, 1, 10, 12))
    page = watched.open(base_url + PAGES["lipetsk-2022"])
    assert page.locator(".today-line").get_attribute("visibility") == "hidden"
    assert page.locator("#today-note").text_content() == "Сегодня, 10.01.2030, — после окончания графика."
    assert watched.problems == []
    context.close()
