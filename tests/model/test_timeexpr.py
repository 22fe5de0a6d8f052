"""The time language against every deadline form in the three source documents, plus properties."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.diagnostics import DiagnosticError
from engine.model.timeexpr import Due, Period, Recurrence, Window, parse_period, parse_time

LIPETSK = parse_period("2022")
LENINGRAD = parse_period("2020")
LYSVA = parse_period("2021-2024 гг")

MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь",
          "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"]


def w(start: str, end: str | None = None) -> Window:
    return Window(dt.date.fromisoformat(start), dt.date.fromisoformat(end or start))


def months(year: int, first: int, last: int | None = None) -> Window:
    last = last or first
    return Window(dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1]))


def lysva_every_year(first: int, last: int | None = None) -> list[Window]:
    return [months(year, first, last) for year in (2021, 2022, 2023, 2024)]


def whole_years(*years: int) -> list[Window]:
    return [months(year, 1, 12) for year in years]


# Every deadline written in shared/sources/*.txt, with the programme period it lives in and what it means.
SOURCE_FORMS = [
    # lipetsk-2022.txt, appendix 1 (plan-schedule)
    ("Февраль-март", LIPETSK, "months", [months(2022, 2, 3)]),
    ("Март", LIPETSK, "months", [months(2022, 3)]),
    ("Март-декабрь 2022", LIPETSK, "months", [months(2022, 3, 12)]),
    ("Март-\nдекабрь 2022", LIPETSK, "months", [months(2022, 3, 12)]),
    ("Март- декабрь 2022", LIPETSK, "months", [months(2022, 3, 12)]),
    ("01.06.2022 – 27.06.2022 15.11.2022 –\n30.11.2022", LIPETSK, "windows",
     [w("2022-06-01", "2022-06-27"), w("2022-11-15", "2022-11-30")]),
    ("28.06.2022 – 30.06.2022 01.12.2022 – 03.12.2022", LIPETSK, "windows",
     [w("2022-06-28", "2022-06-30"), w("2022-12-01", "2022-12-03")]),
    ("Май-декабрь 2022", LIPETSK, "months", [months(2022, 5, 12)]),
    ("Февраль 2022", LIPETSK, "months", [months(2022, 2)]),
    ("Апрель-ноябрь 2022", LIPETSK, "months", [months(2022, 4, 11)]),
    # item 13 as corrected in the spec (the source has «В соответствии и …», see test_lipetsk_item_13_typo)
    ("В соответствии с календарными планами ОО", LIPETSK, "undated", []),
    # leningrad-2020.txt: clauses, technical specification
    ("в срок до 10 февраля 2020 года", LENINGRAD, "deadline", [w("2020-02-10")]),
    ("в срок до 20 декабря 2020 года", LENINGRAD, "deadline", [w("2020-12-20")]),
    ("февраль - май 2020 года", LENINGRAD, "months", [months(2020, 2, 5)]),
    ("февраль - апрель 2020 года", LENINGRAD, "months", [months(2020, 2, 4)]),
    ("март – 2020", LENINGRAD, "months", [months(2020, 3)]),
    ("октябрь 2020 года", LENINGRAD, "months", [months(2020, 10)]),
    ("июнь 2020 года", LENINGRAD, "months", [months(2020, 6)]),
    ("апрель 2020 года", LENINGRAD, "months", [months(2020, 4)]),
    ("май, июнь 2020 года", LENINGRAD, "month_list", [months(2020, 5), months(2020, 6)]),
    ("март, сентябрь 2020 года", LENINGRAD, "month_list", [months(2020, 3), months(2020, 9)]),
    ("апрель, май, сентябрь, октябрь, ноябрь 2020 года", LENINGRAD, "month_list",
     [months(2020, m) for m in (4, 5, 9, 10, 11)]),
    ("по графику в течение года", LENINGRAD, "undated", []),
    ("по запросу", LENINGRAD, "undated", []),
    ("ежемесячно", LENINGRAD, "monthly", [months(2020, m) for m in range(1, 13)]),
    ("ноябрь", LENINGRAD, "months", [months(2020, 11)]),
    ("май, октябрь 2020 года", LENINGRAD, "month_list", [months(2020, 5), months(2020, 10)]),
    ("ноябрь 2020 года", LENINGRAD, "months", [months(2020, 11)]),
    ("февраль - декабрь 2020 года", LENINGRAD, "months", [months(2020, 2, 12)]),
    ("25 декабря 2019 года", LENINGRAD, "day", [w("2019-12-25")]),
    ("14 ноября 2013 г.", LENINGRAD, "day", [w("2013-11-14")]),
    # lysva-2021.txt: the roadmap for 2021–2024
    ("28.10.2021", LYSVA, "day", [w("2021-10-28")]),
    ("Август, 2021", LYSVA, "months", [months(2021, 8)]),
    ("Сентябрь-октябрь, 2021", LYSVA, "months", [months(2021, 9, 10)]),
    ("Сентябрь-октябрь", LYSVA, "months", lysva_every_year(9, 10)),
    ("2021 год", LYSVA, "whole_year", whole_years(2021)),
    ("Июнь-июль", LYSVA, "months", lysva_every_year(6, 7)),
    ("Ноябрь, январь, март, июнь", LYSVA, "month_list",
     sorted(window for m in (11, 1, 3, 6) for window in lysva_every_year(m))),
    ("Август-сентябрь", LYSVA, "months", lysva_every_year(8, 9)),
    ("По итогам выявления", LYSVA, "undated", []),
    ("Декабрь", LYSVA, "months", lysva_every_year(12)),
    ("Август", LYSVA, "months", lysva_every_year(8)),
    ("По плану", LYSVA, "undated", []),
    ("В течение года", LYSVA, "whole_year", whole_years(2021, 2022, 2023, 2024)),
    ("В соответствии с графиками проведения", LYSVA, "undated", []),
    ("Февраль -март", LYSVA, "months", lysva_every_year(2, 3)),
    ("Ежегодно", LYSVA, "yearly", whole_years(2021, 2022, 2023, 2024)),
]


# Forms of school and regional plans held out of the repository (the new-user trial of issue 11): years as a range,
# month ranges of several years listed with «;».
SCHOOL_PLAN = parse_period("2024–2028")
PLAN_FORMS = [
    ("2024–2025", SCHOOL_PLAN, "months", [Window(dt.date(2024, 1, 1), dt.date(2025, 12, 31))]),
    ("2024-2026 годы", SCHOOL_PLAN, "months", [Window(dt.date(2024, 1, 1), dt.date(2026, 12, 31))]),
    ("2025 – 2026 гг.", SCHOOL_PLAN, "months", [Window(dt.date(2025, 1, 1), dt.date(2026, 12, 31))]),
    ("сентябрь – ноябрь 2024 года; сентябрь – ноябрь 2025 года", SCHOOL_PLAN, "month_list",
     [months(2024, 9, 11), months(2025, 9, 11)]),
    ("ежегодно, до 1 сентября", SCHOOL_PLAN, "yearly", [w(f"{year}-09-01") for year in range(2024, 2029)]),
]


@pytest.mark.parametrize(("text", "period", "kind", "windows"), SOURCE_FORMS + PLAN_FORMS,
                         ids=[form[0] for form in SOURCE_FORMS + PLAN_FORMS])
def test_source_form(text, period, kind, windows):
    expr = parse_time(text)
    assert expr.kind == kind
    assert expr.windows(period) == windows
    assert expr.dated == bool(windows)
    # printed as written: no «ежегодно, », no year added, no case changed — line breaks only become spaces
    assert expr.wording == " ".join(text.split())


def test_lipetsk_item_8_is_two_windows_as_laid_out_in_the_source():
    expr = parse_time("01.06.2022 – 27.06.2022 15.11.2022 – 30.11.2022")
    assert expr.windows(LIPETSK) == [w("2022-06-01", "2022-06-27"), w("2022-11-15", "2022-11-30")]
    assert expr.first_day(LIPETSK) == dt.date(2022, 6, 1)
    assert expr.last_day(LIPETSK) == dt.date(2022, 11, 30)
    assert expr.recurrence(LIPETSK) is None


def test_lipetsk_item_13_typo_is_an_error_not_an_undated_deadline():
    text = "В соответствии и календарными планами ОО"
    with pytest.raises(DiagnosticError) as caught:
        parse_time(text)
    assert caught.value.code == "P101"
    assert text[caught.value.offset:caught.value.offset + caught.value.length] == "и"


def test_lysva_june_july_repeats_every_year_of_the_plan():
    expr = parse_time("Июнь-июль")
    assert len(expr.windows(LYSVA)) == 4
    rule = expr.recurrence(LYSVA)
    assert rule == Recurrence(months(2021, 6, 7), "YEARLY", dt.date(2024, 6, 1))
    assert rule.starts() == [window.start for window in expr.windows(LYSVA)]


def test_lysva_school_year_months_are_each_listed_month_every_year():
    expr = parse_time("Ноябрь, январь, март, июнь")
    windows = expr.windows(LYSVA)
    assert len(windows) == 16
    assert {window.start.month for window in windows} == {1, 3, 6, 11}
    rule = expr.recurrence(LYSVA)
    assert (rule.freq, rule.by_month, rule.first, rule.until) == ("YEARLY", (1, 3, 6, 11), months(2021, 1),
                                                                   dt.date(2024, 11, 1))
    assert rule.starts() == [window.start for window in windows]
    assert expr.wording == "Ноябрь, январь, март, июнь"
    # in a one-year programme the same list is four months of that year, not a repeating rule
    assert expr.windows(LIPETSK) == [months(2022, m) for m in (1, 3, 6, 11)]
    assert expr.recurrence(LIPETSK) is None


def test_leningrad_monthly_is_every_whole_month_of_2020():
    expr = parse_time("ежемесячно")
    windows = expr.windows(LENINGRAD)
    assert len(windows) == 12
    for number, window in enumerate(windows, start=1):
        assert window.start == dt.date(2020, number, 1)
        assert window.end == dt.date(2020, number, calendar.monthrange(2020, number)[1])
    rule = expr.recurrence(LENINGRAD)
    assert (rule.freq, rule.until, rule.by_month, rule.interval) == ("MONTHLY", dt.date(2020, 12, 1), (), 1)


def test_monthly_within_named_months():
    expr = parse_time("ежемесячно, март–декабрь 2022")
    assert expr.kind == "monthly"
    assert expr.windows(LIPETSK) == [months(2022, m) for m in range(3, 13)]
    every_spring = parse_time("ежемесячно, март – май")
    assert len(every_spring.windows(LYSVA)) == 12
    assert every_spring.recurrence(LYSVA).by_month == (3, 4, 5)


def test_quarterly_is_every_quarter_of_the_period():
    expr = parse_time("ежеквартально")
    assert expr.windows(LENINGRAD) == [months(2020, 1, 3), months(2020, 4, 6), months(2020, 7, 9),
                                       months(2020, 10, 12)]
    assert expr.recurrence(LENINGRAD).interval == 3


def test_deadline_is_the_single_named_day():
    for text in ("до 10 февраля 2020 года", "в срок до 10.02.2020", "не позднее 2020-02-10"):
        expr = parse_time(text)
        assert expr.kind == "deadline"
        assert expr.windows(LENINGRAD) == [w("2020-02-10")]
        assert expr.wording == text


def test_year_less_kinds_take_the_year_of_a_one_year_programme():
    assert parse_time("Ежегодно").windows(LIPETSK) == whole_years(2022)
    assert parse_time("В течение года").windows(LIPETSK) == whole_years(2022)
    assert parse_time("Июнь-июль").recurrence(LIPETSK) is None
    assert parse_time("2021").windows(LYSVA) == whole_years(2021)


def test_range_over_a_year_end():
    wrapped = parse_time("ноябрь – январь")
    assert wrapped.windows(LIPETSK) == [Window(dt.date(2022, 11, 1), dt.date(2023, 1, 31))]
    assert len(wrapped.windows(LYSVA)) == 4
    both_years = parse_time("ноябрь 2021 – январь 2022 года")
    assert both_years.windows(LYSVA) == [Window(dt.date(2021, 11, 1), dt.date(2022, 1, 31))]


def test_a_year_belongs_to_the_months_written_before_it():
    expr = parse_time("май, июнь 2020 года, январь 2021 г.")
    assert expr.windows(LENINGRAD) == [months(2020, 5), months(2020, 6), months(2021, 1)]


@pytest.mark.parametrize("variants", [
    ["Февраль-март", "февраль – март", "ФЕВРАЛЬ—МАРТ", "Февраль -март", "февраль - март", "ежегодно, февраль – март"],
    ["март 2020", "март 2020 года", "март 2020 г.", "Март, 2020", "март – 2020", "март 2020 год"],
    ["16.03.2021", "2021-03-16", "16 марта 2021 года", "16 марта 2021 г.", "16 марта 2021"],
    ["01.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022", "01.06.2022-27.06.2022 15.11.2022-30.11.2022",
     "01.06.2022 — 27.06.2022,\n15.11.2022 — 30.11.2022"],
    ["В течение года", "в течении года", "в течение года (ежегодно)"],
    ["2021 год", "2021", "в течение 2021 года", "2021 г."],
    ["Ноябрь, январь, март, июнь", "ноябрь, январь, март, июнь (ежегодно)", "ежегодно, ноябрь, январь, март, июнь"],
])
def test_spellings_of_the_same_deadline_are_equal(variants):
    parsed = [parse_time(text) for text in variants]
    assert all(expr == parsed[0] for expr in parsed)
    assert len({hash(expr) for expr in parsed}) == 1
    assert [expr.text for expr in parsed] == variants


def test_undated_keeps_the_text_and_has_no_calendar():
    expr = parse_time("  по   отдельному\nграфику ")
    assert (expr.kind, expr.dated) == ("undated", False)
    assert expr.windows(LYSVA) == []
    assert expr.first_day(LYSVA) is None and expr.last_day(LYSVA) is None
    assert expr.recurrence(LYSVA) is None
    assert expr.wording == "по отдельному графику"
    assert parse_time("по мере необходимости").kind == "undated"
    assert parse_time("По итогам выявления") != parse_time("По плану")


def test_to_json():
    assert parse_time("Июнь-июль").to_json(LYSVA) == {
        "text": "Июнь-июль",
        "kind": "months",
        "rendered": "Июнь-июль",
        "windows": [{"start": f"{year}-06-01", "end": f"{year}-07-31"} for year in (2021, 2022, 2023, 2024)],
        "recurrence": {"first": {"start": "2021-06-01", "end": "2021-07-31"}, "freq": "YEARLY",
                       "until": "2024-06-01", "by_month": [], "interval": 1, "by_weekday": []},
    }
    assert parse_time("по запросу").to_json(LIPETSK)["windows"] == []


@pytest.mark.parametrize(("text", "start", "end", "multi_year"), [
    ("2022", "2022-01-01", "2022-12-31", False),
    ("2021–2024", "2021-01-01", "2024-12-31", True),
    ("2021-2024 гг", "2021-01-01", "2024-12-31", True),
    ("2021 - 2024 гг.", "2021-01-01", "2024-12-31", True),
    ("2022 год", "2022-01-01", "2022-12-31", False),
    ("01.02.2020 – 31.12.2020", "2020-02-01", "2020-12-31", False),
    ("2020-02-01/2020-12-31", "2020-02-01", "2020-12-31", False),
])
def test_parse_period(text, start, end, multi_year):
    period = parse_period(text)
    assert period == Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert period.multi_year is multi_year
    assert period.years == list(range(period.start.year, period.end.year + 1))


def test_yaml_scalars_are_read_as_text():
    assert parse_period(2022) == LIPETSK
    assert parse_time(2021).windows(LYSVA) == whole_years(2021)
    assert parse_time(dt.date(2020, 2, 3)).windows(LENINGRAD) == [w("2020-02-03")]


@pytest.mark.parametrize(("text", "code", "bad_part", "message"), [
    ("31.02.2021", "P101", "31.02.2021", "31 февраля 2021 года не существует"),
    ("29.02.2021", "P101", "29.02.2021", "29 февраля 2021 года не существует"),
    ("00.00.2020", "P101", "00.00.2020", "месяца 00 не существует"),
    ("31 апреля 2020 года", "P101", "31 апреля 2020 года", "31 апреля 2020 года не существует"),
    ("15.03.2021 – 09.03.2021", "P102", "09.03.2021", "окончание периода 09.03.2021 раньше начала 15.03.2021"),
    ("ноябрь – январь 2022", "P102", "январь", "окончание периода"),
    ("2025–2024", "P102", "2024", "окончание периода 2024 раньше начала 2025"),
    ("2024–", "P101", "–", "лишний текст"),
    ("послезавтра", "P101", "послезавтра", "не распознан срок «послезавтра»"),
    ("13-й месяц", "P101", "13", "не распознан срок"),
    ("март 2020 послезавтра", "P101", "послезавтра", "лишний текст"),
    ("до", "P101", "до", "не указана дата"),
    ("до послезавтра", "P101", "послезавтра", "не распознан срок"),
    ("3 февраля", "P101", "3 февраля", "не указан год"),
    ("май 2020, июнь", "P101", "июнь", "не указан год"),
    ("ежегодно, июнь 2022", "P101", "ежегодно, июнь 2022", "ежегодно"),
    ("по 10.03.2021", "P101", "10.03.2021", ""),
    ("16.03.21", "P101", "16", "не распознан срок"),
    ("01.06.2022 – 27.06.2022 15.11.2022 –", "P101", "–", "не распознан срок"),
    ("март 3020", "P101", "3020", "год 3020"),
    ("   ", "P101", "", "срок не указан"),
])
def test_errors_point_inside_the_text(text, code, bad_part, message):
    with pytest.raises(DiagnosticError) as caught:
        parse_time(text)
    error = caught.value
    assert error.code == code
    assert message in error.message
    assert error.hint
    assert text[error.offset:error.offset + error.length] == bad_part


@pytest.mark.parametrize(("text", "code"), [
    ("2024–2021", "P102"), ("31.12.2020 – 01.02.2020", "P102"), ("в течение года", "P101"),
    ("2021 год 2022", "P101"), ("", "P101"), ("01.02.2020", "P101"),
])
def test_period_errors(text, code):
    with pytest.raises(DiagnosticError) as caught:
        parse_period(text)
    assert caught.value.code == code


def test_non_text_is_rejected_with_a_diagnostic():
    for value in (None, 3.5, True, ["март"]):
        with pytest.raises(DiagnosticError):
            parse_time(value)


# --- properties ----------------------------------------------------------------------------

DEADLINE_TOKENS = [
    "март", "Февраль", "мая", "до", "в", "срок", "течение", "года", "год", "г.", "ежегодно", "ежемесячно",
    "ежеквартально", "еженедельно", "раз", "раза", "полугодие", "неделю", "квартал", "каждую", "пятницу", "пятницам",
    "числа", "месяца", "следующего", "за", "отчётным", "кварталом", "каждого",
    "по", "соответствии", "с", "не", "позднее", "2020", "2021", "16.03.2021", "31.02.2021",
    "2020-02-03", "3", "-", "–", "—", ",", ";", "(", ")", ".", "/", "\n", "0000", "99",
]


def assert_only_diagnostics(parse, text):
    try:
        parse(text)
    except DiagnosticError as error:
        assert error.code in ("P101", "P102")
        assert 0 <= error.offset <= len(text)
        assert 0 <= error.length <= len(text) - error.offset


@settings(max_examples=400)
@given(st.text())
def test_any_text_raises_nothing_but_diagnostics(text):
    assert_only_diagnostics(parse_time, text)
    assert_only_diagnostics(parse_period, text)


@settings(max_examples=400)
@given(st.lists(st.sampled_from(DEADLINE_TOKENS), max_size=8).map(" ".join))
def test_near_miss_text_raises_nothing_but_diagnostics(text):
    assert_only_diagnostics(parse_time, text)
    assert_only_diagnostics(parse_period, text)


DASHES = st.sampled_from(["-", " - ", "–", " – ", " —", "— "])
YEAR_SUFFIXES = st.sampled_from(["", " года", " г.", " год"])
dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))
month_numbers = st.integers(1, 12)
years = st.integers(2015, 2030)


def cased(text: str, capitalise: bool) -> str:
    return text.capitalize() if capitalise else text


GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
            "сентября", "октября", "ноября", "декабря"]


@st.composite
def spelled(draw, day: dt.date) -> str:
    return draw(st.sampled_from([
        f"{day:%d.%m.%Y}",
        day.isoformat(),
        f"{day.day} {GENITIVE[day.month - 1]} {day.year}{draw(YEAR_SUFFIXES)}",
    ]))


@st.composite
def window_texts(draw) -> str:
    start, end = sorted(draw(st.lists(dates, min_size=2, max_size=2)))
    if draw(st.booleans()):
        return draw(spelled(start))
    return f"{draw(spelled(start))}{draw(DASHES)}{draw(spelled(end))}"


@st.composite
def windows_texts(draw) -> str:
    parts = draw(st.lists(window_texts(), min_size=1, max_size=3))
    separator = draw(st.sampled_from(["; ", ", ", " ", "\n"]))
    return separator.join(parts)


@st.composite
def relative_month_texts(draw) -> str:
    spans = []
    for _ in range(draw(st.integers(1, 4))):
        first = cased(MONTHS[draw(month_numbers) - 1], draw(st.booleans()))
        last = MONTHS[draw(month_numbers) - 1]
        spans.append(draw(st.sampled_from([first, f"{first}{draw(DASHES)}{last}"])))
    return ", ".join(spans)


@st.composite
def absolute_month_texts(draw) -> str:
    spans = []
    for _ in range(draw(st.integers(1, 3))):
        year, first, last = draw(years), draw(month_numbers), draw(month_numbers)
        if first <= last:
            spans.append(f"{MONTHS[first - 1]}{draw(DASHES)}{MONTHS[last - 1]} {year}{draw(YEAR_SUFFIXES)}")
        else:  # over a year end: both years written
            spans.append(f"{MONTHS[first - 1]} {year}{draw(DASHES)}{MONTHS[last - 1]} {year + 1}{draw(YEAR_SUFFIXES)}")
    return ", ".join(spans)


@st.composite
def same_year_list_texts(draw) -> str:
    names = [MONTHS[m - 1] for m in draw(st.lists(month_numbers, min_size=1, max_size=5))]
    return f"{', '.join(names)}{draw(st.sampled_from([' ', ', ']))}{draw(years)}{draw(YEAR_SUFFIXES)}"


@st.composite
def other_texts(draw) -> str:
    return draw(st.sampled_from([
        f"до {draw(spelled(draw(dates)))}",
        f"в срок до {draw(spelled(draw(dates)))}",
        "ежемесячно", "Ежеквартально", "Ежегодно", "В течение года", "еженедельно", "раз в полугодие",
        "по пятницам", "каждую среду и пятницу", "еженедельно по понедельникам", "2 раза в год",
        f"ежемесячно до {draw(st.integers(1, 31))} числа",
        f"ежеквартально до {draw(st.integers(1, 31))} числа месяца, следующего за отчётным кварталом",
        f"до {draw(st.integers(1, 28))} числа месяца, следующего за отчётным полугодием",
        f"ежегодно до {draw(st.integers(1, 28))} {GENITIVE[draw(month_numbers) - 1]}",
        f"по вторникам, {draw(relative_month_texts())}",
        f"ежемесячно, {draw(st.one_of(relative_month_texts(), absolute_month_texts()))}",
        f"ежегодно, {draw(relative_month_texts())}",
        f"{draw(years)}{draw(YEAR_SUFFIXES)}",
        f"в течение {draw(years)} года",
    ]))


valid_texts = st.one_of(windows_texts(), relative_month_texts(), absolute_month_texts(), same_year_list_texts(),
                        other_texts())


@st.composite
def periods(draw) -> Period:
    first = draw(years)
    last = first + draw(st.sampled_from([0, 0, 1, 3]))
    return Period(dt.date(first, 1, 1), dt.date(last, 12, 31))


@settings(max_examples=500)
@given(valid_texts, periods())
def test_wording_is_the_text_and_a_recurrence_reproduces_the_windows(text, period):
    expr = parse_time(text)
    assert expr.wording == " ".join(text.split())
    assert parse_time(expr.wording) == expr          # the printed wording means what the spec means
    windows = expr.windows(period)
    assert windows == sorted(set(windows))
    rule = expr.recurrence(period)
    if rule is not None:
        assert rule.starts() == [window.start for window in windows]
    for planned in expr.planned_windows(period):       # a report is due within or after the unit it is about
        assert any(planned.start <= window.end for window in windows)


def test_parsed_deadlines_and_their_windows_are_shared_but_never_changed_by_a_caller():
    """parse_time and windows are cached: the same text gives the same expression, a caller's list is its own."""
    first, again = parse_time("Июнь-июль"), parse_time("Июнь-июль")
    assert first is again
    windows = first.windows(LIPETSK)
    windows.clear()
    assert first.windows(LIPETSK) == again.windows(LIPETSK) != []
    # equal meaning, other wording: windows are shared, the text is each one's own
    assert parse_time("июнь - июль").text == "июнь - июль"
    assert parse_time("июнь - июль").windows(LIPETSK) == first.windows(LIPETSK)
    for _ in range(2):  # an error is raised every time, with its position
        with pytest.raises(DiagnosticError) as caught:
            parse_time("Июнь-июлб")
        assert caught.value.code == "P101"
    with pytest.raises(DiagnosticError):  # not text: still a diagnostic, not a TypeError of the cache
        parse_time(["Июнь"])


