"""What a subscriber sees across build → change → build: a real client, vdirsyncer (syncing the published feeds
over HTTP, as a calendar app does) and khal (showing what it synced), against the CI sequence of
tests/feeds/ci_site.py.

Subscribed: the Lysva plan (calendar.ics), the feed of «УОиН» in the Lipetsk plan, and its feed across
programmes. The change: a window moved, January dropped from «Ноябрь, январь, март, июнь», «УОиН» renamed
(with `formerly`). After the second sync: no ghost (nothing the feed no longer has), no duplicate, the moved
event at its new days, nothing else touched, the renamed organisation's old feeds empty and valid — vdirsyncer
applies them (it asks before emptying a collection completely, as it does for any source that lost every item:
`--force-delete`).

vdirsyncer's http storage replaces every UID by a digest of the event's content, so a change reaches it as
one event removed and one added; that UIDs stay put is shown with the feeds themselves (tests/render/test_ics.py).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest
from ci_site import PublishedSite, SpecsRepository, ci_build
from feeds_fixtures import required

SUBSCRIBED = {
    "lysva": "lysva-2021/calendar.ics",
    "uoin": "lipetsk-2022/calendars/uoin.ics",
    "uoin_all": "calendars/lipetskaya-oblast/uoin.ics",
}
CHANGED = 1_660_000_000
GOALS = ("Разработка и утверждение муниципальных целей и задач по развитию системы поддержки школ с низкими "
         "образовательными результатами обучающихся и перехода их в эффективный режим работы")   # «Август, 2021»


def tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    return str(found) if found.exists() else shutil.which(name) or name


class Subscriber:
    """vdirsyncer pairs (http → a local folder per feed) and a khal configuration over those folders."""

    def __init__(self, root: Path, site_url: str):
        self.root = root
        pairs, calendars = [], []
        for name, path in SUBSCRIBED.items():
            (root / "local" / name).mkdir(parents=True)
            pairs.append(f'[pair {name}]\na = "{name}_remote"\nb = "{name}_local"\ncollections = null\n'
                         f'conflict_resolution = "a wins"\n\n'
                         f'[storage {name}_remote]\ntype = "http"\nurl = "{site_url}{path}"\n\n'
                         f'[storage {name}_local]\ntype = "filesystem"\npath = "{root / "local" / name}/"\n'
                         f'fileext = ".ics"\n')
            calendars.append(f"[[{name}]]\npath = {root / 'local' / name}/\ntype = calendar\n")
        (root / "vdirsyncer.conf").write_text(f'[general]\nstatus_path = "{root / "status"}/"\n\n' + "\n".join(pairs),
                                              encoding="utf-8")
        formats = "\n".join(f"{key} = %Y-%m-%d" for key in ("dateformat", "longdateformat")) + "\n" + "\n".join(
            f"{key} = %Y-%m-%d %H:%M" for key in ("datetimeformat", "longdatetimeformat"))
        (root / "khal.conf").write_text(
            "[calendars]\n" + "\n".join(calendars) + f"\n[locale]\ntimeformat = %H:%M\n{formats}\n"
            "local_timezone = Asia/Yekaterinburg\ndefault_timezone = Asia/Yekaterinburg\n\n"
            f"[sqlite]\npath = {root / 'khal.db'}\n", encoding="utf-8")

    def run(self, *args: str) -> str:
        env = dict(os.environ, HOME=str(self.root), LC_ALL="C.UTF-8")
        completed = subprocess.run(list(args), cwd=self.root, env=env, capture_output=True, text=True, timeout=300,
                                   check=False)
        assert completed.returncode == 0, completed.stdout + completed.stderr
        return completed.stdout

    def sync(self, *options: str) -> None:
        config = str(self.root / "vdirsyncer.conf")
        self.run(tool("vdirsyncer"), "-c", config, "discover")
        self.run(tool("vdirsyncer"), "-c", config, "sync", *options)

    def shows(self, calendar: str) -> list[tuple[str, str, str]]:
        """(first day, last day, title) of every event khal lists in one calendar, each once."""
        out = self.run(tool("khal"), "-c", str(self.root / "khal.conf"), "list", "--once", "--include-calendar",
                       calendar, "--day-format", "", "--format", "{start-date}|{end-date}|{title}",
                       "2019-01-01", "2026-12-31")
        return sorted(tuple(line.split("|", 2)) for line in out.splitlines() if line.strip())

    def stored(self, calendar: str) -> int:
        """How many events vdirsyncer keeps for the calendar (one item each)."""
        return sum(len(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))
                   for path in (self.root / "local" / calendar).glob("*.ics"))


def published(site: PublishedSite, name: str) -> list[tuple[str, str, str]]:
    """What the feed holds, read with icalendar: (first day, last day, title) — khal shows DTEND − 1 day."""
    calendar = icalendar.Calendar.from_ical((site.folder / SUBSCRIBED[name]).read_bytes())
    return sorted((event["DTSTART"].dt.isoformat(), (event["DTEND"].dt - dt.timedelta(days=1)).isoformat(),
                   str(event["SUMMARY"])) for event in calendar.walk("VEVENT"))


@pytest.fixture(scope="module")
def synced(tmp_path_factory):
    required("vdirsyncer и khal (pip)", shutil.which(tool("vdirsyncer")) is None or shutil.which(tool("khal")) is None)
    root = tmp_path_factory.mktemp("subscription")
    specs = SpecsRepository(root / "repo", ("lipetsk-2022", "lysva-2021"))
    with PublishedSite(root / "site") as site:
        first = ci_build(specs, root / "ci-1", site.url)
        assert first.code == 0, first.output
        site.publish(first.outputs)
        subscriber = Subscriber(root / "subscriber", site.url)
        subscriber.sync()
        before = {name: subscriber.shows(name) for name in SUBSCRIBED}
        assert {name: published(site, name) for name in SUBSCRIBED} == before
        specs.replace("lysva-2021", "roadmap.yaml", "Ноябрь, январь, март, июнь", "Ноябрь, март, июнь")
        specs.replace("lysva-2021", "roadmap.yaml", "Август, 2021", "Сентябрь, 2021")
        specs.rename_organisation("lipetsk-2022", "uoin", "uoin-lo", formerly=True)
        specs.commit("Сроки сдвинуты, январь убран, УОиН переименовано", CHANGED)
        second = ci_build(specs, root / "ci-2", site.url)
        assert second.code == 0, second.output
        site.publish(second.outputs)
        # vdirsyncer asks its user before applying a feed that lost every event (a guard against a server that
        # lost its data, not a judgement of the calendar): the user who was told «календарь перенесён» agrees
        subscriber.sync("--force-delete")
        after = {name: subscriber.shows(name) for name in SUBSCRIBED}
        yield before, after, subscriber, site


def test_the_subscriber_sees_exactly_what_each_feed_holds(synced):
    before, after, subscriber, site = synced
    for name in SUBSCRIBED:
        assert after[name] == published(site, name), name                     # no ghost, nothing missing
        assert len(set(after[name])) == len(after[name]), name                # no duplicate
        assert subscriber.stored(name) == len(after[name]), name
    assert len(before["lysva"]) > 80 and len(before["uoin"]) == 6


def test_only_what_changed_changes_for_the_subscriber(synced):
    """January dropped: its events (the period and the due date of 2022, 2023, 2024) go; «Август, 2021» moved to
    September: its two events move. Nothing else appears or disappears."""
    before, after, _, _ = synced
    removed, added = set(before["lysva"]) - set(after["lysva"]), set(after["lysva"]) - set(before["lysva"])
    january = {row for row in removed if "статистические" in row[2].lower() and row[0][5:7] == "01"}
    assert len(january) == 6 and {row[0][:4] for row in january} == {"2022", "2023", "2024"}
    assert removed - january == {("2021-08-01", "2021-08-31", f"Период: {GOALS}"), ("2021-08-31", "2021-08-31", f"Срок: {GOALS}")}
    assert added == {("2021-09-01", "2021-09-30", f"Период: {GOALS}"), ("2021-09-30", "2021-09-30", f"Срок: {GOALS}")}


def test_the_renamed_organisations_old_feeds_are_empty_and_accepted(synced):
    before, after, subscriber, site = synced
    for name in ("uoin", "uoin_all"):
        assert before[name] and after[name] == [] and subscriber.stored(name) == 0
        calendar = icalendar.Calendar.from_ical((site.folder / SUBSCRIBED[name]).read_bytes())
        assert calendar.walk("VTIMEZONE") and "перенесён" in str(calendar["X-WR-CALNAME"])
