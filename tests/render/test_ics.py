"""Calendar feeds of the bundled programmes, read back as a calendar client would read them.

The feeds are parsed with icalendar and expanded with recurring-ical-events; the dates are
those of the source documents (shared/sources/*.txt). The specs are built from copies outside
git, so SEQUENCE is 0 here; how it rises is tested in tests/history.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
from ruamel.yaml import YAML

from engine.building.build import build
from engine.building.pipeline import check_tree
from engine.checks.timing import timed_items

REPO = Path(__file__).resolve().parents[2]
PROGRAMMES = tuple(sorted(folder.name for folder in (REPO / "specs").iterdir()))      # every bundled programme
BUILD_EPOCH = 1_700_000_000  # SOURCE_DATE_EPOCH of these builds
BUILD_TIME = dt.datetime.fromtimestamp(BUILD_EPOCH, dt.UTC)
UNDATED = {
    "lipetsk-2022": {"diagnostics-on-request": "В соответствии с календарными планами ОО"},
    "lysva-2021": {"head-interviews": "По итогам выявления", "teacher-diagnostics-monitoring": "По плану",
                   "assessment-participation-monitoring": "В соответствии с графиками проведения"},
}


def copy_specs(root: Path, *names: str) -> Path:
    """The bundled programmes as approved: without the sample execution records (progress.yaml), which move and
    mark events of their own (tests/render/test_ics_progress.py reads those)."""
    specs = root / "specs"
    for name in names or PROGRAMMES:
        shutil.copytree(REPO / "specs" / name, specs / name, ignore=shutil.ignore_patterns("progress.yaml"))
    return specs


def build_specs(specs: Path, outputs: Path):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(BUILD_EPOCH))
        return build(specs, outputs)


def edit_yaml(path: Path, change) -> None:
    """Load a spec file keeping its comments, let `change` edit the data, write it back."""
    yaml = YAML()
    yaml.width = 4096
    data = yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)


def feed(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def vevents(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    found = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        assert uid not in found, f"UID {uid} встречается дважды"
        found[uid] = event
    return found


def unescaped(value) -> str:
    """A TEXT value that icalendar hands over as it is written (vUnknown: NAME, X-WR-*), unescaped per RFC 5545."""
    return re.sub(r"\\([\\;,nN])", lambda match: "\n" if match.group(1) in "nN" else match.group(1), str(value))


def days(event) -> tuple[dt.date, dt.date]:
    return event["DTSTART"].dt, event["DTEND"].dt


def occurrences(calendar: icalendar.Calendar, item_id: str, first_year: int, last_year: int, due: bool = False):
    """(first day, exclusive end) of every window of an item (or, with `due`, of its due dates), expanded as a
    client expands them."""
    expanded = recurring_ical_events.of(calendar).between(dt.date(first_year, 1, 1), dt.date(last_year + 1, 1, 1))
    return sorted(days(event) for event in expanded
                  if f".{item_id}." in str(event["UID"]) and str(event["UID"]).endswith(".due@prikaz") == due)


def month(year: int, number: int, months: int = 1) -> tuple[dt.date, dt.date]:
    """A window of whole months as DTSTART / exclusive DTEND."""
    end_year, end_month = divmod(year * 12 + number - 1 + months, 12)
    return dt.date(year, number, 1), dt.date(end_year, end_month + 1, 1)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ics")
    report = build_specs(copy_specs(root), root / "outputs")
    assert not report.failed, report.all_diagnostics
    return root / "outputs"


@pytest.fixture(scope="module")
def models():
    checked = check_tree(REPO / "specs")
    return {result.model.id: result.model for result in checked.programmes}


def ics_files(outputs: Path) -> list[Path]:
    return sorted(outputs.rglob("*.ics"))


# --- the days, against the sources -------------------------------------------------------------


def test_lipetsk_item_8_is_two_events_with_exclusive_ends(built):
    calendar = feed(built / "lipetsk-2022" / "calendar.ics")
    events = vevents(calendar)
    first = events["lipetsk-2022.roadmap.monitoring-programmes.1@prikaz"]
    second = events["lipetsk-2022.roadmap.monitoring-programmes.2@prikaz"]
    assert days(first) == (dt.date(2022, 6, 1), dt.date(2022, 6, 28))  # 01.06–27.06.2022, DTEND the day after
    assert days(second) == (dt.date(2022, 11, 15), dt.date(2022, 12, 1))  # 15.11–30.11.2022
    assert first["DTSTART"].params["VALUE"] == "DATE" and first["DTEND"].params["VALUE"] == "DATE"
    assert occurrences(calendar, "monitoring-programmes", 2022, 2022) == [days(first), days(second)]


def test_lipetsk_month_ranges_are_their_window(built):
    calendar = feed(built / "lipetsk-2022" / "calendar.ics")
    assert occurrences(calendar, "normative-base", 2022, 2022) == [month(2022, 2, 2)]  # «Февраль-март»
    assert occurrences(calendar, "information-support", 2022, 2022) == [month(2022, 3, 10)]  # «Март-декабрь 2022»
    assert occurrences(calendar, "working-group", 2022, 2022) == [
        (dt.date(2022, 6, 28), dt.date(2022, 7, 1)), (dt.date(2022, 12, 1), dt.date(2022, 12, 4))]


def test_leningrad_clause_5_1_is_one_day(built):
    calendar = feed(built / "leningrad-2020" / "calendar.ics")
    event = vevents(calendar)["leningrad-2020.decree.application.1@prikaz"]  # «до 10 февраля 2020 года»
    assert days(event) == (dt.date(2020, 2, 10), dt.date(2020, 2, 11))
    assert occurrences(calendar, "application", 2020, 2020) == [days(event)]
    assert "пункт 5.1" in str(event["DESCRIPTION"])
    assert "application.1@prikaz" in "".join(vevents(feed(built / "leningrad-2020" / "calendars" / "loiro.ics")))


def test_leningrad_item_2_10_occurs_every_month_of_the_service_period(built):
    # «ежемесячно», as the source says: an item of the technical specification recurs within its service
    # period (раздел 3: февраль – декабрь 2020) — so every month of 2020 from February on.
    calendar = feed(built / "leningrad-2020" / "calendar.ics")
    assert occurrences(calendar, "virtual-reception", 2020, 2020) == [month(2020, number) for number in range(2, 13)]


def test_leningrad_month_lists(built):
    calendar = feed(built / "leningrad-2020" / "calendar.ics")
    # «апрель, май, сентябрь, октябрь, ноябрь 2020 года»
    assert occurrences(calendar, "expert-sessions", 2020, 2020) == [month(2020, n) for n in (4, 5, 9, 10, 11)]
    assert occurrences(calendar, "course-quality-assessment", 2020, 2020) == [month(2020, 2, 4)]  # февраль - май


def test_lysva_june_july_occurs_every_year_of_the_plan(built):
    calendar = feed(built / "lysva-2021" / "calendar.ics")
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Yekaterinburg"
    # the plan is approved on 28.10.2021: June–July 2021 was over before it, so the pattern starts in 2022
    assert occurrences(calendar, "results-analysis", 2021, 2024) == [month(year, 6, 2) for year in range(2022, 2025)]
    assert occurrences(calendar, "results-analysis", 2021, 2024, due=True) == [
        (dt.date(year, 7, 31), dt.date(year, 8, 1)) for year in range(2022, 2025)]


APPROVED = dt.date(2021, 10, 28)   # приказ № 491/01-08 of Lysva


def test_lysva_recurring_and_whole_year_items(built):
    calendar = feed(built / "lysva-2021" / "calendar.ics")
    # «Ноябрь, январь, март, июнь»: each listed month of every year from the approval on, each its own length
    assert occurrences(calendar, "statistical-reports", 2021, 2024) == sorted(
        month(year, number) for year in range(2021, 2025) for number in (1, 3, 6, 11)
        if month(year, number)[1] > APPROVED)
    # «Ежегодно» and «В течение года»: every whole year, 2024 included (a leap year: 366 days); 2021 from the approval
    for item in ("monitoring-recommendations", "institutional-quality-monitoring"):
        assert occurrences(calendar, item, 2021, 2024) == [(APPROVED, dt.date(2022, 1, 1))] + [
            month(year, 1, 12) for year in range(2022, 2025)]
        assert occurrences(calendar, item, 2021, 2024, due=True) == [
            (dt.date(year, 12, 31), dt.date(year + 1, 1, 1)) for year in range(2021, 2025)]
    # «2021 год» names its year: it is not a pattern, and the time checks judge it against the decree date
    assert occurrences(calendar, "regional-500plus-plan", 2021, 2024) == [month(2021, 1, 12)]
    assert occurrences(calendar, "goals-and-objectives", 2021, 2024) == [month(2021, 8)]  # «Август, 2021»


def test_every_dated_item_is_in_the_feed_once_per_window(built, models):
    """Every window of every dated item is one event (a work period) or, if one day long, one due date; a period's
    last day is a due date of its own. Nothing before the decree of a deadline that repeats by itself."""
    for programme_id, model in models.items():
        events = vevents(feed(built / programme_id / "calendar.ics"))
        period = model.programme.programme.period
        approved = model.programme.decree.date if model.programme.decree else None     # a programme document: none
        expected: dict[tuple[str, str], tuple] = {}
        for target, _, expr in timed_items(model.programme):
            item_id = getattr(target, "id", None) or "_service-period"
            for window in expr.windows(period):
                start = max(window.start, approved) if approved and expr.every_year else window.start
                if window.end < start:
                    continue
                end = window.end + dt.timedelta(days=1)
                if start == window.end:
                    expected[(item_id, f"Срок {start}")] = (start, end)
                else:
                    expected[(item_id, f"Период {start}")] = (start, end)
                    expected[(item_id, f"Срок {window.end}")] = (window.end, end)
        found = {}
        for uid, event in events.items():
            kind = str(event["CATEGORIES"].cats[0]).split()[0]
            assert str(event["SUMMARY"]).startswith(f"{kind}: "), uid
            assert uid.endswith(".due@prikaz") == (kind == "Срок") or event["DTEND"].dt - event["DTSTART"].dt == dt.timedelta(1)
            found[(uid.split(".")[2], f"{kind} {event['DTSTART'].dt}")] = days(event)
        assert found == expected, programme_id


def test_recurring_uids_are_keyed_by_their_date(built):
    lysva = vevents(feed(built / "lysva-2021" / "calendar.ics"))
    reports = sorted(uid for uid in lysva if ".statistical-reports." in uid and not uid.endswith(".due@prikaz"))
    assert reports[:3] == ["lysva-2021.roadmap.statistical-reports.2021-11@prikaz",
                           "lysva-2021.roadmap.statistical-reports.2022-01@prikaz",
                           "lysva-2021.roadmap.statistical-reports.2022-03@prikaz"]
    assert "lysva-2021.roadmap.results-analysis.2023@prikaz" in lysva      # «Июнь-июль» every year: by year
    leningrad = vevents(feed(built / "leningrad-2020" / "calendar.ics"))
    assert "leningrad-2020.specification.virtual-reception.2020-07@prikaz" in leningrad   # «ежемесячно»: by month
    assert "leningrad-2020.specification.expert-sessions.2020-09@prikaz" in leningrad     # a list of months
    assert "lipetsk-2022.roadmap.monitoring-programmes.2@prikaz" in vevents(feed(built / "lipetsk-2022" / "calendar.ics"))


def test_dropping_a_month_of_a_recurring_deadline_touches_only_that_month(tmp_path, built):
    specs = copy_specs(tmp_path, "lysva-2021")
    roadmap = specs / "lysva-2021" / "roadmap.yaml"
    text = roadmap.read_text(encoding="utf-8")
    assert text.count("Ноябрь, январь, март, июнь") == 1
    roadmap.write_text(text.replace("Ноябрь, январь, март, июнь", "Ноябрь, март, июнь"), encoding="utf-8")
    report = build_specs(specs, tmp_path / "outputs")
    assert not report.failed, report.all_diagnostics
    before = vevents(feed(built / "lysva-2021" / "calendar.ics"))
    after = vevents(feed(tmp_path / "outputs" / "lysva-2021" / "calendar.ics"))
    gone = set(before) - set(after)
    assert gone and all(".statistical-reports." in uid and "-01" in uid for uid in gone)
    assert not set(after) - set(before)
    for uid in after:
        if ".statistical-reports." in uid:
            assert days(after[uid]) == days(before[uid]) and after[uid]["SUMMARY"] == before[uid]["SUMMARY"]


def test_undated_items_are_not_in_feeds_but_in_the_build_report(built):
    for programme_id, undated in UNDATED.items():
        report = (built / programme_id / "build-report.txt").read_text(encoding="utf-8")
        for item_id, wording in undated.items():
            for path in ics_files(built):
                assert f".{item_id}." not in path.read_text(encoding="utf-8"), (item_id, path)
            assert f"«{wording}»" in report
        assert f"Сроки без даты — в календари не внесены ({len(undated)})" in report
    assert "Сроки без даты — в календари не внесены (0)" in (built / "leningrad-2020" / "build-report.txt").read_text(
        encoding="utf-8")


# --- events and calendars, as subscribers see them --------------------------------------------


def test_events_are_all_day_transparent_and_described(built):
    for path in ics_files(built):
        calendar = feed(path)
        assert not calendar.walk("VTODO")
        for event in calendar.walk("VEVENT"):
            start, end = days(event)
            assert type(start) is dt.date and type(end) is dt.date and end > start  # no floating times
            assert "RRULE" not in event and "TZID" not in event["DTSTART"].params
            assert event["TRANSP"] == "TRANSPARENT"
            assert event["DTSTAMP"].dt == BUILD_TIME
            assert event["SEQUENCE"] == 0 and event["LAST-MODIFIED"].dt == BUILD_TIME  # not in git: see build report
            assert event["CREATED"].dt == BUILD_TIME
            assert str(event["SUMMARY"]) and "{{" not in str(event["SUMMARY"]) + str(event["DESCRIPTION"])
            assert "Документ: " in str(event["DESCRIPTION"]) and event.get("CATEGORIES").cats


def test_due_dates_and_work_periods_differ_in_title_and_categories(built):
    events = vevents(feed(built / "lipetsk-2022" / "calendar.ics"))
    period = events["lipetsk-2022.roadmap.monitoring-programmes.2@prikaz"]
    due = events["lipetsk-2022.roadmap.monitoring-programmes.2.due@prikaz"]
    assert str(period["SUMMARY"]).startswith("Период: ") and str(due["SUMMARY"]).startswith("Срок: ")
    assert str(period["SUMMARY"])[len("Период: "):] == str(due["SUMMARY"])[len("Срок: "):]
    assert str(period["CATEGORIES"].cats[0]) == "Период выполнения" and str(due["CATEGORIES"].cats[0]) == "Срок"
    assert days(due) == (dt.date(2022, 11, 30), dt.date(2022, 12, 1))   # the last day of 15.11–30.11.2022
    leningrad = vevents(feed(built / "leningrad-2020" / "calendar.ics"))
    one_day = leningrad["leningrad-2020.decree.application.1@prikaz"]   # «до 10 февраля 2020 года»
    assert str(one_day["SUMMARY"]).startswith("Срок: ") and "leningrad-2020.decree.application.1.due@prikaz" not in leningrad


def test_default_reminders_come_before_each_due_date_longest_first(built):
    """7 days and 1 day before the due date, at 09:00; relative to the start of the one-day event, which Outlook
    reads (it keeps only the first VALARM: the week's notice). Work periods carry none: their due date does."""
    for path in ics_files(built):
        for event in feed(path).walk("VEVENT"):
            alarms = event.walk("VALARM")
            if str(event["UID"]).endswith(".due@prikaz") or str(event["CATEGORIES"].cats[0]) == "Срок":
                assert [alarm["TRIGGER"].dt for alarm in alarms] == [
                    -dt.timedelta(days=6, hours=15), -dt.timedelta(hours=15)]
                assert all("RELATED" not in alarm["TRIGGER"].params for alarm in alarms)
                assert {str(alarm["ACTION"]) for alarm in alarms} == {"DISPLAY"}
            else:
                assert not alarms


def test_calendar_properties_in_russian(built):
    calendar = feed(built / "lipetsk-2022" / "calendar.ics")
    raw = (built / "lipetsk-2022" / "calendar.ics").read_bytes().decode().replace("\r\n ", "")
    # no METHOD: a feed is no iTIP message (METHOD:PUBLISH would need an ORGANIZER in every event)
    assert calendar["VERSION"] == "2.0" and calendar["CALSCALE"] == "GREGORIAN" and "METHOD" not in calendar
    assert str(calendar["PRODID"]).startswith("-//prikaz//")
    name = "Мероприятие 21 — поддержка школ с низкими результатами обучения, Липецкая область, 2022"
    # TEXT values, escaped: «\\,» in the bytes (icalendar reads these two properties back without unescaping)
    assert unescaped(calendar["NAME"]) == unescaped(calendar["X-WR-CALNAME"]) == name
    assert "\r\nX-WR-CALNAME:Мероприятие 21 — поддержка школ с низкими результатами обучения\\, Липецкая" in raw
    assert "Сроки мероприятий и поручений программы" in str(calendar["DESCRIPTION"])
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in raw and "\r\nX-PUBLISHED-TTL:PT12H\r\n" in raw
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Moscow"
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Moscow" and zone.walk("STANDARD")[0]["TZOFFSETTO"].td == dt.timedelta(hours=3)


def test_organisation_feeds_of_a_programme(built):
    programme = vevents(feed(built / "lipetsk-2022" / "calendar.ics"))
    iro = feed(built / "lipetsk-2022" / "calendars" / "iro.ics")
    assert str(iro["X-WR-CALNAME"]).startswith("ГАУДПО ЛО «ИРО» — ")
    assert "lipetsk-2022.roadmap.monitoring-programmes.2@prikaz" in vevents(iro)
    uoin = vevents(feed(built / "lipetsk-2022" / "calendars" / "uoin.ics"))
    assert set(uoin) == {"lipetsk-2022.roadmap.normative-base.2022@prikaz", "lipetsk-2022.roadmap.normative-base.2022.due@prikaz",
                         "lipetsk-2022.roadmap.working-group.1@prikaz", "lipetsk-2022.roadmap.working-group.1.due@prikaz",
                         "lipetsk-2022.roadmap.working-group.2@prikaz", "lipetsk-2022.roadmap.working-group.2.due@prikaz"}
    for uid, event in uoin.items():
        assert event.to_ical() == programme[uid].to_ical()  # the same event, byte for byte
    # every organisation has a feed, even without events: a subscribed URL never disappears; its VTIMEZONE keeps
    # it a valid calendar (RFC 5545 wants at least one component)
    komitet = feed(built / "leningrad-2020" / "calendars" / "komitet.ics")
    assert vevents(komitet) == {} and [str(zone["TZID"]) for zone in komitet.walk("VTIMEZONE")] == ["Europe/Moscow"]


def test_organisation_feeds_across_programmes(built):
    """One feed per organisation identity: «oo» of Lipetsk oblast and «oo» of Lysva are two organisations."""
    lipetsk_oo = vevents(feed(built / "lipetsk-2022" / "calendars" / "oo.ics"))
    lysva_oo = vevents(feed(built / "lysva-2021" / "calendars" / "oo.ics"))
    oo = feed(built / "calendars" / "lipetskaya-oblast" / "oo.ics")
    assert set(vevents(oo)) == set(lipetsk_oo) and "lipetsk-2022.roadmap.school-programmes-review.2022@prikaz" in lipetsk_oo
    lysva = feed(built / "calendars" / "permsky-kray-lysvensky-gorodskoy-okrug" / "oo.ics")
    assert set(vevents(lysva)) == set(lysva_oo) and "lysva-2021.roadmap.results-analysis.2024@prikaz" in lysva_oo
    assert unescaped(lysva["X-WR-CALNAME"]) == "ОО (Пермский край, Лысьвенский городской округ) — сроки всех программ"
    assert str(lysva["X-WR-TIMEZONE"]) == "Asia/Yekaterinburg"
    assert str(feed(built / "calendars" / "lipetskaya-oblast" / "iro.ics")["X-WR-TIMEZONE"]) == "Europe/Moscow"
    # the feed by bare id of earlier versions is emptied and points to both
    legacy = feed(built / "calendars" / "oo.ics")
    assert not legacy.walk("VEVENT") and unescaped(legacy["X-WR-CALNAME"]).endswith(" — календарь перенесён")
    assert "/calendars/lipetskaya-oblast/oo.ics" in unescaped(legacy["X-WR-CALDESC"])
    assert "/calendars/permsky-kray-lysvensky-gorodskoy-okrug/oo.ics" in unescaped(legacy["X-WR-CALDESC"])


def test_no_feed_across_programmes_mixes_organisations_of_different_regions(built, models):
    """Every event of a feed in outputs/calendars/ belongs to a programme of the feed's identity."""
    regions = {programme_id: model.programme.programme.region for programme_id, model in models.items()}
    for path in (built / "calendars").rglob("*.ics"):
        programmes = {uid.split(".")[0] for uid in vevents(feed(path))}
        assert len({regions[programme] for programme in programmes}) <= 1, (path, programmes)
        if path.parent.name != "inn" and programmes:
            assert path.parent.name != "calendars"            # a feed with events is keyed by its region
            zones = {str(zone["TZID"]) for zone in feed(path).walk("VTIMEZONE")}
            assert zones == {models[programme].programme.programme.timezone for programme in programmes}


def test_lines_are_folded_at_75_octets_with_crlf_and_whole_characters(built):
    for path in ics_files(built):
        data = path.read_bytes()
        assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"") and b"\r" not in data.replace(b"\r\n", b"")
        for line in data.split(b"\r\n")[:-1]:
            assert len(line) <= 75, (path, line)
            line.decode("utf-8")  # raises if a fold split a Cyrillic letter
    raw = (built / "lipetsk-2022" / "calendar.ics").read_bytes()
    assert b"\r\n " in raw  # long Cyrillic summaries are folded, and unfold intact:
    summaries = [str(event["SUMMARY"]) for event in feed(built / "lipetsk-2022" / "calendar.ics").walk("VEVENT")]
    assert ("Период: Мониторинг реализации план-графика Мероприятия 21, а также школьных программ повышения качества "
            "образования на 2022 год") in summaries