# --- weekly, quarterly, half-yearly and due days (issue 11, item 7) --------------------------------------


def fridays(first: dt.date, last: dt.date) -> list[Window]:
    day = first + dt.timedelta(days=(4 - first.weekday()) % 7)
    found = []
    while day <= last:
        found.append(Window(day, day))
        day += dt.timedelta(days=7)
    return found


@pytest.mark.parametrize("variants", [
    ["еженедельно", "Еженедельно", "каждую неделю", "раз в неделю", "1 раз в неделю", "один раз в неделю"],
    ["по пятницам", "По пятницам", "каждую пятницу", "еженедельно по пятницам", "Еженедельно, по пятницам"],
    ["по понедельникам и средам", "по средам, понедельникам", "каждый понедельник и каждую среду",
     "каждую среду и понедельник"],
    ["ежемесячно", "каждый месяц", "раз в месяц", "1 раз в месяц"],
    ["ежеквартально", "Ежеквартально", "поквартально", "каждый квартал", "раз в квартал", "1 раз в квартал"],
    ["раз в полугодие", "1 раз в полугодие", "один раз в полугодие", "раз в полгода", "ежеполугодно",
     "каждое полугодие", "2 раза в год", "два раза в год", "дважды в год"],
    ["ежегодно", "каждый год", "раз в год"],
    ["ежеквартально до 5 числа месяца, следующего за отчётным кварталом",
     "ежеквартально, не позднее 5 числа месяца, следующего за отчетным кварталом",
     "ежеквартально в срок до 5 числа месяца, следующего за отчётным",
     "до 5 числа месяца, следующего за отчётным кварталом",
     "не позднее 5 числа месяца, следующего за отчётным кварталом"],
    ["ежемесячно до 10 числа", "до 10 числа каждого месяца", "ежемесячно, не позднее 10 числа"],
])
def test_spellings_of_the_same_recurrence_are_equal(variants):
    parsed = [parse_time(text) for text in variants]
    assert all(expr == parsed[0] for expr in parsed), [expr.kind for expr in parsed]
    assert [expr.wording for expr in parsed] == variants


