"""Weekly, quarterly and half-yearly deadlines and due days reach the feeds as one event per occurrence.

The calendar writer (engine/render/ics_events.py) makes an event of every window of a deadline — from the date
of the decree on, for a deadline that repeats by itself — keyed by its date; these tests give lysva-2021
(2021–2024, the order of 28.10.2021) the new forms of the time language and read the feed back as a client does
(icalendar + recurring-ical-events).
"""

from __future__ import annotations

import datetime as dt

import pytest
from docx_reading import APPENDIX_FILES, open_docx, table_rows
from test_ics import build_specs, copy_specs, days, edit_yaml, feed, occurrences, vevents

DECREE = dt.date(2021, 10, 28)
ONE_DAY = dt.timedelta(days=1)
NEW_FORMS = {
    "results-analysis": "по пятницам",                                                       # 2.2
    "statistical-reports": "ежеквартально до 5 числа месяца, следующего за отчётным кварталом",  # 2.3
    "targeted-recommendations": "раз в полугодие",                                           # 2.4
    "support-programme-discussion": "еженедельно, март – апрель",                            # 2.6
}


@pytest.fixture(scope="module")
def lysva_feed(tmp_path_factory):
    root = tmp_path_factory.mktemp("ics-recurrences")
    specs = copy_specs(root, "lysva-2021")

    def new_forms(data):
        for section in data["roadmap"]["sections"]:
            for activity in section["activities"]:
                activity["time"] = NEW_FORMS.get(activity["id"], activity["time"])

    edit_yaml(specs / "lysva-2021" / "roadmap.yaml", new_forms)
    report = build_specs(specs, root / "outputs")
    assert not report.failed, report.all_diagnostics
    return root / "outputs" / "lysva-2021"


def _fridays(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)
            if (first + dt.timedelta(days=n)).weekday() == 4]


def test_every_friday_of_the_plan_from_the_decree_on_is_a_due_date(lysva_feed):
    calendar = feed(lysva_feed / "calendar.ics")
    fridays = _fridays(DECREE, dt.date(2024, 12, 31))
    assert len(fridays) == 166 and fridays[0] == dt.date(2021, 10, 29)
    assert occurrences(calendar, "results-analysis", 2021, 2024) == [(day, day + ONE_DAY) for day in fridays]
    events = vevents(calendar)
    event = events["lysva-2021.roadmap.results-analysis.2024-12-27@prikaz"]       # keyed by its date
    assert str(event["SUMMARY"]).startswith("Срок: ")
    assert "Срок: по пятницам" in str(event["DESCRIPTION"]).replace("\\", "")      # the wording as written
    # each occurrence is also in the feeds of its owners
    assert "lysva-2021.roadmap.results-analysis.2021-10-29@prikaz" in vevents(feed(lysva_feed / "calendars" / "uo.ics"))


def test_quarterly_reports_are_due_after_each_quarter(lysva_feed):
    calendar = feed(lysva_feed / "calendar.ics")
    due = sorted(day for day in [dt.date(year, month, 5) for year in range(2021, 2025) for month in (4, 7, 10)]
                 + [dt.date(year + 1, 1, 5) for year in range(2021, 2025)] if day >= DECREE)
    assert due[0] == dt.date(2022, 1, 5) and due[-1] == dt.date(2025, 1, 5)     # the last: after the period
    assert occurrences(calendar, "statistical-reports", 2021, 2025) == [(day, day + ONE_DAY) for day in due]
    assert "lysva-2021.roadmap.statistical-reports.2025-01@prikaz" in vevents(calendar)   # keyed by month


def test_half_years_and_weeks_are_work_periods(lysva_feed):
    calendar = feed(lysva_feed / "calendar.ics")
    half_years = occurrences(calendar, "targeted-recommendations", 2021, 2024)
    assert half_years == [(DECREE, dt.date(2022, 1, 1))] + sorted(
        [(dt.date(year, 1, 1), dt.date(year, 7, 1)) for year in range(2022, 2025)]
        + [(dt.date(year, 7, 1), dt.date(year + 1, 1, 1)) for year in range(2022, 2025)])
    assert occurrences(calendar, "targeted-recommendations", 2021, 2024, due=True)[-1] == (
        dt.date(2024, 12, 31), dt.date(2025, 1, 1))
    weeks = occurrences(calendar, "support-programme-discussion", 2021, 2024)
    # March – April of every year (months named: not cut by the decree), weeks from Monday cut to the months
    assert weeks[0] == (dt.date(2021, 3, 1), dt.date(2021, 3, 8))
    assert weeks[-1][1] == dt.date(2024, 5, 1)
    assert all(start.weekday() == 0 or start.day == 1 for start, _ in weeks)
    assert sum((end - start for start, end in weeks), dt.timedelta()) == dt.timedelta(days=4 * 61)   # no day twice


def test_event_count_of_the_programme(lysva_feed):
    """What the bound on events per programme (T206) counts: every occurrence is its own VEVENT."""
    events = vevents(feed(lysva_feed / "calendar.ics"))
    per_item: dict[str, int] = {}
    for uid in events:
        item = uid.split(".")[2]
        per_item[item] = per_item.get(item, 0) + 1
    assert per_item["results-analysis"] == 166
    assert per_item["statistical-reports"] == 13
    assert per_item["targeted-recommendations"] == 2 * 7       # a period and its due date each
    assert days(events["lysva-2021.roadmap.statistical-reports.2025-01@prikaz"]) == (dt.date(2025, 1, 5),
                                                                                      dt.date(2025, 1, 6))


def test_the_roadmap_prints_each_new_deadline_as_written(lysva_feed):
    """The calendar has what the words mean; the signed document has the words, nothing added (no months, years or
    «ежегодно» spelled out)."""
    document = open_docx(lysva_feed / APPENDIX_FILES["lysva-2021"]["roadmap"])
    printed = {row[0]: row[3] for row in table_rows(document.tables[0]) if row[0][:1].isdigit()}
    assert [printed[number] for number in ("2.2.", "2.3.", "2.4.", "2.6.")] == list(NEW_FORMS.values())