# --- subscription behaviour -------------------------------------------------------------------


def test_building_twice_gives_identical_bytes(tmp_path):
    specs = copy_specs(tmp_path)
    build_specs(specs, tmp_path / "first")
    build_specs(specs, tmp_path / "second")
    first = {p.relative_to(tmp_path / "first"): p.read_bytes() for p in (tmp_path / "first").rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "second"): p.read_bytes() for p in (tmp_path / "second").rglob("*") if p.is_file()}
    assert first == second and any(path.suffix == ".ics" for path in first)


def test_reordering_activities_changes_no_uid(tmp_path, built):
    specs = copy_specs(tmp_path, "lipetsk-2022", "lysva-2021")
    edit_yaml(specs / "lipetsk-2022" / "roadmap.yaml", lambda data: data["roadmap"]["activities"].reverse())

    def shuffle_sections(data):
        sections = data["roadmap"]["sections"]
        sections.reverse()
        for section in sections:
            section["activities"].reverse()

    edit_yaml(specs / "lysva-2021" / "roadmap.yaml", shuffle_sections)
    report = build_specs(specs, tmp_path / "outputs")
    assert not report.failed, report.all_diagnostics
    for programme_id in ("lipetsk-2022", "lysva-2021"):
        before = vevents(feed(built / programme_id / "calendar.ics"))
        after = vevents(feed(tmp_path / "outputs" / programme_id / "calendar.ics"))
        assert set(after) == set(before)
        assert {uid: days(event) for uid, event in after.items()} == {uid: days(e) for uid, e in before.items()}
    renumbered = vevents(feed(tmp_path / "outputs" / "lipetsk-2022" / "calendar.ics"))
    assert "пункт 6\n" in str(renumbered["lipetsk-2022.roadmap.monitoring-programmes.1@prikaz"]["DESCRIPTION"])