def test_weekly_is_every_week_from_monday_cut_to_the_period():
    windows = parse_time("еженедельно").windows(parse_period("2021"))  # 2021 starts on a Friday
    assert windows[0] == w("2021-01-01", "2021-01-03")
    assert windows[1] == w("2021-01-04", "2021-01-10")
    assert windows[-1] == w("2021-12-27", "2021-12-31")
    assert len(windows) == 53
    assert all(window.start.weekday() == 0 for window in windows[1:])
    assert all((window.end - window.start).days == 6 for window in windows[1:-1])
    assert parse_time("еженедельно").recurrence(parse_period("2021")) is None    # the first week is cut
    assert parse_time("еженедельно").recurrence(parse_period("01.01.2024 – 29.12.2024")).freq == "WEEKLY"


def test_fridays_are_every_friday_of_the_period():
    expr = parse_time("по пятницам")
    assert expr.kind == "weekdays"
    assert expr.windows(LYSVA) == fridays(dt.date(2021, 1, 1), dt.date(2024, 12, 31))
    assert len(expr.windows(LYSVA)) == 209
    rule = expr.recurrence(LYSVA)
    assert (rule.freq, rule.by_weekday, rule.first, rule.until) == ("WEEKLY", (4,), w("2021-01-01"), dt.date(2024, 12, 27))
    assert rule.to_json()["by_weekday"] == [4]
    spring = parse_time("по пятницам, март – май")
    assert spring.windows(LIPETSK) == fridays(dt.date(2022, 3, 1), dt.date(2022, 5, 31))
    assert spring.windows(LYSVA) == [day for year in range(2021, 2025)
                                     for day in fridays(dt.date(year, 3, 1), dt.date(year, 5, 31))]


