"""No feed address ever disappears — in CI too, where every build starts from a fresh checkout.

The CI sequence of a specs repository, simulated for real (tests/feeds/ci_site.py): build, publish, change
(an organisation renamed with `formerly`, one renamed without, a programme deleted), a fresh clone with an
empty outputs/, build, publish. Every address the first publication served must still serve a valid
calendar: the same feed, or an emptied one named «календарь перенесён / закрыт» that points to its successor.
"""

from __future__ import annotations

import re
import urllib.request

import icalendar
import pytest
from ci_site import PublishedSite, SpecsRepository, ci_build

from engine.render.feed_registry import read_registry

CHANGED = 1_660_000_000


def fetch(url: str) -> icalendar.Calendar:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return icalendar.Calendar.from_ical(response.read())


def unescaped(value) -> str:
    return re.sub(r"\\([\\;,nN])", lambda match: "\n" if match.group(1) in "nN" else match.group(1), str(value))


@pytest.fixture(scope="module")
def sequence(tmp_path_factory):
    """(the first publication's feeds, the second's, the site) after build → publish → change → fresh build → publish."""
    root = tmp_path_factory.mktemp("ci-sequence")
    specs = SpecsRepository(root / "repo")
    with PublishedSite(root / "site") as site:
        first = ci_build(specs, root / "ci-1", site.url)
        assert first.code == 0, first.output          # nothing published yet: the registry is a 404, not an error
        site.publish(first.outputs)
        before = site.feeds()
        specs.rename_organisation("lipetsk-2022", "uoin", "uoin-lo", formerly=True)    # renamed, declared
        specs.rename_organisation("lysva-2021", "cnmo", "tsnmo", formerly=False)       # renamed, not declared
        specs.git("rm", "-r", "-q", "specs/leningrad-2020", epoch=CHANGED)              # a programme deleted
        specs.commit("Переименования; программа Ленинградской области удалена", CHANGED)
        second = ci_build(specs, root / "ci-2", site.url)
        assert second.code == 0, second.output
        site.publish(second.outputs)
        yield before, site.feeds(), site


def test_every_address_published_before_still_serves_a_valid_calendar(sequence):
    before, after, site = sequence
    assert len(before) >= 30 and set(before) <= set(after), sorted(set(before) - set(after))
    for path in before:
        calendar = fetch(site.url + path)
        assert calendar.walk("VTIMEZONE"), path          # at least one component, even when emptied
        assert str(calendar["VERSION"]) == "2.0"


def test_a_deleted_programme_leaves_its_feeds_emptied_and_closed(sequence):
    before, _, site = sequence
    for path in [path for path in before if path.startswith("leningrad-2020/")]:
        calendar = fetch(site.url + path)
        assert not calendar.walk("VEVENT"), path
        assert unescaped(calendar["X-WR-CALNAME"]).endswith(" — календарь закрыт")
        assert "программы больше нет" in unescaped(calendar["X-WR-CALDESC"])
    assert not (site.folder / "leningrad-2020" / "rasporyazhenie-178-r.docx").exists()
    shared = fetch(site.url + "calendars/leningradskaya-oblast/loiro.ics")
    assert not shared.walk("VEVENT") and "ни одна программа" in unescaped(shared["X-WR-CALDESC"])


def test_a_renamed_organisation_points_to_its_successor(sequence):
    _, after, site = sequence
    old = fetch(site.url + "lipetsk-2022/calendars/uoin.ics")
    assert not old.walk("VEVENT")
    assert unescaped(old["X-WR-CALNAME"]) == "УОиН — Мероприятие 21 — поддержка школ с низкими результатами обучения, " \
                                           "Липецкая область, 2022 — календарь перенесён"
    assert f"{site.url}lipetsk-2022/calendars/uoin-lo.ics" in unescaped(old["X-WR-CALDESC"])
    new = fetch(site.url + "lipetsk-2022/calendars/uoin-lo.ics")
    assert new.walk("VEVENT")
    shared = fetch(site.url + "calendars/lipetskaya-oblast/uoin.ics")
    assert f"{site.url}calendars/lipetskaya-oblast/uoin-lo.ics" in unescaped(shared["X-WR-CALDESC"])
    # renamed without «formerly»: closed, no successor to name
    closed = fetch(site.url + "lysva-2021/calendars/cnmo.ics")
    assert unescaped(closed["X-WR-CALNAME"]).endswith(" — календарь закрыт") and not closed.walk("VEVENT")
    assert "lysva-2021/calendars/tsnmo.ics" in after


def test_the_registry_is_published_and_remembers_every_address(sequence):
    before, after, site = sequence
    with urllib.request.urlopen(site.url + "feeds.json", timeout=30) as response:
        registry = read_registry(response.read())
    assert set(registry) == set(after) and set(before) <= set(registry)
    assert registry["lipetsk-2022/calendars/uoin.ics"].name.startswith("УОиН — ")   # the name subscribers knew
    assert registry["lysva-2021/calendar.ics"].zones == ("Asia/Yekaterinburg",)


def test_an_unreadable_registry_stops_the_build_before_anything_is_written(tmp_path):
    specs = SpecsRepository(tmp_path / "repo", ("lysva-2021",))
    with PublishedSite(tmp_path / "site") as site:
        (site.folder / "feeds.json").write_text("{не json", encoding="utf-8")
        run = ci_build(specs, tmp_path / "ci", site.url)
    assert run.code != 0 and "C202" in run.output and "feeds.json" in run.output
    # nothing published: at most the build's own lock file
    assert not [path for path in run.outputs.rglob("*") if not path.name.startswith(".")] if run.outputs.exists() else True