def test_moving_a_window_keeps_its_uid(tmp_path, built):
    specs = copy_specs(tmp_path, "lipetsk-2022")
    roadmap = specs / "lipetsk-2022" / "roadmap.yaml"
    roadmap.write_text(roadmap.read_text(encoding="utf-8").replace(
        "01.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022", "06.06.2022 – 24.06.2022; 14.11.2022 – 25.11.2022"),
        encoding="utf-8")
    build_specs(specs, tmp_path / "outputs")
    after = vevents(feed(tmp_path / "outputs" / "lipetsk-2022" / "calendar.ics"))
    assert set(after) == set(vevents(feed(built / "lipetsk-2022" / "calendar.ics")))
    assert days(after["lipetsk-2022.roadmap.monitoring-programmes.1@prikaz"]) == (dt.date(2022, 6, 6), dt.date(2022, 6, 25))
    assert days(after["lipetsk-2022.roadmap.monitoring-programmes.2@prikaz"]) == (dt.date(2022, 11, 14), dt.date(2022, 11, 26))


def test_reminders_and_periods_without_due_dates(tmp_path):
    """The programme's own reminders, longest lead first whatever the order written; without due-date events a work
    period reminds before its end (RELATED=END: the days before the last day, at 09:00)."""
    specs = copy_specs(tmp_path, "leningrad-2020")
    edit_yaml(specs / "leningrad-2020" / "programme.yaml",
              lambda data: data["programme"].update(reminders=["P1D", "P14D"], deadline_events="нет"))
    report = build_specs(specs, tmp_path / "outputs")
    assert not report.failed, report.all_diagnostics
    events = vevents(feed(tmp_path / "outputs" / "leningrad-2020" / "calendar.ics"))
    assert not [uid for uid in events if uid.endswith(".due@prikaz")]
    period = events["leningrad-2020.specification.virtual-reception.2020-03@prikaz"]   # March 2020
    assert [(alarm["TRIGGER"].dt, alarm["TRIGGER"].params.get("RELATED")) for alarm in period.walk("VALARM")] == [
        (-dt.timedelta(days=14, hours=15), "END"), (-dt.timedelta(days=1, hours=15), "END")]
    # DTEND 01.04 00:00 − 14 days 15 hours = 17.03 09:00: 14 days before the due date 31.03
    assert (dt.datetime.combine(period["DTEND"].dt, dt.time()) - dt.timedelta(days=14, hours=15)
            == dt.datetime(2020, 3, 17, 9))
    one_day = events["leningrad-2020.decree.application.1@prikaz"]
    assert [alarm["TRIGGER"].dt for alarm in one_day.walk("VALARM")] == [
        -dt.timedelta(days=13, hours=15), -dt.timedelta(hours=15)]