def test_two_days_a_week():
    windows = parse_time("по вторникам и четвергам").windows(LIPETSK)
    assert len(windows) == 104
    assert {window.start.weekday() for window in windows} == {1, 3}


def test_half_years_and_quarters_of_a_multi_year_plan():
    half_years = parse_time("раз в полугодие").windows(LYSVA)
    assert half_years == sorted([months(year, 1, 6) for year in range(2021, 2025)]
                                + [months(year, 7, 12) for year in range(2021, 2025)])
    assert parse_time("раз в полугодие").recurrence(LYSVA).interval == 6
    assert len(parse_time("ежеквартально").windows(LYSVA)) == 16


def test_quarterly_report_is_due_after_each_quarter_of_the_period():
    expr = parse_time("ежеквартально до 5 числа месяца, следующего за отчётным кварталом")
    assert (expr.kind, expr.due) == ("quarterly", Due(5, 3))
    due = [window.start for window in expr.windows(LYSVA)]
    assert due == sorted([dt.date(year, month, 5) for year in range(2021, 2025) for month in (4, 7, 10)]
                         + [dt.date(year + 1, 1, 5) for year in range(2021, 2025)])
    assert len(due) == 16 and due[-1] == dt.date(2025, 1, 5)       # the report on the last quarter: after the period
    # what the reports are about: the 16 quarters of the period, all inside it
    assert expr.planned_windows(LYSVA) == parse_time("ежеквартально").windows(LYSVA)
    assert expr.recurrence(LYSVA).interval == 3
    assert expr.wording == "ежеквартально до 5 числа месяца, следующего за отчётным кварталом"


