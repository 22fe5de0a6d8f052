"""Weekly, quarterly and half-yearly deadlines and due days reach the feeds as one event per occurrence.

The calendar writer (engine/render/ics_events.py) makes an event of every window of a deadline; these
tests give lysva-2021 (2021–2024, Asia/Yekaterinburg) the new forms of the time language and read the
feed back as a client does (icalendar + recurring-ical-events).
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_ics import build_specs, copy_specs, days, edit_yaml, feed, occurrences, vevents

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


def test_every_friday_of_the_plan_is_an_event(lysva_feed):
    calendar = feed(lysva_feed / "calendar.ics")
    fridays = occurrences(calendar, "results-analysis", 2021, 2024)
    assert len(fridays) == 209
    assert fridays[0] == (dt.date(2021, 1, 1), dt.date(2021, 1, 2))
    assert fridays[-1] == (dt.date(2024, 12, 27), dt.date(2024, 12, 28))
    assert all(start.weekday() == 4 and end - start == dt.timedelta(days=1) for start, end in fridays)
    events = vevents(calendar)
    event = events["lysva-2021.roadmap.results-analysis.209@prikaz"]
    assert "Срок: по пятницам" in str(event["DESCRIPTION"])          # the wording as written, not a rule
    # each occurrence is also in the feeds of its owners
    assert "lysva-2021.roadmap.results-analysis.1@prikaz" in vevents(feed(lysva_feed / "calendars" / "uo.ics"))


def test_quarterly_reports_are_due_after_each_quarter(lysva_feed):
    calendar = feed(lysva_feed / "calendar.ics")
    found = occurrences(calendar, "statistical-reports", 2021, 2025)
    due = sorted([dt.date(year, month, 5) for year in range(2021, 2025) for month in (4, 7, 10)]
                 + [dt.date(year, 1, 5) for year in range(2022, 2026)])
    assert found == [(day, day + dt.timedelta(days=1)) for day in due]


def test_half_years_and_weeks(lysva_feed):
    calendar = feed(lysva_feed / "calendar.ics")
    half_years = occurrences(calendar, "targeted-recommendations", 2021, 2024)
    assert half_years == sorted([(dt.date(year, 1, 1), dt.date(year, 7, 1)) for year in range(2021, 2025)]
                                + [(dt.date(year, 7, 1), dt.date(year + 1, 1, 1)) for year in range(2021, 2025)])
    weeks = occurrences(calendar, "support-programme-discussion", 2021, 2024)
    # March – April of every year: whole weeks from Monday, the first and last cut to the months
    assert weeks[0] == (dt.date(2021, 3, 1), dt.date(2021, 3, 8))
    assert weeks[-1][1] == dt.date(2024, 5, 1)
    assert all(dt.date(start.year, 3, 1) <= start and end <= dt.date(start.year, 5, 1) for start, end in weeks)
    assert sum((end - start for start, end in weeks), dt.timedelta()) == dt.timedelta(days=4 * 61)  # no day twice, none lost


def test_event_count_of_the_programme(lysva_feed):
    """What the bound on events per programme (issue 10) counts: every occurrence is its own VEVENT."""
    events = vevents(feed(lysva_feed / "calendar.ics"))
    per_item: dict[str, int] = {}
    for uid in events:
        item = uid.split(".")[2]
        per_item[item] = per_item.get(item, 0) + 1
    assert per_item["results-analysis"] == 209
    assert per_item["statistical-reports"] == 16
    assert per_item["targeted-recommendations"] == 8
    assert days(events["lysva-2021.roadmap.statistical-reports.16@prikaz"]) == (dt.date(2025, 1, 5), dt.date(2025, 1, 6))