def test_a_wrong_reminder_is_an_error_at_its_line(tmp_path):
    specs = copy_specs(tmp_path, "leningrad-2020")
    edit_yaml(specs / "leningrad-2020" / "programme.yaml", lambda data: data["programme"].update(reminders=["7 дней"]))
    report = build_specs(specs, tmp_path / "outputs")
    [problem] = [d for d in report.all_diagnostics if d.code == "C101"]
    assert problem.span.file.name == "programme.yaml" and "«7 дней»" in problem.message
    assert not (tmp_path / "outputs" / "leningrad-2020").exists()


def test_a_deadline_clause_without_id_is_published_and_the_report_asks_for_an_id(tmp_path):
    specs = copy_specs(tmp_path, "leningrad-2020")

    def forget_id(data):
        [application] = [sub for clause in data["decree"]["clauses"] for sub in clause.get("clauses", [])
                         if sub.get("id") == "application"]
        del application["id"]

    edit_yaml(specs / "leningrad-2020" / "decree.yaml", forget_id)
    build_specs(specs, tmp_path / "outputs")
    events = vevents(feed(tmp_path / "outputs" / "leningrad-2020" / "calendar.ics"))
    assert days(events["leningrad-2020.decree._5-1.1@prikaz"]) == (dt.date(2020, 2, 10), dt.date(2020, 2, 11))
    report = (tmp_path / "outputs" / "leningrad-2020" / "build-report.txt").read_text(encoding="utf-8")
    assert "пункт 5.1 со сроком не имеет id" in report


