"""SEQUENCE and LAST-MODIFIED from the git history of a programme folder, in throwaway repositories."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import icalendar
import pytest
from ruamel.yaml import YAML

from engine.building.build import HISTORY_CACHE, build

REPO = Path(__file__).resolve().parents[2]
PROGRAMME = "lipetsk-2022"
MOVED = "lipetsk-2022.roadmap.monitoring-programmes.1@prikaz"
UNTOUCHED = "lipetsk-2022.roadmap.normative-base.2022@prikaz"
ITEM_8 = "01.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022"
FIRST, SECOND, THIRD = 1_650_000_000, 1_660_000_000, 1_670_000_000  # commit times


def at(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


class GitRepository:
    """A repository with the bundled programme in specs/, committed at fixed times."""

    def __init__(self, root: Path):
        self.root = root
        self.roadmap = root / "specs" / PROGRAMME / "roadmap.yaml"
        shutil.copytree(REPO / "specs" / PROGRAMME, root / "specs" / PROGRAMME)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, epoch: int = FIRST) -> str:
        stamp = f"@{epoch} +0000"
        env = dict(os.environ, GIT_AUTHOR_NAME="Методист", GIT_AUTHOR_EMAIL="metodist@example.org",
                   GIT_COMMITTER_NAME="Методист", GIT_COMMITTER_EMAIL="metodist@example.org",
                   GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp, GIT_CONFIG_GLOBAL=os.devnull,
                   GIT_CONFIG_NOSYSTEM="1")
        return subprocess.run(["git", *args], cwd=self.root, env=env, check=True, capture_output=True, text=True).stdout

    def commit(self, message: str, epoch: int) -> None:
        self.git("add", "-A", epoch=epoch)
        self.git("commit", "-q", "-m", message, epoch=epoch)

    def edit_roadmap(self, old: str, new: str) -> None:
        text = self.roadmap.read_text(encoding="utf-8")
        assert text.count(old) == 1
        self.roadmap.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def repository(tmp_path, monkeypatch) -> GitRepository:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the build time is the last commit's
    repo = GitRepository(tmp_path / "repo")
    repo.commit("Программа", FIRST)
    return repo


def build_feed(specs: Path, outputs: Path):
    report = build(specs, outputs)
    assert not report.failed, report.all_diagnostics
    calendar = icalendar.Calendar.from_ical((outputs / PROGRAMME / "calendar.ics").read_bytes())
    return report, {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def revision(event) -> tuple[int, dt.datetime]:
    return int(event["SEQUENCE"]), event["LAST-MODIFIED"].dt


def report_text(outputs: Path) -> str:
    return (outputs / PROGRAMME / "build-report.txt").read_text(encoding="utf-8")


def test_a_new_programme_starts_at_sequence_0(repository, tmp_path):
    _, events = build_feed(repository.root / "specs", tmp_path / "out")
    assert {revision(event) for event in events.values()} == {(0, at(FIRST))}
    assert {event["DTSTAMP"].dt for event in events.values()} == {at(FIRST)}
    assert "версий в коммитах: 1" in report_text(tmp_path / "out")


def test_changing_a_date_keeps_the_uid_and_raises_sequence(repository, tmp_path):
    repository.edit_roadmap(ITEM_8, "06.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022")
    repository.commit("Мониторинг сдвинут", SECOND)
    _, events = build_feed(repository.root / "specs", tmp_path / "out")
    assert events[MOVED]["DTSTART"].dt == dt.date(2022, 6, 6)
    assert revision(events[MOVED]) == (1, at(SECOND))
    assert revision(events[UNTOUCHED]) == (0, at(FIRST))
    assert {event["DTSTAMP"].dt for event in events.values()} == {at(SECOND)}
    assert events[MOVED]["CREATED"].dt == events[UNTOUCHED]["CREATED"].dt == at(FIRST)   # first published

    repository.edit_roadmap("06.06.2022 – 27.06.2022", "07.06.2022 – 27.06.2022")
    repository.commit("И ещё раз", THIRD)
    _, events = build_feed(repository.root / "specs", tmp_path / "out")
    assert revision(events[MOVED]) == (2, at(THIRD))
    assert revision(events[UNTOUCHED]) == (0, at(FIRST))


def test_a_commit_that_changes_no_event_raises_nothing(repository, tmp_path):
    readme = repository.root / "specs" / PROGRAMME / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nУточнение.\n", encoding="utf-8")
    repository.commit("Только README", SECOND)
    _, events = build_feed(repository.root / "specs", tmp_path / "out")
    assert {revision(event) for event in events.values()} == {(0, at(FIRST))}


def test_renumbering_keeps_every_uid_and_raises_sequence_only_where_the_number_shows(repository, tmp_path):
    _, before = build_feed(repository.root / "specs", tmp_path / "before")
    yaml = YAML()
    yaml.width = 4096
    data = yaml.load(repository.roadmap.read_text(encoding="utf-8"))
    data["roadmap"]["activities"].reverse()  # 13 rows: row 7 keeps its number, the others change
    with repository.roadmap.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)
    repository.commit("Строки в обратном порядке", SECOND)
    _, after = build_feed(repository.root / "specs", tmp_path / "after")
    assert set(after) == set(before)
    assert all(after[uid]["DTSTART"].dt == before[uid]["DTSTART"].dt for uid in before)
    assert revision(after["lipetsk-2022.roadmap.methodical-network.1@prikaz"]) == (0, at(FIRST))
    assert revision(after[MOVED]) == (1, at(SECOND))  # its description now says «пункт 6»


def test_an_uncommitted_change_counts_at_the_build_time(repository, tmp_path, monkeypatch):
    repository.edit_roadmap(ITEM_8, "02.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(SECOND))
    _, events = build_feed(repository.root / "specs", tmp_path / "out")
    assert revision(events[MOVED]) == (1, at(SECOND))
    assert revision(events[UNTOUCHED]) == (0, at(FIRST))


def test_versions_this_engine_cannot_read_are_skipped(repository, tmp_path):
    repository.edit_roadmap("  activities:\n", "  activities: [\n")  # broken YAML, committed by mistake
    repository.commit("Сломано", SECOND)
    repository.edit_roadmap("  activities: [\n", "  activities:\n")
    repository.edit_roadmap(ITEM_8, "03.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022")
    repository.commit("Исправлено", THIRD)
    _, events = build_feed(repository.root / "specs", tmp_path / "out")
    assert revision(events[MOVED]) == (1, at(THIRD))
    assert revision(events[UNTOUCHED]) == (0, at(FIRST))
    assert "не прочитаны текущей версией prikaz и не учтены: 1" in report_text(tmp_path / "out")


def test_the_cache_gives_the_same_bytes(repository, tmp_path):
    repository.edit_roadmap(ITEM_8, "06.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022")
    repository.commit("Мониторинг сдвинут", SECOND)
    outputs = tmp_path / "out"
    build_feed(repository.root / "specs", outputs)
    first = (outputs / PROGRAMME / "calendar.ics").read_bytes()
    assert (outputs / HISTORY_CACHE).is_file()
    build_feed(repository.root / "specs", outputs)  # from the cache
    assert (outputs / PROGRAMME / "calendar.ics").read_bytes() == first
    (outputs / HISTORY_CACHE).write_text("{не json", encoding="utf-8")  # a damaged cache is recomputed
    build_feed(repository.root / "specs", outputs)
    assert (outputs / PROGRAMME / "calendar.ics").read_bytes() == first
    build_feed(repository.root / "specs", tmp_path / "fresh")  # and no cache at all
    assert (tmp_path / "fresh" / PROGRAMME / "calendar.ics").read_bytes() == first


def test_a_shallow_clone_warns_and_publishes_sequence_0(repository, tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)     # a local build (CI runs the tests with CI=true)
    repository.edit_roadmap(ITEM_8, "06.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022")
    repository.commit("Мониторинг сдвинут", SECOND)
    clone = tmp_path / "clone"
    repository.git("clone", "-q", "--depth", "1", f"file://{repository.root}", str(clone))
    report, events = build_feed(clone / "specs", tmp_path / "out")
    [warning] = [d for d in report.all_diagnostics if d.code == "C201"]
    assert warning.severity.value == "warning" and "fetch-depth: 0" in warning.hint
    assert warning.span.file.name == "programme.yaml"
    assert {int(event["SEQUENCE"]) for event in events.values()} == {0}
    assert "shallow clone" in report_text(tmp_path / "out")


def test_a_shallow_clone_in_ci_is_an_error_and_publishes_nothing(repository, tmp_path, monkeypatch):
    clone = tmp_path / "clone"
    repository.git("clone", "-q", "--depth", "1", f"file://{repository.root}", str(clone))
    monkeypatch.setenv("CI", "true")
    report = build(clone / "specs", tmp_path / "out")
    [error] = [d for d in report.all_diagnostics if d.code == "C201"]
    assert error.severity.value == "error" and "не публикуются" in error.message and "fetch-depth: 0" in error.hint
    assert report.failed and not (tmp_path / "out" / PROGRAMME).exists()


def test_outside_git_sequence_is_0_and_the_report_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(FIRST))
    shutil.copytree(REPO / "specs" / PROGRAMME, tmp_path / "specs" / PROGRAMME)
    report, events = build_feed(tmp_path / "specs", tmp_path / "out")
    assert not report.all_diagnostics
    assert {revision(event) for event in events.values()} == {(0, at(FIRST))}
    assert "не в репозитории git" in report_text(tmp_path / "out")