def test_monthly_due_day_a_month_does_not_have_is_its_last_day():
    windows = parse_time("ежемесячно до 30 числа").windows(parse_period("2024"))
    assert windows[1] == w("2024-02-29")
    assert [window.start.day for window in windows] == [30, 29] + [30] * 10
    assert parse_time("ежемесячно до 30 числа").recurrence(parse_period("2024")) is None
    assert parse_time("ежемесячно до 10 числа").recurrence(parse_period("2024")).until == dt.date(2024, 12, 10)


def test_yearly_due_day():
    expr = parse_time("ежегодно до 1 декабря")
    assert expr.windows(LYSVA) == [w(f"{year}-12-01") for year in range(2021, 2025)]
    assert expr.planned_windows(LYSVA) == whole_years(2021, 2022, 2023, 2024)
    assert parse_time("ежегодно до 15 числа месяца, следующего за отчётным годом").windows(LIPETSK) == [w("2023-01-15")]


def test_a_recurrence_framed_by_a_term_falls_in_that_term():
    """An item of a technical specification: «ежемесячно» is every month of its service period, as written."""
    service = parse_time("февраль - декабрь 2020 года")
    expr = parse_time("ежемесячно").framed(service)
    assert expr.windows(LENINGRAD) == [months(2020, m) for m in range(2, 13)]
    assert expr.wording == "ежемесячно"
    assert expr != parse_time("ежемесячно")              # the frame is part of the meaning
    assert parse_time("март 2020 года").framed(service).windows(LENINGRAD) == [months(2020, 3)]
    assert parse_time("по пятницам").framed(parse_time("март 2020 года")).windows(LENINGRAD) == fridays(
        dt.date(2020, 3, 1), dt.date(2020, 3, 31))
    undated = parse_time("ежемесячно").framed(parse_time("по запросу"))   # an undated term frames nothing
    assert undated.windows(LENINGRAD) == parse_time("ежемесячно").windows(LENINGRAD)


