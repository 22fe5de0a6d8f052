"""Calendars with execution records: a done occurrence says «выполнено» and reminds no one, a cancelled one is
STATUS:CANCELLED, a moved one is published on its new days under the UID it had — read back with icalendar from the
bundled samples and from a copy without the move."""

from __future__ import annotations

import datetime as dt
import shutil

import icalendar
from docx_reading import REPO, build_with_epoch

LIPETSK = "lipetsk-2022"
REVIEW = "lipetsk-2022.roadmap.school-programmes-review.2022"


def events(path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def categories(event) -> list[str]:
    return [str(category) for category in event["categories"].cats]


def test_done_and_cancelled_occurrences(docx_outputs):
    found = events(docx_outputs / LIPETSK / "calendar.ics")
    done = found["lipetsk-2022.roadmap.normative-base.2022.due@prikaz"]
    assert str(done["summary"]).endswith(" — выполнено")
    assert categories(done) == ["Срок", "План-график", "Выполнено"]
    assert done.walk("VALARM") == [] and "STATUS" not in done
    assert "Выполнено 15.03.2022: Приказ УОиН от 15.03.2022 №\u00a0312" in str(done["description"])
    cancelled = found["lipetsk-2022.roadmap.monitoring-results.1.due@prikaz"]
    assert str(cancelled["status"]) == "CANCELLED" and categories(cancelled)[-1] == "Отменено"
    assert "Отменено 15.05.2022 (приказ УОиН от 15.05.2022 №\u00a0402" in str(cancelled["description"])
    waiting = found["lipetsk-2022.roadmap.working-group.2.due@prikaz"]       # December: nothing recorded
    assert len(waiting.walk("VALARM")) == 2 and categories(waiting) == ["Срок", "План-график"]
    # the June meeting was «не выполнено»: still an open deadline, not marked
    assert not str(found["lipetsk-2022.roadmap.working-group.1.due@prikaz"]["summary"]).endswith("выполнено")


def test_a_moved_deadline_moves_its_events_under_the_same_uid(docx_outputs, tmp_path):
    moved = events(docx_outputs / LIPETSK / "calendar.ics")
    specs = tmp_path / "specs"
    shutil.copytree(REPO / "specs" / LIPETSK, specs / LIPETSK)
    progress = specs / LIPETSK / "progress.yaml"
    text = progress.read_text(encoding="utf-8")
    start = text.index("    # 4. Март")
    progress.write_text(text[:start] + text[text.index("    # 5. Март-декабрь"):], encoding="utf-8")
    assert not build_with_epoch(specs, tmp_path / "outputs").failed
    planned = events(tmp_path / "outputs" / LIPETSK / "calendar.ics")
    assert set(moved) == set(planned)                                # the same events: none added, none lost
    for uid in (f"{REVIEW}@prikaz", f"{REVIEW}.due@prikaz"):
        assert moved[uid]["dtstart"].dt != planned[uid]["dtstart"].dt or moved[uid]["dtend"].dt != planned[uid]["dtend"].dt
    assert planned[f"{REVIEW}.due@prikaz"]["dtstart"].dt == dt.date(2022, 3, 31)
    assert moved[f"{REVIEW}.due@prikaz"]["dtstart"].dt == dt.date(2022, 7, 29)
    assert (moved[f"{REVIEW}@prikaz"]["dtstart"].dt, moved[f"{REVIEW}@prikaz"]["dtend"].dt) == (
        dt.date(2022, 3, 1), dt.date(2022, 7, 30))
    assert "новый срок — до 29 июля 2022 года" in str(moved[f"{REVIEW}.due@prikaz"]["description"])