# --- RFC 5545: every TEXT value escaped ------------------------------------------------------


HOSTILE = "Липецк\rEND:VCALENDAR\rBEGIN:VEVENT\rUID:evil@attacker\rATTACH:http://attacker/x\r, ; \\ \x01\x1b[2J"


def test_control_characters_never_reach_the_bytes_of_a_feed():
    """A lone CR (or any control character) in a text the feeds show cannot open a line of its own: every TEXT
    value — NAME, X-WR-CALNAME, X-WR-CALDESC, SUMMARY, DESCRIPTION, CATEGORIES — is escaped, whatever the
    loader lets through."""
    from engine.render import BuildOptions
    from engine.render.ics import render_programme_calendars

    [checked] = check_tree(REPO / "specs" / "lipetsk-2022").programmes   # a model of its own: this test changes it
    model = checked.model
    info = model.programme.programme
    info.title, info.region = HOSTILE, HOSTILE
    model.programme.organisations["iro"].short = HOSTILE
    activity = model.programme.roadmap.all_activities()[0]
    activity.title = HOSTILE
    activity.details = [HOSTILE]
    files = render_programme_calendars(model, BuildOptions(BUILD_TIME, REPO / "templates"))
    for name, data in files.items():
        assert re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", data.replace(b"\r\n", b"")) is None, name
        lines = data.split(b"\r\n")
        assert not [line for line in lines if line.startswith((b"UID:evil", b"ATTACH"))], name
        assert lines.count(b"BEGIN:VCALENDAR") == 1 and lines.count(b"END:VCALENDAR") == 1
        calendar = icalendar.Calendar.from_ical(data)
        assert len(calendar.walk("VEVENT")) == lines.count(b"BEGIN:VEVENT")
    calendar = icalendar.Calendar.from_ical(files["calendars/iro.ics"])
    assert unescaped(calendar["X-WR-CALNAME"]).startswith(
        "Липецк END:VCALENDAR BEGIN:VEVENT UID:evil@attacker ATTACH:http://attacker/x , ; \\ [2J — ")
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert any(summary.startswith("Период: Липецк END:VCALENDAR") for summary in summaries)