@pytest.mark.parametrize(("text", "bad_part", "message"), [
    ("ежеквартально до 5 числа", "", "не сказано, какого месяца"),
    ("раз в полугодие до 10 числа", "", "не сказано, какого месяца"),
    ("ежемесячно до 32 числа", "32", "числа 32 нет"),
    ("ежемесячно до 0 числа", "0", "числа 0 нет"),
    ("ежегодно до 30 февраля", "30", "числа 30 нет в месяце «февраль»"),
    ("ежеквартально до 5 числа месяца, следующего за отчётным месяцем", "месяцем", "не совпадает"),
    ("еженедельно до 5 числа", "до", "нет числа месяца"),
    ("до 5 числа", "числа", "не сказано, какого месяца"),
    ("до 5 числа месяца", "месяца", "ожидалось «следующего за отчётным …»"),
    ("до 5 числа месяца, следующего за отчётным", "отчётным", "какой период отчётный"),
    ("ежегодно до 1 декабря 2022", "ежегодно до 1 декабря 2022", "ежегодно"),
    ("ежемесячно до пятницы", "пятницы", "число месяца"),
    ("по пятницам и субботу", "субботу", "не в той форме"),
    ("каждую пятницам", "пятницам", "не в той форме"),
    ("по пятницам, четверг", "четверг", "не в той форме"),
])
def test_recurrence_errors_point_inside_the_text(text, bad_part, message):
    with pytest.raises(DiagnosticError) as caught:
        parse_time(text)
    error = caught.value
    assert error.code == "P101"
    assert message in error.message, error.message
    assert error.hint
    if bad_part:
        assert text[error.offset:error.offset + error.length] == bad_part
