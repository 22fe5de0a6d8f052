"""The calendars' fast path (engine.render.ics.vevent_bytes) writes the bytes icalendar writes (engine/fast_paths.py).

Every feed of the bundled programmes and of synthetic ones is rendered on both paths and compared byte for byte;
then single events drawn by hypothesis — texts full of what TEXT escapes and folding splits, an ORGANIZER whose name
needs quoting, reminders from the start and from the end, with and without the site's address — are written both
ways. An icalendar upgrade that writes a line otherwise fails here.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import fast_paths
from engine.building.pipeline import check_tree
from engine.render import BuildOptions, ics
from engine.render.ics_events import CalendarEvent

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from bench.generate import write_tree  # noqa: E402

OPTIONS = BuildOptions(build_time=dt.datetime(2024, 3, 5, 7, 8, 9, tzinfo=dt.UTC), templates=REPO / "templates",
                       site_url="https://edu.example.ru/шнор/")


def _feeds(models, fast: bool) -> dict[tuple[str, str], bytes]:
    with fast_paths.switched(fast):
        found = {}
        for model in models:
            ics._LAST_SERIALIZED.clear()     # each programme serialized on this path, not taken from the other
            found.update({(model.id, name): data for name, data in ics.render_programme_calendars(model, OPTIONS).items()})
            part = ics.OrganisationCalendars.part(model, OPTIONS, ())
            found[(model.id, "part")] = b"".join(lines for _, _, lines in part.events)
    ics._LAST_SERIALIZED.clear()
    return found


def test_every_feed_of_the_bundled_and_synthetic_programmes_is_the_same_bytes_on_both_paths(tmp_path, monkeypatch):
    write_tree(tmp_path / "specs", 3)
    models = [item.model for specs in (REPO / "specs", tmp_path / "specs") for item in check_tree(specs).programmes]
    assert all(model is not None and model.complete for model in models)
    public = _feeds(models, fast=False)
    monkeypatch.setattr(ics, "_vevent", None)     # the fast path never builds icalendar's events
    fast = _feeds(models, fast=True)
    assert sorted(fast) == sorted(public) and len(fast) > 20
    assert [key for key in fast if fast[key] != public[key]] == []
    assert sum(data.count(b"BEGIN:VALARM") for data in fast.values()) > 100


# what TEXT escapes (\ ; , and line breaks, the literal «\N»), what parameters quote (: ; , ' ’ ") and RFC 6868
# escapes (^ "), what folding must not split (multi-byte characters, escapes), controls that _text removes
TEXT = st.text(alphabet=st.sampled_from(list("ab ,;:\\^\"'’N\n\r\t\x07") + list("жЯё") + ["€", "😀"]), max_size=120)
DATE = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 30))
MOMENT = st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC))
LEAD = st.sampled_from([dt.timedelta(days=-7), dt.timedelta(days=-1), dt.timedelta(hours=-12), dt.timedelta(0),
                        dt.timedelta(days=-14, hours=-3), dt.timedelta(weeks=-2), dt.timedelta(minutes=-90)])


@st.composite
def events(draw) -> CalendarEvent:
    start = draw(DATE)
    return CalendarEvent(
        uid=draw(st.from_regex(r"[a-z0-9-]{1,20}\.roadmap\.[a-z0-9.;,-]{1,30}@prikaz", fullmatch=True)),
        programme=draw(st.from_regex(r"[a-z0-9-]{1,30}", fullmatch=True)), start=start,
        end=start + dt.timedelta(days=draw(st.integers(1, 400))), summary=draw(TEXT), description=draw(TEXT),
        categories=tuple(draw(st.lists(TEXT, min_size=1, max_size=3))), organisations=(),
        reminders=tuple(draw(st.lists(LEAD, max_size=3))), reminders_from_end=draw(st.booleans()),
        anchor=draw(st.from_regex(r"[a-z0-9-]{0,20}", fullmatch=True)), contacts=tuple(draw(st.lists(TEXT, max_size=3))),
        organizer=draw(st.none() | st.tuples(TEXT, st.emails())))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(events(), MOMENT, st.integers(0, 10_000), MOMENT, MOMENT, st.sampled_from([None, "https://x.example/a/b/"]))
def test_an_event_is_the_same_bytes_on_both_paths(event, stamp, sequence, last_modified, created, site_url):
    with fast_paths.switched(False):
        public = ics.vevent_bytes(event, stamp, sequence, last_modified, created, site_url)
    with fast_paths.switched(True):
        fast = ics.vevent_bytes(event, stamp, sequence, last_modified, created, site_url)
    assert fast == public


@pytest.mark.parametrize("organizer", [("ГАУДПО ЛО «ИРО»", "iro@example.ru"), ("Комитет: отдел; «О'Нил», ^", "k@x.ru")])
def test_an_organizer_and_reminders_from_the_end(organizer):
    event = CalendarEvent("x.roadmap.a.1@prikaz", "x", dt.date(2024, 1, 1), dt.date(2024, 2, 1), "Срок", "Описание",
                          ("Срок выполнения",), (), (dt.timedelta(days=-7), dt.timedelta(days=-1)), True, "timeline",
                          ("ИРО",), organizer)
    stamp = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    with fast_paths.switched(True):
        fast = ics.vevent_bytes(event, stamp, 3, stamp, stamp)
    with fast_paths.switched(False):
        assert fast == ics.vevent_bytes(event, stamp, 3, stamp, stamp)
    assert b"TRIGGER;RELATED=END:-P7D\r\n" in fast and b"ORGANIZER;CN=" in fast