# --- every event leads back to its source --------------------------------------------------------


def test_events_name_programme_region_authority_and_who_answers(built):
    events = vevents(feed(built / "leningrad-2020" / "calendar.ics"))
    application = events["leningrad-2020.decree.application.1@prikaz"]     # пункт 5.1, ЛОИРО (О.В. Ковальчук)
    description = str(application["DESCRIPTION"])
    assert "Программа: Повышение качества образования в школах с низким результатом обучения — Ленинградская " \
           "область, 2020 (Ленинградская область)" in description
    assert "Срок установил: Комитет общего и профессионального образования Ленинградской области" in description
    assert str(application["CONTACT"]) == "ГАОУ ДПО «ЛОИРО»"
    assert "URL" not in application and "ORGANIZER" not in application   # no site address, no e-mail in the glossary


def test_with_the_sites_address_an_event_links_to_its_place_and_an_e_mail_makes_an_organizer(tmp_path):
    specs = copy_specs(tmp_path, "leningrad-2020")
    edit_yaml(specs / "leningrad-2020" / "organisations.yaml", lambda data: data["organisations"]["komitet"].update(
        email="komitet@example.org"))
    edit_yaml(specs / "leningrad-2020" / "organisations.yaml", lambda data: data["organisations"]["loiro"].update(
        phone="+7 812 000-00-00"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(BUILD_EPOCH))
        report = build(specs, tmp_path / "outputs", site_url=f"file://{tmp_path}/site/")
    assert not report.failed, report.all_diagnostics
    events = vevents(feed(tmp_path / "outputs" / "leningrad-2020" / "calendar.ics"))
    application = events["leningrad-2020.decree.application.1@prikaz"]
    assert str(application["URL"]) == f"file://{tmp_path}/site/leningrad-2020/index.html#clause-application"
    assert str(application["ORGANIZER"]) == "mailto:komitet@example.org"
    assert application["ORGANIZER"].params["CN"] == "Комитет общего и профессионального образования Ленинградской области"
    assert str(application["CONTACT"]) == "ГАОУ ДПО «ЛОИРО», +7 812 000-00-00"     # who answers, and how to reach them
