"""The published feeds of the bundled specs through three independent parsers, with zero errors or warnings:

- ical.js (Mozilla's, JavaScript; npm, installed by .ci/run into tests/feeds/js/node_modules),
- libical (C; Debian's libical3 through ctypes): its parser's X-LIC-ERROR properties and its iTIP restriction
  check (icalrestriction_check: what each property may occur, e.g. no COMMENT on a VTIMEZONE),
- vobject (Python; PyPI), validating every component.

Each must also read the same events as icalendar: the same UIDs, days, titles.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import logging
import shutil
import subprocess
import warnings
from pathlib import Path

import icalendar
import pytest
import vobject
from feeds_fixtures import bundled_after_a_change, feed_files, required

JS = Path(__file__).parent / "js"


@pytest.fixture(scope="module")
def published_feeds(tmp_path_factory) -> Path:
    return bundled_after_a_change(tmp_path_factory.mktemp("published-feeds"))


def expected(path: Path) -> dict[str, tuple[str, str, str]]:
    """UID → (start, end, summary) as icalendar reads the feed."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(event["UID"]): (event["DTSTART"].dt.isoformat(), event["DTEND"].dt.isoformat(), str(event["SUMMARY"]))
            for event in calendar.walk("VEVENT")}


def test_the_feeds_include_live_and_emptied_ones(published_feeds):
    files = feed_files(published_feeds)
    emptied = [path for path in files if b"X-PRIKAZ-RETIRED" in path.read_bytes()]
    assert len(files) > 40 and len(emptied) >= 10 and any(expected(path) for path in files)


def test_ical_js_reads_every_feed_as_icalendar_does(published_feeds):
    required("node и ical.js (npm ci --prefix tests/feeds/js)",
             shutil.which("node") is None or not (JS / "node_modules" / "ical.js").is_dir())
    files = feed_files(published_feeds)
    completed = subprocess.run(["node", str(JS / "parse.mjs"), *map(str, files)], capture_output=True, text=True,
                               timeout=300, check=False)
    assert completed.returncode == 0 and not completed.stderr, completed.stderr
    parsed = json.loads(completed.stdout)
    for path in files:
        seen = parsed[str(path)]
        assert "error" not in seen, (path, seen)
        assert seen["zones"], path                       # every feed has its VTIMEZONE, usable by ical.js
        events = {event["uid"]: (event["start"], event["end"], event["summary"]) for event in seen["events"]}
        assert events == expected(path), path
        for event in seen["events"]:
            assert event["allDay"] and event["categories"][0] in ("Срок", "Период выполнения")
            assert event["alarms"] in ([], ["-P6DT15H", "-PT15H"]), event


class _Libical:
    def __init__(self, library: str):
        lib = ctypes.CDLL(library)
        lib.icalparser_parse_string.restype = ctypes.c_void_p
        lib.icalparser_parse_string.argtypes = [ctypes.c_char_p]
        lib.icalcomponent_count_errors.argtypes = [ctypes.c_void_p]
        lib.icalrestriction_check.argtypes = [ctypes.c_void_p]
        lib.icalcomponent_as_ical_string.restype = ctypes.c_char_p
        lib.icalcomponent_as_ical_string.argtypes = [ctypes.c_void_p]
        lib.icalcomponent_free.argtypes = [ctypes.c_void_p]
        self.lib = lib

    def problems(self, data: bytes) -> tuple[list[str], int]:
        """libical's X-LIC-ERROR lines after parsing and the iTIP restriction check, and the VEVENTs it read."""
        component = self.lib.icalparser_parse_string(data)
        assert component, "libical не разобрал календарь"
        try:
            passed = self.lib.icalrestriction_check(component)
            text = self.lib.icalcomponent_as_ical_string(component).decode("utf-8").replace("\r\n ", "")
        finally:
            self.lib.icalcomponent_free(component)
        lines = text.split("\r\n")
        errors = [line for line in lines if line.startswith("X-LIC-ERROR")]
        if not passed and not errors:
            errors.append("icalrestriction_check: не пройдена")
        return errors, lines.count("BEGIN:VEVENT")


def test_libical_parses_every_feed_without_an_error_and_passes_its_restriction_check(published_feeds):
    library = ctypes.util.find_library("ical")
    required("libical (apt-get install libical3)", library is None)
    libical = _Libical(library)
    for path in feed_files(published_feeds):
        errors, events = libical.problems(path.read_bytes())
        assert errors == [], (path, errors)
        assert events == len(expected(path)), path


def test_vobject_validates_every_feed_without_a_warning(published_feeds):
    logged: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logging.getLogger().addHandler(handler)
    try:
        for path in feed_files(published_feeds):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                [calendar] = vobject.readComponents(path.read_text(encoding="utf-8"), validate=True)
                assert calendar.validate(raiseException=True, complainUnrecognized=False)
                events = {event.uid.value: (event.dtstart.value.isoformat(), event.dtend.value.isoformat(),
                                            event.summary.value) for event in calendar.contents.get("vevent", [])}
            assert not caught and not logged, (path, [str(w.message) for w in caught], logged)
            assert events == expected(path), path
    finally:
        logging.getLogger().removeHandler(handler)
